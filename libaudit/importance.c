/*
 * importance.c — permutation feature importance and the metrics it uses.
 * See importance.h.
 */
#include <audit/importance.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/rng.h>
#include <audit/stats.h>

#include "parallel.h"

static const char *const metric_names[AUD_NMETRICS] = { "accuracy", "auc", "log_loss" };

const char *
aud_metric_name(enum aud_metric m)
{
	return (unsigned)m < AUD_NMETRICS ? metric_names[m] : "?";
}

int
aud_metric_parse(enum aud_metric *out, const char *s, struct aud_error *err)
{
	size_t i;

	for (i = 0; i < AUD_NMETRICS; i++)
		if (strcmp(s, metric_names[i]) == 0) {
			*out = (enum aud_metric)i;
			return 0;
		}
	return AUD_ERROR(err, AUD_EINVAL,
	    "unknown metric '%s' (accuracy, auc, log_loss)", s);
}

double
aud_metric_accuracy(const double *score, const unsigned char *y, size_t n,
    double threshold)
{
	size_t i, right = 0;

	for (i = 0; i < n; i++) {
		if (isnan(score[i]))
			return NAN;
		right += (score[i] >= threshold) == (y[i] != 0);
	}
	return n > 0 ? (double)right / (double)n : NAN;
}

int
aud_metric_auc(double *out, const double *score, const unsigned char *y, size_t n,
    struct aud_error *err)
{
	return aud_stats_auc(out, score, y, n, err);
}

double
aud_metric_log_loss(const double *score, const unsigned char *y, size_t n)
{
	size_t i;
	double sum = 0.0;

	for (i = 0; i < n; i++) {
		double p = score[i];

		if (isnan(p))
			return NAN;
		if (!(p >= 1e-15))
			p = 1e-15;
		if (p > 1.0 - 1e-15)
			p = 1.0 - 1e-15;
		sum -= y[i] ? log(p) : log(1.0 - p);
	}
	return n > 0 ? sum / (double)n : NAN;
}

static int
metrics(double out[AUD_NMETRICS], const double *score, const unsigned char *y,
    size_t n, double threshold, struct aud_error *err)
{
	out[AUD_METRIC_ACCURACY] = aud_metric_accuracy(score, y, n, threshold);
	out[AUD_METRIC_LOG_LOSS] = aud_metric_log_loss(score, y, n);
	return aud_metric_auc(&out[AUD_METRIC_AUC], score, y, n, err);
}

/* ---- permutation importance ---- */

struct perm_job {
	const struct aud_model *m;
	const struct aud_batch *x;
	const unsigned char *y;
	const struct aud_perm_options *o;
	long *col;                     /* per model feature: its batch column */
	struct aud_batch **copies;     /* per thread */
	double **scores;               /* per thread */
	size_t **perm;                 /* per thread */
	struct aud_rng **rngs;         /* per thread */
	struct aud_perm_result *r;
};

/* Task t: feature t / repeats, repeat t % repeats. */
static int
perm_task(void *payload, size_t thread, size_t t, struct aud_error *err)
{
	struct perm_job *J = payload;
	size_t R = J->o->repeats, j = t / R, n = J->x->nrows, i, k;
	struct aud_batch *b = J->copies[thread];
	const struct aud_column *src = &J->x->cols[J->col[j]];
	struct aud_column *dst = &b->cols[J->col[j]];
	size_t *perm = J->perm[thread];
	double got[AUD_NMETRICS], *drop;
	int rc;

	aud_rng_reseed(J->rngs[thread], J->o->seed, t);
	for (i = 0; i < n; i++)
		perm[i] = i;
	aud_rng_shuffle(J->rngs[thread], perm, n, sizeof(*perm));
	for (i = 0; i < n; i++) {
		if (src->kind == AUD_COL_NUMERIC)
			dst->num[i] = src->num[perm[i]];
		else
			dst->code[i] = src->code[perm[i]];
	}
	rc = aud_model_predict(J->m, b, J->scores[thread], NULL, err);
	/* restore the column for the thread's next task */
	if (src->kind == AUD_COL_NUMERIC)
		memcpy(dst->num, src->num, n * sizeof(double));
	else
		memcpy(dst->code, src->code, n * sizeof(int32_t));
	if (rc < 0)
		return rc;
	rc = metrics(got, J->scores[thread], J->y, n, J->o->threshold, err);
	if (rc < 0)
		return rc;
	drop = &J->r->drops[t * AUD_NMETRICS];
	for (k = 0; k < AUD_NMETRICS; k++)
		drop[k] = k == AUD_METRIC_LOG_LOSS ? got[k] - J->r->baseline[k] :
		    J->r->baseline[k] - got[k];
	return 0;
}

