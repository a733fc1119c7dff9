#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipcode selftest: a proxy between a PBX and two carriers, sipcode
# counting by peer in the proxy's namespace. Four namespaces of its own:
#
#   ca (carrier A)          px (the proxy)                 pbx (the PBX)
#   10.0.1.2   veth0 --- veth1 10.0.1.1 | 10.0.3.1 veth3 --- veth0 10.0.3.2
#   fd00:1::2                 fd00:1::1 | fd00:3::1              fd00:3::2
#                                       |
#   cb (carrier B)             veth2 10.0.2.1, fd00:2::1
#   10.0.2.3 (its trunk),       |
#   10.0.2.2 (its edge trunk),  |
#   fd00:2::2  veth0 -----------+
#
# px does not forward: kamailio, a stateful proxy (tm, record-routing),
# listens on its six addresses and relays every call of the PBX by the
# Request-URI's user: 1... to carrier A, 2... to carrier B (over IPv6 to
# fd00:2::2; over IPv4 22... to the edge trunk 10.0.2.2, any other to
# 10.0.2.3), on the address family it came on. sipp plays the PBX
# (tests/sipp/carriers-uac-a.xml, carriers-uac-b.xml) and the carriers
# (carriers-uas-a.xml: 100, 180, 200, then the callee hangs up;
# carriers-uas-b.xml: 100, 180, then 486, 503, 302 or 200 and the caller
# hangs up), UDP, nothing sent twice (-nr; kamailio's T1 is 20 s). In px,
# sipcodectl has the peers CARRIER-A 10.0.1.0/24 fd00:1::/64, CARRIER-B
# 10.0.2.0/24 fd00:2::/64, CARRIER-B-EDGE 10.0.2.2/32 (inside
# CARRIER-B's /24: the longest prefix holds the edge trunk) and PBX
# 10.0.3.0/24 fd00:3::/64, and transactions on. The four UACs run at
# once. Checks, after the calls (tshark reads the capture meanwhile):
#
#   by peer: stats --by-peer -j equals what the calls made (the numbers
#      below): every response under the peer of its address, the edge
#      trunk's under its /32, none under no peer;
#   kpi: stats --kpi -j: INVITE transactions, their first finals by
#      code, and SER, SEER, ISA, IRA and ASR, computed by hand (see
#      there); stats --delays -j: the INVITE and BYE transactions, none
#      sent again, no response unmatched;
#   kpi by peer: stats --kpi PEER -j for each peer: its INVITE and BYE
#      transactions in each direction (in: those it answered; out: those
#      it asked), their first finals by code, and the ratios of carrier B
#      (in) and of the PBX (out), computed by hand;
#   exporter: its samples (--textfile) by peer, of the first finals, and
#      of the transactions by peer and their first finals equal the JSON;
#   by peer, tshark: the same rows equal tshark's count of a capture on
#      all of px's interfaces (-i any, each packet seen once: px forwards
#      nothing), split by peer in Python (ipaddress, longest prefix): a
#      response px received (the capture's packet type "host") under the
#      peer of its source, in; one it sent ("outgoing") under the peer of
#      its destination, out. Also the codes by direction.
#
# Kamailio relays a carrier's 503 upstream as 500 (RFC 3261 16.7 point 6,
# tm's remap_503_500, on by default), absorbs the carriers' 100s and
# sends its own 100 to the PBX; all are counted as such.
#
# Needs root, kamailio, sipp, tshark and tcpdump. Loads the module from
# $KO. Exits 4 (skip) when a requirement is missing, or the module has no
# peers or no transactions. TAP output.

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"
SIPP=$top/tests/sipp

# The calls. Carrier A answers every call 200 (then hangs up): A4 over
# IPv4, A6 over IPv6. Carrier B, over IPv4 on its trunk 10.0.2.3:
# B4_BUSY 486, B4_MOVED 302, B4_OK 200; on its edge trunk 10.0.2.2:
# EDGE_DOWN 503, EDGE_OK 200; over IPv6 (fd00:2::2): B6_BUSY 486,
# B6_DOWN 503, B6_OK 200. The PBX hangs up B's answered calls.
A4=10 A6=6
B4_BUSY=4 B4_MOVED=1 B4_OK=7
EDGE_DOWN=3 EDGE_OK=5
B6_BUSY=1 B6_DOWN=1 B6_OK=3
NA=$((A4 + A6))
NB4=$((B4_BUSY + B4_MOVED + B4_OK))
NEDGE=$((EDGE_DOWN + EDGE_OK))
NB6=$((B6_BUSY + B6_DOWN + B6_OK))
CALLS=$((NA + NB4 + NEDGE + NB6))
OKB=$((B4_OK + EDGE_OK + B6_OK))
OK=$((NA + OKB))
BUSY=$((B4_BUSY + B6_BUSY))
DOWN=$((EDGE_DOWN + B6_DOWN))
MOVED=$B4_MOVED

