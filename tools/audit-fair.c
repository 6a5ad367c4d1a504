/* audit-fair — group fairness metrics of a binary classifier */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <audit/bins.h>
#include <audit/cli.h>
#include <audit/csv.h>
#include <audit/csvopt.h>
#include <audit/error.h>
#include <audit/clicheck.h>
#include <audit/fairness.h>
#include <audit/json.h>

static const char *prog = "audit-fair";

static const char usage_text[] =
"usage: audit-fair --label COL [--pred COL] [--score COL] [--threshold T]\n"
"                  --protected COL[,COL...] [--positive VALUE] [--favorable VALUE]\n"
"                  [--reference ATTR=GROUP]... [--intersect] [--bins COL=E1,E2,...]...\n"
"                  [--weights COL] [--score-bins N] [--ci LEVEL]\n"
"                  [--ci-method wilson|bootstrap] [--bootstrap B] [--seed S]\n"
"                  [--min-group-size N] [--four-fifths eeoc|band] [--check EXPR]...\n"
"                  [--policy FILE] [--allow-undefined] [--junit FILE]\n"
"                  [--format json|table|csv|md] [-o FILE]\n"
"                  [-d CHAR] [--na LIST] [--no-header] [--names COLS] [--no-trim]\n"
"                  [--encoding utf-8|latin1|cp1252] [--skip-lines N] [-q] [FILE]\n"
"\n"
"Group fairness of a binary classifier's predictions: per group rates\n"
"(selection rate, TPR, FPR, FNR, PPV, FOR, ...), TP/FP/FN/TN counts, the\n"
"majority-class baseline accuracy, score metrics (AUC, Brier,\n"
"log loss, ECE), Fairlearn's and AIF360's summaries, disparities against a\n"
"reference group, intervals, chi-square tests, and checks.\n"
"\n"
"  --label COL            true label column (required)\n"
"  --pred COL             predicted decision column\n"
"  --score COL            score (probability of the positive value) in [0, 1]\n"
"  --threshold T          without --pred: predicted positive when score >= T (0.5)\n"
"  --protected COLS       protected columns, comma-separated (required)\n"
"  --positive VALUE       label/prediction value counted as positive (1)\n"
"  --favorable VALUE      prediction value that is favorable (the positive value)\n"
"  --reference A=G        reference group G of attribute A (default: the largest;\n"
"                         a tie goes to the first by name, with a warning)\n"
"  --intersect            add the intersection of the protected columns\n"
"  --bins COL=E1,E2,...   group a numeric protected column by these edges\n"
"                         (COL=<=E1,<=E2,... for right-closed bins)\n"
"  --weights COL          row weights (sums of weights replace counts)\n"
"  --score-bins N         score histograms of N bins instead of exact score metrics\n"
"  --ci LEVEL             confidence level of intervals (0.95)\n"
"  --ci-method M          wilson (Wilson and DeLong) or bootstrap (wilson)\n"
"  --bootstrap B          bootstrap replicates (1000)\n"
"  --seed S               random seed (42)\n"
"  --min-group-size N     groups with fewer rows are marked small (30)\n"
"  --four-fifths RULE     eeoc (0.8 x the highest) or band ([0.8, 1.25] of the reference)\n"
"  --check EXPR           a check, e.g. 'demographic_parity_ratio>=0.8'; exit 1 if it fails\n"
"  --policy FILE          a JSON array of check expressions\n"
"  --allow-undefined      report a check on an undefined value without failing\n"
"  --junit FILE           also write the checks as JUnit XML (with -o: both or neither)\n"
"  --format F             json, table, csv or md (table at a terminal, else json)\n"
"  -o FILE                write the result to FILE (atomically)\n"
"  -d CHAR                field separator ('\\t' for a tab; default: detected from the\n"
"                         first line among , ; tab | and else a single space)\n"
"  --na LIST              comma-separated missing-value tokens (default: pandas' list\n"
"                         plus ?: empty,#N/A,#N/A N/A,#NA,-1.#IND,-1.#QNAN,-NaN,-nan,\n"
"                         1.#IND,1.#QNAN,<NA>,N/A,NA,NULL,NaN,None,n/a,nan,null,?)\n"
"  --no-header            the first line is data; columns are named 1, 2, ...\n"
"  --names COLS           comma-separated column names (replace the header's)\n"
"  --no-trim              keep the spaces after separators (by default dropped when\n"
"                         every separator of the first line is followed by a space)\n"
"  --encoding E           utf-8 (default, checked), latin1 or cp1252 (read as UTF-8)\n"
"  --skip-lines N         skip N lines before the header (or the first row)\n"
"  -q, --quiet            no warnings on stderr\n"
"  -h, --help             this help\n"
"      --version          version\n"
"\n"
"Exit status: 0 ok, 1 a check failed, 2 usage, 3 bad input, 5 output error.\n";

