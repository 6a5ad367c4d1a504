/*
 * test_xgb.c — XGBoost JSON boosters (xgb.h) on small hand-written models:
 * predictions computed by hand (missing values and default directions, the
 * `<` boundary at a split value, float32 rounding of inputs and of the sum of
 * the trees, the logistic and log links of base_score), the trees of tree.h,
 * detection by content in aud_model_open(), and every error path with its
 * message.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <audit/batch.h>
#include <audit/model.h>
#include <audit/tree.h>
#include <audit/xgb.h>

#include "runner.h"

/*
 * Tree T1: node 0 tests x < 0.5 (missing: left) -> node 1, leaf 0.25;
 * else node 2 tests y < 0.1 (missing: right) -> node 3, leaf -0.5, or node 4, leaf 1.
 */
#define T1 "{\"left_children\":[1,-1,3,-1,-1],\"right_children\":[2,-1,4,-1,-1]," \
	"\"split_indices\":[0,0,1,0,0],\"split_conditions\":[0.5,0.25,0.1,-0.5,1.0]," \
	"\"default_left\":[1,0,0,0,0],\"sum_hessian\":[10,4,6,2.5,3.5]," \
	"\"base_weights\":[0,0,0,0,0],\"split_type\":[0,0,0,0,0],\"categories_nodes\":[]," \
	"\"tree_param\":{\"num_nodes\":\"5\",\"num_feature\":\"2\"}}"

/* A model: feature names (a JSON array body), trees, tree_info, objective, base_score. */
static char *
model_json(const char *names, const char *trees, const char *info, size_t ntrees,
    const char *objective, const char *base, const char *booster)
{
	static const char fmt[] =
	    "{\"learner\":{\"attributes\":{},\"feature_names\":[%s],\"feature_types\":[],"
	    "\"gradient_booster\":{\"model\":{\"gbtree_model_param\":{\"num_parallel_tree\":\"1\","
	    "\"num_trees\":\"%zu\"},\"tree_info\":[%s],\"trees\":[%s]},\"name\":\"%s\"},"
	    "\"learner_model_param\":{\"base_score\":\"%s\",\"boost_from_average\":\"1\","
	    "\"num_class\":\"0\",\"num_feature\":\"2\",\"num_target\":\"1\"},"
	    "\"objective\":{\"name\":\"%s\",\"reg_loss_param\":{\"scale_pos_weight\":\"1\"}}},"
	    "\"version\":[1,7,4]}";
	size_t n = sizeof(fmt) + strlen(names) + strlen(trees) + strlen(info) +
	    strlen(objective) + strlen(base) + strlen(booster) + 32;
	char *s = malloc(n);

	if (s != NULL)
		snprintf(s, n, fmt, names, ntrees, info, trees, booster, base, objective);
	return s;
}

static char *
simple(const char *objective, const char *base)
{
	return model_json("\"x\",\"y\"", T1, "0", 1, objective, base, "gbtree");
}

/* js with its first `from` replaced by `to` (caller frees), or NULL. */
static char *
edit(const char *js, const char *from, const char *to)
{
	const char *at = js != NULL ? strstr(js, from) : NULL;
	char *ed;

	if (at == NULL)
		return NULL;
	ed = malloc(strlen(js) + strlen(to) + 1);
	if (ed != NULL) {
		memcpy(ed, js, (size_t)(at - js));
		strcpy(ed + (at - js), to);
		strcat(ed, at + strlen(from));
	}
	return ed;
}

/* The gbtree model js as a dart booster whose trees weigh `weights` (caller frees). */
static char *
dart(const char *js, const char *weights)
{
	char head[128], *a, *b;

	snprintf(head, sizeof(head), "\"gradient_booster\":{\"name\":\"dart\","
	    "\"weight_drop\":[%s],\"gbtree\":{", weights);
	a = edit(js, "\"gradient_booster\":{", head);
	b = edit(a, ",\"name\":\"gbtree\"}", ",\"name\":\"gbtree\"}}");
	free(a);
	return b;
}

