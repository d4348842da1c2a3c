/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The workload interface. A workload is one struct workload_ops, defined
 * in its own directory (workloads/NAME/NAME.c as NAME_workload, '-' as
 * '_') and listed once in the Makefile's WORKLOADS, from which the
 * registry is generated. invlab owns the loop (bench/src/run/run.c): it
 * reads the suite, resolves the device, runs the kernel checks, attaches
 * the probes (bpf/probes.h), runs the warm-up and measured windows with a
 * probe snapshot around each (and, with [probes] overhead, a window with
 * every probe detached beside each), stops on Ctrl-C, and rewrites
 * result.json atomically after every window. A workload reads and checks
 * its own [workload] keys, describes itself, sets up, runs one window and
 * tears down.
 *
 * The calls, in order, in a guest or on a host (invlab run):
 *   describe   once: check this cell's matrix point, add settings to
 *              r->workload; may allocate r->priv (freed by invlab)
 *   setup      after the probes are attached: acquire what the windows
 *              use (a device moved to vfio-pci, iommufd objects)
 *   window     warmup times, then repetitions times (or until Ctrl-C)
 *   sample     after each measured window's closing snapshot
 *   teardown   once, when setup succeeded: give everything back, record
 *              what was given back in r->workload
 * and on the host, before anything boots: load, for every suite read.
 */
#ifndef INVLAB_WORKLOAD_H
#define INVLAB_WORKLOAD_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "bpf/probes.h"
#include "lib/conf.h"
#include "lib/matrix.h"
#include "workloads/common/nvme_dev.h"

/* What load() may read of the suite being loaded. */
struct workload_suite {
	const char *name;
	const char *top; /* the work tree */
	const struct matrix *matrix; /* its [matrix] */
};

/* What [workload] device names. */
enum workload_device {
	/* an NVMe namespace: serial:NAME or /dev/nvmeXnY, resolved by invlab
	 * (r->nvme) and read by the kernel checks
	 */
	WORKLOAD_DEVICE_NVME,
	/* a full PCI address, 0000:00:07.0 */
	WORKLOAD_DEVICE_PCI,
};

/* One run of a workload: what invlab gives it, and its own state. */
struct workload_run {
	const void *opts; /* what load() made of [workload] */
	const struct strv *params; /* this cell's "name=value" pairs */
	const char *device; /* [workload] device (or --device) */
	const struct nvme_dev *nvme; /* WORKLOAD_DEVICE_NVME: the namespace */
	const char *out; /* the cell's output directory */
	const char *top; /* the work tree */
	long runtime_s, repetitions, warmup;
	/*
	 * The device may move to another driver: in a lab guest (everything
	 * there is disposable), or when the user named it with
	 * --allow-rebind.
	 */
	bool may_rebind;
	bool lab_guest; /* a QEMU lab guest (invlab.top= on its command line) */
	/* interrupt remapping as the kernel reports it: "enabled", ... */
	const char *intremap;
	/*
	 * The guest's clock is the instruction clock (QEMU -icount, the
	 * lab's [machine] timing): a nanosecond measured is an instruction.
	 * ns_unit is how to print one: "ns" or "insn".
	 */
	bool icount;
	const char *ns_unit;
	struct probe_set *probes;
	json_object *workload; /* result.json's "workload": settings, bindings */
	volatile int *interrupted; /* SIGINT or SIGTERM seen */
	void *priv; /* the workload's own state, from describe to the end */
};

/* One window, as invlab runs it. */
struct window {
	int rep; /* 1..repetitions, or 1..warmup for a warm-up window */
	bool warmup; /* thrown away: no snapshot, no sample */
	bool detached; /* every probe detached: the overhead baseline */
	/* the sample: invlab adds "repetition" and "window_s" first, the
	 * workload its own keys, invlab the probes' figures last
	 */
	json_object *sample;
	/* the progress line after "window N/M: ", set by window or sample */
	char summary[512];
};

struct workload_ops {
	const char *name; /* [workload] type */
	/*
	 * The metric that sums up a cell of it in one number (a sample's
	 * "metrics" key, judged under bench/policy/metrics.conf): a LAVA
	 * test case's measurement (bench/src/fleet/lava_job.h).
	 */
	const char *headline;
	enum workload_device device;
	/*
	 * Its windows read the fan-out per invalidation from the enclosing
	 * functions on kernels without the lab tracepoints (the fnfan
	 * fallback, bpf/fnfan-fallback.conf): sample.fnfan.
	 */
	bool fallback;
	/*
	 * It takes its probe snapshots inside the window (phases of one
	 * window: maps and unmaps, DPDK's steps) and adds "commands" to the
	 * sample itself; invlab takes none around it. Such a workload has no
	 * detached (overhead) windows, unless it says detached_windows.
	 */
	bool own_snapshots;
	/*
	 * A workload of own_snapshots whose window also runs with every
	 * probe detached (w->detached: no snapshot, its timings only), for
	 * the overhead pairs.
	 */
	bool detached_windows;
	/*
	 * Its own [workload] keys, besides type, device, modules and runtime:
	 * the suite's check (conf_check) refuses any other. The table beside
	 * load(), which reads them; ends with { NULL }.
	 */
	const struct conf_key *keys;
	/*
	 * Suite side: read and check the workload's own [workload] keys into
	 * *opts, one flat allocation (freed with free()). Errors name the
	 * suite file, line and key (conf_err).
	 */
	int (*load)(const struct conf *c, const struct workload_suite *s,
		    void **opts, char *err, size_t len);
	/* Check this cell and add the settings to r->workload. */
	int (*describe)(struct workload_run *r, char *err, size_t len);
	int (*setup)(struct workload_run *r, char *err, size_t len);
	/* Run one window: the work only, unless own_snapshots. */
	int (*window)(struct workload_run *r, struct window *w, char *err,
		      size_t len);
	/*
	 * The window's figures into w->sample and w->summary, from what the
	 * window did and the probes' delta d over it (NULL in a detached
	 * window, and for a workload that takes its own snapshots).
	 * Optional.
	 */
	int (*sample)(struct workload_run *r, struct window *w,
		      const struct probe_snap *d, char *err, size_t len);
	/* Give back what setup took, even after a failed window. */
	int (*teardown)(struct workload_run *r, char *err, size_t len);
};

/* The registry, generated from the Makefile's WORKLOADS. */
extern const struct workload_ops *const workload_registry[];
extern const size_t workload_registry_len;

/* The workload named, or NULL. */
const struct workload_ops *workload_find(const char *name);
/* "fio, hdomid-sweep, ..." for error messages. */
const char *workload_names(void);
/* The numeric value of matrix parameter name in r->params, or def. */
long workload_param(const struct workload_run *r, const char *name, long def);

#endif
