// SPDX-License-Identifier: GPL-2.0
#include "ctxdiff.h"

#include <fnmatch.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "runtab.h"

#define SHOWN_MAX 60 /* characters of a value shown in a diff line */

static bool ignored(const struct policy *p, const char *key)
{
	for (size_t i = 0; i < p->ignore.n; i++) {
		if (!fnmatch(p->ignore.v[i], key, 0))
			return true;
	}
	return false;
}

/* The command line without the lab's own per-run parameters. */
static char *normal_cmdline(const char *cmdline, const struct policy *p)
{
	struct strv words = { 0 };
	char *out = xstrdup(""), *t;

	strv_split_ws(&words, cmdline);
	for (size_t i = 0; i < words.n; i++) {
		bool skip = false;

		for (size_t k = 0; k < p->cmdline_ignore.n; k++) {
			size_t len = strlen(p->cmdline_ignore.v[k]);

			skip |= !strncmp(words.v[i], p->cmdline_ignore.v[k],
					 len) &&
				(words.v[i][len] == '=' || !words.v[i][len]);
		}
		if (skip)
			continue;
		t = xasprintf("%s%s%s", out, *out ? " " : "", words.v[i]);
		free(out);
		out = t;
	}
	strv_free(&words);
	return out;
}

static void flatten(json_object *o, const char *prefix, struct strv *keys,
		    struct strv *vals)
{
	if (o && json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, k, v)
		{
			char *key = *prefix ? xasprintf("%s.%s", prefix, k) :
					      xstrdup(k);

			flatten(v, key, keys, vals);
			free(key);
		}
		return;
	}
	strv_add(keys, prefix);
	strv_add(vals,
		 o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN) :
		     "null");
}

static const char *lookup(const struct strv *keys, const struct strv *vals,
			  const char *key)
{
	for (size_t i = 0; i < keys->n; i++) {
		if (!strcmp(keys->v[i], key))
			return vals->v[i];
	}
	return NULL;
}

static char *shown(const char *v)
{
	size_t len = v ? strlen(v) : 0;

	if (!v)
		return xstrdup("(absent)");
	if (len <= SHOWN_MAX)
		return xstrdup(v);
	return xasprintf("%.*s... (%zu chars)", SHOWN_MAX, v, len);
}

/* Context keys are shown without "context."; workload keys keep theirs. */
static const char *short_key(const char *k)
{
	return strncmp(k, "context.", 8) ? k : k + 8;
}

static void add_diff(struct strv *out, const char *key, const char *a,
		     const char *b)
{
	char *sa = shown(a), *sb = shown(b);

	strv_addf(out, "%s: %s -> %s", key, sa, sb);
	free(sa);
	free(sb);
}

void ctxdiff(json_object *a, json_object *b, const struct policy *p,
	     struct strv *out)
{
	static const char *const parts[] = { "context", "workload" };
	struct strv ka = { 0 }, va = { 0 }, kb = { 0 }, vb = { 0 };

	for (size_t i = 0; i < 2; i++) {
		flatten(json_path(a, parts[i]), parts[i], &ka, &va);
		flatten(json_path(b, parts[i]), parts[i], &kb, &vb);
	}
	for (size_t i = 0; i < ka.n; i++) {
		const char *key = short_key(ka.v[i]);
		const char *bv = lookup(&kb, &vb, ka.v[i]);

		if (ignored(p, key) || (bv && !strcmp(bv, va.v[i])))
			continue;
		if (bv && !strcmp(key, "kernel.cmdline")) {
			char *na = normal_cmdline(va.v[i], p);
			char *nb = normal_cmdline(bv, p);

			if (strcmp(na, nb))
				add_diff(out, key, na, nb);
			free(na);
			free(nb);
			continue;
		}
		add_diff(out, key, va.v[i], bv);
	}
	for (size_t i = 0; i < kb.n; i++) {
		const char *key = short_key(kb.v[i]);

		if (!lookup(&ka, &va, kb.v[i]) && !ignored(p, key))
			add_diff(out, key, NULL, vb.v[i]);
	}
	strv_free(&ka);
	strv_free(&va);
	strv_free(&kb);
	strv_free(&vb);
}
