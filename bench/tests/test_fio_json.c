// SPDX-License-Identifier: GPL-2.0
/* workloads/fio/fio.h: fio_parse_json on real fio 3.39 output. */
#include "testutil.h"

#include <json-c/json.h>

#include "workloads/fio/fio.h"
#include "lib/util.h"

/* The fixture is a 5 s 4 KiB randread on the lab NVMe (group_reporting). */
#define FIXTURE "fio-randread-4k.json"

static char *fixture_text(void)
{
	char *path = tu_fixture(FIXTURE);
	char *text = tu_read(path);

	if (!text)
		fail_msg("cannot read fixture %s", path);
	free(path);
	return text;
}

/* The fixture as a JSON tree, for tests that derive broken variants. */
static json_object *fixture_json(void)
{
	char *text = fixture_text();
	json_object *root = json_tokener_parse(text);

	assert_non_null(root);
	free(text);
	return root;
}

static json_object *first_job(json_object *root)
{
	json_object *jobs;

	assert_true(json_object_object_get_ex(root, "jobs", &jobs));
	return json_object_array_get_idx(jobs, 0);
}

/* Parse a tree as fio text; returns fio_parse_json's result. */
static int parse_tree(json_object *root, const char *dir, struct fio_metrics *m,
		      char *err, size_t err_len)
{
	const char *text =
		json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY);

	return fio_parse_json(text, dir, m, err, err_len);
}

static void test_fio_real_output_read_metrics(void **state)
{
	char err[ERRLEN] = "";
	char *text = fixture_text();
	struct fio_metrics m;

	(void)state;
	if (fio_parse_json(text, "read", &m, err, sizeof(err)))
		fail_msg("fio_parse_json: %s", err);
	assert_string_equal(m.version, "fio-3.39");
	assert_int_equal(m.total_ios, 24183);
	assert_int_equal(m.io_bytes, 99053568);
	assert_double_equal(m.iops, 4836.6, 1e-9);
	assert_double_equal(m.bw_kib_s, 19346.0, 1e-9);
	assert_double_equal(m.runtime_ms, 5000.0, 1e-9);
	assert_double_equal(m.clat_mean_ns, 193874.160981, 1e-6);
	assert_double_equal(m.clat_p50_ns, 175104.0, 1e-9);
	assert_double_equal(m.clat_p99_ns, 477184.0, 1e-9);
	assert_double_equal(m.clat_p999_ns, 1613824.0, 1e-9);
	free(text);
}

static void test_fio_notes_before_json_are_skipped(void **state)
{
	char err[ERRLEN] = "";
	char *json = fixture_text();
	char *text = tu_printf(
		"note: both iodepth >= 1 and synchronous I/O engine are selected, queue depth will be capped at 1\n%s",
		json);
	struct fio_metrics m;

	(void)state;
	if (fio_parse_json(text, "read", &m, err, sizeof(err)))
		fail_msg("fio_parse_json: %s", err);
	assert_int_equal(m.total_ios, 24183);
	assert_double_equal(m.clat_p99_ns, 477184.0, 1e-9);
	free(text);
	free(json);
}

static void test_fio_truncated_json_is_an_error(void **state)
{
	char err[ERRLEN] = "";
	char *text = fixture_text();
	struct fio_metrics m;

	(void)state;
	/* Cut inside the read block, after "iops" but before the end. */
	text[strlen(text) / 2] = '\0';
	assert_int_not_equal(fio_parse_json(text, "read", &m, err, sizeof(err)),
			     0);
	assert_contains(err, "not valid JSON");
	free(text);
}

static void test_fio_no_json_object_is_an_error(void **state)
{
	char err[ERRLEN] = "";
	struct fio_metrics m;

	(void)state;
	assert_int_not_equal(
		fio_parse_json(
			"fio: failed to open /dev/nvme0n1: No such file\n",
			"read", &m, err, sizeof(err)),
		0);
	assert_contains(err, "no JSON object");
	err[0] = '\0';
	assert_int_not_equal(fio_parse_json("", "read", &m, err, sizeof(err)),
			     0);
	assert_contains(err, "no JSON object");
}

