/* SPDX-License-Identifier: GPL-2.0 */
/* The fnfan probe's counters summed over CPUs, per window, as JSON. */
#ifndef INVLAB_FNFAN_STATS_H
#define INVLAB_FNFAN_STATS_H

#include <json-c/json.h>
#include <stddef.h>

#include "fnfan.h"

struct fnfan_totals {
	size_t nr_fns;
	struct fnfan_fn_stats fn[FNFAN_MAX_FNS];
};

/* dst += src, field by field (summing per-CPU values). */
void fnfan_stats_add(struct fnfan_fn_stats *dst,
		     const struct fnfan_fn_stats *src);
/* out = after - before, for each of after's functions. */
void fnfan_totals_delta(const struct fnfan_totals *before,
			const struct fnfan_totals *after,
			struct fnfan_totals *out);

/*
 * The upper bound (2^s ns) of the log2 slot holding quantile q (0 < q <= 1)
 * of the latencies, or -1 when there are none. A log2 histogram knows no
 * more than that: the value lies in [bound / 2, bound).
 */
double fnfan_hist_quantile_bound(const unsigned long long *hist, double q);

/*
 * {"calls", "returns", "latency_ns_sum", "latency_ns_mean", "latency_ns_hist":
 * [{"ge", "lt", "count"}], "commands_per_call_hist": [...], "commands":
 * {OPCODE: n}, "too_deep", "unmatched"}
 * for one function; latency_ns_mean is null without returns.
 */
json_object *fnfan_fn_json(const struct fnfan_fn_stats *s);

#endif
