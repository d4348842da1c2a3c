/* SPDX-License-Identifier: GPL-2.0 */
/*
 * [workload] type = hdomid-sweep: seed 002's fan-out. N nested HWPTs
 * ([matrix] hdomids) on each of M vIOMMUs ([matrix] viommus) of one nest
 * parent (nest_parent.h), then IOAS map/unmap cycles: every stage-2 unmap
 * flushes the parent with one INVALIDATE_IOMMU_PAGES per hDomID.
 */
#ifndef INVLAB_HDOMID_SWEEP_H
#define INVLAB_HDOMID_SWEEP_H

struct hdomid_sweep_opts {
	long cycles; /* map/unmap cycles per window */
	long size; /* bytes per map, a multiple of 4096 */
};

#endif
