/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space side of the fnfan probe (bpf/fnfan.h): attach to kernel
 * functions given by name, read their calls, latency and commands. For
 * stock kernels, which lack the lab kernel's tracepoints.
 */
#ifndef INVLAB_FNFAN_PROBE_H
#define INVLAB_FNFAN_PROBE_H

#include <stddef.h>

#include "fnfan_stats.h"

struct fnfan_probe {
	struct fnfan_bpf *skel;
	/* one entry and one exit link per function, and the command hook */
	struct bpf_link *links[2 * FNFAN_MAX_FNS + 1];
	size_t nr_fns;
	char name[FNFAN_MAX_FNS][128]; /* as asked */
	char symbol[FNFAN_MAX_FNS][256]; /* as found in kallsyms */
	char mechanism[FNFAN_MAX_FNS][16]; /* "fentry" or "kprobe" */
	char cmd_mechanism[16]; /* the __iommu_queue_command_sync hook's */
	char filter_check[320]; /* how traceability was checked, or not */
};

/*
 * Attach to n (at most FNFAN_MAX_FNS) functions. A name may resolve to a
 * compiler clone (name.isra.0): the programs read no arguments, so that is
 * fine, but such a clone has no BTF and gets kprobes. Each function uses
 * fentry/fexit when the kernel's BTF has it, else kprobe/kretprobe. On
 * failure err names the function and kernel, and nothing stays attached.
 */
int fnfan_probe_attach(struct fnfan_probe *p, const char *kallsyms,
		       const char *const *names, size_t n, char *err,
		       size_t len);
/* Counters since attach, summed over CPUs. 0 or -errno. */
int fnfan_probe_read(const struct fnfan_probe *p, struct fnfan_totals *t);
void fnfan_probe_detach(struct fnfan_probe *p);

#endif
