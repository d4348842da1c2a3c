#!/usr/bin/env bash
# Run cmocka unit test binaries and sum their results.
#
#   bench/tests/run-unit.sh build/tests/test_a build/tests/test_b ...
#
# Each binary prints its own cmocka report. The last line of output is
# "P passed, F failed", counting test cases over all binaries. A binary that
# dies or exits non-zero without reporting a failed case counts as one
# failure. Exits non-zero if anything failed or if no test ran.
set -uo pipefail

# Tests find fixtures under $INVLAB_TOP (default: this work tree).
INVLAB_TOP=${INVLAB_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
export INVLAB_TOP
# cmocka's standard report, the one parsed below.
export CMOCKA_MESSAGE_OUTPUT=stdout
# One binary must never hang the run.
TIMEOUT=${UNIT_TIMEOUT:-60}

log=$(mktemp "${TMPDIR:-/tmp}/invlab-unit.XXXXXX") || exit 1
trap 'rm -f "$log"' EXIT

total_pass=0
total_fail=0
broken=()

for t in "$@"; do
	timeout -k 5 "$TIMEOUT" "$t" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	# "[  PASSED  ] 3 test(s)."
	pass=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\.$/\1/p' "$log" |
		awk '{ s += $1 } END { print s + 0 }')
	# "[  FAILED  ] tests: 1 test(s), listed below:" (cmocka 1.1) or
	# "[  FAILED  ] 1 test(s), listed below:" (older)
	fail=$(sed -n 's/^\[  FAILED  \] \(.*: \)\{0,1\}\([0-9][0-9]*\) test(s), listed below:$/\2/p' "$log" |
		awk '{ s += $1 } END { print s + 0 }')
	if ! grep -q '^\[  PASSED  \] [0-9]* test(s)\.$' "$log"; then
		echo "run-unit: $t reported no result (exit status $rc)"
		broken+=("$t")
		[ "$fail" -eq 0 ] && fail=1
	elif [ "$rc" -ne 0 ]; then
		broken+=("$t")
		if [ "$fail" -eq 0 ]; then
			echo "run-unit: $t exited with status $rc"
			fail=1
		fi
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
done

for t in "${broken[@]}"; do
	echo "FAILED: $t"
done
if [ $# -eq 0 ]; then
	echo "run-unit: no test binaries given"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ "${#broken[@]}" -eq 0 ] && [ "$total_pass" -gt 0 ]
