// SPDX-License-Identifier: GPL-2.0
/* Attach the cmdq probe (fentry, else kprobe) and read its maps. */
#include "cmdq_probe.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "cmdq.skel.h"
#include "fanout.skel.h"
#include "bpf_log.h"
#include "fanout_probe.h"
#include "fnfan.skel.h"
#include "fnfan_probe.h"
#include "ksyms.h"
#include "lib/util.h"
#include "tracefs.h"

static const char *kernel_release(void)
{
	static struct utsname u;

	if (uname(&u))
		return "(unknown kernel)";
	return u.release;
}

static int try_fentry(struct cmdq_probe *p)
{
	int err;

	p->skel = cmdq_bpf__open();
	if (!p->skel)
		return -errno;
	p->skel->rodata->time_waits = p->waits_timed;
	p->skel->rodata->id_opcodes = p->id_opcodes;
	bpf_program__set_autoload(p->skel->progs.cmdq_kprobe, false);
	bpf_program__set_autoload(p->skel->progs.cmdq_kretprobe, false);
	bpf_program__set_autoload(p->skel->progs.cmdq_fexit, p->waits_timed);
	err = bpf_program__set_attach_target(p->skel->progs.cmdq_fentry, 0,
					     p->symbol);
	if (!err && p->waits_timed)
		err = bpf_program__set_attach_target(p->skel->progs.cmdq_fexit,
						     0, p->symbol);
	if (!err)
		err = cmdq_bpf__load(p->skel);
	if (!err) {
		p->link = bpf_program__attach_trace(p->skel->progs.cmdq_fentry);
		err = p->link ? 0 : -errno;
	}
	if (!err && p->waits_timed) {
		p->exit_link =
			bpf_program__attach_trace(p->skel->progs.cmdq_fexit);
		err = p->exit_link ? 0 : -errno;
	}
	if (err) {
		snprintf(p->fentry_error, sizeof(p->fentry_error), "%s (%s)",
			 strerror(-err), bpf_log_last());
		cmdq_probe_detach(p);
	}
	return err;
}

static int try_kprobe(struct cmdq_probe *p)
{
	int err;

	p->skel = cmdq_bpf__open();
	if (!p->skel)
		return -errno;
	p->skel->rodata->time_waits = p->waits_timed;
	p->skel->rodata->id_opcodes = p->id_opcodes;
	bpf_program__set_autoload(p->skel->progs.cmdq_fentry, false);
	bpf_program__set_autoload(p->skel->progs.cmdq_fexit, false);
	bpf_program__set_autoload(p->skel->progs.cmdq_kretprobe,
				  p->waits_timed);
	err = cmdq_bpf__load(p->skel);
	if (!err) {
		p->link = bpf_program__attach_kprobe(p->skel->progs.cmdq_kprobe,
						     false, p->symbol);
		err = p->link ? 0 : -errno;
	}
	if (!err && p->waits_timed) {
		p->exit_link = bpf_program__attach_kprobe(
			p->skel->progs.cmdq_kretprobe, true, p->symbol);
		err = p->exit_link ? 0 : -errno;
	}
	if (err)
		cmdq_probe_detach(p);
	return err;
}

/* The maps of cmdq_count.bpf.h, in whichever object does the counting. */
static void use_maps(struct cmdq_probe *p, const struct bpf_map *opcodes,
		     const struct bpf_map *ids, const struct bpf_map *cw_seq,
		     const struct bpf_map *waits, const void *id_overflow)
{
	p->fd_opcodes = bpf_map__fd(opcodes);
	p->fd_ids = bpf_map__fd(ids);
	p->fd_cw_seq = bpf_map__fd(cw_seq);
	p->fd_waits = bpf_map__fd(waits);
	p->id_overflow = id_overflow;
}

#define USE_MAPS(p, skel)                                               \
	use_maps(p, (skel)->maps.opcode_counts, (skel)->maps.id_counts, \
		 (skel)->maps.cw_seq, (skel)->maps.queue_waits,         \
		 &(skel)->bss->id_overflow)

/* How an entry hook (p->mechanism) counts the waits, and times them. */
static void entry_waits_how(struct cmdq_probe *p, const char *where)
{
	snprintf(p->waits_how, sizeof(p->waits_how),
		 "counted at %s from the head and tail the driver cached; %s%s",
		 p->mechanism,
		 !p->waits_timed ? "not timed ([probes] queue_wait_time = no)" :
		 !strcmp(p->mechanism, "fentry") ? "timed to the fexit" :
						   "timed to the kretprobe",
		 where);
}

/* This probe's own hook counts. */
static void own_maps(struct cmdq_probe *p)
{
	USE_MAPS(p, p->skel);
	entry_waits_how(p, "");
}

