#!/usr/bin/env bash
# The lab kernel's tuning knobs as matrix parameters (docs/tuning.md),
# each asserting the exact commands its knob implies:
# - module.amd_iommu_lab.irt_alias_dedup = 0 2 1 (runtime, written in the
#   guest), the three cells in ONE boot: 2 INVALIDATE_INTERRUPT_TABLE per
#   IRTE update on the aliased e1000e with the knob (0x108 and 0x100 once
#   each), 3 without (0x100 twice); 2 is refused by the kernel: that cell
#   fails, the next one still runs;
# - module.amd_iommu_lab.nest_flush_all_threshold=64 at 64 hDomIDs x 2
#   vIOMMUs: 1 INVALIDATE_IOMMU_ALL + 1 COMPLETION_WAIT per stage-2 unmap,
#   no page invalidation (1 + 128 without the knob);
# - cmdline.amd_iommu_lab.cmdbuf_entries (a boot per value): head re-reads
#   per unmap scale as commands over buffer entries (256 vs 8192), and 300
#   (no power of two) is refused by the kernel: that cell fails, naming it;
# - compare between two knob values names the knob in its context diff;
# - a [neighbour] (fio on the bus-0 NVMe) beside the hDomID sweep: its
#   figures in each window, the sweep's own events still exact.
# Prints ok/FAIL lines for lab-long.sh.
set -uo pipefail
cd "${INVLAB_TOP:-$(dirname "$0")/../..}"
bin=${INVLAB_BIN:-build/invlab}
results=${INVLAB_RESULTS:-results}
stamp=${STAMP:-$(date +%Y%m%d-%H%M%S)-$$}

for s in irt flush cmdbuf neighbour; do
	"$bin" lab --suite tests/integration/suites/tune-$s.conf --run-id "itest-tune-$s-$stamp" --results "$PWD/$results" >/dev/null
	echo "# tune-$s: invlab lab exited $?"
