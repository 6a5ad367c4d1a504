/* audit-fair — group fairness metrics of a binary, multi-class or regression model */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/bins.h>
#include <audit/cli.h>
#include <audit/fairness.h>
#include <audit/fairtask.h>
#include <audit/job.h>
#include <audit/opt.h>

struct args {
	struct aud_fairness_columns cols;
	struct aud_fairness_options o;
	struct aud_strlist protected, refs, bins;
	const char *favorable, *positive;
	int ci_method, rule, task;
	unsigned int threads;
	struct aud_cli_checks checks;
	struct aud_csv_options csv;
	struct aud_cli_out out;
};

static const char *const tasks[] = { "binary", "multiclass", "regression", NULL };
static const char *const ci_methods[] = { "wilson", "bootstrap", NULL };
static const char *const rules[] = { "eeoc", "band", NULL };

#define A struct args
static const struct aud_opt spec[] = {
	AUD_OPT_SECTION_("Columns"),
	AUD_OPT_CHOICE_(0, "task", "T", A, task, tasks,
	    "binary (default), multiclass or regression"),
	AUD_OPT_STRING_(0, "label", "COL", A, cols.label, AUD_OPT_REQUIRED,
	    "true label column (required)"),
	AUD_OPT_STRING_(0, "pred", "COL", A, cols.pred, 0, "predicted decision column"),
	AUD_OPT_STRING_(0, "score", "COL", A, cols.score, 0,
	    "score (probability of the positive value) in [0, 1]"),
	AUD_OPT_NUMBER_(0, "threshold", "T", A, o.threshold, -1e300, 1e300,
	    "without --pred: predicted positive when score >= T\n(default 0.5)"),
	AUD_OPT_LIST_(0, "protected", "COLS", A, protected, AUD_OPT_REQUIRED,
	    "protected columns, comma-separated (required)"),
	AUD_OPT_STRING_(0, "positive", "VALUE", A, positive, 0,
	    "label/prediction value counted as positive (1)"),
	AUD_OPT_STRING_(0, "favorable", "VALUE", A, favorable, 0,
	    "prediction value that is favorable (default:\nthe positive value)"),
	AUD_OPT_STRING_(0, "weights", "COL", A, cols.weights, 0,
	    "row weights (sums of weights replace counts)"),
	AUD_OPT_SECTION_("Groups"),
	AUD_OPT_APPEND_(0, "reference", "A=G", A, refs, 0,
	    "reference group G of attribute A (default: the\n"
	    "largest; a tie goes to the first by name, with a\nwarning)"),
	AUD_OPT_FLAG_(0, "intersect", A, o.intersect, "add the intersection of the protected columns"),
	AUD_OPT_APPEND_(0, "bins", "COL=E1,E2,...", A, bins, 0,
	    "group a numeric protected column by these edges\n"
	    "(COL=<=E1,<=E2,... for right-closed bins)"),
	AUD_OPT_INT_(0, "min-group-size", "N", A, o.min_group_size, 0, 2147483647L,
	    "groups with fewer rows are marked small (30)"),
	AUD_OPT_SECTION_("Statistics"),
	AUD_OPT_INT_(0, "score-bins", "N", A, o.score_bins, 2, 1000000,
	    "score histograms of N bins instead of exact\nscore metrics"),
	AUD_OPT_NUMBER_(0, "ci", "LEVEL", A, o.ci_level, 0.5, 0.9999,
	    "confidence level of intervals (0.95)"),
	AUD_OPT_CHOICE_(0, "ci-method", "M", A, ci_method, ci_methods,
	    "wilson (Wilson and DeLong) or bootstrap (wilson)"),
	AUD_OPT_INT_(0, "bootstrap", "B", A, o.bootstrap, 10, 100000,
	    "bootstrap replicates (1000)"),
	AUD_OPT_SEED_(A, o.seed),
	AUD_OPT_INT_(0, "threads", "N", A, threads, 1, AUD_MAX_THREADS,
	    "bootstrap threads, 1 to " AUD_STRINGIFY(AUD_MAX_THREADS) " (--task\n"
	    "multiclass or regression; default: the cores)"),
	AUD_OPT_CHOICE_(0, "four-fifths", "RULE", A, rule, rules,
	    "eeoc (0.8 x the highest) or band ([0.8, 1.25]\nof the reference)"),
	AUD_OPTS_CHECKS(A, checks),
	AUD_OPTS_CSV(A, csv),
	AUD_OPTS_OUTPUT(A, out),
	AUD_OPT_END_
};
#undef A

