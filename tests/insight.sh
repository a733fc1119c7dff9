#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipcode insight selftest, on the topology of tests/lib.sh (srv sends
# through fw to cli; every namespace counts what it sees):
#
#   - config: the defaults of a namespace, changes of several settings in
#     one command, values refused (exit 2), non-root refused (EPERM);
#   - per-method counts (config by-method): exact counts per (code, CSeq
#     method) over UDP, IPv6 and TCP (one segment, three responses) in
#     srv (LOCAL_OUT), fw (forwarded) and cli (delivered): every method
#     name, unknown and lower-case methods and no CSeq (other), CSeq in
#     other cases and with SP and HTAB around the colon, a CSeq line
#     quoted in another header, CSeq within and beyond the first 2048
#     bytes of headers; stats -j unchanged; off: stats --by-method exits
#     1; on again starts from zero;
#   - reason phrases (config reasons): exact phrases and counts, UTF-8,
#     an empty phrase, phrases of 31 and 32 bytes whole, longer ones cut
#     at 32 bytes and marked truncated (-j and text), apart from the
#     whole one of those 32 bytes, filters by code and class, not for
#     non-root (CAP_NET_ADMIN); then 10,000 distinct
#     phrases of 404 among 3,000 of one frequent phrase: at most 8
#     phrases kept, the frequent one first, other codes untouched, no
#     per-CPU memory grown and no slab (less than 64 kB);
#   - events (rule ... notify, sipcodectl monitor): the fields of each
#     event over UDP, IPv6 and TCP (a TCP drop reports count), monitor -n,
#     -t, SIGTERM and a filter by code, phrases over 32 bytes truncated
#     and those of 31 and 32 not, dry-run events, no monitor for
#     non-root; with no monitor the responses are unheard; a flood at
#     event-rate 20: the monitor gets at most the rate, every notified
#     response lands in exactly one of sent, ratelimited, lost and
#     unheard, and every response is still counted; each monitor's
#     summary has what the kernel's counters did meanwhile;
#   - with both tables off, everything is still counted exactly.
#
# Events are looked for in fw, where the rules are. A monitor has joined
# the group when a probe (a 199 response a notify rule matches) lands in
# "sent" rather than "unheard".
#
# Needs root; loads the module from $KO. Exits 4 (skip) when a
# requirement is missing. TAP output.

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"
test_init
require setpriv

start=$SECONDS
timing_start

load_module
check "insmod" "$?" 0
topo_setup $$ || skip_all "cannot build the namespaces"
# Responses of more than 1500 bytes (CSeq beyond 2048 bytes of headers)
# are not fragmented.
ip -n $srv link set veth0 mtu 9000
ip -n $fw link set veth1 mtu 9000
ip -n $fw link set veth0 mtu 9000
ip -n $cli link set veth0 mtu 9000
timing "setup"

