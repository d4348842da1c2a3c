/* SPDX-License-Identifier: GPL-2.0 */
/* What differs between two results' contexts (mmtests-style header). */
#ifndef INVLAB_CTXDIFF_H
#define INVLAB_CTXDIFF_H

#include <json-c/json.h>

#include "policy.h"
#include "lib/util.h"

/*
 * One line "key: A -> B" per leaf of context and workload that differs
 * between results a and b, keys in dotted form, skipping the policy's
 * ignore patterns; kernel command lines are compared without the policy's
 * cmdline_ignore parameters. Lists (patches, IOMMU features) compare whole.
 */
void ctxdiff(json_object *a, json_object *b, const struct policy *p,
	     struct strv *out);

#endif
