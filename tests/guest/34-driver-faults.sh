#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Driver: every bad frame the modem can send is counted exactly in its
# ethtool -S counter, traced (bam_dmux_rx_drop with its reason), dropped,
# and traffic keeps flowing; DMA errors both ways too.
#
# The simulator reports no residue and no DMA result by default, as
# bam_dma. The checks that need them (a frame shorter than its header
# says, padding beyond the bytes moved, a DMA error reported as such) set
# residue=exact and say so in their names.
source "$(dirname "$0")/lib.sh"

cleanup() { dmux_cleanup; }

W=

BAD_COUNTERS="rx_bad_magic rx_bad_cmd rx_bad_channel rx_oversize rx_short rx_bad_pad rx_inactive_channel rx_dma_error"

sum_bad()
{
	local c s=0

	for c in $BAD_COUNTERS; do
		s=$((s + $(dmux_estat "$W" $c)))
	done
	echo $s
}

# inject_check INJECTION COUNTER REASON COUNT [NOTE]
inject_check()
{
	local inj=$1 counter=$2 reason=$3 n=$4 note=${5:-} before after

	RET=0
	before=$(dmux_estat "$W" "$counter")
	dmux_trace_on bam_dmux_rx_drop
	dmux_inject "$inj $n"
	check_err $? "inject $inj $n failed"
	wait_for 5 bash -c "[ \$(ethtool -S $W | awk '\$1 == \"$counter:\" {print \$2}') -ge $((before + n)) ]"
	sleep 0.2
	after=$(dmux_estat "$W" "$counter")
	[ $((after - before)) -eq "$n" ]
	check_err $? "$counter +$((after - before)), expected +$n"
	[ "$(dmux_trace_count bam_dmux_rx_drop "reason=$reason")" -eq "$n" ]
	check_err $? "expected $n bam_dmux_rx_drop reason=$reason, got $(dmux_trace_count bam_dmux_rx_drop "reason=$reason")"
	ping -c 2 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "ping after $inj failed"
	log_test "driver: inject $inj x$n -> $counter +$n, rx_drop reason=$reason, traffic flows$note"
}

test_setup()
{
	RET=0
	dmux_noipv6
	dmux_load
	check_err $? "loading failed"
	dmux_link 0
	check_err $? "link failed"
	W=$(dmux_wwan 0)
	log_test "driver: faults setup"
}

test_bad_magic() { inject_check bad_magic rx_bad_magic bad_magic 1; }
test_bad_cmd() { inject_check bad_cmd rx_bad_cmd bad_cmd 1; }
test_bad_channel() { inject_check bad_channel rx_bad_channel bad_channel 1; }
test_oversize() { inject_check oversize rx_oversize oversize 1; }
# residue MODE: the simulator's residue knob
residue() { echo "$1" > "$(sim_debugfs 0)/residue"; }

test_short()
{
	residue exact
	inject_check short rx_short short 1 " (residue=exact)"
	residue none
}

test_bad_pad()
{
	residue exact
	inject_check bad_pad rx_bad_pad bad_pad 1 " (residue=exact)"
	residue none
}
test_unopened() { inject_check unopened rx_inactive_channel inactive_channel 1; }
test_many() { inject_check "bad_magic" rx_bad_magic bad_magic 50; }

# rx_dma_error_check MODE: one failed RX transfer under residue=MODE
rx_dma_error_check()
{
	local before

	residue "$1"
	before=$(dmux_estat "$W" rx_dma_error)
	dmux_trace_on bam_dmux_rx_drop
	dmux_inject dma_error_rx
	check_err $? "inject dma_error_rx failed"
	# the next RX completion (the echo reply) carries the error; the
	# modem keeps the frame and sends it again
	ping -c 1 -W 2 10.0.0.2 >/dev/null 2>&1
	check_err $? "the echo reply did not come after the failed transfer"
	[ $(($(dmux_estat "$W" rx_dma_error) - before)) -eq 1 ]
	check_err $? "residue=$1: rx_dma_error +$(($(dmux_estat "$W" rx_dma_error) - before)), expected +1"
	[ "$(dmux_trace_count bam_dmux_rx_drop 'reason=dma_error')" -eq 1 ]
	check_err $? "residue=$1: expected one bam_dmux_rx_drop reason=dma_error"
	ping -c 2 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "ping after an RX DMA error failed"
	residue none
}

