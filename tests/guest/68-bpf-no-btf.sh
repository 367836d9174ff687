#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The four tools on a kernel without BTF: in a mount namespace where
# /sys/kernel/btf is empty, each must choose its classic tracepoint
# programs (tracefs records, no CO-RE) and count exactly as it does with
# BTF: pings of known count and size both ways, injected bad frames, NAPI
# polls against ethtool -S, and wakes from idle suspend.
source "$(dirname "$0")/lib.sh"

CH=0
COUNT=20
SIZE=200	# ICMP payload; IPv4 packet = SIZE + 28
BAD=3		# frames with a bad magic injected
TOOLS=(dmuxtop dmuxnapi dmuxring dmuxwake)
OUT=/tmp/bpf-no-btf.$$
declare -A PIDS

cleanup()
{
	local t

	for t in "${!PIDS[@]}"; do
		kill "${PIDS[$t]}" 2>/dev/null
	done
	bpf_link_down
	dmux_unload
	bpf_no_ipv6_restore
	rm -f "$OUT"*
}

# stop every tool with Ctrl-C; fails unless each exits 0
stop_all()
{
	local t rc=0

	for t in "${!PIDS[@]}"; do
		BPF_PID=${PIDS[$t]}
		bpf_stop || rc=1
	done
	PIDS=()
	BPF_PID=
	return $rc
}

