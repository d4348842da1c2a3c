// SPDX-License-Identifier: GPL-2.0
#include "run_driver.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *kind;
	int (*windows)(const struct driver_run *r, char *err, size_t len);
} drivers[] = {
	{ "iommufd-sweep", sweep_windows },
	{ "dpdk", dpdk_windows },
	{ "msi-storm", msi_windows },
};

int driver_windows(const struct driver_run *r, char *err, size_t len)
{
	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
		if (!strcmp(drivers[i].kind, r->s->workload))
			return drivers[i].windows(r, err, len);
	}
	return seterr(err, len, "workload %s has no driver in this invlab",
		      r->s->workload);
}

long driver_param(const struct driver_run *r, const char *name, long def)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < r->params->n; i++) {
		const char *kv = r->params->v[i];

		if (!strncmp(kv, name, n) && kv[n] == '=')
			return strtol(kv + n + 1, NULL, 10);
	}
	return def;
}
