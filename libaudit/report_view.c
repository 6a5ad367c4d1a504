/*
 * report_view.c — a saved result document's table view (report.h): the
 * view its tool prints with --format table, md or csv, chosen by the
 * document's schema, so that a long audit need not run again to be read.
 */
#include <audit/report.h>

#include <audit/data_job.h>
#include <audit/explain.h>
#include <audit/fairness.h>
#include <audit/fairtask.h>
#include <audit/json.h>
#include <audit/mitigate_job.h>
#include <audit/robust.h>
#include <audit/slice.h>


int
aud_report_print(FILE *f, const cJSON *doc, const char *name, enum aud_format fmt,
    struct aud_error *err)
{
	enum aud_report_kind kind;
	int rc;

	if (fmt == AUD_FORMAT_JSON)
		return AUD_ERROR(err, AUD_EINVAL, "a document's view is table, md or csv");
	rc = aud_report_classify(&kind, doc, name, err);
	if (rc < 0)
		return rc;
	switch (kind) {
	case AUD_REPORT_FAIRNESS:
		return aud_fairness_write(doc, fmt, f, err);
	case AUD_REPORT_ROBUSTNESS:
		return aud_robust_write(f, aud_json_get(doc, "results"), fmt, err);
	case AUD_REPORT_EXPLANATION:
		return aud_explain_write_results(f, aud_json_get(doc, "results"), fmt, err);
	case AUD_REPORT_MITIGATION:
		return aud_mit_write_results(f, aud_json_get(doc, "results"), fmt, err);
	case AUD_REPORT_DATA_PROFILE:
	case AUD_REPORT_DATA_CHECK:
	case AUD_REPORT_DRIFT:
		return aud_data_write(doc, fmt, f, err);
	case AUD_REPORT_FAIRNESS_MULTICLASS:
	case AUD_REPORT_FAIRNESS_REGRESSION:
		return aud_fairtask_write(doc, fmt, f, err);
	case AUD_REPORT_SLICE:
		return aud_slice_write(doc, fmt, f, err);
	}
	return AUD_ERROR(err, AUD_EINTERNAL, "%s: no view for its kind", name);
}

int
aud_report_print_file(FILE *f, const char *path, enum aud_format fmt, struct aud_error *err)
{
	cJSON *doc = NULL;
	int rc = aud_json_read_file(&doc, path, err);

	if (rc == 0)
		rc = aud_report_print(f, doc, path, fmt, err);
	cJSON_Delete(doc);
	return rc;
}
