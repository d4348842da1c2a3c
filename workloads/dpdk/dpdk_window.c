// SPDX-License-Identifier: GPL-2.0
/*
 * One DPDK window: dpdk-testpmd on the NIC moved to vfio-pci, then
 * dpdk-memhp on the same device. The probes are read around every
 * step, so each figure is the commands of that step alone:
 *   startup      EAL init and port probe (the heap's first DMA maps)
 *   port cycles  "port stop 0" + "port start 0", each cycle on its own
 *   txonly       forwarding for [workload] runtime seconds
 *   shutdown     "quit": port close, DMA unmaps
 *   memhp        rte_malloc (heap grows: VFIO DMA map) and rte_free
 *                (heap shrinks: unmap), each step on its own
 */
#include "dpdk_window.h"

#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/stats.h"
#include "dpdk_proc.h"
#include "lib/json_util.h"
#include "testpmd_parse.h"

#define CMD_TIMEOUT_S 60.0

/* Commands of one step: probe snapshots before and after. */
struct step {
	struct probe_snap before;
	struct cmdq_counts delta;
	double secs;
};

static int step_begin(const struct dpdk_cell *x, struct step *s)
{
	memset(s, 0, sizeof(*s));
	s->secs = monotonic_s();
	return probe_set_read(x->probes, &s->before, false);
}

static int step_end(const struct dpdk_cell *x, struct step *s, char *err,
		    size_t len)
{
	struct probe_snap after, d;
	int ret;

	s->secs = monotonic_s() - s->secs;
	if (probe_set_read(x->probes, &after, true))
		return seterr(err, len, "cannot read the probes' maps");
	ret = probe_snap_delta(&s->before, &after, &d);
	probe_snap_free(&after);
	if (ret) {
		probe_snap_free(&d);
		return seterr(err, len, "cannot read the probes' maps");
	}
	/* only the commands are kept */
	s->delta = d.cmdq;
	return 0;
}

static void step_free(struct step *s)
{
	probe_snap_free(&s->before);
	cmdq_counts_free(&s->delta);
}

/* A step's median, or NaN (JSON null) when the step did not happen. */
static double med(const double *v, size_t n)
{
	return median_of(v, n);
}

/* Per-step sums and the per-step values whose median is reported. */
struct series {
	struct cmdq_counts sum; /* by_opcode only */
	double *cmds, *secs; /* per step */
	long n;
};

static void series_add(struct series *s, const struct step *st)
{
	for (int i = 0; i < IOMMU_CMD_NR_OPCODES; i++)
		s->sum.by_opcode[i] += st->delta.by_opcode[i];
	s->cmds[s->n] = (double)cmdq_counts_total(&st->delta);
	s->secs[s->n] = st->secs;
	s->n++;
}

static void series_init(struct series *s, long cap)
{
	memset(s, 0, sizeof(*s));
	s->cmds = xcalloc(cap + 1, sizeof(double));
	s->secs = xcalloc(cap + 1, sizeof(double));
}

static void series_free(struct series *s)
{
	free(s->cmds);
	free(s->secs);
}

/* {"by_opcode": per step on average, "per_step": total of each step} */
static json_object *series_json(const struct series *s)
{
	json_object *o = json_object_new_object(), *ops, *each;

	ops = cmdq_counts_json(&s->sum);
	json_object_object_add(o, "steps", json_object_new_int64(s->n));
	json_object_object_add(o, "total", ops);
	each = json_object_new_array();
	for (long i = 0; i < s->n; i++)
		json_object_array_add(
			each, json_object_new_int64((int64_t)s->cmds[i]));
	json_object_object_add(o, "cmds_per_step", each);
	return o;
}

static double per(const struct series *s, const char *name)
{
	return s->n ? (double)cmdq_counts_opcode(&s->sum, name) / s->n : NAN;
}

static double per_total(const struct series *s)
{
	return s->n ? (double)cmdq_counts_total(&s->sum) / s->n : NAN;
}

