#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Driver: a failed RX refill is retried (next poll or the
# retry work), so no ring slot is lost; counted in rx_alloc_fail. Needs the
# simulator's prep_fail_rx injection (descriptor preparation refused).
source "$(dirname "$0")/lib.sh"

cleanup() { dmux_cleanup; }

test_refill_retry()
{
	RET=0
	local w fails

	dmux_noipv6
	dmux_load
	check_err $? "loading failed"
	dmux_link 0
	check_err $? "link failed"
	w=$(dmux_wwan 0)
	if ! dmux_inject "prep_fail_rx 0" 2>/dev/null; then
		log_skip "driver: a failed RX refill is retried, no slot lost" "simulator has no prep_fail_rx injection"
		return
	fi
	fails=$(dmux_estat "$w" rx_alloc_fail)
	# refuse more preparations than one refill makes: the retry work must finish the job
	dmux_inject "prep_fail_rx 20"
	check_err $? "inject prep_fail_rx failed"
	ping -c 10 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "ping while refills failed"
	[ "$(dmux_estat "$w" rx_alloc_fail)" -gt "$fails" ]
	check_err $? "rx_alloc_fail did not move"
	wait_for 3 bash -c "[ \$(awk '\$1 == \"dma_rx_desc_live\" {print \$2}' $(sim_debugfs)/stats) -eq 64 ]"
	check_err $? "$(dmux_sim_stat dma_rx_desc_live) RX buffers posted after the failures, expected all 64"
	log_test "driver: a failed RX refill is retried, no slot lost (rx_alloc_fail)"
}

require_cmd ethtool ip ping || exit 0
tests_run test_refill_retry
exit $EXIT_STATUS
