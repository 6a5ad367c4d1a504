/* test_stats.c — Wilson, chi-square, quantiles, DeLong, multinomial draws. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/rng.h>
#include <audit/stats.h>

#include "runner.h"

void
test_stats__z(void)
{
	CHECK_REL(aud_stats_z(0.95), 1.959963984540054, 1e-12);
	CHECK_REL(aud_stats_z(0.90), 1.6448536269514722, 1e-12);
}

/* Textbook values: 5/10 at 95% is [0.2366, 0.7634]; 0/10 and 10/10 in closed form. */
void
test_stats__wilson(void)
{
	double lo, hi, z = aud_stats_z(0.95), z2 = z * z;

	aud_stats_wilson(5, 10, z, &lo, &hi);
	CHECK_REL(lo, 0.2365931, 1e-6);
	CHECK_REL(hi, 0.7634069, 1e-6);
	aud_stats_wilson(0, 10, z, &lo, &hi);
	CHECK_DBL_EQ(lo, 0.0);
	CHECK_REL(hi, z2 / (10 + z2), 1e-12);
	aud_stats_wilson(10, 10, z, &lo, &hi);
	CHECK_REL(lo, 10 / (10 + z2), 1e-12);
	CHECK_DBL_EQ(hi, 1.0);
	/* weighted counts are frequency weights: 2.5 of 5 is 5 of 10 with half n */
	aud_stats_wilson(2.5, 5, z, &lo, &hi);
	CHECK(lo < 0.2365931 && hi > 0.7634069);
	aud_stats_wilson(0, 0, z, &lo, &hi);
	CHECK(isnan(lo) && isnan(hi));
}

void
test_stats__chi2_2x2(void)
{
	/* rows 30, 70; columns 40, 60; expected 12 18 28 42 */
	const double t[] = { 10, 20, 30, 40 };
	double want = 4.0 / 12 + 4.0 / 18 + 4.0 / 28 + 4.0 / 42;
	struct aud_chi2 r;

	aud_stats_chi2(&r, t, 2, 2);
	CHECK_INT_EQ(r.dof, 1);
	CHECK_REL(r.statistic, want, 1e-12);
	/* chi-square(1) upper tail = erfc(sqrt(x / 2)) */
	CHECK_REL(r.p_value, erfc(sqrt(want / 2)), 1e-12);
	CHECK_REL(r.min_expected, 12.0, 1e-12);
}

void
test_stats__chi2_drops_empty_rows_and_dof2(void)
{
	const double t[] = { 0, 0, 10, 20, 30, 40, 25, 5 };
	const double one_col[] = { 3, 0, 4, 0 };
	double e[3][2], x = 0;
	struct aud_chi2 r;
	int i, j;
	const double rs[] = { 30, 70, 30 }, cs[] = { 65, 65 }, obs[3][2] = { { 10, 20 }, { 30, 40 }, { 25, 5 } };

	for (i = 0; i < 3; i++)
		for (j = 0; j < 2; j++) {
			e[i][j] = rs[i] * cs[j] / 130.0;
			x += (obs[i][j] - e[i][j]) * (obs[i][j] - e[i][j]) / e[i][j];
		}
	aud_stats_chi2(&r, t, 4, 2);
	CHECK_INT_EQ(r.dof, 2);
	CHECK_REL(r.statistic, x, 1e-12);
	/* chi-square(2) upper tail = exp(-x / 2) */
	CHECK_REL(r.p_value, exp(-x / 2), 1e-12);
	aud_stats_chi2(&r, one_col, 2, 2);
	CHECK_INT_EQ(r.dof, 0);
	CHECK(isnan(r.statistic) && isnan(r.p_value));
}

void
test_stats__quantiles(void)
{
	const double s[] = { 1, 2, 3, 4 };
	double x[] = { 4, NAN, 1, 3, 2, INFINITY }, lo, hi;

	CHECK_REL(aud_stats_quantile_sorted(s, 4, 0.5), 2.5, 1e-15);
	CHECK_REL(aud_stats_quantile_sorted(s, 4, 0.25), 1.75, 1e-15);
	CHECK_REL(aud_stats_quantile_sorted(s, 4, 0.0), 1, 0);
	CHECK_REL(aud_stats_quantile_sorted(s, 4, 1.0), 4, 0);
	CHECK_REL(aud_stats_quantile_sorted(s, 1, 0.3), 1, 0);
	CHECK_INT_EQ(aud_stats_percentile_interval(x, 6, 0.5, &lo, &hi), 4);
	CHECK_REL(lo, 1.75, 1e-15);
	CHECK_REL(hi, 3.25, 1e-15);
	CHECK_INT_EQ(aud_stats_percentile_interval(x, 1, 0.5, &lo, &hi), 1);
	CHECK(isnan(lo) && isnan(hi));
}

