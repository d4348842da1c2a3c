/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fnfan: "function fan-out" on kernels without the lab's tracepoints. For a
 * few kernel functions given by name: calls, latency (log2 histogram and
 * sum), and the IOMMU commands queued by the same thread while the function
 * is open, by opcode. Shared by the BPF program and user space.
 */
#ifndef INVLAB_FNFAN_H
#define INVLAB_FNFAN_H

#include "iommu_cmd.h"
#include "log2.h"

/* Function slots per probe: one fentry/fexit (or kprobe/kretprobe) pair each. */
#define FNFAN_MAX_FNS 6
#define FNFAN_LAT_SLOTS LOG2_SLOTS
/*
 * Calls open at once in one thread (one traced function calling another);
 * a power of two, which the BPF program masks indexes with.
 */
#define FNFAN_MAX_DEPTH 4

struct fnfan_fn_stats {
	unsigned long long calls; /* entries */
	unsigned long long returns; /* exits matched with their entry */
	unsigned long long lat_sum_ns; /* over the matched exits */
	unsigned long long lat_hist[FNFAN_LAT_SLOTS];
	/* commands the same thread queued while the call was open */
	unsigned long long cmds[IOMMU_CMD_NR_OPCODES];
	/* log2 histogram of commands per call (matched exits): the fan-out
	 * of one event, e.g. INVALIDATE_IRT per IRTE update = aliases + 1
	 */
	unsigned long long cmds_hist[FNFAN_LAT_SLOTS];
	/*
	 * With the command exit hook: calls that queued commands, and the
	 * time from the first one's entry (its wait for space included) to
	 * the last one's exit, the lab tracepoints' "hold" on stock kernels
	 */
	unsigned long long holds, hold_sum_ns;
	unsigned long long hold_hist[FNFAN_LAT_SLOTS];
	/* entries not tracked (stack full) and exits without an entry */
	unsigned long long too_deep, unmatched;
};

/* One record per call on the optional ring buffer (fnfan_opts.trace). */
struct fnfan_event {
	unsigned long long ts_ns; /* bpf_ktime_get_ns() at the exit */
	unsigned long long latency_ns;
	unsigned long long hold_ns; /* 0 when not timed or no command */
	unsigned int fn; /* slot */
	unsigned int commands;
	unsigned int cpu;
	unsigned int pad;
};

#define FNFAN_RINGBUF_BYTES (4 << 20)

#endif
