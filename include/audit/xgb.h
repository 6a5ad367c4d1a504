/*
 * xgb.h — XGBoost boosters saved as JSON (`Booster.save_model("m.json")`),
 * read natively and scored as XGBoost's CPU predictor scores them.
 *
 * aud_xgb_load() returns an ordinary struct aud_model (model.h): tools score
 * it with aud_model_predict() and Tree SHAP walks its trees through tree.h.
 * aud_model_open() picks this loader for a `-m FILE` whose first non-blank
 * byte is `{`.
 *
 * Supported: the gbtree booster (num_parallel_tree trees per round summed,
 * one output group) and the dart booster (each tree's output times its
 * weight_drop, in float), with the objectives binary:logistic (a classifier: the
 * score is the probability of class 1), reg:logistic, reg:squarederror,
 * reg:squaredlogerror, reg:pseudohubererror, reg:absoluteerror,
 * count:poisson, reg:gamma and reg:tweedie (regression: the score is
 * XGBoost's prediction). Refused with AUD_EUNSUPPORTED, naming what: the
 * gblinear booster, multi-class and multi-target models, other objectives,
 * categorical splits and features.
 *
 * Arithmetic is XGBoost's (float32): a feature value is rounded to float, an
 * internal node sends it left when value < split_condition and a missing
 * value (NAN) its default direction; the leaf values of the trees are added
 * in float, in tree order, to the base margin (base_score through the
 * objective's link: its logit for the logistic objectives, its log for the
 * exponential ones); the score is the float sigmoid (or exp) of that sum, or
 * the sum itself. The margin is the sum before the link.
 *
 * Features are named by the model's feature_names, or f0, f1, ... when it
 * has none; every feature is numeric. A text column is read as numbers.
 */
#ifndef AUDIT_XGB_H
#define AUDIT_XGB_H

#include <stddef.h>

#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

struct aud_model;

/** Largest XGBoost JSON model accepted, in bytes. */
#define AUD_XGB_MAX_BYTES ((size_t)256 << 20)

/** Options of aud_xgb_load(). */
struct aud_xgb_options {
	/** Class whose probability is the score: NULL or "1" (binary:logistic
	 * gives the probability of class 1); ignored for regression. */
	const char *positive;
};
#define AUD_XGB_OPTIONS_INIT { NULL }

/**
 * Load an XGBoost JSON model.
 * @param[out] out caller owns; free with aud_model_free()
 * @param opts NULL for defaults
 * @return 0, AUD_EIO (cannot read), AUD_EPARSE (malformed JSON: "PATH:LINE:COLUMN: ...";
 *   a malformed model: "PATH: learner.gradient_booster...: ..."), AUD_EUNSUPPORTED
 *   (a booster, objective or split kind not supported, named), AUD_EINVAL
 *   (--positive other than class 1), AUD_ENOMEM
 */
int aud_xgb_load(struct aud_model **out, const char *path,
    const struct aud_xgb_options *opts, struct aud_error *err);

/** The same from memory; `name` is used in messages. */
int aud_xgb_load_mem(struct aud_model **out, const char *name, const char *data,
    size_t len, const struct aud_xgb_options *opts, struct aud_error *err);

/** 1 when m was made by aud_xgb_load(). */
int aud_xgb_is_xgb(const struct aud_model *m);

/**
 * For a reader's "unknown column" error: when rc is AUD_ENOTFOUND and m is an
 * XGBoost model without feature names, add to err's message that the model
 * reads its features from columns f0 to f{n-1}. Any other error is left as
 * it is.
 * @return rc
 */
int aud_xgb_column_hint(const struct aud_model *m, int rc, struct aud_error *err);

#ifdef __cplusplus
}
#endif
#endif
