#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipcode selftest: peers. Their netlink commands through the kernel's
# ynl library (tests/ynlcalls.py, one process for many requests): named
# sets of IPv4 and IPv6 prefixes added, read back in order, deleted and
# flushed; every bound (peers-max, peer-prefixes-max, peer-nodes-max) met
# and then refused whole, with its errno and extended ack; a peer of 1,000
# prefixes dumped over several messages; config-replace swapping the peers
# with the rest, all or nothing; who may change them. Then sipcodectl's
# peer commands, and save and restore. Then packets, forwarded and sent,
# IPv4 and IPv6: each response counted under the peer of its address and
# its direction, exactly, and the counters' life with their peer's.
#
# Needs root, ynl (scripts/ynl-gen.sh) and python3-yaml; loads the module
# from $KO. Exits 4 (skip) when a requirement is missing. TAP output.

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"
test_init
require setpriv jq
[ -f "$YNL_DIR/cli.py" ] ||
	skip_all "no ynl in $YNL_DIR (scripts/ynl-gen.sh extracts it)"
/usr/bin/python3 -c 'import yaml' 2>/dev/null || skip_all "needs python3-yaml"

ns=sipcode-peers-$$
cleanup_extra() { ip netns del "$ns" 2>/dev/null; }
# ynl_open NS: one tests/ynlcalls.py in NS for all the requests made there
# (a python start a request took most of this test's time in a guest),
# fed through two FIFOs; closed by ynl_close.
declare -A yin yout ypid
ynl_open() {
	local f=$tmp/ynl-$1 i o
	mkfifo "$f.in" "$f.out" || return 1
	ip netns exec "$1" /usr/bin/python3 "$top/tests/ynlcalls.py" "$YNL_DIR" \
		"$top/Documentation/netlink/specs/sipcode.yaml" <"$f.in" >"$f.out" &
	ypid[$1]=$!
	bg_add "${ypid[$1]}"
	exec {i}>"$f.in" {o}<"$f.out"
	yin[$1]=$i yout[$1]=$o
}
ynl_close() {
	local i=${yin[$1]} o=${yout[$1]}

	exec {i}>&- {o}<&-
	wait "${ypid[$1]}"
	bg_del "${ypid[$1]}"
}
# ask NS < REQUESTS: one JSON line a request (tests/ynlcalls.py); nothing
# more once the process is gone or silent for 5 minutes.
ask() {
	local l a
	while IFS= read -r l; do
		[ -n "$l" ] || continue
		echo "$l" >&"${yin[$1]}" || return 1
		IFS= read -r -t 300 a <&"${yout[$1]}" || return 1
		printf '%s\n' "$a"
	done
}
# calls [SETPRIV...] < REQUESTS: the same from a process of its own (as
# another user).
calls() {
	[ $# -gt 0 ] || { ask "$ns"; return; }
	ip netns exec "$ns" "$@" /usr/bin/python3 "$top/tests/ynlcalls.py" \
		"$YNL_DIR" "$top/Documentation/netlink/specs/sipcode.yaml"
}
# one OP [JSON]: the answer of one do request (the JSON made one line).
# yns: the namespace whose tests/ynlcalls.py one and peers ask: ns, then fw.
yns=$ns
one() { echo "do $1 ${2//$'\n'/ }" | ask "$yns"; }
# peers: the peers as one line, "NAME:PREFIX,PREFIX NAME:..." (the nests
# of a peer split over messages joined).
peers() {
	echo "dump peer-get" | ask "$yns" | jq -r '[.reply[].peer[]?] |
		reduce .[] as $p ([]; if length > 0 and .[-1].name == $p.name
			then .[-1].prefix += ($p.prefix // []) else . + [$p] end) |
		map(.name + ":" + ([.prefix[] | "\(.addr)/\(.len)"] | join(","))) |
		join(" ")'
}
# err ANSWER: "errno message" of a refused request, or "ok" (no jq: a
# process start costs a second in a loaded debug guest). The messages
# checked have no character that JSON escapes.
err() {
	local re='^\{"errno": ([0-9]+), "msg": "(.*)"\}$'

	if [[ $1 =~ $re ]]; then
		echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
	elif [[ $1 == '{"reply": '* ]]; then
		echo ok
	else
		echo "no answer: $1"
	fi
}
# pfx ADDR-HEX LEN: a prefix nest.
pfx() { printf '{"addr": "%s", "len": %s}' "$1" "$2"; }
peer() {
	local name=$1 p=
	shift
	while [ $# -gt 1 ]; do p="$p${p:+, }$(pfx "$1" "$2")"; shift 2; done
	printf '{"peer": {"name": "%s", "prefix": [%s]}}' "$name" "$p"
}

load_module
check "insmod" "$?" 0
ip netns add "$ns" || skip_all "cannot add a namespace"
ynl_open "$ns" || skip_all "cannot start tests/ynlcalls.py"

# Addresses in hex: 192.0.2.0 c0000200, 198.51.100.0 c6336400,
# 2001:db8:a:: 20010db8000a00000000000000000000.
A4=c0000200 B4=c6336400 A6=20010db8000a00000000000000000000

# --- add, read, delete ------------------------------------------------------
check "peer-get: none in a new namespace" "$(peers)" ""
check "peer-add: a peer of an IPv6 and an IPv4 prefix" \
	"$(err "$(one peer-add "$(peer CARRIER-A $A6 48 $A4 24)")")" ok
check "peer-add: another, nested in the first's IPv4 prefix" \
	"$(err "$(one peer-add "$(peer carrier_b c0000280 25 $B4 24)")")" ok
check "peer-get: by name (case counts), prefixes IPv4 then IPv6, by address" \
	"$(peers)" "CARRIER-A:$A4/24,$A6/48 carrier_b:c0000280/25,$B4/24"
check "peer-add: the name taken" \
	"$(err "$(one peer-add "$(peer CARRIER-A c0000000 8)")")" \
	"17 a peer has this name"
check "peer-add: a prefix that is another peer's (same address and length)" \
	"$(err "$(one peer-add "$(peer C 10000000 8 $A4 24)")")" \
	"17 a prefix (address and length) is given twice, to one peer or two"
check "peer-add: the same prefix twice in one peer" \
	"$(err "$(one peer-add "$(peer C 10000000 8 10000000 8)")")" \
	"17 a prefix (address and length) is given twice, to one peer or two"
check "... and nothing changed" \
	"$(peers)" "CARRIER-A:$A4/24,$A6/48 carrier_b:c0000280/25,$B4/24"

# --- what is refused, and why ---------------------------------------------------
# The policy's own refusals are checked by their errno alone.
while IFS='|' read -r name req want; do
	got=$(err "$(one peer-add "$req")")
	[ "${want% }" = "$want" ] || got="${got%% *} "
	check "peer-add refused: $name" "$got" "$want"
done <<EOF2
bits past the length|$(peer C c0000201 24)|22 the address has bits set past the prefix length
bits past the length (IPv6)|$(peer C 20010db8000000000000000000000001 64)|22 the address has bits set past the prefix length
an address of 5 bytes|$(peer C c000020000 24)|22 an address is 4 bytes (IPv4) or 16 (IPv6)
an address of 3 bytes|$(peer C c00002 24)|22 
an IPv4 length of 33|$(peer C c0000200 33)|22 the length is longer than the address
a length of 129|$(peer C $A6 129)|34 
no prefix|{"peer": {"name": "C"}}|22 a peer needs a prefix at least
no name|{"peer": {"prefix": [$(pfx $A4 24)]}}|22 the peer's name is missing
no length|{"peer": {"name": "C", "prefix": [{"addr": "$A4"}]}}|22 a prefix needs its address and its length
a name with a space|$(peer "a b" 10000000 8)|22 a peer's name is letters, digits and -_.:@
an empty name|$(peer "" 10000000 8)|22 a peer's name is letters, digits and -_.:@
a name of 32 bytes|$(peer abcdefghijabcdefghijabcdefghij12 10000000 8)|22 
no peer|{}|22 the peer is missing
EOF2
check "peer-del: no such peer" \
	"$(err "$(one peer-del '{"peer": {"name": "nobody"}}')")" \
	"2 no peer with this name"
check "peer-del: a prefix with the name" \
	"$(err "$(one peer-del "$(peer CARRIER-A $A4 24)")")" \
	"22 a peer to delete is given by its name only"
check "... and nothing changed" \
	"$(peers)" "CARRIER-A:$A4/24,$A6/48 carrier_b:c0000280/25,$B4/24"
check "peer-del: a peer" \
	"$(err "$(one peer-del '{"peer": {"name": "carrier_b"}}')")" ok
check "... its prefixes go with it" "$(peers)" "CARRIER-A:$A4/24,$A6/48"
check "peer-add: its prefix is free again" \
	"$(err "$(one peer-add "$(peer B c0000280 25)")")" ok
check "peer-flush" "$(err "$(one peer-flush)")" ok
check "... no peer" "$(peers)" ""
check "peer-del: after the flush" \
	"$(err "$(one peer-del '{"peer": {"name": "B"}}')")" \
	"2 no peer with this name"

# --- bounds ---------------------------------------------------------------------
# 1,000 prefixes in one peer: 500 /24s of 10.0.0.0/8, 500 /48s of
# 2001:db8::/32; read back whole, over several messages.
python3 - >"$tmp/big" <<'EOF2'
p = []
for i in range(500):
    p.append({"addr": "0a%04x00" % i, "len": 24})
    p.append({"addr": "20010db8%04x" % i + "00" * 10, "len": 48})
print("do peer-add " + '{"peer": {"name": "BIG", "prefix": %s}}' %
      str(p).replace("'", '"'))
print("dump peer-get")
EOF2
out=$(calls <"$tmp/big")
check "peer-add: 1,000 prefixes" "$(head -1 <<<"$out" | jq -c .reply)" null
check "peer-get: the 1,000, sorted" \
	"$(tail -1 <<<"$out" | jq -c '[([.reply[].peer[].prefix[]] | length),
		([.reply[].peer[].name] | unique),
		([.reply[].peer[].prefix[] | .addr + "/" + (.len | tostring)] |
			. == sort_by([length, .]))]')" \
	'[1000,["BIG"],true]'
check "peer-flush" "$(err "$(one peer-flush)")" ok

# peers-max: 256 peers of a /32 each, then one more.
python3 - >"$tmp/many" <<'EOF2'
for i in range(257):
    print('do peer-add {"peer": {"name": "p%03d", "prefix": '
          '[{"addr": "0a00%02x%02x", "len": 32}]}}' % (i, i // 256, i % 256))
EOF2
out=$(calls <"$tmp/many")
check "peers-max: 256 peers added" \
	"$(head -256 <<<"$out" | jq -r 'if .errno then "refused" else "ok" end' |
		sort | uniq -c | tr -s ' ')" " 256 ok"
check "peers-max: the 257th refused" "$(err "$(tail -1 <<<"$out")")" \
	"28 too many peers (peers-max)"
check "... the 256 read back" \
	"$(echo "dump peer-get" | calls | jq '[.reply[].peer[].name] | unique | length')" 256
one peer-flush >/dev/null

# peer-prefixes-max: 4,096 prefixes in two peers (a nest holds 64 KiB:
# about 3,200 IPv4 prefixes), then one more; read back over several
# messages, each peer's nests joined.
python3 - >"$tmp/prefixes" <<'EOF2'
p = ['{"addr": "0a%04x00", "len": 24}' % i for i in range(4097)]
print('do peer-add {"peer": {"name": "A", "prefix": [%s]}}' % ", ".join(p[:2048]))
print('do peer-add {"peer": {"name": "B", "prefix": [%s]}}' % ", ".join(p[2048:4096]))
print('do peer-add {"peer": {"name": "C", "prefix": [%s]}}' % p[4096])
print('dump peer-get')
EOF2
out=$(calls <"$tmp/prefixes")
check "peer-prefixes-max: 4,096 added" \
	"$(err "$(sed -n 1p <<<"$out")") $(err "$(sed -n 2p <<<"$out")")" "ok ok"
check "peer-prefixes-max: one more in another peer refused" \
	"$(err "$(sed -n 3p <<<"$out")")" "28 too many prefixes (peer-prefixes-max)"
check "peer-get: the 4,096 over several messages, a peer split between two" \
	"$(sed -n 4p <<<"$out" | jq -c '[(.reply | length > 2),
		([.reply[].peer[].prefix[]] | length),
		([.reply[].peer[].name] | unique),
		([.reply[].peer[].name] | length > 2)]')" '[true,4096,["A","B"],true]'
check "... joined, each peer's prefixes in order" \
	"$(echo "dump peer-get" | calls | jq -r '[.reply[].peer[]?] | group_by(.name) |
		map(.[0].name + ":" + ([.[].prefix[]] | length | tostring) + ":" +
			(([.[].prefix[].addr]) as $a | ($a == ($a | sort)) | tostring)) |
		join(" ")')" "A:2048:true B:2048:true"
one peer-flush >/dev/null

# peer-nodes-max: IPv6 host routes, their first byte i % 256 and their
# second i / 256, take the 256 nodes below the root and 14 more each: 540
# take 2 + 256 + 540 x 14 = 7,818 nodes of 8,192; 600 take 8,658.
python3 - >"$tmp/nodes" <<'EOF2'
def hosts(n):
    return ", ".join('{"addr": "%02x%02x%s", "len": 128}' % (i % 256, i // 256, "00" * 14)
                     for i in range(n))
print('do peer-add {"peer": {"name": "H", "prefix": [%s]}}' % hosts(600))
print('do peer-add {"peer": {"name": "H", "prefix": [%s]}}' % hosts(540))
EOF2
out=$(calls <"$tmp/nodes")
check "peer-nodes-max: 600 far IPv6 hosts refused" \
	"$(err "$(sed -n 1p <<<"$out")")" \
	"28 the prefixes would take too many nodes (peer-nodes-max)"
check "peer-nodes-max: 540 added" "$(err "$(sed -n 2p <<<"$out")")" ok
one peer-flush >/dev/null

# --- config-replace: the peers with the rest, all or nothing ---------------------
one peer-add "$(peer OLD $A4 24)" >/dev/null
one rule-add '{"rule": {"code": 503, "action": 2}}' >/dev/null
check "config-replace: new peers, ports and rules" \
	"$(err "$(one config-replace "{\"ports\": {\"port\": [5070]},
		\"rule\": [{\"code\": 486, \"action\": 2}],
		\"peer\": [$(peer X $B4 24 | jq -c .peer),
			   $(peer Y $A6 48 | jq -c .peer)]}")")" ok
check "... the peers replaced" "$(peers)" "X:$B4/24 Y:$A6/48"
check "config-replace: a peer with bits past its length refused" \
	"$(err "$(one config-replace "{\"ports\": {\"port\": [5060]},
		\"peer\": [$(peer Z $A4 24 | jq -c .peer),
			   $(peer W c0000201 24 | jq -c .peer)]}")")" \
	"22 the address has bits set past the prefix length"
