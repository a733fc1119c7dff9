#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipcode hardening selftest: what may hurt a shared host. Meant for the
# debug kernel too (scripts/debug-kernel.sh), where KASAN, lockdep and
# kmemleak watch it; on the topology of tests/lib.sh (srv -> fw -> cli):
#
#   - a namespace nobody configured has no hook and says it is inactive;
#   - reason phrases need CAP_NET_ADMIN;
#   - a VRF's second pass is not counted; TCP with doff < 5 is not parsed;
#   - a namespace whose events nobody hears counts them unheard, while
#     another namespace listens; a UDP GSO packet's events report what
#     was done to the packet;
#   - dumps flag NLM_F_DUMP_INTR across a change; a dump of a table that
#     is off ends with ENODATA and a message, on every kernel;
#   - UDP GSO with MSG_ZEROCOPY while a thread rewrites the payload, from
#     an unprivileged user namespace: every datagram counted once;
#   - 50 unloads and loads under a flood on two CPUs with rules, both
#     insight tables, the transaction table and a monitor;
#   - an unprivileged user in a memory cgroup of 64 MiB creating
#     namespaces and switching everything on: stopped by the cgroup, the
#     memory back afterwards;
#   - the same user switching on transaction tables of transactions-max
#     1048576 (25.6 MiB each) in namespaces of its own: each charged to
#     the cgroup, the one that does not fit refused with ENOMEM and the
#     kernel's message, nothing killed, the memory back afterwards;
#   - HARDEN_CHURN_S seconds (default 60) of a flood, and of SIP requests
#     with their responses, with rules, ports, tables, the transaction
#     tables (on, off, resized, read), resets, dumps and a monitor
#     changing under it: srv inspected exactly what it sent;
#   - the generic netlink fuzzer (build/tests/nlfuzz), HARDEN_FUZZ_N
#     messages (default 200000) from root in fw while the churn above
#     runs (and traffic crosses fw after it), and a quarter as many from
#     an unprivileged user namespace, each sending SIP requests and
#     responses on its loopback as it goes.
#
# Needs root and the C tools of tests/Makefile. Exits 4 (skip) when a
# requirement is missing. TAP output.

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"
TOOLS=${SIPCODE_TOOLS:-$top/build/tests}
FLOOD=$TOOLS/flood
GSOZC=$TOOLS/gsozc
NLFUZZ=$TOOLS/nlfuzz
NLCHECK="python3 $top/tests/nlcheck.py"
CHURN_S=${HARDEN_CHURN_S:-60}
FUZZ_N=${HARDEN_FUZZ_N:-200000}
lazy=sipcode-lazy-$$
pin=sipcode-pin-$$
cleanup_extra() {
	ip netns del $lazy 2>/dev/null
	ip netns del $pin 2>/dev/null
	[ -n "${cg:-}" ] && rmdir "$cg/abuse" 2>/dev/null && umount "$cg"
}
test_init
require nft setpriv unshare
for t in "$FLOOD" "$GSOZC" "$NLFUZZ"; do
	[ -x "$t" ] || skip_all "no $t: build the C tools on the host first" \
		"(make -C tests tools)"
done
timing_start

nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
# As nobody, in a user and network namespace of its own.
userns() { nobody unshare -Urn "$@"; }
# hooked NS: "yes" when sipcode has hooks in NS ("init": the initial one).
hooked() {
	if [ "$1" = init ]; then nft list hooks; else ip netns exec "$1" nft list hooks; fi 2>/dev/null |
		grep -q sipcode && echo yes || echo no
}
percpu() { awk '$1 == "Percpu:" { print $2 }' /proc/meminfo; }
# Every datagram a namespace inspected: codes and buckets.
total() { ctl "$1" stats -j | jq .total; }

