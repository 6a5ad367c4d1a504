/*
 * audit-mitigate — act on what audit-fair found, on prediction CSVs: group
 * thresholds (a policy), applying a policy, reweighing, the trade-off
 * frontier. The first argument names the subcommand; each has its own option
 * table (and `audit-mitigate SUBCOMMAND --help`); `audit-mitigate --help`
 * shows them all. The work is libaudit's mitigate module.
 */
#include <stdlib.h>
#include <string.h>

#include <audit/cli.h>
#include <audit/csvopt.h>
#include <audit/job.h>
#include <audit/mitigate_job.h>
#include <audit/opt.h>

struct args {
	const char *label, *score, *positive, *policy, *tolerances;
	struct aud_strlist protected;
	struct aud_mit_options mit;
	double threshold;
	uint64_t seed;
	int table;
	struct aud_cli_checks checks;
	struct aud_csv_options csv;
	struct aud_cli_out out;
};

static int
set_constraint(void *dest, const char *arg, const struct aud_opt *opt, struct aud_error *err)
{
	(void)opt;
	return aud_mit_constraint_parse(dest, arg, err);
}

static int
set_objective(void *dest, const char *arg, const struct aud_opt *opt, struct aud_error *err)
{
	(void)opt;
	return aud_mit_objective_parse(dest, arg, err);
}

#define A struct args
#define O_LABEL(fl) AUD_OPT_STRING_(0, "label", "COL", A, label, fl, "true label column (required)")
#define O_PROTECTED(fl) AUD_OPT_LIST_(0, "protected", "COLS", A, protected, fl, \
	"protected columns, comma-separated (required;\nseveral: their intersection)")
#define O_SCORE AUD_OPT_STRING_(0, "score", "COL", A, score, AUD_OPT_REQUIRED, \
	"score column, in [0, 1] (required)")
#define O_POSITIVE AUD_OPT_STRING_(0, "positive", "VALUE", A, positive, 0, \
	"label value counted as positive (default 1)")
#define O_METHOD \
	AUD_OPT_CALL_(0, "constraint", "C", A, mit.constraint, set_constraint, 0, 0, \
	    "demographic_parity (default), equalized_odds,\n" \
	    "equal_opportunity, false_positive_rate_parity\n" \
	    "or false_negative_rate_parity"), \
	AUD_OPT_CALL_(0, "objective", "O", A, mit.objective, set_objective, 0, 0, \
	    "accuracy (default) or balanced_accuracy"), \
	AUD_OPT_INT_(0, "grid", "N", A, mit.grid, 0, 100000000, \
	    "grid points over the constrained rate, as\n" \
	    "Fairlearn (default 1000); 0: the exact optimum"), \
	AUD_OPT_NUMBER_(0, "tolerance", "EPS", A, mit.tolerance, 0, 1, \
	    "the groups' constrained rates may differ by\nEPS (default 0)"), \
	AUD_OPT_NUMBER_(0, "threshold", "T", A, threshold, -1e300, 1e300, \
	    "the decision before: score >= T (default 0.5)")
#define O_TOLERANCES AUD_OPT_STRING_(0, "tolerances", "LIST", A, tolerances, 0, \
	"increasing tolerances in [0, 1], comma-separated\n(default 0,0.01,...,0.2)")
#define O_POLICY(fl) AUD_OPT_STRING_(0, "policy", "FILE", A, policy, (fl) | AUD_OPT_ONCE, \
	"the policy: a thresholds (or frontier) document\n(required)")
#define O_APPLY_SCORE AUD_OPT_STRING_(0, "score", "COL", A, score, 0, \
	"score column (default: the policy's)")
#define O_TABLE AUD_OPT_FLAG_(0, "table", A, table, \
	"write the weight table (a document) instead of\nthe rows")
/* the checks of the analysing tools but --policy, which is apply's policy here */
#define O_CHECKS AUD_OPT_SECTION_("Checks"), \
	AUD_OPT_APPEND_(0, "check", "EXPR", A, checks.exprs, 0, \
	    "a check on a result, PATH OP NUMBER (the\n" \
	    "manual lists the paths); exit 1 when it fails\n" \
	    "(repeatable)"), \
	AUD_OPT_FLAG_(0, "allow-undefined", A, checks.allow_undefined, \
	    "a check on an undefined value does not fail\n" \
	    "(by default it does)"), \
	AUD_OPT_STRING_(0, "junit", "FILE", A, checks.junit, AUD_OPT_ONCE, \
	    "also write the checks as JUnit XML to FILE")
#define O_ROWS_OUTPUT AUD_OPT_SECTION_("Output"), AUD_OPTS_OUTPUT_FILE(A, out), \
	AUD_OPTS_GENERAL(A, out)

