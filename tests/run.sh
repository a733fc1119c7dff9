#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the in-guest selftests (default: all of them) one after another.
# Exits 1 if any failed, else 4 if any skipped, else 0.
#
# usage: tests/run.sh [TEST.sh...]
set -u

dir=$(cd "$(dirname "$0")" && pwd)
[ $# -gt 0 ] || set -- "$dir"/sipcode.sh "$dir"/rules.sh "$dir"/ops.sh \
	"$dir"/robust.sh "$dir"/insight.sh
nfail=0
nskip=0
for t in "$@"; do
	echo "# selftest: ${t##*/}"
	"$t"
	case $? in
	0) ;;
	4) nskip=$((nskip + 1)) ;;
	*) nfail=$((nfail + 1)); echo "# selftest: ${t##*/} FAILED" ;;
	esac
done
[ $nfail = 0 ] || exit 1
[ $nskip = 0 ] || exit 4