nobody() { ip netns exec "$1" setpriv --reuid=65534 --regid=65534 --clear-groups "${@:2}"; }
# The settings of a namespace: "[dry_run,by_method,reasons,event_rate]".
config() { ctl "$1" config -j | jq -c '[.dry_run, .by_method, .reasons, .event_rate]'; }
# The per-method table of a namespace: "CODE/METHOD:COUNT ...", sorted.
bymethod() {
	ctl "$1" stats --by-method -j |
		jq -r '[.by_method[] | "\(.code)/\(.method):\(.count)"] | sort | join(" ")'
}
# The reason phrases of a namespace (of CODE or Nxx), as listed: a line
# "CODE|PHRASE|COUNT|TRUNCATED" each.
reasons() {
	ctl "$1" stats --reasons ${2:+"$2"} -j |
		jq -r '.reasons[] | "\(.code)|\(.phrase)|\(.count)|\(.truncated)"'
}
# The events counters of fw: "SENT RATELIMITED LOST UNHEARD".
events() {
	ctl $fw stats -j |
		jq -r '.events | "\(.sent) \(.ratelimited) \(.lost) \(.unheard)"'
}
# evdelta BEFORE: what each events counter of fw grew by since BEFORE.
evdelta() {
	local a b i out=

	read -ra b <<<"$1"
	read -ra a <<<"$(events)"
	for i in 0 1 2 3; do
		[[ ${a[i]} =~ ^[0-9]+$ && ${b[i]} =~ ^[0-9]+$ ]] ||
			{ echo "bad: $1 then ${a[*]}"; return; }
		out="$out $((a[i] - b[i]))"
	done
	echo "${out# }"
}
# verdicts of fw without the probes.
fw_verdicts() { verdicts $fw | tr ' ' '\n' | grep -v '^199:' | paste -sd ' '; }
# codes of a namespace without the probes.
codes_np() { codes "$1" | tr ' ' '\n' | grep -v '^199:' | paste -sd ' '; }
# A 199 response from srv to cli, for a notify rule of fw: one write()
# by cat (bash's printf would write a datagram a line).
printf 'SIP/2.0 199 Probe\r\n\r\n' >"$tmp/probe"
probe() {
	ip netns exec $srv bash -c 'cat "$1" >/dev/udp/10.0.1.2/5060' - "$tmp/probe"
}
# probe_sent N: a probe; succeeds when fw has sent more than N events.
probe_sent() {
	probe
	[ "$(ctl $fw stats -j | jq .events.sent)" -gt "$1" ] 2>/dev/null
}
# Waits until a monitor listens in fw: a probe is then sent, not unheard.
await_monitor() {
	local s

	s=$(ctl $fw stats -j | jq .events.sent)
	slowwait 60 probe_sent "${s:-0}" >/dev/null
}
# monitor_start N NAME ARGS...: a monitor -j ARGS in fw, its pid in mpid,
# its output in $tmp/monN and $tmp/monN.err; checks NAME: it joined.
monitor_start() {
	local n=$1 name=$2

	shift 2
	ip netns exec $fw "$CTL" monitor -j "$@" \
		>"$tmp/mon$n" 2>"$tmp/mon$n.err" &
	mpid=$!
	bg_add $mpid
	await_monitor
	check "$name" "$?" 0
}
# wait_pid PID SECONDS: its exit status, or 124 after killing it if it
# has not exited by then.
wait_pid() {
	for _ in $(seq $(($2 * 10))); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -KILL "$1"
		wait "$1" 2>/dev/null
		return 124
	fi
	wait "$1"
}
# has_lines FILE N: FILE has N lines or more.
has_lines() { [ "$(grep -c . "$1")" -ge "$2" ]; }
# kernel_summary FILE: the kernel's counters in the summary of a monitor,
# "SENT RATELIMITED LOST UNHEARD".
kernel_summary() {
	jq -r '.kernel | "\(.sent) \(.ratelimited) \(.lost) \(.unheard)"' "$1"
}
# check_kernel NAME FILE BEFORE SENT RATELIMITED LOST: the kernel's
# counters in the summary of a monitor are SENT, RATELIMITED and LOST, and
# its unheard at most what fw counted since BEFORE (some probes may come
# before the monitor reads the counters).
check_kernel() {
	local m d

	read -ra m <<<"$(kernel_summary "$2")"
	read -ra d <<<"$(evdelta "$3")"
	check "$1" "${m[*]:0:3} $([ "${m[3]:-x}" -le "${d[3]:-0}" ] 2>/dev/null &&
		echo "unheard ${m[3]} <= ${d[3]}")" \
		"$4 $5 $6 unheard ${m[3]} <= ${d[3]}"
}
# The events a monitor printed, a line each: the fields checked, in order.
evlines() {
	jq -c '[.code, .method, .reason, .proto, .family, .src, .sport, .dst,
		.dport, .action, .mark, .dry_run, .truncated]' "$1"
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
percpu() { awk '$1 == "Percpu:" { print $2 }' /proc/meminfo; }
unreclaim() { awk '$1 == "SUnreclaim:" { print $2 }' /proc/meminfo; }
NS="$srv $fw $cli"
label() { case $1 in "$srv") echo "srv" ;; "$fw") echo "fw" ;; *) echo "cli" ;; esac; }

