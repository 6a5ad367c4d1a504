/* test_colstat.c — one column in one pass: kinds, Welford, quantiles, categories, HLL. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/colstat.h>

#include "colstat_impl.h"
#include "runner.h"

static int
add(struct aud_colstat *c, const char *s, uint64_t line)
{
	struct aud_error err = AUD_ERROR_INIT;

	if (s == NULL)
		return aud_colstat_add(c, NULL, 0, 1, line, &err);
	return aud_colstat_add(c, s, strlen(s), 0, line, &err);
}

static struct aud_colstat *
make(size_t max_categories, int sketch, double eps)
{
	struct aud_colstat_options o = AUD_COLSTAT_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_colstat *c = NULL;

	o.max_categories = max_categories;
	o.sketch = sketch;
	o.sketch_eps = eps;
	CHECK_INT_EQ(aud_colstat_new(&c, "x", &o, &err), 0);
	return c;
}

void
test_colstat__numeric_summaries(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_colstat *c = make(10000, 0, 0.001);
	struct aud_colstat_numeric s;
	const double *v;
	size_t n;
	int exact;

	if (c == NULL)
		return;
	/* lines 2..6 hold 3, 10, 1, 4, 2; a missing value on line 7 */
	CHECK_INT_EQ(add(c, "3", 2), 0);
	CHECK_INT_EQ(add(c, " 10 ", 3), 0);
	CHECK_INT_EQ(add(c, "1e0", 4), 0);
	CHECK_INT_EQ(add(c, "4", 5), 0);
	CHECK_INT_EQ(add(c, "2.0", 6), 0);
	CHECK_INT_EQ(add(c, NULL, 7), 0);
	CHECK_STR_EQ(aud_colstat_name(c), "x");
	CHECK_INT_EQ(aud_colstat_kind(c), AUD_COLSTAT_NUMERIC);
	CHECK_STR_EQ(aud_colstat_kind_names[aud_colstat_kind(c)], "numeric");
	CHECK_INT_EQ(aud_colstat_rows(c), 6);
	CHECK_INT_EQ(aud_colstat_missing(c), 1);
	aud_colstat_numeric(c, &s);
	CHECK_INT_EQ(s.n, 5);
	/* mean (1+2+3+4+10)/5 = 4; squared deviations 9+4+1+0+36 = 50 */
	CHECK_DBL_EQ(s.min, 1.0);
	CHECK_DBL_EQ(s.max, 10.0);
	CHECK_INT_EQ(s.min_line, 4);
	CHECK_INT_EQ(s.max_line, 3);
	CHECK_INT_EQ(s.integers, 5);   /* " 10 ", "1e0" and "2.0" are whole numbers */
	CHECK_REL(s.mean, 4.0, 1e-15);
	CHECK_REL(s.sd_pop, sqrt(10.0), 1e-15);  /* numpy.std: sqrt(50/5) */
	CHECK_REL(s.sd, sqrt(12.5), 1e-15);      /* pandas' std: sqrt(50/4) */
	/* numpy.quantile([1,2,3,4,10], q): h = 4q, linear between order statistics */
	CHECK_REL(aud_colstat_quantile(c, 0.25, &err), 2.0, 1e-15);
	CHECK_REL(aud_colstat_quantile(c, 0.5, &err), 3.0, 1e-15);
	CHECK_REL(aud_colstat_quantile(c, 0.9, &err), 7.6, 1e-15);  /* 4 + 0.6 * 6 */
	CHECK_REL(aud_colstat_quantile(c, 0.1, &err), 1.4, 1e-15);  /* 1 + 0.4 * 1 */
	CHECK_DBL_EQ(aud_colstat_quantile(c, 0.0, &err), 1.0);
	CHECK_DBL_EQ(aud_colstat_quantile(c, 1.0, &err), 10.0);
	v = aud_colstat_sorted(c, &n, &err);
	CHECK(v != NULL);
	CHECK_INT_EQ(n, 5);
	if (v != NULL && n == 5) {
		CHECK_DBL_EQ(v[0], 1.0);
		CHECK_DBL_EQ(v[4], 10.0);
	}
	CHECK(aud_colstat_sketch(c) == NULL);
	/* texts as written: " 10 " and "1e0" are categories of their own */
	CHECK_INT_EQ(aud_colstat_distinct(c, &exact), 5);
	CHECK_INT_EQ(exact, 1);
	CHECK_INT_EQ(aud_colstat_count_of(c, "1e0"), 1);
	CHECK_INT_EQ(aud_colstat_count_of(c, "1"), 0);
	aud_colstat_free(c);
}

