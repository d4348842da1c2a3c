// SPDX-License-Identifier: GPL-2.0
#include "perf_record.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/util.h"

/* Stop a perf that never got ready; its log says why. */
static int not_ready(struct perf_record *p, const char *why, char *err,
		     size_t err_len)
{
	char *log;

	if (p->pid > 0) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
	}
	p->pid = 0;
	log = read_file(p->log, NULL);
	seterr(err, err_len, "perf record %s%s%.300s", why,
	       log && *log ? "; perf said: " : "", log ? log : "");
	free(log);
	unlink(p->ctl);
	unlink(p->ack);
	unlink(p->tmp);
	rmdir(p->tmpdir);
	return -1;
}

/*
 * Enable the events through the control FIFO and wait for perf's ack,
 * which it sends from its main loop, after its setup: from then on the
 * samples are recorded.
 */
static int wait_ready(struct perf_record *p, char *err, size_t err_len)
{
	/* O_RDWR: a FIFO opened so never blocks, whether perf is there yet */
	int ctl = open(p->ctl, O_RDWR | O_CLOEXEC);
	int ack = open(p->ack, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	double t0 = monotonic_s();
	char buf[16] = "";
	int ret = -1;

	if (ctl < 0 || ack < 0 || write(ctl, "enable\n", 7) != 7) {
		ret = not_ready(p, "could not be told to start", err, err_len);
		goto out;
	}
	for (int waited = 0; waited < PERF_RECORD_READY_TIMEOUT_S; waited++) {
		struct pollfd pfd = { .fd = ack, .events = POLLIN };
		int status;

		if (poll(&pfd, 1, 1000) > 0 && read(ack, buf, 15) > 0) {
			p->ready_s = monotonic_s() - t0;
			ret = 0;
			goto out;
		}
		if (waitpid(p->pid, &status, WNOHANG) == p->pid) {
			p->pid = 0;
			ret = not_ready(
				p,
				WIFEXITED(status) &&
						WEXITSTATUS(status) == 127 ?
					"could not start: perf is not installed (Debian: linux-perf)" :
					"stopped before it was ready",
				err, err_len);
			goto out;
		}
		if (waited && waited % 10 == 0)
			say("perf record: still setting up after %d s", waited);
	}
	ret = not_ready(p, "was not ready in time", err, err_len);
out:
	if (ctl >= 0)
		close(ctl);
	if (ack >= 0)
		close(ack);
	return ret;
}

int perf_record_start(struct perf_record *p, const char *out_dir, char *err,
		      size_t err_len)
{
	char *control;

	snprintf(p->data, sizeof(p->data), "%s/perf.data", out_dir);
	snprintf(p->log, sizeof(p->log), "%s/perf-record.log", out_dir);
	snprintf(p->tmpdir, sizeof(p->tmpdir), "/tmp/invlab-perf-XXXXXX");
	if (!mkdtemp(p->tmpdir))
		return seterr(
			err, err_len,
			"perf record: cannot make a directory in /tmp: %s",
			strerror(errno));
	snprintf(p->tmp, sizeof(p->tmp), "%s/perf.data", p->tmpdir);
	snprintf(p->ctl, sizeof(p->ctl), "%s/ctl", p->tmpdir);
	snprintf(p->ack, sizeof(p->ack), "%s/ack", p->tmpdir);
	if (mkfifo(p->ctl, 0600) || mkfifo(p->ack, 0600)) {
		int e = errno;

		unlink(p->ctl);
		unlink(p->ack);
		rmdir(p->tmpdir);
		return seterr(err, err_len,
			      "perf record: cannot make its control FIFOs: %s",
			      strerror(e));
	}
	control = xasprintf("fifo:%s,%s", p->ctl, p->ack);
	p->pid = fork();
	if (p->pid < 0) {
		free(control);
		p->pid = 0;
		return not_ready(p, "could not be started (fork failed)", err,
				 err_len);
	}
	if (p->pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		int log = open(p->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (null >= 0)
			dup2(null, 0);
		if (log >= 0) {
			dup2(log, 1);
			dup2(log, 2);
		}
		/* its own group: a Ctrl-C meant for invlab is invlab's */
		setpgid(0, 0);
		execlp("perf", "perf", "record", "-a", "-g", "-D", "-1",
		       "--control", control, "-o", p->tmp, (char *)NULL);
		_exit(127);
	}
	free(control);
	return wait_ready(p, err, err_len);
}

long perf_record_samples(const char *log)
{
	const char *m = log ? strstr(log, "[ perf record: Captured and wrote") :
			      NULL;
	const char *s = m ? strstr(m, " samples") : NULL;
	const char *b = s;

	if (!s)
		return -1;
	while (b > m && b[-1] >= '0' && b[-1] <= '9')
		b--;
	return b < s ? strtol(b, NULL, 10) : -1;
}

/* The events in the recording, as perf evlist names them. */
static json_object *events_recorded(const char *data)
{
	char *list = xasprintf("%s.evlist", data), *text;
	json_object *a = NULL;

	if (run_cmd_io((char *const[]){ "perf", "evlist", "-i", (char *)data,
					NULL },
		       list, "/dev/null") == 0 &&
	    (text = read_file(list, NULL))) {
		char *save = NULL;

		a = json_object_new_array();
		for (char *l = strtok_r(text, "\n", &save); l;
		     l = strtok_r(NULL, "\n", &save))
			if (l[0] != '#')
				json_object_array_add(
					a, json_object_new_string(l));
		free(text);
	}
	unlink(list);
	free(list);
	return a;
}

/* Copy src to dst (a different file system: no rename); 0 or -errno. */
static int copy_file(const char *src, const char *dst)
{
	int in = open(src, O_RDONLY), out = -1, ret = 0;
	char buf[1 << 16];
	ssize_t n;

	if (in < 0)
		return -errno;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (out < 0) {
		ret = -errno;
		goto done;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, (size_t)n) != n) {
			ret = -EIO;
			break;
		}
	}
	if (n < 0)
		ret = -errno;
	if (close(out) && !ret)
		ret = -EIO;
done:
	close(in);
	return ret;
}

