#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipcode selftest: transactions ("config transactions on"), on the
# topology of tests/lib.sh, fw forwarding and following them:
#
#   1. delays: a UAS in srv (sipp, tests/sipp/txn-uas.xml) answers an
#      INVITE 100 at once, 180 300 ms later and 200 1 s after that, a BYE
#      200 at once, a REGISTER 200 after 150 ms; a UAC in cli makes
#      TXN_CALLS calls and TXN_REGS registrations (UDP, IPv4, nothing
#      sent twice). Every SRD falls in (0.25 s, 0.5 s], every INVITE's
#      final (class 2) in (1 s, 2.5 s], every RRD in (0.1 s, 0.25 s];
#      the other finals (class 2) are the BYEs' and the REGISTERs'. Each
#      mean minus its pause is >= 0 and below TXN_DELAY_BOUND_MS, default
#      100 ms: sipp sleeps in steps of its 10 ms timer; on a host, of 60
#      calls and 60 registrations on the wire in fw, none was less than 1
#      ms above its pause, and the means were 2 to 10 ms above; 100 ms
#      leaves a loaded QEMU TCG guest ten times that, to be narrowed to
#      what the guests print: the means and their deviations ("# srd
#      mean 0.3043 s (pause 0.300; ...)"), beside the same delays as
#      tshark measures them on a capture in fw.
#      The first finals per code, the transactions and their methods are
#      exact;
#   2. a retransmitted 200: TXN_RETX_CALLS INVITEs never acknowledged
#      (tests/sipp/txn-noack-uac.xml); over UDP sipp's UAS sends the 200
#      again by its own timer (tests/sipp/txn-noack-uas.xml: 3 times a
#      call), over TCP the scenario repeats it (txn-noack-tcp-uas.xml:
#      2 times a call). Over IPv4 and IPv6, UDP and TCP: fw's 200s are
#      seen 1 + N a call, first_final 1 a call, retransmitted N, N being
#      tshark's count on a capture taken in fw (the 200s of a transaction
#      after its first; over UDP also sip.resend, which tshark computes
#      for UDP alone). sipp takes IPv6 from its addresses (3.6 has no
#      -6 option), each bound to one address: no dual-stack socket;
#   3. a flood: transactions-max 64, TXN_FLOOD distinct INVITEs that no
#      one answers: each tracked or untracked, some untracked, never more
#      than 64 entries at any read during the flood; all forgotten (as
#      timeouts) 32 s after their request; switched off and on, an empty
#      table. The table's memory: charged at switch on, to the memory
#      cgroup of who switched it on, a bucket of 5 transactions in 128
#      bytes for transactions-max (at most twice that, whatever the
#      locks: lockdep makes a spinlock larger), and
#      uncharged when switched off. A flood after it adds nothing to the
#      cgroup (a growing table would be charged where it was allocated:
#      in softirq, to no cgroup, so this shows only that nothing is
#      allocated on behalf of who switched it on);
#   4. the RFC 6076 ratios (stats --kpi): INVITEs and REGISTERs answered
#      with known codes, one REGISTER never: the first finals by code,
#      SER, SEER, ISA, IRA and ASR, as computed by hand, in JSON, text
#      and Prometheus.
#
# Needs root, sipp, tshark and tcpdump. Loads the module from $KO. Exits
# 4 (skip) when a requirement is missing, or the module has no
# transactions. TAP output.

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"
CALLS=${TXN_CALLS:-10}
REGS=${TXN_REGS:-5}
RETX_CALLS=${TXN_RETX_CALLS:-3}
FLOOD=${TXN_FLOOD:-500}
BOUND_MS=${TXN_DELAY_BOUND_MS:-100}
SIPP=$top/tests/sipp
cg=
cleanup_extra() {
	[ -z "$cg" ] || { rmdir "$cg/txn" 2>/dev/null; umount "$cg" 2>/dev/null; rmdir "$cg"; }
}
test_init
require sipp tshark tcpdump
start=$SECONDS
timing_start
load_module
check "insmod" "$?" 0
topo_setup $$ || skip_all "cannot build the namespaces"
cd "$tmp" || exit 1
# no_txn WHY: unloads the module and skips.
no_txn() {
	cleanup
	trap - EXIT
	rmmod sipcode
	skip_all "$1"
}
ctl $fw config transactions on 2>/dev/null || no_txn "no transactions in this module"
ctl $fw stats --delays -j >/dev/null 2>&1 || no_txn "no stats --delays in sipcodectl"

