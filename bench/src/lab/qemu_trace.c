// SPDX-License-Identifier: GPL-2.0
#include "qemu_trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"

/* QEMU hw/i386/trace-events: the event each command type ends in. */
static const struct {
	const char *event;
	int opcode;
} event_opcodes[] = {
	{ "amdvi_completion_wait", IOMMU_CMD_COMPL_WAIT },
	{ "amdvi_devtab_inval", IOMMU_CMD_INV_DEV_ENTRY },
	{ "amdvi_pages_inval", IOMMU_CMD_INV_IOMMU_PAGES },
	{ "amdvi_iotlb_inval", IOMMU_CMD_INV_IOTLB_PAGES },
	{ "amdvi_intr_inval", IOMMU_CMD_INV_IRT },
	{ "amdvi_prefetch_pages", IOMMU_CMD_PREFETCH_PAGES },
	{ "amdvi_ppr_exec", IOMMU_CMD_COMPLETE_PPR },
	{ "amdvi_all_inval", IOMMU_CMD_INV_ALL },
	/* Counted apart: opcode 0 is no command. */
	{ "amdvi_unhandled_command", 0 },
};

#define NR_EVENTS (sizeof(event_opcodes) / sizeof(event_opcodes[0]))

const char *const qemu_trace_events[] = {
	"amdvi_completion_wait",   "amdvi_devtab_inval",
	"amdvi_pages_inval",	   "amdvi_iotlb_inval",
	"amdvi_intr_inval",	   "amdvi_prefetch_pages",
	"amdvi_ppr_exec",	   "amdvi_all_inval",
	"amdvi_unhandled_command", NULL,
};

int qemu_trace_opcode(const char *line, uint64_t *cw_data)
{
	/* The log backend may prefix "pid@seconds.micros:". */
	const char *p = strstr(line, "amdvi_");

	if (!p || (p != line && p[-1] != ':'))
		return -1;
	for (size_t i = 0; i < NR_EVENTS; i++) {
		size_t n = strlen(event_opcodes[i].event);

		if (strncmp(p, event_opcodes[i].event, n) ||
		    (p[n] != ' ' && p[n] != '\n' && p[n]))
			continue;
		if (event_opcodes[i].opcode == IOMMU_CMD_COMPL_WAIT) {
			const char *d = strstr(p, "store data ");

			if (!d)
				return -1;
			*cw_data = strtoull(d + 11, NULL, 0);
		}
		return event_opcodes[i].opcode;
	}
	return -1;
}

int qemu_trace_count(const char *log_path, struct qemu_cmd_window *w, size_t n,
		     char *err, size_t len)
{
	FILE *f = fopen(log_path, "r");
	char *line = NULL;
	size_t cap = 0;

	if (!f)
		return seterr(err, len, "cannot open QEMU's trace %s: %s",
			      log_path, strerror(errno));
	for (size_t i = 0; i < n; i++) {
		memset(w[i].by_opcode, 0, sizeof(w[i].by_opcode));
		w[i].unhandled = 0;
		w[i].started = w[i].after == 0;
		w[i].ended = false;
	}
	while (getline(&line, &cap, f) > 0) {
		uint64_t data = 0;
		int op = qemu_trace_opcode(line, &data);

		if (op < 0)
			continue;
		for (size_t i = 0; i < n; i++) {
			if (w[i].ended)
				continue;
			if (!w[i].started) {
				/* Starts after the window's preceding wait. */
				if (op == IOMMU_CMD_COMPL_WAIT &&
				    data == w[i].after)
					w[i].started = true;
				continue;
			}
			if (op)
				w[i].by_opcode[op]++;
			else
				w[i].unhandled++;
			if (op == IOMMU_CMD_COMPL_WAIT && data == w[i].through)
				w[i].ended = true;
		}
	}
	free(line);
	fclose(f);
	return 0;
}
