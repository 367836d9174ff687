# SPDX-License-Identifier: GPL-2.0-only
# Helpers of the stress lane (tests/guest/5x-stress-*.sh, `make stress`),
# sourced by lib.sh.
#
# Counts and times come from the environment so that a slow kernel (the
# debug one) can run fewer; the defaults are issue 10's targets. A run
# prints what it used, so that the figures in Documentation/testing.rst
# can be checked against a log.

STRESS_LOAD_CYCLES=${STRESS_LOAD_CYCLES:-50}
STRESS_LINK_CYCLES=${STRESS_LINK_CYCLES:-500}
STRESS_RESIZES=${STRESS_RESIZES:-20}
STRESS_CRASHES=${STRESS_CRASHES:-20}
STRESS_FAULT_COUNT=${STRESS_FAULT_COUNT:-20}
STRESS_SIM_REMOVALS=${STRESS_SIM_REMOVALS:-5}
STRESS_NETNS_MOVES=${STRESS_NETNS_MOVES:-20}

# The caches our modules' allocations land in. Neither module creates a
# kmem_cache of its own: their skbs come from skbuff_head_cache (RX
# buffers and frames from the simulator's queue) and skbuff_fclone_cache
# (TCP), everything else (rings, netdevs, descriptors, buffers) from the
# kmalloc-* caches. SLUB merges caches of the same size, so other users
# share these counts: see stress_slab_check for the tolerance.
STRESS_SLAB_RE='^(kmalloc-[0-9k]+|skbuff_head_cache|skbuff_fclone_cache) '

# stress_slab_snapshot FILE: active objects of those caches, "NAME COUNT"
# a line, after flushing each cache's per-CPU slabs (writing its "shrink"
# file): SLUB counts the free objects of a CPU's slab as active, which
# would otherwise add hundreds of objects of noise per cache.
stress_slab_snapshot()
{
	local c

	# objects freed through RCU (sockets, netns, skbs freed from BH) first
	sleep 1
	for c in $(awk -v re="$STRESS_SLAB_RE" '$0 ~ re {print $1}' /proc/slabinfo); do
		echo 1 > "/sys/kernel/slab/$c/shrink" 2>/dev/null
	done
	awk -v re="$STRESS_SLAB_RE" '$0 ~ re {print $1, $2}' /proc/slabinfo > "$1"
}

# stress_slab_check BEFORE CYCLES: compare now against the snapshot BEFORE.
# Prints the caches that grew by more than the tolerance; fails then.
#
# Tolerance: max(STRESS_SLAB_SLACK (1024), CYCLES / 2) objects per cache.
# Other users share these caches: bash, ip and the other tools allocate
# and free as they run, and the kernel keeps some objects
# (neighbour entries, routes, the page_pool's recycling ring) for a
# while. Each check prints the largest change it saw (stderr, which the
# guest runner turns into a TAP comment). What this catches: an object kept per cycle across a stress run
# of more than 512 cycles, and anything that scales with a ring (64 RX
# buffers kept per load or crash cycle are 3200 skbs after 50 cycles).
# Seen here: kmalloc-8 moved by 430-509 objects either way in one script
# with nothing of ours in between (and one run of 53- ended +456 on it), so
# the tolerance is twice that noise.
# It does not catch a single small leak: kmemleak on the debug kernel does
# (tests/guest/99-kmemleak.sh runs in the stress lane after these scripts).
stress_slab_check()
{
	local before=$1 cycles=$2 now slack rc

	slack=$(( ${STRESS_SLAB_SLACK:-1024} > cycles / 2 ? ${STRESS_SLAB_SLACK:-1024} : cycles / 2 ))
	now=$(mktemp)
	stress_slab_snapshot "$now"
	# the largest change either way goes to the log, for the tolerance
	awk '
		NR == FNR { was[$1] = $2; next }
		($1 in was) {
			d = $2 - was[$1]
			if (d > up) { up = d; upc = $1 }
			if (d < down) { down = d; downc = $1 }
		}
		END { printf "# slab: largest growth %s %+d, largest fall %s %+d\n", upc, up, downc, down }' \
		"$before" "$now" >&2
	awk -v slack="$slack" '
		NR == FNR { was[$1] = $2; next }
		($1 in was) && $2 - was[$1] > slack {
			printf "%s %d -> %d (+%d, tolerance %d); ", $1, was[$1], $2, $2 - was[$1], slack
			bad = 1
		}
		END { exit bad }' "$before" "$now"
	rc=$?
	rm -f "$now"
	return $rc
}

# stress_warm_up SNAPSHOT: load, link and unload once, then take the
# slab snapshot and mark the log: the first load allocates what the kernel
# keeps afterwards (netns, sysfs and debugfs nodes reused), so the
# baseline is after it
stress_warm_up()
{
	dmux_setup
	dmux_cleanup
	stress_slab_snapshot "$1"
	stress_log_mark
}

