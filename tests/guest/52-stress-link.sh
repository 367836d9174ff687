#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Stress lane (make stress): the interfaces' lifecycle.
#  - STRESS_LINK_CYCLES (500) `ip link` down/up cycles spread over all
#    eight channels, under a ping on channel 0: every cycle is one CLOSE
#    and one OPEN at the modem, exactly; every channel passes traffic
#    afterwards;
#  - MTU changes from 68 to 2040 (every boundary, then seeded random
#    values) under a ping: at each MTU, a packet of exactly that size goes
#    through unfragmented both ways; outside 68..2040 refused;
#  - STRESS_NETNS_MOVES (20) moves of bdsim0 between two network
#    namespaces, each followed by a ping through it.
# Ends with the modem's ledgers clean and the slab counts back (see
# stress_slab_check).
source "$(dirname "$0")/lib.sh"

cleanup() { pkill -x ping; ip netns del stress-b 2>/dev/null; dmux_cleanup; }

SEED=${STRESS_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
SLAB0=/tmp/stress-52-slab
NR_CH=8

test_setup()
{
	local ch

	RET=0
	stress_warm_up "$SLAB0"
	dmux_load
	for ((ch = 0; ch < NR_CH; ch++)); do
		dmux_link $ch
		check_err $? "channel $ch: link failed"
	done
	echo "# seed $SEED (STRESS_SEED=$SEED reproduces the MTU sequence)"
	log_test "stress: link setup, $NR_CH channels up"
}

test_link_cycles()
{
	local i ch w opens closes want pid wwans=()

	RET=0
	# found once: dmux_wwan forks for every interface, seconds under TCG
	for ((ch = 0; ch < NR_CH; ch++)); do
		wwans+=("$(dmux_wwan $ch)")
	done
	opens=$(dmux_sim_stat host_open)
	closes=$(dmux_sim_stat host_close)
	ping -q -i 0.05 -W 1 10.0.0.2 >/dev/null 2>&1 &
	pid=$!
	for ((i = 0; i < STRESS_LINK_CYCLES; i++)); do
		w=${wwans[i % NR_CH]}
		ip link set "$w" down || { check_err 1 "cycle $i: $w down failed"; break; }
		ip link set "$w" up || { check_err 1 "cycle $i: $w up failed"; break; }
		[ $(((i + 1) % 100)) = 0 ] && echo "# $((i + 1)) cycles, ${SECONDS} s"
	done
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	echo "# $i ip link down/up cycles over $NR_CH channels"
	want=$i
	wait_for 20 bash -c "[ \$(awk '\$1 == \"host_open\" {print \$2}' $(sim_debugfs)/stats) -ge $((opens + want)) ]"
	[ $(($(dmux_sim_stat host_close) - closes)) -eq "$want" ]
	check_err $? "the modem saw $(($(dmux_sim_stat host_close) - closes)) CLOSEs, expected $want"
	[ $(($(dmux_sim_stat host_open) - opens)) -eq "$want" ]
	check_err $? "the modem saw $(($(dmux_sim_stat host_open) - opens)) OPENs, expected $want"
	[ "$(printf %d "$(dmux_sim_stat host_open_mask)")" -eq $(((1 << NR_CH) - 1)) ]
	check_err $? "host_open_mask $(dmux_sim_stat host_open_mask) after the cycles, expected all $NR_CH"
	for ((ch = 0; ch < NR_CH; ch++)); do
		# the addresses went with the link: put them back
		dmux_link $ch
		check_err $? "channel $ch: no ping after the cycles"
	done
	log_test "stress: $STRESS_LINK_CYCLES ip link down/up cycles over $NR_CH channels: one CLOSE and one OPEN each, every channel passes traffic"
}

# mtu_set MTU: both ends of channel 0
mtu_set()
{
	ip link set "$(dmux_wwan 0)" mtu "$1" &&
		ip netns exec "$(dmux_ns 0)" ip link set bdsim0 mtu "$1"
}

test_mtu()
{
	local mtu mtus i pid w

	RET=0
	RANDOM=$SEED
	w=$(dmux_wwan 0)
	mtus="68 69 70 71 72 576 1279 1280 1499 1500 1501 2036 2039 2040"
	for ((i = 0; i < 16; i++)); do
		mtus="$mtus $((68 + RANDOM % (2040 - 68 + 1)))"
	done
	ping -q -i 0.05 -s 20 -W 1 10.0.0.2 >/dev/null 2>&1 &
	pid=$!
	for mtu in $mtus; do
		mtu_set "$mtu"
		check_err $? "MTU $mtu refused"
		# an ICMP echo of exactly MTU bytes, DF set, each way
		ping -c 1 -W 2 -M do -s $((mtu - 28)) 10.0.0.2 >/dev/null
		check_err $? "MTU $mtu: no ping of $mtu bytes to the modem"
		ip netns exec "$(dmux_ns 0)" ping -c 1 -W 2 -M do -s $((mtu - 28)) 10.0.0.1 >/dev/null
		check_err $? "MTU $mtu: no ping of $mtu bytes from the modem"
		[ $RET -ne 0 ] && break
	done
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	ip link set "$w" mtu 67 2>/dev/null
	check_fail $? "MTU 67 accepted"
	ip link set "$w" mtu 2041 2>/dev/null
	check_fail $? "MTU 2041 accepted"
	mtu_set 1500
	echo "# MTUs: $mtus"
	log_test "stress: MTU 68..2040 (boundaries and 16 seeded) under ping: a full-size packet each way at each, 67 and 2041 refused"
}

test_netns_moves()
{
	local i ns a=$(dmux_ns 0) b=stress-b

	RET=0
	ip netns add $b
	dmux_noipv6 $b
	ip netns exec $b ip link set lo up
	for ((i = 1; i <= STRESS_NETNS_MOVES; i++)); do
		ip netns exec $a ip link set bdsim0 netns $b
		check_err $? "move $i: to $b failed"
		ip netns exec $b ip addr add 10.0.0.2 peer 10.0.0.1 dev bdsim0
		ip netns exec $b ip link set bdsim0 up
		wait_for 5 ping -c 1 -W 1 10.0.0.2
		check_err $? "move $i: no ping with bdsim0 in $b"
		ip netns exec $b ip link set bdsim0 netns $a
		check_err $? "move $i: back to $a failed"
		ip netns exec $a ip addr add 10.0.0.2 peer 10.0.0.1 dev bdsim0
		ip netns exec $a ip link set bdsim0 up
		wait_for 5 ping -c 1 -W 1 10.0.0.2
		check_err $? "move $i: no ping with bdsim0 back in $a"
		[ $RET -ne 0 ] && break
	done
	# a namespace that goes away hands its interfaces back to init_net
	ip netns exec $a ip link set bdsim0 netns $b
	ip netns del $b
	wait_for 5 ip link show bdsim0
	check_err $? "bdsim0 did not come back to the root namespace with its netns deleted"
	ip link set bdsim0 netns $a
	dmux_link 0
	check_err $? "no ping after the moves"
	log_test "stress: bdsim0 moved between two netns $STRESS_NETNS_MOVES times (and its netns deleted), traffic each time"
}

test_end()
{
	local out w

	RET=0
	w=$(dmux_wwan 0)
	ethtool "$w" >/dev/null 2>&1
	stress_ring_ledger "$w"
	check_err $? "rx_ring_active $(dmux_estat "$w" rx_ring_active), modem holds $(dmux_sim_stat dma_rx_desc_live) RX descriptors"
	out=$(stress_sim_clean 0)
	check_err $? "$out"
	stress_leak_checks "$SLAB0" "$STRESS_LINK_CYCLES"
	log_test "stress: after the link cycles: RX ring whole, no BAM misuse, slab counts back within tolerance"
}

require_cmd ethtool ip ping || exit 0
tests_run test_setup test_link_cycles test_mtu test_netns_moves test_end
exit $EXIT_STATUS