unsigned int cmdq_id_opcodes(bool domain_ids)
{
	unsigned int m = 1u << IOMMU_CMD_INV_DEV_ENTRY |
			 1u << IOMMU_CMD_INV_IOTLB_PAGES |
			 1u << IOMMU_CMD_INV_IRT | 1u << IOMMU_CMD_COMPLETE_PPR;

	return domain_ids ? m | 1u << IOMMU_CMD_INV_IOMMU_PAGES : m;
}

void cmdq_probe_share(struct cmdq_probe *p, const struct fanout_probe *fan)
{
	bool fentry = !strcmp(fan->cmd_hook, "fentry");

	memset(p, 0, sizeof(*p));
	snprintf(p->mechanism, sizeof(p->mechanism), "%s", fan->cmd_hook);
	snprintf(p->symbol, sizeof(p->symbol), "%s",
		 fentry ? CMDQ_SYMBOL : "amd_iommu_cmd_queued");
	USE_MAPS(p, fan->skel);
	p->waits_timed = fan->waits_timed;
	snprintf(
		p->waits_how, sizeof(p->waits_how), "%s",
		fentry ?
			"counted at fentry from the head and tail the driver cached, in the fanout probe's program; not timed ([probes] queue_wait_time = no)" :
			"counted and timed by the amd_iommu_cmd_queued tracepoint (the driver's own clock), in the fanout probe's program");
}

void cmdq_probe_share_fnfan(struct cmdq_probe *p, const struct fnfan_probe *fn)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->mechanism, sizeof(p->mechanism), "%s", fn->cmd_mechanism);
	snprintf(p->symbol, sizeof(p->symbol), "%s", fn->cmd_symbol);
	USE_MAPS(p, fn->skel);
	p->waits_timed = fn->opts.time_cmds;
	entry_waits_how(p, "; in the fnfan fallback's command program");
}

int cmdq_probe_attach(struct cmdq_probe *p, const char *kallsyms,
		      const char *mechanism, bool time_waits,
		      unsigned int id_opcodes, char *err, size_t err_len)
{
	bool exact;
	int ret;

	memset(p, 0, sizeof(*p));
	p->waits_timed = time_waits;
	p->id_opcodes = id_opcodes;
	bpf_log_begin();
	ret = ksyms_resolve(kallsyms, CMDQ_SYMBOL, p->symbol, sizeof(p->symbol),
			    &exact);
	if (ret == -ENOENT) {
		snprintf(
			err, err_len,
			"kernel %s has no %s in %s (inlined or renamed, or no AMD IOMMU driver): the cmdq probe cannot attach; use a kernel that keeps it, such as the lab's own (kernel/)",
			kernel_release(), CMDQ_SYMBOL, kallsyms);
		return ret;
	}
	if (ret < 0) {
		snprintf(err, err_len,
			 "cannot read %s: %s (the probe needs root)", kallsyms,
			 strerror(-ret));
		return ret;
	}
	if (!exact) {
		/* A .isra/.constprop clone may take different arguments. */
		snprintf(
			err, err_len,
			"kernel %s has %s only as %s, whose arguments the compiler may have changed: the cmdq probe will not read them",
			kernel_release(), CMDQ_SYMBOL, p->symbol);
		return -ENOTSUP;
	}

	{
		struct ksym_query q = { .name = CMDQ_SYMBOL };
		char how[320];

		snprintf(q.found, sizeof(q.found), "%s", p->symbol);
		tracefs_check_traceable(&q, 1, how, sizeof(how));
		if (!q.traceable) {
			snprintf(
				err, err_len,
				"kernel %s has %s in %s but not in available_filter_functions (notrace or blacklisted): the cmdq probe cannot hook it",
				kernel_release(), p->symbol, kallsyms);
			return -ENOTSUP;
		}
	}
	if (strcmp(mechanism, "kprobe") && try_fentry(p) == 0) {
		snprintf(p->mechanism, sizeof(p->mechanism), "fentry");
		own_maps(p);
		return 0;
	}
	if (!strcmp(mechanism, "fentry")) {
		snprintf(
			err, err_len,
			"fentry on %s failed on kernel %s: %s (the suite asks for fentry only)",
			p->symbol, kernel_release(), p->fentry_error);
		return -ENOTSUP;
	}
	if (!strcmp(mechanism, "kprobe"))
		snprintf(p->fentry_error, sizeof(p->fentry_error),
			 "not tried: the suite asks for kprobe");
	ret = try_kprobe(p);
	if (ret == 0) {
		snprintf(p->mechanism, sizeof(p->mechanism), "kprobe");
		own_maps(p);
		return 0;
	}
	snprintf(
		err, err_len,
		"cannot attach to %s on kernel %s: fentry failed: %s; kprobe failed: %s (%s). Is this root, with BPF and kprobes enabled?",
		p->symbol, kernel_release(), p->fentry_error, strerror(-ret),
		bpf_log_last());
	return ret;
}