void
test_colstat__welford_is_stable(void)
{
	struct aud_colstat *c = make(10000, 0, 0.001);
	struct aud_colstat_numeric s;
	char buf[32];
	int i;

	if (c == NULL)
		return;
	/* 1e9 + {4, 7, 13, 16}: mean 1e9 + 10, pop. variance (36+9+9+36)/4 = 22.5
	 * (the naive sum of squares loses every digit of it) */
	for (i = 0; i < 4; i++) {
		snprintf(buf, sizeof(buf), "%.1f", 1e9 + (double)(int[]){ 4, 7, 13, 16 }[i]);
		CHECK_INT_EQ(add(c, buf, (uint64_t)i + 2), 0);
	}
	aud_colstat_numeric(c, &s);
	CHECK_REL(s.mean, 1e9 + 10.0, 1e-15);
	CHECK_INT_EQ(s.integers, 4);
	CHECK_REL(s.sd_pop, sqrt(22.5), 1e-9);
	CHECK_REL(s.sd, sqrt(30.0), 1e-9);
	aud_colstat_free(c);
}

void
test_colstat__kinds(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_colstat *c = make(10000, 0, 0.001);
	struct aud_colstat_numeric s;

	if (c == NULL)
		return;
	CHECK_INT_EQ(aud_colstat_kind(c), AUD_COLSTAT_EMPTY);
	CHECK_INT_EQ(add(c, NULL, 2), 0);
	CHECK_INT_EQ(aud_colstat_kind(c), AUD_COLSTAT_EMPTY);
	aud_colstat_numeric(c, &s);
	CHECK_INT_EQ(s.n, 0);
	CHECK(isnan(s.min) && isnan(s.max) && isnan(s.mean) && isnan(s.sd));
	CHECK(isnan(aud_colstat_quantile(c, 0.5, &err)));
	CHECK_INT_EQ(add(c, "7", 3), 0);
	CHECK_INT_EQ(aud_colstat_kind(c), AUD_COLSTAT_NUMERIC);
	aud_colstat_numeric(c, &s);
	CHECK(isnan(s.sd));      /* ddof 1 of one value */
	CHECK_DBL_EQ(s.sd_pop, 0.0);
	CHECK_INT_EQ(add(c, "seven", 4), 0);
	CHECK_INT_EQ(aud_colstat_kind(c), AUD_COLSTAT_CATEGORICAL);
	/* a categorical column stays categorical; numbers still summarised */
	CHECK_INT_EQ(add(c, "9", 5), 0);
	CHECK_INT_EQ(aud_colstat_kind(c), AUD_COLSTAT_CATEGORICAL);
	aud_colstat_numeric(c, &s);
	CHECK_INT_EQ(s.n, 2);
	CHECK_REL(s.mean, 8.0, 1e-15);
	/* infinities and NaN written out are texts, not numbers */
	aud_colstat_free(c);
	c = make(10000, 0, 0.001);
	if (c == NULL)
		return;
	CHECK_INT_EQ(add(c, "1", 2), 0);
	CHECK_INT_EQ(add(c, "inf", 3), 0);
	CHECK_INT_EQ(aud_colstat_kind(c), AUD_COLSTAT_CATEGORICAL);
	aud_colstat_free(c);
}

void
test_colstat__categories_in_byte_order(void)
{
	struct aud_colstat *c = make(10000, 0, 0.001);
	uint64_t count = 0, first = 0;
	int exact = 0;

	if (c == NULL)
		return;
	CHECK_INT_EQ(add(c, "b", 2), 0);
	CHECK_INT_EQ(add(c, "a", 3), 0);
	CHECK_INT_EQ(add(c, "B", 4), 0);
	CHECK_INT_EQ(add(c, "a", 5), 0);
	CHECK_INT_EQ(add(c, NULL, 6), 0);
	CHECK_INT_EQ(add(c, "ab", 7), 0);
	CHECK_INT_EQ(aud_colstat_ncategories(c), 4);
	CHECK_INT_EQ(aud_colstat_distinct(c, &exact), 4);
	CHECK_INT_EQ(exact, 1);
	/* strcmp order: "B" (0x42) < "a" < "ab" < "b" */
	CHECK_STR_EQ(aud_colstat_category(c, 0, &count, &first), "B");
	CHECK_INT_EQ(count, 1);
	CHECK_INT_EQ(first, 4);
	CHECK_STR_EQ(aud_colstat_category(c, 1, &count, &first), "a");
	CHECK_INT_EQ(count, 2);
	CHECK_INT_EQ(first, 3);
	CHECK_STR_EQ(aud_colstat_category(c, 2, NULL, NULL), "ab");
	CHECK_STR_EQ(aud_colstat_category(c, 3, &count, &first), "b");
	CHECK_INT_EQ(first, 2);
	/* adding after reading re-sorts */
	CHECK_INT_EQ(add(c, "A", 8), 0);
	CHECK_STR_EQ(aud_colstat_category(c, 0, NULL, NULL), "A");
	CHECK_STR_EQ(aud_colstat_category(c, 1, NULL, NULL), "B");
	CHECK_INT_EQ(aud_colstat_count_of(c, "a"), 2);
	CHECK_INT_EQ(aud_colstat_count_of(c, "zz"), 0);
	CHECK_INT_EQ(aud_colstat_overflow(c), 0);
	aud_colstat_free(c);
}

