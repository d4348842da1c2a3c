// SPDX-License-Identifier: GPL-2.0
/* bpf/cmdq_counts.c: window arithmetic on cmdq counts (no BPF). */
#include "testutil.h"

#include <json-c/json.h>

#include "bpf/cmdq_probe.h"

#define NONE IOMMU_CMD_ID_NONE

static void assert_id(const struct cmdq_counts *c, size_t i,
		      unsigned int opcode, unsigned int id, uint64_t count)
{
	assert_true(i < c->nr_ids);
	assert_int_equal(c->ids[i].opcode, opcode);
	assert_int_equal(c->ids[i].id, id);
	assert_int_equal(c->ids[i].count, count);
}

static void test_delta_of_opcodes_and_total(void **state)
{
	struct cmdq_counts before = { 0 }, after = { 0 }, d;

	(void)state;
	before.by_opcode[IOMMU_CMD_COMPL_WAIT] = 1000;
	before.by_opcode[IOMMU_CMD_INV_IOMMU_PAGES] = 500;
	after.by_opcode[IOMMU_CMD_COMPL_WAIT] = 1250;
	after.by_opcode[IOMMU_CMD_INV_IOMMU_PAGES] = 500;
	after.by_opcode[IOMMU_CMD_INV_IRT] = 7;
	after.by_opcode[15] = 1;
	assert_int_equal(cmdq_counts_delta(&before, &after, &d), 0);
	assert_int_equal(d.by_opcode[IOMMU_CMD_COMPL_WAIT], 250);
	assert_int_equal(d.by_opcode[IOMMU_CMD_INV_IOMMU_PAGES], 0);
	assert_int_equal(d.by_opcode[IOMMU_CMD_INV_IRT], 7);
	assert_int_equal(d.by_opcode[15], 1);
	assert_int_equal(d.by_opcode[0], 0);
	assert_int_equal(cmdq_counts_total(&d), 258);
	assert_int_equal(cmdq_counts_total(&after), 1758);
	assert_int_equal(d.nr_ids, 0);
	cmdq_counts_free(&d);
}

static void test_delta_of_ids_sorted_zeros_dropped(void **state)
{
	/* before in no particular order, as a BPF hash map iterates. */
	struct cmdq_id_count b[] = {
		{ IOMMU_CMD_INV_IOMMU_PAGES, 7, 100 },
		{ IOMMU_CMD_COMPL_WAIT, NONE, 10 },
		{ IOMMU_CMD_INV_IOMMU_PAGES, 2, 5 },
		{ IOMMU_CMD_INV_IRT, 0x20, 3 },
	};
	struct cmdq_id_count a[] = {
		{ IOMMU_CMD_INV_IRT, 0x20, 3 }, /* unchanged: dropped */
		{ IOMMU_CMD_INV_IOMMU_PAGES, 9, 4 }, /* new in after */
		{ IOMMU_CMD_INV_IOMMU_PAGES, 2, 5 }, /* unchanged: dropped */
		{ IOMMU_CMD_INV_IRT, 0x100, 2 }, /* new in after */
		{ IOMMU_CMD_INV_IOMMU_PAGES, NONE, 1 }, /* new in after */
		{ IOMMU_CMD_COMPL_WAIT, NONE, 15 },
		{ IOMMU_CMD_INV_IOMMU_PAGES, 7, 130 },
	};
	struct cmdq_counts before = { .ids = b, .nr_ids = 4 };
	struct cmdq_counts after = { .ids = a, .nr_ids = 7 };
	struct cmdq_counts d;

	(void)state;
	assert_int_equal(cmdq_counts_delta(&before, &after, &d), 0);
	assert_int_equal(d.nr_ids, 5);
	/* By opcode, then by id (NONE, the largest id, last). */
	assert_id(&d, 0, IOMMU_CMD_COMPL_WAIT, NONE, 5);
	assert_id(&d, 1, IOMMU_CMD_INV_IOMMU_PAGES, 7, 30);
	assert_id(&d, 2, IOMMU_CMD_INV_IOMMU_PAGES, 9, 4);
	assert_id(&d, 3, IOMMU_CMD_INV_IOMMU_PAGES, NONE, 1);
	assert_id(&d, 4, IOMMU_CMD_INV_IRT, 0x100, 2);
	/* The inputs are left as they were. */
	assert_int_equal(b[0].id, 7);
	assert_int_equal(b[1].opcode, IOMMU_CMD_COMPL_WAIT);
	assert_int_equal(a[0].opcode, IOMMU_CMD_INV_IRT);
	assert_int_equal(a[6].count, 130);
	cmdq_counts_free(&d);
	assert_null(d.ids);
	assert_int_equal(d.nr_ids, 0);
}

