/*
 * driftstat.c — two-sample drift statistics computed as SciPy 1.10 computes
 * them (see driftstat.h).
 *
 * The Kolmogorov–Smirnov p-value follows scipy.stats.ks_2samp step by step:
 * "auto" is exact when max(n_ref, n_cur) <= 10000; the exact two-sided
 * probability counts lattice paths (the n == n square formula, or the
 * "inside" recursion of Hodges with Viehmann's 1 - p form); when that fails,
 * or when asked for "asymp", the p-value is that of the one-sample
 * two-sided Kolmogorov distribution of size round(n m / (n + m)) (SciPy's
 * kstwo, not the limiting kstwobign). kstwo's survival function is the
 * Simard–L'Ecuyer selection among Durbin's matrix (Marsaglia–Tsang–Wang),
 * Pomeranz's recursion, the Pelz–Good expansion and the exact one-sided
 * Smirnov sum, with SciPy's thresholds.
 */
#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include <audit/driftstat.h>

#define KS_MAX_AUTO_N 10000
/* exp() below this underflows double (cephes MINLOG) */
#define KS_MINLOG (-7.08396418532264106224e2)
/* SciPy's one-sided Smirnov sum gives way to an approximation above this n. */
#define KS_SMIRNOV_MAX_N 1000000
#define KS_E128 128
#define KS_SQRT2PI 2.50662827463100050241576528481104525
#define KS_LOG_2PI 1.83787706640934548356065947281123527
#define KS_PI 3.14159265358979323846264338327950288

/* ---- the one-sided Smirnov distribution: P(D+_n >= x) ---- */

/* floor(n x) and the fractional part, exactly (n x as a double-double). */
static double
mod_nx(int n, double x, int *nxfloor, double *nxhi, double *nxlo)
{
	double hi = (double)n * x;
	double lo = fma((double)n, x, -hi);
	double f = floor(hi);
	double alpha;

	if (f == hi && lo < 0)
		f -= 1;
	alpha = (hi - f) + lo;
	if (alpha >= 1) {
		f += 1;
		alpha = 0;
	}
	if (alpha < 0)
		alpha = 0;
	*nxfloor = (int)f;
	*nxhi = hi;
	*nxlo = lo;
	return alpha;
}

static double
clip01(double p)
{
	if (p < 0)
		return 0;
	if (p > 1)
		return 1;
	return p;
}

/*
 * Survival function of the one-sided Smirnov statistic (scipy.special.smirnov):
 * Birnbaum–Tingey's sum x * sum_v C(n,v) (1-x-v/n)^(n-v) (x+v/n)^(v-1), the
 * terms taken in log space, with SciPy's special cases and early stop.
 */
static double
smirnov_sf(int n, double x)
{
	double alpha, nxhi, nxlo, sum, lt, t;
	int nxfl, nterms, j, te, se;

	if (!(n > 0 && x >= 0.0 && x <= 1.0))
		return NAN;
	if (n == 1)
		return 1 - x;
	if (x == 0.0)
		return 1.0;
	if (x == 1.0)
		return 0.0;
	alpha = mod_nx(n, x, &nxfl, &nxhi, &nxlo);
	if (nxfl == 0 || (nxfl == 1 && alpha == 0))
		return clip01(1 - x * pow(1 + x, n - 1));
	if (-2.0 * n * x * x < KS_MINLOG)
		return 0.0;
	if (nxfl >= n - 1)
		return clip01(pow(1 - x, n));
	if (n > KS_SMIRNOV_MAX_N) {
		double logp = -pow(6.0 * n * x + 1, 2) / 18.0 / n;

		if (logp < -M_LN2)
			return clip01(exp(logp));
		return clip01(1 - (-expm1(logp)));
	}
	/*
	 * Terms v = 0 .. n - nxfl - 1 (the next one is zero or beyond the sum).
	 * Each term is the previous one times a ratio of order 1 whose parts are
	 * computed with log1p(), so the relative error grows by a few ulps per
	 * term; terms and sum are kept as mantissa * 2^exponent (they underflow
	 * a double for large n).
	 */
	nterms = n - nxfl;
	lt = (double)n * log1p(-x) - log(x); /* v = 0: (1-x)^n / x */
	te = (int)floor(lt / M_LN2);
	t = exp(lt - te * M_LN2);
	sum = t;
	se = te;
	for (j = 1; j < nterms; j++) {
		double na = (nxhi + (double)j) + nxlo;             /* n x + j */
		double nb = ((double)(n - j + 1) - nxhi) - nxlo;   /* n - n x - j + 1 */
		double e = (double)(j - 2) * log1p(1.0 / (na - 1.0))
		    + (double)(n - j) * log1p(-1.0 / nb);
		int k;

		t *= (double)(n - j + 1) / (double)j * (na / nb) * exp(e);
		t = frexp(t, &k);
		te += k;
		if (te > se + 500) {
			sum = ldexp(sum, se - te);
			se = te;
		}
		sum += ldexp(t, te - se);
		if (4.0 * (nterms - j) * ldexp(t, te - se) < DBL_EPSILON * sum && j != nterms - 1)
			break;
	}
	return clip01(ldexp(x * sum, se));
}

