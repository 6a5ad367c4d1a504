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
#include <audit/text.h>
#include <audit/error.h>
#include <audit/model.h>
#include <audit/opt.h>
#include <audit/perturb.h>
#include <audit/progress.h>

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
	/** progress in units (blocks of rows), phase "baseline" then each perturbation's kind */
	struct aud_progress_cb progress;
	int unbounded;                     /**< 1: no clamping to the observed range, no rounding of integer columns (0) */
	/** bins of numeric protected or flipped columns (bins.h): by_group and flip use the bins */
	const struct aud_bins *const *bins;
	size_t nbins;
};
#define AUD_ROBUST_OPTIONS_INIT { 0.5, NULL, "1", NULL, 0, NULL, 0, NULL, 0, 1, 42, 1, \
	0, 0.95, 1, 8, 10, AUD_PROGRESS_CB_INIT, 0, NULL, 0 }

/**
 * Read every row of a CSV into one batch: aud_batch_read_all() of batch.h,
 * under the name audit-robust has always called.
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

/* ---- The rules of an audit-robust run ----------------------------------------- */

/** One run of the plan: a perturbation at its level. */
struct aud_robust_step {
	const struct aud_perturb *p;   /**< owned by the plan */
	const char *sweep;             /**< the curve it belongs to ("gaussian"), or NULL */
};

/**
 * The perturbations to run, in order, and what the envelope says of them.
 * A level-less spec ("gaussian") is swept over the levels; when every spec
 * has its level, the levels replace the level of each spec whose kind takes
 * one (with a note); the other specs (flip, grid) run once.
 */
struct aud_robust_plan {
	char **specs;                  /**< the specs as given (or the default) */
	size_t nspecs;
	struct aud_perturb **parsed;   /**< per spec: as run (level-less when swept) */
	size_t nparsed;
	double *levels;                /**< copied; NULL: no --levels */
	size_t nlevels;
	struct aud_robust_step *steps; /**< every run, in order */
	size_t nsteps;
	char **notes;                  /**< "--levels replaces the level of 'gaussian:0.1'" */
	size_t nnotes;
};

/**
 * Plan the runs of `specs` over `levels`. Without specs the plan runs
 * "gaussian:0.1", or "gaussian" swept over the levels when there are levels.
 * Every level is checked against every kind it is given to.
 * @param levels  NULL: none given
 * @param[out] out caller owns; free with aud_robust_plan_free()
 * @return 0, AUD_EINVAL (a bad spec, a level out of its kind's range, a
 * level-less spec without levels, levels and no kind that takes one), AUD_ENOMEM
 */
int aud_robust_plan_new(struct aud_robust_plan **out, const char *const *specs,
    size_t nspecs, const double *levels, size_t nlevels, struct aud_error *err);

/** Free. NULL is allowed. */
void aud_robust_plan_free(struct aud_robust_plan *p);

/**
 * The kinds to read the input's columns with: a binned column is numeric; a
 * column the model reads has the model's kind; the label is numeric when
 * o->positive is a number (else categorical); a protected column is
 * categorical; any other is detected (AUD_COL_AUTO).
 * @param model  NULL: a command model (no kinds of its own)
 * @param kinds  ncols entries, written
 */
void aud_robust_column_kinds(enum aud_col_kind *kinds, const char *const *names,
    size_t ncols, const struct aud_model *model, const struct aud_robust_options *o);

/**
 * Which columns the elementwise and adversarial perturbations move:
 * o->features, or else the model's features, less the label, the protected
 * and the frozen columns.
 * @param mask  data->ncols entries, written: 1 for a perturbed column
 * @return 0 or AUD_ENOTFOUND (a --features column, or a model's feature, that
 * the input lacks)
 */
int aud_robust_perturbed_columns(unsigned char *mask, const struct aud_batch *data,
    const struct aud_model *model, const struct aud_robust_options *o,
    struct aud_error *err);

