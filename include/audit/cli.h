/*
 * cli.h — what every audit-* tool shares: exit codes, checked number parsing,
 * atomic output files, the progress bar, error printing.
 *
 * This module is the one place of libaudit that may write to stderr (error
 * lines and the progress bar), as curl's tool helpers do; it never calls exit().
 * It also holds the one piece of process-wide state: the registry of
 * temporary files and child process groups that a signal handler cleans up
 * (a handler can reach nothing else).
 */
#ifndef AUDIT_CLI_H
#define AUDIT_CLI_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <audit/error.h>
#include <audit/progress.h>
#include <audit/text.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Exit codes, the same for every tool (documented in each man page). */
enum aud_exit {
	AUD_EXIT_OK = 0,       /**< success */
	AUD_EXIT_CHECK = 1,    /**< ran, but a requested check failed */
	AUD_EXIT_USAGE = 2,    /**< unknown option, bad argument */
	AUD_EXIT_INPUT = 3,    /**< bad input: unreadable, malformed, unknown column */
	AUD_EXIT_MODEL = 4,    /**< model failure */
	AUD_EXIT_OUTPUT = 5,   /**< output cannot be written */
	AUD_EXIT_INTERNAL = 6  /**< internal error */
};

/** The most worker threads a tool's --threads accepts. */
#define AUD_MAX_THREADS 64

/** A macro's value as a string literal: AUD_STRINGIFY(AUD_MAX_THREADS) is "64". */
#define AUD_STRINGIFY(x) AUD_STRINGIFY_(x)
#define AUD_STRINGIFY_(x) #x

/**
 * Prepare the process; every tool calls it first in main().
 *
 * Opens /dev/null on any of the descriptors 0, 1 and 2 that is closed (else
 * the next file opened, an output's temporary file, would take its number and
 * receive what is meant for stderr), and installs a handler for SIGHUP,
 * SIGINT, SIGPIPE and SIGTERM (those not ignored by the caller) that removes
 * every temporary output file, sends SIGTERM to every tracked child process
 * group, and then dies of the same signal, so that the exit status says which.
 * @return 0 or AUD_EIO (a closed descriptor could not be reopened)
 */
int aud_cli_init(struct aud_error *err);

/**
 * Track a child's process group: a fatal signal sends it SIGTERM before the
 * tool dies. Async-signal-safe and thread-safe.
 * @param pgid  the group's id (> 1)
 * @return 0, AUD_EINVAL (pgid <= 1) or AUD_ENOMEM (64 groups are tracked already)
 */
int aud_cli_track_child(pid_t pgid);

/** Stop tracking a process group (once it has been waited for). Unknown ids are ignored. */
void aud_cli_untrack_child(pid_t pgid);

/**
 * The callback a tool gives its model options as `on_child`: a model command's
 * process group is tracked while it runs (aud_cli_track_child) and forgotten when
 * it has ended, so a fatal signal to the tool ends the command too. Thread-safe
 * (prediction threads start their own commands). `payload` is unused.
 */
void aud_cli_model_child(pid_t pgid, int running, void *payload);

/**
 * Check that `bytes` of address space can still be mapped under the process's
 * RLIMIT_AS (ulimit -v); a library that retries a failed allocation forever
 * (OpenBLAS's work buffer) is called only after this check.
 * @param what  who needs it, for the message ("the kernel method")
 * @return 0 or AUD_ENOMEM
 */
int aud_cli_check_address_space(size_t bytes, const char *what, struct aud_error *err);

/**
 * Copy `s` into buf (snprintf-like: at most size-1 bytes and a NUL) with
 * control characters, DEL, C1 controls and invalid UTF-8 escaped as "\n",
 * "\t", "\r" or "\xHH"; valid UTF-8 text is kept.
 * @return the length of the whole escaped text (excluding the NUL)
 */
size_t aud_cli_escape(char *buf, size_t size, const char *s);

/** Map an AUD_E* code to the exit status a tool returns. */
int aud_cli_exit_code(int code);

/**
 * Print "<prog>: <err->msg>" on stderr (one line, escaped as by
 * aud_cli_escape()) and return the exit status for err->code.
 * @return an AUD_EXIT_* value
 */
int aud_cli_report(const char *prog, const struct aud_error *err);

