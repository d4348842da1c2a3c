/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.c): most of
 * invlab's readers take a path, so an input goes to a file in a private
 * directory of this process, removed at exit. Static inline, so each
 * harness uses only what it needs.
 */
#ifndef INVLAB_FUZZ_H
#define INVLAB_FUZZ_H

#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline int fuzz_rm(const char *path, const struct stat *st, int flag,
			  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline const char *fuzz_dir(void);

static inline void fuzz_dir_remove(void)
{
	nftw(fuzz_dir(), fuzz_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* This process's directory for inputs ($TMPDIR, else /tmp). */
static inline const char *fuzz_dir(void)
{
	static char dir[256];
	const char *t = getenv("TMPDIR");

	if (dir[0])
		return dir;
	snprintf(dir, sizeof(dir), "%s/invlab-fuzz.XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(dir)) {
		perror(dir);
		abort();
	}
	atexit(fuzz_dir_remove);
	return dir;
}

/* Write len bytes to fuzz_dir()/rel (its directory must exist). */
static inline char *fuzz_write(const char *rel, const void *buf, size_t len)
{
	char *path = xasprintf("%s/%s", fuzz_dir(), rel);
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		abort();
	}
	return path;
}

/* fuzz_dir()/rel as a directory (one level). */
static inline char *fuzz_mkdir(const char *rel)
{
	char *path = xasprintf("%s/%s", fuzz_dir(), rel);

	mkdir(path, 0755);
	return path;
}

/* The input as a NUL-terminated string (up to its first NUL). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = xcalloc(size + 1, 1);

	memcpy(s, data, size);
	return s;
}

#endif
