// SPDX-License-Identifier: GPL-2.0
#include "calib.h"

#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json_util.h"
#include "lib/result.h"

char *calib_path(const char *dir, const char *host)
{
	const char *env = getenv("INVLAB_CALIBRATION");

	if (dir)
		return xasprintf("%s/%s.json", dir, host);
	if (env && *env)
		return xasprintf("%s/%s.json", env, host);
	return xasprintf("%s/results/calibration/%s.json", invlab_top(), host);
}

int calib_load(const char *path, struct calib *c, char *err, size_t err_len)
{
	memset(c, 0, sizeof(*c));
	c->path = xstrdup(path);
	if (!path_exists(path))
		return 0;
	c->doc = json_doc_load(path, "calibration", CALIB_SCHEMA, CALIB_VERSION,
			       "calibration-v1", err, err_len);
	if (!c->doc)
		goto fail;
	if (!json_object_is_type(json_path(c->doc, "suites"),
				 json_type_object)) {
		seterr(err, err_len,
		       "%s: \"suites\" is missing or not an object", path);
		goto fail;
	}
	return 0;
fail:
	calib_free(c);
	return -1;
}

void calib_free(struct calib *c)
{
	json_object_put(c->doc);
	free(c->path);
	memset(c, 0, sizeof(*c));
}

static double field(json_object *o, const char *key)
{
	json_object *v = json_object_object_get(o, key);

	if (!v || !(json_object_is_type(v, json_type_double) ||
		    json_object_is_type(v, json_type_int)))
		return NAN;
	return json_object_get_double(v);
}

/* A metric's entry as a prior; -1 unless it has a usable spread. */
static int entry_prior(json_object *e, const char *cell,
		       struct judge_ctx *prior)
{
	double sd = field(e, "boot_sd"), boots = field(e, "boots");

	if (!json_object_is_type(e, json_type_object) || !isfinite(sd) ||
	    sd < 0 || !(boots >= 2))
		return -1;
	prior->boot_sd = sd;
	prior->df = boots - 1;
	snprintf(prior->source, sizeof(prior->source),
		 "calibration %s (%.0f boots of %s)",
		 json_path_str(e, "run", "?"), boots, cell);
	return 0;
}

/* The matrix point of a cell id: after its '@', "" without one. */
static const char *point_of(const char *cell)
{
	const char *at = strchr(cell, '@');

	return at ? at : "";
}

int calib_prior(const struct calib *c, const char *suite, const char *cell,
		const char *metric, struct judge_ctx *prior)
{
	json_object *s = json_object_object_get(
		json_object_object_get(c->doc, "suites"), suite);

	prior->boot_sd = NAN;
	prior->df = 0;
	prior->source[0] = '\0';
	if (!json_object_is_type(s, json_type_object))
		return -1;
	if (!entry_prior(json_object_object_get(json_object_object_get(s, cell),
						metric),
			 cell, prior))
		return 0;
	json_object_object_foreach(s, other, cells)
	{
		if (strcmp(point_of(other), point_of(cell)) ||
		    !json_object_is_type(cells, json_type_object))
			continue;
		if (!entry_prior(json_object_object_get(cells, metric), other,
				 prior))
			return 0;
	}
	return -1;
}

/* One cell's noisy metrics: their spreads over its boots. */
static json_object *cell_entry(const struct policy *p, const struct cell *c,
			       const char *run_id, const char *made)
{
	json_object *o = json_object_new_object();

	for (size_t i = 0; i < c->nm; i++) {
		const struct metric *m = &c->m[i];
		const struct metric_rule *r = policy_rule(p, m->name);
		double *v = xcalloc(m->n + 1, sizeof(double));
		int *boot = xcalloc(m->n + 1, sizeof(int));
		struct samples s = { v, boot, metric_values(m, v, boot), NULL };
		struct var_comp vc;
		json_object *e;

		if (r && r->kind == KIND_NOISY && s.n) {
			var_components(&s, samples_positive(&s), &vc);
			if (vc.boots >= 3 && isfinite(vc.boot_sd)) {
				e = json_object_new_object();
				json_object_object_add(e, "boot_sd",
						       json_num(vc.boot_sd));
				json_object_object_add(e, "within",
						       json_num(vc.within));
				json_object_object_add(e, "between",
						       json_num(vc.between));
				json_object_object_add(
					e, "boots",
					json_object_new_int64(
						(int64_t)vc.boots));
				json_object_object_add(
					e, "windows",
					json_object_new_int64(
						(int64_t)vc.windows));
				json_object_object_add(
					e, "run",
					json_object_new_string(run_id));
				json_object_object_add(
					e, "made",
					json_object_new_string(made));
				json_object_object_add(o, m->name, e);
			}
		}
		free(v);
		free(boot);
	}
	return o;
}

size_t calib_add_run(struct calib *c, const struct policy *p,
		     const struct run *r, const char *host)
{
	json_object *suites, *s;
	size_t n = 0;
	char now[32];

	iso8601_now(now, sizeof(now));
	if (!c->doc) {
		c->doc = json_object_new_object();
		json_object_object_add(c->doc, "schema",
				       json_object_new_string(CALIB_SCHEMA));
		json_object_object_add(c->doc, "version",
				       json_object_new_int(CALIB_VERSION));
		json_object_object_add(c->doc, "host",
				       json_object_new_string(host));
		json_object_object_add(c->doc, "suites",
				       json_object_new_object());
	}
	suites = json_object_object_get(c->doc, "suites");
	s = json_object_object_get(suites, r->suite);
	if (!s) {
		s = json_object_new_object();
		json_object_object_add(suites, r->suite, s);
	}
	for (size_t i = 0; i < r->ncells; i++) {
		json_object *e = cell_entry(p, &r->cells[i], r->id, now);

		if (json_object_object_length(e)) {
			json_object_object_add(s, r->cells[i].id, e);
			n++;
		} else {
			json_object_put(e);
		}
	}
	return n;
}

int calib_write(const struct calib *c, char *err, size_t err_len)
{
	char *dir = xstrdup(c->path);
	int ret = mkdir_p(dirname(dir), 0755);

	free(dir);
	if (!ret)
		ret = result_write(c->doc, c->path);
	if (ret)
		return seterr(err, err_len, "cannot write %s: %s", c->path,
			      strerror(-ret));
	return 0;
}
