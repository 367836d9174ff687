# SPDX-License-Identifier: GPL-2.0-only
#
# BAM-DMUX driver, simulated modem, BPF tools and benchmarks.
#
#   make            build the modules (with BTF), the BPF tools and the bench tools
#   make deps       install what is missing (apt-get)
#   make test       unit tests on the host, then the guest suite (one boot)
#   make demo       the driver and the simulated modem at work in a guest
#   make bench      the benchmarks (in a guest)
#   make check      W=1 + sparse on the modules, -Werror on user space, arm64
#                   build, DKMS, install, the device-tree binding, README
#   make install    the BPF tools, dmuxbench and the bpftrace scripts into
#                   $(DESTDIR)$(PREFIX) (PREFIX=/usr/local); make uninstall
#   make modules_install   bam_dmux.ko through Kbuild, under $(DESTDIR)
#
# The modules are built for the newest Debian amd64 kernel installed with
# both image and headers (tools/kver), which is what tools/vm/run boots.
# KDIR=/lib/modules/$(uname -r)/build builds for the running kernel instead.

KVER	?= $(shell tools/kver 2>/dev/null)
KDIR	?= /usr/src/linux-headers-$(KVER)
BUILD	:= $(CURDIR)/build
VMLINUX	:= $(BUILD)/vmlinux
# module BTF is encoded against the kernel the modules are built for
ifeq ($(origin KDIR),command line)
BTF_BASE ?= /sys/kernel/btf/vmlinux
else
BTF_BASE ?= $(VMLINUX)
endif

MODULE_DIRS := driver driver/sim tests/modules/warn tests/modules/dmaclient
CC	?= gcc
USER_CFLAGS := -O2 -g -Wall -Wextra -Werror

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
SBINDIR	?= $(PREFIX)/sbin
DATADIR	?= $(PREFIX)/share
INSTALL	?= install
# the BPF tools need root (CAP_BPF, CAP_PERFMON): sbin; dmuxbench drives iperf3
SBIN_TOOLS := dmuxtop dmuxring dmuxwake dmuxnapi
BIN_TOOLS := dmuxbench
BPFTRACE_SCRIPTS := $(wildcard tools/bpftrace/*.bt)

.PHONY: all deps modules btf vmlinux bpf bench bench-tools bench-run unit test demo check clean \
	install uninstall modules_install

all: modules bpf bench-tools

deps:
	@tools/deps.sh

# VMLINUX=/sys/kernel/btf/vmlinux (say, on the phone) is used as it is
ifeq ($(VMLINUX),$(BUILD)/vmlinux)
$(VMLINUX): tools/extract-vmlinux
	@mkdir -p $(BUILD)
	tools/extract-vmlinux /boot/vmlinuz-$(KVER) $@
endif

vmlinux: $(VMLINUX)

modules: $(if $(filter $(VMLINUX),$(BTF_BASE)),$(VMLINUX))
	@for dir in $(MODULE_DIRS); do \
		[ -f $$dir/Kbuild ] || continue; \
		$(MAKE) -C $(KDIR) M=$(CURDIR)/$$dir modules || exit 1; \
	done
	@$(MAKE) --no-print-directory btf

# Kbuild skips BTF for external modules when KDIR has no vmlinux (Debian's
# headers have none): encode it here, against the same kernel's BTF.
btf:
	@for ko in $(foreach d,$(MODULE_DIRS),$(wildcard $(d)/*.ko)); do \
		readelf -S $$ko | grep -q '\.BTF' && continue; \
		command -v pahole >/dev/null || { \
			echo "  BTF     skipped: pahole (dwarves) missing; the BPF tools will use raw_tp"; \
			break; }; \
		echo "  BTF     $$ko"; \
		pahole -J --btf_base $(BTF_BASE) $$ko || exit 1; \
	done

bpf: $(VMLINUX)
	@if [ -f bpf/Makefile ]; then \
		$(MAKE) -C bpf VMLINUX=$(VMLINUX) OUTPUT=$(BUILD); \
	fi

bench-tools:
	@if [ -f bench/Makefile ]; then \
		$(MAKE) -C bench OUTPUT=$(BUILD); \
	fi

# make bench: build, then measure in a guest (bench/run)
bench: bench-run

UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(wildcard tests/unit/test_*.c))

$(BUILD)/tests/unit/%: tests/unit/%.c driver/bam_dmux_wire.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Idriver -o $@ $< -lcmocka

unit: $(UNIT_TESTS)

test: deps
	@$(MAKE) --no-print-directory all unit
	@tests/run

demo: deps
	@$(MAKE) --no-print-directory all
	@tools/vm/run --timeout 300 -- tools/demo

bench-run: deps
	@$(MAKE) --no-print-directory all
	@tools/vm/run --timeout 1800 -- bench/run

check: deps $(VMLINUX)
	@tools/check

install: bpf bench-tools
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/bam-dmux/bpftrace
	$(INSTALL) -m 0755 $(addprefix $(BUILD)/bin/,$(SBIN_TOOLS)) $(DESTDIR)$(SBINDIR)/
	$(INSTALL) -m 0755 $(addprefix $(BUILD)/bin/,$(BIN_TOOLS)) $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 0755 $(BPFTRACE_SCRIPTS) $(DESTDIR)$(DATADIR)/bam-dmux/bpftrace/

uninstall:
	rm -f $(addprefix $(DESTDIR)$(SBINDIR)/,$(SBIN_TOOLS)) \
		$(addprefix $(DESTDIR)$(BINDIR)/,$(BIN_TOOLS)) \
		$(addprefix $(DESTDIR)$(DATADIR)/bam-dmux/bpftrace/,$(notdir $(BPFTRACE_SCRIPTS)))
	-rmdir $(DESTDIR)$(DATADIR)/bam-dmux/bpftrace $(DESTDIR)$(DATADIR)/bam-dmux 2>/dev/null

# the driver only (a phone has no use for the simulator), into
# $(DESTDIR)/lib/modules/KVER/$(INSTALL_MOD_DIR) (Kbuild's default: extra)
modules_install:
	@$(MAKE) --no-print-directory modules MODULE_DIRS=driver
	$(MAKE) -C $(KDIR) M=$(CURDIR)/driver INSTALL_MOD_PATH=$(DESTDIR) modules_install

clean:
	@for dir in $(MODULE_DIRS); do \
		[ -f $$dir/Kbuild ] && $(MAKE) -C $(KDIR) M=$(CURDIR)/$$dir clean; \
	done; true
	@[ -f bpf/Makefile ] && $(MAKE) -C bpf OUTPUT=$(BUILD) clean; true
	@[ -f bench/Makefile ] && $(MAKE) -C bench OUTPUT=$(BUILD) clean; true
	rm -rf $(BUILD)
