// SPDX-License-Identifier: GPL-2.0
/* bench/src/run/suite.h: suite_load; lib/matrix.h; the fio job per cell. */
#include "suite_tu.h"

#include "run/suite.h"
#include "workloads/fio/fio.h"
#include "workloads/hdomid-sweep/hdomid_sweep.h"

#define GOOD_WORKLOAD         \
	"[workload]\n"        \
	"type = fio\n"        \
	"job = randread-4k\n" \
	"device = serial:invlab-nvme0\n"
#define GOOD_SUITE "[suite]\nkernels = 6.12\n" GOOD_WORKLOAD

static void test_suite_smoke_loads(void **state)
{
	char err[ERRLEN] = "";
	char *job_tail = "/workloads/fio/jobs/randread-4k.fio";
	const struct fio_opts *job;
	struct suite s;
	size_t n;

	(void)state;
	if (suite_load(tu_top(), "smoke", &s, err, sizeof(err)))
		fail_msg("suite_load smoke: %s", err);
	assert_string_equal(s.name, "smoke");
	assert_int_equal(s.kernels.n, 2);
	assert_string_equal(s.kernels.v[0], "7.3");
	assert_string_equal(s.kernels.v[1], "lab");
	assert_int_equal(s.repetitions, 3);
	assert_int_equal(s.boot_timeout_s, 600);
	assert_string_equal(s.topology, "default");
	assert_string_equal(s.workload->name, "fio");
	job = s.workload_opts;
	assert_string_equal(job->job, "randread-4k");
	assert_int_equal(s.runtime_s, 10);
	assert_string_equal(s.device, "serial:invlab-nvme0");
	assert_int_equal(s.modules.n, 1);
	assert_string_equal(s.modules.v[0], "nvme");
	n = strlen(job->path);
	assert_true(n > strlen(job_tail));
	assert_string_equal(job->path + n - strlen(job_tail), job_tail);
	assert_int_equal(access(job->path, R_OK), 0);
	suite_free(&s);
}

static void test_suite_unknown_name_lists_available(void **state)
{
	char err[ERRLEN] = "";
	struct suite s;

	(void)state;
	assert_int_not_equal(
		suite_load(tu_top(), "no-such-suite", &s, err, sizeof(err)), 0);
	assert_contains(err, "no suite 'no-such-suite'");
	assert_contains(err, "bench/suites/no-such-suite.conf");
	assert_contains(err, "smoke");
	assert_contains(err, "itest");
	suite_free(&s);
}

static void test_suite_by_path_with_defaults(void **state)
{
	char err[ERRLEN] = "";
	struct suite s;
	char *path;

	if (tu_suite_load(*state, GOOD_SUITE, &s, err, sizeof(err), &path))
		fail_msg("suite_load %s: %s", path, err);
	assert_string_equal(s.name, "mine");
	assert_string_equal(s.path, path);
	assert_int_equal(s.kernels.n, 1);
	assert_string_equal(s.kernels.v[0], "6.12");
	assert_int_equal(s.repetitions, 3);
	assert_int_equal(s.boot_timeout_s, 900);
	assert_int_equal(s.runtime_s, 10);
	assert_string_equal(s.topology, "default");
	assert_string_equal(s.description, "");
	assert_int_equal(s.modules.n, 0);
	suite_free(&s);
	free(path);
}

static void test_suite_kernels_split_on_commas_and_spaces(void **state)
{
	char err[ERRLEN] = "";
	struct suite s;
	char *path;

	if (tu_suite_load(*state,
			  "[suite]\nkernels = 6.12, 7.3,7.4\n"
			  "[workload]\ntype = fio\njob = randread-4k\n"
			  "device = /dev/nvme0n1\n",
			  &s, err, sizeof(err), &path))
		fail_msg("suite_load %s: %s", path, err);
	assert_int_equal(s.kernels.n, 3);
	assert_string_equal(s.kernels.v[0], "6.12");
	assert_string_equal(s.kernels.v[1], "7.3");
	assert_string_equal(s.kernels.v[2], "7.4");
	suite_free(&s);
	free(path);
}

