#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipcode selftest: SIP over TCP streams as a wire cuts them,
# on the topology of tests/lib.sh, fw forwarding and counting:
#
#   1. a wire-like path: TSO, GSO and GRO off, MTU 1500, 20 ms of netem
#      delay on fw's way out to either side; a burst of calls on one TCP
#      connection, sipp to sipp through kamailio (a stateless proxy in
#      srv), each way (UAC in cli and UAS in srv, then UAC in srv and UAS
#      in cli), over IPv4 and IPv6. Every 200 to an INVITE has a body
#      that makes it longer than a segment. fw's count of each code is
#      tshark's on a capture of fw's way in, and what the calls made;
#   2. netem loss: (a) after fw's hook (on fw's way out): fw sees a
#      segment and its retransmission, counts the responses once and the
#      retransmissions in tcp_retransmit; (b) before it (on the sender's
#      way out): fw sees the segments after a hole before the one that
#      fills it. Counts as in 1;
#   3. a flow whose first segments fw did not see (its port inspected
#      mid-connection): the segment that goes on inside a message is
#      tcp_midstream, and every response from its first proven message
#      start on is counted, a status line cut between two segments too;
#   4. a NOTIFY whose message/sipfrag body ("SIP/2.0 503 ...") starts the
#      next segment: never a 503, in fw, srv and cli;
#   5. a flow table of 4 flows (tcp_flows=4, its smallest: one bucket,
#      two connections of two flows each) and 4 connections at once: the
#      last two are framed segment by segment (their mid-message segments
#      in tcp_untracked, the responses after them counted), the first two
#      followed; once they are closed, a new connection is followed again.
#
# tshark counts each occurrence of sip.Status-Code in a frame: a frame
# may end a response reassembled from several segments and hold more.
# With its defaults, tshark 4.0 hands a fast retransmission that holds a
# whole response to SIP again (counted twice), and loses responses in
# data that came after a hole; with tcp.reassemble_out_of_order, set
# here, it counts each response once: what the calls made (checked).
# Each burst's frames are told apart by time and by where its responses
# come from.
#
# TCPSTREAM_CALLS (default 40) is the calls of each burst of 1, 3 in 4
# answered, 1 in 4 busy; TCPSTREAM_LOSS_CALLS (default 50) those of 2.
# TCPSTREAM_DUMP=1 prints the capture of 1 and 2 (pcapng, base64, on
# lines "# pcapng:"), to look at on the host: the guest's /tmp is lost.
#
# Needs root, kamailio, sipp, tshark, tcpdump, ethtool and tc with netem.
# Loads the module from $KO. Exits 4 (skip) when a requirement is
# missing. TAP output.

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"
CALLS=${TCPSTREAM_CALLS:-40}
LOSS_CALLS=${TCPSTREAM_LOSS_CALLS:-50}
probe=sipcode-probe-$$
cleanup_extra() { ip netns del $probe 2>/dev/null; }
test_init
require kamailio sipp tshark tcpdump mergecap ethtool tc
# netem, in a namespace of its own before anything else.
ip netns add $probe && ip -n $probe link add d0 type dummy &&
	tc -n $probe qdisc add dev d0 root netem delay 1ms loss 1% 2>/dev/null ||
	skip_all "no netem qdisc (sch_netem)"
ip netns del $probe

start=$SECONDS
timing_start
load_module
check "insmod" "$?" 0
topo_setup $$ || skip_all "cannot build the namespaces"
cd "$tmp" || exit 1
timing "setup: module, namespaces"

