/* SPDX-License-Identifier: GPL-2.0 */
/* The fanout probe's counters summed over CPUs, per window, as JSON. */
#ifndef INVLAB_FANOUT_STATS_H
#define INVLAB_FANOUT_STATS_H

#include <json-c/json.h>
#include <stdbool.h>

#include "fanout.h"

struct fanout_totals {
	struct fanout_kind_stats kinds[FANOUT_NR_KINDS];
	struct fanout_queue_stats queue;
};

/* "domain_pages", "nest_parent", "irt", "dte", "all", "pasid". */
const char *fanout_kind_name(unsigned int kind);

/* dst += src, field by field (summing per-CPU values). */
void fanout_totals_add(struct fanout_totals *dst,
		       const struct fanout_kind_stats *kinds,
		       const struct fanout_queue_stats *queue);
/* out = after - before, field by field. */
void fanout_totals_delta(const struct fanout_totals *before,
			 const struct fanout_totals *after,
			 struct fanout_totals *out);

/*
 * {"by_kind": {KIND: {events, commands, walked, groups, latency_ns,
 * hold_ns, commands_per_event: HIST, walked_per_event: HIST, latency_ns_hist:
 * HIST, hold_ns_hist: HIST}}, "commands", "unattributed": {OPCODE: n},
 * "queue_stalls": {...}, "completion_waits": {...}, "too_deep",
 * "unmatched"}; kinds without events are left out. A HIST is a list of
 * {"ge", "lt", "count"} for its non-empty log2 slots. waits_timed: the
 * queue-full waits' polls and time were measured (the tracepoint's command
 * program); else they are null, their count exact all the same.
 */
json_object *fanout_totals_json(const struct fanout_totals *t,
				bool waits_timed);
json_object *fanout_hist_json(const unsigned long long *slots);

#endif
