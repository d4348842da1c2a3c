// SPDX-License-Identifier: GPL-2.0
/*
 * Count every command passing __iommu_queue_command_sync(), the one place all
 * AMD IOMMU commands go through before they reach the command buffer. Counts
 * stay in maps; user space reads them at the edges of a measurement window.
 * Two entry points, one attached: fentry where the kernel's BTF allows it,
 * kprobe otherwise (user space decides).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "cmdq.h"

/* The kernel's struct iommu_cmd; CO-RE relocates the access if it moves. */
struct iommu_cmd {
	__u32 data[4];
} __attribute__((preserve_access_index));

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

static __always_inline __u32 cmd_id(__u32 opcode, __u32 d0, __u32 d1)
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

static __always_inline void count_cmd(const struct iommu_cmd *cmd)
{
	__u32 d0 = BPF_CORE_READ(cmd, data[0]);
	__u32 d1 = BPF_CORE_READ(cmd, data[1]);
	__u32 opcode = IOMMU_CMD_OPCODE(d1);
	struct cmdq_id_key key = { .opcode = opcode,
				   .id = cmd_id(opcode, d0, d1) };
	__u64 one = 1, *n;

	n = bpf_map_lookup_elem(&opcode_counts, &opcode);
	if (n)
		*n += 1;

	if (opcode == IOMMU_CMD_COMPL_WAIT) {
		__u64 seq = (__u64)BPF_CORE_READ(cmd, data[3]) << 32 |
			    BPF_CORE_READ(cmd, data[2]);
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

SEC("fentry/__iommu_queue_command_sync")
int BPF_PROG(cmdq_fentry, void *iommu, struct iommu_cmd *cmd)
{
	count_cmd(cmd);
	return 0;
}

SEC("kprobe/__iommu_queue_command_sync")
int BPF_KPROBE(cmdq_kprobe, void *iommu, struct iommu_cmd *cmd)
{
	count_cmd(cmd);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
