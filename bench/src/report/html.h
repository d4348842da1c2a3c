/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Self-contained HTML pages: Markdown rendered by cmark-gfm (with GitHub
 * tables), the plots of a plot_set embedded as data: URIs, CSS inline.
 * One file to mail or attach to CI, nothing beside it to lose.
 */
#ifndef INVLAB_HTML_H
#define INVLAB_HTML_H

#include <stddef.h>

#include "plot.h"

/* Markdown to an HTML fragment, to be freed; NULL if cmark-gfm fails. */
char *html_from_markdown(const char *md, size_t len);
/* s with &, <, > and " escaped, to be freed. */
char *html_escape(const char *s);

/*
 * The page, written atomically to path: md rendered, then each figure of
 * ps (its SVG embedded) with its caption, then the plots not drawn and
 * why. On load, a small script counts the plot images that decoded into
 * body's data-plots-loaded (data-plots is how many there are). 0, or -1
 * with err naming the file.
 */
int html_write_page(const char *path, const char *title, const char *md,
		    const struct plot_set *ps, char *err, size_t err_len);

#endif
