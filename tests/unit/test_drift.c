/*
 * test_drift.c — the drift comparison: Evidently's test selection and the
 * decisions by hand, the dataset summary, and whole columns on tiny samples
 * whose statistics are computed by hand (chi-square, Jensen–Shannon, PSI,
 * the z-test, KS, Wasserstein), one category only, all-missing columns, a
 * column in one file, unseen categories and their hint.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/colstat.h>
#include <audit/json.h>

#include "drift_impl.h"
#include "runner.h"

static struct aud_colstat *
col(const char *const *v, size_t n)
{
	struct aud_colstat_options o = AUD_COLSTAT_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_colstat *c = NULL;
	size_t i;

	CHECK_INT_EQ(aud_colstat_new(&c, "x", &o, &err), 0);
	for (i = 0; i < n; i++)
		CHECK_INT_EQ(aud_colstat_add(c, v[i], v[i] ? strlen(v[i]) : 0, v[i] == NULL,
		    i + 2, &err), 0);
	return c;
}

/* Compare two columns with the default rules; the caller frees obj and warnings. */
static cJSON *
compare(const char *const *a, size_t na, const char *const *b, size_t nb, cJSON *warnings)
{
	struct aud__drift_rules r = { AUD_DRIFT_AUTO, NAN, 0.5 };
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_colstat *ref = a ? col(a, na) : NULL, *cur = b ? col(b, nb) : NULL;
	cJSON *obj = cJSON_CreateObject();

	CHECK_INT_EQ(aud__drift_column(obj, "x", ref, cur, &r, warnings, "", &err), 0);
	aud_colstat_free(ref);
	aud_colstat_free(cur);
	return obj;
}

static int
warned(const cJSON *w, const char *part)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, w)
		if (cJSON_IsString(x) && strstr(x->valuestring, part) != NULL)
			return 1;
	return 0;
}

void
test_drift__selection(void)
{
	int fb = -1;

	/* a reference of at most 1000 present values: the p-value tests */
	CHECK_INT_EQ(aud__drift_select(AUD_DRIFT_AUTO, 1, 6, 1000, &fb), AUD_DRIFT_KS);
	CHECK_INT_EQ(fb, 0);
	CHECK_INT_EQ(aud__drift_select(AUD_DRIFT_AUTO, 1, 5, 1000, NULL), AUD_DRIFT_CHISQUARE);
	CHECK_INT_EQ(aud__drift_select(AUD_DRIFT_AUTO, 1, 3, 10, NULL), AUD_DRIFT_CHISQUARE);
	CHECK_INT_EQ(aud__drift_select(AUD_DRIFT_AUTO, 1, 2, 10, NULL), AUD_DRIFT_Z);
	CHECK_INT_EQ(aud__drift_select(AUD_DRIFT_AUTO, 0, 2, 10, NULL), AUD_DRIFT_Z);
	CHECK_INT_EQ(aud__drift_select(AUD_DRIFT_AUTO, 0, 1, 10, NULL), AUD_DRIFT_Z);
	CHECK_INT_EQ(aud__drift_select(AUD_DRIFT_AUTO, 0, 3, 1000, NULL), AUD_DRIFT_CHISQUARE);
	CHECK_INT_EQ(aud__drift_select(AUD_DRIFT_AUTO, 0, 50, 1000, NULL), AUD_DRIFT_CHISQUARE);
	/* larger: the distances */
	CHECK_INT_EQ(aud__drift_select(AUD_DRIFT_AUTO, 1, 6, 1001, NULL), AUD_DRIFT_WASSERSTEIN);
	CHECK_INT_EQ(aud__drift_select(AUD_DRIFT_AUTO, 1, 5, 1001, NULL),
	    AUD_DRIFT_JENSENSHANNON);
	CHECK_INT_EQ(aud__drift_select(AUD_DRIFT_AUTO, 0, 2, 1001, NULL),
	    AUD_DRIFT_JENSENSHANNON);
	CHECK_INT_EQ(aud__drift_select(AUD_DRIFT_AUTO, 0, 500, 100000, NULL),
	    AUD_DRIFT_JENSENSHANNON);
	/* --method, where it is defined; the default (and fb) where not */
	CHECK_INT_EQ(aud__drift_select(AUD_DRIFT_PSI, 0, 3, 10, &fb), AUD_DRIFT_PSI);
	CHECK_INT_EQ(fb, 0);
	CHECK_INT_EQ(aud__drift_select(AUD_DRIFT_KS, 1, 100, 5000, &fb), AUD_DRIFT_KS);
	CHECK_INT_EQ(aud__drift_select(AUD_DRIFT_KS, 0, 3, 10, &fb), AUD_DRIFT_CHISQUARE);
	CHECK_INT_EQ(fb, 1);
	CHECK_INT_EQ(aud__drift_select(AUD_DRIFT_Z, 0, 3, 5000, &fb), AUD_DRIFT_JENSENSHANNON);
	CHECK_INT_EQ(fb, 1);
	CHECK_INT_EQ(aud__drift_select(AUD_DRIFT_CHISQUARE, 1, 100, 10, &fb), AUD_DRIFT_KS);
	CHECK_INT_EQ(fb, 1);
	CHECK_INT_EQ(aud__drift_select(AUD_DRIFT_JENSENSHANNON, 1, 4, 10, &fb),
	    AUD_DRIFT_JENSENSHANNON);
	CHECK_INT_EQ(fb, 0);
}

