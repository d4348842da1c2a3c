// SPDX-License-Identifier: GPL-2.0
/*
 * invlab bisect and bisect-step: their arguments; the bisection itself is
 * nightly/bisect.c's.
 */
#include <argp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nightly/bisect.h"
#include "commands.h"
#include "lib/names.h"
#include "lib/util.h"
#include "run/suite.h"

static const struct argp_option bisect_options[] = {
	{ "good", 'g', "REV", 0, "a commit of KSRC without the change", 0 },
	{ "bad", 'b', "REV", 0, "a later commit with it", 0 },
	{ "metric", 'm', "NAME", 0,
	  "the metric that changed (as invlab show names it)", 0 },
	{ "suite", 's', "NAME", 0, "suite to run at each step (default smoke)",
	  0 },
	{ "cell", 'c', "ID", 0,
	  "the suite cell to judge (default: the run's first)", 0 },
	{ "ksrc", 'k', "DIR", 0, "kernel git tree (default $KSRC)", 0 },
	{ "kernel", 'K', "LABEL", 0,
	  "lab kernel label to build and boot (default lab)", 0 },
	{ "policy", 'p', "FILE", 0, "metric policy (default bench/policy)", 0 },
	{ "out", 'o', "DIR", 0,
	  "where the bisection keeps its runs and report (default results/bisect-DATE)",
	  0 },
	{ "step-cmd", 'x', "CMD", 0,
	  "run CMD (sh -c, in the checked-out tree) instead of building the kernel and running the suite; it must write an invlab run into $INVLAB_BISECT_RUN",
	  0 },
	{ 0 }
};

static error_t bisect_parse(int key, char *arg, struct argp_state *state)
{
	struct bisect_opts *o = state->input;

	switch (key) {
	case 'g': o->good = arg; break;
	case 'b': o->bad = arg; break;
	case 'm': o->metric = arg; break;
	case 's': o->suite = arg; break;
	case 'c': o->cell = arg; break;
	case 'k': o->ksrc = arg; break;
	case 'K': o->kernel = arg; break;
	case 'p': o->policy = arg; break;
	case 'o': o->out = arg; break;
	case 'x': o->step_cmd = arg; break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (!o->good || !o->bad || !o->metric)
			argp_error(state,
				   "--good, --bad and --metric are required");
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* invlab bisect-step STATE: one `git bisect run` step at HEAD. */
int cmd_bisect_step(int argc, char **argv)
{
	if (argc == 2 &&
	    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: invlab bisect-step STATE\n\n"
		       "One step of a bisection invlab bisect started: git bisect run calls it at each commit with the bisection's state file; it builds and measures that commit and exits 0 (good), 1 (bad), 125 (skip) or 128 (abort).\n");
		return 0;
	}
	if (argc != 2) {
		errorf("usage: invlab bisect-step STATE (git bisect run calls it)");
		return 128;
	}
	return bisect_step(argv[1]);
}

static void on_bisect_signal(int sig)
{
	(void)sig;
	bisect_interrupted = 1;
}

int cmd_bisect(int argc, char **argv)
{
	struct bisect_opts o = { .suite = "smoke", .kernel = "lab" };
	struct argp argp = {
		bisect_options,
		bisect_parse,
		NULL,
		"Bisect a kernel git tree for the commit that changed a metric. Exit 0 when found, 1 when the bisection ended without one commit, 2 on bad input.",
		NULL,
		NULL,
		NULL
	};
	char stamp[32], err[ERRLEN], *out = NULL;
	int ret;

	argp_parse(&argp, argc, argv, 0, NULL, &o);
	signal(SIGINT, on_bisect_signal);
	signal(SIGTERM, on_bisect_signal);
	if (!o.ksrc)
		o.ksrc = getenv("KSRC");
	if (!o.ksrc || !*o.ksrc) {
		errorf("which kernel tree? give --ksrc DIR or KSRC=DIR");
		return 2;
	}
	/* what names files or runs a step: checked before a clone is made */
	if ((o.cell && name_check("--cell: cell", o.cell, err, sizeof(err))) ||
	    (!o.step_cmd && name_check("--kernel: kernel label", o.kernel, err,
				       sizeof(err)))) {
		errorf("%s", err);
		return 2;
	}
	if (!o.step_cmd) {
		struct suite s;

		if (suite_load(invlab_top(), o.suite, &s, err, sizeof(err))) {
			errorf("--suite %s: %s", o.suite, err);
			return 2;
		}
		suite_free(&s);
	}
	if (!o.out) {
		time_t t = time(NULL);

		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&t));
		o.out = out =
			xasprintf("%s/results/bisect-%s", invlab_top(), stamp);
	}
	ret = bisect_run(&o);
	free(out);
	return ret;
}
