// SPDX-License-Identifier: GPL-2.0
/*
 * History entries: built from a loaded run, written once per host and run
 * id, read back and checked. Merging lives in histmerge.c.
 */
#include "history.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/atomic_file.h"
#include "lib/names.h"

/*
 * The context keys a trend report marks changes of, as dotted paths in a
 * result's context. The digest keeps them at the same paths, so ctxdiff()
 * (and its policy's ignore lists) applies to digests unchanged.
 */
static const char *const digest_paths[] = {
	"kernel.release",     "kernel.config.sha256", "kernel.cmdline",
	"lab.kernel.patches", "lab.qemu.version",     "lab.topology.sha256",
	"lab.topology.name",
};

/* Set o.a.b.c = v, making the objects on the way. */
static void set_path(json_object *o, const char *path, json_object *v)
{
	char key[128];
	const char *p = path;

	for (;;) {
		size_t len = strcspn(p, ".");
		json_object *next;

		snprintf(key, sizeof(key), "%.*s", (int)len, p);
		if (!p[len]) {
			json_object_object_add(o, key, v);
			return;
		}
		if (!json_object_object_get_ex(o, key, &next)) {
			next = json_object_new_object();
			json_object_object_add(o, key, next);
		}
		o = next;
		p += len + 1;
	}
}

static json_object *digest(json_object *result)
{
	json_object *d = json_object_new_object();

	for (size_t i = 0; i < sizeof(digest_paths) / sizeof(*digest_paths);
	     i++) {
		json_object *v = json_path(json_path(result, "context"),
					   digest_paths[i]);

		if (v && !json_object_is_type(v, json_type_null))
			set_path(d, digest_paths[i], json_object_get(v));
	}
	return d;
}

/* Ten significant digits: every digit a benchmark means, and compact. */
static json_object *sample_json(double v)
{
	char buf[32];

	if (isnan(v) || isinf(v))
		return NULL;
	snprintf(buf, sizeof(buf), "%.10g", v);
	return json_object_new_double_s(v, buf);
}

/* How many boots a metric's windows came from (at least 1). */
static int metric_boots(const struct metric *m)
{
	int k = 1;

	for (size_t w = 0; w < m->n; w++)
		k = m->boot[w] > k ? m->boot[w] : k;
	return k;
}

static json_object *boots_json(const struct metric *m)
{
	json_object *a = json_object_new_array();

	for (size_t w = 0; w < m->n; w++)
		json_object_array_add(a, json_object_new_int(m->boot[w]));
	return a;
}

static json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

json_object *history_entry_json(const struct run *r, const char *host)
{
	json_object *e = json_object_new_object(), *cells;

	json_object_object_add(e, "schema",
			       json_object_new_string(HISTORY_SCHEMA));
	json_object_object_add(e, "version",
			       json_object_new_int(HISTORY_VERSION));
	json_object_object_add(e, "host", json_object_new_string(host));
	json_object_object_add(e, "run_id", json_object_new_string(r->id));
	json_object_object_add(e, "suite", json_object_new_string(r->suite));
	json_object_object_add(e, "status", json_object_new_string(r->status));
	json_object_object_add(e, "started",
			       json_object_new_string(r->started));
	cells = json_object_new_object();
	for (size_t i = 0; i < r->ncells; i++) {
		const struct cell *c = &r->cells[i];
		json_object *o = json_object_new_object(), *ms, *boots;

		json_object_object_add(o, "status",
				       json_object_new_string(c->status));
		json_object_object_add(o, "reason", str_or_null(c->reason));
		json_object_object_add(o, "error",
				       str_or_null(c->result ? NULL :
							       c->result_err));
		json_object_object_add(o, "context", digest(c->result));
		ms = json_object_new_object();
		boots = json_object_new_object();
		for (size_t k = 0; k < c->nm; k++) {
			json_object *a = json_object_new_array();

			for (size_t w = 0; w < c->m[k].n; w++)
				json_object_array_add(
					a, sample_json(c->m[k].v[w]));
			json_object_object_add(ms, c->m[k].name, a);
			if (metric_boots(&c->m[k]) > 1)
				json_object_object_add(boots, c->m[k].name,
						       boots_json(&c->m[k]));
		}
		json_object_object_add(o, "metrics", ms);
		/* each sample's boot, for metrics of more than one */
		if (json_object_object_length(boots))
			json_object_object_add(o, "boots", boots);
		else
			json_object_put(boots);
		json_object_object_add(cells, c->id, o);
	}
	json_object_object_add(e, "cells", cells);
	return e;
}

