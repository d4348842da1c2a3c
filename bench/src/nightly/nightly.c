// SPDX-License-Identifier: GPL-2.0
/*
 * From a history to judged series. A run counts in a series only when its
 * cell is complete and has the metric; failed cells are listed as skipped,
 * never read as numbers. Context changes are found once per (host, suite,
 * cell) by ctxdiff() over the entries' digests, under the policy's ignore
 * lists, so a change point can say whether the kernel (or config, patches,
 * command line, QEMU, topology) changed at the same run.
 */
#include "nightly.h"

#include "analysis/boots.h"

#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/boots.h"
#include "analysis/ctxdiff.h"

static const struct hist_cell *entry_cell(const struct hist_entry *e,
					  const char *id)
{
	for (size_t i = 0; i < e->ncells; i++) {
		if (!strcmp(e->cells[i].id, id))
			return &e->cells[i];
	}
	return NULL;
}

const struct hist_entry *trend_entry(const struct trend *t, size_t r)
{
	return &t->g->h->e[t->g->run[t->grun[r]]];
}

/* The context digests of two cells in ctxdiff()'s terms. */
static void digest_diff(const struct hist_cell *a, const struct hist_cell *b,
			const struct policy *p, struct strv *out)
{
	json_object *wa = json_object_new_object();
	json_object *wb = json_object_new_object();

	json_object_object_add(wa, "context", json_object_get(a->context));
	json_object_object_add(wb, "context", json_object_get(b->context));
	ctxdiff(wa, wb, p, out);
	json_object_put(wa);
	json_object_put(wb);
}

static struct trend_group *group_of(struct nightly *n, size_t *cap,
				    const struct hist_entry *e,
				    const char *cell)
{
	struct trend_group *g;

	for (size_t i = 0; i < n->ng; i++) {
		g = &n->g[i];
		if (!strcmp(g->host, e->host) && !strcmp(g->suite, e->suite) &&
		    !strcmp(g->cell, cell))
			return g;
	}
	n->g = xgrow(n->g, cap, n->ng + 1, sizeof(*n->g));
	g = &n->g[n->ng++];
	memset(g, 0, sizeof(*g));
	g->h = n->h;
	g->host = e->host;
	g->suite = e->suite;
	g->cell = cell;
	g->run = xcalloc(n->h->n + 1, sizeof(*g->run));
	g->ctx_id = xcalloc(n->h->n + 1, sizeof(*g->ctx_id));
	return g;
}

static void add_run(struct nightly *n, struct trend_group *g, size_t ei,
		    const struct hist_cell *c)
{
	const struct hist_entry *e = &n->h->e[ei];
	struct strv diff = { 0 };

	if (strcmp(c->status, "complete") || !c->nm) {
		const char *why = c->reason ? c->reason : c->error;

		strv_addf(&g->skipped, "%s (%.10s): %s%s%s", e->run_id,
			  e->started,
			  strcmp(c->status, "complete") ?
				  c->status :
				  "complete, no metrics",
			  why ? ": " : "", why ? why : "");
		return;
	}
	g->ctx_id[g->n] = 0;
	if (g->n) {
		const struct hist_entry *prev = &n->h->e[g->run[g->n - 1]];

		digest_diff(entry_cell(prev, g->cell), c, n->p, &diff);
		g->ctx_id[g->n] = g->ctx_id[g->n - 1] + (diff.n > 0);
		for (size_t k = 0; k < diff.n; k++)
			strv_addf(&g->ctx_changes, "%s (%.10s): %s", e->run_id,
				  e->started, diff.v[k]);
		strv_free(&diff);
	}
	g->run[g->n++] = ei;
}

static bool selected(const struct nightly_opts *o, const char *name)
{
	if (!o->metrics || !o->metrics->n)
		return true;
	for (size_t i = 0; i < o->metrics->n; i++) {
		if (!fnmatch(o->metrics->v[i], name, 0))
			return true;
	}
	return false;
}

/* Metric names of a group (owned by its entries), by first appearance. */
static size_t group_metrics(const struct nightly *n,
			    const struct trend_group *g, const char ***names)
{
	size_t nn = 0, cap = 0;

	*names = NULL;
	for (size_t r = 0; r < g->n; r++) {
		const struct hist_cell *c =
			entry_cell(&n->h->e[g->run[r]], g->cell);

		for (size_t k = 0; k < c->nm; k++) {
			bool known = false;

			for (size_t i = 0; i < nn && !known; i++)
				known = !strcmp((*names)[i], c->m[k].name);
			if (known)
				continue;
			*names = xgrow(*names, &cap, nn + 1, sizeof(**names));
			(*names)[nn++] = c->m[k].name;
		}
	}
	return nn;
}

