/*
 * fairness.h — group fairness of a binary classifier.
 *
 * One streaming pass accumulates, for every combination of the protected
 * columns' values (a "cell" of the finest partition), weighted confusion
 * counts split by label, prediction and favorable outcome, the score sums
 * (Brier, log loss, mean, 10 calibration bins), and optionally per-cell score
 * histograms. Every attribute (a protected column, or the intersection of all
 * of them) is a coarsening of that partition, so its groups are sums of cells.
 * This state is additive, so partial states from shards merge exactly
 * (for scale-out). Exact score metrics (AUC, DeLong) additionally keep 24 bytes per
 * row (double score, double weight, uint32 cell id and label bit, padding),
 * shared by every attribute and sorted once at the end. Weights are kept
 * relative to the first positive weight, so a common factor of all weights
 * (however large or small, as long as it is finite) changes no metric.
 *
 * Use: aud_fairness_new(); aud_fairness_read_csv() (or aud_fairness_add_row()
 * per row); aud_fairness_finish() fills the "results" object of the JSON
 * envelope; aud_fairness_check() evaluates check expressions on results;
 * aud_fairness_write() prints a document as table, md or csv.
 *
 * Undefined metrics (a zero denominator) are JSON null, and a warning says
 * which and why.
 */
#ifndef AUDIT_FAIRNESS_H
#define AUDIT_FAIRNESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include <audit/text.h>
#include <audit/error.h>
#include <audit/check.h>
#include <audit/expr.h>
#include <audit/progress.h>

#ifdef __cplusplus
extern "C" {
#endif

struct aud_csv;

/** How intervals are computed. */
enum aud_ci_method {
	AUD_CI_WILSON = 0,    /**< Wilson for rates, DeLong for the AUC */
	AUD_CI_BOOTSTRAP = 1  /**< percentile intervals of replicates of the counts */
};

/** Which four-fifths rule is reported. */
enum aud_four_fifths {
	AUD_FOUR_FIFTHS_EEOC = 0,  /**< every favorable_rate >= 0.8 x the highest */
	AUD_FOUR_FIFTHS_BAND = 1   /**< ratio to the reference within [0.8, 1.25] (Aequitas) */
};

/** Bin edges for a numeric protected column. */
struct aud_fairness_bins {
	const char *column;          /**< protected column name */
	size_t nedges;               /**< >= 1, strictly increasing */
	const double *edges;
	const char *const *edge_text;/**< how each edge is written in group names */
	int right;                   /**< 1: right-closed bins (bins.h); group names age<=25, 25<age<=45, age>45 */
};

/** A chosen reference group. */
struct aud_fairness_reference {
	const char *attribute;       /**< "race" or "race & sex" */
	const char *group;           /**< "Caucasian" */
};

/** Options. Strings and arrays are borrowed for the object's lifetime. */
struct aud_fairness_options {
	const char *const *protected;   /**< protected column names */
	size_t nprotected;              /**< >= 1 */
	const struct aud_fairness_bins *bins;
	size_t nbins;
	const struct aud_fairness_reference *refs;
	size_t nrefs;
	int intersect;                  /**< add the intersection of all protected columns */
	int has_pred;                   /**< decisions from a prediction column */
	int has_score;                  /**< score-based metrics */
	int has_weights;                /**< rows carry weights */
	size_t score_bins;              /**< 0: exact score metrics; N: N-bin histograms */
	double ci_level;                /**< in (0, 1) */
	enum aud_ci_method ci_method;
	unsigned int bootstrap;         /**< replicates (bootstrap) */
	uint64_t seed;
	uint64_t min_group_size;        /**< groups smaller are marked "small" */
	const char *positive;           /**< label/prediction value counted as positive */
	const char *favorable;          /**< prediction value that is favorable */
	double threshold;               /**< score >= threshold predicts positive (no --pred) */
	size_t max_cells;               /**< most combinations of protected values; 0 = 10000 */
};
#define AUD_FAIRNESS_OPTIONS_INIT { NULL, 0, NULL, 0, NULL, 0, 0, 1, 0, 0, 0, \
	0.95, AUD_CI_WILSON, 1000, 42, 30, "1", "1", 0.5, 0 }

/** Which CSV columns play which role (NULL = absent). */
struct aud_fairness_columns {
	const char *label;
	const char *pred;
	const char *score;
	const char *weights;
};

/** One row, already interpreted. */
struct aud_fairness_row {
	const char *const *values;  /**< nprotected protected values; NULL = missing */
	const size_t *lens;         /**< their lengths */
	int label;                  /**< 1: label is the positive value */
	int pred;                   /**< 1: predicted positive */
	int favorable;              /**< 1: the prediction is the favorable value */
	double score;               /**< in [0, 1] when has_score, else ignored */
	double weight;              /**< >= 0 (1 without weights) */
};

struct aud_fairness;

/**
 * A new accumulator.
 * @param[out] out caller owns; free with aud_fairness_free()
 * @return 0, AUD_ENOMEM, AUD_EINVAL (inconsistent options, e.g. bins for a
 * column that is not protected)
 */