# --- a namespace nobody configured --------------------------------------------
if lsmod | grep -q '^sipcode '; then rmmod sipcode; fi
insmod "$KO"
check "insmod without all_netns" "$?" 0
ip netns add $lazy
# nft list hooks needs nfnetlink_hook, which Debian's 6.1 lacks: there
# the hooks are not looked at (Y and N read "unlisted"), the rest is.
Y=yes
N=no
if [ "$(hooked init)" = no ]; then
	echo "# nft list hooks lists nothing on this kernel: hooks not checked"
	hooked() { echo unlisted; }
	Y=unlisted
	N=unlisted
fi
check "an unconfigured namespace: no hook" "$(hooked $lazy)" $N
check "an unconfigured namespace: stats -j says inactive" \
	"$(ip netns exec $lazy "$CTL" stats -j | jq -c .)" '{"active":false}'
ip netns exec $lazy "$CTL" stats >"$tmp/out"
check "an unconfigured namespace: stats says so, exit 0" \
	"$? $(grep -c 'does not inspect this network namespace' "$tmp/out")" "0 1"
check "an unconfigured namespace: its settings are the defaults" \
	"$(ip netns exec $lazy "$CTL" ports -j | jq -c .ports) $(ip netns exec $lazy "$CTL" config -j | jq -c .dry_run)" \
	"[5060] false"
check "the initial namespace is inspected" \
	"$("$CTL" stats -j | jq .active) $(hooked init)" "true $Y"
ip netns exec $lazy "$CTL" ports set 5060 5080
check "configured by ports set: hooks, stats active" \
	"$(hooked $lazy) $(ip netns exec $lazy "$CTL" stats -j | jq -c '[.active, .total]')" \
	"$Y [true,0]"
ip netns del $lazy
rmmod sipcode
load_module
check "insmod all_netns=1" "$?" 0
ip netns add $lazy
check "all_netns=1: a new namespace has its hooks" "$(hooked $lazy)" $Y
ip netns del $lazy
topo_setup $$ || skip_all "cannot build the namespaces"
timing "inactive namespaces"

# --- reason phrases are for the admin -----------------------------------------
ctl $fw config reasons on
out=$(ip netns exec $fw setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$CTL" stats --reasons -j 2>"$tmp/err")
check "non-root cannot read reason phrases: exit 1, CAP_NET_ADMIN named" \
	"$? $(grep -c CAP_NET_ADMIN "$tmp/err") $out" "1 1 "
check "the admin of a user namespace reads its own" \
	"$(userns sh -c "'$CTL' config reasons on && '$CTL' stats --reasons -j" | jq -c .)" \
	'{"reasons":[]}'
ctl $fw config reasons off

# --- counted once -----------------------------------------------------------------
# srv's veth0 enslaved to a VRF: a received datagram goes through
# PRE_ROUTING twice, a sent one through LOCAL_OUT twice.
ip -n $srv link add sipvrf type vrf table 10 &&
	ip -n $srv link set sipvrf up &&
	ip -n $srv link set veth0 master sipvrf &&
	ip -n $srv route add default via 10.0.2.1 dev veth0 table 10
check "a VRF in srv" "$?" 0
reset_all
ip netns exec $cli $GEN send --sport 5060 10.0.2.2 5060 '486*5' >/dev/null
ip netns exec $srv python3 - <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"sipvrf")
for i in range(4):
    s.sendto(b"SIP/2.0 503 Service Unavailable\r\nCSeq: %d INVITE\r\n\r\n" % i,
             ("10.0.1.2", 5060))
PY
check "VRF: received and sent datagrams counted once in srv" \
	"$(codes $srv)" "486:5 503:4"
check "VRF: and once in fw" "$(codes $fw)" "486:5 503:4"
ip -n $srv link set veth0 nomaster
ip -n $srv link del sipvrf
ip -n $srv link set veth0 up
ip -n $srv addr add fd00:2::2/64 dev veth0 nodad 2>/dev/null
ip -n $srv route add default via 10.0.2.1 2>/dev/null
ip -n $srv -6 route add default via fd00:2::1 2>/dev/null

reset_all
ip netns exec $srv python3 - <<'PY'
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
# doff 4: a header shorter than a TCP header.
tcp = struct.pack("!HHIIBBHHH", 5060, 5060, 1, 0, 4 << 4, 0x18, 512, 0, 0)
s.sendto(tcp + b"SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
         ("10.0.1.2", 0))
