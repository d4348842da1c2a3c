// SPDX-License-Identifier: GPL-2.0
/*
 * Count every command passing __iommu_queue_command_sync(), the one place all
 * AMD IOMMU commands go through before they reach the command buffer, and
 * the waits for buffer space there. Counts stay in maps; user space reads
 * them at the edges of a measurement window. Entry by fentry where the
 * kernel's BTF allows it, kprobe otherwise; the exit programs, which time
 * the waits, are optional (user space decides). Where the fanout probe
 * (lab kernel) or the fnfan fallback (stock kernels) already has a program
 * on every command, that one counts instead (cmdq_count.bpf.h).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "cmdq_count.bpf.h"

SEC("fentry/__iommu_queue_command_sync")
int BPF_PROG(cmdq_fentry, struct amd_iommu *iommu, struct iommu_cmd *cmd)
{
	cmdq_on_entry_btf(iommu, cmd);
	return 0;
}

SEC("fexit/__iommu_queue_command_sync")
int BPF_PROG(cmdq_fexit)
{
	cmdq_on_exit(bpf_ktime_get_ns());
	return 0;
}

SEC("kprobe/__iommu_queue_command_sync")
int BPF_KPROBE(cmdq_kprobe, struct amd_iommu *iommu, struct iommu_cmd *cmd)
{
	cmdq_on_entry(iommu, cmd);
	return 0;
}

SEC("kretprobe/__iommu_queue_command_sync")
int BPF_KRETPROBE(cmdq_kretprobe)
{
	cmdq_on_exit(bpf_ktime_get_ns());
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
