/*
 * cli.h — what every audit-* tool shares: exit codes, checked number parsing,
 * output formats, atomic output files, the progress bar, error printing.
 *
 * This module is the one place of libaudit that may write to stderr (error
 * lines and the progress bar), as curl's tool helpers do; it never calls exit().
 */
#ifndef AUDIT_CLI_H
#define AUDIT_CLI_H

#include <stdio.h>
#include <stdint.h>
#include <time.h>

#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The suite's version, printed by every tool's --version and in every JSON. */
#define AUD_VERSION "0.1.0"

/** Exit codes, the same for every tool (SPEC 3). */
enum aud_exit {
	AUD_EXIT_OK = 0,       /**< success */
	AUD_EXIT_CHECK = 1,    /**< ran, but a requested check failed */
	AUD_EXIT_USAGE = 2,    /**< unknown option, bad argument */
	AUD_EXIT_INPUT = 3,    /**< bad input: unreadable, malformed, unknown column */
	AUD_EXIT_MODEL = 4,    /**< model failure */
	AUD_EXIT_OUTPUT = 5,   /**< output cannot be written */
	AUD_EXIT_INTERNAL = 6  /**< internal error */
};

/** Map an AUD_E* code to the exit status a tool returns. */
int aud_cli_exit_code(int code);

/**
 * Print "<prog>: <err->msg>" on stderr and return the exit status for
 * err->code. @return an AUD_EXIT_* value
 */
int aud_cli_report(const char *prog, const struct aud_error *err);

/** Print "<prog>: <message>" and a "Try '<prog> --help'" hint; @return AUD_EXIT_USAGE */
int aud_cli_usage_error(const char *prog, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/** Print "<prog>: warning: <message>" unless quiet. */
void aud_cli_warn(const char *prog, int quiet, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/** Print "<prog> (rai-audit) VERSION" on stdout. */
void aud_cli_version(const char *prog);

/**
 * Parse a whole decimal integer in [min, max] (like strtonum(3)).
 * @param what  the option's name, for the message ("--rows")
 * @return 0 or AUD_EINVAL
 */
int aud_parse_long(long *out, const char *s, long min, long max, const char *what,
    struct aud_error *err);

/** Parse a whole finite number in [min, max], C locale. @return 0 or AUD_EINVAL */
int aud_parse_double(double *out, const char *s, double min, double max,
    const char *what, struct aud_error *err);

/** Parse an unsigned 64-bit seed ("42"). @return 0 or AUD_EINVAL */
int aud_parse_seed(uint64_t *out, const char *s, struct aud_error *err);

/** Output formats (SPEC 3). */
enum aud_format { AUD_FORMAT_JSON, AUD_FORMAT_TABLE, AUD_FORMAT_CSV, AUD_FORMAT_MD };

/** Parse "json|table|csv|md". @return 0 or AUD_EINVAL */
int aud_parse_format(enum aud_format *out, const char *s, struct aud_error *err);

/**
 * The default format: table when `out_path` is NULL/"-" and stdout is a
 * terminal, json otherwise.
 */
enum aud_format aud_default_format(const char *out_path);

/**
 * The time written into outputs: SOURCE_DATE_EPOCH when `sde` (the value of
 * that variable, passed by the tool) is a valid number, else now.
 */
int aud_cli_time(time_t *out, const char *sde, struct aud_error *err);

/** Format a time as "2026-01-01T00:00:00Z" (UTC). buf needs 21 bytes. */
void aud_format_time(char buf[21], time_t t);

/**
 * An output written atomically: a temporary file in the destination's
 * folder, renamed over it by aud_output_commit(). Standard output when the
 * path is NULL or "-" (then commit only flushes and checks for errors).
 */
struct aud_output;

/** Open. @param[out] out caller owns; free with aud_output_free() */
int aud_output_open(struct aud_output **out, const char *path, struct aud_error *err);
/** The stream to write to. Borrowed; valid until the output is freed. */
FILE *aud_output_stream(struct aud_output *o);
/** Flush, check for write errors, fsync and rename into place. @return 0 or AUD_EOUTPUT */
int aud_output_commit(struct aud_output *o, struct aud_error *err);
/** Discard (removes the temporary file) unless committed, and free. NULL is allowed. */
void aud_output_free(struct aud_output *o);

/**
 * A progress bar on stderr, drawn only when `enabled` (the tool passes
 * isatty(2) && !quiet) and only once the work has run for about a second.
 */
struct aud_progress;
int aud_progress_new(struct aud_progress **out, const char *label, uint64_t total,
    int enabled, struct aud_error *err);
/** Report `done` units out of total (0 total: bytes or rows with no known end). */
void aud_progress_update(struct aud_progress *p, uint64_t done);
/** Erase the bar and free. NULL is allowed. */
void aud_progress_free(struct aud_progress *p);

/** 1 when stderr is a terminal. */
int aud_stderr_is_tty(void);

#ifdef __cplusplus
}
#endif
#endif
