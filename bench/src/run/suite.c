// SPDX-License-Identifier: GPL-2.0
#include "suite.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *suite_path(const char *top, const char *name)
{
	if (strchr(name, '/'))
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

/* yes/no with a default; anything else is an error naming the key. */
static int get_bool(const struct conf *c, const char *sec, const char *key,
		    bool def, bool *out, char *err, size_t len)
{
	const char *v = conf_get(c, sec, key);

	if (!v) {
		*out = def;
		return 0;
	}
	if (!strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "true")) {
		*out = true;
		return 0;
	}
	if (!strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "false")) {
		*out = false;
		return 0;
	}
	return seterr(err, len, "%s: [%s] %s = %s: expected yes or no", c->path,
		      sec, key, v);
}

static int load_checks(const struct conf *c, struct suite *s, char *err,
		       size_t len)
{
	const char *v;

	if (get_bool(c, "checks", "tracepoints", false, &s->check_tracepoints,
		     err, len) ||
	    get_bool(c, "checks", "interrupt_remapping", false,
		     &s->check_intremap, err, len) ||
	    conf_get_long(c, "checks", "reads", 256, 1, 1000000,
			  &s->check_reads, err, len))
		return -1;
	v = conf_get(c, "checks", "nest_parent");
	if (v) {
		if (!is_pci_addr(v))
			return seterr(
				err, len,
				"%s: [checks] nest_parent = %s: expected a full PCI address such as 0000:00:05.0",
				c->path, v);
		s->check_nest_parent = xstrdup(v);
	}
	return 0;
}

static bool valid_param_name(const char *n)
{
	if (!*n)
		return false;
	for (; *n; n++) {
		if (!((*n >= 'a' && *n <= 'z') || (*n >= '0' && *n <= '9') ||
		      *n == '_'))
			return false;
	}
	return true;
}

static int load_matrix(const struct conf *c, struct suite *s, char *err,
		       size_t err_len)
{
	size_t cells = 1;

	s->params = xcalloc(c->n + 1, sizeof(*s->params));
	for (size_t i = 0; i < c->n; i++) {
		struct suite_param *p;

		if (strcmp(c->e[i].section, "matrix"))
			continue;
		if (!valid_param_name(c->e[i].key))
			return seterr(
				err, err_len,
				"%s: [matrix] %s: parameter names are lower case letters, digits and _",
				s->path, c->e[i].key);
		for (size_t k = 0; k < s->nparams; k++) {
			if (!strcmp(s->params[k].name, c->e[i].key))
				return seterr(err, err_len,
					      "%s: [matrix] %s given twice",
					      s->path, c->e[i].key);
		}
		p = &s->params[s->nparams++];
		p->name = xstrdup(c->e[i].key);
		strv_split(&p->values, c->e[i].value);
		if (!p->values.n)
			return seterr(err, err_len,
				      "%s: [matrix] %s has no values", s->path,
				      p->name);
		for (size_t k = 0; k < p->values.n; k++) {
			/* values name cell directories and QEMU paths */
			if (strpbrk(p->values.v[k], "=,/@+ "))
				return seterr(
					err, err_len,
					"%s: [matrix] %s value '%s': no '=', ',', '/', '@' or '+' in values",
					s->path, p->name, p->values.v[k]);
		}
		cells *= p->values.n;
		if (cells > 10000)
			return seterr(
				err, err_len,
				"%s: [matrix] more than 10000 combinations",
				s->path);
	}
	return 0;
}

size_t suite_combinations(const struct suite *s)
{
	size_t n = 1;

	for (size_t i = 0; i < s->nparams; i++)
		n *= s->params[i].values.n;
	return n;
}

char *suite_combination(const struct suite *s, size_t idx)
{
	char *out = xstrdup(""), *t;
	size_t stride = suite_combinations(s);

	for (size_t i = 0; i < s->nparams; i++) {
		const struct suite_param *p = &s->params[i];

		stride /= p->values.n;
		t = xasprintf("%s%s%s=%s", out, i ? "," : "", p->name,
			      p->values.v[(idx / stride) % p->values.n]);
		free(out);
		out = t;
	}
	return out;
}

int suite_parse_combination(const struct suite *s, const char *str,
			    struct strv *kv, char *err, size_t err_len)
{
	struct strv given = { 0 };
	int ret = -1;

