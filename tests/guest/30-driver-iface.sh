#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Driver: the interfaces as ModemManager and a user see them
# (name, type, flags, devtype, dev_port, parent, MTU, ethtool -i), created on
# the modem's OPEN, detached on its CLOSE, re-attached on a new OPEN.
source "$(dirname "$0")/lib.sh"

cleanup() { dmux_cleanup; }

test_announced_only()
{
	RET=0
	dmux_noipv6
	dmux_load channels=0x05
	check_err $? "loading the modules failed"
	wait_for 10 dmux_wwan 2
	check_err $? "no interface for channel 2"
	[ "$(dmux_nr_wwan)" -eq 2 ]
	check_err $? "expected 2 interfaces (channels 0x05), got $(dmux_nr_wwan)"
	dmux_wwan 1 >/dev/null
	check_fail $? "an interface for channel 1, which the modem did not announce"
	dmux_cleanup
	log_test "driver: one interface per announced channel (channels=0x05)"
}

test_identity()
{
	RET=0
	local w d ch

	dmux_load
	check_err $? "loading the modules failed"
	wait_for 10 dmux_wwan 7
	check_err $? "no interface for channel 7"
	[ "$(dmux_nr_wwan)" -eq 8 ]
	check_err $? "expected 8 interfaces, got $(dmux_nr_wwan)"
	for ch in 0 3 7; do
		w=$(dmux_wwan $ch)
		d=/sys/class/net/$w
		[[ "$w" == wwan* ]]
		check_err $? "ch $ch: name $w is not wwan%d"
		[ "$(cat $d/type)" = 519 ]
		check_err $? "ch $ch: type $(cat $d/type), not ARPHRD_RAWIP (519)"
		grep -q '^DEVTYPE=wwan$' $d/uevent
		check_err $? "ch $ch: devtype is not wwan"
		[ "$(cat $d/dev_port)" = $ch ]
		check_err $? "ch $ch: dev_port $(cat $d/dev_port)"
		[ "$(basename "$(readlink -f $d/device)")" = bam-dmux.0 ]
		check_err $? "ch $ch: parent is not bam-dmux.0"
		ip link show "$w" | grep -q 'POINTOPOINT,NOARP'
		check_err $? "ch $ch: not POINTOPOINT,NOARP"
		[ "$(cat $d/mtu)" = 1500 ]
		check_err $? "ch $ch: mtu $(cat $d/mtu)"
		ip -d link show "$w" | grep -q 'maxmtu 2040'
		check_err $? "ch $ch: max MTU is not 2040"
		[ "$(cat $d/addr_assign_type)" = 1 ]
		check_err $? "ch $ch: perm_addr is not random"
		ethtool -i "$w" | grep -q '^driver: bam-dmux$'
		check_err $? "ch $ch: ethtool -i driver is not bam-dmux"
		ethtool -i "$w" | grep -q '^bus-info: bam-dmux.0$'
		check_err $? "ch $ch: ethtool -i bus-info is not bam-dmux.0"
	done
	ip link set "$(dmux_wwan 0)" mtu 2040
	check_err $? "MTU 2040 refused"
	ip link set "$(dmux_wwan 0)" mtu 2041 2>/dev/null
	check_fail $? "MTU 2041 accepted"
	ip link set "$(dmux_wwan 0)" mtu 1500
	log_test "driver: wwanN are RAWIP, point-to-point, devtype wwan, dev_port = channel, ethtool -i bam-dmux"
}

test_close_reopen()
{
	RET=0
	local w sim

	dmux_link 3
	check_err $? "link on channel 3 failed"
	w=$(dmux_wwan 3)
	sim=$(sim_debugfs)
	echo 3 > "$sim/close"
	check_err $? "close action failed"
	wait_for 5 grep -qx 0 /sys/class/net/$w/carrier
	check_err $? "$w still has carrier after the modem's CLOSE"
	# (operstate follows only once re-attached: linkwatch skips absent devices)
	ip link show "$w" | grep -q LOWER_UP
	check_fail $? "ip link still shows LOWER_UP on $w"
	ping -c 1 -W 1 10.0.3.2 >/dev/null 2>&1
	check_fail $? "ping passed over a closed channel"
	echo 3 > "$sim/open"
	check_err $? "open action failed"
	wait_for 10 ping -c 1 -W 1 10.0.3.2
	check_err $? "no ping after the modem re-opened channel 3"
	[ "$(dmux_wwan 3)" = "$w" ]
	check_err $? "the interface was recreated instead of re-attached"
	log_test "driver: modem CLOSE detaches wwanN, re-OPEN re-attaches it (same interface)"
}

test_host_open_close()
{
	RET=0
	local w opened closed

	w=$(dmux_wwan 3)
	opened=$(dmux_sim_stat host_open)
	closed=$(dmux_sim_stat host_close)
	ip link set "$w" down
	wait_for 5 bash -c "[ \$(awk '\$1 == \"host_close\" {print \$2}' $(sim_debugfs)/stats) -eq $((closed + 1)) ]"
	check_err $? "no CLOSE reached the modem when $w went down"
	ip link set "$w" up
	wait_for 5 bash -c "[ \$(awk '\$1 == \"host_open\" {print \$2}' $(sim_debugfs)/stats) -eq $((opened + 1)) ]"
	check_err $? "no OPEN reached the modem when $w went up"
	log_test "driver: interface down/up sends CLOSE/OPEN to the modem"
}

test_ethtool_names()
{
	RET=0
	local want got

	want="rx_polls rx_budget_exhausted rx_bad_magic rx_bad_cmd rx_bad_channel rx_oversize rx_short rx_bad_pad rx_inactive_channel rx_alloc_fail rx_dma_error tx_ring_full tx_deferred tx_dma_error pc_votes pc_wakeups pc_timeouts remote_power_up remote_power_down modem_restarts pc_merged dma_setup_fail rx_ring_active"
	got=$(ethtool -S "$(dmux_wwan 0)" | awk -F: 'NR > 1 {gsub(/ /, "", $1); printf "%s ", $1}')
	[ "$got" = "$want " ]
	check_err $? "ethtool -S names differ: $got"
	log_test "driver: ethtool -S lists its 22 counters and the rx_ring_active gauge, in order"
}

require_cmd ethtool ip ping || exit 0
tests_run test_announced_only test_identity test_ethtool_names test_close_reopen test_host_open_close
exit $EXIT_STATUS
