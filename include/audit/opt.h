/*
 * opt.h — the option front end every audit-* tool is built on.
 *
 * A tool describes its options once, in a table of `struct aud_opt`: what
 * each option is called, what it takes, where its value goes and one help
 * line. aud_opt_parse() drives getopt_long(3) from that table, checks every
 * argument (numbers in range, names of a list non-empty, one of the choices),
 * answers --help (generated from the same table) and --version, and reports
 * a usage error as one line that ends with "(see 'TOOL --help')".
 *
 * Values are written at byte offsets into one structure the tool owns (its
 * "arguments"), so that a table can be a `static const` array at file scope.
 * The option groups every tool shares (CSV input, output, model, checks) are
 * macros over structures declared here, so they are defined once and behave
 * the same everywhere.
 *
 * Like cli.h, this module belongs to the command-line layer: it may print
 * (help on stdout, usage errors on stderr) and never calls exit().
 */
#ifndef AUDIT_OPT_H
#define AUDIT_OPT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include <audit/cli.h>
#include <audit/csv.h>
#include <audit/csvopt.h>
#include <audit/error.h>
#include <audit/modelcmd.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A list of owned strings (repeatable and comma-separated options). */
struct aud_strlist {
	char **v;
	size_t n;
};

/**
 * Append the comma-separated names of `s` to `out`. Every name must be
 * non-empty: "sex,,race", ",sex" and "" are refused.
 * @param what  the option, for the message ("--protected")
 * @return 0, AUD_EINVAL ("--protected: empty name in 'sex,,'") or AUD_ENOMEM
 */
int aud_strlist_split(struct aud_strlist *out, const char *s, const char *what,
    struct aud_error *err);

/** Append a copy of `s`. @return 0 or AUD_ENOMEM */
int aud_strlist_push(struct aud_strlist *out, const char *s, struct aud_error *err);

/** Free the strings and the array; the list is empty afterwards. NULL is allowed. */
void aud_strlist_free(struct aud_strlist *l);

/**
 * Parse a comma-separated list of finite numbers ("0.05,0.1,0.2").
 * @param[out] out  caller owns (free())
 * @param what      the option, for the message ("--levels")
 * @return 0, AUD_EINVAL (empty item, not a number, out of [min, max]) or AUD_ENOMEM
 */
int aud_parse_numbers(double **out, size_t *n, const char *s, double min, double max,
    const char *what, struct aud_error *err);

/** What an option takes and how its value is stored. */
enum aud_opt_kind {
	AUD_OPT_END = 0,   /**< ends a table */
	AUD_OPT_SECTION,   /**< a heading in --help (`help` is the heading) */
	AUD_OPT_FLAG,      /**< int: set to 1 */
	AUD_OPT_STRING,    /**< const char *: the argument (borrowed from argv) */
	AUD_OPT_INT,       /**< a signed or unsigned integer of `width` bytes in [min, max] */
	AUD_OPT_NUMBER,    /**< double in [min, max] */
	AUD_OPT_SEED,      /**< uint64_t: a whole number >= 0 */
	AUD_OPT_CHOICE,    /**< int: the index of the argument in `choices` */
	AUD_OPT_LIST,      /**< struct aud_strlist: comma-separated names, appended */
	AUD_OPT_APPEND,    /**< struct aud_strlist: the whole argument, appended */
	AUD_OPT_CALL,      /**< `call` stores it (a value with a syntax of its own) */
	AUD_OPT_HELP,      /**< -h/--help: print the help and stop */
	AUD_OPT_VERSION    /**< --version: print the version and stop */
};

/** Flags of an option. */
enum {
	AUD_OPT_REQUIRED = 1,  /**< refused when absent ("--label is required") */
	AUD_OPT_ONCE = 2,      /**< refused when given twice ("--policy given twice") */
	/**
	 * Not part of a state's "args" (aud_opt_canonical): an option that
	 * changes where output goes or how fast, never the result. -o, --format,
	 * -q, --junit, --threads and the scale-out options are left out by name
	 * (AUD_OPT_STATE_FREE); a tool marks its own further outputs with this.
	 */
	AUD_OPT_NOSTATE = 4
};

struct aud_opt;

/**
 * Store the argument of an AUD_OPT_CALL option.
 * @param dest  the tool's arguments structure plus the option's offset
 * @return 0, or an AUD_E* code with err set (AUD_EINVAL: a usage error)
 */
