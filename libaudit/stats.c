/*
 * stats.c — Wilson and Student t intervals, ROC AUC and DeLong, chi-square,
 * percentile intervals, multinomial draws.
 */
#include <audit/stats.h>

#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include <audit/rng.h>

double
aud_stats_z(double level)
{
	assert(level > 0.0 && level < 1.0);
	return gsl_cdf_ugaussian_Pinv(0.5 + level / 2.0);
}

double
aud_stats_t_half(double sd, size_t n, double level)
{
	assert(level > 0.0 && level < 1.0);
	if (n < 2 || isnan(sd))
		return NAN;
	return gsl_cdf_tdist_Pinv(0.5 + level / 2.0, (double)(n - 1)) * sd / sqrt((double)n);
}

void
aud_stats_wilson(double k, double n, double z, double *lo, double *hi)
{
	double p, z2, denom, center, half;

	if (!(n > 0.0) || !isfinite(k)) {
		*lo = NAN;
		*hi = NAN;
		return;
	}
	p = k / n;
	if (p < 0.0)
		p = 0.0;
	if (p > 1.0)
		p = 1.0;
	z2 = z * z;
	denom = 1.0 + z2 / n;
	center = (p + z2 / (2.0 * n)) / denom;
	half = z * sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denom;
	*lo = center - half;
	*hi = center + half;
	/* exact bounds at the ends (the formula leaves rounding noise there) */
	if (*lo < 0.0 || p == 0.0)
		*lo = 0.0;
	if (*hi > 1.0 || p == 1.0)
		*hi = 1.0;
}

void
aud_stats_chi2(struct aud_chi2 *out, const double *table, size_t r, size_t c)
{
	double total = 0.0, stat = 0.0, minexp = INFINITY;
	double *rs, *cs;
	size_t i, j, nr = 0, nc = 0;

	out->statistic = NAN;
	out->p_value = NAN;
	out->dof = 0;
	out->min_expected = NAN;
	rs = calloc(r + c + 1, sizeof(*rs));
	if (rs == NULL)
		return; /* NaN results: the caller reports the test as undefined */
	cs = rs + r;
	for (i = 0; i < r; i++)
		for (j = 0; j < c; j++) {
			rs[i] += table[i * c + j];
			cs[j] += table[i * c + j];
			total += table[i * c + j];
		}
	for (i = 0; i < r; i++)
		nr += rs[i] > 0.0;
	for (j = 0; j < c; j++)
		nc += cs[j] > 0.0;
	if (nr < 2 || nc < 2 || !(total > 0.0)) {
		free(rs);
		return;
	}
	for (i = 0; i < r; i++) {
		if (!(rs[i] > 0.0))
			continue;
		for (j = 0; j < c; j++) {
			double e, d;

			if (!(cs[j] > 0.0))
				continue;
			e = rs[i] * cs[j] / total;
			d = table[i * c + j] - e;
			stat += d * d / e;
			if (e < minexp)
				minexp = e;
		}
	}
	out->dof = (long)((nr - 1) * (nc - 1));
	out->statistic = stat;
	out->p_value = gsl_cdf_chisq_Q(stat, (double)out->dof);
	out->min_expected = minexp;
	free(rs);
}

