/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A lab run's plan and record: its cells (every kernel at every point of
 * the suite's matrix), run.json (the plan, the boots so far, the status),
 * and resuming a run that did not finish.
 */
#ifndef INVLAB_PLAN_H
#define INVLAB_PLAN_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/util.h"
#include "run/suite.h"

/* One cell of a run: a kernel at one point of the suite's matrix. */
struct lab_cell {
	char *kernel;
	char *params; /* "bs=4k,iodepth=1", or "" without a matrix */
	char *id; /* its directory: "lab", or "lab@bs=4k+iodepth=1" */
};

/* A lab run: its suite and cells, and what run.json says of it. */
struct lab_run {
	struct suite s;
	struct lab_cell *cells;
	size_t ncells;
	char run_id[128];
	char started[32];
	char *dir; /* absolute: the guest mounts it at the same path */
	json_object *kernels; /* a boot record per cell booted (kernels[]) */
};

/* Every kernel at every point of the matrix, kernel by kernel. */
struct lab_cell *lab_plan_cells(const struct suite *s,
				const struct strv *kernels, size_t *n);

/*
 * DIR/run.json: the suite, the plan, the status ("running", "complete",
 * "failed", "incomplete"; finished unless running) and the boots so far.
 */
int lab_run_write(const struct lab_run *r, const char *status);

/*
 * --resume: the run in dir (absolute) as it was left: its own suite file
 * (unchanged since it started, else an error), id, start, plan, and the
 * boot records of the cells already complete, which are kept as they are.
 */
int lab_run_resume(struct lab_run *r, const char *dir, char *err, size_t len);

/* Whether the cell id completed in an earlier attempt (kept). */
bool lab_cell_kept(const struct lab_run *r, const char *id);

/* An earlier attempt's directory of cell id moved aside, never deleted. */
void lab_cell_move_aside(const struct lab_run *r, const char *id);

void lab_run_free(struct lab_run *r);

#endif