static void test_delta_with_empty_before_is_after_sorted(void **state)
{
	struct cmdq_id_count a[] = {
		{ IOMMU_CMD_INV_IOTLB_PAGES, 0x20, 3 },
		{ IOMMU_CMD_INV_DEV_ENTRY, 0x20, 1 },
		{ IOMMU_CMD_INV_IOTLB_PAGES, 0x8, 6 },
	};
	struct cmdq_counts before = { 0 };
	struct cmdq_counts after = { .ids = a, .nr_ids = 3 };
	struct cmdq_counts d;

	(void)state;
	assert_int_equal(cmdq_counts_delta(&before, &after, &d), 0);
	assert_int_equal(d.nr_ids, 3);
	assert_id(&d, 0, IOMMU_CMD_INV_DEV_ENTRY, 0x20, 1);
	assert_id(&d, 1, IOMMU_CMD_INV_IOTLB_PAGES, 0x8, 6);
	assert_id(&d, 2, IOMMU_CMD_INV_IOTLB_PAGES, 0x20, 3);
	cmdq_counts_free(&d);
}

static void test_delta_of_identical_windows_is_empty(void **state)
{
	struct cmdq_id_count ids[] = {
		{ IOMMU_CMD_COMPL_WAIT, NONE, 10 },
		{ IOMMU_CMD_INV_IOMMU_PAGES, 1, 4 },
	};
	struct cmdq_counts c = { .ids = ids, .nr_ids = 2, .id_overflow = 3 };
	struct cmdq_counts d;

	(void)state;
	c.by_opcode[IOMMU_CMD_COMPL_WAIT] = 10;
	c.by_opcode[IOMMU_CMD_INV_IOMMU_PAGES] = 4;
	assert_int_equal(cmdq_counts_delta(&c, &c, &d), 0);
	assert_int_equal(d.nr_ids, 0);
	assert_int_equal(d.id_overflow, 0);
	assert_int_equal(cmdq_counts_total(&d), 0);
	cmdq_counts_free(&d);
}

static void test_delta_of_id_overflow(void **state)
{
	struct cmdq_counts before = { .id_overflow = 2 };
	struct cmdq_counts after = { .id_overflow = 9 };
	struct cmdq_counts d;

	(void)state;
	assert_int_equal(cmdq_counts_delta(&before, &after, &d), 0);
	assert_int_equal(d.id_overflow, 7);
	cmdq_counts_free(&d);
}

static void test_delta_completion_wait_window(void **state)
{
	struct cmdq_counts before = { .cw_seq_to = 100, .cw_seq_first = 40 };
	struct cmdq_counts after = { .cw_seq_to = 180, .cw_seq_first = 40 };
	struct cmdq_counts d;

	(void)state;
	assert_int_equal(cmdq_counts_delta(&before, &after, &d), 0);
	/* The waits after 100 through 180. */
	assert_int_equal(d.cw_seq_from, 100);
	assert_int_equal(d.cw_seq_to, 180);
	cmdq_counts_free(&d);
}

static void test_delta_first_window_starts_before_first_wait(void **state)
{
	/* Nothing seen at the first read: the window starts after the wait
	 * just before the first one the probe saw.
	 */
	struct cmdq_counts before = { 0 };
	struct cmdq_counts after = { .cw_seq_to = 90, .cw_seq_first = 41 };
	struct cmdq_counts d;

	(void)state;
	assert_int_equal(cmdq_counts_delta(&before, &after, &d), 0);
	assert_int_equal(d.cw_seq_from, 40);
	assert_int_equal(d.cw_seq_to, 90);
	cmdq_counts_free(&d);
	/* No wait at all: no window to name. */
	after.cw_seq_to = after.cw_seq_first = 0;
	assert_int_equal(cmdq_counts_delta(&before, &after, &d), 0);
	assert_int_equal(d.cw_seq_from, 0);
	assert_int_equal(d.cw_seq_to, 0);
	cmdq_counts_free(&d);
}

