// SPDX-License-Identifier: GPL-2.0
#include "fanout_probe.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_log.h"
#include "cmdq_probe.h"
#include "fanout.skel.h"

static const char *const tracepoints[] = {
	"amd_iommu_flush_begin",	 "amd_iommu_flush_end",
	"amd_iommu_cmd_queued",		 "amd_iommu_completion_wait_begin",
	"amd_iommu_completion_wait_end", NULL,
};

/* The tracepoint this kernel lacks, or NULL if it has them all. */
static const char *missing_tracepoint(char *why, size_t len)
{
	struct btf *btf = btf__load_vmlinux_btf();
	const char *missing = NULL;

	if (!btf) {
		snprintf(
			why, len,
			"no kernel BTF (/sys/kernel/btf/vmlinux): cannot attach tp_btf programs");
		return "BTF";
	}
	for (int i = 0; tracepoints[i] && !missing; i++) {
		char name[96];

		snprintf(name, sizeof(name), "btf_trace_%s", tracepoints[i]);
		if (btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF) < 0)
			missing = tracepoints[i];
	}
	btf__free(btf);
	if (missing)
		snprintf(
			why, len,
			"not present in this kernel: no %s tracepoint (the lab kernel's kernel/patches/0001 adds them)",
			missing);
	return missing;
}

/* The kernel's BTF has the command function, so fentry can hook it. */
static bool cmd_fentry_possible(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	bool found = btf && btf__find_by_name_kind(btf, CMDQ_SYMBOL,
						   BTF_KIND_FUNC) >= 0;

	btf__free(btf);
	return found;
}

/* Open, load and attach with the command program on fentry or tp_btf. */
static int load_attach(struct fanout_probe *p, const struct fanout_opts *o,
		       bool fentry)
{
	p->skel = fanout_bpf__open();
	if (!p->skel)
		return -errno;
	p->skel->rodata->trace_events = o->trace;
	p->skel->rodata->count_cmds = o->count_cmds;
	p->skel->rodata->id_opcodes = o->id_opcodes;
	bpf_program__set_autoload(p->skel->progs.fanout_cmd_fentry, fentry);
	bpf_program__set_autoload(p->skel->progs.fanout_cmd_queued, !fentry);
	if (fanout_bpf__load(p->skel) || fanout_bpf__attach(p->skel)) {
		int e = -errno;

		fanout_bpf__destroy(p->skel);
		p->skel = NULL;
		return e ? e : -EINVAL;
	}
	snprintf(p->cmd_hook, sizeof(p->cmd_hook), "%s",
		 fentry ? "fentry" : "tp_btf");
	p->waits_timed = !fentry;
	return 0;
}

int fanout_probe_attach(struct fanout_probe *p, const struct fanout_opts *o,
			char *err, size_t err_len)
{
	int ret = -EINVAL;

	memset(p, 0, sizeof(*p));
	if (missing_tracepoint(p->why, sizeof(p->why)))
		return 0;
	bpf_log_begin();
	/* one program per command: the cheapest hook, unless the waits for
	 * space are to be timed (the tracepoint has the driver's own times)
	 */
	if (!o->time_waits && cmd_fentry_possible())
		ret = load_attach(p, o, true);
	if (ret)
		ret = load_attach(p, o, false);
	if (ret) {
		fprintf(stderr, "%s", bpf_log_text());
		snprintf(
			err, err_len,
			"the kernel has the amd_iommu tracepoints but the fanout probe does not load or attach: %s (libbpf's log above)",
			strerror(-ret));
		return -1;
	}
	p->present = true;
	return 0;
}

int fanout_probe_read(const struct fanout_probe *p, struct fanout_totals *t)
{
	int ncpu = libbpf_num_possible_cpus();
	struct fanout_kind_stats *ks;
	struct fanout_queue_stats *qs;
	unsigned int zero = 0;
	int ret = 0;

	memset(t, 0, sizeof(*t));
	if (!p->present)
		return 0;
	if (ncpu <= 0)
		return -EINVAL;
	ks = calloc(ncpu, sizeof(*ks));
	qs = calloc(ncpu, sizeof(*qs));
	if (!ks || !qs) {
		ret = -ENOMEM;
		goto out;
	}
	for (unsigned int k = 0; k < FANOUT_NR_KINDS; k++) {
		if (bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.kinds), &k,
					ks)) {
			ret = -errno;
			goto out;
		}
		for (int c = 0; c < ncpu; c++) {
			struct fanout_kind_stats one[FANOUT_NR_KINDS] = { 0 };

			one[k] = ks[c];
			fanout_totals_add(t, one, NULL);
		}
	}
	if (bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.queue), &zero, qs)) {
		ret = -errno;
		goto out;
	}
	for (int c = 0; c < ncpu; c++)
		fanout_totals_add(t, NULL, &qs[c]);
out:
	free(ks);
	free(qs);
	return ret;
}

void fanout_probe_detach(struct fanout_probe *p)
{
	unsigned long long w, d;

	if (rb_trace_running(&p->trace))
		fanout_probe_trace_stop(p, &w, &d);
	if (p->skel)
		fanout_bpf__destroy(p->skel);
	p->skel = NULL;
	p->present = false;
}

static int write_event(void *ctx, FILE *f, const void *data, size_t size)
{
	const struct fanout_event *e = data;

	(void)ctx;
	if (size < sizeof(*e))
		return -1;
	fprintf(f,
		"{\"ts_ns\":%llu,\"cpu\":%u,\"kind\":\"%s\",\"id\":%u,\"commands\":%u,\"walked\":%u,\"groups\":%u,\"latency_ns\":%llu,\"hold_ns\":%llu,\"ret\":%d}\n",
		e->ts_ns, e->cpu, fanout_kind_name(e->kind), e->id, e->commands,
		e->walked, e->groups, e->latency_ns, e->hold_ns, e->ret);
	return 0;
}

int fanout_probe_trace_start(struct fanout_probe *p, const char *path,
			     char *err, size_t err_len)
{
	if (!p->present || !p->skel->rodata->trace_events) {
		snprintf(err, err_len,
			 "the fanout probe is not tracing events");
		return -1;
	}
	return rb_trace_start(&p->trace, bpf_map__fd(p->skel->maps.events),
			      (const volatile unsigned long long *)&p->skel->bss
				      ->events_dropped,
			      path, write_event, p, err, err_len);
}

int fanout_probe_trace_stop(struct fanout_probe *p, unsigned long long *written,
			    unsigned long long *dropped)
{
	return rb_trace_stop(&p->trace, written, dropped);
}
