#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Shared helpers of the guest tests, in the kernel selftests' manner.
#
# A test function sets RET=0, checks with check_err/check_fail and ends with
# log_test NAME, which prints one line: `ok - NAME` or `not ok - NAME`.
# tests/guest/run numbers those lines into TAP. lib/*.sh add helpers of
# their own area (driver, simulator, BPF tools).

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# the modules built for the kernel this guest runs: the debug kernel's
# (make modules KERNEL=debug) are in build/debug/, with the same layout
MODULES_ROOT=$REPO
[ "${VM_KERNEL:-stock}" = debug ] && MODULES_ROOT=$REPO/build/debug
DRIVER_KO=$MODULES_ROOT/driver/bam_dmux.ko
SIM_KO=$MODULES_ROOT/driver/sim/bam_dmux_sim.ko
SIM_DEBUGFS=/sys/kernel/debug/bam_dmux_sim
export REPO MODULES_ROOT DRIVER_KO SIM_KO SIM_DEBUGFS
# wait_for's limits are for Debian's kernel; lockdep, KASAN and kmemleak
# make everything several times slower (a passing test waits no longer)
WAIT_SCALE=${WAIT_SCALE:-1}
[ "${VM_KERNEL:-stock}" = debug ] && [ "$WAIT_SCALE" = 1 ] && WAIT_SCALE=4
export WAIT_SCALE

RET=0
RETMSG=
EXIT_STATUS=0

# check_err RC MSG: the step that returned RC should have succeeded
check_err()
{
	local rc=$1 msg=$2

	if [ "$RET" -eq 0 ] && [ "$rc" -ne 0 ]; then
		RET=$rc
		RETMSG=$msg
	fi
}

# check_fail RC MSG: the step that returned RC should have failed
check_fail()
{
	local rc=$1 msg=$2

	if [ "$RET" -eq 0 ] && [ "$rc" -eq 0 ]; then
		RET=1
		RETMSG=$msg
	fi
}

log_test()
{
	local name=$1

	if [ "$RET" -ne 0 ]; then
		echo "not ok - $name"
		echo "# FAIL: $RETMSG"
		# what a lib fragment can tell of the state the failure left
		if declare -F fail_state >/dev/null; then
			fail_state 2>&1 | sed 's/^/#   /'
		fi
		EXIT_STATUS=1
	else
		echo "ok - $name"
	fi
	RET=0
	RETMSG=
}

log_skip()
{
	echo "ok - $1 # SKIP $2"
}

# require_cmd CMD...: 0 when all are there, else log a skip for the caller
require_cmd()
{
	local cmd

	for cmd in "$@"; do
		if ! command -v "$cmd" >/dev/null 2>&1; then
			log_skip "${FUNCNAME[1]}" "$cmd not installed"
			return 1
		fi
	done
	return 0
}

# wait_for SECS CMD...: poll CMD every 0.1 s until it succeeds, SECS at most
wait_for()
{
	local secs=$(($1 * WAIT_SCALE)) deadline

	shift
	# a wall-clock deadline: CMD itself may take seconds (a ping timing out)
	deadline=$((${EPOCHREALTIME//[!0-9]/} + secs * 1000000))
	until "$@" >/dev/null 2>&1; do
		[ "${EPOCHREALTIME//[!0-9]/}" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

# tests_run FN...: run each test function; one failure does not stop the rest
tests_run()
{
	local fn

	for fn in "$@"; do
		RET=0
		RETMSG=
		"$fn"
	done
}

# dmux_load [SIM_PARAM...] [-- DRIVER_PARAM...]: load the simulated modem,
# then the driver, and wait for the driver to bind every modem.
dmux_load()
{
	local sim_params=() drv_params=() nr=1 p

	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		sim_params+=("$1")
		shift
	done
	[ "${1:-}" = -- ] && shift
	drv_params=("$@")
	for p in "${sim_params[@]}"; do
		case "$p" in nr_modems=*) nr=${p#nr_modems=} ;; esac
	done

	insmod "$SIM_KO" "${sim_params[@]}" || return 1
	insmod "$DRIVER_KO" "${drv_params[@]}" || return 1
	wait_for 10 __dmux_bound "$nr"
}

__dmux_bound()
{
	local nr=$1 i

	for ((i = 0; i < nr; i++)); do
		[ -e "/sys/bus/platform/drivers/bam-dmux/bam-dmux.$i" ] || return 1
	done
}

# The ledger of what the driver did to the simulated BAM that hardware
# would not survive (tests/guest/99-hw-ledger.sh reads it at the end):
# one line per modem and unload, "SCRIPT MODEM ACCESS DEAD TERMINATE BUSY".
DMUX_HW_LEDGER=${DMUX_HW_LEDGER:-/tmp/dmux-hw-ledger}

# dmux_ledger: add the modems' misuse totals to the ledger
dmux_ledger()
{
	local st m

	for st in "$SIM_DEBUGFS"/modem*/stats; do
		[ -r "$st" ] || continue
		m=${st%/stats}
		m=${m##*modem}
		awk -v s="${0##*/}" -v m="$m" '
			$1 == "dma_access_while_down" { a = $2 }
			$1 == "dma_issue_dead_pipe" { d = $2 }
			$1 == "dma_terminate_while_active" { t = $2 }
			$1 == "dma_free_busy" { b = $2 }
			END { print s, m, a + 0, d + 0, t + 0, b + 0 }' "$st" >> "$DMUX_HW_LEDGER"
	done
}

# dmux_unload: unload the driver, then the simulator; what the driver did
# to the simulated BAM up to its removal goes to the ledger
dmux_unload()
{
	if grep -q '^bam_dmux ' /proc/modules; then
		rmmod bam_dmux 2>/dev/null
		dmux_ledger
	fi
	rmmod bam_dmux_sim 2>/dev/null
	! grep -qE '^bam_dmux(_sim)? ' /proc/modules
}

# sim_debugfs [N]: the debugfs directory of simulated modem N (default 0)
sim_debugfs()
{
	echo "$SIM_DEBUGFS/modem${1:-0}"
}

__lib_cleanup()
{
	if declare -F cleanup >/dev/null; then
		cleanup >/dev/null 2>&1
	fi
}
trap __lib_cleanup EXIT

for __frag in "$REPO"/tests/guest/lib/*.sh; do
	[ -e "$__frag" ] && source "$__frag"
done
unset __frag
