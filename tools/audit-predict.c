/*
 * audit-predict — score a CSV with a model: copy every input row and append
 * the score and the decision, or with --all-outputs the model's full result.
 * The scoring is libaudit's predict module; this file parses the options and
 * owns the files.
 */
#include <stdlib.h>
#include <string.h>

#include <audit/cli.h>
#include <audit/csvopt.h>
#include <audit/mitigate_job.h>
#include <audit/opt.h>
#include <audit/predict.h>

struct args {
	struct aud_cli_model model;
	struct aud_strlist features;
	const char *score_col, *pred_col;
	double threshold;
	int all_outputs;
	const char *postprocess;
	uint64_t seed;
	int seed_given;
	struct aud_csv_options csv;
	struct aud_cli_out out;
};

/* --seed: stored, and remembered as given (it goes with --postprocess only). */
static int
set_seed(void *dest, const char *arg, const struct aud_opt *opt, struct aud_error *err)
{
	struct args *a = (struct args *)((char *)dest - offsetof(struct args, seed));

	(void)opt;
	a->seed_given = 1;
	return aud_parse_seed(&a->seed, arg, err);
}

#define A struct args
static const struct aud_opt spec[] = {
	AUD_OPTS_MODEL_SERIAL(A, model),
	AUD_OPT_LIST_(0, "features", "COLS", A, features, 0, "the same as --model-columns"),
	AUD_OPT_SECTION_("Result"),
	AUD_OPT_FLAG_(0, "all-outputs", A, all_outputs,
	    "append the model's result fields instead of\nthe score (PMML only)"),
	AUD_OPT_STRING_(0, "score-col", "NAME", A, score_col, 0,
	    "name of the score column (default score)"),
	AUD_OPT_STRING_(0, "pred-col", "NAME", A, pred_col, 0,
	    "name of the decision column (default pred)"),
	AUD_OPT_NUMBER_(0, "threshold", "T", A, threshold, -1e300, 1e300,
	    "a row is predicted positive when score >= T\n(default 0.5)"),
	AUD_OPT_SECTION_("Mitigation"),
	AUD_OPT_STRING_(0, "postprocess", "POLICY", A, postprocess, AUD_OPT_ONCE,
	    "also append pred_mitigated and p_mitigated:\n"
	    "the policy of audit-mitigate thresholds\n"
	    "applied to the score"),
	AUD_OPT_CALL_(0, "seed", "S", A, seed, set_seed, 0, 0,
	    "--postprocess: random seed of the decisions\n(default 42)"),
	AUD_OPTS_CSV(A, csv),
	AUD_OPT_SECTION_("Output"),
	AUD_OPTS_OUTPUT_FILE(A, out),
	AUD_OPTS_GENERAL(A, out),
	AUD_OPT_END_
};
#undef A

static const struct aud_tool tool = {
	"audit-predict", "(-m MODEL.pmml | --model-cmd CMD) [OPTION]... [FILE]",
	"Copy every row of FILE (standard input when absent or '-') and append the\n"
	"model's score and, for a classifier, its decision.\n",
	"For a classifier the score is the probability of the positive class\n"
	"(--positive; by default 1 when that is a category of the target, else its\n"
	"last category); for a regression model it is the predicted value, and no\n"
	"decision is appended.\n", 1
};

/* Open the input, the model and the output; score every row; commit. */
static int
predict(const struct args *a, const struct aud_predict_options *po, const char *input,
    struct aud_error *err)
{
	struct aud_csvopt_notice_ctx notice = { "audit-predict", a->out.quiet };
	struct aud_csv_options co = a->csv;
	struct aud_csv *csv = NULL;
	struct aud_model *m = NULL;
	struct aud_output *out = NULL;
	struct aud_cli_progress bar = AUD_CLI_PROGRESS_INIT;
	struct aud_progress_cb progress = { aud_cli_progress, &bar };
	struct aud_mit_policy *policy = NULL;
	struct aud_predict_options o = *po;
	int rc = 0;

