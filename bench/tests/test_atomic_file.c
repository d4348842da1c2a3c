// SPDX-License-Identifier: GPL-2.0
/* bench/src/lib/atomic_file.h: atomic_write. */
#include "testutil.h"

#include "lib/atomic_file.h"

static void test_atomic_write_round_trips_bytes(void **state)
{
	/* Binary content, NUL included: len counts, not strlen. */
	static const char data[] = "line one\n\0binary\xff tail";
	char *path = tu_printf("%s/out.bin", (char *)*state);
	char *back;
	struct stat st;

	assert_int_equal(atomic_write(path, data, sizeof(data)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, sizeof(data));
	back = tu_read(path);
	assert_non_null(back);
	assert_memory_equal(back, data, sizeof(data));
	free(back);
	free(path);
}

static void test_atomic_write_leaves_no_temporary_file(void **state)
{
	char *path = tu_printf("%s/result.json", (char *)*state);

	assert_int_equal(atomic_write(path, "{}\n", 3), 0);
	assert_int_equal(atomic_write(path, "[]\n", 3), 0);
	assert_int_equal(tu_count_entries(*state, ".tmp."), 0);
	assert_int_equal(tu_count_entries(*state, ""), 1);
	free(path);
}

static void test_atomic_write_overwrite_replaces_whole_file(void **state)
{
	char *path = tu_printf("%s/f.txt", (char *)*state);
	char *back;

	assert_int_equal(atomic_write(path, "a much longer old content\n", 26),
			 0);
	assert_int_equal(atomic_write(path, "new\n", 4), 0);
	back = tu_read(path);
	/* Not "new\n" followed by what is left of the old content. */
	assert_string_equal(back, "new\n");
	free(back);
	free(path);
}

static void test_atomic_write_ignores_stale_temporary(void **state)
{
	char *path = tu_printf("%s/f.txt", (char *)*state);
	char *stale = tu_printf("f.txt.tmp.%d", (int)getpid());
	char *back;

	/* Left by a writer that crashed, whose pid this process now has. */
	free(tu_write(*state, stale, "stale and much longer content\n"));
	assert_int_equal(atomic_write(path, "new\n", 4), 0);
	back = tu_read(path);
	assert_string_equal(back, "new\n");
	assert_int_equal(tu_count_entries(*state, ".tmp."), 0);
	free(back);
	free(stale);
	free(path);
}

static void test_atomic_write_empty_buffer_makes_empty_file(void **state)
{
	char *path = tu_printf("%s/empty", (char *)*state);
	struct stat st;

	assert_int_equal(atomic_write(path, "x", 1), 0);
	assert_int_equal(atomic_write(path, "", 0), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);
	free(path);
}

static void test_atomic_write_into_missing_directory_is_enoent(void **state)
{
	char *path = tu_printf("%s/nosuchdir/out.json", (char *)*state);

	assert_int_equal(atomic_write(path, "{}", 2), -ENOENT);
	/* Nothing was created: no directory, no file, no temporary. */
	assert_int_equal(tu_count_entries(*state, ""), 0);
	free(path);
}

static void test_atomic_write_failed_rename_leaves_no_temporary(void **state)
{
	char *path = tu_printf("%s/taken", (char *)*state);
	int ret;

	/* A non-empty directory where the file should go: rename fails. */
	tu_mkdirs(*state, "taken/inside");
	ret = atomic_write(path, "data", 4);
	assert_true(ret == -EISDIR || ret == -ENOTEMPTY || ret == -EEXIST);
	assert_int_equal(tu_count_entries(*state, ".tmp."), 0);
	assert_int_equal(tu_count_entries(path, ""), 1);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		tu_test_tmp(test_atomic_write_round_trips_bytes),
		tu_test_tmp(test_atomic_write_leaves_no_temporary_file),
		tu_test_tmp(test_atomic_write_overwrite_replaces_whole_file),
		tu_test_tmp(test_atomic_write_ignores_stale_temporary),
		tu_test_tmp(test_atomic_write_empty_buffer_makes_empty_file),
		tu_test_tmp(test_atomic_write_into_missing_directory_is_enoent),
		tu_test_tmp(
			test_atomic_write_failed_rename_leaves_no_temporary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
