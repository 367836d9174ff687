#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dmuxring on rings of 8: a UDP flood from the modem, in bursts larger than
# the RX ring, must show polls that found the RX ring empty, never more
# than 8 buffers posted; more traffic from the host than the link drains
# must show the TX ring full exactly as often as ethtool -S tx_ring_full
# counts it. The simulator's link model makes the bursts: with latency_us
# and link_burst_us both 50 ms, the modem's frames go in bursts of what it
# sent in 50 ms, however evenly or slowly it sent; rate_tx_kbps
# drains TX slowly (BQL's limit_min raised so that the ring, not BQL,
# stops TX).
source "$(dirname "$0")/lib.sh"

CH=0
RING=8
OUT=/tmp/dmuxring.$$

cleanup()
{
	[ -n "${BPF_PID:-}" ] && kill "$BPF_PID" 2>/dev/null
	[ -n "${IPERF_PID:-}" ] && kill "$IPERF_PID" 2>/dev/null
	bpf_link_down
	dmux_unload
	bpf_no_ipv6_restore
	rm -f "$OUT"*
}

test_dmuxring()
{
	local wwan full0 full1 tx0 tx1 n m i burst

	RET=0
	bpf_require_tools dmuxring || return
	require_cmd jq ethtool iperf3 || return
	if ! bpf_setup $CH rx_ring=$RING tx_ring=$RING; then
		log_test "dmuxring: RX ring of $RING runs empty under a flood from the modem"
		return
	fi
	wwan=$BPF_WWAN

	full0=$(bpf_ethtool_stat "$wwan" tx_ring_full)
	tx0=$(bpf_netdev_stat "$wwan" tx_packets)
	bpf_start "$OUT" dmuxring -j 1
	check_err $? "dmuxring did not attach: $(head -c 300 "$OUT.err")"
	# the modem floods: UDP at 20 Mbit/s, held 50 ms by the link model and
	# released 50 ms at a time, 125 frames a burst at the nominal rate:
	# more than the 8 posted buffers even from a sender ten times slower
	# (a debug kernel's), where latency alone passes on its pace
	burst=$(sim_knob link_burst_us)
	sim_knob latency_us 50000
	sim_knob link_burst_us 50000
	iperf3 -s -1 >/dev/null 2>&1 &
	IPERF_PID=$!
	sleep 1
	ip netns exec "$BPF_NS" iperf3 -c "$BPF_HOST_IP" -u -b 20M -l 1000 -t 2 >/dev/null
	check_err $? "iperf3 -u from the modem side failed"
	wait "$IPERF_PID"
	IPERF_PID=
	sim_knob latency_us 0
	sim_knob link_burst_us "$burst"
	# and the host sends 3.2 Mbit/s into a TX ring of 8 drained at
	# 200 kbit/s, with byte queue limits out of the way (four pings: one
	# keeps only about 4 packets in flight, its socket buffer's worth)
	echo 1000000 > "/sys/class/net/$wwan/queues/tx-0/byte_queue_limits/limit_min"
	echo 200 > "$(sim_debugfs)/rate_tx_kbps"
	for i in 1 2 3 4; do
		ping -q -c 10 -i 0.01 -W 10 -s 1000 "$BPF_MODEM_IP" >/dev/null &
	done
	wait $(jobs -p | grep -v "^$BPF_PID\$")
	echo 0 > "$(sim_debugfs)/rate_tx_kbps"
	sleep 1.2
	bpf_stop
	check_err $? "dmuxring did not exit 0 on SIGINT"
	full1=$(bpf_ethtool_stat "$wwan" tx_ring_full)
	tx1=$(bpf_netdev_stat "$wwan" tx_packets)

	sel='.devices[] | select(.dev == "bam-dmux.0")'
	n=$(bpf_jsum "$OUT" "$sel | .rx_empty")
	m=$(bpf_jsum "$OUT" "$sel | .polls")
	[ "$n" -gt 0 ]
	check_err $? "dmuxring saw the RX ring empty at $n of $m polls"
	n=$(jq -s '[.[].devices[].rx_posted_max] | max' "$OUT")
	[ "$n" -eq $RING ]
	check_err $? "dmuxring saw at most $n RX buffers posted, the ring has $RING"
	n=$(jq -s '[.[].devices[].rx_posted_hist[] | select(.count > 0 and .low > '$RING')] | length' "$OUT")
	[ "$n" -eq 0 ]
	check_err $? "dmuxring saw more than $RING RX buffers left at a poll"
	log_test "dmuxring: RX ring of $RING runs empty under a flood from the modem"

	RET=0
	n=$(bpf_jsum "$OUT" "$sel | .tx_full")
	[ "$n" -eq $((full1 - full0)) ] && [ "$n" -gt 0 ]
	check_err $? "dmuxring tx_full $n, ethtool tx_ring_full delta $((full1 - full0))"
	n=$(jq -s '[.[].devices[].tx_inflight_max] | max' "$OUT")
	[ "$n" -le $RING ] && [ "$n" -gt 0 ]
	check_err $? "dmuxring saw $n TX descriptors in flight, the ring has $RING"
	n=$(bpf_jsum "$OUT" "$sel | .tx_submits")
	m=$(bpf_jsum "$OUT" "$sel | .tx_inflight_hist[] | .count")
	[ "$n" -eq "$m" ] && [ "$n" -eq $((tx1 - tx0)) ]
	check_err $? "dmuxring: $n TX submits, $m in the histogram, /proc/net/dev tx_packets delta $((tx1 - tx0))"
	log_test "dmuxring: TX ring of $RING full as often as ethtool -S counts"
}

