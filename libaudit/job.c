/*
 * job.c — the lifecycle every analysing tool shares (see job.h).
 */
#include <audit/job.h>
#include <audit/csvopt.h>
#include <audit/json.h>

#include <stdlib.h>
#include <string.h>

#define MAX_FILES 16

struct run {
	const struct aud_job *job;
	const struct aud_job_ops *ops;
	void *self;
	struct aud_expr **exprs;
	size_t nexprs;
	size_t nchecks;     /* of which from --check (the rest from --policy) */
	struct aud_output *outs[MAX_FILES];
	size_t nouts;
	struct aud_progress *bar;
	struct aud_csv *csv;
	cJSON *doc;
	struct aud_error err;
};

static void
bar_update(void *payload, uint64_t done, uint64_t total)
{
	(void)total;
	aud_progress_update(payload, done);
}

/* Refuse an output that names an input or another output. */
static int
check_files(struct run *r)
{
	const struct aud_job *j = r->job;
	struct aud_cli_file outs[MAX_FILES], ins[MAX_FILES];
	size_t no = 0, ni = 0, i;

	outs[no].option = "-o";
	outs[no++].path = j->out.path;
	for (i = 0; i < j->noutputs && no < MAX_FILES; i++) {
		outs[no].option = j->outputs[i].option;
		outs[no++].path = j->outputs[i].path;
	}
	ins[ni].option = "the input";
	ins[ni++].path = j->input != NULL ? j->input : "-";
	if (j->checks != NULL) {
		ins[ni].option = "--policy";
		ins[ni++].path = j->checks->policy;
	}
	for (i = 0; i < j->ninputs && ni < MAX_FILES; i++)
		ins[ni++] = j->inputs[i];
	return aud_cli_check_files(j->prog, outs, no, ins, ni);
}

/* Parse --check and --policy and validate each against the module's paths. */
static int
read_checks(struct run *r)
{
	const struct aud_cli_checks *c = r->job->checks;
	struct aud_expr **policy = NULL;
	size_t npolicy = 0, i;
	int rc;

	if (c == NULL || (c->exprs.n == 0 && c->policy == NULL))
		return 0;
	if (r->ops->check_validate == NULL || r->ops->check_eval == NULL)
		return AUD_ERROR(&r->err, AUD_EINVAL, "this tool has no checks");
	r->exprs = calloc(c->exprs.n + 1, sizeof(*r->exprs));
	if (r->exprs == NULL)
		return AUD_ERROR(&r->err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < c->exprs.n; i++) {
		char msg[sizeof(r->err.msg)];

		rc = aud_expr_parse(&r->exprs[r->nexprs], c->exprs.v[i], &r->err);
		if (rc == 0) {
			r->nexprs++;
			rc = r->ops->check_validate(r->exprs[r->nexprs - 1], &r->err);
		}
		if (rc < 0) {
			snprintf(msg, sizeof(msg), "%s", r->err.msg);
			return AUD_ERROR(&r->err, AUD_EINVAL, "--check: %s", msg);
		}
	}
	r->nchecks = r->nexprs;
	if (c->policy == NULL)
		return 0;
	rc = aud_expr_policy_read(&policy, &npolicy, c->policy, &r->err);
	for (i = 0; rc == 0 && i < npolicy; i++) {
		rc = r->ops->check_validate(policy[i], &r->err);
		if (rc < 0) {
			char msg[sizeof(r->err.msg)];

			snprintf(msg, sizeof(msg), "%s", r->err.msg);
			rc = AUD_ERROR(&r->err, rc, "%s: entry %zu: %s", c->policy, i + 1, msg);
		}
	}
	if (rc == 0) {
		struct aud_expr **all = realloc(r->exprs, (r->nexprs + npolicy + 1) * sizeof(*all));

		if (all == NULL) {
			rc = AUD_ERROR(&r->err, AUD_ENOMEM, "out of memory");
		} else {
			r->exprs = all;
			memcpy(all + r->nexprs, policy, npolicy * sizeof(*all));
			r->nexprs += npolicy;
			free(policy);
			return 0;
		}
	}
	aud_expr_list_free(policy, npolicy);
	return rc;
}

static int
open_outputs(struct run *r)
{
	const struct aud_job *j = r->job;
	size_t i;
	int rc;

	rc = aud_output_open(&r->outs[r->nouts++], j->out.path, &r->err);
	for (i = 0; rc == 0 && i < j->noutputs; i++)
		if (j->outputs[i].path != NULL)
			rc = aud_output_open(&r->outs[r->nouts++], j->outputs[i].path, &r->err);
	return rc;
}

/* params.checks (the --check expressions, canonical) and params.policy. */
static int
put_check_params(struct run *r)
{
	cJSON *p = aud_envelope_params(r->doc), *x = cJSON_AddArrayToObject(p, "checks");
	const char *policy = r->job->checks->policy;
	size_t i;

	for (i = 0; x != NULL && i < r->nchecks; i++)
		if (!cJSON_AddItemToArray(x, cJSON_CreateString(aud_expr_text(r->exprs[i]))))
			return -1;
	if (x == NULL || (policy != NULL ? cJSON_AddStringToObject(p, "policy", policy) :
	    cJSON_AddNullToObject(p, "policy")) == NULL)
		return -1;
	return 0;
}

