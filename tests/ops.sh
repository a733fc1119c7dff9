#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipcode operator selftest: stats -o prometheus (checked by promtool,
# and equal to stats -j), the exporter over HTTP, save and restore (all
# or nothing), stats -w and explain, on the topology of tests/lib.sh
# (srv sends through fw to cli; the commands run in fw).
#
# Needs root; loads the module from $KO. Exits 4 (skip) when a
# requirement is missing. TAP output.

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"
test_init
require curl promtool setpriv

load_module
check "insmod" "$?" 0
topo_setup $$ || skip_all "cannot build the namespaces"

# The sample lines of the Prometheus text on stdin, sorted.
samples() { grep -v '^#' | grep -v '^sipcode_build_info{' | LC_ALL=C sort; }
# The same samples, made from stats -j on stdin: every code, bucket, and
# dry_run (of an active namespace: "active" has no sample).
samples_of_json() { { prom_of_json; echo "sipcode_up 1"; } | LC_ALL=C sort; }
# Lines of stderr, and the first.
nlines() { printf '%s' "$1" | grep -c .; }

# --- explain: no module needed ---------------------------------------------------------
out=$("$CTL" explain 480)
check "explain 480: reason and class" "$(echo "$out" | sed -n '1p;2p' | tr -s ' ')" \
	"480 Temporarily Unavailable
Class: 4xx Client Failure"
for p in "No money left" "Codec Mismatch" "Empty Route Set"; do
	check "explain 480 lists \"$p\"" "$(echo "$out" | grep -c "\"$p\"")" 1
done
check "explain 480 -j: the 5 vendor phrases" \
	"$("$CTL" explain 480 -j | jq -c '[.known, .class, (.phrases | length)]')" "[true,4,5]"
check "explain 4xx lists 486" "$("$CTL" explain 4xx | grep -c '^486  Busy Here$')" 1
check "explain 499: unknown, but a class" \
	"$("$CTL" explain 499 | sed -n '1p;2p' | tr -s ' ')" \
	"499: not a known SIP status code
Class: 4xx Client Failure"
for bad in 700 099 7xx 48 abc; do
	err=$("$CTL" explain $bad 2>&1)
	check "explain $bad: usage error" "$? $(nlines "$err")" "2 1"
done

# --- traffic -----------------------------------------------------------------------
MIX="180*3 200*4 404*4 480*2 486*3 488*1 500*2 503*9 603*2"
ctl $fw rule add 503 drop
ctl $fw rule add 4xx mark 0x10/0xff
reset_all
check "traffic" "$(send "" 10.0.1.2 5060 $MIX req*2 raw:0d0a0d0a*3 \
	'line:SIP/2.0 99 Low\r\n*1')" "36 27"

# --- stats -o prometheus -----------------------------------------------------------
ctl $fw stats -o prometheus >"$tmp/prom"
check "stats -o prometheus: exit 0" "$?" 0
promtool check metrics <"$tmp/prom" >"$tmp/promtool" 2>&1
check "promtool check metrics: clean" "$? $(cat "$tmp/promtool")" "0 "
ctl $fw stats -j >"$tmp/json"
check "every code and bucket equals stats -j" \
	"$(samples <"$tmp/prom")" "$(samples_of_json <"$tmp/json")"
check "the 503 drops" "$(grep '^sipcode_responses_dropped_total{code="503"' "$tmp/prom")" \
	'sipcode_responses_dropped_total{code="503",class="5xx"} 9'
check "the 4xx marks" "$(grep '^sipcode_responses_marked_total{code="48' "$tmp/prom")" \
	'sipcode_responses_marked_total{code="480",class="4xx"} 2
sipcode_responses_marked_total{code="486",class="4xx"} 3
sipcode_responses_marked_total{code="488",class="4xx"} 1'
for r in not_response malformed truncated keepalive fragment; do
	check "bucket $r is there" \
		"$(grep -c "^sipcode_packets_uncounted_total{reason=\"$r\"} " "$tmp/prom")" 1
done
check "HELP and TYPE of each family" \
	"$(grep -c '^# HELP ' "$tmp/prom") $(grep '^# TYPE ' "$tmp/prom" | cut -d' ' -f3- | tr '\n' ' ')" \
	"9 sipcode_build_info gauge sipcode_up gauge sipcode_responses_total counter sipcode_responses_dropped_total counter sipcode_responses_marked_total counter sipcode_packets_uncounted_total counter sipcode_dry_run gauge sipcode_events_total counter sipcode_responses_by_direction_total counter "
check "only the codes seen" "$(grep -c '^sipcode_responses_total{' "$tmp/prom")" 9
check "-a: every known code" \
	"$(ctl $fw stats -a -o prometheus | grep -c '^sipcode_responses_total{code="100"')" 1
