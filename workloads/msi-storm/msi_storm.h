/* SPDX-License-Identifier: GPL-2.0 */
/*
 * [workload] type = msi-storm (seed 004): IRTE updates on a device with DMA
 * aliases, made by enabling and disabling its MSI-X vectors through VFIO
 * (irte_storm.h). An IRTE update is one call of the traced function
 * (iommu_flush_irt_and_complete: modify_irte and free_irte each make one),
 * counted in the kernel by an fnfan probe, never inferred from the ioctls.
 * Its commands are those queued by the same thread while it is open: seed
 * 004 makes that one INVALIDATE_INTERRUPT_TABLE per DMA alias instead of
 * one, then the completion wait.
 */
#ifndef INVLAB_MSI_STORM_H
#define INVLAB_MSI_STORM_H

struct msi_storm_opts {
	long vectors; /* MSI-X vectors per enable ([matrix] vectors overrides) */
	long cycles; /* MSI-X enable + disable cycles per window */
	long rate; /* cycles per second; 0: as fast as the kernel allows */
	/* the kernel function whose calls are the IRTE updates counted */
	char function[128];
};

#endif
