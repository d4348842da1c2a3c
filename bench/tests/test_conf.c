// SPDX-License-Identifier: GPL-2.0
/* bench/src/lib/conf.h: INI data files. */
#include "testutil.h"

#include <limits.h>

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

/* ---- conf_check: a reader's table --------------------------------------- */

static const struct conf_key t_suite_keys[] = {
	{ "kernels", CONF_LIST }, { "repetitions", 0 }, { "warmup", 0 },
	{ "description", 0 },	  { NULL, 0 },
};
static const struct conf_key t_matrix_keys[] = { { "*", CONF_LIST },
						 { NULL, 0 } };
static const struct conf_key t_thing_keys[] = { { "type", 0 }, { NULL, 0 } };
static const struct conf_key t_color_keys[] = { { "shade", 0 }, { NULL, 0 } };
static const struct conf_key t_device_keys[] = { { "driver", 0 }, { NULL, 0 } };

/* [thing] type = color has shade; no other type is known */
static const struct conf_key *t_type_keys(const char *type)
{
	return !strcmp(type, "color") ? t_color_keys : NULL;
}

static const struct conf_section t_sections[] = {
	{ "suite", t_suite_keys, NULL, NULL },
	{ "matrix", t_matrix_keys, NULL, NULL },
	{ "thing", t_thing_keys, "type", t_type_keys },
	{ "device *", t_device_keys, NULL, NULL },
	{ NULL, NULL, NULL, NULL },
};

/* A file of free sections ("*"), as the policy's metrics. */
static const struct conf_key t_defaults_keys[] = { { "alpha", 0 },
						   { NULL, 0 } };
static const struct conf_key t_rule_keys[] = { { "direction", 0 },
					       { NULL, 0 } };
static const struct conf_section t_policy[] = {
	{ "defaults", t_defaults_keys, NULL, NULL },
	{ "*", t_rule_keys, NULL, NULL },
	{ NULL, NULL, NULL, NULL },
};

/* text must load, and fail t's check with "PATH:" needle in the error. */
static void expect_check_error(const char *dir, const struct conf_section *t,
			       const char *text, const char *needle)
{
	char err[ERRLEN] = "";
	struct conf c;
	char *path = load(dir, text, &c),
	     *want = tu_printf("%s:%s", path, needle);

	if (!conf_check(&c, t, err, sizeof(err)))
		fail_msg("conf_check accepted:\n%s", text);
	assert_contains(err, want);
	conf_free(&c);
	free(want);
	free(path);
}

static void expect_check_ok(const char *dir, const struct conf_section *t,
			    const char *text)
{
	char err[ERRLEN] = "";
	struct conf c;
	char *path = load(dir, text, &c);

	if (conf_check(&c, t, err, sizeof(err)))
		fail_msg("conf_check refused:\n%s\n%s", text, err);
	conf_free(&c);
	free(path);
}

static void test_check_accepts_what_the_table_says(void **state)
{
	expect_check_ok(*state, t_sections,
			"[suite]\nkernels = 6.12 7.3\nrepetitions = 3\n"
			"[matrix]\nbs = 4k 64k\niodepth = 1\n"
			"[thing]\ntype = color\nshade = red\n"
			"[device nic0]\ndriver = e1000e\n"
			"[device nic1]\ndriver = e1000e\n");
	/* an empty section of the table is fine */
	expect_check_ok(*state, t_sections, "[suite]\n[thing]\n");
	expect_check_ok(*state, t_policy,
			"[defaults]\nalpha = 1\n[iops]\ndirection = up\n");
}

static void test_check_unknown_section_names_file_and_line(void **state)
{
	/* a near miss */
	expect_check_error(*state, t_sections, "[suite]\nwarmup = 1\n[suit]\n",
			   "3: unknown section [suit] (did you mean [suite]?)");
	expect_check_error(
		*state, t_sections, "[suite]\n[devcie nic0]\ndriver = x\n",
		"2: unknown section [devcie nic0] (did you mean [device nic0]?)");
	/* none near: what there is */
	expect_check_error(
		*state, t_sections, "[suite]\n\n[workload]\n",
		"3: unknown section [workload] (expected [suite], [matrix], "
		"[thing] or [device NAME])");
	/* [device] needs its NAME, one word */
	expect_check_error(*state, t_sections, "[device]\ndriver = x\n",
			   "1: unknown section [device]");
	expect_check_error(
		*state, t_sections, "[device a b]\ndriver = x\n",
		"1: unknown section [device a b] (did you mean [device NAME]?)");
	/* a misspelt fixed section among free ones */
	expect_check_error(
		*state, t_policy,
		"[defaults]\nalpha = 1\n[iops]\ndirection = up\n"
		"[defualts]\nalpha = 2\n",
		"5: unknown section [defualts] (did you mean [defaults]?)");
}

