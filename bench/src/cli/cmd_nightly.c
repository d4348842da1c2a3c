// SPDX-License-Identifier: GPL-2.0
/*
 * invlab nightly append | merge | report | migrate: keep a history of runs
 * per lab host, in a directory (--history DIR) or a PostgreSQL database
 * many hosts share (--db URL, or $INVLAB_DB), merge the histories of
 * several hosts, and report trends and change points over the whole of it.
 * report exits 1 when a series ends in a regression (a nightly job can gate
 * on it), 2 on errors, else 0.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/atomic_file.h"
#include "commands.h"
#include "lib/names.h"
#include "nightly/histdb.h"
#include "nightly/history.h"
#include "nightly/nightly.h"
#include "lib/result.h"
#include "lib/util.h"

/* ---- where the history is ------------------------------------------- */

#define DB_DOC "the history database, a libpq URL (default: $INVLAB_DB)"

/*
 * At the end of the options: exactly one of a directory (diropt; NULL:
 * none is possible) and a database, the database from $INVLAB_DB when neither is given.
 */
static void pick_history(struct argp_state *state, const char *diropt,
			 const char *dir, const char **db)
{
	const char *env = getenv("INVLAB_DB");

	if (dir && *db)
		argp_error(state, "give %s or --db URL, not both", diropt);
	if (!dir && !*db && env && *env)
		*db = env;
	if (!dir && !*db)
		argp_error(state, "%s%s--db URL (or INVLAB_DB) is required",
			   diropt ? diropt : "", diropt ? " or " : "");
}

/* ---- append ---------------------------------------------------------- */

struct append_opts {
	const char *history, *db, *host;
	bool replace;
	struct strv runs;
};

static const struct argp_option append_options[] = {
	{ "history", 'H', "DIR", 0, "the history directory", 0 },
	{ "db", 'd', "URL", 0, DB_DOC, 0 },
	{ "host", 'h', "NAME", 0,
	  "file the runs under this host (default: this machine for lab runs, else the result's hostname)",
	  0 },
	{ "replace", 'r', 0, 0,
	  "overwrite an entry of the same host and run id that differs", 0 },
	{ 0 }
};

