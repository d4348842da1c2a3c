/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fan-out per invalidation on kernels without the lab tracepoints: the
 * fnfan probe on the enclosing functions bpf/fnfan-fallback.conf names,
 * one per kind. Results as sample.fnfan.by_kind.KIND.
 */
#ifndef INVLAB_FALLBACK_PROBE_H
#define INVLAB_FALLBACK_PROBE_H

#include <json-c/json.h>
#include <stdbool.h>

#include "fnfan_probe.h"
#include "ksyms.h"
#include "lib/util.h"

struct fallback_probe {
	bool present; /* attached to at least one function */
	struct fnfan_probe fn;
	char kind[FNFAN_MAX_FNS][32]; /* kind of fn's slot i */
	struct strv missing; /* "kind function" the kernel lacks */
	/* how traceability was checked (available_filter_functions), or not */
	char filter_check[ERRLEN];
	char why[ERRLEN]; /* why not attached, when not */
};

struct conf;

/*
 * Read and check conf_path (bpf/fnfan-fallback.conf): one [KIND] section
 * per kind, at most FNFAN_MAX_FNS, each with function = NAME and nothing
 * else. -1 with err naming the file and line.
 */
int fallback_probe_load(const char *conf_path, struct conf *c,
			struct strv *kinds, char *err, size_t len);
/*
 * Attach to the functions of conf_path the kernel has. A kernel with none
 * of them is not an error (present false, why says so); -1 with err when
 * the file is bad or attaching failed. opts: what the command hook does
 * besides (fnfan_probe.h).
 */
int fallback_probe_attach(struct fallback_probe *p, const char *conf_path,
			  const char *kallsyms, const struct fnfan_opts *opts,
			  char *err, size_t len);
int fallback_probe_read(const struct fallback_probe *p, struct fnfan_totals *t);
/* {"by_kind": {KIND: {"function": ..., fnfan_fn_json's fields}}} */
json_object *fallback_probe_sample(const struct fallback_probe *p,
				   const struct fnfan_totals *delta);
/* probes.fnfan: what is attached where, and what is missing */
json_object *fallback_probe_json(const struct fallback_probe *p);
/*
 * With opts.trace at attach: one JSON line per call of the enclosing
 * functions into path ({"source": "fnfan", "kind", "function", "commands",
 * "latency_ns", "hold_ns", "cpu", "ts_ns"}) until fallback_probe_trace_stop.
 */
int fallback_probe_trace_start(struct fallback_probe *p, const char *path,
			       char *err, size_t len);
int fallback_probe_trace_stop(struct fallback_probe *p,
			      unsigned long long *written,
			      unsigned long long *dropped);
void fallback_probe_detach(struct fallback_probe *p);

#endif
