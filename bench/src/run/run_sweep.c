// SPDX-License-Identifier: GPL-2.0
/*
 * The hDomID fan-out sweep's windows. Maps and unmaps are counted apart:
 * with QEMU's NpCache both flush the nest parent, and the figure
 * is commands per stage-2 unmap: the base INVALIDATE_IOMMU_PAGES of the
 * parent's own domain id, one per hDomID (N x M), and a completion wait.
 */
#include "run_driver.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/fanout_stats.h"
#include "workloads/iommufd/hdomid_sweep.h"
#include "workloads/iommufd/iommufd_uapi.h"
#include "lib/result.h"
#include "analysis/stats.h"
#include "workloads/iommufd/sweep_conf.h"

#define SWEEP_IOVA_BASE 0x100000000ULL

static double percentile(double *v, size_t n, double q)
{
	double *c = xcalloc(n + 1, sizeof(double)), r;

	memcpy(c, v, n * sizeof(double));
	median(c, n); /* sorts */
	r = n ? c[(size_t)fmin(n - 1, floor(q * n))] : NAN;
	free(c);
	return r;
}

/* What the probes counted in one phase (the maps, or the unmaps). */
struct phase {
	struct cmdq_counts delta;
	struct fanout_totals fd;
};

static int read_probes(struct cmdq_probe *p, struct fanout_probe *f,
		       struct cmdq_counts *c, struct fanout_totals *t)
{
	return fanout_probe_read(f, t) || cmdq_probe_read(p, c) ? -1 : 0;
}

static uint64_t opcode_count(const struct cmdq_counts *c, const char *name)
{
	unsigned int op = iommu_cmd_opcode(name);

	return op < IOMMU_CMD_NR_OPCODES ? c->by_opcode[op] : 0;
}

static json_object *window_sample(int rep, double secs, long n, long m,
				  const struct sweep_conf *sc,
				  struct phase *map, struct phase *unmap,
				  double *map_ns, double *unmap_ns,
				  struct fanout_probe *fan)
{
	json_object *sample = json_object_new_object(), *w, *x;
	double cycles = (double)sc->cycles;
	double inv =
		(double)opcode_count(&unmap->delta, "INVALIDATE_IOMMU_PAGES");
	double cw = (double)opcode_count(&unmap->delta, "COMPLETION_WAIT");

	json_object_object_add(sample, "repetition", json_object_new_int(rep));
	json_object_object_add(sample, "window_s",
			       json_object_new_double(secs));
	w = json_object_new_object();
	json_object_object_add(w, "hdomids", json_object_new_int64(n));
	json_object_object_add(w, "viommus", json_object_new_int64(m));
	json_object_object_add(w, "cycles", json_object_new_int64(sc->cycles));
	json_object_object_add(w, "size", json_object_new_int64(sc->size));
	json_object_object_add(sample, "workload", w);
	json_object_object_add(sample, "commands",
			       result_counts_json(&unmap->delta));
	json_object_object_add(sample, "commands_map",
			       result_counts_json(&map->delta));
	json_object_object_add(sample, "fanout",
			       fan->present ? fanout_totals_json(&unmap->fd) :
					      NULL);
	x = json_object_new_object();
	json_object_object_add(
		x, "cmds_per_unmap",
		json_object_new_double(
			(double)cmdq_counts_total(&unmap->delta) / cycles));
	json_object_object_add(x, "inv_cmds_per_unmap",
			       json_object_new_double(inv / cycles));
	json_object_object_add(x, "cw_cmds_per_unmap",
			       json_object_new_double(cw / cycles));
	json_object_object_add(
		x, "cmds_per_map",
		json_object_new_double((double)cmdq_counts_total(&map->delta) /
				       cycles));
	json_object_object_add(
		x, "unmap_ns",
		json_object_new_double(percentile(unmap_ns, sc->cycles, 0.5)));
	json_object_object_add(
		x, "unmap_p99_ns",
		json_object_new_double(percentile(unmap_ns, sc->cycles, 0.99)));
	json_object_object_add(
		x, "map_ns",
		json_object_new_double(percentile(map_ns, sc->cycles, 0.5)));
	if (fan->present)
		json_object_object_add(
			x, "stalls_per_unmap",
			json_object_new_double((double)unmap->fd.queue.stalls /
					       cycles));
	json_object_object_add(sample, "metrics", x);
	return sample;
}

