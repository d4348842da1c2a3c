// SPDX-License-Identifier: GPL-2.0
#include "report_html.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "plot.h"
#include "plot_boots.h"
#include "plot_hist.h"
#include "plot_run.h"
#include "analysis/runtab.h"

int report_html_write(const char *run_dir, char *err, size_t err_len)
{
	char *md_path = xasprintf("%s/report.md", run_dir);
	char *html = xasprintf("%s/report.html", run_dir);
	char *plots = xasprintf("%s/plots", run_dir), *md = NULL, *title;
	json_object **results = NULL;
	const char **ids = NULL;
	struct plot_set ps;
	struct run r;
	int ret = -1;

	plot_set_init(&ps, plots, "");
	/* Before anything is drawn: no half-made set of plots either. */
	if (plot_gnuplot_check(err, err_len))
		goto out;
	md = read_file(md_path, NULL);
	if (!md) {
		seterr(err, err_len, "cannot read %s: %s", md_path,
		       strerror(errno));
		goto out;
	}
	if (run_load(run_dir, &r, err, err_len))
		goto out;
	results = xcalloc(r.ncells, sizeof(*results));
	ids = xcalloc(r.ncells, sizeof(*ids));
	for (size_t i = 0; i < r.ncells; i++) {
		results[i] = r.cells[i].result;
		ids[i] = r.cells[i].id;
	}
	/* Each beside its table: the headings are report.c's. */
	plot_set_section(&ps, "IOMMU commands per 4 KiB read");
	ret = plot_cmd_mix(&ps, &r, err, err_len);
	plot_set_section(&ps, "Fan-out per invalidation");
	if (!ret)
		ret = hist_plots(&ps, "", "all cells", results, ids, r.ncells,
				 err, err_len);
	plot_set_section(&ps, NULL);
	if (!ret)
		ret = plot_param_lines(&ps, &r, err, err_len);
	plot_set_section(&ps, "Boots and noise");
	if (!ret)
		ret = plot_boots(&ps, &r, err, err_len);
	title = xasprintf("invlab report: %s", r.id);
	if (!ret)
		ret = html_write_page(html, title, md, &ps, err, err_len);
	free(title);
	run_free(&r);
out:
	free(results);
	free(ids);
	plot_set_free(&ps);
	free(md);
	free(md_path);
	free(html);
	free(plots);
	return ret;
}

int compare_html_write(const struct comparison *c, const char *md,
		       const char *path, char *err, size_t err_len)
{
	char *d = xstrdup(path), *b = xstrdup(path), *stem, *plots, *prefix;
	struct plot_set ps;
	int ret = 0;

	stem = basename(b);
	if (strlen(stem) > 5 && !strcmp(stem + strlen(stem) - 5, ".html"))
		stem[strlen(stem) - 5] = '\0';
	plots = xasprintf("%s/plots", dirname(d));
	stem = plot_slug(stem);
	prefix = xasprintf("%s-", stem);
	free(stem);
	plot_set_init(&ps, plots, prefix);
	if (plot_gnuplot_check(err, err_len)) {
		ret = -1;
		goto out;
	}
	if (!c->npairs)
		plot_set_skip(&ps,
			      "Fan-out histograms: no cell is on both sides");
	for (size_t i = 0; i < c->npairs && !ret; i++) {
		const struct cell_pair *p = &c->pairs[i];
		json_object *res[2] = { p->a->result, p->b->result };
		char *t[2], *what, *heading, *name;

		t[0] = xasprintf("base %s", p->a->id);
		t[1] = xasprintf("new %s", p->b->id);
		/* compare_markdown()'s heading of the pair */
		if (strcmp(p->a->id, p->b->id))
			heading = xasprintf("%s vs %s", p->a->id, p->b->id);
		else
			heading = xstrdup(p->a->id);
		what = xasprintf("cell %s, base vs new", heading);
		name = plot_slug(heading);
		plot_set_section(&ps, heading);
		ret = hist_plots(&ps, name, what, res, (const char **)t, 2, err,
				 err_len);
		free(t[0]);
		free(t[1]);
		free(what);
		free(heading);
		free(name);
	}
	if (!ret)
		ret = html_write_page(path, "invlab compare", md, &ps, err,
				      err_len);
out:
	plot_set_free(&ps);
	free(prefix);
	free(plots);
	free(d);
	free(b);
	return ret;
}
