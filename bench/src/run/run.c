// SPDX-License-Identifier: GPL-2.0
#include "run.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "context.h"
#include "cpu_time.h"
#include "doctor.h"
#include "kcheck.h"
#include "knobs.h"
#include "neighbour.h"
#include "lib/json_util.h"
#include "lib/knob.h"
#include "lib/result.h"
#include "suite.h"

static volatile int interrupted; /* set by on_signal */

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Everything a run holds, from the suite to the last window. */
struct run {
	const struct run_opts *o;
	struct suite s;
	const struct workload_ops *w;
	struct strv params;
	struct nvme_dev nvme;
	struct probe_set ps;
	struct knobs knobs; /* kernel settings the cell wrote */
	struct neighbour nb; /* the suite's [neighbour], when it has one */
	struct workload_run r;
	bool set_up; /* the workload's setup succeeded: tear down */
	json_object *doc, *samples, *offs;
	char *path; /* result.json */
	char err[ERRLEN];
};

static void load_modules(const struct strv *modules)
{
	for (size_t i = 0; i < modules->n; i++)
		if (!module_loaded("", modules->v[i]) &&
		    run_cmd((char *const[]){ "modprobe", modules->v[i], NULL },
			    NULL))
			say("modprobe %s failed; going on in case it is built in",
			    modules->v[i]);
}

/*
 * The matrix point as environment variables for the workload (fio expands
 * ${BS} in job files) and as the result's workload.params.
 */
static json_object *export_params(const struct strv *kv)
{
	json_object *o = json_object_new_object();
	const char *kname;

	for (size_t i = 0; i < kv->n; i++) {
		char *name = xstrdup(kv->v[i]), *eq = strchr(name, '=');

		*eq = '\0';
		json_object_object_add(o, name, json_object_new_string(eq + 1));
		for (char *c = name; *c; c++)
			*c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
		/* kernel settings are not the workload's (knobs.h) */
		if (knob_kind(kv->v[i], &kname) == KNOB_NONE)
			setenv(name, eq + 1, 1);
		free(name);
	}
	return o;
}

/* result.json as it starts: incomplete, with the context and settings. */
static json_object *doc_new(struct run *x)
{
	const struct suite *s = &x->s;
	json_object *doc = json_object_new_object(), *wl;
	char now[32];

	iso8601_now(now, sizeof(now));
	json_object_object_add(doc, "schema",
			       json_object_new_string(RESULT_SCHEMA));
	json_object_object_add(doc, "version",
			       json_object_new_int(RESULT_VERSION));
	json_object_object_add(doc, "suite", json_object_new_string(s->name));
	json_object_object_add(doc, "status",
			       json_object_new_string("incomplete"));
	json_object_object_add(doc, "error", NULL);
	json_object_object_add(doc, "started", json_object_new_string(now));
	json_object_object_add(doc, "finished", NULL);
	json_object_object_add(doc, "context",
			       context_collect(x->o->lab_context));
	json_object_object_add(doc, "probes", json_object_new_object());
	wl = json_object_new_object();
	json_object_object_add(wl, "type", json_object_new_string(x->w->name));
	/* a fio job's name; the fio workload sets it */
	json_object_object_add(wl, "job", NULL);
	json_object_object_add(wl, "runtime_s",
			       json_object_new_int64(s->runtime_s));
	json_object_object_add(wl, "repetitions",
			       json_object_new_int64(s->repetitions));
	json_object_object_add(wl, "warmup_windows",
			       json_object_new_int64(s->warmup));
	json_object_object_add(wl, "params", export_params(&x->params));
	json_object_object_add(doc, "workload", wl);
	x->samples = json_object_new_array();
	json_object_object_add(doc, "samples", x->samples);
	return doc;
}

/* Wait for the device node to appear (10 s): nvme probes asynchronously. */
static int resolve_nvme(const char *spec, struct nvme_dev *dev, char *err,
			size_t len)
{
	return nvme_dev_wait("", spec, dev, 100, err, len);
}

