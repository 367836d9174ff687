#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tools/dt-check.sh (make check): the device-tree binding of the driver.
#
#  1. dt-doc-validate: Documentation/devicetree/bindings/net/qcom,bam-dmux.yaml
#     is a valid binding (dt-schema's meta-schemas);
#  2. the binding's own example and tests/dt/bam-dmux.dts (the node with its
#     providers) go through cpp (dt-bindings headers from the kernel
#     headers) and dtc without a warning, and dt-validate finds nothing
#     wrong with them against the binding;
#  3. tests/dt/bam-dmux.dts with one required property removed, or with
#     the names of a pair swapped, is refused.
#
# Offline: dt-schema ships its meta-schemas and core schemas and resolves
# the http://devicetree.org/ URLs to them; nothing is fetched.
# usage: tools/dt-check.sh [OUTDIR]   (default build/dt; needs make deps)
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/build/dt}
bindings=$repo/Documentation/devicetree/bindings
binding=$bindings/net/qcom,bam-dmux.yaml
kver=${KVER:-$("$repo/tools/kver")} || exit 1
kdir=${KDIR:-/usr/src/linux-headers-$kver}
status=0

fail()
{
	echo "dt-check: $*" >&2
	status=1
}

for cmd in dt-doc-validate dt-mk-schema dt-validate dt-extract-example dtc cpp; do
	command -v "$cmd" >/dev/null || { echo "dt-check: $cmd missing (make deps)" >&2; exit 1; }
done
rm -rf "$out"
mkdir -p "$out"

# Debian's arch headers include the common ones, which hold dt-bindings/
common=$(sed -n 's|^include \(.*\)/Makefile$|\1|p' "$kdir/Makefile" 2>/dev/null)
[ -d "${common:-$kdir}/include/dt-bindings" ] ||
	{ echo "dt-check: no include/dt-bindings under $kdir" >&2; exit 1; }

# quiet: prints nothing and succeeds only when CMD printed nothing and succeeded
quiet()
{
	local log=$out/cmd.log

	"$@" > "$log" 2>&1
	local rc=$?
	if [ $rc -ne 0 ] || [ -s "$log" ]; then
		cat "$log" >&2
		return 1
	fi
}

# dtb NAME [DTC-OPTION...] < DTS: preprocess and compile to $out/NAME.dtb
dtb()
{
	local name=$1

	shift
	cpp -nostdinc -undef -P -x assembler-with-cpp -D__DTS__ \
		-I "$kdir/include" -I "${common:-$kdir}/include" - -o "$out/$name.dts" &&
		quiet dtc "$@" -I dts -O dtb -o "$out/$name.dtb" "$out/$name.dts"
}

quiet dt-doc-validate -u "$bindings" "$binding" || fail "dt-doc-validate refused the binding"

dt-mk-schema -j "$bindings" > "$out/schema.json" 2> "$out/mk-schema.log" ||
	{ cat "$out/mk-schema.log" >&2; echo "dt-check: dt-mk-schema failed" >&2; exit 1; }

# the wrapper dt-extract-example puts around the example has #address-cells
# and #size-cells for nodes with reg, which this example has none of
dt-extract-example "$binding" | dtb example -Wno-avoid_unnecessary_addr_size || fail "the binding's example does not compile"
dtb bam-dmux < "$repo/tests/dt/bam-dmux.dts" || fail "tests/dt/bam-dmux.dts does not compile"
for name in example bam-dmux; do
	[ -f "$out/$name.dtb" ] || continue
	# dt-validate exits 0 whatever it finds: anything it prints is a finding
	quiet dt-validate -s "$out/schema.json" "$out/$name.dtb" ||
		fail "$name.dtb does not match the binding"
done

# what the binding must refuse: each required property missing, a pair's
# names swapped, a property it does not know. (Too many or too few
# qcom,smem-states entries it cannot see: dt-validate splits a phandle
# array by the binding's item count when the provider's cell count has no
# schema here.)
broken=(
	's/^\s*compatible = "qcom,bam-dmux";//'
	's/^\s*dmas = .*//'
	's/^\s*dma-names = .*//'
	's/^\s*interrupts = <1 .*//'
	's/^\s*interrupt-names = .*//'
	's/^\s*qcom,smem-states = .*//'
	's/^\s*qcom,smem-state-names = .*//'
	's/dma-names = "tx", "rx"/dma-names = "rx", "tx"/'
	's/interrupt-names = "pc", "pc-ack"/interrupt-names = "pc-ack", "pc"/'
	's/qcom,smem-state-names = "pc", "pc-ack"/qcom,smem-state-names = "pc-ack", "pc"/'
	's/^\(\s*\)qcom,smem-state-names = \(.*\)/&\n\1qcom,powered-remotely;/'
)
for edit in "${broken[@]}"; do
	sed "$edit" "$repo/tests/dt/bam-dmux.dts" > "$out/broken.src"
	if cmp -s "$out/broken.src" "$repo/tests/dt/bam-dmux.dts"; then
		fail "edit '$edit' changed nothing in tests/dt/bam-dmux.dts"
		continue
	fi
	# the compatible gone, no schema applies: the node must then match none
	if [[ "$edit" == *compatible* ]]; then
		dtb broken < "$out/broken.src" || { fail "edit '$edit' does not compile"; continue; }
		dt-validate -M -s "$out/schema.json" "$out/broken.dtb" 2>&1 |
			grep -q 'qcom,bam-dmux.yaml' && fail "a node without the compatible matched the binding"
		continue
	fi
	dtb broken < "$out/broken.src" 2>/dev/null || { fail "edit '$edit' does not compile"; continue; }
	dt-validate -s "$out/schema.json" "$out/broken.dtb" > "$out/broken.log" 2>&1
	grep -q 'qcom,bam-dmux.yaml' "$out/broken.log" ||
		fail "the binding accepted tests/dt/bam-dmux.dts edited by '$edit'"
done

[ $status -eq 0 ] && echo "dt-check: binding valid; its example and tests/dt/bam-dmux.dts match it; ${#broken[@]} broken variants refused"
exit $status
