// SPDX-License-Identifier: GPL-2.0
#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json_util.h"
#include "lib/result.h"

static const char *str_of(json_object *o, const char *key)
{
	return json_object_get_string(json_object_object_get(o, key));
}

/* The cell's boot records, in boot order. */
static size_t sorted_boots(json_object *boots, json_object **out)
{
	size_t n = json_array_len(boots);

	for (size_t i = 0; i < n; i++)
		out[i] = json_object_array_get_idx(boots, i);
	for (size_t i = 1; i < n; i++) {
		for (size_t j = i; j > 0; j--) {
			json_object *a = out[j - 1], *b = out[j];

			if (json_object_get_int64(
				    json_object_object_get(a, "boot")) <=
			    json_object_get_int64(
				    json_object_object_get(b, "boot")))
				break;
			out[j - 1] = b;
			out[j] = a;
		}
	}
	return n;
}

/* Append every element of src's array key to dst's, each with its boot. */
static void append_tagged(json_object *dst, json_object *src, long boot)
{
	for (size_t i = 0; i < json_array_len(src); i++) {
		json_object *e = json_object_array_get_idx(src, i), *c = NULL;

		json_object_deep_copy(e, &c, NULL);
		if (json_object_is_type(c, json_type_object))
			json_object_object_add(c, "boot",
					       json_object_new_int64(boot));
		json_object_array_add(dst, c);
	}
}

/* What a merged result says of one boot. */
static json_object *boot_entry(json_object *rec, json_object *res)
{
	json_object *e = json_object_new_object();

	json_object_object_add(
		e, "boot",
		json_object_get(json_object_object_get(rec, "boot")));
	json_object_object_add(
		e, "dir", json_object_get(json_object_object_get(rec, "dir")));
	json_object_object_add(
		e, "status",
		json_object_get(json_object_object_get(rec, "status")));
	/* what the guest's own result said: incomplete when interrupted */
	json_object_object_add(
		e, "result_status",
		res ? json_object_get(json_object_object_get(res, "status")) :
		      NULL);
	json_object_object_add(
		e, "error",
		res ? json_object_get(json_object_object_get(res, "error")) :
		      json_object_get(json_object_object_get(rec, "reason")));
	json_object_object_add(
		e, "started",
		res ? json_object_get(json_object_object_get(res, "started")) :
		      NULL);
	json_object_object_add(
		e, "host_load_1m",
		res ? json_object_get(json_object_object_get(
			      json_object_object_get(
				      json_object_object_get(
					      json_object_object_get(res,
								     "context"),
					      "lab"),
				      "host_load"),
			      "loadavg_1m")) :
		      NULL);
	json_object_object_add(
		e, "uptime_s",
		res ? json_object_get(json_object_object_get(
			      json_object_object_get(
				      json_object_object_get(res, "context"),
				      "host"),
			      "uptime_s")) :
		      NULL);
	return e;
}

/* The merged selfcheck: exact when every boot's is, every window. */
static void merge_selfcheck(json_object *sc, json_object *boot_sc, long boot)
{
	json_object *w = json_object_object_get(sc, "windows");
	bool exact =
		json_object_get_boolean(json_object_object_get(sc, "exact")) &&
		json_object_get_boolean(
			json_object_object_get(boot_sc, "exact"));

	json_object_object_add(sc, "exact", json_object_new_boolean(exact));
	append_tagged(w, json_object_object_get(boot_sc, "windows"), boot);
	if (json_object_object_get(boot_sc, "error") &&
	    !json_object_object_get(sc, "error"))
		json_object_object_add(sc, "error",
				       json_object_get(json_object_object_get(
					       boot_sc, "error")));
}

static int write_doc(json_object *doc, const char *path, char *err, size_t len)
{
	int ret = result_write(doc, path);

	if (ret)
		return seterr(err, len, "cannot write %s: %s", path,
			      strerror(-ret));
	return 0;
}

/* What is merged so far, boot by boot. */
struct merging {
	json_object *merged; /* the first boot's result, copied */
	json_object *samples, *offs, *boots;
	json_object *sc; /* the selfchecks, or NULL */
};

