#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Generate, from the netlink spec Documentation/netlink/specs/sipcode.yaml,
# with the kernel's own generator (tools/net/ynl/ynl-gen-c.py of Debian's
# linux-source-6.12), what is checked in:
#   include/uapi/linux/sipcode.h            the UAPI (--mode uapi)
#   kmod/netlink-gen.h, kmod/netlink-gen.c   the policies and the op
#                                            table (--mode kernel)
# into OUTDIR (default: the checkout itself). The generator and its specs'
# schemas are extracted once into build/ynl (xz makes reading the tarball
# slow); it runs from there, on a copy of the spec, as it would in a
# kernel tree.
#
# The 6.12 generator cannot say two things of the spec, which this script
# then says in kmod/netlink-gen.c, and nothing else:
# - admin-perm is the only permission flag its schema knows: sipcode's
#   admin is CAP_NET_ADMIN in the user namespace that owns the network
#   namespace, so GENL_ADMIN_PERM becomes GENL_UNS_ADMIN_PERM;
# - it drops a multicast group's flags: the group is defined in
#   kmod/netlink.c (with GENL_MCAST_CAP_NET_ADMIN), so the generated
#   array, which nothing would use, is left out.
#
# usage: scripts/ynl-gen.sh [OUTDIR]
#        scripts/ynl-gen.sh --ynl-dir    extract, print the ynl directory
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
tarball=/usr/src/linux-source-6.12.tar.xz
cache=$top/build/ynl
src=$cache/linux-source-6.12
spec=Documentation/netlink/specs/sipcode.yaml

extract() {
	local stamp=$cache/.stamp
	[ -f "$stamp" ] && [ "$stamp" -nt "$tarball" ] && return 0
	[ -f "$tarball" ] || { echo "ynl-gen: no $tarball (scripts/deps.sh)" >&2; return 1; }
	rm -rf "$cache"
	mkdir -p "$cache.tmp"
	# MAINTAINERS: how the generator finds the root of a tree.
	tar -xJf "$tarball" -C "$cache.tmp" linux-source-6.12/tools/net/ynl \
		linux-source-6.12/Documentation/netlink linux-source-6.12/MAINTAINERS
	mv "$cache.tmp" "$cache"
	touch "$stamp"
}

extract
if [ "${1:-}" = --ynl-dir ]; then
	echo "$src/tools/net/ynl"
	exit 0
fi
mkdir -p "${1:-$top}"
out=$(cd "${1:-$top}" && pwd)
mkdir -p "$out/include/uapi/linux" "$out/kmod"

cp "$top/$spec" "$src/$spec"
gen() { # MODE ARG OUTPUT
	(cd "$src" && /usr/bin/python3 tools/net/ynl/ynl-gen-c.py --mode "$1" \
		"$2" --spec "$spec" -o "$3")
}
gen uapi --header "$out/include/uapi/linux/sipcode.h"
gen kernel --header "$out/kmod/netlink-gen.h"
gen kernel --source "$out/kmod/netlink-gen.c"

sed -i -e 's/\bGENL_ADMIN_PERM\b/GENL_UNS_ADMIN_PERM/g' \
	-e '/^static const struct genl_multicast_group /,/^};$/d' \
	"$out/kmod/netlink-gen.c"
# The blank line that was before the array is now the file's last.
sed -i -e '${/^$/d}' "$out/kmod/netlink-gen.c"
