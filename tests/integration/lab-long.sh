#!/usr/bin/env bash
# The QEMU lab's longer integration tests (make integration-long; CI runs it
# after make test, whose integration part is tests/integration/lab-smoke.sh):
# 12. The per-event fan-out trace over the ring buffer ([probes] trace).
# 11. Each workload's own test (tests/integration/workloads/*.sh): its suite
#     in the lab, asserting what the workload really did.
# 13. The lab kernel's tuning knobs as matrix parameters (tune.sh).
# 14. A QEMU crash during the workload, tried again.
# 15. The cmdq probe's kprobe fallback counts what fentry counts.
# 16. The overhead benchmark's pairs (detached windows, the report's row).
# 17. The hDomID sweep (seed 002): exact commands per unmap, the
#     instruction clock, a refused -icount option.
# 19. A LAVA job run by lava-run on the lab's guest (tests/lava/qemu/).
. "$(dirname "$0")/lib.sh"

# 12. The per-event trace: on the lab kernel one JSON line per event, as
#     many as the result says, the drop count reported, and at least every
#     event the windows' histograms counted; on stock 7.3, "not traced".
run=itest-trace-$stamp
build/invlab lab --suite tests/integration/suites/trace.conf --run-id "$run"
status=$?
[ $status -eq 0 ] && ok "trace: invlab lab exits 0" || bad "trace: exit $status (see results/$run)"
if python3 - "results/$run" <<'PY'; then ok "trace: lab kernel's events in fanout-events.jsonl, counted and drops reported; 7.3 says not traced but its fnfan fallback gives 1 + 1 commands per domain flush; 7.3's fallback traces its calls instead; no PMU said, no perf counts; perf record's perf.data kept; fentry-counted waits for buffer space equal the tracepoint's"; else bad "trace: see results/$run"; fi
import json, sys
run = sys.argv[1]
r = json.load(open(run + "/lab/result.json"))
t = r["probes"]["fanout"]["trace"]
lines = [json.loads(l) for l in open(run + "/lab/boot-1/fanout-events.jsonl")]
assert t["file"] == "fanout-events.jsonl" and t["events"] == len(lines) and t["dropped"] >= 0, t
windows = sum(k["events"] for s in r["samples"] for k in s["fanout"]["by_kind"].values())
assert len(lines) + t["dropped"] >= windows > 0, (len(lines), t, windows)
assert all(e["kind"] == "domain_pages" and e["commands"] >= 1 and e["latency_ns"] > 0 for e in lines[-100:]), lines[-1]
print("# trace:", len(lines), "events,", t["dropped"], "dropped,", windows, "in the windows")
# no AMD IOMMU PMU under QEMU: said, and no window claims perf counts
assert "no amd_iommu perf PMU" in r["probes"]["perf"]["note"] and r["probes"]["perf"]["events"] == [], r["probes"]["perf"]
assert all(s["perf"] is None for s in r["samples"])
# perf record beside the probes: perf.data kept with the cell, its size
# and sample count as perf reported them
for k in ("lab", "7.3"):
    pr = json.load(open(f"{run}/{k}/result.json"))["probes"]["perf_record"]
    import os
    # perf is enabled only once it is set up (its control FIFO's ack): the
    # windows are recorded, not just the last moments (stock 7.3 once
    # gave 19 samples, all after the windows, as perf was still starting)
    assert pr.get("file") == "perf.data" and pr["samples"] > 1000 and pr["ready_after_s"] > 0, pr
    assert os.path.getsize(f"{run}/{k}/boot-1/perf.data") == pr["bytes"] and any(e.startswith("cpu-clock") for e in pr["events"]), pr
