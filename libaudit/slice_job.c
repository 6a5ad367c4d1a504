/*
 * slice_job.c — audit-slice as a job of the runner (job.h, slice.h): the
 * rules between the options, reading the rows (each eligible row's metric
 * value added to the overall sums and to the sums of every named slice it is
 * in, or handed to discovery), the document audit.slice/1 and its check
 * resolver. The text views are slice_write.c's.
 */
#include <audit/slice.h>

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/check.h>
#include <audit/csv.h>
#include <audit/job.h>
#include <audit/json.h>
#include <audit/rowexpr.h>

#include "slice_impl.h"

struct named {
	const char *name;
	struct aud_rowexpr *e;
	struct aud__slice_sum sum;
};

struct aud_slice_job {
	struct aud_slice_options o;
	int regression;
	struct named *slices;
	size_t nslices;
	struct aud__discover *d;
	struct aud__slice_sum all;
	uint64_t rows, skipped;
	/* fpr, fnr, log_loss, brier: the first label values seen (binary metrics) */
	char *labels[2];
	size_t nlabels;
	int third_label, positive_seen;
};

/*
 * A slice name: letters, digits, '_', '-' and '.' (it names the slice in
 * tables and check scopes, which end at a ':').
 */
static int
check_name(const char *name, struct aud_error *err)
{
	size_t i;

	for (i = 0; name[i] != '\0'; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '_' || name[i] == '-' ||
		    name[i] == '.'))
			break;
	if (i == 0 || name[i] != '\0')
		return AUD_ERROR(err, AUD_EINVAL, "--slice: the name '%s' is not made of letters, "
		    "digits, '_', '-' and '.' (NAME=EXPR)", name);
	return 0;
}

static int
check_rules(const struct aud_slice_options *o, int *regression, struct aud_error *err)
{
	size_t i, j;
	int mean_score;

	if (o->label == NULL || o->pred == NULL)
		return AUD_ERROR(err, AUD_EINVAL, "%s is required", o->label == NULL ? "--label" :
		    "--pred");
	if (o->task == NULL || (strcmp(o->task, "classification") != 0 &&
	    strcmp(o->task, "regression") != 0))
		return AUD_ERROR(err, AUD_EINVAL,
		    "--task: expected classification or regression, got '%s'",
		    o->task != NULL ? o->task : "");
	*regression = strcmp(o->task, "regression") == 0;
	if ((unsigned)o->metric > AUD_SLICE_MSE)
		return AUD_ERROR(err, AUD_EINVAL, "--metric: unknown metric %d", (int)o->metric);
	if (*regression != (o->metric == AUD_SLICE_MAE || o->metric == AUD_SLICE_MSE))
		return AUD_ERROR(err, AUD_EINVAL, "--metric %s does not go with --task %s (%s)",
		    aud__slice_metric_name(o->metric), o->task, *regression ? "mae or mse" :
		    "accuracy, error_rate, fpr, fnr, log_loss or brier");
	mean_score = o->metric == AUD_SLICE_LOG_LOSS || o->metric == AUD_SLICE_BRIER;
	if (mean_score && o->score == NULL)
		return AUD_ERROR(err, AUD_EINVAL, "--metric %s needs --score COL",
		    aud__slice_metric_name(o->metric));
	if (!mean_score && o->score != NULL)
		return AUD_ERROR(err, AUD_EINVAL, "--score goes with --metric log_loss or brier");
	if (o->positive == NULL || o->positive[0] == '\0')
		return AUD_ERROR(err, AUD_EINVAL, "--positive: the positive label is empty");
	if (!(o->ci_level > 0 && o->ci_level < 1))
		return AUD_ERROR(err, AUD_EINVAL, "--ci must be in (0, 1), not %g", o->ci_level);
	if (o->discover && o->nslices > 0)
		return AUD_ERROR(err, AUD_EINVAL, "give --slice or --discover, not both");
	if (!o->discover && o->nslices == 0)
		return AUD_ERROR(err, AUD_EINVAL, "give --slice NAME=EXPR or --discover");
	if (!o->discover && o->ncolumns > 0)
		return AUD_ERROR(err, AUD_EINVAL, "--columns goes with --discover");
	for (i = 0; i < o->nslices; i++) {
		if (check_name(o->slices[i].name, err) < 0)
			return err->code;
		for (j = 0; j < i; j++)
			if (strcmp(o->slices[i].name, o->slices[j].name) == 0)
				return AUD_ERROR(err, AUD_EINVAL, "--slice: the name '%s' is given "
				    "twice", o->slices[i].name);
	}
	if (o->max_degree < 1 || o->max_degree > 3)
		return AUD_ERROR(err, AUD_EINVAL, "--max-degree must be 1, 2 or 3, not %u",
		    o->max_degree);
	if (o->bins < 2 || o->bins > 100)
		return AUD_ERROR(err, AUD_EINVAL, "--bins must be in [2, 100], not %u", o->bins);
	if (!(o->fdr > 0 && o->fdr < 1))
		return AUD_ERROR(err, AUD_EINVAL, "--fdr must be in (0, 1), not %g", o->fdr);
	if (o->top < 1 || o->max_values < 1 || o->min_size < 1)
		return AUD_ERROR(err, AUD_EINVAL, "%s must be at least 1", o->top < 1 ? "--top" :
		    o->max_values < 1 ? "--max-values" : "--min-size");
	for (i = 0; i < o->ncolumns; i++)
		for (j = 0; j < i; j++)
			if (strcmp(o->columns[i], o->columns[j]) == 0)
				return AUD_ERROR(err, AUD_EINVAL, "--columns: '%s' given twice",
				    o->columns[i]);
	return 0;
}

