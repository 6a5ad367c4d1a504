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
