/*
 * test_discover.c — slice discovery (discover.c) on tiny hand cases: the
 * predicates of each kind of column, the counts of every conjunction, the
 * one-sided z-test, Benjamini-Hochberg, the ranking and the removal of
 * redundant supersets, each against a hand computation (the normal tail as
 * erfc, not GSL). The whole search is checked against a brute-force
 * enumeration in tests/e2e/slice-discover.sh.
 */
#include "runner.h"

#include <audit/csv.h>
#include <audit/json.h>

#include "slice_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * Run discovery over CSV text whose last column `ok` is the per-row value
 * (every row eligible unless ok is "-"); fills results and warnings.
 */
static int
run(cJSON **results, cJSON **warnings, const char *csvtext,
    const struct aud_slice_options *o, struct aud_error *err)
{
	struct aud_csv_options co = AUD_CSV_OPTIONS_INIT;
	struct aud_csv *csv = NULL;
	struct aud__discover *d = NULL;
	const char *exclude[] = { "ok" };
	size_t iok;
	int rc;

	*results = cJSON_CreateObject();
	*warnings = cJSON_CreateArray();
	rc = aud_csv_open_mem(&csv, "t.csv", csvtext, strlen(csvtext), &co, err);
	if (rc == 0)
		rc = aud_csv_find(&iok, csv, "ok", err);
	if (rc == 0)
		rc = aud__discover_new(&d, o, csv, exclude, 1, err);
	while (rc == 0 && (rc = aud_csv_next(csv, err)) == 1) {
		size_t len;
		const char *f = aud_csv_field(csv, iok, &len);

		rc = aud__discover_add(d, csv, f[0] != '-', f[0] == '1' ? 1.0 : 0.0, err);
	}
	if (rc == 0)
		rc = aud__discover_finish(d, *results, *warnings, err);
	aud__discover_free(d);
	aud_csv_free(csv);
	return rc;
}

static const cJSON *
slice_at(const cJSON *results, int i)
{
	return cJSON_GetArrayItem(aud_json_get(results, "slices"), i);
}

/*
 * g: a a a a b b b b, x: 1 2 3 4 1 2 3 4, right: 0 0 1 1 1 1 1 1.
 * x has 4 distinct values > 2 bins: numpy's median of 1 1 2 2 3 3 4 4 is 2.5,
 * so x <= 2.5 and x > 2.5. With --min-size 2 every predicate and pair is
 * tested (8 candidates). N = 8 rows, 2 wrong. Fisher's one-sided p-value is
 * the chance that a random subset of the slice's size holds at least as many
 * wrong rows:
 *   g = a, x <= 2.5: n 4, 2 wrong: effect 0.5, p = C(6,2) / C(8,4) = 15/70;
 *     the z of the two-proportion test 0.5 / sqrt(0.75 * 0.25 * (1/4 + 1/4))
 *   g = b, x > 2.5: none wrong: p = 1
 *   g = a && x <= 2.5: n 2, 2 wrong: effect 1, p = 1 / C(8,2) = 1/28
 *   the other three pairs: none wrong: p = 1.
 * BH over 8: q(g = a && x <= 2.5) = 8/28; q(g = a) = q(x <= 2.5) = 8/3 * 15/70;
 * the five others 1.
 */
static const char case1[] =
	"g,x,ok\n"
	"a,1,0\na,2,0\na,3,1\na,4,1\n"
	"b,1,1\nb,2,1\nb,3,1\nb,4,1\n";

