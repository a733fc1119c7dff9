#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipcode exporter selftest: "sipcodectl exporter" over HTTP and as a
# textfile, on the topology of tests/lib.sh (srv sends through fw to cli;
# the exporter runs in fw): promtool on every form, every code of the
# table from the start, the counts equal to stats -j, the families of
# the transactions while they are on, a scrape behind
# ten idle connections, two scrapes at once, sipcode_up across rmmod and
# insmod, the textfile replaced by rename, SIGTERM and SIGINT.
#
# Needs root; loads the module from $KO. Exits 4 (skip) when a
# requirement is missing. TAP output.

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"
test_init
require curl promtool ss stat

load_module
check "insmod" "$?" 0
topo_setup $$ || skip_all "cannot build the namespaces"

URL=http://127.0.0.1:9498/metrics
NIDLE=10
ncodes=$(awk -F'\t' 'NR > 1 && $1 ~ /^[1-6][0-9][0-9]$/' \
	"$top/data/sip-codes.tsv" | wc -l)

fcurl() { ip netns exec $fw curl -s --max-time 15 "$@"; }
# The sample lines of the Prometheus text on stdin, sorted; the series
# alone (no value).
samples() { grep -v '^#' | LC_ALL=C sort; }
series() { samples | sed 's/ [^ ]*$//'; }
# The same samples of the counters, made from stats -a -j on stdin.
samples_of_json() { prom_of_json | LC_ALL=C sort; }
# promtool's verdict on the file $1: "0 " when clean.
promcheck() {
	promtool check metrics <"$1" >"$tmp/promtool" 2>&1
	echo "$? $(cat "$tmp/promtool")"
}
# The sample of the series $2 in the file $1.
value() { awk -v n="$2" '$1 == n { print $2 }' "$1"; }
ms() { date +%s%3N; }

# --- start ---------------------------------------------------------------------
ip netns exec $fw "$CTL" exporter >"$tmp/exporter.out" 2>"$tmp/exporter.err" &
epid=$!
bg_add $epid
check_wait "the exporter listens" 60 fcurl -o /dev/null http://127.0.0.1:9498/
check "one line: where it listens" "$(cat "$tmp/exporter.out")" \
	"exporter: listening on [::]:9498 (IPv6 and IPv4)"
check "IPv6 too" \
	"$(fcurl -o /dev/null -w '%{http_code}' 'http://[::1]:9498/metrics')" 200
ip netns exec $fw timeout 10 "$CTL" exporter -l 127.0.0.1:9498 >/dev/null 2>"$tmp/busy.err"
check "a second exporter on the same port: exit 1, cannot listen" \
	"$? $(tail -n 1 "$tmp/busy.err")" \
	"1 sipcodectl: exporter: cannot listen on 127.0.0.1 port 9498"

# --- a fresh module: every code, 0 ----------------------------------------------
fcurl -o "$tmp/fresh" -w '%{http_code} %{content_type}' $URL >"$tmp/fresh.code"
check "GET /metrics: 200, the exposition format" "$(cat "$tmp/fresh.code")" \
	"200 text/plain; version=0.0.4; charset=utf-8"
check "promtool: a scrape" "$(promcheck "$tmp/fresh")" "0 "
check "every code of the table from the start, 0 ($ncodes)" \
	"$(grep -c '^sipcode_responses_total{.*} 0$' "$tmp/fresh") $(grep -c '^sipcode_responses_total{' "$tmp/fresh")" \
	"$ncodes $ncodes"
check "sipcode_up 1" "$(grep '^sipcode_up ' "$tmp/fresh")" "sipcode_up 1"
check "sipcode_build_info" "$(grep '^sipcode_build_info' "$tmp/fresh")" \
	"sipcode_build_info{version=\"$(cat "$top/VERSION")\"} 1"
