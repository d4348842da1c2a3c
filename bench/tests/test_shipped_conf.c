// SPDX-License-Identifier: GPL-2.0
/*
 * Every INI file the tree ships loads under its reader's checks: every
 * suite (bench/suites, tests/integration/suites), every topology
 * (lab/topology), the metric policy and the probes' lists. A misspelt key
 * in any of them fails here, not in a lab run.
 */
#include "testutil.h"

#include <json-c/json.h>

#include "analysis/policy.h"
#include "bpf/fallback_probe.h"
#include "bpf/seed_paths.h"
#include "lab/topology.h"
#include "lib/conf.h"
#include "run/suite.h"

/* Paths of the *.conf files of top/rel, sorted; how many. */
static size_t conf_files(const char *rel, struct strv *out)
{
	char *dir = tu_printf("%s/%s", tu_top(), rel);
	struct dirent **de;
	int n = scandir(dir, &de, NULL, alphasort);
	size_t found = 0;

	if (n < 0)
		fail_msg("cannot list %s: %s", dir, strerror(errno));
	for (int i = 0; i < n; i++) {
		size_t len = strlen(de[i]->d_name);

		if (len > 5 && !strcmp(de[i]->d_name + len - 5, ".conf")) {
			strv_addf(out, "%s/%s", dir, de[i]->d_name);
			found++;
		}
		free(de[i]);
	}
	free(de);
	free(dir);
	return found;
}

static void load_suites(const char *rel)
{
	struct strv files = { 0 };
	char err[ERRLEN];
	struct suite s;

	assert_true(conf_files(rel, &files) > 0);
	for (size_t i = 0; i < files.n; i++) {
		err[0] = '\0';
		if (suite_load(tu_top(), files.v[i], &s, err, sizeof(err)))
			fail_msg("%s", err);
		suite_free(&s);
	}
	strv_free(&files);
}

static void test_every_bench_suite_loads(void **state)
{
	(void)state;
	load_suites("bench/suites");
}

static void test_every_integration_suite_loads(void **state)
{
	(void)state;
	load_suites("tests/integration/suites");
}

static void test_every_topology_loads(void **state)
{
	struct strv files = { 0 };
	char err[ERRLEN];
	struct conf c;

	(void)state;
	assert_true(conf_files("lab/topology", &files) > 0);
	for (size_t i = 0; i < files.n; i++) {
		err[0] = '\0';
		if (topology_load(tu_top(), files.v[i], &c, err, sizeof(err)))
			fail_msg("%s", err);
		conf_free(&c);
	}
	strv_free(&files);
}

static void test_the_policy_loads(void **state)
{
	char err[ERRLEN] = "";
	struct policy p;
	char *path = tu_printf("%s/bench/policy/metrics.conf", tu_top());

	(void)state;
	if (policy_load(path, &p, err, sizeof(err)))
		fail_msg("%s", err);
	assert_true(p.nrules > 0);
	policy_free(&p);
	free(path);
}

static void test_the_probe_lists_load(void **state)
{
	char err[ERRLEN] = "";
	char *ks = tu_write(*state, "kallsyms", "ffffffff81000000 T f\n");
	char *seeds = tu_printf("%s/bpf/seed-paths.conf", tu_top());
	char *kinds = tu_printf("%s/bpf/fnfan-fallback.conf", tu_top());
	struct strv names = { 0 };
	json_object *o;
	struct conf c;

	o = seed_paths_detect(seeds, ks, err, sizeof(err));
	if (!o)
		fail_msg("%s", err);
	json_object_put(o);
	if (fallback_probe_load(kinds, &c, &names, err, sizeof(err)))
		fail_msg("%s", err);
	assert_true(names.n > 0);
	strv_free(&names);
	conf_free(&c);
	free(kinds);
	free(seeds);
	free(ks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_bench_suite_loads),
		cmocka_unit_test(test_every_integration_suite_loads),
		cmocka_unit_test(test_every_topology_loads),
		cmocka_unit_test(test_the_policy_loads),
		tu_test_tmp(test_the_probe_lists_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
