// SPDX-License-Identifier: GPL-2.0
/*
 * invlab calibrate RUN: how much this lab's noisy metrics vary between boots
 * and between the windows of a boot, from a run of several boots of the
 * same kernels (invlab lab --boots 10), kept as data per host
 * (analysis/calib.h). compare and bisect then judge runs of fewer boots
 * than the policy's min_boots with it.
 */
#include <argp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/calib.h"
#include "commands.h"
#include "lib/names.h"
#include "lib/util.h"
#include "report/noise_table.h"

struct calibrate_opts {
	const char *run, *out, *host;
};

static const struct argp_option calibrate_options[] = {
	{ "out", 'o', "FILE", 0,
	  "calibration file (default: results/calibration/HOST.json, or $INVLAB_CALIBRATION/HOST.json)",
	  0 },
	{ "host", 'H', "NAME", 0,
	  "host the calibration is of (default: the run's: this machine for a lab run)",
	  0 },
	{ 0 }
};

static error_t calibrate_parse(int key, char *arg, struct argp_state *state)
{
	struct calibrate_opts *o = state->input;

	switch (key) {
	case 'o': o->out = arg; break;
	case 'H': o->host = arg; break;
	case ARGP_KEY_ARG:
		if (o->run)
			argp_error(state, "one run only");
		o->run = arg;
		break;
	case ARGP_KEY_END:
		if (!o->run)
			argp_error(state,
				   "give the RUN directory to calibrate from");
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static void print_pct(double v)
{
	if (isnan(v))
		printf(" %9s", "-");
	else
		printf(" %8.2f%%", 100 * v);
}

/* What was calibrated: every noisy metric of every cell of 3+ boots. */
static void print_table(const struct run *r, const struct policy *p)
{
	printf("%-14s %-34s %5s %7s %9s %9s %9s %6s\n", "cell", "metric",
	       "boots", "windows", "within", "between", "boot sd", "need");
	for (size_t i = 0; i < r->ncells; i++) {
		for (size_t k = 0; k < r->cells[i].nm; k++) {
			const struct metric_rule *rule =
				policy_rule(p, r->cells[i].m[k].name);
			struct cell_noise n;

			if (!rule || rule->kind != KIND_NOISY ||
			    !cell_noise(&r->cells[i], r->cells[i].m[k].name, p,
					&n) ||
			    n.vc.boots < 3)
				continue;
			printf("%-14s %-34s %5zu %7zu", r->cells[i].id,
			       r->cells[i].m[k].name, n.vc.boots, n.vc.windows);
			print_pct(n.vc.within);
			print_pct(n.vc.between);
			print_pct(n.vc.boot_sd);
			if (n.boots_needed)
				printf(" %6zu\n", n.boots_needed);
			else
				printf(" %6s\n", "-");
		}
	}
}

int cmd_calibrate(int argc, char **argv)
{
	struct calibrate_opts o = { 0 };
	struct argp argp = {
		calibrate_options,
		calibrate_parse,
		"RUN",
		"Keep how much a run's noisy metrics vary between boots and within a boot as this host's calibration (a run of 3 or more boots a cell: invlab lab --boots 10). Runs of fewer boots are then judged with it.",
		NULL,
		NULL,
		NULL
	};
	const char *src, *host;
	char err[ERRLEN] = "", *path = NULL;
	struct policy p;
	struct calib cal = { 0 };
	struct run r;
	size_t cells;
	int ret = 2;

	argp_parse(&argp, argc, argv, 0, NULL, &o);
	if (policy_load(NULL, &p, err, sizeof(err))) {
		errorf("%s", err);
		return 2;
	}
	if (run_load(o.run, &r, err, sizeof(err))) {
		errorf("%s", err);
		policy_free(&p);
		return 2;
	}
	host = o.host ? o.host : run_host(&r, &src);
	if (!host) {
		errorf("%s: cannot tell the host of this run; give --host NAME",
		       o.run);
		goto out;
	}
	/* the calibration's file is named after it */
	if (o.host ? name_check("--host: host name", host, err, sizeof(err)) :
		     name_check("host name", host, err, sizeof(err))) {
		if (o.host)
			errorf("%s", err);
		else
			errorf("%s: %s (from %s); give --host NAME", o.run, err,
			       src);
		goto out;
	}
	path = o.out ? xstrdup(o.out) : calib_path(NULL, host);
	if (calib_load(path, &cal, err, sizeof(err))) {
		errorf("%s", err);
		goto out;
	}
	/* one host's file: another's spreads are not this host's */
	if (cal.doc && strcmp(json_path_str(cal.doc, "host", ""), host)) {
		errorf("%s is the calibration of host %s, not %s: give --out a file of %s's",
		       path, json_path_str(cal.doc, "host", "(none)"), host,
		       host);
		goto out;
	}
	cells = calib_add_run(&cal, &p, &r, host);
	if (!cells) {
		errorf("%s has no cell of 3 or more boots with a noisy metric: calibrate from a run of several boots (invlab lab --boots 10 --suite %s)",
		       o.run, r.suite);
		goto out;
	}
	if (calib_write(&cal, err, sizeof(err))) {
		errorf("%s", err);
		goto out;
	}
	print_table(&r, &p);
	printf("calibration of host %s, suite %s: %zu cell(s) in %s\n", host,
	       r.suite, cells, path);
	ret = 0;
out:
	calib_free(&cal);
	free(path);
	run_free(&r);
	policy_free(&p);
	return ret;
}
