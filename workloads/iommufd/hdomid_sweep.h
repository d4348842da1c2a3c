/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hDomID fan-out sweep (seed 002): one device on a nest-parent HWPT,
 * M vIOMMUs on the parent, N nested HWPTs with distinct gDomIDs on each
 * (so N x M hDomIDs), then IOAS map/unmap of a chosen size. Every stage-2
 * flush of the parent then sends one INVALIDATE_IOMMU_PAGES per hDomID.
 */
#ifndef INVLAB_HDOMID_SWEEP_H
#define INVLAB_HDOMID_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommufd_dev.h"

struct hdomid_sweep {
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
int hdomid_sweep_setup(struct hdomid_sweep *s, const char *pci, bool may_rebind,
		       unsigned int viommus, unsigned int hdomids, size_t size,
		       char *err, size_t len);
/* Map the buffer at iova / unmap it; *ns is the ioctl's wall time. */
int hdomid_sweep_map(struct hdomid_sweep *s, uint64_t iova, double *ns);
int hdomid_sweep_unmap(struct hdomid_sweep *s, uint64_t iova, double *ns);
void hdomid_sweep_teardown(struct hdomid_sweep *s);

#endif