void
test_drift__decisions(void)
{
	CHECK_DBL_EQ(aud__drift_threshold(AUD_DRIFT_KS, NAN), 0.05);
	CHECK_DBL_EQ(aud__drift_threshold(AUD_DRIFT_CHISQUARE, NAN), 0.05);
	CHECK_DBL_EQ(aud__drift_threshold(AUD_DRIFT_Z, NAN), 0.05);
	CHECK_DBL_EQ(aud__drift_threshold(AUD_DRIFT_WASSERSTEIN, NAN), 0.1);
	CHECK_DBL_EQ(aud__drift_threshold(AUD_DRIFT_JENSENSHANNON, NAN), 0.1);
	CHECK_DBL_EQ(aud__drift_threshold(AUD_DRIFT_PSI, NAN), 0.1);
	CHECK_DBL_EQ(aud__drift_threshold(AUD_DRIFT_PSI, 0.25), 0.25);
	/* p-values drift strictly below the threshold */
	CHECK_INT_EQ(aud__drift_decide(AUD_DRIFT_KS, 0.049, 0.05), 1);
	CHECK_INT_EQ(aud__drift_decide(AUD_DRIFT_KS, 0.05, 0.05), 0);
	CHECK_INT_EQ(aud__drift_decide(AUD_DRIFT_Z, 0.0, 0.05), 1);
	CHECK_INT_EQ(aud__drift_decide(AUD_DRIFT_CHISQUARE, NAN, 0.05), 0);
	/* distances drift at or above it */
	CHECK_INT_EQ(aud__drift_decide(AUD_DRIFT_WASSERSTEIN, 0.1, 0.1), 1);
	CHECK_INT_EQ(aud__drift_decide(AUD_DRIFT_WASSERSTEIN, 0.0999, 0.1), 0);
	CHECK_INT_EQ(aud__drift_decide(AUD_DRIFT_JENSENSHANNON, INFINITY, 0.1), 1);
	CHECK_INT_EQ(aud__drift_decide(AUD_DRIFT_PSI, NAN, 0.1), 0);
	CHECK_STR_EQ(aud__drift_stat_key(AUD_DRIFT_WASSERSTEIN), "wasserstein_normed");
	CHECK_STR_EQ(aud__drift_stat_key(AUD_DRIFT_Z), "z_pvalue");
	CHECK(aud__drift_stat_key(AUD_DRIFT_AUTO) == NULL);
}

static cJSON *
column(const char *name, int drift)
{
	cJSON *c = cJSON_CreateObject();

	cJSON_AddStringToObject(c, "column", name);
	if (drift < 0)
		cJSON_AddNullToObject(c, "drift");
	else
		cJSON_AddBoolToObject(c, "drift", drift);
	return c;
}

