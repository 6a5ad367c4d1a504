/*
 * data_job.c — audit-data's subcommands as jobs (data_job.h): the option
 * rules they share, then the hand-over to each subcommand's module
 * (data_impl.h), and the text view of any of their documents.
 */
#include <audit/data_job.h>

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/json.h>

#include "data_impl.h"

const char *const aud_data_command_names[] = { "profile", "check", "drift", NULL };
const char *const aud_drift_method_names[] = { "auto", "ks", "chisquare", "z", "wasserstein",
	"jensenshannon", "psi", NULL };

struct aud_data_job {
	struct aud__data_sub sub;
};

/* The rules every subcommand shares, and those naming another subcommand's options. */
static int
check_rules(const struct aud_data_options *o, struct aud_error *err)
{
	size_t i, j;

	if ((unsigned)o->command > AUD_DATA_DRIFT)
		return AUD_ERROR(err, AUD_EINVAL, "unknown audit-data subcommand %d",
		    (int)o->command);
	if (o->col.max_categories < 1)
		return AUD_ERROR(err, AUD_EINVAL, "--max-categories must be at least 1");
	if (o->col.sketch && !(o->col.sketch_eps > 0.0 && o->col.sketch_eps < 0.5))
		return AUD_ERROR(err, AUD_EINVAL, "--sketch-eps must be in (0, 0.5), not %g",
		    o->col.sketch_eps);
	for (i = 0; i < o->ncolumns; i++)
		for (j = 0; j < i; j++)
			if (strcmp(o->columns[i], o->columns[j]) == 0)
				return AUD_ERROR(err, AUD_EINVAL, "--columns: '%s' given twice",
				    o->columns[i]);
	if (o->command != AUD_DATA_PROFILE && o->emit_schema != NULL)
		return AUD_ERROR(err, AUD_EINVAL, "--emit-schema goes with profile");
	if (o->command != AUD_DATA_CHECK && (o->schema != NULL || o->rows_out != NULL))
		return AUD_ERROR(err, AUD_EINVAL, "%s goes with check",
		    o->schema != NULL ? "--schema" : "--rows-out");
	if (o->command == AUD_DATA_CHECK && o->schema == NULL)
		return AUD_ERROR(err, AUD_EINVAL, "check needs --schema FILE");
	if (o->command != AUD_DATA_DRIFT && (o->reference != NULL || o->pred != NULL ||
	    o->label != NULL || o->by != NULL || o->window != NULL || o->strip_suffix != NULL))
		return AUD_ERROR(err, AUD_EINVAL, "--reference, --pred, --label, --by, --window "
		    "and --strip-suffix go with drift");
	if (o->command == AUD_DATA_DRIFT && o->reference == NULL)
		return AUD_ERROR(err, AUD_EINVAL, "drift needs --reference FILE");
	return 0;
}

int
aud_data_job_new(struct aud_data_job **out, const struct aud_data_options *o,
    struct aud_error *err)
{
	struct aud_data_job *j;
	int rc;

	assert(out != NULL && o != NULL);
	*out = NULL;
	rc = check_rules(o, err);
	if (rc < 0)
		return rc;
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	switch (o->command) {
	case AUD_DATA_PROFILE:
		rc = aud__profile_job_new(&j->sub, o, err);
		break;
	case AUD_DATA_CHECK:
		rc = aud__check_job_new(&j->sub, o, err);
		break;
	default:
		rc = aud__drift_job_new(&j->sub, o, err);
		break;
	}
	if (rc < 0) {
		free(j);
		return rc;
	}
	*out = j;
	return 0;
}

void
aud_data_job_free(struct aud_data_job *j)
{
	if (j == NULL)
		return;
	if (j->sub.free != NULL)
		j->sub.free(j->sub.self);
	free(j);
}

const struct aud_job_ops *
aud_data_job_ops(const struct aud_data_job *j)
{
	return j->sub.ops;
}

void *
aud_data_job_self(const struct aud_data_job *j)
{
	return j->sub.self;
}

int
aud_data_job_describe(struct aud_data_job *j, struct aud_job *job, struct aud_error *err)
{
	if (j->sub.describe == NULL)
		return 0;
	return j->sub.describe(j->sub.self, job, err);
}

int
aud_data_write(const cJSON *doc, enum aud_format format, FILE *f, struct aud_error *err)
{
	const char *schema = aud_json_str(doc, "schema");

	if (schema != NULL && strcmp(schema, "audit.data-profile/1") == 0)
		return aud__profile_write(doc, format, f, err);
	if (schema != NULL && strcmp(schema, "audit.data-check/1") == 0)
		return aud__check_write(doc, format, f, err);
	if (schema != NULL && strcmp(schema, "audit.drift/1") == 0)
		return aud__drift_write(doc, format, f, err);
	return AUD_ERROR(err, AUD_EPARSE, "not an audit-data document (schema '%s')",
	    schema != NULL ? schema : "none");
}
