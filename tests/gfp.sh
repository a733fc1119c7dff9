#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every allocation of the module is charged to the memory cgroup of who
# asked for it (anything a user namespace can trigger must be): a GFP
# argument in kmod/ is GFP_KERNEL_ACCOUNT (or a macro of the file built
# on it), or GFP_ATOMIC on the packet path, where nothing is charged to
# a task. Generated files aside. TAP output.
top=$(cd "$(dirname "$0")/.." && pwd)
echo "TAP version 13"
echo "1..1"
bad=$(grep -n -E '\bGFP_(KERNEL|NOWAIT|NOIO|NOFS)\b' "$top"/kmod/*.[ch] |
	grep -v -E 'GFP_KERNEL_ACCOUNT|netlink-gen\.')
if [ -z "$bad" ]; then
	echo "ok 1 - every allocation in kmod/ is charged (GFP_KERNEL_ACCOUNT)"
else
	echo "not ok 1 - allocations in kmod/ not charged to the memory cgroup"
	echo "$bad" | sed 's/^/# /'
	exit 1
fi
