#!/usr/bin/env python3
"""The tree's architecture, checked (make layout, part of make test):

1. every include between parts of the tree is one tests/layout/layers.conf
   allows (lib at the bottom, cli at the top; docs/architecture.md);
2. no cycle of includes between files;
3. every directory under workloads/ but common is in the Makefile's
   WORKLOADS, and defines its ops, NAME_workload ('-' as '_'), once.

Prints ok/FAIL lines; exits 1 on any FAIL.
"""
import os
import re
import subprocess
import sys

top = sys.argv[1] if len(sys.argv) > 1 else "."
os.chdir(top)
failed = 0


def report(ok, what):
    global failed
    print(("ok - " if ok else "FAIL - ") + "layout: " + what)
    failed += not ok


def part(path):
    d = os.path.dirname(path)
    if d == "workloads" or (d.startswith("workloads/") and d != "workloads/common"):
        return "workloads/*"
    return d


allowed = {}
for line in open("tests/layout/layers.conf"):
    line = line.split("#", 1)[0].strip()
    if line:
        name, _, deps = line.partition(":")
        allowed[name.strip()] = set(deps.split())

files = [f for f in subprocess.check_output(
    ["git", "ls-files", "--cached", "--others", "--exclude-standard",
     "bench/src", "bpf", "workloads"], text=True).split()
    if f.endswith((".c", ".h")) and ".bpf." not in f and os.path.exists(f)]
names = set(files)
graph = {}
bad = []
for f in files:
    deps = []
    for m in re.finditer(r'^\s*#\s*include\s+"([^"]+)"', open(f).read(), re.M):
        inc = m.group(1)
        if "/" not in inc:
            target = os.path.join(os.path.dirname(f), inc)
        elif inc.startswith(("bpf/", "workloads/")):
            target = inc
        else:
            target = "bench/src/" + inc
        if target not in names:
            continue  # generated (skeletons, version.h) or a system header
        deps.append(target)
        a, b = part(f), part(target)
        if a != b and b not in allowed.get(a, set()):
            bad.append(f"{f} includes {target} ({a} may not include {b})")
    graph[f] = deps
unknown = sorted({part(f) for f in files} - set(allowed))
report(not unknown, "every part of the tree has a line in layers.conf" +
       (f": missing {unknown}" if unknown else ""))
report(not bad, f"{len(files)} files include only what layers.conf allows" +
       ("".join("\n  " + b for b in bad)))

# Tarjan's strongly connected components: any with two files is a cycle
index, low, on, stack, cycles, counter = {}, {}, set(), [], [], [0]
sys.setrecursionlimit(10000)


def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in graph.get(v, []):
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            cycles.append(sorted(comp))


for v in graph:
    if v not in index:
        visit(v)
report(not cycles, "no include cycle between files" +
       "".join("\n  cycle: " + " ".join(c) for c in cycles))

mk = open("Makefile").read()
m = re.search(r"^WORKLOADS\s*:=\s*(.*)$", mk, re.M)
listed = m.group(1).split() if m else []
dirs = sorted(d for d in os.listdir("workloads")
              if os.path.isdir(os.path.join("workloads", d)) and d != "common")
report(listed and sorted(listed) == dirs,
       f"the Makefile's WORKLOADS ({' '.join(listed)}) is every workload directory ({' '.join(dirs)})")
for d in dirs:
    sym = d.replace("-", "_") + "_workload"
    defs = [f for f in files if f.startswith(f"workloads/{d}/") and f.endswith(".c")
            and re.search(r"^const struct workload_ops " + sym + r"\b", open(f).read(), re.M)]
    report(len(defs) == 1, f"workloads/{d} defines {sym} once ({', '.join(defs) or 'nowhere'})")
print(f"# layout: {failed} failed")
sys.exit(1 if failed else 0)
