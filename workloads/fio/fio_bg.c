// SPDX-License-Identifier: GPL-2.0
/* fio in the background, beside another workload (fio.h: fio_bg). */
#include "fio.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/util.h"

int fio_bg_start(struct fio_bg *b, const char *jobfile, const char *device,
		 const char *generic, const char *json_path, char *err,
		 size_t err_len)
{
	char *out_opt = xasprintf("--output=%s", json_path);
	pid_t pid;

	unlink(json_path);
	pid = fork();
	if (pid < 0) {
		free(out_opt);
		return seterr(err, err_len, "cannot start fio: %s",
			      strerror(errno));
	}
	if (!pid) {
		int null = open("/dev/null", O_RDWR);

		/* its own process group: a terminal's Ctrl-C reaches invlab,
		 * which stops it
		 */
		setpgid(0, 0);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
		}
		setenv("DEVICE", device, 1);
		setenv("NG_DEVICE", generic, 1);
		setenv("RUNTIME", "86400", 1);
		execlp("fio", "fio", "--readonly", "--eta=never",
		       "--output-format=json", out_opt, jobfile, (char *)NULL);
		fprintf(stderr, "invlab: cannot run fio: %s\n",
			strerror(errno));
		_exit(127);
	}
	free(out_opt);
	b->pid = pid;
	b->json_path = xstrdup(json_path);
	return 0;
}

/* waitpid with a limit in seconds: the status, or -1 when it did not end */
static int wait_limit(pid_t pid, int limit_s)
{
	int status;

	for (int i = 0; i < limit_s * 10; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return -1;
		nanosleep(&(struct timespec){ 0, 100000000 }, NULL);
	}
	return -1;
}

int fio_bg_stop(struct fio_bg *b, struct fio_metrics *m, char *err,
		size_t err_len)
{
	int status, ret = 0;
	char *text;

	if (!b->pid)
		return 0;
	kill(b->pid, SIGINT);
	status = wait_limit(b->pid, 60);
	if (status == -1) {
		kill(b->pid, SIGKILL);
		waitpid(b->pid, NULL, 0);
		ret = seterr(
			err, err_len,
			"the neighbour's fio did not stop within 60 s of SIGINT: killed");
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		ret = seterr(
			err, err_len,
			"fio is not installed (it comes with the lab rootfs, or 'apt-get install fio')");
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
