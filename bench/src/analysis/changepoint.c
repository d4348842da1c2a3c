// SPDX-License-Identifier: GPL-2.0
/*
 * Binary segmentation over a history of runs, each run one value (nightly
 * gives the median of its boots' medians): runs are the replicates of a
 * history, windows of one boot are not. The search is circular (Olshen's
 * CBS): a segment [lo, hi) is split where one stretch of runs [i, j)
 * differs most from the rest, which finds a plain step (j = hi) and also a
 * regression that was later fixed (lo < i < j < hi), the common nightly
 * shape a single split misses. The statistic is the pooled two-sample t of
 * the stretch against the rest (on logs when every value is positive; a
 * night is already a median, robust to outlier windows), computed for
 * every (i, j) from prefix sums.
 *
 * A candidate is kept when judge_samples calls the stretch a change against
 * the rest (each run its own unit) and, for noisy metrics, when the search
 * itself is significant: the best stretch of the runs in a random order
 * (the policy's permutations, seeded) must rarely be as unlike the rest, so
 * that looking at every stretch does not make noise look like a change. A
 * final pass judges every kept change point between its neighbouring
 * segments and drops the weakest failing one until all pass.
 */
#include "changepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "lib/util.h"

struct search {
	const struct policy *p;
	const struct metric_rule *rule;
	const struct cp_series *s;
	const struct cp_opts *o;
	/* prefix sums over the runs of [lo, hi): values, squares, counts */
	double *s1, *s2, *cnt;
	bool log; /* every value positive: the search is on logs */
	double *a, *b; /* outside and inside values */
	int *ua, *ub; /* their runs */
	uint64_t seed; /* the permutations', per metric */
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

static double scaled(const struct search *s, double v)
{
	return s->log ? log(v) : v;
}

/* Prefix sums of [lo, hi)'s values, squares and counts, run by run. */
static void prefix(struct search *s, size_t lo, size_t hi)
{
	const size_t *off = s->s->off;

	s->s1[0] = s->s2[0] = s->cnt[0] = 0;
	for (size_t r = lo; r < hi; r++) {
		double a = 0, q = 0;

		for (size_t k = off[r]; k < off[r + 1]; k++) {
			double x = scaled(s, s->s->v[k]);

			a += x;
			q += x * x;
		}
		s->s1[r - lo + 1] = s->s1[r - lo] + a;
		s->s2[r - lo + 1] = s->s2[r - lo] + q;
		s->cnt[r - lo + 1] =
			s->cnt[r - lo] + (double)(off[r + 1] - off[r]);
	}
}

/* Sum of squares about the mean of n values with sum a and squares q. */
static double ss(double a, double q, double n)
{
	return n > 0 ? fmax(0, q - a * a / n) : 0;
}

/*
 * The stretch [*bi, *bj) of [lo, hi) most unlike the rest, by the pooled
 * two-sample t of its values against the rest's; that |t|.
 */
static double best_stretch(struct search *s, size_t lo, size_t hi, size_t *bi,
			   size_t *bj)
{
	const size_t m = s->o->min_runs;
	double best = 0, n, a, q;

	prefix(s, lo, hi);
	n = s->cnt[hi - lo];
	a = s->s1[hi - lo];
	q = s->s2[hi - lo];
	if (n < 3)
		return 0;
	for (size_t i = lo; i + m <= hi; i++) {
		if (i > lo && i - lo < m)
			continue;
		for (size_t j = i + m; j <= hi; j++) {
			double ni, no, ai, qi, var, t;

			if ((i == lo && j == hi) || (j < hi && hi - j < m))
				continue;
			ni = s->cnt[j - lo] - s->cnt[i - lo];
			no = n - ni;
			if (!ni || !no)
				continue;
			ai = s->s1[j - lo] - s->s1[i - lo];
			qi = s->s2[j - lo] - s->s2[i - lo];
			var = (ss(ai, qi, ni) + ss(a - ai, q - qi, no)) /
			      (n - 2);
			t = fabs(ai / ni - (a - ai) / no);
			if (var > 0)
				t /= sqrt(var * (1 / ni + 1 / no));
			else
				t = t > 0 ? INFINITY : 0;
			if (t > best) {
				best = t;
				*bi = i;
				*bj = j;
			}
		}
	}
	return best;
}

/*
 * The values of runs [lo, hi) but [i, j) into a, of [i, j) into b, each run
 * its own unit (a boot of its own): runs are the replicates of a history.
 */
static void split(struct search *s, size_t lo, size_t hi, size_t i, size_t j,
		  struct samples *a, struct samples *b)
{
	const size_t *off = s->s->off;
	const double *v = s->s->v;
	size_t na = 0, nb = 0;

