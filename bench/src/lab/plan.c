// SPDX-License-Identifier: GPL-2.0
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json_util.h"
#include "lib/knob.h"
#include "lib/result.h"

/* The swept parameters (more than one value) of a combination, joined by
 * '+': what names a cell, so fixed settings do not lengthen every name.
 */
static char *swept_only(const struct suite *s, const char *combination)
{
	struct strv kv = { 0 };
	char *out = xstrdup(""), *t;

	strv_split(&kv, combination);
	for (size_t i = 0; i < kv.n && i < s->matrix.n; i++) {
		if (s->matrix.params[i].values.n < 2)
			continue;
		t = xasprintf("%s%s%s", out, *out ? "+" : "", kv.v[i]);
		free(out);
		out = t;
	}
	strv_free(&kv);
	return out;
}

struct lab_cell *lab_plan_cells(const struct suite *s,
				const struct strv *kernels, size_t *n)
{
	size_t combos = matrix_combinations(&s->matrix);
	struct lab_cell *cells =
		xcalloc(kernels->n * combos + 1, sizeof(*cells));

	*n = 0;
	for (size_t k = 0; k < kernels->n; k++) {
		for (size_t i = 0; i < combos; i++) {
			struct lab_cell *c = &cells[(*n)++];
			char *plus;

			c->kernel = xstrdup(kernels->v[k]);
			c->params = matrix_combination(&s->matrix, i);
			plus = swept_only(s, c->params);
			c->id = *plus ? xasprintf("%s@%s", c->kernel, plus) :
					xstrdup(c->kernel);
			free(plus);
		}
	}
	return cells;
}

json_object *lab_params_json(const char *params)
{
	json_object *o = json_object_new_object();
	struct strv kv = { 0 };

	strv_split(&kv, params);
	for (size_t i = 0; i < kv.n; i++) {
		char *eq = strchr(kv.v[i], '=');

		if (!eq)
			continue;
		*eq = '\0';
		json_object_object_add(o, kv.v[i],
				       json_object_new_string(eq + 1));
	}
	strv_free(&kv);
	return o;
}

static json_object *plan_json(const struct lab_cell *cells, size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_new_object();

		json_object_object_add(c, "cell",
				       json_object_new_string(cells[i].id));
		json_object_object_add(c, "kernel",
				       json_object_new_string(cells[i].kernel));
		json_object_object_add(c, "params",
				       json_object_new_string(cells[i].params));
		json_object_array_add(a, c);
	}
	return a;
}

int lab_run_write(const struct lab_run *r, const char *status)
{
	const struct suite *s = &r->s;
	char hex[65];
	json_object *run = json_object_new_object();
	char now[32], *path = xasprintf("%s/run.json", r->dir);
	int ret;

	iso8601_now(now, sizeof(now));
	json_object_object_add(run, "schema",
			       json_object_new_string("invlab.run"));
	json_object_object_add(run, "version", json_object_new_int(1));
	json_object_object_add(run, "run_id",
			       json_object_new_string(r->run_id));
	json_object_object_add(run, "suite", json_object_new_string(s->name));
	json_object_object_add(run, "description",
			       json_object_new_string(s->description));
	json_object_object_add(run, "suite_path",
			       json_object_new_string(s->path));
	json_object_object_add(
		run, "suite_sha256",
		sha256_file(s->path, hex) ? NULL : json_object_new_string(hex));
	json_object_object_add(run, "plan", plan_json(r->cells, r->ncells));
	json_object_object_add(run, "boots", json_object_new_int64(r->boots));
	{
		json_object *t = json_object_new_object();

		json_object_object_add(t, "mode",
				       json_object_new_string(r->timing.mode));
		json_object_object_add(
			t, "icount",
			r->timing.icount[0] ?
				json_object_new_string(r->timing.icount) :
				NULL);
		json_object_object_add(run, "timing", t);
	}
	json_object_object_add(run, "boot_order", json_object_get(r->order));
	json_object_object_add(run, "status", json_object_new_string(status));
	json_object_object_add(run, "started",
			       json_object_new_string(r->started));
	json_object_object_add(
		run, "finished",
		strcmp(status, "running") ? json_object_new_string(now) : NULL);
	json_object_object_add(run, "kernels", json_object_get(r->kernels));
	ret = result_write(run, path);
	json_object_put(run);
	free(path);
	return ret;
}

static const char *str_of(json_object *o, const char *key)
{
	return json_object_get_string(json_object_object_get(o, key));
}

/* The cells of run.json's plan. */
static struct lab_cell *plan_cells_of(json_object *plan, size_t *n)
{
	struct lab_cell *cells;

	*n = json_array_len(plan);
	cells = xcalloc(*n + 1, sizeof(*cells));
	for (size_t i = 0; i < *n; i++) {
		json_object *c = json_object_array_get_idx(plan, i);

		cells[i].id = xstrdup(str_of(c, "cell"));
		cells[i].kernel = xstrdup(str_of(c, "kernel"));
		cells[i].params = xstrdup(str_of(c, "params"));
	}
	return cells;
}