typedef int (*aud_opt_fn)(void *dest, const char *arg, const struct aud_opt *opt,
    struct aud_error *err);

/** One option (or help heading) of a tool's table. */
struct aud_opt {
	enum aud_opt_kind kind;
	int short_name;           /**< 'o', or 0 */
	const char *long_name;    /**< "output", or NULL */
	const char *arg;          /**< the argument's name in --help ("FILE"); NULL: none */
	const char *help;         /**< help text; "\n" starts a continuation line */
	size_t offset;            /**< where the value goes in the arguments structure */
	unsigned flags;           /**< AUD_OPT_REQUIRED, AUD_OPT_ONCE */
	double min, max;          /**< AUD_OPT_INT, AUD_OPT_NUMBER: the accepted range */
	size_t width;             /**< AUD_OPT_INT: sizeof the destination (2, 4 or 8; the
	                               range must fit it, a negative min needs a signed type) */
	const char *const *choices; /**< AUD_OPT_CHOICE: NULL-terminated names */
	aud_opt_fn call;          /**< AUD_OPT_CALL */
	int tag;                  /**< AUD_OPT_CALL: passed through (e.g. which CSV option) */
};

/* Table entries. T is the tool's arguments type, F a member (or member path) of it. */
#define AUD_OPT_SECTION_(title) { .kind = AUD_OPT_SECTION, .help = (title) }
#define AUD_OPT_FLAG_(s, l, T, F, h) \
	{ .kind = AUD_OPT_FLAG, .short_name = (s), .long_name = (l), .help = (h), \
	  .offset = offsetof(T, F) }
#define AUD_OPT_STRING_(s, l, a, T, F, fl, h) \
	{ .kind = AUD_OPT_STRING, .short_name = (s), .long_name = (l), .arg = (a), .help = (h), \
	  .offset = offsetof(T, F), .flags = (fl) }
#define AUD_OPT_INT_(s, l, a, T, F, lo, hi, h) \
	{ .kind = AUD_OPT_INT, .short_name = (s), .long_name = (l), .arg = (a), .help = (h), \
	  .offset = offsetof(T, F), .min = (lo), .max = (hi), \
	  .width = sizeof(((T *)0)->F) }
#define AUD_OPT_NUMBER_(s, l, a, T, F, lo, hi, h) \
	{ .kind = AUD_OPT_NUMBER, .short_name = (s), .long_name = (l), .arg = (a), .help = (h), \
	  .offset = offsetof(T, F), .min = (lo), .max = (hi) }
#define AUD_OPT_SEED_(T, F) \
	{ .kind = AUD_OPT_SEED, .long_name = "seed", .arg = "S", \
	  .help = "random seed (default 42)", .offset = offsetof(T, F) }
#define AUD_OPT_CHOICE_(s, l, a, T, F, names, h) \
	{ .kind = AUD_OPT_CHOICE, .short_name = (s), .long_name = (l), .arg = (a), .help = (h), \
	  .offset = offsetof(T, F), .choices = (names) }
#define AUD_OPT_LIST_(s, l, a, T, F, fl, h) \
	{ .kind = AUD_OPT_LIST, .short_name = (s), .long_name = (l), .arg = (a), .help = (h), \
	  .offset = offsetof(T, F), .flags = (fl) }
#define AUD_OPT_APPEND_(s, l, a, T, F, fl, h) \
	{ .kind = AUD_OPT_APPEND, .short_name = (s), .long_name = (l), .arg = (a), .help = (h), \
	  .offset = offsetof(T, F), .flags = (fl) }
#define AUD_OPT_CALL_(s, l, a, T, F, fn, tg, fl, h) \
	{ .kind = AUD_OPT_CALL, .short_name = (s), .long_name = (l), .arg = (a), .help = (h), \
	  .offset = offsetof(T, F), .call = (fn), .tag = (tg), .flags = (fl) }
#define AUD_OPT_END_ { .kind = AUD_OPT_END }

/* ---- The shared groups ---------------------------------------------------- */

/** The output options every tool has: -o/--output, --format, -q, -h, --version. */
struct aud_cli_out {
	const char *path;   /**< -o/--output FILE; NULL: standard output */
	int format;         /**< --format as an enum aud_format; -1: not given */
	int quiet;          /**< -q/--quiet */
};
#define AUD_CLI_OUT_INIT { NULL, -1, 0 }

