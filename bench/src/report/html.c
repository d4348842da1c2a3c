// SPDX-License-Identifier: GPL-2.0
#include "html.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/atomic_file.h"
#include "lib/util.h"

char *html_from_markdown(const char *md, size_t len)
{
	/*
	 * Unsafe: the Markdown is invlab's own and its tables use <br>;
	 * cmark's safe mode would drop those.
	 */
	int opts = CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8;
	cmark_syntax_extension *table;
	cmark_parser *p;
	cmark_node *doc;
	char *html, *out;

	cmark_gfm_core_extensions_ensure_registered();
	table = cmark_find_syntax_extension("table");
	p = cmark_parser_new(opts);
	if (!p || !table || cmark_parser_attach_syntax_extension(p, table) != 1)
		goto fail;
	cmark_parser_feed(p, md, len);
	doc = cmark_parser_finish(p);
	if (!doc)
		goto fail;
	html = cmark_render_html(doc, opts,
				 cmark_parser_get_syntax_extensions(p));
	cmark_node_free(doc);
	cmark_parser_free(p);
	if (!html)
		return NULL;
	/* Ours to free with free(), whatever allocator cmark used. */
	out = xstrdup(html);
	cmark_get_default_mem_allocator()->free(html);
	return out;
fail:
	if (p)
		cmark_parser_free(p);
	return NULL;
}

char *html_escape(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
	fclose(f);
	return buf;
}

static const char page_css[] =
	"body{font-family:system-ui,sans-serif;margin:0;color:#1f2328;background:#fff}"
	"main{max-width:1400px;margin:0 auto;padding:1.5em;overflow-x:auto}"
	"table{border-collapse:collapse;margin:1em 0}"
	"th,td{border:1px solid #d0d7de;padding:.3em .6em;vertical-align:top}"
	"tr:nth-child(2n){background:#f6f8fa}"
	"code{background:#eff1f3;padding:.1em .3em;border-radius:4px}"
	"figure{margin:2em 0;border:1px solid #d0d7de;border-radius:6px;padding:1em;max-width:1000px}"
	"figure img{max-width:100%;height:auto;display:block;margin:0 auto}"
	"figcaption{margin-top:.6em;font-size:.92em;color:#424a53}"
	".files{color:#6e7781;font-family:monospace}"
	".notdrawn li{color:#6e7781}";

/* Count the plots that really decoded: what the headless browser test reads. */
static const char page_js[] =
	"window.addEventListener('load',function(){"
	"var n=0;document.querySelectorAll('img.plot').forEach(function(i){"
	"if(i.complete&&i.naturalWidth>0)n++;});"
	"document.body.setAttribute('data-plots-loaded',String(n));"
	"var e=document.getElementById('plots-loaded');"
	"if(e)e.textContent=String(n);});";

/* The file as a base64 data: URI, or NULL with errno. */
static char *data_uri(const char *path, const char *mime)
{
	size_t len;
	char *raw = read_file(path, &len), *uri;
	unsigned char *b64;

	if (!raw)
		return NULL;
	if (len > INT_MAX / 2) {
		free(raw);
		errno = EFBIG;
		return NULL;
	}
	b64 = xcalloc(4 * (len / 3 + 1) + 1, 1);
	EVP_EncodeBlock(b64, (const unsigned char *)raw, (int)len);
	uri = xasprintf("data:%s;base64,%s", mime, (char *)b64);
	free(b64);
	free(raw);
	return uri;
}

/* path relative to the page's directory, when it lies under it. */
static const char *rel_to(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (!strncmp(path, dir, n) && path[n] == '/')
		return path + n + 1;
	return path;
}

static int figure(FILE *f, const struct plot_figure *fig, size_t i,
		  const char *dir, char *err, size_t err_len)
{
	char *uri = data_uri(fig->svg, "image/svg+xml");
	char *title = html_escape(fig->title);
	char *cap = html_escape(fig->caption);
	char *svg = html_escape(rel_to(fig->svg, dir));
	char *png = html_escape(rel_to(fig->png, dir));

	if (uri)
		fprintf(f,
			"<figure id=\"plot-%zu\"><img class=\"plot\" alt=\"%s\" src=\"%s\">\n"
			"<figcaption><strong>Plot %zu: %s.</strong> %s <span class=\"files\">%s, %s</span></figcaption></figure>\n",
			i + 1, title, uri, i + 1, title, cap, svg, png);
	else
		seterr(err, err_len, "cannot read plot %s: %s", fig->svg,
		       strerror(errno));
	free(title);
	free(cap);
	free(svg);
	free(png);
	if (!uri)
		return -1;
	free(uri);
	return 0;
}

