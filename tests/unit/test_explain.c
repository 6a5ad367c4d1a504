/* test_explain.c — the audit-explain driver on small files with C-function models. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/explain.h>
#include <audit/json.h>

#include "runner.h"

#define ROWS "tests/data/explain/rows.csv"
#define BG "tests/data/explain/background.csv"

static double
sigmoid(double z)
{
	return 1.0 / (1.0 + exp(-z));
}

static double
margin_of(double x0, double x1, double x2, const char *region)
{
	return 1.3 * x0 + 0.7 * x1 * x2 + sin(x2) +
	    (strcmp(region, "north") == 0 ? 0.5 : strcmp(region, "south") == 0 ? -0.2 : 0.0);
}

/* margin 1.3 x0 + 0.7 x1 x2 + sin(x2) + g(region); x3 is read but unused */
static int
model_fn(const struct aud_batch *b, const long *col, double *score, double *margin,
    void *payload, struct aud_error *err)
{
	size_t i;
	const struct aud_column *r = &b->cols[col[4]];

	(void)payload;
	(void)err;
	for (i = 0; i < b->nrows; i++) {
		const char *region = r->code[i] >= 0 ? aud_dict_str(r->dict, r->code[i]) : "";
		double z = margin_of(b->cols[col[0]].num[i], b->cols[col[1]].num[i],
		    b->cols[col[2]].num[i], region);

		score[i] = sigmoid(z);
		if (margin != NULL)
			margin[i] = z;
	}
	return 0;
}

static struct aud_model *
make_model(void)
{
	static const char *const names[] = { "x0", "x1", "x2", "x3", "region" };
	static const enum aud_col_kind kinds[] = { AUD_COL_NUMERIC, AUD_COL_NUMERIC,
		AUD_COL_NUMERIC, AUD_COL_NUMERIC, AUD_COL_CATEGORICAL };
	struct aud_model *m = NULL;

	aud_model_from_fn(&m, 5, names, kinds, AUD_TASK_CLASSIFICATION, "1", 1, model_fn,
	    NULL, NULL);
	return m;
}

static const char *const prot[] = { "sex", "region" };

/* Run the driver; returns the error code, *json the printed document, *rows the CSV. */
static int
explain(const struct aud_explain_options *o, char **json, char **rows, struct aud_error *err)
{
	struct aud_model *m = make_model();
	struct aud_explain *e = NULL;
	cJSON *doc = NULL;
	int rc;

	*json = NULL;
	if (rows != NULL)
		*rows = NULL;
	rc = aud_explain_new(&e, o, err);
	if (rc == 0)
		rc = aud_explain_read(e, ROWS, m, err);
	if (rc == 0)
		rc = aud_explain_run(e, m, err);
	if (rc == 0)
		rc = aud_explain_json(&doc, e, 0, err);
	if (rc == 0)
		*json = cJSON_PrintUnformatted(doc);
	if (rc == 0 && rows != NULL) {
		size_t len;
		FILE *f = open_memstream(rows, &len);

		rc = aud_explain_write_rows(e, f, err);
		fclose(f);
	}
	cJSON_Delete(doc);
	aud_explain_free(e);
	aud_model_free(m);
	return rc;
}

static cJSON *
results(const char *json, cJSON **doc)
{
	*doc = cJSON_Parse(json);
	return cJSON_GetObjectItem(*doc, "results");
}

static cJSON *
find_by(cJSON *arr, const char *key, const char *value)
{
	cJSON *it;

	cJSON_ArrayForEach(it, arr) {
		cJSON *k = cJSON_GetObjectItem(it, key);

		if (cJSON_IsString(k) && strcmp(k->valuestring, value) == 0)
			return it;
	}
	return NULL;
}

