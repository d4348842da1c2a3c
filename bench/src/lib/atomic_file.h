/* SPDX-License-Identifier: GPL-2.0 */
#ifndef INVLAB_ATOMIC_FILE_H
#define INVLAB_ATOMIC_FILE_H

#include <stddef.h>

/*
 * Replace path with buf so that readers see the old file or the new one,
 * never a mix: write a temporary file beside it, fsync, rename, fsync the
 * directory. Returns 0 or -errno; on failure no temporary file is left.
 */
int atomic_write(const char *path, const void *buf, size_t len);
/*
 * Whether path can be written as a file: it is no directory, and the
 * directory it goes in exists. 0, or -1 with err naming it. A command
 * checks all its outputs before it writes any, so a bad one leaves none
 * half written.
 */
int output_path_check(const char *path, char *err, size_t err_len);
/* The same of a directory outputs go in (plots/): absent, or a directory. */
int output_dir_check(const char *dir, char *err, size_t err_len);

#endif
