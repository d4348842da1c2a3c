/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Noise models of a lab, for statbench: what real labs show, QEMU and
 * hardware alike. A measurement is mean x exp(boot offset + drift +
 * window noise), times an outlier factor now and then:
 *   boot offsets   each boot shifts all its windows (memory layout, IRQ
 *                  placement, host load): 2% between boots, 1% within
 *   heavy tails    the same with Student's t (3 degrees of freedom) for
 *                  both levels
 *   outliers       boot offsets, and 5% of windows off by 30%
 *   drift          boot offsets, and the host drifting 6% across a night
 *                  of interleaved boots (A B A B ...)
 *   TCG lab        what this QEMU lab measured for fio's IOPS (6 boots of
 *                  stock 6.12): 22% between boots, 13% within; shown to
 *                  say what wall-clock throughput under TCG can detect, no
 *                  target
 */
#ifndef INVLAB_NOISE_H
#define INVLAB_NOISE_H

#include <stddef.h>

#include "analysis/stats.h"

struct noise_model {
	const char *name;
	double boot_sd, window_sd;
	int heavy; /* Student's t(3) instead of the normal */
	double outlier_p, outlier_size;
	double drift; /* relative, over all the boots of a night */
	int informative; /* shown, no target */
};

extern const struct noise_model noise_models[];
extern const size_t noise_model_count;

/*
 * k boots of n windows each, centred on mean, into v (k * n values) with
 * each value's boot (1..k) in boot. The boots take the even (first side)
 * or odd (second side) slots of a night of 2k interleaved boots.
 */
void noise_side(struct rng *r, const struct noise_model *m, double mean,
		size_t k, size_t n, int second, double *v, int *boot);

#endif
