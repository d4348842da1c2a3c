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
#include "ksyms.h"

/* libbpf's own messages: kept only for the last failure, shown on demand. */
static char libbpf_last[256];

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (level == LIBBPF_WARN) {
		vsnprintf(libbpf_last, sizeof(libbpf_last), fmt, ap);
		libbpf_last[strcspn(libbpf_last, "\n")] = '\0';
	}
	if (getenv("INVLAB_DEBUG_BPF"))
		return vfprintf(stderr, fmt, ap);
	return 0;
}

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
	bpf_program__set_autoload(p->skel->progs.cmdq_kprobe, false);
	err = bpf_program__set_attach_target(p->skel->progs.cmdq_fentry, 0,
					     p->symbol);
	if (!err)
		err = cmdq_bpf__load(p->skel);
	if (!err) {
		p->link = bpf_program__attach_trace(p->skel->progs.cmdq_fentry);
		err = p->link ? 0 : -errno;
	}
	if (err) {
		snprintf(p->fentry_error, sizeof(p->fentry_error), "%s (%s)",
			 strerror(-err), libbpf_last);
		cmdq_bpf__destroy(p->skel);
		p->skel = NULL;
		p->link = NULL;
	}
	return err;
}

static int try_kprobe(struct cmdq_probe *p)
{
	int err;

	p->skel = cmdq_bpf__open();
	if (!p->skel)
		return -errno;
	bpf_program__set_autoload(p->skel->progs.cmdq_fentry, false);
	err = cmdq_bpf__load(p->skel);
	if (!err) {
		p->link = bpf_program__attach_kprobe(p->skel->progs.cmdq_kprobe,
						     false, p->symbol);
		err = p->link ? 0 : -errno;
	}
	if (err) {
		cmdq_bpf__destroy(p->skel);
		p->skel = NULL;
		p->link = NULL;
	}
	return err;
}

int cmdq_probe_attach(struct cmdq_probe *p, const char *kallsyms,
		      const char *mechanism, char *err, size_t err_len)
{
	bool exact;
	int ret;

	memset(p, 0, sizeof(*p));
	libbpf_set_print(libbpf_quiet);
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

	if (strcmp(mechanism, "kprobe") && try_fentry(p) == 0) {
		snprintf(p->mechanism, sizeof(p->mechanism), "fentry");
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
		return 0;
	}
	snprintf(
		err, err_len,
		"cannot attach to %s on kernel %s: fentry failed: %s; kprobe failed: %s (%s). Is this root, with BPF and kprobes enabled?",
		p->symbol, kernel_release(), p->fentry_error, strerror(-ret),
		libbpf_last);
	return ret;
}

/* Highest last and lowest first completion-wait numbers over the CPUs. */
static int read_cw_seq(const struct cmdq_probe *p, struct cmdq_counts *c)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *percpu = calloc(ncpu > 0 ? ncpu : 1, sizeof(*percpu));
	int fd = bpf_map__fd(p->skel->maps.cw_seq);
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

int cmdq_probe_read(const struct cmdq_probe *p, struct cmdq_counts *c)
{
	int ncpu = libbpf_num_possible_cpus();
	int fd_op = bpf_map__fd(p->skel->maps.opcode_counts);
	int fd_id = bpf_map__fd(p->skel->maps.id_counts);
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
		if (c->nr_ids == cap) {
			struct cmdq_id_count *grown;

			cap *= 2;
			grown = realloc(c->ids, cap * sizeof(*c->ids));
			if (!grown) {
				cmdq_counts_free(c);
				return -ENOMEM;
			}
			c->ids = grown;
		}
		c->ids[c->nr_ids++] = (struct cmdq_id_count){
			.opcode = key.opcode, .id = key.id, .count = n
		};
	}
	c->id_overflow = p->skel->bss->id_overflow;
	return read_cw_seq(p, c);
}

void cmdq_probe_detach(struct cmdq_probe *p)
{
	bpf_link__destroy(p->link);
	cmdq_bpf__destroy(p->skel);
	p->link = NULL;
	p->skel = NULL;
}