# The peers of px, "NAME PREFIX..." each, as sipcodectl and the count of
# the capture take them.
PEERS=("CARRIER-A 10.0.1.0/24 fd00:1::/64"
	"CARRIER-B 10.0.2.0/24 fd00:2::/64"
	"CARRIER-B-EDGE 10.0.2.2/32"
	"PBX 10.0.3.0/24 fd00:3::/64")

px=sipcode-px-$$
ca=sipcode-ca-$$
cb=sipcode-cb-$$
pbx=sipcode-pbx-$$
cleanup_extra() {
	local ns

	for ns in $px $ca $cb $pbx; do ip netns del "$ns" 2>/dev/null; done
}
test_init
require kamailio sipp tshark tcpdump ss
start=$SECONDS
timing_start
load_module
check "insmod" "$?" 0
cd "$tmp" || exit 1

# --- the namespaces -------------------------------------------------------------
# link N NS: px's vethN to NS's veth0, 10.0.N.0/24 and fd00:N::/64, px
# at .1 / ::1, NS at .2 / ::2, NS's default routes through px.
link() {
	ip -n $px link add "veth$1" type veth peer name veth0 netns "$2" &&
	ip -n $px addr add "10.0.$1.1/24" dev "veth$1" &&
	ip -n $px addr add "fd00:$1::1/64" dev "veth$1" nodad &&
	ip -n "$2" addr add "10.0.$1.2/24" dev veth0 &&
	ip -n "$2" addr add "fd00:$1::2/64" dev veth0 nodad &&
	ip -n $px link set "veth$1" up &&
	ip -n "$2" link set veth0 up &&
	ip -n "$2" route add default via "10.0.$1.1" &&
	ip -n "$2" -6 route add default via "fd00:$1::1"
}
topo() {
	local ns

	for ns in $px $ca $cb $pbx; do
		ip netns add "$ns" && ip -n "$ns" link set lo up || return 1
	done
	link 1 $ca && link 2 $cb && link 3 $pbx &&
		ip -n $cb addr add 10.0.2.3/24 dev veth0
}
topo || skip_all "cannot build the namespaces"

# --- kamailio, the carriers, the capture -------------------------------------------
# Started first (none sends anything before the calls), while px is
# configured.
#
# A stateful proxy. A new INVITE is record-routed and relayed by its
# user (see the top); a request in a dialog follows its Route (the ACK
# of a 200, the BYEs); the ACK of another final is tm's, absorbed. T1 of
# 20 s, sipp's receive timeout: nothing is sent twice. In the debug
# kernel beside make check's hardening guest, the 41 calls took 47 s and
# a PBX's ACK came more than 5 s after its 486: with T1 at 5 s, kamailio
# sent three 486s again.
mkdir -p krun
cat >kamailio.cfg <<'EOF'
#!KAMAILIO
debug=0
log_stderror=yes
children=1
listen=udp:10.0.1.1:5060
listen=udp:10.0.2.1:5060
listen=udp:10.0.3.1:5060
listen=udp:[fd00:1::1]:5060
listen=udp:[fd00:2::1]:5060
listen=udp:[fd00:3::1]:5060
mhomed=1
auto_aliases=no
dns=no
rev_dns=no
use_dns_cache=no
enable_sctp=no
disable_tcp=yes

loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "siputils.so"
modparam("tm", "retr_timer1", 20000)
modparam("tm", "retr_timer2", 40000)

request_route {
	if (has_totag()) {
		if (loose_route()) {
			t_relay();
			exit;
		}
		if (method == "ACK") {
			if (t_check_trans())
				t_relay();
			exit;
		}
		sl_send_reply("404", "Not Here");
		exit;
	}
	if (method == "CANCEL") {
		if (t_check_trans())
			t_relay();
		exit;
	}
	if (t_check_trans())
		exit;
	record_route();
	if ($rU =~ "^1") {
		if (af == INET6)
			$du = "sip:[fd00:1::2]:5060";
		else
			$du = "sip:10.0.1.2:5060";
	} else if ($rU =~ "^2") {
		if (af == INET6)
			$du = "sip:[fd00:2::2]:5060";
		else if ($rU =~ "^22")
			$du = "sip:10.0.2.2:5060";
		else
			$du = "sip:10.0.2.3:5060";
	} else {
		sl_send_reply("404", "No Route");
		exit;
	}
	t_relay();
}
EOF
ip netns exec $px kamailio -f kamailio.cfg -DD -E -Y "$tmp/krun" -P "$tmp/kamailio.pid" \
	-m 32 -M 8 >kamailio.log 2>&1 &
