/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Change points over a whole history of one metric: runs in time order,
 * each with its samples (windows). Binary segmentation: find the most
 * significant shift (Mann-Whitney over the pooled samples, searched in one
 * pass per segment), accept it only when it passes the policy's test, then
 * look again on both sides. Every change point finally kept is one judge()
 * calls a change between the segments on either side of it.
 */
#ifndef INVLAB_CHANGEPOINT_H
#define INVLAB_CHANGEPOINT_H

#include <stddef.h>

#include "judge.h"
#include "policy.h"

struct cp_series {
	const char *name; /* the metric, for its policy rule */
	const double *v; /* every sample, run after run; no NaN */
	const size_t *off; /* run r has v[off[r]] .. v[off[r + 1] - 1] */
	size_t nruns;
};

struct cp_opts {
	size_t min_runs; /* fewest runs a segment may have */
	size_t max_points; /* at most this many change points */
	unsigned int max_depth; /* segmentation recursion cap */
};

#define CP_MIN_RUNS 3
#define CP_MAX_POINTS 16
#define CP_MAX_DEPTH 8

struct changepoint {
	size_t run; /* first run after the change */
	size_t from, to; /* segments judged: runs [from, run) vs [run, to) */
	struct judgement j;
};

/* Defaults for a zeroed or NULL opts. */
void cp_opts_default(struct cp_opts *o);
/*
 * The change points of s under p, in run order, into out (room for
 * o->max_points). Their count.
 */
size_t cp_detect(const struct policy *p, const struct cp_series *s,
		 const struct cp_opts *o, struct changepoint *out);
/* A verdict that is a change (improved, regressed, changed). */
int cp_is_change(enum verdict v);

#endif
