// SPDX-License-Identifier: GPL-2.0
/* bpf/ksyms.h: ksyms_resolve on kallsyms-format files. */
#include "testutil.h"

#include "bpf/ksyms.h"

#define SYM "__iommu_queue_command_sync"

struct lookup {
	int ret;
	char found[256];
	bool exact;
};

/* Resolve SYM in a kallsyms file made of text. */
static struct lookup resolve(const char *dir, const char *text)
{
	char *path = tu_write(dir, "kallsyms", text);
	struct lookup l = { .found = "(untouched)", .exact = true };

	l.ret = ksyms_resolve(path, SYM, l.found, sizeof(l.found), &l.exact);
	free(path);
	return l;
}

static void test_ksyms_exact_match_wins_over_earlier_variant(void **state)
{
	struct lookup l = resolve(*state,
				  "ffffffff81000000 T _stext\n"
				  "ffffffff81234000 t " SYM ".isra.0\n"
				  "ffffffff81235000 t " SYM ".cold\n"
				  "ffffffff81236000 T " SYM "\n"
				  "ffffffff81237000 t iommu_completion_wait\n");

	assert_int_equal(l.ret, 0);
	assert_string_equal(l.found, SYM);
	assert_true(l.exact);
}

static void test_ksyms_exact_match_in_module(void **state)
{
	struct lookup l = resolve(*state,
				  "ffffffffc0001000 t " SYM
				  ".part.0\t[amd_iommu]\n"
				  "ffffffffc0002000 t " SYM "\t[amd_iommu]\n");

	assert_int_equal(l.ret, 0);
	assert_string_equal(l.found, SYM);
	assert_true(l.exact);
}

static void test_ksyms_only_isra_variant_is_found_not_exact(void **state)
{
	struct lookup l = resolve(*state,
				  "ffffffff81000000 T _stext\n"
				  "ffffffff81234000 t " SYM ".isra.0\n");

	assert_int_equal(l.ret, 0);
	assert_string_equal(l.found, SYM ".isra.0");
	assert_false(l.exact);
}

static void test_ksyms_first_non_cold_variant_is_taken(void **state)
{
	struct lookup l = resolve(*state,
				  "ffffffff81200000 t " SYM ".cold\n"
				  "ffffffff81210000 t " SYM ".part.0.cold\n"
				  "ffffffff81220000 t " SYM ".constprop.0\n"
				  "ffffffff81230000 t " SYM ".isra.0\n");

	assert_int_equal(l.ret, 0);
	assert_string_equal(l.found, SYM ".constprop.0");
	assert_false(l.exact);
}

static void test_ksyms_only_cold_fragment_is_enoent(void **state)
{
	struct lookup l = resolve(*state, "ffffffff81000000 T _stext\n"
					  "ffffffff81235000 t " SYM ".cold\n");

	assert_int_equal(l.ret, -ENOENT);
}

static void test_ksyms_data_symbols_are_ignored(void **state)
{
	struct lookup l = resolve(*state,
				  "ffffffff82000000 d " SYM "\n"
				  "ffffffff82000100 D " SYM "\n"
				  "ffffffff82000200 b " SYM "\n"
				  "ffffffff81234000 t " SYM ".isra.0\n");

	/* The data symbols share the name, but only text is a function. */
	assert_int_equal(l.ret, 0);
	assert_string_equal(l.found, SYM ".isra.0");
	assert_false(l.exact);

	l = resolve(*state, "ffffffff82000000 d " SYM "\n"
			    "ffffffff82000100 D " SYM "\n");
	assert_int_equal(l.ret, -ENOENT);
}

static void test_ksyms_longer_name_with_same_prefix_is_no_match(void **state)
{
	struct lookup l = resolve(*state, "ffffffff81234000 t " SYM "_foo\n"
					  "ffffffff81235000 T " SYM "2\n"
					  "ffffffff81236000 T x" SYM "\n");

	assert_int_equal(l.ret, -ENOENT);
}

static void test_ksyms_malformed_lines_are_skipped(void **state)
{
	struct lookup l = resolve(*state, "\n"
					  "garbage\n"
					  "ffffffff81000000 T\n"
					  "ffffffff81236000 T " SYM "\n");

	assert_int_equal(l.ret, 0);
	assert_string_equal(l.found, SYM);
	assert_true(l.exact);
}

static void test_ksyms_missing_file_is_negative_errno(void **state)
{
	char *path = tu_printf("%s/no-kallsyms", (char *)*state);
	char found[64] = "";
	bool exact = false;

	assert_int_equal(ksyms_resolve(path, SYM, found, sizeof(found), &exact),
			 -ENOENT);
	assert_string_equal(found, "");
	free(path);
}

