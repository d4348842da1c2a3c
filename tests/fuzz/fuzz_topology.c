// SPDX-License-Identifier: GPL-2.0
/*
 * bench/src/lab/topology.h: a topology file, its timing, its disks and the
 * QEMU command line built from it.
 */
#include "fuzz.h"

#include "lab/topology.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_write("fuzz.conf", data, size), err[ERRLEN];
	struct boot_spec b = {
		.qemu = "/usr/bin/qemu-system-x86_64",
		.kernel = "/k/vmlinuz",
		.initrd = "/k/initrd.img",
		.append = "console=ttyS0 panic=-1",
		.rootfs_dir = "/lab/rootfs",
		.kernel_dir = "/lab/kernel",
		.top_dir = "/work/top",
		.out_dir = "/lab/out/boot1",
		.console_path = "/lab/out/boot1/console.log",
		.scratch_dir = "/lab/scratch",
	};
	struct topology_disk *disks;
	struct strv argv = { 0 };
	struct lab_timing t;
	struct conf c;
	size_t n;

	/* c is the caller's to free, loaded or not (as invlab lab does) */
	if (topology_load(invlab_top(), path, &c, err, sizeof(err))) {
		conf_free(&c);
		free(path);
		return 0;
	}
	/* as the topology says, then as a suite's timing overrides it */
	if (!topology_timing(&c, NULL, NULL, &t, err, sizeof(err)) &&
	    !strcmp(t.mode, "icount"))
		b.icount = t.icount;
	topology_argv(&c, &b, &argv, err, sizeof(err));
	strv_free(&argv);
	if (!topology_timing(&c, "icount", "suite", &t, err, sizeof(err))) {
		b.icount = t.icount;
		topology_argv(&c, &b, &argv, err, sizeof(err));
		strv_free(&argv);
	}
	topology_disks(&c, b.scratch_dir, &disks, &n, err, sizeof(err));
	topology_disks_free(disks, n);
	conf_free(&c);
	free(path);
	return 0;
}