static json_object *nvme_json(const struct nvme_dev *d)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "node", json_object_new_string(d->node));
	json_object_object_add(
		o, "generic",
		d->generic[0] ? json_object_new_string(d->generic) : NULL);
	json_object_object_add(o, "controller",
			       json_object_new_string(d->ctrl));
	json_object_object_add(o, "pci", json_object_new_string(d->pci));
	json_object_object_add(o, "serial", json_object_new_string(d->serial));
	json_object_object_add(o, "iommu_group_type",
			       json_object_new_string(d->iommu_group_type));
	return o;
}

/* The workload's device into workload.device; an NVMe is resolved. */
static int find_device(struct run *x, json_object *wl)
{
	const char *spec = x->o->device ? x->o->device : x->s.device;
	json_object *d;

	if (x->w->device == WORKLOAD_DEVICE_PCI) {
		d = json_object_new_object();
		json_object_object_add(d, "pci", json_object_new_string(spec));
		json_object_object_add(wl, "device", d);
		return 0;
	}
	if (resolve_nvme(spec, &x->nvme, x->err, sizeof(x->err)))
		return -1;
	json_object_object_add(wl, "device", nvme_json(&x->nvme));
	say("device %s (%s, PCI %s, IOMMU domain type %s)", x->nvme.node,
	    x->nvme.serial, x->nvme.pci, x->nvme.iommu_group_type);
	return 0;
}

/* The suite's [checks], before the workload; a failed check fails the run. */
static int run_checks(struct run *x)
{
	const struct suite *s = &x->s;
	const char *rebind = x->o->allow_rebind;
	struct kcheck_opts k = {
		.tracepoints = s->check_tracepoints,
		.read_node = x->nvme.node,
		.reads = s->check_reads,
		.intremap = s->check_intremap,
		.nest_parent_pci = s->check_nest_parent,
	};
	json_object *r, *c;

	if (!k.tracepoints && !k.intremap && !k.nest_parent_pci)
		return 0;
	k.may_rebind = x->r.lab_guest || (rebind && k.nest_parent_pci &&
					  !strcmp(rebind, k.nest_parent_pci));
	r = kcheck_run(&k, json_object_object_get(x->doc, "context"));
	json_object_object_add(x->doc, "checks", r);
	json_object_object_foreach(r, name, v)
	{
		if (!json_object_is_type(v, json_type_object))
			continue;
		c = json_object_object_get(v, "error");
		say("check %s: %s%s%s", name,
		    json_object_get_boolean(json_object_object_get(v, "ok")) ?
			    "ok" :
			    "FAILED",
		    c ? ": " : "", c ? json_object_get_string(c) : "");
	}
	result_write(x->doc, x->path);
	if (!json_object_get_boolean(json_object_object_get(r, "ok")))
		return seterr(x->err, sizeof(x->err),
			      "kernel checks failed (see checks in %s)",
			      x->path);
	return 0;
}

static int attach_probes(struct run *x)
{
	const struct suite *s = &x->s;
	struct probe_opts po = {
		.top = invlab_top(),
		.kallsyms = "/proc/kallsyms",
		.cmdq = s->cmdq_mechanism,
		.queue_wait_time = s->queue_wait_time,
		.domain_ids = s->domain_ids,
		.fallback = !x->w->fallback    ? PROBE_FALLBACK_UNUSED :
			    s->fallback_fanout ? PROBE_FALLBACK_ON :
						 PROBE_FALLBACK_OFF,
		.trace = s->trace_events,
		.perf_record = s->perf_record,
	};

	return probe_set_attach(&x->ps, &po,
				json_object_object_get(x->doc, "probes"),
				x->err, sizeof(x->err));
}

/*
 * One window: the probes' snapshot, the workload's window, the closing
 * snapshot, the sample. A warm-up window keeps nothing; a detached window
 * has no snapshots and goes to overhead.off.
 */
