// SPDX-License-Identifier: GPL-2.0
/* bench/src/run/cpu_time.h: the machine's busy time from cgroup v2. */
#include "testutil.h"

#include "run/cpu_time.h"

static void test_usage_usec_is_read(void **state)
{
	char *path = tu_write(*state, "cpu.stat",
			      "usage_usec 123456789\n"
			      "user_usec 100000000\n"
			      "system_usec 23456789\n"
			      "nr_periods 0\n");
	double us = -1;

	assert_int_equal(cpu_busy_us(path, &us), 0);
	assert_float_equal(us, 123456789, 0);
	free(path);
}

static void test_usage_usec_anywhere_in_the_file(void **state)
{
	char *path =
		tu_write(*state, "cpu.stat", "user_usec 7\nusage_usec 42\n");
	double us = -1;

	assert_int_equal(cpu_busy_us(path, &us), 0);
	assert_float_equal(us, 42, 0);
	free(path);
}

static void test_no_usage_is_an_error(void **state)
{
	char *missing = tu_printf("%s/none", (char *)*state);
	char *other = tu_write(*state, "cpu.stat", "user_usec 7\n");
	double us = -1;

	assert_int_equal(cpu_busy_us(missing, &us), -1);
	assert_int_equal(cpu_busy_us(other, &us), -1);
	assert_float_equal(us, -1, 0);
	free(missing);
	free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		tu_test_tmp(test_usage_usec_is_read),
		tu_test_tmp(test_usage_usec_anywhere_in_the_file),
		tu_test_tmp(test_no_usage_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
