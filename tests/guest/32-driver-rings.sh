#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Driver: ring sizes from rx_ring/tx_ring and live through ethtool -G on
# any interface of the device (they share the rings), shown by ethtool -g;
# a resize during iperf3 keeps it running and leaks nothing. A running RX
# ring is never torn down under the modem: its new size applies at the
# modem's next power collapse (ethtool -S rx_ring_active shows the ring in
# use meanwhile).
source "$(dirname "$0")/lib.sh"

cleanup() { dmux_cleanup; }

W=
NS=

ring()
{
	# ring IF rx|tx current|max
	ethtool -g "$1" | awk -v what="$2" -v part="$3" '
		/^Pre-set maximums/ {sec = "max"} /^Current hardware/ {sec = "current"}
		sec == part && tolower($1) == what ":" {print $2; exit}'
}

test_defaults()
{
	RET=0
	dmux_noipv6
	dmux_load
	check_err $? "loading failed"
	dmux_link 0
	check_err $? "link failed"
	W=$(dmux_wwan 0)
	NS=$(dmux_ns 0)
	[ "$(ring "$W" rx current)" = 64 ] && [ "$(ring "$W" tx current)" = 64 ]
	check_err $? "default rings are not 64/64"
	[ "$(ring "$W" rx max)" = 1024 ] && [ "$(ring "$W" tx max)" = 1024 ]
	check_err $? "maximums are not 1024/1024"
	log_test "driver: ethtool -g shows 64/64 rings, maximum 1024"
}

test_set()
{
	RET=0
	local other

	other=$(dmux_wwan 5)
	ethtool -G "$W" rx 128 tx 256
	check_err $? "ethtool -G rx 128 tx 256 failed"
	[ "$(ring "$W" rx current)" = 128 ] && [ "$(ring "$W" tx current)" = 256 ]
	check_err $? "the new sizes are not shown"
	[ "$(ring "$other" rx current)" = 128 ] && [ "$(ring "$other" tx current)" = 256 ]
	check_err $? "$other does not share the rings of $W"
	ethtool -G "$other" rx 8 tx 8
	check_err $? "ethtool -G rx 8 tx 8 on $other failed"
	[ "$(ring "$W" rx current)" = 8 ] && [ "$(ring "$W" tx current)" = 8 ]
	check_err $? "a resize through $other did not reach $W"
	ping -c 5 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "ping with 8/8 rings failed"
	ethtool -G "$W" rx 7 2>/dev/null
	check_fail $? "rx 7 accepted"
	ethtool -G "$W" tx 1025 2>/dev/null
	check_fail $? "tx 1025 accepted"
	ethtool -G "$W" rx 1024 tx 1024
	check_err $? "rx 1024 tx 1024 refused"
	ping -c 5 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "ping with 1024/1024 rings failed"
	ethtool -G "$W" rx 64 tx 64
	log_test "driver: ethtool -G 8..1024 on any interface, shared by all, out of range refused"
}

test_resize_under_iperf3()
{
	RET=0
	local pid sz i active

	require_cmd iperf3 || return
	ip netns exec "$NS" iperf3 -s -D -I /tmp/iperf3-32.pid
	sleep 0.5
	iperf3 -c 10.0.0.2 -t 8 --bidir >/tmp/iperf3-32.out 2>&1 &
	pid=$!
	sleep 2
	i=0
	for sz in 32 512 8 1024 64; do
		ethtool -G "$W" rx $sz tx $((sz == 1024 ? 16 : sz))
		check_err $? "ethtool -G rx $sz under traffic failed"
		sleep 1
		i=$((i + 1))
	done
	wait $pid
	check_err $? "iperf3 did not survive the resizes: $(tail -3 /tmp/iperf3-32.out)"
	kill "$(cat /tmp/iperf3-32.pid)" 2>/dev/null
	# the ring is counted with the modem up: no idle power-down meanwhile
	echo 0 > "$(sim_debugfs)/idle_ms"
	ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "ping after the resizes failed"
	# every slot of the ring in use is posted, nothing more
	active=$(dmux_estat "$W" rx_ring_active)
	wait_for 3 bash -c "[ \$(awk '\$1 == \"dma_rx_desc_live\" {print \$2}' $(sim_debugfs)/stats) -eq $active ]"
	check_err $? "$(dmux_sim_stat dma_rx_desc_live) RX descriptors alive, expected the $active of the ring"
	[ "$(dmux_sim_stat dma_terminate_while_active)" = 0 ]
	check_err $? "a resize terminated the RX pipe under the modem"
	echo 200 > "$(sim_debugfs)/idle_ms"
	log_test "driver: ring resizes during iperf3 --bidir keep it running"
}

