// SPDX-License-Identifier: GPL-2.0
/*
 * Window arithmetic on cmdq counts and their JSON (sample.commands): no BPF
 * here, so unit tests can link it.
 */
#include "cmdq_probe.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fanout_stats.h"
#include "iommu_cmd_names.h"

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

json_object *cmdq_counts_json(const struct cmdq_counts *c)
{
	json_object *o = json_object_new_object();
	json_object *by_op = json_object_new_object();
	json_object *by_id = json_object_new_array();

	for (unsigned int op = 0; op < IOMMU_CMD_NR_OPCODES; op++) {
		if (c->by_opcode[op])
			json_object_object_add(
				by_op, iommu_cmd_name(op),
				json_object_new_uint64(c->by_opcode[op]));
	}
	for (size_t i = 0; i < c->nr_ids; i++) {
		json_object *e = json_object_new_object();

		json_object_object_add(e, "opcode",
				       json_object_new_string(iommu_cmd_name(
					       c->ids[i].opcode)));
		json_object_object_add(
			e, "id",
			c->ids[i].id == IOMMU_CMD_ID_NONE ?
				NULL :
				json_object_new_int(c->ids[i].id));
		json_object_object_add(e, "count",
				       json_object_new_uint64(c->ids[i].count));
		json_object_array_add(by_id, e);
	}
	json_object_object_add(o, "total",
			       json_object_new_uint64(cmdq_counts_total(c)));
	json_object_object_add(o, "by_opcode", by_op);
	json_object_object_add(o, "by_id", by_id);
	json_object_object_add(o, "id_overflow",
			       json_object_new_uint64(c->id_overflow));
	/* Waits for buffer space: the time only when a probe took it. */
	{
		json_object *w = json_object_new_object();

		json_object_object_add(w, "count",
				       json_object_new_uint64(c->waits.count));
		if (c->waits_timed) {
			json_object_object_add(
				w, "timed",
				json_object_new_uint64(c->waits.timed));
			json_object_object_add(
				w, "ns", json_object_new_uint64(c->waits.ns));
			json_object_object_add(w, "hist",
					       fanout_hist_json(c->waits.hist));
		}
		json_object_object_add(o, "queue_waits", w);
	}
	/* null: the kernel log was not read (probes.cmdq.timeouts says why) */
	if (c->timeouts_counted) {
		json_object *t = json_object_new_object();

		json_object_object_add(
			t, "completion_wait",
			json_object_new_uint64(
				c->timeouts.completion_wait_timeouts));
		json_object_object_add(
			t, "command_buffer",
			json_object_new_uint64(
				c->timeouts.command_buffer_timeouts));
		json_object_object_add(
			t, "log_records_lost",
			json_object_new_uint64(c->timeouts.lost));
		json_object_object_add(o, "timeouts", t);
	} else {
		json_object_object_add(o, "timeouts", NULL);
	}
	/* Completion waits after "after" through "through" (selfcheck). */
	if (c->cw_seq_to) {
		json_object *s = json_object_new_object();

		json_object_object_add(s, "after",
				       json_object_new_uint64(c->cw_seq_from));
		json_object_object_add(s, "through",
				       json_object_new_uint64(c->cw_seq_to));
		json_object_object_add(o, "completion_wait_seq", s);
	}
	return o;
}

uint64_t cmdq_counts_opcode(const struct cmdq_counts *c, const char *name)
{
	unsigned int op = iommu_cmd_opcode(name);

	return op < IOMMU_CMD_NR_OPCODES ? c->by_opcode[op] : 0;
}
