/* test_fairness.c — metrics, summaries, disparities, edge cases, CSV input, checks, bootstrap. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/csv.h>
#include <audit/fairness.h>
#include <audit/json.h>
#include <audit/rng.h>

#include "runner.h"

/* A test row: group values (up to 2 columns; NULL = missing), label, prediction, score, weight. */
struct tr {
	const char *g1, *g2;
	int y, p;
	double s, w;
};

/* Add `n` copies of a row. */
static void
add(struct aud_fairness *f, const char *g1, const char *g2, int y, int p, double s,
    double w, int n)
{
	struct aud_error err = AUD_ERROR_INIT;
	const char *vals[2] = { g1, g2 };
	size_t lens[2] = { g1 ? strlen(g1) : 0, g2 ? strlen(g2) : 0 };
	struct aud_fairness_row row;
	int i;

	row.values = vals;
	row.lens = lens;
	row.label = y;
	row.pred = p;
	row.favorable = p;
	row.score = s;
	row.weight = w;
	for (i = 0; i < n; i++)
		if (aud_fairness_add_row(f, &row, &err) < 0) {
			aud_test_fail(__FILE__, __LINE__, "add_row: %s", err.msg);
			return;
		}
}


static const cJSON *
attr(const cJSON *res, const char *name)
{
	const cJSON *a;

	cJSON_ArrayForEach(a, aud_json_get(res, "attributes"))
		if (strcmp(cJSON_GetStringValue(aud_json_get(a, "attribute")), name) == 0)
			return a;
	return NULL;
}

static const cJSON *
group(const cJSON *res, const char *a, const char *g)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, aud_json_get(attr(res, a), "groups"))
		if (strcmp(cJSON_GetStringValue(aud_json_get(x, "group")), g) == 0)
			return x;
	return NULL;
}

/* A metric: NaN for null, -999 when the key is absent. */
static double
num(const cJSON *o, const char *k)
{
	const cJSON *x = aud_json_get(o, k);

	if (x == NULL)
		return -999;
	return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

static double
gm(const cJSON *res, const char *a, const char *g, const char *m)
{
	return num(aud_json_get(group(res, a, g), "metrics"), m);
}

static double
sm(const cJSON *res, const char *a, const char *m)
{
	return num(aud_json_get(attr(res, a), "summary"), m);
}

static int
has_warning(const cJSON *w, const char *needle)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, w)
		if (strstr(cJSON_GetStringValue(x), needle) != NULL)
			return 1;
	return 0;
}

struct run {
	cJSON *res, *warn;
};

static int
finish(struct aud_fairness *f, struct run *r)
{
	struct aud_error err = AUD_ERROR_INIT;
	int rc;

	r->res = cJSON_CreateObject();
	r->warn = cJSON_CreateArray();
	rc = aud_fairness_finish(f, r->res, r->warn, &err);
	if (rc < 0)
		printf("  finish: %s\n", err.msg);
	aud_fairness_free(f);
	return rc;
}

static void
run_free(struct run *r)
{
	cJSON_Delete(r->res);
	cJSON_Delete(r->warn);
}

static const char *const one_col[] = { "g" };
static const char *const two_cols[] = { "race", "sex" };

static struct aud_fairness *
new_f(const struct aud_fairness_options *o)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_fairness *f = NULL;

	if (aud_fairness_new(&f, o, &err) < 0)
		aud_test_fail(__FILE__, __LINE__, "new: %s", err.msg);
	return f;
}

/* Group A: TP 3, FP 1, FN 2, TN 4; group B: TP 1, FP 2, FN 1, TN 6 (hand-computed below). */
static struct aud_fairness *
tiny(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairness *f;

	o.protected = one_col;
	o.nprotected = 1;
	o.min_group_size = 5;
	f = new_f(&o);
	add(f, "A", NULL, 1, 1, 0, 1, 3);
	add(f, "A", NULL, 0, 1, 0, 1, 1);
	add(f, "A", NULL, 1, 0, 0, 1, 2);
	add(f, "A", NULL, 0, 0, 0, 1, 4);
	add(f, "B", NULL, 1, 1, 0, 1, 1);
	add(f, "B", NULL, 0, 1, 0, 1, 2);
	add(f, "B", NULL, 1, 0, 0, 1, 1);
	add(f, "B", NULL, 0, 0, 0, 1, 6);
	return f;
}

void
test_fairness__tiny_metrics(void)
{
	struct run r;
	static const struct { const char *m; double a, b; } want[] = {
		{ "base_rate", 5.0 / 10, 2.0 / 10 }, { "selection_rate", 4.0 / 10, 3.0 / 10 },
		{ "favorable_rate", 4.0 / 10, 3.0 / 10 }, { "accuracy", 7.0 / 10, 7.0 / 10 },
		{ "tpr", 3.0 / 5, 1.0 / 2 }, { "fpr", 1.0 / 5, 2.0 / 8 },
		{ "tnr", 4.0 / 5, 6.0 / 8 }, { "fnr", 2.0 / 5, 1.0 / 2 },
		{ "ppv", 3.0 / 4, 1.0 / 3 }, { "npv", 4.0 / 6, 6.0 / 7 },
		{ "fdr", 1.0 / 4, 2.0 / 3 }, { "for", 2.0 / 6, 1.0 / 7 },
		{ "f1", 6.0 / 9, 2.0 / 5 }, { "balanced_accuracy", 0.7, 0.625 },
	};
	size_t i;

	if (finish(tiny(), &r) < 0)
		return;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		CHECK_REL(gm(r.res, "g", "A", want[i].m), want[i].a, 1e-15);
		CHECK_REL(gm(r.res, "g", "B", want[i].m), want[i].b, 1e-15);
	}
	/* no score: no score metrics */
	CHECK_DBL_EQ(gm(r.res, "g", "A", "auc"), -999);
	CHECK_REL(num(aud_json_get(r.res, "overall"), "selection_rate"), 7.0 / 20, 1e-15);
	CHECK_REL(num(aud_json_get(r.res, "overall"), "count"), 20, 0);
	CHECK_REL(num(aud_json_get(r.res, "overall"), "tpr"), 4.0 / 7, 1e-15);
	/* summaries */
	CHECK_REL(sm(r.res, "g", "demographic_parity_difference"), 0.1, 1e-15);
	CHECK_REL(sm(r.res, "g", "demographic_parity_ratio"), 0.75, 1e-15);
	CHECK_REL(sm(r.res, "g", "equal_opportunity_difference"), 0.1, 1e-15);
	CHECK_REL(sm(r.res, "g", "equal_opportunity_ratio"), 5.0 / 6, 1e-15);
	CHECK_REL(sm(r.res, "g", "equalized_odds_difference"), 0.1, 1e-15);
	CHECK_REL(sm(r.res, "g", "equalized_odds_ratio"), 0.8, 1e-15);
	/* reference: tie on count, first by name = A (privileged); B unprivileged */
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(attr(r.res, "g"), "reference")), "A");
	CHECK_REL(sm(r.res, "g", "disparate_impact"), 0.75, 1e-15);
	CHECK_REL(sm(r.res, "g", "statistical_parity_difference"), -0.1, 1e-15);
	CHECK_REL(sm(r.res, "g", "average_odds_difference"), 0.5 * ((0.25 - 0.2) + (0.5 - 0.6)), 1e-15);
	/* disparity of B against A */
	CHECK_REL(num(aud_json_get(aud_json_get(group(r.res, "g", "B"), "disparity"), "selection_rate"), "ratio"), 0.75, 1e-15);
	CHECK_REL(num(aud_json_get(aud_json_get(group(r.res, "g", "B"), "disparity"), "selection_rate"), "difference"), -0.1, 1e-15);
	CHECK_REL(num(aud_json_get(aud_json_get(group(r.res, "g", "B"), "disparity"), "fpr"), "ratio"), 1.25, 1e-15);
	CHECK_REL(num(aud_json_get(aud_json_get(group(r.res, "g", "A"), "disparity"), "fpr"), "ratio"), 1.0, 0);
	/* chi-square 2x2 closed form: N (ad - bc)^2 / (r1 r2 c1 c2) */
	{
		const cJSON *t = aud_json_get(aud_json_get(attr(r.res, "g"), "tests"), "selection_rate");
		double x = 20.0 * (4 * 7 - 6 * 3) * (4 * 7 - 6 * 3) / (10.0 * 10 * 7 * 13);

		CHECK_REL(num(t, "statistic"), x, 1e-12);
		CHECK_REL(num(t, "dof"), 1, 0);
		CHECK_REL(num(t, "p_value"), erfc(sqrt(x / 2)), 1e-12);
		/* TPR among positives: A 3/2, B 1/1 */
		t = aud_json_get(aud_json_get(attr(r.res, "g"), "tests"), "tpr");
		x = 7.0 * (3 * 1 - 2 * 1) * (3 * 1 - 2 * 1) / (5.0 * 2 * 4 * 3);
		CHECK_REL(num(t, "statistic"), x, 1e-12);
	}
	/* Wilson interval of A's selection rate 4/10 */
	{
		const cJSON *ci = aud_json_get(aud_json_get(group(r.res, "g", "A"), "ci"), "selection_rate");
		double z = 1.959963984540054, n = 10, p = 0.4, d = 1 + z * z / n;
		double c = (p + z * z / (2 * n)) / d, h = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d;

		CHECK_REL(cJSON_GetArrayItem(ci, 0)->valuedouble, c - h, 1e-12);
		CHECK_REL(cJSON_GetArrayItem(ci, 1)->valuedouble, c + h, 1e-12);
		/* no Wilson interval for f1 */
		CHECK(aud_json_get(aud_json_get(group(r.res, "g", "A"), "ci"), "f1") == NULL);
	}
	CHECK(cJSON_IsFalse(aud_json_get(group(r.res, "g", "A"), "small")));
	run_free(&r);
}

