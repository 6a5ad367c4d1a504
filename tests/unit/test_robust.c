/* test_robust.c — robustness runs through C-function models, counted by hand. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/csv.h>
#include <audit/json.h>
#include <audit/robust.h>

#include "runner.h"

/* The rule list: positive (0.9) when (18 <= age <= 20 and sex = M) or priors > 3, else 0.1. */
static int
rules_fn(const struct aud_batch *b, const long *col, double *score, double *margin,
    void *payload, struct aud_error *err)
{
	const struct aud_column *sex = &b->cols[col[0]], *age = &b->cols[col[1]],
	    *pr = &b->cols[col[2]];
	int32_t m = aud_dict_find(sex->dict, "M", 1);
	size_t i;

	(void)margin;
	(void)payload;
	(void)err;
	for (i = 0; i < b->nrows; i++) {
		int male = m >= 0 && sex->code[i] == m;
		int pos = (age->num[i] >= 18 && age->num[i] <= 20 && male) || pr->num[i] > 3;

		score[i] = pos ? 0.9 : 0.1;
	}
	return 0;
}

/* The same data as tests/data/robust/rules.csv */
static const char rules_csv[] =
    "id,sex,age,priors,label\n"
    "1,M,19,0,1\n2,F,19,0,0\n3,M,25,2,0\n4,F,30,5,1\n5,M,20,3,1\n"
    "6,F,18,4,1\n7,M,21,1,0\n8,F,22,3,1\n9,M,17,2,0\n10,F,20,1,0\n";

static struct aud_batch *
load(const char *text)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *csv = NULL;
	struct aud_batch *b = NULL;

	CHECK_INT_EQ(aud_csv_open_mem(&csv, "t.csv", text, strlen(text), NULL, &err), 0);
	if (csv == NULL)
		return NULL;
	CHECK_INT_EQ(aud_robust_read(&b, csv, NULL, NULL, 0, &err), 0);
	aud_csv_free(csv);
	return b;
}

static struct aud_model *
rules_model(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	const char *names[] = { "sex", "age", "priors" };
	enum aud_col_kind kinds[] = { AUD_COL_CATEGORICAL, AUD_COL_NUMERIC, AUD_COL_NUMERIC };
	struct aud_model *m = NULL;

	CHECK_INT_EQ(aud_model_from_fn(&m, 3, names, kinds, AUD_TASK_CLASSIFICATION, "1", 0,
	    rules_fn, NULL, &err), 0);
	return m;
}

/* Run specs and return the results object. */
static cJSON *
run(const struct aud_model *m, const struct aud_batch *b, struct aud_robust_options *o,
    const char *const *specs, size_t n)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_robust *r = NULL;
	struct aud_perturb *p = NULL;
	cJSON *res = NULL;
	size_t i;

	CHECK_INT_EQ(aud_robust_new(&r, m, b, o, &err), 0);
	if (r == NULL) {
		aud_test_fail(__FILE__, __LINE__, "%s", err.msg);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		CHECK_INT_EQ(aud_perturb_parse(&p, specs[i], &err), 0);
		if (p == NULL)
			continue;
		if (aud_robust_run(r, p, NULL, &err) < 0)
			aud_test_fail(__FILE__, __LINE__, "%s: %s", specs[i], err.msg);
		aud_perturb_free(p);
		p = NULL;
	}
	CHECK_INT_EQ(aud_robust_results(&res, r, &err), 0);
	aud_robust_free(r);
	return res;
}

static double
num(const cJSON *o, const char *path)
{
	const cJSON *v = aud_json_path(o, path);

	if (!cJSON_IsNumber(v)) {
		aud_test_fail(__FILE__, __LINE__, "no number at '%s'", path);
		return NAN;
	}
	return v->valuedouble;
}

static const char *
str(const cJSON *o, const char *path)
{
	return cJSON_GetStringValue(aud_json_path(o, path));
}

void
test_robust__rules_counterfactual_by_hand(void)
{
	/* flipping sex changes the decision exactly when 18 <= age <= 20 and
	 * priors <= 3: rows 1, 2, 5, 10 (F: 2 and 10; M: 1 and 5) */
	const char *prot[] = { "sex" };
	const char *specs[] = { "flip:sex" };
	struct aud_robust_options o = AUD_ROBUST_OPTIONS_INIT;
	struct aud_batch *b = load(rules_csv);
	struct aud_model *m = rules_model();
	cJSON *res;

	if (b == NULL || m == NULL)
		return;
	o.label = "label";
	o.protected_cols = prot;
	o.nprotected = 1;
	res = run(m, b, &o, specs, 1);
	CHECK_DBL_EQ(num(res, "baseline.rows"), 10);
	CHECK_DBL_EQ(num(res, "baseline.positive_rate"), 0.4);
	CHECK_DBL_EQ(num(res, "baseline.correct"), 9);
	CHECK_DBL_EQ(num(res, "baseline.accuracy"), 0.9);
	CHECK_STR_EQ(str(res, "perturbations.0.spec"), "flip:sex");
	CHECK_DBL_EQ(num(res, "perturbations.0.rows"), 10);
	CHECK_DBL_EQ(num(res, "perturbations.0.flips"), 4);
	CHECK_DBL_EQ(num(res, "perturbations.0.flip_rate"), 0.4);
	CHECK_DBL_EQ(num(res, "perturbations.0.variants"), 10);
	CHECK_DBL_EQ(num(res, "perturbations.0.max_abs_score_change"), 0.9 - 0.1);
	CHECK_REL(num(res, "perturbations.0.mean_abs_score_change"), 4 * 0.8 / 10, 1e-15);
	/* after the flip rows 1, 2, 5, 10 decide the other way: 1 and 5 (label 1)
	 * become wrong, 2 and 10 (label 0) too; 8 stays wrong: 5 of 10 correct */
	CHECK_DBL_EQ(num(res, "perturbations.0.accuracy"), 0.5);
	CHECK_REL(num(res, "perturbations.0.accuracy_drop"), 0.4, 1e-15);
	/* Wilson 95% for 4 of 10 */
	CHECK_REL(num(res, "perturbations.0.ci.flip_rate.0"), 0.16818, 1e-4);
	CHECK_REL(num(res, "perturbations.0.ci.flip_rate.1"), 0.68732, 1e-4);
	CHECK_STR_EQ(str(res, "perturbations.0.by_group.0.attribute"), "sex");
	CHECK_STR_EQ(str(res, "perturbations.0.by_group.0.groups.0.group"), "F");
	CHECK_DBL_EQ(num(res, "perturbations.0.by_group.0.groups.0.rows"), 5);
	CHECK_DBL_EQ(num(res, "perturbations.0.by_group.0.groups.0.flips"), 2);
	CHECK_DBL_EQ(num(res, "perturbations.0.by_group.0.groups.1.flips"), 2);
	CHECK_STR_EQ(str(res, "perturbations.0.transitions.0.from"), "F");
	CHECK_STR_EQ(str(res, "perturbations.0.transitions.0.to"), "M");
	CHECK_DBL_EQ(num(res, "perturbations.0.transitions.0.flips"), 2);
	CHECK(aud_json_path(res, "perturbations.0.by_feature") == NULL);
	cJSON_Delete(res);
	aud_model_free(m);
	aud_batch_free(b);
}

