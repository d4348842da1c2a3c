// SPDX-License-Identifier: GPL-2.0
/*
 * invlab doctor (run/doctor.h) against a sysfs and /proc made in a
 * temporary directory: an AMD host, an Intel one, a machine without an
 * IOMMU; the EFR decoded; the device gates of a real host (named by
 * --device or the allowlist, --allow-rebind) and of a lab guest.
 */
#include "testutil.h"

#include "lib/util.h"
#include "run/doctor.h"
#include "run/suite.h"

static const struct doctor_item *item(const struct doctor *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->items[i].name, name))
			return &d->items[i];
	fail_msg("doctor has no item %s", name);
	return NULL;
}

/* An AMD host: one unit, its EFR, groups, BTF, the lab tracepoints. */
static void amd_host(const char *root, const char *cmdline)
{
	static const char *const ev[] = {
		"amd_iommu_cmd_queued",
		"amd_iommu_completion_wait_begin",
		"amd_iommu_completion_wait_end",
		"amd_iommu_flush_begin",
		"amd_iommu_flush_end",
	};

	free(tu_write(root, "sys/class/iommu/ivhd0/amd-iommu/features",
		      "29d3:0\n"));
	free(tu_write(root, "sys/kernel/iommu_groups/0/type", "DMA\n"));
	free(tu_write(root, "sys/kernel/iommu_groups/1/type", "DMA-FQ\n"));
	free(tu_write(root, "sys/kernel/btf/vmlinux", "btf"));
	for (size_t i = 0; i < 5; i++) {
		char *rel = xasprintf(
			"sys/kernel/tracing/events/amd_iommu/%s/id", ev[i]);

		free(tu_write(root, rel, "1\n"));
		free(rel);
	}
	tu_mkdirs(root, "sys/bus/pci/devices/0000:01:01.0");
	free(tu_write(root, "proc/cmdline", cmdline));
}

static void test_doctor_efr(void **state)
{
	unsigned long long efr = 0;
	char *t;

	(void)state;
	t = doctor_efr_text("29d3:0", &efr);
	assert_non_null(t);
	assert_int_equal(efr, 0x29d3);
	assert_string_equal(
		t, "EFR 0x29d3: PREF PPR GT IA GA HE HATS=2 GATS=2 PASmax=0");
	free(t);
	/* the high bits too: IA, PC, PASmax 15, SNP */
	t = doctor_efr_text("8000000f00000240:0", &efr);
	assert_non_null(t);
	assert_string_equal(
		t, "EFR 0x8000000f00000240: IA PC SNP HATS=0 GATS=0 PASmax=15");
	free(t);
	assert_null(doctor_efr_text("", &efr));
	assert_null(doctor_efr_text("29d3x", &efr));
}

static void test_doctor_allowlist(void **state)
{
	const char *list = "# what invlab may use\n"
			   "  /dev/nvme1n1   # scratch\n"
			   "0000:41:00.0\r\n"
			   "#0000:42:00.0\n"
			   "serial:ab\tcd\n";

	(void)state;
	assert_true(doctor_allowlist_has(list, "/dev/nvme1n1"));
	assert_true(doctor_allowlist_has(list, "0000:41:00.0"));
	assert_true(doctor_allowlist_has(list, "serial:ab"));
	assert_false(doctor_allowlist_has(list, "/dev/nvme1n"));
	assert_false(doctor_allowlist_has(list, "0000:42:00.0"));
	assert_false(doctor_allowlist_has(list, "#"));
	assert_false(doctor_allowlist_has(list, ""));
	assert_false(doctor_allowlist_has("", "/dev/nvme1n1"));
}

static void test_doctor_no_iommu(void **state)
{
	const char *root = *state;
	struct doctor_opts o = { .root = root, .out_dir = root };
	struct doctor d;

	free(tu_write(root, "proc/cmdline", "ro quiet\n"));
	assert_true(doctor_run(&o, &d) >= 2);
	assert_int_equal(item(&d, "amd-iommu")->v, DOCTOR_MISSING);
	assert_contains(item(&d, "amd-iommu")->what,
			"this host has no AMD IOMMU");
	assert_int_equal(item(&d, "btf")->v, DOCTOR_MISSING);
	assert_false(d.lab_guest);
	doctor_free(&d);
	/* an Intel host says so */
	tu_mkdirs(root, "sys/class/iommu/dmar0");
	doctor_run(&o, &d);
	assert_contains(item(&d, "amd-iommu")->what,
			"an Intel VT-d IOMMU (dmar0)");
	doctor_free(&d);
}

