#!/usr/bin/env bash
# One invlab LAVA job run for real by lava-run (LAVA's dispatcher alone, no
# server) on LAVA's qemu device type (tests/lava/qemu/device.yaml: q35 under
# TCG with QEMU's amd-iommu, interrupt remapping on), inside the lab rootfs.
#
#   tests/lava/qemu/lava-run.sh [SUITE [KERNEL]]     (default: smoke lab)
#   KDIR=DIR: that prepared kernel directory instead of building or fetching
#
# The job is invlab lava-job's, as for a real host, with what the lab's QEMU
# guest needs in its options: the lab kernel and the lab's initramfs, the
# lab's 9p shares (the rootfs as the guest's root, the kernel's modules, this
# tree, an output directory) and its NVMe (--qemu-option). The guest runs
# tests/lava/qemu/guest-shell.sh: a root shell on the console, not marked as
# a lab guest, so the job's invlab lab --host passes the real-host gates
# only with the device the job names; it appends the run to a private
# PostgreSQL history on this machine. Checks: lava-run exits 0, LAVA
# recorded one passing test case per cell with its measurement, the run
# directory the guest wrote is complete, with its report, and the history
# database holds it.
# Output: results/lava-STAMP/ (job.yaml, lava/ with LAVA's log, out/runs/
# with the run). Prints ok/FAIL lines; exit 1 if any failed.
set -uo pipefail
cd "${INVLAB_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}"
top=$PWD
suite=${1:-smoke} kernel=${2:-lab}
invlab=$top/${INVLAB:-build/invlab}
stamp=${STAMP:-$(date +%Y%m%d-%H%M%S)-$$}
a=results/lava-$stamp
scratch=/var/cache/invlab/scratch/lava-$stamp
failed=0
ok() { echo "ok - lava-run: $*"; }
bad() { echo "FAIL - lava-run: $*"; failed=$((failed + 1)); }
say() { echo "[lava-run] $*" >&2; }
# the history: a private PostgreSQL (Unix socket only), which the guest
# reaches at 10.0.2.100:5432 through QEMU's user network (guestfwd runs
# unix-bridge.py per connection); the job's --db puts its URL in the
# job's secrets, as for a real host
. tests/nightly/pgcluster.sh
trap 'rm -rf "$scratch"' EXIT

[ -x "$invlab" ] || { bad "no $invlab (make build)"; exit 1; }
command -v lava-run >/dev/null || { bad "no lava-run (lava-dispatcher: the lab rootfs has it; run inside lab/enter.sh)"; exit 1; }
[ -d /run/invlab/rootfs ] || { bad "no /run/invlab/rootfs: run inside lab/enter.sh"; exit 1; }

say "the $kernel kernel and its initramfs"
# KDIR=DIR: a kernel directory prepared already (kernel/build.sh's output)
case ${KDIR:+dir}$kernel in
dir*) kdir=$KDIR ;;
lab) kdir=$(kernel/build.sh | tail -n 1) ;;
*) kdir=$(kernel/stock/fetch.sh "$kernel" | tail -n 1) ;;
esac
[ -f "$kdir/kernel.json" ] || { bad "kernel $kernel: no kernel directory ($kdir)"; exit 1; }
initrd=$(lab/guest/mkinitramfs.sh "$kdir" | tail -n 1)
vmlinuz=$kdir/$(sed -n 's/^ *"vmlinuz": "\(.*\)",$/\1/p' "$kdir/kernel.json")
[ -f "$vmlinuz" ] && [ -f "$initrd" ] || { bad "kernel $kernel: no vmlinuz or initramfs in $kdir"; exit 1; }

mkdir -p "$a/out" "$scratch"
out=$top/$a/out
truncate -s 1G "$scratch/nvme0.img"
say "a private PostgreSQL for the history"
pg_up || { bad "cannot start a private PostgreSQL"; exit 1; }
# pg_up's own trap stops the cluster; the scratch disk goes too
trap 'pg_cleanup; rm -rf "$scratch"' EXIT
printf '#!/bin/sh\nexec python3 %s %s\n' "$top/tests/lava/qemu/unix-bridge.py" "$PGDIR/.s.PGSQL.5432" >"$scratch/pg-bridge"
chmod +x "$scratch/pg-bridge"
p9=security_model=none
qopts=(
	--qemu-option "-drive file=$scratch/nvme0.img,if=none,id=drive_nvme0,format=raw,cache=none,aio=threads"
	--qemu-option "-device nvme,bus=pcie.0,addr=0x4,serial=invlab-nvme0,id=nvme0,drive=drive_nvme0"
	--qemu-option "-fsdev local,id=fs_rootfs,path=/run/invlab/rootfs,$p9,readonly=on"
	--qemu-option "-device virtio-9p-pci,fsdev=fs_rootfs,mount_tag=rootfs"
	--qemu-option "-fsdev local,id=fs_kernel,path=$kdir,$p9,readonly=on"
	--qemu-option "-device virtio-9p-pci,fsdev=fs_kernel,mount_tag=kernel"
	--qemu-option "-fsdev local,id=fs_top,path=$top,$p9,readonly=on"
	--qemu-option "-device virtio-9p-pci,fsdev=fs_top,mount_tag=top"
	--qemu-option "-fsdev local,id=fs_out,path=$out,$p9"
	--qemu-option "-device virtio-9p-pci,fsdev=fs_out,mount_tag=out"
	--qemu-option "-netdev user,id=net_lava,restrict=on,guestfwd=tcp:10.0.2.100:5432-cmd:$scratch/pg-bridge"
	--qemu-option "-device e1000e,netdev=net_lava"
)
say "writing the job: invlab lava-job --suite $suite --kernel $kernel --device-type qemu"
"$invlab" lava-job --suite "$suite" --kernel "$kernel" --device-type qemu \
	--kernel-url "file://$vmlinuz" --initrd-url "file://$initrd" \
	--kernel-args "console=ttyS0,115200 panic=-1 invlab.top=$top invlab.out=$out invlab.script=tests/lava/qemu/guest-shell.sh amd_iommu_lab.sb_ioapic=1" \
	--prompt 'invlab-guest# ' --invlab "$invlab" --results "$out/runs" \
	--device serial:invlab-nvme0 --host lava-qemu --timeout 40 \
	--db postgresql://postgres@10.0.2.100:5432/invlab \
	--context 'lava_test_results_dir=/tmp/lava-%s' \
	"${qopts[@]}" -o "$a/job.yaml" ||
	{ bad "invlab lava-job failed"; exit 1; }
