#!/usr/bin/env bash
# The DPDK workload in the QEMU lab (tests/integration/suites/dpdk.conf and
# dpdk-interrupt.conf): testpmd on the bus-0 e1000e moved to vfio-pci, its
# port stop/start cycles, dpdk-memhp's heap hotplug and txonly forwarding,
# with what the probes saw asserted; the NIC must be back on e1000e after a
# complete run and after one interrupted by SIGINT mid-window.
# Prints ok/FAIL lines (lab-smoke.sh counts them). INVLAB_BIN, STAMP.
set -uo pipefail
cd "${INVLAB_TOP:?}"
bin=${INVLAB_BIN:-build/invlab}
stamp=${STAMP:-$(date +%Y%m%d-%H%M%S)-$$}
results=${INVLAB_RESULTS:-results}
ok() { echo "ok - $*"; }
bad() { echo "FAIL - $*"; python3 tests/integration/why.py --message "$*"; }

run=itest-dpdk-$stamp
"$bin" lab --suite tests/integration/suites/dpdk.conf --run-id "$run" --results "$results" >/dev/null 2>&1
status=$?
[ $status -eq 0 ] && ok "dpdk: invlab lab exits 0" || bad "dpdk: exit $status (see $results/$run)"
check_complete() {
	python3 - "$@" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
k = sys.argv[2]
assert r["status"] == "complete", r.get("error")
b = r["workload"]["binding"]
assert b == {"original": "e1000e", "during": "vfio-pci", "restored": "e1000e"}, b
assert len(r["samples"]) == 2
for s in r["samples"]:
    m, ph = s["metrics"], s["phases"]
    cyc = ph["port_cycles"]["cmds_per_step"]
    # DPDK maps its memory once at EAL init: a stop/start cycle maps and
    # flushes nothing (unlike a kernel e1000e link flap, ~514 page flushes)
    assert len(cyc) == 3 and len(set(cyc)) == 1, cyc
    assert m["port_cycle_inv_pages"] == 0, m
    # with interrupt remapping (lab kernel) each start rewrites the
    # vectors' IRTEs; stock 7.3 has none under QEMU
    irt = m["port_cycle_inv_irt"]
    assert (irt > 0) if k == "lab" else (irt == 0), (k, irt)
    # each heap growth and shrink flushes one range per 2 MiB page
    pages = m["memhp_unmap_hugepages"]
    assert pages >= 8, m
    assert m["memhp_unmap_inv_pages"] == pages, m
    assert ph["memhp_unmap"]["cmds_per_step"] == [ph["memhp_unmap"]["cmds_per_step"][0]] * 2, ph["memhp_unmap"]
    assert m["memhp_unmap_us"] > 0 and m["memhp_map_us"] > 0, m
    assert s["workload"]["tx_packets"] > 0 and m["tx_pps"] > 0, s["workload"]
    assert m["cmds_per_kpkt"] is not None, m
s = r["samples"][0]["metrics"]
print("port cycle %.0f commands (%.0f INVALIDATE_INTERRUPT_TABLE, 0 page flushes), unmap of %d pages %.0f commands, %.0f pps, %.3f commands/1000 pkts, e1000e restored" % (
    s["port_cycle_cmds"], s["port_cycle_inv_irt"], s["memhp_unmap_hugepages"], s["memhp_unmap_cmds"], s["tx_pps"], s["cmds_per_kpkt"]))
PY
}
for k in 7.3 lab; do
	if out=$(check_complete "$results/$run/$k/result.json" "$k" 2>&1); then ok "dpdk on $k: $out"; else bad "dpdk on $k: $out (see $results/$run)"; fi
done

run=itest-dpdk-int-$stamp
"$bin" lab --suite tests/integration/suites/dpdk-interrupt.conf --run-id "$run" --results "$results" >/dev/null 2>&1
status=$?
[ $status -eq 1 ] && ok "dpdk interrupted: invlab lab exits 1" || bad "dpdk interrupted: exit $status (see $results/$run)"
check_interrupted() {
	python3 - "$@" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["status"] == "incomplete", r["status"]
assert "interrupted" in (r.get("error") or ""), r.get("error")
assert r["samples"] == [], r["samples"]
b = r["workload"]["binding"]
assert b["original"] == "e1000e" and b["restored"] == "e1000e", b
sysd = r["workload"]["system"]
assert sysd["hugepages_2m_after"] == sysd["hugepages_2m_before"], sysd
print("result incomplete (%s), binding %s -> %s -> %s, hugepages back to %d" % (
    r["error"], b["original"], b.get("during"), b["restored"], sysd["hugepages_2m_after"]))
PY
}
if out=$(check_interrupted "$results/$run/7.3/result.json" 2>&1); then ok "dpdk interrupted mid-window: $out"; else bad "dpdk interrupted: $out (see $results/$run)"; fi
