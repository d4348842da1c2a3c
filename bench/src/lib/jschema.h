/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JSON Schema checks of the files invlab reads (bench/schema/), applied
 * where a file enters: once a document passed, its readers may trust the
 * type of every field the schema names. The subset of JSON Schema 2020-12
 * the schemas use: type, properties, required, additionalProperties,
 * propertyNames, items, minItems, maxItems, enum, const, minimum, maximum,
 * exclusiveMinimum, exclusiveMaximum, minLength, maxLength, pattern (POSIX
 * extended), anyOf, allOf, oneOf, if/then/else and $ref to "#/$defs/NAME".
 * Annotations (title, description, $id, $schema, $comment, examples) are
 * skipped; any other keyword is an error when the schema is compiled, so a
 * schema never says more than is checked. Beyond the schema, every number
 * in a document must be finite: json-c reads NaN and Infinity, JSON has
 * neither.
 */
#ifndef INVLAB_JSCHEMA_H
#define INVLAB_JSCHEMA_H

#include <json-c/json.h>
#include <stddef.h>

struct jschema;

/* Compile schema text (name is for errors); NULL with err when invalid. */
struct jschema *jschema_compile(const char *name, const char *text, char *err,
				size_t err_len);
void jschema_free(struct jschema *s);

/*
 * Members of a schema's "required" may be missing and arrays shorter than
 * its minItems: a document from another invlab version or a partial run is
 * still read, but every value it has is of the schema's type. The writers' completeness is what the tests
 * check with the full schema.
 */
#define JSCHEMA_TYPES_ONLY 1u

/*
 * 0 when doc satisfies s; else -1 with err naming file, the JSON path of
 * the first offending value (samples[3].commands.by_opcode) and what was
 * expected there. flags: JSCHEMA_TYPES_ONLY or 0.
 */
int jschema_validate(const struct jschema *s, json_object *doc,
		     const char *file, unsigned flags, char *err,
		     size_t err_len);

/*
 * bench/schema/NAME.schema.json as built into invlab (gen/schemas.c),
 * compiled on first use; NULL with err for a name it does not have or a
 * schema that does not compile (a bug the unit tests catch).
 */
const struct jschema *jschema_builtin(const char *name, char *err,
				      size_t err_len);

/* Names and texts of the built-in schemas (generated at build time). */
struct jschema_text {
	const char *name, *text;
};
extern const struct jschema_text jschema_texts[];
extern const size_t jschema_texts_len;

#endif
