// SPDX-License-Identifier: GPL-2.0
/*
 * [workload] type = msi-storm: IRTE updates on a device with DMA aliases,
 * made by enabling and disabling its MSI-X vectors through VFIO.
 */
#include "msi_conf.h"

#include <stdio.h>
#include <string.h>

#include "run/suite.h"
#include "lib/util.h"
#include "run/workload.h"

/* A kernel symbol name: what kallsyms could list. */
static int valid_symbol(const char *v)
{
	if (!*v || strlen(v) >= sizeof(((struct msi_conf *)0)->function))
		return 0;
	for (; *v; v++)
		if (!(*v == '_' || *v == '.' || (*v >= '0' && *v <= '9') ||
		      (*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z')))
			return 0;
	return 1;
}

static int msi_load(const struct conf *c, struct suite *s, char *err,
		    size_t len)
{
	struct msi_conf *mc = xcalloc(1, sizeof(*mc));
	const char *fn = conf_get(c, "workload", "function");

	s->wl = mc;
	if (conf_get_long(c, "workload", "vectors", 1, 1, 2048, &mc->vectors,
			  err, len) ||
	    conf_get_long(c, "workload", "cycles", 200, 1, 1000000, &mc->cycles,
			  err, len) ||
	    conf_get_long(c, "workload", "rate", 0, 0, 1000000, &mc->rate, err,
			  len))
		return -1;
	if (!fn)
		fn = "iommu_flush_irt_and_complete";
	if (!valid_symbol(fn))
		return seterr(
			err, len,
			"%s: [workload] function = %s: not a kernel function name (letters, digits, '_' and '.', under %zu characters)",
			s->path, fn, sizeof(mc->function));
	snprintf(mc->function, sizeof(mc->function), "%s", fn);
	return 0;
}

static void msi_describe(const struct suite *s, json_object *wl)
{
	const struct msi_conf *mc = s->wl;

	json_object_object_add(wl, "vectors",
			       json_object_new_int64(mc->vectors));
	json_object_object_add(wl, "cycles", json_object_new_int64(mc->cycles));
	json_object_object_add(wl, "rate", json_object_new_int64(mc->rate));
	json_object_object_add(wl, "function",
			       json_object_new_string(mc->function));
}

const struct workload_kind msi_storm_kind = {
	.name = "msi-storm",
	.pci_device = true,
	.load = msi_load,
	.describe = msi_describe,
};
