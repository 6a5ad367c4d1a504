/*
 * importance.h — model-agnostic global explanations: permutation feature
 * importance (Breiman 2001; scikit-learn's permutation_importance) and
 * partial dependence with ICE curves (Friedman 2001; Goldstein et al. 2015).
 *
 * Both evaluate the model through aud_model_predict() on whole batches and
 * split their work over threads by task (a feature and a repeat; a feature
 * and a grid value), each task drawing from its own random stream, so the
 * results do not depend on the thread count.
 */
#ifndef AUDIT_IMPORTANCE_H
#define AUDIT_IMPORTANCE_H

#include <stddef.h>
#include <stdint.h>

#include <audit/batch.h>
#include <audit/text.h>
#include <audit/error.h>
#include <audit/model.h>
#include <audit/progress.h>
#include <audit/shapley.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- metrics of a score against a 0/1 label ---- */

enum aud_metric { AUD_METRIC_ACCURACY = 0, AUD_METRIC_AUC = 1, AUD_METRIC_LOG_LOSS = 2 };
#define AUD_NMETRICS 3

/** "accuracy", "auc", "log_loss". */
const char *aud_metric_name(enum aud_metric m);
/** Parse a metric name. @return 0 or AUD_EINVAL */
int aud_metric_parse(enum aud_metric *out, const char *s, struct aud_error *err);

/** Fraction of rows where (score >= threshold) equals y; NAN when a score is NaN. */
double aud_metric_accuracy(const double *score, const unsigned char *y, size_t n,
    double threshold);
/**
 * ROC AUC: the probability that a positive row scores above a negative one,
 * ties counted half (Mann-Whitney). *out is NAN (undefined) when a class is
 * absent or when any score is NaN (a row the model could not score).
 * The same as aud_stats_auc(), under the metric's name.
 * @return 0 or AUD_ENOMEM
 */
int aud_metric_auc(double *out, const double *score, const unsigned char *y, size_t n,
    struct aud_error *err);
/**
 * Mean negative log-likelihood, probabilities clipped to [1e-15, 1 - 1e-15];
 * NAN when a score is NaN.
 */
double aud_metric_log_loss(const double *score, const unsigned char *y, size_t n);

/* ---- permutation importance ---- */

struct aud_perm_options {
	size_t repeats;        /**< permutations per feature (default 5) */
	uint64_t seed;
	double threshold;      /**< accuracy: predicted positive when score >= threshold (0.5) */
	double level;          /**< confidence level of the intervals (0.95) */
	unsigned threads;      /**< 0 or 1: no extra thread */
	struct aud_progress_cb progress; /**< "permutation" tasks (a feature and a repeat); fn may be NULL */
};
#define AUD_PERM_OPTIONS_INIT { 5, 42, 0.5, 0.95, 1, AUD_PROGRESS_CB_INIT }

/**
 * Per feature and metric: the drop in quality when the feature's column is
 * shuffled (baseline - permuted for accuracy and AUC, permuted - baseline
 * for log loss, so that larger is more important), over the repeats: mean,
 * standard deviation and a t interval of the mean (NAN bounds with one repeat).
 */
struct aud_perm_result {
	size_t nfeatures;
	size_t repeats;
	double baseline[AUD_NMETRICS];
	double *mean;          /**< nfeatures * AUD_NMETRICS */
	double *sd;
	double *lo, *hi;
	double *drops;         /**< nfeatures * repeats * AUD_NMETRICS, every permutation's drop */
};

/**
 * Permutation importance of the model's features (shuffling the batch
 * column each feature reads) for the score against labels y.
 * Permutation r of feature j uses random stream j * repeats + r of the seed.
 * @param x  the rows (all model features present)
 * @param y  x->nrows labels, 1 = positive
 * @param[out] out release with aud_perm_result_release()
 * @return 0, AUD_EINVAL (no rows), AUD_ENOTFOUND, AUD_EMODEL, AUD_ENOMEM
 */
int aud_permutation_importance(struct aud_perm_result *out, const struct aud_model *m,
    const struct aud_batch *x, const unsigned char *y,
    const struct aud_perm_options *opts, struct aud_error *err);
void aud_perm_result_release(struct aud_perm_result *r);

/* ---- partial dependence and ICE ---- */

struct aud_pdp_options {
	size_t grid;           /**< most grid points of a numeric feature (20) */
	enum aud_shap_output output;
	enum aud_shap_link link;
	unsigned threads;      /**< 0 or 1: no extra thread */
	struct aud_progress_cb progress; /**< "pdp" tasks (grid points); fn may be NULL */
};
#define AUD_PDP_OPTIONS_INIT { 20, AUD_OUTPUT_SCORE, AUD_LINK_IDENTITY, 1, AUD_PROGRESS_CB_INIT }

/**
 * One feature's curves. Grid: a numeric feature's distinct values among the
 * rows when there are at most `grid` of them, else `grid` quantiles
 * (linear interpolation, type 7) without repeats; a categorical feature's
 * values present among the rows, by text. ice[i * ngrid + g] is the output
 * of row i with the feature set to grid value g; pdp[g] their mean.
 */
struct aud_pdp_curve {
	long column;           /**< the batch column of the feature */
	int categorical;
	size_t ngrid;
	double *grid;          /**< numeric: values */
	int32_t *codes;        /**< categorical: dictionary codes of the column */
	size_t nrows;
	double *ice;           /**< nrows * ngrid */
	double *pdp;           /**< ngrid */
};

/**
 * Partial dependence and ICE of the feature in batch column `column`.
 * @param[out] out release with aud_pdp_curve_release()
 * @return 0, AUD_EINVAL (no rows, or no non-missing value), AUD_EMODEL, AUD_ENUMERIC, AUD_ENOMEM
 */
int aud_pdp_compute(struct aud_pdp_curve *out, const struct aud_model *m,
    const struct aud_batch *x, long column, const struct aud_pdp_options *opts,
    struct aud_error *err);
void aud_pdp_curve_release(struct aud_pdp_curve *c);

#ifdef __cplusplus
}
#endif
#endif