static double
num(cJSON *obj, const char *key)
{
	cJSON *v = cJSON_GetObjectItem(obj, key);

	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

void
test_explain__exact_summary(void)
{
	struct aud_explain_options o = AUD_EXPLAIN_OPTIONS_INIT;
	char *json = NULL;
	cJSON *doc, *res, *imp, *it, *g, *a;
	static const double x0[] = { 0.31, 1.9, -0.8, 0.05, 1.1, -1.4, 0.7, 2.2 };
	static const int female[] = { 1, 0, 1, 0, 0, 1, 1, 0 };
	double mean = 0.0, mf = 0.0, mm = 0.0, sst = 0.0, ssb;
	size_t i;

	o.method = AUD_EXPLAIN_EXACT;
	o.output = AUD_OUTPUT_MARGIN;
	o.background = BG;
	o.protected_cols = prot;
	o.nprotected = 2;
	CHECK_INT_EQ(explain(&o, &json, NULL, NULL), 0);
	if (json == NULL)
		return;
	res = results(json, &doc);
	CHECK(num(res, "max_additivity_error") < 1e-14);
	CHECK_INT_EQ(num(res, "rows"), 8);
	imp = cJSON_GetObjectItem(res, "importance");
	CHECK_INT_EQ(cJSON_GetArraySize(imp), 5);
	it = find_by(imp, "feature", "x3");
	CHECK_DBL_EQ(num(it, "mean_abs"), 0.0);
	CHECK_INT_EQ(num(it, "rank"), 5);
	/* base value: the mean margin over the 10 background rows */
	{
		static const double b[10][3] = { { 0, 0, 0 }, { 1, -1, 0.5 }, { -0.5, 0.25, -0.75 },
			{ 0.7, 1.4, 1.3 }, { 0.1, 0.9, -0.2 }, { -1.3, -0.4, 0.6 }, { 0.45, 0.3, -1.1 },
			{ -0.2, -0.8, 0.9 }, { 1.6, 0.2, 0.1 }, { -0.9, 1.2, -0.4 } };
		static const char *const r[10] = { "north", "south", "east", "north", "south",
			"east", "north", "south", "east", "north" };
		double s = 0.0;

		for (i = 0; i < 10; i++)
			s += margin_of(b[i][0], b[i][1], b[i][2], r[i]);
		CHECK_REL(num(res, "base_value"), s / 10.0, 1e-14);
	}
	/* groups: F and M, 4 rows each, by name on a tie */
	g = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(res, "groups"), 0), "groups");
	CHECK_STR_EQ(cJSON_GetObjectItem(cJSON_GetArrayItem(g, 0), "group")->valuestring, "F");
	CHECK_INT_EQ(num(cJSON_GetArrayItem(g, 0), "count"), 4);
	/* proxy: Cramer's V of region and sex = sqrt(6 / 8) by hand */
	it = find_by(cJSON_GetObjectItem(res, "proxy"), "feature", "region");
	a = find_by(cJSON_GetObjectItem(it, "associations"), "attribute", "sex");
	CHECK_STR_EQ(cJSON_GetObjectItem(a, "measure")->valuestring, "cramers_v");
	CHECK_REL(num(a, "value"), sqrt(0.75), 1e-14);
	/* region is protected too: no pair of a column with itself */
	CHECK(find_by(cJSON_GetObjectItem(it, "associations"), "attribute", "region") == NULL);
	CHECK_INT_EQ(cJSON_GetArraySize(cJSON_GetObjectItem(it, "associations")), 1);
	CHECK_INT_EQ(num(a, "rows"), 8);
	/* correlation ratio of x0 by sex */
	for (i = 0; i < 8; i++) {
		mean += x0[i] / 8.0;
		if (female[i])
			mf += x0[i] / 4.0;
		else
			mm += x0[i] / 4.0;
	}
	for (i = 0; i < 8; i++)
		sst += (x0[i] - mean) * (x0[i] - mean);
	ssb = 4.0 * (mf - mean) * (mf - mean) + 4.0 * (mm - mean) * (mm - mean);
	it = find_by(cJSON_GetObjectItem(res, "proxy"), "feature", "x0");
	a = find_by(cJSON_GetObjectItem(it, "associations"), "attribute", "sex");
	CHECK_STR_EQ(cJSON_GetObjectItem(a, "measure")->valuestring, "correlation_ratio");
	CHECK_REL(num(a, "value"), sqrt(ssb / sst), 1e-12);
	/* local explanations: the first five rows, each adding up */
	it = cJSON_GetObjectItem(res, "local");
	CHECK_INT_EQ(cJSON_GetArraySize(it), 5);
	{
		cJSON *l = cJSON_GetArrayItem(it, 2), *c;
		double s = num(l, "base_value");

		cJSON_ArrayForEach(c, cJSON_GetObjectItem(l, "contributions"))
			s += num(c, "phi");
		CHECK_REL(s, margin_of(-0.8, 2.3, 1.1, "north"), 1e-13);
		CHECK_REL(num(l, "value"), margin_of(-0.8, 2.3, 1.1, "north"), 1e-15);
		c = find_by(cJSON_GetObjectItem(l, "contributions"), "feature", "region");
		CHECK_STR_EQ(cJSON_GetObjectItem(c, "value")->valuestring, "north");
	}
	CHECK_STR_EQ(cJSON_GetObjectItem(doc, "schema")->valuestring, "audit.explanation/1");
	cJSON_Delete(doc);
	free(json);
}

void
test_explain__thread_count_independent(void)
{
	struct aud_explain_options o = AUD_EXPLAIN_OPTIONS_INIT;
	enum aud_explain_method methods[] = { AUD_EXPLAIN_KERNEL, AUD_EXPLAIN_PERMUTATION,
		AUD_EXPLAIN_PDP };
	char *j1, *j3, *r1 = NULL, *r3 = NULL;
	size_t k;

	o.background = BG;
	o.protected_cols = prot;
	o.nprotected = 2;
	o.nsamples = 12;      /* sampled: 30 coalitions of 5 features */
	o.batch_rows = 50;    /* small model batches: many blocks */
	o.label = "label";
	o.repeats = 4;
	for (k = 0; k < 3; k++) {
		o.method = methods[k];
		o.threads = 1;
		CHECK_INT_EQ(explain(&o, &j1, k == 0 ? &r1 : NULL, NULL), 0);
		o.threads = 3;
		CHECK_INT_EQ(explain(&o, &j3, k == 0 ? &r3 : NULL, NULL), 0);
		CHECK(j1 != NULL && j3 != NULL && strcmp(j1, j3) == 0);
		free(j1);
		free(j3);
	}
	CHECK(r1 != NULL && r3 != NULL && strcmp(r1, r3) == 0);
	CHECK(r1 != NULL && strncmp(r1, "row,base_value,score,x0,x1,x2,x3,region\n0,", 42) == 0);
	free(r1);
	free(r3);
}

