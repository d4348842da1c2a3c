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
#include "lib/conf.h"
#include "lib/json_util.h"
#include "report/report.h"
#include "report/report_html.h"
#include "lab/qemu_trace.h"
#include "lib/result.h"
#include "lab/selfcheck.h"
#include "run/suite.h"
#include "lab/topology.h"
#include "lib/util.h"

#define GUEST_ROOTFS "/run/invlab/rootfs"
#define QEMU_BIN "qemu-system-x86_64"

struct lab_opts {
	const char *suite;
	const char *run_id;
	const char *results;
	struct strv kernels;
	const char *resume;
};

/* One cell of a run: a kernel at one point of the suite's matrix. */
struct lab_cell {
	char *kernel;
	char *params; /* "bs=4k,iodepth=1", or "" without a matrix */
	char *id; /* its directory: "lab", or "lab@bs=4k+iodepth=1" */
};

static const struct argp_option lab_options[] = {
	{ "suite", 's', "NAME", 0, "Suite to run (default: smoke)", 0 },
	{ "run-id", 'i', "ID", 0, "Run id (default: date-time-suite)", 0 },
	{ "results", 'R', "DIR", 0,
	  "Results directory (default: <top>/results)", 0 },
	{ "kernel", 'k', "LABEL", 0, "Boot only this kernel (repeatable)", 0 },
	{ "resume", 'c', "RUN_DIR", 0,
	  "Continue an incomplete run: keep its complete cells, run the rest",
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

static json_object *params_json(const char *params)
{
	json_object *o = json_object_new_object();
	struct strv kv = { 0 };

	strv_split(&kv, params);
	for (size_t i = 0; i < kv.n; i++) {
		char *eq = strchr(kv.v[i], '=');

		if (!eq)
			continue;
		*eq = '\0';
		json_object_object_add(o, kv.v[i],
				       json_object_new_string(eq + 1));
	}
	strv_free(&kv);
	return o;
}

static int boot_kernel(const struct suite *s, const struct conf *topo,
		       const struct lab_cell *cell, const char *run_id,
		       const char *run_dir, const char *qver,
		       json_object *kernels_json, char *err, size_t len)
{
	const char *label = cell->kernel;
	char *out = xasprintf("%s/%s", run_dir, cell->id);
	char *tmp = xasprintf("%s/.prepare-%s", run_dir, cell->id);
	char *console = xasprintf("%s/console.log", out);
	char *cache = getenv("INVLAB_CACHE") ? getenv("INVLAB_CACHE") :
					       "/var/cache/invlab";
	char *scratch = xasprintf("%s/scratch/%s-%s", cache, run_id, cell->id);
	char *kjson_path = NULL, *vmlinuz = NULL, *append = NULL, *p;
	const char *extra;
	char *trace = NULL, *exe = NULL;
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
	/* The guest runs this very binary (B=build-x builds another). */
	exe = realpath("/proc/self/exe", NULL);
	/*
	 * Not no_timer_check: the boot-time IO-APIC timer check can panic a
	 * guest on a loaded host (rarely), but skipping it left idle vCPUs
	 * without timer wakeups (RCU stalls) in DPDK runs.
	 */
	append = xasprintf(
		"console=ttyS0 panic=-1 invlab.top=%s invlab.bin=%s invlab.out=%s invlab.suite=%s%s%s%s%s",
		invlab_top(), exe ? exe : "", out, s->path,
		cell->params[0] ? " invlab.params=" : "", cell->params,
		extra[0] ? " " : "", extra);
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
	json_object_object_add(q, "argv", json_strv(&argv));
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

	say("cell %s (%s): booting in QEMU, limit %ld s; console: %s", cell->id,
	    json_object_get_string(json_object_object_get(kjson, "release")),
	    s->boot_timeout_s, console);
	boot_guest(cell->id, argv.v, out, console, s->boot_timeout_s, &bo);
	judge_boot(out, &bo);
	say("cell %s: %s in %.0f s%s%s", cell->id, bo.status, bo.seconds,
	    bo.reason[0] ? ": " : "", bo.reason);

	boot = json_object_new_object();
	json_object_object_add(boot, "cell", json_object_new_string(cell->id));
	json_object_object_add(boot, "label", json_object_new_string(label));
	json_object_object_add(boot, "params", params_json(cell->params));
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
		json_object_object_add(boot, "cell",
				       json_object_new_string(cell->id));
		json_object_object_add(boot, "label",
				       json_object_new_string(label));
		json_object_object_add(boot, "params",
				       params_json(cell->params));
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
	free(exe);
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

static json_object *plan_json(const struct lab_cell *cells, size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_new_object();

		json_object_object_add(c, "cell",
				       json_object_new_string(cells[i].id));
		json_object_object_add(c, "kernel",
				       json_object_new_string(cells[i].kernel));
		json_object_object_add(c, "params",
				       json_object_new_string(cells[i].params));
		json_object_array_add(a, c);
	}
	return a;
}

static int write_run(const char *run_dir, const char *run_id,
		     const struct suite *s, const char *started,
		     const char *status, json_object *kernels,
		     const struct lab_cell *cells, size_t ncells)
{
	char hex[65];
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
	json_object_object_add(run, "suite_path",
			       json_object_new_string(s->path));
	json_object_object_add(
		run, "suite_sha256",
		sha256_file(s->path, hex) ? NULL : json_object_new_string(hex));
	json_object_object_add(run, "plan", plan_json(cells, ncells));
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

static void cells_free(struct lab_cell *cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(cells[i].kernel);
		free(cells[i].params);
		free(cells[i].id);
	}
	free(cells);
}

/* The swept parameters (more than one value) of a combination, joined by
 * '+': what names a cell, so fixed settings do not lengthen every name.
 */
static char *swept_only(const struct suite *s, const char *combination)
{
	struct strv kv = { 0 };
	char *out = xstrdup(""), *t;

	strv_split(&kv, combination);
	for (size_t i = 0; i < kv.n && i < s->matrix.n; i++) {
		if (s->matrix.params[i].values.n < 2)
			continue;
		t = xasprintf("%s%s%s", out, *out ? "+" : "", kv.v[i]);
		free(out);
		out = t;
	}
	strv_free(&kv);
	return out;
}

/* Every kernel at every point of the matrix, kernel by kernel. */
static struct lab_cell *plan_cells(const struct suite *s,
				   const struct strv *kernels, size_t *n)
{
	size_t combos = matrix_combinations(&s->matrix);
	struct lab_cell *cells =
		xcalloc(kernels->n * combos + 1, sizeof(*cells));

	*n = 0;
	for (size_t k = 0; k < kernels->n; k++) {
		for (size_t i = 0; i < combos; i++) {
			struct lab_cell *c = &cells[(*n)++];
			char *plus;

			c->kernel = xstrdup(kernels->v[k]);
			c->params = matrix_combination(&s->matrix, i);
			plus = swept_only(s, c->params);
			c->id = *plus ? xasprintf("%s@%s", c->kernel, plus) :
					xstrdup(c->kernel);
			free(plus);
		}
	}
	return cells;
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
 * --resume: the run's own suite file (unchanged since it started), its
 * plan, and the cells already complete, which are kept as they are. The
 * directories of the others are moved aside (never deleted) to be run again.
 */
static int load_resume(const char *run_dir, struct suite *s,
		       struct lab_cell **cells, size_t *ncells,
		       json_object **kept, char *run_id, size_t id_len,
		       char *started, size_t started_len, char *err, size_t len)
{
	char *path = xasprintf("%s/run.json", run_dir), hex[65];
	json_object *run = json_object_from_file(path), *plan, *kernels;
	const char *suite_path, *sha;
	int ret = -1;

	if (!run || !json_object_object_get_ex(run, "plan", &plan) ||
	    !json_object_object_get_ex(run, "kernels", &kernels) ||
	    !json_object_is_type(plan, json_type_array)) {
		seterr(err, len,
		       "%s is missing, not JSON or has no plan: not a run this invlab can resume",
		       path);
		goto out;
	}
	suite_path = json_object_get_string(
		json_object_object_get(run, "suite_path"));
	sha = json_object_get_string(
		json_object_object_get(run, "suite_sha256"));
	if (!suite_path || suite_load(invlab_top(), suite_path, s, err, len))
		goto out;
	if (!sha || sha256_file(s->path, hex) || strcmp(hex, sha)) {
		seterr(err, len,
		       "%s changed since run %s started: resuming would mix two suites; start a new run",
		       s->path, run_dir);
		suite_free(s);
		goto out;
	}
	snprintf(run_id, id_len, "%s",
		 json_object_get_string(json_object_object_get(run, "run_id")));
	snprintf(
		started, started_len, "%s",
		json_object_get_string(json_object_object_get(run, "started")));
	*ncells = json_object_array_length(plan);
	*cells = xcalloc(*ncells + 1, sizeof(**cells));
	*kept = json_object_new_array();
	for (size_t i = 0; i < *ncells; i++) {
		json_object *c = json_object_array_get_idx(plan, i);

		(*cells)[i].id = xstrdup(json_object_get_string(
			json_object_object_get(c, "cell")));
		(*cells)[i].kernel = xstrdup(json_object_get_string(
			json_object_object_get(c, "kernel")));
		(*cells)[i].params = xstrdup(json_object_get_string(
			json_object_object_get(c, "params")));
	}
	for (size_t i = 0; i < json_object_array_length(kernels); i++) {
		json_object *k = json_object_array_get_idx(kernels, i);
		const char *st = json_object_get_string(
			json_object_object_get(k, "status"));

		if (st && !strcmp(st, "complete"))
			json_object_array_add(*kept, json_object_get(k));
	}
	ret = 0;
out:
	json_object_put(run);
	free(path);
	return ret;
}

static bool cell_kept(json_object *kept, const char *id)
{
	for (size_t i = 0; i < json_object_array_length(kept); i++) {
		json_object *k = json_object_array_get_idx(kept, i);
		const char *cid = json_object_get_string(
			json_object_object_get(k, "cell"));

		if (!cid)
			cid = json_object_get_string(
				json_object_object_get(k, "label"));
		if (cid && !strcmp(cid, id))
			return true;
	}
	return false;
}

static void move_aside(const char *run_dir, const char *id)
{
	char *from = xasprintf("%s/%s", run_dir, id), *to = NULL;

	if (!path_exists(from)) {
		free(from);
		return;
	}
	for (int n = 1; n < 1000; n++) {
		free(to);
		to = xasprintf("%s/.attempt-%d-%s", run_dir, n, id);
		if (!path_exists(to))
			break;
	}
	if (rename(from, to) == 0)
		say("cell %s: earlier attempt moved to %s", id, to);
	free(from);
	free(to);
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
	char err[ERRLEN] = "", run_id[128], started[32], *run_dir = NULL, *tmp;
	char *results = NULL, *qver, *report, el[32], eta[32];
	json_object *kernels_json = NULL;
	struct lab_cell *cells = NULL;
	size_t ncells = 0, done = 0, todo = 0;
	struct conf topo = { 0 };
	struct suite s = { 0 };
	double t0, spent = 0;
	int failed = 0, ret = 2;

	argp_parse(&argp, argc, argv, 0, NULL, &o);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!path_exists(GUEST_ROOTFS "/.invlab-complete")) {
		errorf("%s is not the lab rootfs: invlab lab runs inside it (make lab, or lab/enter.sh build/invlab lab)",
		       GUEST_ROOTFS);
		return 2;
	}
	if (o.resume) {
		/* absolute: the guest mounts it by this path */
		run_dir = realpath(o.resume, NULL);
		if (!run_dir) {
			errorf("--resume %s: %s", o.resume, strerror(errno));
			return 2;
		}
		if (load_resume(run_dir, &s, &cells, &ncells, &kernels_json,
				run_id, sizeof(run_id), started,
				sizeof(started), err, sizeof(err))) {
			errorf("--resume %s: %s", o.resume, err);
			free(run_dir);
			return 2;
		}
	} else if (suite_load(invlab_top(), o.suite, &s, err, sizeof(err))) {
		errorf("%s", err);
		return 2;
	}
	if (force_qemu_trace)
		s.qemu_trace = true;
	if (topology_load(invlab_top(), s.topology, &topo, err, sizeof(err))) {
		errorf("%s", err);
		goto out_free;
	}
	if (!o.resume) {
		cells = plan_cells(&s, o.kernels.n ? &o.kernels : &s.kernels,
				   &ncells);
		if (o.run_id)
			snprintf(run_id, sizeof(run_id), "%s", o.run_id);
		else
			default_run_id(run_id, sizeof(run_id), s.name);
		/* absolute: the guest mounts its output at the same path */
		if (!o.results) {
			results = xasprintf("%s/results", invlab_top());
		} else if (o.results[0] == '/') {
			results = xstrdup(o.results);
		} else {
			char *cwd = getcwd(NULL, 0);

			results =
				xasprintf("%s/%s", cwd ? cwd : ".", o.results);
			free(cwd);
		}
		run_dir = xasprintf("%s/%s", results, run_id);
		if (path_exists(run_dir)) {
			errorf("%s exists already: pick another --run-id, or --resume it",
			       run_dir);
			goto out_free;
		}
		if (mkdir_p(run_dir, 0755)) {
			errorf("cannot create %s: %s", run_dir,
			       strerror(errno));
			goto out_free;
		}
		iso8601_now(started, sizeof(started));
		kernels_json = json_object_new_array();
	}
	tmp = xasprintf("%s/.qemu-version", run_dir);
	qver = qemu_version(tmp);
	free(tmp);
	if (!qver) {
		errorf("%s --version failed: is QEMU installed (it comes with the lab rootfs)?",
		       QEMU_BIN);
		goto out_free;
	}
	write_run(run_dir, run_id, &s, started, "running", kernels_json, cells,
		  ncells);
	for (size_t i = 0; i < ncells; i++)
		todo += !cell_kept(kernels_json, cells[i].id);
	say("run %s: suite %s, %zu cell(s) (%zu to run), %ld window(s) of %ld s each; %s",
	    run_id, s.name, ncells, todo, s.repetitions, s.runtime_s, qver);
	t0 = monotonic_s();
	for (size_t i = 0; i < ncells && !interrupted; i++) {
		double c0 = monotonic_s();

		if (cell_kept(kernels_json, cells[i].id)) {
			say("cell %zu/%zu: %s complete in an earlier attempt: kept",
			    i + 1, ncells, cells[i].id);
			continue;
		}
		move_aside(run_dir, cells[i].id);
		fmt_duration(el, sizeof(el), monotonic_s() - t0);
		fmt_duration(eta, sizeof(eta),
			     done ? spent / done * (todo - done) : -1);
		say("cell %zu/%zu: %s (%zu of %zu to run done, elapsed %s, ETA %s)",
		    i + 1, ncells, cells[i].id, done, todo, el, eta);
		err[0] = '\0';
		if (boot_kernel(&s, &topo, &cells[i], run_id, run_dir, qver,
				kernels_json, err, sizeof(err))) {
			failed++;
			if (err[0])
				errorf("cell %s: %s", cells[i].id, err);
		}
		spent += monotonic_s() - c0;
		done++;
		/* After every cell: an interrupted run keeps what is done. */
		write_run(run_dir, run_id, &s, started, "running", kernels_json,
			  cells, ncells);
	}
	write_run(run_dir, run_id, &s, started,
		  interrupted ? "incomplete" :
		  failed      ? "failed" :
				"complete",
		  kernels_json, cells, ncells);
	free(qver);

	report = xasprintf("%s/report.md", run_dir);
	if (report_write(run_dir, report, err, sizeof(err)) ||
	    report_html_write(run_dir, err, sizeof(err))) {
		errorf("report: %s", err);
		ret = 2;
	} else {
		ret = failed || interrupted ? 1 : 0;
	}
	printf("run id:      %s\nresults dir: %s\nreport:      %s\nhtml report: %s/report.html\n",
	       run_id, run_dir, report, run_dir);
	if (ret)
		printf("status:      %s\n",
		       interrupted ?
			       "incomplete (interrupted): continue it with invlab lab --resume RUN_DIR" :
			       "FAILED: see the report and each cell's console.log");
	free(report);
out_free:
	json_object_put(kernels_json);
	cells_free(cells, ncells);
	free(run_dir);
	free(results);
	conf_free(&topo);
	suite_free(&s);
	strv_free(&o.kernels);
	return ret;
}
