// SPDX-License-Identifier: GPL-2.0
/*
 * Runs as metric tables. Every window (sample) of a cell's result.json
 * becomes one value of each metric it has: the workload's numbers, IOMMU
 * commands per I/O by opcode, the fan-out probe's per-event figures and any
 * workload-specific "metrics" object. A metric missing from a window is NaN
 * there, never zero.
 */
#include "runtab.h"

#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/result.h"

static double num(json_object *o, const char *path)
{
	json_object *v = json_path(o, path);

	if (!v || !(json_object_is_type(v, json_type_int) ||
		    json_object_is_type(v, json_type_double)))
		return NAN;
	return json_object_get_double(v);
}

/* Where a value goes: window w of n, from its boot. */
struct slot {
	struct cell *c;
	size_t n, w;
	int boot;
};

static struct metric *metric_get(struct cell *c, const char *name, size_t nwin)
{
	struct metric *m = metric_find(c->m, c->nm, name);

	if (m)
		return m;
	c->m = xgrow(c->m, &c->cap, c->nm + 1, sizeof(*c->m));
	m = &c->m[c->nm++];
	m->name = xstrdup(name);
	m->n = nwin;
	m->v = xcalloc(nwin + 1, sizeof(double));
	m->boot = xcalloc(nwin + 1, sizeof(int));
	for (size_t i = 0; i < nwin; i++) {
		m->v[i] = NAN;
		m->boot[i] = 1;
	}
	return m;
}

static void put(const struct slot *at, const char *name, double v)
{
	struct metric *m;

	if (isnan(v) || isinf(v))
		return;
	m = metric_get(at->c, name, at->n);
	m->v[at->w] = v;
	m->boot[at->w] = at->boot;
}

static double ratio(double a, double b)
{
	return b > 0 ? a / b : NAN;
}

/*
 * sample.commands.queue_waits (the cmdq probe, every kernel): commands that
 * waited for buffer space per 1000, and the mean wait when it was timed.
 */
static void queue_wait_metrics(const struct slot *at, json_object *waits,
			       double cmds)
{
	put(at, "queue.stalls_per_kcmd",
	    1000 * ratio(num(waits, "count"), cmds));
	if (json_path(waits, "timed"))
		put(at, "queue.stall_ns",
		    ratio(num(waits, "ns"), num(waits, "timed")));
}

static void fanout_metrics(const struct slot *at, json_object *fo,
			   json_object *commands, double ios)
{
	json_object *kinds = json_path(fo, "by_kind");
	char name[160];
	double cmds = num(fo, "commands");

	if (kinds) {
		json_object_object_foreach(kinds, kind, k)
		{
			double ev = num(k, "events");

#define KIND_METRIC(field, value)                                          \
	do {                                                               \
		snprintf(name, sizeof(name), "fanout.%s.%s", kind, field); \
		put(at, name, value);                                      \
	} while (0)
			KIND_METRIC("events_per_io", ratio(ev, ios));
			KIND_METRIC("cmds_per_event",
				    ratio(num(k, "commands"), ev));
			KIND_METRIC("walked_per_event",
				    ratio(num(k, "walked"), ev));
			KIND_METRIC("latency_ns",
				    ratio(num(k, "latency_ns"), ev));
			KIND_METRIC("hold_ns", ratio(num(k, "hold_ns"), ev));
#undef KIND_METRIC
		}
	}
	/* the cmdq probe's own counts first (every kernel); these only for
	 * results from before it had them
	 */
	if (!json_path(commands, "queue_waits.count"))
		put(at, "queue.stalls_per_kcmd",
		    1000 * ratio(num(fo, "queue_stalls.count"), cmds));
	put(at, "completion_wait.ns",
	    ratio(num(fo, "completion_waits.ns"),
		  num(fo, "completion_waits.count")));
	if (!json_path(commands, "timeouts.completion_wait"))
		put(at, "completion_wait.timeouts",
		    num(fo, "completion_waits.timeouts"));
}

/*
 * sample.fnfan (stock kernels): per kind, calls of the enclosing function
 * per I/O, commands queued inside one call, and its mean latency.
 */
static void fnfan_metrics(const struct slot *at, json_object *fn, double ios)
{
	json_object *kinds = json_path(fn, "by_kind");
	char name[160];

	if (!kinds)
		return;
	json_object_object_foreach(kinds, kind, k)
	{
		double calls = num(k, "calls"), cmds = 0;
		json_object *by = json_path(k, "commands");

		if (by) {
			json_object_object_foreach(by, op, v)
			{
				(void)op;
				cmds += json_object_get_double(v);
			}
		}
		snprintf(name, sizeof(name), "fn.%s.calls_per_io", kind);
		put(at, name, ratio(calls, ios));
		snprintf(name, sizeof(name), "fn.%s.cmds_per_call", kind);
		put(at, name, ratio(cmds, calls));
		snprintf(name, sizeof(name), "fn.%s.latency_ns", kind);
		put(at, name,
		    ratio(num(k, "latency_ns_sum"), num(k, "returns")));
		/* with the command exit hook: first to last command */
		snprintf(name, sizeof(name), "fn.%s.hold_ns", kind);
		put(at, name,
		    ratio(num(k, "hold.ns_sum"), num(k, "hold.calls")));
	}
}