check "stats -o json is stats -j" "$(ctl $fw stats -o json)" "$(cat "$tmp/json")"
ctl $fw dry-run on
check "dry-run gauge" "$(ctl $fw stats -o prometheus | grep '^sipcode_dry_run')" \
	"sipcode_dry_run 1"
ctl $fw dry-run off

# --- exporter ----------------------------------------------------------------------
ip netns exec $fw "$CTL" exporter --listen 127.0.0.1:9498 >/dev/null 2>"$tmp/exporter.err" &
epid=$!
bg_add $epid
fcurl() { ip netns exec $fw curl -s --max-time 15 "$@"; }
check_wait "the exporter listens" 60 fcurl -o /dev/null http://127.0.0.1:9498/
fcurl -D "$tmp/headers" -o "$tmp/scrape" http://127.0.0.1:9498/metrics
check "GET /metrics: 200, the exposition format" \
	"$(tr -d '\r' <"$tmp/headers" | grep -E '^(HTTP|Content-Type)')" \
	"HTTP/1.1 200 OK
Content-Type: text/plain; version=0.0.4; charset=utf-8"
check "the scrape is stats -a -o prometheus" "$(cat "$tmp/scrape")" \
	"$(ctl $fw stats -a -o prometheus)"
check "GET /nope: 404" "$(fcurl -o /dev/null -w '%{http_code}' http://127.0.0.1:9498/nope)" 404
check "POST /metrics: 405" \
	"$(fcurl -o /dev/null -w '%{http_code}' -X POST http://127.0.0.1:9498/metrics)" 405
check "GET /: a page that links /metrics" \
	"$(fcurl http://127.0.0.1:9498/ | grep -c 'href="/metrics"')" 1
check "traffic after the scrapes" "$(send "" 10.0.1.2 5060 486*7)" "7 7"
check "a new scrape has the new traffic" \
	"$(fcurl http://127.0.0.1:9498/metrics | grep '^sipcode_responses_total{code="486"')" \
	'sipcode_responses_total{code="486",class="4xx"} 10'
kill -0 $epid 2>/dev/null
check "the exporter is still running" "$?" 0
kill -TERM $epid
wait $epid
check "SIGTERM: exit 0" "$?" 0
bg_del $epid
check "the exporter logged nothing" "$(cat "$tmp/exporter.err")" ""

# --- save and restore ----------------------------------------------------------------
ctl $fw rule flush
ctl $fw ports set 5060,5080
ctl $fw rule add 503 drop
ctl $fw rule add 480-489 mark 0x20
ctl $fw rule add 4xx mark 0x10/0xff
ctl $fw rule add 486 count
ctl $fw peer flush
ctl $fw peer add CARRIER-A 2001:db8:a::/48 192.0.2.0/24
ctl $fw peer add PBX 198.51.100.7
ctl $fw save >"$tmp/saved"
check "save: exit 0" "$?" 0
check "save prints the configuration as commands" "$(cat "$tmp/saved")" \
	"ports set 5060,5080
dry-run off
config by-method off reasons off event-rate 100 transactions off transactions-max 65536 relayed off
rule flush
rule add 486 count
rule add 503 drop
rule add 480-489 mark 0x20/0xffffffff
rule add 4xx mark 0x10/0xff
peer flush
peer add CARRIER-A 192.0.2.0/24 2001:db8:a::/48
peer add PBX 198.51.100.7/32"
before=$(cat "$tmp/saved")
change() {
	ctl $fw rule flush; ctl $fw ports set 5099; ctl $fw dry-run on
	ctl $fw peer del PBX; ctl $fw peer add CARRIER-B 203.0.113.0/24
	ctl $fw config by-method on reasons on event-rate 7
}
change
check "the configuration changed" "$(ctl $fw save | head -n 2)" "ports set 5099
dry-run on"
ctl $fw restore "$tmp/saved"
check "restore FILE: exit 0" "$?" 0
check "restore FILE: the same configuration again" "$(ctl $fw save)" "$before"
change
ctl $fw -f "$tmp/saved"
check "-f FILE: the same configuration again" "$?:$(ctl $fw save)" "0:$before"
change
ctl $fw restore <"$tmp/saved"
check "restore < FILE: the same configuration again" "$?:$(ctl $fw save)" "0:$before"
reset_all
check "the restored rules act" "$(send "" 10.0.1.2 5060 503*5 486*2 404*1)" "8 3"
check "the restored rules' verdicts" "$(verdicts $fw)" "404:1/0/1 486:2/0/0 503:5/5/0"

