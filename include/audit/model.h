/*
 * model.h — the model interface: a feature schema and batch prediction.
 *
 * audit-predict, audit-robust and audit-explain see models only through
 * this interface. A model is made by a loader (aud_pmml_load() in pmml.h,
 * aud_modelcmd_new() in modelcmd.h) and is immutable afterwards, so
 * aud_model_predict() may be called from several threads at once.
 *
 * The score: for a classifier the probability of the positive class;
 * for a regression model the predicted value. The margin: the output before
 * the model's final link (log-odds of a logistic regression or of a boosted
 * ensemble with a logit); for a model without a link the margin is the score.
 */
#ifndef AUDIT_MODEL_H
#define AUDIT_MODEL_H

#include <stddef.h>
#include <sys/types.h>

#include <audit/batch.h>
#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

struct aud_model;

enum aud_model_task { AUD_TASK_REGRESSION = 0, AUD_TASK_CLASSIFICATION = 1 };

/** One input feature the model reads (an active MiningField, or a command's input column). */
struct aud_feature {
	const char *name;
	enum aud_col_kind kind;          /**< NUMERIC or CATEGORICAL */
	size_t ncategories;              /**< declared valid values (categorical), may be 0 */
	const char *const *categories;
};

/** Free a model of any kind. NULL is allowed. */
void aud_model_free(struct aud_model *m);

/** Number of input features. */
size_t aud_model_nfeatures(const struct aud_model *m);
/** Feature i. Borrowed; valid until m is freed. */
const struct aud_feature *aud_model_feature(const struct aud_model *m, size_t i);
/** Index of the feature called name, or -1. */
long aud_model_find_feature(const struct aud_model *m, const char *name);

enum aud_model_task aud_model_task(const struct aud_model *m);
/** The positive class whose probability is the score (classifiers), else NULL. Borrowed. */
const char *aud_model_positive(const struct aud_model *m);
/** 1 when the model has a margin distinct from its score. */
int aud_model_has_margin(const struct aud_model *m);
/** A short description ("pmml RegressionModel", "command"). Borrowed. */
const char *aud_model_describe(const struct aud_model *m);

/**
 * Score every row of b. Columns are matched to features by name; a feature
 * absent from b is an error. For a categorical feature the batch column may be
 * categorical or numeric (its numbers are then matched as text).
 * @param score  b->nrows outputs
 * @param margin b->nrows outputs, or NULL
 * @return 0, AUD_ENOTFOUND (a feature has no column), AUD_EMODEL
 */
int aud_model_predict(const struct aud_model *m, const struct aud_batch *b,
    double *score, double *margin, struct aud_error *err);


/**
 * Told when a model's external process group starts and ends, e.g. so that a
 * tool's signal handler can end the groups still running when it is
 * interrupted (a command runs in a process group of its own, which a signal
 * sent to the tool alone does not reach).
 *
 * @param pgid     the process group (the id of its first process, `/bin/sh`)
 * @param running  1: it was just started; 0: it has ended (every process of
 *                 it was killed; its first process, not yet waited for, keeps
 *                 the id from being reused until the callback returns)
 * @param payload  as given with the callback
 *
 * It runs in the thread that predicts (several at once when predictions run
 * in parallel) and must not call back into the model.
 */
typedef void (*aud_model_child_fn)(pid_t pgid, int running, void *payload);

/** Seconds one invocation of a model command may take when no timeout is given. */
#define AUD_MODEL_TIMEOUT 600

/**
 * Options of aud_model_open(), the loader behind every tool's
 * `-m FILE.pmml` / `--model-cmd 'COMMAND'`.
 */
struct aud_model_open_options {
	const char *positive;        /**< --positive: class whose probability is the score (NULL: the model's default class) */
	size_t batch_size;           /**< rows per command invocation (0: 100000) */
	const char *const *columns;  /**< command models: input columns sent to the command, in order */
	const enum aud_col_kind *kinds; /**< command models: their kinds (NULL: numeric) */
	size_t ncolumns;
	double timeout;              /**< command models: seconds per invocation; 0: none */
	aud_model_child_fn on_child; /**< command models: told of each process group, or NULL */
	void *payload;               /**< given to on_child */
	int protocol;                /**< command models: an enum aud_modelcmd_protocol
	                                  (modelcmd.h); -1: not given (batch). Given with a
	                                  model file it is refused (AUD_EINVAL) */
};
#define AUD_MODEL_OPEN_OPTIONS_INIT { NULL, 0, NULL, NULL, 0, AUD_MODEL_TIMEOUT, NULL, NULL, -1 }

/**
 * Open a model: a PMML file (pmml_path) or an external command (command);
 * exactly one of them is non-NULL.
 * @param[out] out caller owns; free with aud_model_free()
 * @return 0, AUD_EIO, AUD_EPARSE, AUD_EUNSUPPORTED (PMML), AUD_EINVAL (both or
 *         neither given, a protocol given with a model file)
 */
int aud_model_open(struct aud_model **out, const char *pmml_path, const char *command,
    const struct aud_model_open_options *opts, struct aud_error *err);

/** A model computed by a C function, for embedding and tests. */
typedef int (*aud_model_fn)(const struct aud_batch *b, const long *feature_col,
    double *score, double *margin, void *payload, struct aud_error *err);

/**
 * Wrap a C function as a model. `fn` receives the batch and, for each feature
 * i, the batch column index that holds it (feature_col[i]); it writes
 * b->nrows scores (and margins when margin is not NULL; has_margin = 0 means
 * the library copies the score into the margin itself).
 * @param positive  the positive class (classification) or NULL
 * @param payload   borrowed; must outlive the model
 * @param[out] out  caller owns; free with aud_model_free()
 */
int aud_model_from_fn(struct aud_model **out, size_t nfeatures,
    const char *const *names, const enum aud_col_kind *kinds,
    enum aud_model_task task, const char *positive, int has_margin,
    aud_model_fn fn, void *payload, struct aud_error *err);

#ifdef __cplusplus
}
#endif
#endif