	if (str && *str) {
		char *copy = xstrdup(str), *save = NULL, *tok;

		for (tok = strtok_r(copy, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save))
			strv_add(&given, tok);
		free(copy);
	}
	for (size_t i = 0; i < given.n; i++) {
		char *eq = strchr(given.v[i], '=');
		const struct suite_param *p = NULL;
		bool listed = false;

		if (eq)
			*eq = '\0';
		for (size_t k = 0; k < s->nparams; k++)
			p = !strcmp(s->params[k].name, given.v[i]) ?
				    &s->params[k] :
				    p;
		if (!eq || !p) {
			seterr(err, err_len,
			       "--params %s: '%s' is not a parameter of suite %s's [matrix]",
			       str, given.v[i], s->name);
			goto out;
		}
		for (size_t k = 0; k < p->values.n; k++)
			listed |= !strcmp(p->values.v[k], eq + 1);
		if (!listed) {
			seterr(err, err_len,
			       "--params %s: %s=%s is not one of the values %s's [matrix] lists",
			       str, p->name, eq + 1, s->name);
			goto out;
		}
		*eq = '=';
	}
	for (size_t k = 0; k < s->nparams; k++) {
		const struct suite_param *p = &s->params[k];
		const char *value = NULL;
		size_t len = strlen(p->name);

		for (size_t i = 0; i < given.n; i++) {
			if (!strncmp(given.v[i], p->name, len) &&
			    given.v[i][len] == '=') {
				if (value) {
					seterr(err, err_len,
					       "--params %s: %s given twice",
					       str, p->name);
					goto out;
				}
				value = given.v[i] + len + 1;
			}
		}
		if (!value && p->values.n > 1) {
			seterr(err, err_len,
			       "suite %s sweeps %s (%zu values): give one with --params %s=VALUE",
			       s->name, p->name, p->values.n, p->name);
			goto out;
		}
		strv_addf(kv, "%s=%s", p->name, value ? value : p->values.v[0]);
	}
	ret = 0;
out:
	strv_free(&given);
	return ret;
}

char *suite_expand(const char *tmpl, const struct strv *kv)
{
	char *out = xstrdup(""), *t;
	const char *p = tmpl;

	while (*p) {
		const char *open = strstr(p, "${"), *close, *value = NULL;
		size_t len;

		if (!open) {
			t = xasprintf("%s%s", out, p);
			free(out);
			return t;
		}
		close = strchr(open, '}');
		if (!close)
			goto bad;
		len = (size_t)(close - open - 2);
		/* The job sees NAME in upper case; the matrix spells it lower. */
		for (size_t i = 0; i < kv->n && !value; i++) {
			const char *eq = strchr(kv->v[i], '=');

			if (eq && (size_t)(eq - kv->v[i]) == len &&
			    !strncasecmp(kv->v[i], open + 2, len))
				value = eq + 1;
		}
		if (!value)
			goto bad;
		t = xasprintf("%s%.*s%s", out, (int)(open - p), p, value);
		free(out);
		out = t;
		p = close + 1;
	}
	return out;
bad:
	free(out);
	return NULL;
}

int suite_pick_job(const char *top, struct suite *s, const struct strv *kv,
		   char *err, size_t err_len)
{
	char *job;

	if (!s->job || !strstr(s->job, "${"))
		return 0;
	job = suite_expand(s->job, kv);
	if (!job)
		return seterr(err, err_len,
			      "%s: [workload] job = %s: a parameter is missing",
			      s->path, s->job);
	free(s->job);
	s->job = job;
	s->job_path = xasprintf("%s/workloads/fio/jobs/%s.fio", top, job);
	return 0;
}

/*
 * [workload] job may name matrix parameters (job = nvme-${IOPATH}): every
 * point of the matrix must then name a job file that exists.
 */
static int check_job_template(const char *top, struct suite *s, char *err,
			      size_t err_len)
{
	int ret = 0;

	for (size_t i = 0; i < suite_combinations(s) && !ret; i++) {
		char *combo = suite_combination(s, i), *job, *path;
		struct strv kv = { 0 };

		if (suite_parse_combination(s, combo, &kv, err, err_len)) {
			ret = -1;
		} else if (!(job = suite_expand(s->job, &kv))) {
			ret = seterr(
				err, err_len,
				"%s: [workload] job = %s: it names a parameter the [matrix] does not have (%s)",
				s->path, s->job,
				combo[0] ? combo : "no matrix");
		} else {
			path = xasprintf("%s/workloads/fio/jobs/%s.fio", top,
					 job);
			if (!path_exists(path))
				ret = seterr(
					err, err_len,
					"%s: [workload] job = %s: at %s there is no %s",
					s->path, s->job, combo, path);
			free(path);
			free(job);
		}
		strv_free(&kv);
		free(combo);
	}
	return ret;
}

/*
 * [workload] of a kind the lab drives itself (bench/src/workload.h): the
 * device, modules, windows and checks every kind has, then its own keys.
 */
static int load_driver(const struct conf *c, const struct workload_kind *k,
		       struct suite *s, char *err, size_t err_len)
{
	const char *dev = conf_require(c, "workload", "device", err, err_len);
	const char *mods = conf_get(c, "workload", "modules");

