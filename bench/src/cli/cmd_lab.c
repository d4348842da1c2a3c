// SPDX-License-Identifier: GPL-2.0
/*
 * invlab lab: the QEMU lab, from the host side (inside the lab rootfs). Each
 * cell of a suite (a kernel at a point of its matrix) is booted the suite's
 * boots times (lab/boot.h), the boots of all cells interleaved (A B A B,
 * so slow drift of the host falls on every side), recording the run as it
 * goes (lab/plan.h). Then write the report. invlab selfcheck: the same,
 * every window checked against QEMU.
 */
#include <argp.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "lab/boot.h"
#include "lab/host.h"
#include "lab/plan.h"
#include "lab/topology.h"
#include "lib/conf.h"
#include "report/report.h"
#include "report/report_html.h"
#include "lib/names.h"
#include "lib/util.h"
#include "run/doctor.h"

struct lab_opts {
	const char *suite;
	const char *run_id;
	const char *results;
	struct strv kernels;
	const char *resume;
	long boots; /* 0: the suite's */
	const char *timing, *icount; /* NULL: the suite's, the topology's */
	bool host; /* --host: run the cells on this machine, no QEMU */
	struct lab_host h; /* --device, --allow-rebind, --allow-knob */
};

static const struct argp_option lab_options[] = {
	{ "suite", 's', "NAME", 0, "Suite to run (default: smoke)", 0 },
	{ "run-id", 'i', "ID", 0, "Run id (default: date-time-suite)", 0 },
	{ "results", 'R', "DIR", 0,
	  "Results directory (default: <top>/results)", 0 },
	{ "kernel", 'k', "LABEL", 0,
	  "Boot only this kernel (repeatable); --host: the label of the running kernel (default host)",
	  0 },
	{ "resume", 'c', "RUN_DIR", 0,
	  "Continue an incomplete run: keep its complete boots, run the rest",
	  0 },
	{ "boots", 'b', "N", 0,
	  "Boot each cell N times (default: the suite's boots)", 0 },
	{ "timing", 't', "MODE", 0,
	  "The guests' clock: wall or icount (default: the suite's, else the topology's)",
	  0 },
	{ "icount", 'I', "OPTS", 0,
	  "QEMU -icount options for the icount clock (default: the topology's, else " TOPOLOGY_ICOUNT_DEFAULT
	  ")",
	  0 },
	{ 0, 0, 0, 0, "Host mode (a real AMD host, make host):", 0 },
	{ "host", 'H', 0, 0,
	  "Run each cell on this machine with invlab run, no QEMU, into a run directory like a lab run's",
	  0 },
	{ "device", 'd', "DEV", 0,
	  "--host: the device each run uses (invlab run --device)", 0 },
	{ "allow-rebind", 'B', "PCI", 0,
	  "--host: the device the runs may move to vfio-pci (invlab run --allow-rebind)",
	  0 },
	{ "allow-knob", 'K', "MOD.PARAM,...", 0,
	  "--host: the kernel settings the runs may write (invlab run --allow-knob)",
	  0 },
	{ 0 }
};

static error_t lab_parse(int key, char *arg, struct argp_state *state)
{
	struct lab_opts *o = state->input;

	switch (key) {
	case 's': o->suite = arg; break;
	case 'i': o->run_id = arg; break;
	case 'R': o->results = arg; break;
	case 'k': strv_add(&o->kernels, arg); break;
	case 'c': o->resume = arg; break;
	case 't': o->timing = arg; break;
	case 'I': o->icount = arg; break;
	case 'H': o->host = true; break;
	case 'd': o->h.device = arg; break;
	case 'B': o->h.allow_rebind = arg; break;
	case 'K': o->h.allow_knobs = arg; break;
	case ARGP_KEY_END:
		if (!o->host &&
		    (o->h.device || o->h.allow_rebind || o->h.allow_knobs))
			argp_error(
				state,
				"--device, --allow-rebind and --allow-knob are for --host; a lab guest's devices are its topology's");
		if (o->host &&
		    (o->resume || o->kernels.n > 1 || o->timing || o->icount))
			argp_error(
				state,
				"--host runs this machine's kernel on its own clock: no --resume, --timing or --icount, and one --kernel at most (its label)");
		break;
	case 'b':
		/* the range of [suite] boots */
		if (parse_long(arg, 1, 100, &o->boots))
			argp_error(
				state,
				"--boots %s: expected a whole number from 1 to 100",
				arg);
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
	lab_interrupted = 1;
}

/* selfcheck: a lab run whose every window is checked against QEMU. */
static bool force_qemu_trace;

int cmd_selfcheck(int argc, char **argv)
{
	char **args = xcalloc(argc + 3, sizeof(*args));
	bool has_suite = false;
	int n = 0, ret;

	for (int i = 1; i < argc; i++)
		has_suite |= !strncmp(argv[i], "--suite", 7) ||
			     !strncmp(argv[i], "-s", 2);
	args[n++] = argv[0];
	if (!has_suite) {
		args[n++] = "--suite";
		args[n++] = "selfcheck";
	}
	for (int i = 1; i < argc; i++)
		args[n++] = argv[i];
	force_qemu_trace = true;
	ret = cmd_lab(n, args);
	free(args);
	return ret;
}

static void default_run_id(char *buf, size_t len, const char *suite)
{
	time_t t = time(NULL);
	struct tm tm;
	char stamp[32];

	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, len, "%s-%s", stamp, suite);
}

