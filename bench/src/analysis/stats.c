// SPDX-License-Identifier: GPL-2.0
#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double median(double *v, size_t n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* k-th smallest of v[0..n) by quickselect; reorders v. */
static double select_kth(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		double pivot = v[lo + (hi - lo) / 2], t;
		size_t i = lo, j = hi;

		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				if (!j)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return v[k];
	}
	return v[k];
}

/* Median of scratch[0..n) by selection; reorders scratch. */
static double median_select(double *v, size_t n)
{
	double hi = select_kth(v, n, n / 2), lo = hi;

	if (n % 2)
		return hi;
	/* The lower middle is the largest of the lower half. */
	lo = v[0];
	for (size_t i = 1; i < n / 2; i++)
		lo = v[i] > lo ? v[i] : lo;
	return (lo + hi) / 2;
}

double median_of(const double *v, size_t n)
{
	double small[64], *c = n <= 64 ? small : xcalloc(n, sizeof(double)), m;

	if (!n)
		return NAN;
	memcpy(c, v, n * sizeof(double));
	m = median_select(c, n);
	if (c != small)
		free(c);
	return m;
}

double quantile_of(const double *v, size_t n, double q)
{
	double *c, r;

	if (!n)
		return NAN;
	c = xcalloc(n, sizeof(double));
	memcpy(c, v, n * sizeof(double));
	qsort(c, n, sizeof(*c), cmp_double);
	r = c[(size_t)fmin((double)(n - 1), floor(q * (double)n))];
	free(c);
	return r;
}

double min_of(const double *v, size_t n)
{
	double m = n ? v[0] : NAN;

	for (size_t i = 1; i < n; i++)
		m = v[i] < m ? v[i] : m;
	return m;
}

double max_of(const double *v, size_t n)
{
	double m = n ? v[0] : NAN;

	for (size_t i = 1; i < n; i++)
		m = v[i] > m ? v[i] : m;
	return m;
}

int mean_ci95(const double *v, size_t n, double *mean, double *lo, double *hi)
{
	double sd, half;

	if (n < 2)
		return -1;
	*mean = gsl_stats_mean(v, 1, n);
	sd = gsl_stats_sd_m(v, 1, n, *mean);
	half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sd /
	       sqrt((double)n);
	*lo = *mean - half;
	*hi = *mean + half;
	return 0;
}

int welch_t(const double *a, size_t na, const double *b, size_t nb,
	    struct welch *w)
{
	double ma, mb, va, vb, qa, qb;

	if (na < 2 || nb < 2)
		return -1;
	ma = gsl_stats_mean(a, 1, na);
	mb = gsl_stats_mean(b, 1, nb);
	va = gsl_stats_variance_m(a, 1, na, ma);
	vb = gsl_stats_variance_m(b, 1, nb, mb);
	qa = va / (double)na;
	qb = vb / (double)nb;
	w->diff = mb - ma;
	w->se = sqrt(qa + qb);
	if (w->se == 0) {
		w->df = INFINITY;
		w->p = w->diff == 0 ? 1 : 0;
		return 0;
	}
	w->df = (qa + qb) * (qa + qb) /
		(qa * qa / (double)(na - 1) + qb * qb / (double)(nb - 1));
	w->p = 2 * gsl_cdf_tdist_Q(fabs(w->diff) / w->se, w->df);
	return 0;
}

double t_half(double conf, double df)
{
	double q = 0.5 + conf / 2;

	return isinf(df) ? gsl_cdf_ugaussian_Pinv(q) :
			   gsl_cdf_tdist_Pinv(q, df);
}

double sd_upper_bound(double sd, double df, double conf)
{
	if (isinf(df) || df <= 0)
		return sd;
	return sd * sqrt(df / gsl_cdf_chisq_Pinv(1 - conf, df));
}

double t_upper(double t, double df)
{
	return isinf(df) ? gsl_cdf_ugaussian_Q(t) : gsl_cdf_tdist_Q(t, df);
}

double normal_quantile(double p)
{
	return gsl_cdf_ugaussian_Pinv(p);
}

double normal_upper(double z)
{
	return gsl_cdf_ugaussian_Q(z);
}

void rng_seed(struct rng *r, uint64_t seed)
{
	/* splitmix64 of the seed: xorshift must not start at zero. */
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	r->s = (z ^ (z >> 31)) | 1;
}

uint64_t rng_next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

double rng_uniform(struct rng *r)
{
	return (rng_next(r) >> 11) * 0x1.0p-53;
}

double rng_normal(struct rng *r)
{
	double u = rng_uniform(r), v = rng_uniform(r);

	return sqrt(-2 * log(1 - u)) * cos(2 * M_PI * v);
}

struct ranked {
	double v;
	int group;
};

static int cmp_ranked(const void *a, const void *b)
{
	return cmp_double(&((const struct ranked *)a)->v,
			  &((const struct ranked *)b)->v);
}

/*
 * P(U <= u) under the null for sizes m, n without ties: the count of
 * arrangements with U = k follows f(m, n, k) = f(m-1, n, k-n) + f(m, n-1, k)
 * (the largest value in the first or the second sample). Kept as doubles:
 * C(100, 50) overflows 64 bits. One table per (m, n), cached, since a
 * compare or a nightly asks for the same sizes thousands of times.
 */
#define MWU_EXACT_MAX 50
static double *mwu_cdf_cache[MWU_EXACT_MAX + 1][MWU_EXACT_MAX + 1];

