/*
 * test_pmml_tree.c — tree.h over PMML models, and the reference models of
 * ../shared/reference/explain-* (scores to 1e-12).
 *
 * For each tree ensemble the sum base + sum_t w_t * leaf_t(x), walked with
 * aud_tree_child() on the model's features, must give the model's own margin
 * (and its score through the logistic link when is_margin is 1).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/batch.h>
#include <audit/csv.h>
#include <audit/model.h>
#include <audit/pmml.h>
#include <audit/tree.h>

#include "runner.h"

/* Read a whole CSV into one batch. */
static int
read_csv(const char *path, const char *na, struct aud_csv **csv, struct aud_batch_reader **br,
    struct aud_batch **b)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv_options co = AUD_CSV_OPTIONS_INIT;

	co.na = na;
	if (aud_csv_open(csv, path, &co, &err) < 0 ||
	    aud_batch_reader_new(br, *csv, NULL, NULL, 0, 1000000, 0, &err) < 0 ||
	    aud_batch_reader_next(b, *br, &err) != 1) {
		aud_test_fail(__FILE__, __LINE__, "%s: %s", path, err.msg);
		return -1;
	}
	return 0;
}

/* Row r of b as tree.h wants it: model features, categories as indices. */
static void
row_x(const struct aud_model *m, const struct aud_batch *b, size_t r, double *x)
{
	size_t i, k;

	for (i = 0; i < aud_model_nfeatures(m); i++) {
		const struct aud_feature *f = aud_model_feature(m, i);
		const struct aud_column *c = &b->cols[aud_batch_find(b, f->name)];
		char buf[32];
		const char *s = NULL;
		x[i] = NAN;
		if (f->kind == AUD_COL_NUMERIC) {
			x[i] = c->kind == AUD_COL_NUMERIC ? c->num[r] : NAN;
			continue;
		}
		if (c->kind == AUD_COL_NUMERIC) {
			if (isnan(c->num[r]))
				continue;
			aud_format_double(buf, c->num[r]);
			s = buf;
		} else if (c->code[r] >= 0) {
			s = aud_dict_str(c->dict, c->code[r]);
		}
		if (s == NULL)
			continue;
		for (k = 0; k < f->ncategories; k++)
			if (strcmp(f->categories[k], s) == 0)
				x[i] = (double)k;
	}
}

static double
ens_eval(const struct aud_tree_ensemble *e, const double *x)
{
	double s = e->base;
	size_t t;

	for (t = 0; t < e->ntrees; t++) {
		const struct aud_tree *tr = &e->trees[t];
		size_t n = 0;
		while (tr->feature[n] >= 0)
			n = aud_tree_child(tr, n, x);
		s += e->weight[t] * tr->value[n];
	}
	return s;
}

/* Check the ensemble against the model on every row; tol relative. */
static void
check_trees(const char *model, const char *data, const char *na, int want_margin, double tol)
{
	const char *shared = aud_test_shared();
	char mp[1024], dp[1024];
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;
	struct aud_csv *csv = NULL;
	struct aud_batch_reader *br = NULL;
	struct aud_batch *b = NULL;
	const struct aud_tree_ensemble *e = NULL;
	double *score = NULL, *margin = NULL, x[64];
	size_t r, bad = 0;

	if (shared == NULL) {
		aud_test_skip("../shared is absent");
		return;
	}
	snprintf(mp, sizeof(mp), "%s/%s", shared, model);
	snprintf(dp, sizeof(dp), "%s/%s", shared, data);
	if (aud_pmml_load(&m, mp, NULL, &err) < 0) {
		aud_test_fail(__FILE__, __LINE__, "%s", err.msg);
		return;
	}
	CHECK(aud_model_nfeatures(m) <= 64);
	if (read_csv(dp, na, &csv, &br, &b) < 0)
		goto done;
	if (aud_model_trees(&e, m, &err) < 0) {
		aud_test_fail(__FILE__, __LINE__, "%s: %s", model, err.msg);
		goto done;
	}
	CHECK_INT_EQ(e->is_margin, want_margin);
	CHECK_INT_EQ(aud_model_has_margin(m), want_margin);
	score = calloc(b->nrows, sizeof(*score));
	margin = calloc(b->nrows, sizeof(*margin));
	CHECK_INT_EQ(aud_model_predict(m, b, score, margin, &err), 0);
	for (r = 0; r < b->nrows; r++) {
		double s;
		row_x(m, b, r, x);
		s = ens_eval(e, x);
		if (!aud_test_rel(s, margin[r], tol) ||
		    (want_margin && !aud_test_rel(1 / (1 + exp(-s)), score[r], tol))) {
			if (bad++ < 3)
				aud_test_fail(__FILE__, __LINE__, "%s row %zu: trees give %.17g, model margin %.17g score %.17g",
				    model, r + 1, s, margin[r], score[r]);
		}
	}
done:
	free(score);
	free(margin);
	aud_batch_reader_free(br);
	aud_csv_free(csv);
	aud_model_free(m);
}

