/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The nightly history in PostgreSQL, for many lab hosts sharing one
 * (libpq): one row per host and run id, the entry kept as the very text
 * the directory history writes (history_entry_text), with host, run_id,
 * suite, status and started as indexed columns filled from it. Every
 * statement takes its data as parameters (PQexecParams), never in its
 * text. Every append and merge is one transaction: all of its entries, or
 * none. The schema is versioned (histdb_schema.c).
 */
#ifndef INVLAB_HISTDB_H
#define INVLAB_HISTDB_H

#include <stdbool.h>
#include <stddef.h>

#include "history.h"

/* The schema this invlab reads and writes (histdb_schema.c). */
#define HISTDB_VERSION 2

struct histdb;

/*
 * url as it may be printed: a password (user:PASSWORD@, password=...)
 * elided as "***". Owned by the caller.
 */
char *histdb_safe_url(const char *url);

enum histdb_mode {
	HISTDB_READ, /* the schema must be this invlab's */
	HISTDB_APPEND, /* the same, an empty database gets it */
	HISTDB_MIGRATE, /* an older schema is brought up to date */
};
/*
 * Connect to url (connect_timeout 10 s unless it says otherwise) and
 * check (or make) its schema. NULL with err naming the
 * URL (password elided) and what is wrong: unreachable, refused, a schema
 * older (not migrating) or newer than this invlab's.
 */
struct histdb *histdb_open(const char *url, enum histdb_mode mode, char *err,
			   size_t err_len);
/* The URL as it may be printed. */
const char *histdb_name(const struct histdb *db);
/* The schema version the database had when opened (0: empty). */
int histdb_version_found(const struct histdb *db);
void histdb_close(struct histdb *db);

int histdb_begin(struct histdb *db, char *err, size_t err_len);
int histdb_commit(struct histdb *db, char *err, size_t err_len);
void histdb_rollback(struct histdb *db);
/*
 * In the open transaction: add text, the entry of host and run_id, unless
 * the database holds one of that host and run id already (committed, or
 * by a transaction that then commits): then *old is its text (free it)
 * and nothing is written. 0, or -1 with err.
 */
int histdb_insert(struct histdb *db, const char *host, const char *run_id,
		  const char *text, char **old, char *err, size_t err_len);
/* In the open transaction: text replaces the entry of host and run_id. */
int histdb_replace(struct histdb *db, const char *host, const char *run_id,
		   const char *text, char *err, size_t err_len);
/*
 * The test hook INVLAB_TEST_HOOK_DB_SLEEP=SECONDS: sleep that long inside
 * the transaction, before it commits (tests kill an append there).
 */
void histdb_test_hook_sleep(const struct histdb *db);

/* Every entry, as history_load (hosts: only those, when any). */
int histdb_load(struct histdb *db, const struct strv *hosts, struct history *h,
		char *err, size_t err_len);
/*
 * history_merge into the database: every source entry checked and
 * compared before the one transaction commits; any problem rolls it back.
 */
int histdb_merge(struct histdb *db, char *const *srcs, size_t nsrc,
		 struct merge_stats *st, struct strv *problems);

/* Schema (histdb_schema.c), on a connection of histdb.c. */
struct pg_conn;
struct pg_result;
/*
 * Run sql with its parameters (text, none NULL) on c, the database name
 * (for errors); *res (when res) is its result, to PQclear. 0, or -1 with
 * err naming the database and what the server said.
 */
int histdb_exec(struct pg_conn *c, const char *name, const char *sql,
		int nparams, const char *const *params, struct pg_result **res,
		char *err, size_t err_len);
/*
 * The schema version of the database (0: none), locking out any other
 * migration until the transaction ends; -1 with err.
 */
int histdb_schema_lock(struct pg_conn *c, const char *name, int *version,
		       char *err, size_t err_len);
/* The steps from version from to HISTDB_VERSION, in the open transaction. */
int histdb_schema_upgrade(struct pg_conn *c, const char *name, int from,
			  char *err, size_t err_len);

#endif
