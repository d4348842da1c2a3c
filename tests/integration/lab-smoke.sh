#!/usr/bin/env bash
# QEMU lab integration test (runs inside the lab rootfs: make integration).
# 1. The itest suite on both stock kernels, checked by check_run.py.
# 2. A guest over its time limit is killed and marked timeout, console kept.
# 3. A guest whose run fails is marked failed with the reason, not hung;
#    one that invlab doctor refuses is not booted again.
# 5. The lab kernel (kernel/build.sh): a second build with nothing changed
#    is a cache hit (no timing: speed lives in make bench); its tracepoints, IR and nest-parent knob
#    (check_labkernel.py).
# 6. A user series whose patch does not apply stops the build, naming the
#    patch and showing the reject.
# 7. invlab selfcheck: on 6.12, 7.3 and the lab kernel, every window's probe
#    counts equal, opcode by opcode, what QEMU's AMD IOMMU executed.
# 9. A matrix run (two cells) interrupted with SIGINT after its first cell:
#    marked incomplete with that cell intact; --resume keeps it and runs the
#    other; invlab show and invlab compare read the real cells; its
#    report.html loads in Chromium; the real runs go into a nightly history.
# 18. The real-host path (doctor, invlab lab --host, a real host's gates) in
#     a guest booted without the lab guest's mark.
# The per-event trace, each workload's own test, the tuning knobs, the
# kprobe fallback, the overhead pairs and the hDomID sweep are in
# tests/integration/lab-long.sh (make integration-long, run by CI after
# make test).
. "$(dirname "$0")/lib.sh"

run=itest-$stamp
build/invlab lab --suite itest --run-id "$run"
status=$?
[ $status -eq 0 ] && ok "invlab lab --suite itest exits 0" || bad "invlab lab --suite itest exited $status (see results/$run)"
out=$(python3 tests/integration/check_run.py "results/$run" 2>&1)
echo "$out" | grep -v ' passed, '
passed=$((passed + $(echo "$out" | grep -c '^ok - ')))
failed=$((failed + $(echo "$out" | grep -c '^FAIL - ')))

run=itest-timeout-$stamp
start=$SECONDS
build/invlab lab --suite tests/integration/suites/timeout.conf --run-id "$run"
status=$?
took=$((SECONDS - start))
[ $status -eq 1 ] && ok "timed-out guest: invlab lab exits 1" || bad "timed-out guest: exit $status, want 1"
[ $took -lt 60 ] && ok "timed-out guest: killed after ${took} s (limit 15 s)" || bad "timed-out guest: took ${took} s"
grep -qE '"status": *"timeout"' "results/$run/6.12/boot-1/boot.json" && ok "timed-out guest: boot.json says timeout" ||
	bad "timed-out guest: boot.json: $(cat "results/$run/6.12/boot-1/boot.json" 2>&1)"
[ -s "results/$run/6.12/boot-1/console.log" ] && ok "timed-out guest: console kept" || bad "timed-out guest: no console"
python3 -c 'import json, sys
k = json.load(open(sys.argv[1]))["kernels"][0]
sys.exit(0 if k["boots"][0]["retried"] == [] else 1)' "results/$run/run.json" &&
	ok "timed-out guest: its workload had started: not tried again" || bad "timed-out guest: retried though its workload ran"
grep -q '6.12: timeout' "results/$run/report.md" && ok "timed-out guest: report says so" || bad "timed-out guest: report silent"
! grep -qE '"status": *"complete"' "results/$run/6.12/result.json" 2>/dev/null &&
	ok "timed-out guest: its result is not marked complete" || bad "timed-out guest: result claims complete"

run=itest-nodevice-$stamp
build/invlab lab --suite tests/integration/suites/nodevice.conf --run-id "$run"
status=$?
[ $status -eq 1 ] && ok "failing guest: invlab lab exits 1" || bad "failing guest: exit $status, want 1"
grep -qE '"status": *"failed"' "results/$run/6.12/result.json" && grep -q 'no-such-nvme' "results/$run/6.12/result.json" &&
	ok "failing guest: result.json failed, naming the device" || bad "failing guest: result.json: $(cat "results/$run/6.12/result.json" 2>&1 | head -5)"
grep -q 'no-such-nvme' "results/$run/report.md" && ok "failing guest: report gives the reason" || bad "failing guest: report lacks the reason"