# --- kamailio and the UASs ------------------------------------------------------
# A stateless proxy: every request to its Request-URI (the UAS), each
# response to the Via below kamailio's, on the connection it came from
# (force_rport). One TCP worker, which connects and sends itself: one
# connection to each UAS (two workers may each open one; with
# tcp_async, a connection was once left without its first request).
mkdir -p krun
cat >kamailio.cfg <<'EOF'
#!KAMAILIO
debug=0
log_stderror=yes
children=1
tcp_children=1
listen=tcp:10.0.2.2:5060
listen=tcp:[fd00:2::2]:5060
auto_aliases=no
dns=no
rev_dns=no
use_dns_cache=no
enable_sctp=no
tcp_connection_lifetime=3600
tcp_async=no

request_route {
	force_rport();
	forward();
}
EOF
ip netns exec $srv kamailio -f kamailio.cfg -DD -E -Y "$tmp/krun" -P "$tmp/kamailio.pid" \
	-m 32 -M 8 >kamailio.log 2>&1 &
servers=$!
# uas NS ADDR PORT: sipp answering (tests/sipp/tcp-uas.xml) on ADDR:PORT,
# until killed (the debug kernel takes more than 10 minutes to 2b).
uas() {
	ip netns exec "$1" sipp -sf "$top/tests/sipp/tcp-uas.xml" -t t1 -i "$2" -p "$3" \
		-nostdin >"uas-$2.log" 2>&1 &
	servers="$servers $!"
}
uas $srv 10.0.2.2 5080
uas $srv fd00:2::2 5080
uas $cli 10.0.1.2 5060
uas $cli fd00:1::2 5060
# listening NS ADDR:PORT...: all of them TCP sockets listening in NS.
listening() {
	local ns=$1 a

	shift
	ip netns exec "$ns" ss -Htln >"listen-$ns"
	for a; do grep -qF " $a " "listen-$ns" || return 1; done
}
bg_add "$servers"

# --- the wire -----------------------------------------------------------------
nbad=0
for dev in "$cli veth0" "$fw veth0" "$fw veth1" "$srv veth0"; do
	set -- $dev
	ip netns exec "$1" ethtool -K "$2" tso off gso off gro off >/dev/null 2>&1 ||
		nbad=$((nbad + 1))
	ip -n "$1" link set "$2" mtu 1500 || nbad=$((nbad + 1))
done
check "TSO, GSO and GRO off, MTU 1500 on every veth" "$nbad" 0
# netem NS DEV ARGS...: the root qdisc of DEV in NS, netem ARGS.
netem() {
	local ns=$1 dev=$2

	shift 2
	tc -n "$ns" qdisc replace dev "$dev" root netem "$@"
}
netem $fw veth0 delay 20ms limit 10000 && netem $fw veth1 delay 20ms limit 10000
check "netem: 20 ms of delay on fw's way out to cli and to srv" "$?" 0

check_wait "kamailio and the UASs listen" 120 eval \
	'listening $srv 10.0.2.2:5060 [fd00:2::2]:5060 10.0.2.2:5080 [fd00:2::2]:5080 &&
	 listening $cli 10.0.1.2:5060 [fd00:1::2]:5060'
printf 'SEQUENTIAL\nok\nok\nok\nbusy\n' >calls.csv
timing "setup: the wire, kamailio and the UASs"

# codes_part COUNTS: the codes of a counts() line; bucket_of COUNTS NAME:
# a bucket's number in it (0 when not there).
codes_part() {
	local w out=

	for w in $1; do case $w in [0-9]*) out="$out $w" ;; esac; done
	echo "${out# }"
}
bucket_of() {
	local w

	for w in $1; do case $w in "$2":*) echo "${w#*:}"; return ;; esac; done
	echo 0
}

# The capture of 1 and 2: tcpdump in fw of what comes in on veth0 and
# veth1, port 5060.
cap_pids=
for dev in veth0 veth1; do
	ip netns exec $fw tcpdump -i $dev -Q in -w "cap-$dev.pcap" -U \
		--immediate-mode -B 8192 -s 0 'tcp port 5060' >"cap-$dev.log" 2>&1 &
	cap_pids="$cap_pids $!"
	bg_add $!
