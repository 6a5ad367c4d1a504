/* test_opt.c — the option front end: table-driven parsing, refusals, generated help. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/cli.h>
#include <audit/opt.h>

#include "runner.h"

struct targs {
	const char *label;
	int flag;
	long count;
	size_t size;
	unsigned threads;
	double level;
	uint64_t seed;
	int method;
	struct aud_strlist prot;
	struct aud_strlist checks;
	struct aud_csv_options csv;
	struct aud_cli_out out;
	struct aud_cli_model model;
};

static const char *const methods[] = { "wilson", "bootstrap", NULL };

#define T struct targs
static const struct aud_opt spec[] = {
	AUD_OPT_SECTION_("Columns"),
	AUD_OPT_STRING_(0, "label", "COL", T, label, AUD_OPT_REQUIRED, "true label"),
	AUD_OPT_LIST_(0, "protected", "COLS", T, prot, 0, "protected columns"),
	AUD_OPT_FLAG_(0, "intersect", T, flag, "intersections"),
	AUD_OPT_INT_(0, "count", "N", T, count, -5, 10, "a count"),
	AUD_OPT_INT_(0, "size", "N", T, size, 1, 1e9, "a size"),
	AUD_OPT_NUMBER_(0, "ci", "LEVEL", T, level, 0.5, 0.9999, "interval level\nsecond line"),
	AUD_OPT_SEED_(T, seed),
	AUD_OPT_CHOICE_(0, "ci-method", "M", T, method, methods, "wilson or bootstrap"),
	AUD_OPT_APPEND_(0, "check", "EXPR", T, checks, 0, "a check"),
	AUD_OPTS_MODEL(T, model),
	AUD_OPTS_CSV(T, csv),
	AUD_OPTS_OUTPUT(T, out),
	AUD_OPT_END_
};
#undef T

static const struct aud_tool tool = { "audit-test", "--label COL [OPTION]... [FILE]",
	"A tool of the tests.\n", NULL, 1 };

static void
init(struct targs *a)
{
	struct aud_csv_options c = AUD_CSV_OPTIONS_INIT;
	struct aud_cli_out o = AUD_CLI_OUT_INIT;
	struct aud_cli_model m = AUD_CLI_MODEL_INIT;

	memset(a, 0, sizeof(*a));
	a->csv = c;
	a->out = o;
	a->model = m;
	a->seed = 42;
	a->level = 0.95;
}

/* parse a NULL-terminated argument list; returns aud_opt_parse's answer */
static int
parse(struct targs *a, int *status, const char **ops, size_t *nops, const char *const *words)
{
	char *argv[64];
	int argc = 0, stop;
	FILE *saved = stderr;

	argv[argc++] = (char *)"audit-test";
	while (*words != NULL && argc < 63)
		argv[argc++] = (char *)*words++;
	argv[argc] = NULL;
	stderr = fopen("/dev/null", "w");
	stop = aud_opt_parse(&tool, spec, a, argc, argv, ops, nops, status);
	fclose(stderr);
	stderr = saved;
	return stop;
}

