/*
 * explain_job.c — audit-explain's analysis as the job runner drives it
 * (job.h): the rules of a request (which columns play which role, which rows
 * are explained, the background), the model opened at the right moment, the
 * envelope's params and provenance, the per-row output and the text view.
 */
#include <audit/explain.h>
#include <audit/csvopt.h>
#include <audit/job.h>
#include <audit/json.h>
#include <audit/xgb.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

const char *const aud_explain_output_names[] = { "score", "margin", NULL };
const char *const aud_explain_link_names[] = { "identity", "logit", NULL };

struct aud_explain_job {
	const struct aud_explain_request *r;
	struct aud_explain_options o;
	struct aud_bins **bins;
	size_t nbins;
	struct aud_model_open_options mo;
	struct aud_model *m;
	struct aud_explain *ex;
	struct aud_cli_file inputs[2];
	size_t ninputs;
	struct aud_job_output output;
	struct aud_csv_options bg_csv;        /* the background's reader: notices printed */
	struct aud_csvopt_notice_ctx notice;
};

/* ---- options ---- */

int
aud_explain_range_parse(struct aud_explain_range *out, const char *s, struct aud_error *err)
{
	const char *colon = strchr(s, ':');
	char buf[64];
	long a = 0, b = 0;
	int rc;

	if (colon == NULL) {
		rc = aud_parse_long(&b, s, 1, LONG_MAX, "--rows", err);
		if (rc < 0)
			return AUD_EINVAL;
	} else {
		if ((size_t)(colon - s) >= sizeof(buf))
			return AUD_ERROR(err, AUD_EINVAL, "--rows: bad range '%s'", s);
		memcpy(buf, s, (size_t)(colon - s));
		buf[colon - s] = '\0';
		if (buf[0] != '\0' && aud_parse_long(&a, buf, 0, LONG_MAX, "--rows", err) < 0)
			return AUD_EINVAL;
		if (colon[1] != '\0') {
			if (aud_parse_long(&b, colon + 1, 1, LONG_MAX, "--rows", err) < 0)
				return AUD_EINVAL;
			if (b <= a)
				return AUD_ERROR(err, AUD_EINVAL, "--rows: empty range '%s'", s);
		}
	}
	out->first = (uint64_t)a;
	out->end = (uint64_t)b;
	out->given = 1;
	return 0;
}

void
aud_explain_request_init(struct aud_explain_request *r)
{
	struct aud_explain_options o = AUD_EXPLAIN_OPTIONS_INIT;
	struct aud_cli_model model = AUD_CLI_MODEL_INIT;
	struct aud_csv_options csv = AUD_CSV_OPTIONS_INIT;
	struct aud_cli_out out = AUD_CLI_OUT_INIT;

	memset(r, 0, sizeof(*r));
	r->o = o;
	r->o.threads = 0;
	r->o.background_size = 0;   /* 0: not given (100) */
	r->model = model;
	r->csv = csv;
	r->out = out;
}

void
aud_explain_request_release(struct aud_explain_request *r)
{
	aud_strlist_free(&r->model.columns);
	aud_strlist_free(&r->features);
	aud_strlist_free(&r->protected_cols);
	aud_strlist_free(&r->bins);
}

int
aud_explain_opt_method(void *dest, const char *arg, const struct aud_opt *opt,
    struct aud_error *err)
{
	(void)opt;
	return aud_explain_method_parse(dest, arg, err) < 0 ? AUD_EINVAL : 0;
}

int
aud_explain_opt_metric(void *dest, const char *arg, const struct aud_opt *opt,
    struct aud_error *err)
{
	(void)opt;
	return aud_metric_parse(dest, arg, err) < 0 ? AUD_EINVAL : 0;
}

int
aud_explain_opt_rows(void *dest, const char *arg, const struct aud_opt *opt,
    struct aud_error *err)
{
	(void)opt;
	return aud_explain_range_parse(dest, arg, err);
}

