/* test_data_job.c — audit-data's jobs: option rules, profile and check over small inputs. */
#include <stdio.h>
#include <string.h>

#include <audit/data_job.h>
#include <audit/expr.h>
#include <audit/json.h>

#include "runner.h"

static void
rule(const struct aud_data_options *o, const char *msg)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_data_job *j = (struct aud_data_job *)&err;

	CHECK_INT_EQ(aud_data_job_new(&j, o, &err), AUD_EINVAL);
	CHECK(j == NULL);
	if (strcmp(err.msg, msg) != 0)
		aud_test_fail(__FILE__, __LINE__, "message '%s', want '%s'", err.msg, msg);
}

void
test_data_job__option_rules(void)
{
	struct aud_data_options o = AUD_DATA_OPTIONS_INIT;
	const char *twice[] = { "a", "b", "a" };

	CHECK_STR_EQ(aud_data_command_names[AUD_DATA_DRIFT], "drift");
	CHECK(aud_data_command_names[3] == NULL);
	CHECK_STR_EQ(aud_drift_method_names[AUD_DRIFT_PSI], "psi");
	CHECK(aud_drift_method_names[7] == NULL);
	o.command = AUD_DATA_CHECK;
	rule(&o, "check needs --schema FILE");
	o.schema = "s.json";
	o.emit_schema = "e.json";
	rule(&o, "--emit-schema goes with profile");
	o.emit_schema = NULL;
	o.reference = "r.csv";
	rule(&o, "--reference, --pred, --label, --by, --window and --strip-suffix go with drift");
	o.command = AUD_DATA_PROFILE;
	o.reference = NULL;
	rule(&o, "--schema goes with check");
	o.schema = NULL;
	o.rows_out = "r.csv";
	rule(&o, "--rows-out goes with check");
	o.rows_out = NULL;
	o.columns = twice;
	o.ncolumns = 3;
	rule(&o, "--columns: 'a' given twice");
	o.columns = NULL;
	o.ncolumns = 0;
	o.col.max_categories = 0;
	rule(&o, "--max-categories must be at least 1");
	o.col.max_categories = 10;
	o.col.sketch = 1;
	o.col.sketch_eps = 0.5;
	rule(&o, "--sketch-eps must be in (0, 0.5), not 0.5");
	o.col.sketch = 0;
	o.command = AUD_DATA_DRIFT;
	rule(&o, "drift needs --reference FILE");
}

/* Run a job's read and document over an in-memory CSV; returns the results (caller frees doc). */
static cJSON *
run(const struct aud_data_options *o, const char *csvtext, cJSON **doc)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_data_job *j = NULL;
	const struct aud_job_ops *ops;
	struct aud_csv_options co = AUD_CSV_OPTIONS_INIT;
	struct aud_csv *csv = NULL;
	cJSON *params, *results, *warnings;

	*doc = cJSON_CreateObject();
	params = cJSON_AddObjectToObject(*doc, "params");
	results = cJSON_AddObjectToObject(*doc, "results");
	warnings = cJSON_AddArrayToObject(*doc, "warnings");
	CHECK_INT_EQ(aud_data_job_new(&j, o, &err), 0);
	if (j == NULL)
		return NULL;
	ops = aud_data_job_ops(j);
	CHECK_INT_EQ(aud_csv_open_mem(&csv, "t.csv", csvtext, strlen(csvtext), &co, &err), 0);
	if (csv != NULL && ops->read(aud_data_job_self(j), csv, NULL, &err) == 0 &&
	    ops->document(aud_data_job_self(j), params, results, warnings, &err) == 0)
		cJSON_AddStringToObject(*doc, "schema", ops->schema);
	else
		aud_test_fail(__FILE__, __LINE__, "job failed: %s", err.msg);
	aud_csv_free(csv);
	aud_data_job_free(j);
	return results;
}

