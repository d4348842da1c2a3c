// SPDX-License-Identifier: GPL-2.0
/* bench/src/analysis/stats.h: medians, extremes, intervals, Welch's t. */
#include "testutil.h"

#include <math.h>

#include "analysis/stats.h"

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

static void test_median_of_leaves_input_alone(void **state)
{
	const double v[] = { 5, 1, 4, 2 };

	(void)state;
	assert_double_equal(median_of(v, 4), 3.0, 0.0);
	assert_double_equal(v[0], 5.0, 0.0);
	assert_double_equal(median_of(v, 3), 4.0, 0.0);
}

static void test_median_of_agrees_with_sorting_median(void **state)
{
	struct rng r;

	(void)state;
	rng_seed(&r, 7);
	for (size_t n = 1; n < 90; n++) {
		double v[90], c[90];

		for (size_t i = 0; i < n; i++)
			v[i] = c[i] = (double)(rng_next(&r) % 10); /* ties */
		assert_double_equal(median_of(v, n), median(c, n), 0.0);
	}
}

/* Reference values computed apart (the incomplete beta function). */
static void test_welch_matches_reference(void **state)
{
	const double a[] = { 10.1, 9.8, 10.3, 10.0 };
	const double b[] = { 10.9, 11.2, 10.7, 11.0, 11.4 };
	struct welch w;

	(void)state;
	assert_int_equal(welch_t(a, 4, b, 5, &w), 0);
	assert_double_equal(w.diff, 11.04 - 10.05, 1e-12);
	assert_double_equal(w.se, 0.159478316, 1e-8);
	assert_double_equal(w.df, 6.999803614, 1e-8);
	assert_double_equal(w.p, 0.00044196074, 1e-9);
}

static void test_welch_degenerate_cases(void **state)
{
	const double a[] = { 3, 3, 3 }, b[] = { 3, 3 }, c[] = { 4, 4 };
	struct welch w;

	(void)state;
	assert_int_equal(welch_t(a, 1, b, 2, &w), -1);
	assert_int_equal(welch_t(a, 3, b, 2, &w), 0);
	assert_double_equal(w.p, 1, 0);
	assert_int_equal(welch_t(a, 3, c, 2, &w), 0);
	assert_double_equal(w.p, 0, 0);
}

static void test_t_and_chi_square_bounds(void **state)
{
	(void)state;
	assert_double_equal(t_half(0.95, 4), 2.776445, 1e-6);
	assert_double_equal(t_half(0.95, INFINITY), 1.959964, 1e-6);
	assert_double_equal(t_upper(2.776445, 4), 0.025, 1e-7);
	/* sqrt(9 / qchisq(0.1, 9)), qchisq(0.1, 9) = 4.168159 */
	assert_double_equal(sd_upper_bound(1, 9, 0.9), sqrt(9 / 4.168159),
			    1e-6);
	assert_double_equal(sd_upper_bound(2, INFINITY, 0.9), 2, 0);
}

static void test_rng_uniform_in_unit_interval(void **state)
{
	struct rng r;
	double sum = 0;

	(void)state;
	rng_seed(&r, 0);
	for (int i = 0; i < 10000; i++) {
		double u = rng_uniform(&r);

		assert_true(u >= 0 && u < 1);
		sum += u;
	}
	assert_float_equal(sum / 10000, 0.5, 0.02);
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
		cmocka_unit_test(test_median_of_leaves_input_alone),
		cmocka_unit_test(test_median_of_agrees_with_sorting_median),
		cmocka_unit_test(test_welch_matches_reference),
		cmocka_unit_test(test_welch_degenerate_cases),
		cmocka_unit_test(test_t_and_chi_square_bounds),
		cmocka_unit_test(test_rng_uniform_in_unit_interval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
