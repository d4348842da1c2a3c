/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One window of the DPDK workload. The probes are read around every step,
 * so each figure is the commands of that step alone:
 *   startup      EAL init and port probe (the heap's first DMA maps)
 *   port cycles  "port stop 0" + "port start 0", each cycle on its own
 *   txonly       forwarding for [workload] runtime seconds
 *   shutdown     "quit": port close, DMA unmaps
 *   memhp        rte_malloc (heap grows: VFIO DMA map) and rte_free
 *                (heap shrinks: unmap), each step on its own
 */
#ifndef INVLAB_DPDK_WINDOW_H
#define INVLAB_DPDK_WINDOW_H

#include <limits.h>

#include "dpdk.h"
#include "workloads/workload.h"

/* This cell's DPDK settings and where the window runs. */
struct dpdk_cell {
	const struct dpdk_opts *d;
	/* the suite's values, or the matrix point's */
	long rxd, txd, mbufs, memhp_mb;
	const char *device; /* the NIC, a PCI address, on vfio-pci */
	const char *out; /* testpmd-N.log, memhp-N.log */
	long runtime_s; /* txonly forwarding */
	const char *huge_dir; /* the hugetlbfs mount */
	char memhp[PATH_MAX]; /* dpdk-memhp beside invlab */
	struct probe_set *probes;
	volatile int *interrupted;
};

/*
 * testpmd's steps, then dpdk-memhp's. A measured window's figures go into
 * win->sample ("workload", "commands", "phases", "metrics") and
 * win->summary.
 */
int dpdk_window_run(const struct dpdk_cell *x, struct window *win, char *err,
		    size_t len);

#endif