/* Absolute: the guest mounts its output at the same path. */
static char *results_dir(const char *results)
{
	char *cwd, *dir;

	if (!results)
		return xasprintf("%s/results", invlab_top());
	if (results[0] == '/')
		return xstrdup(results);
	cwd = getcwd(NULL, 0);
	dir = xasprintf("%s/%s", cwd ? cwd : ".", results);
	free(cwd);
	return dir;
}

/* A new run of the suite: its cells, id and directory (new too). */
static int new_run(const struct lab_opts *o, struct lab_run *r)
{
	const struct strv *kernels = o->kernels.n ? &o->kernels : &r->s.kernels;
	char *results, err[ERRLEN];

	/* every name that becomes a path stays one component of it */
	for (size_t i = 0; i < kernels->n; i++) {
		if (name_check("kernel label", kernels->v[i], err,
			       sizeof(err))) {
			errorf("%s: %s", o->kernels.n ? "--kernel" : r->s.path,
			       err);
			return -1;
		}
		for (size_t k = 0; k < i; k++) {
			if (!strcmp(kernels->v[k], kernels->v[i])) {
				errorf("--kernel %s given twice",
				       kernels->v[i]);
				return -1;
			}
		}
	}
	if (o->run_id && name_check("run id", o->run_id, err, sizeof(err))) {
		errorf("--run-id: %s", err);
		return -1;
	}
	r->cells = lab_plan_cells(&r->s, kernels, &r->ncells);
	for (size_t i = 0; i < r->ncells; i++) {
		if (name_check("cell", r->cells[i].id, err, sizeof(err))) {
			errorf("%s: %s", r->s.path, err);
			return -1;
		}
	}
	if (o->run_id)
		snprintf(r->run_id, sizeof(r->run_id), "%s", o->run_id);
	else
		default_run_id(r->run_id, sizeof(r->run_id), r->s.name);
	if (name_check("run id", r->run_id, err, sizeof(err))) {
		errorf("%s: the suite's name makes the run id: %s", r->s.path,
		       err);
		return -1;
	}
	results = results_dir(o->results);
	r->dir = xasprintf("%s/%s", results, r->run_id);
	free(results);
	if (path_exists(r->dir)) {
		errorf("%s exists already: pick another --run-id, or --resume it",
		       r->dir);
		return -1;
	}
	if (mkdir_p(r->dir, 0755)) {
		errorf("cannot create %s: %s", r->dir, strerror(errno));
		return -1;
	}
	iso8601_now(r->started, sizeof(r->started));
	r->boots = o->boots ? o->boots : r->s.boots;
	r->kernels = json_object_new_array();
	r->order = json_object_new_array();
	for (size_t i = 0; i < r->ncells; i++)
		lab_cell_record(r, &r->cells[i]);
	return 0;
}

/* --resume RUN_DIR: the run as it was left. */
static int resume_run(const char *resume, struct lab_run *r)
{
	char err[ERRLEN] = "";
	/* absolute: the guest mounts it by this path */
	char *dir = realpath(resume, NULL);
	int ret;

	if (!dir) {
		errorf("--resume %s: %s", resume, strerror(errno));
		return -1;
	}
	ret = lab_run_resume(r, dir, err, sizeof(err));
	if (ret)
		errorf("--resume %s: %s", resume, err);
	free(dir);
	return ret;
}