/*
 * The windows run with every probe detached ([probes] overhead = yes):
 * throughput free of each kernel's probe cost, which differs between
 * kernels (stock kernels hook more functions), so the fair figure when
 * comparing kernels.
 */
/* The boot a window came from: 1 in results of one boot, or older. */
static int sample_boot(json_object *s)
{
	json_object *b = json_path(s, "boot");

	return b && json_object_is_type(b, json_type_int) &&
			       json_object_get_int(b) > 0 ?
		       json_object_get_int(b) :
		       1;
}

static void detached_metrics(struct cell *c, json_object *offs)
{
	size_t n = offs && json_object_is_type(offs, json_type_array) ?
			   json_object_array_length(offs) :
			   0;

	for (size_t w = 0; w < n; w++) {
		json_object *s = json_object_array_get_idx(offs, w), *wm;
		struct slot slot = { c, n, w, sample_boot(s) }, *at = &slot;

		put(at, "detached.iops", num(s, "workload.iops"));
		put(at, "detached.clat_p50_us",
		    num(s, "workload.clat_p50_ns") / 1000);
		put(at, "detached.cpu_us_per_io",
		    ratio(num(s, "cpu_busy_us"), num(s, "workload.total_ios")));
		put(at, "detached.clat_p99_us",
		    num(s, "workload.clat_p99_ns") / 1000);
		/* a workload's own metrics, detached */
		wm = json_path(s, "metrics");
		if (json_object_is_type(wm, json_type_object)) {
			json_object_object_foreach(wm, key, v)
			{
				char *name = xasprintf("detached.%s", key);

				if (json_object_is_type(v, json_type_int) ||
				    json_object_is_type(v, json_type_double))
					put(at, name,
					    json_object_get_double(v));
				free(name);
			}
		}
	}
}

void cell_add_result_metrics(struct cell *c, json_object *result)
{
	json_object *samples = json_path(result, "samples");
	size_t nwin = samples && json_object_is_type(samples, json_type_array) ?
			      json_object_array_length(samples) :
			      0;
	char name[160];

	for (size_t w = 0; w < nwin; w++) {
		json_object *s = json_object_array_get_idx(samples, w);
		json_object *ops = json_path(s, "commands.by_opcode");
		json_object *extra = json_path(s, "metrics");
		json_object *fo = json_path(s, "fanout");
		json_object *waits = json_path(s, "commands.queue_waits");
		double ios = num(s, "workload.total_ios");
		struct slot slot = { c, nwin, w, sample_boot(s) }, *at = &slot;

		put(at, "iops", num(s, "workload.iops"));
		put(at, "bw_kib_s", num(s, "workload.bw_kib_s"));
		put(at, "clat_p50_us", num(s, "workload.clat_p50_ns") / 1000);
		put(at, "clat_p99_us", num(s, "workload.clat_p99_ns") / 1000);
		put(at, "clat_p99_9_us",
		    num(s, "workload.clat_p99_9_ns") / 1000);
		put(at, "cmds_per_io", ratio(num(s, "commands.total"), ios));
		/* the CPU work of a read: instructions on the icount clock */
		put(at, "cpu_us_per_io", ratio(num(s, "cpu_busy_us"), ios));
		if (ops) {
			json_object_object_foreach(ops, op, v)
			{
				snprintf(name, sizeof(name), "cmds_per_io.%s",
					 op);
				put(at, name,
				    ratio(json_object_get_double(v), ios));
			}
		}
		if (waits)
			queue_wait_metrics(at, waits, num(s, "commands.total"));
		/* the driver's timeout messages, every kernel */
		if (json_path(s, "commands.timeouts.completion_wait")) {
			put(at, "completion_wait.timeouts",
			    num(s, "commands.timeouts.completion_wait"));
			put(at, "command_buffer.timeouts",
			    num(s, "commands.timeouts.command_buffer"));
		}
		if (fo)
			fanout_metrics(at, fo, json_path(s, "commands"), ios);
		if (json_path(s, "fnfan"))
			fnfan_metrics(at, json_path(s, "fnfan"), ios);
		if (extra) {
			json_object_object_foreach(extra, key, v)
			{
				if (json_object_is_type(v, json_type_int) ||
				    json_object_is_type(v, json_type_double))
					put(at, key, json_object_get_double(v));
			}
		}
	}
	detached_metrics(c, json_path(result, "overhead.off"));
}

