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

# burst FROM: 4 pings, host -> modem (FROM=host) or modem -> host; prints
# how many replies were lost
burst()
{
	local got

	if [ "$1" = host ]; then
		got=$(ping -c 4 -i 0.002 -W 1 -q 10.0.0.2 2>/dev/null)
	else
		got=$(ip netns exec "$NS" ping -c 4 -i 0.002 -W 1 -q 10.0.0.1 2>/dev/null)
	fi
	got=$(awk '/received/ { print $4 }' <<< "$got")
	echo $((4 - ${got:-0}))
}

test_power_soak()
{
	RET=0
	local downs0 downs=0 lost=0 stalls=0 i=0 t0 deadline from ring

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
	while [ "$downs" -lt "$CYCLES" ] && [ $SECONDS -lt $deadline ] && [ "$RET" -eq 0 ]; do
		from=host
		[ $((i % 2)) -eq 1 ] && from=modem
		lost=$((lost + $(burst $from)))
		wait_for 5 line_down || stalls=$((stalls + 1))
		downs=$(($(dmux_sim_stat idle_power_downs) - downs0))
		i=$((i + 1))
	done
	echo "# $downs power collapses in $((SECONDS - t0)) s, $i bursts, $lost replies lost, $stalls stalls"
	[ "$downs" -ge "$CYCLES" ]
	check_err $? "only $downs power collapses in $SECS s"
	[ "$lost" -eq 0 ] && [ "$stalls" -eq 0 ]
	check_err $? "$lost ping replies lost, $stalls times the modem did not power down"

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
