/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AMD IOMMU perf PMU (amd_iommu_N under /sys/bus/event_source): which
 * units and events a host has, and `perf stat` of them around a window.
 * Under QEMU there is no such PMU and the result says so.
 */
#ifndef INVLAB_IOMMU_PMU_H
#define INVLAB_IOMMU_PMU_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lib/util.h"

struct iommu_pmu {
	struct strv units; /* amd_iommu_0 ... */
	struct strv events; /* "amd_iommu_0/cmd_processed/" for perf -e */
	struct strv skipped; /* wanted names no unit lists */
	char why[ERRLEN]; /* why nothing is counted, when nothing is */
};

/*
 * Find the units under sysfs/bus/event_source/devices and keep the events
 * of wanted_path (bench/perf/amd_iommu.events) each lists. Always 0 unless
 * wanted_path cannot be read; why says what is missing.
 */
int iommu_pmu_find(const char *sysfs, const char *wanted_path,
		   struct iommu_pmu *p, char *err, size_t err_len);
void iommu_pmu_free(struct iommu_pmu *p);

/* Start `perf stat -a -x,` on the events, its CSV into out_path. */
pid_t iommu_pmu_stat_start(const struct iommu_pmu *p, const char *out_path,
			   char *err, size_t err_len);
/* Stop it (SIGINT, so perf prints its counts) and wait. */
int iommu_pmu_stat_stop(pid_t pid);

/*
 * Parse perf stat -x, output: {"amd_iommu_0/cmd_processed/": count, ...}.
 * A counter perf could not read ("<not counted>", "<not supported>") is
 * null, never 0. NULL with err when no line is a count.
 */
json_object *iommu_pmu_parse_csv(const char *text, char *err, size_t err_len);

#endif