void
test_opt__values(void)
{
	struct targs a;
	const char *ops[2];
	size_t nops;
	int status = -1;
	const char *const w[] = { "--label", "y", "--protected", "sex,race", "--protected", "age",
		"--intersect", "--count", "-3", "--size", "4096", "--threads", "8", "--ci", "0.9",
		"--seed", "7", "--ci-method", "bootstrap", "--check", "a>=1", "--check", "b,c<2",
		"-d", ";", "--no-header", "-m", "m.pmml", "--model-timeout", "0",
		"--model-columns", "x,y", "-o", "out.json", "--format", "md", "-q", "in.csv", NULL };

	init(&a);
	CHECK_INT_EQ(parse(&a, &status, ops, &nops, w), 0);
	CHECK_INT_EQ(status, 0);
	CHECK_STR_EQ(a.label, "y");
	CHECK_INT_EQ(a.prot.n, 3);
	CHECK_STR_EQ(a.prot.v[0], "sex");
	CHECK_STR_EQ(a.prot.v[1], "race");
	CHECK_STR_EQ(a.prot.v[2], "age");
	CHECK_INT_EQ(a.flag, 1);
	CHECK_INT_EQ(a.count, -3);
	CHECK_INT_EQ(a.size, 4096);
	CHECK_INT_EQ(a.model.threads, 8);
	CHECK_DBL_EQ(a.level, 0.9);
	CHECK_INT_EQ(a.seed, 7);
	CHECK_INT_EQ(a.method, 1);
	CHECK_INT_EQ(a.checks.n, 2);
	CHECK_STR_EQ(a.checks.v[1], "b,c<2");   /* appended whole, not split */
	CHECK_INT_EQ(a.csv.sep, ';');
	CHECK_INT_EQ(a.csv.no_header, 1);
	CHECK_STR_EQ(a.model.pmml, "m.pmml");
	CHECK_DBL_EQ(a.model.timeout, 0.0);
	CHECK_INT_EQ(a.model.columns.n, 2);
	CHECK_STR_EQ(a.out.path, "out.json");
	CHECK_INT_EQ(a.out.format, AUD_FORMAT_MD);
	CHECK_INT_EQ(a.out.quiet, 1);
	CHECK_INT_EQ(nops, 1);
	CHECK_STR_EQ(ops[0], "in.csv");
	aud_opt_free(spec, &a);
	CHECK_INT_EQ(a.prot.n, 0);
	CHECK(a.prot.v == NULL);
}

void
test_opt__long_forms_and_defaults(void)
{
	struct targs a;
	const char *ops[2];
	size_t nops;
	int status = -1;
	const char *const w[] = { "--label=y", "--output", "o.json", "--delimiter", "\\t",
		"--model", "m.pmml", "-", NULL };

	init(&a);
	CHECK_INT_EQ(parse(&a, &status, ops, &nops, w), 0);
	CHECK_STR_EQ(a.out.path, "o.json");
	CHECK_INT_EQ(a.csv.sep, '\t');
	CHECK_STR_EQ(a.model.pmml, "m.pmml");
	CHECK_INT_EQ(a.out.format, -1);          /* not given */
	CHECK_DBL_EQ(a.model.timeout, 600.0);    /* the default stays */
	CHECK_INT_EQ(a.model.threads, 0);
	CHECK_INT_EQ(nops, 1);
	CHECK_STR_EQ(ops[0], "-");
	aud_opt_free(spec, &a);
}

void
test_opt__refusals(void)
{
	static const char *const cases[][7] = {
		{ "--label", "y", "--protected", "sex,,", NULL },  /* empty name */
		{ "--label", "y", "--protected", ",sex", NULL },
		{ "--label", "y", "--protected", "", NULL },
		{ "--label", "y", "-d", "\"", NULL },               /* the quote character */
		{ "--label", "y", "--ci", "0.99999", NULL },        /* out of range */
		{ "--label", "y", "--ci", "x", NULL },
		{ "--label", "y", "--count", "11", NULL },
		{ "--label", "y", "--count", "1.5", NULL },
		{ "--label", "y", "--threads", "0", NULL },
		{ "--label", "y", "--threads", "65", NULL },
		{ "--label", "y", "--threads", "2x", NULL },
		{ "--label", "y", "--ci-method", "exact", NULL },
		{ "--label", "y", "--format", "xml", NULL },
		{ "--label", "y", "--seed", "-1", NULL },
		{ "--label", "y", "--bogus", NULL },
		{ "--label", "y", "-Z", NULL },
		{ "--label", NULL },                                 /* needs an argument */
		{ "--protected", "sex", NULL },                      /* --label is required */
		{ "--label", "y", "a.csv", "b.csv", NULL },          /* two inputs */
		{ "--label", "y", "-m", "a", "--model", "b", NULL }, /* given twice */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct targs a;
		const char *ops[2];
		size_t nops = 9;
		int status = -1;

		init(&a);
		CHECK_INT_EQ(parse(&a, &status, ops, &nops, cases[i]), 1);
		CHECK_INT_EQ(status, AUD_EXIT_USAGE);
		CHECK_INT_EQ(nops, 0);
		aud_opt_free(spec, &a);
	}
}

