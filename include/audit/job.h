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

/**
 * How a run is cut (docs/scale-out.md). The runner tells the module before
 * anything is read (set_mode), and then calls:
 *
 *   AUD_JOB_SINGLE  read, run, document            (no --shard, --emit-state, --merge)
 *   AUD_JOB_SHARD   read, run, save_state          (--emit-state; --shard K/N or the whole input)
 *   AUD_JOB_MERGE   load_state per state, run, then document, or save_state
 *                   when the merge itself writes a state (--emit-state)
 *
 * A module's `run` does in each mode its share: in a shard the work that
 * must see the rows (model calls: robustness, attributions), in a merge the
 * work that needs every row's contribution (finishing: rates, intervals,
 * bootstrap); a module whose shard needs no work returns at once.
 */
enum aud_job_mode_kind { AUD_JOB_SINGLE, AUD_JOB_SHARD, AUD_JOB_MERGE };

/** The mode of a run, and in a shard which rows are its own. */
struct aud_job_mode {
	enum aud_job_mode_kind kind;
	/**
	 * AUD_JOB_SHARD: the data rows [first_row, end_row) of the whole input
	 * (0-based) are this shard's. With ops->shard_whole the reader delivers
	 * every row of the input and the module works on these only; without,
	 * the reader delivers these rows only (aud_csv_first_row() says where
	 * they start). Without --shard: 0 and UINT64_MAX.
	 */
	uint64_t first_row, end_row;
	unsigned shard_k, shard_n;   /**< --shard K/N; 0 and 0 without */
};

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

	/* ---- scale-out (all NULL/0: the tool has no --emit-state and no --merge) ---- */

	/**
	 * 1: a shard reads the whole input and works on its own rows (the
	 * analysis needs statistics of every row first: robustness, the
	 * explanation's background and row selection); 0: a shard reads only
	 * its byte range.
	 */
	int shard_whole;
	/** Called once before read or load_state. */
	int (*set_mode)(void *self, const struct aud_job_mode *mode, struct aud_error *err);
	/**
	 * Write the module's partial state into the object `data` (state.h's
	 * helpers: exact values only), after run in a shard, or after the last
	 * load_state in a merge.
	 */
	int (*save_state)(void *self, cJSON *data, struct aud_error *err);
	/**
	 * Add one state's "data" to what the module holds (any number of times,
	 * in any order: the result must not depend on the order). `name` is the
	 * state file, for messages; AUD_EPARSE for a malformed "data".
	 */
	int (*load_state)(void *self, const cJSON *data, const char *name, struct aud_error *err);
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

	/* ---- scale-out: the tool's table and arguments (for the states' "args") ---- */
	const struct aud_opt *spec;              /**< the tool's option table */
	int argc;                                /**< main's */
	char **argv;
	const struct aud_cli_scale *scale;       /**< --emit-state, --shard, --merge; NULL: none */
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
