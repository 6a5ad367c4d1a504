/* audit-robust — perturbation robustness of a model. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <audit/batch.h>
#include <audit/bins.h>
#include <audit/cli.h>
#include <audit/clicheck.h>
#include <audit/csv.h>
#include <audit/csvopt.h>
#include <audit/hash.h>
#include <audit/json.h>
#include <audit/model.h>
#include <audit/perturb.h>
#include <audit/robust.h>

static const char *prog = "audit-robust";

static const char usage_text[] =
"usage: audit-robust (-m MODEL.pmml | --model-cmd CMD) [--label COL] [--positive VALUE]\n"
"           [--protected COL[,COL...]] [--bins COL=E1,E2,...]... [--perturb SPEC]...\n"
"           [--levels L1,L2,...] [--features COLS] [--model-columns COLS] [--freeze COLS]\n"
"           [--counterfactual COL]... [--repeats R]\n"
"           [--threshold T] [--seed S] [--ci LEVEL] [--restarts K] [--steps S]\n"
"           [--no-by-feature] [--unbounded] [--batch-size N] [--threads N] [-d CHAR]\n"
"           [--model-timeout SECONDS]\n"
"           [--na LIST] [--no-header] [--names COLS] [--no-trim]\n"
"           [--encoding utf-8|latin1|cp1252] [--skip-lines N]\n"
"           [--check EXPR]... [--policy FILE] [--allow-undefined] [--junit FILE]\n"
"           [--format json|table|csv|md] [-o FILE] [-q] [FILE]\n"
"\n";

/* the description and options (one string would pass the 4095 bytes C99 promises) */
static const char usage_text1[] =
"Perturbs the input rows, runs them through the model and reports how often the\n"
"decision (score >= threshold) changes: overall, per protected group, per feature.\n"
"A perturbed row the model cannot score (NaN) is 'unscored', not a flip, and left\n"
"out of the rates. Each entry names its test: a flip of a protected attribute is\n"
"the anti-classification test.\n"
"\n"
"Perturbations (SPEC; numeric ones are scaled by the column's sd, clamped to its\n"
"observed range, and keep integer columns whole):\n"
"  gaussian:SIGMA    add N(0, (SIGMA sd)^2) to numeric features\n"
"  uniform:W         add U(-W sd, W sd) to numeric features\n"
"  scale:F           multiply numeric features by F\n"
"  round:DIGITS      round numeric features to DIGITS decimals\n"
"  missing:P         set any feature to missing with probability P\n"
"  swap:P            categorical: with probability P draw from the column's marginal\n"
"  flip:COL          give every row each other value of COL (counterfactual test);\n"
"                    a numeric COL with --bins: the representative value of each\n"
"                    other bin (the lower median of the bin's observed values)\n"
"  grid:COL=D,...    every neighbour within D units of each COL (exhaustive)\n"
"  adversarial:EPS   search an L-infinity ball of EPS sd for a flipping point\n"
"A spec without its level (\"gaussian\") is swept over --levels (when every spec\n"
"has its level, --levels sweeps all those of a kind that takes one).\n"
"\n"
"Options:\n"
"  -m, --model FILE        PMML model\n"
"      --model-cmd CMD     external model: CSV rows on stdin, one score per line out\n"
"      --model-timeout SECONDS  kill the command when one batch takes longer\n"
"                          (default 600; 0: no limit)\n"
"      --label COL         true label (adds accuracy and accuracy_drop)\n"
"      --positive VALUE    positive label value and model class (default 1)\n"
"      --protected COLS    protected attributes: by_group results; never perturbed\n"
"      --bins COL=E1,E2,...  group a numeric protected or flipped column by these\n"
"                          edges (COL=<=E1,<=E2,... for right-closed bins)\n"
"      --perturb SPEC      a perturbation (repeatable; default gaussian:0.1)\n"
"      --levels LIST       levels for level-less specs (a curve)\n"
"      --counterfactual COL  same as --perturb flip:COL\n"
"      --features COLS     columns perturbed (default: the model's input columns less\n"
"                          the label, protected and frozen ones; printed unless -q)\n"
"      --model-columns COLS  --model-cmd: the columns the command receives\n"
"                          (default: every input column)\n"
"      --freeze COLS       columns never perturbed (except by flip)\n"
"      --repeats R         draws per row of random perturbations (default 1)\n"
"      --threshold T       decision threshold on the score (default 0.5)\n"
"      --seed S            random seed (default 42)\n"
"      --ci LEVEL          Wilson interval level (default 0.95)\n"
"      --restarts K        adversarial: random points per row (default 8)\n"
"      --steps S           adversarial: greedy coordinate rounds (default 10)\n"
"      --no-by-feature     skip the per-feature runs\n"
"      --unbounded         do not clamp to the observed range nor keep integers whole\n"
"      --batch-size N      rows per model call (default 100000 for --model-cmd, 4096 for PMML)\n"
"      --threads N         worker threads, 1 to " AUD_STRINGIFY(AUD_MAX_THREADS) "\n"
"                          (default: the number of cores)\n"
;

