#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipcode one-transaction configuration selftest: SIPCODE_CMD_CONFIG_REPLACE
# through "sipcodectl restore", on the topology of tests/lib.sh.
#
#   - under a flood, 10 restores alternating between two 1200-rule
#     configurations, A (dry-run on, every code dropped) and B (dry-run
#     off, every code marked 0x2): every packet got A's verdict (counted
#     as dropped, sent untouched) or B's (marked 0x2 and counted as
#     marked), never a mixture: B's rules in A's dry-run mode would count
#     marks that nftables never sees, A's rules out of dry-run mode would
#     really drop (the flood's send fails, while the module counts it);
#     and every rule dump taken meanwhile is all A or all B, or flagged
#     NLM_F_DUMP_INTR
#   - a file the kernel refuses (a rule that exists, a range that overlaps
#     one, each among other rules) changes nothing: "save" prints the
#     same bytes, and the kernel's message and errno are printed
#   - the largest configuration (600 code rules, 600 ranges, 6 classes:
#     a request of about 53 KB) is accepted whole
#
# Needs root and tests/flood (make -C tests tools). Exits 4 (skip) when a
# requirement is missing. TAP output.

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"
TOOLS=${SIPCODE_TOOLS:-$top/build/tests}
FLOOD=$TOOLS/flood
SWAPS=${TXN_SWAPS:-10}
test_init
require nft
[ -x "$FLOOD" ] || skip_all "no $FLOOD: build the C tools on the host first" \
	"(make -C tests tools)"
timing_start

load_module
check "insmod" "$?" 0
topo_setup $$ || skip_all "cannot build the namespaces"

# conf DRY-RUN ACTION: a whole configuration, a code rule and a range of
# one code for every code (1200 rules: a dump of them takes two messages).
conf() {
	local c

	printf 'ports set 5060\ndry-run %s\nconfig by-method off reasons off event-rate 100\nrule flush\n' "$1"
	for ((c = 100; c <= 699; c++)); do
		echo "rule add $c $2"
	done
	for ((c = 100; c <= 699; c++)); do
		echo "rule add $c-$c $2"
	done
}
conf on drop >"$tmp/A"
conf off "mark 0x2" >"$tmp/B"
sum() { ctl $srv stats -j | jq "[.codes[].$1] | add // 0"; }

# --- a flood across 10 swaps ----------------------------------------------------------
# srv sends (sport 5062, to 5060) and its rules act at LOCAL_OUT; nftables
# counts at srv's postrouting, after sipcode, what leaves and what is
# marked 0x2.
ip netns exec $srv nft -f - <<'NFT'
table inet txn {
	chain post {
		type filter hook postrouting priority 0;
		udp sport 5062 counter
		udp sport 5062 meta mark 0x2 counter
	}
}
NFT
nft_counts() {
	ip netns exec $srv nft -j list chain inet txn post |
		jq -r '[.nftables[] | .rule? | select(.) | (.expr[] | .counter? | select(.) | .packets)] | join(" ")'
}
ctl $srv restore "$tmp/A"
check "restore A (1200 rules): exit 0" "$?" 0
check "A is in place" "$(ctl $srv rule list | wc -l) $(ctl $srv dry-run)" "1200 on"
reset_all
codes=$(seq -s, 100 10 690)
ip netns exec $srv "$FLOOD" -c 0 -d 3600 -s 5062 10.0.1.2 5060 "$codes" \
	>"$tmp/sent" 2>"$tmp/flood.err" &
fpid=$!
bg_add $fpid
# Rule dumps meanwhile, read slowly in many messages (tests/txndump.py).
ip netns exec $srv python3 "$top/tests/txndump.py" >"$tmp/dumps" 2>&1 &
dpid=$!
bg_add $dpid
slowwait 60 test "$(sum seen)" -gt 1000 >/dev/null
fails=0
for ((i = 1; i <= SWAPS; i++)); do
	f=$tmp/B
	[ $((i % 2)) = 0 ] && f=$tmp/A
	ctl $srv restore "$f" || fails=$((fails + 1))
	sleep 0.2
