/* SPDX-License-Identifier: GPL-2.0 */
/* JSON values invlab writes the same way everywhere. */
#ifndef INVLAB_JSON_UTIL_H
#define INVLAB_JSON_UTIL_H

#include <json-c/json.h>
#include <stddef.h>

#include "util.h"

/*
 * A measured number, or null when there is none: NaN (nothing measured)
 * and an infinity (a division by zero) are not numbers JSON can hold, and
 * a reader must never take them for one.
 */
json_object *json_num(double v);
/* The length of o when it is an array; 0 for anything else, NULL too. */
size_t json_array_len(json_object *o);
/* A string list as a JSON array. */
json_object *json_strv(const struct strv *s);

/*
 * Read path as one JSON document (what: "result", "history entry", for
 * errors): NULL with err naming the file when it cannot be read, is not
 * JSON, is truncated or holds more than one document.
 */
json_object *json_file_load(const char *path, const char *what, char *err,
			    size_t err_len);
/* The same for len bytes of text read from where (a file, a database row). */
json_object *json_text_load(const char *text, size_t len, const char *where,
			    const char *what, char *err, size_t err_len);
/*
 * doc's "schema" is schema and its "version" is version; else -1 with err
 * naming path ("not an invlab <what>", or the version this invlab reads).
 */
int json_check_schema(json_object *doc, const char *path, const char *schema,
		      int version, const char *what, char *err, size_t err_len);
/*
 * doc, read from path, against the built-in JSON Schema NAME
 * (bench/schema/NAME.schema.json, lib/jschema.h): -1 with err naming path,
 * the JSON path of the first offending value and what was expected.
 */
int json_check_against(json_object *doc, const char *path, const char *name,
		       char *err, size_t err_len);
/*
 * path as one of invlab's JSON documents (what: "run", for errors): one
 * JSON object whose "schema" is id and "version" version (id NULL: a file
 * without them), passing the built-in JSON Schema name (types only,
 * json_check_against). NULL with err naming path and what is wrong.
 */
json_object *json_doc_load(const char *path, const char *what, const char *id,
			   int version, const char *name, char *err,
			   size_t err_len);
/* json_doc_load for len bytes of text read from where. */
json_object *json_doc_parse(const char *text, size_t len, const char *where,
			    const char *what, const char *id, int version,
			    const char *name, char *err, size_t err_len);
/*
 * Dotted-path lookup in a JSON object ("context.kernel.release"): NULL when
 * any step is missing. json_path_str gives def for a missing or null value.
 */
json_object *json_path(json_object *o, const char *path);
const char *json_path_str(json_object *o, const char *path, const char *def);

#endif
