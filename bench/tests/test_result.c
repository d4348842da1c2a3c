// SPDX-License-Identifier: GPL-2.0
/* bench/src/result.h: result documents, command names, counts as JSON. */
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

static void test_iommu_cmd_name_maps_amd_opcodes(void **state)
{
	static const char *const names[] = {
		[1] = "COMPLETION_WAIT",
		[2] = "INVALIDATE_DEVTAB_ENTRY",
		[3] = "INVALIDATE_IOMMU_PAGES",
		[4] = "INVALIDATE_IOTLB_PAGES",
		[5] = "INVALIDATE_INTERRUPT_TABLE",
		[6] = "PREFETCH_IOMMU_PAGES",
		[7] = "COMPLETE_PPR_REQUEST",
		[8] = "INVALIDATE_IOMMU_ALL",
	};

	(void)state;
	for (unsigned int op = 1; op <= 8; op++)
		assert_string_equal(iommu_cmd_name(op), names[op]);
}

static void test_iommu_cmd_name_unknown_opcodes(void **state)
{
	static const unsigned int others[] = { 0, 9, 15, 16, 255, 0xffffffffu };

	(void)state;
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		assert_string_equal(iommu_cmd_name(others[i]), "UNKNOWN");
}

static uint64_t get_u64(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		fail_msg("no \"%s\" in %s", key, json_object_to_json_string(o));
	return json_object_get_uint64(v);
}

static void test_result_counts_json_totals_and_names(void **state)
{
	struct cmdq_id_count ids[] = {
		{ IOMMU_CMD_COMPL_WAIT, IOMMU_CMD_ID_NONE, 40 },
		{ IOMMU_CMD_INV_IOMMU_PAGES, 5, 25 },
		{ IOMMU_CMD_INV_IOMMU_PAGES, 0, 1 },
	};
	struct cmdq_counts c = { .ids = ids, .nr_ids = 3, .id_overflow = 2 };
	json_object *o, *by_op, *by_id, *e, *v;

	(void)state;
	c.by_opcode[IOMMU_CMD_COMPL_WAIT] = 40;
	c.by_opcode[IOMMU_CMD_INV_IOMMU_PAGES] = 26;
	o = result_counts_json(&c);
	assert_int_equal(get_u64(o, "total"), 66);
	assert_int_equal(get_u64(o, "id_overflow"), 2);

	/* Only the opcodes that occurred, by name. */
	assert_true(json_object_object_get_ex(o, "by_opcode", &by_op));
	assert_int_equal(json_object_object_length(by_op), 2);
	assert_int_equal(get_u64(by_op, "COMPLETION_WAIT"), 40);
	assert_int_equal(get_u64(by_op, "INVALIDATE_IOMMU_PAGES"), 26);

	assert_true(json_object_object_get_ex(o, "by_id", &by_id));
	assert_int_equal(json_object_array_length(by_id), 3);
	e = json_object_array_get_idx(by_id, 0);
	assert_true(json_object_object_get_ex(e, "opcode", &v));
	assert_string_equal(json_object_get_string(v), "COMPLETION_WAIT");
	/* IOMMU_CMD_ID_NONE is null, not 4294967295 or -1. */
	assert_true(json_object_object_get_ex(e, "id", &v));
	assert_null(v);
	assert_int_equal(get_u64(e, "count"), 40);
	e = json_object_array_get_idx(by_id, 1);
	assert_true(json_object_object_get_ex(e, "opcode", &v));
	assert_string_equal(json_object_get_string(v),
			    "INVALIDATE_IOMMU_PAGES");
	assert_int_equal(get_u64(e, "id"), 5);
	assert_int_equal(get_u64(e, "count"), 25);
	/* Id 0 is a real domain id, not null. */
	e = json_object_array_get_idx(by_id, 2);
	assert_true(json_object_object_get_ex(e, "id", &v));
	assert_non_null(v);
	assert_int_equal(json_object_get_int(v), 0);
	json_object_put(o);
}

static void test_result_counts_json_queue_waits(void **state)
{
	struct cmdq_counts c = { .waits = { .count = 3, .timed = 3, .ns = 900 },
				 .waits_timed = true };
	json_object *o, *w, *v;

	(void)state;
	c.waits.hist[9] = 3;
	o = result_counts_json(&c);
	assert_true(json_object_object_get_ex(o, "queue_waits", &w));
	assert_int_equal(get_u64(w, "count"), 3);
	assert_int_equal(get_u64(w, "timed"), 3);
	assert_int_equal(get_u64(w, "ns"), 900);
	assert_true(json_object_object_get_ex(w, "hist", &v));
	assert_int_equal(json_object_array_length(v), 1);
	assert_int_equal(get_u64(json_object_array_get_idx(v, 0), "ge"), 256);
	json_object_put(o);

	/* Counted but not timed: no time that would look measured. */
	c.waits_timed = false;
	o = result_counts_json(&c);
	assert_true(json_object_object_get_ex(o, "queue_waits", &w));
	assert_int_equal(get_u64(w, "count"), 3);
	assert_false(json_object_object_get_ex(w, "timed", NULL));
	assert_false(json_object_object_get_ex(w, "ns", NULL));
	assert_false(json_object_object_get_ex(w, "hist", NULL));
	json_object_put(o);
}

static void test_result_counts_json_empty(void **state)
{
	struct cmdq_counts c = { 0 };
	json_object *o, *v;

	(void)state;
	o = result_counts_json(&c);
	assert_int_equal(get_u64(o, "total"), 0);
	assert_true(json_object_object_get_ex(o, "by_opcode", &v));
	assert_int_equal(json_object_object_length(v), 0);
	assert_true(json_object_object_get_ex(o, "by_id", &v));
	assert_int_equal(json_object_array_length(v), 0);
	json_object_put(o);
}

static void test_result_fio_json_carries_metrics(void **state)
{
	struct fio_metrics m = { .version = "fio-3.39",
				 .total_ios = 24183,
				 .iops = 4836.6,
				 .clat_p99_ns = 477184,
				 .clat_p999_ns = 1613824 };
	json_object *o, *v;

	(void)state;
	o = result_fio_json(&m);
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
		cmocka_unit_test(test_iommu_cmd_name_maps_amd_opcodes),
		cmocka_unit_test(test_iommu_cmd_name_unknown_opcodes),
		cmocka_unit_test(test_result_counts_json_totals_and_names),
		cmocka_unit_test(test_result_counts_json_queue_waits),
		cmocka_unit_test(test_result_counts_json_empty),
		cmocka_unit_test(test_result_fio_json_carries_metrics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