static const struct aud_opt thresholds_spec[] = {
	AUD_OPT_SECTION_("Columns"), O_LABEL(AUD_OPT_REQUIRED), O_SCORE,
	O_PROTECTED(AUD_OPT_REQUIRED), O_POSITIVE,
	AUD_OPT_SECTION_("Method"), O_METHOD, O_CHECKS,
	AUD_OPTS_CSV(A, csv), AUD_OPTS_OUTPUT(A, out), AUD_OPT_END_
};
static const struct aud_opt frontier_spec[] = {
	AUD_OPT_SECTION_("Columns"), O_LABEL(AUD_OPT_REQUIRED), O_SCORE,
	O_PROTECTED(AUD_OPT_REQUIRED), O_POSITIVE,
	AUD_OPT_SECTION_("Method"), O_METHOD, O_TOLERANCES, O_CHECKS,
	AUD_OPTS_CSV(A, csv), AUD_OPTS_OUTPUT(A, out), AUD_OPT_END_
};
static const struct aud_opt apply_spec[] = {
	AUD_OPT_SECTION_("Policy"), O_POLICY(AUD_OPT_REQUIRED), O_APPLY_SCORE, AUD_OPT_SEED_(A, seed),
	AUD_OPTS_CSV(A, csv), O_ROWS_OUTPUT, AUD_OPT_END_
};
static const struct aud_opt reweigh_spec[] = {
	AUD_OPT_SECTION_("Columns"), O_LABEL(AUD_OPT_REQUIRED), O_PROTECTED(AUD_OPT_REQUIRED),
	O_TABLE,
	AUD_OPTS_CSV(A, csv), AUD_OPTS_OUTPUT(A, out), AUD_OPT_END_
};
/* audit-mitigate --help: every subcommand's options, once each */
static const struct aud_opt all_spec[] = {
	AUD_OPT_SECTION_("thresholds, frontier and reweigh"), O_LABEL(0), O_PROTECTED(0),
	AUD_OPT_SECTION_("thresholds, frontier and apply"),
	AUD_OPT_STRING_(0, "score", "COL", A, score, 0,
	    "score column, in [0, 1] (required; apply:\ndefault the policy's)"),
	AUD_OPT_SECTION_("thresholds and frontier"), O_POSITIVE, O_METHOD,
	AUD_OPT_SECTION_("frontier"), O_TOLERANCES,
	AUD_OPT_SECTION_("apply"), O_POLICY(0), AUD_OPT_SEED_(A, seed),
	AUD_OPT_SECTION_("reweigh"), O_TABLE,
	O_CHECKS,
	AUD_OPTS_CSV(A, csv), AUD_OPTS_OUTPUT(A, out), AUD_OPT_END_
};
#undef A

#define MORE \
	"--format is for the documents (thresholds, frontier, reweigh --table);\n" \
	"apply and reweigh write CSV rows.\n"

static const struct aud_tool tools[] = {
	{ "audit-mitigate", "thresholds --label COL --score COL --protected COLS\n"
	  "[OPTION]... [FILE]",
	  "Group-specific, possibly randomised thresholds that meet a fairness\n"
	  "constraint with the best accuracy (Fairlearn's ThresholdOptimizer on a\n"
	  "prefit scorer): writes the policy, an audit.mitigate/1 document, with each\n"
	  "group's rule and the metrics before and after. FILE is a CSV (default:\n"
	  "stdin).\n", NULL, 1 },
	{ "audit-mitigate", "apply --policy FILE [--seed S] [OPTION]... [FILE]",
	  "Copy every row of FILE (default: stdin) and append pred_mitigated (the\n"
	  "decision, drawn from the row's own seeded stream) and p_mitigated (its\n"
	  "probability under the policy).\n", NULL, 1 },
	{ "audit-mitigate", "reweigh --label COL --protected COLS [--table]\n"
	  "[OPTION]... [FILE]",
	  "Kamiran-Calders reweighing: copy every row and append weight =\n"
	  "n_g n_y / (n n_gy) for its group g and label y, or with --table write the\n"
	  "weight table.\n", NULL, 1 },
	{ "audit-mitigate", "frontier --label COL --score COL --protected COLS\n"
	  "[--tolerances LIST] [OPTION]... [FILE]",
	  "The accuracy-disparity trade-off: the exact optimum of group thresholds at\n"
	  "each tolerance, and the thresholds policy at --tolerance (the chosen\n"
	  "point).\n", NULL, 1 },
};
static const struct aud_tool all_tool = {
	"audit-mitigate", "SUBCOMMAND [OPTION]... [FILE]",
	"Act on what audit-fair found, on prediction CSVs (no retraining):\n"
	"  thresholds  group thresholds meeting a fairness constraint: a policy\n"
	"  apply       apply a policy to scored rows\n"
	"  reweigh     Kamiran-Calders weights, as a column or a table\n"
	"  frontier    the exact accuracy-disparity curve over tolerances\n"
	"'audit-mitigate SUBCOMMAND --help' shows one subcommand's options.\n",
	MORE, 64
};
static const struct aud_opt *const specs[] = { thresholds_spec, apply_spec, reweigh_spec,
	frontier_spec };

/* reweigh's warnings: "audit-mitigate: warning: ..." unless -q. */
static void
warn(const char *msg, void *payload)
{
	const struct args *a = payload;

	aud_cli_warn("audit-mitigate", a->out.quiet, "%s", msg);
}

