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
 *
 * audit-explain itself goes through the job runner (job.h): its command line
 * fills a struct aud_explain_request, aud_explain_job_new() applies the rules
 * of a request (which columns play which role, which rows, the background),
 * and aud_job_run() drives aud_explain_job_ops (read, run, document, the
 * table view) with --rows-out as a further output.
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
#include <audit/text.h>
#include <audit/csv.h>
#include <audit/error.h>
#include <audit/importance.h>
#include <audit/model.h>
#include <audit/progress.h>
#include <audit/opt.h>
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
	AUD_EXPLAIN_PDP = 5,
	AUD_EXPLAIN_TREE_PATH = 6      /**< path-dependent Tree SHAP: no background */
};

/** "exact", "kernel", "linear", "tree", "permutation", "pdp", "tree-path". */
const char *aud_explain_method_name(enum aud_explain_method m);
/** @return 0 or AUD_EINVAL */
int aud_explain_method_parse(enum aud_explain_method *out, const char *s,
    struct aud_error *err);

struct aud_explain_options {
	enum aud_explain_method method;
	enum aud_shap_output output;
	enum aud_shap_link link;
	const char *background;        /**< background CSV path (required; none for tree-path) */
	size_t background_size;        /**< K (default 100) */
	size_t nsamples;               /**< kernel budget (0: 2M + 2048) */
	uint64_t seed;
	uint64_t row_first, row_end;   /**< explain data rows [first, end) (0-based); end 0 = all */
	const char *const *features;   /**< pdp: features to draw (NULL: every model feature) */
	size_t nfeatures;
	const char *label;             /**< the label column (permutation; else shown per row) */
	const char *positive;          /**< the label's positive value ("1") */
	const char *const *protected_cols;
	size_t nprotected;
	unsigned threads;              /**< worker threads (0: 1) */
	size_t repeats;                /**< permutation (5) */
	enum aud_metric metric;        /**< permutation: the ranking metric (auc) */
	double threshold;              /**< decision threshold of the score (0.5) */
	size_t grid;                   /**< pdp grid points (20) */
	size_t nlocal;                 /**< local explanations / ICE curves in the JSON (5 / 50) */
	const struct aud_csv_options *csv;   /**< reader options (separator, NA tokens), may be NULL */
	/** progress of the long phases ("shap", "permutation", "pdp"), in tasks; fn may be NULL */
	struct aud_progress_cb progress;
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
	/** Shapley methods: rows whose feature values and attributions are in
	 * results.points (0: 1000); more explained rows are thinned evenly */
	size_t npoints;
};
#define AUD_EXPLAIN_OPTIONS_INIT { AUD_EXPLAIN_KERNEL, AUD_OUTPUT_SCORE, AUD_LINK_IDENTITY, \
	NULL, 100, 0, 42, 0, 0, NULL, 0, NULL, "1", NULL, 0, 1, 5, AUD_METRIC_AUC, 0.5, 20, 0, \
	NULL, AUD_PROGRESS_CB_INIT, 0, NULL, 0, NULL, 0, NULL, NULL, 0, 0 }

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
 * aud_explain_read() on a CSV reader the caller opened (and frees); the rows
 * are read from where the reader stands.
 */
