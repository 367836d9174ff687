#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Stress lane (make stress): the driver's lifecycle, load and unload.
#  - STRESS_LOAD_CYCLES (50) cycles: load the driver, bring channel 0 up,
#    start traffic both ways (flood pings from each side), unload the
#    driver under it after a random delay (seeded: the seed is printed);
#  - STRESS_SIM_REMOVALS (5) times: remove the simulator while iperf3
#    --bidir runs through the driver, load it again, the driver binds;
#  - two modems at once, iperf3 --bidir through both, side by side.
# Each ends with the modem's ledgers clean (no descriptor left alive, no
# misuse of the BAM) and, at the end, the slab counts of the caches our
# modules allocate from back where they started (see stress_slab_check)
# and no page_pool left with pages out.
source "$(dirname "$0")/lib.sh"

cleanup() { pkill -x ping; dmux_cleanup; }

SEED=${STRESS_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
SLAB0=/tmp/stress-51-slab

# flood pings both ways over channel 0 of modem M, in the background
pings_start()
{
	local m=${1:-0}

	ping -q -f -W 1 "10.$m.0.2" >/dev/null 2>&1 &
	ip netns exec "$(dmux_ns 0 "$m")" ping -q -f -W 1 "10.$m.0.1" >/dev/null 2>&1 &
}

pings_stop()
{
	pkill -x ping
	wait 2>/dev/null
}

test_setup()
{
	RET=0
	stress_warm_up "$SLAB0"
	echo "# seed $SEED (STRESS_SEED=$SEED reproduces the delays)"
	log_test "stress: load setup"
}

test_load_cycles()
{
	local i delay w failed=0

	RET=0
	RANDOM=$SEED
	insmod "$SIM_KO"
	check_err $? "loading the simulator failed"
	for ((i = 1; i <= STRESS_LOAD_CYCLES; i++)); do
		insmod "$DRIVER_KO" || { check_err 1 "cycle $i: insmod bam_dmux failed"; break; }
		wait_for 10 __dmux_bound 1
		if ! dmux_link 0; then
			check_err 1 "cycle $i: no ping over the new link"
			failed=1
		fi
		w=$(dmux_wwan 0)
		pings_start 0
		# 0..1 s of traffic, then the driver goes under it
		delay=$((RANDOM % 1000))
		sleep "$((delay / 1000)).$(printf %03d $((delay % 1000)))"
		rmmod bam_dmux || { check_err 1 "cycle $i: rmmod bam_dmux under traffic failed"; pings_stop; break; }
		pings_stop
		dmux_ledger
		[ -z "$(ip link show "$w" 2>/dev/null)" ]
		check_err $? "cycle $i: $w still there after the unload"
		[ "$(dmux_sim_stat dma_rx_desc_live)" = 0 ] && [ "$(dmux_sim_stat dma_tx_desc_live)" = 0 ]
		check_err $? "cycle $i: descriptors alive after the unload: rx $(dmux_sim_stat dma_rx_desc_live) tx $(dmux_sim_stat dma_tx_desc_live)"
		[ "$failed" = 1 ] && break
		[ $((i % 10)) = 0 ] && echo "# $i cycles, ${SECONDS} s"
	done
	echo "# $((i - 1)) load/unload cycles under traffic"
	out=$(stress_sim_clean 0)
	check_err $? "$out"
	dmux_cleanup
	log_test "stress: $STRESS_LOAD_CYCLES driver load/unload cycles, unloaded under flood pings, nothing left behind"
}

test_remove_sim()
{
	local i out

	RET=0
	dmux_load
	check_err $? "loading failed"
	for ((i = 1; i <= STRESS_SIM_REMOVALS; i++)); do
		dmux_link 0
		check_err $? "removal $i: link failed"
		stress_iperf_start 0 0 30
		check_err $? "removal $i: iperf3 did not start"
		sleep 2
		dmux_ledger
		rmmod bam_dmux_sim
		check_err $? "removal $i: rmmod bam_dmux_sim under traffic failed"
		[ ! -e /sys/bus/platform/devices/bam-dmux.0 ] && [ "$(dmux_nr_wwan 0)" = 0 ]
		check_err $? "removal $i: the device or its interfaces outlived the simulator"
		grep -q '^bam_dmux ' /proc/modules
		check_err $? "removal $i: the driver went with the simulator"
		# the client loses its peer: any exit will do, but it must exit
		kill "$STRESS_IPERF_PID" 2>/dev/null
		wait "$STRESS_IPERF_PID" 2>/dev/null
		pkill -x iperf3
		ip netns del "$(dmux_ns 0)"
		insmod "$SIM_KO"
		check_err $? "removal $i: loading the simulator again failed"
		wait_for 10 __dmux_bound 1
		check_err $? "removal $i: the driver did not bind the new modem"
		[ $RET -ne 0 ] && break
	done
	dmux_link 0
	check_err $? "no link after the last removal"
	out=$(stress_sim_clean 0)
	check_err $? "$out"
	dmux_cleanup
	log_test "stress: simulator removed $STRESS_SIM_REMOVALS times under iperf3 --bidir, the driver binds the next one"
}

test_two_modems()
{
	local m pid0 pid1 out w

	RET=0
	dmux_load nr_modems=2
	check_err $? "loading two modems failed"
	for m in 0 1; do
		dmux_link 0 $m
		check_err $? "modem $m: link failed"
	done
	stress_iperf_start 0 0 8
	pid0=$STRESS_IPERF_PID
	stress_iperf_start 0 1 8
	pid1=$STRESS_IPERF_PID
	sleep 3
	dmux_inject crash 1
	stress_iperf_wait "$pid0" 0 0
	check_err $? "modem 0: $STRESS_IPERF_ERR"
	stress_iperf_wait "$pid1" 0 1
	check_err $? "modem 1 (crashed under it): $STRESS_IPERF_ERR"
	for m in 0 1; do
		wait_for 10 ping -c 1 -W 1 "10.$m.0.2"
		check_err $? "modem $m: no ping afterwards"
		w=$(dmux_wwan 0 $m)
		ethtool "$w" >/dev/null 2>&1
		stress_ring_ledger "$w" "$m"
		check_err $? "modem $m: rx_ring_active $(dmux_estat "$w" rx_ring_active), modem holds $(dmux_sim_stat dma_rx_desc_live "$m")"
		out=$(stress_sim_clean $m)
		check_err $? "$out"
	done
	[ "$(dmux_estat "$(dmux_wwan 0 0)" modem_restarts)" = 0 ] && [ "$(dmux_estat "$(dmux_wwan 0 1)" modem_restarts)" = 1 ]
	check_err $? "modem_restarts: modem 0 $(dmux_estat "$(dmux_wwan 0 0)" modem_restarts) (expected 0), modem 1 $(dmux_estat "$(dmux_wwan 0 1)" modem_restarts) (expected 1)"
	dmux_cleanup
	log_test "stress: two modems, iperf3 --bidir through both, modem 1 crashed under it: both finish, only modem 1 restarted"
}

test_slab()
{
	RET=0
	stress_leak_checks "$SLAB0" "$STRESS_LOAD_CYCLES"
	log_test "stress: after the load cycles, slab counts (kmalloc-*, skbuff) back within tolerance, no page_pool left with pages out"
}

require_cmd ethtool ip ping iperf3 || exit 0
tests_run test_setup test_load_cycles test_remove_sim test_two_modems test_slab
exit $EXIT_STATUS
