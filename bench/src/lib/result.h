/* SPDX-License-Identifier: GPL-2.0 */
/* Result documents: schema name and version, and their atomic writing. */
#ifndef INVLAB_RESULT_H
#define INVLAB_RESULT_H

#include <json-c/json.h>

#include "bpf/cmdq_probe.h"
#include "workloads/fio/fio.h"
#include "util.h"

#define RESULT_SCHEMA "invlab.result"
#define RESULT_VERSION 1

const char *iommu_cmd_name(unsigned int opcode);
/* The opcode of a name iommu_cmd_name() gives; 0 (no opcode) if unknown. */
unsigned int iommu_cmd_opcode(const char *name);
json_object *result_counts_json(const struct cmdq_counts *c);
/* A string list as a JSON array. */
json_object *strv_json(const struct strv *s);
json_object *result_fio_json(const struct fio_metrics *m);
/* Write doc to path atomically, pretty-printed. 0 or -errno. */
int result_write(json_object *doc, const char *path);
/* Load a result and check it is one: schema, version, status. */
json_object *result_load(const char *path, char *err, size_t err_len);

#endif
