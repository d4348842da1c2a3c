// SPDX-License-Identifier: GPL-2.0
#include "fnfan_probe.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bpf_log.h"
#include "cmdq_probe.h"
#include "fnfan.skel.h"
#include "ksyms.h"
#include "tracefs.h"

struct slot_progs {
	struct bpf_program *fentry, *fexit, *kprobe, *kretprobe;
};

static struct slot_progs slot(struct fnfan_bpf *s, size_t i)
{
	struct slot_progs sp[FNFAN_MAX_FNS] = {
		{ s->progs.fnfan_fentry_0, s->progs.fnfan_fexit_0,
		  s->progs.fnfan_kprobe_0, s->progs.fnfan_kretprobe_0 },
		{ s->progs.fnfan_fentry_1, s->progs.fnfan_fexit_1,
		  s->progs.fnfan_kprobe_1, s->progs.fnfan_kretprobe_1 },
		{ s->progs.fnfan_fentry_2, s->progs.fnfan_fexit_2,
		  s->progs.fnfan_kprobe_2, s->progs.fnfan_kretprobe_2 },
		{ s->progs.fnfan_fentry_3, s->progs.fnfan_fexit_3,
		  s->progs.fnfan_kprobe_3, s->progs.fnfan_kretprobe_3 },
		{ s->progs.fnfan_fentry_4, s->progs.fnfan_fexit_4,
		  s->progs.fnfan_kprobe_4, s->progs.fnfan_kretprobe_4 },
		{ s->progs.fnfan_fentry_5, s->progs.fnfan_fexit_5,
		  s->progs.fnfan_kprobe_5, s->progs.fnfan_kretprobe_5 },
	};

	return sp[i];
}

static const char *kernel_release(void)
{
	static struct utsname u;

	return uname(&u) ? "(unknown kernel)" : u.release;
}

/*
 * Open, choose each slot's programs and load. use_fentry[i] (and
 * cmd_fentry) say which kind each gets; unused slots load nothing.
 */
static int load(struct fnfan_probe *p, const bool *use_fentry, bool cmd_fentry)
{
	struct fnfan_bpf *s = fnfan_bpf__open();
	int ret = 0;

	if (!s)
		return -errno;
	s->rodata->count_cmds = p->opts.count_cmds;
	s->rodata->time_waits = p->opts.count_cmds && p->opts.time_cmds;
	s->rodata->time_cmds = p->opts.time_cmds;
	s->rodata->trace_calls = p->opts.trace;
	s->rodata->id_opcodes = p->opts.id_opcodes;
	/* the ring buffer's 4 MiB only when tracing: one page otherwise */
	if (!p->opts.trace)
		bpf_map__set_max_entries(s->maps.events, getpagesize());
	bpf_program__set_autoload(s->progs.fnfan_cmd_fentry,
				  p->opts.cmd_hook && cmd_fentry);
	bpf_program__set_autoload(s->progs.fnfan_cmd_kprobe,
				  p->opts.cmd_hook && !cmd_fentry);
	bpf_program__set_autoload(s->progs.fnfan_cmd_fexit,
				  p->opts.cmd_hook && cmd_fentry &&
					  p->opts.time_cmds);
	bpf_program__set_autoload(s->progs.fnfan_cmd_kretprobe,
				  p->opts.cmd_hook && !cmd_fentry &&
					  p->opts.time_cmds);
	for (size_t i = 0; i < FNFAN_MAX_FNS; i++) {
		struct slot_progs sp = slot(s, i);
		bool used = i < p->nr_fns, fe = used && use_fentry[i];

		bpf_program__set_autoload(sp.fentry, fe);
		bpf_program__set_autoload(sp.fexit, fe);
		bpf_program__set_autoload(sp.kprobe, used && !fe);
		bpf_program__set_autoload(sp.kretprobe, used && !fe);
		if (fe && !ret)
			ret = bpf_program__set_attach_target(sp.fentry, 0,
							     p->symbol[i]);
		if (fe && !ret)
			ret = bpf_program__set_attach_target(sp.fexit, 0,
							     p->symbol[i]);
	}
	if (!ret)
		ret = fnfan_bpf__load(s);
	if (ret) {
		fnfan_bpf__destroy(s);
		return ret;
	}
	p->skel = s;
	return 0;
}

