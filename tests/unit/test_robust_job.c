/* test_robust_job.c — audit-robust's rules: the plan over --levels, the columns
 * named, read, perturbed and sent to a command model, and the refusals. */
#include <stdlib.h>
#include <string.h>

#include <audit/csv.h>
#include <audit/job.h>
#include <audit/robust.h>

#include "runner.h"

static const char rules_csv[] =
    "id,sex,age,priors,label\n"
    "1,M,19,0,1\n2,F,19,0,0\n3,M,25,2,0\n4,F,30,5,1\n";

static struct aud_batch *
load(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *csv = NULL;
	struct aud_batch *b = NULL;

	CHECK_INT_EQ(aud_csv_open_mem(&csv, "t.csv", rules_csv, strlen(rules_csv), NULL, &err),
	    0);
	if (csv == NULL)
		return NULL;
	CHECK_INT_EQ(aud_robust_read(&b, csv, NULL, NULL, 0, &err), 0);
	aud_csv_free(csv);
	return b;
}

static int
zero_fn(const struct aud_batch *b, const long *col, double *score, double *margin,
    void *payload, struct aud_error *err)
{
	size_t i;

	(void)col;
	(void)margin;
	(void)payload;
	(void)err;
	for (i = 0; i < b->nrows; i++)
		score[i] = 0;
	return 0;
}

/* A model reading sex (categorical), age and priors (numeric). */
static struct aud_model *
rules_model(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	const char *names[] = { "sex", "age", "priors" };
	enum aud_col_kind kinds[] = { AUD_COL_CATEGORICAL, AUD_COL_NUMERIC, AUD_COL_NUMERIC };
	struct aud_model *m = NULL;

	CHECK_INT_EQ(aud_model_from_fn(&m, 3, names, kinds, AUD_TASK_CLASSIFICATION, "1", 0,
	    zero_fn, NULL, &err), 0);
	return m;
}

/* Check step i: its spec text and its sweep (NULL: none). */
static void
check_step(const struct aud_robust_plan *pl, size_t i, const char *spec, const char *sweep)
{
	CHECK(i < pl->nsteps);
	if (i >= pl->nsteps)
		return;
	CHECK_STR_EQ(pl->steps[i].p->spec, spec);
	if (sweep == NULL)
		CHECK(pl->steps[i].sweep == NULL);
	else
		CHECK_STR_EQ(pl->steps[i].sweep, sweep);
}

void
test_robust_job__plan_default(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_robust_plan *pl = NULL;
	const double lv[] = { 0.2, 0.4 };

	/* no spec, no levels: one gaussian:0.1 run */
	CHECK_INT_EQ(aud_robust_plan_new(&pl, NULL, 0, NULL, 0, &err), 0);
	CHECK_INT_EQ(pl->nspecs, 1);
	CHECK_STR_EQ(pl->specs[0], "gaussian:0.1");
	CHECK_INT_EQ(pl->nsteps, 1);
	check_step(pl, 0, "gaussian:0.1", NULL);
	CHECK_DBL_EQ(pl->steps[0].p->level, 0.1);
	CHECK(pl->levels == NULL);
	CHECK_INT_EQ(pl->nnotes, 0);
	aud_robust_plan_free(pl);

	/* no spec, two levels: "gaussian" swept over both */
	CHECK_INT_EQ(aud_robust_plan_new(&pl, NULL, 0, lv, 2, &err), 0);
	CHECK_STR_EQ(pl->specs[0], "gaussian");
	CHECK_INT_EQ(pl->nsteps, 2);
	check_step(pl, 0, "gaussian:0.2", "gaussian");
	check_step(pl, 1, "gaussian:0.4", "gaussian");
	CHECK_DBL_EQ(pl->steps[1].p->level, 0.4);
	CHECK_INT_EQ(pl->nlevels, 2);
	CHECK_DBL_EQ(pl->levels[1], 0.4);
	aud_robust_plan_free(pl);
}

