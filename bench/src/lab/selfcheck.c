// SPDX-License-Identifier: GPL-2.0
#include "selfcheck.h"

#include <string.h>

#include "qemu_trace.h"
#include "bpf/iommu_cmd_names.h"
#include "lib/result.h"
#include "lib/util.h"

static json_object *get(json_object *o, const char *k)
{
	json_object *v = NULL;

	return o && json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static json_object *counts_json(const uint64_t *by_opcode)
{
	json_object *o = json_object_new_object();

	for (unsigned int op = 1; op < IOMMU_CMD_NR_OPCODES; op++)
		if (by_opcode[op])
			json_object_object_add(
				o, iommu_cmd_name(op),
				json_object_new_uint64(by_opcode[op]));
	return o;
}

json_object *selfcheck_compare(json_object *result, const char *trace_path)
{
	json_object *out = json_object_new_object();
	json_object *wins = json_object_new_array();
	json_object *samples = get(result, "samples");
	size_t n = samples ? json_object_array_length(samples) : 0;
	struct qemu_cmd_window *w = xcalloc(n ? n : 1, sizeof(*w));
	uint64_t(*probe)[IOMMU_CMD_NR_OPCODES] =
		xcalloc(n ? n : 1, sizeof(*probe));
	char err[ERRLEN] = "";
	bool exact = n > 0;

	json_object_object_add(out, "trace",
			       json_object_new_string(trace_path));
	json_object_object_add(out, "windows", wins);
	if (!n) {
		seterr(err, sizeof(err), "the result has no window to compare");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		json_object *c =
			get(json_object_array_get_idx(samples, i), "commands");
		json_object *seq = get(c, "completion_wait_seq");

		if (!seq) {
			seterr(err, sizeof(err),
			       "window %zu has no completion-wait sequence numbers (no COMPLETION_WAIT queued, or a probe without them)",
			       i + 1);
			exact = false;
			goto out;
		}
		w[i].after = json_object_get_uint64(get(seq, "after"));
		w[i].through = json_object_get_uint64(get(seq, "through"));
		json_object_object_foreach(get(c, "by_opcode"), name, v)
		{
			unsigned int op = iommu_cmd_opcode(name);

			if (op && op < IOMMU_CMD_NR_OPCODES)
				probe[i][op] = json_object_get_uint64(v);
		}
	}
	if (qemu_trace_count(trace_path, w, n, err, sizeof(err))) {
		exact = false;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_new_object();
		bool eq = w[i].started && w[i].ended && !w[i].unhandled &&
			  !memcmp(probe[i], w[i].by_opcode, sizeof(probe[i]));

		json_object_object_add(o, "repetition",
				       json_object_new_int((int)i + 1));
		json_object_object_add(o, "after",
				       json_object_new_uint64(w[i].after));
		json_object_object_add(o, "through",
				       json_object_new_uint64(w[i].through));
		json_object_object_add(o, "probe", counts_json(probe[i]));
		json_object_object_add(o, "qemu", counts_json(w[i].by_opcode));
		json_object_object_add(o, "qemu_unhandled",
				       json_object_new_uint64(w[i].unhandled));
		json_object_object_add(o, "found_in_trace",
				       json_object_new_boolean(w[i].started &&
							       w[i].ended));
		json_object_object_add(o, "exact", json_object_new_boolean(eq));
		json_object_array_add(wins, o);
		if (!eq && !err[0])
			seterr(err, sizeof(err),
			       "window %zu: the probe's counts differ from QEMU's%s",
			       i + 1,
			       w[i].started && w[i].ended ?
				       "" :
				       " (its completion waits are not in QEMU's trace)");
		exact &= eq;
	}
out:
	json_object_object_add(out, "exact", json_object_new_boolean(exact));
	json_object_object_add(out, "error",
			       err[0] ? json_object_new_string(err) : NULL);
	free(w);
	free(probe);
	return out;
}
