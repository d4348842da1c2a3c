// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel settings as matrix parameters: lib/knob.h (names, values, the
 * command line) and run/knobs.h (set, read back, refused, restored),
 * against a sysfs and /proc/cmdline made in a temporary directory.
 */
#include "testutil.h"

#include "lib/knob.h"
#include "lib/util.h"
#include "run/knobs.h"

static void test_knob_names(void **state)
{
	const char *k;

	(void)state;
	assert_int_equal(knob_kind("hdomids", &k), KNOB_NONE);
	assert_null(k);
	assert_int_equal(knob_kind("cmdline.iommu.strict", &k), KNOB_CMDLINE);
	assert_string_equal(k, "iommu.strict");
	assert_int_equal(knob_kind("module.amd_iommu_lab.irt_alias_dedup", &k),
			 KNOB_MODULE);
	assert_string_equal(k, "amd_iommu_lab.irt_alias_dedup");
	assert_true(knob_param_name_ok("hdomids"));
	assert_true(knob_param_name_ok("cmdline.iommu.strict"));
	assert_true(knob_param_name_ok("cmdline.amd-iommu_intr"));
	assert_true(knob_param_name_ok("module.amd_iommu_lab.x"));
	assert_false(knob_param_name_ok("Hdomids"));
	assert_false(knob_param_name_ok("iommu.strict"));
	assert_false(knob_param_name_ok("cmdline."));
	assert_false(knob_param_name_ok("cmdline.a/b"));
	assert_false(knob_param_name_ok("module.amd_iommu_lab"));
	assert_false(knob_param_name_ok("module..x"));
	assert_false(knob_param_name_ok("module.a.b.c"));
	assert_false(knob_param_name_ok("module.a.-b"));
}

static void test_knob_paths_and_cmdline(void **state)
{
	struct strv kv = { 0 };
	char *p, *args;

	(void)state;
	p = knob_sysfs_path("", "amd_iommu_lab.cmdbuf_entries");
	assert_string_equal(
		p, "/sys/module/amd_iommu_lab/parameters/cmdbuf_entries");
	free(p);
	assert_null(knob_sysfs_path("", "nodot"));
	assert_null(knob_sysfs_path("", "a.b.c"));
	assert_null(knob_sysfs_path("", ".x"));
	strv_add(&kv, "hdomids=4");
	strv_add(&kv, "cmdline.amd_iommu_lab.cmdbuf_entries=8192");
	strv_add(&kv, "module.amd_iommu_lab.irt_alias_dedup=Y");
	strv_add(&kv, "cmdline.iommu.strict=0");
	args = knob_cmdline_args(&kv);
	assert_string_equal(
		args, " amd_iommu_lab.cmdbuf_entries=8192 iommu.strict=0");
	free(args);
	strv_free(&kv);
	args = knob_cmdline_args(&kv);
	assert_string_equal(args, "");
	free(args);
}

static void test_knob_boot_params(void **state)
{
	char *p;

	(void)state;
	p = knob_boot_params(
		"module.amd_iommu_lab.irt_alias_dedup=1,vectors=4,cmdline.iommu.strict=0,module.a.b=2");
	assert_string_equal(p, "vectors=4,cmdline.iommu.strict=0");
	free(p);
	/* only module knobs: every such cell can share one boot */
	p = knob_boot_params("module.amd_iommu_lab.nest_flush_all_threshold=0");
	assert_string_equal(p, "");
	free(p);
	p = knob_boot_params("");
	assert_string_equal(p, "");
	free(p);
}

static void test_knob_values(void **state)
{
	(void)state;
	assert_true(knob_value_same("512", "512"));
	assert_true(knob_value_same("0x200", "512"));
	assert_false(knob_value_same("300", "512"));
	assert_true(knob_value_same("1", "Y"));
	assert_true(knob_value_same("y", "Y"));
	assert_true(knob_value_same("0", "N"));
	assert_false(knob_value_same("1", "N"));
	assert_false(knob_value_same("maybe", "Y"));
	assert_false(knob_value_same("", "0"));
	assert_false(knob_value_same("12abc", "12"));
}

#define PARAMS "sys/module/amd_iommu_lab/parameters/"

static json_object *apply(const char *root, struct knobs *k, const char *kv,
			  bool may_write, const char *allow, int want,
			  char *err)
{
	json_object *ctx = json_object_new_object();
	struct strv params = { 0 };

	strv_add(&params, kv);
	k->root = root;
	err[0] = '\0';
	assert_int_equal(knobs_apply(k, &params, may_write, allow, ctx, err,
				     ERRLEN),
			 want);
	strv_free(&params);
	return ctx;
}

