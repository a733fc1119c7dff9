#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The in-guest half of the benchmark (bench/run.sh boots the guest with
# scripts/vm.sh -c 1 -q "-icount shift=0,sleep=off" and runs this). Each
# scenario sends the same prebuilt frame from namespace btx over a veth
# into namespace brx, which forwards it to a dummy device that drops it:
#
#   btx: pktsend -> veth0 ==== veth1 -> PRE_ROUTING -> forward -> dummy0
#                              (brx, 10.0.0.2/24; 10.9.9.9 via dummy0)
#
# so that only what runs at brx's ingress or PRE_ROUTING (sipcode's hook,
# nftables, tc eBPF) changes from one scenario to the next. The TCP
# scenarios (base-tcp, tcp-*) send TCP segments instead (pktsend -T,
# bench/tcpstream.h): 1,448 bytes of a stream of responses each, four of
# them starting in every segment. The transaction scenarios (base-txn,
# txn-*) send an INVITE and its 200 OK in turn (pktsend -P txn,
# bench/txnpair.h), a new call each pair. pktsend times each batch with
# CLOCK_MONOTONIC, which under icount counts guest instructions. After
# each scenario, the counters of what ran (sipcode's stats, the nft set,
# the BPF map, dummy0's tx_packets) must have grown by the packets sent
# (for TCP, sipcode's by the responses sent, and no bucket; for the
# transactions, every request tracked or untracked, and every response
# the first final of a tracked one or unmatched).
#
# usage: bench/guest.sh [SCENARIO...]   (default: all, in the order below)
#
# Environment: BENCH_PKTS (frames per batch, 200000), BENCH_REPS (timed
# batches, 3), BENCH_WARMUP (frames sent before them, 10000), BENCH_SKIP
# (scenarios not to run, e.g. tc-bpf when there is no BPF program), and
# the paths BENCH_OUT (build/bench), KO, SIPCODECTL, KO_BEFORE (the
# module before the transaction table, for txn-before).
#
# Output, one line each:
#   info KEY VALUE...
#   result SCENARIO FRAMES_PER_BATCH NS_OF_BATCH_1 NS_OF_BATCH_2 ...
#   segment SCENARIO PAYLOAD_BYTES RESPONSES   (TCP: each timed frame's)
#   check SCENARIO WHAT ok|FAIL got N want N
#   txn SCENARIO KEY N...   (what the transaction table counted)
#   skip SCENARIO REASON
# Exits 1 if a check failed or a scenario could not run.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
out=${BENCH_OUT:-$top/build/bench}
KO=${KO:-$top/build/$(uname -r)/kmod/sipcode.ko}
KO_BEFORE=${KO_BEFORE:-}
CTL=${SIPCODECTL:-$top/user/sipcodectl}
PKTS=${BENCH_PKTS:-200000}
REPS=${BENCH_REPS:-3}
WARMUP=${BENCH_WARMUP:-10000}
SEND=$out/pktsend
BPF=$out/sipcount.bpf.o
NFNULL=$out/nfnull/nfnull.ko
TX=btx
RX=brx
ALL="base base-port base-rtp null-hook null-init unconf port rtp count rule1 rule600 method reasons notify peer1 peer1000 peer-rule relayed insight-off nft tc-bpf ct ct-sip base-tcp tcp-other tcp-follow tcp-new base-txn txn-before txn-off txn-on txn-full txn-was-on txn-idle txn-gc base-end"
# The transaction table's size in txn-on, txn-was-on, txn-idle and
# txn-gc: the largest, so that a bucket seldom fills (every request of a
# run stays in the table: 32 s is longer than the run's virtual time).
TXN_MAX=1048576
# txn-full's: the smallest, its buckets full after the first requests.
TXN_FULL=64
nfail=0

