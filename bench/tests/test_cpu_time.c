// SPDX-License-Identifier: GPL-2.0
/* bench/src/run/cpu_time.h: the machine's busy time. */
#include "testutil.h"

#include "run/cpu_time.h"

/* Two CPUs as Linux prints them (trimmed: timers and devices left out). */
static const char timer_list[] = "Timer List Version: v0.9\n"
				 "HRTIMER_MAX_CLOCK_BASES: 8\n"
				 "now at 7842989560205 nsecs\n"
				 "\n"
				 "cpu: 0\n"
				 " clock 0:\n"
				 "  .base:       00000000b180c424\n"
				 "  .index:      0\n"
				 "  .nohz           : 1\n"
				 "  .idle_sleeptime : 2762638417408 nsecs\n"
				 "  .iowait_sleeptime: 17548622655 nsecs\n"
				 "\n"
				 "cpu: 1\n"
				 " clock 0:\n"
				 "  .idle_sleeptime : 2768421890364 nsecs\n"
				 "  .iowait_sleeptime: 26593542735 nsecs\n"
				 "\n"
				 "Tick Device: mode:     1\n"
				 "Per CPU device: 0\n";

static void test_timer_list_busy_per_cpu(void **state)
{
	double busy = -1;

	(void)state;
	assert_int_equal(timer_list_busy(timer_list, 0, &busy), 0);
	assert_float_equal(
		busy, 7842989560205.0 - 2762638417408.0 - 17548622655.0, 0);
	assert_int_equal(timer_list_busy(timer_list, 1, &busy), 0);
	assert_float_equal(
		busy, 7842989560205.0 - 2768421890364.0 - 26593542735.0, 0);
}

static void test_timer_list_without_the_cpu_is_an_error(void **state)
{
	double busy = 42;

	(void)state;
	assert_int_equal(timer_list_busy(timer_list, 2, &busy), -1);
	/* no nohz idle accounting: no sleep times at all */
	assert_int_equal(timer_list_busy("now at 5 nsecs\ncpu: 0\n", 0, &busy),
			 -1);
	assert_int_equal(timer_list_busy("", 0, &busy), -1);
	assert_float_equal(busy, 42, 0);
}

static void test_cpu_stat_usage_in_ns(void **state)
{
	char *path = tu_write(*state, "cpu.stat",
			      "user_usec 100000000\n"
			      "usage_usec 123456789\n"
			      "nr_periods 0\n");
	char *other = tu_write(*state, "other.stat", "user_usec 7\n");
	double ns = -1;

	assert_int_equal(cpu_stat_busy(path, &ns), 0);
	assert_float_equal(ns, 123456789000.0, 0);
	assert_int_equal(cpu_stat_busy(other, &ns), -1);
	free(path);
	free(other);
}

static void test_busy_falls_back_to_cpu_stat(void **state)
{
	char *stat = tu_write(*state, "cpu.stat", "usage_usec 5\n");
	char *none = tu_printf("%s/no-timer-list", (char *)*state);
	const char *src = NULL;
	double ns = -1;

	assert_int_equal(cpu_busy_ns(none, stat, &ns, &src), 0);
	assert_string_equal(src, "cpu.stat");
	assert_float_equal(ns, 5000, 0);
	assert_int_equal(cpu_busy_ns(none, none, &ns, &src), -1);
	free(stat);
	free(none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer_list_busy_per_cpu),
		cmocka_unit_test(test_timer_list_without_the_cpu_is_an_error),
		tu_test_tmp(test_cpu_stat_usage_in_ns),
		tu_test_tmp(test_busy_falls_back_to_cpu_stat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
