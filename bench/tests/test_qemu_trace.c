// SPDX-License-Identifier: GPL-2.0
/* bench/src/lab/qemu_trace.h and selfcheck.h: QEMU's count against the probe's. */
#include "testutil.h"

#include <json-c/json.h>

#include "lab/qemu_trace.h"
#include "lab/selfcheck.h"
#include "lib/util.h"

/* As QEMU 10.0's log backend writes them (-D FILE -trace amdvi_...). */
#define CW(n)                                                                 \
	"amdvi_completion_wait completion wait requested with store address " \
	"0x1229000 and store data " #n "\n"
#define PAGES "amdvi_pages_inval AMD-Vi pages for domain 0x5 invalidated\n"
#define IRT "amdvi_intr_inval Interrupt table invalidated\n"
#define DTE \
	"amdvi_devtab_inval device table entry for devid: 00:14.0 invalidated\n"

static void test_opcode_of_each_event(void **state)
{
	uint64_t d = 0;

	(void)state;
	assert_int_equal(qemu_trace_opcode(CW(0x2a), &d), IOMMU_CMD_COMPL_WAIT);
	assert_int_equal(d, 42);
	assert_int_equal(qemu_trace_opcode(PAGES, &d),
			 IOMMU_CMD_INV_IOMMU_PAGES);
	assert_int_equal(qemu_trace_opcode(IRT, &d), IOMMU_CMD_INV_IRT);
	assert_int_equal(qemu_trace_opcode(DTE, &d), IOMMU_CMD_INV_DEV_ENTRY);
	assert_int_equal(
		qemu_trace_opcode(
			"amdvi_all_inval Invalidation of all AMD-Vi cache requested \n",
			&d),
		IOMMU_CMD_INV_ALL);
	/* With the pid@time: prefix some QEMU builds print. */
	assert_int_equal(qemu_trace_opcode("1234@1.000001:" PAGES, &d),
			 IOMMU_CMD_INV_IOMMU_PAGES);
}

static void test_other_lines_are_no_command(void **state)
{
	uint64_t d = 0;

	(void)state;
	assert_int_equal(qemu_trace_opcode("amdvi_mmio_read MMIO_...\n", &d),
			 -1);
	/* A prefix of a known event is not that event. */
	assert_int_equal(qemu_trace_opcode("amdvi_pages_invalx y\n", &d), -1);
	assert_int_equal(qemu_trace_opcode("some amdvi_pages_inval\n", &d), -1);
	/* A completion wait without its data cannot place a window. */
	assert_int_equal(qemu_trace_opcode("amdvi_completion_wait\n", &d), -1);
	assert_int_equal(qemu_trace_opcode("", &d), -1);
}

/* Boot-time commands, then two windows: 5..6 and 7..8. */
#define LOG \
	CW(0x4) IRT DTE CW(0x5) PAGES CW(0x6) PAGES PAGES CW(0x7) IRT CW(0x8)

static void test_windows_between_completion_waits(void **state)
{
	struct qemu_cmd_window w[2] = { { .after = 4, .through = 6 },
					{ .after = 6, .through = 8 } };
	char err[ERRLEN] = "", *log = tu_write(*state, "q.log", LOG);

	assert_int_equal(qemu_trace_count(log, w, 2, err, sizeof(err)), 0);
	assert_true(w[0].started && w[0].ended);
	assert_int_equal(w[0].by_opcode[IOMMU_CMD_INV_IRT], 1);
	assert_int_equal(w[0].by_opcode[IOMMU_CMD_INV_DEV_ENTRY], 1);
	assert_int_equal(w[0].by_opcode[IOMMU_CMD_INV_IOMMU_PAGES], 1);
	assert_int_equal(w[0].by_opcode[IOMMU_CMD_COMPL_WAIT], 2);
	assert_int_equal(w[1].by_opcode[IOMMU_CMD_INV_IOMMU_PAGES], 2);
	assert_int_equal(w[1].by_opcode[IOMMU_CMD_INV_IRT], 1);
	assert_int_equal(w[1].by_opcode[IOMMU_CMD_COMPL_WAIT], 2);
	free(log);
}

