/* SPDX-License-Identifier: GPL-2.0 */
/* The context of a result: host, kernel, IOMMU, lab (QEMU) and invlab. */
#ifndef INVLAB_CONTEXT_H
#define INVLAB_CONTEXT_H

#include <json-c/json.h>

/*
 * lab_json is the file the host wrote for this boot (QEMU version, command
 * line, topology, kernel package), or NULL on a real host. Never fails: what
 * cannot be read is recorded as null with the reason.
 */
json_object *context_collect(const char *lab_json);

/* The kernel's log (klogctl: root), or NULL; freed by the caller. */
char *context_kernel_log(void);
/* From kernel log text: "enabled", "disabled" or "unknown". */
const char *context_intremap(const char *log);
/* From kernel log text: "strict", "lazy" or "unknown" (last word wins). */
const char *context_dma_mode(const char *log);

#endif
