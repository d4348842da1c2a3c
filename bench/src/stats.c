// SPDX-License-Identifier: GPL-2.0
#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include <math.h>
#include <stdlib.h>

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
