#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Bad input to invlab (make badinput, part of make test).

The contract (README, "Bad input"): a wrong config, a malformed result,
run, history or calibration file, a hostile name, a bad option, a directory
given as a file ... gets a clear error naming the input (the file, or the
option), exit status 2, and no output that looks complete is left behind:
whatever existed before the command is unchanged. --help exits 0.

Every case runs in a directory of its own (its cwd; the inputs it mutates
are copies there) and asserts
  (a) the exit status (2; 0 for --help and the controls),
  (b) that stderr names the input: a regular expression on it,
  (c) that nothing was left: the case directory is byte for byte what it
      was before the command (no report.md, report.html, compare output,
      JSON, history entry, calibration, run directory ...), and the paths
      outside it the case names (the shared fixtures) too.
The cases come from tables and from generators that mutate valid fixtures:
runs made by tests/compare/make-run.py and tests/report/gen-run.py, a
history made by tests/nightly/make-runs.py and invlab nightly append, a
calibration by invlab calibrate, and the shipped suites, topology and
policy. A control per base shows the unmutated input is accepted, so a case
fails for its mutation alone.

No case boots QEMU: `invlab lab` runs with a qemu-system-x86_64 first in
PATH that only records it was called; a case that reaches it fails.

    tests/badinput/run.py [-k REGEX] [-j JOBS] [-v] [--list]

INVLAB: the binary (default build/invlab). BADINPUT_KEEP=1 keeps the work
directory. Prints ok/FAIL per case, a summary by class; exits 1 on a FAIL.
"""
import argparse
import concurrent.futures
import copy
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time

TOP = os.environ.get("INVLAB_TOP") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INVLAB = os.path.abspath(os.path.join(TOP, os.environ.get("INVLAB", "build/invlab")))

# Names that must never become a file name: what lib/names.c refuses.
HOSTILE = {
    "dotdot": "../x",
    "slash": "a/b",
    "newline": "a\nb",
    "space": "a b",
    "leading-dot": ".hidden",
    "leading-dash": "-dash",
    "300-chars": "x" * 300,
    "dotdot-only": "..",
}

# Wrong values of each JSON type.
WRONG = {
    "number": 7,
    "string": "x",
    "array": [],
    "object": {},
    "null": None,
    "bool": True,
}


def shown(name):
    """How invlab shows a name in an error (lib/names.c): control
    characters as \\xNN, cut after a few characters."""
    out = "".join("\\x%02x" % ord(c) if ord(c) < 0x20 or ord(c) == 0x7f else c
                  for c in name)
    return out[:20]


class Case:
    def __init__(self, cls, name, argv, expect, setup=None, status=2,
                 env=None, watch=(), stdout=None):
        self.cls = cls
        self.name = name
        self.argv = argv  # strings; {d} is the case directory, {fx} the fixtures
        self.expect = expect  # regex on stderr ({d}, {fx} as in argv)
        self.setup = setup  # setup(d, fx) writes the case's inputs into d
        self.status = status
        self.env = env or {}
        self.watch = watch  # paths outside d that must not change
        self.stdout = stdout  # regex stdout must match (--help)


def subst(s, d, fx):
    return s.replace("{d}", d).replace("{fx}", fx).replace("{top}", TOP)


def subst_rx(rx, d, fx):
    """A case's regex with its directories in (escaped or not, as given)."""
    for k, v in (("d", d), ("fx", fx), ("top", TOP)):
        rx = rx.replace("\\{%s\\}" % k, re.escape(v)).replace("{%s}" % k, re.escape(v))
    return rx


def snapshot(path):
    """A path's content: None when absent, a file's hash, a tree's listing."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(st.st_mode):
        return ("link", os.readlink(path))
    if stat.S_ISDIR(st.st_mode):
        out = []
        for root, dirs, files in os.walk(path):
            dirs.sort()
            rel = os.path.relpath(root, path)
            out.append(("dir", rel))
            for f in sorted(files):
                p = os.path.join(root, f)
                out.append((os.path.join(rel, f), snapshot(p)))
        return ("tree", tuple(out))
    with open(path, "rb") as f:
        return ("file", hashlib.sha256(f.read()).hexdigest())


def changed(before, after):
    """What differs between two snapshots of a directory, in words."""
    if before == after:
        return None
    if before is None or after is None or before[0] != after[0] or before[0] != "tree":
        return "it was %s, now %s" % ("absent" if before is None else "there",
                                      "absent" if after is None else "there (changed)")
    b, a = dict(before[1]), dict(after[1])
    new = sorted(k[1] if isinstance(k, tuple) else k for k in set(a) - set(b))
    gone = sorted(k[1] if isinstance(k, tuple) else k for k in set(b) - set(a))
    mod = sorted(k for k in set(a) & set(b) if a[k] != b[k])
    parts = []
    if new:
        parts.append("new: " + " ".join(map(str, new[:6])))
    if gone:
        parts.append("gone: " + " ".join(map(str, gone[:6])))
    if mod:
        parts.append("changed: " + " ".join(map(str, mod[:6])))
    return "; ".join(parts)


# ---- editing inputs -----------------------------------------------------

def read(path):
    with open(path) as f:
        return f.read()


def write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def jload(path):
    with open(path) as f:
        return json.load(f)


def jdump(path, doc):
    write(path, json.dumps(doc, allow_nan=True))


def jset(doc, jpath, value):
    """doc at jpath (a list of keys and indices) = value, made as needed."""
    o = doc
    for k in jpath[:-1]:
        if isinstance(o, dict) and k not in o:
            o[k] = {}
        o = o[k]
    o[jpath[-1]] = value


def jpath_str(jpath):
    """The path as invlab's schema check names it: a.b[0].c"""
    s = ""
    for k in jpath:
        if isinstance(k, int):
            s += "[%d]" % k
        else:
            s += ("." if s else "") + k
    return s


def ini_set(text, section, key, value):
    """Set key in [section] (the first such section), adding it (and the
    section) when missing; value None deletes the key."""
    lines = text.split("\n")
    start = None
    for i, l in enumerate(lines):
        if l.strip() == "[%s]" % section:
            start = i
            break
    if start is None:
        if value is None:
            return text
        return text.rstrip("\n") + "\n[%s]\n%s = %s\n" % (section, key, value)
    end = len(lines)
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("["):
            end = i
            break
    for i in range(start + 1, end):
        if re.match(r"\s*%s\s*=" % re.escape(key), lines[i]):
            if value is None:
                del lines[i]
            else:
                lines[i] = "%s = %s" % (key, value)
            return "\n".join(lines)
    if value is not None:
        lines.insert(start + 1, "%s = %s" % (key, value))
    return "\n".join(lines)


def ini_add(text, section, line):
    """Add a raw line right after [section]'s header."""
    lines = text.split("\n")
    for i, l in enumerate(lines):
        if l.strip() == "[%s]" % section:
            lines.insert(i + 1, line)
            return "\n".join(lines)
    raise KeyError(section)


# ---- fixtures -------------------------------------------------------------

def make_fixtures(fx):
    py = sys.executable
    mk = os.path.join(TOP, "tests/compare/make-run.py")
    run = lambda *a: subprocess.run(a, check=True, stdout=subprocess.DEVNULL, cwd=fx)
    # runs of 5 boots x 2 windows (the CLI tests' shape), one of 10 boots
    run(py, mk, fx + "/base", "k", "1000", "0.03", "10", "4", "1", "5")
    run(py, mk, fx + "/new", "k", "1000", "0.03", "10", "4", "2", "5")
    run(py, mk, fx + "/calrun", "k", "1000", "0.03", "30", "4", "7", "10")
    # a run with every part of a result: context, probes, fio's figures
    run(py, os.path.join(TOP, "tests/report/gen-run.py"), fx + "/rich",
        "--kind", "plain", "--no-failed")
    run(INVLAB, "calibrate", "--host", "lab-x", "--out", fx + "/calib.json",
        fx + "/calrun")
    run(py, os.path.join(TOP, "tests/nightly/make-runs.py"), fx + "/runs",
        "--runs", "4", "--host", "lab-a", "--samples", "4")
    runs = sorted(os.listdir(fx + "/runs"))
    run(INVLAB, "nightly", "append", "--history", fx + "/hist", "--host",
        "lab-a", *[fx + "/runs/" + r for r in runs])
    # the suites, topology and policy invlab ships
    shutil.copy(os.path.join(TOP, "bench/suites/smoke.conf"), fx + "/smoke.conf")
    shutil.copy(os.path.join(TOP, "bench/suites/nvme.conf"), fx + "/nvme.conf")
    shutil.copy(os.path.join(TOP, "lab/topology/default.conf"), fx + "/default.conf")
    shutil.copy(os.path.join(TOP, "bench/policy/metrics.conf"), fx + "/metrics.conf")
    # a git tree for bisect's arguments
    src = fx + "/ksrc"
    os.makedirs(src)
    git = ["git", "-C", src, "-c", "user.name=t", "-c", "user.email=t@t"]
    run("git", "-C", src, "init", "-q")
    for i in (1, 2):
        write(src + "/n.txt", "%d\n" % i)
        run(*git, "add", "-A")
        run(*git, "commit", "-qm", "commit %d" % i)
    # qemu-system-x86_64 for invlab lab: records the call, boots nothing
    os.makedirs(fx + "/bin")
    q = fx + "/bin/qemu-system-x86_64"
    write(q, '#!/bin/sh\necho "$*" >>"${BADINPUT_QEMU_MARK:-/dev/null}"\nexit 1\n')
    os.chmod(q, 0o755)
    return {"history_runs": runs}


# ---- the cases ------------------------------------------------------------

CASES = []


def case(*a, **k):
    CASES.append(Case(*a, **k))


def copy_from(fx_rel, dest_rel):
    def setup(d, fx):
        src = os.path.join(fx, fx_rel)
        dst = os.path.join(d, dest_rel)
        if os.path.isdir(src):
            shutil.copytree(src, dst)
        else:
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy(src, dst)
    return setup


def chain(*fns):
    def setup(d, fx):
        for f in fns:
            if f:
                f(d, fx)
    return setup


def edit_json(rel, fn):
    """Apply fn(doc), which changes doc in place, to d/rel."""
    def setup(d, fx):
        p = os.path.join(d, rel)
        doc = jload(p)
        fn(doc)
        jdump(p, doc)
    return setup


def edit_text(rel, fn):
    def setup(d, fx):
        p = os.path.join(d, rel)
        write(p, fn(read(p)))
    return setup


def replace_file(rel, content):
    """d/rel becomes content: text, or the string "<dir>" for a directory."""
    def setup(d, fx):
        p = os.path.join(d, rel)
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.exists(p):
            os.unlink(p)
        if content == "<dir>":
            os.makedirs(p)
        else:
            write(p, content)
    return setup


