/* test_schema.c — audit-data's schema file: members, defaults, errors with their JSON path. */
#include <math.h>
#include <string.h>

#include <audit/schema.h>

#include "runner.h"

static int
parse(struct aud_schema **s, const char *text, struct aud_error *err)
{
	return aud_schema_parse(s, "s.json", text, strlen(text), err);
}

void
test_schema__reads_every_member(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_schema *s = NULL;
	const struct aud_schema_column *c;

	CHECK_INT_EQ(parse(&s, "{\"schema\": \"audit.data-schema/1\", \"columns\": ["
	    "{\"name\": \"age\", \"kind\": \"numeric\", \"nullable\": false, \"min\": 17,"
	    " \"max\": 90, \"integer\": true, \"max_missing_rate\": 0},"
	    "{\"name\": \"sex\", \"kind\": \"categorical\", \"categories\": [\"M\", \"F\", \"X\"],"
	    " \"max_missing_rate\": 0.01},"
	    "{\"name\": \"id\"}], \"key\": [\"id\", \"sex\"], \"extra_columns\": \"error\"}",
	    &err), 0);
	if (s == NULL)
		return;
	CHECK_INT_EQ(aud_schema_ncolumns(s), 3);
	c = aud_schema_column(s, 0);
	CHECK_STR_EQ(c->name, "age");
	CHECK_INT_EQ(c->kind, AUD_SCHEMA_NUMERIC);
	CHECK_INT_EQ(c->nullable, 0);
	CHECK(c->has_min && c->has_max && c->integer);
	CHECK_DBL_EQ(c->min, 17.0);
	CHECK_DBL_EQ(c->max, 90.0);
	CHECK_DBL_EQ(c->max_missing_rate, 0.0);
	c = aud_schema_column(s, 1);
	CHECK_INT_EQ(c->kind, AUD_SCHEMA_CATEGORICAL);
	CHECK_INT_EQ(c->nullable, 1);             /* the default */
	CHECK_INT_EQ(c->ncategories, 3);
	CHECK_STR_EQ(c->categories[0], "F");      /* sorted */
	CHECK(aud_schema_allows(c, "M"));
	CHECK(aud_schema_allows(c, "X"));
	CHECK(!aud_schema_allows(c, "m"));
	CHECK(!aud_schema_allows(c, "M."));
	c = aud_schema_column(s, 2);
	CHECK_INT_EQ(c->kind, AUD_SCHEMA_ANY);
	CHECK(!c->has_min && !c->has_max && !c->integer);
	CHECK(c->categories == NULL);
	CHECK(aud_schema_allows(c, "anything"));
	CHECK(isnan(c->max_missing_rate));
	CHECK_INT_EQ(aud_schema_nkey(s), 2);
	CHECK_STR_EQ(aud_schema_key(s, 1), "sex");
	CHECK_INT_EQ(aud_schema_extra_error(s), 1);
	aud_schema_free(s);

	/* the smallest schema: defaults everywhere */
	CHECK_INT_EQ(parse(&s, "{\"columns\": []}", &err), 0);
	if (s == NULL)
		return;
	CHECK_INT_EQ(aud_schema_ncolumns(s), 0);
	CHECK_INT_EQ(aud_schema_nkey(s), 0);
	CHECK_INT_EQ(aud_schema_extra_error(s), 0);
	aud_schema_free(s);
	aud_schema_free(NULL);
}

static void
refused(const char *text, int code, const char *msg)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_schema *s = (struct aud_schema *)&err;

	CHECK_INT_EQ(parse(&s, text, &err), code);
	CHECK(s == NULL);
	if (strcmp(err.msg, msg) != 0)
		aud_test_fail(__FILE__, __LINE__, "message '%s', want '%s'", err.msg, msg);
}