# txn: fw's transactions (stats --delays -j); txn_q FILTER: a jq filter of it.
# txn: stats --delays -j of fw; from $snap, when set: the checks of a
# case read what it left, not what 32 s of expiry make of it later.
txn() { if [ -n "${snap:-}" ]; then cat "$snap"; else ctl $fw stats --delays -j; fi; }
txn_q() { txn | jq -r "$1"; }
# fresh: fw's counters reset and an empty table, with its counts.
fresh() {
	ctl $fw config transactions off && ctl $fw config transactions on &&
		ctl $fw stats reset
}
# code_of CODE: "SEEN FIRST_FINAL RETRANSMITTED" of a code in fw (0 0 0
# when not counted).
code_of() {
	ctl $fw stats -j | jq -r --argjson c "$1" \
		'[.codes[] | select(.code == $c)] | first //
		 {seen: 0, first_final: 0, retransmitted: 0} |
		 "\(.seen) \(.first_final) \(.retransmitted)"'
}
# hist KIND CLASS LE_US: "COUNT IN_BUCKET SUM_US" of a histogram (CLASS
# null for srd and rrd), IN_BUCKET the count of its bucket of bound
# LE_US; "0 0 0" when absent.
hist() {
	txn | jq -r --arg k "$1" --argjson c "$2" --argjson le "$3" '
		[.delays[] | select(.kind == $k and .class == $c)] | first //
		 {count: 0, sum_us: 0, buckets: []} |
		"\(.count) \([.buckets[] | select(.le_us == $le) | .count] | add // 0) \(.sum_us)"'
}
# method M: "TRACKED UNTRACKED RETRANSMITTED TIMEOUTS" of method M.
method() {
	txn | jq -r --arg m "$1" '[.methods[] | select(.method == $m)] | first //
		{tracked: 0, untracked: 0, retransmitted: 0, timeouts: 0} |
		"\(.tracked) \(.untracked) \(.retransmitted) \(.timeouts)"'
}
# txn_counts: "ENTRIES TRACKED UNTRACKED RETRANSMITTED UNMATCHED TIMEOUTS".
txn_counts() {
	txn_q '.txn | "\(.entries) \(.tracked) \(.untracked) \(.retransmitted) \(.unmatched) \(.timeouts)"'
}
# listening PROTO ADDR:PORT: a socket of srv listening there (ss -u / -t).
listening() { ip netns exec $srv ss -Hnl"$1" | grep -qF " $2 "; }
# capture ID: tcpdump in fw, on veth1 (srv's side) both ways, port 5060,
# into ID.pcap, until capture_stop; fails when it does not start.
capture() {
	ip netns exec $fw tcpdump -i veth1 -w "$1.pcap" -U --immediate-mode -B 8192 \
		-s 0 'port 5060' >"$1.tcpdump" 2>&1 &
	cap_pid=$!
	bg_add $cap_pid
	slowwait 60 grep -qs "listening on" "$1.tcpdump"
}
# capture_stop ID: prints the packets tcpdump says the kernel dropped.
capture_stop() {
	kill -INT $cap_pid
	wait $cap_pid 2>/dev/null
	bg_del $cap_pid
	sed -n 's/^\([0-9]*\) packets dropped by kernel$/\1/p' "$1.tcpdump"
}
# uas XML PROTO ADDR [ARGS...]: sipp answering in srv on ADDR:5060 (-t
# u1 or t1), until uas_stop; fails when it does not listen in 60 s.
uas() {
	local xml=$1 proto=$2 addr=$3 a

	shift 3
	[ "${xml#/}" != "$xml" ] || xml=$SIPP/$xml
	ip netns exec $srv sipp -sf "$xml" -t "${proto:0:1}1" -i "$addr" -p 5060 \
		-nostdin "$@" >"uas.log" 2>&1 &
	uas_pid=$!
	bg_add $uas_pid
	a=$addr
	[ "${addr#*:}" = "$addr" ] || a="[$addr]"
	slowwait 60 listening "${proto:0:1}" "$a:5060"
}
uas_stop() {
	kill $uas_pid 2>/dev/null
	wait $uas_pid 2>/dev/null
	bg_del $uas_pid
}
# uac ID XML PROTO ADDR PORT REMOTE N ARGS...: sipp in cli, N calls from
# ADDR:PORT to REMOTE, 10 a second, all at once at most; its exit status.
uac() {
	local id=$1 xml=$2 proto=$3 addr=$4 port=$5 remote=$6 n=$7 rc

	shift 7
	[ "${xml#/}" != "$xml" ] || xml=$SIPP/$xml
	ip netns exec $cli sipp -sf "$xml" -t "${proto:0:1}1" -i "$addr" -p "$port" \
		"$remote" -m "$n" -r 10 -l "$n" -nostdin -timeout 120s -trace_err \
		-error_file "$id.err" "$@" >"$id.log" 2>&1
	rc=$?
	if [ $rc != 0 ]; then
		grep -E 'Successful call|Failed call' "$id.log" | sed 's/^/# sipp: /'
		grep -v '^$' "$id.err" | head -n 5 | sed 's/^/# sipp: /'
	fi
	return $rc
}
timing "setup: module, namespaces"

