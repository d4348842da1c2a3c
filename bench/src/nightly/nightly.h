/* SPDX-License-Identifier: GPL-2.0 */
/*
 * invlab nightly report, as data: a history cut into series (host, suite,
 * cell, metric), each in start-time order with its change points, and per
 * (host, suite, cell) the runs skipped and where the context changed.
 * nightly_out.c writes it as Markdown, JSON and gnuplot trend plots.
 */
#ifndef INVLAB_NIGHTLY_H
#define INVLAB_NIGHTLY_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "analysis/changepoint.h"
#include "history.h"
#include "analysis/policy.h"

/* One (host, suite, cell): the runs whose cell is complete, in order. */
struct trend_group {
	const struct history *h;
	const char *host, *suite, *cell;
	size_t *run; /* history entry of each usable run */
	unsigned int *ctx_id; /* changes whenever the context does */
	size_t n;
	struct strv skipped; /* runs whose cell failed, and why */
	struct strv ctx_changes; /* "RUN (DATE): key: a -> b" */
};

struct trend {
	const struct trend_group *g;
	const char *metric;
	const struct metric_rule *rule;
	size_t nruns;
	size_t *grun; /* index into g->run of each run of the series */
	double *v; /* samples, run after run */
	size_t *off; /* run r: v[off[r]] .. v[off[r + 1] - 1] */
	/*
	 * Each run's one value (the median of its boots' medians): what the
	 * change points are found in. A night is one observation: windows
	 * of one boot are not independent of each other, nor are boots of
	 * one night of the nights
	 */
	double *night;
	size_t *ident; /* 0, 1, 2, ...: night's offsets, one value a run */
	struct changepoint *cp;
	size_t ncp;
	struct strv *cp_ctx; /* per change point: context differences */
	bool regressed_at_end;
	bool plot; /* chosen to be plotted */
	char *plot_name; /* plots/NAME.{png,svg} once drawn */
};

struct nightly {
	const struct history *h;
	const struct policy *p;
	struct cp_opts cp;
	struct trend_group *g;
	size_t ng;
	struct trend *t;
	size_t nt;
	size_t with_cp, regressed_at_end;
};

enum plot_mode {
	PLOTS_CHANGED,
	PLOTS_ALL,
	PLOTS_NONE
};

struct nightly_opts {
	const struct strv *metrics; /* fnmatch globs; none: every metric */
	struct cp_opts cp;
	enum plot_mode plots;
};

void nightly_analyse(const struct history *h, const struct policy *p,
		     const struct nightly_opts *o, struct nightly *n);
void nightly_free(struct nightly *n);
/* The history entry of the series' run r. */
const struct hist_entry *trend_entry(const struct trend *t, size_t r);

/* Output (nightly_out.c). */
void nightly_markdown(const struct nightly *n, const char *history_dir,
		      const char *plot_note, FILE *f);
json_object *nightly_json(const struct nightly *n, const char *history_dir);
/*
 * Data files and the gnuplot script for the series chosen for plots under
 * out/plots, then gnuplot run once over them. 0, or -1 with err (the
 * report is still worth writing: say why the plots are missing).
 */
int nightly_plots(struct nightly *n, const char *out, char *err,
		  size_t err_len);

#endif
