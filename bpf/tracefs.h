/* SPDX-License-Identifier: GPL-2.0 */
/* tracefs: a private trace instance, event switches and the text trace. */
#ifndef INVLAB_TRACEFS_H
#define INVLAB_TRACEFS_H

#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"
#include "lib/util.h"

/* Where tracefs is mounted (/sys/kernel/tracing, or under debugfs), or NULL. */
const char *tracefs_root(void);

/* Names of the events of one trace system ("amd_iommu") in tracefs. */
int tracefs_events(const char *root, const char *system, struct strv *names);

/*
 * A trace instance of our own (instances/NAME), so nobody else's tracing is
 * disturbed. Returns its directory, or NULL with err set.
 */
char *tracefs_instance_create(const char *root, const char *name, char *err,
			      size_t len);
void tracefs_instance_remove(const char *inst);

/* Write val to dir/file; -1 with err naming the file on failure. */
int tracefs_write(const char *dir, const char *file, const char *val, char *err,
		  size_t len);

/* Sum of the "overrun" lines of an instance's per-CPU stats: lost events. */
uint64_t tracefs_overrun(const char *inst);

/*
 * One line of the text trace: "  comm-pid [cpu] flags ts: event: fields".
 * On success event holds the event name and *fields points at its fields.
 */
int tracefs_parse_line(const char *line, char *event, size_t event_len,
		       const char **fields);
/* The value of "name=value" in a fields string (number, any base). */
int tracefs_field_u64(const char *fields, const char *name, uint64_t *v);
/* The value of "name=word" as a string (copied into buf). */
int tracefs_field_str(const char *fields, const char *name, char *buf,
		      size_t len);

/*
 * Check q (resolved) against tracefs's available_filter_functions: the
 * functions ftrace cannot hook get traceable false. Says in how what was
 * checked, or why nothing was (then every q is taken as traceable).
 */
void tracefs_check_traceable(struct ksym_query *q, size_t n, char *how,
			     size_t len);

#endif
