#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipcode install test, on the host: make install and make uninstall into
# a DESTDIR for each kernel, then DKMS on the sources make dkms-src lays
# out: a build against the headers of each kernel, in trees of its own
# (nothing is left under /usr/src, /var/lib/dkms or /lib/modules), and
# its refusal of a kernel outside the supported range.
#
# With SIPCODE_GUEST=1, as root in a throw-away scripts/vm.sh guest,
# the real thing instead: make install into the guest's /, the module
# loaded from modules-load.d, sipcodectl stats, the unit's commands
# restoring a saved configuration, make uninstall and modprobe -r. Not
# in make check: its two depmod runs take some 13 minutes under TCG.
#
#   make module KDIR=/usr/src/linux-headers-6.12.95+deb12-amd64 user
#   scripts/vm.sh -k 6.12 -t 1800 -- env SIPCODE_GUEST=1 tests/install.sh
#
# KERNELS (default "6.1 6.12"): the kernels of the host part, as in
# scripts/check.sh. Builds the module and sipcodectl first (make module,
# make user) on the host; the guest needs them built. Exits 4 (skip)
# when dkms or what the guest part needs is missing. TAP output.

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"
cd "$top" || exit 1
tmp=$(mktemp -d)
mounted=
cleanup() {
	if [ -n "$mounted" ]; then
		cd / && umount "$top"
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
VERSION=$(cat "$top/VERSION")

# run NAME CMD...: ok if CMD succeeds, else not ok and its last output.
mk() { make --no-print-directory "$@"; }
# The one file in DIR named NAME or NAME.(gz|xz|zst), or nothing.
one() {
	local f

	f=$(find "$1" -name "$2" -o -name "$2.gz" -o -name "$2.xz" -o -name "$2.zst" 2>/dev/null)
	[ "$(echo "$f" | wc -w)" = 1 ] && echo "$f"
}
vermagic() { modinfo -F vermagic "$1" 2>/dev/null | cut -d' ' -f1; }

# --- in the guest ---------------------------------------------------------------
guest() {
	local krel dir f conf modload unit pre start

	[ "$(id -u)" = 0 ] || skip_all "needs root"
	krel=$(uname -r)
	[ -f "build/$krel/kmod/sipcode.ko" ] || skip_all "no build/$krel/kmod/sipcode.ko (make module)"
	[ -x user/sipcodectl ] || skip_all "no user/sipcodectl (make user)"
	! modinfo sipcode >/dev/null 2>&1 || skip_all "a sipcode module is installed already"
	! lsmod | grep -q '^sipcode ' || skip_all "sipcode is loaded"
	# make writes in the tree (user/'s build flags, the modules_install
	# of kbuild): an overlay on the read-only repo, where it is, so that
	# the paths the host built with still hold.
	mkdir -p "$tmp/upper" "$tmp/work"
	mount -t overlay overlay -o "lowerdir=$top,upperdir=$tmp/upper,workdir=$tmp/work" \
		"$top" || skip_all "cannot mount an overlay on $top"
	mounted=1
	cd "$top" || exit 1

	check_run "make install" mk install
	dir=/lib/modules/$krel/updates/kmod
	f=$(one "$dir" sipcode.ko)
	check "the module is in $dir" "${f:+yes}" yes
	check "depmod ran: modprobe finds it" "$(modinfo -F filename sipcode 2>/dev/null)" "$f"
	modload=/usr/local/lib/modules-load.d/sipcode.conf
	check_run "systemd-modules-load loads it from $modload" \
		/lib/systemd/systemd-modules-load "$modload"
	check "loaded" "$(lsmod | grep -c '^sipcode ')" 1
	check_run "sipcodectl stats" /usr/local/sbin/sipcodectl stats

	# The unit's commands, as systemd would run them, on a saved file.
	unit=/usr/local/lib/systemd/system/sipcode.service
	conf=/etc/sipcode/sipcode.conf
	pre=$(sed -n 's/^ExecStartPre=//p' "$unit")
	start=$(sed -n 's/^ExecStart=//p' "$unit")
	if /usr/local/sbin/sipcodectl help save >/dev/null 2>&1; then
		/usr/local/sbin/sipcodectl rule add 503 drop &&
		/usr/local/sbin/sipcodectl rule add 4xx mark 0x10/0xff &&
		/usr/local/sbin/sipcodectl save >"$conf" &&
		/usr/local/sbin/sipcodectl rule flush
		check_run "the unit's ExecStartPre" $pre
		check_run "the unit's ExecStart" $start
		check "it restored what sipcodectl save saved" \
			"$(/usr/local/sbin/sipcodectl save)" "$(cat "$conf")"
	else
		for f in "the unit's ExecStartPre" "the unit's ExecStart" \
			"it restored what sipcodectl save saved"; do
			ok "$f # SKIP no sipcodectl save yet"
		done
		echo "rule flush" >"$conf"	# for the check below
	fi

	check_run "modprobe -r sipcode" modprobe -r sipcode
	check_run "make uninstall" mk uninstall
	check "the module is gone" "$(one "$dir" sipcode.ko)" ""
	check "depmod ran: modprobe no longer finds it" \
		"$(modinfo -F filename sipcode 2>/dev/null)" ""
	for f in /usr/local/sbin/sipcodectl /usr/local/share/man/man8/sipcodectl.8 \
		"$unit" "$modload" /usr/share/bash-completion/completions/sipcodectl \
		/usr/local/share/sipcode; do
		check "no $f" "$(test -e "$f" && echo there)" ""
	done
	check "the saved configuration stays" "$(test -f "$conf" && echo yes)" yes
	rm -f "$conf"
	rmdir /etc/sipcode
	finish
	exit
}
[ "${SIPCODE_GUEST:-0}" = 1 ] && guest

# --- make install, uninstall -----------------------------------------------------
command -v dkms >/dev/null || skip_all "needs dkms (scripts/deps.sh)"
command -v modinfo >/dev/null || skip_all "needs modinfo"
KERNELS=${KERNELS:-"6.1 6.12"}
kdirs=()
krels=()
for k in $KERNELS; do
	d=$(ls -d /usr/src/linux-headers-"$k".*-amd64 2>/dev/null | sort -V | tail -n 1)
	[ -n "$d" ] || skip_all "no headers for $k"
	kdirs+=("$d")
	krels+=("$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$d/include/generated/utsrelease.h")")
done

check_run "make user" mk user
dest=$tmp/dest
for i in "${!kdirs[@]}"; do
	kdir=${kdirs[i]}
	krel=${krels[i]}
	check_run "$krel: make module" mk module KDIR="$kdir"
	check_run "$krel: make install DESTDIR=" mk install DESTDIR="$dest" KDIR="$kdir"
	f=$(one "$dest/lib/modules/$krel/updates" sipcode.ko)
	check "$krel: one module under lib/modules/$krel/updates" "${f:+yes}" yes
	check "$krel: its vermagic" "$(vermagic "$f")" "$krel"
done
check "no depmod with DESTDIR" "$(find "$dest" -name 'modules.*')" ""

f=$dest/usr/local/sbin/sipcodectl
check "sbin/sipcodectl is executable" "$(test -x "$f" && echo yes)" yes
check "sipcodectl -V is VERSION" "$("$f" -V)" "sipcodectl $VERSION"
check "the man page" "$(cmp "$dest/usr/local/share/man/man8/sipcodectl.8" user/sipcodectl.8 && echo same)" same
f=$dest/usr/share/bash-completion/completions/sipcodectl
check "the bash completion" "$(cmp "$f" packaging/bash-completion/sipcodectl && echo same)" same
COMP_WORDS=(sipcodectl rule add 5xx "")
COMP_CWORD=4
check "it completes: sipcodectl rule add 5xx <TAB>" \
	"$(. "$f" && _sipcodectl && echo "${COMPREPLY[*]}")" "peer count drop mark notify"
COMP_WORDS=(sipcodectl -j "")
COMP_CWORD=2
check "it completes: sipcodectl -j <TAB>" \
	"$(. "$f" && _sipcodectl && echo "${COMPREPLY[*]}")" \
	"stats ports rule peer dry-run config monitor top explain save restore exporter help"

f=$dest/usr/local/lib/systemd/system/sipcode.service
check "the unit runs the installed sipcodectl" "$(sed -n 's/^ExecStart=//p' "$f")" \
	"/usr/local/sbin/sipcodectl restore /etc/sipcode/sipcode.conf"
# Like Debian's nftables.service: in place before the network comes up.
check "sipcode.service runs before network-pre.target" \
	"$(grep -E '^(DefaultDependencies|Wants|Before)=' "$f" | tr '\n' ' ')" \
	"DefaultDependencies=no Wants=network-pre.target Before=network-pre.target shutdown.target "
fe=${f%/*}/sipcode-exporter.service
check "the exporter's unit runs the installed sipcodectl, after sipcode.service" \
	"$(grep -E '^(After|ExecStart|DynamicUser|ProtectSystem)=' "$fe" | tr '\n' ' ')" \
	"After=network.target sipcode.service ExecStart=/usr/local/sbin/sipcodectl exporter \$SIPCODE_EXPORTER_OPTS DynamicUser=yes ProtectSystem=strict "
if command -v systemd-analyze >/dev/null; then
	# Their commands where make install put them; a warning (an unknown
	# key, say) fails too.
	for u in "$f" "$fe"; do
		sed "s|=/usr/local/|=$dest/usr/local/|" "$u" >"$tmp/${u##*/}"
	done
	check "systemd-analyze verify the units: no error, no warning" \
		"$(cd "$tmp" && systemd-analyze verify --man=no ./sipcode.service \
			./sipcode-exporter.service 2>&1; echo "exit $?")" "exit 0"
	check "systemd-analyze security: the exporter's exposure is low (< 2)" \
		"$(cd "$tmp" && systemd-analyze security --offline=yes --threshold=20 \
			./sipcode-exporter.service >/dev/null 2>&1; echo "exit $?")" "exit 0"
else
	ok "systemd-analyze verify the units # SKIP no systemd-analyze"
	ok "systemd-analyze security # SKIP no systemd-analyze"
fi
check "modules-load.d" "$(grep -v '^#' "$dest/usr/local/lib/modules-load.d/sipcode.conf")" sipcode
check "/etc/sipcode for the saved configuration" "$(test -d "$dest/etc/sipcode" && echo yes)" yes
for f in prometheus/sipcode.rules.yml grafana/sipcode.json; do
	check "share/sipcode/$f" \
		"$(cmp "$dest/usr/local/share/sipcode/$f" "packaging/$f" && echo same)" same
done

for i in "${!kdirs[@]}"; do
	check_run "${krels[i]}: make uninstall DESTDIR=" mk uninstall DESTDIR="$dest" KDIR="${kdirs[i]}"
done
check "uninstall leaves nothing but directories" "$(find "$dest" ! -type d)" ""
check "uninstall removes share/sipcode" "$(test -e "$dest/usr/local/share/sipcode" && echo there)" ""

dest=$tmp/dest-usr
check_run "make install-user PREFIX=/usr" mk install-user DESTDIR="$dest" PREFIX=/usr
check "PREFIX=/usr: the unit runs /usr/sbin/sipcodectl" \
	"$(sed -n 's/^ExecStart=//p' "$dest/usr/lib/systemd/system/sipcode.service")" \
	"/usr/sbin/sipcodectl restore /etc/sipcode/sipcode.conf"
check "PREFIX=/usr: modules-load.d in /usr/lib" \
	"$(test -f "$dest/usr/lib/modules-load.d/sipcode.conf" && echo yes)" yes
check "PREFIX=/usr: the Prometheus rules and the Grafana dashboard in /usr/share/sipcode" \
	"$(cd "$dest/usr/share/sipcode" 2>/dev/null && find . -type f | sort | xargs)" \
	"./grafana/sipcode.json ./prometheus/sipcode.rules.yml"
check_run "make uninstall-user PREFIX=/usr" mk uninstall-user DESTDIR="$dest" PREFIX=/usr
check "PREFIX=/usr: nothing left" "$(find "$dest" ! -type d)" ""

# --- DKMS --------------------------------------------------------------------------
# In trees of its own, and signing with a key of its own: DKMS would make
# one in /var/lib/dkms.
state() { ls -A /usr/src /var/lib/dkms 2>/dev/null; }
before=$(state)
mkdir -p "$tmp/dkms" "$tmp/installed"
dk() {
	mok_signing_key=$tmp/mok.key mok_certificate=$tmp/mok.pub \
		dkms "$@" -m sipcode -v "$VERSION" --sourcetree "$tmp/src" \
		--dkmstree "$tmp/dkms" --installtree "$tmp/installed"
}
check_run "make dkms-src" mk dkms-src DKMS_SRC="$tmp/src"
check "the DKMS sources: the module's alone" \
	"$(cd "$tmp/src/sipcode-$VERSION" && ls -A | xargs)" \
	"Kbuild Makefile VERSION dkms.conf include kmod"
check "dkms.conf has VERSION" \
	"$(sed -n 's/^PACKAGE_VERSION=//p' "$tmp/src/sipcode-$VERSION/dkms.conf")" "\"$VERSION\""
check_run "dkms add" dk add
for i in "${!kdirs[@]}"; do
	krel=${krels[i]}
	check_run "$krel: dkms build" dk build -k "$krel" --kernelsourcedir "${kdirs[i]}"
	signed=$(grep -c '^Signing module' "$tmp/out")
	f=$(one "$tmp/dkms/sipcode/$VERSION/$krel" sipcode.ko)
	check "$krel: DKMS built a module" "${f:+yes}" yes
	check "$krel: its vermagic" "$(vermagic "$f")" "$krel"
	if [ "$signed" = 1 ]; then
		check "$krel: DKMS signed it" "$(modinfo -F signer "$f")" "DKMS module signing key"
	else
		ok "$krel: DKMS signed it # SKIP DKMS found no sign-file"
	fi
done
for krel in 5.10.0-99-amd64 6.13.0-1-amd64; do
	dk build -k "$krel" >"$tmp/out" 2>&1
	rc=$?
	check "$krel: dkms refuses it (BUILD_EXCLUSIVE)" \
		"$rc $(grep -c 'BUILD_EXCLUSIVE directive which does not match' "$tmp/out")" "77 1"
done
check_run "dkms remove" dk remove --all
check "dkms remove leaves nothing" "$(find "$tmp/dkms" "$tmp/installed" -mindepth 1)" ""
check "nothing changed in /usr/src or /var/lib/dkms" "$(state)" "$before"

finish
