/* fairness_json.c — the results as JSON: overall, per attribute, per group. */
#include <math.h>

#include <audit/fairness.h>

#include <audit/json.h>

#include "fairness_impl.h"

/* ---- JSON ---- */

static cJSON *
pair(double lo, double hi)
{
	cJSON *a = cJSON_CreateArray();

	if (a == NULL)
		return NULL;
	if (!cJSON_AddItemToArray(a, aud_json_number(lo)) ||
	    !cJSON_AddItemToArray(a, aud_json_number(hi))) {
		cJSON_Delete(a);
		return NULL;
	}
	return a;
}

int
aud__fair_add_pair(cJSON *o, const char *key, double lo, double hi)
{
	cJSON *p = pair(lo, hi);

	if (p == NULL)
		return -1;
	if (!cJSON_AddItemToObject(o, key, p)) {
		cJSON_Delete(p);
		return -1;
	}
	return 0;
}

/* metrics of a group into obj (flat) */
static int
put_metrics(const struct aud_fairness *f, cJSON *obj, const double *m)
{
	int k;

	for (k = 0; k < AUD__NMET; k++) {
		if (k >= AUD__M_AUC && !f->o.has_score)
			continue;
		if (aud_json_add_number(obj, aud__metrics[k].key, m[k]) == NULL)
			return -1;
	}
	return 0;
}

static int
put_ci(const struct aud_fairness *f, cJSON *obj, const double *lo, const double *hi)
{
	int k;

	for (k = 0; k < AUD__NMET; k++)
		if (aud__fair_has_ci(f, k) && aud__fair_add_pair(obj, aud__metrics[k].key, lo[k], hi[k]) < 0)
			return -1;
	return 0;
}

/*
 * The majority class of every row (positive when the positive labels weigh
 * more; a tie is the negative class): the classifier that always predicts it
 * is the baseline a model's accuracy is compared with.
 */
static int
majority_positive(const struct fin *fi)
{
	const double *w = fi->at[fi->nat - 1].g[0].a.w;

	return w[4] + w[5] + w[6] + w[7] > w[0] + w[1] + w[2] + w[3];
}

/* The share of a group's (weighted) rows whose label is the overall majority class. */
static double
baseline_accuracy(const struct fin *fi, const struct acc *a)
{
	const double *w = a->w;
	double p = w[4] + w[5] + w[6] + w[7], q = w[0] + w[1] + w[2] + w[3];

	return aud__fair_ratio(majority_positive(fi) ? p : q, p + q);
}

/*
 * "confusion": TP, FP, FN, TN against the positive value (sums of weights in
 * the input's unit with --weights, as scikit-learn's confusion_matrix with
 * sample_weight gives them), and with --weights "confusion_rows": the same as
 * row counts.
 */
static int
put_confusion(const struct aud_fairness *f, cJSON *obj, const struct acc *a)
{
	static const char *const key[4] = { "tp", "fp", "fn", "tn" };
	static const int cell[4] = { 6, 2, 4, 0 };   /* label << 2 | pred << 1 */
	cJSON *c = cJSON_AddObjectToObject(obj, "confusion"), *r = NULL;
	int i;

	if (c == NULL)
		return -1;
	if (f->o.has_weights && (r = cJSON_AddObjectToObject(obj, "confusion_rows")) == NULL)
		return -1;
	for (i = 0; i < 4; i++) {
		double w = a->w[cell[i]] + a->w[cell[i] + 1];
		uint64_t n = a->n[cell[i]] + a->n[cell[i] + 1];

		if (aud_json_add_number(c, key[i], f->o.has_weights ? aud__fair_real_weight(f, w) :
		    (double)n) == NULL)
			return -1;
		if (r != NULL && aud_json_add_number(r, key[i], (double)n) == NULL)
			return -1;
	}
	return 0;
}

/* An intersection's group: its "columns" and raw "values" (the missing one null). */
int
aud__fair_group_columns(cJSON *o, const struct aud_fairness *f, const struct attr *at,
    const struct group *g)
{
	cJSON *cols, *vals;
	size_t c;

	if (at->ncols <= 1)
		return 0;
	cols = cJSON_AddArrayToObject(o, "columns");
	vals = cJSON_AddArrayToObject(o, "values");
	if (cols == NULL || vals == NULL)
		return -1;
	for (c = 0; c < at->ncols; c++) {
		const struct column *col = &f->cols[at->cols[c]];

		if (!cJSON_AddItemToArray(cols, cJSON_CreateString(col->name)) ||
		    !cJSON_AddItemToArray(vals, (int64_t)g->vals[c] == col->missing_id ?
		    cJSON_CreateNull() : cJSON_CreateString(col->str[g->vals[c]])))
			return -1;
	}
	return 0;
}

