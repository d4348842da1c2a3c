// SPDX-License-Identifier: GPL-2.0
#include "plot_hist.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/runtab.h"

/* The slot of a bucket by its upper bound (lt = 2^k); -1 if foreign. */
static int slot_of(json_object *bucket)
{
	json_object *lt = json_path(bucket, "lt");
	unsigned long long v;
	int k = 0;

	if (!lt || !json_object_is_type(lt, json_type_int))
		return -1;
	v = json_object_get_uint64(lt);
	if (!v || (v & (v - 1)))
		return -1;
	while (v > 1) {
		v >>= 1;
		k++;
	}
	return k < HIST_SLOTS ? k : -1;
}

bool hist_sum(json_object *result, const char *path, struct hist *h)
{
	json_object *samples = json_path(result, "samples");
	char *full = xasprintf("fanout.%s", path);
	bool any = false;

	memset(h, 0, sizeof(*h));
	for (size_t w = 0;
	     samples && json_object_is_type(samples, json_type_array) &&
	     w < json_object_array_length(samples);
	     w++) {
		json_object *a =
			json_path(json_object_array_get_idx(samples, w), full);

		if (!a || !json_object_is_type(a, json_type_array))
			continue;
		any = true;
		for (size_t i = 0; i < json_object_array_length(a); i++) {
			json_object *b = json_object_array_get_idx(a, i);
			json_object *c = json_path(b, "count");
			int k = slot_of(b);

			if (k < 0 || !c)
				continue;
			h->count[k] += json_object_get_double(c);
			h->total += json_object_get_double(c);
		}
	}
	free(full);
	return any;
}

static void add_path(struct strv *paths, const char *p)
{
	for (size_t i = 0; i < paths->n; i++) {
		if (!strcmp(paths->v[i], p))
			return;
	}
	strv_add(paths, p);
}

void hist_paths(json_object *result, struct strv *paths)
{
	json_object *samples = json_path(result, "samples");

	for (size_t w = 0;
	     samples && json_object_is_type(samples, json_type_array) &&
	     w < json_object_array_length(samples);
	     w++) {
		json_object *fo = json_path(
			json_object_array_get_idx(samples, w), "fanout");
		json_object *kinds = json_path(fo, "by_kind");

		if (kinds && json_object_is_type(kinds, json_type_object)) {
			json_object_object_foreach(kinds, kind, k)
			{
				char *p;

				if (!json_path(k, "latency_ns_hist"))
					continue;
				p = xasprintf("by_kind.%s.latency_ns_hist",
					      kind);
				add_path(paths, p);
				free(p);
			}
		}
		if (json_path(fo, "completion_waits.ns_hist"))
			add_path(paths, "completion_waits.ns_hist");
		if (json_path(fo, "queue_stalls.ns_hist"))
			add_path(paths, "queue_stalls.ns_hist");
	}
}

/* What a histogram measures, for titles. */
static char *hist_title(const char *path)
{
	if (!strcmp(path, "completion_waits.ns_hist"))
		return xstrdup("Completion-wait time");
	if (!strcmp(path, "queue_stalls.ns_hist"))
		return xstrdup("Command-buffer-full stall time");
	if (!strncmp(path, "by_kind.", 8)) {
		const char *kind = path + 8;

		return xasprintf("Latency of %.*s invalidations",
				 (int)strcspn(kind, "."), kind);
	}
	return xstrdup(path);
}

/* Why result has no fan-out histograms, from its probes.fanout. */
static const char *why_none(json_object *result)
{
	if (!result)
		return "no valid result";
	return json_path_str(result, "probes.fanout.note",
			     "no fan-out probe data in its windows");
}

static int one_plot(struct plot_set *ps, const char *name, const char *what,
		    const char *path, json_object *const *results,
		    const char *const *titles, size_t n, char *err,
		    size_t err_len)
{
	struct hist *h = xcalloc(n, sizeof(*h));
	bool *has = xcalloc(n, sizeof(bool));
	struct plot_table t;
	struct strv vars = { 0 };
	char *missing = xstrdup(""), *slug, *file, *title, *caption, *data;
	int lo = HIST_SLOTS, hi = -1, ret = 0;
	size_t cols = 0;

	plot_table_init(&t, NULL);
	plot_table_col(&t, "ge_ns");
	plot_table_col(&t, "lt_ns");
	for (size_t i = 0; i < n; i++) {
		char *col, *m;

		has[i] = results[i] && hist_sum(results[i], path, &h[i]) &&
			 h[i].total > 0;
		if (!has[i]) {
			m = xasprintf("%s%s%s", missing, *missing ? ", " : "",
				      titles[i]);
			free(missing);
			missing = m;
			continue;
		}
		col = xasprintf("%s (%.0f)", titles[i], h[i].total);
		plot_table_col(&t, col);
		free(col);
		cols++;
		for (int k = 0; k < HIST_SLOTS; k++) {
			if (h[i].count[k] > 0) {
				lo = k < lo ? k : lo;
				hi = k > hi ? k : hi;
			}
		}
	}
	title = hist_title(path);
	if (!cols) {
		plot_set_skip(ps, "%s (%s): no events in any window", title,
			      what);
		goto out;
	}
	/* Every slot between the extremes: an empty one is a real zero. */
	for (int k = lo; k <= hi; k++) {
		size_t row = plot_table_row(&t, NULL), c = 2;

		plot_table_set(&t, row, 0, k ? ldexp(1, k - 1) : 0);
		plot_table_set(&t, row, 1, ldexp(1, k));
		for (size_t i = 0; i < n; i++) {
			if (has[i])
				plot_table_set(&t, row, c++,
					       100 * h[i].count[k] /
						       h[i].total);
		}
	}
	slug = plot_slug(path);
	file = xasprintf("%s%shist-%s", name, *name ? "-" : "", slug);
	free(slug);
	strv_addf(&vars, "n=%zu", cols);
	caption = xasprintf(
		"Share of events per log2 bucket (%% of the line's events, log scale; empty buckets are gaps), summed over all windows of each cell; a point stands at its bucket's upper bound. Legend: cell (events). From samples[].fanout.%s.%s%s%s",
		path, *missing ? " Not in the plot (no such events): " : "",
		missing, *missing ? "." : "");
	data = plot_table_text(&t);
	{
		char *full = xasprintf("%s (%s)", title, what);

		ret = plot_draw(ps, "hist", file, data, &vars, full, caption,
				err, err_len);
		free(full);
	}
	free(data);
	free(caption);
	free(file);
out:
	free(title);
	free(missing);
	strv_free(&vars);
	plot_table_free(&t);
	free(has);
	free(h);
	return ret;
}

int hist_plots(struct plot_set *ps, const char *name, const char *what,
	       json_object *const *results, const char *const *titles, size_t n,
	       char *err, size_t err_len)
{
	struct strv paths = { 0 };
	int ret = 0;

	for (size_t i = 0; i < n; i++)
		hist_paths(results[i], &paths);
	if (!paths.n) {
		char *why = xstrdup("");

		for (size_t i = 0; i < n; i++) {
			char *t = xasprintf("%s%s%s: %s", why, *why ? "; " : "",
					    titles[i], why_none(results[i]));

			free(why);
			why = t;
		}
		plot_set_skip(
			ps,
			"Fan-out latency histograms (%s): no window has any (%s)",
			what, why);
		free(why);
	}
	for (size_t i = 0; i < paths.n && !ret; i++)
		ret = one_plot(ps, name, what, paths.v[i], results, titles, n,
			       err, err_len);
	strv_free(&paths);
	return ret;
}