void
test_colstat__overflow(void)
{
	struct aud_colstat *c = make(3, 0, 0.001);
	char buf[16];
	int exact = 1, i;
	uint64_t d;

	if (c == NULL)
		return;
	CHECK_INT_EQ(add(c, "x", 2), 0);
	CHECK_INT_EQ(add(c, "y", 3), 0);
	CHECK_INT_EQ(add(c, "z", 4), 0);
	CHECK_INT_EQ(aud_colstat_overflow(c), 0);
	CHECK_INT_EQ(add(c, "w", 5), 0);       /* the fourth distinct text */
	CHECK_INT_EQ(aud_colstat_overflow(c), 1);
	CHECK_INT_EQ(aud_colstat_ncategories(c), 3);
	CHECK_INT_EQ(aud_colstat_count_of(c, "w"), 0);
	CHECK_INT_EQ(add(c, "x", 6), 0);       /* texts already counted still are */
	CHECK_INT_EQ(aud_colstat_count_of(c, "x"), 2);
	/* 1000 distinct texts in all: the HyperLogLog's estimate */
	for (i = 0; i < 996; i++) {
		snprintf(buf, sizeof(buf), "t%d", i);
		CHECK_INT_EQ(add(c, buf, (uint64_t)i + 7), 0);
	}
	d = aud_colstat_distinct(c, &exact);
	CHECK_INT_EQ(exact, 0);
	CHECK(fabs((double)d - 1000.0) <= 30.0);
	aud_colstat_free(c);
}

void
test_colstat__hll_within_3_percent(void)
{
	struct aud__hll *h = calloc(1, sizeof(*h));
	char buf[32];
	int i, j;
	const int sizes[] = { 0, 1, 100, 5000, 20000, 50000, 100000 };
	int at = 0;

	if (h == NULL)
		return;
	CHECK_DBL_EQ(aud__hll_estimate(h), 0.0);
	/* 1e5 distinct texts, each added twice: duplicates change nothing */
	for (i = 1; i <= 100000; i++) {
		snprintf(buf, sizeof(buf), "row-%d", i);
		for (j = 0; j < 2; j++)
			aud__hll_add(h, aud__hash64(buf, strlen(buf), 0));
		while (at < 7 && sizes[at] < i)
			at++;
		if (at < 7 && sizes[at] == i) {
			double e = aud__hll_estimate(h);

			if (!(fabs(e - i) <= 0.03 * i + 1.0))
				aud_test_fail(__FILE__, __LINE__, "estimate %g of %d distinct", e,
				    i);
		}
	}
	/* and the column accumulator's own estimate on 1e5 numbers as text */
	{
		struct aud_colstat *c = make(10, 0, 0.001);
		int exact = 1;
		uint64_t d;

		if (c != NULL) {
			for (i = 0; i < 100000; i++) {
				snprintf(buf, sizeof(buf), "%d", i * 7);
				CHECK_INT_EQ(add(c, buf, (uint64_t)i + 2), 0);
			}
			d = aud_colstat_distinct(c, &exact);
			CHECK_INT_EQ(exact, 0);
			CHECK(fabs((double)d - 1e5) <= 3000.0);
			aud_colstat_free(c);
		}
	}
	free(h);
}

void
test_colstat__hash_spreads(void)
{
	/* different seeds, lengths and one flipped bit give different hashes */
	const char *s = "abcdefghijklmnopq";
	uint64_t a = aud__hash64(s, 17, 0), b = aud__hash64(s, 17, 1);
	uint64_t c = aud__hash64(s, 16, 0), d = aud__hash64("abcdefghijklmnopr", 17, 0);

	CHECK(a != b);
	CHECK(a != c);
	CHECK(a != d);
	CHECK(aud__hash64("", 0, 0) != aud__hash64("\0", 1, 0));
	CHECK_INT_EQ(aud__hash64(s, 17, 0), a);   /* deterministic */
}

