/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU's own record of the AMD IOMMU commands it executed (its amdvi_*
 * trace events, `-trace` with the log backend): an independent count to
 * check the probes against, window by window.
 */
#ifndef INVLAB_QEMU_TRACE_H
#define INVLAB_QEMU_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpf/iommu_cmd.h"

/* The events to enable: one per command type QEMU executes. */
extern const char *const qemu_trace_events[];

/*
 * One window: the commands executed after the COMPLETION_WAIT whose store
 * data is `after` (0: from the start of the log) through the one whose store
 * data is `through`. The probe side records the same two numbers.
 */
struct qemu_cmd_window {
	uint64_t after, through;
	uint64_t by_opcode[IOMMU_CMD_NR_OPCODES];
	uint64_t unhandled; /* commands QEMU did not recognise */
	bool started, ended;
};

/* The opcode an amdvi_* event line stands for, or -1 if it is none. */
int qemu_trace_opcode(const char *line, uint64_t *cw_data);

/* Count every window in one pass over the log. */
int qemu_trace_count(const char *log_path, struct qemu_cmd_window *w, size_t n,
		     char *err, size_t len);

#endif
