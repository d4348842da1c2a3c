/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IRTE updates on demand: a PCI device moved to vfio-pci and opened through
 * the legacy VFIO group/container API (stock kernels may lack iommufd and
 * the VFIO cdev), whose MSI-X vectors are enabled and disabled in a loop.
 * Each enable allocates and programs one IRTE per vector, each disable
 * frees them: every step goes through the AMD driver's modify_irte or
 * free_irte and so iommu_flush_irt_and_complete.
 */
#ifndef INVLAB_IRTE_STORM_H
#define INVLAB_IRTE_STORM_H

#include <stdbool.h>
#include <stddef.h>

#include "workloads/common/pci_rebind.h"
#include "workloads/common/vfio_unsafe.h"

struct irte_storm {
	char pci[32];
	char sysfs[64];
	struct pci_binding orig; /* what it was bound to: given back */
	int container, group, device;
	unsigned int group_id;
	unsigned int msix_count; /* MSI-X vectors the device offers */
	int *efds;
	unsigned int nr_efds;
	bool enabled; /* MSI-X on through VFIO right now */
	/*
	 * VFIO refused the group because the kernel has no interrupt
	 * remapping, and in a lab guest we set vfio_iommu_type1's
	 * allow_unsafe_interrupts to go on: reset it at teardown.
	 */
	struct vfio_unsafe unsafe;
};

/*
 * Bind pci to vfio-pci (only if may_rebind or it already is), open its
 * group, container and device, and check it offers vectors MSI-X vectors.
 * Where VFIO refuses for lack of interrupt remapping, may_rebind also
 * allows allow_unsafe_interrupts (a disposable lab guest), so a kernel
 * without remapping is measured rather than skipped. On failure everything
 * is undone and err says why.
 */
int irte_storm_setup(struct irte_storm *st, const char *sysfs, const char *pci,
		     bool may_rebind, unsigned int vectors, char *err,
		     size_t len);
/* One MSI-X enable of nr_efds vectors and the disable. 0 or -errno. */
int irte_storm_cycle(struct irte_storm *st);
/*
 * Disable MSI-X, close everything, reset allow_unsafe_interrupts, and give
 * the device back to its original driver. 0, or -1 with err when the
 * binding could not be restored.
 */
int irte_storm_teardown(struct irte_storm *st, char *err, size_t len);

#endif
