#!/usr/bin/env bash
# The nightly history in PostgreSQL (invlab nightly ... --db URL), against a
# private cluster of its own (tests/nightly/pgcluster.sh: a temporary
# directory, a Unix socket only, stopped on every exit): concurrent appends
# of many hosts, idempotence and conflicts, a killed append, hostile names,
# the report equal to the directory history's, merging directories in,
# schema migration and refusal, a database that is down. No QEMU; runs
# inside the lab rootfs as root (make db-test, part of make test).
set -uo pipefail
cd "${INVLAB_TOP:?}"
invlab=$PWD/${INVLAB:-build/invlab}
. tests/nightly/pgcluster.sh
tmp=$(mktemp -d)
trap 'pg_cleanup; rm -rf "$tmp"' EXIT
. tests/expect.sh
sql() { pg_psql invlab -Atc "$1"; }
re() { sed 's/[][\.*^$?+(){}|]/\\&/g' <<<"$1"; } # a literal in a regex
# nightly.json and nightly.md of two reports, the line naming the history
# aside, and their plot data: byte for byte the same.
same_report() {
	local a=$1 b=$2
	cmp -s <(grep -v '"history":' "$a/nightly.json") <(grep -v '"history":' "$b/nightly.json") &&
		cmp -s <(grep -v '^- history: ' "$a/nightly.md") <(grep -v '^- history: ' "$b/nightly.md") &&
		[ "$(cd "$a" && cat plots/*.dat 2>/dev/null | sha256sum)" = "$(cd "$b" && cat plots/*.dat 2>/dev/null | sha256sum)" ]
}

t0=$(date +%s.%N)
pg_up || { echo "FAIL - cannot start a private PostgreSQL cluster"; exit 1; }
db=$PGURL
mkruns=tests/nightly/make-runs.py
python3 $mkruns "$tmp/runs" --runs 20 --host lab --fail 5 --step 14:iops:0.85 --metrics 2
python3 $mkruns "$tmp/other" --runs 1 --host lab --seed 9