/* Load from memory; returns the code, the model in *m. */
static int
load(struct aud_model **m, const char *json, struct aud_error *err)
{
	return aud_xgb_load_mem(m, "m.json", json, strlen(json), NULL, err);
}

/* A batch of columns x and y (names given) with n rows. */
static struct aud_batch *
batch2(const char *nx, const char *ny, const double *x, const double *y, size_t n)
{
	struct aud_error err = AUD_ERROR_INIT;
	const char *names[2];
	enum aud_col_kind kinds[2] = { AUD_COL_NUMERIC, AUD_COL_NUMERIC };
	struct aud_batch *b = NULL;
	size_t i;

	names[0] = nx;
	names[1] = ny;
	if (aud_batch_new(&b, 2, names, kinds, n, &err) < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		b->cols[0].num[i] = x[i];
		b->cols[1].num[i] = y[i];
	}
	b->nrows = n;
	return b;
}

void
test_xgb__regression_by_hand(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;
	char *js = simple("reg:squarederror", "5E-1");
	/* rows: left; missing x (default left); x at the split value (not < : right) and
	 * y below; y missing (default right); y = 0.1 whose float equals the split's
	 * float (right, where double arithmetic would go left); x just below 0.5 that
	 * rounds to the float 0.5 (right); values past the float range (infinite
	 * as floats: right, and left for y) */
	double x[] = { 0.2, NAN, 0.5, 0.7, 0.9, 0.49999999, 1e39 };
	double y[] = { 9, 9, 0.0, NAN, 0.1, -1, -1e39 };
	double want[] = { 0.75, 0.75, 0.0, 1.5, 1.5, 0.0, 0.0 };
	double score[7], margin[7];
	struct aud_batch *b = batch2("x", "y", x, y, 7);
	size_t i;

	CHECK(js != NULL && b != NULL);
	CHECK_INT_EQ(load(&m, js, &err), 0);
	if (m == NULL)
		goto done;
	CHECK(aud_xgb_is_xgb(m));
	CHECK_INT_EQ(aud_model_task(m), AUD_TASK_REGRESSION);
	CHECK(aud_model_positive(m) == NULL);
	CHECK_INT_EQ(aud_model_has_margin(m), 0);
	CHECK_INT_EQ(aud_model_nfeatures(m), 2);
	CHECK_STR_EQ(aud_model_feature(m, 0)->name, "x");
	CHECK_STR_EQ(aud_model_feature(m, 1)->name, "y");
	CHECK_INT_EQ(aud_model_feature(m, 1)->kind, AUD_COL_NUMERIC);
	CHECK_STR_EQ(aud_model_describe(m), "xgboost gbtree reg:squarederror");
	CHECK_INT_EQ(aud_model_predict(m, b, score, margin, &err), 0);
	for (i = 0; i < 7; i++) {
		CHECK_DBL_EQ(score[i], want[i]);
		CHECK_DBL_EQ(margin[i], want[i]);
	}
done:
	aud_model_free(m);
	aud_batch_free(b);
	free(js);
}

