#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# bam_dmux_sim: two modems side by side, each with its own DMA engine,
# power control, interfaces and knobs.
source "$(dirname "$0")/lib.sh"

cleanup() { sim_cleanup; }

test_two_modems()
{
	RET=0
	local a0 b0

	dmux_load nr_modems=2
	check_err $? "loading two modems failed"
	sim_link 0 0
	check_err $? "no link on modem 0"
	sim_link 0 1
	check_err $? "no link on modem 1 (bdsim1-0)"
	a0=$(sim_stat ch0_tx_frames 0); b0=$(sim_stat ch0_tx_frames 1)
	ping -q -c 3 -i 0.2 -W 2 10.1.0.2 >/dev/null
	check_err $? "ping through modem 1 failed"
	[ "$(sim_stat ch0_tx_frames 1)" -eq $((b0 + 3)) ] &&
		[ "$(sim_stat ch0_tx_frames 0)" -eq "$a0" ]
	check_err $? "modem 1's traffic was counted on the wrong modem"
	sim_ping 0 0 2
	check_err $? "ping through modem 0 failed"
	log_test "sim: two modems carry traffic independently"
}

test_crash_one()
{
	RET=0

	sim_knob restart_ms 5000 1
	sim_inject crash 1
	[ "$(sim_stat crashed 0)" = 0 ] && [ "$(sim_stat crashed 1)" = 1 ]
	check_err $? "the crash did not hit modem 1 alone"
	# modem 0 may have to wake first (idle power-down): it answers anyway
	sim_ping 0 0 2
	check_err $? "modem 0 stopped while modem 1 crashed"
	wait_for 10 sim_stat_is restarts 1 1
	wait_for 30 sim_ping 0 1 1
	check_err $? "modem 1 did not come back"
	log_test "sim: a crash of modem 1 leaves modem 0 running"
}

tests_run test_two_modems test_crash_one
