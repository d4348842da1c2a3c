/* SPDX-License-Identifier: GPL-2.0 */
/*
 * invlab run's side of the workloads the lab drives itself
 * (bench/src/workload.h): each kind's windows, given what it needs.
 */
#ifndef INVLAB_RUN_DRIVER_H
#define INVLAB_RUN_DRIVER_H

#include <json-c/json.h>
#include <stdbool.h>

#include "bpf/cmdq_probe.h"
#include "bpf/fanout_probe.h"
#include "suite.h"
#include "lib/util.h"

struct driver_run {
	const struct suite *s;
	const struct strv *params; /* this cell's "name=value" pairs */
	/* the device may move to another driver: in a lab guest, or when
	 * the user named it with --allow-rebind
	 */
	bool may_rebind;
	struct cmdq_probe *probe;
	struct fanout_probe *fan; /* fan->present: lab tracepoints attached */
	json_object *doc; /* result.json: append to "samples" */
	const char *path; /* result.json, rewritten after each window */
	const char *out; /* the run's output directory */
	volatile int *interrupted; /* SIGINT/SIGTERM seen */
};

/*
 * Run the suite's windows (s->repetitions of them, after s->warmup
 * thrown away), appending one sample per window. Whatever a kind changed
 * (driver bindings, IRQs, iommufd objects) is undone on every exit.
 */
int driver_windows(const struct driver_run *r, char *err, size_t len);

/* The numeric value of "name" in r->params, or def when absent. */
long driver_param(const struct driver_run *r, const char *name, long def);

int sweep_windows(const struct driver_run *r, char *err, size_t len);
int dpdk_windows(const struct driver_run *r, char *err, size_t len);
int msi_windows(const struct driver_run *r, char *err, size_t len);

#endif