/* Numbers for one window, filled as the steps happen. */
struct figures {
	struct series ports, map, unmap;
	struct step startup, txonly, shutdown;
	bool have_startup, have_txonly, have_shutdown;
	struct testpmd_fwd_stats fwd;
	double fwd_secs;
	double *map_us, *unmap_us, *unmap_pages;
};

/*
 * Send cmd and check its output for testpmd's failure messages; the
 * output is kept in *out for callers that parse it.
 */
static int tp_send(struct dpdk_proc *p, const char *cmd, const char **out,
		   char *err, size_t len)
{
	const char *o;
	char line[256];

	if (dpdk_proc_cmd(p, cmd, CMD_TIMEOUT_S, &o, err, len))
		return -1;
	if (testpmd_failure(o, line, sizeof(line)))
		return seterr(err, len, "%s '%s': %s", p->name, cmd, line);
	if (out)
		*out = o;
	return 0;
}

/* The EAL arguments both programs share. */
static void eal_args(const struct dpdk_cell *x, struct strv *a,
		     const char *lcores)
{
	strv_add(a, "-l");
	strv_add(a, lcores);
	strv_add(a, "-n");
	strv_add(a, "1");
	strv_add(a, "-a");
	strv_add(a, x->device);
	/* nothing left in hugetlbfs or /var/run/dpdk after it exits, so the
	 * hugepages go back and nr_hugepages can be restored
	 */
	strv_add(a, "--in-memory");
	strv_add(a, "--huge-dir");
	strv_add(a, x->huge_dir);
}

static void maybe_self_interrupt(const struct dpdk_cell *x,
				 const struct window *win, double since,
				 bool *sent)
{
	if (x->d->interrupt_after_s && !win->warmup && win->rep == 1 &&
	    !*sent &&
	    monotonic_s() - since >= (double)x->d->interrupt_after_s) {
		say("[workload] interrupt_after = %ld: sending SIGINT to invlab (pid %d), as Ctrl-C would",
		    x->d->interrupt_after_s, (int)getpid());
		kill(getpid(), SIGINT);
		*sent = true;
	}
}

/* OUT/testpmd-N.log, or OUT/testpmd-warmup-N.log */
static char *log_path(const struct dpdk_cell *x, const struct window *win,
		      const char *prog)
{
	return xasprintf("%s/%s-%s%d.log", x->out, prog,
			 win->warmup ? "warmup-" : "", win->rep);
}

static int testpmd_part(const struct dpdk_cell *x, const struct window *win,
			struct figures *w, char *err, size_t len)
{
	struct strv a = { 0 };
	struct dpdk_proc p;
	const char *out;
	char *log = log_path(x, win, "testpmd"), *c;
	bool sent = false;
	double t0;
	int ret = -1, st;

