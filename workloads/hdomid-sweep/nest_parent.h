/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the hDomID sweep drives (seed 002): one device on a nest-parent HWPT,
 * M vIOMMUs on the parent, N nested HWPTs with distinct gDomIDs on each
 * (so N x M hDomIDs), then IOAS map/unmap of a chosen size. Every stage-2
 * flush of the parent then sends one INVALIDATE_IOMMU_PAGES per hDomID.
 */
#ifndef INVLAB_NEST_PARENT_H
#define INVLAB_NEST_PARENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "workloads/common/iommufd_dev.h"

struct nest_parent {
	struct iommufd_dev d;
	bool opened, attached;
	uint32_t parent_id;
	uint32_t *viommu_ids;
	size_t nviommus;
	uint32_t *nested_ids;
	size_t nnested;
	void *buf;
	size_t size;
};

/*
 * Build it all on pci (bound to vfio-pci first if may_rebind). On error
 * everything built so far is torn down and err says which step the kernel
 * refused and why.
 */
int nest_parent_setup(struct nest_parent *s, const char *pci, bool may_rebind,
		      unsigned int viommus, unsigned int hdomids, size_t size,
		      char *err, size_t len);
/* Map the buffer at iova / unmap it; *ns is the ioctl's wall time. */
int nest_parent_map(struct nest_parent *s, uint64_t iova, double *ns);
int nest_parent_unmap(struct nest_parent *s, uint64_t iova, double *ns);
void nest_parent_teardown(struct nest_parent *s);

#endif