check "config-replace: two peers of one name refused" \
	"$(err "$(one config-replace "{\"ports\": {\"port\": [5060]},
		\"peer\": [$(peer Z $A4 24 | jq -c .peer),
			   $(peer Z $B4 24 | jq -c .peer)]}")")" \
	"17 a peer has this name"
check "config-replace: a prefix in two peers refused" \
	"$(err "$(one config-replace "{\"ports\": {\"port\": [5060]},
		\"peer\": [$(peer Z $A4 24 | jq -c .peer),
			   $(peer W $A4 24 | jq -c .peer)]}")")" \
	"17 a prefix (address and length) is given twice, to one peer or two"
check "... nothing changed: the peers, ports and rules of before" \
	"$(peers) $(ctl $ns ports -j | jq -c .ports) $(ctl $ns rule list -j | jq -c '[.rules[].code]')" \
	"X:$B4/24 Y:$A6/48 [5070] [486]"
check "config-replace: without a peer, no peer" \
	"$(err "$(one config-replace '{"ports": {"port": [5060]}}')")" ok
check "... none" "$(peers)" ""

# --- who may change them ---------------------------------------------------------
one peer-add "$(peer P $A4 24)" >/dev/null
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
out=$({ echo "do peer-add $(peer Q $B4 24)"; echo 'do peer-del {"peer": {"name": "P"}}'
	echo "do peer-flush"; echo "dump peer-get"; } | calls "${nobody[@]}")