/* Highest last and lowest first completion-wait numbers over the CPUs. */
static int read_cw_seq(const struct cmdq_probe *p, struct cmdq_counts *c)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *percpu = calloc(ncpu > 0 ? ncpu : 1, sizeof(*percpu));
	int fd = p->fd_cw_seq;
	unsigned int k = CW_SEQ_LAST;

	c->cw_seq_to = c->cw_seq_first = 0;
	if (!percpu)
		return -ENOMEM;
	if (bpf_map_lookup_elem(fd, &k, percpu) == 0) {
		for (int cpu = 0; cpu < ncpu; cpu++)
			if (percpu[cpu] > c->cw_seq_to)
				c->cw_seq_to = percpu[cpu];
	}
	k = CW_SEQ_FIRST;
	if (bpf_map_lookup_elem(fd, &k, percpu) == 0) {
		for (int cpu = 0; cpu < ncpu; cpu++)
			if (percpu[cpu] &&
			    (!c->cw_seq_first || percpu[cpu] < c->cw_seq_first))
				c->cw_seq_first = percpu[cpu];
	}
	free(percpu);
	return 0;
}

/* Waits for buffer space, summed over the CPUs. */
static int read_waits(const struct cmdq_probe *p, struct cmdq_counts *c)
{
	int ncpu = libbpf_num_possible_cpus();
	struct cmdq_wait_stats *percpu;
	unsigned int zero = 0;

	memset(&c->waits, 0, sizeof(c->waits));
	c->waits_timed = p->waits_timed;
	percpu = calloc(ncpu > 0 ? ncpu : 1, sizeof(*percpu));
	if (!percpu)
		return -ENOMEM;
	if (bpf_map_lookup_elem(p->fd_waits, &zero, percpu) == 0) {
		for (int cpu = 0; cpu < ncpu; cpu++) {
			c->waits.count += percpu[cpu].count;
			c->waits.timed += percpu[cpu].timed;
			c->waits.ns += percpu[cpu].ns;
			for (int k = 0; k < LOG2_SLOTS; k++)
				c->waits.hist[k] += percpu[cpu].hist[k];
		}
	}
	free(percpu);
	return 0;
}

int cmdq_probe_read(const struct cmdq_probe *p, struct cmdq_counts *c)
{
	int ncpu = libbpf_num_possible_cpus();
	int fd_op = p->fd_opcodes;
	int fd_id = p->fd_ids;
	struct cmdq_id_key key, next, *prev = NULL;
	uint64_t *percpu;
	unsigned int op;
	size_t cap = 64;

	memset(c, 0, sizeof(*c));
	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	percpu = calloc(ncpu, sizeof(*percpu));
	c->ids = calloc(cap, sizeof(*c->ids));
	if (!percpu || !c->ids) {
		free(percpu);
		cmdq_counts_free(c);
		return -ENOMEM;
	}
	for (op = 0; op < IOMMU_CMD_NR_OPCODES; op++) {
		if (bpf_map_lookup_elem(fd_op, &op, percpu))
			continue;
		for (int cpu = 0; cpu < ncpu; cpu++)
			c->by_opcode[op] += percpu[cpu];
	}
	free(percpu);

	while (bpf_map_get_next_key(fd_id, prev, &next) == 0) {
		uint64_t n;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd_id, &key, &n))
			continue;
		c->ids = xgrow(c->ids, &cap, c->nr_ids + 1, sizeof(*c->ids));
		c->ids[c->nr_ids++] = (struct cmdq_id_count){
			.opcode = key.opcode, .id = key.id, .count = n
		};
	}
	c->id_overflow = *p->id_overflow;
	if (p->kmsg) {
		kmsg_watch_poll(p->kmsg);
		c->timeouts = p->kmsg->total;
		c->timeouts_counted = !p->kmsg->broken;
	}
	if (read_waits(p, c))
		return -ENOMEM;
	return read_cw_seq(p, c);
}

void cmdq_probe_watch_log(struct cmdq_probe *p, const char *log)
{
	char err[256];

	p->kmsg = calloc(1, sizeof(*p->kmsg));
	if (p->kmsg && kmsg_watch_open(p->kmsg, log, err, sizeof(err)) == 0) {
		snprintf(p->timeouts_how, sizeof(p->timeouts_how),
			 "counted from the driver's own messages in %s", log);
		return;
	}
	snprintf(p->timeouts_how, sizeof(p->timeouts_how), "not counted: %s",
		 p->kmsg ? err : strerror(ENOMEM));
	free(p->kmsg);
	p->kmsg = NULL;
}

void cmdq_probe_detach(struct cmdq_probe *p)
{
	if (p->kmsg)
		kmsg_watch_close(p->kmsg);
	free(p->kmsg);
	p->kmsg = NULL;
	/* shared: the fanout probe owns the maps and the program */
	bpf_link__destroy(p->exit_link);
	bpf_link__destroy(p->link);
	cmdq_bpf__destroy(p->skel);
	p->exit_link = NULL;
	p->link = NULL;
	p->skel = NULL;
	p->id_overflow = NULL;
}