int sweep_windows(const struct driver_run *r, char *err, size_t len)
{
	const struct suite *s = r->s;
	const struct sweep_conf *sc = s->wl;
	struct cmdq_probe *probe = r->probe;
	struct fanout_probe *fan = r->fan;
	json_object *doc = r->doc;
	const char *path = r->path;
	long n = driver_param(r, "hdomids", -1);
	long m = driver_param(r, "viommus", -1);
	json_object *samples = json_object_object_get(doc, "samples");
	uint64_t stride = (sc->size + 0x1fffff) & ~0x1fffffULL;
	double *map_ns, *unmap_ns;
	struct hdomid_sweep sw;
	int ret = -1;

	err[0] = '\0';
	if (n < 1 || m < 1)
		return seterr(
			err, len,
			"suite %s: the iommufd-sweep workload needs [matrix] hdomids and viommus (positive numbers)",
			s->name);
	say("hDomID sweep on %s: %ld vIOMMU(s) x %ld nested HWPTs, %ld map/unmap cycles of %ld bytes per window",
	    s->device, m, n, sc->cycles, sc->size);
	/* what the uAPI call really passed, for whoever reads the result */
	json_object_object_add(json_object_object_get(doc, "workload"),
			       "viommu_type",
			       json_object_new_int(INVLAB_VIOMMU_TYPE_AMD_LAB));
	if (hdomid_sweep_setup(&sw, s->device, r->may_rebind, (unsigned int)m,
			       (unsigned int)n, (size_t)sc->size, err, len))
		return -1;
	map_ns = xcalloc(sc->cycles, sizeof(double));
	unmap_ns = xcalloc(sc->cycles, sizeof(double));
	for (int rep = 1; rep <= s->repetitions; rep++) {
		/* snapshots: before the maps, between, after the unmaps */
		struct cmdq_counts c[3] = { 0 };
		struct fanout_totals f[3];
		struct phase map = { 0 }, unmap = { 0 };
		double t0 = monotonic_s();
		int e = 0, got = 0;

		if (*r->interrupted) {
			seterr(err, len, "interrupted after %d of %ld windows",
			       rep - 1, s->repetitions);
			goto out;
		}
		got += !read_probes(probe, fan, &c[0], &f[0]);
		for (long i = 0; i < sc->cycles && !e; i++)
			e = hdomid_sweep_map(&sw, SWEEP_IOVA_BASE + i * stride,
					     &map_ns[i]);
		got += !read_probes(probe, fan, &c[1], &f[1]);
		for (long i = 0; i < sc->cycles && !e; i++)
			e = hdomid_sweep_unmap(&sw,
					       SWEEP_IOVA_BASE + i * stride,
					       &unmap_ns[i]);
		got += !read_probes(probe, fan, &c[2], &f[2]);
		if (!e && got == 3 &&
		    !cmdq_counts_delta(&c[0], &c[1], &map.delta) &&
		    !cmdq_counts_delta(&c[1], &c[2], &unmap.delta)) {
			fanout_totals_delta(&f[0], &f[1], &map.fd);
			fanout_totals_delta(&f[1], &f[2], &unmap.fd);
			json_object_array_add(
				samples, window_sample(rep, monotonic_s() - t0,
						       n, m, sc, &map, &unmap,
						       map_ns, unmap_ns, fan));
			say("window %d/%ld: %.2f commands per unmap (%.2f INVALIDATE_IOMMU_PAGES, 1 + %ld x %ld expected), unmap %.0f ns median",
			    rep, s->repetitions,
			    (double)cmdq_counts_total(&unmap.delta) /
				    sc->cycles,
			    (double)opcode_count(&unmap.delta,
						 "INVALIDATE_IOMMU_PAGES") /
				    sc->cycles,
			    n, m, percentile(unmap_ns, sc->cycles, 0.5));
		} else if (e) {
			seterr(err, len, "IOAS map/unmap in window %d: %s", rep,
			       strerror(-e));
		} else {
			seterr(err, len, "cannot read the probes' maps");
		}
		for (int k = 0; k < 3; k++)
			cmdq_counts_free(&c[k]);
		cmdq_counts_free(&map.delta);
		cmdq_counts_free(&unmap.delta);
		if (err[0])
			goto out;
		result_write(doc, path);
	}
	ret = 0;
out:
	hdomid_sweep_teardown(&sw);
	free(map_ns);
	free(unmap_ns);
	return ret;
}
