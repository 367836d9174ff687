# SPDX-License-Identifier: GPL-2.0-only
# Sourced by the tests/vm/ self-tests.

# result RC NAME: the test's ok/not ok line; under a failure, the last
# lines of what it printed (the file $out)
result()
{
	local rc=$1 name=$2

	if [ "$rc" -eq 0 ]; then
		echo "ok - $name"
	else
		echo "not ok - $name"
		sed 's/^/# /' "$out" | tail -n 30
	fi
}
