/*
 * slice.h — audit-slice: a model's metric on slices of the data, each
 * against the rest; named slices (--slice NAME=EXPR, rowexpr.h) or discovered
 * ones (--discover). The design, the metrics, the tests and the document
 * (audit.slice/1) are described in docs/slice.md.
 */
#ifndef AUDIT_SLICE_H
#define AUDIT_SLICE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include <audit/error.h>
#include <audit/text.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What is measured on each eligible row (docs/slice.md has the table). */
enum aud_slice_metric {
	AUD_SLICE_ACCURACY = 0, AUD_SLICE_ERROR_RATE, AUD_SLICE_FPR, AUD_SLICE_FNR,
	AUD_SLICE_LOG_LOSS, AUD_SLICE_BRIER, AUD_SLICE_MAE, AUD_SLICE_MSE
};

/** The --metric names in enum order, NULL-terminated. */
extern const char *const aud_slice_metric_names[];

/** A named slice. Strings borrowed. */
struct aud_slice_named {
	const char *name;
	const char *expr;
};

/** Options. Strings and arrays are borrowed for the job's lifetime. */
struct aud_slice_options {
	const char *label, *pred, *score;   /**< columns; score may be NULL */
	const char *task;                   /**< "classification" (default) or "regression" */
	enum aud_slice_metric metric;
	const char *positive;               /**< fpr/fnr/log_loss/brier: the positive label ("1") */
	const struct aud_slice_named *slices;
	size_t nslices;
	int discover;                       /**< 1: --discover (no --slice) */
	unsigned max_degree;                /**< 1..3 (2) */
	unsigned bins;                      /**< 2..100 (10) */
	uint64_t min_size;                  /**< (30) */
	double fdr;                         /**< (0, 1) (0.05) */
	unsigned top;                       /**< (10) */
	unsigned max_values;                /**< (100) */
	const char *const *columns;         /**< NULL: every column but label/pred/score */
	size_t ncolumns;
	double ci_level;                    /**< (0.95) */
};
#define AUD_SLICE_OPTIONS_INIT { NULL, NULL, NULL, "classification", AUD_SLICE_ACCURACY, \
	"1", NULL, 0, 0, 2, 10, 30, 0.05, 10, 100, NULL, 0, 0.95 }

struct aud_job_ops;
struct aud_slice_job;

/**
 * A new job: checks the options (a metric the task and columns allow; named
 * slices parse; --discover or --slice, not both), before any data is read.
 * @param[out] out caller owns; free with aud_slice_job_free()
 * @return 0, AUD_EINVAL (usage: the message names the option), AUD_ENOMEM
 */
int aud_slice_job_new(struct aud_slice_job **out, const struct aud_slice_options *o,
    struct aud_error *err);

/** Free. NULL is allowed. */
void aud_slice_job_free(struct aud_slice_job *j);

/** The job's operations for aud_job_run() (schema audit.slice/1). */
extern const struct aud_job_ops aud_slice_job_ops;

/** The table/md/csv view of an audit.slice/1 document (from the document alone). */
int aud_slice_write(const cJSON *doc, enum aud_format format, FILE *f, struct aud_error *err);

#ifdef __cplusplus
}
#endif
#endif