void
test_drift__summary(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	cJSON *cols = cJSON_CreateArray(), *o = cJSON_CreateObject(), *o2 = cJSON_CreateObject();
	cJSON *none = cJSON_CreateArray(), *o3 = cJSON_CreateObject();

	cJSON_AddItemToArray(cols, column("a", 1));
	cJSON_AddItemToArray(cols, column("b", 0));
	cJSON_AddItemToArray(cols, column("c", 1));
	cJSON_AddItemToArray(cols, column("d", -1));  /* not tested */
	CHECK_INT_EQ(aud__drift_summary(o, cols, 0.5, &err), 0);
	CHECK_DBL_EQ(aud_json_num(o, "tested"), 3);
	CHECK_DBL_EQ(aud_json_num(o, "drifted"), 2);
	CHECK_DBL_EQ(aud_json_num(o, "drift_share"), 2.0 / 3.0);
	CHECK(cJSON_IsTrue(aud_json_get(o, "dataset_drift")));
	CHECK_INT_EQ(aud__drift_summary(o2, cols, 0.7, &err), 0);
	CHECK(cJSON_IsFalse(aud_json_get(o2, "dataset_drift")));
	cJSON_AddItemToArray(none, column("d", -1));
	CHECK_INT_EQ(aud__drift_summary(o3, none, 0.5, &err), 0);
	CHECK_DBL_EQ(aud_json_num(o3, "tested"), 0);
	CHECK(cJSON_IsNull(aud_json_get(o3, "drift_share")));
	CHECK(cJSON_IsNull(aud_json_get(o3, "dataset_drift")));
	cJSON_Delete(cols);
	cJSON_Delete(none);
	cJSON_Delete(o);
	cJSON_Delete(o2);
	cJSON_Delete(o3);
}

/* ref a a b, cur a b b: every statistic by hand. */
void
test_drift__binary_by_hand(void)
{
	static const char *const a[] = { "a", "a", "b" }, *const b[] = { "a", "b", "b", NULL };
	cJSON *o = compare(a, 3, b, 4, NULL);
	const cJSON *h;
	double kl = 2.0 / 3 * log(4.0 / 3) + 1.0 / 3 * log(2.0 / 3);
	double z = (1.0 / 3 - 2.0 / 3) / sqrt(0.25 * (1.0 / 3 + 1.0 / 3));

	CHECK_STR_EQ(aud_json_str(o, "kind"), "binary");
	CHECK_DBL_EQ(aud_json_num(o, "missing_current"), 1);
	CHECK_DBL_EQ(aud_json_num(o, "current_rows"), 3);
	/* expected = ref counts 2, 1 scaled to 3 current values: (1-2)^2/2 + (2-1)^2/1 */
	CHECK_REL(aud_json_num(o, "chisquare_statistic"), 1.5, 1e-12);
	CHECK_REL(aud_json_num(o, "chisquare_pvalue"), erfc(sqrt(1.5 / 2)), 1e-12);
	/* the two proportions are mirror images: JS^2 = KL(p || m) */
	CHECK_REL(aud_json_num(o, "jensenshannon"), sqrt(kl), 1e-12);
	CHECK_REL(aud_json_num(o, "psi"), 2.0 / 3.0 * log(2.0), 1e-12);
	/* 'b' is the second value: z = (1/3 - 2/3) / sqrt(P (1-P) (1/3 + 1/3)), P = 1/2 */
	CHECK_REL(fabs(aud_json_num(o, "z_statistic")), fabs(z), 1e-12);
	CHECK_REL(aud_json_num(o, "z_pvalue"), erfc(fabs(z) / sqrt(2.0)), 1e-12);
	CHECK_STR_EQ(aud_json_str(o, "test"), "z");
	CHECK_DBL_EQ(aud_json_num(o, "threshold"), 0.05);
	CHECK(cJSON_IsFalse(aud_json_get(o, "drift")));
	CHECK(aud_json_get(o, "ks_statistic") == NULL);
	/* the histogram: both categories (a tie of 3 rows each: by name), proportions */
	h = aud_json_get(o, "histogram");
	CHECK_STR_EQ(cJSON_GetArrayItem(aud_json_get(h, "categories"), 0)->valuestring, "a");
	CHECK_REL(cJSON_GetArrayItem(aud_json_get(h, "reference"), 0)->valuedouble, 2.0 / 3, 1e-15);
	CHECK_REL(cJSON_GetArrayItem(aud_json_get(h, "current"), 1)->valuedouble, 2.0 / 3, 1e-15);
	CHECK(aud_json_get(h, "edges") == NULL);
	cJSON_Delete(o);
}

