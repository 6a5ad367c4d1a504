/*
 * audit-predict — score a CSV with a model: copy every input row and append
 * the score and the decision (SPEC 8), or with --all-outputs the model's full
 * result (the target's predicted value and every final-result OutputField).
 * Streams: memory does not grow with the number of rows.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <audit/batch.h>
#include <audit/cli.h>
#include <audit/csv.h>
#include <audit/csvopt.h>
#include <audit/error.h>
#include <audit/model.h>
#include <audit/pmml.h>

static const char *prog = "audit-predict";

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: audit-predict (-m MODEL.pmml | --model-cmd CMD [--model-columns COLS])\n"
	    "                     [--all-outputs] [--score-col NAME] [--pred-col NAME] [--threshold T]\n"
	    "                     [--positive VALUE] [--na LIST] [-d SEP] [--no-header]\n"
	    "                     [--names COLS] [--no-trim] [--encoding utf-8|latin1|cp1252]\n"
	    "                     [--skip-lines N] [--batch-size N] [--model-timeout SECONDS]\n"
	    "                     [-q] [-o FILE] [FILE]\n"
	    "\n"
	    "Copy every row of FILE (standard input when absent or '-') and append the\n"
	    "model's score and decision.\n"
	    "\n"
	    "  -m, --model FILE      a PMML model\n"
	    "      --model-cmd CMD   a model served by a command: it reads the rows as CSV\n"
	    "                        on stdin and prints one score per row\n"
	    "      --model-columns COLS  the columns sent to the command (default: all);\n"
	    "                        --features COLS is the same option\n"
	    "      --model-timeout SECONDS\n"
	    "                        kill the command when one batch takes longer\n"
	    "                        (default 600; 0: no limit)\n"
	    "      --all-outputs     append the model's result fields instead (PMML only)\n"
	    "      --score-col NAME  name of the score column (default score)\n"
	    "      --pred-col NAME   name of the decision column (default pred)\n"
	    "      --threshold T     a row is predicted positive when score >= T (default 0.5)\n"
	    "      --positive VALUE  class whose probability is the score (default 1, else\n"
	    "                        the last target category)\n"
	    "      --na LIST         comma-separated missing-value tokens (default: pandas'\n"
	    "                        list plus ?: empty,#N/A,#N/A N/A,#NA,-1.#IND,-1.#QNAN,\n"
	    "                        -NaN,-nan,1.#IND,1.#QNAN,<NA>,N/A,NA,NULL,NaN,None,n/a,\n"
	    "                        nan,null,?)\n");
	fprintf(f,
	    "  -d, --delimiter SEP   input separator ('\\t' for a tab; default: detected from\n"
	    "                        the first line among , ; tab | and else a single space)\n"
	    "      --no-header       the first line is data; columns are named 1, 2, ...\n"
	    "      --names COLS      comma-separated column names (replace the header's; the\n"
	    "                        output's header line has these names)\n"
	    "      --no-trim         keep the spaces after separators (by default dropped when\n"
	    "                        every separator of the first line is followed by a space)\n"
	    "      --encoding E      utf-8 (default, checked), latin1 or cp1252 (read as UTF-8)\n"
	    "      --skip-lines N    skip N lines before the header (or the first row)\n"
	    "      --batch-size N    rows per model call (default 100000)\n"
	    "  -q, --quiet           no progress bar, no warnings\n"
	    "  -o, --output FILE     write to FILE atomically (default standard output)\n"
	    "  -h, --help            this help\n"
	    "      --version         the version\n");
}

enum { OPT_MODEL_CMD = 256, OPT_ALL, OPT_SCORE_COL, OPT_PRED_COL, OPT_THRESHOLD,
	OPT_POSITIVE, OPT_BATCH, OPT_VERSION, OPT_FEATURES, OPT_MODEL_COLUMNS, OPT_MODEL_TIMEOUT };

struct opts {
	const char *model, *model_cmd, *features, *score_col, *pred_col, *positive, *out, *in;
	const char *features_opt;   /* the name it was given by: --model-columns or --features */
	double threshold;
	double timeout;
	long batch;
	int all, quiet;
	struct aud_csv_options csv;
	struct aud_csvopt_notice_ctx notice;
};