void
test_xgb__logistic_by_hand(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;
	char *js = simple("binary:logistic", "3E-1");
	double x[] = { 0.2, 0.7, 0.7 }, y[] = { 0, 0, 5 };
	/* base margin logit(0.3) = ln(0.3 / 0.7) */
	double base = log(0.3 / 0.7), leaf[] = { 0.25, -0.5, 1.0 };
	double score[3], margin[3];
	struct aud_batch *b = batch2("x", "y", x, y, 3);
	size_t i;

	CHECK_INT_EQ(load(&m, js, &err), 0);
	if (m == NULL)
		goto done;
	CHECK_INT_EQ(aud_model_task(m), AUD_TASK_CLASSIFICATION);
	CHECK_STR_EQ(aud_model_positive(m), "1");
	CHECK_INT_EQ(aud_model_has_margin(m), 1);
	CHECK_INT_EQ(aud_model_predict(m, b, score, margin, &err), 0);
	for (i = 0; i < 3; i++) {
		/* float32 arithmetic: about 1e-7 relative from the exact values */
		CHECK_REL(margin[i], base + leaf[i], 3e-7);
		CHECK_REL(score[i], 1 / (1 + exp(-(base + leaf[i]))), 3e-7);
		/* the margin and the score are floats */
		CHECK_DBL_EQ(margin[i], (double)(float)margin[i]);
		CHECK_DBL_EQ(score[i], (double)(float)score[i]);
	}
	aud_model_free(m);
	m = NULL;
	/* reg:logistic: the same numbers, a regression task */
	free(js);
	js = simple("reg:logistic", "3E-1");
	CHECK_INT_EQ(load(&m, js, &err), 0);
	if (m == NULL)
		goto done;
	CHECK_INT_EQ(aud_model_task(m), AUD_TASK_REGRESSION);
	CHECK_INT_EQ(aud_model_predict(m, b, score, margin, &err), 0);
	CHECK_REL(score[1], 1 / (1 + exp(-(base - 0.5))), 3e-7);
done:
	aud_model_free(m);
	aud_batch_free(b);
	free(js);
}

void
test_xgb__poisson_by_hand(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;
	char *js = simple("count:poisson", "2");
	double x[] = { 0.2 }, y[] = { 0 }, score[1], margin[1];
	struct aud_batch *b = batch2("x", "y", x, y, 1);

	CHECK_INT_EQ(load(&m, js, &err), 0);
	if (m != NULL) {
		CHECK_INT_EQ(aud_model_predict(m, b, score, margin, &err), 0);
		/* margin log(2) + 0.25, score 2 * exp(0.25) */
		CHECK_REL(margin[0], log(2) + 0.25, 3e-7);
		CHECK_REL(score[0], 2 * exp(0.25), 3e-7);
	}
	aud_model_free(m);
	aud_batch_free(b);
	free(js);
}

/* The trees' leaves are added in float: 2^24 + 1 is 2^24 in float. */
void
test_xgb__float_sum(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;
#define LEAF(v) "{\"left_children\":[-1],\"right_children\":[-1],\"split_indices\":[0]," \
	    "\"split_conditions\":[" v "],\"default_left\":[0]}"
	const char *trees = LEAF("16777216") "," LEAF("1") "," LEAF("1");
	char *js;
	double x[] = { 0 }, y[] = { 0 }, score[1];
	struct aud_batch *b = batch2("x", "y", x, y, 1);

	js = model_json("\"x\",\"y\"", trees, "0,0,0", 3, "reg:squarederror", "0", "gbtree");
	CHECK_INT_EQ(load(&m, js, &err), 0);
	if (m != NULL) {
		CHECK_INT_EQ(aud_model_predict(m, b, score, NULL, &err), 0);
		CHECK_DBL_EQ(score[0], 16777216.0);
	}
	aud_model_free(m);
	aud_batch_free(b);
	free(js);
}

/* Without feature names: f0, f1, and a clear message when a column is missing. */
void
test_xgb__unnamed_features(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;
	char *js = model_json("", T1, "0", 1, "reg:squarederror", "0", "gbtree");
	double x[] = { 0.2 }, y[] = { 0 }, score[1];
	struct aud_batch *b = batch2("f0", "f1", x, y, 1), *b2 = batch2("x", "y", x, y, 1);

	CHECK_INT_EQ(load(&m, js, &err), 0);
	if (m != NULL) {
		CHECK_STR_EQ(aud_model_feature(m, 0)->name, "f0");
		CHECK_STR_EQ(aud_model_feature(m, 1)->name, "f1");
		CHECK_INT_EQ(aud_model_predict(m, b, score, NULL, &err), 0);
		CHECK_DBL_EQ(score[0], 0.25);
		CHECK_INT_EQ(aud_model_predict(m, b2, score, NULL, &err), AUD_ENOTFOUND);
		CHECK_STR_EQ(err.msg, "the model's feature 'f0' is not a column of the input (the "
		    "XGBoost model has no feature names: its 2 features are read from columns f0 "
		    "to f1)");
	}
	aud_model_free(m);
	aud_batch_free(b);
	aud_batch_free(b2);
	free(js);
}