# --- 1. delays ----------------------------------------------------------------------
fresh
check "1: transactions on, counters reset" "$(txn_counts)" "0 0 0 0 0 0"
capture delays
check "1: tcpdump captures on fw's veth1" "$?" 0
uas txn-uas.xml udp 10.0.2.2 -nr
check "1: a UAS in srv (pauses of 300 ms, 1 s, 150 ms)" "$?" 0
uac calls txn-call-uac.xml udp 10.0.1.2 5061 10.0.2.2:5060 "$CALLS" -nr
check "1: sipp's $CALLS calls all end well (exit 0)" "$?" 0
uac regs txn-register-uac.xml udp 10.0.1.2 5062 10.0.2.2:5060 "$REGS" -nr
check "1: sipp's $REGS registrations all end well (exit 0)" "$?" 0
uas_stop
check "1: the capture is whole (tcpdump: none dropped by the kernel)" \
	"$(capture_stop delays)" 0
timing "1: calls"
snap=$tmp/delays.json
ctl $fw stats --delays -j >"$snap"

read -r n in sum <<<"$(hist srd null 500000)"
check "1: srd: $CALLS delays, all in (0.25 s, 0.5 s]" "$n $in" "$CALLS $CALLS"
srd_sum=$sum srd_n=$n
read -r n in sum <<<"$(hist invite_final 2 2500000)"
check "1: invite-final 2xx: $CALLS delays, all in (1 s, 2.5 s]" "$n $in" "$CALLS $CALLS"
inv_sum=$sum inv_n=$n
read -r n in sum <<<"$(hist rrd null 250000)"
check "1: rrd: $REGS delays, all in (0.1 s, 0.25 s]" "$n $in" "$REGS $REGS"
rrd_sum=$sum rrd_n=$n
read -r n in sum <<<"$(hist other_final 2 10000)"
# quantiles KIND CLASS LO HI: yes when p50, p90 and p99 are in (LO, HI].
quantiles() {
	txn | jq -r --arg k "$1" --argjson c "$2" --argjson lo "$3" --argjson hi "$4" '
		[.delays[] | select(.kind == $k and .class == $c)] | first // {} |
		[.p50_us, .p90_us, .p99_us] |
		if all(type == "number" and . > $lo and . <= $hi) then "yes"
		else "p50, p90, p99: \(map(tostring) | join(" "))" end'
}
q="$(quantiles srd null 250000 500000), $(quantiles invite_final 2 1000000 2500000)"
check "1: srd, invite-final, rrd: p50, p90, p99 in the bucket of every delay" \
	"$q, $(quantiles rrd null 100000 250000)" "yes, yes, yes"
