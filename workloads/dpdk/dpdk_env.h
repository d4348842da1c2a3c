/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What DPDK needs from the system, set up for the workload and put back
 * afterwards: 2 MiB hugepages reserved, a hugetlbfs mount, and (in a lab
 * guest whose kernel has no interrupt remapping, Debian's 7.3 under QEMU)
 * vfio_iommu_type1's allow_unsafe_interrupts.
 */
#ifndef INVLAB_DPDK_ENV_H
#define INVLAB_DPDK_ENV_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "workloads/common/vfio_unsafe.h"

struct dpdk_env {
	long hugepages_before; /* nr_hugepages of 2 MiB found, -1: unread */
	char huge_dir[128]; /* the hugetlbfs mount DPDK uses */
	bool mounted; /* invlab mounted it */
	struct vfio_unsafe unsafe; /* allow_unsafe_interrupts */
};

/*
 * Reserve at least pages 2 MiB hugepages and find or mount hugetlbfs.
 * allow_unsafe: the kernel has no interrupt remapping and this is a
 * disposable lab guest, so VFIO may take the device without it.
 */
int dpdk_env_setup(struct dpdk_env *e, long pages, bool allow_unsafe, char *err,
		   size_t len);

/* Undo what setup changed; what it found is described in "system". */
void dpdk_env_restore(struct dpdk_env *e, json_object *system);

#endif