# Built (or found) once, which on a fresh machine is the 25 min build;
# then a second call with nothing changed must be a cache hit: the same
# directory, "up to date", and nothing compiled (no build log written).
kdir1=$(kernel/build.sh) || bad "lab kernel: kernel/build.sh failed"
logs_before=$(ls "$INVLAB_CACHE/logs" | grep -c '^kbuild-')
out=$(kernel/build.sh 2>&1 >/dev/null)
kdir=$(kernel/build.sh 2>/dev/null)
logs_after=$(ls "$INVLAB_CACHE/logs" | grep -c '^kbuild-')
[ -f "$kdir/kernel.json" ] && [ "$kdir" = "$kdir1" ] && echo "$out" | grep -q 'kernel: up to date' &&
	[ "$logs_after" = "$logs_before" ] && ok "lab kernel: second build with nothing changed is a cache hit ($kdir)" ||
	bad "lab kernel: second build was not a cache hit ($kdir1 / $kdir; $(echo "$out" | tail -n 2))"

# 3b. A run invlab doctor refuses in the guest ([checks] tracepoints on
#     stock 7.3): invlab lab exits 1, the boot is not tried again (it would
#     only be refused again), and its reason is doctor's
run=itest-refused-$stamp
build/invlab lab --suite tests/integration/suites/refused.conf --run-id "$run" >/dev/null
status=$?
if [ $status -eq 1 ] && python3 - "results/$run/run.json" <<'PY'; then ok "refused run: exit 1, not booted again, doctor's reason in the record"; else bad "refused run: exit $status, see results/$run"; fi
import json, sys
b = json.load(open(sys.argv[1]))["kernels"][0]["boots"][0]
assert b["status"] == "failed" and b["retried"] == [], b
assert "this machine cannot run suite refused: lab-tracepoints: 0 of the 5 amd_iommu events" in b["reason"], b["reason"]
PY

run=itest-labkernel-$stamp
build/invlab lab --suite tests/integration/suites/labkernel.conf --run-id "$run"
status=$?
[ $status -eq 0 ] && ok "lab kernel suite: invlab lab exits 0" || bad "lab kernel suite: exit $status (see results/$run)"
out=$(python3 tests/integration/check_labkernel.py "results/$run" 2>&1)
echo "$out" | grep -v ' passed, '
passed=$((passed + $(echo "$out" | grep -c '^ok - ')))
failed=$((failed + $(echo "$out" | grep -c '^FAIL - ')))

series=$(mktemp -d)
cat >"$series/0001-does-not-apply.patch" <<'PATCH'
Subject: [PATCH] iommu/amd: a patch against code that is not there

--- a/drivers/iommu/amd/iommu.c
+++ b/drivers/iommu/amd/iommu.c
@@ -1,3 +1,3 @@
 this line is not in iommu.c
-nor is this one
+so the hunk cannot apply
 and patch must say so
PATCH
err=$(SERIES=$series kernel/build.sh 2>&1 >/dev/null)
status=$?
[ $status -ne 0 ] && ok "bad series: build stops (exit $status)" || bad "bad series: build went on"
echo "$err" | grep -q 'user patch .*0001-does-not-apply.patch does not apply' &&
	echo "$err" | grep -q 'FAILED' && echo "$err" | grep -q '^--- reject' &&
	ok "bad series: the error names the patch and shows the reject" ||
	bad "bad series: error was: $(echo "$err" | tail -n 5)"
rm -rf "$series"

run=itest-selfcheck-$stamp
build/invlab selfcheck --run-id "$run"
status=$?
[ $status -eq 0 ] && ok "selfcheck: invlab selfcheck exits 0" || bad "selfcheck: exit $status (see results/$run)"
for k in 6.12 7.3 lab; do
	if python3 - "results/$run/$k/selfcheck.json" <<'PY'; then ok "selfcheck $k: every window exact, opcode by opcode"; else bad "selfcheck $k: see results/$run/$k/selfcheck.json"; fi
import json, sys
sc = json.load(open(sys.argv[1]))
ws = sc["windows"]
assert sc["exact"] and len(ws) == 2, sc.get("error")
for w in ws:
    assert w["exact"] and w["found_in_trace"] and w["probe"] == w["qemu"], w
    assert sum(w["probe"].values()) > 1000, w