/* 25 categories: the histogram keeps the 20 most frequent and sums the rest as (other). */
void
test_drift__histogram_other(void)
{
	const char *v[25 * 26 / 2];
	char names[25][4];
	size_t i, k, n = 0;
	cJSON *o;
	const cJSON *h;

	/* category i (i = 0..24) appears i + 1 times in both files */
	for (i = 0; i < 25; i++) {
		snprintf(names[i], sizeof(names[i]), "c%02zu", i);
		for (k = 0; k <= i; k++)
			v[n++] = names[i];
	}
	o = compare(v, n, v, n, NULL);
	h = aud_json_get(o, "histogram");
	CHECK_INT_EQ(cJSON_GetArraySize(aud_json_get(h, "categories")), 21);
	CHECK_STR_EQ(cJSON_GetArrayItem(aud_json_get(h, "categories"), 0)->valuestring, "c24");
	CHECK_STR_EQ(cJSON_GetArrayItem(aud_json_get(h, "categories"), 20)->valuestring, "(other)");
	/* the five least frequent: 1 + 2 + 3 + 4 + 5 = 15 of 325 rows */
	CHECK_REL(cJSON_GetArrayItem(aud_json_get(h, "reference"), 20)->valuedouble, 15.0 / 325,
	    1e-15);
	CHECK_DBL_EQ(aud_json_num(o, "jensenshannon"), 0);
	CHECK_DBL_EQ(aud_json_num(o, "psi"), 0);
	CHECK_STR_EQ(aud_json_str(o, "test"), "chisquare");
	CHECK_DBL_EQ(aud_json_num(o, "chisquare_statistic"), 0);
	cJSON_Delete(o);
}

void
test_drift__one_category(void)
{
	static const char *const a[] = { "x", "x" }, *const b[] = { "x" };
	cJSON *o = compare(a, 2, b, 1, NULL);

	CHECK(cJSON_IsNull(aud_json_get(o, "chisquare_statistic")));
	CHECK(cJSON_IsNull(aud_json_get(o, "chisquare_pvalue")));
	CHECK_DBL_EQ(aud_json_num(o, "jensenshannon"), 0);
	CHECK_DBL_EQ(aud_json_num(o, "psi"), 0);
	CHECK_DBL_EQ(aud_json_num(o, "z_statistic"), 0);
	CHECK_DBL_EQ(aud_json_num(o, "z_pvalue"), 1);
	CHECK_STR_EQ(aud_json_str(o, "test"), "z");
	CHECK(cJSON_IsFalse(aud_json_get(o, "drift")));
	cJSON_Delete(o);
}

