/*
 * mitigate_job.h — audit-mitigate's work: the policy document, applying it
 * to scored rows, reweighing, and the thresholds/frontier/reweigh-table
 * analyses as jobs of the runner (job.h).
 *
 * The solver is mitigate.h; this module reads the rows into it, builds the
 * `audit.mitigate/1` document (see docs/mitigate.md) and its text views, and
 * streams the row-wise subcommands:
 *
 *   apply     copy every row and append `pred_mitigated` (one draw, 0 or 1)
 *             and `p_mitigated` (its probability under the policy); row i
 *             (0-based, data rows in input order) draws one uniform number u
 *             from the random stream (seed, i) of rng.h and decides 1 when
 *             u < p_mitigated, so decisions depend on neither threads nor
 *             batches;
 *   reweigh   copy every row and append `weight` = n_g n_y / (n n_{g,y})
 *             (Kamiran and Calders; AIF360's Reweighing), g the row's group
 *             (the values of the protected columns) and y its label value;
 *             the input is read once and its records spooled to an anonymous
 *             temporary file (removed by the system whatever happens), then
 *             written out with their weights.
 *
 * A group of several protected columns is named by their values joined with
 * " & " (as audit-fair names an intersection). Rows whose score, label or
 * protected value is missing are not counted, and get empty appended fields.
 */
#ifndef AUDIT_MITIGATE_JOB_H
#define AUDIT_MITIGATE_JOB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <audit/check.h>
#include <audit/csv.h>
#include <audit/error.h>
#include <audit/job.h>
#include <audit/mitigate.h>
#include <audit/progress.h>
#include <audit/rng.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The subcommands. */
enum aud_mit_command {
	AUD_MIT_THRESHOLDS = 0,
	AUD_MIT_APPLY = 1,
	AUD_MIT_REWEIGH = 2,
	AUD_MIT_FRONTIER = 3
};

/** "thresholds", "apply", "reweigh", "frontier", NULL-terminated (index = enum). */
extern const char *const aud_mit_command_names[];

/** The frontier's tolerances when none are given: 0, 0.01, ..., 0.2. */
#define AUD_MIT_FRONTIER_STEPS 21

/** What a thresholds, frontier or reweigh --table run reads and computes. */
struct aud_mit_job_options {
	enum aud_mit_command command;   /**< THRESHOLDS, FRONTIER or REWEIGH (with table) */
	const char *label;              /**< the true label column */
	const char *score;              /**< the score column (not reweigh) */
	const char *const *protected;   /**< the protected columns (their intersection) */
	size_t nprotected;
	const char *positive;           /**< the label value counted as 1 ("1") */
	double threshold;               /**< the decision before: score >= threshold (0.5) */
	struct aud_mit_options mit;     /**< constraint, objective, grid, tolerance */
	const double *tolerances;       /**< frontier: ascending; NULL: the default range */
	size_t ntolerances;
};
#define AUD_MIT_JOB_OPTIONS_INIT { AUD_MIT_THRESHOLDS, NULL, NULL, NULL, 0, "1", 0.5, \
	AUD_MIT_OPTIONS_INIT, NULL, 0 }

struct aud_mit_job;

/**
 * Check the rules between options (which the table cannot say) and make a job.
 * @param[out] out caller owns; free with aud_mit_job_free()
 * @return 0, AUD_EINVAL (a usage error: a missing column, a tolerance list that
 *   is not ascending, ...), AUD_ENOMEM
 */
int aud_mit_job_new(struct aud_mit_job **out, const struct aud_mit_job_options *o,
    struct aud_error *err);
void aud_mit_job_free(struct aud_mit_job *j);

/**
 * The check resolver of thresholds and frontier results (check.h): the paths
 * objective_value, exact.objective_value, exact.difference, before.KEY,
 * after.KEY (once) and groups.before.RATE, groups.after.RATE (per group; a
 * scope names a group). A frontier's values are its chosen point's.
 */