static void test_suite_missing_kernels_is_an_error(void **state)
{
	tu_suite_error(*state,
		       "[suite]\nrepetitions = 2\n[workload]\ntype = fio\n"
		       "job = randread-4k\ndevice = serial:x\n",
		       "[suite] needs kernels");
}

static void test_suite_zero_repetitions_is_an_error(void **state)
{
	tu_suite_error(
		*state,
		"[suite]\nkernels = 6.12\nrepetitions = 0\n" GOOD_WORKLOAD,
		"[suite] repetitions = 0");
}

static void test_suite_short_boot_timeout_is_an_error(void **state)
{
	tu_suite_error(
		*state,
		"[suite]\nkernels = 6.12\nboot_timeout = 5\n" GOOD_WORKLOAD,
		"[suite] boot_timeout = 5");
}

static void test_suite_unknown_workload_type_is_an_error(void **state)
{
	tu_suite_error(*state,
		       "[suite]\nkernels = 6.12\n[workload]\ntype = spdk\n"
		       "job = randread-4k\ndevice = serial:x\n",
		       "[workload] type = spdk");
}

static void test_suite_job_without_file_is_an_error(void **state)
{
	tu_suite_error(*state,
		       "[suite]\nkernels = 6.12\n[workload]\ntype = fio\n"
		       "job = no-such-job\ndevice = serial:x\n",
		       "[workload] job = no-such-job");
	tu_suite_error(*state,
		       "[suite]\nkernels = 6.12\n[workload]\ntype = fio\n"
		       "job = no-such-job\ndevice = serial:x\n",
		       "workloads/fio/jobs/no-such-job.fio");
}

static void test_suite_missing_device_is_an_error(void **state)
{
	tu_suite_error(*state,
		       "[suite]\nkernels = 6.12\n[workload]\ntype = fio\n"
		       "job = randread-4k\n",
		       "[workload] needs device");
}

static void test_suite_missing_file_by_path_is_an_error(void **state)
{
	char err[ERRLEN] = "";
	char *path = tu_printf("%s/absent.conf", (char *)*state);
	struct suite s;

	assert_int_not_equal(suite_load(tu_top(), path, &s, err, sizeof(err)),
			     0);
	assert_contains(err, path);
	suite_free(&s);
	free(path);
}

/* What conf_check finds in a suite: the file and line, and a near miss. */
static void test_suite_unknown_keys_and_sections_named(void **state)
{
	tu_suite_error(
		*state,
		"[suite]\nkernels = 6.12\nrepetitons = 7\n" GOOD_WORKLOAD,
		"mine.conf:3: [suite] unknown key 'repetitons' (did you "
		"mean 'repetitions'?)");
	tu_suite_error(*state, "[suit]\nkernels = 6.12\n" GOOD_WORKLOAD,
		       "mine.conf:1: unknown section [suit] (did you mean "
		       "[suite]?)");
	tu_suite_error(*state, GOOD_SUITE "[probe]\ntrace = yes\n",
		       "mine.conf:7: unknown section [probe] (did you mean "
		       "[probes]?)");
	tu_suite_error(*state, GOOD_SUITE "[checks]\ntracepionts = yes\n",
		       "mine.conf:8: [checks] unknown key 'tracepionts' (did "
		       "you mean 'tracepoints'?)");
	/* a workload's own keys come from its ops */
	tu_suite_error(
		*state,
		"[suite]\nkernels = 6.12\n[workload]\ntype = fio\n"
		"jbo = randread-4k\ndevice = x\n",
		"mine.conf:5: [workload] unknown key 'jbo' (did you mean "
		"'job'?)");
	tu_suite_error(*state,
		       "[suite]\nkernels = 6.12\n[workload]\n"
		       "type = msi-storm\ndevice = 0000:00:05.0\n"
		       "job = randread-4k\n",
		       "mine.conf:6: [workload] unknown key 'job' (expected "
		       "type, device, modules, runtime, vectors, cycles, rate "
		       "or function)");
	/* a misspelt type is named as such, not as a missing one */
	tu_suite_error(*state,
		       "[suite]\nkernels = 6.12\n[workload]\ntpye = fio\n"
		       "job = randread-4k\ndevice = x\n",
		       "mine.conf:4: [workload] unknown key 'tpye' (did you "
		       "mean 'type'?)");
	tu_suite_error(
		*state,
		"[suite]\nkernels = 6.12\ntopology = defualt\n" GOOD_WORKLOAD,
		"mine.conf:3: [suite] topology = defualt: no "
		"lab/topology/defualt.conf");
}

