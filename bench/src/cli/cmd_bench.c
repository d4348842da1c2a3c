// SPDX-License-Identifier: GPL-2.0
/*
 * invlab bench probes: what the probes cost. A lab run of the
 * probe-overhead suite (attached and detached windows in alternating
 * pairs), then its report's "Probe overhead" table on stdout.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "lib/util.h"

/* The value of --NAME=V, --NAME V or -S V in argv, or NULL. */
static const char *opt_value(int argc, char **argv, const char *name,
			     const char *shrt)
{
	size_t n = strlen(name);

	for (int i = 1; i < argc; i++) {
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

int cmd_bench(int argc, char **argv)
{
	char **args = xcalloc(argc + 6, sizeof(*args));
	char run_id[64], *report;
	const char *id, *results;
	int n = 0, ret;

	if (argc < 2 || strcmp(argv[1], "probes")) {
		errorf("bench: expected \"invlab bench probes [invlab lab options]\", got %s",
		       argc < 2 ? "nothing" : argv[1]);
		free(args);
		return 2;
	}
	/* bench names its run, and reads the report back from that name */
	for (int i = 2; i < argc; i++) {
		if (!strncmp(argv[i], "--ru", 4) ||
		    !strncmp(argv[i], "--resum", 7) ||
		    !strncmp(argv[i], "-i", 2)) {
			errorf("bench probes: %s: the run is named bench-DATE-TIME by bench itself; use invlab lab --suite probe-overhead to name it or resume it",
			       argv[i]);
			free(args);
			return 2;
		}
	}
	args[n++] = "bench probes";
	if (!opt_value(argc - 1, argv + 1, "--suite", "-s")) {
		args[n++] = "--suite";
		args[n++] = "probe-overhead";
	}
	{
		time_t t = time(NULL);

		strftime(run_id, sizeof(run_id), "bench-%Y%m%d-%H%M%S",
			 localtime(&t));
		args[n++] = "--run-id";
		args[n++] = run_id;
		id = run_id;
	}
	for (int i = 2; i < argc; i++)
		args[n++] = argv[i];
	ret = cmd_lab(n, args);
	free(args);
	results = opt_value(argc - 1, argv + 1, "--results", "-R");
	report = results ?
			 xasprintf("%s/%s/report.md", results, id) :
			 xasprintf("%s/results/%s/report.md", invlab_top(), id);
	/* a failed cell still has its report; say what was measured */
	if (print_overhead(report) && !ret)
		ret = 1;
	free(report);
	return ret;
}
