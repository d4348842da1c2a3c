/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The noise of a run's noisy metrics at both levels of repetition: windows
 * inside a boot, boots of a cell (analysis/boots.h). report.md's "Boots
 * and noise", and invlab show.
 */
#ifndef INVLAB_NOISE_TABLE_H
#define INVLAB_NOISE_TABLE_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/boots.h"
#include "analysis/policy.h"
#include "analysis/runtab.h"

struct cell_noise {
	struct var_comp vc;
	size_t windows_per_boot;
	double min_effect; /* the policy's */
	/* boots per side to detect min_effect with 95% power (0: unknown) */
	size_t boots_needed;
};

/* metric's spreads in cell c; false when c lacks it or it has no rule. */
bool cell_noise(const struct cell *c, const char *metric,
		const struct policy *p, struct cell_noise *out);
/* "## Boots and noise": every noisy metric, every cell. */
void noise_section(FILE *f, const struct run *r, const struct policy *p);

#endif
