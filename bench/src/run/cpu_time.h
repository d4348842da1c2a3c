/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU time the machine spends, all CPUs, idle left out. Read around a
 * window it is the window's CPU work: on the instruction clock (QEMU
 * -icount) a count of guest instructions, where a workload's elapsed time
 * would also count the idle time QEMU skips while I/O is in flight.
 *
 * Two sources, the first that reads:
 * - /proc/timer_list: each CPU's idle and iowait sleep time (ns, the
 *   nohz idle accounting), read on that CPU (the thread moves there), so
 *   the CPU is not idle while it is read and its sleep time is up to date:
 *   busy = now - idle - iowait, exact to the nanosecond.
 * - cgroup v2's root cpu.stat usage_usec: the scheduler tick's sampling,
 *   granular to a tick (4 ms at HZ=250): a rough figure for long windows.
 */
#ifndef INVLAB_CPU_TIME_H
#define INVLAB_CPU_TIME_H

#define CPU_TIME_TIMER_LIST "/proc/timer_list"
#define CPU_TIME_CPU_STAT "/sys/fs/cgroup/cpu.stat"

/*
 * The busy nanoseconds since boot of every CPU this thread may run on,
 * from timer_list (NULL: skip it) or else cpu_stat. *source says which
 * ("timer_list" or "cpu.stat"). -1 when neither can be read.
 */
int cpu_busy_ns(const char *timer_list, const char *cpu_stat, double *ns,
		const char **source);

/*
 * From the text of /proc/timer_list: CPU cpu's busy time since boot,
 * "now at" minus its idle and iowait sleep times. -1 when the text lacks
 * them (no nohz idle accounting, or no such CPU).
 */
int timer_list_busy(const char *text, int cpu, double *busy_ns);

/* cgroup v2 cpu.stat's usage_usec, in ns. -1 when it cannot be read. */
int cpu_stat_busy(const char *cpu_stat, double *ns);

#endif