static const struct aud_tool tool = {
	"audit-fair", "--label COL (--pred COL | --score COL) --protected COLS\n[OPTION]... [FILE]\n"
	"|--task multiclass|regression --label COL --pred COL\n--protected COLS [OPTION]... [FILE]",
	"Group fairness of a binary classifier's predictions: per group rates\n"
	"(selection rate, TPR, FPR, FNR, PPV, FOR, ...), TP/FP/FN/TN counts, the\n"
	"majority-class baseline accuracy, score metrics (AUC, Brier, log loss, ECE),\n"
	"Fairlearn's and AIF360's summaries, disparities against a reference group,\n"
	"intervals, chi-square tests, and checks. FILE is a CSV (default: stdin).\n"
	"\n"
	"--task multiclass: per group accuracy, balanced accuracy, macro precision,\n"
	"recall and F1, per-class values and the confusion matrix. --task regression:\n"
	"per group means, MAE, MSE, RMSE, R2 and the bounded group loss. Both give\n"
	"differences and ratios between groups with bootstrap intervals; --score,\n"
	"--positive, --favorable, --threshold, --score-bins, --weights, --ci-method\n"
	"and --four-fifths apply to the binary task only.\n",
	NULL, 1
};

/* The parsed --reference and --bins, in the shapes fairness.h takes. */
struct groups {
	struct aud_fairness_reference *refs;
	struct aud_fairness_bins *bins;
	struct aud_bins **parsed;
	size_t nbins;
};

static void
groups_free(struct groups *g)
{
	size_t i;

	for (i = 0; i < g->nbins; i++)
		aud_bins_free(g->parsed[i]);
	free(g->parsed);
	free(g->bins);
	free(g->refs);
}

/* Split each --reference at '=' (in place: the strings are the args') and parse each --bins. */
static int
groups_parse(struct groups *g, struct args *a, struct aud_error *err)
{
	size_t i;

	g->refs = calloc(a->refs.n + 1, sizeof(*g->refs));
	g->bins = calloc(a->bins.n + 1, sizeof(*g->bins));
	g->parsed = calloc(a->bins.n + 1, sizeof(*g->parsed));
	if (g->refs == NULL || g->bins == NULL || g->parsed == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < a->refs.n; i++) {
		char *s = a->refs.v[i], *eq = strchr(s, '=');

		if (eq == NULL || eq == s || eq[1] == '\0')
			return AUD_ERROR(err, AUD_EINVAL,
			    "--reference: expected ATTRIBUTE=GROUP, got '%s'", s);
		*eq = '\0';
		g->refs[i].attribute = s;
		g->refs[i].group = eq + 1;
	}
	for (g->nbins = 0; g->nbins < a->bins.n; g->nbins++) {
		struct aud_bins *b;

		if (aud_bins_parse(&g->parsed[g->nbins], a->bins.v[g->nbins], "--bins", err) < 0)
			return err->code;
		b = g->parsed[g->nbins];
		g->bins[g->nbins].column = b->column;
		g->bins[g->nbins].nedges = b->nedges;
		g->bins[g->nbins].edges = b->edges;
		g->bins[g->nbins].edge_text = b->edge_text;
		g->bins[g->nbins].right = b->right;
	}
	a->o.protected = (const char *const *)a->protected.v;
	a->o.nprotected = a->protected.n;
	a->o.refs = g->refs;
	a->o.nrefs = a->refs.n;
	a->o.bins = g->bins;
	a->o.nbins = g->nbins;
	a->o.ci_method = a->ci_method == 1 ? AUD_CI_BOOTSTRAP : AUD_CI_WILSON;
	a->o.favorable = a->favorable != NULL ? a->favorable : a->o.positive;
	return 0;
}

/*
 * The options of the binary task that a multi-class or regression audit
 * refuses (a tool must not accept an option it ignores), and --threads, which
 * only the bootstrap of those tasks uses. Defaults are set here.
 */