static int one_window(struct run *x, struct window *w)
{
	const struct workload_ops *ops = x->w;
	struct probe_snap before = { 0 }, after = { 0 }, d = { 0 };
	bool snap = !w->warmup && !w->detached && !ops->own_snapshots;
	bool nb = x->s.neighbour_job && !w->warmup;
	char *err = x->err, nberr[ERRLEN];
	size_t len = sizeof(x->err);
	json_object *perf;
	pid_t pmu = -1;
	double t0, ns0 = 0, ns1 = 0;
	const char *src0 = NULL, *src1 = NULL;
	int ret = -1, cpu0, cpu1;

	w->sample = json_object_new_object();
	w->summary[0] = '\0';
	json_object_object_add(w->sample, "repetition",
			       json_object_new_int(w->rep));
	if (nb && neighbour_start(&x->nb, w->rep, err, len))
		goto out;
	if (snap && probe_set_read(&x->ps, &before, false)) {
		seterr(err, len, "cannot read the probes' maps");
		goto out;
	}
	if (!w->warmup && !w->detached)
		pmu = probe_set_pmu_start(&x->ps, x->r.out, w->rep);
	cpu0 = cpu_busy_ns(CPU_TIME_TIMER_LIST, CPU_TIME_CPU_STAT, &ns0, &src0);
	t0 = monotonic_s();
	ret = ops->window(&x->r, w, err, len);
	json_object_object_add(w->sample, "window_s",
			       json_object_new_double(monotonic_s() - t0));
	/* the window's own error, if any, comes first */
	if (nb && ret)
		neighbour_stop(&x->nb, false, nberr, sizeof(nberr));
	else if (nb && neighbour_stop(&x->nb, true, err, len))
		ret = -1;
	/* the CPU work of the window (one source at both ends), or null */
	cpu1 = cpu0 ? -1 :
		      cpu_busy_ns(!strcmp(src0, "timer_list") ?
					  CPU_TIME_TIMER_LIST :
					  NULL,
				  CPU_TIME_CPU_STAT, &ns1, &src1);
	json_object_object_add(
		w->sample, "cpu_busy_us",
		!cpu1 ? json_object_new_double((ns1 - ns0) / 1000) : NULL);
	json_object_object_add(w->sample, "cpu_busy_from",
			       !cpu1 ? json_object_new_string(src1) : NULL);
	/* null: not counted (no PMU, or perf failed: see probes.perf) */
	perf = probe_set_pmu_stop(&x->ps, pmu, x->r.out, w->rep);
	if (ret || w->warmup) {
		json_object_put(perf);
		goto out;
	}
	ret = -1;
	if (snap && (probe_set_read(&x->ps, &after, true) ||
		     probe_snap_delta(&before, &after, &d))) {
		seterr(err, len, "cannot read the probes' maps");
		json_object_put(perf);
		goto out;
	}
	if (ops->sample && ops->sample(&x->r, w, snap ? &d : NULL, err, len)) {
		json_object_put(perf);
		goto out;
	}
	if (snap)
		probe_set_sample(&x->ps, &d, w->sample);
	if (nb)
		neighbour_sample(&x->nb, w->sample);
	if (w->detached) {
		json_object_put(perf);
		json_object_array_add(x->offs, json_object_get(w->sample));
	} else {
		json_object_object_add(w->sample, "perf", perf);
		json_object_array_add(x->samples, json_object_get(w->sample));
	}
	if (nb)
		say("window %d/%ld%s: %s; neighbour %.0f IOPS, clat p99 %.0f us",
		    w->rep, x->s.repetitions,
		    w->detached ? ", probes detached" : "", w->summary,
		    x->nb.m.iops, x->nb.m.clat_p99_ns / 1000);
	else
		say("window %d/%ld%s: %s", w->rep, x->s.repetitions,
		    w->detached ? ", probes detached" : "", w->summary);
	ret = 0;
out:
	if (nb)
		neighbour_free(&x->nb);
	json_object_put(w->sample);
	w->sample = NULL;
	probe_snap_free(&before);
	probe_snap_free(&after);
	probe_snap_free(&d);
	return ret;
}

/* The overhead baseline: the same window with every probe detached. */
static int detached_window(struct run *x, int rep)
{
	struct window w = { .rep = rep, .detached = true };
	char aerr[ERRLEN] = "";
	int ret;

	probe_set_pause(&x->ps);
	ret = one_window(x, &w);
	if (probe_set_resume(&x->ps, aerr, sizeof(aerr)) && !ret) {
		seterr(x->err, sizeof(x->err), "re-attaching the probes: %s",
		       aerr);
		ret = -1;
	}
	return ret;
}

