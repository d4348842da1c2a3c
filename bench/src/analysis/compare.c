// SPDX-License-Identifier: GPL-2.0
/*
 * invlab compare: every metric of every cell both runs have, judged under
 * bench/policy/metrics.conf, with a header listing what differs between
 * the runs' contexts. Regressions first, then improvements, then the rest.
 */
#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calib.h"
#include "ctxdiff.h"
#include "lib/json_util.h"
#include "lib/result.h"

/* The suite a cell's result ran, for its calibration. */
static const char *cell_suite(const struct cell *c)
{
	return json_path_str(c->result, "suite", "");
}

/*
 * What is known of a metric beyond the two cells: the boot-to-boot spread
 * of either cell's calibration (the two pooled when both have one), and
 * whether both were timed on the instruction clock.
 */
static void context_of(const struct calib *cal, const struct cell *a,
		       const struct cell *b, const char *metric,
		       struct judge_ctx *out)
{
	struct judge_ctx pa, pb;
	int ha = 0, hb = 0;

	memset(out, 0, sizeof(*out));
	out->boot_sd = NAN;
	out->icount = cell_on_icount(a) && cell_on_icount(b);
	if (!cal || !cal->doc)
		return;
	ha = !calib_prior(cal, cell_suite(a), a->id, metric, &pa);
	hb = !calib_prior(cal, cell_suite(b), b->id, metric, &pb);
	if (ha || hb) {
		out->boot_sd = ha ? pa.boot_sd : pb.boot_sd;
		out->df = ha ? pa.df : pb.df;
		snprintf(out->source, sizeof(out->source), "%s",
			 ha ? pa.source : pb.source);
	}
	if (ha && hb) {
		out->boot_sd = sqrt((pa.boot_sd * pa.boot_sd * pa.df +
				     pb.boot_sd * pb.boot_sd * pb.df) /
				    (pa.df + pb.df));
		out->df = pa.df + pb.df;
	}
}

/* A time taken on two different clocks: no verdict can compare them. */
static bool other_clocks(const struct policy *p, const char *metric,
			 const struct cell *a, const struct cell *b,
			 struct judgement *j)
{
	const struct metric_rule *r = policy_rule(p, metric);

	if (!r || !unit_is_time(r->unit) ||
	    cell_on_icount(a) == cell_on_icount(b))
		return false;
	j->verdict = V_INCONCLUSIVE;
	j->level = LEVEL_NONE;
	j->ratio = j->lo = j->hi = j->p = NAN;
	snprintf(
		j->why, sizeof(j->why),
		"timed on two clocks (%s on the instruction clock, %s on the wall clock): not comparable",
		cell_on_icount(a) ? "base" : "new",
		cell_on_icount(a) ? "new" : "base");
	return true;
}

static void judge_metric(const struct policy *p, const struct calib *cal,
			 const struct cell *a, const struct metric *ma,
			 const struct cell *b, const struct metric *mb,
			 struct metric_judgement *out)
{
	size_t n = (ma ? ma->n : 0) + (mb ? mb->n : 0) + 1;
	double *va = xcalloc(n, sizeof(double)),
	       *vb = xcalloc(n, sizeof(double));
	int *ba = xcalloc(n, sizeof(int)), *bb = xcalloc(n, sizeof(int));
	struct samples sa = { va, ba, ma ? metric_values(ma, va, ba) : 0,
			      NULL };
	struct samples sb = { vb, bb, mb ? metric_values(mb, vb, bb) : 0,
			      NULL };
	struct judge_ctx ctx;

	out->name = ma ? ma->name : mb->name;
	context_of(cal, a, b, out->name, &ctx);
	judge_samples(p, out->name, &sa, &sb, &ctx, &out->j);
	if (sa.n && sb.n)
		other_clocks(p, out->name, a, b, &out->j);
	out->icount = ctx.icount;
	free(va);
	free(vb);
	free(ba);
	free(bb);
}

