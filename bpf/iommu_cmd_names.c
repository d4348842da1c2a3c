// SPDX-License-Identifier: GPL-2.0
#include "iommu_cmd_names.h"

#include <string.h>

const char *iommu_cmd_name(unsigned int opcode)
{
	static const char *const names[IOMMU_CMD_NR_OPCODES] = {
		[IOMMU_CMD_COMPL_WAIT] = "COMPLETION_WAIT",
		[IOMMU_CMD_INV_DEV_ENTRY] = "INVALIDATE_DEVTAB_ENTRY",
		[IOMMU_CMD_INV_IOMMU_PAGES] = "INVALIDATE_IOMMU_PAGES",
		[IOMMU_CMD_INV_IOTLB_PAGES] = "INVALIDATE_IOTLB_PAGES",
		[IOMMU_CMD_INV_IRT] = "INVALIDATE_INTERRUPT_TABLE",
		[IOMMU_CMD_PREFETCH_PAGES] = "PREFETCH_IOMMU_PAGES",
		[IOMMU_CMD_COMPLETE_PPR] = "COMPLETE_PPR_REQUEST",
		[IOMMU_CMD_INV_ALL] = "INVALIDATE_IOMMU_ALL",
	};

	if (opcode < IOMMU_CMD_NR_OPCODES && names[opcode])
		return names[opcode];
	return "UNKNOWN";
}

unsigned int iommu_cmd_opcode(const char *name)
{
	for (unsigned int op = 1; op < IOMMU_CMD_NR_OPCODES; op++) {
		if (!strcmp(iommu_cmd_name(op), name))
			return op;
	}
	return 0;
}
