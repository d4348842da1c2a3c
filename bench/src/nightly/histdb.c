// SPDX-License-Identifier: GPL-2.0
/*
 * The database history (histdb.h): connecting, the schema check, appending
 * in one transaction, loading into the same struct history a directory
 * gives (each entry parsed and checked by history_entry_parse), merging
 * directory histories in.
 */
#include "histdb.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct histdb {
	PGconn *c;
	char *name; /* the URL, password elided */
	int found; /* schema version when opened */
};

/* libpq's options whose values are secrets: "password", "sslpassword" */
static bool secret_key(const char *key, size_t len)
{
	return (len == strlen("password") && !strncmp(key, "password", len)) ||
	       (len == strlen("sslpassword") &&
		!strncmp(key, "sslpassword", len));
}

/* The length of a keyword form's value at p: quoted, or up to a space
 * that no backslash escapes (libpq's rules). */
static size_t value_len(const char *p)
{
	size_t n = *p == '\'';

	while (p[n] &&
	       (p[0] == '\'' ? p[n] != '\'' : !isspace((unsigned char)p[n])))
		n += p[n] == '\\' && p[n + 1] ? 2 : 1;
	return n + (p[0] == '\'' && p[n] == '\'');
}

/* "key = value ..." (libpq's keyword form), each secret's value elided */
static void safe_keywords(FILE *f, const char *p)
{
	while (*p) {
		size_t ws = strspn(p, " \t\n\r\f\v"), key, eq, v;

		fprintf(f, "%.*s", (int)ws, p);
		p += ws;
		if (!*p)
			break;
		key = strcspn(p, " \t\n\r\f\v=");
		eq = key + strspn(p + key, " \t\n\r\f\v");
		if (p[eq] != '=') { /* not a key = value pair: left as it is */
			fprintf(f, "%.*s", (int)(key ? key : 1), p);
			p += key ? key : 1;
			continue;
		}
		eq++;
		eq += strspn(p + eq, " \t\n\r\f\v");
		v = value_len(p + eq);
		if (secret_key(p, key))
			fprintf(f, "%.*s***", (int)eq, p);
		else
			fprintf(f, "%.*s", (int)(eq + v), p);
		p += eq + v;
	}
}

/* A URI query's key of len bytes at p, percent-decoded as libpq does. */
static char *uri_key(const char *p, size_t len)
{
	char *k = xasprintf("%.*s", (int)len, p), *o = k;

	for (const char *c = k; *c; c++) {
		unsigned int x;

		if (*c == '%' && isxdigit((unsigned char)c[1]) &&
		    isxdigit((unsigned char)c[2]) && sscanf(c + 1, "%2x", &x)) {
			*o++ = (char)x;
			c += 2;
		} else {
			*o++ = *c;
		}
	}
	*o = '\0';
	return k;
}

/*
 * postgresql://user:PASSWORD@host/db?password=PASSWORD&..., each secret
 * elided. libpq ends the credentials at the first '@' before any '/'; a
 * password with an '@' of its own should be written %40, so up to the last
 * one is elided: what libpq reads and what the writer may have meant.
 */
static void safe_uri(FILE *f, const char *url, const char *scheme)
{
	const char *auth = scheme + 3, *p = url;
	size_t alen = strcspn(auth, "/");
	const char *at = memrchr(auth, '@', alen);
	const char *colon = at ? memchr(auth, ':', at - auth) : NULL;

	if (colon) {
		fprintf(f, "%.*s:***", (int)(colon - url), url);
		p = at;
	}
	while (*p) {
		size_t n = strcspn(p, "?&"), key;
		char *k;

		fprintf(f, "%.*s", (int)n, p);
		p += n;
		if (!*p)
			break;
		fputc(*p++, f);
		key = strcspn(p, "=&");
		if (p[key] != '=')
			continue;
		k = uri_key(p, key);
		if (secret_key(k, strlen(k))) {
			fprintf(f, "%.*s=***", (int)key, p);
			p += strcspn(p, "&");
		}
		free(k);
	}
}