/* One boot's result and selfcheck into m. */
static void merge_boot(struct merging *m, const struct lab_run *r,
		       const struct lab_cell *cell, json_object *rec)
{
	long b = json_object_get_int64(json_object_object_get(rec, "boot"));
	const char *d = str_of(rec, "dir") ? str_of(rec, "dir") : "";
	char *dir = xasprintf("%s/%s/%s", r->dir, cell->id, d);
	char *p = xasprintf("%s/result.json", dir), e[ERRLEN];
	json_object *res = d[0] ? result_load(p, e, sizeof(e)) : NULL, *bsc;

	json_object_array_add(m->boots, boot_entry(rec, res));
	if (res) {
		if (!m->merged)
			json_object_deep_copy(res, &m->merged, NULL);
		append_tagged(m->samples,
			      json_object_object_get(res, "samples"), b);
		append_tagged(m->offs,
			      json_object_object_get(
				      json_object_object_get(res, "overhead"),
				      "off"),
			      b);
	}
	free(p);
	p = xasprintf("%s/selfcheck.json", dir);
	bsc = d[0] && path_exists(p) ?
		      json_doc_load(p, "self-check", NULL, 0, "selfcheck-v1", e,
				    sizeof(e)) :
		      NULL;
	if (bsc) {
		if (!m->sc) {
			m->sc = json_object_new_object();
			json_object_object_add(m->sc, "exact",
					       json_object_new_boolean(true));
			json_object_object_add(m->sc, "windows",
					       json_object_new_array());
		}
		merge_selfcheck(m->sc, bsc, b);
		json_object_put(bsc);
	}
	json_object_put(res);
	free(p);
	free(dir);
}

/*
 * The cell's status over its boots, as a result's: complete when every boot
 * of the run is; failed when a boot failed (its own result says so, or it
 * left none); else incomplete (interrupted, or boots still to run). The
 * error is the first boot's that did not complete.
 */
static void merged_status(json_object *merged, json_object *boots, long want)
{
	const char *status = "complete";
	json_object *error = NULL;
	long complete = 0;

	for (size_t i = 0; i < json_array_len(boots); i++) {
		json_object *e = json_object_array_get_idx(boots, i);
		const char *st = str_of(e, "status"),
			   *rs = str_of(e, "result_status");

		if (st && !strcmp(st, "complete")) {
			complete++;
			continue;
		}
		if (!error)
			error = json_object_object_get(e, "error");
		if (!rs || !strcmp(rs, "failed") || !strcmp(rs, "complete"))
			status = "failed";
		else if (strcmp(status, "failed"))
			status = "incomplete";
	}
	if (!strcmp(status, "complete") && complete < want)
		status = "incomplete";
	json_object_object_add(merged, "status",
			       json_object_new_string(status));
	json_object_object_add(merged, "error", json_object_get(error));
}

int lab_cell_merge(const struct lab_run *r, const struct lab_cell *cell,
		   char *err, size_t len)
{
	json_object *rec = lab_find_record(r, cell->id), **order;
	struct merging m = { 0 };
	char *path;
	int ret = 0;

	if (!rec)
		return 0;
	m.samples = json_object_new_array();
	m.offs = json_object_new_array();
	m.boots = json_object_new_array();
	order = xcalloc(json_array_len(json_object_object_get(rec, "boots")) +
				1,
			sizeof(*order));
	for (size_t i = 0, n = sorted_boots(
				   json_object_object_get(rec, "boots"), order);
	     i < n; i++)
		merge_boot(&m, r, cell, order[i]);
	free(order);
	/* without a boot that left a result, nothing a reader could take */
	if (m.merged) {
		json_object_object_add(m.merged, "samples",
				       json_object_get(m.samples));
		if (json_object_object_get(m.merged, "overhead"))
			json_object_object_add(
				json_object_object_get(m.merged, "overhead"),
				"off", json_object_get(m.offs));
		json_object_object_add(m.merged, "boots",
				       json_object_get(m.boots));
		merged_status(m.merged, m.boots, r->boots);
		path = xasprintf("%s/%s/result.json", r->dir, cell->id);
		ret = write_doc(m.merged, path, err, len);
		free(path);
		if (m.sc && !ret) {
			path = xasprintf("%s/%s/selfcheck.json", r->dir,
					 cell->id);
			ret = write_doc(m.sc, path, err, len);
			free(path);
		}
	}
	json_object_put(m.merged);
	json_object_put(m.samples);
	json_object_put(m.offs);
	json_object_put(m.boots);
	json_object_put(m.sc);
	return ret;
}