# stress_leak_checks SNAPSHOT CYCLES: unload, then check the slab counts
# against SNAPSHOT (stress_slab_check) and the kernel log since
# stress_log_mark (stress_log_clean); each failure is check_err'ed
stress_leak_checks()
{
	local out

	dmux_cleanup
	out=$(stress_slab_check "$1" "$2")
	check_err $? "$out"
	out=$(stress_log_clean)
	check_err $? "$out"
}

# stress_log_mark: remember where the kernel log is now
stress_log_mark()
{
	STRESS_LOG_MARK=$(dmesg | wc -l)
}

# stress_log_clean: nothing since stress_log_mark that says memory was
# kept: a page_pool destroyed with pages still out, kmemleak's notice.
# (WARNING, BUG, lockdep and KASAN reports fail the whole run: tools/vm/run
# scans the guest's kernel log.)
stress_log_clean()
{
	local found

	found=$(dmesg | tail -n +"$((${STRESS_LOG_MARK:-0} + 1))" |
		grep -E 'stalled pool shutdown|page_pool.*inflight|kmemleak: [0-9]+ new suspected')
	[ -z "$found" ] || { echo "$found"; return 1; }
}

# stress_sim_clean [M]: the modem's misuse totals are 0 (what real hardware
# would not survive: see Documentation/sim.rst, DMA engine)
stress_sim_clean()
{
	local m=${1:-0} n bad=

	for n in dma_access_while_down dma_issue_dead_pipe dma_terminate_while_active dma_free_busy; do
		[ "$(dmux_sim_stat $n "$m")" = 0 ] || bad="$bad $n=$(dmux_sim_stat $n "$m")"
	done
	[ -z "$bad" ] || { echo "modem$m:$bad"; return 1; }
}

# stress_ring_ledger W [M]: every RX slot the driver counts active is one
# descriptor posted to the modem (no slot lost, none posted twice); the
# modem's line must be up (the ring is freed while it is down)
stress_ring_ledger()
{
	local w=$1 m=${2:-0} st

	st=$(sim_debugfs "$m")/stats
	wait_for 5 bash -c "[ \"\$(awk '\$1 == \"dma_rx_desc_live\" {print \$2}' $st)\" = \
\"\$(ethtool -S $w | awk '\$1 == \"rx_ring_active:\" {print \$2}')\" ]"
}

# stress_iperf_start CH [M] [SECS]: iperf3 --bidir from the host to the
# modem side of channel CH (dmux_link's addresses and netns) for SECS
# (default 5); the client's output goes to /tmp/stress-iperf3-M-CH.out,
# its pid to STRESS_IPERF_PID
stress_iperf_start()
{
	local ch=$1 m=${2:-0} secs=${3:-5} pidf

	pidf=/tmp/stress-iperf3s-$m-$ch.pid
	rm -f "$pidf"
	ip netns exec "$(dmux_ns "$ch" "$m")" iperf3 -s -1 -D -B "10.$m.$ch.2" -I "$pidf" || return 1
	wait_for 5 test -s "$pidf" || return 1
	iperf3 -c "10.$m.$ch.2" -t "$secs" --bidir > "/tmp/stress-iperf3-$m-$ch.out" 2>&1 &
	STRESS_IPERF_PID=$!
	STRESS_IPERF_DEADLINE=$((SECONDS + secs + 60))
}

# stress_iperf_wait PID CH [M]: wait for the client (at most 60 s past its
# time) and stop the server; fails when it did not exit 0, with its last
# lines in STRESS_IPERF_ERR. Call it in this shell, not in $(...): only
# the shell that started the client can wait for it.
stress_iperf_wait()
{
	local pid=$1 ch=$2 m=${3:-0} rc pidf

	while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt "$STRESS_IPERF_DEADLINE" ]; do
		sleep 0.2
	done
	kill "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	pidf=/tmp/stress-iperf3s-$m-$ch.pid
	[ -s "$pidf" ] && kill "$(cat "$pidf")" 2>/dev/null
	rm -f "$pidf"
	STRESS_IPERF_ERR="iperf3 exit $rc: $(tail -n 3 "/tmp/stress-iperf3-$m-$ch.out" | tr '\n' ' ')"
	[ $rc -eq 0 ]
}

# stress_estat_sum W COUNTER...: the sum of ethtool -S counters of W
stress_estat_sum()
{
	local w=$1

	shift
	ethtool -S "$w" | awk -v names=" $* " '
		{ n = $1; sub(":$", "", n) }
		index(names, " " n " ") { s += $2 }
		END { print s + 0 }'
}
