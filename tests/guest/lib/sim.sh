# SPDX-License-Identifier: GPL-2.0-only
# Helpers of the simulator's guest tests (tests/guest/1x-2x), sourced by lib.sh.
#
# Addressing: channel CH of modem M runs 10.M.CH.1 (host side, wwanN, root
# netns) <-> 10.M.CH.2 (modem side, bdsim*, in netns "sim-M-CH").

# sim_knob NAME [VALUE] [M]: read or write a debugfs knob of modem M
sim_knob()
{
	local f
	f="$(sim_debugfs "${3:-0}")/$1"

	if [ $# -ge 2 ] && [ -n "$2" ]; then
		echo "$2" > "$f"
	else
		cat "$f"
	fi
}

# sim_stat NAME [M]: one value of modem M's stats file
sim_stat()
{
	awk -v n="$1" '$1 == n {print $2; found = 1; exit} END {exit !found}' \
		"$(sim_debugfs "${2:-0}")/stats"
}

# sim_stat_is NAME VALUE [M]: the stat has exactly this value (for wait_for)
sim_stat_is()
{
	[ "$(sim_stat "$1" "${3:-0}")" = "$2" ]
}

# sim_stats_are NAME=VALUE... : one reading of modem 0's stats file holds
# every pair (for wait_for; several sim_stat calls could straddle a change)
sim_stats_are()
{
	awk -v want="$*" '
		BEGIN { n = split(want, w, " ") }
		{ v[$1] = $2 }
		END {
			for (i = 1; i <= n; i++) {
				split(w[i], kv, "=")
				if (!(kv[1] in v) || v[kv[1]] != kv[2])
					exit 1
			}
		}' "$(sim_debugfs 0)/stats"
}

# sim_stat_ge NAME VALUE [M]
sim_stat_ge()
{
	local v

	v=$(sim_stat "$1" "${3:-0}") || return 1
	[ "$v" -ge "$2" ]
}

# sim_inject WHAT [M]: e.g. sim_inject "bad_magic 3"
sim_inject()
{
	echo "$1" > "$(sim_debugfs "${2:-0}")/inject"
}

# sim_if CH [M]: the modem-side interface of channel CH of modem M
sim_if()
{
	if [ "${2:-0}" -eq 0 ]; then
		echo "bdsim$1"
	else
		echo "bdsim$2-$1"
	fi
}

sim_ns()
{
	echo "sim-${2:-0}-$1"
}

# sim_wwan CH [M]: the driver's interface of channel CH of modem M
sim_wwan()
{
	dmux_wwan "$@"
}

# sim_nr_wwan [M]: how many interfaces the driver made for modem M
sim_nr_wwan()
{
	dmux_nr_wwan "$@"
}

# sim_nr_wwan_is N [M]: the driver has exactly N interfaces for modem M
sim_nr_wwan_is()
{
	[ "$(sim_nr_wwan "${2:-0}")" -eq "$1" ]
}

# sim_carrier_is IF 0|1
sim_carrier_is()
{
	[ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" = "$2" ]
}

# sim_nr_bdsim [M]: how many modem-side interfaces modem M has (root netns)
sim_nr_bdsim()
{
	local m=${1:-0}

	if [ "$m" -eq 0 ]; then
		ls -d /sys/class/net/bdsim[0-7] 2>/dev/null | wc -l
	else
		ls -d /sys/class/net/bdsim"$m"-[0-7] 2>/dev/null | wc -l
	fi
}

# sim_noipv6 [NETNS]: no IPv6 (so no RS, no MLD) on interfaces made afterwards
sim_noipv6()
{
	local pre=()

	[ -n "${1:-}" ] && pre=(ip netns exec "$1")
	"${pre[@]}" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null
	"${pre[@]}" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
	return 0
}

# sim_ipv6_restore: undo sim_noipv6 in the root netns
sim_ipv6_restore()
{
	sysctl -qw net.ipv6.conf.all.disable_ipv6=0 2>/dev/null
	sysctl -qw net.ipv6.conf.default.disable_ipv6=0 2>/dev/null
}

# sim_in_ns CH [M] CMD...: run CMD in the modem-side netns of the channel
sim_in_ns()
{
	local ch=$1 m=$2

	shift 2
	ip netns exec "$(sim_ns "$ch" "$m")" "$@"
}

# sim_link CH [M]: wwan <-> bdsim of channel CH, the modem side in its own
# netns with IPv6 off, both ends addressed and up, and a ping through
sim_link()
{
	local ch=$1 m=${2:-0} ns wwan sif

	ns=$(sim_ns "$ch" "$m")
	sif=$(sim_if "$ch" "$m")
	sim_noipv6
	wait_for 10 sim_wwan "$ch" "$m" || return 1
	wwan=$(sim_wwan "$ch" "$m")
	ip netns add "$ns" 2>/dev/null
	sim_noipv6 "$ns"
	if ! ip netns exec "$ns" ip link show "$sif" >/dev/null 2>&1; then
		wait_for 10 ip link show "$sif" || return 1
		ip link set "$sif" netns "$ns" || return 1
	fi
	ip netns exec "$ns" ip link set lo up
	ip netns exec "$ns" ip addr replace "10.$m.$ch.2" peer "10.$m.$ch.1" dev "$sif" || return 1
	ip netns exec "$ns" ip link set "$sif" up || return 1
	ip addr replace "10.$m.$ch.1" peer "10.$m.$ch.2" dev "$wwan" || return 1
	ip link set "$wwan" up || return 1
	# the modem passes data once it has seen our OPEN
	wait_for 10 timeout -k 1 5 ping -c 1 -W 1 "10.$m.$ch.2"
}

# sim_ping CH [M] [COUNT]: ping the modem side from the host
sim_ping()
{
	timeout -k 1 15 ping -q -c "${3:-3}" -W 2 -i 0.2 "10.${2:-0}.$1.2" >/dev/null 2>&1
}

# sim_ping_host CH [M] [COUNT]: ping the host from the modem side
sim_ping_host()
{
	sim_in_ns "$1" "${2:-0}" timeout -k 1 15 ping -q -c "${3:-3}" -W 2 -i 0.2 "10.${2:-0}.$1.1" \
		>/dev/null 2>&1
}

# sim_estat IF NAME: one ethtool -S counter of the driver
sim_estat()
{
	ethtool -S "$1" 2>/dev/null |
		awk -v n="$2" '$1 == n ":" {print $2; found = 1} END {exit !found}'
}

# sim_estat_is IF NAME VALUE
sim_estat_is()
{
	[ "$(sim_estat "$1" "$2")" = "$3" ]
}

# sim_estat_gt IF NAME VALUE: the counter is above VALUE (for wait_for)
sim_estat_gt()
{
	local v

	v=$(sim_estat "$1" "$2") || return 1
	[ "$v" -gt "$3" ]
}

# sim_estat_sum IF NAME...: the sum of several ethtool -S counters
sim_estat_sum()
{
	local ifc=$1 n s=0 v

	shift
	for n in "$@"; do
		v=$(sim_estat "$ifc" "$n") || return 1
		s=$((s + v))
	done
	echo "$s"
}

# sim_nsstat CH M FIELD: /sys/class/net/<bdsim>/statistics/FIELD in its netns
sim_nsstat()
{
	sim_in_ns "$1" "$2" cat "/sys/class/net/$(sim_if "$1" "$2")/statistics/$3"
}

# sim_iperf_server CH [M]: iperf3 -s on the modem side, one test, in the
# background (its pid in /tmp/sim-iperf3-M-CH.pid)
sim_iperf_server()
{
	local pid=/tmp/sim-iperf3-${2:-0}-$1.pid

	sim_in_ns "$1" "${2:-0}" iperf3 -s -1 -D -B "10.${2:-0}.$1.2" -I "$pid" || return 1
	wait_for 5 test -s "$pid"
}

# sim_iperf_stop: stop the servers sim_iperf_server started
sim_iperf_stop()
{
	local f

	for f in /tmp/sim-iperf3-*.pid; do
		[ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
		rm -f "$f"
	done
	return 0
}

# sim_cleanup: what every simulator test's cleanup does
sim_cleanup()
{
	local ns

	sim_iperf_stop
	for ns in $(ip netns list 2>/dev/null | awk '/^sim-/ {print $1}'); do
		ip netns del "$ns"
	done
	dmux_unload
	sim_ipv6_restore
}
