// SPDX-License-Identifier: GPL-2.0
/*
 * invlab lab: the QEMU lab, from the host side (inside the lab rootfs). For
 * each kernel of a suite: prepare it, boot it in the suite's topology with a
 * wall-clock limit, let the guest run `invlab run`, keep its console, and
 * judge the boot. Then write run.json and the report.
 */
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "conf.h"
#include "report.h"
#include "qemu_trace.h"
#include "result.h"
#include "selfcheck.h"
#include "suite.h"
#include "topology.h"
#include "util.h"

#define GUEST_ROOTFS "/run/invlab/rootfs"
#define QEMU_BIN "qemu-system-x86_64"

struct lab_opts {
	const char *suite;
	const char *run_id;
	const char *results;
	struct strv kernels;
};

static const struct argp_option lab_options[] = {
	{ "suite", 's', "NAME", 0, "Suite to run (default: smoke)", 0 },
	{ "run-id", 'i', "ID", 0, "Run id (default: date-time-suite)", 0 },
	{ "results", 'R', "DIR", 0,
	  "Results directory (default: <top>/results)", 0 },
	{ "kernel", 'k', "LABEL", 0, "Boot only this kernel (repeatable)", 0 },
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
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Run a helper script and keep the lines it prints on stdout. */
static int capture(char *const argv[], const char *tmp, struct strv *lines)
{
	char *text, *save = NULL, *line;
	int status = run_cmd(argv, tmp);

	text = read_file(tmp, NULL);
	unlink(tmp);
	if (status || !text) {
		free(text);
		return status ? status : -1;
	}
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		strv_add(lines, line);
	free(text);
	return 0;
}

static char *qemu_version(const char *tmp)
{
	struct strv out = { 0 };
	char *v;

	if (capture((char *const[]){ QEMU_BIN, "--version", NULL }, tmp,
		    &out) ||
	    !out.n) {
		strv_free(&out);
		return NULL;
	}
	v = xstrdup(out.v[0]);
	strv_free(&out);
	return v;
}

static int make_disks(const struct topology_disk *d, size_t n, char *err,
		      size_t len)
{
	for (size_t i = 0; i < n; i++) {
		int fd = open(d[i].path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd < 0 || ftruncate(fd, (off_t)d[i].size)) {
			if (fd >= 0)
				close(fd);
			return seterr(err, len,
				      "cannot create disk image %s: %s",
				      d[i].path, strerror(errno));
		}
		close(fd);
	}
	return 0;
}

static void append_bounded(char *dst, size_t cap, const char *src)
{
	size_t used = strlen(dst), n = strlen(src);

	if (used + 1 >= cap)
		return;
	if (n > cap - used - 1)
		n = cap - used - 1;
	memcpy(dst + used, src, n);
	dst[used + n] = '\0';
}

/* Echo the guest's own progress lines from the console as they come. */
static void follow_console(const char *label, const char *console, off_t *pos,
			   char *partial, size_t plen)
{
	char buf[4096];
	int fd = open(console, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return;
	lseek(fd, *pos, SEEK_SET);
	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		*pos += n;
		for (char *p = buf; *p;) {
			char *eol = strchr(p, '\n');

			if (!eol) {
				append_bounded(partial, plen, p);
				break;
			}
			*eol = '\0';
			append_bounded(partial, plen, p);
			partial[strcspn(partial, "\r")] = '\0';
			if (!strncmp(partial, "[invlab] ", 9) ||
			    !strncmp(partial, "invlab: ", 8) ||
			    !strncmp(partial, "invlab-", 7) ||
			    strstr(partial, "Kernel panic"))
				fprintf(stderr, "[invlab]   guest %s: %s\n",
					label,
					partial[0] == '[' ? partial + 9 :
							    partial);
			partial[0] = '\0';
			p = eol + 1;
		}
	}
	close(fd);
}

struct boot_outcome {
	const char *status; /* complete, failed, timeout, interrupted */
	char reason[ERRLEN];
	int qemu_exit;
	double seconds;
};

static void boot_guest(const char *label, char *const argv[], const char *out,
		       const char *console, long timeout_s,
		       struct boot_outcome *bo)
{
	char *qemu_log = xasprintf("%s/qemu.log", out);
	char partial[1024] = "";
	double start = monotonic_s(), next_note = start + 60;
	off_t pos = 0;
	int status = 0;
	pid_t pid;

	memset(bo, 0, sizeof(*bo));
	bo->qemu_exit = -1;
	pid = fork();
	if (pid == 0) {
		int fd = open(qemu_log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		setpgid(0, 0);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	free(qemu_log);
	if (pid < 0) {
		bo->status = "failed";
		snprintf(bo->reason, sizeof(bo->reason),
			 "cannot start QEMU: %s", strerror(errno));
		return;
	}
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		double now = monotonic_s();

		follow_console(label, console, &pos, partial, sizeof(partial));
		if (w == pid)
			break;
		if (interrupted || now - start > timeout_s) {
			bo->status = interrupted ? "interrupted" : "timeout";
			snprintf(
				bo->reason, sizeof(bo->reason),
				interrupted ?
					"interrupted after %.0f s" :
					"guest still running after %.0f s: killed (see console.log)",
				now - start);
			kill(-pid, SIGTERM);
			usleep(500000);
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		if (now > next_note) {
			say("  guest %s: running for %.0f s (limit %ld s)",
			    label, now - start, timeout_s);
			next_note = now + 60;
		}
		usleep(200000);
	}
	bo->seconds = monotonic_s() - start;
	if (WIFEXITED(status))
		bo->qemu_exit = WEXITSTATUS(status);
}

/* What the guest left behind decides whether the boot did its job. */
static void judge_boot(const char *out, struct boot_outcome *bo)
{
	char *status_path = xasprintf("%s/guest-status", out);
	char *result_path = xasprintf("%s/result.json", out);
	char *gs = read_line(status_path);
	char err[ERRLEN];
	json_object *res;

	if (bo->status)
		goto out;
	if (bo->qemu_exit == 127) {
		bo->status = "failed";
		snprintf(bo->reason, sizeof(bo->reason),
			 "%s not found (is this the lab rootfs?)", QEMU_BIN);
	} else if (bo->qemu_exit != 0) {
		bo->status = "failed";
		snprintf(bo->reason, sizeof(bo->reason),
			 "QEMU exited with status %d (see qemu.log)",
			 bo->qemu_exit);
	} else if (!gs) {
		bo->status = "failed";
		snprintf(
			bo->reason, sizeof(bo->reason),
			"the guest stopped before invlab run finished (panic or init failure: see console.log)");
	} else if (strcmp(gs, "0")) {
		res = result_load(result_path, err, sizeof(err));
		bo->status = "failed";
		snprintf(bo->reason, sizeof(bo->reason),
			 "invlab run failed in the guest (status %s): %s", gs,
			 res && json_object_get_string(
					json_object_object_get(res, "error")) ?
				 json_object_get_string(
					 json_object_object_get(res, "error")) :
				 "see console.log");
		json_object_put(res);
	} else if (!(res = result_load(result_path, err, sizeof(err)))) {
		bo->status = "failed";
		snprintf(bo->reason, sizeof(bo->reason), "%s", err);
	} else {
		bo->status = "complete";
		json_object_put(res);
	}
out:
	free(gs);
	free(status_path);
	free(result_path);
}

/*
 * The probe's counts of each window against QEMU's trace of the same window:
 * out/selfcheck.json, a summary in the boot record. Non-zero unless exact.
 */
static int check_against_qemu(const char *out, const char *trace,
			      json_object *boot)
{
	char *path = xasprintf("%s/result.json", out);
	json_object *res = json_object_from_file(path), *sc, *sum, *e;
	bool exact;
	int ret;

	free(path);
	sc = selfcheck_compare(res, trace);
	exact = json_object_get_boolean(json_object_object_get(sc, "exact"));
	e = json_object_object_get(sc, "error");
	path = xasprintf("%s/selfcheck.json", out);
	result_write(sc, path);
	free(path);
	sum = json_object_new_object();
	json_object_object_add(sum, "exact", json_object_new_boolean(exact));
	json_object_object_add(
		sum, "windows",
		json_object_new_int((int)json_object_array_length(
			json_object_object_get(sc, "windows"))));
	json_object_object_add(sum, "error", json_object_get(e));
	json_object_object_add(boot, "selfcheck", sum);
	say("probe vs QEMU's trace: %s%s%s",
	    exact ? "every window exact" : "MISMATCH", e ? ": " : "",
	    e ? json_object_get_string(e) : "");
	ret = exact ? 0 : -1;
	json_object_put(sc);
	json_object_put(res);
	return ret;
}

static json_object *strv_json(const struct strv *s)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < s->n; i++)
		json_object_array_add(a, json_object_new_string(s->v[i]));
	return a;
}

static int boot_kernel(const struct suite *s, const struct conf *topo,
		       const char *label, const char *run_id,
		       const char *run_dir, const char *qver,
		       json_object *kernels_json, char *err, size_t len)
{
	char *out = xasprintf("%s/%s", run_dir, label);
	char *tmp = xasprintf("%s/.prepare-%s", run_dir, label);
	char *console = xasprintf("%s/console.log", out);
	char *cache = getenv("INVLAB_CACHE") ? getenv("INVLAB_CACHE") :
					       "/var/cache/invlab";
	char *scratch = xasprintf("%s/scratch/%s-%s", cache, run_id, label);
	char *kjson_path = NULL, *vmlinuz = NULL, *append = NULL, *p;
	const char *extra;
	char *trace = NULL;
	bool selfcheck_failed = false;
	struct strv prep = { 0 }, argv = { 0 };
	struct topology_disk *disks = NULL;
	struct boot_outcome bo;
	json_object *kjson = NULL, *lab, *q, *t, *boot;
	char hex[65], *rootfs_key;
	size_t ndisks = 0;
	int ret = -1;

	if (mkdir_p(out, 0755) || mkdir_p(scratch, 0755)) {
		seterr(err, len, "cannot create %s or %s: %s", out, scratch,
		       strerror(errno));
		goto out;
	}
	p = xasprintf("%s/kernel/prepare.sh", invlab_top());
	if (capture((char *const[]){ p, (char *)label, NULL }, tmp, &prep) ||
	    prep.n < 2) {
		free(p);
		seterr(err, len, "preparing kernel %s failed (see above)",
		       label);
		goto out;
	}
	free(p);
	kjson_path = xasprintf("%s/kernel.json", prep.v[0]);
	kjson = json_object_from_file(kjson_path);
	if (!kjson) {
		seterr(err, len, "%s is missing or not JSON", kjson_path);
		goto out;
	}
	vmlinuz = xasprintf("%s/%s", prep.v[0],
			    json_object_get_string(
				    json_object_object_get(kjson, "vmlinuz")));
	if (topology_disks(topo, scratch, &disks, &ndisks, err, len) ||
	    make_disks(disks, ndisks, err, len))
		goto out;

	/* The kernel's own parameters (kernel/lab/LABEL.conf), e.g. its lab
	 * knobs, come after the lab's.
	 */
	extra = prep.n >= 3 ? prep.v[2] : "";
	append = xasprintf(
		"console=ttyS0 panic=-1 invlab.top=%s invlab.out=%s invlab.suite=%s%s%s",
		invlab_top(), out, s->path, extra[0] ? " " : "", extra);
	if (topology_argv(topo,
			  &(struct boot_spec){ .qemu = QEMU_BIN,
					       .kernel = vmlinuz,
					       .initrd = prep.v[1],
					       .append = append,
					       .rootfs_dir = GUEST_ROOTFS,
					       .kernel_dir = prep.v[0],
					       .top_dir = invlab_top(),
					       .out_dir = out,
					       .console_path = console,
					       .scratch_dir = scratch },
			  &argv, err, len))
		goto out;

	if (s->qemu_trace) {
		/* QEMU's own count of the commands it executes (selfcheck). */
		trace = xasprintf("%s/qemu-amdvi.log", out);
		strv_add(&argv, "-D");
		strv_add(&argv, trace);
		for (int i = 0; qemu_trace_events[i]; i++) {
			strv_add(&argv, "-trace");
			strv_add(&argv, qemu_trace_events[i]);
		}
	}

	/* What the guest records as its lab context. */
	lab = json_object_new_object();
	q = json_object_new_object();
	json_object_object_add(q, "binary", json_object_new_string(QEMU_BIN));
	json_object_object_add(q, "version", json_object_new_string(qver));
	json_object_object_add(q, "argv", strv_json(&argv));
	json_object_object_add(lab, "qemu", q);
	t = json_object_new_object();
	json_object_object_add(t, "name", json_object_new_string(s->topology));
	json_object_object_add(t, "path", json_object_new_string(topo->path));
	if (sha256_file(topo->path, hex) == 0)
		json_object_object_add(t, "sha256",
				       json_object_new_string(hex));
	json_object_object_add(lab, "topology", t);
	json_object_object_add(lab, "kernel", json_object_get(kjson));
	json_object_object_add(lab, "label", json_object_new_string(label));
	json_object_object_add(lab, "cmdline_extra",
			       json_object_new_string(extra));
	rootfs_key = read_file(GUEST_ROOTFS "/.invlab-rootfs", NULL);
	json_object_object_add(lab, "rootfs",
			       rootfs_key ? json_object_new_string(rootfs_key) :
					    NULL);
	free(rootfs_key);
	json_object_object_add(lab, "boot_timeout_s",
			       json_object_new_int64(s->boot_timeout_s));
	p = xasprintf("%s/lab.json", out);
	if (result_write(lab, p)) {
		seterr(err, len, "cannot write %s", p);
		free(p);
		json_object_put(lab);
		goto out;
	}
	free(p);
	json_object_put(lab);

	say("kernel %s (%s): booting in QEMU, limit %ld s; console: %s", label,
	    json_object_get_string(json_object_object_get(kjson, "release")),
	    s->boot_timeout_s, console);
	boot_guest(label, argv.v, out, console, s->boot_timeout_s, &bo);
	judge_boot(out, &bo);
	say("kernel %s: %s in %.0f s%s%s", label, bo.status, bo.seconds,
	    bo.reason[0] ? ": " : "", bo.reason);

	boot = json_object_new_object();
	json_object_object_add(boot, "label", json_object_new_string(label));
	json_object_object_add(
		boot, "release",
		json_object_get(json_object_object_get(kjson, "release")));
	json_object_object_add(boot, "status",
			       json_object_new_string(bo.status));
	json_object_object_add(
		boot, "reason",
		bo.reason[0] ? json_object_new_string(bo.reason) : NULL);
	json_object_object_add(boot, "seconds",
			       json_object_new_double(bo.seconds));
	json_object_object_add(boot, "qemu_exit",
			       json_object_new_int(bo.qemu_exit));
	if (trace && check_against_qemu(out, trace, boot))
		selfcheck_failed = true;
	p = xasprintf("%s/boot.json", out);
	result_write(boot, p);
	free(p);
	json_object_array_add(kernels_json, boot);
	ret = strcmp(bo.status, "complete") || selfcheck_failed ? 1 : 0;
out:
	if (ret < 0) {
		/* Never booted: still a row in run.json and the report. */
		boot = json_object_new_object();
		json_object_object_add(boot, "label",
				       json_object_new_string(label));
		json_object_object_add(boot, "status",
				       json_object_new_string("failed"));
		json_object_object_add(boot, "reason",
				       json_object_new_string(err));
		json_object_object_add(boot, "seconds",
				       json_object_new_double(0));
		json_object_array_add(kernels_json, boot);
	}
	for (size_t i = 0; i < ndisks; i++)
		unlink(disks[i].path);
	rmdir(scratch);
	topology_disks_free(disks, ndisks);
	json_object_put(kjson);
	strv_free(&prep);
	strv_free(&argv);
	free(append);
	free(trace);
	free(vmlinuz);
	free(kjson_path);
	free(scratch);
	free(console);
	free(tmp);
	free(out);
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

static int write_run(const char *run_dir, const char *run_id,
		     const struct suite *s, const char *started,
		     const char *status, json_object *kernels)
{
	json_object *run = json_object_new_object();
	char now[32], *path = xasprintf("%s/run.json", run_dir);
	int ret;

	iso8601_now(now, sizeof(now));
	json_object_object_add(run, "schema",
			       json_object_new_string("invlab.run"));
	json_object_object_add(run, "version", json_object_new_int(1));
	json_object_object_add(run, "run_id", json_object_new_string(run_id));
	json_object_object_add(run, "suite", json_object_new_string(s->name));
	json_object_object_add(run, "description",
			       json_object_new_string(s->description));
	json_object_object_add(run, "status", json_object_new_string(status));
	json_object_object_add(run, "started", json_object_new_string(started));
	json_object_object_add(
		run, "finished",
		strcmp(status, "running") ? json_object_new_string(now) : NULL);
	json_object_object_add(run, "kernels", json_object_get(kernels));
	ret = result_write(run, path);
	json_object_put(run);
	free(path);
	return ret;
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

int cmd_lab(int argc, char **argv)
{
	struct lab_opts o = { .suite = "smoke" };
	struct argp argp = {
		lab_options,
		lab_parse,
		NULL,
		"Boot each kernel of a suite in the QEMU lab, run the suite in it, and write a report.",
		NULL,
		NULL,
		NULL
	};
	char err[ERRLEN] = "", run_id[128], started[32], *run_dir, *tmp;
	char *results, *qver, *report;
	const struct strv *kernels;
	json_object *kernels_json;
	struct conf topo;
	struct suite s;
	int failed = 0, ret = 2;

	argp_parse(&argp, argc, argv, 0, NULL, &o);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!path_exists(GUEST_ROOTFS "/.invlab-complete")) {
		errorf("%s is not the lab rootfs: invlab lab runs inside it (make lab, or lab/enter.sh build/invlab lab)",
		       GUEST_ROOTFS);
		return 2;
	}
	if (suite_load(invlab_top(), o.suite, &s, err, sizeof(err))) {
		errorf("%s", err);
		return 2;
	}
	if (force_qemu_trace)
		s.qemu_trace = true;
	if (topology_load(invlab_top(), s.topology, &topo, err, sizeof(err))) {
		errorf("%s", err);
		suite_free(&s);
		return 2;
	}
	kernels = o.kernels.n ? &o.kernels : &s.kernels;
	if (o.run_id)
		snprintf(run_id, sizeof(run_id), "%s", o.run_id);
	else
		default_run_id(run_id, sizeof(run_id), s.name);
	results = o.results ? xstrdup(o.results) :
			      xasprintf("%s/results", invlab_top());
	run_dir = xasprintf("%s/%s", results, run_id);
	if (path_exists(run_dir)) {
		errorf("%s exists already: pick another --run-id", run_dir);
		goto out_free;
	}
	if (mkdir_p(run_dir, 0755)) {
		errorf("cannot create %s: %s", run_dir, strerror(errno));
		goto out_free;
	}
	tmp = xasprintf("%s/.qemu-version", run_dir);
	qver = qemu_version(tmp);
	free(tmp);
	if (!qver) {
		errorf("%s --version failed: is QEMU installed (it comes with the lab rootfs)?",
		       QEMU_BIN);
		goto out_free;
	}
	iso8601_now(started, sizeof(started));
	kernels_json = json_object_new_array();
	write_run(run_dir, run_id, &s, started, "running", kernels_json);
	say("run %s: suite %s, %zu kernel(s), %ld window(s) of %ld s each; %s",
	    run_id, s.name, kernels->n, s.repetitions, s.runtime_s, qver);
	for (size_t i = 0; i < kernels->n && !interrupted; i++) {
		say("kernel %zu/%zu: %s", i + 1, kernels->n, kernels->v[i]);
		err[0] = '\0';
		if (boot_kernel(&s, &topo, kernels->v[i], run_id, run_dir, qver,
				kernels_json, err, sizeof(err))) {
			failed++;
			if (err[0])
				errorf("kernel %s: %s", kernels->v[i], err);
		}
	}
	write_run(run_dir, run_id, &s, started,
		  interrupted ? "incomplete" :
		  failed      ? "failed" :
				"complete",
		  kernels_json);
	json_object_put(kernels_json);
	free(qver);

	report = xasprintf("%s/report.md", run_dir);
	if (report_write(run_dir, report, err, sizeof(err))) {
		errorf("report: %s", err);
		ret = 2;
	} else {
		ret = failed || interrupted ? 1 : 0;
	}
	printf("run id:      %s\nresults dir: %s\nreport:      %s\n", run_id,
	       run_dir, report);
	if (ret)
		printf("status:      %s\n",
		       interrupted ?
			       "incomplete (interrupted)" :
			       "FAILED: see the report and each kernel's console.log");
	free(report);
out_free:
	free(run_dir);
	free(results);
	conf_free(&topo);
	suite_free(&s);
	strv_free(&o.kernels);
	return ret;
}
