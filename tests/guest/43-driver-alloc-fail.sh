#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Driver under the kernel's allocation fault injection (failslab and
# fail_page_alloc; the debug kernel has them, Debian's has not: make test
# KERNEL=debug):
#  - probe, each of its allocations failed in turn: the nth allocation of
#    the task that writes the driver's bind file fails (/proc/thread-self/
#    fail-nth, slab and page allocations both), for n = 1, 2, ... until a
#    bind makes fewer than n. Every attempt binds or fails with an errno;
#    afterwards the device binds and passes traffic;
#  - the RX refill while atomic allocations fail (everyone's: a refill runs
#    in softirq, where no task filter applies) under downlink traffic, with
#    and without the page_pool: rx_alloc_fail counts the failures (without
#    the page_pool, whose recycling makes a failed refill likely but not
#    certain, it must count one), the retries fill the ring again (every
#    slot one posted buffer) and payloads pass.
# What was allocated and not freed is for 99-kmemleak at the end of the run.
source "$(dirname "$0")/lib.sh"

FAILSLAB=/sys/kernel/debug/failslab
FAILPAGE=/sys/kernel/debug/fail_page_alloc
DRV=/sys/bus/platform/drivers/bam-dmux
DEV=bam-dmux.0
BIND_MAX=${BIND_MAX:-400}	# far more allocations than a probe makes
OUTCOME=
W=
RMEM0=$(sysctl -n net.ipv4.tcp_rmem)

# fault_reset DIR: no injection from DIR, its filters back to the defaults
fault_reset()
{
	local d=$1

	echo 0 > "$d/probability"
	echo 1 > "$d/interval"
	echo 1 > "$d/times"
	echo 0 > "$d/space"
	echo N > "$d/task-filter"
	echo Y > "$d/ignore-gfp-wait"
	[ -e "$d/min-order" ] && echo 1 > "$d/min-order"
	return 0
}

cleanup()
{
	[ -d "$FAILSLAB" ] && fault_reset "$FAILSLAB"
	[ -d "$FAILPAGE" ] && fault_reset "$FAILPAGE"
	pkill -f IO::Socket::INET 2>/dev/null
	sysctl -qw net.ipv4.tcp_rmem="$RMEM0"
	dmux_cleanup
}

have_fault_injection()
{
	[ -d "$FAILSLAB" ] && [ -d "$FAILPAGE" ] && [ -e /proc/thread-self/fail-nth ]
}

# bind_with_nth_failure N: write the bind file from a subshell whose nth
# slab or page allocation fails. Sets OUTCOME to "ok" (bound), "failed"
# (the write failed: an errno) or "done" (the subshell made fewer than n
# allocations: nothing was injected; each attribute's times goes from 1
# to 0 when it injects).
bind_with_nth_failure()
{
	local rc

	echo 1 > "$FAILSLAB/times"
	echo 1 > "$FAILPAGE/times"
	(
		echo "$1" > /proc/thread-self/fail-nth || exit 99
		echo "$DEV" > "$DRV/bind"
		rc=$?
		echo 0 > /proc/thread-self/fail-nth
		exit $rc
	) 2>/dev/null
	rc=$?
	if [ "$(cat "$FAILSLAB/times")" = 1 ] && [ "$(cat "$FAILPAGE/times")" = 1 ]; then
		[ $rc = 0 ] && OUTCOME=done || OUTCOME="failed without an injection (exit $rc)"
	elif [ $rc = 0 ]; then
		OUTCOME=ok
	else
		OUTCOME=failed
	fi
}

bound() { [ -e "$DRV/$DEV" ]; }

test_probe_nth_failure()
{
	local n ok=0 failed=0

	RET=0
	dmux_noipv6
	dmux_load
	check_err $? "loading failed"
	echo "$DEV" > "$DRV/unbind"
	check_err $? "unbind failed"
	# fail-nth counts only the allocations the attributes let through
	echo N > "$FAILSLAB/ignore-gfp-wait"
	echo N > "$FAILPAGE/ignore-gfp-wait"
	echo 0 > "$FAILPAGE/min-order"
	echo 0 > "$FAILSLAB/verbose"
	echo 0 > "$FAILPAGE/verbose"
	for ((n = 1; n <= BIND_MAX; n++)); do
		bind_with_nth_failure $n
		case "$OUTCOME" in
		ok) ok=$((ok + 1)) ;;
		failed) failed=$((failed + 1)) ;;
		done) break ;;
		*)
			check_err 1 "bind with allocation $n failed: $OUTCOME"
			break
			;;
		esac
		if bound; then
			# the interfaces come from a work item: let them come, then go
			wait_for 10 test "$(dmux_nr_wwan)" -gt 0
			echo "$DEV" > "$DRV/unbind"
			check_err $? "unbind after bind $n failed"
		fi
		[ "$(dmux_nr_wwan)" = 0 ]
		check_err $? "after bind $n: $(dmux_nr_wwan) interfaces left"
		[ $RET = 0 ] || break
	done
	fault_reset "$FAILSLAB"
	fault_reset "$FAILPAGE"
	echo "# probe: $((n - 1)) allocations failed in turn: $failed binds failed with an errno, $ok bound anyway"
	[ $n -le $BIND_MAX ]
	check_err $? "the bind still made $BIND_MAX allocations: did fail-nth count?"
	[ $failed -gt 0 ]
	check_err $? "no failed allocation made the bind fail"
	bound
	check_err $? "the last bind (no injection) did not bind"
	dmux_link 0
	check_err $? "no link after the sweep"
	W=$(dmux_wwan 0)
	dmux_payload_check 0
	check_err $? "payloads after the sweep"
	log_test "driver: probe with each of its allocations failed in turn: bound or an errno, nothing left, then it works"
}

