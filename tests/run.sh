#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the in-guest selftests (default: all of them) one after another.
# Exits 1 if any failed, else 4 if any skipped, else 0.
#
# In a kernel with kmemleak (the debug kernel of scripts/debug-kernel.sh),
# what the boot leaked is set aside first, and after the tests any new
# suspected leak is printed and fails the run.
#
# usage: tests/run.sh [TEST.sh...]
set -u

dir=$(cd "$(dirname "$0")" && pwd)
[ $# -gt 0 ] || set -- "$dir"/sipcode.sh "$dir"/rules.sh "$dir"/ops.sh \
	"$dir"/txn.sh "$dir"/exporter.sh "$dir"/robust.sh "$dir"/insight.sh \
	"$dir"/harden.sh "$dir"/ynl.sh "$dir"/recipes.sh "$dir"/top.sh \
	"$dir"/tcpstream.sh "$dir"/transactions.sh "$dir"/peers.sh \
	"$dir"/carriers.sh
nfail=0
nskip=0
kmemleak=/sys/kernel/debug/kmemleak

# kmemleak reports an object once it has been unreferenced through a scan
# and is older than 5 s: wait, scan twice.
kmemleak_scan() {
	sleep 6
	echo scan >"$kmemleak" && echo scan >"$kmemleak"
}

if [ -e "$kmemleak" ]; then
	echo "# kmemleak: setting aside what the boot leaked"
	if kmemleak_scan && echo clear >"$kmemleak"; then
		kmemleak_on=1
	else
		echo "# kmemleak: cannot scan (disabled?)"
		nfail=$((nfail + 1))
		kmemleak_on=0
	fi
fi

for t in "$@"; do
	echo "# selftest: ${t##*/}"
	start=$SECONDS
	"$t"
	rc=$?
	echo "# selftest: ${t##*/} took $((SECONDS - start)) s"
	case $rc in
	0) ;;
	4) nskip=$((nskip + 1)) ;;
	*) nfail=$((nfail + 1)); echo "# selftest: ${t##*/} FAILED" ;;
	esac
done

if [ "${kmemleak_on:-0}" = 1 ]; then
	echo "# selftest: kmemleak"
	if ! kmemleak_scan; then
		echo "not ok 1 - kmemleak: the scan failed"
		nfail=$((nfail + 1))
	elif ! leaks=$(cat "$kmemleak"); then
		echo "not ok 1 - kmemleak: cannot read $kmemleak"
		nfail=$((nfail + 1))
	elif [ -n "$leaks" ]; then
		echo "not ok 1 - kmemleak: new suspected memory leaks"
		echo "$leaks" | sed 's/^/# /'
		nfail=$((nfail + 1))
	else
		echo "ok 1 - kmemleak: no new suspected memory leak"
	fi
	echo "1..1"
fi

[ $nfail = 0 ] || exit 1
[ $nskip = 0 ] || exit 4