check "without CAP_NET_ADMIN: add, del and flush refused, get allowed" \
	"$(jq -r 'if .errno then .errno else (.reply | [.[].peer[].name] | join(",")) end' <<<"$out" |
		tr '\n' ' ')" "1 1 1 P "

# --- sipcodectl ----------------------------------------------------------------
ctl $ns peer flush
ctl $ns peer add CARRIER-A 2001:db8:a::/48 192.0.2.0/24
check "sipcodectl peer add: a peer of two prefixes" "$?" 0
ctl $ns peer add PBX 198.51.100.7
check "sipcodectl peer add: an address alone is a host" "$?" 0
check "sipcodectl peer list: a line a peer, by name, its prefixes in order" \
	"$(ctl $ns peer list)" "CARRIER-A 192.0.2.0/24 2001:db8:a::/48
PBX 198.51.100.7/32"
check "sipcodectl peer -j" "$(ctl $ns peer -j | jq -c .)" \
	'{"peers":[{"name":"CARRIER-A","prefixes":["192.0.2.0/24","2001:db8:a::/48"]},{"name":"PBX","prefixes":["198.51.100.7/32"]}]}'
check "... the same peers as the kernel's dump" "$(peers)" \
	"CARRIER-A:$A4/24,$A6/48 PBX:c6336407/32"
