// SPDX-License-Identifier: GPL-2.0
#include "bisect.h"

#include <stdlib.h>
#include <string.h>

int bisect_samples(const char *run_dir, const char *cell, const char *metric,
		   double **v, size_t *n, char *err, size_t err_len)
{
	const struct metric *m;
	const struct cell *c;
	struct run r;

	if (run_load(run_dir, &r, err, err_len))
		return -1;
	c = cell ? run_cell(&r, cell) : r.ncells ? &r.cells[0] : NULL;
	if (!c || !c->result) {
		seterr(err, err_len, "%s: %s%s%s", run_dir,
		       c ? "no result in cell " : "no cell ", cell ? cell : "",
		       c ? c->result_err : "");
		run_free(&r);
		return -1;
	}
	m = cell_metric(c, metric);
	if (!m) {
		seterr(err, err_len, "%s: cell %s has no metric '%s'", run_dir,
		       c->id, metric);
		run_free(&r);
		return -1;
	}
	*v = xcalloc(m->n + 1, sizeof(double));
	*n = metric_values(m, *v);
	run_free(&r);
	return 0;
}

enum bisect_verdict bisect_judge(const struct policy *p, const char *metric,
				 enum verdict change, const double *good,
				 size_t ng, const double *step, size_t ns,
				 struct judgement *j)
{
	judge(p, metric, good, ng, step, ns, j);
	if (j->verdict == change)
		return BISECT_BAD;
	return j->verdict == V_SAME ? BISECT_GOOD : BISECT_SKIP;
}