/* Scores: group A positives 0.9 0.6 0.4, negatives 0.5 0.2 0.4; prediction from threshold 0.5. */
void
test_fairness__score_metrics(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairness *f;
	struct run r;
	const double pos[] = { 0.9, 0.6, 0.4 }, neg[] = { 0.5, 0.2, 0.4 };
	double ll = 0;
	int i;

	o.protected = one_col;
	o.nprotected = 1;
	o.has_pred = 0;
	o.has_score = 1;
	f = new_f(&o);
	for (i = 0; i < 3; i++) {
		add(f, "A", NULL, 1, pos[i] >= 0.5, pos[i], 1, 1);
		add(f, "A", NULL, 0, neg[i] >= 0.5, neg[i], 1, 1);
		ll -= log(pos[i]) + log(1 - neg[i]);
	}
	if (finish(f, &r) < 0)
		return;
	/* pairs: 0.9 and 0.6 beat all three; 0.4 beats 0.2 and ties 0.4: 7.5 of 9 */
	CHECK_REL(gm(r.res, "g", "A", "auc"), 7.5 / 9, 1e-15);
	CHECK_REL(gm(r.res, "g", "A", "brier"), (0.01 + 0.16 + 0.36 + 0.25 + 0.04 + 0.16) / 6, 1e-15);
	CHECK_REL(gm(r.res, "g", "A", "mean_score"), 0.5, 1e-15);
	CHECK_REL(gm(r.res, "g", "A", "log_loss"), ll / 6, 1e-15);
	/* bins 9: |0.9-1|, 6: |0.6-1|, 5: 0.5, 4: |0.8-1|, 2: 0.2 */
	CHECK_REL(gm(r.res, "g", "A", "ece"), (0.1 + 0.4 + 0.5 + 0.2 + 0.2) / 6, 1e-15);
	/* predictions from the threshold: TP 2, FN 1, FP 1 (0.5 >= 0.5), TN 2 */
	CHECK_REL(gm(r.res, "g", "A", "tpr"), 2.0 / 3, 1e-15);
	CHECK_REL(gm(r.res, "g", "A", "fpr"), 1.0 / 3, 1e-15);
	/* a DeLong interval around the AUC */
	{
		const cJSON *ci = aud_json_get(aud_json_get(group(r.res, "g", "A"), "ci"), "auc");

		CHECK(cJSON_GetArrayItem(ci, 0)->valuedouble < 7.5 / 9);
		CHECK(cJSON_GetArrayItem(ci, 1)->valuedouble <= 1.0);
	}
	/* single group: summaries over one group, tests undefined */
	CHECK_REL(sm(r.res, "g", "demographic_parity_difference"), 0, 0);
	CHECK_REL(sm(r.res, "g", "demographic_parity_ratio"), 1, 0);
	CHECK(isnan(num(aud_json_get(aud_json_get(attr(r.res, "g"), "tests"), "selection_rate"), "p_value")));
	CHECK(has_warning(r.warn, "chi-square test for selection_rate undefined"));
	CHECK_DBL_EQ(sm(r.res, "g", "disparate_impact"), -999); /* not binary */
	CHECK(cJSON_IsTrue(aud_json_get(group(r.res, "g", "A"), "small")));
	CHECK(has_warning(r.warn, "group 'A' has 6 rows, fewer than --min-group-size 30"));
	run_free(&r);
}

/* Score histograms: the AUC counts a bin's pairs as ties and reports the bound. */
void
test_fairness__score_bins(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairness *f;
	struct run r;

	o.protected = one_col;
	o.nprotected = 1;
	o.has_score = 1;
	o.score_bins = 2;
	f = new_f(&o);
	/* bin [0, .5): pos .1, neg .2, .3; bin [.5, 1]: pos .9, .6, neg .7 */
	add(f, "A", NULL, 1, 0, 0.1, 1, 1);
	add(f, "A", NULL, 0, 0, 0.2, 1, 1);
	add(f, "A", NULL, 0, 0, 0.3, 1, 1);
	add(f, "A", NULL, 1, 1, 0.9, 1, 1);
	add(f, "A", NULL, 1, 1, 0.6, 1, 1);
	add(f, "A", NULL, 0, 1, 0.7, 1, 1);
	if (finish(f, &r) < 0)
		return;
	/* pos .1 vs bin-0 negatives: 2 ties = 1; pos .9, .6 beat the two low, tie .7: 2 * 2.5 */
	CHECK_REL(gm(r.res, "g", "A", "auc"), 6.0 / 9, 1e-15);
	/* bound: half the tied pairs: (1*2 + 2*1) / 2 / 9 */
	CHECK_REL(num(group(r.res, "g", "A"), "auc_bin_error"), 2.0 / 9, 1e-15);
	/* exact value 6/9 too here (0.1 < .2, .3: 0; .9 .6 vs .7: 1 + 0 ... ) within the bound */
	CHECK(fabs(gm(r.res, "g", "A", "auc") - 5.0 / 9) <= 2.0 / 9);
	/* Brier stays exact */
	CHECK_REL(gm(r.res, "g", "A", "brier"), (0.81 + 0.04 + 0.09 + 0.01 + 0.16 + 0.49) / 6, 1e-15);
	run_free(&r);
}

void
test_fairness__edge_cases(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairness *f;
	struct run r;

	o.protected = one_col;
	o.nprotected = 1;
	o.has_weights = 1;
	o.min_group_size = 0;
	f = new_f(&o);
	add(f, "big", NULL, 1, 1, 0, 1, 5);
	add(f, "big", NULL, 0, 0, 0, 1, 5);
	add(f, "nopos", NULL, 0, 1, 0, 1, 2);   /* no positive labels */
	add(f, "nopos", NULL, 0, 0, 0, 1, 2);
	add(f, "noneg", NULL, 1, 1, 0, 1, 3);   /* no negative labels */
	add(f, "nopred", NULL, 1, 0, 0, 1, 1);  /* no predicted positives */
	add(f, "nopred", NULL, 0, 0, 0, 1, 1);
	add(f, NULL, NULL, 1, 1, 0, 1, 1);      /* missing protected value */
	add(f, "zero", NULL, 1, 1, 0, 0, 2);    /* zero weights */
	if (finish(f, &r) < 0)
		return;
	CHECK(isnan(gm(r.res, "g", "nopos", "tpr")));
	CHECK(isnan(gm(r.res, "g", "nopos", "fnr")));
	CHECK(isnan(gm(r.res, "g", "nopos", "balanced_accuracy")));
	CHECK_REL(gm(r.res, "g", "nopos", "fpr"), 0.5, 0);
	CHECK(has_warning(r.warn, "g: group 'nopos': undefined (null): tpr, fnr, balanced_accuracy (no positive labels)"));
	CHECK(isnan(gm(r.res, "g", "noneg", "fpr")));
	CHECK(isnan(gm(r.res, "g", "noneg", "tnr")));
	CHECK(isnan(gm(r.res, "g", "noneg", "npv")));
	CHECK_REL(gm(r.res, "g", "noneg", "tpr"), 1, 0);
	CHECK(has_warning(r.warn, "group 'noneg': undefined (null): fpr, tnr, balanced_accuracy (no negative labels); npv, for (no predicted negatives)"));
	CHECK(isnan(gm(r.res, "g", "nopred", "ppv")));
	CHECK(isnan(gm(r.res, "g", "nopred", "fdr")));
	CHECK_REL(gm(r.res, "g", "nopred", "f1"), 0, 0);
	CHECK_REL(gm(r.res, "g", "nopred", "selection_rate"), 0, 0);
	CHECK(has_warning(r.warn, "group 'nopred': undefined (null): ppv, fdr (no predicted positives)"));
	CHECK_REL(gm(r.res, "g", "(missing)", "tpr"), 1, 0);
	CHECK_REL(num(group(r.res, "g", "(missing)"), "count"), 1, 0);
	CHECK(isnan(gm(r.res, "g", "zero", "selection_rate")));
	CHECK_REL(num(group(r.res, "g", "zero"), "count"), 2, 0);
	CHECK_REL(num(group(r.res, "g", "zero"), "weight"), 0, 0);
	CHECK(has_warning(r.warn, "group 'zero': undefined (null): every metric (total weight 0)"));
	/* summaries skip undefined groups and say so */
	CHECK(has_warning(r.warn, "equalized odds and equal opportunity summaries skip 2 groups where tpr is undefined: 'nopos', 'zero'"));
	/* selection rates over defined groups: big .5, nopos .5, noneg 1, nopred 0, (missing) 1 */
	CHECK_REL(sm(r.res, "g", "demographic_parity_difference"), 1, 0);
	CHECK_REL(sm(r.res, "g", "demographic_parity_ratio"), 0, 0);
	/* listing order: count descending, ties by name */
	{
		static const char *const order[] = { "big", "nopos", "noneg", "nopred", "zero", "(missing)" };
		const cJSON *g;
		size_t i = 0;

		cJSON_ArrayForEach(g, aud_json_get(attr(r.res, "g"), "groups")) {
			CHECK(i < 6);
			if (i < 6)
				CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(g, "group")), order[i]);
			i++;
		}
		CHECK_INT_EQ(i, 6);
	}
	/* overall excludes nothing: 22 rows, weight 20 */
	CHECK_REL(num(aud_json_get(r.res, "overall"), "count"), 22, 0);
	CHECK_REL(num(aud_json_get(r.res, "overall"), "weight"), 20, 0);
	run_free(&r);
}

