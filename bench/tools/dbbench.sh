#!/usr/bin/env bash
# The nightly history in PostgreSQL against the directory history (make
# bench-db, part of make bench), on a private cluster (tests/nightly/
# pgcluster.sh) and statbench's synthetic runs:
#   - 8 processes append 100 runs each at once, one append (one
#     transaction) per run: the rows there (800 expected, none doubled)
#   - the wall time of appending one run, database and directory
#   - nightly report over 1000 runs x 50 metrics, from the database and
#     from the directory (the same report; the time is loading + analysis)
#   - the entry kept as text (what idempotence compares) against JSONB:
#     size on disk and the time to read every entry back
#
#   bench/tools/dbbench.sh BUILD_DIR   (BUILD_DIR/invlab, BUILD_DIR/statbench)
set -euo pipefail
cd "${INVLAB_TOP:?}"
b=${1:?usage: dbbench.sh BUILD_DIR}
invlab=$PWD/$b/invlab
. tests/nightly/pgcluster.sh
work=$b/dbbench
rm -rf "$work" && mkdir -p "$work"
now() { date +%s.%N; }
secs() { printf %.3f "$(echo "$2 - $1" | bc)"; }
sql() { pg_psql invlab -Atc "$1"; }

pg_up
db=$PGURL
echo "db bench: private PostgreSQL 17 cluster on a Unix socket ($PGDIR), fsync off"
$b/statbench synth "$work/synth" 1000 50 20 >/dev/null
runs=("$work"/synth/*)
echo "db bench: ${#runs[@]} synthetic runs x 50 metrics x 20 samples (statbench synth)"

t0=$(now)
for p in 1 2 3 4 5 6 7 8; do
	(for r in "${runs[@]:0:100}"; do
		$invlab nightly append --db "$db" --host "lab$p" "$r" >/dev/null
	done) &
done
wait
t1=$(now)
echo "8 processes x 100 runs appended at once, one transaction a run: $(sql "SELECT count(*) FROM invlab_entry") rows (expected 800), $(sql "SELECT count(*) FROM (SELECT DISTINCT host, run_id FROM invlab_entry) AS d") distinct host+run (800: none doubled), $(secs "$t0" "$t1") s wall"

one() { # seconds per append of each of 20 runs, one invocation each
	local t0 t1
	t0=$(now)
	for r in "${runs[@]:100:20}"; do "$@" "$r" >/dev/null; done
	t1=$(now)
	echo "$t1 $t0" | awk '{printf "%.1f", ($1 - $2) / 20 * 1000}'
}
echo "append of one run (a whole invlab nightly append, mean of 20): database $(one $invlab nightly append --db "$db" --host one) ms, directory $(one $invlab nightly append --history "$work/one" --host one) ms"

say_report() {
	local t0 t1 rc
	t0=$(now)
	rc=0
	$invlab nightly report "$@" >/dev/null 2>&1 || rc=$?
	t1=$(now)
	echo "$(secs "$t0" "$t1") s, exit $rc"
}
$invlab nightly append --db "$db" --host synth "${runs[@]}" >/dev/null 2>&1
$invlab nightly append --history "$work/history" --host synth "${runs[@]}" >/dev/null 2>&1
echo "nightly report over 1000 runs x 50 metrics (change points of every series, plots of the changed ones; exit 1: the synthetic step is a regression):"
echo "  from the database:  $(say_report --db "$db" --host synth -o "$work/report-db")"
echo "  from the directory: $(say_report --history "$work/history" -o "$work/report-files")"
if cmp -s <(grep -v '"history":' "$work/report-db/nightly.json") <(grep -v '"history":' "$work/report-files/nightly.json"); then
	echo "  nightly.json the same from both (but for the line naming the history)"
else
	echo "  nightly.json DIFFERS between the database and the directory"
	exit 1
fi

read_all() { # the seconds to read every entry back: SELECT ...
	local t0 t1
	t0=$(now)
	pg_psql invlab -c "COPY (SELECT $1) TO STDOUT" >/dev/null
	t1=$(now)
	secs "$t0" "$t1"
}
pg_psql invlab -c "CREATE TABLE jsonb_probe AS SELECT entry::jsonb AS j FROM invlab_entry WHERE host = 'synth'"
echo "entries as text (kept) vs JSONB (measured, not used), the 1000 synth entries:"
echo "  size: text $(sql "SELECT pg_size_pretty(sum(pg_column_size(entry))) FROM invlab_entry WHERE host = 'synth'"), JSONB $(sql "SELECT pg_size_pretty(sum(pg_column_size(j))) FROM jsonb_probe") (each compressed as the server stores it)"
echo "  reading all back: text $(read_all "entry FROM invlab_entry WHERE host = 'synth'") s, JSONB as text $(read_all "j::text FROM jsonb_probe") s"
echo "  text keeps the entry byte for byte as the directory history's file: idempotence is a string compare, the report reads the same JSON in the same key order; JSONB would reorder keys and reformat numbers"