void
test_discover__hand_case_counts_bh_and_ranking(void)
{
	struct aud_slice_options o = AUD_SLICE_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	cJSON *res = NULL, *warn = NULL;
	const cJSON *s, *disc;
	double se1 = sqrt(0.75 * 0.25 * 0.5), se2 = sqrt(0.75 * 0.25 * (0.5 + 1.0 / 6));
	double p_pair = 1.0 / 28, p_one = 15.0 / 70;

	o.bins = 2;
	o.min_size = 2;
	o.fdr = 0.6;
	CHECK_INT_EQ(run(&res, &warn, case1, &o, &err), 0);
	disc = aud_json_get(res, "discovery");
	CHECK_INT_EQ(aud_json_num(disc, "candidates"), 8);
	CHECK_INT_EQ(aud_json_num(disc, "significant"), 3);
	CHECK_INT_EQ(aud_json_num(disc, "reported"), 3);
	/* effect 1 first; then effect 0.5 twice, same p and size: by description */
	CHECK_STR_EQ(aud_json_str(slice_at(res, 0), "description"), "g = a && x <= 2.5");
	CHECK_STR_EQ(aud_json_str(slice_at(res, 1), "description"), "g = a");
	CHECK_STR_EQ(aud_json_str(slice_at(res, 2), "description"), "x <= 2.5");
	s = slice_at(res, 0);
	CHECK_INT_EQ(aud_json_num(s, "size"), 2);
	CHECK_INT_EQ(aud_json_num(s, "degree"), 2);
	CHECK_INT_EQ(aud_json_num(s, "complement_size"), 6);
	CHECK_DBL_EQ(aud_json_num(s, "metric"), 0.0);
	CHECK_DBL_EQ(aud_json_num(s, "complement_metric"), 1.0);
	CHECK_REL(aud_json_num(s, "effect"), 1.0, 1e-15);
	CHECK_REL(aud_json_num(s, "statistic"), 1.0 / se2, 1e-12);
	CHECK_REL(aud_json_num(s, "p_value"), p_pair, 1e-9);
	CHECK_REL(aud_json_num(s, "q_value"), 8 * p_pair, 1e-9);
	CHECK_STR_EQ(aud_json_str(s, "test"), "fisher exact");
	CHECK_STR_EQ(aud_json_str(cJSON_GetArrayItem(aud_json_get(s, "predicates"), 0), "op"), "=");
	CHECK_STR_EQ(aud_json_str(cJSON_GetArrayItem(aud_json_get(s, "predicates"), 0), "value"),
	    "a");
	CHECK_STR_EQ(aud_json_str(cJSON_GetArrayItem(aud_json_get(s, "predicates"), 1), "op"),
	    "<=");
	CHECK_DBL_EQ(aud_json_num(cJSON_GetArrayItem(aud_json_get(s, "predicates"), 1), "value"),
	    2.5);
	s = slice_at(res, 1);
	CHECK_INT_EQ(aud_json_num(s, "size"), 4);
	CHECK_REL(aud_json_num(s, "effect"), 0.5, 1e-15);
	CHECK_REL(aud_json_num(s, "statistic"), 0.5 / se1, 1e-12);
	CHECK_REL(aud_json_num(s, "p_value"), p_one, 1e-9);
	CHECK_REL(aud_json_num(s, "q_value"), p_one * 8 / 3, 1e-9);
	/* the columns: g categorical with 2 values, x binned at 2.5 */
	s = cJSON_GetArrayItem(aud_json_get(disc, "columns"), 1);
	CHECK_STR_EQ(aud_json_str(s, "name"), "x");
	CHECK_STR_EQ(aud_json_str(s, "kind"), "numeric");
	CHECK_INT_EQ(aud_json_num(s, "predicates"), 2);
	CHECK_DBL_EQ(cJSON_GetArrayItem(aud_json_get(s, "edges"), 0)->valuedouble, 2.5);
	s = cJSON_GetArrayItem(aud_json_get(disc, "columns"), 0);
	CHECK_STR_EQ(aud_json_str(s, "kind"), "categorical");
	CHECK_INT_EQ(aud_json_num(s, "predicates"), 2);
	cJSON_Delete(res);
	cJSON_Delete(warn);

	/* at --fdr 0.3 only the pair is significant: q = 8/28 = 0.286 */
	o.fdr = 0.3;
	CHECK_INT_EQ(run(&res, &warn, case1, &o, &err), 0);
	CHECK_INT_EQ(aud_json_num(aud_json_get(res, "discovery"), "significant"), 1);
	CHECK_INT_EQ(cJSON_GetArraySize(aud_json_get(res, "slices")), 1);
	cJSON_Delete(res);
	cJSON_Delete(warn);

	/* --top 1 writes the best; --max-degree 1 tests the 4 predicates alone */
	o.fdr = 0.6;
	o.top = 1;
	CHECK_INT_EQ(run(&res, &warn, case1, &o, &err), 0);
	CHECK_INT_EQ(aud_json_num(aud_json_get(res, "discovery"), "reported"), 1);
	CHECK_INT_EQ(aud_json_num(aud_json_get(res, "discovery"), "significant"), 3);
	cJSON_Delete(res);
	cJSON_Delete(warn);
	o.top = 10;
	o.max_degree = 1;
	CHECK_INT_EQ(run(&res, &warn, case1, &o, &err), 0);
	CHECK_INT_EQ(aud_json_num(aud_json_get(res, "discovery"), "candidates"), 4);
	cJSON_Delete(res);
	cJSON_Delete(warn);
}

/*
 * The same columns, right: 0 0 0 0 1 1 1 1. g = a is wholly wrong: effect 1,
 * p = 1 / C(8,4) = 1/70, q = 8/70. Its two supersets g = a && x <= 2.5 and
 * g = a && x > 2.5 have effect 1 - 2/6, p = C(4,2) / C(8,2) = 6/28 (ranks 2
 * and 3: q = 8/3 * 6/28 = 4/7), significant too at --fdr 0.6 (x <= 2.5 and
 * x > 2.5: 2 of 4 wrong, p = 53/70, q 1), but they only repeat g = a: one
 * slice reported.
 */
