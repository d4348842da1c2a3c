#!/usr/bin/env python3
"""Check a finished run of tests/integration/suites/labkernel.conf.

Usage: check_labkernel.py RUN_DIR

For each lab kernel: it booted and its run completed; kernel.json names the
source and every lab patch with its sha256; the amd_iommu tracepoints are all
in tracefs and, over the check's O_DIRECT 4 KiB reads, fired the way the
strict-mode path under QEMU implies (per read: map and unmap each flush the
NVMe's domain once, INVALIDATE_IOMMU_PAGES + COMPLETION_WAIT, so 2 + 2
commands, 2 domain_pages flushes and 2 completion waits), with no event lost;
interrupt remapping is enabled; and the nest-parent HWPT allocation is
refused with EOPNOTSUPP with the knob off (lab) and succeeds with it on
(lab-nest).
"""
import json
import os
import sys

from tap import check, summary


def per_read(t, key, name):
    return t.get(key, {}).get(name, 0) / t["reads"]


def check_kernel(run_dir, label, knob_on):
    path = os.path.join(run_dir, label, "result.json")
    try:
        res = json.load(open(path))
    except (OSError, ValueError) as e:
        check(False, f"{label}: result.json readable ({e})")
        return
    check(res["status"] == "complete", f"{label}: run complete ({res.get('error')})")
    kj = res["context"]["lab"]["kernel"]
    check(kj.get("source") == "lab-build" and kj["kernel_source"]["describe"],
          f"{label}: kernel.json records the source ({kj.get('kernel_source')})")
    lab_patches = [p for p in kj.get("patches", []) if p["series"] == "lab"]
    want = sorted(f for f in os.listdir("kernel/patches") if f.endswith(".patch"))
    check(sorted(p["name"] for p in lab_patches) == want
          and all(len(p["sha256"]) == 64 for p in lab_patches),
          f"{label}: kernel.json lists the {len(want)} lab patches with sha256")
    check(res["context"]["kernel"]["release"].endswith("-invlab"),
          f"{label}: release {res['context']['kernel']['release']}")
    c = res.get("checks")
    if not check(c is not None, f"{label}: result has checks"):
        return
    t = c["tracepoints"]
    check(not t["missing"] and len(t["present"]) == 5,
          f"{label}: all 5 amd_iommu tracepoints in tracefs (missing {t['missing']})")
    check(t["overrun"] == 0, f"{label}: no trace events lost")
    inv = per_read(t, "commands_by_opcode", "INVALIDATE_IOMMU_PAGES")
    cw = per_read(t, "commands_by_opcode", "COMPLETION_WAIT")
    dp = per_read(t, "flushes_by_kind", "domain_pages")
    we = per_read(t, "events", "amd_iommu_completion_wait_end")
    print(f"# {label}: per read: {inv:.3f} INVALIDATE_IOMMU_PAGES, {cw:.3f} COMPLETION_WAIT, "
          f"{dp:.3f} domain_pages flushes, {we:.3f} completion waits ({t['reads']} reads)")
    check(1.95 <= inv <= 2.10, f"{label}: cmd_queued INVALIDATE_IOMMU_PAGES per read {inv:.3f}")
    check(1.95 <= cw <= 2.10, f"{label}: cmd_queued COMPLETION_WAIT per read {cw:.3f}")
    check(1.95 <= dp <= 2.10, f"{label}: flush_begin domain_pages per read {dp:.3f}")
    check(1.95 <= we <= 2.10, f"{label}: completion_wait_end per read {we:.3f}")
    fb = t["events"].get("amd_iommu_flush_begin", 0)
    fe = t["events"].get("amd_iommu_flush_end", 0)
    check(fb == fe, f"{label}: every flush_begin has its flush_end ({fb}, {fe})")
    ir = c["interrupt_remapping"]
    check(ir["state"] == "enabled", f"{label}: interrupt remapping {ir['state']}")
    np = c["nest_parent"]
    knobs = res["context"]["iommu"]["lab_knobs"] or {}
    check(knobs.get("nest_parent") is knob_on and knobs.get("sb_ioapic") is True,
          f"{label}: context records the knobs {knobs}")
    if knob_on:
        check(np["allocated"] is True, f"{label}: nest parent HWPT allocated with the knob on ({np.get('errno')}, {np.get('error')})")
    else:
        check(np.get("allocated") is False and np.get("errno") == "EOPNOTSUPP",
              f"{label}: nest parent HWPT refused with EOPNOTSUPP with the knob off ({np.get('errno')}, {np.get('error')})")
    s = res["samples"][0]
    reads = s["workload"]["total_ios"]
    ops = s["commands"]["by_opcode"]
    r = ops.get("INVALIDATE_IOMMU_PAGES", 0) / reads
    check(1.95 <= r <= 2.10, f"{label}: cmdq probe agrees: {r:.3f} INVALIDATE_IOMMU_PAGES per fio read")
    sp = res["probes"]["seed_paths"]
    check([k for k, v in sp.items() if v["present"]] == ["nest_parent_hdomid_flush", "irt_alias_flush"],
          f"{label}: seed paths present: 002 and 004 only ({[v['seed'] for v in sp.values() if v['present']]})")
    # The fanout probe (tp_btf on the same tracepoints) in the fio window.
    check(res["probes"]["fanout"]["present"] and res["probes"]["fanout"]["mechanism"] == "tp_btf",
          f"{label}: fanout probe attached by tp_btf ({res['probes']['fanout']})")
    fo = s.get("fanout") or {}
    check(fo.get("commands") == s["commands"]["total"],
          f"{label}: fanout probe saw exactly the commands the cmdq probe saw ({fo.get('commands')} vs {s['commands']['total']})")
    dp = fo.get("by_kind", {}).get("domain_pages", {})
    ev = dp.get("events", 0)
    check(1.95 <= ev / reads <= 2.10, f"{label}: {ev / reads:.3f} domain_pages invalidations per read")
    check(ev and dp["commands"] == 2 * ev,
          f"{label}: each domain_pages invalidation queued 2 commands ({dp.get('commands')} for {ev})")
    check(fo.get("unattributed_total", 1) <= fo.get("commands", 0) / 100,
          f"{label}: commands outside any invalidation under 1% ({fo.get('unattributed')})")
    cw = fo.get("completion_waits", {})
    check(cw.get("count") == ev and cw.get("timeouts") == 0,
          f"{label}: one completion wait per invalidation, no timeout ({cw.get('count')}, {cw.get('timeouts')})")
    check(fo.get("unmatched") == 0 and fo.get("too_deep") == 0,
          f"{label}: fanout bookkeeping clean (unmatched {fo.get('unmatched')}, too deep {fo.get('too_deep')})")


def main():
    run_dir = sys.argv[1]
    check_kernel(run_dir, "lab", False)
    check_kernel(run_dir, "lab-nest", True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
