#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Driver: no global state. Two simulated modems drive two
# independent devices: traffic on both at once, separate counters and rings,
# one modem crashing leaves the other alone.
source "$(dirname "$0")/lib.sh"

cleanup() { dmux_cleanup; }

W0=
W1=

test_two()
{
	RET=0
	dmux_noipv6
	dmux_load nr_modems=2
	check_err $? "loading with nr_modems=2 failed"
	wait_for 10 dmux_wwan 7 1
	check_err $? "no interfaces for modem 1"
	[ "$(dmux_nr_wwan 0)" -eq 8 ] && [ "$(dmux_nr_wwan 1)" -eq 8 ]
	check_err $? "expected 8 + 8 interfaces"
	dmux_link 0 0 && dmux_link 0 1
	check_err $? "links failed"
	W0=$(dmux_wwan 0 0)
	W1=$(dmux_wwan 0 1)
	ethtool -i "$W1" | grep -q '^bus-info: bam-dmux.1$'
	check_err $? "$W1 is not on bam-dmux.1"
	log_test "driver: two modems, two devices, 16 interfaces"
}

test_parallel_traffic()
{
	RET=0
	local tx0 tx1 p0 p1

	tx0=$(dmux_ifstat "$W0" tx_packets)
	tx1=$(dmux_ifstat "$W1" tx_packets)
	ping -c 20 -i 0.1 -W 2 10.0.0.2 >/dev/null &
	p0=$!
	ping -c 30 -i 0.1 -W 2 10.1.0.2 >/dev/null &
	p1=$!
	wait $p0
	check_err $? "ping on modem 0 failed"
	wait $p1
	check_err $? "ping on modem 1 failed"
	[ $(($(dmux_ifstat "$W0" tx_packets) - tx0)) -eq 20 ] && [ $(($(dmux_ifstat "$W1" tx_packets) - tx1)) -eq 30 ]
	check_err $? "counters mixed up: +$(($(dmux_ifstat "$W0" tx_packets) - tx0)) / +$(($(dmux_ifstat "$W1" tx_packets) - tx1)), expected 20 / 30"
	if command -v iperf3 >/dev/null; then
		ip netns exec "$(dmux_ns 0 0)" iperf3 -s -D -I /tmp/iperf3-36a.pid
		ip netns exec "$(dmux_ns 0 1)" iperf3 -s -D -I /tmp/iperf3-36b.pid
		sleep 0.5
		iperf3 -c 10.0.0.2 -t 2 >/dev/null &
		p0=$!
		iperf3 -c 10.1.0.2 -t 2 -R >/dev/null &
		p1=$!
		wait $p0
		check_err $? "iperf3 on modem 0 failed"
		wait $p1
		check_err $? "iperf3 on modem 1 failed"
		kill "$(cat /tmp/iperf3-36a.pid)" "$(cat /tmp/iperf3-36b.pid)" 2>/dev/null
	fi
	log_test "driver: ping and iperf3 on both modems at once, counted per device"
}

test_independent()
{
	RET=0
	local r1

	ethtool -G "$W0" rx 32
	check_err $? "resize on modem 0 failed"
	ethtool -g "$W1" | awk '/^Current/ {c = 1} c && /^RX:/ {exit $2 != 64}'
	check_err $? "a resize on modem 0 changed modem 1's ring"
	r1=$(dmux_estat "$W1" modem_restarts)
	dmux_inject crash 0
	ping -c 5 -i 0.2 -W 2 10.1.0.2 >/dev/null
	check_err $? "modem 1 traffic failed while modem 0 restarted"
	[ "$(dmux_estat "$W1" modem_restarts)" -eq "$r1" ]
	check_err $? "modem 1 counted modem 0's restart"
	wait_for 10 ping -c 1 -W 1 10.0.0.2
	check_err $? "modem 0 did not come back"
	log_test "driver: rings and restarts of one modem do not touch the other"
}

require_cmd ethtool ip ping || exit 0
tests_run test_two test_parallel_traffic test_independent
exit $EXIT_STATUS
