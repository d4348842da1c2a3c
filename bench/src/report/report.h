/* SPDX-License-Identifier: GPL-2.0 */
#ifndef INVLAB_REPORT_H
#define INVLAB_REPORT_H

#include <stddef.h>

/* Markdown report of one run directory (run.json + one dir per kernel),
 * kernels side by side, written atomically to path.
 */
int report_write(const char *run_dir, const char *path, char *err,
		 size_t err_len);

#endif
