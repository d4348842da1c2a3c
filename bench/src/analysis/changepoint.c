// SPDX-License-Identifier: GPL-2.0
/*
 * Binary segmentation over a history. The search is circular (Olshen's
 * CBS): a segment [lo, hi) is split where one stretch of runs [i, j)
 * differs most from the rest, which finds a plain step (j = hi) and also a
 * regression that was later fixed (lo < i < j < hi), the common nightly
 * shape a single split misses. The statistic is the Mann-Whitney z of the
 * pooled samples, computed for every (i, j) from prefix sums of per-run
 * rank sums after one sort, so a 100-run segment costs one sort and 5000
 * additions, not 5000 U tests.
 *
 * A candidate is kept when the U test and the minimum effect of the policy
 * say so (exact metrics: judge() itself, which is cheap for them); the
 * bootstrap interval, judge()'s expensive part, runs only in the final
 * pass, which judges every kept change point between its neighbouring
 * segments and drops the weakest failing one until all pass.
 */
#include "changepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "lib/util.h"

struct ranked {
	double v;
	size_t run;
};

struct search {
	const struct policy *p;
	const struct metric_rule *rule;
	const struct cp_series *s;
	const struct cp_opts *o;
	struct ranked *rk;
	double *rsum; /* prefix sums of per-run rank sums */
	double *a, *b; /* pooled outside and inside samples */
	size_t *cuts, ncuts;
};

void cp_opts_default(struct cp_opts *o)
{
	if (!o->min_runs)
		o->min_runs = CP_MIN_RUNS;
	if (!o->max_points)
		o->max_points = CP_MAX_POINTS;
	if (!o->max_depth)
		o->max_depth = CP_MAX_DEPTH;
}

int cp_is_change(enum verdict v)
{
	return v == V_IMPROVED || v == V_REGRESSED || v == V_CHANGED;
}

static int cmp_ranked(const void *x, const void *y)
{
	double a = ((const struct ranked *)x)->v;
	double b = ((const struct ranked *)y)->v;

	return (a > b) - (a < b);
}

/* Per-run rank sums of [lo, hi) into rsum (prefix form); the tie term. */
static double rank(struct search *s, size_t lo, size_t hi)
{
	const size_t *off = s->s->off;
	size_t n = off[hi] - off[lo];
	double tie = 0;

	for (size_t r = lo; r < hi; r++) {
		for (size_t k = off[r]; k < off[r + 1]; k++)
			s->rk[k - off[lo]] = (struct ranked){ s->s->v[k], r };
	}
	qsort(s->rk, n, sizeof(*s->rk), cmp_ranked);
	memset(s->rsum, 0, (hi - lo + 1) * sizeof(double));
	for (size_t i = 0; i < n;) {
		size_t j = i;
		double t;

		while (j < n && s->rk[j].v == s->rk[i].v)
			j++;
		t = (double)(j - i);
		for (size_t k = i; k < j; k++)
			s->rsum[s->rk[k].run - lo + 1] +=
				(double)(i + 1 + j) / 2;
		tie += t * t * t - t;
		i = j;
	}
	for (size_t r = 1; r <= hi - lo; r++)
		s->rsum[r] += s->rsum[r - 1];
	return tie;
}

/* The stretch [*bi, *bj) of [lo, hi) most unlike the rest; its |z|. */
static double best_stretch(struct search *s, size_t lo, size_t hi, size_t *bi,
			   size_t *bj)
{
	const size_t *off = s->s->off, m = s->o->min_runs;
	double n = (double)(off[hi] - off[lo]), best = 0, c;

	if (n < 2)
		return 0;
	c = (n + 1) - rank(s, lo, hi) / (n * (n - 1));
	for (size_t i = lo; i + m <= hi; i++) {
		if (i > lo && i - lo < m)
			continue;
		for (size_t j = i + m; j <= hi; j++) {
			double ni = (double)(off[j] - off[i]), no = n - ni;
			double u, var, z;

			if ((i == lo && j == hi) || (j < hi && hi - j < m))
				continue;
			if (!ni || !no)
				continue;
			u = s->rsum[j - lo] - s->rsum[i - lo] -
			    ni * (ni + 1) / 2;
			var = ni * no / 12 * c;
			if (var <= 0)
				continue;
			z = fabs(u - ni * no / 2) / sqrt(var);
			if (z > best) {
				best = z;
				*bi = i;
				*bj = j;
			}
		}
	}
	return best;
}