static void test_fio_two_jobs_is_an_error_naming_group_reporting(void **state)
{
	char err[ERRLEN] = "";
	json_object *root = fixture_json(), *jobs;
	struct fio_metrics m;

	(void)state;
	assert_true(json_object_object_get_ex(root, "jobs", &jobs));
	json_object_array_add(jobs, json_object_get(first_job(root)));
	assert_int_not_equal(parse_tree(root, "read", &m, err, sizeof(err)), 0);
	assert_contains(err, "2 jobs");
	assert_contains(err, "group_reporting");
	json_object_put(root);
}

static void test_fio_zero_jobs_is_an_error(void **state)
{
	char err[ERRLEN] = "";
	json_object *root = fixture_json();
	struct fio_metrics m;

	(void)state;
	json_object_object_add(root, "jobs", json_object_new_array());
	assert_int_not_equal(parse_tree(root, "read", &m, err, sizeof(err)), 0);
	assert_contains(err, "0 jobs");
	json_object_put(root);
}

static void test_fio_missing_jobs_array_is_an_error(void **state)
{
	char err[ERRLEN] = "";
	struct fio_metrics m;

	(void)state;
	assert_int_not_equal(fio_parse_json("{\"fio version\": \"fio-3.39\"}",
					    "read", &m, err, sizeof(err)),
			     0);
	assert_contains(err, "\"jobs\"");
}

/* Remove one clat percentile from the read block; parsing must fail. */
static void check_missing_percentile(const char *key)
{
	char err[ERRLEN] = "";
	json_object *root = fixture_json(), *io, *clat, *pct;
	struct fio_metrics m;

	assert_true(json_object_object_get_ex(first_job(root), "read", &io));
	assert_true(json_object_object_get_ex(io, "clat_ns", &clat));
	assert_true(json_object_object_get_ex(clat, "percentile", &pct));
	assert_true(json_object_object_get_ex(pct, key, NULL));
	json_object_object_del(pct, key);
	assert_int_not_equal(parse_tree(root, "read", &m, err, sizeof(err)), 0);
	assert_contains(err, "\"read\".clat_ns.percentile");
	json_object_put(root);
}

static void test_fio_missing_percentile_is_an_error(void **state)
{
	(void)state;
	check_missing_percentile("50.000000");
	check_missing_percentile("99.000000");
	check_missing_percentile("99.900000");
}

static void test_fio_missing_total_ios_is_an_error(void **state)
{
	char err[ERRLEN] = "";
	json_object *root = fixture_json(), *io;
	struct fio_metrics m;

	(void)state;
	assert_true(json_object_object_get_ex(first_job(root), "read", &io));
	json_object_object_del(io, "total_ios");
	assert_int_not_equal(parse_tree(root, "read", &m, err, sizeof(err)), 0);
	assert_contains(err, "total_ios");
	json_object_put(root);
}

/* Set read.KEY to v; parsing must fail naming KEY (no float-to-int UB). */
static void check_bad_count(const char *key, json_object *v)
{
	char err[ERRLEN] = "";
	json_object *root = fixture_json(), *io;
	struct fio_metrics m;

	assert_true(json_object_object_get_ex(first_job(root), "read", &io));
	json_object_object_add(io, key, v);
	assert_int_not_equal(parse_tree(root, "read", &m, err, sizeof(err)), 0);
	assert_contains(err, key);
	json_object_put(root);
}

/* Counts beyond uint64_t (the fuzzer's 1444...2555) or below 0. */
static void test_fio_count_out_of_range_is_an_error(void **state)
{
	(void)state;
	check_bad_count("total_ios", json_object_new_uint64(UINT64_MAX));
	check_bad_count("total_ios", json_object_new_double(1e300));
	check_bad_count("total_ios", json_object_new_int(-1));
	check_bad_count("io_bytes", json_object_new_double(-1.5));
	check_bad_count("io_bytes", json_object_new_string("many"));
}

