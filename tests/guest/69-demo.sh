#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make demo's guest side, tools/demo, for a few seconds: it loads the
# modules, runs iperf3 through wwan0 with dmuxtop beside it and prints its
# summary (README.md shows what it prints).
source "$(dirname "$0")/lib.sh"

cleanup() { dmux_cleanup; }

test_demo()
{
	RET=0
	local out

	out=$(DEMO_SECONDS=3 "$REPO/tools/demo" 2>&1)
	check_err $? "tools/demo failed: $(tail -n 3 <<< "$out")"
	grep -q '^== summary' <<< "$out"
	check_err $? "no summary in the demo's output"
	grep -Eq '^iperf3 TCP wwan0 -> bdsim0 for [0-9.]+ s: [0-9.]*[1-9][0-9.]* Mbit/s' <<< "$out"
	check_err $? "the demo's iperf3 line is missing or shows no throughput"
	grep -q '^ *pc_votes: [1-9]' <<< "$out"
	check_err $? "the demo's ethtool -S summary is missing"
	log_test "demo: tools/demo (make demo) runs iperf3 through wwan0 and prints its summary"
}

require_cmd iperf3 ethtool || exit 0
tests_run test_demo
exit $EXIT_STATUS
