/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A lab's calibration: for each cell and noisy metric of a suite, how much
 * one boot's median and the windows inside a boot vary on this host, from
 * a run of several boots of the same kernel (invlab calibrate). With it, a
 * comparison of fewer boots than the policy's min_boots can still be
 * judged (analysis/judge.h's prior). One file per host:
 *
 *   {"schema": "invlab.calibration", "version": 1, "host": H,
 *    "suites": {SUITE: {CELL: {METRIC: {"boot_sd", "within", "between",
 *               "boots", "windows", "run", "made"}}}}}
 */
#ifndef INVLAB_CALIB_H
#define INVLAB_CALIB_H

#include <json-c/json.h>
#include <stddef.h>

#include "judge.h"
#include "runtab.h"

#define CALIB_SCHEMA "invlab.calibration"
#define CALIB_VERSION 1

struct calib {
	char *path;
	json_object *doc; /* NULL: no calibration for this host */
};

/*
 * The calibration file of host in dir ($INVLAB_CALIBRATION, else
 * results/calibration under the work tree, when dir is NULL): DIR/HOST.json.
 */
char *calib_path(const char *dir, const char *host);
/*
 * Load path. A missing file is no error (c->doc stays NULL: nothing is
 * calibrated); a malformed one is, naming the file.
 */
int calib_load(const char *path, struct calib *c, char *err, size_t err_len);
void calib_free(struct calib *c);
/*
 * The prior for metric in cell of suite: the spread of one boot's median,
 * from the cell itself or, failing that, from any calibrated cell of the
 * suite with the same matrix point (the part of the id after '@'). 0 when
 * found, -1 when not (prior->boot_sd is then NaN).
 */
int calib_prior(const struct calib *c, const char *suite, const char *cell,
		const char *metric, struct judge_ctx *prior);
/*
 * Add the noisy metrics of every cell of r with at least 3 boots to c (a
 * cell's earlier entries are replaced), naming the run. The number of
 * cells calibrated.
 */
size_t calib_add_run(struct calib *c, const struct policy *p,
		     const struct run *r, const char *host);
int calib_write(const struct calib *c, char *err, size_t err_len);

#endif