[ $# -gt 0 ] || set -- $ALL

fail() { echo "skip $1 $2"; nfail=$((nfail + 1)); }
rx() { ip netns exec $RX "$@"; }
ctl() { rx "$CTL" "$@"; }

setup() {
	local ns

	for ns in $TX $RX; do
		ip netns add $ns || return 1
		# No IPv6: no router solicitation or MLD timer in the runs.
		ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 || return 1
		ip -n $ns link set lo up
	done
	ip -n $TX link add veth0 address 02:00:00:00:00:01 type veth \
		peer name veth1 netns $RX address 02:00:00:00:00:02 || return 1
	ip -n $RX addr add 10.0.0.2/24 dev veth1
	ip -n $RX link add dummy0 type dummy || return 1
	ip -n $RX addr add 10.9.9.1/24 dev dummy0
	ip -n $RX link set dummy0 up
	ip -n $RX link set veth1 up
	ip -n $TX link set veth0 up
	rx sysctl -qw net.ipv4.ip_forward=1
}

# The counters a scenario checks, "NAME VALUE" a line.
sipcode_counters() {
	ctl stats -j | jq -r '"total \(.total)",
		"not_response \(.not_response)",
		"seen486 \([.codes[] | select(.code == 486) | .seen] | add // 0)",
		"marked486 \([.codes[] | select(.code == 486) | .marked] | add // 0)",
		"seen200 \([.codes[] | select(.code == 200) | .seen] | add // 0)",
		"first200 \([.codes[] | select(.code == 200) |
			.first_final // 0] | add // 0)",
		"retrans200 \([.codes[] | select(.code == 200) |
			.retransmitted // 0] | add // 0)",
		"unheard \(.events.unheard // 0)",
		"responses \([.codes[].seen] | add // 0)",
		"tcp_midstream \(.tcp_midstream)",
		"tcp_unframed \(.tcp_unframed)",
		"tcp_retransmit \(.tcp_retransmit)",
		"tcp_untracked \(.tcp_untracked)"'
	ctl config -j | jq -r '"by_method \(.by_method)", "reasons \(.reasons)",
		"transactions \(.transactions)"'
	# The table's counters, while it is on (they go with it).
	if ctl config -j | jq -e .transactions >/dev/null; then
		ctl stats --delays -j | jq -r '.txn as $t |
			"tracked \($t.tracked)", "untracked \($t.untracked)",
			"txn_requests \($t.tracked + $t.untracked)",
			"retransmitted \($t.retransmitted)",
			"unmatched \($t.unmatched)", "timeouts \($t.timeouts)",
			"entries \($t.entries)",
			"srd \([.delays[] | select(.kind == "srd") | .count] |
				add // 0)",
			"final2xx \([.delays[] | select(.kind == "invite_final"
				and .class == 2) | .count] | add // 0)"'
	fi
	if ctl config -j | jq -e .by_method >/dev/null; then
		ctl stats --by-method -j | jq -r '"invite486 \([.by_method[] |
			select(.code == 486 and .method == "INVITE") |
			.count] | add // 0)"'
	fi
	if [ "$(ctl peer -j | jq '.peers | length')" != 0 ]; then
		ctl stats --by-peer -j | jq -r '"peer486 \([.peers[] |
			select(.peer == "BTX" and .direction == "in") |
			.codes["486"] // 0] | add // 0)"'
	fi
	if ctl config -j | jq -e .relayed >/dev/null; then
		ctl stats --by-peer -j | jq -r '"relayed486 \(.directions.relayed["486"] // 0)"'
	fi
	if ctl config -j | jq -e .reasons >/dev/null; then
		ctl stats --reasons 486 -j | jq -r '"busy486 \([.reasons[] |
			select(.phrase == "Busy Here") | .count] | add // 0)"'
	fi
}
nft_counters() {
	rx nft -j list set ip sipcode_bench codes |
		jq -r '"nft_set \([.nftables[].set? // empty | .elem[]? |
			.elem.counter.packets] | add // 0)"'
}
bpf_counters() {
	# Per-CPU values, summed: numbers when bpftool has the map's BTF,
	# else arrays of bytes, least significant first.
	bpftool -j map dump name sip_codes | jq -r '
		def hex: ltrimstr("0x") | explode | reduce .[] as $c (0;
			. * 16 + (if $c >= 97 then $c - 87
				  elif $c >= 65 then $c - 55 else $c - 48 end));
		def num: if type == "array"
			then reverse | reduce .[] as $b (0; . * 256 + ($b | hex))
			else . end;
		"bpf_map \([.[] | .values[] | .value | num] | add // 0)"'
}
ct_counters() {
	local c

	rx nft -j list counter ip sipcode_ct tracked 2>/dev/null |
		jq -r '"ct_tracked \([.nftables[].counter? // empty |
			.packets] | add // 0)"'
}
counters() {
	echo "forwarded $(rx cat /sys/class/net/dummy0/statistics/tx_packets)"
	case $1 in
	sipcode) sipcode_counters ;;
	nft) nft_counters ;;
	bpf) bpf_counters ;;
	ct) ct_counters ;;
	esac
}
get() { awk -v k="$2" '$1 == k { print $2 }' <<<"$1"; }

