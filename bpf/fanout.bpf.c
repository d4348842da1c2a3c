// SPDX-License-Identifier: GPL-2.0
/*
 * Fan-out per invalidation, from the lab kernel's amd_iommu tracepoints
 * (tp_btf: typed arguments, no text formatting). Each CPU keeps a small
 * stack of the invalidations open on it; every command queued counts for
 * each of them, so a paging-domain flush includes the hDomID flush it
 * contains. Flushes run with a spinlock held, so begin, commands and end
 * stay on one CPU.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <stdbool.h>

#include "fanout.h"
#include "cmdq_count.bpf.h"

struct open_flush {
	__u32 kind;
	__u64 start;
	__u64 first_cmd, last_cmd;
	__u64 commands;
};

struct cpu_state {
	__u32 depth;
	struct open_flush open[FANOUT_MAX_DEPTH];
	__u64 wait_seq, wait_start;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cpu_state);
} state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FANOUT_NR_KINDS);
	__type(key, __u32);
	__type(value, struct fanout_kind_stats);
} kinds SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fanout_queue_stats);
} queue SEC(".maps");

/* Set before load: send every event over the ring buffer too. */
const volatile __u8 trace_events = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, FANOUT_RINGBUF_BYTES);
} events SEC(".maps");

/* Events the ring buffer had no room for: always reported. */
__u64 events_dropped = 0;

static __always_inline struct cpu_state *cpu(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&state, &zero);
}

static __always_inline struct fanout_queue_stats *qstats(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&queue, &zero);
}

SEC("tp_btf/amd_iommu_flush_begin")
int BPF_PROG(fanout_flush_begin, int kind, __u32 id, __u64 address, __u64 last)
{
	struct cpu_state *c = cpu();
	struct fanout_queue_stats *q = qstats();
	__u32 d;

	if (!c || !q)
		return 0;
	d = c->depth;
	if (d >= FANOUT_MAX_DEPTH) {
		q->too_deep++;
		return 0;
	}
	c->open[d].kind = kind;
	c->open[d].start = bpf_ktime_get_ns();
	c->open[d].first_cmd = 0;
	c->open[d].last_cmd = 0;
	c->open[d].commands = 0;
	c->depth = d + 1;
	return 0;
}

SEC("tp_btf/amd_iommu_flush_end")
int BPF_PROG(fanout_flush_end, int kind, __u32 id, __u32 walked, __u32 groups,
	     int ret)
{
	struct cpu_state *c = cpu();
	struct fanout_queue_stats *q = qstats();
	struct fanout_kind_stats *k;
	struct open_flush *o;
	__u32 d, key = kind;
	__u64 lat, hold;

	if (!c || !q)
		return 0;
	d = c->depth;
	if (d == 0 || d > FANOUT_MAX_DEPTH) {
		q->unmatched++;
		return 0;
	}
	o = &c->open[(d - 1) & (FANOUT_MAX_DEPTH - 1)];
	c->depth = d - 1;
	if (o->kind != (__u32)kind) {
		/* A begin we never saw (attached mid-flush): start over. */
		q->unmatched++;
		c->depth = 0;
		return 0;
	}
	k = bpf_map_lookup_elem(&kinds, &key);
	if (!k)
		return 0;
	lat = bpf_ktime_get_ns() - o->start;
	hold = o->commands ? o->last_cmd - o->first_cmd : 0;
	k->events++;
	k->commands += o->commands;
	k->walked += walked;
	k->groups += groups;
	k->latency_ns += lat;
	k->hold_ns += hold;
	k->commands_hist[log2_bslot(o->commands)]++;
	k->walked_hist[log2_bslot(walked)]++;
	k->latency_hist[log2_bslot(lat)]++;
	k->hold_hist[log2_bslot(hold)]++;
	if (trace_events) {
		struct fanout_event *e;

		e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
		if (!e) {
			__sync_fetch_and_add(&events_dropped, 1);
			return 0;
		}
		e->ts_ns = o->start + lat;
		e->latency_ns = lat;
		e->hold_ns = hold;
		e->kind = kind;
		e->id = id;
		e->commands = o->commands;
		e->walked = walked;
		e->groups = groups;
		e->cpu = bpf_get_smp_processor_id();
		e->ret = ret;
		e->pad = 0;
		bpf_ringbuf_submit(e, 0);
	}
	return 0;
}

