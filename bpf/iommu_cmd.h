/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AMD IOMMU command words, as the driver queues them (AMD IOMMU spec,
 * "Commands"; drivers/iommu/amd/amd_iommu_types.h). Shared by the BPF
 * programs and user space.
 */
#ifndef INVLAB_IOMMU_CMD_H
#define INVLAB_IOMMU_CMD_H

/* The opcode lives in data[1] bits 31:28. */
#define IOMMU_CMD_OPCODE(data1) (((data1) >> 28) & 0xf)
#define IOMMU_CMD_NR_OPCODES 16

#define IOMMU_CMD_COMPL_WAIT 0x1
#define IOMMU_CMD_INV_DEV_ENTRY 0x2
#define IOMMU_CMD_INV_IOMMU_PAGES 0x3
#define IOMMU_CMD_INV_IOTLB_PAGES 0x4
#define IOMMU_CMD_INV_IRT 0x5
#define IOMMU_CMD_PREFETCH_PAGES 0x6
#define IOMMU_CMD_COMPLETE_PPR 0x7
#define IOMMU_CMD_INV_ALL 0x8

/* Commands that name no domain or device are counted under this id. */
#define IOMMU_CMD_ID_NONE 0xffffffffu

#endif
