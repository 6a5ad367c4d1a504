/*
 * audit-synth — write a synthetic dataset with a known, planted bias (SPEC 6).
 * The generator is libaudit's synth module; this file only parses options.
 */
#include <audit/cli.h>
#include <audit/error.h>
#include <audit/synth.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *prog = "audit-synth";

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: audit-synth [-hq] [--scenario NAME] [--rows N] [--seed S]\n"
	    "                   [--label-bias B] [--proxy-strength P]\n"
	    "                   [--model-out FILE.pmml] [-o FILE]\n"
	    "\n"
	    "Write a CSV of synthetic loan applicants with a planted, tunable bias\n"
	    "(columns: id, age, income, debt_ratio, credit_years, employment_years,\n"
	    "loan_amount, num_accounts, late_payments, region, sex, group, label,\n"
	    "score, pred). The generative process is documented in datasets/README.md.\n"
	    "\n"
	    "  --scenario NAME       the dataset to generate: credit (default credit)\n"
	    "  --rows N              data rows, 0 to %lld (default 5000)\n"
	    "  --seed S              random seed, a whole number >= 0 (default 42)\n"
	    "  --label-bias B        historical label bias against group C: its log-odds\n"
	    "                        of a recorded repayment are lowered by B,\n"
	    "                        0 to %g (default 1.5)\n"
	    "  --proxy-strength P    how strongly region reveals group, 0 (independent)\n"
	    "                        to 1 (region determines group) (default 0.8)\n"
	    "  --model-out FILE      also write the planted model as PMML 4.4 (- for\n"
	    "                        standard output, with -o FILE)\n"
	    "  -o, --output FILE     write the CSV to FILE atomically (default stdout)\n"
	    "  -q, --quiet           no progress bar\n"
	    "  -h, --help            print this help and exit\n"
	    "      --version         print the version and exit\n"
	    "\n"
	    "Exit status: 0 ok, 2 usage error, 5 output cannot be written, 6 internal error.\n",
	    (long long)AUD_SYNTH_MAX_ROWS, AUD_SYNTH_MAX_LABEL_BIAS);
}

enum {
	OPT_SCENARIO = 256, OPT_ROWS, OPT_SEED, OPT_LABEL_BIAS, OPT_PROXY,
	OPT_MODEL_OUT, OPT_VERSION
};

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "label-bias", required_argument, NULL, OPT_LABEL_BIAS },
	{ "model-out", required_argument, NULL, OPT_MODEL_OUT },
	{ "output", required_argument, NULL, 'o' },
	{ "proxy-strength", required_argument, NULL, OPT_PROXY },
	{ "quiet", no_argument, NULL, 'q' },
	{ "rows", required_argument, NULL, OPT_ROWS },
	{ "scenario", required_argument, NULL, OPT_SCENARIO },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

