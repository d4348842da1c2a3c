/* SPDX-License-Identifier: GPL-2.0 */
/* A suite (bench/suites/NAME.conf): kernels, topology, workload, repetitions. */
#ifndef INVLAB_SUITE_H
#define INVLAB_SUITE_H

#include <stdbool.h>

#include "conf.h"
#include "util.h"

struct suite {
	char *name;
	char *path;
	char *description;
	char *topology;
	struct strv kernels;
	long repetitions;
	long boot_timeout_s;
	/* [suite] qemu_trace: QEMU traces the commands it executes and each
	 * window is checked against the probe (bench/src/selfcheck.h).
	 */
	bool qemu_trace;
	/* [probes] cmdq = auto | fentry | kprobe */
	char *cmdq_mechanism;
	/* [probes] overhead = yes: each repetition adds a window with the
	 * probes detached (the overhead benchmark, make bench).
	 */
	bool overhead;
	/* [workload] */
	char *workload; /* "fio" */
	char *job; /* job file name under workloads/fio/jobs, without .fio */
	char *job_path;
	long runtime_s;
	char *device; /* "serial:NAME" (the lab's NVMe) or a /dev path */
	struct strv modules; /* kernel modules the workload needs */
	/* [checks] (bench/src/kcheck.h), run before the workload */
	bool check_tracepoints;
	long check_reads;
	bool check_intremap;
	char *check_nest_parent; /* PCI address, or NULL */
};

/* name is a suite name (bench/suites/NAME.conf under top) or a path. */
int suite_load(const char *top, const char *name, struct suite *s, char *err,
	       size_t err_len);
void suite_free(struct suite *s);

#endif