char *history_entry_text(json_object *entry, size_t *len)
{
	const char *text = json_object_to_json_string_length(
		entry, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
		len);
	char *buf = xasprintf("%s\n", text);

	*len += 1;
	return buf;
}

int history_append_entry(const struct run *r, const char *host,
			 struct hist_append *a, char *err, size_t err_len)
{
	json_object *e;

	memset(a, 0, sizeof(*a));
	if (name_check("host name", host, err, err_len))
		return -1;
	if (!name_ok(r->id))
		return seterr(err, err_len,
			      "%s: run id '%s' cannot name a file", r->dir,
			      r->id);
	e = history_entry_json(r, host);
	a->text = history_entry_text(e, &a->len);
	json_object_put(e);
	a->outcome = APPEND_ADDED;
	return 0;
}

int history_append_plan(const char *dir, const struct run *r, const char *host,
			bool replace, struct hist_append *a, char *err,
			size_t err_len)
{
	char *old;
	size_t old_len;
	int ret = 0;

	if (history_append_entry(r, host, a, err, err_len))
		return -1;
	a->hostdir = xasprintf("%s/%s", dir, host);
	a->path = xasprintf("%s/%s.json", a->hostdir, r->id);
	old = read_file(a->path, &old_len);
	if (!old && errno != ENOENT) {
		ret = seterr(err, err_len, "cannot read %s: %s", a->path,
			     strerror(errno));
	} else if (old && old_len == a->len && !memcmp(old, a->text, a->len)) {
		a->outcome = APPEND_SAME;
	} else if (old && !replace) {
		ret = seterr(
			err, err_len,
			"%s already holds run %s of host %s with other content (the run changed since it was appended?); --replace overwrites it",
			a->path, r->id, host);
	} else {
		a->outcome = old ? APPEND_REPLACED : APPEND_ADDED;
	}
	free(old);
	if (ret)
		history_append_free(a);
	return ret;
}

int history_append_write(const struct hist_append *a, char *err, size_t err_len)
{
	int werr;

	if (a->outcome == APPEND_SAME)
		return 0;
	if (mkdir_p(a->hostdir, 0755))
		return seterr(err, err_len, "cannot create %s: %s", a->hostdir,
			      strerror(errno));
	werr = atomic_write(a->path, a->text, a->len);
	if (werr)
		return seterr(err, err_len, "cannot write %s: %s", a->path,
			      strerror(-werr));
	return 0;
}

void history_append_free(struct hist_append *a)
{
	free(a->path);
	free(a->hostdir);
	free(a->text);
	memset(a, 0, sizeof(*a));
}

/* ---- reading entries back ------------------------------------------- */

static const char *get_str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static bool is_number(json_object *v)
{
	return json_object_is_type(v, json_type_int) ||
	       json_object_is_type(v, json_type_double);
}

/* The boot of each of m's samples (absent: all from boot 1). */
static int boots_parse(struct metric *m, json_object *a)
{
	if (!a)
		return 0;
	if (!json_object_is_type(a, json_type_array) ||
	    json_object_array_length(a) != m->n)
		return -1;
	for (size_t w = 0; w < m->n; w++) {
		json_object *b = json_object_array_get_idx(a, w);

		if (!json_object_is_type(b, json_type_int) ||
		    json_object_get_int(b) < 1)
			return -1;
		m->boot[w] = json_object_get_int(b);
	}
	return 0;
}

