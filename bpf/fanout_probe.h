/* SPDX-License-Identifier: GPL-2.0 */
/* User-space side of the fanout probe: attach to the lab tracepoints, read. */
#ifndef INVLAB_FANOUT_PROBE_H
#define INVLAB_FANOUT_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "fanout_stats.h"

struct fanout_probe {
	struct fanout_bpf *skel;
	bool present; /* the kernel has the amd_iommu tracepoints */
	char why[256]; /* why not, when it does not */
};

/*
 * Attach when the running kernel's BTF has the amd_iommu tracepoints. A
 * kernel without them is not an error: present is false and why says so.
 * -1 with err only when they exist and attaching failed.
 */
int fanout_probe_attach(struct fanout_probe *p, char *err, size_t err_len);
int fanout_probe_read(const struct fanout_probe *p, struct fanout_totals *t);
void fanout_probe_detach(struct fanout_probe *p);

#endif