/*
 * The cell records of run.json with only their complete boots: what a
 * resumed run keeps. -1 for a run.json of an invlab before boots.
 */
static int kept_boots(json_object *kernels, json_object **kept)
{
	*kept = json_object_new_array();
	for (size_t i = 0; i < json_array_len(kernels); i++) {
		json_object *k = json_object_array_get_idx(kernels, i),
			    *c = NULL;
		json_object *boots = json_object_object_get(k, "boots"), *keep;

		if (!json_object_is_type(boots, json_type_array)) {
			json_object_put(*kept);
			*kept = NULL;
			return -1;
		}
		keep = json_object_new_array();
		for (size_t b = 0; b < json_array_len(boots); b++) {
			json_object *bt = json_object_array_get_idx(boots, b);
			const char *st = str_of(bt, "status");

			if (st && !strcmp(st, "complete"))
				json_object_array_add(keep,
						      json_object_get(bt));
		}
		json_object_deep_copy(k, &c, NULL);
		json_object_object_add(c, "boots", keep);
		json_object_array_add(*kept, c);
	}
	return 0;
}

int lab_run_resume(struct lab_run *r, const char *dir, char *err, size_t len)
{
	char *path = xasprintf("%s/run.json", dir), hex[65];
	json_object *run = NULL, *plan, *kernels;
	const char *suite_path, *sha;
	int ret = -1;

	if (!path_exists(path)) {
		seterr(err, len,
		       "%s has no run.json: not a run this invlab can resume",
		       dir);
		goto out;
	}
	run = json_doc_load(path, "run", "invlab.run", 1, "run-v1", err, len);
	if (!run)
		goto out;
	if (!json_object_object_get_ex(run, "plan", &plan) ||
	    !json_object_object_get_ex(run, "kernels", &kernels)) {
		seterr(err, len,
		       "%s has no plan or no kernels: not a run this invlab can resume",
		       path);
		goto out;
	}
	suite_path = str_of(run, "suite_path");
	sha = str_of(run, "suite_sha256");
	if (!suite_path || !str_of(run, "run_id") || !str_of(run, "started")) {
		seterr(err, len,
		       "%s has no %s: not a run this invlab can resume", path,
		       !suite_path	      ? "suite_path" :
		       !str_of(run, "run_id") ? "run_id" :
						"started");
		goto out;
	}
	if (suite_load(invlab_top(), suite_path, &r->s, err, len))
		goto out;
	if (!sha || sha256_file(r->s.path, hex) || strcmp(hex, sha)) {
		seterr(err, len,
		       "%s changed since run %s started: resuming would mix two suites; start a new run",
		       r->s.path, dir);
		suite_free(&r->s);
		goto out;
	}
	if (kept_boots(kernels, &r->kernels)) {
		seterr(err, len,
		       "%s was written by an invlab before boots (its cells have no boots[]): resume it with that invlab, or start a new run",
		       path);
		suite_free(&r->s);
		goto out;
	}
	snprintf(r->run_id, sizeof(r->run_id), "%s", str_of(run, "run_id"));
	snprintf(r->started, sizeof(r->started), "%s", str_of(run, "started"));
	r->cells = plan_cells_of(plan, &r->ncells);
	r->boots = json_object_get_int64(json_object_object_get(run, "boots"));
	if (r->boots < 1)
		r->boots = r->s.boots;
	/* the clock the run started with, whatever the files say now */
	snprintf(r->timing.mode, sizeof(r->timing.mode), "%s",
		 json_path_str(run, "timing.mode", ""));
	snprintf(r->timing.icount, sizeof(r->timing.icount), "%s",
		 json_path_str(run, "timing.icount", ""));
	r->order = json_object_new_array();
	{
		json_object *o = json_object_object_get(run, "boot_order");

		for (size_t i = 0; i < json_array_len(o); i++)
			json_object_array_add(
				r->order,
				json_object_get(
					json_object_array_get_idx(o, i)));
	}
	r->dir = xstrdup(dir);
	ret = 0;
out:
	json_object_put(run);
	free(path);
	return ret;
}

json_object *lab_find_record(const struct lab_run *r, const char *id)
{
	for (size_t i = 0; i < json_array_len(r->kernels); i++) {
		json_object *k = json_object_array_get_idx(r->kernels, i);
		const char *cid = str_of(k, "cell");

		if (cid && !strcmp(cid, id))
			return k;
	}
	return NULL;
}