void compare_cells(const struct cell *a, const struct cell *b,
		   const struct policy *p, const struct calib *cal,
		   struct cell_pair *pair)
{
	memset(pair, 0, sizeof(*pair));
	pair->a = a;
	pair->b = b;
	if (a->result && b->result)
		ctxdiff(a->result, b->result, p, &pair->context_diff);
	pair->m = xcalloc(a->nm + b->nm + 1, sizeof(*pair->m));
	for (size_t i = 0; i < a->nm; i++)
		judge_metric(p, cal, a, &a->m[i], b,
			     cell_metric(b, a->m[i].name),
			     &pair->m[pair->nm++]);
	for (size_t i = 0; i < b->nm; i++) {
		if (!cell_metric(a, b->m[i].name))
			judge_metric(p, cal, a, NULL, b, &b->m[i],
				     &pair->m[pair->nm++]);
	}
}

void cell_pair_free(struct cell_pair *pair)
{
	strv_free(&pair->context_diff);
	free(pair->m);
	memset(pair, 0, sizeof(*pair));
}

static void count(struct comparison *c, const struct cell_pair *pair)
{
	for (size_t i = 0; i < pair->nm; i++) {
		switch (pair->m[i].j.verdict) {
		case V_REGRESSED: c->regressed++; break;
		case V_IMPROVED: c->improved++; break;
		case V_CHANGED: c->changed++; break;
		case V_INCONCLUSIVE: c->inconclusive++; break;
		default: break;
		}
	}
}

static void describe_missing(struct strv *problems, const char *side,
			     const struct cell *cell)
{
	strv_addf(problems, "%s cell %s: %s%s%s; %s", side, cell->id,
		  cell->status, cell->reason ? ": " : "",
		  cell->reason ? cell->reason : "", cell->result_err);
}

/* The base run's host's calibration, or the file given. */
static int load_calibration(struct comparison *c, const char *path, char *err,
			    size_t err_len)
{
	const char *src, *host = run_host(&c->base, &src);
	char *def = path ? NULL : calib_path(NULL, host ? host : "unknown");
	int ret = calib_load(path ? path : def, &c->cal, err, err_len);

	free(def);
	return ret;
}

int compare_runs(const char *base, const char *new, const struct policy *p,
		 const char *cal_path, struct comparison *c, char *err,
		 size_t err_len)
{
	memset(c, 0, sizeof(*c));
	if (run_load(base, &c->base, err, err_len))
		return -1;
	if (run_load(new, &c->new, err, err_len)) {
		run_free(&c->base);
		return -1;
	}
	if (load_calibration(c, cal_path, err, err_len)) {
		run_free(&c->base);
		run_free(&c->new);
		return -1;
	}
	c->pairs = xcalloc(c->base.ncells + 1, sizeof(*c->pairs));
	for (size_t i = 0; i < c->base.ncells; i++) {
		const struct cell *a = &c->base.cells[i], *b;

		b = c->base.ncells == 1 && c->new.ncells == 1 ?
			    &c->new.cells[0] :
			    run_cell(&c->new, a->id);
		if (!b) {
			strv_addf(&c->unmatched, "cell %s is only in the base",
				  a->id);
			continue;
		}
		if (!a->result)
			describe_missing(&c->problems, "base", a);
		if (!b->result)
			describe_missing(&c->problems, "new", b);
		if (!a->result || !b->result)
			continue;
		compare_cells(a, b, p, &c->cal, &c->pairs[c->npairs]);
		count(c, &c->pairs[c->npairs]);
		c->npairs++;
	}
	for (size_t i = 0; i < c->new.ncells && c->base.ncells > 1; i++) {
		if (!run_cell(&c->base, c->new.cells[i].id))
			strv_addf(&c->unmatched,
				  "cell %s is only in the new run",
				  c->new.cells[i].id);
	}
	if (!c->npairs) {
		seterr(err, err_len,
		       "%s and %s have no cell with a result in common%s%s",
		       base, new, c->problems.n || c->unmatched.n ? ": " : "",
		       c->problems.n  ? c->problems.v[0] :
		       c->unmatched.n ? c->unmatched.v[0] :
					"");
		comparison_free(c);
		return -1;
	}
	return 0;
}

void comparison_free(struct comparison *c)
{
	for (size_t i = 0; i < c->npairs; i++)
		cell_pair_free(&c->pairs[i]);
	free(c->pairs);
	strv_free(&c->problems);
	strv_free(&c->unmatched);
	run_free(&c->base);
	run_free(&c->new);
	calib_free(&c->cal);
	memset(c, 0, sizeof(*c));
}