int
aud_explain_opt_count(void *dest, const char *arg, const struct aud_opt *opt,
    struct aud_error *err)
{
	char name[64];
	long v;

	snprintf(name, sizeof(name), "--%s", opt->long_name);
	if (aud_parse_long(&v, arg, 1, LONG_MAX, name, err) < 0)
		return AUD_EINVAL;
	*(size_t *)dest = (size_t)v;
	return 0;
}

int
aud_explain_opt_output_file(void *dest, const char *arg, const struct aud_opt *opt,
    struct aud_error *err)
{
	(void)opt;
	if (strcmp(arg, "score") == 0 || strcmp(arg, "margin") == 0)
		return AUD_ERROR(err, AUD_EINVAL, "--output '%s': the quantity explained is "
		    "--model-output %s; --output names the output file (-o ./%s writes a file of "
		    "that name)", arg, arg, arg);
	*(const char **)dest = arg;
	return 0;
}

/* ---- the rules of a request ---- */

static int
is_stdin(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0;
}

static int
has_name(const struct aud_strlist *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], name) == 0)
			return 1;
	return 0;
}

/* Parse --bins: each once, each of a protected column. */
static int
parse_bins(struct aud_explain_job *j, struct aud_error *err)
{
	const struct aud_explain_request *r = j->r;
	size_t i, k;
	int rc;

	j->bins = calloc(r->bins.n + 1, sizeof(*j->bins));
	if (j->bins == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < r->bins.n; i++) {
		rc = aud_bins_parse(&j->bins[j->nbins], r->bins.v[i], "--bins", err);
		if (rc < 0)
			return rc;
		j->nbins++;
		for (k = 0; k + 1 < j->nbins; k++)
			if (strcmp(j->bins[k]->column, j->bins[i]->column) == 0)
				return AUD_ERROR(err, AUD_EINVAL, "--bins given twice for '%s'",
				    j->bins[k]->column);
	}
	for (k = 0; k < j->nbins; k++)
		if (!has_name(&r->protected_cols, j->bins[k]->column))
			return AUD_ERROR(err, AUD_EINVAL, "--bins names '%s', which is not a "
			    "protected column", j->bins[k]->column);
	return 0;
}

static int
check_request(const struct aud_explain_request *r, const char *input, struct aud_error *err)
{
	const struct aud_explain_options *o = &r->o;

	if (o->background != NULL && strcmp(o->background, "-") == 0 && is_stdin(input))
		return AUD_ERROR(err, AUD_EINVAL, "--background -: standard input cannot be both "
		    "the data and the background; give one of them as a file");
	if ((r->model.pmml == NULL) == (r->model.command == NULL))
		return AUD_ERROR(err, AUD_EINVAL, "give a model: -m FILE.pmml or --model-cmd CMD");
	if (r->rows.given && o->rows_sample > 0)
		return AUD_ERROR(err, AUD_EINVAL, "give --rows or --rows-sample, not both");
	if (r->model.pmml != NULL && r->model.columns.n > 0)
		return AUD_ERROR(err, AUD_EINVAL, "--model-columns is for --model-cmd "
		    "(a PMML model reads its own input fields)");
	if (r->model.pmml != NULL && r->model.protocol >= 0)
		return AUD_ERROR(err, AUD_EINVAL, "--model-protocol is for --model-cmd "
		    "(a model file is read by the tool itself)");
	if (r->features.n > 0 && o->method != AUD_EXPLAIN_PDP)
		return AUD_ERROR(err, AUD_EINVAL, "--features chooses the curves of --method pdp; "
		    "the columns a command receives are --model-columns");
	return 0;
}

