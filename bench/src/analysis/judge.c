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

const char *judge_level_name(enum judge_level l)
{
	static const char *const names[] = {
		[LEVEL_NONE] = "none",
		[LEVEL_EXACT] = "exact",
		[LEVEL_BOOTS] = "boots",
		[LEVEL_PRIOR] = "calibrated",
	};
	return names[l];
}

static enum verdict direction_verdict(enum direction d, double a, double b)
{
	if (d == DIR_NONE)
		return V_CHANGED;
	return (b > a) == (d == DIR_HIGHER) ? V_IMPROVED : V_REGRESSED;
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

void fmt_metric_value(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (fabs(v) >= 1e5 || (fabs(v) < 1e-2 && v != 0))
		snprintf(buf, len, "%.4g", v);
	else
		snprintf(buf, len, "%.3f", v);
}

/* The windows of a side as one array, for the medians of exact metrics. */
static double med_all(const struct samples *s)
{
	return median_of(s->v, s->n);
}

/* A summary of a side's boots: the median of the boot medians. */
static double med_boots(const struct boot_medians *b)
{
	double m = median_of(b->y, b->k);

	return b->log ? exp(m) : m;
}

static double mean_of(const double *v, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += v[i];
	return n ? s / (double)n : NAN;
}

/*
 * The standard error of the difference of the two sides' mean boot medians
 * when the spread of one boot's median is known from elsewhere.
 */
static double prior_se(const struct boot_medians *a,
		       const struct boot_medians *b, double boot_sd)
{
	return boot_sd * sqrt(1 / (double)a->k + 1 / (double)b->k);
}

/* Typical windows per boot, for the boots-needed figure. */
static size_t windows_per_boot(const struct judgement *j)
{
	size_t k = j->ka + j->kb;

	return k ? (j->na + j->nb + k - 1) / k : 0;
}

static void noisy_verdict(const struct policy *p, const struct metric_rule *r,
			  double min_effect, struct judgement *j,
			  const char *level)
{
	bool significant = j->p < p->alpha;
	bool outside = j->lo > 1 || j->hi < 1;
	bool big = isnan(j->ratio) || fabs(j->ratio - 1) >= min_effect;

	if (significant && (isnan(j->ratio) || (outside && big))) {
		j->verdict =
			direction_verdict(r->direction, j->med_a, j->med_b);
		if (isnan(j->ratio))
			snprintf(
				j->why, sizeof(j->why),
				"%s: p %.2g < %g; base is 0: judged by the test alone",
				level, j->p, p->alpha);
		else
			snprintf(
				j->why, sizeof(j->why),
				"%s: p %.2g < %g, interval excludes 1, |change| >= %g%%",
				level, j->p, p->alpha, 100 * min_effect);
		return;
	}
	j->verdict = V_SAME;
	snprintf(j->why, sizeof(j->why), "%s: %s", level,
		 !significant ? "not significant" :
		 !outside     ? "interval includes 1" :
				"significant but under the minimum effect");
}

static void judge_boots(const struct policy *p, const struct metric_rule *r,
			const struct samples *a, const struct samples *b,
			const struct judge_ctx *prior, struct judgement *j)
{
	bool use_log = samples_positive(a) && samples_positive(b);
	double min_effect = prior && prior->icount && unit_is_time(r->unit) ?
				    r->icount_min_effect :
				    r->min_effect;
	struct boot_medians ba, bb;
	struct var_comp va, vb;
	struct welch w = { 0 };
	char level[256];
	double half, ma;

	boot_medians(a, use_log, &ba);
	boot_medians(b, use_log, &bb);
	var_components(a, use_log, &va);
	var_components(b, use_log, &vb);
	var_pool(&va, &vb, &j->vc);
	j->ka = ba.k;
	j->kb = bb.k;
	j->med_a = med_boots(&ba);
	j->med_b = med_boots(&bb);
	j->boots_needed = boots_to_detect(&j->vc, windows_per_boot(j),
					  min_effect, p->alpha, 0.95);
	if (j->ka >= p->min_boots && j->kb >= p->min_boots) {
		welch_t(ba.y, ba.k, bb.y, bb.k, &w);
		j->level = LEVEL_BOOTS;
		snprintf(level, sizeof(level), "%zu vs %zu %s", j->ka, j->kb,
			 a->unit ? a->unit : "boots");
	} else if (prior && !isnan(prior->boot_sd) && prior->df > 0) {
		w.diff = mean_of(bb.y, bb.k) - mean_of(ba.y, ba.k);
		/* the spread at its 90% upper confidence bound: a calibration
		 * of few boots must not make a verdict bolder than it allows
		 */
		w.se = prior_se(&ba, &bb,
				sd_upper_bound(prior->boot_sd, prior->df, 0.9));
		w.df = INFINITY;
		w.p = w.se > 0 ? 2 * normal_upper(fabs(w.diff) / w.se) :
				 (w.diff == 0 ? 1 : 0);
		j->level = LEVEL_PRIOR;
		snprintf(level, sizeof(level),
			 "%zu vs %zu boots, a boot's spread %.1f%% from %s",
			 j->ka, j->kb, 100 * prior->boot_sd, prior->source);
	} else {
		j->verdict = V_INCONCLUSIVE;
		snprintf(
			j->why, sizeof(j->why),
			"%zu vs %zu boots: the spread between boots is unknown; judged from %u boots per side (or with a calibration of this lab)",
			j->ka, j->kb, p->min_boots);
		goto out;
	}
	j->p = w.p;
	half = t_half(0.95, w.df) * w.se;
	ma = mean_of(ba.y, ba.k);
	if (use_log) {
		j->ratio = exp(w.diff);
		j->lo = exp(w.diff - half);
		j->hi = exp(w.diff + half);
	} else if (ma != 0) {
		j->ratio = (ma + w.diff) / ma;
		j->lo = (ma + w.diff - half) / ma;
		j->hi = (ma + w.diff + half) / ma;
		if (ma < 0) {
			double t = j->lo;

			j->lo = j->hi;
			j->hi = t;
		}
	} else {
		j->ratio = j->lo = j->hi = NAN;
	}
	noisy_verdict(p, r, min_effect, j, level);
out:
	boot_medians_free(&ba);
	boot_medians_free(&bb);
}

void judge_samples(const struct policy *p, const char *name,
		   const struct samples *a, const struct samples *b,
		   const struct judge_ctx *prior, struct judgement *j)
{
	const struct metric_rule *r = policy_rule(p, name);

	memset(j, 0, sizeof(*j));
	j->rule = r;
	j->na = a->n;
	j->nb = b->n;
	j->ka = samples_boots(a);
	j->kb = samples_boots(b);
	j->med_a = med_all(a);
	j->med_b = med_all(b);
	j->ratio = j->med_a != 0 ? j->med_b / j->med_a : NAN;
	j->lo = j->hi = j->p = NAN;
	j->vc.within = j->vc.between = NAN;
	if (!a->n || !b->n) {
		j->verdict = V_MISSING;
		snprintf(j->why, sizeof(j->why), "only in %s",
			 a->n ? "base" : "new");
		return;
	}
	if (!r) {
		j->verdict = V_INCONCLUSIVE;
		snprintf(j->why, sizeof(j->why), "no rule in %s", p->path);
		return;
	}
	if (r->kind == KIND_EXACT) {
		j->level = LEVEL_EXACT;
		judge_exact(r, j);
		return;
	}
	judge_boots(p, r, a, b, prior, j);
}
