/*
 * driftstat.h — two-sample statistics for data drift, equal to SciPy's.
 *
 * Each function compares a reference sample with a current one and returns
 * the statistic (and p-value) SciPy 1.10 gives for the same data:
 *   aud_ks_2samp            scipy.stats.ks_2samp, two-sided, method "auto"
 *                           (exact when both samples hold at most 10,000
 *                           values, asymptotic otherwise; "exact" falls back
 *                           to "asymp" where SciPy's does), or a method forced;
 *                           "asymp" is SciPy's: the one-sample Kolmogorov
 *                           distribution kstwo of size round(n m / (n + m))
 *   aud_wasserstein_sorted  scipy.stats.wasserstein_distance (unweighted)
 *   aud_chisquare_gof       scipy.stats.chisquare(cur, ref * n_cur / n_ref):
 *                           goodness of fit of the current counts against
 *                           the reference proportions (Evidently's test)
 *   aud_chi2_contingency    scipy.stats.chi2_contingency of the 2 x k table
 *                           (reference and current counts), Yates-corrected
 *                           at one degree of freedom as SciPy's default
 *   aud_jensenshannon       scipy.spatial.distance.jensenshannon (natural
 *                           logarithm: a distance, the square root of the
 *                           divergence), proportions normalised first
 *   aud_ztest_2prop         Evidently's two-proportion z-test (pooled), two-sided
 *                           (p-value 2 Q(|z|): Evidently's 2 (1 - Phi(|z|))
 *                           without its rounding to 0 beyond |z| = 8.3)
 *   aud_psi                 population stability index with a 1e-4 floor
 *   aud_psi_edges           the numeric PSI's bin edges: the reference's
 *                           deciles (numpy.quantile, linear interpolation)
 * Samples are sorted ascending and hold no NaN (the caller drops missing
 * values). Distributions come from GSL. Pure functions: no state, no I/O.
 */
#ifndef AUDIT_DRIFTSTAT_H
#define AUDIT_DRIFTSTAT_H

#include <stddef.h>
#include <stdint.h>

#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** How the Kolmogorov–Smirnov p-value is computed. */
enum aud_ks_method {
	AUD_KS_AUTO = 0,   /**< SciPy's "auto": exact when max(n_ref, n_cur) <= 10000 */
	AUD_KS_EXACT,      /**< the exact distribution (falls back as SciPy does) */
	AUD_KS_ASYMP       /**< the asymptotic (Kolmogorov) distribution */
};

/** The outcome of a two-sample KS test. */
struct aud_ks {
	double statistic;  /**< D = sup |F_ref - F_cur| */
	double pvalue;     /**< two-sided */
	int exact;         /**< 1 when the exact distribution gave the p-value */
};

/**
 * Two-sample Kolmogorov–Smirnov test of two sorted samples (n >= 1 each).
 * When the exact distribution is tried, the statistic is SciPy's rounding of
 * D to the nearest multiple of 1 / lcm(nref, ncur).
 * @return 0, AUD_EINVAL (an empty sample)
 */
int aud_ks_2samp(struct aud_ks *out, const double *ref, size_t nref, const double *cur,
    size_t ncur, enum aud_ks_method method, struct aud_error *err);

/**
 * The two-sided p-value of a KS statistic `d` for samples of sizes nref and
 * ncur, as aud_ks_2samp() computes it (for a statistic found otherwise, e.g.
 * from sketches). *exact (may be NULL) says which distribution was used.
 */
double aud_ks_pvalue(double d, uint64_t nref, uint64_t ncur, enum aud_ks_method method,
    int *exact);

/** Wasserstein-1 distance of two sorted non-empty samples: the area between their CDFs. */
double aud_wasserstein_sorted(const double *ref, size_t nref, const double *cur, size_t ncur);

/**
 * Chi-square goodness of fit of `cur` counts to the `ref` proportions over k
 * categories: expected_i = ref_i * sum(cur) / sum(ref). *statistic and
 * *pvalue are NaN when a category has ref_i == 0 (its expected count is 0)
 * or k < 2 (no degree of freedom).
 */
void aud_chisquare_gof(double *statistic, double *pvalue, const double *cur,
    const double *ref, size_t k);

/**
 * Chi-square test of independence of the 2 x k table of reference and
 * current counts (scipy.stats.chi2_contingency with its defaults: Yates's
 * correction when there is one degree of freedom, k == 2). k == 1: statistic
 * 0 and p-value 1, as SciPy. NaN when a file has no count or a category has
 * none in either (an expected count of 0, which SciPy refuses).
 */
void aud_chi2_contingency(double *statistic, double *pvalue, const double *ref,
    const double *cur, size_t k);

/**
 * Jensen–Shannon distance of two count or proportion vectors over k
 * categories (each normalised to sum 1 first; natural logarithm).
 * NaN when either sums to 0.
 */
double aud_jensenshannon(const double *p, const double *q, size_t k);

/**
 * Two-proportion z-test: x_ref successes of n_ref against x_cur of n_cur,
 * pooled proportion, two-sided normal p-value. Evidently's sign:
 * z = (p_ref - p_cur) / sqrt(P (1 - P) (1/n_ref + 1/n_cur)). When P is 0 or 1
 * (both samples of one value) z is 0 and the p-value 1.
 */
void aud_ztest_2prop(double *z, double *pvalue, uint64_t x_ref, uint64_t n_ref,
    uint64_t x_cur, uint64_t n_cur);

/**
 * PSI = sum_i (cur_i - ref_i) ln(cur_i / ref_i) over k bins, where ref_i and
 * cur_i are the bins' proportions of the two count vectors, each raised to
 * 1e-4 when below it. NaN when either vector sums to 0.
 */
double aud_psi(const double *ref_counts, const double *cur_counts, size_t k);

/** Number of PSI bins over a numeric column. */
#define AUD_PSI_BINS 10

/**
 * The AUD_PSI_BINS - 1 inner edges of the numeric PSI bins: the reference's
 * quantiles k/10, k = 1..9 (numpy.quantile, linear interpolation) of a
 * sorted non-empty sample. A value equal to an edge belongs to the upper
 * bin; aud_psi_bin() finds it.
 */
void aud_psi_edges(double edges[AUD_PSI_BINS - 1], const double *sorted, size_t n);

/** The bin (0 .. AUD_PSI_BINS-1) of x under aud_psi_edges()'s edges. */
size_t aud_psi_bin(const double edges[AUD_PSI_BINS - 1], double x);

#ifdef __cplusplus
}
#endif
#endif