print("#", sys.argv[1].split("/")[-2], [(w["after"], w["through"], sum(w["qemu"].values())) for w in ws])
PY
done
# the counts above came from one program per command, on fentry: the
# fanout probe's on the lab kernel, the fnfan fallback's command hook on
# stock kernels; the lab tracepoint's command program not attached
if python3 - "results/$run" <<'PY'; then ok "selfcheck: counted by the fanout probe's fentry program (lab) and the fnfan fallback's command hook (6.12, 7.3), no second hook"; else bad "selfcheck: the cmdq counts came from the wrong program"; fi
import json, sys
for k, mech, where in (("lab", "fentry", "fanout probe"), ("7.3", "fentry", "fnfan fallback"), ("6.12", "fentry", "fnfan fallback")):
    r = json.load(open(f"{sys.argv[1]}/{k}/result.json"))
    c = r["probes"]["cmdq"]
    assert c["mechanism"] == mech and where in c["queue_waits"], (k, c)
    if k == "lab":
        assert r["probes"]["fanout"]["command_hook"] == "fentry", r["probes"]["fanout"]
PY
# invlab doctor, run by the guest before invlab run (lab/guest/job.sh):
# the stock kernels lack the lab tracepoints, and their NVMe driver is not
# loaded yet (doctor loads nothing); nothing is missing; the device gates
# are lifted for a lab guest and it says so
if python3 - "results/$run" <<'PY'; then ok "doctor in the 6.12, 7.3 and lab guests: the right verdicts, nothing missing"; else bad "doctor in the guests: see results/$run/*/boot-1/doctor.txt"; fi
import json, sys
for k in ("6.12", "7.3", "lab"):
    items = {i["name"]: i for i in json.load(open(f"{sys.argv[1]}/{k}/boot-1/doctor.json"))}
    v = {n: i["verdict"] for n, i in items.items()}
    assert all(v[n] == "ok" for n in ("root", "amd-iommu", "btf", "device-allowed", "dma-mode", "free-space")), (k, v)
    assert "a lab guest" in items["device-allowed"]["what"] and "GT IA" in items["amd-iommu"]["what"], (k, items)
    assert v["iommu-pmu"] == "reduced" and v["lab-tracepoints"] == ("ok" if k == "lab" else "reduced"), (k, v)
    # a stock kernel's nvme is a module invlab run loads after doctor ran
    assert v["device"] == "ok" if k == "lab" else (v["device"] == "reduced" and "not loaded" in items["device"]["what"]), (k, items["device"])
    assert "missing" not in v.values(), (k, v)
    print("#", k, "doctor:", " ".join(f"{n}={x}" for n, x in v.items()))
PY
grep -q '## Probe self-check against QEMU' "results/$run/report.md" && ! grep -q 'DIFFERS' "results/$run/report.md" &&
	ok "selfcheck: the report has the self-check table, no difference" || bad "selfcheck: report table missing or shows a difference"

run=itest-matrix-$stamp
rdir=results/$run
c1='lab@bs=4k' c2='lab@bs=16k'
build/invlab lab --suite tests/integration/suites/matrix.conf --run-id "$run" &
pid=$!
# Interrupt as soon as run.json records the first finished boot.
for _ in $(seq 600); do
	python3 -c 'import json, sys
ks = json.load(open(sys.argv[1]))["kernels"]
sys.exit(0 if any(b["status"] == "complete" for k in ks for b in k["boots"]) else 1)' "$rdir/run.json" 2>/dev/null && break
	sleep 0.5
done
kill -INT $pid
wait $pid
status=$?
[ $status -eq 1 ] && ok "matrix: interrupted run exits 1" || bad "matrix: interrupted run exited $status (see results/$run)"
if python3 - "$rdir" "$c1" <<'PY'; then ok "matrix: run.json incomplete, the first cell's first boot complete with all its windows, its cell incomplete"; else bad "matrix: after SIGINT: $(cat "$rdir/run.json")"; fi
import json, sys
run = json.load(open(sys.argv[1] + "/run.json"))
assert run["status"] == "incomplete", run["status"]
assert run["boots"] == 2, run.get("boots")
assert [p["cell"] for p in run["plan"]] == [sys.argv[2], "lab@bs=16k"], run["plan"]
first = run["kernels"][0]
assert first["cell"] == sys.argv[2] and first["status"] == "incomplete", first
assert first["boots"][0]["boot"] == 1 and first["boots"][0]["status"] == "complete", first["boots"]
r = json.load(open(sys.argv[1] + "/" + sys.argv[2] + "/boot-1/result.json"))
assert r["status"] == "complete" and len(r["samples"]) == 5, r["status"]
assert r["workload"]["params"] == {"bs": "4k", "iodepth": "1", "numjobs": "1"}, r["workload"]
assert r["workload"]["warmup_windows"] == 1
m = json.load(open(sys.argv[1] + "/" + sys.argv[2] + "/result.json"))
assert m["status"] == "incomplete" and len(m["samples"]) == 5 and {s["boot"] for s in m["samples"]} == {1}, m["status"]
PY
sum1=$(sha256sum "$rdir/$c1/boot-1/result.json")
build/invlab lab --resume "$rdir"
status=$?
[ $status -eq 0 ] && ok "matrix: --resume exits 0" || bad "matrix: --resume exited $status (see results/$run)"
[ "$(sha256sum "$rdir/$c1/boot-1/result.json")" = "$sum1" ] && ok "matrix: resume kept the finished boot untouched" ||
	bad "matrix: resume rewrote $c1/boot-1"
