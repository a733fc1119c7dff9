#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what sipcode needs to build and test, from Debian's packages,
# when it is missing: the toolchain, libnl, sparse, QEMU, the 6.1 kernel
# from bookworm and the 6.12 kernel from bookworm-backports (images and
# headers, side by side), linux-source-6.1 (for checkpatch.pl and the
# kselftest harness), linux-source-6.12 and what building a kernel takes
# (for the debug kernel of scripts/debug-kernel.sh) and the tools the
# selftests run in the guest.
#
# Idempotent: does nothing when everything is present.
set -eu

PKGS="build-essential pkg-config libnl-3-dev libnl-genl-3-dev libnl-route-3-dev
sparse clang llvm lld libclang-rt-14-dev kmod xz-utils cpio busybox-static
qemu-system-x86 iproute2 nftables jq tcpdump tshark sip-tester procps
kamailio ethtool
python3 linux-source-6.1 util-linux mandoc groff-base dkms
prometheus curl libmicrohttpd-dev
valgrind libbpf-dev bpftool
linux-source-6.12 bc bison flex libelf-dev libssl-dev
dpkg-dev debhelper dh-dkms lintian python3-yaml python3-jsonschema tmux"

export DEBIAN_FRONTEND=noninteractive
APT="apt-get -y -q -o Dpkg::Use-Pty=0 --no-install-recommends"

have_kernel() { # $1: version prefix, e.g. 6.1. or 6.12.
	ls /boot/vmlinuz-"$1"*-amd64 >/dev/null 2>&1 &&
		ls -d /usr/src/linux-headers-"$1"*-amd64 >/dev/null 2>&1
}

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null |
		grep -qx installed || missing="$missing $p"
done
have_kernel 6.1. || missing="$missing kernel-6.1"
have_kernel 6.12. || missing="$missing kernel-6.12"
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: must run as root to install packages" >&2
	exit 1
fi

# bookworm-backports with bookworm's own URI and keyring.
if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
	src=/etc/apt/sources.list.d/debian.sources
	uri=http://deb.debian.org/debian
	key=/usr/share/keyrings/debian-archive-keyring.gpg
	if [ -f "$src" ]; then
		u=$(awk '/^URIs:/ {print $2; exit}' "$src")
		k=$(awk '/^Signed-By:/ {print $2; exit}' "$src")
		[ -n "$u" ] && uri=$u
		[ -n "$k" ] && key=$k
	fi
	cat >/etc/apt/sources.list.d/sipcode-backports.sources <<EOS
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: $key
EOS
fi

# wireshark-common asks whether non-root may capture: answer no.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
	debconf-set-selections

$APT update
$APT install $PKGS
if ! have_kernel 6.1.; then
	$APT install linux-image-amd64/bookworm linux-headers-amd64/bookworm
	# Keep 6.1 when the metapackages move to backports below.
	apt-mark manual $(dpkg-query -W -f='${Package}\n' \
		'linux-image-6.1.*-amd64' 'linux-headers-6.1.*-amd64' \
		'linux-headers-6.1.*-common' 2>/dev/null) >/dev/null
fi
if ! have_kernel 6.12.; then
	$APT install -t bookworm-backports linux-image-amd64 linux-headers-amd64
fi
have_kernel 6.1. && have_kernel 6.12.
