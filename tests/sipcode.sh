#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipcode selftest: exact per-code counts over IPv4 and IPv6, reset, the
# port set, privileges, netlink validation, namespaces and unload, on the
# topology of tests/lib.sh:
#
#   cli                         fw                            srv
#   veth0 ------------------ veth0 | veth1 ------------------ veth0
#   10.0.1.2/24      10.0.1.1/24   | 10.0.2.1/24      10.0.2.2/24
#   fd00:1::2/64     fd00:1::1/64  | fd00:2::1/64     fd00:2::2/64
#
# srv sends SIP responses and other datagrams from port 5060 to cli
# through fw. The module counts them in every namespace: at LOCAL_OUT in
# srv, at PRE_ROUTING in fw (forwarded) and in cli (delivered); each
# must report exactly what was sent, and no more.
#
# Needs root. Loads the module from $KO (default
# build/$(uname -r)/kmod/sipcode.ko); with SIPCODE_AUTOLOAD=1 installs it
# under /lib/modules first and lets sipcodectl autoload it: only in a
# throw-away guest. Exits 4 (skip) when a requirement is missing.
# TAP output.

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"
other=sipcode-other-$$
cleanup_extra() { ip netns del $other 2>/dev/null; }
test_init
require nft setpriv

# --- load ---------------------------------------------------------------
alias=net-pf-16-proto-16-family-sipcode
if [ "${SIPCODE_AUTOLOAD:-0}" = 1 ]; then
	# modprobe finds the family's alias and the module in modprobe.d, not
	# in depmod's index: depmod reads every module of the kernel, minutes
	# of a CPU under TCG. tests/deb.sh autoloads the installed package
	# through depmod's index. An autoloaded module inspects the tests'
	# namespaces too.
	mkdir -p "/lib/modules/$(uname -r)/updates"
	cp "$KO" "/lib/modules/$(uname -r)/updates/"
	cat >/etc/modprobe.d/sipcode-test.conf <<EOF2
alias $alias sipcode
install sipcode /sbin/insmod /lib/modules/$(uname -r)/updates/sipcode.ko \$CMDLINE_OPTS
options sipcode all_netns=1
EOF2
fi
load_module
check "insmod" "$?" 0

# --- topology -----------------------------------------------------------
topo_setup $$ || skip_all "cannot build the namespaces"

# --- exact counts ---------------------------------------------------------
MIX="100*3 180*5 183*2 200*7 302*1 401*4 403*2 404*3 407*1 480*2 486*6
487*2 488*1 500*1 503*9 603*2"
WANT=$(echo $MIX | tr '*' ':')
OTHER=(req*4 'line:SIP/2.0 99 Low\r\n*2' 'line:SIP/2.0 700 High\r\n*1'
	'line:SIP/2.0 4*2' raw:0d0a0d0a*3)
NSENT=$((3+5+2+7+1+4+2+3+1+2+6+2+1+1+9+2 + 4+2+1+2+3))

# nftables counts 503s in fw's forward chain on its own, as the README shows.
ip netns exec $fw nft -f - <<'NFT'
table inet sip {
	chain sipfwd {
		type filter hook forward priority 0;
		udp sport 5060 @ih,0,96 0x5349502f322e302035303320 counter
	}
}
NFT
nft503() {
	ip netns exec $fw nft -j list chain inet sip sipfwd |
		jq '[.nftables[] | .rule? | select(.) | .expr[] | .counter? | select(.) | .packets] | add'
}

for v in 4 6; do
	if [ $v = 4 ]; then dst=10.0.1.2; fam=; else dst=fd00:1::2; fam=-6; fi
	reset_all
	out=$(send "$fam" $dst 5060 $MIX "${OTHER[@]}")
	check "IPv$v: every datagram sent is delivered" "$out" "$NSENT $NSENT"
	check "IPv$v: fw (forwarding) counts each code exactly" "$(codes $fw)" "$WANT"
	check "IPv$v: fw counts requests, malformed, truncated, keep-alives" \
		"$(buckets $fw)" "4 3 2 3 0"
	check "IPv$v: srv (LOCAL_OUT) counts each code exactly" "$(codes $srv)" "$WANT"
	check "IPv$v: cli (delivered) counts each code exactly" "$(codes $cli)" "$WANT"
	check "IPv$v: totals add up" "$(ctl $fw stats -j | jq .total)" "$NSENT"
done
check "nftables' own 503 counter agrees (IPv4 + IPv6)" "$(nft503)" \
	"$(( $(echo $MIX | tr ' ' '\n' | sed -n 's/^503\*//p') * 2 ))"

reset_all
out=$(send "" 10.0.1.2 5070 486*5 200*5)
check "datagrams on other ports are sent, delivered and not looked at" \
	"$out|$(codes $fw)|$(buckets $fw)|$(ctl $fw stats -j | jq .total)" \
	"10 10||0 0 0 0 0|0"

