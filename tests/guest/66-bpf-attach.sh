#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# How the tools attach without module BTF: raw_tp, on the same module with
# its .BTF section removed, counting as exactly as tp_btf does (61-bpf-dmuxtop
# checks tp_btf on the module as built).
source "$(dirname "$0")/lib.sh"

CH=0
COUNT=10
SIZE=64
OUT=/tmp/bpf-attach.$$
NOBTF_KO=/tmp/bam_dmux-nobtf.$$.ko

cleanup()
{
	[ -n "${BPF_PID:-}" ] && kill "$BPF_PID" 2>/dev/null
	bpf_link_down
	dmux_unload
	bpf_no_ipv6_restore
	rm -f "$OUT"* "$NOBTF_KO"
}

# attach_check MODE: dmuxtop attaches with MODE and counts COUNT pings
attach_check()
{
	local mode=$1 wwan n sel

	wwan=$(bpf_link_up $CH)
	check_err $? "link on channel $CH did not come up"
	[ "$RET" -ne 0 ] && return
	bpf_start "$OUT" dmuxtop -j 1
	check_err $? "dmuxtop did not attach: $(head -c 300 "$OUT.err")"
	grep -q "attached with $mode" "$OUT.err"
	check_err $? "dmuxtop: $(grep attached "$OUT.err"), expected $mode"
	bpf_ping_modem $COUNT $SIZE
	check_err $? "ping lost packets"
	sleep 1.2
	bpf_stop
	sel=".channels[] | select(.ch == $CH)"
	n=$(bpf_jsum "$OUT" "$sel | .tx_packets")
	[ "$n" -eq $COUNT ]
	check_err $? "dmuxtop over $mode counted $n TX packets, sent $COUNT"
	bpf_link_down
}

test_raw_tp()
{
	RET=0
	bpf_require_tools dmuxtop || return
	require_cmd jq objcopy || return
	objcopy --remove-section .BTF --remove-section .BTF.base "$DRIVER_KO" "$NOBTF_KO" 2>/dev/null ||
		objcopy --remove-section .BTF "$DRIVER_KO" "$NOBTF_KO"
	check_err $? "objcopy failed"
	bpf_no_ipv6
	insmod "$SIM_KO" && insmod "$NOBTF_KO" && wait_for 10 __dmux_bound 1
	check_err $? "loading the simulator and the driver without BTF failed"
	[ ! -e /sys/kernel/btf/bam_dmux ]
	check_err $? "the stripped module still has BTF"
	[ "$RET" -eq 0 ] && attach_check raw_tp
	dmux_unload
	log_test "bpf attach: raw_tp fallback without module BTF"
}

tests_run test_raw_tp
