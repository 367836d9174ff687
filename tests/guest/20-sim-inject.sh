#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# bam_dmux_sim: every fault injection moves the driver's matching ethtool -S
# counter by exactly the injected count, and traffic keeps flowing. The
# faults only an engine that reports residue and results can show (a
# short frame, padding beyond the bytes moved, a TX DMA error) run with
# residue=exact; bam_dma, and the simulator by default, report neither.
source "$(dirname "$0")/lib.sh"

cleanup() { sim_cleanup; }

WWAN=
RX_ERRS="rx_bad_magic rx_bad_cmd rx_bad_channel rx_oversize rx_short rx_bad_pad rx_inactive_channel"

setup()
{
	dmux_load || return 1
	sim_link 0 0 || return 1
	WWAN=$(sim_wwan 0 0)
}

# inject_check FAULT COUNT COUNTER: inject, expect COUNTER += COUNT exactly
inject_check()
{
	local fault=$1 count=$2 counter=$3 c0 i0 c

	RET=0
	if [ -z "$WWAN" ]; then
		RET=1; RETMSG="no link"
		log_test "sim: inject $fault moves $counter by $count"
		return
	fi
	c0=$(sim_estat "$WWAN" "$counter")
	check_err $? "no ethtool counter $counter"
	i0=$(sim_stat "inject_$fault")
	sim_inject "$fault $count"
	check_err $? "inject $fault $count failed"
	wait_for 10 sim_estat_is "$WWAN" "$counter" $((c0 + count))
	c=$(sim_estat "$WWAN" "$counter")
	[ "$c" -eq $((c0 + count)) ]
	check_err $? "$counter moved by $((c - c0)), expected $count"
	sleep 0.3
	[ "$(sim_estat "$WWAN" "$counter")" -eq $((c0 + count)) ]
	check_err $? "$counter kept moving"
	[ "$(sim_stat "inject_$fault")" -eq $((i0 + count)) ]
	check_err $? "the simulator did not count inject_$fault"
	sim_ping 0 0 2
	check_err $? "no traffic after the injection"
	log_test "sim: inject $fault moves $counter by $count, traffic flows"
}

test_bad_magic()   { inject_check bad_magic 3 rx_bad_magic; }
test_bad_cmd()     { inject_check bad_cmd 2 rx_bad_cmd; }
test_bad_channel() { inject_check bad_channel 2 rx_bad_channel; }
test_oversize()    { inject_check oversize 2 rx_oversize; }
residue() { echo "$1" > "$(sim_debugfs 0)/residue"; }

test_short()       { residue exact; inject_check short 2 rx_short; residue none; }
test_bad_pad()     { residue exact; inject_check bad_pad 2 rx_bad_pad; residue none; }
test_unopened()    { inject_check unopened 2 rx_inactive_channel; }

test_dma_error_rx()
{
	RET=0
	local c0 e0

	c0=$(sim_estat "$WWAN" rx_dma_error)
	e0=$(sim_stat rx_dma_error)
	sim_inject "dma_error_rx 2"
	# the next RX completions fail; the frames stay queued and follow
	sim_ping 0 0 3
	check_err $? "no traffic around the RX DMA errors"
	wait_for 5 sim_estat_is "$WWAN" rx_dma_error $((c0 + 2))
	check_err $? "rx_dma_error moved by $(($(sim_estat "$WWAN" rx_dma_error) - c0)), expected 2"
	[ "$(sim_stat rx_dma_error)" -eq $((e0 + 2)) ]
	check_err $? "the simulator did not count 2 RX DMA errors"
	log_test "sim: inject dma_error_rx fails RX completions, rx_dma_error counts them"
}

test_dma_error_tx()
{
	RET=0
	local c0

	residue exact
	c0=$(sim_estat "$WWAN" tx_dma_error)
	sim_inject "dma_error_tx 1"
	ping -q -c 3 -i 0.3 -W 2 10.0.0.2 >/dev/null 2>&1
	wait_for 5 sim_estat_is "$WWAN" tx_dma_error $((c0 + 1))
	check_err $? "tx_dma_error moved by $(($(sim_estat "$WWAN" tx_dma_error) - c0)), expected 1"
	sim_ping 0 0 2
	check_err $? "no traffic after the TX DMA error"
	residue none
	log_test "sim: inject dma_error_tx fails one TX completion, tx_dma_error counts it (residue=exact)"
}

test_dma_error_any()
{
	RET=0
	local s0 s

	residue exact
	s0=$(sim_estat_sum "$WWAN" rx_dma_error tx_dma_error)
	sim_inject "dma_error 1"
	ping -q -c 3 -i 0.3 -W 2 10.0.0.2 >/dev/null 2>&1
	sleep 0.5
	s=$(sim_estat_sum "$WWAN" rx_dma_error tx_dma_error)
	[ "$s" -eq $((s0 + 1)) ]
	check_err $? "rx_dma_error + tx_dma_error moved by $((s - s0)), expected 1"
	sim_ping 0 0 2
	check_err $? "no traffic after the DMA error"
	residue none
	log_test "sim: inject dma_error fails the next completion either way (residue=exact)"
}

rx_errs_ge()
{
	[ "$(sim_estat_sum "$WWAN" $RX_ERRS)" -ge "$1" ]
}

test_garbage()
{
	RET=0
	local s0 s

	s0=$(sim_estat_sum "$WWAN" $RX_ERRS)
	sim_inject "garbage 20"
	wait_for 10 rx_errs_ge $((s0 + 20))
	sleep 0.3
	s=$(sim_estat_sum "$WWAN" $RX_ERRS)
	[ "$s" -eq $((s0 + 20)) ]
	check_err $? "the driver's RX error counters moved by $((s - s0)), expected 20"
	[ "$(sim_stat inject_garbage)" -ge 20 ]
	check_err $? "inject_garbage not counted"
	sim_ping 0 0 2
	check_err $? "no traffic after the garbage"
	log_test "sim: inject garbage 20: 20 frames refused by the driver, traffic flows"
}

if setup; then :; else WWAN=; fi
tests_run test_bad_magic test_bad_cmd test_bad_channel test_oversize \
	test_short test_bad_pad test_unopened test_dma_error_rx \
	test_dma_error_tx test_dma_error_any test_garbage
