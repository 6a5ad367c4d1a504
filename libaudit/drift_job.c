/*
 * drift_job.c — audit-data drift as a job of the runner: the rules between
 * options, the reference read with its own CSV reader, the current input
 * read through the runner, the audit.drift/1 document and its checks.
 */
#include <stdlib.h>
#include <string.h>

#include "data_impl.h"

int
aud__drift_job_new(struct aud__data_sub *out, const struct aud_data_options *o,
    struct aud_error *err)
{
	memset(out, 0, sizeof(*out));
	if (o->reference == NULL)
		return AUD_ERROR(err, AUD_EINVAL, "drift: --reference is required");
	return AUD_ERROR(err, AUD_EUNSUPPORTED, "drift: not implemented yet");
}
