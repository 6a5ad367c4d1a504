/*
 * test_sketch.c — the quantile sketch against exact ranks: the rank-error
 * bound eps * n on sorted, reverse-sorted, random, heavily tied and
 * adversarial streams, its memory, and KS and Wasserstein distances of two
 * sketches against the exact ones (driftstat.c) within the stated bounds.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/driftstat.h>
#include <audit/sketch.h>

#include "runner.h"

static uint64_t
next_u64(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static double
uniform(uint64_t *s)
{
	return ldexp((double)(next_u64(s) >> 11), -53);
}

enum stream { SORTED, REVERSE, RANDOM, TIES, ZIGZAG, BITREV, NSTREAMS };
static const char *const stream_name[] = { "sorted", "reverse", "random", "ties", "zigzag",
	"bit-reversed" };

static double *
make_stream(enum stream kind, size_t n, uint64_t seed)
{
	double *v = malloc(n * sizeof(*v));
	uint64_t s = seed;
	size_t i, bits = 0;

	if (v == NULL)
		return NULL;
	while (((size_t)1 << bits) < n)
		bits++;
	for (i = 0; i < n; i++) {
		switch (kind) {
		case SORTED:
			v[i] = (double)i;
			break;
		case REVERSE:
			v[i] = (double)(n - i);
			break;
		case RANDOM:
			v[i] = uniform(&s) * 1000 - 500;
			break;
		case TIES:
			/* five values, one of them half the stream */
			v[i] = uniform(&s) < 0.5 ? 2.0 : floor(uniform(&s) * 5);
			break;
		case ZIGZAG:
			/* from both ends inwards: each value a new extreme of the middle */
			v[i] = (i % 2) ? (double)(n - i / 2) : (double)(i / 2);
			break;
		case BITREV: {
			/* bit-reversed order: every value lands in the gap of the widest tuple */
			size_t r = 0, b;

			for (b = 0; b < bits; b++)
				if (i & ((size_t)1 << b))
					r |= (size_t)1 << (bits - 1 - b);
			v[i] = (double)r;
			break;
		}
		default:
			v[i] = 0;
		}
	}
	return v;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* number of values < x and <= x in sorted v */