int
aud_slice_job_new(struct aud_slice_job **out, const struct aud_slice_options *o,
    struct aud_error *err)
{
	struct aud_slice_job *j;
	size_t i;
	int rc, regression = 0;

	assert(out != NULL && o != NULL);
	*out = NULL;
	rc = check_rules(o, &regression, err);
	if (rc < 0)
		return rc;
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	j->o = *o;
	j->regression = regression;
	j->slices = calloc(o->nslices + 1, sizeof(*j->slices));
	if (j->slices == NULL) {
		free(j);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	for (i = 0; i < o->nslices; i++) {
		j->slices[i].name = o->slices[i].name;
		rc = aud_rowexpr_parse(&j->slices[i].e, o->slices[i].expr, err);
		j->nslices = i + 1;
		if (rc < 0) {
			aud_slice_job_free(j);
			return rc;
		}
	}
	*out = j;
	return 0;
}

void
aud_slice_job_free(struct aud_slice_job *j)
{
	size_t i;

	if (j == NULL)
		return;
	for (i = 0; i < j->nslices; i++)
		aud_rowexpr_free(j->slices[i].e);
	free(j->slices);
	free(j->labels[0]);
	free(j->labels[1]);
	aud__discover_free(j->d);
	free(j);
}

/* Bind every named slice's columns, naming the slice in the error. */
static int
bind_slices(struct aud_slice_job *j, struct aud_csv *csv, struct aud_error *err)
{
	struct aud_error e = AUD_ERROR_INIT;
	size_t i, k, idx;

	for (i = 0; i < j->nslices; i++) {
		for (k = 0; k < aud_rowexpr_ncolumns(j->slices[i].e); k++)
			if (aud_csv_find(&idx, csv, aud_rowexpr_column(j->slices[i].e, k), &e) < 0)
				return AUD_ERROR(err, e.code, "slice '%s': %s", j->slices[i].name,
				    e.msg);
		if (aud_rowexpr_bind(j->slices[i].e, csv, err) < 0)
			return err->code;
	}
	return 0;
}

static void
add(struct aud__slice_sum *s, double v)
{
	s->n++;
	s->s += v;
	s->ss += v * v;
}

/* 1 for the metrics of a binary label: fpr, fnr, log_loss, brier. */
static int
binary_metric(enum aud_slice_metric m)
{
	return m == AUD_SLICE_FPR || m == AUD_SLICE_FNR || m == AUD_SLICE_LOG_LOSS ||
	    m == AUD_SLICE_BRIER;
}

/*
 * Note the label's value for a binary metric: whether the positive label
 * occurs, and a third value (an error for the score metrics, whose label is
 * binary; a one-vs-rest warning for fpr and fnr).
 */
static int
note_label(struct aud_slice_job *j, struct aud_csv *csv, size_t il, const char *v, size_t len,
    struct aud_error *err)
{
	size_t k;