/* ---- the two-sided one-sample Kolmogorov distribution (SciPy's kstwo) ---- */

/* Durbin's matrix method as Marsaglia, Tsang and Wang compute it: P(D_n <= d). */
static double
kolmogn_dmtw_cdf(int n, double d)
{
	double nd = n * d, h, p, fac, tt;
	int k, m, i, j, l, nn, expnt = 0, hexpnt = 0;
	double *H = NULL, *P = NULL, *T = NULL, *v = NULL, *w = NULL;

	if (d >= 1.0)
		return 1.0;
	if (nd <= 0.5)
		return 0.0;
	k = (int)ceil(nd);
	h = k - nd;
	m = 2 * k - 1;
	H = calloc((size_t)m * m, sizeof(*H));
	P = calloc((size_t)m * m, sizeof(*P));
	T = calloc((size_t)m * m, sizeof(*T));
	v = calloc((size_t)m, sizeof(*v));
	w = calloc((size_t)m, sizeof(*w));
	if (H == NULL || P == NULL || T == NULL || v == NULL || w == NULL) {
		p = NAN;
		goto done;
	}
	fac = 1.0;
	for (j = 1; j <= m; j++) {
		v[j - 1] = 1.0 - pow(h, j);
		w[j - 1] = fac;
		fac /= j;
		v[j - 1] *= fac;
	}
	tt = pow(fmax(2 * h - 1.0, 0), m) - 2 * pow(h, m);
	v[m - 1] = (1.0 + tt) * fac;
	for (i = 1; i < m; i++)
		for (j = i - 1; j < m; j++)
			H[(size_t)j * m + i] = w[j - (i - 1)];
	for (i = 0; i < m; i++)
		H[(size_t)i * m] = v[i];
	for (i = 0; i < m; i++)
		H[(size_t)(m - 1) * m + i] = v[m - 1 - i];
	for (i = 0; i < m; i++)
		P[(size_t)i * m + i] = 1.0;
	nn = n;
	while (nn > 0) {
		if (nn % 2) {
			memset(T, 0, (size_t)m * m * sizeof(*T));
			for (i = 0; i < m; i++)
				for (l = 0; l < m; l++) {
					double a = P[(size_t)i * m + l];

					if (a == 0)
						continue;
					for (j = 0; j < m; j++)
						T[(size_t)i * m + j] += a * H[(size_t)l * m + j];
				}
			memcpy(P, T, (size_t)m * m * sizeof(*T));
			expnt += hexpnt;
		}
		memset(T, 0, (size_t)m * m * sizeof(*T));
		for (i = 0; i < m; i++)
			for (l = 0; l < m; l++) {
				double a = H[(size_t)i * m + l];

				if (a == 0)
					continue;
				for (j = 0; j < m; j++)
					T[(size_t)i * m + j] += a * H[(size_t)l * m + j];
			}
		memcpy(H, T, (size_t)m * m * sizeof(*T));
		hexpnt *= 2;
		if (fabs(H[(size_t)(k - 1) * m + (k - 1)]) > ldexp(1.0, KS_E128)) {
			for (i = 0; i < m * m; i++)
				H[i] = ldexp(H[i], -KS_E128);
			hexpnt += KS_E128;
		}
		nn /= 2;
	}
	p = P[(size_t)(k - 1) * m + (k - 1)];
	for (i = 1; i <= n; i++) {
		p = i * p / n;
		if (fabs(p) < ldexp(1.0, -KS_E128)) {
			p = ldexp(p, KS_E128);
			expnt -= KS_E128;
		}
	}
	if (expnt != 0)
		p = ldexp(p, expnt);
	p = clip01(p);
done:
	free(H);
	free(P);
	free(T);
	free(v);
	free(w);
	return p;
}