static void test_doctor_amd_host(void **state)
{
	const char *root = *state;
	struct doctor_opts o = { .root = root, .out_dir = root };
	struct doctor d;

	amd_host(root, "ro quiet\n");
	assert_int_equal(doctor_run(&o, &d), 0);
	assert_int_equal(item(&d, "amd-iommu")->v, DOCTOR_OK);
	assert_contains(item(&d, "amd-iommu")->what, "GT IA GA");
	assert_int_equal(item(&d, "iommu-features")->v, DOCTOR_OK);
	assert_int_equal(item(&d, "lab-tracepoints")->v, DOCTOR_OK);
	/* no PMU: runs, without the hardware counts */
	assert_int_equal(item(&d, "iommu-pmu")->v, DOCTOR_REDUCED);
	assert_contains(item(&d, "dma-mode")->what,
			"1 DMA (strict), 1 DMA-FQ (lazy), 0 identity");
	doctor_free(&d);
	/* without IA the flush-all knob has nothing to use */
	free(tu_write(root, "sys/class/iommu/ivhd0/amd-iommu/features",
		      "2993:0\n"));
	assert_int_equal(doctor_run(&o, &d), 0);
	assert_int_equal(item(&d, "iommu-features")->v, DOCTOR_REDUCED);
	doctor_free(&d);
}

/* msi-storm's PCI device on a real host, then in a lab guest. */
static void test_doctor_device_gates(void **state)
{
	const char *root = *state;
	char err[ERRLEN], *allow = xasprintf("%s/devices", root);
	struct suite s = { 0 };
	struct doctor_opts o = {
		.root = root, .out_dir = root, .s = &s, .allow_file = allow
	};
	struct doctor d;

	amd_host(root, "ro quiet\n");
	assert_int_equal(
		suite_load(tu_top(), "msi-storm", &s, err, sizeof(err)), 0);
	/* neither named nor allowed to leave its driver */
	assert_int_equal(doctor_run(&o, &d), 2);
	assert_int_equal(item(&d, "device")->v, DOCTOR_OK);
	assert_int_equal(item(&d, "device-allowed")->v, DOCTOR_MISSING);
	assert_int_equal(item(&d, "rebind")->v, DOCTOR_MISSING);
	doctor_free(&d);
	/* the allowlist names it; --allow-rebind lets it move */
	free(tu_write(root, "devices",
		      "# lab host devices\n0000:01:01.0  # e1000e\n"));
	o.allow_rebind = "0000:01:01.0";
	assert_int_equal(doctor_run(&o, &d), 0);
	assert_contains(item(&d, "device-allowed")->what, allow);
	doctor_free(&d);
	/* --device names it too; another device is not there */
	o.device = "0000:02:00.0";
	o.allow_rebind = NULL;
	assert_int_equal(doctor_run(&o, &d), 2);
	assert_int_equal(item(&d, "device")->v, DOCTOR_MISSING);
	assert_int_equal(item(&d, "device-allowed")->v, DOCTOR_OK);
	doctor_free(&d);
	/* booted by the lab's host without its mark: a real host's gates */
	o.device = NULL;
	free(tu_write(root, "devices", ""));
	free(tu_write(root, "proc/cmdline",
		      "console=ttyS0 invlab.top=/w invlab.out=/o\n"));
	doctor_run(&o, &d);
	assert_false(d.lab_guest);
	assert_int_equal(item(&d, "device-allowed")->v, DOCTOR_MISSING);
	doctor_free(&d);
	/* a lab guest: disposable, no gate asked for */
	free(tu_write(root, "proc/cmdline",
		      "console=ttyS0 invlab.lab=1 invlab.top=/w\n"));
	assert_int_equal(doctor_run(&o, &d), 0);
	assert_true(d.lab_guest);
	assert_contains(item(&d, "device-allowed")->what, "a lab guest");
	doctor_free(&d);
	suite_free(&s);
	free(allow);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doctor_efr),
		cmocka_unit_test(test_doctor_allowlist),
		tu_test_tmp(test_doctor_no_iommu),
		tu_test_tmp(test_doctor_amd_host),
		tu_test_tmp(test_doctor_device_gates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
