// SPDX-License-Identifier: GPL-2.0
/*
 * The DPDK workload's pure parts: reading testpmd's and dpdk-memhp's output
 * (workloads/dpdk/testpmd_parse.c; the fixtures are real transcripts from a
 * lab guest) and its [workload] loader (workloads/dpdk/dpdk.c).
 */
#include "suite_tu.h"

#include "workloads/dpdk/dpdk.h"
#include "run/suite.h"
#include "workloads/dpdk/testpmd_parse.h"

#ifndef ERRLEN
#define ERRLEN 1024
#endif

static void test_fwd_stats_from_real_testpmd(void **state)
{
	char *path = tu_fixture("dpdk/testpmd-txonly.log");
	char *text = tu_read(path);
	struct testpmd_fwd_stats st;
	char line[256];

	(void)state;
	assert_int_equal(testpmd_parse_fwd_stats(text, &st), 0);
	assert_true(st.tx_packets == 2469920ULL);
	assert_true(st.tx_dropped == 0 && st.rx_packets == 0);
	/* a whole clean session says nothing failed */
	assert_false(testpmd_failure(text, line, sizeof(line)));
	free(text);
	free(path);
}

static void test_fwd_stats_takes_the_last_block(void **state)
{
	const char *two =
		"  +++++++++++++++ Accumulated forward statistics for all ports+++\n"
		"  RX-packets: 1              RX-dropped: 2             RX-total: 3\n"
		"  TX-packets: 4              TX-dropped: 5             TX-total: 9\n"
		"  +++++++++++++++ Accumulated forward statistics for all ports+++\n"
		"  RX-packets: 10             RX-dropped: 0             RX-total: 10\n"
		"  TX-packets: 77             TX-dropped: 1             TX-total: 78\n";
	struct testpmd_fwd_stats st;

	(void)state;
	assert_int_equal(testpmd_parse_fwd_stats(two, &st), 0);
	assert_true(st.tx_packets == 77 && st.tx_dropped == 1 &&
		    st.rx_packets == 10);
	assert_int_not_equal(testpmd_parse_fwd_stats("Done.\n", &st), 0);
	/* a block cut short is no result */
	assert_int_not_equal(
		testpmd_parse_fwd_stats(
			"Accumulated forward statistics\n  RX-packets: 1\n",
			&st),
		0);
}

static void test_failures_named(void **state)
{
	char line[256];

	(void)state;
	assert_true(testpmd_failure("port start 0\nFail to start port 0\n",
				    line, sizeof(line)));
	assert_string_equal(line, "Fail to start port 0");
	assert_true(testpmd_failure("show port info 0\nInvalid port 0\n", line,
				    sizeof(line)));
	assert_string_equal(line, "Invalid port 0");
	assert_true(testpmd_failure("testpmd: No probed ethernet devices\n",
				    line, sizeof(line)));
	assert_true(testpmd_failure("No probed ethernet devices\n", line,
				    sizeof(line)));
	assert_false(testpmd_failure("port stop 0\nStopping ports...\nDone\n",
				     line, sizeof(line)));
}

static void test_memhp_replies(void **state)
{
	char *path = tu_fixture("dpdk/memhp.log");
	char *text = tu_read(path), *at;
	struct memhp_step st;

	(void)state;
	at = strstr(text, "map ok");
	assert_non_null(at);
	assert_int_equal(memhp_parse_reply(at, "map", &st), 0);
	assert_true(st.us == 36835.6 && st.events == 1 &&
		    st.bytes == 18874368ULL);
	at = strstr(text, "unmap ok");
	assert_int_equal(memhp_parse_reply(at, "unmap", &st), 0);
	assert_true(st.us == 17174.1 && st.bytes == 18874368ULL);
	/* "unmap ok" is not a "map" reply, an error line is neither */
	assert_int_not_equal(
		memhp_parse_reply("unmap ok us=1.0 events=1 bytes=2097152\n",
				  "map", &st),
		0);
	assert_int_not_equal(
		memhp_parse_reply("map failed: rte_malloc of 64 MiB\n", "map",
				  &st),
		0);
	assert_int_not_equal(memhp_parse_reply("map ok us=x\n", "map", &st), 0);
	free(text);
	free(path);
}

#define DPDK_HEAD "[suite]\nkernels = 7.3 lab\n[workload]\ntype = dpdk\n"

static void test_dpdk_suite_defaults(void **state)
{
	char err[ERRLEN] = "", *path;
	struct dpdk_opts *d;
	struct suite s;

	if (tu_suite_load(*state, DPDK_HEAD "device = 0000:00:05.0\n", &s, err,
			  sizeof(err), &path))
		fail_msg("suite_load %s: %s", path, err);
	assert_ptr_equal(s.workload, workload_find("dpdk"));
	d = s.workload_opts;
	assert_string_equal(d->testpmd, "dpdk-testpmd");
	assert_string_equal(d->lcores, "0-1");
	assert_int_equal(d->hugepages, 256);
	assert_int_equal(d->memhp_mb, 64);
	assert_int_equal(d->rxd, 256);
	assert_int_equal(d->interrupt_after_s, 0);
	suite_free(&s);
	free(path);
	/* the shipped suites load */
	assert_int_equal(suite_load(tu_top(), "dpdk", &s, err, sizeof(err)), 0);
	suite_free(&s);
	assert_int_equal(suite_load(tu_top(),
				    "tests/integration/suites/dpdk.conf", &s,
				    err, sizeof(err)),
			 0);
	suite_free(&s);
	assert_int_equal(
		suite_load(tu_top(),
			   "tests/integration/suites/dpdk-interrupt.conf", &s,
			   err, sizeof(err)),
		0);
	assert_int_equal(
		((struct dpdk_opts *)s.workload_opts)->interrupt_after_s, 1);
	suite_free(&s);
}

static void test_dpdk_bad_inputs_named(void **state)
{
	tu_suite_error(*state, DPDK_HEAD "device = eth0\n",
		       "device = eth0: dpdk needs a full PCI address");
	tu_suite_error(*state,
		       DPDK_HEAD "device = 0000:00:05.0\nmemhp_mb = 3\n",
		       "memhp_mb = 3: a multiple of 2");
	tu_suite_error(
		*state,
		DPDK_HEAD
		"device = 0000:00:05.0\nmemhp_mb = 512\nhugepages = 128\n",
		"memhp_mb = 512: 512 MiB needs more than hugepages = 128");
	tu_suite_error(*state,
		       DPDK_HEAD "device = 0000:00:05.0\nlcores = 0;1\n",
		       "[workload] lcores = 0;1: expected 1 to");
	tu_suite_error(*state,
		       DPDK_HEAD "device = 0000:00:05.0\ntestpmd = a b\n",
		       "[workload] testpmd = a b: expected 1 to");
	tu_suite_error(*state,
		       DPDK_HEAD "device = 0000:00:05.0\nport_cycles = 0\n",
		       "port_cycles");
	tu_suite_error(*state, DPDK_HEAD "device = 0000:00:05.0\nrxd = 8\n",
		       "rxd");
	tu_suite_error(*state,
		       DPDK_HEAD "device = 0000:00:05.0\nhugepages = lots\n",
		       "hugepages");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fwd_stats_from_real_testpmd),
		cmocka_unit_test(test_fwd_stats_takes_the_last_block),
		cmocka_unit_test(test_failures_named),
		cmocka_unit_test(test_memhp_replies),
		tu_test_tmp(test_dpdk_suite_defaults),
		tu_test_tmp(test_dpdk_bad_inputs_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
