// SPDX-License-Identifier: GPL-2.0
/*
 * bench/src/analysis/changepoint.h: change points over a whole history, on
 * synthetic series with fixed seeds and the work tree's metric policy.
 */
#include "testutil.h"

#include <math.h>

#include "analysis/changepoint.h"
#include "analysis/policy.h"
#include "analysis/stats.h"

struct synth {
	double *v;
	size_t *off;
	size_t nruns;
};

/*
 * nruns runs of per_run samples around base with relative normal noise;
 * from run step_at[k] on the level is multiplied by step_by[k].
 */
static void synth_make(struct synth *s, size_t nruns, size_t per_run,
		       double base, double noise, const size_t *step_at,
		       const double *step_by, size_t nsteps, uint64_t seed)
{
	struct rng r;

	rng_seed(&r, seed);
	s->nruns = nruns;
	s->v = calloc(nruns * per_run, sizeof(double));
	s->off = calloc(nruns + 1, sizeof(size_t));
	assert_non_null(s->v);
	assert_non_null(s->off);
	for (size_t run = 0; run < nruns; run++) {
		double level = base;

		for (size_t k = 0; k < nsteps; k++)
			level *= run >= step_at[k] ? step_by[k] : 1;
		for (size_t w = 0; w < per_run; w++)
			s->v[run * per_run + w] =
				level * (1 + noise * rng_normal(&r));
		s->off[run + 1] = (run + 1) * per_run;
	}
}

static void synth_free(struct synth *s)
{
	free(s->v);
	free(s->off);
}

static size_t detect(const struct policy *p, const char *name,
		     const struct synth *s, struct changepoint *out)
{
	struct cp_series ser = { name, s->v, s->off, s->nruns };

	return cp_detect(p, &ser, NULL, out);
}

static int setup_policy(void **state)
{
	struct policy *p = calloc(1, sizeof(*p));
	char *path = tu_printf("%s/bench/policy/metrics.conf", tu_top());
	char err[ERRLEN];

	assert_non_null(p);
	if (policy_load(path, p, err, sizeof(err)))
		fail_msg("%s", err);
	free(path);
	*state = p;
	return 0;
}

static int teardown_policy(void **state)
{
	policy_free(*state);
	free(*state);
	return 0;
}

static void test_noisy_step_found_at_its_run(void **state)
{
	const size_t at[] = { 25 };
	const double by[] = { 0.90 }; /* 10% fewer IOPS */
	struct changepoint cp[CP_MAX_POINTS];

	for (uint64_t seed = 1; seed <= 5; seed++) {
		struct synth s;
		size_t n;

		synth_make(&s, 40, 10, 1000, 0.03, at, by, 1, seed);
		n = detect(*state, "iops", &s, cp);
		assert_int_equal(n, 1);
		assert_int_equal(cp[0].run, 25);
		assert_int_equal(cp[0].from, 0);
		assert_int_equal(cp[0].to, 40);
		assert_int_equal(cp[0].j.verdict, V_REGRESSED);
		assert_true(fabs(cp[0].j.ratio - 0.9) < 0.03);
		synth_free(&s);
	}
}

static void test_flat_series_has_no_change_point(void **state)
{
	struct changepoint cp[CP_MAX_POINTS];

	for (uint64_t seed = 1; seed <= 10; seed++) {
		struct synth s;

		synth_make(&s, 60, 10, 1000, 0.03, NULL, NULL, 0, seed);
		assert_int_equal(detect(*state, "iops", &s, cp), 0);
		synth_free(&s);
	}
}

static void test_two_steps_both_found(void **state)
{
	const size_t at[] = { 20, 40 };
	const double by[] = { 1.10, 1.10 };
	struct changepoint cp[CP_MAX_POINTS];
	struct synth s;

	synth_make(&s, 60, 10, 1000, 0.03, at, by, 2, 7);
	assert_int_equal(detect(*state, "iops", &s, cp), 2);
	assert_int_equal(cp[0].run, 20);
	assert_int_equal(cp[1].run, 40);
	/* each judged between its neighbouring segments only */
	assert_int_equal(cp[0].to, 40);
	assert_int_equal(cp[1].from, 20);
	assert_int_equal(cp[0].j.verdict, V_IMPROVED);
	assert_int_equal(cp[1].j.verdict, V_IMPROVED);
	synth_free(&s);
}