static void test_window_not_in_trace_is_reported(void **state)
{
	struct qemu_cmd_window w = { .after = 100, .through = 101 };
	char err[ERRLEN] = "", *log = tu_write(*state, "q.log", LOG);

	assert_int_equal(qemu_trace_count(log, &w, 1, err, sizeof(err)), 0);
	assert_false(w.started);
	assert_false(w.ended);
	free(log);
}

static void test_missing_log_names_it(void **state)
{
	struct qemu_cmd_window w = { .after = 1, .through = 2 };
	char err[ERRLEN] = "";
	char *p = tu_printf("%s/absent.log", (char *)*state);

	assert_int_equal(qemu_trace_count(p, &w, 1, err, sizeof(err)), -1);
	assert_contains(err, p);
	free(p);
}

/* A result with one window whose probe counts are given. */
static json_object *result_with(const char *by_opcode, unsigned after,
				unsigned through)
{
	char *text = tu_printf(
		"{\"samples\": [{\"commands\": {\"by_opcode\": %s,"
		" \"completion_wait_seq\": {\"after\": %u, \"through\": %u}}}]}",
		by_opcode, after, through);
	json_object *o = json_tokener_parse(text);

	free(text);
	return o;
}

static bool exact_of(json_object *sc)
{
	return json_object_get_boolean(json_object_object_get(sc, "exact"));
}

static void test_selfcheck_equal_counts_are_exact(void **state)
{
	char *log = tu_write(*state, "q.log", LOG);
	json_object *r = result_with(
		"{\"COMPLETION_WAIT\": 2, \"INVALIDATE_IOMMU_PAGES\": 2,"
		" \"INVALIDATE_INTERRUPT_TABLE\": 1}",
		6, 8);
	json_object *sc = selfcheck_compare(r, log);

	assert_true(exact_of(sc));
	json_object_put(sc);
	json_object_put(r);
	free(log);
}

static void test_selfcheck_one_command_off_differs(void **state)
{
	char *log = tu_write(*state, "q.log", LOG);
	json_object *r = result_with(
		"{\"COMPLETION_WAIT\": 2, \"INVALIDATE_IOMMU_PAGES\": 3,"
		" \"INVALIDATE_INTERRUPT_TABLE\": 1}",
		6, 8);
	json_object *sc = selfcheck_compare(r, log);

	assert_false(exact_of(sc));
	assert_contains(
		json_object_get_string(json_object_object_get(sc, "error")),
		"window 1");
	json_object_put(sc);
	json_object_put(r);
	free(log);
}

static void test_selfcheck_needs_windows_and_sequence(void **state)
{
	char *log = tu_write(*state, "q.log", LOG);
	json_object *none = json_tokener_parse("{\"samples\": []}");
	json_object *noseq = json_tokener_parse(
		"{\"samples\": [{\"commands\": {\"by_opcode\": {}}}]}");
	json_object *sc = selfcheck_compare(none, log);

	assert_false(exact_of(sc));
	json_object_put(sc);
	sc = selfcheck_compare(noseq, log);
	assert_false(exact_of(sc));
	assert_contains(
		json_object_get_string(json_object_object_get(sc, "error")),
		"sequence");
	json_object_put(sc);
	/* No result at all (the guest wrote none). */
	sc = selfcheck_compare(NULL, log);
	assert_false(exact_of(sc));
	json_object_put(sc);
	json_object_put(none);
	json_object_put(noseq);
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opcode_of_each_event),
		cmocka_unit_test(test_other_lines_are_no_command),
		tu_test_tmp(test_windows_between_completion_waits),
		tu_test_tmp(test_window_not_in_trace_is_reported),
		tu_test_tmp(test_missing_log_names_it),
		tu_test_tmp(test_selfcheck_equal_counts_are_exact),
		tu_test_tmp(test_selfcheck_one_command_off_differs),
		tu_test_tmp(test_selfcheck_needs_windows_and_sequence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
