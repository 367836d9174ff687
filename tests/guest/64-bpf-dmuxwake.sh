#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dmuxwake: after each idle autosuspend a ping from the host wakes the
# modem; dmuxwake must report exactly one wake per suspend, each at least
# the simulator's wake_delay_us, no timeouts, as many as ethtool -S
# pc_wakeups counts. (ethtool itself resumes the device, as the ethtool
# core does for a runtime-PM parent: its counters are read while the tool
# is not running, each read from suspended counting its own wake.)
source "$(dirname "$0")/lib.sh"

CH=0
CYCLES=2
DELAY_US=20000
OUT=/tmp/dmuxwake.$$

cleanup()
{
	[ -n "${BPF_PID:-}" ] && kill "$BPF_PID" 2>/dev/null
	bpf_link_down
	dmux_unload
	bpf_no_ipv6_restore
	rm -f "$OUT"*
}

test_dmuxwake()
{
	local wwan w0 w1 n i

	RET=0
	bpf_require_tools dmuxwake || return
	require_cmd jq ethtool || return
	if ! bpf_setup $CH; then
		log_test "dmuxwake: one wake per idle suspend, each >= wake_delay_us"
		return
	fi
	wwan=$BPF_WWAN
	echo $DELAY_US > "$(sim_debugfs)/wake_delay_us"
	check_err $? "cannot set wake_delay_us"

	wait_for 10 dmux_suspended
	w0=$(bpf_ethtool_stat "$wwan" pc_wakeups)
	bpf_start "$OUT" dmuxwake -j 1
	check_err $? "dmuxwake did not attach: $(head -c 300 "$OUT.err")"
	for ((i = 0; i < CYCLES; i++)); do
		wait_for 10 dmux_suspended
		check_err $? "bam-dmux.0 did not autosuspend (runtime_status $(dmux_runtime_status))"
		ping -q -c 1 -W 5 "$BPF_MODEM_IP" >/dev/null
		check_err $? "ping after suspend $i failed"
	done
	sleep 1.2
	bpf_stop
	check_err $? "dmuxwake did not exit 0 on SIGINT"
	wait_for 10 dmux_suspended
	# this read resumes the device once more
	w1=$(( $(bpf_ethtool_stat "$wwan" pc_wakeups) - 1 ))

	sel='.devices[] | select(.dev == "bam-dmux.0")'
	n=$(bpf_jsum "$OUT" "$sel | .wakes")
	[ "$n" -eq $CYCLES ] && [ "$n" -eq $((w1 - w0)) ]
	check_err $? "dmuxwake wakes $n, suspends $CYCLES, ethtool pc_wakeups delta $((w1 - w0))"
	n=$(bpf_jsum "$OUT" "$sel | .timeouts + .errors")
	[ "$n" -eq 0 ]
	check_err $? "dmuxwake counted $n timeouts or errors"
	n=$(jq -s "[.[] | $sel | select(.wakes > 0) | .wake_min_us] | min" "$OUT")
	jq -en "$n >= $DELAY_US" >/dev/null
	check_err $? "fastest wake $n us, below wake_delay_us $DELAY_US"
	n=$(bpf_jsum "$OUT" "$sel | .wake_hist[] | .count")
	[ "$n" -eq $CYCLES ]
	check_err $? "wake histogram holds $n wakes"
	n=$(jq -s "[.[] | $sel | .wake_hist[] | select(.count > 0) | .high] | min" "$OUT")
	[ "$n" -ge $DELAY_US ]
	check_err $? "a wake in a histogram slot ending at $n us"
	# the extremes of an interval are latencies seen, around the average
	n=$(jq -s "[.[] | $sel | select(.wake_min_us != null) |
		select(.wake_min_us > .wake_avg_us or .wake_avg_us > .wake_max_us or
		       .wake_max_us > 10000000)] | length" "$OUT")
	[ "$n" -eq 0 ]
	check_err $? "$n intervals with min/avg/max out of order or above 10 s"
	log_test "dmuxwake: one wake per idle suspend, each >= wake_delay_us"
}

# awake for a frame to go out (it then stays up for the 1 s autosuspend
# delay, long enough for wait_for to see it)
awake()
{
	[ "$(dmux_runtime_status)" = active ]
}

# a command frame sent from suspended (the OPEN and the CLOSE of another
# channel brought up and down, no data) is a deferral that the frame's
# completion ends: no DATA frame follows to end it
test_dmuxwake_command_deferral()
{
	local other n

	RET=0
	bpf_require_tools dmuxwake || return
	require_cmd jq || return
	other=$(bpf_wwan $((CH + 1)))
	check_err $? "no interface for channel $((CH + 1))"
	wait_for 10 dmux_suspended
	check_err $? "bam-dmux.0 did not autosuspend"
	if [ "$RET" -ne 0 ]; then
		log_test "dmuxwake: a deferred OPEN or CLOSE ends its deferral"
		return
	fi
	bpf_start "$OUT.cmd" dmuxwake -j 1
	check_err $? "dmuxwake did not attach: $(head -c 300 "$OUT.cmd.err")"
	wait_for 10 dmux_suspended
	ip link set "$other" up
	check_err $? "cannot bring $other up"
	wait_for 10 awake
	check_err $? "the OPEN did not wake bam-dmux.0"
	wait_for 10 dmux_suspended
	check_err $? "bam-dmux.0 did not autosuspend after the OPEN"
	ip link set "$other" down
	wait_for 10 awake
	check_err $? "the CLOSE did not wake bam-dmux.0"
	wait_for 10 dmux_suspended
	check_err $? "bam-dmux.0 did not autosuspend after the CLOSE"
	bpf_stop
	check_err $? "dmuxwake did not exit 0 on SIGINT"

	sel='.devices[] | select(.dev == "bam-dmux.0")'
	n=$(bpf_jsum "$OUT.cmd" "$sel | .deferred")
	[ "$n" -eq 2 ]
	check_err $? "dmuxwake deferred $n frames, expected 2 (OPEN and CLOSE)"
	n=$(bpf_jsum "$OUT.cmd" "$sel | .defer_waits")
	[ "$n" -eq 2 ]
	check_err $? "dmuxwake ended $n deferrals, expected 2"
	log_test "dmuxwake: a deferred OPEN or CLOSE ends its deferral"
}

tests_run test_dmuxwake test_dmuxwake_command_deferral
