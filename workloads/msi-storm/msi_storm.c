// SPDX-License-Identifier: GPL-2.0
/* [workload] type = msi-storm (msi_storm.h). */
#include "msi_storm.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "irte_storm.h"
#include "lib/json_util.h"
#include "workloads/common/pci_rebind.h"
#include "workloads/workload.h"

/* A kernel symbol name: what kallsyms could list. */
static int valid_symbol(const char *v)
{
	if (!*v || strlen(v) >= sizeof(((struct msi_storm_opts *)0)->function))
		return 0;
	for (; *v; v++)
		if (!(*v == '_' || *v == '.' || (*v >= '0' && *v <= '9') ||
		      (*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z')))
			return 0;
	return 1;
}

/* [workload] keys of the storm's own (msi_load) */
static const struct conf_key msi_keys[] = { { "vectors", 0 },
					    { "cycles", 0 },
					    { "rate", 0 },
					    { "function", 0 },
					    { NULL, 0 } };

static int msi_load(const struct conf *c, const struct workload_suite *s,
		    void **opts, char *err, size_t len)
{
	struct msi_storm_opts *mc = xcalloc(1, sizeof(*mc));
	const char *fn = conf_get(c, "workload", "function");

	(void)s; /* errors name the file from c */
	*opts = mc;
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
		return conf_err(
			c, "workload", "function", err, len,
			"not a kernel function name (letters, digits, '_' and '.', under %zu characters)",
			sizeof(mc->function));
	snprintf(mc->function, sizeof(mc->function), "%s", fn);
	return 0;
}

/* NTB hardware (ntb_msi_test, ntb_perf) is the first choice. */
static void note_ntb(void)
{
	DIR *d = opendir("/sys/bus/ntb/devices");
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)))
		n += de->d_name[0] != '.';
	if (d)
		closedir(d);
	if (n)
		say("%d NTB device(s) in /sys/bus/ntb/devices: the NTB path (ntb_msi_test, ntb_perf) is not implemented; using the DMA-aliased device path",
		    n);
}

/* Flushed devids, from the cmdq probe's window: [{"devid", "count"}]. */
static json_object *irt_devids(const struct cmdq_counts *c)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < c->nr_ids; i++) {
		json_object *e;
		char id[16];

		if (c->ids[i].opcode != IOMMU_CMD_INV_IRT)
			continue;
		e = json_object_new_object();
		snprintf(id, sizeof(id), "0x%04x", c->ids[i].id);
		json_object_object_add(e, "devid", json_object_new_string(id));
		json_object_object_add(e, "count",
				       json_object_new_uint64(c->ids[i].count));
		json_object_array_add(a, e);
	}
	return a;
}

/* One run: the vectors of this cell, the device's VFIO state. */
struct msi_run {
	long vectors;
	struct irte_storm st;
	bool unsafe; /* allow_unsafe_interrupts was set for the run */
	double secs; /* the last window's storm */
};

static int msi_describe(struct workload_run *r, char *err, size_t len)
{
	const struct msi_storm_opts *mc = r->opts;
	struct msi_run *x = xcalloc(1, sizeof(*x));

	r->priv = x;
	x->vectors = workload_param(r, "vectors", mc->vectors);
	json_object_object_add(r->workload, "vectors",
			       json_object_new_int64(mc->vectors));
	json_object_object_add(r->workload, "cycles",
			       json_object_new_int64(mc->cycles));
	json_object_object_add(r->workload, "rate",
			       json_object_new_int64(mc->rate));
	json_object_object_add(r->workload, "function",
			       json_object_new_string(mc->function));
	if (x->vectors < 1 || x->vectors > 2048)
		return seterr(err, len,
			      "vectors = %ld: 1 to 2048 MSI-X vectors",
			      x->vectors);
	return 0;
}

