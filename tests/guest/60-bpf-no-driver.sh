#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The BPF tools without the driver: one clear line on stderr and a non-zero
# exit; --help and -h work; bad arguments are refused.
source "$(dirname "$0")/lib.sh"

TOOLS="dmuxtop dmuxring dmuxwake dmuxnapi"
OUT=/tmp/bpf-nodrv.$$

cleanup()
{
	rm -f "$OUT"*
}

test_no_driver()
{
	local t rc lines

	RET=0
	bpf_require_tools $TOOLS || return
	dmux_unload
	for t in $TOOLS; do
		timeout 60 "$BPF_BIN/$t" 1 1 >"$OUT" 2>"$OUT.err"
		rc=$?
		[ $rc -ne 0 ] && [ $rc -ne 124 ]
		check_err $? "$t exited $rc without the driver"
		lines=$(wc -l < "$OUT.err")
		[ "$lines" -eq 1 ] && grep -q "bam_dmux" "$OUT.err"
		check_err $? "$t printed $lines lines on stderr: $(head -c 200 "$OUT.err")"
		[ ! -s "$OUT" ]
		check_err $? "$t printed on stdout without the driver"
	done
	log_test "bpf tools: driver not loaded gives one clear line and exit 1"
}

test_help()
{
	local t

	RET=0
	bpf_require_tools $TOOLS || return
	for t in $TOOLS; do
		"$BPF_BIN/$t" --help 2>&1 | grep -q "EXAMPLES"
		check_err $? "$t --help shows no examples"
		"$BPF_BIN/$t" -h 2>&1 | grep -q "USAGE"
		check_err $? "$t -h shows no usage"
		"$BPF_BIN/$t" 1 2 3 >/dev/null 2>&1
		check_fail $? "$t accepted three positional arguments"
		"$BPF_BIN/$t" 0 >/dev/null 2>&1
		check_fail $? "$t accepted interval 0"
	done
	"$BPF_BIN/dmuxtop" -c 8 >/dev/null 2>&1
	check_fail $? "dmuxtop accepted channel 8"
	log_test "bpf tools: --help, -h and argument checks"
}

tests_run test_no_driver test_help