static void test_suite_duplicates_named(void **state)
{
	tu_suite_error(*state,
		       "[suite]\nkernels = 6.12\nrepetitions = 3\n"
		       "repetitions = 5\n" GOOD_WORKLOAD,
		       "mine.conf:4: [suite] repetitions given twice (first at "
		       "line 3)");
	tu_suite_error(
		*state, "[suite]\nkernels = 6.12 7.3 6.12\n" GOOD_WORKLOAD,
		"mine.conf:2: [suite] kernels = 6.12 7.3 6.12: 6.12 given "
		"twice");
	tu_suite_error(
		*state,
		"[suite]\nkernels = 6.12\n[matrix]\nbs = 4k 64k 4k\n" GOOD_WORKLOAD,
		"mine.conf:4: [matrix] bs = 4k 64k 4k: 4k given twice");
	tu_suite_error(
		*state,
		"[suite]\nkernels = 6.12\n[matrix]\nbs = 4k\nbs = 8k\n" GOOD_WORKLOAD,
		"mine.conf:5: [matrix] bs given twice (first at line 4)");
	tu_suite_error(*state, "[suite]\nkernels = ,\n" GOOD_WORKLOAD,
		       "mine.conf:2: [suite] kernels = ,: no kernel labels");
	tu_suite_error(
		*state, GOOD_SUITE "modules = nvme nvme\n",
		"mine.conf:7: [workload] modules = nvme nvme: nvme given "
		"twice");
}

static void test_suite_bad_numbers_name_the_range(void **state)
{
	tu_suite_error(
		*state,
		"[suite]\nkernels = 6.12\nrepetitions = -1\n" GOOD_WORKLOAD,
		"mine.conf:3: [suite] repetitions = -1: expected a whole "
		"number from 1 to 1000");
	tu_suite_error(*state,
		       "[suite]\nkernels = 6.12\nwarmup = 1.5\n" GOOD_WORKLOAD,
		       "mine.conf:3: [suite] warmup = 1.5: expected a whole "
		       "number from 0 to 100");
	tu_suite_error(
		*state, GOOD_SUITE "runtime = 10s\n",
		"mine.conf:7: [workload] runtime = 10s: expected a whole "
		"number from 1 to 86400");
	tu_suite_error(
		*state,
		"[suite]\nkernels = 6.12\nboots = 99999999999999999999\n" GOOD_WORKLOAD,
		"mine.conf:3: [suite] boots = 99999999999999999999: "
		"expected a whole number from 1 to 100");
}

static void test_suite_checks_default_off(void **state)
{
	char err[ERRLEN] = "";
	struct suite s;
	char *path;

	if (tu_suite_load(*state, GOOD_SUITE, &s, err, sizeof(err), &path))
		fail_msg("suite_load %s: %s", path, err);
	assert_false(s.check_tracepoints);
	assert_false(s.check_intremap);
	assert_null(s.check_nest_parent);
	assert_int_equal(s.check_reads, 256);
	suite_free(&s);
	free(path);
}

static void test_suite_checks_parsed(void **state)
{
	char err[ERRLEN] = "";
	struct suite s;
	char *path;

	if (tu_suite_load(*state,
			  GOOD_SUITE
			  "[checks]\ntracepoints = yes\nreads = 100\n"
			  "interrupt_remapping = on\n"
			  "nest_parent = 0000:00:05.0\n",
			  &s, err, sizeof(err), &path))
		fail_msg("suite_load %s: %s", path, err);
	assert_true(s.check_tracepoints);
	assert_true(s.check_intremap);
	assert_int_equal(s.check_reads, 100);
	assert_string_equal(s.check_nest_parent, "0000:00:05.0");
	suite_free(&s);
	free(path);
}