/* the check options' help */
static const char usage_checks[] =
"      --check EXPR        a check on the results, e.g. 'flip:sex.flip_rate == 0' (exit 1\n"
"                          when it fails; the paths are listed in the manual page)\n"
"      --policy FILE       a JSON array of check expressions\n"
"      --allow-undefined   report a check on an undefined value without failing\n"
"      --junit FILE        also write the checks as JUnit XML (with -o: both or neither)\n";

/* the rest of the help (one string would pass the 4095 bytes C99 promises) */
static const char usage_text2[] =
"  -d CHAR                 CSV separator ('\\t' for a tab; default: detected from the\n"
"                          first line among , ; tab | and else a single space)\n"
"      --na LIST           comma-separated missing-value tokens (default: pandas' list\n"
"                          plus ?: empty,#N/A,#N/A N/A,#NA,-1.#IND,-1.#QNAN,-NaN,-nan,\n"
"                          1.#IND,1.#QNAN,<NA>,N/A,NA,NULL,NaN,None,n/a,nan,null,?)\n"
"      --no-header         the first line is data; columns are named 1, 2, ...\n"
"      --names COLS        comma-separated column names (replace the header's)\n"
"      --no-trim           keep the spaces after separators (by default dropped when\n"
"                          every separator of the first line is followed by a space)\n"
"      --encoding E        utf-8 (default, checked), latin1 or cp1252 (read as UTF-8)\n"
"      --skip-lines N      skip N lines before the header (or the first row)\n"
"      --format FMT        json, table, csv or md (default: table at a terminal, else json)\n"
"  -o FILE                 write the result to FILE (atomically)\n"
"  -q, --quiet             no warnings\n"
"  -h, --help              this help\n"
"      --version           version\n";

enum {
	OPT_MODEL_CMD = 256, OPT_LABEL, OPT_POSITIVE, OPT_PROTECTED, OPT_PERTURB, OPT_LEVELS,
	OPT_FEATURES, OPT_FREEZE, OPT_COUNTERFACTUAL, OPT_REPEATS, OPT_THRESHOLD, OPT_SEED,
	OPT_CI, OPT_RESTARTS, OPT_STEPS, OPT_NO_BY_FEATURE, OPT_BATCH_SIZE, OPT_THREADS,
	OPT_FORMAT, OPT_VERSION, OPT_UNBOUNDED, OPT_BINS, OPT_MODEL_COLUMNS, OPT_MODEL_TIMEOUT
};

static const struct option longopts[] = {
	{ "batch-size", required_argument, NULL, OPT_BATCH_SIZE },
	{ "bins", required_argument, NULL, OPT_BINS },
	{ "ci", required_argument, NULL, OPT_CI },
	{ "counterfactual", required_argument, NULL, OPT_COUNTERFACTUAL },
	{ "encoding", required_argument, NULL, AUD_CSVOPT_ENCODING },
	{ "features", required_argument, NULL, OPT_FEATURES },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "freeze", required_argument, NULL, OPT_FREEZE },
	{ "help", no_argument, NULL, 'h' },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "levels", required_argument, NULL, OPT_LEVELS },
	{ "model", required_argument, NULL, 'm' },
	{ "model-cmd", required_argument, NULL, OPT_MODEL_CMD },
	{ "model-columns", required_argument, NULL, OPT_MODEL_COLUMNS },
	{ "model-timeout", required_argument, NULL, OPT_MODEL_TIMEOUT },
	{ "na", required_argument, NULL, AUD_CSVOPT_NA },
	{ "names", required_argument, NULL, AUD_CSVOPT_NAMES },
	{ "no-by-feature", no_argument, NULL, OPT_NO_BY_FEATURE },
	{ "no-header", no_argument, NULL, AUD_CSVOPT_NO_HEADER },
	{ "no-trim", no_argument, NULL, AUD_CSVOPT_NO_TRIM },
	{ "perturb", required_argument, NULL, OPT_PERTURB },
	{ "positive", required_argument, NULL, OPT_POSITIVE },
	{ "protected", required_argument, NULL, OPT_PROTECTED },
	{ "quiet", no_argument, NULL, 'q' },
	{ "repeats", required_argument, NULL, OPT_REPEATS },
	{ "restarts", required_argument, NULL, OPT_RESTARTS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "skip-lines", required_argument, NULL, AUD_CSVOPT_SKIP_LINES },
	{ "steps", required_argument, NULL, OPT_STEPS },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "unbounded", no_argument, NULL, OPT_UNBOUNDED },
	{ "version", no_argument, NULL, OPT_VERSION },
	AUD_CLICHECK_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

