// SPDX-License-Identifier: GPL-2.0
/* bpf/fanout_stats.h: summing, deltas and JSON of the fanout counters. */
#include "testutil.h"

#include <json-c/json.h>

#include "bpf/fanout_stats.h"

static void test_kind_names_follow_the_tracepoint_enum(void **state)
{
	(void)state;
	assert_string_equal(fanout_kind_name(FANOUT_KIND_DOMAIN_PAGES),
			    "domain_pages");
	assert_string_equal(fanout_kind_name(FANOUT_KIND_NEST_PARENT),
			    "nest_parent");
	assert_string_equal(fanout_kind_name(FANOUT_KIND_IRT), "irt");
	assert_string_equal(fanout_kind_name(FANOUT_KIND_PASID), "pasid");
	assert_string_equal(fanout_kind_name(FANOUT_NR_KINDS), "unknown");
}

static void test_hist_slots_are_log2_ranges(void **state)
{
	unsigned long long slots[FANOUT_SLOTS] = { 0 };
	json_object *h, *e;

	(void)state;
	slots[0] = 5; /* zeros */
	slots[1] = 2; /* [1, 2) */
	slots[11] = 7; /* [1024, 2048) */
	h = fanout_hist_json(slots);
	assert_int_equal(json_object_array_length(h), 3);
	e = json_object_array_get_idx(h, 0);
	assert_int_equal(
		json_object_get_uint64(json_object_object_get(e, "ge")), 0);
	assert_int_equal(
		json_object_get_uint64(json_object_object_get(e, "lt")), 1);
	e = json_object_array_get_idx(h, 2);
	assert_int_equal(
		json_object_get_uint64(json_object_object_get(e, "ge")), 1024);
	assert_int_equal(
		json_object_get_uint64(json_object_object_get(e, "lt")), 2048);
	assert_int_equal(
		json_object_get_uint64(json_object_object_get(e, "count")), 7);
	json_object_put(h);
}

static void test_add_then_delta_per_field(void **state)
{
	struct fanout_totals before = { 0 }, after = { 0 }, d;
	struct fanout_kind_stats k[FANOUT_NR_KINDS] = { 0 };
	struct fanout_queue_stats q = { 0 };

	(void)state;
	k[FANOUT_KIND_IRT].events = 3;
	k[FANOUT_KIND_IRT].commands = 9;
	k[FANOUT_KIND_IRT].walked_hist[2] = 3;
	q.commands = 9;
	q.wait_hist[10] = 1;
	/* Two CPUs' values sum. */
	fanout_totals_add(&after, k, &q);
	fanout_totals_add(&after, k, &q);
	assert_int_equal(after.kinds[FANOUT_KIND_IRT].events, 6);
	assert_int_equal(after.kinds[FANOUT_KIND_IRT].walked_hist[2], 6);
	assert_int_equal(after.queue.wait_hist[10], 2);
	fanout_totals_add(&before, k, &q);
	fanout_totals_delta(&before, &after, &d);
	assert_int_equal(d.kinds[FANOUT_KIND_IRT].events, 3);
	assert_int_equal(d.kinds[FANOUT_KIND_IRT].commands, 9);
	assert_int_equal(d.queue.commands, 9);
	assert_int_equal(d.kinds[FANOUT_KIND_DOMAIN_PAGES].events, 0);
}

static void test_json_leaves_out_kinds_without_events(void **state)
{
	struct fanout_totals t = { 0 };
	json_object *o, *by, *x;

	(void)state;
	t.kinds[FANOUT_KIND_NEST_PARENT].events = 2;
	t.kinds[FANOUT_KIND_NEST_PARENT].commands = 128;
	t.kinds[FANOUT_KIND_NEST_PARENT].walked = 128;
	t.queue.commands = 130;
	t.queue.unattributed[1] = 2; /* COMPLETION_WAIT */
	o = fanout_totals_json(&t, true);
	by = json_object_object_get(o, "by_kind");
	assert_int_equal(json_object_object_length(by), 1);
	x = json_object_object_get(by, "nest_parent");
	assert_non_null(x);
	assert_int_equal(
		json_object_get_uint64(json_object_object_get(x, "walked")),
		128);
	assert_int_equal(json_object_get_uint64(json_object_object_get(
				 o, "unattributed_total")),
			 2);
	assert_non_null(json_object_object_get(
		json_object_object_get(o, "unattributed"), "COMPLETION_WAIT"));
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_names_follow_the_tracepoint_enum),
		cmocka_unit_test(test_hist_slots_are_log2_ranges),
		cmocka_unit_test(test_add_then_delta_per_field),
		cmocka_unit_test(test_json_leaves_out_kinds_without_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
