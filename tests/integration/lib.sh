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