check "1: other-final 2xx: the BYEs' and the REGISTERs' ($((CALLS + REGS)))" \
	"$n" "$((CALLS + REGS))"
check "1: no other histogram (no class but 2)" \
	"$(txn_q '[.delays[] | select(.class != null and .class != 2)] | length')" 0
# wire KIND: the mean delay (s) tshark sees on fw's veth1: from a
# request to its first response other than 100 (srd), to its first
# final (invite, rrd).
tshark -r delays.pcap -Y sip -T fields -e frame.time_epoch -e sip.Call-ID \
	-e sip.Method -e sip.Status-Code -e sip.CSeq.method >delays.sip 2>/dev/null
wire() {
	awk -F '\t' -v kind="$1" '
		$3 != "" { if (!(($2 " " $3) in t0)) t0[$2 " " $3] = $1; next }
		$4 == "" || !(($2 " " $5) in t0) { next }
		{ k = $2 " " $5 }
		kind == "srd" && $5 == "INVITE" && $4 != 100 && !(k in done) ||
		kind == "invite" && $5 == "INVITE" && $4 >= 200 && !(k in done) ||
		kind == "rrd" && $5 == "REGISTER" && $4 >= 200 && !(k in done) {
			done[k] = 1; s += $1 - t0[k]; n++
		}
		END { if (n) printf "%.4f", s / n; else printf "-" }' delays.sip
}
# mean NAME SUM_US N PAUSE_MS WIRE: prints the mean and checks it against
# the pause: 0 <= mean - pause < BOUND_MS.
mean() {
	local name=$1 sum=$2 n=$3 pause=$4 wire=$5 dev

	if [ "${n:-0}" = 0 ]; then
		not_ok "1: $name mean - pause in [0, $BOUND_MS ms)" "no delay measured"
		return
	fi
	dev=$(((sum / n) - pause * 1000))
	printf '# %s mean %s s (pause %s; deviation %s ms; tshark in fw: %s s)\n' "$name" \
		"$(awk -v s="$sum" -v n="$n" 'BEGIN { printf "%.4f", s / n / 1e6 }')" \
		"$(awk -v p="$pause" 'BEGIN { printf "%.3f", p / 1000 }')" \
		"$(awk -v d="$dev" 'BEGIN { printf "%.1f", d / 1000 }')" "$wire"
	check "1: $name mean - pause in [0, $BOUND_MS ms)" \
		"$([ "$dev" -ge 0 ] && [ "$dev" -lt $((BOUND_MS * 1000)) ] && echo yes)" yes
}
mean srd "$srd_sum" "$srd_n" 300 "$(wire srd)"
mean invite-final "$inv_sum" "$inv_n" 1300 "$(wire invite)"
mean rrd "$rrd_sum" "$rrd_n" 150 "$(wire rrd)"

check "1: 200: seen, first_final, retransmitted" "$(code_of 200)" \
	"$((2 * CALLS + REGS)) $((2 * CALLS + REGS)) 0"
check "1: 180 and 100: seen, never first final" "$(code_of 180) | $(code_of 100)" \
	"$CALLS 0 0 | $CALLS 0 0"