void
test_discover__redundant_supersets_dropped(void)
{
	static const char data[] =
		"g,x,ok\n"
		"a,1,0\na,2,0\na,3,0\na,4,0\n"
		"b,1,1\nb,2,1\nb,3,1\nb,4,1\n";
	struct aud_slice_options o = AUD_SLICE_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	cJSON *res = NULL, *warn = NULL;
	o.bins = 2;
	o.min_size = 2;
	o.fdr = 0.6;
	CHECK_INT_EQ(run(&res, &warn, data, &o, &err), 0);
	CHECK_INT_EQ(aud_json_num(aud_json_get(res, "discovery"), "significant"), 3);
	CHECK_INT_EQ(aud_json_num(aud_json_get(res, "discovery"), "reported"), 1);
	CHECK_STR_EQ(aud_json_str(slice_at(res, 0), "description"), "g = a");
	CHECK_REL(aud_json_num(slice_at(res, 0), "p_value"), 1.0 / 70, 1e-9);
	CHECK_REL(aud_json_num(slice_at(res, 0), "q_value"), 8.0 / 70, 1e-9);
	cJSON_Delete(res);
	cJSON_Delete(warn);
	/* at --fdr 0.5 the supersets are no longer significant */
	o.fdr = 0.5;
	CHECK_INT_EQ(run(&res, &warn, data, &o, &err), 0);
	CHECK_INT_EQ(aud_json_num(aud_json_get(res, "discovery"), "significant"), 1);
	cJSON_Delete(res);
	cJSON_Delete(warn);
}

/*
 * Kinds of column: v numeric with 9 distinct values cut at numpy's quantiles
 * k/4 (np.unique(np.quantile(v, [.25, .5, .75])) = 2, 4.4, 7.5 for these
 * values); n numeric with 2 distinct values (<= bins: n = value); c a text
 * column with a missing value; id with more texts than --max-values (left
 * out, with a warning); e every value missing (left out); a row that is not
 * eligible still counts for the quantiles.
 */
void
test_discover__predicates_of_each_kind(void)
{
	static const char data[] =
		"id,v,n,c,e,ok\n"
		"r1,0.5,1,x,,1\nr2,1.25,2,y,,1\nr3,2,1,,,0\nr4,7,2,x,,1\nr5,7.5,1,y,,-\n"
		"r6,9,2,x,,1\nr7,10.25,1,y,,0\nr8,3.1,2,x,,1\nr9,4.4,1,,,1\n";
	struct aud_slice_options o = AUD_SLICE_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	cJSON *res = NULL, *warn = NULL;
	const cJSON *cols, *c, *lo;

	o.bins = 4;
	o.min_size = 1;
	o.max_values = 5;
	o.fdr = 0.999;
	CHECK_INT_EQ(run(&res, &warn, data, &o, &err), 0);
	cols = aud_json_get(aud_json_get(res, "discovery"), "columns");
	CHECK_INT_EQ(cJSON_GetArraySize(cols), 3);
	c = cJSON_GetArrayItem(cols, 0);
	CHECK_STR_EQ(aud_json_str(c, "name"), "v");
	CHECK_INT_EQ(aud_json_num(c, "predicates"), 4);
	CHECK_INT_EQ(cJSON_GetArraySize(aud_json_get(c, "edges")), 3);
	CHECK_DBL_EQ(cJSON_GetArrayItem(aud_json_get(c, "edges"), 0)->valuedouble, 2.0);
	CHECK_DBL_EQ(cJSON_GetArrayItem(aud_json_get(c, "edges"), 1)->valuedouble, 4.4);
	CHECK_DBL_EQ(cJSON_GetArrayItem(aud_json_get(c, "edges"), 2)->valuedouble, 7.5);
	c = cJSON_GetArrayItem(cols, 1);
	CHECK_STR_EQ(aud_json_str(c, "name"), "n");
	CHECK_STR_EQ(aud_json_str(c, "kind"), "numeric");
	CHECK_INT_EQ(aud_json_num(c, "predicates"), 2);
	CHECK(aud_json_get(c, "edges") == NULL);
	c = cJSON_GetArrayItem(cols, 2);
	CHECK_STR_EQ(aud_json_str(c, "kind"), "categorical");
	CHECK_INT_EQ(aud_json_num(c, "predicates"), 3);   /* x, y, is missing */
	lo = aud_json_get(aud_json_get(res, "discovery"), "left_out");
	CHECK_INT_EQ(cJSON_GetArraySize(lo), 2);
	CHECK_STR_EQ(aud_json_str(cJSON_GetArrayItem(lo, 0), "column"), "id");
	CHECK_STR_EQ(aud_json_str(cJSON_GetArrayItem(lo, 1), "column"), "e");
	CHECK_STR_EQ(aud_json_str(cJSON_GetArrayItem(lo, 1), "reason"), "every value is missing");
	CHECK_INT_EQ(cJSON_GetArraySize(warn), 2);
	CHECK(strstr(cJSON_GetArrayItem(warn, 0)->valuestring, "'id'") != NULL);
	/*
	 * 8 eligible rows. Degree 1 alone: v's 4 bins (3, 2, 1, 2 eligible
	 * rows), n's 2 values (4, 4), c's x, y, missing (4, 2, 2): 9, each with
	 * a non-empty complement.
	 */
	cJSON_Delete(res);
	cJSON_Delete(warn);
	o.max_degree = 1;
	CHECK_INT_EQ(run(&res, &warn, data, &o, &err), 0);
	CHECK_INT_EQ(aud_json_num(aud_json_get(res, "discovery"), "candidates"), 9);
	cJSON_Delete(res);
	cJSON_Delete(warn);
}

