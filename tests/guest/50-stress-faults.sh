#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Stress lane (make stress): the fault matrix under traffic. Every
# injection of the simulator runs while iperf3 --bidir runs over channel
# 0; after each one:
#  - the counter that matches it moved by exactly the amount injected
#    (the driver's, and where the driver cannot tell, the modem's);
#  - iperf3 finished, exit 0;
#  - ping goes through.
# Frame faults are STRESS_FAULT_COUNT (20) frames each. The modem's queue
# is made deep enough that no frame is dropped for room under iperf3 (a
# dropped fault frame would never reach the driver): rx_drop_queue_full
# must not move, so that "exactly" means what it says.
source "$(dirname "$0")/lib.sh"

cleanup() { dmux_cleanup; }

W=
SIM=
N=$STRESS_FAULT_COUNT
IPERF_SECS=${STRESS_FAULT_IPERF_SECS:-4}
BAD_COUNTERS="rx_bad_magic rx_bad_cmd rx_bad_channel rx_oversize rx_short rx_bad_pad rx_inactive_channel rx_dma_error"

residue() { echo "$1" > "$SIM/residue"; }

test_setup()
{
	RET=0
	dmux_setup
	SIM=$(sim_debugfs 0)
	# deeper than TCP's window: no fault frame is dropped for room
	echo 8192 > "$SIM/rx_queue_len"
	echo "# $N frames per frame fault, iperf3 --bidir for $IPERF_SECS s per fault"
	log_test "stress: fault matrix setup"
}

# under_traffic INJECTION RESIDUE: start iperf3, inject, wait for iperf3;
# sets QFULL0 (rx_drop_queue_full before) for after_traffic
under_traffic()
{
	local inj=$1

	residue "$2"
	QFULL0=$(dmux_sim_stat rx_drop_queue_full)
	stress_iperf_start 0 0 "$IPERF_SECS"
	check_err $? "iperf3 did not start"
	sleep 1
	dmux_inject "$inj"
	check_err $? "inject $inj failed"
}

# after_traffic: iperf3 ended well, nothing dropped for room, ping works
after_traffic()
{
	local out

	stress_iperf_wait "$STRESS_IPERF_PID" 0
	check_err $? "iperf3 did not finish: $STRESS_IPERF_ERR"
	[ "$(dmux_sim_stat rx_drop_queue_full)" = "$QFULL0" ]
	check_err $? "the modem dropped frames for room (rx_drop_queue_full +$(($(dmux_sim_stat rx_drop_queue_full) - QFULL0))): the count cannot be exact"
	wait_for 10 ping -c 1 -W 1 10.0.0.2
	check_err $? "no ping after the fault"
	ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "ping lost replies after the fault"
	residue none
}

# frame_fault INJECTION COUNTER RESIDUE: COUNT frames, COUNTER +COUNT
frame_fault()
{
	local inj=$1 counter=$2 res=$3 before got

	RET=0
	before=$(stress_estat_sum "$W" "$counter")
	under_traffic "$inj $N" "$res"
	wait_for 20 bash -c "[ \$(ethtool -S $W | awk '\$1 == \"$counter:\" {print \$2}') -ge $((before + N)) ]"
	after_traffic
	sleep 0.2
	got=$(($(stress_estat_sum "$W" "$counter") - before))
	[ "$got" -eq "$N" ]
	check_err $? "$counter +$got, expected +$N"
	log_test "stress: $inj x$N under iperf3 --bidir (residue=$res): $counter +$N, iperf3 ok, ping ok"
}

test_bad_magic() { frame_fault bad_magic rx_bad_magic none; }
test_bad_cmd() { frame_fault bad_cmd rx_bad_cmd none; }
test_bad_channel() { frame_fault bad_channel rx_bad_channel none; }
test_oversize() { frame_fault oversize rx_oversize none; }
test_short() { frame_fault short rx_short exact; }
test_bad_pad() { frame_fault bad_pad rx_bad_pad exact; }
test_unopened() { frame_fault unopened rx_inactive_channel none; }