PY
check "TCP with doff < 5: malformed, not parsed (srv, fw)" \
	"$(codes $srv)|$(ctl $srv stats -j | jq .malformed) $(codes $fw)|$(ctl $fw stats -j | jq .malformed)" \
	"|1 |1"
timing "privacy, VRF, TCP header"

# --- events -------------------------------------------------------------------------
# hears NS: a probe (a 181, which NS notifies) from srv to cli; succeeds
# once NS has sent an event: its monitor listens.
hears() {
	ip netns exec $srv $GEN send --sport 5060 10.0.1.2 5060 '181*1' >/dev/null
	[ "$(ctl "$1" stats -j | jq .events.sent)" -gt 0 ]
}
# A monitor in cli; fw notifies 486 at one event a second, unheard there.
ctl $cli rule add 181 notify
ip netns exec $cli "$CTL" monitor -j -t 300 >"$tmp/mon-cli" 2>/dev/null &
bg_add $!
check_wait "a monitor listens in cli" 60 hears $cli
ctl $fw rule add 486 notify
ctl $fw config event-rate 1
ctl $fw stats reset
ip netns exec $srv $GEN send --sport 5060 10.0.1.2 5060 '486*30' >/dev/null
check "fw, nobody listening there while cli listens: 30 unheard" \
	"$(ctl $fw stats -j | jq -c '[.events.sent, .events.ratelimited, .events.lost, .events.unheard]')" \
	"[0,0,0,30]"
ctl $fw rule flush
ctl $fw config event-rate 100

# srv drops 486 and notifies; GSO packets each hold a 486 and a 200:
# they are not dropped, and their events say so. A monitor of 486 in
# srv, which listens once a probe (181) is sent there.
ctl $srv rule add 486 drop notify
ctl $srv rule add 181 notify
ip netns exec $srv "$CTL" monitor -j -n 1 -t 60 486 >"$tmp/mon-srv" 2>/dev/null &
msrv=$!
bg_add $msrv
check_wait "a monitor listens in srv" 60 hears $srv
ctl $srv stats reset
ip netns exec $srv python3 - <<'PY'
import socket
UDP_SEGMENT = 103
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_UDP, UDP_SEGMENT, 200)
seg = lambda c: (b"SIP/2.0 %d X\r\n" % c).ljust(198, b"x") + b"\r\n"
for _ in range(50):
    s.sendto(seg(486) + seg(200), ("10.0.1.2", 5060))
PY
wait_pid() {
	for _ in $(seq $(($2 * 10))); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	kill "$1" 2>/dev/null
	wait "$1"
}
wait_pid $msrv 60
bg_del $msrv
check "GSO 486+200, rule 486 drop notify: the event says count, not drop" \
	"$(jq -r .action "$tmp/mon-srv" | head -n 1)" "count"
check "GSO 486+200: nothing dropped in srv" \
	"$(ctl $srv stats -j | jq -r '[.codes[] | select(.code != 181) |
		"\(.code):\(.seen)/\(.dropped)/\(.marked)"] | join(" ")')" \
	"200:50/0/0 486:50/0/0"
ctl $srv rule flush
timing "events"

# --- dumps ----------------------------------------------------------------------------
ctl $fw rule flush
check "600 rules in fw" "$(ip netns exec $fw $NLCHECK rules 600)" 600
flags=$(ip netns exec $fw $NLCHECK dumpintr -)
check "a dump of 600 rules: several messages, none interrupted" \
	"$(echo "$flags" | wc -w | awk '{ print ($1 > 2) }') $(echo "$flags" | tr -d ' 0')" "1 "
flags=$(ip netns exec $fw $NLCHECK dumpintr "'$CTL' rule del 699")
# The first message read after the change is flagged (the client then
# takes the whole dump as interrupted, as libnl does).
check "a rule deleted during the dump: a later message has NLM_F_DUMP_INTR" \
	"$(echo "$flags" | awk '{ s = 0; for (i = 3; i <= NF; i++) s += $i; print $1, $2, s }')" "0 0 1"