/* A weight of 2 is the same as the row twice (frequency weights), AUC included. */
void
test_fairness__weights_are_frequencies(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairness *f1, *f2;
	struct run r1, r2;
	const char *g[] = { "a", "b", "a", "b", "a", "a", "b", "b", "a" };
	const int y[] = { 1, 0, 0, 1, 1, 0, 1, 0, 0 }, p[] = { 1, 1, 0, 0, 1, 1, 1, 0, 0 };
	const double s[] = { .8, .7, .3, .2, .9, .6, .75, .1, .45 }, w[] = { 2, 1, 3, 1, 1, 2, 2, 1, 1 };
	static const char *const keys[] = { "selection_rate", "tpr", "fpr", "ppv", "auc",
		"brier", "log_loss", "ece", "mean_score", "balanced_accuracy" };
	size_t i, k;

	o.protected = one_col;
	o.nprotected = 1;
	o.has_score = 1;
	o.has_weights = 1;
	f1 = new_f(&o);
	f2 = new_f(&o);
	for (i = 0; i < 9; i++) {
		add(f1, g[i], NULL, y[i], p[i], s[i], w[i], 1);
		add(f2, g[i], NULL, y[i], p[i], s[i], 1, (int)w[i]);
	}
	if (finish(f1, &r1) < 0 || finish(f2, &r2) < 0)
		return;
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		CHECK_REL(gm(r1.res, "g", "a", keys[k]), gm(r2.res, "g", "a", keys[k]), 1e-14);
		CHECK_REL(gm(r1.res, "g", "b", keys[k]), gm(r2.res, "g", "b", keys[k]), 1e-14);
		CHECK_REL(num(aud_json_get(r1.res, "overall"), keys[k]), num(aud_json_get(r2.res, "overall"), keys[k]), 1e-14);
	}
	/* the AUC's DeLong interval is the same too */
	CHECK_REL(cJSON_GetArrayItem(aud_json_get(aud_json_get(group(r1.res, "g", "a"), "ci"), "auc"), 0)->valuedouble,
	    cJSON_GetArrayItem(aud_json_get(aud_json_get(group(r2.res, "g", "a"), "ci"), "auc"), 0)->valuedouble, 1e-12);
	CHECK_REL(num(group(r1.res, "g", "a"), "count"), 5, 0);
	CHECK_REL(num(group(r1.res, "g", "a"), "weight"), 9, 0);
	run_free(&r1);
	run_free(&r2);
}

/* The lecture example: Male TP 23 FP 11 FN 41 TN 925; Female TP 13 FP 5 FN 2 TN 480. */
void
test_fairness__lecture_example(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairness *f;
	struct run r;
	const char *const sex[] = { "sex" };

	o.protected = sex;
	o.nprotected = 1;
	f = new_f(&o);
	add(f, "Male", NULL, 1, 1, 0, 1, 23);
	add(f, "Male", NULL, 0, 1, 0, 1, 11);
	add(f, "Male", NULL, 1, 0, 0, 1, 41);
	add(f, "Male", NULL, 0, 0, 0, 1, 925);
	add(f, "Female", NULL, 1, 1, 0, 1, 13);
	add(f, "Female", NULL, 0, 1, 0, 1, 5);
	add(f, "Female", NULL, 1, 0, 0, 1, 2);
	add(f, "Female", NULL, 0, 0, 0, 1, 480);
	if (finish(f, &r) < 0)
		return;
	CHECK_REL(sm(r.res, "sex", "demographic_parity_ratio"), 0.034 / 0.036, 1e-12);
	CHECK_REL(sm(r.res, "sex", "demographic_parity_difference"), 0.002, 1e-12);
	CHECK_REL(sm(r.res, "sex", "equalized_odds_difference"), 13.0 / 15 - 23.0 / 64, 1e-12);
	CHECK_REL(sm(r.res, "sex", "equal_opportunity_ratio"), (23.0 / 64) / (13.0 / 15), 1e-12);
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(attr(r.res, "sex"), "reference")), "Male");
	run_free(&r);
}

void
test_fairness__intersection_and_reference(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairness_reference ref[] = { { "race & sex", "W & F" }, { "race", "B" } };
	struct aud_fairness *f;
	struct run r;
	const cJSON *g;

	o.protected = two_cols;
	o.nprotected = 2;
	o.intersect = 1;
	o.refs = ref;
	o.nrefs = 2;
	f = new_f(&o);
	add(f, "B", "M", 1, 1, 0, 1, 4);
	add(f, "B", "F", 0, 1, 0, 1, 1);
	add(f, "B", "F", 1, 0, 0, 1, 1);
	add(f, "W", "M", 0, 0, 0, 1, 3);
	add(f, "W", "F", 1, 1, 0, 1, 2);
	if (finish(f, &r) < 0)
		return;
	g = group(r.res, "race & sex", "B & M");
	CHECK(g != NULL);
	CHECK_STR_EQ(cJSON_GetStringValue(cJSON_GetArrayItem(aud_json_get(g, "columns"), 1)), "sex");
	CHECK_STR_EQ(cJSON_GetStringValue(cJSON_GetArrayItem(aud_json_get(g, "values"), 0)), "B");
	CHECK_STR_EQ(cJSON_GetStringValue(cJSON_GetArrayItem(aud_json_get(g, "values"), 1)), "M");
	CHECK_REL(num(g, "count"), 4, 0);
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(attr(r.res, "race & sex"), "reference")), "W & F");
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(attr(r.res, "race"), "reference")), "B");
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(attr(r.res, "sex"), "reference")), "M");
	/* B & F selection 1/2 vs W & F 1 */
	CHECK_REL(num(aud_json_get(aud_json_get(group(r.res, "race & sex", "B & F"), "disparity"), "selection_rate"), "ratio"), 0.5, 0);
	/* single-column groups carry no columns/values */
	CHECK(aud_json_get(group(r.res, "race", "B"), "columns") == NULL);
	/* sum of intersection counts = overall */
	CHECK_REL(num(aud_json_get(r.res, "overall"), "count"), 11, 0);
	run_free(&r);
	/* an unknown reference group is an error */
	{
		struct aud_fairness_reference bad[] = { { "race", "X" } };
		struct aud_error err = AUD_ERROR_INIT;

		o.refs = bad;
		o.nrefs = 1;
		f = new_f(&o);
		add(f, "B", "M", 1, 1, 0, 1, 1);
		r.res = cJSON_CreateObject();
		r.warn = cJSON_CreateArray();
		CHECK_INT_EQ(aud_fairness_finish(f, r.res, r.warn, &err), AUD_EINVAL);
		CHECK_STR_EQ(err.msg, "--reference: attribute 'race' has no group 'X'");
		aud_fairness_free(f);
		run_free(&r);
		bad[0].attribute = "age";
		f = new_f(&o);
		add(f, "B", "M", 1, 1, 0, 1, 1);
		r.res = cJSON_CreateObject();
		r.warn = cJSON_CreateArray();
		CHECK_INT_EQ(aud_fairness_finish(f, r.res, r.warn, &err), AUD_EINVAL);
		CHECK_STR_EQ(err.msg, "--reference: no attribute 'age'");
		aud_fairness_free(f);
		run_free(&r);
	}
}