# Every transaction is kept 32 s after its final: all there still.
check "1: transactions: entries, tracked, untracked, retransmitted, unmatched, timeouts" \
	"$(txn_counts)" "$((2 * CALLS + REGS)) $((2 * CALLS + REGS)) 0 0 0 0"
check "1: methods INVITE, BYE, REGISTER: tracked, untracked, retransmitted, timeouts" \
	"$(method INVITE) | $(method BYE) | $(method REGISTER)" \
	"$CALLS 0 0 0 | $CALLS 0 0 0 | $REGS 0 0 0"
check "1: no ACK counted as a method's request" "$(method ACK)" "0 0 0 0"
timing "1: checks"

# --- 2. a retransmitted 200 ---------------------------------------------------------
snap=
# retx ID NAME PROTO UAS_ADDR UAC_ADDR REMOTE PORT XML: RETX_CALLS
# INVITEs never acknowledged; fw's counts against tshark's.
retx() {
	local id=$1 name=$2 proto=$3 saddr=$4 caddr=$5 remote=$6 port=$7 xml=$8
	local tot rep res want

	snap=
	fresh
	capture "$id" || { not_ok "$name: tcpdump captures on fw's veth1"; return; }
	uas "$xml" "$proto" "$saddr"
	check "$name: a UAS in srv" "$?" 0
	# Not -nr: sipp takes a 200 sent again over UDP for what it is.
	uac "$id" txn-noack-uac.xml "$proto" "$caddr" "$port" "$remote" "$RETX_CALLS" -nd
	check "$name: sipp's $RETX_CALLS INVITEs all end well (exit 0)" "$?" 0
	uas_stop
	# What the calls left, read before 32 s of expiry forget it.
	snap=$tmp/$id.json
	ctl $fw stats --delays -j >"$snap"
	check "$name: the capture is whole (tcpdump: none dropped by the kernel)" \
		"$(capture_stop "$id")" 0
	# tshark: the 200s, those after the first of their transaction
	# (Call-ID and CSeq), and those it flags sip.resend (UDP only).
	read -r tot rep res < <(tshark -r "$id.pcap" -Y 'sip.Status-Code == 200' -T fields \
		-E occurrence=a -E aggregator=' ' -e sip.Call-ID -e sip.CSeq.seq \
		-e sip.Status-Code -e sip.resend 2>/dev/null |
		awk -F '\t' '{
			n = split($1, c, " "); split($2, s, " "); split($3, k, " ")
			split($4, r, " ")
			for (i = 1; i <= n; i++) if (k[i] == 200) {
				tot++
				if (seen[c[i] " " s[i]]++) rep++
				if (r[i] == 1) res++
			}
		} END { print tot + 0, rep + 0, res + 0 }')
	echo "# $name: tshark: $tot 200s, $rep of them sent again, $res flagged sip.resend;" \
		"fw: 200 $(code_of 200) (seen, first_final, retransmitted)"
	check "$name: tshark: the $RETX_CALLS 200s, each sent again ($rep in all)" \
		"$((tot - rep)) $([ "$rep" -ge "$RETX_CALLS" ] && echo yes)" "$RETX_CALLS yes"
	[ "$proto" = tcp ] ||
		check "$name: tshark's sip.resend flags those sent again" "$res" "$rep"
	check "$name: fw's 200: seen 1 + N a call, first_final 1 a call, retransmitted N = tshark's" \
		"$(code_of 200)" "$tot $RETX_CALLS $rep"
	check "$name: transactions: entries, tracked, untracked, retransmitted, unmatched, timeouts" \
		"$(txn_counts)" "$RETX_CALLS $RETX_CALLS 0 0 0 0"
	read -r want _ <<<"$(hist invite_final 2 0)"
	check "$name: invite-final 2xx: one delay a call" "$want" "$RETX_CALLS"
}
retx u4 "2: IPv4 UDP" udp 10.0.2.2 10.0.1.2 10.0.2.2:5060 5071 txn-noack-uas.xml
retx t4 "2: IPv4 TCP" tcp 10.0.2.2 10.0.1.2 10.0.2.2:5060 5072 txn-noack-tcp-uas.xml
retx u6 "2: IPv6 UDP" udp fd00:2::2 fd00:1::2 "[fd00:2::2]:5060" 5073 txn-noack-uas.xml
retx t6 "2: IPv6 TCP" tcp fd00:2::2 fd00:1::2 "[fd00:2::2]:5060" 5074 txn-noack-tcp-uas.xml
snap=
timing "2"