ok "invlab lava-job wrote $a/job.yaml"

# lava-server renders a device dictionary from its device-type template and
# the job's context (extra_options among it); lava-run alone takes the
# dictionary as it is: the job's extra_options go into it here
python3 - tests/lava/qemu/device.yaml "$a/job.yaml" "$a/device.yaml" <<'PY' ||
import sys, yaml
dev, job = (yaml.safe_load(open(f)) for f in sys.argv[1:3])
dev["actions"]["boot"]["methods"]["qemu"]["parameters"]["options"] += job["context"]["extra_options"]
yaml.safe_dump(dev, open(sys.argv[3], "w"), sort_keys=False)
PY
	{ bad "cannot render $a/device.yaml"; exit 1; }
say "lava-run: deploy, boot the $kernel kernel under TCG, the test shell (minutes; log $a/lava-run.log)"
start=$SECONDS
timeout 2700 lava-run --job-id 1 --output-dir "$a/lava" \
	--device "$a/device.yaml" "$a/job.yaml" >"$a/lava-run.log" 2>&1
status=$?
say "lava-run exited $status after $((SECONDS - start)) s"
if [ $status -eq 0 ]; then
	ok "lava-run exits 0 ($((SECONDS - start)) s)"
else
	bad "lava-run exited $status after $((SECONDS - start)) s ($a/lava-run.log)"
	# LAVA's last messages, the guest's kernel log aside (CI keeps only this)
	python3 -c '
import json, sys
msgs = []
for line in open(sys.argv[1], errors="replace"):
    try:
        m = json.loads(line).get("msg")
    except ValueError:
        continue
    if isinstance(m, str) and not m.startswith("[ "):
        msgs.append(m)
for m in msgs[-25:]:
    print("#   " + m[:300])' "$a/lava-run.log"
fi

# What LAVA recorded (its log's results entries), and what the guest wrote
out=$(python3 - "$a" "$suite" "$kernel" 2>&1 <<'PY'
import glob, json, os, sys
import yaml

a, suite, kernel = sys.argv[1:4]
def say(ok, what):
    print(("ok - lava-run: " if ok else "FAIL - lava-run: ") + what)
    return ok

# lava-run's log (lava/logs.yaml): its "results" entries are LAVA's test
# cases, the job's own (definition lava) and the test shell's
res = []
try:
    log = yaml.load(open(os.path.join(a, "lava", "logs.yaml")), Loader=yaml.CSafeLoader) or []
    res = [e["msg"] for e in log if e.get("lvl") == "results" and isinstance(e.get("msg"), dict)]
except (OSError, yaml.YAMLError) as e:
    say(False, f"LAVA's log: {e}")
cases = {r.get("case"): r for r in res if r.get("definition", "").startswith("0_invlab")}
for name, r in sorted(cases.items()):
    print(f"# LAVA test case {name}: {r.get('result')} {r.get('measurement', '')} {r.get('units', '')}")
job = [r for r in res if r.get("definition") == "lava" and r.get("case") == "job"]
say(job and job[0].get("result") == "pass", f"LAVA's job result: {job[0].get('result') if job else 'none'}")
runs = sorted(glob.glob(os.path.join(a, "out", "runs", "*", "run.json")))
if not say(len(runs) == 1, f"one run directory in {a}/out/runs ({len(runs)})"):
    sys.exit(0)
rdir = os.path.dirname(runs[0])
run = json.load(open(runs[0]))
cells = sorted(k for k in os.listdir(rdir) if os.path.isfile(os.path.join(rdir, k, "result.json")))
say(run.get("status") == "complete" and cells,
    f"the guest's run {rdir}: {run.get('status')}, cells {cells}, report.md {'there' if os.path.exists(os.path.join(rdir, 'report.md')) else 'missing'}")
for c in cells:
    r = cases.get(c)
    say(r is not None and r.get("result") == "pass" and r.get("measurement") not in (None, ""),
        f"LAVA test case {c}: {r.get('result') if r else 'missing'}, measurement {r.get('measurement') if r else '-'} {r.get('units', '') if r else ''}")
h = cases.get("invlab-history")
say(h is not None and h.get("result") == "pass", f"LAVA test case invlab-history: {h.get('result') if h else 'missing'}")
PY
)
echo "$out"
failed=$((failed + $(echo "$out" | grep -c '^FAIL - ')))
rows=$(pg_psql invlab -Atc "SELECT count(*) || ' ' || string_agg(run_id || ' ' || status, ', ') FROM invlab_entry WHERE host = 'lava-qemu'" 2>&1)
[ "${rows%% *}" = 1 ] && ok "the history database holds the run the guest appended (host lava-qemu, run ${rows#* })" ||
	bad "the history database: $rows"
[ $failed -eq 0 ]
