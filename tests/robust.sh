#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipcode robustness selftest, on the topology of tests/lib.sh (srv sends
# through fw to cli):
#
#   - TCP over IPv4 and IPv6: framing by Content-Length (1, 2, 3 and up to
#     SIPCODE_TCP_MSGS_MAX messages a segment and beyond), requests with a
#     sipfrag body, mid-stream segments, keep-alives, messages without
#     Content-Length; rules mark TCP but never drop it;
#   - UDP: odd but valid status lines, IPv6 extension headers, UDP GSO,
#     IPv4 and IPv6 fragments with and without conntrack;
#   - a storm of random and mutated packets over raw sockets: in fw, the
#     buckets add up to what an nftables counter saw;
#   - two CPUs counting at once, exactly;
#   - load and unload, ports, rules and dry-run changed under traffic; a
#     new load starts from zero.
#
# A TCP segment here is one send() with TCP_NODELAY, 50 ms after the
# previous one: one skb at LOCAL_OUT in srv, and one in fw and cli, as
# veth does no GRO unless asked to (ethtool -K ... gro on). Every TCP
# count is checked in the three namespaces.
#
# In a TCG guest starting a process takes most of the time: cases share a
# connection or a reset where their codes tell them apart.
#
# ROBUST_STORM_N (default 110000) is the storm's size, ROBUST_CPU_N
# (default 500000) each CPU's flood: make check makes them smaller in the
# debug kernel, where they take minutes and where what is looked for is a
# report, not a count that only a large number can tell.
#
# Needs root, and the C tools of tests/Makefile (make -C tests tools, on
# the host) in $SIPCODE_TOOLS (default build/tests). Loads the module
# from $KO. Exits 4 (skip) when a requirement is missing. TAP output.

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"
TOOLS=${SIPCODE_TOOLS:-$top/build/tests}
FLOOD=$TOOLS/flood
STORM=$TOOLS/storm
STORM_N=${ROBUST_STORM_N:-110000}
CPU_N=${ROBUST_CPU_N:-500000}
other=sipcode-other-$$
pin=sipcode-pin-$$
cleanup_extra() {
	ip netns del $other 2>/dev/null
	ip netns del $pin 2>/dev/null
}
test_init
require nft
for t in "$FLOOD" "$STORM"; do
	[ -x "$t" ] || skip_all "no $t: build the C tools on the host first" \
		"(make -C tests tools)"
done
[ -f "$YNL_DIR/lib/ynl.py" ] ||
	skip_all "no ynl in $YNL_DIR (scripts/ynl-gen.sh extracts it)"

start=$SECONDS
timing_start

load_module
check "insmod" "$?" 0
topo_setup $$ || skip_all "cannot build the namespaces"
timing "setup"

# check_all NAME WANT: srv, fw and cli all count WANT.
check_all() {
	local c

	mapfile -t c < <(counts $srv $fw $cli)
	check "$1: srv (LOCAL_OUT)" "${c[0]}" "$2"
	check "$1: fw (forwarding)" "${c[1]}" "$2"
	check "$1: cli (delivered)" "${c[2]}" "$2"
}
# mtu N: of every veth of the topology.
mtu() {
	ip -n $srv link set veth0 mtu "$1"
	ip -n $fw link set veth1 mtu "$1"
	ip -n $fw link set veth0 mtu "$1"
	ip -n $cli link set veth0 mtu "$1"
}

# --- TCP ----------------------------------------------------------------------
# One sink in cli for every connection, IPv4 and IPv6 alike.
TCP_CONNS=7
ip netns exec $cli $GEN tcpsink -6 5060 --conns $TCP_CONNS --timeout 600 \
	>"$tmp/tsink" &
