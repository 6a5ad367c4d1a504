/*
 * predict.h — score a CSV with a model, streaming (audit-predict).
 *
 * Every input row is copied as it stands in the input and the model's result
 * is appended: the score and, for a classifier, the decision (1 when the
 * score is at least the threshold, 0 below it, empty when the model gives no
 * score for the row); or, with `all_outputs`, the model's full result as the
 * PMML document declares it. Rows are read, scored and written one batch at
 * a time, so memory does not grow with the number of rows.
 *
 *     struct aud_predict_options o = AUD_PREDICT_OPTIONS_INIT;
 *     o.pmml = "model.pmml";
 *     aud_predict_validate(&o, err);
 *     aud_csv_open(&csv, path, &csv_options, err);
 *     aud_predict_model_open(&m, csv, &o, err);
 *     aud_predict_write(f, m, csv, &o, NULL, NULL, err);
 *
 * The module never prints: a condition worth a warning (the appended names
 * repeat an input column's) is a question the caller asks.
 */
#ifndef AUDIT_PREDICT_H
#define AUDIT_PREDICT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <audit/csv.h>
#include <audit/error.h>
#include <audit/progress.h>
#include <audit/model.h>

#ifdef __cplusplus
extern "C" {
#endif

struct aud_mit_policy;

/** Rows per batch when the options give none: a model command's default... */
#define AUD_PREDICT_BATCH_COMMAND 100000
/** ...and a PMML model's. */
#define AUD_PREDICT_BATCH_PMML 4096

/** What to score with and what to append. */
struct aud_predict_options {
	const char *pmml;              /**< the PMML model's path, or NULL */
	const char *command;           /**< the model command, or NULL (exactly one is set) */
	const char *const *columns;    /**< command: the columns it receives (NULL: all) */
	size_t ncolumns;
	const char *columns_option;    /**< how the user named `columns`, for messages */
	struct aud_model_open_options model; /**< positive, batch size, timeout, on_child */
	const char *score_col;         /**< the score column's name ("score") */
	const char *pred_col;          /**< the decision column's name ("pred") */
	double threshold;              /**< positive when score >= threshold (0.5) */
	int all_outputs;               /**< append the model's full result (PMML only) */
	/**
	 * A mitigation policy (mitigate_job.h; borrowed), or NULL: appends
	 * pred_mitigated and p_mitigated after the decision, as
	 * aud_mit_apply_write() does with the written score, row i drawing from
	 * the stream (seed, i). A classifier only.
	 */
	const struct aud_mit_policy *policy;
	uint64_t seed;                 /**< the policy's draws (42) */
};
#define AUD_PREDICT_OPTIONS_INIT { NULL, NULL, NULL, 0, "--model-columns", \
	AUD_MODEL_OPEN_OPTIONS_INIT, "score", "pred", 0.5, 0, NULL, 42 }

/**
 * Check the options before anything is opened: exactly one of pmml and
 * command, columns only with a command, non-empty column names.
 * @return 0 or AUD_EINVAL (a usage error; err says which)
 */
int aud_predict_validate(const struct aud_predict_options *opts, struct aud_error *err);

/**
 * Open the model of `opts`. A command receives the columns `opts->columns`
 * of `csv` (every column when NULL), in that order, as text as they stand.
 * @param csv  the opened input (its header names the columns)
 * @param[out] out  caller owns; free with aud_model_free()
 * @return 0, AUD_ENOTFOUND / AUD_EPARSE (unknown column), AUD_EINVAL
 *   (all_outputs without a PMML model, a positive class the model lacks),
 *   or aud_model_open()'s codes
 */
int aud_predict_model_open(struct aud_model **out, struct aud_csv *csv,
    const struct aud_predict_options *opts, struct aud_error *err);

/**
 * Whether the score column (or, for a classifier, the decision column)
 * already names a column of the input: readers would see the appended one
 * as NAME.1. Never true with all_outputs.
 * @return 1 or 0
 */
int aud_predict_name_clash(const struct aud_csv *csv, const struct aud_model *m,
    const struct aud_predict_options *opts);

/**
 * Write the header line (the input's columns, then the appended ones) and
 * every row of `csv` scored by `m`, in the input's separator. A model's
 * complaint about a row ("row N: ...") is rewritten as "PATH:LINE: ...".
 * @param progress  told after each batch ("predict", bytes): the input bytes
 *   read so far and the input's size (0: unknown); may be NULL
 * @return 0, AUD_EOUTPUT (write error), AUD_EINVAL (a policy with a regression
 *   model), AUD_EPARSE ("PATH:LINE:COL: group 'x' is not in the policy"),
 *   AUD_EMODEL (a score outside [0, 1] with a policy), or the reader's and the
 *   model's codes
 */
int aud_predict_write(FILE *f, const struct aud_model *m, struct aud_csv *csv,
    const struct aud_predict_options *opts, const struct aud_progress_cb *progress,
    struct aud_error *err);

#ifdef __cplusplus
}
#endif
#endif