/*
 * The only model-specific step: open the model (aud_model_open() serves both
 * -m and --model-cmd). Everything after it goes through model.h, and pmml.h
 * for --all-outputs. A command receives the input's columns (or --model-columns),
 * read as text and sent as they stand.
 */
static int
open_model(struct aud_model **m, const struct opts *o, struct aud_csv *csv,
    struct aud_error *err)
{
	struct aud_model_open_options mo = AUD_MODEL_OPEN_OPTIONS_INIT;
	const char **cols = NULL;
	enum aud_col_kind *kinds = NULL;
	char *list = NULL, *p, *tok;
	size_t n = 0, i, cap;
	int rc;

	mo.positive = o->positive;
	mo.batch_size = (size_t)o->batch;
	mo.timeout = o->timeout;
	mo.on_child = aud_cli_model_child;
	if (o->model_cmd == NULL)
		return aud_model_open(m, o->model, NULL, &mo, err);
	cap = aud_csv_ncols(csv) + 1;
	if (o->features != NULL)
		cap += strlen(o->features);
	cols = calloc(cap, sizeof(*cols));
	kinds = calloc(cap, sizeof(*kinds));
	list = o->features != NULL ? strdup(o->features) : NULL;
	if (cols == NULL || kinds == NULL || (o->features != NULL && list == NULL)) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	if (list != NULL) {
		for (p = list; (tok = strsep(&p, ",")) != NULL;) {
			size_t k;
			rc = aud_csv_find(&k, csv, tok, err);
			if (rc < 0)
				goto done;
			cols[n++] = aud_csv_colname(csv, k);
		}
	} else {
		for (i = 0; i < aud_csv_ncols(csv); i++)
			cols[n++] = aud_csv_colname(csv, i);
	}
	for (i = 0; i < n; i++)
		kinds[i] = AUD_COL_CATEGORICAL;
	mo.columns = cols;
	mo.kinds = kinds;
	mo.ncolumns = n;
	rc = aud_model_open(m, NULL, o->model_cmd, &mo, err);
done:
	free(cols);
	free(kinds);
	free(list);
	return rc;
}

static int
write_num(FILE *f, double x, int is_float)
{
	char buf[32];
	int p;

	if (isnan(x))
		return 0;
	if (is_float) {
		/* the shortest text that reads back to the same float32 */
		for (p = 6; p <= 9; p++) {
			snprintf(buf, sizeof(buf), "%.*g", p, x);
			if ((float)strtod(buf, NULL) == (float)x)
				break;
		}
	} else {
		aud_format_double(buf, x);
	}
	return fputs(buf, f) == EOF ? -1 : 0;
}

/*
 * The model names a bad row as "row N: ..." (1-based, over the whole input);
 * say where it is instead: "PATH:LINE: ...".
 */
static void
locate(struct aud_error *err, struct aud_csv *csv, struct aud_batch_reader *br,
    const struct aud_batch *b)
{
	unsigned long long row;
	int used = 0;
	char rest[sizeof(err->msg)];

	if (sscanf(err->msg, "row %llu: %n", &row, &used) != 1 || used == 0 ||
	    row < b->first_row + 1 || row > b->first_row + b->nrows)
		return;
	snprintf(rest, sizeof(rest), "%s", err->msg + used);
	snprintf(err->msg, sizeof(err->msg), "%.200s:%llu: %.280s", aud_csv_path(csv),
	    (unsigned long long)aud_batch_reader_line(br, (size_t)(row - 1 - b->first_row)), rest);
}