/* A text column is read as numbers; a word in it is bad input. */
void
test_xgb__text_column(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;
	char *js = simple("reg:squarederror", "0");
	const char *names[2] = { "x", "y" };
	enum aud_col_kind kinds[2] = { AUD_COL_CATEGORICAL, AUD_COL_NUMERIC };
	struct aud_batch *b = NULL;
	double score[3];

	CHECK_INT_EQ(aud_batch_new(&b, 2, names, kinds, 3, &err), 0);
	CHECK_INT_EQ(load(&m, js, &err), 0);
	if (m == NULL || b == NULL)
		goto done;
	CHECK_INT_EQ(aud_dict_intern(&b->cols[0].code[0], b->cols[0].dict, "0.2", 3, &err), 0);
	b->cols[0].code[1] = -1;
	CHECK_INT_EQ(aud_dict_intern(&b->cols[0].code[2], b->cols[0].dict, "0.5", 3, &err), 0);
	b->cols[1].num[0] = b->cols[1].num[1] = b->cols[1].num[2] = 5;
	b->nrows = 3;
	CHECK_INT_EQ(aud_model_predict(m, b, score, NULL, &err), 0);
	CHECK_DBL_EQ(score[0], 0.25);
	CHECK_DBL_EQ(score[1], 0.25);
	CHECK_DBL_EQ(score[2], 1.0);
	CHECK_INT_EQ(aud_dict_intern(&b->cols[0].code[2], b->cols[0].dict, "high", 4, &err), 0);
	CHECK_INT_EQ(aud_model_predict(m, b, score, NULL, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "row 3: column 'x' holds 'high', not a number (an XGBoost model "
	    "reads numbers)");
done:
	aud_model_free(m);
	aud_batch_free(b);
	free(js);
}

/* tree.h: the nodes, the cover, the child function, base and is_margin. */
void
test_xgb__trees(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;
	const struct aud_tree_ensemble *e = NULL;
	char *js = simple("binary:logistic", "5E-1");
	double row[2];

	CHECK_INT_EQ(load(&m, js, &err), 0);
	if (m == NULL)
		goto done;
	CHECK_INT_EQ(aud_model_trees(&e, m, &err), 0);
	if (e == NULL)
		goto done;
	CHECK_INT_EQ(e->ntrees, 1);
	CHECK_INT_EQ(e->is_margin, 1);
	CHECK_DBL_EQ(e->base, 0.0);
	CHECK_DBL_EQ(e->weight[0], 1.0);
	CHECK_INT_EQ(e->trees[0].nnodes, 5);
	CHECK_INT_EQ(e->trees[0].feature[0], 0);
	CHECK_INT_EQ(e->trees[0].feature[1], -1);
	CHECK_INT_EQ(e->trees[0].feature[2], 1);
	CHECK_DBL_EQ(e->trees[0].value[3], -0.5);
	CHECK_DBL_EQ(e->trees[0].value[4], 1.0);
	CHECK(e->trees[0].cover != NULL);
	if (e->trees[0].cover != NULL) {
		CHECK_DBL_EQ(e->trees[0].cover[0], 10);
		CHECK_DBL_EQ(e->trees[0].cover[3], 2.5);
	}
	row[0] = NAN;
	row[1] = 0;
	CHECK_INT_EQ(aud_tree_child(&e->trees[0], 0, row), 1);
	row[0] = 0.5;
	CHECK_INT_EQ(aud_tree_child(&e->trees[0], 0, row), 2);
	row[1] = 0.1;    /* float(0.1) is not < float(0.1) */
	CHECK_INT_EQ(aud_tree_child(&e->trees[0], 2, row), 4);
	row[1] = NAN;
	CHECK_INT_EQ(aud_tree_child(&e->trees[0], 2, row), 4);
	aud_model_free(m);
	m = NULL;
	free(js);
	js = simple("reg:squarederror", "2");
	CHECK_INT_EQ(load(&m, js, &err), 0);
	if (m != NULL && aud_model_trees(&e, m, &err) == 0) {
		CHECK_INT_EQ(e->is_margin, 0);
		CHECK_DBL_EQ(e->base, 2.0);
	}
done:
	aud_model_free(m);
	free(js);
}

/* --positive: class 1 (however written) or nothing. */
void
test_xgb__positive(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_xgb_options o = AUD_XGB_OPTIONS_INIT;
	struct aud_model *m = NULL;
	char *js = simple("binary:logistic", "5E-1");

	o.positive = "1.0";
	CHECK_INT_EQ(aud_xgb_load_mem(&m, "m.json", js, strlen(js), &o, &err), 0);
	aud_model_free(m);
	o.positive = "0";
	CHECK_INT_EQ(aud_xgb_load_mem(&m, "m.json", js, strlen(js), &o, &err), AUD_EINVAL);
	CHECK(m == NULL);
	CHECK_STR_EQ(err.msg, "positive class '0' is not supported: an XGBoost binary:logistic "
	    "model gives the probability of class 1");
	free(js);
}

/* aud_model_open(): a file starting with '{' is XGBoost JSON, whatever its name. */
void
test_xgb__open_by_content(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;
	char path[] = "/tmp/test_xgb_XXXXXX";
	char *js = simple("reg:squarederror", "0");
	int fd = mkstemp(path);
	FILE *f;

	CHECK(fd >= 0);
	if (fd < 0)
		goto done;
	f = fdopen(fd, "w");
	CHECK(f != NULL);
	if (f == NULL)
		goto done;
	fprintf(f, " \n\t%s\n", js);
	fclose(f);
	CHECK_INT_EQ(aud_model_open(&m, path, NULL, NULL, &err), 0);
	CHECK(m != NULL && aud_xgb_is_xgb(m));
	aud_model_free(m);
	m = NULL;
	/* a PMML file is still PMML */
	CHECK_INT_EQ(aud_model_open(&m, "tests/data/pmml/float.pmml", NULL, NULL, &err), 0);
	CHECK(m != NULL && !aud_xgb_is_xgb(m));
	aud_model_free(m);
	m = NULL;
	/* a JSON file that is not a model says so */
	f = fopen(path, "w");
	if (f != NULL) {
		fputs("{\"tool\": \"audit-fair\"}\n", f);
		fclose(f);
	}
	CHECK_INT_EQ(aud_model_open(&m, path, NULL, NULL, &err), AUD_EPARSE);
	CHECK(strstr(err.msg, ": (top level): no 'learner' (not an XGBoost JSON model?)") != NULL);
	unlink(path);
done:
	free(js);
}

/* Loading fails with code `code` and a message containing `want`. */
static void
expect_error(const char *json, int code, const char *want, int line)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;
	int rc = aud_xgb_load_mem(&m, "m.json", json, strlen(json), NULL, &err);

	if (rc != code)
		aud_test_fail(__FILE__, line, "code %d, want %d (%s)", rc, code, err.msg);
	if (m != NULL)
		aud_test_fail(__FILE__, line, "a model was returned");
	if (strstr(err.msg, want) == NULL)
		aud_test_fail(__FILE__, line, "message \"%s\" lacks \"%s\"", err.msg, want);
	aud_model_free(m);
}

