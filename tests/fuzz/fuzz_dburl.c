// SPDX-License-Identifier: GPL-2.0
/*
 * bench/src/nightly/histdb.h's histdb_safe_url, the database URL as invlab
 * prints it, judged two ways: libpq must read no secret in it (none, or the
 * "***" put in its place), and no secret libpq reads in the input may
 * appear in it: one of 6 letters and digits or more, written out once in
 * the input and in no option's name (which the output may print).
 */
#include "fuzz.h"

#include <libpq-fe.h>

#include "nightly/histdb.h"

static bool secret(const PQconninfoOption *o)
{
	return (o->dispchar && o->dispchar[0] == '*') ||
	       !strcmp(o->keyword, "password") ||
	       !strcmp(o->keyword, "sslpassword");
}

/* v could be told from the output's own text, if it were in it */
static bool distinct(const char *v, const char *url,
		     const PQconninfoOption *all)
{
	const char *at = strstr(url, v);

	if (strlen(v) < 6 || !at || strstr(at + 1, v))
		return false;
	for (const char *c = v; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') ||
		      (*c >= 'A' && *c <= 'Z')))
			return false;
	for (const PQconninfoOption *o = all; o->keyword; o++)
		if (strstr(o->keyword, v))
			return false;
	return true;
}

static void leak(const char *url, const char *safe, const char *what)
{
	fprintf(stderr, "%s: %s -> %s\n", what, url, safe);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *url = malloc(size + 1), *safe;
	PQconninfoOption *in, *out;

	if (!url)
		return 0;
	memcpy(url, data, size);
	url[size] = '\0';
	safe = histdb_safe_url(url);
	out = PQconninfoParse(safe, NULL);
	for (PQconninfoOption *o = out; o && o->keyword; o++)
		if (secret(o) && o->val && strcmp(o->val, "***"))
			leak(url, safe, "libpq reads a secret in the output");
	in = PQconninfoParse(url, NULL);
	for (PQconninfoOption *o = in; o && o->keyword; o++)
		if (secret(o) && o->val && distinct(o->val, url, in) &&
		    strstr(safe, o->val))
			leak(url, safe,
			     "a secret of the input is in the output");
	PQconninfoFree(in);
	PQconninfoFree(out);
	free(safe);
	free(url);
	return 0;
}