void
test_pmml_tree__adult_rf_forest(void)
{
	check_trees("reference/explain-adult-rf/model.pmml", "reference/explain-adult-rf/rows.csv",
	    NULL, 0, 1e-12);
}

void
test_pmml_tree__sklearn_gbm_chain_logit(void)
{
	check_trees("pmml-conformance/sklearn-gbm-audit/model.pmml",
	    "pmml-conformance/sklearn-gbm-audit/input.csv", NULL, 1, 1e-12);
}

void
test_pmml_tree__lightgbm_missing_values(void)
{
	check_trees("pmml-conformance/lightgbm-audit-na/model.pmml",
	    "pmml-conformance/lightgbm-audit-na/input.csv", ",NA,N/A", 1, 1e-12);
}

void
test_pmml_tree__xgboost_float(void)
{
	/* float32 model, summed in double here */
	check_trees("pmml-conformance/xgboost-audit-na/model.pmml",
	    "pmml-conformance/xgboost-audit-na/input.csv", ",NA,N/A", 1, 2e-6);
}

void
test_pmml_tree__sklearn_rf_average(void)
{
	check_trees("pmml-conformance/sklearn-rf-audit/model.pmml",
	    "pmml-conformance/sklearn-rf-audit/input.csv", NULL, 0, 1e-12);
}

void
test_pmml_tree__randomforest_votes(void)
{
	check_trees("pmml-conformance/r-randomforest-audit/model.pmml",
	    "pmml-conformance/r-randomforest-audit/input.csv", NULL, 0, 1e-12);
}

void
test_pmml_tree__gbm_regression_rescaled(void)
{
	check_trees("pmml-conformance/sklearn-gbm-auto/model.pmml",
	    "pmml-conformance/sklearn-gbm-auto/input.csv", NULL, 0, 1e-12);
}

void
test_pmml_tree__not_a_tree_model(void)
{
	const char *shared = aud_test_shared();
	char mp[1024];
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;
	const struct aud_tree_ensemble *e = NULL;

	if (shared == NULL) {
		aud_test_skip("../shared is absent");
		return;
	}
	snprintf(mp, sizeof(mp), "%s/reference/explain-german-logreg/model.pmml", shared);
	CHECK_INT_EQ(aud_pmml_load(&m, mp, NULL, &err), 0);
	CHECK_INT_EQ(aud_model_trees(&e, m, &err), AUD_EUNSUPPORTED);
	CHECK(strstr(err.msg, "not a tree ensemble") != NULL);
	aud_model_free(m);
}

