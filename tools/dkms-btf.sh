#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# tools/dkms-btf.sh KVER MODULE.ko: run by dkms.conf's MAKE after the build
# (before DKMS strips debug information and signs the module). Gives the
# module BTF, with which the BPF tools attach to the driver's tracepoints
# as tp_btf (without it they fall back to raw tracepoints), where Kbuild
# could not: the kernel's build directory has no vmlinux, as Debian's
# headers and most others have none.
#
# The BTF is encoded against the BTF of the kernel the module is for, so
# only where that is known: BTF_BASE if set, else /sys/kernel/btf/vmlinux
# when KVER is the running kernel. Otherwise (DKMS building for a newly
# installed kernel) the module stays without BTF and this says so: it loads
# and works, and reinstalling it under that kernel adds it (dkms remove
# bam-dmux/VER -k KVER, dkms install bam-dmux/VER). BTF made
# against another kernel's would be refused when the module loads (or the
# load fails, without CONFIG_MODULE_ALLOW_BTF_MISMATCH).
set -eu
kver=$1
ko=$2

readelf -S "$ko" | grep -q '\.BTF' && exit 0
base=${BTF_BASE:-}
if [ -z "$base" ] && [ "$kver" = "$(uname -r)" ] && [ -r /sys/kernel/btf/vmlinux ]; then
	base=/sys/kernel/btf/vmlinux
fi
if [ -z "$base" ]; then
	echo "bam-dmux: $ko has no BTF (not built under $kver): the BPF tools will use raw tracepoints"
	exit 0
fi
if ! command -v pahole >/dev/null; then
	echo "bam-dmux: pahole (dwarves) missing: $ko has no BTF: the BPF tools will use raw tracepoints"
	exit 0
fi
echo "  BTF     $ko (base $base)"
pahole -J --btf_base "$base" "$ko"