double
aud_stats_quantile_sorted(const double *sorted, size_t n, double p)
{
	double h, frac;
	size_t lo;

	assert(n >= 1);
	if (n == 1 || p <= 0.0)
		return sorted[0];
	if (p >= 1.0)
		return sorted[n - 1];
	h = (double)(n - 1) * p;
	lo = (size_t)floor(h);
	if (lo >= n - 1)
		return sorted[n - 1];
	frac = h - (double)lo;
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

/* Put the k-th smallest of x[0..n) at x[k] (quickselect, Hoare partition). */
static void
select_kth(double *x, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		double pivot = x[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;

		while (i <= j) {
			while (x[i] < pivot)
				i++;
			while (x[j] > pivot)
				j--;
			if (i <= j) {
				double t = x[i];

				x[i] = x[j];
				x[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

/* Type-7 quantile of unsorted finite x[0..n) (reorders x). */
static double
quantile_select(double *x, size_t n, double p)
{
	double h = (double)(n - 1) * p, frac, next;
	size_t lo = (size_t)floor(h), i;

	if (lo >= n - 1) {
		select_kth(x, n, n - 1);
		return x[n - 1];
	}
	select_kth(x, n, lo);
	frac = h - (double)lo;
	next = x[lo + 1];
	for (i = lo + 2; i < n; i++)
		if (x[i] < next)
			next = x[i];
	return x[lo] + frac * (next - x[lo]);
}

size_t
aud_stats_percentile_interval(double *x, size_t n, double level, double *lo,
    double *hi)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++) {
		if (isfinite(x[i])) {
			double t = x[m];

			x[m] = x[i];
			x[i] = t;
			m++;
		}
	}
	*lo = NAN;
	*hi = NAN;
	if (m < 2)
		return m;
	*lo = quantile_select(x, m, (1.0 - level) / 2.0);
	*hi = quantile_select(x, m, (1.0 + level) / 2.0);
	return m;
}

void
aud_stats_auc_begin(struct aud_auc_acc *a, double wpos, double wneg)
{
	a->wpos = wpos;
	a->wneg = wneg;
	a->neg_below = 0.0;
	a->pos_below = 0.0;
	a->num = 0.0;
	a->s10 = a->ss10 = 0.0;
	a->s01 = a->ss01 = 0.0;
}

void
aud_stats_auc_block(struct aud_auc_acc *a, double pos, double neg)
{
	double below = a->neg_below + 0.5 * neg;

	a->num += pos * below;
	if (pos > 0.0 && a->wneg > 0.0) {
		double v = below / a->wneg;

		a->s10 += pos * v;
		a->ss10 += pos * v * v;
	}
	if (neg > 0.0 && a->wpos > 0.0) {
		double v = (a->wpos - a->pos_below - 0.5 * pos) / a->wpos;

		a->s01 += neg * v;
		a->ss01 += neg * v * v;
	}
	a->neg_below += neg;
	a->pos_below += pos;
}

void
aud_stats_auc_end(const struct aud_auc_acc *a, double *auc, double *var)
{
	double m = a->wpos, n = a->wneg, s10, s01, mean10, mean01;

	*auc = NAN;
	*var = NAN;
	if (!(m > 0.0) || !(n > 0.0))
		return;
	*auc = a->num / (m * n);
	if (!(m > 1.0) || !(n > 1.0))
		return;
	mean10 = a->s10 / m;
	mean01 = a->s01 / n;
	s10 = (a->ss10 - m * mean10 * mean10) / (m - 1.0);
	s01 = (a->ss01 - n * mean01 * mean01) / (n - 1.0);
	if (s10 < 0.0)
		s10 = 0.0;
	if (s01 < 0.0)
		s01 = 0.0;
	*var = s10 / m + s01 / n;
}

struct scored {
	double s;
	unsigned char y;
};

static int
by_score(const void *a, const void *b)
{
	double x = ((const struct scored *)a)->s, z = ((const struct scored *)b)->s;

	return (x > z) - (x < z);
}

int
aud_stats_auc(double *out, const double *score, const unsigned char *y, size_t n,
    struct aud_error *err)
{
	struct aud_auc_acc a;
	struct scored *v;
	size_t i, j, npos = 0;
	double var;

	*out = NAN;
	if (n == 0)
		return 0;
	/* An undefined score makes the ranking, hence the AUC, undefined (and
	 * NaN would break the comparisons of the sort and the tie loop). */
	for (i = 0; i < n; i++)
		if (isnan(score[i]))
			return 0;
	v = malloc(n * sizeof(*v));
	if (v == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		v[i].s = score[i];
		v[i].y = y[i] != 0;
		npos += v[i].y;
	}
	qsort(v, n, sizeof(*v), by_score);
	aud_stats_auc_begin(&a, (double)npos, (double)(n - npos));
	for (i = 0; i < n; i = j) {
		size_t pos = 0;

		for (j = i; j < n && v[j].s == v[i].s; j++)
			pos += v[j].y;
		aud_stats_auc_block(&a, (double)pos, (double)(j - i - pos));
	}
	free(v);
	aud_stats_auc_end(&a, out, &var);
	return 0;
}

int
aud_stats_multinomial(struct aud_rng *r, size_t k, uint64_t total,
    const uint64_t *counts, double *p, unsigned int *out, struct aud_error *err)
{
	size_t i;

	if (total > 0xffffffffu)
		return AUD_ERROR(err, AUD_EINVAL,
		    "bootstrap over %llu rows exceeds the sampler's range (4294967295)",
		    (unsigned long long)total);
	for (i = 0; i < k; i++)
		p[i] = (double)counts[i];
	if (k == 0)
		return 0;
	aud_rng_multinomial(r, k, (unsigned int)total, p, out);
	return 0;
}
