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
