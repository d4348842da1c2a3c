/* SPDX-License-Identifier: GPL-2.0 */
/*
 * invlab bisect: judging one bisection step against the good and bad
 * reference runs with the same statistics as invlab compare.
 */
#ifndef INVLAB_BISECT_H
#define INVLAB_BISECT_H

#include "analysis/judge.h"
#include "analysis/policy.h"
#include "analysis/runtab.h"

/* git bisect run's exit codes */
enum bisect_verdict {
	BISECT_GOOD = 0,
	BISECT_BAD = 1,
	BISECT_SKIP = 125,
};

/*
 * The samples of metric in the cell of run dir (cell NULL: the run's first
 * cell); a malloc'd array and its length. -1 with err naming what is
 * missing.
 */
int bisect_samples(const char *run_dir, const char *cell, const char *metric,
		   double **v, size_t *n, char *err, size_t err_len);

/*
 * A step is bad when, against the good reference, it shows the change the
 * bad reference shows (change: the verdict of good vs bad, usually
 * REGRESSED, but an improvement or a change of a direction-less metric can
 * be bisected too); good when judged the same; skipped when the statistics
 * cannot tell or see a change of another kind. j gets step vs good.
 */
enum bisect_verdict bisect_judge(const struct policy *p, const char *metric,
				 enum verdict change, const double *good,
				 size_t ng, const double *step, size_t ns,
				 struct judgement *j);

#endif