out=$(ctl $ns peer add B 10.0.0.0/8 192.0.2.0/24 2>&1)
check "sipcodectl peer add: a prefix of another peer, one line naming it, exit 1" \
	"$?:$out" "1:sipcodectl: peer add B: prefix 192.0.2.0/24 belongs to peer CARRIER-A"
out=$(ctl $ns peer del NOBODY 2>&1)
check "sipcodectl peer del: no such peer, exit 1" "$?:$out" \
	"1:sipcodectl: peer del NOBODY: no such peer"
out=$(ip netns exec $ns "${nobody[@]}" "$CTL" peer add Q 10.0.0.0/8 2>&1)
check "sipcodectl peer add without CAP_NET_ADMIN: exit 1" "$?" 1
check "... and nothing changed" "$(ctl $ns peer list | cut -d' ' -f1 | tr '\n' ' ')" \
	"CARRIER-A PBX "
ctl $ns peer del PBX
check "sipcodectl peer del" "$?:$(ctl $ns peer list)" \
	"0:CARRIER-A 192.0.2.0/24 2001:db8:a::/48"
ctl $ns peer flush
check "sipcodectl peer flush" "$?:$(ctl $ns peer -j | jq -c .)" '0:{"peers":[]}'

# --- counting: each response under the peer of its address, by direction ----------
# In fw, between cli (10.0.1.2, fd00:1::2) and srv (10.0.2.2, fd00:2::2):
# what srv sends to cli is forwarded, and counted received (in) under the
# peer of srv's address; what fw itself sends is counted sent (out) under
# the peer of the destination's. Read through ynl, apart from sipcodectl.
topo_setup "p$$" || skip_all "cannot build the namespaces"
ip -n $fw route add 10.9.0.0/16 via 10.0.2.2
ynl_close "$ns"
ynl_open "$fw"
yns=$fw
# pstats NS: the peer-stats dump, "NAME:DIR:CODE=N,..." a row (no peer: -).
pstats() {
	echo "dump peer-stats-get" | ask "$1" | jq -r '[.reply[]."peer-stats"[]? |
		"\(.name // "-"):\(.direction):" +
		([.code[]? | "\(.code)=\(.seen)"] | join(","))] | join(" ")'
}
# dirs NS: stats-get's codes, "CODE:IN:OUT" each.
dirs() {
	echo "dump stats-get" | ask "$1" | jq -r '[.reply[].code[]? |
		"\(.code):\(.in):\(.out)"] | join(" ")'
}
# local_send ARGS: fw sends responses itself (no sink: nothing is lost
# before LOCAL_OUT, where they are counted).
local_send() { ip netns exec $fw $GEN send --sport 5060 "$@" >/dev/null; }

