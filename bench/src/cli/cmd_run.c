// SPDX-License-Identifier: GPL-2.0
/*
 * invlab run: execute a suite's workload on this machine (a lab guest or a
 * real AMD host) with the probes attached, one measurement window per
 * repetition, and write result.json. The result is rewritten atomically
 * after every window, "incomplete" until the last one, so an interrupted
 * run keeps every finished window and never looks complete.
 */
#include <argp.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf/cmdq_probe.h"
#include "commands.h"
#include "run/context.h"
#include "workloads/fio/fio.h"
#include "bpf/fanout_probe.h"
#include "run/kcheck.h"
#include "bpf/seed_paths.h"
#include "run/nvme_dev.h"
#include "lib/result.h"
#include "bpf/fallback_probe.h"
#include "bpf/iommu_pmu.h"
#include "bpf/perf_record.h"
#include "run/run_driver.h"
#include "bpf/seed_probe.h"
#include "run/suite.h"
#include "lib/util.h"

struct run_opts {
	const char *suite;
	const char *out;
	const char *lab_context;
	const char *device;
	long runtime;
	long repetitions;
	const char *allow_rebind;
	const char *params;
};

static const struct argp_option run_options[] = {
	{ "suite", 's', "NAME", 0,
	  "Suite to run (bench/suites/NAME.conf or a path)", 0 },
	{ "out", 'o', "DIR", 0, "Directory for result.json and raw outputs",
	  0 },
	{ "lab-context", 'l', "FILE", 0,
	  "Lab context written by the host (QEMU lab only)", 0 },
	{ "device", 'd', "DEV", 0,
	  "Override the suite's device (serial:NAME or /dev/nvmeXnY)", 0 },
	{ "runtime", 't', "SECONDS", 0, "Override the workload runtime", 0 },
	{ "repetitions", 'r', "N", 0, "Override the number of windows", 0 },
	{ "params", 'P', "NAME=VALUE,...", 0,
	  "The [matrix] point to run (one value of each swept parameter)", 0 },
	{ "allow-rebind", 'B', "PCI", 0,
	  "Let the suite's checks move this device (0000:00:05.0) to vfio-pci; implied in a lab guest",
	  0 },
	{ 0 }
};

static long parse_pos(const char *arg, struct argp_state *state)
{
	char *end;
	long n = strtol(arg, &end, 10);

	if (*end || n <= 0)
		argp_error(state, "'%s' is not a positive whole number", arg);
	return n;
}

