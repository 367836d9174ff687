# SPDX-License-Identifier: GPL-2.0-only
#
# BAM-DMUX driver, simulated modem, BPF tools and benchmarks.
#
#   make            build the modules (with BTF), the BPF tools and the bench tools
#   make deps       install what is missing (apt-get)
#   make test       unit tests on the host, then the guest suite (one boot)
#   make demo       the driver and the simulated modem at work in a guest
#   make bench      the benchmarks (in a guest)
#   make check      W=1 + sparse on the modules, -Werror on user space, arm64 build
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

.PHONY: all deps modules btf vmlinux bpf bench bench-tools bench-run unit test demo check clean \
	kernel-debug modules-debug fuzz

ifeq ($(KERNEL),debug)
# tools/vm/run and tests/run boot the debug kernel
export VM_KERNEL := debug
endif

all: modules bpf bench-tools

deps:
	@tools/deps.sh

$(VMLINUX): tools/extract-vmlinux
	@mkdir -p $(BUILD)
	tools/extract-vmlinux /boot/vmlinuz-$(KVER) $@

vmlinux: $(VMLINUX)

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

demo: deps
	@$(MAKE) --no-print-directory all
	@tools/vm/run --timeout 300 -- tools/demo

bench-run: deps
	@$(MAKE) --no-print-directory all
	@tools/vm/run --timeout 1800 -- bench/run

check: deps $(VMLINUX)
	@tools/check

clean:
	@for dir in $(MODULE_DIRS); do \
		[ -f $$dir/Kbuild ] && $(MAKE) -C $(KDIR) M=$(CURDIR)/$$dir clean; \
	done; true
	@[ -f bpf/Makefile ] && $(MAKE) -C bpf OUTPUT=$(BUILD) clean; true
	@[ -f bench/Makefile ] && $(MAKE) -C bench OUTPUT=$(BUILD) clean; true
	rm -rf $(BUILD)
