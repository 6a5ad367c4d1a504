/*
 * audit-data — the data itself: what each column holds (profile), whether a
 * file keeps a schema's promises (check), whether it drifted from a
 * reference (drift). The first argument names the subcommand; each has its
 * own option table (and `audit-data SUBCOMMAND --help`); `audit-data --help`
 * shows them all. The work is libaudit's data_job module.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/cli.h>
#include <audit/csvopt.h>
#include <audit/data_job.h>
#include <audit/job.h>
#include <audit/opt.h>

struct args {
	struct aud_strlist columns;
	int sketch;
	double sketch_eps;
	size_t max_categories, top;
	const char *emit_schema, *schema, *rows_out;
	const char *reference, *pred, *label, *by, *window, *strip_suffix;
	unsigned long ref_skip;
	int method;
	double threshold, share;
	struct aud_cli_checks checks;
	struct aud_csv_options csv;
	struct aud_cli_out out;
};

#define A struct args
#define O_COLUMNS AUD_OPT_LIST_(0, "columns", "COLS", A, columns, 0, \
	"the columns looked at, comma-separated (default:\nall)")
#define O_SKETCH \
	AUD_OPT_FLAG_(0, "sketch", A, sketch, \
	    "keep a quantile sketch of each numeric column\n" \
	    "instead of its values (memory bounded; ranks\n" \
	    "within eps * n)"), \
	AUD_OPT_NUMBER_(0, "sketch-eps", "EPS", A, sketch_eps, 1e-6, 0.25, \
	    "the sketch's rank-error bound (default 0.001)"), \
	AUD_OPT_INT_(0, "max-categories", "N", A, max_categories, 1, 100000000, \
	    "distinct values counted exactly per column\n" \
	    "(default 10000; beyond: estimated)")
#define O_PROFILE \
	AUD_OPT_INT_(0, "top", "N", A, top, 0, 1000000, \
	    "most frequent values listed per categorical\ncolumn (default 10)"), \
	AUD_OPT_STRING_(0, "emit-schema", "FILE", A, emit_schema, AUD_OPT_ONCE, \
	    "also write the schema the data implies (an\neditable JSON file) to FILE")
#define O_SCHEMA(fl) AUD_OPT_STRING_(0, "schema", "FILE", A, schema, (fl) | AUD_OPT_ONCE, \
	"the schema to check against (required)")
#define O_ROWS_OUT AUD_OPT_STRING_(0, "rows-out", "FILE", A, rows_out, AUD_OPT_ONCE, \
	"also write the offending rows (CSV, their\nviolations first) to FILE")
#define O_REFERENCE(fl) \
	AUD_OPT_STRING_(0, "reference", "FILE", A, reference, (fl) | AUD_OPT_ONCE, \
	    "the reference CSV the input is compared with\n(required)"), \
	AUD_OPT_INT_(0, "reference-skip-lines", "N", A, ref_skip, 0, 1000000000, \
	    "skip N lines of the reference before its header\n(default: --skip-lines)")
#define O_DRIFT \
	AUD_OPT_CHOICE_(0, "method", "M", A, method, aud_drift_method_names, \
	    "the deciding test: auto (default: Evidently's\n" \
	    "choice per column), ks, chisquare, z,\n" \
	    "wasserstein, jensenshannon or psi"), \
	AUD_OPT_NUMBER_(0, "threshold", "T", A, threshold, 0, 1e300, \
	    "the test's threshold (default: 0.05 for a\n" \
	    "p-value, 0.1 for a distance or PSI)"), \
	AUD_OPT_NUMBER_(0, "share", "S", A, share, 0, 1, \
	    "dataset drift when drifted / tested columns >= S\n(default 0.5)"), \
	AUD_OPT_STRING_(0, "pred", "COL", A, pred, AUD_OPT_ONCE, \
	    "prediction column: its drift reported apart"), \
	AUD_OPT_STRING_(0, "label", "COL", A, label, AUD_OPT_ONCE, \
	    "label column: its drift reported apart"), \
	AUD_OPT_STRING_(0, "by", "COL", A, by, AUD_OPT_ONCE, \
	    "also compare within each value of COL (a\nprotected attribute)"), \
	AUD_OPT_STRING_(0, "window", "COL[=UNIT]", A, window, AUD_OPT_ONCE, \
	    "compare successive windows of the input: by\n" \
	    "value of COL (default), or day, month, year of\n" \
	    "an ISO 8601 date"), \
	AUD_OPT_STRING_(0, "strip-suffix", "CHARS", A, strip_suffix, AUD_OPT_ONCE, \
	    "drop these trailing characters from categorical\n" \
	    "values of both files (Adult's test labels: '.')")
#define O_CHECKS AUD_OPTS_CHECKS(A, checks)

static const struct aud_opt profile_spec[] = {
	AUD_OPT_SECTION_("Profile"), O_COLUMNS, O_PROFILE, O_SKETCH, O_CHECKS,
	AUD_OPTS_CSV(A, csv), AUD_OPTS_OUTPUT(A, out), AUD_OPT_END_
};
static const struct aud_opt check_spec[] = {
	AUD_OPT_SECTION_("Schema"), O_SCHEMA(AUD_OPT_REQUIRED), O_COLUMNS, O_ROWS_OUT, O_CHECKS,
	AUD_OPTS_CSV(A, csv), AUD_OPTS_OUTPUT(A, out), AUD_OPT_END_
};
static const struct aud_opt drift_spec[] = {
	AUD_OPT_SECTION_("Reference"), O_REFERENCE(AUD_OPT_REQUIRED),
	AUD_OPT_SECTION_("Drift"), O_COLUMNS, O_DRIFT, O_SKETCH, O_CHECKS,
	AUD_OPTS_CSV(A, csv), AUD_OPTS_OUTPUT(A, out), AUD_OPT_END_
};
/* audit-data --help: every subcommand's options, once each */
static const struct aud_opt all_spec[] = {
	AUD_OPT_SECTION_("every subcommand"), O_COLUMNS,
	AUD_OPT_SECTION_("profile and drift"), O_SKETCH,
	AUD_OPT_SECTION_("profile"), O_PROFILE,
	AUD_OPT_SECTION_("check"), O_SCHEMA(0), O_ROWS_OUT,
	AUD_OPT_SECTION_("drift"), O_REFERENCE(0), O_DRIFT,
	O_CHECKS, AUD_OPTS_CSV(A, csv), AUD_OPTS_OUTPUT(A, out), AUD_OPT_END_
};
#undef A

