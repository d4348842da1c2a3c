// SPDX-License-Identifier: GPL-2.0
/*
 * bench/src/analysis/boots.h: per-boot medians, the run summary, the two
 * levels' spreads and the boots a comparison needs.
 */
#include "testutil.h"

#include <math.h>

#include "analysis/boots.h"
#include "analysis/stats.h"

static void test_boot_medians_group_in_order(void **state)
{
	const double v[] = { 10, 30, 20, 5, 7, 6 };
	const int boot[] = { 2, 2, 2, 1, 1, 1 };
	struct samples s = { v, boot, 6, NULL };
	struct boot_medians b;

	(void)state;
	boot_medians(&s, false, &b);
	assert_int_equal(b.k, 2);
	assert_double_equal(b.y[0], 20, 0);
	assert_double_equal(b.y[1], 6, 0);
	assert_int_equal(b.windows[0], 3);
	boot_medians_free(&b);
	assert_int_equal(samples_boots(&s), 2);
	/* the median of the boots' medians: 13, not the windows' 8.5 */
	assert_double_equal(samples_summary(&s), 13, 0);
}

static void test_without_boots_everything_is_one_boot(void **state)
{
	const double v[] = { 1, 2, 3 };
	struct samples s = { v, NULL, 3, NULL };
	struct var_comp vc;

	(void)state;
	assert_int_equal(samples_boots(&s), 1);
	var_components(&s, true, &vc);
	assert_int_equal(vc.boots, 1);
	assert_false(isnan(vc.within));
	assert_true(isnan(vc.between));
	assert_int_equal(boots_to_detect(&vc, 3, 0.05, 0.01, 0.95), 0);
}

static void test_spreads_of_a_known_lab(void **state)
{
	double v[400];
	int boot[400];
	struct samples s = { v, boot, 400, NULL };
	struct var_comp vc;
	struct rng r;

	(void)state;
	rng_seed(&r, 7);
	/* 40 boots of 10 windows: 5% between boots, 1% within */
	for (int b = 0; b < 40; b++) {
		double off = 0.05 * rng_normal(&r);

		for (int w = 0; w < 10; w++) {
			v[b * 10 + w] = 1000 * exp(off + 0.01 * rng_normal(&r));
			boot[b * 10 + w] = b + 1;
		}
	}
	var_components(&s, true, &vc);
	assert_int_equal(vc.boots, 40);
	assert_float_equal(vc.within, 0.01, 0.002);
	assert_float_equal(vc.between, 0.05, 0.015);
	/* windows do not help when boots dominate; boots do */
	assert_true(boots_to_detect(&vc, 10, 0.05, 0.01, 0.95) >
		    boots_to_detect(&vc, 10, 0.2, 0.01, 0.95));
	assert_true(boots_to_detect(&vc, 10, 0.05, 0.01, 0.95) >= 10);
}

static void test_positive_values_take_logs(void **state)
{
	const double pos[] = { 1, 2 }, zero[] = { 0, 2 };
	struct samples p = { pos, NULL, 2, NULL }, z = { zero, NULL, 2, NULL };

	(void)state;
	assert_true(samples_positive(&p));
	assert_false(samples_positive(&z));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_medians_group_in_order),
		cmocka_unit_test(test_without_boots_everything_is_one_boot),
		cmocka_unit_test(test_spreads_of_a_known_lab),
		cmocka_unit_test(test_positive_values_take_logs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
