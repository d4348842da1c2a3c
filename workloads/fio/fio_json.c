// SPDX-License-Identifier: GPL-2.0
#include "fio.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "lib/util.h"

static int get(json_object *o, const char *key, json_object **out)
{
	return json_object_object_get_ex(o, key, out) ? 0 : -1;
}

static int get_num(json_object *o, const char *key, double *out)
{
	json_object *v;

	if (get(o, key, &v))
		return -1;
	if (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int))
		return -1;
	*out = json_object_get_double(v);
	return 0;
}

/* A count: a number in [0, 2^64), so it converts to uint64_t. */
static int get_count(json_object *o, const char *key, uint64_t *out)
{
	double d;

	if (get_num(o, key, &d) || !(d >= 0 && d < 0x1p64))
		return -1;
	*out = (uint64_t)d;
	return 0;
}

static int percentile(json_object *clat, const char *key, double *out)
{
	json_object *pct;

	if (get(clat, "percentile", &pct))
		return -1;
	return get_num(pct, key, out);
}

int fio_parse_json(const char *text, const char *dir, struct fio_metrics *m,
		   char *err, size_t err_len)
{
	const char *start = strchr(text, '{');
	json_object *root, *jobs, *job, *io, *clat, *ver;
	double d;
	int ret = -1;

	memset(m, 0, sizeof(*m));
	if (!start)
		return seterr(err, err_len, "no JSON object in fio output");
	root = json_tokener_parse(start);
	if (!root)
		return seterr(err, err_len,
			      "fio output is not valid JSON (truncated?)");
	if (get(root, "jobs", &jobs) ||
	    !json_object_is_type(jobs, json_type_array)) {
		seterr(err, err_len, "fio JSON has no \"jobs\" array");
		goto out;
	}
	if (json_object_array_length(jobs) != 1) {
		seterr(err, err_len,
		       "fio JSON has %zu jobs; invlab's job files report one (group_reporting=1)",
		       json_object_array_length(jobs));
		goto out;
	}
	job = json_object_array_get_idx(jobs, 0);
	if (get(job, dir, &io) || get(io, "clat_ns", &clat)) {
		seterr(err, err_len, "fio JSON job has no \"%s\".clat_ns", dir);
		goto out;
	}
	if (get_num(io, "iops", &m->iops) || get_num(io, "bw", &m->bw_kib_s) ||
	    get_count(io, "total_ios", &m->total_ios)) {
		seterr(err, err_len,
		       "fio JSON \"%s\" lacks iops, bw or total_ios (a count)",
		       dir);
		goto out;
	}
	/* fio leaves the percentiles out of a direction that did no I/O. */
	if (m->total_ios == 0) {
		seterr(err, err_len, "fio did no %s I/O", dir);
		goto out;
	}
	if (json_object_object_get_ex(io, "io_bytes", NULL) &&
	    get_count(io, "io_bytes", &m->io_bytes)) {
		seterr(err, err_len, "fio JSON \"%s\".io_bytes is no count",
		       dir);
		goto out;
	}
	if (!get_num(io, "runtime", &d))
		m->runtime_ms = d;
	get_num(clat, "mean", &m->clat_mean_ns);
	if (percentile(clat, "50.000000", &m->clat_p50_ns) ||
	    percentile(clat, "99.000000", &m->clat_p99_ns) ||
	    percentile(clat, "99.900000", &m->clat_p999_ns)) {
		seterr(err, err_len,
		       "fio JSON \"%s\".clat_ns.percentile lacks 50, 99 or 99.9",
		       dir);
		goto out;
	}
	if (!get(root, "fio version", &ver))
		snprintf(m->version, sizeof(m->version), "%s",
			 json_object_get_string(ver));
	ret = 0;
out:
	json_object_put(root);
	return ret;
}

json_object *fio_metrics_json(const struct fio_metrics *m)
{
	const struct {
		const char *key;
		double value;
	} nums[] = {
		{ "runtime_ms", m->runtime_ms },
		{ "iops", m->iops },
		{ "bw_kib_s", m->bw_kib_s },
		{ "clat_mean_ns", m->clat_mean_ns },
		{ "clat_p50_ns", m->clat_p50_ns },
		{ "clat_p99_ns", m->clat_p99_ns },
		{ "clat_p99_9_ns", m->clat_p999_ns },
	};
	json_object *o = json_object_new_object();

	json_object_object_add(o, "fio_version",
			       json_object_new_string(m->version));
	json_object_object_add(o, "total_ios",
			       json_object_new_uint64(m->total_ios));
	json_object_object_add(o, "io_bytes",
			       json_object_new_uint64(m->io_bytes));
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		json_object_object_add(o, nums[i].key,
				       json_object_new_double(nums[i].value));
	return o;
}