static void fmt_duration(char *buf, size_t len, double s)
{
	if (s < 0)
		snprintf(buf, len, "?");
	else if (s >= 3600)
		snprintf(buf, len, "%dh%02dm", (int)(s / 3600),
			 (int)(s / 60) % 60);
	else
		snprintf(buf, len, "%dm%02ds", (int)(s / 60), (int)s % 60);
}

/*
 * Boot every boot of every cell not kept from an earlier attempt, boot 1
 * of each cell, then boot 2 of each, ...; run.json written after each (an
 * interrupted run keeps what is done): how many boots failed.
 */
static int run_cells(struct lab_run *r, const struct conf *topo,
		     const char *qver, const struct lab_host *host)
{
	size_t done = 0, todo = 0, total = r->ncells * (size_t)r->boots, k;
	size_t *idx = xcalloc(r->ncells, sizeof(*idx));
	bool *taken = xcalloc(r->ncells, sizeof(*taken));
	const struct lab_cell **group = xcalloc(r->ncells, sizeof(*group));
	char err[ERRLEN], el[32], eta[32];
	double t0, spent = 0;
	int failed = 0, f;

	lab_run_write(r, "running");
	for (long n = 1; n <= r->boots; n++)
		for (size_t i = 0; i < r->ncells; i++)
			todo += !lab_boot_kept(r, r->cells[i].id, n);
	say("run %s: suite %s, %zu cell(s) x %ld boot(s) (%zu to run), %ld window(s) of %ld s each a boot; %s",
	    r->run_id, r->s.name, r->ncells, r->boots, todo, r->s.repetitions,
	    r->s.runtime_s, qver);
	t0 = monotonic_s();
	for (long n = 1; n <= r->boots && !lab_interrupted; n++) {
		memset(taken, 0, r->ncells * sizeof(*taken));
		for (size_t i = 0; i < r->ncells && !lab_interrupted; i++) {
			const struct lab_cell *c = &r->cells[i];
			size_t at = (size_t)(n - 1) * r->ncells + i + 1;
			double c0 = monotonic_s();

			if (taken[i])
				continue;
			if (lab_boot_kept(r, c->id, n)) {
				say("boot %zu/%zu: %s boot %ld complete in an earlier attempt: kept",
				    at, total, c->id, n);
				continue;
			}
			k = host ? (idx[0] = i, 1) :
				   lab_boot_group(r, i, n, taken, idx);
			for (size_t j = 0; j < k; j++) {
				taken[idx[j]] = true;
				group[j] = &r->cells[idx[j]];
			}
			fmt_duration(el, sizeof(el), monotonic_s() - t0);
			fmt_duration(eta, sizeof(eta),
				     done ? spent / done * (todo - done) : -1);
			say("boot %zu/%zu: cell %s boot %ld%s (%zu of %zu to run done, elapsed %s, ETA %s)",
			    at, total, c->id, n,
			    k > 1 ? " and the cells sharing its boot" : "",
			    done, todo, el, eta);
			for (size_t j = 1; j < k; j++)
				say("  shares the boot: %s", group[j]->id);
			err[0] = '\0';
			f = host ? lab_host_cell(r, host, c, err,
						 sizeof(err)) != 0 :
				   lab_boot_cells(r, topo, group, k, n, qver,
						  err, sizeof(err));
			if (f) {
				failed += f;
				if (err[0])
					errorf("cell %s boot %ld: %s", c->id, n,
					       err);
			}
			spent += monotonic_s() - c0;
			done += k;
			lab_run_write(r, "running");
		}
	}
	free(group);
	free(taken);
	free(idx);
	return failed;
}

/* report.md and report.html, and where they are: the exit status. */
static int write_reports(const struct lab_run *r, int failed, bool host)
{
	char err[ERRLEN] = "", *report = xasprintf("%s/report.md", r->dir);
	int ret;

	if (report_write(r->dir, report, err, sizeof(err)) ||
	    report_html_write(r->dir, err, sizeof(err))) {
		errorf("report: %s", err);
		ret = 2;
	} else {
		ret = failed || lab_interrupted ? 1 : 0;
	}
	printf("run id:      %s\nresults dir: %s\nreport:      %s\nhtml report: %s/report.html\n",
	       r->run_id, r->dir, report, r->dir);
	if (ret)
		printf("status:      %s\n",
		       lab_interrupted && host ?
			       "incomplete (interrupted): a host run cannot be resumed; run it again with invlab lab --host" :
		       lab_interrupted ?
			       "incomplete (interrupted): continue it with invlab lab --resume RUN_DIR" :
			       "FAILED: see the report and each cell's console.log");
	free(report);
	return ret;
}