void
test_explain__background_sample_and_rows(void)
{
	struct aud_explain_options o = AUD_EXPLAIN_OPTIONS_INIT;
	char *json = NULL, *again = NULL, *rows = NULL;
	cJSON *doc, *res, *params, *loc;
	double base42;

	o.method = AUD_EXPLAIN_EXACT;
	o.background = BG;
	o.background_size = 4;
	o.row_first = 2;
	o.row_end = 5;
	CHECK_INT_EQ(explain(&o, &json, &rows, NULL), 0);
	CHECK_INT_EQ(explain(&o, &again, NULL, NULL), 0);
	CHECK(json != NULL && again != NULL && strcmp(json, again) == 0);
	res = results(json, &doc);
	params = cJSON_GetObjectItem(doc, "params");
	CHECK_INT_EQ(num(params, "background_rows"), 4);
	CHECK_INT_EQ(num(params, "background_rows_total"), 10);
	CHECK_STR_EQ(cJSON_GetObjectItem(params, "background_summary")->valuestring, "sample");
	CHECK_STR_EQ(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "warnings"), 0)->valuestring,
	    "the background has 10 rows: a seeded sample of 4 is used (--background-size)");
	CHECK_INT_EQ(num(res, "rows"), 3);
	loc = cJSON_GetObjectItem(res, "local");
	CHECK_INT_EQ(cJSON_GetArraySize(loc), 3);
	CHECK_INT_EQ(num(cJSON_GetArrayItem(loc, 0), "row"), 2);
	CHECK(rows != NULL && strstr(rows, "\n2,") != NULL && strstr(rows, "\n4,") != NULL &&
	    strstr(rows, "\n5,") == NULL && strstr(rows, "\n1,") == NULL);
	cJSON_Delete(doc);
	free(json);
	free(again);
	free(rows);
	/* another seed, another sample, another base value; all 10 rows, a third */
	CHECK_INT_EQ(explain(&o, &json, NULL, NULL), 0);
	res = results(json, &doc);
	base42 = num(res, "base_value");
	cJSON_Delete(doc);
	free(json);
	o.seed = 7;
	CHECK_INT_EQ(explain(&o, &json, NULL, NULL), 0);
	res = results(json, &doc);
	CHECK(num(res, "base_value") != base42);
	cJSON_Delete(doc);
	free(json);
	o.background_size = 10;
	CHECK_INT_EQ(explain(&o, &json, NULL, NULL), 0);
	res = results(json, &doc);
	CHECK_STR_EQ(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "params"),
	    "background_summary")->valuestring, "all");
	CHECK(num(res, "base_value") != base42);
	cJSON_Delete(doc);
	free(json);
}

void
test_explain__permutation(void)
{
	struct aud_explain_options o = AUD_EXPLAIN_OPTIONS_INIT;
	char *json = NULL;
	cJSON *doc, *res, *it, *m;
	static const double x[8][3] = { { 0.31, -1.2, 0.77 }, { 1.9, 0.4, -0.35 },
		{ -0.8, 2.3, 1.1 }, { 0.05, -0.6, -1.7 }, { 1.1, 1.7, 0.2 }, { -1.4, 0.9, 0.6 },
		{ 0.7, -0.3, -0.9 }, { 2.2, 1.1, 1.4 } };
	static const char *const r[8] = { "north", "south", "north", "east", "south", "north",
		"east", "south" };
	static const int y[8] = { 1, 0, 1, 0, 1, 0, 1, 1 };
	double right = 0.0, ll = 0.0;
	size_t i;

	o.method = AUD_EXPLAIN_PERMUTATION;
	o.label = "label";
	o.repeats = 3;
	CHECK_INT_EQ(explain(&o, &json, NULL, NULL), 0);
	if (json == NULL)
		return;
	res = results(json, &doc);
	for (i = 0; i < 8; i++) {
		double p = sigmoid(margin_of(x[i][0], x[i][1], x[i][2], r[i]));

		right += (p >= 0.5) == y[i];
		ll -= y[i] ? log(p) : log(1 - p);
	}
	m = cJSON_GetObjectItem(res, "baseline");
	CHECK_REL(num(m, "accuracy"), right / 8.0, 1e-15);
	CHECK_REL(num(m, "log_loss"), ll / 8.0, 1e-14);
	it = find_by(cJSON_GetObjectItem(res, "importance"), "feature", "x3");
	CHECK_DBL_EQ(num(cJSON_GetObjectItem(it, "auc"), "mean"), 0.0);
	CHECK_DBL_EQ(num(cJSON_GetObjectItem(it, "log_loss"), "mean"), 0.0);
	CHECK_DBL_EQ(num(cJSON_GetObjectItem(it, "accuracy"), "sd"), 0.0);
	CHECK_INT_EQ(num(it, "rank"), 5);
	/* the most important feature is a used one, shuffling it costs AUC */
	it = cJSON_GetArrayItem(cJSON_GetObjectItem(res, "importance"), 0);
	CHECK_INT_EQ(num(it, "rank"), 1);
	CHECK(num(cJSON_GetObjectItem(it, "auc"), "mean") > 0.0);
	CHECK(strcmp(cJSON_GetObjectItem(it, "feature")->valuestring, "x3") != 0);
	/* AUC by pairs, ties half */
	{
		double pairs = 0.0, wins = 0.0;
		size_t j;

		for (i = 0; i < 8; i++)
			for (j = 0; j < 8; j++) {
				double pi, pj;

				if (!y[i] || y[j])
					continue;
				pi = sigmoid(margin_of(x[i][0], x[i][1], x[i][2], r[i]));
				pj = sigmoid(margin_of(x[j][0], x[j][1], x[j][2], r[j]));
				pairs += 1.0;
				wins += pi > pj ? 1.0 : pi == pj ? 0.5 : 0.0;
			}
		CHECK_REL(num(m, "auc"), wins / pairs, 1e-15);
	}
	cJSON_Delete(doc);
	free(json);
}