void
test_robust__rules_grid_by_hand(void)
{
	/* grid:age=1,priors=1 (age in [17, 30], priors in [0, 5], both whole).
	 * Rows whose neighbourhood changes the decision: 5 (age 21), 6 (priors 3),
	 * 7 (age 20), 8 (priors 4), 9 (age 18). Neighbours per row:
	 * 5 5 8 3 8 8 8 8 5 8 = 66. Correct rows: all but 8 (9); robust and
	 * correct: 1 2 3 4 10 = 5. Age alone flips 5 7 9; priors alone 6 8. */
	const char *prot[] = { "sex" };
	const char *specs[] = { "grid:age=1,priors=1" };
	struct aud_robust_options o = AUD_ROBUST_OPTIONS_INIT;
	struct aud_batch *b = load(rules_csv);
	struct aud_model *m = rules_model();
	cJSON *res;

	if (b == NULL || m == NULL)
		return;
	o.label = "label";
	o.protected_cols = prot;
	o.nprotected = 1;
	o.batch_rows = 7;  /* several units of one or two rows */
	res = run(m, b, &o, specs, 1);
	CHECK_DBL_EQ(num(res, "perturbations.0.flips"), 5);
	CHECK_DBL_EQ(num(res, "perturbations.0.variants"), 66);
	CHECK_DBL_EQ(num(res, "perturbations.0.d.age"), 1);
	CHECK_DBL_EQ(num(res, "perturbations.0.correct"), 9);
	CHECK_DBL_EQ(num(res, "perturbations.0.robust_and_correct"), 5);
	CHECK_DBL_EQ(num(res, "perturbations.0.robust_and_correct_rate"), 0.5);
	CHECK_DBL_EQ(num(res, "perturbations.0.robust_among_correct"), 5.0 / 9);
	/* F rows 2 4 6 8 10: 6 and 8 flip; M rows: 5 7 9 */
	CHECK_DBL_EQ(num(res, "perturbations.0.by_group.0.groups.0.flips"), 2);
	CHECK_DBL_EQ(num(res, "perturbations.0.by_group.0.groups.0.robust_and_correct"), 3);
	CHECK_DBL_EQ(num(res, "perturbations.0.by_group.0.groups.1.flips"), 3);
	CHECK_STR_EQ(str(res, "perturbations.0.by_feature.0.feature"), "age");
	CHECK_DBL_EQ(num(res, "perturbations.0.by_feature.0.flips"), 3);
	CHECK_STR_EQ(str(res, "perturbations.0.by_feature.1.feature"), "priors");
	CHECK_DBL_EQ(num(res, "perturbations.0.by_feature.1.flips"), 2);
	cJSON_Delete(res);
	aud_model_free(m);
	aud_batch_free(b);
}

/* score depends on age and priors only */
static int
no_sex_fn(const struct aud_batch *b, const long *col, double *score, double *margin,
    void *payload, struct aud_error *err)
{
	size_t i;

	(void)margin;
	(void)payload;
	(void)err;
	for (i = 0; i < b->nrows; i++)
		score[i] = 1 / (1 + exp(-(b->cols[col[0]].num[i] - 20) / 3 - b->cols[col[1]].num[i] + 2));
	return 0;
}

void
test_robust__counterfactual_is_zero_without_the_attribute(void)
{
	const char *names[] = { "age", "priors" };
	const char *prot[] = { "sex" };
	const char *specs[] = { "flip:sex" };
	struct aud_robust_options o = AUD_ROBUST_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *b = load(rules_csv);
	struct aud_model *m = NULL;
	cJSON *res;

	CHECK_INT_EQ(aud_model_from_fn(&m, 2, names, NULL, AUD_TASK_CLASSIFICATION, "1", 0,
	    no_sex_fn, NULL, &err), 0);
	if (b == NULL || m == NULL)
		return;
	o.protected_cols = prot;
	o.nprotected = 1;
	res = run(m, b, &o, specs, 1);
	CHECK_DBL_EQ(num(res, "perturbations.0.flips"), 0);
	CHECK_DBL_EQ(num(res, "perturbations.0.flip_rate"), 0);
	CHECK_DBL_EQ(num(res, "perturbations.0.max_abs_score_change"), 0);
	CHECK_DBL_EQ(num(res, "perturbations.0.by_group.0.groups.0.flip_rate"), 0);
	CHECK_DBL_EQ(num(res, "perturbations.0.by_group.0.groups.1.flip_rate"), 0);
	cJSON_Delete(res);
	aud_model_free(m);
	aud_batch_free(b);
}

/* score = 0.9 when the only feature, g, is "a", else 0.2 */
static int
only_attr_fn(const struct aud_batch *b, const long *col, double *score, double *margin,
    void *payload, struct aud_error *err)
{
	const struct aud_column *g = &b->cols[col[0]];
	int32_t a = aud_dict_find(g->dict, "a", 1);
	size_t i;

	(void)margin;
	(void)payload;
	(void)err;
	for (i = 0; i < b->nrows; i++)
		score[i] = g->code[i] == a && a >= 0 ? 0.9 : 0.2;
	return 0;
}