/* The model with `from` replaced by `to` (once) must fail with code and message. */
static void
expect_edit(const char *from, const char *to, int code, const char *want, int line)
{
	char *js = simple("binary:logistic", "5E-1"), *ed = edit(js, from, to);

	if (ed == NULL)
		aud_test_fail(__FILE__, line, "'%s' not in the model", from);
	else
		expect_error(ed, code, want, line);
	free(ed);
	free(js);
}

void
test_xgb__errors_json(void)
{
	char *js = simple("binary:logistic", "5E-1");

	expect_error("hello", AUD_EPARSE, "m.json:1:1: malformed JSON", __LINE__);
	expect_error("", AUD_EPARSE, "m.json:1:1: malformed JSON", __LINE__);
	expect_error("[1, 2]", AUD_EPARSE, "m.json: not an XGBoost JSON model (not a JSON object)",
	    __LINE__);
	if (js != NULL) {
		js[strlen(js) / 2] = '\0';     /* truncated */
		expect_error(js, AUD_EPARSE, "malformed JSON", __LINE__);
	}
	free(js);
	/* NaN is not JSON: XGBoost writes no such thing, and cJSON says where it is */
	expect_edit("[0.5,0.25,", "[NaN,0.25,", AUD_EPARSE, "m.json:1:", __LINE__);
}

