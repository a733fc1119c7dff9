#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipcode rules selftest: drop and mark by code, range and class, the
# precedence between them, dry-run, nftables on the marks, refusal of
# malformed rules, privileges and namespaces, on the topology of
# tests/lib.sh (srv sends through fw to cli; the rules are in fw).
#
# Needs root; loads the module from $KO. Exits 4 (skip) when a
# requirement is missing. TAP output.

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"
other=sipcode-other-$$
cleanup_extra() { ip netns del $other 2>/dev/null; }
test_init
require nft setpriv

load_module
check "insmod" "$?" 0
topo_setup $$ || skip_all "cannot build the namespaces"

rules() { ctl "$1" rule list -j | jq -c '[.rules[].match]'; }
nobody() { ip netns exec "$1" setpriv --reuid=65534 --regid=65534 --clear-groups "${@:2}"; }

# 30 responses: 9 of 1xx, 2xx, 6xx; 10 of 4xx; 11 of 5xx.
MIX="180*3 200*4 404*4 480*2 486*3 488*1 500*2 503*9 603*2"

# --- drop -------------------------------------------------------------------
ctl $fw rule add 503 drop
for v in 4 6; do
	if [ $v = 4 ]; then dst=10.0.1.2; fam=; else dst=fd00:1::2; fam=-6; fi
	reset_all
	check "IPv$v: a dropped code never reaches the client" \
		"$(send "$fam" $dst 5060 $MIX)" "30 21"
	check "IPv$v: fw counts every response, and the 503s as dropped" \
		"$(verdicts $fw)" \
		"180:3/0/0 200:4/0/0 404:4/0/0 480:2/0/0 486:3/0/0 488:1/0/0 500:2/0/0 503:9/9/0 603:2/0/0"
	check "IPv$v: cli sees no 503" "$(codes $cli)" \
		"180:3 200:4 404:4 480:2 486:3 488:1 500:2 603:2"
	check "IPv$v: srv, with no rule, drops nothing" \
		"$(ctl $srv stats -j | jq '[.codes[].dropped] | add')" 0
done
check "rules of fw are not cli's" "$(rules $cli)" "[]"

# --- dry run ------------------------------------------------------------------
ctl $fw dry-run on
check "dry-run on" "$(ctl $fw dry-run)" on
reset_all
check "dry-run: nothing is dropped" "$(send "" 10.0.1.2 5060 $MIX)" "30 30"
check "dry-run: the would-be drops are counted" \
	"$(ctl $fw stats -j | jq -c '[.dry_run, (.codes[] | select(.code == 503) | .dropped)]')" \
	"[true,9]"
ctl $fw dry-run off
check "dry-run off" "$(ctl $fw dry-run)" off

# --- marks and nftables ---------------------------------------------------------
ctl $fw rule flush
ctl $fw rule add 4xx mark 0x10/0xff
ctl $fw rule add 500-599 mark 0x20
# A mark set before sipcode (priority raw) keeps the bits outside a mask.
ip netns exec $fw nft -f - <<'NFT'
table inet sipt {
	chain sippre {
		type filter hook prerouting priority raw;
		udp sport 5060 meta mark set 0x1100
	}
	chain sipfwd {
		type filter hook forward priority 0;
		udp sport 5060 meta mark 0x1110 counter comment "4xx"
		udp sport 5060 meta mark 0x20 counter comment "5xx"
		udp sport 5060 meta mark 0x1100 counter comment "untouched"
	}
}
NFT
reset_all
check "marks: nothing dropped" "$(send "" 10.0.1.2 5060 $MIX)" "30 30"
check "nft counts exactly the marked 4xx, 5xx and the untouched others" \
	"$(nft_counts)" "10 11 9"
check "marked counters" "$(verdicts $fw)" \
	"180:3/0/0 200:4/0/0 404:4/0/4 480:2/0/2 486:3/0/3 488:1/0/1 500:2/0/2 503:9/0/9 603:2/0/0"
ip netns exec $fw nft delete table inet sipt

# --- precedence: code over range over class -------------------------------------
ctl $fw rule flush
ctl $fw rule add 4xx drop
ctl $fw rule add 480-489 mark 0x30
ctl $fw rule add 486 count
check "rules are listed codes, ranges, classes" "$(rules $fw)" '["486","480-489","4xx"]'
reset_all
check "class drops, range marks, code counts only" \
	"$(send "" 10.0.1.2 5060 404*4 480*2 486*3 488*1 489*1 490*2)" "13 7"
check "each code got the most specific rule" "$(verdicts $fw)" \
	"404:4/4/0 480:2/0/2 486:3/0/0 488:1/0/1 489:1/0/1 490:2/2/0"
ctl $fw rule del 486
reset_all
check "without the code rule: sent" "$(send "" 10.0.1.2 5060 486*3)" "3 3"
check "without the code rule, the range applies" "$(verdicts $fw)" "486:3/0/3"