void
test_robust__flip_of_the_only_feature_flips_every_row(void)
{
	const char *names[] = { "g" };
	enum aud_col_kind kinds[] = { AUD_COL_CATEGORICAL };
	const char *specs[] = { "flip:g" };
	struct aud_robust_options o = AUD_ROBUST_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *b = load("g,x\na,1\nb,2\na,3\nb,4\nb,5\n");
	struct aud_model *m = NULL;
	cJSON *res;

	CHECK_INT_EQ(aud_model_from_fn(&m, 1, names, kinds, AUD_TASK_CLASSIFICATION, "1", 0,
	    only_attr_fn, NULL, &err), 0);
	if (b == NULL || m == NULL)
		return;
	res = run(m, b, &o, specs, 1);
	CHECK_DBL_EQ(num(res, "perturbations.0.flip_rate"), 1);
	CHECK_DBL_EQ(num(res, "perturbations.0.flips"), 5);
	CHECK_REL(num(res, "perturbations.0.mean_abs_score_change"), 0.7, 1e-15);
	cJSON_Delete(res);
	aud_model_free(m);
	aud_batch_free(b);
}

/* score = 1 when x >= 1 (a threshold model), else 0 */
static int
threshold_fn(const struct aud_batch *b, const long *col, double *score, double *margin,
    void *payload, struct aud_error *err)
{
	size_t i;

	(void)margin;
	(void)payload;
	(void)err;
	for (i = 0; i < b->nrows; i++)
		score[i] = b->cols[col[0]].num[i] >= 1;
	return 0;
}

/* score = 0.8 when x is missing (the model's missing-value strategy), else 0.2 */
static int
missing_fn(const struct aud_batch *b, const long *col, double *score, double *margin,
    void *payload, struct aud_error *err)
{
	size_t i;

	(void)margin;
	(void)payload;
	(void)err;
	for (i = 0; i < b->nrows; i++)
		score[i] = isnan(b->cols[col[0]].num[i]) ? 0.8 : 0.2;
	return 0;
}

void
test_robust__round_and_missing_known_effects(void)
{
	/* x: 0.44 0.6 1.45 1.6 0.9 -> round:0 gives 0(->0.44) 1 1 2(->1.6) 1:
	 * decisions 0 0 1 1 0 become 0 1 1 1 1: rows 2 and 5 flip */
	const char *names[] = { "x" };
	const char *s_round[] = { "round:0", "scale:1" };
	const char *s_missing[] = { "missing:1" };
	struct aud_robust_options o = AUD_ROBUST_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *b = load("x\n0.44\n0.6\n1.45\n1.6\n0.9\n");
	struct aud_model *m = NULL;
	cJSON *res;

	CHECK_INT_EQ(aud_model_from_fn(&m, 1, names, NULL, AUD_TASK_CLASSIFICATION, "1", 0,
	    threshold_fn, NULL, &err), 0);
	if (b == NULL || m == NULL)
		return;
	res = run(m, b, &o, s_round, 2);
	CHECK_DBL_EQ(num(res, "perturbations.0.flips"), 2);
	CHECK_DBL_EQ(num(res, "perturbations.0.flip_rate"), 0.4);
	CHECK_DBL_EQ(num(res, "perturbations.0.by_feature.0.flips"), 2);
	CHECK_DBL_EQ(num(res, "perturbations.1.flips"), 0);  /* scale:1 is the identity */
	cJSON_Delete(res);
	aud_model_free(m);

	CHECK_INT_EQ(aud_model_from_fn(&m, 1, names, NULL, AUD_TASK_CLASSIFICATION, "1", 0,
	    missing_fn, NULL, &err), 0);
	res = run(m, b, &o, s_missing, 1);
	CHECK_DBL_EQ(num(res, "baseline.positive_rate"), 0);
	CHECK_DBL_EQ(num(res, "perturbations.0.flip_rate"), 1);
	CHECK_REL(num(res, "perturbations.0.mean_abs_score_change"), 0.6, 1e-15);
	cJSON_Delete(res);
	aud_model_free(m);
	aud_batch_free(b);
}

/* score = x (uniform grid in [0, 1)) */
static int
identity_fn(const struct aud_batch *b, const long *col, double *score, double *margin,
    void *payload, struct aud_error *err)
{
	size_t i;

	(void)margin;
	(void)payload;
	(void)err;
	for (i = 0; i < b->nrows; i++)
		score[i] = b->cols[col[0]].num[i];
	return 0;
}

static int
cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void
test_robust__adversarial_one_dimension(void)
{
	/* score = x, threshold 0.5, x = (i + 0.5) / 200. A row flips exactly when
	 * the ball reaches the threshold: positive rows when x - r < 0.5,
	 * negative rows when x + r >= 0.5 (r = eps * sd). The smallest flipping
	 * radius of a row is |x - 0.5| / sd, and the search finds it within
	 * 1/16 of its offset: median in [true median, true median + eps / 16]. */
	const char *names[] = { "x" };
	const char *specs[] = { "adversarial:0.2" };
	struct aud_robust_options o = AUD_ROBUST_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;
	struct aud_batch *b;
	char *text = malloc(200 * 16 + 8), *w = text;
	double sum = 0, sum2 = 0, sd, r, radii[200], med;
	size_t i, want = 0, n = 0;
	cJSON *res;

	w += sprintf(w, "x\n");
	for (i = 0; i < 200; i++) {
		double x = ((double)i + 0.5) / 200;
		w += sprintf(w, "%.4f\n", x);
	}
	b = load(text);
	free(text);
	CHECK_INT_EQ(aud_model_from_fn(&m, 1, names, NULL, AUD_TASK_CLASSIFICATION, "1", 0,
	    identity_fn, NULL, &err), 0);
	if (b == NULL || m == NULL)
		return;
	for (i = 0; i < 200; i++) {
		sum += b->cols[0].num[i];
		sum2 += b->cols[0].num[i] * b->cols[0].num[i];
	}
	sd = sqrt((sum2 - sum * sum / 200) / 199);
	r = 0.2 * sd;
	for (i = 0; i < 200; i++) {
		double x = b->cols[0].num[i];

		if ((x >= 0.5 && x - r < 0.5) || (x < 0.5 && x + r >= 0.5)) {
			want++;
			radii[n++] = fabs(x - 0.5) / sd;
		}
	}
	qsort(radii, n, sizeof(*radii), cmp_dbl);
	med = n % 2 ? radii[n / 2] : (radii[n / 2 - 1] + radii[n / 2]) / 2;
	res = run(m, b, &o, specs, 1);
	CHECK_DBL_EQ(num(res, "perturbations.0.flips"), (double)want);
	CHECK(want > 20);
	CHECK(num(res, "perturbations.0.median_flip_radius") >= med);
	CHECK(num(res, "perturbations.0.median_flip_radius") <= med + 0.2 / 16 + 1e-12);
	CHECK(num(res, "perturbations.0.max_abs_score_change") <= r + 1e-12);
	CHECK_DBL_EQ(num(res, "perturbations.0.epsilon"), 0.2);
	cJSON_Delete(res);
	aud_model_free(m);
	aud_batch_free(b);
}

