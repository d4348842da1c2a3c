"""The integration checkers' output: one "ok - " or "FAIL - " line per
check (lab-smoke.sh counts them), then a summary and an exit status."""

counts = {"passed": 0, "failed": 0}


def check(ok, what):
    key = "passed" if ok else "failed"
    counts[key] += 1
    print(f"{'ok' if ok else 'FAIL'} - {what}")
    return ok


def summary():
    """Print the totals; the exit status for the checker."""
    print(f"{counts['passed']} passed, {counts['failed']} failed")
    return 1 if counts["failed"] else 0
