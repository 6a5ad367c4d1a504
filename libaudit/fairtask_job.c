/*
 * fairtask_job.c — audit-fair --task multiclass and --task regression as
 * jobs of the runner (job.h): reading the rows, the params, the check paths
 * and their resolver (shared with the binary task: the same layout).
 */
#include <audit/fairtask.h>
#include <audit/job.h>
#include <audit/json.h>

#include <stdlib.h>
#include <string.h>

#include "fairness_impl.h"
#include "fairtask_impl.h"

struct aud_fairtask_job {
	struct aud_fairtask_options o;
	const char *label, *pred;
	struct aud_fairtask *t;
};

int
aud_fairtask_job_new(struct aud_fairtask_job **out, const struct aud_fairtask_options *opts,
    const char *label, const char *pred, struct aud_error *err)
{
	struct aud_fairtask_job *j;
	int rc;

	*out = NULL;
	if (label == NULL)
		return AUD_ERROR(err, AUD_EINVAL, "--label is required");
	if (pred == NULL)
		return AUD_ERROR(err, AUD_EINVAL, "--task %s needs --pred",
		    opts->task == AUD_FAIRTASK_REGRESSION ? "regression" : "multiclass");
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	j->o = *opts;
	j->label = label;
	j->pred = pred;
	rc = aud_fairtask_new(&j->t, &j->o, err);
	if (rc < 0) {
		free(j);
		return rc;
	}
	*out = j;
	return 0;
}

void
aud_fairtask_job_free(struct aud_fairtask_job *j)
{
	if (j == NULL)
		return;
	aud_fairtask_free(j->t);
	free(j);
}

static int
job_read(void *self, struct aud_csv *csv, const struct aud_progress_cb *progress,
    struct aud_error *err)
{
	struct aud_fairtask_job *j = self;

	return aud_fairtask_read_csv(j->t, csv, j->label, j->pred, progress, err);
}

static int
put_params(cJSON *p, const struct aud_fairtask_job *j)
{
	const struct aud_fairtask_options *o = &j->o;
	cJSON *x;
	size_t i;

	if (cJSON_AddStringToObject(p, "task", o->task == AUD_FAIRTASK_MULTICLASS ?
	    "multiclass" : "regression") == NULL ||
	    cJSON_AddStringToObject(p, "label", j->label) == NULL ||
	    cJSON_AddStringToObject(p, "pred", j->pred) == NULL)
		return -1;
	x = cJSON_AddArrayToObject(p, "protected");
	for (i = 0; x != NULL && i < o->nprotected; i++)
		if (!cJSON_AddItemToArray(x, cJSON_CreateString(o->protected[i])))
			return -1;
	if (x == NULL || cJSON_AddBoolToObject(p, "intersect", o->intersect) == NULL)
		return -1;
	x = cJSON_AddObjectToObject(p, "reference");
	for (i = 0; x != NULL && i < o->nrefs; i++)
		if (cJSON_AddStringToObject(x, o->refs[i].attribute, o->refs[i].group) == NULL)
			return -1;
	if (x == NULL || aud__fair_put_bins(p, o->bins, o->nbins) < 0 ||
	    aud_json_add_number(p, "ci", o->ci_level) == NULL ||
	    aud_json_add_number(p, "bootstrap", (double)o->bootstrap) == NULL ||
	    aud_json_add_number(p, "seed", (double)o->seed) == NULL ||
	    aud_json_add_number(p, "min_group_size", (double)o->min_group_size) == NULL)
		return -1;
	return 0;
}

static int
job_document(void *self, cJSON *params, cJSON *results, cJSON *warnings,
    struct aud_error *err)
{
	struct aud_fairtask_job *j = self;

	if (put_params(params, j) < 0)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	return aud_fairtask_finish(j->t, results, warnings, err);
}

/* ---- checks ---- */

