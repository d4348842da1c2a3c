/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU time the machine spends, all CPUs, idle left out: the root
 * cgroup's cpu.stat usage (user, system, IRQs; microseconds). Read around a
 * window it is the window's CPU work: on the instruction clock (QEMU
 * -icount) a count of guest instructions, where a workload's elapsed time
 * would also count the idle time QEMU skips while I/O is in flight.
 */
#ifndef INVLAB_CPU_TIME_H
#define INVLAB_CPU_TIME_H

/*
 * The busy microseconds since boot from cpu_stat (normally
 * /sys/fs/cgroup/cpu.stat). -1 when it cannot be read (no cgroup v2).
 */
int cpu_busy_us(const char *cpu_stat, double *us);

#endif