/* Brute-force DeLong on explicit rows: psi over every (positive, negative) pair. */
static void
delong_brute(const double *pos, size_t m, const double *neg, size_t n, double *auc,
    double *var)
{
	double *v10 = calloc(m, sizeof(double)), *v01 = calloc(n, sizeof(double));
	double a = 0, s10 = 0, s01 = 0;
	size_t i, j;

	for (i = 0; i < m; i++)
		for (j = 0; j < n; j++) {
			double psi = pos[i] > neg[j] ? 1 : pos[i] == neg[j] ? 0.5 : 0;

			v10[i] += psi / n;
			v01[j] += psi / m;
			a += psi;
		}
	a /= (double)(m * n);
	for (i = 0; i < m; i++)
		s10 += (v10[i] - a) * (v10[i] - a) / (m - 1);
	for (j = 0; j < n; j++)
		s01 += (v01[j] - a) * (v01[j] - a) / (n - 1);
	*auc = a;
	*var = s10 / m + s01 / n;
	free(v10);
	free(v01);
}

void
test_stats__delong_matches_brute_force(void)
{
	/* sorted blocks of tied scores: (score, positives, negatives) */
	const double blk[][3] = { { 0.1, 0, 2 }, { 0.3, 1, 1 }, { 0.4, 0, 1 },
		{ 0.6, 2, 1 }, { 0.8, 1, 0 }, { 0.9, 2, 1 } };
	double pos[16], neg[16], auc, var, bauc, bvar;
	size_t m = 0, n = 0, b, i;
	struct aud_auc_acc a;

	for (b = 0; b < 6; b++) {
		for (i = 0; i < (size_t)blk[b][1]; i++)
			pos[m++] = blk[b][0];
		for (i = 0; i < (size_t)blk[b][2]; i++)
			neg[n++] = blk[b][0];
	}
	delong_brute(pos, m, neg, n, &bauc, &bvar);
	aud_stats_auc_begin(&a, (double)m, (double)n);
	for (b = 0; b < 6; b++)
		aud_stats_auc_block(&a, blk[b][1], blk[b][2]);
	aud_stats_auc_end(&a, &auc, &var);
	CHECK_REL(auc, bauc, 1e-14);
	CHECK_REL(var, bvar, 1e-14);
	/* hand value: 6 positives, 6 negatives; concordant pairs 27.5 of 36 */
	CHECK_REL(auc, 27.5 / 36.0, 1e-14);
}

void
test_stats__delong_undefined(void)
{
	struct aud_auc_acc a;
	double auc, var;

	aud_stats_auc_begin(&a, 3, 0);
	aud_stats_auc_block(&a, 3, 0);
	aud_stats_auc_end(&a, &auc, &var);
	CHECK(isnan(auc) && isnan(var));
	/* one positive: AUC defined, variance not */
	aud_stats_auc_begin(&a, 1, 2);
	aud_stats_auc_block(&a, 0, 2);
	aud_stats_auc_block(&a, 1, 0);
	aud_stats_auc_end(&a, &auc, &var);
	CHECK_DBL_EQ(auc, 1.0);
	CHECK(isnan(var));
}

void
test_stats__multinomial(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_rng *r = NULL;
	const uint64_t counts[] = { 5, 0, 10, 85 };
	unsigned int out[4], out2[4];
	double p[4];
	int i;

	CHECK_INT_EQ(aud_rng_new(&r, 7, 0, &err), 0);
	CHECK_INT_EQ(aud_stats_multinomial(r, 4, 100, counts, p, out, &err), 0);
	CHECK_INT_EQ(out[0] + out[1] + out[2] + out[3], 100);
	CHECK_INT_EQ(out[1], 0);
	aud_rng_reseed(r, 7, 0);
	CHECK_INT_EQ(aud_stats_multinomial(r, 4, 100, counts, p, out2, &err), 0);
	for (i = 0; i < 4; i++)
		CHECK_INT_EQ(out[i], out2[i]);
	CHECK_INT_EQ(aud_stats_multinomial(r, 4, 5000000000ull, counts, p, out, &err), AUD_EINVAL);
	CHECK(strstr(err.msg, "5000000000") != NULL);
	aud_rng_free(r);
}

