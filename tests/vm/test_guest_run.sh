#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Self-tests of tests/guest/run, on the host (it needs no guest): a copy
# of it runs three small scripts, one of which hangs past a 3 s deadline.
# Prints `ok - NAME` / `not ok - NAME` lines for tests/run.

repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
out=$work/out
trap 'pkill -f "sleep 7777" 2>/dev/null; rm -rf "$work"' EXIT

source "$repo/tests/vm/result.sh"

cp "$repo/tests/guest/run" "$work/run"
printf '#!/bin/bash\necho "ok - passes"\necho "ok - skips # SKIP no reason"\n' > "$work/01-pass.sh"
printf '#!/bin/bash\necho "ok - before the hang"\nsleep 7777 &\nsleep 7777\n' > "$work/02-hang.sh"
printf '#!/bin/bash\necho "not ok - fails"\necho "# why"\nexit 1\n' > "$work/03-fail.sh"
chmod +x "$work"/*.sh

GUEST_TEST_TIMEOUT=3 "$work/run" > "$out" 2>&1
rc=$?
[ "$rc" -eq 1 ] && [ "$(tail -n 1 "$out")" = "2 passed, 2 failed, 1 skipped" ] &&
	grep -qx 'ok 2 - skips # SKIP no reason' "$out" &&
	grep -qx 'not ok 5 - fails' "$out" && grep -qx '# why' "$out" &&
	grep -qx '1\.\.5' "$out"
result $? "guest run: TAP numbering, skips, failures and the summary line"

grep -qx 'not ok 4 - 02-hang.sh finished in time (killed after 3 s)' "$out" &&
	grep -q '^# still running after 3 s; it waits on:' "$out" &&
	grep -q '^#   --- [0-9]*: sleep 7777' "$out" &&
	! pgrep -f "sleep 7777" > /dev/null
result $? "guest run: a script past its deadline is reported with what it waits on, and killed with its children"

# each script's wall time follows it; the hung one ran its 3 s and more
[ "$(grep -cE '^# 0[123]-[a-z]+\.sh: [0-9]+ s$' "$out")" -eq 3 ] &&
	grep -qx '# 01-pass.sh: [01] s' "$out" &&
	[ "$(sed -n 's/^# 02-hang\.sh: \([0-9]*\) s$/\1/p' "$out")" -ge 3 ]
result $? "guest run: each script's seconds are printed after it"