static int
check_method(const struct aud_explain_request *r, struct aud_error *err)
{
	const struct aud_explain_options *o = &r->o;

	if (o->method <= AUD_EXPLAIN_TREE && o->background == NULL)
		return AUD_ERROR(err, AUD_EINVAL, "--method %s needs --background FILE",
		    aud_explain_method_name(o->method));
	if (o->method == AUD_EXPLAIN_TREE_PATH && o->background_size > 0)
		return AUD_ERROR(err, AUD_EINVAL, "--background-size: --method tree-path uses no "
		    "background");
	if (o->method == AUD_EXPLAIN_TREE_PATH && o->background != NULL)
		return AUD_ERROR(err, AUD_EINVAL, "--background: --method tree-path uses no "
		    "background (it weighs the branches by the training rows that reached "
		    "them); give --method tree for the interventional values over a background");
	if (o->method == AUD_EXPLAIN_PERMUTATION && o->label == NULL)
		return AUD_ERROR(err, AUD_EINVAL, "--method permutation needs --label COL");
	if (o->method == AUD_EXPLAIN_PERMUTATION && r->rows_out != NULL)
		return AUD_ERROR(err, AUD_EINVAL,
		    "--rows-out: permutation importance has no per-row values");
	return 0;
}

static int
write_rows(void *self, const cJSON *doc, FILE *f, struct aud_error *err)
{
	struct aud_explain_job *j = self;

	(void)doc;
	return aud_explain_write_rows(j->ex, f, err);
}

/* The options of the explanation and of the model from the request. */
static void
set_options(struct aud_explain_job *j)
{
	const struct aud_explain_request *r = j->r;
	struct aud_model_open_options mo = AUD_MODEL_OPEN_OPTIONS_INIT;
	struct aud_explain_options *o = &j->o;

	*o = r->o;
	o->output = r->model_output == 1 ? AUD_OUTPUT_MARGIN : AUD_OUTPUT_SCORE;
	o->link = r->link == 1 ? AUD_LINK_LOGIT : AUD_LINK_IDENTITY;
	o->row_first = r->rows.first;
	o->row_end = r->rows.end;
	o->features = r->features.n > 0 ? (const char *const *)r->features.v : NULL;
	o->nfeatures = r->features.n;
	o->protected_cols = (const char *const *)r->protected_cols.v;
	o->nprotected = r->protected_cols.n;
	o->model_columns = r->model.columns.n > 0 ? (const char *const *)r->model.columns.v :
	    NULL;
	o->nmodel_columns = r->model.columns.n;
	o->bins = (const struct aud_bins *const *)j->bins;
	o->nbins = j->nbins;
	o->model_path = r->model.pmml;
	o->model_cmd = r->model.command;
	if (r->model.positive != NULL)
		o->positive = r->model.positive;
	o->batch_rows = r->model.batch_size;
	o->threads = r->model.threads > 0 ? r->model.threads : aud_cli_default_threads();
	j->notice.prog = "audit-explain";
	j->notice.quiet = r->out.quiet;
	j->bg_csv = r->csv;
	j->bg_csv.notice = aud_csvopt_notice;
	j->bg_csv.notice_payload = &j->notice;
	o->csv = &j->bg_csv;
	mo.positive = r->model.positive;
	mo.timeout = r->model.timeout;
	mo.protocol = r->model.command != NULL ? r->model.protocol : -1;
	mo.batch_size = r->model.batch_size;
	j->mo = mo;
}

int
aud_explain_job_new(struct aud_explain_job **out, const struct aud_explain_request *r,
    const char *input, struct aud_error *err)
{
	struct aud_explain_job *j;
	int rc;

	*out = NULL;
	rc = check_request(r, input, err);
	if (rc < 0)
		return rc;
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	j->r = r;
	rc = parse_bins(j, err);
	if (rc == 0)
		rc = check_method(r, err);
	if (rc < 0) {
		aud_explain_job_free(j);
		return rc;
	}
	set_options(j);
	j->inputs[j->ninputs].option = "-m";
	j->inputs[j->ninputs++].path = r->model.pmml;
	j->inputs[j->ninputs].option = "--background";
	j->inputs[j->ninputs++].path = r->o.background;
	j->output.option = "--rows-out";
	j->output.path = r->rows_out;
	j->output.write = write_rows;
	*out = j;
	return 0;
}

