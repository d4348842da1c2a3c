// SPDX-License-Identifier: GPL-2.0
#include "suite.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/common/pci_rebind.h"
#include "workloads/fio/fio.h"

bool suite_is_file(const char *name)
{
	return strchr(name, '/') != NULL;
}

static char *suite_path(const char *top, const char *name)
{
	if (suite_is_file(name))
		return xstrdup(name);
	return xasprintf("%s/bench/suites/%s.conf", top, name);
}

static void list_suites(const char *top, char *buf, size_t len)
{
	char *dir = xasprintf("%s/bench/suites", top);
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t used = 0;

	buf[0] = '\0';
	while (d && (de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n > 5 && !strcmp(de->d_name + n - 5, ".conf"))
			used += snprintf(buf + used,
					 used < len ? len - used : 0, "%s%.*s",
					 used ? " " : "", (int)(n - 5),
					 de->d_name);
	}
	if (d)
		closedir(d);
	free(dir);
}

static char *dup_or(const char *v, const char *def)
{
	return xstrdup(v ? v : def);
}

/* What a suite holds: every key suite_load and load_workload read. */
static const struct conf_key suite_keys[] = {
	{ "description", 0 },	  { "topology", 0 },	 { "timing", 0 },
	{ "kernels", CONF_LIST }, { "repetitions", 0 },	 { "warmup", 0 },
	{ "boot_timeout", 0 },	  { "boots", 0 },	 { "boot_retries", 0 },
	{ "hang_first_boot", 0 }, { "qemu_trace", 0 },	 { "share_boot", 0 },
	{ "lab_guest", 0 },	  { "guest_script", 0 }, { NULL, 0 },
};

static const struct conf_key probes_keys[] = {
	{ "trace", 0 },	     { "perf_record", 0 }, { "queue_wait_time", 0 },
	{ "fallback", 0 },   { "cmdq", 0 },	   { "overhead", 0 },
	{ "domain_ids", 0 }, { NULL, 0 },
};

static const struct conf_key checks_keys[] = {
	{ "tracepoints", 0 }, { "interrupt_remapping", 0 },
	{ "reads", 0 },	      { "nest_parent", 0 },
	{ NULL, 0 },
};

/* [workload]: what every workload has; a workload's own keys besides */
static const struct conf_key workload_keys[] = {
	{ "type", 0 },	  { "device", 0 }, { "modules", CONF_LIST },
	{ "runtime", 0 }, { NULL, 0 },
};

static const struct conf_key *workload_type_keys(const char *type)
{
	static const struct conf_key none[] = { { NULL, 0 } };
	const struct workload_ops *w = workload_find(type);

	return !w ? NULL : w->keys ? w->keys : none;
}

/* [neighbour]: a fio job beside the workload (run/neighbour.h) */
static const struct conf_key neighbour_keys[] = {
	{ "type", 0 },	  { "job", 0 }, { "device", 0 },
	{ "ramp_ms", 0 }, { NULL, 0 },
};

static const struct conf_section suite_sections[] = {
	{ "suite", suite_keys, NULL, NULL },
	{ "probes", probes_keys, NULL, NULL },
	{ "checks", checks_keys, NULL, NULL },
	{ "matrix", matrix_keys, NULL, NULL },
	{ "neighbour", neighbour_keys, NULL, NULL },
	{ "workload", workload_keys, "type", workload_type_keys },
	{ NULL, NULL, NULL, NULL },
};

static int load_checks(const struct conf *c, struct suite *s, char *err,
		       size_t len)
{
	const char *v;

	if (conf_get_bool(c, "checks", "tracepoints", false,
			  &s->check_tracepoints, err, len) ||
	    conf_get_bool(c, "checks", "interrupt_remapping", false,
			  &s->check_intremap, err, len) ||
	    conf_get_long(c, "checks", "reads", 256, 1, 1000000,
			  &s->check_reads, err, len))
		return -1;
	v = conf_get(c, "checks", "nest_parent");
	if (v) {
		if (!is_pci_addr(v))
			return conf_err(
				c, "checks", "nest_parent", err, len,
				"expected a full PCI address such as 0000:00:05.0");
		s->check_nest_parent = xstrdup(v);
	}
	return 0;
}

/* [neighbour], when there is one: type fio, its job and NVMe */
static int load_neighbour(const char *top, const struct conf *c,
			  struct suite *s, char *err, size_t len)
{
	const char *v;

