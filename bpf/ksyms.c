// SPDX-License-Identifier: GPL-2.0
#include "ksyms.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static bool is_variant(const char *sym, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(sym, name, n) != 0 || sym[n] != '.')
		return false;
	/* A .cold fragment is the unlikely half of a split function. */
	return strstr(sym + n, ".cold") == NULL;
}

int ksyms_resolve(const char *kallsyms_path, const char *name, char *found,
		  size_t found_len, bool *exact)
{
	char line[512], variant[256] = "";
	FILE *f = fopen(kallsyms_path, "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char type, sym[256];

		/* address type name [module] */
		if (sscanf(line, "%*s %c %255s", &type, sym) != 2)
			continue;
		if (type != 't' && type != 'T')
			continue;
		if (strcmp(sym, name) == 0) {
			fclose(f);
			snprintf(found, found_len, "%s", sym);
			*exact = true;
			return 0;
		}
		if (!variant[0] && is_variant(sym, name))
			snprintf(variant, sizeof(variant), "%s", sym);
	}
	if (ferror(f)) {
		int e = errno ? errno : EIO;

		fclose(f);
		return -e;
	}
	fclose(f);
	if (!variant[0])
		return -ENOENT;
	snprintf(found, found_len, "%s", variant);
	*exact = false;
	return 0;
}