void
aud_explain_job_free(struct aud_explain_job *j)
{
	size_t i;

	if (j == NULL)
		return;
	aud_explain_free(j->ex);
	aud_model_free(j->m);
	for (i = 0; i < j->nbins; i++)
		aud_bins_free(j->bins[i]);
	free(j->bins);
	free(j);
}

void
aud_explain_job_files(const struct aud_explain_job *j,
    const struct aud_cli_file **inputs, size_t *ninputs,
    const struct aud_job_output **outputs, size_t *noutputs)
{
	*inputs = j->inputs;
	*ninputs = j->ninputs;
	*outputs = &j->output;
	*noutputs = 1;
}

/* ---- the operations ---- */

/*
 * A PMML model is opened first: its fields are the columns read. A command
 * model is opened once the rows are read: it receives the feature columns
 * (--model-columns, or every column) with their kinds as read.
 */
static int
job_read(void *self, struct aud_csv *csv, const struct aud_progress_cb *progress,
    struct aud_error *err)
{
	struct aud_explain_job *j = self;
	int rc = 0;

	/* the long phases of the run report through the runner's callback */
	if (progress != NULL)
		j->o.progress = *progress;
	if (j->o.model_path != NULL)
		rc = aud_model_open(&j->m, j->o.model_path, NULL, &j->mo, err);
	if (rc == 0)
		rc = aud_explain_new(&j->ex, &j->o, err);
	if (rc == 0)
		rc = aud_explain_read_csv(j->ex, csv, j->m, err);
	if (rc < 0 || j->m != NULL)
		return j->m != NULL ? aud_xgb_column_hint(j->m, rc, err) : rc;
	aud_explain_columns(j->ex, &j->mo.columns, &j->mo.kinds, &j->mo.ncolumns);
	j->mo.on_child = aud_cli_model_child;
	return aud_model_open(&j->m, NULL, j->o.model_cmd, &j->mo, err);
}

static int
job_run(void *self, const struct aud_progress_cb *progress, struct aud_error *err)
{
	struct aud_explain_job *j = self;
	int rc = 0;

	(void)progress;
	/*
	 * The kernel method's least squares run in OpenBLAS, which retries a
	 * failed allocation of its work buffer (128 MiB per thread, beside a
	 * 64 MiB malloc arena and a stack) forever:
	 * under an address-space limit (ulimit -v), check for room first.
	 */
	if (j->o.method == AUD_EXPLAIN_KERNEL)
		rc = aud_cli_check_address_space((size_t)j->o.threads * ((size_t)224 << 20),
		    "the kernel method (224 MiB per thread)", err);
	if (rc == 0)
		rc = aud_explain_run(j->ex, j->m, err);
	return aud_xgb_column_hint(j->m, rc, err);
}

static int
job_document(void *self, cJSON *params, cJSON *results, cJSON *warnings,
    struct aud_error *err)
{
	struct aud_explain_job *j = self;
	struct aud_explain_info info;
	int rc;

	aud_explain_info(j->ex, &info);
	rc = aud_explain_params(params, info.options, &info, err);
	if (rc == 0 && j->o.model_cmd != NULL &&
	    cJSON_AddStringToObject(params, "model_protocol",
	    aud_modelcmd_protocol_names[j->mo.protocol >= 0 ? j->mo.protocol : 0]) == NULL)
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	if (rc == 0)
		rc = aud_explain_results(j->ex, results, warnings, err);
	return rc;
}

static int
job_write(const cJSON *doc, enum aud_format format, FILE *f, struct aud_error *err)
{
	return aud_explain_write_results(f, cJSON_GetObjectItemCaseSensitive(doc, "results"),
	    format, err);
}

static void
job_checks(void *self, struct aud_check_resolver *out)
{
	(void)self;
	aud_explain_check_resolver(out);
}

