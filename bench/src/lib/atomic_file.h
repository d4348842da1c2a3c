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

#endif