/* "12.3%", or "-" when not known. */
static void fmt_pct(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f%%", 100 * v);
}

static void row(FILE *f, const struct metric_judgement *mj)
{
	const struct judgement *j = &mj->j;
	char a[32], b[32], w[32], bt[32];

	fmt_metric_value(a, sizeof(a), j->med_a);
	fmt_metric_value(b, sizeof(b), j->med_b);
	fmt_pct(w, sizeof(w), j->vc.within);
	fmt_pct(bt, sizeof(bt), j->vc.between);
	fprintf(f, "| %s | %s | %s (%zu/%zu) | %s (%zu/%zu) | ", mj->name,
		j->rule ? clock_unit(j->rule->unit, mj->icount) : "", a, j->ka,
		j->na, b, j->kb, j->nb);
	if (!isnan(j->ratio))
		fprintf(f, "%+.2f%% |", 100 * (j->ratio - 1));
	else
		fprintf(f, "- |");
	if (!isnan(j->lo) && isfinite(j->lo))
		fprintf(f, " %.3f..%.3f |", j->lo, j->hi);
	else
		fprintf(f, " - |");
	if (!isnan(j->p))
		fprintf(f, " %.2g |", j->p);
	else
		fprintf(f, " - |");
	if (j->level == LEVEL_EXACT || !j->rule)
		fprintf(f, " - | - |");
	else if (j->boots_needed)
		fprintf(f, " %s / %s | %zu |", w, bt, j->boots_needed);
	else
		fprintf(f, " %s / %s | ? |", w, bt);
	fprintf(f, " %s%s%s | %s |\n",
		j->verdict == V_REGRESSED || j->verdict == V_IMPROVED ? "**" :
									"",
		verdict_name(j->verdict),
		j->verdict == V_REGRESSED || j->verdict == V_IMPROVED ? "**" :
									"",
		j->why);
}

static void pair_table(FILE *f, const struct cell_pair *pair)
{
	static const enum verdict order[] = { V_REGRESSED, V_IMPROVED,
					      V_CHANGED,   V_INCONCLUSIVE,
					      V_MISSING,   V_SAME };

	fprintf(f,
		"| metric | unit | base median (boots/windows) | new median (boots/windows) | change | 95%% CI of ratio | p | CV within / between boots | boots per side to see the minimum effect | verdict | why |\n");
	fprintf(f, "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++) {
		for (size_t i = 0; i < pair->nm; i++) {
			if (pair->m[i].j.verdict == order[o])
				row(f, &pair->m[i]);
		}
	}
}

void compare_markdown(const struct comparison *c, const struct policy *p,
		      FILE *f)
{
	fprintf(f, "# invlab compare\n\n");
	fprintf(f, "- base: `%s` (run %s, suite %s, %s, started %s)\n",
		c->base.path, c->base.id, c->base.suite, c->base.status,
		c->base.started);
	fprintf(f, "- new:  `%s` (run %s, suite %s, %s, started %s)\n",
		c->new.path, c->new.id, c->new.suite, c->new.status,
		c->new.started);
	fprintf(f,
		"- policy: `%s` (alpha %g; noisy metrics judged over boots from %u per side, Welch's t of the per-boot medians)\n",
		p->path, p->alpha, p->min_boots);
	if (c->cal.doc)
		fprintf(f,
			"- calibration: `%s` (fewer boots are judged with its boot-to-boot spread)\n\n",
			c->cal.path);
	else
		fprintf(f,
			"- calibration: none (`%s` does not exist): a noisy metric with fewer than %u boots on a side is inconclusive; `invlab calibrate` makes one\n\n",
			c->cal.path, p->min_boots);
	fprintf(f,
		"**%zu regressed, %zu improved, %zu changed (no direction), %zu inconclusive.**\n\n",
		c->regressed, c->improved, c->changed, c->inconclusive);
	if (c->problems.n || c->unmatched.n) {
		fprintf(f, "Not compared:\n\n");
		for (size_t i = 0; i < c->problems.n; i++)
			fprintf(f, "- **%s**\n", c->problems.v[i]);
		for (size_t i = 0; i < c->unmatched.n; i++)
			fprintf(f, "- %s\n", c->unmatched.v[i]);
		fputc('\n', f);
	}
	for (size_t i = 0; i < c->npairs; i++) {
		const struct cell_pair *pair = &c->pairs[i];

		if (!strcmp(pair->a->id, pair->b->id))
			fprintf(f, "## %s\n\n", pair->a->id);
		else
			fprintf(f, "## %s vs %s\n\n", pair->a->id, pair->b->id);
		fprintf(f, "What differs between the two:\n\n");
		for (size_t k = 0; k < pair->context_diff.n; k++)
			fprintf(f, "- `%s`\n", pair->context_diff.v[k]);
		if (!pair->context_diff.n)
			fprintf(f, "- nothing recorded in the context\n");
		fputc('\n', f);
		pair_table(f, pair);
		fputc('\n', f);
	}
}

