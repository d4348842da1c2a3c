// SPDX-License-Identifier: GPL-2.0
/*
 * invlab compare BASE NEW: exit 0 when nothing regressed, 1 when something
 * did, 2 when the inputs cannot be compared (so nightly CI can gate on it).
 */
#include <argp.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/atomic_file.h"
#include "commands.h"
#include "analysis/compare.h"
#include "report/report_html.h"
#include "lib/result.h"
#include "lib/util.h"

struct compare_opts {
	const char *policy, *json, *out, *html, *calibration;
	const char *side[2];
	int nside;
};

static const struct argp_option compare_options[] = {
	{ "policy", 'p', "FILE", 0,
	  "metric directions and effect sizes (default bench/policy/metrics.conf)",
	  0 },
	{ "json", 'j', "FILE", 0, "also write the comparison as JSON", 0 },
	{ "output", 'o', "FILE", 0, "write the Markdown here, not to stdout",
	  0 },
	{ "calibration", 'c', "FILE", 0,
	  "the lab's calibration (default: the base run's host's, from invlab calibrate)",
	  0 },
	{ "html", 'H', "FILE", 0,
	  "also write a self-contained HTML page with base-vs-new fan-out histograms (kept in plots/ beside it)",
	  0 },
	{ 0 }
};

static error_t compare_parse(int key, char *arg, struct argp_state *state)
{
	struct compare_opts *o = state->input;

	switch (key) {
	case 'p': o->policy = arg; break;
	case 'j': o->json = arg; break;
	case 'o': o->out = arg; break;
	case 'H': o->html = arg; break;
	case 'c': o->calibration = arg; break;
	case ARGP_KEY_ARG:
		if (o->nside == 2)
			argp_error(state, "two runs only: BASE and NEW");
		o->side[o->nside++] = arg;
		break;
	case ARGP_KEY_END:
		if (o->nside != 2)
			argp_error(
				state,
				"give BASE and NEW (run or cell directories)");
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	struct compare_opts o = { 0 };
	struct argp argp = {
		compare_options,
		compare_parse,
		"BASE NEW",
		"Compare two runs (or two cells, RUN/CELL) metric by metric. Exit status: 0 no regression, 1 regression, 2 error.",
		NULL,
		NULL,
		NULL
	};
	struct comparison c;
	struct policy p;
	char err[ERRLEN], *buf = NULL;
	size_t len = 0;
	const char *const *outs[] = { &o.out, &o.json, &o.html };
	FILE *f;
	int ret = 2;

	argp_parse(&argp, argc, argv, 0, NULL, &o);
	/* every output writable before anything is read or written */
	for (size_t i = 0; i < ARRAY_SIZE(outs); i++) {
		if (*outs[i] && output_path_check(*outs[i], err, sizeof(err))) {
			errorf("%s", err);
			return 2;
		}
	}
	if (o.html) {
		/* its plots go in plots/ beside it */
		char *d = xstrdup(o.html), *plots;
		int bad;

		plots = xasprintf("%s/plots", dirname(d));
		bad = output_dir_check(plots, err, sizeof(err));
		free(plots);
		free(d);
		if (bad) {
			errorf("--html %s: %s", o.html, err);
			return 2;
		}
	}
	if (policy_load(o.policy, &p, err, sizeof(err))) {
		errorf("%s", err);
		return 2;
	}
	if (compare_runs(o.side[0], o.side[1], &p, o.calibration, &c, err,
			 sizeof(err))) {
		errorf("%s", err);
		policy_free(&p);
		return 2;
	}
	f = open_memstream(&buf, &len);
	compare_markdown(&c, &p, f);
	fclose(f);
	if (c.problems.n) {
		/*
		 * A cell not compared is an error, whatever the others show:
		 * the comparison is shown, but written nowhere as if whole.
		 */
		if (!o.out)
			fwrite(buf, 1, len, stdout);
		for (size_t i = 0; i < c.problems.n; i++)
			errorf("not compared: %s", c.problems.v[i]);
		for (size_t i = 0; i < ARRAY_SIZE(outs); i++)
			if (*outs[i])
				errorf("not written: %s (cells were not compared)",
				       *outs[i]);
		goto done;
	}
	/* the page first: drawing its plots is what may fail */
	if (o.html && compare_html_write(&c, buf, o.html, err, sizeof(err))) {
		errorf("%s", err);
		goto out;
	}
	if (o.out) {
		int e = atomic_write(o.out, buf, len);

		if (e) {
			errorf("cannot write %s: %s", o.out, strerror(-e));
			goto out;
		}
	} else {
		fwrite(buf, 1, len, stdout);
	}
	if (o.json) {
		json_object *doc = compare_json(&c, &p);
		int e = result_write(doc, o.json);

		json_object_put(doc);
		if (e) {
			errorf("cannot write %s: %s", o.json, strerror(-e));
			goto out;
		}
	}
	ret = c.regressed ? 1 : 0;
done:
	for (size_t i = 0; i < c.unmatched.n; i++)
		fprintf(stderr, "invlab compare: note: %s\n", c.unmatched.v[i]);
	fprintf(stderr, "invlab compare: %zu regressed, %zu improved%s\n",
		c.regressed, c.improved,
		c.problems.n ? ", some cells have no result" : "");
out:
	free(buf);
	comparison_free(&c);
	policy_free(&p);
	return ret;
}