# --- 3. a flood ---------------------------------------------------------------------
ctl $fw config transactions off && ctl $fw config transactions-max 64 &&
	ctl $fw config transactions on && ctl $fw stats reset
check "3: transactions on, transactions-max 64, an empty table" \
	"$(txn_q .transactions_max) $(txn_counts)" "64 0 0 0 0 0 0"
# cli sends FLOOD INVITEs (distinct Via branch, Call-ID and CSeq) to srv,
# where nothing listens, 5 ms apart; meanwhile fw's entries are read
# again and again.
ip netns exec $cli $GEN send --sport 5060 --gap 0.005 10.0.2.2 5060 "req*$FLOOD" >flood.out &
flood_pid=$!
bg_add $flood_pid
while kill -0 $flood_pid 2>/dev/null; do txn_q .txn.entries; done >entries
wait $flood_pid
bg_del $flood_pid
check "3: $FLOOD INVITEs sent" "$(cat flood.out)" "$FLOOD"
read -r entries tracked untracked retr unmatched _ <<<"$(txn_counts)"
nreads=$(wc -l <entries)
maxe=$(sort -n entries | tail -n 1)
echo "# 3: $nreads reads during the flood, at most ${maxe:-none} entries;" \
	"then entries $entries, tracked $tracked, untracked $untracked"
check "3: every read during the flood: entries <= 64 (and some)" \
	"$([ "$nreads" -gt 0 ] && [ "${maxe:-0}" -le 64 ] && [ "${maxe:-0}" -gt 0 ] && echo yes)" yes
check "3: tracked + untracked = requests sent, untracked > 0" \
	"$((tracked + untracked)) $([ "$untracked" -gt 0 ] && echo yes)" "$FLOOD yes"
check "3: none retransmitted or unmatched; entries <= 64, tracked >= entries" \
	"$retr $unmatched $([ "$entries" -le 64 ] && [ "$tracked" -ge "$entries" ] && echo yes)" \
	"0 0 yes"
check "3: INVITE: tracked and untracked as the table's" \
	"$(method INVITE | cut -d' ' -f1,2)" "$tracked $untracked"
timing "3: flood"
empty() { [ "$(txn_q .txn.entries)" = 0 ]; }
check_wait "3: all forgotten within 45 s (32 s after their request)" 45 empty
check "3: each a timeout: timeouts = tracked (table and INVITE)" \
	"$(txn_q .txn.timeouts) $(method INVITE | cut -d' ' -f4)" "$tracked $tracked"
timing "3: timeouts"

# Off and on: the table and its counts freed, an empty one.
ip netns exec $cli $GEN send --sport 5060 10.0.2.2 5060 "req*20" >/dev/null
read -r entries tracked2 _ <<<"$(txn_counts)"
check "3: 20 more INVITEs: some remembered (entries = tracked since: $entries)" \
	"$([ "$entries" -gt 0 ] && echo yes) $((tracked2 - tracked))" "yes $entries"
ctl $fw config transactions off
check "3: switched off: no transactions to read (stats --delays fails)" \
	"$(txn >/dev/null 2>&1 && echo read || echo fails)" fails
ctl $fw config transactions on
check "3: switched on again: an empty table, no counts" \
	"$(txn_q .transactions_max) $(txn_counts)" "64 0 0 0 0 0 0"

