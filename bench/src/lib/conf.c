// SPDX-License-Identifier: GPL-2.0
#include "conf.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef INI_MAX_LINE
#define INI_MAX_LINE 200
#endif
/* inih's section buffer (MAX_SECTION in ini.c): longer names are cut. */
#define INI_MAX_SECTION 50

const struct conf_key conf_any_key[] = { { "*", 0 }, { NULL, 0 } };

/*
 * inih reads the file line by line through next_line, so every entry
 * knows its line and every [section] line is seen, empty sections too.
 */
struct reader {
	struct conf *c;
	const char *p, *end; /* the text not read yet */
	int line; /* the line inih is at */
	bool indented; /* it starts with white space */
	int last_header; /* the line of the last [section] */
	int err_line; /* the first error of ours, or 0 */
	char err[ERRLEN];
};

__attribute__((format(printf, 2, 3))) static char *stop(struct reader *r,
							const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	r->err_line = r->line;
	return NULL;
}

static char *next_line(char *buf, int size, void *stream)
{
	struct reader *r = stream;
	const char *nl, *start;
	size_t n;

	if (r->err_line || r->p >= r->end)
		return NULL;
	nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	n = nl ? (size_t)(nl - r->p) + 1 : (size_t)(r->end - r->p);
	r->line++;
	if (memchr(r->p, '\0', n))
		return stop(r, "a NUL byte: this is not a text file");
	if (n >= (size_t)size)
		return stop(r, "line longer than %d characters", size - 2);
	memcpy(buf, r->p, n);
	buf[n] = '\0';
	r->p += n;
	start = buf;
	if (r->line == 1 && !strncmp(start, "\xef\xbb\xbf", 3))
		start += 3;
	r->indented = isspace((unsigned char)*start);
	while (isspace((unsigned char)*start))
		start++;
	if (*start == '[' && strchr(start, ']')) {
		struct conf *c = r->c;
		size_t len = strcspn(start + 1, "]");

		if (len >= INI_MAX_SECTION)
			return stop(r, "section name longer than %d characters",
				    INI_MAX_SECTION - 1);
		c->hdr =
			xgrow(c->hdr, &c->hdrcap, c->nhdr + 1, sizeof(*c->hdr));
		c->hdr[c->nhdr++] = (struct conf_header){
			.name = xasprintf("%.*s", (int)len, start + 1),
			.line = r->line
		};
		r->last_header = r->line;
	}
	return buf;
}

static int on_entry(void *user, const char *section, const char *key,
		    const char *value)
{
	struct reader *r = user;
	struct conf *c = r->c;
	const struct conf_entry *last = c->n ? &c->e[c->n - 1] : NULL;

	/* inih continues the key above with an indented line: say so */
	if (r->indented && last && last->line > r->last_header &&
	    !strcmp(last->section, section) && !strcmp(last->key, key)) {
		stop(r,
		     "an indented line continues [%s] %s from line %d: write the value on one line, and no line indented",
		     section, key, last->line);
		return 0;
	}
	c->e = xgrow(c->e, &c->cap, c->n + 1, sizeof(*c->e));
	c->e[c->n++] = (struct conf_entry){ .section = xstrdup(section),
					    .key = xstrdup(key),
					    .value = xstrdup(value),
					    .line = r->line };
	return 1;
}

