// SPDX-License-Identifier: GPL-2.0
#include "fanout_stats.h"

#include <string.h>

#include "iommu_cmd_names.h"

/* Every field of the stats structs is an unsigned long long counter. */
#define NR_U64(s) (sizeof(s) / (sizeof(unsigned long long)))

const char *fanout_kind_name(unsigned int kind)
{
	static const char *const names[FANOUT_NR_KINDS] = {
		"domain_pages", "nest_parent", "irt", "dte", "all", "pasid",
	};

	return kind < FANOUT_NR_KINDS ? names[kind] : "unknown";
}

static void add_u64(unsigned long long *dst, const unsigned long long *src,
		    size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] += src[i];
}

void fanout_totals_add(struct fanout_totals *dst,
		       const struct fanout_kind_stats *kinds,
		       const struct fanout_queue_stats *queue)
{
	if (kinds)
		add_u64((unsigned long long *)dst->kinds,
			(const unsigned long long *)kinds, NR_U64(dst->kinds));
	if (queue)
		add_u64((unsigned long long *)&dst->queue,
			(const unsigned long long *)queue, NR_U64(dst->queue));
}

void fanout_totals_delta(const struct fanout_totals *before,
			 const struct fanout_totals *after,
			 struct fanout_totals *out)
{
	const unsigned long long *b = (const unsigned long long *)before;
	const unsigned long long *a = (const unsigned long long *)after;
	unsigned long long *o = (unsigned long long *)out;

	for (size_t i = 0; i < NR_U64(*out); i++)
		o[i] = a[i] - b[i];
}

json_object *fanout_hist_json(const unsigned long long *slots)
{
	json_object *arr = json_object_new_array();

	for (unsigned int k = 0; k < FANOUT_SLOTS; k++) {
		json_object *e;

		if (!slots[k])
			continue;
		e = json_object_new_object();
		json_object_object_add(
			e, "ge",
			json_object_new_uint64(k ? 1ULL << (k - 1) : 0));
		json_object_object_add(e, "lt",
				       json_object_new_uint64(1ULL << k));
		json_object_object_add(e, "count",
				       json_object_new_uint64(slots[k]));
		json_object_array_add(arr, e);
	}
	return arr;
}

static void add_num(json_object *o, const char *k, unsigned long long v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

json_object *fanout_totals_json(const struct fanout_totals *t, bool waits_timed)
{
	json_object *o = json_object_new_object();
	json_object *by = json_object_new_object(), *un, *x;
	const struct fanout_queue_stats *q = &t->queue;
	unsigned long long unattributed = 0;

	for (unsigned int i = 0; i < FANOUT_NR_KINDS; i++) {
		const struct fanout_kind_stats *k = &t->kinds[i];

		if (!k->events)
			continue;
		x = json_object_new_object();
		add_num(x, "events", k->events);
		add_num(x, "commands", k->commands);
		add_num(x, "walked", k->walked);
		add_num(x, "groups", k->groups);
		add_num(x, "latency_ns", k->latency_ns);
		add_num(x, "hold_ns", k->hold_ns);
		json_object_object_add(x, "commands_per_event",
				       fanout_hist_json(k->commands_hist));
		json_object_object_add(x, "walked_per_event",
				       fanout_hist_json(k->walked_hist));
		json_object_object_add(x, "latency_ns_hist",
				       fanout_hist_json(k->latency_hist));
		json_object_object_add(x, "hold_ns_hist",
				       fanout_hist_json(k->hold_hist));
		json_object_object_add(by, fanout_kind_name(i), x);
	}
	json_object_object_add(o, "by_kind", by);
	add_num(o, "commands", q->commands);
	un = json_object_new_object();
	for (unsigned int op = 0; op < FANOUT_NR_OPCODES; op++) {
		if (q->unattributed[op])
			add_num(un, iommu_cmd_name(op), q->unattributed[op]);
		unattributed += q->unattributed[op];
	}
	json_object_object_add(o, "unattributed", un);
	add_num(o, "unattributed_total", unattributed);
	x = json_object_new_object();
	add_num(x, "count", q->stalls);
	/* polls and time only where the tracepoint's program timed them */
	if (waits_timed) {
		add_num(x, "polls", q->stall_polls);
		add_num(x, "ns", q->stall_ns);
		json_object_object_add(x, "ns_hist",
				       fanout_hist_json(q->stall_hist));
	} else {
		json_object_object_add(x, "polls", NULL);
		json_object_object_add(x, "ns", NULL);
		json_object_object_add(x, "ns_hist", NULL);
	}
	json_object_object_add(o, "queue_stalls", x);
	x = json_object_new_object();
	add_num(x, "count", q->waits);
	add_num(x, "timeouts", q->wait_timeouts);
	add_num(x, "ns", q->wait_ns);
	add_num(x, "spins", q->wait_spins);
	json_object_object_add(x, "ns_hist", fanout_hist_json(q->wait_hist));
	json_object_object_add(o, "completion_waits", x);
	add_num(o, "too_deep", q->too_deep);
	add_num(o, "unmatched", q->unmatched);
	return o;
}
