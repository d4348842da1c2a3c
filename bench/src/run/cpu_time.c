// SPDX-License-Identifier: GPL-2.0
#include "cpu_time.h"

#include <stdio.h>
#include <string.h>

int cpu_busy_us(const char *cpu_stat, double *us)
{
	FILE *f = fopen(cpu_stat, "re");
	char key[64];
	double v;
	int ret = -1;

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lf", key, &v) == 2) {
		if (!strcmp(key, "usage_usec")) {
			*us = v;
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}
