/*
 * batch.h — a block of rows held as columns: the unit that models,
 * perturbations and explainers pass around.
 *
 * A column is numeric (doubles, NAN = missing) or categorical (int32 codes
 * into a string dictionary of dict.h, -1 = missing). A batch reader fills batches from
 * a CSV reader, keeping the dictionaries across batches so codes stay stable.
 */
#ifndef AUDIT_BATCH_H
#define AUDIT_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include <audit/dict.h>
#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

struct aud_csv;

/* ---- batch ---- */

enum aud_col_kind {
	AUD_COL_NUMERIC = 0,
	AUD_COL_CATEGORICAL = 1,
	AUD_COL_AUTO = 2   /**< reader only: numeric when every value of the first batch is a number */
};

struct aud_column {
	char *name;               /**< owned */
	enum aud_col_kind kind;   /**< NUMERIC or CATEGORICAL */
	double *num;              /**< NUMERIC: cap values, NAN = missing */
	int32_t *code;            /**< CATEGORICAL: cap codes, -1 = missing */
	struct aud_dict *dict;    /**< CATEGORICAL: owned */
	int is_integer;           /**< NUMERIC: every value read so far is a whole number */
};

/** Transparent for hot loops; build with aud_batch_new(). */
struct aud_batch {
	size_t nrows;             /**< rows in use */
	size_t cap;               /**< rows allocated */
	size_t ncols;
	struct aud_column *cols;
	uint64_t first_row;       /**< index (0-based) of row 0 in the whole input */
};

/**
 * An empty batch with the given columns (AUD_COL_AUTO is not allowed here).
 * @param[out] out caller owns; free with aud_batch_free()
 */
int aud_batch_new(struct aud_batch **out, size_t ncols, const char *const *names,
    const enum aud_col_kind *kinds, size_t cap, struct aud_error *err);
void aud_batch_free(struct aud_batch *b);
/** A deep copy (dictionaries too). @param[out] out caller owns */
int aud_batch_clone(struct aud_batch **out, const struct aud_batch *b, struct aud_error *err);
/** Copy the rows of src into dst (same columns, dst->cap >= src->nrows); dictionaries are not copied. */
void aud_batch_copy_rows(struct aud_batch *dst, const struct aud_batch *src);
/** Index of the column called name, or -1. */
long aud_batch_find(const struct aud_batch *b, const char *name);
/** Grow capacity to at least cap rows. */
int aud_batch_reserve(struct aud_batch *b, size_t cap, struct aud_error *err);

/**
 * Append rows [from, to) of src to dst, growing dst (its capacity doubles).
 * The two batches have the same columns in the same order. A numeric column
 * of dst stops being whole-numbered when src's is not. Codes are copied as
 * they are, so src's dictionaries must extend dst's, as the batches of one
 * reader do (codes are stable across batches): the strings dst lacks are
 * added to it.
 * @return 0 or AUD_ENOMEM
 */
int aud_batch_append(struct aud_batch *dst, const struct aud_batch *src, size_t from,
    size_t to, struct aud_error *err);

/**
 * Reads batches of rows from a CSV reader.
 * `names` selects columns (NULL: every column, in the file's order); `kinds`
 * gives each one's kind (NULL: AUD_COL_AUTO for all).
 */
struct aud_batch_reader;

/**
 * @param csv borrowed; must outlive the reader
 * @param keep_raw 1: keep each row's raw text (aud_batch_reader_raw())
 * @param[out] out caller owns; free with aud_batch_reader_free()
 * @return 0, AUD_ENOTFOUND (unknown column), AUD_ENOMEM
 */
int aud_batch_reader_new(struct aud_batch_reader **out, struct aud_csv *csv,
    const char *const *names, const enum aud_col_kind *kinds, size_t ncols,
    size_t batch_rows, int keep_raw, struct aud_error *err);
void aud_batch_reader_free(struct aud_batch_reader *r);

/**
 * Read up to batch_rows rows.
 * @param[out] out borrowed; valid until the next call or until r is freed
 * @return 1 (a batch of >= 1 row), 0 (end), AUD_EPARSE (with file:line:column)
 */
int aud_batch_reader_next(struct aud_batch **out, struct aud_batch_reader *r,
    struct aud_error *err);

/** Raw text of row i of the last batch (keep_raw only). Borrowed. */
const char *aud_batch_reader_raw(const struct aud_batch_reader *r, size_t i, size_t *len);

/** Input line (1-based) where row i of the last batch starts. */
uint64_t aud_batch_reader_line(const struct aud_batch_reader *r, size_t i);

/**
 * Read every row of a CSV into one batch. The kinds of AUD_COL_AUTO columns
 * are decided by the first batch read; an input without rows gives a batch
 * of no rows whose columns come from the header (an undecided one numeric).
 * @param names, kinds, ncols as aud_batch_reader_new() (NULL: every column, auto kinds)
 * @param[out] out caller owns; free with aud_batch_free()
 * @return 0, AUD_ENOTFOUND, AUD_EPARSE, AUD_EIO, AUD_ENOMEM
 */
int aud_batch_read_all(struct aud_batch **out, struct aud_csv *csv,
    const char *const *names, const enum aud_col_kind *kinds, size_t ncols,
    struct aud_error *err);

#ifdef __cplusplus
}
#endif
#endif
