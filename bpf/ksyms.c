// SPDX-License-Identifier: GPL-2.0
#include "ksyms.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static bool is_variant(const char *sym, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(sym, name, n) != 0 || sym[n] != '.')
		return false;
	/* A .cold fragment is the unlikely half of a split function. */
	return strstr(sym + n, ".cold") == NULL;
}

/*
 * name.part.N is what partial inlining leaves out of line: only the calls
 * that get past the part inlined into the callers reach it.
 */
static bool is_partial(const char *sym)
{
	return strstr(sym, ".part.") != NULL;
}

/* Close a file read to the end: 0, or -errno if reading it failed. */
static int close_read(FILE *f)
{
	int e = ferror(f) ? (errno ? errno : EIO) : 0;

	fclose(f);
	return -e;
}

int ksyms_resolve_all(const char *kallsyms_path, struct ksym_query *q, size_t n)
{
	char line[512];
	FILE *f = fopen(kallsyms_path, "r");
	size_t left = n;

	if (!f)
		return -errno;
	for (size_t i = 0; i < n; i++) {
		q[i].found[0] = '\0';
		q[i].exact = false;
		q[i].partial = false;
		q[i].ret = -ENOENT;
	}
	while (left && fgets(line, sizeof(line), f)) {
		char type, sym[256];

		/* address type name [module] */
		if (sscanf(line, "%*s %c %255s", &type, sym) != 2)
			continue;
		if (type != 't' && type != 'T')
			continue;
		for (size_t i = 0; i < n; i++) {
			if (q[i].exact)
				continue;
			if (strcmp(sym, q[i].name) == 0) {
				/* An exact match wins over any variant. */
				snprintf(q[i].found, sizeof(q[i].found), "%s",
					 sym);
				q[i].exact = true;
				q[i].partial = false;
				q[i].ret = 0;
				left--;
			} else if (is_variant(sym, q[i].name) &&
				   (!q[i].found[0] ||
				    (q[i].partial && !is_partial(sym)))) {
				/* a whole-function clone beats a .part one */
				snprintf(q[i].found, sizeof(q[i].found), "%s",
					 sym);
				q[i].partial = is_partial(sym);
				q[i].ret = 0;
			}
		}
	}
	return close_read(f);
}

int ksyms_resolve(const char *kallsyms_path, const char *name, char *found,
		  size_t found_len, bool *exact)
{
	struct ksym_query q = { .name = name };
	int ret = ksyms_resolve_all(kallsyms_path, &q, 1);

	if (ret)
		return ret;
	if (q.ret)
		return q.ret;
	snprintf(found, found_len, "%s", q.found);
	*exact = q.exact;
	return 0;
}

int ksyms_check_traceable(const char *filter_functions_path,
			  struct ksym_query *q, size_t n)
{
	FILE *f = fopen(filter_functions_path, "r");
	char line[512];

	if (!f)
		return -errno;
	for (size_t i = 0; i < n; i++)
		q[i].traceable = false;
	while (fgets(line, sizeof(line), f)) {
		char a[256], b[256], *sym = a;
		int got = sscanf(line, "%255s %255s", a, b);

		/* the _addrs variant: "ffffffff81234560 name [module]" */
		if (got == 2 && b[0] != '[')
			sym = b;
		if (got < 1)
			continue;
		for (size_t i = 0; i < n; i++) {
			if (!q[i].ret && !strcmp(sym, q[i].found))
				q[i].traceable = true;
		}
	}
	return close_read(f);
}