# A TCP sink in cli for the two connections of this test.
ip netns exec $cli $GEN tcpsink 5060 --conns 2 --timeout 900 >"$tmp/tsink" &
bg_add $!
check_wait "a TCP sink ready in cli" 60 grep -q ready "$tmp/tsink"
# line_of FILE N: line N of FILE; fails while there is none.
line_of() { sed -n "$2p" "$1" | grep .; }
# tcp_send [--sport P] DST PORT SEGMENT...: srv sends the SEGMENTs to cli
# on a connection of their own; prints "SEGMENTS BYTES RECEIVED".
tcp_send() {
	local out got n

	n=$(wc -l <"$tmp/tsink")
	out=$(ip netns exec $srv $GEN tcp --bytes "$@")
	got=$(slowwait 30 line_of "$tmp/tsink" $((n + 1)))
	echo "$out ${got:-nothing}"
}

# --- config ------------------------------------------------------------------
check "config -j: the defaults of a namespace" "$(config $fw)" "[false,false,false,100]"
check "stats -j: events counters, all zero" "$(events)" "0 0 0 0"
for ns in $NS; do
	l=$(label "$ns")
	out=$(ctl "$ns" stats --by-method -j 2>"$tmp/err")
	check "$l: by-method off: stats --by-method exits 1, an error line" \
		"$? $(grep -c . "$tmp/err") $out" "1 1 "
	out=$(ctl "$ns" stats --reasons -j 2>"$tmp/err")
	check "$l: reasons off: stats --reasons exits 1, an error line" \
		"$? $(grep -c . "$tmp/err") $out" "1 1 "
done
ctl $fw config event-rate 100000 dry-run on
check "config: two settings in one command" "$?:$(config $fw)" "0:[true,false,false,100000]"
ctl $fw config event-rate 1 dry-run off
check "config: event-rate 1 is the least" "$?:$(config $fw)" "0:[false,false,false,1]"
ctl $fw config event-rate 100
for bad in "event-rate 0" "event-rate 100001" "event-rate" "by-method maybe" \
	"reasons" "colour on" "by-method on by-method off"; do
	err=$(ctl $fw config $bad 2>&1)
	check "config $bad: usage error, one line" "$? $(printf '%s' "$err" | grep -c .)" "2 1"
done
for op in "by-method on" "reasons on event-rate 5" "dry-run on" "event-rate 100"; do
	err=$(nobody $fw "$CTL" config $op 2>&1)
	check "non-root cannot config $op (EPERM)" \
		"$? $(echo "$err" | grep -c 'Operation not permitted')" "1 1"
done
check "non-root can read config" "$(nobody $fw "$CTL" config -j |
	jq -c '[.dry_run, .by_method, .reasons, .event_rate]')" "[false,false,false,100]"
check "and nothing changed" "$(config $fw)" "[false,false,false,100]"
timing "config"

# --- per-method counts -----------------------------------------------------------
reset_all
for ns in $NS; do ctl "$ns" config by-method on; done
check "config by-method on in srv, fw and cli" \
	"$(config $srv) $(config $fw) $(config $cli)" \
	"[false,true,false,100] [false,true,false,100] [false,true,false,100]"
check "by-method on: the table starts empty" \
	"$(ctl $fw stats --by-method -j | jq -c .by_method)" "[]"
METHODS="INVITE REGISTER OPTIONS BYE CANCEL ACK PRACK SUBSCRIBE NOTIFY PUBLISH
INFO REFER MESSAGE UPDATE"
pad1700=$(printf '%1700s' '' | tr ' ' x)
pad2100=$(printf '%2100s' '' | tr ' ' x)
# Over IPv4: 503 to REGISTER and to INVITE, 200 to INVITE and OPTIONS;
# no CSeq (486), a method unknown (487) or in lower case (488): other;
# "cseq :  12  REGISTER", "CSEQ:1 INVITE", HTABs around the colon; a
# Subject that quotes a CSeq line before the real one (INVITE); CSeq after
# 1700 bytes of headers (PRACK) and after 2100 (other); two requests
# (counted as not_response, in no table); 202 to each method once.
UDP4=(m:503:REGISTER*7 503*4 200*5 m:200:OPTIONS*3 m:486:-*2 m:487:FOO*1
	m:488:invite*1 'h:503:cseq :  12  REGISTER*1' 'h:503:CSEQ:1 INVITE*1'
	'h:200:CSeq\t:\t7 OPTIONS*1' 'h:200:Subject: CSeq: 9 BYE\r\nCSeq: 9 INVITE*1'
	"h:183:X-Pad: $pad1700\\r\\nCSeq: 1 PRACK*1"
	"h:183:X-Pad: $pad2100\\r\\nCSeq: 1 PRACK*1" req*2)
