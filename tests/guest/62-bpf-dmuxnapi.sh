#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dmuxnapi against the driver's own counters: polls and budget-exhausted
# polls equal ethtool -S rx_polls / rx_budget_exhausted deltas, frames
# delivered equal the /proc/net/dev rx_packets delta, frames refused the
# injected bad frames, frames taken by polls the sum of both, and -w shows
# the napi_weight module parameter.
source "$(dirname "$0")/lib.sh"

CH=0
WEIGHT=4
OUT=/tmp/dmuxnapi.$$

cleanup()
{
	[ -n "${BPF_PID:-}" ] && kill "$BPF_PID" 2>/dev/null
	bpf_link_down
	dmux_unload
	bpf_no_ipv6_restore
	rm -f "$OUT"*
}

test_dmuxnapi_counts()
{
	local wwan rx0 polls0 ex0 rx1 polls1 ex1 n m d

	RET=0
	bpf_require_tools dmuxnapi || return
	require_cmd jq ethtool || return
	if ! bpf_setup $CH napi=1 napi_weight=$WEIGHT; then
		log_test "dmuxnapi: polls, budget-exhausted polls and frames match the driver"
		return
	fi
	wwan=$BPF_WWAN

	bpf_start "$OUT" dmuxnapi -j -w 1
	check_err $? "dmuxnapi did not attach: $(head -c 300 "$OUT.err")"
	rx0=$(bpf_netdev_stat "$wwan" rx_packets)
	polls0=$(bpf_ethtool_stat "$wwan" rx_polls)
	ex0=$(bpf_ethtool_stat "$wwan" rx_budget_exhausted)

	# bursts of 16 requests from the modem: more than a weight-4 poll takes
	ip netns exec "$BPF_NS" ping -q -c 64 -l 16 -i 0.05 -W 2 -s 100 \
		"$BPF_HOST_IP" >/dev/null
	bpf_ping_modem 20 200
	check_err $? "ping from the host lost packets"
	echo "bad_magic 3" > "$(sim_debugfs)/inject"
	check_err $? "injecting bad_magic failed"
	sleep 0.5

	rx1=$(bpf_netdev_stat "$wwan" rx_packets)
	polls1=$(bpf_ethtool_stat "$wwan" rx_polls)
	ex1=$(bpf_ethtool_stat "$wwan" rx_budget_exhausted)
	sleep 1.2
	bpf_stop
	check_err $? "dmuxnapi did not exit 0 on SIGINT"

	sel='.devices[] | select(.dev == "bam-dmux.0")'
	n=$(bpf_jsum "$OUT" "$sel | .polls")
	[ "$n" -eq $((polls1 - polls0)) ] && [ "$n" -gt 0 ]
	check_err $? "dmuxnapi polls $n, ethtool rx_polls delta $((polls1 - polls0))"
	n=$(bpf_jsum "$OUT" "$sel | .budget_exhausted")
	[ "$n" -eq $((ex1 - ex0)) ]
	check_err $? "dmuxnapi budget_exhausted $n, ethtool delta $((ex1 - ex0))"
	n=$(bpf_jsum "$OUT" "$sel | .delivered")
	[ "$n" -eq $((rx1 - rx0)) ] && [ "$n" -ge 80 ]
	check_err $? "dmuxnapi delivered $n, /proc/net/dev rx_packets delta $((rx1 - rx0))"
	d=$(bpf_jsum "$OUT" "$sel | .dropped")
	[ "$d" -eq 3 ]
	check_err $? "dmuxnapi dropped $d, 3 bad_magic injected"
	m=$(bpf_jsum "$OUT" "$sel | .frames")
	[ "$m" -eq $((n + d)) ]
	check_err $? "dmuxnapi frames done in polls $m, delivered $n + dropped $d"
	n=$(bpf_jsum "$OUT" "$sel | .frames_per_poll[] | .count")
	m=$(bpf_jsum "$OUT" "$sel | .polls")
	[ "$n" -eq "$m" ]
	check_err $? "frames-per-poll histogram holds $n polls, not $m"
	n=$(jq -s '[.[].devices[].frames_per_poll[] | select(.low > '$WEIGHT')] | length' "$OUT")
	[ "$n" -eq 0 ]
	check_err $? "a poll did more than napi_weight $WEIGHT frames"
	# one slot per exact batch size: the histogram adds up to the frames
	n=$(jq -s '[.[].devices[].frames_per_poll[] | select(.low != .high)] | length' "$OUT")
	[ "$n" -eq 0 ]
	check_err $? "$n frames-per-poll slots cover more than one batch size"
	n=$(bpf_jsum "$OUT" "$sel | .frames_per_poll[] | .low * .count")
	m=$(bpf_jsum "$OUT" "$sel | .frames")
	[ "$n" -eq "$m" ]
	check_err $? "frames-per-poll histogram sums to $n frames, polls took $m"
	log_test "dmuxnapi: polls, budget-exhausted polls and frames match the driver"

	RET=0
	n=$(jq -s '[.[] | select(.napi_weight == '$WEIGHT')] | length' "$OUT")
	m=$(wc -l < "$OUT")
	[ "$n" -eq "$m" ] && [ "$m" -ge 1 ]
	check_err $? "dmuxnapi -w showed napi_weight $WEIGHT in $n of $m lines"
	log_test "dmuxnapi: -w shows the napi_weight parameter"
}

tests_run test_dmuxnapi_counts
