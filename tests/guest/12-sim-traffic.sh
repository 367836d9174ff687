#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# bam_dmux_sim: data through wwanN <-> bdsimN (modem side in its own netns),
# counted exactly on both sides; the modem drops what the host has not
# opened.
source "$(dirname "$0")/lib.sh"

cleanup() { sim_cleanup; }

test_ping_counts()
{
	RET=0
	local rx0 tx0 brx0 btx0

	dmux_load
	check_err $? "loading the modules failed"
	sim_link 0 0
	check_err $? "no link on channel 0"
	sleep 0.5
	rx0=$(sim_stat ch0_rx_frames); tx0=$(sim_stat ch0_tx_frames)
	brx0=$(sim_nsstat 0 0 rx_packets); btx0=$(sim_nsstat 0 0 tx_packets)
	ping -q -c 5 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "ping wwan -> bdsim0 failed"
	[ $(($(sim_stat ch0_tx_frames) - tx0)) -eq 5 ] &&
		[ $(($(sim_stat ch0_rx_frames) - rx0)) -eq 5 ]
	check_err $? "modem counted $(($(sim_stat ch0_tx_frames) - tx0)) requests, $(($(sim_stat ch0_rx_frames) - rx0)) replies, expected 5 and 5"
	[ $(($(sim_nsstat 0 0 rx_packets) - brx0)) -eq 5 ] &&
		[ $(($(sim_nsstat 0 0 tx_packets) - btx0)) -eq 5 ]
	check_err $? "bdsim0 statistics did not count 5 each way"
	sim_ping_host 0 0 5
	check_err $? "ping bdsim0 -> wwan failed"
	log_test "sim: ping both ways over channel 0, counted exactly"
}

test_iperf()
{
	RET=0
	local b0

	require_cmd iperf3 || return
	b0=$(sim_stat ch0_tx_bytes)
	sim_iperf_server 0 0
	check_err $? "iperf3 server did not start"
	timeout -k 2 30 iperf3 -c 10.0.0.2 -t 2 >/dev/null
	check_err $? "iperf3 host -> modem failed"
	[ $(($(sim_stat ch0_tx_bytes) - b0)) -gt 100000 ]
	check_err $? "the modem saw no bulk data"
	b0=$(sim_stat ch0_rx_bytes)
	sim_iperf_server 0 0
	timeout -k 2 30 iperf3 -c 10.0.0.2 -t 2 -R >/dev/null
	check_err $? "iperf3 modem -> host failed"
	[ $(($(sim_stat ch0_rx_bytes) - b0)) -gt 100000 ]
	check_err $? "the modem sent no bulk data"
	log_test "sim: iperf3 both ways over channel 0"
}

# snmp PROTO FIELD: a counter of /proc/net/snmp (root netns: the host)
snmp()
{
	awk -v p="$1:" -v f="$2" '$1 == p {
		if (!c) { for (i = 2; i <= NF; i++) if ($i == f) c = i; next }
		print $c; exit }' /proc/net/snmp
}

test_offloads()
{
	RET=0
	local f0 b0 k0 o0 t0 u0 d0 frames bytes

	require_cmd iperf3 ethtool || return
	sim_in_ns 0 0 ethtool -k bdsim0 | grep -q '^tcp-segmentation-offload: on' &&
		sim_in_ns 0 0 ethtool -k bdsim0 | grep -q '^scatter-gather: on' &&
		sim_in_ns 0 0 ethtool -k bdsim0 | grep -q '^tx-checksumming: on'
	check_err $? "bdsim0 does not offer SG, checksum offload and TSO"
	# TSO from the modem's TCP: one frame per packet, no larger than the
	# MTU, checksums the host (wwan0: no offload) accepts
	f0=$(sim_stat ch0_rx_frames); b0=$(sim_stat ch0_rx_bytes)
	k0=$(cat /sys/class/net/wwan0/statistics/rx_packets)
	o0=$(sim_stat rx_drop_oversize); t0=$(snmp Tcp InCsumErrors)
	sim_iperf_server 0 0
	timeout -k 2 30 iperf3 -c 10.0.0.2 -t 2 -R >/dev/null
	check_err $? "iperf3 modem -> host failed"
	frames=$(($(sim_stat ch0_rx_frames) - f0))
	bytes=$(($(sim_stat ch0_rx_bytes) - b0))
	[ "$bytes" -gt 100000 ] && [ "$bytes" -le $((frames * 1500)) ]
	check_err $? "$frames frames carried $bytes bytes: more than the MTU a frame"
	[ $(($(cat /sys/class/net/wwan0/statistics/rx_packets) - k0)) -eq "$frames" ]
	check_err $? "wwan0 received $(($(cat /sys/class/net/wwan0/statistics/rx_packets) - k0)) packets of $frames frames"
	[ "$(sim_stat rx_drop_oversize)" = "$o0" ]
	check_err $? "the modem framed a GSO packet whole (rx_drop_oversize)"
	[ "$(snmp Tcp InCsumErrors)" = "$t0" ]
	check_err $? "the host's TCP saw bad checksums"
	# UDP leaves its checksum to bdsim too
	u0=$(snmp Udp InDatagrams); d0=$(snmp Udp InCsumErrors)
	sim_iperf_server 0 0
	timeout -k 2 30 iperf3 -c 10.0.0.2 -u -b 2M -l 1400 -t 1 -R >/dev/null
	check_err $? "iperf3 UDP modem -> host failed"
	[ $(($(snmp Udp InDatagrams) - u0)) -gt 50 ] && [ "$(snmp Udp InCsumErrors)" = "$d0" ]
	check_err $? "the host received $(($(snmp Udp InDatagrams) - u0)) UDP datagrams, $(($(snmp Udp InCsumErrors) - d0)) with bad checksums"
	log_test "sim: bdsim offloads SG/csum/TSO; one frame per packet, valid checksums"
}

