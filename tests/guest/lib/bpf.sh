#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Helpers of the BPF tool tests (tests/guest/6x-7x): sourced by lib.sh.
#
# The tests check each tool against a known truth: a modem-side netns with
# bdsim<CH> and an exact number of pings of a known size, with IPv6 off
# everywhere so that nothing else crosses the link.

BPF_BIN=$REPO/build/bin
BPF_NS=bpfmodem
BPF_HOST_IP=10.99.0.1
BPF_MODEM_IP=10.99.0.2
export BPF_BIN BPF_NS

# bpf_require_tools TOOL...: SKIP the caller's test when a tool is not built
bpf_require_tools()
{
	local t

	for t in "$@"; do
		if [ ! -x "$BPF_BIN/$t" ]; then
			log_skip "${FUNCNAME[1]}" "$BPF_BIN/$t not built (make bpf)"
			return 1
		fi
	done
}

# bpf_no_ipv6 [NETNS]: no IPv6 on interfaces created from now on
bpf_no_ipv6()
{
	local ns=()

	[ -n "${1:-}" ] && ns=(ip netns exec "$1")
	"${ns[@]}" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
	return 0
}

# bpf_wwan CH [DEV]: the host interface of channel CH of bam-dmux device DEV
bpf_wwan()
{
	local ch=$1 dev=${2:-bam-dmux.0} i

	for i in /sys/class/net/*; do
		[ "$(cat "$i/dev_port" 2>/dev/null)" = "$ch" ] || continue
		[ "$(basename "$(readlink -f "$i/device")")" = "$dev" ] || continue
		basename "$i"
		return 0
	done
	return 1
}

# bpf_link_up CH: IPv6 off, wwan<?> for channel CH up in the init netns,
# bdsim<CH> in netns $BPF_NS, addresses 10.99.0.1 <-> 10.99.0.2. Call after
# dmux_load (and bpf_no_ipv6 before it). Prints the wwan interface name.
bpf_link_up()
{
	local ch=$1 wwan

	wait_for 10 bpf_wwan "$ch" || return 1
	wwan=$(bpf_wwan "$ch")
	ip netns add "$BPF_NS" || return 1
	bpf_no_ipv6 "$BPF_NS"
	ip link set "bdsim$ch" netns "$BPF_NS" || return 1
	ip -n "$BPF_NS" link set lo up
	ip -n "$BPF_NS" addr add "$BPF_MODEM_IP" peer "$BPF_HOST_IP" dev "bdsim$ch" || return 1
	ip -n "$BPF_NS" link set "bdsim$ch" up || return 1
	ip addr add "$BPF_HOST_IP" peer "$BPF_MODEM_IP" dev "$wwan" || return 1
	ip link set "$wwan" up || return 1
	# the channel is open once the modem answers
	wait_for 10 ping -c 1 -W 1 "$BPF_MODEM_IP" || return 1
	echo "$wwan"
}

# bpf_setup CH [DRIVER_PARAM...]: IPv6 off, the modules loaded (the
# DRIVER_PARAMs to the driver), the link of channel CH up (bpf_link_up);
# sets BPF_WWAN to its wwan interface. On failure check_err's the reason
# and returns non-zero: the caller logs its test and returns.
bpf_setup()
{
	local ch=$1

	shift
	BPF_WWAN=
	bpf_no_ipv6
	dmux_load -- "$@"
	check_err $? "loading the modules failed"
	[ "$RET" -eq 0 ] || return 1
	BPF_WWAN=$(bpf_link_up "$ch")
	check_err $? "link on channel $ch did not come up"
	[ "$RET" -eq 0 ]
}

bpf_link_down()
{
	ip netns del "$BPF_NS" 2>/dev/null
	return 0
}

# bpf_ping_host/bpf_ping_modem COUNT SIZE: COUNT echo requests of SIZE
# payload bytes from the modem side to the host, or the reverse; each is an
# IPv4 packet of SIZE + 28 bytes each way. Fails unless every reply came.
bpf_ping_host()
{
	ip netns exec "$BPF_NS" ping -q -c "$1" -s "$2" -i 0.01 -W 2 "$BPF_HOST_IP" \
		| grep -q " $1 received"
}

bpf_ping_modem()
{
	ping -q -c "$1" -s "$2" -i 0.01 -W 2 "$BPF_MODEM_IP" | grep -q " $1 received"
}

# bpf_start OUT TOOL ARGS...: start a tool in the background with -v,
# stdout to OUT, stderr to OUT.err; wait until it is attached. Sets BPF_PID.
# BPF_WRAP (an array), when set, is the command the tool runs under.
bpf_start()
{
	local out=$1 tool=$2

	shift 2
	"${BPF_WRAP[@]}" "$BPF_BIN/$tool" -v "$@" >"$out" 2>"$out.err" &
	BPF_PID=$!
	wait_for 120 __bpf_started "$out.err" "$BPF_PID"
	grep -q "attached with" "$out.err" && kill -0 "$BPF_PID"
}

# attached, or gave up
__bpf_started()
{
	grep -q "attached with" "$1" || ! kill -0 "$2" 2>/dev/null
}

# BPF_NO_BTF: run a command in a mount namespace of its own in which
# /sys/kernel/btf is an empty tmpfs: the kernel seems to have no BTF
BPF_NO_BTF=(unshare -m --propagation private -- sh -c
	'mount -t tmpfs -o ro nobtf /sys/kernel/btf && exec "$@"' no-btf)

# bpf_stop: Ctrl-C the tool started last (it prints its last interval)
bpf_stop()
{
	kill -INT "$BPF_PID" 2>/dev/null
	wait "$BPF_PID"
}

# bpf_jsum FILE JQ_FILTER: sum a number over every JSON line of FILE
bpf_jsum()
{
	jq -s "[.[] | $2] | add // 0" "$1"
}

# bpf_netdev_stat IFACE FIELD: rx_packets, rx_bytes, tx_packets, tx_bytes
bpf_netdev_stat()
{
	cat "/sys/class/net/$1/statistics/$2"
}

# bpf_ethtool_stat IFACE NAME: one counter of ethtool -S
bpf_ethtool_stat()
{
	ethtool -S "$1" | awk -v n="$2:" '$1 == n { print $2 }'
}

# bpf_bt_start OUT SCRIPT [ARG...]: start a bpftrace script, wait until it
# traces; under $BPFTRACE when set (tools/bpftrace-trixie), else bpftrace
bpf_bt_start()
{
	local out=$1 script=$2

	shift 2
	"${BPFTRACE:-bpftrace}" "$REPO/tools/bpftrace/$script" "$@" >"$out" 2>&1 &
	BPF_PID=$!
	wait_for 120 grep -q "^Tracing" "$out" || return 1
	kill -0 "$BPF_PID"
}

# undo bpf_no_ipv6 in the init netns
bpf_no_ipv6_restore()
{
	sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
		net.ipv6.conf.default.disable_ipv6=0 2>/dev/null
	return 0
}