static void test_suite_bad_checks_are_errors(void **state)
{
	tu_suite_error(*state, GOOD_SUITE "[checks]\ntracepoints = maybe\n",
		       "[checks] tracepoints = maybe");
	tu_suite_error(*state, GOOD_SUITE "[checks]\nreads = 0\n",
		       "[checks] reads = 0");
	/* Only a full address: a short one could match the wrong device. */
	tu_suite_error(*state, GOOD_SUITE "[checks]\nnest_parent = 00:05.0\n",
		       "[checks] nest_parent = 00:05.0");
	tu_suite_error(*state,
		       GOOD_SUITE "[checks]\nnest_parent = 0000:00:05.0x\n",
		       "expected a full PCI address");
}

#define MATRIX_SUITE                                             \
	"[suite]\nkernels = 6.12 lab\nwarmup = 2\n"              \
	"[matrix]\nbs = 4k 64k\niodepth = 1 8 32\nnumjobs = 1\n" \
	"[workload]\ntype = fio\njob = randread-4k\ndevice = /dev/x\n"

static void test_suite_matrix_combinations_first_slowest(void **state)
{
	char err[ERRLEN] = "", *path, *c;
	struct suite s;

	if (tu_suite_load(*state, MATRIX_SUITE, &s, err, sizeof(err), &path))
		fail_msg("suite_load %s: %s", path, err);
	assert_int_equal(s.warmup, 2);
	assert_int_equal(s.matrix.n, 3);
	assert_int_equal(matrix_combinations(&s.matrix), 6);
	c = matrix_combination(&s.matrix, 0);
	assert_string_equal(c, "bs=4k,iodepth=1,numjobs=1");
	free(c);
	c = matrix_combination(&s.matrix, 2);
	assert_string_equal(c, "bs=4k,iodepth=32,numjobs=1");
	free(c);
	c = matrix_combination(&s.matrix, 5);
	assert_string_equal(c, "bs=64k,iodepth=32,numjobs=1");
	free(c);
	suite_free(&s);
	free(path);
}

static void test_suite_without_matrix_has_one_empty_combination(void **state)
{
	char err[ERRLEN] = "", *path, *c;
	struct strv kv = { 0 };
	struct suite s;

	if (tu_suite_load(*state, GOOD_SUITE, &s, err, sizeof(err), &path))
		fail_msg("suite_load %s: %s", path, err);
	assert_int_equal(matrix_combinations(&s.matrix), 1);
	c = matrix_combination(&s.matrix, 0);
	assert_string_equal(c, "");
	assert_int_equal(matrix_parse_combination(&s.matrix, NULL, &kv, err,
						  sizeof(err)),
			 0);
	assert_int_equal(kv.n, 0);
	assert_int_not_equal(matrix_parse_combination(&s.matrix, "bs=4k", &kv,
						      err, sizeof(err)),
			     0);
	free(c);
	suite_free(&s);
	free(path);
}

static void test_suite_parse_combination_checks_matrix(void **state)
{
	char err[ERRLEN] = "", *path;
	struct strv kv = { 0 };
	struct suite s;

	if (tu_suite_load(*state, MATRIX_SUITE, &s, err, sizeof(err), &path))
		fail_msg("suite_load %s: %s", path, err);
	assert_int_equal(matrix_parse_combination(&s.matrix, "iodepth=8,bs=64k",
						  &kv, err, sizeof(err)),
			 0);
	/* in matrix order, single-valued parameters filled in */
	assert_int_equal(kv.n, 3);
	assert_string_equal(kv.v[0], "bs=64k");
	assert_string_equal(kv.v[1], "iodepth=8");
	assert_string_equal(kv.v[2], "numjobs=1");
	strv_free(&kv);
	assert_int_not_equal(matrix_parse_combination(&s.matrix, "bs=64k", &kv,
						      err, sizeof(err)),
			     0);
	assert_contains(err, "sweeps iodepth");
	assert_int_not_equal(matrix_parse_combination(&s.matrix,
						      "bs=8k,iodepth=1", &kv,
						      err, sizeof(err)),
			     0);
	assert_contains(err, "bs=8k is not one of the values");
	assert_int_not_equal(matrix_parse_combination(&s.matrix,
						      "bs=4k,bs=64k,iodepth=1",
						      &kv, err, sizeof(err)),
			     0);
	assert_contains(err, "bs given twice");
	assert_int_not_equal(matrix_parse_combination(&s.matrix, "size=1,bs=4k",
						      &kv, err, sizeof(err)),
			     0);
	assert_contains(err, "'size' is not a parameter");
	strv_free(&kv);
	suite_free(&s);
	free(path);
}