# The table's memory, charged to the memory cgroup of who switches it on.
MEM_MAX=262144
cgdir=$(mktemp -d)
if mount -t cgroup2 none "$cgdir" 2>/dev/null; then
	cg=$cgdir
	echo +memory >"$cg"/cgroup.subtree_control 2>/dev/null
	mkdir "$cg"/txn
fi
if [ -z "$cg" ] || [ ! -e "$cg"/txn/memory.current ]; then
	[ -n "$cg" ] || rmdir "$cgdir"
	ok "3: the table's memory charged to a cgroup # SKIP no cgroup2 memory controller"
else
	ctl $fw config transactions off
	mem0=$(cat "$cg"/txn/memory.current)
	ip netns exec $fw sh -c 'echo $$ >"$1"/cgroup.procs &&
		exec "$2" config transactions-max "$3" transactions on' \
		sh "$cg/txn" "$CTL" $MEM_MAX
	mem1=$(cat "$cg"/txn/memory.current)
	want=$((MEM_MAX / 5 * 128))
	echo "# 3: transactions-max $MEM_MAX switched on in a cgroup: memory.current" \
		"$mem0 -> $mem1 bytes (+$(((mem1 - mem0) / 1024)) KiB; 128 bytes a bucket of 5:" \
		"$((want / 1024)) KiB)"
	check "3: the table charged at switch on: 128 bytes a bucket of 5 (at most twice)" \
		"$([ $((mem1 - mem0)) -ge $want ] && [ $((mem1 - mem0)) -lt $((2 * want)) ] && echo yes)" yes
	ip netns exec $cli $GEN send --sport 5060 10.0.2.2 5060 "req*$FLOOD" >/dev/null
	mem2=$(cat "$cg"/txn/memory.current)
	echo "# 3: after $FLOOD more INVITEs: memory.current $mem2 bytes ($(txn_q .txn.entries) entries)"
	check "3: the flood adds nothing to it (within 256 KiB)" \
		"$([ $((mem2 - mem1)) -lt 262144 ] && [ $((mem1 - mem2)) -lt 262144 ] && echo yes)" yes
	ctl $fw config transactions off
	uncharged() { [ "$(cat "$cg"/txn/memory.current)" -lt $((mem0 + 1048576)) ]; }
	check_wait "3: switched off: uncharged (memory.current back within 1 MiB)" 30 uncharged
	echo "# 3: switched off: memory.current $(cat "$cg"/txn/memory.current) bytes"
fi
timing "3: off and on, memory"

# --- 4. the RFC 6076 ratios ------------------------------------------------------------
# A UAS in srv answers each INVITE and REGISTER of a UAC in cli with one
# code a run (tests/sipp/kpi-*.xml, -nr: nothing sent twice); one
# REGISTER goes to a port where nothing listens, and is forgotten
# unanswered 32 s later. By hand, of the 12 INVITEs (6 answered 200, 2
# 486, 1 each 302, 408, 480 and 503) and 5 REGISTERs (3 answered 200, 1
# 503, 1 never): SER 6 / (12 - 1) = 54.55 %, SEER (6 + 2 + 1) / 11 =
# 81.82 %, ISA (1 + 1) / 12 = 16.67 %, ASR 6 / 12 = 50.00 %, IRA (1 + 1)
# / 5 = 40.00 %.
fresh
ip netns exec $cli $GEN send --sport 5080 10.0.2.2 5060 \
	'line:REGISTER sip:10.0.2.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.1.2:5080;branch=z9hG4bK-kpi-lost\r\nFrom: <sip:lost@10.0.2.2>;tag=1\r\nTo: <sip:lost@10.0.2.2>\r\nCall-ID: kpi-lost\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n*1' \
	>/dev/null