json_object *compare_json(const struct comparison *c, const struct policy *p)
{
	json_object *doc = json_object_new_object(), *pairs, *probs;

	json_object_object_add(doc, "schema",
			       json_object_new_string("invlab.compare"));
	json_object_object_add(doc, "version", json_object_new_int(1));
	json_object_object_add(doc, "base",
			       json_object_new_string(c->base.dir));
	json_object_object_add(doc, "new", json_object_new_string(c->new.dir));
	json_object_object_add(doc, "policy", json_object_new_string(p->path));
	json_object_object_add(doc, "regressed",
			       json_object_new_int64((int64_t)c->regressed));
	json_object_object_add(doc, "improved",
			       json_object_new_int64((int64_t)c->improved));
	probs = json_object_new_array();
	for (size_t i = 0; i < c->problems.n; i++)
		json_object_array_add(probs,
				      json_object_new_string(c->problems.v[i]));
	for (size_t i = 0; i < c->unmatched.n; i++)
		json_object_array_add(
			probs, json_object_new_string(c->unmatched.v[i]));
	json_object_object_add(doc, "not_compared", probs);
	pairs = json_object_new_array();
	for (size_t i = 0; i < c->npairs; i++) {
		const struct cell_pair *pair = &c->pairs[i];
		json_object *o = json_object_new_object(), *ms;

		json_object_object_add(o, "base_cell",
				       json_object_new_string(pair->a->id));
		json_object_object_add(o, "new_cell",
				       json_object_new_string(pair->b->id));
		json_object_object_add(o, "context_diff",
				       json_strv(&pair->context_diff));
		ms = json_object_new_object();
		for (size_t k = 0; k < pair->nm; k++) {
			const struct judgement *j = &pair->m[k].j;
			json_object *m = json_object_new_object();

			json_object_object_add(
				m, "verdict",
				json_object_new_string(
					verdict_name(j->verdict)));
			json_object_object_add(m, "why",
					       json_object_new_string(j->why));
			json_object_object_add(m, "base_median",
					       json_num(j->med_a));
			json_object_object_add(m, "new_median",
					       json_num(j->med_b));
			json_object_object_add(m, "ratio", json_num(j->ratio));
			json_object_object_add(m, "ci95_lo", json_num(j->lo));
			json_object_object_add(m, "ci95_hi", json_num(j->hi));
			json_object_object_add(m, "p", json_num(j->p));
			json_object_object_add(
				m, "n_base",
				json_object_new_int64((int64_t)j->na));
			json_object_object_add(
				m, "n_new",
				json_object_new_int64((int64_t)j->nb));
			json_object_object_add(
				m, "boots_base",
				json_object_new_int64((int64_t)j->ka));
			json_object_object_add(
				m, "boots_new",
				json_object_new_int64((int64_t)j->kb));
			json_object_object_add(
				m, "level",
				json_object_new_string(
					judge_level_name(j->level)));
			json_object_object_add(
				m, "unit",
				json_object_new_string(
					j->rule ?
						clock_unit(j->rule->unit,
							   pair->m[k].icount) :
						""));
			json_object_object_add(m, "cv_within",
					       json_num(j->vc.within));
			json_object_object_add(m, "cv_between",
					       json_num(j->vc.between));
			json_object_object_add(
				m, "boots_needed",
				j->boots_needed ?
					json_object_new_int64(
						(int64_t)j->boots_needed) :
					NULL);
			json_object_object_add(ms, pair->m[k].name, m);
		}
		json_object_object_add(o, "metrics", ms);
		json_object_array_add(pairs, o);
	}
	json_object_object_add(doc, "cells", pairs);
	return doc;
}
