#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tools/bpftrace/*.bt: all four scripts run at once over an idle suspend,
# pings from the host and injected bad frames, then are stopped; each must
# print its keys, chan-bytes the exact packet counts, drops the injections.
# chan-bytes and rx-batch run once more with a device named: bam-dmux.0's
# exact counts, and nothing for a device that is not there. All of it
# twice: under Debian 12's bpftrace (0.17) and under Debian 13's (0.23,
# tools/bpftrace-trixie), which is nearer what a phone's distribution ships.
source "$(dirname "$0")/lib.sh"

CH=0
COUNT=20
SIZE=100
OUT=/tmp/bpftrace.$$
SCRIPTS="rx-batch wake-latency chan-bytes drops"

cleanup()
{
	local p

	for p in ${BT_PIDS:-}; do
		kill -INT "$p" 2>/dev/null
	done
	wait 2>/dev/null
	bpf_link_down
	dmux_unload
	bpf_no_ipv6_restore
	rm -f "$OUT"*
}

bt_gone()
{
	! kill -0 "$1" 2>/dev/null
}

# bt_stop PID: wait for a bpftrace sent SIGINT to exit, sending it again
# every 30 s: seen once on a loaded host, one of four instances stayed in
# its poll loop after a single SIGINT. Never sooner: a SIGINT that comes
# while bpftrace prints its maps ends it there (seen on the first run of a
# boot, when printing is slow), and the maps after the first are lost.
bt_stop()
{
	local i

	for ((i = 0; i < 4; i++)); do
		wait_for 30 bt_gone "$1" && return 0
		kill -INT "$1" 2>/dev/null
	done
	return 1
}

# bt_state PID: where a process that does not exit is stuck
bt_state()
{
	local t

	tr '\0' ' ' < "/proc/$1/cmdline"
	for t in /proc/"$1"/task/*; do
		printf '; %s %s %s' "${t##*/}" "$(awk '/^State/ { print $2 }' "$t/status")" \
			"$(cat "$t/wchan")"
	done
}

# bt_unread FILE: the script said it cannot read the device name
bt_unread()
{
	grep -q '^\(WARNING\|ERROR\): this bpftrace reads the event.s device name as ""' "$1"
}

# bt_scripts TITLE NAMES: the scripts under $BPFTRACE (bpf_bt_start), from a
# fresh load. NAMES "read": device names must be read right; "any": a
# bpftrace that reads them as "" (0.23's __data_loc bug) passes too, if
# every script says so and counts the rest right.
bt_scripts()
{
	local title=$1 names=$2 wwan s p dir name=bam-dmux.0

	if ! bpf_setup $CH; then
		log_test "$title"
		return
	fi
	wwan=$BPF_WWAN
	echo 5000 > "$(sim_debugfs)/wake_delay_us"

	BT_PIDS=
	for s in $SCRIPTS; do
		bpf_bt_start "$OUT.$s" "$s.bt"
		check_err $? "$s.bt did not start: $(head -c 300 "$OUT.$s")"
		BT_PIDS="$BT_PIDS $BPF_PID"
	done
	# the device filter: this device's counts, and none of another's
	bpf_bt_start "$OUT.chan-bytes-this" chan-bytes.bt bam-dmux.0
	check_err $? "chan-bytes.bt bam-dmux.0 did not start: $(head -c 300 "$OUT.chan-bytes-this")"
	BT_PIDS="$BT_PIDS $BPF_PID"
	bpf_bt_start "$OUT.rx-batch-other" rx-batch.bt bam-dmux.9
	check_err $? "rx-batch.bt bam-dmux.9 did not start: $(head -c 300 "$OUT.rx-batch-other")"
	BT_PIDS="$BT_PIDS $BPF_PID"
	wait_for 10 dmux_suspended
	check_err $? "bam-dmux.0 did not autosuspend"
	bpf_ping_modem $COUNT $SIZE
	check_err $? "ping from the host lost packets"
	echo "bad_magic 3" > "$(sim_debugfs)/inject"
	check_err $? "injecting bad_magic failed"
	sleep 1
	for p in $BT_PIDS; do
		kill -INT "$p" 2>/dev/null
	done
	for p in $BT_PIDS; do
		if ! bt_stop "$p"; then
			check_err 1 "bpftrace $p did not exit on SIGINT: $(bt_state "$p")"
			kill -KILL "$p"
		fi
		wait "$p"
	done
	BT_PIDS=

	if [ "$names" = any ] && bt_unread "$OUT.drops"; then
		name=
		for s in wake-latency chan-bytes-this rx-batch-other; do
			bt_unread "$OUT.$s"
			check_err $? "$s: drops.bt could not read the device name, $s did not say so"
		done
	else
		bt_unread "$OUT.drops"
		check_fail $? "drops.bt: this bpftrace reads no device name"
	fi

	grep -q '^@frames_per_poll:' "$OUT.rx-batch" &&
		grep -q '^@polls: [1-9]' "$OUT.rx-batch"
	check_err $? "rx-batch.bt: no @frames_per_poll/@polls"
	grep -q '^Tracing bam-dmux NAPI polls of bam-dmux.9' "$OUT.rx-batch-other" &&
		grep -q '^@polls: 0$' "$OUT.rx-batch-other"
	check_err $? "rx-batch.bt bam-dmux.9: counted the polls of bam-dmux.0"
	grep -q "^@wake_us\[$name\]:" "$OUT.wake-latency" &&
		grep -q "^@votes\[$name, on\]: [1-9]" "$OUT.wake-latency" &&
		grep -q "^@vote_to_ack_us\[$name\]:" "$OUT.wake-latency"
	check_err $? "wake-latency.bt: no @wake_us/@votes/@vote_to_ack_us for '$name'"
	for dir in rx tx; do
		# with no name read, chan-bytes-this stopped at its first event
		for s in chan-bytes ${name:+chan-bytes-this}; do
			grep -q "^@${dir}_packets\[$CH\]: $COUNT\$" "$OUT.$s" &&
				grep -q "^@${dir}_bytes\[$CH\]: $((COUNT * (SIZE + 28)))\$" \
					"$OUT.$s" || false
			check_err $? "$s: not $COUNT packets of $((SIZE + 28)) bytes $dir on channel $CH"
		done
	done
	grep -q "^@drops\[$name, [0-9]*, bad_magic\]: 3\$" "$OUT.drops"
	check_err $? "drops.bt: not 3 bad_magic drops for '$name'"
	if [ "$RET" -ne 0 ]; then
		for s in $SCRIPTS chan-bytes-this rx-batch-other; do
			sed "s/^/# $s: /" "$OUT.$s"
		done
	fi
	bpf_link_down
	dmux_unload
	log_test "$title"
}

test_bpftrace()
{
	RET=0
	require_cmd bpftrace || return
	BPFTRACE=bpftrace bt_scripts \
		"bpftrace: rx-batch, wake-latency, chan-bytes, drops print their keys" read
}

test_bpftrace_trixie()
{
	local title="bpftrace (Debian 13's): rx-batch, wake-latency, chan-bytes, drops print their keys"

	RET=0
	if ! "$REPO/tools/bpftrace-trixie" --dir >/dev/null; then
		log_skip "$title" "no Debian 13 root: tools/bpftrace-trixie --build (make deps)"
		return
	fi
	BPFTRACE=$REPO/tools/bpftrace-trixie bt_scripts "$title" any
}

tests_run test_bpftrace test_bpftrace_trixie