int conf_load(const char *path, struct conf *c, char *err, size_t err_len)
{
	struct reader r = { .c = c };
	size_t len;
	char *text;
	int line;

	memset(c, 0, sizeof(*c));
	c->path = xstrdup(path);
	text = read_file(path, &len);
	if (!text) {
		seterr(err, err_len, "cannot open %s: %s", path,
		       strerror(errno));
		conf_free(c);
		return -1;
	}
	r.p = text;
	r.end = text + len;
	line = ini_parse_stream(next_line, &r, on_entry, &r);
	free(text);
	if (line > 0 && line != r.err_line)
		seterr(err, err_len,
		       "%s:%d: not valid INI (expected [section] or key = value)",
		       path, line);
	else if (r.err_line)
		seterr(err, err_len, "%s:%d: %s", path, r.err_line, r.err);
	else if (line < 0)
		seterr(err, err_len, "%s: out of memory reading it", path);
	if (line || r.err_line) {
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
	for (size_t i = 0; i < c->nhdr; i++)
		free(c->hdr[i].name);
	free(c->e);
	free(c->hdr);
	free(c->path);
	memset(c, 0, sizeof(*c));
}

const struct conf_entry *conf_find(const struct conf *c, const char *section,
				   const char *key)
{
	const struct conf_entry *e = NULL;

	for (size_t i = 0; i < c->n; i++) {
		if (!strcmp(c->e[i].section, section) &&
		    !strcmp(c->e[i].key, key))
			e = &c->e[i];
	}
	return e;
}

const char *conf_get(const struct conf *c, const char *section, const char *key)
{
	const struct conf_entry *e = conf_find(c, section, key);

	return e ? e->value : NULL;
}

int conf_section_line(const struct conf *c, const char *section)
{
	for (size_t i = 0; i < c->nhdr; i++) {
		if (!strcmp(c->hdr[i].name, section))
			return c->hdr[i].line;
	}
	return 0;
}

bool conf_has_section(const struct conf *c, const char *section)
{
	return conf_section_line(c, section) > 0;
}

void conf_sections(const struct conf *c, struct strv *out)
{
	for (size_t i = 0; i < c->nhdr; i++) {
		if (conf_section_line(c, c->hdr[i].name) == c->hdr[i].line)
			strv_add(out, c->hdr[i].name);
	}
}

/* ---- checking a file against its reader's table ---------------------- */

/* Edits (adjacent swaps count one) from a to b, ignoring case. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d[64][64];

	if (la >= 64 || lb >= 64)
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned char)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned char)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int x = tolower((unsigned char)a[i - 1]);
			int y = tolower((unsigned char)b[j - 1]);
			unsigned int v = d[i - 1][j - 1] + (x != y);

			if (d[i - 1][j] + 1u < v)
				v = d[i - 1][j] + 1u;
			if (d[i][j - 1] + 1u < v)
				v = d[i][j - 1] + 1u;
			if (i > 1 && j > 1 &&
			    x == tolower((unsigned char)b[j - 2]) &&
			    y == tolower((unsigned char)a[i - 2]) &&
			    d[i - 2][j - 2] + 1u < v)
				v = d[i - 2][j - 2] + 1u;
			d[i][j] = (unsigned char)v;
		}
	}
	return d[la][lb];
}

/* How near word is to name, a name of the table: SIZE_MAX when not near. */
static size_t nearness(const char *word, const char *name)
{
	size_t d = distance(word, name);

	return d <= (strlen(name) <= 3 ? 1u : 2u) ? d : SIZE_MAX;
}

static bool is_pattern(const char *name)
{
	size_t n = strlen(name);

	return n > 2 && !strcmp(name + n - 2, " *");
}

/* The table's line for a section: its own name, else a pattern, else "*". */
static const struct conf_section *find_section(const struct conf_section *t,
					       const char *name)
{
	const struct conf_section *pattern = NULL, *any = NULL;

	for (; t->name; t++) {
		size_t n = strlen(t->name) - 1; /* "device " of "device *" */

		if (!strcmp(t->name, name))
			return t;
		if (!strcmp(t->name, "*"))
			any = t;
		else if (is_pattern(t->name) && !strncmp(name, t->name, n) &&
			 name[n] && !strchr(name + n, ' '))
			pattern = t;
	}
	return pattern ? pattern : any;
}

/* The section of the table nearest to name, as "[name]" into buf. */
static bool near_section(const struct conf_section *t, const char *name,
			 char *buf, size_t len)
{
	size_t best = SIZE_MAX, word = strcspn(name, " "), d;

	for (; t->name; t++) {
		if (!strcmp(t->name, "*"))
			continue;
		if (!is_pattern(t->name)) {
			d = nearness(name, t->name);
			if (d < best)
				snprintf(buf, len, "[%s]", t->name);
		} else {
			/* [devcie nic0]: its first word against "device" */
			char *first = xasprintf("%.*s", (int)word, name);
			char *kind = xasprintf("%.*s", (int)strlen(t->name) - 2,
					       t->name);

			d = nearness(first, kind);
			/* [device a b]: NAME is one word */
			if (d < best)
				snprintf(buf, len, "[%s%s]", kind,
					 name[word] && strcmp(first, kind) ?
						 name + word :
						 " NAME");
			free(first);
			free(kind);
		}
		best = d < best ? d : best;
	}
	return best != SIZE_MAX;
}

static void add_or(char **list, size_t i, size_t n, const char *fmt,
		   const char *name)
{
	char *item = xasprintf(fmt, name);
	char *t = xasprintf("%s%s%s", *list,
			    !i	       ? "" :
			    i + 1 == n ? " or " :
					 ", ",
			    item);

	free(item);
	free(*list);
	*list = t;
}

static int unknown_section(const struct conf *c, const struct conf_section *t,
			   const char *name, int line, char *err, size_t len)
{
	char near[128], *list = xstrdup("");
	size_t n = 0, i = 0;

	if (near_section(t, name, near, sizeof(near))) {
		free(list);
		return seterr(err, len,
			      "%s:%d: unknown section [%s] (did you mean %s?)",
			      c->path, line, name, near);
	}
	for (const struct conf_section *s = t; s->name; s++)
		n++;
	for (const struct conf_section *s = t; s->name; s++, i++) {
		char *kind = xasprintf("%.*s",
				       (int)strlen(s->name) -
					       (is_pattern(s->name) ? 2 : 0),
				       s->name);

		add_or(&list, i, n, is_pattern(s->name) ? "[%s NAME]" : "[%s]",
		       kind);
		free(kind);
	}
	seterr(err, len, "%s:%d: unknown section [%s] (expected %s)", c->path,
	       line, name, list);
	free(list);
	return -1;
}

const struct conf_key *conf_key_find(const struct conf_key *keys,
				     const char *name)
{
	for (; keys && keys->name; keys++) {
		if (!strcmp(keys->name, "*") || !strcmp(keys->name, name))
			return keys;
	}
	return NULL;
}

static int unknown_key(const struct conf *c, const struct conf_section *t,
		       const struct conf_section *s,
		       const struct conf_key *more, const struct conf_entry *e,
		       char *err, size_t len)
{
	const struct conf_key *lists[] = { s->keys, more };
	const char *best = NULL;
	size_t bestd = SIZE_MAX, n = 0, i = 0;
	char near[128], *list;

	/* [defualts] in the policy is no metric: a misspelt section */
	if (!strcmp(s->name, "*") &&
	    near_section(t, e->section, near, sizeof(near)))
		return seterr(err, len,
			      "%s:%d: unknown section [%s] (did you mean %s?)",
			      c->path, conf_section_line(c, e->section),
			      e->section, near);
	for (size_t l = 0; l < 2; l++) {
		for (const struct conf_key *k = lists[l]; k && k->name; k++) {
			size_t d = nearness(e->key, k->name);

			n++;
			if (d < bestd) {
				best = k->name;
				bestd = d;
			}
		}
	}
	if (best)
		return seterr(
			err, len,
			"%s:%d: [%s] unknown key '%s' (did you mean '%s'?)",
			c->path, e->line, e->section, e->key, best);
	list = xstrdup("");
	for (size_t l = 0; l < 2; l++)
		for (const struct conf_key *k = lists[l]; k && k->name; k++)
			add_or(&list, i++, n, "%s", k->name);
	seterr(err, len, "%s:%d: [%s] unknown key '%s' (expected %s)", c->path,
	       e->line, e->section, e->key, list);
	free(list);
	return -1;
}

static int check_header(const struct conf *c, const struct conf_section *t,
			size_t i, char *err, size_t len)
{
	const struct conf_header *h = &c->hdr[i];

	for (size_t k = 0; k < i; k++) {
		if (!strcmp(c->hdr[k].name, h->name))
			return seterr(
				err, len,
				"%s:%d: [%s] given twice (first at line %d)",
				c->path, h->line, h->name, c->hdr[k].line);
	}
	if (!find_section(t, h->name) || !*h->name)
		return unknown_section(c, t, h->name, h->line, err, len);
	return 0;
}

/* A CONF_LIST value: each word once. */
static int check_list(const struct conf *c, const struct conf_entry *e,
		      char *err, size_t len)
{
	struct strv w = { 0 };
	int ret = 0;

	strv_split(&w, e->value);
	for (size_t a = 1; a < w.n && !ret; a++) {
		for (size_t b = 0; b < a && !ret; b++) {
			if (!strcmp(w.v[a], w.v[b]))
				ret = seterr(
					err, len,
					"%s:%d: [%s] %s = %s: %s given twice",
					c->path, e->line, e->section, e->key,
					e->value, w.v[a]);
		}
	}
	strv_free(&w);
	return ret;
}

static int check_entry(const struct conf *c, const struct conf_section *t,
		       size_t i, char *err, size_t len)
{
	const struct conf_entry *e = &c->e[i];
	const struct conf_key *k, *more = NULL;
	const struct conf_section *s;
	bool untyped = false;

	if (!*e->section)
		return seterr(err, len,
			      "%s:%d: %s = %s comes before any [section]",
			      c->path, e->line, e->key, e->value);
	s = find_section(t, e->section);
	if (!s)
		return unknown_section(c, t, e->section, e->line, err, len);
	if (s->type_key) {
		const char *type = conf_get(c, e->section, s->type_key);

		more = type ? s->type_keys(type) : NULL;
		untyped = !more;
	}
	k = conf_key_find(s->keys, e->key);
	if (!k)
		k = conf_key_find(more, e->key);
	if (!k && !untyped)
		return unknown_key(c, t, s, more, e, err, len);
	for (size_t j = 0; j < i; j++) {
		if (!strcmp(c->e[j].section, e->section) &&
		    !strcmp(c->e[j].key, e->key))
			return seterr(
				err, len,
				"%s:%d: [%s] %s given twice (first at line %d)",
				c->path, e->line, e->section, e->key,
				c->e[j].line);
	}
	return k && (k->flags & CONF_LIST) ? check_list(c, e, err, len) : 0;
}

int conf_check(const struct conf *c, const struct conf_section *sections,
	       char *err, size_t err_len)
{
	size_t h = 0, e = 0;

	/* headers and entries merged by line: the first error in the file */
	while (h < c->nhdr || e < c->n) {
		if (e == c->n ||
		    (h < c->nhdr && c->hdr[h].line < c->e[e].line)) {
			if (check_header(c, sections, h++, err, err_len))
				return -1;
		} else if (check_entry(c, sections, e++, err, err_len)) {
			return -1;
		}
	}
	return 0;
}

/* ---- values ---------------------------------------------------------- */

int conf_err(const struct conf *c, const char *section, const char *key,
	     char *err, size_t err_len, const char *fmt, ...)
{
	const struct conf_entry *e = key ? conf_find(c, section, key) : NULL;
	int line = conf_section_line(c, section);
	char msg[ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e)
		return seterr(err, err_len, "%s:%d: [%s] %s = %s: %s", c->path,
			      e->line, section, key, e->value, msg);
	if (key)
		return seterr(err, err_len, "%s: [%s] %s: %s", c->path, section,
			      key, msg);
	if (line)
		return seterr(err, err_len, "%s:%d: [%s]: %s", c->path, line,
			      section, msg);
	return seterr(err, err_len, "%s: [%s]: %s", c->path, section, msg);
}

const char *conf_require(const struct conf *c, const char *section,
			 const char *key, char *err, size_t err_len)
{
	const struct conf_entry *e = conf_find(c, section, key);
	int line = e ? e->line : conf_section_line(c, section);

	if (e && *e->value)
		return e->value;
	for (size_t i = 0; i < c->n && !e; i++) {
		const struct conf_entry *m = &c->e[i];

		if (!strcmp(m->section, section) &&
		    nearness(m->key, key) != SIZE_MAX) {
			seterr(err, err_len,
			       "%s:%d: [%s] unknown key '%s' (did you mean '%s'?)",
			       c->path, m->line, section, m->key, key);
			return NULL;
		}
	}
	if (line)
		seterr(err, err_len, "%s:%d: [%s] needs %s = ...", c->path,
		       line, section, key);
	else
		seterr(err, err_len, "%s: [%s] needs %s = ...", c->path,
		       section, key);
	return NULL;
}

int conf_get_long(const struct conf *c, const char *section, const char *key,
		  long def, long min, long max, long *out, char *err,
		  size_t err_len)
{
	const char *v = conf_get(c, section, key);

	if (!v) {
		*out = def;
		return 0;
	}
	if (parse_long(v, min, max, out))
		return conf_err(c, section, key, err, err_len,
				"expected a whole number from %ld to %ld", min,
				max);
	return 0;
}

int conf_get_double(const struct conf *c, const char *section, const char *key,
		    double def, double min, double max, double *out, char *err,
		    size_t err_len)
{
	const char *v = conf_get(c, section, key);

	if (!v) {
		*out = def;
		return 0;
	}
	if (parse_double(v, min, max, out))
		return conf_err(c, section, key, err, err_len,
				"expected a number from %g to %g", min, max);
	return 0;
}

int conf_get_bool(const struct conf *c, const char *section, const char *key,
		  bool def, bool *out, char *err, size_t err_len)
{
	const char *v = conf_get(c, section, key);

	if (!v)
		*out = def;
	else if (!strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "true"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "false"))
		*out = false;
	else
		return conf_err(c, section, key, err, err_len,
				"expected yes or no");
	return 0;
}
