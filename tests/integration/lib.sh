# Sourced by the integration scripts (lab-smoke.sh, lab-long.sh): into
# the tree, a stamp for run ids, and the ok/bad counters they print.
set -uo pipefail
cd "${INVLAB_TOP:?}"
stamp=$(date +%Y%m%d-%H%M%S)-$$
passed=0 failed=0
ok() { echo "ok - $*"; passed=$((passed + 1)); }
# a failure that says "see results/RUN" also prints why RUN failed (why.py):
# CI keeps this log, not the run directory
bad() {
	echo "FAIL - $*"
	failed=$((failed + 1))
	python3 tests/integration/why.py --message "$*"
}

# Counts the ok/FAIL lines of a script's output ($2; $1 names the script)
# and prints them; on a failure everything else it printed (a traceback,
# its progress) goes to the log too, as comments: CI keeps only the log.
take_checks() {
	if echo "$2" | grep -q '^FAIL - '; then
		echo "$2" | sed -E '/^(ok|FAIL|#) /!s/^/#   /'
	else
		echo "$2" | grep -E '^(ok|FAIL|#) '
	fi
	passed=$((passed + $(echo "$2" | grep -c '^ok - ')))
	failed=$((failed + $(echo "$2" | grep -c '^FAIL - ')))
	echo "$2" | grep -qE '^(ok|FAIL) - ' || bad "$1 printed no result: $(echo "$2" | tail -n 3)"
}
