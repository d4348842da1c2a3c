# shellcheck shell=bash
# A private PostgreSQL cluster for the database history's tests and bench
# (tests/nightly/db.sh, make bench-db): initdb into a fresh temporary
# directory, the server on a Unix socket in it and nowhere else (no TCP),
# run as the postgres user (initdb refuses root), stopped and removed on
# every exit of the script that sources this. Sets PGDIR and PGURL (the
# database invlab, user postgres).
#
#   . tests/nightly/pgcluster.sh; pg_up; ...; pg_down (or just exit)
PGBIN=${PGBIN:-/usr/lib/postgresql/17/bin}
PGDIR=
PGURL=

pg_as() { runuser -u postgres -- "$@"; }

pg_down() {
	[ -n "$PGDIR" ] || return 0
	if [ -f "$PGDIR/data/postmaster.pid" ]; then
		pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
}

pg_cleanup() {
	pg_down
	[ -n "$PGDIR" ] && rm -rf "$PGDIR"
	PGDIR=
}

# The server again on the same data directory (after pg_down).
pg_start() {
	pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w -t 30 \
		-o "-k $PGDIR -c listen_addresses='' -c fsync=off -c max_connections=40" \
		start >/dev/null || { cat "$PGDIR/log" >&2; return 1; }
}

pg_up() {
	PGDIR=$(mktemp -d /tmp/invlab-pg.XXXXXX)
	trap pg_cleanup EXIT
	chown postgres: "$PGDIR"
	pg_as "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust \
		--no-sync >"$PGDIR/initdb.log" 2>&1 || { cat "$PGDIR/initdb.log" >&2; return 1; }
	pg_start || return 1
	pg_psql postgres -c 'CREATE DATABASE invlab' >/dev/null || return 1
	PGURL="postgresql:///invlab?host=$PGDIR&user=postgres"
}

# psql on database $1 of the private cluster, quiet, stopping at an error.
pg_psql() {
	local db=$1
	shift
	psql -X -q -v ON_ERROR_STOP=1 -h "$PGDIR" -U postgres -d "$db" "$@"
}
