/*
 * fairness_job.c — audit-fair's analysis as the job runner drives it
 * (job.h): read the rows, document params and results, checks, the text view.
 */
#include <audit/fairness.h>
#include <audit/job.h>
#include <audit/json.h>

#include <stdlib.h>
#include <string.h>

#include "fairness_impl.h"

struct aud_fairness_job {
	struct aud_fairness_options o;
	struct aud_fairness_columns cols;
	enum aud_four_fifths rule;
	struct aud_fairness *f;
};

int
aud_fairness_job_new(struct aud_fairness_job **out, const struct aud_fairness_options *opts,
    const struct aud_fairness_columns *cols, enum aud_four_fifths rule,
    struct aud_error *err)
{
	struct aud_fairness_job *j;
	int rc;

	*out = NULL;
	if (cols->label == NULL)
		return AUD_ERROR(err, AUD_EINVAL, "--label is required");
	if (cols->pred == NULL && cols->score == NULL)
		return AUD_ERROR(err, AUD_EINVAL, "give --pred, --score or both");
	if (opts->score_bins > 0 && cols->score == NULL)
		return AUD_ERROR(err, AUD_EINVAL, "--score-bins needs --score");
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	j->o = *opts;
	j->cols = *cols;
	j->rule = rule;
	j->o.has_pred = cols->pred != NULL;
	j->o.has_score = cols->score != NULL;
	j->o.has_weights = cols->weights != NULL;
	rc = aud_fairness_new(&j->f, &j->o, err);
	if (rc < 0) {
		free(j);
		return rc;
	}
	*out = j;
	return 0;
}

void
aud_fairness_job_free(struct aud_fairness_job *j)
{
	if (j == NULL)
		return;
	aud_fairness_free(j->f);
	free(j);
}

static int
job_read(void *self, struct aud_csv *csv, const struct aud_progress_cb *progress,
    struct aud_error *err)
{
	struct aud_fairness_job *j = self;

	return aud_fairness_read_csv(j->f, csv, &j->cols, progress, err);
}

#define STR_OR_NULL(p, k, v) \
	((v) != NULL ? cJSON_AddStringToObject(p, k, v) : cJSON_AddNullToObject(p, k))

/* The bins' edges and sides. */
int
aud__fair_put_bins(cJSON *p, const struct aud_fairness_bins *bins, size_t nbins)
{
	cJSON *x = cJSON_AddObjectToObject(p, "bins"), *bc;
	size_t i, j;

	for (i = 0; x != NULL && i < nbins; i++) {
		cJSON *e = cJSON_AddArrayToObject(x, bins[i].column);

		for (j = 0; e != NULL && j < bins[i].nedges; j++)
			if (!cJSON_AddItemToArray(e, aud_json_number(bins[i].edges[j])))
				return -1;
		if (e == NULL)
			return -1;
	}
	if (x == NULL)
		return -1;
	if (nbins == 0)
		return 0;
	/* which side each column's bins are closed on (as audit-robust and audit-explain say) */
	bc = cJSON_AddObjectToObject(p, "bins_closed");
	for (i = 0; bc != NULL && i < nbins; i++)
		if (cJSON_AddStringToObject(bc, bins[i].column,
		    bins[i].right ? "right" : "left") == NULL)
			return -1;
	return bc == NULL ? -1 : 0;
}

static int
put_params(cJSON *p, const struct aud_fairness_job *j)
{
	const struct aud_fairness_options *o = &j->o;
	const struct aud_fairness_columns *c = &j->cols;
	cJSON *x;
	size_t i;

	if (STR_OR_NULL(p, "label", c->label) == NULL || STR_OR_NULL(p, "pred", c->pred) == NULL ||
	    STR_OR_NULL(p, "score", c->score) == NULL ||
	    STR_OR_NULL(p, "weights", c->weights) == NULL)
		return -1;
	if (c->pred == NULL && aud_json_add_number(p, "threshold", o->threshold) == NULL)
		return -1;
	x = cJSON_AddArrayToObject(p, "protected");
	for (i = 0; x != NULL && i < o->nprotected; i++)
		if (!cJSON_AddItemToArray(x, cJSON_CreateString(o->protected[i])))
			return -1;
	if (x == NULL || cJSON_AddStringToObject(p, "positive", o->positive) == NULL ||
	    cJSON_AddStringToObject(p, "favorable", o->favorable) == NULL ||
	    cJSON_AddBoolToObject(p, "intersect", o->intersect) == NULL)
		return -1;
	x = cJSON_AddObjectToObject(p, "reference");
	for (i = 0; x != NULL && i < o->nrefs; i++)
		if (cJSON_AddStringToObject(x, o->refs[i].attribute, o->refs[i].group) == NULL)
			return -1;
	if (x == NULL || aud__fair_put_bins(p, o->bins, o->nbins) < 0 ||
	    aud_json_add_number(p, "score_bins", (double)o->score_bins) == NULL ||
	    aud_json_add_number(p, "ci", o->ci_level) == NULL ||
	    cJSON_AddStringToObject(p, "ci_method",
	    o->ci_method == AUD_CI_BOOTSTRAP ? "bootstrap" : "wilson") == NULL ||
	    aud_json_add_number(p, "bootstrap", o->ci_method == AUD_CI_BOOTSTRAP ?
	    (double)o->bootstrap : 0.0) == NULL ||
	    aud_json_add_number(p, "seed", (double)o->seed) == NULL ||
	    aud_json_add_number(p, "min_group_size", (double)o->min_group_size) == NULL ||
	    cJSON_AddStringToObject(p, "four_fifths",
	    j->rule == AUD_FOUR_FIFTHS_BAND ? "band" : "eeoc") == NULL)
		return -1;
	return 0;
}

static int
job_document(void *self, cJSON *params, cJSON *results, cJSON *warnings,
    struct aud_error *err)
{
	struct aud_fairness_job *j = self;

	if (put_params(params, j) < 0)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	return aud_fairness_finish(j->f, results, warnings, err);
}

static void
job_checks(void *self, struct aud_check_resolver *out)
{
	struct aud_fairness_job *j = self;

	aud_fairness_check_resolver(out, &j->rule);
}

const struct aud_job_ops aud_fairness_job_ops = {
	"audit.fairness/1",
	job_read,
	NULL,
	job_document,
	job_checks,
	aud_fairness_write,
	0, NULL, NULL, NULL
};
