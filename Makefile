# SPDX-License-Identifier: GPL-2.0
#
# make                  the module for the running kernel, and sipcodectl
# make KDIR=DIR         the module for the kernel whose headers are in DIR
# make check            every test, on the 6.1 and 6.12 kernels, in QEMU
# make demo             boot a guest, load the module, send SIP, show stats
# make bench            instructions per packet of the hook, nftables and tc
#                       eBPF, in a QEMU guest under icount (BENCHMARKS.md);
#                       BENCH_SMOKE=1: a short run that checks it works
# make install          install the module built for KDIR (make it first),
#                       sipcodectl and the files of packaging/; DESTDIR,
#                       PREFIX (/usr/local), SBINDIR, MANDIR, UNITDIR,
#                       DATADIR (PREFIX/share/sipcode)...
# make uninstall        remove them
# make dkms-install     copy the module's sources to /usr/src/sipcode-VERSION
#                       and build and install them with DKMS
# make dkms-uninstall   remove them
# make deb              the Debian packages sipcode-dkms and sipcodectl, in
#                       build/deb (dpkg-buildpackage, debhelper, dh-dkms)

KDIR ?= /lib/modules/$(shell uname -r)/build
KREL := $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
# The module is built in a tree of links per kernel, so that builds for
# several kernels live side by side.
KOBJ := build/$(KREL)
VERSION := $(shell cat $(CURDIR)/VERSION)

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
UNITDIR ?= $(PREFIX)/lib/systemd/system
MODLOADDIR ?= $(PREFIX)/lib/modules-load.d
BASHCOMPDIR ?= /usr/share/bash-completion/completions
DATADIR ?= $(PREFIX)/share/sipcode
CONFDIR := /etc/sipcode
INSTALL_MOD_DIR ?= updates
DKMS_SRC ?= /usr/src
DKMS_DIR = $(DKMS_SRC)/sipcode-$(VERSION)
DKMS = dkms -m sipcode -v $(VERSION) --sourcetree $(DKMS_SRC)
MODINST = $(DESTDIR)/lib/modules/$(KREL)/$(INSTALL_MOD_DIR)/kmod
UNITS := sipcode.service sipcode-exporter.service
# Under DATADIR: the Prometheus rules and the Grafana dashboard.
DATA := prometheus/sipcode.rules.yml grafana/sipcode.json

all: module user

module:
	@test -n "$(KREL)" || { echo "no kernel headers in $(KDIR):" \
		"install linux-headers-$$(uname -r) or pass KDIR=" >&2; exit 1; }
	@mkdir -p $(KOBJ)
	@cp -rsf $(CURDIR)/Kbuild $(CURDIR)/kmod $(CURDIR)/include $(KOBJ)/
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(KOBJ) W=1 SIPCODE_WERROR=y $(if $(C),C=$(C)) modules
	@echo "module: $(KOBJ)/kmod/sipcode.ko"

user:
	$(MAKE) -C user

deps:
	scripts/deps.sh

check: deps
	scripts/check.sh

demo: deps
	scripts/demo.sh

bench: deps
	BENCH_SMOKE=$(BENCH_SMOKE) bench/run.sh

