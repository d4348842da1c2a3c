/* SPDX-License-Identifier: GPL-2.0 */
/* JSON values invlab writes the same way everywhere. */
#ifndef INVLAB_JSON_UTIL_H
#define INVLAB_JSON_UTIL_H

#include <json-c/json.h>

#include "util.h"

/*
 * A measured number, or null when there is none: NaN (nothing measured)
 * and an infinity (a division by zero) are not numbers JSON can hold, and
 * a reader must never take them for one.
 */
json_object *json_num(double v);
/* A string list as a JSON array. */
json_object *json_strv(const struct strv *s);

#endif
