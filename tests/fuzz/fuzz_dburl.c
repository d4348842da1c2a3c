// SPDX-License-Identifier: GPL-2.0
/*
 * bench/src/nightly/histdb.h's histdb_safe_url, the database URL as invlab
 * prints it: with libpq as the judge, what it prints must hold no password
 * libpq would read (none, or the "***" put in its place).
 */
#include "fuzz.h"

#include <libpq-fe.h>

#include "nightly/histdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *url = malloc(size + 1), *safe;
	PQconninfoOption *opts;

	if (!url)
		return 0;
	memcpy(url, data, size);
	url[size] = '\0';
	safe = histdb_safe_url(url);
	opts = PQconninfoParse(safe, NULL);
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if (!strcmp(o->keyword, "password") && o->val &&
		    strcmp(o->val, "***")) {
			fprintf(stderr, "password shown: %s -> %s\n", url,
				safe);
			abort();
		}
	PQconninfoFree(opts);
	free(safe);
	free(url);
	return 0;
}
