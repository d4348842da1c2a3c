// SPDX-License-Identifier: GPL-2.0
/*
 * [workload] type = dpdk (dpdk.h). The NIC's binding, the hugepages and
 * VFIO's unsafe-interrupt switch are put back on every exit, interrupts
 * included; result.json records the binding read back from sysfs.
 */
#include "dpdk.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dpdk_env.h"
#include "dpdk_window.h"
#include "workloads/common/pci_rebind.h"
#include "workloads/workload.h"

/* A string key with a default; only characters safe on an EAL command line. */
static int get_word(const struct conf *c, const char *key, const char *def,
		    const char *allowed, char *out, size_t outlen, char *err,
		    size_t len)
{
	const char *v = conf_get(c, "workload", key);

	if (!v)
		v = def;
	if (!v[0] || strlen(v) >= outlen || strspn(v, allowed) != strlen(v))
		return conf_err(c, "workload", key, err, len,
				"expected 1 to %zu of [%s]", outlen - 1,
				allowed);
	snprintf(out, outlen, "%s", v);
	return 0;
}

/* [workload] keys of DPDK's own (dpdk_load) */
static const struct conf_key dpdk_keys[] = {
	{ "testpmd", 0 },
	{ "lcores", 0 },
	{ "hugepages", 0 },
	{ "port_cycles", 0 },
	{ "memhp_cycles", 0 },
	{ "memhp_mb", 0 },
	{ "rxd", 0 },
	{ "txd", 0 },
	{ "mbufs", 0 },
	{ "startup_timeout", 0 },
	{ "interrupt_after", 0 },
	{ NULL, 0 },
};

