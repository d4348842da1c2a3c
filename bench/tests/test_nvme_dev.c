// SPDX-License-Identifier: GPL-2.0
/* workloads/common/nvme_dev.h: nvme_dev_resolve on a fake sysfs tree. */
#include "testutil.h"

#include "workloads/common/nvme_dev.h"
#include "lib/util.h"

/*
 * Lay out, under dir/sys, what the lab's guest shows:
 *   class/nvme/nvme0/serial            "invlab-nvme0   " (space-padded)
 *   class/nvme/nvme0/nvme0n1/          its namespace
 *   class/nvme/nvme0/device         -> devices/pci0000:00/0000:00:04.0
 *   devices/.../0000:00:04.0/iommu_group -> kernel/iommu_groups/3
 *   kernel/iommu_groups/3/type         "DMA"
 * The links are relative, as in sysfs.
 */
static int setup_sysfs(void **state)
{
	char *dir;
	char *sys;

	tu_setup_tmpdir(state);
	dir = *state;
	sys = tu_printf("%s/sys", dir);
	free(tu_write(sys, "class/nvme/nvme0/serial", "invlab-nvme0   \n"));
	tu_mkdirs(sys, "class/nvme/nvme0/nvme0n1");
	tu_mkdirs(sys, "devices/pci0000:00/0000:00:04.0");
	tu_symlink("../../../devices/pci0000:00/0000:00:04.0", sys,
		   "class/nvme/nvme0/device");
	free(tu_write(sys, "kernel/iommu_groups/3/type", "DMA\n"));
	tu_symlink("../../../kernel/iommu_groups/3", sys,
		   "devices/pci0000:00/0000:00:04.0/iommu_group");
	free(sys);
	return 0;
}

#define sysfs_test(f) \
	cmocka_unit_test_setup_teardown(f, setup_sysfs, tu_teardown_tmpdir)

static int resolve(void **state, const char *spec, struct nvme_dev *d,
		   char *err, size_t err_len)
{
	char *sys = tu_printf("%s/sys", (char *)*state);
	int ret = nvme_dev_resolve(sys, spec, d, err, err_len);

	free(sys);
	return ret;
}

static void test_nvme_by_serial(void **state)
{
	char err[ERRLEN] = "";
	struct nvme_dev d;

	if (resolve(state, "serial:invlab-nvme0", &d, err, sizeof(err)))
		fail_msg("nvme_dev_resolve: %s", err);
	assert_string_equal(d.node, "/dev/nvme0n1");
	assert_string_equal(d.ctrl, "nvme0");
	assert_string_equal(d.pci, "0000:00:04.0");
	assert_string_equal(d.serial, "invlab-nvme0");
	assert_string_equal(d.iommu_group_type, "DMA");
	/* no class/nvme-generic in this tree: no passthrough node */
	assert_string_equal(d.generic, "");
}

static void test_nvme_generic_char_device(void **state)
{
	char err[ERRLEN] = "", *sys = tu_printf("%s/sys", (char *)*state);
	struct nvme_dev d;

	tu_mkdirs(sys, "class/nvme-generic/ng0n1");
	free(sys);
	if (resolve(state, "serial:invlab-nvme0", &d, err, sizeof(err)))
		fail_msg("nvme_dev_resolve: %s", err);
	assert_string_equal(d.generic, "/dev/ng0n1");
	if (resolve(state, "/dev/nvme0n1", &d, err, sizeof(err)))
		fail_msg("nvme_dev_resolve: %s", err);
	assert_string_equal(d.generic, "/dev/ng0n1");
}

static void test_nvme_by_serial_among_controllers(void **state)
{
	char err[ERRLEN] = "";
	char *sys = tu_printf("%s/sys", (char *)*state);
	struct nvme_dev d;

	/* A second controller: the one the serial names must be chosen. */
	free(tu_write(sys, "class/nvme/nvme1/serial", "S6XNNS0T123456  \n"));
	tu_mkdirs(sys, "class/nvme/nvme1/nvme1n1");
	free(tu_write(sys, "class/nvme/nvme2/serial", "invlab-nvme00\n"));
	tu_mkdirs(sys, "class/nvme/nvme2/nvme2n1");
	if (resolve(state, "serial:S6XNNS0T123456", &d, err, sizeof(err)))
		fail_msg("nvme_dev_resolve: %s", err);
	assert_string_equal(d.node, "/dev/nvme1n1");
	assert_string_equal(d.ctrl, "nvme1");
	/* No device link, no IOMMU group: recorded as such. */
	assert_string_equal(d.pci, "");
	assert_string_equal(d.iommu_group_type, "none");
	if (resolve(state, "serial:invlab-nvme0", &d, err, sizeof(err)))
		fail_msg("nvme_dev_resolve: %s", err);
	assert_string_equal(d.ctrl, "nvme0");
	free(sys);
}

