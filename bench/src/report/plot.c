// SPDX-License-Identifier: GPL-2.0
#include "plot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/atomic_file.h"

/* Titles go between double quotes; gnuplot has no escape for them there. */
static void put_title(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fputc(*s == '"' || *s == '\n' ? '\'' : *s, f);
	fputc('"', f);
}

static void put_num(FILE *f, double v)
{
	if (isnan(v) || isinf(v))
		fputs(" NaN", f);
	else
		fprintf(f, " %.10g", v);
}

void plot_table_init(struct plot_table *t, const char *label_col)
{
	memset(t, 0, sizeof(*t));
	t->labelled = label_col != NULL;
	if (label_col)
		strv_add(&t->cols, label_col);
}

size_t plot_table_col(struct plot_table *t, const char *title)
{
	strv_add(&t->cols, title);
	return t->ncols++;
}

size_t plot_table_row(struct plot_table *t, const char *label)
{
	/* a row is ncols numbers (columns come before any row) */
	t->v = xgrow(t->v, &t->cap, t->nrows + 1,
		     (t->ncols ? t->ncols : 1) * sizeof(double));
	for (size_t c = 0; c < t->ncols; c++)
		t->v[t->nrows * t->ncols + c] = NAN;
	if (t->labelled)
		strv_add(&t->labels, label ? label : "");
	return t->nrows++;
}

void plot_table_set(struct plot_table *t, size_t row, size_t col, double v)
{
	if (row < t->nrows && col < t->ncols)
		t->v[row * t->ncols + col] = v;
}

char *plot_table_text(const struct plot_table *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	for (size_t c = 0; c < t->cols.n; c++) {
		if (c)
			fputc(' ', f);
		put_title(f, t->cols.v[c]);
	}
	fputc('\n', f);
	for (size_t r = 0; r < t->nrows; r++) {
		if (t->labelled)
			put_title(f, t->labels.v[r]);
		for (size_t c = 0; c < t->ncols; c++)
			put_num(f, t->v[r * t->ncols + c]);
		fputc('\n', f);
	}
	fclose(f);
	return buf;
}

void plot_table_free(struct plot_table *t)
{
	strv_free(&t->cols);
	strv_free(&t->labels);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

struct plot_series *plot_lines_add(struct plot_lines *l, const char *title)
{
	struct plot_series *s;

	l->s = xgrow(l->s, &l->cap, l->n + 1, sizeof(*l->s));
	s = &l->s[l->n++];
	memset(s, 0, sizeof(*s));
	s->title = xstrdup(title);
	return s;
}

void plot_point(struct plot_series *s, double x, double y)
{
	size_t ycap = s->cap; /* x and y grow alike */

	s->x = xgrow(s->x, &s->cap, s->n + 1, sizeof(double));
	s->y = xgrow(s->y, &ycap, s->n + 1, sizeof(double));
	s->x[s->n] = x;
	s->y[s->n++] = y;
}

size_t plot_lines_points(const struct plot_lines *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += l->s[i].n;
	return n;
}

char *plot_lines_text(const struct plot_lines *l, const char *ycol)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	for (size_t i = 0; i < l->n; i++) {
		const struct plot_series *s = &l->s[i];
		bool *done = xcalloc(s->n, sizeof(bool));

		if (i)
			fputs("\n\n", f);
		put_title(f, s->title);
		fputc(' ', f);
		put_title(f, ycol);
		fputc('\n', f);
		/* Selection sort: a line joins its points in x order. */
		for (size_t k = 0; k < s->n; k++) {
			size_t best = s->n;

			for (size_t j = 0; j < s->n; j++) {
				if (!done[j] &&
				    (best == s->n || s->x[j] < s->x[best]))
					best = j;
			}
			done[best] = true;
			put_num(f, s->x[best]);
			put_num(f, s->y[best]);
			fputc('\n', f);
		}
		free(done);
	}
	fclose(f);
	return buf;
}

void plot_lines_free(struct plot_lines *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->s[i].title);
		free(l->s[i].x);
		free(l->s[i].y);
	}
	free(l->s);
	memset(l, 0, sizeof(*l));
}

void plot_set_init(struct plot_set *ps, const char *dir, const char *prefix)
{
	memset(ps, 0, sizeof(*ps));
	ps->dir = xstrdup(dir);
	ps->prefix = xstrdup(prefix ? prefix : "");
}

void plot_set_free(struct plot_set *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->fig[i].title);
		free(ps->fig[i].caption);
		free(ps->fig[i].svg);
		free(ps->fig[i].png);
		free(ps->fig[i].section);
	}
	free(ps->fig);
	free(ps->dir);
	free(ps->prefix);
	free(ps->section);
	strv_free(&ps->not_drawn);
	memset(ps, 0, sizeof(*ps));
}

void plot_set_skip(struct plot_set *ps, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	strv_add(&ps->not_drawn, s);
	free(s);
}

void plot_set_section(struct plot_set *ps, const char *heading)
{
	free(ps->section);
	ps->section = heading ? xstrdup(heading) : NULL;
}