static int dpdk_load(const struct conf *c, const struct workload_suite *s,
		     void **opts, char *err, size_t len)
{
	struct dpdk_opts *d = xcalloc(1, sizeof(*d));

	(void)s; /* errors name the file from c */
	*opts = d;
	if (get_word(
		    c, "testpmd", "dpdk-testpmd",
		    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./",
		    d->testpmd, sizeof(d->testpmd), err, len) ||
	    get_word(c, "lcores", "0-1", "0123456789-,", d->lcores,
		     sizeof(d->lcores), err, len) ||
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
		return conf_err(c, "workload", "memhp_mb", err, len,
				"a multiple of 2 (MiB, whole 2 MiB hugepages)");
	if (d->memhp_mb / 2 + 64 > d->hugepages)
		return conf_err(
			c, "workload", "memhp_mb", err, len,
			"%ld MiB needs more than hugepages = %ld (2 MiB pages; keep 64 pages for the EAL and mbufs)",
			d->memhp_mb, d->hugepages);
	return 0;
}

/* One run: this cell's settings and what setup changed. */
struct dpdk_run {
	struct dpdk_cell cell;
	struct pci_binding saved;
	struct dpdk_env env;
	bool bound;
	json_object *binding; /* r->workload's "binding" */
	void (*old_pipe)(int);
};

static int dpdk_describe(struct workload_run *r, char *err, size_t len)
{
	const struct dpdk_opts *d = r->opts;
	struct dpdk_run *x = xcalloc(1, sizeof(*x));
	struct dpdk_cell *c = &x->cell;
	json_object *wl = r->workload;

	r->priv = x;
	c->d = d;
	c->rxd = workload_param(r, "rxd", d->rxd);
	c->txd = workload_param(r, "txd", d->txd);
	c->mbufs = workload_param(r, "mbufs", d->mbufs);
	c->memhp_mb = workload_param(r, "memhp_mb", d->memhp_mb);
	c->device = r->device;
	c->out = r->out;
	c->runtime_s = r->runtime_s;
	c->probes = r->probes;
	c->interrupted = r->interrupted;
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
	if (c->rxd < 32 || c->txd < 32 || c->mbufs < 512 || c->memhp_mb < 2 ||
	    c->memhp_mb % 2 || c->memhp_mb / 2 + 64 > d->hugepages)
		return seterr(
			err, len,
			"rxd=%ld txd=%ld mbufs=%ld memhp_mb=%ld: rxd and txd at least 32, mbufs at least 512, memhp_mb even and at most 2 x (hugepages - 64)",
			c->rxd, c->txd, c->mbufs, c->memhp_mb);
	return 0;
}

/* dpdk-memhp beside the running invlab (the Makefile builds both in $(B)). */
static int find_memhp(struct dpdk_cell *c, char *err, size_t len)
{
	char exe[PATH_MAX - 16];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return seterr(err, len, "cannot read /proc/self/exe");
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	snprintf(c->memhp, sizeof(c->memhp), "%s/dpdk-memhp", exe);
	if (access(c->memhp, X_OK))
		return seterr(
			err, len,
			"%s is missing: make build builds it only where pkg-config finds libdpdk (install dpdk-dev)",
			c->memhp);
	return 0;
}

/* Give back the NIC, the hugepages and the VFIO switch; say where it is. */
static int restore(struct workload_run *r, char *err, size_t len)
{
	struct dpdk_run *x = r->priv;
	json_object *sys = json_object_new_object();
	char drv[64], rerr[512];
	int ret = 0;

	/* the children are gone here: the device is free to go back */
	if (x->bound || x->saved.saved) {
		if (pci_binding_restore(&x->saved, rerr, sizeof(rerr))) {
			say("restoring %s: %s", r->device, rerr);
			seterr(err, len, "%s", rerr);
			ret = -1;
		}
	}
	pci_bound_driver("/sys", r->device, drv, sizeof(drv));
	json_object_object_add(x->binding, "restored",
			       json_object_new_string(drv));
	say("%s is on %s again", r->device, drv[0] ? drv : "no driver");
	dpdk_env_restore(&x->env, sys);
	json_object_object_add(r->workload, "system", sys);
	signal(SIGPIPE, x->old_pipe);
	return ret;
}

static int dpdk_setup(struct workload_run *r, char *err, size_t len)
{
	struct dpdk_run *x = r->priv;
	struct dpdk_cell *c = &x->cell;
	const struct dpdk_opts *d = c->d;
	char drv[64];
	bool unsafe;

	x->env.hugepages_before = -1;
	x->binding = json_object_new_object();
	json_object_object_add(r->workload, "binding", x->binding);
	if (find_memhp(c, err, len) ||
	    pci_binding_save("/sys", r->device, &x->saved, err, len))
		return -1;
	json_object_object_add(x->binding, "original",
			       json_object_new_string(x->saved.driver));
	if (!r->may_rebind && strcmp(x->saved.driver, "vfio-pci"))
		return seterr(
			err, len,
			"%s is bound to %s: invlab moves a NIC to vfio-pci only in a lab guest or when told with --allow-rebind %s",
			r->device,
			x->saved.driver[0] ? x->saved.driver : "no driver",
			r->device);
	/* VFIO refuses a device without interrupt remapping unless told;
	 * only a disposable guest is told (stock 7.3 under QEMU has none)
	 */
	unsafe = r->lab_guest && strcmp(r->intremap, "enabled");
	x->old_pipe = signal(SIGPIPE, SIG_IGN);
	if (dpdk_env_setup(&x->env, d->hugepages, unsafe, err, len))
		goto fail;
	c->huge_dir = x->env.huge_dir;
	if (pci_bind_driver("/sys", r->device, "vfio-pci", r->may_rebind, err,
			    len))
		goto fail;
	x->bound = true;
	pci_bound_driver("/sys", r->device, drv, sizeof(drv));
	json_object_object_add(x->binding, "during",
			       json_object_new_string(drv));
	say("DPDK on %s (was %s, now %s): rxd %ld, txd %ld, %ld mbufs, %ld port cycles, %lds txonly, %ld heap grow/shrink cycles of %ld MiB per window",
	    r->device, x->saved.driver[0] ? x->saved.driver : "unbound", drv,
	    c->rxd, c->txd, c->mbufs, d->port_cycles, r->runtime_s,
	    d->memhp_cycles, c->memhp_mb);
	return 0;
fail:
	/* the setup error is the one to report */
	{
		char rerr[ERRLEN];

		restore(r, rerr, sizeof(rerr));
	}
	return -1;
}

static int dpdk_window(struct workload_run *r, struct window *w, char *err,
		       size_t len)
{
	struct dpdk_run *x = r->priv;

	return dpdk_window_run(&x->cell, w, err, len);
}

static int dpdk_teardown(struct workload_run *r, char *err, size_t len)
{
	return restore(r, err, len);
}

const struct workload_ops dpdk_workload = {
	.name = "dpdk",
	.headline = "port_cycle_ms",
	.device = WORKLOAD_DEVICE_PCI,
	.own_snapshots = true,
	.keys = dpdk_keys,
	.load = dpdk_load,
	.describe = dpdk_describe,
	.setup = dpdk_setup,
	.window = dpdk_window,
	.teardown = dpdk_teardown,
};