/* 1..10 against 6..15: D = 0.5, every quantile moves by 5. */
void
test_drift__numeric_by_hand(void)
{
	static const char *const a[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "10" };
	static const char *const b[] = { "6", "7", "8", "9", "10", "11", "12", "13", "14", "15" };
	cJSON *o = compare(a, 10, b, 10, NULL);
	const cJSON *h = aud_json_get(o, "histogram");

	CHECK_STR_EQ(aud_json_str(o, "kind"), "numeric");
	CHECK_REL(aud_json_num(o, "ks_statistic"), 0.5, 1e-12);
	CHECK_STR_EQ(aud_json_str(o, "ks_method"), "exact");
	CHECK_REL(aud_json_num(o, "wasserstein"), 5.0, 1e-12);
	CHECK_REL(aud_json_num(o, "wasserstein_normed"), 5.0 / sqrt(8.25), 1e-12);
	CHECK(aud_json_get(o, "chisquare_statistic") == NULL);
	CHECK_STR_EQ(aud_json_str(o, "test"), "ks");
	/* the deciles of 1..10 (linear): 1.9, 2.8, ..., 9.1; 6..15 fills bins 5..9 */
	CHECK_INT_EQ(cJSON_GetArraySize(aud_json_get(h, "edges")), 9);
	CHECK_REL(cJSON_GetArrayItem(aud_json_get(h, "edges"), 0)->valuedouble, 1.9, 1e-12);
	CHECK_REL(cJSON_GetArrayItem(aud_json_get(h, "reference"), 0)->valuedouble, 0.1, 1e-12);
	CHECK_REL(cJSON_GetArrayItem(aud_json_get(h, "current"), 9)->valuedouble, 0.6, 1e-12);
	/* ref 0.1 in each bin; cur 0 in bins 0..4 (floored to 1e-4), 0.1 in 5..8, 0.6 in 9 */
	CHECK_REL(aud_json_num(o, "psi"), 5 * (1e-4 - 0.1) * log(1e-4 / 0.1) +
	    0.5 * log(6.0), 1e-12);
	cJSON_Delete(o);
}

void
test_drift__one_file_and_empty(void)
{
	static const char *const a[] = { "1", "2" }, *const e[] = { NULL, NULL };
	cJSON *w = cJSON_CreateArray();
	cJSON *o = compare(NULL, 0, a, 2, w), *o2 = compare(a, 2, e, 2, w);

	CHECK(cJSON_IsNull(aud_json_get(o, "drift")));
	CHECK(cJSON_IsNull(aud_json_get(o, "test")));
	CHECK_STR_EQ(aud_json_str(o, "reason"), "only in the current data");
	CHECK(warned(w, "column 'x' is only in the current data"));
	CHECK_STR_EQ(aud_json_str(o2, "kind"), "empty");
	CHECK(cJSON_IsNull(aud_json_get(o2, "test")));
	CHECK(cJSON_IsNull(aud_json_get(o2, "drift")));
	CHECK_DBL_EQ(aud_json_num(o2, "missing_current"), 2);
	CHECK(warned(w, "every value is missing in the current data"));
	cJSON_Delete(o);
	cJSON_Delete(o2);
	cJSON_Delete(w);
}

void
test_drift__unseen_categories(void)
{
	static const char *const a[] = { "a", "b", "c" }, *const b[] = { "a", "b", "d" };
	static const char *const c[] = { "x", "y", "z" }, *const d[] = { "x.", "y.", "z" };
	static const char *const n[] = { "1", "2", "3" }, *const t[] = { "1", "2", "u" };
	cJSON *w = cJSON_CreateArray(), *w2 = cJSON_CreateArray(), *w3 = cJSON_CreateArray();
	cJSON *o = compare(a, 3, b, 3, w), *o2 = compare(c, 3, d, 3, w2);
	cJSON *o3 = compare(n, 3, t, 3, w3);

	/* 'd' has an expected count of 0: chi-square undefined, the column drifts (SciPy: p 0) */
	CHECK(cJSON_IsNull(aud_json_get(o, "chisquare_pvalue")));
	CHECK_STR_EQ(aud_json_str(o, "test"), "chisquare");
	CHECK(cJSON_IsTrue(aud_json_get(o, "drift")));
	CHECK(warned(w, "'d'"));
	CHECK(!warned(w, "--strip-suffix"));
	CHECK(warned(w2, "--strip-suffix ."));
	/* numeric in the reference, categorical in the current data */
	CHECK_STR_EQ(aud_json_str(o3, "kind"), "categorical");
	CHECK(warned(w3, "compared as categorical"));
	CHECK(aud_json_get(o3, "ks_statistic") == NULL);
	cJSON_Delete(o);
	cJSON_Delete(o2);
	cJSON_Delete(o3);
	cJSON_Delete(w);
	cJSON_Delete(w2);
	cJSON_Delete(w3);
}
