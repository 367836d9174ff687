#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Driver: the modem crashes (no acks, no completions, pc line down)
# mid-traffic and restarts; the driver tears the data path down, keeps the
# interfaces (detached, no carrier) and resumes when the modem announces
# its channels again: no module reload. A restart quick enough that its
# fall and rise reach the driver as one interrupt (irq_coalesce) is taken
# as both, and acked.
source "$(dirname "$0")/lib.sh"

cleanup() { dmux_cleanup; }

W=
SIM=

test_setup()
{
	RET=0
	dmux_noipv6
	dmux_load
	check_err $? "loading failed"
	dmux_link 0
	check_err $? "link failed"
	W=$(dmux_wwan 0)
	SIM=$(sim_debugfs)
	log_test "driver: restart setup"
}

test_crash_idle_link()
{
	RET=0
	local restarts

	restarts=$(dmux_estat "$W" modem_restarts)
	# ethtool just resumed the link: the vote is up when the modem dies
	echo 2000 > "$SIM/restart_ms"
	dmux_inject crash
	check_err $? "inject crash failed"
	wait_for 3 grep -qx 0 "/sys/class/net/$W/carrier"
	check_err $? "$W kept its carrier while the modem was down"
	ip link show "$W" >/dev/null
	check_err $? "$W disappeared"
	wait_for 10 grep -qx 1 "/sys/class/net/$W/carrier"
	check_err $? "$W did not get its carrier back after the restart"
	wait_for 10 ping -c 1 -W 1 10.0.0.2
	check_err $? "no ping after the restart"
	[ $(($(dmux_estat "$W" modem_restarts) - restarts)) -eq 1 ]
	check_err $? "modem_restarts +$(($(dmux_estat "$W" modem_restarts) - restarts)), expected +1"
	echo 500 > "$SIM/restart_ms"
	log_test "driver: modem crash: $W detached (no carrier), back after the restart, modem_restarts +1"
}

test_crash_under_iperf3()
{
	RET=0
	local pid i

	require_cmd iperf3 || return
	ip netns exec "$(dmux_ns 0)" iperf3 -s -D -I /tmp/iperf3-35.pid
	sleep 0.5
	iperf3 -c 10.0.0.2 -t 30 --bidir >/dev/null 2>&1 &
	pid=$!
	sleep 2
	dmux_inject crash
	check_err $? "inject crash failed"
	sleep 3
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	kill "$(cat /tmp/iperf3-35.pid)" 2>/dev/null
	wait_for 10 ping -c 1 -W 1 10.0.0.2
	check_err $? "no ping after a crash under traffic"
	for i in 1 2 3; do
		dmux_inject crash
		sleep 0.2
		wait_for 10 ping -c 1 -W 1 10.0.0.2
		check_err $? "no ping after crash $i"
	done
	ping -c 5 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "link not stable after repeated crashes"
	[ "$(dmux_sim_stat dma_rx_desc_live)" -le "$(ethtool -g "$W" | awk '/^Current/ {c = 1} c && /^RX:/ {print $2; exit}')" ]
	check_err $? "more RX descriptors alive than ring slots: $(dmux_sim_stat dma_rx_desc_live)"
	log_test "driver: crash during iperf3 --bidir and three more in a row: recovers every time"
}

test_crash_suspended()
{
	RET=0

	wait_for 10 dmux_suspended
	dmux_inject crash
	check_err $? "inject crash failed"
	sleep 1
	wait_for 10 ping -c 1 -W 1 10.0.0.2
	check_err $? "no ping after a crash while suspended"
	log_test "driver: crash while suspended (the modem forgot our OPEN): OPEN sent again, traffic flows"
}

# crash_merged COALESCE: crashes with an immediate restart until one
# reaches the driver as a single pc interrupt (up to 20 tries); with
# irq_coalesce 0 every edge is its own event and none may merge
crash_merged()
{
	local coalesce=$1 merged0 tries=0 merged

	echo "$coalesce" > "$SIM/irq_coalesce"
	echo 0 > "$SIM/restart_ms"
	merged0=$(dmux_estat "$W" pc_merged)
	while [ $tries -lt 20 ]; do
		tries=$((tries + 1))
		ping -c 1 -W 2 10.0.0.2 >/dev/null 2>&1
		dmux_inject crash
		wait_for 10 grep -q '^crashed 0' "$SIM/stats"
		wait_for 20 ping -c 1 -W 1 10.0.0.2
		check_err $? "no traffic after crash $tries (irq_coalesce $coalesce)"
		merged=$(($(dmux_estat "$W" pc_merged) - merged0))
		[ "$coalesce" = 1 ] && [ $merged -gt 0 ] && break
		[ "$coalesce" = 0 ] && [ $tries -ge 3 ] && break
		[ $RET -ne 0 ] && break
	done
	echo 500 > "$SIM/restart_ms"
	echo 1 > "$SIM/irq_coalesce"
	echo "# irq_coalesce $coalesce: $tries crashes, pc_merged +$merged, events_coalesced $(dmux_sim_stat events_coalesced)"
	if [ "$coalesce" = 1 ]; then
		[ $merged -gt 0 ]
		check_err $? "no crash and restart reached the driver as one interrupt in $tries tries"
	else
		[ $merged -eq 0 ]
		check_err $? "pc_merged +$merged with irq_coalesce 0"
	fi
}

# after it, the modem owes nothing and is owed nothing: it still idles
check_acks_settled()
{
	ip netns exec "$(dmux_ns 0)" ping -c 3 -i 0.2 -W 2 10.0.0.1 >/dev/null
	check_err $? "no traffic from the modem"
	wait_for 10 grep -q '^host_acks_owed 0' "$SIM/stats"
	check_err $? "the modem still waits for $(dmux_sim_stat host_acks_owed) acks"
	[ "$(dmux_sim_stat host_acks_spurious)" = 0 ]
	check_err $? "$(dmux_sim_stat host_acks_spurious) acks nobody asked for"
	# (it may have done so already: the line must be down, or go down)
	echo 50 > "$SIM/idle_ms"
	wait_for 10 grep -q '^pc_line 0' "$SIM/stats"
	check_err $? "the modem no longer powers down when idle"
	echo 200 > "$SIM/idle_ms"
}

test_crash_merged()
{
	RET=0

	crash_merged 1
	check_acks_settled
	log_test "driver: a crash and restart merged into one pc interrupt: taken as both, acked, traffic flows"
}

test_crash_unmerged()
{
	RET=0

	crash_merged 0
	check_acks_settled
	log_test "driver: with irq_coalesce 0, a quick restart comes as two events, both acked"
}

test_payload()
{
	RET=0
	local out

	out=$(dmux_payload_check 0)
	check_err $? "$out"
	log_test "driver: after the restarts, payload bytes intact both ways"
}

require_cmd ethtool ip ping || exit 0
tests_run test_setup test_crash_idle_link test_crash_under_iperf3 test_crash_suspended \
	test_crash_merged test_crash_unmerged test_payload
exit $EXIT_STATUS
