#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# bam_dmux_sim: the simulated BAM rejects what fails on the hardware. A DMA
# client that is not the driver (tests/modules/dmaclient) takes the
# simulator's channels and misuses them; the simulator must count each
# misuse and let no descriptor complete on a pipe the hardware would have
# lost. The bam_dmux driver is not loaded: no host runs the power-control
# handshake, so the modem's BAM loses its power as its line falls.
source "$(dirname "$0")/lib.sh"

DMACLIENT_KO=$MODULES_ROOT/tests/modules/dmaclient/dmux_dmaclient.ko
DC=/sys/kernel/debug/dmux_dmaclient

cleanup()
{
	rmmod dmux_dmaclient 2>/dev/null
	sim_cleanup
}

# dc ACTION [VALUE]: request, release, terminate, or post N
dc()
{
	echo "${2:-1}" > "$DC/$1"
}

# dc_read NAME: posted or completed
dc_read()
{
	cat "$DC/$1"
}

dc_completed_is()
{
	[ "$(dc_read completed)" = "$1" ]
}

# delta NAME OLD: how far sim stat NAME moved since OLD
delta()
{
	echo $(($(sim_stat "$1") - $2))
}

# A pipe that must not complete: give a wrong simulator the time to.
settle()
{
	sleep 1
}

# wait_restart R0: the crashed modem rebooted (restarts > R0, line up)
wait_restart()
{
	wait_for 15 sim_stat_is restarts $(($1 + 1)) &&
		wait_for 5 sim_stat_is pc_line 1
}

test_live_pipe()
{
	RET=0
	local c0 p0 d0

	rmmod dmux_dmaclient 2>/dev/null
	dmux_unload
	check_err $? "bam_dmux or bam_dmux_sim could not be unloaded"
	insmod "$SIM_KO" channels=0x1
	check_err $? "loading the simulator failed"
	insmod "$DMACLIENT_KO"
	check_err $? "loading dmux_dmaclient failed"
	[ ! -e /sys/bus/platform/devices/bam-dmux.0/driver ]
	check_err $? "a driver is bound to bam-dmux.0"
	# no idle power-down: without a host it would never come back up
	sim_knob idle_ms 0
	dc request
	check_err $? "dma_request_channel found no simulator channel"
	! dc request 2>/dev/null
	check_err $? "a second request succeeded"
	[ "$(sim_stat dma_bam_resets)" = 1 ]
	check_err $? "dma_bam_resets is $(sim_stat dma_bam_resets) after the first request, expected 1"
	c0=$(dc_read completed)
	p0=$(dc_read posted)
	d0=$(sim_stat dma_rx_desc_done)
	dc post 4
	check_err $? "post 4 failed"
	[ "$(dc_read posted)" = $((p0 + 4)) ]
	check_err $? "posted moved by $(($(dc_read posted) - p0)), expected 4"
	sim_inject "bad_magic 2"
	check_err $? "inject bad_magic failed"
	wait_for 10 dc_completed_is $((c0 + 2))
	check_err $? "completed moved by $(($(dc_read completed) - c0)), expected 2"
	[ "$(delta dma_rx_desc_done "$d0")" = 2 ] &&
		[ "$(sim_stat dma_rx_desc_live)" = 2 ]
	check_err $? "dma_rx_desc_done moved by $(delta dma_rx_desc_done "$d0") with $(sim_stat dma_rx_desc_live) live, expected 2 and 2"
	[ "$(sim_stat dma_access_while_down)" = 0 ] &&
		[ "$(sim_stat dma_issue_dead_pipe)" = 0 ] &&
		[ "$(sim_stat dma_terminate_while_active)" = 0 ]
	check_err $? "a correct use of a live pipe was counted as misuse"
	log_test "sim bam: a live pipe completes one frame per posted buffer"
}

test_dead_after_crash()
{
	RET=0
	local c0 r0 i0 pr0 q0 f0 a0

	c0=$(dc_read completed)
	r0=$(sim_stat restarts)
	i0=$(sim_stat dma_rx_issue_dead_pipe)
	pr0=$(sim_stat dma_rx_pipe_resets)
	f0=$(sim_stat rx_frames)
	a0=$(sim_stat dma_access_while_down)
	# with no host, the BAM loses its power as the line falls
	sim_inject crash
	check_err $? "inject crash failed"
	wait_restart "$r0"
	check_err $? "the modem did not restart"
	[ "$(delta dma_rx_pipe_resets "$pr0")" = 1 ]
	check_err $? "dma_rx_pipe_resets moved by $(delta dma_rx_pipe_resets "$pr0"), expected 1"
	dc post 2
	check_err $? "post 2 failed"
	[ "$(delta dma_rx_issue_dead_pipe "$i0")" = 1 ]
	check_err $? "dma_rx_issue_dead_pipe moved by $(delta dma_rx_issue_dead_pipe "$i0"), expected 1"
	q0=$(sim_stat rx_queued)
	sim_inject "bad_magic 2"
	settle
	[ "$(dc_read completed)" = "$c0" ] && [ "$(sim_stat rx_frames)" = "$f0" ]
	check_err $? "a dead pipe completed $(($(dc_read completed) - c0)) buffers"
	[ "$(sim_stat rx_queued)" = $((q0 + 2)) ]
	check_err $? "rx_queued is $(sim_stat rx_queued), expected the 2 frames to wait"
	[ "$(sim_stat dma_access_while_down)" = "$a0" ]
	check_err $? "a post after the power-up was counted as access while down"
	log_test "sim bam: the pipe dies with the BAM's power and stays dead"
}