line_down() { [ "$(dmux_sim_stat pc_line)" = 0 ]; }

test_rx_ring_at_collapse()
{
	RET=0
	local d active want

	d=$(sim_debugfs 0)
	echo 0 > "$d/idle_ms"
	ping -c 1 -W 2 10.0.0.2 >/dev/null
	check_err $? "ping failed"
	active=$(dmux_estat "$W" rx_ring_active)
	want=$((active == 128 ? 256 : 128))
	ethtool -G "$W" rx $want
	check_err $? "ethtool -G rx $want failed"
	[ "$(ring "$W" rx current)" = $want ]
	check_err $? "ethtool -g shows $(ring "$W" rx current), not the $want asked for"
	[ "$(dmux_estat "$W" rx_ring_active)" = "$active" ] &&
		[ "$(dmux_sim_stat dma_rx_desc_live)" = "$active" ]
	check_err $? "the running ring of $active changed under the modem"
	echo 50 > "$d/idle_ms"
	wait_for 10 line_down
	check_err $? "the modem did not power down"
	[ "$(dmux_estat "$W" rx_ring_active)" = $want ]
	check_err $? "rx_ring_active is $(dmux_estat "$W" rx_ring_active) after the collapse, expected $want"
	echo 0 > "$d/idle_ms"
	ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "ping on the new ring failed"
	wait_for 3 test "$(dmux_sim_stat dma_rx_desc_live)" = $want
	check_err $? "$(dmux_sim_stat dma_rx_desc_live) RX buffers posted, expected $want"
	[ "$(dmux_sim_stat dma_terminate_while_active)" = 0 ]
	check_err $? "the RX pipe was terminated under the modem"
	echo 200 > "$d/idle_ms"
	log_test "driver: ethtool -G rx on a running ring applies at the modem's next power collapse"
}

test_params()
{
	RET=0
	dmux_cleanup
	dmux_noipv6
	insmod "$SIM_KO" && insmod "$DRIVER_KO" rx_ring=8 tx_ring=1024
	check_err $? "insmod with rx_ring=8 tx_ring=1024 failed"
	wait_for 10 dmux_wwan 0
	W=$(dmux_wwan 0)
	[ "$(ring "$W" rx current)" = 8 ] && [ "$(ring "$W" tx current)" = 1024 ]
	check_err $? "rx_ring/tx_ring not applied"
	echo 7 > /sys/module/bam_dmux/parameters/rx_ring 2>/dev/null
	check_fail $? "rx_ring=7 accepted"
	echo 1025 > /sys/module/bam_dmux/parameters/tx_ring 2>/dev/null
	check_fail $? "tx_ring=1025 accepted"
	dmux_cleanup
	insmod "$SIM_KO" && insmod "$DRIVER_KO" rx_ring=4 2>/dev/null
	check_fail $? "insmod rx_ring=4 accepted"
	dmux_cleanup
	log_test "driver: rx_ring/tx_ring module parameters, range 8..1024"
}

require_cmd ethtool ip ping || exit 0
tests_run test_defaults test_set test_resize_under_iperf3 test_rx_ring_at_collapse test_params
exit $EXIT_STATUS
