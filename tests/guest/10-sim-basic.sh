#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# bam_dmux_sim: knobs and their defaults, the bdsim interfaces, the stats
# file, netns moves, nr_modems, and unloading the simulator under the driver.
source "$(dirname "$0")/lib.sh"

cleanup() { sim_cleanup; }

test_defaults()
{
	RET=0
	local k v d

	dmux_load
	check_err $? "loading the modules failed"
	d=$(sim_debugfs 0)
	for k in rx_queue_len:1000 rate_rx_kbps:0 rate_tx_kbps:0 latency_us:0 \
		 channels:0xff wake_delay_us:1000 idle_ms:200 restart_ms:500 \
		 bam_powered_remotely:Y irq_coalesce:Y residue:none \
		 link_burst_us:1000 engine_cpu:-1; do
		v=$(cat "$d/${k%%:*}" 2>/dev/null)
		[ "$v" = "${k#*:}" ]
		check_err $? "${k%%:*} is '$v', expected ${k#*:}"
	done
	for k in open close open_no_a2_pc inject; do
		[ -f "$d/$k" ] && ! cat "$d/$k" >/dev/null 2>&1
		check_err $? "$k is missing or readable"
	done
	[ -r "$d/stats" ] && ! echo 1 > "$d/stats" 2>/dev/null
	check_err $? "stats is missing or writable"
	echo 12345 > "$d/rx_queue_len" && [ "$(cat "$d/rx_queue_len")" = 12345 ]
	check_err $? "rx_queue_len does not keep a written value"
	echo nonsense > "$d/inject" 2>/dev/null
	check_fail $? "inject accepted an unknown fault"
	echo 8 > "$d/open" 2>/dev/null
	check_fail $? "open accepted channel 8"
	echo 4096 > "$d/engine_cpu" 2>/dev/null
	check_fail $? "engine_cpu accepted CPU 4096"
	echo 0 > "$d/engine_cpu" && [ "$(cat "$d/engine_cpu")" = 0 ]
	check_err $? "engine_cpu does not keep CPU 0"
	echo -1 > "$d/engine_cpu" && [ "$(cat "$d/engine_cpu")" = -1 ]
	check_err $? "engine_cpu does not go back to -1"
	log_test "sim: debugfs knobs exist with their documented defaults"
}

test_interfaces()
{
	RET=0
	local ch f n

	for ch in 0 1 2 3 4 5 6 7; do
		f=/sys/class/net/bdsim$ch
		[ -d $f ]
		check_err $? "bdsim$ch missing"
		[ "$(cat $f/type 2>/dev/null)" = 519 ]
		check_err $? "bdsim$ch is not ARPHRD_RAWIP"
		[ "$(cat $f/dev_port 2>/dev/null)" = $ch ]
		check_err $? "bdsim$ch dev_port is not $ch"
		# IFF_POINTOPOINT 0x10, IFF_NOARP 0x80
		[ $(($(cat $f/flags) & 0x90)) -eq $((0x90)) ]
		check_err $? "bdsim$ch is not POINTOPOINT|NOARP"
	done
	wait_for 10 sim_nr_wwan_is 8 0
	n=$(sim_nr_wwan 0)
	[ "$n" -eq 8 ]
	check_err $? "the driver made $n interfaces for 8 announced channels"
	[ "$(sim_stat modem_open_mask)" = 0xff ]
	check_err $? "modem_open_mask is not 0xff"
	log_test "sim: bdsim0..7 are raw-IP point-to-point, the driver sees 8 channels"
}

test_stats_format()
{
	RET=0
	local name bad

	bad=$(grep -cvE '^[a-z][a-z0-9_]* (0x[0-9a-f]+|[0-9]+)$' "$(sim_debugfs 0)/stats")
	[ "$bad" -eq 0 ]
	check_err $? "$bad stats lines are not 'name value'"
	for name in pc_line host_vote crashed rx_queued rx_frames tx_frames \
		    rx_drop_queue_full rx_drop_unopened tx_bad_magic tx_unopened \
		    inject_crash power_up power_down wakes wake_last_us \
		    wake_min_us wake_max_us ch7_rx_bytes ch0_tx_frames; do
		sim_stat $name >/dev/null
		check_err $? "stats has no $name"
	done
	echo 1 > /sys/kernel/debug/bam_dmux_sim/modem0/stats 2>/dev/null
	check_fail $? "stats is writable"
	log_test "sim: stats is read-only, one 'name value' a line"
}

