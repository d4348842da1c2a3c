// SPDX-License-Identifier: GPL-2.0
#include "jschema.h"

#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_util.h"
#include "util.h"

enum {
	T_OBJECT = 1 << 0,
	T_ARRAY = 1 << 1,
	T_STRING = 1 << 2,
	T_NUMBER = 1 << 3,
	T_INTEGER = 1 << 4,
	T_BOOLEAN = 1 << 5,
	T_NULL = 1 << 6,
};

static const struct {
	const char *name;
	unsigned bit;
} type_names[] = {
	{ "object", T_OBJECT },	  { "array", T_ARRAY },
	{ "string", T_STRING },	  { "number", T_NUMBER },
	{ "integer", T_INTEGER }, { "boolean", T_BOOLEAN },
	{ "null", T_NULL },
};

struct prop {
	char *name;
	struct node *s;
};

struct node {
	unsigned types; /* 0: any */
	struct prop *props;
	size_t nprops;
	struct strv required;
	bool no_additional; /* additionalProperties: false */
	struct node *additional, *items, *names, *if_s, *then_s, *else_s;
	struct node **any_of, **all_of, **one_of;
	size_t nany, nall, none;
	json_object *enum_vals, *const_val; /* owned references */
	bool has_const;
	bool has[4]; /* minimum, maximum, exclusiveMinimum, exclusiveMaximum */
	double lim[4];
	long min_len, max_len, min_items, max_items; /* -1: none */
	regex_t *pattern;
	char *pattern_src;
	char *ref; /* "#/$defs/NAME" until resolved */
	struct node *target;
	struct node *next_alloc; /* every node, for jschema_free */
};

struct jschema {
	char *name;
	struct node *root, *nodes;
	struct prop *defs;
	size_t ndefs;
};

struct compiler {
	struct jschema *s;
	char *err;
	size_t err_len;
};

static struct node *new_node(struct compiler *c)
{
	struct node *n = xcalloc(1, sizeof(*n));

	n->min_len = n->max_len = n->min_items = n->max_items = -1;
	n->next_alloc = c->s->nodes;
	c->s->nodes = n;
	return n;
}

static struct node *compile(struct compiler *c, json_object *o,
			    const char *where);

static int type_bits(struct compiler *c, json_object *v, const char *where,
		     unsigned *out)
{
	json_object *one;
	size_t n = json_object_is_type(v, json_type_array) ?
			   json_object_array_length(v) :
			   1;

	*out = 0;
	for (size_t i = 0; i < n; i++) {
		bool found = false;

		one = json_object_is_type(v, json_type_array) ?
			      json_object_array_get_idx(v, i) :
			      v;
		for (size_t t = 0; t < ARRAY_SIZE(type_names); t++) {
			if (json_object_is_type(one, json_type_string) &&
			    !strcmp(json_object_get_string(one),
				    type_names[t].name)) {
				*out |= type_names[t].bit;
				found = true;
			}
		}
		if (!found)
			return seterr(c->err, c->err_len,
				      "schema %s: %s: unknown type %s",
				      c->s->name, where,
				      json_object_to_json_string(one));
	}
	return 0;
}

static int nonneg(struct compiler *c, json_object *v, const char *where,
		  const char *key, long *out)
{
	if (!json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) < 0)
		return seterr(c->err, c->err_len,
			      "schema %s: %s: %s must be a count", c->s->name,
			      where, key);
	*out = (long)json_object_get_int64(v);
	return 0;
}

static struct node **compile_list(struct compiler *c, json_object *v,
				  const char *where, const char *key, size_t *n)
{
	struct node **list;

	if (!json_object_is_type(v, json_type_array) ||
	    !json_object_array_length(v)) {
		seterr(c->err, c->err_len,
		       "schema %s: %s: %s must be a non-empty array",
		       c->s->name, where, key);
		return NULL;
	}
	*n = json_object_array_length(v);
	list = xcalloc(*n, sizeof(*list));
	for (size_t i = 0; i < *n; i++) {
		list[i] = compile(c, json_object_array_get_idx(v, i), where);
		if (!list[i]) {
			free(list);
			return NULL;
		}
	}
	return list;
}

