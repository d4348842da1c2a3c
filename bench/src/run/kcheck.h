/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel checks a suite can ask for ([checks]) before its workload: that the
 * lab kernel's amd_iommu tracepoints exist and fire for NVMe reads, that
 * interrupt remapping is on, and how a nest-parent HWPT allocation is
 * answered given the amd_iommu_lab.nest_parent knob.
 */
#ifndef INVLAB_KCHECK_H
#define INVLAB_KCHECK_H

#include <json-c/json.h>
#include <stdbool.h>

struct kcheck_opts {
	bool tracepoints; /* the amd_iommu events, over `reads` reads */
	const char *read_node; /* block device to read (O_DIRECT, 4 KiB) */
	long reads;
	bool intremap; /* interrupt remapping must be enabled */
	const char *nest_parent_pci; /* device for the HWPT check, or NULL */
	bool may_rebind; /* may move that device to vfio-pci */
};

/* The tracepoints a lab kernel must have (kernel/patches/0001). */
extern const char *const kcheck_events[];

/*
 * Run the checks; returns {"ok": all passed, NAME: {..., "ok"}} with every
 * figure observed. context is the run's context (for interrupt remapping).
 */
json_object *kcheck_run(const struct kcheck_opts *o, json_object *context);

/* What a nest-parent HWPT allocation should get, given the knob. */
bool kcheck_nest_parent_expected(int knob, int alloc_ret);

#endif