static error_t run_parse(int key, char *arg, struct argp_state *state)
{
	struct run_opts *o = state->input;

	switch (key) {
	case 's': o->suite = arg; break;
	case 'o': o->out = arg; break;
	case 'l': o->lab_context = arg; break;
	case 'd': o->device = arg; break;
	case 't': o->runtime = parse_pos(arg, state); break;
	case 'r': o->repetitions = parse_pos(arg, state); break;
	case 'B': o->allow_rebind = arg; break;
	case 'P': o->params = arg; break;
	case ARGP_KEY_END:
		if (!o->suite || !o->out)
			argp_error(state, "--suite and --out are required");
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static volatile int interrupted; /* set by on_signal */

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void load_modules(const struct strv *modules)
{
	for (size_t i = 0; i < modules->n; i++) {
		char *mod_dir = xasprintf("/sys/module/%s", modules->v[i]);

		if (!path_exists(mod_dir) &&
		    run_cmd((char *const[]){ "modprobe", modules->v[i], NULL },
			    NULL))
			say("modprobe %s failed; going on in case it is built in",
			    modules->v[i]);
		free(mod_dir);
	}
}

/* Wait for the device node to appear: nvme probes asynchronously. */
static int resolve_device(const char *spec, struct nvme_dev *dev, char *err,
			  size_t len)
{
	for (int tries = 0; tries < 100; tries++) {
		if (nvme_dev_resolve("/sys", spec, dev, err, len) == 0 &&
		    path_exists(dev->node))
			return 0;
		usleep(100000);
	}
	if (!err[0])
		seterr(err, len, "device %s did not appear", spec);
	return -1;
}

static json_object *device_json(const struct nvme_dev *d)
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

/* the seed paths' measure functions, over the whole run */
static struct seed_probe seeds;

static int finish(json_object *doc, const char *path, const char *status,
		  const char *error)
{
	char now[32];
	int ret;

	/* the run's totals, whatever ended it */
	seed_probe_finish(&seeds, json_object_object_get(
					  json_object_object_get(doc, "probes"),
					  "seed_paths"));
	iso8601_now(now, sizeof(now));
	json_object_object_add(doc, "status", json_object_new_string(status));
	json_object_object_add(doc, "error",
			       error ? json_object_new_string(error) : NULL);
	json_object_object_add(doc, "finished", json_object_new_string(now));
	ret = result_write(doc, path);
	if (ret)
		errorf("cannot write %s: %s", path, strerror(-ret));
	return ret;
}

/*
 * The AMD IOMMU PMU's events, counted by perf stat around each fio window
 * when the host has the PMU and perf (pmu.events is empty otherwise).
 */
static struct iommu_pmu pmu;
/*
 * Where the kernel has no lab tracepoints: fan-out per invalidation from
 * entry/exit probes on the enclosing functions (bpf/fnfan-fallback.conf).
 */
static struct fallback_probe fallback;

/* Run the suite's fio job into fio_json; *secs is how long it took. */
static int run_fio(const struct suite *s, const struct nvme_dev *dev,
		   long runtime, const char *fio_json, double *secs, char *err,
		   size_t len)
{
	double t0 = monotonic_s();

	if (fio_run(s->job_path, dev->node, dev->generic, runtime, fio_json,
		    err, len))
		return -1;
	*secs = monotonic_s() - t0;
	return 0;
}

/*
 * Parse fio_json into m and start a sample with what every window has:
 * repetition, window_s, fio_output, workload. NULL with err on failure.
 */
static json_object *fio_sample(int rep, double secs, const char *fio_json,
			       struct fio_metrics *m, char *err, size_t len)
{
	char *text = read_file(fio_json, NULL);
	json_object *sample;

	if (!text) {
		seterr(err, len, "fio wrote no %s", fio_json);
		return NULL;
	}
	if (fio_parse_json(text, "read", m, err, len)) {
		free(text);
		return NULL;
	}
	free(text);
	sample = json_object_new_object();
	json_object_object_add(sample, "repetition", json_object_new_int(rep));
	json_object_object_add(sample, "window_s",
			       json_object_new_double(secs));
	json_object_object_add(
		sample, "fio_output",
		json_object_new_string(strrchr(fio_json, '/') + 1));
	json_object_object_add(sample, "workload", result_fio_json(m));
	return sample;
}

/* One window: snapshot, run fio, snapshot; adds a sample to samples. */
static int window(struct cmdq_probe *probe, struct fanout_probe *fan,
		  const struct suite *s, const struct nvme_dev *dev,
		  long runtime, const char *out, int rep, json_object *samples,
		  char *err, size_t len)
{
	struct cmdq_counts before, after, delta;
	struct fanout_totals fan_before, fan_after, fan_delta;
	struct fnfan_totals fb_before, fb_after, fb_delta;
	struct fio_metrics m;
	char *fio_json = xasprintf("%s/fio-%d.json", out, rep);
	char *perf_csv = NULL;
	json_object *sample, *perf = NULL;
	pid_t perf_pid = -1;
	double secs;
	int ret = -1;

	if (fanout_probe_read(fan, &fan_before) ||
	    fallback_probe_read(&fallback, &fb_before) ||
	    cmdq_probe_read(probe, &before)) {
		free(fio_json);
		return seterr(err, len, "cannot read the probes' maps");
	}
	if (pmu.events.n) {
		perf_csv = xasprintf("%s/perf-stat-%d.csv", out, rep);
		perf_pid = iommu_pmu_stat_start(&pmu, perf_csv, err, len);
	}
	if (run_fio(s, dev, runtime, fio_json, &secs, err, len)) {
		iommu_pmu_stat_stop(perf_pid);
		cmdq_counts_free(&before);
		free(fio_json);
		free(perf_csv);
		return -1;
	}
	if (perf_pid > 0 && iommu_pmu_stat_stop(perf_pid) == 0) {
		char *text = read_file(perf_csv, NULL), e[ERRLEN];

		perf = text ? iommu_pmu_parse_csv(text, e, sizeof(e)) : NULL;
		free(text);
	}
	if (cmdq_probe_read(probe, &after) ||
	    fallback_probe_read(&fallback, &fb_after) ||
	    fanout_probe_read(fan, &fan_after)) {
		seterr(err, len, "cannot read the probes' maps");
		goto out_before;
	}
	fanout_totals_delta(&fan_before, &fan_after, &fan_delta);
	fnfan_totals_delta(&fb_before, &fb_after, &fb_delta);
	if (cmdq_counts_delta(&before, &after, &delta)) {
		seterr(err, len, "out of memory");
		goto out_after;
	}
	sample = fio_sample(rep, secs, fio_json, &m, err, len);
	if (!sample)
		goto out_delta;
	json_object_object_add(sample, "commands", result_counts_json(&delta));
	json_object_object_add(sample, "fanout",
			       fan->present ? fanout_totals_json(&fan_delta) :
					      NULL);
	json_object_object_add(sample, "fnfan",
			       fallback_probe_sample(&fallback, &fb_delta));
	/* null: not counted (no PMU, or perf failed: see probes.perf) */
	json_object_object_add(sample, "perf", perf);
	perf = NULL;
	json_object_array_add(samples, sample);
	say("window %d/%ld: %.0f IOPS, %llu reads, %llu IOMMU commands (%.2f per read)",
	    rep, s->repetitions, m.iops, (unsigned long long)m.total_ios,
	    (unsigned long long)cmdq_counts_total(&delta),
	    (double)cmdq_counts_total(&delta) / (double)m.total_ios);
	ret = 0;
out_delta:
	cmdq_counts_free(&delta);
out_after:
	cmdq_counts_free(&after);
out_before:
	cmdq_counts_free(&before);
	free(fio_json);
	free(perf_csv);
	json_object_put(perf);
	return ret;
}

/*
 * probes.perf: the AMD IOMMU PMU units and events this host has, or why
 * nothing is counted. perf itself must run: a PMU without perf is said.
 */
static void pmu_setup(json_object *probes)
{
	json_object *o = json_object_new_object();
	char *wanted =
		xasprintf("%s/bench/perf/amd_iommu.events", invlab_top());
	char err[ERRLEN];

	if (iommu_pmu_find("/sys", wanted, &pmu, err, sizeof(err)))
		snprintf(pmu.why, sizeof(pmu.why), "%s", err);
	else if (pmu.events.n &&
		 run_cmd((char *const[]){ "perf", "--version", NULL }, NULL)) {
		strv_free(&pmu.events);
		snprintf(
			pmu.why, sizeof(pmu.why),
			"the host has the amd_iommu PMU but perf does not run (install linux-perf)");
	}
	free(wanted);
	json_object_object_add(o, "units", strv_json(&pmu.units));
	json_object_object_add(o, "events", strv_json(&pmu.events));
	json_object_object_add(o, "skipped", strv_json(&pmu.skipped));
	json_object_object_add(
		o, "note", pmu.why[0] ? json_object_new_string(pmu.why) : NULL);
	json_object_object_add(probes, "perf", o);
	say("perf: %s", pmu.events.n ?
				"perf stat of the amd_iommu PMU per window" :
				pmu.why);
}

/* A QEMU lab guest: everything in it is disposable. */
static bool in_lab_guest(void)
{
	char *c = read_line("/proc/cmdline");
	bool lab = c && strstr(c, "invlab.top=");

	free(c);
	return lab;
}

/* The suite's [checks], before the workload; a failed check fails the run. */
static int run_checks(const struct suite *s, const struct run_opts *o,
		      const struct nvme_dev *dev, json_object *doc,
		      const char *path, char *err, size_t len)
{
	struct kcheck_opts k = {
		.tracepoints = s->check_tracepoints,
		.read_node = dev->node,
		.reads = s->check_reads,
		.intremap = s->check_intremap,
		.nest_parent_pci = s->check_nest_parent,
	};
	json_object *r, *c;

	if (!k.tracepoints && !k.intremap && !k.nest_parent_pci)
		return 0;
	k.may_rebind = in_lab_guest() ||
		       (o->allow_rebind && k.nest_parent_pci &&
			!strcmp(o->allow_rebind, k.nest_parent_pci));
	r = kcheck_run(&k, json_object_object_get(doc, "context"));
	json_object_object_add(doc, "checks", r);
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
	result_write(doc, path);
	if (!json_object_get_boolean(json_object_object_get(r, "ok")))
		return seterr(err, len,
			      "kernel checks failed (see checks in %s)", path);
	return 0;
}

/*
 * [probes] trace = yes: the per-event trace runs from attach to the end of
 * the last window, into OUT/fanout-events.jsonl: one line per invalidation
 * from the lab tracepoints, or per call of the enclosing functions from
 * the fnfan fallback on kernels without them.
 */
/* [probes] perf_record = yes: for the whole run, like the trace. */
static struct perf_record recording;

static int trace_begin(struct fanout_probe *fan, const struct suite *s,
		       const char *out, char *err, size_t len)
{
	char *path;
	int ret;

	if (s->perf_record) {
		if (perf_record_start(&recording, out, err, len))
			return -1;
		say("perf record: recording (perf was ready after %.1f s)",
		    recording.ready_s);
	}
	if (!s->trace_events || (!fan->present && !fallback.present))
		return 0;
	path = xasprintf("%s/fanout-events.jsonl", out);
	/* stock kernels: the fallback's calls, one line each */
	ret = fan->present ?
		      fanout_probe_trace_start(fan, path, err, len) :
		      fallback_probe_trace_start(&fallback, path, err, len);
	free(path);
	if (ret && s->perf_record)
		json_object_put(perf_record_stop(&recording));
	return ret;
}

/*
 * A trace's result: the file, events written and dropped, or why the file
 * is not whole (stop_ret != 0).
 */
static json_object *trace_json(int stop_ret, unsigned long long written,
			       unsigned long long dropped, const char *who)
{
	json_object *t = json_object_new_object();

	if (stop_ret) {
		json_object_object_add(
			t, "error",
			json_object_new_string(
				"the trace file could not be written completely"));
		return t;
	}
	json_object_object_add(t, "file",
			       json_object_new_string("fanout-events.jsonl"));
	json_object_object_add(t, "events",
			       json_object_new_int64((int64_t)written));
	json_object_object_add(t, "dropped",
			       json_object_new_int64((int64_t)dropped));
	say("%s trace: %llu records in fanout-events.jsonl, %llu dropped", who,
	    written, dropped);
	return t;
}

static void trace_end(struct fanout_probe *fan, const struct suite *s,
		      json_object *probes)
{
	unsigned long long written = 0, dropped = 0;
	json_object *t;
	int ret;

	if (s->perf_record) {
		json_object *r = perf_record_stop(&recording);

		say("perf record: %s",
		    json_object_object_get(r, "error") ?
			    json_object_get_string(
				    json_object_object_get(r, "error")) :
			    "perf.data written");
		json_object_object_add(probes, "perf_record", r);
	}
	if (!s->trace_events)
		return;
	if (fan->present) {
		ret = fanout_probe_trace_stop(fan, &written, &dropped);
		t = trace_json(ret, written, dropped, "fanout");
	} else {
		t = json_object_new_object();
		json_object_object_add(
			t, "note",
			json_object_new_string(
				fallback.present ?
					"not traced by tracepoints (this kernel has none): the fnfan fallback traced its calls, see probes.fnfan.trace" :
					"not traced: this kernel has no amd_iommu tracepoints and no fan-out fallback"));
	}
	if (!fan->present && fallback.present) {
		/* probes.fnfan.trace: the stock-kernel trace, a line per call */
		ret = fallback_probe_trace_stop(&fallback, &written, &dropped);
		json_object_object_add(
			json_object_object_get(probes, "fnfan"), "trace",
			trace_json(ret, written, dropped, "fnfan"));
	}
	json_object_object_add(json_object_object_get(probes, "fanout"),
			       "trace", t);
}

static void detach_probes(struct cmdq_probe *probe, struct fanout_probe *fan)
{
	cmdq_probe_detach(probe);
	fanout_probe_detach(fan);
	fallback_probe_detach(&fallback);
}

/*
 * Attach the cmdq and fanout probes and, when probes is not NULL, record
 * how. On failure nothing stays attached.
 */
static int attach_probes(struct cmdq_probe *probe, struct fanout_probe *fan,
			 const struct suite *s, json_object *probes, char *err,
			 size_t len)
{
	/*
	 * auto: one program per command. On the lab kernel the fanout
	 * probe's tracepoint program counts for cmdq; on stock kernels the
	 * fnfan fallback's command hook does.
	 */
	bool share = !strcmp(s->cmdq_mechanism, "auto");
	/* fio windows read it; driver workloads probe what they need */
	bool want_fallback = !s->driver && s->fallback_fanout;

	memset(&fallback, 0, sizeof(fallback));
	if (fanout_probe_attach(fan, s->trace_events, share, err, len))
		return -1;
	if (!fan->present && !s->driver && !s->fallback_fanout)
		snprintf(fallback.why, sizeof(fallback.why),
			 "off: the suite says [probes] fallback = no");
	if (!fan->present && want_fallback) {
		struct fnfan_opts opts = { .count_cmds = share,
					   .time_cmds = s->queue_wait_time,
					   .trace = s->trace_events };
		char *conf =
			xasprintf("%s/bpf/fnfan-fallback.conf", invlab_top());
		int ret = fallback_probe_attach(
			&fallback, conf, "/proc/kallsyms", &opts, err, len);

		free(conf);
		if (ret) {
			fanout_probe_detach(fan);
			return -1;
		}
	}
	if (share && fan->present) {
		cmdq_probe_share(probe, fan);
	} else if (share && fallback.present && fallback.fn.cmd_exact) {
		cmdq_probe_share_fnfan(probe, &fallback.fn);
	} else if (cmdq_probe_attach(probe, "/proc/kallsyms", s->cmdq_mechanism,
				     s->queue_wait_time, err, len)) {
		fallback_probe_detach(&fallback);
		fanout_probe_detach(fan);
		return -1;
	}
	cmdq_probe_watch_log(probe, "/dev/kmsg");
	if (!probes)
		return 0;
	if (!fan->present && !s->driver)
		json_object_object_add(probes, "fnfan",
				       fallback_probe_json(&fallback));
	{
		json_object *p = json_object_new_object();

		json_object_object_add(p, "symbol",
				       json_object_new_string(probe->symbol));
		json_object_object_add(
			p, "mechanism",
			json_object_new_string(probe->mechanism));
		json_object_object_add(
			p, "fentry_error",
			probe->fentry_error[0] ?
				json_object_new_string(probe->fentry_error) :
				NULL);
		json_object_object_add(
			p, "queue_waits",
			json_object_new_string(probe->waits_how));
		json_object_object_add(
			p, "timeouts",
			json_object_new_string(probe->timeouts_how));
		json_object_object_add(probes, "cmdq", p);
		p = json_object_new_object();
		json_object_object_add(p, "present",
				       json_object_new_boolean(fan->present));
		json_object_object_add(
			p, "mechanism",
			fan->present ? json_object_new_string("tp_btf") : NULL);
		json_object_object_add(
			p, "note",
			fan->present ? NULL : json_object_new_string(fan->why));
		json_object_object_add(probes, "fanout", p);
	}
	say("cmdq probe: %s on %s%s%s", probe->mechanism, probe->symbol,
	    probe->fentry_error[0] ? "; fentry unavailable: " : "",
	    probe->fentry_error);
	say("fanout probe: %s",
	    fan->present ? "tp_btf on the amd_iommu tracepoints" : fan->why);
	if (!fan->present && !s->driver)
		say("fallback fan-out: %s",
		    fallback.present ? "fnfan on the enclosing functions" :
				       fallback.why);
	return 0;
}

/*
 * A window with every probe detached (the overhead benchmark's baseline):
 * fio only, appended to offs. The probes are attached again after it.
 */
static int off_window(struct cmdq_probe *probe, struct fanout_probe *fan,
		      const struct suite *s, const struct nvme_dev *dev,
		      const char *out, int rep, json_object *offs, char *err,
		      size_t len)
{
	char *fio_json = xasprintf("%s/fio-off-%d.json", out, rep);
	struct fio_metrics m;
	json_object *sample;
	double secs;
	int ret = -1;

	detach_probes(probe, fan);
	/* every probe: the seed paths' too */
	seed_probe_pause(&seeds);
	if (run_fio(s, dev, s->runtime_s, fio_json, &secs, err, len))
		goto out;
	sample = fio_sample(rep, secs, fio_json, &m, err, len);
	if (!sample)
		goto out;
	json_object_array_add(offs, sample);
	say("window %d/%ld, probes detached: %.0f IOPS", rep, s->repetitions,
	    m.iops);
	ret = 0;
out:
	free(fio_json);
	seed_probe_resume(&seeds, "/proc/kallsyms");
	{
		char aerr[ERRLEN] = "";

		if (attach_probes(probe, fan, s, NULL, aerr, sizeof(aerr)) &&
		    !ret) {
			seterr(err, len, "re-attaching the probes: %s", aerr);
			ret = -1;
		}
	}
	return ret;
}

/*
 * The matrix point as environment variables for the workload (fio expands
 * ${BS} in job files) and as the result's workload.params.
 */
static json_object *export_params(const struct strv *kv)
{
	json_object *o = json_object_new_object();

	for (size_t i = 0; i < kv->n; i++) {
		char *name = xstrdup(kv->v[i]), *eq = strchr(name, '=');

		*eq = '\0';
		json_object_object_add(o, name, json_object_new_string(eq + 1));
		for (char *c = name; *c; c++)
			*c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
		setenv(name, eq + 1, 1);
		free(name);
	}
	return o;
}

/* Warm-up windows: the workload runs, nothing is kept but the count. */
static int warm_up(const struct suite *s, const struct nvme_dev *dev,
		   const char *out, char *err, size_t len)
{
	for (long w = 1; w <= s->warmup && !interrupted; w++) {
		char *json = xasprintf("%s/warmup-%ld.json", out, w);
		double secs;
		int ret;

		say("warm-up window %ld/%ld (%ld s, not recorded)", w,
		    s->warmup, s->runtime_s);
		ret = run_fio(s, dev, s->runtime_s, json, &secs, err, len);
		unlink(json);
		free(json);
		if (ret)
			return -1;
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct argp argp = {
		run_options,
		run_parse,
		NULL,
		"Run a suite on this machine (a lab guest or a real host) and write its result.",
		NULL,
		NULL,
		NULL
	};
	struct suite s;
	struct nvme_dev dev;
	struct strv params = { 0 };
	struct cmdq_probe probe;
	struct fanout_probe fan = { 0 };
	json_object *overhead = NULL, *offs = NULL;
	json_object *doc, *samples, *probes, *wl;
	char err[ERRLEN] = "", now[32], *path;
	int ret;

	argp_parse(&argp, argc, argv, 0, NULL, &o);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (suite_load(invlab_top(), o.suite, &s, err, sizeof(err))) {
		errorf("%s", err);
		return 2;
	}
	if (o.runtime)
		s.runtime_s = o.runtime;
	if (o.repetitions)
		s.repetitions = o.repetitions;
	if (suite_parse_combination(&s, o.params, &params, err, sizeof(err)) ||
	    suite_pick_job(invlab_top(), &s, &params, err, sizeof(err))) {
		errorf("%s", err);
		suite_free(&s);
		return 2;
	}
	if (mkdir_p(o.out, 0755)) {
		errorf("cannot create %s: %s", o.out, strerror(errno));
		suite_free(&s);
		return 2;
	}
	path = xasprintf("%s/result.json", o.out);
	iso8601_now(now, sizeof(now));
	doc = json_object_new_object();
	json_object_object_add(doc, "schema",
			       json_object_new_string(RESULT_SCHEMA));
	json_object_object_add(doc, "version",
			       json_object_new_int(RESULT_VERSION));
	json_object_object_add(doc, "suite", json_object_new_string(s.name));
	json_object_object_add(doc, "status",
			       json_object_new_string("incomplete"));
	json_object_object_add(doc, "error", NULL);
	json_object_object_add(doc, "started", json_object_new_string(now));
	json_object_object_add(doc, "finished", NULL);
	json_object_object_add(doc, "context", context_collect(o.lab_context));
	probes = json_object_new_object();
	json_object_object_add(doc, "probes", probes);
	wl = json_object_new_object();
	json_object_object_add(wl, "type", json_object_new_string(s.workload));
	json_object_object_add(wl, "job",
			       s.job ? json_object_new_string(s.job) : NULL);
	json_object_object_add(wl, "runtime_s",
			       json_object_new_int64(s.runtime_s));
	json_object_object_add(wl, "repetitions",
			       json_object_new_int64(s.repetitions));
	json_object_object_add(wl, "warmup_windows",
			       json_object_new_int64(s.warmup));
	json_object_object_add(wl, "params", export_params(&params));
	json_object_object_add(doc, "workload", wl);
	samples = json_object_new_array();
	json_object_object_add(doc, "samples", samples);

	say("suite %s on kernel %s", s.name,
	    json_object_get_string(json_object_object_get(
		    json_object_object_get(
			    json_object_object_get(doc, "context"), "kernel"),
		    "release")));
	load_modules(&s.modules);
	memset(&dev, 0, sizeof(dev));
	if (s.driver) {
		json_object *d = json_object_new_object();

		json_object_object_add(d, s.driver->pci_device ? "pci" : "name",
				       json_object_new_string(s.device));
		json_object_object_add(wl, "device", d);
		s.driver->describe(&s, wl);
	} else {
		if (resolve_device(o.device ? o.device : s.device, &dev, err,
				   sizeof(err))) {
			ret = 1;
			goto fail;
		}
		json_object_object_add(wl, "device", device_json(&dev));
		say("device %s (%s, PCI %s, IOMMU domain type %s)", dev.node,
		    dev.serial, dev.pci, dev.iommu_group_type);
	}
	if (run_checks(&s, &o, &dev, doc, path, err, sizeof(err))) {
		ret = 1;
		goto fail;
	}

	{
		char *conf = xasprintf("%s/bpf/seed-paths.conf", invlab_top());
		json_object *sp = seed_paths_detect(conf, "/proc/kallsyms", err,
						    sizeof(err));

		free(conf);
		if (!sp) {
			ret = 2;
			goto fail;
		}
		json_object_object_add(probes, "seed_paths", sp);
		seed_probe_attach(&seeds, sp, "/proc/kallsyms");
	}
	if (attach_probes(&probe, &fan, &s, probes, err, sizeof(err))) {
		ret = 1;
		goto fail;
	}
	pmu_setup(probes);
	if (trace_begin(&fan, &s, o.out, err, sizeof(err))) {
		detach_probes(&probe, &fan);
		ret = 1;
		goto fail;
	}
	if (s.driver) {
		/* the device moves to another driver only in a lab guest or
		 * when the user named it with --allow-rebind
		 */
		struct driver_run r = {
			.s = &s,
			.params = &params,
			.may_rebind = in_lab_guest() ||
				      (o.allow_rebind &&
				       !strcmp(o.allow_rebind, s.device)),
			.probe = &probe,
			.fan = &fan,
			.doc = doc,
			.path = path,
			.out = o.out,
			.interrupted = &interrupted,
		};

		ret = driver_windows(&r, err, sizeof(err));
		trace_end(&fan, &s, probes);
		detach_probes(&probe, &fan);
		if (ret) {
			ret = 1;
			goto fail;
		}
		ret = finish(doc, path, "complete", NULL) ? 2 : 0;
		say("result: %s", path);
		goto out;
	}
	if (s.overhead) {
		overhead = json_object_new_object();
		offs = json_object_new_array();
		json_object_object_add(overhead, "order",
				       json_object_new_string("alternating"));
		json_object_object_add(overhead, "off", offs);
		json_object_object_add(doc, "overhead", overhead);
	}

	if (warm_up(&s, &dev, o.out, err, sizeof(err))) {
		ret = 1;
		goto fail;
	}
	for (int rep = 1; rep <= s.repetitions; rep++) {
		/* Overhead pairs alternate off-on and on-off against drift. */
		bool off_first = s.overhead && rep % 2 == 0;

		if (interrupted) {
			seterr(err, sizeof(err),
			       "interrupted after %d of %ld windows", rep - 1,
			       s.repetitions);
			break;
		}
		if (off_first && off_window(&probe, &fan, &s, &dev, o.out, rep,
					    offs, err, sizeof(err)))
			break;
		if (window(&probe, &fan, &s, &dev, s.runtime_s, o.out, rep,
			   samples, err, sizeof(err)))
			break;
		if (s.overhead && !off_first &&
		    off_window(&probe, &fan, &s, &dev, o.out, rep, offs, err,
			       sizeof(err)))
			break;
		/* Keep what is done: a crash from here on loses one window. */
		result_write(doc, path);
	}
	trace_end(&fan, &s, probes);
	detach_probes(&probe, &fan);
	if (err[0]) {
		ret = 1;
		goto fail;
	}
	ret = finish(doc, path, "complete", NULL) ? 2 : 0;
	say("result: %s", path);
	goto out;
fail:
	/* a run that failed between trace_begin and trace_end */
	if (recording.pid > 0)
		json_object_put(perf_record_stop(&recording));
	errorf("%s", err);
	finish(doc, path, interrupted ? "incomplete" : "failed", err);
out:
	json_object_put(doc);
	free(path);
	strv_free(&params);
	suite_free(&s);
	return ret;
}
