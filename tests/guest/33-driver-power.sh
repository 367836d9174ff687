#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Driver: runtime PM with 1 s autosuspend, the vote
# handshake, TX deferred while suspended, the wake tracepoint, a modem that
# does not ack (timeout counted, next send works), a wake that times out
# while the modem is crashed (runtime PM stays usable), the modem powering down
# when idle and a modem-initiated wake-up.
source "$(dirname "$0")/lib.sh"

cleanup() { dmux_cleanup; }

W=
NS=
SIM=

test_autosuspend()
{
	RET=0
	local t0 t1

	dmux_noipv6
	dmux_load
	check_err $? "loading failed"
	dmux_link 0
	check_err $? "link failed"
	W=$(dmux_wwan 0)
	NS=$(dmux_ns 0)
	SIM=$(sim_debugfs)
	t0=$(date +%s%N)
	ping -c 1 -W 2 10.0.0.2 >/dev/null
	wait_for 10 dmux_suspended
	check_err $? "not suspended 10 s after the last packet"
	t1=$(date +%s%N)
	[ $(((t1 - t0) / 1000000)) -ge 900 ]
	check_err $? "suspended after $(((t1 - t0) / 1000000)) ms, before the 1 s autosuspend delay"
	grep -q '^host_vote 0' "$SIM/stats"
	check_err $? "the modem still sees our vote up"
	[ "$(cat /sys/bus/platform/devices/bam-dmux.0/power/autosuspend_delay_ms)" = 1000 ]
	check_err $? "autosuspend delay is not 1000 ms"
	log_test "driver: runtime suspend (vote down) 1 s after the last packet"
}

# Note: every ethtool call resumes the device (the ethtool core takes a
# runtime PM reference on the parent), so power events are counted here from
# the trace, and ethtool -S is read only where that wake-up does not matter.
test_wake()
{
	RET=0
	local deferred

	deferred=$(dmux_estat "$W" tx_deferred)
	wait_for 10 dmux_suspended
	dmux_trace_on bam_dmux_wake bam_dmux_pc_vote bam_dmux_pc_ack bam_dmux_tx_defer
	ping -c 1 -W 3 10.0.0.2 >/dev/null
	check_err $? "ping from suspended failed"
	wait_for 10 dmux_suspended
	check_err $? "did not suspend again"
	[ "$(dmux_trace_count bam_dmux_wake 'result=0')" -eq 1 ]
	check_err $? "expected one bam_dmux_wake result=0, trace has $(dmux_trace_count bam_dmux_wake)"
	[ "$(dmux_trace_count bam_dmux_pc_vote 'on=1')" -eq 1 ] && [ "$(dmux_trace_count bam_dmux_pc_vote 'on=0')" -eq 1 ]
	check_err $? "expected one vote on and one off in the trace"
	[ "$(dmux_trace_count bam_dmux_pc_ack)" -eq 2 ]
	check_err $? "expected two acks in the trace, got $(dmux_trace_count bam_dmux_pc_ack)"
	[ "$(dmux_trace_count bam_dmux_tx_defer 'ch=0 len=84')" -eq 1 ]
	check_err $? "expected one bam_dmux_tx_defer ch=0 len=84"
	[ $RET -ne 0 ] && sed 's/^/# /' /sys/kernel/tracing/trace | grep -v '^# #'
	[ $(($(dmux_estat "$W" tx_deferred) - deferred)) -eq 1 ]
	check_err $? "tx_deferred +$(($(dmux_estat "$W" tx_deferred) - deferred)), expected +1"
	log_test "driver: a send while suspended is deferred, wakes the link (bam_dmux_wake), counted"
}

test_no_ack()
{
	RET=0
	local timeouts

	wait_for 10 dmux_suspended
	timeouts=$(dmux_estat "$W" pc_timeouts)
	dmux_inject no_ack
	check_err $? "inject no_ack failed"
	# the next vote (whichever way) goes unacked; the one after waits 2 s for it
	ping -c 1 -W 4 10.0.0.2 >/dev/null 2>&1
	wait_for 5 dmux_suspended
	ping -c 1 -W 6 10.0.0.2 >/dev/null 2>&1
	wait_for 8 bash -c "[ \$(ethtool -S $W | awk '\$1 == \"pc_timeouts:\" {print \$2}') -eq $((timeouts + 1)) ]"
	check_err $? "pc_timeouts +$(($(dmux_estat "$W" pc_timeouts) - timeouts)), expected +1"
	ping -c 3 -W 4 10.0.0.2 >/dev/null
	check_err $? "ping after the missing ack failed"
	ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "link not usable after the timeout"
	log_test "driver: a vote the modem ignores times out once (pc_timeouts +1), the next send works"
}