static void test_check_unknown_key_names_file_and_line(void **state)
{
	expect_check_error(
		*state, t_sections,
		"; a suite\n[suite]\nkernels = 6.12\nrepetitons = 7\n",
		"4: [suite] unknown key 'repetitons' (did you mean "
		"'repetitions'?)");
	/* swapped letters are one edit */
	expect_check_error(*state, t_sections, "[suite]\nwramup = 1\n",
			   "2: [suite] unknown key 'wramup' (did you mean "
			   "'warmup'?)");
	/* nothing near: the keys there are */
	expect_check_error(*state, t_sections, "[suite]\ncolour = red\n",
			   "2: [suite] unknown key 'colour' (expected kernels, "
			   "repetitions, warmup or description)");
	expect_check_error(*state, t_policy, "[defaults]\nalpah = 0.5\n",
			   "2: [defaults] unknown key 'alpah' (did you mean "
			   "'alpha'?)");
	expect_check_error(
		*state, t_policy, "[iops]\ndirection = up\nalpha = 0.5\n",
		"3: [iops] unknown key 'alpha' (expected direction)");
}

static void test_check_typed_section_takes_its_types_keys(void **state)
{
	expect_check_error(*state, t_sections,
			   "[thing]\ntype = color\nshaed = red\n",
			   "3: [thing] unknown key 'shaed' (did you mean "
			   "'shade'?)");
	/* an unknown or missing type: its reader says so, not the check */
	expect_check_ok(*state, t_sections, "[thing]\ntype = smell\nx = 1\n");
	expect_check_ok(*state, t_sections, "[thing]\nx = 1\n");
}

static void test_check_duplicates_name_both_lines(void **state)
{
	expect_check_error(*state, t_sections,
			   "[suite]\nrepetitions = 3\nwarmup = 1\n"
			   "repetitions = 5\n",
			   "4: [suite] repetitions given twice (first at "
			   "line 2)");
	expect_check_error(*state, t_sections,
			   "[suite]\nwarmup = 1\n[matrix]\nbs = 4k\n"
			   "[suite]\nrepetitions = 2\n",
			   "5: [suite] given twice (first at line 1)");
	expect_check_error(*state, t_sections,
			   "[device a]\ndriver = x\n[device a]\n",
			   "3: [device a] given twice (first at line 1)");
	/* a word twice in a list */
	expect_check_error(*state, t_sections,
			   "[suite]\nkernels = 6.12 7.3 6.12\n",
			   "2: [suite] kernels = 6.12 7.3 6.12: 6.12 given "
			   "twice");
	expect_check_error(*state, t_sections,
			   "[matrix]\nbs = 4k\niodepth = 1, 8,1\n",
			   "3: [matrix] iodepth = 1, 8,1: 1 given twice");
	/* a key in no section */
	expect_check_error(*state, t_sections, "x = 1\n[suite]\n",
			   "1: x = 1 comes before any [section]");
}

/* ---- conf_load: what inih would take silently --------------------------- */

static void expect_load_error(const char *dir, const char *text, size_t len,
			      const char *needle)
{
	char err[ERRLEN] = "";
	char *path = tu_write_len(dir, "bad.conf", text, len);
	char *want = tu_printf("%s:%s", path, needle);
	struct conf c;

	assert_int_not_equal(conf_load(path, &c, err, sizeof(err)), 0);
	assert_contains(err, want);
	assert_null(c.e);
	free(want);
	free(path);
}

static void test_conf_load_indented_continuation_is_an_error(void **state)
{
	static const char text[] = "[suite]\nkernels = 6.12\n"
				   "  repetitions = 5\n";

	expect_load_error(*state, text, strlen(text),
			  "3: an indented line continues [suite] kernels from "
			  "line 2");
}

static void test_conf_load_long_line_and_nul_byte_name_the_line(void **state)
{
	static const char nul[] = "[a]\nx = 1\ny = a\0b\n";
	char *text = tu_printf("[a]\nx = %0250d\n", 1);

	expect_load_error(*state, text, strlen(text),
			  "2: line longer than 198 characters");
	expect_load_error(*state, nul, sizeof(nul) - 1,
			  "3: a NUL byte: this is not a text file");
	free(text);
}

