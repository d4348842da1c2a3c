/* SPDX-License-Identifier: GPL-2.0 */
/* Test helpers for suites written from text (bench/src/run/suite.h). */
#ifndef INVLAB_SUITE_TU_H
#define INVLAB_SUITE_TU_H

#include "testutil.h"

#include "run/suite.h"

/* Load text as the suite file dir/mine.conf (so its name is "mine"). */
static inline int tu_suite_load(const char *dir, const char *text,
				struct suite *s, char *err, size_t err_len,
				char **path)
{
	*path = tu_write(dir, "mine.conf", text);
	return suite_load(tu_top(), *path, s, err, err_len);
}

/* A broken suite must fail with an error that names its path and needle. */
static inline void tu_suite_error(const char *dir, const char *text,
				  const char *needle)
{
	char err[ERRLEN] = "", *path;
	struct suite s;

	if (!tu_suite_load(dir, text, &s, err, sizeof(err), &path))
		fail_msg("suite_load accepted:\n%s", text);
	assert_contains(err, path);
	assert_contains(err, needle);
	suite_free(&s);
	free(path);
}

#endif