ls -d "$rdir/$c2"/.attempt-1-boot-1 >/dev/null 2>&1 && ok "matrix: the interrupted boot was moved aside, not deleted" ||
	bad "matrix: no .attempt-1-boot-1 in $rdir/$c2"
if python3 - "$rdir" <<'PY'; then ok "matrix: resumed run complete, 2 boots a cell interleaved across cells, 10 windows each with its boot, 16k cell read 16 KiB blocks"; else bad "matrix: resumed run: $(cat "$rdir/run.json" | head -30)"; fi
import json, sys
run = json.load(open(sys.argv[1] + "/run.json"))
assert run["status"] == "complete", run["status"]
assert sorted(k["cell"] for k in run["kernels"]) == ["lab@bs=16k", "lab@bs=4k"], run["kernels"]
assert all(k["status"] == "complete" and len(k["boots"]) == 2 for k in run["kernels"]), run["kernels"]
# boot 1 of both cells before boot 2 of either (the interrupted 16k boot 1 ran again on resume)
order = run["boot_order"]
assert order[-2:] == ["lab@bs=4k#2", "lab@bs=16k#2"] and order.index("lab@bs=16k#1") < order.index("lab@bs=4k#2"), order
for c in ("lab@bs=4k", "lab@bs=16k"):
    r = json.load(open(sys.argv[1] + "/" + c + "/result.json"))
    assert r["status"] == "complete" and len(r["samples"]) == 10, (c, r["status"], len(r["samples"]))
    assert [s["boot"] for s in r["samples"]] == [1] * 5 + [2] * 5, [s["boot"] for s in r["samples"]]
    assert [b["dir"] for b in r["boots"]] == ["boot-1", "boot-2"], r["boots"]
r = json.load(open(sys.argv[1] + "/lab@bs=16k/result.json"))
assert r["workload"]["params"]["bs"] == "16k"
s = r["samples"][0]["workload"]
assert abs(s["io_bytes"] / s["total_ios"] - 16384) < 1, s
PY
out=$(build/invlab show "$rdir" 2>&1)
status=$?
[ $status -eq 0 ] && echo "$out" | grep -q "^$c2: complete" && echo "$out" | grep -qE '^  cmds_per_io +10 ' &&
	ok "matrix: invlab show lists both cells and 10 windows of each metric" || bad "matrix: show: $status $out"
build/invlab compare "$rdir/$c1" "$rdir/$c1" --json "$rdir/self.json" >/dev/null
status=$?
[ $status -eq 0 ] && python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
ms = d['cells'][0]['metrics']
assert d['regressed'] == 0 and d['improved'] == 0
# exact metrics judged on one boot; noisy ones need 3 boots a side or a calibration
assert ms['cmds_per_io']['verdict'] == 'same' and ms['cmds_per_io']['level'] == 'exact', ms['cmds_per_io']
assert ms['iops']['verdict'] == 'inconclusive' and '2 vs 2 boots' in ms['iops']['why'], ms['iops']
assert ms['iops']['boots_base'] == 2 and ms['iops']['cv_within'] is not None, ms['iops']
" "$rdir/self.json" && ok "matrix: a cell compared with itself: exit 0, exact metrics the same, IOPS of 2 boots a side inconclusive (no calibration), with its spreads" ||
	bad "matrix: self-compare exit $status: $(head -c 900 "$rdir/self.json")"
