// SPDX-License-Identifier: GPL-2.0
/* Finding a workload in the registry the Makefile generates. */
#include "workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct workload_ops *workload_find(const char *name)
{
	for (size_t i = 0; i < workload_registry_len; i++) {
		if (!strcmp(workload_registry[i]->name, name))
			return workload_registry[i];
	}
	return NULL;
}

const char *workload_names(void)
{
	static char names[256];
	size_t used = 0;

	if (names[0])
		return names;
	for (size_t i = 0; i < workload_registry_len; i++)
		used += (size_t)snprintf(
			names + used,
			used < sizeof(names) ? sizeof(names) - used : 0, "%s%s",
			i ? ", " : "", workload_registry[i]->name);
	return names;
}

long workload_param(const struct workload_run *r, const char *name, long def)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < r->params->n; i++) {
		const char *kv = r->params->v[i];

		if (!strncmp(kv, name, n) && kv[n] == '=')
			return strtol(kv + n + 1, NULL, 10);
	}
	return def;
}
