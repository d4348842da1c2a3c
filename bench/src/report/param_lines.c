// SPDX-License-Identifier: GPL-2.0
#include "param_lines.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *param_value(const struct strv *params, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; params && i < params->n; i++) {
		if (!strncmp(params->v[i], name, len) &&
		    params->v[i][len] == '=')
			return params->v[i] + len + 1;
	}
	return NULL;
}

/* A number, maybe with fio's binary suffix (bs=4k is 4096). */
static bool number(const char *s, double *v)
{
	const char *suffix = "kmgt";
	char *end, *p;

	if (!s || !*s || strchr(" \t\n", *s))
		return false;
	*v = strtod(s, &end);
	if (end == s || !isfinite(*v))
		return false;
	if (*end && end[1] == '\0' && (p = strchr(suffix, end[0] | 0x20))) {
		*v = ldexp(*v, 10 * (int)(p - suffix + 1));
		end++;
	}
	return !*end;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every parameter name once, sorted: lines are titled in this order. */
static void param_names(const struct param_cell *cells, size_t n,
			struct strv *names)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; cells[i].params && j < cells[i].params->n;
		     j++) {
			const char *p = cells[i].params->v[j];
			char *name = xasprintf("%.*s", (int)strcspn(p, "="), p);

			if (!param_value(names, name) && *name)
				strv_addf(names, "%s=", name);
			free(name);
		}
	}
	if (names->n)
		qsort(names->v, names->n, sizeof(char *), cmp_str);
	/* Kept as "name=" so param_value() could search them; strip that. */
	for (size_t i = 0; i < names->n; i++)
		names->v[i][strlen(names->v[i]) - 1] = '\0';
}

/* The title of the line of cell c among the lines along param. */
static char *line_title(const struct param_cell *c, const struct strv *names,
			const char *param)
{
	char *t = xstrdup(c->series ? c->series : "");

	for (size_t i = 0; i < names->n; i++) {
		const char *v = param_value(c->params, names->v[i]);
		char *n;

		if (!v || !strcmp(names->v[i], param))
			continue;
		n = xasprintf("%s%s%s=%s", t, *t ? ", " : "", names->v[i], v);
		free(t);
		t = n;
	}
	if (!*t) {
		free(t);
		t = xstrdup("all cells");
	}
	return t;
}

static struct param_line *line_get(struct param_lines *s, const char *title,
				   size_t ncells)
{
	struct param_line *l;

	for (size_t i = 0; i < s->nline; i++) {
		if (!strcmp(s->line[i].title, title))
			return &s->line[i];
	}
	s->line = xgrow(s->line, &s->cap, s->nline + 1, sizeof(*s->line));
	l = &s->line[s->nline++];
	l->title = xstrdup(title);
	l->cell = xcalloc(ncells, sizeof(size_t));
	l->x = xcalloc(ncells, sizeof(double));
	l->n = 0;
	return l;
}

/* Insert keeping x increasing (stable: equal x stay in cell order). */
static void line_add(struct param_line *l, size_t cell, double x)
{
	size_t i = l->n++;

	for (; i > 0 && l->x[i - 1] > x; i--) {
		l->x[i] = l->x[i - 1];
		l->cell[i] = l->cell[i - 1];
	}
	l->x[i] = x;
	l->cell[i] = cell;
}

static bool pow2(double x)
{
	return x >= 1 && x < 9007199254740992.0 && x == floor(x) &&
	       !((unsigned long long)x & ((unsigned long long)x - 1));
}

static void param_lines_free(struct param_lines *s)
{
	for (size_t i = 0; i < s->nline; i++) {
		free(s->line[i].title);
		free(s->line[i].cell);
		free(s->line[i].x);
	}
	free(s->line);
	free(s->param);
}

/* A line with two different values: the parameter alone varies there. */
static bool varies_alone(const struct param_lines *s)
{
	for (size_t i = 0; i < s->nline; i++) {
		const struct param_line *l = &s->line[i];

		if (l->n >= 2 && l->x[0] != l->x[l->n - 1])
			return true;
	}
	return false;
}

void param_lines_find(const struct param_cell *cells, size_t n,
		      struct param_lines_set *out)
{
	struct strv names = { 0 };

	memset(out, 0, sizeof(*out));
	param_names(cells, n, &names);
	for (size_t p = 0; p < names.n; p++) {
		struct param_lines s = { .param = xstrdup(names.v[p]),
					 .log2 = true };

		for (size_t i = 0; i < n; i++) {
			char *title;
			double x;

			if (!number(param_value(cells[i].params, s.param), &x))
				continue;
			title = line_title(&cells[i], &names, s.param);
			line_add(line_get(&s, title, n), i, x);
			s.log2 &= pow2(x);
			free(title);
		}
		if (!varies_alone(&s)) {
			param_lines_free(&s);
			continue;
		}
		out->v = xgrow(out->v, &out->cap, out->n + 1, sizeof(*out->v));
		out->v[out->n++] = s;
	}
	strv_free(&names);
}

void param_lines_set_free(struct param_lines_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		param_lines_free(&s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}