bg_add $!
# uas NS XML ADDR: sipp answering on ADDR:5060 until killed.
uas() {
	ip netns exec "$1" sipp -sf "$SIPP/$2" -i "$3" -p 5060 -nr -nostdin \
		-trace_err -error_file "uas-$3.err" >"uas-$3.log" 2>&1 &
	bg_add $!
}
uas $ca carriers-uas-a.xml 10.0.1.2
uas $ca carriers-uas-a.xml fd00:1::2
uas $cb carriers-uas-b.xml 10.0.2.3
uas $cb carriers-uas-b.xml 10.0.2.2
uas $cb carriers-uas-b.xml fd00:2::2
# The capture: every SIP datagram of px, on all its interfaces. A small
# snapshot length: with --immediate-mode, libpcap's ring has a frame of
# the snapshot length a packet, and -s 0 (256 KiB) leaves 32 of them in
# 8 MiB, which a loaded guest overran (20 of 534 lost).
ip netns exec $px tcpdump -i any -w cap.pcap -U --immediate-mode -B 16384 -s 2048 \
	'udp port 5060' >tcpdump.log 2>&1 &
cap_pid=$!
bg_add $cap_pid

# --- px: peers, transactions ---------------------------------------------------------
# no_feature WHY: unloads the module and skips.
no_feature() {
	cleanup
	trap - EXIT
	rmmod sipcode
	skip_all "$1"
}
ctl $px config transactions on 2>/dev/null || no_feature "no transactions in this module"
ctl $px stats --by-peer -j >/dev/null 2>&1 ||
	no_feature "no counters by peer in this module or sipcodectl"
nbad=0
for p in "${PEERS[@]}"; do
	# shellcheck disable=SC2086 # a name and its prefixes
	ctl $px peer add $p || nbad=$((nbad + 1))
done
check "px: peers added, transactions on" \
	"$nbad $(ctl $px peer list | tr '\n' '|')" \
	"0 CARRIER-A 10.0.1.0/24 fd00:1::/64|CARRIER-B 10.0.2.0/24 fd00:2::/64|CARRIER-B-EDGE 10.0.2.2/32|PBX 10.0.3.0/24 fd00:3::/64|"

# listening NS ADDR:PORT...: all of them UDP sockets bound in NS.
listening() {
	local ns=$1 a

	shift
	ip netns exec "$ns" ss -Huln >"listen-$ns"
	for a; do grep -qF " $a " "listen-$ns" || return 1; done
}
# shellcheck disable=SC2016 # eval'd
check_wait "kamailio and the carriers' UASs listen" 120 eval \
	'listening $px 10.0.1.1:5060 10.0.2.1:5060 10.0.3.1:5060 \
		[fd00:1::1]:5060 [fd00:2::1]:5060 [fd00:3::1]:5060 &&
	 listening $ca 10.0.1.2:5060 [fd00:1::2]:5060 &&
	 listening $cb 10.0.2.2:5060 10.0.2.3:5060 [fd00:2::2]:5060'
check_wait "tcpdump captures in px" 60 grep -q "listening on" tcpdump.log
timing "setup: module, namespaces, kamailio, the carriers, peers"