bg_add $!
check_wait "a TCP sink ready in cli" 60 grep -q ready "$tmp/tsink"
# line_of FILE N: line N of FILE; fails while there is none.
line_of() { sed -n "$2p" "$1" | grep .; }
nconn=0
# tcp_case NAME WANT SEGMENT...: srv sends the SEGMENTs (tests/sipgen.py)
# to cli on a connection of their own, delivered in full, and srv, fw and
# cli count WANT. Uses $v, $dst, $fam.
tcp_case() {
	local name=$1 want=$2 out got
	shift 2

	reset_all
	out=$(ip netns exec $srv $GEN tcp $fam --bytes $dst 5060 "$@")
	nconn=$((nconn + 1))
	got=$(slowwait 30 line_of "$tmp/tsink" $((nconn + 1)))
	check "IPv$v TCP $name: $# segments sent, every byte received" \
		"$out $got" "$# ${out#* } ${out#* }"
	check_all "IPv$v TCP $name" "$want"
}

for v in 4 6; do
	if [ $v = 4 ]; then dst=10.0.1.2; fam=; else dst=fd00:1::2; fam=-6; fi
	# Every message counted, each case under codes of its own: 1, 2 and
	# 3 responses a segment; Content-Length as l:, lower-case, with
	# blanks around the colon (each body a 599 status line); CRLF
	# before, between and after messages; a request then a response;
	# 16 messages a segment.
	tcp_case "framing" \
		"100:1 180:1 181:1 182:1 183:1 184:1 200:16 301:1 302:1 401:1 402:1 403:1 404:1 405:1 406:1 407:1 408:1 409:1 410:1 not_response:1" \
		100 180+181 182+183+184 \
		cl:compact:301+302 cl:lower:401+402 cl:spaced:403+404 \
		crlf+405+406 407+crlf+408 409+crlf req+410 min:200*16
	# A NOTIFY whose sipfrag body is a 503 (not_response, no 503); a
	# message across two segments (486, then its rest, framed on); a
	# keep-alive; a response without Content-Length and another one
	# (487, tcp_unframed, no 488); 17 and 30 messages a segment (16
	# each, tcp_unframed), each segment starting with a message after
	# the flow lost track.
	# Messages across segments, each counted once: a status line cut
	# after "S", "SIP/" and "SIP/2.0 48"; headers cut, then the rest and
	# a whole 484; a body cut, then the rest and a 486; a NOTIFY whose
	# sipfrag body ("SIP/2.0 503 ...", 33 bytes) starts the next segment
	# (not_response, no 503), then a 487.
	tcp_case "across segments" \
		"480:1 481:1 482:1 483:1 484:1 485:1 486:1 487:1 not_response:1" \
		cut:1:480 rest cut:4:481 rest cut:10:482 rest \
		cut:40:483 rest+484 half:485 rest+486 \
		cut:-33:notify-sipfrag rest+487
	tcp_case "uncounted" \
		"201:16 202:16 486:1 487:1 not_response:1 keepalive:1 tcp_unframed:3" \
		notify-sipfrag half:486 rest crlf nolen:487+488 \
		min:201*17 min:202*30
done

# Rules: TCP is marked, never dropped (it would only be sent again).
v=4 dst=10.0.1.2 fam=
ctl $fw rule add 486 drop
ctl $fw rule add 180 mark 0x10/0xff
ip netns exec $fw nft -f - <<'NFT'
table inet siptcp {
	chain sipfwd {
		type filter hook forward priority 0;
		tcp dport 5060 meta mark & 0xff == 0x10 counter
	}
}
NFT
tcp_case "with rules" "180:1 200:1 486:2" 486 180+486 200
check "TCP rules: 486 counted, not dropped; 180 marked, in fw" "$(verdicts $fw)" \
	"180:1/0/1 200:1/0/0 486:2/0/0"
check "TCP rules: nftables sees the one marked segment" \
	"$(ip netns exec $fw nft -j list chain inet siptcp sipfwd |
		jq '[.nftables[] | .rule? | select(.) | .expr[] | .counter? | select(.) | .packets] | add')" 1
ip netns exec $fw nft delete table inet siptcp
ctl $fw rule flush
check "TCP: the sink saw every connection" "$(wc -l <"$tmp/tsink")" $((TCP_CONNS + 1))
timing "TCP"