json_object *lab_cell_record(struct lab_run *r, const struct lab_cell *cell)
{
	json_object *k = lab_find_record(r, cell->id);

	if (k)
		return k;
	k = json_object_new_object();
	json_object_object_add(k, "cell", json_object_new_string(cell->id));
	json_object_object_add(k, "label",
			       json_object_new_string(cell->kernel));
	json_object_object_add(k, "params", lab_params_json(cell->params));
	json_object_object_add(k, "status",
			       json_object_new_string("incomplete"));
	json_object_object_add(k, "reason", NULL);
	json_object_object_add(k, "boots", json_object_new_array());
	json_object_array_add(r->kernels, k);
	return k;
}

/* The cell's status over its boots, and the first failure's reason. */
static void cell_status(const struct lab_run *r, json_object *k)
{
	json_object *boots = json_object_object_get(k, "boots");
	const char *status = NULL, *reason = NULL;
	size_t complete = 0;
	double seconds = 0;

	for (size_t i = 0; i < json_array_len(boots); i++) {
		json_object *b = json_object_array_get_idx(boots, i);
		const char *st = str_of(b, "status");

		seconds += json_object_get_double(
			json_object_object_get(b, "seconds"));
		if (st && !strcmp(st, "complete")) {
			complete++;
		} else if (!status) {
			status = st ? st : "failed";
			reason = str_of(b, "reason");
		}
		if (json_object_object_get(b, "release"))
			json_object_object_add(
				k, "release",
				json_object_get(
					json_object_object_get(b, "release")));
	}
	if (!status)
		status = (long)complete >= r->boots ? "complete" : "incomplete";
	json_object_object_add(k, "status", json_object_new_string(status));
	json_object_object_add(k, "reason",
			       reason ? json_object_new_string(reason) : NULL);
	json_object_object_add(k, "seconds", json_object_new_double(seconds));
	json_object_object_add(k, "boots_complete",
			       json_object_new_int64((int64_t)complete));
}

void lab_cell_add_boot(struct lab_run *r, const struct lab_cell *cell, long n,
		       json_object *boot)
{
	json_object *k = lab_cell_record(r, cell);
	json_object *boots = json_object_object_get(k, "boots"), *b;
	size_t i;

	for (i = 0; i < json_array_len(boots); i++) {
		b = json_object_array_get_idx(boots, i);
		if (json_object_get_int64(json_object_object_get(b, "boot")) ==
		    n)
			break;
	}
	if (i < json_array_len(boots))
		json_object_array_put_idx(boots, i, boot);
	else
		json_object_array_add(boots, boot);
	cell_status(r, k);
}

size_t lab_boot_group(const struct lab_run *r, size_t i, long n,
		      const bool *taken, size_t *idx)
{
	const struct lab_cell *c = &r->cells[i];
	char *key = knob_boot_params(c->params), *other;
	size_t k = 0;

	idx[k++] = i;
	if (!r->s.share_boot || r->s.qemu_trace || r->s.hang_first_boot ||
	    r->s.guest_script)
		goto out;
	for (size_t j = i + 1; j < r->ncells; j++) {
		const struct lab_cell *d = &r->cells[j];

		if (taken[j] || strcmp(d->kernel, c->kernel) ||
		    lab_boot_kept(r, d->id, n))
			continue;
		other = knob_boot_params(d->params);
		if (!strcmp(other, key))
			idx[k++] = j;
		free(other);
	}
out:
	free(key);
	return k;
}

bool lab_boot_kept(const struct lab_run *r, const char *id, long n)
{
	json_object *k = lab_find_record(r, id);
	json_object *boots = json_object_object_get(k, "boots");

	for (size_t i = 0; i < json_array_len(boots); i++) {
		json_object *b = json_object_array_get_idx(boots, i);
		const char *st = str_of(b, "status");

		if (json_object_get_int64(json_object_object_get(b, "boot")) ==
			    n &&
		    st && !strcmp(st, "complete"))
			return true;
	}
	return false;
}

char *lab_boot_dir(const struct lab_run *r, const char *id, long n)
{
	return xasprintf("%s/%s/boot-%ld", r->dir, id, n);
}

char *lab_boot_move_aside(const struct lab_run *r, const char *id, long n)
{
	char *from = lab_boot_dir(r, id, n), *to = NULL;

	if (!path_exists(from)) {
		free(from);
		return NULL;
	}
	for (int a = 1; a < 1000; a++) {
		free(to);
		to = xasprintf("%s/%s/.attempt-%d-boot-%ld", r->dir, id, a, n);
		if (!path_exists(to))
			break;
	}
	if (rename(from, to)) {
		free(to);
		to = NULL;
	}
	free(from);
	return to;
}

void lab_run_free(struct lab_run *r)
{
	for (size_t i = 0; i < r->ncells; i++) {
		free(r->cells[i].kernel);
		free(r->cells[i].params);
		free(r->cells[i].id);
	}
	free(r->cells);
	json_object_put(r->kernels);
	json_object_put(r->order);
	free(r->dir);
	suite_free(&r->s);
	memset(r, 0, sizeof(*r));
}