/*
 * The calibration bins of a set of rows (with scores): NECE equal bins of the
 * score, [lo, hi) but the last [0.9, 1]; per bin its rows, the (weighted)
 * mean score and the (weighted) observed positive rate, null when empty.
 * The bins of the ECE; the report draws them as a reliability diagram.
 */
static int
put_calibration(const struct aud_fairness *f, cJSON *o, const struct acc *a)
{
	cJSON *arr = cJSON_AddArrayToObject(o, "calibration");
	size_t b;

	if (arr == NULL)
		return -1;
	for (b = 0; b < NECE; b++) {
		cJSON *bin = cJSON_CreateObject();
		double w = a->ece_w[b];

		if (bin == NULL || !cJSON_AddItemToArray(arr, bin))
			return cJSON_Delete(bin), -1;
		if (aud_json_add_number(bin, "lo", (double)b / NECE) == NULL ||
		    aud_json_add_number(bin, "hi", (double)(b + 1) / NECE) == NULL ||
		    aud_json_add_number(bin, "count", (double)a->ece_n[b]) == NULL ||
		    (f->o.has_weights && aud_json_add_number(bin, "weight",
		    aud__fair_real_weight(f, w)) == NULL) ||
		    aud_json_add_number(bin, "mean_score", w > 0 ? a->ece_ws[b] / w : NAN) == NULL ||
		    aud_json_add_number(bin, "observed_rate", w > 0 ? a->ece_wy[b] / w : NAN) == NULL)
			return -1;
	}
	return 0;
}

