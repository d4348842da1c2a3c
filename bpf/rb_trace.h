/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A per-event trace: a thread drains a BPF ring buffer while the workload
 * runs and writes each record as one JSON line (the caller's formatter).
 * Shared by the fanout probe (lab tracepoints) and the fnfan fallback
 * (stock kernels).
 */
#ifndef INVLAB_RB_TRACE_H
#define INVLAB_RB_TRACE_H

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

/* Write one record to f as a JSON line; 0 to go on. */
typedef int (*rb_trace_format)(void *ctx, FILE *f, const void *rec,
			       size_t size);

struct rb_trace {
	struct ring_buffer *rb;
	FILE *f;
	pthread_t poller;
	volatile int stop;
	unsigned long long written;
	/* the BPF side's count of records it had no room for */
	const volatile unsigned long long *dropped;
	rb_trace_format format;
	void *ctx;
};

/*
 * Start draining the ring buffer map_fd into path; dropped is the BPF
 * program's counter of records the ring had no room for. -1 with err.
 */
int rb_trace_start(struct rb_trace *t, int map_fd,
		   const volatile unsigned long long *dropped, const char *path,
		   rb_trace_format format, void *ctx, char *err,
		   size_t err_len);
/*
 * Drain the rest and close, giving the records written and dropped: 0, or
 * -1 when the file was not written whole (or no trace was running).
 */
int rb_trace_stop(struct rb_trace *t, unsigned long long *written,
		  unsigned long long *dropped);
static inline int rb_trace_running(const struct rb_trace *t)
{
	return t->rb != NULL;
}

#endif