/* A smooth model of two numeric features and a category. */
static int
smooth_fn(const struct aud_batch *b, const long *col, double *score, double *margin,
    void *payload, struct aud_error *err)
{
	const struct aud_column *c = &b->cols[col[2]];
	int32_t u = aud_dict_find(c->dict, "u", 1);
	size_t i;

	(void)margin;
	(void)payload;
	(void)err;
	for (i = 0; i < b->nrows; i++) {
		double z = 0.8 * b->cols[col[0]].num[i] - 0.05 * b->cols[col[1]].num[i] +
		    (c->code[i] == u && u >= 0 ? 0.7 : 0);
		if (isnan(z))
			z = 0;
		score[i] = 1 / (1 + exp(-z));
	}
	return 0;
}

static char *
results_text(size_t nthreads, uint64_t seed, size_t batch)
{
	const char *names[] = { "a", "k", "c" };
	enum aud_col_kind kinds[] = { AUD_COL_NUMERIC, AUD_COL_NUMERIC, AUD_COL_CATEGORICAL };
	const char *prot[] = { "g" };
	const char *specs[] = { "gaussian:0.3", "uniform:0.5", "swap:0.5", "missing:0.2",
		"adversarial:0.3" };
	struct aud_robust_options o = AUD_ROBUST_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;
	struct aud_batch *b;
	char *text = malloc(300 * 40 + 16), *w = text, *out;
	size_t i;
	cJSON *res;

	w += sprintf(w, "a,k,c,g,label\n");
	for (i = 0; i < 300; i++)
		w += sprintf(w, "%.3f,%zu,%s,%s,%zu\n", sin((double)i) * 2, i % 11,
		    i % 3 ? "u" : "v", i % 5 ? "p" : "q", (i * 7) % 2);
	b = load(text);
	free(text);
	CHECK_INT_EQ(aud_model_from_fn(&m, 3, names, kinds, AUD_TASK_CLASSIFICATION, "1", 0,
	    smooth_fn, NULL, &err), 0);
	o.threads = (unsigned)nthreads;
	o.seed = seed;
	o.batch_rows = batch;
	o.repeats = 3;
	o.label = "label";
	o.protected_cols = prot;
	o.nprotected = 1;
	res = run(m, b, &o, specs, 5);
	out = cJSON_PrintUnformatted(res);
	cJSON_Delete(res);
	aud_model_free(m);
	aud_batch_free(b);
	return out;
}

void
test_robust__same_output_for_any_threads_and_batch(void)
{
	char *t1 = results_text(1, 42, 64), *t2 = results_text(2, 42, 64);
	char *t3 = results_text(3, 42, 1000), *t4 = results_text(2, 43, 64);

	CHECK(t1 != NULL && t2 != NULL && t3 != NULL && t4 != NULL);
	if (t1 != NULL && t2 != NULL && t3 != NULL && t4 != NULL) {
		CHECK_STR_EQ(t1, t2);
		CHECK_STR_EQ(t1, t3);
		CHECK(strcmp(t1, t4) != 0);  /* another seed, other noise */
	}
	cJSON_free(t1);
	cJSON_free(t2);
	cJSON_free(t3);
	cJSON_free(t4);
}

void
test_robust__repeats_and_denominators(void)
{
	const char *names[] = { "x" };
	const char *specs[] = { "gaussian:0.5", "round:1" };
	struct aud_robust_options o = AUD_ROBUST_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *b = load("x\n0.44\n0.6\n1.45\n1.6\n0.9\n");
	struct aud_model *m = NULL;
	cJSON *res;

	CHECK_INT_EQ(aud_model_from_fn(&m, 1, names, NULL, AUD_TASK_CLASSIFICATION, "1", 0,
	    threshold_fn, NULL, &err), 0);
	if (b == NULL || m == NULL)
		return;
	o.repeats = 4;
	res = run(m, b, &o, specs, 2);
	CHECK_DBL_EQ(num(res, "perturbations.0.rows"), 20);
	CHECK_DBL_EQ(num(res, "perturbations.0.data_rows"), 5);
	CHECK_DBL_EQ(num(res, "perturbations.0.repeats"), 4);
	CHECK_STR_EQ(str(res, "perturbations.0.denominator"), "row draws scored (rows x repeats, less unscored)");
	CHECK_DBL_EQ(num(res, "perturbations.0.flip_rate"),
	    num(res, "perturbations.0.flips") / 20);
	/* deterministic kinds are not repeated */
	CHECK_DBL_EQ(num(res, "perturbations.1.rows"), 5);
	CHECK_DBL_EQ(num(res, "perturbations.1.repeats"), 1);
	cJSON_Delete(res);
	aud_model_free(m);
	aud_batch_free(b);
}

