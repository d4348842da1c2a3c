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
#include "cmdq_count.bpf.h"

struct open_call {
	__u32 fn;
	__u32 cmds; /* queued by this thread while this call is open */
	__u64 start;
	/* entry of the first command, exit of the last (with the exit hook) */
	__u64 first_cmd, last_cmd;
};

struct thread_state {
	__u32 depth;
	struct open_call open[FNFAN_MAX_DEPTH];
};

/* Set before load: the command exit programs are attached (hold times). */
const volatile __u8 time_cmds = 0;
/* Set before load: send every call over the ring buffer too. */
const volatile __u8 trace_calls = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, FNFAN_RINGBUF_BYTES);
} events SEC(".maps");

/* Calls the ring buffer had no room for: always reported. */
__u64 events_dropped = 0;

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
	t->open[d].first_cmd = 0;
	t->open[d].last_cmd = 0;
	t->open[d].start = bpf_ktime_get_ns();
	t->depth = d + 1;
	return 0;
}

static __always_inline int on_exit(__u32 fn)
{
	__u64 tid = bpf_get_current_pid_tgid(), now = bpf_ktime_get_ns(), ns;
	struct fnfan_fn_stats *st = stats(fn);
	__u64 hold;
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
	/* first command's entry (its wait for space included) to the last
	 * one's exit: how long this event kept the command queue busy
	 */
	hold = 0;
	if (t->open[d].cmds && t->open[d].last_cmd) {
		hold = t->open[d].last_cmd - t->open[d].first_cmd;
		st->holds++;
		st->hold_sum_ns += hold;
		st->hold_hist[log2_bslot(hold)]++;
	}
	if (trace_calls) {
		struct fnfan_event *e;

		e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
		if (e) {
			e->ts_ns = now;
			e->latency_ns = ns;
			e->hold_ns = hold;
			e->fn = fn;
			e->commands = t->open[d].cmds;
			e->cpu = bpf_get_smp_processor_id();
			e->pad = 0;
			bpf_ringbuf_submit(e, 0);
		} else {
			__sync_fetch_and_add(&events_dropped, 1);
		}
	}
	if (!d)
		bpf_map_delete_elem(&threads, &tid);
	return 0;
}

/* A command counts once for each distinct function open in this thread. */
static __always_inline void on_cmd(__u32 op)
{
	__u64 tid = bpf_get_current_pid_tgid();
	struct thread_state *t;
	__u32 seen = 0;
	__u64 now = 0;

	t = bpf_map_lookup_elem(&threads, &tid);
	if (!t)
		return;
	if (time_cmds)
		now = bpf_ktime_get_ns();
	for (__u32 i = 0; i < FNFAN_MAX_DEPTH; i++) {
		struct fnfan_fn_stats *st;
		struct open_call *o;
		__u32 fn;

		if (i >= t->depth)
			break;
		o = &t->open[i & (FNFAN_MAX_DEPTH - 1)];
		o->cmds++;
		if (!o->first_cmd)
			o->first_cmd = now;
		fn = o->fn;
		if (fn >= FNFAN_MAX_FNS || (seen & (1u << fn)))
			continue;
		seen |= 1u << fn;
		st = stats(fn);
		if (st && op < IOMMU_CMD_NR_OPCODES)
			st->cmds[op]++;
	}
}

/* The command's exit: the end of a wait for space, and of the hold. */
static __always_inline void on_cmd_exit(void)
{
	__u64 tid = bpf_get_current_pid_tgid(), now = bpf_ktime_get_ns();
	struct thread_state *t;

	if (count_cmds && time_waits)
		cmdq_on_exit(now);
	t = bpf_map_lookup_elem(&threads, &tid);
	if (!t)
		return;
	for (__u32 i = 0; i < FNFAN_MAX_DEPTH; i++) {
		if (i >= t->depth)
			break;
		t->open[i & (FNFAN_MAX_DEPTH - 1)].last_cmd = now;
	}
}

/* Typed arguments: the words are loaded directly, no helper per field. */
SEC("fentry/__iommu_queue_command_sync")
int BPF_PROG(fnfan_cmd_fentry, struct amd_iommu *iommu, struct iommu_cmd *cmd)
{
	__u32 d1 = cmd->data[1];

	if (count_cmds)
		cmdq_entry_words(cmd->data[0], d1, cmd->data[2], cmd->data[3],
				 cmdq_full_btf(iommu));
	on_cmd(IOMMU_CMD_OPCODE(d1));
	return 0;
}

SEC("fexit/__iommu_queue_command_sync")
int BPF_PROG(fnfan_cmd_fexit)
{
	on_cmd_exit();
	return 0;
}

SEC("kprobe/__iommu_queue_command_sync")
int BPF_KPROBE(fnfan_cmd_kprobe, struct amd_iommu *iommu, struct iommu_cmd *cmd)
{
	if (count_cmds)
		cmdq_on_entry(iommu, cmd);
	on_cmd(IOMMU_CMD_OPCODE(BPF_CORE_READ(cmd, data[1])));
	return 0;
}

SEC("kretprobe/__iommu_queue_command_sync")
int BPF_KRETPROBE(fnfan_cmd_kretprobe)
{
	on_cmd_exit();
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
FNFAN_SLOT(4)
FNFAN_SLOT(5)

char LICENSE[] SEC("license") = "GPL";
