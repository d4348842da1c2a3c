// SPDX-License-Identifier: GPL-2.0
#include "result.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "util.h"

int result_write(json_object *doc, const char *path)
{
	size_t len;
	const char *text = json_object_to_json_string_length(
		doc,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE,
		&len);
	char *buf = xasprintf("%s\n", text);
	int ret = atomic_write(path, buf, len + 1);

	free(buf);
	return ret;
}

json_object *result_load(const char *path, char *err, size_t err_len)
{
	json_object *doc, *v;
	size_t len;
	char *text = read_file(path, &len);
	struct json_tokener *tok;

	if (!text) {
		seterr(err, err_len, "cannot read result %s: %s", path,
		       strerror(errno));
		return NULL;
	}
	tok = json_tokener_new();
	doc = json_tokener_parse_ex(tok, text, (int)len);
	/* Anything but whitespace after the object: not one of ours. */
	if (doc) {
		size_t end = json_tokener_get_parse_end(tok);

		end += strspn(text + end, " \t\r\n");
		if (end < len) {
			json_object_put(doc);
			doc = NULL;
		}
	}
	if (!doc && json_tokener_get_error(tok) == json_tokener_success) {
		seterr(err, err_len,
		       "%s holds more than one JSON object: not a result",
		       path);
		json_tokener_free(tok);
		free(text);
		return NULL;
	}
	if (!doc) {
		seterr(err, err_len,
		       "%s is not valid JSON (%s): truncated or not a result",
		       path,
		       json_tokener_error_desc(json_tokener_get_error(tok)));
		json_tokener_free(tok);
		free(text);
		return NULL;
	}
	json_tokener_free(tok);
	free(text);
	if (!json_object_object_get_ex(doc, "schema", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), RESULT_SCHEMA)) {
		seterr(err, err_len,
		       "%s is not an invlab result (schema is not \"%s\")",
		       path, RESULT_SCHEMA);
		goto bad;
	}
	if (!json_object_object_get_ex(doc, "version", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    json_object_get_int(v) != RESULT_VERSION) {
		seterr(err, err_len,
		       "%s has result version %s; this invlab reads version %d",
		       path, v ? json_object_to_json_string(v) : "(none)",
		       RESULT_VERSION);
		goto bad;
	}
	if (!json_object_object_get_ex(doc, "status", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    !json_object_object_get_ex(doc, "samples", &v) ||
	    !json_object_is_type(v, json_type_array)) {
		seterr(err, err_len,
		       "%s lacks a status string or a samples array", path);
		goto bad;
	}
	return doc;
bad:
	json_object_put(doc);
	return NULL;
}