check "every sample named sipcode_*" "$(samples <"$tmp/fresh" | grep -vc '^sipcode_')" 0
check "the families, each with one HELP and one TYPE" \
	"$(grep '^# TYPE' "$tmp/fresh" | awk '{ printf "%s %s ", $3, $4 }')$(grep -c '^# HELP' "$tmp/fresh")" \
	"sipcode_build_info gauge sipcode_up gauge sipcode_responses_total counter sipcode_responses_dropped_total counter sipcode_responses_marked_total counter sipcode_packets_uncounted_total counter sipcode_dry_run gauge sipcode_events_total counter 8"

# --- known responses: the counts of stats -j -----------------------------------
ctl $fw rule add 503 drop
ctl $fw rule add 4xx mark 0x10/0xff
check "traffic" "$(send "" 10.0.1.2 5060 180*3 200*4 486*3 503*5 req*2)" "17 12"
fcurl -o "$tmp/traffic" $URL
ctl $fw stats -a -j >"$tmp/json"
check "promtool: after traffic" "$(promcheck "$tmp/traffic")" "0 "
check "the counts: every sample as stats -a -j" \
	"$(samples <"$tmp/traffic" | grep -v '^sipcode_\(up\|build_info\)[ {]')" \
	"$(samples_of_json <"$tmp/json")"
check "the counts: 486 seen, marked; 503 dropped; 200 seen" \
	"$(value "$tmp/traffic" 'sipcode_responses_total{code="486",class="4xx"}') $(value "$tmp/traffic" 'sipcode_responses_marked_total{code="486",class="4xx"}') $(value "$tmp/traffic" 'sipcode_responses_dropped_total{code="503",class="5xx"}') $(value "$tmp/traffic" 'sipcode_responses_total{code="200",class="2xx"}')" \
	"3 3 5 4"
check "the exporter logged nothing" "$(cat "$tmp/exporter.err")" ""

# --- idle connections, concurrent scrapes ---------------------------------------
fcurl -o /dev/null -w '%{time_total}' $URL >"$tmp/t0"
# idle_clients N: a process holding N connections to 9498 that send
# nothing, opened within a moment (each would be closed after 10 s idle).
idle_clients() {
	ip netns exec $fw timeout 60 bash -c \
		'for i in $(seq '"$1"'); do exec {fd}<>/dev/tcp/127.0.0.1/9498; done
		 sleep 60' 2>/dev/null &
	idle=$!
	bg_add $idle
}
idle_clients $NIDLE
idle_open() {
	[ "$(ip netns exec $fw ss -Htn state established '( dport = :9498 )' |
		wc -l)" -ge $NIDLE ]
}
check_wait "$NIDLE idle connections open" 30 idle_open
fcurl -o /dev/null -w '%{http_code} %{time_total}' $URL >"$tmp/t1"
read -r code secs <"$tmp/t1"
echo "# scrape: $(cat "$tmp/t0") s alone, $secs s behind $NIDLE idle connections"
check "a scrape behind $NIDLE idle connections: 200 within 1 s" \
	"$code $(awk -v t="$secs" 'BEGIN { print (t <= 1.0 ? "soon" : "late " t " s") }')" \
	"200 soon"
fcurl -o "$tmp/c1" -w '%{http_code}' $URL >"$tmp/c1.code" &
p1=$!
fcurl -o "$tmp/c2" -w '%{http_code}' $URL >"$tmp/c2.code" &
p2=$!
wait $p1 $p2
check "two scrapes at once: both 200" \
	"$(cat "$tmp/c1.code") $(cat "$tmp/c2.code")" "200 200"
check "two scrapes at once: the same metric set as before" \
	"$(series <"$tmp/c1")
--
$(series <"$tmp/c2")" \
	"$(series <"$tmp/traffic")
--
$(series <"$tmp/traffic")"

# --- per-method counts ---------------------------------------------------------------
ctl $fw config by-method on
check "traffic, counted by method" "$(send "" 10.0.1.2 5060 486*2)" "2 2"
fcurl -o "$tmp/method" $URL
check "promtool: with counts by method" "$(promcheck "$tmp/method")" "0 "
check "counts by method: the 486 of each method add up to 2" \
	"$(grep '^sipcode_responses_by_method_total{code="486",' "$tmp/method" |
	   awk '{ n += $2 } END { print n + 0 }')" 2