static const struct aud_tool tools[] = {
	{ "audit-data", "profile [OPTION]... [FILE]",
	  "Per column of FILE (a CSV; default: stdin) its kind, missing rate,\n"
	  "distinct values, range, mean, sd, quantiles, top values, constant and\n"
	  "ID-like flags; duplicate rows. Writes an audit.data-profile/1 document and,\n"
	  "with --emit-schema, the schema the data implies.\n", NULL, 1 },
	{ "audit-data", "check --schema FILE [OPTION]... [FILE]",
	  "Check FILE (a CSV; default: stdin) against a schema: every violation\n"
	  "counted per column with its first FILE:LINE, in an audit.data-check/1\n"
	  "document. Exit 1 when any is found.\n", NULL, 1 },
	{ "audit-data", "drift --reference REF [OPTION]... FILE",
	  "Compare each column of FILE (the current data, a file) with the\n"
	  "same column of REF: the drift statistics of its kind, the deciding test,\n"
	  "PSI, and dataset drift, in an audit.drift/1 document.\n", NULL, 1 },
};
static const struct aud_tool all_tool = {
	"audit-data", "SUBCOMMAND [OPTION]... [FILE]",
	"Look at the data itself, with or without a model:\n"
	"  profile  what each column holds; --emit-schema writes a schema\n"
	"  check    whether a file keeps a schema's promises (exit 1 when not)\n"
	"  drift    whether the data moved away from a reference\n"
	"'audit-data SUBCOMMAND --help' shows one subcommand's options.\n",
	"check exits 1 when the input breaks its schema.\n", 64
};
static const struct aud_opt *const specs[] = { profile_spec, check_spec, drift_spec };

static int
run(struct args *a, enum aud_data_command cmd, const char *input, struct aud_error *err)
{
	struct aud_data_options o = AUD_DATA_OPTIONS_INIT;
	struct aud_data_job *job = NULL;
	struct aud_job r;
	int status;

	o.command = cmd;
	o.columns = a->columns.n > 0 ? (const char *const *)a->columns.v : NULL;
	o.ncolumns = a->columns.n;
	o.col.sketch = a->sketch;
	o.col.sketch_eps = a->sketch_eps;
	o.col.max_categories = a->max_categories;
	o.top = a->top;
	o.emit_schema = a->emit_schema;
	o.schema = a->schema;
	o.rows_out = a->rows_out;
	o.reference = a->reference;
	o.reference_skip_set = a->ref_skip != ULONG_MAX;
	o.reference_skip_lines = o.reference_skip_set ? a->ref_skip : 0;
	o.method = (enum aud_drift_method)a->method;
	o.threshold = a->threshold;
	o.share = a->share;
	o.pred = a->pred;
	o.label = a->label;
	o.by = a->by;
	o.window = a->window;
	o.strip_suffix = a->strip_suffix;
	/* check: any violation fails the run, one line per column and kind */
	if (cmd == AUD_DATA_CHECK && aud_strlist_push(&a->checks.exprs, "violations == 0",
	    err) < 0)
		return aud_cli_report(all_tool.name, err);
	if (aud_data_job_new(&job, &o, err) < 0)
		return aud_cli_report(all_tool.name, err);
	memset(&r, 0, sizeof(r));
	r.prog = all_tool.name;
	r.input = input;
	r.csv = a->csv;
	r.out = a->out;
	r.checks = &a->checks;
	if (aud_data_job_describe(job, &r, err) < 0) {
		aud_data_job_free(job);
		return aud_cli_report(all_tool.name, err);
	}
	status = aud_job_run(&r, aud_data_job_ops(job), aud_data_job_self(job));
	aud_data_job_free(job);
	return status;
}

int
main(int argc, char **argv)
{
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
	a.sketch_eps = 0.001;
	a.max_categories = 10000;
	a.top = 10;
	a.ref_skip = ULONG_MAX;
	a.threshold = NAN;
	a.share = 0.5;
	a.csv = csv;
	a.out = out;
	if (aud_opt_parse_sub(&all_tool, all_spec, aud_data_command_names, tools, specs, &a, argc, argv,
	    &k, &input, &nin, &status))
		goto done;
	status = run(&a, (enum aud_data_command)k, input, &err);
done:
	aud_opt_free(all_spec, &a);
	return status;
}
