// SPDX-License-Identifier: GPL-2.0
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

	*n = json_object_array_length(plan);
	cells = xcalloc(*n + 1, sizeof(*cells));
	for (size_t i = 0; i < *n; i++) {
		json_object *c = json_object_array_get_idx(plan, i);

		cells[i].id = xstrdup(str_of(c, "cell"));
		cells[i].kernel = xstrdup(str_of(c, "kernel"));
		cells[i].params = xstrdup(str_of(c, "params"));
	}
	return cells;
}

/* The boot records of run.json's complete cells. */
static json_object *complete_boots(json_object *kernels)
{
	json_object *kept = json_object_new_array();

	for (size_t i = 0; i < json_object_array_length(kernels); i++) {
		json_object *k = json_object_array_get_idx(kernels, i);
		const char *st = str_of(k, "status");

		if (st && !strcmp(st, "complete"))
			json_object_array_add(kept, json_object_get(k));
	}
	return kept;
}

int lab_run_resume(struct lab_run *r, const char *dir, char *err, size_t len)
{
	char *path = xasprintf("%s/run.json", dir), hex[65];
	json_object *run = json_object_from_file(path), *plan, *kernels;
	const char *suite_path, *sha;
	int ret = -1;

	if (!run || !json_object_object_get_ex(run, "plan", &plan) ||
	    !json_object_object_get_ex(run, "kernels", &kernels) ||
	    !json_object_is_type(plan, json_type_array)) {
		seterr(err, len,
		       "%s is missing, not JSON or has no plan: not a run this invlab can resume",
		       path);
		goto out;
	}
	suite_path = str_of(run, "suite_path");
	sha = str_of(run, "suite_sha256");
	if (!suite_path ||
	    suite_load(invlab_top(), suite_path, &r->s, err, len))
		goto out;
	if (!sha || sha256_file(r->s.path, hex) || strcmp(hex, sha)) {
		seterr(err, len,
		       "%s changed since run %s started: resuming would mix two suites; start a new run",
		       r->s.path, dir);
		suite_free(&r->s);
		goto out;
	}
	snprintf(r->run_id, sizeof(r->run_id), "%s", str_of(run, "run_id"));
	snprintf(r->started, sizeof(r->started), "%s", str_of(run, "started"));
	r->cells = plan_cells_of(plan, &r->ncells);
	r->kernels = complete_boots(kernels);
	r->dir = xstrdup(dir);
	ret = 0;
out:
	json_object_put(run);
	free(path);
	return ret;
}

bool lab_cell_kept(const struct lab_run *r, const char *id)
{
	for (size_t i = 0; i < json_object_array_length(r->kernels); i++) {
		json_object *k = json_object_array_get_idx(r->kernels, i);
		const char *cid = str_of(k, "cell");

		if (!cid)
			cid = str_of(k, "label");
		if (cid && !strcmp(cid, id))
			return true;
	}
	return false;
}

void lab_cell_move_aside(const struct lab_run *r, const char *id)
{
	char *from = xasprintf("%s/%s", r->dir, id), *to = NULL;

	if (!path_exists(from)) {
		free(from);
		return;
	}
	for (int n = 1; n < 1000; n++) {
		free(to);
		to = xasprintf("%s/.attempt-%d-%s", r->dir, n, id);
		if (!path_exists(to))
			break;
	}
	if (rename(from, to) == 0)
		say("cell %s: earlier attempt moved to %s", id, to);
	free(from);
	free(to);
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
	free(r->dir);
	suite_free(&r->s);
	memset(r, 0, sizeof(*r));
}
