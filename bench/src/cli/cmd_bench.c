// SPDX-License-Identifier: GPL-2.0
/*
 * invlab bench probes: what the probes cost. One lab run per suite
 * (probe-cost, probe-cost-msi: per command on the instruction clock;
 * probe-overhead: per 4 KiB read on the wall clock), each with attached
 * and detached windows in alternating pairs, then each report's "Probe
 * overhead" section on stdout.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "lab/boot.h"
#include "lib/util.h"

/* The value of --NAME=V, --NAME V or -S V in argv, or NULL. */
static const char *opt_value(int argc, char **argv, const char *name,
			     const char *shrt)
{
	size_t n = strlen(name);

	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], name, n) && argv[i][n] == '=')
			return argv[i] + n + 1;
		if ((!strcmp(argv[i], name) || !strcmp(argv[i], shrt)) &&
		    i + 1 < argc)
			return argv[i + 1];
	}
	return NULL;
}

/* Print the report's "## Probe overhead" section. */
static int print_overhead(const char *report)
{
	FILE *f = fopen(report, "r");
	char line[4096];
	bool in = false, seen = false;

	if (!f) {
		errorf("cannot read %s: the run wrote no report", report);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "## ", 3))
			in = !strncmp(line, "## Probe overhead", 17);
		if (in) {
			fputs(line, stdout);
			seen = true;
		}
	}
	fclose(f);
	if (!seen) {
		errorf("%s has no \"Probe overhead\" section: was the suite run with [probes] overhead = yes?",
		       report);
		return -1;
	}
	return 0;
}

/* A suite's name for its run id: the file's base name without .conf. */
static void suite_tag(const char *suite, char *buf, size_t len)
{
	const char *b = strrchr(suite, '/');
	size_t n;

	b = b ? b + 1 : suite;
	n = strcspn(b, ".");
	snprintf(buf, len, "%.*s", (int)n, b);
}

/* Run one suite as bench-DATE-TIME-TAG and print its overhead section. */
static int bench_suite(const char *suite, const char *stamp, int argc,
		       char **argv, int nsuites)
{
	char **args = xcalloc(argc + 6, sizeof(*args));
	char run_id[128], tag[64], *report;
	const char *results;
	int n = 0, ret;

	suite_tag(suite, tag, sizeof(tag));
	snprintf(run_id, sizeof(run_id), "%s-%s", stamp, tag);
	args[n++] = "bench probes";
	args[n++] = "--suite";
	args[n++] = (char *)suite;
	args[n++] = "--run-id";
	args[n++] = run_id;
	for (int i = 0; i < argc; i++)
		args[n++] = argv[i];
	ret = cmd_lab(n, args);
	free(args);
	/* bad input (a suite, an option): no run, no report to read */
	if (ret == 2)
		return ret;
	results = opt_value(argc, argv, "--results", "-R");
	report = results ? xasprintf("%s/%s/report.md", results, run_id) :
			   xasprintf("%s/results/%s/report.md", invlab_top(),
				     run_id);
	if (nsuites > 1)
		printf("\n# %s (run %s)\n", suite, run_id);
	/* a failed cell still has its report; say what was measured */
	if (print_overhead(report) && !ret)
		ret = 1;
	free(report);
	return ret;
}

int cmd_bench(int argc, char **argv)
{
	/* per command (the sweep's unmaps), then per read (fio) */
	static const char *const defaults[] = { "probe-cost",
						"probe-overhead" };
	const char **suites = xcalloc(argc + 2, sizeof(*suites));
	char **rest = xcalloc(argc + 1, sizeof(*rest));
	char stamp[64];
	int ns = 0, nr = 0, ret = 0;
	time_t t = time(NULL);

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h") ||
		    !strcmp(argv[i], "-?")) {
			char *help[] = { "bench probes", "--help", NULL };

			printf("usage: invlab bench probes [--suite S]... [invlab lab options]\n\n"
			       "What the probes cost: one lab run per suite (default: probe-cost and probe-cost-msi, per command on the instruction clock on the lab and a stock kernel, then probe-overhead, per 4 KiB read on the wall clock), each window paired with one with every probe detached; prints each report's Probe overhead section. The runs are named bench-DATE-TIME-SUITE. Options after probes are invlab lab's:\n\n");
			fflush(stdout);
			free(suites);
			free(rest);
			return cmd_lab(2, help);
		}
	}
	if (argc < 2 || strcmp(argv[1], "probes")) {
		errorf("bench: expected \"invlab bench probes [--suite S]... [invlab lab options]\", got %s",
		       argc < 2 ? "nothing" : argv[1]);
		goto out_usage;
	}
	/* bench names its runs, and reads the reports back from those names */
	for (int i = 2; i < argc; i++) {
		if (!strncmp(argv[i], "--ru", 4) ||
		    !strncmp(argv[i], "--resum", 7) ||
		    !strncmp(argv[i], "-i", 2)) {
			errorf("bench probes: %s: the runs are named bench-DATE-TIME-SUITE by bench itself; use invlab lab --suite probe-overhead to name one or resume it",
			       argv[i]);
			goto out_usage;
		}
		if (!strcmp(argv[i], "--suite") || !strcmp(argv[i], "-s")) {
			if (i + 1 >= argc) {
				errorf("bench probes: %s needs a suite",
				       argv[i]);
				goto out_usage;
			}
			suites[ns++] = argv[++i];
		} else if (!strncmp(argv[i], "--suite=", 8)) {
			suites[ns++] = argv[i] + 8;
		} else {
			rest[nr++] = argv[i];
		}
	}
	if (!ns)
		for (size_t i = 0; i < sizeof(defaults) / sizeof(*defaults);
		     i++)
			suites[ns++] = defaults[i];
	strftime(stamp, sizeof(stamp), "bench-%Y%m%d-%H%M%S", localtime(&t));
	for (int i = 0; i < ns; i++) {
		int r;

		say("bench probes: suite %d of %d: %s", i + 1, ns, suites[i]);
		r = bench_suite(suites[i], stamp, nr, rest, ns);
		if (r > ret)
			ret = r;
		if (lab_interrupted || r == 2)
			break;
	}
	free(suites);
	free(rest);
	return ret;
out_usage:
	free(suites);
	free(rest);
	return 2;
}
