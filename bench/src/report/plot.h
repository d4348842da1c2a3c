/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Plots: gnuplot data files and the scripts of plots/ that draw them, each
 * drawn twice (SVG for the HTML page, PNG to keep). Shared by report,
 * compare and nightly. Numbers only ever come from the caller: a plot
 * without data is not drawn, and the set records why.
 */
#ifndef INVLAB_PLOT_H
#define INVLAB_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lib/util.h"

/*
 * A table: named numeric columns, each row optionally led by a label
 * (gnuplot's xtic(1)). Written as a header line of quoted column titles,
 * then one line per row; a value never set is NaN (missing to gnuplot).
 */
struct plot_table {
	bool labelled;
	struct strv cols; /* titles, the label column's first if labelled */
	struct strv labels;
	double *v; /* nrows * ncols */
	size_t ncols, nrows, cap;
};

/* label_col: title of the label column, NULL for none. */
void plot_table_init(struct plot_table *t, const char *label_col);
/* Add a numeric column (before any row); its index. */
size_t plot_table_col(struct plot_table *t, const char *title);
/* Add a row of NaNs; its index. label is ignored when not labelled. */
size_t plot_table_row(struct plot_table *t, const char *label);
void plot_table_set(struct plot_table *t, size_t row, size_t col, double v);
char *plot_table_text(const struct plot_table *t);
void plot_table_free(struct plot_table *t);

/*
 * Lines of (x, y) points, one gnuplot data block each (blocks apart by two
 * blank lines, so a script selects them with "index"), each block led by
 * its quoted title for columnheader(1). Points are written sorted by x.
 */
struct plot_series {
	char *title;
	double *x, *y;
	size_t n, cap;
};

struct plot_lines {
	struct plot_series *s;
	size_t n, cap;
};

struct plot_series *plot_lines_add(struct plot_lines *l, const char *title);
void plot_point(struct plot_series *s, double x, double y);
/* Points over all series. */
size_t plot_lines_points(const struct plot_lines *l);
char *plot_lines_text(const struct plot_lines *l, const char *ycol);
void plot_lines_free(struct plot_lines *l);

/* A drawn plot: files under the set's directory. */
struct plot_figure {
	char *title, *caption;
	char *svg, *png; /* paths */
	char *section; /* the page section it belongs in, or NULL */
};

/* The plots of one page, and the ones not drawn, each with why. */
struct plot_set {
	char *dir; /* where .dat, .svg and .png go */
	char *prefix; /* of every file name ("" or "compare-") */
	char *section; /* given to the figures drawn from now on */
	struct plot_figure *fig;
	size_t n, cap;
	struct strv not_drawn;
};

void plot_set_init(struct plot_set *ps, const char *dir, const char *prefix);
void plot_set_free(struct plot_set *ps);
void plot_set_skip(struct plot_set *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * The figures drawn next go at the end of the page's section (## heading)
 * with this text (NULL, or no such section: with the plots at the end).
 */
void plot_set_section(struct plot_set *ps, const char *heading);

/*
 * Draw one plot: write data to DIR/PREFIXname.dat, run plots/script.gp of
 * the work tree on it for SVG and for PNG, and add the figure to the set.
 * vars: further gnuplot -e assignments ("n=3", "ylabel='IOPS'"), or NULL.
 * 0, or -1 with err naming the script and what gnuplot said.
 */
int plot_draw(struct plot_set *ps, const char *script, const char *name,
	      const char *data, const struct strv *vars, const char *title,
	      const char *caption, char *err, size_t err_len);

/* 0 when gnuplot runs, else -1 with err saying it is needed and missing. */
int plot_gnuplot_check(char *err, size_t err_len);

/* s as a gnuplot single-quoted string literal (quotes included). */
char *plot_quote(const char *s);
/* The text fmt formats, as plot_quote() writes it, to f (a script). */
void plot_put_quotedf(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* s with anything but [A-Za-z0-9._-] made '_': a file name part. */
char *plot_slug(const char *s);

#endif