/* A secret of libpq's: its display character is '*' (PQconndefaults). */
static bool secret_option(const PQconninfoOption *o)
{
	return (o->dispchar && o->dispchar[0] == '*') ||
	       secret_key(o->keyword, strlen(o->keyword));
}

/* Each option libpq found in opts as key='value', the secrets elided. */
static void safe_options(FILE *f, const PQconninfoOption *opts)
{
	const char *sep = "";

	for (const PQconninfoOption *o = opts; o->keyword; o++) {
		if (!o->val)
			continue;
		fprintf(f, "%s%s='", sep, o->keyword);
		if (secret_option(o))
			fputs("***", f);
		else
			for (const char *c = o->val; *c; c++)
				fprintf(f, "%s%c",
					strchr("'\\", *c) ? "\\" : "", *c);
		fputc('\'', f);
		sep = " ";
	}
}

/* libpq's own reading of s: no secret, or each one elided */
static bool secrets_hidden(const char *s)
{
	PQconninfoOption *opts = PQconninfoParse(s, NULL);
	bool hidden = true;

	for (const PQconninfoOption *o = opts; o && o->keyword; o++)
		if (secret_option(o) && o->val && strcmp(o->val, "***"))
			hidden = false;
	PQconninfoFree(opts);
	return hidden;
}

char *histdb_safe_url(const char *url)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f;
	const char *scheme = strstr(url, "://");
	PQconninfoOption *opts = PQconninfoParse(url, NULL);

	/* what libpq cannot read may hold a secret in a form not seen here */
	if (!opts)
		return xstrdup("(a connection string libpq cannot read)");
	f = open_memstream(&out, &len);
	if (scheme && strcspn(url, "=") > (size_t)(scheme - url))
		safe_uri(f, url, scheme);
	else
		safe_keywords(f, url);
	fclose(f);
	/*
	 * If libpq still reads a secret in what the walk above left (a form
	 * it missed), the options libpq reads are shown instead.
	 */
	if (!secrets_hidden(out)) {
		free(out);
		f = open_memstream(&out, &len);
		safe_options(f, opts);
		fclose(f);
	}
	PQconninfoFree(opts);
	return out;
}

int histdb_exec(struct pg_conn *c, const char *name, const char *sql,
		int nparams, const char *const *params, struct pg_result **res,
		char *err, size_t err_len)
{
	PGresult *r =
		PQexecParams(c, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		char *msg = xstrdup(r ? PQresultErrorMessage(r) :
					PQerrorMessage(c));

		str_rtrim(msg);
		seterr(err, err_len, "%s: %s", name,
		       *msg ? msg : "no answer from the server");
		free(msg);
		PQclear(r);
		return -1;
	}
	if (res)
		*res = r;
	else
		PQclear(r);
	return 0;
}

static int refuse_version(const struct histdb *db, enum histdb_mode mode,
			  char *err, size_t err_len)
{
	if (db->found > HISTDB_VERSION)
		return seterr(
			err, err_len,
			"%s holds a history of schema version %d, newer than this invlab knows (version %d): use a newer invlab",
			db->name, db->found, HISTDB_VERSION);
	if (!db->found && mode == HISTDB_READ)
		return seterr(
			err, err_len,
			"%s holds no invlab history (no invlab_schema table): append runs to it first (invlab nightly append --db URL RUN_DIR)",
			db->name);
	if (db->found && db->found < HISTDB_VERSION && mode != HISTDB_MIGRATE)
		return seterr(
			err, err_len,
			"%s holds a history of schema version %d, older than this invlab's (version %d): run 'invlab nightly migrate --db URL' first",
			db->name, db->found, HISTDB_VERSION);
	return 0;
}

/* The schema checked, or brought up to date when mode allows. */
static int schema_check(struct histdb *db, enum histdb_mode mode, char *err,
			size_t err_len)
{
	if (histdb_begin(db, err, err_len))
		return -1;
	if (histdb_schema_lock(db->c, db->name, &db->found, err, err_len) ||
	    refuse_version(db, mode, err, err_len) ||
	    (db->found < HISTDB_VERSION && mode != HISTDB_READ &&
	     histdb_schema_upgrade(db->c, db->name, db->found, err, err_len)) ||
	    histdb_commit(db, err, err_len)) {
		histdb_rollback(db);
		return -1;
	}
	return 0;
}

