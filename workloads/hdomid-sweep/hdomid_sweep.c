// SPDX-License-Identifier: GPL-2.0
/*
 * [workload] type = hdomid-sweep (hdomid_sweep.h). Maps and unmaps are
 * counted apart: with QEMU's NpCache both flush the nest parent, and the
 * figure is commands per stage-2 unmap: the base INVALIDATE_IOMMU_PAGES of
 * the parent's own domain id, one per hDomID (N x M), and a completion
 * wait.
 */
#include "hdomid_sweep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/stats.h"
#include "lib/json_util.h"
#include "nest_parent.h"
#include "workloads/common/iommufd_uapi.h"
#include "workloads/workload.h"

#define SWEEP_IOVA_BASE 0x100000000ULL

/* [workload] keys of the sweep's own (sweep_load) */
static const struct conf_key sweep_keys[] = { { "cycles", 0 },
					      { "size", 0 },
					      { NULL, 0 } };

static int sweep_load(const struct conf *c, const struct workload_suite *s,
		      void **opts, char *err, size_t len)
{
	struct hdomid_sweep_opts *o = xcalloc(1, sizeof(*o));

	(void)s; /* errors name the file from c */
	*opts = o;
	if (conf_get_long(c, "workload", "cycles", 100, 1, 100000, &o->cycles,
			  err, len) ||
	    conf_get_long(c, "workload", "size", 4096, 4096, 1L << 30, &o->size,
			  err, len))
		return -1;
	if (o->size % 4096)
		return conf_err(c, "workload", "size", err, len,
				"a multiple of 4096");
	return 0;
}

/* One run: the nest parent and each window's per-cycle times. */
struct sweep_run {
	long n, m; /* hDomIDs (nested HWPTs) per vIOMMU, vIOMMUs */
	struct nest_parent np;
	double *map_ns, *unmap_ns;
};

static int sweep_describe(struct workload_run *r, char *err, size_t len)
{
	const struct hdomid_sweep_opts *o = r->opts;
	struct sweep_run *x = xcalloc(1, sizeof(*x));

	r->priv = x;
	x->n = workload_param(r, "hdomids", -1);
	x->m = workload_param(r, "viommus", -1);
	if (x->n < 1 || x->m < 1)
		return seterr(
			err, len,
			"the hdomid-sweep workload needs [matrix] hdomids and viommus (positive numbers)");
	json_object_object_add(r->workload, "cycles",
			       json_object_new_int64(o->cycles));
	json_object_object_add(r->workload, "size",
			       json_object_new_int64(o->size));
	return 0;
}

static int sweep_setup(struct workload_run *r, char *err, size_t len)
{
	const struct hdomid_sweep_opts *o = r->opts;
	struct sweep_run *x = r->priv;

	say("hDomID sweep on %s: %ld vIOMMU(s) x %ld nested HWPTs, %ld map/unmap cycles of %ld bytes per window",
	    r->device, x->m, x->n, o->cycles, o->size);
	/* what the uAPI call really passed, for whoever reads the result */
	json_object_object_add(r->workload, "viommu_type",
			       json_object_new_int(INVLAB_VIOMMU_TYPE_AMD_LAB));
	if (nest_parent_setup(&x->np, r->device, r->may_rebind,
			      (unsigned int)x->m, (unsigned int)x->n,
			      (size_t)o->size, err, len))
		return -1;
	x->map_ns = xcalloc(o->cycles, sizeof(double));
	x->unmap_ns = xcalloc(o->cycles, sizeof(double));
	return 0;
}

static int sweep_teardown(struct workload_run *r, char *err, size_t len)
{
	struct sweep_run *x = r->priv;

	(void)err;
	(void)len;
	nest_parent_teardown(&x->np);
	free(x->map_ns);
	free(x->unmap_ns);
	return 0;
}

/* The window's map and unmap times, timed by the workload, into m. */
static void add_times(json_object *m, const struct sweep_run *x, long cycles)
{
	json_object_object_add(m, "unmap_ns",
			       json_num(quantile_of(x->unmap_ns, cycles, 0.5)));
	json_object_object_add(
		m, "unmap_p99_ns",
		json_num(quantile_of(x->unmap_ns, cycles, 0.99)));
	json_object_object_add(m, "map_ns",
			       json_num(quantile_of(x->map_ns, cycles, 0.5)));
}

