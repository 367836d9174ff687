#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tools/arm64-debs.sh DEST PKG...: fetch Debian arm64 packages and unpack
# them into DEST (a sysroot), without touching the host's dpkg.
#
# apt-get runs with a private state under build/arm64/apt (arm64 package
# lists only; the host's dpkg architectures are not changed), downloads the
# .debs into build/arm64/debs with `apt-get download` and unpacks each with
# `dpkg -x`. A package already downloaded is not fetched again. PKG may
# carry an architecture (linux-headers-X-arm64:arm64); without one it is
# the arm64 package (the lists hold no other architecture).
#
# Used by tools/cross-arm64.sh (kernel headers) and the arm64 build of the
# BPF and bench tools (libc, libbpf, libelf, zlib, cJSON: make ARCH=arm64).
set -eu

[ $# -ge 2 ] || { echo "usage: $0 DEST PKG..." >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/build/arm64
dest=$1
shift

die() { echo "arm64-debs: $*" >&2; exit 1; }

apt_opts=(
	-o "APT::Architecture=arm64"
	-o "APT::Architectures::=arm64"
	-o "Dir::State::Lists=$out/apt/lists"
	-o "Dir::Cache=$out/apt/cache"
	-o "Debug::NoLocking=1"
	-o "APT::Sandbox::User=root"
)
mkdir -p "$out/debs" "$out/apt/lists/partial" "$out/apt/cache/archives/partial" "$dest"

# the .deb of PKG already downloaded, if any
deb_of()
{
	local name=${1%%:*}

	ls "$out/debs/${name}_"*.deb 2>/dev/null | head -n 1
}

missing=()
for pkg in "$@"; do
	[ -n "$(deb_of "$pkg")" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
	if ! ls "$out/apt/lists/"*_Packages >/dev/null 2>&1; then
		echo "arm64-debs: fetching the arm64 package lists into build/arm64/apt"
		apt-get -q "${apt_opts[@]}" update >/dev/null ||
			die "apt-get update (arm64 lists) failed"
	fi
	echo "arm64-debs: downloading ${missing[*]}"
	(cd "$out/debs" && apt-get -q "${apt_opts[@]}" download "${missing[@]}") >/dev/null ||
		die "apt-get download ${missing[*]} failed"
fi
for pkg in "$@"; do
	deb=$(deb_of "$pkg")
	[ -n "$deb" ] || die "no .deb for $pkg"
	dpkg -x "$deb" "$dest"
done