test_netns_move()
{
	RET=0

	ip netns add sim-0-9
	ip link set bdsim5 netns sim-0-9
	check_err $? "cannot move bdsim5 to a netns"
	ip netns exec sim-0-9 ip link show bdsim5 >/dev/null 2>&1
	check_err $? "bdsim5 is not in the netns"
	ip netns del sim-0-9
	wait_for 5 ip link show bdsim5
	check_err $? "bdsim5 did not come back when the netns was deleted"
	log_test "sim: bdsim interfaces move between network namespaces"
}

test_driver_rebind()
{
	RET=0

	sim_link 0 0
	check_err $? "no traffic on channel 0"
	rmmod bam_dmux
	check_err $? "rmmod bam_dmux failed"
	[ "$(sim_stat dma_rx_desc_live)" = 0 ] && [ "$(sim_stat dma_tx_desc_live)" = 0 ]
	check_err $? "the driver left DMA descriptors behind (rx $(sim_stat dma_rx_desc_live), tx $(sim_stat dma_tx_desc_live))"
	[ "$(sim_stat host_started)" = 0 ]
	check_err $? "the power-control provider was not stopped"
	insmod "$DRIVER_KO"
	check_err $? "reloading the driver failed"
	wait_for 10 sim_nr_wwan_is 8 0
	check_err $? "the modem did not announce its channels to the new driver"
	ip netns exec "$(sim_ns 0 0)" ip link set bdsim0 up
	sim_link 0 0
	check_err $? "no traffic after the driver came back"
	ip netns del "$(sim_ns 0 0)"
	wait_for 5 ip link show bdsim0
	log_test "sim: the driver unbinds with no DMA descriptor left, a new driver gets the channels"
}

test_rmmod_sim_first()
{
	RET=0

	ip netns add sim-0-0
	ip link set bdsim0 netns sim-0-0
	rmmod bam_dmux_sim
	check_err $? "rmmod bam_dmux_sim with the driver bound failed"
	grep -q '^bam_dmux ' /proc/modules
	check_err $? "the driver went away too"
	[ ! -e /sys/bus/platform/devices/bam-dmux.0 ]
	check_err $? "bam-dmux.0 is still there"
	[ "$(sim_nr_wwan 0)" -eq 0 ] && [ "$(sim_nr_bdsim 0)" -eq 0 ]
	check_err $? "interfaces left behind"
	! ip netns exec sim-0-0 ip link show bdsim0 >/dev/null 2>&1
	check_err $? "bdsim0 left behind in its netns"
	ip netns del sim-0-0
	insmod "$SIM_KO"
	check_err $? "reloading the simulator failed"
	wait_for 10 test -e /sys/bus/platform/drivers/bam-dmux/bam-dmux.0
	check_err $? "the loaded driver did not bind the new modem"
	wait_for 10 sim_nr_wwan_is 8 0
	check_err $? "no interfaces after the reload"
	dmux_unload
	check_err $? "unloading failed"
	log_test "sim: rmmod of the simulator with the driver bound is clean"
}

test_nr_modems()
{
	RET=0
	local m

	insmod "$SIM_KO" nr_modems=5 2>/dev/null
	check_fail $? "nr_modems=5 was accepted"
	rmmod bam_dmux_sim 2>/dev/null
	dmux_load nr_modems=4
	check_err $? "loading with nr_modems=4 failed"
	for m in 0 1 2 3; do
		[ -d "$(sim_debugfs $m)" ]
		check_err $? "no debugfs for modem $m"
		[ "$(sim_nr_bdsim $m)" -eq 8 ]
		check_err $? "modem $m does not have 8 bdsim interfaces"
		wait_for 10 sim_nr_wwan_is 8 $m
		check_err $? "the driver has not 8 interfaces for modem $m"
	done
	[ -e /sys/class/net/bdsim3-7 ]
	check_err $? "no bdsim3-7"
	dmux_unload
	check_err $? "unloading failed"
	log_test "sim: nr_modems=4 makes four independent modems, 5 is refused"
}

tests_run test_defaults test_interfaces test_stats_format test_netns_move \
	test_driver_rebind test_rmmod_sim_first test_nr_modems