void
test_robust_job__plan_sweep_levelless(void)
{
	/* a level-less spec is swept; a leveled one and a flip run once, in order */
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_robust_plan *pl = NULL;
	const char *specs[] = { "uniform:0.3", "gaussian", "flip:sex" };
	const double lv[] = { 0, 0.5 };

	CHECK_INT_EQ(aud_robust_plan_new(&pl, specs, 3, lv, 2, &err), 0);
	if (pl == NULL)
		return;
	CHECK_INT_EQ(pl->nsteps, 4);
	check_step(pl, 0, "uniform:0.3", NULL);
	check_step(pl, 1, "gaussian:0", "gaussian");
	check_step(pl, 2, "gaussian:0.5", "gaussian");
	check_step(pl, 3, "flip:sex", NULL);
	CHECK_INT_EQ(pl->nnotes, 0);
	CHECK_INT_EQ(pl->nspecs, 3);
	CHECK_STR_EQ(pl->specs[1], "gaussian");
	aud_robust_plan_free(pl);
}

void
test_robust_job__plan_levels_replace(void)
{
	/* every spec has its level: the levels replace those of gaussian and missing
	 * (each with a note), the flip runs once */
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_robust_plan *pl = NULL;
	const char *specs[] = { "gaussian:0.1", "flip:sex", "missing:0.3" };
	const double lv[] = { 0, 0.5 };

	CHECK_INT_EQ(aud_robust_plan_new(&pl, specs, 3, lv, 2, &err), 0);
	if (pl == NULL)
		return;
	CHECK_INT_EQ(pl->nsteps, 5);
	check_step(pl, 0, "gaussian:0", "gaussian");
	check_step(pl, 1, "gaussian:0.5", "gaussian");
	check_step(pl, 2, "flip:sex", NULL);
	check_step(pl, 3, "missing:0", "missing");
	check_step(pl, 4, "missing:0.5", "missing");
	CHECK_INT_EQ(pl->nnotes, 2);
	CHECK_STR_EQ(pl->notes[0], "--levels replaces the level of 'gaussian:0.1'");
	CHECK_STR_EQ(pl->notes[1], "--levels replaces the level of 'missing:0.3'");
	/* the envelope's params keep the specs as given */
	CHECK_STR_EQ(pl->specs[0], "gaussian:0.1");
	aud_robust_plan_free(pl);
}

static void
check_plan_refused(const char *const *specs, size_t n, const double *lv, size_t nlv,
    const char *msg)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_robust_plan *pl = NULL;

	CHECK_INT_EQ(aud_robust_plan_new(&pl, specs, n, lv, nlv, &err), AUD_EINVAL);
	CHECK(pl == NULL);
	CHECK_STR_EQ(err.msg, msg);
	aud_robust_plan_free(pl);
}

void
test_robust_job__plan_refusals(void)
{
	const char *levelless[] = { "gaussian" };
	const char *flip[] = { "flip:sex" };
	const char *missing[] = { "missing:0.1" };
	const char *second_bad[] = { "gaussian", "missing" };
	const double lv[] = { 0.5, 2 };

	check_plan_refused(levelless, 1, NULL, 0,
	    "perturbation 'gaussian' needs a level (gaussian:LEVEL) or --levels");
	check_plan_refused(flip, 1, lv, 1,
	    "--levels needs a perturbation that takes a level (e.g. --perturb gaussian)");
	/* 2 is a fine sigma but not a probability: the missing sweep is refused */
	check_plan_refused(missing, 1, lv, 2,
	    "invalid perturbation 'missing:2': the probability must be in [0, 1]");
	check_plan_refused(second_bad, 2, lv, 2,
	    "invalid perturbation 'missing:2': the probability must be in [0, 1]");
}

