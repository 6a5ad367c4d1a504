/* test_fairtask.c — multi-class and regression group metrics: hand computations, undefined values, cells merged into groups, errors, checks, determinism. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/csv.h>
#include <audit/expr.h>
#include <audit/fairtask.h>
#include <audit/json.h>

#include "runner.h"

static const char *const one_col[] = { "g" };
static const char *const two_cols[] = { "race", "sex" };

struct run {
	cJSON *res, *warn;
};

static void
run_free(struct run *r)
{
	cJSON_Delete(r->res);
	cJSON_Delete(r->warn);
	r->res = r->warn = NULL;
}

/* Read a CSV held in memory and finish. */
static int
read_mem(const char *text, const struct aud_fairtask_options *o, const char *label,
    const char *pred, struct run *r, struct aud_error *err)
{
	struct aud_csv *csv = NULL;
	struct aud_fairtask *t = NULL;
	int rc;

	r->res = r->warn = NULL;
	rc = aud_csv_open_mem(&csv, "t.csv", text, strlen(text), NULL, err);
	if (rc == 0)
		rc = aud_fairtask_new(&t, o, err);
	if (rc == 0)
		rc = aud_fairtask_read_csv(t, csv, label, pred, NULL, err);
	aud_csv_free(csv);
	if (rc == 0) {
		r->res = cJSON_CreateObject();
		r->warn = cJSON_CreateArray();
		rc = aud_fairtask_finish(t, r->res, r->warn, err);
	}
	aud_fairtask_free(t);
	return rc;
}

static const cJSON *
attr(const cJSON *res, const char *name)
{
	const cJSON *a;

	cJSON_ArrayForEach(a, aud_json_get(res, "attributes"))
		if (strcmp(aud_json_str(a, "attribute"), name) == 0)
			return a;
	return NULL;
}

static const cJSON *
group(const cJSON *res, const char *an, const char *gn)
{
	const cJSON *g;

	cJSON_ArrayForEach(g, aud_json_get(attr(res, an), "groups"))
		if (strcmp(aud_json_str(g, "group"), gn) == 0)
			return g;
	return NULL;
}

static double
gm(const cJSON *res, const char *an, const char *gn, const char *key)
{
	return aud_json_num(aud_json_get(group(res, an, gn), "metrics"), key);
}

static int
has_warning(const cJSON *w, const char *text)
{
	const cJSON *s;

	cJSON_ArrayForEach(s, w)
		if (strstr(s->valuestring, text) != NULL)
			return 1;
	return 0;
}

/* The Wilson interval written out (an implementation of the test's own). */
static void
wilson(double k, double n, double *lo, double *hi)
{
	double z = 1.959963984540054, p = k / n, den = 1 + z * z / n;
	double c = (p + z * z / (2 * n)) / den;
	double h = z / den * sqrt(p * (1 - p) / n + z * z / (4 * n * n));

	*lo = c - h;
	*hi = c + h;
}

#define SIX "g,label,pred\na,positive,positive\na,negative,neutral\na,neutral,neutral\n" \
	"b,positive,negative\nb,negative,negative\nb,neutral,positive\n"

/*
 * The file: 3 of 6 right. Classes negative, neutral, positive.
 * Group a: recalls 0, 1, 1; precisions undefined (0), 1/2, 1; F1 0, 2/3, 1.
 * Group b: recalls 1, 0, 0; precisions 1/2, undefined (0), 0; F1 2/3, 0, 0.
 */