/** Stores --format into an int (an enum aud_format). */
int aud_opt_format(void *dest, const char *arg, const struct aud_opt *opt,
    struct aud_error *err);
/** Stores one CSV option (opt->tag: 'd' or AUD_CSVOPT_*) into a struct aud_csv_options. */
int aud_opt_csv(void *dest, const char *arg, const struct aud_opt *opt,
    struct aud_error *err);

#define AUD_OPTS_FORMAT(T, F) \
	AUD_OPT_CALL_(0, "format", "F", T, F.format, aud_opt_format, 0, 0, \
	    "json, table, csv or md (default: table at a\n" \
	    "terminal, else json)")
#define AUD_OPTS_OUTPUT_FILE(T, F) \
	AUD_OPT_STRING_('o', "output", "FILE", T, F.path, 0, \
	    "write the result to FILE (atomically;\n" \
	    "default: standard output)")
#define AUD_OPTS_GENERAL(T, F) \
	AUD_OPT_FLAG_('q', "quiet", T, F.quiet, "no warnings, no progress bar"), \
	{ .kind = AUD_OPT_HELP, .short_name = 'h', .long_name = "help", .help = "this help" }, \
	{ .kind = AUD_OPT_VERSION, .long_name = "version", .help = "the version" }
/** -o, --format, -q, -h, --version (F: a struct aud_cli_out member of T). */
#define AUD_OPTS_OUTPUT(T, F) \
	AUD_OPT_SECTION_("Output"), AUD_OPTS_OUTPUT_FILE(T, F), AUD_OPTS_FORMAT(T, F), \
	AUD_OPTS_GENERAL(T, F)

/** The CSV input options (F: a struct aud_csv_options member of T). */
#define AUD_OPTS_CSV(T, F) \
	AUD_OPT_SECTION_("CSV input"), \
	AUD_OPT_CALL_('d', "delimiter", "CHAR", T, F, aud_opt_csv, 'd', 0, \
	    "field separator ('\\t' for a tab; default:\n" \
	    "detected from the first line among , ; tab |\n" \
	    "and else a single space)"), \
	AUD_OPT_CALL_(0, "na", "LIST", T, F, aud_opt_csv, AUD_CSVOPT_NA, 0, \
	    "comma-separated missing-value tokens (default:\n" \
	    "pandas' list plus ?: empty,#N/A,#N/A N/A,#NA,\n" \
	    "-1.#IND,-1.#QNAN,-NaN,-nan,1.#IND,1.#QNAN,<NA>,\n" \
	    "N/A,NA,NULL,NaN,None,n/a,nan,null,?)"), \
	AUD_OPT_CALL_(0, "no-header", NULL, T, F, aud_opt_csv, AUD_CSVOPT_NO_HEADER, 0, \
	    "the first line is data; columns are named 1, 2, ..."), \
	AUD_OPT_CALL_(0, "names", "COLS", T, F, aud_opt_csv, AUD_CSVOPT_NAMES, 0, \
	    "comma-separated column names (replace the header's)"), \
	AUD_OPT_CALL_(0, "no-trim", NULL, T, F, aud_opt_csv, AUD_CSVOPT_NO_TRIM, 0, \
	    "keep the spaces after separators (by default\n" \
	    "dropped when every separator of the first line\n" \
	    "is followed by a space)"), \
	AUD_OPT_CALL_(0, "encoding", "E", T, F, aud_opt_csv, AUD_CSVOPT_ENCODING, 0, \
	    "utf-8 (default, checked), latin1 or cp1252\n(read as UTF-8)"), \
	AUD_OPT_CALL_(0, "skip-lines", "N", T, F, aud_opt_csv, AUD_CSVOPT_SKIP_LINES, 0, \
	    "skip N lines before the header (or the first row)")

/** The model options of the tools that run a model. */
struct aud_cli_model {
	const char *pmml;             /**< -m/--model FILE */
	const char *command;          /**< --model-cmd CMD */
	double timeout;               /**< --model-timeout SECONDS; 0: none */
	const char *positive;         /**< --positive VALUE; NULL: the model's default */
	size_t batch_size;            /**< --batch-size N; 0: the model kind's default */
	unsigned threads;             /**< --threads N; 0: the number of cores */
	struct aud_strlist columns;   /**< --model-columns COLS */
	int protocol;                 /**< --model-protocol: enum aud_modelcmd_protocol; -1: not given */
};
#define AUD_CLI_MODEL_INIT { NULL, NULL, 600.0, NULL, 0, 0, { NULL, 0 }, -1 }