static void test_suite_matrix_bad_values_named(void **state)
{
	char err[ERRLEN] = "", *path;
	struct suite s;

	assert_int_not_equal(
		tu_suite_load(
			*state,
			"[suite]\nkernels = lab\n[matrix]\nbs = 4k a/b\n"
			"[workload]\ntype = fio\njob = randread-4k\ndevice = x\n",
			&s, err, sizeof(err), &path),
		0);
	assert_contains(err, "mine.conf:4: [matrix] bs = 4k a/b: value 'a/b'");
	assert_contains(err, path);
	free(path);
	assert_int_not_equal(
		tu_suite_load(
			*state,
			"[suite]\nkernels = lab\n[matrix]\nBS = 4k\n"
			"[workload]\ntype = fio\njob = randread-4k\ndevice = x\n",
			&s, err, sizeof(err), &path),
		0);
	assert_contains(err, "mine.conf:4: [matrix] BS = 4k: parameter names");
	free(path);
}

static void test_suite_hdomid_sweep_loads(void **state)
{
	char err[ERRLEN] = "", *path;
	struct suite s;

	if (tu_suite_load(
		    *state,
		    "[suite]\nkernels = lab-nest\n[matrix]\nhdomids = 1 64\n"
		    "viommus = 2\n[workload]\ntype = hdomid-sweep\n"
		    "device = 0000:00:07.0\ncycles = 20\nsize = 8192\n",
		    &s, err, sizeof(err), &path))
		fail_msg("suite_load %s: %s", path, err);
	assert_string_equal(s.workload->name, "hdomid-sweep");
	assert_string_equal(s.device, "0000:00:07.0");
	assert_ptr_equal(s.workload, workload_find("hdomid-sweep"));
	assert_int_equal(((struct hdomid_sweep_opts *)s.workload_opts)->cycles,
			 20);
	assert_int_equal(((struct hdomid_sweep_opts *)s.workload_opts)->size,
			 8192);
	suite_free(&s);
	free(path);
}

static void test_suite_hdomid_sweep_bad_inputs_named(void **state)
{
	char err[ERRLEN] = "", *path;
	struct suite s;

	assert_int_not_equal(
		tu_suite_load(*state,
			      "[suite]\nkernels = lab-nest\n[workload]\n"
			      "type = hdomid-sweep\ndevice = /dev/nvme0n1\n",
			      &s, err, sizeof(err), &path),
		0);
	assert_contains(err, "needs a full PCI address");
	free(path);
	assert_int_not_equal(
		tu_suite_load(
			*state,
			"[suite]\nkernels = lab-nest\n[workload]\n"
			"type = hdomid-sweep\ndevice = 0000:00:07.0\nsize = 5000\n",
			&s, err, sizeof(err), &path),
		0);
	assert_contains(err, "size = 5000: a multiple of 4096");
	free(path);
	assert_int_not_equal(
		tu_suite_load(*state,
			      "[suite]\nkernels = lab\n[workload]\ntype = spdk\n"
			      "device = x\n",
			      &s, err, sizeof(err), &path),
		0);
	assert_contains(err, "type = spdk: expected fio, hdomid-sweep");
	free(path);
}

static void test_suite_job_names_matrix_parameter(void **state)
{
	char err[ERRLEN] = "", *path;
	struct strv kv = { 0 };
	struct fio_opts cell;
	struct suite s;

	if (tu_suite_load(
		    *state,
		    "[suite]\nkernels = lab lab-lazy\n[matrix]\n"
		    "iopath = block passthru\nbs = 4k\n[workload]\ntype = fio\n"
		    "job = nvme-${IOPATH}\ndevice = serial:x\n",
		    &s, err, sizeof(err), &path))
		fail_msg("suite_load %s: %s", path, err);
	/* no file until a cell picks one */
	assert_string_equal(((struct fio_opts *)s.workload_opts)->path, "");
	if (matrix_parse_combination(&s.matrix, "iopath=passthru", &kv, err,
				     sizeof(err)) ||
	    fio_pick_job(tu_top(), s.workload_opts, &kv, &cell, err,
			 sizeof(err)))
		fail_msg("%s", err);
	assert_string_equal(cell.job, "nvme-passthru");
	assert_non_null(
		strstr(cell.path, "/workloads/fio/jobs/nvme-passthru.fio"));
	strv_free(&kv);
	suite_free(&s);
	free(path);
}