void
test_xgb__errors_model(void)
{
	const char *tl = "learner.gradient_booster.model.trees[0].";

	(void)tl;
	expect_edit("\"learner\":", "\"learnr\":", AUD_EPARSE,
	    "m.json: (top level): no 'learner' (not an XGBoost JSON model?)", __LINE__);
	/* wrong types */
	expect_edit("\"left_children\":[1,-1,3,-1,-1]", "\"left_children\":\"1\"", AUD_EPARSE,
	    "m.json: learner.gradient_booster.model.trees[0].left_children: not an array",
	    __LINE__);
	expect_edit("[1,-1,3,-1,-1]", "[1,-1,true,-1,-1]", AUD_EPARSE,
	    "m.json: learner.gradient_booster.model.trees[0].left_children[2]: not a number",
	    __LINE__);
	expect_edit("[1,-1,3,-1,-1]", "[1,-1,3.5,-1,-1]", AUD_EPARSE,
	    "trees[0].left_children[2]: 3.5 is not a whole number from -1 to 4", __LINE__);
	expect_edit("\"name\":\"gbtree\"", "\"name\":7", AUD_EPARSE,
	    "m.json: learner.gradient_booster.name: not a string", __LINE__);
	expect_edit("\"num_feature\":\"2\",\"num_target\"", "\"num_feature\":\"two\",\"num_target\"",
	    AUD_EPARSE, "learner.learner_model_param.num_feature: 'two' is not a whole number",
	    __LINE__);
	expect_edit("\"base_score\":\"5E-1\"", "\"base_score\":\"half\"", AUD_EPARSE,
	    "learner.learner_model_param.base_score: 'half' is not a finite number", __LINE__);
	expect_edit("\"base_score\":\"5E-1\"", "\"base_score\":\"1\"", AUD_EPARSE,
	    "base_score: '1' is not in (0, 1), as a logistic objective needs", __LINE__);
	/* sizes disagree */
	expect_edit("\"right_children\":[2,-1,4,-1,-1]", "\"right_children\":[2,-1,4,-1]",
	    AUD_EPARSE, "trees[0].right_children: 4 items where 5 are expected", __LINE__);
	expect_edit("\"num_nodes\":\"5\"", "\"num_nodes\":\"6\"", AUD_EPARSE,
	    "trees[0].tree_param.num_nodes: 6 nodes where left_children has 5", __LINE__);
	expect_edit("\"num_trees\":\"1\"", "\"num_trees\":\"2\"", AUD_EPARSE,
	    "num_trees: 2 trees where the model has 1", __LINE__);
	expect_edit("\"tree_info\":[0]", "\"tree_info\":[0,0]", AUD_EPARSE,
	    "tree_info: 2 items where 1 are expected", __LINE__);
	/* out-of-range child, one child, a cycle, a shared node */
	expect_edit("[1,-1,3,-1,-1]", "[1,-1,5,-1,-1]", AUD_EPARSE,
	    "m.json: learner.gradient_booster.model.trees[0].left_children[2]: 5 is not a whole "
	    "number from -1 to 4", __LINE__);
	expect_edit("[2,-1,4,-1,-1]", "[2,-1,4,-1,3]", AUD_EPARSE,
	    "trees[0].left_children[4]: node 4 has one child (left -1, right 3)", __LINE__);
	expect_edit("[1,-1,3,-1,-1]", "[1,-1,0,-1,-1]", AUD_EPARSE,
	    "trees[0].left_children[2]: node 0 is reached twice (the nodes do not form a tree)",
	    __LINE__);
	expect_edit("[1,-1,3,-1,-1]", "[1,-1,1,-1,-1]", AUD_EPARSE,
	    "node 1 is reached twice", __LINE__);
	/* numbers: a threshold that is no finite float, a negative cover, a feature too far */
	expect_edit("[0.5,0.25,", "[1e39,0.25,", AUD_EPARSE,
	    "trees[0].split_conditions[0]: 1e+39 is not a finite float", __LINE__);
	expect_edit("[10,4,6,", "[10,-4,6,", AUD_EPARSE,
	    "trees[0].sum_hessian[1]: not a finite float >= 0", __LINE__);
	expect_edit("[10,4,6,", "[10,4,1e39,", AUD_EPARSE,
	    "trees[0].sum_hessian[2]: not a finite float >= 0", __LINE__);
	expect_edit("\"split_indices\":[0,0,1,0,0]", "\"split_indices\":[0,0,2,0,0]", AUD_EPARSE,
	    "trees[0].split_indices[2]: feature 2, but the model has 2 features", __LINE__);
	expect_edit("\"default_left\":[1,0,", "\"default_left\":[2,0,", AUD_EPARSE,
	    "trees[0].default_left[0]: 2 is not a whole number from 0 to 1", __LINE__);
	expect_edit("\"feature_names\":[\"x\",\"y\"]", "\"feature_names\":[\"x\",\"x\"]",
	    AUD_EPARSE, "learner.feature_names[1]: 'x' names two features", __LINE__);
	expect_edit("\"feature_names\":[\"x\",\"y\"]", "\"feature_names\":[\"x\"]",
	    AUD_EPARSE, "learner.feature_names: 1 names for 2 features", __LINE__);
}