/* The server's notices (CREATE TABLE's implicit index ...) are not ours. */
static void quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

struct histdb *histdb_open(const char *url, enum histdb_mode mode, char *err,
			   size_t err_len)
{
	/* before dbname, so that what the URL says wins */
	static const char *const keys[] = { "connect_timeout",
					    "application_name", "dbname",
					    NULL };
	const char *values[] = { "10", "invlab", url, NULL };
	struct histdb *db = xcalloc(1, sizeof(*db));

	db->name = histdb_safe_url(url);
	db->c = PQconnectdbParams(keys, values, 1);
	if (PQstatus(db->c) != CONNECTION_OK) {
		char *msg = xstrdup(PQerrorMessage(db->c));

		str_rtrim(msg);
		seterr(err, err_len,
		       "cannot connect to the history database %s: %s",
		       db->name, *msg ? msg : "refused");
		free(msg);
		histdb_close(db);
		return NULL;
	}
	PQsetNoticeProcessor(db->c, quiet, NULL);
	if (schema_check(db, mode, err, err_len)) {
		histdb_close(db);
		return NULL;
	}
	return db;
}

const char *histdb_name(const struct histdb *db)
{
	return db->name;
}

int histdb_version_found(const struct histdb *db)
{
	return db->found;
}

void histdb_close(struct histdb *db)
{
	if (!db)
		return;
	PQfinish(db->c);
	free(db->name);
	free(db);
}

int histdb_begin(struct histdb *db, char *err, size_t err_len)
{
	return histdb_exec(db->c, db->name, "BEGIN", 0, NULL, NULL, err,
			   err_len);
}

int histdb_commit(struct histdb *db, char *err, size_t err_len)
{
	return histdb_exec(db->c, db->name, "COMMIT", 0, NULL, NULL, err,
			   err_len);
}

void histdb_rollback(struct histdb *db)
{
	PQclear(PQexec(db->c, "ROLLBACK"));
}

/* The indexed columns are read from the entry by the server itself. */
#define ENTRY_COLUMNS                                                   \
	"j ->> 'host', j ->> 'run_id', j ->> 'suite', j ->> 'status', " \
	"j ->> 'started'"

int histdb_insert(struct histdb *db, const char *host, const char *run_id,
		  const char *text, char **old, char *err, size_t err_len)
{
	const char *params[] = { text, host, run_id };
	PGresult *res;
	int ret = 0;

	*old = NULL;
	if (histdb_exec(db->c, db->name,
			"INSERT INTO invlab_entry "
			"(host, run_id, suite, status, started, entry) "
			"SELECT " ENTRY_COLUMNS ", t "
			"FROM (SELECT $1::text AS t, $1::text::jsonb AS j) AS e "
			"ON CONFLICT (host, run_id) DO NOTHING",
			1, params, &res, err, err_len))
		return -1;
	ret = strcmp(PQcmdTuples(res), "1");
	PQclear(res);
	if (!ret)
		return 0;
	/* there already: committed, since the insert waited for it */
	if (histdb_exec(db->c, db->name,
			"SELECT entry FROM invlab_entry "
			"WHERE host = $1 AND run_id = $2",
			2, params + 1, &res, err, err_len))
		return -1;
	if (PQntuples(res) == 1)
		*old = xstrdup(PQgetvalue(res, 0, 0));
	else
		ret = seterr(err, err_len,
			     "%s: host %s run %s: neither added nor there",
			     db->name, host, run_id);
	PQclear(res);
	return *old ? 0 : ret;
}

int histdb_replace(struct histdb *db, const char *host, const char *run_id,
		   const char *text, char *err, size_t err_len)
{
	const char *params[] = { text, host, run_id };

	return histdb_exec(
		db->c, db->name,
		"UPDATE invlab_entry SET "
		"(host, run_id, suite, status, started, entry) = "
		"(SELECT " ENTRY_COLUMNS ", t "
		"FROM (SELECT $1::text AS t, $1::text::jsonb AS j) AS e) "
		"WHERE host = $2 AND run_id = $3",
		3, params, NULL, err, err_len);
}

