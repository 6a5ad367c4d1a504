/*
 * fairtask.h — group metrics of multi-class classifiers and regression models
 * (audit-fair --task multiclass|regression).
 *
 * The groups are formed exactly as audit-fair's binary task forms them
 * (fairness.h): each protected column (numeric ones cut by their bins), the
 * intersection of all of them (intersect), the missing value as the group
 * "(missing)", groups in descending count, ties by name, the reference the
 * largest group unless chosen, small groups marked and kept.
 *
 * multiclass: per cell (combination of protected values) the counts of
 * every (label, prediction) pair; the classes are every value seen in either
 * column, in byte order. Per group and overall: the confusion matrix,
 * accuracy, balanced accuracy and the macro means of precision, recall and
 * F1 as scikit-learn defines them, and per class support, recall, precision,
 * F1 and selection rate. regression: each row's prediction, label and cell
 * (20 bytes a row); per group and overall the means of prediction and label,
 * MAE, MSE, RMSE, R² and the group loss (the mean squared error of
 * Fairlearn's bounded group loss).
 *
 * Intervals: Wilson for accuracy and the per-class rates, Student t for the
 * two regression means, the percentile bootstrap for the others and for the
 * summaries (differences and ratios between groups, as Fairlearn's
 * MetricFrame.difference() and .ratio()). A group's replicates come from its
 * own random stream (rng.h), so they do not depend on the number of threads.
 * Undefined values are JSON null, with a warning.
 *
 * Use: aud_fairtask_new(); aud_fairtask_read_csv() (or aud_fairtask_add_row()
 * per row); aud_fairtask_finish() fills the "results" object;
 * aud_fairtask_check_resolver() gives its check paths; aud_fairtask_write()
 * prints a document as table, md or csv.
 */
#ifndef AUDIT_FAIRTASK_H
#define AUDIT_FAIRTASK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include <audit/check.h>
#include <audit/error.h>
#include <audit/expr.h>
#include <audit/fairness.h>
#include <audit/progress.h>
#include <audit/text.h>

#ifdef __cplusplus
extern "C" {
#endif

struct aud_csv;

/** The kind of model audited. */
enum aud_fairtask_kind {
	AUD_FAIRTASK_MULTICLASS = 1,   /**< labels and predictions are classes (texts) */
	AUD_FAIRTASK_REGRESSION = 2    /**< labels and predictions are numbers */
};

/** Options. Strings and arrays are borrowed for the object's lifetime. */
struct aud_fairtask_options {
	enum aud_fairtask_kind task;
	const char *const *protected;   /**< protected column names */
	size_t nprotected;              /**< >= 1 */
	const struct aud_fairness_bins *bins;
	size_t nbins;
	const struct aud_fairness_reference *refs;
	size_t nrefs;
	int intersect;                  /**< add the intersection of all protected columns */
	double ci_level;                /**< in (0, 1) */
	unsigned int bootstrap;         /**< replicates; 0: no bootstrap intervals */
	uint64_t seed;
	uint64_t min_group_size;        /**< groups smaller are marked "small" */
	unsigned int threads;           /**< bootstrap threads; 0 counts as 1 */
};
#define AUD_FAIRTASK_OPTIONS_INIT { AUD_FAIRTASK_MULTICLASS, NULL, 0, NULL, 0, NULL, 0, 0, \
	0.95, 1000, 42, 30, 1 }

/** One row, already split into its parts. */
struct aud_fairtask_row {
	const char *const *values;  /**< nprotected protected values; NULL = missing */
	const size_t *lens;         /**< their lengths */
	const char *label;          /**< multiclass: the label's text */
	size_t label_len;
	const char *pred;           /**< multiclass: the prediction's text */
	size_t pred_len;
	double ylabel, ypred;       /**< regression: the numbers (finite) */
};

struct aud_fairtask;

/**
 * A new accumulator.
 * @param[out] out caller owns; free with aud_fairtask_free()
 * @return 0, AUD_ENOMEM, AUD_EINVAL (inconsistent options: bins for a column
 * that is not protected, a column given twice)
 */
int aud_fairtask_new(struct aud_fairtask **out, const struct aud_fairtask_options *opts,
    struct aud_error *err);

