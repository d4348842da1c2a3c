// SPDX-License-Identifier: GPL-2.0
/* bench/src/analysis/stats.h: medians, extremes, intervals, the U test, the bootstrap. */
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

/* Reference p-values from a brute-force enumeration of every split. */
static void test_mann_whitney_exact_complete_separation(void **state)
{
	const double a[] = { 1, 2, 3, 4, 5 }, b[] = { 6, 7, 8, 9, 10.5 };

	(void)state;
	assert_float_equal(mann_whitney_p(a, 5, b, 5), 2.0 / 252, 1e-12);
	assert_float_equal(mann_whitney_p(b, 5, a, 5), 2.0 / 252, 1e-12);
}

static void test_mann_whitney_exact_interleaved(void **state)
{
	const double a[] = { 1.1, 2.2, 3.3, 4.4, 5.5, 6.6 };
	const double b[] = { 2.5, 3.5, 7.7, 8.8, 9.9 };

	(void)state;
	assert_float_equal(mann_whitney_p(a, 6, b, 5), 0.1774891774891775,
			   1e-12);
}

static void test_mann_whitney_ties_use_corrected_normal(void **state)
{
	const double a[] = { 1, 2, 2, 3, 4 }, b[] = { 3, 3, 5, 6, 7 };

	(void)state;
	assert_float_equal(mann_whitney_p(a, 5, b, 5), 0.05623780387727596,
			   1e-9);
}

static void test_mann_whitney_all_equal_is_one(void **state)
{
	const double a[] = { 2, 2, 2 }, b[] = { 2, 2, 2, 2 };

	(void)state;
	assert_float_equal(mann_whitney_p(a, 3, b, 4), 1.0, 0.0);
	assert_true(isnan(mann_whitney_p(a, 0, b, 4)));
}

static void test_mann_whitney_large_samples_detect_shift(void **state)
{
	double a[200], b[200];
	struct rng r;

	(void)state;
	rng_seed(&r, 3);
	for (int i = 0; i < 200; i++) {
		a[i] = 100 + rng_normal(&r);
		b[i] = 100.5 + rng_normal(&r);
	}
	assert_true(mann_whitney_p(a, 200, b, 200) < 1e-4);
	assert_true(mann_whitney_p(a, 100, a + 100, 100) > 0.01);
}

static void test_bootstrap_interval_covers_true_ratio(void **state)
{
	double a[20], b[20], lo, hi;
	struct rng r;

	(void)state;
	rng_seed(&r, 11);
	for (int i = 0; i < 20; i++) {
		a[i] = 1000 * (1 + 0.03 * rng_normal(&r));
		b[i] = 1100 * (1 + 0.03 * rng_normal(&r));
	}
	assert_int_equal(
		bootstrap_median_ratio_ci(a, 20, b, 20, 2000, 1, &lo, &hi), 0);
	assert_true(lo < 1.1 && 1.1 < hi);
	assert_true(lo > 1.0);
	assert_true(hi - lo < 0.1);
}

static void test_bootstrap_is_reproducible_by_seed(void **state)
{
	const double a[] = { 1, 2, 3, 4, 5 }, b[] = { 2, 3, 4, 5, 6 };
	double lo1, hi1, lo2, hi2;

	(void)state;
	bootstrap_median_ratio_ci(a, 5, b, 5, 500, 42, &lo1, &hi1);
	bootstrap_median_ratio_ci(a, 5, b, 5, 500, 42, &lo2, &hi2);
	assert_double_equal(lo1, lo2, 0.0);
	assert_double_equal(hi1, hi2, 0.0);
	assert_true(lo1 <= hi1);
}

static void test_bootstrap_refuses_empty_or_zero_base(void **state)
{
	const double a[] = { 0, 0, 0 }, b[] = { 1, 2, 3 };
	double lo, hi;

	(void)state;
	assert_int_equal(
		bootstrap_median_ratio_ci(a, 0, b, 3, 100, 1, &lo, &hi), -1);
	assert_int_equal(
		bootstrap_median_ratio_ci(a, 3, b, 3, 100, 1, &lo, &hi), -1);
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
		cmocka_unit_test(test_mann_whitney_exact_complete_separation),
		cmocka_unit_test(test_mann_whitney_exact_interleaved),
		cmocka_unit_test(test_mann_whitney_ties_use_corrected_normal),
		cmocka_unit_test(test_mann_whitney_all_equal_is_one),
		cmocka_unit_test(test_mann_whitney_large_samples_detect_shift),
		cmocka_unit_test(test_bootstrap_interval_covers_true_ratio),
		cmocka_unit_test(test_bootstrap_is_reproducible_by_seed),
		cmocka_unit_test(test_bootstrap_refuses_empty_or_zero_base),
		cmocka_unit_test(test_rng_uniform_in_unit_interval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