test_no_btf()
{
	local wwan t n m rx0 rx1 polls0 polls1 w0 w1 sel pkts bytes

	RET=0
	bpf_require_tools "${TOOLS[@]}" || return
	require_cmd jq ethtool unshare || return
	if ! "${BPF_NO_BTF[@]}" test ! -e /sys/kernel/btf/vmlinux; then
		log_skip "bpf without BTF: exact counts with classic tracepoints" \
			"cannot hide /sys/kernel/btf in a mount namespace"
		return
	fi
	if ! bpf_setup $CH napi=1; then
		log_test "bpf without BTF: exact counts with classic tracepoints"
		return
	fi
	wwan=$BPF_WWAN

	wait_for 10 dmux_suspended
	# ethtool resumes the device: read before the tools start
	rx0=$(bpf_netdev_stat "$wwan" rx_packets)
	polls0=$(bpf_ethtool_stat "$wwan" rx_polls)
	w0=$(bpf_ethtool_stat "$wwan" pc_wakeups)
	BPF_WRAP=("${BPF_NO_BTF[@]}")
	for t in "${TOOLS[@]}"; do
		bpf_start "$OUT.$t" "$t" -j 1
		check_err $? "$t did not attach: $(head -c 300 "$OUT.$t.err")"
		PIDS[$t]=$BPF_PID
		grep -q "attached with tracepoint" "$OUT.$t.err"
		check_err $? "$t without BTF: $(grep -E 'attached|trying|BTF' "$OUT.$t.err" | head -3)"
		! grep -q "trying" "$OUT.$t.err"
		check_err $? "$t fell back instead of choosing: $(grep trying "$OUT.$t.err")"
	done
	BPF_WRAP=()

	# wake 1: the pings from the host; wake 2: one more after a suspend
	wait_for 10 dmux_suspended
	check_err $? "bam-dmux.0 did not autosuspend"
	bpf_ping_modem $COUNT $SIZE
	check_err $? "ping from the host lost packets"
	bpf_ping_host $COUNT $SIZE
	check_err $? "ping from the modem side lost packets"
	sim_inject "bad_magic $BAD"
	wait_for 10 dmux_suspended
	check_err $? "bam-dmux.0 did not autosuspend again"
	bpf_ping_modem 1 $SIZE
	check_err $? "the last ping was lost"
	sleep 1.2
	stop_all
	check_err $? "a tool did not exit 0 on SIGINT"
	wait_for 10 dmux_suspended
	rx1=$(bpf_netdev_stat "$wwan" rx_packets)
	polls1=$(bpf_ethtool_stat "$wwan" rx_polls)
	# this read resumes the device once more
	w1=$(( $(bpf_ethtool_stat "$wwan" pc_wakeups) - 1 ))

	pkts=$((2 * COUNT + 1))
	bytes=$((pkts * (SIZE + 28)))
	sel='.channels[] | select(.dev == "bam-dmux.0" and .ch == '$CH')'
	for f in rx_packets tx_packets; do
		n=$(bpf_jsum "$OUT.dmuxtop" "$sel | .$f")
		[ "$n" -eq $pkts ]
		check_err $? "dmuxtop $f $n, sent $pkts"
	done
	for f in rx_bytes tx_bytes; do
		n=$(bpf_jsum "$OUT.dmuxtop" "$sel | .$f")
		[ "$n" -eq $bytes ]
		check_err $? "dmuxtop $f $n, sent $bytes"
	done
	n=$(bpf_jsum "$OUT.dmuxtop" '.channels[] | .drops')
	[ "$n" -eq $BAD ]
	check_err $? "dmuxtop drops $n, injected $BAD"

	sel='.devices[] | select(.dev == "bam-dmux.0")'
	n=$(bpf_jsum "$OUT.dmuxnapi" "$sel | .delivered")
	[ "$n" -eq $pkts ] && [ "$n" -eq $((rx1 - rx0)) ]
	check_err $? "dmuxnapi delivered $n, sent $pkts, /proc/net/dev delta $((rx1 - rx0))"
	n=$(bpf_jsum "$OUT.dmuxnapi" "$sel | .dropped")
	[ "$n" -eq $BAD ]
	check_err $? "dmuxnapi dropped $n, injected $BAD"
	n=$(bpf_jsum "$OUT.dmuxnapi" "$sel | .polls")
	[ "$n" -eq $((polls1 - polls0)) ]
	check_err $? "dmuxnapi polls $n, ethtool rx_polls delta $((polls1 - polls0))"
	n=$(bpf_jsum "$OUT.dmuxnapi" "$sel | .frames")
	m=$(bpf_jsum "$OUT.dmuxnapi" "$sel | .frames_per_poll[] | .low * .count")
	[ "$n" -eq $((pkts + BAD)) ] && [ "$m" -eq "$n" ]
	check_err $? "dmuxnapi frames $n (histogram: $m), expected $((pkts + BAD))"

	n=$(bpf_jsum "$OUT.dmuxring" "$sel | .tx_submits")
	m=$(bpf_jsum "$OUT.dmuxring" "$sel | .tx_done")
	[ "$n" -eq $pkts ] && [ "$m" -eq $pkts ]
	check_err $? "dmuxring tx_submits $n, tx_done $m, sent $pkts"
	n=$(bpf_jsum "$OUT.dmuxring" "$sel | .polls")
	[ "$n" -eq $((polls1 - polls0)) ]
	check_err $? "dmuxring polls $n, ethtool rx_polls delta $((polls1 - polls0))"

	# two wakes at least (a slow guest may suspend between the batches),
	# each one a send from suspended: one deferral each
	n=$(bpf_jsum "$OUT.dmuxwake" "$sel | .wakes")
	[ "$n" -ge 2 ] && [ "$n" -eq $((w1 - w0)) ]
	check_err $? "dmuxwake wakes $n, 2 or more expected, ethtool pc_wakeups delta $((w1 - w0))"
	m=$(bpf_jsum "$OUT.dmuxwake" "$sel | .defer_waits")
	[ "$m" -eq "$n" ]
	check_err $? "dmuxwake defer_waits $m, wakes $n"
	log_test "bpf without BTF: exact counts with classic tracepoints"
}

# without -v, a tool prints nothing on stderr when all goes well, and
# libbpf's warnings would show (only its debug output needs -v)
test_no_btf_quiet()
{
	local n

	RET=0
	bpf_require_tools dmuxtop || return
	if ! grep -q '^bam_dmux ' /proc/modules; then
		dmux_load
		check_err $? "loading the modules failed"
	fi
	"${BPF_NO_BTF[@]}" timeout 120 "$BPF_BIN/dmuxtop" -j 1 1 >"$OUT.quiet" 2>"$OUT.quiet.err"
	check_err $? "dmuxtop -j 1 1 without BTF did not exit 0: $(head -c 300 "$OUT.quiet.err")"
	n=$(wc -c < "$OUT.quiet.err")
	[ "$n" -eq 0 ]
	check_err $? "dmuxtop printed on stderr without -v: $(head -c 300 "$OUT.quiet.err")"
	jq -e '.interval_s > 0' "$OUT.quiet" >/dev/null
	check_err $? "dmuxtop printed no JSON interval"
	dmux_unload
	log_test "bpf without BTF: quiet without -v"
}

tests_run test_no_btf test_no_btf_quiet
