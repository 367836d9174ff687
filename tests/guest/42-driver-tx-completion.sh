#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Driver: the TX completion path under a modem that paces the uplink
# (rate_tx_kbps). BQL learns a limit of more than a few frames, because
# completions reach it a run at a time; BQL's in-flight count, the
# interface counters and the modem's frame count agree after the upload;
# the ring's one runtime PM reference is dropped when it empties, so the
# usage count returns to its idle value and the link suspends; frames
# aborted by a modem crash go back to BQL and the queue does not stall.
# With tx_sg=1 the interface offers scatter-gather (off by default), sends
# fragmented frames as multi-descriptor transfers and the payload arrives
# intact.
#
# Not part of the default suite (it adds about a minute of capped
# uploads): run it with DMUX_TX_TESTS=1, e.g.
#   tools/vm/run -- env DMUX_TX_TESTS=1 tests/guest/run 42-
source "$(dirname "$0")/lib.sh"

cleanup() { dmux_cleanup; }

W=
NS=
SIM=
DEV=/sys/bus/platform/devices/bam-dmux.0
# largest frame on the wire: 8-byte header, 1500-byte payload, no pad
FRAME=1508
# "more than a few frames": one frame at a time made BQL settle at two
BQL_MIN_FRAMES=4
IPERF_PID=/tmp/iperf3-42.pid

bql()
{
	cat "/sys/class/net/$W/queues/tx-0/byte_queue_limits/$1"
}

# inflight_is OP N: BQL's in-flight bytes compare so (re-read at each call,
# for wait_for)
inflight_is()
{
	[ "$(bql inflight)" "$1" "$2" ]
}

# the usage count, or nothing where the kernel does not show it
# (runtime_usage needs CONFIG_PM_ADVANCED_DEBUG: Debian's kernel has it,
# the debug kernel does not)
runtime_usage()
{
	cat "$DEV/power/runtime_usage" 2>/dev/null
}

# upload SECS [IPERF_ARGS...]: host -> modem TCP through the paced uplink
upload()
{
	local secs=$1

	shift
	iperf3 -c 10.0.0.2 -t "$secs" "$@" >/dev/null
}

test_setup()
{
	RET=0

	dmux_setup
	NS=$(dmux_ns 0)
	SIM=$(sim_debugfs)
	ip netns exec "$NS" iperf3 -s -D -I "$IPERF_PID"
	check_err $? "iperf3 server did not start"
	sleep 0.5
	log_test "driver: TX completion setup"
}

test_bql_paced_uplink()
{
	RET=0
	local limit tx sim_tx

	echo 50000 > "$SIM/rate_tx_kbps"
	tx=$(dmux_ifstat "$W" tx_packets)
	sim_tx=$(dmux_sim_stat ch0_tx_frames)
	upload 6
	check_err $? "iperf3 host -> modem at 50 Mbit/s failed"
	limit=$(bql limit)
	[ "$limit" -gt $((BQL_MIN_FRAMES * FRAME)) ]
	check_err $? "BQL limit $limit bytes after a paced upload: not more than $BQL_MIN_FRAMES frames"
	wait_for 5 inflight_is -eq 0
	check_err $? "BQL still counts $(bql inflight) bytes in flight after the upload"
	[ $(($(dmux_ifstat "$W" tx_packets) - tx)) -eq $(($(dmux_sim_stat ch0_tx_frames) - sim_tx)) ]
	check_err $? "tx_packets +$(($(dmux_ifstat "$W" tx_packets) - tx)), the modem saw +$(($(dmux_sim_stat ch0_tx_frames) - sim_tx)) frames"
	echo 0 > "$SIM/rate_tx_kbps"
	log_test "driver: paced uplink: BQL limit $limit bytes (> $BQL_MIN_FRAMES frames), nothing left in flight, counts agree"
}

test_pm_reference()
{
	RET=0
	local idle busy=0 pid

	wait_for 10 dmux_suspended
	check_err $? "not suspended before the upload"
	idle=$(runtime_usage)
	echo 5000 > "$SIM/rate_tx_kbps"
	upload 4 &
	pid=$!
	sleep 2
	# while frames are queued the ring holds the link up
	[ "$(dmux_runtime_status)" = active ] && busy=1
	wait $pid
	check_err $? "iperf3 host -> modem at 5 Mbit/s failed"
	[ $busy -eq 1 ]
	check_err $? "the link was not active during the upload"
	wait_for 10 dmux_suspended
	check_err $? "not suspended 10 s after the upload"
	echo 0 > "$SIM/rate_tx_kbps"
	if [ -z "$idle" ]; then
		log_test "driver: TX holds runtime PM while frames are queued; suspended after (no runtime_usage in this kernel)"
		return
	fi
	[ "$(runtime_usage)" -eq "$idle" ]
	check_err $? "runtime_usage $(runtime_usage) after the upload, $idle before"
	log_test "driver: TX holds runtime PM while frames are queued; usage back to $idle and suspended after"
}

