#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Driver: rmmod of the driver during traffic, rmmod of the simulator with
# the driver bound, reload afterwards; nothing left behind.
source "$(dirname "$0")/lib.sh"

cleanup() { dmux_cleanup; }

start_traffic()
{
	dmux_noipv6
	dmux_load "$@" || return 1
	dmux_link 0 || return 1
	ip netns exec "$(dmux_ns 0)" iperf3 -s -D -I /tmp/iperf3-37.pid
	sleep 0.5
	iperf3 -c 10.0.0.2 -t 20 --bidir >/dev/null 2>&1 &
	sleep 2
}

test_rmmod_driver_traffic()
{
	RET=0
	require_cmd iperf3 || return
	start_traffic
	check_err $? "setup failed"
	rmmod bam_dmux
	check_err $? "rmmod bam_dmux during iperf3 failed"
	[ "$(dmux_nr_wwan)" -eq 0 ]
	check_err $? "interfaces left after rmmod"
	pkill -x iperf3
	wait
	[ "$(dmux_sim_stat dma_rx_desc_live)" -eq 0 ] && [ "$(dmux_sim_stat dma_tx_desc_live)" -eq 0 ]
	check_err $? "DMA descriptors alive after rmmod: rx $(dmux_sim_stat dma_rx_desc_live) tx $(dmux_sim_stat dma_tx_desc_live)"
	insmod "$DRIVER_KO"
	check_err $? "reload failed"
	dmux_link 0
	check_err $? "no link after reload"
	dmux_cleanup
	log_test "driver: rmmod during iperf3 --bidir is clean, reload works"
}

test_rmmod_sim_traffic()
{
	RET=0
	require_cmd iperf3 || return
	start_traffic nr_modems=2
	check_err $? "setup failed"
	rmmod bam_dmux_sim
	check_err $? "rmmod bam_dmux_sim with the driver bound failed"
	[ "$(dmux_nr_wwan)" -eq 0 ] && [ "$(dmux_nr_wwan 1)" -eq 0 ]
	check_err $? "interfaces left after the simulator went away"
	pkill -x iperf3
	wait
	insmod "$SIM_KO"
	check_err $? "simulator reload failed"
	wait_for 10 dmux_wwan 0
	check_err $? "the driver did not bind the new modem"
	dmux_link 0
	check_err $? "no link with the reloaded simulator"
	dmux_cleanup
	log_test "driver: rmmod of the simulator under traffic unbinds the driver cleanly"
}

require_cmd ethtool ip ping || exit 0
tests_run test_rmmod_driver_traffic test_rmmod_sim_traffic
exit $EXIT_STATUS
