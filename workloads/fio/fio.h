/* SPDX-License-Identifier: GPL-2.0 */
/* The fio workload: run a job file on one device, parse fio's JSON. */
#ifndef INVLAB_FIO_H
#define INVLAB_FIO_H

#include <json-c/json.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/conf.h"
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

/*
 * The file of job, a name of workloads/fio/jobs/ whose file exists (a
 * suite's [section] job), or NULL with err naming c's file and line.
 */
char *fio_job_file(const struct conf *c, const char *section, const char *top,
		   const char *job, char *err, size_t err_len);
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

/*
 * A fio job running beside another workload until stopped (a suite's
 * [neighbour]): the same job files, fio --readonly, RUNTIME a day.
 */
struct fio_bg {
	pid_t pid; /* 0: not running */
	char *json_path;
};

/* Start jobfile on device (and its generic char device, or ""). */
int fio_bg_start(struct fio_bg *b, const char *jobfile, const char *device,
		 const char *generic, const char *json_path, char *err,
		 size_t err_len);
/*
 * Stop it (SIGINT: fio ends its jobs and writes its JSON) and parse what
 * it read into m; with m NULL only stop it (after a failed window).
 */
int fio_bg_stop(struct fio_bg *b, struct fio_metrics *m, char *err,
		size_t err_len);

#endif