# kpi KIND CODE REASON N: N requests (KIND "" INVITE, "reg-" REGISTER)
# answered CODE REASON.
kpi() {
	local k=$1 code=$2 reason=$3 n=$4

	sed "s/@CODE@/$code/; s/@REASON@/$reason/" "$SIPP/kpi-${k}uas.xml" >"kpi-${k}uas-$code.xml"
	sed "s/@CODE@/$code/" "$SIPP/kpi-${k}uac.xml" >"kpi-${k}uac-$code.xml"
	uas "$tmp/kpi-${k}uas-$code.xml" udp 10.0.2.2 -nr || return 1
	uac "kpi-$k$code" "$tmp/kpi-${k}uac-$code.xml" udp 10.0.1.2 5081 10.0.2.2:5060 "$n" -nr
	local rc=$?
	uas_stop
	return $rc
}
kpi "" 200 OK 6 && kpi "" 486 "Busy Here" 2 && kpi "" 302 "Moved Temporarily" 1 &&
	kpi "" 408 "Request Timeout" 1 && kpi "" 480 "Temporarily Unavailable" 1 &&
	kpi "" 503 "Service Unavailable" 1 && kpi reg- 200 OK 3 &&
	kpi reg- 503 "Service Unavailable" 1
check "4: sipp's 12 INVITEs and 4 REGISTERs all answered as the scenarios say" "$?" 0
lost() { [ "$(method REGISTER)" = "5 0 0 1" ]; }
loopy_wait "sleep 1" 60000 lost
check "4: REGISTERs tracked 5, the one no one answered a timeout (32 s after it)" \
	"$(method REGISTER)" "5 0 0 1"
ctl $fw stats --kpi -j >kpi.json
check "4: first finals of INVITE, and of REGISTER, by code" \
	"$(jq -c '[.invite.transactions, .invite.finals, .register.transactions, .register.timeouts, .register.finals]' kpi.json)" \
	'[12,{"200":6,"302":1,"408":1,"480":1,"486":2,"503":1},5,1,{"200":3,"503":1}]'
check "4: SER, SEER, ISA, IRA, ASR: the counts and percents computed by hand" \
	"$(jq -r '[.ratios | to_entries[] | "\(.key) \(.value.numerator)/\(.value.denominator) \(.value.percent)"] | join(", ")' kpi.json)" \
	"ser 6/11 54.55, seer 9/11 81.82, isa 2/12 16.67, ira 2/5 40, asr 6/12 50"
check "4: stats --kpi: a line a ratio, the RFC's section" \
	"$(ctl $fw stats --kpi | awk '$1 == "SER" || $1 == "IRA" { print $1, $2, $3, $4, $5 }')" \
	"SER 54.55 6 11 4.6
IRA 40.00 2 5 4.2"
check "4: Prometheus: the first finals of INVITE and REGISTER by code" \
	"$(ctl $fw stats -o prometheus | grep '^sipcode_transaction_finals_total' | sort | tr '\n' ' ')" \
	'sipcode_transaction_finals_total{method="INVITE",code="200",class="2xx"} 6 sipcode_transaction_finals_total{method="INVITE",code="302",class="3xx"} 1 sipcode_transaction_finals_total{method="INVITE",code="408",class="4xx"} 1 sipcode_transaction_finals_total{method="INVITE",code="480",class="4xx"} 1 sipcode_transaction_finals_total{method="INVITE",code="486",class="4xx"} 2 sipcode_transaction_finals_total{method="INVITE",code="503",class="5xx"} 1 sipcode_transaction_finals_total{method="REGISTER",code="200",class="2xx"} 3 sipcode_transaction_finals_total{method="REGISTER",code="503",class="5xx"} 1 '
ctl $fw stats reset
check "4: stats reset: no first final left" "$(ctl $fw stats --kpi -j | jq -c '[.invite.finals, .register.finals]')" '[{},{}]'
timing "4: ratios"

echo "# time: transactions.sh: $((SECONDS - start)) s"
test_unload
finish