check "no peer: srv to cli, forwarded by fw" "$(send "" 10.0.1.2 5060 486*3)" "3 3"
local_send 10.0.1.2 5060 486*2 200*1
check "no peer: fw's stats-get splits each code by direction" \
	"$(dirs $fw)" "200:0:1 486:3:2"
check "no peer: the peer-stats dump is empty" "$(pstats $fw)" ""
ctl $fw stats reset

ctl $fw peer add SRV4 10.0.2.0/24 &&
	ctl $fw peer add SRVHOST 10.0.2.2 &&
	ctl $fw peer add SRV6 fd00:2::/64 &&
	ctl $fw peer add CLI 10.0.1.0/24 fd00:1::/64
check "peers added in fw" "$?" 0
check "IPv4 received: 486, 503 and 499 (no column: its class's) from srv" \
	"$(send "" 10.0.1.2 5060 486*3 503*2 499*1)" "6 6"
check "IPv6 received: 180 from srv" "$(send -6 fd00:1::2 5060 180*2)" "2 2"
local_send 10.0.1.2 5060 200*4
local_send -6 fd00:1::2 5060 603*1
local_send 10.9.0.1 5060 404*2
check "each under its peer and direction: the longest prefix (SRVHOST in SRV4), the classes' counters first, no peer last" \
	"$(pstats $fw)" \
	"CLI:in: CLI:out:200=4,603=1 SRV4:in: SRV4:out: SRV6:in:180=2 SRV6:out: SRVHOST:in:4=1,486=3,503=2 SRVHOST:out: -:in: -:out:404=2"
check "... the same responses as stats-get's, by direction" "$(dirs $fw)" \
	"180:2:0 200:0:4 404:0:2 486:3:0 499:1:0 503:2:0 603:0:1"
check "sipcodectl stats --by-peer -j: the same rows, a class's counter as 4xx" \
	"$(ctl $fw stats --by-peer -j | jq -r '[.peers[] |
		"\(.peer // "-"):\(.direction):" + ([.codes | to_entries |
		sort_by(.key)[] | "\(.key)=\(.value)"] | join(","))] | join(" ")')" \
	"CLI:in: CLI:out:200=4,603=1 SRV4:in: SRV4:out: SRV6:in:180=2 SRV6:out: SRVHOST:in:486=3,4xx=1,503=2 SRVHOST:out: -:in: -:out:404=2"
check "... and stats-get's split: {in: {code: n}, out: {code: n}}" \
	"$(ctl $fw stats --by-peer -j | jq -c '.directions | map_values(with_entries(select(.value > 0)))')" \
	'{"in":{"180":2,"486":3,"499":1,"503":2},"out":{"200":4,"404":2,"603":1}}'
prom=$(ctl $fw stats -o prometheus)
check "... as Prometheus samples: one a counter not zero, no peer without the label" \
	"$(grep -c '^sipcode_peer_responses_total{' <<<"$prom") $(grep -F -e '{peer="SRVHOST",direction="in",code="other",class="4xx"}' -e '{direction="out",code="404"' <<<"$prom")" \
	'7 sipcode_peer_responses_total{peer="SRVHOST",direction="in",code="other",class="4xx"} 1
