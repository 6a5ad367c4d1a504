/*
 * audit-explain — feature attributions of a model's score:
 * interventional Shapley values (exact, kernel, tree, linear), permutation
 * importance and partial dependence, with per-group summaries and a proxy
 * table. The work is in libaudit (explain.h); this file parses options.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <audit/bins.h>
#include <audit/cli.h>
#include <audit/clicheck.h>
#include <audit/csv.h>
#include <audit/csvopt.h>
#include <audit/error.h>
#include <audit/explain.h>
#include <audit/json.h>
#include <audit/model.h>

/* from OpenBLAS (its cblas.h is not on the default include path) */
void openblas_set_num_threads(int num_threads);

static const char *prog = "audit-explain";

static const char usage_text[] =
    "usage: audit-explain (-m MODEL.pmml | --model-cmd CMD) [--background FILE]\n"
    "           [--background-size K] [--method kernel|tree|exact|linear|permutation|pdp]\n"
    "           [--nsamples N] [--features COLS] [--model-columns COLS]\n"
    "           [--rows RANGE | --rows-sample N]\n"
    "           [--label COL] [--positive VALUE] [--protected COLS]\n"
    "           [--bins COL=E1,E2,...]... [--output score|margin]\n"
    "           [--link identity|logit] [--rows-out FILE.csv] [--repeats R]\n"
    "           [--metric accuracy|auc|log_loss] [--threshold T] [--grid N] [--local N]\n"
    "           [--threads N] [--batch-size N] [--seed S] [-d CHAR] [--na LIST]\n"
    "           [--model-timeout SECONDS]\n"
    "           [--no-header] [--names COLS] [--no-trim] [--encoding utf-8|latin1|cp1252]\n"
    "           [--check EXPR]... [--policy FILE] [--allow-undefined] [--junit FILE]\n"
    "           [--skip-lines N] [--format json|table|csv|md] [-o FILE] [-q] [FILE]\n"
    "\n"
    "Explain a model's score on the rows of FILE (standard input when absent or '-').\n"
    "  -m, --model FILE         PMML model\n"
    "      --model-cmd CMD      a command that scores CSV rows on stdin, one per line out\n"
    "      --model-timeout SECONDS  kill the command when one invocation takes\n"
    "                           longer (default 600; 0: no limit)\n"
    "      --background FILE    background rows of the interventional Shapley values\n"
    "      --background-size K  rows of background kept (100); more are sampled (seeded)\n"
    "      --method M           kernel (default), exact, tree, linear, permutation, pdp\n"
    "      --nsamples N         kernel: coalitions per row (default 2M+2048, at most 2^M-2)\n"
    "      --features COLS      pdp: the features to draw (default: every model feature)\n"
    "      --model-columns COLS --model-cmd: the columns the command receives\n"
    "                           (default: every input column)\n"
    "      --rows RANGE         data rows to explain, 0-based: N (first N), A:B, A:, :B\n"
    "      --rows-sample N      explain a seeded sample of N rows, stratified by the\n"
    "                           protected groups: each combination of groups gets a\n"
    "                           share in proportion to its size and at least one row\n"
    "      --protected COLS     per-group summaries; the proxy table (over every row)\n"
    "      --label COL          permutation: the true label\n"
    "      --positive VALUE     the positive class / label value (1)\n"
        "      --bins COL=E1,E2,... group a numeric protected column by these edges\n"
    "                           (COL=<=E1,<=E2,... for right-closed bins)\n"
    "      --output W           score (default) or margin (before the model's link)\n"
    "      --link L             identity (default) or logit, applied to the expected score\n"
    "      --rows-out FILE.csv  per-row values (row,base_value,score,<feature>...)\n"
    "      --repeats R          permutation: shuffles per feature (5)\n"
    "      --metric M           permutation: ranking metric, accuracy, auc (default), log_loss\n"
    "      --threshold T        permutation: score threshold of accuracy (0.5)\n"
    "      --grid N             pdp: grid points of a numeric feature (20)\n"
    "      --local N            local explanations (5) / ICE curves (50) in the JSON\n"
    "      --threads N          worker threads, 1 to " AUD_STRINGIFY(AUD_MAX_THREADS) "\n"
    "                           (default: the number of processors)\n"
    "      --batch-size N       rows per model call (65536; commands: per invocation)\n"
    "      --seed S             random seed (42)\n"
    "The CSV options below apply to FILE and to --background FILE alike.\n";