void
test_explain__pdp(void)
{
	struct aud_explain_options o = AUD_EXPLAIN_OPTIONS_INIT;
	static const char *const feats[] = { "x0", "region" };
	char *json = NULL, *rows = NULL;
	cJSON *doc, *res, *c, *grid, *pdp, *g;
	double want;

	o.method = AUD_EXPLAIN_PDP;
	o.output = AUD_OUTPUT_MARGIN;
	o.features = feats;
	o.nfeatures = 2;
	o.grid = 3;
	o.protected_cols = prot;
	o.nprotected = 1;
	CHECK_INT_EQ(explain(&o, &json, &rows, NULL), 0);
	if (json == NULL)
		return;
	res = results(json, &doc);
	c = find_by(cJSON_GetObjectItem(res, "pdp"), "feature", "x0");
	grid = cJSON_GetObjectItem(c, "grid");
	pdp = cJSON_GetObjectItem(c, "pdp");
	CHECK_INT_EQ(cJSON_GetArraySize(grid), 3);
	/* type-7 quantiles of x0: min, median (0.31 + 0.7) / 2, max */
	CHECK_DBL_EQ(cJSON_GetArrayItem(grid, 0)->valuedouble, -1.4);
	CHECK_REL(cJSON_GetArrayItem(grid, 1)->valuedouble, 0.505, 1e-15);
	CHECK_DBL_EQ(cJSON_GetArrayItem(grid, 2)->valuedouble, 2.2);
	/* the margin is 1.3 x0 + the rest: the curve rises by 1.3 * 3.6 */
	CHECK_REL(cJSON_GetArrayItem(pdp, 2)->valuedouble - cJSON_GetArrayItem(pdp, 0)->valuedouble,
	    1.3 * 3.6, 1e-13);
	/* per group: the F rows' curve, by hand at x0 = 2.2 */
	g = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(c, "groups"), 0), "groups"), 0);
	CHECK_STR_EQ(cJSON_GetObjectItem(g, "group")->valuestring, "F");
	want = (margin_of(2.2, -1.2, 0.77, "north") + margin_of(2.2, 2.3, 1.1, "north") +
	    margin_of(2.2, 0.9, 0.6, "north") + margin_of(2.2, -0.3, -0.9, "east")) / 4.0;
	CHECK_REL(cJSON_GetArrayItem(cJSON_GetObjectItem(g, "pdp"), 2)->valuedouble, want, 1e-14);
	/* a categorical feature's grid: its values by text */
	c = find_by(cJSON_GetObjectItem(res, "pdp"), "feature", "region");
	CHECK_STR_EQ(cJSON_GetArrayItem(cJSON_GetObjectItem(c, "grid"), 0)->valuestring, "east");
	CHECK_INT_EQ(cJSON_GetArraySize(cJSON_GetObjectItem(c, "ice")), 8);
	CHECK(rows != NULL && strncmp(rows, "row,feature,value,output\n0,x0,-1.4,", 35) == 0);
	cJSON_Delete(doc);
	free(json);
	free(rows);
}

