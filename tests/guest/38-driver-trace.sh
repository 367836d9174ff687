#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Driver: every bam_dmux tracepoint fires with its documented meaning and
# records the device name (tracefs).
source "$(dirname "$0")/lib.sh"

cleanup() { dmux_cleanup; }

W=
SIM=
T=/sys/kernel/tracing

test_events_listed()
{
	RET=0
	local ev

	dmux_noipv6
	dmux_load
	check_err $? "loading failed"
	dmux_link 0
	check_err $? "link failed"
	W=$(dmux_wwan 0)
	SIM=$(sim_debugfs)
	for ev in rx rx_batch tx_defer rx_poll rx_refill tx_done tx_abort tx_stop \
		  tx_wake rx_drop tx tx_cmd pc_vote pc_remote pc_ack wake channel; do
		[ -d "$T/events/bam_dmux/bam_dmux_$ev" ]
		check_err $? "bam_dmux_$ev missing from tracefs"
	done
	log_test "driver: all 17 bam_dmux tracepoints are in tracefs"
}

test_data_path()
{
	RET=0
	local batches frames

	dmux_trace_on bam_dmux_rx bam_dmux_rx_batch bam_dmux_tx bam_dmux_tx_done \
		bam_dmux_rx_poll bam_dmux_rx_refill
	ping -c 5 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "ping failed"
	[ "$(dmux_trace_count bam_dmux_tx 'dev=bam-dmux.0 ch=0 len=84 in_flight=')" -eq 5 ]
	check_err $? "expected 5 bam_dmux_tx ch=0 len=84, got $(dmux_trace_count bam_dmux_tx 'ch=0 len=84')"
	[ "$(dmux_trace_count bam_dmux_rx 'dev=bam-dmux.0 ch=0 len=84')" -eq 5 ]
	check_err $? "expected 5 bam_dmux_rx ch=0 len=84"
	# Each poll's batch adds up to that poll's rx events (the replies, and
	# any other frame that came in meanwhile: a late segment of an earlier
	# test). A poll runs on one CPU and ends with its rx_poll event, so the
	# check goes poll by poll on one snapshot of the buffer. Two polls can
	# be cut by the window: one running when tracing started (its first rx
	# events lost, its batch whole: the first poll on a CPU may count
	# more), and one running at the snapshot (rx events, no batch yet:
	# ignored).
	# stopped first: a buffer read while written can lose events mid-poll
	echo 0 > $T/tracing_on
	cp $T/trace /tmp/trace-38
	batches=$(awk '
		function cpu() { match($0, /\[[0-9]+\]/); return substr($0, RSTART, RLENGTH) }
		function field(name) { match($0, " " name "=[0-9]+"); return substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 2) + 0 }
		function check(c, last) {
			if (!(c in rxp) && !(c in bp)) return
			if (last && !(c in bp)) return
			polls++
			if (rxp[c] + 0 != bp[c] + 0 || rxb[c] + 0 != bb[c] + 0)
				if (seen[c] || rxp[c] > bp[c] || rxb[c] > bb[c])
					bad = bad " " c ":" rxp[c] + 0 "/" rxb[c] + 0 "<>" bp[c] + 0 "/" bb[c] + 0
			delete rxp[c]; delete rxb[c]; delete bp[c]; delete bb[c]
		}
		/ bam_dmux_rx: dev=bam-dmux.0 ch=0 / { c = cpu(); rxp[c]++; rxb[c] += field("len") }
		/ bam_dmux_rx_batch: dev=bam-dmux.0 ch=0 / { c = cpu(); bp[c] += field("packets"); bb[c] += field("bytes") }
		/ bam_dmux_rx_poll: dev=bam-dmux.0 / { c = cpu(); check(c, 0); seen[c] = 1 }
		END { for (c in rxp) check(c, 1); for (c in bp) check(c, 1); print polls + 0 " polls" (bad ? ", mismatched (cpu:rx/bytes<>batch/bytes):" bad : "") }
	' /tmp/trace-38)
	frames=$(grep -c " bam_dmux_rx: dev=bam-dmux.0 ch=0 " /tmp/trace-38)
	[ "${batches#* polls}" = "" ] && [ "${batches%% *}" -ge 1 ] && [ "$frames" -ge 5 ]
	check_err $? "bam_dmux_rx_batch ch=0 against the bam_dmux_rx events of the same poll: $batches; $frames rx events"
	[ "$(dmux_trace_count bam_dmux_tx_done 'dev=bam-dmux.0 count=')" -ge 5 ]
	check_err $? "fewer than 5 bam_dmux_tx_done"
	[ "$(dmux_trace_count bam_dmux_rx_poll 'budget=64 done=1 posted=64')" -ge 5 ]
	check_err $? "no poll with budget=64 done=1 posted=64"
	[ "$(dmux_trace_count bam_dmux_rx_refill 'count=64')" -ge 5 ]
	check_err $? "no bam_dmux_rx_refill count=64"
	log_test "driver: bam_dmux_tx/tx_done/rx/rx_batch/rx_poll/rx_refill trace a ping with its fields"
}

