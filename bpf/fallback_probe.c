// SPDX-License-Identifier: GPL-2.0
#include "fallback_probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/conf.h"
#include "lib/json_util.h"
#include "ksyms.h"
#include "tracefs.h"

/* One section per kind of invalidation (a free name): its function. */
static const struct conf_key kind_keys[] = { { "function", 0 }, { NULL, 0 } };

static const struct conf_section fallback_sections[] = {
	{ "*", kind_keys, NULL, NULL },
	{ NULL, NULL, NULL, NULL },
};

int fallback_probe_load(const char *conf_path, struct conf *c,
			struct strv *kinds, char *err, size_t len)
{
	if (conf_load(conf_path, c, err, len))
		return -1;
	conf_sections(c, kinds);
	if (conf_check(c, fallback_sections, err, len))
		goto fail;
	if (kinds->n > FNFAN_MAX_FNS) {
		seterr(err, len, "%s: %zu kinds, the fnfan probe has %d slots",
		       conf_path, kinds->n, FNFAN_MAX_FNS);
		goto fail;
	}
	for (size_t i = 0; i < kinds->n; i++) {
		if (!conf_require(c, kinds->v[i], "function", err, len))
			goto fail;
	}
	return 0;
fail:
	strv_free(kinds);
	conf_free(c);
	return -1;
}

int fallback_probe_attach(struct fallback_probe *p, const char *conf_path,
			  const char *kallsyms, const struct fnfan_opts *opts,
			  char *err, size_t len)
{
	struct ksym_query q[FNFAN_MAX_FNS] = { 0 };
	const char *names[FNFAN_MAX_FNS];
	struct strv kinds = { 0 };
	struct conf c;
	size_t n = 0;
	int ret = -1;

	memset(p, 0, sizeof(*p));
	if (fallback_probe_load(conf_path, &c, &kinds, err, len))
		return -1;
	for (size_t i = 0; i < kinds.n; i++)
		q[i].name = conf_get(&c, kinds.v[i], "function");
	ret = ksyms_resolve_all(kallsyms, q, kinds.n);
	if (ret) {
		seterr(err, len, "cannot read %s: %s", kallsyms,
		       strerror(-ret));
		ret = -1;
		goto out;
	}
	tracefs_check_traceable(q, kinds.n, p->filter_check,
				sizeof(p->filter_check));
	for (size_t i = 0; i < kinds.n; i++) {
		if (q[i].ret) {
			strv_addf(&p->missing, "%s %s", kinds.v[i], q[i].name);
			continue;
		}
		if (!q[i].traceable) {
			strv_addf(
				&p->missing,
				"%s %s (%s is not in available_filter_functions: notrace, ftrace cannot hook it)",
				kinds.v[i], q[i].name, q[i].found);
			continue;
		}
		snprintf(p->kind[n], sizeof(p->kind[n]), "%s", kinds.v[i]);
		names[n++] = q[i].name;
	}
	ret = 0;
	if (!n) {
		snprintf(p->why, sizeof(p->why),
			 "this kernel has none of the functions in %s",
			 conf_path);
		goto out;
	}
	if (fnfan_probe_attach_opts(&p->fn, kallsyms, names, n, opts, err,
				    len)) {
		ret = -1;
		goto out;
	}
	p->present = true;
out:
	strv_free(&kinds);
	conf_free(&c);
	return ret;
}

int fallback_probe_read(const struct fallback_probe *p, struct fnfan_totals *t)
{
	memset(t, 0, sizeof(*t));
	return p->present ? fnfan_probe_read(&p->fn, t) : 0;
}

json_object *fallback_probe_sample(const struct fallback_probe *p,
				   const struct fnfan_totals *delta)
{
	json_object *o, *by;

	if (!p->present)
		return NULL;
	o = json_object_new_object();
	by = json_object_new_object();
	for (size_t i = 0; i < p->fn.nr_fns && i < delta->nr_fns; i++) {
		json_object *k = fnfan_fn_json(&delta->fn[i]);

		json_object_object_add(k, "function",
				       json_object_new_string(p->fn.symbol[i]));
		json_object_object_add(by, p->kind[i], k);
	}
	json_object_object_add(o, "by_kind", by);
	return o;
}

json_object *fallback_probe_json(const struct fallback_probe *p)
{
	json_object *o = json_object_new_object(), *fns;

	json_object_object_add(o, "present",
			       json_object_new_boolean(p->present));
	fns = json_object_new_array();
	for (size_t i = 0; p->present && i < p->fn.nr_fns; i++) {
		json_object *f = json_object_new_object();

		json_object_object_add(f, "kind",
				       json_object_new_string(p->kind[i]));
		json_object_object_add(f, "symbol",
				       json_object_new_string(p->fn.symbol[i]));
		json_object_object_add(
			f, "mechanism",
			json_object_new_string(p->fn.mechanism[i]));
		json_object_object_add(
			f, "partial",
			p->fn.partial[i] ?
				json_object_new_string(FNFAN_PARTIAL_NOTE) :
				NULL);
		json_object_array_add(fns, f);
	}
	json_object_object_add(o, "functions", fns);
	/* the command hook's exit: each call's hold (first to last command) */
	json_object_object_add(
		o, "command_exit",
		p->present && p->fn.opts.time_cmds ?
			json_object_new_string(
				strcmp(p->fn.cmd_mechanism, "fentry") ?
					"kretprobe" :
					"fexit") :
			NULL);
	json_object_object_add(o, "missing", json_strv(&p->missing));
	json_object_object_add(o, "filter_functions",
			       p->filter_check[0] ?
				       json_object_new_string(p->filter_check) :
				       NULL);
	json_object_object_add(
		o, "note", p->why[0] ? json_object_new_string(p->why) : NULL);
	return o;
}

static int write_call(void *ctx, FILE *f, const void *rec, size_t size)
{
	const struct fallback_probe *p = ctx;
	const struct fnfan_event *e = rec;

	if (size < sizeof(*e) || e->fn >= p->fn.nr_fns)
		return -1;
	fprintf(f,
		"{\"source\":\"fnfan\",\"ts_ns\":%llu,\"cpu\":%u,\"kind\":\"%s\",\"function\":\"%s\",\"commands\":%u,\"latency_ns\":%llu,",
		e->ts_ns, e->cpu, p->kind[e->fn], p->fn.symbol[e->fn],
		e->commands, e->latency_ns);
	/* null: not timed (no exit hook) or no command queued */
	if (p->fn.opts.time_cmds && e->commands)
		fprintf(f, "\"hold_ns\":%llu}\n", e->hold_ns);
	else
		fprintf(f, "\"hold_ns\":null}\n");
	return 0;
}

int fallback_probe_trace_start(struct fallback_probe *p, const char *path,
			       char *err, size_t len)
{
	if (!p->present) {
		seterr(err, len, "the fan-out fallback is not attached");
		return -1;
	}
	return fnfan_probe_trace_start(&p->fn, path, write_call, p, err, len);
}

int fallback_probe_trace_stop(struct fallback_probe *p,
			      unsigned long long *written,
			      unsigned long long *dropped)
{
	return p->present ? fnfan_probe_trace_stop(&p->fn, written, dropped) :
			    -1;
}

void fallback_probe_detach(struct fallback_probe *p)
{
	if (p->present)
		fnfan_probe_detach(&p->fn);
	p->present = false;
	strv_free(&p->missing);
}