# --- the calls ---------------------------------------------------------------------------
# users FILE USER:N...: an injection file of N lines USER each.
users() {
	local f=$1 u

	shift
	echo SEQUENTIAL >"$f"
	for u; do for _ in $(seq "${u#*:}"); do echo "${u%:*}" >>"$f"; done; done
}
{ echo SEQUENTIAL; seq 1001 $((1000 + NA)); } >a.csv
users b4.csv 21busy:$B4_BUSY 21moved:$B4_MOVED 21ok:$B4_OK 22down:$EDGE_DOWN 22ok:$EDGE_OK
users b6.csv 2busy:$B6_BUSY 2down:$B6_DOWN 2ok:$B6_OK
# uac XML INF ADDR PORT PROXY N: N calls of the PBX from ADDR:PORT to the
# proxy, 50 a second, users from INF in order; in the background, its
# pid in uac_pid[PORT]. The four at once: their own media ports.
declare -A uac_pid
uac() {
	local xml=$1 inf=$2 addr=$3 port=$4 proxy=$5 n=$6

	ip netns exec $pbx sipp -sf "$SIPP/$xml" -inf "$inf" -i "$addr" -p "$port" \
		-mp $((6000 + 10 * (port - 5070))) "$proxy" -m "$n" -r 50 -l "$n" -nr \
		-nostdin -timeout 120s -recv_timeout 20000 -trace_err \
		-error_file "uac-$port.err" >"uac-$port.log" 2>&1 &
	uac_pid[$port]=$!
	bg_add $!
}
# uac_wait PORT NAME N: its end, checked.
uac_wait() {
	local rc

	wait "${uac_pid[$1]}"
	rc=$?
	bg_del "${uac_pid[$1]}"
	check "$2: sipp's $3 calls all end as the scenario says (exit 0)" "$rc" 0
	if [ "$rc" != 0 ]; then
		grep -E 'Successful call|Failed call' "uac-$1.log" | sed 's/^/# sipp: /'
		grep -v '^$' "uac-$1.err" | head -n 5 | sed 's/^/# sipp: /'
		tail -n 5 kamailio.log | sed 's/^/# kamailio: /'
	fi
}
uac carriers-uac-a.xml a.csv 10.0.3.2 5071 10.0.3.1:5060 $A4
uac carriers-uac-a.xml a.csv fd00:3::2 5072 "[fd00:3::1]:5060" $A6
uac carriers-uac-b.xml b6.csv fd00:3::2 5073 "[fd00:3::1]:5060" $NB6
uac carriers-uac-b.xml b4.csv 10.0.3.2 5074 10.0.3.1:5060 $((NB4 + NEDGE))
uac_wait 5071 "IPv4 to carrier A" $A4
uac_wait 5072 "IPv6 to carrier A" $A6
uac_wait 5073 "IPv6 to carrier B" $NB6
uac_wait 5074 "IPv4 to carrier B (trunk and edge)" $((NB4 + NEDGE))
timing "calls"

# Quiet: px's counters the same 0.3 s apart (the last relays done).
total() { ctl $px stats -j | jq -r .total; }
quiet() {
	local t

	t=$(total)
	sleep 0.3
	[ "$t" = "$(total)" ]
}
slowwait 30 quiet >/dev/null
# The end of the capture: a datagram from the PBX's port 5060 (in the
# filter; to the module not a response) that tcpdump has written (-U)
# before the counters are read. tcpdump's "received by the filter" is no
# measure of what it missed: now and then 2 or 3 more than it captured
# while the capture holds every packet of the calls (libpcap counts the
# packets it drains before its filter is set, here the new links' first
# IPv6 packets); "dropped by the kernel" is.
ip netns exec $pbx python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.0.3.2", 5060)); s.sendto(b"sipcode carriers.sh: the end", ("10.0.3.1", 9))'
slowwait 30 grep -qa "sipcode carriers.sh: the end" cap.pcap
mark=$?
ctl $px stats --by-peer -j >bypeer.json
ctl $px stats --kpi -j >kpi.json
for p in "${PEERS[@]}"; do
	ctl $px stats --kpi "${p%% *}" -j >"kpi-${p%% *}.json"
