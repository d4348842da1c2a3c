// SPDX-License-Identifier: GPL-2.0
/*
 * invlab nightly report output: nightly.md (regressions at the end first,
 * then every change point with what changed in the context there),
 * nightly.json (every series, for tools) and trend plots: one data file
 * per chosen series and one driver script that loads plots/trend.gp of the
 * work tree for each, so gnuplot starts once however many plots there are.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/judge.h"
#include "lib/json_util.h"
#include "nightly.h"
#include "analysis/stats.h"
#include "report/plot.h"

static const char *series_unit(const struct trend *t)
{
	return t->rule && t->rule->unit ? t->rule->unit : "";
}

static void series_title(FILE *f, const struct trend *t)
{
	fprintf(f, "%s / %s / %s / `%s`", t->g->host, t->g->suite, t->g->cell,
		t->metric);
}

static void md_regressions(const struct nightly *n, FILE *f)
{
	char a[32], b[32];

	fprintf(f, "## Regressed in the latest segment\n\n");
	if (!n->regressed_at_end)
		fprintf(f, "None: no series ends in a regression.\n\n");
	for (size_t i = 0; i < n->nt; i++) {
		const struct trend *t = &n->t[i];
		const struct changepoint *cp;

		if (!t->regressed_at_end)
			continue;
		cp = &t->cp[t->ncp - 1];
		fmt_metric_value(a, sizeof(a), cp->j.med_a);
		fmt_metric_value(b, sizeof(b), cp->j.med_b);
		fprintf(f, "- **");
		series_title(f, t);
		fprintf(f,
			"**: since run %s (%.10s), %s -> %s %s (%+.2f%%)%s\n",
			trend_entry(t, cp->run)->run_id,
			trend_entry(t, cp->run)->started, a, b, series_unit(t),
			100 * (cp->j.ratio - 1),
			t->cp_ctx[t->ncp - 1].n ?
				"; the context changed there" :
				"");
	}
	if (n->regressed_at_end)
		fputc('\n', f);
}

static void md_groups(const struct nightly *n, FILE *f)
{
	bool any = false;

	fprintf(f, "## Runs skipped and context changes\n\n");
	for (size_t i = 0; i < n->ng; i++) {
		const struct trend_group *g = &n->g[i];

		if (!g->skipped.n && !g->ctx_changes.n)
			continue;
		any = true;
		fprintf(f, "%s / %s / %s (%zu runs used):\n\n", g->host,
			g->suite, g->cell, g->n);
		for (size_t k = 0; k < g->skipped.n; k++)
			fprintf(f, "- skipped, not complete: %s\n",
				g->skipped.v[k]);
		for (size_t k = 0; k < g->ctx_changes.n; k++)
			fprintf(f, "- context: `%s`\n", g->ctx_changes.v[k]);
		fputc('\n', f);
	}
	if (!any)
		fprintf(f, "None.\n\n");
}

static void md_series(const struct trend *t, FILE *f)
{
	char a[32], b[32];

	fprintf(f, "### ");
	series_title(f, t);
	fprintf(f, "\n\n%zu runs; %s, %s%s%s.\n\n", t->nruns,
		t->rule->kind == KIND_EXACT ? "exact" : "noisy",
		t->rule->direction == DIR_NONE	 ? "no direction" :
		t->rule->direction == DIR_HIGHER ? "higher is better" :
						   "lower is better",
		*series_unit(t) ? ", unit " : "", series_unit(t));
	if (t->plot_name)
		fprintf(f, "[![trend](plots/%s.png)](plots/%s.svg)\n\n",
			t->plot_name, t->plot_name);
	fprintf(f,
		"| from run | date | before (runs) | after (runs) | change | p | verdict | context changed |\n");
	fprintf(f, "|---|---|---:|---:|---:|---:|---|---|\n");
	for (size_t k = 0; k < t->ncp; k++) {
		const struct changepoint *cp = &t->cp[k];
		const struct hist_entry *e = trend_entry(t, cp->run);

		fmt_metric_value(a, sizeof(a), cp->j.med_a);
		fmt_metric_value(b, sizeof(b), cp->j.med_b);
		fprintf(f, "| %s | %.10s | %s (%zu) | %s (%zu) | ", e->run_id,
			e->started, a, cp->run - cp->from, b, cp->to - cp->run);
		if (isnan(cp->j.ratio))
			fprintf(f, "- | ");
		else
			fprintf(f, "%+.2f%% | ", 100 * (cp->j.ratio - 1));
		if (isnan(cp->j.p))
			fprintf(f, "- | ");
		else
			fprintf(f, "%.2g | ", cp->j.p);
		fprintf(f, "**%s** | ", verdict_name(cp->j.verdict));
		for (size_t c = 0; c < t->cp_ctx[k].n; c++)
			fprintf(f, "%s`%s`", c ? "<br>" : "",
				t->cp_ctx[k].v[c]);
		fprintf(f, "%s |\n", t->cp_ctx[k].n ? "" : "no");
	}
	fputc('\n', f);
}

void nightly_markdown(const struct nightly *n, const char *history_dir,
		      const char *plot_note, FILE *f)
{
	const struct history *h = n->h;
	const char *first = h->n ? h->e[0].started : "", *last = first;

	for (size_t i = 1; i < h->n; i++) {
		if (strcmp(h->e[i].started, first) < 0)
			first = h->e[i].started;
		if (strcmp(h->e[i].started, last) > 0)
			last = h->e[i].started;
	}
	fprintf(f, "# invlab nightly\n\n");
	fprintf(f, "- history: `%s`: %zu runs", history_dir, h->n);
	if (h->n)
		fprintf(f, " from %.10s to %.10s", first, last);
	fprintf(f, "\n- policy: `%s` (alpha %g, %u permutations)\n", n->p->path,
		n->p->alpha, n->p->permutations);
	fprintf(f,
		"- change points: binary segmentation over the whole history, one value a night (the median of its boots' medians), segments of at least %zu nights; a search is kept only when a permutation test of it is significant, and each change point kept is a change between the segments on either side (Welch's t over nights and the minimum effect; exact metrics by tolerance)\n",
		n->cp.min_runs);
	if (plot_note)
		fprintf(f, "- plots: %s\n", plot_note);
	fprintf(f,
		"\n**%zu series, %zu with change points, %zu regressed in the latest segment.**\n\n",
		n->nt, n->with_cp, n->regressed_at_end);
	md_regressions(n, f);
	md_groups(n, f);
	fprintf(f, "## Change points\n\n");
	if (!n->with_cp)
		fprintf(f, "None in any series.\n\n");
	/* the series that end in a regression first */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n->nt; i++) {
			const struct trend *t = &n->t[i];

			if (t->ncp && t->regressed_at_end == !pass)
				md_series(t, f);
		}
	}
}

