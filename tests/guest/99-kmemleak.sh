#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Last of all, on a kernel with kmemleak (make test KERNEL=debug): no
# object that our modules allocated is left unreferenced. Two scans (an
# object is reported only when it stayed unreferenced for 5 s and a scan
# confirms it), then every report whose allocation stack names one of our
# modules fails the test, printed in full. A module that was unloaded
# leaves its frames unresolved (a bare 0xffffffff... address in module
# space): on the debug kernel every module is ours (virtio and 9p are
# built in), so those count as ours too. Every report of the run, ours or
# the kernel's own, is kept in build/kmemleak.log.
source "$(dirname "$0")/lib.sh"

KMEMLEAK=/sys/kernel/debug/kmemleak
KMEMLEAK_MIN_AGE=6	# seconds: kmemleak's minimum object age is 5 s
KMEMLEAK_LOG=$REPO/build/kmemleak.log

# kmemleak_ours: the reports on stdin that name our modules or hold an
# unresolved module address
kmemleak_ours()
{
	awk '
	function flush() {
		if (block ~ /bam_dmux|dmux_dmaclient|vmrun_warn/ ||
		    block ~ /\] 0xffffffff[a-f][0-9a-f]+\n/)
			printf "%s", block
		block = ""
	}
	/^unreferenced object/ { flush() }
	{ block = block $0 "\n" }
	END { flush() }'
}

test_kmemleak()
{
	RET=0
	local ours

	if [ ! -e "$KMEMLEAK" ]; then
		log_skip "kmemleak: no leak from our modules (whole run)" \
			"this kernel has no kmemleak (make test KERNEL=debug)"
		return
	fi
	echo scan > "$KMEMLEAK"
	check_err $? "kmemleak refused a scan (disabled? see dmesg)"
	sleep "$KMEMLEAK_MIN_AGE"
	echo scan > "$KMEMLEAK"
	cat "$KMEMLEAK" > "$KMEMLEAK_LOG"
	check_err $? "cannot read $KMEMLEAK"
	ours=$(kmemleak_ours < "$KMEMLEAK_LOG")
	echo "# kmemleak: $(grep -c '^unreferenced object' "$KMEMLEAK_LOG") suspected leaks in all" \
		"(build/kmemleak.log), $(grep -c '^unreferenced object' <<< "$ours") of them ours"
	[ -z "$ours" ]
	check_err $? "kmemleak reports objects allocated by our modules"
	[ -n "$ours" ] && sed 's/^/#   /' <<< "$ours"
	log_test "kmemleak: no leak from our modules (whole run)"
}

tests_run test_kmemleak