void
test_fairtask__multiclass_six_rows_by_hand(void)
{
	struct aud_fairtask_options o = AUD_FAIRTASK_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	const cJSON *ov, *conf, *pc;
	double lo, hi;
	struct run r;

	o.protected = one_col;
	o.nprotected = 1;
	o.bootstrap = 50;
	CHECK_INT_EQ(read_mem(SIX, &o, "label", "pred", &r, &err), 0);
	ov = aud_json_get(r.res, "overall");
	CHECK_STR_EQ(aud_json_str(r.res, "task"), "multiclass");
	CHECK_INT_EQ(cJSON_GetArraySize(aud_json_get(r.res, "classes")), 3);
	CHECK_STR_EQ(cJSON_GetArrayItem(aud_json_get(r.res, "classes"), 0)->valuestring,
	    "negative");
	CHECK_REL(aud_json_num(ov, "count"), 6, 0);
	CHECK_REL(aud_json_num(ov, "accuracy"), 0.5, 1e-15);
	CHECK_REL(aud_json_num(ov, "balanced_accuracy"), 0.5, 1e-15);
	CHECK_REL(aud_json_num(ov, "macro_f1"), 0.5, 1e-15);
	/* rows the label, columns the prediction */
	conf = aud_json_get(ov, "confusion");
	CHECK_REL(cJSON_GetArrayItem(cJSON_GetArrayItem(conf, 0), 1)->valuedouble, 1, 0);
	CHECK_REL(cJSON_GetArrayItem(cJSON_GetArrayItem(conf, 1), 2)->valuedouble, 1, 0);
	CHECK_REL(cJSON_GetArrayItem(cJSON_GetArrayItem(conf, 2), 0)->valuedouble, 1, 0);
	CHECK_REL(cJSON_GetArrayItem(cJSON_GetArrayItem(conf, 2), 1)->valuedouble, 0, 0);
	wilson(3, 6, &lo, &hi);
	CHECK_REL(cJSON_GetArrayItem(aud_json_get(aud_json_get(ov, "ci"), "accuracy"), 0)->valuedouble,
	    lo, 1e-12);
	CHECK_REL(cJSON_GetArrayItem(aud_json_get(aud_json_get(ov, "ci"), "accuracy"), 1)->valuedouble,
	    hi, 1e-12);
	CHECK_REL(gm(r.res, "g", "a", "accuracy"), 2.0 / 3, 1e-15);
	CHECK_REL(gm(r.res, "g", "a", "balanced_accuracy"), 2.0 / 3, 1e-15);
	CHECK_REL(gm(r.res, "g", "a", "macro_precision"), 0.5, 1e-15);
	CHECK_REL(gm(r.res, "g", "a", "macro_recall"), 2.0 / 3, 1e-15);
	CHECK_REL(gm(r.res, "g", "a", "macro_f1"), 5.0 / 9, 1e-15);
	CHECK_REL(gm(r.res, "g", "b", "macro_precision"), 1.0 / 6, 1e-15);
	CHECK_REL(gm(r.res, "g", "b", "macro_f1"), 2.0 / 9, 1e-15);
	pc = aud_json_get(aud_json_get(group(r.res, "g", "a"), "per_class"), "negative");
	CHECK(cJSON_IsNull(aud_json_get(pc, "precision")));
	CHECK_REL(aud_json_num(pc, "recall"), 0, 0);
	CHECK_REL(aud_json_num(pc, "f1"), 0, 0);
	CHECK_REL(aud_json_num(pc, "selection_rate"), 0, 0);
	pc = aud_json_get(aud_json_get(group(r.res, "g", "a"), "per_class"), "neutral");
	CHECK_REL(aud_json_num(pc, "f1"), 2.0 / 3, 1e-15);
	CHECK_REL(aud_json_num(pc, "selection_rate"), 2.0 / 3, 1e-15);
	CHECK(has_warning(r.warn, "g: group 'a': undefined (null): precision of 'negative' "
	    "(the macro means count them as 0, as scikit-learn does)"));
	/* summaries: max - min and min / max */
	CHECK_REL(aud_json_num(aud_json_get(attr(r.res, "g"), "summary"), "accuracy_difference"),
	    1.0 / 3, 1e-15);
	CHECK_REL(aud_json_num(aud_json_get(attr(r.res, "g"), "summary"), "accuracy_ratio"),
	    0.5, 1e-15);
	CHECK_REL(aud_json_num(aud_json_get(attr(r.res, "g"), "summary"), "macro_f1_ratio"),
	    0.4, 1e-15);
	/* recall of 'negative': 0 in a, 1 in b */
	CHECK_REL(aud_json_num(aud_json_get(aud_json_get(attr(r.res, "g"), "per_class"),
	    "negative"), "recall_difference"), 1, 0);
	/* b against the reference a (the tie goes to the first by name) */
	CHECK_STR_EQ(aud_json_str(attr(r.res, "g"), "reference"), "a");
	CHECK_REL(aud_json_num(aud_json_get(aud_json_get(group(r.res, "g", "b"), "disparity"),
	    "accuracy"), "ratio"), 0.5, 1e-15);
	CHECK(has_warning(r.warn, "tie as the largest"));
	run_free(&r);
}

