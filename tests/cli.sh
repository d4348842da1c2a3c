#!/usr/bin/env bash
# Bad input to the invlab command line: a clear error naming the input, a
# non-zero exit status, and nothing left that looks like a finished result.
# No QEMU; runs inside the lab rootfs (make test).
set -uo pipefail
cd "${INVLAB_TOP:?}"
invlab=build/invlab
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

expect() { # want_status pattern description -- command...
	local want=$1 pattern=$2 what=$3
	shift 4
	local out status
	out=$("$@" 2>&1)
	status=$?
	if [ "$status" -eq "$want" ] && grep -qE -- "$pattern" <<<"$out"; then
		echo "ok - $what"
		passed=$((passed + 1))
	else
		echo "FAIL - $what: exit $status (want $want), output: $out"
		failed=$((failed + 1))
	fi
}

expect 2 "unknown command 'frobnicate'" "unknown command" -- $invlab frobnicate
expect 2 "no suite 'nosuch'.*smoke" "unknown suite lists the suites" -- \
	$invlab lab --suite nosuch
expect 2 "no suite 'nosuch'" "invlab run: unknown suite" -- \
	$invlab run --suite nosuch --out "$tmp/out"

cat >"$tmp/bad-reps.conf" <<'CONF'
[suite]
kernels = 6.12
repetitions = many
[workload]
type = fio
job = randread-4k
device = serial:invlab-nvme0
CONF
expect 2 "bad-reps.conf: \[suite\] repetitions = many" "non-numeric repetitions named" -- \
	$invlab run --suite "$tmp/bad-reps.conf" --out "$tmp/out"
[ ! -e "$tmp/out/result.json" ] && { echo "ok - no result written for a bad suite"; passed=$((passed + 1)); } ||
	{ echo "FAIL - a result was written for a bad suite"; failed=$((failed + 1)); }

printf '[suite]\nkernels = 6.12\n[workload]\ntype = fio\njob = nosuchjob\ndevice = serial:x\n' >"$tmp/bad-job.conf"
expect 2 "job = nosuchjob: no .*nosuchjob.fio" "missing job file named" -- \
	$invlab run --suite "$tmp/bad-job.conf" --out "$tmp/out"

printf '[suite]\nkernels = 6.12\n[probes]\ncmdq = uprobe\n[workload]\ntype = fio\njob = randread-4k\ndevice = serial:x\n' >"$tmp/bad-probe.conf"
expect 2 "bad-probe.conf: \[probes\] cmdq = uprobe: expected auto, fentry or kprobe" "unknown probe mechanism named" -- \
	$invlab run --suite "$tmp/bad-probe.conf" --out "$tmp/out"

printf 'this is [not an ini\n' >"$tmp/garbage.conf"
expect 2 "garbage.conf:1: not valid INI" "malformed suite file: file and line" -- \
	$invlab run --suite "$tmp/garbage.conf" --out "$tmp/out"

# A kernel that cannot even be prepared still appears, failed, in the run.
printf '[suite]\nkernels = 6.12 nosuchkernel\nboot_timeout = 60\n[workload]\ntype = fio\njob = randread-4k\ndevice = serial:x\n' >"$tmp/bad-kernel.conf"
expect 1 "no kernel 'nosuchkernel'" "unknown kernel label" -- \
	$invlab lab --suite "$tmp/bad-kernel.conf" --kernel nosuchkernel --run-id "cli-$$" --results "$tmp/results"
grep -q 'nosuchkernel: failed.*preparing kernel nosuchkernel failed' "$tmp/results/cli-$$/report.md" &&
	{ echo "ok - unpreparable kernel listed as failed in the report"; passed=$((passed + 1)); } ||
	{ echo "FAIL - unpreparable kernel missing from the report"; failed=$((failed + 1)); }

expect 2 "is missing or not an invlab run" "report on a directory that is no run" -- \
	$invlab report "$tmp"

# A run whose result file was cut short: the report must say so, not
# show numbers.
mkdir -p "$tmp/run/k1"
printf '{"schema":"invlab.run","version":1,"run_id":"t","suite":"s","status":"complete","kernels":[{"label":"k1","status":"complete","seconds":1}]}' >"$tmp/run/run.json"
printf '{"schema":"invlab.result","version":1,"status":"comp' >"$tmp/run/k1/result.json"
expect 0 "report.md" "report of a run with a truncated result" -- $invlab report "$tmp/run"
if grep -q 'k1: complete.*not valid JSON' "$tmp/run/report.md" && ! grep -q '| IOPS | [0-9]' "$tmp/run/report.md"; then
	echo "ok - truncated result reported as such, no numbers"
	passed=$((passed + 1))
else
	echo "FAIL - truncated result: $(grep 'k1' "$tmp/run/report.md" | head -3)"
	failed=$((failed + 1))
fi

printf '{"schema":"something.else","version":1}' >"$tmp/run/k1/result.json"
$invlab report "$tmp/run" >/dev/null 2>&1
grep -q 'not an invlab result' "$tmp/run/report.md" && { echo "ok - foreign result file named"; passed=$((passed + 1)); } ||
	{ echo "FAIL - foreign result file not named"; failed=$((failed + 1)); }

# kernel/build.sh refuses bad inputs before it downloads or unpacks anything.
expect 1 "KSRC=$tmp is not a Linux source tree" "kernel build: KSRC that is not a kernel tree" -- \
	env KSRC="$tmp" kernel/build.sh
expect 1 "SERIES=$tmp/nope: no such directory or series file" "kernel build: missing SERIES" -- \
	env SERIES="$tmp/nope" kernel/build.sh
mkdir -p "$tmp/empty-series"
expect 1 "SERIES=$tmp/empty-series holds no patches" "kernel build: SERIES without patches" -- \
	env SERIES="$tmp/empty-series" kernel/build.sh
printf '0001-absent.patch\n' >"$tmp/series"
expect 1 "patch listed in a series does not exist: $tmp/0001-absent.patch" "kernel build: series names a missing patch" -- \
	env SERIES="$tmp/series" kernel/build.sh
expect 1 "KCONFIG_BASE=$tmp/none does not exist" "kernel build: missing KCONFIG_BASE" -- \
	env KCONFIG_BASE="$tmp/none" kernel/build.sh
echo 'CONFIG_ARM64=y' >"$tmp/arm.config"
expect 1 "$tmp/arm.config is not an x86_64 kernel config" "kernel build: KCONFIG_BASE for another arch" -- \
	env KCONFIG_BASE="$tmp/arm.config" kernel/build.sh
expect 1 "no kernel 'nosuch'.*lab" "prepare: unknown kernel label lists the labels" -- \
	kernel/prepare.sh nosuch

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