/* -1 when the cell's result.json is there but unreadable (c->result_err) */
static int cell_load(struct cell *c, const char *run_dir)
{
	char *path = xasprintf("%s/%s/result.json", run_dir, c->id);
	int ret = 0;

	c->result = result_load(path, c->result_err, sizeof(c->result_err));
	if (c->result)
		cell_add_result_metrics(c, c->result);
	else if (path_exists(path))
		ret = -1;
	free(path);
	return ret;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

int run_load(const char *path, struct run *r, char *err, size_t err_len)
{
	char *copy = xstrdup(path), *only = NULL, *run_path;
	json_object *cells;

	memset(r, 0, sizeof(*r));
	r->path = xstrdup(path);
	r->dir = xstrdup(path);
	while (strlen(r->dir) > 1 && r->dir[strlen(r->dir) - 1] == '/')
		r->dir[strlen(r->dir) - 1] = '\0';
	run_path = xasprintf("%s/run.json", r->dir);
	if (!path_exists(r->dir)) {
		seterr(err, err_len, "%s: no such run directory", path);
		goto fail;
	}
	if (!path_exists(run_path)) {
		/* A cell directory: its parent is the run. */
		char *parent;

		free(run_path);
		only = xstrdup(basename(copy));
		free(copy);
		copy = xstrdup(r->dir);
		parent = dirname(copy);
		free(r->dir);
		r->dir = xstrdup(parent);
		run_path = xasprintf("%s/run.json", r->dir);
		if (!path_exists(run_path)) {
			seterr(err, err_len,
			       "%s is not an invlab run (no run.json there or in its parent)",
			       path);
			goto fail;
		}
	}
	r->json = json_doc_load(run_path, "run", "invlab.run", 1, "run-v1", err,
				err_len);
	if (!r->json)
		goto fail;
	cells = json_path(r->json, "kernels");
	if (!cells) {
		seterr(err, err_len, "%s: no \"kernels\" array", run_path);
		goto fail;
	}
	r->id = dup_or_null(json_path_str(r->json, "run_id", "?"));
	r->suite = dup_or_null(json_path_str(r->json, "suite", "?"));
	r->status = dup_or_null(json_path_str(r->json, "status", "?"));
	r->started = dup_or_null(json_path_str(r->json, "started", "?"));
	r->cells =
		xcalloc(json_object_array_length(cells) + 1, sizeof(*r->cells));
	for (size_t i = 0; i < json_object_array_length(cells); i++) {
		json_object *k = json_object_array_get_idx(cells, i);
		const char *id = json_path_str(k, "cell", NULL);
		struct cell *c;

		if (!id)
			id = json_path_str(k, "label", "?");
		if (only && strcmp(only, id))
			continue;
		c = &r->cells[r->ncells++];
		c->id = xstrdup(id);
		c->status = xstrdup(json_path_str(k, "status", "?"));
		c->reason = dup_or_null(json_path_str(k, "reason", NULL));
		if (cell_load(c, r->dir)) {
			seterr(err, err_len, "%s", c->result_err);
			goto fail;
		}
	}
	if (only && !r->ncells) {
		seterr(err, err_len, "%s: run %s has no cell '%s'", path,
		       r->dir, only);
		goto fail;
	}
	free(only);
	free(copy);
	free(run_path);
	return 0;
fail:
	free(only);
	free(copy);
	free(run_path);
	run_free(r);
	return -1;
}

void run_free(struct run *r)
{
	for (size_t i = 0; i < r->ncells; i++) {
		struct cell *c = &r->cells[i];

		metrics_free(c->m, c->nm);
		free(c->id);
		free(c->status);
		free(c->reason);
		json_object_put(c->result);
	}
	free(r->cells);
	json_object_put(r->json);
	free(r->path);
	free(r->dir);
	free(r->id);
	free(r->suite);
	free(r->status);
	free(r->started);
	memset(r, 0, sizeof(*r));
}

bool cell_on_icount(const struct cell *c)
{
	return !strcmp(json_path_str(c->result, "context.lab.timing.mode",
				     "wall"),
		       "icount");
}

const struct cell *run_cell(const struct run *r, const char *id)
{
	for (size_t i = 0; i < r->ncells; i++) {
		if (!strcmp(r->cells[i].id, id))
			return &r->cells[i];
	}
	return NULL;
}

struct metric *metric_find(const struct metric *m, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(m[i].name, name))
			return (struct metric *)&m[i];
	}
	return NULL;
}

void metrics_free(struct metric *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].name);
		free(m[i].v);
		free(m[i].boot);
	}
	free(m);
}

const struct metric *cell_metric(const struct cell *c, const char *name)
{
	return metric_find(c->m, c->nm, name);
}

size_t metric_values(const struct metric *m, double *out, int *boot)
{
	size_t n = 0;

	for (size_t i = 0; i < m->n; i++) {
		if (isnan(m->v[i]))
			continue;
		if (boot)
			boot[n] = m->boot[i];
		out[n++] = m->v[i];
	}
	return n;
}

const char *run_host(const struct run *r, const char **source)
{
	static char name[256];

	for (size_t i = 0; i < r->ncells; i++) {
		json_object *res = r->cells[i].result;
		json_object *lab = json_path(res, "context.lab");

		if (!res)
			continue;
		if (lab && !json_object_is_type(lab, json_type_null))
			break; /* a QEMU guest: its hostname is the guest's */
		*source = "the result's context.host.hostname";
		return json_path_str(res, "context.host.hostname", NULL);
	}
	if (gethostname(name, sizeof(name) - 1))
		return NULL;
	*source = "this machine (a lab run: the guest's name is no host)";
	return name;
}