# --- UDP: odd status lines, IPv6 extension headers, GSO -------------------------
# No sink: cli's counters tell what was delivered. Each case has codes of
# its own: a leading CRLF (486), no reason phrase (487), a lower-case
# version (180); IPv6 with a destination options (301) or a hop-by-hop
# (302) header; 20 datagrams in one send with UDP GSO, IPv4 (481) and
# IPv6 (482).
reset_all
ip netns exec $srv $GEN send --sport 5060 10.0.1.2 5060 \
	'line:\r\n\r\nSIP/2.0 486 Busy Here\r\n\r\n' 'line:SIP/2.0 487\r\n\r\n' \
	'line:sip/2.0 180 Ringing\r\n\r\n' >/dev/null
ip netns exec $srv $GEN send -6 --ext dst fd00:1::2 5060 301*3 >/dev/null
ip netns exec $srv $GEN send -6 --ext hop fd00:1::2 5060 302*2 >/dev/null
ip netns exec $srv $GEN gso --size 500 10.0.1.2 5060 481 20 >/dev/null
ip netns exec $srv $GEN gso -6 --size 500 fd00:1::2 5060 482 20 >/dev/null
check_all "UDP: odd status lines, IPv6 extension headers, GSO" \
	"180:1 301:3 302:2 481:20 482:20 486:1 487:1"
timing "UDP"

# --- fragments ------------------------------------------------------------------
# A response of 4000 bytes at MTU 1500: one packet at LOCAL_OUT in srv,
# three fragments on the wire. fw_want is what fw counts.
frag_case() {
	local name=$1 fw_want=$2 c

	for v in 4 6; do
		if [ $v = 4 ]; then dst=10.0.1.2; fam=; else dst=fd00:1::2; fam=-6; fi
		reset_all
		ip netns exec $srv $GEN send $fam --sport 5060 $dst 5060 \
			pad:486:4000 >/dev/null
		mapfile -t c < <(counts $srv $fw $cli)
		check "IPv$v fragments, $name: srv counts the packet" "${c[0]}" "486:1"
		check "IPv$v fragments, $name: fw" "${c[1]}" "$fw_want"
		check "IPv$v fragments, $name: cli, the first and 2 later" \
			"${c[2]}" "486:1 fragment:2"
	done
}
frag_case "no conntrack in fw: the first and 2 later" "486:1 fragment:2"
timing "fragments"

# --- storm ------------------------------------------------------------------------
# fw counts, at priority raw (before sipcode, no conntrack in fw), what
# sipcode must account for: the later fragments of UDP whatever their
# ports, and UDP with a whole header and port 5060 on either side. An
# IPv4 UDP packet with less than 8 bytes of header has no ports for
# sipcode, though nftables reads them: it is counted apart ("short").
mtu 9000
ip netns exec $fw nft -f - <<'NFT'
table inet storm {
	chain pre {
		type filter hook prerouting priority raw;
		meta l4proto udp ip frag-off & 0x1fff != 0 counter accept comment "frag4"
		frag nexthdr udp frag frag-off != 0 counter accept comment "frag6"
		meta nfproto ipv4 meta l4proto udp ip length < 28 counter accept comment "short"
		udp sport 5060 counter accept comment "sport"
		udp dport 5060 counter accept comment "dport"
	}
}
NFT
reset_all
out=$(ip netns exec $srv "$STORM" -n "$STORM_N" -s $$ \
	10.0.2.2 10.0.1.2 fd00:2::2 fd00:1::2 2>"$tmp/storm")
