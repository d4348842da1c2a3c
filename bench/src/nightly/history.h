/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The nightly history: HISTORY/HOST/RUN_ID.json, one compact entry per run
 * (schema invlab.history-entry): per cell its status, a digest of the
 * context that matters for trends (kernel, config, patches, command line,
 * QEMU, topology) and every sample of every metric. Entries are facts;
 * judging them (policy) happens when a report reads them.
 */
#ifndef INVLAB_HISTORY_H
#define INVLAB_HISTORY_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "analysis/runtab.h"
#include "lib/util.h"

#define HISTORY_SCHEMA "invlab.history-entry"
#define HISTORY_VERSION 1

struct hist_cell {
	char *id, *status, *reason;
	char *error; /* why the cell left no result, if it did not */
	json_object *context; /* the digest, keyed like a result's context */
	struct metric *m; /* per metric, one value per window (NaN: none) */
	size_t nm;
};

struct hist_entry {
	char *path; /* the file it was read from */
	char *host, *run_id, *suite, *status, *started;
	struct hist_cell *cells;
	size_t ncells;
};

struct history {
	struct hist_entry *e;
	size_t n;
};

/* The entry of a loaded run as JSON (to be put). */
json_object *history_entry_json(const struct run *r, const char *host);
/* The serialised form: what is written, and what idempotence compares. */
char *history_entry_text(json_object *entry, size_t *len);

enum append_outcome {
	APPEND_ADDED,
	APPEND_SAME,
	APPEND_REPLACED
};

/* Appending one run: its entry, where it goes, and what it will do. */
struct hist_append {
	char *path, *hostdir, *text;
	size_t len;
	enum append_outcome outcome;
};
/*
 * r's entry under host (both names checked), to be appended anywhere:
 * a->text and len, outcome APPEND_ADDED. 0 or -1 with err.
 */
int history_append_entry(const struct run *r, const char *host,
			 struct hist_append *a, char *err, size_t err_len);
/*
 * What appending r's entry to dir/host/run_id.json would do, nothing
 * written: the same entry already there is APPEND_SAME; a different one is
 * an error naming the file, unless replace. 0 or -1 with err.
 */
int history_append_plan(const char *dir, const struct run *r, const char *host,
			bool replace, struct hist_append *a, char *err,
			size_t err_len);
/* Write a planned entry atomically (APPEND_SAME: nothing). 0 or -1. */
int history_append_write(const struct hist_append *a, char *err,
			 size_t err_len);
void history_append_free(struct hist_append *a);

/* Parse and check one entry file (schema, version, fields, metrics). */
int history_entry_load(const char *path, struct hist_entry *e, char *err,
		       size_t err_len);
/* The same for len bytes of text read from where (a database row). */
int history_entry_parse(const char *text, size_t len, const char *where,
			struct hist_entry *e, char *err, size_t err_len);
void history_entry_free(struct hist_entry *e);
/* An entry must be filed as HOST/RUN_ID.json (host NULL: not checked). */
int history_entry_placed(const struct hist_entry *e, const char *host,
			 const char *name, char *err, size_t err_len);
/* Entry files are NAME.json, never hidden (atomic_write's temporaries). */
bool history_is_entry_name(const char *name);
/*
 * Every entry of dir (dir/HOST/RUN_ID.json), hosts limited to hosts when
 * it has any. Entries are ordered by host, then start time, then run id.
 * A malformed file is an error naming it.
 */
int history_load(const char *dir, const struct strv *hosts, struct history *h,
		 char *err, size_t err_len);
/* Order h's entries by host, then start time, then run id. */
void history_sort(struct history *h);
void history_free(struct history *h);
/* Whether a metric of some entry's cell matches glob (fnmatch). */
bool history_has_metric(const struct history *h, const char *glob);

struct merge_stats {
	size_t copied, same;
};
/*
 * Merge the entries of each src (a history, or one HOST directory of one)
 * into into/HOST/. Identical entries are skipped; an entry whose host and
 * run id are already there (or in another source) with other content is a
 * conflict naming both files. Everything is checked before anything is
 * copied, so a failed merge changes nothing. 0, or -1 with every problem
 * in problems.
 */
int history_merge(const char *into, char *const *srcs, size_t nsrc,
		  struct merge_stats *st, struct strv *problems);

/* One source entry of a merge, as read from src (its file). */
struct merge_entry {
	char *src, *host, *run_id, *text;
	size_t len;
	json_object *doc;
};
struct merge_set {
	struct merge_entry *e;
	size_t n, cap;
};
/*
 * The entries of every src, each checked as a report reads it; one of the
 * same host and run id as an earlier one is counted in st->same when
 * identical, else a conflict naming both files in problems.
 */
void history_merge_collect(char *const *srcs, size_t nsrc,
			   struct merge_set *set, struct merge_stats *st,
			   struct strv *problems);
/*
 * Whether text, the entry of m's host and run held at where, is m's (as
 * JSON); if not, the conflict (or unreadable text) in problems.
 */
bool history_merge_same(const struct merge_entry *m, const char *text,
			const char *where, struct strv *problems);
void history_merge_set_free(struct merge_set *set);

#endif
