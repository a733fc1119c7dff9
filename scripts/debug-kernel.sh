#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the debug kernel of `make check` from Debian's linux-source-6.12:
# allnoconfig + kernel/configs/kvm_guest.config + tests/debug.config
# (KASAN, kmemleak, lockdep, UBSAN..., everything the guest uses built
# in), then olddefconfig, vmlinux, bzImage and Module.symvers, so that
# `make module KDIR=TREE` builds sipcode against it and `scripts/vm.sh -k
# TREE` boots it. Prints the tree's path on stdout; the build's output
# goes to stderr.
#
# The tree is cached outside the checkout, in
# $SIPCODE_DEBUG_KERNEL_CACHE/<key> (default /var/cache/sipcode/debug-kernel),
# the key being the source package's version and a hash of the fragment,
# this script and the compiler: a fresh clone on the same machine finds
# it built. A tree is built in a temporary directory and renamed when
# complete, under a lock: a half-built tree never counts. The three
# trees built last are kept (about 2 GB each), older ones removed.
#
# In the tree, modules/lib/modules/<release> holds what modules_install
# writes (modules.builtin and depmod's files) for the guest's /lib/modules.
#
# usage: scripts/debug-kernel.sh
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
pkg=linux-source-6.12
tarball=/usr/src/$pkg.tar.xz
frag=$top/tests/debug.config
cache=${SIPCODE_DEBUG_KERNEL_CACHE:-/var/cache/sipcode/debug-kernel}

[ -f "$tarball" ] || { echo "debug-kernel: no $tarball (apt install $pkg)" >&2; exit 1; }
ver=$(dpkg-query -W -f='${Version}' "$pkg")
hash=$({ cat "$frag" "$0"; gcc --version | head -n 1; } | sha256sum | cut -c 1-12)
key=$ver-$hash
tree=$cache/$key

done_stamp=$tree/.sipcode-debug-kernel
if [ -f "$done_stamp" ]; then
	echo "$tree"
	exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
# Another build may have finished while this one waited.
if [ -f "$done_stamp" ]; then
	echo "$tree"
	exit 0
fi
# With the lock held, any temporary tree is one an interrupted build left.
rm -rf "$cache"/.build-*
tmp=$(mktemp -d "$cache/.build-$key.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

start=$SECONDS
echo "debug-kernel: building $pkg $ver ($key) in $tmp" >&2
tar -xJf "$tarball" -C "$tmp" --strip-components=1
cd "$tmp"

# allnoconfig with the fragments as KCONFIG_ALLCONFIG, as merge_config.sh
# -n does; kvm_guest.config first, tests/debug.config over it.
scripts/kconfig/merge_config.sh -n kernel/configs/kvm_guest.config "$frag" >&2
make -s olddefconfig >&2

# Every value the fragment asks for must be in .config: a symbol whose
# dependencies are missing would be dropped without a word otherwise.
bad=0
while read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF "$line" .config || {
			echo "debug-kernel: $line not in .config: $(grep -E "^(# )?${line%%=*}[= ]" .config || echo absent)" >&2
			bad=1
		} ;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }
		sym=${sym%% *}
		! grep -q "^$sym=" .config || {
			echo "debug-kernel: $sym should not be set: $(grep "^$sym=" .config)" >&2
			bad=1
		} ;;
	esac
done <"$frag"
[ $bad = 0 ] || { echo "debug-kernel: tests/debug.config does not apply" >&2; exit 1; }

make -j"$(nproc)" vmlinux bzImage modules >&2
# modules.builtin, modules.order and depmod's files, for the guest.
make -s modules_install INSTALL_MOD_PATH="$tmp/modules" >&2
release=$(cat include/config/kernel.release)
test -f "modules/lib/modules/$release/modules.builtin"
rm -f "modules/lib/modules/$release/build"
test -f vmlinux && test -f Module.symvers

echo "$pkg $ver, $release, built in $((SECONDS - start)) s" >"$tmp/.sipcode-debug-kernel"
cd /
mv "$tmp" "$tree"
trap - EXIT
ls -dt "$cache"/*/.sipcode-debug-kernel | tail -n +4 | while read -r old; do
	echo "debug-kernel: removing ${old%/*}" >&2
	rm -rf "${old%/*}"
done
echo "debug-kernel: $tree: $(cat "$done_stamp")" >&2
echo "$tree"
