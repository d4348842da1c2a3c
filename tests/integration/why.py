"""Why a lab run failed, as '#' lines for an integration log.

CI keeps only the test's output, not the run directory, so a check that
fails on a run prints this: each cell that is not complete with its error,
and for its last boot the boot record's reason and the console's last lines.
Usage: python3 why.py RUN_DIR [CONSOLE_LINES]
       python3 why.py --message "FAIL MESSAGE"   (the run of each "see results/RUN")"""

import glob
import json
import os
import re
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        return {"status": "unreadable", "error": f"{path}: {e}"}


def tail(path, n):
    try:
        with open(path, errors="replace") as f:
            lines = [re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b-\x1f\x7f]", "", l).rstrip()
                     for l in f]
    except OSError as e:
        return [f"({path}: {e.strerror})"]
    return [l for l in lines if l.strip()][-n:]


def boot_num(path):
    m = re.search(r"boot-(\d+)$", path)
    return int(m.group(1)) if m else 0


def main():
    if sys.argv[1] == "--message":
        seen = []
        for m in re.finditer(r"see (\S*results/[^/\s),]+)", " ".join(sys.argv[2:])):
            if m.group(1) not in seen:
                seen.append(m.group(1))
                why(m.group(1), 12)
        return
    why(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 12)


def why(run, n):
    if not os.path.isdir(run):
        print(f"#   {run}: no run directory")
        return
    r = load(os.path.join(run, "run.json"))
    print(f"#   {run}: run {r.get('status')}: {r.get('error') or ''}".rstrip(": "))
    for cell in sorted(os.listdir(run)):
        d = os.path.join(run, cell)
        if not os.path.isdir(d) or cell.startswith("."):
            continue
        boots = sorted(glob.glob(os.path.join(d, "boot-*")), key=boot_num)
        if not boots and not os.path.exists(os.path.join(d, "result.json")):
            continue
        c = load(os.path.join(d, "result.json"))
        if c.get("status") == "complete":
            continue
        print(f"#   cell {cell}: {c.get('status')}: {c.get('error')}")
        if not boots:
            continue
        b = boots[-1]
        br = load(os.path.join(b, "boot.json"))
        print(f"#   {cell}/{os.path.basename(b)}: {br.get('status')}: {br.get('reason')}")
        for line in tail(os.path.join(b, "console.log"), n):
            print(f"#     | {line}")


if __name__ == "__main__":
    main()
