#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract the few files sipcode takes from Debian's linux-source-6.1
# tarball (checkpatch.pl and its data, kernel-doc, the kselftest harness)
# into DIR, once: xz makes a full read of the tarball take a while.
#
# usage: scripts/ksrc.sh DIR
set -eu

dir=$1
tarball=$(ls /usr/src/linux-source-6.1.tar.xz)
files="scripts/checkpatch.pl scripts/spelling.txt
scripts/const_structs.checkpatch scripts/kernel-doc
tools/testing/selftests/kselftest_harness.h
tools/testing/selftests/kselftest.h"

stamp=$dir/.stamp
[ -f "$stamp" ] && [ "$stamp" -nt "$tarball" ] && exit 0
rm -rf "$dir.tmp"
mkdir -p "$dir.tmp"
tar -xJf "$tarball" -C "$dir.tmp" --strip-components=1 \
	$(for f in $files; do echo "linux-source-6.1/$f"; done)
rm -rf "$dir"
mv "$dir.tmp" "$dir"
touch "$stamp"