static void
pomeranz_j1j2(int i, int n, int ll, int ceilf, int roundf, int *j1, int *j2)
{
	int a, b;

	if (i == 0) {
		a = -ll - ceilf - 1;
		b = ll + ceilf - 1;
	} else {
		int ip1div2 = (i + 1) / 2, ip1mod2 = (i + 1) % 2;

		if (ip1mod2 == 0) {
			if (ip1div2 == n + 1) {
				a = n - ll - ceilf - 1;
				b = n + ll + ceilf - 1;
			} else {
				a = ip1div2 - 1 - ll - roundf - 1;
				b = ip1div2 + ll - 1 + ceilf - 1;
			}
		} else {
			a = ip1div2 - 1 - ll - 1;
			b = ip1div2 + ll + roundf - 1;
		}
	}
	*j1 = a + 2 > 0 ? a + 2 : 0;
	*j2 = b < n ? b : n;
}

/* Pomeranz's recursion: P(D_n <= x). */
static double
kolmogn_pomeranz_cdf(int n, double x)
{
	double t = n * x, f, g, ans = NAN;
	int ll = (int)floor(t), ceilf, roundf, npwrs, m, i, j1, j2, v0s = 0, v1s = 0, expnt = 0;
	double *gp = NULL, *tgp = NULL, *ogp = NULL, *v0 = NULL, *v1 = NULL, *conv = NULL;

	f = t - ll;
	g = fmin(f, 1.0 - f);
	ceilf = f > 0 ? 1 : 0;
	roundf = f > 0.5 ? 1 : 0;
	npwrs = 2 * (ll + 1);
	gp = malloc((size_t)npwrs * sizeof(*gp));
	tgp = malloc((size_t)npwrs * sizeof(*tgp));
	ogp = malloc((size_t)npwrs * sizeof(*ogp));
	v0 = calloc((size_t)npwrs, sizeof(*v0));
	v1 = calloc((size_t)npwrs, sizeof(*v1));
	conv = calloc((size_t)2 * npwrs, sizeof(*conv));
	if (gp == NULL || tgp == NULL || ogp == NULL || v0 == NULL || v1 == NULL || conv == NULL)
		goto done;
	gp[0] = tgp[0] = ogp[0] = 1.0;
	for (m = 1; m < npwrs; m++) {
		gp[m] = gp[m - 1] * (g / n) / m;
		tgp[m] = tgp[m - 1] * (2 * g / n) / m;
		ogp[m] = ogp[m - 1] * ((1 - 2 * g) / n) / m;
	}
	v1[0] = 1;
	pomeranz_j1j2(0, n, ll, ceilf, roundf, &j1, &j2);
	for (i = 1; i < 2 * n + 2; i++) {
		int k1 = j1, ln2, a, b;
		double *swap = v0, *pw;
		int s = v0s;

		v0 = v1;
		v1 = swap;
		v0s = v1s;
		v1s = s;
		memset(v1, 0, (size_t)npwrs * sizeof(*v1));
		pomeranz_j1j2(i, n, ll, ceilf, roundf, &j1, &j2);
		if (i == 1 || i == 2 * n + 1)
			pw = gp;
		else
			pw = (i % 2) ? tgp : ogp;
		ln2 = j2 - k1 + 1;
		if (ln2 > 0) {
			int conv_start = j1 - k1, conv_len = j2 - j1 + 1, has_max = 0;
			double vmax = 0;

			/* full convolution of V0[k1 - v0s ..][:ln2] with pw[:ln2] */
			for (a = 0; a < 2 * ln2 - 1; a++)
				conv[a] = 0;
			for (a = 0; a < ln2; a++) {
				int ia = k1 - v0s + a;
				double va = (ia >= 0 && ia < npwrs) ? v0[ia] : 0.0;

				for (b = 0; b < ln2; b++)
					conv[a + b] += va * pw[b];
			}
			for (a = 0; a < conv_len; a++) {
				v1[a] = conv[conv_start + a];
				if (!has_max || v1[a] > vmax)
					vmax = v1[a];
				has_max = 1;
			}
			for (a = conv_len; a < npwrs; a++)
				if (v1[a] > vmax)
					vmax = v1[a];
			if (0 < vmax && vmax < ldexp(1.0, -KS_E128)) {
				for (a = 0; a < npwrs; a++)
					v1[a] = ldexp(v1[a], KS_E128);
				expnt -= KS_E128;
			}
			v1s = v0s + j1 - k1;
		}
	}
	ans = v1[n - v1s];
	for (m = 1; m <= n; m++) {
		if (fabs(ans) > ldexp(1.0, KS_E128)) {
			ans = ldexp(ans, -KS_E128);
			expnt += KS_E128;
		}
		ans *= m;
	}
	if (expnt != 0)
		ans = ldexp(ans, expnt);
	ans = clip01(ans);
done:
	free(gp);
	free(tgp);
	free(ogp);
	free(v0);
	free(v1);
	free(conv);
	return ans;
}

