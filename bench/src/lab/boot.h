/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Booting one cell of a lab run in QEMU, from the host side (inside the lab
 * rootfs): prepare its kernel, create its disks, boot it in the suite's
 * topology with a wall-clock limit, echo the guest's progress from its
 * console, and judge the boot by what the guest left behind.
 */
#ifndef INVLAB_BOOT_H
#define INVLAB_BOOT_H

#include <signal.h>

#include "lib/conf.h"
#include "plan.h"

/* The guest's root: the lab rootfs, read-only. */
#define GUEST_ROOTFS "/run/invlab/rootfs"
#define QEMU_BIN "qemu-system-x86_64"

/*
 * Set by the command's SIGINT/SIGTERM handler: a guest booting is stopped
 * and its cell recorded as interrupted.
 */
extern volatile sig_atomic_t lab_interrupted;

/* QEMU's version line, or NULL; its output passes through dir. */
char *lab_qemu_version(const char *dir);

/*
 * Boot n of cells of run r (each into DIR/CELL/boot-N): one cell, or the
 * cells that share the boot (lab_boot_group), the guest running invlab
 * run for each in turn. Prepare the kernel (kernel/prepare.sh), create
 * the topology's disks, write lab.json (the lab context the guests
 * record), boot QEMU with the suite's time limit (one per cell) and judge
 * what each run left; with the suite's qemu_trace, the probe's counts are
 * checked against QEMU's (selfcheck.json). A cell whose boot failed
 * before its workload started, or whose QEMU crashed, is tried again, up
 * to the suite's boot_retries, each attempt's directory kept
 * (.attempt-A-boot-N) and listed in the boot's record. Each record goes
 * into its cell's (run.json), and DIR/CELL/result.json is rewritten from
 * the cell's boots so far. Returns how many cells' boots failed, timed
 * out, were interrupted or could not boot at all (err says why, for the
 * last such).
 */
int lab_boot_cells(struct lab_run *r, const struct conf *topo,
		   const struct lab_cell *const *cells, size_t ncells, long n,
		   const char *qver, char *err, size_t len);

/*
 * Boot n of cell is over: its record rec (with retried, the attempts
 * given up) goes into the run's order and its cell's record, and
 * DIR/CELL/result.json is rewritten. ret, or -1 when that cannot be
 * written (err says why).
 */
int lab_boot_done(struct lab_run *r, const struct lab_cell *cell, long n,
		  json_object *rec, json_object *retried, int ret, char *err,
		  size_t len);

#endif
