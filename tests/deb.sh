#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages of make deb, as root in a throw-away scripts/vm.sh
# guest (its / is the host's under a tmpfs overlay: dpkg changes nothing
# on the host): dpkg -i of sipcode-dkms and sipcodectl, DKMS building and
# installing the module for the running kernel, sipcodectl stats loading
# it by its generic netlink family's alias, the units, modules-load.d,
# manual page, bash completion, Prometheus rules and Grafana dashboard in
# place; then dpkg --purge removing all of it but the configuration the
# admin saved in /etc/sipcode. TAP output; the time of each dpkg run is
# printed.
#
# Under TCG, on a host of 2 CPUs busy with other guests, the dpkg -i of
# the guest as it boots took 29 minutes in 6.12: depmod, which dkms
# install and dkms remove run, reads every one of the kernel's 4,000-odd
# modules, and decompresses 6.12's (2 to 8 minutes a run); dkms's version
# sanity check walks the whole tree (2 minutes); man-db's trigger indexes
# the manual pages again (up to 4 minutes); and in a 6.1 guest, DKMS
# builds for 6.12 as well, the newest kernel in /lib/modules. So the
# guest is made lighter first, and only so:
# - /lib/modules is a tmpfs with the running kernel's directory alone: its
#   build and source links, modules.builtin*, modules.order, and the
#   netfilter modules (kernel/net/{,ipv4/,ipv6/}netfilter) with those
#   modules.dep says they need, some 220, indexed by depmod. DKMS sees
#   one kernel, depmod a twentieth of the modules;
# - man-db's trigger does nothing: /var/lib/man-db/auto-update removed,
#   as the debconf answer man-db/auto-update=false does;
# - DEBIAN_FRONTEND=noninteractive: no terminal for debconf.
# DKMS still builds the module from the package's sources and dkms.conf
# (make -j, one job a CPU: most of the time left), signs it, installs it
# and runs depmod; dkms remove removes it and runs depmod again. The
# guest keeps these changes: run it alone in its guest, as make check
# does, or last.
#
#   make deb
#   scripts/vm.sh -k 6.12 -t 1800 -- tests/run.sh tests/deb.sh
#
# DEB_DIR (default build/deb) is where the packages are.

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"

VERSION=$(cat "$top/VERSION")
krel=$(uname -r)
DEB_DIR=${DEB_DIR:-$top/build/deb}
dkms_deb=$DEB_DIR/sipcode-dkms_${VERSION}_all.deb
ctl_deb=$(ls "$DEB_DIR"/sipcodectl_"$VERSION"_*.deb 2>/dev/null | head -n 1)
conf=/etc/sipcode/sipcode.conf

[ "$(id -u)" = 0 ] || skip_all "needs root"
[ -f "$dkms_deb" ] && [ -n "$ctl_deb" ] || skip_all "no packages in $DEB_DIR (make deb)"
# Not on a real system: the guest's / is a throw-away overlay.
grep -q '^sipcode-vm$' /proc/sys/kernel/hostname ||
	skip_all "runs in a scripts/vm.sh guest only"
for t in dpkg dkms modinfo depmod; do
	command -v $t >/dev/null || skip_all "needs $t"
done

# check_run's output (tests/lib.sh).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
exists() { [ -e "$1" ] && echo yes || echo no; }

# lighten: the guest made lighter (see above).
lighten() {
	local m=/lib/modules/$krel mods f

	mods=$(mktemp -d) && mkdir "$mods/$krel" || return 1
	for f in build source modules.builtin modules.builtin.modinfo modules.order; do
		if [ -e "$m/$f" ] || [ -L "$m/$f" ]; then
			cp -a "$m/$f" "$mods/$krel/" || return 1
		fi
	done
	(cd "$m" && grep -E '^kernel/net/(ipv[46]/)?netfilter/' modules.dep |
		tr -d : | tr ' ' '\n' | sort -u |
		xargs -r cp --parents -t "$mods/$krel") &&
	mount --bind "$mods" /lib/modules &&
	depmod -a "$krel" &&
	rm -f /var/lib/man-db/auto-update
}
start=$SECONDS
check_run "the guest made lighter" lighten
# Not on the guest's whole module tree: that takes far too long.
[ $nfail = 0 ] || { finish; exit; }
echo "# time: the guest made lighter: $((SECONDS - start)) s;" \
	"/lib/modules: $(ls /lib/modules), $(grep -c . "/lib/modules/$krel/modules.dep") modules"