/* Flush an output's stream and check it for write errors (NULL: nothing to do). */
static int
flush_output(struct aud_output *o, const char *path, struct aud_error *err)
{
	FILE *f;

	if (o == NULL)
		return 0;
	f = aud_output_stream(o);
	if (fflush(f) == EOF || ferror(f)) {
		int e = errno;

		if (path == NULL || strcmp(path, "-") == 0)
			return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, e,
			    "cannot write standard output: %s", strerror(e));
		return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, e, "cannot write '%s': %s",
		    path, strerror(e));
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct aud_synth_options opts = AUD_SYNTH_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_output *out = NULL, *model = NULL;
	struct aud_cli_progress bar = AUD_CLI_PROGRESS_INIT;
	const char *out_path = NULL, *model_path = NULL;
	long rows;
	int quiet = 0, c, rc = 0, status = AUD_EXIT_OK;
	long max_rows = AUD_SYNTH_MAX_ROWS < LONG_MAX ? (long)AUD_SYNTH_MAX_ROWS : LONG_MAX;

	aud_init();
	if (aud_cli_init(&err) < 0)
		return aud_cli_report(prog, &err);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":ho:q", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			goto done;
		case 'o':
			out_path = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case OPT_SCENARIO:
			opts.scenario = optarg;
			break;
		case OPT_ROWS:
			rc = aud_parse_long(&rows, optarg, 0, max_rows, "--rows", &err);
			if (rc == 0)
				opts.rows = (uint64_t)rows;
			break;
		case OPT_SEED:
			rc = aud_parse_seed(&opts.seed, optarg, &err);
			break;
		case OPT_LABEL_BIAS:
			rc = aud_parse_double(&opts.label_bias, optarg, 0.0,
			    AUD_SYNTH_MAX_LABEL_BIAS, "--label-bias", &err);
			break;
		case OPT_PROXY:
			rc = aud_parse_double(&opts.proxy_strength, optarg, 0.0, 1.0,
			    "--proxy-strength", &err);
			break;
		case OPT_MODEL_OUT:
			model_path = optarg;
			break;
		case OPT_VERSION:
			aud_cli_version(prog);
			goto done;
		case ':':
			status = aud_cli_usage_error(prog, "option '%s' needs an argument",
			    argv[optind - 1]);
			goto done;
		default:
			if (optopt != 0)
				status = aud_cli_usage_error(prog, "unknown option '-%c'", optopt);
			else
				status = aud_cli_usage_error(prog, "unknown option '%s'",
				    argv[optind - 1]);
			goto done;
		}
		if (rc < 0) {
			status = aud_cli_usage_error(prog, "%s", err.msg);
			goto done;
		}
	}
	if (optind < argc) {
		status = aud_cli_usage_error(prog, "unexpected argument '%s'", argv[optind]);
		goto done;
	}
	if (model_path != NULL && strcmp(model_path, "-") == 0 &&
	    (out_path == NULL || strcmp(out_path, "-") == 0)) {
		status = aud_cli_usage_error(prog,
		    "--model-out - needs -o FILE: the CSV and the model cannot share standard output");
		goto done;
	}
	{
		const struct aud_cli_file outs[] = {
			{ "--model-out", model_path }, { "-o", out_path }
		};

		status = aud_cli_check_files(prog, outs, 2, NULL, 0);
		if (status != AUD_EXIT_OK)
			goto done;
	}
	rc = aud_synth_validate(&opts, &err);
	if (rc < 0) {
		status = aud_cli_usage_error(prog, "%s", err.msg);
		goto done;
	}

	/* Both outputs are written to temporary files and renamed only when both succeeded. */
	if (model_path != NULL) {
		rc = aud_output_open(&model, model_path, &err);
		if (rc < 0)
			goto fail;
		rc = aud_synth_write_pmml(aud_output_stream(model), &opts, &err);
		if (rc < 0)
			goto fail;
	}
	rc = aud_output_open(&out, out_path, &err);
	if (rc < 0)
		goto fail;
	aud_cli_progress_init(&bar, aud_stderr_is_tty() && !quiet);
	opts.progress.fn = aud_cli_progress;
	opts.progress.payload = &bar;
	rc = aud_synth_write_csv(aud_output_stream(out), &opts, &err);
	if (rc < 0)
		goto fail;
	aud_cli_progress_end(&bar);
	/*
	 * Flush both before renaming either, so that a write error (a full
	 * disk) leaves neither file; then the model, then the CSV, and should
	 * the CSV's rename still fail, the model goes too.
	 */
	rc = flush_output(model, model_path, &err);
	if (rc == 0)
		rc = flush_output(out, out_path, &err);
	if (rc < 0)
		goto fail;
	if (model != NULL) {
		rc = aud_output_commit(model, &err);
		if (rc < 0)
			goto fail;
	}
	rc = aud_output_commit(out, &err);
	if (rc < 0) {
		if (model_path != NULL && strcmp(model_path, "-") != 0)
			unlink(model_path);
		goto fail;
	}
	goto done;
fail:
	aud_cli_progress_end(&bar);
	status = aud_cli_report(prog, &err);
done:
	aud_output_free(out);
	aud_output_free(model);
	return status;
}
