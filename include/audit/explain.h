/*
 * explain.h — the feature-attribution driver behind audit-explain.
 *
 * An explanation run reads the rows to explain (a range of the input, or a
 * sample stratified by the protected groups; kept in memory: the method
 * needs them) while it streams every input row into the counts of the proxy
 * table (feature / protected attribute associations over the whole input),
 * and a background sample (at most K rows
 * kept, K = background_size; a larger background file is summarised by
 * seeded sampling without replacement, reservoir style, as shap.sample does,
 * in constant memory), computes Shapley values (shapley.h), permutation
 * importance or partial dependence (importance.h) over threads, and builds
 * the JSON document "audit.explanation/1" with global and per-group
 * summaries, the proxy table and a few local explanations. Output does not
 * depend on the number of threads.
 *
 * Use:
 *   aud_explain_new(&e, &opts) ->
 *   aud_explain_read(e, input, model)   (model NULL: a command model, opened
 *                                         afterwards with aud_explain_columns())
 *   aud_explain_run(e, model) -> aud_explain_json() / aud_explain_write_rows()
 */
#ifndef AUDIT_EXPLAIN_H
#define AUDIT_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <cjson/cJSON.h>

#include <audit/batch.h>
#include <audit/bins.h>
#include <audit/cli.h>
#include <audit/csv.h>
#include <audit/error.h>
#include <audit/importance.h>
#include <audit/model.h>
#include <audit/shapley.h>

#ifdef __cplusplus
extern "C" {
#endif

enum aud_explain_method {
	AUD_EXPLAIN_EXACT = 0,
	AUD_EXPLAIN_KERNEL = 1,
	AUD_EXPLAIN_LINEAR = 2,
	AUD_EXPLAIN_TREE = 3,
	AUD_EXPLAIN_PERMUTATION = 4,
	AUD_EXPLAIN_PDP = 5
};

/** "exact", "kernel", "linear", "tree", "permutation", "pdp". */
const char *aud_explain_method_name(enum aud_explain_method m);
/** @return 0 or AUD_EINVAL */
int aud_explain_method_parse(enum aud_explain_method *out, const char *s,
    struct aud_error *err);

struct aud_explain_options {
	enum aud_explain_method method;
	enum aud_shap_output output;
	enum aud_shap_link link;
	const char *background;        /**< background CSV path (required) */
	size_t background_size;        /**< K (default 100) */
	size_t nsamples;               /**< kernel budget (0: 2M + 2048) */
	uint64_t seed;
	uint64_t row_first, row_end;   /**< explain data rows [first, end) (0-based); end 0 = all */
	const char *const *features;   /**< pdp: features to draw (NULL: every model feature) */
	size_t nfeatures;
	const char *label;             /**< permutation: the label column */
	const char *positive;          /**< the label's positive value ("1") */
	const char *const *protected_cols;
	size_t nprotected;
	size_t threads;                /**< 0: 1 */
	size_t repeats;                /**< permutation (5) */
	enum aud_metric metric;        /**< permutation: the ranking metric (auc) */
	double threshold;              /**< permutation accuracy (0.5) */
	size_t grid;                   /**< pdp grid points (20) */
	size_t nlocal;                 /**< local explanations / ICE curves in the JSON (5 / 50) */
	const struct aud_csv_options *csv;   /**< reader options (separator, NA tokens), may be NULL */
	int show_progress;             /**< draw a progress bar on stderr (the tool: a terminal, not -q) */
	size_t batch_rows;             /**< rows per model call (0: 65536) */
	const char *const *model_columns; /**< command models: the columns sent (NULL: every input column) */
	size_t nmodel_columns;
	/** bins of numeric protected columns (bins.h): their groups are the bins */
	const struct aud_bins *const *bins;
	size_t nbins;
	/** provenance in the JSON: the PMML file (its sha256 is recorded) or the command */
	const char *model_path;
	const char *model_cmd;
	/** >0: explain a stratified seeded sample of this many rows instead of a range */
	size_t rows_sample;
};
#define AUD_EXPLAIN_OPTIONS_INIT { AUD_EXPLAIN_KERNEL, AUD_OUTPUT_SCORE, AUD_LINK_IDENTITY, \
	NULL, 100, 0, 42, 0, 0, NULL, 0, NULL, "1", NULL, 0, 1, 5, AUD_METRIC_AUC, 0.5, 20, 0, \
	NULL, 0, 0, NULL, 0, NULL, 0, NULL, NULL, 0 }

struct aud_explain;

/** @param[out] out caller owns; free with aud_explain_free(). opts is copied (its strings are borrowed). */
int aud_explain_new(struct aud_explain **out, const struct aud_explain_options *opts,
    struct aud_error *err);
void aud_explain_free(struct aud_explain *e);

/**
 * Read the rows to explain from `path` (NULL or "-": standard input), with
 * the model's features (their kinds from the model), the label and the
 * protected columns. With m NULL (a command model not yet opened) the
 * feature columns are opts->model_columns or every column, kinds detected.
 * A binned protected column's values are replaced by their bins' labels
 * ("25<=age<45").
 * @return 0, AUD_EIO, AUD_EPARSE (also a non-numeric value in a binned
 * column), AUD_ENOTFOUND (unknown column), AUD_EINVAL (no row in the range;
 * bins of a column that is not protected), AUD_ENOMEM
 */
int aud_explain_read(struct aud_explain *e, const char *path, const struct aud_model *m,
    struct aud_error *err);

/**
 * The feature columns read (for aud_model_open()'s command options).
 * Borrowed; valid until e is freed.
 */
void aud_explain_columns(const struct aud_explain *e, const char *const **names,
    const enum aud_col_kind **kinds, size_t *n);

/**
 * Read the background and compute the explanation.
 * @return 0, the codes of aud_shap_new()/aud_shap_explain(), AUD_EIO/AUD_EPARSE
 * (background), AUD_EINVAL (permutation without a label, a label that is not
 * 0/1)
 */
int aud_explain_run(struct aud_explain *e, const struct aud_model *m,
    struct aud_error *err);

/**
 * The JSON document (the common envelope of every tool, schema "audit.explanation/1").
 * @param input_path as given on the command line ("-" for standard input)
 * @param[out] out caller owns; free with cJSON_Delete()
 */
int aud_explain_json(cJSON **out, const struct aud_explain *e, time_t created,
    struct aud_error *err);

/**
 * Write the per-row CSV: for Shapley methods `row,base_value,score,<feature>...`
 * (score = the explained output); for pdp `row,feature,value,output` (ICE).
 * Permutation has none (AUD_EINVAL).
 * @return 0, AUD_EINVAL, AUD_EOUTPUT
 */
int aud_explain_write_rows(const struct aud_explain *e, FILE *f, struct aud_error *err);

/** Human-readable summary (table, md or csv: one row per feature). @return 0 or AUD_EOUTPUT */
int aud_explain_write_table(const struct aud_explain *e, FILE *f, enum aud_format fmt,
    struct aud_error *err);

/**
 * The check resolver of audit-explain's results (check.h):
 * max_additivity_error, importance.mean_abs|mean|sd|rank|share (per feature),
 * protected.share (per protected attribute), proxy.association (per feature
 * and attribute); a scope keeps the values of the feature or attribute it
 * names (none: AUD_EINVAL).
 */
struct aud_check_resolver;
void aud_explain_check_resolver(struct aud_check_resolver *out);

#ifdef __cplusplus
}
#endif
#endif