/* One keyword of a schema object; -1 with err for what it cannot do. */
static int keyword(struct compiler *c, struct node *n, const char *k,
		   json_object *v, const char *where)
{
	static const char *const notes[] = { "title",	 "description",
					     "$id",	 "$schema",
					     "$comment", "examples",
					     "default",	 "$defs" };
	static const char *const limits[] = { "minimum", "maximum",
					      "exclusiveMinimum",
					      "exclusiveMaximum" };
	char sub[512];

	for (size_t i = 0; i < ARRAY_SIZE(notes); i++)
		if (!strcmp(k, notes[i]))
			return 0;
	for (size_t i = 0; i < ARRAY_SIZE(limits); i++) {
		if (strcmp(k, limits[i]))
			continue;
		if (!json_object_is_type(v, json_type_int) &&
		    !json_object_is_type(v, json_type_double))
			return seterr(c->err, c->err_len,
				      "schema %s: %s: %s must be a number",
				      c->s->name, where, k);
		n->has[i] = true;
		n->lim[i] = json_object_get_double(v);
		return 0;
	}
	if (!strcmp(k, "type"))
		return type_bits(c, v, where, &n->types);
	if (!strcmp(k, "minLength"))
		return nonneg(c, v, where, k, &n->min_len);
	if (!strcmp(k, "maxLength"))
		return nonneg(c, v, where, k, &n->max_len);
	if (!strcmp(k, "minItems"))
		return nonneg(c, v, where, k, &n->min_items);
	if (!strcmp(k, "maxItems"))
		return nonneg(c, v, where, k, &n->max_items);
	if (!strcmp(k, "required")) {
		for (size_t i = 0; i < json_array_len(v); i++)
			strv_add(&n->required,
				 json_object_get_string(
					 json_object_array_get_idx(v, i)));
		return 0;
	}
	if (!strcmp(k, "properties")) {
		if (!json_object_is_type(v, json_type_object))
			return seterr(
				c->err, c->err_len,
				"schema %s: %s: properties must be an object",
				c->s->name, where);
		n->props = xcalloc(json_object_object_length(v) + 1,
				   sizeof(*n->props));
		json_object_object_foreach(v, name, ps)
		{
			struct prop *p = &n->props[n->nprops++];

			snprintf(sub, sizeof(sub), "%s.%s", where, name);
			p->name = xstrdup(name);
			p->s = compile(c, ps, sub);
			if (!p->s)
				return -1;
		}
		return 0;
	}
	if (!strcmp(k, "additionalProperties")) {
		if (json_object_is_type(v, json_type_boolean)) {
			n->no_additional = !json_object_get_boolean(v);
			return 0;
		}
		n->additional = compile(c, v, where);
		return n->additional ? 0 : -1;
	}
	if (!strcmp(k, "propertyNames"))
		return (n->names = compile(c, v, where)) ? 0 : -1;
	if (!strcmp(k, "items")) {
		snprintf(sub, sizeof(sub), "%s[]", where);
		return (n->items = compile(c, v, sub)) ? 0 : -1;
	}
	if (!strcmp(k, "if"))
		return (n->if_s = compile(c, v, where)) ? 0 : -1;
	if (!strcmp(k, "then"))
		return (n->then_s = compile(c, v, where)) ? 0 : -1;
	if (!strcmp(k, "else"))
		return (n->else_s = compile(c, v, where)) ? 0 : -1;
	if (!strcmp(k, "anyOf"))
		return (n->any_of = compile_list(c, v, where, k, &n->nany)) ?
			       0 :
			       -1;
	if (!strcmp(k, "allOf"))
		return (n->all_of = compile_list(c, v, where, k, &n->nall)) ?
			       0 :
			       -1;
	if (!strcmp(k, "oneOf"))
		return (n->one_of = compile_list(c, v, where, k, &n->none)) ?
			       0 :
			       -1;
	if (!strcmp(k, "enum")) {
		if (!json_object_is_type(v, json_type_array))
			return seterr(c->err, c->err_len,
				      "schema %s: %s: enum must be an array",
				      c->s->name, where);
		n->enum_vals = json_object_get(v);
		return 0;
	}
	if (!strcmp(k, "const")) {
		n->const_val = json_object_get(v);
		n->has_const = true;
		return 0;
	}
	if (!strcmp(k, "pattern")) {
		if (!json_object_is_type(v, json_type_string))
			return seterr(c->err, c->err_len,
				      "schema %s: %s: pattern must be a string",
				      c->s->name, where);
		n->pattern = xcalloc(1, sizeof(*n->pattern));
		n->pattern_src = xstrdup(json_object_get_string(v));
		if (regcomp(n->pattern, n->pattern_src,
			    REG_EXTENDED | REG_NOSUB)) {
			free(n->pattern);
			n->pattern = NULL;
			return seterr(
				c->err, c->err_len,
				"schema %s: %s: pattern %s is not a POSIX extended regular expression",
				c->s->name, where, n->pattern_src);
		}
		return 0;
	}
	if (!strcmp(k, "$ref")) {
		const char *r = json_object_get_string(v);

		if (!r || strncmp(r, "#/$defs/", 8))
			return seterr(
				c->err, c->err_len,
				"schema %s: %s: only \"#/$defs/NAME\" references, not %s",
				c->s->name, where, r ? r : "this");
		n->ref = xstrdup(r + 8);
		return 0;
	}
	return seterr(c->err, c->err_len,
		      "schema %s: %s: keyword \"%s\" is not one invlab checks",
		      c->s->name, where, k);
}

