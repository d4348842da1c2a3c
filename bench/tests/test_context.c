// SPDX-License-Identifier: GPL-2.0
/* bench/src/run/context.h: IOMMU state read from kernel log text. */
#include "testutil.h"

#include "run/context.h"

/* As Linux 6.12 logs it under QEMU's amd-iommu with intremap=on. */
static const char log_6_12[] =
	"[    0.000000] Linux version 6.12.57+deb13-amd64\n"
	"[    0.412233] pci 0000:00:00.2: AMD-Vi: IOMMU performance counters supported\n"
	"[    0.415001] iommu: DMA domain TLB invalidation policy: lazy mode\n"
	"[    0.520101] AMD-Vi: Interrupt remapping enabled\n"
	"[    0.520300] AMD-Vi: Using strict mode due to virtualization\n"
	"[    0.530000] AMD-Vi: Virtual APIC enabled\n";

/* As Linux 7.3 logs it in the same lab. */
static const char log_7_3[] =
	"[    0.000000] Linux version 7.3.1+bpo-amd64\n"
	"[    0.401000] iommu: DMA domain TLB invalidation policy: lazy mode\n"
	"[    0.502000] AMD-Vi: Disabling interrupt remapping\n"
	"[    0.503000] AMD-Vi: Virtual APIC enabled\n";

static void test_intremap_enabled_on_6_12(void **state)
{
	(void)state;
	assert_string_equal(context_intremap(log_6_12), "enabled");
}

static void test_intremap_disabled_on_7_3(void **state)
{
	(void)state;
	assert_string_equal(context_intremap(log_7_3), "disabled");
}

static void test_intremap_unknown_without_a_verdict(void **state)
{
	(void)state;
	assert_string_equal(
		context_intremap(
			"[0.1] AMD-Vi: Virtual APIC enabled\n"
			"[0.2] pci 0000:00:04.0: Adding to iommu group 3\n"),
		"unknown");
	assert_string_equal(context_intremap(""), "unknown");
	assert_string_equal(context_intremap(NULL), "unknown");
}

static void test_intremap_last_verdict_wins(void **state)
{
	(void)state;
	assert_string_equal(context_intremap(
				    "AMD-Vi: Interrupt remapping enabled\n"
				    "AMD-Vi: Disabling interrupt remapping\n"),
			    "disabled");
	/* The last line need not end with a newline. */
	assert_string_equal(context_intremap(
				    "AMD-Vi: Disabling interrupt remapping\n"
				    "AMD-Vi: Interrupt remapping enabled"),
			    "enabled");
}

static void test_dma_mode_strict_after_lazy_default(void **state)
{
	(void)state;
	/* The default policy is lazy; the AMD driver then forces strict. */
	assert_string_equal(context_dma_mode(log_6_12), "strict");
}

static void test_dma_mode_lazy_alone(void **state)
{
	(void)state;
	assert_string_equal(context_dma_mode(log_7_3), "lazy");
}

static void test_dma_mode_strict_policy_line(void **state)
{
	(void)state;
	assert_string_equal(
		context_dma_mode(
			"[0.4] iommu: DMA domain TLB invalidation policy: strict mode\n"),
		"strict");
}

static void test_dma_mode_unknown_without_a_verdict(void **state)
{
	(void)state;
	assert_string_equal(
		context_dma_mode("[0.5] AMD-Vi: Interrupt remapping enabled\n"),
		"unknown");
	assert_string_equal(context_dma_mode(""), "unknown");
	assert_string_equal(context_dma_mode(NULL), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intremap_enabled_on_6_12),
		cmocka_unit_test(test_intremap_disabled_on_7_3),
		cmocka_unit_test(test_intremap_unknown_without_a_verdict),
		cmocka_unit_test(test_intremap_last_verdict_wins),
		cmocka_unit_test(test_dma_mode_strict_after_lazy_default),
		cmocka_unit_test(test_dma_mode_lazy_alone),
		cmocka_unit_test(test_dma_mode_strict_policy_line),
		cmocka_unit_test(test_dma_mode_unknown_without_a_verdict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
