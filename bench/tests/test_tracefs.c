// SPDX-License-Identifier: GPL-2.0
/* bpf/tracefs.h: parsing the text trace of the amd_iommu events. */
#include "testutil.h"

#include "bpf/tracefs.h"

/* Lines as the 7.3 lab kernel prints them (kernel/patches/0001). */
#define CMD_LINE                                                                    \
	"             fio-231     [001] d..1.    12.345678: amd_iommu_cmd_queued: " \
	"iommu=0 opcode=3 id=0x5 address=0xfffff000 size=0x1000 free=8144 "         \
	"waited=0 wait_ns=0\n"
#define FLUSH_LINE                                                       \
	"  kworker/0:1-17 [000] ..... 1.000001: amd_iommu_flush_begin: " \
	"kind=domain_pages id=0x5 address=0xfffff000 last=0xffffffff\n"

static void test_parse_cmd_queued(void **state)
{
	char ev[64];
	const char *f;
	uint64_t v;

	(void)state;
	assert_int_equal(tracefs_parse_line(CMD_LINE, ev, sizeof(ev), &f), 0);
	assert_string_equal(ev, "amd_iommu_cmd_queued");
	assert_int_equal(tracefs_field_u64(f, "opcode", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(tracefs_field_u64(f, "id", &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(tracefs_field_u64(f, "address", &v), 0);
	assert_int_equal(v, 0xfffff000ULL);
	assert_int_equal(tracefs_field_u64(f, "free", &v), 0);
	assert_int_equal(v, 8144);
	/* The last field, before the newline. */
	assert_int_equal(tracefs_field_u64(f, "wait_ns", &v), 0);
	assert_int_equal(v, 0);
}

static void test_field_needs_whole_name(void **state)
{
	char ev[64];
	const char *f;
	uint64_t v;

	(void)state;
	assert_int_equal(tracefs_parse_line(CMD_LINE, ev, sizeof(ev), &f), 0);
	/* "wait" is a prefix of "waited" and "wait_ns", never a field. */
	assert_int_equal(tracefs_field_u64(f, "wait", &v), -1);
	assert_int_equal(tracefs_field_u64(f, "ns", &v), -1);
	assert_int_equal(tracefs_field_u64(f, "waited", &v), 0);
	assert_int_equal(v, 0);
}

static void test_parse_flush_kind(void **state)
{
	char ev[64], kind[32];
	const char *f;

	(void)state;
	assert_int_equal(tracefs_parse_line(FLUSH_LINE, ev, sizeof(ev), &f), 0);
	assert_string_equal(ev, "amd_iommu_flush_begin");
	assert_int_equal(tracefs_field_str(f, "kind", kind, sizeof(kind)), 0);
	assert_string_equal(kind, "domain_pages");
	/* Too small a buffer is an error, not a truncated word. */
	assert_int_equal(tracefs_field_str(f, "kind", kind, 4), -1);
}

static void test_parse_rejects_headers_and_junk(void **state)
{
	char ev[64];
	const char *f;

	(void)state;
	assert_int_equal(
		tracefs_parse_line("# tracer: nop\n", ev, sizeof(ev), &f), -1);
	assert_int_equal(tracefs_parse_line("#           TASK-PID     CPU#\n",
					    ev, sizeof(ev), &f),
			 -1);
	assert_int_equal(tracefs_parse_line("garbage\n", ev, sizeof(ev), &f),
			 -1);
	assert_int_equal(tracefs_parse_line("", ev, sizeof(ev), &f), -1);
	/* An event name longer than the buffer. */
	assert_int_equal(tracefs_parse_line(CMD_LINE, ev, 8, &f), -1);
}

static void test_field_not_a_number(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(tracefs_field_u64("kind=irt id=0x10", "kind", &v), -1);
	assert_int_equal(tracefs_field_u64("kind=irt id=0x10z", "id", &v), -1);
	assert_int_equal(tracefs_field_u64("kind=irt id=", "id", &v), -1);
	assert_int_equal(tracefs_field_u64("kind=irt id=0x10", "id", &v), 0);
	assert_int_equal(v, 16);
}

/* A fake tracefs instance: per-CPU stats with overruns. */
static void test_overrun_sums_cpus(void **state)
{
	const char *dir = *state;

	free(tu_write(dir, "per_cpu/cpu0/stats", "entries: 10\noverrun: 3\n"));
	free(tu_write(dir, "per_cpu/cpu1/stats", "entries: 10\noverrun: 4\n"));
	free(tu_write(dir, "per_cpu/notacpu/stats", "overrun: 100\n"));
	assert_int_equal(tracefs_overrun(dir), 7);
}

static void test_write_names_file_on_failure(void **state)
{
	char err[ERRLEN] = "";

	assert_int_equal(tracefs_write(*state, "no/such/file", "1", err,
				       sizeof(err)),
			 -1);
	assert_contains(err, "no/such/file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_cmd_queued),
		cmocka_unit_test(test_field_needs_whole_name),
		cmocka_unit_test(test_parse_flush_kind),
		cmocka_unit_test(test_parse_rejects_headers_and_junk),
		cmocka_unit_test(test_field_not_a_number),
		tu_test_tmp(test_overrun_sums_cpus),
		tu_test_tmp(test_write_names_file_on_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
