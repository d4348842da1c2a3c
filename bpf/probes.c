// SPDX-License-Identifier: GPL-2.0
#include "probes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/json_util.h"
#include "lib/util.h"
#include "seed_paths.h"

/*
 * Attach cmdq, fanout and the fallback. auto: one program per command. On
 * the lab kernel the fanout probe's tracepoint program counts for cmdq; on
 * stock kernels the fallback's command hook does. On failure nothing stays
 * attached.
 */
static int attach_counters(struct probe_set *ps, char *err, size_t len)
{
	const struct probe_opts *o = &ps->o;
	bool share = !strcmp(o->cmdq, "auto");
	unsigned int ids = cmdq_id_opcodes(o->domain_ids);
	struct fanout_opts fan = { .trace = o->trace,
				   .count_cmds = share,
				   .time_waits = o->queue_wait_time,
				   .id_opcodes = ids };

	memset(&ps->fallback, 0, sizeof(ps->fallback));
	if (fanout_probe_attach(&ps->fan, &fan, err, len))
		return -1;
	if (!ps->fan.present && o->fallback == PROBE_FALLBACK_OFF)
		snprintf(ps->fallback.why, sizeof(ps->fallback.why),
			 "off: the suite says [probes] fallback = no");
	if (!ps->fan.present && o->fallback == PROBE_FALLBACK_ON) {
		struct fnfan_opts fo = { .count_cmds = share,
					 .time_cmds = o->queue_wait_time,
					 .trace = o->trace,
					 .cmd_hook = true,
					 .id_opcodes = ids };
		char *conf = xasprintf("%s/bpf/fnfan-fallback.conf", o->top);
		int ret = fallback_probe_attach(&ps->fallback, conf,
						o->kallsyms, &fo, err, len);

		free(conf);
		if (ret) {
			fanout_probe_detach(&ps->fan);
			return -1;
		}
	}
	if (share && ps->fan.present) {
		cmdq_probe_share(&ps->cmdq, &ps->fan);
	} else if (share && ps->fallback.present && ps->fallback.fn.cmd_exact) {
		cmdq_probe_share_fnfan(&ps->cmdq, &ps->fallback.fn);
	} else if (cmdq_probe_attach(&ps->cmdq, o->kallsyms, o->cmdq,
				     o->queue_wait_time, ids, err, len)) {
		fallback_probe_detach(&ps->fallback);
		fanout_probe_detach(&ps->fan);
		return -1;
	}
	cmdq_probe_watch_log(&ps->cmdq, "/dev/kmsg");
	return 0;
}

static void detach_counters(struct probe_set *ps)
{
	cmdq_probe_detach(&ps->cmdq);
	fanout_probe_detach(&ps->fan);
	fallback_probe_detach(&ps->fallback);
}

static void record_counters(struct probe_set *ps)
{
	const struct cmdq_probe *c = &ps->cmdq;
	json_object *p = json_object_new_object();

	if (!ps->fan.present && ps->o.fallback != PROBE_FALLBACK_UNUSED)
		json_object_object_add(ps->json, "fnfan",
				       fallback_probe_json(&ps->fallback));
	json_object_object_add(p, "symbol", json_object_new_string(c->symbol));
	json_object_object_add(p, "mechanism",
			       json_object_new_string(c->mechanism));
	json_object_object_add(p, "fentry_error",
			       c->fentry_error[0] ?
				       json_object_new_string(c->fentry_error) :
				       NULL);
	json_object_object_add(p, "queue_waits",
			       json_object_new_string(c->waits_how));
	json_object_object_add(p, "timeouts",
			       json_object_new_string(c->timeouts_how));
	json_object_object_add(ps->json, "cmdq", p);
	p = json_object_new_object();
	json_object_object_add(p, "present",
			       json_object_new_boolean(ps->fan.present));
	json_object_object_add(
		p, "mechanism",
		ps->fan.present ? json_object_new_string("tp_btf") : NULL);
	json_object_object_add(
		p, "command_hook",
		ps->fan.present ? json_object_new_string(ps->fan.cmd_hook) :
				  NULL);
	json_object_object_add(
		p, "note",
		ps->fan.present ? NULL : json_object_new_string(ps->fan.why));
	json_object_object_add(ps->json, "fanout", p);
	say("cmdq probe: %s on %s%s%s", c->mechanism, c->symbol,
	    c->fentry_error[0] ? "; fentry unavailable: " : "",
	    c->fentry_error);
	if (ps->fan.present)
		say("fanout probe: tp_btf on the amd_iommu tracepoints, each command by %s",
		    ps->fan.cmd_hook);
	else
		say("fanout probe: %s", ps->fan.why);
	if (!ps->fan.present && ps->o.fallback != PROBE_FALLBACK_UNUSED)
		say("fallback fan-out: %s",
		    ps->fallback.present ? "fnfan on the enclosing functions" :
					   ps->fallback.why);
}

/*
 * probes.perf: the AMD IOMMU PMU units and events this host has, or why
 * nothing is counted. perf itself must run: a PMU without perf is said.
 */
