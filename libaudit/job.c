/*
 * job.c — the lifecycle every analysing tool shares (see job.h).
 */
#include <audit/job.h>
#include <audit/csvopt.h>
#include <audit/clicheck.h>
#include <audit/json.h>

#include <stdlib.h>
#include <string.h>

#define MAX_FILES 16

struct run {
	const struct aud_job *job;
	const struct aud_job_ops *ops;
	void *self;
	struct aud_check_resolver resolver;
	struct aud_check_set *set;     /* NULL: the tool has no checks */
	struct aud_output *junit;      /* --junit, also in outs[] */
	struct aud_output *outs[MAX_FILES];
	size_t nouts;
	struct aud_cli_progress bar;
	struct aud_csv *csv;
	cJSON *doc;
	struct aud_error err;
};

/* Refuse an output that names an input or another output. */
static int
check_files(struct run *r)
{
	const struct aud_job *j = r->job;
	struct aud_cli_file outs[MAX_FILES], ins[MAX_FILES];
	size_t no = 0, ni = 0, i;

	outs[no].option = "-o";
	outs[no++].path = j->out.path;
	if (j->checks != NULL) {
		outs[no].option = "--junit";
		outs[no++].path = j->checks->junit;
	}
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

static int
is_stdout(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0;
}

/*
 * The check set: the --check expressions and the policy's, each refused
 * before any data is read when the module does not know its path. A module
 * with checks gets a set even without expressions: it may report checks of
 * its own (audit-fair's four-fifths rule).
 */
static int
read_checks(struct run *r)
{
	const struct aud_cli_checks *c = r->job->checks;
	size_t i;
	int rc;

	if (c == NULL || r->ops->checks == NULL) {
		if (c != NULL && (c->exprs.n > 0 || c->policy != NULL || c->junit != NULL))
			return AUD_ERROR(&r->err, AUD_EINVAL, "this tool has no checks");
		return 0;
	}
	if (c->junit != NULL && is_stdout(c->junit) && is_stdout(r->job->out.path))
		return AUD_ERROR(&r->err, AUD_EINVAL, "--junit: standard output already takes "
		    "the results; give -o FILE or a --junit FILE");
	r->ops->checks(r->self, &r->resolver);
	rc = aud_check_set_new(&r->set, &r->resolver, &r->err);
	for (i = 0; rc == 0 && i < c->exprs.n; i++) {
		rc = aud_check_set_add(r->set, c->exprs.v[i], &r->err);
		if (rc < 0 && rc != AUD_ENOMEM) {
			char msg[sizeof(r->err.msg)];

			snprintf(msg, sizeof(msg), "%s", r->err.msg);
			rc = AUD_ERROR(&r->err, AUD_EINVAL, "--check: %s", msg);
		}
	}
	if (rc == 0 && c->policy != NULL)
		rc = aud_check_set_add_policy(r->set, c->policy, &r->err);
	if (rc == 0)
		aud_check_set_allow_undefined(r->set, c->allow_undefined);
	return rc;
}

static int
open_outputs(struct run *r)
{
	const struct aud_job *j = r->job;
	size_t i;
	int rc;

	rc = aud_output_open(&r->outs[r->nouts++], j->out.path, &r->err);
	if (rc == 0 && r->set != NULL && j->checks->junit != NULL) {
		rc = aud_output_open(&r->outs[r->nouts++], j->checks->junit, &r->err);
		r->junit = r->outs[r->nouts - 1];
	}
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

	/* the set holds the --check expressions first, then the policy's */
	for (i = 0; x != NULL && i < r->job->checks->exprs.n; i++)
		if (!cJSON_AddItemToArray(x, cJSON_CreateString(aud_expr_text(
		    aud_check_set_expr(r->set, i)))))
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
	struct aud_progress_cb progress = { aud_cli_progress, &r->bar };
	struct aud_input_info info;
	char sha[65];
	time_t now;
	int rc;

	rc = aud_cli_time(&now, getenv("SOURCE_DATE_EPOCH"), &r->err);
	if (rc == 0)
		rc = aud_csv_open(&r->csv, input, copts, &r->err);
	aud_cli_progress_init(&r->bar, aud_stderr_is_tty() && !j->out.quiet);
	if (rc == 0)
		rc = r->ops->read(r->self, r->csv, &progress, &r->err);
	if (rc == 0)
		rc = aud_csv_sha256(r->csv, sha, &r->err);
	if (rc == 0 && j->note != NULL && !j->out.quiet) {
		const char *note = j->note(r->self);
		size_t size = note != NULL ? 4 * strlen(note) + 1 : 0;
		char *shown = note != NULL ? malloc(size) : NULL;

		if (shown != NULL) {
			aud_cli_escape(shown, size, note);
			fprintf(stderr, "%s: note: %s\n", j->prog, shown);
		}
		free(shown);
	}
	if (rc == 0 && r->ops->run != NULL)
		rc = r->ops->run(r->self, &progress, &r->err);
	aud_cli_progress_end(&r->bar);
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
	if (rc == 0 && r->set != NULL && put_check_params(r) < 0)
		rc = AUD_ERROR(&r->err, AUD_ENOMEM, "out of memory");
	return rc;
}

/* Write the document and the further outputs, then commit them all together. */
static int
write_all(struct run *r, int format)
{
	const struct aud_job *j = r->job;
	size_t k = r->junit != NULL ? 2 : 1, i;    /* the document, the JUnit file, the rest */
	int rc;

	if (format == AUD_FORMAT_JSON || r->ops->write == NULL)
		rc = aud_json_write(r->doc, aud_output_stream(r->outs[0]), &r->err);
	else
		rc = r->ops->write(r->doc, (enum aud_format)format,
		    aud_output_stream(r->outs[0]), &r->err);
	if (rc == 0 && r->junit != NULL)
		rc = aud_check_junit_write(aud_envelope_checks(r->doc), j->prog,
		    aud_check_set_allows_undefined(r->set), aud_output_stream(r->junit), &r->err);
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
	/* run even without expressions: a module may report checks of its own */
	if (rc == 0 && r.set != NULL)
		rc = aud_check_set_run(r.set, aud_envelope_results(r.doc), aud_envelope_checks(r.doc),
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
	/* the answer, after the outputs are in place: every failing check, one line each */
	if (r.set != NULL)
		aud_cli_checks_print_failures(stderr, job->prog, aud_envelope_checks(r.doc),
		    aud_check_set_allows_undefined(r.set));
	status = nfailed > 0 ? AUD_EXIT_CHECK : AUD_EXIT_OK;
done:
	aud_cli_progress_end(&r.bar);
	cJSON_Delete(r.doc);
	for (i = 0; i < r.nouts; i++)
		aud_output_free(r.outs[i]);
	aud_csv_free(r.csv);
	aud_check_set_free(r.set);
	return status;
}