/*
 * Two groups by hand. a: y 1 2 3, p 1.5 2 2.5: MAE 1/3, MSE 1/6, R2 1 - 0.5/2.
 * b: y 4 6, p 5 5: MAE 1, MSE 1, R2 1 - 2/2. Overall: MAE 0.6, MSE 0.5,
 * R2 1 - 2.5/14.8. The t interval of a's mean label: 2 +- t(0.975, 2)/sqrt(3).
 */
void
test_fairtask__regression_two_groups_by_hand(void)
{
	struct aud_fairtask_options o = AUD_FAIRTASK_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	const cJSON *ov, *s, *ci;
	struct run r;

	o.task = AUD_FAIRTASK_REGRESSION;
	o.protected = one_col;
	o.nprotected = 1;
	o.bootstrap = 100;
	CHECK_INT_EQ(read_mem("g,y,p\na,1,1.5\na,2,2\na,3,2.5\nb,4,5\nb,6,5\n", &o, "y", "p", &r,
	    &err), 0);
	ov = aud_json_get(r.res, "overall");
	CHECK_REL(aud_json_num(ov, "mae"), 0.6, 1e-15);
	CHECK_REL(aud_json_num(ov, "mse"), 0.5, 1e-15);
	CHECK_REL(aud_json_num(ov, "rmse"), sqrt(0.5), 1e-15);
	CHECK_REL(aud_json_num(ov, "r2"), 1 - 2.5 / 14.8, 1e-14);
	CHECK_REL(aud_json_num(ov, "mean_label"), 3.2, 1e-15);
	CHECK_REL(gm(r.res, "g", "a", "mae"), 1.0 / 3, 1e-15);
	CHECK_REL(gm(r.res, "g", "a", "mse"), 1.0 / 6, 1e-15);
	CHECK_REL(gm(r.res, "g", "a", "r2"), 0.75, 1e-15);
	CHECK_REL(gm(r.res, "g", "a", "group_loss"), 1.0 / 6, 1e-15);
	CHECK_REL(gm(r.res, "g", "b", "mae"), 1, 1e-15);
	CHECK_REL(gm(r.res, "g", "b", "r2"), 0, 1e-15);
	ci = aud_json_get(aud_json_get(group(r.res, "g", "a"), "ci"), "mean_label");
	/* t(0.975, 2) = 4.302652729749464 */
	CHECK_REL(cJSON_GetArrayItem(ci, 1)->valuedouble, 2 + 4.302652729749464 / sqrt(3), 1e-12);
	s = aud_json_get(attr(r.res, "g"), "summary");
	CHECK_REL(aud_json_num(s, "mse_difference"), 5.0 / 6, 1e-15);
	CHECK_REL(aud_json_num(s, "mse_ratio"), 1.0 / 6, 1e-15);
	CHECK_REL(aud_json_num(s, "mae_ratio"), 1.0 / 3, 1e-15);
	CHECK_REL(aud_json_num(aud_json_get(s, "bounded_group_loss"), "value"), 1, 0);
	CHECK_STR_EQ(aud_json_str(aud_json_get(s, "bounded_group_loss"), "group"), "b");
	CHECK_STR_EQ(aud_json_str(aud_json_get(s, "bounded_group_loss"), "loss"), "squared");
	/* b's resamples: the MAE is 1 whatever the draw */
	ci = aud_json_get(aud_json_get(group(r.res, "g", "b"), "ci"), "mae");
	CHECK_REL(cJSON_GetArrayItem(ci, 0)->valuedouble, 1, 0);
	CHECK_REL(cJSON_GetArrayItem(ci, 1)->valuedouble, 1, 0);
	run_free(&r);
}

