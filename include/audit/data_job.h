/*
 * data_job.h — audit-data's three analyses as jobs of the runner (job.h):
 *   profile   per column its kind, missing rate, distinct values, numeric
 *             summaries and quantiles, top categories, constant and ID-like
 *             flags; duplicate rows; optionally the schema it implies
 *             (--emit-schema, an editable JSON file)
 *   check     the input against a schema: every violation kind counted per
 *             column with its first offending FILE:LINE; the offending rows
 *             (--rows-out); exit 1 when a violation is found
 *   drift     the input (current data) against --reference: per column the
 *             drift statistics of its kind and the deciding test, PSI always,
 *             dataset drift; per group (--by) and per window (--window)
 * Each reads its input once, streaming (colstat.h per column); nothing is
 * printed here. Documents: audit.data-profile/1, audit.data-check/1,
 * audit.drift/1 (docs/data.md).
 */
#ifndef AUDIT_DATA_JOB_H
#define AUDIT_DATA_JOB_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include <audit/check.h>
#include <audit/colstat.h>
#include <audit/csv.h>
#include <audit/driftstat.h>
#include <audit/error.h>
#include <audit/job.h>
#include <audit/text.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The subcommands. */
enum aud_data_command {
	AUD_DATA_PROFILE = 0,
	AUD_DATA_CHECK = 1,
	AUD_DATA_DRIFT = 2
};

/** "profile", "check", "drift", NULL-terminated (index = enum). */
extern const char *const aud_data_command_names[];

/** The drift test of a column (--method, or chosen per column by AUTO). */
enum aud_drift_method {
	AUD_DRIFT_AUTO = 0,        /**< Evidently's default selection */
	AUD_DRIFT_KS,              /**< Kolmogorov–Smirnov p < threshold (0.05) */
	AUD_DRIFT_CHISQUARE,       /**< chi-square goodness of fit p < threshold (0.05) */
	AUD_DRIFT_Z,               /**< two-proportion z-test p < threshold (0.05) */
	AUD_DRIFT_WASSERSTEIN,     /**< normed Wasserstein >= threshold (0.1) */
	AUD_DRIFT_JENSENSHANNON,   /**< Jensen–Shannon distance >= threshold (0.1) */
	AUD_DRIFT_PSI              /**< PSI >= threshold (0.1) */
};

/** "auto", "ks", "chisquare", "z", "wasserstein", "jensenshannon", "psi", NULL. */
extern const char *const aud_drift_method_names[];

/** What an audit-data run reads and computes. */
struct aud_data_options {
	enum aud_data_command command;
	const char *const *columns;    /**< --columns: the columns looked at; NULL: all */
	size_t ncolumns;
	struct aud_colstat_options col; /**< --sketch, --sketch-eps, --max-categories */

	/* profile */
	size_t top;                    /**< --top: categories listed per column (10) */
	const char *emit_schema;       /**< --emit-schema FILE, or NULL */

	/* check */
	const char *schema;            /**< --schema FILE (required for check) */
	const char *rows_out;          /**< --rows-out FILE, or NULL */

	/* drift */
	const char *reference;         /**< --reference FILE (required for drift) */
	unsigned long reference_skip_lines; /**< --reference-skip-lines (else -s N's value) */
	int reference_skip_set;        /**< 1 when --reference-skip-lines was given */
	enum aud_drift_method method;  /**< --method */
	double threshold;              /**< --threshold; NaN: the method's default */
	double share;                  /**< --share: dataset drift when drifted/tested >= share (0.5) */
	const char *pred;              /**< --pred COL: prediction drift, or NULL */
	const char *label;             /**< --label COL: label drift, or NULL */
	const char *by;                /**< --by COL: the same per group, or NULL */
	const char *window;            /**< --window COL[=UNIT]: successive windows, or NULL */
	const char *strip_suffix;      /**< --strip-suffix CHARS: trailing characters dropped
	                                    from categorical values of both files, or NULL */
};
#define AUD_DATA_OPTIONS_INIT { AUD_DATA_PROFILE, NULL, 0, AUD_COLSTAT_OPTIONS_INIT, \
	10, NULL, NULL, NULL, NULL, 0, 0, AUD_DRIFT_AUTO, NAN, 0.5, NULL, NULL, NULL, NULL, NULL }

struct aud_data_job;

/**
 * Check the rules between options (which the option table cannot say) and
 * make a job for opts->command. Options are borrowed: they must outlive the job.
 * @param[out] out caller owns; free with aud_data_job_free()
 * @return 0, AUD_EINVAL (a usage error), AUD_ENOMEM
 */
int aud_data_job_new(struct aud_data_job **out, const struct aud_data_options *opts,
    struct aud_error *err);

/** Free. NULL is allowed. */
void aud_data_job_free(struct aud_data_job *j);

/** The job's operations for aud_job_run(). */
const struct aud_job_ops *aud_data_job_ops(const struct aud_data_job *j);

/**
 * The state aud_job_run() hands to those operations (its `self`): the
 * subcommand's. Borrowed; valid until the job is freed.
 */
void *aud_data_job_self(const struct aud_data_job *j);

/**
 * Fill the runner's description: the other files it reads (--schema,
 * --reference), its further outputs (--emit-schema, --rows-out) and its
 * input_info/note hooks. `job` already holds prog, input, csv, out, checks.
 * @return 0 or AUD_ENOMEM
 */
int aud_data_job_describe(struct aud_data_job *j, struct aud_job *job,
    struct aud_error *err);

/** The table/md/csv view of any audit-data document (for audit-report --format). */
int aud_data_write(const cJSON *doc, enum aud_format format, FILE *f, struct aud_error *err);

#ifdef __cplusplus
}
#endif
#endif
