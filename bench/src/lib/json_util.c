// SPDX-License-Identifier: GPL-2.0
#include "json_util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

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

/* What went wrong in json-c's words, in a reader's. */
static const char *parse_problem(enum json_tokener_error e)
{
	switch (e) {
	case json_tokener_continue: return "it ends early";
	case json_tokener_error_depth: return "it nests too deeply";
	case json_tokener_error_parse_eof: return "it ends early";
	case json_tokener_error_parse_string:
	case json_tokener_error_parse_utf8_string:
		return "a string is malformed";
	case json_tokener_error_parse_number: return "a number is malformed";
	case json_tokener_error_size:
	case json_tokener_error_memory: return "it is too large";
	default: return "it is malformed";
	}
}

json_object *json_text_load(const char *text, size_t len, const char *where,
			    const char *what, char *err, size_t err_len)
{
	json_object *doc = NULL;
	struct json_tokener *tok;
	size_t end;

	if (len > INT32_MAX - 1) {
		seterr(err, err_len, "%s is too large for a %s", where, what);
		return NULL;
	}
	tok = json_tokener_new();
	/* the NUL too: a document ends with the text */
	doc = json_tokener_parse_ex(tok, text, (int)len + 1);
	end = json_tokener_get_parse_end(tok);
	if (!doc && json_tokener_get_error(tok) != json_tokener_success) {
		seterr(err, err_len,
		       "%s is not valid JSON (%s, at byte %zu): truncated or not a %s",
		       where, parse_problem(json_tokener_get_error(tok)), end,
		       what);
	} else if (!json_object_is_type(doc, json_type_object)) {
		seterr(err, err_len, "%s holds %s, not a %s (a JSON object)",
		       where, doc ? "another JSON value" : "null", what);
		json_object_put(doc);
		doc = NULL;
	} else {
		/* anything but whitespace after the object: not one of ours */
		end += strspn(text + end, " \t\r\n");
		if (end < len) {
			seterr(err, err_len,
			       "%s has more after its JSON object (at byte %zu): not a %s",
			       where, end, what);
			json_object_put(doc);
			doc = NULL;
		}
	}
	json_tokener_free(tok);
	return doc;
}

json_object *json_file_load(const char *path, const char *what, char *err,
			    size_t err_len)
{
	json_object *doc;
	size_t len;
	char *text;
	struct stat st;

	if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
		seterr(err, err_len, "%s is a directory, not a %s file", path,
		       what);
		return NULL;
	}
	text = read_file(path, &len);
	if (!text) {
		seterr(err, err_len, "cannot read %s %s: %s", what, path,
		       strerror(errno));
		return NULL;
	}
	doc = json_text_load(text, len, path, what, err, err_len);
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
		return seterr(
			err, err_len,
			"%s is not an invlab %s (its schema is %s, not \"%s\")",
			path, what,
			v ? json_object_to_json_string(v) : "missing", schema);
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

/* doc (NULL: not read) as one of invlab's documents: NULL if it is not. */
static json_object *doc_checked(json_object *doc, const char *where,
				const char *what, const char *id, int version,
				const char *name, char *err, size_t err_len)
{
	if (doc && ((id && json_check_schema(doc, where, id, version, what, err,
					     err_len)) ||
		    json_check_against(doc, where, name, err, err_len))) {
		json_object_put(doc);
		doc = NULL;
	}
	return doc;
}

json_object *json_doc_load(const char *path, const char *what, const char *id,
			   int version, const char *name, char *err,
			   size_t err_len)
{
	return doc_checked(json_file_load(path, what, err, err_len), path, what,
			   id, version, name, err, err_len);
}

json_object *json_doc_parse(const char *text, size_t len, const char *where,
			    const char *what, const char *id, int version,
			    const char *name, char *err, size_t err_len)
{
	return doc_checked(json_text_load(text, len, where, what, err, err_len),
			   where, what, id, version, name, err, err_len);
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
