// SPDX-License-Identifier: GPL-2.0
/* invlab report RUN_DIR: (re)write RUN_DIR/report.md and report.html. */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "report/report.h"
#include "report/report_html.h"
#include "lib/util.h"

error_t run_dir_parse(int key, char *arg, struct argp_state *state)
{
	const char **dir = state->input;

	switch (key) {
	case ARGP_KEY_ARG:
		if (*dir)
			argp_error(state, "one run directory only");
		*dir = arg;
		break;
	case ARGP_KEY_END:
		if (!*dir)
			argp_error(state, "which run? give its directory");
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const char *parse_run_dir(int argc, char **argv, const char *doc)
{
	struct argp argp = { .parser = run_dir_parse,
			     .args_doc = "RUN_DIR",
			     .doc = doc };
	const char *dir = NULL;

	argp_parse(&argp, argc, argv, 0, NULL, &dir);
	return dir;
}

int cmd_report(int argc, char **argv)
{
	const char *dir = parse_run_dir(
		argc, argv,
		"Write RUN_DIR/report.md and RUN_DIR/report.html (with plots, in RUN_DIR/plots/) from the run's results.");
	char err[ERRLEN], *path;
	int ret;

	path = xasprintf("%s/report.md", dir);
	ret = report_write(dir, path, err, sizeof(err));
	if (ret) {
		errorf("%s", err);
	} else {
		printf("%s\n", path);
		/* The same report as one HTML page, with its plots. */
		ret = report_html_write(dir, err, sizeof(err));
		if (ret)
			errorf("%s", err);
		else
			printf("%s/report.html\n", dir);
	}
	free(path);
	return ret ? 2 : 0;
}