void
test_explain__errors(void)
{
	struct aud_explain_options o = AUD_EXPLAIN_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	char *json = NULL;

	o.method = AUD_EXPLAIN_EXACT;
	CHECK_INT_EQ(explain(&o, &json, NULL, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "no background: give --background FILE");
	o.background = "tests/data/explain/no-such.csv";
	CHECK_INT_EQ(explain(&o, &json, NULL, &err), AUD_EIO);
	o.background = BG;
	o.row_first = 100;
	CHECK_INT_EQ(explain(&o, &json, NULL, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "'" ROWS "' has no data row to explain in the --rows range");
	o.row_first = 0;
	o.method = AUD_EXPLAIN_PERMUTATION;
	o.label = "region";
	CHECK_INT_EQ(explain(&o, &json, NULL, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "label 'region' has 3 values; permutation importance needs a binary label");
	o.label = NULL;
	CHECK_INT_EQ(explain(&o, &json, NULL, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "permutation importance needs --label COL");
	o.method = AUD_EXPLAIN_PDP;
	{
		static const char *const f[] = { "nope" };

		o.features = f;
		o.nfeatures = 1;
		CHECK_INT_EQ(explain(&o, &json, NULL, &err), AUD_ENOTFOUND);
		CHECK_STR_EQ(err.msg, "--features: 'nope' is not a feature of the model");
	}
	CHECK(json == NULL);
}

/* ---- the German credit reference, with the PMML's logistic regression as a C function ---- */

struct logreg {
	double intercept;
	size_t nnum;
	char num_name[8][32];
	double num_coef[8];
	size_t ncat;
	char cat_name[32][32], cat_value[32][16];
	double cat_coef[32];
	char features[8][32];
	size_t nf;
};

/* The RegressionTable of targetCategory 1, read with sscanf (the file's own layout). */
static int
read_logreg(struct logreg *lr, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512], name[32], value[16];
	double c;
	int in_table = 0;

	if (f == NULL)
		return -1;
	memset(lr, 0, sizeof(*lr));
	while (fgets(line, sizeof(line), f) != NULL) {
		const char *p = strchr(line, '<');

		if (p == NULL)
			continue;
		if (sscanf(p, "<RegressionTable intercept=\"%lf\"", &c) == 1 &&
		    strstr(p, "targetCategory=\"1\"") != NULL) {
			lr->intercept = c;
			in_table = 1;
		} else if (in_table && sscanf(p, "<NumericPredictor name=\"%31[^\"]\" coefficient=\"%lf\"",
		    name, &c) == 2) {
			strcpy(lr->num_name[lr->nnum], name);
			lr->num_coef[lr->nnum++] = c;
			strcpy(lr->features[lr->nf++], name);
		} else if (in_table && sscanf(p, "<CategoricalPredictor name=\"%31[^\"]\" value=\"%15[^\"]\" "
		    "coefficient=\"%lf\"", name, value, &c) == 3) {
			strcpy(lr->cat_name[lr->ncat], name);
			strcpy(lr->cat_value[lr->ncat], value);
			lr->cat_coef[lr->ncat] = c;
			if (lr->ncat == 0 || strcmp(lr->cat_name[lr->ncat - 1], name) != 0)
				strcpy(lr->features[lr->nf++], name);
			lr->ncat++;
		} else if (strncmp(p, "</RegressionTable", 17) == 0) {
			in_table = 0;
		}
	}
	fclose(f);
	return lr->nf == 7 ? 0 : -1;
}

static int
logreg_fn(const struct aud_batch *b, const long *col, double *score, double *margin,
    void *payload, struct aud_error *err)
{
	const struct logreg *lr = payload;
	size_t i, j, k;

	(void)err;
	for (i = 0; i < b->nrows; i++) {
		double z = lr->intercept;

		for (j = 0; j < lr->nf; j++) {
			const struct aud_column *c = &b->cols[col[j]];

			if (c->kind == AUD_COL_NUMERIC) {
				for (k = 0; k < lr->nnum; k++)
					if (strcmp(lr->num_name[k], lr->features[j]) == 0)
						z += lr->num_coef[k] * c->num[i];
			} else {
				const char *v = aud_dict_str(c->dict, c->code[i]);

				for (k = 0; k < lr->ncat; k++)
					if (strcmp(lr->cat_name[k], lr->features[j]) == 0 &&
					    strcmp(lr->cat_value[k], v) == 0)
						z += lr->cat_coef[k];
			}
		}
		score[i] = 1.0 / (1.0 + exp(-z));
		if (margin != NULL)
			margin[i] = z;
	}
	return 0;
}

/* Largest difference between two CSVs of numbers with the same shape (header skipped). */
static double
csv_max_diff(const char *got, const char *want_path, size_t *lines)
{
	FILE *f = fopen(want_path, "r");
	char wline[8192];
	const char *g = strchr(got, '\n');
	double worst = 0.0;

	*lines = 0;
	if (f == NULL || g == NULL || fgets(wline, sizeof(wline), f) == NULL) {
		if (f != NULL)
			fclose(f);
		return INFINITY;
	}
	g++;
	while (fgets(wline, sizeof(wline), f) != NULL) {
		char *w = wline, *end;
		const char *gp = g;

		if (*g == '\0')
			break;
		for (;;) {
			double a = strtod(gp, &end), b;

			gp = end;
			b = strtod(w, &end);
			w = end;
			if (fabs(a - b) > worst || isnan(a))
				worst = isnan(a) ? INFINITY : fabs(a - b);
			if (*gp != ',' || *w != ',')
				break;
			gp++;
			w++;
		}
		g = strchr(g, '\n');
		if (g == NULL)
			break;
		g++;
		(*lines)++;
	}
	fclose(f);
	return worst;
}

void
test_explain__german_logreg_reference(void)
{
	const char *shared = aud_test_shared();
	char dir[256], model[300], rows[300], bg[300], want[300], *csv = NULL;
	struct logreg lr;
	const char *names[8];
	enum aud_col_kind kinds[8];
	struct aud_model *m = NULL;
	size_t j, k, lines;
	static const enum aud_explain_method methods[] = { AUD_EXPLAIN_EXACT, AUD_EXPLAIN_KERNEL };

	if (shared == NULL) {
		aud_test_skip("../shared is absent: no reference values");
		return;
	}
	snprintf(dir, sizeof(dir), "%s/reference/explain-german-logreg", shared);
	snprintf(model, sizeof(model), "%s/model.pmml", dir);
	snprintf(rows, sizeof(rows), "%s/rows.csv", dir);
	snprintf(bg, sizeof(bg), "%s/background.csv", dir);
	snprintf(want, sizeof(want), "%s/expected_shap.csv", dir);
	CHECK_INT_EQ(read_logreg(&lr, model), 0);
	for (j = 0; j < lr.nf; j++) {
		names[j] = lr.features[j];
		kinds[j] = j < lr.nnum ? AUD_COL_NUMERIC : AUD_COL_CATEGORICAL;
	}
	CHECK_INT_EQ(aud_model_from_fn(&m, lr.nf, names, kinds, AUD_TASK_CLASSIFICATION, "1", 1,
	    logreg_fn, &lr, NULL), 0);
	for (k = 0; k < 2; k++) {
		struct aud_explain_options o = AUD_EXPLAIN_OPTIONS_INIT;
		struct aud_explain *e = NULL;
		struct aud_error err = AUD_ERROR_INIT;
		size_t len;
		FILE *f;
		double d;

		o.method = methods[k];
		o.nsamples = 256;
		o.background = bg;
		o.threads = 2;
		CHECK_INT_EQ(aud_explain_new(&e, &o, &err), 0);
		CHECK_INT_EQ(aud_explain_read(e, rows, m, &err), 0);
		CHECK_INT_EQ(aud_explain_run(e, m, &err), 0);
		f = open_memstream(&csv, &len);
		CHECK_INT_EQ(aud_explain_write_rows(e, f, &err), 0);
		fclose(f);
		d = csv_max_diff(csv, want, &lines);
		CHECK_INT_EQ(lines, 100);
		if (!(d < 1e-9))
			aud_test_fail(__FILE__, __LINE__, "%s: largest difference %g",
			    aud_explain_method_name(methods[k]), d);
		free(csv);
		csv = NULL;
		aud_explain_free(e);
	}
	aud_model_free(m);
}

void
test_explain__command_columns_and_bins(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_explain_options o = AUD_EXPLAIN_OPTIONS_INIT;
	static const char *const feats[] = { "x0" }, *const mcols[] = { "x2", "x0" };
	static const char *const x3[] = { "x3" }, *const region[] = { "region" };
	struct aud_bins *bins = NULL, *rbins = NULL;
	const struct aud_bins *bl[1];
	struct aud_explain *e = NULL;
	const char *const *names;
	const enum aud_col_kind *kinds;
	size_t n = 0;
	char *json = NULL;
	cJSON *doc, *res, *c, *g;
	double want;

	/* a command model not yet opened: --features x0 (the curve) still sends every column */
	o.method = AUD_EXPLAIN_PDP;
	o.features = feats;
	o.nfeatures = 1;
	CHECK_INT_EQ(aud_explain_new(&e, &o, &err), 0);
	if (e != NULL) {
		CHECK_INT_EQ(aud_explain_read(e, ROWS, NULL, &err), 0);
		aud_explain_columns(e, &names, &kinds, &n);
		CHECK_INT_EQ(n, 8);
		if (n == 8) {
			CHECK_STR_EQ(names[0], "id");
			CHECK_STR_EQ(names[1], "x0");
			CHECK_STR_EQ(names[7], "label");
		}
	}
	aud_explain_free(e);
	e = NULL;
	/* --model-columns: exactly those, in that order */
	o.model_columns = mcols;
	o.nmodel_columns = 2;
	CHECK_INT_EQ(aud_explain_new(&e, &o, &err), 0);
	if (e != NULL) {
		CHECK_INT_EQ(aud_explain_read(e, ROWS, NULL, &err), 0);
		aud_explain_columns(e, &names, &kinds, &n);
		CHECK_INT_EQ(n, 2);
		if (n == 2) {
			CHECK_STR_EQ(names[0], "x2");
			CHECK_STR_EQ(names[1], "x0");
		}
	}
	aud_explain_free(e);
	o.model_columns = NULL;
	o.nmodel_columns = 0;

	/* x3 (a feature the model reads, unused) as a protected attribute in bins
	 * x3 <= 0 (rows 1, 2, 6) and x3 > 0 (the 5 others) */
	CHECK_INT_EQ(aud_bins_parse(&bins, "x3=<=0", "--bins", &err), 0);
	if (bins == NULL)
		return;
	bl[0] = bins;
	o.output = AUD_OUTPUT_MARGIN;
	o.grid = 3;
	o.protected_cols = x3;
	o.nprotected = 1;
	o.bins = bl;
	o.nbins = 1;
	CHECK_INT_EQ(explain(&o, &json, NULL, &err), 0);
	if (json != NULL) {
		res = results(json, &doc);
		c = find_by(cJSON_GetObjectItem(res, "pdp"), "feature", "x0");
		g = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(c, "groups"), 0),
		    "groups");
		CHECK_STR_EQ(cJSON_GetObjectItem(cJSON_GetArrayItem(g, 0), "group")->valuestring,
		    "x3>0");
		CHECK_DBL_EQ(cJSON_GetObjectItem(cJSON_GetArrayItem(g, 0), "count")->valuedouble, 5);
		CHECK_STR_EQ(cJSON_GetObjectItem(cJSON_GetArrayItem(g, 1), "group")->valuestring,
		    "x3<=0");
		CHECK_DBL_EQ(cJSON_GetObjectItem(cJSON_GetArrayItem(g, 1), "count")->valuedouble, 3);
		want = (margin_of(2.2, 0.4, -0.35, "south") + margin_of(2.2, 2.3, 1.1, "north") +
		    margin_of(2.2, -0.3, -0.9, "east")) / 3.0;
		CHECK_REL(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(g, 1), "pdp"),
		    2)->valuedouble, want, 1e-14);
		cJSON_Delete(doc);
		free(json);
		json = NULL;
	}
	/* a binned column must hold numbers */
	CHECK_INT_EQ(aud_bins_parse(&rbins, "region=1", "--bins", &err), 0);
	if (rbins != NULL) {
		bl[0] = rbins;
		o.protected_cols = region;
		CHECK_INT_EQ(explain(&o, &json, NULL, &err), AUD_EPARSE);
		CHECK_STR_EQ(err.msg, "tests/data/explain/rows.csv: data row 1: non-numeric "
		    "value 'north' in binned column 'region'");
		free(json);
	}
	aud_bins_free(rbins);
	aud_bins_free(bins);
}