done
ctl $px stats --delays -j >delays.json
mkdir prom && ctl $px exporter --textfile "$tmp/prom"
kill -INT $cap_pid
wait $cap_pid 2>/dev/null
bg_del $cap_pid
# tcpdump's last lines: "N packets captured", "N packets received by
# filter", "N packets dropped by kernel".
read -r captured received dropped < <(awk '/packets captured/ { c = $1 }
	/received by filter/ { r = $1 } /dropped by kernel/ { d = $1 } END { print c, r, d }' \
	tcpdump.log)
echo "# tcpdump: $captured packets captured, $received received by the filter, $dropped dropped by the kernel"
check "the capture is whole: the end marked, none dropped by the kernel" \
	"$mark $dropped" "0 0"

# --- tshark's count, in the background -------------------------------------------------
# tshark: a line a response: the capture's packet type (0: to px, 4:
# sent by px), the addresses, the code, and sip.resend (1: tshark takes
# it for one sent again). Then each response under its peer, as the
# module counts it: one received under the peer of its source (the
# longest prefix that holds it), one sent under the peer of its
# destination, "-" for none. Prints the rows (the peers by name, then
# "-"; each "NAME:DIR:CODE=N,..."), the codes by direction
# ("in:CODE=N,... out:..."), and "ODD RESENT": the responses neither to
# px nor from it, or to or from an address that is not px's; those
# tshark takes for sent again.
printf '%s\n' "${PEERS[@]}" >peers.txt
cat >count.py <<'EOF'
import collections, ipaddress, sys

peers = []
for line in open(sys.argv[1]):
    name, *pfx = line.split()
    peers += [(ipaddress.ip_network(p), name) for p in pfx]
names = sorted({n for _, n in peers})
own = {ipaddress.ip_address(f"10.0.{i}.1") for i in (1, 2, 3)}
own |= {ipaddress.ip_address(f"fd00:{i}::1") for i in (1, 2, 3)}

def peer(a):
    best = None
    for net, name in peers:
        if a.version == net.version and a in net:
            if best is None or net.prefixlen > best[0]:
                best = (net.prefixlen, name)
    return best[1] if best else "-"

rows = collections.defaultdict(collections.Counter)
dirs = collections.defaultdict(collections.Counter)
odd = resent = 0
for line in open(sys.argv[2]):
    f = line.rstrip("\n").split("\t")
    ptype, src, dst, code = f[0], f[1] or f[2], f[3] or f[4], f[5]
    src, dst = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    if ptype == "0" and dst in own and src not in own:
        d, who = "in", peer(src)
    elif ptype == "4" and src in own and dst not in own:
        d, who = "out", peer(dst)
    else:
        odd += 1
        continue
    rows[(who, d)][code] += 1
    dirs[d][code] += 1
    resent += f[6] == "1"

def kv(c):
    return ",".join(f"{k}={c[k]}" for k in sorted(c, key=int))

print(" ".join(f"{n}:{d}:{kv(rows[(n, d)])}" for n in names + ["-"] for d in ("in", "out")))
print(" ".join(f"{d}:{kv(dirs[d])}" for d in ("in", "out")))
print(odd, resent)
EOF
{
	tshark -r cap.pcap -Y sip.Status-Code -T fields -e sll.pkttype -e ip.src \
		-e ipv6.src -e ip.dst -e ipv6.dst -e sip.Status-Code -e sip.resend \
		>cap.txt 2>tshark.err
	echo $? >tshark.rc
	python3 count.py peers.txt cap.txt >tshark.count
} &
tshark_pid=$!
bg_add $tshark_pid

# --- the module's counts by peer: what the calls made ------------------------------------
# The module's rows as tshark.count's: "NAME:DIR:CODE=N,...", in its order.
mrows=$(jq -r '[.peers[] | "\(.peer // "-"):\(.direction):" +
	([.codes | to_entries[] | "\(.key)=\(.value)"] | join(","))] | join(" ")' bypeer.json)
# row NAME DIR CODE=N...: a row as above, the counts of 0 left out.
row() {
	local out='' kv

	for kv in "${@:3}"; do [ "${kv#*=}" = 0 ] || out="$out${out:+,}$kv"; done
	echo "$1:$2:$out"
}
# In px, a call of the PBX to a carrier: the carrier's 100 and 180 and
# final received from it; kamailio's own 100, the 180 and the final
# relayed, sent to the PBX. Carrier A's calls: its BYE's 200 received
# from the PBX and relayed to A. B's calls answered: the BYE's 200
# received from B and relayed to the PBX. B's 503s relayed as 500.
want=(
	"$(row CARRIER-A in 100=$NA 180=$NA 200=$NA)"
	"$(row CARRIER-A out 200=$NA)"
	"$(row CARRIER-B in 100=$((NB4 + NB6)) 180=$((NB4 + NB6)) \
		200=$((2 * (B4_OK + B6_OK))) 302=$B4_MOVED 486=$((B4_BUSY + B6_BUSY)) \
		503=$B6_DOWN)"
	"$(row CARRIER-B out)"
	"$(row CARRIER-B-EDGE in 100=$NEDGE 180=$NEDGE 200=$((2 * EDGE_OK)) 503=$EDGE_DOWN)"
	"$(row CARRIER-B-EDGE out)"
	"$(row PBX in 200=$NA)"
	"$(row PBX out 100=$CALLS 180=$CALLS 200=$((NA + 2 * OKB)) 302=$MOVED 486=$BUSY \
		500=$DOWN)"
	"$(row - in)"
	"$(row - out)"
)
check "by peer: the counts the $CALLS calls made (the edge trunk under its /32)" \
	"$mrows" "${want[*]}"

# --- the RFC 6076 ratios ------------------------------------------------------------------
# px sees each call's INVITE on two legs, two transactions (the top Via's
# branch is the PBX's on one, kamailio's on the other), each with the
# same first final, but for B's 503, which kamailio relays as 500. With
# the numbers at the top, of the 41 calls (31 answered 200, 5 busy 486,
# 4 down 503, 1 moved 302): 82 INVITE transactions, first finals 200:
# 62, 486: 10, 302: 2, 503: 4 (the carriers' leg), 500: 4 (the PBX's):
#   SER  = 200 / (INVITE - 3xx)             = 62 / (82 - 2)  = 77.50 %
#   SEER = (200 + 486) / (INVITE - 3xx)     = 72 / 80        = 90.00 %
#   ISA  = (500 + 503) / INVITE             = 8 / 82         =  9.76 %
#   ASR  = 200 / INVITE                     = 62 / 82        = 75.61 %
#   IRA  = no REGISTER                      = 0 / 0          = null
# (computed below from the numbers at the top).
INV=$((2 * CALLS))
# ratio NAME NUM DEN: "NAME NUM/DEN PERCENT", PERCENT rounded to 2
# decimals as JSON prints it (null without a denominator).
ratio() {
	local p=null

	[ "$3" = 0 ] || p=$(awk -v n="$2" -v d="$3" 'BEGIN { printf "%.2f", 100 * n / d }' |
		sed 's/0*$//; s/\.$//')
	echo "$1 $2/$3 $p"
}
check "kpi: INVITE transactions, untracked, timeouts, first finals; no REGISTER" \
	"$(jq -cS '[.invite.transactions, .invite.untracked, .invite.timeouts, .invite.finals,
		.register.transactions]' kpi.json)" \
	"[$INV,0,0,{\"200\":$((2 * OK)),\"302\":$((2 * MOVED)),\"486\":$((2 * BUSY)),\"500\":$DOWN,\"503\":$DOWN},0]"