/* the rest of the help (one string would pass the 4095 bytes C99 promises) */
static const char usage_text2[] =
    "  -d, --delimiter CHAR     CSV separator ('\\t' for a tab; default: detected from\n"
    "                           the first line among , ; tab | and else a single space)\n"
    "      --na LIST            comma-separated missing-value tokens (default: pandas'\n"
    "                           list plus ?: empty,#N/A,#N/A N/A,#NA,-1.#IND,-1.#QNAN,\n"
    "                           -NaN,-nan,1.#IND,1.#QNAN,<NA>,N/A,NA,NULL,NaN,None,n/a,\n"
    "                           nan,null,?)\n"
    "      --no-header          the first line is data; columns are named 1, 2, ...\n"
    "      --names COLS         comma-separated column names (replace the header's)\n"
    "      --no-trim            keep the spaces after separators (by default dropped\n"
    "                           when every separator of line 1 is followed by a space)\n"
    "      --encoding E         utf-8 (default, checked), latin1 or cp1252 (read as UTF-8)\n"
    "      --skip-lines N       skip N lines before the header (or the first row)\n"
    "      --check EXPR         a check on the results, e.g. 'sex: protected.share < 0.05'\n"
    "                           (exit 1 when it fails; the paths are in the manual page)\n"
    "      --policy FILE        a JSON array of check expressions\n"
    "      --allow-undefined    report a check on an undefined value without failing\n"
    "      --junit FILE         also write the checks as JUnit XML (with -o: both or neither)\n"
    "      --format F           json, table, csv or md (default: table at a terminal)\n"
    "  -o, --output-file FILE   write the result to FILE (atomically)\n"
    "  -q, --quiet              no warnings, no progress bar\n"
    "  -h, --help               this help\n"
    "      --version            the version\n";

enum {
	OPT_MODEL_CMD = 256, OPT_BACKGROUND, OPT_BACKGROUND_SIZE, OPT_METHOD, OPT_NSAMPLES,
	OPT_FEATURES, OPT_ROWS, OPT_LABEL, OPT_POSITIVE, OPT_PROTECTED, OPT_OUTPUT, OPT_LINK,
	OPT_ROWS_OUT, OPT_REPEATS, OPT_METRIC, OPT_THRESHOLD, OPT_GRID, OPT_LOCAL,
	OPT_THREADS, OPT_BATCH_SIZE, OPT_SEED, OPT_FORMAT, OPT_VERSION, OPT_BINS,
	OPT_MODEL_COLUMNS, OPT_MODEL_TIMEOUT, OPT_ROWS_SAMPLE
};

