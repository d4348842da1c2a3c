/* SPDX-License-Identifier: GPL-2.0 */
/* cmdq: every command queued to an AMD IOMMU, by opcode and domid/devid. */
#ifndef INVLAB_CMDQ_H
#define INVLAB_CMDQ_H

#include "iommu_cmd.h"

#define CMDQ_MAX_IDS 16384

/* Keys of the cw_seq map. */
#define CW_SEQ_LAST 0
#define CW_SEQ_FIRST 1
#define CW_SEQ_NR 2

/* id is the domid for INVALIDATE_IOMMU_PAGES, the devid for commands that
 * target a device, IOMMU_CMD_ID_NONE otherwise.
 */
struct cmdq_id_key {
	unsigned int opcode;
	unsigned int id;
};

#endif