/*
 * --host: the suite's cells on this machine (lab/host.h), once invlab
 * doctor finds nothing missing.
 */
static int host_run(struct lab_opts *o, struct lab_run *r)
{
	struct doctor_opts d = {
		.root = "",
		.s = &r->s,
		.device = o->h.device,
		.allow_rebind = o->h.allow_rebind,
		.allow_knobs = o->h.allow_knobs,
	};
	char *results = results_dir(o->results), err[ERRLEN];
	struct strv kv = { 0 };
	int failed, ret = 2;

	doctor_all_values(&r->s.matrix, &kv);
	d.params = &kv;
	d.out_dir = results;
	if (doctor_gate(&d, o->suite, stderr, err, sizeof(err))) {
		errorf("%s", err);
		goto out;
	}
	if (r->s.boots > 1 || o->boots > 1)
		say("host mode: one run per cell (a host does not reboot itself for invlab): the noise between boots stays unknown");
	r->s.boots = o->boots = 1;
	snprintf(r->timing.mode, sizeof(r->timing.mode), "wall");
	/* the running kernel's label: --kernel LABEL (a LAVA job's), or host */
	if (!o->kernels.n)
		strv_add(&o->kernels, "host");
	if (new_run(o, r))
		goto out;
	failed = run_cells(r, NULL, "no QEMU: this machine (host mode)", &o->h);
	lab_run_write(r, lab_interrupted ? "incomplete" :
			 failed		 ? "failed" :
					   "complete");
	ret = write_reports(r, failed, true);
out:
	strv_free(&kv);
	free(results);
	return ret;
}

int cmd_lab(int argc, char **argv)
{
	struct lab_opts o = { .suite = "smoke" };
	struct argp argp = {
		lab_options,
		lab_parse,
		NULL,
		"Boot each kernel of a suite in the QEMU lab, at every point of its matrix, run the suite in it, and write a report.",
		NULL,
		NULL,
		NULL
	};
	char err[ERRLEN] = "", *qver = NULL;
	struct lab_run r = { 0 };
	struct conf topo = { 0 };
	int failed, ret = 2;

	argp_parse(&argp, argc, argv, 0, NULL, &o);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (o.host) {
		if (suite_load(invlab_top(), o.suite, &r.s, err, sizeof(err)))
			errorf("%s", err);
		else
			ret = host_run(&o, &r);
		goto out;
	}
	if (!path_exists(GUEST_ROOTFS "/.invlab-complete")) {
		errorf("%s is not the lab rootfs: invlab lab runs inside it (make lab, or lab/enter.sh build/invlab lab)",
		       GUEST_ROOTFS);
		return 2;
	}
	if (o.resume) {
		if (resume_run(o.resume, &r))
			goto out;
	} else if (suite_load(invlab_top(), o.suite, &r.s, err, sizeof(err))) {
		errorf("%s", err);
		goto out;
	}
	if (force_qemu_trace)
		r.s.qemu_trace = true;
	if (topology_load(invlab_top(), r.s.topology, &topo, err,
			  sizeof(err)) ||
	    (!r.timing.mode[0] &&
	     topology_timing(&topo, o.timing ? o.timing : r.s.timing,
			     o.timing ? "--timing" : r.s.path, &r.timing, err,
			     sizeof(err))) ||
	    (o.icount &&
	     timing_set_icount(&r.timing, o.icount, err, sizeof(err)))) {
		errorf("%s", err);
		goto out;
	}
	if (!o.resume && new_run(&o, &r))
		goto out;
	qver = lab_qemu_version(r.dir);
	if (!qver) {
		errorf("%s --version failed: is QEMU installed (it comes with the lab rootfs)?",
		       QEMU_BIN);
		goto out;
	}
	failed = run_cells(&r, &topo, qver, NULL);
	lab_run_write(&r, lab_interrupted ? "incomplete" :
			  failed	  ? "failed" :
					    "complete");
	ret = write_reports(&r, failed, false);
out:
	free(qver);
	lab_run_free(&r);
	conf_free(&topo);
	strv_free(&o.kernels);
	return ret;
}