static const double *mwu_cdf(size_t m, size_t n)
{
	size_t umax = m * n;
	double *prev, *cur, *cdf, total = 0, **fj;

	if (mwu_cdf_cache[m][n])
		return mwu_cdf_cache[m][n];
	/* f over (i, j) row by row; fj[j][k] for the current i. */
	fj = xcalloc(n + 1, sizeof(*fj));

	for (size_t j = 0; j <= n; j++) {
		fj[j] = xcalloc(umax + 1, sizeof(double));
		fj[j][0] = 1; /* i = 0: one arrangement, U = 0 */
	}
	for (size_t i = 1; i <= m; i++) {
		/* j = 0: U = 0 whatever i is; fj[0] stays {1, 0, ...}. */
		for (size_t j = 1; j <= n; j++) {
			prev = fj[j]; /* f(i-1, j, .) */
			cur = fj[j - 1]; /* f(i, j-1, .), updated this row */
			double *next = xcalloc(umax + 1, sizeof(double));

			for (size_t k = 0; k <= i * j; k++)
				next[k] = (k >= j ? prev[k - j] : 0) + cur[k];
			free(fj[j]);
			fj[j] = next;
		}
	}
	cdf = xcalloc(umax + 1, sizeof(double));
	for (size_t k = 0; k <= umax; k++)
		total += fj[n][k];
	for (size_t k = 0; k <= umax; k++)
		cdf[k] = (k ? cdf[k - 1] : 0) + fj[n][k] / total;
	for (size_t j = 0; j <= n; j++)
		free(fj[j]);
	free(fj);
	mwu_cdf_cache[m][n] = cdf;
	return cdf;
}

double mann_whitney_p(const double *a, size_t na, const double *b, size_t nb)
{
	size_t n = na + nb;
	struct ranked *r;
	double ra = 0, u, tie = 0, mu, sd, z, p;
	bool ties = false;

	if (!na || !nb)
		return NAN;
	r = xcalloc(n, sizeof(*r));
	for (size_t i = 0; i < na; i++)
		r[i] = (struct ranked){ a[i], 0 };
	for (size_t i = 0; i < nb; i++)
		r[na + i] = (struct ranked){ b[i], 1 };
	qsort(r, n, sizeof(*r), cmp_ranked);
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && r[j].v == r[i].v)
			j++;
		/* ranks i+1 .. j share their mean */
		double rank = (double)(i + 1 + j) / 2, t = (double)(j - i);

		for (size_t k = i; k < j; k++)
			ra += r[k].group ? 0 : rank;
		tie += t * t * t - t;
		ties |= j - i > 1;
		i = j;
	}
	free(r);
	u = ra - (double)na * (na + 1) / 2;
	if (!ties && na <= MWU_EXACT_MAX && nb <= MWU_EXACT_MAX) {
		const double *cdf = mwu_cdf(na, nb);
		double umin = fmin(u, (double)na * nb - u);

		p = 2 * cdf[(size_t)umin];
		return p > 1 ? 1 : p;
	}
	mu = (double)na * nb / 2;
	sd = sqrt((double)na * nb / 12 *
		  ((n + 1) - tie / ((double)n * (n - 1))));
	if (sd == 0)
		return 1; /* every value equal */
	z = (fabs(u - mu) - 0.5) / sd;
	if (z < 0)
		z = 0;
	p = 2 * gsl_cdf_ugaussian_Q(z);
	return p > 1 ? 1 : p;
}

/*
 * The median of a resample of sorted[0..n), drawn with replacement: count
 * how often each index is drawn, then walk the counts to the middle. O(n)
 * and no sorting, which keeps thousands of judgements x thousands of
 * resamples fast. Each 64-bit draw gives four 16-bit indices
 * (multiply-shift, n <= 65535).
 */
static double resampled_median(const double *sorted, size_t n,
			       unsigned short *counts, struct rng *r)
{
	size_t lo_rank = (n - 1) / 2, hi_rank = n / 2, seen = 0, i;
	double lo = NAN;

	memset(counts, 0, n * sizeof(*counts));
	for (i = 0; i < n; i += 4) {
		uint64_t x = rng_next(r);

		for (size_t k = 0; k < 4 && i + k < n; k++, x >>= 16)
			counts[((x & 0xffff) * n) >> 16]++;
	}
	for (i = 0; i < n; i++) {
		seen += counts[i];
		if (isnan(lo) && seen > lo_rank)
			lo = sorted[i];
		if (seen > hi_rank)
			return (lo + sorted[i]) / 2;
	}
	return lo;
}

static double *sorted_copy(const double *v, size_t n)
{
	double *c = xcalloc(n, sizeof(double));

	memcpy(c, v, n * sizeof(double));
	qsort(c, n, sizeof(double), cmp_double);
	return c;
}

int bootstrap_median_ratio_ci(const double *a, size_t na, const double *b,
			      size_t nb, unsigned int iters, uint64_t seed,
			      double *lo, double *hi)
{
	double *ratios, *sa, *sb;
	unsigned short *counts;
	struct rng r;
	int ret = 0;

	if (!na || !nb || iters < 2 || na > 65535 || nb > 65535)
		return -1;
	rng_seed(&r, seed);
	sa = sorted_copy(a, na);
	sb = sorted_copy(b, nb);
	ratios = xcalloc(iters, sizeof(double));
	counts = xcalloc(na > nb ? na : nb, sizeof(*counts));
	for (unsigned int i = 0; i < iters && !ret; i++) {
		double ma = resampled_median(sa, na, counts, &r);
		double mb = resampled_median(sb, nb, counts, &r);

		if (ma == 0)
			ret = -1;
		ratios[i] = mb / ma;
	}
	if (!ret) {
		/* percentile interval: the 2.5th and 97.5th of the ratios */
		*lo = select_kth(ratios, iters,
				 (size_t)floor(0.025 * (iters - 1)));
		*hi = select_kth(ratios, iters,
				 (size_t)ceil(0.975 * (iters - 1)));
	}
	free(counts);
	free(ratios);
	free(sb);
	free(sa);
	return ret;
}