enum {
	OPT_LABEL = 256, OPT_PRED, OPT_SCORE, OPT_THRESHOLD, OPT_PROTECTED, OPT_POSITIVE,
	OPT_FAVORABLE, OPT_REFERENCE, OPT_INTERSECT, OPT_BINS, OPT_WEIGHTS, OPT_SCORE_BINS,
	OPT_CI, OPT_CI_METHOD, OPT_BOOTSTRAP, OPT_SEED, OPT_MIN_GROUP, OPT_FOUR_FIFTHS,
	OPT_FORMAT, OPT_VERSION
};

static const struct option longopts[] = {
	{ "bins", required_argument, NULL, OPT_BINS },
	{ "bootstrap", required_argument, NULL, OPT_BOOTSTRAP },
	{ "ci", required_argument, NULL, OPT_CI },
	{ "ci-method", required_argument, NULL, OPT_CI_METHOD },
	{ "encoding", required_argument, NULL, AUD_CSVOPT_ENCODING },
	{ "favorable", required_argument, NULL, OPT_FAVORABLE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "four-fifths", required_argument, NULL, OPT_FOUR_FIFTHS },
	{ "help", no_argument, NULL, 'h' },
	{ "intersect", no_argument, NULL, OPT_INTERSECT },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "min-group-size", required_argument, NULL, OPT_MIN_GROUP },
	{ "na", required_argument, NULL, AUD_CSVOPT_NA },
	{ "names", required_argument, NULL, AUD_CSVOPT_NAMES },
	{ "no-header", no_argument, NULL, AUD_CSVOPT_NO_HEADER },
	{ "no-trim", no_argument, NULL, AUD_CSVOPT_NO_TRIM },
	{ "positive", required_argument, NULL, OPT_POSITIVE },
	{ "pred", required_argument, NULL, OPT_PRED },
	{ "protected", required_argument, NULL, OPT_PROTECTED },
	{ "quiet", no_argument, NULL, 'q' },
	{ "reference", required_argument, NULL, OPT_REFERENCE },
	{ "score", required_argument, NULL, OPT_SCORE },
	{ "score-bins", required_argument, NULL, OPT_SCORE_BINS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "skip-lines", required_argument, NULL, AUD_CSVOPT_SKIP_LINES },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "weights", required_argument, NULL, OPT_WEIGHTS },
	AUD_CLICHECK_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

/* Growable arrays of the repeatable options. */
struct args {
	char **prot;
	size_t nprot;
	struct aud_fairness_reference *refs;
	char **refbuf;
	size_t nrefs;
	struct aud_fairness_bins *bins;
	struct aud_bins **parsed_bins;  /* owners of the bins' strings and edges */
	size_t nbins;
};

static void *
push(void *arr, size_t n, size_t size)
{
	return realloc(arr, (n + 1) * size);
}

static void
args_release(struct args *a)
{
	size_t i;

	for (i = 0; i < a->nprot; i++)
		free(a->prot[i]);
	free(a->prot);
	for (i = 0; i < a->nrefs; i++)
		free(a->refbuf[i]);
	free(a->refbuf);
	free(a->refs);
	for (i = 0; i < a->nbins; i++)
		aud_bins_free(a->parsed_bins[i]);
	free(a->parsed_bins);
	free(a->bins);
}

/* --protected a,b,c (repeatable). 0, or an exit status. */
static int
add_protected(struct args *a, const char *s)
{
	const char *p = s;

	for (;;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		char **np;

		if (len == 0)
			return aud_cli_usage_error(prog, "--protected: empty column name in '%s'", s);
		np = push(a->prot, a->nprot, sizeof(*np));
		if (np == NULL)
			return AUD_EXIT_INTERNAL;
		a->prot = np;
		a->prot[a->nprot] = strndup(p, len);
		if (a->prot[a->nprot] == NULL)
			return AUD_EXIT_INTERNAL;
		a->nprot++;
		if (c == NULL)
			return 0;
		p = c + 1;
	}
}

