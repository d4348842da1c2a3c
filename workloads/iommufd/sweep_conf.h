/* SPDX-License-Identifier: GPL-2.0 */
/* [workload] type = iommufd-sweep: what one window does. */
#ifndef INVLAB_SWEEP_CONF_H
#define INVLAB_SWEEP_CONF_H

struct sweep_conf {
	long cycles; /* map/unmap cycles per window */
	long size; /* bytes per map, a multiple of 4096 */
};

#endif
