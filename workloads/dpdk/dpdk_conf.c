// SPDX-License-Identifier: GPL-2.0
/* [workload] type = dpdk: the suite side (bench/src/workload.h). */
#include "dpdk_conf.h"

#include <stdio.h>
#include <string.h>

#include "run/suite.h"
#include "lib/util.h"
#include "run/workload.h"

/* A string key with a default; only characters safe on an EAL command line. */
static int get_word(const struct conf *c, const char *key, const char *def,
		    const char *allowed, char *out, size_t outlen,
		    const char *path, char *err, size_t len)
{
	const char *v = conf_get(c, "workload", key);

	if (!v)
		v = def;
	if (!v[0] || strlen(v) >= outlen || strspn(v, allowed) != strlen(v))
		return seterr(
			err, len,
			"%s: [workload] %s = '%s': expected 1 to %zu of [%s]",
			path, key, v, outlen - 1, allowed);
	snprintf(out, outlen, "%s", v);
	return 0;
}

static int dpdk_load(const struct conf *c, struct suite *s, char *err,
		     size_t len)
{
	struct dpdk_conf *d = xcalloc(1, sizeof(*d));

	s->wl = d;
	if (get_word(
		    c, "testpmd", "dpdk-testpmd",
		    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./",
		    d->testpmd, sizeof(d->testpmd), s->path, err, len) ||
	    get_word(c, "lcores", "0-1", "0123456789-,", d->lcores,
		     sizeof(d->lcores), s->path, err, len) ||
	    conf_get_long(c, "workload", "hugepages", 256, 16, 65536,
			  &d->hugepages, err, len) ||
	    conf_get_long(c, "workload", "port_cycles", 10, 1, 10000,
			  &d->port_cycles, err, len) ||
	    conf_get_long(c, "workload", "memhp_cycles", 5, 1, 10000,
			  &d->memhp_cycles, err, len) ||
	    conf_get_long(c, "workload", "memhp_mb", 64, 2, 65536, &d->memhp_mb,
			  err, len) ||
	    conf_get_long(c, "workload", "rxd", 256, 32, 4096, &d->rxd, err,
			  len) ||
	    conf_get_long(c, "workload", "txd", 256, 32, 4096, &d->txd, err,
			  len) ||
	    conf_get_long(c, "workload", "mbufs", 2048, 512, 1 << 20, &d->mbufs,
			  err, len) ||
	    conf_get_long(c, "workload", "startup_timeout", 120, 5, 3600,
			  &d->startup_timeout_s, err, len) ||
	    conf_get_long(c, "workload", "interrupt_after", 0, 0, 86400,
			  &d->interrupt_after_s, err, len))
		return -1;
	/* the heap grows by whole 2 MiB pages, and must fit what is reserved */
	if (d->memhp_mb % 2)
		return seterr(
			err, len,
			"%s: [workload] memhp_mb = %ld: a multiple of 2 (MiB, whole 2 MiB hugepages)",
			s->path, d->memhp_mb);
	if (d->memhp_mb / 2 + 64 > d->hugepages)
		return seterr(
			err, len,
			"%s: [workload] memhp_mb = %ld needs more than hugepages = %ld (2 MiB pages; keep 64 pages for the EAL and mbufs)",
			s->path, d->memhp_mb, d->hugepages);
	return 0;
}

static void dpdk_describe(const struct suite *s, json_object *wl)
{
	const struct dpdk_conf *d = s->wl;

	json_object_object_add(wl, "testpmd",
			       json_object_new_string(d->testpmd));
	json_object_object_add(wl, "lcores", json_object_new_string(d->lcores));
	json_object_object_add(wl, "hugepages_2m",
			       json_object_new_int64(d->hugepages));
	json_object_object_add(wl, "port_cycles",
			       json_object_new_int64(d->port_cycles));
	json_object_object_add(wl, "memhp_cycles",
			       json_object_new_int64(d->memhp_cycles));
	if (d->interrupt_after_s)
		json_object_object_add(
			wl, "interrupt_after_s",
			json_object_new_int64(d->interrupt_after_s));
}

const struct workload_kind dpdk_kind = {
	.name = "dpdk",
	.pci_device = true,
	.load = dpdk_load,
	.describe = dpdk_describe,
};
