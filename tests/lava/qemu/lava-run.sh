#!/usr/bin/env bash
# One invlab LAVA job run for real by lava-run (LAVA's dispatcher alone, no
# server) on LAVA's qemu device type (tests/lava/qemu/device.yaml: q35 under
# TCG with QEMU's amd-iommu, interrupt remapping on), inside the lab rootfs.
#
#   tests/lava/qemu/lava-run.sh [SUITE [KERNEL]]     (default: smoke lab)
#
# The job is invlab lava-job's, as for a real host, with what the lab's QEMU
# guest needs in its options: the lab kernel and the lab's initramfs, the
# lab's 9p shares (the rootfs as the guest's root, the kernel's modules, this
# tree, an output directory) and its NVMe (--qemu-option). The guest runs
# tests/lava/qemu/guest-shell.sh: a root shell on the console, not marked as
# a lab guest, so the job's invlab lab --host passes the real-host gates
# only with the device the job names. Checks: lava-run exits 0, LAVA
# recorded one passing test case per cell with its measurement, and the run
# directory the guest wrote is complete, with its report.
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
trap 'rm -rf "$scratch"' EXIT

[ -x "$invlab" ] || { bad "no $invlab (make build)"; exit 1; }
command -v lava-run >/dev/null || { bad "no lava-run (lava-dispatcher: the lab rootfs has it; run inside lab/enter.sh)"; exit 1; }
[ -d /run/invlab/rootfs ] || { bad "no /run/invlab/rootfs: run inside lab/enter.sh"; exit 1; }

say "the $kernel kernel and its initramfs"
case $kernel in
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
)
say "writing the job: invlab lava-job --suite $suite --kernel $kernel --device-type qemu"
"$invlab" lava-job --suite "$suite" --kernel "$kernel" --device-type qemu \
	--kernel-url "file://$vmlinuz" --initrd-url "file://$initrd" \
	--kernel-args "console=ttyS0,115200 panic=-1 invlab.top=$top invlab.out=$out invlab.script=tests/lava/qemu/guest-shell.sh amd_iommu_lab.sb_ioapic=1" \
	--prompt 'invlab-guest# ' --invlab "$invlab" --results "$out/runs" \
	--device serial:invlab-nvme0 --host lava-qemu --timeout 40 \
	--context 'lava_test_results_dir=/tmp/lava-%s' \
	"${qopts[@]}" -o "$a/job.yaml" ||
	{ bad "invlab lava-job failed"; exit 1; }
ok "invlab lava-job wrote $a/job.yaml"

say "lava-run: deploy, boot the $kernel kernel under TCG, the test shell (minutes; log $a/lava/output.yaml)"
start=$SECONDS
timeout 2700 lava-run --job-id 1 --output-dir "$a/lava" \
	--device tests/lava/qemu/device.yaml "$a/job.yaml" >"$a/lava-run.log" 2>&1
status=$?
say "lava-run exited $status after $((SECONDS - start)) s"
[ $status -eq 0 ] && ok "lava-run exits 0 ($((SECONDS - start)) s)" ||
	bad "lava-run exited $status after $((SECONDS - start)) s: $(tail -n 5 "$a/lava-run.log" | tr '\n' ' ')"

# What LAVA recorded (its log's results entries), and what the guest wrote
out=$(python3 - "$a" "$suite" "$kernel" 2>&1 <<'PY'
import glob, json, os, sys
import yaml

a, suite, kernel = sys.argv[1:4]
def say(ok, what):
    print(("ok - lava-run: " if ok else "FAIL - lava-run: ") + what)
    return ok

try:
    log = yaml.load(open(os.path.join(a, "lava", "output.yaml")), Loader=yaml.CSafeLoader) or []
except (OSError, yaml.YAMLError) as e:
    say(False, f"LAVA's log: {e}")
    log = []
res = [e["msg"] for e in log if e.get("lvl") == "results" and isinstance(e.get("msg"), dict)]
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
print(f"# LAVA test case invlab-history: {h.get('result') if h else 'missing'} (no database reachable from the guest unless the job names one)")
PY
)
echo "$out"
failed=$((failed + $(echo "$out" | grep -c '^FAIL - ')))
[ $failed -eq 0 ]
