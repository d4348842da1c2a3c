/* SPDX-License-Identifier: GPL-2.0 */
/* A suite (bench/suites/NAME.conf): kernels, topology, workload, repetitions. */
#ifndef INVLAB_SUITE_H
#define INVLAB_SUITE_H

#include <stdbool.h>

#include "lib/conf.h"
#include "lib/util.h"
#include "workload.h"

/* One swept parameter of a suite's [matrix]: its values in file order. */
struct suite_param {
	char *name;
	struct strv values;
};

struct suite {
	char *name;
	char *path;
	char *description;
	char *topology;
	struct strv kernels;
	long repetitions;
	long warmup; /* windows run first and thrown away */
	long boot_timeout_s; /* the limit for one cell: boot to power-off */
	/* [matrix]: every combination of these is a cell, on every kernel.
	 * The workload sees each as an environment variable named in upper
	 * case (fio job files use ${BS}, ${IODEPTH}).
	 */
	struct suite_param *params;
	size_t nparams;
	/* [suite] qemu_trace: QEMU traces the commands it executes and each
	 * window is checked against the probe (bench/src/selfcheck.h).
	 */
	bool qemu_trace;
	/* [probes] cmdq = auto | fentry | kprobe */
	char *cmdq_mechanism;
	/* time waits for command-buffer space with an exit probe too */
	bool queue_wait_time;
	/* fan-out from the enclosing functions where there are no lab
	 * tracepoints (fnfan-fallback.conf); its hooks cost the most
	 */
	bool fallback_fanout;
	/* [probes] overhead = yes: each repetition adds a window with the
	 * probes detached (the overhead benchmark, make bench).
	 */
	bool overhead;
	/* [probes] trace = yes: every invalidation event also goes over a
	 * ring buffer to fanout-events.jsonl (lab tracepoints only)
	 */
	bool trace_events;
	/* [probes] perf_record = yes: perf record -a -g for the whole run,
	 * probes running, into OUT/perf.data
	 */
	bool perf_record;
	/* [workload] */
	char *workload; /* "fio" or a workload_kind's name */
	/* NULL for fio; else the kind and what its load() read */
	const struct workload_kind *driver;
	void *wl;
	/* job file name under workloads/fio/jobs, without .fio; may name
	 * matrix parameters, ${IOPATH}, until suite_pick_job()
	 */
	char *job;
	char *job_path;
	long runtime_s;
	char *device; /* "serial:NAME" (the lab's NVMe), a /dev path, or PCI */
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

/* Parameter combinations: the product of the value counts (1 without a
 * matrix).
 */
size_t suite_combinations(const struct suite *s);
/* The idx-th combination as "name=value,name=value" (the first parameter
 * varies slowest); "" without a matrix.
 */
char *suite_combination(const struct suite *s, size_t idx);
/*
 * Check a combination string against the matrix (every parameter once,
 * each value one the suite lists) and add its "name=value" pairs to kv.
 * NULL or "" is accepted only when no parameter has more than one value,
 * and then means each parameter's single value.
 */
int suite_parse_combination(const struct suite *s, const char *str,
			    struct strv *kv, char *err, size_t err_len);

/*
 * Expand ${NAME} in tmpl from kv ("name=value"; NAME is the name in upper
 * case, as job files see it). NULL when a name is not in kv.
 */
char *suite_expand(const char *tmpl, const struct strv *kv);
/*
 * A [workload] job that names matrix parameters (job = nvme-${IOPATH})
 * becomes the job of this matrix point: s->job and s->job_path are set.
 * Nothing to do for a plain job name.
 */
int suite_pick_job(const char *top, struct suite *s, const struct strv *kv,
		   char *err, size_t err_len);

#endif
