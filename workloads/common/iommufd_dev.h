/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A PCI device driven through iommufd: bound to vfio-pci, opened as a VFIO
 * device cdev, attached to an iommufd context, and the HWPT allocations the
 * lab measures.
 */
#ifndef INVLAB_IOMMUFD_DEV_H
#define INVLAB_IOMMUFD_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct iommufd_dev {
	char pci[32]; /* 0000:00:05.0 */
	int iommufd; /* /dev/iommu */
	int devfd; /* /dev/vfio/devices/vfioN */
	uint32_t dev_id; /* iommufd's handle for the device */
	uint32_t ioas_id;
};

/*
 * Bind pci (a full address, "0000:00:05.0") to vfio-pci. A device already on
 * vfio-pci is left alone. Otherwise it is unbound from its driver only when
 * may_rebind is true (the user named the device, or this is a disposable lab
 * guest); if not, the error says how to bind it by hand.
 */
int vfio_pci_bind(const char *sysfs, const char *pci, bool may_rebind,
		  char *err, size_t len);

/* Open /dev/iommu and the device's cdev, bind them, allocate an IOAS. */
int iommufd_dev_open(const char *sysfs, const char *pci, struct iommufd_dev *d,
		     char *err, size_t len);
void iommufd_dev_close(struct iommufd_dev *d);

/*
 * IOMMU_HWPT_ALLOC of a paging HWPT on the device's IOAS with flags
 * (IOMMU_HWPT_ALLOC_*). Returns 0 with *hwpt_id, or -errno as the kernel
 * answered it.
 */
int iommufd_hwpt_alloc(struct iommufd_dev *d, uint32_t flags,
		       uint32_t *hwpt_id);
int iommufd_destroy(struct iommufd_dev *d, uint32_t id);

#endif
