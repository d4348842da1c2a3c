// SPDX-License-Identifier: GPL-2.0
/*
 * The msi-storm workload's pure parts: its [workload] loader
 * (workloads/msi-storm/msi_storm.c) and the fnfan probe's window arithmetic
 * (bpf/fnfan_stats.c).
 */
#include "suite_tu.h"

#include "bpf/fnfan_stats.h"
#include "workloads/msi-storm/msi_storm.h"
#include "run/suite.h"

#ifndef ERRLEN
#define ERRLEN 1024
#endif

#define MSI_HEAD                                        \
	"[suite]\nkernels = 6.12 7.3 lab\n[workload]\n" \
	"type = msi-storm\n"

static void test_msi_suite_loads_with_defaults(void **state)
{
	char err[ERRLEN] = "", *path;
	struct msi_storm_opts *mc;
	struct suite s;

	if (tu_suite_load(*state, MSI_HEAD "device = 0000:01:01.0\n", &s, err,
			  sizeof(err), &path))
		fail_msg("suite_load %s: %s", path, err);
	assert_string_equal(s.workload->name, "msi-storm");
	assert_ptr_equal(s.workload, workload_find("msi-storm"));
	mc = s.workload_opts;
	assert_int_equal(mc->vectors, 1);
	assert_int_equal(mc->cycles, 200);
	assert_int_equal(mc->rate, 0);
	assert_string_equal(mc->function, "iommu_flush_irt_and_complete");
	suite_free(&s);
	free(path);
}

static void test_msi_shipped_suites_load(void **state)
{
	char err[ERRLEN] = "";
	struct suite s;

	(void)state;
	if (suite_load(tu_top(), "msi-storm", &s, err, sizeof(err)))
		fail_msg("suite_load msi-storm: %s", err);
	assert_string_equal(s.device, "0000:01:01.0");
	assert_true(s.repetitions >= 5);
	assert_int_equal(s.kernels.n, 3);
	suite_free(&s);
	if (suite_load(tu_top(), "tests/integration/suites/msi-storm.conf", &s,
		       err, sizeof(err)))
		fail_msg("suite_load the integration suite: %s", err);
	assert_int_equal(((struct msi_storm_opts *)s.workload_opts)->vectors,
			 2);
	suite_free(&s);
}

static void test_msi_bad_inputs_named(void **state)
{
	tu_suite_error(*state, MSI_HEAD "device = eth1\n",
		       "device = eth1: msi-storm needs a full PCI address");
	tu_suite_error(*state, MSI_HEAD "device = 0000:01:01.0\nvectors = 0\n",
		       "vectors");
	tu_suite_error(*state,
		       MSI_HEAD "device = 0000:01:01.0\nvectors = 4096\n",
		       "vectors");
	tu_suite_error(*state,
		       MSI_HEAD "device = 0000:01:01.0\ncycles = many\n",
		       "cycles");
	tu_suite_error(*state, MSI_HEAD "device = 0000:01:01.0\nrate = -1\n",
		       "rate");
	tu_suite_error(*state,
		       MSI_HEAD "device = 0000:01:01.0\nfunction = a b\n",
		       "[workload] function = a b: not a kernel function name");
	tu_suite_error(*state,
		       MSI_HEAD "device = 0000:01:01.0\nfunction = f;rm\n",
		       "function = f;rm");
}

static void test_fnfan_quantile_bound(void **state)
{
	unsigned long long h[FNFAN_LAT_SLOTS] = { 0 };

	(void)state;
	assert_true(fnfan_hist_quantile_bound(h, 0.5) < 0);
	/* 90 latencies in [512, 1024), 10 in [4096, 8192) */
	h[10] = 90;
	h[13] = 10;
	assert_true(fnfan_hist_quantile_bound(h, 0.5) == 1024);
	assert_true(fnfan_hist_quantile_bound(h, 0.9) == 1024);
	assert_true(fnfan_hist_quantile_bound(h, 0.91) == 8192);
	assert_true(fnfan_hist_quantile_bound(h, 0.99) == 8192);
	assert_true(fnfan_hist_quantile_bound(h, 1.0) == 8192);
	assert_true(fnfan_hist_quantile_bound(h, 0) < 0);
	assert_true(fnfan_hist_quantile_bound(h, 1.5) < 0);
	/* slot 0 holds zero-length calls */
	memset(h, 0, sizeof(h));
	h[0] = 3;
	assert_true(fnfan_hist_quantile_bound(h, 0.5) == 1);
}