static void test_knobs_module_set_and_restored(void **state)
{
	const char *root = *state;
	char *path = tu_write(root, PARAMS "irt_alias_dedup", "N\n");
	char err[ERRLEN], *back;
	struct knobs k = { 0 };
	json_object *ctx, *rec;

	ctx = apply(root, &k, "module.amd_iommu_lab.irt_alias_dedup=Y", true,
		    NULL, 0, err);
	back = tu_read(path);
	assert_string_equal(back, "Y");
	free(back);
	assert_true(json_object_object_get_ex(ctx, "knobs", &rec));
	rec = json_object_object_get(rec, "amd_iommu_lab.irt_alias_dedup");
	assert_non_null(rec);
	assert_string_equal(
		json_object_get_string(json_object_object_get(rec, "kind")),
		"module");
	assert_string_equal(
		json_object_get_string(json_object_object_get(rec, "shown")),
		"Y");
	assert_string_equal(
		json_object_get_string(json_object_object_get(rec, "before")),
		"N");
	knobs_restore(&k);
	back = tu_read(path);
	assert_string_equal(back, "N");
	free(back);
	json_object_put(ctx);
	free(path);
}

static void test_knobs_module_needs_permission_on_a_host(void **state)
{
	const char *root = *state;
	char *path = tu_write(root, PARAMS "nest_flush_all_threshold", "0\n");
	char err[ERRLEN], *back;
	struct knobs k = { 0 };
	json_object *ctx;

	/* not a lab guest, not named: refused, nothing written */
	ctx = apply(root, &k,
		    "module.amd_iommu_lab.nest_flush_all_threshold=64", false,
		    "amd_iommu_lab.other", -1, err);
	assert_non_null(strstr(
		err, "--allow-knob amd_iommu_lab.nest_flush_all_threshold"));
	back = tu_read(path);
	assert_string_equal(back, "0\n");
	free(back);
	json_object_put(ctx);
	knobs_restore(&k);
	/* named (either spelling): written */
	ctx = apply(root, &k,
		    "module.amd_iommu_lab.nest_flush_all_threshold=64", false,
		    "x.y,module.amd_iommu_lab.nest_flush_all_threshold", 0,
		    err);
	back = tu_read(path);
	assert_string_equal(back, "64");
	free(back);
	json_object_put(ctx);
	knobs_restore(&k);
	free(path);
}

static void test_knobs_missing_parameter(void **state)
{
	char err[ERRLEN];
	struct knobs k = { 0 };
	json_object *ctx;

	ctx = apply(*state, &k, "module.amd_iommu_lab.no_such=1", true, NULL,
		    -1, err);
	assert_non_null(strstr(err, "no such module parameter"));
	json_object_put(ctx);
	knobs_restore(&k);
}

static void test_knobs_cmdline_checked(void **state)
{
	const char *root = *state;
	char err[ERRLEN];
	struct knobs k = { 0 };
	json_object *ctx;
	char *a = tu_write(root, PARAMS "cmdbuf_entries", "512\n");
	char *b = tu_write(root, "proc/cmdline",
			   "console=ttyS0 iommu.strict=1 iommu.strict=0\n");

	/* sysfs shows the value in effect: a refused value fails */
	ctx = apply(root, &k, "cmdline.amd_iommu_lab.cmdbuf_entries=300", true,
		    NULL, -1, err);
	assert_non_null(strstr(err, "the kernel shows 512"));
	json_object_put(ctx);
	ctx = apply(root, &k, "cmdline.amd_iommu_lab.cmdbuf_entries=512", true,
		    NULL, 0, err);
	json_object_put(ctx);
	/* no sysfs mirror: /proc/cmdline, where the last one wins */
	ctx = apply(root, &k, "cmdline.iommu.strict=0", true, NULL, 0, err);
	json_object_put(ctx);
	ctx = apply(root, &k, "cmdline.iommu.strict=1", true, NULL, -1, err);
	assert_non_null(strstr(err, "not booted with it"));
	json_object_put(ctx);
	knobs_restore(&k);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_knob_names),
		cmocka_unit_test(test_knob_paths_and_cmdline),
		cmocka_unit_test(test_knob_boot_params),
		cmocka_unit_test(test_knob_values),
		tu_test_tmp(test_knobs_module_set_and_restored),
		tu_test_tmp(test_knobs_module_needs_permission_on_a_host),
		tu_test_tmp(test_knobs_missing_parameter),
		tu_test_tmp(test_knobs_cmdline_checked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
