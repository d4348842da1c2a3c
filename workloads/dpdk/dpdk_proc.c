// SPDX-License-Identifier: GPL-2.0
#include "dpdk_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/util.h"

static void logf_raw(struct dpdk_proc *p, const char *s, size_t n)
{
	if (p->log) {
		fwrite(s, 1, n, p->log);
		fflush(p->log);
	}
}

/* Reap the child if it exited; true when it is gone. */
static bool reaped(struct dpdk_proc *p)
{
	if (!p->pid)
		return true;
	if (waitpid(p->pid, &p->status, WNOHANG) == p->pid) {
		p->pid = 0;
		return true;
	}
	return false;
}

/*
 * Read until the output holds the prompt. The prompt and anything before
 * it stay in buf for the caller; the next call starts after it.
 */
static int read_prompt(struct dpdk_proc *p, double timeout_s, char *err,
		       size_t len)
{
	double end = monotonic_s() + timeout_s;
	struct pollfd pfd = { .fd = p->out, .events = POLLIN };
	char chunk[4096];

	for (;;) {
		char *at;
		ssize_t n;

		p->buf[p->len] = '\0';
		at = strstr(p->buf, p->prompt);
		if (at) {
			*at = '\0';
			return 0;
		}
		if (p->interrupted && *p->interrupted)
			return seterr(err, len, "interrupted while %s ran",
				      p->name);
		if (monotonic_s() > end)
			return seterr(
				err, len,
				"%s gave no prompt within %.0f s; last output: %s",
				p->name, timeout_s, dpdk_proc_tail(p, 300));
		/* short polls: an interrupt is seen within 100 ms */
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = read(p->out, chunk, sizeof(chunk));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			/* EOF: it exited; say how */
			for (int i = 0; i < 50 && !reaped(p); i++)
				usleep(20000);
			return seterr(
				err, len,
				"%s exited (status %d) before its prompt; last output: %s",
				p->name,
				WIFEXITED(p->status) ?
					WEXITSTATUS(p->status) :
					128 + WTERMSIG(p->status),
				dpdk_proc_tail(p, 300));
		}
		logf_raw(p, chunk, (size_t)n);
		p->buf = xgrow(p->buf, &p->cap, p->len + (size_t)n + 1, 1);
		memcpy(p->buf + p->len, chunk, (size_t)n);
		p->len += (size_t)n;
	}
}

int dpdk_proc_start(struct dpdk_proc *p, const char *name, char *const argv[],
		    const char *prompt, const char *log_path,
		    volatile int *interrupted, double timeout_s, char *err,
		    size_t len)
{
	int in[2], out[2];

	memset(p, 0, sizeof(*p));
	p->in = p->out = -1;
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->prompt = prompt;
	p->interrupted = interrupted;
	p->cap = 65536;
	p->buf = xcalloc(1, p->cap);
	if (log_path) {
		p->log = fopen(log_path, "we");
		if (p->log) {
			fputs("+", p->log);
			for (int i = 0; argv[i]; i++)
				fprintf(p->log, " %s", argv[i]);
			fputs("\n", p->log);
		}
	}
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		return seterr(err, len, "pipe: %s", strerror(errno));
	p->pid = fork();
	if (p->pid < 0) {
		p->pid = 0;
		return seterr(err, len, "fork: %s", strerror(errno));
	}
	if (p->pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		/* the SIGINT invlab catches must not be ignored here */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		dup2(out[1], STDERR_FILENO);
		execvp(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	/* both sides: no window where a signal to the group misses it */
	setpgid(p->pid, p->pid);
	close(in[0]);
	close(out[1]);
	p->in = in[1];
	p->out = out[0];
	/* never block on it: a wedged child must not wedge invlab */
	fcntl(p->out, F_SETFL, fcntl(p->out, F_GETFL) | O_NONBLOCK);
	return read_prompt(p, timeout_s, err, len);
}

int dpdk_proc_cmd(struct dpdk_proc *p, const char *cmd, double timeout_s,
		  const char **out, char *err, size_t len)
{
	size_t consumed = strlen(p->buf) + strlen(p->prompt);
	char *line = xasprintf("%s\n", cmd);
	ssize_t n;
	int ret;

	/* drop the previous reply and its prompt, keep what came after */
	if (consumed <= p->len) {
		memmove(p->buf, p->buf + consumed, p->len - consumed);
		p->len -= consumed;
	} else {
		p->len = 0;
	}
	p->buf[p->len] = '\0';
	if (p->log)
		fprintf(p->log, "\n[invlab sends: %s]\n", cmd);
	n = write(p->in, line, strlen(line));
	free(line);
	if (n < 0)
		return seterr(err, len, "cannot send '%s' to %s: %s", cmd,
			      p->name, strerror(errno));
	ret = read_prompt(p, timeout_s, err, len);
	*out = p->buf;
	return ret;
}

static bool wait_gone(struct dpdk_proc *p, double timeout_s)
{
	if (!p->pid || child_wait(p->pid, timeout_s, &p->status)) {
		p->pid = 0;
		return true;
	}
	return false;
}

int dpdk_proc_stop(struct dpdk_proc *p, const char *quit_cmd, double timeout_s)
{
	int ret = -1;

	if (p->pid && quit_cmd && p->in >= 0) {
		char *line = xasprintf("%s\n", quit_cmd);

		if (write(p->in, line, strlen(line)) < 0)
			say("%s: cannot send %s: %s", p->name, quit_cmd,
			    strerror(errno));
		free(line);
	}
	if (p->in >= 0)
		close(p->in); /* EOF on its stdin ends an interactive prompt */
	p->in = -1;
	if (p->pid && !wait_gone(p, quit_cmd ? timeout_s : 0.5)) {
		say("%s (pid %d) did not exit; SIGTERM to its process group",
		    p->name, (int)p->pid);
		kill(-p->pid, SIGTERM);
		if (!wait_gone(p, 5)) {
			kill(-p->pid, SIGKILL);
			wait_gone(p, 5);
		}
	} else if (!p->pid && WIFEXITED(p->status)) {
		ret = WEXITSTATUS(p->status);
	}
	/* drain what it said last into the log */
	if (p->out >= 0) {
		char chunk[4096];
		ssize_t n;

		while ((n = read(p->out, chunk, sizeof(chunk))) > 0)
			logf_raw(p, chunk, (size_t)n);
		close(p->out);
	}
	p->out = -1;
	if (p->log)
		fclose(p->log);
	p->log = NULL;
	free(p->buf);
	p->buf = NULL;
	p->len = p->cap = 0;
	return ret;
}

const char *dpdk_proc_tail(const struct dpdk_proc *p, size_t n)
{
	size_t l = p->buf ? strlen(p->buf) : 0;

	return p->buf ? p->buf + (l > n ? l - n : 0) : "";
}
