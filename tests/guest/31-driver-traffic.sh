#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Driver: traffic through wwan0 <-> bdsim0 with
# exact interface counters (ip, /proc/net/dev), iperf3 both ways, minimal
# padding on the wire, NAPI (napi_weight live) and per-packet (napi=0) RX,
# page_pool (default) and skb (rx_page_pool=0) RX buffers.
source "$(dirname "$0")/lib.sh"

cleanup() { dmux_cleanup; }

W=
NS=

setup()
{
	dmux_noipv6
	dmux_load "$@" || return 1
	dmux_link 0 || return 1
	W=$(dmux_wwan 0)
	NS=$(dmux_ns 0)
}

# check_ping_counts COUNT SIZE: COUNT pings of SIZE bytes are counted exactly
check_ping_counts()
{
	local n=$1 size=$2 bytes tx rx txb rxb ptx prx stx srx

	bytes=$((n * (size + 28)))
	tx=$(dmux_ifstat "$W" tx_packets); rx=$(dmux_ifstat "$W" rx_packets)
	txb=$(dmux_ifstat "$W" tx_bytes); rxb=$(dmux_ifstat "$W" rx_bytes)
	ptx=$(dmux_procnet "$W" 10); prx=$(dmux_procnet "$W" 2)
	stx=$(dmux_sim_stat ch0_tx_frames); srx=$(dmux_sim_stat ch0_rx_frames)

	ping -c "$n" -i 0.2 -s "$size" -W 2 10.0.0.2 >/dev/null
	check_err $? "ping -s $size lost packets"

	[ $(($(dmux_ifstat "$W" tx_packets) - tx)) -eq "$n" ]
	check_err $? "tx_packets +$(($(dmux_ifstat "$W" tx_packets) - tx)), expected +$n"
	[ $(($(dmux_ifstat "$W" rx_packets) - rx)) -eq "$n" ]
	check_err $? "rx_packets +$(($(dmux_ifstat "$W" rx_packets) - rx)), expected +$n"
	[ $(($(dmux_ifstat "$W" tx_bytes) - txb)) -eq "$bytes" ]
	check_err $? "tx_bytes +$(($(dmux_ifstat "$W" tx_bytes) - txb)), expected +$bytes"
	[ $(($(dmux_ifstat "$W" rx_bytes) - rxb)) -eq "$bytes" ]
	check_err $? "rx_bytes +$(($(dmux_ifstat "$W" rx_bytes) - rxb)), expected +$bytes"
	[ $(($(dmux_procnet "$W" 10) - ptx)) -eq "$n" ] && [ $(($(dmux_procnet "$W" 2) - prx)) -eq "$n" ]
	check_err $? "/proc/net/dev does not show +$n packets each way"
	[ $(($(dmux_sim_stat ch0_tx_frames) - stx)) -eq "$n" ] && [ $(($(dmux_sim_stat ch0_rx_frames) - srx)) -eq "$n" ]
	check_err $? "the modem did not see exactly $n frames each way"
}

test_ping_exact()
{
	RET=0
	local size pnm

	setup
	check_err $? "setup failed"
	pnm=$(dmux_sim_stat tx_pad_not_minimal)
	# payloads of 4k+0..3 bytes: every padding length
	for size in 56 57 58 59; do
		check_ping_counts 10 $size
	done
	[ "$(dmux_sim_stat tx_pad_not_minimal)" -eq "$pnm" ]
	check_err $? "the modem saw frames with more padding than needed"
	for f in tx_bad_pad tx_pad_nonzero tx_trailing tx_short; do
		[ "$(dmux_sim_stat $f)" -eq 0 ]
		check_err $? "modem counted $f $(dmux_sim_stat $f)"
	done
	[ "$(dmux_ifstat "$W" rx_dropped)" -eq 0 ] && [ "$(dmux_ifstat "$W" tx_dropped)" -eq 0 ] &&
		[ "$(dmux_ifstat "$W" rx_errors)" -eq 0 ] && [ "$(dmux_ifstat "$W" tx_errors)" -eq 0 ]
	check_err $? "drops or errors on $W"
	log_test "driver: ping counted exactly (ip, /proc/net/dev, modem), minimal padding for every length"
}

test_mtu_max()
{
	RET=0

	ip link set "$W" mtu 2040 && ip netns exec "$NS" ip link set bdsim0 mtu 2040
	check_err $? "MTU 2040 refused"
	check_ping_counts 3 2012
	ip link set "$W" mtu 1500
	ip netns exec "$NS" ip link set bdsim0 mtu 1500
	log_test "driver: 2040-byte packets (MTU 2040) both ways"
}

test_rx_polls()
{
	RET=0
	local polls

	polls=$(dmux_estat "$W" rx_polls)
	ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "ping failed"
	[ "$(dmux_estat "$W" rx_polls)" -gt "$polls" ]
	check_err $? "rx_polls did not move with NAPI on"
	log_test "driver: NAPI polls counted (ethtool -S rx_polls)"
}

