// SPDX-License-Identifier: GPL-2.0
/* invlab lava-job: the command line of bench/src/fleet/lava_job.h. */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/policy.h"
#include "commands.h"
#include "fleet/lava_job.h"
#include "lib/atomic_file.h"
#include "lib/util.h"
#include "run/suite.h"

struct lava_job_opts {
	struct lava_job j;
	const char *suite, *out;
};

enum {
	OPT_KERNEL_URL = 256,
	OPT_INITRD_URL,
	OPT_MODULES_URL,
	OPT_BOOT_METHOD,
	OPT_BOOT_COMMANDS,
	OPT_PROMPT,
	OPT_KERNEL_ARGS,
	OPT_INVLAB,
	OPT_RESULTS,
	OPT_DB_ENV,
	OPT_UPLOAD,
	OPT_QEMU_OPTION,
	OPT_CONTEXT,
	OPT_DEVICE,
	OPT_ALLOW_REBIND,
	OPT_ALLOW_KNOB,
};

static const struct argp_option lava_job_options[] = {
	{ "suite", 's', "NAME", 0,
	  "Suite to run (bench/suites/NAME.conf or a path)", 0 },
	{ "device-type", 'd', "TYPE", 0,
	  "LAVA device type of the hosts (qemu: LAVA's QEMU)", 0 },
	{ "kernel", 'k', "LABEL", 0,
	  "The suite's kernel label the job boots (lab, 7.3, ...)", 0 },
	{ "kernel-url", OPT_KERNEL_URL, "URL", 0,
	  "The kernel image (bzImage) to deploy", 0 },
	{ "initrd-url", OPT_INITRD_URL, "URL", 0, "An initramfs to deploy", 0 },
	{ "modules-url", OPT_MODULES_URL, "URL", 0,
	  "The kernel's modules (tar, tftp deploys)", 0 },
	{ "rootfs", 'r', "URL", 0,
	  "The root file system, invlab installed (tftp: an nfsrootfs tarball, required; qemu: a disk image, or none when the initrd and --qemu-option give the root)",
	  0 },
	{ "boot-method", OPT_BOOT_METHOD, "METHOD", 0,
	  "LAVA's boot method: ipxe, grub (deploy to tftp) or qemu (deploy to tmpfs); default qemu for the qemu device type, else ipxe",
	  0 },
	{ "boot-commands", OPT_BOOT_COMMANDS, "NAME", 0,
	  "ipxe, grub: the device type's boot commands (default nfs)", 0 },
	{ "prompt", OPT_PROMPT, "TEXT", 0,
	  "The shell's prompt after boot (default root@)", 0 },
	{ "kernel-args", OPT_KERNEL_ARGS, "ARGS", 0,
	  "Kernel arguments (qemu: -append; ipxe, grub: the context's extra_kernel_args)",
	  0 },
	{ "qemu-option", OPT_QEMU_OPTION, "OPT", 0,
	  "qemu: an extra QEMU option (repeat: one each), as -device amd-iommu,intremap=on",
	  0 },
	{ "context", OPT_CONTEXT, "KEY=VALUE", 0,
	  "A variable of the job's context for the device type (repeat: one each), as lava_test_results_dir=/tmp/lava-%s for a guest whose / is read-only",
	  0 },
	{ "invlab", OPT_INVLAB, "PATH", 0,
	  "invlab on the device (default /opt/invlab/build/invlab)", 0 },
	{ "results", OPT_RESULTS, "DIR", 0,
	  "Where the run goes on the device (default /var/lib/invlab/runs)",
	  0 },
	{ "db", 'D', "URL", 0,
	  "The history's PostgreSQL URL, put in the job's secrets (else the device's environment sets --db-env's variable)",
	  0 },
	{ "db-env", OPT_DB_ENV, "VAR", 0,
	  "The variable holding the history's URL on the device (default INVLAB_DB)",
	  0 },
	{ "host", 'H', "NAME", 0,
	  "The host the run goes under in the history (default: the LAVA device's name, LAVA_DEVICE_HOSTNAME, else hostname -s)",
	  0 },
	{ "metric", 'm', "NAME", 0,
	  "Each cell's measurement (default: the workload's headline metric)",
	  0 },
	{ "device", OPT_DEVICE, "DEV", 0,
	  "The host's device the suite runs on (invlab lab --host --device; else the host's /etc/invlab/devices must name the suite's)",
	  0 },
	{ "allow-rebind", OPT_ALLOW_REBIND, "PCI", 0,
	  "The device the runs may move to vfio-pci (invlab lab --host --allow-rebind)",
	  0 },
	{ "allow-knob", OPT_ALLOW_KNOB, "MOD.PARAM,...", 0,
	  "The kernel settings the runs may write (invlab lab --host --allow-knob): a suite's module.* matrix parameters",
	  0 },
	{ "upload", OPT_UPLOAD, "URL", 0,
	  "PUT the run as a tarball to URL (curl -T) after it", 0 },
	{ "timeout", 't', "MINUTES", 0,
	  "The test action's limit (default: the suite's boot_timeout per cell)",
	  0 },
	{ "output", 'o', "FILE", 0, "Write the job here (default stdout)", 0 },
	{ 0 }
};

