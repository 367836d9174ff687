#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# bam_dmux_sim: the modem's side of power control: idle_ms power-down,
# host-initiated and modem-initiated wake-up, wake_delay_us, no_ack.
source "$(dirname "$0")/lib.sh"

cleanup() { sim_cleanup; }

WWAN=

test_idle_power_down()
{
	RET=0
	local rpd0 idle0

	dmux_load
	check_err $? "loading the modules failed"
	sim_link 0 0
	check_err $? "no link on channel 0"
	WWAN=$(sim_wwan 0 0)
	# A new idle power-down, seen in one reading with the host's vote
	# down. Two readings failed in CI on a loaded host: the line was seen
	# down, and the host had voted again before the vote was read.
	rpd0=$(sim_estat "$WWAN" remote_power_down)
	idle0=$(sim_stat idle_power_downs)
	sim_knob idle_ms 300
	wait_for 30 sim_stats_are pc_line=0 host_vote=0
	check_err $? "the modem was not seen powered down with the host's vote down"
	sim_stat_ge idle_power_downs $((idle0 + 1))
	check_err $? "idle_power_downs did not move"
	wait_for 5 sim_estat_gt "$WWAN" remote_power_down "$rpd0"
	check_err $? "the driver did not see the modem's line fall"
	log_test "sim: idle_ms powers the modem down once the host's vote is down"
}

test_host_wake()
{
	RET=0
	local w0 p0 i down

	# ethtool resumes the device (a vote): only the sim's stats while
	# waiting. The counts are taken while the line is seen down on both
	# sides of them: a wake in between (seen once in CI on a loaded host)
	# would already be in them and leave the ping nothing to wake.
	for ((i = 0; i < 5; i++)); do
		wait_for 30 sim_stat_is pc_line 0 || break
		w0=$(sim_stat wakes)
		p0=$(sim_stat power_up)
		down=$(sim_stat pc_line)
		[ "$down" = 0 ] && break
	done
	[ "${down:-1}" = 0 ]
	check_err $? "the modem did not power down"
	sim_ping 0 0 2
	check_err $? "ping from the host did not wake the modem"
	[ "$(sim_stat power_up)" -gt "$p0" ] && [ "$(sim_stat wakes)" -gt "$w0" ]
	check_err $? "no power-up or wake latency recorded"
	[ "$(sim_stat wake_min_us)" -le "$(sim_stat wake_last_us)" ] &&
		[ "$(sim_stat wake_last_us)" -le "$(sim_stat wake_max_us)" ] &&
		[ "$(sim_stat wake_min_us)" -ge 1000 ]
	check_err $? "wake latencies min/last/max are inconsistent"
	log_test "sim: a send from the host wakes a powered-down modem"
}

test_modem_wake()
{
	RET=0
	local mw0 i ok=1

	# a host vote racing with the modem's own wake-up may win: try 3 times
	for ((i = 0; i < 3 && ok; i++)); do
		wait_for 30 sim_stat_is pc_line 0
		check_err $? "the modem did not power down again"
		mw0=$(sim_stat modem_wakeups)
		sim_ping_host 0 0 2
		check_err $? "ping from the modem side did not get through"
		[ "$(sim_stat modem_wakeups)" -eq $((mw0 + 1)) ] && ok=0
	done
	check_err $ok "modem_wakeups did not move by exactly 1 in 3 tries"
	log_test "sim: the modem wakes itself when it has frames for the host"
}

test_wake_delay()
{
	RET=0

	sim_knob wake_delay_us 300000
	wait_for 30 sim_stat_is pc_line 0
	check_err $? "the modem did not power down"
	ping -q -c 1 -W 5 10.0.0.2 >/dev/null
	check_err $? "ping did not wake the modem"
	[ "$(sim_stat wake_last_us)" -ge 300000 ]
	check_err $? "wake took $(sim_stat wake_last_us) us with wake_delay_us 300000"
	sim_knob wake_delay_us 1000
	sim_knob idle_ms 200
	log_test "sim: wake_delay_us delays the modem's ack and power-up"
}

test_no_ack()
{
	RET=0
	local t0 i0

	require_cmd ethtool || return
	t0=$(sim_estat "$WWAN" pc_timeouts)
	i0=$(sim_stat votes_ignored)
	# the next vote the host makes, on or off, is not acked
	sim_inject no_ack
	sim_ping 0 0 1
	wait_for 10 sim_stat_is votes_ignored $((i0 + 1))
	check_err $? "votes_ignored moved by $(($(sim_stat votes_ignored) - i0)), expected 1"
	wait_for 8 sim_estat_gt "$WWAN" pc_timeouts "$t0"
	check_err $? "the driver counted no timeout for the ignored vote"
	wait_for 30 sim_ping 0 0 1
	check_err $? "no traffic after the ignored vote"
	log_test "sim: no_ack ignores one vote, the driver times out and recovers"
}

tests_run test_idle_power_down test_host_wake test_modem_wake test_wake_delay \
	test_no_ack
