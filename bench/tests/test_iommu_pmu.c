// SPDX-License-Identifier: GPL-2.0
/*
 * bpf/iommu_pmu.h: PMU discovery on a fake sysfs, perf stat CSV;
 * bpf/perf_record.h: perf record's closing line.
 */
#include "testutil.h"

#include "bpf/iommu_pmu.h"
#include "bpf/perf_record.h"

static char *wanted(const char *dir)
{
	return tu_write(dir, "events.list",
			"# comment\ncmd_processed\ntlb_inv\nno_such_event\n");
}

static void test_pmu_absent_says_why(void **state)
{
	char err[ERRLEN] = "", *w = wanted(*state);
	char *sys = tu_printf("%s/sys", (char *)*state);
	struct iommu_pmu p;

	tu_mkdirs(sys, "bus/event_source/devices/cpu/events");
	if (iommu_pmu_find(sys, w, &p, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(p.units.n, 0);
	assert_int_equal(p.events.n, 0);
	assert_contains(p.why, "no amd_iommu perf PMU");
	iommu_pmu_free(&p);
	free(sys);
	free(w);
}

static void test_pmu_events_per_unit(void **state)
{
	char err[ERRLEN] = "", *w = wanted(*state);
	char *sys = tu_printf("%s/sys", (char *)*state);
	struct iommu_pmu p;

	free(tu_write(sys,
		      "bus/event_source/devices/amd_iommu_1/events/tlb_inv",
		      "csource=0x05\n"));
	free(tu_write(
		sys,
		"bus/event_source/devices/amd_iommu_0/events/cmd_processed",
		"csource=0x11\n"));
	free(tu_write(sys,
		      "bus/event_source/devices/amd_iommu_0/events/tlb_inv",
		      "csource=0x05\n"));
	if (iommu_pmu_find(sys, w, &p, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(p.units.n, 2);
	assert_string_equal(p.units.v[0], "amd_iommu_0");
	assert_int_equal(p.events.n, 3);
	assert_string_equal(p.events.v[0], "amd_iommu_0/cmd_processed/");
	assert_string_equal(p.events.v[1], "amd_iommu_0/tlb_inv/");
	assert_string_equal(p.events.v[2], "amd_iommu_1/tlb_inv/");
	assert_int_equal(p.skipped.n, 1);
	assert_string_equal(p.skipped.v[0], "no_such_event");
	assert_string_equal(p.why, "");
	iommu_pmu_free(&p);
	free(sys);
	free(w);
}

static void test_pmu_missing_list_is_an_error(void **state)
{
	char err[ERRLEN] = "";
	struct iommu_pmu p;

	(void)state;
	assert_int_not_equal(iommu_pmu_find("/sys",
					    "/nonexistent/amd_iommu.events", &p,
					    err, sizeof(err)),
			     0);
	assert_contains(err, "/nonexistent/amd_iommu.events");
}

static void test_pmu_csv(void **state)
{
	const char *csv = "# started on Sun Nov 22 00:00:00 2026\n\n"
			  "123456,,amd_iommu_0/cmd_processed/,1000,100.00,,\n"
			  "<not counted>,,amd_iommu_0/tlb_inv/,0,0.00,,\n"
			  "<not supported>,,amd_iommu_1/tlb_inv/,0,0.00,,\n";
	char err[ERRLEN] = "";
	json_object *o, *v;

	(void)state;
	o = iommu_pmu_parse_csv(csv, err, sizeof(err));
	assert_non_null(o);
	assert_true(
		json_object_object_get_ex(o, "amd_iommu_0/cmd_processed/", &v));
	assert_int_equal(json_object_get_int64(v), 123456);
	/* present but unread: null, never a 0 that looks measured */
	assert_true(json_object_object_get_ex(o, "amd_iommu_0/tlb_inv/", &v));
	assert_null(v);
	assert_true(json_object_object_get_ex(o, "amd_iommu_1/tlb_inv/", &v));
	assert_null(v);
	json_object_put(o);
	assert_null(iommu_pmu_parse_csv("# nothing\n", err, sizeof(err)));
	assert_contains(err, "no counts");
}

static void test_perf_record_samples(void **state)
{
	(void)state;
	assert_int_equal(
		perf_record_samples(
			"Warning: ...\n[ perf record: Woken up 3 times to write data ]\n"
			"[ perf record: Captured and wrote 1.234 MB /out/perf.data (5213 samples) ]\n"),
		5213);
	/* killed before it wrote its header: no figure */
	assert_int_equal(
		perf_record_samples("[ perf record: Woken up 1 times ]\n"), -1);
	assert_int_equal(perf_record_samples(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		tu_test_tmp(test_pmu_absent_says_why),
		tu_test_tmp(test_pmu_events_per_unit),
		cmocka_unit_test(test_pmu_missing_list_is_an_error),
		cmocka_unit_test(test_pmu_csv),
		cmocka_unit_test(test_perf_record_samples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
