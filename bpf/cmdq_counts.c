// SPDX-License-Identifier: GPL-2.0
/* Window arithmetic on cmdq counts: no BPF here, so unit tests can link it. */
#include "cmdq_probe.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int cmp_id(const void *a, const void *b)
{
	const struct cmdq_id_count *x = a, *y = b;

	if (x->opcode != y->opcode)
		return x->opcode < y->opcode ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

static uint64_t before_count(const struct cmdq_counts *before,
			     const struct cmdq_id_count *k)
{
	const struct cmdq_id_count *hit;

	if (!before->nr_ids)
		return 0;
	hit = bsearch(k, before->ids, before->nr_ids, sizeof(*k), cmp_id);
	return hit ? hit->count : 0;
}

int cmdq_counts_delta(const struct cmdq_counts *before,
		      const struct cmdq_counts *after, struct cmdq_counts *out)
{
	struct cmdq_counts b = *before;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < IOMMU_CMD_NR_OPCODES; i++)
		out->by_opcode[i] = after->by_opcode[i] - before->by_opcode[i];
	out->id_overflow = after->id_overflow - before->id_overflow;
	out->waits_timed = after->waits_timed;
	kmsg_counts_delta(&before->timeouts, &after->timeouts, &out->timeouts);
	/* log records lost in the window: its timeouts are not known */
	out->timeouts_counted = before->timeouts_counted &&
				after->timeouts_counted && !out->timeouts.lost;
	out->waits.count = after->waits.count - before->waits.count;
	out->waits.timed = after->waits.timed - before->waits.timed;
	out->waits.ns = after->waits.ns - before->waits.ns;
	for (i = 0; i < LOG2_SLOTS; i++)
		out->waits.hist[i] =
			after->waits.hist[i] - before->waits.hist[i];
	/* The first window starts after the wait before the first it saw. */
	out->cw_seq_from = before->cw_seq_to   ? before->cw_seq_to :
			   after->cw_seq_first ? after->cw_seq_first - 1 :
						 0;
	out->cw_seq_to = after->cw_seq_to;

	/* Sort a copy of before's ids so each lookup is a bsearch. */
	if (b.nr_ids) {
		b.ids = malloc(b.nr_ids * sizeof(*b.ids));
		if (!b.ids)
			return -ENOMEM;
		memcpy(b.ids, before->ids, b.nr_ids * sizeof(*b.ids));
		qsort(b.ids, b.nr_ids, sizeof(*b.ids), cmp_id);
	}
	out->ids = calloc(after->nr_ids ? after->nr_ids : 1, sizeof(*out->ids));
	if (!out->ids) {
		if (b.nr_ids)
			free(b.ids);
		return -ENOMEM;
	}
	for (i = 0; i < after->nr_ids; i++) {
		uint64_t n =
			after->ids[i].count - before_count(&b, &after->ids[i]);

		if (!n)
			continue;
		out->ids[out->nr_ids] = after->ids[i];
		out->ids[out->nr_ids].count = n;
		out->nr_ids++;
	}
	qsort(out->ids, out->nr_ids, sizeof(*out->ids), cmp_id);
	if (b.nr_ids)
		free(b.ids);
	return 0;
}

uint64_t cmdq_counts_total(const struct cmdq_counts *c)
{
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < IOMMU_CMD_NR_OPCODES; i++)
		total += c->by_opcode[i];
	return total;
}

void cmdq_counts_free(struct cmdq_counts *c)
{
	free(c->ids);
	c->ids = NULL;
	c->nr_ids = 0;
}