/* A list of strings split from comma-separated option values (owned copies). */
struct list {
	char **v;
	size_t n;
};

static int
list_add(struct list *l, const char *s, size_t len)
{
	char **p = realloc(l->v, (l->n + 1) * sizeof(*p));

	if (p == NULL)
		return -1;
	l->v = p;
	p[l->n] = strndup(s, len);
	if (p[l->n] == NULL)
		return -1;
	l->n++;
	return 0;
}

/* Split "a,b,c" into l; empty names are an error. */
static int
list_split(struct list *l, const char *s, const char *what, struct aud_error *err)
{
	const char *c;

	for (;;) {
		c = strchr(s, ',');
		if (c == NULL)
			c = s + strlen(s);
		if (c == s)
			return AUD_ERROR(err, AUD_EINVAL, "%s: empty column name in the list", what);
		if (list_add(l, s, (size_t)(c - s)) < 0)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		if (*c == '\0')
			return 0;
		s = c + 1;
	}
}

static void
list_free(struct list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static int
listed(const struct list *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

static cJSON *
json_list(const struct list *l)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	for (i = 0; a != NULL && i < l->n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(l->v[i]));
	return a;
}

static void
progress_cb(void *payload, uint64_t done, uint64_t total)
{
	(void)total;
	aud_progress_update(payload, done);
}

int
main(int argc, char **argv)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv_options copts = AUD_CSV_OPTIONS_INIT;
	struct aud_csvopt_notice_ctx notice = { "audit-robust", 0 };
	struct aud_model_open_options mopts = AUD_MODEL_OPEN_OPTIONS_INIT;
	struct aud_robust_options ropts = AUD_ROBUST_OPTIONS_INIT;
	struct list protected_cols = { NULL, 0 }, features = { NULL, 0 }, freeze = { NULL, 0 };
	struct list specs = { NULL, 0 }, colnames = { NULL, 0 }, notes = { NULL, 0 };
	struct list model_columns = { NULL, 0 };
	struct aud_bins **bins = NULL;
	size_t nbins = 0;
	struct aud_perturb **parsed = NULL, *lvp = NULL;
	double *levels = NULL;
	size_t nlevels = 0, nparsed = 0, i, k, ncols, sweeps = 0;
	const char *model_path = NULL, *model_cmd = NULL, *label = NULL, *positive = NULL;
	const char *out_path = NULL, *in_path = NULL, *format_s = NULL, *levels_s = NULL;
	const char *ropts_positive = "1";
	enum aud_col_kind *kinds = NULL;
	enum aud_format format;
	struct aud_csv *csv = NULL;
	struct aud_batch *data = NULL;
	struct aud_model *model = NULL;
	struct aud_robust *run = NULL;
	struct aud_output *out = NULL;
	struct aud_progress *bar = NULL;
	struct aud_cli_checks chk = AUD_CLI_CHECKS_INIT;
	struct aud_input_info info;
	cJSON *doc = NULL, *params, *results = NULL, *warnings;
	const char *const *rw;
	char sha[65];
	time_t now;
	long lv;
	double dv;
	int c, quiet = 0, status = AUD_EXIT_OK, rc = 0, batch_given = 0, threads_given = 0;

	aud_init();
	if (aud_cli_init(&err) < 0)
		return aud_cli_report(prog, &err);
	aud_robust_check_resolver(&chk.resolver);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:hm:o:q", longopts, NULL)) != -1) {
		switch (c) {
		case AUD_CLICHECK_CHECK:
		case AUD_CLICHECK_POLICY:
		case AUD_CLICHECK_ALLOW_UNDEFINED:
		case AUD_CLICHECK_JUNIT:
			status = aud_cli_checks_option(&chk, prog, c, optarg);
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
			if (aud_csvopt_set(&copts, c, optarg, &err) < 0) {
				status = aud_cli_usage_error(prog, "%s", err.msg);
				goto done;
			}
			break;
		case 'h':
			fputs(usage_text, stdout);
			fputs(usage_text1, stdout);
			fputs(usage_checks, stdout);
			fputs(usage_text2, stdout);
			status = fflush(stdout) == EOF || ferror(stdout) ? AUD_EXIT_OUTPUT : AUD_EXIT_OK;
			goto done;
		case 'm':
			model_path = optarg;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case OPT_MODEL_CMD:
			model_cmd = optarg;
			break;
		case OPT_LABEL:
			label = optarg;
			break;
		case OPT_POSITIVE:
			positive = optarg;
			break;
		case OPT_PROTECTED:
			rc = list_split(&protected_cols, optarg, "--protected", &err);
			break;
		case OPT_FEATURES:
			rc = list_split(&features, optarg, "--features", &err);
			break;
		case OPT_MODEL_COLUMNS:
			rc = list_split(&model_columns, optarg, "--model-columns", &err);
			break;
		case OPT_BINS: {
			struct aud_bins **nb = realloc(bins, (nbins + 1) * sizeof(*nb));

			if (nb == NULL) {
				rc = AUD_ERROR(&err, AUD_ENOMEM, "out of memory");
				break;
			}
			bins = nb;
			rc = aud_bins_parse(&bins[nbins], optarg, "--bins", &err);
			if (rc == 0) {
				for (i = 0; i < nbins; i++)
					if (strcmp(bins[i]->column, bins[nbins]->column) == 0)
						rc = AUD_ERROR(&err, AUD_EINVAL, "--bins given twice for '%s'",
						    bins[i]->column);
				nbins++;
			}
			break;
		}
		case OPT_FREEZE:
			rc = list_split(&freeze, optarg, "--freeze", &err);
			break;
		case OPT_PERTURB:
			rc = list_add(&specs, optarg, strlen(optarg)) < 0 ?
			    AUD_ERROR(&err, AUD_ENOMEM, "out of memory") : 0;
			break;
		case OPT_COUNTERFACTUAL: {
			size_t n = strlen(optarg) + 6;
			char *s = malloc(n);

			if (s == NULL) {
				rc = AUD_ERROR(&err, AUD_ENOMEM, "out of memory");
				break;
			}
			snprintf(s, n, "flip:%s", optarg);
			rc = list_add(&specs, s, strlen(s)) < 0 ?
			    AUD_ERROR(&err, AUD_ENOMEM, "out of memory") : 0;
			free(s);
			break;
		}
		case OPT_LEVELS:
			levels_s = optarg;
			break;
		case OPT_REPEATS:
			rc = aud_parse_long(&lv, optarg, 1, 10000, "--repeats", &err);
			ropts.repeats = (size_t)lv;
			break;
		case OPT_THRESHOLD:
			rc = aud_parse_double(&ropts.threshold, optarg, -1e300, 1e300, "--threshold", &err);
			break;
		case OPT_MODEL_TIMEOUT:
			rc = aud_parse_double(&mopts.timeout, optarg, 0, 1e9, "--model-timeout", &err);
			break;
		case OPT_SEED:
			rc = aud_parse_seed(&ropts.seed, optarg, &err);
			break;
		case OPT_CI:
			rc = aud_parse_double(&dv, optarg, 0.5, 0.999999, "--ci", &err);
			ropts.ci_level = dv;
			break;
		case OPT_RESTARTS:
			rc = aud_parse_long(&lv, optarg, 1, 1000, "--restarts", &err);
			ropts.adv_restarts = (int)lv;
			break;
		case OPT_STEPS:
			rc = aud_parse_long(&lv, optarg, 0, 1000, "--steps", &err);
			ropts.adv_steps = (int)lv;
			break;
		case OPT_NO_BY_FEATURE:
			ropts.by_feature = 0;
			break;
		case OPT_UNBOUNDED:
			ropts.unbounded = 1;
			break;
		case OPT_BATCH_SIZE:
			rc = aud_parse_long(&lv, optarg, 1, 100000000, "--batch-size", &err);
			ropts.batch_rows = (size_t)lv;
			batch_given = 1;
			break;
		case OPT_THREADS:
			rc = aud_parse_long(&lv, optarg, 1, AUD_MAX_THREADS, "--threads", &err);
			ropts.threads = (unsigned)lv;
			threads_given = 1;
			break;
		case OPT_FORMAT:
			format_s = optarg;
			break;
		case OPT_VERSION:
			aud_cli_version(prog);
			status = fflush(stdout) == EOF || ferror(stdout) ? AUD_EXIT_OUTPUT : AUD_EXIT_OK;
			goto done;
		case ':':
			status = aud_cli_usage_error(prog, "option '%s' needs an argument",
			    argv[optind - 1]);
			goto done;
		default:
			status = aud_cli_usage_error(prog, "unknown option '%s'", argv[optind - 1]);
			goto done;
		}
		if (rc < 0) {
			status = rc == AUD_EINVAL ? aud_cli_usage_error(prog, "%s", err.msg) :
			    aud_cli_report(prog, &err);
			goto done;
		}
	}
	if (argc - optind > 1) {
		status = aud_cli_usage_error(prog, "too many arguments (one input FILE at most)");
		goto done;
	}
	in_path = optind < argc ? argv[optind] : "-";
	if ((model_path == NULL) == (model_cmd == NULL)) {
		status = aud_cli_usage_error(prog, "give exactly one of -m MODEL and --model-cmd CMD");
		goto done;
	}
	if (model_path != NULL && model_columns.n > 0) {
		status = aud_cli_usage_error(prog, "--model-columns is for --model-cmd "
		    "(a PMML model reads its own input fields)");
		goto done;
	}
	{
		const struct aud_cli_file outs[] = { { "-o", out_path } };
		const struct aud_cli_file ins[] = { { "the input", in_path }, { "-m", model_path } };

		status = aud_cli_check_files(prog, outs, 1, ins, 2);
		if (status == AUD_EXIT_OK)
			status = aud_cli_checks_prepare(&chk, prog, out_path, in_path);
		if (status != AUD_EXIT_OK)
			goto done;
	}
	if (format_s != NULL) {
		rc = aud_parse_format(&format, format_s, &err);
		if (rc < 0) {
			status = aud_cli_usage_error(prog, "%s", err.msg);
			goto done;
		}
	} else {
		format = aud_default_format(out_path);
	}
	if (!threads_given) {
		long nc = sysconf(_SC_NPROCESSORS_ONLN);

		ropts.threads = nc > 0 ? (unsigned)(nc > AUD_MAX_THREADS ? AUD_MAX_THREADS : nc) : 1;
	}
	if (!batch_given)
		ropts.batch_rows = model_cmd != NULL ? 100000 : 4096;

	/* perturbation specs and levels */
	if (levels_s != NULL) {
		const char *s = levels_s, *e;
		char buf[64];

		for (;;) {
			double *p;

			e = strchr(s, ',');
			if (e == NULL)
				e = s + strlen(s);
			if ((size_t)(e - s) >= sizeof(buf)) {
				status = aud_cli_usage_error(prog, "--levels: '%s' is not a number", s);
				goto done;
			}
			memcpy(buf, s, (size_t)(e - s));
			buf[e - s] = '\0';
			rc = aud_parse_double(&dv, buf, -1e300, 1e300, "--levels", &err);
			if (rc < 0) {
				status = aud_cli_usage_error(prog, "%s", err.msg);
				goto done;
			}
			p = realloc(levels, (nlevels + 1) * sizeof(*levels));
			if (p == NULL) {
				rc = AUD_ERROR(&err, AUD_ENOMEM, "out of memory");
				status = aud_cli_report(prog, &err);
				goto done;
			}
			levels = p;
			levels[nlevels++] = dv;
			if (*e == '\0')
				break;
			s = e + 1;
		}
	}
	if (specs.n == 0 && list_add(&specs, levels_s != NULL ? "gaussian" : "gaussian:0.1",
	    levels_s != NULL ? 8 : 12) < 0) {
		rc = AUD_ERROR(&err, AUD_ENOMEM, "out of memory");
		status = aud_cli_report(prog, &err);
		goto done;
	}
	parsed = calloc(specs.n, sizeof(*parsed));
	if (parsed == NULL) {
		rc = AUD_ERROR(&err, AUD_ENOMEM, "out of memory");
		status = aud_cli_report(prog, &err);
		goto done;
	}
	for (i = 0; i < specs.n; i++) {
		rc = aud_perturb_parse(&parsed[i], specs.v[i], &err);
		if (rc < 0) {
			status = rc == AUD_EINVAL ? aud_cli_usage_error(prog, "%s", err.msg) :
			    aud_cli_report(prog, &err);
			goto done;
		}
		nparsed = i + 1;
		if (aud_perturb_kind_has_level(parsed[i]->kind) && !parsed[i]->has_level) {
			sweeps++;
			if (levels == NULL) {
				status = aud_cli_usage_error(prog,
				    "perturbation '%s' needs a level (%s:LEVEL) or --levels",
				    specs.v[i], specs.v[i]);
				goto done;
			}
			for (k = 0; k < nlevels; k++) {
				rc = aud_perturb_at_level(&lvp, parsed[i], levels[k], &err);
				if (rc < 0) {
					status = rc == AUD_EINVAL ? aud_cli_usage_error(prog, "%s", err.msg) :
					    aud_cli_report(prog, &err);
					goto done;
				}
				aud_perturb_free(lvp);
				lvp = NULL;
			}
		}
	}

	if (levels != NULL && sweeps == 0) {
		/* no level-less spec: --levels sweeps every spec whose kind takes a level */
		for (i = 0; i < nparsed; i++) {
			char msg[300];

			if (!aud_perturb_kind_has_level(parsed[i]->kind))
				continue;
			rc = aud_perturb_parse(&lvp, aud_perturb_kind_name(parsed[i]->kind), &err);
			if (rc < 0) {
				status = aud_cli_report(prog, &err);
				goto done;
			}
			snprintf(msg, sizeof(msg), "--levels replaces the level of '%s'",
			    parsed[i]->spec);
			if (list_add(&notes, msg, strlen(msg)) < 0) {
				rc = AUD_ERROR(&err, AUD_ENOMEM, "out of memory");
				status = aud_cli_report(prog, &err);
				goto done;
			}
			aud_perturb_free(parsed[i]);
			parsed[i] = lvp;
			lvp = NULL;
			sweeps++;
			for (k = 0; k < nlevels; k++) {
				rc = aud_perturb_at_level(&lvp, parsed[i], levels[k], &err);
				if (rc < 0) {
					status = rc == AUD_EINVAL ? aud_cli_usage_error(prog, "%s", err.msg) :
					    aud_cli_report(prog, &err);
					goto done;
				}
				aud_perturb_free(lvp);
				lvp = NULL;
			}
		}
		if (sweeps == 0) {
			status = aud_cli_usage_error(prog,
			    "--levels needs a perturbation that takes a level (e.g. --perturb gaussian)");
			goto done;
		}
	}

	/* a feature the command does not receive could not change its decision */
	for (i = 0; model_columns.n > 0 && i < features.n; i++)
		if (!listed(&model_columns, features.v[i])) {
			status = aud_cli_usage_error(prog, "--features: '%s' is not one of the "
			    "--model-columns, so the command would never see it perturbed",
			    features.v[i]);
			goto done;
		}

	/* every --bins names a protected or flipped column */
	for (k = 0; k < nbins; k++) {
		int used = listed(&protected_cols, bins[k]->column);

		for (i = 0; i < nparsed && !used; i++)
			used = parsed[i]->kind == AUD_PERTURB_FLIP &&
			    strcmp(parsed[i]->column, bins[k]->column) == 0;
		if (!used) {
			status = aud_cli_usage_error(prog, "--bins names '%s', which is neither a "
			    "protected column nor flipped (--counterfactual)", bins[k]->column);
			goto done;
		}
	}

	/* output (a temporary file until the end), input and model */
	rc = aud_output_open(&out, out_path, &err);
	if (rc < 0)
		goto fail;
	notice.quiet = quiet;
	copts.notice = aud_csvopt_notice;
	copts.notice_payload = &notice;
	rc = aud_csv_open(&csv, in_path, &copts, &err);
	if (rc < 0)
		goto fail;
	{
		/* every column named must exist (messages with the file and known columns) */
		size_t col;
		const struct list *ls[4] = { &protected_cols, &features, &freeze, &model_columns };

		if (label != NULL) {
			rc = aud_csv_find(&col, csv, label, &err);
			if (rc < 0)
				goto fail;
		}
		for (k = 0; k < 4; k++)
			for (i = 0; i < ls[k]->n; i++) {
				rc = aud_csv_find(&col, csv, ls[k]->v[i], &err);
				if (rc < 0)
					goto fail;
			}
		for (i = 0; i < nparsed; i++) {
			if (parsed[i]->kind == AUD_PERTURB_FLIP) {
				rc = aud_csv_find(&col, csv, parsed[i]->column, &err);
				if (rc < 0)
					goto fail;
			}
			for (k = 0; k < parsed[i]->ngrid; k++) {
				rc = aud_csv_find(&col, csv, parsed[i]->grid_cols[k], &err);
				if (rc < 0)
					goto fail;
			}
		}
	}
	mopts.positive = positive;
	mopts.batch_size = ropts.batch_rows;
	mopts.on_child = aud_cli_model_child;
	if (model_path != NULL) {
		rc = aud_model_open(&model, model_path, NULL, &mopts, &err);
		if (rc < 0)
			goto fail;
	}
	ropts_positive = positive != NULL ? positive : "1";
	ncols = aud_csv_ncols(csv);
	kinds = calloc(ncols ? ncols : 1, sizeof(*kinds));
	if (kinds == NULL) {
		rc = AUD_ERROR(&err, AUD_ENOMEM, "out of memory");
		goto fail;
	}
	for (i = 0; i < ncols; i++) {
		const char *nm = aud_csv_colname(csv, i);
		long f = model != NULL ? aud_model_find_feature(model, nm) : -1;

		kinds[i] = AUD_COL_AUTO;
		for (k = 0; k < nbins; k++)
			if (strcmp(bins[k]->column, nm) == 0)
				break;
		if (k < nbins)
			kinds[i] = AUD_COL_NUMERIC;  /* binned: its values are numbers */
		else if (f >= 0)
			kinds[i] = aud_model_feature(model, (size_t)f)->kind;
		else if (label != NULL && strcmp(nm, label) == 0)
			/* as audit-fair: a numeric --positive compares numbers, else text */
			kinds[i] = aud_parse_number(&dv, ropts_positive, strlen(ropts_positive)) == 1 ?
			    AUD_COL_NUMERIC : AUD_COL_CATEGORICAL;
		else if (listed(&protected_cols, nm))
			kinds[i] = AUD_COL_CATEGORICAL;
	}
	rc = aud_robust_read(&data, csv, NULL, kinds, ncols, &err);
	if (rc < 0)
		goto fail;
	rc = aud_csv_sha256(csv, sha, &err);
	if (rc < 0)
		goto fail;
	if (model_cmd != NULL) {
		enum aud_col_kind *mk;

		/* what the command receives (--model-columns), not what is perturbed (--features) */
		if (model_columns.n > 0) {
			for (i = 0; i < model_columns.n; i++)
				if (list_add(&colnames, model_columns.v[i], strlen(model_columns.v[i])) < 0)
					break;
		} else {
			for (i = 0; i < data->ncols; i++)
				if (list_add(&colnames, data->cols[i].name, strlen(data->cols[i].name)) < 0)
					break;
		}
		mk = calloc(colnames.n + 1, sizeof(*mk));
		if (mk == NULL || i < (model_columns.n > 0 ? model_columns.n : data->ncols)) {
			free(mk);
			rc = AUD_ERROR(&err, AUD_ENOMEM, "out of memory");
			goto fail;
		}
		for (i = 0; i < colnames.n; i++)
			mk[i] = data->cols[i < data->ncols &&
			    strcmp(data->cols[i].name, colnames.v[i]) == 0 ? (long)i :
			    aud_batch_find(data, colnames.v[i])].kind;
		mopts.columns = (const char *const *)colnames.v;
		mopts.kinds = mk;
		mopts.ncolumns = colnames.n;
		rc = aud_model_open(&model, NULL, model_cmd, &mopts, &err);
		free(mk);
		if (rc < 0)
			goto fail;
	}

	/* the run */
	ropts.label = label;
	ropts.positive = positive != NULL ? positive : "1";
	ropts.protected_cols = (const char *const *)protected_cols.v;
	ropts.nprotected = protected_cols.n;
	ropts.features = features.n > 0 ? (const char *const *)features.v : NULL;
	ropts.nfeatures = features.n;
	ropts.freeze = (const char *const *)freeze.v;
	ropts.nfreeze = freeze.n;
	ropts.bins = (const struct aud_bins *const *)bins;
	ropts.nbins = nbins;
	rc = aud_progress_new(&bar, prog, 0, aud_stderr_is_tty() && !quiet, &err);
	if (rc < 0)
		goto fail;
	ropts.progress = progress_cb;
	ropts.progress_payload = bar;
	rc = aud_robust_new(&run, model, data, &ropts, &err);
	if (rc < 0)
		goto fail;
	for (i = 0; i < nparsed; i++) {
		if (aud_perturb_kind_has_level(parsed[i]->kind) && !parsed[i]->has_level)
			continue;  /* swept over --levels, whose values were checked above */
		rc = aud_robust_check(run, parsed[i], &err);
		if (rc < 0)
			goto fail;
	}
	if (!quiet) {
		/* say which columns the perturbations move (capped: a file can be wide) */
		const char *const *fn = aud_robust_features(run, &k);

		fprintf(stderr, "%s: note: %zu feature%s perturbed%s", prog, k, k == 1 ? "" : "s",
		    k > 0 ? ":" : "");
		for (i = 0; i < k && i < 20; i++)
			fprintf(stderr, "%s %s", i > 0 ? "," : "", fn[i]);
		if (k > 20)
			fprintf(stderr, ", ... (%zu more)", k - 20);
		fputc('\n', stderr);
	}
	for (i = 0; i < nparsed; i++) {
		if (!aud_perturb_kind_has_level(parsed[i]->kind) || parsed[i]->has_level) {
			rc = aud_robust_run(run, parsed[i], NULL, &err);
			if (rc < 0)
				goto fail;
			continue;
		}
		for (k = 0; k < nlevels; k++) {
			rc = aud_perturb_at_level(&lvp, parsed[i], levels[k], &err);
			if (rc < 0)
				goto fail;
			rc = aud_robust_run(run, lvp, parsed[i]->spec, &err);
			aud_perturb_free(lvp);
			lvp = NULL;
			if (rc < 0)
				goto fail;
		}
	}
	aud_progress_free(bar);
	bar = NULL;

	/* the document */
	rc = aud_cli_time(&now, getenv("SOURCE_DATE_EPOCH"), &err);
	if (rc < 0)
		goto fail;
	info.path = in_path;
	info.rows = data->nrows;
	info.sha256 = sha;
	rc = aud_envelope_new(&doc, prog, "audit.robustness/1", now, &info, &err);
	if (rc < 0)
		goto fail;
	{
		/* provenance: the model file's sha256, or the command */
		cJSON *mo = cJSON_AddObjectToObject(cJSON_GetObjectItemCaseSensitive(doc, "input"),
		    "model");
		char msha[65];

		if (mo != NULL && model_path != NULL) {
			rc = aud_file_sha256(msha, model_path, &err);
			if (rc < 0)
				goto fail;
			cJSON_AddStringToObject(mo, "path", model_path);
			cJSON_AddStringToObject(mo, "sha256", msha);
		} else if (mo != NULL) {
			cJSON_AddNullToObject(mo, "path");
			cJSON_AddNullToObject(mo, "sha256");
			cJSON_AddStringToObject(mo, "command", model_cmd);
		}
	}
	params = aud_envelope_params(doc);
	if (model_path != NULL)
		cJSON_AddStringToObject(params, "model", model_path);
	else
		cJSON_AddStringToObject(params, "model_cmd", model_cmd);
	cJSON_AddStringToObject(params, "model_kind", aud_model_describe(model));
	if (label != NULL)
		cJSON_AddStringToObject(params, "label", label);
	cJSON_AddStringToObject(params, "positive", ropts.positive);
	cJSON_AddItemToObject(params, "protected", json_list(&protected_cols));
	cJSON_AddItemToObject(params, "perturb", json_list(&specs));
	if (levels != NULL) {
		cJSON *la = cJSON_AddArrayToObject(params, "levels");

		for (k = 0; la != NULL && k < nlevels; k++)
			cJSON_AddItemToArray(la, aud_json_number(levels[k]));
	}
	{
		/* the columns perturbed, given or chosen */
		const char *const *fn = aud_robust_features(run, &k);
		cJSON *fa = cJSON_AddArrayToObject(params, "features");

		for (i = 0; fa != NULL && i < k; i++)
			cJSON_AddItemToArray(fa, cJSON_CreateString(fn[i]));
	}
	if (model_columns.n > 0)
		cJSON_AddItemToObject(params, "model_columns", json_list(&model_columns));
	if (nbins > 0) {
		cJSON *bo = cJSON_AddObjectToObject(params, "bins");

		for (k = 0; bo != NULL && k < nbins; k++) {
			cJSON *ea = cJSON_AddArrayToObject(bo, bins[k]->column);

			for (i = 0; ea != NULL && i < bins[k]->nedges; i++)
				cJSON_AddItemToArray(ea, aud_json_number(bins[k]->edges[i]));
		}
		bo = cJSON_AddObjectToObject(params, "bins_closed");
		for (k = 0; bo != NULL && k < nbins; k++)
			cJSON_AddStringToObject(bo, bins[k]->column, bins[k]->right ? "right" : "left");
	}
	cJSON_AddItemToObject(params, "freeze", json_list(&freeze));
	cJSON_AddNumberToObject(params, "repeats", (double)ropts.repeats);
	cJSON_AddNumberToObject(params, "threshold", ropts.threshold);
	cJSON_AddNumberToObject(params, "seed", (double)ropts.seed);
	cJSON_AddNumberToObject(params, "ci", ropts.ci_level);
	cJSON_AddBoolToObject(params, "by_feature", ropts.by_feature);
	cJSON_AddBoolToObject(params, "unbounded", ropts.unbounded);
	cJSON_AddNumberToObject(params, "restarts", ropts.adv_restarts);
	cJSON_AddNumberToObject(params, "steps", ropts.adv_steps);
	rc = aud_robust_results(&results, run, &err);
	if (rc < 0)
		goto fail;
	cJSON_ReplaceItemInObjectCaseSensitive(doc, "results", results);
	results = NULL;
	warnings = aud_envelope_warnings(doc);
	for (i = 0; i < notes.n; i++) {
		cJSON_AddItemToArray(warnings, cJSON_CreateString(notes.v[i]));
		aud_cli_warn(prog, quiet, "%s", notes.v[i]);
	}
	rw = aud_robust_warnings(run, &k);
	for (i = 0; i < k; i++) {
		cJSON_AddItemToArray(warnings, cJSON_CreateString(rw[i]));
		aud_cli_warn(prog, quiet, "%s", rw[i]);
	}
	status = aud_cli_checks_run(&chk, prog, quiet, doc);
	if (status != AUD_EXIT_OK)
		goto done;

	if (format == AUD_FORMAT_JSON)
		rc = aud_json_write(doc, aud_output_stream(out), &err);
	else
		rc = aud_robust_write(aud_output_stream(out),
		    cJSON_GetObjectItemCaseSensitive(doc, "results"), format, &err);
	if (rc < 0)
		goto fail;
	status = aud_cli_checks_commit(&chk, prog, doc, &out, 1);
	goto done;
fail:
	status = aud_cli_report(prog, &err);
done:
	aud_progress_free(bar);
	aud_cli_checks_release(&chk);
	aud_output_free(out);
	cJSON_Delete(results);
	cJSON_Delete(doc);
	aud_robust_free(run);
	aud_model_free(model);
	aud_batch_free(data);
	aud_csv_free(csv);
	free(kinds);
	aud_perturb_free(lvp);
	for (i = 0; i < nparsed; i++)
		aud_perturb_free(parsed[i]);
	free(parsed);
	free(levels);
	list_free(&protected_cols);
	list_free(&features);
	list_free(&model_columns);
	list_free(&freeze);
	for (i = 0; i < nbins; i++)
		aud_bins_free(bins[i]);
	free(bins);
	list_free(&specs);
	list_free(&colnames);
	list_free(&notes);
	return status;
}