check "kpi: SER, SEER, ISA, IRA, ASR computed by hand" \
	"$(jq -r '[.ratios | to_entries[] |
		"\(.key) \(.value.numerator)/\(.value.denominator) \(.value.percent)"] | join(", ")' kpi.json)" \
	"$(ratio ser $((2 * OK)) $((INV - 2 * MOVED))), $(ratio seer $((2 * (OK + BUSY))) $((INV - 2 * MOVED))), $(ratio isa $((2 * DOWN)) $INV), $(ratio ira 0 0), $(ratio asr $((2 * OK)) $INV)"
# The BYEs: carrier A's (from A, relayed to the PBX) and the PBX's to
# B (relayed to B), two transactions each.
check "kpi: stats --delays: INVITE and BYE tracked, untracked, retransmitted, timeouts; unmatched" \
	"$(jq -r '[(.methods[] | select(.method == "INVITE" or .method == "BYE") |
		"\(.method) \(.tracked) \(.untracked) \(.retransmitted) \(.timeouts)"),
		"unmatched \(.txn.unmatched)"] | join(", ")' delays.json)" \
	"INVITE $INV 0 0 0, BYE $((2 * OK)) 0 0 0, unmatched 0"

# --- the RFC 6076 ratios by peer ---------------------------------------------------------
# What each peer answered (in) and asked (out), px counting a message it
# receives under its source's peer (its destination is px's own
# address), one it sends under its destination's: each call's INVITE
# leg to a carrier under the carrier, in, with the carrier's first
# final; its leg from the PBX under PBX, out, with kamailio's first final
# to the PBX (B's 503 relayed as 500, kamailio's 100 no final). The BYEs
# (no final counted by peer, but transactions): carrier A's BYE asked by
# CARRIER-A (out), relayed to the PBX (PBX in); the PBX's BYE of B's
# answered calls asked by PBX (out), relayed to carrier B's trunk or
# edge (in). No REGISTER, and every INVITE answered. No other peer or
# direction has a transaction.
# kpirows FILE: the rows of stats --kpi [PEER] -j, "PEER DIR
# invite=N unanswered=N finals=CODE=N,... register=N methods=METHOD=N,...",
# joined by " | ".
kpirows() {
	jq -r '[.peers[] | "\(.peer) \(.direction) invite=\(.invite.transactions)" +
		" unanswered=\(.invite.unanswered) finals=" +
		([.invite.finals | to_entries | sort_by(.key)[] | "\(.key)=\(.value)"] | join(",")) +
		" register=\(.register.transactions) methods=" +
		([.methods | to_entries[] | "\(.key)=\(.value)"] | join(","))] | join(" | ")' "$1"
}
# kpirow PEER DIR INVITES "CODE=N..." "METHOD=N...": a row as kpirows
# prints it, the counts of 0 left out (as the module leaves them out).
kpirow() {
	local fin='' meth='' kv

	for kv in $4; do [ "${kv#*=}" = 0 ] || fin="$fin${fin:+,}$kv"; done
	for kv in $5; do [ "${kv#*=}" = 0 ] || meth="$meth${meth:+,}$kv"; done
	echo "$1 $2 invite=$3 unanswered=0 finals=$fin register=0 methods=$meth"
}
NBB=$((NB4 + NB6))          # INVITEs to carrier B's trunk, IPv4 and IPv6
OKBB=$((B4_OK + B6_OK))     # of those answered 200 (and hung up by the PBX)
BUSYB=$((B4_BUSY + B6_BUSY))
declare -A kwant=(
	[CARRIER-A]="$(kpirow CARRIER-A in $NA "200=$NA" "INVITE=$NA") | $(kpirow CARRIER-A out 0 "" "BYE=$NA")"
	[CARRIER-B]="$(kpirow CARRIER-B in $NBB "200=$OKBB 302=$B4_MOVED 486=$BUSYB 503=$B6_DOWN" \
		"INVITE=$NBB BYE=$OKBB") | $(kpirow CARRIER-B out 0 "" "")"
	[CARRIER-B-EDGE]="$(kpirow CARRIER-B-EDGE in $NEDGE "200=$EDGE_OK 503=$EDGE_DOWN" \
		"INVITE=$NEDGE BYE=$EDGE_OK") | $(kpirow CARRIER-B-EDGE out 0 "" "")"
	[PBX]="$(kpirow PBX in 0 "" "BYE=$NA") | $(kpirow PBX out $CALLS \
		"200=$OK 302=$MOVED 486=$BUSY 500=$DOWN" "INVITE=$CALLS BYE=$OKB")"
)
for p in "${PEERS[@]}"; do
	p=${p%% *}
	check "kpi by peer: stats --kpi $p -j: its transactions in and out, the first finals" \
		"$(kpirows "kpi-$p.json")" "${kwant[$p]}"
