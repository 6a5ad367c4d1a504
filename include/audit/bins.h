/*
 * bins.h — bins of a numeric column: the `--bins COL=E1,E2,...` option of
 * every tool that groups rows by a protected attribute.
 *
 * Two spellings, one per side on which the bins are closed:
 *   age=25,45       left-closed:  age<25, 25<=age<45, age>=45
 *   age=<=25,<=45   right-closed: age<=25, 25<age<=45, age>45
 *                   (pandas.cut's default, right=True)
 * Edges increase strictly; every edge of one option uses the same spelling.
 * n edges give n + 1 bins, numbered 0..n from the lowest; a missing value is
 * in none of them (callers give it their own "(missing)" group).
 *
 * Labels: the compact form ("25<=age<45") names groups in JSON and tables;
 * the spaced form ("25 <= age < 45") is for sentences.
 *
 * The representative value of a bin (aud_bins_medians()) is the lower median
 * of the observed values that fall in it: always a value that occurs in the
 * data (so an integer column stays integer), used to move a row into another
 * bin for the counterfactual test.
 */
#ifndef AUDIT_BINS_H
#define AUDIT_BINS_H

#include <stddef.h>

#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Bin edges of one numeric column. Transparent; read-only for callers. */
struct aud_bins {
	const char *column;            /**< the column's name */
	size_t nedges;                 /**< >= 1 */
	const double *edges;           /**< strictly increasing */
	const char *const *edge_text;  /**< each edge as written ("25"), for labels */
	int right;                     /**< 1: right-closed bins (x <= edge), 0: left-closed */
	void *storage_;                /**< owned by aud_bins_parse(); NULL in a view */
};

/**
 * Parse "COL=E1,E2,..." or "COL=<=E1,<=E2,...".
 * @param what the option's name for messages ("--bins")
 * @param[out] out caller owns; free with aud_bins_free()
 * @return 0, AUD_EINVAL (the message names the option and what is wrong), AUD_ENOMEM
 */
int aud_bins_parse(struct aud_bins **out, const char *spec, const char *what,
    struct aud_error *err);

/** Free a parsed set of bins (NULL is allowed). */
void aud_bins_free(struct aud_bins *b);

/** Number of bins: nedges + 1. */
size_t aud_bins_count(const struct aud_bins *b);

/**
 * The bins given for `column` among `n` (the first whose column is named so), or
 * NULL. Borrowed: one of `bins`.
 */
const struct aud_bins *aud_bins_find(const struct aud_bins *const *bins, size_t n,
    const char *column);

/** The bin of x (0..nedges); x must not be NaN. */
size_t aud_bins_index(const struct aud_bins *b, double x);

/**
 * The label of bin i: compact ("25<=age<45") or spaced ("25 <= age < 45").
 * @return caller owns (free()); NULL when out of memory
 */
char *aud_bins_label(const struct aud_bins *b, size_t i, int spaced);

/**
 * Every bin's label, spaced, joined by ", " ("age < 25, 25 <= age < 45, age >= 45").
 * @return caller owns (free()); NULL when out of memory
 */
char *aud_bins_describe(const struct aud_bins *b);

/**
 * The representative value of every bin: the lower median of the values of
 * x[0..n) that fall in it (NaN values are skipped), or NaN for a bin no value
 * falls in.
 * @param[out] out aud_bins_count(b) values
 * @param[out] count aud_bins_count(b) counts of values per bin (may be NULL)
 * @return 0 or AUD_ENOMEM
 */
int aud_bins_medians(double *out, size_t *count, const struct aud_bins *b,
    const double *x, size_t n, struct aud_error *err);

#ifdef __cplusplus
}
#endif
#endif