/* The Pelz–Good expansion: P(D_n <= x). */
static double
kolmogn_pelzgood_cdf(int n, double x)
{
	double z, z2, z3, z4, z6, qlog, q, k1a, k1b, k2a, k2b, k2c, k3a, k3b, k3c, k3d;
	double K[4] = { 0, 0, 0, 0 }, sqrt3z, k2extra = 0, k3extra = 0, sum;
	const double pi2 = KS_PI * KS_PI, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
	int maxk, k, i;

	if (x <= 0.0)
		return 0.0;
	if (x >= 1.0)
		return 1.0;
	z = sqrt((double)n) * x;
	z2 = z * z;
	z3 = z2 * z;
	z4 = z2 * z2;
	z6 = z4 * z2;
	qlog = -pi2 / 8 / z2;
	if (qlog < -708)
		return 0.0;
	q = exp(qlog);
	k1a = -z2;
	k1b = pi2 / 4;
	k2a = 6 * z6 + 2 * z4;
	k2b = (2 * z4 - 5 * z2) * pi2 / 4;
	k2c = pi4 * (1 - 2 * z2) / 16;
	k3d = pi6 * (5 - 30 * z2) / 64;
	k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
	k3b = pi2 * (135 * z4 - 96 * z6) / 4;
	k3a = -30 * z6 - 90 * pow(z, 8);
	maxk = (int)ceil(16 * z / KS_PI);
	for (k = maxk; k > 0; k--) {
		double mm = 2.0 * k - 1, m2 = mm * mm, m4 = m2 * m2, m6 = m4 * m2;
		double qp = pow(q, 8.0 * k);
		double c[4] = { 1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
			k3a + k3b * m2 + k3c * m4 + k3d * m6 };

		for (i = 0; i < 4; i++)
			K[i] = K[i] * qp + c[i];
	}
	{
		double den[4] = { z, 6 * z4, 72 * pow(z, 7), 6480 * pow(z, 10) };

		for (i = 0; i < 4; i++)
			K[i] = K[i] * q * KS_SQRT2PI / den[i];
	}
	q = exp(-pi2 / 2 / z2);
	sqrt3z = sqrt(3.0) * z;
	for (k = maxk; k > 0; k--) {
		double ks2 = (double)k * k, qk = pow(q, ks2), kspi = KS_PI * k;

		k2extra += ks2 * qk;
		k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qk;
	}
	K[2] += k2extra * (pi2 * KS_SQRT2PI / (-36 * z3));
	K[3] += k3extra * (pi2 * KS_SQRT2PI / (216 * z6));
	sum = 0;
	for (i = 0; i < 4; i++)
		sum += K[i] / pow((double)n, i / 2.0);
	return sum;
}