static void build_series(struct nightly *n, const struct trend_group *g,
			 const char *name, struct trend *t)
{
	const struct metric **m = xcalloc(g->n + 1, sizeof(*m));
	size_t total = 0;
	int *boot;

	memset(t, 0, sizeof(*t));
	t->g = g;
	t->metric = name;
	t->rule = policy_rule(n->p, name);
	for (size_t r = 0; r < g->n; r++) {
		const struct hist_cell *c =
			entry_cell(&n->h->e[g->run[r]], g->cell);

		m[r] = metric_find(c->m, c->nm, name);
		total += m[r] ? m[r]->n : 0;
	}
	t->grun = xcalloc(g->n + 1, sizeof(*t->grun));
	t->off = xcalloc(g->n + 1, sizeof(*t->off));
	t->night = xcalloc(g->n + 1, sizeof(double));
	t->ident = xcalloc(g->n + 1, sizeof(size_t));
	t->v = xcalloc(total + 1, sizeof(double));
	boot = xcalloc(total + 1, sizeof(int));
	for (size_t r = 0; r < g->n; r++) {
		size_t start = t->off[t->nruns], end = start;
		struct samples s;

		for (size_t w = 0; m[r] && w < m[r]->n; w++) {
			if (isnan(m[r]->v[w])) /* NaN: the window lacks it */
				continue;
			boot[end] = m[r]->boot[w];
			t->v[end++] = m[r]->v[w];
		}
		if (end == start)
			continue; /* no value in this run */
		s = (struct samples){ t->v + start, boot + start, end - start,
				      NULL };
		t->night[t->nruns] = samples_summary(&s);
		t->grun[t->nruns] = r;
		t->off[++t->nruns] = end;
		t->ident[t->nruns] = t->nruns;
	}
	free(boot);
	free(m);
}

static void detect(struct nightly *n, struct trend *t)
{
	/* one observation a night */
	struct cp_series s = { t->metric, t->night, t->ident, t->nruns };

	if (!t->rule || !t->nruns)
		return;
	t->cp = xcalloc(n->cp.max_points + 1, sizeof(*t->cp));
	t->ncp = cp_detect(n->p, &s, &n->cp, t->cp);
	if (!t->ncp)
		return;
	n->with_cp++;
	t->cp_ctx = xcalloc(t->ncp, sizeof(*t->cp_ctx));
	for (size_t k = 0; k < t->ncp; k++) {
		const struct trend_group *g = t->g;
		size_t a = t->grun[t->cp[k].run - 1], b = t->grun[t->cp[k].run];

		if (g->ctx_id[a] != g->ctx_id[b])
			digest_diff(entry_cell(&n->h->e[g->run[a]], g->cell),
				    entry_cell(&n->h->e[g->run[b]], g->cell),
				    n->p, &t->cp_ctx[k]);
	}
	if (t->cp[t->ncp - 1].j.verdict == V_REGRESSED) {
		t->regressed_at_end = true;
		n->regressed_at_end++;
	}
}

void nightly_analyse(const struct history *h, const struct policy *p,
		     const struct nightly_opts *o, struct nightly *n)
{
	size_t gcap = 0, tcap = 0;

	memset(n, 0, sizeof(*n));
	n->h = h;
	n->p = p;
	n->cp = o->cp;
	cp_opts_default(&n->cp);
	for (size_t i = 0; i < h->n; i++) {
		for (size_t c = 0; c < h->e[i].ncells; c++) {
			const struct hist_cell *cell = &h->e[i].cells[c];

			add_run(n, group_of(n, &gcap, &h->e[i], cell->id), i,
				cell);
		}
	}
	for (size_t gi = 0; gi < n->ng; gi++) {
		const char **names;
		size_t nn = group_metrics(n, &n->g[gi], &names);

		for (size_t k = 0; k < nn; k++) {
			struct trend *t;

			if (!selected(o, names[k]))
				continue;
			n->t = xgrow(n->t, &tcap, n->nt + 1, sizeof(*n->t));
			t = &n->t[n->nt++];
			build_series(n, &n->g[gi], names[k], t);
			detect(n, t);
			t->plot = o->plots == PLOTS_ALL ||
				  (o->plots == PLOTS_CHANGED &&
				   (t->ncp || (o->metrics && o->metrics->n)));
		}
		free(names);
	}
}

void nightly_free(struct nightly *n)
{
	for (size_t i = 0; i < n->nt; i++) {
		struct trend *t = &n->t[i];

		for (size_t k = 0; t->cp_ctx && k < t->ncp; k++)
			strv_free(&t->cp_ctx[k]);
		free(t->cp_ctx);
		free(t->cp);
		free(t->grun);
		free(t->v);
		free(t->off);
		free(t->night);
		free(t->ident);
		free(t->plot_name);
	}
	free(n->t);
	for (size_t i = 0; i < n->ng; i++) {
		free(n->g[i].run);
		free(n->g[i].ctx_id);
		strv_free(&n->g[i].skipped);
		strv_free(&n->g[i].ctx_changes);
	}
	free(n->g);
	memset(n, 0, sizeof(*n));
}
