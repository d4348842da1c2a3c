/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INI-style data files (suites, QEMU topologies, workloads), read with inih.
 * Entries keep their file order; sections may repeat keys only where the
 * reader says so.
 */
#ifndef INVLAB_CONF_H
#define INVLAB_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct conf_entry {
	char *section;
	char *key;
	char *value;
};

struct conf {
	char *path;
	struct conf_entry *e;
	size_t n, cap;
};

int conf_load(const char *path, struct conf *c, char *err, size_t err_len);
void conf_free(struct conf *c);
/* The last value of key in section, or NULL. */
const char *conf_get(const struct conf *c, const char *section,
		     const char *key);
/* Section names in file order, each once. */
void conf_sections(const struct conf *c, struct strv *out);
bool conf_has_section(const struct conf *c, const char *section);
/* An integer in [min, max]; def when absent. Errors name file, section, key. */
int conf_get_long(const struct conf *c, const char *section, const char *key,
		  long def, long min, long max, long *out, char *err,
		  size_t err_len);
/* Like conf_get, but a missing key is an error naming the file. */
const char *conf_require(const struct conf *c, const char *section,
			 const char *key, char *err, size_t err_len);

#endif
