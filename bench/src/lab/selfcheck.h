/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Probe self-check: the commands the cmdq probe counted in each window of a
 * result, opcode by opcode, against the commands QEMU executed in the same
 * window (its amdvi_* trace, bench/src/lab/qemu_trace.h). They must be equal.
 */
#ifndef INVLAB_SELFCHECK_H
#define INVLAB_SELFCHECK_H

#include <json-c/json.h>
#include <stdbool.h>

/*
 * {"trace": path, "windows": [{repetition, after, through, probe: {OP: n},
 * qemu: {OP: n}, exact}], "exact": bool, "error": why not, or null}.
 * exact is false when there is no window to compare, too.
 */
json_object *selfcheck_compare(json_object *result, const char *trace_path);

#endif
