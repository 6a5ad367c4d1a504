/*
 * clicheck.h — how a tool tells its user about checks: one line on stderr
 * per failing check, in the same words in every tool, even with -o and -q.
 *
 * The check options (--check, --policy, --allow-undefined, --junit) are the
 * AUD_OPTS_CHECKS group of opt.h; the job runner (job.h) builds the check set
 * (check.h), evaluates it, writes the JUnit file and calls this.
 */
#ifndef AUDIT_CLICHECK_H
#define AUDIT_CLICHECK_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Print "PROG: check failed: ID (WHERE, value V)" to f for every entry of
 * `checks` that fails the run (aud_check_entry_fails()).
 * @return the number of lines printed
 */
size_t aud_cli_checks_print_failures(FILE *f, const char *prog, const cJSON *checks,
    int allow_undefined);

#ifdef __cplusplus
}
#endif
#endif
