// SPDX-License-Identifier: GPL-2.0
/* bench/src/lib/atomic_file.h: atomic_write, output_path_check. */
#include "testutil.h"

#include "lib/atomic_file.h"
#include "lib/util.h"

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

static void test_output_path_check(void **state)
{
	char *file = tu_printf("%s/out.json", (char *)*state);
	char *dir = tu_printf("%s/d", (char *)*state);
	char *in_file = tu_printf("%s/f/out.json", (char *)*state);
	char *missing = tu_printf("%s/no/out.json", (char *)*state);
	char err[ERRLEN];

	tu_mkdirs(*state, "d");
	free(tu_write(*state, "f", "x\n"));
	/* absent, or a file: it can be written */
	assert_int_equal(output_path_check(file, err, sizeof(err)), 0);
	free(tu_write(*state, "out.json", "{}\n"));
	assert_int_equal(output_path_check(file, err, sizeof(err)), 0);
	/* a directory, or in one that is a file or not there: named */
	assert_int_equal(output_path_check(dir, err, sizeof(err)), -1);
	assert_contains(err, "it is a directory");
	assert_int_equal(output_path_check(in_file, err, sizeof(err)), -1);
	assert_contains(err, "/f is not a directory");
	assert_int_equal(output_path_check(missing, err, sizeof(err)), -1);
	assert_contains(err, "/no is not a directory");
	/* a directory of outputs: absent or a directory */
	assert_int_equal(output_dir_check(dir, err, sizeof(err)), 0);
	assert_int_equal(output_dir_check(missing, err, sizeof(err)), 0);
	assert_int_equal(output_dir_check(file, err, sizeof(err)), -1);
	assert_contains(err, "out.json: it is not a directory");
	free(file);
	free(dir);
	free(in_file);
	free(missing);
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
		tu_test_tmp(test_output_path_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
