// SPDX-License-Identifier: GPL-2.0
#include "cpu_time.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"

int timer_list_busy(const char *text, int cpu, double *busy_ns)
{
	const char *p = text;
	double now = -1, idle = -1, iowait = -1;
	int cur = -1;

	while (p && *p) {
		const char *eol = strchr(p, '\n');
		double v;
		int k;

		if (sscanf(p, "now at %lf nsecs", &v) == 1)
			now = v;
		else if (sscanf(p, "cpu: %d", &k) == 1)
			cur = k;
		else if (cur == cpu &&
			 sscanf(p, " .idle_sleeptime : %lf nsecs", &v) == 1)
			idle = v;
		else if (cur == cpu &&
			 sscanf(p, " .iowait_sleeptime: %lf nsecs", &v) == 1)
			iowait = v;
		p = eol ? eol + 1 : NULL;
	}
	if (now < 0 || idle < 0 || iowait < 0)
		return -1;
	*busy_ns = now - idle - iowait;
	return 0;
}

int cpu_stat_busy(const char *cpu_stat, double *ns)
{
	FILE *f = fopen(cpu_stat, "re");
	char key[64];
	double v;
	int ret = -1;

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lf", key, &v) == 2) {
		if (!strcmp(key, "usage_usec")) {
			*ns = v * 1000;
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

/* Each CPU's busy time, read on that CPU; the thread's CPUs restored. */
static int timer_list_all(const char *path, double *ns)
{
	cpu_set_t orig, one;
	double sum = 0;
	int ret = 0, n = 0;

	if (sched_getaffinity(0, sizeof(orig), &orig))
		return -1;
	for (int cpu = 0; cpu < CPU_SETSIZE && !ret; cpu++) {
		char *text;
		double busy = 0;

		if (!CPU_ISSET(cpu, &orig))
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one)) {
			ret = -1;
			break;
		}
		text = read_file(path, NULL);
		ret = text ? timer_list_busy(text, cpu, &busy) : -1;
		free(text);
		sum += busy;
		n++;
	}
	sched_setaffinity(0, sizeof(orig), &orig);
	if (ret || !n)
		return -1;
	*ns = sum;
	return 0;
}

int cpu_busy_ns(const char *timer_list, const char *cpu_stat, double *ns,
		const char **source)
{
	if (timer_list && !timer_list_all(timer_list, ns)) {
		*source = "timer_list";
		return 0;
	}
	if (!cpu_stat_busy(cpu_stat, ns)) {
		*source = "cpu.stat";
		return 0;
	}
	return -1;
}
