// SPDX-License-Identifier: GPL-2.0
#include "plot_boots.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/stats.h"

/* The noisy metrics worth a plot, in this order, when the run has them. */
static const char *const headline[] = {
	"iops",	     "clat_p99_us",   "detached.iops",	"unmap_ns",
	"update_ns", "port_cycle_ms", "memhp_unmap_us", "tx_pps",
};
#define MAX_PLOTS 4

static int max_boot(const struct run *r)
{
	int k = 0;

	for (size_t i = 0; i < r->ncells; i++)
		for (size_t m = 0; m < r->cells[i].nm; m++)
			for (size_t w = 0; w < r->cells[i].m[m].n; w++)
				k = r->cells[i].m[m].boot[w] > k ?
					    r->cells[i].m[m].boot[w] :
					    k;
	return k;
}

/* A cell's windows (block 2i) and its boots' medians (block 2i+1). */
static void add_cell(struct plot_lines *l, const struct cell *c,
		     const struct metric *m)
{
	struct plot_series *win, *med;
	double *v = xcalloc(m->n + 1, sizeof(double));
	int *boot = xcalloc(m->n + 1, sizeof(int)), top = 0;
	size_t n = metric_values(m, v, boot);
	char *t = xasprintf("%s windows", c->id);

	win = plot_lines_add(l, t);
	free(t);
	t = xasprintf("%s boot medians", c->id);
	med = plot_lines_add(l, t);
	free(t);
	for (size_t i = 0; i < n; i++) {
		/* spread the windows of a boot across a fifth of its slot */
		plot_point(win, boot[i] + 0.2 * ((double)(i % 9) / 8 - 0.5),
			   v[i]);
		top = boot[i] > top ? boot[i] : top;
	}
	for (int b = 1; b <= top; b++) {
		double *bv = xcalloc(n + 1, sizeof(double));
		size_t bn = 0;

		for (size_t i = 0; i < n; i++)
			if (boot[i] == b)
				bv[bn++] = v[i];
		if (bn)
			plot_point(med, b, median_of(bv, bn));
		free(bv);
	}
	free(v);
	free(boot);
}

static int plot_metric(struct plot_set *ps, const struct run *r,
		       const char *metric, char *err, size_t err_len)
{
	struct plot_lines lines = { 0 };
	struct strv vars = { 0 };
	char *data, *title, *caption, *q, *file;
	size_t cells = 0;
	int ret;

	for (size_t i = 0; i < r->ncells; i++) {
		const struct metric *m = cell_metric(&r->cells[i], metric);

		if (m) {
			add_cell(&lines, &r->cells[i], m);
			cells++;
		}
	}
	strv_addf(&vars, "n=%zu", cells);
	q = plot_quote(metric);
	strv_addf(&vars, "ylabel=%s", q);
	free(q);
	title = xasprintf("%s by boot", metric);
	caption = xasprintf(
		"%s in every window (small points) and each boot's median (large), per cell: windows of one boot agree with each other more than boots do, so comparisons are made over boots.",
		metric);
	q = plot_slug(metric);
	file = xasprintf("boots-%s", q);
	free(q);
	data = plot_lines_text(&lines, metric);
	ret = plot_draw(ps, "boots", file, data, &vars, title, caption, err,
			err_len);
	free(data);
	free(file);
	free(caption);
	free(title);
	strv_free(&vars);
	plot_lines_free(&lines);
	return ret;
}

int plot_boots(struct plot_set *ps, const struct run *r, char *err,
	       size_t err_len)
{
	size_t drawn = 0;
	int ret = 0;

	if (max_boot(r) < 2) {
		plot_set_skip(
			ps,
			"Noise by boot: every cell booted once, so there is no spread between boots to draw");
		return 0;
	}
	for (size_t k = 0; k < sizeof(headline) / sizeof(headline[0]) &&
			   drawn < MAX_PLOTS && !ret;
	     k++) {
		bool any = false;

		for (size_t i = 0; i < r->ncells && !any; i++)
			any = cell_metric(&r->cells[i], headline[k]) != NULL;
		if (!any)
			continue;
		ret = plot_metric(ps, r, headline[k], err, err_len);
		drawn++;
	}
	return ret;
}
