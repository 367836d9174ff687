#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# After every other script: across the whole run, the driver never used
# the simulated BAM in a way real hardware would not survive. Each unload
# of the driver (dmux_unload) added the modems' totals to the ledger:
# engine use while the BAM had no power, issue_pending on a dead pipe,
# terminate_all of an RX pipe the modem was writing into, a channel
# released with descriptors still committed (bam_dma refuses that).
source "$(dirname "$0")/lib.sh"

test_ledger()
{
	RET=0
	local bad

	# a partial run (tests/guest/run 15 99) may not have loaded the driver
	if [ ! -s "$DMUX_HW_LEDGER" ]; then
		log_skip "driver: no misuse of the simulated BAM (whole run)" "the driver was never unloaded in this run"
		return
	fi
	bad=$(awk '$3 || $4 || $5 || $6 { printf "%s modem%s: access_while_down %s, issue_dead_pipe %s, terminate_while_active %s, free_busy %s; ", $1, $2, $3, $4, $5, $6 }' \
		"$DMUX_HW_LEDGER" 2>/dev/null)
	[ -z "$bad" ]
	check_err $? "$bad"
	echo "# $(wc -l < "$DMUX_HW_LEDGER" 2>/dev/null) driver unloads checked"
	log_test "driver: no engine use without power, no dead pipe issued, no live RX pipe terminated, no busy channel released (whole run)"
}

tests_run test_ledger