done
check "kpi by peer: stats --kpi -j: the peers and directions with a transaction, those with an INVITE" \
	"$(jq -r '[.peers[] | "\(.peer):\(.direction)"] | join(" ")' kpi.json) /$(jq -r '[.peers[] |
		select(.invite.transactions > 0) | " \(.peer):\(.direction)"] | join("")' kpi.json)" \
	"CARRIER-A:in CARRIER-A:out CARRIER-B:in CARRIER-B-EDGE:in PBX:in PBX:out / CARRIER-A:in CARRIER-B:in CARRIER-B-EDGE:in PBX:out"
check "kpi by peer: stats --kpi -j has each peer's rows as stats --kpi PEER -j" \
	"$(kpirows kpi.json)" \
	"$(for p in "${PEERS[@]}"; do kpirows "kpi-${p%% *}.json"; done |
		tr '|' '\n' | sed 's/^ *//; s/ *$//' | grep -v ' invite=0 .* methods=$' | paste -sd'|' |
		sed 's/|/ | /g')"
# Carrier B (in), what it answered on its trunk (the edge's under
# CARRIER-B-EDGE): with the numbers at the top, 17 INVITEs (NB4 + NB6),
# 200: 10 (B4_OK + B6_OK), 302: 1, 486: 5, 503: 1 (B6_DOWN):
#   SER  = 200 / (INVITE - 3xx)             = 10 / (17 - 1)  = 62.50 %
#   SEER = (200 + 486) / (INVITE - 3xx)     = 15 / 16        = 93.75 %
#   ISA  = 503 / INVITE                     = 1 / 17         =  5.88 %
#   ASR  = 200 / INVITE                     = 10 / 17        = 58.82 %
#   IRA  = no REGISTER                      = 0 / 0          = null
# The PBX (out), what it asked, as kamailio answered: 41 INVITEs
# (CALLS), 200: 31 (OK), 302: 1 (MOVED), 486: 5 (BUSY), 500: 4 (DOWN, B's
# 503s relayed):
#   SER  = 200 / (INVITE - 3xx)             = 31 / (41 - 1)  = 77.50 %
#   SEER = (200 + 486) / (INVITE - 3xx)     = 36 / 40        = 90.00 %
#   ISA  = 500 / INVITE                     = 4 / 41         =  9.76 %
#   ASR  = 200 / INVITE                     = 31 / 41        = 75.61 %
#   IRA  = no REGISTER                      = 0 / 0          = null
# (computed below from the numbers at the top).
# kpiratios FILE DIR: the ratios of the row of direction DIR, as ratio prints them.
kpiratios() {
	jq -r --arg d "$2" '[.peers[] | select(.direction == $d) | .ratios | to_entries[] |
		"\(.key) \(.value.numerator)/\(.value.denominator) \(.value.percent)"] | join(", ")' "$1"
}
check "kpi by peer: CARRIER-B in: SER, SEER, ISA, IRA, ASR computed by hand" \
	"$(kpiratios kpi-CARRIER-B.json in)" \
	"$(ratio ser $OKBB $((NBB - B4_MOVED))), $(ratio seer $((OKBB + BUSYB)) $((NBB - B4_MOVED))), $(ratio isa $B6_DOWN $NBB), $(ratio ira 0 0), $(ratio asr $OKBB $NBB)"
