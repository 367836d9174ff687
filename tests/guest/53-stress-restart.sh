#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Stress lane (make stress): the rings and the modem's restarts under
# iperf3 --bidir.
#  - STRESS_RESIZES (20) ring resizes (ethtool -G, seeded sizes 8..1024)
#    while iperf3 runs: it finishes, the RX ring ends whole (every active
#    slot one posted descriptor), no live RX pipe was terminated;
#  - STRESS_CRASHES (20) modem crash/restart cycles while iperf3 runs:
#    every one counted once by both sides (crashes, modem_restarts), iperf3
#    finishes, ping goes through after each.
# Ends with the modem's ledgers clean and the slab counts back (see
# stress_slab_check).
source "$(dirname "$0")/lib.sh"

cleanup() { dmux_cleanup; }

SEED=${STRESS_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
SLAB0=/tmp/stress-53-slab
W=
SIM=

test_setup()
{
	RET=0
	stress_warm_up "$SLAB0"
	dmux_load
	dmux_link 0
	check_err $? "link failed"
	W=$(dmux_wwan 0)
	SIM=$(sim_debugfs 0)
	echo "# seed $SEED (STRESS_SEED=$SEED reproduces the ring sizes)"
	log_test "stress: restart setup"
}

test_resizes()
{
	local i rx tx sizes= out

	RET=0
	RANDOM=$SEED
	stress_iperf_start 0 0 $((STRESS_RESIZES / 2 + 4))
	check_err $? "iperf3 did not start"
	sleep 1
	for ((i = 0; i < STRESS_RESIZES; i++)); do
		rx=$((8 << (RANDOM % 8)))
		tx=$((8 << (RANDOM % 8)))
		sizes="$sizes $rx/$tx"
		ethtool -G "$W" rx $rx tx $tx
		check_err $? "resize $i: ethtool -G rx $rx tx $tx failed"
		sleep 0.5
	done
	stress_iperf_wait "$STRESS_IPERF_PID" 0
	check_err $? "iperf3 did not survive the resizes: $STRESS_IPERF_ERR"
	wait_for 10 ping -c 1 -W 1 10.0.0.2
	check_err $? "no ping after the resizes"
	ethtool "$W" >/dev/null 2>&1
	stress_ring_ledger "$W"
	check_err $? "rx_ring_active $(dmux_estat "$W" rx_ring_active), modem holds $(dmux_sim_stat dma_rx_desc_live) RX descriptors"
	[ "$(dmux_sim_stat dma_terminate_while_active)" = 0 ]
	check_err $? "a resize terminated the RX pipe under the modem"
	ethtool -G "$W" rx 64 tx 64
	echo "# rx/tx sizes:$sizes"
	log_test "stress: $STRESS_RESIZES ring resizes (8..1024) under iperf3 --bidir: it finishes, the RX ring ends whole"
}

test_crashes()
{
	local i restarts crashes out

	RET=0
	restarts=$(dmux_estat "$W" modem_restarts)
	crashes=$(dmux_sim_stat crashes)
	# a crash takes restart_ms (500) and the reconnect; TCP backs off
	stress_iperf_start 0 0 $((STRESS_CRASHES * 2 + 4))
	check_err $? "iperf3 did not start"
	sleep 1
	for ((i = 1; i <= STRESS_CRASHES; i++)); do
		dmux_inject crash
		check_err $? "crash $i: inject failed"
		wait_for 10 grep -q '^crashed 0' "$SIM/stats"
		check_err $? "crash $i: the modem did not restart"
		wait_for 10 ping -c 1 -W 1 10.0.0.2
		check_err $? "crash $i: no ping after the restart"
		[ $RET -ne 0 ] && break
	done
	stress_iperf_wait "$STRESS_IPERF_PID" 0
	check_err $? "iperf3 did not survive the crashes: $STRESS_IPERF_ERR"
	[ $(($(dmux_sim_stat crashes) - crashes)) -eq "$STRESS_CRASHES" ]
	check_err $? "modem crashes +$(($(dmux_sim_stat crashes) - crashes)), expected +$STRESS_CRASHES"
	[ $(($(dmux_estat "$W" modem_restarts) - restarts)) -eq "$STRESS_CRASHES" ]
	check_err $? "modem_restarts +$(($(dmux_estat "$W" modem_restarts) - restarts)), expected +$STRESS_CRASHES"
	ping -c 5 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "ping lost replies after the crashes"
	log_test "stress: $STRESS_CRASHES modem crash/restart cycles under iperf3 --bidir: each counted once, it finishes"
}

test_end()
{
	local out

	RET=0
	ethtool "$W" >/dev/null 2>&1
	stress_ring_ledger "$W"
	check_err $? "rx_ring_active $(dmux_estat "$W" rx_ring_active), modem holds $(dmux_sim_stat dma_rx_desc_live) RX descriptors"
	out=$(stress_sim_clean 0)
	check_err $? "$out"
	out=$(dmux_payload_check 0)
	check_err $? "$out"
	stress_leak_checks "$SLAB0" "$STRESS_CRASHES"
	log_test "stress: after resizes and crashes: RX ring whole, no BAM misuse, payloads intact, slab counts back within tolerance"
}

require_cmd ethtool ip ping iperf3 || exit 0
tests_run test_setup test_resizes test_crashes test_end
exit $EXIT_STATUS
