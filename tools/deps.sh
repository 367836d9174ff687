#!/bin/sh
# Install what building, testing and benchmarking need, and only what is
# missing: on a machine that has it all this prints nothing and returns at
# once. Runs apt-get as root, or through sudo. linux-source-6.1 and the
# kernel build tools (flex, bison, bc, libssl-dev, libelf-dev, dwarves'
# pahole) serve make kernel-debug; clang and libfuzzer-14-dev make fuzz;
# netsniff-ng (trafgen) the bench's small-packet sender; debootstrap
# Debian 13's bpftrace beside Debian 12's (tools/bpftrace-trixie, last).
set -eu

here=$(cd "$(dirname "$0")" && pwd)

packages="linux-image-amd64 linux-headers-amd64 qemu-system-x86 busybox-static
cpio kmod xz-utils dwarves clang llvm libbpf-dev bpftool bpftrace iperf3 ethtool
iproute2 iputils-ping jq libcjson-dev gnuplot-nox libcmocka-dev sparse gcc make pkg-config
gcc-aarch64-linux-gnu dkms device-tree-compiler dt-schema python3-docutils file
linux-source-6.1 flex bison bc libssl-dev libelf-dev libfuzzer-14-dev linux-perf netsniff-ng
debootstrap"

missing=
for pkg in $packages; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $pkg"
done
trixie=
"$here/bpftrace-trixie" --dir >/dev/null || trixie=1
[ -n "$missing$trixie" ] || exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=
elif command -v sudo >/dev/null; then
	sudo=sudo
else
	echo "deps: missing:$missing${trixie:+ (and Debian 13's bpftrace)}; run this as root (no sudo found)" >&2
	exit 1
fi
if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -q
	# shellcheck disable=SC2086
	$sudo apt-get install -y -q --no-install-recommends $missing
fi
# its root goes where this user's cache is, also when sudo runs it
[ -z "$trixie" ] ||
	$sudo env XDG_CACHE_HOME="${XDG_CACHE_HOME:-$HOME/.cache}" "$here/bpftrace-trixie" --build
