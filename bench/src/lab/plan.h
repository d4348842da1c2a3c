/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A lab run's plan and record: its cells (every kernel at every point of
 * the suite's matrix), each booted the suite's boots times, run.json (the
 * plan, a record per cell with its boots so far, the order they ran in,
 * the status), and resuming a run that did not finish, boot by boot.
 */
#ifndef INVLAB_PLAN_H
#define INVLAB_PLAN_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/util.h"
#include "run/suite.h"
#include "topology.h"

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
	long boots; /* per cell: the suite's, or invlab lab --boots */
	struct lab_timing timing; /* the guests' clock */
	char run_id[128];
	char started[32];
	char *dir; /* absolute: the guest mounts it at the same path */
	/*
	 * A record per cell (run.json's kernels[]): its status over its
	 * boots, and boots[], one record per boot
	 */
	json_object *kernels;
	json_object *order; /* the boots as they ran: "CELL#N" */
};

/* "bs=4k,iodepth=1" as {"bs": "4k", "iodepth": "1"}. */
json_object *lab_params_json(const char *params);

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

/* The record of cell id in r->kernels, or NULL. */
json_object *lab_find_record(const struct lab_run *r, const char *id);
/* The record of cell in r->kernels, made when it has none yet. */
json_object *lab_cell_record(struct lab_run *r, const struct lab_cell *cell);
/*
 * Add boot n's record to its cell's record (replacing one of the same n)
 * and set the cell's status over its boots: complete when all r->boots
 * are, the first failure's status and reason when one failed, else
 * incomplete.
 */
void lab_cell_add_boot(struct lab_run *r, const struct lab_cell *cell, long n,
		       json_object *boot);
/*
 * The cells that share boot n with cell i, in idx (i first), and how
 * many: i and every later cell of the same kernel whose parameters differ
 * only in module.* knobs (knob_boot_params), set by invlab run in the
 * guest, one run after the other. None is taken[] already or kept from
 * an earlier attempt. A suite with share_boot = no, qemu_trace (QEMU's
 * trace is checked boot by boot), hang_first_boot or a guest_script boots
 * each cell alone.
 */
size_t lab_boot_group(const struct lab_run *r, size_t i, long n,
		      const bool *taken, size_t *idx);
/* Whether boot n of cell id completed in an earlier attempt (kept). */
bool lab_boot_kept(const struct lab_run *r, const char *id, long n);
/* DIR/CELL/boot-N: boot n's directory. */
char *lab_boot_dir(const struct lab_run *r, const char *id, long n);
/*
 * An earlier attempt's directory of boot n of cell id moved aside
 * (DIR/CELL/.attempt-A-boot-N), never deleted; its name, or NULL when there
 * was none.
 */
char *lab_boot_move_aside(const struct lab_run *r, const char *id, long n);

void lab_run_free(struct lab_run *r);

#endif