static void test_fio_write_direction_of_read_job_is_an_error(void **state)
{
	char err[ERRLEN] = "";
	char *text = fixture_text();
	struct fio_metrics m;

	(void)state;
	/* The job only read: its "write" block has no I/O. */
	assert_int_not_equal(
		fio_parse_json(text, "write", &m, err, sizeof(err)), 0);
	assert_contains(err, "write");
	free(text);
}

static void test_fio_zero_ios_with_percentiles_is_an_error(void **state)
{
	char err[ERRLEN] = "";
	json_object *root = fixture_json(), *io;
	struct fio_metrics m;

	(void)state;
	/* Percentiles present but no I/O: the "did no I/O" check itself. */
	assert_true(json_object_object_get_ex(first_job(root), "read", &io));
	json_object_object_add(io, "total_ios", json_object_new_int(0));
	assert_int_not_equal(parse_tree(root, "read", &m, err, sizeof(err)), 0);
	assert_contains(err, "did no read I/O");
	json_object_put(root);
}

static void test_fio_unknown_direction_is_an_error(void **state)
{
	char err[ERRLEN] = "";
	char *text = fixture_text();
	struct fio_metrics m;

	(void)state;
	assert_int_not_equal(
		fio_parse_json(text, "sideways", &m, err, sizeof(err)), 0);
	assert_contains(err, "\"sideways\"");
	free(text);
}

static uint64_t get_u64(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		fail_msg("no \"%s\" in %s", key, json_object_to_json_string(o));
	return json_object_get_uint64(v);
}

static void test_fio_metrics_json_carries_metrics(void **state)
{
	struct fio_metrics m = { .version = "fio-3.39",
				 .total_ios = 24183,
				 .iops = 4836.6,
				 .clat_p99_ns = 477184,
				 .clat_p999_ns = 1613824 };
	json_object *o, *v;

	(void)state;
	o = fio_metrics_json(&m);
	assert_true(json_object_object_get_ex(o, "fio_version", &v));
	assert_string_equal(json_object_get_string(v), "fio-3.39");
	assert_int_equal(get_u64(o, "total_ios"), 24183);
	assert_true(json_object_object_get_ex(o, "iops", &v));
	assert_double_equal(json_object_get_double(v), 4836.6, 1e-9);
	assert_true(json_object_object_get_ex(o, "clat_p99_ns", &v));
	assert_double_equal(json_object_get_double(v), 477184, 1e-9);
	assert_true(json_object_object_get_ex(o, "clat_p99_9_ns", &v));
	assert_double_equal(json_object_get_double(v), 1613824, 1e-9);
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fio_real_output_read_metrics),
		cmocka_unit_test(test_fio_notes_before_json_are_skipped),
		cmocka_unit_test(test_fio_truncated_json_is_an_error),
		cmocka_unit_test(test_fio_no_json_object_is_an_error),
		cmocka_unit_test(
			test_fio_two_jobs_is_an_error_naming_group_reporting),
		cmocka_unit_test(test_fio_zero_jobs_is_an_error),
		cmocka_unit_test(test_fio_missing_jobs_array_is_an_error),
		cmocka_unit_test(test_fio_missing_percentile_is_an_error),
		cmocka_unit_test(test_fio_missing_total_ios_is_an_error),
		cmocka_unit_test(test_fio_count_out_of_range_is_an_error),
		cmocka_unit_test(
			test_fio_write_direction_of_read_job_is_an_error),
		cmocka_unit_test(
			test_fio_zero_ios_with_percentiles_is_an_error),
		cmocka_unit_test(test_fio_unknown_direction_is_an_error),
		cmocka_unit_test(test_fio_metrics_json_carries_metrics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
