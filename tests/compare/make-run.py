#!/usr/bin/env python3
"""Write a synthetic invlab run for the compare/show tests.

    make-run.py DIR CELL MEAN NOISE N [CMDS_PER_IO] [SEED] [BOOTS]

DIR/run.json and DIR/CELL/result.json in the result schema: N windows of
IOPS around MEAN in BOOTS boots (default 1; each sample says its boot), the
boots apart by relative normal NOISE and the windows of a boot by a third of
it, and CMDS_PER_IO commands per read (exact). Seeded, so a test gets the
same numbers every time.
"""
import json
import os
import random
import sys

d, cell, mean, noise, n = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
cmds = float(sys.argv[6]) if len(sys.argv) > 6 else 4.0
rng = random.Random(int(sys.argv[7]) if len(sys.argv) > 7 else 1)
boots = int(sys.argv[8]) if len(sys.argv) > 8 else 1
os.makedirs(os.path.join(d, cell), exist_ok=True)
samples = []
offsets = [noise * rng.gauss(0, 1) for _ in range(boots)]
for i in range(n):
    boot = i * boots // n
    iops = mean * (1 + offsets[boot] + noise / 3 * rng.gauss(0, 1))
    ios = int(iops * 10)
    samples.append({
        "repetition": i + 1,
        "boot": boot + 1,
        "workload": {"iops": iops, "total_ios": ios, "clat_p50_ns": 1e9 / iops},
        "commands": {"total": int(ios * cmds),
                     "by_opcode": {"INVALIDATE_IOMMU_PAGES": int(ios * cmds / 2),
                                   "COMPLETION_WAIT": int(ios * cmds / 2)}},
    })
result = {
    "schema": "invlab.result", "version": 1, "suite": "synthetic", "status": "complete",
    "context": {"kernel": {"release": "7.3.4-synthetic", "cmdline": "console=ttyS0 invlab.out=" + d},
                "iommu": {"dma_mode": "strict"}},
    "workload": {"type": "fio", "job": "randread-4k"},
    "samples": samples,
}
json.dump(result, open(os.path.join(d, cell, "result.json"), "w"))
json.dump({"schema": "invlab.run", "version": 1, "run_id": os.path.basename(d), "suite": "synthetic",
           "status": "complete", "started": "2026-11-21T00:00:00Z",
           "kernels": [{"cell": cell, "label": cell, "status": "complete"}]},
          open(os.path.join(d, "run.json"), "w"))