void
test_fairness__options_errors(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_fairness *f = NULL;
	const double e[] = { 30, 20 };
	const char *const et[] = { "30", "20" };
	struct aud_fairness_bins b = { "age", 2, e, et, 0 };
	const char *const dup[] = { "a", "a" };

	o.protected = one_col;
	o.nprotected = 1;
	o.bins = &b;
	o.nbins = 1;
	CHECK_INT_EQ(aud_fairness_new(&f, &o, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--bins names 'age', which is not a protected column");
	b.column = "g";
	CHECK_INT_EQ(aud_fairness_new(&f, &o, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--bins edges for 'g' must increase strictly");
	CHECK(f == NULL);
	{
		struct aud_fairness_bins twice[2] = { { "g", 1, e, et, 0 }, { "g", 1, e, et, 0 } };

		o.bins = twice;
		o.nbins = 2;
		CHECK_INT_EQ(aud_fairness_new(&f, &o, &err), AUD_EINVAL);
		CHECK_STR_EQ(err.msg, "--bins given twice for 'g'");
		twice[0].nedges = 0;
		o.nbins = 1;
		CHECK_INT_EQ(aud_fairness_new(&f, &o, &err), AUD_EINVAL);
		CHECK_STR_EQ(err.msg, "--bins for 'g' has no edges");
		CHECK(f == NULL);
	}
	o.nbins = 0;
	o.protected = dup;
	o.nprotected = 2;
	CHECK_INT_EQ(aud_fairness_new(&f, &o, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "protected column 'a' given twice");
	o.nprotected = 1;
	o.has_pred = 0;
	CHECK_INT_EQ(aud_fairness_new(&f, &o, &err), AUD_EINVAL);
	o.has_pred = 1;
	CHECK_INT_EQ(aud_fairness_new(&f, &o, &err), 0);
	{
		struct run r;

		CHECK_INT_EQ(finish(f, &r), AUD_EPARSE);
		run_free(&r);
	}
}

void
test_fairness__too_many_cells(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_fairness *f;
	struct aud_fairness_row row;
	const char *vals[2] = { "a", NULL };
	size_t lens[2] = { 1, 1 };
	char b[2] = "0";
	int i, rc = 0;

	o.protected = two_cols;
	o.nprotected = 2;
	o.max_cells = 5;
	f = new_f(&o);
	row.values = vals;
	row.lens = lens;
	row.label = row.pred = row.favorable = 1;
	row.score = 0;
	row.weight = 1;
	vals[1] = b;
	for (i = 0; i < 6 && rc == 0; i++) {
		b[0] = (char)('0' + i);
		rc = aud_fairness_add_row(f, &row, &err);
	}
	CHECK_INT_EQ(rc, AUD_EPARSE);
	CHECK_INT_EQ(i, 6);
	CHECK_STR_EQ(err.msg, "more than 5 combinations of the protected columns' values: "
	    "are they all protected attributes?");
	/* a known combination is still accepted */
	b[0] = '0';
	CHECK_INT_EQ(aud_fairness_add_row(f, &row, &err), 0);
	aud_fairness_free(f);
}

void
test_fairness__add_row_errors(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_fairness *f;
	struct aud_fairness_row row;
	const char *vals[1] = { "a" };
	size_t lens[1] = { 1 };

	o.protected = one_col;
	o.nprotected = 1;
	o.has_score = 1;
	f = new_f(&o);
	row.values = vals;
	row.lens = lens;
	row.label = row.pred = row.favorable = 1;
	row.score = 1.5;
	row.weight = 1;
	CHECK_INT_EQ(aud_fairness_add_row(f, &row, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "score 1.5 is outside [0, 1]");
	row.score = NAN;
	CHECK_INT_EQ(aud_fairness_add_row(f, &row, &err), AUD_EINVAL);
	row.score = 0.5;
	row.weight = -2;
	CHECK_INT_EQ(aud_fairness_add_row(f, &row, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "weight -2 is not a finite number >= 0");
	row.weight = INFINITY;
	CHECK_INT_EQ(aud_fairness_add_row(f, &row, &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_fairness_rows(f), 0);
	row.weight = 1;
	CHECK_INT_EQ(aud_fairness_add_row(f, &row, &err), 0);
	CHECK_INT_EQ(aud_fairness_rows(f), 1);
	aud_fairness_free(f);
}

void
test_fairness__write_formats(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct run r;
	cJSON *doc;
	FILE *f = tmpfile();
	char buf[256];
	size_t n;

	if (finish(tiny(), &r) < 0 || f == NULL)
		return;
	doc = cJSON_CreateObject();
	cJSON_AddItemToObject(doc, "results", r.res);
	r.res = NULL;
	CHECK_INT_EQ(aud_fairness_write(doc, AUD_FORMAT_JSON, f, &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_fairness_write(doc, AUD_FORMAT_CSV, f, &err), 0);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	{
		const char *want = "attribute,group,count,small,metric,value,ci_low,ci_high,ratio,difference\n"
		    "overall,overall,20,false,base_rate,0.35,";

		if (strncmp(buf, want, strlen(want)) != 0)
			aud_test_fail(__FILE__, __LINE__, "csv starts '%.120s'", buf);
	}
	fclose(f);
	cJSON_Delete(doc);
	run_free(&r);
}

/* ---- CSV input ---- */

static int
read_mem(const char *csvtext, const struct aud_fairness_options *o,
    const struct aud_fairness_columns *c, struct run *r, struct aud_error *err)
{
	struct aud_csv *csv = NULL;
	struct aud_fairness *f = NULL;
	int rc;

	r->res = r->warn = NULL;
	rc = aud_csv_open_mem(&csv, "t.csv", csvtext, strlen(csvtext), NULL, err);
	if (rc == 0)
		rc = aud_fairness_new(&f, o, err);
	if (rc == 0)
		rc = aud_fairness_read_csv(f, csv, c, NULL, err);
	aud_csv_free(csv);
	if (rc == 0) {
		r->res = cJSON_CreateObject();
		r->warn = cJSON_CreateArray();
		rc = aud_fairness_finish(f, r->res, r->warn, err);
	}
	aud_fairness_free(f);
	return rc;
}

void
test_fairness__csv_text_values_and_skips(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairness_columns c = { "y", "p", NULL, NULL };
	struct aud_error err = AUD_ERROR_INIT;
	struct run r;

	o.protected = one_col;
	o.nprotected = 1;
	o.positive = "yes";
	o.favorable = "no";
	CHECK_INT_EQ(read_mem("g,y,p\nA,yes,yes\nA,no,no\nA,NA,yes\nB,yes,no\nB,no,no\n"
	    "NA,yes,yes\n,no,yes\n?,no,no\n", &o, &c, &r, &err), 0);
	/* every NA token of the protected column is the group (missing) */
	CHECK_REL(num(group(r.res, "g", "(missing)"), "count"), 3, 0);
	CHECK_REL(gm(r.res, "g", "(missing)", "selection_rate"), 2.0 / 3, 1e-15);
	CHECK_INT_EQ(cJSON_GetArraySize(aud_json_get(attr(r.res, "g"), "groups")), 3);
	CHECK_REL(gm(r.res, "g", "A", "selection_rate"), 0.5, 0);
	CHECK_REL(gm(r.res, "g", "A", "favorable_rate"), 0.5, 0);
	CHECK_REL(gm(r.res, "g", "B", "favorable_rate"), 1, 0);
	CHECK_REL(gm(r.res, "g", "B", "base_rate"), 0.5, 0);
	CHECK(has_warning(r.warn, "1 rows skipped: missing label"));
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(r.res, "favorable")), "no");
	run_free(&r);
}

void
test_fairness__csv_score_threshold_and_favorable(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairness_columns c = { "y", NULL, "s", NULL };
	struct aud_error err = AUD_ERROR_INIT;
	struct run r;

	o.protected = one_col;
	o.nprotected = 1;
	o.has_pred = 0;
	o.has_score = 1;
	o.threshold = 0.3;
	o.favorable = "0";
	CHECK_INT_EQ(read_mem("g,y,s\nA,1,0.3\nA,0,0.29\nA,1,0.9\nA,0,1\n", &o, &c, &r, &err), 0);
	CHECK_REL(gm(r.res, "g", "A", "selection_rate"), 0.75, 0);
	CHECK_REL(gm(r.res, "g", "A", "favorable_rate"), 0.25, 0);
	run_free(&r);
}

void
test_fairness__csv_errors(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairness_columns c = { "y", "p", NULL, NULL };
	struct aud_error err = AUD_ERROR_INIT;
	struct run r;
	const char *const age[] = { "age" };
	const double e[] = { 25, 45 };
	const char *const et[] = { "25", "45" };
	struct aud_fairness_bins b = { "age", 2, e, et, 0 };

	o.protected = one_col;
	o.nprotected = 1;
	CHECK_INT_EQ(read_mem("g,y,p\nA,1,1\nA,x,1\n", &o, &c, &r, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.csv:3:3: non-numeric value 'x' in column 'y' (the positive "
	    "value is '1': for text labels give --positive VALUE, and for more than two "
	    "classes --task multiclass)");
	c.label = "label";
	CHECK_INT_EQ(read_mem("g,y,p\nA,1,1\n", &o, &c, &r, &err), AUD_ENOTFOUND);
	CHECK(strstr(err.msg, "unknown column 'label'") != NULL);
	c.label = "y";
	c.score = "s";
	o.has_score = 1;
	CHECK_INT_EQ(read_mem("g,y,p,s\nA,1,1,0.5\nA,1,1,1.5\n", &o, &c, &r, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.csv:3:7: score '1.5' in column 's' is outside [0, 1]");
	c.score = NULL;
	o.has_score = 0;
	c.weights = "w";
	o.has_weights = 1;
	CHECK_INT_EQ(read_mem("g,y,p,w\nA,1,1,-1\n", &o, &c, &r, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.csv:2:7: weight '-1' in column 'w' is not a finite number >= 0");
	c.weights = NULL;
	o.has_weights = 0;
	/* a numeric protected column with more than 10 values and no bins */
	o.protected = age;
	CHECK_INT_EQ(read_mem("age,y,p\n1,1,1\n2,1,1\n3,1,1\n4,1,1\n5,1,1\n6,1,1\n7,1,1\n"
	    "8,1,1\n9,1,1\n10,1,1\n10,0,1\n11,1,1\n", &o, &c, &r, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.csv:13:1: protected column 'age' is numeric with more than 10 "
	    "distinct values: group it with --bins age=EDGE,EDGE,...");
	/* ten values are fine; a text value makes it categorical */
	CHECK_INT_EQ(read_mem("age,y,p\n1,1,1\n2,1,1\n3,1,1\n4,1,1\n5,1,1\n6,1,1\n7,1,1\n"
	    "8,1,1\n9,1,1\n10,1,1\nNA,1,1\n", &o, &c, &r, &err), 0);
	run_free(&r);
	CHECK_INT_EQ(read_mem("age,y,p\nx,1,1\n1,1,1\n2,1,1\n3,1,1\n4,1,1\n5,1,1\n6,1,1\n7,1,1\n"
	    "8,1,1\n9,1,1\n10,1,1\n11,1,1\n", &o, &c, &r, &err), 0);
	run_free(&r);
	/* binned */
	o.bins = &b;
	o.nbins = 1;
	CHECK_INT_EQ(read_mem("age,y,p\n20,1,1\n25,1,0\n44.9,0,1\n45,0,0\n90,1,1\n,1,1\n",
	    &o, &c, &r, &err), 0);
	CHECK_REL(num(group(r.res, "age", "age<25"), "count"), 1, 0);
	CHECK_REL(num(group(r.res, "age", "25<=age<45"), "count"), 2, 0);
	CHECK_REL(num(group(r.res, "age", "age>=45"), "count"), 2, 0);
	CHECK_REL(num(group(r.res, "age", "(missing)"), "count"), 1, 0);
	CHECK_REL(cJSON_GetArrayItem(aud_json_get(aud_json_get(attr(r.res, "age"), "bins"), "age"), 1)->valuedouble, 45, 0);
	run_free(&r);
	CHECK_INT_EQ(read_mem("age,y,p\n20,1,1\nold,1,0\n", &o, &c, &r, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.csv:3:1: non-numeric value 'old' in binned column 'age'");
	/* no rows */
	o.nbins = 0;
	CHECK_INT_EQ(read_mem("age,y,p\n", &o, &c, &r, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "no rows to audit");
	run_free(&r);
}

/* ---- checks ---- */

static struct aud_expr *
ex(const char *s)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_expr *e = NULL;

	if (aud_expr_parse(&e, s, &err) < 0)
		aud_test_fail(__FILE__, __LINE__, "%s", err.msg);
	return e;
}

void
test_fairness__checks(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct run r;
	struct aud_expr *e[5];
	cJSON *checks = cJSON_CreateArray(), *c;
	size_t nfailed = 0, i;

	if (finish(tiny(), &r) < 0)
		return;
	e[0] = ex("demographic_parity_ratio>=0.8");     /* 0.75: fail */
	e[1] = ex("g: demographic_parity_ratio>=0.7");  /* pass */
	e[2] = ex("disparity.fpr.ratio<=1.25");         /* B only: 1.25 pass */
	e[3] = ex("metrics.tpr>0.55");                  /* A pass, B fail */
	e[4] = ex("overall.accuracy>=0.7");             /* 14/20 pass */
	CHECK_INT_EQ(aud_fairness_check(r.res, e, 5, AUD_FOUR_FIFTHS_EEOC, checks, r.warn,
	    &nfailed, &err), 0);
	CHECK_INT_EQ(nfailed, 2);
	CHECK_INT_EQ(cJSON_GetArraySize(checks), 7);
	c = cJSON_GetArrayItem(checks, 0);
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(c, "status")), "fail");
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(c, "id")), "demographic_parity_ratio >= 0.8");
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(c, "attribute")), "g");
	CHECK_REL(num(c, "value"), 0.75, 1e-15);
	CHECK_REL(num(c, "threshold"), 0.8, 0);
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(c, "op")), ">=");
	CHECK(cJSON_IsTrue(aud_json_get(c, "requested")));
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(cJSON_GetArrayItem(checks, 1), "status")), "pass");
	c = cJSON_GetArrayItem(checks, 2);
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(c, "group")), "B");
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(c, "status")), "pass");
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(cJSON_GetArrayItem(checks, 3), "status")), "pass");
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(cJSON_GetArrayItem(checks, 4), "status")), "fail");
	c = cJSON_GetArrayItem(checks, 5);
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(c, "metric")), "overall.accuracy");
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(c, "status")), "pass");
	CHECK(aud_json_get(c, "attribute") == NULL);
	/* four-fifths (EEOC): min/max favorable rate 0.3/0.4, reported but not requested */
	c = cJSON_GetArrayItem(checks, 6);
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(c, "id")), "four_fifths_rule");
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(c, "convention")), "eeoc");
	CHECK_REL(num(c, "value"), 0.75, 1e-15);
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(c, "status")), "fail");
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(c, "group")), "B");
	CHECK(cJSON_IsFalse(aud_json_get(c, "requested")));
	cJSON_Delete(checks);
	/* band: B's ratio to A is 0.75, below 0.8; the maximum is the same group */
	checks = cJSON_CreateArray();
	CHECK_INT_EQ(aud_fairness_check(r.res, NULL, 0, AUD_FOUR_FIFTHS_BAND, checks, r.warn,
	    &nfailed, &err), 0);
	CHECK_INT_EQ(nfailed, 0);
	CHECK_INT_EQ(cJSON_GetArraySize(checks), 2);
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(cJSON_GetArrayItem(checks, 0), "status")), "fail");
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(cJSON_GetArrayItem(checks, 1), "op")), "<=");
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(cJSON_GetArrayItem(checks, 1), "status")), "pass");
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(cJSON_GetArrayItem(checks, 1), "convention")), "band");
	cJSON_Delete(checks);
	for (i = 0; i < 5; i++)
		aud_expr_free(e[i]);
	/* errors: unknown attribute, unknown metric */
	checks = cJSON_CreateArray();
	e[0] = ex("race: tpr >= 1");
	CHECK_INT_EQ(aud_fairness_check(r.res, e, 1, AUD_FOUR_FIFTHS_EEOC, checks, r.warn,
	    &nfailed, &err), AUD_EPARSE);
	CHECK(strstr(err.msg, "unknown metric 'tpr'") != NULL);
	aud_expr_free(e[0]);
	e[0] = ex("race: disparity.tpr.ratio >= 1");
	CHECK_INT_EQ(aud_fairness_check(r.res, e, 1, AUD_FOUR_FIFTHS_EEOC, checks, r.warn,
	    &nfailed, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "check 'race: disparity.tpr.ratio >= 1': no attribute 'race'");
	aud_expr_free(e[0]);
	cJSON_Delete(checks);
	run_free(&r);
}

