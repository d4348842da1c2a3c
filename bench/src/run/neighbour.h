/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A suite's [neighbour]: a fio job on another NVMe through the same IOMMU,
 * started ramp_ms before each measured window and stopped at its end, so
 * that what the workload's invalidations cost a bystander (its IOPS and
 * completion latency, with the IRQs-off holds of a long fan-out in front
 * of its own invalidations) lands in the same window: sample.neighbour
 * (fio's figures) and the metrics neighbour.iops, neighbour.clat_p50_us,
 * neighbour.clat_p99_us and neighbour.clat_p99_9_us. Its figures cover the
 * ramp too. Its commands go through the same IOMMU: the window's command
 * totals include them (the fan-out probe's kinds keep the workload's
 * events apart).
 */
#ifndef INVLAB_NEIGHBOUR_H
#define INVLAB_NEIGHBOUR_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "suite.h"
#include "workloads/common/nvme_dev.h"
#include "workloads/fio/fio.h"

struct neighbour {
	const struct suite *s;
	struct nvme_dev dev;
	const char *out; /* the cell's directory: neighbour-fio-N.json */
	struct fio_bg bg;
	struct fio_metrics m; /* the last window's figures */
};

/*
 * The suite's neighbour, its NVMe resolved (dev filled in by the
 * caller's resolver), recorded in the result's workload.neighbour.
 */
void neighbour_init(struct neighbour *n, const struct suite *s, const char *out,
		    json_object *workload);
/* Start it for window rep and give it its ramp. */
int neighbour_start(struct neighbour *n, int rep, char *err, size_t len);
/* Stop it; with keep, read its figures (else: a failed window). */
int neighbour_stop(struct neighbour *n, bool keep, char *err, size_t len);
/* The figures read by neighbour_stop into the window's sample. */
void neighbour_sample(const struct neighbour *n, json_object *sample);
/* Stop it if it still runs. */
void neighbour_free(struct neighbour *n);

#endif