/* Constant labels, a single row, a missing label: null values and warnings. */
void
test_fairtask__regression_undefined(void)
{
	struct aud_fairtask_options o = AUD_FAIRTASK_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct run r;

	o.task = AUD_FAIRTASK_REGRESSION;
	o.protected = one_col;
	o.nprotected = 1;
	o.bootstrap = 20;
	CHECK_INT_EQ(read_mem("g,y,p\na,2,1\na,2,3\nb,5,4\nb,NA,4\n", &o, "y", "p", &r, &err), 0);
	CHECK(isnan(gm(r.res, "g", "a", "r2")));
	CHECK(cJSON_IsNull(aud_json_get(aud_json_get(group(r.res, "g", "a"), "metrics"), "r2")));
	CHECK_REL(gm(r.res, "g", "a", "mse"), 1, 0);
	CHECK(isnan(gm(r.res, "g", "b", "r2")));
	CHECK(has_warning(r.warn, "g: group 'a': undefined (null): r2"));
	CHECK(has_warning(r.warn, "1 rows skipped: missing label"));
	CHECK(has_warning(r.warn, "g: the r2 summaries skip 2 groups where it is undefined"));
	CHECK(isnan(aud_json_num(aud_json_get(attr(r.res, "g"), "summary"), "r2_difference")));
	run_free(&r);
}

/* Cells merge into the groups of each attribute; the intersection keeps the cells. */
void
test_fairtask__cells_merge_into_groups(void)
{
	struct aud_fairtask_options o = AUD_FAIRTASK_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	const cJSON *g, *conf;
	struct run r;

	o.protected = two_cols;
	o.nprotected = 2;
	o.intersect = 1;
	o.bootstrap = 0;
	CHECK_INT_EQ(read_mem("race,sex,y,p\nA,F,x,x\nA,M,x,y\nA,F,y,y\nB,M,y,x\nA,M,z,z\n"
	    "B,F,x,x\n", &o, "y", "p", &r, &err), 0);
	g = group(r.res, "race", "A");
	CHECK_REL(aud_json_num(g, "count"), 4, 0);
	conf = aud_json_get(g, "confusion");
	/* A: (x,x) (x,y) (y,y) (z,z): diagonal 1 1 1, x predicted y once */
	CHECK_REL(cJSON_GetArrayItem(cJSON_GetArrayItem(conf, 0), 0)->valuedouble, 1, 0);
	CHECK_REL(cJSON_GetArrayItem(cJSON_GetArrayItem(conf, 0), 1)->valuedouble, 1, 0);
	CHECK_REL(cJSON_GetArrayItem(cJSON_GetArrayItem(conf, 2), 2)->valuedouble, 1, 0);
	CHECK_REL(gm(r.res, "race", "A", "accuracy"), 0.75, 1e-15);
	CHECK_REL(gm(r.res, "sex", "M", "accuracy"), 1.0 / 3, 1e-15);
	CHECK_REL(gm(r.res, "race & sex", "A & M", "accuracy"), 0.5, 1e-15);
	CHECK_REL(aud_json_num(group(r.res, "race & sex", "A & F"), "count"), 2, 0);
	CHECK_STR_EQ(cJSON_GetArrayItem(aud_json_get(group(r.res, "race & sex", "B & M"),
	    "values"), 1)->valuestring, "M");
	/* without the bootstrap the bootstrap intervals are null; Wilson's are not */
	CHECK(cJSON_IsNull(cJSON_GetArrayItem(aud_json_get(aud_json_get(g, "ci"), "macro_f1"), 0)));
	CHECK(cJSON_IsNumber(cJSON_GetArrayItem(aud_json_get(aud_json_get(g, "ci"), "accuracy"), 0)));
	/* groups in descending count: race A (4) then B (2) */
	CHECK_STR_EQ(aud_json_str(cJSON_GetArrayItem(aud_json_get(attr(r.res, "race"), "groups"), 0),
	    "group"), "A");
	run_free(&r);
}

