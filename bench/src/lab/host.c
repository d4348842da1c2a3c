// SPDX-License-Identifier: GPL-2.0
#include "host.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "boot.h"
#include "lib/json_util.h"
#include "lib/result.h"

/* invlab run's command line for cell. */
static void run_argv(const struct lab_run *r, const struct lab_host *h,
		     const struct lab_cell *cell, const char *exe,
		     const char *out, struct strv *argv)
{
	strv_add(argv, exe);
	strv_add(argv, "run");
	strv_add(argv, "--suite");
	strv_add(argv, r->s.path);
	strv_add(argv, "--out");
	strv_add(argv, out);
	if (cell->params[0])
		strv_addf(argv, "--params=%s", cell->params);
	if (h->device)
		strv_addf(argv, "--device=%s", h->device);
	if (h->allow_rebind)
		strv_addf(argv, "--allow-rebind=%s", h->allow_rebind);
	if (h->allow_knobs)
		strv_addf(argv, "--allow-knob=%s", h->allow_knobs);
}

/*
 * Run argv with its output through a pipe: each line echoed with the
 * cell's name and kept in console. Ctrl-C reaches it (the same process
 * group) and it ends its run itself. Its exit status, or -1.
 */
static int run_echoed(char *const argv[], const char *id, const char *console,
		      char *err, size_t len)
{
	FILE *log = fopen(console, "w"), *in;
	char line[4096];
	int fd[2], status = 0;
	pid_t pid;

	if (!log)
		return seterr(err, len, "cannot create %s: %s", console,
			      strerror(errno));
	if (pipe(fd)) {
		fclose(log);
		return seterr(err, len, "pipe: %s", strerror(errno));
	}
	pid = fork();
	if (pid == 0) {
		dup2(fd[1], STDOUT_FILENO);
		dup2(fd[1], STDERR_FILENO);
		close(fd[0]);
		close(fd[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	if (pid < 0) {
		close(fd[0]);
		fclose(log);
		return seterr(err, len, "fork: %s", strerror(errno));
	}
	in = fdopen(fd[0], "r");
	while (in && fgets(line, sizeof(line), in)) {
		fputs(line, log);
		fflush(log);
		line[strcspn(line, "\n")] = '\0';
		say("  host %s: %s", id, line);
	}
	if (in)
		fclose(in);
	fclose(log);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* The cell's record of its run, judged by its exit and its result. */
static json_object *host_record(const char *out, int exit_status,
				double seconds)
{
	json_object *rec = json_object_new_object(), *res;
	char *path = xasprintf("%s/result.json", out), rerr[ERRLEN];
	const char *st, *why = NULL;
	struct utsname u;
	char *reason = NULL;

	res = result_load(path, rerr, sizeof(rerr));
	st = json_path_str(res, "status", "");
	if (exit_status == 0 && !strcmp(st, "complete")) {
		st = "complete";
	} else {
		why = res ? json_path_str(res, "error", NULL) : rerr;
		reason = xasprintf("invlab run exited with status %d: %s",
				   exit_status, why ? why : "see console.log");
		st = lab_interrupted ? "interrupted" : "failed";
	}
	json_object_object_add(rec, "boot", json_object_new_int64(1));
	json_object_object_add(rec, "dir", json_object_new_string("boot-1"));
	json_object_object_add(rec, "release",
			       uname(&u) ? NULL :
					   json_object_new_string(u.release));
	json_object_object_add(rec, "status", json_object_new_string(st));
	json_object_object_add(rec, "reason",
			       reason ? json_object_new_string(reason) : NULL);
	json_object_object_add(rec, "seconds", json_object_new_double(seconds));
	json_object_object_add(rec, "qemu_exit", NULL);
	json_object_put(res);
	free(reason);
	free(path);
	return rec;
}

int lab_host_cell(struct lab_run *r, const struct lab_host *h,
		  const struct lab_cell *cell, char *err, size_t len)
{
	char *out = lab_boot_dir(r, cell->id, 1), *console, *p;
	char *exe = realpath("/proc/self/exe", NULL);
	struct strv argv = { 0 };
	json_object *rec;
	double t0 = monotonic_s();
	int status, ret = -1;

	if (!exe) {
		seterr(err, len,
		       "cannot find invlab itself (/proc/self/exe): %s",
		       strerror(errno));
		goto out;
	}
	if (mkdir_p(out, 0755)) {
		seterr(err, len, "cannot create %s: %s", out, strerror(errno));
		goto out;
	}
	console = xasprintf("%s/console.log", out);
	run_argv(r, h, cell, exe, out, &argv);
	say("cell %s: invlab run on this machine; output in %s", cell->id,
	    console);
	status = run_echoed(argv.v, cell->id, console, err, len);
	free(console);
	if (status < 0)
		goto out;
	rec = host_record(out, status, monotonic_s() - t0);
	ret = strcmp(json_path_str(rec, "status", ""), "complete") ? 1 : 0;
	say("cell %s: %s in %.0f s%s%s", cell->id,
	    json_path_str(rec, "status", "?"), monotonic_s() - t0,
	    ret ? ": " : "", ret ? json_path_str(rec, "reason", "") : "");
	p = xasprintf("%s/boot.json", out);
	result_write(rec, p);
	free(p);
	ret = lab_boot_done(r, cell, 1, rec, json_object_new_array(), ret, err,
			    len);
out:
	strv_free(&argv);
	free(exe);
	free(out);
	return ret;
}
