// SPDX-License-Identifier: GPL-2.0
/*
 * bench/src/report/plot.h, param_lines.h, plot_hist.h and html.h: gnuplot
 * data files, lines along a parameter, histogram sums and the Markdown
 * rendering.
 * Drawing itself (gnuplot, the page in a browser) is tests/report's.
 */
#include "testutil.h"

#include <json-c/json.h>
#include <math.h>

#include "report/html.h"
#include "report/plot.h"
#include "report/plot_hist.h"
#include "report/param_lines.h"

static void test_table_labelled_with_missing_values(void **state)
{
	struct plot_table t;
	size_t r;
	char *text;

	(void)state;
	plot_table_init(&t, "cell");
	plot_table_col(&t, "COMPLETION_WAIT");
	plot_table_col(&t, "INVALIDATE_IOMMU_PAGES");
	r = plot_table_row(&t, "lab");
	plot_table_set(&t, r, 0, 1);
	plot_table_set(&t, r, 1, 2.5);
	r = plot_table_row(&t, "7.3 \"stock\"");
	plot_table_set(&t, r, 1, 0.125);
	text = plot_table_text(&t);
	assert_string_equal(
		text,
		"\"cell\" \"COMPLETION_WAIT\" \"INVALIDATE_IOMMU_PAGES\"\n"
		"\"lab\" 1 2.5\n"
		"\"7.3 'stock'\" NaN 0.125\n");
	free(text);
	plot_table_free(&t);
}

static void test_table_unlabelled_numeric_x(void **state)
{
	struct plot_table t;
	char *text;

	(void)state;
	plot_table_init(&t, NULL);
	plot_table_col(&t, "ge_ns");
	plot_table_col(&t, "a (3)");
	for (int k = 0; k < 3; k++) {
		size_t r = plot_table_row(&t, "ignored");

		plot_table_set(&t, r, 0, 1 << k);
		plot_table_set(&t, r, 1, k * 100.0 / 3);
	}
	/* Out of range: ignored, not a crash. */
	plot_table_set(&t, 7, 0, 1);
	plot_table_set(&t, 0, 9, 1);
	text = plot_table_text(&t);
	assert_string_equal(text, "\"ge_ns\" \"a (3)\"\n"
				  " 1 0\n"
				  " 2 33.33333333\n"
				  " 4 66.66666667\n");
	free(text);
	plot_table_free(&t);
}

static void test_lines_blocks_sorted_by_x(void **state)
{
	struct plot_lines l = { 0 };
	struct plot_series *a, *b;
	char *text;

	(void)state;
	a = plot_lines_add(&l, "lab, viommus=1");
	plot_point(a, 8, 80);
	plot_point(a, 1, 10);
	plot_point(a, 4, 40);
	b = plot_lines_add(&l, "lab, viommus=2");
	plot_point(b, 2, 2e9);
	assert_int_equal(plot_lines_points(&l), 4);
	text = plot_lines_text(&l, "iops");
	assert_string_equal(text, "\"lab, viommus=1\" \"iops\"\n"
				  " 1 10\n"
				  " 4 40\n"
				  " 8 80\n"
				  "\n\n"
				  "\"lab, viommus=2\" \"iops\"\n"
				  " 2 2000000000\n");
	free(text);
	plot_lines_free(&l);
}

static void test_quote_and_slug(void **state)
{
	char *q = plot_quote("/tmp/it's here");
	char *s = plot_slug("lab@hdomids=4,viommus=2/x y");

	(void)state;
	assert_string_equal(q, "'/tmp/it''s here'");
	assert_string_equal(s, "lab_hdomids_4_viommus_2_x_y");
	free(q);
	free(s);
}

