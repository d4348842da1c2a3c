// SPDX-License-Identifier: GPL-2.0
#include "kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* drivers/iommu/amd/iommu.c: wait_on_sem() and __iommu_queue_command_sync() */
#define CW_TIMEOUT "Completion-Wait loop timed out"
#define CMDBUF_TIMEOUT "Command buffer timeout"

void kmsg_classify(const char *record, struct kmsg_counts *c)
{
	const char *text = strchr(record, ';');

	text = text ? text + 1 : record;
	/* one line per record; continuation lines start with a space */
	if (strstr(text, CW_TIMEOUT))
		c->completion_wait_timeouts++;
	else if (strstr(text, CMDBUF_TIMEOUT))
		c->command_buffer_timeouts++;
}

int kmsg_watch_open(struct kmsg_watch *w, const char *path, char *err,
		    size_t len)
{
	memset(w, 0, sizeof(*w));
	w->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (w->fd < 0) {
		snprintf(err, len, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	if (lseek(w->fd, 0, SEEK_END) < 0) {
		snprintf(err, len, "cannot seek to the end of %s: %s", path,
			 strerror(errno));
		close(w->fd);
		w->fd = -1;
		return -1;
	}
	return 0;
}

void kmsg_watch_poll(struct kmsg_watch *w)
{
	/* the largest record /dev/kmsg gives (CONSOLE_EXT_LOG_MAX), and a NUL */
	char rec[8192 + 1];

	if (w->fd < 0 || w->broken)
		return;
	for (;;) {
		/* each read() returns exactly one record */
		ssize_t n = read(w->fd, rec, sizeof(rec) - 1);

		if (n < 0 && errno == EPIPE) {
			/* overwritten before we read them: count unknown */
			w->total.lost++;
			continue;
		}
		if (n < 0 && errno != EAGAIN) {
			/* EINVAL: a record we cannot take; it would block us */
			w->broken = true;
			return;
		}
		if (n <= 0)
			return;
		rec[n] = '\0';
		kmsg_classify(rec, &w->total);
	}
}

void kmsg_watch_close(struct kmsg_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

void kmsg_counts_delta(const struct kmsg_counts *before,
		       const struct kmsg_counts *after, struct kmsg_counts *out)
{
	out->completion_wait_timeouts = after->completion_wait_timeouts -
					before->completion_wait_timeouts;
	out->command_buffer_timeouts = after->command_buffer_timeouts -
				       before->command_buffer_timeouts;
	out->lost = after->lost - before->lost;
}
