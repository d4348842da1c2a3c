// SPDX-License-Identifier: GPL-2.0
/* bench/src/lib/jschema.h: JSON Schema checks of the files invlab reads. */
#include "testutil.h"

#include "lib/jschema.h"
#include "lib/util.h"

/* err after validating text against schema text (NULL when it passes). */
static char *verdict(const char *schema, const char *text, unsigned flags)
{
	static char err[ERRLEN];
	struct jschema *s = jschema_compile("t", schema, err, sizeof(err));
	json_object *doc;
	int bad;

	if (!s)
		fail_msg("schema does not compile: %s", err);
	doc = json_tokener_parse(text);
	if (!doc && strcmp(text, "null"))
		fail_msg("test document is not JSON: %s", text);
	bad = jschema_validate(s, doc, "f.json", flags, err, sizeof(err));
	json_object_put(doc);
	jschema_free(s);
	return bad ? err : NULL;
}

#define assert_passes(schema, text) assert_null(verdict(schema, text, 0))
#define assert_types_only(schema, text) \
	assert_null(verdict(schema, text, JSCHEMA_TYPES_ONLY))
#define assert_fails(schema, text, needle) \
	assert_contains(verdict(schema, text, 0), needle)

static void test_types_and_the_path_of_the_offender(void **state)
{
	const char *s = "{\"type\": \"object\", \"properties\": {"
			"\"samples\": {\"type\": \"array\", \"items\": {"
			"\"type\": \"object\", \"properties\": {"
			"\"by_opcode\": {\"type\": \"object\"}}}}}}";

	(void)state;
	assert_passes(s, "{\"samples\": [{\"by_opcode\": {}}]}");
	assert_fails(
		s, "{\"samples\": [{\"by_opcode\": {}}, {\"by_opcode\": 5}]}",
		"f.json: at samples[1].by_opcode: expected object, got an integer 5");
	assert_fails(s, "{\"samples\": {}}",
		     "at samples: expected array, got an object");
	assert_fails(s, "[1]", "at (top): expected object, got an array");
	/* integer: a whole number, whatever its spelling */
	assert_passes("{\"type\": \"integer\"}", "3.0");
	assert_fails("{\"type\": \"integer\"}", "3.5", "expected integer");
	assert_passes("{\"type\": [\"string\", \"null\"]}", "null");
	assert_fails("{\"type\": [\"string\", \"null\"]}", "true",
		     "expected string or null, got a boolean");
}

static void test_required_and_unknown_keys(void **state)
{
	const char *s = "{\"required\": [\"a\"], \"properties\": {\"a\": {}},"
			"\"additionalProperties\": false}";

	(void)state;
	assert_passes(s, "{\"a\": 1}");
	assert_fails(s, "{}", "at (top): lacks \"a\"");
	assert_fails(s, "{\"a\": 1, \"b\": 2}", "unknown key \"b\"");
	assert_types_only(s, "{}");
	assert_fails("{\"additionalProperties\": {\"type\": \"number\"}}",
		     "{\"x\": 1, \"y\": \"2\"}", "at y: expected number");
	assert_fails("{\"propertyNames\": {\"enum\": [\"A\", \"B\"]}}",
		     "{\"A\": 1, \"C\": 2}", "at C: a key not allowed here");
}

static void test_limits_enum_const_pattern(void **state)
{
	(void)state;
	assert_fails("{\"minimum\": 1}", "0", "0: expected at least 1");
	assert_fails("{\"exclusiveMinimum\": 0}", "0", "expected more than 0");
	assert_passes("{\"maximum\": 65535}", "65535");
	assert_fails("{\"maximum\": 65535}", "65536", "at most 65535");
	assert_fails("{\"enum\": [\"strict\", \"lazy\"]}", "\"lax\"",
		     "\"lax\": expected one of");
	assert_fails("{\"const\": 1}", "2", "2: expected 1");
	assert_fails("{\"minLength\": 1}", "\"\"", "at least 1 character");
	assert_passes("{\"pattern\": \"^[0-9a-f]{4}$\"}", "\"00ff\"");
	assert_fails("{\"pattern\": \"^[0-9a-f]{4}$\"}", "\"00fg\"",
		     "does not match ^[0-9a-f]{4}$");
	assert_fails("{\"minItems\": 1}", "[]", "at least 1 expected");
}

static void test_any_all_if_and_refs(void **state)
{
	const char *s =
		"{\"$defs\": {\"count\": {\"type\": \"integer\", \"minimum\": 0}},"
		"\"type\": \"object\", \"properties\": {"
		"\"n\": {\"anyOf\": [{\"type\": \"null\"}, {\"$ref\": \"#/$defs/count\"}]}},"
		"\"allOf\": [{\"if\": {\"properties\": {\"status\": {\"const\": \"complete\"}}},"
		"\"then\": {\"required\": [\"n\"]}}]}";

	(void)state;
	assert_passes(s, "{\"n\": null}");
	assert_passes(s, "{\"status\": \"failed\"}");
	assert_fails(s, "{\"status\": \"complete\"}", "lacks \"n\"");
	/* the closest branch's complaint, not the null branch's */
	assert_fails(s, "{\"n\": -1}", "at n: -1: expected at least 0");
	assert_fails("{\"oneOf\": [{\"type\": \"number\"}, {\"minimum\": 0}]}",
		     "5", "matches 2 of the allowed forms");
}

static void test_numbers_must_be_finite(void **state)
{
	(void)state;
	/* json-c reads these; no schema may let them through */
	assert_fails("{}", "{\"a\": [1, NaN]}",
		     "at a[1]: NaN is not a number JSON can hold");
	assert_fails("{}", "{\"b\": {\"c\": -Infinity}}",
		     "at b.c: -Infinity is not a number");
}

static void test_bad_schemas_do_not_compile(void **state)
{
	char err[ERRLEN];

	(void)state;
	assert_null(jschema_compile("x", "{\"tpye\": \"object\"}", err,
				    sizeof(err)));
	assert_contains(err, "keyword \"tpye\" is not one invlab checks");
	assert_null(jschema_compile("x", "{\"$ref\": \"#/$defs/none\"}", err,
				    sizeof(err)));
	assert_contains(err, "#/$defs/none, which it does not define");
	assert_null(jschema_compile("x", "{\"type\": \"float\"}", err,
				    sizeof(err)));
	assert_contains(err, "unknown type \"float\"");
	assert_null(
		jschema_compile("x", "{\"pattern\": \"(\"}", err, sizeof(err)));
	assert_contains(err, "not a POSIX extended regular expression");
}

/* Every schema invlab is built with compiles. */
static void test_builtin_schemas_compile(void **state)
{
	char err[ERRLEN] = "";

	(void)state;
	assert_true(jschema_texts_len > 0);
	for (size_t i = 0; i < jschema_texts_len; i++)
		if (!jschema_builtin(jschema_texts[i].name, err, sizeof(err)))
			fail_msg("%s", err);
	assert_null(jschema_builtin("no-such-schema", err, sizeof(err)));
	assert_contains(err, "built without schema no-such-schema");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types_and_the_path_of_the_offender),
		cmocka_unit_test(test_required_and_unknown_keys),
		cmocka_unit_test(test_limits_enum_const_pattern),
		cmocka_unit_test(test_any_all_if_and_refs),
		cmocka_unit_test(test_numbers_must_be_finite),
		cmocka_unit_test(test_bad_schemas_do_not_compile),
		cmocka_unit_test(test_builtin_schemas_compile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