static size_t
count_lt(const double *v, size_t n, double x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t
count_le(const double *v, size_t n, double x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
valgrind(void)
{
	return getenv("AUD_VALGRIND") != NULL;
}

/*
 * Feed a stream, then check against the sorted copy: every quantile on a
 * grid of q (and the cdf at the values of a grid of ranks, every value when
 * step is 1) within eps * n in rank.
 */
static void
check_stream(enum stream kind, size_t n, double eps, size_t step, size_t *bytes)
{
	struct aud_sketch *s = NULL;
	double *v = make_stream(kind, n, 7 + (uint64_t)kind), *sorted = NULL;
	double bound = eps * (double)n;
	double worst_q = 0, worst_c = 0;
	size_t i, nq = 2000;

	CHECK(v != NULL);
	if (v == NULL)
		return;
	CHECK_INT_EQ(aud_sketch_new(&s, eps, NULL), 0);
	if (s == NULL)
		goto done;
	for (i = 0; i < n; i++)
		CHECK_INT_EQ(aud_sketch_add(s, v[i], NULL), 0);
	CHECK_INT_EQ(aud_sketch_count(s), n);
	sorted = v;
	qsort(sorted, n, sizeof(*sorted), cmp_double);
	CHECK_DBL_EQ(aud_sketch_min(s), sorted[0]);
	CHECK_DBL_EQ(aud_sketch_max(s), sorted[n - 1]);
	for (i = 0; i <= nq; i++) {
		double q = (double)i / nq, x = aud_sketch_quantile(s, q), r = ceil(q * n), e;
		/* x's ranks (ties share them): count_lt + 1 .. count_le */
		double lo = (double)count_lt(sorted, n, x) + 1, hi = (double)count_le(sorted, n, x);

		if (r < 1)
			r = 1;
		e = r < lo ? lo - r : (r > hi ? r - hi : 0);
		if (e > worst_q)
			worst_q = e;
	}
	for (i = 0; i < n; i += step) {
		double x = sorted[i], e;

		e = fabs(aud_sketch_cdf(s, x) * n - (double)count_le(sorted, n, x));
		if (e > worst_c)
			worst_c = e;
		/* and just below the value */
		x = nextafter(x, -INFINITY);
		e = fabs(aud_sketch_cdf(s, x) * n - (double)count_le(sorted, n, x));
		if (e > worst_c)
			worst_c = e;
	}
	if (worst_q > bound || worst_c > bound)
		aud_test_fail(__FILE__, __LINE__,
		    "%s stream of %zu, eps %g: rank errors %g (quantile) %g (cdf) above %g",
		    stream_name[kind], n, eps, worst_q, worst_c, bound);
	if (bytes != NULL)
		*bytes = aud_sketch_bytes(s);
done:
	aud_sketch_free(s);
	free(v);
}

void
test_sketch__bound_streams(void)
{
	size_t n = valgrind() ? 20000 : 100000;
	int k;

	/* every value and the double just below it at eps 0.01; every 7th at 0.001 */
	for (k = 0; k < NSTREAMS; k++) {
		check_stream((enum stream)k, n, 0.01, 1, NULL);
		check_stream((enum stream)k, n, 0.001, 7, NULL);
	}
	/* tiny streams: the bound allows no error at all below 1 / eps values */
	for (k = 0; k < NSTREAMS; k++) {
		check_stream((enum stream)k, 1, 0.1, 1, NULL);
		check_stream((enum stream)k, 7, 0.1, 1, NULL);
		check_stream((enum stream)k, 999, 0.001, 1, NULL);
	}
}

void
test_sketch__bound_million(void)
{
	size_t n = valgrind() ? 50000 : 1000000, bytes = 0;
	int k;

	for (k = 0; k < NSTREAMS; k++) {
		check_stream((enum stream)k, n, 0.001, n / 20000, &bytes);
		/*
		 * measured at eps 0.001 for 10^6 values (docs/data.md): 40 KB
		 * random, 46 KB sorted, 20 KB tied, 143 KB zigzag (the worst
		 * here); the test allows 200 KB
		 */
		if (bytes > 200 * 1024)
			aud_test_fail(__FILE__, __LINE__, "%s stream: %zu bytes", stream_name[k],
			    bytes);
	}
}

void
test_sketch__memory_logarithmic(void)
{
	struct aud_sketch *s = NULL;
	uint64_t seed = 99;
	size_t i, n = valgrind() ? 100000 : 4000000, at_tenth = 0;

	CHECK_INT_EQ(aud_sketch_new(&s, 0.01, NULL), 0);
	if (s == NULL)
		return;
	for (i = 1; i <= n; i++) {
		aud_sketch_add(s, uniform(&seed), NULL);
		if (i == n / 10)
			at_tenth = aud_sketch_bytes(s);
	}
	/* ten times the values: far less than ten times the memory */
	CHECK(aud_sketch_bytes(s) < 2 * at_tenth);
	/* eps 0.01: under the paper's bound (11 / 2 eps) log2(2 eps n) tuples of 25 bytes */
	CHECK((double)aud_sketch_bytes(s) < 11 / 0.02 * log2(0.02 * n) * 25 * 2);
	aud_sketch_free(s);
}

static void
check_distances(size_t na, size_t nb, double shift, double eps, int ties)
{
	struct aud_sketch *a = NULL, *b = NULL;
	double *x = malloc(na * sizeof(*x)), *y = malloc(nb * sizeof(*y));
	uint64_t s1 = 5, s2 = 6;
	size_t i;
	double d_exact, w_exact, lo, hi;

	CHECK(x != NULL && y != NULL);
	CHECK_INT_EQ(aud_sketch_new(&a, eps, NULL), 0);
	CHECK_INT_EQ(aud_sketch_new(&b, eps, NULL), 0);
	if (x == NULL || y == NULL || a == NULL || b == NULL)
		goto done;
	for (i = 0; i < na; i++) {
		x[i] = ties ? floor(uniform(&s1) * 10) : uniform(&s1) + uniform(&s1);
		aud_sketch_add(a, x[i], NULL);
	}
	for (i = 0; i < nb; i++) {
		y[i] = ties ? floor(uniform(&s2) * 10 + shift)
		    : uniform(&s2) + uniform(&s2) + shift;
		aud_sketch_add(b, y[i], NULL);
	}
	qsort(x, na, sizeof(*x), cmp_double);
	qsort(y, nb, sizeof(*y), cmp_double);
	{
		struct aud_ks ks;

		CHECK_INT_EQ(aud_ks_2samp(&ks, x, na, y, nb, AUD_KS_ASYMP, NULL), 0);
		d_exact = ks.statistic;
	}
	w_exact = aud_wasserstein_sorted(x, na, y, nb);
	if (fabs(aud_sketch_ks(a, b) - d_exact) > 2 * eps)
		aud_test_fail(__FILE__, __LINE__, "sketch KS %.6f, exact %.6f, bound %g",
		    aud_sketch_ks(a, b), d_exact, 2 * eps);
	lo = fmin(x[0], y[0]);
	hi = fmax(x[na - 1], y[nb - 1]);
	if (fabs(aud_sketch_wasserstein(a, b) - w_exact) > 2 * eps * (hi - lo))
		aud_test_fail(__FILE__, __LINE__, "sketch Wasserstein %.6f, exact %.6f, bound %g",
		    aud_sketch_wasserstein(a, b), w_exact, 2 * eps * (hi - lo));
	/* symmetric, and a sketch against itself is at distance 0 */
	CHECK_DBL_EQ(aud_sketch_ks(a, b), aud_sketch_ks(b, a));
	CHECK_DBL_EQ(aud_sketch_ks(a, a), 0.0);
	CHECK_DBL_EQ(aud_sketch_wasserstein(a, a), 0.0);
done:
	aud_sketch_free(a);
	aud_sketch_free(b);
	free(x);
	free(y);
}

void
test_sketch__distances(void)
{
	size_t n = valgrind() ? 20000 : 200000;

	check_distances(n, n / 2 + 3, 0.05, 0.001, 0);
	check_distances(n, n / 3, 0.0, 0.01, 0);
	check_distances(n / 2, n, 1.5, 0.005, 1);
	check_distances(10, 3, 0.3, 0.01, 0);
	/* the bound is not vacuous: shifted samples are far apart and the sketch sees it */
	{
		struct aud_sketch *a = NULL, *b = NULL;
		size_t i;

		CHECK_INT_EQ(aud_sketch_new(&a, 0.01, NULL), 0);
		CHECK_INT_EQ(aud_sketch_new(&b, 0.01, NULL), 0);
		if (a != NULL && b != NULL) {
			for (i = 0; i < 10000; i++) {
				aud_sketch_add(a, (double)i, NULL);
				aud_sketch_add(b, (double)i + 20000, NULL);
			}
			/* disjoint: KS 1, Wasserstein the shift, 20000 (bound 0.02 * 29999) */
			CHECK_DBL_EQ(aud_sketch_ks(a, b), 1.0);
			CHECK(fabs(aud_sketch_wasserstein(a, b) - 20000) <= 0.02 * 29999);
		}
		aud_sketch_free(a);
		aud_sketch_free(b);
	}
}

void
test_sketch__small_exact(void)
{
	/* fewer values than the buffer: every answer is exact */
	struct aud_sketch *s = NULL;
	const double v[] = { 3, 1, 2, 5, 4 };
	size_t i;

	CHECK_INT_EQ(aud_sketch_new(&s, 0.01, NULL), 0);
	if (s == NULL)
		return;
	for (i = 0; i < 5; i++)
		CHECK_INT_EQ(aud_sketch_add(s, v[i], NULL), 0);
	CHECK_DBL_EQ(aud_sketch_quantile(s, 0.0), 1.0);
	CHECK_DBL_EQ(aud_sketch_quantile(s, 0.5), 3.0);
	CHECK_DBL_EQ(aud_sketch_quantile(s, 0.6), 3.0);
	CHECK_DBL_EQ(aud_sketch_quantile(s, 0.61), 4.0);
	CHECK_DBL_EQ(aud_sketch_quantile(s, 1.0), 5.0);
	CHECK_DBL_EQ(aud_sketch_cdf(s, 0.5), 0.0);
	CHECK_DBL_EQ(aud_sketch_cdf(s, 2.5), 0.4);
	CHECK_DBL_EQ(aud_sketch_cdf(s, 5), 1.0);
	CHECK(isnan(aud_sketch_quantile(s, 1.5)));
	CHECK(isnan(aud_sketch_cdf(s, NAN)));
	aud_sketch_free(s);
}

void
test_sketch__errors(void)
{
	struct aud_sketch *s = NULL, *t = NULL;
	struct aud_error err = AUD_ERROR_INIT;

	CHECK_INT_EQ(aud_sketch_new(&s, 0.0, &err), AUD_EINVAL);
	CHECK(s == NULL);
	CHECK(strstr(err.msg, "'0'") != NULL);
	CHECK_INT_EQ(aud_sketch_new(&s, 0.5, NULL), AUD_EINVAL);
	CHECK_INT_EQ(aud_sketch_new(&s, NAN, NULL), AUD_EINVAL);
	CHECK_INT_EQ(aud_sketch_new(&s, AUD_SKETCH_EPS_DEFAULT, NULL), 0);
	CHECK_INT_EQ(aud_sketch_new(&t, 0.1, NULL), 0);
	if (s == NULL || t == NULL)
		goto done;
	CHECK_DBL_EQ(aud_sketch_eps(s), AUD_SKETCH_EPS_DEFAULT);
	/* empty: NaN everywhere */
	CHECK_INT_EQ(aud_sketch_count(s), 0);
	CHECK(isnan(aud_sketch_min(s)) && isnan(aud_sketch_max(s)));
	CHECK(isnan(aud_sketch_quantile(s, 0.5)));
	CHECK(isnan(aud_sketch_cdf(s, 0)));
	CHECK(aud_sketch_add(t, 1.0, NULL) == 0);
	CHECK(isnan(aud_sketch_ks(s, t)) && isnan(aud_sketch_ks(t, s)));
	CHECK(isnan(aud_sketch_wasserstein(s, t)));
	/* NaN refused, and not counted */
	err = (struct aud_error)AUD_ERROR_INIT;
	CHECK_INT_EQ(aud_sketch_add(s, NAN, &err), AUD_EINVAL);
	CHECK(strstr(err.msg, "NaN") != NULL);
	CHECK_INT_EQ(aud_sketch_count(s), 0);
	/* infinities are values */
	CHECK_INT_EQ(aud_sketch_add(s, INFINITY, NULL), 0);
	CHECK_INT_EQ(aud_sketch_add(s, -INFINITY, NULL), 0);
	CHECK_DBL_EQ(aud_sketch_min(s), -INFINITY);
	CHECK_DBL_EQ(aud_sketch_max(s), INFINITY);
	CHECK(aud_sketch_bytes(s) > 0);
done:
	aud_sketch_free(s);
	aud_sketch_free(t);
	aud_sketch_free(NULL);
}

void
test_sketch__buffer_sort_mixed_values(void)
{
	/*
	 * 5000 values at eps 0.0001 fill the buffer once: merged into an empty
	 * summary with p = floor(2 eps n) = 1, nothing can be compressed, so every
	 * quantile is exact. The values mix signs, zeros of both signs, infinities,
	 * subnormals, huge and tied values, in a scrambled order: every quantile
	 * must equal the qsort() order's value.
	 */
	enum { N = 5000 };
	static double v[N], sorted[N];
	struct aud_sketch *s = NULL;
	uint64_t x = 12345;
	size_t i, bad = 0;

	for (i = 0; i < N; i++) {
		x = x * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
		switch (i % 10) {
		case 0: v[i] = (double)(int64_t)(x >> 40) - 8388608.0; break;
		case 1: v[i] = (x >> 63) ? -0.0 : 0.0; break;
		case 2: v[i] = (double)(x >> 11) * 0x1p-53 * ((x & 1) ? -1e300 : 1e300); break;
		case 3: v[i] = (double)(x >> 11) * 0x1p-1074 * 0x1p-53 * 0x1p52; break;
		case 4: v[i] = (i % 20 == 4) ? INFINITY : -INFINITY; break;
		case 5: v[i] = 42.5; break;
		default: v[i] = ((double)(x >> 11) * 0x1p-53 - 0.5) * 1000.0; break;
		}
		sorted[i] = v[i];
	}
	CHECK_INT_EQ(aud_sketch_new(&s, 0.0001, NULL), 0);
	if (s == NULL)
		return;
	for (i = 0; i < N; i++)
		CHECK_INT_EQ(aud_sketch_add(s, v[i], NULL), 0);
	qsort(sorted, N, sizeof(*sorted), cmp_double);
	for (i = 1; i <= N; i++)
		/* q = (i - 1/2) / N: ceil(q N) = i, clear of rounding */
		if (!(aud_sketch_quantile(s, ((double)i - 0.5) / N) == sorted[i - 1]))
			bad++;
	CHECK_INT_EQ(bad, 0);
	aud_sketch_free(s);
}