void
test_robust_job__column_kinds(void)
{
	const char *names[] = { "id", "sex", "age", "priors", "label" };
	const char *prot[] = { "id" };
	struct aud_robust_options o = AUD_ROBUST_OPTIONS_INIT;
	struct aud_model *m = rules_model();
	struct aud_bins *bins = NULL;
	const struct aud_bins *bl[1];
	struct aud_error err = AUD_ERROR_INIT;
	enum aud_col_kind k[5];

	o.label = "label";
	o.protected_cols = prot;
	o.nprotected = 1;
	/* the model's kinds; a numeric positive value: a numeric label; id protected */
	aud_robust_column_kinds(k, names, 5, m, &o);
	CHECK_INT_EQ(k[0], AUD_COL_CATEGORICAL);
	CHECK_INT_EQ(k[1], AUD_COL_CATEGORICAL);
	CHECK_INT_EQ(k[2], AUD_COL_NUMERIC);
	CHECK_INT_EQ(k[3], AUD_COL_NUMERIC);
	CHECK_INT_EQ(k[4], AUD_COL_NUMERIC);
	/* a text positive value: a categorical label; binned id: numeric */
	CHECK_INT_EQ(aud_bins_parse(&bins, "id=2", "--bins", &err), 0);
	bl[0] = bins;
	o.bins = bl;
	o.nbins = 1;
	o.positive = "yes";
	aud_robust_column_kinds(k, names, 5, m, &o);
	CHECK_INT_EQ(k[0], AUD_COL_NUMERIC);
	CHECK_INT_EQ(k[4], AUD_COL_CATEGORICAL);
	/* a command model has no kinds: detected, but for the label and protected */
	o.nbins = 0;
	o.label = NULL;
	aud_robust_column_kinds(k, names, 5, NULL, &o);
	CHECK_INT_EQ(k[0], AUD_COL_CATEGORICAL);
	CHECK_INT_EQ(k[1], AUD_COL_AUTO);
	CHECK_INT_EQ(k[2], AUD_COL_AUTO);
	CHECK_INT_EQ(k[4], AUD_COL_AUTO);
	aud_bins_free(bins);
	aud_model_free(m);
}

void
test_robust_job__command_columns(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *b = load();
	const char *mc[] = { "priors", "sex" };
	const char *bad[] = { "sex", "nope" };
	const char **names = NULL;
	enum aud_col_kind *kinds = NULL;
	size_t n = 0;

	if (b == NULL)
		return;
	/* --model-columns: those, in their order, with the input's kinds */
	CHECK_INT_EQ(aud_robust_command_columns(&names, &kinds, &n, b, mc, 2, &err), 0);
	CHECK_INT_EQ(n, 2);
	if (n == 2) {
		CHECK_STR_EQ(names[0], "priors");
		CHECK_STR_EQ(names[1], "sex");
		CHECK_INT_EQ(kinds[0], AUD_COL_NUMERIC);
		CHECK_INT_EQ(kinds[1], AUD_COL_CATEGORICAL);
	}
	free(names);
	free(kinds);
	/* none: every input column */
	CHECK_INT_EQ(aud_robust_command_columns(&names, &kinds, &n, b, NULL, 0, &err), 0);
	CHECK_INT_EQ(n, 5);
	if (n == 5) {
		CHECK_STR_EQ(names[0], "id");
		CHECK_STR_EQ(names[4], "label");
		CHECK_INT_EQ(kinds[1], AUD_COL_CATEGORICAL);
		CHECK_INT_EQ(kinds[2], AUD_COL_NUMERIC);
	}
	free(names);
	free(kinds);
	CHECK_INT_EQ(aud_robust_command_columns(&names, &kinds, &n, b, bad, 2, &err),
	    AUD_ENOTFOUND);
	CHECK(names == NULL && kinds == NULL && n == 0);
	aud_batch_free(b);
}

void
test_robust_job__perturbed_columns(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_robust_options o = AUD_ROBUST_OPTIONS_INIT;
	struct aud_batch *b = load();
	struct aud_model *m = rules_model();
	const char *prot[] = { "sex" };
	const char *feats[] = { "id", "age", "label", "priors" };
	const char *frozen[] = { "priors" };
	const char *unknown[] = { "nope" };
	unsigned char mask[5];

	if (b == NULL)
		return;
	/* the model's features (sex, age, priors) less the protected sex */
	o.protected_cols = prot;
	o.nprotected = 1;
	CHECK_INT_EQ(aud_robust_perturbed_columns(mask, b, m, &o, &err), 0);
	CHECK(!mask[0] && !mask[1] && mask[2] && mask[3] && !mask[4]);
	/* given features less the label and the frozen priors: id and age */
	o.features = feats;
	o.nfeatures = 4;
	o.label = "label";
	o.freeze = frozen;
	o.nfreeze = 1;
	CHECK_INT_EQ(aud_robust_perturbed_columns(mask, b, m, &o, &err), 0);
	CHECK(mask[0] && !mask[1] && mask[2] && !mask[3] && !mask[4]);
	o.features = unknown;
	o.nfeatures = 1;
	CHECK_INT_EQ(aud_robust_perturbed_columns(mask, b, m, &o, &err), AUD_ENOTFOUND);
	CHECK_STR_EQ(err.msg, "unknown column 'nope' (--features)");
	aud_model_free(m);
	aud_batch_free(b);
}

