// SPDX-License-Identifier: GPL-2.0
/* fnfan window arithmetic: no BPF here, so unit tests can link it. */
#include "fnfan_stats.h"

#include <string.h>

#include "fanout_stats.h"
#include "iommu_cmd_names.h"

void fnfan_stats_add(struct fnfan_fn_stats *dst,
		     const struct fnfan_fn_stats *src)
{
	dst->calls += src->calls;
	dst->returns += src->returns;
	dst->lat_sum_ns += src->lat_sum_ns;
	dst->holds += src->holds;
	dst->hold_sum_ns += src->hold_sum_ns;
	for (int i = 0; i < FNFAN_LAT_SLOTS; i++) {
		dst->lat_hist[i] += src->lat_hist[i];
		dst->cmds_hist[i] += src->cmds_hist[i];
		dst->hold_hist[i] += src->hold_hist[i];
	}
	for (int i = 0; i < IOMMU_CMD_NR_OPCODES; i++)
		dst->cmds[i] += src->cmds[i];
	dst->too_deep += src->too_deep;
	dst->unmatched += src->unmatched;
}

static void stats_sub(struct fnfan_fn_stats *out,
		      const struct fnfan_fn_stats *a,
		      const struct fnfan_fn_stats *b)
{
	out->calls = a->calls - b->calls;
	out->returns = a->returns - b->returns;
	out->lat_sum_ns = a->lat_sum_ns - b->lat_sum_ns;
	out->holds = a->holds - b->holds;
	out->hold_sum_ns = a->hold_sum_ns - b->hold_sum_ns;
	for (int i = 0; i < FNFAN_LAT_SLOTS; i++) {
		out->lat_hist[i] = a->lat_hist[i] - b->lat_hist[i];
		out->cmds_hist[i] = a->cmds_hist[i] - b->cmds_hist[i];
		out->hold_hist[i] = a->hold_hist[i] - b->hold_hist[i];
	}
	for (int i = 0; i < IOMMU_CMD_NR_OPCODES; i++)
		out->cmds[i] = a->cmds[i] - b->cmds[i];
	out->too_deep = a->too_deep - b->too_deep;
	out->unmatched = a->unmatched - b->unmatched;
}

void fnfan_totals_delta(const struct fnfan_totals *before,
			const struct fnfan_totals *after,
			struct fnfan_totals *out)
{
	memset(out, 0, sizeof(*out));
	out->nr_fns = after->nr_fns;
	for (size_t f = 0; f < after->nr_fns && f < FNFAN_MAX_FNS; f++)
		stats_sub(&out->fn[f], &after->fn[f], &before->fn[f]);
}

double fnfan_hist_quantile_bound(const unsigned long long *hist, double q)
{
	unsigned long long total = 0, seen = 0, want;

	for (int i = 0; i < FNFAN_LAT_SLOTS; i++)
		total += hist[i];
	if (!total || q <= 0 || q > 1)
		return -1;
	/* the smallest rank r with r >= q * total (rank 1 is the least) */
	want = (unsigned long long)(q * (double)total);
	if ((double)want < q * (double)total)
		want++;
	for (int i = 0; i < FNFAN_LAT_SLOTS; i++) {
		seen += hist[i];
		if (seen >= want)
			return i ? (double)(1ULL << i) : 1;
	}
	return (double)(1ULL << (FNFAN_LAT_SLOTS - 1));
}

json_object *fnfan_fn_json(const struct fnfan_fn_stats *s)
{
	json_object *o = json_object_new_object(), *c;

	json_object_object_add(o, "calls", json_object_new_int64(s->calls));
	json_object_object_add(o, "returns", json_object_new_int64(s->returns));
	json_object_object_add(o, "latency_ns_sum",
			       json_object_new_int64(s->lat_sum_ns));
	json_object_object_add(
		o, "latency_ns_mean",
		s->returns ? json_object_new_double((double)s->lat_sum_ns /
						    (double)s->returns) :
			     NULL);
	json_object_object_add(o, "latency_ns_hist",
			       fanout_hist_json(s->lat_hist));
	json_object_object_add(o, "commands_per_call_hist",
			       fanout_hist_json(s->cmds_hist));
	c = json_object_new_object();
	for (unsigned int i = 0; i < IOMMU_CMD_NR_OPCODES; i++) {
		if (s->cmds[i])
			json_object_object_add(
				c, iommu_cmd_name(i),
				json_object_new_int64(s->cmds[i]));
	}
	json_object_object_add(o, "commands", c);
	/* null unless the command exit hook timed calls that queued some */
	if (s->holds) {
		c = json_object_new_object();
		json_object_object_add(c, "calls",
				       json_object_new_int64(s->holds));
		json_object_object_add(c, "ns_sum",
				       json_object_new_int64(s->hold_sum_ns));
		json_object_object_add(c, "ns_hist",
				       fanout_hist_json(s->hold_hist));
		json_object_object_add(o, "hold", c);
	} else {
		json_object_object_add(o, "hold", NULL);
	}
	json_object_object_add(o, "too_deep",
			       json_object_new_int64(s->too_deep));
	json_object_object_add(o, "unmatched",
			       json_object_new_int64(s->unmatched));
	return o;
}