print("# perf record:", {k: json.load(open(f"{run}/{k}/result.json"))["probes"]["perf_record"]["samples"] for k in ("lab", "7.3")}, "samples")
s = json.load(open(run + "/7.3/result.json"))["probes"]["fanout"]["trace"]
assert s["note"].startswith("not traced by tracepoints") and "probes.fnfan.trace" in s["note"], s
# stock 7.3: the fnfan fallback traces each call of the enclosing functions
r = json.load(open(run + "/7.3/result.json"))
ft = r["probes"]["fnfan"]["trace"]
calls = [json.loads(l) for l in open(run + "/7.3/boot-1/fanout-events.jsonl")]
assert ft["file"] == "fanout-events.jsonl" and ft["events"] == len(calls) and ft["dropped"] >= 0, ft
in_windows = sum(k["calls"] for w in r["samples"] for k in w["fnfan"]["by_kind"].values())
assert len(calls) + ft["dropped"] >= in_windows > 0, (len(calls), ft, in_windows)
dps = [c for c in calls if c["kind"] == "domain_pages"]
assert dps and all(c["source"] == "fnfan" and c["commands"] == 2 and 0 < c["hold_ns"] <= c["latency_ns"] for c in dps[-100:]), dps[-1]
print("# fnfan trace on 7.3:", len(calls), "calls,", ft["dropped"], "dropped,", in_windows, "in the windows")
# stock 7.3: fan-out per invalidation from entry/exit probes instead, the
# same commands the cmdq probe counted, each paging-domain flush 1 + 1
r = json.load(open(run + "/7.3/result.json"))
fns = {f["kind"]: f for f in r["probes"]["fnfan"]["functions"]}
assert r["probes"]["fnfan"]["present"] and "domain_pages" in fns and "completion_wait" in fns, r["probes"]["fnfan"]
for w in r["samples"]:
    dp = w["fnfan"]["by_kind"]["domain_pages"]
    ops = w["commands"]["by_opcode"]
    assert dp["calls"] == dp["returns"] == ops["INVALIDATE_IOMMU_PAGES"], (dp["calls"], ops)
    assert dp["commands"] == {"INVALIDATE_IOMMU_PAGES": dp["calls"], "COMPLETION_WAIT": dp["calls"]}, dp["commands"]
    assert w["fnfan"]["by_kind"]["completion_wait"]["calls"] == ops["COMPLETION_WAIT"]
    # per event: each flush alone queued its 2 commands
    assert dp["commands_per_call_hist"] == [{"ge": 2, "lt": 4, "count": dp["calls"]}], dp["commands_per_call_hist"]
    # its hold, first command's entry to last command's exit, inside the call
    h = dp["hold"]
    assert h and h["calls"] == dp["returns"] and 0 < h["ns_sum"] <= dp["latency_ns_sum"], (h, dp["latency_ns_sum"])
print("# fallback on 7.3:", {k: (f["symbol"], f["mechanism"]) for k, f in fns.items()})
# waits for buffer space by the fentry hook: on the lab kernel exactly the
# tracepoint's count, window by window; timed by the fexit on both
for k in ("lab", "7.3"):
    r = json.load(open(f"{run}/{k}/result.json"))
    assert r["probes"]["cmdq"]["mechanism"] == "fentry" and "fexit" in r["probes"]["cmdq"]["queue_waits"], r["probes"]["cmdq"]
    for w in r["samples"]:
        q = w["commands"]["queue_waits"]
        assert 0 < q["count"] == q["timed"] and sum(b["count"] for b in q["hist"]) == q["count"], q
        if k == "lab":
            assert q["count"] == w["fanout"]["queue_stalls"]["count"], (q, w["fanout"]["queue_stalls"])
        assert w["commands"]["timeouts"] == {"completion_wait": 0, "command_buffer": 0, "log_records_lost": 0}, w["commands"]["timeouts"]
print("# waits:", {k: [w["commands"]["queue_waits"]["count"] for w in json.load(open(f"{run}/{k}/result.json"))["samples"]] for k in ("lab", "7.3")})
PY

# 14. QEMU crashing during the workload (SIGABRT, as an assertion in the
#     emulator does) is tried again: the emulator failed, not the kernel.
run=itest-qemucrash-$stamp
build/invlab lab --suite tests/integration/suites/qemu-crash.conf --run-id "$run" >/dev/null 2>&1 &
lab=$!
for _ in $(seq 600); do
	[ -e "results/$run/6.12/boot-1/result.json" ] && break
	sleep 0.5
done
pkill -ABRT -f "qemu-system-x86_64.*$run" && crashed=1 || crashed=0
wait $lab
status=$?
if [ $crashed = 1 ] && [ $status -eq 0 ] && python3 - "results/$run" <<'PY'; then ok "qemu crash: a QEMU that aborts during the workload is tried again, the attempt kept and named, the cell complete"; else bad "qemu crash: killed $crashed, exit $status; see results/$run"; fi
import json, sys
run = json.load(open(sys.argv[1] + "/run.json"))
k = run["kernels"][0]
b = k["boots"][0]
assert k["status"] == "complete" and b["status"] == "complete", k
r = b["retried"]
assert len(r) == 1 and r[0]["reason"].startswith("QEMU exited with status -1:") and r[0]["dir"] == ".attempt-1-boot-1", r
PY

