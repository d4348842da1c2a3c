/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HTML pages of invlab report and invlab compare: their Markdown
 * rendered, with the plots of the run (or of the compared cell pairs).
 */
#ifndef INVLAB_REPORT_HTML_H
#define INVLAB_REPORT_HTML_H

#include <stddef.h>

#include "analysis/compare.h"

/*
 * run_dir/report.html from run_dir/report.md (written first by
 * report_write) and the run's plots, kept in run_dir/plots/. Nothing is
 * written to report.html unless every plot was drawn; gnuplot missing is
 * an error.
 */
int report_html_write(const char *run_dir, char *err, size_t err_len);

/*
 * The comparison's page at path: md, then base-vs-new fan-out histograms
 * of each cell pair, kept in plots/ beside path as STEM-PAIR-hist-*.
 */
int compare_html_write(const struct comparison *c, const char *md,
		       const char *path, char *err, size_t err_len);

#endif
