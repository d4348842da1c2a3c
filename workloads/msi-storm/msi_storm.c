// SPDX-License-Identifier: GPL-2.0
/*
 * The MSI-storm windows (issue 4 item 3, seed 004): IRTE updates on a
 * device with DMA aliases, made by MSI-X enable/disable cycles through
 * VFIO. An IRTE update is one call of the traced function
 * (iommu_flush_irt_and_complete: modify_irte and free_irte each make one),
 * counted in the kernel by the fnfan probe, never inferred from the ioctls.
 * Its commands are those queued by the same thread while it is open: seed
 * 004 makes that one INVALIDATE_INTERRUPT_TABLE per DMA alias instead of
 * one, then the completion wait.
 */
#include "run_driver.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpf/fnfan_probe.h"
#include "workloads/common/pci_rebind.h"
#include "workloads/msi-storm/irte_storm.h"
#include "workloads/msi-storm/msi_conf.h"
#include "lib/result.h"

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

static json_object *num_or_null(double v)
{
	return isfinite(v) ? json_object_new_double(v) : NULL;
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

struct msi_window {
	int rep;
	long vectors, cycles;
	double secs;
	struct cmdq_counts delta;
	struct fnfan_fn_stats fn;
};

static json_object *window_sample(const struct msi_window *w,
				  const struct msi_conf *mc,
				  const struct fnfan_probe *fp,
				  const struct irte_storm *st)
{
	json_object *sample = json_object_new_object(), *wl, *x, *f;
	double calls = (double)w->fn.calls, n = calls > 0 ? calls : NAN;
	uint64_t total = 0;

	for (int op = 0; op < IOMMU_CMD_NR_OPCODES; op++)
		total += w->fn.cmds[op];
	json_object_object_add(sample, "repetition",
			       json_object_new_int(w->rep));
	json_object_object_add(sample, "window_s",
			       json_object_new_double(w->secs));
	wl = json_object_new_object();
	json_object_object_add(wl, "vectors",
			       json_object_new_int64(w->vectors));
	json_object_object_add(wl, "cycles", json_object_new_int64(w->cycles));
	json_object_object_add(wl, "rate", json_object_new_int64(mc->rate));
	json_object_object_add(sample, "workload", wl);
	json_object_object_add(sample, "commands",
			       result_counts_json(&w->delta));
	json_object_object_add(sample, "irt_devids", irt_devids(&w->delta));
	f = fnfan_fn_json(&w->fn);
	json_object_object_add(f, "function",
			       json_object_new_string(fp->symbol[0]));
	json_object_object_add(f, "mechanism",
			       json_object_new_string(fp->mechanism[0]));
	json_object_object_add(sample, "updates", f);
	if (!w->fn.calls)
		json_object_object_add(
			sample, "no_updates",
			json_object_new_string(
				st->unsafe_set ?
					"the kernel made no IRTE updates: it has no interrupt remapping (VFIO needed allow_unsafe_interrupts), so per-update figures are not measurable here" :
					"the kernel made no IRTE updates in this window (no call of the traced function): per-update figures are not measurable"));

	x = json_object_new_object();
	json_object_object_add(x, "irte_updates_per_s",
			       json_object_new_double(calls / w->secs));
	json_object_object_add(
		x, "updates_per_cycle",
		json_object_new_double(calls / (double)w->cycles));
	json_object_object_add(
		x, "inv_irt_per_update",
		num_or_null((double)w->fn.cmds[IOMMU_CMD_INV_IRT] / n));
	json_object_object_add(
		x, "cw_per_update",
		num_or_null((double)w->fn.cmds[IOMMU_CMD_COMPL_WAIT] / n));
	json_object_object_add(x, "cmds_per_update",
			       num_or_null((double)total / n));
	json_object_object_add(
		x, "update_ns",
		num_or_null(w->fn.returns ? (double)w->fn.lat_sum_ns /
						    (double)w->fn.returns :
					    NAN));
	/* log2 bounds: the quantile lies below this, above half of it */
	json_object_object_add(
		x, "update_p50_bound_ns",
		w->fn.returns ?
			json_object_new_double(fnfan_hist_quantile_bound(
				w->fn.lat_hist, 0.5)) :
			NULL);
	json_object_object_add(
		x, "update_p99_bound_ns",
		w->fn.returns ?
			json_object_new_double(fnfan_hist_quantile_bound(
				w->fn.lat_hist, 0.99)) :
			NULL);
	json_object_object_add(
		x, "cycle_ns",
		json_object_new_double(w->secs * 1e9 / (double)w->cycles));
	json_object_object_add(sample, "metrics", x);
	return sample;
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

static int one_window(const struct driver_run *r, struct irte_storm *st,
		      struct fnfan_probe *fp, struct msi_window *w, char *err,
		      size_t len)
{
	const struct msi_conf *mc = r->s->wl;
	struct cmdq_counts c0, c1;
	struct fnfan_totals f0, f1, fd;
	double t0, t1;
	int e, got = 0;

	memset(&c0, 0, sizeof(c0));
	memset(&c1, 0, sizeof(c1));
	got += !cmdq_probe_read(r->probe, &c0) && !fnfan_probe_read(fp, &f0);
	t0 = monotonic_s();
	e = storm(st, w->cycles, mc->rate, r->interrupted);
	t1 = monotonic_s();
	got += !cmdq_probe_read(r->probe, &c1) && !fnfan_probe_read(fp, &f1);
	if (e == 1)
		seterr(err, len, "interrupted in window %d", w->rep);
	else if (e)
		seterr(err, len, "MSI-X enable/disable on %s in window %d: %s",
		       st->pci, w->rep, strerror(-e));
	else if (got != 2 || cmdq_counts_delta(&c0, &c1, &w->delta))
		seterr(err, len, "cannot read the probes' maps");
	cmdq_counts_free(&c0);
	cmdq_counts_free(&c1);
	if (e || got != 2)
		return -1;
	fnfan_totals_delta(&f0, &f1, &fd);
	w->fn = fd.fn[0];
	w->secs = t1 - t0;
	return 0;
}

/* Where the device's binding went: kept in result.json's "workload". */
static void record_binding(const struct driver_run *r,
			   const struct irte_storm *st, bool unsafe)
{
	json_object *wl = json_object_object_get(r->doc, "workload"), *b;
	char now[64];

	pci_bound_driver("/sys", r->s->device, now, sizeof(now));
	b = json_object_new_object();
	json_object_object_add(b, "original",
			       json_object_new_string(st->orig.driver));
	json_object_object_add(b, "restored", json_object_new_string(now));
	json_object_object_add(wl, "binding", b);
	json_object_object_add(wl, "unsafe_interrupts",
			       json_object_new_boolean(unsafe));
}

int msi_windows(const struct driver_run *r, char *err, size_t len)
{
	const struct suite *s = r->s;
	const struct msi_conf *mc = s->wl;
	long vectors = driver_param(r, "vectors", mc->vectors);
	json_object *samples = json_object_object_get(r->doc, "samples");
	const char *fns[] = { mc->function };
	struct fnfan_probe fp;
	struct irte_storm st;
	char terr[512];
	bool unsafe;
	int ret = -1;

	err[0] = '\0';
	if (vectors < 1 || vectors > 2048)
		return seterr(
			err, len,
			"suite %s: vectors = %ld: 1 to 2048 MSI-X vectors",
			s->name, vectors);
	note_ntb();
	if (fnfan_probe_attach(&fp, "/proc/kallsyms", fns, 1, err, len))
		return -1;
	say("IRTE updates counted at %s (%s), commands inside it at %s (%s)",
	    fp.symbol[0], fp.mechanism[0], CMDQ_SYMBOL, fp.cmd_mechanism);
	if (irte_storm_setup(&st, "/sys", s->device, r->may_rebind,
			     (unsigned int)vectors, err, len)) {
		fnfan_probe_detach(&fp);
		return -1;
	}
	unsafe = st.unsafe_set;
	say("MSI-X storm on %s (IOMMU group %u, was on %s): %ld cycles of %ld vector(s) per window%s",
	    s->device, st.group_id,
	    st.orig.driver[0] ? st.orig.driver : "no driver", mc->cycles,
	    vectors, mc->rate ? ", paced" : ", unpaced");
	for (long w = 1; w <= s->warmup && !err[0]; w++) {
		struct msi_window win = { .rep = 0,
					  .vectors = vectors,
					  .cycles = mc->cycles };

		if (!one_window(r, &st, &fp, &win, err, len))
			cmdq_counts_free(&win.delta);
	}
	for (int rep = 1; rep <= s->repetitions && !err[0]; rep++) {
		struct msi_window win = { .rep = rep,
					  .vectors = vectors,
					  .cycles = mc->cycles };

		if (one_window(r, &st, &fp, &win, err, len))
			break;
		json_object_array_add(samples,
				      window_sample(&win, mc, &fp, &st));
		say("window %d/%ld: %llu IRTE updates (%.0f/s), %.2f INVALIDATE_INTERRUPT_TABLE and %.2f COMPLETION_WAIT per update, %.0f ns mean",
		    rep, s->repetitions, win.fn.calls,
		    (double)win.fn.calls / win.secs,
		    win.fn.calls ? (double)win.fn.cmds[IOMMU_CMD_INV_IRT] /
					   (double)win.fn.calls :
				   NAN,
		    win.fn.calls ? (double)win.fn.cmds[IOMMU_CMD_COMPL_WAIT] /
					   (double)win.fn.calls :
				   NAN,
		    win.fn.returns ?
			    (double)win.fn.lat_sum_ns / (double)win.fn.returns :
			    NAN);
		cmdq_counts_free(&win.delta);
		result_write(r->doc, r->path);
	}
	if (!err[0])
		ret = 0;
	if (irte_storm_teardown(&st, terr, sizeof(terr))) {
		if (!err[0])
			seterr(err, len, "%s", terr);
		ret = -1;
	}
	fnfan_probe_detach(&fp);
	record_binding(r, &st, unsafe);
	result_write(r->doc, r->path);
	return ret;
}