json_object *perf_record_stop(struct perf_record *p)
{
	json_object *o = json_object_new_object(), *events = NULL;
	const char *error = NULL;
	struct stat st;
	int status = 0;
	char *log;
	long n;

	if (p->pid <= 0)
		return o;
	kill(p->pid, SIGINT);
	waitpid(p->pid, &status, 0);
	p->pid = 0;
	log = read_file(p->log, NULL);
	n = perf_record_samples(log);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		error = "perf is not installed (Debian: linux-perf)";
	else if (n < 0 || stat(p->tmp, &st))
		error = "perf record wrote no complete perf.data: see perf-record.log";
	if (!error) {
		events = events_recorded(p->tmp);
		if (copy_file(p->tmp, p->data))
			error = "cannot copy perf.data into the output directory";
	}
	unlink(p->tmp);
	unlink(p->ctl);
	unlink(p->ack);
	rmdir(p->tmpdir);
	if (error) {
		json_object_put(events);
		json_object_object_add(o, "error",
				       json_object_new_string(error));
	} else {
		json_object_object_add(o, "file",
				       json_object_new_string("perf.data"));
		json_object_object_add(o, "bytes",
				       json_object_new_int64(st.st_size));
		json_object_object_add(o, "samples", json_object_new_int64(n));
		/* perf records nothing before it is ready; invlab waited */
		json_object_object_add(o, "ready_after_s",
				       json_object_new_double(p->ready_s));
		json_object_object_add(o, "events", events);
	}
	json_object_object_add(o, "log",
			       json_object_new_string("perf-record.log"));
	free(log);
	return o;
}
