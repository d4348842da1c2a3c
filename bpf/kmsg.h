/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AMD IOMMU driver's own timeout messages, counted from the kernel log
 * (/dev/kmsg): exact on every kernel, with no probe on the path. The
 * driver prints one line per command-buffer or completion-wait timeout.
 */
#ifndef INVLAB_KMSG_H
#define INVLAB_KMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kmsg_counts {
	uint64_t completion_wait_timeouts;
	uint64_t command_buffer_timeouts;
	uint64_t lost; /* records overwritten before they were read */
};

struct kmsg_watch {
	int fd; /* -1: not watching */
	struct kmsg_counts total; /* since kmsg_watch_open() */
	/* a record could not be read: from then on nothing is counted */
	bool broken;
};

/* Count one /dev/kmsg record ("prio,seq,ts,flags;text"). */
void kmsg_classify(const char *record, struct kmsg_counts *c);
/*
 * Watch path (normally /dev/kmsg) from its end. -1 with err naming it when
 * it cannot be read; w->fd stays -1.
 */
int kmsg_watch_open(struct kmsg_watch *w, const char *path, char *err,
		    size_t len);
/* Read what is new and add it to w->total. */
void kmsg_watch_poll(struct kmsg_watch *w);
void kmsg_watch_close(struct kmsg_watch *w);
void kmsg_counts_delta(const struct kmsg_counts *before,
		       const struct kmsg_counts *after,
		       struct kmsg_counts *out);

#endif
