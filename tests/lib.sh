# SPDX-License-Identifier: GPL-2.0
#
# Shared by the sipcode selftests and the demo, to be sourced after
# setting top (the repo root): TAP helpers, sipcodectl and traffic
# helpers, a test's temporary directory, background processes and
# cleanup, and the three-namespace topology, whose names topo_setup sets
# in cli, fw and srv:
#
#   cli                         fw                            srv
#   veth0 ------------------ veth0 | veth1 ------------------ veth0
#   10.0.1.2/24      10.0.1.1/24   | 10.0.2.1/24      10.0.2.2/24
#   fd00:1::2/64     fd00:1::1/64  | fd00:2::1/64     fd00:2::2/64
#
# cli and srv route through fw, which forwards both IP versions.

ksft_skip=4
KO=${KO:-$top/build/$(uname -r)/kmod/sipcode.ko}
CTL=${SIPCODECTL:-$top/user/sipcodectl}
GEN="python3 $top/tests/sipgen.py"
NLRAW="python3 $top/tests/nlraw.py"
# The kernel tree that scripts/ynl-gen.sh extracts the ynl tools into.
YNL_SRC=${YNL_SRC:-$top/build/ynl/linux-source-6.12}
YNL_DIR=$YNL_SRC/tools/net/ynl
# ynlreq NS < REQUESTS: well-formed requests ("OP JSON" lines) through the
# kernel's ynl library (tests/ynlreq.py).
ynlreq() {
	ip netns exec "$1" /usr/bin/python3 "$top/tests/ynlreq.py" "$YNL_DIR" \
		"$top/Documentation/netlink/specs/sipcode.yaml"
}
ntest=0
nfail=0

echo "TAP version 13"

ok() { ntest=$((ntest + 1)); echo "ok $ntest - $1"; }
not_ok() {
	ntest=$((ntest + 1)); nfail=$((nfail + 1))
	echo "not ok $ntest - $1"
	shift
	for l in "$@"; do echo "# $l"; done
}
# check NAME GOT WANT
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got:  $2" "want: $3"; fi
}
# check_run NAME CMD...: ok when CMD succeeds; else not ok, with the last
# ${RUN_TAIL:-30} lines of what it printed, which is left in $tmp/out.
check_run() {
	local name=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then
		ok "$name"
	else
		not_ok "$name" "exit status $?"
		tail -n "${RUN_TAIL:-30}" "$tmp/out" | sed 's/^/# /'
	fi
}
skip_all() { echo "1..0 # SKIP $*"; exit $ksft_skip; }
# The plan and the summary; the exit status of a test script.
finish() {
	echo "1..$ntest"
	echo "# $((ntest - nfail)) passed, $nfail failed"
	[ $nfail = 0 ]
}

# loopy_wait SLEEP TIMEOUT_MS CMD...: runs CMD until it succeeds, SLEEP
# between runs, for TIMEOUT_MS at most; prints the output of its last run.
# Returns 0 once CMD succeeded, 1 when the time ran out. The time is
# bash's EPOCHREALTIME in microseconds (its decimal point, whatever the
# locale's, taken out): no date started at each run.
loopy_wait() {
	local sleep_cmd=$1 timeout_ms=$2 start out

	shift 2
	start=${EPOCHREALTIME/[^0-9]/}
	while :; do
		if out=$("$@"); then
			printf '%s' "$out"
			return 0
		fi
		if ((${EPOCHREALTIME/[^0-9]/} - start > timeout_ms * 1000)); then
			printf '%s' "$out"
			return 1
		fi
		$sleep_cmd
	done
}
# busywait TIMEOUT_MS CMD...: until CMD succeeds, at once again each time;
# slowwait TIMEOUT_S CMD...: the same, 0.1 s apart. As the helpers of
# tools/testing/selftests/net/lib.sh: non-zero when the time ran out.
busywait() { local t=$1; shift; loopy_wait : "$t" "$@"; }
slowwait() { local t=$1; shift; loopy_wait "sleep 0.1" "$((t * 1000))" "$@"; }
# check_wait NAME TIMEOUT_S CMD...: a test NAME that passes once CMD
# succeeds (slowwait) and fails when it has not in TIMEOUT_S seconds.
check_wait() {
	local name=$1 t=$2

	shift 2
	if slowwait "$t" "$@" >/dev/null; then
		ok "$name"
		return 0
	fi
	not_ok "$name" "timed out after $t s: $*"
	return 1
}

# timing NAME: how long the part just done took (since timing_start or
# the previous timing), as a TAP comment.
timing_start() { lap=$SECONDS; }
timing() { echo "# time: $1: $((SECONDS - lap)) s"; lap=$SECONDS; }

# Skip unless root, the tools named and a way to make veth pairs.
require() {
	local t

	[ "$(id -u)" = 0 ] || skip_all "needs root"
	for t in ip jq python3 "$@"; do
		command -v "$t" >/dev/null || skip_all "needs $t"
	done
	[ -x "$CTL" ] || skip_all "no sipcodectl at $CTL (make user)"
	[ -f "$KO" ] || skip_all "no module at $KO (make module)"
	ip link add sipcode-t type veth peer name sipcode-t1 2>/dev/null ||
		skip_all "no veth"
	ip link del sipcode-t
}

