/*
 * drift_impl.h — private: the drift comparison of drift.c, shared with
 * drift_job.c and the unit tests.
 *
 * A column of the reference and the same column of the current data (two
 * colstat.h accumulators) give one JSON object of audit.drift/1's
 * results.columns[]: the statistics of the column's kind, the deciding test,
 * its threshold and the decision. A list of such objects gives the summary
 * (tested, drifted, drift_share, dataset_drift).
 */
#ifndef AUDIT_DRIFT_IMPL_H
#define AUDIT_DRIFT_IMPL_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include <audit/colstat.h>
#include <audit/data_job.h>
#include <audit/error.h>

/** Categories the histogram of a categorical column shows (the rest is "(other)"). */
#define AUD__DRIFT_HIST_TOP 20

/** Reference sizes up to this use the p-value tests (Evidently's default selection). */
#define AUD__DRIFT_SMALL_REFERENCE 1000

/** The rules of a comparison. */
struct aud__drift_rules {
	enum aud_drift_method method;  /**< --method (AUTO: per column) */
	double threshold;              /**< --threshold, NaN: the test's default */
	double share;                  /**< --share */
};

/**
 * The test of a column: `forced` unless it is AUTO or not defined for the
 * column, else Evidently's default: with nref <= 1000 present reference
 * values, KS for a numeric column of more than 5 distinct values, the z-test
 * for at most 2 distinct values, chi-square otherwise; with more, the normed
 * Wasserstein distance for a numeric column of more than 5 distinct values,
 * Jensen–Shannon otherwise. `ndistinct` counts the distinct values of both
 * files together. *fallback (may be NULL) is 1 when `forced` was not
 * defined for the column and the default was used instead.
 */
enum aud_drift_method aud__drift_select(enum aud_drift_method forced, int numeric,
    uint64_t ndistinct, uint64_t nref, int *fallback);

/** The threshold of a test: `given` unless NaN, else 0.05 (p-values) or 0.1. */
double aud__drift_threshold(enum aud_drift_method m, double given);

/** 1 when the test's method compares a p-value (drift when p < threshold). */
int aud__drift_is_pvalue(enum aud_drift_method m);

/**
 * The decision: p-value tests drift when value < threshold, distances when
 * value >= threshold; a NaN value never drifts (an infinite distance does).
 */
int aud__drift_decide(enum aud_drift_method m, double value, double threshold);

/** The statistic a test decides on ("ks_pvalue", "wasserstein_normed", ...). */
const char *aud__drift_stat_key(enum aud_drift_method m);

/**
 * Fill `obj` (an empty object) with the comparison of column `name`: `ref`
 * and `cur` (either may be NULL: the column is then reported as being in
 * one file only). Warnings (strings, prefixed by `where`, which may be "")
 * go to `warnings` (may be NULL). Sorting the numbers may allocate.
 * @return 0, AUD_ENOMEM
 */
int aud__drift_column(cJSON *obj, const char *name, struct aud_colstat *ref,
    struct aud_colstat *cur, const struct aud__drift_rules *r, cJSON *warnings,
    const char *where, struct aud_error *err);

/**
 * Add `tested`, `drifted`, `drift_share` (null when nothing was tested) and
 * `dataset_drift` (drift_share >= share; null when nothing was tested) of
 * the column objects in `columns` to obj.
 * @return 0 or AUD_ENOMEM
 */
int aud__drift_summary(cJSON *obj, const cJSON *columns, double share,
    struct aud_error *err);

#endif
