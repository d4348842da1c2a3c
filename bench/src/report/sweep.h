/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parameter sweeps among a run's cells: cells that differ only in one
 * numeric parameter are the points of a line, and the values of their other
 * parameters (and their kernel) name the line. What report plots metrics
 * against ("commands against hdomids, one line per viommus").
 */
#ifndef INVLAB_SWEEP_H
#define INVLAB_SWEEP_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/util.h"

struct sweep_cell {
	const char *series; /* never swept, only names lines (kernel); or NULL */
	const struct strv *params; /* "name=value", first of a name counts */
};

struct sweep_line {
	char *title; /* "lab, viommus=2"; "all cells" when nothing else */
	size_t *cell; /* indices into the cells given, by increasing x */
	double *x;
	size_t n;
};

struct sweep {
	char *param;
	bool log2; /* every value a positive power of two */
	struct sweep_line *line;
	size_t nline, cap;
};

struct sweeps {
	struct sweep *v;
	size_t n, cap;
};

/*
 * Every parameter some two cells differ in alone, with numbers for values
 * (cells without it, or with a value that is no number, are left out of
 * its sweep), by parameter name.
 */
void sweeps_find(const struct sweep_cell *cells, size_t n, struct sweeps *out);
void sweeps_free(struct sweeps *s);
/* The value of name in params ("name=value"), or NULL. */
const char *sweep_param(const struct strv *params, const char *name);

#endif
