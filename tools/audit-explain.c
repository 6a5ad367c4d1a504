/*
 * audit-explain — feature attributions of a model's score:
 * interventional Shapley values (exact, kernel, tree, linear), permutation
 * importance and partial dependence, with per-group summaries and a proxy
 * table. The work and its rules are in libaudit (explain.h); this file
 * holds the option table.
 */
#include <stdio.h>

#include <audit/cli.h>
#include <audit/explain.h>
#include <audit/job.h>
#include <audit/opt.h>

/* from OpenBLAS (its cblas.h is not on the default include path) */
void openblas_set_num_threads(int num_threads);

#define A struct aud_explain_request
static const struct aud_opt spec[] = {
	AUD_OPT_SECTION_("Method"),
	AUD_OPT_CALL_(0, "method", "M", A, o.method, aud_explain_opt_method, 0, 0,
	    "kernel (default), exact, tree, tree-path,\nlinear, permutation or pdp"),
	AUD_OPT_STRING_(0, "background", "FILE", A, o.background, 0,
	    "background rows of the interventional Shapley\nvalues (not with tree-path)"),
	AUD_OPT_INT_(0, "background-size", "K", A, o.background_size, 1, 100000,
	    "background rows kept (100); more are sampled\n(seeded)"),
	AUD_OPT_INT_(0, "nsamples", "N", A, o.nsamples, 1, 1L << 30,
	    "kernel: coalitions per row (default 2M+2048,\nat most 2^M-2)"),
	AUD_OPT_CHOICE_(0, "model-output", "W", A, model_output, aud_explain_output_names,
	    "the quantity explained: score (default) or\nmargin (before the model's link)"),
	AUD_OPT_CHOICE_(0, "link", "L", A, link, aud_explain_link_names,
	    "identity (default) or logit, applied to the\nexpected score"),
	AUD_OPT_INT_(0, "repeats", "R", A, o.repeats, 1, 100000,
	    "permutation: shuffles per feature (5)"),
	AUD_OPT_CALL_(0, "metric", "M", A, o.metric, aud_explain_opt_metric, 0, 0,
	    "permutation: ranking metric, accuracy, auc\n(default) or log_loss"),
	AUD_OPT_NUMBER_(0, "threshold", "T", A, o.threshold, 0.0, 1.0,
	    "score threshold of the decision (0.5):\npermutation accuracy, each row's decision"),
	AUD_OPT_LIST_(0, "features", "COLS", A, features, 0,
	    "pdp: the features to draw (default: every model\nfeature)"),
	AUD_OPT_INT_(0, "grid", "N", A, o.grid, 2, 10000,
	    "pdp: grid points of a numeric feature (20)"),
	AUD_OPT_INT_(0, "local", "N", A, o.nlocal, 1, 1000000,
	    "local explanations (5) / ICE curves (50) in\nthe JSON"),
	AUD_OPT_INT_(0, "points", "N", A, o.npoints, 1, 1000000,
	    "rows whose values and attributions are in the\nJSON (1000; more are thinned evenly)"),
	AUD_OPT_SEED_(A, o.seed),
	AUD_OPT_SECTION_("Rows and columns"),
	AUD_OPT_CALL_(0, "rows", "RANGE", A, rows, aud_explain_opt_rows, 0, 0,
	    "data rows to explain, 0-based: N (first N),\nA:B, A:, :B"),
	AUD_OPT_CALL_(0, "rows-sample", "N", A, o.rows_sample, aud_explain_opt_count, 0, 0,
	    "explain a seeded sample of N rows, stratified\n"
	    "by the protected groups: each combination of\n"
	    "groups gets a share in proportion to its size\nand at least one row"),
	AUD_OPT_LIST_(0, "protected", "COLS", A, protected_cols, 0,
	    "per-group summaries; the proxy table (over\nevery row)"),
	AUD_OPT_APPEND_(0, "bins", "COL=E1,E2,...", A, bins, 0,
	    "group a numeric protected column by these edges\n"
	    "(COL=<=E1,<=E2,... for right-closed bins)"),
	AUD_OPT_STRING_(0, "label", "COL", A, o.label, 0,
	    "the true label (permutation; else shown with\neach explained row)"),
	AUD_OPT_STRING_(0, "rows-out", "FILE.csv", A, rows_out, 0,
	    "per-row values (row,base_value,score,<feature>...)"),
	AUD_OPTS_MODEL_(A, model, "rows per model call (default 65536)"),
	AUD_OPTS_CHECKS(A, checks),
	AUD_OPTS_CSV(A, csv),
	AUD_OPT_SECTION_("Output"),
	AUD_OPT_CALL_('o', "output", "FILE", A, out.path, aud_explain_opt_output_file, 0, 0,
	    "write the result to FILE (atomically;\ndefault: standard output)"),
	AUD_OPTS_FORMAT(A, out),
	AUD_OPTS_GENERAL(A, out),
	AUD_OPT_END_
};
#undef A

static const struct aud_tool tool = {
	"audit-explain",
	"(-m MODEL.pmml | --model-cmd CMD) [--background FILE]\n"
	"[--method kernel|tree|tree-path|exact|linear|permutation|\n"
	" pdp] [--model-output score|margin] [--protected COLS]\n"
	"[--rows RANGE | --rows-sample N] [--rows-out FILE.csv]\n"
	"[OPTION]... [FILE]",
	"Explain a model's score on the rows of FILE (standard input when absent or\n"
	"'-'): interventional Shapley values (kernel, exact, tree, linear) against a\n"
	"background sample, path-dependent Tree SHAP (tree-path: each branch\n"
	"weighed by its training cover, no background), permutation importance or\n"
	"partial dependence, with per-group summaries and a proxy table of the\n"
	"protected columns.\n",
	"The CSV options apply to FILE and to --background FILE alike.\n",
	1
};

int
main(int argc, char **argv)
{
	struct aud_explain_request a;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_explain_job *job = NULL;
	struct aud_job run = { 0 };
	const char *input = NULL;
	size_t nin;
	int status;

	aud_init();
	if (aud_cli_init(&err) < 0)
		return aud_cli_report(tool.name, &err);
	/*
	 * The work is split over rows by our own threads; OpenBLAS's worker
	 * threads would only spin in sched_yield beside them (LAPACKE's least
	 * squares are small), taking CPU from the row threads.
	 */
	openblas_set_num_threads(1);
	aud_explain_request_init(&a);
	if (aud_opt_parse(&tool, spec, &a, argc, argv, &input, &nin, &status))
		goto done;
	if (aud_explain_job_new(&job, &a, input, &err) < 0) {
		status = aud_cli_report(tool.name, &err);
		goto done;
	}
	run.prog = tool.name;
	run.input = input;
	run.csv = a.csv;
	run.out = a.out;
	run.checks = &a.checks;
	run.input_info = aud_explain_job_input_info;
	aud_explain_job_files(job, &run.inputs, &run.ninputs, &run.outputs, &run.noutputs);
	status = aud_job_run(&run, &aud_explain_job_ops, job);
done:
	aud_explain_job_free(job);
	aud_opt_free(spec, &a);
	return status;
}
