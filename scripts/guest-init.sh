#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the scripts/vm.sh guest, on the host's / (read-only 9p under a
# tmpfs overlay). Runs the script named by sipcodevm.run= on the kernel
# command line from the repo root, with its output on ttyS1, then prints
# SIPCODE-VM-EXIT=<status> there and powers off.
set -u

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8

power_off() {
	sync
	echo o >/proc/sysrq-trigger
	while :; do sleep 60; done
}

mount -a -T "${BASH_SOURCE[0]%/*}"/vm/fstab
ln -s /proc/self/fd /dev/fd
echo sipcode-vm >/proc/sys/kernel/hostname
ip link set lo up

run=
repo=
modules=
for arg in $(</proc/cmdline); do
	case $arg in
	sipcodevm.run=*) run=${arg#sipcodevm.run=} ;;
	sipcodevm.repo=*) repo=${arg#sipcodevm.repo=} ;;
	sipcodevm.modules=*) modules=${arg#sipcodevm.modules=} ;;
	esac
done
# A kernel not installed on the host (the debug kernel): its
# modules_install, copied to the overlay, so that depmod and modprobe work.
if [ -n "$modules" ]; then
	mkdir -p /lib/modules
	cp -a "$modules" /lib/modules/"$(uname -r)"
fi
# The repo has a share of its own: it may live where the guest mounts a
# tmpfs of its own, under /tmp for one.
mkdir -p "$repo"
mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=512000,cache=loose \
	repo "$repo"

exec </dev/null
stty -F /dev/ttyS1 raw -echo
{
	echo "SIPCODE-VM-START"
	echo "sipcode-vm: running $run" >/dev/kmsg
	if [ -z "$run" ]; then
		echo "sipcode-vm: no sipcodevm.run= on the command line"
		status=1
	else
		cd "$repo" && bash "$run"
		status=$?
	fi
	echo "sipcode-vm: exit status $status" >/dev/kmsg
	kill -KILL -1 2>/dev/null
	echo "SIPCODE-VM-EXIT=$status"
	stty -F /dev/ttyS1 raw -echo	# drains ttyS1
} >/dev/ttyS1 2>&1
power_off