	memset(&p, 0, sizeof(p));
	p.in = p.out = -1;
	/* testpmd prints with stdio, fully buffered on a pipe, while its
	 * prompt is written straight to the fd: unbuffer stdio, or a reply
	 * arrives after the prompt that should close it
	 */
	strv_add(&a, "stdbuf");
	strv_add(&a, "-o0");
	strv_add(&a, x->d->testpmd);
	eal_args(x, &a, x->d->lcores);
	strv_add(&a, "--");
	strv_add(&a, "-i");
	strv_addf(&a, "--rxd=%ld", x->rxd);
	strv_addf(&a, "--txd=%ld", x->txd);
	strv_addf(&a, "--total-num-mbufs=%ld", x->mbufs);
	/* a stop/start cycle is the driver's work, not QEMU's link timer */
	strv_add(&a, "--disable-link-check");
	if (step_begin(x, &w->startup))
		goto probe_err;
	if (dpdk_proc_start(&p, "testpmd", a.v, "testpmd> ", log,
			    x->interrupted, (double)x->d->startup_timeout_s,
			    err, len))
		goto out;
	if (step_end(x, &w->startup, err, len))
		goto out;
	w->have_startup = true;
	if (testpmd_failure(p.buf, c = xcalloc(1, 256), 256)) {
		seterr(err, len, "testpmd on %s: %s (see %s)", x->device, c,
		       log);
		free(c);
		goto out;
	}
	free(c);
	for (long i = 0; i < x->d->port_cycles; i++) {
		struct step s;

		if (*x->interrupted)
			goto intr;
		if (step_begin(x, &s))
			goto probe_err;
		if (tp_send(&p, "port stop 0", NULL, err, len) ||
		    tp_send(&p, "port start 0", NULL, err, len) ||
		    step_end(x, &s, err, len)) {
			step_free(&s);
			goto out;
		}
		series_add(&w->ports, &s);
		step_free(&s);
	}
	if (tp_send(&p, "set fwd txonly", NULL, err, len))
		goto out;
	if (step_begin(x, &w->txonly))
		goto probe_err;
	t0 = monotonic_s();
	if (tp_send(&p, "start", NULL, err, len))
		goto out;
	while (monotonic_s() - t0 < (double)x->runtime_s && !*x->interrupted) {
		usleep(50000);
		maybe_self_interrupt(x, win, t0, &sent);
	}
	/* stop forwarding even when interrupted: the port must be idle */
	p.interrupted = NULL;
	if (tp_send(&p, "stop", &out, err, len))
		goto out;
	w->fwd_secs = monotonic_s() - t0;
	if (testpmd_parse_fwd_stats(out, &w->fwd)) {
		seterr(err, len,
		       "testpmd printed no forward statistics after 'stop' (see %s)",
		       log);
		goto out;
	}
	if (step_end(x, &w->txonly, err, len))
		goto out;
	w->have_txonly = true;
	p.interrupted = x->interrupted;
	if (*x->interrupted)
		goto intr;
	if (step_begin(x, &w->shutdown))
		goto probe_err;
	st = dpdk_proc_stop(&p, "quit", 30);
	if (step_end(x, &w->shutdown, err, len))
		goto out_stopped;
	w->have_shutdown = true;
	if (st) {
		seterr(err, len,
		       "testpmd did not quit cleanly (status %d; see %s)", st,
		       log);
		goto out_stopped;
	}
	ret = 0;
	goto out_stopped;
probe_err:
	seterr(err, len, "cannot read the probes' maps");
	goto out;
intr:
	seterr(err, len, "interrupted in window %d", win->rep);
out:
	dpdk_proc_stop(&p, "quit", 10);
out_stopped:
	strv_free(&a);
	free(log);
	return ret;
}

static int memhp_part(const struct dpdk_cell *x, const struct window *win,
		      struct figures *w, char *err, size_t len)
{
	struct strv a = { 0 };
	struct dpdk_proc p;
	char *log = log_path(x, win, "memhp");
	char *map = xasprintf("map %ld", x->memhp_mb);
	int ret = -1;

	memset(&p, 0, sizeof(p));
	p.in = p.out = -1;
	strv_add(&a, x->memhp);
	eal_args(x, &a, "0");
	if (dpdk_proc_start(&p, "dpdk-memhp", a.v, "memhp> ", log,
			    x->interrupted, (double)x->d->startup_timeout_s,
			    err, len))
		goto out;
	for (long i = 0; i < x->d->memhp_cycles; i++) {
		struct memhp_step ms;
		const char *out;
		struct step s;

		if (*x->interrupted) {
			seterr(err, len, "interrupted in window %d", win->rep);
			goto out;
		}
		for (int k = 0; k < 2; k++) {
			const char *verb = k ? "unmap" : "map";

			if (step_begin(x, &s)) {
				seterr(err, len,
				       "cannot read the probes' maps");
				goto out;
			}
			if (tp_send(&p, k ? "unmap" : map, &out, err, len) ||
			    step_end(x, &s, err, len)) {
				step_free(&s);
				goto out;
			}
			if (memhp_parse_reply(out, verb, &ms)) {
				step_free(&s);
				seterr(err, len,
				       "dpdk-memhp '%s': unexpected reply '%s'",
				       verb, out);
				goto out;
			}
			series_add(k ? &w->unmap : &w->map, &s);
			if (k) {
				w->unmap_us[w->unmap.n - 1] = ms.us;
				w->unmap_pages[w->unmap.n - 1] =
					(double)ms.bytes / (2 << 20);
			} else {
				w->map_us[w->map.n - 1] = ms.us;
			}
			step_free(&s);
		}
	}
	ret = dpdk_proc_stop(&p, "quit", 30) ? -1 : 0;
	if (ret)
		seterr(err, len, "dpdk-memhp did not quit cleanly (see %s)",
		       log);
	goto done;
out:
	dpdk_proc_stop(&p, "quit", 10);
done:
	strv_free(&a);
	free(log);
	free(map);
	return ret;
}

