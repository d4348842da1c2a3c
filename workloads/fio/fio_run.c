// SPDX-License-Identifier: GPL-2.0
/* Running fio: one window to completion, or in the background. */
#include "fio.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/util.h"

#define FIO_NOT_INSTALLED \
	"fio is not installed (it comes with the lab rootfs, or 'apt-get install fio')"

/*
 * fio expands ${DEVICE}, ${NG_DEVICE} and ${RUNTIME} in the job file; the
 * command line: --readonly makes it refuse writes, so no job file can
 * damage the device. argv[4] is allocated.
 */
static void fio_setup(char *argv[7], const char *jobfile, const char *device,
		      const char *generic, const char *runtime,
		      const char *json_path)
{
	setenv("DEVICE", device, 1);
	setenv("NG_DEVICE", generic, 1);
	setenv("RUNTIME", runtime, 1);
	argv[0] = "fio";
	argv[1] = "--readonly";
	argv[2] = "--eta=never";
	argv[3] = "--output-format=json";
	argv[4] = xasprintf("--output=%s", json_path);
	argv[5] = (char *)jobfile;
	argv[6] = NULL;
}

int fio_run(const char *jobfile, const char *device, const char *generic,
	    long runtime_s, const char *json_path, char *err, size_t err_len)
{
	char runtime[32], *argv[7], *job = read_file(jobfile, NULL);
	int status;

	/* A passthrough job on a kernel without the char device would make
	 * fio fail on an empty file name: say what is missing instead.
	 */
	if (job && strstr(job, "${NG_DEVICE}") && !generic[0]) {
		free(job);
		return seterr(
			err, err_len,
			"%s needs the NVMe generic char device of %s (/dev/ngXnY), which this kernel does not have",
			jobfile, device);
	}
	free(job);

	snprintf(runtime, sizeof(runtime), "%ld", runtime_s);
	fio_setup(argv, jobfile, device, generic, runtime, json_path);
	status = run_cmd(argv, NULL);
	free(argv[4]);
	if (status == 127 || status == -2)
		return seterr(err, err_len, FIO_NOT_INSTALLED);
	if (status)
		return seterr(err, err_len,
			      "fio %s on %s exited with status %d", jobfile,
			      device, status);
	return 0;
}

int fio_bg_start(struct fio_bg *b, const char *jobfile, const char *device,
		 const char *generic, const char *json_path, char *err,
		 size_t err_len)
{
	pid_t pid;

	unlink(json_path);
	pid = fork();
	if (pid < 0)
		return seterr(err, err_len, "cannot start fio: %s",
			      strerror(errno));
	if (!pid) {
		int null = open("/dev/null", O_RDWR);
		char *argv[7];

		/* its own process group: a terminal's Ctrl-C reaches invlab,
		 * which stops it; and it ends if invlab dies first
		 */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
		}
		/* a day: it runs until stopped */
		fio_setup(argv, jobfile, device, generic, "86400", json_path);
		execvp(argv[0], argv);
		fprintf(stderr, "invlab: cannot run fio: %s\n",
			strerror(errno));
		_exit(127);
	}
	b->pid = pid;
	b->json_path = xstrdup(json_path);
	return 0;
}

int fio_bg_stop(struct fio_bg *b, struct fio_metrics *m, char *err,
		size_t err_len)
{
	int status = 0, ret = 0;
	char *text;

	if (!b->pid)
		return 0;
	kill(b->pid, SIGINT);
	if (!child_wait(b->pid, 60, &status)) {
		kill(b->pid, SIGKILL);
		waitpid(b->pid, NULL, 0);
		ret = seterr(
			err, err_len,
			"the neighbour's fio did not stop within 60 s of SIGINT: killed");
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		ret = seterr(err, err_len, FIO_NOT_INSTALLED);
	} else if (m) {
		text = read_file(b->json_path, NULL);
		if (!text)
			ret = seterr(
				err, err_len,
				"the neighbour's fio wrote no output (%s): %s",
				b->json_path, strerror(errno));
		else if (fio_parse_json(text, "read", m, err, err_len))
			ret = -1;
		free(text);
	}
	b->pid = 0;
	free(b->json_path);
	b->json_path = NULL;
	return ret;
}
