// SPDX-License-Identifier: GPL-2.0
#include "quote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

char *sh_quote(const char *s)
{
	char *out = xcalloc(4 * strlen(s) + 3, 1), *p = out;

	*p++ = '\'';
	for (; *s; s++) {
		if (*s == '\'') {
			memcpy(p, "'\\''", 4);
			p += 4;
		} else {
			*p++ = *s;
		}
	}
	*p++ = '\'';
	*p = '\0';
	return out;
}

char *yaml_quote(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	char *out = xcalloc(6 * strlen(s) + 3, 1), *p = out;

	*p++ = '"';
	for (; *u; u++) {
		/* U+0085, U+2028, U+2029: YAML reads them as line breaks */
		if (u[0] == 0xc2 && u[1] == 0x85) {
			p += sprintf(p, "\\N");
			u++;
		} else if (u[0] == 0xe2 && u[1] == 0x80 &&
			   (u[2] == 0xa8 || u[2] == 0xa9)) {
			p += sprintf(p, "\\%c", u[2] == 0xa8 ? 'L' : 'P');
			u += 2;
		} else if (*u == '"' || *u == '\\') {
			*p++ = '\\';
			*p++ = (char)*u;
		} else if (*u == '\n') {
			p += sprintf(p, "\\n");
		} else if (*u == '\t') {
			p += sprintf(p, "\\t");
		} else if (*u < 0x20 || *u == 0x7f) {
			p += sprintf(p, "\\x%02x", *u);
		} else {
			*p++ = (char)*u;
		}
	}
	*p++ = '"';
	*p = '\0';
	return out;
}