/* A text in a column that looked numeric makes it categorical; descriptions. */
void
test_discover__late_text_makes_a_column_categorical(void)
{
	static const char data[] =
		"k,ok\n1,0\n1,0\n1,0\n2,1\n2,1\n2,1\nzz,1\nzz,1\n";
	struct aud_slice_options o = AUD_SLICE_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	cJSON *res = NULL, *warn = NULL;
	const cJSON *c;

	o.min_size = 3;
	o.fdr = 0.5;
	CHECK_INT_EQ(run(&res, &warn, data, &o, &err), 0);
	c = cJSON_GetArrayItem(aud_json_get(aud_json_get(res, "discovery"), "columns"), 0);
	CHECK_STR_EQ(aud_json_str(c, "kind"), "categorical");
	CHECK_INT_EQ(aud_json_num(c, "predicates"), 3);
	/* k = 1: the 3 wrong rows of 8: p = 1 / C(8,3) */
	CHECK_STR_EQ(aud_json_str(slice_at(res, 0), "description"), "k = 1");
	CHECK_REL(aud_json_num(slice_at(res, 0), "p_value"), 1.0 / 56, 1e-9);
	cJSON_Delete(res);
	cJSON_Delete(warn);

	/* the same after more than --max-values numbers: left out */
	o.max_values = 1;
	CHECK_INT_EQ(run(&res, &warn, data, &o, &err), 0);
	CHECK_INT_EQ(cJSON_GetArraySize(aud_json_get(aud_json_get(res, "discovery"),
	    "left_out")), 1);
	CHECK_INT_EQ(cJSON_GetArraySize(aud_json_get(res, "slices")), 0);
	cJSON_Delete(res);
	cJSON_Delete(warn);
}

/* No rows: nothing tested, one warning, every column left out for that reason. */
void
test_discover__no_rows(void)
{
	struct aud_slice_options o = AUD_SLICE_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	cJSON *res = NULL, *warn = NULL;
	const cJSON *lo;

	CHECK_INT_EQ(run(&res, &warn, "g,x,ok\n", &o, &err), 0);
	CHECK_INT_EQ(aud_json_num(aud_json_get(res, "discovery"), "candidates"), 0);
	CHECK_INT_EQ(cJSON_GetArraySize(aud_json_get(res, "slices")), 0);
	CHECK_INT_EQ(cJSON_GetArraySize(warn), 1);
	CHECK_STR_EQ(cJSON_GetArrayItem(warn, 0)->valuestring, "no rows to search for slices");
	lo = aud_json_get(aud_json_get(res, "discovery"), "left_out");
	CHECK_INT_EQ(cJSON_GetArraySize(lo), 2);
	CHECK_STR_EQ(aud_json_str(cJSON_GetArrayItem(lo, 0), "reason"), "no rows");
	cJSON_Delete(res);
	cJSON_Delete(warn);
}

void
test_discover__errors(void)
{
	struct aud_slice_options o = AUD_SLICE_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	const char *cols[] = { "g", "nope" };
	cJSON *res = NULL, *warn = NULL;

	o.columns = cols;
	o.ncolumns = 2;
	CHECK_INT_EQ(run(&res, &warn, case1, &o, &err), AUD_ENOTFOUND);
	CHECK(strstr(err.msg, "unknown column 'nope'") != NULL);
	cJSON_Delete(res);
	cJSON_Delete(warn);
	o.columns = NULL;
	o.ncolumns = 0;
	o.max_values = 70000;
	CHECK_INT_EQ(run(&res, &warn, case1, &o, &err), AUD_EINVAL);
	CHECK(strstr(err.msg, "--max-values") != NULL);
	cJSON_Delete(res);
	cJSON_Delete(warn);
}