/* The figures of one window: the maps' and the unmaps' deltas. */
static void window_sample(const struct workload_run *r, struct window *w,
			  const struct probe_snap *map,
			  const struct probe_snap *unmap)
{
	const struct hdomid_sweep_opts *o = r->opts;
	const struct sweep_run *x = r->priv;
	const struct probe_set *ps = r->probes;
	json_object *sample = w->sample, *wl, *m;
	double cycles = (double)o->cycles;
	double total = (double)cmdq_counts_total(&unmap->cmdq);
	double inv = (double)cmdq_counts_opcode(&unmap->cmdq,
						"INVALIDATE_IOMMU_PAGES");
	double cw = (double)cmdq_counts_opcode(&unmap->cmdq, "COMPLETION_WAIT");
	/* the lab kernel's flush-all knob (kernel/patches/0007) */
	double all = (double)cmdq_counts_opcode(&unmap->cmdq,
						"INVALIDATE_IOMMU_ALL");
	double unmap_p50 = quantile_of(x->unmap_ns, o->cycles, 0.5);

	wl = json_object_new_object();
	json_object_object_add(wl, "hdomids", json_object_new_int64(x->n));
	json_object_object_add(wl, "viommus", json_object_new_int64(x->m));
	json_object_object_add(wl, "cycles", json_object_new_int64(o->cycles));
	json_object_object_add(wl, "size", json_object_new_int64(o->size));
	json_object_object_add(sample, "workload", wl);
	json_object_object_add(sample, "commands",
			       cmdq_counts_json(&unmap->cmdq));
	json_object_object_add(sample, "commands_map",
			       cmdq_counts_json(&map->cmdq));
	json_object_object_add(sample, "fanout",
			       probe_set_fanout_json(ps, &unmap->fan));
	m = json_object_new_object();
	json_object_object_add(m, "cmds_per_unmap", json_num(total / cycles));
	json_object_object_add(m, "inv_cmds_per_unmap", json_num(inv / cycles));
	json_object_object_add(m, "cw_cmds_per_unmap", json_num(cw / cycles));
	json_object_object_add(m, "inv_all_per_unmap", json_num(all / cycles));
	json_object_object_add(
		m, "cmds_per_map",
		json_num((double)cmdq_counts_total(&map->cmdq) / cycles));
	add_times(m, x, o->cycles);
	if (ps->fan.present)
		json_object_object_add(
			m, "stalls_per_unmap",
			json_num((double)unmap->fan.queue.stalls / cycles));
	json_object_object_add(sample, "metrics", m);
	snprintf(
		w->summary, sizeof(w->summary),
		"%.2f commands per unmap (%.2f INVALIDATE_IOMMU_PAGES, 1 + %ld x %ld walked; %.2f INVALIDATE_IOMMU_ALL), unmap %.0f %s median",
		total / cycles, inv / cycles, x->n, x->m, all / cycles,
		unmap_p50, r->ns_unit);
}

/* A window with every probe detached: its times, no commands. */
static void detached_sample(const struct workload_run *r, struct window *w)
{
	const struct hdomid_sweep_opts *o = r->opts;
	const struct sweep_run *x = r->priv;
	json_object *m = json_object_new_object();
	double unmap_p50 = quantile_of(x->unmap_ns, o->cycles, 0.5);

	add_times(m, x, o->cycles);
	json_object_object_add(w->sample, "metrics", m);
	snprintf(w->summary, sizeof(w->summary), "unmap %.0f %s median",
		 unmap_p50, r->ns_unit);
}

/* The maps, then the unmaps, of one window's cycles. */
static int cycles(struct sweep_run *x, const struct hdomid_sweep_opts *o,
		  bool maps)
{
	/* each map at its own 2 MiB-aligned IOVA */
	uint64_t stride = ((uint64_t)o->size + 0x1fffff) & ~0x1fffffULL;
	int e = 0;

	for (long i = 0; i < o->cycles && !e; i++) {
		uint64_t iova = SWEEP_IOVA_BASE + (uint64_t)i * stride;

		e = maps ? nest_parent_map(&x->np, iova, &x->map_ns[i]) :
			   nest_parent_unmap(&x->np, iova, &x->unmap_ns[i]);
	}
	return e;
}

static int sweep_window(struct workload_run *r, struct window *w, char *err,
			size_t len)
{
	const struct hdomid_sweep_opts *o = r->opts;
	struct sweep_run *x = r->priv;
	/* snapshots: before the maps, between, after the unmaps */
	struct probe_snap s[3], map = { 0 }, unmap = { 0 };
	int e, got = 0;

	if (w->warmup || w->detached) {
		/* no probe to read: the timings alone */
		e = cycles(x, o, true);
		if (!e)
			e = cycles(x, o, false);
		if (e)
			return seterr(err, len, "IOAS map/unmap in %s %d: %s",
				      w->warmup ? "warm-up" : "window", w->rep,
				      strerror(-e));
		if (w->detached)
			detached_sample(r, w);
		return 0;
	}
	got += !probe_set_read(r->probes, &s[0], false);
	e = cycles(x, o, true);
	got += !probe_set_read(r->probes, &s[1], false);
	if (!e)
		e = cycles(x, o, false);
	got += !probe_set_read(r->probes, &s[2], false);
	if (e) {
		seterr(err, len, "IOAS map/unmap in window %d: %s", w->rep,
		       strerror(-e));
	} else if (got != 3 || probe_snap_delta(&s[0], &s[1], &map) ||
		   probe_snap_delta(&s[1], &s[2], &unmap)) {
		seterr(err, len, "cannot read the probes' maps");
		e = -1;
	} else {
		window_sample(r, w, &map, &unmap);
	}
	probe_snap_free(&map);
	probe_snap_free(&unmap);
	for (int k = 0; k < 3; k++)
		probe_snap_free(&s[k]);
	return e ? -1 : 0;
}

const struct workload_ops hdomid_sweep_workload = {
	.name = "hdomid-sweep",
	.headline = "unmap_ns",
	.device = WORKLOAD_DEVICE_PCI,
	.own_snapshots = true,
	.detached_windows = true,
	.keys = sweep_keys,
	.load = sweep_load,
	.describe = sweep_describe,
	.setup = sweep_setup,
	.window = sweep_window,
	.teardown = sweep_teardown,
};
