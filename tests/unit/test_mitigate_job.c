/* test_mitigate_job.c — audit-mitigate's jobs: option rules, the document on a toy worked by hand. */
#include <math.h>
#include <string.h>

#include <audit/csv.h>
#include <audit/json.h>
#include <audit/mitigate_job.h>

#include "runner.h"

static const char *const prot[] = { "g" };

void
test_mitigate_job__option_rules(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_mit_job_options o = AUD_MIT_JOB_OPTIONS_INIT;
	struct aud_mit_job *j = NULL;
	double down[] = { 0.1, 0.05 };

	o.label = "y";
	o.protected = prot;
	o.nprotected = 1;
	CHECK_INT_EQ(aud_mit_job_new(&j, &o, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--score is required");
	o.score = "s";
	o.mit.tolerance = 1.5;
	CHECK_INT_EQ(aud_mit_job_new(&j, &o, &err), AUD_EINVAL);
	o.mit.tolerance = 0;
	o.tolerances = down;
	o.ntolerances = 2;
	CHECK_INT_EQ(aud_mit_job_new(&j, &o, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--tolerances must be increasing (0.05 after 0.1)");
	o.command = AUD_MIT_FRONTIER;
	CHECK_INT_EQ(aud_mit_job_new(&j, &o, &err), AUD_EINVAL);
	o.command = AUD_MIT_APPLY;
	o.tolerances = NULL;
	CHECK_INT_EQ(aud_mit_job_new(&j, &o, &err), AUD_EINVAL);
	CHECK(j == NULL);
	o.command = AUD_MIT_REWEIGH;
	o.score = NULL;
	CHECK_INT_EQ(aud_mit_job_new(&j, &o, &err), 0);
	aud_mit_job_free(j);
}

/* Read, run and document `text` with options o; the results in *doc (caller deletes). */
static int
run(cJSON **doc, const struct aud_mit_job_options *o, const char *text, struct aud_error *err)
{
	struct aud_csv_options co = AUD_CSV_OPTIONS_INIT;
	struct aud_csv *csv = NULL;
	struct aud_mit_job *j = NULL;
	int rc;

	*doc = cJSON_CreateObject();
	rc = aud_mit_job_new(&j, o, err);
	if (rc == 0)
		rc = aud_csv_open_mem(&csv, "toy.csv", text, strlen(text), &co, err);
	if (rc == 0)
		rc = aud_mit_job_ops.read(j, csv, NULL, err);
	if (rc == 0)
		rc = aud_mit_job_ops.run(j, NULL, err);
	if (rc == 0)
		rc = aud_mit_job_ops.document(j, cJSON_AddObjectToObject(*doc, "params"),
		    cJSON_AddObjectToObject(*doc, "results"), cJSON_AddArrayToObject(*doc, "warnings"),
		    err);
	aud_csv_free(csv);
	aud_mit_job_free(j);
	return rc;
}

#define TOY "g,y,s\na,1,0.9\na,1,0.7\na,0,0.6\na,0,0.2\nb,1,0.8\nb,0,0.4\nb,0,0.3\nb,1,0.35\n" \
	"b,NA,0.5\n"

void
test_mitigate_job__thresholds_on_the_toy(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_mit_job_options o = AUD_MIT_JOB_OPTIONS_INIT;
	cJSON *doc = NULL;
	const cJSON *r;

	o.label = "y";
	o.score = "s";
	o.protected = prot;
	o.nprotected = 1;
	o.mit.grid = 0;
	CHECK_INT_EQ(run(&doc, &o, TOY, &err), 0);
	r = aud_json_get(doc, "results");
	/* a separates at rate 1/2 (accuracy 1); b mixes its top 1 and top 3 (accuracy 3/4) */
	CHECK_REL(aud_json_num(r, "objective_value"), 0.875, 1e-12);
	CHECK_REL(aud_json_num(aud_json_path(r, "after"), "accuracy"), 0.875, 1e-12);
	CHECK(fabs(aud_json_num(aud_json_path(r, "after"), "demographic_parity_difference")) < 1e-12);
	/* before: score >= 0.5 selects 0.9, 0.7, 0.6 and 0.8: 6 of 8 right */
	CHECK_DBL_EQ(aud_json_num(aud_json_path(r, "before"), "accuracy"), 0.75);
	CHECK_DBL_EQ(aud_json_num(aud_json_path(r, "before"), "demographic_parity_difference"), 0.5);
	CHECK_DBL_EQ(aud_json_num(aud_json_path(r, "before"), "balanced_accuracy"), 0.75);
	CHECK_DBL_EQ(aud_json_num(aud_json_path(r, "groups.1.before"), "tpr"), 0.5);
	CHECK_STR_EQ(aud_json_str(aud_json_path(r, "groups.0.rule"), "threshold0"), "inf");
	CHECK(aud_json_get(r, "exact") == NULL);
	/* the row with a missing label is left out, with a warning */
	CHECK_STR_EQ(cJSON_GetArrayItem(aud_json_get(doc, "warnings"), 0)->valuestring,
	    "1 rows with a missing label, score or protected value are not counted");
	cJSON_Delete(doc);
}

void
test_mitigate_job__reweigh_table(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_mit_job_options o = AUD_MIT_JOB_OPTIONS_INIT;
	cJSON *doc = NULL;
	const cJSON *w;

	o.command = AUD_MIT_REWEIGH;
	o.label = "y";
	o.protected = prot;
	o.nprotected = 1;
	CHECK_INT_EQ(run(&doc, &o, "g,y\na,1\na,1\na,0\nb,0\n", &err), 0);
	w = aud_json_path(doc, "results.weights");
	CHECK_INT_EQ(cJSON_GetArraySize(w), 4);
	/* n = 4, n_a = 3, n_b = 1, n_1 = 2, n_0 = 2: w(a,1) = 3*2/(4*2), w(a,0) = 3*2/4, w(b,0) = 1*2/4 */
	CHECK_DBL_EQ(aud_json_num(cJSON_GetArrayItem(w, 0), "weight"), 0.75);
	CHECK_DBL_EQ(aud_json_num(cJSON_GetArrayItem(w, 1), "weight"), 1.5);
	CHECK(cJSON_IsNull(aud_json_get(cJSON_GetArrayItem(w, 2), "weight")));
	CHECK_DBL_EQ(aud_json_num(cJSON_GetArrayItem(w, 3), "weight"), 0.5);
	CHECK_STR_EQ(cJSON_GetArrayItem(aud_json_get(doc, "warnings"), 0)->valuestring,
	    "group 'b' has no row of label '1': its weight is undefined (null)");
	cJSON_Delete(doc);
}
