// SPDX-License-Identifier: GPL-2.0
/* bench/src/lib/quote.h: sh_quote, yaml_quote. */
#include "testutil.h"

#include <stdio.h>

#include "lib/quote.h"

static void expect_quote(char *(*quote)(const char *), const char *in,
			 const char *want)
{
	char *got = quote(in);

	assert_string_equal(got, want);
	free(got);
}

static void test_sh_quote(void **state)
{
	(void)state;
	expect_quote(sh_quote, "", "''");
	expect_quote(sh_quote, "smoke", "'smoke'");
	expect_quote(sh_quote, "it's", "'it'\\''s'");
	expect_quote(sh_quote, "$(rm -rf /) `x` \"y\" \\",
		     "'$(rm -rf /) `x` \"y\" \\'");
	expect_quote(sh_quote, "''", "''\\'''\\'''");
}

/* sh itself reads each quoted word back as the string it was. */
static void test_sh_quote_read_back_by_sh(void **state)
{
	static const char *const words[] = {
		"a b", "it's", "$HOME", "`id`", "\\n", "x\ny", "'", "*", "-n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		char *q = sh_quote(words[i]);
		char *cmd = tu_printf("printf '%%s' %s", q);
		FILE *p = popen(cmd, "r");
		char back[64] = "";
		size_t n;

		assert_non_null(p);
		n = fread(back, 1, sizeof(back) - 1, p);
		back[n] = '\0';
		assert_int_equal(pclose(p), 0);
		assert_string_equal(back, words[i]);
		free(q);
		free(cmd);
	}
}

static void test_yaml_quote(void **state)
{
	(void)state;
	expect_quote(yaml_quote, "", "\"\"");
	expect_quote(yaml_quote, "root@", "\"root@\"");
	expect_quote(yaml_quote, "a: b # c", "\"a: b # c\"");
	expect_quote(yaml_quote, "say \"hi\" \\o/",
		     "\"say \\\"hi\\\" \\\\o/\"");
	expect_quote(yaml_quote, "tab\there\nline", "\"tab\\there\\nline\"");
	expect_quote(yaml_quote, "bell\a del\x7f", "\"bell\\x07 del\\x7f\"");
	/* Unicode's line breaks would end the line: escaped */
	expect_quote(yaml_quote,
		     "a\xc2\x85"
		     "b\xe2\x80\xa8"
		     "c\xe2\x80\xa9",
		     "\"a\\Nb\\Lc\\P\"");
	/* other UTF-8 passes as it is */
	expect_quote(yaml_quote,
		     "Gr\xc3\xbc\xc3\x9f"
		     "e",
		     "\"Gr\xc3\xbc\xc3\x9f"
		     "e\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sh_quote),
		cmocka_unit_test(test_sh_quote_read_back_by_sh),
		cmocka_unit_test(test_yaml_quote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
