// SPDX-License-Identifier: GPL-2.0
/* invlab: measure AMD IOMMU invalidation fan-out. Dispatches subcommands. */
#include <argp.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "version.h"

const char *argp_program_version = "invlab " INVLAB_VERSION;
const char *argp_program_bug_address = "the invlab issue tracker";

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "lab", cmd_lab,
	  "boot each kernel of a suite in QEMU, run it, report" },
	{ "selfcheck", cmd_selfcheck,
	  "lab run with every probe window checked against QEMU's own trace" },
	{ "run", cmd_run, "run a suite on this machine (guest or AMD host)" },
	{ "doctor", cmd_doctor,
	  "can this machine run invlab (a suite)? ok / reduced / missing, with fixes" },
	{ "report", cmd_report, "write the Markdown report of a run" },
	{ "show", cmd_show, "summarise a run: status, context, every metric" },
	{ "compare", cmd_compare,
	  "compare two runs; exit 0 no regression, 1 regression, 2 error" },
	{ "calibrate", cmd_calibrate,
	  "keep a run's boot-to-boot noise as this host's calibration" },
	{ "bisect", cmd_bisect,
	  "find the kernel commit that changed a metric (git bisect run)" },
	{ "bisect-step", cmd_bisect_step,
	  "one bisection step (git bisect run calls it)" },
	{ "bench", cmd_bench,
	  "bench probes: what the probes cost, attached vs detached (lab run)" },
	{ "lava-job", cmd_lava_job,
	  "write a LAVA job that runs a suite on a real host (lavacli submits it)" },
	{ "nightly", cmd_nightly,
	  "history of runs per host: append, merge, report trends (exit 1 on regression)" },
};

static int usage(FILE *f)
{
	fprintf(f, "usage: invlab COMMAND [OPTION...]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n'invlab COMMAND --help' for a command's options.\n");
	return f == stderr ? 2 : 0;
}

int main(int argc, char **argv)
{
	/* Usage errors share the "error" exit status of compare (2). */
	argp_err_exit_status = 2;
	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return usage(stdout);
	if (!strcmp(argv[1], "--version")) {
		printf("%s\n", argp_program_version);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "invlab: unknown command '%s'\n", argv[1]);
	return usage(stderr);
}