static void test_ksyms_all_resolves_each_name_in_one_pass(void **state)
{
	char *path = tu_write(*state, "kallsyms",
			      "ffffffff81234000 t " SYM ".isra.0\n"
			      "ffffffff81235000 t wait_on_sem.part.0.isra.0\n"
			      "ffffffff81236000 T " SYM "\n"
			      "ffffffff81237000 D iommu_flush_dev_irt\n");
	struct ksym_query q[] = { { .name = SYM },
				  { .name = "wait_on_sem" },
				  { .name = "iommu_flush_dev_irt" } };

	assert_int_equal(ksyms_resolve_all(path, q, 3), 0);
	/* Exact beats the variant seen first, as ksyms_resolve does. */
	assert_int_equal(q[0].ret, 0);
	assert_true(q[0].exact);
	assert_string_equal(q[0].found, SYM);
	assert_int_equal(q[1].ret, 0);
	assert_false(q[1].exact);
	assert_string_equal(q[1].found, "wait_on_sem.part.0.isra.0");
	/* A data symbol is not the function. */
	assert_int_equal(q[2].ret, -ENOENT);
	free(path);
}

static void test_ksyms_traceable_from_filter_functions(void **state)
{
	char *ksyms =
		tu_write(*state, "kallsyms",
			 "ffffffff81234000 t " SYM "\n"
			 "ffffffff81235000 t iommu_completion_wait.isra.0\n"
			 "ffffffff81236000 t wait_on_sem\n");
	char *aff = tu_write(*state, "available_filter_functions",
			     "amd_iommu_domain_flush_pages\n" SYM "\n"
			     "iommu_completion_wait.isra.0\n"
			     "vfio_pci_core_ioctl [vfio_pci_core]\n");
	struct ksym_query q[] = { { .name = SYM },
				  { .name = "iommu_completion_wait" },
				  { .name = "wait_on_sem" },
				  { .name = "device_flush_dte" } };

	assert_int_equal(ksyms_resolve_all(ksyms, q, 4), 0);
	assert_int_equal(ksyms_check_traceable(aff, q, 4), 0);
	assert_true(q[0].traceable);
	/* the clone's own name is what ftrace lists */
	assert_true(q[1].traceable);
	/* in kallsyms, not in the list: notrace, cannot be hooked */
	assert_false(q[2].traceable);
	/* not found at all: not traceable either */
	assert_int_equal(q[3].ret, -ENOENT);
	assert_false(q[3].traceable);
	free(ksyms);
	free(aff);
}

static void test_ksyms_traceable_addrs_variant_and_missing_file(void **state)
{
	char *ksyms =
		tu_write(*state, "kallsyms", "ffffffff81234000 t " SYM "\n");
	char *aff = tu_write(*state, "available_filter_functions_addrs",
			     "ffffffff81234000 " SYM "\n");
	struct ksym_query q[] = { { .name = SYM } };

	assert_int_equal(ksyms_resolve_all(ksyms, q, 1), 0);
	assert_int_equal(ksyms_check_traceable(aff, q, 1), 0);
	assert_true(q[0].traceable);
	assert_int_equal(ksyms_check_traceable("/nonexistent/aff", q, 1),
			 -ENOENT);
	free(ksyms);
	free(aff);
}

static void test_ksyms_whole_clone_beats_part_clone(void **state)
{
	char *path = tu_write(*state, "kallsyms",
			      "ffffffff81234000 t wait_on_sem.part.0.isra.0\n"
			      "ffffffff81235000 t wait_on_sem.isra.0\n"
			      "ffffffff81236000 t flush.part.0\n");
	struct ksym_query q[] = { { .name = "wait_on_sem" },
				  { .name = "flush" } };

	assert_int_equal(ksyms_resolve_all(path, q, 2), 0);
	/* seen second, but the whole function */
	assert_string_equal(q[0].found, "wait_on_sem.isra.0");
	assert_false(q[0].partial);
	/* only a part: found, and said to be partial */
	assert_int_equal(q[1].ret, 0);
	assert_string_equal(q[1].found, "flush.part.0");
	assert_true(q[1].partial);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		tu_test_tmp(test_ksyms_exact_match_wins_over_earlier_variant),
		tu_test_tmp(test_ksyms_exact_match_in_module),
		tu_test_tmp(test_ksyms_only_isra_variant_is_found_not_exact),
		tu_test_tmp(test_ksyms_first_non_cold_variant_is_taken),
		tu_test_tmp(test_ksyms_only_cold_fragment_is_enoent),
		tu_test_tmp(test_ksyms_data_symbols_are_ignored),
		tu_test_tmp(
			test_ksyms_longer_name_with_same_prefix_is_no_match),
		tu_test_tmp(test_ksyms_malformed_lines_are_skipped),
		tu_test_tmp(test_ksyms_missing_file_is_negative_errno),
		tu_test_tmp(test_ksyms_all_resolves_each_name_in_one_pass),
		tu_test_tmp(test_ksyms_traceable_from_filter_functions),
		tu_test_tmp(test_ksyms_whole_clone_beats_part_clone),
		tu_test_tmp(
			test_ksyms_traceable_addrs_variant_and_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