/**
 * The model options without --threads, for a tool that scores in one thread
 * (audit-predict): a tool must not accept an option it ignores.
 */
#define AUD_OPTS_MODEL_SERIAL(T, F) AUD_OPTS_MODEL_SERIAL_(T, F, AUD_OPT_BATCH_HELP)
/** The default --batch-size help: audit-predict's and audit-robust's defaults. */
#define AUD_OPT_BATCH_HELP "rows per model call (default 100000 for\n--model-cmd, 4096 for PMML)"
/** The same with a tool's own --batch-size help (its own default). */
#define AUD_OPTS_MODEL_SERIAL_(T, F, BATCH_HELP) \
	AUD_OPT_SECTION_("Model"), \
	AUD_OPT_STRING_('m', "model", "FILE", T, F.pmml, AUD_OPT_ONCE, \
	    "PMML or XGBoost JSON model"), \
	AUD_OPT_STRING_(0, "model-cmd", "CMD", T, F.command, AUD_OPT_ONCE, \
	    "external model: CSV rows on its stdin, one score\n" \
	    "per line on its stdout"), \
	AUD_OPT_CHOICE_(0, "model-protocol", "P", T, F.protocol, aud_modelcmd_protocol_names, \
	    "--model-cmd: batch (default: one process per\n" \
	    "batch), stream or binary (one process per run\n" \
	    "or thread, fed every batch)"), \
	AUD_OPT_NUMBER_(0, "model-timeout", "SECONDS", T, F.timeout, 0, 1e9, \
	    "kill the command when one batch takes longer\n" \
	    "(default 600; 0: no limit)"), \
	AUD_OPT_LIST_(0, "model-columns", "COLS", T, F.columns, 0, \
	    "--model-cmd: the columns the command receives,\n" \
	    "in order (default: every input column)"), \
	AUD_OPT_STRING_(0, "positive", "VALUE", T, F.positive, 0, \
	    "the class whose probability is the score\n(default 1)"), \
	AUD_OPT_INT_(0, "batch-size", "N", T, F.batch_size, 1, 100000000, BATCH_HELP)

/** -m, --model-cmd, --model-protocol, --model-timeout, --model-columns, --positive, --batch-size, --threads. */
#define AUD_OPTS_MODEL(T, F) AUD_OPTS_MODEL_(T, F, AUD_OPT_BATCH_HELP)
/** The same with a tool's own --batch-size help. */
#define AUD_OPTS_MODEL_(T, F, BATCH_HELP) \
	AUD_OPTS_MODEL_SERIAL_(T, F, BATCH_HELP), \
	AUD_OPT_INT_(0, "threads", "N", T, F.threads, 1, AUD_MAX_THREADS, \
	    "worker threads, 1 to " AUD_STRINGIFY(AUD_MAX_THREADS) " (default: the cores)")

/** The check options of the analysing tools. */
struct aud_cli_checks {
	struct aud_strlist exprs;     /**< --check EXPR (repeatable) */
	const char *policy;           /**< --policy FILE */
	int allow_undefined;          /**< --allow-undefined */
	const char *junit;            /**< --junit FILE */
};

#define AUD_OPTS_CHECKS(T, F) \
	AUD_OPT_SECTION_("Checks"), \
	AUD_OPT_APPEND_(0, "check", "EXPR", T, F.exprs, 0, \
	    "a check on a result, PATH OP NUMBER (the\n" \
	    "manual lists the paths); exit 1 when it fails\n" \
	    "(repeatable)"), \
	AUD_OPT_STRING_(0, "policy", "FILE", T, F.policy, AUD_OPT_ONCE, \
	    "a JSON array of check expressions"), \
	AUD_OPT_FLAG_(0, "allow-undefined", T, F.allow_undefined, \
	    "a check on an undefined value does not fail\n" \
	    "(by default it does)"), \
	AUD_OPT_STRING_(0, "junit", "FILE", T, F.junit, AUD_OPT_ONCE, \
	    "also write the checks as JUnit XML to FILE")

/* ---- Scale-out (docs/scale-out.md) ------------------------------------------- */

