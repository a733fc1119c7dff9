#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: instructions per packet of sipcode's hook, of the same
# count in nftables and in tc eBPF, measured in a QEMU guest on one vCPU
# with -icount shift=0,sleep=off (one guest instruction is one virtual
# nanosecond), and of the parser under callgrind. See BENCHMARKS.md.
#
# Builds sipcodectl, the module for the 6.12 kernel and the programs of
# bench/, runs tests/bench (callgrind), boots the guest, which runs
# bench/guest.sh, and prints the table, also written with the raw lines
# to build/bench/results.txt. Exits 1 if anything failed to build or run,
# or if a counter did not count the packets sent; never for a speed.
#
# Environment: BENCH_SMOKE=1 (a few packets and scenarios, to check that
# it works: CI), BENCH_PKTS, BENCH_REPS, BENCH_WARMUP (see guest.sh),
# BENCH_SCENARIOS (names, see guest.sh), BENCH_KDIR (the 6.12 headers),
# BENCH_BEFORE (the revision whose module txn-before loads: by default
# the parent of the commit that brought txn-get into the spec, the
# module before the transaction table; built from git when txn-before
# runs).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
out=build/bench
res=$out/results.txt
mkdir -p $out

smoke=${BENCH_SMOKE:-}
[ "$smoke" = 0 ] && smoke=
if [ -n "$smoke" ]; then
	pkts=${BENCH_PKTS:-2000}
	reps=${BENCH_REPS:-1}
	warmup=${BENCH_WARMUP:-200}
	scenarios=${BENCH_SCENARIOS:-"base count rule600 method reasons notify peer-rule relayed nft tc-bpf txn-on"}
	tmo=600
else
	pkts=${BENCH_PKTS:-200000}
	reps=${BENCH_REPS:-3}
	warmup=${BENCH_WARMUP:-10000}
	scenarios=${BENCH_SCENARIOS:-}
	tmo=5400
fi
kdir=${BENCH_KDIR:-$(ls -d /usr/src/linux-headers-6.12.*-amd64 2>/dev/null |
	sort -V | tail -n 1)}
[ -n "$kdir" ] || { echo "bench: no 6.12 kernel headers (make deps)" >&2; exit 1; }
krel=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' \
	"$kdir"/include/generated/utsrelease.h)

say() { echo "bench: $*" >&2; }
die() { say "$*"; exit 1; }

say "building sipcodectl, the module for $krel and the programs of bench/"
make --no-print-directory user >$out/build.log 2>&1 &&
make --no-print-directory module KDIR="$kdir" >>$out/build.log 2>&1 &&
make --no-print-directory -C bench sender nfnull KDIR="$kdir" \
	>>$out/build.log 2>&1 || { tail -n 30 $out/build.log >&2; die "build failed"; }
# The guest runs copies: other builds in the tree may replace the originals.
cp build/"$krel"/kmod/sipcode.ko user/sipcodectl $out/ || die "no module or sipcodectl"
# The tc scenario needs clang's BPF target and libbpf's headers.
skip=
if ! make --no-print-directory -C bench bpf >>$out/build.log 2>&1; then
	say "no BPF program (clang -target bpf, libbpf-dev): no tc-bpf scenario"
	rm -f $out/sipcount.bpf.o
	skip=tc-bpf
fi
# txn-before's module: the tree of BENCH_BEFORE from git, built as the
# module is.
before=
case " ${scenarios:-txn-before} " in
*" txn-before "*)
	rev=${BENCH_BEFORE:-$(git log --format=%H -S'name: txn-get' --reverse \
		-- Documentation/netlink/specs/sipcode.yaml 2>/dev/null | head -n 1)^}
	bdir=$out/before
	rm -rf $bdir
	mkdir -p $bdir
	if before=$(git rev-parse --short --verify -q "$rev^{commit}") &&
	   git archive "$before" Makefile Kbuild VERSION kmod include |
	   tar -x -C $bdir &&
	   make --no-print-directory -C $bdir module KDIR="$kdir" \
		>>$out/build.log 2>&1 &&
	   cp $bdir/build/"$krel"/kmod/sipcode.ko $out/sipcode-before.ko; then
		say "txn-before: the module at $before"
	else
		say "no module at ${rev:-?} (git, BENCH_BEFORE): no txn-before scenario"
		before=
		rm -f $out/sipcode-before.ko
		skip="$skip txn-before"
	fi ;;
esac

say "parser under callgrind (make -C tests/bench run, make -C bench txnid)"
make --no-print-directory -C tests/bench run >$out/parser.txt 2>&1 ||
	{ cat $out/parser.txt >&2; die "tests/bench failed"; }
make --no-print-directory -C bench txnid >>$out/parser.txt 2>&1 ||
	{ cat $out/parser.txt >&2; die "make -C bench txnid failed"; }

say "guest: $pkts frames per batch, $reps batches, ${scenarios:-all scenarios}"
start=$SECONDS
# shellcheck disable=SC2086 # the scenarios are words
scripts/vm.sh -k "$krel" -c 1 -m 1024 -t $tmo -q "-icount shift=0,sleep=off" -- \
	env BENCH_PKTS="$pkts" BENCH_REPS="$reps" BENCH_WARMUP="$warmup" \
	BENCH_SKIP="$skip" KO=$out/sipcode.ko SIPCODECTL=$out/sipcodectl \
	KO_BEFORE=$out/sipcode-before.ko \
	bench/guest.sh $scenarios >$out/guest.txt
rc=$?
say "guest done in $((SECONDS - start))s (exit $rc)"

# The table, the targets, then the raw lines.
{
	echo "# sipcode benchmark, $(date -u +%Y-%m-%dT%H:%MZ)," \
		"commit $(git rev-parse --short HEAD 2>/dev/null || echo none)" \
		"$(git diff --quiet HEAD -- kmod 2>/dev/null || echo '(kmod/ modified)')"
	echo "# host: $(uname -m), $(qemu-system-x86_64 --version | head -n 1)"
	[ -n "$before" ] &&
		echo "# txn-before: the module at $before (before the transaction table)"
	awk -v smoke="$smoke" -f bench/report.awk $out/guest.txt $out/parser.txt
	echo
	echo "# raw: guest (bench/guest.sh)"
	cat $out/guest.txt
	echo "# raw: parser (make -C tests/bench run, make -C bench txnid)"
	grep -v '^make' $out/parser.txt
} >$res
sed '/^# raw: guest/,$d' $res
say "results in $res"

grep -q '^check .* FAIL' $out/guest.txt && die "a counter did not count what was sent"
grep -q '^skip ' $out/guest.txt && die "a scenario could not run"
[ $rc = 0 ] || die "the guest failed (exit $rc)"
grep -q '^result ' $out/guest.txt || die "no result"
exit 0
