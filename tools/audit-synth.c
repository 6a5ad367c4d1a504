/*
 * audit-synth — write a synthetic dataset with a known, planted bias.
 * The generator is libaudit's synth module; this file parses the options and
 * owns the two outputs.
 */
#include <string.h>

#include <audit/cli.h>
#include <audit/opt.h>
#include <audit/synth.h>

struct args {
	struct aud_synth_options o;
	const char *model_out;
	struct aud_strlist shift;
	struct aud_synth_shift shifts[AUD_SYNTH_MAX_SHIFTS];
	const char *weak_spec;
	struct aud_synth_weak weak;
	struct aud_cli_out out;
};

#define A struct args
static const struct aud_opt spec[] = {
	AUD_OPT_SECTION_("Dataset"),
	AUD_OPT_STRING_(0, "scenario", "NAME", A, o.scenario, 0,
	    "the dataset to generate: credit (loan\n"
	    "applicants, default) or sentiment (short\n"
	    "posts with a 3-class label and two models'\n"
	    "predictions, for slicing)"),
	AUD_OPT_INT_(0, "rows", "N", A, o.rows, 0, (double)AUD_SYNTH_MAX_ROWS,
	    "data rows, 0 to 1000000000000 (default 5000)"),
	AUD_OPT_SEED_(A, o.seed),
	AUD_OPT_NUMBER_(0, "label-bias", "B", A, o.label_bias, 0, AUD_SYNTH_MAX_LABEL_BIAS,
	    "historical label bias against group C: its\n"
	    "log-odds of a recorded repayment are lowered\n"
	    "by B, 0 to 10 (default 1.5)"),
	AUD_OPT_NUMBER_(0, "proxy-strength", "P", A, o.proxy_strength, 0, 1,
	    "how strongly region reveals group, 0\n"
	    "(independent) to 1 (region determines group)\n"
	    "(default 0.8)"),
	AUD_OPT_SECTION_("Drift exercises"),
	AUD_OPT_APPEND_(0, "shift", "COL=X", A, shift, 0,
	    "plant a shift (repeatable): a numeric column\n"
	    "moves by X of its standard deviations, -10 to\n"
	    "10; region, sex or group: a share X (0 to 1)\n"
	    "of rows takes its last value (west, male,\n"
	    "C); label=X raises the log-odds of label 1\n"
	    "by X, -10 to 10"),
	AUD_OPT_INT_(0, "months", "N", A, o.months, 0, AUD_SYNTH_MAX_MONTHS,
	    "add a month column (2025-01, ...) cutting the\n"
	    "rows into N equal months in order, 0 to 600\n"
	    "(default 0: none)"),
	AUD_OPT_INT_(0, "shift-from", "M", A, o.shift_from, 1, AUD_SYNTH_MAX_MONTHS,
	    "shift only the rows of month M and later\n"
	    "(needs --months and --shift)"),
	AUD_OPT_SECTION_("Slicing exercises"),
	AUD_OPT_NUMBER_(0, "error-rate", "R", A, o.error_rate, 0, 1,
	    "pred becomes the label flipped with\n"
	    "probability R, 0 to 1, whatever the row's\n"
	    "features (score stays the planted model's)"),
	AUD_OPT_STRING_(0, "weak-slice", "CONDS:W", A, weak_spec, 0,
	    "plant a weak slice: in the rows meeting every\n"
	    "condition (comma-separated COL=VALUE, COL<NUM,\n"
	    "COL<=NUM, COL>NUM, COL>=NUM), pred is flipped\n"
	    "with probability W, 0 to 1; e.g.\n"
	    "'region=west,age<30:0.35'"),
	AUD_OPT_SECTION_("Output"),
	AUD_OPTS_OUTPUT_FILE(A, out),
	AUD_OPT_STRING_(0, "model-out", "FILE", A, model_out, 0,
	    "also write the planted model as PMML 4.4\n"
	    "(- for standard output, with -o FILE)"),
	AUD_OPTS_GENERAL(A, out),
	AUD_OPT_END_
};
#undef A

