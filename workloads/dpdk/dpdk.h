/* SPDX-License-Identifier: GPL-2.0 */
/*
 * [workload] type = dpdk: dpdk-testpmd on a NIC moved to vfio-pci, and
 * dpdk-memhp (memhp.c) growing and shrinking DPDK's heap on the same
 * device. Ring sizes, mbufs and the hotplug size are defaults here and
 * may be swept in [matrix] (rxd, txd, mbufs, memhp_mb).
 */
#ifndef INVLAB_DPDK_H
#define INVLAB_DPDK_H

struct dpdk_opts {
	char testpmd[256]; /* program, found in PATH */
	char lcores[64]; /* EAL -l: a main lcore and one forwarding lcore */
	long hugepages; /* 2 MiB pages reserved while the workload runs */
	long port_cycles; /* port stop/start cycles per window */
	long memhp_cycles; /* heap grow/shrink cycles per window */
	long memhp_mb; /* MiB per heap growth */
	long rxd, txd, mbufs;
	long startup_timeout_s; /* EAL init and port probe, per process */
	/*
	 * Fault injection for the integration test: invlab sends itself
	 * SIGINT this many seconds into window 1's forwarding (0: never),
	 * as Ctrl-C would, to prove the binding comes back.
	 */
	long interrupt_after_s;
};

#endif