static int attach_links(struct fnfan_probe *p, const bool *use_fentry,
			bool cmd_fentry)
{
	struct fnfan_bpf *s = p->skel;
	size_t k = 0;

	for (size_t i = 0; i < p->nr_fns; i++) {
		struct slot_progs sp = slot(s, i);

		if (use_fentry[i]) {
			p->links[k++] = bpf_program__attach_trace(sp.fentry);
			p->links[k++] = bpf_program__attach_trace(sp.fexit);
		} else {
			p->links[k++] = bpf_program__attach_kprobe(
				sp.kprobe, false, p->symbol[i]);
			p->links[k++] = bpf_program__attach_kprobe(
				sp.kretprobe, true, p->symbol[i]);
		}
		if (!p->links[k - 2] || !p->links[k - 1])
			return -errno ? -errno : -EINVAL;
	}
	/* no command program at all unless the commands inside are wanted */
	if (!p->opts.cmd_hook)
		return 0;
	p->links[k] =
		cmd_fentry ?
			bpf_program__attach_trace(s->progs.fnfan_cmd_fentry) :
			bpf_program__attach_kprobe(s->progs.fnfan_cmd_kprobe,
						   false, p->cmd_symbol);
	if (!p->links[k++])
		return -errno ? -errno : -EINVAL;
	if (!p->opts.time_cmds)
		return 0;
	p->links[k] =
		cmd_fentry ?
			bpf_program__attach_trace(s->progs.fnfan_cmd_fexit) :
			bpf_program__attach_kprobe(s->progs.fnfan_cmd_kretprobe,
						   true, p->cmd_symbol);
	return p->links[k] ? 0 : (-errno ? -errno : -EINVAL);
}

int fnfan_probe_attach(struct fnfan_probe *p, const char *kallsyms,
		       const char *const *names, size_t n, char *err,
		       size_t len)
{
	static const struct fnfan_opts none;

	return fnfan_probe_attach_opts(p, kallsyms, names, n, &none, err, len);
}

