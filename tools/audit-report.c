/*
 * audit-report — draw the audit report (PDF or HTML) from the tools' JSON
 * documents. The report is libaudit's report module; this file parses the
 * options, reads the documents and writes the report atomically.
 */
#include <limits.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <audit/cli.h>
#include <audit/opt.h>
#include <audit/report.h>

struct args {
	struct aud_report_options o;
	const char *card;
	enum aud_decision decision;
	int view;              /* --format table|md|csv: print the text views, not a PDF */
	int html;              /* --format html, or -o FILE.html without --format */
	int format_set;        /* --format was given */
	struct aud_cli_out out;
};

/* --paper: a4 or letter, in the words of the report module */
static int
opt_paper(void *dest, const char *arg, const struct aud_opt *opt, struct aud_error *err)
{
	(void)opt;
	return aud_paper_parse(dest, arg, err);
}

/* --decision punitive|assistive */
static int
opt_decision(void *dest, const char *arg, const struct aud_opt *opt, struct aud_error *err)
{
	(void)opt;
	return aud_decision_parse(dest, arg, err);
}

/* --format pdf|html|table|md|csv (json is what the documents already are) */
static int
opt_view(void *dest, const char *arg, const struct aud_opt *opt, struct aud_error *err)
{
	struct args *a = (struct args *)((char *)dest - offsetof(struct args, view));
	enum aud_format f;

	(void)opt;
	a->format_set = 1;
	a->html = strcmp(arg, "html") == 0;
	a->view = strcmp(arg, "pdf") != 0 && !a->html;
	if (a->view && (aud_parse_format(&f, arg, NULL) < 0 || f == AUD_FORMAT_JSON))
		return AUD_ERROR(err, AUD_EINVAL,
		    "--format: '%s' is not one of pdf, html, table, md, csv", arg);
	if (a->view)
		a->out.format = (int)f;
	return 0;
}

#define A struct args
static const struct aud_opt spec[] = {
	AUD_OPT_SECTION_("Report"),
	AUD_OPT_STRING_(0, "title", "T", A, o.title, 0,
	    "the report's title, UTF-8\n(default \"Responsible-AI audit report\")"),
	AUD_OPT_STRING_(0, "model-card", "FILE", A, card, 0,
	    "a model card as JSON (Mitchell et al. sections)"),
	AUD_OPT_CALL_(0, "paper", "SIZE", A, o.paper, opt_paper, 0, 0,
	    "a4 or letter (default a4)"),
	AUD_OPT_STRING_(0, "font", "FONT", A, o.font, 0,
	    "the font: a family found through fontconfig or a\n"
	    "TrueType file (default \"DejaVu Sans\")"),
	AUD_OPT_STRING_(0, "bold-font", "FONT", A, o.bold_font, 0,
	    "the bold font, the same way (default: the bold\n"
	    "face of --font's family)"),
	AUD_OPT_CALL_(0, "decision", "KIND", A, decision, opt_decision, 0, 0,
	    "punitive or assistive: the fairness findings lead\n"
	    "with FPR and FDR, or with FNR and FOR (default:\n"
	    "the model card's intended_use.decision, else the\n"
	    "selection rate)"),
	AUD_OPT_CALL_(0, "format", "F", A, view, opt_view, 0, 0,
	    "pdf (the default, or html when -o names a .html\n"
	    "file); html: the same report as one\n"
	    "self-contained HTML file (inline SVG, no script);\n"
	    "or table, md or csv: print each document's text\n"
	    "view instead, as the tool that wrote it prints it\n"
	    "(nothing is run again)"),
	AUD_OPT_SECTION_("Output"),
	AUD_OPTS_OUTPUT_FILE(A, out),
	AUD_OPTS_GENERAL(A, out),
	AUD_OPT_END_
};
#undef A

static const struct aud_tool tool = {
	"audit-report", "[-q] [-o FILE.pdf] [--title T] [--model-card CARD.json]\n"
	"[--paper a4|letter] [--format html] [--font FONT]\n"
	"[--bold-font FONT] [--decision punitive|assistive]\n"
	"RESULT.json...\n"
	"|--format table|md|csv [-o FILE] RESULT.json...",
	"Draw one audit report (PDF or HTML) from any set of the JSON documents\n"
	"written by audit-fair, audit-robust, audit-explain, audit-mitigate,\n"
	"audit-data and audit-slice: cover with the overall verdict, executive\n"
	"summary of every check, data and model, data quality and drift, fairness\n"
	"(binary, multi-class and regression), slices, mitigation (before and\n"
	"after, the trade-off chart), robustness, explanations, model card,\n"
	"definitions and provenance. The verdict counts the requested checks\n"
	"(--check, --policy) once each, as the tools' exit status does; the\n"
	"four-fifths rule reported unasked is listed apart.\n",
	"Standard output, the default, must not be a terminal.\n"
	"SOURCE_DATE_EPOCH, when set, gives the report's date: the same inputs give\n"
	"the same bytes.\n"
	"A character the font lacks (Chinese, Japanese, Korean, ...) is drawn with the\n"
	"first installed font that has it. Characters no installed font draws\n"
	"faithfully (emoji, right-to-left scripts, private use, invisible or\n"
	"look-alike characters) are drawn as placeholders such as\n"
	"\xE2\x9F\xA6U+E000\xE2\x9F\xA7, with one warning; very long texts are cut with a "
	"visible mark.\n"
	"Exit status 2 when --font or --bold-font names a family fontconfig does not\n"
	"find, 3 when a font file cannot be read or the default font is not installed.\n",
	INT_MAX
};