test_crash_returns_to_bql()
{
	RET=0
	local dropped pid

	# a slow uplink keeps the ring full when the modem dies
	echo 500 > "$SIM/rate_tx_kbps"
	dropped=$(dmux_ifstat "$W" tx_dropped)
	# 500 pings of 1400 bytes a second: about 5.7 Mbit/s
	ping -q -i 0.002 -s 1400 -c 5000 -W 1 10.0.0.2 >/dev/null 2>&1 &
	pid=$!
	wait_for 5 inflight_is -gt 0
	check_err $? "nothing in flight under 5.7 Mbit/s of pings at 500 kbit/s"
	sleep 1
	dmux_inject crash
	check_err $? "inject crash failed"
	sleep 1
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	echo 0 > "$SIM/rate_tx_kbps"
	wait_for 10 ping -c 1 -W 1 10.0.0.2
	check_err $? "no ping after the crash: the queue stalled"
	wait_for 5 inflight_is -eq 0
	check_err $? "BQL counts $(bql inflight) bytes in flight after the crash"
	[ "$(dmux_ifstat "$W" tx_dropped)" -gt "$dropped" ]
	check_err $? "no frame counted dropped: was anything in flight at the crash?"
	ping -c 5 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "link not stable after the crash"
	log_test "driver: frames in flight at a crash go back to BQL (inflight 0), counted dropped; traffic flows after"
}

# sg_frames SECS: upload for SECS s; prints how many fragmented frames the
# driver mapped as scatterlists meanwhile (skb_to_sgvec called from
# bam_dmux, by the function tracer)
sg_frames()
{
	local t=/sys/kernel/tracing n

	echo 0 > $t/tracing_on
	echo > $t/trace
	echo skb_to_sgvec > $t/set_ftrace_filter || return 1
	echo function > $t/current_tracer
	echo 1 > $t/tracing_on
	upload "$1"
	echo 0 > $t/tracing_on
	n=$(grep -c 'skb_to_sgvec <-bam_dmux' $t/trace)
	echo nop > $t/current_tracer
	echo > $t/set_ftrace_filter
	echo > $t/trace
	echo "$n"
}

test_sg_default_off()
{
	RET=0

	ethtool -k "$W" | grep -qx '.tx-scatter-gather: off \[fixed\]'
	check_err $? "tx-scatter-gather is not off [fixed] by default: $(ethtool -k "$W" | grep 'tx-scatter-gather:')"
	log_test "driver: scatter-gather off and fixed by default (tx_sg=0)"
}

test_sg_on()
{
	RET=0
	local out tx sim_tx n

	kill "$(cat "$IPERF_PID" 2>/dev/null)" 2>/dev/null
	dmux_cleanup
	dmux_noipv6
	dmux_load -- tx_sg=1
	check_err $? "loading with tx_sg=1 failed"
	dmux_link 0
	check_err $? "link failed"
	W=$(dmux_wwan 0)
	ethtool -k "$W" | grep -qx '.tx-scatter-gather: on'
	check_err $? "tx_sg=1: $(ethtool -k "$W" | grep 'tx-scatter-gather:')"
	ip netns exec "$NS" iperf3 -s -D -I "$IPERF_PID"
	sleep 0.5
	tx=$(dmux_ifstat "$W" tx_packets)
	sim_tx=$(dmux_sim_stat ch0_tx_frames)
	n=$(sg_frames 3)
	[ "${n:-0}" -gt 0 ]
	check_err $? "no fragmented frame was sent during a TCP upload with tx_sg=1"
	out=$(dmux_payload_check 0)
	check_err $? "$out"
	wait_for 5 inflight_is -eq 0
	check_err $? "BQL still counts $(bql inflight) bytes in flight"
	[ $(($(dmux_ifstat "$W" tx_packets) - tx)) -eq $(($(dmux_sim_stat ch0_tx_frames) - sim_tx)) ]
	check_err $? "tx_packets +$(($(dmux_ifstat "$W" tx_packets) - tx)), the modem saw +$(($(dmux_sim_stat ch0_tx_frames) - sim_tx)) frames"
	[ "$(dmux_estat "$W" tx_dma_error)" -eq 0 ]
	check_err $? "tx_dma_error $(dmux_estat "$W" tx_dma_error)"
	log_test "driver: tx_sg=1: scatter-gather on, $n fragmented frames sent, payload intact, counts agree"
}

test_teardown()
{
	RET=0

	kill "$(cat "$IPERF_PID" 2>/dev/null)" 2>/dev/null
	dmux_unload
	check_err $? "unload failed"
	log_test "driver: TX completion teardown"
}

if [ "${DMUX_TX_TESTS:-0}" != 1 ]; then
	log_skip "driver: TX completion under a paced uplink" "not in the default suite: DMUX_TX_TESTS=1"
	exit 0
fi
require_cmd ethtool ip ping iperf3 || exit 0
tests_run test_setup test_sg_default_off test_bql_paced_uplink \
	test_pm_reference test_crash_returns_to_bql test_sg_on test_teardown
exit $EXIT_STATUS
