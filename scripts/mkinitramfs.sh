#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the initramfs for scripts/vm.sh: static busybox, the modules needed
# to mount the host's / over virtio 9p, and an /init that mounts it
# read-only under a tmpfs overlay and switches to it. The modules are
# those of /lib/modules/KVER, or of MODROOT/lib/modules/KVER; those built
# into the kernel are left out (a kernel with all of them built in gets
# none).
#
# Usage: mkinitramfs.sh KVER OUTPUT [MODROOT]
set -eu

[ $# -eq 2 ] || [ $# -eq 3 ] || { echo "usage: $0 KVER OUTPUT [MODROOT]" >&2; exit 2; }
kver=$1
out=$2
modroot=${3:-/}
mods="virtio_pci 9pnet_virtio 9p overlay"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$out.$$"' EXIT
mkdir -p "$tmp"/bin "$tmp"/dev "$tmp"/proc "$tmp"/sys "$tmp"/lower \
	"$tmp"/rw "$tmp"/newroot "$tmp"/lib/modules
cp /bin/busybox "$tmp"/bin/busybox
ln -s busybox "$tmp"/bin/sh

# --show-depends prints "insmod PATH" for each module to load, dependencies
# first, and "builtin NAME" for one built into the kernel.
kos=
for m in $mods; do
	deps=$(modprobe -d "$modroot" -S "$kver" --show-depends "$m") || {
		echo "mkinitramfs: no module $m for $kver in $modroot" >&2
		exit 1
	}
	kos="$kos $(echo "$deps" | awk '$1 == "insmod" { print $2 }')"
done
for ko in $(printf '%s\n' $kos | awk '!seen[$0]++'); do
	name=$(basename "$ko")
	case $name in
	*.ko.xz) xz -dc "$ko" >"$tmp/lib/modules/${name%.xz}"; name=${name%.xz} ;;
	*) cp "$ko" "$tmp/lib/modules/$name" ;;
	esac
	echo "$name" >>"$tmp"/lib/modules/order
done
touch "$tmp"/lib/modules/order

cat >"$tmp"/init <<'EOF'
#!/bin/sh
/bin/busybox --install -s /bin
export PATH=/bin

fail() {
	echo "sipcode-vm: initramfs: $*"
	echo o >/proc/sysrq-trigger
	while :; do sleep 60; done
}

echo
echo "sipcode-vm: initramfs"
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

for m in $(cat /lib/modules/order); do
	insmod /lib/modules/"$m" || fail "insmod $m"
done

init=
for arg in $(cat /proc/cmdline); do
	case $arg in
	sipcodevm.init=*) init=${arg#sipcodevm.init=} ;;
	esac
done
[ -n "$init" ] || fail "no sipcodevm.init= on the command line"

mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=512000,cache=loose \
	hostroot /lower || fail "mount 9p"
mount -t tmpfs -o mode=0755 tmpfs /rw || fail "mount tmpfs"
mkdir /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work \
	overlay /newroot || fail "mount overlay"

umount /proc /sys /dev
exec switch_root /newroot /bin/bash "$init"
EOF
chmod +x "$tmp"/init

(cd "$tmp" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$out.$$"
mv "$out.$$" "$out"