static void pmu_setup(struct probe_set *ps)
{
	struct iommu_pmu *pmu = &ps->pmu;
	json_object *o = json_object_new_object();
	char *wanted = xasprintf("%s/bench/perf/amd_iommu.events", ps->o.top);
	char err[ERRLEN];

	if (iommu_pmu_find("/sys", wanted, pmu, err, sizeof(err)))
		snprintf(pmu->why, sizeof(pmu->why), "%s", err);
	else if (pmu->events.n &&
		 run_cmd((char *const[]){ "perf", "--version", NULL }, NULL)) {
		strv_free(&pmu->events);
		snprintf(
			pmu->why, sizeof(pmu->why),
			"the host has the amd_iommu PMU but perf does not run (install linux-perf)");
	}
	free(wanted);
	json_object_object_add(o, "units", json_strv(&pmu->units));
	json_object_object_add(o, "events", json_strv(&pmu->events));
	json_object_object_add(o, "skipped", json_strv(&pmu->skipped));
	json_object_object_add(o, "note",
			       pmu->why[0] ? json_object_new_string(pmu->why) :
					     NULL);
	json_object_object_add(ps->json, "perf", o);
	say("perf: %s", pmu->events.n ?
				"perf stat of the amd_iommu PMU per window" :
				pmu->why);
}

int probe_set_attach(struct probe_set *ps, const struct probe_opts *o,
		     json_object *probes, char *err, size_t len)
{
	char *conf = xasprintf("%s/bpf/seed-paths.conf", o->top);
	json_object *sp;

	memset(ps, 0, sizeof(*ps));
	ps->o = *o;
	ps->json = probes;
	sp = seed_paths_detect(conf, o->kallsyms, err, len);
	free(conf);
	if (!sp)
		return -EINVAL;
	json_object_object_add(probes, "seed_paths", sp);
	seed_probe_attach(&ps->seeds, sp, o->kallsyms);
	ps->seeds_attached = true;
	if (attach_counters(ps, err, len)) {
		probe_set_finish(ps);
		return -ENODEV;
	}
	ps->attached = true;
	record_counters(ps);
	pmu_setup(ps);
	return 0;
}

json_object *probe_set_fanout_json(const struct probe_set *ps,
				   const struct fanout_totals *t)
{
	return ps->fan.present ? fanout_totals_json(t, ps->fan.waits_timed) :
				 NULL;
}

/* The watched functions: calls, latency and the commands inside. */
static int watch_attach(struct probe_set *ps, const char *const *names,
			size_t n, char *err, size_t len)
{
	struct fnfan_opts o = { .cmd_hook = true };

	return fnfan_probe_attach_opts(&ps->watch, ps->o.kallsyms, names, n, &o,
				       err, len);
}

int probe_set_watch(struct probe_set *ps, const char *const *names, size_t n,
		    char *err, size_t len)
{
	if (n > FNFAN_MAX_FNS)
		return seterr(err, len, "at most %d functions can be watched",
			      FNFAN_MAX_FNS);
	if (watch_attach(ps, names, n, err, len))
		return -1;
	ps->nr_watch = n;
	for (size_t i = 0; i < n; i++)
		snprintf(ps->watch_names[i], sizeof(ps->watch_names[i]), "%s",
			 names[i]);
	return 0;
}