static error_t append_parse(int key, char *arg, struct argp_state *state)
{
	struct append_opts *o = state->input;

	switch (key) {
	case 'H': o->history = arg; break;
	case 'd': o->db = arg; break;
	case 'h': o->host = arg; break;
	case 'r': o->replace = true; break;
	case ARGP_KEY_ARG: strv_add(&o->runs, arg); break;
	case ARGP_KEY_END:
		pick_history(state, "--history DIR", o->history, &o->db);
		if (!o->runs.n)
			argp_error(state, "give at least one RUN_DIR");
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* One run to append: its entry planned, and what to say of it. */
struct append_item {
	struct hist_append a;
	char *id, *status, *host, *source;
	size_t bad, ncells;
};

/*
 * Plan dir's entry: the run read and checked, its host named, the file it
 * goes to and whether it is there already; nothing written.
 */
static int append_plan(const struct append_opts *o, const char *dir,
		       struct append_item *it)
{
	char err[ERRLEN], *run_json = xasprintf("%s/run.json", dir), *what;
	const char *host = o->host, *source = "--host";
	struct run r;
	int ret = -1;

	if (!path_exists(run_json)) {
		errorf("%s is not a run directory (no run.json): append whole runs",
		       dir);
		free(run_json);
		return -1;
	}
	free(run_json);
	if (run_load(dir, &r, err, sizeof(err))) {
		errorf("%s", err);
		return -1;
	}
	if (!host)
		host = run_host(&r, &source);
	if (!host) {
		errorf("%s: no host name recorded or known; give --host", dir);
		goto out;
	}
	what = o->host ? xstrdup("--host: host name") :
			 xasprintf("%s: host name (from %s)", dir, source);
	if (name_check(what, host, err, sizeof(err)) ||
	    (o->db ? history_append_entry(&r, host, &it->a, err, sizeof(err)) :
		     history_append_plan(o->history, &r, host, o->replace,
					 &it->a, err, sizeof(err)))) {
		errorf("%s", err);
		free(what);
		goto out;
	}
	free(what);
	it->id = xstrdup(r.id);
	it->status = xstrdup(r.status);
	it->host = xstrdup(host);
	it->source = xstrdup(source);
	it->ncells = r.ncells;
	for (size_t i = 0; i < r.ncells; i++)
		it->bad += strcmp(r.cells[i].status, "complete") ||
			   !r.cells[i].result;
	ret = 0;
out:
	run_free(&r);
	return ret;
}

static void append_item_free(struct append_item *it)
{
	history_append_free(&it->a);
	free(it->id);
	free(it->status);
	free(it->host);
	free(it->source);
}

static const char *const said[] = {
	[APPEND_ADDED] = "appended",
	[APPEND_SAME] = "already in the history, unchanged:",
	[APPEND_REPLACED] = "replaced",
};

/* What became of each run, once all are written. */
static void append_said(const struct append_item *items, size_t n,
			const char *db)
{
	for (size_t i = 0; i < n; i++) {
		const struct append_item *it = &items[i];

		if (db)
			printf("%s %s (host %s, run %s, %s, host from %s)\n",
			       said[it->a.outcome], db, it->host, it->id,
			       it->status, it->source);
		else
			printf("%s %s (run %s, %s, host %s from %s)\n",
			       said[it->a.outcome], it->a.path, it->id,
			       it->status, it->host, it->source);
		if (it->bad)
			printf("  %zu of %zu cells not complete: kept with their status, trends skip them\n",
			       it->bad, it->ncells);
	}
}

/* An append to the database failed: nothing of it is there; say how on. */
static void append_db_failed(const struct append_opts *o, const char *err)
{
	char *url = histdb_safe_url(o->db);

	errorf("%s", err);
	errorf("nothing appended; the run directories are still there: append them later with 'invlab nightly append --db %s%s%s RUN_DIR...'",
	       url, o->host ? " --host " : "", o->host ? o->host : "");
	free(url);
}

/*
 * Every planned run into the database in one transaction: an entry of the
 * same host and run there already is the same (byte for byte) or a
 * conflict, unless --replace. 0 or 2.
 */
static int append_db(const struct append_opts *o, struct append_item *items,
		     size_t n)
{
	char err[ERRLEN];
	struct histdb *db = histdb_open(o->db, HISTDB_APPEND, err, sizeof(err));
	int ret = 0;

	if (!db) {
		append_db_failed(o, err);
		return 2;
	}
	if (n > 1)
		say("appending %zu runs to %s", n, histdb_name(db));
	if (histdb_begin(db, err, sizeof(err)))
		ret = -1;
	for (size_t i = 0; i < n && !ret; i++) {
		struct append_item *it = &items[i];
		char *old;

		if (it->a.outcome == APPEND_SAME) /* given twice */
			continue;
		ret = histdb_insert(db, it->host, it->id, it->a.text, &old, err,
				    sizeof(err));
		if (ret || !old)
			continue;
		if (!strcmp(old, it->a.text)) {
			it->a.outcome = APPEND_SAME;
		} else if (o->replace) {
			it->a.outcome = APPEND_REPLACED;
			ret = histdb_replace(db, it->host, it->id, it->a.text,
					     err, sizeof(err));
		} else {
			errorf("%s holds run %s of host %s with other content than %s (the run changed since it was appended?); --replace overwrites it",
			       histdb_name(db), it->id, it->host, o->runs.v[i]);
			errorf("nothing appended to %s", histdb_name(db));
			ret = 2;
		}
		free(old);
	}
	if (!ret) {
		histdb_test_hook_sleep(db);
		ret = histdb_commit(db, err, sizeof(err));
	}
	if (ret)
		histdb_rollback(db);
	if (ret < 0)
		append_db_failed(o, err);
	else if (!ret)
		append_said(items, n, histdb_name(db));
	histdb_close(db);
	return ret ? 2 : 0;
}

static int nightly_append(int argc, char **argv)
{
	struct append_opts o = { 0 };
	struct argp argp = {
		append_options,
		append_parse,
		"RUN_DIR...",
		"Append runs to a nightly history: HISTORY/HOST/RUN_ID.json, or a row of the database (--db). Appending a run again changes nothing. A run that cannot be appended is an error, and then none is.",
		NULL,
		NULL,
		NULL
	};
	struct append_item *items;
	char err[ERRLEN];
	size_t n = 0;
	int ret = 0;

	argp_parse(&argp, argc, argv, 0, NULL, &o);
	/* every run planned before any is written: all of them, or none */
	items = xcalloc(o.runs.n + 1, sizeof(*items));
	for (size_t i = 0; i < o.runs.n && !ret; i++, n++) {
		struct append_item *it = &items[i];

		ret = append_plan(&o, o.runs.v[i], it) ? 2 : 0;
		for (size_t k = 0; k < i && !ret; k++) {
			if (strcmp(items[k].host, it->host) ||
			    strcmp(items[k].id, it->id))
				continue;
			if (items[k].a.len != it->a.len ||
			    memcmp(items[k].a.text, it->a.text, it->a.len)) {
				errorf("%s and %s are both run %s of host %s, with other content: append one of them",
				       o.runs.v[k], o.runs.v[i], it->id,
				       it->host);
				ret = 2;
			}
			it->a.outcome = APPEND_SAME;
		}
	}
	if (!ret && o.db)
		ret = append_db(&o, items, n);
	for (size_t i = 0; i < n && !ret && !o.db; i++) {
		if (history_append_write(&items[i].a, err, sizeof(err))) {
			errorf("%s", err);
			ret = 2;
		}
	}
	if (!ret && !o.db)
		append_said(items, n, NULL);
	for (size_t i = 0; i < n; i++)
		append_item_free(&items[i]);
	free(items);
	strv_free(&o.runs);
	return ret;
}

/* ---- merge ----------------------------------------------------------- */

struct merge_opts {
	const char *into, *db;
	struct strv srcs;
};

static const struct argp_option merge_options[] = {
	{ "into", 'i', "DIR", 0, "the history directory to merge into", 0 },
	{ "db", 'd', "URL", 0,
	  "the history database to merge into (default: $INVLAB_DB)", 0 },
	{ 0 }
};

static error_t merge_parse(int key, char *arg, struct argp_state *state)
{
	struct merge_opts *o = state->input;

	switch (key) {
	case 'i': o->into = arg; break;
	case 'd': o->db = arg; break;
	case ARGP_KEY_ARG: strv_add(&o->srcs, arg); break;
	case ARGP_KEY_END:
		pick_history(state, "--into DIR", o->into, &o->db);
		if (!o->srcs.n)
			argp_error(state, "give at least one SRC_HISTORY");
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int nightly_merge(int argc, char **argv)
{
	struct merge_opts o = { 0 };
	struct argp argp = {
		merge_options,
		merge_parse,
		"SRC_HISTORY...",
		"Merge other hosts' histories (or single HOST directories of them) into one directory, or into the database (--db). Identical entries are skipped; the same host and run with other content is a conflict, and then nothing is copied.",
		NULL,
		NULL,
		NULL
	};
	struct strv problems = { 0 };
	struct merge_stats st;
	struct histdb *db = NULL;
	char err[ERRLEN];
	const char *into;
	int ret = 0;

	argp_parse(&argp, argc, argv, 0, NULL, &o);
	if (o.db) {
		db = histdb_open(o.db, HISTDB_APPEND, err, sizeof(err));
		if (!db) {
			errorf("%s", err);
			strv_free(&o.srcs);
			return 2;
		}
	}
	into = db ? histdb_name(db) : o.into;
	if (db ? histdb_merge(db, o.srcs.v, o.srcs.n, &st, &problems) :
		 history_merge(o.into, o.srcs.v, o.srcs.n, &st, &problems)) {
		for (size_t i = 0; i < problems.n; i++)
			errorf("%s", problems.v[i]);
		errorf("nothing merged into %s", into);
		ret = 2;
	} else {
		printf("merged into %s: %zu entries copied, %zu already there\n",
		       into, st.copied, st.same);
	}
	histdb_close(db);
	strv_free(&problems);
	strv_free(&o.srcs);
	return ret;
}

/* ---- report ---------------------------------------------------------- */

struct report_opts {
	const char *history, *db, *out, *policy;
	struct strv metrics, hosts;
	struct nightly_opts n;
};

static const struct argp_option report_options[] = {
	{ "history", 'H', "DIR", 0, "the history directory", 0 },
	{ "db", 'd', "URL", 0, DB_DOC, 0 },
	{ "output", 'o', "DIR", 0,
	  "write nightly.md, nightly.json and plots/ here (default nightly-report)",
	  0 },
	{ "metric", 'm', "GLOB", 0,
	  "only metrics matching GLOB (repeatable); their series are all plotted",
	  0 },
	{ "host", 'h', "NAME", 0, "only this host (repeatable)", 0 },
	{ "policy", 'p', "FILE", 0,
	  "metric directions and effect sizes (default bench/policy/metrics.conf)",
	  0 },
	{ "plots", 'P', "changed|all|none", 0,
	  "which series get trend plots (default changed: those with change points)",
	  0 },
	{ "min-runs", 'n', "N", 0,
	  "fewest runs in a segment between change points (default 3)", 0 },
	{ 0 }
};

static error_t report_parse(int key, char *arg, struct argp_state *state)
{
	struct report_opts *o = state->input;
	long n;

	switch (key) {
	case 'H': o->history = arg; break;
	case 'd': o->db = arg; break;
	case 'o': o->out = arg; break;
	case 'm': strv_add(&o->metrics, arg); break;
	case 'h': strv_add(&o->hosts, arg); break;
	case 'p': o->policy = arg; break;
	case 'P':
		if (!strcmp(arg, "changed"))
			o->n.plots = PLOTS_CHANGED;
		else if (!strcmp(arg, "all"))
			o->n.plots = PLOTS_ALL;
		else if (!strcmp(arg, "none"))
			o->n.plots = PLOTS_NONE;
		else
			argp_error(state,
				   "--plots=%s: expected changed, all or none",
				   arg);
		break;
	case 'n':
		if (parse_long(arg, 1, 1000000, &n))
			argp_error(
				state,
				"--min-runs=%s: expected a whole number from 1 to 1000000",
				arg);
		o->n.cp.min_runs = (size_t)n;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		pick_history(state, "--history DIR", o->history, &o->db);
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int write_outputs(const struct nightly *n, const struct report_opts *o,
			 const char *source, const char *plot_note)
{
	char *md = xasprintf("%s/nightly.md", o->out);
	char *js = xasprintf("%s/nightly.json", o->out);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_object *doc;
	int e, ret = 0;

	nightly_markdown(n, source, plot_note, f);
	fclose(f);
	e = atomic_write(md, buf, len);
	if (e) {
		errorf("cannot write %s: %s", md, strerror(-e));
		ret = -1;
	} else {
		doc = nightly_json(n, source);
		e = result_write(doc, js);
		if (e) {
			errorf("cannot write %s: %s", js, strerror(-e));
			ret = -1;
		}
		json_object_put(doc);
	}
	if (!ret)
		printf("report: %s\n", md);
	free(buf);
	free(md);
	free(js);
	return ret;
}

static int nightly_report(int argc, char **argv)
{
	struct report_opts o = { .out = "nightly-report" };
	struct argp argp = {
		report_options,
		report_parse,
		NULL,
		"Trends and change points over a whole nightly history (a directory, or the database: --db). Exit status: 0 no series ends in a regression, 1 one does, 2 error.",
		NULL,
		NULL,
		NULL
	};
	char err[ERRLEN], *note = NULL;
	struct histdb *db = NULL;
	const char *source;
	struct history h;
	struct nightly n;
	struct policy p;
	int ret = 2;

	argp_parse(&argp, argc, argv, 0, NULL, &o);
	source = o.history;
	o.n.metrics = &o.metrics;
	if (policy_load(o.policy, &p, err, sizeof(err))) {
		errorf("%s", err);
		goto out_opts;
	}
	if (o.db) {
		db = histdb_open(o.db, HISTDB_READ, err, sizeof(err));
		source = db ? histdb_name(db) : NULL;
	}
	if (o.db ? !db || histdb_load(db, &o.hosts, &h, err, sizeof(err)) :
		   history_load(o.history, &o.hosts, &h, err, sizeof(err))) {
		errorf("%s", err);
		goto out_policy;
	}
	if (!h.n) {
		errorf("%s: no history entries%s (%s; see invlab nightly append)",
		       source, o.hosts.n ? " for the hosts given" : "",
		       o.db ? "none in the database" :
			      "HISTORY/HOST/RUN_ID.json");
		goto out_history;
	}
	for (size_t i = 0; i < o.metrics.n; i++) {
		if (!history_has_metric(&h, o.metrics.v[i])) {
			errorf("--metric %s: no metric of %s matches it",
			       o.metrics.v[i], source);
			goto out_history;
		}
	}
	/* nightly.md and nightly.json writable before anything is drawn */
	if (path_exists(o.out)) {
		char *md = xasprintf("%s/nightly.md", o.out);
		char *js = xasprintf("%s/nightly.json", o.out);
		int bad = output_path_check(md, err, sizeof(err)) ||
			  output_path_check(js, err, sizeof(err));

		free(md);
		free(js);
		if (bad) {
			errorf("-o %s: %s", o.out, err);
			goto out_history;
		}
	}
	if (mkdir_p(o.out, 0755)) {
		errorf("cannot create %s: %s", o.out, strerror(errno));
		goto out_history;
	}
	nightly_analyse(&h, &p, &o.n, &n);
	if (o.n.plots != PLOTS_NONE &&
	    nightly_plots(&n, o.out, err, sizeof(err))) {
		fprintf(stderr, "invlab nightly: warning: no plots: %s\n", err);
		note = xasprintf("not drawn: %s", err);
	}
	if (!write_outputs(&n, &o, source, note)) {
		ret = n.regressed_at_end ? 1 : 0;
		fprintf(stderr,
			"invlab nightly: %zu runs, %zu series, %zu with change points, %zu regressed in the latest segment\n",
			h.n, n.nt, n.with_cp, n.regressed_at_end);
		for (size_t i = 0; i < n.nt; i++) {
			const struct trend *t = &n.t[i];

			if (t->regressed_at_end)
				fprintf(stderr,
					"invlab nightly: REGRESSED: %s / %s / %s / %s since run %s\n",
					t->g->host, t->g->suite, t->g->cell,
					t->metric,
					trend_entry(t, t->cp[t->ncp - 1].run)
						->run_id);
		}
	}
	free(note);
	nightly_free(&n);
out_history:
	history_free(&h);
out_policy:
	histdb_close(db);
	policy_free(&p);
out_opts:
	strv_free(&o.metrics);
	strv_free(&o.hosts);
	return ret;
}

/* ---- migrate --------------------------------------------------------- */

static const struct argp_option migrate_options[] = {
	{ "db", 'd', "URL", 0, DB_DOC, 0 }, { 0 }
};

static error_t migrate_parse(int key, char *arg, struct argp_state *state)
{
	const char **db = state->input;

	switch (key) {
	case 'd': *db = arg; break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END: pick_history(state, NULL, NULL, db); break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int nightly_migrate(int argc, char **argv)
{
	struct argp argp = {
		migrate_options,
		migrate_parse,
		NULL,
		"Bring a history database's schema up to this invlab's version, in one transaction (an empty database gets the whole schema). A newer schema than this invlab knows is refused.",
		NULL,
		NULL,
		NULL
	};
	const char *url = NULL;
	char err[ERRLEN];
	struct histdb *db;

	argp_parse(&argp, argc, argv, 0, NULL, &url);
	db = histdb_open(url, HISTDB_MIGRATE, err, sizeof(err));
	if (!db) {
		errorf("%s", err);
		return 2;
	}
	if (histdb_version_found(db) == HISTDB_VERSION)
		printf("%s: history schema already at version %d\n",
		       histdb_name(db), HISTDB_VERSION);
	else
		printf("%s: history schema migrated from version %d to %d\n",
		       histdb_name(db), histdb_version_found(db),
		       HISTDB_VERSION);
	histdb_close(db);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} subcommands[] = {
	{ "append", nightly_append,
	  "append runs to a history (HISTORY/HOST/RUN_ID.json, or --db URL)" },
	{ "merge", nightly_merge, "merge several hosts' histories into one" },
	{ "report", nightly_report,
	  "trends and change points; exit 1 if a series ends regressed" },
	{ "migrate", nightly_migrate,
	  "bring a history database's schema up to date (--db URL)" },
};

int cmd_nightly(int argc, char **argv)
{
	size_t n = sizeof(subcommands) / sizeof(subcommands[0]);
	bool help = argc > 1 &&
		    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
	FILE *f = help ? stdout : stderr;

	for (size_t i = 0; argc > 1 && i < n; i++) {
		if (!strcmp(argv[1], subcommands[i].name)) {
			/* "invlab nightly append" in argp's messages */
			char *name = xasprintf("invlab nightly %s", argv[1]);
			int ret;

			argv[1] = name;
			ret = subcommands[i].fn(argc - 1, argv + 1);
			free(name);
			return ret;
		}
	}
	if (argc > 1 && !help)
		errorf("nightly: unknown subcommand '%s'", argv[1]);
	fprintf(f, "usage: invlab nightly SUBCOMMAND [OPTION...]\n\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-7s %s\n", subcommands[i].name,
			subcommands[i].help);
	fprintf(f, "\n'invlab nightly SUBCOMMAND --help' for its options.\n");
	return help ? 0 : 2;
}