# The module goes under /lib/modules/$(KREL)/$(INSTALL_MOD_DIR), from kbuild's
# modules_install (compressed when the kernel's modules are). It is signed
# only when the kernel's signing key is there: headers packages do not have
# it (for Secure Boot, use DKMS, which signs with its own key). With
# DESTDIR, as when packaging, depmod is left to the package's scripts.
modsign = $(shell k=$$(sed -n 's/^CONFIG_MODULE_SIG_KEY="\(.*\)"$$/\1/p' \
	$(KDIR)/.config 2>/dev/null); case $$k in (pkcs11:*) echo y ;; \
	(/*) test -f "$$k" && echo y ;; (?*) test -f "$(KDIR)/$$k" && echo y ;; esac)

install: install-module install-user

install-module:
	@test -n "$(KREL)" || { echo "no kernel headers in $(KDIR): pass KDIR=" >&2; \
		exit 1; }
	@test -f $(KOBJ)/kmod/sipcode.ko || { echo "no $(KOBJ)/kmod/sipcode.ko:" \
		"run make module KDIR=$(KDIR) first" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(KOBJ) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) \
		$(if $(modsign),,CONFIG_MODULE_SIG_ALL=) modules_install
	$(if $(DESTDIR),,depmod -a $(KREL))

install-user:
	$(MAKE) -C user install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) \
		SBINDIR=$(SBINDIR) MANDIR=$(MANDIR)
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(CONFDIR)
	for u in $(UNITS); do \
		sed 's|@SBINDIR@|$(SBINDIR)|g' packaging/$$u \
			>$(DESTDIR)$(UNITDIR)/$$u && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	install -D -m 0644 packaging/modules-load.d/sipcode.conf \
		$(DESTDIR)$(MODLOADDIR)/sipcode.conf
	install -D -m 0644 packaging/bash-completion/sipcodectl \
		$(DESTDIR)$(BASHCOMPDIR)/sipcodectl
	for f in $(DATA); do \
		install -D -m 0644 packaging/$$f $(DESTDIR)$(DATADIR)/$$f || exit 1; \
	done

# Removes what install put there, but a saved configuration in $(CONFDIR).
uninstall: uninstall-module uninstall-user

uninstall-module:
	@test -n "$(KREL)" || { echo "no kernel headers in $(KDIR):" \
		"pass KREL=<kernel release> or KDIR=" >&2; exit 1; }
	rm -f $(foreach z,.ko .ko.gz .ko.xz .ko.zst,$(MODINST)/sipcode$(z))
	rmdir $(MODINST) 2>/dev/null || true
	$(if $(DESTDIR),,depmod -a $(KREL))

uninstall-user:
	$(MAKE) -C user uninstall DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) \
		SBINDIR=$(SBINDIR) MANDIR=$(MANDIR)
	rm -f $(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS)) \
		$(DESTDIR)$(MODLOADDIR)/sipcode.conf \
		$(DESTDIR)$(BASHCOMPDIR)/sipcodectl \
		$(addprefix $(DESTDIR)$(DATADIR)/,$(DATA))
	rmdir $(addprefix $(DESTDIR)$(DATADIR)/,$(sort $(dir $(DATA)))) \
		$(DESTDIR)$(DATADIR) 2>/dev/null || true
	rmdir $(DESTDIR)$(CONFDIR) 2>/dev/null || true

# The sources of the module alone, with dkms.conf, in $(DKMS_DIR).
dkms-src:
	rm -rf $(DKMS_DIR)
	mkdir -p $(DKMS_DIR)
	cp -R Kbuild Makefile VERSION kmod include $(DKMS_DIR)/
	sed 's/@VERSION@/$(VERSION)/' dkms.conf >$(DKMS_DIR)/dkms.conf

# For the running kernel; DKMS then builds the module for each new one.
# Replaces the same version if it is there.
dkms-install:
	if $(DKMS) status | grep -q .; then $(DKMS) remove --all; fi
	$(MAKE) --no-print-directory dkms-src
	$(DKMS) add
	$(DKMS) build
	$(DKMS) install

dkms-uninstall:
	if $(DKMS) status | grep -q .; then $(DKMS) remove --all; fi
	rm -rf $(DKMS_DIR)

# From a copy of the tree in build/deb, where dpkg-buildpackage leaves
# the packages (in the parent directory of the tree it builds).
DEBTREE := build/deb/sipcode-$(VERSION)
deb:
	@test "$$(dpkg-parsechangelog -S Version)" = "$(VERSION)" || { echo \
		"debian/changelog's version is not VERSION's, $(VERSION)" >&2; exit 1; }
	rm -rf build/deb
	mkdir -p $(DEBTREE)
	tar -c --exclude=./build --exclude=./.git --exclude=./user/sipcodectl . | \
		tar -x -C $(DEBTREE)
	cd $(DEBTREE) && dpkg-buildpackage -b -us -uc
	lintian --fail-on error build/deb/sipcode_$(VERSION)_*.changes
	@ls build/deb/*.deb

clean:
	$(MAKE) -C user clean
	rm -rf build

.PHONY: all module user deps check demo bench clean install install-module \
	install-user uninstall uninstall-module uninstall-user dkms-src \
	dkms-install dkms-uninstall deb
