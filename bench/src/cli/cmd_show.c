// SPDX-License-Identifier: GPL-2.0
/* invlab show RUN: what a run is and what it measured, cell by cell. */
#include <argp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "analysis/runtab.h"
#include "analysis/stats.h"
#include "report/noise_table.h"
#include "lib/util.h"

/* "12.34", or "-" when not known. */
static void pct_col(double v)
{
	if (isnan(v))
		printf(" %8s", "-");
	else
		printf(" %8.2f", 100 * v);
}

static void show_cell(const struct cell *c, const struct policy *p)
{
	json_object *r = c->result;

	printf("\n%s: %s%s%s\n", c->id, c->status, c->reason ? ": " : "",
	       c->reason ? c->reason : "");
	if (!r) {
		printf("  no result: %s\n", c->result_err);
		return;
	}
	printf("  kernel %s, %s, IOMMU %s, interrupt remapping %s\n",
	       json_path_str(r, "context.kernel.release", "?"),
	       json_path_str(r, "workload.job",
			     json_path_str(r, "workload.type", "?")),
	       json_path_str(r, "context.iommu.dma_mode", "?"),
	       json_path_str(r, "context.iommu.interrupt_remapping", "?"));
	if (!strcmp(json_path_str(r, "context.lab.timing.mode", "wall"),
		    "icount"))
		printf("  clock: QEMU icount (%s): every *_ns figure is guest instructions, not time\n",
		       json_path_str(r, "context.lab.timing.icount", "?"));
	else if (json_path(r, "context.lab"))
		printf("  clock: wall time under QEMU (TCG): a property of this host, not of hardware\n");
	printf("  %-40s %5s %5s %14s %14s %14s %8s %8s %6s\n", "metric", "n",
	       "boots", "median", "min", "max", "within%", "between%", "need");
	for (size_t i = 0; i < c->nm; i++) {
		double *v = xcalloc(c->m[i].n + 1, sizeof(double));
		size_t n = metric_values(&c->m[i], v, NULL);
		struct cell_noise cn = { 0 };
		bool noise = cell_noise(c, c->m[i].name, p, &cn);

		printf("  %-40s %5zu %5zu %14.4g %14.4g %14.4g", c->m[i].name,
		       n, noise ? cn.vc.boots : 0, median_of(v, n),
		       min_of(v, n), max_of(v, n));
		pct_col(noise ? cn.vc.within : NAN);
		pct_col(noise ? cn.vc.between : NAN);
		if (noise && cn.boots_needed)
			printf(" %6zu\n", cn.boots_needed);
		else
			printf(" %6s\n", "-");
		free(v);
	}
}

struct show_opts {
	const char *dir; /* first: run_dir_parse's */
	const char *metric;
};

static const struct argp_option show_options[] = {
	{ "metric", 'm', "NAME", 0,
	  "Print only this metric's median per cell, \"CELL VALUE\" (VALUE - where the cell lacks it: exit 1), for scripts",
	  0 },
	{ 0 }
};

static error_t show_parse(int key, char *arg, struct argp_state *state)
{
	struct show_opts *o = state->input;

	if (key != 'm')
		return run_dir_parse(key, arg, state);
	o->metric = arg;
	return 0;
}

/* --metric: each cell's median of it, one line a cell. */
static int show_metric(const struct run *r, const char *name)
{
	int ret = 0;

	for (size_t i = 0; i < r->ncells; i++) {
		const struct metric *m = cell_metric(&r->cells[i], name);
		double *v = xcalloc((m ? m->n : 0) + 1, sizeof(double));
		size_t n = m ? metric_values(m, v, NULL) : 0;

		if (n)
			printf("%s %.6g\n", r->cells[i].id, median_of(v, n));
		else
			printf("%s -\n", r->cells[i].id);
		ret |= !n;
		free(v);
	}
	return ret;
}

int cmd_show(int argc, char **argv)
{
	struct show_opts o = { 0 };
	struct argp argp = {
		.options = show_options,
		.parser = show_parse,
		.args_doc = "RUN_DIR",
		.doc = "Summarise a run (or one cell of it): its status, context and every metric's median, range, spread within and between boots per cell.",
	};
	const char *dir;
	char err[ERRLEN];
	struct policy p;
	struct run r;
	int ret = 0;

	argp_parse(&argp, argc, argv, 0, NULL, &o);
	dir = o.dir;
	if (policy_load(NULL, &p, err, sizeof(err))) {
		errorf("%s", err);
		return 2;
	}
	if (run_load(dir, &r, err, sizeof(err))) {
		errorf("%s", err);
		policy_free(&p);
		return 2;
	}
	if (o.metric) {
		ret = show_metric(&r, o.metric);
		goto out;
	}
	printf("run %s: suite %s, %s, started %s, %zu cell(s)\n", r.id, r.suite,
	       r.status, r.started, r.ncells);
	printf("directory %s\n", r.dir);
	for (size_t i = 0; i < r.ncells; i++)
		show_cell(&r.cells[i], &p);
	printf("\nwithin%%, between%%: CV of windows within a boot and between boots (noisy metrics); need: boots per side to detect the policy's minimum effect with 95%% power\n");
out:
	run_free(&r);
	policy_free(&p);
	return ret;
}
