# shellcheck shell=bash
# TAP-like checks for the shell tests (tests/cli.sh, tests/nightly/db.sh):
# ok/notok count into passed and failed; expect runs a command and checks
# its exit status and that its output (stdout and stderr) matches a regex.
passed=0 failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
notok() { echo "FAIL - $1"; failed=$((failed + 1)); }

expect() { # want_status pattern description -- command...
	local want=$1 pattern=$2 what=$3
	shift 4
	local out status
	out=$("$@" 2>&1)
	status=$?
	if [ "$status" -eq "$want" ] && grep -qE -- "$pattern" <<<"$out"; then
		ok "$what"
	else
		notok "$what: exit $status (want $want), output: $out"
	fi
}