void
test_opt__help_and_version(void)
{
	struct targs a;
	const char *ops[2];
	size_t nops;
	int status = -1;
	const char *const h[] = { "--label", "y", "--help", NULL };
	const char *const v[] = { "--version", NULL };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	CHECK(f != NULL);
	CHECK_INT_EQ(aud_opt_help(&tool, spec, f), 0);
	fclose(f);
	CHECK(strncmp(text, "usage: audit-test --label COL [OPTION]... [FILE]\n\nA tool of the tests.\n",
	    strlen("usage: audit-test --label COL [OPTION]... [FILE]\n\nA tool of the tests.\n")) == 0);
	/* each option on its own line, its help from column 26; continuation lines indented */
	CHECK(strstr(text, "\nColumns:\n      --label COL         true label\n") != NULL);
	CHECK(strstr(text, "      --ci LEVEL          interval level\n"
	    "                          second line\n") != NULL);
	CHECK(strstr(text, "  -o, --output FILE       write the result") != NULL);
	CHECK(strstr(text, "  -d, --delimiter CHAR    field separator") != NULL);
	/* an option too wide for the column has its help on the next line */
	CHECK(strstr(text, "      --model-columns COLS\n"
	    "                          --model-cmd:") != NULL);
	CHECK(strstr(text, "  -h, --help              this help\n") != NULL);
	CHECK(strstr(text, "\nExit status: 0 success, 1 a requested check failed") != NULL);
	{
		/* the shared groups fit an 80-column terminal */
		const char *line = text, *nl;

		for (; (nl = strchr(line, '\n')) != NULL; line = nl + 1)
			CHECK(nl - line <= 79);
	}
	free(text);

	/* --help and --version stop the tool with status 0 (their text goes to stdout) */
	init(&a);
	fflush(stdout);
	{
		FILE *saved = stdout;

		stdout = fopen("/dev/null", "w");
		CHECK_INT_EQ(parse(&a, &status, ops, &nops, h), 1);
		CHECK_INT_EQ(status, 0);
		status = -1;
		CHECK_INT_EQ(parse(&a, &status, ops, &nops, v), 1);
		CHECK_INT_EQ(status, 0);
		fclose(stdout);
		stdout = saved;
	}
	aud_opt_free(spec, &a);
}

void
test_opt__numbers_list(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	double *v = NULL;
	size_t n = 0;

	CHECK_INT_EQ(aud_parse_numbers(&v, &n, "0.05,0.1,2", 0, 10, "--levels", &err), 0);
	CHECK_INT_EQ(n, 3);
	CHECK_DBL_EQ(v[0], 0.05);
	CHECK_DBL_EQ(v[2], 2.0);
	free(v);
	CHECK_INT_EQ(aud_parse_numbers(&v, &n, "0.1,,2", 0, 10, "--levels", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--levels: empty name in '0.1,,2'");
	CHECK_INT_EQ(aud_parse_numbers(&v, &n, "0.1,x", 0, 10, "--levels", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--levels: 'x' is not a number");
	CHECK_INT_EQ(aud_parse_numbers(&v, &n, "11", 0, 10, "--levels", &err), AUD_EINVAL);
	CHECK(v == NULL && n == 0);
}

void
test_opt__strlist(void)
{
	struct aud_strlist l = { NULL, 0 };
	struct aud_error err = AUD_ERROR_INIT;

	CHECK_INT_EQ(aud_strlist_split(&l, "a,b", "--x", &err), 0);
	CHECK_INT_EQ(aud_strlist_split(&l, "c", "--x", &err), 0);
	CHECK_INT_EQ(l.n, 3);
	CHECK_STR_EQ(l.v[2], "c");
	CHECK_INT_EQ(aud_strlist_split(&l, "sex,,", "--protected", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--protected: empty name in 'sex,,'");
	aud_strlist_free(&l);
	CHECK_INT_EQ(l.n, 0);
}

void
test_opt__threads_bounds(void)
{
	struct targs a;
	const char *ops[2];
	size_t nops;
	int status = -1;
	const char *const w[] = { "--label", "y", "--threads", "64", NULL };

	init(&a);
	CHECK_INT_EQ(parse(&a, &status, ops, &nops, w), 0);
	CHECK_INT_EQ(a.model.threads, AUD_MAX_THREADS);
	aud_opt_free(spec, &a);
}