static int
run(const struct opts *o, struct aud_error *err)
{
	struct aud_csv_options co = o->csv;
	struct aud_csv *csv = NULL;
	struct aud_model *m = NULL;
	struct aud_batch_reader *br = NULL;
	struct aud_batch *b;
	struct aud_output *out = NULL;
	struct aud_cli_progress bar = AUD_CLI_PROGRESS_INIT;
	struct aud_pmml_value *vals = NULL;
	const char **names = NULL;
	enum aud_col_kind *kinds = NULL;
	double *score = NULL;
	size_t nf, i, r, nout = 0;
	char sep;
	FILE *f;
	int rc;

	co.notice = aud_csvopt_notice;
	co.notice_payload = (void *)&o->notice;
	rc = aud_csv_open(&csv, o->in, &co, err);
	if (rc < 0)
		goto done;
	rc = open_model(&m, o, csv, err);
	if (rc < 0)
		goto done;
	if (o->all && !aud_pmml_is_pmml(m)) {
		rc = AUD_ERROR(err, AUD_EINVAL, "--all-outputs needs a PMML model");
		goto done;
	}
	nf = aud_model_nfeatures(m);
	names = calloc(nf + 1, sizeof(*names));
	kinds = calloc(nf + 1, sizeof(*kinds));
	if (names == NULL || kinds == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < nf; i++) {
		const struct aud_feature *ft = aud_model_feature(m, i);
		names[i] = ft->name;
		/*
		 * A command's columns: numeric or text as the first batch shows,
		 * so numbers are not kept in a dictionary that grows with the rows.
		 */
		kinds[i] = aud_pmml_is_pmml(m) ? ft->kind : AUD_COL_AUTO;
	}
	rc = aud_batch_reader_new(&br, csv, names, kinds, nf, (size_t)o->batch, 1, err);
	if (rc < 0)
		goto done;
	rc = aud_output_open(&out, o->out, err);
	if (rc < 0)
		goto done;
	aud_cli_progress_init(&bar, aud_stderr_is_tty() && !o->quiet);
	f = aud_output_stream(out);
	sep = aud_csv_sep(csv);
	/* header: the input's columns, then ours */
	for (i = 0; i < aud_csv_ncols(csv); i++) {
		const char *cn = aud_csv_colname(csv, i);
		if (i > 0)
			fputc(sep, f);
		aud_csv_write_field(f, cn, strlen(cn), sep);
	}
	if (o->all) {
		nout = aud_pmml_noutputs(m);
		for (i = 0; i < nout; i++) {
			const char *on = aud_pmml_output_name(m, i);
			fputc(sep, f);
			aud_csv_write_field(f, on, strlen(on), sep);
		}
	} else {
		size_t k;

		/* readers would see a repeated name as NAME.1: say so */
		if (aud_csv_find(&k, csv, o->score_col, NULL) == 0 ||
		    (aud_model_task(m) == AUD_TASK_CLASSIFICATION &&
		    aud_csv_find(&k, csv, o->pred_col, NULL) == 0))
			aud_cli_warn(prog, o->quiet,
			    "the input already has a column '%s' or '%s'; the appended ones "
			    "repeat the name (choose others with --score-col, --pred-col)",
			    o->score_col, o->pred_col);
		fputc(sep, f);
		aud_csv_write_field(f, o->score_col, strlen(o->score_col), sep);
		if (aud_model_task(m) == AUD_TASK_CLASSIFICATION) {
			fputc(sep, f);
			aud_csv_write_field(f, o->pred_col, strlen(o->pred_col), sep);
		}
	}
	fputc('\n', f);
	for (;;) {
		rc = aud_batch_reader_next(&b, br, err);
		if (rc < 0)
			goto done;
		if (rc == 0)
			break;
		if (o->all) {
			struct aud_pmml_value *nv = realloc(vals, b->nrows * (nout ? nout : 1) * sizeof(*nv));
			if (nv == NULL) {
				rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
				goto done;
			}
			vals = nv;
			rc = aud_pmml_predict_outputs(m, b, vals, err);
		} else {
			double *ns = realloc(score, b->nrows * sizeof(*ns));
			if (ns == NULL) {
				rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
				goto done;
			}
			score = ns;
			rc = aud_model_predict(m, b, score, NULL, err);
		}
		if (rc < 0) {
			locate(err, csv, br, b);
			goto done;
		}
		for (r = 0; r < b->nrows; r++) {
			size_t len;
			const char *raw = aud_batch_reader_raw(br, r, &len);
			if (fwrite(raw, 1, len, f) != len)
				break;
			if (o->all) {
				for (i = 0; i < nout; i++) {
					const struct aud_pmml_value *v = &vals[r * nout + i];
					fputc(sep, f);
					if (v->str != NULL)
						aud_csv_write_field(f, v->str, strlen(v->str), sep);
					else
						write_num(f, v->num, v->is_float);
				}
			} else {
				fputc(sep, f);
				write_num(f, score[r], 0);
				if (aud_model_task(m) == AUD_TASK_CLASSIFICATION) {
					fputc(sep, f);
					if (!isnan(score[r]))
						fputc(score[r] >= o->threshold ? '1' : '0', f);
				}
			}
			fputc('\n', f);
		}
		if (ferror(f)) {
			rc = AUD_ERROR(err, AUD_EOUTPUT, "cannot write the output: %s", strerror(errno));
			goto done;
		}
		aud_cli_progress("predict", AUD_PROGRESS_BYTES, aud_csv_bytes(csv),
		    aud_csv_size(csv), &bar);
	}
	aud_cli_progress_end(&bar);
	rc = aud_output_commit(out, err);
done:
	aud_cli_progress_end(&bar);
	aud_output_free(out);
	free(vals);
	free(score);
	free(names);
	free(kinds);
	aud_batch_reader_free(br);
	aud_model_free(m);
	aud_csv_free(csv);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "all-outputs", no_argument, NULL, OPT_ALL },
		{ "batch-size", required_argument, NULL, OPT_BATCH },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "encoding", required_argument, NULL, AUD_CSVOPT_ENCODING },
		{ "features", required_argument, NULL, OPT_FEATURES },
		{ "help", no_argument, NULL, 'h' },
		{ "model", required_argument, NULL, 'm' },
		{ "model-cmd", required_argument, NULL, OPT_MODEL_CMD },
		{ "model-columns", required_argument, NULL, OPT_MODEL_COLUMNS },
		{ "model-timeout", required_argument, NULL, OPT_MODEL_TIMEOUT },
		{ "na", required_argument, NULL, AUD_CSVOPT_NA },
		{ "names", required_argument, NULL, AUD_CSVOPT_NAMES },
		{ "no-header", no_argument, NULL, AUD_CSVOPT_NO_HEADER },
		{ "no-trim", no_argument, NULL, AUD_CSVOPT_NO_TRIM },
		{ "output", required_argument, NULL, 'o' },
		{ "positive", required_argument, NULL, OPT_POSITIVE },
		{ "pred-col", required_argument, NULL, OPT_PRED_COL },
		{ "quiet", no_argument, NULL, 'q' },
		{ "score-col", required_argument, NULL, OPT_SCORE_COL },
		{ "skip-lines", required_argument, NULL, AUD_CSVOPT_SKIP_LINES },
		{ "threshold", required_argument, NULL, OPT_THRESHOLD },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct aud_error err = AUD_ERROR_INIT;
	struct opts o;
	int c, rc;

	aud_init();
	if (aud_cli_init(&err) < 0)
		return aud_cli_report(prog, &err);
	memset(&o, 0, sizeof(o));
	{
		struct aud_csv_options init = AUD_CSV_OPTIONS_INIT;

		o.csv = init;
	}
	o.score_col = "score";
	o.pred_col = "pred";
	o.threshold = 0.5;
	o.batch = 100000;
	o.timeout = AUD_MODEL_TIMEOUT;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:hm:o:q", lopts, NULL)) != -1) {
		switch (c) {
		case 'd':
		case AUD_CSVOPT_NA:
		case AUD_CSVOPT_NO_HEADER:
		case AUD_CSVOPT_NAMES:
		case AUD_CSVOPT_NO_TRIM:
		case AUD_CSVOPT_ENCODING:
		case AUD_CSVOPT_SKIP_LINES:
			if (aud_csvopt_set(&o.csv, c, optarg, &err) < 0)
				return aud_cli_usage_error(prog, "%s", err.msg);
			break;
		case 'h':
			usage(stdout);
			return fflush(stdout) == EOF ? AUD_EXIT_OUTPUT : AUD_EXIT_OK;
		case 'm':
			o.model = optarg;
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case OPT_ALL:
			o.all = 1;
			break;
		case OPT_BATCH:
			if (aud_parse_long(&o.batch, optarg, 1, 10000000, "--batch-size", &err) < 0)
				return aud_cli_usage_error(prog, "%s", err.msg);
			break;
		case OPT_MODEL_CMD:
			o.model_cmd = optarg;
			break;
		case OPT_MODEL_TIMEOUT:
			if (aud_parse_double(&o.timeout, optarg, 0, 1e9, "--model-timeout", &err) < 0)
				return aud_cli_usage_error(prog, "%s", err.msg);
			break;
		case OPT_FEATURES:
		case OPT_MODEL_COLUMNS:
			if (o.features != NULL && strcmp(o.features_opt,
			    c == OPT_FEATURES ? "--features" : "--model-columns") != 0)
				return aud_cli_usage_error(prog, "--features and --model-columns are "
				    "the same option: give one");
			o.features = optarg;
			o.features_opt = c == OPT_FEATURES ? "--features" : "--model-columns";
			break;
		case OPT_POSITIVE:
			o.positive = optarg;
			break;
		case OPT_PRED_COL:
			o.pred_col = optarg;
			break;
		case OPT_SCORE_COL:
			o.score_col = optarg;
			break;
		case OPT_THRESHOLD:
			if (aud_parse_double(&o.threshold, optarg, -1e300, 1e300, "--threshold", &err) < 0)
				return aud_cli_usage_error(prog, "%s", err.msg);
			break;
		case OPT_VERSION:
			aud_cli_version(prog);
			return fflush(stdout) == EOF ? AUD_EXIT_OUTPUT : AUD_EXIT_OK;
		case ':':
			return aud_cli_usage_error(prog, "option '%s' needs an argument", argv[optind - 1]);
		default:
			return aud_cli_usage_error(prog, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return aud_cli_usage_error(prog, "one input file at most");
	if ((o.model == NULL) == (o.model_cmd == NULL))
		return aud_cli_usage_error(prog, "give exactly one of -m MODEL and --model-cmd CMD");
	if (o.features != NULL && o.model_cmd == NULL)
		return aud_cli_usage_error(prog, "%s goes with --model-cmd", o.features_opt);
	if (o.score_col[0] == '\0' || o.pred_col[0] == '\0')
		return aud_cli_usage_error(prog, "column names must not be empty");
	o.in = optind < argc ? argv[optind] : NULL;
	{
		const struct aud_cli_file outs[] = { { "-o", o.out } };
		const struct aud_cli_file ins[] = { { "the input", o.in }, { "-m", o.model } };

		rc = aud_cli_check_files(prog, outs, 1, ins, 2);
		if (rc != AUD_EXIT_OK)
			return rc;
	}
	o.notice.prog = prog;
	o.notice.quiet = o.quiet;
	rc = run(&o, &err);
	if (rc < 0)
		return aud_cli_report(prog, &err);
	return AUD_EXIT_OK;
}
