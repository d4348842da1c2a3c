/* SPDX-License-Identifier: GPL-2.0 */
/* A suite (bench/suites/NAME.conf): kernels, topology, workload, repetitions. */
#ifndef INVLAB_SUITE_H
#define INVLAB_SUITE_H

#include <stdbool.h>

#include "lib/conf.h"
#include "lib/matrix.h"
#include "lib/util.h"
#include "workloads/workload.h"

struct suite {
	char *name;
	char *path;
	char *description;
	char *topology;
	struct strv kernels;
	long repetitions;
	long warmup; /* windows run first and thrown away */
	long boot_timeout_s; /* the limit for one boot: boot to power-off */
	/*
	 * [suite] boots: each cell is booted this many times, repetitions
	 * windows a boot, the boots of all cells interleaved; noisy metrics
	 * are judged over boots (analysis/boots.h)
	 */
	long boots;
	/* a boot that fails before its workload starts is tried again */
	long boot_retries;
	/* fault injection for the tests: the first boot of every cell hangs
	 * before invlab run starts (lab/guest/job.sh), as a stuck guest would
	 */
	bool hang_first_boot;
	/*
	 * [suite] share_boot (default yes): the cells of one kernel that
	 * differ only in module.* knobs share each boot, one invlab run each
	 * in turn; no: a boot per cell
	 */
	bool share_boot;
	/*
	 * For the tests of the real-host path: lab_guest = no boots the
	 * guest without the lab guest's mark (invlab.lab=1), so invlab in it
	 * keeps a real host's gates; guest_script (a path under the work
	 * tree) runs instead of invlab run, its exit status the boot's
	 */
	bool lab_guest;
	char *guest_script;
	/* [suite] timing: wall or icount, over the topology's; NULL: its */
	char *timing;
	struct matrix matrix; /* every combination is a cell */
	/* [suite] qemu_trace: QEMU traces the commands it executes and each
	 * window is checked against the probe (bench/src/lab/selfcheck.h).
	 */
	bool qemu_trace;
	/* [probes] cmdq = auto | fentry | kprobe */
	char *cmdq_mechanism;
	/* time waits for command-buffer space with an exit probe too */
	bool queue_wait_time;
	/* [probes] domain_ids: INVALIDATE_IOMMU_PAGES counted by domain too
	 * (a hash map update per command: off by default)
	 */
	bool domain_ids;
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
	const struct workload_ops *workload; /* its type */
	void *workload_opts; /* what the workload's load() read */
	long runtime_s;
	char *device; /* "serial:NAME" (the lab's NVMe), a /dev path, or PCI */
	struct strv modules; /* kernel modules the workload needs */
	/*
	 * [neighbour] (run/neighbour.h): a fio job on another NVMe running
	 * through every measured window, its figures in the window's sample;
	 * NULL job: none
	 */
	char *neighbour_job; /* the job file */
	char *neighbour_device; /* serial:NAME or /dev/nvmeXnY */
	long neighbour_ramp_ms; /* it runs this long before the window */
	/* [checks] (bench/src/run/kcheck.h), run before the workload */
	bool check_tracepoints;
	long check_reads;
	bool check_intremap;
	char *check_nest_parent; /* PCI address, or NULL */
};

/* name is a suite file's path (it has a '/'), not a suite's name */
bool suite_is_file(const char *name);
/* name is a suite name (bench/suites/NAME.conf under top) or a path. */
int suite_load(const char *top, const char *name, struct suite *s, char *err,
	       size_t err_len);
void suite_free(struct suite *s);

#endif
