#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipcode selftest: the kernel's generic netlink client, tools/net/ynl's
# cli.py, against the module, driven by nothing but the spec
# Documentation/netlink/specs/sipcode.yaml (checked against the kernel's
# schema of it): the stats dump, ports, rules and settings set and read
# back exactly, errors and their extended ack, who may change what.
#
# cli.py is the one scripts/ynl-gen.sh extracts into build/ynl (it needs
# python3-yaml and python3-jsonschema). Needs root; loads the module from
# $KO. Exits 4 (skip) when a requirement is missing. TAP output.

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"
test_init
require setpriv unshare
[ -f "$YNL_DIR/cli.py" ] ||
	skip_all "no ynl in $YNL_DIR (scripts/ynl-gen.sh extracts it)"
/usr/bin/python3 -c 'import yaml, jsonschema' 2>/dev/null ||
	skip_all "needs python3-yaml and python3-jsonschema"

ns=sipcode-ynl-$$
cleanup_extra() { ip netns del "$ns" 2>/dev/null; }
# ynl NS ARGS...: cli.py in NS, JSON out; a netlink error on stdout, exit 1.
ynl() {
	local n=$1
	shift
	ip netns exec "$n" /usr/bin/python3 "$YNL_DIR/cli.py" \
		--spec "$top/Documentation/netlink/specs/sipcode.yaml" \
		"${schema[@]}" --output-json "$@"
}
# The first call checks the spec against the kernel's schema; the others
# skip it, which is most of a call's time in an emulated guest.
schema=(--schema "$YNL_SRC/Documentation/netlink/genetlink-legacy.yaml")

load_module
check "insmod" "$?" 0
ip netns add "$ns" || skip_all "cannot add a namespace"

# --- stats ---------------------------------------------------------------------
out=$(ynl $ns --dump stats-get)
check "stats-get: a dump of one message, zero in every bucket, no code" \
	"$(echo "$out" | jq -c '[length, (.[0].uncounted | [.[]] | add),
		(.[0].events | [.[]] | add), (.[0] | has("code"))]')" \
	"[1,0,0,false]"
check "stats-get: every bucket of the spec" \
	"$(echo "$out" | jq -c '.[0].uncounted | keys')" \
	'["fragment","keepalive","malformed","not-response","tcp-midstream","tcp-retransmit","tcp-unframed","tcp-untracked","truncated"]'
schema=(--no-schema)

# --- ports ---------------------------------------------------------------------
ynl $ns --do ports-set --json '{"ports": {"port": [5070, 5060, 5080]}}' >/dev/null
check "ports-set: accepted" "$?" 0
check "ports-get: the set, ascending" \
	"$(ynl $ns --do ports-get | jq -c .ports.port)" "[5060,5070,5080]"
check "sipcodectl reads the same ports" \
	"$(ctl $ns ports -j | jq -c .ports)" "[5060,5070,5080]"

# --- rules ---------------------------------------------------------------------
ynl $ns --do rule-add --json '{"rule": {"code": 503, "action": "drop"}}' >/dev/null &&
ynl $ns --do rule-add --json \
	'{"rule": {"low": 480, "high": 489, "action": "mark", "mark": 48, "mask": 255}}' \
	>/dev/null &&
ynl $ns --do rule-add --json '{"rule": {"class": 6, "action": "count", "notify": true}}' \
	>/dev/null
check "rule-add: three rules accepted" "$?" 0
check "rule-get: codes, ranges, classes, every value exact" \
	"$(ynl $ns --dump rule-get | jq -c '[.[].rule[]]')" \
	'[{"code":503,"action":"drop"},{"low":480,"high":489,"action":"mark","mark":48,"mask":255},{"class":6,"action":"count","notify":true}]'
check "sipcodectl lists the same rules" \
	"$(ctl $ns rule list -j | jq -c '[.rules[].match]')" '["503","480-489","6xx"]'
ynl $ns --do rule-del --json '{"rule": {"code": 503}}' >/dev/null
check "rule-del: the code rule is gone" \
	"$(ynl $ns --dump rule-get | jq -c '[.[].rule[] | .code // .low // .class]')" \
	"[480,6]"

# --- settings ------------------------------------------------------------------
ynl $ns --do config-set --json '{"dry-run": 1, "event-rate": 250, "relayed": 1}' >/dev/null
check "config-set, config-get: u32 switches, the rate" \
	"$(ynl $ns --do config-get | jq -c .)" \
	'{"dry-run":1,"by-method":0,"reasons":0,"event-rate":250,"transactions":0,"txn-max":65536,"relayed":1}'
