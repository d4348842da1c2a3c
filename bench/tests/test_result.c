// SPDX-License-Identifier: GPL-2.0
/* bench/src/lib/result.h: result documents, command names, counts as JSON. */
#include "testutil.h"

#include <json-c/json.h>

#include "lib/result.h"
#include "lib/util.h"

#define MINIMAL_RESULT                                                         \
	"{\"schema\":\"invlab.result\",\"version\":1,\"status\":\"complete\"," \
	"\"samples\":[]}"

static json_object *load_text(const char *dir, const char *text, char *err,
			      size_t err_len, char **path)
{
	*path = tu_write(dir, "r.json", text);
	return result_load(*path, err, err_len);
}

static void test_result_write_then_load_round_trips(void **state)
{
	char err[ERRLEN] = "";
	char *path = tu_printf("%s/result.json", (char *)*state);
	json_object *doc = json_tokener_parse(MINIMAL_RESULT), *back, *v;
	char *text;

	assert_non_null(doc);
	json_object_object_add(doc, "note", json_object_new_string("a/b"));
	assert_int_equal(result_write(doc, path), 0);
	back = result_load(path, err, sizeof(err));
	if (!back)
		fail_msg("result_load: %s", err);
	assert_true(json_object_equal(doc, back));
	assert_true(json_object_object_get_ex(back, "status", &v));
	assert_string_equal(json_object_get_string(v), "complete");
	/* Pretty-printed, newline-terminated, slashes unescaped. */
	text = tu_read(path);
	assert_contains(text, "\n  \"version\"");
	assert_contains(text, "\"a/b\"");
	assert_int_equal(text[strlen(text) - 1], '\n');
	assert_int_equal(tu_count_entries(*state, ".tmp."), 0);
	free(text);
	json_object_put(back);
	json_object_put(doc);
	free(path);
}

static void test_result_write_overwrites_previous(void **state)
{
	char err[ERRLEN] = "";
	char *path = tu_printf("%s/result.json", (char *)*state);
	json_object *doc = json_tokener_parse(MINIMAL_RESULT), *back, *v;

	json_object_object_add(doc, "status",
			       json_object_new_string("running"));
	assert_int_equal(result_write(doc, path), 0);
	json_object_object_add(doc, "status",
			       json_object_new_string("complete"));
	assert_int_equal(result_write(doc, path), 0);
	back = result_load(path, err, sizeof(err));
	assert_non_null(back);
	assert_true(json_object_object_get_ex(back, "status", &v));
	assert_string_equal(json_object_get_string(v), "complete");
	assert_int_equal(tu_count_entries(*state, ""), 1);
	json_object_put(back);
	json_object_put(doc);
	free(path);
}

static void test_result_write_into_missing_directory_fails(void **state)
{
	char *path = tu_printf("%s/gone/result.json", (char *)*state);
	json_object *doc = json_tokener_parse(MINIMAL_RESULT);

	assert_int_equal(result_write(doc, path), -ENOENT);
	assert_int_equal(tu_count_entries(*state, ""), 0);
	json_object_put(doc);
	free(path);
}

static void test_result_load_accepts_minimal_document(void **state)
{
	char err[ERRLEN] = "";
	char *path;
	json_object *doc =
		load_text(*state, MINIMAL_RESULT, err, sizeof(err), &path);

	if (!doc)
		fail_msg("result_load: %s", err);
	json_object_put(doc);
	free(path);
}

static void test_result_load_rejects_wrong_schema(void **state)
{
	char err[ERRLEN] = "";
	char *path;

	assert_null(load_text(*state,
			      "{\"schema\":\"other.result\",\"version\":1,"
			      "\"status\":\"complete\",\"samples\":[]}",
			      err, sizeof(err), &path));
	assert_contains(err, path);
	assert_contains(err, "invlab.result");
	free(path);
}