/* apply and reweigh: stream the rows into the output, atomically. */
static int
rows(const struct args *a, enum aud_mit_command cmd, const char *input, struct aud_error *err)
{
	struct aud_csvopt_notice_ctx notice = { "audit-mitigate", a->out.quiet };
	struct aud_csv_options co = a->csv;
	struct aud_mit_apply_options ao = AUD_MIT_APPLY_OPTIONS_INIT;
	struct aud_mit_policy *p = NULL;
	struct aud_csv *csv = NULL;
	struct aud_output *out = NULL;
	struct aud_cli_progress bar = AUD_CLI_PROGRESS_INIT;
	struct aud_progress_cb progress = { aud_cli_progress, &bar };
	int rc = 0;

	co.notice = aud_csvopt_notice;
	co.notice_payload = &notice;
	if (cmd == AUD_MIT_APPLY)
		rc = aud_mit_policy_read(&p, a->policy, err);
	if (rc == 0)
		rc = aud_csv_open(&csv, input, &co, err);
	if (rc == 0)
		rc = aud_output_open(&out, a->out.path, err);
	aud_cli_progress_init(&bar, aud_stderr_is_tty() && !a->out.quiet);
	ao.score = a->score;
	ao.seed = a->seed;
	if (rc == 0 && cmd == AUD_MIT_APPLY)
		rc = aud_mit_apply_write(aud_output_stream(out), csv, p, &ao, &progress, err);
	else if (rc == 0)
		rc = aud_mit_reweigh_write(aud_output_stream(out), csv, a->label,
		    (const char *const *)a->protected.v, a->protected.n, warn,
		    (void *)a, &progress, err);
	aud_cli_progress_end(&bar);
	if (rc == 0)
		rc = aud_output_commit(out, err);
	aud_output_free(out);
	aud_csv_free(csv);
	aud_mit_policy_free(p);
	return rc;
}

/* thresholds, frontier, reweigh --table: a job of the runner. */
static int
document(struct args *a, enum aud_mit_command cmd, const char *input, struct aud_error *err)
{
	struct aud_mit_job_options o = AUD_MIT_JOB_OPTIONS_INIT;
	struct aud_mit_job *job = NULL;
	struct aud_job run;
	double *tol = NULL;
	size_t ntol = 0;
	int status;

	o.command = cmd;
	o.label = a->label;
	o.score = a->score;
	o.protected = (const char *const *)a->protected.v;
	o.nprotected = a->protected.n;
	if (a->positive != NULL)
		o.positive = a->positive;
	o.threshold = a->threshold;
	o.mit = a->mit;
	if (a->tolerances != NULL && aud_parse_numbers(&tol, &ntol, a->tolerances, 0, 1,
	    "--tolerances", err) < 0)
		return aud_cli_report("audit-mitigate", err);
	o.tolerances = tol;
	o.ntolerances = ntol;
	if (aud_mit_job_new(&job, &o, err) < 0) {
		free(tol);
		return aud_cli_report("audit-mitigate", err);
	}
	memset(&run, 0, sizeof(run));
	run.prog = "audit-mitigate";
	run.input = input;
	run.csv = a->csv;
	run.out = a->out;
	run.checks = cmd == AUD_MIT_REWEIGH ? NULL : &a->checks;
	status = aud_job_run(&run, &aud_mit_job_ops, job);
	aud_mit_job_free(job);
	free(tol);
	return status;
}

int
main(int argc, char **argv)
{
	struct aud_mit_options mit = AUD_MIT_OPTIONS_INIT;
	struct aud_csv_options csv = AUD_CSV_OPTIONS_INIT;
	struct aud_cli_out out = AUD_CLI_OUT_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	const char *input = NULL;
	struct args a;
	size_t nin, k;
	int status;

	aud_init();
	if (aud_cli_init(&err) < 0)
		return aud_cli_report(all_tool.name, &err);
	memset(&a, 0, sizeof(a));
	a.mit = mit;
	a.threshold = 0.5;
	a.seed = 42;
	a.csv = csv;
	a.out = out;
	if (aud_opt_parse_sub(&all_tool, all_spec, aud_mit_command_names, tools, specs, &a, argc, argv,
	    &k, &input, &nin, &status))
		goto done;
	if (k == AUD_MIT_REWEIGH && !a.table && a.out.format >= 0) {
		status = aud_cli_usage_error(all_tool.name, "--format goes with --table "
		    "(reweigh writes CSV rows)");
		goto done;
	}
	if (k == AUD_MIT_APPLY || (k == AUD_MIT_REWEIGH && !a.table)) {
		const struct aud_cli_file outs[] = { { "-o", a.out.path } };
		const struct aud_cli_file ins[] = { { "the input", input }, { "--policy", a.policy } };

		status = aud_cli_check_files(all_tool.name, outs, 1, ins, 2);
		if (status == AUD_EXIT_OK && rows(&a, (enum aud_mit_command)k, input, &err) < 0)
			status = aud_cli_report(all_tool.name, &err);
	} else {
		status = document(&a, (enum aud_mit_command)k, input, &err);
	}
done:
	aud_opt_free(all_spec, &a);
	return status;
}
