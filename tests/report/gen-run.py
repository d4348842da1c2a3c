#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write a synthetic invlab run directory for the HTML report test.

    tests/report/gen-run.py OUT_DIR [--kind sweep|plain] [--scale X] [--no-failed]

sweep: a matrix run, kernel "lab" x hdomids (1 2 4 8) x viommus (1 2), with
the fan-out probe's histograms and workload metrics (cmds_per_unmap,
unmap_ns), plus one cell that failed to boot (no result.json; --no-failed: none).
plain: two kernels, no parameters, no fan-out probe (like a smoke run).
--scale multiplies latencies (a "new" run for invlab compare).

Numbers are made up but follow bench/schema/result-v1.schema.json; they
are validated against it when python3-jsonschema is installed.
"""
import argparse
import json
import os
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STAMP = "2026-11-21T12:00:00Z"


def hist(buckets):
    """[(k, count)] as the probe's log2 buckets: slot k is [2^(k-1), 2^k)."""
    return [{"ge": (1 << (k - 1)) if k else 0, "lt": 1 << k, "count": c}
            for k, c in buckets if c]


def kind(events, cmds_each, lat_slot):
    return {
        "events": events, "commands": events * cmds_each,
        "walked": events * cmds_each, "groups": events,
        "latency_ns": events * (1 << lat_slot), "hold_ns": events * (1 << (lat_slot - 2)),
        "commands_per_event": hist([(cmds_each.bit_length(), events)]),
        "walked_per_event": hist([(cmds_each.bit_length(), events)]),
        "latency_ns_hist": hist([(lat_slot - 1, events // 10), (lat_slot, events // 2),
                                 (lat_slot + 1, events // 3), (lat_slot + 4, 3)]),
        "hold_ns_hist": hist([(lat_slot - 2, events)]),
    }


def sample(rep, ios, inv_per_io, lat_scale, fanout, hdomids):
    cw = ios
    inv = int(ios * inv_per_io)
    s = {
        "repetition": rep, "window_s": 5.5, "fio_output": "fio-%d.json" % rep,
        "workload": {
            "fio_version": "fio-3.39", "total_ios": ios, "io_bytes": ios * 4096,
            "runtime_ms": 5000.0, "iops": ios / 5.0 * (1 + 0.01 * rep),
            "bw_kib_s": ios / 5.0 * 4, "clat_mean_ns": 200000.0 * lat_scale,
            "clat_p50_ns": 190000.0 * lat_scale * (1 + 0.02 * rep),
            "clat_p99_ns": 700000.0 * lat_scale * (1 + 0.1 * inv_per_io),
            "clat_p99_9_ns": 3000000.0 * lat_scale,
        },
        "commands": {
            "total": cw + inv,
            "by_opcode": {"COMPLETION_WAIT": cw, "INVALIDATE_IOMMU_PAGES": inv},
            "by_id": [{"opcode": "COMPLETION_WAIT", "id": None, "count": cw},
                      {"opcode": "INVALIDATE_IOMMU_PAGES", "id": 5, "count": inv}],
            "id_overflow": 0,
        },
    }
    if fanout:
        # More hDomIDs to flush: slower invalidations.
        slot = 12 + hdomids.bit_length() + (1 if lat_scale > 1.2 else 0)
        s["fanout"] = {
            "by_kind": {"domain_pages": kind(ios, 2, slot),
                        "nest_parent": kind(ios // 4, max(1, hdomids), slot + 1)},
            "commands": cw + inv, "unattributed": {}, "unattributed_total": 0,
            "queue_stalls": {"count": 40, "polls": 0, "ns": 400000,
                             "ns_hist": hist([(14, 30), (15, 8), (18, 2)])},
            "completion_waits": {"count": cw, "timeouts": 0, "ns": cw * 900, "spins": 0,
                                 "ns_hist": hist([(9, cw // 20), (10, cw // 2), (11, cw // 3),
                                                  (16, 5)])},
            "too_deep": 0, "unmatched": 0,
        }
        s["metrics"] = {"cmds_per_unmap": 1 + hdomids * inv_per_io / max(1, hdomids),
                        "unmap_ns": 2000.0 * lat_scale * (1 + hdomids / 4)}
    return s


def result(label, params, fanout, lat_scale, windows=3):
    h = int(params.get("hdomids", "1"))
    v = int(params.get("viommus", "1"))
    inv_per_io = 1.0 * h * v if params else 1.0
    r = {
        "schema": "invlab.result", "version": 1, "suite": "synthetic",
        "status": "complete", "error": None, "started": STAMP, "finished": STAMP,
        "context": {
            "invlab_version": "synthetic",
            "host": {"hostname": "invlab-guest", "cpu_model": None, "cpus": 2,
                     "memory_kib": 1048576, "uptime_s": 10.0},
            "kernel": {"release": "7.3.4-" + label, "version": "#1 SMP", "cmdline": "console=ttyS0",
                       "config": {"path": None, "sha256": None}},
            "iommu": {"units": [{"name": "ivhd0", "features": "29d3:0", "cap": None}],
                      "interrupt_remapping": "enabled", "dma_mode": "strict", "log": []},
            "lab": None,
        },
        "probes": {
            "cmdq": {"symbol": "__iommu_queue_command_sync", "mechanism": "fentry",
                     "fentry_error": None},
            "fanout": {"present": fanout, "mechanism": "tp_btf" if fanout else None,
                       "note": None if fanout else "no amd_iommu fan-out tracepoints in this kernel"},
        },
        "workload": {
            "type": "fio", "job": "randread-4k", "runtime_s": 5, "repetitions": windows,
            "device": {"node": "/dev/nvme0n1", "pci": "0000:00:04.0", "iommu_group_type": "DMA"},
        },
        "samples": [sample(w + 1, 20000 + 100 * w, inv_per_io, lat_scale, fanout, h)
                    for w in range(windows)],
    }
    if params:
        r["workload"]["params"] = params
    return r


def write(path, doc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def validate(docs):
    try:
        import jsonschema
    except ImportError:
        return
    with open(os.path.join(TOP, "bench/schema/result-v1.schema.json")) as f:
        schema = json.load(f)
    for d in docs:
        jsonschema.validate(d, schema)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--kind", choices=["sweep", "plain"], default="sweep")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--no-failed", action="store_true",
                    help="leave out the cell that failed to boot")
    a = ap.parse_args()

    cells, docs = [], []
    if a.kind == "sweep":
        for v in (1, 2):
            for h in (1, 2, 4, 8):
                params = {"hdomids": str(h), "viommus": str(v)}
                cells.append(("lab@hdomids=%d+viommus=%d" % (h, v), "lab", params, True))
    else:
        cells = [("7.3", "7.3", {}, False), ("lab", "lab", {}, False)]
    kernels = []
    for cid, label, params, fanout in cells:
        doc = result(label, params, fanout, a.scale)
        docs.append(doc)
        write(os.path.join(a.out, cid, "result.json"), doc)
        k = {"label": label, "release": "7.3.4-" + label, "status": "complete",
             "reason": None, "seconds": 20.0, "qemu_exit": 0}
        if a.kind == "sweep":
            k.update(cell=cid, params=params)
        kernels.append(k)
    if a.kind == "sweep" and not a.no_failed:
        # A cell that never booted: a row without a result, never a point.
        kernels.append({"cell": "lab@hdomids=16+viommus=1", "label": "lab",
                        "params": {"hdomids": "16", "viommus": "1"}, "status": "failed",
                        "reason": "boot timed out (synthetic)", "seconds": 0})
    validate(docs)
    write(os.path.join(a.out, "run.json"), {
        "schema": "invlab.run", "version": 1, "run_id": os.path.basename(os.path.abspath(a.out)),
        "suite": "synthetic", "description": "synthetic run for the HTML report test",
        "status": "complete", "started": STAMP, "finished": STAMP, "kernels": kernels})


if __name__ == "__main__":
    sys.exit(main())