check "rule list after the change: 599 rules" \
	"$(ctl $fw rule list -j | jq '.rules | length')" 599
ctl $fw rule flush
ctl $fw config by-method off reasons off
check "METHOD_GET with the table off: ENODATA and its message" \
	"$(ip netns exec $fw $NLCHECK dumperr METHOD_GET)" \
	"errno=ENODATA msg=per-method counting is off"
check "REASON_GET with the table off: ENODATA and its message" \
	"$(ip netns exec $fw $NLCHECK dumperr REASON_GET)" \
	"errno=ENODATA msg=reason phrases are off"
timing "dumps"

# --- GSO, zerocopy, a payload that changes -------------------------------------------
out=$(userns sh -c "ip link set lo up && '$CTL' rule add 486 mark 0x1 notify &&
	'$CTL' config by-method on reasons on &&
	'$GSOZC' -d 15 127.0.0.1 5060 && '$CTL' stats -j" 2>"$tmp/gsozc.err")
sent=$(echo "$out" | head -n 1)
st=$(echo "$out" | tail -n +2)
check "GSO zerocopy with flipping bytes, unprivileged: sent something" \
	"$([ "${sent:-0}" -gt 1000 ] && echo yes)" "yes"
check "GSO zerocopy: every datagram counted once, as 486 or malformed" \
	"$(echo "$st" | jq -c '[.total, ([.codes[].seen] | add) + .malformed]')" \
	"[$sent,$sent]"
check "GSO zerocopy: marked only what was counted as 486" \
	"$(echo "$st" | jq '[.codes[] | select(.code == 486) | .marked <= .seen] | all')" true
timing "GSO zerocopy"

# --- unload and load under a flood ------------------------------------------------------
pin_hook_keys $pin
check "nftables holds the hook keys on" "$?" 0
# The configuration of fw after each load.
cat >"$tmp/fw.conf" <<'EOF2'
config by-method on reasons on event-rate 1000 transactions on transactions-max 4096
rule add 486 mark 0x10 notify
rule add 5xx drop
EOF2
# A flood on each CPU, 2,000 datagrams a second each: datagrams in the
# hooks at every unload and load, and CPU time left to the loads (at
# full speed the floods took the guest's CPUs, and the 50 loads took 525 s
# of the debug kernel's guest in make check).
ip netns exec $srv "$FLOOD" -c 0 -d 900 -r 2000 -b 16 -s 5062 10.0.1.2 5060 180,486,503 \
	>/dev/null 2>&1 &
bg_add $!
ip netns exec $srv "$FLOOD" -c 1 -d 900 -r 2000 -b 16 -s 5064 10.0.1.2 5060 200,404 \
	>/dev/null 2>&1 &
bg_add $!
(while :; do ip netns exec $fw "$CTL" monitor -j -t 5 >/dev/null 2>&1; done) &
bg_add $!
(while :; do ctl $fw stats --reasons -j >/dev/null 2>&1; sleep 0.5; done) &
bg_add $!
# One process unloads (again while a dump holds the module) and loads;
# fw is configured after each load.
out=$(python3 - "$KO" 50 "$fw" "$CTL" "$tmp/fw.conf" <<'PY'
import ctypes, errno, os, subprocess, sys, time

SYS_DELETE_MODULE, SYS_FINIT_MODULE = 176, 313	# x86_64
libc = ctypes.CDLL(None, use_errno=True)
ko, n, fw, ctl, conf = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
done = bad = autoloaded = 0
while done < n and not bad:
    for _ in range(2000):
        if libc.syscall(SYS_DELETE_MODULE, b"sipcode", os.O_NONBLOCK) == 0:
            break
        if ctypes.get_errno() not in (errno.EAGAIN, errno.EBUSY):
            bad = "delete_module: " + os.strerror(ctypes.get_errno())
            break
        time.sleep(0.005)
    else:
        bad = "still busy"
    fd = os.open(ko, os.O_RDONLY)
    if libc.syscall(SYS_FINIT_MODULE, fd, b"all_netns=1", 0):
        if ctypes.get_errno() == errno.EEXIST:
            # A client's family lookup loaded it first (the alias).
            autoloaded += 1
        else:
            bad = "finit_module: " + os.strerror(ctypes.get_errno())
    os.close(fd)
    r = subprocess.run(["ip", "netns", "exec", fw, ctl, "restore", conf])
    if r.returncode:
        bad = "restore: exit %d" % r.returncode
    done += 1
print("# unload: %d of %d loads were the family's autoload" % (autoloaded, done),
      file=sys.stderr)
print(done, bad or 0)
PY
)
check "50 unloads and loads under a flood with rules, tables, transactions and a monitor" \
	"$out" "50 0"
for p in $bg; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
bg=
lsmod | grep -q '^sipcode ' || insmod "$KO" all_netns=1
timing "unload under traffic"

# --- an unprivileged user and a memory cgroup ----------------------------------------------
cg=$(mktemp -d)
mount -t cgroup2 none "$cg" && echo +memory >"$cg"/cgroup.subtree_control &&
	mkdir "$cg"/abuse && echo 64M >"$cg"/abuse/memory.max &&
	{ echo 0 >"$cg"/abuse/memory.swap.max; } 2>/dev/null
check "a cgroup with memory.max 64M" "$(cat "$cg"/abuse/memory.max)" 67108864
pcpu0=$(percpu)
cgpcpu() { awk '$1 == "percpu" { print $2 }' "$cg"/abuse/memory.stat; }
cgpcpu0=$(cgpcpu)
# New namespaces, each switched full on and kept open, until it fails;
# the script where nobody can read it.
abuse=$(mktemp)
chmod 644 "$abuse"
cat >"$abuse" <<'PY'
import ctypes, os, subprocess, sys
CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000
libc = ctypes.CDLL(None, use_errno=True)
def unshare(flags):
    if libc.unshare(flags):
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
ctl, n, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
uid, gid = os.getuid(), os.getgid()
unshare(CLONE_NEWUSER | CLONE_NEWNET)
open("/proc/self/setgroups", "w").write("deny")
open("/proc/self/uid_map", "w").write("0 %d 1" % uid)
open("/proc/self/gid_map", "w").write("0 %d 1" % gid)
keep, made, why = [], 0, "none"
for i in range(n):
    try:
        unshare(CLONE_NEWNET)
    except OSError as e:
        why = "unshare: " + e.strerror
        break
    keep.append(os.open("/proc/self/ns/net", os.O_RDONLY))
    r = subprocess.run([ctl] + args, capture_output=True, text=True)
    if r.returncode:
        why = "sipcodectl: " + r.stderr.strip()
        break
    made += 1
    print("# namespace", made, "switched on", file=sys.stderr, flush=True)
print(made, why, flush=True)
sys.stdin.read()
PY
# abuse_run N [ARGS...]: the script in the cgroup, as nobody, for N
# namespaces, each switched on by sipcodectl ARGS (default: config
# by-method on reasons on); its output in $tmp/abuse.
abuse_run() {
	local n=$1

	shift
	[ $# -gt 0 ] || set -- config by-method on reasons on
	sh -c "echo \$\$ >'$cg'/abuse/cgroup.procs &&
		exec setpriv --reuid=65534 --regid=65534 --clear-groups \
		python3 '$abuse' '$CTL' $n $*" >"$tmp/abuse" 2>"$tmp/abuse.err"
}
# One namespace, held until its stdin (a FIFO) ends: the cgroup's
# per-CPU charge read then is that namespace's tables (the counters, the
# per-method and reason tables: about 1.3 MB on 2 CPUs).
mkfifo "$tmp/abuse.go"
abuse_run 1 <"$tmp/abuse.go" &
apid=$!
exec {go}>"$tmp/abuse.go"
slowwait 120 test -s "$tmp/abuse"
one=$(($(cgpcpu) - cgpcpu0))
exec {go}>&-
wait $apid
check "one namespace switched on: its per-CPU tables charged to the cgroup (> 1 MiB: $one bytes)" \
	"$(head -n 1 "$tmp/abuse" | cut -d' ' -f1) $([ "$one" -gt $((1 << 20)) ] && echo yes)" "1 yes"
# Then as many as the cgroup lets it.
abuse_run 400 </dev/null &
apid=$!
peak=0
while kill -0 $apid 2>/dev/null; do
	p=$(cgpcpu)
	[ "${p:-0}" -gt "$peak" ] && peak=$p
	sleep 0.5
done
wait $apid
sed 's/^/# abuse: /' "$tmp/abuse.err" | tail -n 3
read -r made why <<<"$(head -n 1 "$tmp/abuse")"
ooms=$(awk '$1 == "oom_kill" { print $2 }' "$cg"/abuse/memory.events)
maxed=$(awk '$1 == "max" { print $2 }' "$cg"/abuse/memory.events)
echo "# abuse: $made namespaces switched on, then: ${why:-killed} (oom_kill $ooms, max $maxed, percpu peak $peak)"
check "abuse: stopped by the cgroup's limit, not by the 400 asked" \
	"$([ "${made:-0}" -lt 400 ] && [ "${maxed:-0}" -gt 0 ] && echo yes)" "yes"
check "abuse: refused with ENOMEM, or the cgroup's own OOM kill" \
	"$(case "$why" in *"out of memory"*|*"Cannot allocate memory"*) echo yes ;; *) [ "${ooms:-0}" -gt 0 ] && echo yes ;; esac)" "yes"
check "the host is healthy: the initial namespace answers" \
	"$("$CTL" stats -j | jq .active)" true
# The namespaces go in the background (cleanup_net): what they held is
# uncharged from the cgroup as it is freed. Then the allocator may keep
# an empty chunk or two populated: within 2 MiB of Percpu.
cg_back() { [ "$(cgpcpu)" -le "$cgpcpu0" ]; }
check_wait "abuse: the cgroup's per-CPU memory back to ${cgpcpu0} bytes" 300 cg_back
percpu_back() { [ "$(percpu)" -le "$((pcpu0 + 2048))" ]; }
check_wait "abuse: Percpu back to what it was (${pcpu0} kB, within 2 MiB)" 60 percpu_back
echo "# Percpu: before $pcpu0 kB, after $(percpu) kB; the cgroup's: $cgpcpu0 bytes, then $(cgpcpu)"
timing "memory cgroup"

# --- transaction tables in the memory cgroup ---------------------------------------------
# transactions-max 1048576: a table of 25.6 MiB (128 bytes a bucket of
# 5), allocated when it is switched on, charged to the memory cgroup of
# who switched it on. The same user in the same 64 MiB cgroup: one
# namespace of such a table held, against one of a table of 64; then
# three namespaces, one after the other, each switching one on: one
# does not fit (the second or the third: the process and its
# namespaces hold some 15 MiB besides), and is refused with ENOMEM and
# the kernel's message, nothing killed; what they held comes back when
# they go.
TXN_BIG=1048576
TXN_MSG="no memory for the transaction table: nothing was changed"
cgmem() { cat "$cg"/abuse/memory.current; }
cgevent() { awk -v k="$1" '$1 == k { print $2 }' "$cg"/abuse/memory.events; }
# abuse_held N ARGS...: abuse_run N ARGS held open while the cgroup's
# memory.current is read (unless it was killed); prints it.
said_or_gone() { [ -s "$tmp/abuse" ] || ! kill -0 "$1" 2>/dev/null; }
abuse_held() {
	local pid mem

	: >"$tmp/abuse"
	abuse_run "$@" <"$tmp/abuse.go" &
	pid=$!
	exec {go}>"$tmp/abuse.go"
	slowwait 300 said_or_gone $pid
	mem=$(cgmem)
	exec {go}>&-
	wait $pid
	echo "$mem"
}
mem0=$(cgmem)
memsmall=$(abuse_held 1 config transactions-max 64 transactions on)
small=$(head -n 1 "$tmp/abuse")
membig=$(abuse_held 1 config transactions-max $TXN_BIG transactions on)
big=$(head -n 1 "$tmp/abuse")
echo "# transactions: memory.current $mem0 bytes empty, $memsmall with a namespace of" \
	"transactions-max 64, $membig of $TXN_BIG (its table: $((TXN_BIG / 5 * 128)) bytes)"
check "transactions-max 64 and $TXN_BIG switched on, unprivileged" \
	"${small%% *} ${big%% *}" "1 1"
check "the table of $TXN_BIG charged to the cgroup: >= 25 MiB more than one of 64" \
	"$([ $((membig - memsmall)) -ge $((25 << 20)) ] && echo yes)" yes
back() { [ "$(cgmem)" -le $((mem0 + (1 << 20))) ]; }
check_wait "transactions: the cgroup's memory back (within 1 MiB of $mem0 bytes)" 120 back
oom0=$(cgevent oom_kill)
mem3=$(abuse_held 3 config transactions-max $TXN_BIG transactions on)
oom1=$(cgevent oom_kill)
read -r made why <<<"$(head -n 1 "$tmp/abuse")"
sed 's/^/# transactions: /' "$tmp/abuse.err" | tail -n 3
echo "# transactions: ${made:-killed: some} of 3 namespaces of transactions-max $TXN_BIG, then:" \
	"${why:-killed}; memory.current $mem3 bytes, oom_kill $oom0 -> $oom1"
check "3 tables of $TXN_BIG in 64 MiB: 1 or 2 switched on, then one refused" \
	"$(case "${made:-}" in 1|2) echo yes ;; *) echo "${made:-killed}" ;; esac)" yes
check "the one refused: ENOMEM and the kernel's message, as sipcodectl prints them" \
	"$(case "$why" in *"$TXN_MSG (Cannot allocate memory)"*) echo yes ;; *) echo "$why" ;; esac)" yes
check "nothing killed in the cgroup for it (oom_kill $oom0 -> $oom1)" "$oom1" "$oom0"
check "the host is healthy: the initial namespace answers" \
	"$("$CTL" stats -j | jq .active)" true
check_wait "transactions: the cgroup's memory back (within 1 MiB of $mem0 bytes)" 300 back
echo "# transactions: memory.current $(cgmem) bytes after"
rm -f "$abuse"
rmdir "$cg"/abuse 2>/dev/null
timing "transactions in a memory cgroup"

# --- churn under a flood, and the netlink fuzzer -----------------------------------------------
# The fuzzer's root run, in fw, from the churn's start: the churn's flood
# and transactions cross fw while it runs, and the churn changes srv and
# cli beside it (the fuzzer's model is fw's configuration: nothing else
# changes fw's). When the churn ends, traffic goes on crossing fw until
# the fuzzer is done.
reset_all
ip netns exec $fw $NLFUZZ -n "$FUZZ_N" -s 1 -c -m -u 50 >"$tmp/fuzz" 2>&1 &
zpid=$!
# srv sends; what changes is srv's: rules that mark (a drop at LOCAL_OUT
# would fail the send, uncounted by the flood), ports that always hold
# 5060, tables, dry-run, dumps and a monitor; cli's transaction table
# too, and its counters are reset. At
# LOCAL_OUT srv inspects every datagram the flood got sent, and every
# one of the transactions sent beside it: INVITEs, then their 180s, 200s
# and 200s again, while the transaction tables of srv and cli are switched on and off,
# resized (64 to 1048576, by config and by restore) and read.
ip netns exec $srv "$FLOOD" -c 0 -d "$CHURN_S" -s 5062 10.0.1.2 5060 \
	180,200,404,486,503 >"$tmp/churn-sent" 2>/dev/null &
fpid=$!
# Rounds of 40 transactions, each new (tests/sipgen.py's request and
# response of a sequence number), for CHURN_S seconds; prints the
# datagrams sent.
ip netns exec $srv python3 - "$top/tests" "$CHURN_S" >"$tmp/churn-txn" \
	2>"$tmp/churn-txn.err" <<'PY' &
import socket, sys, time
sys.path.insert(0, sys.argv[1])
from sipgen import request, response
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 5066))
end = time.monotonic() + int(sys.argv[2])
n = base = 0
while time.monotonic() < end:
    for what in ("req", 180, 200, 200):
        for seq in range(base + 1, base + 41):
            try:
                s.sendto(request(seq) if what == "req" else
                         response(what, seq), ("10.0.1.2", 5060))
                n += 1
            except OSError:
                pass
    base += 40
    time.sleep(0.01)