# A fresh module: unload the one loaded, if any, then load $KO ARGS,
# inspecting every namespace (the tests' namespaces configure nothing).
load_module() {
	if lsmod | grep -q '^sipcode '; then
		rmmod sipcode || skip_all "sipcode is loaded and busy"
	fi
	insmod "$KO" all_netns=1 "$@"
}

ctl() { local ns=$1; shift; ip netns exec "$ns" "$CTL" "$@"; }

# pin_hook_keys NS: a new namespace NS whose empty nftables base chains
# hold the netfilter static keys (nf_hooks_needed) on. In a QEMU TCG
# guest, turning a key on or off while another vCPU runs the code it
# patches kills the guest ("Oops: int3" at ip_rcv+0x42 or
# __ip_local_out+0xa2, without sipcode as well: nft base chains added and
# deleted under traffic, on an untainted 6.12). With the keys held, the
# module's hooks come and go under traffic and the keys never flip.
pin_hook_keys() {
	ip netns add "$1" || return 1
	ip netns exec "$1" nft -f - <<'NFT'
table inet sippin {
	chain pinpre { type filter hook prerouting priority 0; }
	chain pinout { type filter hook output priority 0; }
}
NFT
}
# The codes a namespace counted, as "CODE:SEEN ...", ascending.
codes() { ctl "$1" stats -j | jq -r '[.codes[] | "\(.code):\(.seen)"] | join(" ")'; }
# The same with what the rules did: "CODE:SEEN/DROPPED/MARKED ...".
verdicts() {
	ctl "$1" stats -j |
		jq -r '[.codes[] | "\(.code):\(.seen)/\(.dropped)/\(.marked)"] | join(" ")'
}
# The not-counted buckets: "not_response malformed truncated keepalive fragment".
buckets() {
	ctl "$1" stats -j |
		jq -r '"\(.not_response) \(.malformed) \(.truncated) \(.keepalive) \(.fragment)"'
}
# Every not-counted bucket of stats -j, as user/libsipcode.c's table
# (sc_uncounted) names them: "not_response malformed ... tcp_untracked".
UNCOUNTED=$(sed -n '/^const struct sc_name sc_uncounted/,/^};/s/.*, "\([a-z_]*\)" },$/\1/p' \
	"$top/user/libsipcode.c" | paste -sd ' ')
# counts NS...: every non-zero counter of each namespace named, a line
# each: "CODE:SEEN ... BUCKET:N ...", the buckets in stats -j's order.
counts() {
	local ns

	for ns; do ctl "$ns" stats -j; done |
		jq -rs --arg uc "$UNCOUNTED" '($uc | split(" ")) as $uc | .[] |
		[(.codes[] | "\(.code):\(.seen)"),
		 (to_entries[] | select(.key | IN($uc[])) | select(.value != 0) |
		  "\(.key):\(.value)")] | join(" ")'
}
# sums NS: every bucket of a namespace added up (the seen of every code
# and every not-counted bucket), its fragments and its total:
# "SUM FRAGMENT TOTAL".
sums() {
	ctl "$1" stats -j | jq -r --arg uc "$UNCOUNTED" '($uc | split(" ")) as $uc |
		"\(([.codes[].seen] | add // 0) + ([.[$uc[]]] | add)) \(.fragment) \(.total)"'
}
# nft_counts: the packets of each counter of fw's chain inet sipt sipfwd.
nft_counts() {
	ip netns exec $fw nft -j list chain inet sipt sipfwd |
		jq -r '[.nftables[] | .rule? | select(.) | (.expr[] | .counter? | select(.) | .packets)] | join(" ")'
}
reset_all() { local ns; for ns in $cli $fw $srv; do ctl "$ns" stats reset; done; }

# send [-6] DST PORT ITEMS...: a sink in cli counts what arrives while
# srv sends ITEMS (see tests/sipgen.py) to DST:PORT from PORT; prints
# "sent received", to be checked by the caller. When the sink is not
# ready in 10 s, sends nothing, prints "no-sink" and returns 1.
send() {
	local v=$1 dst=$2 port=$3 sent got pid
	shift 3
	ip netns exec $cli $GEN sink $v "$port" --idle 1 >"$tmp/sink" &
	pid=$!
	# A first python3 in a fresh debug-kernel guest, while depmod runs,
	# may take many seconds to start.
	if ! slowwait 60 grep -q ready "$tmp/sink"; then
		kill $pid 2>/dev/null
		wait $pid 2>/dev/null
		echo "# send: the sink in cli was not ready in 60 s" >&2
		echo "no-sink"
		return 1
	fi
	sent=$(ip netns exec $srv $GEN send $v --sport "$port" "$dst" "$port" "$@")
	wait $pid
	got=$(tail -n 1 "$tmp/sink")
	echo "$sent $got"
}

