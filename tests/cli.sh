#!/usr/bin/env bash
# Bad input to the invlab command line: a clear error naming the input, a
# non-zero exit status, and nothing left that looks like a finished result.
# No QEMU; runs inside the lab rootfs (make test).
set -uo pipefail
cd "${INVLAB_TOP:?}"
# make cli B=DIR tests the binary of that build dir.
invlab=${INVLAB:-build/invlab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/expect.sh

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
expect 2 "bad-reps.conf:3: \[suite\] repetitions = many: expected a whole number from 1 to 1000" "non-numeric repetitions named with its line and range" -- \
	$invlab run --suite "$tmp/bad-reps.conf" --out "$tmp/out"
[ ! -e "$tmp/out/result.json" ] && { echo "ok - no result written for a bad suite"; passed=$((passed + 1)); } ||
	{ echo "FAIL - a result was written for a bad suite"; failed=$((failed + 1)); }

printf '[suite]\nkernels = 6.12\n[workload]\ntype = fio\njob = nosuchjob\ndevice = serial:x\n' >"$tmp/bad-job.conf"
expect 2 "job = nosuchjob: no .*nosuchjob.fio" "missing job file named" -- \
	$invlab run --suite "$tmp/bad-job.conf" --out "$tmp/out"

printf '[suite]\nkernels = 6.12\n[probes]\ncmdq = uprobe\n[workload]\ntype = fio\njob = randread-4k\ndevice = serial:x\n' >"$tmp/bad-probe.conf"
expect 2 "bad-probe.conf:4: \[probes\] cmdq = uprobe: expected auto, fentry or kprobe" "unknown probe mechanism named" -- \
	$invlab run --suite "$tmp/bad-probe.conf" --out "$tmp/out"

# Strict files: a misspelt key, a duplicate, a bad topology are errors
# naming the file and line, before anything runs or boots.
printf '[suite]\nkernels = 6.12\nrepetitons = 7\n[workload]\ntype = fio\njob = randread-4k\ndevice = serial:x\n' >"$tmp/typo.conf"
expect 2 "invlab: error: .*typo.conf:3: \[suite\] unknown key 'repetitons' \(did you mean 'repetitions'\?\)" \
	"run: a misspelt suite key, with its line and the near miss" -- \
	$invlab run --suite "$tmp/typo.conf" --out "$tmp/out"
expect 2 "invlab: error: .*typo.conf:3: \[suite\] unknown key 'repetitons'" "lab: a misspelt suite key, before any boot" -- \
	$invlab lab --suite "$tmp/typo.conf" --results "$tmp/typo-results"
printf '[suite]\nkernels = 6.12 6.12\n[workload]\ntype = fio\njob = randread-4k\ndevice = serial:x\n' >"$tmp/dup.conf"
expect 2 "dup.conf:2: \[suite\] kernels = 6.12 6.12: 6.12 given twice" "lab: a kernel label given twice" -- \
	$invlab lab --suite "$tmp/dup.conf" --results "$tmp/typo-results"
printf '[machine]\ntype = q35\n[iommu]\ndevice = amd-iommu\n[device nic0]\ndriver = e1000\n' >"$tmp/topo.conf"
printf '[suite]\nkernels = 6.12\ntopology = %s\n[workload]\ntype = fio\njob = randread-4k\ndevice = serial:x\n' "$tmp/topo.conf" >"$tmp/topo-suite.conf"
expect 2 "topo.conf:6: \[device nic0\] driver = e1000: expected nvme, e1000e" "lab: a topology's unknown driver, before QEMU starts" -- \
	$invlab lab --suite "$tmp/topo-suite.conf" --results "$tmp/typo-results"
[ ! -e "$tmp/typo-results" ] && { echo "ok - lab: no run directory for a bad suite or topology"; passed=$((passed + 1)); } ||
	{ echo "FAIL - lab: a bad suite or topology left $tmp/typo-results"; failed=$((failed + 1)); }

# Numeric options: junk, negative, out of range (exit 2, the option named).
expect 2 "--boots 0x3: expected a whole number from 1 to 100" "lab: --boots in hex" -- \
	$invlab lab --boots 0x3 --suite nosuch
expect 2 "--runtime 99999999999999999999: expected a whole number from 1 to 86400" "run: --runtime out of range" -- \
	$invlab run --runtime 99999999999999999999 --suite nosuch --out "$tmp/out"
expect 2 "--repetitions -3: expected a whole number from 1 to 1000" "run: a negative --repetitions" -- \
	$invlab run --repetitions=-3 --suite nosuch --out "$tmp/out"
expect 2 "--min-runs=-1: expected a whole number from 1 to" "nightly report: a negative --min-runs" -- \
	$invlab nightly report --history "$tmp" --min-runs=-1

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

# invlab bench: only "probes"; a suite without the overhead windows is
# said, not printed as if measured.
expect 2 'expected "invlab bench probes' "bench without a benchmark name" -- $invlab bench
expect 2 'expected "invlab bench probes.*got disks' "bench with an unknown benchmark" -- $invlab bench disks
expect 1 'has no "Probe overhead" section' "bench on a suite without overhead windows" -- \
	$invlab bench probes --suite "$tmp/bad-kernel.conf" --kernel nosuchkernel --results "$tmp/results"
expect 2 'bench probes: --run-id=x: the runs are named' "bench refuses a run id of the user's" -- \
	$invlab bench probes --run-id=x

expect 2 "$tmp is not an invlab run" "report on a directory that is no run" -- \
	$invlab report "$tmp"

# A run whose result file was cut short: the report refuses it, naming the
# file, and writes nothing that looks like a report.
mkdir -p "$tmp/run/k1"
printf '{"schema":"invlab.run","version":1,"run_id":"t","suite":"s","status":"complete","kernels":[{"label":"k1","status":"complete","seconds":1}]}' >"$tmp/run/run.json"
printf '{"schema":"invlab.result","version":1,"status":"comp' >"$tmp/run/k1/result.json"
expect 2 "$tmp/run/k1/result.json is not valid JSON \\(it ends early" "report of a run with a truncated result" -- \
	$invlab report "$tmp/run"
if [ ! -e "$tmp/run/report.md" ] && [ ! -e "$tmp/run/report.html" ]; then
	echo "ok - truncated result: no report written"
	passed=$((passed + 1))
else
	echo "FAIL - truncated result: a report was written: $(ls "$tmp/run")"
	failed=$((failed + 1))
fi

printf '{"schema":"something.else","version":1}' >"$tmp/run/k1/result.json"
expect 2 'k1/result.json is not an invlab result \(its schema is "something.else"' "report: foreign result file named" -- \
	$invlab report "$tmp/run"

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

# invlab show / compare: bad inputs are errors naming the file (exit 2);
# a real regression exits 1, no regression 0 (nightly CI gates on it).
mk=tests/compare/make-run.py
# Runs of 5 boots x 2 windows: noisy metrics are judged over boots.
python3 $mk "$tmp/base" k 1000 0.03 10 4 1 5
python3 $mk "$tmp/same" k 1000 0.03 10 4 2 5
python3 $mk "$tmp/slow" k 900 0.03 10 4 3 5
python3 $mk "$tmp/more" k 1000 0.03 10 6 4 5
python3 $mk "$tmp/one" k 1000 0.03 10 4 5 1
python3 $mk "$tmp/oneslow" k 700 0.03 10 4 6 1
expect 0 "0 regressed" "compare: two runs of one distribution, exit 0" -- $invlab compare "$tmp/base" "$tmp/same"
expect 1 "REGRESSED.*iops|iops.*REGRESSED" "compare: 10% fewer IOPS over 5 boots a side is a regression, exit 1" -- \
	$invlab compare "$tmp/base" "$tmp/slow"
expect 1 "cmds_per_io .*4.000 \(5/10\) \| 6.000 \(5/10\).*REGRESSED" "compare: commands per read 4 -> 6 is an exact regression" -- \
	$invlab compare "$tmp/base" "$tmp/more"
expect 0 "\| iops .*1 vs 1 boots: the spread between boots is unknown" \
	"compare: 30% fewer IOPS in one boot a side is inconclusive, not a regression (no calibration)" -- \
	$invlab compare --calibration "$tmp/no-calibration.json" "$tmp/one" "$tmp/oneslow"
expect 0 "improved" "compare: the other way round is an improvement, exit 0" -- $invlab compare "$tmp/slow" "$tmp/base"
# A calibration of the lab (10 boots of one kernel) lets one boot a side be judged.
python3 $mk "$tmp/calrun" k 1000 0.03 30 4 7 10
expect 0 "calibration of host lab-x, suite synthetic: 1 cell" "calibrate: a 10-boot run becomes the host's calibration" -- \
	$invlab calibrate --host lab-x --out "$tmp/calib.json" "$tmp/calrun"
expect 1 "\| iops .*REGRESSED.*from calibration" "compare: 30% fewer IOPS in one boot a side, with the calibration: a regression, said how" -- \
	$invlab compare --calibration "$tmp/calib.json" "$tmp/one" "$tmp/oneslow"
expect 2 "no cell of 3 or more boots" "calibrate: a run of one boot cannot calibrate, exit 2" -- \
	$invlab calibrate --host lab-x --out "$tmp/calib2.json" "$tmp/one"
[ ! -e "$tmp/calib2.json" ] && ok_cal=1 || ok_cal=0
[ $ok_cal = 1 ] && { echo "ok - calibrate: a refused calibration writes no file"; passed=$((passed + 1)); } ||
	{ echo "FAIL - calibrate: wrote $tmp/calib2.json"; failed=$((failed + 1)); }
echo '{"schema": "invlab.calibration", "version": 1, "suites": 3}' >"$tmp/badcal.json"
expect 2 "badcal.json: at suites: expected object, got an integer 3" "compare: a malformed calibration is named, exit 2" -- \
	$invlab compare --calibration "$tmp/badcal.json" "$tmp/one" "$tmp/oneslow"
expect 2 "$tmp/nope: no such run directory" "compare: missing run named" -- $invlab compare "$tmp/base" "$tmp/nope"
mkdir -p "$tmp/empty"
expect 2 "$tmp/empty is not an invlab run" "compare: directory that is no run" -- $invlab compare "$tmp/empty" "$tmp/base"
cp -r "$tmp/base" "$tmp/trunc" && head -c 40 "$tmp/base/run.json" >"$tmp/trunc/run.json"
expect 2 "$tmp/trunc/run.json is not valid JSON" "compare: truncated run.json named" -- $invlab compare "$tmp/trunc" "$tmp/base"
cp -r "$tmp/base" "$tmp/foreign" && echo '{"schema": "lkp.job", "version": 1}' >"$tmp/foreign/run.json"
expect 2 'foreign/run.json is not an invlab run \(its schema is "lkp.job"' "compare: foreign run.json named" -- \
	$invlab compare "$tmp/foreign" "$tmp/base"
cp -r "$tmp/base" "$tmp/badres" && head -c 100 "$tmp/base/k/result.json" >"$tmp/badres/k/result.json"
expect 2 "badres/k/result.json is not valid JSON" "compare: truncated result is an error naming it" -- \
	$invlab compare "$tmp/base" "$tmp/badres"
expect 2 "badres/k/result.json is not valid JSON" "show: a truncated result is refused, named" -- \
	$invlab show "$tmp/badres"
expect 0 "^k [0-9.e+]+$" "show --metric: the cell's median of one metric, for scripts" -- \
	$invlab show --metric iops "$tmp/base/k"
expect 1 "^k -$" "show --metric: a metric the cell lacks is -, exit 1" -- \
	$invlab show --metric nosuch "$tmp/base"
printf '[iops]\ndirection = sideways\n' >"$tmp/policy.conf"
expect 2 "$tmp/policy.conf:2: \[iops\] direction = sideways: expected higher, lower or none" "compare: bad policy file named" -- \
	$invlab compare --policy "$tmp/policy.conf" "$tmp/base" "$tmp/same"
printf '[defaults]\nalpah = 0.5\n[iops]\ndirection = higher\n' >"$tmp/policy-typo.conf"
expect 2 "invlab: error: .*policy-typo.conf:2: \[defaults\] unknown key 'alpah' \(did you mean 'alpha'\?\)" \
	"compare: a misspelt policy key, with its line and the near miss" -- \
	$invlab compare --policy "$tmp/policy-typo.conf" "$tmp/base" "$tmp/same"
expect 2 "give BASE and NEW" "compare: one run only is a usage error" -- $invlab compare "$tmp/base"
expect 2 "is not a parameter of suite" "run: --params naming no matrix parameter" -- \
	$invlab run --suite tests/integration/suites/matrix.conf --out "$tmp/mx" --params depth=3
expect 2 "bs=8k is not one of the values" "run: --params with an unlisted value" -- \
	$invlab run --suite tests/integration/suites/matrix.conf --out "$tmp/mx" --params bs=8k
expect 2 "sweeps bs .*--params bs=VALUE" "run: a swept parameter left out" -- \
	$invlab run --suite tests/integration/suites/matrix.conf --out "$tmp/mx" --params iodepth=1
[ ! -e "$tmp/mx/result.json" ] && { echo "ok - run: bad --params leaves no result"; passed=$((passed + 1)); } ||
	{ echo "FAIL - run: bad --params left $tmp/mx/result.json"; failed=$((failed + 1)); }
# invlab doctor, and invlab run refusing early with its verdict, on this
# machine: a CI host without an AMD IOMMU (on an AMD host these are skipped)
if ! ls /sys/class/iommu 2>/dev/null | grep -q '^ivhd'; then
	expect 1 "missing +amd-iommu: this host has no AMD IOMMU" "doctor: a host without an AMD IOMMU says so, exit 1" -- \
		$invlab doctor --no-attach
	expect 1 "missing +device-allowed: 0000:01:01.0 \(the suite's\) is not named" \
		"doctor --suite msi-storm: the device gates of a real host" -- $invlab doctor --no-attach --suite msi-storm
	expect 2 "this machine cannot run suite smoke: amd-iommu: this host has no AMD IOMMU.*invlab doctor --suite smoke" \
		"run: refused before anything is written, with doctor's verdict" -- $invlab run --suite smoke --out "$tmp/doc/run"
	[ ! -e "$tmp/doc" ] && { echo "ok - run: the refused run left nothing"; passed=$((passed + 1)); } ||
		{ echo "FAIL - run: the refused run left $(find "$tmp/doc")"; failed=$((failed + 1)); }
	expect 2 "this machine cannot run suite smoke: amd-iommu: this host has no AMD IOMMU" \
		"lab --host: refused before a run directory exists" -- $invlab lab --host --suite smoke --results "$tmp/doc/results"
	[ ! -e "$tmp/doc" ] && { echo "ok - lab --host: the refused run left nothing"; passed=$((passed + 1)); } ||
		{ echo "FAIL - lab --host: the refused run left $(find "$tmp/doc")"; failed=$((failed + 1)); }
fi
expect 2 "no suite 'nosuch'" "doctor: an unknown suite" -- $invlab doctor --suite nosuch
expect 2 "--host runs this machine's kernel on its own clock" "lab --host with --timing: a usage error" -- \
	$invlab lab --host --timing icount --suite smoke
expect 2 "are for --host" "lab --device without --host: a usage error" -- $invlab lab --device /dev/nvme1n1 --suite smoke
expect 2 "is not a parameter of suite" "doctor: --params naming no matrix parameter" -- \
	$invlab doctor --suite tests/integration/suites/matrix.conf --params depth=3
expect 2 "not a run this invlab can resume" "lab --resume of a directory that is no run" -- \
	$invlab lab --resume "$tmp/empty"

# invlab bisect over a toy git tree: commit 3 of 8 drops IOPS by 10%; each
# step writes a synthetic run (make-run.py) with the IOPS in perf.txt. The
# last commit tested is not the first bad one, so the report must name the
# first bad commit's own subject.
src=$tmp/ksrc
mkdir -p "$src" && git -C "$src" init -q
for i in 1 2 3 4 5 6 7 8; do
	[ $i -lt 3 ] && echo 1000 >"$src/perf.txt" || echo 900 >"$src/perf.txt"
	echo "$i" >"$src/n.txt"
	git -C "$src" add -A && git -C "$src" -c user.name=t -c user.email=t@t commit -qm "commit $i"
done
step='python3 "$INVLAB_TOP/tests/compare/make-run.py" "$INVLAB_BISECT_RUN" k "$(cat perf.txt)" 0.03 10 4 "$(cat n.txt)" 5'
out=$(INVLAB_TOP=$PWD $invlab bisect --ksrc "$src" --good HEAD~7 --bad HEAD --metric iops --step-cmd "$step" --out "$tmp/bisect" 2>&1)
status=$?
want=$(git -C "$src" rev-parse HEAD~5)
if [ $status -eq 0 ] && grep -q "first bad commit: $want commit 3$" <<<"$out" &&
	python3 -c "
import json, sys
st = json.load(open(sys.argv[1]))
assert st['status'] == 'found' and st['first_bad'] == sys.argv[2], st['status']
assert st['first_bad_subject'] == 'commit 3', st['first_bad_subject']
assert st['steps'][-1]['subject'] != 'commit 3', 'the test wants another commit tested last'
assert 2 <= len(st['steps']) <= 3, len(st['steps'])
for s in st['steps']:
    n = int(s['subject'].split()[1])
    assert s['verdict'] == ('bad' if n >= 3 else 'good'), s
" "$tmp/bisect/bisect.json" "$want" && grep -q "first bad commit: \*\*$want\*\* commit 3$" "$tmp/bisect/bisect.md" &&
	[ "$(git -C "$src" rev-parse HEAD)" = "$(git -C "$src" rev-parse master 2>/dev/null || git -C "$src" rev-parse main)" ] &&
	[ -z "$(git -C "$src" status --porcelain)" ]; then
	echo "ok - bisect: finds commit 3 of 8 in at most 3 steps, judged with the compare statistics; the tree is untouched"
	passed=$((passed + 1))
else
	echo "FAIL - bisect: exit $status: $out"
	failed=$((failed + 1))
fi
flat='python3 "$INVLAB_TOP/tests/compare/make-run.py" "$INVLAB_BISECT_RUN" k 1000 0.03 10 4 "$(cat n.txt)" 5'
expect 2 "iops between .* is judged same.*nothing to bisect" "bisect: no change between good and bad, nothing to bisect" -- \
	env INVLAB_TOP="$PWD" $invlab bisect --ksrc "$src" --good HEAD~7 --bad HEAD --metric iops --step-cmd "$flat" --out "$tmp/bisect2"
expect 2 "--good nosuchrev is not a commit of" "bisect: unknown good revision named" -- \
	$invlab bisect --ksrc "$src" --good nosuchrev --bad HEAD --metric iops --out "$tmp/bisect3"
expect 2 "--ksrc $tmp/empty is not a git tree" "bisect: KSRC that is no git tree" -- \
	$invlab bisect --ksrc "$tmp/empty" --good A --bad B --metric iops
expect 2 "reference run: .*has no metric 'ipos'" "bisect: a metric the runs lack is named" -- \
	env INVLAB_TOP="$PWD" $invlab bisect --ksrc "$src" --good HEAD~7 --bad HEAD --metric ipos --step-cmd "$flat" --out "$tmp/bisect4"

# invlab nightly: a history of synthetic runs (tests/nightly/make-runs.py),
# one entry per host and run; merge, its conflicts; the report's exit status.
mkruns=tests/nightly/make-runs.py
nh=$tmp/nightly
python3 $mkruns "$nh/flat" --runs 12 --host lab-a --fail 4
python3 $mkruns "$nh/reg" --runs 20 --host lab-a --step 16:iops:0.85
python3 $mkruns "$nh/b" --runs 12 --host lab-b --seed 2
python3 $mkruns "$nh/other" --runs 12 --host lab-a --seed 3
expect 0 "appended .*/h1/lab-a/20260101-020000-nightly.json" "nightly append: runs filed as HOST/RUN_ID.json" -- \
	$invlab nightly append --history "$nh/h1" --host lab-a "$nh"/flat/*
expect 0 "1 of 1 cells not complete: kept with their status" "nightly append: a failed run is kept, and said so" -- \
	$invlab nightly append --history "$nh/h1" --host lab-a "$nh/flat/20260105-020000-nightly"
cp "$nh/h1/lab-a/20260101-020000-nightly.json" "$nh/entry.before"
expect 0 "already in the history, unchanged" "nightly append: the same run again changes nothing" -- \
	$invlab nightly append --history "$nh/h1" --host lab-a "$nh/flat/20260101-020000-nightly"
cmp -s "$nh/entry.before" "$nh/h1/lab-a/20260101-020000-nightly.json" && [ "$(ls "$nh/h1/lab-a" | wc -l)" -eq 12 ] &&
	ok "nightly append: idempotent, same file, 12 entries" || notok "nightly append: appending again changed the history"
expect 2 "$nh/h1/lab-a/20260101-020000-nightly.json already holds run .* with other content" \
	"nightly append: a changed run under the same id is refused" -- \
	$invlab nightly append --history "$nh/h1" --host lab-a "$nh/other/20260101-020000-nightly"
expect 2 "$nh/flat is not a run directory" "nightly append: a directory that is no run" -- \
	$invlab nightly append --history "$nh/h1" "$nh/flat"
expect 0 "report: .*nightly.md" "nightly report: a flat history exits 0" -- \
	$invlab nightly report --history "$nh/h1" -o "$nh/r1"
grep -q 'skipped, not complete: 20260105-020000-nightly (2026-01-05): failed: boot timeout' "$nh/r1/nightly.md" &&
	ok "nightly report: the failed run is listed as skipped" || notok "nightly report: failed run not listed"

$invlab nightly append --history "$nh/h2" --host lab-b "$nh"/b/* >/dev/null
expect 0 "24 entries copied, 0 already there" "nightly merge: two hosts' histories into one" -- \
	$invlab nightly merge --into "$nh/all" "$nh/h1" "$nh/h2/lab-b"
expect 0 "0 entries copied, 12 already there" "nightly merge: merging again copies nothing" -- \
	$invlab nightly merge --into "$nh/all" "$nh/h2"
[ "$(ls "$nh/all/lab-a" | wc -l)" -eq 12 ] && [ "$(ls "$nh/all/lab-b" | wc -l)" -eq 12 ] &&
	ok "nightly merge: both hosts there" || notok "nightly merge: hosts missing: $(ls "$nh/all")"
$invlab nightly append --history "$nh/h3" --host lab-a "$nh"/other/* >/dev/null
python3 $mkruns "$nh/c" --runs 1 --host lab-c --start 2027-01-01
$invlab nightly append --history "$nh/h3" --host lab-c "$nh"/c/* >/dev/null
expect 2 "conflict: $nh/all/lab-a/20260101-020000-nightly.json and $nh/h3/lab-a/20260101-020000-nightly.json" \
	"nightly merge: same host and run, other content: a conflict naming both files" -- \
	$invlab nightly merge --into "$nh/all" "$nh/h3"
[ ! -e "$nh/all/lab-c" ] && ok "nightly merge: a conflict copies nothing" || notok "nightly merge: copied despite a conflict"

cp -r "$nh/h1" "$nh/bad"
head -c 100 "$nh/h1/lab-a/20260103-020000-nightly.json" >"$nh/bad/lab-a/20260103-020000-nightly.json"
expect 2 "$nh/bad/lab-a/20260103-020000-nightly.json is not valid JSON" "nightly report: a truncated entry is named" -- \
	$invlab nightly report --history "$nh/bad" -o "$nh/rbad"
echo '{"schema": "invlab.history-entry", "version": 1, "host": "lab-a"}' >"$nh/bad/lab-a/20260103-020000-nightly.json"
expect 2 "$nh/bad/lab-a/20260103-020000-nightly.json: no \"run_id\" string" "nightly report: an entry without fields is named" -- \
	$invlab nightly report --history "$nh/bad" -o "$nh/rbad"
expect 2 "$nh/nope: no such history directory" "nightly report: missing history" -- \
	$invlab nightly report --history "$nh/nope" -o "$nh/rbad"

$invlab nightly append --history "$nh/h4" --host lab-a "$nh"/reg/* >/dev/null
expect 1 "REGRESSED: lab-a / nightly / lab / iops since run 20260117-020000-nightly" \
	"nightly report: a regression in the latest runs exits 1" -- \
	$invlab nightly report --history "$nh/h4" -o "$nh/r4"
grep -q '| 20260117-020000-nightly | 2026-01-17 | .* | \*\*REGRESSED\*\* |' "$nh/r4/nightly.md" &&
	[ -s "$nh/r4/nightly.json" ] && ls "$nh"/r4/plots/*iops.dat >/dev/null 2>&1 &&
	ok "nightly report: the change point in nightly.md, JSON and plot data written" ||
	notok "nightly report: change point missing from $nh/r4"
expect 0 "report: " "nightly report: the same history without iops exits 0" -- \
	$invlab nightly report --history "$nh/h4" -o "$nh/r5" --metric 'cmds_per_io*' --plots=none

# invlab lava-job: a LAVA job per suite and kernel (tests/lava/validate.py
# checks every job against LAVA's own schema).
lj=(lava-job --suite nvme --device-type x86 --kernel-url http://k/bzImage --rootfs http://k/rootfs.tar.xz)
expect 0 "$tmp/job.yaml: LAVA job of suite nvme, kernel lab-lazy, 16 cell\(s\)" "lava-job: a job of every cell of a suite's matrix" -- \
	$invlab "${lj[@]}" --kernel lab-lazy -o "$tmp/job.yaml"
grep -q '^device_type: "x86"$' "$tmp/job.yaml" && [ "$(grep -c '"invlab_case ' "$tmp/job.yaml")" -eq 16 ] &&
	ok "lava-job: the device type and one test step per cell" || notok "lava-job: $tmp/job.yaml lacks its cells"
expect 2 "--kernel 6.12: not one of suite nvme's kernels \(lab lab-lazy\)" "lava-job: a kernel the suite does not run" -- \
	$invlab "${lj[@]}" --kernel 6.12 -o "$tmp/job2.yaml"
expect 2 "--boot-method pxe: expected ipxe, grub or qemu" "lava-job: an unknown boot method" -- \
	$invlab "${lj[@]}" --kernel lab --boot-method pxe -o "$tmp/job2.yaml"
expect 2 "no suite 'nosuch'" "lava-job: an unknown suite" -- \
	$invlab lava-job --suite nosuch --device-type x86 --kernel lab -o "$tmp/job2.yaml"
[ ! -e "$tmp/job2.yaml" ] && ok "lava-job: a refused job writes no file" || notok "lava-job: wrote $tmp/job2.yaml"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