test_two_channels()
{
	RET=0
	local a b

	sim_link 3 0
	check_err $? "no link on channel 3"
	a=$(sim_stat ch3_tx_frames); b=$(sim_stat ch0_tx_frames)
	ping -q -c 4 -i 0.2 -W 2 10.0.3.2 >/dev/null
	check_err $? "ping over channel 3 failed"
	[ $(($(sim_stat ch3_tx_frames) - a)) -eq 4 ] && [ "$(sim_stat ch0_tx_frames)" = "$b" ]
	check_err $? "channel 3 traffic was not counted on channel 3 alone"
	sim_ping 0 0 2
	check_err $? "channel 0 stopped working"
	log_test "sim: two channels at once, counted per channel"
}

test_unopened_drop()
{
	RET=0
	local d0 t0 ns

	# channel 1: the modem side is up, the host never brought wwan up
	ns=$(sim_ns 1 0)
	ip netns add "$ns"
	sim_noipv6 "$ns"
	ip link set bdsim1 netns "$ns"
	sim_in_ns 1 0 ip addr add 10.0.1.2 peer 10.0.1.1 dev bdsim1
	sim_in_ns 1 0 ip link set bdsim1 up
	d0=$(sim_stat rx_drop_unopened); t0=$(sim_nsstat 1 0 tx_dropped)
	sim_in_ns 1 0 ping -q -c 3 -i 0.2 -W 1 10.0.1.1 >/dev/null 2>&1
	check_fail $? "ping went through a channel the host never opened"
	[ $(($(sim_stat rx_drop_unopened) - d0)) -eq 3 ]
	check_err $? "rx_drop_unopened moved by $(($(sim_stat rx_drop_unopened) - d0)), expected 3"
	[ $(($(sim_nsstat 1 0 tx_dropped) - t0)) -eq 3 ]
	check_err $? "bdsim1 tx_dropped did not count 3"
	log_test "sim: the modem drops and counts data for a channel the host has not opened"
}

test_down_drop()
{
	RET=0
	local d0 r0 d r

	# the host sends on channel 0 while the modem side's bdsim0 is down
	sim_in_ns 0 0 ip link set bdsim0 down
	d0=$(sim_stat tx_drop_down); r0=$(sim_nsstat 0 0 rx_dropped)
	sim_ping 0 0 3
	check_fail $? "ping answered while bdsim0 was down"
	d=$(($(sim_stat tx_drop_down) - d0)); r=$(($(sim_nsstat 0 0 rx_dropped) - r0))
	[ "$d" -eq 3 ] && [ "$r" -eq 3 ]
	check_err $? "3 pings to a down bdsim0: tx_drop_down moved by $d, rx_dropped by $r"
	sim_in_ns 0 0 ip link set bdsim0 up
	wait_for 10 sim_ping 0 0 2
	check_err $? "no traffic after bdsim0 came back up"
	log_test "sim: data for a bdsim that is down is dropped and counted by both"
}

test_stats64()
{
	RET=0
	local line

	line=$(sim_in_ns 0 0 cat /proc/net/dev | awk '$1 == "bdsim0:"')
	[ -n "$line" ] && [ "$(echo "$line" | awk '{print $3}')" = "$(sim_nsstat 0 0 rx_packets)" ]
	check_err $? "/proc/net/dev disagrees with the sysfs statistics"
	sim_in_ns 0 0 ip -s -s link show bdsim0 | grep -q "RX:"
	check_err $? "ip -s link shows no statistics"
	log_test "sim: bdsim statistics through rtnl_link_stats64"
}

test_rmmod_under_traffic()
{
	RET=0
	local pid

	require_cmd iperf3 || return
	sim_iperf_server 0 0
	timeout -k 2 20 iperf3 -c 10.0.0.2 -t 10 >/dev/null 2>&1 &
	pid=$!
	sleep 2
	rmmod bam_dmux_sim
	check_err $? "rmmod bam_dmux_sim under iperf3 failed"
	wait "$pid"
	sim_iperf_stop
	[ "$(sim_nr_wwan 0)" -eq 0 ]
	check_err $? "the driver's interfaces outlived the modem"
	rmmod bam_dmux
	check_err $? "rmmod bam_dmux afterwards failed"
	log_test "sim: rmmod of the simulator during iperf3 is clean"
}

tests_run test_ping_counts test_iperf test_offloads test_two_channels test_unopened_drop test_down_drop \
	test_stats64 test_rmmod_under_traffic