test_garbage()
{
	local before got

	RET=0
	before=$(stress_estat_sum "$W" $BAD_COUNTERS)
	under_traffic "garbage $N" none
	after_traffic
	wait_for 10 bash -c "[ \$(ethtool -S $W | awk '/rx_bad|rx_oversize|rx_short|rx_inactive|rx_dma_error/ {s += \$2} END {print s}') -ge $((before + N)) ]"
	got=$(($(stress_estat_sum "$W" $BAD_COUNTERS) - before))
	[ "$got" -eq "$N" ]
	check_err $? "bad-frame counters +$got, expected +$N"
	log_test "stress: garbage x$N under iperf3 --bidir: the bad-frame counters +$N, iperf3 ok, ping ok"
}

# dma_error RESIDUE: N transfer errors, RX or TX, whichever comes first.
# The modem counts each in its rx_dma_error or tx_dma_error. The driver
# counts each RX one (residue none: by the zeroed header it posted) and,
# with residue exact only, each TX one (bam_dma reports none).
dma_error()
{
	local res=$1 drx dtx srx stx want_drv got_drv got_sim

	RET=0
	drx=$(dmux_estat "$W" rx_dma_error)
	dtx=$(dmux_estat "$W" tx_dma_error)
	srx=$(dmux_sim_stat rx_dma_error)
	stx=$(dmux_sim_stat tx_dma_error)
	under_traffic "dma_error $N" "$res"
	wait_for 20 bash -c "[ \$((\$(awk '\$1 == \"rx_dma_error\" || \$1 == \"tx_dma_error\" {s += \$2} END {print s}' $SIM/stats))) -ge $((srx + stx + N)) ]"
	after_traffic
	got_sim=$(($(dmux_sim_stat rx_dma_error) - srx + $(dmux_sim_stat tx_dma_error) - stx))
	[ "$got_sim" -eq "$N" ]
	check_err $? "the modem's rx_dma_error + tx_dma_error +$got_sim, expected +$N"
	want_drv=$(($(dmux_sim_stat rx_dma_error) - srx))
	[ "$res" = exact ] && want_drv=$N
	got_drv=$(($(dmux_estat "$W" rx_dma_error) - drx + $(dmux_estat "$W" tx_dma_error) - dtx))
	[ "$got_drv" -eq "$want_drv" ]
	check_err $? "the driver's rx_dma_error + tx_dma_error +$got_drv, expected +$want_drv"
	echo "# dma_error x$N (residue=$res): $(($(dmux_sim_stat rx_dma_error) - srx)) RX, $(($(dmux_sim_stat tx_dma_error) - stx)) TX"
	log_test "stress: dma_error x$N under iperf3 --bidir (residue=$res): each counted once, iperf3 ok, ping ok"
}

test_dma_error_none() { dma_error none; }
test_dma_error_exact() { dma_error exact; }

# prep_fail_rx: each refused RX prep is one failed refill (rx_alloc_fail),
# retried until the ring is full again
test_prep_fail_rx()
{
	local fails refused got

	RET=0
	fails=$(dmux_estat "$W" rx_alloc_fail)
	refused=$(dmux_sim_stat dma_rx_prep_refused)
	under_traffic "prep_fail_rx $N" none
	wait_for 20 bash -c "[ \$(awk '\$1 == \"dma_rx_prep_refused\" {print \$2}' $SIM/stats) -ge $((refused + N)) ]"
	after_traffic
	got=$(($(dmux_sim_stat dma_rx_prep_refused) - refused))
	[ "$got" -eq "$N" ]
	check_err $? "the modem refused $got RX preps, expected $N"
	got=$(($(dmux_estat "$W" rx_alloc_fail) - fails))
	[ "$got" -eq "$N" ]
	check_err $? "rx_alloc_fail +$got, expected +$N"
	stress_ring_ledger "$W"
	check_err $? "rx_ring_active $(dmux_estat "$W" rx_ring_active), modem holds $(dmux_sim_stat dma_rx_desc_live) RX descriptors"
	log_test "stress: prep_fail_rx x$N under iperf3 --bidir: rx_alloc_fail +$N, ring full again, iperf3 ok, ping ok"
}

