/* SPDX-License-Identifier: GPL-2.0 */
/* [workload] type = msi-storm: what one window does. */
#ifndef INVLAB_MSI_CONF_H
#define INVLAB_MSI_CONF_H

struct msi_conf {
	long vectors; /* MSI-X vectors per enable ([matrix] vectors overrides) */
	long cycles; /* MSI-X enable + disable cycles per window */
	long rate; /* cycles per second; 0: as fast as the kernel allows */
	/* the kernel function whose calls are the IRTE updates counted */
	char function[128];
};

#endif
