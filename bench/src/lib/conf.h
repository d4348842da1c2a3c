/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INI-style data files (suites, QEMU topologies, the metric policy, the
 * probes' lists), read with inih. Entries keep their file order and their
 * line. conf_load only reads; each reader then checks the file against
 * the table of what it reads (conf_check): unknown sections and keys, a key
 * or a section given twice, a word given twice in a list are errors naming
 * the file and line, with "did you mean" for a near miss.
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
	int line;
};

/* A [section] line, as written (a section may be given more than once). */
struct conf_header {
	char *name;
	int line;
};

struct conf {
	char *path;
	struct conf_entry *e;
	size_t n, cap;
	struct conf_header *hdr;
	size_t nhdr, hdrcap;
};

/*
 * Read an INI file: a syntax error, an over-long line, an indented line
 * (inih would take it as the continuation of the key above) are errors
 * naming the file and line. Nothing is checked against a reader's table.
 */
int conf_load(const char *path, struct conf *c, char *err, size_t err_len);
void conf_free(struct conf *c);

/* Key flags in a reader's table. */
/* A list of words (strv_split: spaces and commas): each word at most once. */
#define CONF_LIST (1u << 0)
/* The first flag bit a reader may use for itself (topology: QEMU property). */
#define CONF_OWN_FLAG (1u << 8)

/* A key a section allows; a table of them ends with { NULL }. */
struct conf_key {
	const char *name; /* "*": any key (a [matrix] parameter) */
	unsigned int flags;
};

/* { "*" }: any key. */
extern const struct conf_key conf_any_key[];

/* A section a kind of file allows; a table of them ends with { NULL }. */
struct conf_section {
	/*
	 * "suite": that section. "device *": [device NAME] for any one-word
	 * NAME. "*": any section no other line of the table names (a metric
	 * of the policy).
	 */
	const char *name;
	const struct conf_key *keys;
	/*
	 * A section whose keys depend on its type, the value of type_key
	 * ([workload] type, [device NAME] driver): type_keys gives the keys of
	 * that type besides keys, NULL for a type it does not know. While the
	 * type is missing or unknown the section's other keys go unchecked:
	 * the reader's error about the type comes instead.
	 */
	const char *type_key;
	const struct conf_key *(*type_keys)(const char *type);
};

/*
 * Check c against the table of its reader: every [section] and key known,
 * no section or key given twice, no word twice in a CONF_LIST value. The
 * first error in file order, as FILE:LINE: ...
 */
int conf_check(const struct conf *c, const struct conf_section *sections,
	       char *err, size_t err_len);
/* The entry of name in keys, or NULL ("*" matches any name). */
const struct conf_key *conf_key_find(const struct conf_key *keys,
				     const char *name);

/* The entry of key in section (the last), or NULL. */
const struct conf_entry *conf_find(const struct conf *c, const char *section,
				   const char *key);
/* The value of key in section (the last), or NULL. */
const char *conf_get(const struct conf *c, const char *section,
		     const char *key);
/* Section names in file order, each once, empty ones too. */
void conf_sections(const struct conf *c, struct strv *out);
bool conf_has_section(const struct conf *c, const char *section);
/* The line of the first [section] line of that name; 0 when there is none. */
int conf_section_line(const struct conf *c, const char *section);
/*
 * An error about a value: "FILE:LINE: [SECTION] KEY = VALUE: " and the
 * message; for a key not in the file "FILE: [SECTION] KEY: ", and for a
 * NULL key "FILE:LINE: [SECTION]: " (the section's line). Returns -1.
 */
int conf_err(const struct conf *c, const char *section, const char *key,
	     char *err, size_t err_len, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* An integer in [min, max]; def when absent. Errors name file:line. */
int conf_get_long(const struct conf *c, const char *section, const char *key,
		  long def, long min, long max, long *out, char *err,
		  size_t err_len);
/* A finite number in [min, max]; def when absent. */
int conf_get_double(const struct conf *c, const char *section, const char *key,
		    double def, double min, double max, double *out, char *err,
		    size_t err_len);
/* yes/on/true or no/off/false; def when absent. */
int conf_get_bool(const struct conf *c, const char *section, const char *key,
		  bool def, bool *out, char *err, size_t err_len);
/*
 * Like conf_get, but a missing or empty key is an error naming the file
 * (and the section's line); a key of the section that is a near miss of it
 * is named instead ("unknown key 'tpye' (did you mean 'type'?)").
 */
const char *conf_require(const struct conf *c, const char *section,
			 const char *key, char *err, size_t err_len);

#endif
