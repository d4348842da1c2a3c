/* SPDX-License-Identifier: GPL-2.0 */
#ifndef INVLAB_STATS_H
#define INVLAB_STATS_H

#include <stddef.h>

/* Median of v[0..n) (sorts v); NaN when n is 0. */
double median(double *v, size_t n);
double min_of(const double *v, size_t n);
double max_of(const double *v, size_t n);

#endif
