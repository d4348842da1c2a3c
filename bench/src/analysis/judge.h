/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Judging one metric between two sample sets (base, new) under its policy
 * rule: exact metrics by their medians within a tolerance, noisy ones by
 * the Mann-Whitney U test, the bootstrap interval of the median ratio and
 * the minimum effect. Shared by compare, nightly and bisect.
 */
#ifndef INVLAB_JUDGE_H
#define INVLAB_JUDGE_H

#include <stddef.h>

#include "policy.h"

enum verdict {
	V_SAME, /* no change called */
	V_IMPROVED,
	V_REGRESSED,
	V_CHANGED, /* a change in a metric with direction none */
	V_INCONCLUSIVE, /* too few samples to call anything */
	V_MISSING, /* the metric is on one side only */
};

struct judgement {
	const struct metric_rule *rule;
	size_t na, nb;
	double med_a, med_b;
	double ratio; /* med_b / med_a; NaN when med_a is 0 */
	double lo, hi; /* bootstrap 95% interval of the ratio (noisy) */
	double p; /* Mann-Whitney two-sided p (noisy) */
	enum verdict verdict;
	char why[160];
};

/* Noisy metrics need this many samples on each side to be judged. */
#define JUDGE_MIN_SAMPLES 3

const char *verdict_name(enum verdict v);
void judge(const struct policy *p, const char *name, const double *a, size_t na,
	   const double *b, size_t nb, struct judgement *j);

/* A median or ratio for a table: 3 decimals, %.4g when very large or small,
 * "-" for NaN.
 */
void fmt_metric_value(char *buf, size_t len, double v);

#endif