for m in $METHODS; do UDP4+=("m:202:$m*1"); done
# Over IPv6: 503 to REGISTER, 200 to OPTIONS, 486 to "cseq:5 BYE".
UDP6=(m:503:REGISTER*2 m:200:OPTIONS*1 'h:486:cseq:5 BYE*1')
# Over TCP, one segment: 180 and 200 to INVITE, 200 to REGISTER.
TCP='180+200+m:200:REGISTER'
WANT_BM=$( (echo 180/INVITE:1 183/PRACK:1 183/other:1 200/INVITE:7 \
	200/OPTIONS:5 200/REGISTER:1 486/other:2 486/BYE:1 487/other:1 \
	488/other:1 503/INVITE:5 503/REGISTER:10
	for m in $METHODS; do echo "202/$m:1"; done) | tr ' ' '\n' |
	LC_ALL=C sort | paste -sd ' ')
WANT_CODES="180:1 183:2 200:13 202:14 486:3 487:1 488:1 503:15"
out4=$(ip netns exec $srv $GEN send 10.0.1.2 5060 "${UDP4[@]}")
out6=$(ip netns exec $srv $GEN send -6 fd00:1::2 5060 "${UDP6[@]}")
read -r nseg nbytes got < <(tcp_send 10.0.1.2 5060 "$TCP")
check "by-method: 45 datagrams, 4 over IPv6, a TCP segment delivered" \
	"$out4 $out6 $nseg $got" "45 4 1 $nbytes"
for ns in $NS; do
	l=$(label "$ns")
	check "by-method, $l: exact per code and method" "$(bymethod "$ns")" "$WANT_BM"
	check "by-method, $l: stats -j counts as ever" "$(codes "$ns")" "$WANT_CODES"
	check "by-method, $l: the requests are not responses" "$(buckets "$ns")" "2 0 0 0 0"
done
check "non-root can read the per-method table" \
	"$(nobody $fw "$CTL" stats --by-method -j | jq -c .)" \
	"$(ctl $fw stats --by-method -j | jq -c .)"
ctl $fw config by-method off
check "config by-method off" "$?:$(config $fw)" "0:[false,false,false,100]"
out=$(ctl $fw stats --by-method -j 2>"$tmp/err")
check "by-method off: stats --by-method exits 1, an error line" \
	"$? $(grep -c . "$tmp/err") $out" "1 1 "
check "by-method off in fw only: srv keeps its table" "$(bymethod $srv)" "$WANT_BM"
check "by-method off: stats -j counts as ever" "$(codes $fw)" "$WANT_CODES"
ctl $fw config by-method on
check "by-method on again: starts from zero" \
	"$(ctl $fw stats --by-method -j | jq -c .by_method)" "[]"
ip netns exec $srv $GEN send 10.0.1.2 5060 m:480:BYE*2 m:480:-*1 >/dev/null
check "by-method on again: counts what comes" "$(bymethod $fw)" "480/BYE:2 480/other:1"
timing "by-method"

# --- reason phrases ------------------------------------------------------------------
reset_all
for ns in $NS; do ctl "$ns" config reasons on; done
check "config reasons on in srv, fw and cli" \
	"$(config $srv) $(config $fw) $(config $cli)" \
	"[false,true,true,100] [false,true,true,100] [false,true,true,100]"
check "reasons on: no phrase yet" "$(ctl $fw stats --reasons -j | jq -c .reasons)" "[]"
RU=$'\xd0\x9d\xd0\xb5\xd1\x82 \xd0\xb4\xd0\xb5\xd0\xbd\xd0\xb5\xd0\xb3' # Нет денег
# 47 bytes; its first 32 end a word.
LONG="Request Terminated By The Remote Party Long Ago"
L32=${LONG:0:32}
# 487: phrases of 47 and 33 bytes, cut to the same 32 (one truncated
# phrase, 3), and one of just those 32 (whole, 1); 488: 31 bytes.
ip netns exec $srv $GEN send --spread 10.0.1.2 5060 'r:403:Wrong Guess*6' \
	'r:403:User Disabled*3' 'r:480:No money left*2' "r:480:$RU*1" 'r:486:*1' \
	"r:487:$LONG*2" "r:487:$L32!*1" "r:487:$L32*1" "r:488:${LONG:0:31}*1" \
	>/dev/null
