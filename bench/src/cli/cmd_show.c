// SPDX-License-Identifier: GPL-2.0
/* invlab show RUN: what a run is and what it measured, cell by cell. */
#include <argp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "analysis/runtab.h"
#include "analysis/stats.h"
#include "lib/util.h"

static void show_cell(const struct cell *c)
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
	printf("  %-40s %5s %14s %14s %14s %7s\n", "metric", "n", "median",
	       "min", "max", "cv%");
	for (size_t i = 0; i < c->nm; i++) {
		double *v = xcalloc(c->m[i].n + 1, sizeof(double)), mean = 0,
		       sd = 0;
		size_t n = metric_values(&c->m[i], v, NULL);

		for (size_t k = 0; k < n; k++)
			mean += v[k] / n;
		for (size_t k = 0; k < n && n > 1; k++)
			sd += (v[k] - mean) * (v[k] - mean) / (n - 1);
		printf("  %-40s %5zu %14.4g %14.4g %14.4g %7.2f\n",
		       c->m[i].name, n, median_of(v, n), min_of(v, n),
		       max_of(v, n),
		       mean != 0 ? 100 * sqrt(sd) / fabs(mean) : 0);
		free(v);
	}
}

int cmd_show(int argc, char **argv)
{
	const char *dir = parse_run_dir(
		argc, argv,
		"Summarise a run: its status, context and every metric's median, range and spread per cell.");
	char err[ERRLEN];
	struct run r;

	if (run_load(dir, &r, err, sizeof(err))) {
		errorf("%s", err);
		return 2;
	}
	printf("run %s: suite %s, %s, started %s, %zu cell(s)\n", r.id, r.suite,
	       r.status, r.started, r.ncells);
	printf("directory %s\n", r.dir);
	for (size_t i = 0; i < r.ncells; i++)
		show_cell(&r.cells[i]);
	run_free(&r);
	return 0;
}