# 15. The cmdq probe's kprobe fallback counts what fentry counts.
run=itest-kprobe-$stamp
build/invlab lab --suite tests/integration/suites/kprobe.conf --run-id "$run"
status=$?
[ $status -eq 0 ] && ok "kprobe fallback: run complete" || bad "kprobe fallback: exit $status (see results/$run)"
if python3 - "results/$run" <<'PY'; then ok "kprobe fallback: 2 + 2 commands per read, attached by kprobe; waits for buffer space counted and timed, equal to the lab tracepoint's; fallback = no said"; else bad "kprobe fallback: counts, waits or mechanism wrong"; fi
import json, sys
for k in ("7.3", "lab"):
    r = json.load(open(f"{sys.argv[1]}/{k}/result.json"))
    s = r["samples"][0]
    reads = s["workload"]["total_ios"]
    ops = s["commands"]["by_opcode"]
    w = s["commands"]["queue_waits"]
    print("# kprobe:", k, r["probes"]["cmdq"]["mechanism"], {o: round(v / reads, 3) for o, v in ops.items()}, "waits", w["count"], "timed", w["timed"])
    assert r["probes"]["cmdq"]["mechanism"] == "kprobe"
    assert 1.95 <= ops["INVALIDATE_IOMMU_PAGES"] / reads <= 2.10
    assert 1.95 <= ops["COMPLETION_WAIT"] / reads <= 2.10
    # one head re-read per buffer wrap (8 KiB / 16 B = 512 commands)
    assert 0 < w["count"] and w["timed"] == w["count"] and w["ns"] > 0, w
    assert "kretprobe" in r["probes"]["cmdq"]["queue_waits"], r["probes"]["cmdq"]
    if k == "lab":
        assert w["count"] == s["fanout"]["queue_stalls"]["count"], (w, s["fanout"]["queue_stalls"])
    else:
        fb = r["probes"]["fnfan"]
        assert fb["present"] is False and "fallback = no" in fb["note"] and s["fnfan"] is None, (fb, s.get("fnfan"))
PY

# 16. The overhead benchmark's pairs: detached windows recorded, probes
#     re-attached and counting after them, the report's overhead table.
run=itest-overhead-$stamp
build/invlab lab --suite tests/integration/suites/overhead.conf --run-id "$run"
status=$?
[ $status -eq 0 ] && ok "overhead pairs: run complete" || bad "overhead pairs: exit $status (see results/$run)"
if python3 - "results/$run/lab/result.json" <<'PY'; then ok "overhead pairs: 2 detached windows (seed-path probes detached too), probes counting again after each"; else bad "overhead pairs: see results/$run/lab/result.json"; fi
import json, sys
r = json.load(open(sys.argv[1]))
off = r["overhead"]["off"]
assert [o["repetition"] for o in off] == [1, 2], off
assert all(o["workload"]["iops"] > 0 and "commands" not in o for o in off), off
on = r["samples"]
assert len(on) == 2 and all(s["commands"]["total"] > 1000 for s in on), [s["commands"]["total"] for s in on]
assert all(s["fanout"] and s["fanout"]["commands"] == s["commands"]["total"] for s in on)
# the seed paths' own probes are off in the detached windows too, and say so
seeds = {n: p for n, p in r["probes"]["seed_paths"].items() if p.get("measured")}
assert seeds and all("except the windows run with every probe detached" in p["measured_over"] for p in seeds.values()), r["probes"]["seed_paths"]
PY
grep -qE '^\| lab \| 2 \| [0-9]+ \| [0-9]+ \| [0-9.]+ \[' "results/$run/report.md" &&
	ok "overhead pairs: the report has the overhead row with its interval" ||
	bad "overhead pairs: report: $(grep -A4 'Probe overhead' "results/$run/report.md" | tail -2)"

# 17. The hDomID sweep (seed 002) on the lab-nest kernel: every
#     stage-2 unmap sends exactly 1 + N x M INVALIDATE_IOMMU_PAGES and one
#     completion wait, for N = 1 and 64 nested domains on M = 2 vIOMMUs.
run=itest-hdomid-$stamp
build/invlab lab --suite tests/integration/suites/hdomid-sweep.conf --run-id "$run"
status=$?
[ $status -eq 0 ] && ok "hdomid sweep: invlab lab exits 0" || bad "hdomid sweep: exit $status (see results/$run)"
for n in 1 64; do
	if python3 - "results/$run/lab-nest@hdomids=$n/result.json" "$n" <<'PY'; then ok "hdomid sweep N=$n M=2: exactly $((1 + n * 2)) INVALIDATE_IOMMU_PAGES + 1 COMPLETION_WAIT per unmap, every window; seed-path probe saw 2 vIOMMU inits and $((2 * n)) nested allocations"; else bad "hdomid sweep N=$n: see results/$run"; fi
import json, sys
r = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
assert r["status"] == "complete", r.get("error")
assert r["workload"]["params"] == {"hdomids": str(n), "viommus": "2"}, r["workload"]
assert len(r["samples"]) == 2
for s in r["samples"]:
    m = s["metrics"]
    ops = s["commands"]["by_opcode"]
    assert ops.get("INVALIDATE_IOMMU_PAGES") == 20 * (1 + 2 * n), ops
    assert ops.get("COMPLETION_WAIT") == 20, ops
    assert m["inv_cmds_per_unmap"] == 1 + 2 * n and m["cw_cmds_per_unmap"] == 1, m
    assert m["unmap_ns"] > 0, m
    # the IRQs-off stretch of each hDomID walk: first command (its wait for
    # space included) to last, within the walk's begin-to-end latency
    np = s["fanout"]["by_kind"]["nest_parent"]
    assert np["events"] == 20 and 0 < np["hold_ns"] <= np["latency_ns"], np
