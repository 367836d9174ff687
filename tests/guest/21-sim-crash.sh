#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# bam_dmux_sim: crash and restart (restart_ms): the driver sees the modem
# go down, keeps its interfaces and carries traffic again once the modem
# has re-announced its channels, with no module reload.
source "$(dirname "$0")/lib.sh"

cleanup() { sim_cleanup; }

WWAN=

test_crash_restart()
{
	RET=0
	local r0 up0

	dmux_load
	check_err $? "loading the modules failed"
	sim_link 0 0
	check_err $? "no link on channel 0"
	WWAN=$(sim_wwan 0 0)
	r0=$(sim_estat "$WWAN" modem_restarts)
	up0=$(sim_stat power_up)
	sim_inject crash
	check_err $? "inject crash failed"
	wait_for 10 sim_stat_is restarts 1
	check_err $? "the modem did not restart"
	# it boots with its line up (it may idle down again at once)
	[ "$(sim_stat crashed)" = 0 ] && [ "$(sim_stat power_up)" -gt "$up0" ]
	check_err $? "the modem did not power up at its restart"
	wait_for 10 sim_estat_is "$WWAN" modem_restarts $((r0 + 1))
	check_err $? "the driver counted $(($(sim_estat "$WWAN" modem_restarts) - r0)) restarts, expected 1"
	wait_for 30 sim_ping 0 0 1
	check_err $? "no traffic after the restart"
	[ "$(sim_wwan 0 0)" = "$WWAN" ]
	check_err $? "the interface changed across the restart"
	log_test "sim: crash, restart after restart_ms, traffic resumes without reload"
}

test_restart_ms()
{
	RET=0

	# a ping of 2 s at most, 1 s into a 5 s restart, cannot see it back
	sim_knob restart_ms 5000
	sim_inject crash
	sleep 1
	[ "$(sim_stat crashed)" = 1 ] && [ "$(sim_stat pc_line)" = 0 ]
	check_err $? "the modem is not down 1 s into a 5 s restart"
	! sim_ping 0 0 1
	check_err $? "traffic flowed through a crashed modem"
	wait_for 10 sim_stat_is crashed 0
	check_err $? "the modem did not restart"
	wait_for 30 sim_ping 0 0 1
	check_err $? "no traffic after the restart"
	sim_knob restart_ms 500
	log_test "sim: restart_ms sets how long the modem stays down"
}

test_crash_under_traffic()
{
	RET=0
	local c0

	require_cmd iperf3 || return
	c0=$(sim_stat crashes)
	sim_iperf_server 0 0
	timeout -k 2 20 iperf3 -c 10.0.0.2 -t 4 >/dev/null 2>&1 &
	local pid=$!
	sleep 1.5
	sim_inject crash
	wait "$pid"
	[ "$(sim_stat crashes)" -eq $((c0 + 1)) ]
	check_err $? "crash not counted"
	sim_iperf_stop
	wait_for 30 sim_ping 0 0 1
	check_err $? "no traffic after a crash under iperf3"
	log_test "sim: crash during iperf3, the link comes back"
}

test_crash_then_unload()
{
	RET=0

	sim_inject crash
	dmux_unload
	check_err $? "unloading a crashed modem failed"
	dmux_load
	check_err $? "loading again failed"
	sim_link 0 0
	check_err $? "no traffic after reloading"
	log_test "sim: unloading during a crash is clean"
}

tests_run test_crash_restart test_restart_ms test_crash_under_traffic \
	test_crash_then_unload
