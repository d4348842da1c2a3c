/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lines along one parameter among a run's cells: cells that differ only in
 * one numeric parameter are the points of a line, and the values of their
 * other parameters (and their kernel) name the line. What report plots
 * metrics against ("commands against hdomids, one line per viommus").
 */
#ifndef INVLAB_PARAM_LINES_H
#define INVLAB_PARAM_LINES_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/util.h"

struct param_cell {
	const char *
		series; /* never an x axis, only names lines (kernel); or NULL */
	const struct strv *params; /* "name=value", first of a name counts */
};

/* One line: its cells by increasing value of the parameter (x). */
struct param_line {
	char *title; /* "lab, viommus=2"; "all cells" when nothing else */
	size_t *cell; /* indices into the cells given, by increasing x */
	double *x;
	size_t n;
};

/* The lines along one parameter. */
struct param_lines {
	char *param;
	bool log2; /* every value a positive power of two */
	struct param_line *line;
	size_t nline, cap;
};

/* Every parameter that has lines. */
struct param_lines_set {
	struct param_lines *v;
	size_t n, cap;
};

/*
 * Every parameter some two cells differ in alone, with numbers for values
 * (cells without it, or with a value that is no number, are left out of
 * its lines), by parameter name.
 */
void param_lines_find(const struct param_cell *cells, size_t n,
		      struct param_lines_set *out);
void param_lines_set_free(struct param_lines_set *s);
/* The value of name in params ("name=value"), or NULL. */
const char *param_value(const struct strv *params, const char *name);

#endif