/* The figures of the section headed by heading (its HTML), marked placed. */
static int section_figures(FILE *f, const char *heading, size_t hlen,
			   const struct plot_set *ps, bool *placed,
			   const char *dir, char *err, size_t err_len)
{
	for (size_t i = 0; heading && i < ps->n; i++) {
		char *want;
		bool here;

		if (placed[i] || !ps->fig[i].section)
			continue;
		want = html_escape(ps->fig[i].section);
		here = strlen(want) == hlen && !strncmp(heading, want, hlen);
		free(want);
		if (!here)
			continue;
		placed[i] = true;
		if (figure(f, &ps->fig[i], i, dir, err, err_len))
			return -1;
	}
	return 0;
}

/*
 * The rendered Markdown with each figure at the end of its section (the
 * <h2> whose text is the figure's section), then the rest of the
 * figures and the plots not drawn.
 */
static int body_and_figures(FILE *f, const char *body, const char *page,
			    const struct plot_set *ps, char *err,
			    size_t err_len)
{
	char *copy = xstrdup(page), *dir = dirname(copy);
	bool *placed = xcalloc(ps->n, sizeof(bool));
	const char *p = body, *heading = NULL, *h, *end;
	size_t hlen = 0, rest = 0;
	int ret = 0;

	while (!ret) {
		h = strstr(p, "<h2>");
		fwrite(p, 1, h ? (size_t)(h - p) : strlen(p), f);
		ret = section_figures(f, heading, hlen, ps, placed, dir, err,
				      err_len);
		if (!h)
			break;
		heading = h + 4;
		end = strstr(heading, "</h2>");
		hlen = end ? (size_t)(end - heading) : strlen(heading);
		fwrite(h, 1, 4, f);
		p = heading;
	}
	for (size_t i = 0; i < ps->n; i++)
		rest += !placed[i];
	fprintf(f, "<h2 id=\"plots\">Plots</h2>\n");
	fprintf(f,
		"<p>%zu plot(s) drawn by gnuplot from the numbers of this page's run(s)%s; each is also kept as SVG and PNG beside this page. Loaded in this browser: <span id=\"plots-loaded\">?</span>.</p>\n",
		ps->n,
		rest < ps->n ? ", some of them in the sections above" : "");
	for (size_t i = 0; i < ps->n && !ret; i++) {
		if (!placed[i])
			ret = figure(f, &ps->fig[i], i, dir, err, err_len);
	}
	if (!ret && ps->not_drawn.n) {
		fprintf(f, "<h3>Not drawn</h3>\n<ul class=\"notdrawn\">\n");
		for (size_t i = 0; i < ps->not_drawn.n; i++) {
			char *why = html_escape(ps->not_drawn.v[i]);

			fprintf(f, "<li>%s</li>\n", why);
			free(why);
		}
		fprintf(f, "</ul>\n");
	}
	free(placed);
	free(copy);
	return ret;
}

int html_write_page(const char *path, const char *title, const char *md,
		    const struct plot_set *ps, char *err, size_t err_len)
{
	char *body = html_from_markdown(md, strlen(md)), *t, *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	if (!body)
		return seterr(err, err_len,
			      "%s: cmark-gfm could not render the Markdown",
			      path);
	t = html_escape(title);
	f = open_memstream(&buf, &len);
	fprintf(f,
		"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>%s</title>\n<style>%s</style></head>\n"
		"<body data-plots=\"%zu\" data-plots-loaded=\"-1\"><main>\n",
		t, page_css, ps->n);
	ret = body_and_figures(f, body, path, ps, err, err_len);
	fprintf(f, "</main>\n<script>%s</script>\n</body></html>\n", page_js);
	fclose(f);
	if (!ret) {
		ret = atomic_write(path, buf, len);
		if (ret)
			seterr(err, err_len, "cannot write %s: %s", path,
			       strerror(-ret));
	}
	free(buf);
	free(body);
	free(t);
	return ret ? -1 : 0;
}