	if (aud__slice_same(v, len, j->o.positive, strlen(j->o.positive)))
		j->positive_seen = 1;
	if (j->third_label)
		return 0;
	for (k = 0; k < j->nlabels; k++)
		if (aud__slice_same(v, len, j->labels[k], strlen(j->labels[k])))
			return 0;
	if (j->nlabels == 2) {
		if (j->o.metric == AUD_SLICE_LOG_LOSS || j->o.metric == AUD_SLICE_BRIER)
			return AUD_ERROR(err, AUD_EPARSE, "%s:%llu:%llu: a third value '%.*s' in "
			    "the label column '%s' (after '%s' and '%s'): --metric %s needs a "
			    "binary label", aud_csv_path(csv), (unsigned long long)aud_csv_line(csv),
			    (unsigned long long)aud_csv_column(csv, il), (int)(len > 40 ? 40 : len),
			    v, j->o.label, j->labels[0], j->labels[1],
			    aud__slice_metric_name(j->o.metric));
		j->third_label = 1;
		return 0;
	}
	j->labels[j->nlabels] = malloc(len + 1);
	if (j->labels[j->nlabels] == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	memcpy(j->labels[j->nlabels], v, len);
	j->labels[j->nlabels++][len] = '\0';
	return 0;
}

static int
job_read(void *self, struct aud_csv *csv, const struct aud_progress_cb *progress,
    struct aud_error *err)
{
	struct aud_slice_job *j = self;
	const struct aud_slice_options *o = &j->o;
	const char *exclude[3];
	size_t il, ip, is = 0, i, nex = 0;
	struct aud__slice_row row;
	double v;
	int rc, eligible;

	rc = aud_csv_find(&il, csv, o->label, err);
	if (rc == 0)
		rc = aud_csv_find(&ip, csv, o->pred, err);
	if (rc == 0 && o->score != NULL)
		rc = aud_csv_find(&is, csv, o->score, err);
	if (rc < 0)
		return rc;
	rc = bind_slices(j, csv, err);
	if (rc < 0)
		return rc;
	exclude[nex++] = o->label;
	exclude[nex++] = o->pred;
	if (o->score != NULL)
		exclude[nex++] = o->score;
	if (o->discover) {
		rc = aud__discover_new(&j->d, o, csv, exclude, nex, err);
		if (rc < 0)
			return rc;
	}
	memset(&row, 0, sizeof(row));
	row.positive = o->positive;
	while ((rc = aud_csv_next(csv, err)) == 1) {
		j->rows++;
		if ((j->rows & 0xffff) == 0)
			aud_progress_report(progress, "input", AUD_PROGRESS_BYTES,
			    aud_csv_bytes(csv), aud_csv_size(csv));
		if (aud_csv_is_na(csv, il) || aud_csv_is_na(csv, ip) ||
		    (o->score != NULL && aud_csv_is_na(csv, is))) {
			j->skipped++;
			continue;
		}
		row.label = aud_csv_field(csv, il, &row.label_len);
		row.pred = aud_csv_field(csv, ip, &row.pred_len);
		if (binary_metric(o->metric) &&
		    note_label(j, csv, il, row.label, row.label_len, err) < 0)
			return err->code;
		if (j->regression && (aud_csv_number(&row.label_num, csv, il, err) < 0 ||
		    aud_csv_number(&row.pred_num, csv, ip, err) < 0))
			return err->code;
		if (o->score != NULL) {
			if (aud_csv_number(&row.score, csv, is, err) < 0)
				return err->code;
			if (!(row.score >= 0 && row.score <= 1)) {
				const char *f = aud_csv_field(csv, is, &i);

				return AUD_ERROR(err, AUD_EPARSE,
				    "%s:%llu:%llu: score '%.*s' in column '%s' is not in [0, 1]",
				    aud_csv_path(csv), (unsigned long long)aud_csv_line(csv),
				    (unsigned long long)aud_csv_column(csv, is),
				    (int)(i > 40 ? 40 : i), f, o->score);
			}
		}
		eligible = aud__slice_value(&v, o->metric, &row);
		if (j->d != NULL) {
			rc = aud__discover_add(j->d, csv, eligible, v, err);
			if (rc < 0)
				return rc;
		}
		if (!eligible)
			continue;
		add(&j->all, v);
		for (i = 0; i < j->nslices; i++)
			if (aud_rowexpr_eval(j->slices[i].e, csv))
				add(&j->slices[i].sum, v);
	}
	return rc;
}

static int
add_ci(cJSON *o, const char *key, double lo, double hi)
{
	cJSON *a = cJSON_AddArrayToObject(o, key);

	return a != NULL && cJSON_AddItemToArray(a, aud_json_number(lo)) &&
	    cJSON_AddItemToArray(a, aud_json_number(hi)) ? 0 : -1;
}

/* The members of one slice against its complement (docs/slice.md). */
int
aud__slice_put_cmp(cJSON *s, enum aud_slice_metric m, const struct aud__slice_sum *in,
    const struct aud__slice_sum *all, double level)
{
	struct aud__slice_cmp c;

	aud__slice_compare(&c, m, in, all, level);
	if (aud_json_add_number(s, "size", (double)in->n) == NULL ||
	    aud_json_add_number(s, "metric", c.metric) == NULL ||
	    add_ci(s, "ci", c.lo, c.hi) < 0 ||
	    aud_json_add_number(s, "complement_size", (double)(all->n - in->n)) == NULL ||
	    aud_json_add_number(s, "complement_metric", c.cmetric) == NULL ||
	    add_ci(s, "complement_ci", c.clo, c.chi) < 0 ||
	    aud_json_add_number(s, "effect", c.effect) == NULL ||
	    cJSON_AddStringToObject(s, "test", aud__slice_is_rate(m) ? "two-proportion z" :
	    "welch t") == NULL ||
	    aud_json_add_number(s, "statistic", c.statistic) == NULL ||
	    aud_json_add_number(s, "p_value", c.p_two) == NULL)
		return -1;
	return 0;
}

static int
put_params(cJSON *p, const struct aud_slice_job *j)
{
	const struct aud_slice_options *o = &j->o;
	cJSON *x;
	size_t i;

	if (cJSON_AddStringToObject(p, "label", o->label) == NULL ||
	    cJSON_AddStringToObject(p, "pred", o->pred) == NULL ||
	    (o->score != NULL ? cJSON_AddStringToObject(p, "score", o->score) :
	    cJSON_AddNullToObject(p, "score")) == NULL ||
	    cJSON_AddStringToObject(p, "task", o->task) == NULL ||
	    cJSON_AddStringToObject(p, "metric", aud__slice_metric_name(o->metric)) == NULL ||
	    cJSON_AddStringToObject(p, "positive", o->positive) == NULL)
		return -1;
	if (!o->discover) {
		x = cJSON_AddObjectToObject(p, "slices");
		for (i = 0; x != NULL && i < j->nslices; i++)
			if (cJSON_AddStringToObject(x, j->slices[i].name,
			    aud_rowexpr_text(j->slices[i].e)) == NULL)
				return -1;
		if (x == NULL)
			return -1;
	} else {
		x = cJSON_AddObjectToObject(p, "discover");
		if (x == NULL || aud_json_add_number(x, "max_degree", o->max_degree) == NULL ||
		    aud_json_add_number(x, "bins", o->bins) == NULL ||
		    aud_json_add_number(x, "min_size", (double)o->min_size) == NULL ||
		    aud_json_add_number(x, "fdr", o->fdr) == NULL ||
		    aud_json_add_number(x, "top", o->top) == NULL ||
		    aud_json_add_number(x, "max_values", o->max_values) == NULL)
			return -1;
		if ((o->columns != NULL ? aud_json_add_strings(x, "columns", o->columns,
		    o->ncolumns) : cJSON_AddNullToObject(x, "columns")) == NULL)
			return -1;
	}
	return aud_json_add_number(p, "ci", o->ci_level) == NULL ? -1 : 0;
}

static int
job_document(void *self, cJSON *params, cJSON *results, cJSON *warnings,
    struct aud_error *err)
{
	struct aud_slice_job *j = self;
	struct aud__slice_cmp c;
	cJSON *x, *s;
	char msg[600];
	size_t i;