# A file with an error on line N: nothing changes, the error names line N.
badfile() { # NAME LINE3
	printf '# changes nothing\nports set 5099\n%s\nrule flush\n' "$2" >"$tmp/$1"
	err=$(ctl $fw restore "$tmp/$1" 2>&1)
	rc=$?
	if [ $rc = 2 ] && [ "$(nlines "$err")" = 1 ] &&
		[ "${err#sipcodectl: $tmp/$1:3: }" != "$err" ]; then
		ok "restore, $1 on line 3: exit 2 ($err)"
	else
		not_ok "restore, $1 on line 3: one line FILE:3:, exit 2" "exit $rc: $err"
	fi
	check "restore, $1 on line 3: nothing changed" "$(ctl $fw save)" "$before"
}
badfile syntax-error "rule add 503 dorp"
badfile value-error "rule add 7xx drop"
badfile unknown-command "stats reset"
printf 'rule flush\nrule add 480-489 drop\nrule add 500 drop\nrule add 485-499 drop\n' \
	>"$tmp/overlap"
err=$(ctl $fw restore "$tmp/overlap" 2>&1)
check "restore, an overlap within the file: exit 2, line 4" \
	"$? ${err%%: rule add*}" "2 sipcodectl: $tmp/overlap:4"
check "restore, an overlap within the file: nothing changed" "$(ctl $fw save)" "$before"
check "restore -c checks only" "$(ctl $fw restore -c "$tmp/overlap" 2>/dev/null; echo $?)" 2
# A file that restore applies: -c only checks it, and changes nothing.
printf 'rule flush\nports set 5099\ndry-run on\nconfig reasons on\nrule add 6xx drop\n' \
	>"$tmp/valid"
out=$(ctl $fw restore -c "$tmp/valid" 2>&1)
check "restore -c, a file restore applies: exit 0, no output" "$?:$out" "0:"
check "restore -c, a file restore applies: nothing changed" "$(ctl $fw save)" "$before"

# The kernel refuses the one request (line 3 overlaps a range the file
# does not flush): nothing changes, lines 1 and 2 included.
printf 'ports set 5099\ndry-run on\nrule add 485-499 drop\n' >"$tmp/refused"
err=$(ctl $fw restore "$tmp/refused" 2>&1)
check "restore, refused by the kernel: exit 1 and its message" "$? $err" \
	"1 sipcodectl: restore: the range overlaps another range (File exists)"
check "restore, refused by the kernel: nothing changed" \
	"$(ctl $fw save)" "$before"
# Without CAP_NET_ADMIN the kernel refuses the first change.
chmod 755 "$tmp"
printf 'rule flush\nports set 5099\ndry-run on\n' >"$tmp/eperm"
chmod 644 "$tmp/eperm"
err=$(ip netns exec $fw setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$CTL" restore "$tmp/eperm" 2>&1)
check "restore as nobody: exit 1, EPERM" "$? $err" \
	"1 sipcodectl: restore: Operation not permitted"
check "restore as nobody: nothing changed" "$(ctl $fw save)" "$before"

# --- stats -w ------------------------------------------------------------------------
ctl $fw stats -w 1 -n 3 >"$tmp/watch"
check "stats -w 1 -n 3: exit 0" "$?" 0
check "3 tables, each with a RATE/s column" \
	"$(grep -c '^CODE .* RATE/s$' "$tmp/watch") $(grep -c '^Every 1s: ' "$tmp/watch")" "3 3"
check "not a terminal: no escape sequence" "$(grep -c $'\033' "$tmp/watch")" 0
check "a terminal: each table clears the screen" \
	"$(ip netns exec $fw script -qec "$CTL stats -w 0.2 -n 2" /dev/null |
		grep -c $'\033\\[H\033\\[2J')" 2
check "the first table has no rate yet" \
	"$(awk '/^CODE/ { n++ } n == 1 && $1 == 503 { print $NF }' "$tmp/watch")" "-"
# ip netns exec execs sipcodectl: $! is its pid.
# stats -w flushes each table: wait for the first, then for a rate of 200.
ip netns exec $fw "$CTL" stats -w 0.5 >"$tmp/watch" &
wpid=$!
bg_add $wpid
check_wait "stats -w: a first table" 30 grep -q '^CODE' "$tmp/watch"
check "stats -w: traffic" "$(send "" 10.0.1.2 5060 200*40)" "40 40"
check_wait "under traffic, 200 has a rate" 30 \
	awk '$1 == 200 && $NF + 0 > 0 { n++ } END { exit !n }' "$tmp/watch"
kill -INT $wpid
wait $wpid
check "stats -w: SIGINT, exit 0" "$?" 0
bg_del $wpid

# --- done ------------------------------------------------------------------------------
test_unload

finish
