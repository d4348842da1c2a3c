/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host mode (invlab lab --host, make host): the cells of a suite run on
 * this machine, no QEMU, one invlab run each, into the directory of a lab
 * run (run.json, CELL/boot-1/result.json, the report), so report, compare
 * and nightly append take it like any other. The real host's gates stay
 * with invlab run: it uses only a device the user named (--device, the
 * allowlist), moves only --allow-rebind's, writes only --allow-knob's.
 */
#ifndef INVLAB_HOST_H
#define INVLAB_HOST_H

#include <stddef.h>

#include "plan.h"

/* What the user allowed, passed on to every invlab run. */
struct lab_host {
	const char *device, *allow_rebind, *allow_knobs;
};

/*
 * Run cell on this machine (DIR/CELL/boot-1): invlab run, its output
 * echoed and kept in console.log, judged by its exit status and result,
 * recorded like a boot (run.json, DIR/CELL/result.json). 0 complete, 1
 * failed or interrupted, -1 when it could not start (err says why).
 */
int lab_host_cell(struct lab_run *r, const struct lab_host *h,
		  const struct lab_cell *cell, char *err, size_t len);

#endif
