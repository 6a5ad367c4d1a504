/*
 * colstat.h — what audit-data learns of one column in one pass.
 *
 * A column accumulator takes every field of its column in turn (its text,
 * or "missing") and keeps:
 *   - counts: rows, missing values;
 *   - the kind: numeric while every present value parses as a finite number
 *     (C locale, aud_parse_number()), categorical once one does not, empty
 *     while every value is missing;
 *   - numeric summaries of the values that parse: min, max, mean and the
 *     population and sample standard deviation (Welford, exact), and either
 *     every value (exact mode: 8 bytes a value, sorted on demand) or a
 *     quantile sketch (sketch.h) in sketch mode;
 *   - category counts: every distinct text (numbers too, as written) with
 *     its count, up to max_categories distinct texts; past that the column
 *     is "high-cardinality" (overflow): new texts are no longer counted (the
 *     texts already counted still are, so their counts stay exact) and the
 *     distinct count becomes an estimate (a HyperLogLog of the texts,
 *     relative standard error about 1.04 / sqrt(2^14) = 0.8%, always kept);
 *   - the first line (1-based physical line, from the caller) where each
 *     category and the smallest/largest number was seen, for messages.
 * The accumulator owns copies of the texts. Nothing is printed. Reading
 * functions may fill caches (the byte order of the categories) and so must
 * not be called from two threads on one accumulator at once.
 */
#ifndef AUDIT_COLSTAT_H
#define AUDIT_COLSTAT_H

#include <stddef.h>
#include <stdint.h>

#include <audit/error.h>
#include <audit/sketch.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A column's inferred kind. */
enum aud_colstat_kind {
	AUD_COLSTAT_EMPTY = 0,     /**< every value missing (or no rows) */
	AUD_COLSTAT_NUMERIC,       /**< every present value is a number */
	AUD_COLSTAT_CATEGORICAL    /**< at least one present value is not a number */
};

/** "empty", "numeric", "categorical" (index = enum). */
extern const char *const aud_colstat_kind_names[];

/** Accumulator options. */
struct aud_colstat_options {
	int sketch;              /**< 1: numbers go to a sketch, not kept */
	double sketch_eps;       /**< the sketch's bound (AUD_SKETCH_EPS_DEFAULT) */
	size_t max_categories;   /**< distinct texts counted exactly (10000) */
};
#define AUD_COLSTAT_OPTIONS_INIT { 0, AUD_SKETCH_EPS_DEFAULT, 10000 }

struct aud_colstat;

/**
 * New accumulator for the column `name` (copied).
 * @param[out] out caller owns; free with aud_colstat_free()
 * @return 0, AUD_EINVAL (bad options), AUD_ENOMEM
 */
int aud_colstat_new(struct aud_colstat **out, const char *name,
    const struct aud_colstat_options *opts, struct aud_error *err);

/** Free. NULL is allowed. */
void aud_colstat_free(struct aud_colstat *c);

/**
 * Add one field: `text` of `len` bytes (not NUL-terminated), or missing when
 * `missing` is 1 (then text is ignored). `line` is the record's physical line.
 * @return 0 or AUD_ENOMEM
 */
int aud_colstat_add(struct aud_colstat *c, const char *text, size_t len, int missing,
    uint64_t line, struct aud_error *err);

/** The column's name. Borrowed. */
const char *aud_colstat_name(const struct aud_colstat *c);
/** Its kind so far. */
enum aud_colstat_kind aud_colstat_kind(const struct aud_colstat *c);
/** Fields added, and how many of them were missing. */
uint64_t aud_colstat_rows(const struct aud_colstat *c);
uint64_t aud_colstat_missing(const struct aud_colstat *c);

/**
 * Distinct present texts: exact when the column did not overflow
 * (*exact = 1), else the HyperLogLog estimate (*exact = 0; exact may be NULL).
 */
uint64_t aud_colstat_distinct(const struct aud_colstat *c, int *exact);

/** Numeric summaries over the values that parsed as numbers. */
struct aud_colstat_numeric {
	uint64_t n;          /**< values that parsed */
	double min, max;     /**< NaN when n == 0 */
	double mean;
	double sd_pop;       /**< ddof 0 (numpy.std) */
	double sd;           /**< ddof 1 (pandas' std); NaN when n < 2 */
	uint64_t min_line, max_line;  /**< where min and max were first seen */
	uint64_t integers;   /**< values that are whole numbers (== n: an integer column) */
};
void aud_colstat_numeric(const struct aud_colstat *c, struct aud_colstat_numeric *out);

/**
 * Exact mode: every number added, sorted ascending (sorted once, on the
 * first call; the pointer is valid until the accumulator is freed or added
 * to). NULL in sketch mode. *n receives the count.
 * @return the array, or NULL (sketch mode, or AUD_ENOMEM reported in err)
 */
const double *aud_colstat_sorted(struct aud_colstat *c, size_t *n, struct aud_error *err);

/** Sketch mode: the sketch of the numbers (NULL in exact mode). Borrowed. */
const struct aud_sketch *aud_colstat_sketch(const struct aud_colstat *c);

/**
 * The q-quantile of the numbers (numpy's linear interpolation in exact mode;
 * the sketch's answer in sketch mode). NaN when there are none.
 */
double aud_colstat_quantile(struct aud_colstat *c, double q, struct aud_error *err);

/** 1 when distinct texts passed max_categories (counts are then incomplete). */
int aud_colstat_overflow(const struct aud_colstat *c);

/** Number of distinct texts counted (at most max_categories). */
size_t aud_colstat_ncategories(const struct aud_colstat *c);

/**
 * Category i (0 .. ncategories-1) in byte order of the texts (strcmp):
 * its text (NUL-terminated, borrowed), count and first line.
 */
const char *aud_colstat_category(const struct aud_colstat *c, size_t i, uint64_t *count,
    uint64_t *first_line);

/** The count of the text `s` (0 when never seen or not counted). */
uint64_t aud_colstat_count_of(const struct aud_colstat *c, const char *s);

#ifdef __cplusplus
}
#endif
#endif
