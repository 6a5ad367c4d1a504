/*
 * clicheck.h — the check options every analysing tool shares:
 * --check EXPR, --policy FILE, --allow-undefined, --junit FILE.
 *
 * A tool puts AUD_CLICHECK_LONGOPTS in its getopt_long table, gives each of
 * those options to aud_cli_checks_option(), calls aud_cli_checks_prepare()
 * once the options are read (before any data), aud_cli_checks_run() once its
 * results are in the envelope (before it writes it), and
 * aud_cli_checks_commit() in place of aud_output_commit(): the document and
 * the JUnit file land together or not at all, then each failing check is
 * printed on stderr as one line, even with -o and -q, and the exit status
 * says whether any failed. The words are the same in every tool.
 */
#ifndef AUDIT_CLICHECK_H
#define AUDIT_CLICHECK_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include <audit/check.h>
#include <audit/cli.h>

#ifdef __cplusplus
extern "C" {
#endif

/** getopt_long values of the check options (above any tool's own and csvopt.h's). */
enum {
	AUD_CLICHECK_CHECK = 0x1100,  /**< --check EXPR */
	AUD_CLICHECK_POLICY,          /**< --policy FILE */
	AUD_CLICHECK_ALLOW_UNDEFINED, /**< --allow-undefined */
	AUD_CLICHECK_JUNIT            /**< --junit FILE */
};

/** The entries of a tool's `struct option` table (needs <getopt.h>). */
#define AUD_CLICHECK_LONGOPTS \
	{ "allow-undefined", no_argument, NULL, AUD_CLICHECK_ALLOW_UNDEFINED }, \
	{ "check", required_argument, NULL, AUD_CLICHECK_CHECK }, \
	{ "junit", required_argument, NULL, AUD_CLICHECK_JUNIT }, \
	{ "policy", required_argument, NULL, AUD_CLICHECK_POLICY }

/** A tool's check options and their state. Transparent; AUD_CLI_CHECKS_INIT. */
struct aud_cli_checks {
	struct aud_check_resolver resolver; /**< set by the tool before parsing */
	struct aud_check_set *set;          /**< owned */
	const char *policy;                 /**< borrowed from argv */
	const char *junit;                  /**< borrowed from argv */
	int allow_undefined;
	size_t nargs;                       /**< --check expressions (the set's first ones) */
	struct aud_output *junit_out;       /**< owned */
	size_t nfailed;                     /**< after aud_cli_checks_run() */
};

#define AUD_CLI_CHECKS_INIT { { NULL, NULL, NULL, NULL }, NULL, NULL, NULL, 0, 0, NULL, 0 }

/**
 * Apply one check option (`opt` is an AUD_CLICHECK_* value). A bad or unknown
 * path, or an option given twice, prints one usage line.
 * @return AUD_EXIT_OK, AUD_EXIT_USAGE or AUD_EXIT_INTERNAL
 */
int aud_cli_checks_option(struct aud_cli_checks *c, const char *prog, int opt,
    const char *arg);

/**
 * Once the options are read: refuse a --junit that names the -o file or the
 * input, or standard output twice; read and check the policy; open the JUnit
 * output. Prints the error line itself.
 * @return an AUD_EXIT_* value
 */
int aud_cli_checks_prepare(struct aud_cli_checks *c, const char *prog, const char *out_path,
    const char *input);

/**
 * Evaluate the checks over the envelope's results, appending to its checks
 * and warnings, and print the warnings it adds (unless `quiet`). A scope that
 * names nothing is a usage error. Prints the error line itself.
 * @return an AUD_EXIT_* value
 */
int aud_cli_checks_run(struct aud_cli_checks *c, const char *prog, int quiet, cJSON *doc);

/**
 * Write the JUnit file (when asked), commit it with the tool's `n` outputs
 * (all or none; NULL entries are skipped), then print each failing check on
 * stderr.
 * @return AUD_EXIT_OK, AUD_EXIT_CHECK when a check failed, or the output error's status
 */
int aud_cli_checks_commit(struct aud_cli_checks *c, const char *prog, const cJSON *doc,
    struct aud_output *const *outs, size_t n);

/**
 * Print one line per failing entry of `checks` to `f`:
 * "PROG: check failed: ID (WHERE, value V)", WHERE naming the perturbation or
 * feature and the attribute / group when the entry has them, V "undefined"
 * for an undefined value.
 * @return the number of lines
 */
size_t aud_cli_checks_print_failures(FILE *f, const char *prog, const cJSON *checks,
    int allow_undefined);

/** Free what the options hold; the struct may be reused after AUD_CLI_CHECKS_INIT. */
void aud_cli_checks_release(struct aud_cli_checks *c);

#ifdef __cplusplus
}
#endif
#endif