/**
 * The columns a command model receives, in order, and their kinds in `data`:
 * `columns` (--model-columns) when n > 0, else every column of the input.
 * @param[out] names  caller owns the array (free()); the strings are borrowed
 *   from `columns` or `data`
 * @param[out] kinds  caller owns (free())
 * @return 0, AUD_ENOTFOUND (a column not in data), AUD_ENOMEM
 */
int aud_robust_command_columns(const char ***names, enum aud_col_kind **kinds, size_t *n,
    const struct aud_batch *data, const char *const *columns, size_t ncolumns,
    struct aud_error *err);

/* ---- As a job (job.h) --------------------------------------------------------- */

struct aud_job_ops;

/** audit-robust's options, as its option table writes them. */
struct aud_robust_job_options {
	/** threshold, label, repeats, seed, ci_level, adv_restarts, adv_steps and
	 * unbounded; the job sets the others from the fields below */
	struct aud_robust_options run;
	struct aud_cli_model model;     /**< -m or --model-cmd and their options */
	struct aud_strlist protected;   /**< --protected */
	struct aud_strlist features;    /**< --features (none: the model's) */
	struct aud_strlist freeze;      /**< --freeze */
	struct aud_strlist specs;       /**< --perturb, and --counterfactual COL as flip:COL */
	struct aud_strlist bins;        /**< --bins COL=E1,E2,... */
	const char *levels;             /**< --levels L1,L2,... or NULL */
	int no_by_feature;              /**< --no-by-feature */
};
#define AUD_ROBUST_JOB_OPTIONS_INIT { AUD_ROBUST_OPTIONS_INIT, AUD_CLI_MODEL_INIT, \
	{ NULL, 0 }, { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, NULL, 0 }

/** audit-robust's analysis: the plan, the model, the rows and the run. */
struct aud_robust_job;

/**
 * A new job: checks what can be checked before any file is read (exactly one
 * model; --model-columns only with a command; --bins parsed, once per column,
 * each naming a protected or flipped column; --levels numbers; the plan;
 * --features among the --model-columns) and resolves the defaults (threads:
 * the cores; rows per model call: 100000 for a command, 4096 for PMML).
 * `o` and what it points to are borrowed for the job's lifetime.
 * @param[out] out caller owns; free with aud_robust_job_free()
 * @return 0, AUD_EINVAL (a usage error), AUD_ENOMEM
 */
int aud_robust_job_new(struct aud_robust_job **out, const struct aud_robust_job_options *o,
    struct aud_error *err);

/** Free. NULL is allowed. */
void aud_robust_job_free(struct aud_robust_job *j);

/** The job's plan (borrowed). */
const struct aud_robust_plan *aud_robust_job_plan(const struct aud_robust_job *j);

/**
 * Every column the options name, in the order they are checked against the
 * input: the label, --protected, --features, --freeze, --model-columns, then
 * the flipped and grid columns of the plan. Borrowed strings.
 * @param[out] out caller owns the array (free())
 * @return 0 or AUD_ENOMEM
 */
int aud_robust_job_columns(const char ***out, size_t *n, const struct aud_robust_job *j,
    struct aud_error *err);

/**
 * The envelope's input.model: the PMML file's path and sha256, or null ones
 * and the command. (For struct aud_job's input_info.)
 * @return 0, AUD_EIO (the model file cannot be read again), AUD_ENOMEM
 */
int aud_robust_job_input_info(void *self, cJSON *input, struct aud_error *err);

/**
 * "2 features perturbed: age, priors" (at most 20 named) once the rows are
 * read; NULL before. (For struct aud_job's note.) Borrowed.
 */
const char *aud_robust_job_note(void *self);

/**
 * The job's operations for aud_job_run(); `self` is a struct aud_robust_job.
 * read: the column checks, the model, the rows, the baseline and the plan's
 * checks against the data; run: the plan's steps; document: params, results
 * and warnings; write: aud_robust_write().
 */
extern const struct aud_job_ops aud_robust_job_ops;

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
