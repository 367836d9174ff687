#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Self-tests of tools/vm/run, on the host: each boots a guest of its own.
# Prints `ok - NAME` / `not ok - NAME` lines for tests/run.

repo=$(cd "$(dirname "$0")/../.." && pwd)
vmrun=$repo/tools/vm/run
out=$(mktemp)
trap 'rm -f "$out" "$repo/build/vm/selftest.$$"' EXIT

source "$repo/tests/vm/result.sh"

"$vmrun" --timeout 120 -- true > "$out" 2>&1
result $? "vm: 'true' in the guest exits 0"

"$vmrun" --timeout 120 -- false > "$out" 2>&1
[ $? -eq 1 ]
result $? "vm: 'false' in the guest exits 1"

"$vmrun" --timeout 120 -- sh -c 'echo streamed-$((6 * 7)); uname -r; exit 7' > "$out" 2>&1
rc=$?
[ "$rc" -eq 7 ] && grep -qx 'streamed-42' "$out" &&
	grep -qx "$("$repo/tools/kver")" "$out"
result $? "vm: output streams back and exit status 7 propagates (Debian kernel)"

"$vmrun" --timeout 120 -- sh -c "echo written-in-guest > build/vm/selftest.$$ &&
	touch /tmp/x && ! touch /usr/vmrun-ro-check 2>/dev/null" > "$out" 2>&1
[ $? -eq 0 ] && [ "$(cat "$repo/build/vm/selftest.$$" 2>/dev/null)" = written-in-guest ]
result $? "vm: repository read-write, host root read-only, /tmp writable"

# no boot: the kernel is checked first
"$vmrun" --kernel "$repo/build/vm/no-such-bzImage" -- true > "$out" 2>&1
[ $? -eq 125 ] && grep -q 'cannot read .*no-such-bzImage' "$out"
result $? "vm: --kernel with a missing image fails before booting"

start=$SECONDS
"$vmrun" --timeout 25 -- sleep 600 > "$out" 2>&1
rc=$?
[ "$rc" -eq 124 ] && grep -q 'timeout' "$out" && [ $((SECONDS - start)) -lt 120 ]
result $? "vm: a hung command is killed at --timeout with a message"

# a guest that dies reports no exit status: its kernel log is still
# scanned, and the first report digested for tests/run
"$vmrun" --timeout 120 -- sh -c 'echo c > /proc/sysrq-trigger' > "$out" 2>&1
rc=$?
[ "$rc" -eq 125 ] && grep -q 'has a report' "$out" &&
	grep -q 'Kernel panic - not syncing: sysrq' "$repo/build/vm/report.txt" &&
	grep -q 'sysrq_handle_crash' "$repo/build/vm/report.txt"
result $? "vm: a guest that panics fails the run, its report digested in build/vm/report.txt"

ko=$repo/tests/modules/warn/vmrun_warn.ko
if [ -f "$ko" ]; then
	"$vmrun" --timeout 120 -- insmod "$ko" > "$out" 2>&1
	rc=$?
	[ "$rc" -ne 0 ] && grep -q 'report' "$out" && grep -q 'vmrun_warn' "$out" &&
		grep -q 'WARNING' "$repo/build/vm/dmesg.log"
	result $? "vm: a kernel WARNING in the guest fails the run"
else
	echo "ok - vm: a kernel WARNING in the guest fails the run # SKIP $ko not built"
fi