# rx_under_atomic_failures PAGE_POOL: downlink iperf3 while 5 % of all
# atomic slab allocations and 20 % of atomic page allocations fail, for 4 s
rx_under_atomic_failures()
{
	local pp=$1 fails0 fails pid hoarder

	RET=0
	dmux_cleanup
	dmux_noipv6
	dmux_load -- rx_page_pool="$pp" rx_ring=64
	check_err $? "loading with rx_page_pool=$pp failed"
	dmux_link 0
	check_err $? "link failed"
	W=$(dmux_wwan 0)
	# the ring is counted with the modem up: no idle power-down meanwhile
	echo 0 > "$(sim_debugfs)/idle_ms"
	fails0=$(dmux_estat "$W" rx_alloc_fail)
	ip netns exec "$(dmux_ns 0)" iperf3 -s -1 -D -B 10.0.0.2 -I /tmp/iperf3-43.pid
	wait_for 5 test -s /tmp/iperf3-43.pid
	# a receiver that never reads keeps the pages of what it got: the
	# page_pool cannot recycle them and refills from the page allocator
	sysctl -qw net.ipv4.tcp_rmem="4096 4194304 8388608"
	perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalAddr => "10.0.0.1:5300",
		Listen => 1, ReuseAddr => 1) or die; $c = $s->accept; sleep 8' &
	hoarder=$!
	iperf3 -c 10.0.0.2 -t 8 -R > /tmp/iperf3-43.out 2>&1 &
	pid=$!
	sleep 2
	for d in "$FAILSLAB" "$FAILPAGE"; do
		echo 0 > "$d/verbose"
		echo -1 > "$d/times"
		echo Y > "$d/ignore-gfp-wait"
	done
	echo 0 > "$FAILPAGE/min-order"
	# a page_pool refill asks for 64 pages at once, and only a bulk
	# request and its single-page fallback failing both fail it
	echo 5 > "$FAILSLAB/probability"
	echo 20 > "$FAILPAGE/probability"
	ip netns exec "$(dmux_ns 0)" timeout 4 bash -c 'cat /dev/zero > /dev/tcp/10.0.0.1/5300' 2>/dev/null
	fault_reset "$FAILSLAB"
	fault_reset "$FAILPAGE"
	wait "$pid"
	kill "$hoarder" 2>/dev/null
	wait "$hoarder" 2>/dev/null
	sysctl -qw net.ipv4.tcp_rmem="$RMEM0"
	[ -s /tmp/iperf3-43.pid ] && kill "$(cat /tmp/iperf3-43.pid)" 2>/dev/null
	rm -f /tmp/iperf3-43.pid
	fails=$(($(dmux_estat "$W" rx_alloc_fail) - fails0))
	echo "# rx_page_pool=$pp: rx_alloc_fail +$fails, rx_packets $(dmux_ifstat "$W" rx_packets)"
	# the page_pool recycles: its refills reach the page allocator only
	# as fast as the hoarder keeps pages, so a failure is likely, not sure
	if [ "$pp" = 0 ]; then
		[ "$fails" -gt 0 ]
		check_err $? "no RX allocation failure counted: the injection missed the refill"
	fi
	ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null
	check_err $? "no ping after the injection"
	stress_ring_ledger "$W"
	check_err $? "rx_ring_active $(dmux_estat "$W" rx_ring_active), modem holds $(dmux_sim_stat dma_rx_desc_live) RX buffers: a slot was lost"
	dmux_payload_check 0
	check_err $? "payloads after the injection"
	echo 200 > "$(sim_debugfs)/idle_ms"
	if [ "$pp" = 0 ]; then
		log_test "driver: RX refill while atomic allocations fail (rx_page_pool=0): counted, retried, ring whole"
	else
		log_test "driver: RX while atomic allocations fail (rx_page_pool=1, $fails refills failed): ring whole, payloads pass"
	fi
}

test_rx_atomic_failures_skb() { rx_under_atomic_failures 0; }
test_rx_atomic_failures_page_pool() { rx_under_atomic_failures 1; }

if ! have_fault_injection; then
	log_skip "driver: allocation failures (failslab, fail_page_alloc)" "this kernel has no fault injection (make test KERNEL=debug)"
	exit 0
fi
require_cmd iperf3 ethtool || exit 0
# ALLOC_FAIL_TESTS picks some of them (the probe sweep takes minutes)
tests_run ${ALLOC_FAIL_TESTS:-test_probe_nth_failure test_rx_atomic_failures_skb test_rx_atomic_failures_page_pool}