# delta COUNTER: how much it grew over the last measure(), or "none".
delta() {
	awk -v a="$(get "$after" "$1")" -v b="$(get "$before" "$1")" \
		'BEGIN { if (a ~ /^[0-9]+$/ && b ~ /^[0-9]+$/) print a - b;
			 else print "none" }'
}

# measure SCENARIO KIND "COUNTER=WANT..." PKTSEND_ARGS...: send, print the
# results, check each COUNTER grew by WANT (all: every frame sent; resp:
# every response in the TCP segments or the pairs sent, pktsend's
# "responses"; req: every request of the pairs; @OTHER: as much as the
# counter OTHER grew). Leaves the counters in $before and $after.
measure() {
	local name=$1 kind=$2 checks=$3 sent res c k want got
	shift 3

	before=$(counters "$kind") || { fail "$name" "no counters"; return; }
	res=$(ip netns exec $TX "$SEND" -n "$PKTS" -r "$REPS" -w "$WARMUP" \
		"$@" veth0) || { fail "$name" "pktsend failed"; return; }
	after=$(counters "$kind") || { fail "$name" "no counters"; return; }
	sent=$(awk '$1 == "sent" { print $2 }' <<<"$res")
	echo "result $name $PKTS $(awk '$1 == "batch" { printf "%s ", $4 }' <<<"$res")"
	awk -v n="$name" '$1 == "segment" { print "segment", n, $2, $3 }' <<<"$res"
	for c in forwarded=all $checks; do
		k=${c%=*}
		want=${c#*=}
		[ "$want" = all ] && want=$sent
		[ "$want" = resp ] &&
			want=$(awk '$1 == "responses" { print $2 }' <<<"$res")
		[ "$want" = req ] &&
			want=$(awk '$1 == "requests" { print $2 }' <<<"$res")
		[ "${want#@}" != "$want" ] && want=$(delta "${want#@}")
		got=$(delta "$k")
		if [ "$got" = "$want" ]; then
			echo "check $name $k ok got $got want $want"
		else
			echo "check $name $k FAIL got $got want $want"
			nfail=$((nfail + 1))
		fi
	done
}

# check_le SCENARIO COUNTER MAX: it grew by MAX at most.
check_le() {
	local got

	got=$(delta "$2")
	if [ "$got" != none ] && [ "$got" -le "$3" ]; then
		echo "check $1 $2 ok got $got want <=$3"
	else
		echo "check $1 $2 FAIL got $got want <=$3"
		nfail=$((nfail + 1))
	fi
}

# What the transaction table counted in the last measure(): every
# request tracked or untracked, every response first final or unmatched.
txn_counted() {
	echo "txn $1 tracked $(delta tracked) untracked $(delta untracked)" \
		"unmatched $(delta unmatched) first_final $(delta first200)" \
		"entries $(get "$after" entries)"
}

load_sipcode() {
	lsmod | grep -q '^sipcode ' && return 0
	insmod "$KO" all_netns=1
}
unload_all() {
	local m

	for m in sipcode nfnull; do
		lsmod | grep -q "^$m " && rmmod $m
	done
	rx nft delete table ip sipcode_bench 2>/dev/null
	rx nft delete table ip sipcode_ct 2>/dev/null
	rx tc qdisc del dev veth1 clsact 2>/dev/null
	return 0
}

# Conntrack in brx, switched on by a chain after it (-150) that counts
# the packets it tracks; with "sip", the kernel's SIP helper
# (nf_conntrack_sip) on the flow too.
load_ct() {
	{
		echo 'table ip sipcode_ct {'
		echo '	counter tracked { }'
		[ "$1" = sip ] &&
			echo '	ct helper sip5060 { type "sip" protocol udp; }'
		echo '	chain pre {'
		echo '		type filter hook prerouting priority -150;'
		[ "$1" = sip ] &&
			echo '		udp dport 5060 ct helper set "sip5060"'
		echo '		ct state new,established counter name "tracked"'
		echo '	}'
		echo '}'
	} | rx nft -f -
}

# One scenario on a clean hook set: none of ours but what it loads.
scenario() {
	local name=$1

	case $name in
	base | base-end)
		unload_all
		measure "$name" none "" ;;
	base-port)
		unload_all
		measure "$name" none "" -p 40000 ;;
	base-rtp)
		unload_all
		measure "$name" none "" -P rtp ;;
	base-tcp)
		unload_all
		measure "$name" none "" -T follow ;;
	base-txn)
		unload_all
		measure "$name" none "" -P txn ;;
	txn-before)
		# The module as it was before the transaction table, on the
		# frames of txn-off: what the table's code costs while it is
		# off is txn-off over this.
		unload_all
		[ -n "$KO_BEFORE" ] && [ -f "$KO_BEFORE" ] ||
			{ fail "$name" "no module before the transactions"; return; }
		insmod "$KO_BEFORE" all_netns=1 ||
			{ fail "$name" "insmod $KO_BEFORE"; return; }
		ctl rule flush && ctl config by-method off reasons off ||
			{ fail "$name" "config"; unload_all; return; }
		measure "$name" sipcode "not_response=req seen200=resp total=all" \
			-P txn
		unload_all ;;
	null-hook)
		unload_all
		insmod "$NFNULL" || { fail "$name" "insmod $NFNULL"; return; }
		measure "$name" none "" ;;
	null-init)
		# A hook in the initial namespace only, none in brx.
		unload_all
		insmod "$NFNULL" init_only=1 ||
			{ fail "$name" "insmod $NFNULL"; return; }
		measure "$name" none ""
		unload_all ;;
	unconf)
		# Loaded, brx not configured: no hook there.
		unload_all
		insmod "$KO" || { fail "$name" "insmod $KO"; return; }
		measure "$name" none ""
		ctl stats -j | jq -e '.active == false' >/dev/null ||
			fail "$name" "brx counted packets"
		unload_all ;;
	ct | ct-sip)
		# Each on a flow of its own, new to conntrack: plain conntrack
		# on port 40000, the SIP helper on 5060.
		local port=40000
		[ $name = ct ] || port=5060
		unload_all
		load_ct "${name#ct-}" || { fail "$name" "nft -f"; return; }
		measure "$name" ct "ct_tracked=all" -p $port
		# The SIP helper keeps the flow for sip_timeout (3,600 s);
		# without it, an unreplied UDP flow lives 30 s.
		if rx awk -v p="dport=$port" '$0 ~ p && $5 > 60 { n++ }
			END { exit !n }' /proc/net/nf_conntrack; then
			[ $name = ct-sip ] || fail "$name" "a SIP helper ran"
		else
			[ $name = ct ] || fail "$name" "no SIP helper ran"
		fi
		unload_all ;;
	port | rtp | count | rule1 | rule600 | method | reasons | notify | \
	peer1 | peer1000 | peer-rule | relayed | insight-off | tcp-other | tcp-follow | tcp-new | txn-off | txn-on | \
	txn-full | txn-was-on | txn-idle | txn-gc)
		lsmod | grep -q '^nfnull ' && rmmod nfnull
		rx nft delete table ip sipcode_bench 2>/dev/null
		rx tc qdisc del dev veth1 clsact 2>/dev/null
		load_sipcode || { fail "$name" "insmod $KO"; return; }
		ctl rule flush || { fail "$name" "rule flush"; return; }
		ctl config by-method off reasons off transactions off relayed off &&
			ctl peer flush || { fail "$name" "config"; return; }
		case $name in
		port) measure "$name" sipcode "total=0" -p 40000 ;;
		rtp) measure "$name" sipcode "not_response=all seen486=0" -P rtp ;;
		count) measure "$name" sipcode "seen486=all marked486=0" ;;
		rule1)
			ctl rule add 486 mark 486 >/dev/null ||
				{ fail "$name" "rule add"; return; }
			measure "$name" sipcode "seen486=all marked486=all" ;;
		rule600)
			# One mark rule per code, 100 to 699, in one process;
			# else one sipcodectl a rule (slower).
			if ! rx python3 "$top"/tests/nlraw.py rules-all-codes |
				grep -q 'errno=0 '; then
				ctl rule flush
				for c in $(seq 100 699); do
					ctl rule add "$c" mark "$c" >/dev/null || break
				done
			fi
			[ "$(ctl rule | wc -l)" = 600 ] ||
				{ fail "$name" "not 600 rules"; return; }
			measure "$name" sipcode "seen486=all marked486=all" ;;
		method)
			ctl config by-method on || { fail "$name" "config"; return; }
			measure "$name" sipcode "seen486=all invite486=all" ;;
		reasons)
			ctl config reasons on || { fail "$name" "config"; return; }
			measure "$name" sipcode "seen486=all busy486=all" ;;
		notify)
			# Nobody listens: each response is looked at, then
			# counted as unheard.
			ctl rule add 486 notify >/dev/null ||
				{ fail "$name" "rule add"; return; }
			measure "$name" sipcode "seen486=all unheard=all" ;;
		peer1 | peer1000)
			# The sender's 10.0.0.1 in a /24, alone or among 999
			# other /24s (10.1.1.0 to 10.4.249.0): the look-up
			# reads 3 bytes of the address either way.
			local p="10.0.0.0/24"
			[ $name = peer1000 ] &&
				p="$p $(seq 1 999 | awk '{ printf "10.%d.%d.0/24 ", int($1 / 250) + 1, $1 % 250 }')"
			# shellcheck disable=SC2086
			ctl peer add BTX $p || { fail "$name" "peer add"; return; }
			[ "$(ctl peer -j | jq '[.peers[].prefixes[]] | length')" = \
				"$([ $name = peer1 ] && echo 1 || echo 1000)" ] ||
				{ fail "$name" "prefixes"; return; }
			measure "$name" sipcode "seen486=all peer486=all"
			ctl peer flush ;;
		peer-rule)
			# Row 5's mark rule, BTX's own: the code's first
			# verdict sends each response to its peer's.
			ctl peer add BTX 10.0.0.0/24 &&
				ctl rule add 486 peer BTX mark 486 >/dev/null ||
				{ fail "$name" "peer rule add"; return; }
			measure "$name" sipcode "seen486=all marked486=all peer486=all"
			ctl rule flush
			ctl peer flush ;;
		relayed)
			# brx forwards every response: each one's destination
			# looked up among its addresses (the local table).
			ctl config relayed on || { fail "$name" "config"; return; }
			measure "$name" sipcode "seen486=all relayed486=all" ;;
		insight-off)
			# Switched on, then off again: back to the cost of 4.
			ctl config by-method on reasons on &&
			ctl config by-method off reasons off ||
				{ fail "$name" "config"; return; }
			measure "$name" sipcode "seen486=all marked486=0" ;;
		tcp-other)
			# The segments of tcp-follow, to a port not inspected.
			measure "$name" sipcode "total=0" -T follow -p 40001 ;;
		tcp-follow | tcp-new)
			# Every response of the stream once, nothing in a
			# bucket: each segment framed from where the last one
			# stopped (follow), or from a message start (new).
			measure "$name" sipcode "responses=resp total=resp \
				tcp_midstream=0 tcp_unframed=0 tcp_retransmit=0 \
				tcp_untracked=0" -T "${name#tcp-}" ;;
		txn-off)
			# The baseline of the transactions: each request counted
			# as not a response, each 200 as seen.
			measure "$name" sipcode "not_response=req seen200=resp \
				total=all first200=0" -P txn ;;
		txn-on | txn-full)
			# Every request tracked or, in a full bucket, untracked;
			# every 200 the first final of a tracked one (with its
			# delays: SRD and INVITE to 2xx) or unmatched. Nothing
			# is forgotten: a run is a few seconds of virtual time.
			local max=$TXN_MAX
			[ $name = txn-full ] && max=$TXN_FULL
			ctl config transactions-max $max transactions on ||
				{ fail "$name" "config"; return; }
			measure "$name" sipcode "not_response=req seen200=resp \
				txn_requests=req first200=@tracked srd=@tracked \
				final2xx=@tracked unmatched=@untracked \
				entries=@tracked retransmitted=0 retrans200=0 \
				timeouts=0" -P txn
			txn_counted "$name"
			# A full table: its buckets full after the first ones.
			[ $name = txn-on ] || check_le "$name" tracked $TXN_FULL ;;
		txn-was-on)
			# Switched on, then off again: back to the cost of txn-off.
			ctl config transactions-max $TXN_MAX transactions on &&
			ctl config transactions off ||
				{ fail "$name" "config"; return; }
			measure "$name" sipcode "not_response=req seen200=resp \
				total=all first200=0" -P txn ;;
		txn-idle)
			# The table on, the frames of row 2 (port 40000): all
			# the table costs there is its GC, once a second.
			ctl config transactions-max $TXN_MAX transactions on ||
				{ fail "$name" "config"; return; }
			measure "$name" sipcode "total=0 txn_requests=0 unmatched=0" \
				-p 40000 ;;
		txn-gc)
			# The GC skips an empty table: here the table holds the
			# transactions txn-on leaves (its warm-up and batches
			# of pairs, sent first, untimed), then the frames of
			# row 2: all the table costs there is the GC's pass
			# over them, once a second. None expires in the run.
			ctl config transactions-max $TXN_MAX transactions on ||
				{ fail "$name" "config"; return; }
			ip netns exec $TX "$SEND" -n $((WARMUP + REPS * PKTS)) \
				-r 1 -w 0 -P txn veth0 >/dev/null ||
				{ fail "$name" "pktsend failed"; return; }
			measure "$name" sipcode "total=0 txn_requests=0 unmatched=0 \
				entries=0 timeouts=0" -p 40000
			echo "txn $name entries $(get "$before" entries)" ;;
		esac ;;
	nft)
		unload_all
		{
			cat "$top"/bench/sipcode.nft
			printf 'add element ip sipcode_bench marks {'
			for c in $(seq 100 699); do
				printf ' 0x%02x%02x%02x : %d,' \
					"'${c:0:1}" "'${c:1:1}" "'${c:2:1}" "$c"
			done | sed 's/,$//'
			echo ' }'
		} | rx nft -f - || { fail "$name" "nft -f"; return; }
		measure "$name" nft "nft_set=all" ;;
	tc-bpf)
		unload_all
		[ -f "$BPF" ] || { fail "$name" "no $BPF"; return; }
		rx tc qdisc add dev veth1 clsact &&
		rx tc filter add dev veth1 ingress bpf da obj "$BPF" sec tc ||
			{ fail "$name" "tc filter add"; return; }
		measure "$name" bpf "bpf_map=all" ;;
	*)
		fail "$name" "unknown scenario" ;;
	esac
}

echo "info kernel $(uname -r)"
echo "info cpus $(nproc)"
echo "info clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
echo "info spectre_v2 $(cat /sys/devices/system/cpu/vulnerabilities/spectre_v2)"
echo "info frames $PKTS per batch, $REPS batches, $WARMUP warm-up"
setup || { echo "skip all setup failed"; exit 1; }
for s in "$@"; do
	case " ${BENCH_SKIP:-} " in
	*" $s "*) echo "info not run: $s" ;;
	*) scenario "$s" ;;
	esac
done
unload_all
ip netns del $TX
ip netns del $RX
[ $nfail = 0 ]
