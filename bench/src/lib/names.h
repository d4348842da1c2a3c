/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names invlab makes file names of: run ids, kernel labels, cell ids,
 * suite, topology and job names, host names of a history. One character
 * set for all of them, so a name is always one path component inside its
 * directory: letters, digits and . _ - + = @, beginning with a letter, a
 * digit or _, at most NAME_MAX_LEN characters. No '/', no "..", no
 * newline, nothing a shell or a report would misread.
 */
#ifndef INVLAB_NAMES_H
#define INVLAB_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#define NAME_MAX_LEN 100
/* The same rule as a POSIX extended regular expression (JSON Schemas). */
#define NAME_PATTERN "^[A-Za-z0-9_][A-Za-z0-9._+=@-]{0,99}$"

bool name_ok(const char *s);
/*
 * 0 when s is a name; else -1 with err saying what (e.g. "run id") and
 * why: "run id '../x': a name is letters, digits and ._-+=@ ...".
 */
int name_check(const char *what, const char *s, char *err, size_t err_len);

#endif