/* Read, run, and build the envelope. */
static int
analyse(struct run *r, const char *input, struct aud_csv_options *copts)
{
	const struct aud_job *j = r->job;
	struct aud_input_info info;
	char sha[65];
	time_t now;
	int rc;

	rc = aud_cli_time(&now, getenv("SOURCE_DATE_EPOCH"), &r->err);
	if (rc == 0)
		rc = aud_csv_open(&r->csv, input, copts, &r->err);
	if (rc == 0)
		rc = aud_progress_new(&r->bar, j->progress_label != NULL ? j->progress_label :
		    j->prog, aud_csv_size(r->csv), aud_stderr_is_tty() && !j->out.quiet, &r->err);
	if (rc == 0)
		rc = r->ops->read(r->self, r->csv, bar_update, r->bar, &r->err);
	if (rc == 0)
		rc = aud_csv_sha256(r->csv, sha, &r->err);
	if (rc == 0 && r->ops->run != NULL)
		rc = r->ops->run(r->self, bar_update, r->bar, &r->err);
	aud_progress_free(r->bar);
	r->bar = NULL;
	if (rc < 0)
		return rc;
	info.path = input;
	info.rows = aud_csv_rows(r->csv);
	info.sha256 = sha;
	rc = aud_envelope_new(&r->doc, j->prog, r->ops->schema, now, &info, &r->err);
	if (rc == 0 && j->input_info != NULL)
		rc = j->input_info(r->self, cJSON_GetObjectItemCaseSensitive(r->doc, "input"),
		    &r->err);
	if (rc == 0)
		rc = r->ops->document(r->self, aud_envelope_params(r->doc),
		    aud_envelope_results(r->doc), aud_envelope_warnings(r->doc), &r->err);
	if (rc == 0 && j->checks != NULL && put_check_params(r) < 0)
		rc = AUD_ERROR(&r->err, AUD_ENOMEM, "out of memory");
	return rc;
}

/* Write the document and the further outputs, then commit them all together. */
static int
write_all(struct run *r, int format)
{
	const struct aud_job *j = r->job;
	size_t k = 1, i;
	int rc;

	if (format != AUD_FORMAT_JSON && r->ops->write_self != NULL)
		rc = r->ops->write_self(r->self, r->doc, (enum aud_format)format,
		    aud_output_stream(r->outs[0]), &r->err);
	else if (format == AUD_FORMAT_JSON || r->ops->write == NULL)
		rc = aud_json_write(r->doc, aud_output_stream(r->outs[0]), &r->err);
	else
		rc = r->ops->write(r->doc, (enum aud_format)format,
		    aud_output_stream(r->outs[0]), &r->err);
	for (i = 0; rc == 0 && i < j->noutputs; i++)
		if (j->outputs[i].path != NULL)
			rc = j->outputs[i].write(r->self, r->doc, aud_output_stream(r->outs[k++]),
			    &r->err);
	if (rc == 0)
		rc = aud_output_commit_all(r->outs, r->nouts, &r->err);
	return rc;
}

int
aud_job_run(const struct aud_job *job, const struct aud_job_ops *ops, void *self)
{
	struct aud_csvopt_notice_ctx notice;
	struct aud_csv_options copts = job->csv;
	struct run r;
	const char *input = job->input != NULL ? job->input : "-";
	size_t nfailed = 0, i;
	int status, rc, format;
	cJSON *w;

	memset(&r, 0, sizeof(r));
	r.job = job;
	r.ops = ops;
	r.self = self;
	r.err.code = 0;
	notice.prog = job->prog;
	notice.quiet = job->out.quiet;
	copts.notice = aud_csvopt_notice;
	copts.notice_payload = &notice;
	format = job->out.format >= 0 ? job->out.format : (int)aud_default_format(job->out.path);
	status = check_files(&r);
	if (status != AUD_EXIT_OK)
		goto done;
	rc = read_checks(&r);
	if (rc == 0)
		rc = open_outputs(&r);
	if (rc == 0)
		rc = analyse(&r, input, &copts);
	/* evaluated even without expressions: a module may report checks of its own */
	if (rc == 0 && ops->check_eval != NULL)
		rc = ops->check_eval(self, aud_envelope_results(r.doc), r.exprs, r.nexprs,
		    job->checks->allow_undefined, aud_envelope_checks(r.doc),
		    aud_envelope_warnings(r.doc), &nfailed, &r.err);
	if (rc < 0) {
		status = aud_cli_report(job->prog, &r.err);
		goto done;
	}
	cJSON_ArrayForEach(w, aud_envelope_warnings(r.doc))
		if (cJSON_IsString(w))
			aud_cli_warn(job->prog, job->out.quiet, "%s", w->valuestring);
	rc = write_all(&r, format);
	if (rc < 0) {
		status = aud_cli_report(job->prog, &r.err);
		goto done;
	}
	status = nfailed > 0 ? AUD_EXIT_CHECK : AUD_EXIT_OK;
done:
	aud_progress_free(r.bar);
	cJSON_Delete(r.doc);
	for (i = 0; i < r.nouts; i++)
		aud_output_free(r.outs[i]);
	aud_csv_free(r.csv);
	aud_expr_list_free(r.exprs, r.nexprs);
	return status;
}
