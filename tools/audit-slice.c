/* audit-slice — a model's metric on slices of the data, each against the rest */
#include <stdlib.h>
#include <string.h>

#include <audit/cli.h>
#include <audit/job.h>
#include <audit/opt.h>
#include <audit/slice.h>

struct args {
	struct aud_slice_options o;
	int metric;
	struct aud_strlist slices, columns;
	struct aud_cli_checks checks;
	struct aud_csv_options csv;
	struct aud_cli_out out;
};

#define A struct args
static const struct aud_opt spec[] = {
	AUD_OPT_SECTION_("Columns and metric"),
	AUD_OPT_STRING_(0, "label", "COL", A, o.label, AUD_OPT_REQUIRED | AUD_OPT_ONCE,
	    "true label column (required)"),
	AUD_OPT_STRING_(0, "pred", "COL", A, o.pred, AUD_OPT_REQUIRED | AUD_OPT_ONCE,
	    "prediction column (required)"),
	AUD_OPT_STRING_(0, "score", "COL", A, o.score, AUD_OPT_ONCE,
	    "probability of the positive label in [0, 1]\n(log_loss, brier)"),
	AUD_OPT_STRING_(0, "task", "T", A, o.task, AUD_OPT_ONCE,
	    "classification (default) or regression"),
	AUD_OPT_CHOICE_(0, "metric", "M", A, metric, aud_slice_metric_names,
	    "accuracy (default), error_rate, fpr, fnr,\n"
	    "log_loss, brier; regression: mae (default), mse"),
	AUD_OPT_STRING_(0, "positive", "VALUE", A, o.positive, AUD_OPT_ONCE,
	    "the positive label of fpr, fnr, log_loss, brier\n(default 1)"),
	AUD_OPT_NUMBER_(0, "ci", "LEVEL", A, o.ci_level, 0.5, 0.9999,
	    "confidence level of intervals (0.95)"),
	AUD_OPT_SECTION_("Named slices"),
	AUD_OPT_APPEND_(0, "slice", "NAME=EXPR", A, slices, 0,
	    "a slice: the rows where EXPR holds, e.g.\n"
	    "hashtag='text contains \"#\"' (repeatable)"),
	AUD_OPT_SECTION_("Discovery"),
	AUD_OPT_FLAG_(0, "discover", A, o.discover,
	    "search conjunctions of column predicates for\nslices where the model is worse"),
	AUD_OPT_INT_(0, "max-degree", "D", A, o.max_degree, 1, 3,
	    "predicates per slice, at most (2)"),
	AUD_OPT_INT_(0, "bins", "B", A, o.bins, 2, 100,
	    "quantile bins of a numeric column (10)"),
	AUD_OPT_INT_(0, "min-size", "N", A, o.min_size, 1, 1e15,
	    "eligible rows a slice needs to be tested (30)"),
	AUD_OPT_NUMBER_(0, "fdr", "Q", A, o.fdr, 1e-12, 0.999999,
	    "Benjamini-Hochberg false discovery rate (0.05)"),
	AUD_OPT_INT_(0, "top", "K", A, o.top, 1, 1000000, "slices reported, at most (10)"),
	AUD_OPT_INT_(0, "max-values", "N", A, o.max_values, 1, 65534,
	    "a column with more distinct texts is left out\n(100)"),
	AUD_OPT_LIST_(0, "columns", "COLS", A, columns, 0,
	    "the columns sliced, comma-separated (default:\n"
	    "all but the label, prediction and score)"),
	AUD_OPTS_CHECKS(A, checks),
	AUD_OPTS_CSV(A, csv),
	AUD_OPTS_OUTPUT(A, out),
	AUD_OPT_END_
};
#undef A

static const struct aud_tool tool = {
	"audit-slice", "--label COL --pred COL (--slice NAME=EXPR... | --discover)\n"
	"[OPTION]... [FILE]",
	"A model's metric on slices of the data, each against the rest of the rows:\n"
	"named slices (--slice) or slices discovered among conjunctions of column\n"
	"predicates (--discover). Per slice its size, metric and interval, the\n"
	"complement's, the effect (positive: the slice is worse) and a test of the\n"
	"difference (two-proportion z or Welch t). FILE is a CSV (default: stdin).\n",
	"EXPR compares columns with numbers or \"texts\": == != < <= > >=,\n"
	"COL in (\"a\", 3), COL contains \"t\", COL startswith \"t\", COL is missing,\n"
	"combined with && || ! and parentheses; `any name` in backquotes.\n", 1
};

/* Split each --slice at its first '=' (in place: the strings are the args'). */
static int
split_slices(struct aud_slice_named **out, struct args *a, struct aud_error *err)
{
	struct aud_slice_named *v = calloc(a->slices.n + 1, sizeof(*v));
	size_t i;

	*out = v;
	if (v == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < a->slices.n; i++) {
		char *s = a->slices.v[i], *eq = strchr(s, '=');

		if (eq == NULL || eq == s)
			return AUD_ERROR(err, AUD_EINVAL, "--slice: expected NAME=EXPR, got '%s'", s);
		*eq = '\0';
		v[i].name = s;
		v[i].expr = eq + 1;
	}
	a->o.slices = v;
	a->o.nslices = a->slices.n;
	a->o.columns = a->columns.n > 0 ? (const char *const *)a->columns.v : NULL;
	a->o.ncolumns = a->columns.n;
	if (a->metric >= 0)
		a->o.metric = (enum aud_slice_metric)a->metric;
	else if (strcmp(a->o.task, "regression") == 0)
		a->o.metric = AUD_SLICE_MAE;
	return 0;
}

int
main(int argc, char **argv)
{
	struct aud_slice_options dflt = AUD_SLICE_OPTIONS_INIT;
	struct aud_csv_options csv = AUD_CSV_OPTIONS_INIT;
	struct aud_cli_out out = AUD_CLI_OUT_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_slice_named *named = NULL;
	struct aud_slice_job *job = NULL;
	struct aud_job run;
	struct args a;
	const char *input = NULL;
	size_t nin;
	int status;

	aud_init();
	if (aud_cli_init(&err) < 0)
		return aud_cli_report(tool.name, &err);
	memset(&a, 0, sizeof(a));
	a.o = dflt;
	a.metric = -1;
	a.csv = csv;
	a.out = out;
	if (aud_opt_parse(&tool, spec, &a, argc, argv, &input, &nin, &status))
		goto done;
	if (split_slices(&named, &a, &err) < 0 || aud_slice_job_new(&job, &a.o, &err) < 0) {
		status = aud_cli_report(tool.name, &err);
		goto done;
	}
	memset(&run, 0, sizeof(run));
	run.prog = tool.name;
	run.input = input;
	run.csv = a.csv;
	run.out = a.out;
	run.checks = &a.checks;
	status = aud_job_run(&run, &aud_slice_job_ops, job);
done:
	aud_slice_job_free(job);
	free(named);
	aud_opt_free(spec, &a);
	return status;
}
