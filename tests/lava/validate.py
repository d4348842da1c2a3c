#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""invlab lava-job's jobs against LAVA's own schema (make lava-validate, in
make test; runs inside the lab rootfs, which has Debian's lava-common).

1. For every shipped suite (bench/suites/*.conf) and several device types
   and boot methods, the generated job must pass
   lava_common.schemas.validate(job, strict=True), as lava-server and
   lava-run check a job on submission.
2. Jobs deliberately broken (a field LAVA does not know, a boot method
   without its commands, a bad test definition name) must fail it: the
   validator is active.
3. The inline test definition's steps, joined as LAVA's run.sh joins them,
   must parse as sh (sh -n), and run with stand-ins for invlab and
   lava-test-case they must run the suite once on the host (invlab lab
   --host, the job's kernel label, --device), report one test case per
   cell with the headline measurement, and append the run with --db. A
   suite of
   hostile text (quotes, $(...), backslashes in its description and matrix
   values) must come through YAML and sh unchanged.
4. The qemu device type's job, its URLs file:// of real files, passes
   lava-run --validate (the dispatcher's own checks: the device dictionary
   tests/lava/qemu/device.yaml, the URLs, QEMU, the boot prompts), and
   fails it without its boot prompts; the device dictionary passes
   lava-common's device schema.
5. contrib/lava-bisect-step.sh, with stand-ins for lavacli and curl (no
   LAVA server here): it writes the job with --upload, submits it, waits,
   and fills INVLAB_BISECT_RUN with the run the job uploaded (exit 0); with
   no run uploaded it exits 1 and leaves no run.

INVLAB: the binary (default build/invlab). Exits 1 on a failure.
"""
import glob
import json
import re
import os
import stat
import subprocess
import sys
import tempfile

import yaml
from lava_common.schemas import validate
from voluptuous import Invalid

TOP = os.environ.get("INVLAB_TOP") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INVLAB = os.path.abspath(os.path.join(TOP, os.environ.get("INVLAB", "build/invlab")))

passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL - %s%s" % (what, ": " + detail if detail else ""))


def lava_job(suite, kernel, *extra, out=None):
    argv = [INVLAB, "lava-job", "--suite", suite, "--kernel", kernel,
            "--kernel-url", "http://lab.example/k/bzImage",
            "--rootfs", "http://lab.example/rootfs.tar.xz"] + list(extra)
    p = subprocess.run(argv, capture_output=True, text=True)
    if p.returncode:
        return None, p.stderr
    return p.stdout, p.stderr


def valid(job):
    try:
        validate(job, strict=True)
        return ""
    except Invalid as e:
        return str(e) or repr(e)


def steps(job):
    test = [a["test"] for a in job["actions"] if "test" in a][0]
    return test["definitions"][0]["repository"]["run"]["steps"]


# Device types and boot methods a lab might use; each suite through each.
SHAPES = [
    ("x86", ["--db", "postgresql://invlab@db.lab/invlab"]),
    ("x86", ["--boot-method", "grub", "--boot-commands", "nfs", "--initrd-url",
             "http://lab.example/k/initrd.img", "--modules-url",
             "http://lab.example/k/modules.tar.xz", "--db-env", "LAB_HISTORY",
             "--kernel-args", "amd_iommu=on iommu.strict=1"]),
    ("amd-genoa", ["--host", "genoa-1", "--upload", "http://store.lab/runs/x.tar.gz",
                   "--timeout", "240", "--metric", "cmds_per_io"]),
    ("qemu", ["--qemu-option", "-device amd-iommu,intremap=on",
              "--initrd-url", "file:///srv/initrd.img", "--kernel-args",
              "console=ttyS0,115200 root=/dev/vda rw"]),
]


def shipped_suites():
    for path in sorted(glob.glob(os.path.join(TOP, "bench/suites/*.conf"))):
        name = os.path.basename(path)[:-5]
        kernels = None
        for line in open(path):
            if line.strip().startswith("kernels"):
                kernels = line.split("=", 1)[1].split()
                break
        yield name, kernels[-1]


def test_shipped():
    n = 0
    for suite, kernel in shipped_suites():
        for dtype, extra in SHAPES:
            text, err = lava_job(suite, kernel, "--device-type", dtype, *extra)
            what = "%s on %s %s" % (suite, dtype, " ".join(extra[:2]))
            if text is None:
                check(False, what, "invlab lava-job failed: " + err)
                continue
            job = yaml.safe_load(text)
            check(not valid(job), what + ": LAVA's validator", valid(job))
            p = subprocess.run(["sh", "-n"], input="\n".join(steps(job)) + "\n",
                               capture_output=True, text=True)
            check(p.returncode == 0, what + ": steps parse as sh", p.stderr)
            n += 1
    print("ok - %d jobs (every shipped suite x %d shapes) pass LAVA's strict validation"
          % (n, len(SHAPES)))


def test_broken():
    text, err = lava_job("smoke", "lab", "--device-type", "x86")
    base = yaml.safe_load(text)
    check(not valid(base), "control: the unbroken job validates", valid(base))

    def boot(j):
        return [a["boot"] for a in j["actions"] if "boot" in a][0]

    def test(j):
        return [a["test"] for a in j["actions"] if "test" in a][0]

    breaks = [
        ("a field LAVA does not know", lambda j: j.update(colour="red")),
        ("no visibility", lambda j: j.pop("visibility")),
        ("ipxe without commands", lambda j: boot(j).pop("commands")),
        ("a test definition name with a space",
         lambda j: test(j)["definitions"][0].update(name="invlab smoke")),
        ("a test longer than the job", lambda j: test(j).update(timeout={"minutes": 10 ** 4})),
        ("run steps not a list",
         lambda j: test(j)["definitions"][0]["repository"]["run"].update(steps="true")),
    ]
    for what, fn in breaks:
        j = json.loads(json.dumps(base))
        fn(j)
        check(bool(valid(j)), "broken job (%s) fails validation" % what)
    print("ok - %d broken jobs fail LAVA's validation" % len(breaks))


STUB_INVLAB = r"""#!/bin/sh
# invlab as the job calls it: record, make what the real one makes
echo "$*" >>"$STUBLOG/invlab"
case "$1" in
lab)
	id= res= ; while [ $# -gt 0 ]; do
		case $1 in --run-id) id=$2 ;; --results) res=$2 ;; esac; shift
	done
	mkdir -p "$res/$id" && echo '{"schema": "invlab.run"}' >"$res/$id/run.json" ;;
show) [ "$2" = --metric ] && echo "$(basename "$4") 1234.5" ;;
nightly) exit 0 ;;
esac
"""
STUB_CASE = """#!/bin/sh
echo "$*" >>"$STUBLOG/cases"
"""


MODE = "it's$(touch${IFS}pwned2)`x`"


def test_steps_run():
    """The steps of a hostile suite, run with stand-ins."""
    d = tempfile.mkdtemp()
    hostile = "a \"quoted\" 'single' \\back\\slash $(touch %s/pwned) `x` #not: a comment" % d
    suite = os.path.join(d, "ho'st$le.conf")
    with open(suite, "w") as f:
        f.write("[suite]\ndescription = %s\nkernels = lab\nboot_timeout = 120\n"
                "[matrix]\nbs = 4k 64k\nmode = it's$(touch${IFS}pwned2)`x`\n"
                "[workload]\ntype = fio\njob = randread-4k\ndevice = serial:x\n"
                % hostile)
    text, err = lava_job(suite, "lab", "--device-type", "x86", "--db",
                         "postgresql://u@db/h", "--results", d + "/runs",
                         "--invlab", d + "/bin/invlab", "--host", "lava-1",
                         "--device", "/dev/nvme1n1", "--allow-knob", "amd_iommu_lab.irt_alias_dedup")
    if text is None:
        check(False, "hostile suite: lava-job", err)
        return
    job = yaml.safe_load(text)
    check(not valid(job), "hostile suite: LAVA's validator", valid(job))
    desc = [a["test"] for a in job["actions"] if "test" in a][0][
        "definitions"][0]["repository"]["metadata"]["description"]
    check(desc == hostile, "hostile description through YAML unchanged", repr(desc))
    os.makedirs(d + "/bin")
    for name, body in (("invlab", STUB_INVLAB), ("lava-test-case", STUB_CASE)):
        with open(os.path.join(d, "bin", name), "w") as f:
            f.write(body)
        os.chmod(os.path.join(d, "bin", name), stat.S_IRWXU)
    # run.sh as LAVA writes it: set -e, every step a line
    script = "set -e\n" + "\n".join(steps(job)) + "\n"
    env = dict(os.environ, PATH=d + "/bin:" + os.environ["PATH"], STUBLOG=d,
               INVLAB_DB="postgresql://u@db/h")
    p = subprocess.run(["sh", "-e"], input=script, capture_output=True, text=True,
                       env=env, cwd=d)
    check(p.returncode == 0, "steps run", p.stdout + p.stderr)
    check(not glob.glob(d + "/pwned*"), "nothing of the suite's text was run by sh")
    calls = open(d + "/invlab").read().splitlines() if os.path.exists(d + "/invlab") else []
    labs = [c for c in calls if c.startswith("lab ")]
    check(len(labs) == 1 and labs[0].startswith("lab --host --suite %s " % os.path.realpath(suite)) and
          " --kernel lab --run-id " in labs[0] and (" --results %s/runs " % d) in labs[0] and
          labs[0].endswith(" --device /dev/nvme1n1 --allow-knob amd_iommu_lab.irt_alias_dedup"),
          "the suite run once on the host: invlab lab --host, the suite file by its path, the kernel's label, --device, --allow-knob", repr(labs))
    shows = [c for c in calls if c.startswith("show --metric iops ")]
    check([s.rsplit("/", 1)[1] for s in shows] == ["lab@bs=4k", "lab@bs=64k"],
          "each cell's headline metric read from the run invlab wrote", repr(shows))
    cases = open(d + "/cases").read().splitlines() if os.path.exists(d + "/cases") else []
    check(len(cases) == 3 and all("--result pass --measurement 1234.5 --units IO/s" in c
                                  for c in cases[:2]) and cases[2].startswith("invlab-history"),
          "a test case per cell with its measurement, then the history's", repr(cases))
    appends = [c for c in calls if c.startswith("nightly append")]
    check(len(appends) == 1 and "--db postgresql://u@db/h --host lava-1" in appends[0],
          "the run appended with --db and --host", repr(appends))
    # without --host: the LAVA device's name
    text, err = lava_job("smoke", "lab", "--device-type", "x86", "--results", d + "/runs2",
                         "--invlab", d + "/bin/invlab")
    script = "set -e\n" + "\n".join(steps(yaml.safe_load(text))) + "\n"
    env["LAVA_DEVICE_HOSTNAME"] = "genoa-7"
    p = subprocess.run(["sh", "-e"], input=script, capture_output=True, text=True,
                       env=env, cwd=d)
    calls = open(d + "/invlab").read().splitlines()
    check(p.returncode == 0 and "--host genoa-7 " in calls[-1],
          "without --host the run goes under LAVA_DEVICE_HOSTNAME", calls[-1])
    print("ok - a hostile suite's job runs its cells and reports them (stand-ins)")


STUB_LAVACLI = """#!/bin/sh
echo "$*" >>"$STUBLOG/lavacli"
case "$1 $2" in
"jobs submit") cp "$3" "$STUBLOG/submitted.yaml"; echo 42 ;;
"jobs show") echo "health: Complete" ;;
esac
exit 0
"""
STUB_CURL = """#!/bin/sh
# curl -fsS -o OUT URL: the run the job would have uploaded
[ -f "$STUBLOG/no-upload" ] && exit 22
echo "$*" >>"$STUBLOG/curl"
mkdir -p "$STUBLOG/up/20270101-000000-smoke/lab"
echo '{"schema": "invlab.run"}' >"$STUBLOG/up/20270101-000000-smoke/run.json"
tar -czf "$3" -C "$STUBLOG/up" 20270101-000000-smoke
"""


def test_bisect_step():
    d = tempfile.mkdtemp()
    os.makedirs(d + "/bin")
    for name, body in (("lavacli", STUB_LAVACLI), ("curl", STUB_CURL)):
        with open(os.path.join(d, "bin", name), "w") as f:
            f.write(body)
        os.chmod(os.path.join(d, "bin", name), stat.S_IRWXU)
    env = dict(os.environ, PATH=d + "/bin:" + os.environ["PATH"], STUBLOG=d, INVLAB=INVLAB,
               INVLAB_BISECT_RUN=d + "/step", INVLAB_BISECT_COMMIT="0123456789abcdef",
               INVLAB_LAVA_PUBLISH="echo http://k/bzImage-$(git rev-parse --short HEAD 2>/dev/null || echo x)",
               INVLAB_LAVA_DEVICE_TYPE="amd-genoa", INVLAB_LAVA_ROOTFS="http://k/rootfs.tar.xz",
               INVLAB_LAVA_STORE="http://store/runs")
    script = os.path.join(TOP, "contrib/lava-bisect-step.sh")
    p = subprocess.run(["sh", script], capture_output=True, text=True, env=env, cwd=d)
    check(p.returncode == 0 and os.path.exists(d + "/step/run.json"),
          "bisect step: the uploaded run fills INVLAB_BISECT_RUN, exit 0",
          "exit %d: %s" % (p.returncode, p.stdout + p.stderr))
    try:
        job = yaml.safe_load(open(d + "/submitted.yaml"))
        last = steps(job)[-1]
        url = open(d + "/curl").read().split()[-1]
        check(not valid(job) and job["device_type"] == "amd-genoa" and url in last
              and url.startswith("http://store/runs/bisect-") and "0123456789ab" in url,
              "bisect step: a valid job that uploads to where the step fetches", last)
    except (OSError, IndexError, yaml.YAMLError) as e:
        check(False, "bisect step: the job submitted", str(e))
    lavacli = open(d + "/lavacli").read() if os.path.exists(d + "/lavacli") else ""
    check("jobs wait 42" in lavacli, "bisect step: waits for the job", lavacli)
    open(d + "/no-upload", "w").close()
    env["INVLAB_BISECT_RUN"] = d + "/step2"
    p = subprocess.run(["sh", script], capture_output=True, text=True, env=env, cwd=d)
    check(p.returncode == 1 and not os.path.exists(d + "/step2")
          and "uploaded no run" in p.stderr,
          "bisect step: no run uploaded: exit 1, no run", "exit %d: %s" % (p.returncode, p.stderr))
    del env["INVLAB_LAVA_STORE"]
    p = subprocess.run(["sh", script], capture_output=True, text=True, env=env, cwd=d)
    check(p.returncode == 2 and "INVLAB_LAVA_STORE is not set" in p.stderr,
          "bisect step: not set up: exit 2, said what", p.stderr)
    print("ok - contrib/lava-bisect-step.sh with stand-ins for lavacli and curl")


def test_lava_run_validate():
    from lava_common.schemas import device as device_schema
    dev = os.path.join(TOP, "tests/lava/qemu/device.yaml")
    try:
        device_schema.validate(yaml.safe_load(open(dev)))
        check(True, "")
    except Invalid as e:
        check(False, "tests/lava/qemu/device.yaml: lava-common's device schema", str(e))
    d = tempfile.mkdtemp()
    for f in ("bzImage", "initrd.img", "rootfs.img"):
        open(os.path.join(d, f), "wb").close()
    text, err = lava_job("smoke", "lab", "--device-type", "qemu",
                         "--kernel-url", "file://%s/bzImage" % d,
                         "--initrd-url", "file://%s/initrd.img" % d,
                         "--rootfs", "file://%s/rootfs.img" % d,
                         "--kernel-args", "console=ttyS0,115200 rdinit=/bin/sh",
                         "--prompt", "~ #", "--timeout", "20")
    if text is None:
        check(False, "qemu job: lava-job", err)
        return
    job = yaml.safe_load(text)
    noprompt = json.loads(json.dumps(job))
    [a["boot"] for a in noprompt["actions"] if "boot" in a][0].pop("prompts")
    for what, j, want in (("the qemu job", job, 0), ("the qemu job without prompts", noprompt, 1)):
        path = os.path.join(d, "job.yaml")
        with open(path, "w") as f:
            yaml.safe_dump(j, f)
        p = subprocess.run(["lava-run", "--validate", "--job-id", "1", "--output-dir",
                            os.path.join(d, "out"), "--device", dev, path],
                           capture_output=True, text=True)
        ok = (p.returncode == 0 if want == 0 else
              p.returncode != 0 and "Unable to identify boot prompts" in p.stdout + p.stderr)
        check(ok, "lava-run --validate: %s %s" % (what, "passes" if want == 0 else "fails"),
              "exit %d: %s" % (p.returncode, p.stdout[-600:] + p.stderr[-600:]))
    # the job of tests/lava/qemu/lava-run.sh: no rootfs image (the lab's 9p
    # root through the initrd and --qemu-option), a context variable
    argv = [INVLAB, "lava-job", "--suite", "smoke", "--kernel", "lab", "--device-type", "qemu",
            "--kernel-url", "file://%s/bzImage" % d, "--initrd-url", "file://%s/initrd.img" % d,
            "--kernel-args", "console=ttyS0,115200 invlab.script=tests/lava/qemu/guest-shell.sh",
            "--prompt", "invlab-guest# ", "--context", "lava_test_results_dir=/tmp/lava-%s",
            "--qemu-option", "-device virtio-9p-pci,fsdev=fs_top,mount_tag=top",
            "--device", "serial:invlab-nvme0", "-o", os.path.join(d, "job9p.yaml")]
    p = subprocess.run(argv, capture_output=True, text=True)
    job = yaml.safe_load(open(os.path.join(d, "job9p.yaml"))) if p.returncode == 0 else {}
    images = [a["deploy"]["images"] for a in job.get("actions", []) if "deploy" in a]
    check(p.returncode == 0 and images and "rootfs" not in images[0]
          and job["context"].get("lava_test_results_dir") == "/tmp/lava-%s" and not valid(job),
          "lava-job, qemu without --rootfs, with --context: no rootfs image, the context variable, "
          "LAVA's strict schema", p.stderr + (valid(job) if job else ""))
    p = subprocess.run(["lava-run", "--validate", "--job-id", "1", "--output-dir",
                        os.path.join(d, "out9p"), "--device", dev, os.path.join(d, "job9p.yaml")],
                       capture_output=True, text=True)
    check(p.returncode == 0, "lava-run --validate: the 9p-root qemu job passes",
          "exit %d: %s" % (p.returncode, p.stdout[-600:] + p.stderr[-600:]))
    print("ok - lava-run --validate with tests/lava/qemu/device.yaml: the qemu job passes, "
          "without its prompts fails; the 9p-root job (no rootfs image, a context variable) passes")


test_shipped()
test_broken()
test_lava_run_validate()
test_steps_run()
test_bisect_step()
print("lava-validate: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
