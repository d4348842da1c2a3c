// SPDX-License-Identifier: GPL-2.0
/*
 * bench/src/analysis/policy.h and judge.h: the metric policy file, exact and noisy
 * verdicts, and the statistical quality the issue asks for (A/A false
 * alarms at most 1% over 500 pairs; a 10% shift under 3% noise at n = 10
 * caught at least 95% of the time), on seeded synthetic data under the
 * lab's own policy file. make bench measures the same over more pairs.
 */
#include "testutil.h"

#include <math.h>

#include "analysis/judge.h"
#include "analysis/policy.h"
#include "analysis/stats.h"

static struct policy lab_policy;

static int load_lab_policy(void **state)
{
	char err[ERRLEN],
		*path = tu_printf("%s/bench/policy/metrics.conf", tu_top());
	int ret = policy_load(path, &lab_policy, err, sizeof(err));

	(void)state;
	if (ret)
		fprintf(stderr, "%s\n", err);
	free(path);
	return ret;
}

static int free_lab_policy(void **state)
{
	(void)state;
	policy_free(&lab_policy);
	return 0;
}

static void test_policy_first_matching_rule_wins(void **state)
{
	const struct metric_rule *r;

	(void)state;
	r = policy_rule(&lab_policy, "iops");
	assert_non_null(r);
	assert_int_equal(r->direction, DIR_HIGHER);
	assert_int_equal(r->kind, KIND_NOISY);
	r = policy_rule(&lab_policy, "cmds_per_io.INVALIDATE_IRT");
	assert_int_equal(r->kind, KIND_EXACT);
	assert_int_equal(r->direction, DIR_LOWER);
	r = policy_rule(&lab_policy, "fanout.irt.latency_ns");
	assert_int_equal(r->kind, KIND_NOISY);
	r = policy_rule(&lab_policy, "something_new");
	assert_int_equal(r->direction, DIR_NONE);
}

