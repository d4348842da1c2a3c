// SPDX-License-Identifier: GPL-2.0
/* bench/src/lib/conf.h: INI data files. */
#include "testutil.h"

#include "lib/conf.h"

static const char sample[] = "; a comment\n"
			     "[a]\n"
			     "x = 1\n"
			     "y = two words\n"
			     "x = 3\n"
			     "\n"
			     "[b]\n"
			     "k = v\n"
			     "n = 5000\n"
			     "bad = 12abc\n"
			     "empty =\n"
			     "[a]\n"
			     "z = 9\n"
			     "[c]\n"
			     "k = w\n";

/* Load sample (or text) from a file in the test's directory. */
static char *load(const char *dir, const char *text, struct conf *c)
{
	char err[ERRLEN] = "";
	char *path = tu_write(dir, "sample.conf", text);

	if (conf_load(path, c, err, sizeof(err)))
		fail_msg("conf_load %s: %s", path, err);
	return path;
}

static void test_conf_get_last_value_wins(void **state)
{
	struct conf c;
	char *path = load(*state, sample, &c);

	assert_string_equal(conf_get(&c, "a", "x"), "3");
	assert_string_equal(conf_get(&c, "a", "y"), "two words");
	/* A key from a repeated section is found too. */
	assert_string_equal(conf_get(&c, "a", "z"), "9");
	assert_string_equal(conf_get(&c, "b", "k"), "v");
	assert_string_equal(conf_get(&c, "c", "k"), "w");
	assert_string_equal(conf_get(&c, "b", "empty"), "");
	conf_free(&c);
	free(path);
}

static void test_conf_get_absent_is_null(void **state)
{
	struct conf c;
	char *path = load(*state, sample, &c);

	assert_null(conf_get(&c, "b", "x"));
	assert_null(conf_get(&c, "nosuch", "x"));
	assert_null(conf_get(&c, "a", "X"));
	conf_free(&c);
	free(path);
}

static void test_conf_sections_in_file_order_each_once(void **state)
{
	struct strv secs = { 0 };
	struct conf c;
	char *path = load(*state, sample, &c);

	conf_sections(&c, &secs);
	assert_int_equal(secs.n, 3);
	assert_string_equal(secs.v[0], "a");
	assert_string_equal(secs.v[1], "b");
	assert_string_equal(secs.v[2], "c");
	assert_null(secs.v[3]);
	assert_true(conf_has_section(&c, "b"));
	assert_false(conf_has_section(&c, "d"));
	strv_free(&secs);
	conf_free(&c);
	free(path);
}

static void test_conf_get_long_in_range_and_default(void **state)
{
	char err[ERRLEN] = "";
	struct conf c;
	char *path = load(*state, sample, &c);
	long v = 0;

	assert_int_equal(
		conf_get_long(&c, "a", "x", 7, 0, 10, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 3);
	assert_int_equal(conf_get_long(&c, "a", "absent", 7, 0, 10, &v, err,
				       sizeof(err)),
			 0);
	assert_int_equal(v, 7);
	/* The bounds are inclusive. */
	assert_int_equal(conf_get_long(&c, "b", "n", 0, 5000, 5000, &v, err,
				       sizeof(err)),
			 0);
	assert_int_equal(v, 5000);
	conf_free(&c);
	free(path);
}

static void test_conf_get_long_out_of_range_names_file_section_key(void **state)
{
	char err[ERRLEN] = "";
	struct conf c;
	char *path = load(*state, sample, &c);
	long v = -1;

	assert_int_not_equal(conf_get_long(&c, "b", "n", 1, 1, 1000, &v, err,
					   sizeof(err)),
			     0);
	assert_contains(err, path);
	assert_contains(err, "[b] n = 5000");
	assert_contains(err, "1 to 1000");
	/* Nothing is stored on failure. */
	assert_int_equal(v, -1);
	conf_free(&c);
	free(path);
}

static void test_conf_get_long_rejects_trailing_junk_and_empty(void **state)
{
	char err[ERRLEN] = "";
	struct conf c;
	char *path = load(*state, sample, &c);
	long v = -1;

	assert_int_not_equal(conf_get_long(&c, "b", "bad", 0, 0, 100000, &v,
					   err, sizeof(err)),
			     0);
	assert_contains(err, path);
	assert_contains(err, "[b] bad = 12abc");
	err[0] = '\0';
	assert_int_not_equal(conf_get_long(&c, "b", "empty", 0, 0, 10, &v, err,
					   sizeof(err)),
			     0);
	assert_contains(err, "[b] empty");
	assert_int_equal(v, -1);
	conf_free(&c);
	free(path);
}

static void test_conf_require_names_file_and_key(void **state)
{
	char err[ERRLEN] = "";
	struct conf c;
	char *path = load(*state, sample, &c);

	assert_string_equal(conf_require(&c, "a", "y", err, sizeof(err)),
			    "two words");
	assert_null(conf_require(&c, "a", "missing", err, sizeof(err)));
	assert_contains(err, path);
	assert_contains(err, "[a] needs missing");
	/* An empty value counts as missing. */
	err[0] = '\0';
	assert_null(conf_require(&c, "b", "empty", err, sizeof(err)));
	assert_contains(err, "[b] needs empty");
	conf_free(&c);
	free(path);
}

static void test_conf_load_malformed_line_names_file_and_line(void **state)
{
	char err[ERRLEN] = "";
	char *path = tu_write(*state, "bad.conf",
			      "[a]\nx = 1\n\nthis line has no equals sign\n"
			      "y = 2\n");
	char *where = tu_printf("%s:4:", path);
	struct conf c;

	assert_int_not_equal(conf_load(path, &c, err, sizeof(err)), 0);
	assert_contains(err, where);
	conf_free(&c);
	free(where);
	free(path);
}

static void test_conf_load_unclosed_section_names_line(void **state)
{
	char err[ERRLEN] = "";
	char *path = tu_write(*state, "bad.conf", "[a]\nx = 1\n[b\ny = 2\n");
	char *where = tu_printf("%s:3:", path);
	struct conf c;

	assert_int_not_equal(conf_load(path, &c, err, sizeof(err)), 0);
	assert_contains(err, where);
	conf_free(&c);
	free(where);
	free(path);
}

static void test_conf_load_missing_file_names_it(void **state)
{
	char err[ERRLEN] = "";
	char *path = tu_printf("%s/absent.conf", (char *)*state);
	struct conf c;

	assert_int_not_equal(conf_load(path, &c, err, sizeof(err)), 0);
	assert_contains(err, path);
	assert_contains(err, "No such file");
	conf_free(&c);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		tu_test_tmp(test_conf_get_last_value_wins),
		tu_test_tmp(test_conf_get_absent_is_null),
		tu_test_tmp(test_conf_sections_in_file_order_each_once),
		tu_test_tmp(test_conf_get_long_in_range_and_default),
		tu_test_tmp(
			test_conf_get_long_out_of_range_names_file_section_key),
		tu_test_tmp(test_conf_get_long_rejects_trailing_junk_and_empty),
		tu_test_tmp(test_conf_require_names_file_and_key),
		tu_test_tmp(test_conf_load_malformed_line_names_file_and_line),
		tu_test_tmp(test_conf_load_unclosed_section_names_line),
		tu_test_tmp(test_conf_load_missing_file_names_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
