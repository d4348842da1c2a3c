// SPDX-License-Identifier: GPL-2.0
/* bpf/kmsg.c: the driver's timeout messages in the kernel log. */
#include "testutil.h"

#include "bpf/kmsg.h"

static void test_classify_driver_messages(void **state)
{
	struct kmsg_counts c = { 0 };

	(void)state;
	/* as /dev/kmsg gives them: "prio,seq,usec,flags;text" */
	kmsg_classify(
		"1,2041,81234567,-;AMD-Vi: IOMMU 0000:00:00.2: Completion-Wait loop timed out",
		&c);
	kmsg_classify("3,2042,81234600,-;AMD-Vi: Command buffer timeout", &c);
	kmsg_classify("3,2043,81234601,-;AMD-Vi: Command buffer timeout", &c);
	assert_int_equal(c.completion_wait_timeouts, 1);
	assert_int_equal(c.command_buffer_timeouts, 2);
	assert_int_equal(c.lost, 0);
}

static void test_classify_ignores_other_lines(void **state)
{
	struct kmsg_counts c = { 0 };

	(void)state;
	kmsg_classify("6,100,5000,-;nvme nvme0: 2/0/0 default/read/poll queues",
		      &c);
	kmsg_classify("6,101,5001,-;AMD-Vi: Interrupt remapping enabled", &c);
	/* the words alone, in a record that is not the driver's message */
	kmsg_classify("6,102,5002,-;Completion-Wait", &c);
	kmsg_classify("", &c);
	assert_int_equal(c.completion_wait_timeouts, 0);
	assert_int_equal(c.command_buffer_timeouts, 0);
}

static void test_delta(void **state)
{
	struct kmsg_counts a = { 1, 2, 0 }, b = { 4, 2, 1 }, d;

	(void)state;
	kmsg_counts_delta(&a, &b, &d);
	assert_int_equal(d.completion_wait_timeouts, 3);
	assert_int_equal(d.command_buffer_timeouts, 0);
	assert_int_equal(d.lost, 1);
}

static void test_open_names_the_log(void **state)
{
	struct kmsg_watch w;
	char err[256] = "";

	(void)state;
	assert_int_equal(
		kmsg_watch_open(&w, "/nonexistent/kmsg", err, sizeof(err)), -1);
	assert_int_equal(w.fd, -1);
	assert_contains(err, "/nonexistent/kmsg");
	/* polling or closing a watch that never opened is harmless */
	kmsg_watch_poll(&w);
	kmsg_watch_close(&w);
	assert_int_equal(w.total.completion_wait_timeouts, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify_driver_messages),
		cmocka_unit_test(test_classify_ignores_other_lines),
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_open_names_the_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