static int
task_rules(struct args *a, struct aud_error *err)
{
	const char *bad = NULL;

	if (a->task != 0) {
		bad = a->cols.score != NULL ? "--score" : a->positive != NULL ? "--positive" :
		    a->favorable != NULL ? "--favorable" : !isnan(a->o.threshold) ? "--threshold" :
		    a->o.score_bins != 0 ? "--score-bins" : a->cols.weights != NULL ? "--weights" :
		    a->ci_method >= 0 ? "--ci-method" : a->rule >= 0 ? "--four-fifths" : NULL;
		if (bad != NULL)
			return AUD_ERROR(err, AUD_EINVAL, "%s does not apply to --task %s", bad,
			    tasks[a->task]);
		return 0;
	}
	if (a->threads != 0)
		return AUD_ERROR(err, AUD_EINVAL, "--threads applies to --task multiclass and "
		    "--task regression only");
	if (isnan(a->o.threshold))
		a->o.threshold = 0.5;
	if (a->positive != NULL)
		a->o.positive = a->positive;
	if (a->ci_method < 0)
		a->ci_method = 0;
	if (a->rule < 0)
		a->rule = 0;
	return 0;
}

/* The options of --task multiclass|regression from those parsed. */
static void
task_options(struct aud_fairtask_options *t, const struct args *a)
{
	struct aud_fairtask_options dflt = AUD_FAIRTASK_OPTIONS_INIT;

	*t = dflt;
	t->task = a->task == 2 ? AUD_FAIRTASK_REGRESSION : AUD_FAIRTASK_MULTICLASS;
	t->protected = a->o.protected;
	t->nprotected = a->o.nprotected;
	t->bins = a->o.bins;
	t->nbins = a->o.nbins;
	t->refs = a->o.refs;
	t->nrefs = a->o.nrefs;
	t->intersect = a->o.intersect;
	t->ci_level = a->o.ci_level;
	t->bootstrap = a->o.bootstrap;
	t->seed = a->o.seed;
	t->min_group_size = a->o.min_group_size;
	t->threads = a->threads != 0 ? a->threads : aud_cli_default_threads();
}

int
main(int argc, char **argv)
{
	struct aud_fairness_options dflt = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_csv_options csv = AUD_CSV_OPTIONS_INIT;
	struct aud_cli_out out = AUD_CLI_OUT_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_fairness_job *job = NULL;
	struct aud_fairtask_job *tjob = NULL;
	struct aud_fairtask_options to;
	struct groups g = { NULL, NULL, NULL, 0 };
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
	a.o.threshold = NAN;
	a.ci_method = a.rule = -1;
	a.csv = csv;
	a.out = out;
	if (aud_opt_parse(&tool, spec, &a, argc, argv, &input, &nin, &status))
		goto done;
	if (task_rules(&a, &err) < 0 || groups_parse(&g, &a, &err) < 0) {
		status = aud_cli_report(tool.name, &err);
		goto done;
	}
	memset(&run, 0, sizeof(run));
	run.prog = tool.name;
	run.input = input;
	run.csv = a.csv;
	run.out = a.out;
	run.checks = &a.checks;
	if (a.task != 0) {
		task_options(&to, &a);
		if (aud_fairtask_job_new(&tjob, &to, a.cols.label, a.cols.pred, &err) < 0) {
			status = aud_cli_report(tool.name, &err);
			goto done;
		}
		status = aud_job_run(&run, to.task == AUD_FAIRTASK_REGRESSION ?
		    &aud_fairtask_regression_job_ops : &aud_fairtask_multiclass_job_ops, tjob);
		goto done;
	}
	if (aud_fairness_job_new(&job, &a.o, &a.cols,
	    a.rule == 1 ? AUD_FOUR_FIFTHS_BAND : AUD_FOUR_FIFTHS_EEOC, &err) < 0) {
		status = aud_cli_report(tool.name, &err);
		goto done;
	}
	status = aud_job_run(&run, &aud_fairness_job_ops, job);
done:
	aud_fairness_job_free(job);
	aud_fairtask_job_free(tjob);
	groups_free(&g);
	aud_opt_free(spec, &a);
	return status;
}