static void expect_policy_error(const char *dir, const char *text,
				const char *needle)
{
	char *path = tu_write(dir, "policy.conf", text), err[ERRLEN] = "";
	struct policy p;

	assert_int_equal(policy_load(path, &p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
	if (!strstr(err, needle))
		fail_msg("error '%s' lacks '%s'", err, needle);
	free(path);
}

static void test_policy_bad_files_name_file_and_key(void **state)
{
	expect_policy_error(*state, "[iops]\ndirection = up\n", "direction");
	expect_policy_error(*state, "[iops]\nkind = exact\n",
			    "lacks direction");
	expect_policy_error(
		*state, "[iops]\ndirection = higher\nkind = fuzzy\n", "kind");
	expect_policy_error(*state,
			    "[iops]\ndirection = higher\nmin_efect = 0.1\n",
			    "unknown key 'min_efect'");
	expect_policy_error(*state,
			    "[defaults]\nalpha = 2\n[x]\ndirection = none\n",
			    "alpha");
	expect_policy_error(*state, "[defaults]\nalpha = 0.05\n",
			    "no metric sections");
}

static void test_policy_missing_file_is_an_error(void **state)
{
	char err[ERRLEN] = "",
	     *path = tu_printf("%s/none.conf", (char *)*state);
	struct policy p;

	assert_int_equal(policy_load(path, &p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "none.conf"));
	free(path);
}

static void test_exact_metric_equal_and_changed(void **state)
{
	const double a[] = { 2, 2, 2 }, same[] = { 2.001, 2, 2 },
		     more[] = { 3, 3, 3 }, less[] = { 1, 1 };
	struct judgement j;

	(void)state;
	judge(&lab_policy, "cmds_per_io", a, 3, same, 3, &j);
	assert_int_equal(j.verdict, V_SAME);
	judge(&lab_policy, "cmds_per_io", a, 3, more, 3, &j);
	assert_int_equal(j.verdict, V_REGRESSED);
	assert_float_equal(j.ratio, 1.5, 1e-12);
	/* exact metrics need no minimum sample count */
	judge(&lab_policy, "cmds_per_io", a, 3, less, 2, &j);
	assert_int_equal(j.verdict, V_IMPROVED);
}

static void test_noisy_metric_needs_enough_samples(void **state)
{
	const double a[] = { 100, 101, 99 }, b[] = { 200, 201, 199 };
	struct judgement j;

	(void)state;
	/* 3 vs 3: the exact U test's least p is 0.1, never under 0.01 */
	judge(&lab_policy, "iops", a, 3, b, 3, &j);
	assert_int_equal(j.verdict, V_INCONCLUSIVE);
	assert_non_null(strstr(j.why, "cannot reach"));
	judge(&lab_policy, "iops", a, 2, b, 2, &j);
	assert_int_equal(j.verdict, V_INCONCLUSIVE);
}

static void test_noisy_metric_direction_decides(void **state)
{
	const double lo[] = { 100, 101, 99, 100.5, 99.5, 100.2 };
	const double hi[] = { 120, 121, 119, 120.5, 119.5, 120.2 };
	struct judgement j;

	(void)state;
	judge(&lab_policy, "iops", lo, 6, hi, 6, &j);
	assert_int_equal(j.verdict, V_IMPROVED);
	assert_true(j.p < 0.01);
	assert_true(j.lo > 1 && j.hi < 1.3);
	judge(&lab_policy, "clat_p99_us", lo, 6, hi, 6, &j);
	assert_int_equal(j.verdict, V_REGRESSED);
}

static void test_noisy_change_under_min_effect_is_same(void **state)
{
	const double a[] = { 100, 100.1, 100.2, 100.3, 100.4, 100.5 };
	const double b[] = { 102, 102.1, 102.2, 102.3, 102.4, 102.5 };
	struct judgement j;

	(void)state;
	/* significant, but 2% is under iops' 5% minimum effect */
	judge(&lab_policy, "iops", a, 6, b, 6, &j);
	assert_int_equal(j.verdict, V_SAME);
	assert_true(j.p < 0.01);
	assert_non_null(strstr(j.why, "minimum effect"));
}

static void test_metric_on_one_side_is_missing(void **state)
{
	const double a[] = { 1, 2, 3 };
	struct judgement j;

	(void)state;
	judge(&lab_policy, "iops", a, 3, NULL, 0, &j);
	assert_int_equal(j.verdict, V_MISSING);
}

static void fill(struct rng *r, double *v, size_t n, double mean, double noise)
{
	for (size_t i = 0; i < n; i++)
		v[i] = mean * (1 + noise * rng_normal(r));
}

static void test_aa_false_alarms_at_most_one_percent(void **state)
{
	double a[10], b[10];
	struct judgement j;
	struct rng r;
	int alarms = 0;

	(void)state;
	rng_seed(&r, 500);
	for (int pair = 0; pair < 500; pair++) {
		fill(&r, a, 10, 1000, 0.03);
		fill(&r, b, 10, 1000, 0.03);
		judge(&lab_policy, "iops", a, 10, b, 10, &j);
		alarms += j.verdict != V_SAME;
	}
	print_message("A/A: %d false alarms in 500 pairs\n", alarms);
	assert_true(alarms <= 5);
}

static void test_ten_percent_shift_caught_95_percent(void **state)
{
	double a[10], b[10];
	struct judgement j;
	struct rng r;
	int caught = 0;

	(void)state;
	rng_seed(&r, 95);
	for (int pair = 0; pair < 500; pair++) {
		fill(&r, a, 10, 1000, 0.03);
		fill(&r, b, 10, 900, 0.03);
		judge(&lab_policy, "iops", a, 10, b, 10, &j);
		caught += j.verdict == V_REGRESSED;
	}
	print_message("10%% shift: caught %d of 500\n", caught);
	assert_true(caught >= 475);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_first_matching_rule_wins),
		tu_test_tmp(test_policy_bad_files_name_file_and_key),
		tu_test_tmp(test_policy_missing_file_is_an_error),
		cmocka_unit_test(test_exact_metric_equal_and_changed),
		cmocka_unit_test(test_noisy_metric_needs_enough_samples),
		cmocka_unit_test(test_noisy_metric_direction_decides),
		cmocka_unit_test(test_noisy_change_under_min_effect_is_same),
		cmocka_unit_test(test_metric_on_one_side_is_missing),
		cmocka_unit_test(test_aa_false_alarms_at_most_one_percent),
		cmocka_unit_test(test_ten_percent_shift_caught_95_percent),
	};

	return cmocka_run_group_tests(tests, load_lab_policy, free_lab_policy);
}