test_access_while_down()
{
	RET=0
	local r0 a0 ra0 i0

	r0=$(sim_stat restarts)
	a0=$(sim_stat dma_access_while_down)
	ra0=$(sim_stat dma_rx_access_while_down)
	i0=$(sim_stat dma_rx_issue_dead_pipe)
	sim_knob restart_ms 5000
	sim_inject crash
	check_err $? "inject crash failed"
	[ "$(sim_stat crashed)" = 1 ] && [ "$(sim_stat pc_line)" = 0 ]
	check_err $? "the modem is not down after the crash"
	# one buffer: prep, submit and issue_pending each touch the engine
	dc post 1
	check_err $? "post 1 failed"
	[ "$(delta dma_access_while_down "$a0")" = 3 ] &&
		[ "$(delta dma_rx_access_while_down "$ra0")" = 3 ]
	check_err $? "dma_access_while_down moved by $(delta dma_access_while_down "$a0"), expected 3 (prep, submit, issue_pending)"
	[ "$(delta dma_rx_issue_dead_pipe "$i0")" = 1 ]
	check_err $? "dma_rx_issue_dead_pipe moved by $(delta dma_rx_issue_dead_pipe "$i0"), expected 1"
	sim_knob restart_ms 500
	wait_restart "$r0"
	check_err $? "the modem did not restart"
	log_test "sim bam: using the engine while the BAM has no power is counted"
}

test_rerequest()
{
	RET=0
	local c0 b0 fb0 t0

	c0=$(dc_read completed)
	b0=$(sim_stat dma_bam_resets)
	fb0=$(sim_stat dma_rx_free_busy)
	t0=$(sim_stat dma_terminate_while_active)
	dc release
	check_err $? "release failed"
	[ "$(sim_stat dma_rx_desc_live)" = 0 ] && [ "$(sim_stat dma_tx_desc_live)" = 0 ]
	check_err $? "descriptors left after release: rx $(sim_stat dma_rx_desc_live), tx $(sim_stat dma_tx_desc_live)"
	# the last crash lost the frames queued for the host
	[ "$(sim_stat rx_queued)" = 0 ]
	check_err $? "rx_queued is $(sim_stat rx_queued) after the crash, expected 0"
	dc request
	check_err $? "request after the power-up failed"
	[ "$(delta dma_bam_resets "$b0")" = 1 ]
	check_err $? "dma_bam_resets moved by $(delta dma_bam_resets "$b0"), expected 1"
	dc post 2
	check_err $? "post 2 failed"
	sim_inject "bad_magic 2"
	wait_for 10 dc_completed_is $((c0 + 2))
	check_err $? "completed moved by $(($(dc_read completed) - c0)), expected 2"
	[ "$(delta dma_rx_free_busy "$fb0")" = 0 ] &&
		[ "$(delta dma_terminate_while_active "$t0")" = 0 ]
	check_err $? "terminating and releasing a dead pipe was counted as misuse"
	log_test "sim bam: release and request again after the power-up: the pipe works"
}