static struct node *compile(struct compiler *c, json_object *o,
			    const char *where)
{
	struct node *n;

	if (json_object_is_type(o, json_type_boolean)) {
		n = new_node(c);
		if (!json_object_get_boolean(o))
			n->types = 0, n->no_additional = true,
			n->enum_vals = json_object_new_array();
		return n;
	}
	if (!json_object_is_type(o, json_type_object)) {
		seterr(c->err, c->err_len,
		       "schema %s: %s: a schema is an object, not %s",
		       c->s->name, where, json_object_to_json_string(o));
		return NULL;
	}
	n = new_node(c);
	json_object_object_foreach(o, k, v)
	{
		if (keyword(c, n, k, v, where))
			return NULL;
	}
	return n;
}

static int resolve(struct compiler *c)
{
	for (struct node *n = c->s->nodes; n; n = n->next_alloc) {
		if (!n->ref)
			continue;
		for (size_t i = 0; i < c->s->ndefs && !n->target; i++)
			if (!strcmp(c->s->defs[i].name, n->ref))
				n->target = c->s->defs[i].s;
		if (!n->target)
			return seterr(
				c->err, c->err_len,
				"schema %s: $ref to #/$defs/%s, which it does not define",
				c->s->name, n->ref);
	}
	return 0;
}

struct jschema *jschema_compile(const char *name, const char *text, char *err,
				size_t err_len)
{
	struct jschema *s = xcalloc(1, sizeof(*s));
	struct compiler c = { s, err, err_len };
	json_object *doc = json_tokener_parse(text), *defs;

	s->name = xstrdup(name);
	if (!json_object_is_type(doc, json_type_object)) {
		seterr(err, err_len, "schema %s is not a JSON object", name);
		goto fail;
	}
	if (json_object_object_get_ex(doc, "$defs", &defs)) {
		s->defs = xcalloc(json_object_object_length(defs) + 1,
				  sizeof(*s->defs));
		json_object_object_foreach(defs, dn, dv)
		{
			char where[256];
			struct prop *p = &s->defs[s->ndefs++];

			snprintf(where, sizeof(where), "$defs.%s", dn);
			p->name = xstrdup(dn);
			p->s = compile(&c, dv, where);
			if (!p->s)
				goto fail;
		}
	}
	s->root = compile(&c, doc, "(top)");
	if (!s->root || resolve(&c))
		goto fail;
	json_object_put(doc);
	return s;
fail:
	json_object_put(doc);
	jschema_free(s);
	return NULL;
}

void jschema_free(struct jschema *s)
{
	struct node *n, *next;

	if (!s)
		return;
	for (n = s->nodes; n; n = next) {
		next = n->next_alloc;
		for (size_t i = 0; i < n->nprops; i++)
			free(n->props[i].name);
		free(n->props);
		strv_free(&n->required);
		free(n->any_of);
		free(n->all_of);
		free(n->one_of);
		json_object_put(n->enum_vals);
		json_object_put(n->const_val);
		if (n->pattern) {
			regfree(n->pattern);
			free(n->pattern);
		}
		free(n->pattern_src);
		free(n->ref);
		free(n);
	}
	for (size_t i = 0; i < s->ndefs; i++)
		free(s->defs[i].name);
	free(s->defs);
	free(s->name);
	free(s);
}