	for (size_t r = lo; r < hi; r++) {
		bool in = r >= i && r < j;

		for (size_t k = off[r]; k < off[r + 1]; k++) {
			double *dst = in ? s->b + nb : s->a + na;
			int *unit = in ? s->ub + nb : s->ua + na;

			*dst = v[k];
			*unit = (int)r + 1;
			if (in)
				nb++;
			else
				na++;
		}
	}
	*a = (struct samples){ s->a, s->ua, na, "runs" };
	*b = (struct samples){ s->b, s->ub, nb, "runs" };
}

/*
 * How often a stretch at least as unlike the rest as the best one turns up
 * when the runs of [lo, hi) come in a random order: the p-value of the
 * search itself, which looked at every stretch. Stops as soon as the
 * answer is no.
 */
static double search_p(struct search *s, size_t lo, size_t hi, double best)
{
	const struct cp_series *ser = s->s;
	struct cp_series perm = *ser;
	struct search ps = *s;
	size_t n = hi - lo, *order = xcalloc(n + 1, sizeof(size_t));
	size_t *off = xcalloc(ser->nruns + 1, sizeof(size_t));
	double *v = xcalloc(ser->off[ser->nruns] + 1, sizeof(double));
	unsigned int r, exceed = 0, limit = s->p->permutations;
	struct rng g;

	rng_seed(&g, s->seed ^ ((uint64_t)lo << 32) ^ hi);
	for (size_t k = 0; k < n; k++)
		order[k] = lo + k;
	perm.v = v;
	perm.off = off;
	ps.s = &perm;
	for (r = 0; r < limit; r++) {
		size_t bi, bj, end = 0;

		for (size_t k = n; k > 1; k--) {
			size_t x = (size_t)(rng_uniform(&g) * (double)k), t;

			t = order[k - 1];
			order[k - 1] = order[x];
			order[x] = t;
		}
		for (size_t q = 0; q < ser->nruns; q++) {
			size_t src = q >= lo && q < hi ? order[q - lo] : q;

			off[q] = end;
			memcpy(v + end, ser->v + ser->off[src],
			       (ser->off[src + 1] - ser->off[src]) *
				       sizeof(double));
			end += ser->off[src + 1] - ser->off[src];
		}
		off[ser->nruns] = end;
		exceed += best_stretch(&ps, lo, hi, &bi, &bj) >= best;
		/* already too many to reach alpha */
		if ((double)(exceed + 1) / (double)(limit + 1) >= s->p->alpha)
			break;
	}
	free(order);
	free(off);
	free(v);
	return r == limit ? (double)(exceed + 1) / (double)(limit + 1) : 1;
}

/*
 * Would the policy call [i, j) a change against the rest of [lo, hi)? The
 * search must be significant as a search (search_p), and the stretch a
 * change to judge_samples over runs.
 */
static int worth_it(struct search *s, size_t lo, size_t hi, size_t i, size_t j,
		    double best)
{
	struct samples a, b;
	struct judgement jg;

	split(s, lo, hi, i, j, &a, &b);
	judge_samples(s->p, s->s->name, &a, &b, NULL, &jg);
	if (!cp_is_change(jg.verdict))
		return 0;
	return s->rule->kind == KIND_EXACT ||
	       search_p(s, lo, hi, best) < s->p->alpha;
}

static void segment(struct search *s, size_t lo, size_t hi, unsigned int depth)
{
	size_t i = lo, j = hi;
	double best;

	if (depth > s->o->max_depth || s->ncuts + 2 > s->o->max_points ||
	    hi - lo < 2 * s->o->min_runs)
		return;
	best = best_stretch(s, lo, hi, &i, &j);
	if (best == 0 || !worth_it(s, lo, hi, i, j, best))
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
	struct samples a, b;

	/* [from, run) against [run, to): the stretch is all of the latter */
	split(s, cp->from, cp->to, cp->run, cp->to, &a, &b);
	judge_samples(s->p, s->s->name, &a, &b, NULL, &cp->j);
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
	s.s1 = xcalloc(ser->nruns + 1, sizeof(double));
	s.s2 = xcalloc(ser->nruns + 1, sizeof(double));
	s.cnt = xcalloc(ser->nruns + 1, sizeof(double));
	s.log = true;
	for (size_t k = 0; k < total; k++)
		s.log &= ser->v[ser->off[0] + k] > 0;
	s.a = xcalloc(total, sizeof(double));
	s.b = xcalloc(total, sizeof(double));
	s.ua = xcalloc(total, sizeof(int));
	s.ub = xcalloc(total, sizeof(int));
	s.seed = p->seed;
	for (const char *c = ser->name; *c; c++)
		s.seed = (s.seed ^ (unsigned char)*c) * 1099511628211ULL;
	s.cuts = xcalloc(o.max_points + 2, sizeof(size_t));
	segment(&s, 0, ser->nruns, 0);
	if (s.ncuts) {
		qsort(s.cuts, s.ncuts, sizeof(size_t), cmp_size);
		n = prune(&s, out);
	}
	free(s.s1);
	free(s.s2);
	free(s.cnt);
	free(s.a);
	free(s.b);
	free(s.ua);
	free(s.ub);
	free(s.cuts);
	return n;
}