# prep_fail_tx: the driver defers the frame and retries; it has no counter
# of its own for a refused TX prep, so the modem's count is the check
test_prep_fail_tx()
{
	local refused got

	RET=0
	refused=$(dmux_sim_stat dma_tx_prep_refused)
	under_traffic "prep_fail_tx $N" none
	wait_for 20 bash -c "[ \$(awk '\$1 == \"dma_tx_prep_refused\" {print \$2}' $SIM/stats) -ge $((refused + N)) ]"
	after_traffic
	got=$(($(dmux_sim_stat dma_tx_prep_refused) - refused))
	[ "$got" -eq "$N" ]
	check_err $? "the modem refused $got TX preps, expected $N"
	log_test "stress: prep_fail_tx x$N under iperf3 --bidir: $N preps refused (modem's count), iperf3 ok, ping ok"
}

# no_ack: the next host vote goes unacked. Under steady traffic the vote
# stays up, so it hits the vote off after iperf3 ends; the vote after it
# waits for that ack and times out once (pc_timeouts +1).
test_no_ack()
{
	local timeouts ignored

	RET=0
	timeouts=$(dmux_estat "$W" pc_timeouts)
	ignored=$(dmux_sim_stat votes_ignored)
	under_traffic no_ack none
	after_traffic
	wait_for 10 dmux_suspended
	ping -c 1 -W 6 10.0.0.2 >/dev/null 2>&1
	wait_for 5 dmux_suspended
	ping -c 1 -W 6 10.0.0.2 >/dev/null 2>&1
	wait_for 10 bash -c "[ \$(ethtool -S $W | awk '\$1 == \"pc_timeouts:\" {print \$2}') -ge $((timeouts + 1)) ]"
	[ $(($(dmux_estat "$W" pc_timeouts) - timeouts)) -eq 1 ]
	check_err $? "pc_timeouts +$(($(dmux_estat "$W" pc_timeouts) - timeouts)), expected +1"
	[ $(($(dmux_sim_stat votes_ignored) - ignored)) -eq 1 ]
	check_err $? "the modem ignored $(($(dmux_sim_stat votes_ignored) - ignored)) votes, expected 1"
	wait_for 10 ping -c 1 -W 2 10.0.0.2
	check_err $? "no ping after the timeout"
	log_test "stress: no_ack during iperf3 --bidir: one vote ignored, pc_timeouts +1, iperf3 ok, ping ok"
}

test_crash()
{
	local restarts crashes

	RET=0
	restarts=$(dmux_estat "$W" modem_restarts)
	crashes=$(dmux_sim_stat crashes)
	under_traffic crash none
	after_traffic
	[ $(($(dmux_sim_stat crashes) - crashes)) -eq 1 ] && [ "$(dmux_sim_stat crashed)" = 0 ]
	check_err $? "modem crashes +$(($(dmux_sim_stat crashes) - crashes)), crashed $(dmux_sim_stat crashed)"
	[ $(($(dmux_estat "$W" modem_restarts) - restarts)) -eq 1 ]
	check_err $? "modem_restarts +$(($(dmux_estat "$W" modem_restarts) - restarts)), expected +1"
	log_test "stress: crash during iperf3 --bidir: modem_restarts +1, iperf3 ok, ping ok"
}

test_ledgers()
{
	local out

	RET=0
	out=$(stress_sim_clean 0)
	check_err $? "$out"
	ethtool "$W" >/dev/null 2>&1
	stress_ring_ledger "$W"
	check_err $? "rx_ring_active $(dmux_estat "$W" rx_ring_active), modem holds $(dmux_sim_stat dma_rx_desc_live) RX descriptors"
	out=$(dmux_payload_check 0)
	check_err $? "$out"
	log_test "stress: after the matrix: no BAM misuse, RX ring whole, payloads intact both ways"
}

require_cmd ethtool ip ping iperf3 || exit 0
tests_run test_setup test_bad_magic test_bad_cmd test_bad_channel test_oversize \
	test_short test_bad_pad test_unopened test_garbage test_dma_error_none \
	test_dma_error_exact test_prep_fail_rx test_prep_fail_tx test_no_ack \
	test_crash test_ledgers
exit $EXIT_STATUS
