/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fan-out probe's log2 histograms (result.json samples[].fanout:
 * by_kind.KIND.latency_ns_hist, completion_waits.ns_hist,
 * queue_stalls.ns_hist), summed over windows and plotted one line per
 * cell: report draws every cell, compare base against new.
 */
#ifndef INVLAB_PLOT_HIST_H
#define INVLAB_PLOT_HIST_H

#include <json-c/json.h>
#include <stdbool.h>

#include "plot.h"

/* Slot k counts values in [2^(k-1), 2^k); slot 0 counts zeros. */
#define HIST_SLOTS 65

struct hist {
	double count[HIST_SLOTS];
	double total;
};

/*
 * samples[].fanout.PATH of result summed over its windows into h (zeroed
 * first). False when no window has that histogram.
 */
bool hist_sum(json_object *result, const char *path, struct hist *h);
/* The histogram paths of a result's windows not yet in paths, added. */
void hist_paths(json_object *result, struct strv *paths);

/*
 * One plot per histogram any of the n results has, a line per result that
 * has it (titles[i]), drawn as NAME-hist-PATH; what says what is compared
 * (for titles). A histogram none has is listed as not drawn.
 */
int hist_plots(struct plot_set *ps, const char *name, const char *what,
	       json_object *const *results, const char *const *titles, size_t n,
	       char *err, size_t err_len);

#endif