void
test_schema__errors_name_the_json_path(void)
{
	refused("[1]", AUD_EPARSE, "s.json: (top): expected an object");
	refused("{\"cols\": []}", AUD_EPARSE, "s.json: (top): unknown member 'cols' (schema, "
	    "columns, key, extra_columns)");
	refused("{}", AUD_EPARSE, "s.json: columns: missing (the list of columns)");
	refused("{\"columns\": {}}", AUD_EPARSE, "s.json: columns: expected an array of objects");
	refused("{\"schema\": \"audit.drift/1\", \"columns\": []}", AUD_EPARSE,
	    "s.json: schema: expected \"audit.data-schema/1\"");
	refused("{\"columns\": [{\"name\": \"a\"}, 3]}", AUD_EPARSE,
	    "s.json: columns[1]: expected an object");
	refused("{\"columns\": [{\"kind\": \"numeric\"}]}", AUD_EPARSE,
	    "s.json: columns[0].name: missing (every column needs a name)");
	refused("{\"columns\": [{\"name\": \"\"}]}", AUD_EPARSE,
	    "s.json: columns[0].name: expected a non-empty string");
	refused("{\"columns\": [{\"name\": \"a\", \"kind\": \"text\"}]}", AUD_EPARSE,
	    "s.json: columns[0].kind: expected \"numeric\", \"categorical\" or \"any\"");
	refused("{\"columns\": [{\"name\": \"a\", \"nullable\": 0}]}", AUD_EPARSE,
	    "s.json: columns[0].nullable: expected true or false");
	refused("{\"columns\": [{\"name\": \"a\", \"kind\": \"numeric\", \"min\": \"1\"}]}",
	    AUD_EPARSE, "s.json: columns[0].min: expected a number");
	refused("{\"columns\": [{\"name\": \"a\", \"kind\": \"numeric\", \"min\": 2, \"max\": 1}]}",
	    AUD_EPARSE, "s.json: columns[0].max: smaller than min");
	refused("{\"columns\": [{\"name\": \"a\", \"integer\": true}]}", AUD_EPARSE,
	    "s.json: columns[0].integer: only a numeric column has this bound");
	refused("{\"columns\": [{\"name\": \"a\", \"max_missing_rate\": 1.5}]}", AUD_EPARSE,
	    "s.json: columns[0].max_missing_rate: expected a number in [0, 1]");
	refused("{\"columns\": [{\"name\": \"a\", \"categories\": [\"x\"]}]}", AUD_EPARSE,
	    "s.json: columns[0].categories: only a categorical column has categories");
	refused("{\"columns\": [{\"name\": \"a\", \"kind\": \"categorical\", "
	    "\"categories\": [\"x\", 2]}]}", AUD_EPARSE,
	    "s.json: columns[0].categories[1]: expected a string");
	refused("{\"columns\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}", AUD_EPARSE,
	    "s.json: columns[1].name: column 'a' given twice");
	refused("{\"columns\": [{\"name\": \"a\"}], \"key\": [\"b\"]}", AUD_EPARSE,
	    "s.json: key[0]: 'b' is not a column of the schema");
	refused("{\"columns\": [], \"extra_columns\": \"warn\"}", AUD_EPARSE,
	    "s.json: extra_columns: expected \"error\" or \"ignore\"");
}

void
test_schema__malformed_json_and_files(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_schema *s = NULL;

	CHECK_INT_EQ(parse(&s, "{\"columns\": [\n  {\"name\": }]}", &err), AUD_EPARSE);
	CHECK(strncmp(err.msg, "s.json:2:", 9) == 0);
	CHECK_INT_EQ(aud_schema_read_file(&s, "tests/data/data/no-such-schema.json", &err),
	    AUD_EIO);
	CHECK(s == NULL);
	CHECK_INT_EQ(aud_schema_read_file(&s, "tests/data/data/six-schema.json", &err), 0);
	if (s != NULL)
		CHECK_INT_EQ(aud_schema_ncolumns(s), 4);
	aud_schema_free(s);
}
