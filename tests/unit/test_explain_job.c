/*
 * test_explain_job.c — audit-explain's rules as the job runner drives them:
 * row ranges, the refused old --output, the rules of a request, and one run
 * through aud_job_run() checked against a hand computation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/explain.h>
#include <audit/hash.h>
#include <audit/job.h>

#include "runner.h"

#define PMML "tests/data/pmml/logreg.pmml"
#define DATA "tests/data/pmml/logreg.csv"

void
test_explain_job__range(void)
{
	struct aud_explain_range r;
	struct aud_error err = AUD_ERROR_INIT;

	memset(&r, 0, sizeof(r));
	CHECK_INT_EQ(aud_explain_range_parse(&r, "3", &err), 0);
	CHECK_INT_EQ(r.first, 0);
	CHECK_INT_EQ(r.end, 3);
	CHECK_INT_EQ(r.given, 1);
	CHECK_INT_EQ(aud_explain_range_parse(&r, "2:5", &err), 0);
	CHECK_INT_EQ(r.first, 2);
	CHECK_INT_EQ(r.end, 5);
	CHECK_INT_EQ(aud_explain_range_parse(&r, "4:", &err), 0);
	CHECK_INT_EQ(r.first, 4);
	CHECK_INT_EQ(r.end, 0);
	CHECK_INT_EQ(aud_explain_range_parse(&r, ":6", &err), 0);
	CHECK_INT_EQ(r.first, 0);
	CHECK_INT_EQ(r.end, 6);
	CHECK_INT_EQ(aud_explain_range_parse(&r, "5:3", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--rows: empty range '5:3'");
	CHECK_INT_EQ(aud_explain_range_parse(&r, "1x", &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_explain_range_parse(&r, "0", &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_explain_range_parse(&r, "-1:", &err), AUD_EINVAL);
}

void
test_explain_job__old_output_refused(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	const char *path = NULL;

	CHECK_INT_EQ(aud_explain_opt_output_file(&path, "score", NULL, &err), AUD_EINVAL);
	CHECK(strstr(err.msg, "--model-output score") != NULL);
	CHECK(path == NULL);
	CHECK_INT_EQ(aud_explain_opt_output_file(&path, "margin", NULL, &err), AUD_EINVAL);
	CHECK(strstr(err.msg, "--model-output margin") != NULL);
	CHECK(path == NULL);
	CHECK_INT_EQ(aud_explain_opt_output_file(&path, "./score", NULL, &err), 0);
	CHECK_STR_EQ(path, "./score");
}

/* aud_explain_job_new() on r: its code, and the message's start in *msg. */
static int
job_rc(const struct aud_explain_request *r, const char *input, char *msg, size_t size)
{
	struct aud_explain_job *j = NULL;
	struct aud_error err = AUD_ERROR_INIT;
	int rc = aud_explain_job_new(&j, r, input, &err);

	snprintf(msg, size, "%s", rc < 0 ? err.msg : "");
	if (rc < 0)
		CHECK(j == NULL);
	aud_explain_job_free(j);
	return rc;
}

