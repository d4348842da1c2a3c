// SPDX-License-Identifier: GPL-2.0
#include "noise.h"

#include <math.h>

const struct noise_model noise_models[] = {
	{ .name = "boot offsets", .boot_sd = 0.02, .window_sd = 0.01 },
	{ .name = "heavy tails",
	  .boot_sd = 0.02,
	  .window_sd = 0.01,
	  .heavy = 1 },
	{ .name = "outlier windows",
	  .boot_sd = 0.02,
	  .window_sd = 0.01,
	  .outlier_p = 0.05,
	  .outlier_size = 0.3 },
	{ .name = "drift in a night",
	  .boot_sd = 0.02,
	  .window_sd = 0.01,
	  .drift = 0.06 },
	/* measured: 6 boots of stock 6.12, smoke's fio job, this machine */
	{ .name = "TCG lab (IOPS)",
	  .boot_sd = 0.22,
	  .window_sd = 0.13,
	  .informative = 1 },
};
const size_t noise_model_count = sizeof(noise_models) / sizeof(noise_models[0]);

/* Unit variance: the normal, or Student's t(3) scaled down by sqrt(3). */
static double draw(struct rng *r, int heavy)
{
	double z = rng_normal(r), chi = 0;

	if (!heavy)
		return z;
	for (int i = 0; i < 3; i++) {
		double g = rng_normal(r);

		chi += g * g;
	}
	return z / sqrt(chi / 3) / sqrt(3);
}

void noise_side(struct rng *r, const struct noise_model *m, double mean,
		size_t k, size_t n, int second, double *v, int *boot)
{
	for (size_t b = 0; b < k; b++) {
		double slot = (double)(2 * b + (second ? 1 : 0));
		double off = m->boot_sd * draw(r, m->heavy) +
			     (k ? m->drift * slot / (double)(2 * k) : 0);

		for (size_t w = 0; w < n; w++) {
			double x = mean *
				   exp(off + m->window_sd * draw(r, m->heavy));

			if (m->outlier_p && rng_uniform(r) < m->outlier_p)
				x *= 1 + (rng_uniform(r) < 0.5 ? -1 : 1) *
						 m->outlier_size;
			v[b * n + w] = x;
			boot[b * n + w] = (int)b + 1;
		}
	}
}