/* Would the policy call [i, j) a change against the rest of [lo, hi)? */
static int worth_it(struct search *s, size_t lo, size_t hi, size_t i, size_t j)
{
	const size_t *off = s->s->off;
	const double *v = s->s->v;
	size_t na = 0, nb = off[j] - off[i];
	double ma, mb;
	struct judgement jg;

	memcpy(s->b, v + off[i], nb * sizeof(double));
	memcpy(s->a, v + off[lo], (off[i] - off[lo]) * sizeof(double));
	na = off[i] - off[lo];
	memcpy(s->a + na, v + off[j], (off[hi] - off[j]) * sizeof(double));
	na += off[hi] - off[j];
	if (s->rule->kind == KIND_EXACT) {
		judge(s->p, s->s->name, s->a, na, s->b, nb, &jg);
		return cp_is_change(jg.verdict);
	}
	if (na < JUDGE_MIN_SAMPLES || nb < JUDGE_MIN_SAMPLES)
		return 0;
	if (!(mann_whitney_p(s->a, na, s->b, nb) < s->p->alpha))
		return 0;
	ma = median_of(s->a, na);
	mb = median_of(s->b, nb);
	return ma == 0 || fabs(mb / ma - 1) >= s->rule->min_effect;
}

static void segment(struct search *s, size_t lo, size_t hi, unsigned int depth)
{
	size_t i = lo, j = hi;

	if (depth > s->o->max_depth || s->ncuts + 2 > s->o->max_points ||
	    hi - lo < 2 * s->o->min_runs)
		return;
	if (best_stretch(s, lo, hi, &i, &j) == 0 || !worth_it(s, lo, hi, i, j))
		return;
	if (i > lo)
		s->cuts[s->ncuts++] = i;
	if (j < hi)
		s->cuts[s->ncuts++] = j;
	segment(s, lo, i, depth + 1);
	segment(s, i, j, depth + 1);
	segment(s, j, hi, depth + 1);
}

static int cmp_size(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;

	return (a > b) - (a < b);
}

static void judge_point(struct search *s, struct changepoint *cp)
{
	const size_t *off = s->s->off;
	const double *v = s->s->v;

	judge(s->p, s->s->name, v + off[cp->from], off[cp->run] - off[cp->from],
	      v + off[cp->run], off[cp->to] - off[cp->run], &cp->j);
}

/* How weak a failing change point is: the larger, the sooner it goes. */
static double weakness(const struct changepoint *cp)
{
	double p = isnan(cp->j.p) ? 2 : cp->j.p;

	return p - (isnan(cp->j.ratio) ? 0 : fabs(cp->j.ratio - 1)) * 1e-9;
}

/* Judge each cut between its neighbours; drop the weakest failing one
 * and judge its neighbours again, until every cut left is a change.
 */
static size_t prune(struct search *s, struct changepoint *out)
{
	size_t n = s->ncuts, *valid = xcalloc(n + 1, sizeof(size_t));

	for (size_t k = 0; k < n; k++) {
		out[k].run = s->cuts[k];
		out[k].from = k ? s->cuts[k - 1] : 0;
		out[k].to = k + 1 < n ? s->cuts[k + 1] : s->s->nruns;
	}
	for (;;) {
		size_t worst = n;

		for (size_t k = 0; k < n; k++) {
			if (!valid[k]) {
				judge_point(s, &out[k]);
				valid[k] = 1;
			}
			if (cp_is_change(out[k].j.verdict))
				continue;
			if (worst == n ||
			    weakness(&out[k]) > weakness(&out[worst]))
				worst = k;
		}
		if (worst == n)
			break;
		if (worst > 0) {
			out[worst - 1].to = out[worst].to;
			valid[worst - 1] = 0;
		}
		if (worst + 1 < n) {
			out[worst + 1].from = out[worst].from;
			valid[worst + 1] = 0;
		}
		memmove(&out[worst], &out[worst + 1],
			(n - worst - 1) * sizeof(*out));
		memmove(&valid[worst], &valid[worst + 1],
			(n - worst - 1) * sizeof(*valid));
		n--;
	}
	free(valid);
	return n;
}

size_t cp_detect(const struct policy *p, const struct cp_series *ser,
		 const struct cp_opts *opts, struct changepoint *out)
{
	struct cp_opts o = opts ? *opts : (struct cp_opts){ 0 };
	size_t total = ser->nruns ? ser->off[ser->nruns] - ser->off[0] : 0;
	struct search s = { .p = p, .s = ser, .o = &o };
	size_t n = 0;

	cp_opts_default(&o);
	s.rule = policy_rule(p, ser->name);
	if (!s.rule || ser->nruns < 2 * o.min_runs || total < 2)
		return 0;
	s.rk = xcalloc(total, sizeof(*s.rk));
	s.rsum = xcalloc(ser->nruns + 1, sizeof(double));
	s.a = xcalloc(total, sizeof(double));
	s.b = xcalloc(total, sizeof(double));
	s.cuts = xcalloc(o.max_points + 2, sizeof(size_t));
	segment(&s, 0, ser->nruns, 0);
	if (s.ncuts) {
		qsort(s.cuts, s.ncuts, sizeof(size_t), cmp_size);
		n = prune(&s, out);
	}
	free(s.rk);
	free(s.rsum);
	free(s.a);
	free(s.b);
	free(s.cuts);
	return n;
}
