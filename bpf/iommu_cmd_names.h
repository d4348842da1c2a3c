/* SPDX-License-Identifier: GPL-2.0 */
/* The names results give the IOMMU command opcodes of iommu_cmd.h. */
#ifndef INVLAB_IOMMU_CMD_NAMES_H
#define INVLAB_IOMMU_CMD_NAMES_H

#include "iommu_cmd.h"

/* "INVALIDATE_IOMMU_PAGES" for opcode 3; "UNKNOWN" for no opcode. */
const char *iommu_cmd_name(unsigned int opcode);
/* The opcode of a name iommu_cmd_name() gives; 0 (no opcode) if unknown. */
unsigned int iommu_cmd_opcode(const char *name);

#endif