sed 's/^/# /' "$tmp/storm"
sent=${out% *}
want=${out#* }
nft=$(ip netns exec $fw nft -j list chain inet storm pre |
	jq -r '[.nftables[] | .rule? | select(.) |
		"\(.comment)=\(.expr[] | .counter? | select(.) | .packets)"] | join(" ")')
echo "# nftables in fw: $nft"
frag4=x frag6=x sport=x dport=x
eval "$nft"
read -r fw_sum fw_frag fw_total < <(sums $fw)
read -r srv_sum _ _ < <(sums $srv)
echo "# fw: $(counts $fw | tr ' ' '\n' | grep -c '^[0-9]') codes;" \
	"$(counts $fw | tr ' ' '\n' | grep -v '^[0-9]' | tr '\n' ' ')"
check "storm: at least $((STORM_N * 10 / 11)) packets sent" \
	"$([ "${sent:-0}" -ge $((STORM_N * 10 / 11)) ] && echo yes)" yes
check "storm: fw accounts for every packet on a SIP port, and no more" \
	"$fw_sum" "$((frag4 + frag6 + sport + dport))"
check "storm: fw's IPv4 and IPv6 later fragments are nftables' ones" \
	"$fw_frag" "$((frag4 + frag6))"
check "storm: fw's total is the sum of its buckets" "$fw_total" "$fw_sum"
check "storm: srv (LOCAL_OUT) accounts for what storm sent on SIP ports" \
	"$srv_sum" "$want"
check "storm: every packet sent on a SIP port reached fw's prerouting" \
	"$((frag4 + frag6 + sport + dport))" "$want"
ip netns exec $fw nft delete table inet storm
mtu 1500
timing "storm"

# --- fragments with conntrack in fw ------------------------------------------------
# A ct rule brings conntrack and its defragmentation (priority -400) to
# fw: sipcode sees the packet reassembled; fw fragments it again for cli.
ip netns exec $fw nft -f - <<'NFT'
table inet sipct {
	chain pre {
		type filter hook prerouting priority filter;
		ct state new counter
	}
}
NFT
frag_case "conntrack in fw: reassembled" "486:1"
ip netns exec $fw nft delete table inet sipct
timing "fragments with conntrack"

# --- two CPUs at once ------------------------------------------------------------------
# srv sends to 10.9.0.2 on a dummy device: the responses are counted at
# LOCAL_OUT, then go nowhere.
ip -n $srv link add d0 type dummy
ip -n $srv addr add 10.9.0.1/24 dev d0
ip -n $srv link set d0 up
if [ "$(nproc)" -ge 2 ]; then
	ctl $srv stats reset
	ip netns exec $srv "$FLOOD" -c 0 -n "$CPU_N" 10.9.0.2 5060 486 >"$tmp/f0" &
	p0=$!
	ip netns exec $srv "$FLOOD" -c 1 -n "$CPU_N" 10.9.0.2 5060 200 >"$tmp/f1" &
	p1=$!
	wait $p0 $p1
	read -r n0 <"$tmp/f0"
	read -r n1 <"$tmp/f1"
	check "2 CPUs: both floods sent $CPU_N" "$n0 $n1" "$CPU_N $CPU_N"
	read -r sum _ total < <(sums $srv)
	check "2 CPUs: srv counts exactly what each CPU sent, and no more" \
		"$(counts $srv) $sum $total" \
		"200:$n1 486:$n0 $((n0 + n1)) $((n0 + n1))"
else
	ok "2 CPUs # SKIP only $(nproc) CPU"
fi
timing "2 CPUs"

# --- load and unload under traffic ---------------------------------------------------------
# A flood through fw to cli (LOCAL_OUT in srv, PRE_ROUTING in fw and cli,
# which answers with ICMP) on CPU 1, at the lowest priority; stats dumps
# in a loop; meanwhile, 50 unloads and loads in one process (a process
# start costs most of a second here). A dump holds the module: an unload
# that finds it busy is tried again. With SIPCODE_AUTOLOAD=1 (tests/
# sipcode.sh), a dump may load the module first: that load counts.
#
# The netfilter static keys are held on meanwhile (see pin_hook_keys).
pin_hook_keys $pin
check "nftables holds the hook keys on" "$?" 0
cpu=1
[ "$(nproc)" -ge 2 ] || cpu=0
ip netns exec $srv nice -n 19 "$FLOOD" -c $cpu -d 900 -s 5062 10.0.1.2 5060 \
	180,486,503 >"$tmp/bgflood" 2>/dev/null &
bg_add $!
(while :; do ctl $fw stats -j >/dev/null 2>&1; done) &
bg_add $!
cycles=$(python3 - "$KO" 50 <<'PY'
import ctypes, errno, os, platform, sys, time

# x86_64 system call numbers.
SYS_DELETE_MODULE, SYS_FINIT_MODULE = 176, 313
libc = ctypes.CDLL(None, use_errno=True)
ko, n = sys.argv[1], int(sys.argv[2])
if platform.machine() != "x86_64":
    print("not x86_64")
    sys.exit(0)
done = bad = 0
while done < n and bad == 0:
    for _ in range(1000):
        if libc.syscall(SYS_DELETE_MODULE, b"sipcode", os.O_NONBLOCK) == 0:
            break
        if ctypes.get_errno() not in (errno.EAGAIN, errno.EBUSY):
            bad += 1
            break
        time.sleep(0.01)
    else:
        bad += 1
    fd = os.open(ko, os.O_RDONLY)
    if libc.syscall(SYS_FINIT_MODULE, fd, b"all_netns=1", 0) and \
            ctypes.get_errno() != errno.EEXIST:
        print("finit_module: %s" % os.strerror(ctypes.get_errno()))
        bad += 1
    os.close(fd)
    done += 1
print(done, bad)
PY
)
check "50 unloads and loads under traffic and dumps" "$cycles" "50 0"
lsmod | grep -q '^sipcode ' || insmod "$KO" all_netns=1
timing "load and unload"

# Ports, rules and dry-run changed under the same traffic, in fw and srv:
# 600 code rules one by one, class and range rules, dry-run, ports.
nbad=0
for ns in $fw $srv; do
	for op in "dry-run on" "rule add 4xx drop" "ports set 5060,5062" \
		"rule add 500-599 mark 0x20" "dry-run off" "stats reset"; do
		ctl "$ns" $op >/dev/null || nbad=$((nbad + 1))
	done
	out=$({ for c in $(seq 100 699); do
			echo "rule-add {\"rule\": {\"code\": $c, \"action\": \"mark\", \"mark\": $c, \"mask\": 65535}}"
		done
		echo 'rule-del {"rule": {"code": 599}}'
		echo 'ports-set {"ports": {"port": [5060]}}'; } | ynlreq "$ns")
	[ "$out" = "602 sent, 0 refused" ] ||
		{ nbad=$((nbad + 1)); echo "$out" | sed "s/^/# $ns: /"; }
	for op in "rule flush" "ports set 5062"; do
		ctl "$ns" $op >/dev/null || nbad=$((nbad + 1))
	done
done
check "ports, rules (600 code rules) and dry-run changed under traffic" "$nbad" 0
kill $bg 2>/dev/null
wait $bg 2>/dev/null
bg=
ip netns del $pin
read -r n <"$tmp/bgflood"
check "traffic flowed meanwhile ($n datagrams)" "$([ "${n:-0}" -gt 0 ] && echo yes)" yes
timing "changes under traffic"

rmmod sipcode
insmod "$KO" all_netns=1
check "a new load starts from zero in srv, fw, cli and the initial namespace" \
	"$(ip netns exec $srv "$CTL" stats -j | cat - <(ip netns exec $fw "$CTL" stats -j) \
		<(ip netns exec $cli "$CTL" stats -j) <("$CTL" stats -j) |
		jq -rs '[.[] | "\(.total)/\(.codes | length)"] | join(" ")')" \
	"0/0 0/0 0/0 0/0"
check "with no rule, the default ports, no dry-run" \
	"$(ctl $fw rule list -j | jq -c .rules) $(ctl $fw ports) $(ctl $fw dry-run)" \
	"[] 5060 off"

# --- namespaces ----------------------------------------------------------------------------
ip netns add $other
ip -n $other link set lo up
ip netns exec $other "$FLOOD" -6 -n 1000 ::1 5060 603 >"$tmp/f0"
ip netns exec $srv "$FLOOD" -n 700 10.9.0.2 5060 486 >"$tmp/f1"
read -r n0 <"$tmp/f0"
read -r n1 <"$tmp/f1"
mapfile -t c < <(counts $other $srv $fw)
check "namespaces count apart: another, srv, fw" \
	"${c[0]}|${c[1]}|${c[2]}" "603:$n0|486:$n1|"
timing "reload and namespaces"

rmmod sipcode
check "rmmod" "$?" 0
dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace|UBSAN' >"$tmp/dmesg"
check "dmesg has no warning" "$(cat "$tmp/dmesg")" ""
echo "# time: robust.sh: $((SECONDS - start)) s"

finish
