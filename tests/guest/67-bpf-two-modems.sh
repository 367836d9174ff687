#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Two simulated modems: the tools key everything by device name; -d DEV
# keeps only that device. Pings go over modem 1 only.
source "$(dirname "$0")/lib.sh"

CH=2
COUNT=15
SIZE=200
OUT=/tmp/bpf-2modems.$$

cleanup()
{
	[ -n "${BPF_PID:-}" ] && kill "$BPF_PID" 2>/dev/null
	[ -n "${PID_ALL:-}" ] && kill "$PID_ALL" 2>/dev/null
	[ -n "${PID_D0:-}" ] && kill "$PID_D0" 2>/dev/null
	bpf_link_down
	dmux_unload
	bpf_no_ipv6_restore
	rm -f "$OUT"*
}

test_two_modems()
{
	local wwan n

	RET=0
	bpf_require_tools dmuxtop || return
	require_cmd jq || return
	bpf_no_ipv6
	dmux_load nr_modems=2
	check_err $? "loading two modems failed"
	wait_for 10 bpf_wwan $CH bam-dmux.1
	check_err $? "no interface for channel $CH of bam-dmux.1"
	if [ "$RET" -ne 0 ]; then
		log_test "bpf: -d DEV keeps one of two modems"
		return
	fi
	wwan=$(bpf_wwan $CH bam-dmux.1)
	ip netns add "$BPF_NS"
	bpf_no_ipv6 "$BPF_NS"
	ip link set "bdsim1-$CH" netns "$BPF_NS"
	ip -n "$BPF_NS" addr add "$BPF_MODEM_IP" peer "$BPF_HOST_IP" dev "bdsim1-$CH"
	ip -n "$BPF_NS" link set "bdsim1-$CH" up
	ip addr add "$BPF_HOST_IP" peer "$BPF_MODEM_IP" dev "$wwan"
	ip link set "$wwan" up
	wait_for 10 ping -c 1 -W 1 "$BPF_MODEM_IP"
	check_err $? "no ping over $wwan (bam-dmux.1 channel $CH)"

	bpf_start "$OUT.all" dmuxtop -j 1
	check_err $? "dmuxtop did not attach"
	PID_ALL=$BPF_PID
	bpf_start "$OUT.d0" dmuxtop -j -d bam-dmux.0 1
	check_err $? "dmuxtop -d bam-dmux.0 did not attach"
	PID_D0=$BPF_PID
	bpf_start "$OUT.d1" dmuxtop -j -d bam-dmux.1 1
	check_err $? "dmuxtop -d bam-dmux.1 did not attach"

	bpf_ping_modem $COUNT $SIZE
	check_err $? "ping lost packets"
	sleep 1.2
	bpf_stop
	BPF_PID=$PID_D0; PID_D0=
	bpf_stop
	BPF_PID=$PID_ALL; PID_ALL=
	bpf_stop

	n=$(bpf_jsum "$OUT.d1" ".channels[] | select(.dev == \"bam-dmux.1\" and .ch == $CH) | .tx_packets")
	[ "$n" -eq $COUNT ]
	check_err $? "dmuxtop -d bam-dmux.1 counted $n TX packets, sent $COUNT"
	n=$(jq -s '[.[].channels[]] | length' "$OUT.d0")
	[ "$n" -eq 0 ]
	check_err $? "dmuxtop -d bam-dmux.0 shows $n rows for traffic on bam-dmux.1"
	n=$(bpf_jsum "$OUT.all" ".channels[] | select(.dev == \"bam-dmux.1\" and .ch == $CH) | .rx_packets")
	[ "$n" -eq $COUNT ]
	check_err $? "dmuxtop counted $n RX packets on bam-dmux.1, sent $COUNT"
	n=$(jq -s '[.[].channels[] | select(.dev != "bam-dmux.1")] | length' "$OUT.all")
	[ "$n" -eq 0 ]
	check_err $? "dmuxtop shows $n rows for the idle bam-dmux.0"
	log_test "bpf: -d DEV keeps one of two modems"
}

tests_run test_two_modems