# 8 hosts at once, each its own 20 runs one append at a time, and all 8
# the same 10 runs of one shared host: each row once, none lost.
for p in 1 2 3 4 5 6 7 8; do
	(for r in "$tmp"/runs/*; do
		$invlab nightly append --db "$db" --host "host$p" "$r" || echo "FAILED host$p $r"
		case $r in *[02468]-020000-nightly) ;; *) continue ;; esac
		$invlab nightly append --db "$db" --host shared "$r" || echo "FAILED shared $r"
	done) >"$tmp/conc.$p" 2>&1 &
done
wait
rows=$(sql "SELECT count(*) FROM invlab_entry")
hosts=$(sql "SELECT count(DISTINCT host) FROM invlab_entry")
per_host=$(sql "SELECT min(n) || ' ' || max(n) FROM (SELECT count(*) AS n FROM invlab_entry GROUP BY host) AS c")
added=$(cat "$tmp"/conc.* | grep -c "^appended .*(host shared, ")
same=$(cat "$tmp"/conc.* | grep -c "^already in the history, unchanged: .*(host shared, ")
if [ "$rows" = 170 ] && [ "$hosts" = 9 ] && [ "$per_host" = "10 20" ] && [ "$added" = 10 ] &&
	[ "$same" = 70 ] && ! grep -q FAILED "$tmp"/conc.*; then
	ok "concurrent appends, 8 processes x 20 runs, and 8 x the same 10: 170 rows, each host 20 (shared 10), each shared run appended once"
else
	notok "concurrent appends: $rows rows (want 170), $hosts hosts, per host $per_host, shared appended $added / unchanged $same: $(cat "$tmp"/conc.* | grep -v '^appended\|^already\|cells not complete' | head -5)"
fi

r1=$tmp/runs/20260101-020000-nightly
before=$(sql "SELECT md5(entry) FROM invlab_entry WHERE host = 'host1' AND run_id = '20260101-020000-nightly'")
expect 0 "already in the history, unchanged: .*host host1, run 20260101-020000-nightly" \
	"append again: no-op" -- $invlab nightly append --db "$db" --host host1 "$r1"
expect 2 "holds run 20260101-020000-nightly of host host1 with other content than $tmp/other/20260101-020000-nightly.*--replace" \
	"append: other content under the same host and run id is a conflict naming both" -- \
	$invlab nightly append --db "$db" --host host1 "$tmp/other/20260101-020000-nightly"
[ "$before" = "$(sql "SELECT md5(entry) FROM invlab_entry WHERE host = 'host1' AND run_id = '20260101-020000-nightly'")" ] &&
	ok "append: a conflict changes nothing" || notok "append: a conflict changed the entry"
expect 0 "^replaced .*host host9, run 20260101-020000-nightly" "append --replace: the new content replaces the old" -- \
	bash -c "$invlab nightly append --db '$db' --host host9 '$r1' >/dev/null && $invlab nightly append --db '$db' --host host9 --replace '$tmp/other/20260101-020000-nightly'"
[ "$(sql "SELECT status FROM invlab_entry WHERE host = 'host1' AND run_id = '20260106-020000-nightly'")" = failed ] &&
	ok "append: a failed run is kept with its status" || notok "append: failed run's status not kept"
exp=$(sql "SELECT count(*) FROM invlab_entry")
expect 2 "holds run 20260101.* with other content" "append: several runs, one conflicting: none of them written" -- \
	$invlab nightly append --db "$db" --host host10 "$tmp/runs/20260102-020000-nightly" --host host9 "$r1"
[ "$(sql "SELECT count(*) FROM invlab_entry")" = "$exp" ] && ok "append: all or nothing" || notok "append: partly written"

# A killed append (kill -9 inside its transaction): nothing of it stays,
# and the same append works after.
INVLAB_TEST_HOOK_DB_SLEEP=60 $invlab nightly append --db "$db" --host killed "$tmp"/runs/2026010[1-3]* >"$tmp/killed.out" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "test hook" "$tmp/killed.out" && break; sleep 0.1; done
in_tx=$(sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'invlab' AND state = 'idle in transaction'")
kill -9 $pid
wait $pid 2>/dev/null
[ "$in_tx" = 1 ] && [ "$(sql "SELECT count(*) FROM invlab_entry WHERE host = 'killed'")" = 0 ] &&
	ok "killed append: killed inside its transaction, no entry of it left" ||
	notok "killed append: in transaction $in_tx, rows $(sql "SELECT count(*) FROM invlab_entry WHERE host = 'killed'"): $(cat "$tmp/killed.out")"
expect 0 "appended" "killed append: appending the same runs again works" -- \
	$invlab nightly append --db "$db" --host killed "$tmp"/runs/2026010[1-3]*
[ "$(sql "SELECT count(*) FROM invlab_entry WHERE host = 'killed'")" = 3 ] && ok "killed append: then all 3 there" || notok "killed append: not 3 rows after"

# Hostile names: a host name is refused before any SQL, a metric name and a
# --host filter travel as parameters; the table stays.
hostile="x'); DROP TABLE invlab_entry; --"
expect 2 "host name '.*DROP TABLE" "hostile host name: refused, named" -- \
	$invlab nightly append --db "$db" --host "$hostile" "$r1"
expect 2 "no history entries for the hosts given" "hostile --host filter in report: just no such host" -- \
	$invlab nightly report --db "$db" --host "$hostile" -o "$tmp/rh"
python3 $mkruns "$tmp/hrun" --runs 12 --host lab --step 8:iops:0.8 --metrics 2
python3 - "$tmp/hrun" "$hostile" <<'PY'
import json, os, sys
root, name = sys.argv[1], sys.argv[2] + ' "quoted" \\ ;'
for run in os.listdir(root):
    p = os.path.join(root, run, "lab", "result.json")
    if not os.path.exists(p):
        continue
    r = json.load(open(p))
    for s in r["samples"]:
        s["metrics"][name] = s["metrics"].pop("lat01_ns")
    json.dump(r, open(p, "w"))
PY
$invlab nightly append --db "$db" --host evil "$tmp"/hrun/* >/dev/null 2>&1
$invlab nightly append --history "$tmp/hh" --host evil "$tmp"/hrun/* >/dev/null 2>&1
$invlab nightly report --db "$db" --host evil -o "$tmp/rdb-evil" --plots=all >/dev/null 2>&1
$invlab nightly report --history "$tmp/hh" --host evil -o "$tmp/rfile-evil" --plots=all >/dev/null 2>&1
[ "$(sql "SELECT count(*) FROM invlab_entry WHERE host = 'evil' AND entry LIKE '%DROP TABLE invlab_entry%'")" = 12 ] &&
	grep -q 'DROP TABLE invlab_entry; -- \\"quoted\\"' "$tmp/rdb-evil/nightly.json" &&
	same_report "$tmp/rdb-evil" "$tmp/rfile-evil" &&
	ok "hostile metric name: stored as given, reported the same from the database and from files" ||
	notok "hostile metric name: $(sql "SELECT count(*) FROM invlab_entry WHERE host = 'evil'") rows; reports $(diff "$tmp/rdb-evil/nightly.json" "$tmp/rfile-evil/nightly.json" | head -5)"

# The report from the database is the report from files.
$invlab nightly append --history "$tmp/h" --host host3 "$tmp"/runs/* >/dev/null 2>&1
expect 1 "REGRESSED: host3 / nightly / lab / iops" "report --db: the regression found, exit 1" -- \
	$invlab nightly report --db "$db" --host host3 -o "$tmp/rdb"
$invlab nightly report --history "$tmp/h" -o "$tmp/rfile" >/dev/null 2>&1
same_report "$tmp/rdb" "$tmp/rfile" && ls "$tmp"/rdb/plots/*.dat >/dev/null 2>&1 &&
	ok "report --db: nightly.json, nightly.md and plot data byte for byte those from the directory history" ||
	notok "report --db differs from files: $(diff "$tmp/rdb/nightly.json" "$tmp/rfile/nightly.json" | head -8)"
$invlab nightly report --db "$db" --host host3 --host host3 -o "$tmp/rdb2" >/dev/null 2>&1
same_report "$tmp/rdb2" "$tmp/rfile" && ok "report --db: a host given twice, its entries once" ||
	notok "report --db --host twice differs: $(diff "$tmp/rdb2/nightly.json" "$tmp/rfile/nightly.json" | head -4)"
expect 1 "REGRESSED: host3" "report: the URL from INVLAB_DB" -- \
	env INVLAB_DB="$db" $invlab nightly report --host host3 -o "$tmp/renv"
expect 2 "give --history DIR or --db URL, not both" "report: --history and --db together refused" -- \
	$invlab nightly report --db "$db" --history "$tmp/h" -o "$tmp/rboth"

# Directory histories merged in: one transaction, the directory merge's rules.
$invlab nightly append --history "$tmp/m1" --host m1 "$tmp"/runs/* >/dev/null 2>&1
$invlab nightly append --history "$tmp/m2" --host m2 "$tmp"/runs/2026010* >/dev/null 2>&1
expect 0 "merged into .*: 29 entries copied, 0 already there" "merge --db: two directory histories in" -- \
	$invlab nightly merge --db "$db" "$tmp/m1" "$tmp/m2"
expect 0 ": 0 entries copied, 29 already there" "merge --db: again, nothing copied" -- \
	$invlab nightly merge --db "$db" "$tmp/m1" "$tmp/m2"
expect 0 "already in the history, unchanged" "merge --db: a merged run appended again is a no-op" -- \
	$invlab nightly append --db "$db" --host m1 "$r1"
$invlab nightly append --history "$tmp/m3" --host m1 "$tmp/other/20260101-020000-nightly" >/dev/null 2>&1
$invlab nightly append --history "$tmp/m3" --host m3 "$r1" >/dev/null 2>&1
exp=$(sql "SELECT count(*) FROM invlab_entry")
expect 2 "conflict: .*\(host m1, run 20260101-020000-nightly\) and $tmp/m3/m1/20260101-020000-nightly.json" \
	"merge --db: a conflict names both" -- $invlab nightly merge --db "$db" "$tmp/m3"
[ "$(sql "SELECT count(*) FROM invlab_entry")" = "$exp" ] && ok "merge --db: a conflict writes nothing, not even the new entry" ||
	notok "merge --db: written despite a conflict"

# Migration: a version 1 database made here (the entry text alone), then
# refused until migrated, then read as the directory history is.
pg_psql postgres -c 'CREATE DATABASE old' >/dev/null
v1=${db/\/invlab\?//old?}
pg_psql old -c "CREATE TABLE invlab_schema (version integer NOT NULL);
	INSERT INTO invlab_schema VALUES (1);
	CREATE TABLE invlab_entry (entry text NOT NULL);
	CREATE UNIQUE INDEX invlab_entry_host_run ON invlab_entry (((entry::jsonb) ->> 'host'), ((entry::jsonb) ->> 'run_id'))"
for f in "$tmp"/h/host3/*.json; do
	pg_psql old -v e="$(cat "$f")" <<<"INSERT INTO invlab_entry (entry) VALUES (:'e' || E'\n')"
done
expect 2 "$(re "$v1") holds a history of schema version 1, older than this invlab's \(version 2\): run 'invlab nightly migrate" \
	"schema v1: append refused, naming the URL and versions" -- $invlab nightly append --db "$v1" --host host3 "$r1"
expect 2 "schema version 1, older" "schema v1: report refused" -- $invlab nightly report --db "$v1" -o "$tmp/rold"
# four invlabs migrate at once: the schema lock lets one migrate, and the
# others find version 2 when they get the lock
pids=()
for p in 1 2 3 4; do
	$invlab nightly migrate --db "$v1" >"$tmp/mig.$p" 2>&1 &
	pids+=($!)
done
mig_ok=0
for pid in "${pids[@]}"; do wait "$pid" && mig_ok=$((mig_ok + 1)); done
migrated=$(cat "$tmp"/mig.* | grep -c "history schema migrated from version 1 to 2")
already=$(cat "$tmp"/mig.* | grep -c "already at version 2")
[ $mig_ok = 4 ] && [ "$migrated" = 1 ] && [ "$already" = 3 ] &&
	[ "$(pg_psql old -Atc "SELECT count(*) || ' ' || max(version) FROM invlab_schema")" = "1 2" ] &&
	ok "migrate: v1 -> v2 by four processes at once, migrated once, the other three found it done" ||
	notok "migrate at once: $mig_ok of 4 exit 0, $migrated migrated, $already already done: $(cat "$tmp"/mig.* | head -4)"
expect 0 "already at version 2" "migrate: again, nothing to do" -- $invlab nightly migrate --db "$v1"
$invlab nightly report --db "$v1" -o "$tmp/rold" >/dev/null 2>&1
same_report "$tmp/rold" "$tmp/rfile" &&
	[ "$(pg_psql old -Atc "SELECT count(*) FROM invlab_entry WHERE host = 'host3' AND status = 'failed' AND started = '2026-01-06T02:00:00Z'")" = 1 ] &&
	ok "migrate: columns filled from the entries, the report that of the files" || notok "migrate: report or columns differ"
expect 0 "already in the history, unchanged" "migrate: the migrated entries are found by host and run id" -- \
	$invlab nightly append --db "$v1" --host host3 "$r1"
pg_psql old -c "UPDATE invlab_schema SET version = 3"
for c in "append --host host3 $r1" "report -o $tmp/rnew" "migrate"; do
	expect 2 "$(re "$v1") holds a history of schema version 3, newer than this invlab knows \(version 2\)" \
		"schema v3: ${c%% *} refused, naming the URL and versions" -- $invlab nightly $c --db "$v1"
done
expect 2 "holds no invlab history" "report from an empty database: said so" -- \
	$invlab nightly report --db "${db/\/invlab\?//postgres?}" -o "$tmp/rempty"

# Refused, then down: the URL named (no password), exit 2, runs kept.
expect 2 "cannot connect to the history database postgresql://nobody:\*\*\*@/invlab\?host=$PGDIR: .*nobody" \
	"a refused login: the URL named, password elided" -- \
	$invlab nightly report --db "postgresql://nobody:sekret@/invlab?host=$PGDIR" -o "$tmp/rref"
pg_down
expect 2 "nothing appended; the run directories are still there: append them later with 'invlab nightly append --db $(re "$db") --host host1 RUN_DIR" \
	"database down: append says nothing is lost, and how to append later" -- \
	$invlab nightly append --db "$db" --host host1 "$r1"
[ -f "$r1/run.json" ] && ok "database down: the run directory is untouched" || notok "database down: run directory gone"
expect 2 "cannot connect to the history database $(re "$db"): .*No such file" "database down: append names the URL" -- \
	$invlab nightly append --db "$db" --host host1 "$r1"
expect 2 "cannot connect to the history database $(re "$db"): .*No such file" "database down: report says so" -- \
	$invlab nightly report --db "$db" -o "$tmp/rdown"

echo "db: $passed passed, $failed failed, $(printf %.1f "$(echo "$(date +%s.%N) - $t0" | bc)") s"
[ "$failed" -eq 0 ]
