// SPDX-License-Identifier: GPL-2.0
#include "names.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

static bool first_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

bool name_ok(const char *s)
{
	size_t n;

	if (!s || !first_ok(s[0]))
		return false;
	n = strlen(s);
	if (n > NAME_MAX_LEN)
		return false;
	for (size_t i = 1; i < n; i++)
		if (!first_ok(s[i]) && !strchr(".+=@-", s[i]))
			return false;
	return true;
}

int name_check(const char *what, const char *s, char *err, size_t err_len)
{
	char shown[48];
	size_t i = 0, j = 0;

	if (name_ok(s))
		return 0;
	/* the name as given, control characters made visible */
	for (; s && s[i] && j + 5 < sizeof(shown); i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			j += snprintf(shown + j, sizeof(shown) - j, "\\x%02x",
				      c);
		else
			shown[j++] = (char)c;
	}
	shown[j] = '\0';
	return seterr(
		err, err_len,
		"%s '%s%s': a name is letters, digits and . _ - + = @ (beginning with a letter, a digit or _), at most %d characters: it becomes a file name",
		what, shown, s && s[i] ? "..." : "", NAME_MAX_LEN);
}
