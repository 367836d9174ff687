# SPDX-License-Identifier: GPL-2.0-only
#
# BAM-DMUX driver, simulated modem, BPF tools and benchmarks.
#
#   make            build the modules (with BTF), the BPF tools and the bench tools
#   make deps       install what is missing (apt-get)
#   make test       unit tests on the host, then the guest suite (one boot)
#   make stress     the stress lane (one boot, not part of make test): every
#                   fault under iperf3, lifecycle stress, the seeded frame
#                   fuzzer; counts from STRESS_* / FUZZ_* (Documentation/testing.rst)
#   make demo       the driver and the simulated modem at work in a guest
#   make bench      the benchmarks (in a guest)
#   make check      W=1 + sparse on the modules, -Werror on user space, arm64
#                   build, DKMS, install, the device-tree binding, the
#                   commands README and Documentation/tuning.rst show
#   make install    the BPF tools, dmuxbench, their man pages and the bpftrace scripts into
#                   $(DESTDIR)$(PREFIX) (PREFIX=/usr/local); make uninstall
#   make modules_install   bam_dmux.ko through Kbuild, under $(DESTDIR)
#   make man        the man pages of the BPF tools and dmuxbench, build/man/*.1
#
#   make ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
#                   the BPF and bench tools for arm64, into build/arm64/bin,
#                   against arm64 libraries fetched into build/arm64/sysroot
#                   (tools/arm64-debs.sh; the module: tools/cross-arm64.sh)
#   make bpf bench-tools VMLINUX=/sys/kernel/btf/vmlinux
#                   the same tools natively, on the target (e.g. the phone)
#   make kernel-debug  Debian's kernel source built with lockdep, KASAN, kmemleak,
#                   DMA-API debugging (tools/kernel/build; cached outside the tree)
#   make fuzz       libFuzzer on the wire-format decoder for FUZZ_SECONDS (60)
#
# KERNEL=debug (make modules/all/test/demo KERNEL=debug): the modules are
# built for the debug kernel into build/debug/ (the stock build is left
# alone) and tools/vm/run boots that kernel.
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
DEBUG_OUT := $(BUILD)/debug
CC	?= gcc
USER_CFLAGS := -O2 -g -Wall -Wextra -Werror