test_wake_timeout()
{
	RET=0
	local timeouts restarts

	timeouts=$(dmux_estat "$W" pc_timeouts)
	restarts=$(dmux_estat "$W" modem_restarts)
	# ethtool resumed the link: wait for it to suspend again
	wait_for 10 dmux_suspended
	check_err $? "not suspended before the crash"
	# a crashed modem acks no vote: the wake this ping asks for times out
	echo 5000 > "$SIM/restart_ms"
	dmux_inject crash
	ping -c 1 -W 4 10.0.0.2 >/dev/null 2>&1
	check_fail $? "a ping went through a crashed modem"
	wait_for 10 grep -q '^crashed 0' "$SIM/stats"
	check_err $? "the modem did not restart"
	echo 500 > "$SIM/restart_ms"
	# the failed wake must not leave runtime PM latched in error
	grep -q '^error' "/sys/bus/platform/devices/bam-dmux.0/power/runtime_status"
	check_fail $? "runtime PM latched the failed wake as an error"
	wait_for 20 ping -c 1 -W 2 10.0.0.2
	check_err $? "no ping once the modem was back"
	[ "$(dmux_estat "$W" pc_timeouts)" -gt "$timeouts" ]
	check_err $? "the failed wake was not counted in pc_timeouts"
	# suspended, the driver learns of the restart from the new OPENs
	[ "$(dmux_estat "$W" modem_restarts)" -eq $((restarts + 1)) ]
	check_err $? "modem_restarts +$(($(dmux_estat "$W" modem_restarts) - restarts)), expected +1"
	log_test "driver: a wake the modem never answers times out, the next send after its restart works"
}

test_open_lost()
{
	RET=0
	local opens

	wait_for 10 dmux_suspended
	check_err $? "not suspended before the test"
	opens=$(dmux_sim_stat host_open)
	dmux_trace_on bam_dmux_wake bam_dmux_channel
	# the wake for this ping goes to a crashed modem and times out 2 s
	# later; the modem is back after 1.5 s and announces its channels, so
	# our OPEN is queued behind the failing wake and dropped with it
	echo 1500 > "$SIM/restart_ms"
	dmux_inject crash
	ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1 &
	wait_for 10 grep -q 'bam_dmux_wake: .* result=-110' /sys/kernel/tracing/trace
	check_err $? "the wake did not time out"
	echo 500 > "$SIM/restart_ms"
	wait
	# the OPEN went out between the modem's announce and the failed wake
	awk '/ch=0 open by host/ { open = 1 } /result=-110/ { print open + 0; exit }' \
		/sys/kernel/tracing/trace | grep -qx 1
	check_err $? "no OPEN was queued behind the failing wake: the test missed its window"
	wait_for 20 ping -c 1 -W 2 10.0.0.2
	check_err $? "no ping: the lost OPEN was not sent again"
	[ "$(dmux_trace_count bam_dmux_channel 'ch=0 open by host')" -eq 2 ]
	check_err $? "expected two OPENs by the host, the lost one and its resend"
	[ "$(dmux_sim_stat host_open)" -eq $((opens + 1)) ]
	check_err $? "the modem saw $(($(dmux_sim_stat host_open) - opens)) OPENs, expected 1"
	log_test "driver: an OPEN dropped with a failed wake is sent again once the link is up"
}

test_modem_idle()
{
	RET=0
	local down up restarts

	down=$(dmux_estat "$W" remote_power_down)
	up=$(dmux_estat "$W" remote_power_up)
	restarts=$(dmux_estat "$W" modem_restarts)
	echo 300 > "$SIM/idle_ms"
	check_err $? "idle_ms write failed"
	# poll the modem, not ethtool: an ethtool call resumes the link
	wait_for 10 grep -q '^pc_line 0' "$SIM/stats"
	check_err $? "the modem did not power down with idle_ms=300"
	[ "$(dmux_estat "$W" remote_power_down)" -gt "$down" ]
	check_err $? "remote_power_down did not move with idle_ms=300"
	ping -c 2 -W 3 10.0.0.2 >/dev/null
	check_err $? "ping with the modem powered down failed"
	[ "$(dmux_estat "$W" remote_power_up)" -gt "$up" ]
	check_err $? "remote_power_up did not move"
	[ "$(dmux_estat "$W" modem_restarts)" -eq "$restarts" ]
	check_err $? "an idle power-down was counted as a restart"
	log_test "driver: the modem powers down when idle; a send powers it up (remote_power_down/up)"
}

test_modem_wake()
{
	RET=0
	local wakeups

	wait_for 10 dmux_suspended
	wait_for 10 grep -q '^pc_line 0' "$SIM/stats"
	check_err $? "the modem did not power down"
	wakeups=$(dmux_sim_stat modem_wakeups)
	dmux_trace_on bam_dmux_pc_remote bam_dmux_rx
	ip netns exec "$NS" ping -c 1 -W 3 10.0.0.1 >/dev/null
	check_err $? "ping from the modem side with its line down failed"
	[ "$(dmux_sim_stat modem_wakeups)" -eq $((wakeups + 1)) ]
	check_err $? "the modem did not wake up on its own"
	[ "$(dmux_trace_count bam_dmux_pc_remote 'on=1')" -eq 1 ]
	check_err $? "no bam_dmux_pc_remote on=1 in the trace"
	[ "$(dmux_trace_count bam_dmux_rx 'ch=0 len=84')" -eq 1 ]
	check_err $? "the echo request was not received (bam_dmux_rx)"
	echo 200 > "$SIM/idle_ms"
	log_test "driver: modem-initiated wake-up brings RX up (ping from the modem side)"
}

require_cmd ethtool ip ping || exit 0
tests_run test_autosuspend test_wake test_no_ack test_wake_timeout test_open_lost \
	test_modem_idle test_modem_wake
exit $EXIT_STATUS
