#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Driver: the modem powers its BAM down between bursts of traffic, hundreds
# of times (idle_ms 5, an autosuspend delay of 20 ms), as a phone's modem
# does when idle. Every collapse takes the driver through releasing its
# channels and freeing its buffers, and every burst through requesting
# them again and refilling the ring, from a host wake or the modem's own.
# Nothing may stall, no frame may be lost, no ring slot may leak, and the
# engine is never touched while the BAM has no power.
#
# DMUX_SOAK_CYCLES (default 500) collapses, within DMUX_SOAK_SECS (400).
source "$(dirname "$0")/lib.sh"

CYCLES=${DMUX_SOAK_CYCLES:-500}
SECS=${DMUX_SOAK_SECS:-400}
PM=/sys/bus/platform/devices/bam-dmux.0/power
D=
W=
NS=

cleanup() { dmux_cleanup; }

line_down() { [ "$(dmux_sim_stat pc_line)" = 0 ]; }

# lost FILE: replies a ping summary in FILE did not get
lost()
{
	awk '/transmitted/ { print $1 - $4 }' "$1"
}

# round N: N pings from each side at once, 0.25 s apart and a half period
# out of step, so that the link powers down between any two of them;
# prints how many replies were lost
round()
{
	local n=$1 a=/tmp/soak-host.$$ b=/tmp/soak-modem.$$ pid

	ping -c "$n" -i 0.25 -W 1 -q 10.0.0.2 > $a 2>&1 &
	pid=$!
	sleep 0.125
	ip netns exec "$NS" ping -c "$n" -i 0.25 -W 1 -q 10.0.0.1 > $b 2>&1
	wait $pid
	echo $(($(lost $a) + $(lost $b)))
	rm -f $a $b
}

test_power_soak()
{
	RET=0
	local downs0 downs=0 lost=0 stalls=0 i=0 t0 deadline ring

	dmux_noipv6
	dmux_load && dmux_link 0
	check_err $? "setup failed"
	D=$(sim_debugfs 0)
	W=$(dmux_wwan 0)
	NS=$(dmux_ns 0)
	echo 20 > $PM/autosuspend_delay_ms
	echo 5 > "$D/idle_ms"
	downs0=$(dmux_sim_stat idle_power_downs)
	t0=$SECONDS
	deadline=$((SECONDS + SECS))
	while [ "$downs" -lt "$CYCLES" ] && [ $SECONDS -lt $deadline ]; do
		lost=$((lost + $(round 20)))
		downs=$(($(dmux_sim_stat idle_power_downs) - downs0))
		i=$((i + 40))
	done
	wait_for 5 line_down || stalls=1
	echo "# $downs power collapses in $((SECONDS - t0)) s, $i pings, $lost replies lost"
	[ "$downs" -ge "$CYCLES" ]
	check_err $? "only $downs power collapses in $SECS s"
	[ "$lost" -eq 0 ]
	check_err $? "$lost ping replies lost"
	[ "$stalls" -eq 0 ]
	check_err $? "the modem did not power down after the last round"

	# powered down, the driver holds nothing; powered up, every slot posted
	line_down && [ "$(dmux_sim_stat dma_rx_desc_live)" = 0 ] &&
		[ "$(dmux_sim_stat dma_tx_desc_live)" = 0 ]
	check_err $? "descriptors held while the BAM is down: rx $(dmux_sim_stat dma_rx_desc_live), tx $(dmux_sim_stat dma_tx_desc_live)"
	echo 0 > "$D/idle_ms"
	ping -c 1 -W 2 10.0.0.2 >/dev/null
	check_err $? "no traffic after the soak"
	ring=$(dmux_estat "$W" rx_ring_active)
	wait_for 5 test "$(dmux_sim_stat dma_rx_desc_live)" = "$ring"
	check_err $? "RX ring of $ring has $(dmux_sim_stat dma_rx_desc_live) buffers posted: slots lost"
	for c in rx_alloc_fail pc_timeouts dma_setup_fail rx_dma_error tx_dma_error; do
		[ "$(dmux_estat "$W" $c)" = 0 ]
		check_err $? "$c is $(dmux_estat "$W" $c)"
	done
	for c in dma_access_while_down dma_issue_dead_pipe dma_terminate_while_active \
		 events_lost host_acks_spurious; do
		[ "$(dmux_sim_stat $c)" = 0 ]
		check_err $? "modem counted $c $(dmux_sim_stat $c)"
	done
	out=$(dmux_payload_check 0)
	check_err $? "$out"
	echo 200 > "$D/idle_ms"
	echo 1000 > $PM/autosuspend_delay_ms
	log_test "driver: $CYCLES power collapses between bursts both ways: no stall, no loss, no slot lost"
}

require_cmd ping ethtool || exit 0
tests_run test_power_soak
exit $EXIT_STATUS