def truncate(rel):
    def setup(d, fx):
        p = os.path.join(d, rel)
        t = read(p)
        write(p, t[: len(t) // 2])
    return setup


def raw_number(rel, jpath, text):
    """Put a number JSON cannot hold (NaN, Infinity, 1e999) at jpath."""
    marker = 123456789.25

    def setup(d, fx):
        p = os.path.join(d, rel)
        doc = jload(p)
        jset(doc, jpath, marker)
        t = json.dumps(doc)
        write(p, t.replace(repr(marker), text, 1))
    return setup


# Malformed files of any JSON kind: (name, setup of d/rel, regex beside the path)
def file_mutations(rel, schema_id):
    return [
        ("truncated", truncate(rel), r"is not valid JSON"),
        ("empty", replace_file(rel, ""), r"is not valid JSON|not a"),
        ("whitespace only", replace_file(rel, " \n\t\n"), r"is not valid JSON|not a"),
        ("a directory", replace_file(rel, "<dir>"), r"is a directory"),
        ("a JSON array", replace_file(rel, "[1, 2]\n"), r"not a"),
        ("JSON null", replace_file(rel, "null\n"), r"not a"),
        ("a bare string", replace_file(rel, '"%s"\n' % schema_id), r"not a"),
        ("garbage after the object", edit_text(rel, lambda t: t.rstrip() + " trailing\n"),
         r"more after its JSON object"),
        ("two objects", edit_text(rel, lambda t: t.rstrip() + "{}\n"),
         r"more after its JSON object"),
        ("binary garbage", replace_file(rel, "\x00\x01\x02{"), r"is not valid JSON|not a"),
        ("unterminated string", replace_file(rel, '{"schema": "%s' % schema_id),
         r"is not valid JSON"),
        ("foreign schema", edit_json(rel, lambda j: j.__setitem__("schema", "lkp.job")),
         r'its schema is "lkp.job"'),
        ("no schema", edit_json(rel, lambda j: j.pop("schema")), r"its schema is missing"),
        ("schema of another invlab file",
         edit_json(rel, lambda j: j.__setitem__(
             "schema", "invlab.history-entry" if schema_id != "invlab.history-entry"
             else "invlab.run")), r"is not an invlab"),
        ("schema a number", edit_json(rel, lambda j: j.__setitem__("schema", 1)),
         r"its schema is 1"),
        ("version 2", edit_json(rel, lambda j: j.__setitem__("version", 2)), r"version 2"),
        ("version 0", edit_json(rel, lambda j: j.__setitem__("version", 0)), r"version 0"),
        ("version a string", edit_json(rel, lambda j: j.__setitem__("version", "1")),
         r'version "1"'),
        ("version huge", edit_text(rel, lambda t: re.sub(
            r'"version": ?1', '"version": 99999999999999999999999', t, count=1)),
         r"version"),
        ("no version", edit_json(rel, lambda j: j.pop("version")), r"version"),
    ]


# The JSON fields the readers use and the types each may have.
RUN_FIELDS = [
    (["run_id"], {"string"}),
    (["suite"], {"string"}),
    (["status"], {"string"}),
    (["started"], {"string"}),
    (["description"], {"string", "null"}),
    (["boots"], {"number"}),
    (["timing"], {"object"}),
    (["timing", "mode"], set()),
    (["boot_order"], {"array"}),
    (["plan"], {"array"}),
    (["kernels"], {"array"}),
    (["kernels", 0], {"object"}),
    (["kernels", 0, "cell"], {"string"}),
    (["kernels", 0, "label"], {"string"}),
    (["kernels", 0, "status"], {"string"}),
    (["kernels", 0, "reason"], {"string", "null"}),
    (["kernels", 0, "seconds"], {"number", "null"}),
    (["kernels", 0, "release"], {"string", "null"}),
    (["kernels", 0, "boots"], {"array"}),
    (["kernels", 0, "params"], {"object"}),
]

RESULT_FIELDS = [
    (["suite"], {"string"}),
    (["status"], set()),
    (["error"], {"string", "null"}),
    (["started"], set()),
    (["context"], {"object"}),
    (["context", "host"], {"object"}),
    (["context", "host", "hostname"], {"string"}),
    (["context", "host", "cpus"], {"number"}),
    (["context", "kernel"], {"object"}),
    (["context", "kernel", "release"], {"string"}),
    (["context", "kernel", "cmdline"], {"string", "null"}),
    (["context", "kernel", "config", "sha256"], {"null"}),
    (["context", "iommu"], {"object"}),
    (["context", "iommu", "dma_mode"], set()),
    (["context", "iommu", "interrupt_remapping"], set()),
    (["context", "lab"], {"null", "object"}),
    (["probes"], {"object"}),
    (["probes", "cmdq", "mechanism"], set()),
    (["workload"], {"object"}),
    (["workload", "type"], {"string"}),
    (["workload", "job"], {"string", "null"}),
    (["workload", "runtime_s"], {"number"}),
    (["workload", "params"], {"object"}),
    (["samples"], {"array"}),
    (["samples", 0], {"object"}),
    (["samples", 0, "repetition"], {"number"}),
    (["samples", 0, "boot"], {"number"}),
    (["samples", 0, "window_s"], {"number"}),
    (["samples", 0, "workload"], {"object"}),
    (["samples", 0, "workload", "iops"], {"number"}),
    (["samples", 0, "workload", "total_ios"], {"number"}),
    (["samples", 0, "workload", "clat_p50_ns"], {"number"}),
    (["samples", 0, "workload", "bw_kib_s"], {"number"}),
    (["samples", 0, "commands"], {"object"}),
    (["samples", 0, "commands", "total"], {"number"}),
    (["samples", 0, "commands", "by_opcode"], {"object"}),
    (["samples", 0, "commands", "by_opcode", "COMPLETION_WAIT"], {"number"}),
    (["samples", 0, "commands", "by_id"], {"array"}),
    (["samples", 0, "metrics"], {"object"}),
    (["samples", 0, "metrics", "unmap_ns"], {"number", "null"}),
    (["samples", 0, "cpu_busy_us"], {"number", "null"}),
    (["samples", 0, "fanout"], {"object", "null"}),
    (["samples", 0, "fnfan"], {"object", "null"}),
    (["overhead"], {"object"}),
    (["overhead", "off"], {"array"}),
    (["boots"], {"array"}),
]

HISTORY_FIELDS = [
    (["host"], {"string"}),
    (["run_id"], {"string"}),
    (["suite"], {"string"}),
    (["status"], {"string"}),
    (["started"], {"string"}),
    (["cells"], {"object"}),
    (["cells", "lab"], {"object"}),
    (["cells", "lab", "status"], {"string"}),
    (["cells", "lab", "reason"], {"string", "null"}),
    (["cells", "lab", "error"], {"string", "null"}),
    (["cells", "lab", "context"], {"object", "null"}),
    (["cells", "lab", "metrics"], {"object"}),
    (["cells", "lab", "metrics", "iops"], {"array"}),
    (["cells", "lab", "metrics", "iops", 0], {"number", "null"}),
    (["cells", "lab", "boots"], {"object"}),
    (["cells", "lab", "boots", "iops"], {"array"}),
]

CALIB_FIELDS = [
    (["host"], {"string"}),
    (["suites"], {"object"}),
    (["suites", "synthetic"], {"object"}),
    (["suites", "synthetic", "k"], {"object"}),
    (["suites", "synthetic", "k", "iops"], {"object"}),
    (["suites", "synthetic", "k", "iops", "boot_sd"], {"number", "null"}),
    (["suites", "synthetic", "k", "iops", "within"], {"number", "null"}),
    (["suites", "synthetic", "k", "iops", "boots"], {"number"}),
    (["suites", "synthetic", "k", "iops", "windows"], {"number"}),
    (["suites", "synthetic", "k", "iops", "run"], {"string"}),
]


def wrong_values(allowed):
    """Each kind of JSON value a field may not have, with a value of it."""
    for kind, v in WRONG.items():
        if kind not in allowed:
            yield kind, v


# -- run.json and result.json: each mutation under one of the commands that
# read runs, in turn, so every command meets every kind of mutation.

def run_commands():
    """(name, argv, what it would write): d/run is the mutated run."""
    return [
        ("report", ["report", "{d}/run"]),
        ("compare", ["compare", "{fx}/base", "{d}/run", "-o", "{d}/cmp.md",
                     "--json", "{d}/cmp.json", "--html", "{d}/cmp.html"]),
        ("nightly append", ["nightly", "append", "--history", "{d}/history",
                            "--host", "lab-z", "{d}/run"]),
        ("calibrate", ["calibrate", "--host", "lab-z", "--out", "{d}/cal.json",
                       "{d}/run"]),
        ("show", ["show", "{d}/run"]),
        ("compare as base", ["compare", "{d}/run", "{fx}/base", "--json",
                             "{d}/cmp.json"]),
    ]


def gen_run_and_result():
    cmds = run_commands()
    n = [0]

    def add(cls, what, setup, expect):
        name, argv = cmds[n[0] % len(cmds)]
        n[0] += 1
        case(cls, "%s: %s" % (name, what), [INVLAB] + argv, expect, setup=setup,
             watch=("{fx}/base",))

    # run.json
    rj = "{d}/run/run.json"
    base = copy_from("base", "run")
    for what, setup, rx in file_mutations("run/run.json", "invlab.run"):
        add("run", "run.json " + what, chain(base, setup), re.escape(rj) + ".*" + rx)
    for jpath, allowed in RUN_FIELDS:
        for kind, v in wrong_values(allowed):
            def fn(doc, jpath=jpath, v=v):
                jset(doc, jpath, copy.deepcopy(v))
            add("run", "run.json %s is %s" % (jpath_str(jpath), kind),
                chain(base, edit_json("run/run.json", fn)),
                re.escape(rj) + ": at " + re.escape(jpath_str(jpath)))
    for label, name in HOSTILE.items():
        for field in (["run_id"], ["kernels", 0, "cell"], ["kernels", 0, "label"],
                      ["kernels", 0, "boots", 0, "dir"]):
            if field[-1] == "dir" and label == "leading-dot":
                continue  # .attempt-A-boot-N: a retried boot's directory
            def fn(doc, field=field, name=name):
                if field[-1] == "dir":
                    doc["kernels"][0]["boots"] = [{"boot": 1, "status": "failed"}]
                jset(doc, field, name)
            add("run", "run.json %s is a hostile name (%s)" % (jpath_str(field), label),
                chain(base, edit_json("run/run.json", fn)),
                re.escape(rj) + ": at " + re.escape(jpath_str(field)))
    for what, text in (("NaN", "NaN"), ("Infinity", "Infinity"),
                       ("-Infinity", "-Infinity"), ("1e999", "1e999")):
        add("run", "run.json kernels[0].seconds is " + what,
            chain(base, raw_number("run/run.json", ["kernels", 0, "seconds"], text)),
            re.escape(rj) + ": at kernels\\[0\\]\\.seconds")
    add("run", "run.json without kernels",
        chain(base, edit_json("run/run.json", lambda j: j.pop("kernels"))),
        re.escape(rj) + ".*kernels")
    add("run", "a run directory without run.json",
        chain(base, replace_file("run/run.json", "<dir>"),
              lambda d, fx: shutil.rmtree(d + "/run/run.json")),
        re.escape("{d}/run") + ".*(not an invlab run|not a run directory)")
    add("run", "run.json a symlink to a directory",
        chain(base, lambda d, fx: (os.unlink(d + "/run/run.json"),
                                   os.symlink(d + "/run/k", d + "/run/run.json"))),
        re.escape(rj) + " is a directory")

    # run.json of a lab run, as invlab lab --resume reads it
    def lab_run(d, fx):
        write(d + "/s.conf", read(fx + "/smoke.conf"))
        sha = hashlib.sha256(open(d + "/s.conf", "rb").read()).hexdigest()
        jdump(d + "/run/run.json", {
            "schema": "invlab.run", "version": 1, "run_id": "run", "suite": "s",
            "suite_path": d + "/s.conf", "suite_sha256": sha, "status": "incomplete",
            "started": "2026-11-21T00:00:00Z", "boots": 1,
            "timing": {"mode": "wall", "icount": None},
            "plan": [{"cell": "lab", "kernel": "lab", "params": ""}],
            "boot_order": [],
            "kernels": [{"cell": "lab", "label": "lab", "params": {},
                         "status": "incomplete", "reason": None, "boots": []}]})
    resume = [INVLAB, "lab", "--resume", "{d}/run"]
    rj_rx = "--resume " + re.escape("{d}/run") + ": "
    for what, fn, rx in (
            ("no suite_path", lambda j: j.pop("suite_path"), "suite_path"),
            ("no run_id", lambda j: j.pop("run_id"), "run_id"),
            ("no plan", lambda j: j.pop("plan"), "no plan"),
            ("suite_path of a file that is not there",
             lambda j: j.__setitem__("suite_path", j["suite_path"] + ".gone"), "cannot open"),
            ("suite_path of a directory", lambda j: j.__setitem__(
                "suite_path", os.path.dirname(j["suite_path"])), "(is a directory|Is a directory)"),
            ("the suite changed since", lambda j: j.__setitem__("suite_sha256", "0" * 64),
             "changed since run"),
            ("cells without boots[]", lambda j: j["kernels"][0].pop("boots"), "before boots"),
            ("plan a string", lambda j: j.__setitem__("plan", "lab"), "at plan"),
            ("plan cell hostile", lambda j: j["plan"][0].__setitem__("cell", "../x"),
             r"at plan\[0\]\.cell"),
            ("plan kernel hostile", lambda j: j["plan"][0].__setitem__("kernel", "a/b"),
             r"at plan\[0\]\.kernel"),
            ("boots 0", lambda j: j.__setitem__("boots", 0), "at boots"),
            ("boots a string", lambda j: j.__setitem__("boots", "2"), "at boots"),
            ("timing.mode unknown", lambda j: j["timing"].__setitem__("mode", "fast"),
             r"at timing\.mode"),
            ("boot_order of a hostile cell", lambda j: j.__setitem__("boot_order", ["../x#1"]),
             r"at boot_order\[0\]")):
        case("run", "lab --resume: run.json " + what, resume, rj_rx + ".*" + rx,
             setup=chain(lab_run, edit_json("run/run.json", fn)))
    case("run", "lab --resume: run.json truncated", resume,
         rj_rx + re.escape("{d}/run/run.json") + " is not valid JSON",
         setup=chain(lab_run, truncate("run/run.json")))
    case("run", "lab --resume: the suite is now a bad one", resume,
         rj_rx + re.escape("{d}/s.conf") + r":\d+: \[suite\] unknown key",
         setup=chain(lab_run, edit_text("s.conf", lambda t: ini_add(t, "suite", "x = 1"))))
    case("control", "lab --resume of a lab run's run.json: reaches QEMU", resume,
         r"qemu-system-x86_64 --version failed", setup=lab_run)

    # result.json: the rich run (every part of a result), cell 7.3
    rr = "{d}/run/7.3/result.json"
    rich = copy_from("rich", "run")
    for what, setup, rx in file_mutations("run/7.3/result.json", "invlab.result"):
        add("result", "result.json " + what, chain(rich, setup),
            re.escape(rr) + ".*" + rx)
    for jpath, allowed in RESULT_FIELDS:
        for kind, v in wrong_values(allowed):
            def fn(doc, jpath=jpath, v=v):
                jset(doc, jpath, copy.deepcopy(v))
            add("result", "result.json %s is %s" % (jpath_str(jpath), kind),
                chain(rich, edit_json("run/7.3/result.json", fn)),
                re.escape(rr) + ": at " + re.escape(jpath_str(jpath)))
    # a cell's selfcheck.json (a run that traced QEMU), read by the report
    sc = "{d}/run/7.3/selfcheck.json"
    good_sc = {"exact": True, "error": None, "windows": [
        {"repetition": 1, "boot": 1, "after": 1, "through": 9, "exact": True,
         "found_in_trace": True, "probe": {"COMPLETION_WAIT": 4}}]}
    for what, doc, rx in (
            ("truncated", None, "is not valid JSON"),
            ("a directory", "<dir>", "is a directory"),
            ("exact a string", dict(good_sc, exact="yes"), ": at exact"),
            ("windows an object", dict(good_sc, windows={}), ": at windows"),
            ("a negative count", dict(good_sc, windows=[dict(good_sc["windows"][0], probe={
                "COMPLETION_WAIT": -4})]), r": at windows\[0\]\.probe\.COMPLETION_WAIT"),
            ("boot 0", dict(good_sc, windows=[dict(good_sc["windows"][0], boot=0)]),
             r": at windows\[0\]\.boot")):
        def put(d, fx, doc=doc):
            p = d + "/run/7.3/selfcheck.json"
            if doc is None:
                write(p, json.dumps(good_sc)[:30])
            elif doc == "<dir>":
                os.makedirs(p)
            else:
                jdump(p, doc)
        case("result", "report: selfcheck.json " + what, [INVLAB, "report", "{d}/run"],
             re.escape(sc) + ".*" + rx, setup=chain(rich, put))
    for jp in (["samples", 0, "workload", "iops"], ["samples", 0, "commands", "total"],
               ["context", "host", "uptime_s"]):
        for what, text in (("NaN", "NaN"), ("Infinity", "Infinity"), ("1e999", "1e999")):
            add("result", "result.json %s is %s" % (jpath_str(jp), what),
                chain(rich, raw_number("run/7.3/result.json", jp, text)),
                re.escape(rr) + ": at " + re.escape(jpath_str(jp)))
    for jp, v, why in (
            (["samples", 0, "commands", "total"], -1, "negative count"),
            (["samples", 0, "commands", "by_opcode", "NOT_AN_OPCODE"], 3, "unknown opcode"),
            (["samples", 0, "commands", "by_id", 0, "id"], 99999999999, "devid out of range"),
            (["samples", 0, "repetition"], 0, "repetition 0"),
            (["samples", 0, "workload", "total_ios"], 2.5, "fractional count"),
            (["status"], "done", "unknown status"),
            (["context", "iommu", "dma_mode"], "sloppy", "unknown DMA mode")):
        def fn(doc, jp=jp, v=v):
            jset(doc, jp, v)
        add("result", "result.json %s: %s" % (jpath_str(jp), why),
            chain(rich, edit_json("run/7.3/result.json", fn)),
            re.escape(rr) + ": at " + re.escape(jpath_str(jp)))


# -- history entries -----------------------------------------------------

def gen_history(info):
    runs = info["history_runs"]
    entry_rel = "h/lab-a/%s.json" % runs[1]
    entry = "{d}/" + entry_rel
    base = copy_from("hist", "h")
    cmds = [
        ("report", ["nightly", "report", "--history", "{d}/h", "-o", "{d}/nr"]),
        ("merge", ["nightly", "merge", "--into", "{d}/merged", "{d}/h"]),
        ("merge into it", ["nightly", "merge", "--into", "{d}/h", "{fx}/hist"]),
    ]
    n = [0]

    def add(what, setup, expect, cmd=None):
        name, argv = cmds[n[0] % len(cmds)] if cmd is None else cmds[cmd]
        n[0] += cmd is None
        case("history", "nightly %s: %s" % (name, what), [INVLAB] + argv, expect,
             setup=setup, watch=("{fx}/hist",))

    for what, setup, rx in file_mutations(entry_rel, "invlab.history-entry"):
        add("entry " + what, chain(base, setup), re.escape(entry) + ".*" + rx)
    for jpath, allowed in HISTORY_FIELDS:
        for kind, v in wrong_values(allowed):
            def fn(doc, jpath=jpath, v=v):
                if jpath[-1] == "iops" and jpath[-2] == "boots":
                    doc["cells"]["lab"]["boots"] = {}
                jset(doc, jpath, copy.deepcopy(v))
            add("entry %s is %s" % (jpath_str(jpath), kind),
                chain(base, edit_json(entry_rel, fn)),
                re.escape(entry) + ": at " + re.escape(jpath_str(jpath)))
    for label, name in HOSTILE.items():
        for field in (["host"], ["run_id"]):
            def fn(doc, field=field, name=name):
                jset(doc, field, name)
            add("entry %s is a hostile name (%s)" % (field[0], label),
                chain(base, edit_json(entry_rel, fn)),
                re.escape(entry) + ": at " + field[0])

        def cell(doc, name=name):
            doc["cells"][name] = doc["cells"].pop("lab")
        add("entry cell name is hostile (%s)" % label,
            chain(base, edit_json(entry_rel, cell)),
            re.escape(entry) + ": at cells")
    for what, text in (("NaN", "NaN"), ("Infinity", "Infinity"), ("1e999", "1e999"),
                       ("-Infinity", "-Infinity")):
        for c in range(2):
            add("entry sample is %s" % what,
                chain(base, raw_number(entry_rel, ["cells", "lab", "metrics", "iops", 2], text)),
                re.escape(entry) + ": at cells\\.lab\\.metrics\\.iops\\[2\\]", cmd=c)
    for c in range(3):
        add("entry boots of another length",
            chain(base, edit_json(entry_rel, lambda j: j["cells"]["lab"].__setitem__(
                "boots", {"iops": [1, 2]}))),
            re.escape(entry) + ".*boots\\.iops", cmd=c)
        add("entry boot number 0",
            chain(base, edit_json(entry_rel, lambda j: j["cells"]["lab"].__setitem__(
                "boots", {"iops": [0] * len(j["cells"]["lab"]["metrics"]["iops"])}))),
            re.escape(entry) + ".*boots\\.iops", cmd=c)
        add("entry filed under another run id",
            chain(base, lambda d, fx: os.rename(d + "/" + entry_rel,
                                                d + "/h/lab-a/other.json")),
            re.escape("{d}/h/lab-a/other.json") + ".*filed as", cmd=c)
        add("entry filed under another host",
            chain(base, lambda d, fx: os.renames(d + "/h/lab-a", d + "/h/lab-b")),
            re.escape("{d}/h/lab-b/") + ".*filed as", cmd=c)
        add("entry .json is a directory",
            chain(base, lambda d, fx: os.makedirs(d + "/h/lab-a/zz.json")),
            re.escape("{d}/h/lab-a/zz.json") + " is a directory", cmd=c)
    # the history or a source is not a directory
    case("history", "nightly report: --history is a file",
         [INVLAB, "nightly", "report", "--history", "{d}/h", "-o", "{d}/nr"],
         re.escape("{d}/h") + ": no such history directory",
         setup=replace_file("h", "not a directory\n"))
    case("history", "nightly report: --history does not exist",
         [INVLAB, "nightly", "report", "--history", "{d}/nope", "-o", "{d}/nr"],
         re.escape("{d}/nope") + ": no such history directory")
    case("history", "nightly report: an empty history",
         [INVLAB, "nightly", "report", "--history", "{d}/h", "-o", "{d}/nr"],
         re.escape("{d}/h") + ": no history entries",
         setup=lambda d, fx: os.makedirs(d + "/h"))
    case("history", "nightly report: --host names no host of the history",
         [INVLAB, "nightly", "report", "--history", "{fx}/hist", "--host", "lab-q",
          "-o", "{d}/nr"],
         re.escape("{fx}/hist") + ": no history entries for the hosts given",
         watch=("{fx}/hist",))
    case("history", "nightly merge: a source that does not exist",
         [INVLAB, "nightly", "merge", "--into", "{d}/m", "{fx}/hist", "{d}/nope"],
         re.escape("{d}/nope") + ": no such history directory", watch=("{fx}/hist",))
    case("history", "nightly merge: a source that is a file",
         [INVLAB, "nightly", "merge", "--into", "{d}/m", "{fx}/hist", "{d}/f"],
         re.escape("{d}/f") + ": no such history directory",
         setup=replace_file("f", "x\n"), watch=("{fx}/hist",))
    case("history", "nightly merge: --into is a file",
         [INVLAB, "nightly", "merge", "--into", "{d}/m", "{fx}/hist"],
         re.escape("{d}/m"), setup=replace_file("m", "x\n"), watch=("{fx}/hist",))
    case("history", "nightly merge: an entry of --into is corrupt",
         [INVLAB, "nightly", "merge", "--into", "{d}/h", "{fx}/hist"],
         re.escape("{d}/" + entry_rel) + ".*not valid JSON",
         setup=chain(base, truncate(entry_rel)), watch=("{fx}/hist",))
    # nightly append: a history entry of the same run with other content
    case("history", "nightly append: the run's entry holds other content",
         [INVLAB, "nightly", "append", "--history", "{d}/h", "--host", "lab-a",
          "{fx}/runs/" + runs[1]],
         re.escape("{d}/" + entry_rel) + " already holds run",
         setup=chain(base, edit_json(entry_rel, lambda j: j.__setitem__("suite", "other"))),
         watch=("{fx}/runs",))
    case("history", "nightly append: the run's entry is a directory",
         [INVLAB, "nightly", "append", "--history", "{d}/h", "--host", "lab-a",
          "{fx}/runs/" + runs[1]],
         re.escape("{d}/" + entry_rel),
         setup=chain(base, replace_file(entry_rel, "<dir>")), watch=("{fx}/runs",))
    case("history", "nightly append: the host directory is a file",
         [INVLAB, "nightly", "append", "--history", "{d}/h", "--host", "lab-q",
          "{fx}/runs/" + runs[1]],
         re.escape("{d}/h/lab-q"),
         setup=chain(base, replace_file("h/lab-q", "x\n")), watch=("{fx}/runs",))
    case("history", "nightly append: --history is a file",
         [INVLAB, "nightly", "append", "--history", "{d}/h", "--host", "lab-q",
          "{fx}/runs/" + runs[1]],
         re.escape("{d}/h"), setup=replace_file("h", "x\n"), watch=("{fx}/runs",))
    # a good run and a bad one: nothing appended
    case("history", "nightly append: a good run then a truncated one appends neither",
         [INVLAB, "nightly", "append", "--history", "{d}/h", "--host", "lab-a",
          "{fx}/runs/" + runs[0], "{d}/bad"],
         re.escape("{d}/bad/run.json") + " is not valid JSON",
         setup=chain(copy_from("runs/" + runs[1], "bad"), truncate("bad/run.json")),
         watch=("{fx}/runs",))
    case("history", "nightly append: a good run then a missing one appends neither",
         [INVLAB, "nightly", "append", "--history", "{d}/h", "--host", "lab-a",
          "{fx}/runs/" + runs[0], "{d}/nope"],
         re.escape("{d}/nope") + " is not a run directory", watch=("{fx}/runs",))
    case("history", "nightly append: a good run then a conflicting one appends neither",
         [INVLAB, "nightly", "append", "--history", "{d}/h", "--host", "lab-a",
          "{fx}/runs/" + runs[3], "{fx}/runs/" + runs[1]],
         re.escape("{d}/" + entry_rel) + " already holds run",
         setup=chain(base, edit_json(entry_rel, lambda j: j.__setitem__("suite", "other")),
                     lambda d, fx: os.unlink(d + "/h/lab-a/%s.json" % runs[3])),
         watch=("{fx}/runs",))
    case("history", "nightly append: two runs of one id with other content append neither",
         [INVLAB, "nightly", "append", "--history", "{d}/h", "--host", "lab-a",
          "{fx}/runs/" + runs[0], "{d}/other"],
         re.escape("{d}/other") + " are both run " + re.escape(runs[0]) + " of host lab-a",
         setup=chain(copy_from("runs/" + runs[0], "other"),
                     edit_json("other/run.json", lambda j: j.__setitem__("suite", "x"))),
         watch=("{fx}/runs",))
    # the database history (--db URL): a server that is not there, a URL
    # libpq refuses; the URL named, a password never shown
    nosock = "postgresql:///invlab?host={d}/nosock"
    case("history", "nightly append --db: no server at the socket path",
         [INVLAB, "nightly", "append", "--db", nosock, "--host", "lab-a",
          "{fx}/runs/" + runs[0]],
         "cannot connect to the history database " + re.escape(nosock) +
         ".*(\n.*)*the run directories are still there: append them later with "
         "'invlab nightly append --db " + re.escape(nosock),
         watch=("{fx}/runs",))
    case("history", "nightly report --db: a password in the URL is not shown",
         [INVLAB, "nightly", "report", "--db",
          "postgresql://u:s3cret@/invlab?host={d}/nosock&password=s3cret", "-o", "{d}/nr"],
         re.escape("postgresql://u:***@/invlab?host={d}/nosock&password=***") + ": ")
    case("history", "nightly merge --db: a URL libpq cannot read",
         [INVLAB, "nightly", "merge", "--db", "nosuchoption=1", "{fx}/hist"],
         # not shown: what libpq cannot read may hold a password it missed
         r"cannot connect to the history database \(a connection string libpq cannot read\): "
         r"invalid connection option \"nosuchoption\"",
         watch=("{fx}/hist",))
    case("history", "nightly report: --history and --db at once",
         [INVLAB, "nightly", "report", "--history", "{fx}/hist", "--db", nosock,
          "-o", "{d}/nr"],
         "give --history DIR or --db URL, not both", watch=("{fx}/hist",))
    case("history", "nightly migrate: no --db and no INVLAB_DB",
         [INVLAB, "nightly", "migrate"], "--db URL \\(or INVLAB_DB\\) is required",
         env={"INVLAB_DB": ""})


# -- calibration ------------------------------------------------------------

def gen_calibration():
    cf = "{d}/cal.json"
    base = copy_from("calib.json", "cal.json")
    cmds = [
        ("compare", ["compare", "--calibration", "{d}/cal.json", "{fx}/base", "{fx}/new",
                     "-o", "{d}/cmp.md", "--json", "{d}/cmp.json"]),
        ("calibrate into it", ["calibrate", "--host", "lab-x", "--out", "{d}/cal.json",
                               "{fx}/calrun"]),
    ]
    n = [0]

    def add(what, setup, expect):
        name, argv = cmds[n[0] % len(cmds)]
        n[0] += 1
        case("calibration", "%s: %s" % (name, what), [INVLAB] + argv, expect,
             setup=setup, watch=("{fx}/base", "{fx}/new", "{fx}/calrun"))

    for what, setup, rx in file_mutations("cal.json", "invlab.calibration"):
        add("calibration " + what, chain(base, setup), re.escape(cf) + ".*" + rx)
    for jpath, allowed in CALIB_FIELDS:
        for kind, v in wrong_values(allowed):
            def fn(doc, jpath=jpath, v=v):
                jset(doc, jpath, copy.deepcopy(v))
            add("calibration %s is %s" % (jpath_str(jpath), kind),
                chain(base, edit_json("cal.json", fn)),
                re.escape(cf) + ": at " + re.escape(jpath_str(jpath)))
    jp = ["suites", "synthetic", "k", "iops", "boot_sd"]
    for what, text in (("NaN", "NaN"), ("Infinity", "Infinity"), ("1e999", "1e999"),
                       ("-Infinity", "-Infinity")):
        add("calibration boot_sd is " + what, chain(base, raw_number("cal.json", jp, text)),
            re.escape(cf) + ": at " + re.escape(jpath_str(jp)))
    for jp, v in ((["suites", "synthetic", "k", "iops", "boot_sd"], -0.5),
                  (["suites", "synthetic", "k", "iops", "boots"], -3)):
        add("calibration %s is negative" % jpath_str(jp),
            chain(base, edit_json("cal.json", lambda j, jp=jp, v=v: jset(j, jp, v))),
            re.escape(cf) + ": at " + re.escape(jpath_str(jp)))
    case("calibration", "compare: --calibration is a directory",
         [INVLAB, "compare", "--calibration", "{d}/cal", "{fx}/base", "{fx}/new", "--json",
          "{d}/cmp.json"], re.escape("{d}/cal") + " is a directory",
         setup=lambda d, fx: os.makedirs(d + "/cal"))
    case("calibration", "compare: $INVLAB_CALIBRATION holds a corrupt calibration",
         [INVLAB, "compare", "{d}/base", "{fx}/new", "--json", "{d}/cmp.json"],
         re.escape("{d}/calibration/lab-x.json") + " is not valid JSON",
         setup=chain(copy_from("base", "base"), edit_json(
             "base/k/result.json", lambda j: jset(j, ["context", "host", "hostname"], "lab-x")),
             replace_file("calibration/lab-x.json", "{")))
    case("calibration", "calibrate: a run of one boot writes no calibration",
         [INVLAB, "calibrate", "--host", "lab-x", "--out", "{d}/new.json", "{d}/one"],
         re.escape("{d}/one") + " has no cell of 3 or more boots",
         setup=lambda d, fx: subprocess.run(
             [sys.executable, TOP + "/tests/compare/make-run.py", d + "/one", "k", "1000",
              "0.03", "4", "4", "1", "1"], check=True))
    case("calibration", "calibrate: --out is a directory",
         [INVLAB, "calibrate", "--host", "lab-x", "--out", "{d}/cal", "{fx}/calrun"],
         re.escape("{d}/cal") + " is a directory",
         setup=lambda d, fx: os.makedirs(d + "/cal"), watch=("{fx}/calrun",))
    case("calibration", "calibrate: --out in a directory that is a file",
         [INVLAB, "calibrate", "--host", "lab-x", "--out", "{d}/f/cal.json", "{fx}/calrun"],
         re.escape("{d}/f"), setup=replace_file("f", "x\n"), watch=("{fx}/calrun",))


# -- suites -----------------------------------------------------------------

def suite_mutations():
    """(name, file text from smoke's, regex after FILE) of bad suites."""
    out = []

    def add(name, fn, rx, base="smoke"):
        out.append((name, fn, rx, base))

    add("unknown section near [suite]", lambda t: t.replace("[suite]", "[suiet]"),
        r":\d+: unknown section \[suiet\] \(did you mean \[suite\]\?\)")
    add("unknown section", lambda t: t + "\n[frobnicate]\nx = 1\n",
        r":\d+: unknown section \[frobnicate\] \(expected")
    add("unknown key", lambda t: ini_add(t, "suite", "colour = blue"),
        r":\d+: \[suite\] unknown key 'colour'")
    add("near-miss key", lambda t: ini_add(t, "suite", "repetitons = 3").replace(
        "repetitions = 3\n", ""),
        r":\d+: \[suite\] unknown key 'repetitons' \(did you mean 'repetitions'\?\)")
    add("near-miss [workload] type", lambda t: t.replace("type = fio", "tpye = fio"),
        r":\d+: \[workload\] unknown key 'tpye' \(did you mean 'type'\?\)")
    add("near-miss [probes] key", lambda t: t.replace("overhead = yes", "overhaed = yes"),
        r":\d+: \[probes\] unknown key 'overhaed' \(did you mean 'overhead'\?\)")
    add("unknown fio key", lambda t: ini_add(t, "workload", "iodepth = 4"),
        r":\d+: \[workload\] unknown key 'iodepth'")
    add("duplicate key", lambda t: ini_add(t, "suite", "repetitions = 5"),
        r":\d+: \[suite\] repetitions given twice \(first at line \d+\)")
    add("duplicate section", lambda t: t + "\n[suite]\nwarmup = 1\n",
        r":\d+: \[suite\] given twice")
    add("duplicate kernel label", lambda t: ini_set(t, "suite", "kernels", "7.3 lab 7.3"),
        r":\d+: \[suite\] kernels = 7.3 lab 7.3: 7.3 given twice")
    add("duplicate module", lambda t: ini_set(t, "workload", "modules", "nvme,nvme"),
        r":\d+: \[workload\] modules = nvme,nvme: nvme given twice")
    add("duplicate matrix value", lambda t: t.replace("bs = 4k 64k", "bs = 4k 64k 4k"),
        r":\d+: \[matrix\] bs = 4k 64k 4k: 4k given twice", "nvme")
    for key, sec, val, rng in (
            ("repetitions", "suite", "0", "1 to 1000"),
            ("repetitions", "suite", "1001", "1 to 1000"),
            ("repetitions", "suite", "-3", "1 to 1000"),
            ("repetitions", "suite", "99999999999999999999", "1 to 1000"),
            ("repetitions", "suite", "3x", "1 to 1000"),
            ("repetitions", "suite", "0x3", "1 to 1000"),
            ("repetitions", "suite", "3.0", "1 to 1000"),
            ("repetitions", "suite", "1e3", "1 to 1000"),
            ("repetitions", "suite", "", "1 to 1000"),
            ("warmup", "suite", "101", "0 to 100"),
            ("warmup", "suite", "-1", "0 to 100"),
            ("boot_timeout", "suite", "9", "10 to 86400"),
            ("boot_timeout", "suite", "ten", "10 to 86400"),
            ("boots", "suite", "0", "1 to 100"),
            ("boots", "suite", "101", "1 to 100"),
            ("boot_retries", "suite", "6", "0 to 5"),
            ("runtime", "workload", "0", "1 to 86400"),
            ("runtime", "workload", "86401", "1 to 86400"),
            ("reads", "checks", "0", "1 to 1000000")):
        add("%s = %s" % (key, val or "(empty)"), lambda t, sec=sec, key=key, val=val:
            ini_set(t, sec, key, val),
            r":\d+: \[%s\] %s = %s: expected a whole number from %s" % (
                sec, key, re.escape(val), rng))
    for key, sec, val, rx in (
            ("overhead", "probes", "maybe", "expected yes or no"),
            ("qemu_trace", "suite", "2", "expected yes or no"),
            ("timing", "suite", "fast", "expected wall or icount"),
            ("cmdq", "probes", "uprobe", "expected auto, fentry or kprobe"),
            ("type", "workload", "stress", "expected"),
            ("topology", "suite", "nosuch", "no lab/topology/nosuch.conf"),
            ("nest_parent", "checks", "00:05.0", "expected a full PCI address"),
            ("job", "workload", "nosuchjob", "no .*nosuchjob.fio"),
            ("kernels", "suite", "", "needs kernels"),
            ("device", "workload", "", "needs device"),
            ("trace", "probes", "yes", "with trace or perf_record")):
        add("%s = %s" % (key, val or "(empty)"), lambda t, sec=sec, key=key, val=val:
            ini_set(t, sec, key, val), r":\d+: \[%s\].*%s" % (sec, rx)
            if key not in ("kernels", "device") else r"\[%s\] %s" % (sec, rx))
    for label, name in HOSTILE.items():
        if label == "newline":
            continue  # not one line of the file
        add("fio job is a hostile name (%s)" % label,
            lambda t, name=name: ini_set(t, "workload", "job", name),
            r":\d+: \[workload\] job = %s: fio job '%s" % (re.escape(name), re.escape(shown(name)))
            if len(name) < 100 else r":\d+: line longer than")
    add("fio job reaching a job file from outside (../jobs/randread-4k)",
        lambda t: ini_set(t, "workload", "job", "../jobs/randread-4k"),
        r":\d+: \[workload\] job = \.\./jobs/randread-4k: fio job '\.\./jobs")
    add("fio job template reaching its files from outside", lambda t: t.replace(
        "job = nvme-${IOPATH}", "job = ../jobs/nvme-${IOPATH}"),
        r":\d+: \[workload\] job = \.\./jobs/nvme-\$\{IOPATH\}: .*fio job '\.\./jobs/nvme-block'",
        "nvme")
    add("missing [workload] type", lambda t: ini_set(t, "workload", "type", None),
        r":\d+: \[workload\] needs type")
    add("missing [workload] device", lambda t: ini_set(t, "workload", "device", None),
        r":\d+: \[workload\] needs device")
    add("missing kernels", lambda t: ini_set(t, "suite", "kernels", None),
        r":\d+: \[suite\] needs kernels")
    add("no [workload] section", lambda t: t[: t.index("[workload]")],
        r"\[workload\] needs type")
    add("a key before any section", lambda t: "repetitions = 3\n" + t,
        r":1: repetitions = 3 comes before any \[section\]")
    add("an overlong line", lambda t: ini_set(t, "suite", "description", "x" * 300),
        r":\d+: line longer than")
    add("an overlong section name", lambda t: t + "\n[" + "s" * 60 + "]\n",
        r":\d+: section name longer than")
    add("an indented continuation line", lambda t: t.replace(
        "repetitions = 3", "repetitions = 3\n  4"), r":\d+: an indented line continues")
    add("a NUL byte", lambda t: t.replace("[probes]", "[probes]\x00"), r":\d+: a NUL byte")
    add("not INI", lambda t: "this is [not an ini\n", r":1: not valid INI")
    add("empty file", lambda t: "", r"\[workload\] needs type|\[suite\] needs kernels")
    add("matrix parameter in upper case", lambda t: t.replace("bs = 4k 64k", "BS = 4k 64k"),
        r"\[matrix\] BS.*lower case", "nvme")
    add("matrix value with a slash", lambda t: t.replace("bs = 4k 64k", "bs = 4k ../64k"),
        r"\[matrix\] bs.*value '../64k'", "nvme")
    add("matrix parameter without values", lambda t: t.replace("bs = 4k 64k", "bs ="),
        r"\[matrix\] bs.*no values", "nvme")
    add("matrix of more than 10000 cells", lambda t: t.replace(
        "numjobs = 1 2", "numjobs = 1 2\n" + "\n".join(
            "p%d = %s" % (k, " ".join("v%d" % i for i in range(12))) for k in range(4))),
        r"\[matrix\].*more than 10000 combinations", "nvme")
    add("job names a parameter not in the matrix", lambda t: t.replace(
        "job = nvme-${IOPATH}", "job = nvme-${DEPTH}"),
        r"job = nvme-\$\{DEPTH\}", "nvme")
    return out


def gen_suites():
    for i, (name, fn, rx, base) in enumerate(suite_mutations()):
        def setup(d, fx, fn=fn, base=base):
            write(d + "/s.conf", fn(read("%s/%s.conf" % (fx, base))))
        # invlab run and invlab lab read the same suite; each case both ways
        case("suite", "run: " + name,
             [INVLAB, "run", "--suite", "{d}/s.conf", "--out", "{d}/out"],
             "invlab: error: " + re.escape("{d}/s.conf") + ".*" + rx, setup=setup)
        case("suite", "lab: " + name,
             [INVLAB, "lab", "--suite", "{d}/s.conf", "--results", "{d}/results"],
             "invlab: error: " + re.escape("{d}/s.conf") + ".*" + rx, setup=setup)
        case("suite", "lava-job: " + name, LAVA_JOB + ["--suite", "{d}/s.conf"],
             "invlab: error: " + re.escape("{d}/s.conf") + ".*" + rx, setup=setup)
    for label, name in HOSTILE.items():
        if label in ("space", "newline"):
            continue
        case("suite", "lab: kernel label is a hostile name (%s)" % label,
             [INVLAB, "lab", "--suite", "{d}/s.conf", "--results", "{d}/results"],
             "invlab: error: " + re.escape("{d}/s.conf") + (".*kernel label '%s" %
             re.escape(shown(name)) if len(name) < 100 else r":\d+: line longer than"),
             setup=lambda d, fx, name=name: write(d + "/s.conf", ini_set(
                 read(fx + "/smoke.conf"), "suite", "kernels", "lab " + name)))
    case("suite", "run: the suite is a directory",
         [INVLAB, "run", "--suite", "{d}/s.conf", "--out", "{d}/out"],
         re.escape("{d}/s.conf") + ".*(is a directory|Is a directory)",
         setup=lambda d, fx: os.makedirs(d + "/s.conf"))
    case("suite", "lab: the suite is a directory",
         [INVLAB, "lab", "--suite", "{d}/s.conf", "--results", "{d}/results"],
         re.escape("{d}/s.conf") + ".*(is a directory|Is a directory)",
         setup=lambda d, fx: os.makedirs(d + "/s.conf"))
    case("suite", "run: the suite file does not exist",
         [INVLAB, "run", "--suite", "{d}/nope.conf", "--out", "{d}/out"],
         re.escape("{d}/nope.conf") + ".*No such file")
    case("suite", "lab: no suite of that name",
         [INVLAB, "lab", "--suite", "nosuch", "--results", "{d}/results"],
         r"no suite 'nosuch'")
    case("suite", "run: a suite name with a dot-dot",
         [INVLAB, "run", "--suite", "../../etc/passwd", "--out", "{d}/out"],
         r"\.\./\.\./etc/passwd")


# -- topologies: each a suite of smoke's naming the mutated topology --------

def topo_mutations():
    out = []

    def add(name, fn, rx):
        out.append((name, fn, rx))
    add("unknown section near [machine]", lambda t: t.replace("[machine]", "[machin]"),
        r":\d+: unknown section \[machin\] \(did you mean \[machine\]\?\)")
    add("unknown section near [device NAME]", lambda t: t.replace(
        "[device nic0]", "[devcie nic0]"), r":\d+: unknown section \[devcie nic0\]")
    add("near-miss [machine] key", lambda t: t.replace("smp = 2", "spm = 2"),
        r":\d+: \[machine\] unknown key 'spm' \(did you mean 'smp'\?\)")
    add("unknown [device] property", lambda t: ini_add(t, "device nvme0", "speed = 11"),
        r":\d+: \[device nvme0\] unknown key 'speed'")
    add("unknown [iommu] property", lambda t: ini_add(t, "iommu", "dma-translation = on"),
        r":\d+: \[iommu\] unknown key 'dma-translation'")
    add("unknown driver", lambda t: t.replace("driver = e1000e\nbus = pcie.0\naddr = 0x5",
                                              "driver = e1000\nbus = pcie.0\naddr = 0x5"),
        r":\d+: \[device nic0\] driver = e1000: expected nvme, e1000e")
    add("device without driver", lambda t: ini_set(t, "device nic0", "driver", None),
        r"\[device nic0\] needs driver")
    add("duplicate device section", lambda t: t + "\n[device nvme0]\ndriver = nvme\n",
        r":\d+: \[device nvme0\] given twice")
    add("duplicate key", lambda t: ini_add(t, "machine", "smp = 4"),
        r":\d+: \[machine\] smp given twice")
    add("missing [iommu] device", lambda t: ini_set(t, "iommu", "device", None),
        r"\[iommu\] needs device")
    add("another IOMMU", lambda t: ini_set(t, "iommu", "device", "intel-iommu"),
        r"\[iommu\] device = intel-iommu: expected amd-iommu")
    add("machine type pc", lambda t: ini_set(t, "machine", "type", "pc"),
        r"\[machine\] type = pc: expected q35")
    add("missing machine type", lambda t: ini_set(t, "machine", "type", None),
        r"\[machine\] needs type")
    for key, val, rx in (("smp", "0", "1 to 256"), ("smp", "257", "1 to 256"),
                         ("smp", "two", "1 to 256"), ("smp", "-2", "1 to 256"),
                         ("memory", "2T", "a size in M or G"),
                         ("memory", "lots", "a size in M or G"),
                         ("memory", "-2G", "a size in M or G"),
                         ("memory", "99999999999999999999G", "a size in M or G"),
                         ("cpu", "max,+x y", "a QEMU CPU model"),
                         ("timing", "fast", "expected wall or icount"),
                         ("icount", "shift='7'", "QEMU -icount options")):
        add("[machine] %s = %s" % (key, val), lambda t, key=key, val=val:
            ini_set(t, "machine", key, val),
            r":\d+: \[machine\] %s = %s: .*%s" % (key, re.escape(val), rx))
    for key, val, rx in (("addr", "0x20", "a slot"), ("addr", "zz", "a slot"),
                         ("addr", "04.8", "a slot"), ("addr", "-1", "a slot"),
                         ("disk", "0", "a size"), ("disk", "-1G", "a size"),
                         ("disk", "1T", "a size"), ("disk", "99999999999999999999G", "a size"),
                         ("bus", "bridge9", "expected pcie.0 or the NAME of a bridge"),
                         ("bus", "alias0", "given above it")):
        add("[device nvme0] %s = %s" % (key, val), lambda t, key=key, val=val:
            ini_set(t, "device nvme0", key, val),
            r":\d+: \[device nvme0\] %s = %s: .*%s" % (key, re.escape(val), rx))
    add("a bus that is no bridge", lambda t: ini_set(t, "device alias0", "bus", "nic0"),
        r"\[device alias0\] bus = nic0: \[device nic0\] is a e1000e, not a bridge")
    add("two devices at one address", lambda t: ini_set(t, "device nic0", "addr", "0x4"),
        r"\[device nic0\] addr = 0x4: \[device nvme0\] is at 0x4 on pcie.0 already")
    add("netdev backend unknown", lambda t: t.replace("netdev = user,restrict=on",
                                                      "netdev = slirp", 1),
        r"\[device nic0\] netdev = slirp: expected a QEMU -netdev backend")
    add("device name not a QEMU id", lambda t: t.replace("[device nic0]", "[device 0nic]"),
        r"\[device 0nic\].*NAME is its QEMU id")
    add("device section without a name", lambda t: t + "\n[device ]\ndriver = nvme\n",
        r"unknown section")
    add("a key before any section", lambda t: "smp = 2\n" + t,
        r":1: smp = 2 comes before any \[section\]")
    add("an overlong line", lambda t: ini_set(t, "machine", "append", "x" * 300),
        r":\d+: line longer than")
    add("not INI", lambda t: "[machine\n", r":1: not valid INI")
    add("empty file", lambda t: "", r"\[machine\] needs type")
    return out


def gen_topologies():
    def suite_for(d, fx, topo):
        write(d + "/s.conf", ini_set(read(fx + "/smoke.conf"), "suite", "topology", topo))
    for name, fn, rx in topo_mutations():
        def setup(d, fx, fn=fn):
            write(d + "/t.conf", fn(read(fx + "/default.conf")))
            suite_for(d, fx, d + "/t.conf")
        case("topology", "lab: " + name,
             [INVLAB, "lab", "--suite", "{d}/s.conf", "--results", "{d}/results"],
             "invlab: error: " + re.escape("{d}/t.conf") + ".*" + rx, setup=setup)
    case("topology", "lab: the topology is a directory",
         [INVLAB, "lab", "--suite", "{d}/s.conf", "--results", "{d}/results"],
         re.escape("{d}/t.conf") + ".*(is a directory|Is a directory)",
         setup=lambda d, fx: (os.makedirs(d + "/t.conf"), suite_for(d, fx, d + "/t.conf")))
    case("topology", "lab: the topology does not exist",
         [INVLAB, "lab", "--suite", "{d}/s.conf", "--results", "{d}/results"],
         re.escape("{d}/nope.conf") + ".*No such file",
         setup=lambda d, fx: suite_for(d, fx, d + "/nope.conf"))
    for opt, val, rx in (("--timing", "fast", "--timing: timing = fast: expected wall or icount"),
                         ("--icount", "shift=7", "--icount shift=7: the clock is wall"),
                         ("--icount", "shift='7'", "--icount 'shift='7'': QEMU -icount options")):
        case("topology", "lab: %s %s" % (opt, val),
             [INVLAB, "lab", "--suite", "smoke", opt, val, "--results", "{d}/results"], rx)


# -- the metric policy ------------------------------------------------------

def policy_mutations():
    out = []

    def add(name, fn, rx):
        out.append((name, fn, rx))
    add("misspelt [defaults]", lambda t: t.replace("[defaults]", "[defualts]"),
        r":\d+: unknown section \[defualts\] \(did you mean \[defaults\]\?\)")
    add("near-miss [defaults] key", lambda t: t.replace("alpha = 0.01", "alpah = 0.01"),
        r":\d+: \[defaults\] unknown key 'alpah' \(did you mean 'alpha'\?\)")
    add("unknown metric key", lambda t: ini_add(t, "iops", "colour = red"),
        r":\d+: \[iops\] unknown key 'colour'")
    add("near-miss metric key", lambda t: ini_add(t, "iops", "min_efect = 0.1"),
        r":\d+: \[iops\] unknown key 'min_efect' \(did you mean 'min_effect'\?\)")
    add("duplicate metric section", lambda t: t + "\n[iops]\ndirection = lower\n",
        r":\d+: \[iops\] given twice")
    add("duplicate key", lambda t: ini_add(t, "iops", "direction = lower"),
        r":\d+: \[iops\] direction given twice")
    add("duplicate context word", lambda t: ini_set(t, "context", "ignore",
                                                    "host.uptime_s host.uptime_s"),
        r":\d+: \[context\] ignore = host.uptime_s host.uptime_s: host.uptime_s given twice")
    add("direction sideways", lambda t: ini_set(t, "iops", "direction", "sideways"),
        r":\d+: \[iops\] direction = sideways: expected higher, lower or none")
    add("missing direction", lambda t: ini_set(t, "iops", "direction", None),
        r":\d+: \[iops\] needs direction")
    add("kind fuzzy", lambda t: ini_set(t, "iops", "kind", "fuzzy"),
        r":\d+: \[iops\] kind = fuzzy: expected exact or noisy")
    for sec, key, val, rng in (("iops", "min_effect", "-1", "0 to 10"),
                               ("iops", "min_effect", "11", "0 to 10"),
                               ("iops", "min_effect", "nan", "0 to 10"),
                               ("iops", "min_effect", "inf", "0 to 10"),
                               ("iops", "min_effect", "5%", "0 to 10"),
                               ("iops", "tolerance", "lots", "0 to 10"),
                               ("iops", "icount_min_effect", "1e999", "0 to 10"),
                               ("defaults", "alpha", "0", "1e-06 to 0.5"),
                               ("defaults", "alpha", "0.6", "1e-06 to 0.5")):
        add("%s = %s" % (key, val), lambda t, sec=sec, key=key, val=val:
            ini_set(t, sec, key, val),
            r":\d+: \[%s\] %s = %s: expected a number from %s" % (
                sec, key, re.escape(val), re.escape(rng)))
    for key, val, rng in (("permutations", "10", "99 to 1000000"),
                          ("permutations", "many", "99 to 1000000"),
                          ("seed", "-1", "0 to"),
                          ("min_boots", "1", "2 to 1000"),
                          ("min_boots", "3.5", "2 to 1000")):
        add("%s = %s" % (key, val), lambda t, key=key, val=val:
            ini_set(t, "defaults", key, val),
            r":\d+: \[defaults\] %s = %s: expected a whole number from %s" % (
                key, re.escape(val), rng))
    add("no metric sections", lambda t: "[defaults]\nalpha = 0.01\n", r"no metric sections")
    add("empty file", lambda t: "", r"no metric sections")
    add("a key before any section", lambda t: "alpha = 0.01\n" + t,
        r":1: alpha = 0.01 comes before any \[section\]")
    add("an overlong line", lambda t: ini_set(t, "context", "ignore", "k " * 150),
        r":\d+: line longer than")
    add("not INI", lambda t: "[iops\ndirection = higher\n", r":1: not valid INI")
    return out


def gen_policy():
    cmds = [
        ("compare", ["compare", "--policy", "{d}/p.conf", "{fx}/base", "{fx}/new",
                     "-o", "{d}/cmp.md", "--json", "{d}/cmp.json", "--html", "{d}/cmp.html"]),
        ("nightly report", ["nightly", "report", "--policy", "{d}/p.conf", "--history",
                            "{fx}/hist", "-o", "{d}/nr"]),
    ]
    for i, (name, fn, rx) in enumerate(policy_mutations()):
        for cname, argv in cmds:
            case("policy", "%s: %s" % (cname, name), [INVLAB] + argv,
                 "invlab: error: " + re.escape("{d}/p.conf") + ".*" + rx,
                 setup=lambda d, fx, fn=fn: write(d + "/p.conf", fn(read(fx + "/metrics.conf"))),
                 watch=("{fx}/base", "{fx}/new", "{fx}/hist"))
    case("policy", "compare: --policy is a directory",
         [INVLAB, "compare", "--policy", "{d}/p", "{fx}/base", "{fx}/new", "--json",
          "{d}/cmp.json"], re.escape("{d}/p") + ".*(is a directory|Is a directory)",
         setup=lambda d, fx: os.makedirs(d + "/p"))
    case("policy", "compare: --policy does not exist",
         [INVLAB, "compare", "--policy", "{d}/nope.conf", "{fx}/base", "{fx}/new", "--json",
          "{d}/cmp.json"], re.escape("{d}/nope.conf") + ".*No such file")
    case("policy", "bisect: --metric the policy has no rule for",
         [INVLAB, "bisect", "--ksrc", "{fx}/ksrc", "--good", "HEAD~1", "--bad", "HEAD",
          "--metric", "nosuchmetric", "--policy", "{d}/p.conf", "--step-cmd", "true",
          "--out", "{d}/bisect"], "--metric nosuchmetric: no rule for it",
         setup=lambda d, fx: write(d + "/p.conf", "[iops]\ndirection = higher\n"),
         watch=("{fx}/ksrc",))
    case("policy", "bisect: a bad --policy",
         [INVLAB, "bisect", "--ksrc", "{fx}/ksrc", "--good", "HEAD~1", "--bad", "HEAD",
          "--metric", "iops", "--policy", "{d}/p.conf", "--step-cmd", "true",
          "--out", "{d}/bisect"],
         re.escape("{d}/p.conf") + r":\d+: \[iops\] direction = sideways",
         setup=lambda d, fx: write(d + "/p.conf", ini_set(read(fx + "/metrics.conf"),
                                                          "iops", "direction", "sideways")),
         watch=("{fx}/ksrc",))


# -- the command line -------------------------------------------------------

SUBCOMMANDS = ["lab", "selfcheck", "run", "report", "show", "compare", "calibrate",
               "bisect", "bench", "nightly", "lava-job"]
# invlab lava-job with every option it needs but --suite; the job goes to
# {d}/job.yaml, which a refused job must not leave.
LAVA_JOB = [INVLAB, "lava-job", "--device-type", "x86", "--kernel", "lab", "--kernel-url",
            "http://k/bzImage", "--rootfs", "http://k/rootfs.tar.xz", "-o", "{d}/job.yaml"]


def gen_lava_job():
    smoke = LAVA_JOB + ["--suite", "smoke"]
    for extra, rx in (
            (["--kernel", "6.12"], r"--kernel 6.12: not one of suite smoke's kernels \(7.3 lab\)"),
            (["--boot-method", "pxe"], r"--boot-method pxe: expected ipxe, grub or qemu"),
            (["--qemu-option", "-device amd-iommu"],
             r"--qemu-option: only with --boot-method qemu"),
            (["--timeout", "0"], r"--timeout 0: expected a whole number of minutes from 1"),
            (["--timeout", "1e3"], r"--timeout 1e3: expected a whole number of minutes"),
            (["--db", "postgresql://h/db?a=1&b=2"], r"--db .*'&' would not survive LAVA's secrets"),
            (["--db", "postgresql://h/db;reboot"], r"--db .*';' would not survive"),
            (["--db-env", "INVLAB-DB"], r"--db-env 'INVLAB-DB': a shell variable name"),
            (["--db-env", "1DB"], r"--db-env '1DB': a shell variable name"),
            (["--rootfs", "http://k/r\nfs"], r"--rootfs: byte 0x0a: only printable ASCII"),
            (["--prompt", ""], r"--prompt: empty"),
            (["--kernel-args", "a=\"b\""], r"--kernel-args a=\"b\": no \", \\, \$ or `"),
            (["--kernel-args", "init=`x`"], r"--kernel-args init=`x`: no"),
            (["--device-type", "x86\t"], r"--device-type: byte 0x09"),
            (["--upload", "http://k/\x7f"], r"--upload: byte 0x7f"),
            (["extra"], r"unexpected argument 'extra'")):
        extra = [e.encode().decode("unicode_escape") for e in extra]
        case("cli", "lava-job %s" % " ".join(extra)[:50].replace("\n", "\\n"), smoke + extra, rx)
    for label, name in HOSTILE.items():
        case("cli", "lava-job --host hostile (%s)" % label, smoke + ["--host=" + name],
             r"--host: host name '%s" % re.escape(shown(name)))
    case("cli", "lava-job: --suite missing",
         [INVLAB, "lava-job", "--device-type", "x86", "--kernel", "lab"],
         r"--suite, --device-type and --kernel are required")
    case("cli", "lava-job: no --kernel-url",
         [INVLAB, "lava-job", "--suite", "smoke", "--device-type", "x86", "--kernel", "lab",
          "--rootfs", "x", "-o", "{d}/job.yaml"], r"--kernel-url is required")
    for ctx, rx in (("novalue", r"--context novalue: expected KEY=VALUE"),
                    ("1x=y", r"--context: key '1x': a shell variable name"),
                    ("extra_options=-m 1G", r"--context extra_options=-m 1G: invlab writes extra_options itself"),
                    ("x=a\tb", r"--context: byte 0x09: only printable ASCII")):
        case("cli", "lava-job --context %s" % ctx.replace("\t", "\\t"),
             [INVLAB, "lava-job", "--suite", "smoke", "--device-type", "qemu", "--kernel", "lab",
              "--kernel-url", "file:///k", "--context", ctx, "-o", "{d}/job.yaml"], rx)
    case("cli", "lava-job: no --rootfs for a tftp boot",
         [INVLAB, "lava-job", "--suite", "smoke", "--device-type", "x86", "--kernel", "lab",
          "--kernel-url", "http://k/bzImage", "-o", "{d}/job.yaml"],
         r"--rootfs is required with --boot-method ipxe")
    case("cli", "lava-job: unknown suite", LAVA_JOB + ["--suite", "nosuch"],
         r"no suite 'nosuch'")
    case("cli", "lava-job: -o is a directory", smoke[:-1] + ["{d}/dir"],
         re.escape("{d}/dir"), setup=lambda d, fx: os.makedirs(d + "/dir"))
    case("cli", "lava-job: -o in a directory that does not exist", smoke[:-1] + ["{d}/no/j.yaml"],
         re.escape("{d}/no/j.yaml"))
NIGHTLY = ["append", "merge", "report"]


def gen_cli():
    # --help: every subcommand and nightly's, exit 0, usage on stdout
    for c in SUBCOMMANDS + ["bisect-step"]:
        case("cli", "%s --help exits 0" % c, [INVLAB, c, "--help"], r"^$", status=0,
             stdout=r"(?i)usage")
    for c in NIGHTLY:
        case("cli", "nightly %s --help exits 0" % c, [INVLAB, "nightly", c, "--help"],
             r"^$", status=0, stdout=r"(?i)usage")
    case("cli", "invlab --help exits 0", [INVLAB, "--help"], r"^$", status=0,
         stdout=r"(?i)usage")
    case("cli", "bench probes --help exits 0", [INVLAB, "bench", "probes", "--help"], r"^$",
         status=0, stdout=r"(?i)usage")
    # unknown commands and options
    case("cli", "no command", [INVLAB], r"usage: invlab COMMAND")
    case("cli", "unknown command", [INVLAB, "frobnicate"], r"unknown command 'frobnicate'")
    case("cli", "nightly without a subcommand", [INVLAB, "nightly"], r"usage: invlab nightly")
    case("cli", "nightly: unknown subcommand", [INVLAB, "nightly", "frob"],
         r"unknown subcommand 'frob'")
    for c in SUBCOMMANDS:
        if c in ("nightly", "bench"):
            continue
        case("cli", "%s: unknown option" % c, [INVLAB, c, "--frobnicate"],
             r"unrecognized option '--frobnicate'")
    for c in NIGHTLY:
        case("cli", "nightly %s: unknown option" % c, [INVLAB, "nightly", c, "--frobnicate"],
             r"unrecognized option '--frobnicate'")
    case("cli", "bench probes: unknown option",
         [INVLAB, "bench", "probes", "--frobnicate", "--results", "{d}/results"],
         r"unrecognized option '--frobnicate'")
    case("cli", "bench: unknown benchmark", [INVLAB, "bench", "disks"], r"got disks")
    case("cli", "bench probes: --run-id is refused", [INVLAB, "bench", "probes", "--run-id=x"],
         r"--run-id=x: the runs are named")
    case("cli", "bench probes: --suite without a value", [INVLAB, "bench", "probes", "--suite"],
         r"--suite needs a suite")
    # options without their value
    for argv, opt in ((["lab", "--suite"], "suite"), (["lab", "--run-id"], "run-id"),
                      (["lab", "--boots"], "boots"), (["run", "--out"], "out"),
                      (["compare", "{fx}/base", "{fx}/new", "--json"], "json"),
                      (["compare", "{fx}/base", "{fx}/new", "--policy"], "policy"),
                      (["calibrate", "{fx}/calrun", "--out"], "out"),
                      (["nightly", "report", "--history"], "history"),
                      (["nightly", "append", "--host"], "host"),
                      (["nightly", "merge", "--into"], "into"),
                      (["bisect", "--ksrc"], "ksrc")):
        case("cli", "%s: --%s without its value" % (argv[0], opt), [INVLAB] + argv,
             r"option '--%s' requires an argument" % opt)
    # missing arguments
    for argv, rx in ((["report"], "which run\\? give its directory"),
                     (["show"], "which run\\? give its directory"),
                     (["report", "{fx}/base", "{fx}/new"], "one run directory only"),
                     (["compare"], "give BASE and NEW"),
                     (["compare", "{fx}/base"], "give BASE and NEW"),
                     (["compare", "{fx}/base", "{fx}/new", "{fx}/base"], "two runs only"),
                     (["calibrate"], "give the RUN directory"),
                     (["calibrate", "{fx}/calrun", "{fx}/base"], "one run only"),
                     (["run", "--suite", "smoke"], "--suite and --out are required"),
                     (["run", "--out", "{d}/out"], "--suite and --out are required"),
                     (["bisect", "--ksrc", "{fx}/ksrc"], "--good, --bad and --metric are required"),
                     (["bisect", "--ksrc", "{fx}/ksrc", "--good", "HEAD", "--bad", "HEAD",
                       "--metric", "iops", "extra"], "unexpected argument 'extra'"),
                     (["nightly", "append", "{fx}/base"],
                      "--history DIR or --db URL \\(or INVLAB_DB\\) is required"),
                     (["nightly", "append", "--history", "{d}/h"], "give at least one RUN_DIR"),
                     (["nightly", "merge", "{fx}/hist"],
                      "--into DIR or --db URL \\(or INVLAB_DB\\) is required"),
                     (["nightly", "merge", "--into", "{d}/m"], "give at least one SRC_HISTORY"),
                     (["nightly", "report"],
                      "--history DIR or --db URL \\(or INVLAB_DB\\) is required"),
                     (["nightly", "report", "--history", "{fx}/hist", "extra"],
                      "unexpected argument 'extra'")):
        case("cli", "%s: %s" % (argv[0] if argv[0] != "nightly" else "nightly " + argv[1],
                                "missing or extra arguments (%s)" % " ".join(
                                    a.replace("{fx}/", "") for a in argv[1:])),
             [INVLAB] + argv, rx, watch=("{fx}/hist",))
    # numbers: junk, negative, zero, out of range
    nums = [("lab", "--boots", "1 to 100", ["0", "-1", "101", "abc", "1.5", "", "0x3", " 3",
                                             "99999999999999999999"]),
            ("run", "--runtime", "1 to 86400", ["0", "-5", "86401", "ten", "1e3"]),
            ("run", "--repetitions", "1 to 1000", ["0", "1001", "3x", "-3"]),
            ("nightly report", "--min-runs", "1 to 1000000", ["0", "-1", "junk", "1e3"])]
    for cmd, opt, rng, vals in nums:
        for v in vals:
            extra = {"lab": ["--suite", "smoke", "--results", "{d}/results"],
                     "run": ["--suite", "smoke", "--out", "{d}/out"],
                     "nightly report": ["--history", "{fx}/hist", "-o", "{d}/nr"]}[cmd]
            case("cli", "%s %s %r" % (cmd, opt, v), [INVLAB] + cmd.split() + [
                "%s=%s" % (opt, v)] + extra,
                 r"%s[ =]%s: expected a whole number from %s" % (opt, re.escape(v), rng),
                 watch=("{fx}/hist",))
    case("cli", "nightly report --metric that matches no metric",
         [INVLAB, "nightly", "report", "--history", "{fx}/hist", "--metric", "iosp*", "-o",
          "{d}/nr"], r"--metric iosp\*: no metric of .* matches it", watch=("{fx}/hist",))
    case("cli", "nightly report --metric: one of two matches nothing",
         [INVLAB, "nightly", "report", "--history", "{fx}/hist", "--metric", "iops",
          "--metric", "[", "-o", "{d}/nr"], r"--metric \[: no metric", watch=("{fx}/hist",))
    case("cli", "nightly report --plots sideways",
         [INVLAB, "nightly", "report", "--history", "{fx}/hist", "--plots=sideways", "-o",
          "{d}/nr"], r"--plots=sideways: expected changed, all or none", watch=("{fx}/hist",))
    # hostile names as options
    for label, name in HOSTILE.items():
        case("cli", "lab --run-id hostile (%s)" % label,
             [INVLAB, "lab", "--suite", "smoke", "--run-id=" + name, "--results", "{d}/results"],
             r"--run-id: run id '%s" % re.escape(shown(name)))
        case("cli", "lab --kernel hostile (%s)" % label,
             [INVLAB, "lab", "--suite", "smoke", "--kernel=" + name, "--results",
              "{d}/results"], r"--kernel: kernel label '%s" % re.escape(shown(name)))
        case("cli", "nightly append --host hostile (%s)" % label,
             [INVLAB, "nightly", "append", "--history", "{d}/h", "--host=" + name, "{fx}/base"],
             r"--host: host name '%s" % re.escape(shown(name)), watch=("{fx}/base",))
        case("cli", "calibrate --host hostile (%s)" % label,
             [INVLAB, "calibrate", "--host=" + name, "{fx}/calrun"],
             r"--host: host name '%s" % re.escape(shown(name)), watch=("{fx}/calrun",))
    # paths that are not there, or not what they should be
    for argv, rx in ((["report", "{d}/nope"], re.escape("{d}/nope") + ": no such run directory"),
                     (["show", "{d}/nope"], re.escape("{d}/nope") + ": no such run directory"),
                     (["report", "{d}"], re.escape("{d}") + " is not an invlab run"),
                     (["compare", "{d}/nope", "{fx}/base"], re.escape("{d}/nope") + ": no such"),
                     (["compare", "{fx}/base", "{d}/nope"], re.escape("{d}/nope") + ": no such"),
                     (["compare", "{fx}/base", "{fx}/base/nocell"],
                      re.escape("{fx}/base/nocell") + ": no such"),
                     (["calibrate", "--host", "x", "{d}/nope"],
                      re.escape("{d}/nope") + ": no such run directory"),
                     (["nightly", "append", "--history", "{d}/h", "{d}/nope"],
                      re.escape("{d}/nope") + " is not a run directory"),
                     (["nightly", "append", "--history", "{d}/h", "{fx}/base/k"],
                      re.escape("{fx}/base/k") + " is not a run directory"),
                     (["lab", "--resume", "{d}/nope"], "--resume " + re.escape("{d}/nope")),
                     (["lab", "--resume", "{fx}/base"],
                      "--resume " + re.escape("{fx}/base") + ".*(no plan|not a run)"),
                     (["bisect", "--ksrc", "{d}/nope", "--good", "A", "--bad", "B", "--metric",
                       "iops", "--out", "{d}/b"], "--ksrc " + re.escape("{d}/nope") +
                      " is not a git tree"),
                     (["bisect", "--ksrc", "{fx}/ksrc", "--good", "nosuchrev", "--bad", "HEAD",
                       "--metric", "iops", "--step-cmd", "true", "--out", "{d}/b"],
                      "--good nosuchrev is not a commit of"),
                     (["bisect", "--ksrc", "{fx}/ksrc", "--good", "HEAD", "--bad", "nosuchrev",
                       "--metric", "iops", "--step-cmd", "true", "--out", "{d}/b"],
                      "--bad nosuchrev is not a commit of"),
                     (["bisect", "--ksrc", "{fx}/ksrc", "--good", "HEAD~1", "--bad", "HEAD",
                       "--metric", "iops", "--step-cmd", "true", "--out", "{fx}/base"],
                      re.escape("{fx}/base") + " exists already")):
        case("cli", "%s: %s" % (argv[0], " ".join(a.replace("{d}/", "").replace("{fx}/", "")
                                                   for a in argv[1:])[:60]),
             [INVLAB] + argv, rx, watch=("{fx}/base", "{fx}/ksrc"))
    case("cli", "lab --kernel given twice",
         [INVLAB, "lab", "--suite", "smoke", "--kernel", "lab", "--kernel", "7.3", "--kernel",
          "lab", "--results", "{d}/results"], r"--kernel lab given twice")
    case("cli", "calibrate --out holding another host's calibration",
         [INVLAB, "calibrate", "--host", "lab-z", "--out", "{d}/cal.json", "{fx}/calrun"],
         re.escape("{d}/cal.json") + " is the calibration of host lab-x, not lab-z",
         setup=copy_from("calib.json", "cal.json"), watch=("{fx}/calrun",))
    # bisect's suite, kernel and cell: checked before it clones or measures
    bis = [INVLAB, "bisect", "--ksrc", "{fx}/ksrc", "--good", "HEAD~1", "--bad", "HEAD",
           "--metric", "iops", "--out", "{d}/b"]
    case("cli", "bisect: --suite that does not exist", bis + ["--suite", "nosuch"],
         r"no suite 'nosuch'", watch=("{fx}/ksrc",))
    case("cli", "bisect: --suite that is a bad suite", bis + ["--suite", "{d}/s.conf"],
         re.escape("{d}/s.conf") + r":\d+: \[suite\] unknown key 'colour'",
         setup=lambda d, fx: write(d + "/s.conf", ini_add(read(fx + "/smoke.conf"), "suite",
                                                          "colour = red")),
         watch=("{fx}/ksrc",))
    for label in ("dotdot", "slash", "leading-dash", "300-chars"):
        name = HOSTILE[label]
        case("cli", "bisect --kernel hostile (%s)" % label, bis + ["--kernel=" + name],
             r"--kernel: kernel label '%s" % re.escape(shown(name)), watch=("{fx}/ksrc",))
        case("cli", "bisect --cell hostile (%s)" % label,
             bis + ["--cell=" + name, "--step-cmd", "true"],
             r"--cell: cell '%s" % re.escape(shown(name)), watch=("{fx}/ksrc",))
    # outputs that are directories: nothing else written either
    case("cli", "compare: --json is a directory, -o is not written",
         [INVLAB, "compare", "{fx}/base", "{fx}/new", "-o", "{d}/cmp.md", "--json", "{d}/j"],
         re.escape("{d}/j"), setup=lambda d, fx: os.makedirs(d + "/j"))
    case("cli", "compare: -o is a directory, --json is not written",
         [INVLAB, "compare", "{fx}/base", "{fx}/new", "-o", "{d}/o", "--json", "{d}/cmp.json"],
         re.escape("{d}/o"), setup=lambda d, fx: os.makedirs(d + "/o"))
    case("cli", "compare: --html is a directory, -o and --json are not written",
         [INVLAB, "compare", "{fx}/base", "{fx}/new", "-o", "{d}/cmp.md", "--json",
          "{d}/cmp.json", "--html", "{d}/h"],
         re.escape("{d}/h"), setup=lambda d, fx: os.makedirs(d + "/h"))
    case("cli", "compare: -o in a directory that does not exist",
         [INVLAB, "compare", "{fx}/base", "{fx}/new", "-o", "{d}/no/cmp.md", "--json",
          "{d}/cmp.json"], re.escape("{d}/no/cmp.md"))
    case("cli", "report: report.html is a directory, report.md is not written",
         [INVLAB, "report", "{d}/run"], re.escape("{d}/run/report.html"),
         setup=chain(copy_from("base", "run"), lambda d, fx: os.makedirs(d + "/run/report.html")))
    case("cli", "report: plots is a file, no report written",
         [INVLAB, "report", "{d}/run"], re.escape("{d}/run/plots") + ": it is not a directory",
         setup=chain(copy_from("base", "run"), replace_file("run/plots", "x\n")))
    case("cli", "compare: plots beside --html is a file, nothing written",
         [INVLAB, "compare", "{fx}/base", "{fx}/new", "-o", "{d}/cmp.md", "--json",
          "{d}/cmp.json", "--html", "{d}/cmp.html"],
         "--html " + re.escape("{d}/cmp.html") + ": .*" + re.escape("{d}/plots"),
         setup=replace_file("plots", "x\n"))
    case("cli", "report: report.md is a directory",
         [INVLAB, "report", "{d}/run"], re.escape("{d}/run/report.md"),
         setup=chain(copy_from("base", "run"), lambda d, fx: os.makedirs(d + "/run/report.md")))
    case("cli", "nightly report: nightly.json is a directory, nightly.md is not written",
         [INVLAB, "nightly", "report", "--history", "{fx}/hist", "-o", "{d}/nr", "--plots=none"],
         re.escape("{d}/nr/nightly.json"),
         setup=lambda d, fx: os.makedirs(d + "/nr/nightly.json"), watch=("{fx}/hist",))
    case("cli", "nightly report: -o is a file",
         [INVLAB, "nightly", "report", "--history", "{fx}/hist", "-o", "{d}/nr"],
         re.escape("{d}/nr"), setup=replace_file("nr", "x\n"), watch=("{fx}/hist",))
    case("cli", "lab: --results is a file",
         [INVLAB, "lab", "--suite", "smoke", "--results", "{d}/results"],
         re.escape("{d}/results"), setup=replace_file("results", "x\n"))
    case("cli", "lab: the run directory exists already",
         [INVLAB, "lab", "--suite", "smoke", "--run-id", "r1", "--results", "{d}/results"],
         re.escape("{d}/results/r1") + " exists already",
         setup=lambda d, fx: os.makedirs(d + "/results/r1"))
    # what existed before a failing command is left as it was
    case("cli", "report: an earlier report.md and report.html stay as they were",
         [INVLAB, "report", "{d}/run"], re.escape("{d}/run/k/result.json") + " is not valid JSON",
         setup=chain(copy_from("base", "run"), replace_file("run/report.md", "# earlier\n"),
                     replace_file("run/report.html", "<p>earlier</p>\n"),
                     replace_file("run/plots/cmdmix.png", "png\n"), truncate("run/k/result.json")))
    case("cli", "compare: earlier -o and --json files stay as they were",
         [INVLAB, "compare", "{fx}/base", "{d}/run", "-o", "{d}/cmp.md", "--json", "{d}/cmp.json"],
         re.escape("{d}/run/k/result.json") + " is not valid JSON",
         setup=chain(copy_from("base", "run"), replace_file("cmp.md", "earlier\n"),
                     replace_file("cmp.json", "{}\n"), truncate("run/k/result.json")))
    case("cli", "nightly report: an earlier report stays as it was",
         [INVLAB, "nightly", "report", "--history", "{d}/h", "-o", "{d}/nr"],
         re.escape("{d}/h/lab-a/") + ".* is not valid JSON",
         setup=chain(copy_from("hist", "h"), replace_file("nr/nightly.md", "earlier\n"),
                     replace_file("nr/nightly.json", "{}\n"),
                     lambda d, fx: truncate("h/lab-a/" + sorted(os.listdir(d + "/h/lab-a"))[0])(d, fx)))
    case("cli", "calibrate: an earlier calibration stays as it was (a run of one boot)",
         [INVLAB, "calibrate", "--host", "lab-x", "--out", "{d}/cal.json", "{d}/one"],
         re.escape("{d}/one") + " has no cell of 3 or more boots",
         setup=chain(copy_from("calib.json", "cal.json"), lambda d, fx: subprocess.run(
             [sys.executable, TOP + "/tests/compare/make-run.py", d + "/one", "k", "1000",
              "0.03", "4", "4", "1", "1"], check=True)))
    case("cli", "calibrate: an earlier calibration stays as it was (a truncated result)",
         [INVLAB, "calibrate", "--host", "lab-x", "--out", "{d}/cal.json", "{d}/run"],
         re.escape("{d}/run/k/result.json") + " is not valid JSON",
         setup=chain(copy_from("calib.json", "cal.json"), copy_from("calrun", "run"),
                     truncate("run/k/result.json")))
    case("cli", "nightly append --replace: the entry stays as it was (a truncated result)",
         [INVLAB, "nightly", "append", "--replace", "--history", "{d}/h", "--host", "lab-a",
          "{d}/run"], re.escape("{d}/run/lab/result.json") + " is not valid JSON",
         setup=lambda d, fx: (shutil.copytree(fx + "/hist", d + "/h"), shutil.copytree(
             fx + "/runs/" + sorted(os.listdir(fx + "/runs"))[0], d + "/run"),
             truncate("run/lab/result.json")(d, fx)))
    # selfcheck and bench probes are invlab lab: the same checks, no boot
    for argv, rx in ((["selfcheck", "--suite", "{d}/s.conf"],
                      re.escape("{d}/s.conf") + r":\d+: \[suite\] unknown key 'colour'"),
                     (["selfcheck", "--run-id=../x"], "--run-id: run id '\\.\\./x"),
                     (["selfcheck", "--boots=0"], "--boots 0: expected a whole number"),
                     (["bench", "probes", "--suite", "{d}/s.conf"],
                      re.escape("{d}/s.conf") + r":\d+: \[suite\] unknown key 'colour'"),
                     (["bench", "probes", "--suite", "nosuch"], "no suite 'nosuch'"),
                     (["bench", "probes", "--boots=0"], "--boots 0: expected a whole number"),
                     (["bench", "probes", "--kernel=a/b"], "--kernel: kernel label 'a/b'")):
        case("cli", " ".join(a.replace("{d}/", "") for a in argv),
             [INVLAB] + argv + ["--results", "{d}/results"], rx,
             setup=lambda d, fx: write(d + "/s.conf", ini_add(read(fx + "/smoke.conf"),
                                                              "suite", "colour = red")))
    # --params of invlab run
    for params, rx in (("bs", "--params bs: 'bs' is not a parameter"),
                       ("depth=3", "--params depth=3: 'depth' is not a parameter"),
                       ("bs=8k,iodepth=1", "--params bs=8k,iodepth=1: bs=8k is not one of the values"),
                       ("iodepth=1", "sweeps bs .*--params bs=VALUE"),
                       ("bs=4k,bs=64k,iodepth=1", "--params bs=4k,bs=64k,iodepth=1: bs given twice")):
        case("cli", "run --params %s" % params,
             [INVLAB, "run", "--suite", "{top}/bench/suites/nvme-shapes.conf", "--out", "{d}/out",
              "--params", params], rx)
    # compare of a run with a cell without a result: no output
    case("cli", "compare: a cell not compared writes no output",
         [INVLAB, "compare", "{d}/a", "{d}/b", "-o", "{d}/cmp.md", "--json", "{d}/cmp.json"],
         "not compared: new cell k2",
         setup=chain(copy_from("base", "a"), copy_from("base", "b"),
                     lambda d, fx: (shutil.copytree(d + "/a/k", d + "/a/k2"),
                                    jdump(d + "/a/run.json", dict(jload(d + "/a/run.json"), kernels=[
                                        {"cell": "k", "label": "k", "status": "complete"},
                                        {"cell": "k2", "label": "k", "status": "complete"}])),
                                    jdump(d + "/b/run.json", dict(jload(d + "/b/run.json"), kernels=[
                                        {"cell": "k", "label": "k", "status": "complete"},
                                        {"cell": "k2", "label": "k", "status": "failed",
                                         "reason": "boot timeout"}])))))


# -- controls: the unmutated inputs are accepted ------------------------------

def gen_controls():
    case("control", "compare of the base runs", [
        INVLAB, "compare", "{fx}/base", "{fx}/new", "-o", "{d}/cmp.md", "--json",
        "{d}/cmp.json", "--policy", "{fx}/metrics.conf", "--calibration", "{fx}/calib.json"],
        r"0 regressed", status=0)
    case("control", "show of the rich run", [INVLAB, "show", "{fx}/rich"], r"^$", status=0)
    case("control", "lava-job of smoke", LAVA_JOB + ["--suite", "smoke"],
         r"job.yaml: LAVA job of suite smoke, kernel lab, 1 cell", status=0)
    case("control", "nightly report of the history",
         [INVLAB, "nightly", "report", "--history", "{d}/h", "-o", "{d}/nr", "--plots=none"],
         r"4 runs", status=0, setup=copy_from("hist", "h"))
    case("control", "lab of smoke's copy, its topology's copy: reaches QEMU",
         [INVLAB, "lab", "--suite", "{d}/s.conf", "--results", "{d}/results"],
         r"qemu-system-x86_64 --version failed", status=2,
         setup=lambda d, fx: (write(d + "/t.conf", read(fx + "/default.conf")),
                              write(d + "/s.conf", ini_set(read(fx + "/smoke.conf"), "suite",
                                                           "topology", d + "/t.conf"))))
    case("control", "lab of nvme's copy: reaches QEMU",
         [INVLAB, "lab", "--suite", "{d}/s.conf", "--results", "{d}/results"],
         r"qemu-system-x86_64 --version failed", status=2,
         setup=lambda d, fx: write(d + "/s.conf", read(fx + "/nvme.conf")))


# ---- running ----------------------------------------------------------------

def run_case(i, c, work, fx):
    d = os.path.join(work, "c%04d" % i)
    os.makedirs(d)
    mark = d + ".qemu"
    if c.setup:
        c.setup(d, fx)
    argv = [subst(a, d, fx) for a in c.argv]
    watch = [subst(w, d, fx) for w in c.watch]
    before = snapshot(d)
    wbefore = [snapshot(w) for w in watch]
    env = dict(os.environ)
    env.update({"PATH": fx + "/bin:" + env.get("PATH", "/usr/bin:/bin"),
                "BADINPUT_QEMU_MARK": mark,
                "INVLAB_CALIBRATION": d + "/calibration",
                "INVLAB_TOP": TOP})
    env.update(c.env)
    try:
        p = subprocess.run(argv, cwd=d, env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=60)
        status, out, err = p.returncode, p.stdout.decode(errors="replace"), \
            p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        status, out, err = "timeout", "", ""
    problems = []
    if status != c.status:
        problems.append("exit %s (want %s)" % (status, c.status))
    rx = subst_rx(c.expect, d, fx)
    if not re.search(rx, err, re.S if rx != "^$" else 0):
        problems.append("stderr does not match /%s/" % rx)
    if c.stdout and not re.search(c.stdout, out):
        problems.append("stdout does not match /%s/" % c.stdout)
    if c.cls != "control":
        what = changed(before, snapshot(d))
        if what:
            problems.append("left output in the case directory: " + what)
        if os.path.exists(mark):
            problems.append("it reached QEMU (%s)" % read(mark).strip()[:80])
    for w, b in zip(watch, wbefore):
        if snapshot(w) != b:
            problems.append("%s changed" % w)
    if c.cls == "control" and "QEMU" in c.name and not os.path.exists(mark):
        problems.append("it did not reach QEMU")
    return problems, status, err, out


# invlab lab (selfcheck, bench probes) runs only in the lab rootfs, where
# lab/enter.sh binds it here: elsewhere (make NATIVE=1) their cases are skipped.
IN_LAB = os.path.exists("/run/invlab/rootfs/.invlab-complete")


ARGP_ERRORS = ("unrecognized option", "requires an argument", "expected a whole number")


def needs_lab(c):
    """invlab lab past its options (argp's errors come first)."""
    return (len(c.argv) > 1 and c.argv[1] in ("lab", "selfcheck", "bench") and c.status == 2
            and not any(e in c.expect for e in ARGP_ERRORS))


def build_cases(info):
    gen_suites()
    gen_topologies()
    gen_policy()
    gen_run_and_result()
    gen_history(info)
    gen_calibration()
    gen_cli()
    gen_lava_job()
    gen_controls()


def main():
    ap = argparse.ArgumentParser(description="invlab's bad-input suite")
    ap.add_argument("-k", help="only cases whose class: name matches this regex")
    ap.add_argument("-j", type=int, default=max(2, (os.cpu_count() or 2) * 2))
    ap.add_argument("--list", action="store_true", help="list the cases, run none")
    ap.add_argument("-v", action="store_true", help="print each case's stderr too")
    a = ap.parse_args()
    t0 = time.monotonic()
    if not os.access(INVLAB, os.X_OK):
        sys.exit("badinput: no %s (make build)" % INVLAB)
    # under build/: the lab rootfs's /tmp goes with the command
    os.makedirs(os.path.join(TOP, "build"), exist_ok=True)
    work = tempfile.mkdtemp(prefix="badinput.", dir=os.path.join(TOP, "build"))
    fx = os.path.join(work, "fx")
    os.makedirs(fx)
    try:
        info = make_fixtures(fx)
    except (subprocess.CalledProcessError, OSError) as e:
        shutil.rmtree(work)
        sys.exit("badinput: the fixtures could not be made: %s" % e)
    build_cases(info)
    cases = [(i, c) for i, c in enumerate(CASES)
             if not a.k or re.search(a.k, "%s: %s" % (c.cls, c.name))]
    if a.list:
        for i, c in cases:
            print("%s: %s" % (c.cls, c.name))
        shutil.rmtree(work)
        return 0
    fx_before = snapshot(fx)
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.j) as ex:
        futs = {ex.submit(run_case, i, c, work, fx): (i, c) for i, c in cases
                if IN_LAB or not needs_lab(c)}
        for f in concurrent.futures.as_completed(futs):
            i, c = futs[f]
            try:
                results[i] = f.result()
            except Exception as e:  # a bug of the case itself
                results[i] = (["the case failed to run: %r" % e], None, "", "")
    by_class = {}
    failed = skipped = 0
    for i, c in cases:
        if i not in results:
            skipped += 1
            print("ok - %s: %s # skip: invlab lab runs only inside the lab rootfs" % (
                c.cls, c.name.replace("\n", "\\n")))
            continue
        problems, status, err, out = results[i]
        n = by_class.setdefault(c.cls, [0, 0])
        n[0] += 1
        label = "%s: %s" % (c.cls, c.name.replace("\n", "\\n"))
        if problems:
            failed += 1
            n[1] += 1
            print("FAIL - %s: %s; stderr: %s" % (label, "; ".join(problems),
                                                 err.strip().replace("\n", " | ")[:400]))
        else:
            print("ok - %s" % label)
            if a.v:
                print("    " + err.strip().replace("\n", "\n    ")[:600])
    if snapshot(fx) != fx_before:
        failed += 1
        print("FAIL - the fixtures changed: %s" % changed(fx_before, snapshot(fx)))
    total = sum(n[0] for n in by_class.values())
    print("badinput: %d cases, %d failed, %d skipped, %.1f s: %s" % (
        total + skipped, failed, skipped, time.monotonic() - t0,
        ", ".join("%s %d%s" % (k, v[0], " (%d failed)" % v[1] if v[1] else "")
                  for k, v in sorted(by_class.items()))))
    if os.environ.get("BADINPUT_KEEP") or failed:
        print("badinput: work directory kept: %s" % work)
    else:
        shutil.rmtree(work)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