static const cJSON *
column(const cJSON *results, const char *arr, const char *name)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, aud_json_get(results, arr))
		if (aud_json_str(c, "column") != NULL &&
		    strcmp(aud_json_str(c, "column"), name) == 0)
			return c;
	return NULL;
}

void
test_data_job__profile(void)
{
	struct aud_data_options o = AUD_DATA_OPTIONS_INIT;
	const char *cols[] = { "code", "k", "x", "e" };
	char csv[4096];
	size_t used;
	cJSON *doc = NULL;
	const cJSON *res, *c;
	int i;

	/* 25 rows (code distinct, k constant, x = 1..25, e empty), then rows 26 and 27
	 * repeat rows 1 and 2 in every field */
	used = (size_t)snprintf(csv, sizeof(csv), "code,k,x,e,extra\n");
	for (i = 1; i <= 25; i++)
		used += (size_t)snprintf(csv + used, sizeof(csv) - used, "c%02d,K,%d,,%d\n", i, i,
		    i % 2);
	snprintf(csv + used, sizeof(csv) - used, "c01,K,1,,1\nc02,K,2,,0\n");
	o.columns = cols;
	o.ncolumns = 4;
	o.top = 1;
	res = run(&o, csv, &doc);
	CHECK_DBL_EQ(aud_json_num(res, "rows"), 27.0);
	CHECK_DBL_EQ(aud_json_num(res, "columns"), 4.0);
	/* duplicates are whole rows, every field (extra included) */
	CHECK_DBL_EQ(aud_json_num(res, "duplicate_rows"), 2.0);
	CHECK(aud_json_bool(res, "duplicate_rows_exact"));
	c = column(res, "columns_profile", "code");
	CHECK_STR_EQ(aud_json_str(c, "kind"), "categorical");
	CHECK_DBL_EQ(aud_json_num(c, "distinct"), 25.0);
	CHECK(!aud_json_bool(c, "id_like"));   /* 27 values, 25 distinct */
	CHECK_STR_EQ(aud_json_str(cJSON_GetArrayItem(aud_json_get(c, "top"), 0), "value"), "c01");
	c = column(res, "columns_profile", "k");
	CHECK(aud_json_bool(c, "constant"));
	CHECK_DBL_EQ(aud_json_num(cJSON_GetArrayItem(aud_json_get(c, "top"), 0), "share"), 1.0);
	c = column(res, "columns_profile", "x");
	CHECK_STR_EQ(aud_json_str(c, "kind"), "numeric");
	CHECK(aud_json_bool(c, "integer"));
	/* x = 1..25, 1, 2: mean (325 + 3) / 27 */
	CHECK_REL(aud_json_num(c, "mean"), 328.0 / 27.0, 1e-14);
	/* sorted 1,1,2,2,3..25: p50 at h = 13 -> the 14th value, 12 */
	CHECK_DBL_EQ(aud_json_num(aud_json_get(c, "quantiles"), "p50"), 12.0);
	c = column(res, "columns_profile", "e");
	CHECK_STR_EQ(aud_json_str(c, "kind"), "empty");
	CHECK_DBL_EQ(aud_json_num(c, "missing_rate"), 1.0);
	CHECK(!aud_json_bool(c, "constant"));
	CHECK(aud_json_get(c, "mean") == NULL && aud_json_get(c, "top") == NULL);
	cJSON_Delete(doc);

	/* ID-like: 25 distinct codes */
	used = (size_t)snprintf(csv, sizeof(csv), "code,n\n");
	for (i = 1; i <= 25; i++)
		used += (size_t)snprintf(csv + used, sizeof(csv) - used, "c%02d,%d.5\n", i, i);
	o.columns = NULL;
	o.ncolumns = 0;
	res = run(&o, csv, &doc);
	CHECK(aud_json_bool(column(res, "columns_profile", "code"), "id_like"));
	/* distinct, but not whole numbers: not an ID */
	CHECK(!aud_json_bool(column(res, "columns_profile", "n"), "id_like"));
	cJSON_Delete(doc);
}