/* ---- validation ---------------------------------------------------------- */

/* The first failure found: where, and why. */
struct verr {
	char path[512];
	char why[512];
	/* how far it got (2 x depth, +1 past the type check), to pick
	 * anyOf's closest branch
	 */
	size_t depth;
	bool lenient; /* JSCHEMA_TYPES_ONLY: members may be missing */
};

static const char *kind_of(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null: return "null";
	case json_type_boolean: return "a boolean";
	case json_type_double: return "a number";
	case json_type_int: return "an integer";
	case json_type_object: return "an object";
	case json_type_array: return "an array";
	case json_type_string: return "a string";
	}
	return "something else";
}

static bool is_integer(json_object *v)
{
	double d;

	if (json_object_is_type(v, json_type_int))
		return true;
	if (!json_object_is_type(v, json_type_double))
		return false;
	d = json_object_get_double(v);
	return isfinite(d) && d == floor(d);
}

static bool type_ok(unsigned types, json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null: return types & T_NULL;
	case json_type_boolean: return types & T_BOOLEAN;
	case json_type_object: return types & T_OBJECT;
	case json_type_array: return types & T_ARRAY;
	case json_type_string: return types & T_STRING;
	case json_type_int:
	case json_type_double:
		return (types & T_NUMBER) ||
		       ((types & T_INTEGER) && is_integer(v));
	}
	return false;
}

static void types_str(unsigned types, char *buf, size_t len)
{
	size_t used = 0;
	int k = 0;

	buf[0] = '\0';
	for (size_t t = 0; t < ARRAY_SIZE(type_names); t++) {
		if (!(types & type_names[t].bit))
			continue;
		used += snprintf(buf + used, used < len ? len - used : 0,
				 "%s%s", k++ ? " or " : "", type_names[t].name);
	}
}

static int fail(struct verr *e, const char *path, size_t depth, const char *fmt,
		...) __attribute__((format(printf, 4, 5)));

static int fail(struct verr *e, const char *path, size_t depth, const char *fmt,
		...)
{
	va_list ap;

	snprintf(e->path, sizeof(e->path), "%s", path[0] ? path : "(top)");
	va_start(ap, fmt);
	vsnprintf(e->why, sizeof(e->why), fmt, ap);
	va_end(ap);
	/* a value of the right type that failed later got further */
	e->depth = 2 * depth + 1;
	return -1;
}

/* A value for a message: short, quoted as JSON. */
static const char *shown(json_object *v, char *buf, size_t len)
{
	const char *s =
		json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);

	if (strlen(s) < 60)
		snprintf(buf, len, "%s", s);
	else
		snprintf(buf, len, "%.56s...", s);
	return buf;
}

static int check(const struct node *n, json_object *v, char *path, size_t plen,
		 size_t depth, struct verr *e);

static int check_members(const struct node *n, json_object *v, char *path,
			 size_t plen, size_t depth, struct verr *e)
{
	for (size_t i = 0; !e->lenient && i < n->required.n; i++)
		if (!json_object_object_get_ex(v, n->required.v[i], NULL))
			return fail(e, path, depth, "lacks \"%s\"",
				    n->required.v[i]);
	json_object_object_foreach(v, k, mv)
	{
		const struct node *ps = NULL;
		int w = snprintf(path + plen, 512 - plen, "%s%s",
				 plen ? "." : "", k);
		size_t sub = plen + (w > 0 ? (size_t)w : 0);

		if (sub >= 512)
			sub = 511;
		for (size_t i = 0; i < n->nprops && !ps; i++)
			if (!strcmp(n->props[i].name, k))
				ps = n->props[i].s;
		if (n->names) {
			json_object *name = json_object_new_string(k);
			struct verr ne = { .lenient = e->lenient };
			int bad = check(n->names, name, path, sub, depth + 1,
					&ne);

			json_object_put(name);
			if (bad)
				return fail(e, path, depth + 1,
					    "a key not allowed here (%s)",
					    ne.why);
		}
		if (!ps && n->no_additional) {
			path[plen] = '\0';
			return fail(e, path, depth, "unknown key \"%s\"", k);
		}
		if (!ps)
			ps = n->additional;
		if (ps && check(ps, mv, path, sub, depth + 1, e))
			return -1;
		path[plen] = '\0';
	}
	return 0;
}

