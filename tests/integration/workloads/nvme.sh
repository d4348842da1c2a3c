#!/usr/bin/env bash
# The nvme suite in the lab (tests/integration/suites/nvme.conf): fio on the
# block path and through io_uring_cmd passthrough, on the lab kernel in
# strict mode and in lazy mode (lab-lazy, kernel/patches/0005). Checks that
# each cell did what its name says: the passthrough cells read the generic
# char device with io_uring_cmd, every read was counted, strict mode sends
# an INVALIDATE_IOMMU_PAGES and a COMPLETION_WAIT per unmap, and lazy mode
# (DMA-FQ domains) sends fewer. Prints ok/FAIL lines for lab-smoke.sh.
set -uo pipefail
cd "${INVLAB_TOP:?}"
bin=${INVLAB_BIN:-build/invlab}
run=itest-nvme-${STAMP:-$(date +%Y%m%d-%H%M%S)-$$}

"$bin" lab --suite tests/integration/suites/nvme.conf --run-id "$run"
status=$?
[ $status -eq 0 ] && echo "ok - nvme: invlab lab exits 0" || {
	echo "FAIL - nvme: invlab lab exited $status (see results/$run)"
	python3 tests/integration/why.py "results/$run"
}
python3 - "results/$run" <<'PY'
import json, os, sys

run = sys.argv[1]
def ok(cond, what):
    print(("ok - nvme: " if cond else "FAIL - nvme: ") + what)
    return cond

per_io = {}
for kernel, mode, group in (("lab", "strict", "DMA"), ("lab-lazy", "lazy", "DMA-FQ")):
    for path in ("block", "passthru"):
        cell = f"{kernel}@iopath={path}"
        try:
            r = json.load(open(os.path.join(run, cell, "result.json")))
        except (OSError, ValueError) as e:
            ok(False, f"{cell}: no result.json ({e})")
            continue
        if not ok(r["status"] == "complete" and len(r["samples"]) == 2,
                  f"{cell}: complete, 2 windows ({r['status']}: {r.get('error')})"):
            continue
        dev = r["workload"]["device"]
        ok(r["workload"]["job"] == f"nvme-{path}", f"{cell}: ran job nvme-{path} ({r['workload']['job']})")
        ok(dev["iommu_group_type"] == group and r["context"]["iommu"]["dma_mode"] == mode,
           f"{cell}: {mode} mode, domain type {group} ({dev['iommu_group_type']}, {r['context']['iommu']['dma_mode']})")
        fio = json.load(open(os.path.join(run, cell, "boot-1", "fio-1.json")))
        opts = fio["global options"]
        want = ("io_uring_cmd", dev["generic"]) if path == "passthru" else ("io_uring", dev["node"])
        ok((opts.get("ioengine"), opts.get("filename")) == want and
           (path == "block" or (dev["generic"] or "").startswith("/dev/ng")),
           f"{cell}: fio used {want[0]} on {want[1]} ({opts.get('ioengine')} on {opts.get('filename')})")
        ios = [s["workload"]["total_ios"] for s in r["samples"]]
        inv = [s["commands"]["by_opcode"].get("INVALIDATE_IOMMU_PAGES", 0) / n for s, n in zip(r["samples"], ios)]
        cw = [s["commands"]["by_opcode"].get("COMPLETION_WAIT", 0) / n for s, n in zip(r["samples"], ios)]
        ok(min(ios) > 100, f"{cell}: reads counted in every window ({ios})")
        per_io[(kernel, path)] = (max(inv), max(cw))
        print(f"# {cell}: INVALIDATE_IOMMU_PAGES per read {[round(x, 3) for x in inv]}, COMPLETION_WAIT per read {[round(x, 3) for x in cw]}")
        if mode == "strict":
            # NpCache: a flush on map and one on unmap, each with its wait
            ok(all(1.95 <= x <= 2.1 for x in inv) and all(1.95 <= x <= 2.1 for x in cw),
               f"{cell}: strict, 2 INVALIDATE_IOMMU_PAGES + 2 COMPLETION_WAIT per 4 KiB read")
for path in ("block", "passthru"):
    s, l = per_io.get(("lab", path)), per_io.get(("lab-lazy", path))
    if s and l:
        ok(l[0] < 0.8 * s[0] and l[1] < 0.8 * s[1],
           f"{path}: lazy mode sends fewer invalidations per read than strict ({l} vs {s})")
PY