/** Free. NULL is allowed. */
void aud_fairtask_free(struct aud_fairtask *t);

/**
 * Add one row.
 * @return 0, AUD_ENOMEM, AUD_EINVAL (a regression number that is not
 * finite), AUD_EPARSE (as aud_fairness_add_row(): the protected values; more
 * than 1000 classes)
 */
int aud_fairtask_add_row(struct aud_fairtask *t, const struct aud_fairtask_row *row,
    struct aud_error *err);

/**
 * Read every remaining record of a CSV reader: find the label, prediction
 * and protected columns and add the rows. A row whose label or prediction is
 * missing (an NA token) is skipped and counted (a warning at finish).
 * Regression: a label or prediction that is not a number is an error at its
 * position. `progress` (may be NULL) hears of the bytes read.
 * @return 0, AUD_ENOTFOUND (unknown column), AUD_EPARSE ("PATH:LINE:COL: ..."),
 * AUD_EIO, AUD_ENOMEM
 */
int aud_fairtask_read_csv(struct aud_fairtask *t, struct aud_csv *csv, const char *label,
    const char *pred, const struct aud_progress_cb *progress, struct aud_error *err);

/** Rows added so far (not counting skipped ones). */
uint64_t aud_fairtask_rows(const struct aud_fairtask *t);

/**
 * Compute everything and fill `results` (the envelope's "results") with the
 * layout json.md documents; append warnings (strings) to `warnings`.
 * @return 0, AUD_ENOMEM, AUD_EINVAL (unknown --reference attribute or
 * group), AUD_EPARSE (no rows; the bootstrap's replicates over 1 GiB)
 */
int aud_fairtask_finish(struct aud_fairtask *t, cJSON *results, cJSON *warnings,
    struct aud_error *err);

/**
 * Check that an expression names a quantity of a task's results: a summary
 * key (`accuracy_difference`, `macro_f1_ratio`, `mae_difference`,
 * `bounded_group_loss`, ...), `disparity.<metric>.ratio|difference`,
 * `metrics.<metric>` (per group) or `overall.<metric>`.
 * @return 0 or AUD_EPARSE ("unknown metric 'x' in check '...' (...)")
 */
int aud_fairtask_expr_validate(enum aud_fairtask_kind task, const struct aud_expr *e,
    struct aud_error *err);

/**
 * The check resolver of a task's results (check.h): paths as
 * aud_fairtask_expr_validate() lists them; a scope names an attribute;
 * overall paths take none; per-group paths give one value per group
 * (disparities skip the reference group).
 * @param task borrowed; must outlive the resolver
 */
void aud_fairtask_check_resolver(struct aud_check_resolver *out,
    const enum aud_fairtask_kind *task);

/**
 * Write a whole audit.fairness-multiclass/1 or audit.fairness-regression/1
 * document for people: table (aligned text), md (Markdown) or csv (one row
 * per group and metric), from the document alone.
 * @return 0, AUD_ENOMEM, AUD_EPARSE (not such a document), AUD_EOUTPUT
 */
int aud_fairtask_write(const cJSON *doc, enum aud_format format, FILE *f,
    struct aud_error *err);

/* ---- As a job (job.h) --------------------------------------------------------- */

struct aud_job_ops;

/** audit-fair --task multiclass|regression: the accumulator with its columns. */
struct aud_fairtask_job;

/**
 * A new job. `opts`, `label`, `pred` and what they point to are borrowed for
 * the job's lifetime.
 * @param[out] out caller owns; free with aud_fairtask_job_free()
 * @return 0, AUD_EINVAL (no label or prediction; as aud_fairtask_new()), AUD_ENOMEM
 */
int aud_fairtask_job_new(struct aud_fairtask_job **out,
    const struct aud_fairtask_options *opts, const char *label, const char *pred,
    struct aud_error *err);

/** Free. NULL is allowed. */
void aud_fairtask_job_free(struct aud_fairtask_job *j);

/** The operations of the two tasks (schemas audit.fairness-multiclass/1, -regression/1). */
extern const struct aud_job_ops aud_fairtask_multiclass_job_ops;
extern const struct aud_job_ops aud_fairtask_regression_job_ops;

#ifdef __cplusplus
}
#endif
#endif