static int msi_setup(struct workload_run *r, char *err, size_t len)
{
	const struct msi_storm_opts *mc = r->opts;
	struct msi_run *x = r->priv;
	const char *fns[] = { mc->function };
	const struct fnfan_probe *fp = &r->probes->watch;

	note_ntb();
	if (probe_set_watch(r->probes, fns, 1, err, len))
		return -1;
	say("IRTE updates counted at %s (%s), commands inside it at %s (%s)",
	    fp->symbol[0], fp->mechanism[0], CMDQ_SYMBOL, fp->cmd_mechanism);
	if (irte_storm_setup(&x->st, "/sys", r->device, r->may_rebind,
			     (unsigned int)x->vectors, err, len))
		return -1;
	x->unsafe = x->st.unsafe.set;
	say("MSI-X storm on %s (IOMMU group %u, was on %s): %ld cycles of %ld vector(s) per window%s",
	    r->device, x->st.group_id,
	    x->st.orig.driver[0] ? x->st.orig.driver : "no driver", mc->cycles,
	    x->vectors, mc->rate ? ", paced" : ", unpaced");
	return 0;
}

static void sleep_until(double t)
{
	struct timespec ts = { .tv_sec = (time_t)t,
			       .tv_nsec = (long)((t - floor(t)) * 1e9) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

/*
 * cycles enable/disable cycles, paced at rate per second when rate > 0.
 * 0, -errno from VFIO, or 1 when interrupted.
 */
static int storm(struct irte_storm *st, long cycles, long rate,
		 volatile int *interrupted)
{
	double t0 = monotonic_s();

	for (long i = 0; i < cycles; i++) {
		int e;

		if (*interrupted)
			return 1;
		if (rate > 0)
			sleep_until(t0 + (double)i / (double)rate);
		e = irte_storm_cycle(st);
		if (e)
			return e;
	}
	return 0;
}

static int msi_window(struct workload_run *r, struct window *w, char *err,
		      size_t len)
{
	const struct msi_storm_opts *mc = r->opts;
	struct msi_run *x = r->priv;
	double t0 = monotonic_s();
	int e = storm(&x->st, mc->cycles, mc->rate, r->interrupted);

	x->secs = monotonic_s() - t0;
	if (e == 1)
		return seterr(err, len, "interrupted in window %d", w->rep);
	if (e)
		return seterr(err, len,
			      "MSI-X enable/disable on %s in window %d: %s",
			      x->st.pci, w->rep, strerror(-e));
	return 0;
}

static json_object *per_update(double v, double calls)
{
	return json_num(calls > 0 ? v / calls : NAN);
}

/* The window's IRTE updates (the watched function) and their commands. */
static int msi_sample(struct workload_run *r, struct window *w,
		      const struct probe_snap *d, char *err, size_t len)
{
	const struct msi_storm_opts *mc = r->opts;
	struct msi_run *x = r->priv;
	const struct fnfan_probe *fp = &r->probes->watch;
	const struct fnfan_fn_stats *fn;
	json_object *wl = json_object_new_object(), *m, *f;
	double calls, total = 0;

	(void)err;
	(void)len;
	json_object_object_add(wl, "vectors",
			       json_object_new_int64(x->vectors));
	json_object_object_add(wl, "cycles", json_object_new_int64(mc->cycles));
	json_object_object_add(wl, "rate", json_object_new_int64(mc->rate));
	json_object_object_add(w->sample, "workload", wl);
	if (!d) {
		/* probes detached: the cycle's own time, for the overhead pair */
		m = json_object_new_object();
		json_object_object_add(
			m, "cycle_ns",
			json_num(x->secs * 1e9 / (double)mc->cycles));
		json_object_object_add(w->sample, "metrics", m);
		snprintf(w->summary, sizeof(w->summary),
			 "%ld cycles in %.3f s (%.0f %s a cycle)", mc->cycles,
			 x->secs, x->secs * 1e9 / (double)mc->cycles,
			 r->ns_unit);
		return 0;
	}
	fn = &d->watch.fn[0];
	calls = (double)fn->calls;
	for (int op = 0; op < IOMMU_CMD_NR_OPCODES; op++)
		total += (double)fn->cmds[op];
	json_object_object_add(w->sample, "irt_devids", irt_devids(&d->cmdq));
	f = fnfan_fn_json(fn);
	json_object_object_add(f, "function",
			       json_object_new_string(fp->symbol[0]));
	json_object_object_add(f, "mechanism",
			       json_object_new_string(fp->mechanism[0]));
	json_object_object_add(w->sample, "updates", f);
	if (!fn->calls)
		json_object_object_add(
			w->sample, "no_updates",
			json_object_new_string(
				x->st.unsafe.set ?
					"the kernel made no IRTE updates: it has no interrupt remapping (VFIO needed allow_unsafe_interrupts), so per-update figures are not measurable here" :
					"the kernel made no IRTE updates in this window (no call of the traced function): per-update figures are not measurable"));
	m = json_object_new_object();
	json_object_object_add(m, "irte_updates_per_s",
			       json_num(calls / x->secs));
	json_object_object_add(m, "updates_per_cycle",
			       json_num(calls / (double)mc->cycles));
	json_object_object_add(m, "inv_irt_per_update",
			       per_update((double)fn->cmds[IOMMU_CMD_INV_IRT],
					  calls));
	json_object_object_add(
		m, "cw_per_update",
		per_update((double)fn->cmds[IOMMU_CMD_COMPL_WAIT], calls));
	json_object_object_add(m, "cmds_per_update", per_update(total, calls));
	json_object_object_add(m, "update_ns",
			       per_update((double)fn->lat_sum_ns,
					  (double)fn->returns));
	/* log2 bounds: the quantile lies below this, above half of it */
	json_object_object_add(
		m, "update_p50_bound_ns",
		fn->returns ? json_object_new_double(fnfan_hist_quantile_bound(
				      fn->lat_hist, 0.5)) :
			      NULL);
	json_object_object_add(
		m, "update_p99_bound_ns",
		fn->returns ? json_object_new_double(fnfan_hist_quantile_bound(
				      fn->lat_hist, 0.99)) :
			      NULL);
	json_object_object_add(m, "cycle_ns",
			       json_num(x->secs * 1e9 / (double)mc->cycles));
	/* with cycle_ns, what the probes add per command (overhead pairs) */
	json_object_object_add(m, "cmds_per_cycle",
			       json_num(total / (double)mc->cycles));
	json_object_object_add(w->sample, "metrics", m);
	snprintf(
		w->summary, sizeof(w->summary),
		"%llu IRTE updates (%.0f/s), %.2f INVALIDATE_INTERRUPT_TABLE and %.2f COMPLETION_WAIT per update, %.0f %s mean",
		fn->calls, calls / x->secs,
		calls > 0 ? (double)fn->cmds[IOMMU_CMD_INV_IRT] / calls : NAN,
		calls > 0 ? (double)fn->cmds[IOMMU_CMD_COMPL_WAIT] / calls :
			    NAN,
		fn->returns ? (double)fn->lat_sum_ns / (double)fn->returns :
			      NAN,
		r->ns_unit);
	return 0;
}

/* Give the device back; where its binding went is kept in "workload". */
static int msi_teardown(struct workload_run *r, char *err, size_t len)
{
	struct msi_run *x = r->priv;
	json_object *b = json_object_new_object();
	char now[64];
	int ret = irte_storm_teardown(&x->st, err, len);

	pci_bound_driver("/sys", r->device, now, sizeof(now));
	json_object_object_add(b, "original",
			       json_object_new_string(x->st.orig.driver));
	json_object_object_add(b, "restored", json_object_new_string(now));
	json_object_object_add(r->workload, "binding", b);
	json_object_object_add(r->workload, "unsafe_interrupts",
			       json_object_new_boolean(x->unsafe));
	return ret;
}

const struct workload_ops msi_storm_workload = {
	.name = "msi-storm",
	.headline = "update_ns",
	.device = WORKLOAD_DEVICE_PCI,
	.keys = msi_keys,
	.load = msi_load,
	.describe = msi_describe,
	.setup = msi_setup,
	.window = msi_window,
	.sample = msi_sample,
	.teardown = msi_teardown,
};