void
aud_perm_result_release(struct aud_perm_result *r)
{
	if (r == NULL)
		return;
	free(r->mean);
	free(r->sd);
	free(r->lo);
	free(r->hi);
	free(r->drops);
	memset(r, 0, sizeof(*r));
}

int
aud_permutation_importance(struct aud_perm_result *out, const struct aud_model *m,
    const struct aud_batch *x, const unsigned char *y,
    const struct aud_perm_options *opts, struct aud_error *err)
{
	static const struct aud_perm_options defaults = AUD_PERM_OPTIONS_INIT;
	struct perm_job J;
	size_t M = aud_model_nfeatures(m), n = x->nrows, T, i, j, k, R;
	double *base = NULL;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	memset(&J, 0, sizeof(J));
	if (opts == NULL)
		opts = &defaults;
	R = opts->repeats > 0 ? opts->repeats : 1;
	T = opts->threads > 0 ? opts->threads : 1;
	if (n == 0)
		return AUD_ERROR(err, AUD_EINVAL, "permutation importance needs rows");
	J.m = m;
	J.x = x;
	J.y = y;
	J.o = opts;
	J.r = out;
	out->nfeatures = M;
	out->repeats = R;
	J.col = calloc(M + 1, sizeof(*J.col));
	J.copies = calloc(T, sizeof(*J.copies));
	J.scores = calloc(T, sizeof(*J.scores));
	J.perm = calloc(T, sizeof(*J.perm));
	J.rngs = calloc(T, sizeof(*J.rngs));
	base = malloc(n * sizeof(*base));
	out->mean = calloc(M * AUD_NMETRICS + 1, sizeof(double));
	out->sd = calloc(M * AUD_NMETRICS + 1, sizeof(double));
	out->lo = calloc(M * AUD_NMETRICS + 1, sizeof(double));
	out->hi = calloc(M * AUD_NMETRICS + 1, sizeof(double));
	out->drops = calloc(M * R * AUD_NMETRICS + 1, sizeof(double));
	if (J.col == NULL || J.copies == NULL || J.scores == NULL || J.perm == NULL ||
	    J.rngs == NULL || base == NULL || out->mean == NULL || out->sd == NULL ||
	    out->lo == NULL || out->hi == NULL || out->drops == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (j = 0; j < M; j++) {
		J.col[j] = aud_batch_find(x, aud_model_feature(m, j)->name);
		if (J.col[j] < 0) {
			rc = AUD_ERROR(err, AUD_ENOTFOUND,
			    "the model's feature '%s' is not a column of the input",
			    aud_model_feature(m, j)->name);
			goto done;
		}
	}
	rc = aud_model_predict(m, x, base, NULL, err);
	if (rc < 0)
		goto done;
	rc = metrics(out->baseline, base, y, n, opts->threshold, err);
	if (rc < 0)
		goto done;
	for (i = 0; i < T; i++) {
		rc = aud_batch_clone(&J.copies[i], x, err);
		if (rc == 0)
			rc = aud_rng_new(&J.rngs[i], opts->seed, 0, err);
		if (rc < 0)
			goto done;
		J.scores[i] = malloc(n * sizeof(double));
		J.perm[i] = malloc(n * sizeof(size_t));
		if (J.scores[i] == NULL || J.perm[i] == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
	}
	rc = aud__parallel_for(T, M * R, perm_task, &J, &opts->progress, "permutation", err);
	if (rc < 0)
		goto done;
	for (j = 0; j < M; j++)
		for (k = 0; k < AUD_NMETRICS; k++) {
			double s = 0.0, ss = 0.0, mean, sd, half;
			size_t r;

			for (r = 0; r < R; r++)
				s += out->drops[(j * R + r) * AUD_NMETRICS + k];
			mean = s / (double)R;
			for (r = 0; r < R; r++) {
				double d = out->drops[(j * R + r) * AUD_NMETRICS + k] - mean;

				ss += d * d;
			}
			sd = R > 1 ? sqrt(ss / (double)(R - 1)) : NAN;
			half = aud_stats_t_half(sd, R, opts->level);
			out->mean[j * AUD_NMETRICS + k] = mean;
			out->sd[j * AUD_NMETRICS + k] = sd;
			out->lo[j * AUD_NMETRICS + k] = mean - half;
			out->hi[j * AUD_NMETRICS + k] = mean + half;
		}
done:
	if (J.copies != NULL)
		for (i = 0; i < T; i++) {
			aud_batch_free(J.copies[i]);
			free(J.scores[i]);
			free(J.perm[i]);
			aud_rng_free(J.rngs[i]);
		}
	free(J.col);
	free(J.copies);
	free(J.scores);
	free(J.perm);
	free(J.rngs);
	free(base);
	if (rc < 0)
		aud_perm_result_release(out);
	return rc;
}