static int check_items(const struct node *n, json_object *v, char *path,
		       size_t plen, size_t depth, struct verr *e)
{
	size_t len = json_object_array_length(v);

	if (!e->lenient && n->min_items >= 0 && len < (size_t)n->min_items)
		return fail(e, path, depth,
			    "has %zu element(s), at least %ld expected", len,
			    n->min_items);
	if (n->max_items >= 0 && len > (size_t)n->max_items)
		return fail(e, path, depth,
			    "has %zu elements, at most %ld expected", len,
			    n->max_items);
	if (!n->items)
		return 0;
	for (size_t i = 0; i < len; i++) {
		int w = snprintf(path + plen, 512 - plen, "[%zu]", i);
		size_t sub = plen + (w > 0 ? (size_t)w : 0);

		if (sub >= 512)
			sub = 511;
		if (check(n->items, json_object_array_get_idx(v, i), path, sub,
			  depth + 1, e))
			return -1;
		path[plen] = '\0';
	}
	return 0;
}

static int check_scalar(const struct node *n, json_object *v, char *path,
			size_t depth, struct verr *e)
{
	static const char *const lim_words[] = { "at least", "at most",
						 "more than", "less than" };
	char buf[96];

	if (json_object_is_type(v, json_type_int) ||
	    json_object_is_type(v, json_type_double)) {
		double d = json_object_get_double(v);

		for (int i = 0; i < 4; i++) {
			bool bad = (i == 0 && d < n->lim[0]) ||
				   (i == 1 && d > n->lim[1]) ||
				   (i == 2 && d <= n->lim[2]) ||
				   (i == 3 && d >= n->lim[3]);

			if (n->has[i] && bad)
				return fail(e, path, depth,
					    "%s: expected %s %g",
					    shown(v, buf, sizeof(buf)),
					    lim_words[i], n->lim[i]);
		}
	}
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		long len = (long)json_object_get_string_len(v);

		if (n->min_len >= 0 && len < n->min_len)
			return fail(e, path, depth,
				    "%s: expected at least %ld character(s)",
				    shown(v, buf, sizeof(buf)), n->min_len);
		if (n->max_len >= 0 && len > n->max_len)
			return fail(e, path, depth,
				    "%s: expected at most %ld characters",
				    shown(v, buf, sizeof(buf)), n->max_len);
		if (n->pattern && (strlen(s) != (size_t)len ||
				   regexec(n->pattern, s, 0, NULL, 0)))
			return fail(e, path, depth, "%s does not match %s",
				    shown(v, buf, sizeof(buf)), n->pattern_src);
	}
	return 0;
}

static int check_choice(const struct node *n, json_object *v, char *path,
			size_t plen, size_t depth, struct verr *e)
{
	char buf[96];

	for (size_t i = 0; i < n->nall; i++)
		if (check(n->all_of[i], v, path, plen, depth, e))
			return -1;
	if (n->nany) {
		struct verr best = { .lenient = e->lenient },
			    one = { .lenient = e->lenient };
		bool ok = false;

		for (size_t i = 0; i < n->nany && !ok; i++) {
			if (!check(n->any_of[i], v, path, plen, depth, &one))
				ok = true;
			else if (!i || one.depth > best.depth)
				best = one;
			path[plen] = '\0';
		}
		if (!ok) {
			*e = best;
			return -1;
		}
	}
	if (n->none) {
		size_t passed = 0;
		struct verr one = { .lenient = e->lenient };

		for (size_t i = 0; i < n->none; i++) {
			passed += !check(n->one_of[i], v, path, plen, depth,
					 &one);
			path[plen] = '\0';
		}
		if (passed != 1)
			return fail(
				e, path, depth,
				"%s matches %zu of the allowed forms, not one",
				shown(v, buf, sizeof(buf)), passed);
	}
	if (n->if_s) {
		struct verr ignored = { .lenient = e->lenient };
		bool cond = !check(n->if_s, v, path, plen, depth, &ignored);

		path[plen] = '\0';
		if (cond && n->then_s &&
		    check(n->then_s, v, path, plen, depth, e))
			return -1;
		if (!cond && n->else_s &&
		    check(n->else_s, v, path, plen, depth, e))
			return -1;
	}
	return 0;
}