void
test_robust__errors(void)
{
	struct aud_robust_options o = AUD_ROBUST_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *b = load(rules_csv);
	struct aud_model *m = rules_model();
	struct aud_robust *r = NULL;
	struct aud_perturb *p = NULL;
	const char *bad[] = { "nope" };
	static const struct { const char *spec; int code; const char *msg; } cases[] = {
		{ "flip:age", AUD_EINVAL, "cannot flip numeric column 'age'" },
		{ "flip:zzz", AUD_ENOTFOUND, "unknown column 'zzz'" },
		{ "grid:sex=1", AUD_EINVAL, "grid column 'sex' is not numeric" },
		{ "grid:zzz=1", AUD_ENOTFOUND, "unknown column 'zzz'" },
		{ "gaussian", AUD_EINVAL, "needs a level" },
	};
	size_t i;

	if (b == NULL || m == NULL)
		return;
	o.protected_cols = bad;
	o.nprotected = 1;
	CHECK_INT_EQ(aud_robust_new(&r, m, b, &o, &err), AUD_ENOTFOUND);
	CHECK(strstr(err.msg, "unknown column 'nope'") != NULL);
	CHECK(r == NULL);
	o.nprotected = 0;
	o.label = "nope";
	CHECK_INT_EQ(aud_robust_new(&r, m, b, &o, &err), AUD_ENOTFOUND);
	o.label = NULL;
	o.freeze = bad;
	o.nfreeze = 1;
	CHECK_INT_EQ(aud_robust_new(&r, m, b, &o, &err), AUD_ENOTFOUND);
	o.nfreeze = 0;
	{
		struct aud_batch *b11 = load("sex,age,priors\nM,1,0\nM,2,0\nM,3,0\nM,4,0\n"
		    "M,5,0\nM,6,0\nM,7,0\nM,8,0\nM,9,0\nM,10,0\nM,11,0\n");

		o.protected_cols = (const char *[]){ "age" };
		o.nprotected = 1;
		CHECK_INT_EQ(aud_robust_new(&r, m, b11, &o, &err), AUD_EINVAL);
		CHECK(strstr(err.msg, "protected column 'age' is numeric with more than 10") != NULL);
		aud_batch_free(b11);
	}
	o.protected_cols = (const char *[]){ "priors" };
	CHECK_INT_EQ(aud_robust_new(&r, m, b, &o, &err), 0);
	for (i = 0; r != NULL && i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_INT_EQ(aud_perturb_parse(&p, cases[i].spec, &err), 0);
		aud_error_clear(&err);
		CHECK_INT_EQ(aud_robust_run(r, p, NULL, &err), cases[i].code);
		if (strstr(err.msg, cases[i].msg) == NULL)
			aud_test_fail(__FILE__, __LINE__, "'%s': '%s' lacks '%s'", cases[i].spec,
			    err.msg, cases[i].msg);
		aud_perturb_free(p);
		p = NULL;
	}
	/* a protected column cannot be a grid column */
	CHECK_INT_EQ(aud_perturb_parse(&p, "grid:priors=1", &err), 0);
	CHECK_INT_EQ(aud_robust_check(r, p, &err), AUD_EINVAL);
	CHECK(strstr(err.msg, "grid column 'priors' is protected or frozen") != NULL);
	aud_perturb_free(p);
	aud_robust_free(r);
	aud_model_free(m);
	aud_batch_free(b);
}

/* A model that fails. */
static int
failing_fn(const struct aud_batch *b, const long *col, double *score, double *margin,
    void *payload, struct aud_error *err)
{
	(void)col;
	(void)score;
	(void)margin;
	(void)payload;
	return b->first_row >= 4 ? AUD_ERROR(err, AUD_EMODEL, "model exploded") : 0;
}

void
test_robust__model_failure_propagates(void)
{
	const char *names[] = { "age" };
	struct aud_robust_options o = AUD_ROBUST_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *b = load(rules_csv);
	struct aud_model *m = NULL;
	struct aud_robust *r = NULL;

	CHECK_INT_EQ(aud_model_from_fn(&m, 1, names, NULL, AUD_TASK_CLASSIFICATION, "1", 0,
	    failing_fn, NULL, &err), 0);
	o.threads = 2;
	o.batch_rows = 2;
	CHECK_INT_EQ(aud_robust_new(&r, m, b, &o, &err), AUD_EMODEL);
	CHECK_STR_EQ(err.msg, "model exploded");
	aud_model_free(m);
	aud_batch_free(b);
}

void
test_robust__sweep_curves_and_table(void)
{
	const char *prot[] = { "sex" };
	struct aud_robust_options o = AUD_ROBUST_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *b = load(rules_csv);
	struct aud_model *m = rules_model();
	struct aud_robust *r = NULL;
	struct aud_perturb *p = NULL, *q = NULL;
	const double lv[] = { 0, 1, 3 };
	cJSON *res = NULL;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;

	if (b == NULL || m == NULL)
		return;
	o.protected_cols = prot;
	o.nprotected = 1;
	o.label = "label";
	CHECK_INT_EQ(aud_robust_new(&r, m, b, &o, &err), 0);
	CHECK_INT_EQ(aud_perturb_parse(&p, "gaussian", &err), 0);
	for (i = 0; r != NULL && i < 3; i++) {
		CHECK_INT_EQ(aud_perturb_at_level(&q, p, lv[i], &err), 0);
		CHECK_INT_EQ(aud_robust_run(r, q, "gaussian", &err), 0);
		aud_perturb_free(q);
	}
	CHECK_INT_EQ(aud_robust_results(&res, r, &err), 0);
	CHECK_STR_EQ(str(res, "curves.0.sweep"), "gaussian");
	CHECK_DBL_EQ(num(res, "curves.0.levels.2"), 3);
	CHECK_DBL_EQ(num(res, "curves.0.flip_rate.0"), 0);  /* no noise, no flip */
	CHECK_DBL_EQ(num(res, "curves.0.flip_rate.2"), num(res, "perturbations.2.flip_rate"));
	CHECK_STR_EQ(str(res, "curves.0.by_group.1.group"), "M");
	CHECK_DBL_EQ(num(res, "curves.0.by_group.1.flip_rate.1"),
	    num(res, "perturbations.1.by_group.0.groups.1.flip_rate"));
	f = open_memstream(&buf, &len);
	CHECK_INT_EQ(aud_robust_write(f, res, AUD_FORMAT_CSV, &err), 0);
	fclose(f);
	CHECK(strncmp(buf, "perturbation,test,slice,rows,unscored,flips,flip_rate,ci_low,ci_high,",
	    strlen("perturbation,test,slice,rows,unscored,flips,flip_rate,ci_low,ci_high,")) == 0);
	CHECK(strstr(buf, "\ngaussian:0,noise robustness,all,10,0,0,0,0,") != NULL);
	CHECK(strstr(buf, "\ngaussian:3,noise robustness,feature age,10,0,") != NULL);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	CHECK_INT_EQ(aud_robust_write(f, res, AUD_FORMAT_TABLE, &err), 0);
	fclose(f);
	CHECK(strncmp(buf, "baseline: 10 rows, positive rate 0.4, accuracy 0.9\n", 51) == 0);
	free(buf);
	cJSON_Delete(res);
	aud_perturb_free(p);
	aud_robust_free(r);
	aud_model_free(m);
	aud_batch_free(b);
}

