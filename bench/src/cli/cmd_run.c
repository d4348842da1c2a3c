// SPDX-License-Identifier: GPL-2.0
/* invlab run: the command line of bench/src/run/run.h. */
#include <argp.h>
#include <stdlib.h>

#include "commands.h"
#include "lib/util.h"
#include "run/run.h"

static const struct argp_option run_options[] = {
	{ "suite", 's', "NAME", 0,
	  "Suite to run (bench/suites/NAME.conf or a path)", 0 },
	{ "out", 'o', "DIR", 0, "Directory for result.json and raw outputs",
	  0 },
	{ "lab-context", 'l', "FILE", 0,
	  "Lab context written by the host (QEMU lab only)", 0 },
	{ "device", 'd', "DEV", 0,
	  "Override the suite's device (serial:NAME or /dev/nvmeXnY)", 0 },
	{ "runtime", 't', "SECONDS", 0, "Override the workload runtime", 0 },
	{ "repetitions", 'r', "N", 0, "Override the number of windows", 0 },
	{ "params", 'P', "NAME=VALUE,...", 0,
	  "The [matrix] point to run (one value of each swept parameter)", 0 },
	{ "allow-rebind", 'B', "PCI", 0,
	  "Let the suite's checks move this device (0000:00:05.0) to vfio-pci; implied in a lab guest",
	  0 },
	{ "allow-knob", 'K', "MOD.PARAM,...", 0,
	  "Let a module.MOD.PARAM matrix parameter write this kernel setting (written back after the run); implied in a lab guest",
	  0 },
	{ 0 }
};

/* The ranges of the suite's [workload] runtime and [suite] repetitions. */
static long parse_opt(const char *opt, long max, const char *arg,
		      struct argp_state *state)
{
	long n = 0;

	if (parse_long(arg, 1, max, &n))
		argp_error(state,
			   "--%s %s: expected a whole number from 1 to %ld",
			   opt, arg, max);
	return n;
}

static error_t run_parse(int key, char *arg, struct argp_state *state)
{
	struct run_opts *o = state->input;

	switch (key) {
	case 's': o->suite = arg; break;
	case 'o': o->out = arg; break;
	case 'l': o->lab_context = arg; break;
	case 'd': o->device = arg; break;
	case 't': o->runtime = parse_opt("runtime", 86400, arg, state); break;
	case 'r':
		o->repetitions = parse_opt("repetitions", 1000, arg, state);
		break;
	case 'B': o->allow_rebind = arg; break;
	case 'K': o->allow_knobs = arg; break;
	case 'P': o->params = arg; break;
	case ARGP_KEY_END:
		if (!o->suite || !o->out)
			argp_error(state, "--suite and --out are required");
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct argp argp = {
		run_options,
		run_parse,
		NULL,
		"Run a suite on this machine (a lab guest or a real host) and write its result.",
		NULL,
		NULL,
		NULL
	};

	argp_parse(&argp, argc, argv, 0, NULL, &o);
	return run_suite(&o);
}