/* Whether s ends with the suffix (ASCII letters in any case). */
static int
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix), i;

	if (n < k)
		return 0;
	for (i = 0; i < k; i++) {
		char c = s[n - k + i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != suffix[i])
			return 0;
	}
	return 1;
}

/* --format table|md|csv: each document's text view, one after the other. */
static int
view(const struct args *a, const char *const *docs, size_t ndocs, struct aud_error *err)
{
	struct aud_output *out = NULL;
	size_t i;
	int rc;

	rc = aud_output_open(&out, a->out.path, err);
	for (i = 0; rc == 0 && i < ndocs; i++) {
		if (i > 0 && a->out.format != AUD_FORMAT_CSV)
			fputc('\n', aud_output_stream(out));
		rc = aud_report_print_file(aud_output_stream(out), docs[i],
		    (enum aud_format)a->out.format, err);
	}
	if (rc == 0)
		rc = aud_output_commit(out, err);
	aud_output_free(out);
	return rc;
}

/* Read the documents and the card, draw, write the PDF (or the HTML). */
static int
report(struct args *a, const char *const *docs, size_t ndocs, struct aud_error *err)
{
	struct aud_report *r = NULL;
	struct aud_output *out = NULL;
	unsigned char *pdf = NULL;
	size_t len = 0, i;
	int rc;

	a->o.generator = "audit-report " AUD_VERSION;
	rc = aud_cli_time(&a->o.created, getenv("SOURCE_DATE_EPOCH"), err);
	if (rc == 0)
		rc = aud_report_new(&r, &a->o, err);
	for (i = 0; rc == 0 && i < ndocs; i++)
		rc = aud_report_add_file(r, docs[i], err);
	if (rc == 0 && a->card != NULL)
		rc = aud_report_set_model_card(r, a->card, err);
	if (rc == 0)
		aud_report_set_decision(r, a->decision);
	if (rc == 0)
		rc = a->html ? aud_report_render_html(&pdf, &len, r, err) :
		    aud_report_render(&pdf, &len, r, err);
	if (rc == 0 && aud_report_warning(r) != NULL)
		aud_cli_warn(tool.name, a->out.quiet, "%s", aud_report_warning(r));
	/* Opened only now: a failed run never creates the file. */
	if (rc == 0)
		rc = aud_output_open(&out, a->out.path, err);
	if (rc == 0 && fwrite(pdf, 1, len, aud_output_stream(out)) != len)
		rc = AUD_ERROR(err, AUD_EOUTPUT, "cannot write '%s'",
		    a->out.path != NULL ? a->out.path : "standard output");
	if (rc == 0)
		rc = aud_output_commit(out, err);
	aud_output_free(out);
	free(pdf);
	aud_report_free(r);
	return rc;
}

int
main(int argc, char **argv)
{
	struct aud_report_options dflt = AUD_REPORT_OPTIONS_INIT;
	struct aud_cli_out out = AUD_CLI_OUT_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	const char **docs = NULL;
	struct args a;
	size_t n = 0, i;
	int status;

	aud_init();
	if (aud_cli_init(&err) < 0)
		return aud_cli_report(tool.name, &err);
	memset(&a, 0, sizeof(a));
	a.o = dflt;
	a.out = out;
	docs = calloc((size_t)argc + 1, sizeof(*docs));
	if (docs == NULL) {
		AUD_ERROR(&err, AUD_ENOMEM, "out of memory");
		return aud_cli_report(tool.name, &err);
	}
	if (aud_opt_parse(&tool, spec, &a, argc, argv, docs, &n, &status))
		goto done;
	status = n == 0 ? aud_cli_usage_error(tool.name,
	    "no result document given (RESULT.json...)") : AUD_EXIT_OK;
	for (i = 0; i < n && status == AUD_EXIT_OK; i++) {
		const struct aud_cli_file outs[] = { { "-o", a.out.path } };
		const struct aud_cli_file ins[] = {
			{ "a result document", docs[i] }, { "--model-card", a.card }
		};

		status = aud_cli_check_files(tool.name, outs, 1, ins, 2);
	}
	if (!a.format_set && a.out.path != NULL && (has_suffix(a.out.path, ".html") ||
	    has_suffix(a.out.path, ".htm")))
		a.html = 1;
	if (status == AUD_EXIT_OK && a.view) {
		if (view(&a, docs, n, &err) < 0)
			status = aud_cli_report(tool.name, &err);
		goto done;
	}
	if (status == AUD_EXIT_OK && (a.out.path == NULL || strcmp(a.out.path, "-") == 0) &&
	    isatty(STDOUT_FILENO))
		status = aud_cli_usage_error(tool.name,
		    a.html ? "refusing to write HTML to a terminal: use -o FILE.html" :
		    "refusing to write a PDF to a terminal: use -o FILE.pdf");
	if (status == AUD_EXIT_OK && report(&a, docs, n, &err) < 0)
		status = aud_cli_report(tool.name, &err);
done:
	free(docs);
	return status;
}
