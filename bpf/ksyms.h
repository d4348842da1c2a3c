/* SPDX-License-Identifier: GPL-2.0 */
#ifndef INVLAB_KSYMS_H
#define INVLAB_KSYMS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Find a kernel function by its source name in a kallsyms-format file. The
 * compiler may have renamed it (name.isra.0, name.part.0, name.constprop.0,
 * name.cold): an exact match wins, otherwise the first suffixed variant that
 * is not a .cold fragment. Returns 0 and fills found (and exact), -ENOENT if
 * neither exists, or -errno if the file cannot be read.
 */
int ksyms_resolve(const char *kallsyms_path, const char *name, char *found,
		  size_t found_len, bool *exact);

#endif