sipcode_peer_responses_total{direction="out",code="404",class="4xx"} 2'
out=$(ctl $fw stats --by-peer NOBODY 2>&1)
check "sipcodectl stats --by-peer: no such peer, one line, exit 1" "$?:$out" \
	'1:sipcodectl: stats --by-peer: no peer "NOBODY"'

# A monitor's event names the peer: 486s sent until the monitor, once it
# has joined, gets one.
ctl $fw rule add 486 notify >/dev/null
ip netns exec $fw "$CTL" monitor -j -n 1 -t 60 486 >"$tmp/mon" 2>/dev/null &
mpid=$!
bg_add $mpid
for _ in $(seq 100); do
	kill -0 $mpid 2>/dev/null || break
	ip netns exec $srv $GEN send --sport 5060 10.0.1.2 5060 486*1 >/dev/null
	sleep 0.2
done
wait $mpid
check "sipcodectl monitor: the event names the response's peer" \
	"$? $(jq -r '"\(.src) \(.peer)"' "$tmp/mon")" "0 10.0.2.2 SRVHOST"
bg_del $mpid
ctl $fw rule flush

# --- a peer's rules: they beat the rules of every response ---------------------
# rules NS: the rule-get dump, a word a rule, "[PEER/]MATCH:ACTION".
rules() {
	echo "dump rule-get" | ask "$1" | jq -r '[.reply[].rule[]? |
		(if .peer then .peer + "/" else "" end) +
		"\(.code // (if .class then "\(.class)xx" else "\(.low)-\(.high)" end)):\(.action)"] |
		join(" ")'
}
# rule [PEER] MATCH-JSON ACTION [MARK MASK]: a rule nest.
rule() {
	local peer=$1 m=$2 a=$3
	jq -cn --arg p "$peer" --argjson m "$m" --argjson a "$a" \
		--argjson mk "${4:-null}" --argjson ms "${5:-null}" \
		'{rule: ($m + {action: $a} + (if $p != "" then {peer: $p} else {} end) +
			(if $mk then {mark: $mk, mask: $ms} else {} end))}'
}
# Every response: 5xx marked 0x10, 486 dropped. SRVHOST (10.0.2.2): 503
# marked 0x20 (its code rule over the class rule), 480-489 counted only
# (its range over the code rule). SRV6 (fd00:2::/64): 4xx dropped. CLI,
# the destination of what fw sends: 603 dropped.
ok_all=ok
for r in "$(rule "" '{"class": 5}' 3 16 255)" "$(rule "" '{"code": 486}' 2)" \
	"$(rule SRVHOST '{"code": 503}' 3 32 255)" \
	"$(rule SRVHOST '{"low": 480, "high": 489}' 1)" \
	"$(rule SRV6 '{"class": 4}' 2)" "$(rule CLI '{"code": 603}' 2)"; do
	[ "$(err "$(one rule-add "$r")")" = ok ] || ok_all="refused: $r"
done
check "rule-add: rules for every response, and peers' rules" "$ok_all" ok
check "rule-get: every response's rules first, then each peer's, by name" \
	"$(rules $fw)" "486:drop 5xx:mark CLI/603:drop SRV6/4xx:drop SRVHOST/503:mark SRVHOST/480-489:count"
check "rule-add: a peer nobody has" \
	"$(err "$(one rule-add "$(rule NOBODY '{"code": 503}' 2)")")" \
	"2 no peer with this name"
check "rule-add: the peer's match taken" \
	"$(err "$(one rule-add "$(rule SRVHOST '{"code": 503}' 2)")")" \
	"17 a rule with this match exists"
check "rule-add: a peer's name that no peer may have" \
	"$(err "$(one rule-add "$(rule 'a b' '{"code": 503}' 2)")")" \
	"22 a peer's name is letters, digits and -_.:@"
check "peer-del: a peer with rules" \
	"$(err "$(one peer-del '{"peer": {"name": "SRVHOST"}}')")" \
	"16 the peer has rules: delete them first"
check "peer-flush: a peer has rules" "$(err "$(echo "do peer-flush" | ask "$fw")")" \
	"16 a peer has rules: delete them first"
check "... nothing changed" "$(peers | wc -w) $(rules $fw | wc -w)" "4 6"

ip netns exec $fw nft -f - <<'NFT'
table inet sipt {
	chain sipfwd {
		type filter hook forward priority 0;
		udp sport 5060 meta mark 0x10 counter
		udp sport 5060 meta mark 0x20 counter
	}
}
NFT
ctl $fw stats reset
check "from SRVHOST: 503 its mark, 500 every response's, 486 its count over the drop" \
	"$(send "" 10.0.1.2 5060 503*3 500*2 486*2 404*1)" "8 8"