void
test_explain_job__rules(void)
{
	struct aud_explain_request r;
	struct aud_error err = AUD_ERROR_INIT;
	char msg[sizeof(((struct aud_error *)0)->msg)];

	aud_explain_request_init(&r);
	/* a model: one of -m and --model-cmd */
	CHECK_INT_EQ(job_rc(&r, "x.csv", msg, sizeof(msg)), AUD_EINVAL);
	CHECK_STR_EQ(msg, "give a model: -m FILE.pmml or --model-cmd CMD");
	r.model.pmml = PMML;
	r.model.command = "cat";
	CHECK_INT_EQ(job_rc(&r, "x.csv", msg, sizeof(msg)), AUD_EINVAL);
	r.model.command = NULL;
	/* the Shapley methods need a background, which stdin cannot be twice */
	CHECK_INT_EQ(job_rc(&r, "x.csv", msg, sizeof(msg)), AUD_EINVAL);
	CHECK_STR_EQ(msg, "--method kernel needs --background FILE");
	r.o.background = "-";
	CHECK_INT_EQ(job_rc(&r, NULL, msg, sizeof(msg)), AUD_EINVAL);
	CHECK(strncmp(msg, "--background -: standard input", 30) == 0);
	CHECK_INT_EQ(job_rc(&r, "-", msg, sizeof(msg)), AUD_EINVAL);
	CHECK_INT_EQ(job_rc(&r, "x.csv", msg, sizeof(msg)), 0);
	r.o.background = DATA;
	/* --rows or --rows-sample */
	r.rows.given = 1;
	r.o.rows_sample = 3;
	CHECK_INT_EQ(job_rc(&r, "x.csv", msg, sizeof(msg)), AUD_EINVAL);
	CHECK_STR_EQ(msg, "give --rows or --rows-sample, not both");
	r.rows.given = 0;
	/* --model-columns only for a command */
	CHECK_INT_EQ(aud_strlist_split(&r.model.columns, "x,c", "--model-columns", &err), 0);
	CHECK_INT_EQ(job_rc(&r, "x.csv", msg, sizeof(msg)), AUD_EINVAL);
	CHECK(strncmp(msg, "--model-columns is for --model-cmd", 34) == 0);
	r.model.pmml = NULL;
	r.model.command = "cat";
	CHECK_INT_EQ(job_rc(&r, "x.csv", msg, sizeof(msg)), 0);
	/* --features only for pdp */
	CHECK_INT_EQ(aud_strlist_split(&r.features, "x", "--features", &err), 0);
	CHECK_INT_EQ(job_rc(&r, "x.csv", msg, sizeof(msg)), AUD_EINVAL);
	CHECK(strncmp(msg, "--features chooses the curves of --method pdp", 45) == 0);
	r.o.method = AUD_EXPLAIN_PDP;
	CHECK_INT_EQ(job_rc(&r, "x.csv", msg, sizeof(msg)), 0);
	/* --bins: of a protected column, once */
	CHECK_INT_EQ(aud_strlist_push(&r.bins, "x=1,2", &err), 0);
	CHECK_INT_EQ(job_rc(&r, "x.csv", msg, sizeof(msg)), AUD_EINVAL);
	CHECK_STR_EQ(msg, "--bins names 'x', which is not a protected column");
	CHECK_INT_EQ(aud_strlist_split(&r.protected_cols, "c,x", "--protected", &err), 0);
	CHECK_INT_EQ(job_rc(&r, "x.csv", msg, sizeof(msg)), 0);
	CHECK_INT_EQ(aud_strlist_push(&r.bins, "x=3", &err), 0);
	CHECK_INT_EQ(job_rc(&r, "x.csv", msg, sizeof(msg)), AUD_EINVAL);
	CHECK_STR_EQ(msg, "--bins given twice for 'x'");
	aud_strlist_free(&r.bins);
	aud_strlist_free(&r.features);
	/* permutation: a label, no per-row values */
	r.o.method = AUD_EXPLAIN_PERMUTATION;
	CHECK_INT_EQ(job_rc(&r, "x.csv", msg, sizeof(msg)), AUD_EINVAL);
	CHECK_STR_EQ(msg, "--method permutation needs --label COL");
	r.o.label = "y";
	r.rows_out = "rows.csv";
	CHECK_INT_EQ(job_rc(&r, "x.csv", msg, sizeof(msg)), AUD_EINVAL);
	CHECK_STR_EQ(msg, "--rows-out: permutation importance has no per-row values");
	r.rows_out = NULL;
	CHECK_INT_EQ(job_rc(&r, "x.csv", msg, sizeof(msg)), 0);
	aud_explain_request_release(&r);
}

void
test_explain_job__files(void)
{
	struct aud_explain_request r;
	struct aud_explain_job *j = NULL;
	struct aud_error err = AUD_ERROR_INIT;
	const struct aud_cli_file *in;
	const struct aud_job_output *outs;
	size_t nin, nout;

	aud_explain_request_init(&r);
	r.model.pmml = PMML;
	r.o.background = "bg.csv";
	r.rows_out = "rows.csv";
	CHECK_INT_EQ(aud_explain_job_new(&j, &r, "x.csv", &err), 0);
	if (j == NULL)
		return;
	aud_explain_job_files(j, &in, &nin, &outs, &nout);
	CHECK_INT_EQ(nin, 2);
	CHECK_STR_EQ(in[0].option, "-m");
	CHECK_STR_EQ(in[0].path, PMML);
	CHECK_STR_EQ(in[1].option, "--background");
	CHECK_STR_EQ(in[1].path, "bg.csv");
	CHECK_INT_EQ(nout, 1);
	CHECK_STR_EQ(outs[0].option, "--rows-out");
	CHECK_STR_EQ(outs[0].path, "rows.csv");
	CHECK(outs[0].write != NULL);
	aud_explain_job_free(j);
	aud_explain_request_release(&r);
}

/* The whole of a small file (NULL when it cannot be read). Caller frees. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	size_t n;

	if (f == NULL)
		return NULL;
	s = calloc(1, 65536);
	n = s != NULL ? fread(s, 1, 65535, f) : 0;
	fclose(f);
	if (s != NULL)
		s[n] = '\0';
	return s;
}

/* Run a job as audit-explain does; the exit status. */
static int
run_job(struct aud_explain_request *r, const char *input)
{
	struct aud_explain_job *j = NULL;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_job run;
	int status;

	if (aud_explain_job_new(&j, r, input, &err) < 0)
		return -1;
	memset(&run, 0, sizeof(run));
	run.prog = "audit-explain";
	run.input = input;
	run.csv = r->csv;
	run.out = r->out;
	run.input_info = aud_explain_job_input_info;
	aud_explain_job_files(j, &run.inputs, &run.ninputs, &run.outputs, &run.noutputs);
	status = aud_job_run(&run, &aud_explain_job_ops, j);
	aud_explain_job_free(j);
	return status;
}

/*
 * logreg.pmml: margin -1 + 0.5 x + [c = b]; the background is the data
 * itself (x: 2, 0, 4, -2, mean 1; c = b in half the rows). Interventional
 * Shapley values of a linear margin, by hand: phi_x = 0.5 (x - 1),
 * phi_c = [c = b] - 0.5, base = -1 + 0.5 + 0.5 = 0.
 */
