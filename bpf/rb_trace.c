// SPDX-License-Identifier: GPL-2.0
#include "rb_trace.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <string.h>

static int write_record(void *ctx, void *data, size_t size)
{
	struct rb_trace *t = ctx;

	if (t->format(t->ctx, t->f, data, size) == 0)
		t->written++;
	return 0;
}

static void *poll_records(void *arg)
{
	struct rb_trace *t = arg;

	while (!t->stop)
		ring_buffer__poll(t->rb, 100);
	return NULL;
}

int rb_trace_start(struct rb_trace *t, int map_fd,
		   const volatile unsigned long long *dropped, const char *path,
		   rb_trace_format format, void *ctx, char *err, size_t err_len)
{
	int e;

	memset(t, 0, sizeof(*t));
	t->dropped = dropped;
	t->format = format;
	t->ctx = ctx;
	t->f = fopen(path, "w");
	if (!t->f) {
		snprintf(err, err_len, "cannot write %s: %s", path,
			 strerror(errno));
		return -1;
	}
	t->rb = ring_buffer__new(map_fd, write_record, t, NULL);
	if (!t->rb) {
		e = errno;
		fclose(t->f);
		t->f = NULL;
		snprintf(err, err_len, "ring buffer for %s: %s", path,
			 strerror(e));
		return -1;
	}
	e = pthread_create(&t->poller, NULL, poll_records, t);
	if (e) {
		ring_buffer__free(t->rb);
		t->rb = NULL;
		fclose(t->f);
		t->f = NULL;
		snprintf(err, err_len, "starting the reader of %s: %s", path,
			 strerror(e));
		return -1;
	}
	return 0;
}

int rb_trace_stop(struct rb_trace *t, unsigned long long *written,
		  unsigned long long *dropped)
{
	int ret = 0;

	if (!t->rb)
		return -1;
	t->stop = 1;
	pthread_join(t->poller, NULL);
	/* what arrived after the thread's last poll */
	ring_buffer__consume(t->rb);
	ring_buffer__free(t->rb);
	t->rb = NULL;
	if (fclose(t->f))
		ret = -1;
	t->f = NULL;
	*written = t->written;
	*dropped = *t->dropped;
	return ret;
}