static void overhead_begin(struct run *x)
{
	json_object *o = json_object_new_object();

	x->offs = json_object_new_array();
	json_object_object_add(o, "order",
			       json_object_new_string("alternating"));
	json_object_object_add(o, "off", x->offs);
	json_object_object_add(x->doc, "overhead", o);
}

/* Warm-up windows, then the measured ones (each paired when overhead). */
static int run_windows(struct run *x)
{
	const struct suite *s = &x->s;

	for (int k = 1; k <= s->warmup; k++) {
		struct window w = { .rep = k, .warmup = true };

		if (interrupted)
			return seterr(x->err, sizeof(x->err),
				      "interrupted in the warm-up");
		say("warm-up window %d/%ld (%ld s, not recorded)", k, s->warmup,
		    s->runtime_s);
		if (one_window(x, &w))
			return -1;
	}
	if (s->overhead)
		overhead_begin(x);
	for (int rep = 1; rep <= s->repetitions; rep++) {
		/* Overhead pairs alternate off-on and on-off against drift. */
		bool off_first = s->overhead && rep % 2 == 0;
		struct window w = { .rep = rep };

		if (interrupted)
			return seterr(x->err, sizeof(x->err),
				      "interrupted after %d of %ld windows",
				      rep - 1, s->repetitions);
		if ((off_first && detached_window(x, rep)) ||
		    one_window(x, &w) ||
		    (s->overhead && !off_first && detached_window(x, rep)))
			return -1;
		/* Keep what is done: a crash from here on loses one window. */
		result_write(x->doc, x->path);
	}
	return 0;
}

/* The result's last write: status, error, finish time. */
static int finish(struct run *x, const char *status, const char *error)
{
	char now[32];
	int ret;

	/* the run's totals, whatever ended it */
	probe_set_finish(&x->ps);
	iso8601_now(now, sizeof(now));
	json_object_object_add(x->doc, "status",
			       json_object_new_string(status));
	json_object_object_add(x->doc, "error",
			       error ? json_object_new_string(error) : NULL);
	json_object_object_add(x->doc, "finished", json_object_new_string(now));
	ret = result_write(x->doc, x->path);
	if (ret)
		errorf("cannot write %s: %s", x->path, strerror(-ret));
	return ret;
}

/* Setup, the windows, teardown, with the whole-run probes around them. */
static int measure(struct run *x)
{
	const struct workload_ops *ops = x->w;
	char terr[ERRLEN] = "";
	int ret;

	if (probe_set_trace_begin(&x->ps, x->o->out, x->err, sizeof(x->err)))
		return -1;
	ret = ops->setup ? ops->setup(&x->r, x->err, sizeof(x->err)) : 0;
	if (!ret) {
		ret = run_windows(x);
		if (ops->teardown && ops->teardown(&x->r, terr, sizeof(terr))) {
			/* the first error is the one to report */
			if (!ret)
				seterr(x->err, sizeof(x->err), "%s", terr);
			else
				say("after that, teardown: %s", terr);
			ret = -1;
		}
	}
	probe_set_trace_end(&x->ps);
	return ret;
}

/*
 * invlab doctor's checks (no probe attached: run attaches its own), before
 * anything is written: a missing item refuses the run.
 */
static int can_run(struct run *x)
{
	const struct run_opts *o = x->o;
	struct doctor_opts d = {
		.root = "",
		.s = &x->s,
		.params = &x->params,
		.device = o->device,
		.allow_rebind = o->allow_rebind,
		.allow_knobs = o->allow_knobs,
		.out_dir = o->out,
		.device_later = true,
	};

	return doctor_gate(&d, o->suite, NULL, x->err, sizeof(x->err));
}