static json_object *step_json(const struct step *s, bool have)
{
	json_object *o;

	if (!have)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "seconds", json_object_new_double(s->secs));
	json_object_object_add(o, "commands", cmdq_counts_json(&s->delta));
	return o;
}

static void window_sample(const struct dpdk_cell *x, struct figures *w,
			  json_object *sample)
{
	json_object *wl, *ph, *m;
	struct cmdq_counts all = { 0 };
	double pkts = (double)w->fwd.tx_packets;
	double kpkts = pkts / 1000.0;
	const struct step *steps[] = { &w->startup, &w->txonly, &w->shutdown };
	const struct series *ser[] = { &w->ports, &w->map, &w->unmap };

	for (size_t k = 0; k < 3; k++)
		for (int i = 0; i < IOMMU_CMD_NR_OPCODES; i++)
			all.by_opcode[i] += steps[k]->delta.by_opcode[i] +
					    ser[k]->sum.by_opcode[i];
	wl = json_object_new_object();
	json_object_object_add(wl, "rxd", json_object_new_int64(x->rxd));
	json_object_object_add(wl, "txd", json_object_new_int64(x->txd));
	json_object_object_add(wl, "mbufs", json_object_new_int64(x->mbufs));
	json_object_object_add(wl, "memhp_mb",
			       json_object_new_int64(x->memhp_mb));
	json_object_object_add(wl, "port_cycles",
			       json_object_new_int64(w->ports.n));
	json_object_object_add(wl, "memhp_cycles",
			       json_object_new_int64(w->map.n));
	json_object_object_add(
		wl, "tx_packets",
		json_object_new_int64((int64_t)w->fwd.tx_packets));
	json_object_object_add(
		wl, "tx_dropped",
		json_object_new_int64((int64_t)w->fwd.tx_dropped));
	json_object_object_add(wl, "forward_s",
			       json_object_new_double(w->fwd_secs));
	json_object_object_add(sample, "workload", wl);
	/* the measured steps only (not the gaps between them) */
	json_object_object_add(sample, "commands", cmdq_counts_json(&all));
	ph = json_object_new_object();
	json_object_object_add(ph, "startup",
			       step_json(&w->startup, w->have_startup));
	json_object_object_add(ph, "port_cycles", series_json(&w->ports));
	json_object_object_add(ph, "txonly",
			       step_json(&w->txonly, w->have_txonly));
	json_object_object_add(ph, "shutdown",
			       step_json(&w->shutdown, w->have_shutdown));
	json_object_object_add(ph, "memhp_map", series_json(&w->map));
	json_object_object_add(ph, "memhp_unmap", series_json(&w->unmap));
	json_object_object_add(sample, "phases", ph);
	m = json_object_new_object();
	json_object_object_add(m, "port_cycle_cmds",
			       json_num(per_total(&w->ports)));
	json_object_object_add(
		m, "port_cycle_inv_pages",
		json_num(per(&w->ports, "INVALIDATE_IOMMU_PAGES")));
	json_object_object_add(
		m, "port_cycle_inv_irt",
		json_num(per(&w->ports, "INVALIDATE_INTERRUPT_TABLE")));
	json_object_object_add(m, "port_cycle_ms",
			       json_num(med(w->ports.secs, w->ports.n) * 1e3));
	json_object_object_add(
		m, "startup_cmds",
		json_num((double)cmdq_counts_total(&w->startup.delta)));
	json_object_object_add(
		m, "shutdown_cmds",
		json_num((double)cmdq_counts_total(&w->shutdown.delta)));
	json_object_object_add(m, "memhp_map_cmds",
			       json_num(per_total(&w->map)));
	json_object_object_add(m, "memhp_unmap_cmds",
			       json_num(per_total(&w->unmap)));
	json_object_object_add(
		m, "memhp_unmap_inv_pages",
		json_num(per(&w->unmap, "INVALIDATE_IOMMU_PAGES")));
	json_object_object_add(m, "memhp_unmap_hugepages",
			       json_num(med(w->unmap_pages, w->unmap.n)));
	json_object_object_add(m, "memhp_map_us",
			       json_num(med(w->map_us, w->map.n)));
	json_object_object_add(m, "memhp_unmap_us",
			       json_num(med(w->unmap_us, w->unmap.n)));
	json_object_object_add(m, "tx_pps", json_num(pkts / w->fwd_secs));
	/* no packets, no rate: null rather than a division by zero */
	json_object_object_add(m, "cmds_per_kpkt",
			       json_num(pkts > 0 ? (double)cmdq_counts_total(
							   &w->txonly.delta) /
							   kpkts :
						   NAN));
	json_object_object_add(sample, "metrics", m);
}

