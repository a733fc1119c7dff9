# SPDX-License-Identifier: GPL-2.0
#
# make                  the module for the running kernel, and sipcodectl
# make KDIR=DIR         the module for the kernel whose headers are in DIR
# make check            every test, on the 6.1 and 6.12 kernels, in QEMU
# make demo             boot a guest, load the module, send SIP, show stats

KDIR ?= /lib/modules/$(shell uname -r)/build
KREL := $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
# The module is built in a tree of links per kernel, so that builds for
# several kernels live side by side.
KOBJ := build/$(KREL)

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

clean:
	$(MAKE) -C user clean
	rm -rf build

.PHONY: all module user deps check demo clean