void
test_fairness__check_undefined(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_fairness *f;
	struct aud_expr *e[2];
	struct run r;
	cJSON *checks = cJSON_CreateArray();
	size_t nfailed = 9;

	o.protected = one_col;
	o.nprotected = 1;
	f = new_f(&o);
	add(f, "a", NULL, 1, 1, 0, 1, 3);
	add(f, "b", NULL, 0, 1, 0, 1, 2);   /* no positive labels: tpr undefined */
	if (finish(f, &r) < 0)
		return;
	e[0] = ex("metrics.tpr >= 0.5");
	e[1] = ex("equal_opportunity_ratio >= 0.5"); /* over 'a' only: 1 */
	CHECK_INT_EQ(aud_fairness_check(r.res, e, 2, AUD_FOUR_FIFTHS_EEOC, checks, r.warn,
	    &nfailed, &err), 0);
	/* fail closed: the undefined value counts as failed */
	CHECK_INT_EQ(nfailed, 1);
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(cJSON_GetArrayItem(checks, 0), "status")), "pass");
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(cJSON_GetArrayItem(checks, 1), "status")), "undefined");
	CHECK(cJSON_IsNull(aud_json_get(cJSON_GetArrayItem(checks, 1), "value")));
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(cJSON_GetArrayItem(checks, 2), "status")), "pass");
	CHECK(!has_warning(r.warn, "check 'metrics.tpr >= 0.5': undefined for g group 'b' (not counted as failed)"));
	aud_expr_free(e[0]);
	aud_expr_free(e[1]);
	cJSON_Delete(checks);
	run_free(&r);
}

void
test_fairness__validate(void)
{
	static const char *const good[] = { "demographic_parity_difference<1",
		"average_odds_difference>-0.1", "disparity.for.difference<1", "metrics.auc>0.5",
		"overall.count>10", "tests.tpr.p_value>0.05", "tests.selection_rate.statistic<3" };
	static const char *const bad[] = { "tpr<1", "disparity.auc.ratio<1", "metrics.foo<1",
		"tests.auc.p_value<1", "disparity.fpr<1", "summary.demographic_parity_ratio<1" };
	struct aud_error err = AUD_ERROR_INIT;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct aud_expr *e = ex(good[i]);

		CHECK_INT_EQ(aud_fairness_expr_validate(e, &err), 0);
		aud_expr_free(e);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct aud_expr *e = ex(bad[i]);

		CHECK_INT_EQ(aud_fairness_expr_validate(e, &err), AUD_EPARSE);
		aud_expr_free(e);
	}
}

/* ---- bootstrap ---- */

static struct aud_fairness *
boot_f(uint64_t seed, unsigned int reps)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairness *f;
	int i;

	o.protected = one_col;
	o.nprotected = 1;
	o.has_score = 1;
	o.ci_method = AUD_CI_BOOTSTRAP;
	o.bootstrap = reps;
	o.seed = seed;
	f = new_f(&o);
	for (i = 0; i < 300; i++) {
		double s = ((i * 37) % 100) / 100.0;

		add(f, i % 3 ? "a" : "b", NULL, (i * 7) % 5 < 2 + (s > 0.5), s >= 0.5, s, 1, 1);
	}
	return f;
}

void
test_fairness__bootstrap_reproducible(void)
{
	struct run r1, r2, r3;
	char *a, *b, *c;

	if (finish(boot_f(7, 200), &r1) < 0 || finish(boot_f(7, 200), &r2) < 0 ||
	    finish(boot_f(8, 200), &r3) < 0)
		return;
	a = cJSON_Print(r1.res);
	b = cJSON_Print(r2.res);
	c = cJSON_Print(r3.res);
	CHECK_STR_EQ(a, b);
	CHECK(strcmp(a, c) != 0);
	/* intervals for every metric, disparity and summary */
	CHECK(aud_json_get(aud_json_get(group(r1.res, "g", "a"), "ci"), "f1") != NULL);
	CHECK(aud_json_get(aud_json_get(group(r1.res, "g", "a"), "ci"), "auc") != NULL);
	CHECK(aud_json_get(aud_json_get(aud_json_get(group(r1.res, "g", "b"), "disparity"), "tpr"), "ratio_ci") != NULL);
	CHECK(aud_json_get(aud_json_get(attr(r1.res, "g"), "summary_ci"), "equalized_odds_difference") != NULL);
	/* each interval holds its point estimate (smooth statistics, 300 rows) */
	{
		static const char *const keys[] = { "selection_rate", "tpr", "auc", "brier", "mean_score" };
		size_t k;

		for (k = 0; k < 5; k++) {
			const cJSON *ci = aud_json_get(aud_json_get(group(r1.res, "g", "a"), "ci"), keys[k]);
			double v = gm(r1.res, "g", "a", keys[k]);

			CHECK(cJSON_GetArrayItem(ci, 0)->valuedouble <= v);
			CHECK(cJSON_GetArrayItem(ci, 1)->valuedouble >= v);
		}
	}
	cJSON_free(a);
	cJSON_free(b);
	cJSON_free(c);
	run_free(&r1);
	run_free(&r2);
	run_free(&r3);
}

/*
 * Coverage: for 200 seeds, draw 200 rows with selection probability 0.3, then
 * a 95% bootstrap interval from 1000 replicates of the counts; it should hold
 * 0.3 about 95% of the time (binomial sd over 200 seeds is about 3).
 */
void
test_fairness__bootstrap_coverage(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_rng *rng = NULL;
	int seed, covered = 0;

	CHECK_INT_EQ(aud_rng_new(&rng, 2026, 0, &err), 0);
	for (seed = 0; seed < 200; seed++) {
		struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
		struct aud_fairness *f;
		struct run r;
		const cJSON *ci;
		unsigned int k;

		o.protected = one_col;
		o.nprotected = 1;
		o.ci_method = AUD_CI_BOOTSTRAP;
		o.bootstrap = 1000;
		o.seed = (uint64_t)seed;
		f = new_f(&o);
		aud_rng_reseed(rng, 2026, (uint64_t)seed);
		k = aud_rng_binomial(rng, 0.3, 200);
		add(f, "a", NULL, 1, 1, 0, 1, (int)k);
		add(f, "a", NULL, 0, 0, 0, 1, 200 - (int)k);
		if (finish(f, &r) < 0)
			break;
		ci = aud_json_get(aud_json_get(r.res, "overall_ci"), "selection_rate");
		covered += cJSON_GetArrayItem(ci, 0)->valuedouble <= 0.3 &&
		    cJSON_GetArrayItem(ci, 1)->valuedouble >= 0.3;
		run_free(&r);
	}
	aud_rng_free(rng);
	printf("  bootstrap coverage: %d of 200\n", covered);
	CHECK(covered >= 180 && covered <= 199);
}

/* ---- the exact-score row sort (fairness_sort.c) ---- */

#include "fairness_sort.h"

static int
cmp_srow_full(const void *pa, const void *pb)
{
	const struct aud__srow *a = pa, *b = pb;

	if (a->score != b->score)
		return a->score < b->score ? -1 : 1;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->w > b->w) - (a->w < b->w);
}

static uint64_t
xs_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A score in [0, 1] of one of several shapes, with many ties in most. */
static double
sort_score(uint64_t *st, int shape)
{
	double u = (double)(xs_next(st) >> 11) / 9007199254740992.0; /* [0, 1) */

	switch (shape) {
	case 0:
		return (double)(xs_next(st) % 7) / 6.0;          /* 7 values, 0 and 1 included */
	case 1:
		return floor(u * 1e6) / 1e6;                      /* 6 decimals, as in a CSV */
	case 2:
		return u;                                         /* all distinct */
	case 3:
		return pow(u, 12.0);                              /* crowded near 0 */
	case 4:
		return xs_next(st) % 3 == 0 ? 5e-324 : (xs_next(st) % 2 ? 1.0 : 0.0);
	default:
		return 0.5 + floor(u * 16.0) * 0x1p-40;           /* one narrow band */
	}
}