check "... nft sees 2 marked 0x10 and 3 marked 0x20" "$(nft_counts)" "2 3"
check "... fw's verdicts (seen/dropped/marked)" "$(verdicts $fw)" \
	"404:1/0/0 486:2/0/0 500:2/0/2 503:3/0/3"
ctl $fw stats reset
check "from SRV6: 486 and 404 dropped (its class), 503 every response's mark" \
	"$(send -6 fd00:1::2 5060 486*2 404*2 503*1)" "5 1"
check "... fw's verdicts" "$(verdicts $fw)" "404:2/2/0 486:2/2/0 503:1/0/1"
ctl $fw stats reset
# A datagram dropped at LOCAL_OUT fails its send (EPERM): one a send.
for to in 10.0.1.2 10.0.1.2 10.9.0.1; do local_send $to 5060 603*1 2>/dev/null; done
local_send 10.0.1.2 5060 486*1 2>/dev/null
check "sent by fw: 603 to CLI dropped (its rule, by the destination), to no peer not" \
	"$(verdicts $fw)" "486:1/1/0 603:3/2/0"
ip netns exec $fw nft delete table inet sipt

ctl $fw dry-run on
ctl $fw stats reset
check "dry-run: a peer's drop counted, not done" \
	"$(send -6 fd00:1::2 5060 404*2) $(verdicts $fw)" "2 2 404:2/2/0"
ctl $fw dry-run off

check "rule-del: a peer's rule by its match and peer" \
	"$(err "$(one rule-del "$(rule SRVHOST '{"code": 503}' 1 | jq -c 'del(.rule.action)')")")" ok
check "rule-del: the same match of every response is another rule" \
	"$(err "$(one rule-del "$(rule "" '{"code": 503}' 1 | jq -c 'del(.rule.action)')")")" \
	"2 no rule with this match"
ctl $fw stats reset
check "... SRVHOST's 503 gets every response's rule now" \
	"$(send "" 10.0.1.2 5060 503*1 486*1) $(verdicts $fw)" "2 2 486:1/0/0 503:1/0/1"
one rule-del "$(rule SRVHOST '{"low": 480, "high": 489}' 1 | jq -c 'del(.rule.action)')" >/dev/null
check "SRVHOST's last rule deleted: the peer can go" \
	"$(rules $fw) $(err "$(one peer-del '{"peer": {"name": "SRVHOST"}}')")" \
	"486:drop 5xx:mark CLI/603:drop SRV6/4xx:drop ok"
one peer-add "$(peer SRVHOST 0a000202 32)" >/dev/null

# rule-peers-max peers with rules, then one more.
# (The requests written with printf: a jq a request took a minute.)
for i in $(seq 1 64); do
	printf 'do peer-add {"peer": {"name": "R%d", "prefix": [{"addr": "0b00%02x00", "len": 24}]}}\n' $i $i
done | ask "$fw" | grep -vc '"errno"' >"$tmp/n"
for i in $(seq 1 62); do
	printf 'do rule-add {"rule": {"code": 500, "action": 2, "peer": "R%d"}}\n' $i
done | ask "$fw" >"$tmp/out"
check "64 peers with rules (2 before, 62 more), and no more: rule-peers-max" \
	"$(cat "$tmp/n") $(grep -vc '"errno"' "$tmp/out") $(err "$(one rule-add "$(rule R63 '{"code": 500}' 2)")") $(err "$(one rule-add "$(rule R1 '{"code": 501}' 2)")")" \
	"64 62 28 too many peers with rules (rule-peers-max) ok"
ctl $fw rule flush
check "rule flush: every rule, the peers' too" "$(rules $fw)" ""
for i in $(seq 1 64); do echo "do peer-del {\"peer\": {\"name\": \"R$i\"}}"; done |
	ask "$fw" >/dev/null

# config-replace: a rule's peer is one of the request's.
check "config-replace: a rule of a peer of the request" \
	"$(err "$(one config-replace "{\"ports\": {\"port\": [5060]},
		\"rule\": [$(rule P '{"code": 503}' 2 | jq -c .rule)],
		\"peer\": [$(peer P 0a000200 24 | jq -c .peer)]}")") $(rules $fw)" "ok P/503:drop"
check "config-replace: a rule of a peer the request has not: refused, nothing changed" \
	"$(err "$(one config-replace "{\"ports\": {\"port\": [5060]},
		\"rule\": [$(rule Q '{"code": 503}' 2 | jq -c .rule)],
		\"peer\": [$(peer P 0a000200 24 | jq -c .peer)]}")") $(rules $fw) $(peers)" \
	"2 no peer with this name P/503:drop P:0a000200/24"
