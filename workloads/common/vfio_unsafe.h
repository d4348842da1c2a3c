/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio_iommu_type1's allow_unsafe_interrupts: VFIO refuses a device on a
 * kernel without interrupt remapping unless it is set. The workloads set it
 * only in a disposable lab guest, and put it back on every exit.
 */
#ifndef INVLAB_VFIO_UNSAFE_H
#define INVLAB_VFIO_UNSAFE_H

#include <stdbool.h>

#define VFIO_UNSAFE_PARAM \
	"/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts"

struct vfio_unsafe {
	bool set; /* invlab turned it on: turn it off again */
};

/* Turn it on unless it is on already. 0 or -errno. */
int vfio_unsafe_allow(struct vfio_unsafe *u);
/* Turn it off again if vfio_unsafe_allow turned it on. 0 or -errno. */
int vfio_unsafe_restore(struct vfio_unsafe *u);

#endif
