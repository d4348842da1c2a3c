// SPDX-License-Identifier: GPL-2.0
#include "judge.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "stats.h"

const char *verdict_name(enum verdict v)
{
	static const char *const names[] = {
		[V_SAME] = "same",
		[V_IMPROVED] = "improved",
		[V_REGRESSED] = "REGRESSED",
		[V_CHANGED] = "changed",
		[V_INCONCLUSIVE] = "inconclusive",
		[V_MISSING] = "missing",
	};
	return names[v];
}

static enum verdict direction_verdict(enum direction d, double a, double b)
{
	if (d == DIR_NONE)
		return V_CHANGED;
	return (b > a) == (d == DIR_HIGHER) ? V_IMPROVED : V_REGRESSED;
}

/* A per-name seed: the same two sample sets always give the same interval,
 * and different metrics do not share resamples.
 */
static unsigned long long name_seed(unsigned long long seed, const char *s)
{
	unsigned long long h = 1469598103934665603ULL ^ seed;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static void judge_exact(const struct metric_rule *r, struct judgement *j)
{
	double diff = fabs(j->med_b - j->med_a);
	double scale = fmax(fabs(j->med_a), fabs(j->med_b));

	if (diff == 0 || diff <= r->tolerance * scale) {
		j->verdict = V_SAME;
		snprintf(j->why, sizeof(j->why), "equal within %g%%",
			 100 * r->tolerance);
		return;
	}
	j->verdict = direction_verdict(r->direction, j->med_a, j->med_b);
	snprintf(j->why, sizeof(j->why), "exact metric: %g -> %g", j->med_a,
		 j->med_b);
}

/* The least two-sided p the exact U test gives for these sizes:
 * 2 / C(na + nb, na), complete separation.
 */
static double mwu_min_p(size_t na, size_t nb)
{
	double c = 1;

	for (size_t i = 1; i <= na; i++)
		c = c * (double)(nb + i) / (double)i;
	return 2 / c;
}

static void judge_noisy(const struct policy *p, const char *name,
			const double *a, const double *b,
			const struct metric_rule *r, struct judgement *j)
{
	bool significant, big, outside;

	if (j->na < JUDGE_MIN_SAMPLES || j->nb < JUDGE_MIN_SAMPLES) {
		j->verdict = V_INCONCLUSIVE;
		snprintf(j->why, sizeof(j->why),
			 "%zu vs %zu samples: at least %d each needed", j->na,
			 j->nb, JUDGE_MIN_SAMPLES);
		return;
	}
	if (mwu_min_p(j->na, j->nb) >= p->alpha) {
		j->verdict = V_INCONCLUSIVE;
		snprintf(
			j->why, sizeof(j->why),
			"%zu vs %zu samples: the U test cannot reach p < %g (its least p is %.2g)",
			j->na, j->nb, p->alpha, mwu_min_p(j->na, j->nb));
		return;
	}
	j->p = mann_whitney_p(a, j->na, b, j->nb);
	if (j->med_a == 0) {
		j->verdict = j->p < p->alpha ?
				     direction_verdict(r->direction, j->med_a,
						       j->med_b) :
				     V_SAME;
		snprintf(j->why, sizeof(j->why),
			 "base median is 0: judged by the U test alone");
		return;
	}
	if (bootstrap_median_ratio_ci(a, j->na, b, j->nb, p->bootstrap,
				      name_seed(p->seed, name), &j->lo,
				      &j->hi)) {
		/* a resample of the base had median 0: no ratio interval */
		j->lo = -INFINITY;
		j->hi = INFINITY;
	}
	significant = j->p < p->alpha;
	outside = j->lo > 1 || j->hi < 1;
	big = fabs(j->ratio - 1) >= r->min_effect;
	if (significant && outside && big) {
		j->verdict =
			direction_verdict(r->direction, j->med_a, j->med_b);
		snprintf(j->why, sizeof(j->why),
			 "p %.2g < %g, interval excludes 1, |change| >= %g%%",
			 j->p, p->alpha, 100 * r->min_effect);
		return;
	}
	j->verdict = V_SAME;
	snprintf(j->why, sizeof(j->why), "%s",
		 !significant ? "not significant" :
		 !outside     ? "interval includes 1" :
				"significant but under the minimum effect");
}

void judge(const struct policy *p, const char *name, const double *a, size_t na,
	   const double *b, size_t nb, struct judgement *j)
{
	const struct metric_rule *r = policy_rule(p, name);

	memset(j, 0, sizeof(*j));
	j->rule = r;
	j->na = na;
	j->nb = nb;
	j->med_a = median_of(a, na);
	j->med_b = median_of(b, nb);
	j->ratio = j->med_a != 0 ? j->med_b / j->med_a : NAN;
	j->lo = j->hi = j->p = NAN;
	if (!na || !nb) {
		j->verdict = V_MISSING;
		snprintf(j->why, sizeof(j->why), "only in %s",
			 na ? "base" : "new");
		return;
	}
	if (!r) {
		j->verdict = V_INCONCLUSIVE;
		snprintf(j->why, sizeof(j->why), "no rule in %s", p->path);
		return;
	}
	if (r->kind == KIND_EXACT)
		judge_exact(r, j);
	else
		judge_noisy(p, name, a, b, r, j);
}

void fmt_metric_value(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (fabs(v) >= 1e5 || (fabs(v) < 1e-2 && v != 0))
		snprintf(buf, len, "%.4g", v);
	else
		snprintf(buf, len, "%.3f", v);
}
