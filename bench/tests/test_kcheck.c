// SPDX-License-Identifier: GPL-2.0
/* bench/src/run/kcheck.h: what a nest-parent allocation must get. */
#include "testutil.h"

#include "run/kcheck.h"

static void test_nest_parent_knob_on_must_allocate(void **state)
{
	(void)state;
	assert_true(kcheck_nest_parent_expected(1, 0));
	assert_false(kcheck_nest_parent_expected(1, -EOPNOTSUPP));
	assert_false(kcheck_nest_parent_expected(1, -EINVAL));
}

static void test_nest_parent_knob_off_must_refuse_like_upstream(void **state)
{
	(void)state;
	/* Off, or a kernel without the knob: EOPNOTSUPP and nothing else. */
	assert_true(kcheck_nest_parent_expected(0, -EOPNOTSUPP));
	assert_true(kcheck_nest_parent_expected(-1, -EOPNOTSUPP));
	assert_false(kcheck_nest_parent_expected(0, 0));
	assert_false(kcheck_nest_parent_expected(-1, 0));
	assert_false(kcheck_nest_parent_expected(0, -ENODEV));
}

static void test_event_list_is_the_patch_set(void **state)
{
	int n = 0;

	(void)state;
	while (kcheck_events[n])
		n++;
	assert_int_equal(n, 5);
	assert_string_equal(kcheck_events[0], "amd_iommu_cmd_queued");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nest_parent_knob_on_must_allocate),
		cmocka_unit_test(
			test_nest_parent_knob_off_must_refuse_like_upstream),
		cmocka_unit_test(test_event_list_is_the_patch_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