# --- malformed requests --------------------------------------------------------------
ctl $fw rule add 503 drop
# The rules of fw from here on, as rule list -j prints them.
before='{"dry_run":false,"rules":[{"match":"503","type":"code","code":503,"action":"drop","notify":false},{"match":"480-489","type":"range","low":480,"high":489,"action":"mark","mark":48,"mask":4294967295,"notify":false},{"match":"4xx","type":"class","class":4,"action":"drop","notify":false}]}'
check "rule list -j: every field of each rule" "$(ctl $fw rule list -j | jq -c .)" "$before"
CASES="rule-code-low:34 rule-code-high:34 rule-class-0:34 rule-class-7:34
rule-range-high:34 rule-low-above-high:22 rule-low-only:22 rule-two-matches:22
rule-no-match:22 rule-no-action:22 rule-action-0:34 rule-action-unknown:34
rule-mark-missing:22 rule-mask-zero:34 rule-mark-outside-mask:22
rule-mark-with-drop:22 rule-missing:22 rule-del-action:22 rule-del-none:2
rule-dup:17 rule-overlap:17 config-bad:34 config-missing:22
config-method-bad:34 config-reasons-bad:34 config-rate-0:34
config-rate-high:34 config-rate-short:22 rule-notify-data:34"
ip netns exec $fw $NLRAW $(echo $CASES | sed 's/:[0-9]*//g') >"$tmp/nlraw"
check "netlink: every malformed rule answered" "$(wc -l <"$tmp/nlraw")" "$(echo $CASES | wc -w)"
for c in $CASES; do
	name=${c%:*}
	line=$(grep "^$name " "$tmp/nlraw")
	rc=${line#* errno=}
	rc=${rc%% *}
	msg=${line#* msg=}
	if [ "$rc" = "${c#*:}" ] && [ -n "$msg" ]; then
		ok "netlink: $name refused, errno $rc ($msg)"
	else
		not_ok "netlink: $name refused with errno ${c#*:} and a message" "$line"
	fi
done
check "refused requests leave the rules as they were" "$(ctl $fw rule list -j | jq -c .)" "$before"
for bad in "7xx drop" "99 drop" "490-480 drop" "503 mark 0x0/0x0" \
	"503 mark 0x100/0xff" "503 reject"; do
	err=$(ctl $fw rule add $bad 2>&1)
	rc=$?
	if [ $rc = 2 ] && [ "$(echo "$err" | wc -l)" = 1 ]; then
		ok "sipcodectl rule add $bad: usage error ($err)"
	else
		not_ok "sipcodectl rule add $bad: one-line usage error, exit 2" "exit $rc: $err"
	fi
done
check "and the rules are still as they were" "$(ctl $fw rule list -j | jq -c .)" "$before"

# --- privileges -----------------------------------------------------------------
for op in "rule add 600 drop" "rule del 503" "rule flush" "dry-run on"; do
	err=$(nobody $fw "$CTL" $op 2>&1)
	check "non-root cannot $op" "$? $(echo "$err" | grep -c 'Operation not permitted')" "1 1"
done
check "non-root can list rules" "$(nobody $fw "$CTL" rule list -j | jq -c .)" "$before"
check "and nothing changed" "$(ctl $fw rule list -j | jq -c .)" "$before"

# --- every code has a rule -------------------------------------------------------
ctl $fw rule flush
for c in $(seq 100 699); do echo "rule add $c mark $c/0xffff"; done >"$tmp/all"
ctl $fw restore "$tmp/all"
check "600 code rules added in one restore" "$?" 0
check "the rule dump (several messages) has all 600" \
	"$(ctl $fw rule list -j | jq '[.rules[] | select(.mark == .code)] | length')" 600
reset_all
check "600 marks: nothing dropped" "$(send "" 10.0.1.2 5060 100*1 486*2 699*1)" "4 4"
check "each code got its own mark" "$(verdicts $fw)" "100:1/0/1 486:2/0/2 699:1/0/1"
ctl $fw rule flush
check "flush" "$(rules $fw)" "[]"
ctl $fw rule add 4xx drop && ctl $fw rule add 503 mark 0x1
check "rules left in fw for its namespace to take away" "$?:$(rules $fw)" '0:["503","4xx"]'

# --- module parameter, unload ------------------------------------------------------
cleanup
test_init
"$CTL" rule add 486 drop
check "a rule left in the initial namespace for the unload" \
	"$?:$("$CTL" rule list -j | jq -c '[.rules[].match]')" '0:["486"]'
rmmod sipcode
check "namespaces and module go away with their rules" "$?" 0
insmod "$KO" dry_run=1
ip netns add $other
check "module parameter dry_run seeds a new namespace" \
	"$(ip netns exec $other "$CTL" dry-run)" on
ip netns del $other
rmmod sipcode
dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace|UBSAN' >"$tmp/dmesg"
check "dmesg has no warning" "$(cat "$tmp/dmesg")" ""

finish