char *plot_quote(const char *s)
{
	char *out = xcalloc(2 * strlen(s) + 3, 1), *p = out;

	/* In a single-quoted gnuplot string '' is one quote. */
	*p++ = '\'';
	for (; *s; s++) {
		if (*s == '\'')
			*p++ = '\'';
		*p++ = *s;
	}
	*p = '\'';
	return out;
}

void plot_put_quotedf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	char *s, *q;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	q = plot_quote(s);
	fputs(q, f);
	free(q);
	free(s);
}

char *plot_slug(const char *s)
{
	char *out = xstrdup(s);

	for (char *p = out; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		      *p == '_'))
			*p = '_';
	}
	return out;
}

/*
 * gnuplot with its messages in log (they only matter when it fails; on
 * success they are warnings about, say, zeros on a log axis). Exit status,
 * 128+signal, or 127 when it could not be started.
 */
static int gnuplot(char *const argv[], const char *log)
{
	return run_cmd_io(argv, "/dev/null", log);
}

#define GNUPLOT_MISSING                                                        \
	"gnuplot could not be run: it draws the HTML report's plots; install " \
	"gnuplot (Debian: gnuplot-nox) and put it on PATH"

int plot_gnuplot_check(char *err, size_t err_len)
{
	char *argv[] = { "gnuplot", "--version", NULL };
	int ret = gnuplot(argv, "/dev/null");

	if (ret == 127 || ret < 0)
		return seterr(err, err_len, GNUPLOT_MISSING);
	if (ret)
		return seterr(err, err_len,
			      "gnuplot --version exited with status %d", ret);
	return 0;
}

/* The last non-empty line of gnuplot's messages: usually the error. */
static char *last_line(const char *log)
{
	char *text = read_file(log, NULL), *line, *end;

	if (!text)
		return xstrdup("no messages");
	end = text + strlen(text);
	while (end > text && (end[-1] == '\n' || end[-1] == ' '))
		*--end = '\0';
	line = strrchr(text, '\n');
	line = xstrdup(line ? line + 1 : text);
	free(text);
	return line;
}

static int render(const char *script, const char *dat, const char *out,
		  const char *terminal, const char *title,
		  const struct strv *vars, const char *log, char *err,
		  size_t err_len)
{
	char *qdat = plot_quote(dat), *qout = plot_quote(out);
	char *qtitle = plot_quote(title), *expr;
	struct strv argv = { 0 };
	int ret;

	expr = xasprintf("datafile=%s; outfile=%s; terminal='%s'; plottitle=%s",
			 qdat, qout, terminal, qtitle);
	for (size_t i = 0; vars && i < vars->n; i++) {
		char *t = xasprintf("%s; %s", expr, vars->v[i]);

		free(expr);
		expr = t;
	}
	strv_add(&argv, "gnuplot");
	strv_add(&argv, "-e");
	strv_add(&argv, expr);
	strv_add(&argv, script);
	ret = gnuplot(argv.v, log);
	if (ret == 127 || ret < 0) {
		seterr(err, err_len, GNUPLOT_MISSING);
		ret = -1;
	} else if (ret) {
		char *why = last_line(log);

		seterr(err, err_len,
		       "gnuplot %s on %s failed (status %d): %s (all its messages: %s)",
		       script, dat, ret, why, log);
		free(why);
		ret = -1;
	}
	free(expr);
	free(qtitle);
	free(qdat);
	free(qout);
	strv_free(&argv);
	return ret;
}

int plot_draw(struct plot_set *ps, const char *script, const char *name,
	      const char *data, const struct strv *vars, const char *title,
	      const char *caption, char *err, size_t err_len)
{
	char *base = xasprintf("%s/%s%s", ps->dir, ps->prefix, name);
	char *dat = xasprintf("%s.dat", base), *svg = xasprintf("%s.svg", base);
	char *png = xasprintf("%s.png", base), *log = xasprintf("%s.log", base);
	char *gp = xasprintf("%s/plots/%s.gp", invlab_top(), script);
	struct plot_figure *f;
	int ret = -1, e;

	if (!path_exists(gp)) {
		seterr(err, err_len, "%s: no such plot script", gp);
		goto out;
	}
	e = mkdir_p(ps->dir, 0755);
	if (!e)
		e = atomic_write(dat, data, strlen(data));
	if (e) {
		seterr(err, err_len, "cannot write %s: %s", dat, strerror(-e));
		goto out;
	}
	if (render(gp, dat, svg, "svg", title, vars, log, err, err_len) ||
	    render(gp, dat, png, "pngcairo", title, vars, log, err, err_len))
		goto out;
	unlink(log);
	ps->fig = xgrow(ps->fig, &ps->cap, ps->n + 1, sizeof(*ps->fig));
	f = &ps->fig[ps->n++];
	f->title = xstrdup(title);
	f->caption = xstrdup(caption ? caption : "");
	f->svg = svg;
	f->png = png;
	f->section = ps->section ? xstrdup(ps->section) : NULL;
	svg = png = NULL;
	ret = 0;
out:
	free(base);
	free(dat);
	free(svg);
	free(png);
	free(log);
	free(gp);
	return ret;
}
