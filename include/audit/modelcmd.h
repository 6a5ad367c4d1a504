/*
 * modelcmd.h — a model served by an external command (`--model-cmd`).
 *
 * The command is run with `/bin/sh -c COMMAND` once per block of at most
 * `batch_size` rows. On its standard input it receives a CSV (RFC 4180, comma
 * separated, LF line ends) with a header line naming the model's features, in
 * the order they were given, and one line per row:
 *
 *   - numbers as the shortest text that reads back to the same double
 *     (aud_format_double(): "0.1", "3", "1e-300");
 *   - categorical values as their text;
 *   - missing values as an empty field;
 *   - a field holding a comma, a double quote, CR or LF is quoted, with its
 *     quotes doubled.
 *
 * On its standard output it must print one score per input row, one per line,
 * in the rows' order, as numbers in the C locale (surrounding blanks and a
 * CR before the LF are allowed; the last line may lack its LF). The first line
 * may be a header: when the first line is not a number it is skipped, so a
 * header that is itself a number ("1") cannot be told from a score. Scores
 * must be finite.
 *
 * The library writes the input and reads the output at the same time (poll()
 * over non-blocking pipes), so a command may print its scores while it still
 * reads, or read everything first, whatever the size of a block. Its standard
 * error is captured (the last 4 KiB kept), never mixed into the caller's.
 *
 * Any failure of the command is AUD_EMODEL, with a message that names the
 * command and quotes the tail of its standard error: a non-zero exit status
 * (127: command not found), death by a signal, leaving input unread, printing
 * too few or too many scores, nothing at all, or a line that is not a finite
 * number. SIGPIPE never reaches the process: it is blocked in the calling
 * thread while writing and a pending one caused by the command is consumed.
 *
 * Each invocation runs in a process group of its own, and ends with it: once
 * `/bin/sh` has exited and its output has been read (a process it left in
 * the background may hold the pipes open: it is not waited for), the whole
 * group is killed (SIGKILL) and the shell waited for. An invocation that
 * takes longer than the timeout is killed the same way and fails with
 * AUD_EMODEL ("timed out after N s"). The caller may be told of each group
 * (on_child), e.g. to end it when the caller is interrupted. The command
 * inherits no descriptor of the caller but its three pipes (0, 1, 2).
 *
 * That is the `batch` protocol. With `stream` and `binary`
 * (docs/model-protocol.md) the command is started once and fed every block
 * as one frame over the same pipes: a model keeps a pool of such processes,
 * one taken by each call of aud_model_predict() (started when none is idle,
 * given back afterwards), so there are at most as many as calls that run at
 * once. Each frame is answered within the timeout or the process fails;
 * a process that failed is killed with its group and never used again.
 * aud_model_free() ends the processes: it closes their standard input,
 * waits up to 2 s for them to exit and kills their groups (on_child is told).
 * With `binary` each process keeps, per categorical feature, the dictionary
 * of the categories sent to it, and a frame sends only the new ones; a
 * numeric feature whose column holds text sends the text read as a number
 * (text that is not a number fails with AUD_EMODEL naming column, row and
 * value).
 *
 * The command model may be used from several threads at once:
 * aud_model_predict() runs its own processes (batch) or holds its own
 * process of the pool (stream, binary) while it predicts. The model has no
 * margin distinct from its score. Whether the command is a classifier cannot
 * be known; by default it is taken to be one whose score is the probability of
 * the class "1" (a tool thresholds it), which the options can change.
 */
#ifndef AUDIT_MODELCMD_H
#define AUDIT_MODELCMD_H

#include <stddef.h>

#include <audit/batch.h>
#include <audit/error.h>
#include <audit/model.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Rows per command invocation when none is given. */
#define AUD_MODELCMD_BATCH_SIZE 100000

/** How rows are sent to the command (`--model-protocol`). */
enum aud_modelcmd_protocol {
	AUD_MODELCMD_BATCH = 0,  /**< one process per block: a CSV, then end of input */
	AUD_MODELCMD_STREAM,     /**< long-lived: "@batch N" frames of CSV, N score lines back */
	AUD_MODELCMD_BINARY      /**< long-lived: handshake, frames of little-endian doubles */
};

/** The protocols' names, in enum order, NULL-terminated ("batch", "stream", "binary"). */
extern const char *const aud_modelcmd_protocol_names[];

/** Options of aud_modelcmd_new(). */
struct aud_modelcmd_options {
	size_t batch_size;           /**< rows per invocation or frame; 0: AUD_MODELCMD_BATCH_SIZE */
	enum aud_model_task task;    /**< default AUD_TASK_CLASSIFICATION */
	const char *positive;        /**< classification: the class the score is the probability of; NULL: "1" */
	double timeout;              /**< seconds one invocation (or one frame) may take (default AUD_MODEL_TIMEOUT); 0: no limit */
	aud_model_child_fn on_child; /**< told when each process group starts and ends; NULL: nobody */
	void *payload;               /**< given to on_child */
	enum aud_modelcmd_protocol protocol; /**< default AUD_MODELCMD_BATCH */
};
#define AUD_MODELCMD_OPTIONS_INIT { 0, AUD_TASK_CLASSIFICATION, NULL, AUD_MODEL_TIMEOUT, NULL, NULL, \
	AUD_MODELCMD_BATCH }

/**
 * Make a model served by `command`.
 *
 * The features are the columns sent to the command, in this order; a batch
 * given to aud_model_predict() must hold a column of each name (its kind may
 * differ from the feature's: the text of the value is sent either way). A
 * tool that reads its input with AUD_COL_AUTO passes the kinds its first
 * batch resolved to, so that a command model's schema (which audit-robust
 * and audit-explain perturb by) says which columns are numeric.
 *
 * @param[out] out  caller owns; free with aud_model_free()
 * @param command   run as `/bin/sh -c command`; copied
 * @param ncolumns  number of features, at least 1
 * @param columns   their names; copied
 * @param kinds     their kinds (AUD_COL_NUMERIC or AUD_COL_CATEGORICAL), or NULL: numeric
 * @param opts      NULL for the defaults
 * @param err       may be NULL
 * @return 0, AUD_EINVAL (empty command, no columns, a repeated column, a
 *         kind other than numeric or categorical, a negative or NaN
 *         timeout, an unknown protocol), AUD_ENOMEM
 */
int aud_modelcmd_new(struct aud_model **out, const char *command, size_t ncolumns,
    const char *const *columns, const enum aud_col_kind *kinds,
    const struct aud_modelcmd_options *opts, struct aud_error *err);

/**
 * Read a long-lived command's answer to one frame of n rows as the library
 * reads it: with AUD_MODELCMD_STREAM n score lines (blanks and a CR allowed,
 * the last LF optional); with AUD_MODELCMD_BINARY the magic "RAIAUDB1" first
 * when `handshake` is 1, then the echoed count n and n little-endian doubles.
 * The bytes must be exactly one whole answer. A pure function (no I/O), for
 * checking a command of one's own and for fuzzing.
 * @param score  n outputs (those read before an error are filled)
 * @return 0, AUD_EMODEL (too few or too many scores, a value that is not a
 *         finite number, a wrong count or magic: err says which), AUD_EINVAL
 *         (the batch protocol, n = 0), AUD_ENOMEM
 */
int aud_modelcmd_read_answer(double *score, enum aud_modelcmd_protocol protocol,
    int handshake, const char *bytes, size_t len, size_t n, struct aud_error *err);

#ifdef __cplusplus
}
#endif
#endif