	s->workload = xstrdup(k->name);
	s->driver = k;
	if (!dev)
		return -1;
	if (k->pci_device && !is_pci_addr(dev))
		return seterr(
			err, err_len,
			"%s: [workload] device = %s: %s needs a full PCI address (0000:00:07.0)",
			s->path, dev, k->name);
	s->device = xstrdup(dev);
	if (mods)
		strv_split(&s->modules, mods);
	if (conf_get_long(c, "workload", "runtime", 10, 1, 86400, &s->runtime_s,
			  err, err_len) ||
	    load_checks(c, s, err, err_len) ||
	    get_bool(c, "suite", "qemu_trace", false, &s->qemu_trace, err,
		     err_len))
		return -1;
	return k->load(c, s, err, err_len);
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
	if (!path_exists(s->path) && !strchr(name, '/')) {
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
	v = conf_require(&c, "suite", "kernels", err, err_len);
	if (!v)
		goto out;
	strv_split(&s->kernels, v);
	if (conf_get_long(&c, "suite", "repetitions", 3, 1, 1000,
			  &s->repetitions, err, err_len) ||
	    conf_get_long(&c, "suite", "warmup", 0, 0, 100, &s->warmup, err,
			  err_len) ||
	    conf_get_long(&c, "suite", "boot_timeout", 900, 10, 86400,
			  &s->boot_timeout_s, err, err_len) ||
	    load_matrix(&c, s, err, err_len))
		goto out;

	if (get_bool(&c, "probes", "trace", false, &s->trace_events, err,
		     err_len) ||
	    get_bool(&c, "probes", "perf_record", false, &s->perf_record, err,
		     err_len) ||
	    get_bool(&c, "probes", "queue_wait_time", true, &s->queue_wait_time,
		     err, err_len) ||
	    get_bool(&c, "probes", "fallback", true, &s->fallback_fanout, err,
		     err_len))
		goto out;
	v = conf_get(&c, "probes", "cmdq");
	s->cmdq_mechanism = xstrdup(v ? v : "auto");
	if (strcmp(s->cmdq_mechanism, "auto") &&
	    strcmp(s->cmdq_mechanism, "fentry") &&
	    strcmp(s->cmdq_mechanism, "kprobe")) {
		seterr(err, err_len,
		       "%s: [probes] cmdq = %s: expected auto, fentry or kprobe",
		       s->path, s->cmdq_mechanism);
		goto out;
	}

	v = conf_require(&c, "workload", "type", err, err_len);
	if (!v)
		goto out;
	if (workload_kind_find(v)) {
		ret = load_driver(&c, workload_kind_find(v), s, err, err_len);
		goto out;
	}
	if (strcmp(v, "fio")) {
		seterr(err, err_len, "%s: [workload] type = %s: expected %s",
		       s->path, v, workload_kind_names());
		goto out;
	}
	s->workload = xstrdup(v);
	v = conf_require(&c, "workload", "job", err, err_len);
	if (!v)
		goto out;
	s->job = xstrdup(v);
	if (strstr(v, "${")) {
		/* invlab run picks the cell's file (suite_pick_job) */
		if (check_job_template(top, s, err, err_len))
			goto out;
	} else {
		s->job_path = xasprintf("%s/workloads/fio/jobs/%s.fio", top, v);
		if (!path_exists(s->job_path)) {
			seterr(err, err_len, "%s: [workload] job = %s: no %s",
			       s->path, v, s->job_path);
			goto out;
		}
	}
	if (conf_get_long(&c, "workload", "runtime", 10, 1, 86400,
			  &s->runtime_s, err, err_len))
		goto out;
	v = conf_require(&c, "workload", "device", err, err_len);
	if (!v)
		goto out;
	s->device = xstrdup(v);
	v = conf_get(&c, "workload", "modules");
	if (v)
		strv_split(&s->modules, v);
	if (load_checks(&c, s, err, err_len) ||
	    get_bool(&c, "probes", "overhead", false, &s->overhead, err,
		     err_len) ||
	    get_bool(&c, "suite", "qemu_trace", false, &s->qemu_trace, err,
		     err_len))
		goto out;
	if (s->overhead && (s->trace_events || s->perf_record)) {
		seterr(err, err_len,
		       "%s: [probes] overhead = yes with trace or perf_record: they would count as probe overhead; use one",
		       s->path);
		goto out;
	}
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
	free(s->cmdq_mechanism);
	strv_free(&s->kernels);
	free(s->workload);
	free(s->wl);
	free(s->job);
	free(s->job_path);
	free(s->device);
	strv_free(&s->modules);
	for (size_t i = 0; i < s->nparams; i++) {
		free(s->params[i].name);
		strv_free(&s->params[i].values);
	}
	free(s->params);
	memset(s, 0, sizeof(*s));
}
