/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cell's kernel settings (lib/knob.h) on the running kernel: each
 * module.* knob written to sysfs and read back, each cmdline.* knob
 * checked against what the kernel shows (sysfs, else /proc/cmdline); all
 * recorded in the result's context.knobs. A value the kernel refused or
 * clamped fails the cell. The module.* values found before are written
 * back after the run.
 */
#ifndef INVLAB_KNOBS_H
#define INVLAB_KNOBS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/util.h"

struct knobs {
	const char *root; /* "" or NULL: this system; else a test's tree */
	struct strv paths, before; /* module.* knobs written: to restore */
};

/*
 * Set and check the knobs among params ("name=value"), recording each in
 * context's "knobs". may_write: writing module parameters is allowed
 * (a disposable lab guest); else only the knobs named in allow (a comma
 * list of module.MOD.PARAM or MOD.PARAM, --allow-knob) may be written.
 * 0, or -1 with err naming the knob.
 */
int knobs_apply(struct knobs *k, const struct strv *params, bool may_write,
		const char *allow, json_object *context, char *err, size_t len);
/* Write back what knobs_apply found before, saying so. */
void knobs_restore(struct knobs *k);

#endif
