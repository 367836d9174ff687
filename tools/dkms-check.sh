#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tools/dkms-check.sh (make check): dkms.conf does what a phone needs.
#
# In a scratch DKMS of its own under OUTDIR (--dkmstree, --sourcetree,
# --installtree; the module signing key DKMS makes lives there too), with
# the sources staged as a release tarball would hold them:
#  1. dkms add, then dkms build for the guest kernel (tools/kver, its
#     headers in /usr/src/linux-headers-KVER) must refuse it with status 77:
#     that kernel lacks QCOM_SMEM_STATE and QCOM_BAM_DMA, so it cannot
#     drive the hardware (dkms.conf's BUILD_EXCLUSIVE_CONFIG);
#  2. with that one requirement relaxed (--directive), dkms install
#     builds and installs bam_dmux.ko, and only it, for that kernel, with
#     BTF (tools/dkms-btf.sh, against build/vmlinux: make check makes it);
#  3. dkms remove takes it away again.
# The machine's own /var/lib/dkms is checked to be untouched, and /usr/src
# and /lib/modules to have gained nothing of ours.
# usage: tools/dkms-check.sh [OUTDIR]   (default build/dkms; needs make deps)
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/build/dkms}
kver=${KVER:-$("$repo/tools/kver")} || exit 1
kdir=${KDIR:-/usr/src/linux-headers-$kver}

die()
{
	echo "dkms-check: $*" >&2
	exit 1
}

command -v dkms >/dev/null || die "dkms missing (make deps)"
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"$/\1/p' "$repo/dkms.conf")
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$repo/dkms.conf")
if [ -z "$name" ] || [ -z "$version" ]; then
	die "no PACKAGE_NAME or PACKAGE_VERSION in dkms.conf"
fi
# the guest kernel cannot drive the hardware: all but the Qualcomm options
relaxed=$(sed -n 's/^BUILD_EXCLUSIVE_CONFIG="\(.*\)"$/\1/p' "$repo/dkms.conf" |
	tr ' ' '\n' | grep -v -e QCOM_SMEM_STATE -e QCOM_BAM_DMA | tr '\n' ' ')

# what the machine's own DKMS has, and where a stray add or install of ours
# would land, to compare afterwards
machine_state()
{
	{
		find /var/lib/dkms
		find /usr/src -maxdepth 1 -name "$name-*"
		find /lib/modules -path "*/updates/dkms/bam_dmux.ko*"
	} 2>/dev/null | sort
}
before=$(machine_state)

rm -rf "$out"
mkdir -p "$out/tree" "$out/src" "$out/install/$kver" "$out/keys"
# a clean copy: dkms add copies everything it is given
"$repo/tools/copy-sources" "$out/stage" dkms.conf driver tools/dkms-btf.sh ||
	die "staging the sources failed"

# DKMS reads its signing key's location from the environment as well
export mok_signing_key=$out/keys/mok.key mok_certificate=$out/keys/mok.pub
trees=(--dkmstree "$out/tree" --sourcetree "$out/src" --installtree "$out/install")
kernel=(-k "$kver" --kernelsourcedir "$kdir")

run()
{
	echo "+ dkms $*" >> "$out/dkms.log"
	dkms "$@" >> "$out/dkms.log" 2>&1
}

run add "${trees[@]}" "$out/stage" || { cat "$out/dkms.log"; die "dkms add failed"; }

run build "${trees[@]}" "$name/$version" "${kernel[@]}"
rc=$?
[ $rc -eq 77 ] || { cat "$out/dkms.log"; die "dkms build for $kver: status $rc, not 77 (excluded: no QCOM_SMEM_STATE)"; }

# the guest kernel is not the running one: its BTF is build/vmlinux's
BTF_BASE=${BTF_BASE:-$repo/build/vmlinux} run install "${trees[@]}" "$name/$version" "${kernel[@]}" --no-depmod \
	--directive "BUILD_EXCLUSIVE_CONFIG=$relaxed" ||
	{ cat "$out/dkms.log"; die "dkms install failed"; }
installed=$(cd "$out/install" && find . -type f | sed 's|^\./||' | sort)
[ "$installed" = "$kver/updates/dkms/bam_dmux.ko" ] ||
	{ cat "$out/dkms.log"; die "dkms installed '$installed', not $kver/updates/dkms/bam_dmux.ko alone"; }
modinfo -F vermagic "$out/install/$installed" | grep -q "^$kver " ||
	die "$installed was not built for $kver"
readelf -S "$out/install/$installed" | grep -q '\.BTF' ||
	{ cat "$out/dkms.log"; die "$installed has no BTF"; }
echo "dkms-check: $name/$version: excluded from $kver as it should be; relaxed, built and installed $installed"

run remove "${trees[@]}" "$name/$version" --all --no-depmod ||
	{ cat "$out/dkms.log"; die "dkms remove failed"; }
[ -z "$(find "$out/install" -type f)" ] || die "dkms remove left $(find "$out/install" -type f)"

[ "$(machine_state)" = "$before" ] ||
	die "the machine's DKMS, /usr/src or /lib/modules changed: $(diff <(echo "$before") <(machine_state))"
exit 0