/* Sorted by score, a permutation of the input, the same with one or two threads. */
void
test_fairness__srow_sort_matches_qsort(void)
{
	static const size_t ns[] = { 0, 1, 2, 47, 48, 200, 4095, 4096, 20000, 300000 };
	uint64_t st = 0x9e3779b97f4a7c15ull;
	size_t in, i;
	int shape;

	for (in = 0; in < sizeof(ns) / sizeof(ns[0]); in++)
		for (shape = 0; shape < 6; shape++) {
			size_t n = ns[in];
			/* zeroed: the padding after key is compared too */
			struct aud__srow *a = calloc(n ? n : 1, sizeof(*a));
			struct aud__srow *b = malloc((n ? n : 1) * sizeof(*b));
			struct aud__srow *ref = malloc((n ? n : 1) * sizeof(*ref));
			int ok = 1;

			CHECK(a != NULL && b != NULL && ref != NULL);
			if (a == NULL || b == NULL || ref == NULL) {
				free(a);
				free(b);
				free(ref);
				return;
			}
			for (i = 0; i < n; i++) {
				a[i].score = sort_score(&st, shape);
				a[i].key = (uint32_t)(xs_next(&st) % 64);
				a[i].w = (double)(xs_next(&st) % 5) * 0.25;
			}
			memcpy(b, a, n * sizeof(*a));
			memcpy(ref, a, n * sizeof(*a));
			aud__srow_sort(a, n, 1);
			aud__srow_sort(b, n, 2);
			/* identical for any thread count, byte for byte */
			CHECK(n == 0 || memcmp(a, b, n * sizeof(*a)) == 0);
			for (i = 1; i < n; i++)
				ok &= a[i - 1].score <= a[i].score;
			CHECK(ok);
			/* the same rows: order ties fully on both sides and compare */
			qsort(ref, n, sizeof(*ref), cmp_srow_full);
			qsort(b, n, sizeof(*b), cmp_srow_full);
			CHECK(n == 0 || memcmp(ref, b, n * sizeof(*a)) == 0);
			free(a);
			free(b);
			free(ref);
		}
}

/* The scores' order is the values' order around the bucket edges (k / 256, k / 65536). */
void
test_fairness__srow_sort_bucket_edges(void)
{
	size_t n = 8192, i;
	struct aud__srow *a = malloc(n * sizeof(*a));
	uint64_t st = 12345;
	int ok = 1;

	CHECK(a != NULL);
	if (a == NULL)
		return;
	for (i = 0; i < n; i++) {
		double e = (double)(xs_next(&st) % 65537) / 65536.0;
		int d = (int)(xs_next(&st) % 3) - 1;

		a[i].score = d < 0 ? nextafter(e, 0.0) : d > 0 ? nextafter(e, 1.0) : e;
		if (a[i].score > 1.0)
			a[i].score = 1.0;
		a[i].key = (uint32_t)i;
		a[i].w = 1.0f;
	}
	aud__srow_sort(a, n, 2);
	for (i = 1; i < n; i++)
		ok &= a[i - 1].score <= a[i].score;
	CHECK(ok);
	free(a);
}

/*
 * Reading a CSV with a score adds the rows on a second thread: the results are
 * those of adding the same rows one by one (every sum in the same order),
 * with cells that first appear late, weights that are not integers and tied
 * scores, over more rows than the thread's buffers hold.
 */
void
test_fairness__csv_score_thread_same_as_add_row(void)
{
	static const char *const gv[] = { "A", "B", "C", "D", "late1", "late2" };
	size_t n = 40000, i, cap = n * 64 + 64, len = 0;
	char *text = malloc(cap);
	uint64_t st = 777;
	int mode;

	CHECK(text != NULL);
	if (text == NULL)
		return;
	len += (size_t)snprintf(text + len, cap - len, "g,h,y,p,s,w\n");
	for (i = 0; i < n; i++) {
		int g = (int)(xs_next(&st) % 4), h = (int)(xs_next(&st) % 2);
		double s = (double)(xs_next(&st) % 1001) / 1000.0;
		double w = 0.1 + (double)(xs_next(&st) % 1000) / 997.0;
		int y = xs_next(&st) % 1000 < (uint64_t)(s * 1000), p = s >= 0.5;

		if (i == 25000 || i == 39999)
			g = i == 25000 ? 4 : 5;  /* new cells after the buffers have cycled */
		len += (size_t)snprintf(text + len, cap - len, "%s,%s,%d,%d,%.17g,%.17g\n",
		    gv[g], h ? "x" : "z", y, p, s, w);
	}
	for (mode = 0; mode < 3; mode++) {
		struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
		struct aud_fairness_columns c = { "y", "p", "s", "w" };
		struct aud_error err = AUD_ERROR_INIT;
		static const char *const cols[] = { "g", "h" };
		struct aud_fairness *f = NULL;
		struct run r1, r2;
		char *j1 = NULL, *j2 = NULL;
		const char *q = strchr(text, '\n') + 1;

		o.protected = cols;
		o.nprotected = 2;
		o.intersect = 1;
		o.has_score = 1;
		o.has_weights = 1;
		if (mode == 1)
			o.score_bins = 50;
		if (mode == 2) {
			o.ci_method = AUD_CI_BOOTSTRAP;
			o.bootstrap = 100;
		}
		CHECK_INT_EQ(read_mem(text, &o, &c, &r1, &err), 0);
		/* the same rows through aud_fairness_add_row */
		CHECK_INT_EQ(aud_fairness_new(&f, &o, &err), 0);
		while (f != NULL && *q != '\0') {
			char gb[16], hb[4];
			const char *vals[2] = { gb, hb };
			size_t lens[2];
			struct aud_fairness_row row;
			int y, p;
			double s, w;

			if (sscanf(q, "%15[^,],%3[^,],%d,%d,%lf,%lf", gb, hb, &y, &p, &s, &w) != 6)
				break;
			lens[0] = strlen(gb);
			lens[1] = strlen(hb);
			row.values = vals;
			row.lens = lens;
			row.label = y;
			row.pred = p;
			row.favorable = p;
			row.score = s;
			row.weight = w;
			if (aud_fairness_add_row(f, &row, &err) < 0)
				break;
			q = strchr(q, '\n') + 1;
		}
		CHECK(*q == '\0');
		CHECK_INT_EQ(finish(f, &r2), 0);
		if (r1.res != NULL && r2.res != NULL) {
			j1 = cJSON_PrintUnformatted(r1.res);
			j2 = cJSON_PrintUnformatted(r2.res);
			CHECK(j1 != NULL && j2 != NULL && strcmp(j1, j2) == 0);
			CHECK(strstr(j1, "late2") != NULL);
		}
		free(j1);
		free(j2);
		run_free(&r1);
		run_free(&r2);
	}
	free(text);
}

/* Remove every sum of weights ("weight", "confusion") from a results object. */
static void
drop_weights(cJSON *o)
{
	cJSON *x;

	cJSON_DeleteItemFromObjectCaseSensitive(o, "weight");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "confusion");
	cJSON_ArrayForEach(x, o)
		if (cJSON_IsObject(x) || cJSON_IsArray(x))
			drop_weights(x);
}

/* A common factor of every weight changes no metric, however large or small (kept as doubles). */
void
test_fairness__extreme_uniform_weights(void)
{
	static const double scale[] = { 1e39, 1e-300, 1e308, 3e-320 };
	static const char *const keys[] = { "selection_rate", "tpr", "fpr", "ppv", "auc",
		"brier", "log_loss", "ece", "mean_score", "balanced_accuracy" };
	const char *g[] = { "a", "b", "a", "b", "a", "a", "b", "b", "a" };
	const int y[] = { 1, 0, 0, 1, 1, 0, 1, 0, 0 }, p[] = { 1, 1, 0, 0, 1, 1, 1, 0, 0 };
	const double s[] = { .8, .7, .3, .2, .9, .6, .75, .1, .45 };
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct run r1, r2;
	size_t i, k, j;

	o.protected = one_col;
	o.nprotected = 1;
	o.has_score = 1;
	o.has_weights = 1;
	for (j = 0; j < sizeof(scale) / sizeof(scale[0]); j++) {
		struct aud_fairness *f1 = new_f(&o), *f2 = new_f(&o);
		char *t1, *t2;

		for (i = 0; i < 9; i++) {
			add(f1, g[i], NULL, y[i], p[i], s[i], 1, 1);
			add(f2, g[i], NULL, y[i], p[i], s[i], scale[j], 1);
		}
		if (finish(f1, &r1) < 0 || finish(f2, &r2) < 0)
			return;
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			CHECK(!isnan(gm(r2.res, "g", "a", keys[k])));
			CHECK_REL(gm(r2.res, "g", "a", keys[k]), gm(r1.res, "g", "a", keys[k]), 0);
			CHECK_REL(gm(r2.res, "g", "b", keys[k]), gm(r1.res, "g", "b", keys[k]), 0);
			CHECK_REL(num(aud_json_get(r2.res, "overall"), keys[k]),
			    num(aud_json_get(r1.res, "overall"), keys[k]), 0);
		}
		/* everything but the sums of weights is identical */
		drop_weights(r1.res);
		drop_weights(r2.res);
		t1 = cJSON_PrintUnformatted(r1.res);
		t2 = cJSON_PrintUnformatted(r2.res);
		CHECK_STR_EQ(t2, t1);
		cJSON_free(t1);
		cJSON_free(t2);
		if (scale[j] < 1e300) {
			CHECK(!has_warning(r2.warn, "sum of weights exceeds"));
		} else
			CHECK(has_warning(r2.warn, "overall: the sum of weights exceeds the largest number"));
		run_free(&r1);
		run_free(&r2);
	}
}