void
test_colstat__sketch_mode(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_colstat *c = make(10000, 1, 0.01);
	struct aud_colstat_numeric s;
	char buf[16];
	size_t n = 99;
	int i;

	if (c == NULL)
		return;
	/* 1..1000 shuffled by a stride coprime with 1000 */
	for (i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "%d", (i * 379) % 1000 + 1);
		CHECK_INT_EQ(add(c, buf, (uint64_t)i + 2), 0);
	}
	CHECK(aud_colstat_sorted(c, &n, &err) == NULL);
	CHECK_INT_EQ(n, 0);
	CHECK(aud_colstat_sketch(c) != NULL);
	aud_colstat_numeric(c, &s);
	CHECK_REL(s.mean, 500.5, 1e-12);     /* exact whatever the mode */
	CHECK_DBL_EQ(s.min, 1.0);
	CHECK_DBL_EQ(s.max, 1000.0);
	/* the median's rank is within eps * n = 10 of 500 */
	CHECK(fabs(aud_colstat_quantile(c, 0.5, &err) - 500.0) <= 11.0);
	aud_colstat_free(c);
}

void
test_colstat__bad_options(void)
{
	struct aud_colstat_options o = AUD_COLSTAT_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_colstat *c = (struct aud_colstat *)&o;

	o.sketch = 1;
	o.sketch_eps = 0.5;
	CHECK_INT_EQ(aud_colstat_new(&c, "x", &o, &err), AUD_EINVAL);
	CHECK(c == NULL);
	o.sketch_eps = 0.01;
	o.max_categories = 0;
	CHECK_INT_EQ(aud_colstat_new(&c, "x", &o, &err), AUD_EINVAL);
	CHECK(strstr(err.msg, "max_categories") != NULL);
	aud_colstat_free(NULL);
}

static int
cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void
test_colstat__sorts_many_values(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	static double want[20000];
	const double *got;
	char buf[64];
	size_t n = 0, i;
	uint64_t x = 12345;
	int size, k;

	/* radix sort (>= 4096 values) and the quicksort (fewer): both equal qsort's
	 * order on negatives, zeros of both signs, ties and large magnitudes */
	for (k = 0; k < 2; k++) {
		struct aud_colstat *c = make(10, 0, 0.001);

		if (c == NULL)
			return;
		size = k == 0 ? 20000 : 3000;
		for (i = 0; i < (size_t)size; i++) {
			double v;

			x = x * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
			v = (double)(int64_t)(x >> 20) / 1e3;
			if (i % 7 == 0)
				v = (double)((x >> 33) % 5) - 2.0;     /* ties */
			if (i % 11 == 0)
				v = i % 2 ? 0.0 : -0.0;
			if (i % 13 == 0)
				v = (x >> 63) ? -1e300 : 1e300;
			want[i] = v;
			snprintf(buf, sizeof(buf), "%.17g", v);
			CHECK_INT_EQ(add(c, buf, i + 2), 0);
		}
		qsort(want, (size_t)size, sizeof(*want), cmp_dbl);
		got = aud_colstat_sorted(c, &n, &err);
		CHECK_INT_EQ(n, size);
		for (i = 0; got != NULL && i < n; i++)
			if (!(got[i] == want[i])) {
				aud_test_fail(__FILE__, __LINE__, "value %zu: %g, want %g", i, got[i],
				    want[i]);
				break;
			}
		aud_colstat_free(c);
	}
}

static int
addn(struct aud_colstat *c, const char *s, size_t len, uint64_t line)
{
	struct aud_error err = AUD_ERROR_INIT;

	return aud_colstat_add(c, s, len, 0, line, &err);
}

