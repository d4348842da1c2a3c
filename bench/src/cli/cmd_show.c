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

int cmd_show(int argc, char **argv)
{
	const char *dir = parse_run_dir(
		argc, argv,
		"Summarise a run: its status, context and every metric's median, range, spread within and between boots per cell.");
	char err[ERRLEN];
	struct policy p;
	struct run r;

	if (policy_load(NULL, &p, err, sizeof(err))) {
		errorf("%s", err);
		return 2;
	}
	if (run_load(dir, &r, err, sizeof(err))) {
		errorf("%s", err);
		policy_free(&p);
		return 2;
	}
	printf("run %s: suite %s, %s, started %s, %zu cell(s)\n", r.id, r.suite,
	       r.status, r.started, r.ncells);
	printf("directory %s\n", r.dir);
	for (size_t i = 0; i < r.ncells; i++)
		show_cell(&r.cells[i], &p);
	printf("\nwithin%%, between%%: CV of windows within a boot and between boots (noisy metrics); need: boots per side to detect the policy's minimum effect with 95%% power\n");
	run_free(&r);
	policy_free(&p);
	return 0;
}
