// SPDX-License-Identifier: GPL-2.0
/* bench/src/stats.h: median, min_of, max_of. */
#include "testutil.h"

#include <math.h>

#include "stats.h"

static void test_median_of_nothing_is_nan(void **state)
{
	(void)state;
	assert_true(isnan(median(NULL, 0)));
}

static void test_median_odd_count_is_middle_value(void **state)
{
	double v[] = { 9.0, -1.5, 4.0, 100.0, 3.0 };

	(void)state;
	assert_double_equal(median(v, 5), 4.0, 0.0);
}

static void test_median_even_count_averages_middle_pair(void **state)
{
	double v[] = { 40.0, 10.0, 30.0, 20.0 };

	(void)state;
	assert_double_equal(median(v, 4), 25.0, 0.0);
}

static void test_median_of_one_value(void **state)
{
	double v[] = { 7.25 };

	(void)state;
	assert_double_equal(median(v, 1), 7.25, 0.0);
}

static void test_median_sorts_its_input(void **state)
{
	double v[] = { 3.0, 1.0, 2.0 };

	(void)state;
	median(v, 3);
	assert_double_equal(v[0], 1.0, 0.0);
	assert_double_equal(v[1], 2.0, 0.0);
	assert_double_equal(v[2], 3.0, 0.0);
}

static void test_median_uses_only_first_n(void **state)
{
	double v[] = { 5.0, 1.0, 1000.0 };

	(void)state;
	assert_double_equal(median(v, 2), 3.0, 0.0);
	assert_double_equal(v[2], 1000.0, 0.0);
}

static void test_min_max_of_nothing_are_nan(void **state)
{
	(void)state;
	assert_true(isnan(min_of(NULL, 0)));
	assert_true(isnan(max_of(NULL, 0)));
}

static void test_min_max_find_extremes_anywhere(void **state)
{
	const double v[] = { 2.0, -3.5, 8.0, 0.0, 8.5, -3.0 };

	(void)state;
	assert_double_equal(min_of(v, 6), -3.5, 0.0);
	assert_double_equal(max_of(v, 6), 8.5, 0.0);
	/* The extreme may be the first or the last element. */
	assert_double_equal(min_of(v + 1, 5), -3.5, 0.0);
	assert_double_equal(max_of(v, 5), 8.5, 0.0);
	assert_double_equal(max_of(v, 2), 2.0, 0.0);
	assert_double_equal(min_of(v, 1), 2.0, 0.0);
}

static void test_min_max_extreme_in_last_place(void **state)
{
	const double down[] = { 5.0, 4.0, 3.0 }, up[] = { 1.0, 2.0, 3.0 };

	(void)state;
	assert_double_equal(min_of(down, 3), 3.0, 0.0);
	assert_double_equal(max_of(up, 3), 3.0, 0.0);
	assert_double_equal(max_of(down, 3), 5.0, 0.0);
	assert_double_equal(min_of(up, 3), 1.0, 0.0);
}

static void test_ci95_of_known_sample(void **state)
{
	/* 1..5: mean 3, sd sqrt(2.5), t(0.975, 4) = 2.7764451. */
	const double v[] = { 1, 2, 3, 4, 5 };
	double m, lo, hi, half = 2.7764451 * sqrt(2.5) / sqrt(5.0);

	(void)state;
	assert_int_equal(mean_ci95(v, 5, &m, &lo, &hi), 0);
	assert_float_equal(m, 3.0, 1e-12);
	assert_float_equal(lo, 3.0 - half, 1e-6);
	assert_float_equal(hi, 3.0 + half, 1e-6);
}

static void test_ci95_needs_two_values(void **state)
{
	const double v[] = { 7 };
	double m = -1, lo = -1, hi = -1;

	(void)state;
	assert_int_equal(mean_ci95(v, 1, &m, &lo, &hi), -1);
	assert_int_equal(mean_ci95(v, 0, &m, &lo, &hi), -1);
}

static void test_ci95_of_constant_sample_is_a_point(void **state)
{
	const double v[] = { 0.99, 0.99, 0.99 };
	double m, lo, hi;

	(void)state;
	assert_int_equal(mean_ci95(v, 3, &m, &lo, &hi), 0);
	assert_float_equal(lo, 0.99, 1e-12);
	assert_float_equal(hi, 0.99, 1e-12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median_of_nothing_is_nan),
		cmocka_unit_test(test_median_odd_count_is_middle_value),
		cmocka_unit_test(test_median_even_count_averages_middle_pair),
		cmocka_unit_test(test_median_of_one_value),
		cmocka_unit_test(test_median_sorts_its_input),
		cmocka_unit_test(test_median_uses_only_first_n),
		cmocka_unit_test(test_min_max_of_nothing_are_nan),
		cmocka_unit_test(test_min_max_find_extremes_anywhere),
		cmocka_unit_test(test_min_max_extreme_in_last_place),
		cmocka_unit_test(test_ci95_of_known_sample),
		cmocka_unit_test(test_ci95_needs_two_values),
		cmocka_unit_test(test_ci95_of_constant_sample_is_a_point),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