# tx_done counts DATA frames, as tx_submits does; the OPEN and CLOSE of
# another channel brought up and down are tx_cmds, and complete as
# tx_done_cmds
test_dmuxring_tx_done()
{
	local name="dmuxring: tx_done counts the DATA frames submitted, tx_done_cmds the commands"
	local wwan other tx0 tx1 n m

	RET=0
	bpf_require_tools dmuxring || return
	require_cmd jq || return
	bpf_link_down
	dmux_unload
	bpf_setup $CH
	wwan=$BPF_WWAN
	other=$(bpf_wwan $((CH + 1)))
	check_err $? "no interface for channel $((CH + 1))"
	if [ "$RET" -ne 0 ]; then
		log_test "$name"
		return
	fi

	tx0=$(bpf_netdev_stat "$wwan" tx_packets)
	bpf_start "$OUT.done" dmuxring -j 1
	check_err $? "dmuxring did not attach: $(head -c 300 "$OUT.done.err")"
	bpf_ping_modem 10 100
	check_err $? "ping lost packets"
	ip link set "$other" up && ip link set "$other" down
	check_err $? "cannot bring $other up and down"
	sleep 1.2
	bpf_stop
	check_err $? "dmuxring did not exit 0 on SIGINT"
	tx1=$(bpf_netdev_stat "$wwan" tx_packets)

	sel='.devices[] | select(.dev == "bam-dmux.0")'
	n=$(bpf_jsum "$OUT.done" "$sel | .tx_submits")
	m=$(bpf_jsum "$OUT.done" "$sel | .tx_done")
	[ "$n" -eq $((tx1 - tx0)) ] && [ "$m" -eq "$n" ]
	check_err $? "dmuxring tx_submits $n, tx_done $m, /proc/net/dev tx_packets delta $((tx1 - tx0))"
	n=$(bpf_jsum "$OUT.done" "$sel | .tx_cmds")
	m=$(bpf_jsum "$OUT.done" "$sel | .tx_done_cmds")
	[ "$n" -eq 2 ] && [ "$m" -eq 2 ]
	check_err $? "dmuxring tx_cmds $n, tx_done_cmds $m, expected 2 (OPEN and CLOSE)"
	n=$(bpf_jsum "$OUT.done" "$sel | .tx_done_other + .tx_aborted")
	[ "$n" -eq 0 ]
	check_err $? "dmuxring tx_done_other + tx_aborted $n, expected 0"
	log_test "$name"
}

# A modem crash with frames in flight: the driver drops them all at once
# (one bam_dmux_tx_abort event of N). dmuxring counts N aborted frames, as
# many as the tracefs events say, and every frame it saw submitted is
# accounted for: completed, aborted or still in flight.
test_dmuxring_tx_abort()
{
	local name="dmuxring: frames dropped by a modem crash are tx_aborted, every submit accounted for"
	local sim in_trace n m inflight i

	RET=0
	bpf_require_tools dmuxring || return
	require_cmd jq || return
	bpf_link_down
	dmux_unload
	if ! bpf_setup $CH; then
		log_test "$name"
		return
	fi
	sim=$(sim_debugfs)

	bpf_start "$OUT.abort" dmuxring -j 1
	check_err $? "dmuxring did not attach: $(head -c 300 "$OUT.abort.err")"
	dmux_trace_on bam_dmux_tx_abort
	# 8 kbit/s: a 1028-byte frame takes about a second to drain, so the
	# pings below are still in flight when the modem crashes
	echo 1000000 > "/sys/class/net/$BPF_WWAN/queues/tx-0/byte_queue_limits/limit_min"
	echo 8 > "$sim/rate_tx_kbps"
	ping -q -c 8 -s 1000 -i 0.01 -W 1 "$BPF_MODEM_IP" >/dev/null 2>&1 &
	sleep 0.5
	dmux_inject crash
	wait $(jobs -p | grep -v "^$BPF_PID\$")
	echo 0 > "$sim/rate_tx_kbps"
	# the modem restarts and the link comes back: traffic flows again
	for i in $(seq 20); do
		bpf_ping_modem 1 100 && break
		sleep 0.5
	done
	bpf_ping_modem 5 100
	check_err $? "no traffic after the modem restarted"
	sleep 1.2
	bpf_stop
	check_err $? "dmuxring did not exit 0 on SIGINT"
	in_trace=$(grep ' bam_dmux_tx_abort: ' /sys/kernel/tracing/trace |
		   sed -n 's/.* count=\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
	echo 0 > /sys/kernel/tracing/events/bam_dmux/enable

	sel='.devices[] | select(.dev == "bam-dmux.0")'
	n=$(bpf_jsum "$OUT.abort" "$sel | .tx_aborted")
	[ "$n" -gt 0 ] && [ "$n" -eq "$in_trace" ]
	check_err $? "dmuxring tx_aborted $n, tracefs bam_dmux_tx_abort counts $in_trace"
	n=$(bpf_jsum "$OUT.abort" "$sel | .tx_submits + .tx_cmds")
	m=$(bpf_jsum "$OUT.abort" "$sel | .tx_done + .tx_done_cmds + .tx_done_other + .tx_aborted")
	inflight=$(jq -s '[.[].devices[] | select(.dev == "bam-dmux.0") | .tx_inflight] | last // 0' "$OUT.abort")
	[ "$n" -eq $((m + inflight)) ]
	check_err $? "dmuxring: $n frames submitted, $m completed or aborted, $inflight in flight"
	log_test "$name"
}

tests_run test_dmuxring test_dmuxring_tx_done test_dmuxring_tx_abort
