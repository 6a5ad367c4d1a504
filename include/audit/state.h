/*
 * state.h — partial states of a run, for scale-out (docs/scale-out.md).
 *
 * `--emit-state FILE` writes, instead of a result document, what the tool
 * accumulated over the rows it read (a shard of the input, `--shard K/N`);
 * `audit-merge STATE...` (or the tool's own `--merge STATE`) combines any
 * number of states into the document a single run over all the rows gives,
 * byte for byte. A state is one JSON document:
 *
 *   {
 *     "state": "audit.state/1",           the format of this envelope
 *     "tool": "audit-fair",               the tool that wrote it
 *     "version": "0.9.0",                 that tool's version (must match)
 *     "schema": "audit.fairness/1",       the result document it merges into
 *     "args": ["--label=y", ..., "c.csv"],  the run's options, canonical (opt.h)
 *     "input": {"path", "size", "data_start", ...},  what was read (no sha256, no rows)
 *     "cover": [{"bytes": [lo, hi], "rows": [first, end]}, ...],
 *     "rows": 1234,                       data rows read, all pieces together
 *     "sha256": "..." | null,             the whole input's, when a piece hashed it
 *     "warnings": [...],                  shard-time warnings, kept for the merge
 *     "data": { ... }                     the module's own partial state
 *   }
 *
 * The envelope (everything but "data") is the runner's (job.c, state.c);
 * "data" is each module's (its save_state/load_state operations in job.h),
 * written with the helpers below so that nothing is lost on the way: doubles
 * as exact hexadecimal text, counts as integers (or decimal text above
 * 2^53), exact sums as xsum.h's text.
 */
#ifndef AUDIT_STATE_H
#define AUDIT_STATE_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include <audit/error.h>
#include <audit/xsum.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AUD_STATE_FORMAT "audit.state/1"

/* ---- Values inside "data" ------------------------------------------------------- */

/*
 * Each put_* adds `key` to the object `obj` (or, with key NULL, appends to
 * the array `obj`) and returns the new item, or NULL when out of memory.
 * Each get_* reads `key` of `obj` (key NULL: `obj` itself) and fails with
 * AUD_EPARSE and a message naming `what` (a path such as "data.groups[3]")
 * when the item is missing or of the wrong type.
 */

/** A double, exactly: C99 hex text ("0x1.8p-1"), "nan", "inf", "-inf". */
cJSON *aud_state_put_double(cJSON *obj, const char *key, double x);
int aud_state_get_double(const cJSON *obj, const char *key, double *x, const char *what,
    struct aud_error *err);

/** A count: a JSON number up to 2^53, decimal text above. */
cJSON *aud_state_put_u64(cJSON *obj, const char *key, uint64_t n);
int aud_state_get_u64(const cJSON *obj, const char *key, uint64_t *n, const char *what,
    struct aud_error *err);

/** An exact sum (xsum.h). */
cJSON *aud_state_put_xsum(cJSON *obj, const char *key, const struct aud_xsum *s);
int aud_state_get_xsum(const cJSON *obj, const char *key, struct aud_xsum *s,
    const char *what, struct aud_error *err);

/** A string (get: borrowed from obj). */
cJSON *aud_state_put_string(cJSON *obj, const char *key, const char *s);
int aud_state_get_string(const cJSON *obj, const char *key, const char **s,
    const char *what, struct aud_error *err);

/** An array or object member that must exist (get: borrowed). */
int aud_state_get_array(const cJSON *obj, const char *key, const cJSON **out,
    const char *what, struct aud_error *err);
int aud_state_get_object(const cJSON *obj, const char *key, const cJSON **out,
    const char *what, struct aud_error *err);

/* ---- The envelope (the runner's; modules need not call these) ------------------ */

/** One contiguous piece of the input that a state covers. */
struct aud_state_piece {
	uint64_t lo, hi;          /**< bytes [lo, hi) of the input: whole records */
	uint64_t first, end;      /**< data rows [first, end), 0-based over the whole input */
};

struct aud_state;

/**
 * Read a state file and check its envelope (format, tool, version, schema).
 * @param tool, version, schema the reader's own; a state of another is refused
 * @param[out] out caller owns; free with aud_state_free()
 * @return 0, AUD_EIO (unreadable), AUD_EPARSE (not a state, or another
 * tool's, version's or format's: the message says which)
 */
int aud_state_read(struct aud_state **out, const char *path, const char *tool,
    const char *version, const char *schema, struct aud_error *err);
void aud_state_free(struct aud_state *s);

/** The parts of a state read by aud_state_read() (borrowed from it). */
const cJSON *aud_state_args(const struct aud_state *s);
const cJSON *aud_state_input(const struct aud_state *s);
const cJSON *aud_state_data(const struct aud_state *s);
const cJSON *aud_state_warnings(const struct aud_state *s);
const char *aud_state_sha256(const struct aud_state *s);   /**< NULL: not hashed */
uint64_t aud_state_rows(const struct aud_state *s);
size_t aud_state_npieces(const struct aud_state *s);
const struct aud_state_piece *aud_state_piece(const struct aud_state *s, size_t i);
const char *aud_state_path(const struct aud_state *s);

#ifdef __cplusplus
}
#endif
#endif