void
test_colstat__texts_that_differ_little(void)
{
	/* pairs that differ in one byte or in length only: short (in the table's slot) and long */
	static const struct {
		const char *s;
		size_t len;
		uint64_t times;
	} t[] = {
		{ "ab", 2, 1 }, { "ab\0", 3, 2 }, { "ab\0\0", 4, 3 }, { "abcdefg", 7, 4 },
		{ "abcdefgh", 8, 5 }, { "abcdefgi", 8, 6 }, { "abcdefghXXXX", 12, 7 },
		{ "abcdefgYXXXX", 12, 8 }, { "abcdefghXXXXXXXXY", 17, 9 },
		{ "abcdefghXXXXXXXXZ", 17, 10 }, { "abcdefghXXXXXXXX", 16, 11 },
	};
	const size_t n = sizeof(t) / sizeof(t[0]);
	struct aud_colstat *c = make(10000, 0, 0.001);
	uint64_t count, total = 0, line = 2;
	size_t i, k;

	if (c == NULL)
		return;
	/* interleaved: each round adds every text still short of its count */
	for (k = 0; k < 11; k++)
		for (i = 0; i < n; i++)
			if (k < t[i].times)
				CHECK_INT_EQ(addn(c, t[i].s, t[i].len, line++), 0);
	CHECK_INT_EQ(aud_colstat_ncategories(c), n);
	/* byte order: "ab" < "ab\0" < "ab\0\0" < "abcdefg" < "abcdefgYXXXX" < "abcdefgh" ... */
	{
		static const size_t order[] = { 0, 1, 2, 3, 7, 4, 6, 10, 8, 9, 5 };

		for (i = 0; i < n; i++) {
			const char *s = aud_colstat_category(c, i, &count, NULL);

			CHECK(memcmp(s, t[order[i]].s, t[order[i]].len) == 0);
			CHECK_INT_EQ(count, t[order[i]].times);
			total += count;
		}
	}
	CHECK_INT_EQ(total, 66); /* 1 + 2 + ... + 11 */
	CHECK_INT_EQ(aud_colstat_count_of(c, "abcdefghXXXXXXXXZ"), 10);
	CHECK_INT_EQ(aud_colstat_count_of(c, "abcdefghXXXXXXXXW"), 0);
	CHECK_INT_EQ(aud_colstat_count_of(c, "abcdefgj"), 0);
	aud_colstat_free(c);
}

void
test_colstat__overflowed_counts_stay_exact(void)
{
	/* 300 categories kept (short and long texts), then 40000 unknown texts among
	 * 2 more of each known one: every known count is 3, by construction */
	struct aud_colstat *c = make(300, 0, 0.001);
	char buf[48];
	uint64_t line = 2, count;
	int i, r;

	if (c == NULL)
		return;
	for (i = 0; i < 300; i++) {
		snprintf(buf, sizeof(buf), i % 2 ? "k%d" : "a-long-category-%d", i);
		CHECK_INT_EQ(add(c, buf, line++), 0);
	}
	CHECK_INT_EQ(aud_colstat_overflow(c), 0);
	for (r = 0; r < 2; r++) {
		for (i = 0; i < 40000; i++) {
			snprintf(buf, sizeof(buf), i % 3 ? "u%d-%d" : "an-unknown-long-text-%d-%d", r, i);
			CHECK_INT_EQ(add(c, buf, line++), 0);
			if (i % 100 == 0 && i / 100 < 300) {
				int j = i / 100;

				snprintf(buf, sizeof(buf), j % 2 ? "k%d" : "a-long-category-%d", j);
				CHECK_INT_EQ(add(c, buf, line++), 0);
			}
		}
	}
	CHECK_INT_EQ(aud_colstat_overflow(c), 1);
	CHECK_INT_EQ(aud_colstat_ncategories(c), 300);
	for (i = 0; i < 300; i++) {
		snprintf(buf, sizeof(buf), i % 2 ? "k%d" : "a-long-category-%d", i);
		CHECK_INT_EQ(aud_colstat_count_of(c, buf), 3);
	}
	CHECK_INT_EQ(aud_colstat_count_of(c, "u0-1"), 0);
	aud_colstat_category(c, 0, &count, NULL);
	CHECK_INT_EQ(count, 3);
	aud_colstat_free(c);
}

void
test_colstat__overflow_estimate_equals_every_value_hashed(void)
{
	/* the estimate after overflow is the HyperLogLog of every text added,
	 * repeats included (here fed to a HyperLogLog of our own) */
	struct aud_colstat *c = make(100, 0, 0.001);
	struct aud__hll *h = calloc(1, sizeof(*h));
	char buf[32];
	int exact = 1, i;
	uint64_t d;

	CHECK(h != NULL);
	if (c == NULL || h == NULL) {
		aud_colstat_free(c);
		free(h);
		return;
	}
	for (i = 0; i < 5000; i++) {
		/* 40 texts repeated, then new ones: the overflow comes at the 101st */
		snprintf(buf, sizeof(buf), "v%d", i < 2000 ? i % 40 : i);
		CHECK_INT_EQ(add(c, buf, (uint64_t)i + 2), 0);
		aud__hll_add(h, aud__hash64(buf, strlen(buf), 0));
	}
	d = aud_colstat_distinct(c, &exact);
	CHECK_INT_EQ(exact, 0);
	CHECK_INT_EQ(d, (uint64_t)llround(aud__hll_estimate(h)));
	CHECK(fabs((double)d - 3040.0) <= 3040.0 * 0.03);
	aud_colstat_free(c);
	free(h);
}