# the kernel's name of this machine's architecture, and of the target's
HOST_ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' -e 's/armv[0-9].*/arm/')
TARGET_ARCH := $(or $(ARCH),$(HOST_ARCH))

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
SBINDIR	?= $(PREFIX)/sbin
DATADIR	?= $(PREFIX)/share
MANDIR	?= $(DATADIR)/man
INSTALL	?= install
# the BPF tools need root (CAP_BPF, CAP_PERFMON): sbin; dmuxbench drives iperf3
SBIN_TOOLS := dmuxtop dmuxring dmuxwake dmuxnapi
BIN_TOOLS := dmuxbench
BPFTRACE_SCRIPTS := $(wildcard tools/bpftrace/*.bt)

.PHONY: all deps modules btf vmlinux bpf bench bench-tools bench-run unit test demo check clean man \
	install uninstall modules_install kernel-debug modules-debug fuzz stress

ifeq ($(KERNEL),debug)
# tools/vm/run and tests/run boot the debug kernel
export VM_KERNEL := debug
endif

ifeq ($(TARGET_ARCH),$(HOST_ARCH))
OUT	:= $(BUILD)
SYSROOT_STAMP :=

all: modules bpf bench-tools
else
# Cross-building the user-space tools: the target's libc, libbpf, libelf,
# zlib and cJSON (and the -dev packages) unpacked into a sysroot.
OUT	:= $(BUILD)/$(TARGET_ARCH)
SYSROOT	:= $(OUT)/sysroot
SYSROOT_STAMP := $(SYSROOT)/.fetched
CROSS_PKGS := libc6 libc6-dev linux-libc-dev libbpf1 libbpf-dev libelf1 \
	      libelf-dev libzstd1 zlib1g zlib1g-dev libcjson1 libcjson-dev
MULTIARCH := $(shell $(CROSS_COMPILE)gcc -print-multiarch 2>/dev/null)
SYSROOT_FLAGS := --sysroot=$(SYSROOT) \
	-Wl,-rpath-link,$(SYSROOT)/usr/lib/$(MULTIARCH):$(SYSROOT)/lib/$(MULTIARCH)
export PKG_CONFIG_SYSROOT_DIR := $(SYSROOT)
export PKG_CONFIG_LIBDIR := $(SYSROOT)/usr/lib/$(MULTIARCH)/pkgconfig:$(SYSROOT)/usr/share/pkgconfig
CROSS_MAKE := CC=$(CROSS_COMPILE)gcc SYSROOT_FLAGS="$(SYSROOT_FLAGS)"

all: bpf bench-tools

$(SYSROOT_STAMP): tools/arm64-debs.sh
	@[ "$(TARGET_ARCH)" = arm64 ] || { echo "only ARCH=arm64 can be cross-built" >&2; false; }
	tools/arm64-debs.sh $(SYSROOT) $(CROSS_PKGS)
	@touch $@
endif

deps:
	@tools/deps.sh

# VMLINUX may name another kernel's BTF, e.g. /sys/kernel/btf/vmlinux
$(BUILD)/vmlinux: tools/extract-vmlinux
	@mkdir -p $(BUILD)
	tools/extract-vmlinux /boot/vmlinuz-$(KVER) $@

vmlinux: $(BUILD)/vmlinux

ifeq ($(KERNEL),debug)
modules: modules-debug
else
modules: $(if $(filter $(VMLINUX),$(BTF_BASE)),$(VMLINUX))
	@for dir in $(MODULE_DIRS); do \
		[ -f $$dir/Kbuild ] || continue; \
		$(MAKE) -C $(KDIR) M=$(CURDIR)/$$dir modules || exit 1; \
	done
	@$(MAKE) --no-print-directory btf
endif

kernel-debug:
	@tools/kernel/build

# The modules for the debug kernel, from a copy of their sources in
# build/debug/ (as tools/check does): its build directory has vmlinux, so
# Kbuild encodes their BTF itself. build/debug/kernelrelease tells the
# guest tests which kernel these are for.
modules-debug: kernel-debug
	@kdir=$$(tools/kernel/build --dir)/obj; \
	tools/copy-sources $(DEBUG_OUT) $(MODULE_DIRS) || exit 1; \
	for dir in $(MODULE_DIRS); do \
		[ -f $(DEBUG_OUT)/$$dir/Kbuild ] || continue; \
		$(MAKE) -C $$kdir M=$(DEBUG_OUT)/$$dir modules || exit 1; \
	done; \
	cp $$kdir/../kernelrelease $(DEBUG_OUT)/kernelrelease

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

bpf: $(VMLINUX) $(SYSROOT_STAMP)
	@if [ -f bpf/Makefile ]; then \
		$(MAKE) -C bpf VMLINUX=$(VMLINUX) OUTPUT=$(OUT) ARCH=$(TARGET_ARCH) $(CROSS_MAKE); \
	fi

bench-tools: $(SYSROOT_STAMP)
	@if [ -f bench/Makefile ]; then \
		$(MAKE) -C bench OUTPUT=$(OUT) $(CROSS_MAKE); \
	fi

# make bench: build, then measure in a guest (bench/run)
bench: bench-run

UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(wildcard tests/unit/test_*.c))

$(BUILD)/tests/unit/%: tests/unit/%.c driver/bam_dmux_wire.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Idriver -o $@ $< -lcmocka

# dmuxbench's parsers (bench/bench_lib.c) against captures in tests/data
$(BUILD)/tests/unit/test_bench: tests/unit/test_bench.c bench/bench_lib.c bench/bench_lib.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Ibench $(shell pkg-config --cflags libcjson 2>/dev/null) \
		-DTEST_DATA='"$(CURDIR)/tests/data"' -o $@ $< bench/bench_lib.c -lcmocka -lcjson -lm

unit: $(UNIT_TESTS)

# libFuzzer on the wire-format decoder (tests/fuzz/): not part of make test
FUZZ_CFLAGS := -O1 -g -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all
FUZZ_SECONDS ?= 60
export FUZZ_SECONDS

$(BUILD)/fuzz/%: tests/fuzz/%.c driver/bam_dmux_wire.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -Idriver -o $@ $<

fuzz: deps $(BUILD)/fuzz/fuzz_wire
	@tests/fuzz/run $(BUILD)/fuzz/fuzz_wire

test: deps
	@$(MAKE) --no-print-directory all unit
	@tests/run

# the heavy guest tests (tests/guest/5x-*.sh), in a boot of their own
stress: deps
	@$(MAKE) --no-print-directory all
	@STRESS=1 tests/run

demo: deps
	@$(MAKE) --no-print-directory all
	@tools/vm/run --timeout 300 -- tools/demo

bench-run: deps
	@$(MAKE) --no-print-directory all
	@tools/vm/run --timeout 1800 -- bench/run $(if $(filter 1,$(QUICK)),--quick)

# man pages of the BPF tools and dmuxbench, from their pages in
# Documentation/bpf/ and Documentation/bench/
MAN_TOOLS := $(SBIN_TOOLS) $(BIN_TOOLS)
RST2MAN	?= $(shell command -v rst2man || command -v rst2man.py)
vpath %.rst Documentation/bpf Documentation/bench

man: $(MAN_TOOLS:%=$(BUILD)/man/%.1)

$(BUILD)/man/%.1: %.rst Documentation/bpf/common-options.rst
	@[ -n "$(RST2MAN)" ] || { echo "man: rst2man missing (python3-docutils: make deps)" >&2; false; }
	@mkdir -p $(dir $@)
	$(RST2MAN) --halt=warning $< $@.tmp
	@mv $@.tmp $@

check: deps $(VMLINUX)
	@tools/check

clean:
	@for dir in $(MODULE_DIRS); do \
		[ -f $$dir/Kbuild ] && $(MAKE) -C $(KDIR) M=$(CURDIR)/$$dir clean; \
	done; true
	@[ -f bpf/Makefile ] && $(MAKE) -C bpf OUTPUT=$(BUILD) clean; true
	@[ -f bench/Makefile ] && $(MAKE) -C bench OUTPUT=$(BUILD) clean; true
	rm -rf $(BUILD)

install: bpf bench-tools man
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/bam-dmux/bpftrace \
		$(DESTDIR)$(MANDIR)/man1
	$(INSTALL) -m 0755 $(addprefix $(OUT)/bin/,$(SBIN_TOOLS)) $(DESTDIR)$(SBINDIR)/
	$(INSTALL) -m 0755 $(addprefix $(OUT)/bin/,$(BIN_TOOLS)) $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 0755 $(BPFTRACE_SCRIPTS) $(DESTDIR)$(DATADIR)/bam-dmux/bpftrace/
	$(INSTALL) -m 0644 $(MAN_TOOLS:%=$(BUILD)/man/%.1) $(DESTDIR)$(MANDIR)/man1/

uninstall:
	rm -f $(addprefix $(DESTDIR)$(SBINDIR)/,$(SBIN_TOOLS)) \
		$(addprefix $(DESTDIR)$(BINDIR)/,$(BIN_TOOLS)) \
		$(addprefix $(DESTDIR)$(DATADIR)/bam-dmux/bpftrace/,$(notdir $(BPFTRACE_SCRIPTS))) \
		$(MAN_TOOLS:%=$(DESTDIR)$(MANDIR)/man1/%.1)
	-rmdir $(DESTDIR)$(DATADIR)/bam-dmux/bpftrace $(DESTDIR)$(DATADIR)/bam-dmux 2>/dev/null

# the driver only (a phone has no use for the simulator), into
# $(DESTDIR)/lib/modules/KVER/$(INSTALL_MOD_DIR) (Kbuild's default: extra)
modules_install:
	@$(MAKE) --no-print-directory modules MODULE_DIRS=driver
	$(MAKE) -C $(KDIR) M=$(CURDIR)/driver INSTALL_MOD_PATH=$(DESTDIR) modules_install