static int cell_parse(struct hist_cell *c, const char *id, json_object *o,
		      const char *path, char *err, size_t err_len)
{
	json_object *ms, *ctx;
	const char *status = get_str(o, "status"), *reason;

	c->id = xstrdup(id);
	if (!json_object_is_type(o, json_type_object) || !status)
		return seterr(err, err_len, "%s: cell %s has no \"status\"",
			      path, id);
	c->status = xstrdup(status);
	reason = get_str(o, "reason");
	c->reason = reason ? xstrdup(reason) : NULL;
	c->error = get_str(o, "error") ? xstrdup(get_str(o, "error")) : NULL;
	if (json_object_object_get_ex(o, "context", &ctx) &&
	    json_object_is_type(ctx, json_type_object))
		c->context = json_object_get(ctx);
	if (!json_object_object_get_ex(o, "metrics", &ms) ||
	    !json_object_is_type(ms, json_type_object))
		return seterr(err, err_len,
			      "%s: cell %s has no \"metrics\" object", path,
			      id);
	c->m = xcalloc(json_object_object_length(ms) + 1, sizeof(*c->m));
	json_object_object_foreach(ms, name, a)
	{
		struct metric *m = &c->m[c->nm++];

		m->name = xstrdup(name);
		if (!json_object_is_type(a, json_type_array))
			return seterr(
				err, err_len,
				"%s: cell %s metric %s is not an array of samples",
				path, id, name);
		m->n = json_object_array_length(a);
		m->v = xcalloc(m->n + 1, sizeof(double));
		m->boot = xcalloc(m->n + 1, sizeof(int));
		for (size_t w = 0; w < m->n; w++) {
			json_object *v = json_object_array_get_idx(a, w);

			if (v && !is_number(v))
				return seterr(
					err, err_len,
					"%s: cell %s metric %s sample %zu is not a number",
					path, id, name, w);
			m->v[w] = v ? json_object_get_double(v) : NAN;
			m->boot[w] = 1;
		}
		if (boots_parse(m, json_object_object_get(
					   json_object_object_get(o, "boots"),
					   name)))
			return seterr(
				err, err_len,
				"%s: cell %s: boots.%s is not an array of %zu boot numbers (1 and up)",
				path, id, name, m->n);
	}
	return 0;
}

/* e from doc, a checked entry read from e->path; doc is put. */
static int entry_parse(json_object *doc, struct hist_entry *e, char *err,
		       size_t err_len)
{
	static const char *const fields[] = { "host", "run_id", "suite",
					      "status", "started" };
	char **dst[] = { &e->host, &e->run_id, &e->suite, &e->status,
			 &e->started };
	json_object *cells;
	int ret = -1;

	if (!doc) {
		history_entry_free(e);
		return -1;
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++) {
		if (!get_str(doc, fields[i])) {
			seterr(err, err_len, "%s: no \"%s\" string", e->path,
			       fields[i]);
			goto out;
		}
		*dst[i] = xstrdup(get_str(doc, fields[i]));
	}
	if (!json_object_object_get_ex(doc, "cells", &cells) ||
	    !json_object_is_type(cells, json_type_object)) {
		seterr(err, err_len, "%s: no \"cells\" object", e->path);
		goto out;
	}
	e->cells = xcalloc(json_object_object_length(cells) + 1,
			   sizeof(*e->cells));
	json_object_object_foreach(cells, id, o)
	{
		if (cell_parse(&e->cells[e->ncells++], id, o, e->path, err,
			       err_len))
			goto out;
	}
	ret = 0;
out:
	json_object_put(doc);
	if (ret)
		history_entry_free(e);
	return ret;
}

int history_entry_load(const char *path, struct hist_entry *e, char *err,
		       size_t err_len)
{
	memset(e, 0, sizeof(*e));
	e->path = xstrdup(path);
	return entry_parse(json_doc_load(path, "history entry", HISTORY_SCHEMA,
					 HISTORY_VERSION, "history-entry-v1",
					 err, err_len),
			   e, err, err_len);
}

int history_entry_parse(const char *text, size_t len, const char *where,
			struct hist_entry *e, char *err, size_t err_len)
{
	memset(e, 0, sizeof(*e));
	e->path = xstrdup(where);
	return entry_parse(json_doc_parse(text, len, where, "history entry",
					  HISTORY_SCHEMA, HISTORY_VERSION,
					  "history-entry-v1", err, err_len),
			   e, err, err_len);
}