void aud_mit_check_resolver(struct aud_check_resolver *out);

/** The operations aud_job_run() drives (schema "audit.mitigate/1"). */
extern const struct aud_job_ops aud_mit_job_ops;

/**
 * The table, md or csv view of an audit.mitigate/1 document's results (any
 * method): what `write` of aud_mit_job_ops prints.
 * @return 0, AUD_ENOMEM, AUD_EOUTPUT
 */
int aud_mit_write_results(FILE *f, const cJSON *results, enum aud_format format,
    struct aud_error *err);

/* ---- the policy ------------------------------------------------------------ */

/** A policy read from an audit.mitigate/1 document (opaque). */
struct aud_mit_policy;

/**
 * Read a policy: a thresholds document (results.groups) or a frontier one
 * (its chosen point, results.chosen.groups).
 * @param[out] out caller owns; free with aud_mit_policy_free()
 * @return 0, AUD_EIO (unreadable), AUD_EPARSE ("PATH: ..." for malformed JSON,
 *   another schema, a method without rules, a rule with a bad member)
 */
int aud_mit_policy_read(struct aud_mit_policy **out, const char *path, struct aud_error *err);
void aud_mit_policy_free(struct aud_mit_policy *p);

/** The protected columns the policy's groups are values of. Borrowed. */
size_t aud_mit_policy_nprotected(const struct aud_mit_policy *p);
const char *aud_mit_policy_protected(const struct aud_mit_policy *p, size_t i);
/** The score column the policy was computed from. Borrowed. */
const char *aud_mit_policy_score(const struct aud_mit_policy *p);

/** The rule of group `name` (len bytes), or NULL when the policy has none. Borrowed. */
const struct aud_mit_rule *aud_mit_policy_rule(const struct aud_mit_policy *p,
    const char *name, size_t len);

/**
 * The decision of row `row` (0-based): *prob = aud_mit_rule_prob(r, score),
 * and 1 when the first uniform number of stream (seed, row) is below it.
 * @param rng  any stream of rng.h; reseeded here (no allocation)
 */
int aud_mit_decide(double *prob, const struct aud_mit_rule *r, double score,
    struct aud_rng *rng, uint64_t seed, uint64_t row);

/* ---- apply and reweigh ----------------------------------------------------- */

/** Options of aud_mit_apply_write(). */
struct aud_mit_apply_options {
	const char *score;     /**< the score column; NULL: the policy's */
	uint64_t seed;         /**< 42 */
};
#define AUD_MIT_APPLY_OPTIONS_INIT { NULL, 42 }

/**
 * Write the header and every row of `csv` with pred_mitigated and p_mitigated
 * appended, in the input's separator.
 * @return 0, AUD_ENOTFOUND (unknown column), AUD_EPARSE ("PATH:LINE:COL: score
 *   ... outside [0, 1]", "PATH:LINE:COL: group 'x' is not in the policy"),
 *   AUD_EOUTPUT, AUD_ENOMEM, the reader's codes
 */
int aud_mit_apply_write(FILE *f, struct aud_csv *csv, const struct aud_mit_policy *p,
    const struct aud_mit_apply_options *o, const struct aud_progress_cb *progress,
    struct aud_error *err);

/**
 * Write the header and every row of `csv` with `weight` appended (see the top
 * of this file). Each (group, label) cell that has rows of the group and of the
 * label but none of both is a warning sent to `warn` (may be NULL).
 * @return 0, AUD_ENOTFOUND, AUD_EIO (the spool), AUD_EOUTPUT, AUD_ENOMEM, the
 *   reader's codes
 */
int aud_mit_reweigh_write(FILE *f, struct aud_csv *csv, const char *label,
    const char *const *protected, size_t nprotected,
    void (*warn)(const char *msg, void *payload), void *payload,
    const struct aud_progress_cb *progress, struct aud_error *err);

#ifdef __cplusplus
}
#endif
#endif