/* eta of xs by the groups g (0/1), by hand */
static double
eta2(const double *xs, const int *g, size_t n)
{
	double mean = 0.0, m[2] = { 0.0, 0.0 }, c[2] = { 0.0, 0.0 }, sst = 0.0, ssb = 0.0;
	size_t i;

	for (i = 0; i < n; i++) {
		mean += xs[i] / (double)n;
		m[g[i]] += xs[i];
		c[g[i]] += 1.0;
	}
	for (i = 0; i < n; i++)
		sst += (xs[i] - mean) * (xs[i] - mean);
	for (i = 0; i < 2; i++)
		ssb += c[i] * (m[i] / c[i] - mean) * (m[i] / c[i] - mean);
	return sqrt(ssb / sst);
}

void
test_explain__proxy_over_all_rows(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_explain_options o = AUD_EXPLAIN_OPTIONS_INIT;
	static const double x0[] = { 0.31, 1.9, -0.8, 0.05, 1.1, -1.4, 0.7, 2.2 };
	static const int female[] = { 1, 0, 1, 0, 0, 1, 1, 0 };
	static const int x3le0[] = { 0, 1, 1, 0, 0, 0, 1, 0 };
	static const char *const x3[] = { "x3" };
	struct aud_bins *bins = NULL;
	const struct aud_bins *bl[1];
	char *json = NULL, *all = NULL;
	cJSON *doc, *res, *it, *a, *proxy_all;

	/* rows 0-2 only: region and sex are then perfectly associated (V = 1);
	 * the table is over the 8 rows of the file, as with every row explained */
	o.method = AUD_EXPLAIN_EXACT;
	o.background = BG;
	o.protected_cols = prot;
	o.nprotected = 2;
	o.row_end = 3;
	CHECK_INT_EQ(explain(&o, &json, NULL, &err), 0);
	o.row_end = 0;
	CHECK_INT_EQ(explain(&o, &all, NULL, &err), 0);
	if (json == NULL || all == NULL)
		return;
	res = results(json, &doc);
	CHECK_INT_EQ(num(cJSON_GetObjectItem(doc, "input"), "rows"), 8);
	CHECK_INT_EQ(num(res, "explained_rows"), 3);
	CHECK_STR_EQ(cJSON_GetObjectItem(res, "row_selection")->valuestring, "range");
	CHECK_INT_EQ(num(res, "proxy_rows"), 8);
	/* n per group of the explained rows 0-2: F, M, F */
	it = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(res, "groups"), 0), "groups");
	CHECK_STR_EQ(cJSON_GetObjectItem(cJSON_GetArrayItem(it, 0), "group")->valuestring, "F");
	CHECK_INT_EQ(num(cJSON_GetArrayItem(it, 0), "count"), 2);
	CHECK_STR_EQ(cJSON_GetObjectItem(cJSON_GetArrayItem(it, 1), "group")->valuestring, "M");
	CHECK_INT_EQ(num(cJSON_GetArrayItem(it, 1), "count"), 1);
	it = find_by(cJSON_GetObjectItem(res, "proxy"), "feature", "region");
	a = find_by(cJSON_GetObjectItem(it, "associations"), "attribute", "sex");
	CHECK_REL(num(a, "value"), sqrt(0.75), 1e-14);
	it = find_by(cJSON_GetObjectItem(res, "proxy"), "feature", "x0");
	a = find_by(cJSON_GetObjectItem(it, "associations"), "attribute", "sex");
	CHECK_REL(num(a, "value"), eta2(x0, female, 8), 1e-12);
	/* the same table (feature order aside: it follows importance) */
	{
		cJSON *d2;
		cJSON *r2 = results(all, &d2), *f, *g;

		proxy_all = cJSON_GetObjectItem(r2, "proxy");
		CHECK_STR_EQ(cJSON_GetObjectItem(r2, "row_selection")->valuestring, "all");
		CHECK_INT_EQ(cJSON_GetArraySize(proxy_all),
		    cJSON_GetArraySize(cJSON_GetObjectItem(res, "proxy")));
		cJSON_ArrayForEach(f, cJSON_GetObjectItem(res, "proxy")) {
			cJSON *o2 = find_by(proxy_all, "feature",
			    cJSON_GetObjectItem(f, "feature")->valuestring);

			cJSON_ArrayForEach(g, cJSON_GetObjectItem(f, "associations")) {
				cJSON *g2 = find_by(cJSON_GetObjectItem(o2, "associations"),
				    "attribute", cJSON_GetObjectItem(g, "attribute")->valuestring);

				CHECK(g2 != NULL);
				if (g2 != NULL)
					CHECK(num(g, "value") == num(g2, "value") ||
					    (isnan(num(g, "value")) && isnan(num(g2, "value"))));
			}
		}
		cJSON_Delete(d2);
	}
	cJSON_Delete(doc);
	free(json);
	free(all);
	json = NULL;

	/* a binned protected column: groups merged into bins from the counts;
	 * x3 itself (a feature) is no proxy of its own bins */
	CHECK_INT_EQ(aud_bins_parse(&bins, "x3=<=0", "--bins", &err), 0);
	if (bins == NULL)
		return;
	bl[0] = bins;
	o.protected_cols = x3;
	o.nprotected = 1;
	o.bins = bl;
	o.nbins = 1;
	o.row_end = 2;
	CHECK_INT_EQ(explain(&o, &json, NULL, &err), 0);
	if (json != NULL) {
		res = results(json, &doc);
		CHECK(find_by(cJSON_GetObjectItem(res, "proxy"), "feature", "x3") == NULL);
		it = find_by(cJSON_GetObjectItem(res, "proxy"), "feature", "x0");
		a = find_by(cJSON_GetObjectItem(it, "associations"), "attribute", "x3");
		CHECK_REL(num(a, "value"), eta2(x0, x3le0, 8), 1e-12);
		CHECK_INT_EQ(num(a, "rows"), 8);
		cJSON_Delete(doc);
		free(json);
	}
	aud_bins_free(bins);
}

