// SPDX-License-Identifier: GPL-2.0
#include "result.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "bpf/fanout_stats.h"
#include "util.h"

const char *iommu_cmd_name(unsigned int opcode)
{
	static const char *const names[IOMMU_CMD_NR_OPCODES] = {
		[IOMMU_CMD_COMPL_WAIT] = "COMPLETION_WAIT",
		[IOMMU_CMD_INV_DEV_ENTRY] = "INVALIDATE_DEVTAB_ENTRY",
		[IOMMU_CMD_INV_IOMMU_PAGES] = "INVALIDATE_IOMMU_PAGES",
		[IOMMU_CMD_INV_IOTLB_PAGES] = "INVALIDATE_IOTLB_PAGES",
		[IOMMU_CMD_INV_IRT] = "INVALIDATE_INTERRUPT_TABLE",
		[IOMMU_CMD_PREFETCH_PAGES] = "PREFETCH_IOMMU_PAGES",
		[IOMMU_CMD_COMPLETE_PPR] = "COMPLETE_PPR_REQUEST",
		[IOMMU_CMD_INV_ALL] = "INVALIDATE_IOMMU_ALL",
	};

	if (opcode < IOMMU_CMD_NR_OPCODES && names[opcode])
		return names[opcode];
	return "UNKNOWN";
}

unsigned int iommu_cmd_opcode(const char *name)
{
	for (unsigned int op = 1; op < IOMMU_CMD_NR_OPCODES; op++) {
		if (!strcmp(iommu_cmd_name(op), name))
			return op;
	}
	return 0;
}

json_object *result_counts_json(const struct cmdq_counts *c)
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

json_object *result_fio_json(const struct fio_metrics *m)
{
	const struct {
		const char *key;
		double value;
	} nums[] = {
		{ "runtime_ms", m->runtime_ms },
		{ "iops", m->iops },
		{ "bw_kib_s", m->bw_kib_s },
		{ "clat_mean_ns", m->clat_mean_ns },
		{ "clat_p50_ns", m->clat_p50_ns },
		{ "clat_p99_ns", m->clat_p99_ns },
		{ "clat_p99_9_ns", m->clat_p999_ns },
	};
	json_object *o = json_object_new_object();

	json_object_object_add(o, "fio_version",
			       json_object_new_string(m->version));
	json_object_object_add(o, "total_ios",
			       json_object_new_uint64(m->total_ios));
	json_object_object_add(o, "io_bytes",
			       json_object_new_uint64(m->io_bytes));
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		json_object_object_add(o, nums[i].key,
				       json_object_new_double(nums[i].value));
	return o;
}

int result_write(json_object *doc, const char *path)
{
	size_t len;
	const char *text = json_object_to_json_string_length(
		doc,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE,
		&len);
	char *buf = xasprintf("%s\n", text);
	int ret = atomic_write(path, buf, len + 1);

	free(buf);
	return ret;
}

json_object *result_load(const char *path, char *err, size_t err_len)
{
	json_object *doc, *v;
	size_t len;
	char *text = read_file(path, &len);
	struct json_tokener *tok;

	if (!text) {
		seterr(err, err_len, "cannot read result %s: %s", path,
		       strerror(errno));
		return NULL;
	}
	tok = json_tokener_new();
	doc = json_tokener_parse_ex(tok, text, (int)len);
	/* Anything but whitespace after the object: not one of ours. */
	if (doc) {
		size_t end = json_tokener_get_parse_end(tok);

		end += strspn(text + end, " \t\r\n");
		if (end < len) {
			json_object_put(doc);
			doc = NULL;
		}
	}
	if (!doc && json_tokener_get_error(tok) == json_tokener_success) {
		seterr(err, err_len,
		       "%s holds more than one JSON object: not a result",
		       path);
		json_tokener_free(tok);
		free(text);
		return NULL;
	}
	if (!doc) {
		seterr(err, err_len,
		       "%s is not valid JSON (%s): truncated or not a result",
		       path,
		       json_tokener_error_desc(json_tokener_get_error(tok)));
		json_tokener_free(tok);
		free(text);
		return NULL;
	}
	json_tokener_free(tok);
	free(text);
	if (!json_object_object_get_ex(doc, "schema", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), RESULT_SCHEMA)) {
		seterr(err, err_len,
		       "%s is not an invlab result (schema is not \"%s\")",
		       path, RESULT_SCHEMA);
		goto bad;
	}
	if (!json_object_object_get_ex(doc, "version", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    json_object_get_int(v) != RESULT_VERSION) {
		seterr(err, err_len,
		       "%s has result version %s; this invlab reads version %d",
		       path, v ? json_object_to_json_string(v) : "(none)",
		       RESULT_VERSION);
		goto bad;
	}
	if (!json_object_object_get_ex(doc, "status", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    !json_object_object_get_ex(doc, "samples", &v) ||
	    !json_object_is_type(v, json_type_array)) {
		seterr(err, err_len,
		       "%s lacks a status string or a samples array", path);
		goto bad;
	}
	return doc;
bad:
	json_object_put(doc);
	return NULL;
}

json_object *strv_json(const struct strv *s)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < s->n; i++)
		json_object_array_add(a, json_object_new_string(s->v[i]));
	return a;
}