test_iperf3()
{
	RET=0
	local txb rxb

	require_cmd iperf3 || return
	ip netns exec "$NS" iperf3 -s -D -I /tmp/iperf3-31.pid
	sleep 0.5
	txb=$(dmux_ifstat "$W" tx_bytes); rxb=$(dmux_ifstat "$W" rx_bytes)
	iperf3 -c 10.0.0.2 -t 2 >/dev/null
	check_err $? "iperf3 host -> modem failed"
	iperf3 -c 10.0.0.2 -t 2 -R >/dev/null
	check_err $? "iperf3 modem -> host failed"
	iperf3 -u -b 20M -c 10.0.0.2 -t 2 -R >/dev/null
	check_err $? "iperf3 UDP modem -> host failed"
	[ $(($(dmux_ifstat "$W" tx_bytes) - txb)) -gt 1000000 ]
	check_err $? "less than 1 MB sent"
	[ $(($(dmux_ifstat "$W" rx_bytes) - rxb)) -gt 1000000 ]
	check_err $? "less than 1 MB received"
	kill "$(cat /tmp/iperf3-31.pid)" 2>/dev/null
	log_test "driver: iperf3 TCP both ways and UDP down through wwan0"
}

# what Documentation/tuning.rst reads: byte queue limits of the interface
test_bql()
{
	RET=0
	local bql=/sys/class/net/$W/queues/tx-0/byte_queue_limits limit

	limit=$(cat "$bql/limit")
	[[ "$limit" =~ ^[0-9]+$ ]]
	check_err $? "$bql/limit is '$limit'"
	# every byte queued was completed: nothing is left in flight
	wait_for 5 grep -qx 0 "$bql/inflight"
	check_err $? "$bql/inflight is $(cat "$bql/inflight") with the link idle"
	log_test "driver: BQL limit and inflight readable, nothing in flight once idle"
}

test_payload()
{
	RET=0
	local out

	out=$(dmux_payload_check 0)
	check_err $? "$out"
	log_test "driver: payload bytes intact both ways (ping patterns, 1 MiB over TCP each way)"
}

test_napi_weight()
{
	RET=0
	local p=/sys/module/bam_dmux/parameters/napi_weight

	[ "$(cat $p)" = 64 ]
	check_err $? "default napi_weight is $(cat $p), not 64"
	echo 0 > $p 2>/dev/null
	check_fail $? "napi_weight 0 accepted"
	echo 257 > $p 2>/dev/null
	check_fail $? "napi_weight 257 accepted"
	echo 8 > $p
	check_err $? "napi_weight 8 refused"
	dmux_trace_on bam_dmux_rx_poll
	ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "ping with napi_weight 8 failed"
	[ "$(dmux_trace_count bam_dmux_rx_poll 'budget=8 ')" -gt 0 ]
	check_err $? "no poll with budget=8 in the trace after the write"
	echo 256 > $p
	dmux_trace_on bam_dmux_rx_poll
	ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null
	[ "$(dmux_trace_count bam_dmux_rx_poll 'budget=256 ')" -gt 0 ]
	check_err $? "no poll with budget=256 in the trace after the write"
	echo 64 > $p
	log_test "driver: napi_weight 1..256 applied to the live device"
}

# reload the driver with PARAM, then exact ping counts and an iperf3
# modem -> host through it
check_rx_mode()
{
	local param=$1

	dmux_cleanup
	setup -- "$param"
	check_err $? "setup with $param failed"
	check_ping_counts 10 100
	if command -v iperf3 >/dev/null; then
		ip netns exec "$NS" iperf3 -s -D -I /tmp/iperf3-31.pid
		sleep 0.5
		iperf3 -c 10.0.0.2 -t 2 -R >/dev/null
		check_err $? "iperf3 modem -> host with $param failed"
		kill "$(cat /tmp/iperf3-31.pid)" 2>/dev/null
	fi
}

test_napi0()
{
	RET=0

	check_rx_mode napi=0
	[ "$(dmux_estat "$W" rx_polls)" -eq 0 ]
	check_err $? "rx_polls $(dmux_estat "$W" rx_polls) with napi=0"
	log_test "driver: napi=0 delivers per packet from the DMA callback, counted exactly"
}

test_skb_buffers()
{
	RET=0

	check_rx_mode rx_page_pool=0
	log_test "driver: rx_page_pool=0 (one skb per RX buffer) carries traffic, counted exactly"
}

require_cmd ethtool ip ping || exit 0
tests_run test_ping_exact test_mtu_max test_rx_polls test_iperf3 test_bql test_payload test_napi_weight test_napi0 test_skb_buffers
exit $EXIT_STATUS
