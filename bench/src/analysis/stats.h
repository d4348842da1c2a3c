/* SPDX-License-Identifier: GPL-2.0 */
#ifndef INVLAB_STATS_H
#define INVLAB_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Median of v[0..n) (sorts v); NaN when n is 0. */
double median(double *v, size_t n);
/* Median of v[0..n) without touching v. */
double median_of(const double *v, size_t n);
/* The value at rank floor(q * n) of the sorted v (the largest for q = 1);
 * NaN when n is 0. v is left as it is.
 */
double quantile_of(const double *v, size_t n, double q);
double min_of(const double *v, size_t n);
double max_of(const double *v, size_t n);

/*
 * Mean of v[0..n) and its 95% confidence interval (Student's t, n - 1
 * degrees of freedom). -1 when n < 2: no interval from one value.
 */
int mean_ci95(const double *v, size_t n, double *mean, double *lo, double *hi);

/*
 * Welch's t test of mean(b) - mean(a) (unequal variances): the difference,
 * its standard error, the Welch-Satterthwaite degrees of freedom and the
 * two-sided p. -1 when a side has fewer than 2 values. Zero variance on
 * both sides gives p 1 for equal means and 0 otherwise.
 */
struct welch {
	double diff, se, df, p;
};
int welch_t(const double *a, size_t na, const double *b, size_t nb,
	    struct welch *w);
/* The half-width multiplier of a two-sided interval of confidence conf
 * (0.95): Student's t with df degrees of freedom, the normal when df is
 * infinite.
 */
double t_half(double conf, double df);
/*
 * The upper confidence bound (conf, e.g. 0.9) of a standard deviation
 * estimated as sd with df degrees of freedom (chi-square); sd itself when
 * df is infinite.
 */
double sd_upper_bound(double sd, double df, double conf);
/* Student's t upper tail (the normal's when df is infinite). */
double t_upper(double t, double df);
/* The standard normal's quantile and upper tail. */
double normal_quantile(double p);
double normal_upper(double z);

/* A small, fast, seedable generator (xorshift64*): permutation tests must
 * be reproducible run to run, so every caller passes its own seed.
 */
struct rng {
	uint64_t s;
};
void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, 1). */
double rng_uniform(struct rng *r);
/* Standard normal (Box-Muller). */
double rng_normal(struct rng *r);

#endif
