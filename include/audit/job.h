/*
 * job.h — one lifecycle for every analysing tool: new, read, run, document.
 *
 * An analysis module (fairness, robustness, explanation, and the tools to
 * come) is created from its options by its own `_new`, and then driven by
 * aud_job_run() through four operations:
 *
 *     read      consume the input rows (the CSV is opened by the runner)
 *     run       compute, once every row is read
 *     document  write the envelope's params, results and warnings
 *     write     the table/md/csv view of a document (JSON is the runner's)
 *
 * The runner does what every such tool does the same way: refuse an output
 * naming an input, read the check expressions and validate their paths before
 * any data is read, open the outputs atomically, open the CSV with the shared
 * options, draw the progress bar, hash the input, build the envelope, evaluate
 * the checks (the envelope's checks, params.checks and params.policy), print
 * the warnings, write and commit every output together (the document, the
 * --junit file and the module's further outputs: all or none), print each
 * failing check, and turn the outcome into the exit status.
 *
 * This is the command-line layer (it prints); the modules it drives never do.
 */
#ifndef AUDIT_JOB_H
#define AUDIT_JOB_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include <audit/cli.h>
#include <audit/csv.h>
#include <audit/error.h>
#include <audit/check.h>
#include <audit/opt.h>
#include <audit/progress.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An analysis module's operations, as aud_job_run() calls them. */
struct aud_job_ops {
	const char *schema;   /**< the envelope's "schema" ("audit.fairness/1") */

	/** Read the rows of the opened input, telling `progress` (may be NULL). */
	int (*read)(void *self, struct aud_csv *csv, const struct aud_progress_cb *progress,
	    struct aud_error *err);
	/** Compute once the rows are read (may be NULL: read did it all). */
	int (*run)(void *self, const struct aud_progress_cb *progress, struct aud_error *err);
	/** Fill params, results and warnings (a cJSON array of strings). */
	int (*document)(void *self, cJSON *params, cJSON *results, cJSON *warnings,
	    struct aud_error *err);

	/**
	 * Checks: the resolver of this module's results paths (check.h), filled
	 * in before any data is read. NULL: the module has no checks.
	 */
	void (*checks)(void *self, struct aud_check_resolver *out);

	/**
	 * Write the table, md or csv view of a whole document: from the document
	 * alone, so that audit-report --format prints a saved one the same way.
	 */
	int (*write)(const cJSON *doc, enum aud_format format, FILE *f, struct aud_error *err);
};

/** A further output of a job (audit-explain's --rows-out): written after the document. */
struct aud_job_output {
	const char *option;   /**< "--rows-out", for messages */
	const char *path;     /**< NULL: not requested */
	int (*write)(void *self, const cJSON *doc, FILE *f, struct aud_error *err);
};

/** What a tool hands to aud_job_run(): its parsed shared options and files. */
struct aud_job {
	const char *prog;                        /**< "audit-fair" */
	const char *input;                       /**< the input CSV; NULL or "-": stdin */
	struct aud_csv_options csv;              /**< -d, --na, ... (notice set by the runner) */
	struct aud_cli_out out;                  /**< -o, --format, -q */
	const struct aud_cli_checks *checks;     /**< NULL: the tool has no checks */
	const struct aud_cli_file *inputs;       /**< other files read (-m, --background) */
	size_t ninputs;
	const struct aud_job_output *outputs;    /**< further outputs */
	size_t noutputs;
	/** Adds the envelope's "input" members beyond path/rows/sha256 (may be NULL). */
	int (*input_info)(void *self, cJSON *input, struct aud_error *err);
	/**
	 * A note on what the run will do, printed as "PROG: note: ..." on stderr
	 * (unless -q) once the rows are read and before run (may be NULL; it may
	 * return NULL: no note). The string is the module's.
	 */
	const char *(*note)(void *self);
};

/**
 * Run a job to the end: everything described at the top of this header.
 * Errors are printed as one line; a usage error (AUD_EINVAL) ends with the
 * --help hint.
 * @return the tool's exit status (AUD_EXIT_*): 1 when a requested check failed
 */
int aud_job_run(const struct aud_job *job, const struct aud_job_ops *ops, void *self);

#ifdef __cplusplus
}
#endif
#endif
