# SPDX-License-Identifier: GPL-2.0-only
# Helpers of the driver's guest tests (tests/guest/3x-5x), sourced by lib.sh.
#
# Addressing: channel CH of modem M runs 10.M.CH.1 (host, wwanN, root netns)
# <-> 10.M.CH.2 (modem side, bdsim*, netns "dmx-M-CH").

# dmux_noipv6 [NETNS]: no IPv6 (no RS, no MLD) on interfaces created afterwards
dmux_noipv6()
{
	local ns=${1:-} pre=()

	[ -n "$ns" ] && pre=(ip netns exec "$ns")
	"${pre[@]}" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null
	"${pre[@]}" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
	return 0
}

# dmux_wwan CH [M]: the host interface of channel CH of modem M
dmux_wwan()
{
	local ch=$1 m=${2:-0} d

	for d in /sys/class/net/*; do
		[ -e "$d/device" ] || continue
		[ "$(basename "$(readlink -f "$d/device")")" = "bam-dmux.$m" ] || continue
		[ "$(cat "$d/dev_port")" = "$ch" ] || continue
		basename "$d"
		return 0
	done
	return 1
}

# dmux_nr_wwan [M]: how many interfaces modem M has
dmux_nr_wwan()
{
	local m=${1:-0} d n=0

	for d in /sys/class/net/*; do
		[ -e "$d/device" ] || continue
		[ "$(basename "$(readlink -f "$d/device")")" = "bam-dmux.$m" ] && n=$((n + 1))
	done
	echo "$n"
}

# dmux_simif CH [M]: the modem-side interface name
dmux_simif()
{
	local ch=$1 m=${2:-0}

	if [ "$m" -eq 0 ]; then
		echo "bdsim$ch"
	else
		echo "bdsim$m-$ch"
	fi
}

dmux_ns()
{
	echo "dmx-${2:-0}-$1"
}

# dmux_link CH [M]: wwan <-> bdsim for channel CH, the modem side in its own
# netns, both ends up and addressed; prints nothing, fails when it cannot
dmux_link()
{
	local ch=$1 m=${2:-0} ns wwan sim

	ns=$(dmux_ns "$ch" "$m")
	sim=$(dmux_simif "$ch" "$m")
	wait_for 10 dmux_wwan "$ch" "$m" || return 1
	wwan=$(dmux_wwan "$ch" "$m")
	ip netns add "$ns" 2>/dev/null
	dmux_noipv6 "$ns"
	if ! ip netns exec "$ns" ip link show "$sim" >/dev/null 2>&1; then
		wait_for 10 ip link show "$sim" || return 1
		ip link set "$sim" netns "$ns" || return 1
	fi
	ip netns exec "$ns" ip link set lo up
	ip netns exec "$ns" ip addr flush dev "$sim"
	ip netns exec "$ns" ip addr add "10.$m.$ch.2" peer "10.$m.$ch.1" dev "$sim" || return 1
	ip netns exec "$ns" ip link set "$sim" up || return 1
	ip addr flush dev "$wwan"
	ip addr add "10.$m.$ch.1" peer "10.$m.$ch.2" dev "$wwan" || return 1
	ip link set "$wwan" up || return 1
	# the modem must have seen our OPEN before it passes data
	wait_for 10 ping -c 1 -W 1 "10.$m.$ch.2"
}

# dmux_setup [LOAD_ARGS...]: IPv6 off, the modules loaded, channel 0's
# link up; sets W to its wwan interface. A failure is check_err'ed.
dmux_setup()
{
	dmux_noipv6
	dmux_load "$@"
	check_err $? "loading failed"
	dmux_link 0
	check_err $? "link failed"
	W=$(dmux_wwan 0)
}

# dmux_cleanup: what every driver test's cleanup does
dmux_cleanup()
{
	local ns

	pkill -x iperf3 2>/dev/null
	for ns in $(ip netns list 2>/dev/null | awk '/^dmx-/ {print $1}'); do
		ip netns del "$ns"
	done
	{
		echo 0 > /sys/kernel/tracing/tracing_on
		echo 0 > /sys/kernel/tracing/events/bam_dmux/enable
		echo > /sys/kernel/tracing/trace
	} 2>/dev/null
	dmux_unload
}

# dmux_estat IF NAME: one ethtool -S counter
dmux_estat()
{
	ethtool -S "$1" | awk -v n="$2" '$1 == n ":" {print $2; found = 1} END {exit !found}'
}

# dmux_ifstat IF FIELD: /sys/class/net/IF/statistics/FIELD
dmux_ifstat()
{
	cat "/sys/class/net/$1/statistics/$2"
}

# dmux_procnet IF COLUMN: a /proc/net/dev column (1 rx_bytes 2 rx_packets
# 3 rx_errs 4 rx_drop ... 9 tx_bytes 10 tx_packets 11 tx_errs 12 tx_drop)
dmux_procnet()
{
	awk -v i="$1:" -v c="$2" '$1 == i {print $(c + 1)}' /proc/net/dev
}

# dmux_sim_stat NAME [M]: a line of the simulator's stats file
dmux_sim_stat()
{
	awk -v n="$1" '$1 == n || $1 == n ":" {print $2; exit}' "$(sim_debugfs "${2:-0}")/stats"
}

# dmux_inject WHAT [M]: the simulator's inject action
dmux_inject()
{
	echo "$1" > "$(sim_debugfs "${2:-0}")/inject"
}

# dmux_trace_on EVENT...: clear the trace buffer and enable these events
dmux_trace_on()
{
	local t=/sys/kernel/tracing ev

	echo 0 > $t/tracing_on
	echo 0 > $t/events/bam_dmux/enable
	echo > $t/trace
	for ev in "$@"; do
		echo 1 > "$t/events/bam_dmux/$ev/enable" || return 1
	done
	# a poll that began while the events were being enabled one by one
	# has ended before tracing starts: none is recorded with some of its
	# event types enabled and others not
	sleep 0.2
	echo 1 > $t/tracing_on
}

# dmux_trace_count EVENT [FILTER]: lines of EVENT in the trace buffer
dmux_trace_count()
{
	grep " $1: " /sys/kernel/tracing/trace | grep -c -- "${2:-}"
}

# dmux_runtime_status [M]: runtime PM status of bam-dmux.M
dmux_runtime_status()
{
	cat "/sys/bus/platform/devices/bam-dmux.${1:-0}/power/runtime_status"
}

dmux_suspended()
{
	[ "$(dmux_runtime_status "${1:-0}")" = suspended ]
}

# fail_state: printed by log_test under a failed test. For each bam-dmux
# device: runtime PM, its modem's state line and non-zero counters, the
# driver's non-zero ethtool -S counters; then the driver's last messages,
# and with DMUX_FAIL_TRACE=N, the last N lines of the trace buffer.
fail_state()
{
	local dev m w st

	for dev in /sys/bus/platform/devices/bam-dmux.*; do
		[ -e "$dev" ] || continue
		m=${dev##*.}
		echo "bam-dmux.$m: runtime $(cat "$dev/power/runtime_status" 2>/dev/null)"
		st=$(sim_debugfs "$m")/stats
		[ -r "$st" ] && awk '
			NR <= 9 { state = state " " $1 "=" $2; next }
			$2 != 0 { ctrs = ctrs " " $1 "=" $2 }
			END { print "  modem:" state; print "  modem counters:" ctrs }' "$st"
		w=$(dmux_wwan 0 "$m" || dmux_wwan 1 "$m") || continue
		echo "  $w: $(ip -br link show "$w" 2>/dev/null | awk '{print $2, $3}')"
		ethtool -S "$w" 2>/dev/null | awk '
			NR > 1 && $2 != 0 { ctrs = ctrs " " $1 $2 }
			END { print "  driver counters:" ctrs }'
	done
	dmesg | grep -E 'bam.dmux' | tail -n 5
	# the last events in the trace buffer, for a debugging session
	if [ -n "${DMUX_FAIL_TRACE:-}" ]; then
		grep -v '^#' /sys/kernel/tracing/trace | tail -n "$DMUX_FAIL_TRACE"
	fi
}

# dmux_payload_check CH [M]: payload bytes survive both ways over channel
# CH of modem M: pings with fill patterns from each side (iputils reports a
# reply whose bytes differ), then a 1 MiB file over TCP each way, its
# sha256 compared. Prints what went wrong; fails then.
dmux_payload_check()
{
	local ch=$1 m=${2:-0} ns host peer pat size out f pid want got dir

	ns=$(dmux_ns "$ch" "$m")
	host=10.$m.$ch.1
	peer=10.$m.$ch.2
	for pat in 00 ff a5 5a0f 0123456789abcdef; do
		for size in 57 1400; do
			out=$(ping -c 3 -i 0.05 -s $size -p $pat -W 2 "$peer" 2>&1)
			[ $? -eq 0 ] || { echo "ping -s $size -p $pat to the modem lost replies"; return 1; }
			! grep -q 'wrong data' <<< "$out" ||
				{ echo "ping -s $size -p $pat: a reply came back corrupted"; return 1; }
			out=$(ip netns exec "$ns" ping -c 3 -i 0.05 -s $size -p $pat -W 2 "$host" 2>&1)
			[ $? -eq 0 ] || { echo "ping -s $size -p $pat from the modem lost replies"; return 1; }
			! grep -q 'wrong data' <<< "$out" ||
				{ echo "ping -s $size -p $pat from the modem: a reply came back corrupted"; return 1; }
		done
	done

	f=/tmp/dmux-payload.$$
	head -c 1048576 /dev/urandom > "$f.src"
	want=$(sha256sum < "$f.src")
	for dir in up down; do
		rm -f "$f.$dir"
		# the receiver: cat, from the connection to its end (a listener
		# that read our stdin would stop at its EOF)
		if [ $dir = up ]; then
			ip netns exec "$ns" timeout 60 busybox nc -l -p 5301 \
				-e sh -c "cat > $f.$dir" < /dev/null &
		else
			timeout 60 busybox nc -l -p 5301 -e sh -c "cat > $f.$dir" < /dev/null &
		fi
		pid=$!
		# the listener may not be up yet: a refused connect sends nothing
		if [ $dir = up ]; then
			wait_for 10 timeout 60 busybox nc "$peer" 5301 < "$f.src"
		else
			wait_for 10 ip netns exec "$ns" timeout 60 busybox nc "$host" 5301 < "$f.src"
		fi
		wait "$pid"
		got=$(sha256sum < "$f.$dir")
		[ "$got" = "$want" ] || {
			echo "1 MiB over TCP ($dir): $(stat -c %s "$f.$dir") bytes came, sha256 differs"
			rm -f "$f".*
			return 1
		}
	done
	rm -f "$f".*
}