void
test_explain__rows_sample_stratified(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_explain_options o = AUD_EXPLAIN_OPTIONS_INIT;
	char *json = NULL, *again = NULL, *t3 = NULL;
	cJSON *doc, *res, *g, *rows, *r;
	static const char *const f[] = { "F", "M", "F", "M", "M", "F", "F", "M" };
	static const char *const sex[] = { "sex" };
	int nf = 0, nm = 0;

	/* sex: F rows 0, 2, 5, 6 and M rows 1, 3, 4, 7; 4 of 8 rows: 2 and 2 */
	o.method = AUD_EXPLAIN_EXACT;
	o.background = BG;
	o.protected_cols = sex;
	o.nprotected = 1;
	o.rows_sample = 4;
	CHECK_INT_EQ(explain(&o, &json, NULL, &err), 0);
	CHECK_INT_EQ(explain(&o, &again, NULL, &err), 0);
	o.threads = 3;
	CHECK_INT_EQ(explain(&o, &t3, NULL, &err), 0);
	CHECK(json != NULL && again != NULL && strcmp(json, again) == 0);
	CHECK(json != NULL && t3 != NULL && strcmp(json, t3) == 0);
	if (json != NULL) {
		res = results(json, &doc);
		CHECK_INT_EQ(num(res, "explained_rows"), 4);
		CHECK_INT_EQ(num(cJSON_GetObjectItem(doc, "input"), "rows"), 8);
		CHECK_STR_EQ(cJSON_GetObjectItem(res, "row_selection")->valuestring,
		    "stratified_sample");
		CHECK_INT_EQ(num(cJSON_GetObjectItem(res, "sample"), "strata"), 2);
		g = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(res, "groups"), 0),
		    "groups");
		CHECK_INT_EQ(num(cJSON_GetArrayItem(g, 0), "count"), 2);
		CHECK_INT_EQ(num(cJSON_GetArrayItem(g, 1), "count"), 2);
		/* the rows listed are in file order and hold those groups */
		rows = cJSON_GetObjectItem(cJSON_GetObjectItem(res, "sample"), "rows");
		CHECK_INT_EQ(cJSON_GetArraySize(rows), 4);
		cJSON_ArrayForEach(r, rows) {
			int id = (int)r->valuedouble;

			CHECK(id >= 0 && id < 8);
			if (id >= 0 && id < 8) {
				nf += f[id][0] == 'F';
				nm += f[id][0] == 'M';
			}
			CHECK(r->prev == NULL || r->prev == cJSON_GetArrayItem(rows, cJSON_GetArraySize(rows) - 1) ||
			    r->prev->valuedouble < r->valuedouble);
		}
		CHECK_INT_EQ(nf, 2);
		CHECK_INT_EQ(nm, 2);
		cJSON_Delete(doc);
	}
	free(json);
	free(again);
	free(t3);
	/* N at least the rows: every row */
	o.threads = 1;
	o.rows_sample = 100;
	CHECK_INT_EQ(explain(&o, &json, NULL, &err), 0);
	if (json != NULL) {
		res = results(json, &doc);
		CHECK_INT_EQ(num(res, "explained_rows"), 8);
		cJSON_Delete(doc);
		free(json);
	}
}
