// SPDX-License-Identifier: GPL-2.0
#include "boot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/atomic_file.h"
#include "lib/json_util.h"
#include "lib/knob.h"
#include "lib/result.h"
#include "merge.h"
#include "qemu_trace.h"
#include "selfcheck.h"
#include "topology.h"

volatile sig_atomic_t lab_interrupted;

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

char *lab_qemu_version(const char *dir)
{
	char *tmp = xasprintf("%s/.qemu-version", dir);
	struct strv out = { 0 };
	char *v = NULL;

	if (!capture((char *const[]){ QEMU_BIN, "--version", NULL }, tmp,
		     &out) &&
	    out.n)
		v = xstrdup(out.v[0]);
	strv_free(&out);
	free(tmp);
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

/*
 * A booting guest whose console stays silent this long before the lab's
 * own first line (invlab-guest: ...) is hung, not slow: a Linux boot
 * prints all along. It is killed then rather than at the boot limit, and
 * tried again like any boot that failed before its workload.
 */
#define BOOT_SILENCE_S 90

/*
 * Echo the guest's own progress lines from the console as they come; *up
 * turns true once the guest's job has printed its first line.
 */
static void follow_console(const char *label, const char *console, off_t *pos,
			   char *partial, size_t plen, bool *up)
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
			if (!strncmp(partial, "invlab-guest:", 13))
				*up = true;
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
	double last_output = start;
	bool up = false;
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
		off_t before = pos;
		bool hung;

		follow_console(label, console, &pos, partial, sizeof(partial),
			       &up);
		if (pos != before)
			last_output = now;
		if (w == pid)
			break;
		hung = !up && now - last_output > BOOT_SILENCE_S;
		if (lab_interrupted || hung || now - start > timeout_s) {
			bo->status = lab_interrupted ? "interrupted" :
						       "timeout";
			if (lab_interrupted)
				snprintf(bo->reason, sizeof(bo->reason),
					 "interrupted after %.0f s",
					 now - start);
			else if (hung)
				snprintf(
					bo->reason, sizeof(bo->reason),
					"hung while booting: the console silent for %d s at %.0f s, before the guest's job began: killed (see console.log)",
					BOOT_SILENCE_S, now - start);
			else
				snprintf(
					bo->reason, sizeof(bo->reason),
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

/*
 * The last line QEMU printed (its error when it refused an option), or
 * NULL; the caller frees it.
 */
static char *qemu_last_words(const char *out)
{
	char *path = xasprintf("%s/qemu.log", out);
	char *text = read_file(path, NULL), *end, *line;

	free(path);
	if (!text)
		return NULL;
	end = text + strlen(text);
	while (end > text && (end[-1] == '\n' || end[-1] == ' '))
		*--end = '\0';
	line = strrchr(text, '\n');
	line = xstrdup(line ? line + 1 : text);
	free(text);
	if (!line[0]) {
		free(line);
		return NULL;
	}
	return line;
}

/*
 * The last "invlab: error: " line of dir/console.log without its prefix,
 * or NULL; freed by the caller.
 */
static char *console_error(const char *dir)
{
	char *path = xasprintf("%s/console.log", dir);
	char *text = read_file(path, NULL), *p, *last = NULL, *out = NULL;

	for (p = text; p && (p = strstr(p, "invlab: error: ")); p += 15)
		last = p + 15;
	if (last)
		out = strndup(last, strcspn(last, "\r\n"));
	free(text);
	free(path);
	return out;
}

/*
 * What the guest left in out decides whether the boot did its job;
 * QEMU's log is in qemu_dir. A cell sharing its boot whose own run
 * finished is judged by that run, whatever happened after it.
 */
static void judge_boot(const char *out, const char *qemu_dir, bool shared,
		       bool script, struct boot_outcome *bo)
{
	char *status_path = xasprintf("%s/guest-status", out);
	char *result_path = xasprintf("%s/result.json", out);
	char *gs = read_line(status_path);
	bool own = shared && gs;
	char err[ERRLEN];
	json_object *res;

	if (own) {
		bo->status = NULL;
		bo->reason[0] = '\0';
	}
	if (bo->status)
		goto out;
	/* own: judged by its own status and result, not QEMU's exit */
	if (!own && bo->qemu_exit == 127) {
		bo->status = "failed";
		snprintf(bo->reason, sizeof(bo->reason),
			 "%s not found (is this the lab rootfs?)", QEMU_BIN);
	} else if (!own && bo->qemu_exit != 0) {
		char *said = qemu_last_words(qemu_dir);

		bo->status = "failed";
		snprintf(bo->reason, sizeof(bo->reason),
			 "QEMU exited with status %d: %s (see qemu.log)",
			 bo->qemu_exit, said ? said : "it printed nothing");
		free(said);
	} else if (!gs) {
		bo->status = "failed";
		snprintf(
			bo->reason, sizeof(bo->reason),
			"the guest stopped before invlab run finished (panic or init failure: see console.log)%s",
			shared ?
				" (it shared the boot with other cells: see the first one's console.log)" :
				"");
	} else if (script) {
		/* a guest_script's exit status is the boot's verdict */
		bo->status = strcmp(gs, "0") ? "failed" : "complete";
		if (strcmp(gs, "0"))
			snprintf(
				bo->reason, sizeof(bo->reason),
				"the guest script exited with status %s (see console.log)",
				gs);
	} else if (strcmp(gs, "0")) {
		char *said = NULL;

		res = result_load(result_path, err, sizeof(err));
		/* no result: its own error line (invlab doctor's refusal) */
		if (!res && !shared)
			said = console_error(qemu_dir);
		bo->status = "failed";
		snprintf(bo->reason, sizeof(bo->reason),
			 "invlab run failed in the guest (status %s): %s", gs,
			 res && json_object_get_string(
					json_object_object_get(res, "error")) ?
				 json_object_get_string(
					 json_object_object_get(res, "error")) :
			 said ? said :
				"see console.log");
		free(said);
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
	char *path = xasprintf("%s/result.json", out), rerr[ERRLEN];
	json_object *res = result_load(path, rerr, sizeof(rerr)), *sc, *sum, *e;
	bool exact;
	int ret;

	free(path);
	/* no result to check (judge_boot says why): nothing counted exactly */
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

/*
 * One boot: of a cell, or of cells that share it (lab_boot_group): where
 * it goes and what it is given.
 */
struct cell_boot {
	const struct lab_cell *const *cells; /* the first one leads */
	size_t ncells;
	long n; /* which boot of the cells */
	long attempt; /* 0, then 1 for its first retry, ... */
	char **outs; /* each cell's DIR/CELL/boot-N */
	char *out; /* outs[0]: the boot's console, QEMU's log and trace */
	/*
	 * What the guest mounts as its output: out, or the run's directory
	 * when cells share the boot (each runs into its own boot-N)
	 */
	const char *mount;
	char *cells_file; /* shared: out/guest-cells, the runs in turn */
	char *tmp; /* prepare.sh's output while it runs */
	char *console;
	char *scratch; /* the disk images, removed after */
	struct strv prep; /* prepare.sh: kernel dir, initrd, extra arguments */
	json_object *kjson; /* the kernel's kernel.json */
	struct topology_disk *disks;
	size_t ndisks;
	struct strv argv; /* QEMU's */
	char *trace; /* QEMU's trace of its IOMMU (qemu_trace), or NULL */
};

static void cell_boot_init(struct cell_boot *cb, const struct lab_run *r,
			   const struct lab_cell *const *cells, size_t ncells,
			   long n)
{
	const char *cache = getenv("INVLAB_CACHE") ? getenv("INVLAB_CACHE") :
						     "/var/cache/invlab";
	const char *lead = cells[0]->id;

	memset(cb, 0, sizeof(*cb));
	cb->cells = cells;
	cb->ncells = ncells;
	cb->n = n;
	cb->outs = xcalloc(ncells, sizeof(*cb->outs));
	for (size_t i = 0; i < ncells; i++)
		cb->outs[i] = lab_boot_dir(r, cells[i]->id, n);
	cb->out = cb->outs[0];
	cb->mount = ncells > 1 ? r->dir : cb->out;
	if (ncells > 1)
		cb->cells_file = xasprintf("%s/guest-cells", cb->out);
	cb->tmp = xasprintf("%s/.prepare-%s-%ld", r->dir, lead, n);
	cb->console = xasprintf("%s/console.log", cb->out);
	cb->scratch =
		xasprintf("%s/scratch/%s-%s-b%ld", cache, r->run_id, lead, n);
}

static void cell_boot_free(struct cell_boot *cb)
{
	for (size_t i = 0; i < cb->ndisks; i++)
		unlink(cb->disks[i].path);
	rmdir(cb->scratch);
	topology_disks_free(cb->disks, cb->ndisks);
	json_object_put(cb->kjson);
	strv_free(&cb->prep);
	strv_free(&cb->argv);
	free(cb->trace);
	free(cb->scratch);
	free(cb->console);
	free(cb->tmp);
	free(cb->cells_file);
	for (size_t i = 0; i < cb->ncells; i++)
		free(cb->outs[i]);
	free(cb->outs);
}

/* The cell's directories, then kernel/prepare.sh LABEL: the kernel's
 * directory, initrd and own arguments, and its kernel.json.
 */
static int prepare_kernel(struct cell_boot *cb, char *err, size_t len)
{
	const char *label = cb->cells[0]->kernel;
	char *p, *kjson_path;

	for (size_t i = 0; i < cb->ncells; i++)
		if (mkdir_p(cb->outs[i], 0755))
			return seterr(err, len, "cannot create %s: %s",
				      cb->outs[i], strerror(errno));
	if (mkdir_p(cb->scratch, 0755))
		return seterr(err, len, "cannot create %s: %s", cb->scratch,
			      strerror(errno));
	p = xasprintf("%s/kernel/prepare.sh", invlab_top());
	if (capture((char *const[]){ p, (char *)label, NULL }, cb->tmp,
		    &cb->prep) ||
	    cb->prep.n < 2) {
		free(p);
		return seterr(err, len,
			      "preparing kernel %s failed (see above)", label);
	}
	free(p);
	kjson_path = xasprintf("%s/kernel.json", cb->prep.v[0]);
	cb->kjson = json_doc_load(kjson_path, "prepared kernel", NULL, 0,
				  "kernel-v1", err, len);
	if (cb->kjson &&
	    !json_object_object_get_ex(cb->kjson, "vmlinuz", NULL)) {
		seterr(err, len, "%s names no vmlinuz", kjson_path);
		json_object_put(cb->kjson);
		cb->kjson = NULL;
	}
	free(kjson_path);
	return cb->kjson ? 0 : -1;
}

/* The kernel's own parameters (kernel/lab/LABEL.conf), e.g. its lab knobs,
 * come after the lab's.
 */
static const char *kernel_extra(const struct cell_boot *cb)
{
	return cb->prep.n >= 3 ? cb->prep.v[2] : "";
}

/* QEMU's command line: the topology's, with the guest's kernel and its
 * arguments, and QEMU's own trace of the commands when the suite wants it.
 */
static int qemu_argv(struct cell_boot *cb, const struct suite *s,
		     const struct conf *topo, const struct lab_timing *t,
		     char *err, size_t len)
{
	/* cells sharing a boot have the same cmdline.* knobs */
	const char *extra = kernel_extra(cb), *params = cb->cells[0]->params;
	char *vmlinuz, *append, *exe, *knobs, *job;
	struct strv kv = { 0 };
	int ret;

	vmlinuz = xasprintf("%s/%s", cb->prep.v[0],
			    json_object_get_string(json_object_object_get(
				    cb->kjson, "vmlinuz")));
	/* The guest runs this very binary (B=build-x builds another). */
	exe = realpath("/proc/self/exe", NULL);
	/*
	 * Not no_timer_check: the boot-time IO-APIC timer check can panic a
	 * guest on a loaded host (rarely), but skipping it left idle vCPUs
	 * without timer wakeups (RCU stalls) in DPDK runs.
	 */
	/* the cell's cmdline.* knobs last: they override the label's */
	strv_split(&kv, params);
	knobs = knob_cmdline_args(&kv);
	strv_free(&kv);
	/* one run (its parameters), or the runs listed in the cells file */
	job = cb->cells_file ? xasprintf(" invlab.cells=%s", cb->cells_file) :
	      params[0]	     ? xasprintf(" invlab.params=%s", params) :
			       xstrdup("");
	if (s->guest_script) {
		free(job);
		job = xasprintf(" invlab.script=%s", s->guest_script);
	}
	/* invlab.lab=1 marks a lab guest: disposable, no real host's gates */
	append = xasprintf(
		"console=ttyS0 panic=-1%s invlab.top=%s invlab.bin=%s invlab.out=%s invlab.suite=%s%s%s%s%s%s",
		s->lab_guest ? " invlab.lab=1" : "", invlab_top(),
		exe ? exe : "", cb->mount, s->path, job,
		/* the tests' stuck guest: lab/guest/job.sh */
		s->hang_first_boot && cb->n == 1 && !cb->attempt ?
			" invlab.hang=1" :
			"",
		extra[0] ? " " : "", extra, knobs);
	free(knobs);
	free(job);
	ret = topology_argv(topo,
			    &(struct boot_spec){
				    .qemu = QEMU_BIN,
				    .kernel = vmlinuz,
				    .initrd = cb->prep.v[1],
				    .append = append,
				    .rootfs_dir = GUEST_ROOTFS,
				    .kernel_dir = cb->prep.v[0],
				    .top_dir = invlab_top(),
				    .out_dir = cb->mount,
				    .console_path = cb->console,
				    .scratch_dir = cb->scratch,
				    .icount = t->icount[0] ? t->icount : NULL },
			    &cb->argv, err, len);
	if (!ret && s->qemu_trace) {
		/* QEMU's own count of the commands it executes (selfcheck). */
		cb->trace = xasprintf("%s/qemu-amdvi.log", cb->out);
		strv_add(&cb->argv, "-D");
		strv_add(&cb->argv, cb->trace);
		for (int i = 0; qemu_trace_events[i]; i++) {
			strv_add(&cb->argv, "-trace");
			strv_add(&cb->argv, qemu_trace_events[i]);
		}
	}
	free(append);
	free(exe);
	free(vmlinuz);
	return ret;
}

/*
 * The load of the machine running QEMU as the boot starts: under TCG a
 * guest's speed is the host's, so a busy host makes a slow boot.
 */
static json_object *host_load(void)
{
	char *line = read_line("/proc/loadavg");
	json_object *o = json_object_new_object();
	double l1 = NAN, l5 = NAN;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (!line || sscanf(line, "%lf %lf", &l1, &l5) != 2)
		l1 = l5 = NAN;
	free(line);
	json_object_object_add(o, "loadavg_1m", json_num(l1));
	json_object_object_add(o, "loadavg_5m", json_num(l5));
	json_object_object_add(o, "cpus", json_object_new_int64(cpus));
	return o;
}

/* How the guest's times are to be read. */
static json_object *timing_json(const struct lab_timing *t)
{
	json_object *o = json_object_new_object();
	bool ic = !strcmp(t->mode, "icount");

	json_object_object_add(o, "mode", json_object_new_string(t->mode));
	json_object_object_add(o, "icount",
			       ic ? json_object_new_string(t->icount) : NULL);
	json_object_object_add(
		o, "unit",
		json_object_new_string(
			ic ? "guest instructions: one guest nanosecond a guest instruction (QEMU -icount), idle time skipped" :
			     "wall-clock nanoseconds of this host under TCG"));
	return o;
}

/* DIR/CELL/boot-N/lab.json: what the guest records as its lab context. */
static int write_lab_json(const struct cell_boot *cb, const struct lab_run *r,
			  const struct conf *topo, const char *qver, char *err,
			  size_t len)
{
	json_object *lab = json_object_new_object();
	json_object *q = json_object_new_object(), *t;
	char hex[65], *rootfs_key, *p;
	int ret = 0;

	json_object_object_add(q, "binary", json_object_new_string(QEMU_BIN));
	json_object_object_add(q, "version", json_object_new_string(qver));
	json_object_object_add(q, "argv", json_strv(&cb->argv));
	json_object_object_add(lab, "qemu", q);
	t = json_object_new_object();
	json_object_object_add(t, "name",
			       json_object_new_string(r->s.topology));
	json_object_object_add(t, "path", json_object_new_string(topo->path));
	if (sha256_file(topo->path, hex) == 0)
		json_object_object_add(t, "sha256",
				       json_object_new_string(hex));
	json_object_object_add(lab, "topology", t);
	json_object_object_add(lab, "kernel", json_object_get(cb->kjson));
	json_object_object_add(lab, "label",
			       json_object_new_string(cb->cells[0]->kernel));
	json_object_object_add(lab, "cmdline_extra",
			       json_object_new_string(kernel_extra(cb)));
	rootfs_key = read_file(GUEST_ROOTFS "/.invlab-rootfs", NULL);
	json_object_object_add(lab, "rootfs",
			       rootfs_key ? json_object_new_string(rootfs_key) :
					    NULL);
	free(rootfs_key);
	json_object_object_add(lab, "boot_timeout_s",
			       json_object_new_int64(r->s.boot_timeout_s));
	json_object_object_add(lab, "host_load", host_load());
	json_object_object_add(lab, "timing", timing_json(&r->timing));
	for (size_t i = 0; i < cb->ncells && !ret; i++) {
		p = xasprintf("%s/lab.json", cb->outs[i]);
		if (result_write(lab, p))
			ret = seterr(err, len, "cannot write %s", p);
		free(p);
	}
	json_object_put(lab);
	return ret;
}

/*
 * Cells sharing a boot: the guest's list of runs (lab/guest/job.sh), one
 * line a cell, its output directory and its parameters, in turn.
 */
static int write_guest_cells(const struct cell_boot *cb, char *err, size_t len)
{
	char *text = xstrdup(""), *t;
	int ret = 0;

	if (!cb->cells_file)
		return 0;
	for (size_t i = 0; i < cb->ncells; i++) {
		t = xasprintf("%s%s %s\n", text, cb->outs[i],
			      cb->cells[i]->params);
		free(text);
		text = t;
	}
	if (atomic_write(cb->cells_file, text, strlen(text)))
		ret = seterr(err, len, "cannot write %s: %s", cb->cells_file,
			     strerror(errno));
	free(text);
	return ret;
}

/*
 * Cell i's record of a boot (its cell record's boots[], boot.json): how it
 * went, and which cells shared it.
 */
static json_object *boot_record(const struct cell_boot *cb, size_t i,
				const struct boot_outcome *bo)
{
	json_object *boot = json_object_new_object(), *sh, *ids;

	json_object_object_add(boot, "boot", json_object_new_int64(cb->n));
	json_object_object_add(
		boot, "dir",
		json_object_new_string(strrchr(cb->outs[i], '/') + 1));
	if (cb->ncells > 1) {
		sh = json_object_new_object();
		ids = json_object_new_array();
		for (size_t j = 0; j < cb->ncells; j++)
			json_object_array_add(
				ids, json_object_new_string(cb->cells[j]->id));
		json_object_object_add(sh, "cells", ids);
		json_object_object_add(
			sh, "console",
			json_object_new_string(cb->cells[0]->id));
		json_object_object_add(boot, "shared", sh);
	}
	json_object_object_add(
		boot, "release",
		json_object_get(json_object_object_get(cb->kjson, "release")));
	json_object_object_add(boot, "status",
			       json_object_new_string(bo->status));
	json_object_object_add(
		boot, "reason",
		bo->reason[0] ? json_object_new_string(bo->reason) : NULL);
	json_object_object_add(boot, "seconds",
			       json_object_new_double(bo->seconds));
	json_object_object_add(boot, "qemu_exit",
			       json_object_new_int(bo->qemu_exit));
	return boot;
}

/* The record of a boot that never started: still a row in run.json and
 * the report.
 */
static json_object *unbooted_record(long n, const char *why)
{
	json_object *boot = json_object_new_object();

	json_object_object_add(boot, "boot", json_object_new_int64(n));
	json_object_object_add(boot, "dir", json_object_new_string(""));
	json_object_object_add(boot, "status",
			       json_object_new_string("failed"));
	json_object_object_add(boot, "reason", json_object_new_string(why));
	json_object_object_add(boot, "seconds", json_object_new_double(0));
	return boot;
}

/*
 * Boot the prepared cells and judge each: its record into recs[i], its
 * outcome into rets[i] (0 complete, 1 not).
 */
static void boot_and_judge(struct lab_run *r, const struct cell_boot *cb,
			   json_object **recs, int *rets)
{
	const char *lead = cb->cells[0]->id;
	bool shared = cb->ncells > 1, selfcheck_failed;
	struct boot_outcome bo, mine;
	char *p;

	if (shared)
		say("cells %s ... (%zu, differing only in module.* knobs) boot %ld/%ld (%s): one boot, an invlab run each in turn, limit %ld s; console: %s",
		    lead, cb->ncells, cb->n, r->boots,
		    json_object_get_string(
			    json_object_object_get(cb->kjson, "release")),
		    r->s.boot_timeout_s * (long)cb->ncells, cb->console);
	else
		say("cell %s boot %ld/%ld (%s): booting in QEMU, limit %ld s; console: %s",
		    lead, cb->n, r->boots,
		    json_object_get_string(
			    json_object_object_get(cb->kjson, "release")),
		    r->s.boot_timeout_s, cb->console);
	/* the suite's limit is a run's: each cell sharing the boot adds one */
	boot_guest(lead, cb->argv.v, cb->out, cb->console,
		   r->s.boot_timeout_s * (long)cb->ncells, &bo);
	for (size_t i = 0; i < cb->ncells; i++) {
		mine = bo;
		judge_boot(cb->outs[i], cb->out, shared, r->s.guest_script,
			   &mine);
		say("cell %s boot %ld: %s in %.0f s%s%s", cb->cells[i]->id,
		    cb->n, mine.status, mine.seconds,
		    mine.reason[0] ? ": " : "", mine.reason);
		recs[i] = boot_record(cb, i, &mine);
		selfcheck_failed =
			cb->trace &&
			check_against_qemu(cb->outs[i], cb->trace, recs[i]);
		p = xasprintf("%s/boot.json", cb->outs[i]);
		result_write(recs[i], p);
		free(p);
		rets[i] = strcmp(mine.status, "complete") || selfcheck_failed ?
				  1 :
				  0;
	}
}

/*
 * One attempt at boot n of cells (one, or those sharing the boot): each
 * one's record in recs[i] and outcome in rets[i], 0 complete, 1 failed,
 * -1 never booted (err says why).
 */
static void attempt(struct lab_run *r, const struct conf *topo,
		    const struct lab_cell *const *cells, size_t ncells, long n,
		    long a, const char *qver, json_object **recs, int *rets,
		    char *err, size_t len)
{
	struct cell_boot cb;

	cell_boot_init(&cb, r, cells, ncells, n);
	cb.attempt = a;
	if (!prepare_kernel(&cb, err, len) &&
	    !topology_disks(topo, cb.scratch, &cb.disks, &cb.ndisks, err,
			    len) &&
	    !make_disks(cb.disks, cb.ndisks, err, len) &&
	    !qemu_argv(&cb, &r->s, topo, &r->timing, err, len) &&
	    !write_lab_json(&cb, r, topo, qver, err, len) &&
	    !write_guest_cells(&cb, err, len)) {
		boot_and_judge(r, &cb, recs, rets);
	} else {
		for (size_t i = 0; i < ncells; i++) {
			recs[i] = unbooted_record(n, err);
			rets[i] = -1;
		}
	}
	cell_boot_free(&cb);
}

/*
 * A failed boot that never reached its workload: invlab run writes
 * result.json as it starts, so without one the guest hung or panicked
 * before. Such a boot is tried again; a failure during the workload is
 * not, unless QEMU itself crashed (qemu_crashed).
 */
static bool before_workload(const struct lab_run *r,
			    const struct lab_cell *cell, long n)
{
	char *dir = lab_boot_dir(r, cell->id, n);
	char *res = xasprintf("%s/result.json", dir);
	char *gs = xasprintf("%s/guest-status", dir);
	/*
	 * an exit status without a result: invlab run refused (invlab
	 * doctor's checks) or a guest script ended; trying again would too
	 */
	bool before = path_exists(dir) && !path_exists(res) && !path_exists(gs);

	free(gs);
	free(res);
	free(dir);
	return before;
}

/*
 * QEMU itself died of a signal it was not sent by invlab (an assertion in
 * the emulator, a segfault): the emulator failed, not the guest's kernel,
 * whose panics end QEMU with status 0 (-no-reboot). Such a boot is tried
 * again like one that never reached its workload; the attempt is kept.
 */
static bool qemu_crashed(json_object *rec)
{
	const char *why =
		json_object_get_string(json_object_object_get(rec, "reason"));

	return why && !strncmp(why, "QEMU exited with status -1:", 27);
}

/* An attempt given up and tried again: what it was and where it is kept. */
static json_object *attempt_record(json_object *rec, const char *moved)
{
	json_object *a = json_object_new_object();
	const char *base = moved ? strrchr(moved, '/') : NULL;

	json_object_object_add(
		a, "status",
		json_object_get(json_object_object_get(rec, "status")));
	json_object_object_add(
		a, "reason",
		json_object_get(json_object_object_get(rec, "reason")));
	json_object_object_add(
		a, "seconds",
		json_object_get(json_object_object_get(rec, "seconds")));
	json_object_object_add(a, "dir",
			       base ? json_object_new_string(base + 1) : NULL);
	return a;
}

int lab_boot_done(struct lab_run *r, const struct lab_cell *cell, long n,
		  json_object *rec, json_object *retried, int ret, char *err,
		  size_t len)
{
	char *tag = xasprintf("%s#%ld", cell->id, n);

	json_object_object_add(rec, "retried", retried);
	json_object_array_add(r->order, json_object_new_string(tag));
	free(tag);
	lab_cell_add_boot(r, cell, n, rec);
	if (lab_cell_merge(r, cell, err, len) && !ret)
		ret = -1;
	return ret;
}

int lab_boot_cells(struct lab_run *r, const struct conf *topo,
		   const struct lab_cell *const *cells, size_t ncells, long n,
		   const char *qver, char *err, size_t len)
{
	const struct lab_cell **todo = xcalloc(ncells, sizeof(*todo));
	json_object **retried = xcalloc(ncells, sizeof(*retried));
	json_object **recs = xcalloc(ncells, sizeof(*recs));
	int *rets = xcalloc(ncells, sizeof(*rets));
	size_t ntodo = ncells, failed = 0, k;
	char *moved;
	bool crashed, again;

	for (size_t i = 0; i < ncells; i++) {
		todo[i] = cells[i];
		retried[i] = json_object_new_array();
		moved = lab_boot_move_aside(r, cells[i]->id, n);
		if (moved)
			say("cell %s boot %ld: an earlier attempt's directory moved to %s",
			    cells[i]->id, n, moved);
		free(moved);
	}
	/*
	 * Each attempt boots the cells still to do; a cell whose boot failed
	 * before its own workload started, or whose QEMU crashed, is tried
	 * again, the rest are done.
	 */
	for (long a = 0; ntodo; a++) {
		attempt(r, topo, todo, ntodo, n, a, qver, recs, rets, err, len);
		k = 0;
		for (size_t i = 0; i < ntodo; i++) {
			const struct lab_cell *c = todo[i];
			size_t at = 0;

			while (cells[at] != c)
				at++;
			crashed = rets[i] > 0 && qemu_crashed(recs[i]);
			again = rets[i] > 0 && a < r->s.boot_retries &&
				!lab_interrupted &&
				(crashed || before_workload(r, c, n));
			if (!again) {
				if (lab_boot_done(r, c, n, recs[i], retried[at],
						  rets[i], err, len))
					failed++;
				continue;
			}
			moved = lab_boot_move_aside(r, c->id, n);
			say("cell %s boot %ld: %s %s: trying again (retry %ld of %ld; the attempt is kept in %s)",
			    c->id, n,
			    json_object_get_string(
				    json_object_object_get(recs[i], "status")),
			    crashed ? "because QEMU itself crashed" :
				      "before its workload started",
			    a + 1, r->s.boot_retries,
			    moved ? moved : "no directory");
			json_object_array_add(retried[at],
					      attempt_record(recs[i], moved));
			json_object_put(recs[i]);
			free(moved);
			todo[k++] = c;
		}
		ntodo = k;
	}
	free(rets);
	free(recs);
	free(retried);
	free(todo);
	return (int)failed;
}