/* 1 when key is one of the task's metrics (count too when with_count). */
static int
is_metric(enum aud_fairtask_kind task, const char *key, int with_count)
{
	size_t n, k;
	const char *const *m = aud__task_metrics(task, &n);

	for (k = 0; k < n; k++)
		if (strcmp(m[k], key) == 0)
			return 1;
	return with_count && strcmp(key, "count") == 0;
}

/* 1 when key is METRIC_difference or METRIC_ratio of the task (or bounded_group_loss). */
static int
is_summary(enum aud_fairtask_kind task, const char *key)
{
	size_t n, k, len = strlen(key);
	const char *const *m = aud__task_metrics(task, &n);

	if (task == AUD_FAIRTASK_REGRESSION && strcmp(key, "bounded_group_loss") == 0)
		return 1;
	for (k = 0; k < n; k++) {
		size_t ml = strlen(m[k]);

		if (len > ml + 1 && strncmp(key, m[k], ml) == 0 && key[ml] == '_' &&
		    (strcmp(key + ml + 1, "difference") == 0 || strcmp(key + ml + 1, "ratio") == 0))
			return 1;
	}
	return 0;
}

int
aud_fairtask_expr_validate(enum aud_fairtask_kind task, const struct aud_expr *e,
    struct aud_error *err)
{
	size_t d = aud_expr_depth(e);
	const char *p0 = aud_expr_part(e, 0), *p1 = aud_expr_part(e, 1),
	    *p2 = aud_expr_part(e, 2);
	int ok = 0;

	if (d == 1)
		ok = is_summary(task, p0);
	else if (d == 2 && strcmp(p0, "metrics") == 0)
		ok = is_metric(task, p1, 0);
	else if (d == 2 && strcmp(p0, "overall") == 0)
		ok = is_metric(task, p1, 1);
	else if (d == 3 && strcmp(p0, "disparity") == 0)
		ok = is_metric(task, p1, 0) &&
		    (strcmp(p2, "ratio") == 0 || strcmp(p2, "difference") == 0);
	if (!ok)
		return AUD_ERROR(err, AUD_EPARSE,
		    "unknown metric '%s' in check '%s' (with --task %s: a summary such as %s, "
		    "disparity.METRIC.ratio|difference, metrics.METRIC, overall.METRIC)",
		    aud_expr_path(e), aud_expr_text(e),
		    task == AUD_FAIRTASK_REGRESSION ? "regression" : "multiclass",
		    task == AUD_FAIRTASK_REGRESSION ? "mae_difference or bounded_group_loss" :
		    "accuracy_difference or macro_f1_ratio");
	return 0;
}

static int
known_multiclass(const struct aud_expr *e)
{
	return aud_fairtask_expr_validate(AUD_FAIRTASK_MULTICLASS, e, NULL) == 0;
}

static int
known_regression(const struct aud_expr *e)
{
	return aud_fairtask_expr_validate(AUD_FAIRTASK_REGRESSION, e, NULL) == 0;
}

void
aud_fairtask_check_resolver(struct aud_check_resolver *out, const enum aud_fairtask_kind *task)
{
	out->known = *task == AUD_FAIRTASK_REGRESSION ? known_regression : known_multiclass;
	out->resolve = aud__fair_resolve;
	out->reported = NULL;
	out->payload = task;
}

static void
job_checks(void *self, struct aud_check_resolver *out)
{
	struct aud_fairtask_job *j = self;

	aud_fairtask_check_resolver(out, &j->o.task);
}

const struct aud_job_ops aud_fairtask_multiclass_job_ops = {
	"audit.fairness-multiclass/1",
	job_read,
	NULL,
	job_document,
	job_checks,
	aud_fairtask_write,
	0, NULL, NULL, NULL
};

const struct aud_job_ops aud_fairtask_regression_job_ops = {
	"audit.fairness-regression/1",
	job_read,
	NULL,
	job_document,
	job_checks,
	aud_fairtask_write,
	0, NULL, NULL, NULL
};