topo_setup() {
	local sfx=$1 ns

	cli=sipcode-cli-$sfx
	fw=sipcode-fw-$sfx
	srv=sipcode-srv-$sfx
	for ns in $cli $fw $srv; do
		ip netns add "$ns" || return 1
		ip -n "$ns" link set lo up
	done
	ip -n $cli link add veth0 type veth peer name veth0 netns $fw &&
	ip -n $srv link add veth0 type veth peer name veth1 netns $fw || return 1
	ip -n $cli addr add 10.0.1.2/24 dev veth0
	ip -n $cli addr add fd00:1::2/64 dev veth0 nodad
	ip -n $fw addr add 10.0.1.1/24 dev veth0
	ip -n $fw addr add fd00:1::1/64 dev veth0 nodad
	ip -n $fw addr add 10.0.2.1/24 dev veth1
	ip -n $fw addr add fd00:2::1/64 dev veth1 nodad
	ip -n $srv addr add 10.0.2.2/24 dev veth0
	ip -n $srv addr add fd00:2::2/64 dev veth0 nodad
	ip -n $cli link set veth0 up
	ip -n $fw link set veth0 up
	ip -n $fw link set veth1 up
	ip -n $srv link set veth0 up
	ip -n $cli route add default via 10.0.1.1
	ip -n $cli -6 route add default via fd00:1::1
	ip -n $srv route add default via 10.0.2.1
	ip -n $srv -6 route add default via fd00:2::1
	# Bursts of a few thousand datagrams must not be lost to a socket or
	# backlog limit before the sink reads them (global, not per netns).
	sysctl -qw net.core.rmem_max=16777216 net.core.netdev_max_backlog=10000
	ip netns exec $fw sysctl -qw net.ipv4.ip_forward=1
	ip netns exec $fw sysctl -qw net.ipv6.conf.all.forwarding=1
}

topo_cleanup() {
	local ns

	for ns in ${cli:-} ${fw:-} ${srv:-}; do
		ip netns del "$ns" 2>/dev/null
	done
}

# test_init: a fresh temporary directory in $tmp, no background process,
# and cleanup as the EXIT trap.
test_init() {
	tmp=$(mktemp -d)
	bg=
	trap cleanup EXIT
}
# bg_add PID: a background process that cleanup kills.
bg_add() { bg="$bg $1"; }
# bg_del PID: one that has ended since.
bg_del() {
	local p keep=

	for p in $bg; do [ "$p" = "$1" ] || keep="$keep $p"; done
	bg=$keep
}
# cleanup_extra: what else a test removes (its own namespaces), before
# $tmp; a test that needs it defines its own.
cleanup_extra() { :; }
# Kills the background processes (and waits for them, if any), removes
# the topology, runs cleanup_extra and removes $tmp.
cleanup() {
	local p

	for p in $bg; do kill "$p" 2>/dev/null; done
	[ -z "$bg" ] || wait 2>/dev/null
	topo_cleanup
	cleanup_extra
	rm -rf "$tmp"
}
# test_unload: cleans up (no trap left), then unloads the module and
# checks that no kernel warning was logged (a memory cgroup's OOM kill,
# which a test may cause on purpose, is none).
test_unload() {
	cleanup
	trap - EXIT
	rmmod sipcode
	check "rmmod" "$?" 0
	dmesg | awk -f "$top/scripts/vm/memcg-oom.awk" |
		grep -E 'WARNING:|BUG:|Oops|Call Trace|UBSAN' >/dev/null
	check "dmesg has no warning" "$?" 1
}

# The Prometheus samples of the counters (sipcodectl's and the exporter's
# metrics, no HELP or TYPE), made from `stats -j` on stdin, unsorted: the
# split by direction of each code seen that has "in" and "out" among them.
prom_of_json() {
	jq -r '
	  (.codes[] | . as $c |
	   ("seen", "dropped", "marked", "first_final", "retransmitted") as $k |
	   select($c | has($k)) |
	   (if $k == "seen" then "sipcode_responses_total"
	    else "sipcode_responses_\($k)_total" end) +
	   "{code=\"\($c.code)\",class=\"\($c.class)xx\"} \($c[$k])"),
	  (.codes[] | select(has("in") and .seen > 0) | . as $c |
	   ("in", "out") as $d |
	   "sipcode_responses_by_direction_total" +
	   "{code=\"\($c.code)\",class=\"\($c.class)xx\",direction=\"\($d)\"} \($c[$d])"),
	  (to_entries[] |
	   select(.key | IN("codes", "classes", "total", "dry_run", "events",
			    "active") |
		  not) |
	   "sipcode_packets_uncounted_total{reason=\"\(.key)\"} \(.value)"),
	  (.events | to_entries[] |
	   "sipcode_events_total{result=\"\(.key)\"} \(.value)"),
	  "sipcode_dry_run \(if .dry_run then 1 else 0 end)"'
}