static void window_init(struct figures *w, const struct dpdk_opts *d)
{
	memset(w, 0, sizeof(*w));
	series_init(&w->ports, d->port_cycles);
	series_init(&w->map, d->memhp_cycles);
	series_init(&w->unmap, d->memhp_cycles);
	w->map_us = xcalloc(d->memhp_cycles + 1, sizeof(double));
	w->unmap_us = xcalloc(d->memhp_cycles + 1, sizeof(double));
	w->unmap_pages = xcalloc(d->memhp_cycles + 1, sizeof(double));
}

static void window_free(struct figures *w)
{
	series_free(&w->ports);
	series_free(&w->map);
	series_free(&w->unmap);
	step_free(&w->startup);
	step_free(&w->txonly);
	step_free(&w->shutdown);
	free(w->map_us);
	free(w->unmap_us);
	free(w->unmap_pages);
}

int dpdk_window_run(const struct dpdk_cell *x, struct window *win, char *err,
		    size_t len)
{
	struct figures *w = xcalloc(1, sizeof(*w));
	int ret;

	window_init(w, x->d);
	ret = testpmd_part(x, win, w, err, len) ||
			      memhp_part(x, win, w, err, len) ?
		      -1 :
		      0;
	if (!ret && !win->warmup) {
		window_sample(x, w, win->sample);
		snprintf(
			win->summary, sizeof(win->summary),
			"port stop/start %.1f commands (%.1f INVALIDATE_IOMMU_PAGES, %.1f INVALIDATE_INTERRUPT_TABLE), %.1f ms; heap +%ld MiB %.1f commands %.0f us, -%ld MiB %.1f commands %.0f us; txonly %.0f pps, %.3f commands per 1000 packets",
			per_total(&w->ports),
			per(&w->ports, "INVALIDATE_IOMMU_PAGES"),
			per(&w->ports, "INVALIDATE_INTERRUPT_TABLE"),
			med(w->ports.secs, w->ports.n) * 1e3, x->memhp_mb,
			per_total(&w->map), med(w->map_us, w->map.n),
			x->memhp_mb, per_total(&w->unmap),
			med(w->unmap_us, w->unmap.n),
			w->fwd.tx_packets / w->fwd_secs,
			w->fwd.tx_packets ?
				cmdq_counts_total(&w->txonly.delta) /
					(w->fwd.tx_packets / 1000.0) :
				NAN);
	}
	window_free(w);
	free(w);
	return ret;
}