ctl $fw stats reset
ip netns exec $fw $GEN send --sport 5060 127.0.0.1 5060 486*3 >/dev/null
check "loopback: counted once, at LOCAL_OUT" "$(codes $fw)" "486:3"

# --- relayed, or for the host ------------------------------------------------
# With the switch relayed on, fw tells the responses it relays from
# those for it; cli, forwarding too, relays none: they are for it.
# relayed NS: "CODE:RELAYED ..." of stats --by-peer -j, or "off".
relayed() {
	ctl "$1" stats --by-peer -j |
		jq -r 'if .directions | has("relayed") then
			[.directions.relayed | to_entries[] | "\(.key):\(.value)"] | join(" ")
			else "off" end'
}
for ns in $cli $fw $srv; do ctl $ns config relayed on; done
ip netns exec $cli sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
reset_all
out="$(send "" 10.0.1.2 5060 486*3 200*2) $(send -6 fd00:1::2 5060 503*4)"
check "relayed: IPv4 and IPv6 sent and delivered" "$out" "5 5 4 4"
check "relayed: fw relays each (IPv4, IPv6)" "$(relayed $fw)" "200:2 486:3 503:4"
check "relayed: cli, forwarding, relays none: they are for it" \
	"$(relayed $cli) $(codes $cli)" "200:0 486:0 503:0 200:2 486:3 503:4"
check "relayed: srv sent them" "$(relayed $srv)" "200:0 486:0 503:0"
# To fw's own addresses: received, not relayed.
ip netns exec $srv $GEN send --sport 5060 10.0.2.1 5060 404*2 >/dev/null
ip netns exec $srv $GEN send -6 --sport 5060 fd00:2::1 5060 408*1 >/dev/null
check "relayed: fw keeps what is for its own addresses" \
	"$(relayed $fw) $(ctl $fw stats --by-peer -j | jq -c '[.directions.in."404", .directions.in."408"]')" \
	"200:2 404:0 408:0 486:3 503:4 [2,1]"
# To fw's own address, which fw's DNAT sends on to cli: relayed, the
# destination once conntrack's NAT applies (the NAT hook runs after
# sipcode's). A request opens the flow, as a response's request does:
# the first packet of a flow meets sipcode before its NAT is chosen. The
# debug kernel has no NAT.
if ip netns exec $fw nft -f - 2>/dev/null <<'NFT'
table ip sipnat {
	chain pre {
		type nat hook prerouting priority dstnat;
		udp dport 5062 dnat to 10.0.1.2
	}
}
NFT
then
	ctl $fw ports add 5062
	ctl $fw stats reset
	out=$(send "" 10.0.2.1 5062 req*1 180*2)
	check "relayed: to fw's address, sent on by its DNAT: relayed" \
		"$out $(relayed $fw)" "3 3 180:2"
	ip netns exec $fw nft delete table ip sipnat
	ctl $fw ports del 5062
else
	echo "# relayed: no NAT in this kernel, the DNAT case not run"
fi
ctl $fw config relayed off
check "relayed off: no relayed counter" "$(relayed $fw)" off
ip netns exec $cli sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0
for ns in $cli $srv; do ctl $ns config relayed off; done

# --- a dump larger than one netlink message --------------------------------
reset_all
ITEMS=$(for c in $(seq 100 699); do echo "$c*$((1 + c % 3))"; done)
WANT_ALL=$(for c in $(seq 100 699); do echo -n "$c:$((1 + c % 3)) "; done)
out=$(send "" 10.0.1.2 5060 $ITEMS)
check "all 600 codes sent and delivered" "$out" "1200 1200"
check "dump of 600 codes (several messages) is complete and exact" \
	"$(codes $fw) " "$WANT_ALL"
WANT_CLASSES=$(for k in 1 2 3 4 5 6; do
	n=0
	for c in $(seq ${k}00 ${k}99); do n=$((n + 1 + c % 3)); done
	echo -n "\"${k}xx\":$n,"
done)
check "class totals" "$(ctl $fw stats -j | jq -c .classes)" "{${WANT_CLASSES%,}}"

# --- reset ----------------------------------------------------------------
ctl $fw stats reset
check "reset zeroes every counter" \
	"$(codes $fw)|$(buckets $fw)|$(ctl $fw stats -j | jq .total)" "|0 0 0 0 0|0"
check "reset in fw leaves cli alone" "$(ctl $cli stats -j | jq .total)" 1200

# --- ports ----------------------------------------------------------------
check "default port set" "$(ctl $fw ports -j | jq -c .ports)" "[5060]"
ctl $fw ports set 5070,5080
check "ports set" "$(ctl $fw ports -j | jq -c .ports)" "[5070,5080]"
check "ports of another namespace unchanged" "$(ctl $cli ports -j | jq -c .ports)" "[5060]"
ctl $fw ports add 5060,5090
check "ports add" "$(ctl $fw ports -j | jq -c .ports)" "[5060,5070,5080,5090]"
ctl $fw ports del 5070 && ctl $fw ports delete 5080,5060
check "ports del, delete" "$(ctl $fw ports -j | jq -c .ports)" "[5090]"
err=$(ctl $fw ports del 5070 2>&1)
check "ports del of a port not inspected: exit 1, named, nothing changed" \
	"$? $err $(ctl $fw ports -j | jq -c .ports)" \
	"1 sipcodectl: ports del: port 5070 is not inspected [5090]"
