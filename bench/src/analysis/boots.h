/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The levels of repetition of a measurement: windows inside a boot, boots
 * inside a run. Windows of one boot share its state (memory layout, IRQ
 * placement, host load, caches) and agree with each other far better than
 * boots do, so noisy metrics are compared over boots, each boot one value
 * (the median of its windows), and the spread between boots is the noise
 * (Kalibera and Jones, "Rigorous benchmarking in reasonable time", 2013).
 * Spreads are on the log scale when every value is positive: an SD of logs
 * is a coefficient of variation.
 */
#ifndef INVLAB_BOOTS_H
#define INVLAB_BOOTS_H

#include <stdbool.h>
#include <stddef.h>

/* One metric's values on one side, each with the boot it came from. */
struct samples {
	const double *v;
	const int *boot; /* NULL: every value from one boot */
	size_t n;
	const char *unit; /* what a "boot" is, for the reader: NULL "boots" */
};

/* A side's boots: each boot's median, and how many windows it had. */
struct boot_medians {
	bool log; /* y are logs of the medians */
	size_t k; /* boots */
	double *y;
	size_t *windows;
};

/* Every value is positive, so ratios and logs mean something. */
bool samples_positive(const struct samples *s);
/* Group s by boot (in the order boots first appear); free with _free. */
void boot_medians(const struct samples *s, bool log, struct boot_medians *b);
void boot_medians_free(struct boot_medians *b);
/* How many distinct boots s has (0 when it has no value). */
size_t samples_boots(const struct samples *s);

/*
 * A run's one value of a metric: the median of its boots' medians (the
 * median of its windows when it had one boot). NaN without a value.
 */
double samples_summary(const struct samples *s);

/* Variance components of one side (or both sides' pooled spreads). */
struct var_comp {
	size_t boots, windows;
	/*
	 * The robust SD of a window around its boot's median (1.4826 x the
	 * median absolute deviation): NaN without a boot of 2 windows
	 */
	double within;
	/* The SD of the boots' medians as measured: NaN with one boot */
	double boot_sd;
	/*
	 * The between-boot component: boot_sd with the windows' share of a
	 * median of n windows (pi/2 within^2 / n) taken out; NaN with one boot
	 */
	double between;
};

void var_components(const struct samples *s, bool log, struct var_comp *vc);
/*
 * Pool two sides' components (the same metric and cell on two runs):
 * windows and boots add, spreads are averaged by their degrees of freedom.
 */
void var_pool(const struct var_comp *a, const struct var_comp *b,
	      struct var_comp *out);
/*
 * Boots per side that detect a relative change of effect (0.05: 5%) with
 * probability power in a two-sided test at alpha, n windows per boot
 * (Kalibera and Jones' sample size for two levels). 0 when the between-boot
 * spread is unknown.
 */
size_t boots_to_detect(const struct var_comp *vc, size_t n, double effect,
		       double alpha, double power);

#endif