static void test_draw_names_missing_script(void **state)
{
	struct plot_set ps;
	char err[ERRLEN] = "";

	plot_set_init(&ps, *state, "");
	assert_int_equal(plot_draw(&ps, "no-such-plot", "x", "1 2\n", NULL, "t",
				   "c", err, sizeof(err)),
			 -1);
	assert_contains(err, "plots/no-such-plot.gp: no such plot script");
	assert_int_equal(ps.n, 0);
	plot_set_free(&ps);
}

static void test_gnuplot_missing_is_named(void **state)
{
	char *path = xstrdup(getenv("PATH") ? getenv("PATH") : "");
	char err[ERRLEN] = "";

	(void)state;
	setenv("PATH", "/nonexistent", 1);
	assert_int_equal(plot_gnuplot_check(err, sizeof(err)), -1);
	setenv("PATH", path, 1);
	free(path);
	assert_contains(err, "gnuplot could not be run");
	assert_contains(err, "gnuplot-nox");
}

static void test_skip_records_why(void **state)
{
	struct plot_set ps;

	(void)state;
	plot_set_init(&ps, "/nowhere", "cmp-");
	plot_set_skip(&ps, "%s: %d cells", "hist", 0);
	assert_int_equal(ps.not_drawn.n, 1);
	assert_string_equal(ps.not_drawn.v[0], "hist: 0 cells");
	plot_set_free(&ps);
}

/* Cells from "series|name=value,name=value" strings. */
struct cells {
	struct param_cell c[16];
	struct strv p[16];
	char *series[16];
	size_t n;
};

static void cells_make(struct cells *cs, const char *const *spec, size_t n)
{
	memset(cs, 0, sizeof(*cs));
	for (size_t i = 0; i < n; i++) {
		const char *bar = strchr(spec[i], '|');

		cs->series[i] =
			bar ? tu_printf("%.*s", (int)(bar - spec[i]), spec[i]) :
			      NULL;
		strv_split(&cs->p[i], bar ? bar + 1 : spec[i]);
		cs->c[i].series = cs->series[i];
		cs->c[i].params = &cs->p[i];
	}
	cs->n = n;
}

static void cells_free(struct cells *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		strv_free(&cs->p[i]);
		free(cs->series[i]);
	}
}

static void test_param_lines_grid_gives_both_parameters(void **state)
{
	static const char *const spec[] = {
		"lab|hdomids=1,viommus=1", "lab|hdomids=2,viommus=1",
		"lab|hdomids=4,viommus=1", "lab|hdomids=1,viommus=2",
		"lab|hdomids=2,viommus=2", "lab|hdomids=4,viommus=2",
	};
	struct cells cs;
	struct param_lines_set pls;

	(void)state;
	cells_make(&cs, spec, 6);
	param_lines_find(cs.c, cs.n, &pls);
	assert_int_equal(pls.n, 2);
	assert_string_equal(pls.v[0].param, "hdomids");
	assert_true(pls.v[0].log2);
	assert_int_equal(pls.v[0].nline, 2);
	assert_string_equal(pls.v[0].line[0].title, "lab, viommus=1");
	assert_int_equal(pls.v[0].line[0].n, 3);
	assert_int_equal(pls.v[0].line[0].cell[0], 0);
	assert_int_equal(pls.v[0].line[0].cell[2], 2);
	assert_double_equal(pls.v[0].line[0].x[2], 4, 0);
	assert_string_equal(pls.v[0].line[1].title, "lab, viommus=2");
	assert_int_equal(pls.v[0].line[1].cell[0], 3);
	assert_string_equal(pls.v[1].param, "viommus");
	assert_int_equal(pls.v[1].nline, 3);
	assert_string_equal(pls.v[1].line[2].title, "lab, hdomids=4");
	assert_int_equal(pls.v[1].line[2].n, 2);
	param_lines_set_free(&pls);
	cells_free(&cs);
}