static double
log_nfact_div_n_pow_n(int n)
{
	static const double c[8] = { -2.955065359477124183e-2, 6.4102564102564102564e-3,
		-1.9175269175269175269e-3, 8.4175084175084175084e-4, -5.952380952380952381e-4,
		7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2 };
	double rn = 1.0 / n, u = rn / n, p = 0;
	int i;

	for (i = 0; i < 8; i++)
		p = p * u + c[i];
	return log((double)n) / 2 - n + KS_LOG_2PI / 2 + rn * p;
}

/* kstwo.sf(x, n): P(D_n > x) for the two-sided one-sample statistic. */
static double
kstwo_sf(int n, double x)
{
	double t, nx2, cdf;

	if (n <= 0)
		return NAN;
	if (x >= 1.0)
		return 0.0;
	if (x <= 0.0)
		return 1.0;
	t = n * x;
	if (t <= 1.0) {
		double prob;

		if (t <= 0.5)
			return 1.0;
		if (n <= 140) {
			int i;

			prob = 1.0;
			for (i = 1; i <= n; i++)
				prob *= i * (1.0 / n) * (2 * t - 1);
		} else {
			prob = exp(log_nfact_div_n_pow_n(n) + n * log(2 * t - 1));
		}
		return clip01(1.0 - prob);
	}
	if (t >= n - 1)
		return clip01(2 * pow(1.0 - x, n));
	if (x >= 0.5)
		return clip01(2 * smirnov_sf(n, x));
	nx2 = t * x;
	if (n <= 140) {
		if (nx2 <= 0.754693)
			return clip01(1.0 - kolmogn_dmtw_cdf(n, x));
		if (nx2 <= 4)
			return clip01(1.0 - kolmogn_pomeranz_cdf(n, x));
		return clip01(2 * smirnov_sf(n, x));
	}
	if (nx2 >= 370.0)
		return 0.0;
	if (nx2 >= 2.2)
		return clip01(2 * smirnov_sf(n, x));
	if (n <= 100000 && n * pow(x, 1.5) <= 1.4)
		cdf = kolmogn_dmtw_cdf(n, x);
	else
		cdf = kolmogn_pelzgood_cdf(n, x);
	return clip01(1.0 - cdf);
}

/* ---- the exact two-sample distribution ---- */

/* P(D_{n,n} >= h/n) (SciPy's _compute_prob_outside_square). */
static double
prob_outside_square(int64_t n, int64_t h)
{
	double P = 0.0;
	int64_t k = (int64_t)floor((double)n / h), j;

	for (; k >= 0; k--) {
		double p1 = 1.0;

		for (j = 0; j < h; j++)
			p1 = (double)(n - k * h - j) * p1 / (double)(n + k * h + j + 1);
		P = p1 * (1.0 - P);
	}
	return 2 * P;
}

/*
 * The proportion of lattice paths from (0,0) to (m,n) that leave the band
 * |x/m - y/n| < h/lcm(m,n) (SciPy's _compute_outer_prob_inside_method).
 * NaN when out of memory.
 */
