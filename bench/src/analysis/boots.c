// SPDX-License-Identifier: GPL-2.0
#include "boots.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "stats.h"

bool samples_positive(const struct samples *s)
{
	for (size_t i = 0; i < s->n; i++) {
		if (!(s->v[i] > 0))
			return false;
	}
	return s->n > 0;
}

static int boot_of(const struct samples *s, size_t i)
{
	return s->boot ? s->boot[i] : 1;
}

/* The distinct boots of s, in the order they first appear. */
static size_t boot_ids(const struct samples *s, int *ids)
{
	size_t k = 0;

	for (size_t i = 0; i < s->n; i++) {
		size_t j = 0;

		while (j < k && ids[j] != boot_of(s, i))
			j++;
		if (j == k)
			ids[k++] = boot_of(s, i);
	}
	return k;
}

size_t samples_boots(const struct samples *s)
{
	int *ids = xcalloc(s->n + 1, sizeof(int));
	size_t k = boot_ids(s, ids);

	free(ids);
	return k;
}

static double scaled(double v, bool use_log)
{
	return use_log ? log(v) : v;
}

void boot_medians(const struct samples *s, bool use_log, struct boot_medians *b)
{
	int *ids = xcalloc(s->n + 1, sizeof(int));
	double *w = xcalloc(s->n + 1, sizeof(double));

	memset(b, 0, sizeof(*b));
	b->log = use_log;
	b->k = boot_ids(s, ids);
	b->y = xcalloc(b->k + 1, sizeof(double));
	b->windows = xcalloc(b->k + 1, sizeof(size_t));
	for (size_t j = 0; j < b->k; j++) {
		size_t n = 0;

		for (size_t i = 0; i < s->n; i++) {
			if (boot_of(s, i) == ids[j])
				w[n++] = s->v[i];
		}
		b->y[j] = scaled(median_of(w, n), use_log);
		b->windows[j] = n;
	}
	free(w);
	free(ids);
}

double samples_summary(const struct samples *s)
{
	struct boot_medians b;
	double m;

	if (!s->n)
		return NAN;
	boot_medians(s, false, &b);
	m = median_of(b.y, b.k);
	boot_medians_free(&b);
	return m;
}

void boot_medians_free(struct boot_medians *b)
{
	free(b->y);
	free(b->windows);
	memset(b, 0, sizeof(*b));
}

/* The robust spread of one boot's windows: |value - boot median| each. */
static size_t abs_devs(const struct samples *s, bool use_log, int id,
		       double *dev)
{
	double *w = xcalloc(s->n + 1, sizeof(double)), m;
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++) {
		if (boot_of(s, i) == id)
			w[n++] = scaled(s->v[i], use_log);
	}
	m = median_of(w, n);
	for (size_t i = 0; i < n; i++)
		dev[i] = fabs(w[i] - m);
	free(w);
	return n;
}

void var_components(const struct samples *s, bool use_log, struct var_comp *vc)
{
	struct boot_medians bm;
	double *dev = xcalloc(s->n + 1, sizeof(double)), scale = 1;
	size_t nd = 0, pairs = 0;

	memset(vc, 0, sizeof(*vc));
	vc->within = vc->between = vc->boot_sd = NAN;
	vc->windows = s->n;
	boot_medians(s, use_log, &bm);
	vc->boots = bm.k;
	if (!use_log) {
		/* raw values: spreads relative to the overall median */
		scale = fabs(median_of(s->v, s->n));
		scale = scale > 0 ? scale : NAN;
	}
	/* the median absolute deviation of every window from its boot's
	 * median, boots of one window left out (they deviate by nothing)
	 */
	{
		int *ids = xcalloc(s->n + 1, sizeof(int));
		size_t k = boot_ids(s, ids);

		for (size_t j = 0; j < k; j++) {
			size_t n = abs_devs(s, use_log, ids[j], dev + nd);

			if (n >= 2) {
				nd += n;
				pairs++;
			}
		}
		free(ids);
	}
	if (pairs)
		vc->within = 1.4826 * median_of(dev, nd) / scale;
	if (bm.k >= 2) {
		double m = 0, v = 0, w2, inv_n = 0;

		for (size_t j = 0; j < bm.k; j++) {
			m += bm.y[j] / (double)bm.k;
			inv_n += 1 / (double)bm.windows[j] / (double)bm.k;
		}
		for (size_t j = 0; j < bm.k; j++)
			v += (bm.y[j] - m) * (bm.y[j] - m) / (double)(bm.k - 1);
		vc->boot_sd = sqrt(v) / scale;
		/* a median of n windows varies by about pi/2 within^2 / n */
		w2 = isnan(vc->within) ? 0 : vc->within * vc->within;
		vc->between = sqrt(fmax(0, vc->boot_sd * vc->boot_sd -
						   M_PI / 2 * w2 * inv_n));
	}
	boot_medians_free(&bm);
	free(dev);
}

static double pooled(double a, size_t da, double b, size_t db)
{
	if (isnan(a) || !da)
		return isnan(b) || !db ? NAN : b;
	if (isnan(b) || !db)
		return a;
	return sqrt((a * a * (double)da + b * b * (double)db) /
		    (double)(da + db));
}

void var_pool(const struct var_comp *a, const struct var_comp *b,
	      struct var_comp *out)
{
	size_t da = a->boots ? a->boots - 1 : 0,
	       db = b->boots ? b->boots - 1 : 0;
	struct var_comp r = {
		.boots = a->boots + b->boots,
		.windows = a->windows + b->windows,
		.within = pooled(a->within, a->windows - a->boots, b->within,
				 b->windows - b->boots),
		.boot_sd = pooled(a->boot_sd, da, b->boot_sd, db),
		.between = pooled(a->between, da, b->between, db),
	};

	*out = r;
}

size_t boots_to_detect(const struct var_comp *vc, size_t n, double effect,
		       double alpha, double power)
{
	double var, delta = log1p(effect);
	double w = isnan(vc->within) ? 0 : vc->within;

	if (isnan(vc->between) || !n || effect <= 0)
		return 0;
	var = vc->between * vc->between + w * w / (double)n;
	/* the smallest k whose t test (2k - 2 degrees of freedom) has the
	 * power: the normal formula, with t quantiles for few boots
	 */
	for (size_t k = 2; k <= 10000; k++) {
		double df = 2 * (double)k - 2;
		double z = t_half(1 - alpha, df) + t_half(2 * power - 1, df);

		if (2 * z * z * var / (delta * delta) <= (double)k)
			return k;
	}
	return 10000;
}