void
test_robust__unbounded_does_not_clamp(void)
{
	/* score = x; scale:2 on 0.44 0.6 1.45 1.6 0.9 (range [0.44, 1.6]):
	 * clamped the largest change is 1.6 - 0.9 = 0.7; unbounded 3.2 - 1.6 = 1.6 */
	const char *names[] = { "x" };
	const char *specs[] = { "scale:2" };
	struct aud_robust_options o = AUD_ROBUST_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *b = load("x\n0.44\n0.6\n1.45\n1.6\n0.9\n");
	struct aud_model *m = NULL;
	cJSON *res;

	CHECK_INT_EQ(aud_model_from_fn(&m, 1, names, NULL, AUD_TASK_CLASSIFICATION, "1", 0,
	    identity_fn, NULL, &err), 0);
	if (b == NULL || m == NULL)
		return;
	res = run(m, b, &o, specs, 1);
	CHECK_REL(num(res, "perturbations.0.max_abs_score_change"), 0.7, 1e-12);
	cJSON_Delete(res);
	o.unbounded = 1;
	res = run(m, b, &o, specs, 1);
	CHECK_REL(num(res, "perturbations.0.max_abs_score_change"), 1.6, 1e-12);
	CHECK_REL(num(res, "perturbations.0.mean_abs_score_change"),
	    (0.44 + 0.6 + 1.45 + 1.6 + 0.9) / 5, 1e-12);
	cJSON_Delete(res);
	aud_model_free(m);
	aud_batch_free(b);
}

/* score = 0.9 when c is "b", else 0.1 */
static int
is_b_fn(const struct aud_batch *b, const long *col, double *score, double *margin,
    void *payload, struct aud_error *err)
{
	const struct aud_column *c = &b->cols[col[0]];
	int32_t cb = aud_dict_find(c->dict, "b", 1);
	size_t i;

	(void)margin;
	(void)payload;
	(void)err;
	for (i = 0; i < b->nrows; i++)
		score[i] = cb >= 0 && c->code[i] == cb ? 0.9 : 0.1;
	return 0;
}

void
test_robust__swap_and_uniform_known_effects(void)
{
	/* swap:1 on c (a in 3 rows of 4, b in 1): a row flips when its draw from
	 * the marginal differs from its value: 0.75 * 0.25 + 0.25 * 0.75 = 0.375
	 * (4000 rows: sd 0.0077; 4 sd). swap:0 flips nothing. */
	const char *names[] = { "c" };
	enum aud_col_kind kinds[] = { AUD_COL_CATEGORICAL };
	const char *specs[] = { "swap:1", "swap:0" };
	const char *xnames[] = { "x" };
	const char *uspecs[] = { "uniform:0.3" };
	struct aud_robust_options o = AUD_ROBUST_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;
	struct aud_batch *b;
	char *text = malloc(4000 * 8 + 16), *w = text;
	double sum = 0, sum2 = 0, sd, band = 0, fr;
	size_t i;
	cJSON *res;

	w += sprintf(w, "c\n");
	for (i = 0; i < 4000; i++)
		w += sprintf(w, "%s\n", i % 4 == 3 ? "b" : "a");
	b = load(text);
	CHECK_INT_EQ(aud_model_from_fn(&m, 1, names, kinds, AUD_TASK_CLASSIFICATION, "1", 0,
	    is_b_fn, NULL, &err), 0);
	res = run(m, b, &o, specs, 2);
	fr = num(res, "perturbations.0.flip_rate");
	CHECK(fr > 0.375 - 4 * 0.0077 && fr < 0.375 + 4 * 0.0077);
	CHECK_DBL_EQ(num(res, "perturbations.1.flips"), 0);
	cJSON_Delete(res);
	aud_model_free(m);
	aud_batch_free(b);

	/* uniform:0.3 on score = x, x = (i + 0.5) / 1000: every change is at most
	 * 0.3 sd, and only rows within 0.3 sd of the threshold can flip */
	w = text;
	w += sprintf(w, "x\n");
	for (i = 0; i < 1000; i++)
		w += sprintf(w, "%.4f\n", ((double)i + 0.5) / 1000);
	b = load(text);
	free(text);
	CHECK_INT_EQ(aud_model_from_fn(&m, 1, xnames, NULL, AUD_TASK_CLASSIFICATION, "1", 0,
	    identity_fn, NULL, &err), 0);
	for (i = 0; i < 1000; i++) {
		sum += b->cols[0].num[i];
		sum2 += b->cols[0].num[i] * b->cols[0].num[i];
	}
	sd = sqrt((sum2 - sum * sum / 1000) / 999);
	for (i = 0; i < 1000; i++)
		band += fabs(b->cols[0].num[i] - 0.5) <= 0.3 * sd;
	res = run(m, b, &o, uspecs, 1);
	CHECK(num(res, "perturbations.0.max_abs_score_change") <= 0.3 * sd + 1e-12);
	CHECK(num(res, "perturbations.0.max_abs_score_change") > 0.25 * sd);
	CHECK(num(res, "perturbations.0.flips") <= band);
	/* a row at distance d < r flips with probability (r - d) / (2 r): about band / 4 */
	CHECK(num(res, "perturbations.0.flips") > band / 4 - 15);
	CHECK(num(res, "perturbations.0.flips") < band / 4 + 15);
	cJSON_Delete(res);
	aud_model_free(m);
	aud_batch_free(b);
}

void
test_robust__read_keeps_every_row_across_batches(void)
{
	/* 70000 rows: more than one batch of the reader (65536); categories that
	 * first appear in the second batch keep their text */
	struct aud_error err = AUD_ERROR_INIT;
	size_t n = 70000, i;
	char *text = malloc(n * 24 + 16), *w = text, want[16];
	struct aud_csv *csv = NULL;
	struct aud_batch *b = NULL;

	w += sprintf(w, "x,c\n");
	for (i = 0; i < n; i++)
		w += sprintf(w, "%zu.5,v%zu\n", i, i / 1000);
	CHECK_INT_EQ(aud_csv_open_mem(&csv, "big.csv", text, (size_t)(w - text), NULL, &err), 0);
	free(text);
	CHECK_INT_EQ(aud_robust_read(&b, csv, NULL, NULL, 0, &err), 0);
	aud_csv_free(csv);
	if (b == NULL)
		return;
	CHECK_INT_EQ(b->nrows, n);
	CHECK_INT_EQ(b->cols[0].kind, AUD_COL_NUMERIC);
	CHECK_INT_EQ(b->cols[1].kind, AUD_COL_CATEGORICAL);
	CHECK_INT_EQ(aud_dict_size(b->cols[1].dict), 70);
	for (i = 0; i < n; i += 997) {
		CHECK_DBL_EQ(b->cols[0].num[i], (double)i + 0.5);
		snprintf(want, sizeof(want), "v%zu", i / 1000);
		CHECK_STR_EQ(aud_dict_str(b->cols[1].dict, b->cols[1].code[i]), want);
	}
	CHECK_STR_EQ(aud_dict_str(b->cols[1].dict, b->cols[1].code[n - 1]), "v69");
	CHECK_INT_EQ(b->cols[0].is_integer, 0);
	aud_batch_free(b);
}