static void test_suite_job_template_errors_name_the_point(void **state)
{
	char err[ERRLEN] = "", *path;
	struct suite s;

	assert_int_not_equal(
		tu_suite_load(
			*state,
			"[suite]\nkernels = lab\n[matrix]\niopath = block spdk\n"
			"[workload]\ntype = fio\njob = nvme-${IOPATH}\n"
			"device = serial:x\n",
			&s, err, sizeof(err), &path),
		0);
	assert_contains(err, "at iopath=spdk there is no");
	assert_contains(err, "nvme-spdk.fio");
	free(path);
	assert_int_not_equal(
		tu_suite_load(*state,
			      "[suite]\nkernels = lab\n[matrix]\nbs = 4k\n"
			      "[workload]\ntype = fio\njob = nvme-${IOPATH}\n"
			      "device = serial:x\n",
			      &s, err, sizeof(err), &path),
		0);
	assert_contains(err, "names a parameter the [matrix] does not have");
	free(path);
}

static void test_suite_trace_option(void **state)
{
	char err[ERRLEN] = "", *path;
	struct suite s;

	if (tu_suite_load(
		    *state,
		    "[suite]\nkernels = lab\n[probes]\ntrace = yes\n"
		    "[workload]\ntype = fio\njob = randread-4k\ndevice = x\n",
		    &s, err, sizeof(err), &path))
		fail_msg("suite_load %s: %s", path, err);
	assert_true(s.trace_events);
	/* waits for buffer space are counted, timed only when asked: the
	 * timing costs a hook per command
	 */
	assert_false(s.queue_wait_time);
	assert_false(s.domain_ids);
	suite_free(&s);
	free(path);
	if (tu_suite_load(*state,
			  "[suite]\nkernels = 7.3\n[probes]\nfallback = no\n"
			  "[workload]\ntype = fio\njob = randread-4k\n"
			  "device = x\n",
			  &s, err, sizeof(err), &path))
		fail_msg("suite_load %s: %s", path, err);
	assert_false(s.fallback_fanout);
	assert_false(s.queue_wait_time);
	suite_free(&s);
	free(path);
	if (tu_suite_load(*state,
			  "[suite]\nkernels = 7.3\n[probes]\n"
			  "queue_wait_time = yes\ndomain_ids = yes\n"
			  "[workload]\ntype = fio\n"
			  "job = randread-4k\ndevice = x\n",
			  &s, err, sizeof(err), &path))
		fail_msg("suite_load %s: %s", path, err);
	assert_true(s.queue_wait_time);
	assert_true(s.domain_ids);
	assert_true(s.fallback_fanout);
	suite_free(&s);
	free(path);
	assert_int_not_equal(
		tu_suite_load(*state,
			      "[suite]\nkernels = lab\n[probes]\ntrace = yes\n"
			      "overhead = yes\n[workload]\ntype = fio\n"
			      "job = randread-4k\ndevice = x\n",
			      &s, err, sizeof(err), &path),
		0);
	assert_contains(err, "overhead = yes: with trace or perf_record");
	free(path);
	assert_int_not_equal(
		tu_suite_load(
			*state,
			"[suite]\nkernels = lab\n[probes]\ntrace = maybe\n"
			"[workload]\ntype = fio\njob = randread-4k\ndevice = x\n",
			&s, err, sizeof(err), &path),
		0);
	assert_contains(err, "[probes] trace = maybe: expected yes or no");
	free(path);
}

static void test_matrix_expand(void **state)
{
	struct strv kv = { 0 };
	char *t;

	(void)state;
	strv_add(&kv, "iopath=block");
	strv_add(&kv, "bs=64k");
	t = matrix_expand("nvme-${IOPATH}-${BS}", &kv);
	assert_string_equal(t, "nvme-block-64k");
	free(t);
	t = matrix_expand("plain", &kv);
	assert_string_equal(t, "plain");
	free(t);
	assert_null(matrix_expand("x-${NOPE}", &kv));
	assert_null(matrix_expand("x-${IOPATH", &kv));
	strv_free(&kv);
}

