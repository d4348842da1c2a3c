/* SPDX-License-Identifier: GPL-2.0 */
/* User-space side of the cmdq probe: attach, then read counts per window. */
#ifndef INVLAB_CMDQ_PROBE_H
#define INVLAB_CMDQ_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "cmdq.h"

#define CMDQ_SYMBOL "__iommu_queue_command_sync"

struct cmdq_id_count {
	unsigned int opcode;
	unsigned int id;
	uint64_t count;
};

struct cmdq_counts {
	uint64_t by_opcode[IOMMU_CMD_NR_OPCODES];
	struct cmdq_id_count *ids;
	size_t nr_ids;
	uint64_t id_overflow;
	/*
	 * COMPLETION_WAIT sequence numbers: after a read, cw_seq_to is the
	 * highest queued so far (0: none); after a delta, the window holds the
	 * completion waits after cw_seq_from through cw_seq_to.
	 */
	uint64_t cw_seq_from, cw_seq_to;
	uint64_t cw_seq_first; /* after a read: the lowest since attach */
};

struct cmdq_probe {
	struct cmdq_bpf *skel;
	struct bpf_link *link;
	char mechanism[16]; /* "fentry" or "kprobe" */
	char symbol[256];
	char fentry_error[400]; /* why fentry was not used, if it was not */
};

/* kallsyms is normally "/proc/kallsyms". mechanism is "auto" (fentry, then
 * kprobe), "fentry" or "kprobe". On failure err names the kernel and the
 * symbol, and nothing stays attached.
 */
int cmdq_probe_attach(struct cmdq_probe *p, const char *kallsyms,
		      const char *mechanism, char *err, size_t err_len);
int cmdq_probe_read(const struct cmdq_probe *p, struct cmdq_counts *c);
void cmdq_probe_detach(struct cmdq_probe *p);

/* after - before, into out (ids sorted by opcode then id, zeros dropped). */
int cmdq_counts_delta(const struct cmdq_counts *before,
		      const struct cmdq_counts *after, struct cmdq_counts *out);
uint64_t cmdq_counts_total(const struct cmdq_counts *c);
void cmdq_counts_free(struct cmdq_counts *c);

#endif
