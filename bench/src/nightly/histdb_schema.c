// SPDX-License-Identifier: GPL-2.0
/*
 * The database history's schema, versioned: invlab_schema holds its
 * version, and each version is an ordered list of SQL steps from the one
 * before. histdb_schema_upgrade applies the missing ones in the caller's
 * transaction, so a database is at one version or the next, never between.
 *
 *   1  invlab_entry (entry): the entry text alone, unique by its host and
 *      run id read from the JSON
 *   2  host, run_id, suite, status and started as columns filled from the
 *      entry, (host, run_id) the primary key, suite, status and started
 *      indexed
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "histdb.h"

static const char *const v1[] = {
	"CREATE TABLE invlab_schema (version integer NOT NULL)",
	"INSERT INTO invlab_schema (version) VALUES (0)",
	"CREATE TABLE invlab_entry (entry text NOT NULL)",
	"CREATE UNIQUE INDEX invlab_entry_host_run ON invlab_entry "
	"(((entry::jsonb) ->> 'host'), ((entry::jsonb) ->> 'run_id'))",
	NULL,
};

static const char *const v2[] = {
	"ALTER TABLE invlab_entry ADD COLUMN host text, ADD COLUMN run_id text, "
	"ADD COLUMN suite text, ADD COLUMN status text, "
	"ADD COLUMN started text",
	"UPDATE invlab_entry SET host = j ->> 'host', run_id = j ->> 'run_id', "
	"suite = j ->> 'suite', status = j ->> 'status', "
	"started = j ->> 'started' "
	"FROM (SELECT ctid AS row, entry::jsonb AS j FROM invlab_entry) AS e "
	"WHERE invlab_entry.ctid = e.row",
	"ALTER TABLE invlab_entry ALTER COLUMN host SET NOT NULL, "
	"ALTER COLUMN run_id SET NOT NULL, ALTER COLUMN suite SET NOT NULL, "
	"ALTER COLUMN status SET NOT NULL, ALTER COLUMN started SET NOT NULL",
	"DROP INDEX invlab_entry_host_run",
	"ALTER TABLE invlab_entry ADD PRIMARY KEY (host, run_id)",
	"CREATE INDEX invlab_entry_suite ON invlab_entry (suite)",
	"CREATE INDEX invlab_entry_status ON invlab_entry (status)",
	"CREATE INDEX invlab_entry_started ON invlab_entry (started)",
	NULL,
};

/* migrations[k]: from version k to k + 1 */
static const char *const *const migrations[HISTDB_VERSION] = { v1, v2 };

/* Any number: the one lock every migration of every invlab takes. */
#define SCHEMA_LOCK "7361120258"

int histdb_schema_lock(struct pg_conn *c, const char *name, int *version,
		       char *err, size_t err_len)
{
	PGresult *res;
	int ret;

	*version = 0;
	if (histdb_exec(c, name,
			"SELECT pg_advisory_xact_lock(" SCHEMA_LOCK ")", 0,
			NULL, NULL, err, err_len) ||
	    histdb_exec(c, name, "SELECT to_regclass('invlab_schema') IS NULL",
			0, NULL, &res, err, err_len))
		return -1;
	ret = !strcmp(PQgetvalue(res, 0, 0), "t");
	PQclear(res);
	if (ret)
		return 0; /* empty */
	if (histdb_exec(c, name, "SELECT max(version) FROM invlab_schema", 0,
			NULL, &res, err, err_len))
		return -1;
	ret = PQgetisnull(res, 0, 0) ? -1 : atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (ret < 0)
		return seterr(
			err, err_len,
			"%s: invlab_schema holds no version: not an invlab history",
			name);
	*version = ret;
	return 0;
}

int histdb_schema_upgrade(struct pg_conn *c, const char *name, int from,
			  char *err, size_t err_len)
{
	char version[16];
	const char *params[] = { version };

	for (int k = from; k < HISTDB_VERSION; k++) {
		for (size_t i = 0; migrations[k][i]; i++) {
			if (histdb_exec(c, name, migrations[k][i], 0, NULL,
					NULL, err, err_len))
				return -1;
		}
	}
	snprintf(version, sizeof(version), "%d", HISTDB_VERSION);
	return histdb_exec(c, name, "UPDATE invlab_schema SET version = $1", 1,
			   params, NULL, err, err_len);
}