done
check_wait "tcpdump captures on fw's veth0 and veth1" 60 \
	eval '[ "$(cat cap-veth*.log | grep -c "listening on")" = 2 ]'
# want_calls N: the codes of N calls, 3 in 4 answered (180, 200, and 200
# to the BYE), 1 in 4 busy (180, 486).
want_calls() {
	local busy=$(($1 / 4))

	echo "180:$1 200:$((2 * ($1 - busy))) 486:$busy"
}
# calls ID NAME UAC_NS UAC_ADDR:PORT PROXY UAS N: N calls (sipp,
# tests/sipp/tcp-uac.xml) from UAC_ADDR:PORT (a port of its own: tshark
# takes a connection on the ports of an earlier one for the same) through
# the proxy to the UAS ("ADDR:PORT", IPv6 in brackets), 200 a second, on
# one connection. Then fw's counts in $tmp/ID.fw, fw's counters reset,
# and "ID TIME" in $tmp/runs: the run's frames in the capture are those
# after the previous run's TIME, up to its own.
calls() {
	local id=$1 name=$2 ns=$3 addr=${4% *} port=${4##* } proxy=$5 uas=$6 n=$7 rc

	ip netns exec "$ns" sipp -sf "$top/tests/sipp/tcp-uac.xml" -inf calls.csv \
		-t t1 -i "$addr" -p "$port" -rsa "$proxy" "$uas" -m "$n" -r 200 -l "$n" \
		-nostdin -timeout 300s -recv_timeout 30000 -trace_err \
		-error_file "$id.uac.err" >"$id.uac.log" 2>&1
	rc=$?
	echo "$id $(date +%s.%N)" >>runs
	check "$name: sipp's $n calls all end well (exit 0)" "$rc" 0
	if [ "$rc" != 0 ]; then
		grep -E 'Successful call|Failed call' "$id.uac.log" | sed 's/^/# /'
		grep -v '^$' "$id.uac.err" | head -n 5 | sed 's/^/# sipp: /'
		tail -n 5 kamailio.log | sed 's/^/# kamailio: /'
	fi
	counts $fw >"$id.fw"
	ctl $fw stats reset
}
# The bursts of 1 and 2, each way: "UAC_ADDR PORT" PROXY UAS, and where
# the responses fw sees come from: kamailio's to the UAC in cli, or the
# UAS's in cli to kamailio.
V4_DIR1="10.0.2.2 10.0.2.2:5060 10.0.2.2:5080"
V4_DIR2="10.0.1.2 10.0.2.2:5060 10.0.1.2:5060"
V6_DIR1="fd00:2::2 [fd00:2::2]:5060 [fd00:2::2]:5080"
V6_DIR2="fd00:1::2 [fd00:2::2]:5060 [fd00:1::2]:5060"
declare -A RUN_NAME RUN_SRC RUN_N

# --- 1. the wire-like path --------------------------------------------------------
echo "start $(date +%s.%N)" >runs
reset_all
run() { # ID NAME NS "ADDR PORT" SRC PROXY UAS N
	RUN_NAME[$1]=$2 RUN_SRC[$1]=$5 RUN_N[$1]=$8
	calls "$1" "$2" "$3" "$4" "$6" "$7" "$8"
}
run w4a "1: IPv4 cli->srv" $cli "10.0.1.2 5091" $V4_DIR1 "$CALLS"
run w4b "1: IPv4 srv->cli" $srv "10.0.2.2 5092" $V4_DIR2 "$CALLS"
run w6a "1: IPv6 cli->srv" $cli "fd00:1::2 5093" $V6_DIR1 "$CALLS"
run w6b "1: IPv6 srv->cli" $srv "fd00:2::2 5094" $V6_DIR2 "$CALLS"
timing "1: calls"

# --- 2. loss ------------------------------------------------------------------------
# (a) after fw's hook: on fw's way out to cli, where kamailio's responses
# to the UAC in cli go.
netem $fw veth0 delay 20ms loss 6% limit 10000
run la "2a: loss after the hook, IPv4 cli->srv" $cli "10.0.1.2 5095" $V4_DIR1 "$LOSS_CALLS"
netem $fw veth0 delay 20ms limit 10000
check "2a: fw saw retransmissions (tcp_retransmit: $(bucket_of "$(cat la.fw)" tcp_retransmit))" \
	"$([ "$(bucket_of "$(cat la.fw)" tcp_retransmit)" -gt 0 ] && echo yes)" yes
# (b) before it: on cli's way out, where the UAS's responses to kamailio
# leave.
netem $cli veth0 loss 6% limit 10000
run lb "2b: loss before the hook, IPv6 srv->cli" $srv "fd00:2::2 5096" $V6_DIR2 "$LOSS_CALLS"
tc -n $cli qdisc del dev veth0 root
timing "2: calls"

sleep 0.5
for p in $cap_pids; do
	kill -INT "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	bg_del "$p"
done
check "1, 2: the capture is whole (tcpdump: none dropped by the kernel)" \
	"$(grep -h 'dropped by kernel' cap-veth*.log | awk '{ s += $1 } END { print s }')" 0
# tshark's view of the capture, while 3 to 5 run: a line per frame that
# holds a response, or that tshark takes for a retransmission or for out
# of order: "TIME SOURCE CODES SEGMENTS LEN FLAG TCPLEN", CODES the codes
# of its responses ("CODE,CODE...", - for none), SEGMENTS those of a
# response it reassembled (0: none), LEN the frame's length, FLAG R
# (retransmission), O (out of order) or -.
mergecap -w cap.pcapng cap-veth0.pcap cap-veth1.pcap
tshark -r cap.pcapng -o tcp.reassemble_out_of_order:TRUE \
	-Y 'sip.Status-Code || (tcp.len > 0 && (tcp.analysis.retransmission ||
	    tcp.analysis.spurious_retransmission || tcp.analysis.out_of_order))' \
	-T fields -E occurrence=a -e frame.time_epoch -e ip.src -e ipv6.src \
	-e sip.Status-Code -e tcp.segment.count -e frame.len \
	-e tcp.analysis.retransmission -e tcp.analysis.spurious_retransmission \
	-e tcp.analysis.out_of_order -e tcp.len 2>tshark.err |
	awk -F '\t' '{ print $1, $2 $3, ($4 == "" ? "-" : $4), ($5 == "" ? 0 : $5), $6,
		($7 $8 != "" ? "R" : ($9 != "" ? "O" : "-")), $10 }' >cap.tshark &