void history_entry_free(struct hist_entry *e)
{
	for (size_t i = 0; i < e->ncells; i++) {
		struct hist_cell *c = &e->cells[i];

		metrics_free(c->m, c->nm);
		free(c->id);
		free(c->status);
		free(c->reason);
		free(c->error);
		json_object_put(c->context);
	}
	free(e->cells);
	free(e->path);
	free(e->host);
	free(e->run_id);
	free(e->suite);
	free(e->status);
	free(e->started);
	memset(e, 0, sizeof(*e));
}

bool history_is_entry_name(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && len > 5 && !strcmp(name + len - 5, ".json");
}

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

int history_entry_placed(const struct hist_entry *e, const char *host,
			 const char *name, char *err, size_t err_len)
{
	char *want = xasprintf("%s.json", e->run_id);
	int ret = 0;

	if ((host && strcmp(e->host, host)) || strcmp(name, want))
		ret = seterr(err, err_len,
			     "%s: entry of host %s, run %s, filed as %s%s%s",
			     e->path, e->host, e->run_id, host ? host : "",
			     host ? "/" : "", name);
	free(want);
	return ret;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct hist_entry *x = a, *y = b;
	int c = strcmp(x->host, y->host);

	if (!c)
		c = strcmp(x->started, y->started);
	return c ? c : strcmp(x->run_id, y->run_id);
}

static bool wanted(const struct strv *hosts, const char *host)
{
	if (!hosts || !hosts->n)
		return true;
	for (size_t i = 0; i < hosts->n; i++) {
		if (!strcmp(hosts->v[i], host))
			return true;
	}
	return false;
}

static int load_host(const char *hostdir, const char *host, struct history *h,
		     size_t *cap, char *err, size_t err_len)
{
	struct dirent **names;
	int n = scandir(hostdir, &names, NULL, alphasort), ret = 0;

	if (n < 0)
		return seterr(err, err_len, "%s: cannot list: %s", hostdir,
			      strerror(errno));
	for (int i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", hostdir, names[i]->d_name);
		struct hist_entry *e;

		if (!ret && history_is_entry_name(names[i]->d_name)) {
			h->e = xgrow(h->e, cap, h->n + 1, sizeof(*h->e));
			e = &h->e[h->n];
			ret = history_entry_load(path, e, err, err_len);
			if (!ret) {
				h->n++;
				ret = history_entry_placed(e, host,
							   names[i]->d_name,
							   err, err_len);
			}
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return ret;
}

int history_load(const char *dir, const struct strv *hosts, struct history *h,
		 char *err, size_t err_len)
{
	struct dirent **names;
	size_t cap = 0;
	int n, ret = 0;

	memset(h, 0, sizeof(*h));
	if (!is_dir(dir))
		return seterr(err, err_len, "%s: no such history directory",
			      dir);
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return seterr(err, err_len, "%s: cannot list: %s", dir,
			      strerror(errno));
	for (int i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]->d_name);

		if (!ret && names[i]->d_name[0] != '.' && is_dir(path) &&
		    wanted(hosts, names[i]->d_name))
			ret = load_host(path, names[i]->d_name, h, &cap, err,
					err_len);
		free(path);
		free(names[i]);
	}
	free(names);
	if (ret) {
		history_free(h);
		return -1;
	}
	history_sort(h);
	return 0;
}

void history_sort(struct history *h)
{
	if (h->n)
		qsort(h->e, h->n, sizeof(*h->e), cmp_entry);
}

bool history_has_metric(const struct history *h, const char *glob)
{
	for (size_t i = 0; i < h->n; i++)
		for (size_t c = 0; c < h->e[i].ncells; c++)
			for (size_t k = 0; k < h->e[i].cells[c].nm; k++)
				if (!fnmatch(glob, h->e[i].cells[c].m[k].name,
					     0))
					return true;
	return false;
}

void history_free(struct history *h)
{
	for (size_t i = 0; i < h->n; i++)
		history_entry_free(&h->e[i]);
	free(h->e);
	memset(h, 0, sizeof(*h));
}
