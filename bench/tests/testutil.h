/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the cmocka unit tests: the work tree and its fixtures,
 * temporary directories and files, and assertions on error messages.
 * Everything here is static inline so each test uses only what it needs.
 */
#ifndef INVLAB_TESTUTIL_H
#define INVLAB_TESTUTIL_H

/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Fixtures, relative to the work tree. */
#define FIXTURES "bench/tests/fixtures"

/*
 * cmocka reports failures on stderr and progress on stdout: line-buffer
 * stdout so both stay in order when the runner sends them to one pipe.
 */
__attribute__((constructor)) static void tu_line_buffer_stdout(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* The work tree: $INVLAB_TOP if set, else the current directory. */
static inline const char *tu_top(void)
{
	const char *top = getenv("INVLAB_TOP");

	return top && *top ? top : ".";
}

/* A new string from a format; never NULL. */
__attribute__((format(printf, 1, 2))) static inline char *
tu_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	return s;
}

/* Path of a fixture file, to be freed. */
static inline char *tu_fixture(const char *name)
{
	return tu_printf("%s/%s/%s", tu_top(), FIXTURES, name);
}

/* Whole file as a string, to be freed; NULL if it cannot be read. */
static inline char *tu_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0, got;
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(cap);
	assert_non_null(buf);
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* mkdir -p of dir/rel (rel may be "" for dir itself). */
static inline void tu_mkdirs(const char *dir, const char *rel)
{
	char *path = tu_printf("%s/%s", dir, rel);
	char c;

	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			fail_msg("mkdir %s: %s", path, strerror(errno));
		*p = c;
		if (!c)
			break;
	}
	free(path);
}

/* Write len bytes to dir/rel, creating the directories above it. */
static inline char *tu_write_len(const char *dir, const char *rel,
				 const void *buf, size_t len)
{
	char *path = tu_printf("%s/%s", dir, rel);
	char *slash = strrchr(rel, '/');
	FILE *f;

	if (slash) {
		char *parent = tu_printf("%.*s", (int)(slash - rel), rel);

		tu_mkdirs(dir, parent);
		free(parent);
	}
	f = fopen(path, "wb");
	if (!f)
		fail_msg("cannot create %s: %s", path, strerror(errno));
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* Write text to dir/rel; returns the path, to be freed. */
static inline char *tu_write(const char *dir, const char *rel, const char *text)
{
	return tu_write_len(dir, rel, text, strlen(text));
}

/* Make dir/rel a symbolic link to target. */
static inline void tu_symlink(const char *target, const char *dir,
			      const char *rel)
{
	char *path = tu_printf("%s/%s", dir, rel);

	if (symlink(target, path))
		fail_msg("symlink %s -> %s: %s", path, target, strerror(errno));
	free(path);
}

/*
 * A new, empty directory under $TMPDIR (or /tmp), to be freed. Its path is
 * canonical, so it compares equal to what realpath() makes of paths in it.
 */
static inline char *tu_mkdtemp(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir =
		tu_printf("%s/invlab-test.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	char *real;

	if (!mkdtemp(dir))
		fail_msg("mkdtemp %s: %s", dir, strerror(errno));
	real = realpath(dir, NULL);
	assert_non_null(real);
	free(dir);
	return real;
}

static inline int tu_rm_one(const char *path, const struct stat *st, int flag,
			    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) ? -1 : 0;
}

/* rm -rf path; symbolic links are removed, not followed. */
static inline void tu_rm_rf(const char *path)
{
	nftw(path, tu_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Number of entries of dir whose name contains needle ("" counts all). */
static inline int tu_count_entries(const char *dir, const char *needle)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		fail_msg("opendir %s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (strstr(de->d_name, needle))
			n++;
	}
	closedir(d);
	return n;
}

/* cmocka setup and teardown: a temporary directory as the test's state. */
static inline int tu_setup_tmpdir(void **state)
{
	*state = tu_mkdtemp();
	return 0;
}

static inline int tu_teardown_tmpdir(void **state)
{
	tu_rm_rf(*state);
	free(*state);
	return 0;
}

#define tu_test_tmp(f) \
	cmocka_unit_test_setup_teardown(f, tu_setup_tmpdir, tu_teardown_tmpdir)

static inline void tu_assert_contains(const char *hay, const char *needle,
				      const char *expr, const char *file,
				      int line)
{
	if (hay && strstr(hay, needle))
		return;
	print_error("%s is \"%s\", which does not contain \"%s\"\n", expr,
		    hay ? hay : "(null)", needle);
	_fail(file, line);
}

/* Assert that string hay (an error message, say) contains needle. */
#define assert_contains(hay, needle) \
	tu_assert_contains(hay, needle, #hay, __FILE__, __LINE__)

#endif
