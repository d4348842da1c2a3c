/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel settings as matrix parameters (docs/tuning.md). A [matrix]
 * parameter named
 *   cmdline.NAME        is a kernel command-line parameter: NAME=VALUE is
 *                       added to the cell's kernel command line, a boot per
 *                       value (iommu.strict, amd_iommu_lab.cmdbuf_entries);
 *   module.MOD.PARAM    is a runtime module parameter: invlab run writes
 *                       /sys/module/MOD/parameters/PARAM before the
 *                       workload starts and reads it back.
 * Any other name is a workload parameter.
 */
#ifndef INVLAB_KNOB_H
#define INVLAB_KNOB_H

#include <stdbool.h>

#include "util.h"

enum knob_kind {
	KNOB_NONE,
	KNOB_CMDLINE,
	KNOB_MODULE
};

/*
 * The kind of matrix parameter param and, for a knob, the kernel's name
 * of it ("iommu.strict", "amd_iommu_lab.irt_alias_dedup") in *kname.
 */
enum knob_kind knob_kind(const char *param, const char **kname);
/*
 * Whether param is a well-formed parameter name: a workload parameter
 * (lower case letters, digits and _), cmdline.NAME (NAME: those and '.'
 * and '-') or module.MOD.PARAM (MOD and PARAM: lower case letters,
 * digits and _).
 */
bool knob_param_name_ok(const char *param);
/*
 * ROOT/sys/module/MOD/parameters/PARAM for a kernel name MOD.PARAM (root
 * "" on a live system), or NULL when kname names no module parameter.
 * Freed by the caller.
 */
char *knob_sysfs_path(const char *root, const char *kname);
/* Module mod is loaded or built in: ROOT/sys/module/MOD ('-' as '_'). */
bool module_loaded(const char *root, const char *mod);
/*
 * The cmdline.* knobs among kv ("name=value" pairs) as kernel
 * arguments: " NAME=VALUE NAME=VALUE", or "" without any. Freed by the
 * caller.
 */
char *knob_cmdline_args(const struct strv *kv);
/*
 * What of a cell's parameters ("name=value,...") needs a boot of its own:
 * all of them but the module.* knobs, which invlab run sets at run time,
 * in their order ("bs=4k,cmdline.iommu.strict=1"). Cells with the same
 * kernel and the same boot parameters can share a boot. Freed by the
 * caller.
 */
char *knob_boot_params(const char *params);
/*
 * Whether the value the kernel shows (read back from sysfs, newline
 * dropped) is the one asked for: equal strings, equal integers, or the
 * same truth value for a bool (Y/N against 1/0/y/n/Y/N).
 */
bool knob_value_same(const char *asked, const char *shown);

#endif