WANT_R="403|Wrong Guess|6|false
403|User Disabled|3|false
480|No money left|2|false
480|$RU|1|false
486||1|false
487|$L32|3|true
487|$L32|1|false
488|${LONG:0:31}|1|false"
WANT_RC="403:9 480:3 486:1 487:4 488:1"
for ns in $NS; do
	l=$(label "$ns")
	check "reasons, $l: exact phrases and counts, most counted first" \
		"$(reasons "$ns")" "$WANT_R"
	check "reasons, $l: stats -j counts as ever" "$(codes "$ns")" "$WANT_RC"
done
check "reasons 487, text: the truncated phrase followed by ..., the whole one not" \
	"$(ctl $fw stats --reasons 487)" \
	"$(printf '%-4s  %5s  %s\n' CODE COUNT PHRASE 487 3 "\"$L32\"..." 487 1 "\"$L32\"")"
check "reasons 480: that code only" "$(reasons $fw 480)" "$(echo "$WANT_R" | grep '^480|')"
check "reasons 4xx: that class" "$(reasons $fw 4xx)" "$WANT_R"
check "reasons 5xx: none" "$(ctl $fw stats --reasons 5xx -j | jq -c .reasons)" "[]"
# The phrases are what peers sent: reading them needs CAP_NET_ADMIN.
out=$(nobody $fw "$CTL" stats --reasons -j 2>"$tmp/err")
rc=$?
check "non-root cannot read the reasons: exit 1, an error that says why, no output" \
	"$rc $(grep -Ec 'Operation not permitted|CAP_NET_ADMIN' "$tmp/err") $out" "1 1 "
check "root still reads them" "$(reasons $fw)" "$WANT_R"
timing "reasons"

# 10,000 phrases of 404 seen once each, among 3,000 "Not Found" spread
# evenly (23 %: more than 1/8 of 404s, on any CPU): the tables were
# allocated by config reasons on; nothing more may be.
pcpu0=$(percpu)
slab0=$(unreclaim)
t0=$(now_ms)
out=$(ip netns exec $srv $GEN send --spread 10.0.1.2 5060 \
	'r:404:Not Found %d*10000' 'r:404:Not Found*3000')
t1=$(now_ms)
pcpu1=$(percpu)
slab1=$(unreclaim)
echo "# 13000 responses in $((t1 - t0)) ms; Percpu $pcpu0 -> $pcpu1 kB," \
	"SUnreclaim $slab0 -> $slab1 kB"
check "13000 responses of 404 sent" "$out" 13000
check "10000 phrases: no per-CPU memory grown ($pcpu0 kB, then $pcpu1 kB)" \
	"$([ "${pcpu1:-x}" -le "${pcpu0:-0}" ] 2>/dev/null && echo yes)" yes
# Nor slab: an allocation a phrase, even of kmalloc()'s least 8 bytes,
# would be 80 kB. Under KASAN (the debug kernel) freed objects wait in
# its quarantine and kmemleak tracks each object: there slab moves by
# megabytes whatever sipcode does, and kmemleak watches for leaks.
slabmax=64
{ [ -e /sys/kernel/debug/kmemleak ] || dmesg | grep -q KernelAddressSanitizer; } &&
	slabmax=8192
check "10000 phrases: less than $slabmax kB more slab ($slab0 kB, then $slab1 kB)" \
	"$([ "${slab1:-x}" -lt $((${slab0:-0} + slabmax)) ] 2>/dev/null && echo yes)" yes
