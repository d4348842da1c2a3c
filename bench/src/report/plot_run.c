// SPDX-License-Identifier: GPL-2.0
#include "plot_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/stats.h"
#include "param_lines.h"

/* Median over a cell's windows; NaN when no window has the metric. */
static double cell_median(const struct cell *c, const char *name)
{
	const struct metric *m = cell_metric(c, name);
	double *v, med;
	size_t n;

	if (!m)
		return NAN;
	v = xcalloc(m->n, sizeof(double));
	n = metric_values(m, v, NULL);
	med = n ? median(v, n) : NAN;
	free(v);
	return med;
}

/*
 * Median of one opcode's commands per I/O. A window that counted commands
 * but none of this opcode has zero of it (by_opcode lists only non-zero
 * opcodes), not a missing value.
 */
static double opcode_median(const struct cell *c, const char *name)
{
	const struct metric *all = cell_metric(c, "cmds_per_io");
	const struct metric *m = cell_metric(c, name);
	double *v, med;
	size_t n = 0;

	if (!all)
		return NAN;
	v = xcalloc(all->n, sizeof(double));
	for (size_t w = 0; w < all->n; w++) {
		if (isnan(all->v[w]))
			continue;
		v[n++] = m && w < m->n && !isnan(m->v[w]) ? m->v[w] : 0;
	}
	med = n ? median(v, n) : NAN;
	free(v);
	return med;
}

static void appendf_list(char **list, const char *fmt, const char *a,
			 const char *b)
{
	char *item = xasprintf(fmt, a, b), *t;

	t = xasprintf("%s%s%s", *list, **list ? "; " : "", item);
	free(item);
	free(*list);
	*list = t;
}

int plot_cmd_mix(struct plot_set *ps, const struct run *r, char *err,
		 size_t err_len)
{
	struct plot_table t;
	struct strv ops = { 0 }, vars = { 0 };
	char *left_out = xstrdup(""), *data, *caption;
	const char *title = "IOMMU commands per I/O by opcode";
	size_t maxlabel = 0;
	int ret = 0;

	plot_table_init(&t, "cell");
	for (size_t i = 0; i < r->ncells; i++) {
		const struct cell *c = &r->cells[i];

		for (size_t j = 0; j < c->nm; j++) {
			const char *n = c->m[j].name;
			bool seen = false;

			if (strncmp(n, "cmds_per_io.", 12))
				continue;
			for (size_t k = 0; k < ops.n && !seen; k++)
				seen = !strcmp(ops.v[k], n);
			if (!seen)
				strv_add(&ops, n);
		}
	}
	for (size_t k = 0; k < ops.n; k++)
		plot_table_col(&t, ops.v[k] + 12);
	for (size_t i = 0; i < r->ncells; i++) {
		const struct cell *c = &r->cells[i];
		size_t row;

		if (!c->result) {
			appendf_list(&left_out, "%s (no valid result: %s)",
				     c->id, c->result_err);
			continue;
		}
		if (isnan(cell_median(c, "cmds_per_io"))) {
			appendf_list(&left_out, "%s (%s)", c->id,
				     "no window counted commands per I/O");
			continue;
		}
		row = plot_table_row(&t, c->id);
		if (strlen(c->id) > maxlabel)
			maxlabel = strlen(c->id);
		for (size_t k = 0; k < ops.n; k++)
			plot_table_set(&t, row, k, opcode_median(c, ops.v[k]));
	}
	if (!t.nrows || !ops.n) {
		plot_set_skip(ps, "%s: no cell has command counts (%s)", title,
			      *left_out ? left_out : "no commands counted");
		goto out;
	}
	strv_addf(&vars, "n=%zu", ops.n);
	strv_addf(&vars, "maxlabel=%zu", maxlabel);
	caption = xasprintf(
		"Per cell, the median over its windows of each opcode's commands per completed I/O (cmds_per_io.OPCODE), stacked: a bar's height is its commands per I/O.%s%s%s",
		*left_out ? " Not in the plot: " : "", left_out,
		*left_out ? "." : "");
	data = plot_table_text(&t);
	ret = plot_draw(ps, "cmdmix", "cmdmix", data, &vars, title, caption,
			err, err_len);
	free(data);
	free(caption);
out:
	free(left_out);
	strv_free(&ops);
	strv_free(&vars);
	plot_table_free(&t);
	return ret;
}

/* The run.json entry of cell c. */
static json_object *run_entry(const struct run *r, const struct cell *c)
{
	json_object *ks = json_path(r->json, "kernels");

	for (size_t i = 0; ks && json_object_is_type(ks, json_type_array) &&
			   i < json_object_array_length(ks);
	     i++) {
		json_object *k = json_object_array_get_idx(ks, i);
		const char *id = json_path_str(k, "cell", NULL);

		if (!strcmp(id ? id : json_path_str(k, "label", ""), c->id))
			return k;
	}
	return NULL;
}

static void add_params(json_object *o, struct strv *params)
{
	if (!o || !json_object_is_type(o, json_type_object))
		return;
	json_object_object_foreach(o, name, v)
	{
		if (!v || json_object_is_type(v, json_type_object) ||
		    json_object_is_type(v, json_type_array) ||
		    param_value(params, name))
			continue;
		strv_addf(params, "%s=%s", name, json_object_get_string(v));
	}
}

