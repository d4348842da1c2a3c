/* SPDX-License-Identifier: GPL-2.0 */
/* invlab compare: two runs (or cells), metric by metric, under the policy. */
#ifndef INVLAB_COMPARE_H
#define INVLAB_COMPARE_H

#include <json-c/json.h>
#include <stdio.h>

#include "calib.h"
#include "judge.h"
#include "policy.h"
#include "runtab.h"

struct metric_judgement {
	const char *name;
	struct judgement j;
	bool icount; /* both cells timed on the instruction clock */
};

struct cell_pair {
	const struct cell *a, *b;
	struct strv context_diff;
	struct metric_judgement *m;
	size_t nm;
};

struct comparison {
	struct run base, new;
	struct cell_pair *pairs;
	size_t npairs;
	struct strv problems; /* cells without a result, and why: an error */
	struct strv unmatched; /* cells on one side only: a note */
	struct calib cal; /* the base host's calibration (cal.doc NULL: none) */
	size_t regressed, improved, changed, inconclusive;
};

/*
 * Load both sides and judge every metric of every cell present in both.
 * Cells pair by id; two single-cell sides pair whatever their ids (so
 * RUN/7.3 can be compared with RUN/lab). cal_path: the calibration file
 * (NULL: the base run's host's, calib_path()). 0, or -1 with err naming the
 * input.
 */
int compare_runs(const char *base, const char *new, const struct policy *p,
		 const char *cal_path, struct comparison *c, char *err,
		 size_t err_len);
/*
 * Judge two already-loaded cells into pair (used by nightly and bisect);
 * cal (may be NULL) gives the boot-to-boot spread of metrics with too few
 * boots to judge over boots.
 */
void compare_cells(const struct cell *a, const struct cell *b,
		   const struct policy *p, const struct calib *cal,
		   struct cell_pair *pair);
void cell_pair_free(struct cell_pair *pair);
void compare_markdown(const struct comparison *c, const struct policy *p,
		      FILE *f);
json_object *compare_json(const struct comparison *c, const struct policy *p);
void comparison_free(struct comparison *c);

#endif
