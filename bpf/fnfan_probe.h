/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space side of the fnfan probe (bpf/fnfan.h): attach to kernel
 * functions given by name, read their calls, latency and commands. For
 * stock kernels, which lack the lab kernel's tracepoints.
 */
#ifndef INVLAB_FNFAN_PROBE_H
#define INVLAB_FNFAN_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "fnfan_stats.h"
#include "rb_trace.h"

/* What a result says of a function hooked through a .part clone. */
#define FNFAN_PARTIAL_NOTE \
	"only part of the function (a .part clone): calls that stay in the part inlined into the callers are not seen"

/* What the command hook does besides attributing commands to calls. */
struct fnfan_opts {
	/*
	 * hook every command queued (__iommu_queue_command_sync): the
	 * commands inside each call. Without it only calls and latency,
	 * and no program runs per command.
	 */
	bool cmd_hook;
	/* count every command for the cmdq probe (cmdq_probe_share_fnfan);
	 * needs cmd_hook
	 */
	bool count_cmds;
	unsigned int id_opcodes; /* with count_cmds: opcodes counted by id */
	/*
	 * attach the command exit hook too: it times the waits for buffer
	 * space (with count_cmds) and each call's hold, first command's
	 * entry to last command's exit
	 */
	bool time_cmds;
	/* send every call over the ring buffer (fnfan_probe_trace_start) */
	bool trace;
};

struct fnfan_probe {
	struct fnfan_bpf *skel;
	/* an entry and an exit link per function, and the command hooks */
	struct bpf_link *links[2 * FNFAN_MAX_FNS + 2];
	struct fnfan_opts opts;
	bool cmd_exact; /* the command hook reads the real function's args */
	struct rb_trace trace; /* with opts.trace, once started */
	size_t nr_fns;
	char name[FNFAN_MAX_FNS][128]; /* as asked */
	char symbol[FNFAN_MAX_FNS][256]; /* as found in kallsyms */
	char mechanism[FNFAN_MAX_FNS][16]; /* "fentry" or "kprobe" */
	/* symbol is a .part clone: calls that stay in the inlined part of
	 * the function are not seen
	 */
	bool partial[FNFAN_MAX_FNS];
	char cmd_mechanism[16]; /* the __iommu_queue_command_sync hook's */
	char cmd_symbol[256]; /* as found in kallsyms */
	char filter_check[320]; /* how traceability was checked, or not */
};

/*
 * Attach to n (at most FNFAN_MAX_FNS) functions. A name may resolve to a
 * compiler clone (name.isra.0): the programs read no arguments, so that is
 * fine, but such a clone has no BTF and gets kprobes. Each function uses
 * fentry/fexit when the kernel's BTF has it, else kprobe/kretprobe. On
 * failure err names the function and kernel, and nothing stays attached.
 * fnfan_probe_attach: calls and latency only (no command hook: nothing
 * runs per command); _opts chooses.
 */
int fnfan_probe_attach(struct fnfan_probe *p, const char *kallsyms,
		       const char *const *names, size_t n, char *err,
		       size_t len);
int fnfan_probe_attach_opts(struct fnfan_probe *p, const char *kallsyms,
			    const char *const *names, size_t n,
			    const struct fnfan_opts *opts, char *err,
			    size_t len);
/* Counters since attach, summed over CPUs. 0 or -errno. */
int fnfan_probe_read(const struct fnfan_probe *p, struct fnfan_totals *t);
/*
 * With opts.trace: write every call (struct fnfan_event) to path through
 * format until fnfan_probe_trace_stop(), which gives what was written and
 * what the ring buffer dropped.
 */
int fnfan_probe_trace_start(struct fnfan_probe *p, const char *path,
			    rb_trace_format format, void *ctx, char *err,
			    size_t len);
int fnfan_probe_trace_stop(struct fnfan_probe *p, unsigned long long *written,
			   unsigned long long *dropped);
void fnfan_probe_detach(struct fnfan_probe *p);

#endif
