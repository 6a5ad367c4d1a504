/* audit-robust — perturbation robustness of a model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/cli.h>
#include <audit/job.h>
#include <audit/opt.h>
#include <audit/robust.h>

struct args {
	struct aud_robust_job_options o;
	struct aud_cli_checks checks;
	struct aud_csv_options csv;
	struct aud_cli_out out;
};

/* --counterfactual COL: the same as --perturb flip:COL, in the order given. */
static int
counterfactual(void *dest, const char *arg, const struct aud_opt *opt,
    struct aud_error *err)
{
	size_t n = strlen(arg) + sizeof("flip:");
	char *s = malloc(n);
	int rc;

	(void)opt;
	if (s == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	snprintf(s, n, "flip:%s", arg);
	rc = aud_strlist_push(dest, s, err);
	free(s);
	return rc;
}

#define A struct args
static const struct aud_opt spec[] = {
	AUD_OPTS_MODEL(A, o.model),
	AUD_OPT_SECTION_("Columns"),
	AUD_OPT_STRING_(0, "label", "COL", A, o.run.label, 0,
	    "true label (adds accuracy and accuracy_drop)"),
	AUD_OPT_LIST_(0, "protected", "COLS", A, o.protected, 0,
	    "protected attributes: by_group results; never\nperturbed"),
	AUD_OPT_APPEND_(0, "bins", "COL=E1,E2,...", A, o.bins, 0,
	    "group a numeric protected or flipped column by\n"
	    "these edges (COL=<=E1,<=E2,... for right-closed\nbins)"),
	AUD_OPT_LIST_(0, "features", "COLS", A, o.features, 0,
	    "columns perturbed (default: the model's input\n"
	    "columns less the label, protected and frozen\nones; printed unless -q)"),
	AUD_OPT_LIST_(0, "freeze", "COLS", A, o.freeze, 0,
	    "columns never perturbed (except by flip)"),
	AUD_OPT_SECTION_("Perturbations"),
	AUD_OPT_APPEND_(0, "perturb", "SPEC", A, o.specs, 0,
	    "a perturbation (repeatable; default gaussian:0.1)"),
	AUD_OPT_CALL_(0, "counterfactual", "COL", A, o.specs, counterfactual, 0, 0,
	    "same as --perturb flip:COL"),
	AUD_OPT_STRING_(0, "levels", "LIST", A, o.levels, 0,
	    "levels for level-less specs (a curve)"),
	AUD_OPT_INT_(0, "repeats", "R", A, o.run.repeats, 1, 10000,
	    "draws per row of random perturbations (default 1)"),
	AUD_OPT_NUMBER_(0, "threshold", "T", A, o.run.threshold, -1e300, 1e300,
	    "decision threshold on the score (default 0.5)"),
	AUD_OPT_SEED_(A, o.run.seed),
	AUD_OPT_NUMBER_(0, "ci", "LEVEL", A, o.run.ci_level, 0.5, 0.9999,
	    "Wilson interval level (default 0.95)"),
	AUD_OPT_INT_(0, "restarts", "K", A, o.run.adv_restarts, 1, 1000,
	    "adversarial: random points per row (default 8)"),
	AUD_OPT_INT_(0, "steps", "S", A, o.run.adv_steps, 0, 1000,
	    "adversarial: greedy coordinate rounds (default 10)"),
	AUD_OPT_FLAG_(0, "no-by-feature", A, o.no_by_feature, "skip the per-feature runs"),
	AUD_OPT_FLAG_(0, "unbounded", A, o.run.unbounded,
	    "do not clamp to the observed range nor keep\nintegers whole"),
	AUD_OPTS_CHECKS(A, checks),
	AUD_OPTS_CSV(A, csv),
	AUD_OPTS_OUTPUT(A, out),
	AUD_OPT_END_
};
#undef A

static const struct aud_tool tool = {
	"audit-robust",
	"(-m MODEL.pmml | --model-cmd CMD) [--label COL]\n"
	"[--protected COLS] [--perturb SPEC]... [--levels LIST]\n"
	"[OPTION]... [FILE]",
	"Perturbs the input rows, runs them through the model and reports how often\n"
	"the decision (score >= threshold) changes: overall, per protected group, per\n"
	"feature. A perturbed row the model cannot score (NaN) is 'unscored', not a\n"
	"flip, and left out of the rates. Each entry names its test: a flip of a\n"
	"protected attribute is the anti-classification test. FILE is a CSV\n"
	"(default: stdin).\n",
	"Perturbations (--perturb; numeric ones are scaled by the column's sd,\n"
	"clamped to its observed range, and keep integer columns whole):\n"
	"  gaussian:SIGMA    add N(0, (SIGMA sd)^2) to numeric features\n"
	"  uniform:W         add U(-W sd, W sd) to numeric features\n"
	"  scale:F           multiply numeric features by F\n"
	"  round:DIGITS      round numeric features to DIGITS decimals\n"
	"  missing:P         set any feature to missing with probability P\n"
	"  swap:P            categorical: with probability P draw from the column's\n"
	"                    marginal\n"
	"  flip:COL          give every row each other value of COL (counterfactual\n"
	"                    test); a numeric COL with --bins: the representative\n"
	"                    value of each other bin (the lower median of the bin's\n"
	"                    observed values)\n"
	"  grid:COL=D,...    every neighbour within D units of each COL (exhaustive)\n"
	"  adversarial:EPS   search an L-infinity ball of EPS sd for a flipping point\n"
	"A spec without its level (\"gaussian\") is swept over --levels (when every\n"
	"spec has its level, --levels sweeps all those of a kind that takes one).\n",
	1
};

int
main(int argc, char **argv)
{
	struct aud_robust_job_options dflt = AUD_ROBUST_JOB_OPTIONS_INIT;
	struct aud_csv_options csv = AUD_CSV_OPTIONS_INIT;
	struct aud_cli_out out = AUD_CLI_OUT_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_robust_job *job = NULL;
	struct aud_cli_file model_file;
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
	a.csv = csv;
	a.out = out;
	if (aud_opt_parse(&tool, spec, &a, argc, argv, &input, &nin, &status))
		goto done;
	if (aud_robust_job_new(&job, &a.o, &err) < 0) {
		status = aud_cli_report(tool.name, &err);
		goto done;
	}
	model_file.option = "-m";
	model_file.path = a.o.model.pmml;
	memset(&run, 0, sizeof(run));
	run.prog = tool.name;
	run.input = input;
	run.csv = a.csv;
	run.out = a.out;
	run.checks = &a.checks;
	run.inputs = &model_file;
	run.ninputs = 1;
	run.input_info = aud_robust_job_input_info;
	run.note = aud_robust_job_note;
	status = aud_job_run(&run, &aud_robust_job_ops, job);
done:
	aud_robust_job_free(job);
	aud_opt_free(spec, &a);
	return status;
}