static void test_delta_of_queue_waits(void **state)
{
	struct cmdq_counts before = {
		.waits = { .count = 10, .timed = 10, .ns = 5000 }
	};
	struct cmdq_counts after = {
		.waits = { .count = 13, .timed = 12, .ns = 9000 },
		.waits_timed = true
	};
	struct cmdq_counts d;

	(void)state;
	before.waits.hist[13] = 10;
	after.waits.hist[13] = 11;
	after.waits.hist[14] = 1;
	assert_int_equal(cmdq_counts_delta(&before, &after, &d), 0);
	assert_int_equal(d.waits.count, 3);
	assert_int_equal(d.waits.timed, 2);
	assert_int_equal(d.waits.ns, 4000);
	assert_int_equal(d.waits.hist[13], 1);
	assert_int_equal(d.waits.hist[14], 1);
	assert_int_equal(d.waits.hist[12], 0);
	assert_true(d.waits_timed);
	cmdq_counts_free(&d);
}

static void test_delta_of_timeouts(void **state)
{
	struct cmdq_counts before = { .timeouts = { 1, 0, 0 },
				      .timeouts_counted = true };
	struct cmdq_counts after = { .timeouts = { 3, 1, 0 },
				     .timeouts_counted = true };
	struct cmdq_counts d;

	(void)state;
	assert_int_equal(cmdq_counts_delta(&before, &after, &d), 0);
	assert_true(d.timeouts_counted);
	assert_int_equal(d.timeouts.completion_wait_timeouts, 2);
	assert_int_equal(d.timeouts.command_buffer_timeouts, 1);
	cmdq_counts_free(&d);
	/* log records lost in the window: its timeouts are not known */
	after.timeouts.lost = 1;
	assert_int_equal(cmdq_counts_delta(&before, &after, &d), 0);
	assert_false(d.timeouts_counted);
	cmdq_counts_free(&d);
	/* nor when the log was not read */
	after.timeouts.lost = 0;
	after.timeouts_counted = false;
	assert_int_equal(cmdq_counts_delta(&before, &after, &d), 0);
	assert_false(d.timeouts_counted);
	cmdq_counts_free(&d);
}

static void test_total_of_nothing_is_zero(void **state)
{
	struct cmdq_counts c = { 0 };

	(void)state;
	assert_int_equal(cmdq_counts_total(&c), 0);
	/* Freeing an empty set is harmless. */
	cmdq_counts_free(&c);
	assert_null(c.ids);
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

static void test_cmdq_counts_json_totals_and_names(void **state)
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
	o = cmdq_counts_json(&c);
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

static void test_cmdq_counts_json_queue_waits(void **state)
{
	struct cmdq_counts c = { .waits = { .count = 3, .timed = 3, .ns = 900 },
				 .waits_timed = true };
	json_object *o, *w, *v;

	(void)state;
	c.waits.hist[9] = 3;
	o = cmdq_counts_json(&c);
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
	o = cmdq_counts_json(&c);
	assert_true(json_object_object_get_ex(o, "queue_waits", &w));
	assert_int_equal(get_u64(w, "count"), 3);
	assert_false(json_object_object_get_ex(w, "timed", NULL));
	assert_false(json_object_object_get_ex(w, "ns", NULL));
	assert_false(json_object_object_get_ex(w, "hist", NULL));
	json_object_put(o);
}

static void test_cmdq_counts_json_empty(void **state)
{
	struct cmdq_counts c = { 0 };
	json_object *o, *v;

	(void)state;
	o = cmdq_counts_json(&c);
	assert_int_equal(get_u64(o, "total"), 0);
	assert_true(json_object_object_get_ex(o, "by_opcode", &v));
	assert_int_equal(json_object_object_length(v), 0);
	assert_true(json_object_object_get_ex(o, "by_id", &v));
	assert_int_equal(json_object_array_length(v), 0);
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delta_of_opcodes_and_total),
		cmocka_unit_test(test_delta_of_ids_sorted_zeros_dropped),
		cmocka_unit_test(test_delta_with_empty_before_is_after_sorted),
		cmocka_unit_test(test_delta_of_identical_windows_is_empty),
		cmocka_unit_test(test_delta_of_id_overflow),
		cmocka_unit_test(test_delta_completion_wait_window),
		cmocka_unit_test(
			test_delta_first_window_starts_before_first_wait),
		cmocka_unit_test(test_delta_of_queue_waits),
		cmocka_unit_test(test_delta_of_timeouts),
		cmocka_unit_test(test_total_of_nothing_is_zero),
		cmocka_unit_test(test_iommu_cmd_name_maps_amd_opcodes),
		cmocka_unit_test(test_iommu_cmd_name_unknown_opcodes),
		cmocka_unit_test(test_cmdq_counts_json_totals_and_names),
		cmocka_unit_test(test_cmdq_counts_json_queue_waits),
		cmocka_unit_test(test_cmdq_counts_json_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