ynl $ns --do config-set --json '{"transactions": 1, "txn-max": 1000}' >/dev/null
check "config-set transactions, txn-get: the table's size and counters" \
	"$(ynl $ns --do txn-get | jq -c '[."txn-max", .txn]')" \
	'[1000,{"entries":0,"tracked":0,"untracked":0,"retransmitted":0,"unmatched":0,"timeouts":0}]'
ynl $ns --do config-set --json '{"transactions": 0}' >/dev/null
out=$(ynl $ns --do txn-get 2>&1)
rc=$?
case $rc:$out in
1:*"transactions are off"*)
	ok "txn-get with transactions off: ENODATA, the module's extack" ;;
*) not_ok "txn-get with transactions off: ENODATA, the module's extack" "$rc: $out" ;;
esac

# --- errors --------------------------------------------------------------------
out=$(ynl $ns --do rule-add --json '{"rule": {"low": 490, "high": 480, "action": "drop"}}')
rc=$?
case $rc:$out in
1:*"Invalid argument"*"the range's low code is above its high code"*)
	ok "rule-add low > high: EINVAL, the module's extack" ;;
*) not_ok "rule-add low > high: EINVAL, the module's extack" "$rc: $out" ;;
esac
out=$(ynl $ns --do rule-add --json '{"rule": {"code": 700, "action": "drop"}}')
rc=$?
case $rc:$out in
1:*"Numerical result out of range"*"integer out of range"*"rule.code"*)
	ok "rule-add code 700: ERANGE from the policy, the attribute named" ;;
*) not_ok "rule-add code 700: ERANGE from the policy, the attribute named" "$rc: $out" ;;
esac
out=$(ynl $ns --do ports-set --json '{"ports": {"port": [65536]}}')
rc=$?
case $rc:$out in
1:*"Numerical result out of range"*) ok "ports-set 65536: ERANGE (a u32 port)" ;;
*) not_ok "ports-set 65536: ERANGE (a u32 port)" "$rc: $out" ;;
esac
check "refused requests changed nothing" \
	"$(ynl $ns --dump rule-get | jq -c '[.[].rule[] | .code // .low // .class]')|$(ynl $ns --do ports-get | jq -c .ports.port)" \
	"[480,6]|[5060,5070,5080]"

# --- permissions ----------------------------------------------------------------
out=$(ip netns exec $ns setpriv --reuid=65534 --regid=65534 --clear-groups \
	/usr/bin/python3 "$YNL_DIR/cli.py" \
	--spec "$top/Documentation/netlink/specs/sipcode.yaml" --no-schema \
	--output-json --do rule-flush)
case $? in
1) case $out in
   *"Operation not permitted"*) ok "non-root: rule-flush refused with EPERM" ;;
   *) not_ok "non-root: rule-flush refused with EPERM" "$out" ;;
   esac ;;
*) not_ok "non-root: rule-flush refused with EPERM" "$out" ;;
esac
check "non-root can read the rules" \
	"$(ip netns exec $ns setpriv --reuid=65534 --regid=65534 --clear-groups \
		/usr/bin/python3 "$YNL_DIR/cli.py" \
		--spec "$top/Documentation/netlink/specs/sipcode.yaml" --no-schema \
		--output-json --dump rule-get | jq -c '[.[].rule[] | .code // .low // .class]')" \
	"[480,6]"
# Admin is CAP_NET_ADMIN over the namespace (GENL_UNS_ADMIN_PERM): the
# root of a new user namespace may configure the network namespace it
# owns, and read its reason phrases.
out=$(unshare -Urn /usr/bin/python3 "$YNL_DIR/cli.py" \
	--spec "$top/Documentation/netlink/specs/sipcode.yaml" --no-schema \
	--output-json --do ports-set --json '{"ports": {"port": [5099]}}' 2>&1)
check "the owner of a user namespace configures its network namespace" \
	"$?|$out" "0|null"
out=$(unshare -Urn sh -c "
	/usr/bin/python3 '$YNL_DIR/cli.py' \
		--spec '$top/Documentation/netlink/specs/sipcode.yaml' --no-schema \
		--output-json --do config-set --json '{\"reasons\": 1}' >/dev/null &&
	/usr/bin/python3 '$YNL_DIR/cli.py' \
		--spec '$top/Documentation/netlink/specs/sipcode.yaml' --no-schema \
		--output-json --dump reason-get" 2>&1)
rc=$?
case $rc:$out in
"0:["*"]") ok "... and reads its reason phrases (admin only)" ;;
*) not_ok "... and reads its reason phrases (admin only)" "$rc: $out" ;;
esac

test_unload
finish