	if (!conf_has_section(c, "neighbour"))
		return 0;
	v = conf_require(c, "neighbour", "type", err, len);
	if (!v)
		return -1;
	if (strcmp(v, "fio"))
		return conf_err(c, "neighbour", "type", err, len,
				"expected fio (the one neighbour workload)");
	v = conf_require(c, "neighbour", "job", err, len);
	if (!v || !(s->neighbour_job =
			    fio_job_file(c, "neighbour", top, v, err, len)))
		return -1;
	v = conf_require(c, "neighbour", "device", err, len);
	if (!v)
		return -1;
	if (!strcmp(v, s->device))
		return conf_err(
			c, "neighbour", "device", err, len,
			"the workload's own device: a neighbour needs another");
	s->neighbour_device = xstrdup(v);
	return conf_get_long(c, "neighbour", "ramp_ms", 500, 0, 60000,
			     &s->neighbour_ramp_ms, err, len);
}

/*
 * [workload]: what every workload has (type, device, modules, runtime,
 * checks), then the workload's own keys (its load()).
 */
static int load_workload(const char *top, const struct conf *c, struct suite *s,
			 char *err, size_t err_len)
{
	const char *v = conf_require(c, "workload", "type", err, err_len);
	const struct workload_ops *w;
	struct workload_suite ws = {
		.name = s->name,
		.top = top,
		.matrix = &s->matrix,
	};

	if (!v)
		return -1;
	w = workload_find(v);
	if (!w)
		return conf_err(c, "workload", "type", err, err_len,
				"expected %s", workload_names());
	s->workload = w;
	v = conf_require(c, "workload", "device", err, err_len);
	if (!v)
		return -1;
	if (w->device == WORKLOAD_DEVICE_PCI && !is_pci_addr(v))
		return conf_err(c, "workload", "device", err, err_len,
				"%s needs a full PCI address (0000:00:07.0)",
				w->name);
	s->device = xstrdup(v);
	v = conf_get(c, "workload", "modules");
	if (v)
		strv_split(&s->modules, v);
	if (conf_get_long(c, "workload", "runtime", 10, 1, 86400, &s->runtime_s,
			  err, err_len) ||
	    load_checks(c, s, err, err_len) ||
	    conf_get_bool(c, "probes", "overhead", false, &s->overhead, err,
			  err_len) ||
	    conf_get_bool(c, "suite", "qemu_trace", false, &s->qemu_trace, err,
			  err_len))
		return -1;
	if (s->overhead && w->own_snapshots && !w->detached_windows)
		return conf_err(
			c, "probes", "overhead", err, err_len,
			"the %s workload reads its probes inside its windows, so it has no windows with the probes detached",
			w->name);
	if (s->overhead && (s->trace_events || s->perf_record))
		return conf_err(
			c, "probes", "overhead", err, err_len,
			"with trace or perf_record they would count as probe overhead; use one");
	if (w->load(c, &ws, &s->workload_opts, err, err_len))
		return -1;
	return load_neighbour(top, c, s, err, err_len);
}