static cJSON *
group_json(const struct fin *fi, const struct attr *at, const struct group *g)
{
	const struct aud_fairness *f = fi->f;
	cJSON *o = cJSON_CreateObject(), *x;
	int k, boot = f->o.ci_method == AUD_CI_BOOTSTRAP;

	if (o == NULL)
		return NULL;
	if (cJSON_AddStringToObject(o, "group", g->name) == NULL)
		goto fail;
	if (aud__fair_group_columns(o, f, at, g) < 0)
		goto fail;
	if (aud_json_add_number(o, "count", (double)g->count) == NULL)
		goto fail;
	if (f->o.has_weights && aud_json_add_number(o, "weight", aud__fair_real_weight(f, aud__fair_acc_weight(&g->a))) == NULL)
		goto fail;
	if (put_confusion(f, o, &g->a) < 0)
		goto fail;
	x = cJSON_AddObjectToObject(o, "metrics");
	if (x == NULL || put_metrics(f, x, g->m) < 0 ||
	    aud_json_add_number(x, "baseline_accuracy", baseline_accuracy(fi, &g->a)) == NULL)
		goto fail;
	if (f->o.has_score && f->hist_bins > 0 && !f->exact &&
	    aud_json_add_number(o, "auc_bin_error", g->auc_bin_error) == NULL)
		goto fail;
	if (f->o.has_score && put_calibration(f, o, &g->a) < 0)
		goto fail;
	x = cJSON_AddObjectToObject(o, "ci");
	if (x == NULL || put_ci(f, x, g->lo, g->hi) < 0)
		goto fail;
	x = cJSON_AddObjectToObject(o, "disparity");
	if (x == NULL)
		goto fail;
	for (k = 0; k < AUD__NRATE; k++) {
		cJSON *d = cJSON_AddObjectToObject(x, aud__metrics[k].key);

		if (d == NULL || aud_json_add_number(d, "ratio", g->dr[k]) == NULL ||
		    aud_json_add_number(d, "difference", g->dd[k]) == NULL)
			goto fail;
		if (boot && (aud__fair_add_pair(d, "ratio_ci", g->drlo[k], g->drhi[k]) < 0 ||
		    aud__fair_add_pair(d, "difference_ci", g->ddlo[k], g->ddhi[k]) < 0))
			goto fail;
	}
	if (cJSON_AddBoolToObject(o, "small", g->small) == NULL)
		goto fail;
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

static cJSON *
attr_json(const struct fin *fi, const struct attr *at)
{
	const struct aud_fairness *f = fi->f;
	cJSON *o = cJSON_CreateObject(), *x, *arr;
	size_t i, c;
	int k, nsum = at->ngroups == 2 ? AUD__NSUM : AUD__NSUM_ALL;

	if (o == NULL)
		return NULL;
	if (cJSON_AddStringToObject(o, "attribute", at->name) == NULL)
		goto fail;
	x = cJSON_AddArrayToObject(o, "columns");
	if (x == NULL)
		goto fail;
	for (c = 0; c < at->ncols; c++)
		if (!cJSON_AddItemToArray(x, cJSON_CreateString(f->cols[at->cols[c]].name)))
			goto fail;
	for (c = 0; c < at->ncols; c++) {
		const struct column *col = &f->cols[at->cols[c]];
		cJSON *bins, *e;
		size_t j;

		if (!col->binned)
			continue;
		bins = cJSON_GetObjectItemCaseSensitive(o, "bins");
		if (bins == NULL)
			bins = cJSON_AddObjectToObject(o, "bins");
		e = bins ? cJSON_AddArrayToObject(bins, col->name) : NULL;
		if (e == NULL)
			goto fail;
		for (j = 0; j < col->nedges; j++)
			if (!cJSON_AddItemToArray(e, aud_json_number(col->edges[j])))
				goto fail;
		if (col->right) {
			/* right-closed bins (edges written <=E): said, the edges alone do not tell */
			cJSON *cl = cJSON_GetObjectItemCaseSensitive(o, "closed");

			if (cl == NULL)
				cl = cJSON_AddObjectToObject(o, "closed");
			if (cl == NULL || cJSON_AddStringToObject(cl, col->name, "right") == NULL)
				goto fail;
		}
	}
	if (cJSON_AddStringToObject(o, "reference", at->g[at->ref].name) == NULL)
		goto fail;
	x = cJSON_AddObjectToObject(o, "summary");
	if (x == NULL)
		goto fail;
	for (k = 0; k < nsum; k++)
		if (aud_json_add_number(x, aud__summaries[k].key, at->s[k]) == NULL)
			goto fail;
	if (f->o.ci_method == AUD_CI_BOOTSTRAP) {
		x = cJSON_AddObjectToObject(o, "summary_ci");
		if (x == NULL)
			goto fail;
		for (k = 0; k < nsum; k++)
			if (aud__fair_add_pair(x, aud__summaries[k].key, at->slo[k], at->shi[k]) < 0)
				goto fail;
	}
	x = cJSON_AddObjectToObject(o, "tests");
	if (x == NULL)
		goto fail;
	for (k = 0; k < AUD__NTEST; k++) {
		cJSON *t = cJSON_AddObjectToObject(x, aud__tests[k]);

		if (t == NULL || cJSON_AddStringToObject(t, "test", "chi2") == NULL ||
		    aud_json_add_number(t, "statistic", at->tests[k].statistic) == NULL ||
		    cJSON_AddNumberToObject(t, "dof", (double)at->tests[k].dof) == NULL ||
		    aud_json_add_number(t, "p_value", at->tests[k].p_value) == NULL)
			goto fail;
	}
	arr = cJSON_AddArrayToObject(o, "groups");
	if (arr == NULL)
		goto fail;
	for (i = 0; i < at->ngroups; i++) {
		cJSON *g = group_json(fi, at, &at->g[i]);

		if (g == NULL || !cJSON_AddItemToArray(arr, g)) {
			cJSON_Delete(g);
			goto fail;
		}
	}
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

int
aud__fair_results_json(const struct fin *fi, cJSON *res)
{
	const struct aud_fairness *f = fi->f;
	const struct attr *ov = &fi->at[fi->nat - 1];
	const struct group *g = &ov->g[0];
	cJSON *x, *arr;
	size_t a;

	if (cJSON_AddStringToObject(res, "positive", f->o.positive) == NULL ||
	    cJSON_AddStringToObject(res, "favorable", f->o.favorable) == NULL ||
	    cJSON_AddStringToObject(res, "ci_method",
	    f->o.ci_method == AUD_CI_BOOTSTRAP ? "bootstrap" : "wilson") == NULL ||
	    aud_json_add_number(res, "ci_level", f->o.ci_level) == NULL ||
	    cJSON_AddStringToObject(res, "majority_class",
	    majority_positive(fi) ? "positive" : "negative") == NULL)
		return -1;
	x = cJSON_AddObjectToObject(res, "overall");
	if (x == NULL || aud_json_add_number(x, "count", (double)g->count) == NULL)
		return -1;
	if (f->o.has_weights && aud_json_add_number(x, "weight", aud__fair_real_weight(f, aud__fair_acc_weight(&g->a))) == NULL)
		return -1;
	if (put_confusion(f, x, &g->a) < 0)
		return -1;
	if (put_metrics(f, x, g->m) < 0 ||
	    aud_json_add_number(x, "baseline_accuracy", baseline_accuracy(fi, &g->a)) == NULL)
		return -1;
	if (f->o.has_score && f->hist_bins > 0 && !f->exact &&
	    aud_json_add_number(x, "auc_bin_error", g->auc_bin_error) == NULL)
		return -1;
	x = cJSON_AddObjectToObject(res, "overall_ci");
	if (x == NULL || put_ci(f, x, g->lo, g->hi) < 0)
		return -1;
	arr = cJSON_AddArrayToObject(res, "attributes");
	if (arr == NULL)
		return -1;
	for (a = 0; a + 1 < fi->nat; a++) {
		cJSON *o = attr_json(fi, &fi->at[a]);

		if (o == NULL || !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			return -1;
		}
	}
	return 0;
}