void cell_params(const struct run *r, const struct cell *c, struct strv *params,
		 const char **kernel)
{
	json_object *e = run_entry(r, c);

	add_params(json_path(e, "params"), params);
	add_params(json_path(c->result, "workload.params"), params);
	*kernel = json_path_str(e, "label", c->id);
}

/* The metrics plotted against a parameter: the key ones, then the
 * workload's own (samples[].metrics) of the lines' cells.
 */
static void param_lines_metrics(const struct run *r,
				const struct param_lines *s, struct strv *names)
{
	strv_add(names, "iops=");
	strv_add(names, "clat_p99_us=");
	strv_add(names, "cmds_per_io=");
	for (size_t l = 0; l < s->nline; l++) {
		for (size_t k = 0; k < s->line[l].n; k++) {
			json_object *smp = json_path(
				r->cells[s->line[l].cell[k]].result, "samples");

			for (size_t w = 0;
			     smp && json_object_is_type(smp, json_type_array) &&
			     w < json_object_array_length(smp);
			     w++) {
				json_object *m = json_path(
					json_object_array_get_idx(smp, w),
					"metrics");

				if (!m ||
				    !json_object_is_type(m, json_type_object))
					continue;
				json_object_object_foreach(m, name, v)
				{
					(void)v;
					if (!param_value(names, name))
						strv_addf(names, "%s=", name);
				}
			}
		}
	}
	/* Stored as "name=" so that param_value() finds them; strip it. */
	for (size_t i = 0; i < names->n; i++)
		names->v[i][strlen(names->v[i]) - 1] = '\0';
}

/* A line with two points at different x: something to draw. */
static bool drawable(const struct plot_lines *l)
{
	for (size_t i = 0; i < l->n; i++) {
		for (size_t k = 1; k < l->s[i].n; k++) {
			if (l->s[i].x[k] != l->s[i].x[0])
				return true;
		}
	}
	return false;
}

static int param_lines_plot(struct plot_set *ps, const struct run *r,
			    const struct param_lines *s, const char *metric,
			    char *err, size_t err_len)
{
	struct plot_lines lines = { 0 };
	struct strv vars = { 0 };
	char *title = xasprintf("%s against %s", metric, s->param);
	char *missing = xstrdup(""), *data, *caption, *q, *file, *a, *b;
	int ret = 0;

	for (size_t l = 0; l < s->nline; l++) {
		struct plot_series *ser = NULL;

		for (size_t k = 0; k < s->line[l].n; k++) {
			const struct cell *c = &r->cells[s->line[l].cell[k]];
			double y = cell_median(c, metric);

			if (isnan(y)) {
				appendf_list(&missing, "%s%s", c->id, "");
				continue;
			}
			if (!ser)
				ser = plot_lines_add(&lines, s->line[l].title);
			plot_point(ser, s->line[l].x[k], y);
		}
	}
	if (!drawable(&lines)) {
		plot_set_skip(
			ps,
			"%s: no two cells of one line have it (cells without it: %s)",
			title, *missing ? missing : "none");
		goto out;
	}
	strv_addf(&vars, "n=%zu", lines.n);
	strv_addf(&vars, "logx=%d", s->log2);
	q = plot_quote(s->param);
	strv_addf(&vars, "xlabel=%s", q);
	free(q);
	q = plot_quote(metric);
	strv_addf(&vars, "ylabel=%s", q);
	free(q);
	caption = xasprintf(
		"Median over each cell's windows of %s, against the cells' parameter %s (%s x axis); a line per value of the other parameters and kernel.%s%s%s",
		metric, s->param, s->log2 ? "log2" : "linear",
		*missing ? " Cells without this metric: " : "", missing,
		*missing ? "." : "");
	a = plot_slug(s->param);
	b = plot_slug(metric);
	/* plots/sweep.gp draws these; the files keep their sweep- names */
	file = xasprintf("sweep-%s-%s", a, b);
	data = plot_lines_text(&lines, metric);
	ret = plot_draw(ps, "sweep", file, data, &vars, title, caption, err,
			err_len);
	free(data);
	free(file);
	free(a);
	free(b);
	free(caption);
out:
	free(title);
	free(missing);
	strv_free(&vars);
	plot_lines_free(&lines);
	return ret;
}

int plot_param_lines(struct plot_set *ps, const struct run *r, char *err,
		     size_t err_len)
{
	struct param_cell *cells = xcalloc(r->ncells, sizeof(*cells));
	struct strv *params = xcalloc(r->ncells, sizeof(*params));
	struct param_lines_set pls;
	int ret = 0;

	for (size_t i = 0; i < r->ncells; i++) {
		cell_params(r, &r->cells[i], &params[i], &cells[i].series);
		cells[i].params = &params[i];
	}
	param_lines_find(cells, r->ncells, &pls);
	if (!pls.n)
		plot_set_skip(
			ps,
			"Metrics against a parameter: no two cells differ in one numeric parameter alone (parameters: run.json kernels[].params, result.json workload.params)");
	for (size_t i = 0; i < pls.n && !ret; i++) {
		struct strv metrics = { 0 };

		param_lines_metrics(r, &pls.v[i], &metrics);
		for (size_t m = 0; m < metrics.n && !ret; m++)
			ret = param_lines_plot(ps, r, &pls.v[i], metrics.v[m],
					       err, err_len);
		strv_free(&metrics);
	}
	param_lines_set_free(&pls);
	for (size_t i = 0; i < r->ncells; i++)
		strv_free(&params[i]);
	free(params);
	free(cells);
	return ret;
}
