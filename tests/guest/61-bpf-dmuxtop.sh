#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dmuxtop against a known truth: exact pings of a known size on one channel,
# from the modem side and from the host, summed over dmuxtop -j intervals,
# equal per direction to the packets/bytes sent and to /proc/net/dev deltas.
source "$(dirname "$0")/lib.sh"

CH=1
COUNT=40
SIZE=300	# ICMP payload; IPv4 packet = SIZE + 28
OUT=/tmp/dmuxtop.$$

cleanup()
{
	[ -n "${BPF_PID:-}" ] && kill "$BPF_PID" 2>/dev/null
	bpf_link_down
	dmux_unload
	bpf_no_ipv6_restore
	rm -f "$OUT"*
}

test_dmuxtop_counts()
{
	local wwan rx0 tx0 rxb0 txb0 drx dtx drxb dtxb n pkt=$((SIZE + 28))
	local other

	RET=0
	bpf_require_tools dmuxtop || return
	require_cmd jq || return
	if ! bpf_setup $CH; then
		log_test "dmuxtop: per-channel packets and bytes match the traffic"
		return
	fi
	wwan=$BPF_WWAN

	rx0=$(bpf_netdev_stat "$wwan" rx_packets)
	tx0=$(bpf_netdev_stat "$wwan" tx_packets)
	rxb0=$(bpf_netdev_stat "$wwan" rx_bytes)
	txb0=$(bpf_netdev_stat "$wwan" tx_bytes)

	bpf_start "$OUT" dmuxtop -j 1
	check_err $? "dmuxtop did not attach: $(head -c 300 "$OUT.err")"
	grep -q "attached with tp_btf" "$OUT.err"
	check_err $? "dmuxtop did not use tp_btf on a module with BTF: $(grep attached "$OUT.err")"
	other=$BPF_PID
	bpf_start "$OUT.other" dmuxtop -j -c $((CH + 1)) 1
	check_err $? "dmuxtop -c did not attach"

	bpf_ping_host $COUNT $SIZE
	check_err $? "ping from the modem side lost packets"
	bpf_ping_modem $COUNT $SIZE
	check_err $? "ping from the host lost packets"
	sleep 1.2
	bpf_stop
	BPF_PID=$other
	bpf_stop
	check_err $? "dmuxtop did not exit 0 on SIGINT"

	drx=$(( $(bpf_netdev_stat "$wwan" rx_packets) - rx0 ))
	dtx=$(( $(bpf_netdev_stat "$wwan" tx_packets) - tx0 ))
	drxb=$(( $(bpf_netdev_stat "$wwan" rx_bytes) - rxb0 ))
	dtxb=$(( $(bpf_netdev_stat "$wwan" tx_bytes) - txb0 ))

	# truth: COUNT requests + COUNT replies each way, nothing else
	[ "$drx" -eq $((2 * COUNT)) ] && [ "$dtx" -eq $((2 * COUNT)) ]
	check_err $? "/proc/net/dev of $wwan moved by rx $drx tx $dtx, sent $((2 * COUNT)) each way"

	sel=".channels[] | select(.dev == \"bam-dmux.0\" and .ch == $CH)"
	n=$(bpf_jsum "$OUT" "$sel | .rx_packets")
	[ "$n" -eq $((2 * COUNT)) ]
	check_err $? "dmuxtop rx_packets $n, expected $((2 * COUNT))"
	n=$(bpf_jsum "$OUT" "$sel | .tx_packets")
	[ "$n" -eq $((2 * COUNT)) ]
	check_err $? "dmuxtop tx_packets $n, expected $((2 * COUNT))"
	n=$(bpf_jsum "$OUT" "$sel | .rx_bytes")
	[ "$n" -eq $((2 * COUNT * pkt)) ] && [ "$n" -eq "$drxb" ]
	check_err $? "dmuxtop rx_bytes $n, expected $((2 * COUNT * pkt)) (/proc/net/dev: $drxb)"
	n=$(bpf_jsum "$OUT" "$sel | .tx_bytes")
	[ "$n" -eq $((2 * COUNT * pkt)) ] && [ "$n" -eq "$dtxb" ]
	check_err $? "dmuxtop tx_bytes $n, expected $((2 * COUNT * pkt)) (/proc/net/dev: $dtxb)"
	n=$(bpf_jsum "$OUT" "$sel | .drops")
	[ "$n" -eq 0 ]
	check_err $? "dmuxtop counted $n drops"
	n=$(jq -s '[.[].channels[] | select(.ch != '$CH')] | length' "$OUT")
	[ "$n" -eq 0 ]
	check_err $? "dmuxtop shows $n rows for other channels"
	log_test "dmuxtop: per-channel packets and bytes match the traffic"

	RET=0
	n=$(jq -s '[.[].channels[]] | length' "$OUT.other")
	[ "$n" -eq 0 ]
	check_err $? "dmuxtop -c $((CH + 1)) shows $n rows for traffic on channel $CH"
	n=$(wc -l < "$OUT.other")
	[ "$n" -ge 1 ]
	check_err $? "dmuxtop -c printed no interval"
	log_test "dmuxtop: -c CH shows only that channel"
}

test_dmuxtop_count_arg()
{
	local n

	RET=0
	bpf_require_tools dmuxtop || return
	if ! grep -q '^bam_dmux ' /proc/modules; then
		log_skip "dmuxtop: [interval] [count] stops after count" "driver not loaded"
		return
	fi
	timeout 60 "$BPF_BIN/dmuxtop" -j 1 3 >"$OUT.count"
	check_err $? "dmuxtop -j 1 3 did not exit 0"
	n=$(wc -l < "$OUT.count")
	[ "$n" -eq 3 ]
	check_err $? "dmuxtop -j 1 3 printed $n lines"
	jq -e '.interval_s > 0.5' "$OUT.count" >/dev/null
	check_err $? "dmuxtop -j output is not JSON with interval_s"
	timeout 60 "$BPF_BIN/dmuxtop" -T -C 1 2 >"$OUT.text"
	check_err $? "dmuxtop -T -C 1 2 did not exit 0"
	grep -q "^[0-9][0-9]:[0-9][0-9]:[0-9][0-9] " "$OUT.text"
	check_err $? "dmuxtop -T printed no timestamp"
	grep -q "DEV .*CH .*RX_PKT/s" "$OUT.text"
	check_err $? "dmuxtop printed no header"
	log_test "dmuxtop: [interval] [count] stops after count, -T and -j"
}

tests_run test_dmuxtop_counts test_dmuxtop_count_arg