ctl $fw config by-method off

# --- transactions ---------------------------------------------------------------------
txn_families="sipcode_responses_first_final_total sipcode_responses_retransmitted_total sipcode_transactions sipcode_transactions_max sipcode_requests_total sipcode_transaction_timeouts_total sipcode_responses_unmatched_total sipcode_srd_seconds sipcode_rrd_seconds sipcode_final_delay_seconds"
# The families of $1 among those of the transactions, in order.
txn_types() {
	grep '^# TYPE' "$1" | awk -v f=" $txn_families " \
		'index(f, " " $3 " ") { printf "%s %s ", $3, $4 }'
}
ctl $fw config transactions on
check "traffic, transactions on" "$(send "" 10.0.1.2 5060 req*3 180*3 200*3 486*2)" "11 11"
fcurl -o "$tmp/txn" $URL
ctl $fw stats -a -j >"$tmp/txn.json"
ctl $fw stats --delays -j >"$tmp/delays.json"
check "promtool: with transactions on" "$(promcheck "$tmp/txn")" "0 "
check "transactions on: their families, each once, histograms typed" \
	"$(txn_types "$tmp/txn")" \
	"sipcode_responses_first_final_total counter sipcode_responses_retransmitted_total counter sipcode_transactions gauge sipcode_transactions_max gauge sipcode_requests_total counter sipcode_transaction_timeouts_total counter sipcode_responses_unmatched_total counter sipcode_srd_seconds histogram sipcode_rrd_seconds histogram sipcode_final_delay_seconds histogram "
check "transactions on: the code families as stats -a -j" \
	"$(samples <"$tmp/txn" | grep '^sipcode_responses_\(total\|dropped_total\|marked_total\|first_final_total\|retransmitted_total\){')" \
	"$(samples_of_json <"$tmp/txn.json" |
		grep '^sipcode_responses_\(total\|dropped_total\|marked_total\|first_final_total\|retransmitted_total\){')"
check "transactions on: transactions_max as stats --delays -j, every histogram (12) with +Inf, _sum and _count" \
	"$(value "$tmp/txn" sipcode_transactions_max) $(grep -c '_seconds_bucket{.*le="+Inf"}' "$tmp/txn") $(grep -c '_seconds_sum' "$tmp/txn") $(grep -c '_seconds_count' "$tmp/txn")" \
	"$(jq .transactions_max "$tmp/delays.json") 12 12 12"
check "transactions on: the srd count as stats --delays -j" \
	"$(value "$tmp/txn" sipcode_srd_seconds_count)" \
	"$(jq '[.delays[] | select(.kind == "srd") | .count] | add // 0' "$tmp/delays.json")"
ctl $fw config transactions off
fcurl -o "$tmp/notxn" $URL
check "transactions off: none of their families" "$(txn_types "$tmp/notxn")" ""

# --- textfile -----------------------------------------------------------------------
mkdir "$tmp/tf"
ip netns exec $fw "$CTL" exporter --textfile "$tmp/tf" 2>"$tmp/tf.err"
check "--textfile DIR: exit 0, nothing logged" "$? $(cat "$tmp/tf.err")" "0 "
fcurl -o "$tmp/scrape" $URL
check "promtool: the textfile" "$(promcheck "$tmp/tf/sipcode.prom")" "0 "
check "the textfile: what a scrape gives" \
	"$(samples <"$tmp/tf/sipcode.prom")" "$(samples <"$tmp/scrape")"
check "the textfile: mode 644, alone in DIR" \
	"$(stat -c %a "$tmp/tf/sipcode.prom") $(ls -A "$tmp/tf" | tr '\n' ' ')" \
	"644 sipcode.prom "