void
test_robust__counterfactual_over_bins_by_hand(void)
{
	/*
	 * Bins age <= 19 | age > 19 (right-closed). Representatives (lower
	 * medians): [17 18 19 19] -> 18, [20 20 21 22 25 30] -> 21. Moving age
	 * changes the rule's decision for row 1 (M, 19 -> 21: no longer
	 * positive), row 3 (M, 25 -> 18: positive) and row 7 (M, 21 -> 18):
	 * 1 of the 4 young rows, 2 of the 6 others.
	 */
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_bins *bins = NULL;
	const struct aud_bins *bl[1];
	const char *prot[] = { "age" };
	const char *specs[] = { "flip:age" };
	struct aud_robust_options o = AUD_ROBUST_OPTIONS_INIT;
	struct aud_batch *b = load(rules_csv);
	struct aud_model *m = rules_model();
	struct aud_robust *r = NULL;
	const char *const *fn;
	size_t nf = 0;
	cJSON *res;

	CHECK_INT_EQ(aud_bins_parse(&bins, "age=<=19", "--bins", &err), 0);
	if (b == NULL || m == NULL || bins == NULL)
		goto done;
	bl[0] = bins;
	o.label = "label";
	o.protected_cols = prot;
	o.nprotected = 1;
	o.bins = bl;
	o.nbins = 1;
	/* the features: the model's (sex, age, priors) less the protected age */
	CHECK_INT_EQ(aud_robust_new(&r, m, b, &o, &err), 0);
	if (r != NULL) {
		fn = aud_robust_features(r, &nf);
		CHECK_INT_EQ(nf, 2);
		if (nf == 2) {
			CHECK_STR_EQ(fn[0], "sex");
			CHECK_STR_EQ(fn[1], "priors");
		}
	}
	aud_robust_free(r);
	res = run(m, b, &o, specs, 1);
	CHECK_DBL_EQ(num(res, "perturbations.0.rows"), 10);
	CHECK_DBL_EQ(num(res, "perturbations.0.flips"), 3);
	CHECK_STR_EQ(str(res, "perturbations.0.values.0"), "age<=19");
	CHECK_STR_EQ(str(res, "perturbations.0.values.1"), "age>19");
	CHECK_DBL_EQ(num(res, "perturbations.0.representatives.age<=19"), 18);
	CHECK_DBL_EQ(num(res, "perturbations.0.representatives.age>19"), 21);
	CHECK_STR_EQ(str(res, "perturbations.0.by_group.0.groups.0.group"), "age<=19");
	CHECK_STR_EQ(str(res, "perturbations.0.by_group.0.groups.0.label"), "age <= 19");
	CHECK_DBL_EQ(num(res, "perturbations.0.by_group.0.groups.0.rows"), 4);
	CHECK_DBL_EQ(num(res, "perturbations.0.by_group.0.groups.0.flips"), 1);
	CHECK_STR_EQ(str(res, "perturbations.0.by_group.0.groups.1.group"), "age>19");
	CHECK_DBL_EQ(num(res, "perturbations.0.by_group.0.groups.1.rows"), 6);
	CHECK_DBL_EQ(num(res, "perturbations.0.by_group.0.groups.1.flips"), 2);
	CHECK_STR_EQ(str(res, "perturbations.0.transitions.1.from"), "age>19");
	CHECK_DBL_EQ(num(res, "perturbations.0.transitions.1.flips"), 2);
	/* the baseline by bin: young rows 1 and 6 positive; others 4 and 5 */
	CHECK_DBL_EQ(num(res, "baseline.by_group.0.groups.0.positive_rate"), 0.5);
	CHECK_REL(num(res, "baseline.by_group.0.groups.1.positive_rate"), 2.0 / 6, 1e-15);
	cJSON_Delete(res);
	/* without bins the numeric column cannot be flipped */
	o.bins = NULL;
	o.nbins = 0;
	o.nprotected = 0;
	CHECK_INT_EQ(aud_robust_new(&r, m, b, &o, &err), 0);
	if (r != NULL) {
		struct aud_perturb *p = NULL;

		CHECK_INT_EQ(aud_perturb_parse(&p, "flip:age", &err), 0);
		if (p != NULL)
			CHECK_INT_EQ(aud_robust_check(r, p, &err), AUD_EINVAL);
		aud_perturb_free(p);
	}
	aud_robust_free(r);
done:
	aud_bins_free(bins);
	aud_model_free(m);
	aud_batch_free(b);
}

void
test_robust__missing_group_keeps_its_own_name(void)
{
	/* a value written "(missing)" and a missing value: two groups, two names */
	static const char csv[] =
	    "id,sex,age,priors,label\n"
	    "1,M,19,0,1\n2,(missing),19,0,0\n3,,25,2,0\n4,F,30,5,1\n"
	    "5,(missing),20,3,1\n6,F,18,4,1\n7,,21,1,0\n";
	const char *prot[] = { "sex" };
	const char *specs[] = { "scale:1" };
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_robust_options o = AUD_ROBUST_OPTIONS_INIT;
	struct aud_batch *b = load(csv);
	struct aud_model *m = rules_model();
	struct aud_robust *r = NULL;
	const char *const *w;
	size_t nw = 0;
	cJSON *res;

	if (b == NULL || m == NULL)
		goto done;
	o.protected_cols = prot;
	o.nprotected = 1;
	o.by_feature = 0;
	res = run(m, b, &o, specs, 1);
	/* groups in text order of the values, then the missing group */
	CHECK_STR_EQ(str(res, "baseline.by_group.0.groups.0.group"), "(missing)");
	CHECK_DBL_EQ(num(res, "baseline.by_group.0.groups.0.rows"), 2);
	CHECK(aud_json_path(res, "baseline.by_group.0.groups.0.missing") == NULL);
	CHECK_STR_EQ(str(res, "baseline.by_group.0.groups.3.group"), "((missing))");
	CHECK_DBL_EQ(num(res, "baseline.by_group.0.groups.3.rows"), 2);
	CHECK_STR_EQ(str(res, "perturbations.0.by_group.0.groups.3.group"), "((missing))");
	CHECK(cJSON_IsTrue(aud_json_path(res, "perturbations.0.by_group.0.groups.3.missing")));
	cJSON_Delete(res);
	CHECK_INT_EQ(aud_robust_new(&r, m, b, &o, &err), 0);
	if (r != NULL) {
		w = aud_robust_warnings(r, &nw);
		CHECK_INT_EQ(nw, 1);
		if (nw == 1)
			CHECK_STR_EQ(w[0], "'sex' has a value written '(missing)': the group of "
			    "missing values is named '((missing))'");
	}
	aud_robust_free(r);
done:
	aud_model_free(m);
	aud_batch_free(b);
}

