// SPDX-License-Identifier: GPL-2.0
#include "workload.h"

#include <stdio.h>
#include <string.h>

static const struct workload_kind *const kinds[] = {
	&iommufd_sweep_kind,
	&dpdk_kind,
	&msi_storm_kind,
};

const struct workload_kind *workload_kind_find(const char *name)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!strcmp(kinds[i]->name, name))
			return kinds[i];
	}
	return NULL;
}

const char *workload_kind_names(void)
{
	static char names[256];
	size_t used;

	if (names[0])
		return names;
	used = (size_t)snprintf(names, sizeof(names), "fio");
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		used += (size_t)snprintf(names + used, sizeof(names) - used,
					 ", %s", kinds[i]->name);
	return names;
}

bool is_pci_addr(const char *v)
{
	unsigned int dom, bus, dev, fn;
	char end;

	return strlen(v) == 12 &&
	       sscanf(v, "%4x:%2x:%2x.%1x%c", &dom, &bus, &dev, &fn, &end) == 4;
}