static int check(const struct node *n, json_object *v, char *path, size_t plen,
		 size_t depth, struct verr *e)
{
	char buf[96], want[96];

	path[plen] = '\0';
	if (n->target)
		return check(n->target, v, path, plen, depth, e);
	if (n->types && !type_ok(n->types, v)) {
		types_str(n->types, want, sizeof(want));
		fail(e, path, depth, "expected %s, got %s%s%s", want,
		     kind_of(v), v ? " " : "",
		     v ? shown(v, buf, sizeof(buf)) : "");
		e->depth--;
		return -1;
	}
	if (n->has_const && !json_object_equal(v, n->const_val))
		return fail(e, path, depth, "%s: expected %s",
			    v ? shown(v, buf, sizeof(buf)) : "null",
			    shown(n->const_val, want, sizeof(want)));
	if (n->enum_vals) {
		bool in = false;

		for (size_t i = 0; i < json_array_len(n->enum_vals) && !in; i++)
			in = json_object_equal(
				v, json_object_array_get_idx(n->enum_vals, i));
		if (!in)
			return fail(e, path, depth, "%s: expected one of %s",
				    v ? shown(v, buf, sizeof(buf)) : "null",
				    shown(n->enum_vals, want, sizeof(want)));
	}
	if (check_scalar(n, v, path, depth, e))
		return -1;
	if (json_object_is_type(v, json_type_object) &&
	    check_members(n, v, path, plen, depth, e))
		return -1;
	if (json_object_is_type(v, json_type_array) &&
	    check_items(n, v, path, plen, depth, e))
		return -1;
	path[plen] = '\0';
	return check_choice(n, v, path, plen, depth, e);
}

/* JSON has no NaN or Infinity; json-c reads them: none may pass. */
static int check_finite(json_object *v, char *path, size_t plen, struct verr *e)
{
	path[plen] = '\0';
	if (json_object_is_type(v, json_type_double) &&
	    !isfinite(json_object_get_double(v)))
		return fail(e, path, 0, "%s is not a number JSON can hold",
			    json_object_to_json_string(v));
	if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, k, mv)
		{
			int w = snprintf(path + plen, 512 - plen, "%s%s",
					 plen ? "." : "", k);
			size_t sub = plen + (w > 0 ? (size_t)w : 0);

			if (check_finite(mv, path, sub < 512 ? sub : 511, e))
				return -1;
			path[plen] = '\0';
		}
	}
	for (size_t i = 0; i < json_array_len(v); i++) {
		int w = snprintf(path + plen, 512 - plen, "[%zu]", i);
		size_t sub = plen + (w > 0 ? (size_t)w : 0);

		if (check_finite(json_object_array_get_idx(v, i), path,
				 sub < 512 ? sub : 511, e))
			return -1;
	}
	return 0;
}

int jschema_validate(const struct jschema *s, json_object *doc,
		     const char *file, unsigned flags, char *err,
		     size_t err_len)
{
	char path[512] = "";
	struct verr e = { .lenient = flags & JSCHEMA_TYPES_ONLY };

	if (check_finite(doc, path, 0, &e) ||
	    check(s->root, doc, path, 0, 0, &e))
		return seterr(err, err_len, "%s: at %s: %s", file, e.path,
			      e.why);
	return 0;
}

const struct jschema *jschema_builtin(const char *name, char *err,
				      size_t err_len)
{
	static struct jschema **compiled;

	if (!compiled)
		compiled = xcalloc(jschema_texts_len + 1, sizeof(*compiled));
	for (size_t i = 0; i < jschema_texts_len; i++) {
		if (strcmp(jschema_texts[i].name, name))
			continue;
		if (!compiled[i])
			compiled[i] = jschema_compile(
				name, jschema_texts[i].text, err, err_len);
		return compiled[i];
	}
	seterr(err, err_len, "invlab was built without schema %s", name);
	return NULL;
}