/* --reference ATTR=GROUP */
static int
add_reference(struct args *a, const char *s)
{
	const char *eq = strchr(s, '=');
	void *np;
	char *buf;

	if (eq == NULL || eq == s || eq[1] == '\0')
		return aud_cli_usage_error(prog, "--reference: expected ATTRIBUTE=GROUP, got '%s'", s);
	buf = strdup(s);
	if (buf == NULL)
		return AUD_EXIT_INTERNAL;
	np = push(a->refbuf, a->nrefs, sizeof(*a->refbuf));
	if (np == NULL) {
		free(buf);
		return AUD_EXIT_INTERNAL;
	}
	a->refbuf = np;
	a->refbuf[a->nrefs] = buf;
	np = push(a->refs, a->nrefs, sizeof(*a->refs));
	if (np == NULL) {
		free(buf);
		return AUD_EXIT_INTERNAL;
	}
	a->refs = np;
	buf[eq - s] = '\0';
	a->refs[a->nrefs].attribute = buf;
	a->refs[a->nrefs].group = buf + (eq - s) + 1;
	a->nrefs++;
	return 0;
}

/* --bins COL=E1,E2,... or COL=<=E1,<=E2,... (bins.h) */
static int
add_bins(struct args *a, const char *s)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_bins *b = NULL;
	void *np;

	if (aud_bins_parse(&b, s, "--bins", &err) < 0)
		return err.code == AUD_ENOMEM ? aud_cli_report(prog, &err) :
		    aud_cli_usage_error(prog, "%s", err.msg);
	np = push(a->bins, a->nbins, sizeof(*a->bins));
	if (np == NULL)
		goto oom;
	a->bins = np;
	np = push(a->parsed_bins, a->nbins, sizeof(*a->parsed_bins));
	if (np == NULL)
		goto oom;
	a->parsed_bins = np;
	a->bins[a->nbins].column = b->column;
	a->bins[a->nbins].nedges = b->nedges;
	a->bins[a->nbins].edges = b->edges;
	a->bins[a->nbins].edge_text = b->edge_text;
	a->bins[a->nbins].right = b->right;
	a->parsed_bins[a->nbins] = b;
	a->nbins++;
	return 0;
oom:
	aud_bins_free(b);
	return AUD_EXIT_INTERNAL;
}

static void
progress_cb(uint64_t bytes, void *payload)
{
	aud_progress_update(payload, bytes);
}