static void
push(struct aud_strlist *l, const char *s)
{
	struct aud_error err = AUD_ERROR_INIT;

	CHECK_INT_EQ(aud_strlist_push(l, s, &err), 0);
}

static void
opts_free(struct aud_robust_job_options *o)
{
	aud_strlist_free(&o->model.columns);
	aud_strlist_free(&o->protected);
	aud_strlist_free(&o->features);
	aud_strlist_free(&o->freeze);
	aud_strlist_free(&o->specs);
	aud_strlist_free(&o->bins);
}

static void
check_job_refused(const struct aud_robust_job_options *o, const char *msg)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_robust_job *j = NULL;

	CHECK_INT_EQ(aud_robust_job_new(&j, o, &err), AUD_EINVAL);
	CHECK(j == NULL);
	CHECK_STR_EQ(err.msg, msg);
	aud_robust_job_free(j);
}

void
test_robust_job__new_refusals(void)
{
	struct aud_robust_job_options dflt = AUD_ROBUST_JOB_OPTIONS_INIT, o = dflt;

	check_job_refused(&o, "give exactly one of -m MODEL and --model-cmd CMD");
	o.model.pmml = "m.pmml";
	o.model.command = "cat";
	check_job_refused(&o, "give exactly one of -m MODEL and --model-cmd CMD");
	o.model.command = NULL;
	push(&o.model.columns, "age");
	check_job_refused(&o, "--model-columns is for --model-cmd "
	    "(a PMML model reads its own input fields)");
	o.model.pmml = NULL;
	o.model.command = "cat";
	push(&o.features, "id");
	check_job_refused(&o, "--features: 'id' is not one of the --model-columns, "
	    "so the command would never see it perturbed");
	aud_strlist_free(&o.features);
	o.levels = "0.1,x";
	check_job_refused(&o, "--levels: 'x' is not a number");
	o.levels = "0.1,";
	check_job_refused(&o, "--levels: empty name in '0.1,'");
	o.levels = NULL;
	push(&o.bins, "age=25");
	push(&o.protected, "sex");
	check_job_refused(&o, "--bins names 'age', which is neither a protected column "
	    "nor flipped (--counterfactual)");
	push(&o.bins, "age=30");
	check_job_refused(&o, "--bins given twice for 'age'");
	opts_free(&o);
}

void
test_robust_job__columns_named(void)
{
	/* the order in which the input is asked for them: label, protected, features,
	 * freeze, model columns, then the flipped and grid columns */
	struct aud_robust_job_options dflt = AUD_ROBUST_JOB_OPTIONS_INIT, o = dflt;
	const char *want[] = { "label", "sex", "age", "id", "sex", "age", "priors", "sex",
	    "age", "priors" };
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_robust_job *j = NULL;
	const struct aud_robust_plan *pl;
	const char **names = NULL;
	size_t n = 0, i;

	o.model.command = "cat";
	o.run.label = "label";
	push(&o.protected, "sex");
	push(&o.features, "age");
	push(&o.freeze, "id");
	push(&o.model.columns, "sex");
	push(&o.model.columns, "age");
	push(&o.model.columns, "priors");
	push(&o.specs, "flip:sex");
	push(&o.specs, "grid:age=1,priors=2");
	push(&o.bins, "sex=1");
	CHECK_INT_EQ(aud_robust_job_new(&j, &o, &err), 0);
	if (j == NULL) {
		opts_free(&o);
		return;
	}
	pl = aud_robust_job_plan(j);
	CHECK_INT_EQ(pl->nsteps, 2);
	CHECK_INT_EQ(aud_robust_job_columns(&names, &n, j, &err), 0);
	CHECK_INT_EQ(n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < n && i < sizeof(want) / sizeof(want[0]); i++)
		CHECK_STR_EQ(names[i], want[i]);
	free(names);
	aud_robust_job_free(j);
	opts_free(&o);
}

static const cJSON *
get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

