/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The probe set: every probe a run reads, attached, read and detached as
 * one. invlab run attaches it once; each window is the delta of two
 * snapshots (probe_set_read). What is in it:
 *   cmdq      every command the driver queues, by opcode and id, waits for
 *             buffer space, timeouts from the driver's log (kmsg)
 *   fanout    the lab kernel's tracepoints: per invalidation kind
 *   fallback  kernels without them: fnfan on the enclosing functions
 *             (fnfan-fallback.conf), for workloads that read it
 *   watch     functions a workload asked to time (probe_set_watch)
 *   seeds     the seed paths' measure functions, over the whole run
 *   pmu       perf stat of the AMD IOMMU PMU per window, where there is one
 *   trace     per-event ring buffer into fanout-events.jsonl, perf record
 * Each records how it attached, or why not, in the result's "probes".
 */
#ifndef INVLAB_PROBES_H
#define INVLAB_PROBES_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cmdq_probe.h"
#include "fallback_probe.h"
#include "fanout_probe.h"
#include "fnfan_probe.h"
#include "iommu_pmu.h"
#include "perf_record.h"
#include "seed_probe.h"

/* Whether a run's windows read the fan-out fallback (fnfan-fallback.conf). */
enum probe_fallback {
	PROBE_FALLBACK_UNUSED, /* the workload does not read it */
	PROBE_FALLBACK_OFF, /* it would, but the suite says fallback = no */
	PROBE_FALLBACK_ON,
};

/* What a suite asks of the probes (its [probes] section). */
struct probe_opts {
	const char *top; /* the work tree: bpf/ and bench/perf/ files */
	const char *kallsyms; /* normally /proc/kallsyms */
	const char *cmdq; /* "auto", "fentry" or "kprobe" */
	/* time the waits for command-buffer space (an exit hook, or the lab
	 * tracepoint's program): off by default, counting them is exact
	 */
	bool queue_wait_time;
	/* count INVALIDATE_IOMMU_PAGES by domain too (per-command hash) */
	bool domain_ids;
	enum probe_fallback fallback;
	bool trace; /* per-event trace into fanout-events.jsonl */
	bool perf_record; /* perf record -a -g for the whole run */
};

struct probe_set {
	struct probe_opts o;
	json_object *json; /* the result's "probes": borrowed */
	struct cmdq_probe cmdq;
	struct fanout_probe fan;
	struct fallback_probe fallback;
	struct seed_probe seeds;
	bool seeds_attached;
	struct fnfan_probe watch;
	size_t nr_watch;
	char watch_names[FNFAN_MAX_FNS][128];
	struct iommu_pmu pmu;
	struct perf_record rec;
	bool attached, tracing;
};

/* Counters at one moment: a window is the delta of two. */
struct probe_snap {
	struct cmdq_counts cmdq;
	struct fanout_totals fan; /* zero without the lab tracepoints */
	struct fnfan_totals fallback; /* zero when not attached */
	struct fnfan_totals watch; /* the functions of probe_set_watch */
};

/*
 * Find the seed paths and attach everything the options ask for, recording
 * how into probes (the result's "probes" object). -EINVAL with err when a
 * file the probes read is bad (bad input), another negative errno when a
 * probe cannot attach; nothing stays attached then.
 */
int probe_set_attach(struct probe_set *ps, const struct probe_opts *o,
		     json_object *probes, char *err, size_t len);
/*
 * Time n kernel functions (fnfan: calls, latency, commands inside) in every
 * snapshot from now on (snap.watch.fn[i]); ps->watch tells the symbols
 * and mechanisms found.
 */
int probe_set_watch(struct probe_set *ps, const char *const *names, size_t n,
		    char *err, size_t len);
/*
 * Start what runs for the whole run into out_dir: perf record, and the
 * per-event trace (lab tracepoints, else the fallback's calls).
 */
int probe_set_trace_begin(struct probe_set *ps, const char *out_dir, char *err,
			  size_t len);
/* Stop them and record what they wrote in probes. */
void probe_set_trace_end(struct probe_set *ps);
/*
 * Detach every probe, the seed paths' and the watched functions' too, for
 * a window that must run with none (the overhead baseline), keeping what
 * the whole-run probes counted; probe_set_resume attaches them again.
 */
void probe_set_pause(struct probe_set *ps);
int probe_set_resume(struct probe_set *ps, char *err, size_t len);
/*
 * A window's fan-out (t: the delta of two snapshots) as sample.fanout, or
 * NULL (JSON null) on a kernel without the lab tracepoints.
 */
json_object *probe_set_fanout_json(const struct probe_set *ps,
				   const struct fanout_totals *t);
/* The seed paths' totals into probes.seed_paths; everything detached. */
void probe_set_finish(struct probe_set *ps);

/*
 * Read every counter. closing: the snapshot ends a window (the cmdq counts
 * are read first, so the other probes' window encloses theirs).
 */
int probe_set_read(const struct probe_set *ps, struct probe_snap *s,
		   bool closing);
/* out = after - before; -ENOMEM. */
int probe_snap_delta(const struct probe_snap *before,
		     const struct probe_snap *after, struct probe_snap *out);
void probe_snap_free(struct probe_snap *s);
/*
 * A window's probe figures into sample: "commands" (cmdq), "fanout" (null
 * without the lab tracepoints) and, when the fallback is read, "fnfan".
 */
void probe_set_sample(const struct probe_set *ps, const struct probe_snap *d,
		      json_object *sample);

/* perf stat of the AMD IOMMU PMU around one window: -1 when not counted. */
pid_t probe_set_pmu_start(const struct probe_set *ps, const char *out_dir,
			  int rep);
/* Its counts ({EVENT: n}), or null: not counted (probes.perf says why). */
json_object *probe_set_pmu_stop(const struct probe_set *ps, pid_t pid,
				const char *out_dir, int rep);

#endif
