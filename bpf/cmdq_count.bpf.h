/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cmdq probe's counting (bpf/cmdq.h), shared by the two programs that
 * may see each command: cmdq.bpf.c's hook on __iommu_queue_command_sync()
 * (stock kernels) and fanout.bpf.c's amd_iommu_cmd_queued handler (the lab
 * kernel), so a kernel with the tracepoint pays for one program per
 * command, not two. Each object that includes this has its own copy of
 * the maps; user space reads whichever object counted.
 */
#ifndef INVLAB_CMDQ_COUNT_BPF_H
#define INVLAB_CMDQ_COUNT_BPF_H

#include "cmdq.h"
#include "log2.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, IOMMU_CMD_NR_OPCODES);
	__type(key, __u32);
	__type(value, __u64);
} opcode_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CMDQ_MAX_IDS);
	__type(key, struct cmdq_id_key);
	__type(value, __u64);
} id_counts SEC(".maps");

/* Commands whose id did not fit in id_counts: reported, never hidden. */
__u64 id_overflow = 0;

/*
 * COMPLETION_WAIT sequence numbers (their store data) queued on each CPU:
 * [CW_SEQ_LAST] the highest, [CW_SEQ_FIRST] the lowest since attach. A
 * window between two reads covers the completion waits after the first
 * read's highest through the second's (after the lowest minus one for the
 * first window): the handle by which selfcheck finds the same window in
 * QEMU's own trace of the commands it executed. The driver numbers them
 * 1, 2, 3... per IOMMU, so this is meaningful with one IOMMU.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CW_SEQ_NR);
	__type(key, __u32);
	__type(value, __u64);
} cw_seq SEC(".maps");

/* Waits for command-buffer space (struct cmdq_wait_stats), per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cmdq_wait_stats);
} queue_waits SEC(".maps");

static __always_inline struct cmdq_wait_stats *cmdq_waits(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&queue_waits, &zero);
}

/* A wait that took ns from the first head re-read to the command's write. */
static __always_inline void cmdq_wait_timed(struct cmdq_wait_stats *w, __u64 ns)
{
	w->timed++;
	w->ns += ns;
	w->hist[log2_bslot(ns)]++;
}

static __always_inline __u32 cmdq_cmd_id(__u32 opcode, __u32 d0, __u32 d1)
{
	switch (opcode) {
	case IOMMU_CMD_INV_IOMMU_PAGES: return d1 & 0xffff;
	case IOMMU_CMD_INV_DEV_ENTRY:
	case IOMMU_CMD_INV_IOTLB_PAGES:
	case IOMMU_CMD_INV_IRT:
	case IOMMU_CMD_COMPLETE_PPR: return d0 & 0xffff;
	default: return IOMMU_CMD_ID_NONE;
	}
}

/* One command, from its four words. */
static __always_inline void cmdq_count(__u32 d0, __u32 d1, __u32 d2, __u32 d3)
{
	__u32 opcode = IOMMU_CMD_OPCODE(d1);
	struct cmdq_id_key key = { .opcode = opcode,
				   .id = cmdq_cmd_id(opcode, d0, d1) };
	__u64 one = 1, *n;

	n = bpf_map_lookup_elem(&opcode_counts, &opcode);
	if (n)
		*n += 1;

	if (opcode == IOMMU_CMD_COMPL_WAIT) {
		__u64 seq = (__u64)d3 << 32 | d2;
		__u32 k = CW_SEQ_LAST;

		n = bpf_map_lookup_elem(&cw_seq, &k);
		if (n && seq > *n)
			*n = seq;
		k = CW_SEQ_FIRST;
		n = bpf_map_lookup_elem(&cw_seq, &k);
		if (n && (!*n || seq < *n))
			*n = seq;
	}

	n = bpf_map_lookup_elem(&id_counts, &key);
	if (n) {
		__sync_fetch_and_add(n, 1);
		return;
	}
	if (bpf_map_update_elem(&id_counts, &key, &one, BPF_NOEXIST) == 0)
		return;
	/* Lost a race with another CPU inserting the same key, or full. */
	n = bpf_map_lookup_elem(&id_counts, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		__sync_fetch_and_add(&id_overflow, 1);
}

#endif