print(n)
PY
tpid=$!
(while :; do
	ctl $srv config transactions on transactions-max 256
	ctl $cli config transactions-max $((64 + RANDOM % 4033)) transactions on
	ctl $srv stats --delays -j; ctl $srv config transactions-max 4096
	ctl $srv stats -j; ctl $cli stats reset
	ctl $srv config transactions-max $TXN_BIG; ctl $srv config transactions-max 64
	printf 'ports set 5060 5090\nconfig transactions on transactions-max 1024\n' |
		ctl $srv restore -
	ctl $srv stats --delays -j; ctl $cli config transactions off
	ctl $srv config transactions off
done >/dev/null 2>&1) &
bg_add $!
(while :; do
	ctl $srv stats --delays -j; ctl $cli stats --delays -j
done >/dev/null 2>&1) &
bg_add $!
(while :; do ip netns exec $srv "$CTL" monitor -j -t 3 >/dev/null 2>&1; done) &
bg_add $!
(while :; do
	ctl $srv rule add 486 mark 0x1 notify; ctl $srv rule add 4 mark 0x4
	ctl $srv rule add 500-599 mark 0x2/0x2
	ctl $srv stats -j; ctl $srv rule list -j; ctl $srv stats --by-method -j
	ctl $srv ports set 5060 5070; ctl $srv config by-method on reasons on
	ctl $srv stats --reasons -j; ctl $srv ports set 5060 5080
	ctl $srv rule del 486; ctl $srv rule flush
	ctl $srv config by-method off dry-run on; ctl $srv config reasons off dry-run off
	ctl $cli stats reset
done >/dev/null 2>&1) &
bg_add $!
wait $fpid
wait $tpid
txnsent=$(cat "$tmp/churn-txn")
sed 's/^/# churn: /' "$tmp/churn-txn.err" | tail -n 3
sent=$(($(cat "$tmp/churn-sent") + txnsent))
check "churn for ${CHURN_S}s: transactions sent beside the flood ($txnsent datagrams)" \
	"$([ "${txnsent:-0}" -gt 0 ] && echo yes)" yes
