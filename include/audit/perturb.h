/*
 * perturb.h — perturbations of input rows: parsing their specs,
 * column statistics, and applying them to a batch.
 *
 * Kinds and their level:
 *   gaussian:SIGMA   numeric: add N(0, (SIGMA * sd)^2), sd the column's sample sd
 *   uniform:W        numeric: add U(-W * sd, W * sd)
 *   scale:F          numeric: multiply by F (deterministic)
 *   round:DIGITS     numeric: round to DIGITS decimal digits (deterministic; DIGITS may be negative)
 *   missing:P        any column: set to missing with probability P
 *   swap:P           categorical: with probability P replace by a value drawn from the column's marginal
 *   flip:COL         COL: every row gets each other observed value of COL in turn
 *   grid:COL=D,...   numeric COLs: every x' with |x'_c - x_c| <= D_c in steps of one unit
 *   adversarial:EPS  numeric: search an L-infinity ball of EPS standard deviations (robust.h)
 *
 * Distribution awareness: a perturbed numeric value is clamped to the column's
 * observed [min, max], and an integer column (every observed value whole)
 * stays integer (rounded to the nearest whole number, then clamped). A missing
 * value stays missing (only missing:P creates missing values).
 *
 * Randomness: row i of a batch uses stream (stream_base + b->first_row + i)
 * of the seed (derived as rng.h does), so a row's noise does not depend on
 * how rows are cut into batches or spread over threads. A perturbation draws
 * the same numbers at every level (gaussian:0.2 adds twice the noise of
 * gaussian:0.1), so a sweep over levels gives a smooth curve.
 */
#ifndef AUDIT_PERTURB_H
#define AUDIT_PERTURB_H

#include <stddef.h>
#include <stdint.h>

#include <audit/batch.h>
#include <audit/bins.h>
#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

enum aud_perturb_kind {
	AUD_PERTURB_GAUSSIAN = 0,
	AUD_PERTURB_UNIFORM,
	AUD_PERTURB_SCALE,
	AUD_PERTURB_ROUND,
	AUD_PERTURB_MISSING,
	AUD_PERTURB_SWAP,
	AUD_PERTURB_FLIP,
	AUD_PERTURB_GRID,
	AUD_PERTURB_ADVERSARIAL
};

/** Most neighbours a grid perturbation may give one row. */
#define AUD_PERTURB_GRID_MAX 100000

/** A parsed perturbation. Transparent (read-only for callers). */
struct aud_perturb {
	enum aud_perturb_kind kind;
	char *spec;        /**< the text, as given ("gaussian:0.1", "grid:age=1,priors=1") */
	int has_level;     /**< 0: a level-less spec ("gaussian") waiting for --levels */
	double level;      /**< SIGMA, W, F, DIGITS, P or EPS */
	char *column;      /**< flip: the column */
	size_t ngrid;      /**< grid: number of columns */
	char **grid_cols;  /**< grid: column names */
	double *grid_d;    /**< grid: the distance D of each column */
};

/**
 * Parse a perturbation spec. A spec of a kind with a level may omit it
 * ("gaussian"); has_level is then 0 and the caller supplies levels with
 * aud_perturb_at_level().
 * @param[out] out caller owns; free with aud_perturb_free()
 * @return 0, AUD_EINVAL ("invalid perturbation 'x': ..."), AUD_ENOMEM
 */
int aud_perturb_parse(struct aud_perturb **out, const char *text, struct aud_error *err);

/**
 * A copy of p at another level, its spec written "kind:LEVEL".
 * @param[out] out caller owns; free with aud_perturb_free()
 * @return 0, AUD_EINVAL (level out of the kind's range, or a kind without level), AUD_ENOMEM
 */
int aud_perturb_at_level(struct aud_perturb **out, const struct aud_perturb *p,
    double level, struct aud_error *err);

void aud_perturb_free(struct aud_perturb *p);

/** The kind's name ("gaussian"). */
const char *aud_perturb_kind_name(enum aud_perturb_kind kind);
/** 1 for kinds that take a level (everything but flip and grid). */
int aud_perturb_kind_has_level(enum aud_perturb_kind kind);
/** 1 for kinds that draw random numbers (gaussian, uniform, missing, swap, adversarial). */
int aud_perturb_is_random(const struct aud_perturb *p);

/* ---- column statistics ---- */

/** Distinct numeric values kept per column (a numeric column with at most this many is "coded"). */
#define AUD_COLSTAT_DISTINCT 10