check "kpi by peer: PBX out: SER, SEER, ISA, IRA, ASR computed by hand" \
	"$(kpiratios kpi-PBX.json out)" \
	"$(ratio ser $OK $((CALLS - MOVED))), $(ratio seer $((OK + BUSY)) $((CALLS - MOVED))), $(ratio isa $DOWN $CALLS), $(ratio ira 0 0), $(ratio asr $OK $CALLS)"

# --- the exporter ------------------------------------------------------------------------
# Its samples of the peers and of the first finals, made from the JSON.
check "exporter --textfile: the samples by peer are the JSON's" \
	"$(grep '^sipcode_peer_responses_total{' prom/sipcode.prom | LC_ALL=C sort)" \
	"$(jq -r '.peers[] | . as $r | .codes | to_entries[] |
		"sipcode_peer_responses_total{" +
		(if $r.peer then "peer=\"\($r.peer)\"," else "" end) +
		"direction=\"\($r.direction)\"," +
		(if (.key | endswith("xx")) then "code=\"other\",class=\"\(.key)\""
		 else "code=\"\(.key)\",class=\"\(.key[0:1])xx\"" end) +
		"} \(.value)"' bypeer.json | LC_ALL=C sort)"
check "exporter --textfile: the transactions by peer are the JSON's" \
	"$(grep '^sipcode_peer_transactions_total{' prom/sipcode.prom | LC_ALL=C sort)" \
	"$(jq -r '.peers[] | . as $r | .methods | to_entries[] |
		"sipcode_peer_transactions_total{peer=\"\($r.peer)\",direction=\"\($r.direction)\",method=\"\(.key)\"} \(.value)"' \
		kpi.json | LC_ALL=C sort)"
check "exporter --textfile: the first finals by peer are the JSON's" \
	"$(grep '^sipcode_peer_transaction_finals_total{' prom/sipcode.prom | LC_ALL=C sort)" \
	"$(jq -r '.peers[] | . as $r | ("invite", "register") as $m | $r[$m].finals | to_entries[] |
		"sipcode_peer_transaction_finals_total{peer=\"\($r.peer)\",direction=\"\($r.direction)\"," +
		"method=\"\($m | ascii_upcase)\"," +
		(if (.key | endswith("xx")) then "code=\"other\",class=\"\(.key)\""
		 else "code=\"\(.key)\",class=\"\(.key[0:1])xx\"" end) + "} \(.value)"' \
		kpi.json | LC_ALL=C sort)"
check "exporter --textfile: the first finals of INVITE are the JSON's" \
	"$(grep '^sipcode_transaction_finals_total{method="INVITE"' prom/sipcode.prom | LC_ALL=C sort)" \
	"$(jq -r '.invite.finals | to_entries[] |
		"sipcode_transaction_finals_total{method=\"INVITE\",code=\"\(.key)\",class=\"\(.key[0:1])xx\"} \(.value)"' \
		kpi.json | LC_ALL=C sort)"
timing "checks (beside tshark)"

# --- the module's counts by peer: tshark's ----------------------------------------------
wait $tshark_pid
bg_del $tshark_pid
check "tshark read the capture" "$(cat tshark.rc) $(grep -v '^Running as user' tshark.err | head -n 3)" "0 "
mapfile -t ts <tshark.count
check "tshark: every response received by px or sent by it; none sent again (sip.resend)" \
	"${ts[2]:-}" "0 0"
check "by peer: each peer's counts by direction and code are tshark's" \
	"$mrows" "${ts[0]:-}"
check "by peer: the codes by direction are tshark's" \
	"$(jq -r '.directions | [("in", "out") as $d | "\($d):" +
		([.[$d] | to_entries[] | select(.value > 0) | "\(.key)=\(.value)"] | join(","))] |
		join(" ")' bypeer.json)" "${ts[1]:-}"
timing "tshark"
ctl $px stats --by-peer | sed -n '/^PEER/,$p' | sed 's/^/# /'
ctl $px stats --kpi | sed -n '/^PEER/,$p' | sed 's/^/# /'

echo "# time: carriers.sh: $((SECONDS - start)) s"
test_unload
finish
