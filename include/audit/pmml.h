/*
 * pmml.h — PMML models: load (libxml2, hostile input refused), compile once
 * into flat arrays, evaluate batches natively.
 *
 * aud_pmml_load() returns an ordinary struct aud_model (model.h): tools score
 * it with aud_model_predict() and Tree SHAP walks its trees through tree.h.
 * The functions below give the PMML-specific extras: the model's full
 * result fields (`audit-predict --all-outputs`, jpmml's naming: the target
 * field, then every final-result OutputField, or `probability(<category>)`
 * for each target category of a classifier that declares none).
 *
 * Supported: DataDictionary, MiningSchema (usage types, missing
 * value replacement, invalid value treatment, outliers), Transformation-
 * Dictionary and LocalTransformations (NormContinuous, NormDiscrete,
 * MapValues, Discretize, FieldRef, Constant, Apply with built-in and
 * user-defined functions), RegressionModel, GeneralRegressionModel,
 * TreeModel, MiningModel with Segmentation, NeuralNetwork, Targets and
 * Output fields. Anything else fails to load with AUD_EUNSUPPORTED naming
 * the element and its line; the evaluator never guesses.
 * `x-mathContext="float"` switches a model's arithmetic to float32.
 *
 * Safety: no network, no DTD (documents with a DOCTYPE are refused before
 * parsing, and so are documents in an encoding that is not ASCII-compatible,
 * in which that check could not see one), no entity substitution, libxml2's
 * depth limit (256 levels: past it AUD_EUNSUPPORTED) and a file size limit
 * (AUD_PMML_MAX_BYTES). libxml2 prints nothing: its errors are captured, and
 * its running out of memory is AUD_ENOMEM.
 */
#ifndef AUDIT_PMML_H
#define AUDIT_PMML_H

#include <stddef.h>

#include <audit/batch.h>
#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

struct aud_model;

/** Largest PMML document accepted, in bytes. */
#define AUD_PMML_MAX_BYTES ((size_t)256 << 20)

/** Options of aud_pmml_load(). */
struct aud_pmml_options {
	/** Class whose probability is the score; NULL: `1` when that is a
	 * target category, else the last target category. */
	const char *positive;
};
#define AUD_PMML_OPTIONS_INIT { NULL }

/**
 * Load and compile a PMML document.
 * @param[out] out caller owns; free with aud_model_free()
 * @param opts NULL for defaults
 * @return 0, AUD_EIO (cannot read), AUD_EPARSE (malformed XML or PMML),
 *   AUD_EUNSUPPORTED (valid PMML using something not supported, or a DOCTYPE),
 *   AUD_EINVAL (--positive is not a target category), AUD_ENOMEM
 */
int aud_pmml_load(struct aud_model **out, const char *path,
    const struct aud_pmml_options *opts, struct aud_error *err);

/** The same from memory; `name` is used in messages. */
int aud_pmml_load_mem(struct aud_model **out, const char *name, const char *data,
    size_t len, const struct aud_pmml_options *opts, struct aud_error *err);

/** 1 when m was made by aud_pmml_load(). */
int aud_pmml_is_pmml(const struct aud_model *m);

/** Number of result fields (--all-outputs columns); 0 for a non-PMML model. */
size_t aud_pmml_noutputs(const struct aud_model *m);

/** Name of result field i. Borrowed; valid until m is freed. */
const char *aud_pmml_output_name(const struct aud_model *m, size_t i);

/** One result value: a number, a string (borrowed from the model), or missing (both unset). */
struct aud_pmml_value {
	double num;        /**< the number, NAN when the value is a string or missing */
	const char *str;   /**< the string, or NULL */
	int is_float;      /**< the field is a float32 (print it as the shortest float) */
};

/**
 * Evaluate every result field for each row of b.
 * @param out b->nrows * aud_pmml_noutputs(m) values, row-major
 * @return 0, AUD_ENOTFOUND (a feature has no column), AUD_EPARSE (an input
 *   value that the model declares invalid, with its row), AUD_EINVAL (not a PMML model)
 */
int aud_pmml_predict_outputs(const struct aud_model *m, const struct aud_batch *b,
    struct aud_pmml_value *out, struct aud_error *err);

/**
 * The target categories of a classifier in DataDictionary order (NULL and 0
 * for regression). Borrowed.
 */
const char *const *aud_pmml_categories(const struct aud_model *m, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