for ns in $NS; do
	l=$(label "$ns")
	r=$(ctl "$ns" stats --reasons 404 -j)
	check "10000 phrases, $l: every 404 counted" "$(codes "$ns")" \
		"403:9 404:13000 480:3 486:1 487:4 488:1"
	check "10000 phrases, $l: 8 phrases kept for 404, \"Not Found\" first" \
		"$(echo "$r" | jq -c '[(.reasons | length), ([.reasons[].code] | unique), .reasons[0].phrase]')" \
		'[8,[404],"Not Found"]'
	read -r n sum < <(echo "$r" | jq -r '"\(.reasons[0].count) \([.reasons[].count] | add)"')
	check "10000 phrases, $l: \"Not Found\" counted $n >= 3000, the 8 add up to $sum <= 13000" \
		"$([ "${n:-0}" -ge 3000 ] && [ "${sum:-99999}" -le 13000 ] && echo yes)" yes
	check "10000 phrases, $l: the phrases of other codes untouched" \
		"$(reasons "$ns" | grep -v '^404|')" "$WANT_R"
done
timing "10000 phrases"

# --- events ----------------------------------------------------------------------
reset_all
ctl $fw rule add 199 count notify
ctl $fw rule add 486 notify
ctl $fw rule add 503 mark 0x10 notify
ctl $fw rule add 180 drop notify
ctl $fw rule add 6xx drop
check "rule list -j: which rules notify" \
	"$(ctl $fw rule list -j | jq -c '[.rules[] | "\(.match) \(.action) \(.notify)"]')" \
	'["180 drop true","199 count true","486 count true","503 mark true","6xx drop false"]'
check "rule list: notify" "$(ctl $fw rule list | grep -c ' notify$')" 4

# A monitor for 9 events of 180, 486 and 503 (not the probes): 486 over
# IPv4, counted; 503 to REGISTER over IPv6, marked; 180 over TCP, which a
# drop rule counts only.
evm=$(events)
monitor_start 1 "monitor -n 9: joined (a probe was sent to it)" -n 9 180 486 503
ev0=$(events)
t0=$(date -u +%s)
ip netns exec $srv $GEN send --gap 0.05 10.0.1.2 5060 \
	486 200 486 200 486 200 486 200 486 200 >/dev/null
ip netns exec $srv $GEN send -6 --gap 0.05 fd00:1::2 5060 m:503:REGISTER*3 >/dev/null
read -r nseg nbytes got < <(tcp_send --sport 5070 10.0.1.2 5060 180)
check "events: the TCP segment delivered" "$nseg $got" "1 $nbytes"
wait_pid $mpid 30
check "monitor -n 9: exits by itself, status 0" "$?" 0
bg_del $mpid
E486='[486,"INVITE","Busy Here","udp","inet","10.0.2.2",5060,"10.0.1.2",5060,"count",0,false,false]'
E503='[503,"REGISTER","Service Unavailable","udp","inet6","fd00:2::2",5060,"fd00:1::2",5060,"mark",16,false,false]'
E180='[180,"INVITE","Ringing","tcp","inet","10.0.2.2",5070,"10.0.1.2",5060,"count",0,false,false]'
check "monitor: the 9 events, each field" "$(evlines "$tmp/mon1")" \
	"$(printf '%s\n' "$E486" "$E486" "$E486" "$E486" "$E486" "$E503" "$E503" \
		"$E503" "$E180")"