err=$(ctl $fw ports del 5090 2>&1)
check "ports del of the last port: exit 1, said" "$? $(ctl $fw ports -j | jq -c .ports)" "1 [5090]"
check "... in one line" "$(echo "$err" | wc -l)" 1
ctl $fw ports set 5070,5080
check "-n NETNS: the ports of fw, from the initial namespace; po abbreviates ports" \
	"$("$CTL" -n $fw po -j | jq -c .ports) $("$CTL" -n /run/netns/$fw ports -j | jq -c .ports)" \
	"[5070,5080] [5070,5080]"
reset_all
out="$(send "" 10.0.1.2 5060 486*2) $(send "" 10.0.1.2 5070 603*3)"
check "new port set applies at once" "$out $(codes $fw)" "2 2 3 3 603:3"
ctl $fw ports set 5060

# --- privileges -------------------------------------------------------------
nobody() { ip netns exec "$1" setpriv --reuid=65534 --regid=65534 --clear-groups "${@:2}"; }
err=$(nobody $fw "$CTL" ports set 5090 2>&1)
rc=$?
check "non-root cannot change ports" "$rc|$(ctl $fw ports -j | jq -c .ports)" "1|[5060]"
case $err in
*"Operation not permitted"*) ok "non-root gets EPERM" ;;
*) not_ok "non-root gets EPERM" "$err" ;;
esac
nobody $fw "$CTL" stats reset 2>/dev/null
check "non-root cannot reset: exit 1, the counters kept" "$?|$(codes $fw)" "1|603:3"
check "non-root can read stats" "$(nobody $fw "$CTL" stats -j | jq .total)" "$(ctl $fw stats -j | jq .total)"

# --- netlink validation -------------------------------------------------------
CASES="ports-ok ports-zero ports-empty ports-missing ports-many ports-badtype
ports-short ports-notnested ports-extra reset-attr stats-attr method-attr
unknown-cmd"
ip netns exec $fw $NLRAW $CASES >"$tmp/nlraw"
check "netlink: every case answered" "$(wc -l <"$tmp/nlraw")" "$(echo $CASES | wc -w)"
while read -r name rc msg; do
	case $name in
	ports-ok) check "netlink: $name accepted" "$rc" errno=0 ;;
	unknown-cmd) check "netlink: $name refused" "$rc" errno=95 ;;
	ports-zero) check "netlink: $name refused by the policy range ($msg)" \
		"$rc" errno=34 ;;
	*)
		if [ "$rc" = errno=22 ] && [ "$msg" != msg= ]; then
			ok "netlink: $name refused with EINVAL ($msg)"
		else
			not_ok "netlink: $name refused with EINVAL and a message" "$rc $msg"
		fi
		;;
	esac
done <"$tmp/nlraw"
check "refused requests change nothing" "$(ctl $fw ports -j | jq -c .ports)" "[5060]"
err=$(ctl $fw ports set 0 2>&1)
check "sipcodectl refuses port 0 (usage error)" "$?" 2

# --- unload -----------------------------------------------------------------
cleanup
test_init
rmmod sipcode
check "rmmod" "$?" 0
insmod "$KO" ports=5062,5064
ip netns add $other
check "module parameter ports seeds a new namespace" \
	"$(ip netns exec $other "$CTL" ports -j | jq -c .ports)" "[5062,5064]"
ip netns del $other
rmmod sipcode
check "rmmod" "$?" 0
# Refused by the module itself: EINVAL, and its message after a mark.
mark="sipcode-selftest: insmod ports=0 ($$)"
echo "$mark" >/dev/kmsg
err=$(insmod "$KO" ports=0 2>&1)
rc=$?
msg=$(dmesg | sed -n "/$mark/,\$p" | grep -c 'sipcode: ports: 0 is not a port$')
check "module parameter ports=0 is refused: exit 1, EINVAL, the module's message" \
	"$rc $(echo "$err" | grep -c 'Invalid parameters$') $msg" "1 1 1"
check "the module has its family's alias" \
	"$(modinfo -F alias "$KO" | grep -cx "$alias")" 1
if [ "${SIPCODE_AUTOLOAD:-0}" = 1 ]; then
	out=$("$CTL" ports 2>&1)
	check "first sipcodectl call autoloads the module (all_netns=1)" \
		"$(lsmod | grep -c '^sipcode ') $out $(cat /sys/module/sipcode/parameters/all_netns)" \
		"1 5060 Y"
	rmmod sipcode
fi
dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace|UBSAN' >"$tmp/dmesg"
check "dmesg has no warning" "$(cat "$tmp/dmesg")" ""

finish