void
test_robust__wide_input_reads_whole(void)
{
	/* 2 rows x 20000 columns: read in small batches, every cell kept */
	size_t ncols = 20000, j, len = 0, cap = ncols * 16;
	char *text = malloc(cap);
	struct aud_batch *b;

	if (text == NULL)
		return;
	for (j = 0; j < ncols; j++)
		len += (size_t)snprintf(text + len, cap - len, "%sc%zu", j ? "," : "", j);
	for (int r = 0; r < 2; r++) {
		text[len++] = '\n';
		for (j = 0; j < ncols; j++)
			len += (size_t)snprintf(text + len, cap - len, "%s%zu", j ? "," : "",
			    (j + (size_t)r) % 7);
	}
	text[len++] = '\n';
	text[len] = '\0';
	b = load(text);
	if (b != NULL) {
		CHECK_INT_EQ(b->nrows, 2);
		CHECK_INT_EQ(b->ncols, ncols);
		CHECK(b->cap <= 16);
		CHECK_DBL_EQ(b->cols[ncols - 1].num[0], (double)((ncols - 1) % 7));
		CHECK_DBL_EQ(b->cols[ncols - 1].num[1], (double)(ncols % 7));
	}
	aud_batch_free(b);
	free(text);
}

/* g "a" 0.9, "b" 0.2, "c" 0.5; no score (NaN) for "c" when x > 2 and for "a" when x >= 5 */
static int
partial_fn(const struct aud_batch *b, const long *col, double *score, double *margin,
    void *payload, struct aud_error *err)
{
	const struct aud_column *g = &b->cols[col[0]];
	size_t i;

	(void)margin;
	(void)payload;
	(void)err;
	for (i = 0; i < b->nrows; i++) {
		const char *v = aud_dict_str(g->dict, g->code[i]);
		double x = b->cols[col[1]].num[i];

		if ((v[0] == 'c' && x > 2) || (v[0] == 'a' && x >= 5))
			score[i] = NAN;
		else
			score[i] = v[0] == 'a' ? 0.9 : v[0] == 'b' ? 0.2 : 0.5;
	}
	return 0;
}

/* The transition from -> to of entry 0, or NULL. */
static const cJSON *
transition(const cJSON *res, const char *from, const char *to)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, aud_json_path(res, "perturbations.0.transitions"))
		if (strcmp(str(t, "from"), from) == 0 && strcmp(str(t, "to"), to) == 0)
			return t;
	return NULL;
}

void
test_robust__unscored_variants_are_not_flips(void)
{
	const char *names[] = { "g", "x" };
	enum aud_col_kind kinds[] = { AUD_COL_CATEGORICAL, AUD_COL_NUMERIC };
	const char *specs[] = { "flip:g" };
	const char *prot[] = { "g" };
	struct aud_robust_options o = AUD_ROBUST_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *b = load("g,x\na,1\nb,2\na,3\nc,1\nb,4\nb,5\n");
	struct aud_model *m = NULL;
	cJSON *res;

	CHECK_INT_EQ(aud_model_from_fn(&m, 2, names, kinds, AUD_TASK_CLASSIFICATION, "1", 0,
	    partial_fn, NULL, &err), 0);
	if (b == NULL || m == NULL)
		return;
	/* by hand: rows 1-5 each have a scored variant that flips; row 6 (b, x=5)
	 * has none scored (a and c give NaN): unscored, not a flip */
	res = run(m, b, &o, specs, 1);
	CHECK_STR_EQ(str(res, "perturbations.0.name"), "counterfactual flip");
	CHECK_DBL_EQ(num(res, "perturbations.0.rows"), 5);
	CHECK_DBL_EQ(num(res, "perturbations.0.unscored"), 1);
	CHECK_DBL_EQ(num(res, "perturbations.0.flips"), 5);
	CHECK_DBL_EQ(num(res, "perturbations.0.flip_rate"), 1);
	/* a -> c: row 1 scored (0.5, decision kept), row 3 unscored */
	if (transition(res, "a", "c") != NULL) {
		CHECK_DBL_EQ(num(transition(res, "a", "c"), "rows"), 1);
		CHECK_DBL_EQ(num(transition(res, "a", "c"), "unscored"), 1);
		CHECK_DBL_EQ(num(transition(res, "a", "c"), "flips"), 0);
	} else {
		CHECK(0);
	}
	/* b -> a: rows 2 and 5 flip, row 6 unscored */
	if (transition(res, "b", "a") != NULL) {
		CHECK_DBL_EQ(num(transition(res, "b", "a"), "rows"), 2);
		CHECK_DBL_EQ(num(transition(res, "b", "a"), "unscored"), 1);
		CHECK_DBL_EQ(num(transition(res, "b", "a"), "flips"), 2);
	} else {
		CHECK(0);
	}
	cJSON_Delete(res);
	/* g protected: by group, and the course's name of the test */
	o.protected_cols = prot;
	o.nprotected = 1;
	res = run(m, b, &o, specs, 1);
	CHECK_STR_EQ(str(res, "perturbations.0.name"), "anti-classification");
	CHECK_STR_EQ(str(res, "perturbations.0.by_group.0.groups.1.group"), "b");
	CHECK_DBL_EQ(num(res, "perturbations.0.by_group.0.groups.1.rows"), 2);
	CHECK_DBL_EQ(num(res, "perturbations.0.by_group.0.groups.1.unscored"), 1);
	CHECK_DBL_EQ(num(res, "perturbations.0.by_group.0.groups.1.flip_rate"), 1);
	cJSON_Delete(res);
	aud_model_free(m);
	aud_batch_free(b);
}