/* The "params" of the envelope. */
static int
put_params(cJSON *p, const struct aud_fairness_options *o,
    const struct aud_fairness_columns *c, const struct args *a,
    const struct aud_cli_checks *chk, enum aud_four_fifths ff)
{
	cJSON *x;
	size_t i, j;

#define STR_OR_NULL(k, v) ((v) ? cJSON_AddStringToObject(p, k, v) : cJSON_AddNullToObject(p, k))
	if (STR_OR_NULL("label", c->label) == NULL || STR_OR_NULL("pred", c->pred) == NULL ||
	    STR_OR_NULL("score", c->score) == NULL || STR_OR_NULL("weights", c->weights) == NULL)
		return -1;
	if (!c->pred && aud_json_add_number(p, "threshold", o->threshold) == NULL)
		return -1;
	x = cJSON_AddArrayToObject(p, "protected");
	for (i = 0; x != NULL && i < a->nprot; i++)
		if (!cJSON_AddItemToArray(x, cJSON_CreateString(a->prot[i])))
			return -1;
	if (x == NULL || cJSON_AddStringToObject(p, "positive", o->positive) == NULL ||
	    cJSON_AddStringToObject(p, "favorable", o->favorable) == NULL ||
	    cJSON_AddBoolToObject(p, "intersect", o->intersect) == NULL)
		return -1;
	x = cJSON_AddObjectToObject(p, "reference");
	for (i = 0; x != NULL && i < a->nrefs; i++)
		if (cJSON_AddStringToObject(x, a->refs[i].attribute, a->refs[i].group) == NULL)
			return -1;
	x = x ? cJSON_AddObjectToObject(p, "bins") : NULL;
	for (i = 0; x != NULL && i < a->nbins; i++) {
		cJSON *e = cJSON_AddArrayToObject(x, a->bins[i].column);

		for (j = 0; e != NULL && j < a->bins[i].nedges; j++)
			if (!cJSON_AddItemToArray(e, aud_json_number(a->bins[i].edges[j])))
				return -1;
		if (e == NULL)
			return -1;
	}
	if (x != NULL && a->nbins > 0) {
		/* which side each column's bins are closed on (as audit-robust and audit-explain say) */
		cJSON *bc = cJSON_AddObjectToObject(p, "bins_closed");

		for (i = 0; bc != NULL && i < a->nbins; i++)
			if (cJSON_AddStringToObject(bc, a->bins[i].column,
			    a->bins[i].right ? "right" : "left") == NULL)
				return -1;
		if (bc == NULL)
			return -1;
	}
	if (x == NULL || aud_json_add_number(p, "score_bins", (double)o->score_bins) == NULL ||
	    aud_json_add_number(p, "ci", o->ci_level) == NULL ||
	    cJSON_AddStringToObject(p, "ci_method",
	    o->ci_method == AUD_CI_BOOTSTRAP ? "bootstrap" : "wilson") == NULL ||
	    aud_json_add_number(p, "bootstrap", o->ci_method == AUD_CI_BOOTSTRAP ?
	    (double)o->bootstrap : 0.0) == NULL ||
	    aud_json_add_number(p, "seed", (double)o->seed) == NULL ||
	    aud_json_add_number(p, "min_group_size", (double)o->min_group_size) == NULL ||
	    cJSON_AddStringToObject(p, "four_fifths", ff == AUD_FOUR_FIFTHS_BAND ? "band" : "eeoc") == NULL)
		return -1;
	x = cJSON_AddArrayToObject(p, "checks");
	for (i = 0; x != NULL && i < chk->nargs; i++)
		if (!cJSON_AddItemToArray(x, cJSON_CreateString(aud_expr_text(
		    aud_check_set_expr(chk->set, i)))))
			return -1;
	if (x == NULL || STR_OR_NULL("policy", chk->policy) == NULL)
		return -1;
#undef STR_OR_NULL
	return 0;
}

