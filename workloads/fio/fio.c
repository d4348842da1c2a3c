// SPDX-License-Identifier: GPL-2.0
/*
 * [workload] type = fio: a fio job on the suite's NVMe namespace, one fio
 * run per window, its JSON output kept beside result.json.
 */
#include "fio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/names.h"
#include "workloads/workload.h"

static char *job_path(const char *top, const char *job)
{
	return xasprintf("%s/workloads/fio/jobs/%s.fio", top, job);
}

int fio_pick_job(const char *top, const struct fio_opts *o,
		 const struct strv *kv, struct fio_opts *cell, char *err,
		 size_t err_len)
{
	char *job = matrix_expand(o->job, kv), *path;

	if (!job)
		return seterr(err, err_len,
			      "[workload] job = %s: a parameter is missing",
			      o->job);
	/* a job is a file of workloads/fio/jobs, nowhere else */
	if (name_check("fio job", job, err, err_len)) {
		free(job);
		return -1;
	}
	path = job_path(top, job);
	snprintf(cell->job, sizeof(cell->job), "%s", job);
	snprintf(cell->path, sizeof(cell->path), "%s", path);
	free(job);
	free(path);
	return 0;
}

/*
 * The job a suite names (at a matrix point: combo, else NULL) is a name of
 * workloads/fio/jobs/ whose file exists: no path reaches another file.
 */
static int check_job(const struct conf *c, const char *section, const char *top,
		     const char *job, const char *combo, char *err,
		     size_t err_len)
{
	char why[ERRLEN], *path;
	int ret = 0;

	if (name_check("fio job", job, why, sizeof(why)))
		return conf_err(c, section, "job", err, err_len, "%s%s%s",
				combo ? combo : "", combo ? ": " : "", why);
	path = job_path(top, job);
	if (!path_exists(path))
		ret = conf_err(c, section, "job", err, err_len, "%s%s%sno %s",
			       combo ? "at " : "", combo ? combo : "",
			       combo ? " there is " : "", path);
	free(path);
	return ret;
}

char *fio_job_file(const struct conf *c, const char *section, const char *top,
		   const char *job, char *err, size_t err_len)
{
	if (check_job(c, section, top, job, NULL, err, err_len))
		return NULL;
	return job_path(top, job);
}

/*
 * A job that names matrix parameters (job = nvme-${IOPATH}): every point
 * of the matrix must name a job file that exists.
 */
static int check_job_template(const struct conf *c,
			      const struct workload_suite *s,
			      const struct fio_opts *o, char *err,
			      size_t err_len)
{
	int ret = 0;

	for (size_t i = 0; i < matrix_combinations(s->matrix) && !ret; i++) {
		char *combo = matrix_combination(s->matrix, i), *job;
		struct strv kv = { 0 };

		if (matrix_parse_combination(s->matrix, combo, &kv, err,
					     err_len)) {
			ret = -1;
		} else if (!(job = matrix_expand(o->job, &kv))) {
			ret = conf_err(
				c, "workload", "job", err, err_len,
				"it names a parameter the [matrix] does not have (%s)",
				combo[0] ? combo : "no matrix");
		} else {
			ret = check_job(c, "workload", s->top, job, combo, err,
					err_len);
			free(job);
		}
		strv_free(&kv);
		free(combo);
	}
	return ret;
}

/* [workload] keys of fio's own (fio_load) */
static const struct conf_key fio_keys[] = { { "job", 0 }, { NULL, 0 } };

static int fio_load(const struct conf *c, const struct workload_suite *s,
		    void **opts, char *err, size_t len)
{
	const char *v = conf_require(c, "workload", "job", err, len);
	struct fio_opts *o;
	char *path;

	if (!v)
		return -1;
	o = xcalloc(1, sizeof(*o));
	*opts = o;
	if (strlen(v) >= sizeof(o->job))
		return conf_err(c, "workload", "job", err, len, "too long");
	snprintf(o->job, sizeof(o->job), "%s", v);
	if (strstr(v, "${"))
		/* each cell picks its file (fio_pick_job) */
		return check_job_template(c, s, o, err, len);
	if (check_job(c, "workload", s->top, v, NULL, err, len))
		return -1;
	path = job_path(s->top, v);
	snprintf(o->path, sizeof(o->path), "%s", path);
	free(path);
	return 0;
}

static int fio_describe(struct workload_run *r, char *err, size_t len)
{
	struct fio_opts *cell = xcalloc(1, sizeof(*cell));

	r->priv = cell;
	if (fio_pick_job(r->top, r->opts, r->params, cell, err, len))
		return -1;
	json_object_object_add(r->workload, "job",
			       json_object_new_string(cell->job));
	return 0;
}

/* Where fio writes a window's JSON: fio-N, fio-off-N or warmup-N.json. */
static char *output(const struct workload_run *r, const struct window *w)
{
	return xasprintf("%s/%s-%d.json", r->out,
			 w->warmup   ? "warmup" :
			 w->detached ? "fio-off" :
				       "fio",
			 w->rep);
}

static int fio_window(struct workload_run *r, struct window *w, char *err,
		      size_t len)
{
	const struct fio_opts *cell = r->priv;
	char *json = output(r, w);
	int ret = fio_run(cell->path, r->nvme->node, r->nvme->generic,
			  r->runtime_s, json, err, len);

	/* a warm-up window keeps nothing */
	if (w->warmup)
		unlink(json);
	free(json);
	return ret;
}

static int fio_sample(struct workload_run *r, struct window *w,
		      const struct probe_snap *d, char *err, size_t len)
{
	char *json = output(r, w), *text = read_file(json, NULL);
	struct fio_metrics m;
	uint64_t cmds;
	int ret = -1;

	if (!text) {
		seterr(err, len, "fio wrote no %s", json);
		goto out;
	}
	if (fio_parse_json(text, "read", &m, err, len))
		goto out;
	json_object_object_add(w->sample, "fio_output",
			       json_object_new_string(strrchr(json, '/') + 1));
	json_object_object_add(w->sample, "workload", fio_metrics_json(&m));
	if (!d) {
		snprintf(w->summary, sizeof(w->summary), "%.0f IOPS", m.iops);
	} else {
		cmds = cmdq_counts_total(&d->cmdq);
		snprintf(
			w->summary, sizeof(w->summary),
			"%.0f IOPS, %llu reads, %llu IOMMU commands (%.2f per read)",
			m.iops, (unsigned long long)m.total_ios,
			(unsigned long long)cmds,
			(double)cmds / (double)m.total_ios);
	}
	ret = 0;
out:
	free(text);
	free(json);
	return ret;
}

const struct workload_ops fio_workload = {
	.name = "fio",
	.headline = "iops",
	.device = WORKLOAD_DEVICE_NVME,
	.fallback = true,
	.keys = fio_keys,
	.load = fio_load,
	.describe = fio_describe,
	.window = fio_window,
	.sample = fio_sample,
};
