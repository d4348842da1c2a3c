// SPDX-License-Identifier: GPL-2.0
/*
 * bench/src/lab/qemu_trace.h: QEMU's amdvi_* trace log counted into
 * windows (the selfcheck's side), and each line on its own.
 */
#include "fuzz.h"

#include "lab/qemu_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* windows as the probes record them: store data before and at end */
	struct qemu_cmd_window w[] = {
		{ .after = 0, .through = 1 },
		{ .after = 1, .through = 2 },
		{ .after = 2, .through = 5 },
		{ .after = 5, .through = 6 },
		{ .after = 0x9b, .through = 0x4a93 },
		{ .after = 7, .through = 7 },
	};
	char *path = fuzz_write("qemu-amdvi.log", data, size), err[ERRLEN];
	char *text = fuzz_str(data, size), *save = NULL;
	uint64_t cw;

	qemu_trace_count(path, w, ARRAY_SIZE(w), err, sizeof(err));
	for (char *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save))
		qemu_trace_opcode(l, &cw);
	free(text);
	free(path);
	return 0;
}
