#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run a command in a QEMU (TCG) guest booted from an installed Debian
# kernel or the debug kernel, on the host's / shared read-only over 9p
# with a tmpfs overlay, from the repo root. Exits with the command's
# status, or 1 if the guest did not finish or its kernel logged a
# warning, bug, oops, panic or a sanitizer's report (KASAN, UBSAN,
# lockdep, RCU, kmemleak).
#
# Usage: vm.sh [-k KVER] [-m MEM_MB] [-c CPUS] [-t TIMEOUT_S] [-q QEMU_ARGS] -- COMMAND [ARGS...]
#   KVER: 6.1, 6.12 or a full version from /boot (default 6.12); "debug"
#   for the debug kernel of scripts/debug-kernel.sh (built if it is not
#   cached yet), or the path of a kernel tree it built
#   QEMU_ARGS: more arguments for QEMU, split at blanks, e.g.
#   "-icount shift=0,sleep=off" (bench/run.sh); -q may be repeated
#   COMMAND runs as root from the repo root, in the guest's files:
#   - the host's / read-only over 9p, under a tmpfs overlay: the guest
#     may write anywhere, its changes are lost at power-off and never
#     reach the host;
#   - the repo, read-only, at its host path;
#   - its own fresh, empty /tmp, /run and /dev/shm (tmpfs), /dev, /proc
#     and /sys: the host's files there are not seen.
#   So a script for the guest goes under the repo (build/ is ignored by
#   git), not under /tmp: `vm.sh -- bash /tmp/x.sh` finds no /tmp/x.sh.
#
# Output: the command's on stdout; the guest console in
# build/vm/<KVER>/console.log. The initramfs and the uncompressed kernel
# are cached there.
#
# A boot that hangs (TCG now and then loses a halted vCPU's timer before
# the guest's init runs: RCU stalls, nothing more) is booted again, at
# most twice, when the guest has not started the command within
# SIPCODE_VM_BOOT_S seconds (default 300); its console is kept as
# console-hung.log, and the hang said on stderr. The command's own time
# is TIMEOUT_S from the boot that started it.
set -eu

usage() {
	sed -n '/^# Usage: /,/^#$/{/^#$/d; s/^# Usage: /usage: /; s/^#//; p}' "$0" >&2
	exit 2
}

kver=6.12
mem=1024
cpus=2
tmo=600
qemu_args=()
while getopts k:m:c:t:q:h opt; do
	case $opt in
	k) kver=$OPTARG ;;
	m) mem=$OPTARG ;;
	c) cpus=$OPTARG ;;
	t) tmo=$OPTARG ;;
	q) read -r -a more <<<"$OPTARG"; qemu_args+=(${more[@]+"${more[@]}"}) ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage

scripts=$(cd "$(dirname "$0")" && pwd)
root=${scripts%/*}

# A kernel tree of debug-kernel.sh: its ELF vmlinux boots through PVH,
# all the initramfs needs is built in, and the guest's /lib/modules/KVER
# is a copy of the tree's modules_install.
tree=
case $kver in
debug) tree=$("$scripts"/debug-kernel.sh) ;;
*/*) tree=$(cd "$kver" && pwd) ;;
esac
extra=
modroot=/
if [ -n "$tree" ]; then
	if ! [ -f "$tree"/vmlinux ] || ! [ -f "$tree"/include/config/kernel.release ]; then
		echo "vm: $tree is not a built kernel tree" >&2
		exit 1
	fi
	kernel=$tree/vmlinux
	kver=$(cat "$tree"/include/config/kernel.release)
	modroot=$tree/modules
	# PCI without ACPI: under KASAN and TCG, the AML of the PCI root's
	# _PRT hits ACPICA's 30 s loop timeout twice a boot. (acpi=off would
	# lose the second CPU, the MP table listing only the first, and the
	# power-off.)
	extra="pci=noacpi sipcodevm.modules=$modroot/lib/modules/$kver"
elif [ -e /boot/vmlinuz-"$kver" ]; then
	kernel=/boot/vmlinuz-$kver
else
	kernel=$(ls -v /boot/vmlinuz-"$kver".*-amd64 2>/dev/null | tail -n 1)
fi
if [ -z "$kernel" ]; then
	echo "vm: no kernel $kver in /boot" >&2
	exit 1
