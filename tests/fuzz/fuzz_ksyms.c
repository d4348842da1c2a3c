// SPDX-License-Identifier: GPL-2.0
/*
 * bpf/ksyms.h: the input as /proc/kallsyms (names and their compiler
 * clones), then as tracefs's available_filter_functions.
 */
#include "fuzz.h"

#include "bpf/ksyms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ksym_query q[] = {
		{ .name = "__iommu_queue_command_sync" },
		{ .name = "amd_iommu_flush_iotlb_all" },
		{ .name = "domain_flush_pages" },
		{ .name = "iommu_flush_irt_and_complete" },
		{ .name = "a" },
	};
	char *path = fuzz_write("kallsyms", data, size), found[64];
	bool exact;

	if (!ksyms_resolve_all(path, q, ARRAY_SIZE(q)))
		ksyms_check_traceable(path, q, ARRAY_SIZE(q));
	ksyms_resolve(path, "domain_flush_pages", found, sizeof(found), &exact);
	free(path);
	return 0;
}