int aud_fairness_new(struct aud_fairness **out,
    const struct aud_fairness_options *opts, struct aud_error *err);

/** Free. NULL is allowed. */
void aud_fairness_free(struct aud_fairness *f);

/**
 * Add one row.
 * @return 0, AUD_ENOMEM, AUD_EPARSE (a binned value that is not a number;
 * a protected column without bins found numeric with more than 10 values;
 * more than 10,000 values of a column, combinations or groups in all
 * attributes; score histograms over 2 GiB or bootstrap replicates over
 * 1 GiB)
 */
int aud_fairness_add_row(struct aud_fairness *f, const struct aud_fairness_row *row,
    struct aud_error *err);

/**
 * Read every remaining record of a CSV reader: find the columns, interpret
 * label, prediction, score and weight (numbers in the C locale when the
 * positive/favorable value is a number, else compared as text), and add the
 * rows. Rows with a missing label, prediction, score or weight are skipped
 * and counted (a warning at finish). `progress` (may be NULL) hears of the
 * bytes read in phase "input" (total: the file's size, 0 for a pipe).
 * @return 0, AUD_ENOTFOUND (unknown column), AUD_EPARSE ("PATH:LINE:COL: ..."),
 * AUD_EIO, AUD_ENOMEM
 */
int aud_fairness_read_csv(struct aud_fairness *f, struct aud_csv *csv,
    const struct aud_fairness_columns *cols, const struct aud_progress_cb *progress,
    struct aud_error *err);

/** Rows added so far (not counting skipped ones). */
uint64_t aud_fairness_rows(const struct aud_fairness *f);

/**
 * Compute everything and fill `results` (the envelope's "results" object)
 * with the layout the man page documents; append warnings (strings) to `warnings`.
 * @return 0, AUD_ENOMEM, AUD_EINVAL (unknown --reference attribute or
 * group), AUD_EPARSE (no rows)
 */
int aud_fairness_finish(struct aud_fairness *f, cJSON *results, cJSON *warnings,
    struct aud_error *err);

/**
 * Check that an expression names a quantity of audit-fair's results:
 * a summary key, `disparity.<rate>.ratio|difference`, `metrics.<metric>`,
 * `overall.<metric>`, or `tests.<selection_rate|tpr|fpr>.p_value`.
 * @return 0 or AUD_EPARSE ("unknown metric 'x' in check '...'")
 */
int aud_fairness_expr_validate(const struct aud_expr *e, struct aud_error *err);

/**
 * The check resolver of audit-fair's results (check.h): paths as
 * aud_fairness_expr_validate() lists them; a scope names an attribute (an
 * unknown one is AUD_EINVAL), overall paths take none; per-group paths give
 * one value per group (disparities skip the reference group); the four-fifths
 * rule of each attribute is reported ("requested": false) under `rule`.
 * @param rule borrowed; must outlive the resolver
 */
void aud_fairness_check_resolver(struct aud_check_resolver *out,
    const enum aud_four_fifths *rule);

/**
 * Evaluate expressions (and always the four-fifths rule) on a results
 * object from aud_fairness_finish() through aud_fairness_check_resolver(),
 * with undefined values failing.
 * @param[out] nfailed  requested checks that failed, undefined ones included
 * (the four-fifths rule counts only when it is also requested)
 * @return 0, AUD_ENOMEM, AUD_EPARSE (unknown path), AUD_EINVAL (a scope
 * naming no attribute)
 */
int aud_fairness_check(const cJSON *results, struct aud_expr *const *exprs,
    size_t nexprs, enum aud_four_fifths rule, cJSON *checks, cJSON *warnings,
    size_t *nfailed, struct aud_error *err);

/**
 * Write a whole audit-fair document (the envelope) for people: table (aligned
 * text), md (Markdown) or csv (one row per group and metric). JSON is
 * written with aud_json_write().
 * @return 0, AUD_ENOMEM, AUD_EOUTPUT
 */
int aud_fairness_write(const cJSON *doc, enum aud_format format, FILE *f,
    struct aud_error *err);

/* ---- As a job (job.h) --------------------------------------------------------- */

struct aud_job_ops;

/** audit-fair's analysis: the accumulator with its columns and four-fifths rule. */
struct aud_fairness_job;

/**
 * A new job: checks that the columns make a fairness audit (a label; a
 * prediction or a score; --score-bins only with a score), then creates the
 * accumulator. `opts` (has_pred, has_score and has_weights are set from
 * `cols`), `cols` and what they point to are borrowed for the job's lifetime.
 * @param[out] out caller owns; free with aud_fairness_job_free()
 * @return 0, AUD_EINVAL (a usage error), AUD_ENOMEM
 */
int aud_fairness_job_new(struct aud_fairness_job **out,
    const struct aud_fairness_options *opts, const struct aud_fairness_columns *cols,
    enum aud_four_fifths rule, struct aud_error *err);

/** Free. NULL is allowed. */
void aud_fairness_job_free(struct aud_fairness_job *j);

/** The job's operations for aud_job_run(); `self` is a struct aud_fairness_job. */
extern const struct aud_job_ops aud_fairness_job_ops;

#ifdef __cplusplus
}
#endif
#endif
