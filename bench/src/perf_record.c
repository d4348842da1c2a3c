// SPDX-License-Identifier: GPL-2.0
#include "perf_record.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

int perf_record_start(struct perf_record *p, const char *out_dir, char *err,
		      size_t err_len)
{
	snprintf(p->data, sizeof(p->data), "%s/perf.data", out_dir);
	snprintf(p->log, sizeof(p->log), "%s/perf-record.log", out_dir);
	snprintf(p->tmpdir, sizeof(p->tmpdir), "/tmp/invlab-perf-XXXXXX");
	if (!mkdtemp(p->tmpdir))
		return seterr(
			err, err_len,
			"perf record: cannot make a directory in /tmp: %s",
			strerror(errno));
	snprintf(p->tmp, sizeof(p->tmp), "%s/perf.data", p->tmpdir);
	p->pid = fork();
	if (p->pid < 0)
		return seterr(err, err_len, "fork for perf record: %s",
			      strerror(errno));
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
		execlp("perf", "perf", "record", "-a", "-g", "-o", p->tmp,
		       (char *)NULL);
		_exit(127);
	}
	return 0;
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
		json_object_object_add(o, "events", events);
	}
	json_object_object_add(o, "log",
			       json_object_new_string("perf-record.log"));
	free(log);
	return o;
}