/** --emit-state FILE, --shard K/N, --merge STATE (repeatable). */
struct aud_cli_scale {
	const char *emit_state;       /**< --emit-state FILE */
	const char *shard;            /**< --shard K/N as given (the runner parses it) */
	struct aud_strlist merge;     /**< --merge STATE (repeatable; audit-merge passes them) */
};

#define AUD_OPTS_SCALE(T, F) \
	AUD_OPT_SECTION_("Scale-out"), \
	AUD_OPT_STRING_(0, "emit-state", "FILE", T, F.emit_state, AUD_OPT_ONCE, \
	    "write a partial state to FILE instead of the\n" \
	    "result, for audit-merge"), \
	AUD_OPT_STRING_(0, "shard", "K/N", T, F.shard, AUD_OPT_ONCE, \
	    "read the K-th of N byte ranges of FILE (whole\n" \
	    "records; with --emit-state)"), \
	AUD_OPT_APPEND_(0, "merge", "STATE", T, F.merge, 0, \
	    "merge these states instead of reading rows\n" \
	    "(repeatable; audit-merge runs this)")

/** Long names never part of a state's "args", whatever their flags. */
#define AUD_OPT_STATE_FREE { "output", "format", "quiet", "junit", "threads", \
	"emit-state", "shard", "merge", "help", "version", NULL }

/**
 * The canonical arguments of a run, as a state's "args" records them: each
 * option given, in the order of the table (a repeated option in the order
 * given), as "--long-name" or "--long-name=VALUE" whatever its spelling on
 * the command line (short name, separate argument, bundled flags), then the
 * operands; options flagged AUD_OPT_NOSTATE or named in AUD_OPT_STATE_FREE
 * are left out. Two runs with the same canonical arguments compute the same
 * thing.
 * @param[out] out a cJSON array of strings (caller owns)
 * @return 0, AUD_ENOMEM, AUD_EINVAL (argv does not parse by this table)
 */
int aud_opt_canonical(cJSON **out, const struct aud_opt *spec, int argc, char **argv,
    struct aud_error *err);

/* ---- Parsing ---------------------------------------------------------------- */

/** What --help prints around the options. */
struct aud_tool {
	const char *name;       /**< "audit-fair" */
	/**
	 * After "usage: NAME ": "--label COL ... [FILE]". A line break continues
	 * the synopsis under its first word; a line that starts with '|' is
	 * another form of the command ("   or: NAME ...").
	 */
	const char *synopsis;
	const char *about;      /**< paragraphs after the usage line; may be NULL */
	const char *more;       /**< paragraphs after the options; may be NULL */
	int max_args;           /**< operands accepted (1: an input FILE) */
};

/**
 * Parse argv with `spec` into `args` (the tool's arguments structure, whose
 * defaults the tool set beforehand). Operands are collected in `operands`
 * (at most tool->max_args, borrowed from argv); "-" is an operand.
 *
 * @param[out] status  when the tool must stop: 0 after --help/--version
 *   (5 when standard output failed), 2 after a usage error (its line printed)
 * @return 1 when the tool must return *status now, 0 to go on
 */
int aud_opt_parse(const struct aud_tool *tool, const struct aud_opt *spec, void *args,
    int argc, char **argv, const char **operands, size_t *noperands, int *status);

/**
 * A tool with subcommands (audit-mitigate, audit-data): argv[1] names one of
 * `names` (NULL-terminated); its options are parsed with tools[k]/specs[k]
 * from argv[1] on. Without a subcommand, `--help`/`--version` are answered
 * from `all`/`all_spec` (every subcommand's options) and anything else is
 * the usage error "give a subcommand first: a, b or c".
 * @param[out] command the subcommand's index
 * @return 1 when the tool must return *status now, 0 to go on (as aud_opt_parse())
 */
int aud_opt_parse_sub(const struct aud_tool *all, const struct aud_opt *all_spec,
    const char *const *names, const struct aud_tool *tools,
    const struct aud_opt *const *specs, void *args, int argc, char **argv,
    size_t *command, const char **operands, size_t *noperands, int *status);

/** Write the --help text of `tool` and `spec` to f. @return 0 or -1 (write error) */
int aud_opt_help(const struct aud_tool *tool, const struct aud_opt *spec, FILE *f);

/** Free the lists (AUD_OPT_LIST, AUD_OPT_APPEND) stored in `args` by the parser. */
void aud_opt_free(const struct aud_opt *spec, void *args);

#ifdef __cplusplus
}
#endif
#endif