const struct aud_job_ops aud_explain_job_ops = {
	"audit.explanation/1",
	job_read,
	job_run,
	job_document,
	job_checks,
	job_write,
	0, NULL, NULL, NULL
};

/* ---- the envelope ---- */

#define NOMEM_IF(x) do { if ((x) == NULL) \
	return AUD_ERROR(err, AUD_ENOMEM, "out of memory"); } while (0)

static int
model_info(cJSON *input, const struct aud_explain_options *o,
    const struct aud_explain_info *info, struct aud_error *err)
{
	cJSON *m = cJSON_AddObjectToObject(input, "model"), *b;

	NOMEM_IF(m);
	if (o->model_path != NULL) {
		NOMEM_IF(cJSON_AddStringToObject(m, "path", o->model_path));
		NOMEM_IF(cJSON_AddStringToObject(m, "sha256", info->model_sha256));
	} else {
		NOMEM_IF(cJSON_AddNullToObject(m, "path"));
		NOMEM_IF(cJSON_AddNullToObject(m, "sha256"));
	}
	if (o->model_cmd != NULL)
		NOMEM_IF(cJSON_AddStringToObject(m, "command", o->model_cmd));
	if (info->background_sha256[0] != '\0') {
		b = cJSON_AddObjectToObject(input, "background");
		NOMEM_IF(b);
		NOMEM_IF(cJSON_AddStringToObject(b, "path", o->background));
		NOMEM_IF(cJSON_AddStringToObject(b, "sha256", info->background_sha256));
	}
	return 0;
}

int
aud_explain_job_input_info(void *self, cJSON *input, struct aud_error *err)
{
	struct aud_explain_job *j = self;
	struct aud_explain_info info;

	aud_explain_info(j->ex, &info);
	return model_info(input, info.options, &info, err);
}