/** Statistics of one column over all rows. */
struct aud_colstat {
	enum aud_col_kind kind;
	uint64_t count;        /**< non-missing values */
	uint64_t missing;      /**< missing values */
	double min, max;       /**< numeric: observed range (NAN when count is 0) */
	double mean, sd;       /**< numeric: mean and sample sd (n - 1; 0 when count < 2) */
	int is_integer;        /**< numeric: every observed value is whole */
	size_t ndistinct;      /**< numeric: distinct values, counted up to AUD_COLSTAT_DISTINCT + 1 */
	double distinct[AUD_COLSTAT_DISTINCT]; /**< numeric: the distinct values, ascending (when ndistinct <= AUD_COLSTAT_DISTINCT) */
	size_t ncat;           /**< categorical: dictionary size */
	uint64_t *cat_count;   /**< categorical: count of each code */
	double *cat_cdf;       /**< categorical: cumulative marginal (cat_cdf[ncat-1] = 1) */
};

/** Statistics of every column of a batch. */
struct aud_colstats {
	size_t ncols;
	struct aud_colstat *cols;
};

/**
 * Statistics of every column over all rows of b.
 * @param[out] out caller owns; free with aud_colstats_free()
 */
int aud_colstats_compute(struct aud_colstats **out, const struct aud_batch *b,
    struct aud_error *err);
void aud_colstats_free(struct aud_colstats *s);

/**
 * The observed values of a column, the values a flip walks through:
 * categorical: the codes with a count, ordered by their text; numeric: the
 * distinct values ascending (only when there are at most
 * AUD_COLSTAT_DISTINCT). Missing is not a value.
 */
struct aud_levels {
	size_t n;
	int numeric;       /**< 1: values in num, else codes in code */
	int32_t *code;
	double *num;
	char **name;       /**< each value's text (numbers formatted shortest), or its bin's label */
	const struct aud_bins *bins; /**< binned (aud_levels_new_bins()): borrowed, else NULL */
	size_t *bin;       /**< binned: the bin of each value */
};

/**
 * @param[out] out caller owns; free with aud_levels_free()
 * @return 0, AUD_EINVAL (a numeric column with more than AUD_COLSTAT_DISTINCT values), AUD_ENOMEM
 */
int aud_levels_new(struct aud_levels **out, const struct aud_batch *b, size_t col,
    const struct aud_colstat *st, struct aud_error *err);
void aud_levels_free(struct aud_levels *l);

/**
 * The values of a numeric column grouped by bins (bins.h): one value per bin
 * that holds at least one observed value, in bin order, named by the bin's
 * compact label ("25<=age<45"), each the bin's representative value (the
 * lower median of the column's values in it, aud_bins_medians()). A flip
 * then moves a row to the representative value of every other bin, and
 * aud_levels_index() gives the bin of a row's value.
 * @param bins borrowed: must outlive the levels
 * @param[out] out caller owns; free with aud_levels_free()
 * @return 0, AUD_EINVAL (a categorical column), AUD_ENOMEM
 */
int aud_levels_new_bins(struct aud_levels **out, const struct aud_batch *b, size_t col,
    const struct aud_bins *bins, struct aud_error *err);
/** Index of the value row i of column col holds, or -1 when missing. */
long aud_levels_index(const struct aud_levels *l, const struct aud_batch *b, size_t col,
    size_t i);

/* ---- applying ---- */

/**
 * Apply an elementwise perturbation (gaussian, uniform, scale, round,
 * missing, swap) in place to every row of b, on the columns j with
 * mask[j] != 0. Row i draws from stream (stream_base + b->first_row + i) of
 * seed (a splitmix64 sequence seeded by aud_rng_derive(): cheaper to start per
 * row than a Mersenne Twister).
 * @param st statistics of b's columns (computed over the whole input)
 * @return 0 or AUD_EINVAL (flip, grid or adversarial, or a level-less spec)
 */
int aud_perturb_apply(struct aud_batch *b, const struct aud_perturb *p,
    const struct aud_colstats *st, const unsigned char *mask, uint64_t seed,
    uint64_t stream_base, struct aud_error *err);

/**
 * Largest number of variants flip or grid gives one row (flip: the number
 * of values (a missing value gets them all); grid: prod(2 floor(D_c) + 1) - 1).
 */
size_t aud_perturb_max_variants(const struct aud_perturb *p, const struct aud_levels *flip);

/**
 * Write the variants of rows [from, to) of src (flip or grid) into dst,
 * starting at dst row 0 and setting dst->nrows. dst has src's columns and
 * capacity for (to - from) * aud_perturb_max_variants() rows.
 * row_of[k]: the src row of variant k; value_of[k] (flip: index of the value
 * in `flip`, grid: 0).
 * Grid: the neighbours of x are the points x' != x whose grid columns take
 * the values clamp(x_c + k) (k integer, |k| <= D_c; integer columns rounded),
 * duplicates removed; a missing grid value stays as it is.
 * @param cols the batch column of the flip column (cols[0]) or of each grid column
 * @return 0 or AUD_ENOMEM
 */
int aud_perturb_expand(struct aud_batch *dst, size_t *row_of, size_t *value_of,
    const struct aud_batch *src, size_t from, size_t to, const struct aud_perturb *p,
    const size_t *cols, const struct aud_colstats *st, const struct aud_levels *flip,
    struct aud_error *err);

#ifdef __cplusplus
}
#endif
#endif
