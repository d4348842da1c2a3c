// SPDX-License-Identifier: GPL-2.0
#include "knob.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool word_char(char c, const char *also)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
	       (c && strchr(also, c));
}

/* n non-empty chars of s, each a word char or one of also. */
static bool all_word(const char *s, size_t n, const char *also)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!word_char(s[i], also))
			return false;
	}
	return true;
}

enum knob_kind knob_kind(const char *param, const char **kname)
{
	if (!strncmp(param, "cmdline.", 8)) {
		*kname = param + 8;
		return KNOB_CMDLINE;
	}
	if (!strncmp(param, "module.", 7)) {
		*kname = param + 7;
		return KNOB_MODULE;
	}
	*kname = NULL;
	return KNOB_NONE;
}

bool knob_param_name_ok(const char *param)
{
	const char *k, *dot;

	switch (knob_kind(param, &k)) {
	case KNOB_CMDLINE: return all_word(k, strlen(k), ".-");
	case KNOB_MODULE:
		dot = strchr(k, '.');
		return dot && all_word(k, (size_t)(dot - k), "") &&
		       all_word(dot + 1, strlen(dot + 1), "");
	default: return all_word(param, strlen(param), "");
	}
}

char *knob_sysfs_path(const char *root, const char *kname)
{
	const char *dot = strchr(kname, '.');

	if (!dot || dot == kname || !dot[1] || strchr(dot + 1, '.') ||
	    strchr(kname, '/'))
		return NULL;
	return xasprintf("%s/sys/module/%.*s/parameters/%s", root,
			 (int)(dot - kname), kname, dot + 1);
}

bool module_loaded(const char *root, const char *mod)
{
	char *p = xasprintf("%s/sys/module/%s", root, mod);
	bool there;

	for (char *c = p + strlen(p) - strlen(mod); *c; c++)
		if (*c == '-')
			*c = '_';
	there = path_exists(p);
	free(p);
	return there;
}

char *knob_cmdline_args(const struct strv *kv)
{
	char *out = xstrdup(""), *t;
	const char *k;

	for (size_t i = 0; i < kv->n; i++) {
		if (knob_kind(kv->v[i], &k) != KNOB_CMDLINE)
			continue;
		t = xasprintf("%s %s", out, k);
		free(out);
		out = t;
	}
	return out;
}

char *knob_boot_params(const char *params)
{
	struct strv kv = { 0 };
	char *out = xstrdup(""), *t;
	const char *k;

	strv_split(&kv, params);
	for (size_t i = 0; i < kv.n; i++) {
		if (knob_kind(kv.v[i], &k) == KNOB_MODULE)
			continue;
		t = xasprintf("%s%s%s", out, out[0] ? "," : "", kv.v[i]);
		free(out);
		out = t;
	}
	strv_free(&kv);
	return out;
}

/* 1 true, 0 false, -1 not a truth value. */
static int truth(const char *s)
{
	static const char *const yes[] = { "Y", "y", "1", NULL };
	static const char *const no[] = { "N", "n", "0", NULL };

	for (size_t i = 0; yes[i]; i++) {
		if (!strcmp(s, yes[i]))
			return 1;
		if (!strcmp(s, no[i]))
			return 0;
	}
	return -1;
}

bool knob_value_same(const char *asked, const char *shown)
{
	long long a, b;
	char *end;

	if (!strcmp(asked, shown))
		return true;
	if (!strcmp(shown, "Y") || !strcmp(shown, "N"))
		return truth(asked) >= 0 && truth(asked) == truth(shown);
	errno = 0;
	a = strtoll(asked, &end, 0);
	if (errno || *end || end == asked)
		return false;
	b = strtoll(shown, &end, 0);
	return !errno && !*end && end != shown && a == b;
}