static int
bins_params(cJSON *params, const struct aud_explain_options *o, struct aud_error *err)
{
	cJSON *bo, *bc, *ea;
	size_t k, i;

	if (o->nbins == 0)
		return 0;
	bo = cJSON_AddObjectToObject(params, "bins");
	NOMEM_IF(bo);
	for (k = 0; k < o->nbins; k++) {
		ea = cJSON_AddArrayToObject(bo, o->bins[k]->column);
		NOMEM_IF(ea);
		for (i = 0; i < o->bins[k]->nedges; i++)
			if (!cJSON_AddItemToArray(ea, aud_json_number(o->bins[k]->edges[i])))
				return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	bc = cJSON_AddObjectToObject(params, "bins_closed");
	NOMEM_IF(bc);
	for (k = 0; k < o->nbins; k++)
		NOMEM_IF(cJSON_AddStringToObject(bc, o->bins[k]->column,
		    o->bins[k]->right ? "right" : "left"));
	return 0;
}

int
aud_explain_params(cJSON *p, const struct aud_explain_options *o,
    const struct aud_explain_info *info, struct aud_error *err)
{
	int shap = o->method <= AUD_EXPLAIN_TREE;   /* with a background */
	cJSON *r;

	NOMEM_IF(cJSON_AddStringToObject(p, "method", aud_explain_method_name(o->method)));
	if (o->method != AUD_EXPLAIN_PERMUTATION) {
		NOMEM_IF(cJSON_AddStringToObject(p, "output",
		    o->output == AUD_OUTPUT_MARGIN ? "margin" : "score"));
		NOMEM_IF(cJSON_AddStringToObject(p, "link",
		    o->link == AUD_LINK_LOGIT ? "logit" : "identity"));
	}
	NOMEM_IF(cJSON_AddStringToObject(p, "model", info->model));
	if (o->model_cmd != NULL)
		NOMEM_IF(cJSON_AddStringToObject(p, "model_cmd", o->model_cmd));
	if (shap) {
		NOMEM_IF(cJSON_AddStringToObject(p, "background", o->background));
		NOMEM_IF(cJSON_AddNumberToObject(p, "background_size",
		    (double)(o->background_size > 0 ? o->background_size : 100)));
		NOMEM_IF(cJSON_AddNumberToObject(p, "background_rows",
		    (double)info->background_rows));
		NOMEM_IF(cJSON_AddNumberToObject(p, "background_rows_total",
		    (double)info->background_total));
		NOMEM_IF(cJSON_AddStringToObject(p, "background_summary",
		    info->background_total > info->background_rows ? "sample" : "all"));
	}
	if (o->method == AUD_EXPLAIN_KERNEL)
		NOMEM_IF(cJSON_AddNumberToObject(p, "nsamples", (double)info->nsamples));
	if (o->method != AUD_EXPLAIN_PERMUTATION && o->method != AUD_EXPLAIN_PDP) {
		NOMEM_IF(cJSON_AddNumberToObject(p, "points",
		    (double)(o->npoints > 0 ? o->npoints : 1000)));
		if (o->output == AUD_OUTPUT_SCORE && o->link == AUD_LINK_IDENTITY)
			NOMEM_IF(cJSON_AddNumberToObject(p, "threshold", o->threshold));
	}
	NOMEM_IF(cJSON_AddNumberToObject(p, "seed", (double)o->seed));
	if (o->rows_sample > 0) {
		NOMEM_IF(cJSON_AddNumberToObject(p, "rows_sample", (double)o->rows_sample));
	} else {
		r = cJSON_AddArrayToObject(p, "rows");
		NOMEM_IF(r);
		if (!cJSON_AddItemToArray(r, cJSON_CreateNumber((double)info->first_row)) ||
		    !cJSON_AddItemToArray(r, cJSON_CreateNumber((double)info->end_row)))
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	if (o->label != NULL) {
		NOMEM_IF(cJSON_AddStringToObject(p, "label", o->label));
		NOMEM_IF(cJSON_AddStringToObject(p, "positive",
		    o->positive != NULL ? o->positive : "1"));
	}
	if (aud_json_add_strings(p, "protected", o->protected_cols, o->nprotected) == NULL ||
	    (o->model_columns != NULL && aud_json_add_strings(p, "model_columns",
	    o->model_columns, o->nmodel_columns) == NULL))
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	if (bins_params(p, o, err) < 0)
		return err != NULL ? err->code : AUD_ENOMEM;
	if (o->method == AUD_EXPLAIN_PERMUTATION) {
		NOMEM_IF(cJSON_AddNumberToObject(p, "repeats",
		    (double)(o->repeats > 0 ? o->repeats : 5)));
		NOMEM_IF(cJSON_AddStringToObject(p, "metric", aud_metric_name(o->metric)));
		NOMEM_IF(cJSON_AddNumberToObject(p, "threshold", o->threshold));
	}
	if (o->method == AUD_EXPLAIN_PDP)
		NOMEM_IF(cJSON_AddNumberToObject(p, "grid", (double)(o->grid > 0 ? o->grid : 20)));
	return 0;
}

int
aud_explain_json(cJSON **out, const struct aud_explain *e, time_t created,
    struct aud_error *err)
{
	struct aud_explain_info info;
	struct aud_input_info in;
	cJSON *doc = NULL;
	int rc;

	*out = NULL;
	aud_explain_info(e, &info);
	in.path = info.path;
	in.rows = info.input_rows;
	in.sha256 = info.input_sha256;
	rc = aud_envelope_new(&doc, "audit-explain", "audit.explanation/1", created, &in, err);
	if (rc == 0)
		rc = model_info(cJSON_GetObjectItemCaseSensitive(doc, "input"), info.options, &info,
		    err);
	if (rc == 0)
		rc = aud_explain_params(aud_envelope_params(doc), info.options, &info, err);
	if (rc == 0)
		rc = aud_explain_results(e, aud_envelope_results(doc), aud_envelope_warnings(doc),
		    err);
	if (rc < 0) {
		cJSON_Delete(doc);
		return rc;
	}
	*out = doc;
	return 0;
}
