/* SPDX-License-Identifier: GPL-2.0 */
/* The fio workload: run a job file on one device, parse fio's JSON. */
#ifndef INVLAB_FIO_H
#define INVLAB_FIO_H

#include <json-c/json.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/util.h"

struct fio_metrics {
	char version[32];
	double runtime_ms;
	uint64_t total_ios;
	uint64_t io_bytes;
	double iops;
	double bw_kib_s;
	double clat_mean_ns;
	double clat_p50_ns;
	double clat_p99_ns;
	double clat_p999_ns;
};

/*
 * Parse fio --output-format=json text for one direction ("read" or
 * "write"). Text before the first '{' (fio's notes) is skipped. Needs
 * exactly one job (group_reporting=1) that did I/O in that direction.
 */
int fio_parse_json(const char *text, const char *dir, struct fio_metrics *m,
		   char *err, size_t err_len);

/* sample.workload: fio's version, total_ios, io_bytes, iops, latencies. */
json_object *fio_metrics_json(const struct fio_metrics *m);

/*
 * [workload] of type fio: the job, a file under workloads/fio/jobs. It may
 * name matrix parameters (job = nvme-${IOPATH}): every point of the matrix
 * must then name a job file that exists, and each cell runs its own.
 */
struct fio_opts {
	char job[128]; /* the job's name, without .fio */
	char path[PATH_MAX]; /* its file; "" while the name has ${...} */
};

/* The job of one matrix point (kv: its "name=value" pairs) into cell. */
int fio_pick_job(const char *top, const struct fio_opts *o,
		 const struct strv *kv, struct fio_opts *cell, char *err,
		 size_t err_len);

/*
 * Run fio on jobfile with DEVICE (the namespace), NG_DEVICE (its generic
 * char device, "" if none) and RUNTIME set, JSON into json_path.
 */
int fio_run(const char *jobfile, const char *device, const char *generic,
	    long runtime_s, const char *json_path, char *err, size_t err_len);

#endif