static const struct option longopts[] = {
	{ "background", required_argument, NULL, OPT_BACKGROUND },
	{ "background-size", required_argument, NULL, OPT_BACKGROUND_SIZE },
	{ "batch-size", required_argument, NULL, OPT_BATCH_SIZE },
	{ "bins", required_argument, NULL, OPT_BINS },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "encoding", required_argument, NULL, AUD_CSVOPT_ENCODING },
	{ "features", required_argument, NULL, OPT_FEATURES },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "grid", required_argument, NULL, OPT_GRID },
	{ "help", no_argument, NULL, 'h' },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "link", required_argument, NULL, OPT_LINK },
	{ "local", required_argument, NULL, OPT_LOCAL },
	{ "method", required_argument, NULL, OPT_METHOD },
	{ "metric", required_argument, NULL, OPT_METRIC },
	{ "model", required_argument, NULL, 'm' },
	{ "model-cmd", required_argument, NULL, OPT_MODEL_CMD },
	{ "model-columns", required_argument, NULL, OPT_MODEL_COLUMNS },
	{ "model-timeout", required_argument, NULL, OPT_MODEL_TIMEOUT },
	{ "na", required_argument, NULL, AUD_CSVOPT_NA },
	{ "names", required_argument, NULL, AUD_CSVOPT_NAMES },
	{ "no-header", no_argument, NULL, AUD_CSVOPT_NO_HEADER },
	{ "no-trim", no_argument, NULL, AUD_CSVOPT_NO_TRIM },
	{ "nsamples", required_argument, NULL, OPT_NSAMPLES },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "output-file", required_argument, NULL, 'o' },
	{ "positive", required_argument, NULL, OPT_POSITIVE },
	{ "protected", required_argument, NULL, OPT_PROTECTED },
	{ "quiet", no_argument, NULL, 'q' },
	{ "repeats", required_argument, NULL, OPT_REPEATS },
	{ "rows", required_argument, NULL, OPT_ROWS },
	{ "rows-out", required_argument, NULL, OPT_ROWS_OUT },
	{ "rows-sample", required_argument, NULL, OPT_ROWS_SAMPLE },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "skip-lines", required_argument, NULL, AUD_CSVOPT_SKIP_LINES },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "version", no_argument, NULL, OPT_VERSION },
	AUD_CLICHECK_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

/* Split "a,b,c" into a NULL-terminated list (in place). @return count, or -1 */
static long
split_list(char *s, const char ***out)
{
	const char **v;
	size_t n = 1, i = 0;
	char *p;

	for (p = s; *p != '\0'; p++)
		n += *p == ',';
	v = calloc(n + 1, sizeof(*v));
	if (v == NULL)
		return -1;
	for (p = strtok(s, ","); p != NULL; p = strtok(NULL, ","))
		v[i++] = p;
	*out = v;
	return (long)i;
}

/* "N", "A:B", "A:", ":B" (0-based, B exclusive). */
static int
parse_rows(const char *s, uint64_t *first, uint64_t *end, struct aud_error *err)
{
	const char *colon = strchr(s, ':');
	char buf[64];
	long a = 0, b = 0;
	int rc;

	if (colon == NULL) {
		rc = aud_parse_long(&b, s, 1, LONG_MAX, "--rows", err);
		*first = 0;
		*end = (uint64_t)b;
		return rc;
	}
	if ((size_t)(colon - s) >= sizeof(buf))
		return AUD_ERROR(err, AUD_EINVAL, "--rows: bad range '%s'", s);
	memcpy(buf, s, (size_t)(colon - s));
	buf[colon - s] = '\0';
	if (buf[0] != '\0') {
		rc = aud_parse_long(&a, buf, 0, LONG_MAX, "--rows", err);
		if (rc < 0)
			return rc;
	}
	if (colon[1] != '\0') {
		rc = aud_parse_long(&b, colon + 1, 1, LONG_MAX, "--rows", err);
		if (rc < 0)
			return rc;
		if (b <= a)
			return AUD_ERROR(err, AUD_EINVAL, "--rows: empty range '%s'", s);
	}
	*first = (uint64_t)a;
	*end = (uint64_t)b;
	return 0;
}