/** Print the one line "<prog>: <message> (see '<prog> --help')"; @return AUD_EXIT_USAGE */
int aud_cli_usage_error(const char *prog, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/** Print "<prog>: warning: <message>" (one line, escaped) unless quiet. */
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

/** The thread count when --threads is not given: the online cores, 1 to AUD_MAX_THREADS. */
unsigned aud_cli_default_threads(void);

/** Parse a whole finite number in [min, max], C locale. @return 0 or AUD_EINVAL */
int aud_parse_double(double *out, const char *s, double min, double max,
    const char *what, struct aud_error *err);

/** Parse an unsigned 64-bit seed ("42"). @return 0 or AUD_EINVAL */
int aud_parse_seed(uint64_t *out, const char *s, struct aud_error *err);

/**
 * The time written into outputs: SOURCE_DATE_EPOCH when `sde` (the value of
 * that variable, passed by the tool) is a valid number, else now.
 */
int aud_cli_time(time_t *out, const char *sde, struct aud_error *err);

/**
 * An output written atomically: a temporary file in the destination's
 * folder, renamed over it by aud_output_commit(). Standard output when the
 * path is NULL or "-" (then commit only flushes and checks for errors).
 * A symbolic link is followed: the file it names is replaced, the link stays.
 * A device, FIFO or other non-regular file is written in place. A replaced
 * file keeps its mode (and owner, where allowed); a new one gets
 * 0666 & ~umask. The temporary name is ".NAME.tmpXXXXXX", NAME cut short when
 * it would pass 255 bytes; it is removed on a fatal signal (see aud_cli_init()).
 */
struct aud_output;

/** Open. @param[out] out caller owns; free with aud_output_free() */
int aud_output_open(struct aud_output **out, const char *path, struct aud_error *err);
/** The stream to write to. Borrowed; valid until the output is freed. */
FILE *aud_output_stream(struct aud_output *o);
/** Flush, check for write errors, fsync and rename into place. @return 0 or AUD_EOUTPUT */
int aud_output_commit(struct aud_output *o, struct aud_error *err);
/**
 * Commit several outputs together: all are flushed and synced first, then
 * renamed; when one fails, the ones already renamed are removed, so that
 * either all are in place or none. NULL entries are skipped.
 * @return 0 or AUD_EOUTPUT
 */
int aud_output_commit_all(struct aud_output *const *outs, size_t n, struct aud_error *err);
/** Discard (removes the temporary file) unless committed, and free. NULL is allowed. */
void aud_output_free(struct aud_output *o);

/**
 * Format one progress line (no carriage return, no newline) into buf:
 * "LABEL [####......]  40% DONE/TOTAL UNIT, RATE, ETA M:SS" when the total is
 * known, "LABEL 12.3 MB read, 4.1 MB/s" (bytes) or "LABEL 1200 rows, 300.0
 * rows/s" when it is not (total 0). Bytes are shown in decimal units (kB,
 * MB, GB); counts and rates above 999 with a k, M or G suffix. No rate or
 * ETA when elapsed (seconds) is not positive or nothing is done yet. Pure:
 * the same arguments give the same text.
 * @return the length written (truncated to size - 1)
 */
size_t aud_progress_format(char *buf, size_t size, const char *label, uint64_t done,
    uint64_t total, enum aud_progress_unit unit, double elapsed);

/**
 * The tools' progress bar on stderr. Embedded; set up with
 * aud_cli_progress_init(&bar, aud_stderr_is_tty() && !quiet), handed to the
 * library as `{ aud_cli_progress, &bar }` and erased with
 * aud_cli_progress_end(). Drawn only once the work has run for about a
 * second, at most ten times a second; rate and ETA restart with each label.
 */
struct aud_cli_progress {
	int enabled;
	int drawn;
	double start, phase_start, last;
	char label[64];
};
/** Disabled and never drawn: aud_cli_progress_end() on it does nothing. */
#define AUD_CLI_PROGRESS_INIT { 0, 0, 0.0, 0.0, 0.0, { 0 } }
/** Set up the bar; `enabled` 0 makes every report a no-op. */
void aud_cli_progress_init(struct aud_cli_progress *p, int enabled);
/** An aud_progress_fn: `payload` is the struct aud_cli_progress. */
void aud_cli_progress(const char *label, enum aud_progress_unit unit, uint64_t done,
    uint64_t total, void *payload);
/** Erase the bar if it was drawn (NULL is allowed). */
void aud_cli_progress_end(struct aud_cli_progress *p);

/** A file a tool reads or writes, named by its option ("-o", "--model-out", "the input"). */
struct aud_cli_file {
	const char *option;
	const char *path;    /**< NULL or "-": not a file, never compared */
};

/**
 * 1 when a and b name the same regular file: the same device and inode when
 * both exist, the same folder and name when neither does.
 */
int aud_cli_same_file(const char *a, const char *b);

/**
 * Refuse (a usage error) an output that names the same file as an input or
 * as an earlier output: writing it would destroy the input, or one output
 * would replace the other.
 * @return 0, or AUD_EXIT_USAGE once the error line is printed
 */
int aud_cli_check_files(const char *prog, const struct aud_cli_file *outputs, size_t n_outputs,
    const struct aud_cli_file *inputs, size_t n_inputs);

/** 1 when stderr is a terminal. */
int aud_stderr_is_tty(void);

#ifdef __cplusplus
}
#endif
#endif
