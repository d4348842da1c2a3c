/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU topology as data (lab/topology/NAME.conf) turned into a QEMU command
 * line. [machine] and [iommu] describe the platform; each [device NAME]
 * becomes one -device with id=NAME. Its keys other than driver, disk and
 * netdev are passed to QEMU as device properties unchanged; topology.c
 * lists the drivers and properties a topology may use, and topology_load
 * checks the whole file against them (values, bus and addr too), so a bad
 * topology fails before QEMU starts.
 */
#ifndef INVLAB_TOPOLOGY_H
#define INVLAB_TOPOLOGY_H

#include "lib/conf.h"
#include "lib/util.h"

struct boot_spec {
	const char *qemu; /* QEMU binary */
	const char *kernel; /* bzImage */
	const char *initrd;
	const char *append; /* lab's kernel arguments */
	const char *rootfs_dir; /* guest root, read-only */
	const char *kernel_dir; /* modules and config, read-only */
	const char *top_dir; /* work tree, read-only */
	const char *out_dir; /* this boot's output, read-write */
	const char *console_path; /* serial console log */
	const char *scratch_dir; /* disk images */
	const char *icount; /* -icount options, or NULL: wall-clock time */
};

/*
 * The guest's clock ([machine] timing, a suite's [suite] timing overrides
 * it). wall: guest time is the host's, so every time measured is a
 * property of this host and its load. icount: QEMU's -icount with the
 * topology's [machine] icount options: guest time advances one nanosecond
 * per guest instruction (shift=0), so a time is an instruction count.
 */
struct lab_timing {
	char mode[16]; /* "wall" or "icount" */
	char icount[128]; /* QEMU's -icount options, icount mode only */
};

/* The default -icount options, chosen by measurement (docs/timing.md). */
#define TOPOLOGY_ICOUNT_DEFAULT "shift=0,align=off,sleep=off"

/* --icount OPTS: the icount mode's options, checked as a topology's are. */
int timing_set_icount(struct lab_timing *t, const char *opts, char *err,
		      size_t err_len);
/*
 * The timing of topology c, the suite's override (NULL: none) applied.
 * -1 with err naming the file and key for a mode that is neither.
 */
int topology_timing(const struct conf *c, const char *override,
		    const char *override_from, struct lab_timing *t, char *err,
		    size_t err_len);

struct topology_disk {
	char *name; /* device id */
	char *path; /* image under scratch_dir */
	unsigned long long size;
};

/*
 * name: lab/topology/NAME.conf under top, or a path. Every section, key and
 * value checked; -1 with err naming FILE:LINE (c then holds nothing).
 */
int topology_load(const char *top, const char *name, struct conf *c, char *err,
		  size_t err_len);
/* Disks the topology wants created (sparse) before boot. */
int topology_disks(const struct conf *c, const char *scratch_dir,
		   struct topology_disk **disks, size_t *n, char *err,
		   size_t err_len);
void topology_disks_free(struct topology_disk *disks, size_t n);
int topology_argv(const struct conf *c, const struct boot_spec *b,
		  struct strv *argv, char *err, size_t err_len);
/* Parse 512M, 2G, 4096 (bytes): 0 on success. */
int parse_size(const char *s, unsigned long long *out);

#endif
