/* SPDX-License-Identifier: GPL-2.0 */
/* cmdq: every command queued to an AMD IOMMU, by opcode and domid/devid. */
#ifndef INVLAB_CMDQ_H
#define INVLAB_CMDQ_H

#include "iommu_cmd.h"

#define CMDQ_MAX_IDS 16384

#include "log2.h"

/*
 * CMD_BUFFER_SIZE of drivers/iommu/amd/amd_iommu_types.h (6.12 and 7.x):
 * a #define, so not in BTF. With it the entry probe tells, from the head
 * and tail the driver cached, whether the command will wait for space.
 * The lab kernel sizes its buffer by a knob (kernel/patches/0006) and
 * keeps the size in struct amd_iommu's cmd_buf_size, which the probe
 * reads when BTF has it (cmdq_count.bpf.h).
 */
#define CMDQ_BUFFER_SIZE 8192
/* __iommu_queue_command_sync() re-reads the head while left <= this. */
#define CMDQ_MIN_LEFT 0x20

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

/*
 * Commands that found the command buffer full by the driver's cached head.
 * Each re-reads the head over MMIO. The driver refreshes its cached head
 * only then, so even an idle queue does this once per ~510 commands (one
 * per buffer wrap) without waiting; the driver polls every 1 us (lock held,
 * IRQs off) only while the re-read shows no room. count is exact; for
 * timed of them the time from entry to the command's write (the re-read,
 * any polls, the write) is in ns and hist: a mean well above one MMIO read
 * means real waits.
 */
struct cmdq_wait_stats {
	unsigned long long count;
	unsigned long long timed;
	unsigned long long ns;
	unsigned long long hist[LOG2_SLOTS];
};

#endif