int suite_load(const char *top, const char *name, struct suite *s, char *err,
	       size_t err_len)
{
	struct conf c;
	const char *v;
	char *base, *abs;
	int ret = -1;

	memset(s, 0, sizeof(*s));
	s->path = suite_path(top, name);
	if (!path_exists(s->path) && !suite_is_file(name)) {
		char have[512];

		list_suites(top, have, sizeof(have));
		seterr(err, err_len,
		       "no suite '%s': %s does not exist (suites: %s)", name,
		       s->path, have);
		suite_free(s);
		return -1;
	}
	if (conf_load(s->path, &c, err, err_len)) {
		suite_free(s);
		return -1;
	}
	if (conf_check(&c, suite_sections, err, err_len))
		goto out;
	/* Absolute, so a guest given it finds the same file. */
	abs = realpath(s->path, NULL);
	if (abs) {
		free(s->path);
		s->path = abs;
	}
	base = strrchr(s->path, '/');
	s->name = xstrdup(base ? base + 1 : s->path);
	if (strlen(s->name) > 5 &&
	    !strcmp(s->name + strlen(s->name) - 5, ".conf"))
		s->name[strlen(s->name) - 5] = '\0';

	s->description = dup_or(conf_get(&c, "suite", "description"), "");
	s->topology = dup_or(conf_get(&c, "suite", "topology"), "default");
	if (!strchr(s->topology, '/')) {
		char *topo =
			xasprintf("%s/lab/topology/%s.conf", top, s->topology);
		bool found = path_exists(topo);

		free(topo);
		if (!found) {
			conf_err(&c, "suite", "topology", err, err_len,
				 "no lab/topology/%s.conf", s->topology);
			goto out;
		}
	}
	v = conf_get(&c, "suite", "timing");
	if (v && strcmp(v, "wall") && strcmp(v, "icount")) {
		conf_err(&c, "suite", "timing", err, err_len,
			 "expected wall or icount");
		goto out;
	}
	s->timing = v ? xstrdup(v) : NULL;
	v = conf_get(&c, "suite", "guest_script");
	if (v) {
		char *p = xasprintf("%s/%s", top, v);

		if (v[0] == '/' || strstr(v, "..") || !path_exists(p)) {
			conf_err(&c, "suite", "guest_script", err, err_len,
				 "expected a script under the work tree (%s)",
				 p);
			free(p);
			goto out;
		}
		free(p);
		s->guest_script = xstrdup(v);
	}
	v = conf_require(&c, "suite", "kernels", err, err_len);
	if (!v)
		goto out;
	strv_split(&s->kernels, v);
	if (!s->kernels.n) {
		conf_err(&c, "suite", "kernels", err, err_len,
			 "no kernel labels");
		goto out;
	}
	if (conf_get_long(&c, "suite", "repetitions", 3, 1, 1000,
			  &s->repetitions, err, err_len) ||
	    conf_get_long(&c, "suite", "warmup", 0, 0, 100, &s->warmup, err,
			  err_len) ||
	    conf_get_long(&c, "suite", "boot_timeout", 900, 10, 86400,
			  &s->boot_timeout_s, err, err_len) ||
	    conf_get_long(&c, "suite", "boots", 1, 1, 100, &s->boots, err,
			  err_len) ||
	    conf_get_long(&c, "suite", "boot_retries", 1, 0, 5,
			  &s->boot_retries, err, err_len) ||
	    conf_get_bool(&c, "suite", "hang_first_boot", false,
			  &s->hang_first_boot, err, err_len) ||
	    conf_get_bool(&c, "suite", "share_boot", true, &s->share_boot, err,
			  err_len) ||
	    conf_get_bool(&c, "suite", "lab_guest", true, &s->lab_guest, err,
			  err_len) ||
	    matrix_load(&c, s->name, &s->matrix, err, err_len))
		goto out;

	if (conf_get_bool(&c, "probes", "trace", false, &s->trace_events, err,
			  err_len) ||
	    conf_get_bool(&c, "probes", "perf_record", false, &s->perf_record,
			  err, err_len) ||
	    conf_get_bool(&c, "probes", "queue_wait_time", false,
			  &s->queue_wait_time, err, err_len) ||
	    conf_get_bool(&c, "probes", "domain_ids", false, &s->domain_ids,
			  err, err_len) ||
	    conf_get_bool(&c, "probes", "fallback", true, &s->fallback_fanout,
			  err, err_len))
		goto out;
	v = conf_get(&c, "probes", "cmdq");
	s->cmdq_mechanism = xstrdup(v ? v : "auto");
	if (strcmp(s->cmdq_mechanism, "auto") &&
	    strcmp(s->cmdq_mechanism, "fentry") &&
	    strcmp(s->cmdq_mechanism, "kprobe")) {
		conf_err(&c, "probes", "cmdq", err, err_len,
			 "expected auto, fentry or kprobe");
		goto out;
	}

	if (load_workload(top, &c, s, err, err_len))
		goto out;
	ret = 0;
out:
	conf_free(&c);
	if (ret)
		suite_free(s); /* a half-read suite is nobody's */
	return ret;
}

void suite_free(struct suite *s)
{
	free(s->check_nest_parent);
	free(s->name);
	free(s->path);
	free(s->description);
	free(s->topology);
	free(s->timing);
	free(s->guest_script);
	free(s->cmdq_mechanism);
	strv_free(&s->kernels);
	free(s->workload_opts);
	free(s->device);
	free(s->neighbour_job);
	free(s->neighbour_device);
	strv_free(&s->modules);
	matrix_free(&s->matrix);
	memset(s, 0, sizeof(*s));
}