check "monitor: each event's time, UTC to the millisecond, in order, while sent" \
	"$(jq -rs --argjson t0 "$t0" --argjson t1 "$(date -u +%s)" '
		[.[].time] | [(map(test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[.][0-9]{3}Z$")) | all),
		 (. == sort), (map(sub("[.][0-9]+Z$"; "Z") | fromdateiso8601 |
			. >= $t0 and . <= $t1) | all), length] | @text' "$tmp/mon1")" \
	"[true,true,true,9]"
check "monitor: a summary on stderr: 9 events, the probe filtered, no overrun" \
	"$(jq -c '[.events, .filtered, .overruns]' "$tmp/mon1.err")" "[9,1,0]"
check_kernel "monitor: the kernel's counters in the summary: 9 events and the probe sent" \
	"$tmp/mon1.err" "$evm" 10 0 0
check "events: 9 sent" "$(evdelta "$ev0")" "9 0 0 0"
check "events: the rules did their work: 503 marked, TCP 180 not dropped" \
	"$(fw_verdicts)" "180:1/0/0 200:5/0/0 486:5/0/0 503:3/0/3"
check "events: cli got every response" "$(codes_np $cli)" "180:1 200:5 486:5 503:3"

# No monitor: the notified responses are unheard, and still counted.
ev0=$(events)
ip netns exec $srv $GEN send 10.0.1.2 5060 486*4 503*2 200*3 >/dev/null
check "no monitor: 6 notified responses unheard" "$(evdelta "$ev0")" "0 0 0 6"
check "no monitor: all counted" "$(fw_verdicts)" "180:1/0/0 200:8/0/0 486:9/0/0 503:5/0/5"

# monitor -t 1 with nothing to report.
t0=$(now_ms)
ip netns exec $fw "$CTL" monitor -j -t 1 >"$tmp/mon2" 2>"$tmp/mon2.err"
rc=$?
t1=$(now_ms)
check "monitor -t 1: exit 0 after 1 to 10 s, no event, a summary, the kernel idle" \
	"$rc $([ $((t1 - t0)) -ge 1000 ] && [ $((t1 - t0)) -le 10000 ] && echo in-time) $(grep -c . "$tmp/mon2") $(jq -c '[.events, .filtered]' "$tmp/mon2.err") $(kernel_summary "$tmp/mon2.err")" \
	"0 in-time 0 [0,0] 0 0 0 0"
# Joining the group needs CAP_NET_ADMIN (GENL_MCAST_CAP_NET_ADMIN, in 6.1
# and 6.12 alike): a non-root monitor is refused, not left waiting.
out=$(nobody $fw "$CTL" monitor -j -t 1 2>"$tmp/err")
check "non-root cannot monitor: exit 1, an error that says why" \
	"$? $out$(grep -Ec 'Operation not permitted|CAP_NET_ADMIN' "$tmp/err")" "1 1"

# Reason phrases of 47, 32 and 31 bytes in events: the first truncated.
monitor_start 5 "monitor -n 3 486: joined" -n 3 486
ev0=$(events)
ip netns exec $srv $GEN send --gap 0.05 10.0.1.2 5060 "r:486:$LONG*1" \
	"r:486:$L32*1" "r:486:${LONG:0:31}*1" >/dev/null
wait_pid $mpid 30
check "monitor -n 3 486: exits by itself, status 0" "$?" 0
bg_del $mpid
check "monitor: a phrase over 32 bytes is truncated, of 32 or 31 bytes not" \
	"$(jq -c '[.code, .reason, .truncated]' "$tmp/mon5")" \
	"$(printf '[486,"%s",%s]\n' "$L32" true "$L32" false "${LONG:0:31}" false)"
check "monitor -n 3 486: 3 events sent" "$(evdelta "$ev0")" "3 0 0 0"

# monitor 503 in dry-run mode, until SIGTERM: only the 503s, not marked.
reset_all
ctl $fw config dry-run on
evm=$(events)
monitor_start 3 "monitor 503: joined" 503
ev0=$(events)
ip netns exec $srv $GEN send --gap 0.05 10.0.1.2 5060 \
	486 m:503:OPTIONS 486 m:503:OPTIONS >/dev/null
# The last event is a 503: once it is printed, the monitor has read all.
check_wait "monitor 503: the 2 events printed" 60 has_lines "$tmp/mon3" 2
check "monitor 503: each event printed as it came" "$(grep -c . "$tmp/mon3")" 2
kill -TERM $mpid
wait_pid $mpid 10
check "monitor 503: SIGTERM, exit 0" "$?" 0
bg_del $mpid
E503D='[503,"OPTIONS","Service Unavailable","udp","inet","10.0.2.2",5060,"10.0.1.2",5060,"mark",0,true,false]'
check "monitor 503: only the 503s, dry-run, mark not set" "$(evlines "$tmp/mon3")" \
	"$(printf '%s\n' "$E503D" "$E503D")"
check "monitor 503: summary: 2 events, the probe and the 486s filtered" \
	"$(jq -c '[.events, .filtered, .overruns]' "$tmp/mon3.err")" "[2,3,0]"
check "monitor 503: the kernel sent 4" "$(evdelta "$ev0")" "4 0 0 0"
check_kernel "monitor 503: the kernel's counters in the summary: 4 and the probe sent" \
	"$tmp/mon3.err" "$evm" 5 0 0
check "dry-run: the 503s counted as marked" "$(fw_verdicts)" "486:2/0/0 503:2/0/2"
ctl $fw config dry-run off

# A flood at event-rate 20 with a monitor of 486.
reset_all
ctl $fw config event-rate 20
check "config event-rate 20" "$(config $fw)" "[false,true,true,20]"
evm=$(events)
monitor_start 4 "flood: monitor joined" 486
ev0=$(events)
t0=$(now_ms)
out=$(ip netns exec $srv $GEN send 10.0.1.2 5060 486*3000)
t1=$(now_ms)
# Every notified response in an events counter, every event sent printed.
flood_settled() {
	local d

	read -ra d <<<"$(evdelta "$ev0")"
	[[ ${d[0]} =~ ^[0-9]+$ ]] &&
		[ $((d[0] + d[1] + d[2] + d[3])) = 3000 ] &&
		[ "$(grep -c . "$tmp/mon4")" = "${d[0]}" ]
}
check_wait "flood: the kernel accounted for all, the monitor printed what it sent" \
	20 flood_settled
kill -TERM $mpid
wait_pid $mpid 10
check "flood: monitor, SIGTERM, exit 0" "$?" 0
bg_del $mpid
n=$(grep -c . "$tmp/mon4")
ms=$((t1 - t0))
bound=$((20 * ((ms + 999) / 1000 + 1) + 20))
echo "# flood: 3000 responses in $ms ms; $n events; kernel: $(evdelta "$ev0")"
read -r dsent drl dlost dunh <<<"$(evdelta "$ev0")"
check "flood: 3000 sent" "$out" 3000
check "flood: srv, fw and cli counted every 486" \
	"$(codes_np $srv) $(codes_np $fw) $(codes_np $cli)" "486:3000 486:3000 486:3000"
check "flood: every notified response in exactly one events counter" \
	"$((dsent + drl + dlost + dunh))" 3000
check "flood: some rate-limited (all but the $n sent), none lost or unheard" \
	"$([ "${drl:-0}" -gt 0 ] && echo some) $drl $dlost $dunh" "some $((3000 - n)) 0 0"
check "flood: the monitor printed every event sent" "$n" "$dsent"
check "flood: at most 20 a second and a burst ($n in $ms ms; at most $bound)" \
	"$([ "$n" -ge 10 ] && [ "$n" -le $bound ] && echo yes)" yes
check "flood: the monitor's summary" "$(jq -c '[.events, .overruns]' "$tmp/mon4.err")" "[$n,0]"
check_kernel "flood: the kernel's counters in the summary: the $dsent and the probe sent" \
	"$tmp/mon4.err" "$evm" $((dsent + 1)) "$drl" 0
check "flood: each event a 486" "$(evlines "$tmp/mon4" | sort -u)" "$E486"
ctl $fw config event-rate 100
timing "events"

# --- both tables off --------------------------------------------------------------
for ns in $NS; do ctl "$ns" config by-method off reasons off; done
check "config by-method off reasons off in srv, fw and cli" \
	"$(config $srv) $(config $fw) $(config $cli)" \
	"[false,false,false,100] [false,false,false,100] [false,false,false,100]"
ctl $fw stats --by-method -j >/dev/null 2>&1
rc=$?
ctl $fw stats --reasons -j >/dev/null 2>&1
check "off: stats --by-method and --reasons exit 1" "$rc $?" "1 1"
ctl $fw rule flush
reset_all
ev0=$(events)
MIX="180*3 200*4 404*4 480*2 486*3 488*1 500*2 503*9 603*2"
check "off: every response sent and delivered" "$(send "" 10.0.1.2 5060 $MIX)" "30 30"
WANT=$(echo $MIX | tr '*' ':')
for ns in $NS; do
	check "off, $(label "$ns"): every code counted exactly" "$(codes "$ns")" "$WANT"
done
check "off: no rule, no event" "$(evdelta "$ev0")" "0 0 0 0"
timing "off"

# --- done ---------------------------------------------------------------------------
test_unload
echo "# time: insight.sh: $((SECONDS - start)) s"

finish