build/invlab compare "$rdir/$c1" "$rdir/$c2" --json "$rdir/bs.json" -o "$rdir/bs.md"
status=$?
if [ $status -le 1 ] && grep -q 'workload.params.bs' "$rdir/bs.md" && python3 - "$rdir/bs.json" <<'PY'; then
import json, sys
d = json.load(open(sys.argv[1]))
c = d["cells"][0]
assert (c["base_cell"], c["new_cell"]) == ("lab@bs=4k", "lab@bs=16k"), c
assert 'workload.params.bs: "4k" -> "16k"' in c["context_diff"], c["context_diff"]
m = c["metrics"]["bw_kib_s"]
assert m["n_base"] == 10 and m["n_new"] == 10 and m["boots_base"] == 2, m
assert m["verdict"] in ("improved", "same", "inconclusive"), m
assert c["metrics"]["cmds_per_io"]["verdict"] in ("same", "REGRESSED", "improved")
PY
	ok "matrix: compare 4k vs 16k: exit $status, header names the bs difference, every metric judged at its level"
else
	bad "matrix: compare exit $status: $(head -c 800 "$rdir/bs.json")"
fi

# A guest that hangs before its workload starts is booted again once (the
# suite's boot_retries), the attempt kept and recorded; then it completes.
run=itest-retry-$stamp
build/invlab lab --suite tests/integration/suites/retry.conf --run-id "$run"
status=$?
if [ $status -eq 0 ] && python3 - "results/$run" <<'PY'; then ok "retry: the hung first attempt (no workload started) was killed at its limit, kept in .attempt-1-boot-1 with its console, recorded, and the boot tried again completed; the report says so"; else bad "retry: exit $status, see results/$run"; fi
import json, os, sys
run = sys.argv[1]
k = json.load(open(run + "/run.json"))["kernels"][0]
b = k["boots"][0]
assert k["status"] == "complete" and b["status"] == "complete", k
assert len(b["retried"]) == 1 and b["retried"][0]["status"] == "timeout", b["retried"]
a = b["retried"][0]["dir"]
assert a == ".attempt-1-boot-1" and os.path.getsize(f"{run}/6.12/{a}/console.log") > 0, a
assert not os.path.exists(f"{run}/6.12/{a}/result.json")
assert "hanging before invlab run" in open(f"{run}/6.12/{a}/console.log", errors="replace").read()
assert "1 retried" in open(run + "/report.md").read()
PY

# The real matrix run's report.html in headless Chromium (every plot loads,
# nothing external), and the real runs in a nightly history.
out=$(tests/report/check-html.sh "$rdir" 2>&1 | grep -F "$rdir")
echo "$out"
passed=$((passed + $(echo "$out" | grep -c '^ok - ')))
failed=$((failed + $(echo "$out" | grep -c '^FAIL - ')))
hist=$(mktemp -d)
build/invlab nightly append --history "$hist" --host itest "results/itest-$stamp" "$rdir" >/dev/null &&
	build/invlab nightly report --history "$hist" -o "$hist/report" >/dev/null
status=$?
[ $status -le 1 ] && [ -s "$hist/report/nightly.md" ] && ls "$hist/itest/" | grep -q "itest-matrix-$stamp.json" &&
	ok "nightly: the real itest and matrix runs append and report (exit $status)" ||
	bad "nightly on real runs: exit $status, $(ls -R "$hist" | head -5)"
rm -rf "$hist"

# 18. The real-host path in a guest NOT marked as a lab guest (suite
# hostmode: lab_guest = no): its script drives invlab doctor and invlab lab
# --host as a user would on an AMD host; the gates hold without the mark
run=itest-hostmode-$stamp
build/invlab lab --suite tests/integration/suites/hostmode.conf --run-id "$run" >/dev/null
status=$?
hm="results/$run/lab/boot-1/hostmode.txt"
[ $status -eq 0 ] && ok "hostmode: the guest's script passed, invlab lab exits 0" || bad "hostmode: invlab lab exited $status (see $hm, console.log)"
grep -q 'invlab.lab=1' "results/$run/lab/boot-1/lab.json" && bad "hostmode: the guest was booted with the lab mark" ||
	ok "hostmode: the guest was booted without the lab mark (invlab.lab=1)"
if [ -f "$hm" ]; then
	cat "$hm"
	passed=$((passed + $(grep -c '^ok - ' "$hm")))
	failed=$((failed + $(grep -c '^FAIL - ' "$hm")))
	[ "$(grep -c '^ok - ' "$hm")" -eq 7 ] || bad "hostmode: $(grep -c '^ok - ' "$hm") of 7 checks passed"
else
	bad "hostmode: the guest left no $hm"
fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
