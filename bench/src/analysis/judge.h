/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Judging one metric between two sample sets (base, new) under its policy
 * rule: exact metrics by their medians within a tolerance, noisy ones over
 * boots (analysis/boots.h): Welch's t of the per-boot medians, its 95%
 * interval of the ratio and the minimum effect. Shared by compare, nightly
 * and bisect.
 */
#ifndef INVLAB_JUDGE_H
#define INVLAB_JUDGE_H

#include <stddef.h>

#include "boots.h"
#include "policy.h"

enum verdict {
	V_SAME, /* no change called */
	V_IMPROVED,
	V_REGRESSED,
	V_CHANGED, /* a change in a metric with direction none */
	V_INCONCLUSIVE, /* too few samples to call anything */
	V_MISSING, /* the metric is on one side only */
};

/* At what level a noisy metric was judged. */
enum judge_level {
	LEVEL_NONE, /* not judged: inconclusive or missing */
	LEVEL_EXACT, /* an exact metric: medians within the tolerance */
	LEVEL_BOOTS, /* over boots: Welch's t of the per-boot medians */
	/* too few boots for that: the between-boot spread came from
	 * elsewhere (a calibration of this lab)
	 */
	LEVEL_PRIOR,
};

/* What is known of a metric beyond its two sides' values. */
struct judge_ctx {
	/* the SD of one boot's median (log scale) in this lab, for this
	 * metric and cell; NaN: unknown
	 */
	double boot_sd;
	/* degrees of freedom of that estimate (boots - 1 of the calibration):
	 * the test is Student's t with them, not the normal
	 */
	double df;
	char source[160]; /* where it comes from, for the reader */
	/* both sides timed on the instruction clock (icount): a time metric
	 * is judged with its rule's icount_min_effect
	 */
	bool icount;
};

struct judgement {
	const struct metric_rule *rule;
	size_t na, nb; /* windows */
	size_t ka, kb; /* boots */
	enum judge_level level;
	struct var_comp vc; /* both sides' spreads, pooled */
	/* boots per side that would detect the minimum effect with 95%
	 * power (0: unknown)
	 */
	size_t boots_needed;
	double med_a, med_b;
	double ratio; /* med_b / med_a; NaN when med_a is 0 */
	double lo, hi; /* 95% interval of the ratio (noisy) */
	double p; /* two-sided p over boots (noisy) */
	enum verdict verdict;
	char why[384];
};

const char *verdict_name(enum verdict v);
const char *judge_level_name(enum judge_level l);
/*
 * Judge one metric, base a against new b. Exact metrics: medians of every
 * window within the tolerance (one boot settles them). Noisy ones: over
 * boots when both sides have the policy's min_boots; with fewer, over the
 * prior's between-boot spread when there is one; else inconclusive, never
 * a test of one boot's windows as if they were replicates.
 */
void judge_samples(const struct policy *p, const char *name,
		   const struct samples *a, const struct samples *b,
		   const struct judge_ctx *prior, struct judgement *j);

/* A median or ratio for a table: 3 decimals, %.4g when very large or small,
 * "-" for NaN.
 */
void fmt_metric_value(char *buf, size_t len, double v);

#endif