void
test_xgb__errors_unsupported(void)
{
	expect_edit("\"name\":\"binary:logistic\"", "\"name\":\"rank:pairwise\"", AUD_EUNSUPPORTED,
	    "m.json: learner.objective.name: objective 'rank:pairwise' is not supported "
	    "(supported: binary:logistic,", __LINE__);
	expect_edit("\"name\":\"binary:logistic\"", "\"name\":\"multi:softprob\"",
	    AUD_EUNSUPPORTED, "objective 'multi:softprob' is not supported (multi-class models "
	    "are not supported", __LINE__);
	expect_edit("\"name\":\"gbtree\"", "\"name\":\"gblinear\"", AUD_EUNSUPPORTED,
	    "m.json: learner.gradient_booster.name: the 'gblinear' booster is not supported "
	    "(only gbtree and dart)", __LINE__);
	expect_edit("\"num_class\":\"0\"", "\"num_class\":\"3\"", AUD_EUNSUPPORTED,
	    "num_class: a model of 3 classes is not supported", __LINE__);
	expect_edit("\"tree_info\":[0]", "\"tree_info\":[1]", AUD_EUNSUPPORTED,
	    "tree_info[0]: output group 1", __LINE__);
	expect_edit("\"split_type\":[0,0,0,0,0]", "\"split_type\":[0,0,1,0,0]", AUD_EUNSUPPORTED,
	    "trees[0].split_type[2]: a categorical split", __LINE__);
	expect_edit("\"feature_types\":[]", "\"feature_types\":[\"float\",\"c\"]",
	    AUD_EUNSUPPORTED, "learner.feature_types[1]: a categorical feature", __LINE__);
}