int
main(int argc, char **argv)
{
	struct aud_fairness_options o = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairness_columns cols = { NULL, NULL, NULL, NULL };
	struct aud_csv_options copts = AUD_CSV_OPTIONS_INIT;
	struct aud_csvopt_notice_ctx notice = { "audit-fair", 0 };
	struct aud_error err = AUD_ERROR_INIT;
	struct args a;
	struct aud_fairness *f = NULL;
	struct aud_csv *csv = NULL;
	struct aud_output *out = NULL;
	struct aud_progress *prog_bar = NULL;
	struct aud_cli_checks chk = AUD_CLI_CHECKS_INIT;
	cJSON *doc = NULL, *w;
	const char *out_path = NULL, *favorable = NULL, *input;
	enum aud_format format;
	enum aud_four_fifths ff = AUD_FOUR_FIFTHS_EEOC;
	int have_format = 0, quiet = 0, ch, status = AUD_EXIT_OK, rc;
	long l;
	char sha[65];
	time_t now;

	aud_init();
	if (aud_cli_init(&err) < 0)
		return aud_cli_report(prog, &err);
	memset(&a, 0, sizeof(a));
	aud_fairness_check_resolver(&chk.resolver, &ff);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":d:ho:q", longopts, NULL)) != -1) {
		status = AUD_EXIT_OK;
		switch (ch) {
		case 'd':
		case AUD_CSVOPT_NA:
		case AUD_CSVOPT_NO_HEADER:
		case AUD_CSVOPT_NAMES:
		case AUD_CSVOPT_NO_TRIM:
		case AUD_CSVOPT_ENCODING:
		case AUD_CSVOPT_SKIP_LINES:
			if (aud_csvopt_set(&copts, ch, optarg, &err) < 0)
				status = aud_cli_usage_error(prog, "%s", err.msg);
			break;
		case 'h':
			fputs(usage_text, stdout);
			status = fflush(stdout) == EOF || ferror(stdout) ? AUD_EXIT_OUTPUT : AUD_EXIT_OK;
			goto done;
		case 'o':
			out_path = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case OPT_VERSION:
			aud_cli_version(prog);
			status = fflush(stdout) == EOF || ferror(stdout) ? AUD_EXIT_OUTPUT : AUD_EXIT_OK;
			goto done;
		case OPT_LABEL:
			cols.label = optarg;
			break;
		case OPT_PRED:
			cols.pred = optarg;
			break;
		case OPT_SCORE:
			cols.score = optarg;
			break;
		case OPT_WEIGHTS:
			cols.weights = optarg;
			break;
		case OPT_THRESHOLD:
			if (aud_parse_double(&o.threshold, optarg, -1e300, 1e300, "--threshold", &err) < 0)
				status = aud_cli_usage_error(prog, "%s", err.msg);
			break;
		case OPT_PROTECTED:
			status = add_protected(&a, optarg);
			break;
		case OPT_POSITIVE:
			o.positive = optarg;
			break;
		case OPT_FAVORABLE:
			favorable = optarg;
			break;
		case OPT_REFERENCE:
			status = add_reference(&a, optarg);
			break;
		case OPT_INTERSECT:
			o.intersect = 1;
			break;
		case OPT_BINS:
			status = add_bins(&a, optarg);
			break;
		case OPT_SCORE_BINS:
			if (aud_parse_long(&l, optarg, 2, 1000000, "--score-bins", &err) < 0)
				status = aud_cli_usage_error(prog, "%s", err.msg);
			o.score_bins = (size_t)l;
			break;
		case OPT_CI:
			if (aud_parse_double(&o.ci_level, optarg, 0.5, 0.9999, "--ci", &err) < 0)
				status = aud_cli_usage_error(prog, "%s", err.msg);
			break;
		case OPT_CI_METHOD:
			if (strcmp(optarg, "wilson") == 0)
				o.ci_method = AUD_CI_WILSON;
			else if (strcmp(optarg, "bootstrap") == 0)
				o.ci_method = AUD_CI_BOOTSTRAP;
			else
				status = aud_cli_usage_error(prog,
				    "--ci-method: expected wilson or bootstrap, got '%s'", optarg);
			break;
		case OPT_BOOTSTRAP:
			if (aud_parse_long(&l, optarg, 10, 100000, "--bootstrap", &err) < 0)
				status = aud_cli_usage_error(prog, "%s", err.msg);
			o.bootstrap = (unsigned int)l;
			break;
		case OPT_SEED:
			if (aud_parse_seed(&o.seed, optarg, &err) < 0)
				status = aud_cli_usage_error(prog, "%s", err.msg);
			break;
		case OPT_MIN_GROUP:
			if (aud_parse_long(&l, optarg, 0, 2147483647L, "--min-group-size", &err) < 0)
				status = aud_cli_usage_error(prog, "%s", err.msg);
			o.min_group_size = (uint64_t)l;
			break;
		case OPT_FOUR_FIFTHS:
			if (strcmp(optarg, "eeoc") == 0)
				ff = AUD_FOUR_FIFTHS_EEOC;
			else if (strcmp(optarg, "band") == 0)
				ff = AUD_FOUR_FIFTHS_BAND;
			else
				status = aud_cli_usage_error(prog,
				    "--four-fifths: expected eeoc or band, got '%s'", optarg);
			break;
		case AUD_CLICHECK_CHECK:
		case AUD_CLICHECK_POLICY:
		case AUD_CLICHECK_ALLOW_UNDEFINED:
		case AUD_CLICHECK_JUNIT:
			status = aud_cli_checks_option(&chk, prog, ch, optarg);
			break;
		case OPT_FORMAT:
			if (aud_parse_format(&format, optarg, &err) < 0)
				status = aud_cli_usage_error(prog, "%s", err.msg);
			have_format = 1;
			break;
		case ':':
			status = aud_cli_usage_error(prog, "option '%s' needs an argument",
			    argv[optind - 1]);
			break;
		default:
			if (optopt != 0 && optopt < 256)
				status = aud_cli_usage_error(prog, "unknown option '-%c'", optopt);
			else
				status = aud_cli_usage_error(prog, "unknown option '%s'",
				    argv[optind - 1]);
			break;
		}
		if (status != AUD_EXIT_OK)
			goto done;
	}
	if (argc - optind > 1) {
		status = aud_cli_usage_error(prog, "one input file at most (got %d)", argc - optind);
		goto done;
	}
	if (cols.label == NULL) {
		status = aud_cli_usage_error(prog, "--label is required");
		goto done;
	}
	if (a.nprot == 0) {
		status = aud_cli_usage_error(prog, "--protected is required");
		goto done;
	}
	if (cols.pred == NULL && cols.score == NULL) {
		status = aud_cli_usage_error(prog, "give --pred, --score or both");
		goto done;
	}
	if (o.score_bins > 0 && cols.score == NULL) {
		status = aud_cli_usage_error(prog, "--score-bins needs --score");
		goto done;
	}
	if (!have_format)
		format = aud_default_format(out_path);
	input = optind < argc ? argv[optind] : "-";
	{
		const struct aud_cli_file outs[] = { { "-o", out_path } };
		const struct aud_cli_file ins[] = {
			{ "the input", input }
		};

		status = aud_cli_check_files(prog, outs, 1, ins, 1);
		if (status == AUD_EXIT_OK)
			status = aud_cli_checks_prepare(&chk, prog, out_path, input);
		if (status != AUD_EXIT_OK)
			goto done;
	}
	o.protected = (const char *const *)a.prot;
	o.nprotected = a.nprot;
	o.bins = a.bins;
	o.nbins = a.nbins;
	o.refs = a.refs;
	o.nrefs = a.nrefs;
	o.has_pred = cols.pred != NULL;
	o.has_score = cols.score != NULL;
	o.has_weights = cols.weights != NULL;
	o.favorable = favorable != NULL ? favorable : o.positive;
	rc = aud_fairness_new(&f, &o, &err);
	if (rc < 0) {
		status = rc == AUD_EINVAL ? aud_cli_usage_error(prog, "%s", err.msg) :
		    aud_cli_report(prog, &err);
		goto done;
	}
	notice.quiet = quiet;
	copts.notice = aud_csvopt_notice;
	copts.notice_payload = &notice;
	rc = aud_cli_time(&now, getenv("SOURCE_DATE_EPOCH"), &err);
	if (rc == 0)
		rc = aud_output_open(&out, out_path, &err);
	if (rc == 0)
		rc = aud_csv_open(&csv, input, &copts, &err);
	if (rc == 0)
		rc = aud_progress_new(&prog_bar, "audit-fair", aud_csv_size(csv),
		    aud_stderr_is_tty() && !quiet, &err);
	if (rc == 0)
		rc = aud_fairness_read_csv(f, csv, &cols, progress_cb, prog_bar, &err);
	if (rc == 0)
		rc = aud_csv_sha256(csv, sha, &err);
	aud_progress_free(prog_bar);
	prog_bar = NULL;
	if (rc == 0) {
		struct aud_input_info info;

		info.path = input;
		info.rows = aud_csv_rows(csv);
		info.sha256 = sha;
		rc = aud_envelope_new(&doc, prog, "audit.fairness/1", now, &info, &err);
	}
	if (rc == 0 && put_params(aud_envelope_params(doc), &o, &cols, &a, &chk, ff) < 0)
		rc = AUD_ERROR(&err, AUD_ENOMEM, "out of memory");
	if (rc == 0)
		rc = aud_fairness_finish(f, aud_envelope_results(doc), aud_envelope_warnings(doc), &err);
	if (rc < 0) {
		status = rc == AUD_EINVAL ? aud_cli_usage_error(prog, "%s", err.msg) :
		    aud_cli_report(prog, &err);
		goto done;
	}
	status = aud_cli_checks_run(&chk, prog, 1, doc); /* its warnings are printed below */
	if (status != AUD_EXIT_OK)
		goto done;
	cJSON_ArrayForEach(w, aud_envelope_warnings(doc))
		aud_cli_warn(prog, quiet, "%s", w->valuestring);
	if (format == AUD_FORMAT_JSON)
		rc = aud_json_write(doc, aud_output_stream(out), &err);
	else
		rc = aud_fairness_write(doc, format, aud_output_stream(out), &err);
	if (rc < 0) {
		status = aud_cli_report(prog, &err);
		goto done;
	}
	status = aud_cli_checks_commit(&chk, prog, doc, &out, 1);
done:
	aud_progress_free(prog_bar);
	aud_cli_checks_release(&chk);
	cJSON_Delete(doc);
	aud_output_free(out);
	aud_csv_free(csv);
	aud_fairness_free(f);
	args_release(&a);
	return status;
}
