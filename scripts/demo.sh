#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: build sipcodectl and the module for KVER (default 6.12),
# then run scripts/demo-guest.sh in a QEMU guest booted from that kernel.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
kver=${KVER:-6.12}
kdir=$(ls -d /usr/src/linux-headers-"$kver".*-amd64 | sort -V | tail -n 1)
make --no-print-directory user
make --no-print-directory module KDIR="$kdir"
scripts/vm.sh -k "$kver" -- scripts/demo-guest.sh
