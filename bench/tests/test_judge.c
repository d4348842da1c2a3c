// SPDX-License-Identifier: GPL-2.0
/*
 * bench/src/analysis/policy.h and judge.h: the metric policy file, exact and
 * noisy verdicts over boots, with a calibration, and a seeded check of the
 * boot-level statistics (A/A alarms rare, a 10% drop over 5 boots caught)
 * under the lab's own policy file; make bench-stats measures them over
 * every noise model.
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
			    "policy.conf:1: [iops] needs direction");
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

/* [defaults], [context] and every metric section: keys, duplicates, numbers */
static void test_policy_strict_keys_lines_and_numbers(void **state)
{
	expect_policy_error(
		*state, "[defaults]\nalpah = 0.5\n[x]\ndirection = none\n",
		"policy.conf:2: [defaults] unknown key 'alpah' (did "
		"you mean 'alpha'?)");
	expect_policy_error(
		*state, "[context]\nignroe = host.*\n[x]\ndirection = none\n",
		"policy.conf:2: [context] unknown key 'ignroe' (did "
		"you mean 'ignore'?)");
	/* a misspelt [defaults] is no metric section */
	expect_policy_error(
		*state, "[x]\ndirection = none\n[defualts]\nalpha = 0.05\n",
		"policy.conf:3: unknown section [defualts] (did you "
		"mean [defaults]?)");
	expect_policy_error(
		*state,
		"[iops]\ndirection = higher\n[cmds]\n"
		"direction = lower\n[iops]\ndirection = lower\n",
		"policy.conf:5: [iops] given twice (first at line 1)");
	expect_policy_error(
		*state, "[iops]\ndirection = higher\ndirection = lower\n",
		"policy.conf:3: [iops] direction given twice (first "
		"at line 2)");
	expect_policy_error(
		*state, "[context]\nignore = a b a\n[x]\ndirection = none\n",
		"policy.conf:2: [context] ignore = a b a: a given twice");
	expect_policy_error(*state,
			    "[defaults]\nalpha = nan\n[x]\ndirection = none\n",
			    "policy.conf:2: [defaults] alpha = nan: expected a "
			    "number from 1e-06 to 0.5");
	expect_policy_error(
		*state, "[defaults]\nmin_boots = 2.5\n[x]\ndirection = none\n",
		"policy.conf:2: [defaults] min_boots = 2.5: expected a "
		"whole number from 2 to 1000");
	expect_policy_error(*state,
			    "[x]\ndirection = none\nmin_effect = -0.1\n",
			    "policy.conf:3: [x] min_effect = -0.1: expected a "
			    "number from 0 to 10");
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

/* Values from one boot each, or k boots of n windows: boot = i / n + 1. */
static struct samples one_boot(const double *v, size_t n)
{
	return (struct samples){ v, NULL, n, NULL };
}

static int boots3[] = { 1, 1, 2, 2, 3, 3 };

static void test_exact_metric_equal_and_changed(void **state)
{
	const double a[] = { 2, 2, 2 }, same[] = { 2.001, 2, 2 },
		     more[] = { 3, 3, 3 }, less[] = { 1, 1 };
	struct samples sa = one_boot(a, 3), ss = one_boot(same, 3),
		       sm = one_boot(more, 3), sl = one_boot(less, 2);
	struct judgement j;

	(void)state;
	judge_samples(&lab_policy, "cmds_per_io", &sa, &ss, NULL, &j);
	assert_int_equal(j.verdict, V_SAME);
	judge_samples(&lab_policy, "cmds_per_io", &sa, &sm, NULL, &j);
	assert_int_equal(j.verdict, V_REGRESSED);
	assert_float_equal(j.ratio, 1.5, 1e-12);
	/* exact metrics: one boot settles them */
	judge_samples(&lab_policy, "cmds_per_io", &sa, &sl, NULL, &j);
	assert_int_equal(j.verdict, V_IMPROVED);
	assert_int_equal(j.level, LEVEL_EXACT);
}

static void test_noisy_metric_of_one_boot_is_inconclusive(void **state)
{
	const double a[] = { 100, 101, 99, 100, 101, 99 };
	const double b[] = { 200, 201, 199, 200, 201, 199 };
	struct samples sa = one_boot(a, 6), sb = one_boot(b, 6);
	struct judgement j;

	(void)state;
	/* six windows of one boot each: however far apart, the spread
	 * between boots is unknown
	 */
	judge_samples(&lab_policy, "iops", &sa, &sb, NULL, &j);
	assert_int_equal(j.verdict, V_INCONCLUSIVE);
	assert_int_equal(j.ka, 1);
	assert_non_null(strstr(j.why, "1 vs 1 boots"));
	assert_non_null(strstr(j.why, "unknown"));
	assert_true(isnan(j.p));
}

static void test_noisy_metric_direction_decides_over_boots(void **state)
{
	const double lo[] = { 100, 101, 99, 100.5, 99.5, 100.2 };
	const double hi[] = { 120, 121, 119, 120.5, 119.5, 120.2 };
	struct samples sl = { lo, boots3, 6, NULL },
		       sh = { hi, boots3, 6, NULL };
	struct judgement j;

	(void)state;
	judge_samples(&lab_policy, "iops", &sl, &sh, NULL, &j);
	assert_int_equal(j.verdict, V_IMPROVED);
	assert_int_equal(j.level, LEVEL_BOOTS);
	assert_int_equal(j.ka, 3);
	assert_true(j.p < 0.01);
	assert_true(j.lo > 1 && j.hi < 1.3);
	judge_samples(&lab_policy, "clat_p99_us", &sl, &sh, NULL, &j);
	assert_int_equal(j.verdict, V_REGRESSED);
}

static void test_noisy_change_under_min_effect_is_same(void **state)
{
	const double a[] = { 100, 100.1, 100.2, 100.3, 100.4, 100.5 };
	const double b[] = { 102, 102.1, 102.2, 102.3, 102.4, 102.5 };
	struct samples sa = { a, boots3, 6, NULL }, sb = { b, boots3, 6, NULL };
	struct judgement j;

	(void)state;
	/* significant over boots, but 2% is under iops' 5% minimum */
	judge_samples(&lab_policy, "iops", &sa, &sb, NULL, &j);
	assert_int_equal(j.verdict, V_SAME);
	assert_true(j.p < 0.01);
	assert_non_null(strstr(j.why, "minimum effect"));
}

static void test_one_boot_with_a_calibration(void **state)
{
	const double a[] = { 1000, 1002, 998 }, far[] = { 800, 801, 799 },
		     near[] = { 990, 992, 988 };
	struct samples sa = one_boot(a, 3), sf = one_boot(far, 3),
		       sn = one_boot(near, 3);
	struct judge_ctx prior = { .boot_sd = 0.02, .df = 9 };
	struct judgement j;

	(void)state;
	snprintf(prior.source, sizeof(prior.source), "a test calibration");
	/* 20% down with boots spreading 2%: a regression, said how */
	judge_samples(&lab_policy, "iops", &sa, &sf, &prior, &j);
	assert_int_equal(j.verdict, V_REGRESSED);
	assert_int_equal(j.level, LEVEL_PRIOR);
	assert_non_null(strstr(j.why, "a test calibration"));
	/* 1% down is well inside it */
	judge_samples(&lab_policy, "iops", &sa, &sn, &prior, &j);
	assert_int_equal(j.verdict, V_SAME);
}

static void test_metric_on_one_side_is_missing(void **state)
{
	const double a[] = { 1, 2, 3 };
	struct samples sa = one_boot(a, 3), none = { NULL, NULL, 0, NULL };
	struct judgement j;

	(void)state;
	judge_samples(&lab_policy, "iops", &sa, &none, NULL, &j);
	assert_int_equal(j.verdict, V_MISSING);
}

/* k boots of 5 windows: 2% between boots, 1% within. */
static void fill_boots(struct rng *r, double *v, int *boot, size_t k,
		       double mean)
{
	for (size_t b = 0; b < k; b++) {
		double off = 0.02 * rng_normal(r);

		for (size_t w = 0; w < 5; w++) {
			v[b * 5 + w] = mean * exp(off + 0.01 * rng_normal(r));
			boot[b * 5 + w] = (int)b + 1;
		}
	}
}

static void test_aa_over_boots_rarely_alarms(void **state)
{
	double a[25], b[25];
	int ba[25], bb[25];
	struct samples sa = { a, ba, 25, NULL }, sb = { b, bb, 25, NULL };
	struct judgement j;
	struct rng r;
	int alarms = 0;

	(void)state;
	rng_seed(&r, 500);
	for (int pair = 0; pair < 300; pair++) {
		fill_boots(&r, a, ba, 5, 1000);
		fill_boots(&r, b, bb, 5, 1000);
		judge_samples(&lab_policy, "iops", &sa, &sb, NULL, &j);
		alarms += j.verdict != V_SAME;
	}
	print_message("A/A over 5 boots: %d false alarms in 300 pairs\n",
		      alarms);
	assert_true(alarms <= 3);
}

static void test_ten_percent_over_five_boots_is_caught(void **state)
{
	double a[25], b[25];
	int ba[25], bb[25];
	struct samples sa = { a, ba, 25, NULL }, sb = { b, bb, 25, NULL };
	struct judgement j;
	struct rng r;
	int caught = 0;

	(void)state;
	rng_seed(&r, 95);
	for (int pair = 0; pair < 300; pair++) {
		fill_boots(&r, a, ba, 5, 1000);
		fill_boots(&r, b, bb, 5, 900);
		judge_samples(&lab_policy, "iops", &sa, &sb, NULL, &j);
		caught += j.verdict == V_REGRESSED;
	}
	print_message("10%% drop over 5 boots: caught %d of 300\n", caught);
	assert_true(caught >= 285);
}

static void test_instruction_clock_sees_half_a_percent(void **state)
{
	/* a nest-parent walk on the icount clock: 1% more instructions */
	const double a[] = { 376500, 376512, 376490, 376505, 376498, 376510 };
	const double b[] = { 380260, 380275, 380250, 380268, 380255, 380271 };
	struct samples sa = { a, boots3, 6, NULL }, sb = { b, boots3, 6, NULL };
	struct judge_ctx icount = { .boot_sd = NAN, .icount = true };
	struct judgement j;

	(void)state;
	/* on the wall clock 1% is under the 10% minimum of a latency */
	judge_samples(&lab_policy, "fanout.nest_parent.latency_ns", &sa, &sb,
		      NULL, &j);
	assert_int_equal(j.verdict, V_SAME);
	/* counted in instructions the policy's 0.5% applies: a regression */
	judge_samples(&lab_policy, "fanout.nest_parent.latency_ns", &sa, &sb,
		      &icount, &j);
	assert_int_equal(j.verdict, V_REGRESSED);
	/* a count is no time: its own minimum holds on either clock */
	judge_samples(&lab_policy, "iops", &sa, &sb, &icount, &j);
	assert_int_equal(j.verdict, V_SAME);
}

static void test_clock_unit_names_instructions(void **state)
{
	(void)state;
	assert_string_equal(clock_unit("ns", true), "insn");
	assert_string_equal(clock_unit("us", true), "k insn");
	assert_string_equal(clock_unit("ns", false), "ns");
	assert_string_equal(clock_unit("commands", true), "commands");
	assert_true(unit_is_time("ms"));
	assert_false(unit_is_time("commands"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_first_matching_rule_wins),
		tu_test_tmp(test_policy_bad_files_name_file_and_key),
		tu_test_tmp(test_policy_missing_file_is_an_error),
		tu_test_tmp(test_policy_strict_keys_lines_and_numbers),
		cmocka_unit_test(test_exact_metric_equal_and_changed),
		cmocka_unit_test(test_noisy_metric_of_one_boot_is_inconclusive),
		cmocka_unit_test(
			test_noisy_metric_direction_decides_over_boots),
		cmocka_unit_test(test_noisy_change_under_min_effect_is_same),
		cmocka_unit_test(test_one_boot_with_a_calibration),
		cmocka_unit_test(test_metric_on_one_side_is_missing),
		cmocka_unit_test(test_aa_over_boots_rarely_alarms),
		cmocka_unit_test(test_ten_percent_over_five_boots_is_caught),
		cmocka_unit_test(test_instruction_clock_sees_half_a_percent),
		cmocka_unit_test(test_clock_unit_names_instructions),
	};

	return cmocka_run_group_tests(tests, load_lab_policy, free_lab_policy);
}
