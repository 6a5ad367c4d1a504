/*
 * audit-report — draw the PDF audit report from the tools' JSON documents
 * (SPEC 11). The report is libaudit's report module; this file only parses
 * options, reads the documents and writes the PDF atomically.
 */
#include <audit/cli.h>
#include <audit/error.h>
#include <audit/report.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *prog = "audit-report";

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: audit-report [-hq] -o FILE.pdf [--title T] [--model-card CARD.json]\n"
	    "                    [--paper a4|letter] RESULT.json...\n"
	    "       audit-report --format table|md|csv [-o FILE] RESULT.json...\n"
	    "\n"
	    "Draw one PDF audit report from any set of the JSON documents written by\n"
	    "audit-fair, audit-robust and audit-explain: cover with the overall verdict,\n"
	    "executive summary of every check, data and model, fairness, robustness,\n"
	    "explanations, model card, definitions and provenance. The verdict counts\n"
	    "the requested checks (--check, --policy) once each, as the tools' exit\n"
	    "status does; the four-fifths rule reported unasked is listed apart.\n"
	    "\n"
	    "  -o, --output FILE     write the PDF to FILE atomically (default: standard\n"
	    "                        output, which must not be a terminal)\n"
	    "      --title T         the report's title, UTF-8\n"
	    "                        (default \"Responsible-AI audit report\")\n"
	    "      --model-card FILE a model card as JSON (Mitchell et al. sections)\n"
	    "      --paper SIZE      a4 or letter (default a4)\n"
	    "      --format F        pdf (default), or table, md or csv: print each\n"
	    "                        document's text view instead, as the tool that\n"
	    "                        wrote it prints it (nothing is run again)\n"
	    "  -q, --quiet           no warnings\n"
	    "  -h, --help            print this help and exit\n"
	    "      --version         print the version and exit\n"
	    "\n"
	    "SOURCE_DATE_EPOCH, when set, gives the report's date: the same inputs give\n"
	    "the same bytes.\n"
	    "Characters the font cannot draw faithfully (CJK, emoji, right-to-left\n"
	    "scripts, invisible or look-alike characters) are drawn as placeholders such\n"
	    "as \xE2\x9F\xA6U+4E2D\xE2\x9F\xA7, with one warning; very long texts are cut with a visible mark.\n"
	    "Exit status: 0 ok, 2 usage error, 3 bad input (unreadable or malformed JSON,\n"
	    "unknown schema, model card of the wrong shape, font missing), 5 output\n"
	    "cannot be written, 6 internal error.\n");
}

enum { OPT_TITLE = 256, OPT_CARD, OPT_PAPER, OPT_VERSION, OPT_FORMAT };

static const struct option longopts[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	{ "model-card", required_argument, NULL, OPT_CARD },
	{ "output", required_argument, NULL, 'o' },
	{ "paper", required_argument, NULL, OPT_PAPER },
	{ "quiet", no_argument, NULL, 'q' },
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	struct aud_report_options opts = AUD_REPORT_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_report *report = NULL;
	struct aud_output *out = NULL;
	unsigned char *pdf = NULL;
	size_t len = 0;
	const char *out_path = NULL, *card = NULL;
	int c, i, rc = 0, quiet = 0, status = AUD_EXIT_OK, view = 0;
	enum aud_format fmt = AUD_FORMAT_TABLE;

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
		case OPT_TITLE:
			opts.title = optarg;
			break;
		case OPT_CARD:
			card = optarg;
			break;
		case OPT_PAPER:
			rc = aud_paper_parse(&opts.paper, optarg, &err);
			break;
		case OPT_FORMAT:
			view = strcmp(optarg, "pdf") != 0;
			if (view && (aud_parse_format(&fmt, optarg, NULL) < 0 || fmt == AUD_FORMAT_JSON))
				rc = AUD_ERROR(&err, AUD_EINVAL,
				    "--format: '%s' is not one of pdf, table, md, csv", optarg);
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
	if (optind >= argc) {
		status = aud_cli_usage_error(prog, "no result document given (RESULT.json...)");
		goto done;
	}
	for (i = optind; i < argc; i++) {
		const struct aud_cli_file outs[] = { { "-o", out_path } };
		const struct aud_cli_file ins[] = {
			{ "a result document", argv[i] }, { "--model-card", card }
		};

		status = aud_cli_check_files(prog, outs, 1, ins, 2);
		if (status != AUD_EXIT_OK)
			goto done;
	}
	if (view) {
		rc = aud_output_open(&out, out_path, &err);
		for (i = optind; rc == 0 && i < argc; i++) {
			if (i > optind && fmt != AUD_FORMAT_CSV)
				fputc('\n', aud_output_stream(out));
			rc = aud_report_print_file(aud_output_stream(out), argv[i], fmt, &err);
		}
		if (rc == 0)
			rc = aud_output_commit(out, &err);
		if (rc < 0)
			goto fail;
		goto done;
	}
	if ((out_path == NULL || strcmp(out_path, "-") == 0) && isatty(STDOUT_FILENO)) {
		status = aud_cli_usage_error(prog,
		    "refusing to write a PDF to a terminal: use -o FILE.pdf");
		goto done;
	}
	rc = aud_cli_time(&opts.created, getenv("SOURCE_DATE_EPOCH"), &err);
	if (rc < 0)
		goto fail;
	opts.generator = "audit-report " AUD_VERSION;
	rc = aud_report_new(&report, &opts, &err);
	if (rc < 0)
		goto fail;
	for (i = optind; i < argc; i++) {
		rc = aud_report_add_file(report, argv[i], &err);
		if (rc < 0)
			goto fail;
	}
	if (card != NULL) {
		rc = aud_report_set_model_card(report, card, &err);
		if (rc < 0)
			goto fail;
	}
	rc = aud_report_render(&pdf, &len, report, &err);
	if (rc < 0)
		goto fail;
	if (aud_report_warning(report) != NULL)
		aud_cli_warn(prog, quiet, "%s", aud_report_warning(report));
	/* Opened only now: a failed run never creates the file. */
	rc = aud_output_open(&out, out_path, &err);
	if (rc < 0)
		goto fail;
	if (fwrite(pdf, 1, len, aud_output_stream(out)) != len) {
		rc = AUD_ERROR(&err, AUD_EOUTPUT, "cannot write '%s'",
		    out_path != NULL ? out_path : "standard output");
		goto fail;
	}
	rc = aud_output_commit(out, &err);
	if (rc < 0)
		goto fail;
	goto done;
fail:
	status = aud_cli_report(prog, &err);
done:
	aud_output_free(out);
	free(pdf);
	aud_report_free(report);
	return status;
}