tshark_pid=$!
bg_add $tshark_pid

# Kamailio and the UASs are done; fw inspects the TCP of 3 to 5 as it comes.
for p in $servers; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; bg_del "$p"; done
tc -n $fw qdisc del dev veth0 root
tc -n $fw qdisc del dev veth1 root

# --- 3. a flow whose start fw did not see --------------------------------------------
# One sink in cli for every connection of 3 and 4.
ip netns exec $cli $GEN tcpsink -6 5060 --conns 4 --timeout 300 >tsink &
sink=$!
bg_add $sink
check_wait "a TCP sink ready in cli" 60 grep -q ready tsink
# lines FILE N M: lines N to M of FILE, joined; fails while M is not there.
lines() {
	local l

	mapfile -t l <"$1"
	[ ${#l[@]} -ge "$3" ] || return 1
	l=("${l[@]:$(($2 - 1)):$(($3 - $2 + 1))}")
	echo "${l[*]}"
}
nconn=0
# tcp_run NAME SEGMENT...: srv sends the SEGMENTs (tests/sipgen.py) to
# cli on a connection of their own, delivered in full. Uses $dst, $fam.
tcp_run() {
	local name=$1 out got
	shift

	out=$(ip netns exec $srv $GEN tcp $fam --bytes $dst 5060 "$@")
	nconn=$((nconn + 1))
	got=$(slowwait 60 lines tsink $((nconn + 1)) $((nconn + 1)))
	check "$name: sent, every byte received" "${out#* } $got" "${out#* } ${out#* }"
}
# fw inspects port 5060 from where the sender waits (wait:): the flow's
# start, a 180 and a 200 cut in its body, is not seen. Then: the rest of
# that body (tcp_midstream), 486 and 487; 603 and a 480 cut in its body;
# its rest, 481 and 482 cut in its headers; their rest and 483; a 484
# whose status line is cut after "SIP/2.0 4"; its rest and 485.
MID_SEGS=(180 half:200 "wait:$tmp/step" rest+486+487 603+half:480
	rest+481+cut:60:482 rest+483 cut:9:484 rest+485)
for v in 4 6; do
	if [ $v = 4 ]; then dst=10.0.1.2; fam=; else dst=fd00:1::2; fam=-6; fi
	reset_all
	ctl $fw ports set 5070
	(slowwait 60 test -e "$tmp/step" >/dev/null; ctl $fw ports set 5060; rm -f "$tmp/step") &
	tcp_run "3: IPv$v: port inspected mid-connection" "${MID_SEGS[@]}"
	mapfile -t c < <(counts $fw $cli)
	check "3: IPv$v: fw: the rest of a body in tcp_midstream, then every response" \
		"${c[0]}" "480:1 481:1 482:1 483:1 484:1 485:1 486:1 487:1 603:1 tcp_midstream:1"
	check "3: IPv$v: cli, which saw the flow's start, counts every response" \
		"${c[1]}" "180:1 200:1 480:1 481:1 482:1 483:1 484:1 485:1 486:1 487:1 603:1"
done
timing "3"

# --- 4. a NOTIFY's sipfrag at a segment's start ------------------------------------------
# A 180; a NOTIFY cut after its headers; its body, "SIP/2.0 503 Service
# Unavailable", and a 486; another NOTIFY cut the same way; its body
# alone; a 487. In srv (LOCAL_OUT), fw and cli.
for v in 4 6; do
	if [ $v = 4 ]; then dst=10.0.1.2; fam=; else dst=fd00:1::2; fam=-6; fi
	reset_all
	tcp_run "4: IPv$v: NOTIFY cut before its sipfrag body" \
		180 cut:body:notify-sipfrag rest+486 cut:body:notify-sipfrag rest 487
	mapfile -t c < <(counts $srv $fw $cli)
	check "4: IPv$v: srv, fw, cli: no 503, the NOTIFYs not responses" \
		"${c[0]} | ${c[1]} | ${c[2]}" \
		"180:1 486:1 487:1 not_response:2 | 180:1 486:1 487:1 not_response:2 | 180:1 486:1 487:1 not_response:2"
done
wait $sink
bg_del $sink
timing "4"

# --- 5. the flow table full ------------------------------------------------------------
if ! modinfo -p "$KO" | grep -q '^tcp_flows:'; then
	not_ok "5: the module has a parameter tcp_flows" "got:  none" "want: tcp_flows"
else
	load_module tcp_flows=4
	check "5: insmod tcp_flows=4" "$?" 0
	check "5: tcp_flows is 4" "$(cat /sys/module/sipcode/parameters/tcp_flows)" 4
	ip netns exec $cli $GEN tcpsink 5060 --conns 5 --timeout 300 >tsink &
	sink=$!
	bg_add $sink
	check_wait "5: a TCP sink ready in cli" 60 grep -q ready tsink
	# 4 connections at once, made one after another, then on each in
	# turn: 180, a 200 cut in its body, the rest and 486, a 183.
	out=$(ip netns exec $srv $GEN tcp --bytes --conns 4 10.0.1.2 5060 \
		180 half:200 rest+486 183)
	got=$(slowwait 60 lines tsink 2 5)
	b=${out#* }
	check "5: 4 connections at once, every byte received" "$got" "$b $b $b $b"
	mapfile -t c < <(counts $fw $cli)
	check "5: fw: 2 connections followed, 2 segment by segment (tcp_untracked)" \
		"${c[0]}" "180:4 183:4 200:4 486:4 tcp_untracked:2"
	check "5: cli, whose table is as small: the same" \
		"${c[1]}" "180:4 183:4 200:4 486:4 tcp_untracked:2"
	reset_all
	out=$(ip netns exec $srv $GEN tcp --bytes 10.0.1.2 5060 180 half:200 rest+486 183)
	got=$(slowwait 60 lines tsink 6 6)
	check "5: then one more connection, every byte received" "$got" "${out#* }"
	check "5: the 4 closed, their flows free: the new one followed" \
		"$(counts $fw)" "180:1 183:1 200:1 486:1"
fi
timing "5"

# --- 1 and 2: fw against tshark ------------------------------------------------------------
wait $tshark_pid
check "tshark read the capture" "$? $(grep -v '^Running as user' tshark.err | head -n 3)" "0 "
bg_del $tshark_pid
timing "1, 2: tshark (beside 3 to 5)"
# in_run ID: the lines of cap.tshark in run ID's time and from its
# responses' source.
in_run() {
	awk -v id="$1" -v src="${RUN_SRC[$1]}" '
		NR == FNR { if ($1 == id) { t0 = prev; t1 = $2 } prev = $2; next }
		$1 > t0 && $1 <= t1 && $2 == src' runs cap.tshark
}
for id in w4a w4b w6a w6b la lb; do
	in_run $id >"$id.tshark"
	ts=$(awk '$3 != "-" { n = split($3, a, ","); for (i = 1; i <= n; i++) k[a[i]]++ }
		END { for (x in k) print x ":" k[x] }' "$id.tshark" | sort -n | paste -sd ' ')
	fwc=$(cat "$id.fw")
	check "${RUN_NAME[$id]}: fw counts what tshark does" "$(codes_part "$fwc")" "$ts"
	check "${RUN_NAME[$id]}: tshark counts what the ${RUN_N[$id]} calls made" \
		"$ts" "$(want_calls "${RUN_N[$id]}")"
	echo "# ${RUN_NAME[$id]}: fw: $fwc; tshark: $(awk '$3 != "-"' "$id.tshark" | wc -l)" \
		"frames with responses, $(awk '$4 > 1' "$id.tshark" | wc -l) ending one" \
		"reassembled from more than a segment; $(awk '$6 != "-"' "$id.tshark" | wc -l)" \
		"retransmitted or out of order, $(awk '$6 != "-" && $3 != "-"' "$id.tshark" | wc -l)" \
		"of them with a response tshark counted"
done
nooo=$(awk '$6 != "-"' lb.tshark | wc -l)
check "2b: fw saw segments after a hole (tshark: $nooo out of order or sent again)" \
	"$([ "$nooo" -gt 0 ] && echo yes)" yes
cat w4a.tshark w4b.tshark w6a.tshark w6b.tshark >wire.tshark
nre=$(awk '$4 > 1' wire.tshark | wc -l)
check "1: responses span segments ($nre frames end one tshark reassembled)" \
	"$([ "$nre" -gt 0 ] && echo yes)" yes
check "1: no frame longer than the MTU (no GSO, no GRO)" \
	"$(awk '$5 > 1514' wire.tshark | wc -l)" 0
if [ -n "${TCPSTREAM_DUMP:-}" ]; then
	echo "# the capture of 1 and 2, base64 (TCPSTREAM_DUMP):"
	base64 -w 0 cap.pcapng | sed 's/^/# pcapng:/'
	echo
fi

echo "# time: tcpstream.sh: $((SECONDS - start)) s"
test_unload
finish
