// SPDX-License-Identifier: GPL-2.0
/*
 * Count every command passing __iommu_queue_command_sync(), the one place all
 * AMD IOMMU commands go through before they reach the command buffer, and
 * the waits for buffer space there. Counts stay in maps; user space reads
 * them at the edges of a measurement window. Entry by fentry where the
 * kernel's BTF allows it, kprobe otherwise; the exit programs, which time
 * the waits, are optional (user space decides). On the lab kernel the
 * fanout probe counts the same from its tracepoint instead (cmdq_count.bpf.h).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "cmdq_count.bpf.h"

/* The kernel's struct iommu_cmd; CO-RE relocates the access if it moves. */
struct iommu_cmd {
	__u32 data[4];
} __attribute__((preserve_access_index));

/* The two fields of struct amd_iommu the queue-space check reads. */
struct amd_iommu {
	__u32 cmd_buf_head;
	__u32 cmd_buf_tail;
} __attribute__((preserve_access_index));

/*
 * When the command on this CPU began waiting for space (0: it did not).
 * The caller holds iommu->lock with IRQs off from entry to exit, so one
 * slot per CPU cannot be overwritten in between.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} wait_start SEC(".maps");

/* Set before load when the exit programs are attached. */
const volatile __u8 time_waits = 0;

static __always_inline void on_entry(const struct amd_iommu *iommu,
				     const struct iommu_cmd *cmd)
{
	__u32 head = BPF_CORE_READ(iommu, cmd_buf_head);
	__u32 tail = BPF_CORE_READ(iommu, cmd_buf_tail);
	__u32 next_tail = (tail + sizeof(*cmd)) % CMDQ_BUFFER_SIZE;
	__u32 zero = 0;
	struct cmdq_wait_stats *w;
	__u64 *start;
	int waits;

	cmdq_count(BPF_CORE_READ(cmd, data[0]), BPF_CORE_READ(cmd, data[1]),
		   BPF_CORE_READ(cmd, data[2]), BPF_CORE_READ(cmd, data[3]));
	/* the driver's own test, on the state it will see under its lock */
	waits = (head - next_tail) % CMDQ_BUFFER_SIZE <= CMDQ_MIN_LEFT;
	if (waits) {
		w = cmdq_waits();
		if (w)
			w->count++;
	}
	if (!time_waits)
		return;
	/* cleared when not waiting too: a missed kretprobe leaves no stale
	 * start for the next command's exit to time
	 */
	start = bpf_map_lookup_elem(&wait_start, &zero);
	if (start)
		*start = waits ? bpf_ktime_get_ns() : 0;
}

static __always_inline void on_exit(void)
{
	__u32 zero = 0;
	__u64 *start = bpf_map_lookup_elem(&wait_start, &zero);
	struct cmdq_wait_stats *w;

	if (!start || !*start)
		return;
	w = cmdq_waits();
	if (w)
		cmdq_wait_timed(w, bpf_ktime_get_ns() - *start);
	*start = 0;
}

SEC("fentry/__iommu_queue_command_sync")
int BPF_PROG(cmdq_fentry, struct amd_iommu *iommu, struct iommu_cmd *cmd)
{
	on_entry(iommu, cmd);
	return 0;
}

SEC("fexit/__iommu_queue_command_sync")
int BPF_PROG(cmdq_fexit)
{
	on_exit();
	return 0;
}

SEC("kprobe/__iommu_queue_command_sync")
int BPF_KPROBE(cmdq_kprobe, struct amd_iommu *iommu, struct iommu_cmd *cmd)
{
	on_entry(iommu, cmd);
	return 0;
}

SEC("kretprobe/__iommu_queue_command_sync")
int BPF_KRETPROBE(cmdq_kretprobe)
{
	on_exit();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