# seed 002's setup, timed by the seed-path probe over the run: one
# viommu_init per vIOMMU, one nested-domain allocation per nested HWPT
sm = r["probes"]["seed_paths"]["nest_parent_hdomid_flush"]["measured"]
assert sm["amd_iommufd_viommu_init"]["calls"] == 2, sm
assert sm["amd_iommu_alloc_domain_nested"]["calls"] == 2 * n, sm
print("# N=%d:" % n, {k: round(v, 2) for k, v in r["samples"][0]["metrics"].items()})
PY
done
# the suite's clock: QEMU icount, recorded, shown, and as steady as it claims
if python3 - "results/$run" <<'PY'; then ok "hdomid sweep on the instruction clock: context.lab.timing says icount with the default options; unmap cost repeats within 1% between windows and grows by 500-5000 guest instructions per hDomID"; else bad "hdomid sweep icount: see results/$run"; fi
import json, sys, statistics
run = sys.argv[1]
cost = {}
for n in (1, 64):
    r = json.load(open("%s/lab-nest@hdomids=%d/result.json" % (run, n)))
    t = r["context"]["lab"]["timing"]
    assert t["mode"] == "icount" and t["icount"] == "shift=0,align=off,sleep=off", t
    assert t["unit"].startswith("guest instructions"), t
    u = [s["metrics"]["unmap_ns"] for s in r["samples"]]
    assert max(u) - min(u) <= 0.01 * min(u), u
    cost[n] = statistics.median(u)
slope = (cost[64] - cost[1]) / (2 * 63)
print("# icount: %.0f instructions per hDomID per vIOMMU" % slope)
assert 500 <= slope <= 5000, cost
PY
out=$(build/invlab show "results/$run" 2>&1)
echo "$out" | grep -q 'clock: QEMU icount (shift=0,align=off,sleep=off): every \*_ns figure is guest instructions' &&
	grep -q '^Clock: \*\*instruction clock\*\* (QEMU `-icount shift=0' "results/$run/report.md" &&
	ok "hdomid sweep icount: invlab show and report.md name the instruction clock" ||
	bad "hdomid sweep icount: show/report do not name the clock: $(echo "$out" | head -8)"
grep -q '^| inv_cmds_per_unmap | 3 (3–3) | 129 (129–129) |' "results/$run/report.md" && ! grep -qw nan "results/$run/report.md" &&
	ok "hdomid sweep: report.md has the workload's own metrics per cell, no fio tables of NaNs" ||
	bad "hdomid sweep: report.md: $(grep -A4 'Workload metrics' "results/$run/report.md")"
# an icount option QEMU rejects: the boot fails with QEMU's own words
run=itest-badicount-$stamp
build/invlab lab --suite tests/integration/suites/hdomid-sweep.conf --icount shift=99 --run-id "$run"
status=$?
[ $status -eq 1 ] && grep -q 'QEMU exited with status 1: .*Invalid shift value' "results/$run/lab-nest@hdomids=1/boot-1/boot.json" &&
	! grep -qs '"status": *"complete"' "results/$run/lab-nest@hdomids=1/result.json" &&
	ok "icount shift=99: QEMU refuses it, invlab lab exits 1 quoting QEMU, no complete result" ||
	bad "icount shift=99: exit $status, boot.json: $(cat "results/$run/lab-nest@hdomids=1/boot-1/boot.json" 2>&1)"

# 19. A LAVA job for real (tests/lava/qemu/lava-run.sh): invlab lava-job's
#     job run by lava-run, LAVA's dispatcher alone, on the QEMU lab's guest
#     (not marked as a lab guest): LAVA boots the lab kernel and drives its
#     test shell, invlab lab --host runs the suite on the NVMe the job
#     names, LAVA records a test case per cell with its measurement, and
#     the guest appends the run to a private PostgreSQL history.
take_checks tests/lava/qemu/lava-run.sh \
	"$(STAMP=$stamp INVLAB=build/invlab tests/lava/qemu/lava-run.sh tests/integration/suites/lava.conf lab 2>&1)"

# 11, 13. One script per workload, and the tuning knobs' (tune.sh); each
#     prints ok/FAIL lines. INVLAB_BIN is
#     the invlab under test (B=build-x runs build-x/invlab).
for t in tests/integration/workloads/*.sh tests/integration/tune.sh; do
	[ -e "$t" ] || continue
	take_checks "$t" "$(INVLAB_BIN=build/invlab STAMP=$stamp bash "$t" 2>&1)"
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