	if (put_params(params, j) < 0)
		goto nomem;
	/* the whole sample as a slice with an empty complement */
	aud__slice_compare(&c, j->o.metric, &j->all, &j->all, j->o.ci_level);
	if (cJSON_AddStringToObject(results, "metric", aud__slice_metric_name(j->o.metric)) ==
	    NULL || cJSON_AddStringToObject(results, "worse",
	    aud__slice_lower_worse(j->o.metric) ? "lower" : "higher") == NULL ||
	    aud_json_add_number(results, "rows", (double)j->rows) == NULL ||
	    aud_json_add_number(results, "skipped", (double)j->skipped) == NULL)
		goto nomem;
	x = cJSON_AddObjectToObject(results, "overall");
	if (x == NULL || aud_json_add_number(x, "size", (double)j->all.n) == NULL ||
	    aud_json_add_number(x, "metric", c.metric) == NULL ||
	    add_ci(x, "ci", c.lo, c.hi) < 0)
		goto nomem;
	if (j->skipped > 0) {
		snprintf(msg, sizeof(msg), "%llu of %llu rows skipped: the label, prediction%s "
		    "is missing", (unsigned long long)j->skipped, (unsigned long long)j->rows,
		    j->o.score != NULL ? " or score" : "");
		if (!cJSON_AddItemToArray(warnings, cJSON_CreateString(msg)))
			goto nomem;
	}
	if (binary_metric(j->o.metric) && j->rows > j->skipped && !j->positive_seen) {
		snprintf(msg, sizeof(msg), "the positive label '%s' never occurs in '%s' "
		    "(--positive)", j->o.positive, j->o.label);
		if (!cJSON_AddItemToArray(warnings, cJSON_CreateString(msg)))
			goto nomem;
	}
	if (j->third_label) {
		snprintf(msg, sizeof(msg), "the label '%s' holds more than two values: %s counts "
		    "every label but '%s' as negative (one-vs-rest)", j->o.label,
		    aud__slice_metric_name(j->o.metric), j->o.positive);
		if (!cJSON_AddItemToArray(warnings, cJSON_CreateString(msg)))
			goto nomem;
	}
	if (j->d != NULL)
		return aud__discover_finish(j->d, results, warnings, err);
	x = cJSON_AddArrayToObject(results, "slices");
	for (i = 0; x != NULL && i < j->nslices; i++) {
		s = cJSON_CreateObject();
		if (s == NULL || !cJSON_AddItemToArray(x, s))
			goto nomem;
		if (cJSON_AddStringToObject(s, "name", j->slices[i].name) == NULL ||
		    cJSON_AddStringToObject(s, "expression", aud_rowexpr_text(j->slices[i].e)) ==
		    NULL || aud__slice_put_cmp(s, j->o.metric, &j->slices[i].sum, &j->all,
		    j->o.ci_level) < 0)
			goto nomem;
		if (j->slices[i].sum.n == 0) {
			snprintf(msg, sizeof(msg), "slice '%s' has no eligible row: its metric is "
			    "undefined", j->slices[i].name);
			if (!cJSON_AddItemToArray(warnings, cJSON_CreateString(msg)))
				goto nomem;
		} else if (j->slices[i].sum.n == j->all.n) {
			snprintf(msg, sizeof(msg), "slice '%s' holds every eligible row: it has no "
			    "complement to be compared with", j->slices[i].name);
			if (!cJSON_AddItemToArray(warnings, cJSON_CreateString(msg)))
				goto nomem;
		}
	}
	if (x == NULL)
		goto nomem;
	return 0;
nomem:
	return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
}

/* ---- checks ---- */

static const char *const slice_keys[] = { "effect", "metric", "p_value", NULL };

static int
known(const struct aud_expr *e)
{
	const char *a = aud_expr_part(e, 0);
	size_t i;

	if (aud_expr_depth(e) != 2)
		return 0;
	if (strcmp(a, "slices") == 0) {
		for (i = 0; slice_keys[i] != NULL; i++)
			if (strcmp(aud_expr_part(e, 1), slice_keys[i]) == 0)
				return 1;
		return 0;
	}
	if (aud_expr_scope(e) != NULL)
		return 0;
	return (strcmp(a, "overall") == 0 && strcmp(aud_expr_part(e, 1), "metric") == 0) ||
	    (strcmp(a, "discovery") == 0 && strcmp(aud_expr_part(e, 1), "significant") == 0);
}

static int
resolve(const cJSON *results, const struct aud_expr *e, struct aud_check_sink *sink,
    const void *payload, struct aud_error *err)
{
	struct aud_check_value v = { NAN, NULL, NULL, "slice", NULL, NULL };
	const char *scope = aud_expr_scope(e), *key = aud_expr_part(e, 1), *name;
	const cJSON *s;
	int matched = 0, rc;

	(void)payload;
	if (strcmp(aud_expr_part(e, 0), "slices") != 0) {
		v.subject_key = NULL;
		v.value = aud_json_num(aud_json_get(results, aud_expr_part(e, 0)), key);
		return aud_check_emit(sink, &v, err);
	}
	cJSON_ArrayForEach(s, aud_json_get(results, "slices")) {
		name = aud_json_str(s, "name");
		if (name == NULL)
			name = aud_json_str(s, "description");
		if (name == NULL)
			name = "?";
		if (scope != NULL && strcmp(scope, name) != 0)
			continue;
		matched = 1;
		v.subject = name;
		v.value = aud_json_num(s, key);
		rc = aud_check_emit(sink, &v, err);
		if (rc < 0)
			return rc;
	}
	if (scope != NULL && !matched)
		return AUD_ERROR(err, AUD_EINVAL, "check '%s': no slice '%s'", aud_expr_text(e),
		    scope);
	return 0;
}

static void
job_checks(void *self, struct aud_check_resolver *out)
{
	(void)self;
	out->known = known;
	out->resolve = resolve;
	out->reported = NULL;
	out->payload = NULL;
}

const struct aud_job_ops aud_slice_job_ops = {
	"audit.slice/1",
	job_read,
	NULL,
	job_document,
	job_checks,
	aud_slice_write,
	0, NULL, NULL, NULL
};