/* The bootstrap's replicates come from per-group streams: the same whatever the threads. */
void
test_fairtask__bootstrap_independent_of_threads(void)
{
	struct aud_fairtask_options o = AUD_FAIRTASK_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	char text[20000], *a, *b;
	size_t len = 0;
	struct run r1, r2;
	int i, task;

	len += (size_t)snprintf(text, sizeof(text), "race,sex,y,p\n");
	for (i = 0; i < 400; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%c,%c,%d,%d\n",
		    "ABC"[i % 3], "FM"[i % 2], i % 4, (i * 7) % 5 < 3 ? i % 4 : (i + 1) % 4);
	o.protected = two_cols;
	o.nprotected = 2;
	o.intersect = 1;
	o.bootstrap = 100;
	for (task = 0; task < 2; task++) {
		o.task = task ? AUD_FAIRTASK_REGRESSION : AUD_FAIRTASK_MULTICLASS;
		o.threads = 1;
		CHECK_INT_EQ(read_mem(text, &o, "y", "p", &r1, &err), 0);
		o.threads = 4;
		CHECK_INT_EQ(read_mem(text, &o, "y", "p", &r2, &err), 0);
		a = cJSON_PrintUnformatted(r1.res);
		b = cJSON_PrintUnformatted(r2.res);
		CHECK(a != NULL && b != NULL && strcmp(a, b) == 0);
		cJSON_free(a);
		cJSON_free(b);
		/* and the intervals are intervals */
		CHECK(aud_json_num(aud_json_get(r1.res, "overall"), task ? "mae" : "macro_f1") >=
		    cJSON_GetArrayItem(aud_json_get(aud_json_get(aud_json_get(r1.res, "overall"), "ci"),
		    task ? "mae" : "macro_f1"), 0)->valuedouble);
		run_free(&r1);
		run_free(&r2);
	}
}

