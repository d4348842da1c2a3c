/* SPDX-License-Identifier: GPL-2.0 */
#ifndef INVLAB_NVME_DEV_H
#define INVLAB_NVME_DEV_H

#include <stddef.h>

struct nvme_dev {
	char node[288]; /* /dev/nvme0n1 */
	/* its NVMe generic char device, /dev/ng0n1 (io_uring passthrough);
	 * "" when the kernel has none
	 */
	char generic[288];
	char ctrl[32]; /* nvme0 */
	char pci[32]; /* 0000:00:04.0 */
	char serial[64];
	char iommu_group_type[32]; /* DMA (strict), DMA-FQ (lazy), identity */
};

/*
 * Resolve a workload device. "serial:NAME" finds the NVMe controller whose
 * serial is NAME (the lab's own, set in the QEMU topology) and takes its
 * first namespace; "/dev/nvmeXnY" names one explicitly. Anything else is
 * refused: invlab touches no device it was not told to. sysfs is normally
 * "/sys" (tests pass a fake tree).
 */
int nvme_dev_resolve(const char *sysfs, const char *spec, struct nvme_dev *d,
		     char *err, size_t err_len);
/*
 * nvme_dev_resolve under ROOT/sys until the namespace and its node
 * (ROOT/dev/...) are there, for up to tries tenths of a second: the nvme
 * driver probes asynchronously. root is "" on a live system. 0, or -1
 * with err (the last reason, else "did not appear").
 */
int nvme_dev_wait(const char *root, const char *spec, struct nvme_dev *d,
		  int tries, char *err, size_t err_len);

#endif
