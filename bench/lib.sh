#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Helpers shared by bench/run and tests/guest/70-bench-quick.sh (sourced).
#
# bench_perf_start WORKDIR PERIOD_NS: one perf record for everything that
# follows, its events off until a run enables them (dmuxbench sweep --perf
# "$BENCH_PERF_CTL,$BENCH_PERF_ACK"), sample times on CLOCK_MONOTONIC so
# that dmuxbench attribute can give each sample to its run. Starting perf
# under TCG takes tens of seconds (it reads /proc/kallsyms): do it once.
# Sets BENCH_PERF_PID and the array BENCH_PERF_ARGS; returns non-zero with
# perf's complaint on stderr when perf cannot record.
bench_perf_start()
{
	local work=$1 period=$2

	BENCH_PERF_CTL=$work/perf.ctl BENCH_PERF_ACK=$work/perf.ack
	BENCH_PERF_DATA=$work/perf.data
	rm -f "$BENCH_PERF_CTL" "$BENCH_PERF_ACK"
	mkfifo "$BENCH_PERF_CTL" "$BENCH_PERF_ACK" || return 1
	perf record -q -a -g -e cpu-clock -c "$period" -k CLOCK_MONOTONIC -D -1 \
		--control "fifo:$BENCH_PERF_CTL,$BENCH_PERF_ACK" -B -N --no-bpf-event \
		-o "$BENCH_PERF_DATA" 2>"$work/perf.err" &
	BENCH_PERF_PID=$!
	# answered once perf reads its control fifo
	if ! timeout 300 sh -c 'echo disable > "$1" && head -n 1 "$2"' sh \
		"$BENCH_PERF_CTL" "$BENCH_PERF_ACK" >/dev/null || ! kill -0 "$BENCH_PERF_PID"; then
		echo "perf record did not start: $(head -c 300 "$work/perf.err")" >&2
		bench_perf_stop
		return 1
	fi
	BENCH_PERF_ARGS=(--perf "$BENCH_PERF_CTL,$BENCH_PERF_ACK")
}

bench_perf_stop()
{
	[ -n "${BENCH_PERF_PID:-}" ] || return 0
	kill -INT "$BENCH_PERF_PID" 2>/dev/null
	wait "$BENCH_PERF_PID" 2>/dev/null
	BENCH_PERF_PID=
}

# bench_csv_get CSV ROW COLUMN: one field of a results.csv (ROW 1 is the
# first run), by the column's name in the header
bench_csv_get()
{
	awk -F, -v row="$2" -v col="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
		NR == row + 1 && c { print $c }' "$1"
}

# bench_udp64_conf DIR: a trafgen config in DIR, written once, for IPv4/UDP
# packets with 64-byte payloads from the modem side ($BPF_MODEM_IP) to the
# host's address on wwan0 ($BPF_HOST_IP), port 9 (discard: nothing
# listens, so the host counts and drops them after UDP's lookup; ICMP's
# replies are rate-limited); prints its path
bench_udp64_conf()
{
	local f=$1/udp64.trafgen a b

	if [ ! -e "$f" ]; then
		a=${BPF_MODEM_IP//./, } b=${BPF_HOST_IP//./, }
		cat > "$f" <<-EOF
		{
		  0x45, 0x00, const16(92), const16(0), const16(0x4000), 64, 17, csumip(0, 19),
		  $a, $b,
		  const16(40000), const16(9), const16(72), const16(0),
		  fill(0x41, 64),
		}
		EOF
	fi
	echo "$f"
}