void histdb_test_hook_sleep(const struct histdb *db)
{
	const char *s = getenv("INVLAB_TEST_HOOK_DB_SLEEP");
	long n;

	if (!s || parse_long(s, 0, 3600, &n))
		return;
	say("test hook INVLAB_TEST_HOOK_DB_SLEEP: %ld s inside the transaction on %s",
	    n, db->name);
	sleep((unsigned int)n);
}

/* The rows of one query as entries of h. */
static int load_rows(struct histdb *db, PGresult *res, struct history *h,
		     size_t *cap, char *err, size_t err_len)
{
	for (int i = 0; i < PQntuples(res); i++) {
		const char *host = PQgetvalue(res, i, 0);
		const char *run_id = PQgetvalue(res, i, 1);
		char *where = xasprintf("%s (host %s, run %s)", db->name, host,
					run_id);
		struct hist_entry *e;
		int bad;

		h->e = xgrow(h->e, cap, h->n + 1, sizeof(*h->e));
		e = &h->e[h->n];
		bad = history_entry_parse(PQgetvalue(res, i, 2),
					  (size_t)PQgetlength(res, i, 2), where,
					  e, err, err_len);
		if (!bad) {
			h->n++;
			if (strcmp(e->host, host) || strcmp(e->run_id, run_id))
				bad = seterr(
					err, err_len,
					"%s: the entry is of host %s, run %s",
					where, e->host, e->run_id);
		}
		free(where);
		if (bad)
			return -1;
	}
	return 0;
}

int histdb_load(struct histdb *db, const struct strv *hosts, struct history *h,
		char *err, size_t err_len)
{
	size_t cap = 0, nq = hosts && hosts->n ? hosts->n : 1;
	int ret = 0;

	memset(h, 0, sizeof(*h));
	for (size_t i = 0; i < nq && !ret; i++) {
		const char *params[] = { hosts && hosts->n ? hosts->v[i] :
							     NULL };
		PGresult *res;
		bool again = false;

		for (size_t k = 0; k < i && !again; k++)
			again = !strcmp(hosts->v[k], hosts->v[i]);
		if (again) /* --host given twice: its entries once */
			continue;

		ret = histdb_exec(
			db->c, db->name,
			"SELECT host, run_id, entry FROM invlab_entry "
			"WHERE $1::text IS NULL OR host = $1",
			1, params, &res, err, err_len);
		if (!ret) {
			ret = load_rows(db, res, h, &cap, err, err_len);
			PQclear(res);
		}
	}
	if (ret) {
		history_free(h);
		return -1;
	}
	history_sort(h);
	return 0;
}

int histdb_merge(struct histdb *db, char *const *srcs, size_t nsrc,
		 struct merge_stats *st, struct strv *problems)
{
	struct merge_set set;
	char err[ERRLEN];

	bool dberr;

	memset(st, 0, sizeof(*st));
	history_merge_collect(srcs, nsrc, &set, st, problems);
	dberr = histdb_begin(db, err, sizeof(err));
	if (dberr)
		strv_add(problems, err);
	/* every entry compared, even after a conflict: all of them named */
	for (size_t i = 0; i < set.n && !dberr; i++) {
		const struct merge_entry *m = &set.e[i];
		/* the entry as append writes it, so appending it is a no-op */
		size_t len;
		char *text = history_entry_text(m->doc, &len), *old, *where;

		dberr = histdb_insert(db, m->host, m->run_id, text, &old, err,
				      sizeof(err));
		if (dberr) {
			strv_add(problems, err);
		} else if (old) {
			where = xasprintf("%s (host %s, run %s)", db->name,
					  m->host, m->run_id);
			st->same += history_merge_same(m, old, where, problems);
			free(where);
			free(old);
		} else {
			st->copied++;
		}
		free(text);
	}
	if (!problems->n) {
		histdb_test_hook_sleep(db);
		if (histdb_commit(db, err, sizeof(err)))
			strv_add(problems, err);
	}
	if (problems->n) {
		histdb_rollback(db);
		st->copied = 0;
	}
	history_merge_set_free(&set);
	return problems->n ? -1 : 0;
}