static error_t lava_job_parse(int key, char *arg, struct argp_state *state)
{
	struct lava_job_opts *o = state->input;

	switch (key) {
	case 's': o->suite = arg; break;
	case 'd': o->j.device_type = arg; break;
	case 'k': o->j.kernel = arg; break;
	case OPT_KERNEL_URL: o->j.kernel_url = arg; break;
	case OPT_INITRD_URL: o->j.initrd_url = arg; break;
	case OPT_MODULES_URL: o->j.modules_url = arg; break;
	case 'r': o->j.rootfs_url = arg; break;
	case OPT_BOOT_METHOD: o->j.boot_method = arg; break;
	case OPT_BOOT_COMMANDS: o->j.boot_commands = arg; break;
	case OPT_PROMPT: o->j.prompt = arg; break;
	case OPT_KERNEL_ARGS: o->j.kernel_args = arg; break;
	case OPT_QEMU_OPTION: strv_add(&o->j.qemu_options, arg); break;
	case OPT_CONTEXT: strv_add(&o->j.context, arg); break;
	case OPT_INVLAB: o->j.invlab = arg; break;
	case OPT_RESULTS: o->j.results = arg; break;
	case 'D': o->j.db = arg; break;
	case OPT_DB_ENV: o->j.db_env = arg; break;
	case 'H': o->j.host = arg; break;
	case 'm': o->j.metric = arg; break;
	case OPT_UPLOAD: o->j.upload = arg; break;
	case OPT_DEVICE: o->j.device = arg; break;
	case OPT_ALLOW_REBIND: o->j.allow_rebind = arg; break;
	case OPT_ALLOW_KNOB: o->j.allow_knobs = arg; break;
	case 't':
		if (parse_long(arg, 1, 7 * 24 * 60, &o->j.timeout_min))
			argp_error(
				state,
				"--timeout %s: expected a whole number of minutes from 1 to %d",
				arg, 7 * 24 * 60);
		break;
	case 'o': o->out = arg; break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (!o->suite || !o->j.device_type || !o->j.kernel)
			argp_error(
				state,
				"--suite, --device-type and --kernel are required");
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int cmd_lava_job(int argc, char **argv)
{
	struct lava_job_opts o = { 0 };
	struct argp argp = {
		lava_job_options,
		lava_job_parse,
		NULL,
		"Write a LAVA job definition that deploys and boots a kernel on a host of a LAVA device type, runs every cell of a suite there with invlab lab --host (one LAVA test case each, its headline metric the measurement) and appends the run to the history (invlab nightly append --db). Submit it with lavacli jobs submit (docs/fleet.md).",
		NULL,
		NULL,
		NULL
	};
	char err[ERRLEN];
	struct suite s = { 0 };
	struct policy p = { 0 };
	char *yaml = NULL;
	size_t cells = 0;
	int ret = 2;

	argp_parse(&argp, argc, argv, 0, NULL, &o);
	if (o.out && output_path_check(o.out, err, sizeof(err))) {
		errorf("%s", err);
		goto out;
	}
	if (suite_load(invlab_top(), o.suite, &s, err, sizeof(err)) ||
	    policy_load(NULL, &p, err, sizeof(err))) {
		errorf("%s", err);
		goto out;
	}
	/*
	 * A suite named runs as the device tree's bench/suites/NAME.conf; a
	 * file given by path runs as that path, made absolute by suite_load,
	 * never as another suite of the same name
	 */
	if (suite_is_file(o.suite)) {
		o.j.suite = s.path;
		say("the job runs the suite file %s: it must be at that path on the device",
		    o.j.suite);
	}
	yaml = lava_job_yaml(&o.j, &s, &p, &cells, err, sizeof(err));
	if (!yaml) {
		errorf("%s", err);
		goto out;
	}
	if (!o.out) {
		fputs(yaml, stdout);
	} else {
		int e = atomic_write(o.out, yaml, strlen(yaml));

		if (e) {
			errorf("%s: %s", o.out, strerror(-e));
			goto out;
		}
		say("%s: LAVA job of suite %s, kernel %s, %zu cell(s)", o.out,
		    s.name, o.j.kernel, cells);
	}
	ret = 0;
out:
	free(yaml);
	policy_free(&p);
	suite_free(&s);
	strv_free(&o.j.qemu_options);
	strv_free(&o.j.context);
	return ret;
}
