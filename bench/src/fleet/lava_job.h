/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A LAVA job definition (YAML) that runs one suite on a real host, or on
 * LAVA's qemu device type: deploy a kernel and a rootfs, boot them (how,
 * the device type says: invlab only names LAVA's generic methods), then a
 * test action whose inline definition runs the suite's cells at that
 * kernel on the host (`invlab lab --host`: the cells `invlab lab` plans,
 * lab/plan.h, into a run directory of its own making), reports each as a
 * LAVA test case with its workload's headline metric and appends the run
 * to the history (`invlab nightly append --db`). LAVA schedules; invlab only writes the
 * job (docs/fleet.md).
 */
#ifndef INVLAB_LAVA_JOB_H
#define INVLAB_LAVA_JOB_H

#include <stddef.h>

#include "analysis/policy.h"
#include "lib/util.h"
#include "run/suite.h"

/* What the job deploys, boots and runs; NULL: the default said. */
struct lava_job {
	const char *device_type; /* LAVA's device type */
	const char *kernel; /* the label: one of the suite's kernels */
	const char *kernel_url, *initrd_url,
		*modules_url; /* initrd, modules: optional */
	const char *rootfs_url;
	/*
	 * LAVA's boot method: ipxe or grub (deployed to tftp, the rootfs as
	 * nfsrootfs) or qemu (deployed to tmpfs); NULL: qemu for the qemu
	 * device type, else ipxe
	 */
	const char *boot_method;
	const char *boot_commands; /* ipxe, grub: the device type's set; "nfs" */
	const char *prompt; /* the shell's prompt after boot; "root@" */
	/*
	 * Kernel arguments: qemu's -append (LAVA's qemu has none of its
	 * own); ipxe, grub: the context's extra_kernel_args, which LAVA's
	 * device-type templates add to theirs. NULL: none
	 */
	const char *kernel_args;
	const char *invlab; /* on the device; "/opt/invlab/build/invlab" */
	const char *
		results; /* where runs go on the device; "/var/lib/invlab/runs" */
	/*
	 * The history: --db's URL goes into the job's secrets as variable
	 * db_env ("INVLAB_DB"); without it the device's environment must set
	 * that variable
	 */
	const char *db, *db_env;
	const char *host; /* the history's host name; NULL: LAVA's device name */
	const char *
		upload; /* URL the run's tarball is PUT to (curl -T); NULL: none */
	/* invlab lab --host's --device, --allow-rebind, --allow-knob */
	const char *device, *allow_rebind, *allow_knobs;
	/*
	 * what the device's invlab lab --host gets as --suite: the suite's
	 * name (bench/suites/NAME.conf of the device's tree), or the absolute
	 * path of a suite file, which must be there on the device; NULL: the
	 * name
	 */
	const char *suite;
	const char *metric; /* the test cases' measurement; NULL: the headline */
	long timeout_min; /* the test action's; 0: cells x the suite's boot_timeout */
	struct strv qemu_options; /* qemu: context extra_options */
	/* KEY=VALUE: more of the job's context (lava_test_results_dir, ...) */
	struct strv context;
};

/*
 * The job as YAML text (malloc'd) and its number of cells, every option
 * checked first: NULL with err naming the option and why.
 */
char *lava_job_yaml(const struct lava_job *j, const struct suite *s,
		    const struct policy *p, size_t *ncells, char *err,
		    size_t err_len);

#endif