static void test_conf_entries_and_sections_know_their_lines(void **state)
{
	struct conf c;
	char *path = load(*state, sample, &c);

	assert_int_equal(conf_find(&c, "a", "y")->line, 4);
	assert_int_equal(conf_find(&c, "a", "x")->line, 5);
	assert_int_equal(conf_section_line(&c, "b"), 7);
	assert_int_equal(conf_section_line(&c, "a"), 2);
	assert_int_equal(conf_section_line(&c, "d"), 0);
	conf_free(&c);
	free(path);
}

/* ---- values ----------------------------------------------------------- */

static void test_conf_numbers_strict_with_line_and_range(void **state)
{
	static const char *const bad_long[] = {
		"-",   "+5",   " 5",
		"5 ",  "0x10", "1e3",
		"5.0", "",     "99999999999999999999"
	};
	static const char *const bad_double[] = { "nan",     "inf",   "-inf",
						  "1e999",   "0x1p3", "1.5x",
						  "",	     ".",     "1,5",
						  "infinity" };
	char err[ERRLEN] = "";
	struct conf c;
	char *path;
	double d = 42;
	long v = 42;

	for (size_t i = 0; i < ARRAY_SIZE(bad_long); i++)
		if (!parse_long(bad_long[i], LONG_MIN, LONG_MAX, &v))
			fail_msg("parse_long took '%s'", bad_long[i]);
	for (size_t i = 0; i < ARRAY_SIZE(bad_double); i++)
		if (!parse_double(bad_double[i], -1e300, 1e300, &d))
			fail_msg("parse_double took '%s'", bad_double[i]);
	assert_int_equal(v, 42);
	assert_int_equal(parse_long("-7", -10, 10, &v), 0);
	assert_int_equal(v, -7);
	assert_int_equal(parse_double("-1.5e-3", -1, 1, &d), 0);
	assert_float_equal(d, -1.5e-3, 1e-12);

	path = load(*state,
		    "[s]\nreps = -1\nalpha = nan\nbeta = 0.5\nflag = maybe\n",
		    &c);
	assert_int_not_equal(conf_get_long(&c, "s", "reps", 3, 1, 1000, &v, err,
					   sizeof(err)),
			     0);
	assert_contains(err, ":2: [s] reps = -1: expected a whole number "
			     "from 1 to 1000");
	assert_int_not_equal(conf_get_double(&c, "s", "alpha", 0.01, 1e-6, 0.5,
					     &d, err, sizeof(err)),
			     0);
	assert_contains(err, ":3: [s] alpha = nan: expected a number from "
			     "1e-06 to 0.5");
	assert_int_not_equal(conf_get_double(&c, "s", "beta", 0.01, 0, 0.25, &d,
					     err, sizeof(err)),
			     0);
	assert_contains(err, ":4: [s] beta = 0.5: expected a number from 0 "
			     "to 0.25");
	assert_int_equal(conf_get_double(&c, "s", "beta", 0.01, 0, 1, &d, err,
					 sizeof(err)),
			 0);
	assert_float_equal(d, 0.5, 0);
	assert_int_equal(conf_get_double(&c, "s", "gamma", 0.01, 0, 1, &d, err,
					 sizeof(err)),
			 0);
	assert_float_equal(d, 0.01, 0);
	assert_int_not_equal(conf_get_bool(&c, "s", "flag", false,
					   &(bool){ false }, err, sizeof(err)),
			     0);
	assert_contains(err, ":5: [s] flag = maybe: expected yes or no");
	conf_free(&c);
	free(path);
}

static void test_conf_require_names_a_near_miss(void **state)
{
	char err[ERRLEN] = "";
	struct conf c;
	char *path = load(*state, "[workload]\ntpye = fio\njob = x\n", &c);

	assert_null(conf_require(&c, "workload", "type", err, sizeof(err)));
	assert_contains(err, ":2: [workload] unknown key 'tpye' (did you "
			     "mean 'type'?)");
	assert_null(conf_require(&c, "workload", "device", err, sizeof(err)));
	assert_contains(err, ":1: [workload] needs device = ...");
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
		tu_test_tmp(test_check_accepts_what_the_table_says),
		tu_test_tmp(test_check_unknown_section_names_file_and_line),
		tu_test_tmp(test_check_unknown_key_names_file_and_line),
		tu_test_tmp(test_check_typed_section_takes_its_types_keys),
		tu_test_tmp(test_check_duplicates_name_both_lines),
		tu_test_tmp(test_conf_load_indented_continuation_is_an_error),
		tu_test_tmp(
			test_conf_load_long_line_and_nul_byte_name_the_line),
		tu_test_tmp(test_conf_entries_and_sections_know_their_lines),
		tu_test_tmp(test_conf_numbers_strict_with_line_and_range),
		tu_test_tmp(test_conf_require_names_a_near_miss),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