/* The sum of weights is reported in the input's unit; a ratio beyond the largest double is refused. */
void
test_fairness__weight_sums_and_ratio_limit(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairness *f;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_fairness_row row;
	const char *vals[1] = { "a" };
	size_t lens[1] = { 1 };
	struct run r;

	o.protected = one_col;
	o.nprotected = 1;
	o.has_weights = 1;
	f = new_f(&o);
	add(f, "a", NULL, 1, 1, 0, 0, 1);       /* a zero weight before the first positive one */
	add(f, "a", NULL, 1, 1, 0, 3e-300, 1);
	add(f, "a", NULL, 0, 1, 0, 6e-300, 1);
	row.values = vals;
	row.lens = lens;
	row.label = row.pred = row.favorable = 1;
	row.score = 0;
	row.weight = 1e10;
	CHECK_INT_EQ(aud_fairness_add_row(f, &row, &err), AUD_EPARSE);
	CHECK(strstr(err.msg, "weight 1e+10 is more than") != NULL);
	if (finish(f, &r) < 0)
		return;
	CHECK_REL(num(aud_json_get(r.res, "overall"), "weight"), 9e-300, 1e-15);
	CHECK_REL(num(aud_json_get(r.res, "overall"), "ppv"), 1.0 / 3, 1e-15);
	run_free(&r);
}