void
test_explain_job__run_margin(void)
{
	static const double x[] = { 2, 0, 4, -2 }, cb[] = { 0, 1, 1, 0 };
	const char *json = "build/test_explain_job.json", *rows = "build/test_explain_job.csv";
	struct aud_explain_request r;
	struct aud_error err = AUD_ERROR_INIT;
	char sha[65], *text = NULL, *line;
	cJSON *doc = NULL, *in, *p, *a;
	size_t i;

	remove(json);
	remove(rows);
	aud_explain_request_init(&r);
	r.model.pmml = PMML;
	r.model.threads = 1;
	r.o.method = AUD_EXPLAIN_EXACT;
	r.o.background = DATA;
	r.model_output = 1;
	r.rows_out = rows;
	r.out.path = json;
	r.out.format = AUD_FORMAT_JSON;
	r.out.quiet = 1;
	CHECK_INT_EQ(run_job(&r, DATA), 0);
	/* --rows-out: row,base_value,score,x,c */
	text = slurp(rows);
	CHECK(text != NULL);
	if (text == NULL)
		goto done;
	line = strtok(text, "\n");
	CHECK_STR_EQ(line, "row,base_value,score,x,c");
	for (i = 0; i < 4; i++) {
		double v[5] = { -1, -1, -1, -1, -1 };

		line = strtok(NULL, "\n");
		CHECK(line != NULL);
		if (line == NULL)
			break;
		CHECK_INT_EQ(sscanf(line, "%lf,%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3],
		    &v[4]), 5);
		CHECK_DBL_EQ(v[0], (double)i);
		CHECK_REL(v[1] + 1.0, 1.0, 1e-12);
		CHECK_REL(v[2], -1 + 0.5 * x[i] + cb[i], 1e-12);
		CHECK_REL(v[3], 0.5 * (x[i] - 1), 1e-12);
		CHECK_REL(v[4], cb[i] - 0.5, 1e-12);
	}
	free(text);
	/* the envelope: provenance hashes and params */
	text = slurp(json);
	doc = text != NULL ? cJSON_Parse(text) : NULL;
	CHECK(doc != NULL);
	if (doc == NULL)
		goto done;
	in = cJSON_GetObjectItem(doc, "input");
	CHECK_INT_EQ(cJSON_GetObjectItem(in, "rows")->valuedouble, 4);
	CHECK_INT_EQ(aud_file_sha256(sha, DATA, &err), 0);
	CHECK_STR_EQ(cJSON_GetObjectItem(in, "sha256")->valuestring, sha);
	CHECK_STR_EQ(cJSON_GetObjectItem(cJSON_GetObjectItem(in, "background"), "sha256")->valuestring,
	    sha);
	CHECK_INT_EQ(aud_file_sha256(sha, PMML, &err), 0);
	CHECK_STR_EQ(cJSON_GetObjectItem(cJSON_GetObjectItem(in, "model"), "sha256")->valuestring,
	    sha);
	CHECK_STR_EQ(cJSON_GetObjectItem(cJSON_GetObjectItem(in, "model"), "path")->valuestring,
	    PMML);
	p = cJSON_GetObjectItem(doc, "params");
	CHECK_STR_EQ(cJSON_GetObjectItem(p, "method")->valuestring, "exact");
	CHECK_STR_EQ(cJSON_GetObjectItem(p, "output")->valuestring, "margin");
	CHECK_INT_EQ(cJSON_GetObjectItem(p, "background_rows")->valuedouble, 4);
	CHECK_STR_EQ(cJSON_GetObjectItem(p, "background_summary")->valuestring, "all");
	a = cJSON_GetObjectItem(p, "rows");
	CHECK_INT_EQ(cJSON_GetArraySize(a), 2);
	CHECK_INT_EQ(cJSON_GetArrayItem(a, 0)->valuedouble, 0);
	CHECK_INT_EQ(cJSON_GetArrayItem(a, 1)->valuedouble, 4);
done:
	cJSON_Delete(doc);
	free(text);
	remove(json);
	remove(rows);
	aud_explain_request_release(&r);
}

/* -o naming the background is refused before anything is written. */
void
test_explain_job__output_not_background(void)
{
	const char *bg = "build/test_explain_job_bg.csv";
	struct aud_explain_request r;
	char *before, *after;
	FILE *f;

	f = fopen(bg, "w");
	CHECK(f != NULL);
	if (f == NULL)
		return;
	fputs("x,c\n1,a\n3,b\n", f);
	fclose(f);
	aud_explain_request_init(&r);
	r.model.pmml = PMML;
	r.o.method = AUD_EXPLAIN_EXACT;
	r.o.background = bg;
	r.out.path = bg;
	r.out.quiet = 1;
	before = slurp(bg);
	CHECK_INT_EQ(run_job(&r, DATA), AUD_EXIT_USAGE);
	after = slurp(bg);
	CHECK(before != NULL && after != NULL && strcmp(before, after) == 0);
	free(before);
	free(after);
	remove(bg);
	aud_explain_request_release(&r);
}
