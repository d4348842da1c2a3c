#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write a series of synthetic invlab runs for the nightly tests and benchmark.

    make-runs.py OUT [--runs N] [--samples S] [--metrics M] [--noise F]
                 [--host NAME] [--suite NAME] [--cell NAME] [--seed N]
                 [--start YYYY-MM-DD] [--step RUN:GLOB:FACTOR]...
                 [--fail RUN]... [--kernel RUN:RELEASE]...

OUT/RUN_ID/run.json and OUT/RUN_ID/CELL/result.json in the run and result
schemas, one run a day from --start. Each run has S windows with IOPS (around
1000, relative normal noise F), commands per read (4, exact, by opcode too),
clat p50, and M workload-specific metrics lat00_ns.. (samples[].metrics).
--step multiplies the metrics matching GLOB by FACTOR from run RUN (0-based)
on (steps compound; for cmds_per_io* the command counts are scaled).
--fail makes run RUN's cell fail (no result), --kernel changes the kernel
release from run RUN on. Seeded: the same arguments give the same numbers.
"""
import argparse
import datetime
import fnmatch
import hashlib
import json
import os
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--samples", type=int, default=10)
    ap.add_argument("--metrics", type=int, default=0)
    ap.add_argument("--noise", type=float, default=0.03)
    ap.add_argument("--host", default="lab1")
    ap.add_argument("--suite", default="nightly")
    ap.add_argument("--cell", default="lab")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", default="2026-01-01")
    ap.add_argument("--step", action="append", default=[])
    ap.add_argument("--fail", type=int, action="append", default=[])
    ap.add_argument("--kernel", action="append", default=[])
    a = ap.parse_args()

    rng = random.Random(a.seed)
    steps = []
    for s in a.step:
        run, glob, factor = s.split(":")
        steps.append((int(run), glob, float(factor)))
    kernels = sorted((int(k.split(":")[0]), k.split(":")[1]) for k in a.kernel)
    start = datetime.datetime.fromisoformat(a.start).replace(hour=2)

    def factor(name, run):
        f = 1.0
        for r, glob, x in steps:
            if run >= r and fnmatch.fnmatchcase(name, glob):
                f *= x
        return f

    for run in range(a.runs):
        t = start + datetime.timedelta(days=run)
        run_id = t.strftime("%Y%m%d-%H%M%S-") + a.suite
        d = os.path.join(a.out, run_id)
        os.makedirs(os.path.join(d, a.cell), exist_ok=True)
        release = "7.3.4-invlab"
        for r, rel in kernels:
            if run >= r:
                release = rel
        failed = run in a.fail
        cell = {"cell": a.cell, "label": a.cell, "release": release,
                "status": "failed" if failed else "complete",
                "reason": "boot timeout" if failed else None}
        with open(os.path.join(d, "run.json"), "w") as f:
            json.dump({"schema": "invlab.run", "version": 1, "run_id": run_id,
                       "suite": a.suite, "status": "failed" if failed else "complete",
                       "started": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
                       "finished": (t + datetime.timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                       "kernels": [cell]}, f)
        if failed:
            continue
        samples = []
        cmds = 4.0 * factor("cmds_per_io", run)
        for w in range(a.samples):
            def noisy(name, base):
                return base * factor(name, run) * (1 + a.noise * rng.gauss(0, 1))
            iops = noisy("iops", 1000.0)
            ios = int(iops * 10)
            extra = {"lat%02d_ns" % k: noisy("lat%02d_ns" % k, 1000.0 + 100 * k)
                     for k in range(a.metrics)}
            samples.append({
                "repetition": w + 1,
                "workload": {"iops": iops, "total_ios": ios,
                             "clat_p50_ns": noisy("clat_p50_us", 250000.0)},
                "commands": {"total": round(ios * cmds),
                             "by_opcode": {"INVALIDATE_IOMMU_PAGES": round(ios * cmds / 2),
                                           "COMPLETION_WAIT": round(ios * cmds / 2)}},
                "metrics": extra,
            })
        result = {
            "schema": "invlab.result", "version": 1, "suite": a.suite, "status": "complete",
            "error": None, "started": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "context": {
                "host": {"hostname": a.host, "cpus": 64},
                "kernel": {"release": release,
                           "cmdline": "console=ttyS0 invlab.out=/results/%s/%s" % (run_id, a.cell),
                           "config": {"sha256": hashlib.sha256(release.encode()).hexdigest()}},
                "iommu": {"dma_mode": "strict"},
                "lab": None,
            },
            "workload": {"type": "fio", "job": "randread-4k"},
            "samples": samples,
        }
        with open(os.path.join(d, a.cell, "result.json"), "w") as f:
            json.dump(result, f)


main()