fi
[ -n "$tree" ] || kver=${kernel#/boot/vmlinuz-}

dir=$root/build/vm/$kver
initrd=$dir/initramfs.cpio
console=$dir/console-$$.log
out=$dir/output-$$.log
run=$root/build/vm/run-$$.sh
mkdir -p "$dir"

stale=0
for f in "$scripts"/mkinitramfs.sh /bin/busybox "$modroot"/lib/modules/"$kver"/modules.dep; do
	[ "$initrd" -nt "$f" ] || stale=1
done
if [ $stale = 1 ]; then
	echo "vm: building $initrd" >&2
	"$scripts"/mkinitramfs.sh "$kver" "$initrd" "$modroot"
fi

is_elf() {
	[ "$(head -c 4 "$1" | od -An -tx1)" = " 7f 45 4c 46" ]
}

# Boot the bzImage's ELF payload through its PVH entry: decompressing the
# kernel under TCG takes seconds (6.1's xz: about 6 s). A kernel tree has
# its vmlinux.
vmlinux=$dir/vmlinux
if [ -z "$tree" ] && ! [ "$vmlinux" -nt "$kernel" ]; then
	: >"$vmlinux.$$"
	for z in $'\xfd7zXZ:xz' $'(\xb5/\xfd:zstd' $'\x1f\x8b\x08:gzip'; do
		off=$(LC_ALL=C grep -abo -m 1 "${z%:*}" "$kernel" | head -n 1 | cut -d: -f1)
		[ -n "$off" ] || continue
		tail -c +$((off + 1)) "$kernel" | "${z#*:}" -dc >"$vmlinux.$$" 2>/dev/null || :
		is_elf "$vmlinux.$$" && break
	done
	mv -f "$vmlinux.$$" "$vmlinux"
fi
[ -n "$tree" ] || ! is_elf "$vmlinux" || kernel=$vmlinux

qpid=
cleanup() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null && wait "$qpid" 2>/dev/null
	[ -s "$console" ] && mv -f "$console" "$dir"/console.log
	rm -f "$run" "$out" "$console"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# The guest's /tmp, /run and /dev/shm are its own.
for a in "$@"; do
	case $a in
	/tmp/* | /run/* | /dev/shm/*)
		echo "vm: warning: $a: the guest has its own, empty /tmp, /run" \
			"and /dev/shm (put files for the guest under the repo," \
			"e.g. build/)" >&2 ;;
	esac
done
# A command not found in the guest says so, and where the guest looks.
{
	printf 'cmd=%q\n' "$1"
	cat <<'EOS'
if ! command -v "$cmd" >/dev/null; then
	echo "vm: $cmd: command not found in the guest (it sees the host's /" \
		"read-only, the repo, and its own empty /tmp, /run and /dev/shm)" >&2
	exit 127
fi
EOS
	printf '%q ' exec "$@"
	echo
} >"$run"
: >"$console"
: >"$out"

# no_timer_check: a TCG guest on a loaded host can miss the IO-APIC
# timer check's ticks and panic ("IO-APIC + timer doesn't work!").
boot_s=${SIPCODE_VM_BOOT_S:-300}
boot=1
while :; do
	: >"$console"
	: >"$out"
	echo "vm: booting $kver" >&2
	timeout -k 10 "$tmo" qemu-system-x86_64 \
		-accel tcg -cpu max -smp "$cpus" -m "$mem" \
		-nodefaults -no-user-config -display none -no-reboot \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 oops=panic panic_on_warn=1 no_timer_check $extra sipcodevm.init=$scripts/guest-init.sh sipcodevm.repo=$root sipcodevm.run=$run" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs local,path="$root",mount_tag=repo,security_model=none,readonly=on,multidevs=remap \
		-serial file:"$console" -serial file:"$out" -monitor none \
		${qemu_args[@]+"${qemu_args[@]}"} </dev/null &
	qpid=$!
	# guest-init.sh says on the console that it runs the command.
	start=$SECONDS
	hung=0
	while kill -0 "$qpid" 2>/dev/null &&
		! grep -qF 'sipcode-vm: running' "$console"; do
		[ $((SECONDS - start)) -lt "$boot_s" ] || { hung=1; break; }
		sleep 0.5
	done
	[ $hung = 1 ] && [ $boot -lt 3 ] || break
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	qpid=
	cp -f "$console" "$dir"/console-hung.log
	echo "vm: $kver: boot $boot hung: the command not started after" \
		"${boot_s}s ($(grep -c 'detected stalls' "$console") RCU stall" \
		"reports; in $dir/console-hung.log): booting again" >&2
	boot=$((boot + 1))
done

tail -n +1 -s 0.2 -f --pid="$qpid" "$out" |
	sed -u -e '0,/SIPCODE-VM-START/d' -e 's/\r$//' \
		-e '/^SIPCODE-VM-EXIT=/d' -e 's/SIPCODE-VM-EXIT=[0-9]*$//' &
rc=0
wait "$qpid" || rc=$?
qpid=
wait

status=$(sed -n 's/.*SIPCODE-VM-EXIT=\([0-9]*\).*/\1/p' "$out" | tail -n 1)
err=
if [ $rc = 124 ]; then
	err="timed out after ${tmo}s"
elif [ -z "$status" ]; then
	err="guest did not finish (qemu exit status $rc)"
fi
# KASAN's "BUG: KASAN:", "BUG: sleeping function called from invalid
# context", lockdep's and PROVE_RCU's "WARNING: possible circular locking
# dependency detected", "WARNING: suspicious RCU usage"..., UBSAN's
# "UBSAN: ...", kmemleak's "N new suspected memory leaks".
report='WARNING:|BUG:|Oops|Call Trace|Kernel panic|UBSAN|general protection|'
report+='kmemleak: [0-9]+ new suspected memory leak|suspicious RCU usage|'
report+='possible circular locking|inconsistent lock state|'
report+='rcu: INFO: .* detected stalls'
if awk -f "$scripts"/vm/memcg-oom.awk "$console" | grep -qE "$report"; then
	err="${err:+$err; }kernel reported a problem"
fi
if [ -n "$err" ]; then
	echo "vm: $kver: $err; in $dir/console.log:" >&2
	first=$(grep -nE -m 1 "$report" "$console" | cut -d: -f1)
	total=$(wc -l <"$console")
	if [ -n "$first" ]; then
		# The first report in full, then the end of the log.
		from=$((first > 5 ? first - 5 : 1))
		sed -n "$from,$((from + 199))p" "$console" >&2
		if [ "$total" -ge $((from + 200)) ]; then
			echo "[...]" >&2
			tail -n 30 "$console" >&2
		fi
	else
		tail -n 60 "$console" >&2
	fi
	exit 1
fi
# 127: not found (a command or the script given to an interpreter).
if [ "$status" = 127 ]; then
	echo "vm: the command exited 127 (not found in the guest?): the guest" \
		"sees the host's / read-only, the repo, and its own empty /tmp," \
		"/run and /dev/shm (see vm.sh -h)" >&2
fi
exit "$status"
