/* SPDX-License-Identifier: GPL-2.0 */
/* User-space side of the fanout probe: attach to the lab tracepoints, read. */
#ifndef INVLAB_FANOUT_PROBE_H
#define INVLAB_FANOUT_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "fanout_stats.h"
#include "rb_trace.h"

struct fanout_probe {
	struct fanout_bpf *skel;
	bool present; /* the kernel has the amd_iommu tracepoints */
	char why[256]; /* why not, when it does not */
	/* the per-command program: "fentry" on __iommu_queue_command_sync,
	 * or "tp_btf" on amd_iommu_cmd_queued
	 */
	char cmd_hook[16];
	/* queue-full waits timed (the tracepoint's polls and ns) */
	bool waits_timed;
	/* the per-event trace, when asked for (fanout_probe_trace_start) */
	struct rb_trace trace;
};

struct fanout_opts {
	bool trace; /* every event over the ring buffer too */
	/* the command program also counts for the cmdq probe
	 * (cmdq_probe_share())
	 */
	bool count_cmds;
	/* time the waits for space: the command program on the tracepoint */
	bool time_waits;
	unsigned int id_opcodes; /* with count_cmds: opcodes counted by id */
};

/*
 * Attach when the running kernel's BTF has the amd_iommu tracepoints. A
 * kernel without them is not an error: present is false and why says so.
 * -1 with err only when they exist and attaching failed. Per command one
 * program: fentry on __iommu_queue_command_sync where the BTF has it and
 * the waits are not to be timed, else the amd_iommu_cmd_queued tracepoint.
 */
int fanout_probe_attach(struct fanout_probe *p, const struct fanout_opts *o,
			char *err, size_t err_len);
/*
 * With trace set at attach: write every event as one JSON line to path
 * (a thread drains the ring buffer while the workload runs) until
 * fanout_probe_trace_stop(), which drains the rest and gives what was
 * written and what the ring buffer dropped.
 */
int fanout_probe_trace_start(struct fanout_probe *p, const char *path,
			     char *err, size_t err_len);
int fanout_probe_trace_stop(struct fanout_probe *p, unsigned long long *written,
			    unsigned long long *dropped);
int fanout_probe_read(const struct fanout_probe *p, struct fanout_totals *t);
void fanout_probe_detach(struct fanout_probe *p);

#endif