check "churn for ${CHURN_S}s: srv inspected exactly what it sent ($sent)" \
	"$(total $srv)" "$sent"
for p in $bg; do kill "$p" 2>/dev/null; done
wait $bg 2>/dev/null
bg=
ctl $srv rule flush
ctl $srv ports set 5060
ctl $srv config transactions off
ctl $cli config transactions off
timing "churn"

# The traffic across fw for the rest of the fuzzer's run: 2,000
# datagrams a second, not a flood, which took a host CPU for the
# fuzzer's whole run (a thousand seconds in the debug kernel) from the
# other guests of make check.
ip netns exec $srv "$FLOOD" -c 1 -d 3600 -r 2000 -b 16 -s 5062 10.0.1.2 5060 180,486 \
	>/dev/null 2>&1 &
bg_add $!
wait $zpid
check "nlfuzz: $FUZZ_N messages as root beside the churn, then traffic; the model matches" "$?" 0
sed 's/^/# /' "$tmp/fuzz" | tail -n 3
userns $NLFUZZ -n $((FUZZ_N / 4)) -s 2 -c -u 50 >"$tmp/fuzz" 2>&1
check "nlfuzz: $((FUZZ_N / 4)) messages unprivileged, the model matches" "$?" 0
sed 's/^/# /' "$tmp/fuzz" | tail -n 3
timing "fuzzer"

test_unload
finish