static void test_nvme_explicit_node(void **state)
{
	char err[ERRLEN] = "";
	struct nvme_dev d;

	if (resolve(state, "/dev/nvme0n1", &d, err, sizeof(err)))
		fail_msg("nvme_dev_resolve: %s", err);
	assert_string_equal(d.node, "/dev/nvme0n1");
	assert_string_equal(d.ctrl, "nvme0");
	assert_string_equal(d.pci, "0000:00:04.0");
	assert_string_equal(d.serial, "invlab-nvme0");
	assert_string_equal(d.iommu_group_type, "DMA");
}

static void test_nvme_unknown_serial_is_named(void **state)
{
	char err[ERRLEN] = "";
	struct nvme_dev d;

	assert_int_not_equal(
		resolve(state, "serial:other", &d, err, sizeof(err)), 0);
	assert_contains(err, "'other'");
	/* A prefix of a serial is not that serial. */
	err[0] = '\0';
	assert_int_not_equal(
		resolve(state, "serial:invlab-nvme", &d, err, sizeof(err)), 0);
	assert_contains(err, "'invlab-nvme'");
}

/* readdir order is no order: the lowest namespace wins, whatever came first. */
static void test_nvme_lowest_namespace_is_chosen(void **state)
{
	char *sys = tu_printf("%s/sys", (char *)*state);
	char err[ERRLEN] = "";
	struct nvme_dev d;

	tu_mkdirs(sys, "class/nvme/nvme0/nvme0n10");
	tu_mkdirs(sys, "class/nvme/nvme0/nvme0n2");
	tu_mkdirs(sys, "class/nvme/nvme0/nvme0n1extra");
	free(sys);
	if (resolve(state, "serial:invlab-nvme0", &d, err, sizeof(err)))
		fail_msg("nvme_dev_resolve: %s", err);
	assert_string_equal(d.node, "/dev/nvme0n1");
}

static void test_nvme_other_devices_are_refused(void **state)
{
	static const char *const refused[] = {
		"/dev/sda",	   "sda",	   "serial:",
		"/dev/nvme0",	   "nvme0n1",	   "/dev/nvme0n1p1",
		"/dev/nvme0n1xyz", "/dev/nvme0n9",
	};
	char err[ERRLEN];
	struct nvme_dev d;

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		err[0] = '\0';
		if (!resolve(state, refused[i], &d, err, sizeof(err)))
			fail_msg("\"%s\" was accepted as %s", refused[i],
				 d.node);
		assert_contains(err, refused[i]);
	}
}

static void test_nvme_explicit_node_of_absent_controller(void **state)
{
	char err[ERRLEN] = "";
	struct nvme_dev d;

	assert_int_not_equal(
		resolve(state, "/dev/nvme3n1", &d, err, sizeof(err)), 0);
	assert_contains(err, "/dev/nvme3n1");
	assert_contains(err, "nvme3");
}

static void test_nvme_controller_without_namespace(void **state)
{
	char err[ERRLEN] = "";
	char *sys = tu_printf("%s/sys", (char *)*state);
	struct nvme_dev d;

	free(tu_write(sys, "class/nvme/nvme1/serial", "empty-ctrl\n"));
	assert_int_not_equal(
		resolve(state, "serial:empty-ctrl", &d, err, sizeof(err)), 0);
	assert_contains(err, "nvme1");
	assert_contains(err, "no namespace");
	free(sys);
}

static void test_nvme_missing_sysfs_class(void **state)
{
	char err[ERRLEN] = "";
	struct nvme_dev d;
	char *sys = tu_printf("%s/empty-sys", (char *)*state);

	tu_mkdirs(sys, "");
	assert_int_not_equal(nvme_dev_resolve(sys, "serial:invlab-nvme0", &d,
					      err, sizeof(err)),
			     0);
	assert_contains(err, "'invlab-nvme0'");
	free(sys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		sysfs_test(test_nvme_by_serial),
		sysfs_test(test_nvme_generic_char_device),
		sysfs_test(test_nvme_by_serial_among_controllers),
		sysfs_test(test_nvme_explicit_node),
		sysfs_test(test_nvme_unknown_serial_is_named),
		sysfs_test(test_nvme_other_devices_are_refused),
		sysfs_test(test_nvme_explicit_node_of_absent_controller),
		sysfs_test(test_nvme_controller_without_namespace),
		sysfs_test(test_nvme_missing_sysfs_class),
		sysfs_test(test_nvme_lowest_namespace_is_chosen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