int probe_set_trace_begin(struct probe_set *ps, const char *out_dir, char *err,
			  size_t len)
{
	char *path;
	int ret;

	if (ps->o.perf_record) {
		if (perf_record_start(&ps->rec, out_dir, err, len))
			return -1;
		say("perf record: recording (perf was ready after %.1f s)",
		    ps->rec.ready_s);
	}
	ps->tracing = true;
	if (!ps->o.trace || (!ps->fan.present && !ps->fallback.present))
		return 0;
	path = xasprintf("%s/fanout-events.jsonl", out_dir);
	/* stock kernels: the fallback's calls, one line each */
	ret = ps->fan.present ?
		      fanout_probe_trace_start(&ps->fan, path, err, len) :
		      fallback_probe_trace_start(&ps->fallback, path, err, len);
	free(path);
	if (ret) {
		if (ps->o.perf_record)
			json_object_put(perf_record_stop(&ps->rec));
		ps->tracing = false;
	}
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

void probe_set_trace_end(struct probe_set *ps)
{
	unsigned long long written = 0, dropped = 0;
	json_object *t;
	int ret;

	if (!ps->tracing)
		return;
	ps->tracing = false;
	if (ps->o.perf_record) {
		json_object *r = perf_record_stop(&ps->rec);

		say("perf record: %s",
		    json_object_object_get(r, "error") ?
			    json_object_get_string(
				    json_object_object_get(r, "error")) :
			    "perf.data written");
		json_object_object_add(ps->json, "perf_record", r);
	}
	if (!ps->o.trace)
		return;
	if (ps->fan.present) {
		ret = fanout_probe_trace_stop(&ps->fan, &written, &dropped);
		t = trace_json(ret, written, dropped, "fanout");
	} else {
		t = json_object_new_object();
		json_object_object_add(
			t, "note",
			json_object_new_string(
				ps->fallback.present ?
					"not traced by tracepoints (this kernel has none): the fnfan fallback traced its calls, see probes.fnfan.trace" :
					"not traced: this kernel has no amd_iommu tracepoints and no fan-out fallback"));
	}
	if (!ps->fan.present && ps->fallback.present) {
		/* probes.fnfan.trace: the stock-kernel trace, a line per call */
		ret = fallback_probe_trace_stop(&ps->fallback, &written,
						&dropped);
		json_object_object_add(
			json_object_object_get(ps->json, "fnfan"), "trace",
			trace_json(ret, written, dropped, "fnfan"));
	}
	json_object_object_add(json_object_object_get(ps->json, "fanout"),
			       "trace", t);
}

void probe_set_pause(struct probe_set *ps)
{
	detach_counters(ps);
	fnfan_probe_detach(&ps->watch);
	seed_probe_pause(&ps->seeds);
	ps->attached = false;
}

int probe_set_resume(struct probe_set *ps, char *err, size_t len)
{
	const char *names[FNFAN_MAX_FNS];

	seed_probe_resume(&ps->seeds, ps->o.kallsyms);
	if (attach_counters(ps, err, len))
		return -1;
	for (size_t i = 0; i < ps->nr_watch; i++)
		names[i] = ps->watch_names[i];
	if (ps->nr_watch && watch_attach(ps, names, ps->nr_watch, err, len)) {
		detach_counters(ps);
		return -1;
	}
	ps->attached = true;
	return 0;
}

void probe_set_finish(struct probe_set *ps)
{
	/* a run that failed between trace begin and end */
	if (ps->tracing && ps->o.perf_record)
		json_object_put(perf_record_stop(&ps->rec));
	ps->tracing = false;
	detach_counters(ps);
	fnfan_probe_detach(&ps->watch);
	if (ps->seeds_attached)
		seed_probe_finish(&ps->seeds, json_object_object_get(
						      ps->json, "seed_paths"));
	ps->seeds_attached = false;
	ps->attached = false;
	iommu_pmu_free(&ps->pmu);
}

int probe_set_read(const struct probe_set *ps, struct probe_snap *s,
		   bool closing)
{
	int ret = 0;

	memset(s, 0, sizeof(*s));
	if (closing)
		ret = cmdq_probe_read(&ps->cmdq, &s->cmdq);
	if (!ret && ps->fan.present)
		ret = fanout_probe_read(&ps->fan, &s->fan);
	if (!ret && ps->fallback.present)
		ret = fallback_probe_read(&ps->fallback, &s->fallback);
	if (!ret && ps->watch.skel)
		ret = fnfan_probe_read(&ps->watch, &s->watch);
	if (!ret && !closing)
		ret = cmdq_probe_read(&ps->cmdq, &s->cmdq);
	if (ret)
		probe_snap_free(s);
	return ret ? -EIO : 0;
}

int probe_snap_delta(const struct probe_snap *before,
		     const struct probe_snap *after, struct probe_snap *out)
{
	memset(out, 0, sizeof(*out));
	fanout_totals_delta(&before->fan, &after->fan, &out->fan);
	fnfan_totals_delta(&before->fallback, &after->fallback, &out->fallback);
	fnfan_totals_delta(&before->watch, &after->watch, &out->watch);
	return cmdq_counts_delta(&before->cmdq, &after->cmdq, &out->cmdq) ?
		       -ENOMEM :
		       0;
}

void probe_snap_free(struct probe_snap *s)
{
	cmdq_counts_free(&s->cmdq);
}

void probe_set_sample(const struct probe_set *ps, const struct probe_snap *d,
		      json_object *sample)
{
	json_object_object_add(sample, "commands", cmdq_counts_json(&d->cmdq));
	json_object_object_add(sample, "fanout",
			       probe_set_fanout_json(ps, &d->fan));
	if (ps->o.fallback != PROBE_FALLBACK_UNUSED)
		json_object_object_add(sample, "fnfan",
				       fallback_probe_sample(&ps->fallback,
							     &d->fallback));
}

pid_t probe_set_pmu_start(const struct probe_set *ps, const char *out_dir,
			  int rep)
{
	char *csv, err[ERRLEN];
	pid_t pid;

	if (!ps->pmu.events.n)
		return -1;
	csv = xasprintf("%s/perf-stat-%d.csv", out_dir, rep);
	pid = iommu_pmu_stat_start(&ps->pmu, csv, err, sizeof(err));
	if (pid < 0)
		say("perf stat: %s", err);
	free(csv);
	return pid;
}

json_object *probe_set_pmu_stop(const struct probe_set *ps, pid_t pid,
				const char *out_dir, int rep)
{
	char *csv, *text, err[ERRLEN];
	json_object *perf = NULL;

	(void)ps;
	if (pid <= 0 || iommu_pmu_stat_stop(pid))
		return NULL;
	csv = xasprintf("%s/perf-stat-%d.csv", out_dir, rep);
	text = read_file(csv, NULL);
	perf = text ? iommu_pmu_parse_csv(text, err, sizeof(err)) : NULL;
	free(text);
	free(csv);
	return perf;
}