int
main(int argc, char **argv)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_explain_options eo = AUD_EXPLAIN_OPTIONS_INIT;
	struct aud_csv_options co = AUD_CSV_OPTIONS_INIT;
	struct aud_csvopt_notice_ctx notice = { "audit-explain", 0 };
	struct aud_model_open_options mo = AUD_MODEL_OPEN_OPTIONS_INIT;
	struct aud_model *model = NULL;
	struct aud_explain *ex = NULL;
	struct aud_output *out = NULL, *rows_out = NULL;
	struct aud_cli_checks chk = AUD_CLI_CHECKS_INIT;
	const char *model_path = NULL, *model_cmd = NULL, *out_path = NULL;
	const char *rows_out_path = NULL, *input = NULL, *format_arg = NULL;
	const char **features = NULL, **protected_cols = NULL, **model_columns = NULL;
	struct aud_bins **bins = NULL;
	size_t nbins = 0, k;
	enum aud_format fmt;
	cJSON *doc = NULL;
	time_t created;
	long v, ncpu;
	double d;
	int ch, quiet = 0, status = AUD_EXIT_OK, rc = 0, i, rows_given = 0;

	aud_init();
	if (aud_cli_init(&err) < 0)
		return aud_cli_report(prog, &err);
	/*
	 * The work is split over rows by our own threads; OpenBLAS's worker
	 * threads would only spin in sched_yield beside them (LAPACKE's least
	 * squares are small), taking CPU from the row threads.
	 */
	openblas_set_num_threads(1);
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	eo.threads = ncpu > 1 ? (size_t)(ncpu < AUD_MAX_THREADS ? ncpu : AUD_MAX_THREADS) : 1;
	eo.csv = &co;
	opterr = 0;
	aud_explain_check_resolver(&chk.resolver);
	while ((ch = getopt_long(argc, argv, ":d:hm:o:q", longopts, NULL)) != -1) {
		switch (ch) {
		case AUD_CLICHECK_CHECK:
		case AUD_CLICHECK_POLICY:
		case AUD_CLICHECK_ALLOW_UNDEFINED:
		case AUD_CLICHECK_JUNIT:
			status = aud_cli_checks_option(&chk, prog, ch, optarg);
			if (status != AUD_EXIT_OK)
				goto done;
			break;
		case 'd':
		case AUD_CSVOPT_NA:
		case AUD_CSVOPT_NO_HEADER:
		case AUD_CSVOPT_NAMES:
		case AUD_CSVOPT_NO_TRIM:
		case AUD_CSVOPT_ENCODING:
		case AUD_CSVOPT_SKIP_LINES:
			if (aud_csvopt_set(&co, ch, optarg, &err) < 0) {
				status = aud_cli_usage_error(prog, "%s", err.msg);
				goto done;
			}
			break;
		case 'h':
			fputs(usage_text, stdout);
			fputs(usage_text2, stdout);
			goto flush;
		case 'm':
			model_path = optarg;
			eo.model_path = optarg;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case OPT_MODEL_CMD:
			model_cmd = optarg;
			eo.model_cmd = optarg;
			break;
		case OPT_BACKGROUND:
			eo.background = optarg;
			break;
		case OPT_BACKGROUND_SIZE:
			rc = aud_parse_long(&v, optarg, 1, 100000, "--background-size", &err);
			eo.background_size = (size_t)v;
			break;
		case OPT_METHOD:
			rc = aud_explain_method_parse(&eo.method, optarg, &err);
			break;
		case OPT_NSAMPLES:
			rc = aud_parse_long(&v, optarg, 1, 1L << 30, "--nsamples", &err);
			eo.nsamples = (size_t)v;
			break;
		case OPT_BINS: {
			struct aud_bins **nb = realloc(bins, (nbins + 1) * sizeof(*nb));

			if (nb == NULL) {
				status = AUD_EXIT_INTERNAL;
				goto done;
			}
			bins = nb;
			rc = aud_bins_parse(&bins[nbins], optarg, "--bins", &err);
			if (rc == 0) {
				for (k = 0; k < nbins; k++)
					if (strcmp(bins[k]->column, bins[nbins]->column) == 0)
						rc = AUD_ERROR(&err, AUD_EINVAL, "--bins given twice for '%s'",
						    bins[k]->column);
				nbins++;
			}
			eo.bins = (const struct aud_bins *const *)bins;
			eo.nbins = nbins;
			break;
		}
		case OPT_FEATURES:
		case OPT_MODEL_COLUMNS:
		case OPT_PROTECTED: {
			const char **list = NULL;
			long n = split_list(optarg, &list);

			if (n <= 0) {
				free(list);
				status = aud_cli_usage_error(prog, "%s: give a comma-separated list of columns",
				    ch == OPT_FEATURES ? "--features" :
				    ch == OPT_MODEL_COLUMNS ? "--model-columns" : "--protected");
				goto done;
			}
			if (ch == OPT_MODEL_COLUMNS) {
				free(model_columns);
				model_columns = list;
				eo.model_columns = list;
				eo.nmodel_columns = (size_t)n;
			} else if (ch == OPT_FEATURES) {
				free(features);
				features = list;
				eo.features = list;
				eo.nfeatures = (size_t)n;
			} else {
				free(protected_cols);
				protected_cols = list;
				eo.protected_cols = list;
				eo.nprotected = (size_t)n;
			}
			break;
		}
		case OPT_ROWS:
			rc = parse_rows(optarg, &eo.row_first, &eo.row_end, &err);
			rows_given = 1;
			break;
		case OPT_ROWS_SAMPLE:
			rc = aud_parse_long(&v, optarg, 1, LONG_MAX, "--rows-sample", &err);
			eo.rows_sample = (size_t)v;
			break;
		case OPT_LABEL:
			eo.label = optarg;
			break;
		case OPT_POSITIVE:
			eo.positive = optarg;
			mo.positive = optarg;
			break;
		case OPT_OUTPUT:
			if (strcmp(optarg, "score") == 0)
				eo.output = AUD_OUTPUT_SCORE;
			else if (strcmp(optarg, "margin") == 0)
				eo.output = AUD_OUTPUT_MARGIN;
			else
				rc = AUD_ERROR(&err, AUD_EINVAL, "--output: 'score' or 'margin', not '%s'",
				    optarg);
			break;
		case OPT_LINK:
			if (strcmp(optarg, "identity") == 0)
				eo.link = AUD_LINK_IDENTITY;
			else if (strcmp(optarg, "logit") == 0)
				eo.link = AUD_LINK_LOGIT;
			else
				rc = AUD_ERROR(&err, AUD_EINVAL, "--link: 'identity' or 'logit', not '%s'",
				    optarg);
			break;
		case OPT_ROWS_OUT:
			rows_out_path = optarg;
			break;
		case OPT_REPEATS:
			rc = aud_parse_long(&v, optarg, 1, 100000, "--repeats", &err);
			eo.repeats = (size_t)v;
			break;
		case OPT_METRIC:
			rc = aud_metric_parse(&eo.metric, optarg, &err);
			break;
		case OPT_THRESHOLD:
			rc = aud_parse_double(&d, optarg, 0.0, 1.0, "--threshold", &err);
			eo.threshold = d;
			break;
		case OPT_MODEL_TIMEOUT:
			rc = aud_parse_double(&mo.timeout, optarg, 0, 1e9, "--model-timeout", &err);
			break;
		case OPT_GRID:
			rc = aud_parse_long(&v, optarg, 2, 10000, "--grid", &err);
			eo.grid = (size_t)v;
			break;
		case OPT_LOCAL:
			rc = aud_parse_long(&v, optarg, 1, 1000000, "--local", &err);
			eo.nlocal = (size_t)v;
			break;
		case OPT_THREADS:
			rc = aud_parse_long(&v, optarg, 1, AUD_MAX_THREADS, "--threads", &err);
			eo.threads = (size_t)v;
			break;
		case OPT_BATCH_SIZE:
			rc = aud_parse_long(&v, optarg, 1, 1L << 26, "--batch-size", &err);
			eo.batch_rows = (size_t)v;
			mo.batch_size = (size_t)v;
			break;
		case OPT_SEED:
			rc = aud_parse_seed(&eo.seed, optarg, &err);
			break;
		case OPT_FORMAT:
			format_arg = optarg;
			break;
		case OPT_VERSION:
			aud_cli_version(prog);
			goto flush;
		case ':':
			status = aud_cli_usage_error(prog, "option '%s' needs an argument",
			    argv[optind - 1]);
			goto done;
		default:
			if (optopt != 0)
				status = aud_cli_usage_error(prog, "unknown option '-%c'", optopt);
			else
				status = aud_cli_usage_error(prog, "unknown option '%s'", argv[optind - 1]);
			goto done;
		}
		if (rc < 0) {
			status = aud_cli_usage_error(prog, "%s", err.msg);
			goto done;
		}
	}
	if (optind + 1 < argc) {
		status = aud_cli_usage_error(prog, "one input file at most, not %d", argc - optind);
		goto done;
	}
	input = optind < argc ? argv[optind] : NULL;
	if (eo.background != NULL && strcmp(eo.background, "-") == 0 &&
	    (input == NULL || strcmp(input, "-") == 0)) {
		status = aud_cli_usage_error(prog, "--background -: standard input cannot be both "
		    "the data and the background; give one of them as a file");
		goto done;
	}
	notice.quiet = quiet;
	co.notice = aud_csvopt_notice;
	co.notice_payload = &notice;
	if ((model_path == NULL) == (model_cmd == NULL)) {
		status = aud_cli_usage_error(prog, "give a model: -m FILE.pmml or --model-cmd CMD");
		goto done;
	}
	if (rows_given && eo.rows_sample > 0) {
		status = aud_cli_usage_error(prog, "give --rows or --rows-sample, not both");
		goto done;
	}
	if (model_path != NULL && model_columns != NULL) {
		status = aud_cli_usage_error(prog, "--model-columns is for --model-cmd "
		    "(a PMML model reads its own input fields)");
		goto done;
	}
	if (features != NULL && eo.method != AUD_EXPLAIN_PDP) {
		status = aud_cli_usage_error(prog, "--features chooses the curves of --method pdp; "
		    "the columns a command receives are --model-columns");
		goto done;
	}
	for (k = 0; k < nbins; k++) {
		long p;

		for (p = 0; protected_cols != NULL && protected_cols[p] != NULL; p++)
			if (strcmp(protected_cols[p], bins[k]->column) == 0)
				break;
		if (protected_cols == NULL || protected_cols[p] == NULL) {
			status = aud_cli_usage_error(prog, "--bins names '%s', which is not a protected "
			    "column", bins[k]->column);
			goto done;
		}
	}
	if (eo.method <= AUD_EXPLAIN_TREE && eo.background == NULL) {
		status = aud_cli_usage_error(prog, "--method %s needs --background FILE",
		    aud_explain_method_name(eo.method));
		goto done;
	}
	if (eo.method == AUD_EXPLAIN_PERMUTATION && eo.label == NULL) {
		status = aud_cli_usage_error(prog, "--method permutation needs --label COL");
		goto done;
	}
	if (eo.method == AUD_EXPLAIN_PERMUTATION && rows_out_path != NULL) {
		status = aud_cli_usage_error(prog, "--rows-out: permutation importance has no per-row values");
		goto done;
	}
	{
		const struct aud_cli_file outs[] = { { "--rows-out", rows_out_path }, { "-o", out_path } };
		const struct aud_cli_file ins[] = {
			{ "the input", input }, { "-m", model_path }, { "--background", eo.background }
		};

		status = aud_cli_check_files(prog, outs, 2, ins, 3);
		if (status == AUD_EXIT_OK)
			status = aud_cli_checks_prepare(&chk, prog, out_path, input);
		if (status != AUD_EXIT_OK)
			goto done;
	}
	fmt = aud_default_format(out_path);
	if (format_arg != NULL && aud_parse_format(&fmt, format_arg, &err) < 0) {
		status = aud_cli_usage_error(prog, "%s", err.msg);
		goto done;
	}
	rc = aud_cli_time(&created, getenv("SOURCE_DATE_EPOCH"), &err);
	if (rc < 0)
		goto fail;
	if (model_path != NULL) {
		rc = aud_model_open(&model, model_path, NULL, &mo, &err);
		if (rc < 0)
			goto fail;
	}
	eo.show_progress = !quiet && aud_stderr_is_tty();
	rc = aud_explain_new(&ex, &eo, &err);
	if (rc == 0)
		rc = aud_explain_read(ex, input, model, &err);
	if (rc < 0)
		goto fail;
	if (model == NULL) {
		aud_explain_columns(ex, &mo.columns, &mo.kinds, &mo.ncolumns);
		mo.on_child = aud_cli_model_child;
		rc = aud_model_open(&model, NULL, model_cmd, &mo, &err);
		if (rc < 0)
			goto fail;
	}
	/*
	 * The kernel method's least squares run in OpenBLAS, which retries a
	 * failed allocation of its work buffer (128 MiB per thread, beside a
	 * 64 MiB malloc arena and a stack) forever:
	 * under an address-space limit (ulimit -v), check for room first.
	 */
	if (eo.method == AUD_EXPLAIN_KERNEL)
		rc = aud_cli_check_address_space(eo.threads * ((size_t)224 << 20),
		    "the kernel method (224 MiB per thread)", &err);
	if (rc < 0)
		goto fail;
	rc = aud_explain_run(ex, model, &err);
	if (rc < 0)
		goto fail;
	/* both outputs are committed together: neither is left when the other fails */
	if (rows_out_path != NULL) {
		rc = aud_output_open(&rows_out, rows_out_path, &err);
		if (rc == 0)
			rc = aud_explain_write_rows(ex, aud_output_stream(rows_out), &err);
		if (rc < 0)
			goto fail;
	}
	rc = aud_output_open(&out, out_path, &err);
	if (rc < 0)
		goto fail;
	rc = aud_explain_json(&doc, ex, created, &err);
	if (rc == 0) /* its warnings are printed with the others, below */
		status = aud_cli_checks_run(&chk, prog, 1, doc);
	if (status != AUD_EXIT_OK)
		goto done;
	if (rc == 0 && fmt == AUD_FORMAT_JSON)
		rc = aud_json_write(doc, aud_output_stream(out), &err);
	else if (rc == 0)
		rc = aud_explain_write_table(ex, aud_output_stream(out), fmt, &err);
	if (rc < 0)
		goto fail;
	{
		struct aud_output *const both[] = { rows_out, out };

		status = aud_cli_checks_commit(&chk, prog, doc, both, 2);
		if (status != AUD_EXIT_OK && status != AUD_EXIT_CHECK)
			goto done;
	}
	if (doc != NULL && !quiet) {
		cJSON *w = aud_envelope_warnings(doc);

		for (i = 0; i < cJSON_GetArraySize(w); i++)
			aud_cli_warn(prog, quiet, "%s", cJSON_GetArrayItem(w, i)->valuestring);
	}
	goto flush;
fail:
	status = aud_cli_report(prog, &err);
	goto done;
flush:
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "%s: cannot write to standard output\n", prog);
		status = AUD_EXIT_OUTPUT;
	}
done:
	aud_cli_checks_release(&chk);
	cJSON_Delete(doc);
	aud_output_free(out);
	aud_output_free(rows_out);
	aud_explain_free(ex);
	aud_model_free(model);
	free(features);
	free(model_columns);
	free(protected_cols);
	for (k = 0; k < nbins; k++)
		aud_bins_free(bins[k]);
	free(bins);
	return status;
}
