/* SPDX-License-Identifier: GPL-2.0 */
/* User-space side of the cmdq probe: attach, then read counts per window. */
#ifndef INVLAB_CMDQ_PROBE_H
#define INVLAB_CMDQ_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "cmdq.h"
#include "iommu_cmd_names.h"
#include "kmsg.h"

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
	struct cmdq_wait_stats waits; /* waits for buffer space */
	bool waits_timed; /* waits.timed/ns/hist were taken */
	/* the driver's timeout messages, when the kernel log was read */
	struct kmsg_counts timeouts;
	bool timeouts_counted;
};

struct fanout_probe;

struct cmdq_probe {
	struct cmdq_bpf *skel; /* NULL when counting in the fanout probe */
	struct bpf_link *link, *exit_link;
	/* the maps that hold the counts: this probe's or the fanout probe's */
	int fd_opcodes, fd_ids, fd_cw_seq, fd_waits;
	const uint64_t *id_overflow;
	bool waits_timed;
	unsigned int id_opcodes; /* opcodes counted by id (cmdq_id_opcodes) */
	char mechanism[64]; /* "fentry", "kprobe" or "tp_btf" */
	char symbol[256];
	char fentry_error[400]; /* why fentry was not used, if it was not */
	char waits_how[200]; /* how waits for space are counted and timed */
	struct kmsg_watch *kmsg; /* timeouts, after cmdq_probe_watch_log() */
	char timeouts_how[320];
};

/* kallsyms is normally "/proc/kallsyms". mechanism is "auto" (fentry, then
 * kprobe), "fentry" or "kprobe". time_waits adds the exit program that
 * times waits for buffer space (one more hook per command). On failure err
 * names the kernel and the symbol, and nothing stays attached.
 */
int cmdq_probe_attach(struct cmdq_probe *p, const char *kallsyms,
		      const char *mechanism, bool time_waits,
		      unsigned int id_opcodes, char *err, size_t err_len);
/*
 * The opcodes whose commands are counted by domid or devid too: the device
 * commands (rare), and INVALIDATE_IOMMU_PAGES by domain with domain_ids
 * ([probes] domain_ids: a hash map update per command of a fan-out).
 */
unsigned int cmdq_id_opcodes(bool domain_ids);
/*
 * Count from the fanout probe's command program (fentry or the
 * amd_iommu_cmd_queued tracepoint) instead of a hook of our own (fan
 * attached with count_cmds): one program per command.
 */
void cmdq_probe_share(struct cmdq_probe *p, const struct fanout_probe *fan);
struct fnfan_probe;
/*
 * The same with the fnfan probe's command hook (fn attached with
 * opts.count_cmds, and the real function's arguments: fn->cmd_exact).
 */
void cmdq_probe_share_fnfan(struct cmdq_probe *p, const struct fnfan_probe *fn);
/*
 * Count the driver's command-buffer and completion-wait timeouts from its
 * own messages in log (normally /dev/kmsg) from now on. If the log cannot
 * be read, timeouts_how says so and reads leave the timeouts uncounted.
 */
void cmdq_probe_watch_log(struct cmdq_probe *p, const char *log);
int cmdq_probe_read(const struct cmdq_probe *p, struct cmdq_counts *c);
void cmdq_probe_detach(struct cmdq_probe *p);

/* after - before, into out (ids sorted by opcode then id, zeros dropped). */
int cmdq_counts_delta(const struct cmdq_counts *before,
		      const struct cmdq_counts *after, struct cmdq_counts *out);
uint64_t cmdq_counts_total(const struct cmdq_counts *c);
void cmdq_counts_free(struct cmdq_counts *c);
/*
 * sample.commands: {"total", "by_opcode": {OPCODE: n}, "by_id": [{"opcode",
 * "id", "count"}], "id_overflow", "queue_waits", "timeouts",
 * "completion_wait_seq"}.
 */
json_object *cmdq_counts_json(const struct cmdq_counts *c);
/* c's count of the opcode named (0 for a name that is no opcode). */
uint64_t cmdq_counts_opcode(const struct cmdq_counts *c, const char *name);

#endif