export DEBIAN_FRONTEND=noninteractive

check "sipcode is not installed before" \
	"$(dpkg-query -W -f='${Status}' sipcode-dkms sipcodectl 2>/dev/null |
		grep -c 'ok installed'):$(modinfo -F filename sipcode 2>/dev/null)" "0:"

start=$SECONDS
check_run "dpkg -i sipcode-dkms and sipcodectl" dpkg -i "$dkms_deb" "$ctl_deb"
echo "# time: dpkg -i (DKMS's build and install): $((SECONDS - start)) s"
check "dkms status: installed for $krel" \
	"$(dkms status -m sipcode -v "$VERSION" -k "$krel" 2>/dev/null)" \
	"sipcode/$VERSION, $krel, $(uname -m): installed"
f=$(modinfo -F filename sipcode 2>/dev/null)
check "the module DKMS installed is the one modprobe finds" \
	"$(case $f in /lib/modules/"$krel"/updates/dkms/sipcode.ko*) echo yes ;; esac)" yes
check "its vermagic is the running kernel's" \
	"$(modinfo -F vermagic sipcode | cut -d' ' -f1)" "$krel"

check "sipcode is not loaded yet" "$(lsmod | grep -c '^sipcode ')" 0
check_run "sipcodectl stats" /usr/sbin/sipcodectl stats
check "sipcodectl stats loaded it (its family's alias)" "$(lsmod | grep -c '^sipcode ')" 1

for f in /lib/systemd/system/sipcode.service /lib/systemd/system/sipcode-exporter.service \
	/usr/lib/modules-load.d/sipcode.conf /usr/share/man/man8/sipcodectl.8.gz \
	/usr/share/bash-completion/completions/sipcodectl \
	/usr/share/sipcode/prometheus/sipcode.rules.yml /usr/share/sipcode/grafana/sipcode.json; do
	check "$f" "$(exists "$f")" yes
done
check "sipcode.service runs /usr/sbin/sipcodectl" \
	"$(sed -n 's/^ExecStart=//p' /lib/systemd/system/sipcode.service)" \
	"/usr/sbin/sipcodectl restore $conf"
check "sipcode.service enabled (sysinit.target)" \
	"$(exists /etc/systemd/system/sysinit.target.wants/sipcode.service)" yes
check "sipcode-exporter.service enabled (multi-user.target)" \
	"$(exists /etc/systemd/system/multi-user.target.wants/sipcode-exporter.service)" yes

# The admin's saved configuration, and the unit's command restoring it.
check_run "sipcodectl rule add 503 drop" /usr/sbin/sipcodectl rule add 503 drop
/usr/sbin/sipcodectl save >"$conf"
saved=$(cat "$conf")
check_run "sipcodectl rule flush" /usr/sbin/sipcodectl rule flush
check_run "the unit's ExecStart restores it" \
	$(sed -n 's/^ExecStart=//p' /lib/systemd/system/sipcode.service)
check "what it restored" "$(/usr/sbin/sipcodectl save)" "$saved"

files=$(dpkg -L sipcode-dkms sipcodectl)
check_run "rmmod sipcode" rmmod sipcode
start=$SECONDS
check_run "dpkg --purge sipcodectl sipcode-dkms" dpkg --purge sipcodectl sipcode-dkms
echo "# time: dpkg --purge: $((SECONDS - start)) s"
# dpkg forgets a purged package: dpkg-query finds none.
check "no package left" \
	"$(dpkg-query -W -f='${db:Status-Status}\n' sipcode-dkms sipcodectl 2>/dev/null |
		grep -vc '^not-installed$')" 0
check "no file of theirs left but /etc/sipcode" \
	"$(for f in $files; do [ -e "$f" ] && ! [ -d "$f" ] && echo "$f"; done
	   for f in $files; do case $f in /etc/sipcode* | /usr/src/sipcode*)
		[ -d "$f" ] && echo "$f" ;; esac; done)" "/etc/sipcode"
check "no module left for any kernel" \
	"$(ls /lib/modules/*/updates/dkms/sipcode.ko* 2>/dev/null):$(modinfo -F filename sipcode 2>/dev/null)" ":"
check "no DKMS tree left" "$(exists /var/lib/dkms/sipcode):$(dkms status -m sipcode)" "no:"
check "no enabled unit left" \
	"$(ls /etc/systemd/system/*/sipcode*.service 2>/dev/null)" ""
check "the admin's saved configuration stays" "$(cat "$conf" 2>&1)" "$saved"
finish
