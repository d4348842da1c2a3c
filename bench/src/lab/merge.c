// SPDX-License-Identifier: GPL-2.0
#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/result.h"

static const char *str_of(json_object *o, const char *key)
{
	return json_object_get_string(json_object_object_get(o, key));
}

/* The cell's boot records, in boot order. */
static size_t sorted_boots(json_object *boots, json_object **out)
{
	size_t n = json_object_array_length(boots);

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
	for (size_t i = 0; i < json_object_array_length(src); i++) {
		json_object *e = json_object_array_get_idx(src, i), *c;

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

int lab_cell_merge(const struct lab_run *r, const struct lab_cell *cell,
		   char *err, size_t len)
{
	json_object *rec = NULL, *merged = NULL, *samples, *offs, *boots;
	json_object *sc = NULL, **order;
	const char *cell_status;
	char *path;
	size_t n;
	int ret = 0;

	for (size_t i = 0; i < json_object_array_length(r->kernels); i++) {
		json_object *k = json_object_array_get_idx(r->kernels, i);

		if (!strcmp(str_of(k, "cell") ? str_of(k, "cell") : "",
			    cell->id))
			rec = k;
	}
	if (!rec)
		return 0;
	boots = json_object_object_get(rec, "boots");
	order = xcalloc(json_object_array_length(boots) + 1, sizeof(*order));
	n = sorted_boots(boots, order);
	samples = json_object_new_array();
	offs = json_object_new_array();
	boots = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		long b = json_object_get_int64(
			json_object_object_get(order[i], "boot"));
		char *dir = xasprintf("%s/%s/%s", r->dir, cell->id,
				      str_of(order[i], "dir"));
		char *p = xasprintf("%s/result.json", dir), e[ERRLEN];
		json_object *res = str_of(order[i], "dir")[0] ?
					   result_load(p, e, sizeof(e)) :
					   NULL,
			    *bsc;

		json_object_array_add(boots, boot_entry(order[i], res));
		if (res && !merged)
			json_object_deep_copy(res, &merged, NULL);
		if (res) {
			append_tagged(samples,
				      json_object_object_get(res, "samples"),
				      b);
			append_tagged(
				offs,
				json_object_object_get(
					json_object_object_get(res, "overhead"),
					"off"),
				b);
		}
		free(p);
		p = xasprintf("%s/selfcheck.json", dir);
		bsc = path_exists(p) ? json_object_from_file(p) : NULL;
		if (bsc) {
			if (!sc) {
				sc = json_object_new_object();
				json_object_object_add(
					sc, "exact",
					json_object_new_boolean(true));
				json_object_object_add(sc, "windows",
						       json_object_new_array());
			}
			merge_selfcheck(sc, bsc, b);
			json_object_put(bsc);
		}
		json_object_put(res);
		free(p);
		free(dir);
	}
	free(order);
	if (!merged) {
		/* no boot left a result: nothing a reader could take */
		json_object_put(samples);
		json_object_put(offs);
		json_object_put(boots);
		json_object_put(sc);
		return 0;
	}
	cell_status = str_of(rec, "status");
	json_object_object_add(merged, "samples", samples);
	if (json_object_object_get(merged, "overhead"))
		json_object_object_add(json_object_object_get(merged,
							      "overhead"),
				       "off", offs);
	else
		json_object_put(offs);
	json_object_object_add(merged, "boots", boots);
	json_object_object_add(
		merged, "status",
		json_object_new_string(
			!strcmp(cell_status, "complete")   ? "complete" :
			!strcmp(cell_status, "incomplete") ? "incomplete" :
							     "failed"));
	if (!strcmp(cell_status, "complete"))
		json_object_object_add(merged, "error", NULL);
	else if (json_object_object_get(rec, "reason"))
		json_object_object_add(
			merged, "error",
			json_object_get(json_object_object_get(rec, "reason")));
	path = xasprintf("%s/%s/result.json", r->dir, cell->id);
	ret = write_doc(merged, path, err, len);
	free(path);
	if (sc && !ret) {
		path = xasprintf("%s/%s/selfcheck.json", r->dir, cell->id);
		ret = write_doc(sc, path, err, len);
		free(path);
	}
	json_object_put(sc);
	json_object_put(merged);
	return ret;
}