static const struct aud_tool tool = {
	"audit-synth", "[-q] [--scenario NAME] [--rows N] [--seed S]\n"
	"[--label-bias B] [--proxy-strength P]\n[--shift COL=X]... [--months N [--shift-from M]]\n"
	"[--error-rate R] [--weak-slice CONDS:W]\n"
	"[--model-out FILE.pmml] [-o FILE]",
	"Write a CSV of synthetic loan applicants with a planted, tunable bias\n"
	"(columns: id, age, income, debt_ratio, credit_years, employment_years,\n"
	"loan_amount, num_accounts, late_payments, region, sex, group, label,\n"
	"score, pred); with --scenario sentiment, short posts (id, source, text,\n"
	"words, hashtags, label, model_a, model_b, retweets, retweets_pred). The\n"
	"generative processes are documented in datasets/README.md.\n",
	"The same options and seed give the same bytes. The CSV and the model are\n"
	"written to temporary files and renamed only when both are complete.\n",
	0
};

/* Write the model (if asked) and the CSV; rename both into place or neither. */
static int
synthesize(struct args *a, struct aud_error *err)
{
	struct aud_output *outs[2] = { NULL, NULL };   /* the model, the CSV */
	struct aud_cli_progress bar = AUD_CLI_PROGRESS_INIT;
	int rc = 0;

	if (a->model_out != NULL) {
		rc = aud_output_open(&outs[0], a->model_out, err);
		if (rc == 0)
			rc = aud_synth_write_pmml(aud_output_stream(outs[0]), &a->o, err);
	}
	if (rc == 0)
		rc = aud_output_open(&outs[1], a->out.path, err);
	aud_cli_progress_init(&bar, aud_stderr_is_tty() && !a->out.quiet);
	a->o.progress.fn = aud_cli_progress;
	a->o.progress.payload = &bar;
	if (rc == 0)
		rc = aud_synth_write_csv(aud_output_stream(outs[1]), &a->o, err);
	aud_cli_progress_end(&bar);
	if (rc == 0)
		rc = aud_output_commit_all(outs, 2, err);
	aud_output_free(outs[0]);
	aud_output_free(outs[1]);
	return rc;
}

/* Parse the --shift arguments into a.shifts; a usage error prints its line. */
static int
shifts(struct args *a)
{
	struct aud_error err = AUD_ERROR_INIT;
	size_t n = a->shift.n;
	int rc = 0;

	if (a->shift.n > AUD_SYNTH_MAX_SHIFTS)
		rc = AUD_ERROR(&err, AUD_EINVAL, "--shift: more than %d columns",
		    AUD_SYNTH_MAX_SHIFTS);
	for (size_t i = 0; rc == 0 && i < a->shift.n; i++)
		rc = aud_synth_shift_parse(&a->shifts[i], a->shift.v[i], &err);
	aud_strlist_free(&a->shift);
	if (rc < 0)
		return aud_cli_report(tool.name, &err);
	a->o.shifts = a->shifts;
	a->o.nshifts = n;
	return AUD_EXIT_OK;
}

int
main(int argc, char **argv)
{
	struct aud_synth_options dflt = AUD_SYNTH_OPTIONS_INIT;
	struct aud_cli_out out = AUD_CLI_OUT_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct args a;
	const char *none = NULL;
	size_t n;
	int status;

	aud_init();
	if (aud_cli_init(&err) < 0)
		return aud_cli_report(tool.name, &err);
	memset(&a, 0, sizeof(a));
	a.o = dflt;
	a.out = out;
	if (aud_opt_parse(&tool, spec, &a, argc, argv, &none, &n, &status))
		return status;
	status = shifts(&a);
	if (status != AUD_EXIT_OK)
		return status;
	if (a.weak_spec != NULL) {
		if (aud_synth_weak_parse(&a.weak, a.weak_spec, &err) < 0)
			return aud_cli_report(tool.name, &err);
		a.o.weak = &a.weak;
	}
	if (a.model_out != NULL && strcmp(a.model_out, "-") == 0 &&
	    (a.out.path == NULL || strcmp(a.out.path, "-") == 0))
		return aud_cli_usage_error(tool.name, "--model-out - needs -o FILE: "
		    "the CSV and the model cannot share standard output");
	{
		const struct aud_cli_file outs[] = {
			{ "--model-out", a.model_out }, { "-o", a.out.path }
		};

		status = aud_cli_check_files(tool.name, outs, 2, NULL, 0);
		if (status != AUD_EXIT_OK)
			return status;
	}
	if (aud_synth_validate(&a.o, &err) < 0 || synthesize(&a, &err) < 0)
		return aud_cli_report(tool.name, &err);
	return AUD_EXIT_OK;
}
