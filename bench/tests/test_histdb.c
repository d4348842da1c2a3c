// SPDX-License-Identifier: GPL-2.0
/*
 * bench/src/nightly/histdb.h: the database URL as it may be printed (a
 * password never is), and a history entry read from text (a database row)
 * checked as one read from a file.
 */
#include "testutil.h"

#include <math.h>

#include "nightly/histdb.h"

static void safe(const char *url, const char *want)
{
	char *got = histdb_safe_url(url);

	assert_string_equal(got, want);
	free(got);
}

static void test_safe_url_elides_passwords(void **state)
{
	(void)state;
	safe("postgresql:///invlab?host=/tmp/x",
	     "postgresql:///invlab?host=/tmp/x");
	safe("postgresql://u:s3cret@db.lab:5432/invlab",
	     "postgresql://u:***@db.lab:5432/invlab");
	safe("postgres://u@db/invlab", "postgres://u@db/invlab");
	safe("postgresql://db/invlab?user=u&password=s3cret&sslmode=require",
	     "postgresql://db/invlab?user=u&password=***&sslmode=require");
	/* libpq ends the credentials at the first '@'; a raw '@' in a
	 * password (it should be %40) is elided with it, up to the last one */
	safe("postgresql://u:a@b@db/invlab?password=x",
	     "postgresql://u:***@db/invlab?password=***");
	safe("postgresql://u:p?w@db/x", "postgresql://u:***@db/x");
	safe("postgresql://u:p%40w@db/x", "postgresql://u:***@db/x");
	/* a backslash escapes a space in an unquoted value */
	safe("host=db password=a\\ b user=u", "host=db password=*** user=u");
	/* a key libpq decodes, given twice (libpq reads the last) */
	safe("postgresql://db/x?pass%77ord=s3cret",
	     "postgresql://db/x?pass%77ord=***");
	safe("postgresql://db/x?pass%77ord=s3cret&password=z",
	     "postgresql://db/x?pass%77ord=***&password=***");
	/* the client key's passphrase too */
	safe("host=db sslpassword=s3cret", "host=db sslpassword=***");
	safe("postgresql://db/x?sslpassword=s3cret&sslmode=require",
	     "postgresql://db/x?sslpassword=***&sslmode=require");
	safe("postgresql://db/x?password%=s3cret",
	     "(a connection string libpq cannot read)");
	safe("host=db dbname=invlab password=s3cret user=u",
	     "host=db dbname=invlab password=*** user=u");
	safe("host=db password='se cret\\' x' user=u",
	     "host=db password=*** user=u");
	/* libpq allows spaces around '=', and any space between pairs */
	safe("host=db password = s3cret user=u",
	     "host=db password = *** user=u");
	safe("host=db\tpassword= 'a b' dbname = x",
	     "host=db\tpassword= *** dbname = x");
	safe("password=x", "password=***");
	safe("host=db password=x ", "host=db password=*** ");
	safe("postgresql://db/invlab?password=x#frag",
	     "postgresql://db/invlab?password=***");
	/* what libpq refuses (an unknown key, a bad escape) may hide a
	 * password in a form libpq does not read: none of it is shown */
	safe("host=db oldpassword=x",
	     "(a connection string libpq cannot read)");
	safe("postgresql://db/x?oldpassword=y",
	     "(a connection string libpq cannot read)");
}

static void test_entry_parse_checks_like_a_file(void **state)
{
	static const char good[] =
		"{\"schema\":\"invlab.history-entry\",\"version\":1,"
		"\"host\":\"lab-a\",\"run_id\":\"r1\",\"suite\":\"s\","
		"\"status\":\"complete\",\"started\":\"2026-01-01T02:00:00Z\","
		"\"cells\":{\"c\":{\"status\":\"complete\",\"reason\":null,"
		"\"error\":null,\"context\":{},"
		"\"metrics\":{\"iops\":[1,2.5,null]}}}}\n";
	static const char no_run_id[] =
		"{\"schema\":\"invlab.history-entry\",\"version\":1,"
		"\"host\":\"lab-a\",\"cells\":{}}";
	struct hist_entry e;
	char err[ERRLEN];

	(void)state;
	assert_int_equal(history_entry_parse(good, strlen(good), "row 1", &e,
					     err, sizeof(err)),
			 0);
	assert_string_equal(e.path, "row 1");
	assert_string_equal(e.run_id, "r1");
	assert_int_equal(e.ncells, 1);
	assert_int_equal(e.cells[0].m[0].n, 3);
	assert_true(isnan(e.cells[0].m[0].v[2]));
	history_entry_free(&e);
	assert_int_equal(history_entry_parse(no_run_id, strlen(no_run_id),
					     "row 2", &e, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "row 2"));
	assert_int_equal(history_entry_parse(good, 40, "row 3", &e, err,
					     sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "row 3 is not valid JSON"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_safe_url_elides_passwords),
		cmocka_unit_test(test_entry_parse_checks_like_a_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