#define SWEEP                                                            \
	"[suite]\nkernels = lab-nest\n[workload]\ntype = hdomid-sweep\n" \
	"device = 0000:00:07.0\n"

static void test_suite_neighbour(void **state)
{
	char err[ERRLEN] = "", *path;
	struct suite s;

	assert_int_equal(tu_suite_load(*state,
				       SWEEP "[neighbour]\ntype = fio\n"
					     "job = randread-4k\n"
					     "device = serial:invlab-nvme0\n",
				       &s, err, sizeof(err), &path),
			 0);
	assert_contains(s.neighbour_job, "workloads/fio/jobs/randread-4k.fio");
	assert_string_equal(s.neighbour_device, "serial:invlab-nvme0");
	assert_int_equal(s.neighbour_ramp_ms, 500);
	suite_free(&s);
	free(path);
	assert_int_equal(
		tu_suite_load(*state, SWEEP, &s, err, sizeof(err), &path), 0);
	assert_null(s.neighbour_job);
	suite_free(&s);
	free(path);
	tu_suite_error(*state,
		       SWEEP "[neighbour]\ntype = dpdk\njob = randread-4k\n"
			     "device = serial:x\n",
		       "[neighbour] type");
	tu_suite_error(*state,
		       SWEEP "[neighbour]\ntype = fio\njob = ../../etc/x\n"
			     "device = serial:x\n",
		       "[neighbour] job");
	tu_suite_error(*state,
		       SWEEP "[neighbour]\ntype = fio\njob = randread-4k\n",
		       "[neighbour] needs device");
	tu_suite_error(*state,
		       SWEEP "[neighbour]\ntype = fio\njob = randread-4k\n"
			     "device = 0000:00:07.0\n",
		       "a neighbour needs another");
	tu_suite_error(*state,
		       SWEEP "[neighbour]\ntype = fio\njob = randread-4k\n"
			     "device = serial:x\nramp_ms = -1\n",
		       "ramp_ms");
	tu_suite_error(*state,
		       SWEEP "[neighbour]\ntype = fio\njob = randread-4k\n"
			     "device = serial:x\nrmap_ms = 5\n",
		       "did you mean 'ramp_ms'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suite_smoke_loads),
		tu_test_tmp(test_suite_unknown_keys_and_sections_named),
		tu_test_tmp(test_suite_duplicates_named),
		tu_test_tmp(test_suite_bad_numbers_name_the_range),
		tu_test_tmp(test_suite_checks_default_off),
		tu_test_tmp(test_suite_checks_parsed),
		tu_test_tmp(test_suite_bad_checks_are_errors),
		cmocka_unit_test(test_suite_unknown_name_lists_available),
		tu_test_tmp(test_suite_by_path_with_defaults),
		tu_test_tmp(test_suite_kernels_split_on_commas_and_spaces),
		tu_test_tmp(test_suite_missing_kernels_is_an_error),
		tu_test_tmp(test_suite_zero_repetitions_is_an_error),
		tu_test_tmp(test_suite_short_boot_timeout_is_an_error),
		tu_test_tmp(test_suite_unknown_workload_type_is_an_error),
		tu_test_tmp(test_suite_job_without_file_is_an_error),
		tu_test_tmp(test_suite_missing_device_is_an_error),
		tu_test_tmp(test_suite_missing_file_by_path_is_an_error),
		tu_test_tmp(test_suite_matrix_combinations_first_slowest),
		tu_test_tmp(
			test_suite_without_matrix_has_one_empty_combination),
		tu_test_tmp(test_suite_parse_combination_checks_matrix),
		tu_test_tmp(test_suite_matrix_bad_values_named),
		tu_test_tmp(test_suite_hdomid_sweep_loads),
		tu_test_tmp(test_suite_hdomid_sweep_bad_inputs_named),
		tu_test_tmp(test_suite_job_names_matrix_parameter),
		tu_test_tmp(test_suite_job_template_errors_name_the_point),
		cmocka_unit_test(test_matrix_expand),
		tu_test_tmp(test_suite_trace_option),
		tu_test_tmp(test_suite_neighbour),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
