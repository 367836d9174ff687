#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Driver: the ways the mainline driver (drivers/net/wwan/qcom_bam_dmux.c)
# is known to fail on hardware, each replayed against the simulated modem.
# Ours must survive every one:
#  - a TX descriptor preparation that fails on the deferred-wake path: the
#    mainline driver leaks the ring slot and a runtime PM reference (the
#    link never suspends again);
#  - a wake the modem never acks: every later send must still work;
#  - a modem crash while our vote is up: OPEN must be sent again and TX
#    must get its channel again once the modem is back;
#  - rmmod while the modem is slow to drop its line: wait for the line to
#    fall, handle it as any other (no pipe stopped under the modem), no
#    error logged; and a modem that never drops it: remove still ends,
#    and says what it did.
source "$(dirname "$0")/lib.sh"

cleanup() { dmux_cleanup; }

W=
NS=
SIM=

setup()
{
	dmux_noipv6
	dmux_load || return 1
	dmux_link 0 || return 1
	W=$(dmux_wwan 0)
	NS=$(dmux_ns 0)
	SIM=$(sim_debugfs 0)
}

test_prep_fail_deferred()
{
	RET=0
	local drops live

	setup
	check_err $? "setup failed"
	wait_for 10 dmux_suspended
	check_err $? "not suspended before the test"
	drops=$(dmux_ifstat "$W" tx_dropped)
	# suspended: the ping is deferred; the TX work resumes the link and
	# its submit of the deferred frame fails
	dmux_inject prep_fail_tx
	check_err $? "inject prep_fail_tx failed"
	ping -c 1 -W 2 10.0.0.2 >/dev/null 2>&1
	check_fail $? "the frame whose preparation failed was answered"
	[ $(($(dmux_ifstat "$W" tx_dropped) - drops)) -eq 1 ]
	check_err $? "tx_dropped +$(($(dmux_ifstat "$W" tx_dropped) - drops)), expected +1"
	# no runtime PM reference leaked: the link suspends again
	wait_for 10 dmux_suspended
	check_err $? "the link never suspended again: a runtime PM reference leaked"
	# no ring slot leaked: more frames than the ring holds go through
	ping -c 100 -i 0.002 -W 2 -q 10.0.0.2 >/dev/null
	check_err $? "a burst of 100 pings after the failure lost replies"
	wait_for 10 dmux_suspended
	check_err $? "the link did not suspend after the burst"
	live=$(dmux_sim_stat dma_tx_desc_live)
	[ "$live" = 0 ]
	check_err $? "$live TX descriptors alive on an idle link"
	log_test "driver: a failed TX prep on the deferred-wake path drops the frame, leaks no slot and no PM reference"
}

test_wake_never_acked()
{
	RET=0
	local i ok=0

	wait_for 10 dmux_suspended
	dmux_inject no_ack
	check_err $? "inject no_ack failed"
	# the vote of this ping goes unacked: it times out
	ping -c 1 -W 4 10.0.0.2 >/dev/null 2>&1
	for i in 1 2 3; do
		ping -c 1 -W 6 10.0.0.2 >/dev/null 2>&1 && ok=$((ok + 1))
	done
	[ $ok -ge 2 ]
	check_err $? "only $ok of 3 sends after the unacked wake worked"
	ping -c 5 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "the link is not usable after the unacked wake"
	log_test "driver: a wake the modem never acks: the sends after it work"
}

test_crash_vote_up()
{
	RET=0
	local pid restarts

	restarts=$(dmux_estat "$W" modem_restarts)
	# keep our vote up through the crash
	ping -i 0.05 -W 1 10.0.0.2 >/dev/null 2>&1 &
	pid=$!
	sleep 0.5
	grep -q '^host_vote 1' "$SIM/stats"
	check_err $? "our vote is not up before the crash"
	dmux_inject crash
	check_err $? "inject crash failed"
	wait_for 10 grep -q '^crashed 0' "$SIM/stats"
	check_err $? "the modem did not restart"
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	# the modem forgot our OPEN: we must send it again, and TX must work
	wait_for 20 ping -c 1 -W 2 10.0.0.2
	check_err $? "no traffic after the restart"
	[ $(( $(dmux_sim_stat host_open_mask) & 1 )) -eq 1 ]
	check_err $? "the modem has no OPEN of ours on channel 0 after its restart"
	ip netns exec "$NS" ping -c 3 -i 0.2 -W 2 10.0.0.1 >/dev/null
	check_err $? "no traffic from the modem after the restart"
	[ "$(dmux_estat "$W" modem_restarts)" -eq $((restarts + 1)) ]
	check_err $? "modem_restarts +$(($(dmux_estat "$W" modem_restarts) - restarts)), expected +1"
	log_test "driver: a modem crash under our vote: OPEN sent again, TX and RX channels taken again"
}

# messages of bam-dmux.0 at warning level or worse since line $1 of dmesg
new_warnings()
{
	dmesg --level=emerg,alert,crit,err,warn | tail -n +"$(($1 + 1))" | grep 'bam-dmux\.0'
}

test_rmmod_slow_modem()
{
	RET=0
	local n

	# the modem powers down 1 s after our vote went down and traffic stopped
	echo 1000 > "$SIM/idle_ms"
	ping -c 1 -W 2 10.0.0.2 >/dev/null
	n=$(dmesg --level=emerg,alert,crit,err,warn | wc -l)
	rmmod bam_dmux
	check_err $? "rmmod failed"
	dmux_ledger
	! new_warnings "$n"
	check_err $? "rmmod logged: $(new_warnings "$n")"
	[ "$(dmux_sim_stat pc_line)" = 0 ]
	check_err $? "the modem's line is still up: remove did not wait for its fall"
	for c in dma_terminate_while_active dma_access_while_down dma_issue_dead_pipe; do
		[ "$(dmux_sim_stat $c)" = 0 ]
		check_err $? "modem counted $c $(dmux_sim_stat $c)"
	done
	[ "$(dmux_sim_stat dma_rx_desc_live)" = 0 ] && [ "$(dmux_sim_stat dma_tx_desc_live)" = 0 ]
	check_err $? "descriptors left behind"
	dmux_unload
	log_test "driver: rmmod with a modem slow to power down waits for its fall, logs nothing"
}

test_rmmod_modem_stays_up()
{
	RET=0
	local n

	setup
	check_err $? "setup failed"
	# this modem never powers down by itself
	echo 0 > "$SIM/idle_ms"
	n=$(dmesg | wc -l)
	rmmod bam_dmux
	check_err $? "rmmod failed"
	dmesg | tail -n +"$((n + 1))" | grep -q 'modem kept its power line up'
	check_err $? "remove did not say it stopped DMA under the modem"
	[ "$(dmux_sim_stat dma_rx_desc_live)" = 0 ] && [ "$(dmux_sim_stat dma_tx_desc_live)" = 0 ]
	check_err $? "descriptors left behind"
	# what hardware would risk here is on record: not in the ledger
	rmmod bam_dmux_sim
	log_test "driver: rmmod with a modem that never powers down ends after 2 s and says so"
}

require_cmd ping ethtool dmesg || exit 0
tests_run test_prep_fail_deferred test_wake_never_acked test_crash_vote_up \
	test_rmmod_slow_modem test_rmmod_modem_stays_up
exit $EXIT_STATUS