/* ---- JSON ------------------------------------------------------------ */

static void add(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

static json_object *segment_json(const struct trend *t, size_t from, size_t to,
				 double med, size_t n)
{
	json_object *o = json_object_new_object();

	add(o, "first_run",
	    json_object_new_string(trend_entry(t, from)->run_id));
	add(o, "last_run",
	    json_object_new_string(trend_entry(t, to - 1)->run_id));
	add(o, "runs", json_object_new_int64((int64_t)(to - from)));
	add(o, "samples", json_object_new_int64((int64_t)n));
	add(o, "median", json_num(med));
	return o;
}

static json_object *cp_json(const struct trend *t, size_t k)
{
	const struct changepoint *cp = &t->cp[k];
	const struct hist_entry *e = trend_entry(t, cp->run);
	json_object *o = json_object_new_object();

	add(o, "run_id", json_object_new_string(e->run_id));
	add(o, "started", json_object_new_string(e->started));
	add(o, "index", json_object_new_int64((int64_t)cp->run));
	add(o, "before",
	    segment_json(t, cp->from, cp->run, cp->j.med_a, cp->j.na));
	add(o, "after",
	    segment_json(t, cp->run, cp->to, cp->j.med_b, cp->j.nb));
	add(o, "ratio", json_num(cp->j.ratio));
	add(o, "ci95_lo", json_num(cp->j.lo));
	add(o, "ci95_hi", json_num(cp->j.hi));
	add(o, "p", json_num(cp->j.p));
	add(o, "verdict", json_object_new_string(verdict_name(cp->j.verdict)));
	add(o, "why", json_object_new_string(cp->j.why));
	add(o, "context_changed", json_object_new_boolean(t->cp_ctx[k].n > 0));
	add(o, "context_diff", json_strv(&t->cp_ctx[k]));
	return o;
}

static json_object *series_json(const struct trend *t)
{
	json_object *o = json_object_new_object(), *cps;

	add(o, "host", json_object_new_string(t->g->host));
	add(o, "suite", json_object_new_string(t->g->suite));
	add(o, "cell", json_object_new_string(t->g->cell));
	add(o, "metric", json_object_new_string(t->metric));
	add(o, "unit", json_object_new_string(series_unit(t)));
	add(o, "direction",
	    json_object_new_string(
		    t->rule ? direction_name(t->rule->direction) : "none"));
	add(o, "kind",
	    json_object_new_string(t->rule && t->rule->kind == KIND_EXACT ?
					   "exact" :
					   "noisy"));
	add(o, "runs", json_object_new_int64((int64_t)t->nruns));
	if (t->nruns) {
		add(o, "last_run",
		    json_object_new_string(
			    trend_entry(t, t->nruns - 1)->run_id));
		add(o, "last_median",
		    json_num(median_of(t->v + t->off[t->nruns - 1],
				       t->off[t->nruns] -
					       t->off[t->nruns - 1])));
	}
	cps = json_object_new_array();
	for (size_t k = 0; k < t->ncp; k++)
		json_object_array_add(cps, cp_json(t, k));
	add(o, "change_points", cps);
	add(o, "regressed_at_end",
	    json_object_new_boolean(t->regressed_at_end));
	if (t->plot_name)
		add(o, "plot", json_object_new_string(t->plot_name));
	return o;
}

json_object *nightly_json(const struct nightly *n, const char *history_dir)
{
	json_object *doc = json_object_new_object(), *groups, *series;

	add(doc, "schema", json_object_new_string("invlab.nightly"));
	add(doc, "version", json_object_new_int(1));
	add(doc, "history", json_object_new_string(history_dir));
	add(doc, "policy", json_object_new_string(n->p->path));
	add(doc, "runs", json_object_new_int64((int64_t)n->h->n));
	add(doc, "min_runs", json_object_new_int64((int64_t)n->cp.min_runs));
	add(doc, "series_count", json_object_new_int64((int64_t)n->nt));
	add(doc, "with_change_points",
	    json_object_new_int64((int64_t)n->with_cp));
	add(doc, "regressed_at_end",
	    json_object_new_int64((int64_t)n->regressed_at_end));
	groups = json_object_new_array();
	for (size_t i = 0; i < n->ng; i++) {
		const struct trend_group *g = &n->g[i];
		json_object *o = json_object_new_object();

		add(o, "host", json_object_new_string(g->host));
		add(o, "suite", json_object_new_string(g->suite));
		add(o, "cell", json_object_new_string(g->cell));
		add(o, "runs", json_object_new_int64((int64_t)g->n));
		add(o, "skipped", json_strv(&g->skipped));
		add(o, "context_changes", json_strv(&g->ctx_changes));
		json_object_array_add(groups, o);
	}
	add(doc, "groups", groups);
	series = json_object_new_array();
	for (size_t i = 0; i < n->nt; i++)
		json_object_array_add(series, series_json(&n->t[i]));
	add(doc, "series", series);
	return doc;
}

/* ---- plots ----------------------------------------------------------- */

static char *plot_name(const struct trend *t, size_t i)
{
	char *raw = xasprintf("%04zu-%s-%s-%s-%.80s", i, t->g->host,
			      t->g->suite, t->g->cell, t->metric);
	char *name = plot_slug(raw);

	free(raw);
	return name;
}

/* x median min max segment-median date run-id, one line per run. */
static int write_data(const struct trend *t, const char *path)
{
	FILE *f = fopen(path, "w");
	size_t seg = 0, from = 0, to;
	double segmed = NAN;

	if (!f)
		return -1;
	fprintf(f,
		"# %s / %s / %s / %s\n# x median min max segment_median date run\n",
		t->g->host, t->g->suite, t->g->cell, t->metric);
	for (size_t r = 0; r < t->nruns; r++) {
		const double *v = t->v + t->off[r];
		size_t nv = t->off[r + 1] - t->off[r];
		const struct hist_entry *e = trend_entry(t, r);

		if (r == from) {
			to = seg < t->ncp ? t->cp[seg].run : t->nruns;
			segmed = median_of(t->v + t->off[from],
					   t->off[to] - t->off[from]);
			from = to;
			seg++;
		}
		fprintf(f, "%zu %.10g %.10g %.10g %.10g %.10s %s\n", r + 1,
			median_of(v, nv), min_of(v, nv), max_of(v, nv), segmed,
			e->started, e->run_id);
	}
	return fclose(f);
}

/* Variables for plots/trend.gp, then the script itself. */
static void driver_entry(FILE *f, const struct trend *t, const char *dir)
{
	const char *unit = series_unit(t);

	fprintf(f, "datafile = ");
	plot_put_quotedf(f, "%s/%s.dat", dir, t->plot_name);
	fprintf(f, "\nout = ");
	plot_put_quotedf(f, "%s/%s", dir, t->plot_name);
	fprintf(f, "\nplottitle = ");
	plot_put_quotedf(f, "%s / %s / %s / %s", t->g->host, t->g->suite,
			 t->g->cell, t->metric);
	fprintf(f, "\nylab = ");
	plot_put_quotedf(f, "%s%s%s%s", t->metric, *unit ? " (" : "", unit,
			 *unit ? ")" : "");
	fprintf(f, "\ncps = '");
	for (size_t k = 0; k < t->ncp; k++)
		fprintf(f, "%s%.1f", k ? " " : "", (double)t->cp[k].run + 0.5);
	fprintf(f, "'\ncpcolors = '");
	for (size_t k = 0; k < t->ncp; k++)
		fprintf(f, "%s%s", k ? " " : "",
			t->cp[k].j.verdict == V_REGRESSED ? "#d62728" :
			t->cp[k].j.verdict == V_IMPROVED  ? "#2ca02c" :
							    "#9467bd");
	fprintf(f, "'\nctx = '");
	for (size_t r = 1, sep = 0; r < t->nruns; r++) {
		if (t->g->ctx_id[t->grun[r]] != t->g->ctx_id[t->grun[r - 1]])
			fprintf(f, "%s%.1f", sep++ ? " " : "", (double)r + 0.5);
	}
	fprintf(f, "'\nxstep = %zu\nload ", t->nruns > 12 ? t->nruns / 12 : 1);
	plot_put_quotedf(f, "%s/plots/trend.gp", invlab_top());
	fprintf(f, "\n\n");
}

/* Plots of an earlier report in the same place would be taken for ours. */
static void remove_old_plots(const char *dir)
{
	static const char *const ext[] = { ".dat", ".png", ".svg" };
	struct dirent **names;
	int n = scandir(dir, &names, NULL, NULL);

	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);

		for (size_t k = 0; k < 3; k++) {
			char *path;

			if (len < 5 || names[i]->d_name[4] != '-' ||
			    strcmp(names[i]->d_name + len - 4, ext[k]))
				continue;
			path = xasprintf("%s/%s", dir, names[i]->d_name);
			unlink(path);
			free(path);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

int nightly_plots(struct nightly *n, const char *out, char *err, size_t err_len)
{
	char *dir = xasprintf("%s/plots", out), *abs, *driver, *path;
	char *argv[3] = { "gnuplot", NULL, NULL };
	size_t count = 0;
	FILE *f;
	int ret = -1, st;

	if (mkdir_p(dir, 0755)) {
		seterr(err, err_len, "cannot create %s", dir);
		free(dir);
		return -1;
	}
	abs = realpath(dir, NULL);
	remove_old_plots(abs);
	driver = xasprintf("%s/nightly.gp", abs);
	f = fopen(driver, "w");
	if (!f) {
		seterr(err, err_len, "cannot write %s", driver);
		goto out;
	}
	fprintf(f,
		"# invlab nightly report: one trend plot per series, drawn by plots/trend.gp.\n# gnuplot %s\n\n",
		driver);
	for (size_t i = 0; i < n->nt; i++) {
		struct trend *t = &n->t[i];

		if (!t->plot || !t->nruns)
			continue;
		t->plot_name = plot_name(t, i);
		path = xasprintf("%s/%s.dat", abs, t->plot_name);
		if (write_data(t, path)) {
			seterr(err, err_len, "cannot write %s", path);
			free(path);
			fclose(f);
			goto out;
		}
		free(path);
		driver_entry(f, t, abs);
		count++;
	}
	if (fclose(f)) {
		seterr(err, err_len, "cannot write %s", driver);
		goto out;
	}
	ret = 0;
	if (!count)
		goto out;
	argv[1] = driver;
	st = run_cmd(argv, "/dev/null");
	if (st == 127 || st == -ENOENT)
		ret = seterr(err, err_len, "gnuplot is not installed");
	else if (st)
		ret = seterr(err, err_len, "gnuplot %s failed (exit %d)",
			     driver, st);
out:
	if (ret) {
		for (size_t i = 0; i < n->nt; i++) {
			free(n->t[i].plot_name);
			n->t[i].plot_name = NULL;
		}
	}
	free(driver);
	free(abs);
	free(dir);
	return ret;
}
