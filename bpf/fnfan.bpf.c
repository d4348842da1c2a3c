// SPDX-License-Identifier: GPL-2.0
/*
 * Function fan-out (bpf/fnfan.h): entry and exit of up to FNFAN_MAX_FNS
 * kernel functions named at load time, and every command queued through
 * __iommu_queue_command_sync() while one of them is open in the same
 * thread. The open calls are kept per thread, not per CPU: a caller that
 * may sleep or migrate between entry and exit (free_irte runs preemptible)
 * still gets its own commands. Each slot has fentry/fexit and
 * kprobe/kretprobe programs; user space loads one pair per slot.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "fnfan.h"

struct iommu_cmd {
	__u32 data[4];
} __attribute__((preserve_access_index));

struct open_call {
	__u32 fn;
	__u32 cmds; /* queued by this thread while this call is open */
	__u64 start;
};

struct thread_state {
	__u32 depth;
	struct open_call open[FNFAN_MAX_DEPTH];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct thread_state);
} threads SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FNFAN_MAX_FNS);
	__type(key, __u32);
	__type(value, struct fnfan_fn_stats);
} fns SEC(".maps");

static __always_inline struct fnfan_fn_stats *stats(__u32 fn)
{
	return bpf_map_lookup_elem(&fns, &fn);
}

static __always_inline int on_entry(__u32 fn)
{
	__u64 tid = bpf_get_current_pid_tgid();
	struct fnfan_fn_stats *st = stats(fn);
	struct thread_state zero, *t;
	__u32 d;

	if (!st)
		return 0;
	st->calls++;
	t = bpf_map_lookup_elem(&threads, &tid);
	if (!t) {
		/* padding too: the verifier rejects uninitialised stack */
		__builtin_memset(&zero, 0, sizeof(zero));
		bpf_map_update_elem(&threads, &tid, &zero, BPF_NOEXIST);
		t = bpf_map_lookup_elem(&threads, &tid);
		if (!t) {
			st->too_deep++;
			return 0;
		}
	}
	d = t->depth;
	if (d >= FNFAN_MAX_DEPTH) {
		st->too_deep++;
		return 0;
	}
	d &= FNFAN_MAX_DEPTH - 1;
	t->open[d].fn = fn;
	t->open[d].cmds = 0;
	t->open[d].start = bpf_ktime_get_ns();
	t->depth = d + 1;
	return 0;
}

static __always_inline int on_exit(__u32 fn)
{
	__u64 tid = bpf_get_current_pid_tgid(), now = bpf_ktime_get_ns(), ns;
	struct fnfan_fn_stats *st = stats(fn);
	struct thread_state *t = bpf_map_lookup_elem(&threads, &tid);
	__u32 d;

	if (!st)
		return 0;
	if (!t || !t->depth || t->depth > FNFAN_MAX_DEPTH) {
		st->unmatched++;
		return 0;
	}
	/* the mask keeps the verifier sure of the bound (a power of two) */
	d = (t->depth - 1) & (FNFAN_MAX_DEPTH - 1);
	if (t->open[d].fn != fn) {
		st->unmatched++;
		return 0;
	}
	ns = now - t->open[d].start;
	t->depth = d;
	st->returns++;
	st->lat_sum_ns += ns;
	st->lat_hist[log2_bslot(ns)]++;
	st->cmds_hist[log2_bslot(t->open[d].cmds)]++;
	if (!d)
		bpf_map_delete_elem(&threads, &tid);
	return 0;
}

/* A command counts once for each distinct function open in this thread. */
static __always_inline void on_cmd(const struct iommu_cmd *cmd)
{
	__u64 tid = bpf_get_current_pid_tgid();
	struct thread_state *t = bpf_map_lookup_elem(&threads, &tid);
	__u32 op = IOMMU_CMD_OPCODE(BPF_CORE_READ(cmd, data[1]));
	__u32 seen = 0;

	if (!t)
		return;
	for (__u32 i = 0; i < FNFAN_MAX_DEPTH; i++) {
		struct fnfan_fn_stats *st;
		__u32 fn;

		if (i >= t->depth)
			break;
		t->open[i & (FNFAN_MAX_DEPTH - 1)].cmds++;
		fn = t->open[i & (FNFAN_MAX_DEPTH - 1)].fn;
		if (fn >= FNFAN_MAX_FNS || (seen & (1u << fn)))
			continue;
		seen |= 1u << fn;
		st = stats(fn);
		if (st && op < IOMMU_CMD_NR_OPCODES)
			st->cmds[op]++;
	}
}

SEC("fentry/__iommu_queue_command_sync")
int BPF_PROG(fnfan_cmd_fentry, void *iommu, struct iommu_cmd *cmd)
{
	on_cmd(cmd);
	return 0;
}

SEC("kprobe/__iommu_queue_command_sync")
int BPF_KPROBE(fnfan_cmd_kprobe, void *iommu, struct iommu_cmd *cmd)
{
	on_cmd(cmd);
	return 0;
}

/*
 * One set of programs per slot. Their attach targets are set by user space
 * (bpf_program__set_attach_target, or the kprobe's symbol); the programs
 * read no arguments, so any function, even a compiler clone, fits.
 */
#define FNFAN_SLOT(n)                          \
	SEC("fentry")                          \
	int BPF_PROG(fnfan_fentry_##n)         \
	{                                      \
		return on_entry(n);            \
	}                                      \
	SEC("fexit")                           \
	int BPF_PROG(fnfan_fexit_##n)          \
	{                                      \
		return on_exit(n);             \
	}                                      \
	SEC("kprobe")                          \
	int BPF_KPROBE(fnfan_kprobe_##n)       \
	{                                      \
		return on_entry(n);            \
	}                                      \
	SEC("kretprobe")                       \
	int BPF_KRETPROBE(fnfan_kretprobe_##n) \
	{                                      \
		return on_exit(n);             \
	}

FNFAN_SLOT(0)
FNFAN_SLOT(1)
FNFAN_SLOT(2)
FNFAN_SLOT(3)

char LICENSE[] SEC("license") = "GPL";