static void test_param_lines_sorts_by_value_and_series_split_lines(void **state)
{
	static const char *const spec[] = {
		"lab|aliases=8",
		"lab|aliases=2",
		"7.3|aliases=8",
		"7.3|aliases=3",
	};
	struct cells cs;
	struct param_lines_set pls;

	(void)state;
	cells_make(&cs, spec, 4);
	param_lines_find(cs.c, cs.n, &pls);
	assert_int_equal(pls.n, 1);
	/* 3 is no power of two: a linear axis. */
	assert_false(pls.v[0].log2);
	assert_int_equal(pls.v[0].nline, 2);
	assert_string_equal(pls.v[0].line[0].title, "lab");
	assert_double_equal(pls.v[0].line[0].x[0], 2, 0);
	assert_int_equal(pls.v[0].line[0].cell[0], 1);
	assert_string_equal(pls.v[0].line[1].title, "7.3");
	assert_int_equal(pls.v[0].line[1].cell[0], 3);
	param_lines_set_free(&pls);
	cells_free(&cs);
}

static void test_param_lines_needs_one_parameter_varying_alone(void **state)
{
	/* Both parameters change together: neither varies alone. */
	static const char *const together[] = { "hdomids=1,viommus=1",
						"hdomids=2,viommus=2" };
	/* Only the kernel differs, and kernels are never an x axis. */
	static const char *const kernels[] = { "6.12|", "7.3|" };
	/* Not numbers. */
	static const char *const words[] = { "mode=strict", "mode=lazy" };
	/* One value only. */
	static const char *const same[] = { "a|hdomids=4", "b|hdomids=4" };
	struct cells cs;
	struct param_lines_set pls;

	(void)state;
	cells_make(&cs, together, 2);
	param_lines_find(cs.c, cs.n, &pls);
	assert_int_equal(pls.n, 0);
	param_lines_set_free(&pls);
	cells_free(&cs);
	cells_make(&cs, kernels, 2);
	param_lines_find(cs.c, cs.n, &pls);
	assert_int_equal(pls.n, 0);
	param_lines_set_free(&pls);
	cells_free(&cs);
	cells_make(&cs, words, 2);
	param_lines_find(cs.c, cs.n, &pls);
	assert_int_equal(pls.n, 0);
	param_lines_set_free(&pls);
	cells_free(&cs);
	cells_make(&cs, same, 2);
	param_lines_find(cs.c, cs.n, &pls);
	assert_int_equal(pls.n, 0);
	param_lines_set_free(&pls);
	cells_free(&cs);
}

static void test_param_lines_sizes_and_cells_without_it(void **state)
{
	static const char *const spec[] = {
		"lab|bs=4k,iodepth=1",
		"lab|bs=64k,iodepth=1",
		"lab|iodepth=1",
		"lab|bs=huge,iodepth=1",
	};
	struct cells cs;
	struct param_lines_set pls;

	(void)state;
	cells_make(&cs, spec, 4);
	param_lines_find(cs.c, cs.n, &pls);
	assert_int_equal(pls.n, 1);
	assert_string_equal(pls.v[0].param, "bs");
	assert_true(pls.v[0].log2);
	assert_int_equal(pls.v[0].nline, 1);
	assert_string_equal(pls.v[0].line[0].title, "lab, iodepth=1");
	assert_int_equal(pls.v[0].line[0].n, 2);
	assert_double_equal(pls.v[0].line[0].x[0], 4096, 0);
	assert_double_equal(pls.v[0].line[0].x[1], 65536, 0);
	param_lines_set_free(&pls);
	cells_free(&cs);
}

static void test_param_lines_param_lookup(void **state)
{
	struct strv p = { 0 };

	(void)state;
	strv_split(&p, "hdomids=4,hdomid=9,hdomids=5");
	assert_string_equal(param_value(&p, "hdomids"), "4");
	assert_string_equal(param_value(&p, "hdomid"), "9");
	assert_null(param_value(&p, "hdom"));
	assert_null(param_value(NULL, "x"));
	strv_free(&p);
}

