/*
 * data_impl.h — private: how data_job.c hands each audit-data subcommand to
 * its module (profile and check: profile.c, datacheck.c; drift: drift*.c).
 *
 * Each subcommand makes a `struct aud__data_sub`: its runner operations, its
 * state, how to free it and how to describe its files to the runner.
 * data_job.c keeps one and forwards aud_data_job_ops()/_describe()/_free().
 */
#ifndef AUDIT_DATA_IMPL_H
#define AUDIT_DATA_IMPL_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include <audit/data_job.h>
#include <audit/error.h>
#include <audit/job.h>
#include <audit/text.h>

/** One subcommand's job. */
struct aud__data_sub {
	const struct aud_job_ops *ops;
	void *self;
	void (*free)(void *self);
	/** Fill job->inputs/outputs/input_info/note (may be NULL: nothing to add). */
	int (*describe)(void *self, struct aud_job *job, struct aud_error *err);
};

/** profile (profile.c). @return 0, AUD_EINVAL, AUD_ENOMEM */
int aud__profile_job_new(struct aud__data_sub *out, const struct aud_data_options *o,
    struct aud_error *err);
/** check --schema (datacheck.c). @return 0, AUD_EINVAL, AUD_ENOMEM */
int aud__check_job_new(struct aud__data_sub *out, const struct aud_data_options *o,
    struct aud_error *err);
/** drift --reference (drift_job.c). @return 0, AUD_EINVAL, AUD_ENOMEM */
int aud__drift_job_new(struct aud__data_sub *out, const struct aud_data_options *o,
    struct aud_error *err);

/** The text views of each document (table, md, csv), from the document alone. */
int aud__profile_write(const cJSON *doc, enum aud_format format, FILE *f,
    struct aud_error *err);
int aud__check_write(const cJSON *doc, enum aud_format format, FILE *f,
    struct aud_error *err);
int aud__drift_write(const cJSON *doc, enum aud_format format, FILE *f,
    struct aud_error *err);

#endif