void
test_fairtask__errors(void)
{
	struct aud_fairtask_options o = AUD_FAIRTASK_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_fairtask *t = NULL;
	struct aud_fairtask_row row;
	const char *vals[1] = { "a" };
	size_t lens[1] = { 1 };
	struct aud_fairness_reference ref = { "g", "zz" };
	struct run r;

	o.protected = one_col;
	o.nprotected = 1;
	o.task = AUD_FAIRTASK_REGRESSION;
	/* a label that is not a number, at its position */
	CHECK_INT_EQ(read_mem("g,y,p\na,1,2\na,x,3\n", &o, "y", "p", &r, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.csv:3:3: non-numeric value 'x' in column 'y'");
	CHECK_INT_EQ(read_mem("g,y,p\na,1,1e400\n", &o, "y", "p", &r, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.csv:2:5: non-numeric value '1e400' in column 'p'");
	/* no rows; an unknown column; an unknown reference group */
	CHECK_INT_EQ(read_mem("g,y,p\na,NA,1\n", &o, "y", "p", &r, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "no rows to audit");
	run_free(&r);
	CHECK_INT_EQ(read_mem("g,y,p\na,1,1\n", &o, "y", "q", &r, &err), AUD_ENOTFOUND);
	o.refs = &ref;
	o.nrefs = 1;
	CHECK_INT_EQ(read_mem("g,y,p\na,1,1\n", &o, "y", "p", &r, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--reference: attribute 'g' has no group 'zz'");
	run_free(&r);
	o.refs = NULL;
	o.nrefs = 0;
	/* add_row: a number that is not finite */
	CHECK_INT_EQ(aud_fairtask_new(&t, &o, &err), 0);
	memset(&row, 0, sizeof(row));
	row.values = vals;
	row.lens = lens;
	row.ylabel = NAN;
	CHECK_INT_EQ(aud_fairtask_add_row(t, &row, &err), AUD_EINVAL);
	row.ylabel = 1;
	CHECK_INT_EQ(aud_fairtask_add_row(t, &row, &err), 0);
	CHECK_INT_EQ((int)aud_fairtask_rows(t), 1);
	aud_fairtask_free(t);
	aud_fairtask_free(NULL);
	/* multi-class: a missing prediction is skipped and counted */
	o.task = AUD_FAIRTASK_MULTICLASS;
	CHECK_INT_EQ(read_mem("g,y,p\na,u,u\na,v,\n", &o, "y", "p", &r, &err), 0);
	CHECK(has_warning(r.warn, "1 rows skipped: missing prediction"));
	run_free(&r);
}

/* Check paths: each task's own, the others refused with the task named. */
void
test_fairtask__check_paths(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	static const char *const mc_ok[] = { "accuracy_difference < 0.1", "macro_f1_ratio >= 0.8",
		"metrics.balanced_accuracy > 0.5", "overall.count > 1", "overall.macro_recall > 0",
		"disparity.accuracy.ratio >= 0.8", "race: accuracy_ratio > 0.5", NULL };
	static const char *const rg_ok[] = { "mae_difference < 1", "bounded_group_loss < 2",
		"metrics.r2 > 0", "overall.rmse < 3", "disparity.group_loss.difference < 1", NULL };
	static const char *const mc_bad[] = { "mae_difference < 1", "demographic_parity_ratio > 1",
		"metrics.tpr > 0", "bounded_group_loss < 1", "accuracy < 1", NULL };
	struct aud_expr *e = NULL;
	size_t i;

	for (i = 0; mc_ok[i] != NULL; i++) {
		CHECK_INT_EQ(aud_expr_parse(&e, mc_ok[i], &err), 0);
		CHECK_INT_EQ(aud_fairtask_expr_validate(AUD_FAIRTASK_MULTICLASS, e, &err), 0);
		aud_expr_free(e);
	}
	for (i = 0; rg_ok[i] != NULL; i++) {
		CHECK_INT_EQ(aud_expr_parse(&e, rg_ok[i], &err), 0);
		CHECK_INT_EQ(aud_fairtask_expr_validate(AUD_FAIRTASK_REGRESSION, e, &err), 0);
		CHECK_INT_EQ(aud_fairtask_expr_validate(AUD_FAIRTASK_MULTICLASS, e, NULL), AUD_EPARSE);
		aud_expr_free(e);
	}
	for (i = 0; mc_bad[i] != NULL; i++) {
		CHECK_INT_EQ(aud_expr_parse(&e, mc_bad[i], &err), 0);
		CHECK_INT_EQ(aud_fairtask_expr_validate(AUD_FAIRTASK_MULTICLASS, e, &err), AUD_EPARSE);
		aud_expr_free(e);
	}
	CHECK_STR_EQ(err.msg, "unknown metric 'accuracy' in check 'accuracy < 1' (with --task "
	    "multiclass: a summary such as accuracy_difference or macro_f1_ratio, "
	    "disparity.METRIC.ratio|difference, metrics.METRIC, overall.METRIC)");
}

/* The views need a task's document. */
void
test_fairtask__write_refuses_other_documents(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	cJSON *doc = cJSON_Parse("{\"results\": {\"overall\": {}}}");
	FILE *f = tmpfile();

	CHECK(doc != NULL && f != NULL);
	CHECK_INT_EQ(aud_fairtask_write(doc, AUD_FORMAT_TABLE, f, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "not a multi-class or regression fairness document");
	cJSON_Delete(doc);
	if (f != NULL)
		fclose(f);
}
