#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dmuxbench on one point, as bench/run drives it: one 3 s downlink run
# through wwan0 with perf recording, then dmuxbench attribute and report.
# Checks what the bench's numbers rest on, never how fast anything is:
# the result files are complete, throughput is above 0, the CPU owners'
# shares add up to 100 % (± 1) of the samples, and the packets the bench
# counted agree with the interface counters of both ends.
source "$(dirname "$0")/lib.sh"
source "$REPO/bench/lib.sh"

BENCH=$REPO/build/bin/dmuxbench
work=/tmp/bench-quick.$$
out=$work/out
period=4000000

cleanup()
{
	bench_perf_stop
	ip netns pids "$BPF_NS" 2>/dev/null | xargs -r kill 2>/dev/null
	bpf_link_down
	dmux_unload
	bpf_no_ipv6_restore
	rm -rf "$work"
}

sim_tx_packets()
{
	ip netns exec "$BPF_NS" cat /sys/class/net/bdsim0/statistics/tx_packets
}

test_bench_one_point()
{
	RET=0
	local wwan rx0 rx1 sim0 sim1 csv pkts mbps samples fields sum

	mkdir -p "$out"
	bpf_setup 0 || { log_test "bench: one point (setup)"; return; }
	wwan=$BPF_WWAN
	ip netns exec "$BPF_NS" iperf3 -s -D -B "$BPF_MODEM_IP" >/dev/null
	check_err $? "iperf3 -s on the modem side failed"
	wait_for 10 ping -c 1 -W 1 "$BPF_MODEM_IP"
	bench_perf_start "$work" "$period"
	check_err $? "perf record did not start"
	[ "$RET" -eq 0 ] || { log_test "bench: one point (perf)"; return; }

	rx0=$(bpf_netdev_stat "$wwan" rx_packets) sim0=$(sim_tx_packets)
	"$BENCH" sweep -i "$wwan" -M "$BPF_NS" -a "$BPF_MODEM_IP" -p quick -l napi1 -d rx \
		-t 3 -R 1 "${BENCH_PERF_ARGS[@]}" --workdir "$work" -o "$out/results.csv" \
		>"$work/sweep.log" 2>&1
	check_err $? "dmuxbench sweep failed: $(tail -n 3 "$work/sweep.log")"
	rx1=$(bpf_netdev_stat "$wwan" rx_packets) sim1=$(sim_tx_packets)
	bench_perf_stop
	"$BENCH" attribute "$out/results.csv" "$BENCH_PERF_DATA" >"$work/attr.log" 2>&1
	check_err $? "dmuxbench attribute failed: $(tail -n 3 "$work/attr.log")"
	"$BENCH" report "$out" >"$work/report.log" 2>&1
	check_err $? "dmuxbench report failed: $(tail -n 3 "$work/report.log")"

	csv=$out/results.csv
	# complete: a header and one run, every field of the header filled in
	[ "$(wc -l < "$csv")" -eq 2 ]
	check_err $? "results.csv has $(wc -l < "$csv") lines, not a header and one run"
	fields=$(awk -F, 'NR == 1 { h = NF } NR == 2 { print (NF == h && $0 !~ /,,/) }' "$csv")
	[ "$fields" = 1 ]
	check_err $? "the run's row does not fill every column: $(tail -n 1 "$csv")"
	jq -e '.environment.kernel and .environment.accelerator and .environment.vcpus > 0 and
		(.points | length) == 1 and .points[0].mbps.median > 0' "$out/results.json" >/dev/null
	check_err $? "results.json lacks the environment or the point"
	grep -q '^## Recommendation' "$out/report.md"
	check_err $? "report.md has no recommendation section"

	mbps=$(bench_csv_get "$csv" 1 mbps)
	awk -v m="$mbps" 'BEGIN { exit !(m > 0) }'
	check_err $? "throughput $mbps Mbit/s"

	# every sample of the run has one owner: the shares add up to 100 %
	pkts=$(bench_csv_get "$csv" 1 packets)
	samples=$(bench_csv_get "$csv" 1 samples)
	sum=$(awk -F, -v p="$pkts" -v period="$period" 'NR == 1 { for (i = 1; i <= NF; i++)
		if ($i ~ /^ns_/) c[i] = 1; next } { for (i in c) s += $i } END {
		printf "%.0f", s * p / period }' "$csv")
	[ "${samples:-0}" -gt 0 ] &&
		awk -v s="$sum" -v n="$samples" 'BEGIN { exit !(s >= n * 0.99 && s <= n * 1.01) }'
	check_err $? "owner shares add up to $sum of $samples samples"
	# the bench's packets are wwan0's; the modem sent as many as wwan0 got
	[ "$pkts" -gt 0 ] && [ "$pkts" -eq $((rx1 - rx0)) ]
	check_err $? "dmuxbench counted $pkts packets, wwan0 received $((rx1 - rx0))"
	[ $((sim1 - sim0)) -eq $((rx1 - rx0)) ]
	check_err $? "bdsim0 sent $((sim1 - sim0)) packets, wwan0 received $((rx1 - rx0))"
	log_test "bench: dmuxbench on one point: complete results, owners add up, packets agree"
}

