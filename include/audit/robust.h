/*
 * robust.h — perturbation robustness of a model: runs perturbations
 * (perturb.h) through a model (model.h), counts decision flips and score
 * changes overall, per protected group and per feature, and writes the
 * results as JSON ("audit.robustness/1") or as a table.
 *
 * The rows are kept in memory (one batch holding every input row: 8 bytes a
 * numeric or categorical cell), because every perturbation needs each row's
 * baseline score and the column statistics of the whole input (observed
 * range, sd, category marginals) before it perturbs the first row; standard
 * input therefore needs no temporary file.
 *
 * Work is cut into units of (repeat, chunk of rows) whose boundaries depend
 * only on the options, never on the number of threads; each row's random
 * numbers come from its own stream (rng.h), each unit writes per-row results,
 * and the totals are summed over rows in order. So the output is the same
 * for any number of threads. Each unit makes one model call (a command model
 * is started once per call), except the adversarial search, which makes a
 * fixed small number of calls per unit.
 *
 * Decisions: a row is predicted positive when its score >= threshold.
 *
 * Memory: the rows, the baseline scores (about 10 bytes a row), and while a
 * perturbation runs about 25 bytes per row and repeat (its per-row results).
 * Reading reserves rows as they come (doubling), in batches of at most
 * about 2^22 cells (65536 rows of up to 64 columns), so a wide input with
 * few rows costs little.
 */
#ifndef AUDIT_ROBUST_H
#define AUDIT_ROBUST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include <audit/batch.h>
#include <audit/bins.h>
#include <audit/cli.h>
#include <audit/error.h>
#include <audit/model.h>
#include <audit/perturb.h>

#ifdef __cplusplus
extern "C" {
#endif

struct aud_csv;

/** Options of a robustness run. */
struct aud_robust_options {
	double threshold;                  /**< decision threshold on the score (0.5) */
	const char *label;                 /**< label column or NULL */
	const char *positive;              /**< label value counted as positive ("1") */
	const char *const *protected_cols; /**< protected attributes (by_group) */
	size_t nprotected;
	const char *const *features;       /**< columns perturbed (NULL: the model's features) */
	size_t nfeatures;
	const char *const *freeze;         /**< columns never perturbed (except by flip) */
	size_t nfreeze;
	size_t repeats;                    /**< draws per row of random perturbations (1) */
	uint64_t seed;                     /**< --seed (42) */
	unsigned threads;                  /**< worker threads (0: 1) */
	size_t batch_rows;                 /**< model input rows per call (0: 4096) */
	double ci_level;                   /**< Wilson interval level (0.95) */
	int by_feature;                    /**< 1: also each feature alone (1) */
	int adv_restarts;                  /**< adversarial: random points per row (8) */
	int adv_steps;                     /**< adversarial: greedy coordinate rounds (10) */
	/** progress: called from the calling thread with units done / total (may be NULL) */
	void (*progress)(void *payload, uint64_t done, uint64_t total);
	void *progress_payload;
	int unbounded;                     /**< 1: no clamping to the observed range, no rounding of integer columns (0) */
	/** bins of numeric protected or flipped columns (bins.h): by_group and flip use the bins */
	const struct aud_bins *const *bins;
	size_t nbins;
};
#define AUD_ROBUST_OPTIONS_INIT { 0.5, NULL, "1", NULL, 0, NULL, 0, NULL, 0, 1, 42, 1, \
	0, 0.95, 1, 8, 10, NULL, NULL, 0, NULL, 0 }

/**
 * Read every row of a CSV into one batch (see the header comment).
 * @param names, kinds, ncols as aud_batch_reader_new() (NULL: every column, auto kinds)
 * @param[out] out caller owns; free with aud_batch_free()
 * @return 0, AUD_ENOTFOUND, AUD_EPARSE, AUD_EIO, AUD_ENOMEM
 */
int aud_robust_read(struct aud_batch **out, struct aud_csv *csv,
    const char *const *names, const enum aud_col_kind *kinds, size_t ncols,
    struct aud_error *err);

struct aud_robust;

/**
 * Prepare a run: checks the columns, computes column statistics and the
 * baseline scores.
 * @param model borrowed; must outlive the run
 * @param data  borrowed; every input row; must outlive the run
 * @param opts  copied, but its strings and arrays are borrowed: they must outlive the run
 * @param[out] out caller owns; free with aud_robust_free()
 * @return 0, AUD_ENOTFOUND (unknown column), AUD_EINVAL (a protected
 * column with too many numeric values), AUD_EMODEL, AUD_ENOMEM
 */
int aud_robust_new(struct aud_robust **out, const struct aud_model *model,
    const struct aud_batch *data, const struct aud_robust_options *opts,
    struct aud_error *err);
void aud_robust_free(struct aud_robust *r);

/**
 * Check a perturbation against the data and the model (columns exist, flip
 * on a categorical column, grid on numeric perturbable columns, a level given).
 * @return 0, AUD_ENOTFOUND, AUD_EINVAL
 */
int aud_robust_check(const struct aud_robust *r, const struct aud_perturb *p,
    struct aud_error *err);

/**
 * Run one perturbation (at its level) and add its entry to the results.
 * @param sweep a name grouping entries into one curve (the level-less spec,
 * "gaussian"), or NULL when the entry is not part of a --levels sweep
 * @return 0, or the errors of aud_robust_check() and the model's
 */
int aud_robust_run(struct aud_robust *r, const struct aud_perturb *p,
    const char *sweep, struct aud_error *err);

/**
 * The results object (baseline, perturbations, curves).
 * @param[out] out caller owns; free with cJSON_Delete()
 */
int aud_robust_results(cJSON **out, const struct aud_robust *r, struct aud_error *err);

/**
 * The columns perturbed by the elementwise and adversarial perturbations:
 * opts->features, or else the model's features (a command model: the columns
 * it receives) less the label, protected and frozen columns. Borrowed; valid
 * until r is freed. @param[out] n their number
 */
const char *const *aud_robust_features(const struct aud_robust *r, size_t *n);

/**
 * Warnings the run collected (e.g. undefined rates). Borrowed; valid until r
 * is freed. @param[out] n their number
 */
const char *const *aud_robust_warnings(const struct aud_robust *r, size_t *n);

/**
 * Write a results object (as aud_robust_results() makes it) for people:
 * AUD_FORMAT_TABLE (aligned columns), AUD_FORMAT_MD (Markdown tables) or
 * AUD_FORMAT_CSV (one line per perturbation and slice).
 * @return 0 or AUD_EOUTPUT
 */
int aud_robust_write(FILE *f, const cJSON *results, enum aud_format format,
    struct aud_error *err);

/**
 * The check resolver of audit-robust's results (check.h): METRIC,
 * by_group.METRIC and baseline.KEY, a scope picking perturbations by spec
 * ("flip:sex.flip_rate") or kind ("gaussian: flip_rate"); an unknown spec is
 * AUD_EINVAL. METRIC is flip_rate, flips, rows, unscored,
 * mean_abs_score_change, max_abs_score_change, accuracy or accuracy_drop;
 * KEY rows, positives, positive_rate, correct or accuracy.
 */
struct aud_check_resolver;
void aud_robust_check_resolver(struct aud_check_resolver *out);

#ifdef __cplusplus
}
#endif
#endif
