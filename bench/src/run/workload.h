/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Workloads driven by the lab's own C code rather than a fio job: the
 * iommufd hDomID sweep, DPDK, MSI storms. The suite side (here, in the
 * library, so the host checks a suite before booting anything) reads and
 * checks each kind's [workload] keys; the run side (bench/src/run_driver.h)
 * runs its windows in the guest.
 */
#ifndef INVLAB_WORKLOAD_H
#define INVLAB_WORKLOAD_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/conf.h"

struct suite;

struct workload_kind {
	const char *name;
	/* [workload] device must be a full PCI address (0000:00:07.0) */
	bool pci_device;
	/*
	 * Read and check the kind's own [workload] keys into s->wl, a flat
	 * allocation that suite_free() frees. Errors name the file and key.
	 */
	int (*load)(const struct conf *c, struct suite *s, char *err,
		    size_t len);
	/* Add the kind's settings to result.json's "workload" object. */
	void (*describe)(const struct suite *s, json_object *wl);
};

/* NULL for fio (and for a name that is no workload). */
const struct workload_kind *workload_kind_find(const char *name);
/* "fio, iommufd-sweep, ..." for error messages. */
const char *workload_kind_names(void);

/* A full PCI address: 0000:00:05.0. */
bool is_pci_addr(const char *v);

extern const struct workload_kind iommufd_sweep_kind;
extern const struct workload_kind dpdk_kind;
extern const struct workload_kind msi_storm_kind;

#endif