/* A regression later fixed: one split alone sees little; both are found. */
static void test_regression_then_fix_both_found(void **state)
{
	const size_t at[] = { 30, 45 };
	const double by[] = { 0.90, 1 / 0.90 };
	struct changepoint cp[CP_MAX_POINTS];
	struct synth s;

	synth_make(&s, 80, 10, 1000, 0.03, at, by, 2, 3);
	assert_int_equal(detect(*state, "iops", &s, cp), 2);
	assert_int_equal(cp[0].run, 30);
	assert_int_equal(cp[1].run, 45);
	assert_int_equal(cp[0].j.verdict, V_REGRESSED);
	assert_int_equal(cp[1].j.verdict, V_IMPROVED);
	synth_free(&s);
}

static void test_exact_step_found_exactly(void **state)
{
	const size_t at[] = { 13 };
	const double by[] = { 1.5 }; /* 2.0 -> 3.0 commands per I/O */
	struct changepoint cp[CP_MAX_POINTS];
	struct synth s;

	synth_make(&s, 30, 5, 2.0, 0, at, by, 1, 1);
	assert_int_equal(detect(*state, "cmds_per_io", &s, cp), 1);
	assert_int_equal(cp[0].run, 13);
	assert_double_equal(cp[0].j.med_a, 2.0, 0);
	assert_double_equal(cp[0].j.med_b, 3.0, 0);
	assert_int_equal(cp[0].j.verdict, V_REGRESSED);
	synth_free(&s);
}

/* Within its tolerance an exact metric has no change point. */
static void test_exact_within_tolerance_is_flat(void **state)
{
	const size_t at[] = { 13 };
	const double by[] = { 1.001 };
	struct changepoint cp[CP_MAX_POINTS];
	struct synth s;

	synth_make(&s, 30, 5, 2.0, 0, at, by, 1, 1);
	assert_int_equal(detect(*state, "cmds_per_io", &s, cp), 0);
	synth_free(&s);
}

/* The nightly gate: a regression in the last min_runs runs is found. */
static void test_regression_in_last_runs_found(void **state)
{
	const size_t at[] = { 37 };
	const double by[] = { 0.85 };
	struct changepoint cp[CP_MAX_POINTS];
	struct synth s;

	synth_make(&s, 40, 10, 1000, 0.03, at, by, 1, 11);
	assert_int_equal(detect(*state, "iops", &s, cp), 1);
	assert_int_equal(cp[0].run, 37);
	assert_int_equal(cp[0].to, 40);
	assert_int_equal(cp[0].j.verdict, V_REGRESSED);
	synth_free(&s);
}

/* One odd run is an outlier, not two change points around it. */
static void test_single_outlier_run_is_no_change(void **state)
{
	const size_t at[] = { 20, 21 };
	const double by[] = { 0.8, 1 / 0.8 };
	struct changepoint cp[CP_MAX_POINTS];
	struct synth s;

	synth_make(&s, 40, 10, 1000, 0.03, at, by, 2, 5);
	assert_int_equal(detect(*state, "iops", &s, cp), 0);
	synth_free(&s);
}

/* Too few runs for two segments: nothing to say. */
static void test_short_history_has_no_change_point(void **state)
{
	const size_t at[] = { 2 };
	const double by[] = { 2.0 };
	struct changepoint cp[CP_MAX_POINTS];
	struct synth s;

	synth_make(&s, 5, 10, 1000, 0.03, at, by, 1, 1);
	assert_int_equal(detect(*state, "iops", &s, cp), 0);
	synth_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_noisy_step_found_at_its_run),
		cmocka_unit_test(test_flat_series_has_no_change_point),
		cmocka_unit_test(test_two_steps_both_found),
		cmocka_unit_test(test_regression_then_fix_both_found),
		cmocka_unit_test(test_exact_step_found_exactly),
		cmocka_unit_test(test_exact_within_tolerance_is_flat),
		cmocka_unit_test(test_regression_in_last_runs_found),
		cmocka_unit_test(test_single_outlier_run_is_no_change),
		cmocka_unit_test(test_short_history_has_no_change_point),
	};

	return cmocka_run_group_tests(tests, setup_policy, teardown_policy);
}
