// SPDX-License-Identifier: GPL-2.0
/* bpf/seed_paths.h: which seed paths a kernel has, from kallsyms. */
#include "testutil.h"

#include <json-c/json.h>

#include "bpf/fallback_probe.h"
#include "bpf/seed_paths.h"
#include "lib/conf.h"
#include "lib/util.h"

#define KALLSYMS                                             \
	"ffffffff81000000 T amd_iommufd_viommu_init\n"       \
	"ffffffff81000100 t amd_iommu_alloc_domain_nested\n" \
	"ffffffff81000200 t iommu_flush_dev_irt.isra.0\n"    \
	"ffffffff81000300 D amd_iommu_trans_devid_reserve_pci_aliases\n"

static json_object *path_of(json_object *o, const char *name)
{
	return json_object_object_get(o, name);
}

static bool present(json_object *p)
{
	return json_object_get_boolean(json_object_object_get(p, "present"));
}

static void test_the_repo_list_against_a_7x_like_kernel(void **state)
{
	char err[ERRLEN] = "", *ks = tu_write(*state, "kallsyms", KALLSYMS);
	char *conf = tu_printf("%s/bpf/seed-paths.conf", tu_top());
	json_object *o = seed_paths_detect(conf, ks, err, sizeof(err)), *p;

	if (!o)
		fail_msg("seed_paths_detect: %s", err);
	assert_int_equal(json_object_object_length(o), 5);
	p = path_of(o, "nest_parent_hdomid_flush");
	assert_true(present(p));
	assert_string_equal(
		json_object_get_string(json_object_object_get(p, "seed")),
		"002");
	/* A compiler clone counts, under its real name. */
	p = path_of(o, "irt_alias_flush");
	assert_true(present(p));
	assert_string_equal(json_object_get_string(json_object_object_get(
				    json_object_object_get(p, "symbols"),
				    "iommu_flush_dev_irt")),
			    "iommu_flush_dev_irt.isra.0");
	/* A data symbol of the same name is not the function. */
	p = path_of(o, "trans_devid_alias_reserve");
	assert_false(present(p));
	assert_contains(
		json_object_get_string(json_object_object_get(p, "note")),
		"not present in this kernel: no amd_iommu_trans_devid_reserve_pci_aliases");
	assert_false(present(path_of(o, "viommu_private_region")));
	json_object_put(o);
	free(conf);
	free(ks);
}

static void test_missing_list_names_it(void **state)
{
	char err[ERRLEN] = "",
	     *conf = tu_printf("%s/none.conf", (char *)*state);

	assert_null(
		seed_paths_detect(conf, "/proc/kallsyms", err, sizeof(err)));
	assert_contains(err, conf);
	free(conf);
}

static void test_unreadable_kallsyms_is_an_error_not_absence(void **state)
{
	char err[ERRLEN] = "",
	     *ks = tu_printf("%s/no-kallsyms", (char *)*state);
	char *conf = tu_printf("%s/bpf/seed-paths.conf", tu_top());

	assert_null(seed_paths_detect(conf, ks, err, sizeof(err)));
	assert_contains(err, ks);
	free(conf);
	free(ks);
}

static void test_path_without_symbols_is_not_present(void **state)
{
	char err[ERRLEN] = "", *ks = tu_write(*state, "kallsyms", KALLSYMS);
	char *conf = tu_write(*state, "s.conf", "[odd]\nseed = 9\n");
	json_object *o = seed_paths_detect(conf, ks, err, sizeof(err));

	assert_non_null(o);
	assert_false(present(path_of(o, "odd")));
	assert_contains(json_object_get_string(json_object_object_get(
				path_of(o, "odd"), "note")),
			"lists no symbols");
	json_object_put(o);
	free(conf);
	free(ks);
}

/* Both lists of the probes are checked against their keys. */
static void test_bad_lists_name_file_and_line(void **state)
{
	char err[ERRLEN] = "", *ks = tu_write(*state, "kallsyms", KALLSYMS);
	char *conf = tu_write(*state, "s.conf", "[p]\nseed = 1\nsymbls = f\n");
	struct strv kinds = { 0 };
	struct conf c;

	assert_null(seed_paths_detect(conf, ks, err, sizeof(err)));
	assert_contains(err, "s.conf:3: [p] unknown key 'symbls' (did you "
			     "mean 'symbols'?)");
	free(conf);
	conf = tu_write(*state, "s.conf", "[p]\nsymbols = f g f\n");
	assert_null(seed_paths_detect(conf, ks, err, sizeof(err)));
	assert_contains(err, "s.conf:2: [p] symbols = f g f: f given twice");
	free(conf);
	conf = tu_write(*state, "f.conf",
			"[irt]\nfunction = f\n[dte]\nfuncton = g\n");
	assert_int_not_equal(
		fallback_probe_load(conf, &c, &kinds, err, sizeof(err)), 0);
	assert_contains(err, "f.conf:4: [dte] unknown key 'funct");
	free(conf);
	conf = tu_write(*state, "f.conf", "[irt]\n[dte]\nfunction = g\n");
	assert_int_not_equal(
		fallback_probe_load(conf, &c, &kinds, err, sizeof(err)), 0);
	assert_contains(err, "f.conf:1: [irt] needs function = ...");
	free(conf);
	free(ks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		tu_test_tmp(test_the_repo_list_against_a_7x_like_kernel),
		tu_test_tmp(test_missing_list_names_it),
		tu_test_tmp(test_unreadable_kallsyms_is_an_error_not_absence),
		tu_test_tmp(test_path_without_symbols_is_not_present),
		tu_test_tmp(test_bad_lists_name_file_and_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