/* Student t half-widths against closed forms: with 1 degree of freedom t is
 * Cauchy, t_p = tan(pi (p - 1/2)); with 2, t_p = (2p - 1) / sqrt(2 p (1 - p)). */
void
test_stats__t_half(void)
{
	double t1 = tan(M_PI * 0.475), t2 = 0.95 / sqrt(2.0 * 0.975 * 0.025);

	CHECK_REL(t1, 12.706204736174707, 1e-12);
	/* n = 2: sd 1 */
	CHECK_REL(aud_stats_t_half(1.0, 2, 0.95), t1 / sqrt(2.0), 1e-10);
	/* n = 3: sd 2, level 0.95 */
	CHECK_REL(aud_stats_t_half(2.0, 3, 0.95), t2 * 2.0 / sqrt(3.0), 1e-10);
	/* n = 3, level 0.90: t = 0.9 / sqrt(2 * 0.95 * 0.05) = 2.919986 */
	CHECK_REL(aud_stats_t_half(1.0, 3, 0.90), 0.9 / sqrt(2.0 * 0.95 * 0.05) / sqrt(3.0), 1e-10);
	/* large n tends to the normal quantile */
	CHECK_REL(aud_stats_t_half(1.0, 1000001, 0.95) * sqrt(1000001.0), aud_stats_z(0.95), 1e-5);
	CHECK(isnan(aud_stats_t_half(1.0, 1, 0.95)));
	CHECK(isnan(aud_stats_t_half(1.0, 0, 0.95)));
	CHECK(isnan(aud_stats_t_half(NAN, 5, 0.95)));
	CHECK_DBL_EQ(aud_stats_t_half(0.0, 5, 0.95), 0.0);
}

/* AUC by hand: positives {0.35, 0.8} against negatives {0.1, 0.4}: 3 of 4 pairs. */
void
test_stats__auc_hand(void)
{
	const double s[] = { 0.1, 0.4, 0.35, 0.8 };
	const unsigned char y[] = { 0, 0, 1, 1 };
	/* a tie between a positive and a negative counts half: (1 + 1 + 1 + 0.5) / 4 */
	const double t[] = { 0.5, 0.5, 0.2, 0.9 };
	const unsigned char yt[] = { 1, 0, 0, 1 };
	/* all tied: 0.5; labels nonzero mean positive */
	const double same[] = { 3, 3, 3 };
	const unsigned char ys[] = { 7, 0, 0 };
	const double bad[] = { 0.1, NAN, 0.3 };
	double auc;
	struct aud_error err = AUD_ERROR_INIT;

	CHECK_INT_EQ(aud_stats_auc(&auc, s, y, 4, &err), 0);
	CHECK_DBL_EQ(auc, 0.75);
	CHECK_INT_EQ(aud_stats_auc(&auc, t, yt, 4, &err), 0);
	CHECK_DBL_EQ(auc, 0.875);
	CHECK_INT_EQ(aud_stats_auc(&auc, same, ys, 3, &err), 0);
	CHECK_DBL_EQ(auc, 0.5);
	/* undefined: one class only, no rows, a NaN score */
	CHECK_INT_EQ(aud_stats_auc(&auc, s, y + 2, 2, &err), 0);
	CHECK(isnan(auc));
	CHECK_INT_EQ(aud_stats_auc(&auc, s, y, 0, &err), 0);
	CHECK(isnan(auc));
	CHECK_INT_EQ(aud_stats_auc(&auc, bad, ys, 3, &err), 0);
	CHECK(isnan(auc));
}

/* The AUC of a score and of its reverse add to 1 (an identity), on many ties. */
void
test_stats__auc_reverse_identity(void)
{
	double s[200], r[200], a, b;
	unsigned char y[200];
	size_t i;
	struct aud_error err = AUD_ERROR_INIT;

	for (i = 0; i < 200; i++) {
		s[i] = (double)((i * 37) % 23);
		r[i] = -s[i];
		y[i] = (i * 11) % 7 < 3;
	}
	CHECK_INT_EQ(aud_stats_auc(&a, s, y, 200, &err), 0);
	CHECK_INT_EQ(aud_stats_auc(&b, r, y, 200, &err), 0);
	CHECK_REL(a + b, 1.0, 1e-12);
	CHECK(a > 0.0 && a < 1.0);
}