ip netns exec $fw "$CTL" exporter --textfile "$tmp/tf" --watch 0.5 \
	2>"$tmp/tf.err" &
tpid=$!
bg_add $tpid
ino=$(stat -c %i "$tmp/tf/sipcode.prom")
check "traffic for the textfile" "$(send "" 10.0.1.2 5060 486*4)" "4 4"
want=$(ctl $fw stats -j | jq '.codes[] | select(.code == 486) | .seen')
tf_has() {
	[ "$(value "$tmp/tf/sipcode.prom" \
		'sipcode_responses_total{code="486",class="4xx"}')" = "$want" ]
}
check_wait "--watch 0.5: the textfile has the new count ($want)" 20 tf_has
check "the textfile was replaced by rename (a new inode)" \
	"$([ "$(stat -c %i "$tmp/tf/sipcode.prom")" != "$ino" ] && echo new)" new
kill -TERM $tpid
wait $tpid
check "--watch: SIGTERM, exit 0, nothing logged" "$? $(cat "$tmp/tf.err")" "0 "
bg_del $tpid
check "no temporary file left" "$(ls -A "$tmp/tf" | tr '\n' ' ')" "sipcode.prom "

# --- the module goes and comes back -----------------------------------------------------
kill $idle 2>/dev/null
wait $idle 2>/dev/null
bg_del $idle
ctl $fw rule flush
# Installed for autoload (tests/sipcode.sh with SIPCODE_AUTOLOAD=1), the
# module would come back at the exporter's next family lookup: not now.
noload=/etc/modprobe.d/sipcode-exporter-test.conf
cleanup_extra() { rm -f "$noload"; }
echo "install sipcode /bin/false" >"$noload"
rmmod sipcode
check "rmmod with the exporter running" "$?" 0
fcurl -o "$tmp/down" -w '%{http_code}' $URL >"$tmp/down.code"
fcurl -o /dev/null $URL
check "module gone: 200, sipcode_up 0" \
	"$(cat "$tmp/down.code") $(grep '^sipcode_up ' "$tmp/down")" "200 sipcode_up 0"
check "module gone: only sipcode_build_info and sipcode_up" \
	"$(series <"$tmp/down" | sed 's/{.*//' | tr '\n' ' ')" \
	"sipcode_build_info sipcode_up "
check "promtool: module gone" "$(promcheck "$tmp/down")" "0 "
check "module gone: logged once for two scrapes" "$(grep -c . "$tmp/exporter.err")" 1
ip netns exec $fw "$CTL" exporter --textfile "$tmp/tf" 2>/dev/null
check "module gone: the textfile has sipcode_up 0" \
	"$? $(grep '^sipcode_up ' "$tmp/tf/sipcode.prom")" "0 sipcode_up 0"
check "promtool: the textfile, module gone" \
	"$(promcheck "$tmp/tf/sipcode.prom")" "0 "
rm -f "$noload"
load_module
check "insmod again" "$?" 0
fcurl -o "$tmp/back" $URL
check "module back: sipcode_up 1, every code 0" \
	"$(grep '^sipcode_up ' "$tmp/back") $(grep -c '^sipcode_responses_total{.*} 0$' "$tmp/back")" \
	"sipcode_up 1 $ncodes"

# --- ending -----------------------------------------------------------------------
NIDLE=3
idle_clients $NIDLE
check_wait "3 idle connections open" 30 idle_open
t=$(ms)
kill -TERM $epid
wait $epid
check "SIGTERM with connections open: exit 0" "$?" 0
bg_del $epid
echo "# SIGTERM to exit: $(($(ms) - t)) ms"
ip netns exec $fw "$CTL" exporter -l 127.0.0.1:9499 >/dev/null 2>&1 &
epid=$!
bg_add $epid
check_wait "a second exporter listens" 60 fcurl -o /dev/null http://127.0.0.1:9499/
kill -INT $epid
wait $epid
check "SIGINT: exit 0" "$?" 0
bg_del $epid

test_unload
finish
