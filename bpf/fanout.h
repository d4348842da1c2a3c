/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fanout: what each logical invalidation turned into, from the lab kernel's
 * amd_iommu tracepoints (kernel/patches/0001): commands per event, hDomIDs
 * or aliases walked, begin-to-end latency, first-to-last command time (the
 * stretch iommu->lock is taken for, IRQs off), completion-wait latency and
 * command-buffer stalls. Aggregated in per-CPU maps, read per window.
 */
#ifndef INVLAB_FANOUT_H
#define INVLAB_FANOUT_H

/* enum amd_iommu_flush_kind of kernel/patches/0001 (amd_iommu_trace.h). */
#define FANOUT_KIND_DOMAIN_PAGES 0
#define FANOUT_KIND_NEST_PARENT 1
#define FANOUT_KIND_IRT 2
#define FANOUT_KIND_DTE 3
#define FANOUT_KIND_ALL 4
#define FANOUT_KIND_PASID 5
#define FANOUT_NR_KINDS 6

#include "log2.h"

#define FANOUT_SLOTS LOG2_SLOTS
/* Invalidations open at once on a CPU (a nest-parent flush inside a
 * paging-domain flush is two).
 */
#define FANOUT_MAX_DEPTH 4
#define FANOUT_NR_OPCODES 16

struct fanout_kind_stats {
	unsigned long long events; /* begin/end pairs completed */
	unsigned long long commands; /* queued between them */
	unsigned long long walked; /* hDomIDs, aliases, sub-ranges */
	unsigned long long groups; /* vIOMMUs or IOMMUs */
	unsigned long long latency_ns; /* begin to end */
	/* first to last command, the first's wait for space included: how
	 * long the event keeps iommu->lock's commands coming, IRQs off
	 */
	unsigned long long hold_ns;
	unsigned long long commands_hist[FANOUT_SLOTS];
	unsigned long long walked_hist[FANOUT_SLOTS];
	unsigned long long latency_hist[FANOUT_SLOTS];
	unsigned long long hold_hist[FANOUT_SLOTS];
};

struct fanout_queue_stats {
	unsigned long long commands;
	/* Commands queued outside any traced invalidation, by opcode. */
	unsigned long long unattributed[FANOUT_NR_OPCODES];
	/*
	 * Commands that found the buffer full by the driver's cached head
	 * pointer: each re-reads the head over MMIO (a "stall" even when the
	 * re-read shows space); polls counts the further 1 us polls after it.
	 */
	unsigned long long stalls;
	unsigned long long stall_polls;
	unsigned long long stall_ns;
	unsigned long long stall_hist[FANOUT_SLOTS];
	unsigned long long waits; /* completion waits */
	unsigned long long wait_timeouts;
	unsigned long long wait_ns;
	unsigned long long wait_spins;
	unsigned long long wait_hist[FANOUT_SLOTS];
	/* Bookkeeping that went wrong: always reported. */
	unsigned long long too_deep; /* begins beyond FANOUT_MAX_DEPTH */
	unsigned long long unmatched; /* ends (flush or wait) with no begin */
};

/*
 * One record per invalidation event on the optional ring buffer
 * ([probes] trace = yes): the same figures the histograms aggregate.
 */
struct fanout_event {
	unsigned long long ts_ns; /* bpf_ktime_get_ns() at the end */
	unsigned long long latency_ns;
	unsigned long long hold_ns;
	unsigned int kind;
	unsigned int id; /* domid or devid the tracepoint names */
	unsigned int commands;
	unsigned int walked;
	unsigned int groups;
	unsigned int cpu;
	int ret;
	unsigned int pad;
};

/* Ring buffer bytes: a few seconds of 4 KiB reads at TCG speed. */
#define FANOUT_RINGBUF_BYTES (4 << 20)

#endif
