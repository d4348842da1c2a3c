/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cmdq probe's counting (bpf/cmdq.h), shared by the programs that may
 * see each command: cmdq.bpf.c's own hook on __iommu_queue_command_sync(),
 * fanout.bpf.c's amd_iommu_cmd_queued handler (the lab kernel) and
 * fnfan.bpf.c's command hook (the stock-kernel fallback), so a kernel pays
 * for one program per command, not two. Each object that includes this has its own copy of
 * the maps; user space reads whichever object counted.
 */
#ifndef INVLAB_CMDQ_COUNT_BPF_H
#define INVLAB_CMDQ_COUNT_BPF_H

#include <stdbool.h>

#include <bpf/bpf_core_read.h>

#include "cmdq.h"
#include "log2.h"

/*
 * Set before load in an object other than cmdq.bpf.c: its command program
 * counts for the cmdq probe too (cmdq_probe_share*()).
 */
const volatile __u8 count_cmds = 0;

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

/* Set before load: the exit programs that time the waits are attached. */
const volatile __u8 time_waits = 0;

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

/*
 * Opcodes whose commands are counted by domid or devid too (a bit per
 * opcode), set before load: the device commands (rare: a DTE, an IRTE, an
 * ATS invalidation), and INVALIDATE_IOMMU_PAGES by domain only when the
 * suite asks ([probes] domain_ids): a hash map update per command is the
 * most a command costs here, and a fan-out is made of those.
 */
const volatile __u32 id_opcodes = 0;

/* One command, from its four words. */
static __always_inline void cmdq_count(__u32 d0, __u32 d1, __u32 d2, __u32 d3)
{
	__u32 opcode = IOMMU_CMD_OPCODE(d1);
	struct cmdq_id_key key;
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

	if (opcode >= 32 || !(id_opcodes & (1u << opcode)))
		return;
	key.opcode = opcode;
	key.id = cmdq_cmd_id(opcode, d0, d1);
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

/* The kernel's struct iommu_cmd; CO-RE relocates the access if it moves. */
struct iommu_cmd {
	__u32 data[4];
} __attribute__((preserve_access_index));

/*
 * The fields of struct amd_iommu the queue-space check reads. cmd_buf_size
 * exists only on the lab kernel (kernel/patches/0006, the cmdbuf_entries
 * knob); elsewhere the buffer is upstream's fixed CMDQ_BUFFER_SIZE.
 */
struct amd_iommu {
	__u32 cmd_buf_head;
	__u32 cmd_buf_tail;
	__u32 cmd_buf_size;
} __attribute__((preserve_access_index));

/* The driver's own test for a full buffer, on its cached head and tail. */
static __always_inline bool cmdq_full(__u32 head, __u32 tail, __u32 size)
{
	__u32 next_tail;

	if (!size)
		size = CMDQ_BUFFER_SIZE;
	next_tail = (tail + 16) % size;
	return (head - next_tail) % size <= CMDQ_MIN_LEFT;
}

/* From a typed (BTF) argument: fields loaded directly. */
static __always_inline bool cmdq_full_btf(const struct amd_iommu *iommu)
{
	__u32 size = CMDQ_BUFFER_SIZE;

	if (bpf_core_field_exists(iommu->cmd_buf_size))
		size = iommu->cmd_buf_size;
	return cmdq_full(iommu->cmd_buf_head, iommu->cmd_buf_tail, size);
}

/* From a kprobe's plain address: fields read with helpers. */
static __always_inline bool cmdq_full_read(const struct amd_iommu *iommu)
{
	__u32 size = CMDQ_BUFFER_SIZE;

	if (bpf_core_field_exists(iommu->cmd_buf_size))
		size = BPF_CORE_READ(iommu, cmd_buf_size);
	return cmdq_full(BPF_CORE_READ(iommu, cmd_buf_head),
			 BPF_CORE_READ(iommu, cmd_buf_tail), size);
}

/*
 * Entry of __iommu_queue_command_sync(), from the command's words and
 * whether the buffer is full by the head and tail the driver cached (its
 * own test, cmdq_full, on the state it will see under its lock): count
 * the command, and tell whether it will wait for space. True when it will.
 */
static __always_inline bool cmdq_entry_words(__u32 d0, __u32 d1, __u32 d2,
					     __u32 d3, bool waits)
{
	__u32 zero = 0;
	struct cmdq_wait_stats *w;
	__u64 *start;

	cmdq_count(d0, d1, d2, d3);
	if (waits) {
		w = cmdq_waits();
		if (w)
			w->count++;
	}
	if (!time_waits)
		return waits;
	/* cleared when not waiting too: a missed kretprobe leaves no stale
	 * start for the next command's exit to time
	 */
	start = bpf_map_lookup_elem(&wait_start, &zero);
	if (start)
		*start = waits ? bpf_ktime_get_ns() : 0;
	return waits;
}

/* From a kprobe: the arguments are plain addresses, read with helpers. */
static __always_inline bool cmdq_on_entry(const struct amd_iommu *iommu,
					  const struct iommu_cmd *cmd)
{
	return cmdq_entry_words(BPF_CORE_READ(cmd, data[0]),
				BPF_CORE_READ(cmd, data[1]),
				BPF_CORE_READ(cmd, data[2]),
				BPF_CORE_READ(cmd, data[3]),
				cmdq_full_read(iommu));
}

/*
 * From an fentry: the arguments are typed (BTF), so the verifier lets the
 * program load the fields directly, without a helper call per field.
 */
static __always_inline bool cmdq_on_entry_btf(const struct amd_iommu *iommu,
					      const struct iommu_cmd *cmd)
{
	return cmdq_entry_words(cmd->data[0], cmd->data[1], cmd->data[2],
				cmd->data[3], cmdq_full_btf(iommu));
}

/* Exit: the wait, if there was one, ended with the command's write. */
static __always_inline void cmdq_on_exit(__u64 now)
{
	__u32 zero = 0;
	__u64 *start = bpf_map_lookup_elem(&wait_start, &zero);
	struct cmdq_wait_stats *w;

	if (!start || !*start)
		return;
	w = cmdq_waits();
	if (w)
		cmdq_wait_timed(w, now - *start);
	*start = 0;
}

#endif