/* The reference models reproduce scikit-learn's probabilities to 1e-12. */
static void
check_reference(const char *name)
{
	const char *shared = aud_test_shared();
	char mp[1024], rp[1024], ep[1024];
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;
	struct aud_csv *csv = NULL, *exp_csv = NULL;
	struct aud_batch_reader *br = NULL, *ebr = NULL;
	struct aud_batch *b = NULL, *eb = NULL;
	double *score = NULL;
	size_t r;

	if (shared == NULL) {
		aud_test_skip("../shared/reference is absent");
		return;
	}
	snprintf(mp, sizeof(mp), "%s/reference/%s/model.pmml", shared, name);
	snprintf(rp, sizeof(rp), "%s/reference/%s/rows.csv", shared, name);
	snprintf(ep, sizeof(ep), "%s/reference/%s/expected_scores.csv", shared, name);
	if (aud_pmml_load(&m, mp, NULL, &err) < 0) {
		aud_test_fail(__FILE__, __LINE__, "%s", err.msg);
		return;
	}
	CHECK_STR_EQ(aud_model_positive(m), "1");
	if (read_csv(rp, NULL, &csv, &br, &b) < 0 || read_csv(ep, NULL, &exp_csv, &ebr, &eb) < 0)
		goto done;
	CHECK_INT_EQ(b->nrows, eb->nrows);
	score = calloc(b->nrows, sizeof(*score));
	CHECK_INT_EQ(aud_model_predict(m, b, score, NULL, &err), 0);
	for (r = 0; r < b->nrows && r < eb->nrows; r++)
		CHECK_REL(score[r], eb->cols[0].num[r], 1e-12);
done:
	free(score);
	aud_batch_reader_free(br);
	aud_batch_reader_free(ebr);
	aud_csv_free(csv);
	aud_csv_free(exp_csv);
	aud_model_free(m);
}

void
test_pmml_tree__reference_adult_rf_scores(void)
{
	check_reference("explain-adult-rf");
}

void
test_pmml_tree__reference_german_logreg_scores(void)
{
	check_reference("explain-german-logreg");
}

/*
 * A field without declared values: its categories are the values the trees
 * test ('a', 'q'); an index outside them is an unseen value under asIs, and
 * missing under asMissing (then the tree's missing path, to 'm').
 */
static void
unseen_case(const char *ivt, double want_unseen)
{
	char xml[2048];
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;
	const struct aud_tree_ensemble *e = NULL;
	const struct aud_feature *f;
	double x[1];
	size_t n;

	snprintf(xml, sizeof(xml),
	    "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><DataDictionary>"
	    "<DataField name=\"c\" optype=\"categorical\" dataType=\"string\"/>"
	    "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>"
	    "<TreeModel functionName=\"regression\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>"
	    "<MiningField name=\"c\" invalidValueTreatment=\"%s\"/></MiningSchema>"
	    "<Node score=\"0\"><True/>"
	    "<Node score=\"1\"><SimpleSetPredicate field=\"c\" booleanOperator=\"isIn\"><Array type=\"string\">a q</Array></SimpleSetPredicate></Node>"
	    "<Node score=\"2\"><SimplePredicate field=\"c\" operator=\"isNotMissing\"/></Node>"
	    "<Node score=\"3\"><True/></Node>"
	    "</Node></TreeModel></PMML>", ivt);
	CHECK_INT_EQ(aud_pmml_load_mem(&m, "t.pmml", xml, strlen(xml), NULL, &err), 0);
	if (m == NULL)
		return;
	f = aud_model_feature(m, 0);
	CHECK_INT_EQ(f->ncategories, 2);
	CHECK_STR_EQ(f->categories[1], "q");
	CHECK_INT_EQ(aud_model_trees(&e, m, &err), 0);
	if (e != NULL) {
		x[0] = 1;  /* q */
		CHECK_DBL_EQ(ens_eval(e, x), 1);
		x[0] = 2;  /* unseen */
		CHECK_DBL_EQ(ens_eval(e, x), want_unseen);
		x[0] = NAN;
		CHECK_DBL_EQ(ens_eval(e, x), 3);
		n = 0;
		CHECK(aud_tree_child(&e->trees[0], n, x) != 0);
	}
	aud_model_free(m);
}

void
test_pmml_tree__unseen_category(void)
{
	unseen_case("asIs", 2);
	unseen_case("asMissing", 3);
}
