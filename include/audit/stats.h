/*
 * stats.h — the statistics every analysis shares: confidence intervals for
 * rates (Wilson) and for means (Student t), the ROC AUC and its variance
 * (DeLong), the chi-square test of independence, bootstrap helpers that
 * resample counts (never rows), and quantiles. Distributions come from GSL,
 * random numbers from rng.h.
 *
 * Counts may be weighted: every function takes doubles and treats weights as
 * frequency weights (a row of weight 2 counts as two identical rows), as
 * Fairlearn's sample_weight does. An undefined result (a zero denominator)
 * is NaN; callers turn it into JSON null.
 */
#ifndef AUDIT_STATS_H
#define AUDIT_STATS_H

#include <stddef.h>
#include <stdint.h>

#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

struct aud_rng;

/**
 * The two-sided standard normal quantile for a confidence level:
 * z with P(|Z| <= z) = level (1.959963984540054 for 0.95).
 * @param level in (0, 1)
 */
double aud_stats_z(double level);

/**
 * Wilson score interval for a proportion k/n.
 * @param k     successes (may be weighted), 0 <= k <= n
 * @param n     trials (may be weighted)
 * @param z     normal quantile from aud_stats_z()
 * @param[out] lo, hi  the interval; NaN when n <= 0
 */
void aud_stats_wilson(double k, double n, double z, double *lo, double *hi);

/**
 * Half-width of the Student t confidence interval of a mean:
 * t(0.5 + level/2, n-1) * sd / sqrt(n).
 * @param sd    the sample standard deviation (n - 1 denominator)
 * @param n     the number of values
 * @param level in (0, 1), e.g. 0.95
 * @return the half-width; NaN when n < 2 or sd is NaN
 */
double aud_stats_t_half(double sd, size_t n, double level);

/** Result of a chi-square test of independence. */
struct aud_chi2 {
	double statistic;     /**< Pearson's X^2; NaN when dof is 0 */
	long dof;             /**< (r-1)(c-1) over non-empty rows and columns */
	double p_value;       /**< upper tail of chi-square(dof); NaN when dof is 0 */
	double min_expected;  /**< smallest expected cell count (approximation check) */
};

/**
 * Pearson's chi-square test of independence on an r x c table of (weighted)
 * counts, row-major. Rows and columns whose total is zero are dropped first;
 * when fewer than two rows or columns remain, dof is 0 and the statistic and
 * p-value are NaN.
 */
void aud_stats_chi2(struct aud_chi2 *out, const double *table, size_t r, size_t c);

/**
 * Quantile (linear interpolation between order statistics, "type 7", the
 * default of R and numpy) of a sorted array.
 * @param sorted ascending, n >= 1, no NaN
 * @param p      in [0, 1]
 */
double aud_stats_quantile_sorted(const double *sorted, size_t n, double p);

/**
 * Percentile interval of bootstrap replicates: the (1-level)/2 and
 * (1+level)/2 quantiles (type 7) of the finite values of x, by selection
 * in linear time. Reorders x (NaNs moved to the end).
 * @param[out] lo, hi  NaN when fewer than two values are finite
 * @return the number of finite values used
 */
size_t aud_stats_percentile_interval(double *x, size_t n, double level,
    double *lo, double *hi);

/**
 * A ROC AUC and its DeLong variance from per-row placements, accumulated
 * one tie block at a time (scores sorted ascending).
 *
 * For each block of tied scores call aud_stats_auc_block() with the weights
 * of the positives and negatives in it, after aud_stats_auc_begin() with the
 * totals. Ties count half. Frequency weights.
 */
struct aud_auc_acc {
	double wpos, wneg;           /**< totals (given to _begin) */
	double neg_below, pos_below; /**< weight below the current block */
	double num;                  /**< sum over positives of w * (neg below + neg tied / 2) */
	double s10, ss10;            /**< sum of w*V10 and w*V10^2 over positives */
	double s01, ss01;            /**< the same for V01 over negatives */
};

/** Start an accumulation with the total positive and negative weights. */
void aud_stats_auc_begin(struct aud_auc_acc *a, double wpos, double wneg);
/** Add one block of tied scores. */
void aud_stats_auc_block(struct aud_auc_acc *a, double pos, double neg);
/**
 * The AUC and DeLong's variance (S10/m + S01/n with m, n the positive and
 * negative weights). AUC is NaN without positives or negatives; the variance
 * is NaN unless both weights exceed 1.
 */
void aud_stats_auc_end(const struct aud_auc_acc *a, double *auc, double *var);

/**
 * The ROC AUC of unweighted scores against 0/1 labels (the Mann-Whitney
 * statistic; tied scores count half), through the accumulator above.
 * @param[out] out the AUC; NaN when n is 0, a score is NaN, or the labels
 *                 are all positive or all negative
 * @param y        labels, nonzero is positive
 * @return 0, or AUD_ENOMEM
 */
int aud_stats_auc(double *out, const double *score, const unsigned char *y, size_t n,
    struct aud_error *err);

/**
 * Draw one bootstrap replicate of a table of counts: a multinomial sample
 * of `total` trials over k cells with probabilities proportional to counts.
 * @param counts   the observed counts (row counts, not weights)
 * @param p        scratch of k doubles
 * @param[out] out k counts summing to total
 * @return 0, or AUD_EINVAL when total exceeds the generator's range (2^32-1)
 */
int aud_stats_multinomial(struct aud_rng *r, size_t k, uint64_t total,
    const uint64_t *counts, double *p, unsigned int *out, struct aud_error *err);

#ifdef __cplusplus
}
#endif
#endif
