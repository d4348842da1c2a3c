/* SPDX-License-Identifier: GPL-2.0 */
#ifndef INVLAB_KSYMS_H
#define INVLAB_KSYMS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Find a kernel function by its source name in a kallsyms-format file. The
 * compiler may have renamed it (name.isra.0, name.part.0, name.constprop.0,
 * name.cold): an exact match wins, then the first whole-function clone, then
 * the first .part clone, never a .cold fragment. Returns 0 and fills found (and exact), -ENOENT if
 * neither exists, or -errno if the file cannot be read.
 */
int ksyms_resolve(const char *kallsyms_path, const char *name, char *found,
		  size_t found_len, bool *exact);

/* One name to resolve; ret is what ksyms_resolve would return for it. */
struct ksym_query {
	const char *name;
	char found[256];
	bool exact;
	int ret;
	/*
	 * found is a .part.N clone: only part of the function, so not every
	 * call reaches it (a whole-function clone is preferred when both exist)
	 */
	bool partial;
	/* after ksyms_check_traceable(): found is in its list */
	bool traceable;
};

/*
 * ksyms_resolve for several names in one pass over the file (reading
 * /proc/kallsyms is slow in a TCG guest). Returns -errno if the file cannot
 * be read, else 0 with each query's ret set.
 */
int ksyms_resolve_all(const char *kallsyms_path, struct ksym_query *q,
		      size_t n);

/*
 * Which found symbols ftrace can hook: those listed in tracefs's
 * available_filter_functions ("name" or "name [module]" per line, or with
 * an address first in available_filter_functions_addrs). fentry and
 * ftrace-based kprobes need it; a notrace or blacklisted function is in
 * kallsyms but not there. Returns -errno if the file cannot be read.
 */
int ksyms_check_traceable(const char *filter_functions_path,
			  struct ksym_query *q, size_t n);

#endif