done
check "$SWAPS restores under the flood: every one exits 0" "$fails" 0
kill -TERM $dpid; wait $dpid; bg_del $dpid
kill -TERM $fpid; wait $fpid; bg_del $fpid
sent=$(cat "$tmp/sent")
read -r out marked_nft <<<"$(nft_counts)"
seen=$(sum seen)
dropped=$(sum dropped)
marked=$(sum marked)
echo "# flood: sent $sent, seen $seen, dropped (dry-run) $dropped, marked $marked; nft: out $out, marked $marked_nft; $(cat "$tmp/flood.err")"
check "the flood ran" "$([ "${sent:-0}" -gt 10000 ] && [ "$marked" -gt 0 ] && [ "$dropped" -gt 0 ] && echo yes)" yes
check "no packet was really dropped: seen = sent = out" "$seen $out" "$sent $sent"
check "every packet got a verdict: dropped + marked = seen" "$((dropped + marked))" "$seen"
check "every mark counted was set: marked = nft's marked 0x2" "$marked_nft" "$marked"
echo "# rule $(cat "$tmp/dumps")"
read -r _ _ _ intr _ mixed <"$tmp/dumps"
check "rule dumps spanned swaps: some flagged NLM_F_DUMP_INTR" \
	"$([[ $intr =~ ^[0-9]+$ ]] && ((intr > 0)) && echo yes)" yes
check "every rule dump not flagged was all A or all B" "${mixed:-none}" 0
timing "flood"

# --- refused by the kernel: nothing changes --------------------------------------------
ctl $srv restore "$tmp/B"
check "restore B: exit 0" "$?" 0
ctl $srv save >"$tmp/before"
refused() { # NAME MESSAGE LINE...
	local name=$1 msg=$2 err rc

	shift 2
	printf '%s\n' "$@" >"$tmp/$name"
	err=$(ctl $srv restore "$tmp/$name" 2>&1)
	rc=$?
	check "restore, $name: exit 1, the kernel's message and errno" "$rc $err" \
		"1 sipcodectl: restore: $msg"
	ctl $srv save >"$tmp/after"
	if cmp -s "$tmp/before" "$tmp/after"; then
		ok "restore, $name: save prints the same bytes"
	else
		not_ok "restore, $name: save prints the same bytes" \
			"$(diff "$tmp/before" "$tmp/after" | head -n 5)"
	fi
}
# After the 1200 rules of B: a class, then the refused rule, then more.
refused "a rule that exists" "a rule with this match exists (File exists)" \
	"ports set 5099" "dry-run on" "config reasons on" "rule add 6xx drop" \
	"rule add 250 drop" "rule add 5xx drop" "rule add 200-210 drop"
refused "a range that overlaps one" "the range overlaps another range (File exists)" \
	"ports set 5099" "dry-run on" "config by-method on" "rule add 6xx drop" \
	"rule add 140-160 drop" "rule add 5xx drop" "rule add 300-310 drop"
check "the tables stayed off" "$(ctl $srv config | tr '\n' ' ')" \
	"dry-run off by-method off reasons off event-rate 100 transactions off transactions-max 65536 relayed off "
reset_all
check "B still acts" "$(send "" 10.0.1.2 5060 503*3 180*2)" "5 5"
check "B's verdicts" "$(verdicts $srv)" "180:2/0/2 503:3/0/3"
timing "refused"

# --- the largest configuration -----------------------------------------------------------
{
	printf 'ports set 5060,5070\ndry-run off\nconfig by-method on reasons on event-rate 9\nrule flush\n'
	for ((c = 100; c <= 699; c++)); do
		printf 'rule add %d mark 0x%x/0xffffffff notify\n' $c $c
	done
	for ((c = 100; c <= 699; c++)); do
		printf 'rule add %d-%d mark 0x%x/0xffff notify\n' $c $c $((c + 1000))
	done
	for c in 1 2 3 4 5 6; do
		printf 'rule add %dxx mark 0x%d/0xff notify\n' $c $c
	done
} >"$tmp/max"
ctl $srv restore "$tmp/max"
check "restore, 1206 rules (about 53 KB in one request): exit 0" "$?" 0
check "all 1206 rules are in place" "$(ctl $srv rule list | wc -l)" 1206
ctl $srv save >"$tmp/max.saved"
check "save prints them all back" \
	"$(grep -c '^rule add' "$tmp/max.saved") $(head -n 3 "$tmp/max.saved" | tr '\n' ' ')" \
	"1206 ports set 5060,5070 dry-run off config by-method on reasons on event-rate 9 transactions off transactions-max 65536 relayed off "
ctl $srv restore "$tmp/B"
ctl $srv restore "$tmp/max.saved"
check "the saved largest configuration restores to itself" \
	"$(ctl $srv save | cmp - "$tmp/max.saved" && echo same)" same
timing "largest"

test_unload
finish
