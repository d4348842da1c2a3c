// SPDX-License-Identifier: GPL-2.0
#include "result.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "json_util.h"
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
	json_object *doc = json_doc_load(path, "result", RESULT_SCHEMA,
					 RESULT_VERSION, "result-v1", err,
					 err_len);

	/* what every reader needs, whatever else a partial result lacks */
	if (doc && (!json_path(doc, "status") || !json_path(doc, "samples"))) {
		seterr(err, err_len,
		       "%s lacks a status string or a samples array", path);
		json_object_put(doc);
		doc = NULL;
	}
	return doc;
}
