// SPDX-License-Identifier: GPL-2.0
#include "json_util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jschema.h"

json_object *json_num(double v)
{
	return isfinite(v) ? json_object_new_double(v) : NULL;
}

size_t json_array_len(json_object *o)
{
	return json_object_is_type(o, json_type_array) ?
		       json_object_array_length(o) :
		       0;
}

json_object *json_strv(const struct strv *s)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < s->n; i++)
		json_object_array_add(a, json_object_new_string(s->v[i]));
	return a;
}

json_object *json_file_load(const char *path, const char *what, char *err,
			    size_t err_len)
{
	json_object *doc;
	size_t len;
	char *text = read_file(path, &len);
	struct json_tokener *tok;

	if (!text) {
		seterr(err, err_len, "cannot read %s %s: %s", what, path,
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
	if (!doc && json_tokener_get_error(tok) == json_tokener_success)
		seterr(err, err_len,
		       "%s holds more than one JSON object: not a %s", path,
		       what);
	else if (!doc)
		seterr(err, err_len,
		       "%s is not valid JSON (%s): truncated or not a %s", path,
		       json_tokener_error_desc(json_tokener_get_error(tok)),
		       what);
	json_tokener_free(tok);
	free(text);
	return doc;
}

int json_check_schema(json_object *doc, const char *path, const char *schema,
		      int version, const char *what, char *err, size_t err_len)
{
	json_object *v;

	if (!json_object_object_get_ex(doc, "schema", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), schema))
		return seterr(err, err_len,
			      "%s is not an invlab %s (schema is not \"%s\")",
			      path, what, schema);
	if (!json_object_object_get_ex(doc, "version", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    json_object_get_int(v) != version)
		return seterr(
			err, err_len,
			"%s has %s version %s; this invlab reads version %d",
			path, what,
			v ? json_object_to_json_string(v) : "(none)", version);
	return 0;
}

int json_check_against(json_object *doc, const char *path, const char *name,
		       char *err, size_t err_len)
{
	const struct jschema *s = jschema_builtin(name, err, err_len);

	return s ? jschema_validate(s, doc, path, JSCHEMA_TYPES_ONLY, err,
				    err_len) :
		   -1;
}

json_object *json_path(json_object *o, const char *path)
{
	char key[128];
	const char *p = path;

	while (o && *p) {
		size_t len = strcspn(p, ".");

		if (len >= sizeof(key))
			return NULL;
		memcpy(key, p, len);
		key[len] = '\0';
		if (!json_object_object_get_ex(o, key, &o))
			return NULL;
		p += len + (p[len] == '.');
	}
	return o;
}

const char *json_path_str(json_object *o, const char *path, const char *def)
{
	json_object *v = json_path(o, path);

	return v && !json_object_is_type(v, json_type_null) ?
		       json_object_get_string(v) :
		       def;
}