# tids_of_netns NS: every thread id of the tasks in netns NS, one a line
tids_of_netns()
{
	local p

	for p in $(ip netns pids "$1"); do
		ls "/proc/$p/task" 2>/dev/null
	done
}

# A trafgen run notes the modem side's tasks while trafgen sends and
# again after it stopped; its worker, which does the sending, must be in
# the row once and as itself, or its CPU is charged to the host.
test_bench_trafgen_tasks()
{
	RET=0
	local csv=$work/trafgen.csv conf sweep seen tids t modem_ns

	command -v trafgen >/dev/null || { log_skip "bench: trafgen point" "trafgen not installed"; return; }
	[ -n "$BPF_WWAN" ] || bpf_setup 0 || { log_test "bench: trafgen point (setup)"; return; }
	conf=$(bench_udp64_conf "$work")
	bench_perf_start "$work" "$period"
	check_err $? "perf record did not start"
	[ "$RET" -eq 0 ] || { log_test "bench: trafgen point (perf)"; return; }
	"$BENCH" sweep -i "$BPF_WWAN" -M "$BPF_NS" -a "$BPF_MODEM_IP" -p small -l udp64 -d rx \
		-t 3 -R 1 --trafgen "$conf,bdsim0" "${BENCH_PERF_ARGS[@]}" --workdir "$work" \
		-o "$csv" >"$work/trafgen-sweep.log" 2>&1 &
	sweep=$!
	wait_for 10 pgrep -x trafgen
	sleep 1
	seen=$(tids_of_netns "$BPF_NS")
	wait "$sweep"
	check_err $? "dmuxbench sweep --trafgen failed: $(tail -n 3 "$work/trafgen-sweep.log")"
	bench_perf_stop
	"$BENCH" attribute "$csv" "$BENCH_PERF_DATA" >"$work/trafgen-attr.log" 2>&1
	check_err $? "dmuxbench attribute failed: $(tail -n 3 "$work/trafgen-attr.log")"

	tids=$(bench_csv_get "$csv" 1 modem_tids)
	[ -n "$seen" ]
	check_err $? "no task was seen in $BPF_NS while trafgen ran"
	for t in $seen; do
		grep -qx "$t" <<< "${tids//;/$'\n'}"
		check_err $? "modem-side task $t is not in the row's modem_tids ($tids)"
	done
	[ "$(tr ';' '\n' <<< "$tids" | sort | uniq -d)" = "" ]
	check_err $? "modem_tids names a task twice: $tids"
	# trafgen's worker sends from its own system calls: the modem's CPU
	modem_ns=$(bench_csv_get "$csv" 1 ns_modem)
	awk -v m="$modem_ns" 'BEGIN { exit !(m > 0) }'
	check_err $? "no CPU was charged to the modem side (ns_modem $modem_ns)"
	log_test "bench: a trafgen point notes each modem-side task once, and charges the modem for them"
}

require_cmd iperf3 perf jq || exit 0
[ -x "$BENCH" ] || { log_skip bench "$BENCH not built (make)"; exit 0; }
bpf_no_ipv6
tests_run test_bench_one_point test_bench_trafgen_tasks
exit $EXIT_STATUS