/*
 * One command on this CPU: the queue's totals, and each invalidation open
 * here counts it, first and last command timed (the hold). wait_ns is the
 * time the command waited for space before now (0: it did not, or nobody
 * timed it).
 */
static __always_inline void fanout_on_cmd(struct cpu_state *c,
					  struct fanout_queue_stats *q,
					  __u32 opcode, __u64 now,
					  __u64 wait_ns)
{
	__u32 d = c->depth;

	q->commands++;
	if (d == 0) {
		q->unattributed[opcode & (FANOUT_NR_OPCODES - 1)]++;
		return;
	}
	for (__u32 i = 0; i < FANOUT_MAX_DEPTH; i++) {
		if (i >= d)
			break;
		c->open[i].commands++;
		/* from the moment the first command began waiting for space:
		 * the hold includes every queue-full spin of the event
		 */
		if (!c->open[i].first_cmd)
			c->open[i].first_cmd = now - wait_ns;
		c->open[i].last_cmd = now;
	}
}

/*
 * The command program where the kernel's BTF has the function: typed
 * arguments, read without a helper call, and the trampoline is the
 * cheapest hook there is. Queue-full waits are counted from the head and
 * tail the driver cached (its own test); their time is the tracepoint's.
 */
SEC("fentry/__iommu_queue_command_sync")
int BPF_PROG(fanout_cmd_fentry, struct amd_iommu *iommu, struct iommu_cmd *cmd)
{
	struct cpu_state *c = cpu();
	struct fanout_queue_stats *q = qstats();
	__u32 d1 = cmd->data[1];
	bool waits;

	if (!c || !q)
		return 0;
	waits = cmdq_full_btf(iommu);
	if (count_cmds)
		cmdq_entry_words(cmd->data[0], d1, cmd->data[2], cmd->data[3],
				 waits);
	if (waits)
		q->stalls++;
	fanout_on_cmd(c, q, IOMMU_CMD_OPCODE(d1),
		      c->depth ? bpf_ktime_get_ns() : 0, 0);
	return 0;
}

/*
 * The command program on the tracepoint: the driver's own count of polls
 * and time of each wait for space, for a suite that wants the waits timed
 * ([probes] queue_wait_time), or where fentry cannot attach.
 */
SEC("tp_btf/amd_iommu_cmd_queued")
int BPF_PROG(fanout_cmd_queued, int iommu, const __u32 *data, __u32 free,
	     __u32 waited, __u64 wait_ns)
{
	struct cpu_state *c = cpu();
	struct fanout_queue_stats *q = qstats();
	__u64 now = bpf_ktime_get_ns();
	__u32 w[4] = {};

	if (!c || !q)
		return 0;
	bpf_probe_read_kernel(w, sizeof(w), data);
	if (count_cmds) {
		struct cmdq_wait_stats *cw;

		cmdq_count(w[0], w[1], w[2], w[3]);
		cw = waited ? cmdq_waits() : NULL;
		if (cw) {
			cw->count++;
			cmdq_wait_timed(cw, wait_ns);
		}
	}
	if (waited) {
		q->stalls++;
		q->stall_polls += waited - 1;
		q->stall_ns += wait_ns;
		q->stall_hist[log2_bslot(wait_ns)]++;
	}
	fanout_on_cmd(c, q, IOMMU_CMD_OPCODE(w[1]), now, waited ? wait_ns : 0);
	return 0;
}

SEC("tp_btf/amd_iommu_completion_wait_begin")
int BPF_PROG(fanout_wait_begin, int iommu, __u64 seq)
{
	struct cpu_state *c = cpu();

	if (!c)
		return 0;
	c->wait_seq = seq;
	c->wait_start = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/amd_iommu_completion_wait_end")
int BPF_PROG(fanout_wait_end, int iommu, __u64 seq, __u32 spins, int ret)
{
	struct cpu_state *c = cpu();
	struct fanout_queue_stats *q = qstats();
	__u64 lat;

	if (!c || !q)
		return 0;
	if (!c->wait_start || c->wait_seq != seq) {
		/* Began on another CPU (the waiter may move) or before us. */
		q->unmatched++;
		return 0;
	}
	lat = bpf_ktime_get_ns() - c->wait_start;
	c->wait_start = 0;
	q->waits++;
	q->wait_ns += lat;
	q->wait_spins += spins;
	q->wait_hist[log2_bslot(lat)]++;
	if (ret)
		q->wait_timeouts++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