void
test_data_job__check_and_its_paths(void)
{
	struct aud_data_options o = AUD_DATA_OPTIONS_INIT;
	struct aud_check_resolver r;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_expr *e = NULL;
	struct aud_data_job *j = NULL;
	cJSON *doc = NULL, *out = NULL;
	const cJSON *res, *c, *v;
	const char *known[] = { "violations == 0", "violations.out_of_range == 0",
		"age: violations <= 1", "violations:age.wrong_kind == 0", "failed_columns == 0",
		NULL };
	const char *unknown[] = { "violations.bogus == 0", "age: failed_columns == 0",
		"duplicate_rows == 0", NULL };
	size_t i;
	FILE *f;
	char buf[2048];

	o.command = AUD_DATA_CHECK;
	o.schema = "tests/data/data/six-schema.json";
	res = run(&o, "id,age,sex,extra\n1,25,F,x\n2,x,M,y\n3,,X,z\n4,17.5,M,\n4,99,,w\n", &doc);
	CHECK_DBL_EQ(aud_json_num(res, "rows"), 5.0);
	CHECK_DBL_EQ(aud_json_num(res, "violations"), 9.0);
	CHECK_DBL_EQ(aud_json_num(res, "failed_columns"), 4.0);
	CHECK_DBL_EQ(aud_json_num(res, "offending_rows"), 4.0);
	c = column(res, "columns", "age");
	v = cJSON_GetArrayItem(aud_json_get(c, "violations"), 0);
	CHECK_STR_EQ(aud_json_str(v, "kind"), "wrong_kind");
	CHECK_STR_EQ(aud_json_str(v, "first"), "t.csv:3");
	/* missing_rate: 1 of 5 against the bound 1/6 */
	v = cJSON_GetArrayItem(aud_json_get(c, "violations"), 3);
	CHECK_STR_EQ(aud_json_str(v, "kind"), "missing_rate");
	CHECK_DBL_EQ(aud_json_num(v, "rate"), 0.2);
	c = column(res, "columns", "income");
	CHECK_STR_EQ(aud_json_str(cJSON_GetArrayItem(aud_json_get(c, "violations"), 0), "kind"),
	    "missing_column");
	/* the view of the saved document, by its schema */
	f = tmpfile();
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK_INT_EQ(aud_data_write(doc, AUD_FORMAT_CSV, f, &err), 0);
		rewind(f);
		buf[fread(buf, 1, sizeof(buf) - 1, f)] = '\0';
		CHECK(strstr(buf, "age,out_of_range,1,t.csv:6\n") != NULL);
		fclose(f);
	}
	out = cJSON_CreateObject();
	CHECK_INT_EQ(aud_data_write(out, AUD_FORMAT_CSV, stdout, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "not an audit-data document (schema 'none')");
	cJSON_Delete(out);
	cJSON_Delete(doc);
	/* the paths its resolver knows */
	CHECK_INT_EQ(aud_data_job_new(&j, &o, &err), 0);
	if (j == NULL)
		return;
	aud_data_job_ops(j)->checks(aud_data_job_self(j), &r);
	for (i = 0; known[i] != NULL; i++) {
		CHECK_INT_EQ(aud_expr_parse(&e, known[i], &err), 0);
		if (e != NULL && !r.known(e))
			aud_test_fail(__FILE__, __LINE__, "'%s' not known", known[i]);
		aud_expr_free(e);
	}
	for (i = 0; unknown[i] != NULL; i++) {
		CHECK_INT_EQ(aud_expr_parse(&e, unknown[i], &err), 0);
		if (e != NULL && r.known(e))
			aud_test_fail(__FILE__, __LINE__, "'%s' known", unknown[i]);
		aud_expr_free(e);
	}
	aud_data_job_free(j);
}