done
c256="$results/itest-tune-cmdbuf-$stamp/lab-nest@cmdline.amd_iommu_lab.cmdbuf_entries=256"
c8192="$results/itest-tune-cmdbuf-$stamp/lab-nest@cmdline.amd_iommu_lab.cmdbuf_entries=8192"
"$bin" compare "$c256" "$c8192" >"$results/itest-tune-cmdbuf-$stamp/compare.txt" 2>&1
echo "# compare 256 8192: exit $?"
out=$(python3 - "$results" "$stamp" 2>&1 <<'PY'
import json, os, sys

res, stamp = sys.argv[1], sys.argv[2]
def ok(cond, what):
    print(("ok - tune: " if cond else "FAIL - tune: ") + what)
    return cond
def load(suite, cell):
    try:
        return json.load(open(os.path.join(res, f"itest-tune-{suite}-{stamp}", cell, "result.json")))
    except (OSError, ValueError) as e:
        ok(False, f"{suite}/{cell}: no result.json ({e})")
        return None
def knob(r, name, kind, asked, shown):
    k = r["context"].get("knobs", {}).get(name)
    return ok(k is not None and k["kind"] == kind and k["asked"] == asked and k["shown"] == shown,
              f"{name}={asked}: recorded as {kind}, the kernel shows {shown} ({k})")

# IRT alias de-dup, its three values in one boot (share_boot): 3 per update
# off, 2 on (each devid once), and 2 refused by the kernel (no bool)
cells = {v: f"lab@module.amd_iommu_lab.irt_alias_dedup={v}" for v in ("0", "2", "1")}
run = json.load(open(os.path.join(res, f"itest-tune-irt-{stamp}", "run.json")))
rec = {k["cell"]: k for k in run["kernels"]}
boots = [rec.get(c, {}).get("boots", [{}])[0] for c in cells.values()]
ok(all(b.get("shared", {}).get("cells") == list(cells.values()) and b["shared"]["console"] == cells["0"] for b in boots),
   f"irt_alias_dedup 0, 2, 1: one boot shared by the three cells, in that order, its console in the first one's ({[b.get('shared') for b in boots]})")
console = open(os.path.join(res, f"itest-tune-irt-{stamp}", cells["0"], "boot-1", "console.log"), errors="replace").read()
ok(console.count("invlab-guest: run ") == 3 and console.count("Linux version") == 1,
   "irt_alias_dedup: the guest booted once and ran invlab run three times")
r = load("irt", cells["2"])
ok(r and r["status"] == "failed" and "module.amd_iommu_lab.irt_alias_dedup=2" in (r.get("error") or "") and rec[cells["2"]]["status"] != "complete",
   f"irt_alias_dedup=2: the kernel refuses it, that cell fails naming the knob ({r and r['status']}: {r and r.get('error')})")
for v, per, devids in (("0", 3, {"0x0108": 1, "0x0100": 2}), ("1", 2, {"0x0108": 1, "0x0100": 1})):
    r = load("irt", cells[v])
    if not (r and ok(r["status"] == "complete" and len(r["samples"]) == 2, f"irt_alias_dedup={v}: complete, 2 windows ({r and r['status']}: {r and r.get('error')})")):
        continue
    knob(r, "amd_iommu_lab.irt_alias_dedup", "module", v, "Y" if v == "1" else "N")
    ok(r["context"]["knobs"]["amd_iommu_lab.irt_alias_dedup"]["before"] == "N",
       f"irt_alias_dedup={v}: off before its run (the default, restored after the run before it in the boot)")
    for s in r["samples"]:
        m, calls = s["metrics"], s["updates"]["calls"]
        got = {d["devid"]: d["count"] for d in s["irt_devids"]}
        ok(calls > 0 and m["inv_irt_per_update"] == per and m["cw_per_update"] == 1 and
           got == {d: n * calls for d, n in devids.items()},
           f"irt_alias_dedup={v} window {s['repetition']}: exactly {per} INVALIDATE_INTERRUPT_TABLE ({devids} each update) and 1 COMPLETION_WAIT per IRTE update over {calls} updates ({m['inv_irt_per_update']}, {got})")

# flush-all above the threshold
r = load("flush", "lab-nest")
if r and ok(r["status"] == "complete" and len(r["samples"]) == 2, f"nest_flush_all_threshold: complete, 2 windows ({r['status']}: {r.get('error')})"):
    knob(r, "amd_iommu_lab.nest_flush_all_threshold", "module", "64", "64")
    for s in r["samples"]:
        ops = s["commands"]["by_opcode"]
        ok(ops.get("INVALIDATE_IOMMU_ALL") == 20 and ops.get("COMPLETION_WAIT") == 20 and
           not ops.get("INVALIDATE_IOMMU_PAGES"),
           f"nest_flush_all_threshold=64, 64 x 2 hDomIDs, window {s['repetition']}: 1 INVALIDATE_IOMMU_ALL + 1 COMPLETION_WAIT per unmap, no page invalidation ({ops} over 20 unmaps)")

# command buffer size: head re-reads per unmap ~ commands / (entries - 2)
stalls = {}
for n in (256, 8192):
    r = load("cmdbuf", f"lab-nest@cmdline.amd_iommu_lab.cmdbuf_entries={n}")
    if not r or not ok(r["status"] == "complete", f"cmdbuf_entries={n}: complete ({r['status']}: {r.get('error')})"):
        continue
    knob(r, "amd_iommu_lab.cmdbuf_entries", "cmdline", str(n), str(n))
    ok(f"amd_iommu_lab.cmdbuf_entries={n}" in r["context"]["kernel"]["cmdline"],
       f"cmdbuf_entries={n}: on the guest's kernel command line")
    for s in r["samples"]:
        m = s["metrics"]
        cmds = m["cmds_per_unmap"] * 20
        got = m["stalls_per_unmap"] * 20
        want = cmds / (n - 2)
        stalls.setdefault(n, []).append(got)
        ok(m["inv_cmds_per_unmap"] == 129 and abs(got - want) <= max(1.5, 0.2 * want),
           f"cmdbuf_entries={n} window {s['repetition']}: {got:.0f} head re-reads in 20 unmaps of {m['cmds_per_unmap']:.0f} commands, about commands / (entries - 2) = {want:.1f}")
if 256 in stalls and 8192 in stalls:
    print("# head re-reads per window: 256 entries %s, 8192 entries %s" % (stalls[256], stalls[8192]))
r = load("cmdbuf", "lab-nest@cmdline.amd_iommu_lab.cmdbuf_entries=300")
if r:
    ok(r["status"] == "failed" and "amd_iommu_lab.cmdbuf_entries=300" in (r.get("error") or "") and
       "shows 512" in r["error"] and not r["samples"],
       f"cmdbuf_entries=300: the kernel refuses it, the cell fails naming the knob and what the kernel shows ({r['status']}: {r.get('error')})")
# a neighbour beside the sweep
r = load("neighbour", "lab-nest")
if r and ok(r["status"] == "complete" and len(r["samples"]) == 2, f"neighbour: complete, 2 windows ({r['status']}: {r.get('error')})"):
    nb = r["workload"].get("neighbour", {})
    ok(nb.get("type") == "fio" and nb.get("job", "").endswith("/randread-4k.fio") and nb.get("node", "").startswith("/dev/nvme"),
       f"neighbour: recorded in workload.neighbour ({nb})")
    for s in r["samples"]:
        n, m = s.get("neighbour") or {}, s["metrics"]
        np_ = s["fanout"]["by_kind"]["nest_parent"]
        ok(n.get("total_ios", 0) > 0 and m.get("neighbour.iops", 0) > 0 and
           0 < m["neighbour.clat_p50_us"] <= m["neighbour.clat_p99_us"] <= m["neighbour.clat_p99_9_us"],
           f"neighbour window {s['repetition']}: fio read beside the sweep ({n.get('total_ios')} reads, {m.get('neighbour.iops')} IOPS, clat p50/p99/p99.9 {m.get('neighbour.clat_p50_us')}/{m.get('neighbour.clat_p99_us')}/{m.get('neighbour.clat_p99_9_us')} us)")
        ok(np_["events"] == 100 and np_["commands"] == 100 * 128 and s["commands"]["total"] > 100 * 130,
           f"neighbour window {s['repetition']}: the sweep's nest-parent events still exact (100 events, 12800 commands), the window's total includes the neighbour's ({np_['events']}, {np_['commands']}, {s['commands']['total']})")
try:
    run = json.load(open(os.path.join(res, f"itest-tune-cmdbuf-{stamp}", "run.json")))
    ok(run["status"] == "failed", f"cmdbuf run: failed because one cell failed ({run['status']})")
    cmp = open(os.path.join(res, f"itest-tune-cmdbuf-{stamp}", "compare.txt")).read()
    ok("knobs.amd_iommu_lab.cmdbuf_entries" in cmp and "cmdline.amd_iommu_lab.cmdbuf_entries" in cmp,
       "compare 256 -> 8192: the context diff names the knob")
except (OSError, ValueError, KeyError) as e:
    ok(False, f"cmdbuf run: no run.json or compare output ({e})")
PY
)
echo "$out"
# CI keeps this output, not the runs: on a failure, say why each run's
# cells that are not complete failed (the cmdbuf run's refused cell is one)
if echo "$out" | grep -q '^FAIL - '; then
	for s in irt flush cmdbuf neighbour; do
		python3 tests/integration/why.py "$results/itest-tune-$s-$stamp" 6
	done
fi