ctl $fw stats reset
check "... and P's rule drops what srv sends" \
	"$(send "" 10.0.1.2 5060 503*2) $(verdicts $fw)" "2 0 503:2/2/0"
one config-replace "{\"ports\": {\"port\": [5060]},
	\"peer\": [$(peer SRV4 0a000200 24 | jq -c .peer), $(peer SRVHOST 0a000202 32 | jq -c .peer),
		$(peer SRV6 fd000002000000000000000000000000 64 | jq -c .peer),
		$(peer CLI 0a000100 24 fd000001000000000000000000000000 64 | jq -c .peer)]}" >/dev/null
ctl $fw stats reset

# --- transactions by peer: who answered, who asked ------------------------------
# With the table on: an INVITE from cli to srv and srv's 486, forwarded
# by fw, count under both ends (SRVHOST answered, CLI asked); an INVITE
# fw sends to srv from 10.0.2.1 and srv's 486 to it count under SRVHOST
# only, though fw's address lies in SRV4's prefix: a message is never
# counted under the host's own address.
# ptxn: the rows of peer-stats-get with transactions,
# "NAME:DIR:METHOD=TRACKED[:CODE=N,...]".
ptxn() {
	echo "dump peer-stats-get" | ask "$fw" | jq -r '[.reply[]."peer-stats"[]? |
		select(."txn-method") | ."txn-method" as $t |
		"\(.name):\(.direction):\($t.method)=\($t.tracked)" +
		(if $t.final then ":" + ([$t.final[] | "\(.code)=\(.seen)"] | join(",")) else "" end)] |
		join(" ")'
}
invite() { # FROM CALL-ID
	printf 'line:INVITE sip:x@10.0.2.2 SIP/2.0\\r\\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bK-%s\\r\\nFrom: <sip:a@%s>;tag=1\\r\\nTo: <sip:x@10.0.2.2>\\r\\nCall-ID: %s\\r\\nCSeq: 1 INVITE\\r\\nContent-Length: 0\\r\\n\\r\\n*1' "$1" "$2" "$1" "$2"
}
busy() { # FROM CALL-ID
	printf 'line:SIP/2.0 486 Busy Here\\r\\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bK-%s\\r\\nFrom: <sip:a@%s>;tag=1\\r\\nTo: <sip:x@10.0.2.2>;tag=2\\r\\nCall-ID: %s\\r\\nCSeq: 1 INVITE\\r\\nContent-Length: 0\\r\\n\\r\\n*1' "$1" "$2" "$1" "$2"
}
ctl $fw config transactions on
check "transactions on: no peer has a transaction" "$?:$(ptxn)" "0:"
ip netns exec $cli $GEN send --sport 5060 10.0.2.2 5060 "$(invite 10.0.1.2 fwd1)" >/dev/null &&
	ip netns exec $srv $GEN send --sport 5060 10.0.1.2 5060 "$(busy 10.0.1.2 fwd1)" >/dev/null &&
	local_send 10.0.2.2 5060 "$(invite 10.0.2.1 loc1)" &&
	ip netns exec $srv $GEN send --sport 5060 10.0.2.1 5060 "$(busy 10.0.2.1 loc1)" >/dev/null
check "two INVITEs and their 486s sent" "$?" 0
check_wait "... both transactions answered: two first finals 486" 30 eval \
	'[ "$(ctl $fw stats --kpi -j | jq ".invite.finals.\"486\"")" = 2 ]'
check "forwarded: SRVHOST answered, CLI asked; sent by fw: SRVHOST answered; SRV4 (fw's address) nothing" \
	"$(ptxn)" "CLI:out:invite=1:486=1 SRVHOST:in:invite=2:486=2"
ctl $fw stats reset
check "stats reset: the transactions by peer too" "$(ptxn)" ""
ctl $fw config transactions off

ctl $fw peer del SRVHOST
send "" 10.0.1.2 5060 486*1 >/dev/null
check "SRVHOST deleted: its counters go with it, SRV4 holds srv now" \
	"$(pstats $fw | tr ' ' '\n' | grep -E '^SRV(4|HOST):in')" "SRV4:in:486=1"
ctl $fw peer add SRVHOST 10.0.2.2
check "SRVHOST added again: its counters start at zero" \
	"$(pstats $fw | tr ' ' '\n' | grep '^SRVHOST:in')" "SRVHOST:in:"
ctl $fw stats reset
check "stats reset: every peer's counters, and no peer's, zero" \
	"$(pstats $fw | tr ' ' '\n' | grep -c '=')" 0
ctl $fw peer flush
check "peers flushed: the dump is empty" "$(pstats $fw)" ""
check "... and responses count by direction still" \
	"$(send "" 10.0.1.2 5060 486*1) $(dirs $fw)" "1 1 486:1:0"

ynl_close "$fw"
test_unload
finish