test_terminate_while_active()
{
	RET=0
	local c0 t0 i0 b0 q0

	c0=$(dc_read completed)
	t0=$(sim_stat dma_terminate_while_active)
	i0=$(sim_stat dma_rx_issue_dead_pipe)
	b0=$(sim_stat dma_bam_resets)
	[ "$(sim_stat pc_line)" = 1 ] && [ "$(sim_stat crashed)" = 0 ]
	check_err $? "the modem is not up"
	dc post 2
	check_err $? "post 2 failed"
	# the modem may write into the pipe: the BAM faults on its reset
	dc terminate
	check_err $? "terminate failed"
	[ "$(delta dma_terminate_while_active "$t0")" = 1 ] &&
		[ "$(sim_stat dma_rx_terminate_while_active)" = "$(sim_stat dma_terminate_while_active)" ]
	check_err $? "dma_terminate_while_active moved by $(delta dma_terminate_while_active "$t0"), expected 1 (rx)"
	[ "$(sim_stat dma_rx_desc_live)" = 0 ]
	check_err $? "dma_rx_desc_live is $(sim_stat dma_rx_desc_live) after terminate, expected 0"
	dc post 2
	check_err $? "post 2 after terminate failed"
	[ "$(delta dma_rx_issue_dead_pipe "$i0")" = 1 ]
	check_err $? "dma_rx_issue_dead_pipe moved by $(delta dma_rx_issue_dead_pipe "$i0"), expected 1"
	q0=$(sim_stat rx_queued)
	sim_inject "bad_magic 2"
	settle
	[ "$(dc_read completed)" = "$c0" ]
	check_err $? "a pipe reset under the modem completed $(($(dc_read completed) - c0)) buffers"
	[ "$(sim_stat rx_queued)" = $((q0 + 2)) ]
	check_err $? "rx_queued is $(sim_stat rx_queued), expected the 2 frames to wait"
	# release and request again: the waiting frames fill the new buffers
	dc release && dc request
	check_err $? "release and request failed"
	[ "$(delta dma_bam_resets "$b0")" = 1 ]
	check_err $? "dma_bam_resets moved by $(delta dma_bam_resets "$b0"), expected 1"
	dc post 2
	check_err $? "post 2 after the new request failed"
	wait_for 10 dc_completed_is $((c0 + 2))
	check_err $? "completed moved by $(($(dc_read completed) - c0)) after the new request, expected 2"
	[ "$(delta dma_terminate_while_active "$t0")" = 1 ]
	check_err $? "terminating and releasing the dead pipe was counted again"
	log_test "sim bam: terminate while the modem may write kills the pipe until requested again"
}

test_locally_powered()
{
	RET=0
	local c0 r0 pr0 o0 a0

	sim_knob bam_powered_remotely 0
	check_err $? "writing bam_powered_remotely failed"
	c0=$(dc_read completed)
	r0=$(sim_stat restarts)
	pr0=$(sim_stat dma_rx_pipe_resets)
	o0=$(sim_stat bam_power_off)
	a0=$(sim_stat dma_access_while_down)
	dc post 2
	check_err $? "post 2 failed"
	sim_inject crash
	check_err $? "inject crash failed"
	# the BAM keeps its power: touching it while the modem is down is fine
	dc post 1
	check_err $? "post 1 during the crash failed"
	wait_restart "$r0"
	check_err $? "the modem did not restart"
	sim_inject "bad_magic 3"
	wait_for 10 dc_completed_is $((c0 + 3))
	check_err $? "completed moved by $(($(dc_read completed) - c0)) after the restart, expected 3"
	[ "$(delta dma_rx_pipe_resets "$pr0")" = 0 ] &&
		[ "$(delta bam_power_off "$o0")" = 0 ] &&
		[ "$(delta dma_access_while_down "$a0")" = 0 ]
	check_err $? "a locally powered BAM lost its power (pipe_resets +$(delta dma_rx_pipe_resets "$pr0"), bam_power_off +$(delta bam_power_off "$o0"), access_while_down +$(delta dma_access_while_down "$a0"))"
	sim_knob bam_powered_remotely 1
	log_test "sim bam: bam_powered_remotely 0 keeps the pipe alive across a crash"
}

test_residue_knob()
{
	RET=0

	[ "$(sim_knob residue)" = none ]
	check_err $? "residue reads '$(sim_knob residue)' by default, expected none"
	sim_knob residue exact
	check_err $? "writing exact failed"
	[ "$(sim_knob residue)" = exact ]
	check_err $? "residue reads '$(sim_knob residue)' after writing exact"
	sim_knob residue none
	check_err $? "writing none failed"
	[ "$(sim_knob residue)" = none ]
	check_err $? "residue reads '$(sim_knob residue)' after writing none"
	sim_knob residue bogus 2>/dev/null
	check_fail $? "writing bogus succeeded"
	[ "$(sim_knob residue)" = none ]
	check_err $? "residue reads '$(sim_knob residue)' after a refused write"
	log_test "sim bam: residue is none by default, takes exact and none, refuses others"
}

test_unload_clean()
{
	RET=0

	dc release
	check_err $? "release failed"
	[ "$(sim_stat dma_rx_desc_live)" = 0 ] && [ "$(sim_stat dma_tx_desc_live)" = 0 ]
	check_err $? "descriptors left after release: rx $(sim_stat dma_rx_desc_live), tx $(sim_stat dma_tx_desc_live)"
	[ "$(sim_stat dma_rx_free_busy)" = 0 ] && [ "$(sim_stat dma_tx_free_busy)" = 0 ]
	check_err $? "a channel was released busy"
	rmmod dmux_dmaclient
	check_err $? "unloading dmux_dmaclient failed"
	dmux_unload
	check_err $? "unloading the simulator failed"
	log_test "sim bam: the client releases everything, both modules unload"
}

tests_run test_live_pipe test_dead_after_crash test_access_while_down \
	test_rerequest test_terminate_while_active test_locally_powered \
	test_residue_knob test_unload_clean