/* The readers' "unknown column" message gets the f0..f{n-1} hint for an unnamed model only. */
void
test_xgb__column_hint(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *unnamed = NULL, *named = NULL;
	char *a = model_json("", T1, "0", 1, "reg:squarederror", "0", "gbtree");
	char *b = simple("reg:squarederror", "0");

	CHECK_INT_EQ(load(&unnamed, a, &err), 0);
	CHECK_INT_EQ(load(&named, b, &err), 0);
	if (unnamed == NULL || named == NULL)
		goto done;
	AUD_ERROR(&err, AUD_ENOTFOUND, "d.csv:1: unknown column 'f0'");
	CHECK_INT_EQ(aud_xgb_column_hint(unnamed, AUD_ENOTFOUND, &err), AUD_ENOTFOUND);
	CHECK_STR_EQ(err.msg, "d.csv:1: unknown column 'f0' (the XGBoost model has no feature "
	    "names: its 2 features are read from columns f0 to f1)");
	AUD_ERROR(&err, AUD_ENOTFOUND, "d.csv:1: unknown column 'x'");
	CHECK_INT_EQ(aud_xgb_column_hint(named, AUD_ENOTFOUND, &err), AUD_ENOTFOUND);
	CHECK_STR_EQ(err.msg, "d.csv:1: unknown column 'x'");
	AUD_ERROR(&err, AUD_EPARSE, "d.csv:3:1: bad");
	CHECK_INT_EQ(aud_xgb_column_hint(unnamed, AUD_EPARSE, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "d.csv:3:1: bad");
done:
	aud_model_free(unnamed);
	aud_model_free(named);
	free(a);
	free(b);
}

/* dart: each tree's leaf times its weight_drop, in float, onto the base margin. */
void
test_xgb__dart(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;
	const struct aud_tree_ensemble *e = NULL;
	char *js = simple("reg:squarederror", "5E-1");
	char *d1 = dart(js, "0.5"), *d2 = dart(js, "0.3"), *bad1 = dart(js, "0.5,1");
	char *bad2 = dart(js, "1e39"), *bad3 = edit(d1, "\"name\":\"gbtree\"}}",
	    "\"name\":\"gblinear\"}}");
	double x[] = { 0.2, 0.7 }, y[] = { 0, 5 }, score[2];
	struct aud_batch *b = batch2("x", "y", x, y, 2);

	CHECK(d1 != NULL && d2 != NULL && bad1 != NULL && bad2 != NULL && bad3 != NULL);
	if (d1 == NULL || d2 == NULL || bad1 == NULL || bad2 == NULL || bad3 == NULL)
		goto done;
	CHECK_INT_EQ(load(&m, d1, &err), 0);
	if (m != NULL) {
		CHECK_STR_EQ(aud_model_describe(m), "xgboost dart reg:squarederror");
		CHECK_INT_EQ(aud_model_predict(m, b, score, NULL, &err), 0);
		CHECK_DBL_EQ(score[0], 0.625);    /* 0.5 + 0.5 * 0.25 */
		CHECK_DBL_EQ(score[1], 1.0);      /* 0.5 + 0.5 * 1 */
		CHECK_INT_EQ(aud_model_trees(&e, m, &err), 0);
		if (e != NULL)
			CHECK_DBL_EQ(e->weight[0], 0.5);
	}
	aud_model_free(m);
	m = NULL;
	CHECK_INT_EQ(load(&m, d2, &err), 0);
	if (m != NULL) {
		CHECK_INT_EQ(aud_model_predict(m, b, score, NULL, &err), 0);
		/* XGBoost: out += leaf * w, both in float */
		CHECK_DBL_EQ(score[0], (double)(0.5f + 0.25f * 0.3f));
		CHECK_DBL_EQ(score[1], (double)(0.5f + 1.0f * 0.3f));
	}
	expect_error(bad1, AUD_EPARSE, "m.json: learner.gradient_booster.weight_drop: 2 items where "
	    "1 are expected", __LINE__);
	expect_error(bad2, AUD_EPARSE, "m.json: learner.gradient_booster.weight_drop[0]: not a "
	    "finite float", __LINE__);
	expect_error(bad3, AUD_EUNSUPPORTED, "m.json: learner.gradient_booster.gbtree.name: the "
	    "'gblinear' booster is not supported", __LINE__);
done:
	aud_model_free(m);
	aud_batch_free(b);
	free(js);
	free(d1);
	free(d2);
	free(bad1);
	free(bad2);
	free(bad3);
}