static int load(struct run *x)
{
	const struct run_opts *o = x->o;

	if (suite_load(invlab_top(), o->suite, &x->s, x->err, sizeof(x->err)))
		return -1;
	x->w = x->s.workload;
	if (o->runtime)
		x->s.runtime_s = o->runtime;
	if (o->repetitions)
		x->s.repetitions = o->repetitions;
	if (matrix_parse_combination(&x->s.matrix, o->params, &x->params,
				     x->err, sizeof(x->err)))
		return -1;
	if (can_run(x))
		return -1;
	if (mkdir_p(o->out, 0755))
		return seterr(x->err, sizeof(x->err), "cannot create %s: %s",
			      o->out, strerror(errno));
	return 0;
}

/* What the workload sees of this run (workloads/workload.h). */
static void workload_run_init(struct run *x)
{
	const char *rebind = x->o->allow_rebind;
	struct workload_run *r = &x->r;

	r->opts = x->s.workload_opts;
	r->params = &x->params;
	r->device = x->o->device ? x->o->device : x->s.device;
	r->nvme = &x->nvme;
	r->out = x->o->out;
	r->top = invlab_top();
	r->runtime_s = x->s.runtime_s;
	r->repetitions = x->s.repetitions;
	r->warmup = x->s.warmup;
	/* a QEMU lab guest: everything in it is disposable */
	r->lab_guest = doctor_lab_guest("");
	/* the device moves to another driver only in a lab guest or when
	 * the user named it with --allow-rebind
	 */
	r->may_rebind = r->lab_guest || (rebind && !strcmp(rebind, r->device));
	r->intremap = json_path_str(x->doc, "context.iommu.interrupt_remapping",
				    "unknown");
	r->icount = !strcmp(json_path_str(x->doc, "context.lab.timing.mode",
					  "wall"),
			    "icount");
	r->ns_unit = r->icount ? "insn" : "ns";
	r->probes = &x->ps;
	r->workload = json_object_object_get(x->doc, "workload");
	r->interrupted = &interrupted;
}

/*
 * Everything from the result's first write to its last: 0, or the exit
 * status of a failure (the result says why).
 */
static int run_cell(struct run *x)
{
	int ret;

	x->doc = doc_new(x);
	workload_run_init(x);
	/* at once: a result.json says the run started (a lab host tries
	 * again only a boot that never got here)
	 */
	result_write(x->doc, x->path);
	say("suite %s on kernel %s", x->s.name,
	    json_path_str(x->doc, "context.kernel.release", "unknown"));
	load_modules(&x->s.modules);
	if (knobs_apply(&x->knobs, &x->params, x->r.lab_guest,
			x->o->allow_knobs,
			json_object_object_get(x->doc, "context"), x->err,
			sizeof(x->err)))
		return 1;
	if (find_device(x, x->r.workload))
		return 1;
	if (x->s.neighbour_job) {
		if (resolve_nvme(x->s.neighbour_device, &x->nb.dev, x->err,
				 sizeof(x->err)))
			return 1;
		neighbour_init(&x->nb, &x->s, x->o->out, x->r.workload);
		say("neighbour: fio %s on %s (PCI %s), from %ld ms before each window to its end",
		    x->s.neighbour_job, x->nb.dev.node, x->nb.dev.pci,
		    x->s.neighbour_ramp_ms);
	}
	if (x->w->describe && x->w->describe(&x->r, x->err, sizeof(x->err)))
		return 2;
	if (run_checks(x))
		return 1;
	ret = attach_probes(x);
	if (ret)
		return ret == -EINVAL ? 2 : 1;
	return measure(x) ? 1 : 0;
}

int run_suite(const struct run_opts *o)
{
	struct run *x = xcalloc(1, sizeof(*x));
	int ret;

	x->o = o;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (load(x)) {
		errorf("%s", x->err);
		ret = 2;
		goto out;
	}
	x->path = xasprintf("%s/result.json", o->out);
	ret = run_cell(x);
	knobs_restore(&x->knobs);
	if (!ret) {
		ret = finish(x, "complete", NULL) ? 2 : 0;
		say("result: %s", x->path);
	} else {
		errorf("%s", x->err);
		finish(x, interrupted ? "incomplete" : "failed", x->err);
	}
out:
	json_object_put(x->doc);
	free(x->path);
	free(x->r.priv);
	strv_free(&x->params);
	suite_free(&x->s);
	free(x);
	return ret;
}
