/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iommufd uAPI newer than the build host's linux-libc-dev (Debian trixie
 * ships 6.12's headers; the lab's kernel is 7.3). Only what the hDomID
 * sweep uses, copied from include/uapi/linux/iommufd.h of Linux 7.3; used
 * only where the system header lacks it.
 */
#ifndef INVLAB_IOMMUFD_UAPI_H
#define INVLAB_IOMMUFD_UAPI_H

#include <linux/iommufd.h>
#include <linux/types.h>

#ifndef IOMMU_VIOMMU_ALLOC
struct iommu_viommu_alloc {
	__u32 size;
	__u32 flags;
	__u32 type;
	__u32 dev_id;
	__u32 hwpt_id;
	__u32 out_viommu_id;
	__u32 data_len;
	__u32 __reserved;
	__aligned_u64 data_uptr;
};
#define IOMMU_VIOMMU_ALLOC _IO(IOMMUFD_TYPE, 0x90)
#endif

/* enum iommu_hwpt_data_type: IOMMU_HWPT_DATA_AMD_GUEST (7.3) */
#define INVLAB_HWPT_DATA_AMD_GUEST 3
/* struct iommu_hwpt_amd_guest: the guest's Device Table Entry */
struct invlab_hwpt_amd_guest {
	__aligned_u64 dte[4];
};

/*
 * Linux 7.3's uAPI has no AMD vIOMMU type yet, and the AMD driver's
 * get_viommu_size() ignores the type; the core refuses only DEFAULT (0).
 * The sweep passes 1 and says so in its result.
 */
#define INVLAB_VIOMMU_TYPE_AMD_LAB 1

#endif