/* A positive or favorable value that never occurs is an error naming the values that do. */
void
test_fairness__csv_value_never_occurs(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairness_columns c = { "y", "p", NULL, NULL };
	struct aud_fairness_columns cs = { "y", NULL, "s", NULL };
	struct aud_error err = AUD_ERROR_INIT;
	struct run r;

	o.protected = one_col;
	o.nprotected = 1;
	/* Adult read with its spaces: '>50K' matches nothing */
	o.positive = o.favorable = ">50K";
	CHECK_INT_EQ(read_mem("g,y,p\nA, <=50K, >50K\nB, >50K, <=50K\nB, <=50K, <=50K\n",
	    &o, &c, &r, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.csv: --positive '>50K' never occurs in column 'y' "
	    "(its values: ' <=50K', ' >50K')");
	/* in the label but not in the prediction */
	CHECK_INT_EQ(read_mem("g,y,p\nA,>50K,<=50K\nB,<=50K,<=50K\n", &o, &c, &r, &err),
	    AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.csv: --positive '>50K' never occurs in column 'p' "
	    "(its values: '<=50K')");
	/* a favorable value the prediction never takes */
	o.positive = "1";
	o.favorable = "2";
	CHECK_INT_EQ(read_mem("g,y,p\nA,1,1\nB,0,0\nB,0,0.0\n", &o, &c, &r, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.csv: --favorable '2' never occurs in column 'p' "
	    "(its values: '1', '0')");
	/* a score only: a favorable value other than the positive one must be a label value */
	o.has_pred = 0;
	o.has_score = 1;
	CHECK_INT_EQ(read_mem("g,y,s\nA,1,0.3\nA,0,0.2\n", &o, &cs, &r, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.csv: --favorable '2' never occurs in column 'y' "
	    "(its values: '1', '0')");
	o.favorable = "0";
	CHECK_INT_EQ(read_mem("g,y,s\nA,1,0.3\nA,0,0.2\n", &o, &cs, &r, &err), 0);
	run_free(&r);
	/* many values: refused as not binary before the positive value is looked for */
	o.has_pred = 1;
	o.has_score = 0;
	o.positive = o.favorable = "z";
	CHECK_INT_EQ(read_mem("g,y,p\nA,a,z\nA,b,z\nA,c,z\nA,d,z\nA,e,z\nA,a,z\n", &o, &c, &r,
	    &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.csv: column 'y' has more than 4 values ('a', 'b', 'c', 'd', "
	    "...): a binary audit needs two; use --task multiclass");
}

/*
 * A label of more than two distinct values, or a prediction adding a third,
 * is an error naming the values in byte order (never a one-vs-rest count).
 */
void
test_fairness__csv_more_than_two_values(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairness_columns c = { "y", "p", NULL, NULL };
	struct aud_error err = AUD_ERROR_INIT;
	struct run r;

	o.protected = one_col;
	o.nprotected = 1;
	/* two values, numbers compared as numbers (0 = 0.0 = 00) */
	CHECK_INT_EQ(read_mem("g,y,p\nA,1,1\nA,0,0\nB,0.0,1\nB,00,0\n", &o, &c, &r, &err), 0);
	run_free(&r);
	/* three: 1, 0 and 2 */
	CHECK_INT_EQ(read_mem("g,y,p\nA,1,1\nA,0,0\nB,0.0,1\nB,2,0\n", &o, &c, &r, &err),
	    AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.csv: column 'y' has 3 values ('0', '1', '2'): a binary audit "
	    "needs two; use --task multiclass");
	run_free(&r);
	/* the label has two, the prediction a third */
	CHECK_INT_EQ(read_mem("g,y,p\nA,1,1\nA,0,0\nB,0.0,7\n", &o, &c, &r, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.csv: column 'p' has values the label 'y' does not have: with "
	    "the label's, 3 values ('0', '1', '7'): a binary audit needs two; use --task "
	    "multiclass");
	run_free(&r);
	/* six text values: the first five listed, then more */
	o.positive = o.favorable = "a";
	CHECK_INT_EQ(read_mem("g,y,p\nA,f,a\nA,e,a\nA,d,a\nA,c,a\nA,b,a\nA,a,a\n", &o, &c, &r,
	    &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.csv: column 'y' has more than 5 values ('a', 'c', 'd', 'e', "
	    "'f', ...): a binary audit needs two; use --task multiclass");
	run_free(&r);
	o.positive = o.favorable = "1";
	/* text: two values, however often */
	o.positive = o.favorable = "yes";
	CHECK_INT_EQ(read_mem("g,y,p\nA,yes,no\nA,no,yes\nB,no,no\nB,no,yes\n", &o, &c, &r, &err),
	    0);
	run_free(&r);
}

/* A tie for the largest group is decided by name, with a warning; --reference silences it. */
void
test_fairness__reference_tie(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairness_reference ref = { "g", "B" };
	struct aud_fairness *f;
	struct run r;
	int pass;

	o.protected = one_col;
	o.nprotected = 1;
	for (pass = 0; pass < 3; pass++) {
		if (pass == 1) {
			o.refs = &ref;
			o.nrefs = 1;
		}
		f = new_f(&o);
		add(f, "B", NULL, 1, 1, 0, 1, 2);
		add(f, "C", NULL, 1, 0, 0, 1, 2);
		add(f, "A", NULL, 1, 1, 0, 1, pass == 2 ? 3 : 2);
		add(f, "D", NULL, 0, 1, 0, 1, 1);
		if (finish(f, &r) < 0)
			return;
		CHECK_INT_EQ(has_warning(r.warn, "tie as the largest"), pass == 0);
		if (pass == 0) {
			CHECK(has_warning(r.warn, "g: groups 'A', 'B' and 'C' tie as the largest (2 rows): "
			    "the reference group is 'A', the first by name; choose one with "
			    "--reference 'g=GROUP'"));
			CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(attr(r.res, "g"), "reference")), "A");
		}
		/* C selects none of its 2, the reference (A or B) all */
		CHECK_REL(num(aud_json_get(aud_json_get(group(r.res, "g", "C"), "disparity"), "selection_rate"),
		    "difference"), -1, 0);
		run_free(&r);
	}
}

/* Distinct groups keep distinct names: a literal "(missing)", parts holding " & ", quotes. */
void
test_fairness__group_names_unambiguous(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairness *f;
	const cJSON *g, *v;
	struct run r;

	o.protected = two_cols;
	o.nprotected = 2;
	o.intersect = 1;
	f = new_f(&o);
	add(f, "x & y", "z", 1, 1, 0, 1, 1);
	add(f, "x", "y & z", 1, 0, 0, 1, 2);
	add(f, "(missing)", "q", 0, 1, 0, 1, 3);
	add(f, NULL, "q", 0, 0, 0, 1, 4);
	add(f, "\"a\"", "R&D", 1, 1, 0, 1, 5);
	if (finish(f, &r) < 0)
		return;
	CHECK_REL(num(group(r.res, "race", "\"x & y\""), "count"), 1, 0);
	CHECK_REL(num(group(r.res, "race", "x"), "count"), 2, 0);
	CHECK_REL(num(group(r.res, "race", "\"(missing)\""), "count"), 3, 0);
	CHECK_REL(num(group(r.res, "race", "(missing)"), "count"), 4, 0);
	CHECK_REL(num(group(r.res, "race", "\"\"\"a\"\"\""), "count"), 5, 0);
	CHECK_REL(num(group(r.res, "sex", "R&D"), "count"), 5, 0);
	CHECK_REL(num(group(r.res, "race & sex", "\"x & y\" & z"), "count"), 1, 0);
	CHECK_REL(num(group(r.res, "race & sex", "x & \"y & z\""), "count"), 2, 0);
	CHECK_REL(num(group(r.res, "race & sex", "\"(missing)\" & q"), "count"), 3, 0);
	CHECK_REL(num(group(r.res, "race & sex", "(missing) & q"), "count"), 4, 0);
	CHECK_INT_EQ(cJSON_GetArraySize(aud_json_get(attr(r.res, "race & sex"), "groups")), 5);
	/* the values arrays hold the raw values, null for the missing one */
	g = group(r.res, "race & sex", "(missing) & q");
	v = aud_json_get(g, "values");
	CHECK(cJSON_IsNull(cJSON_GetArrayItem(v, 0)));
	CHECK_STR_EQ(cJSON_GetStringValue(cJSON_GetArrayItem(v, 1)), "q");
	v = aud_json_get(group(r.res, "race & sex", "\"(missing)\" & q"), "values");
	CHECK_STR_EQ(cJSON_GetStringValue(cJSON_GetArrayItem(v, 0)), "(missing)");
	v = aud_json_get(group(r.res, "race & sex", "\"x & y\" & z"), "values");
	CHECK_STR_EQ(cJSON_GetStringValue(cJSON_GetArrayItem(v, 0)), "x & y");
	run_free(&r);
}

/* TP/FP/FN/TN and the majority-class baseline, against the hand counts of tiny(). */
void
test_fairness__confusion_and_baseline(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairness *f;
	const cJSON *c;
	struct run r;

	if (finish(tiny(), &r) < 0)
		return;
	c = aud_json_get(group(r.res, "g", "A"), "confusion");
	CHECK_REL(num(c, "tp"), 3, 0);
	CHECK_REL(num(c, "fp"), 1, 0);
	CHECK_REL(num(c, "fn"), 2, 0);
	CHECK_REL(num(c, "tn"), 4, 0);
	c = aud_json_get(group(r.res, "g", "B"), "confusion");
	CHECK_REL(num(c, "tp"), 1, 0);
	CHECK_REL(num(c, "fp"), 2, 0);
	CHECK_REL(num(c, "fn"), 1, 0);
	CHECK_REL(num(c, "tn"), 6, 0);
	c = aud_json_get(aud_json_get(r.res, "overall"), "confusion");
	CHECK_REL(num(c, "tp"), 4, 0);
	CHECK_REL(num(c, "tn"), 10, 0);
	CHECK(aud_json_get(aud_json_get(r.res, "overall"), "confusion_rows") == NULL);
	/* 7 positive labels, 13 negative: always predicting negative */
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(r.res, "majority_class")), "negative");
	CHECK_REL(num(aud_json_get(r.res, "overall"), "baseline_accuracy"), 13.0 / 20, 1e-15);
	CHECK_REL(gm(r.res, "g", "A", "baseline_accuracy"), 5.0 / 10, 1e-15);
	CHECK_REL(gm(r.res, "g", "B", "baseline_accuracy"), 8.0 / 10, 1e-15);
	run_free(&r);
	/* weights: the sums in the input's unit, the rows beside them; the majority by weight */
	o.protected = one_col;
	o.nprotected = 1;
	o.has_weights = 1;
	f = new_f(&o);
	add(f, "A", NULL, 1, 1, 0, 2.5, 2);     /* TP: 2 rows, 5 */
	add(f, "A", NULL, 0, 1, 0, 0.5, 3);     /* FP: 3 rows, 1.5 */
	add(f, "A", NULL, 1, 0, 0, 4, 1);       /* FN: 1 row, 4 */
	add(f, "A", NULL, 0, 0, 0, 1, 1);       /* TN: 1 row, 1 */
	if (finish(f, &r) < 0)
		return;
	c = aud_json_get(group(r.res, "g", "A"), "confusion");
	CHECK_REL(num(c, "tp"), 5, 1e-15);
	CHECK_REL(num(c, "fp"), 1.5, 1e-15);
	CHECK_REL(num(c, "fn"), 4, 1e-15);
	CHECK_REL(num(c, "tn"), 1, 1e-15);
	c = aud_json_get(group(r.res, "g", "A"), "confusion_rows");
	CHECK_REL(num(c, "tp"), 2, 0);
	CHECK_REL(num(c, "fp"), 3, 0);
	CHECK_REL(num(c, "fn"), 1, 0);
	CHECK_REL(num(c, "tn"), 1, 0);
	/* positive labels weigh 9 of 11.5 (though they are 3 rows of 7) */
	CHECK_STR_EQ(cJSON_GetStringValue(aud_json_get(r.res, "majority_class")), "positive");
	CHECK_REL(num(aud_json_get(r.res, "overall"), "baseline_accuracy"), 9 / 11.5, 1e-15);
	CHECK_REL(num(aud_json_get(r.res, "overall"), "accuracy"), 6 / 11.5, 1e-15);
	run_free(&r);
}

/* Add a row of two protected values (or one when b is NULL); return add_row's code. */
static int
add2(struct aud_fairness *f, const char *a, const char *b, struct aud_error *err)
{
	const char *vals[2] = { a, b };
	size_t lens[2] = { strlen(a), b != NULL ? strlen(b) : 0 };
	struct aud_fairness_row row;

	row.values = vals;
	row.lens = lens;
	row.label = row.pred = row.favorable = 1;
	row.score = 0.5;
	row.weight = 1;
	return aud_fairness_add_row(f, &row, err);
}

/* The bounds: groups in all attributes, score histograms, bootstrap replicates. */
void
test_fairness__bounds(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_fairness *f;
	char a[16], b[16];
	int i, rc = 0;

	/* 2 columns of 5000 values and their 5000 cells: 10000 groups pass, one more fails */
	o.protected = two_cols;
	o.nprotected = 2;
	f = new_f(&o);
	for (i = 0; i < 5000 && rc == 0; i++) {
		snprintf(a, sizeof(a), "a%d", i);
		snprintf(b, sizeof(b), "b%d", i);
		rc = add2(f, a, b, &err);
	}
	CHECK_INT_EQ(rc, 0);
	CHECK_INT_EQ(add2(f, "a0", "b1", &err), 0);           /* a new cell, no new group */
	CHECK_INT_EQ(add2(f, "a5000", "b0", &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "the protected columns' values make more than 10000 groups in all "
	    "attributes (audit-report reads documents of at most 256 MiB)");
	CHECK_INT_EQ(add2(f, "a1", "b1", &err), 0);   /* a known cell still counts */
	aud_fairness_free(f);
	/* 1000 replicates of 56 numbers: 2395 groups (and overall) fit in 1 GiB */
	o.protected = one_col;
	o.nprotected = 1;
	o.ci_method = AUD_CI_BOOTSTRAP;
	f = new_f(&o);
	for (i = 0, rc = 0; i < 2400 && rc == 0; i++) {
		snprintf(a, sizeof(a), "g%d", i);
		rc = add2(f, a, NULL, &err);
	}
	CHECK_INT_EQ(rc, AUD_EPARSE);
	CHECK_INT_EQ(i, 2396);
	CHECK_STR_EQ(err.msg, "--bootstrap 1000: the replicates of 2397 groups would need 1025 "
	    "MiB, more than 1024 MiB: use fewer replicates");
	aud_fairness_free(f);
}

/* The histograms' bound: it allocates almost 2 GiB, which takes minutes under
 * valgrind (make valgrind sets AUD_VALGRIND), so it runs natively and under ASan. */
void
test_fairness__bounds_score_bins(void)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_fairness *f;
	char a[16];
	int i, rc = 0;

	if (getenv("AUD_VALGRIND") != NULL) {
		aud_test_skip("allocates almost 2 GiB of histograms: too slow under valgrind");
		return;
	}
	/* --score-bins 1000000: 11 groups of one column fit in 2 GiB, the 12th does not */
	o.protected = one_col;
	o.nprotected = 1;
	o.has_score = 1;
	o.score_bins = 1000000;
	f = new_f(&o);
	for (i = 0, rc = 0; i < 12 && rc == 0; i++) {
		snprintf(a, sizeof(a), "g%d", i);
		rc = add2(f, a, NULL, &err);
	}
	CHECK_INT_EQ(rc, AUD_EPARSE);
	CHECK_INT_EQ(i, 12);
	/* 12 x 2e6 x (8 + 40) + 13 x 2e6 x 40 bytes = 2090.5 MiB */
	CHECK_STR_EQ(err.msg, "--score-bins 1000000: the score histograms of 12 cells and 13 "
	    "groups would need 2091 MiB, more than 2048 MiB: use fewer bins");
	aud_fairness_free(f);
}

/*
 * Exact AUC over enough rows for two sweeps of the sorted rows (each over
 * half of the attributes, as two tasks of the parallel loop): every group's
 * AUC is the one of a run with its attribute alone (one sweep), bit for bit,
 * and the Mann-Whitney count of its 100-level score histogram.
 */
void
test_fairness__exact_auc_two_sweeps(void)
{
	static const char *const race[] = { "a", "b", "c" };
	static const char *const sex[] = { "f", "m" };
	static const char *const only_race[] = { "race" }, *const only_sex[] = { "sex" };
	enum { N = 300000, LEVELS = 100 };
	static uint64_t pos[3][LEVELS], neg[3][LEVELS];
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairness *both, *r1, *s1;
	struct run rb, rr, rs;
	uint64_t st = 12345;
	size_t i, g, u, v;

	o.has_pred = 0;
	o.has_score = 1;
	o.ci_method = AUD_CI_WILSON;
	o.protected = two_cols;
	o.nprotected = 2;
	both = new_f(&o);
	o.nprotected = 1;
	o.protected = only_race;
	r1 = new_f(&o);
	o.protected = only_sex;
	s1 = new_f(&o);
	if (both == NULL || r1 == NULL || s1 == NULL)
		return;
	memset(pos, 0, sizeof(pos));
	memset(neg, 0, sizeof(neg));
	for (i = 0; i < N; i++) {
		size_t rg = (size_t)(xs_next(&st) % 3), sg = (size_t)(xs_next(&st) % 2);
		int lvl = (int)(xs_next(&st) % LEVELS);
		double s = (lvl + 0.5) / LEVELS;
		int y = (double)(xs_next(&st) % 1000) / 1000.0 < s * (rg == 1 ? 0.7 : 1.0);

		add(both, race[rg], sex[sg], y, s >= 0.5, s, 1, 1);
		add(r1, race[rg], NULL, y, s >= 0.5, s, 1, 1);
		add(s1, sex[sg], NULL, y, s >= 0.5, s, 1, 1);
		if (y)
			pos[rg][lvl]++;
		else
			neg[rg][lvl]++;
	}
	if (finish(both, &rb) < 0 || finish(r1, &rr) < 0 || finish(s1, &rs) < 0)
		return;
	for (g = 0; g < 3; g++) {
		double wins = 0, np = 0, nn = 0;

		for (u = 0; u < LEVELS; u++) {
			np += (double)pos[g][u];
			nn += (double)neg[g][u];
			for (v = 0; v < LEVELS; v++)
				if (u > v)
					wins += (double)pos[g][u] * (double)neg[g][v];
				else if (u == v)
					wins += 0.5 * (double)pos[g][u] * (double)neg[g][v];
		}
		CHECK_DBL_EQ(gm(rb.res, "race", race[g], "auc"), gm(rr.res, "race", race[g], "auc"));
		CHECK_REL(gm(rb.res, "race", race[g], "auc"), wins / (np * nn), 1e-12);
	}
	for (g = 0; g < 2; g++)
		CHECK_DBL_EQ(gm(rb.res, "sex", sex[g], "auc"), gm(rs.res, "sex", sex[g], "auc"));
	run_free(&rb);
	run_free(&rr);
	run_free(&rs);
}