static void test_fnfan_delta_and_json(void **state)
{
	struct fnfan_totals a = { .nr_fns = 1 }, b = { .nr_fns = 1 }, d;
	struct fnfan_fn_stats one = { .calls = 7,
				      .returns = 7,
				      .lat_sum_ns = 7000 };
	json_object *j, *c, *v;

	(void)state;
	one.lat_hist[10] = 7;
	/* 4 commands per call: slot 3 holds [4, 8) */
	one.cmds_hist[3] = 7;
	one.cmds[IOMMU_CMD_INV_IRT] = 21;
	one.cmds[IOMMU_CMD_COMPL_WAIT] = 7;
	fnfan_stats_add(&a.fn[0], &one);
	b = a;
	fnfan_stats_add(&b.fn[0], &one);
	fnfan_stats_add(&b.fn[0], &one);
	fnfan_totals_delta(&a, &b, &d);
	assert_int_equal(d.nr_fns, 1);
	assert_int_equal(d.fn[0].calls, 14);
	assert_int_equal(d.fn[0].cmds[IOMMU_CMD_INV_IRT], 42);
	assert_int_equal(d.fn[0].lat_hist[10], 14);
	j = fnfan_fn_json(&d.fn[0]);
	assert_true(json_object_object_get_ex(j, "latency_ns_mean", &v));
	assert_true(json_object_get_double(v) == 1000.0);
	assert_true(json_object_object_get_ex(j, "commands", &c));
	assert_true(
		json_object_object_get_ex(c, "INVALIDATE_INTERRUPT_TABLE", &v));
	assert_int_equal(json_object_get_int64(v), 42);
	assert_true(json_object_object_get_ex(j, "latency_ns_hist", &v));
	assert_int_equal(json_object_array_length(v), 1);
	assert_int_equal(d.fn[0].cmds_hist[3], 14);
	assert_true(json_object_object_get_ex(j, "commands_per_call_hist", &v));
	assert_int_equal(json_object_array_length(v), 1);
	v = json_object_array_get_idx(v, 0);
	assert_int_equal(json_object_get_int64(json_object_object_get(v, "ge")),
			 4);
	assert_int_equal(
		json_object_get_int64(json_object_object_get(v, "count")), 14);
	json_object_put(j);
	/* no returns: the mean is null, not 0 */
	memset(&one, 0, sizeof(one));
	j = fnfan_fn_json(&one);
	assert_true(json_object_object_get_ex(j, "latency_ns_mean", &v));
	assert_null(v);
	/* and no hold that was never timed */
	assert_true(json_object_object_get_ex(j, "hold", &v));
	assert_null(v);
	json_object_put(j);
}

static void test_fnfan_hold_delta_and_json(void **state)
{
	struct fnfan_totals a = { .nr_fns = 1 }, b = { .nr_fns = 1 }, d;
	struct fnfan_fn_stats one = { .calls = 2, .returns = 2 };
	json_object *j, *h, *v;

	(void)state;
	/* two calls, each holding the queue 3 us (slot 12: [2048, 4096)) */
	one.holds = 2;
	one.hold_sum_ns = 6000;
	one.hold_hist[12] = 2;
	fnfan_stats_add(&b.fn[0], &one);
	fnfan_stats_add(&b.fn[0], &one);
	fnfan_stats_add(&a.fn[0], &one);
	fnfan_totals_delta(&a, &b, &d);
	assert_int_equal(d.fn[0].holds, 2);
	assert_int_equal(d.fn[0].hold_sum_ns, 6000);
	assert_int_equal(d.fn[0].hold_hist[12], 2);
	j = fnfan_fn_json(&d.fn[0]);
	assert_true(json_object_object_get_ex(j, "hold", &h));
	assert_non_null(h);
	assert_int_equal(
		json_object_get_int64(json_object_object_get(h, "calls")), 2);
	assert_int_equal(
		json_object_get_int64(json_object_object_get(h, "ns_sum")),
		6000);
	assert_true(json_object_object_get_ex(h, "ns_hist", &v));
	assert_int_equal(json_object_array_length(v), 1);
	json_object_put(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		tu_test_tmp(test_msi_suite_loads_with_defaults),
		cmocka_unit_test(test_msi_shipped_suites_load),
		tu_test_tmp(test_msi_bad_inputs_named),
		cmocka_unit_test(test_fnfan_quantile_bound),
		cmocka_unit_test(test_fnfan_delta_and_json),
		cmocka_unit_test(test_fnfan_hold_delta_and_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
