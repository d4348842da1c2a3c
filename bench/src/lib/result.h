/* SPDX-License-Identifier: GPL-2.0 */
/* Result documents: schema name and version, and their atomic writing. */
#ifndef INVLAB_RESULT_H
#define INVLAB_RESULT_H

#include <json-c/json.h>
#include <stddef.h>

#define RESULT_SCHEMA "invlab.result"
#define RESULT_VERSION 1

/* Write doc to path atomically, pretty-printed. 0 or -errno. */
int result_write(json_object *doc, const char *path);
/* Load a result and check it is one: schema, version, status. */
json_object *result_load(const char *path, char *err, size_t err_len);

#endif
