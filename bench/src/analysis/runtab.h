/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A run as data: its cells (one per kernel label or matrix point, each a
 * directory with result.json) and, per cell, every metric as one value per
 * window. What show, compare, report, nightly and bisect read.
 */
#ifndef INVLAB_RUNTAB_H
#define INVLAB_RUNTAB_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/json_util.h"
#include "lib/util.h"

struct metric {
	char *name;
	double *v; /* one per window; NaN where the window lacks it */
	int *boot; /* the boot of each window (1 in a run of one boot) */
	size_t n;
};

struct cell {
	char *id; /* the cell's directory name under the run */
	char *status; /* from run.json: complete, failed, timeout, ... */
	char *reason;
	json_object *result; /* NULL when the cell left no result */
	char result_err[ERRLEN];
	struct metric *m;
	size_t nm, cap;
};

struct run {
	char *path; /* as given: the run, or one of its cells */
	char *dir;
	char *id, *suite, *status, *started;
	json_object *json; /* run.json */
	struct cell *cells;
	size_t ncells;
};

/*
 * Load a run directory (with run.json), or one cell of it (a directory
 * whose parent holds run.json: the run then has only that cell).
 * Missing, truncated or foreign files are errors naming the file, and so
 * is a cell's result.json that is there but cannot be read (not JSON, a
 * field of the wrong type: lib/jschema.h): every command refuses such a
 * run before it writes anything. A cell that left no result (its boots
 * failed) is part of the record: c->result is NULL, c->result_err says why.
 */
int run_load(const char *path, struct run *r, char *err, size_t err_len);
void run_free(struct run *r);
const struct cell *run_cell(const struct run *r, const char *id);
/* The cell's guests were timed on the instruction clock (QEMU -icount). */
bool cell_on_icount(const struct cell *c);
const struct metric *cell_metric(const struct cell *c, const char *name);
/* The metric called name among m[0..n) (a cell's, an entry's), or NULL. */
struct metric *metric_find(const struct metric *m, size_t n, const char *name);
/* m[0..n), their names and values, and the array. */
void metrics_free(struct metric *m, size_t n);
/*
 * The values of m that are numbers, into out (m->n long), and the boot of
 * each into boot (when not NULL); their count.
 */
size_t metric_values(const struct metric *m, double *out, int *boot);

/* Metrics of one result document (its samples), appended to c. Exposed for
 * the synthetic benchmark and the tests.
 */
void cell_add_result_metrics(struct cell *c, json_object *result);

/*
 * The host a run belongs to (its history, its calibration): the machine running
 * this for lab runs (the guest's name says nothing), else the hostname the
 * result recorded. Returns a static or run-owned string and what it was
 * taken from.
 */
const char *run_host(const struct run *r, const char **source);

#endif