void
test_robust_job__ops_pmml_counterfactual(void)
{
	/* the rule list of tests/data/robust/rules.pmml (positive when 18 <= age <= 20
	 * and sex = M, or priors > 3): flipping sex changes the decision of rows 1, 2,
	 * 5 and 10 (age 18-20, priors <= 3), 4 of 10; perturbed: the model's sex, age
	 * and priors less the protected sex */
	struct aud_robust_job_options dflt = AUD_ROBUST_JOB_OPTIONS_INIT, o = dflt;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_robust_job *j = NULL;
	struct aud_csv *csv = NULL;
	cJSON *params = cJSON_CreateObject(), *results = cJSON_CreateObject();
	cJSON *warnings = cJSON_CreateArray(), *input = cJSON_CreateObject();
	const cJSON *x, *e;

	o.model.pmml = "tests/data/robust/rules.pmml";
	o.model.threads = 1;
	o.run.label = "label";
	push(&o.protected, "sex");
	push(&o.freeze, "id");
	push(&o.specs, "flip:sex");
	CHECK_INT_EQ(aud_robust_job_new(&j, &o, &err), 0);
	CHECK_INT_EQ(aud_csv_open(&csv, "tests/data/robust/rules.csv", NULL, &err), 0);
	if (j == NULL || csv == NULL)
		goto done;
	CHECK(aud_robust_job_note(j) == NULL);
	CHECK_INT_EQ(aud_robust_job_ops.read(j, csv, NULL, &err), 0);
	CHECK_STR_EQ(aud_robust_job_note(j), "2 features perturbed: age, priors");
	CHECK_INT_EQ(aud_robust_job_ops.run(j, NULL, &err), 0);
	CHECK_INT_EQ(aud_robust_job_ops.document(j, params, results, warnings, &err), 0);
	CHECK_STR_EQ(cJSON_GetStringValue(get(params, "model")), "tests/data/robust/rules.pmml");
	CHECK_STR_EQ(cJSON_GetStringValue(get(params, "positive")), "1");
	x = get(params, "features");
	CHECK_INT_EQ(cJSON_GetArraySize(x), 2);
	CHECK_STR_EQ(cJSON_GetStringValue(cJSON_GetArrayItem(x, 0)), "age");
	CHECK_STR_EQ(cJSON_GetStringValue(cJSON_GetArrayItem(x, 1)), "priors");
	CHECK_STR_EQ(cJSON_GetStringValue(cJSON_GetArrayItem(get(params, "perturb"), 0)),
	    "flip:sex");
	CHECK(get(params, "levels") == NULL);
	CHECK(cJSON_IsTrue(get(params, "by_feature")));
	e = cJSON_GetArrayItem(get(results, "perturbations"), 0);
	CHECK_STR_EQ(cJSON_GetStringValue(get(e, "spec")), "flip:sex");
	CHECK_DBL_EQ(cJSON_GetNumberValue(get(e, "rows")), 10);
	CHECK_DBL_EQ(cJSON_GetNumberValue(get(e, "flips")), 4);
	CHECK_INT_EQ(cJSON_GetArraySize(warnings), 0);
	/* input.model: the file's sha256 (as sha256sum(1) gives it) */
	CHECK_INT_EQ(aud_robust_job_input_info(j, input, &err), 0);
	CHECK_STR_EQ(cJSON_GetStringValue(get(get(input, "model"), "sha256")),
	    "be196916eb6fa19f8f9fbe897ccbb3ab85417d73d08d703092eab3b557016960");
done:
	cJSON_Delete(params);
	cJSON_Delete(results);
	cJSON_Delete(warnings);
	cJSON_Delete(input);
	aud_csv_free(csv);
	aud_robust_job_free(j);
	opts_free(&o);
}

void
test_robust_job__input_info_command(void)
{
	struct aud_robust_job_options dflt = AUD_ROBUST_JOB_OPTIONS_INIT, o = dflt;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_robust_job *j = NULL;
	cJSON *input = cJSON_CreateObject();
	const cJSON *m;

	o.model.command = "cat";
	CHECK_INT_EQ(aud_robust_job_new(&j, &o, &err), 0);
	if (j != NULL) {
		CHECK_INT_EQ(aud_robust_job_input_info(j, input, &err), 0);
		m = get(input, "model");
		CHECK(cJSON_IsNull(get(m, "path")));
		CHECK(cJSON_IsNull(get(m, "sha256")));
		CHECK_STR_EQ(cJSON_GetStringValue(get(m, "command")), "cat");
		/* the default plan: one gaussian:0.1 */
		CHECK_STR_EQ(aud_robust_job_plan(j)->specs[0], "gaussian:0.1");
	}
	cJSON_Delete(input);
	aud_robust_job_free(j);
}
