// SPDX-License-Identifier: GPL-2.0
/*
 * invlab doctor: can this machine run invlab, or a suite? One line an
 * item, ok / reduced / missing with the fix (bench/src/run/doctor.h).
 * Exit 0 when nothing is missing, 1 when something is, 2 on bad input.
 */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "lib/atomic_file.h"
#include "lib/matrix.h"
#include "lib/util.h"
#include "run/doctor.h"
#include "run/suite.h"

struct doctor_cli {
	struct doctor_opts o;
	const char *suite, *params, *json;
};

static const struct argp_option doctor_options[] = {
	{ "suite", 's', "NAME", 0,
	  "check what this suite needs too (bench/suites/NAME.conf or a path)",
	  0 },
	{ "params", 'P', "NAME=VALUE,...", 0,
	  "the [matrix] point (default: every value of its module.* knobs)",
	  0 },
	{ "device", 'd', "DEV", 0, "the device run would get with --device",
	  0 },
	{ "allow-rebind", 'B', "PCI", 0, "as invlab run's", 0 },
	{ "allow-knob", 'K', "MOD.PARAM,...", 0, "as invlab run's", 0 },
	{ "out", 'o', "DIR", 0,
	  "where the results will go (free space; default: the work tree's results/)",
	  0 },
	{ "no-attach", 'n', 0, 0,
	  "do not attach the probes (attach-ability is checked by default)",
	  0 },
	{ "json", 'j', "FILE", 0, "also write the items as JSON", 0 },
	{ 0 }
};

static error_t doctor_parse(int key, char *arg, struct argp_state *state)
{
	struct doctor_cli *c = state->input;

	switch (key) {
	case 's': c->suite = arg; break;
	case 'P': c->params = arg; break;
	case 'd': c->o.device = arg; break;
	case 'B': c->o.allow_rebind = arg; break;
	case 'K': c->o.allow_knobs = arg; break;
	case 'o': c->o.out_dir = arg; break;
	case 'n': c->o.attach = false; break;
	case 'j': c->json = arg; break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument %s", arg);
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int cmd_doctor(int argc, char **argv)
{
	struct doctor_cli c = { .o = { .root = "", .attach = true } };
	struct argp argp = {
		doctor_options,
		doctor_parse,
		NULL,
		"Check whether this machine can run invlab (with --suite: that suite), item by item: ok, reduced (runs, measuring less: what it costs) or missing (how to fix it). Exit 0 when nothing is missing, 1 when something is, 2 on bad input.",
		NULL,
		NULL,
		NULL
	};
	struct suite s = { 0 };
	struct strv kv = { 0 };
	struct doctor d;
	char err[ERRLEN], *out = NULL, *text;
	size_t missing;
	int ret = 2;

	argp_parse(&argp, argc, argv, 0, NULL, &c);
	if (c.suite) {
		if (suite_load(invlab_top(), c.suite, &s, err, sizeof(err))) {
			errorf("%s", err);
			return 2;
		}
		if (c.params ? matrix_parse_combination(&s.matrix, c.params,
							&kv, err, sizeof(err)) :
			       (doctor_all_values(&s.matrix, &kv), 0)) {
			errorf("%s", err);
			goto out;
		}
		c.o.s = &s;
		c.o.params = &kv;
	}
	if (!c.o.out_dir)
		c.o.out_dir = out = xasprintf("%s/results", invlab_top());
	missing = doctor_run(&c.o, &d);
	printf("invlab doctor: %s%s%s\n",
	       d.lab_guest ? "a QEMU lab guest" : "this host",
	       c.suite ? ", suite " : "", c.suite ? s.name : "");
	doctor_print(&d, stdout);
	if (missing)
		printf("%zu item(s) missing: %s cannot run here\n", missing,
		       c.suite ? s.name : "invlab");
	else
		printf("nothing missing: %s can run here\n",
		       c.suite ? s.name : "invlab");
	ret = missing ? 1 : 0;
	if (c.json) {
		json_object *j = doctor_json(&d);

		text = (char *)json_object_to_json_string_ext(
			j, JSON_C_TO_STRING_PRETTY);
		if (atomic_write(c.json, text, strlen(text))) {
			errorf("cannot write %s", c.json);
			ret = 2;
		}
		json_object_put(j);
	}
	doctor_free(&d);
out:
	free(out);
	strv_free(&kv);
	if (c.suite)
		suite_free(&s);
	return ret;
}
