/*
 * slice_impl.h — private to audit-slice: the per-row metric, the comparison
 * of a slice with its complement (slice.c), and discovery (discover.c),
 * which the job (slice_job.c) feeds row by row.
 */
#ifndef AUDIT_SLICE_IMPL_H
#define AUDIT_SLICE_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include <audit/csv.h>
#include <audit/error.h>
#include <audit/slice.h>

/* The sums of one sample of the per-row metric (rates: s = ss = the count of ones). */
struct aud__slice_sum {
	uint64_t n;
	double s, ss;
};

/* A slice against its complement (docs/slice.md, "The metric of a slice"). */
struct aud__slice_cmp {
	double metric, lo, hi;        /* NaN when undefined */
	double cmetric, clo, chi;
	double effect;                /* positive: the slice is worse */
	double statistic;             /* z or t, signed so that positive = the slice is worse */
	double dof;                   /* Welch: the Welch-Satterthwaite dof; NaN for z */
	double p_two, p_worse;        /* two-sided, one-sided (slice worse) */
};

/*
 * One row as the per-row metric sees it: the label and prediction texts
 * (classification), their numbers (regression), the score (log_loss, brier)
 * and the positive label.
 */
struct aud__slice_row {
	const char *label, *pred;
	size_t label_len, pred_len;
	double label_num, pred_num, score;
	const char *positive;
};

/* scikit-learn's clipping of probabilities in log_loss: [eps, 1 - eps], eps of a double. */
#define AUD__SLICE_EPS 2.220446049250313e-16

/* 1 when a and b are equal as texts, or as numbers when both are numbers. */
int aud__slice_same(const char *a, size_t al, const char *b, size_t bl);

/*
 * The metric's value on one row (docs/slice.md's table).
 * @return 1 (eligible; *out set), 0 (not eligible for the metric: fpr, fnr)
 */
int aud__slice_value(double *out, enum aud_slice_metric m, const struct aud__slice_row *r);

/* 1: the metric is a rate (0/1 values: Wilson, two-proportion z); 0: a mean (t, Welch). */
int aud__slice_is_rate(enum aud_slice_metric m);
/* 1: lower is worse (accuracy); 0: higher is worse. */
int aud__slice_lower_worse(enum aud_slice_metric m);
/* "accuracy", ... */
const char *aud__slice_metric_name(enum aud_slice_metric m);

/*
 * Compare the slice `in` with the rest: `all` minus `in`. level: the
 * intervals' confidence level. An empty slice or complement leaves its
 * metric, the effect and the test NaN; a mean needs two values on each side
 * for its interval and Welch's test. When the test's standard error is 0 (no
 * spread on either side), equal metrics give p-values 1 and a NaN
 * statistic, unequal ones an infinite statistic and p_two 0.
 */
void aud__slice_compare(struct aud__slice_cmp *out, enum aud_slice_metric m,
    const struct aud__slice_sum *in, const struct aud__slice_sum *all, double level);

/*
 * Add to the object s a slice's members against its complement: size,
 * metric, ci, complement_size, complement_metric, complement_ci, effect,
 * test, statistic, p_value (two-sided), as docs/slice.md lists them.
 * @return 0, -1 (out of memory)
 */
int aud__slice_put_cmp(cJSON *s, enum aud_slice_metric m, const struct aud__slice_sum *in,
    const struct aud__slice_sum *all, double level);

/* ---- discovery (discover.c) ---- */

struct aud__discover;

/*
 * A new discovery over the columns of `o` (o->columns, or every column of
 * the header but those in `exclude`), resolved against csv's header.
 * @return 0, AUD_ENOTFOUND (a --columns name not in the file), AUD_EINVAL
 * (o->max_values above 65534: predicates are 16-bit codes), AUD_ENOMEM
 */
int aud__discover_new(struct aud__discover **out, const struct aud_slice_options *o,
    struct aud_csv *csv, const char *const *exclude, size_t nexclude, struct aud_error *err);
void aud__discover_free(struct aud__discover *d);

/*
 * Keep the current record of csv: its slicing columns, whether it is
 * eligible for the metric, and its per-row value. Called for every row that
 * is not skipped: eligible or not, a row counts for the columns' bins.
 * @return 0, AUD_ENOMEM
 */
int aud__discover_add(struct aud__discover *d, struct aud_csv *csv, int eligible,
    double value, struct aud_error *err);

/*
 * Search, rank and fill results' "slices" (best first) and "discovery"
 * (docs/slice.md), appending warnings (strings: the columns left out).
 * Rates are tested by Fisher's one-sided exact test, means by Welch's.
 * @return 0, AUD_ENOMEM
 */
int aud__discover_finish(struct aud__discover *d, cJSON *results, cJSON *warnings,
    struct aud_error *err);

#endif