test_rx_dma_error()
{
	RET=0

	rx_dma_error_check none
	log_test "driver: an RX transfer that wrote nothing is told by its zeroed header (rx_dma_error), traffic flows"
	rx_dma_error_check exact
	log_test "driver: an RX DMA error reported by the engine is counted (rx_dma_error) (residue=exact)"
}

test_tx_dma_error()
{
	RET=0
	local before errs lost

	# bam_dma tells nobody: the frame is lost, the modem alone counts it
	before=$(dmux_estat "$W" tx_dma_error)
	lost=$(dmux_sim_stat tx_dma_error)
	dmux_inject dma_error_tx
	check_err $? "inject dma_error_tx failed"
	ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1
	check_fail $? "the echo request the modem never got was answered"
	[ $(($(dmux_sim_stat tx_dma_error) - lost)) -eq 1 ] &&
		[ "$(dmux_estat "$W" tx_dma_error)" -eq "$before" ]
	check_err $? "modem tx_dma_error +$(($(dmux_sim_stat tx_dma_error) - lost)) (expected +1), driver +$(($(dmux_estat "$W" tx_dma_error) - before)) (expected +0)"
	ping -c 2 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "ping after a TX DMA error failed"
	log_test "driver: a failed TX transfer bam_dma does not report loses one frame, traffic flows"

	residue exact
	before=$(dmux_estat "$W" tx_dma_error)
	errs=$(dmux_ifstat "$W" tx_errors)
	dmux_inject dma_error_tx
	check_err $? "inject dma_error_tx failed"
	ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1
	[ $(($(dmux_estat "$W" tx_dma_error) - before)) -eq 1 ]
	check_err $? "tx_dma_error +$(($(dmux_estat "$W" tx_dma_error) - before)), expected +1"
	[ $(($(dmux_ifstat "$W" tx_errors) - errs)) -eq 1 ]
	check_err $? "$W tx_errors +$(($(dmux_ifstat "$W" tx_errors) - errs)), expected +1"
	ping -c 2 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "ping after a TX DMA error failed"
	residue none
	log_test "driver: a TX DMA error reported by the engine is counted (tx_dma_error, tx_errors) (residue=exact)"
}

test_garbage()
{
	RET=0
	local before after

	before=$(sum_bad)
	dmux_inject "garbage 200"
	check_err $? "inject garbage failed"
	wait_for 10 bash -c "[ \$(ethtool -S $W | awk '/rx_bad|rx_oversize|rx_short|rx_inactive|rx_dma_error/ {s += \$2} END {print s}') -ge $((before + 200)) ]"
	sleep 0.2
	after=$(sum_bad)
	[ $((after - before)) -eq 200 ]
	check_err $? "bad-frame counters +$((after - before)), expected +200"
	ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "ping after 200 garbage frames failed"
	log_test "driver: 200 frames of random bytes all counted as bad, traffic flows"
}

test_under_traffic()
{
	RET=0
	local rx

	require_cmd iperf3 || return
	ip netns exec "$(dmux_ns 0)" iperf3 -s -D -I /tmp/iperf3-34.pid
	sleep 0.5
	iperf3 -c 10.0.0.2 -t 4 -R >/dev/null &
	local pid=$!
	sleep 1
	for inj in bad_magic bad_cmd bad_channel oversize short bad_pad unopened dma_error_rx "garbage 50"; do
		dmux_inject "$inj"
		sleep 0.2
	done
	wait $pid
	check_err $? "iperf3 failed while faults were injected"
	kill "$(cat /tmp/iperf3-34.pid)" 2>/dev/null
	ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "ping after the faults failed"
	log_test "driver: faults injected during iperf3 -R: traffic keeps flowing"
}

test_payload()
{
	RET=0
	local out

	out=$(dmux_payload_check 0)
	check_err $? "$out"
	log_test "driver: after the faults, payload bytes intact both ways"
}

require_cmd ethtool ip ping || exit 0
tests_run test_setup test_bad_magic test_bad_cmd test_bad_channel test_oversize \
	test_short test_bad_pad test_unopened test_many test_rx_dma_error \
	test_tx_dma_error test_garbage test_under_traffic test_payload
exit $EXIT_STATUS