test_tx_stop_wake()
{
	RET=0
	local full

	require_cmd iperf3 || return
	ethtool -G "$W" tx 8
	# BQL would stop the queue long before an 8-slot ring fills
	echo 1000000 > /sys/class/net/$W/queues/tx-0/byte_queue_limits/limit_min
	full=$(dmux_estat "$W" tx_ring_full)
	echo 2000 > "$SIM/rate_tx_kbps"
	ip netns exec "$(dmux_ns 0)" iperf3 -s -D -I /tmp/iperf3-38.pid
	sleep 0.5
	dmux_trace_on bam_dmux_tx_stop bam_dmux_tx_wake
	iperf3 -u -b 50M -l 1000 -c 10.0.0.2 -t 2 >/dev/null
	check_err $? "iperf3 UDP failed"
	echo 0 > "$SIM/rate_tx_kbps"
	kill "$(cat /tmp/iperf3-38.pid)" 2>/dev/null
	[ "$(dmux_trace_count bam_dmux_tx_stop 'count=')" -ge 1 ]
	check_err $? "no bam_dmux_tx_stop with an 8-slot ring on a 2 Mbit/s link"
	[ "$(dmux_trace_count bam_dmux_tx_wake 'count=')" -ge 1 ]
	check_err $? "no bam_dmux_tx_wake"
	[ "$(dmux_estat "$W" tx_ring_full)" -gt "$full" ]
	check_err $? "tx_ring_full did not move"
	ethtool -G "$W" tx 64
	echo 0 > /sys/class/net/$W/queues/tx-0/byte_queue_limits/limit_min
	ping -c 2 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "ping after the flood failed"
	log_test "driver: full TX ring stops the queues (tx_stop, tx_ring_full) and wakes them (tx_wake)"
}

test_channel()
{
	RET=0

	dmux_trace_on bam_dmux_channel bam_dmux_tx_cmd
	ip link set "$W" down
	ip link set "$W" up
	echo 0 > "$SIM/close"
	sleep 0.3
	echo 0 > "$SIM/open"
	wait_for 10 ping -c 1 -W 1 10.0.0.2
	check_err $? "no ping after close/open"
	grep -q 'bam_dmux_channel: dev=bam-dmux.0 ch=0 close by host' $T/trace
	check_err $? "no 'close by host'"
	grep -q 'bam_dmux_channel: dev=bam-dmux.0 ch=0 open by host' $T/trace
	check_err $? "no 'open by host'"
	grep -q 'bam_dmux_channel: dev=bam-dmux.0 ch=0 close by modem' $T/trace
	check_err $? "no 'close by modem'"
	grep -q 'bam_dmux_channel: dev=bam-dmux.0 ch=0 open by modem' $T/trace
	check_err $? "no 'open by modem'"
	grep -q 'bam_dmux_tx_cmd: dev=bam-dmux.0 ch=0 cmd=close in_flight=' $T/trace &&
		grep -q 'bam_dmux_tx_cmd: dev=bam-dmux.0 ch=0 cmd=open in_flight=' $T/trace
	check_err $? "no bam_dmux_tx_cmd for the host's CLOSE and OPEN"
	log_test "driver: bam_dmux_channel traces open/close by host and by modem, bam_dmux_tx_cmd their frames"
}

test_power_events()
{
	RET=0

	# the crash alone moves the line: no idle power-down meanwhile
	echo 0 > "$SIM/idle_ms"
	ethtool -S "$W" >/dev/null
	dmux_trace_on bam_dmux_pc_remote bam_dmux_pc_vote bam_dmux_pc_ack
	dmux_inject crash
	wait_for 10 ping -c 1 -W 1 10.0.0.2
	check_err $? "no ping after the crash"
	[ "$(dmux_trace_count bam_dmux_pc_remote 'dev=bam-dmux.0 on=0')" -eq 1 ] &&
		[ "$(dmux_trace_count bam_dmux_pc_remote 'dev=bam-dmux.0 on=1')" -eq 1 ]
	check_err $? "expected one pc_remote on=0 and one on=1"
	echo 200 > "$SIM/idle_ms"
	log_test "driver: bam_dmux_pc_remote traces the modem's pc line"
}

test_no_a2_pc()
{
	RET=0

	if [ ! -e "$SIM/open_no_a2_pc" ]; then
		log_skip "driver: OPEN_NO_A2_PC" "simulator has no open_no_a2_pc knob"
		return
	fi
	dmux_trace_on bam_dmux_channel bam_dmux_pc_vote
	ip link set "$(dmux_wwan 1)" up
	echo 1 > "$SIM/close"
	echo 1 > "$SIM/open_no_a2_pc"
	check_err $? "open_no_a2_pc failed"
	wait_for 5 grep -q 'ch=1 open by modem' $T/trace
	check_err $? "OPEN_NO_A2_PC not taken as an OPEN"
	wait_for 5 grep -qx 1 "/sys/class/net/$(dmux_wwan 1)/carrier"
	check_err $? "ch 1 not attached after OPEN_NO_A2_PC"
	wait_for 5 bash -c "[ \"\$(cat /sys/bus/platform/devices/bam-dmux.0/power/runtime_status)\" = active ]"
	check_err $? "OPEN_NO_A2_PC did not bring our vote up"
	sleep 3
	[ "$(dmux_runtime_status)" = active ]
	check_err $? "the vote went down while an OPEN_NO_A2_PC channel is open"
	echo 1 > "$SIM/close"
	wait_for 10 dmux_suspended
	check_err $? "not suspended after the OPEN_NO_A2_PC channel closed"
	echo 1 > "$SIM/open"
	log_test "driver: OPEN_NO_A2_PC opens the channel and keeps the vote up until it closes"
}

require_cmd ethtool ip ping || exit 0
tests_run test_events_listed test_data_path test_tx_stop_wake test_channel test_power_events test_no_a2_pc
exit $EXIT_STATUS
