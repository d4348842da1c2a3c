/* SPDX-License-Identifier: GPL-2.0 */
#ifndef INVLAB_STATS_H
#define INVLAB_STATS_H

#include <stddef.h>

/* Median of v[0..n) (sorts v); NaN when n is 0. */
double median(double *v, size_t n);
double min_of(const double *v, size_t n);
double max_of(const double *v, size_t n);

/*
 * Mean of v[0..n) and its 95% confidence interval (Student's t, n - 1
 * degrees of freedom). -1 when n < 2: no interval from one value.
 */
int mean_ci95(const double *v, size_t n, double *mean, double *lo, double *hi);

#endif