static const char two_windows[] =
	"{\"samples\": ["
	" {\"fanout\": {\"completion_waits\": {\"ns_hist\": ["
	"   {\"ge\": 0, \"lt\": 1, \"count\": 2},"
	"   {\"ge\": 512, \"lt\": 1024, \"count\": 10}]}}},"
	" {\"fanout\": null},"
	" {\"fanout\": {\"completion_waits\": {\"ns_hist\": ["
	"   {\"ge\": 512, \"lt\": 1024, \"count\": 5},"
	"   {\"ge\": 3, \"lt\": 7, \"count\": 99}]},"
	"  \"by_kind\": {\"nest_parent\": {\"latency_ns_hist\": []}}}}]}";

static void test_hist_sums_windows(void **state)
{
	json_object *r = json_tokener_parse(two_windows);
	struct strv paths = { 0 };
	struct hist h;

	(void)state;
	assert_non_null(r);
	assert_true(hist_sum(r, "completion_waits.ns_hist", &h));
	assert_double_equal(h.count[0], 2, 0);
	assert_double_equal(h.count[10], 15, 0);
	/* A bucket that is no power of two is not counted anywhere. */
	assert_double_equal(h.total, 17, 0);
	assert_false(hist_sum(r, "queue_stalls.ns_hist", &h));
	assert_double_equal(h.total, 0, 0);
	hist_paths(r, &paths);
	assert_int_equal(paths.n, 2);
	assert_string_equal(paths.v[0], "completion_waits.ns_hist");
	assert_string_equal(paths.v[1], "by_kind.nest_parent.latency_ns_hist");
	strv_free(&paths);
	json_object_put(r);
}

static void test_markdown_tables_and_escaping(void **state)
{
	const char *md = "# T\n\n| a | b |\n|---|---:|\n| x<br>y | 1 |\n";
	char *html = html_from_markdown(md, strlen(md));
	char *esc = html_escape("<a href=\"x\">&</a>");

	(void)state;
	assert_non_null(html);
	assert_contains(html, "<table>");
	assert_contains(html, "<td align=\"right\">1</td>");
	assert_contains(html, "x<br>y");
	assert_string_equal(esc, "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
	free(html);
	free(esc);
}

static void test_page_without_plots_says_why(void **state)
{
	char *path = tu_printf("%s/page.html", (char *)*state), *text;
	char err[ERRLEN] = "";
	struct plot_set ps;

	plot_set_init(&ps, *state, "");
	plot_set_skip(&ps, "Latency <histograms>: no window has any");
	assert_int_equal(html_write_page(path, "t & u", "## S\n\ntext\n", &ps,
					 err, sizeof(err)),
			 0);
	text = tu_read(path);
	assert_contains(text, "<title>t &amp; u</title>");
	assert_contains(text, "data-plots=\"0\"");
	assert_contains(text, "<h2>S</h2>");
	assert_contains(text, "Latency &lt;histograms&gt;: no window has any");
	free(text);
	free(path);
	plot_set_free(&ps);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_labelled_with_missing_values),
		cmocka_unit_test(test_table_unlabelled_numeric_x),
		cmocka_unit_test(test_lines_blocks_sorted_by_x),
		cmocka_unit_test(test_quote_and_slug),
		tu_test_tmp(test_draw_names_missing_script),
		cmocka_unit_test(test_gnuplot_missing_is_named),
		cmocka_unit_test(test_skip_records_why),
		cmocka_unit_test(test_param_lines_grid_gives_both_parameters),
		cmocka_unit_test(
			test_param_lines_sorts_by_value_and_series_split_lines),
		cmocka_unit_test(
			test_param_lines_needs_one_parameter_varying_alone),
		cmocka_unit_test(test_param_lines_sizes_and_cells_without_it),
		cmocka_unit_test(test_param_lines_param_lookup),
		cmocka_unit_test(test_hist_sums_windows),
		cmocka_unit_test(test_markdown_tables_and_escaping),
		tu_test_tmp(test_page_without_plots_says_why),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
