#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tools/cross-arm64.sh: cross-compile driver/bam_dmux.ko for arm64, with the
# Qualcomm power-control provider, against Debian's arm64 kernel headers.
#
# usage: tools/cross-arm64.sh [KVER]     (KVER like 6.1.0-56; default from tools/kver)
#
# - downloads linux-headers-KVER-arm64 and linux-headers-KVER-common and
#   unpacks them into build/arm64/root with tools/arm64-debs.sh (a private
#   apt state: the host's dpkg architectures are not touched);
# - points the headers' linux-kbuild symlink at the host's
#   /usr/lib/linux-kbuild-X.Y (the arm64 package's tools are arm64 binaries);
# - builds with ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- W=1 and
#   BAM_DMUX_FORCE_QCOM=1: Debian's arm64 kernel lacks QCOM_SMEM_STATE, so
#   the provider is built against the real prototypes and modpost only warns
#   (KBUILD_MODPOST_WARN=1) about devm_qcom_smem_state_get and
#   qcom_smem_state_update_bits.
# Output: build/arm64/bam_dmux.ko. Needs gcc-aarch64-linux-gnu (make deps).
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/build/arm64
cross=${CROSS_COMPILE:-aarch64-linux-gnu-}

die() { echo "cross-arm64: $*" >&2; exit 1; }

command -v "${cross}gcc" >/dev/null || die "${cross}gcc not found (apt-get install gcc-aarch64-linux-gnu, or make deps)"

if [ $# -ge 1 ]; then
	abi=$1
else
	kver=$("$repo/tools/kver") || die "no amd64 kernel found to take the version from"
	abi=${kver%-amd64}
fi
hdr=linux-headers-$abi-arm64
common=linux-headers-$abi-common
kdir=$out/root/usr/src/$hdr

if [ ! -d "$kdir" ] || [ ! -d "$out/root/usr/src/$common" ]; then
	rm -rf "$out/root"
	"$repo/tools/arm64-debs.sh" "$out/root" "$hdr:arm64" "$common" ||
		die "fetching $hdr and $common failed"
fi
[ -d "$kdir" ] || die "$kdir missing after unpacking"

# the headers' scripts/tools symlink points at /usr/lib/linux-kbuild-X.Y,
# i.e. arm64 binaries when taken from the package: use the host's instead
kbuild_link=$(find "$kdir" "$out/root/usr/src/$common" -maxdepth 1 -type l -lname '*linux-kbuild-*' | head -n 1 || true)
series=$(echo "$abi" | cut -d. -f1,2)
host_kbuild=/usr/lib/linux-kbuild-$series
[ -d "$host_kbuild" ] || die "$host_kbuild missing (apt-get install linux-kbuild-$series)"
for link in $(find "$kdir" "$out/root/usr/src/$common" -maxdepth 2 -type l -lname '*linux-kbuild-*'); do
	target=$(readlink "$link")
	ln -sfn "$host_kbuild/${target##*linux-kbuild-$series/}" "$link"
done
[ -n "$kbuild_link" ] || echo "cross-arm64: note: no linux-kbuild symlink found in the headers" >&2
# the arm64 headers refer to the common ones through a relative path
[ -e "$kdir/Makefile" ] || die "$kdir/Makefile missing"

# build in a copy so that the amd64 objects in driver/ stay untouched
src=$out/src
rm -rf "$src"
mkdir -p "$src"
cp "$repo"/driver/Kbuild "$repo"/driver/*.c "$repo"/driver/*.h "$src/"

make -C "$kdir" M="$src" ARCH=arm64 CROSS_COMPILE="$cross" \
	BAM_DMUX_FORCE_QCOM=1 KBUILD_MODPOST_WARN=1 W=1 modules
cp "$src/bam_dmux.ko" "$out/bam_dmux.ko"
file "$out/bam_dmux.ko" 2>/dev/null || true
echo "cross-arm64: built $out/bam_dmux.ko (arm64, Qualcomm provider)"