/* Each of these once crashed or passed result_load. */
static void test_result_load_rejects_malformed_documents(void **state)
{
	static const char *const docs[] = {
		"{\"schema\":null,\"version\":1,\"status\":\"complete\",\"samples\":[]}",
		"{\"schema\":\"invlab.result\",\"version\":\"1\",\"status\":\"complete\",\"samples\":[]}",
		"{\"schema\":\"invlab.result\",\"version\":1.9,\"status\":\"complete\",\"samples\":[]}",
		"{\"schema\":\"invlab.result\",\"version\":1,\"status\":\"complete\",\"samples\":3}",
		"{\"schema\":\"invlab.result\",\"version\":1,\"status\":null,\"samples\":[]}",
		"{\"schema\":\"invlab.result\",\"version\":1,\"status\":\"complete\",\"samples\":[]} trailing",
		"null",
	};

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		char err[ERRLEN] = "";
		char *path;
		json_object *doc =
			load_text(*state, docs[i], err, sizeof(err), &path);

		if (doc)
			fail_msg("result_load accepted %s", docs[i]);
		assert_contains(err, path);
		free(path);
	}
}

static void test_result_load_rejects_missing_schema(void **state)
{
	char err[ERRLEN] = "";
	char *path;

	assert_null(load_text(*state,
			      "{\"version\":1,\"status\":\"complete\","
			      "\"samples\":[]}",
			      err, sizeof(err), &path));
	assert_contains(err, "not an invlab result");
	free(path);
}

static void test_result_load_rejects_wrong_version_naming_it(void **state)
{
	char err[ERRLEN] = "";
	char *path;

	assert_null(load_text(*state,
			      "{\"schema\":\"invlab.result\",\"version\":2,"
			      "\"status\":\"complete\",\"samples\":[]}",
			      err, sizeof(err), &path));
	assert_contains(err, path);
	assert_contains(err, "version 2");
	free(path);
}

static void test_result_load_rejects_missing_version(void **state)
{
	char err[ERRLEN] = "";
	char *path;

	assert_null(load_text(*state,
			      "{\"schema\":\"invlab.result\","
			      "\"status\":\"complete\",\"samples\":[]}",
			      err, sizeof(err), &path));
	assert_contains(err, "version (none)");
	free(path);
}

static void test_result_load_rejects_truncated_file(void **state)
{
	char err[ERRLEN] = "";
	char *path;
	char *text = tu_printf("%s", MINIMAL_RESULT);

	text[strlen(text) - 12] = '\0';
	assert_null(load_text(*state, text, err, sizeof(err), &path));
	assert_contains(err, path);
	assert_contains(err, "not valid JSON");
	assert_contains(err, "truncated");
	free(text);
	free(path);
}

static void test_result_load_rejects_empty_file(void **state)
{
	char err[ERRLEN] = "";
	char *path;

	assert_null(load_text(*state, "", err, sizeof(err), &path));
	assert_contains(err, "not valid JSON");
	free(path);
}

static void test_result_load_rejects_missing_file(void **state)
{
	char err[ERRLEN] = "";
	char *path = tu_printf("%s/absent.json", (char *)*state);

	assert_null(result_load(path, err, sizeof(err)));
	assert_contains(err, path);
	assert_contains(err, "No such file");
	free(path);
}

static void test_result_load_rejects_missing_samples(void **state)
{
	char err[ERRLEN] = "";
	char *path;

	assert_null(load_text(*state,
			      "{\"schema\":\"invlab.result\",\"version\":1,"
			      "\"status\":\"complete\"}",
			      err, sizeof(err), &path));
	assert_contains(err, path);
	assert_contains(err, "samples");
	free(path);
}

static void test_result_load_rejects_missing_status(void **state)
{
	char err[ERRLEN] = "";
	char *path;

	assert_null(load_text(*state,
			      "{\"schema\":\"invlab.result\",\"version\":1,"
			      "\"samples\":[]}",
			      err, sizeof(err), &path));
	assert_contains(err, "status");
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		tu_test_tmp(test_result_write_then_load_round_trips),
		tu_test_tmp(test_result_write_overwrites_previous),
		tu_test_tmp(test_result_write_into_missing_directory_fails),
		tu_test_tmp(test_result_load_accepts_minimal_document),
		tu_test_tmp(test_result_load_rejects_wrong_schema),
		tu_test_tmp(test_result_load_rejects_malformed_documents),
		tu_test_tmp(test_result_load_rejects_missing_schema),
		tu_test_tmp(test_result_load_rejects_wrong_version_naming_it),
		tu_test_tmp(test_result_load_rejects_missing_version),
		tu_test_tmp(test_result_load_rejects_truncated_file),
		tu_test_tmp(test_result_load_rejects_empty_file),
		tu_test_tmp(test_result_load_rejects_missing_file),
		tu_test_tmp(test_result_load_rejects_missing_samples),
		tu_test_tmp(test_result_load_rejects_missing_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