	if (a->postprocess != NULL)
		rc = aud_mit_policy_read(&policy, a->postprocess, err);
	o.policy = policy;
	po = &o;
	co.notice = aud_csvopt_notice;
	co.notice_payload = &notice;
	if (rc == 0)
		rc = aud_csv_open(&csv, input, &co, err);
	if (rc == 0)
		rc = aud_predict_model_open(&m, csv, po, err);
	if (rc == 0 && aud_predict_name_clash(csv, m, po))
		aud_cli_warn(tool.name, a->out.quiet,
		    "the input already has a column '%s' or '%s'; the appended ones "
		    "repeat the name (choose others with --score-col, --pred-col)",
		    po->score_col, po->pred_col);
	if (rc == 0)
		rc = aud_output_open(&out, a->out.path, err);
	aud_cli_progress_init(&bar, aud_stderr_is_tty() && !a->out.quiet);
	if (rc == 0)
		rc = aud_predict_write(aud_output_stream(out), m, csv, po, &progress, err);
	aud_cli_progress_end(&bar);
	if (rc == 0)
		rc = aud_output_commit(out, err);
	aud_output_free(out);
	aud_model_free(m);
	aud_csv_free(csv);
	aud_mit_policy_free(policy);
	return rc;
}

int
main(int argc, char **argv)
{
	struct aud_predict_options po = AUD_PREDICT_OPTIONS_INIT;
	struct aud_csv_options csv = AUD_CSV_OPTIONS_INIT;
	struct aud_cli_model model = AUD_CLI_MODEL_INIT;
	struct aud_cli_out out = AUD_CLI_OUT_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct args a;
	const char *input = NULL;
	size_t nin;
	int status;

	aud_init();
	if (aud_cli_init(&err) < 0)
		return aud_cli_report(tool.name, &err);
	memset(&a, 0, sizeof(a));
	a.model = model;
	a.score_col = po.score_col;
	a.pred_col = po.pred_col;
	a.threshold = po.threshold;
	a.seed = po.seed;
	a.csv = csv;
	a.out = out;
	if (aud_opt_parse(&tool, spec, &a, argc, argv, &input, &nin, &status))
		goto done;
	if (a.features.n > 0 && a.model.columns.n > 0) {
		status = aud_cli_usage_error(tool.name,
		    "--features and --model-columns are the same option: give one");
		goto done;
	}
	if (a.seed_given && a.postprocess == NULL) {
		status = aud_cli_usage_error(tool.name, "--seed goes with --postprocess");
		goto done;
	}
	po.pmml = a.model.pmml;
	po.command = a.model.command;
	po.columns_option = a.features.n > 0 ? "--features" : "--model-columns";
	po.columns = (const char *const *)(a.features.n > 0 ? a.features.v :
	    a.model.columns.v);
	po.ncolumns = a.features.n > 0 ? a.features.n : a.model.columns.n;
	po.model.positive = a.model.positive;
	po.model.batch_size = a.model.batch_size;
	po.model.timeout = a.model.timeout;
	po.model.protocol = a.model.protocol;
	po.model.on_child = aud_cli_model_child;
	po.score_col = a.score_col;
	po.pred_col = a.pred_col;
	po.threshold = a.threshold;
	po.all_outputs = a.all_outputs;
	po.seed = a.seed;
	if (a.postprocess != NULL && a.all_outputs) {
		status = aud_cli_usage_error(tool.name, "--postprocess and --all-outputs do not "
		    "go together (a policy acts on the score)");
		goto done;
	}
	if (aud_predict_validate(&po, &err) < 0) {
		status = aud_cli_report(tool.name, &err);
		goto done;
	}
	{
		const struct aud_cli_file outs[] = { { "-o", a.out.path } };
		const struct aud_cli_file ins[] = { { "the input", input }, { "-m", po.pmml },
			{ "--postprocess", a.postprocess } };

		status = aud_cli_check_files(tool.name, outs, 1, ins, 3);
		if (status != AUD_EXIT_OK)
			goto done;
	}
	if (predict(&a, &po, input, &err) < 0)
		status = aud_cli_report(tool.name, &err);
done:
	aud_opt_free(spec, &a);
	return status;
}
