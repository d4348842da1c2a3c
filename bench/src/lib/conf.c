// SPDX-License-Identifier: GPL-2.0
#include "conf.h"

#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>

static int on_entry(void *user, const char *section, const char *key,
		    const char *value)
{
	struct conf *c = user;

	c->e = xgrow(c->e, &c->cap, c->n + 1, sizeof(*c->e));
	c->e[c->n++] = (struct conf_entry){ .section = xstrdup(section),
					    .key = xstrdup(key),
					    .value = xstrdup(value) };
	return 1;
}

#ifndef INI_MAX_LINE
#define INI_MAX_LINE 200
#endif

/* inih reports an over-long line as a syntax error: tell them apart. */
static size_t line_length(const char *path, int lineno)
{
	size_t len = 0;
	char *text = read_file(path, NULL), *p = text;

	for (int i = 1; p && i < lineno; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	if (p)
		len = strcspn(p, "\n");
	free(text);
	return len;
}

int conf_load(const char *path, struct conf *c, char *err, size_t err_len)
{
	int line;

	memset(c, 0, sizeof(*c));
	c->path = xstrdup(path);
	line = ini_parse(path, on_entry, c);
	if (line == -1)
		seterr(err, err_len, "cannot open %s: %s", path,
		       strerror(errno));
	else if (line > 0 && line_length(path, line) >= INI_MAX_LINE - 1)
		seterr(err, err_len, "%s:%d: line longer than %d characters",
		       path, line, INI_MAX_LINE - 2);
	else if (line > 0)
		seterr(err, err_len,
		       "%s:%d: not valid INI (expected [section] or key = value)",
		       path, line);
	else if (line < 0)
		seterr(err, err_len, "%s: out of memory reading it", path);
	if (line) {
		conf_free(c);
		return -1;
	}
	return 0;
}

void conf_free(struct conf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->e[i].section);
		free(c->e[i].key);
		free(c->e[i].value);
	}
	free(c->e);
	free(c->path);
	memset(c, 0, sizeof(*c));
}

const char *conf_get(const struct conf *c, const char *section, const char *key)
{
	const char *v = NULL;

	for (size_t i = 0; i < c->n; i++) {
		if (!strcmp(c->e[i].section, section) &&
		    !strcmp(c->e[i].key, key))
			v = c->e[i].value;
	}
	return v;
}

bool conf_has_section(const struct conf *c, const char *section)
{
	for (size_t i = 0; i < c->n; i++) {
		if (!strcmp(c->e[i].section, section))
			return true;
	}
	return false;
}

void conf_sections(const struct conf *c, struct strv *out)
{
	for (size_t i = 0; i < c->n; i++) {
		bool seen = false;

		for (size_t j = 0; j < out->n && !seen; j++)
			seen = !strcmp(out->v[j], c->e[i].section);
		if (!seen)
			strv_add(out, c->e[i].section);
	}
}

const char *conf_require(const struct conf *c, const char *section,
			 const char *key, char *err, size_t err_len)
{
	const char *v = conf_get(c, section, key);

	if (!v || !*v)
		seterr(err, err_len, "%s: [%s] needs %s = ...", c->path,
		       section, key);
	return v && *v ? v : NULL;
}

int conf_get_long(const struct conf *c, const char *section, const char *key,
		  long def, long min, long max, long *out, char *err,
		  size_t err_len)
{
	const char *v = conf_get(c, section, key);
	char *end;
	long n;

	if (!v) {
		*out = def;
		return 0;
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < min || n > max)
		return seterr(
			err, err_len,
			"%s: [%s] %s = %s: expected a whole number from %ld to %ld",
			c->path, section, key, v, min, max);
	*out = n;
	return 0;
}