int fnfan_probe_attach_opts(struct fnfan_probe *p, const char *kallsyms,
			    const char *const *names, size_t n,
			    const struct fnfan_opts *opts, char *err,
			    size_t len)
{
	struct ksym_query q[FNFAN_MAX_FNS + 1] = { 0 };
	bool use_fentry[FNFAN_MAX_FNS] = { 0 }, cmd_fentry;
	struct btf *btf;
	int ret;

	memset(p, 0, sizeof(*p));
	p->opts = *opts;
	bpf_log_begin();
	if (!n || n > FNFAN_MAX_FNS) {
		snprintf(err, len, "fnfan probe: %zu functions (1 to %d)", n,
			 FNFAN_MAX_FNS);
		return -EINVAL;
	}
	p->nr_fns = n;
	for (size_t i = 0; i < n; i++) {
		snprintf(p->name[i], sizeof(p->name[i]), "%s", names[i]);
		q[i].name = p->name[i];
	}
	q[n].name = CMDQ_SYMBOL;
	ret = ksyms_resolve_all(kallsyms, q, n + 1);
	if (ret) {
		snprintf(err, len, "cannot read %s: %s (the probe needs root)",
			 kallsyms, strerror(-ret));
		return ret;
	}
	for (size_t i = 0; i <= n; i++) {
		if (q[i].ret) {
			snprintf(
				err, len,
				"kernel %s has no function %s in %s (inlined, renamed, or not built): the fnfan probe cannot attach to it",
				kernel_release(), q[i].name, kallsyms);
			return q[i].ret;
		}
	}
	tracefs_check_traceable(q, n + 1, p->filter_check,
				sizeof(p->filter_check));
	for (size_t i = 0; i <= n; i++) {
		if (!q[i].traceable) {
			snprintf(
				err, len,
				"kernel %s has %s in %s but not in available_filter_functions (notrace or blacklisted): the fnfan probe cannot hook it",
				kernel_release(), q[i].found, kallsyms);
			return -ENOTSUP;
		}
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(p->symbol[i], sizeof(p->symbol[i]), "%s", q[i].found);
		p->partial[i] = q[i].partial;
	}
	snprintf(p->cmd_symbol, sizeof(p->cmd_symbol), "%s", q[n].found);
	p->cmd_exact = q[n].exact;
	/* fentry needs the function in BTF under the very name kallsyms has */
	btf = btf__load_vmlinux_btf();
	for (size_t i = 0; i < n; i++)
		use_fentry[i] = btf && q[i].exact &&
				btf__find_by_name_kind(btf, p->symbol[i],
						       BTF_KIND_FUNC) >= 0;
	cmd_fentry = btf && q[n].exact &&
		     btf__find_by_name_kind(btf, CMDQ_SYMBOL, BTF_KIND_FUNC) >=
			     0;
	btf__free(btf);

	ret = load(p, use_fentry, cmd_fentry);
	if (!ret)
		ret = attach_links(p, use_fentry, cmd_fentry);
	if (ret) {
		/* A kernel refusing trampolines: kprobes everywhere. */
		fnfan_probe_detach(p);
		p->nr_fns = n;
		memset(use_fentry, 0, sizeof(use_fentry));
		cmd_fentry = false;
		ret = load(p, use_fentry, cmd_fentry);
		if (!ret)
			ret = attach_links(p, use_fentry, cmd_fentry);
	}
	if (ret) {
		/* the verifier's words are longer than err: on stderr */
		fprintf(stderr, "invlab: fnfan probe: libbpf said: %s\n",
			bpf_log_text());
		snprintf(
			err, len,
			"fnfan probe: cannot attach to %s%s on kernel %s with fentry or kprobe: %s (libbpf's words on stderr)",
			p->symbol[0], n > 1 ? " and the others" : "",
			kernel_release(), strerror(-ret));
		fnfan_probe_detach(p);
		return ret;
	}
	for (size_t i = 0; i < n; i++)
		snprintf(p->mechanism[i], sizeof(p->mechanism[i]), "%s",
			 use_fentry[i] ? "fentry" : "kprobe");
	snprintf(p->cmd_mechanism, sizeof(p->cmd_mechanism), "%s",
		 cmd_fentry ? "fentry" : "kprobe");
	return 0;
}

int fnfan_probe_read(const struct fnfan_probe *p, struct fnfan_totals *t)
{
	int ncpu = libbpf_num_possible_cpus();
	struct fnfan_fn_stats *pc;
	int ret = 0;

	memset(t, 0, sizeof(*t));
	t->nr_fns = p->nr_fns;
	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	pc = calloc(ncpu, sizeof(*pc));
	if (!pc)
		return -ENOMEM;
	for (unsigned int f = 0; f < p->nr_fns; f++) {
		if (bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.fns), &f,
					pc)) {
			ret = -errno;
			break;
		}
		for (int c = 0; c < ncpu; c++)
			fnfan_stats_add(&t->fn[f], &pc[c]);
	}
	free(pc);
	return ret;
}

int fnfan_probe_trace_start(struct fnfan_probe *p, const char *path,
			    rb_trace_format format, void *ctx, char *err,
			    size_t len)
{
	if (!p->skel || !p->opts.trace) {
		snprintf(err, len, "the fnfan probe is not tracing calls");
		return -1;
	}
	return rb_trace_start(&p->trace, bpf_map__fd(p->skel->maps.events),
			      (const volatile unsigned long long *)&p->skel->bss
				      ->events_dropped,
			      path, format, ctx, err, len);
}

int fnfan_probe_trace_stop(struct fnfan_probe *p, unsigned long long *written,
			   unsigned long long *dropped)
{
	return rb_trace_stop(&p->trace, written, dropped);
}

void fnfan_probe_detach(struct fnfan_probe *p)
{
	unsigned long long w, d;

	if (rb_trace_running(&p->trace))
		rb_trace_stop(&p->trace, &w, &d);
	for (size_t i = 0; i < sizeof(p->links) / sizeof(p->links[0]); i++) {
		bpf_link__destroy(p->links[i]);
		p->links[i] = NULL;
	}
	if (p->skel)
		fnfan_bpf__destroy(p->skel);
	p->skel = NULL;
	p->nr_fns = 0;
}