int aud_explain_read_csv(struct aud_explain *e, struct aud_csv *csv, const struct aud_model *m,
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

/** What a finished run used, for the envelope's params and input (borrowed from e). */
struct aud_explain_info {
	const struct aud_explain_options *options; /**< as run (defaults filled in) */
	const char *path;                /**< the data file ("-": standard input) */
	uint64_t input_rows;             /**< data rows of the input */
	const char *input_sha256;        /**< of the input's bytes */
	const char *model;               /**< aud_model_describe() of the model */
	const char *model_sha256;        /**< of the PMML file; "" for a command */
	const char *background_sha256;   /**< of the background's bytes; "" when none was read */
	size_t background_rows;          /**< background rows kept (K) */
	uint64_t background_total;       /**< background rows in the file */
	size_t nsamples;                 /**< kernel: coalitions per row */
	size_t rows;                     /**< rows explained */
	uint64_t first_row, end_row;     /**< first data row explained, last + 1 */
};

/** Fill `out` after aud_explain_run(); its strings are borrowed from e. */
void aud_explain_info(const struct aud_explain *e, struct aud_explain_info *out);

/**
 * Append the envelope's results (method, rows, row selection, features and
 * the method's summaries) to `results` and the run's warnings to `warnings`.
 * @return 0, AUD_ENOMEM
 */
int aud_explain_results(const struct aud_explain *e, cJSON *results, cJSON *warnings,
    struct aud_error *err);

/**
 * The JSON document (the common envelope of every tool, schema
 * "audit.explanation/1"): input (with input.model and input.background),
 * params, results and warnings.
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

/**
 * Human-readable summary (table, md or csv: one row per feature; pdp: one
 * per grid point), written from the explanation's JSON results as
 * aud_explain_write_results() writes them.
 * @return 0, AUD_ENOMEM or AUD_EOUTPUT
 */
int aud_explain_write_table(const struct aud_explain *e, FILE *f, enum aud_format fmt,
    struct aud_error *err);

/**
 * The same summary from the "results" object of a saved explanation
 * document (schema audit.explanation/1): Shapley methods rank the features
 * by mean |phi| (with a line giving the base value, the rows explained and
 * the largest additivity error in the table form), permutation importance
 * by the metric's mean drop with its interval, pdp lists each curve.
 * @return 0, AUD_EPARSE (no method, or a permutation without its metric),
 *     AUD_ENOMEM or AUD_EOUTPUT
 */
int aud_explain_write_results(FILE *f, const cJSON *results, enum aud_format fmt,
    struct aud_error *err);

/* ---- As a job (job.h): audit-explain's rules -------------------------------- */

struct aud_job_ops;
struct aud_job_output;
struct aud_cli_file;

/** The data rows to explain, 0-based: [first, end); end 0: to the last row. */
struct aud_explain_range {
	uint64_t first, end;
	int given;                       /**< --rows was given */
};

/**
 * Parse a row range: "N" (the first N), "A:B", "A:", ":B" (B exclusive, > A).
 * @return 0 or AUD_EINVAL ("--rows: empty range '5:3'")
 */
int aud_explain_range_parse(struct aud_explain_range *out, const char *s,
    struct aud_error *err);

/** The quantity explained (--model-output): the index of "score" or "margin". */
extern const char *const aud_explain_output_names[];
/** --link: the index of "identity" or "logit". */
extern const char *const aud_explain_link_names[];

/**
 * Everything audit-explain's command line chooses; the tool's option table
 * writes into it. Set the defaults with aud_explain_request_init().
 */
struct aud_explain_request {
	struct aud_explain_options o;    /**< the scalar options (lists are set by the job) */
	struct aud_cli_model model;      /**< -m, --model-cmd, --model-columns, --threads, ... */
	struct aud_strlist features;     /**< --features */
	struct aud_strlist protected_cols; /**< --protected */
	struct aud_strlist bins;         /**< --bins COL=E1,E2,... (repeatable) */
	struct aud_explain_range rows;   /**< --rows */
	int model_output;                /**< --model-output: index in aud_explain_output_names */
	int link;                        /**< --link: index in aud_explain_link_names */
	const char *rows_out;            /**< --rows-out FILE */
	struct aud_cli_checks checks;    /**< --check, --policy, --allow-undefined, --junit */
	struct aud_csv_options csv;      /**< the CSV options (data and background alike) */
	struct aud_cli_out out;          /**< -o, --format, -q */
};

/** The defaults of every field (kernel SHAP, 100 background rows, seed 42, ...). */
void aud_explain_request_init(struct aud_explain_request *r);
/** Free what the option parser stored in r's lists. */
void aud_explain_request_release(struct aud_explain_request *r);

/** AUD_OPT_CALL stores: --method (enum aud_explain_method), --metric (enum aud_metric),
 * --rows (struct aud_explain_range). */
int aud_explain_opt_method(void *dest, const char *arg, const struct aud_opt *opt,
    struct aud_error *err);
int aud_explain_opt_metric(void *dest, const char *arg, const struct aud_opt *opt,
    struct aud_error *err);
int aud_explain_opt_rows(void *dest, const char *arg, const struct aud_opt *opt,
    struct aud_error *err);
/** AUD_OPT_CALL store of a count (size_t) from 1 to LONG_MAX (--rows-sample). */
int aud_explain_opt_count(void *dest, const char *arg, const struct aud_opt *opt,
    struct aud_error *err);
/**
 * AUD_OPT_CALL store of -o/--output FILE (a const char *). "score" and
 * "margin" are refused: they are what --output meant before it named the
 * output file (the quantity explained is --model-output), and an old command
 * line must not write a file of that name.
 */
int aud_explain_opt_output_file(void *dest, const char *arg, const struct aud_opt *opt,
    struct aud_error *err);

/** audit-explain's analysis: the request's rules applied, the model, the run. */
struct aud_explain_job;

/**
 * A new job from a request (borrowed for the job's lifetime). Applies the
 * rules of a request: one model (-m or --model-cmd); --model-columns only
 * with a command; --features only with pdp; --bins only of protected
 * columns; --rows or --rows-sample, not both; a background for the Shapley
 * methods, and never standard input for both the data and the background;
 * a label for permutation, which has no per-row values for --rows-out.
 * Threads 0 become the number of processors (at most AUD_MAX_THREADS).
 * @param input  the data file (NULL or "-": standard input)
 * @param[out] out caller owns; free with aud_explain_job_free()
 * @return 0, AUD_EINVAL (a usage error), AUD_ENOMEM
 */
int aud_explain_job_new(struct aud_explain_job **out, const struct aud_explain_request *r,
    const char *input, struct aud_error *err);

/** Free (the model too). NULL is allowed. */
void aud_explain_job_free(struct aud_explain_job *j);

/**
 * The job's files for struct aud_job: the inputs besides the data (-m,
 * --background: an output may name neither) and its further output
 * (--rows-out). Borrowed; valid until j is freed.
 */
void aud_explain_job_files(const struct aud_explain_job *j,
    const struct aud_cli_file **inputs, size_t *ninputs,
    const struct aud_job_output **outputs, size_t *noutputs);

/** The envelope's input.model (path, sha256, command) and input.background (path,
 * sha256; when one was read). `self` is a struct aud_explain_job. */
int aud_explain_job_input_info(void *self, cJSON *input, struct aud_error *err);

/**
 * The envelope's params of a finished run: the method, the quantity and link,
 * the model, the background, the rows, the columns' roles, the bins and the
 * method's own settings. @return 0, AUD_ENOMEM
 */
int aud_explain_params(cJSON *params, const struct aud_explain_options *o,
    const struct aud_explain_info *info, struct aud_error *err);

/** The job's operations for aud_job_run(); `self` is a struct aud_explain_job. */
extern const struct aud_job_ops aud_explain_job_ops;

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