static double
outer_prob_inside(int64_t m, int64_t n, int64_t g, int64_t h)
{
	int64_t mg, ng, minj, maxj, curlen, lenA, i, jj;
	double *A, r;

	if (m < n) {
		int64_t s = m;

		m = n;
		n = s;
	}
	mg = m / g;
	ng = n / g;
	minj = 0;
	maxj = (int64_t)ceil((double)h / (double)mg);
	if (maxj > n + 1)
		maxj = n + 1;
	curlen = maxj - minj;
	lenA = 2 * maxj + 2 < n + 1 ? 2 * maxj + 2 : n + 1;
	A = malloc((size_t)lenA * sizeof(*A));
	if (A == NULL)
		return NAN;
	for (jj = 0; jj < lenA; jj++)
		A[jj] = jj < maxj ? 0.0 : 1.0;
	for (i = 1; i <= m; i++) {
		int64_t lastminj = minj, lastlen = curlen;
		double val;

		minj = (int64_t)floor((double)(ng * i - h) / (double)mg) + 1;
		if (minj < 0)
			minj = 0;
		if (minj > n)
			minj = n;
		maxj = (int64_t)ceil((double)(ng * i + h) / (double)mg);
		if (maxj > n + 1)
			maxj = n + 1;
		if (maxj <= minj) {
			free(A);
			return 1.0;
		}
		val = minj == 0 ? 0.0 : 1.0;
		for (jj = 0; jj < maxj - minj; jj++) {
			int64_t j = jj + minj;

			val = (A[jj + minj - lastminj] * (double)i + val * (double)j)
			    / (double)(i + j);
			A[jj] = val;
		}
		curlen = maxj - minj;
		if (lastlen > curlen) {
			int64_t e = maxj - minj + (lastlen - curlen);

			if (e > lenA)
				e = lenA;
			for (jj = maxj - minj; jj < e; jj++)
				A[jj] = 1;
		}
	}
	r = A[maxj - minj - 1];
	free(A);
	return r;
}

