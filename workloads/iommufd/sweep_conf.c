// SPDX-License-Identifier: GPL-2.0
/* [workload] type = iommufd-sweep: the seed 002 hDomID fan-out sweep. */
#include "sweep_conf.h"

#include "run/suite.h"
#include "lib/util.h"
#include "run/workload.h"

static int sweep_load(const struct conf *c, struct suite *s, char *err,
		      size_t len)
{
	struct sweep_conf *sc = xcalloc(1, sizeof(*sc));

	s->wl = sc;
	if (conf_get_long(c, "workload", "cycles", 100, 1, 100000, &sc->cycles,
			  err, len) ||
	    conf_get_long(c, "workload", "size", 4096, 4096, 1L << 30,
			  &sc->size, err, len))
		return -1;
	if (sc->size % 4096)
		return seterr(err, len,
			      "%s: [workload] size = %ld: a multiple of 4096",
			      s->path, sc->size);
	return 0;
}

static void sweep_describe(const struct suite *s, json_object *wl)
{
	const struct sweep_conf *sc = s->wl;

	json_object_object_add(wl, "cycles", json_object_new_int64(sc->cycles));
	json_object_object_add(wl, "size", json_object_new_int64(sc->size));
}

const struct workload_kind iommufd_sweep_kind = {
	.name = "iommufd-sweep",
	.pci_device = true,
	.load = sweep_load,
	.describe = sweep_describe,
};