static uint64_t
gcd_u64(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/*
 * The p-value as ks_2samp computes it; *d is replaced by the statistic the
 * exact method rounds it to (h / lcm) when that method is tried.
 */
static double
ks_pvalue(double *d, uint64_t n1, uint64_t n2, enum aud_ks_method method, int *exact)
{
	uint64_t g = gcd_u64(n1, n2), n1g = n1 / g, n2g = n2 / g;
	int use_exact;
	double prob = NAN;

	*exact = 0;
	if (method == AUD_KS_AUTO)
		use_exact = (n1 > n2 ? n1 : n2) <= KS_MAX_AUTO_N;
	else if (method == AUD_KS_EXACT)
		use_exact = !((double)n1g >= (double)INT32_MAX / (double)n2g);
	else
		use_exact = 0;
	if (use_exact) {
		double lcm = (double)n1g * (double)n2;
		double h = nearbyint(*d * lcm);
		int ok = 1;

		*d = h / lcm;
		if (h == 0) {
			prob = 1.0;
		} else if (n1 == n2) {
			prob = prob_outside_square((int64_t)n1, (int64_t)h);
		} else {
			prob = outer_prob_inside((int64_t)n1, (int64_t)n2, (int64_t)g, (int64_t)h);
		}
		if (!(prob >= 0 && prob <= 1))
			ok = 0;
		if (ok) {
			*exact = 1;
			return prob;
		}
	}
	{
		double m = (double)(n1 > n2 ? n1 : n2), n = (double)(n1 > n2 ? n2 : n1);
		double en = nearbyint(m * n / (m + n));

		if (en < 1 || en > INT32_MAX)
			return NAN;
		return clip01(kstwo_sf((int)en, *d));
	}
}

double
aud_ks_pvalue(double d, uint64_t nref, uint64_t ncur, enum aud_ks_method method, int *exact)
{
	int ex = 0;
	double p;

	if (nref == 0 || ncur == 0 || isnan(d)) {
		if (exact != NULL)
			*exact = 0;
		return NAN;
	}
	p = ks_pvalue(&d, nref, ncur, method, &ex);
	if (exact != NULL)
		*exact = ex;
	return p;
}

int
aud_ks_2samp(struct aud_ks *out, const double *ref, size_t nref, const double *cur,
    size_t ncur, enum aud_ks_method method, struct aud_error *err)
{
	size_t i = 0, j = 0;
	double maxs = 0, mins = 0, d;

	assert(out != NULL);
	out->statistic = NAN;
	out->pvalue = NAN;
	out->exact = 0;
	if (nref == 0 || ncur == 0)
		return AUD_ERROR(err, AUD_EINVAL,
		    "the two-sample KS test needs two non-empty samples");
	/* the CDF difference after every distinct value of the union */
	while (i < nref || j < ncur) {
		double x, diff;

		if (j >= ncur || (i < nref && ref[i] <= cur[j]))
			x = ref[i];
		else
			x = cur[j];
		while (i < nref && ref[i] <= x)
			i++;
		while (j < ncur && cur[j] <= x)
			j++;
		diff = (double)i / (double)nref - (double)j / (double)ncur;
		if (diff > maxs)
			maxs = diff;
		if (diff < mins)
			mins = diff;
	}
	d = -mins > maxs ? -mins : maxs;
	if (d > 1)
		d = 1;
	out->pvalue = ks_pvalue(&d, nref, ncur, method, &out->exact);
	out->statistic = d;
	return 0;
}

double
aud_wasserstein_sorted(const double *ref, size_t nref, const double *cur, size_t ncur)
{
	size_t i = 0, j = 0;
	double sum = 0, comp = 0, prev;
	int first = 1;

	if (nref == 0 || ncur == 0)
		return NAN;
	prev = 0;
	/* walk the merged values; between consecutive ones the CDFs are constant */
	while (i < nref || j < ncur) {
		double x;

		if (j >= ncur || (i < nref && ref[i] <= cur[j]))
			x = ref[i];
		else
			x = cur[j];
		if (!first) {
			double term = fabs((double)i / (double)nref - (double)j / (double)ncur)
			    * (x - prev);
			double t = sum + term;

			/* Neumaier's compensated sum */
			if (fabs(sum) >= fabs(term))
				comp += (sum - t) + term;
			else
				comp += (term - t) + sum;
			sum = t;
		}
		first = 0;
		prev = x;
		while (i < nref && ref[i] <= x)
			i++;
		while (j < ncur && cur[j] <= x)
			j++;
	}
	return sum + comp;
}

void
aud_chisquare_gof(double *statistic, double *pvalue, const double *cur, const double *ref,
    size_t k)
{
	double scur = 0, sref = 0, stat = 0;
	size_t i;

	*statistic = NAN;
	*pvalue = NAN;
	if (k < 2)
		return;
	for (i = 0; i < k; i++) {
		scur += cur[i];
		sref += ref[i];
	}
	if (!(sref > 0))
		return;
	for (i = 0; i < k; i++) {
		double e = ref[i] * scur / sref, dlt;

		if (!(e > 0))
			return;
		dlt = cur[i] - e;
		stat += dlt * dlt / e;
	}
	*statistic = stat;
	*pvalue = gsl_cdf_chisq_Q(stat, (double)(k - 1));
}

void
aud_chi2_contingency(double *statistic, double *pvalue, const double *ref, const double *cur,
    size_t k)
{
	double sref = 0, scur = 0, n, stat = 0;
	size_t i;
	int r;

	*statistic = NAN;
	*pvalue = NAN;
	for (i = 0; i < k; i++) {
		sref += ref[i];
		scur += cur[i];
	}
	n = sref + scur;
	if (k == 0 || !(sref > 0) || !(scur > 0))
		return;
	for (i = 0; i < k; i++)
		if (!(ref[i] + cur[i] > 0))
			return;   /* an expected count of 0: SciPy refuses the table */
	if (k == 1) {
		/* no degree of freedom: SciPy's statistic 0 and p-value 1 */
		*statistic = 0;
		*pvalue = 1;
		return;
	}
	for (r = 0; r < 2; r++) {
		const double *obs = r == 0 ? ref : cur;
		double rowsum = r == 0 ? sref : scur;

		for (i = 0; i < k; i++) {
			double e = rowsum * (ref[i] + cur[i]) / n, o = obs[i], d;

			if (k == 2) {
				/* Yates's correction: each count moved towards its expected value by at most 0.5 */
				double diff = e - o, mag = fabs(diff) < 0.5 ? fabs(diff) : 0.5;

				o += diff > 0 ? mag : diff < 0 ? -mag : 0;
			}
			d = o - e;
			stat += d * d / e;
		}
	}
	*statistic = stat;
	*pvalue = gsl_cdf_chisq_Q(stat, (double)(k - 1));
}

/* scipy.special.rel_entr(x, y) */
static double
rel_entr(double x, double y)
{
	if (x > 0 && y > 0)
		return x * log(x / y);
	if (x == 0 && y >= 0)
		return 0;
	return INFINITY;
}

double
aud_jensenshannon(const double *p, const double *q, size_t k)
{
	double sp = 0, sq = 0, left = 0, right = 0;
	size_t i;

	for (i = 0; i < k; i++) {
		sp += p[i];
		sq += q[i];
	}
	if (!(sp > 0) || !(sq > 0))
		return NAN;
	for (i = 0; i < k; i++) {
		double pi = p[i] / sp, qi = q[i] / sq, m = (pi + qi) / 2.0;

		left += rel_entr(pi, m);
		right += rel_entr(qi, m);
	}
	return sqrt((left + right) / 2.0);
}

void
aud_ztest_2prop(double *z, double *pvalue, uint64_t x_ref, uint64_t n_ref, uint64_t x_cur,
    uint64_t n_cur)
{
	double p1, p2, P, den;

	*z = NAN;
	*pvalue = NAN;
	if (n_ref == 0 || n_cur == 0)
		return;
	p1 = (double)x_ref / (double)n_ref;
	p2 = (double)x_cur / (double)n_cur;
	P = (p1 * (double)n_ref + p2 * (double)n_cur) / (double)(n_ref + n_cur);
	if ((x_ref == 0 && x_cur == 0) || (x_ref == n_ref && x_cur == n_cur)) {
		*z = 0;
		*pvalue = 1;
		return;
	}
	den = sqrt(P * (1 - P) * (1.0 / (double)n_ref + 1.0 / (double)n_cur));
	*z = (p1 - p2) / den;
	*pvalue = 2 * gsl_cdf_ugaussian_Q(fabs(*z));
}

double
aud_psi(const double *ref_counts, const double *cur_counts, size_t k)
{
	double sr = 0, sc = 0, psi = 0;
	size_t i;

	for (i = 0; i < k; i++) {
		sr += ref_counts[i];
		sc += cur_counts[i];
	}
	if (!(sr > 0) || !(sc > 0))
		return NAN;
	for (i = 0; i < k; i++) {
		double r = ref_counts[i] / sr, c = cur_counts[i] / sc;

		if (r < 1e-4)
			r = 1e-4;
		if (c < 1e-4)
			c = 1e-4;
		psi += (c - r) * log(c / r);
	}
	return psi;
}

void
aud_psi_edges(double edges[AUD_PSI_BINS - 1], const double *sorted, size_t n)
{
	size_t k;

	for (k = 1; k < AUD_PSI_BINS; k++) {
		/*
		 * numpy.quantile's "linear" method, as numpy 1.24 evaluates it:
		 * the virtual index (n - 1) q (its "linear" entry), then its lerp
		 */
		double q = (double)k / AUD_PSI_BINS;
		double vi = (double)(n - 1) * q;
		double lo = floor(vi), gamma = vi - lo, a, b, diff;
		size_t ilo, ihi;

		if (lo < 0)
			lo = 0;
		ilo = (size_t)lo;
		if (ilo > n - 1)
			ilo = n - 1;
		ihi = ilo + 1 > n - 1 ? n - 1 : ilo + 1;
		a = sorted[ilo];
		b = sorted[ihi];
		diff = b - a;
		if (gamma >= 0.5)
			edges[k - 1] = b - diff * (1 - gamma);
		else
			edges[k - 1] = a + diff * gamma;
	}
}

size_t
aud_psi_bin(const double edges[AUD_PSI_BINS - 1], double x)
{
	size_t b = 0;

	while (b < AUD_PSI_BINS - 1 && x >= edges[b])
		b++;
	return b;
}
