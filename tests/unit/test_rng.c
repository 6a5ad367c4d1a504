/* test_rng.c — seeded streams: reproducible, independent, right moments. */
#include <math.h>
#include <stdlib.h>

#include <audit/rng.h>

#include "runner.h"

void
test_rng__same_seed_same_stream(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_rng *a = NULL, *b = NULL, *c = NULL;
	int i, differ = 0;

	CHECK_INT_EQ(aud_rng_new(&a, 42, 7, &err), 0);
	CHECK_INT_EQ(aud_rng_new(&b, 42, 7, &err), 0);
	CHECK_INT_EQ(aud_rng_new(&c, 42, 8, &err), 0);
	for (i = 0; i < 100; i++) {
		double x = aud_rng_uniform(a), y = aud_rng_uniform(b), z = aud_rng_uniform(c);

		CHECK_DBL_EQ(x, y);
		differ += x != z;
	}
	CHECK(differ > 95);
	aud_rng_reseed(c, 42, 7);
	aud_rng_reseed(a, 42, 7);
	CHECK_DBL_EQ(aud_rng_uniform(a), aud_rng_uniform(c));
	CHECK(aud_rng_derive(1, 0) != aud_rng_derive(2, 0));
	CHECK(aud_rng_derive(1, 0) != aud_rng_derive(1, 1));
	aud_rng_free(a);
	aud_rng_free(b);
	aud_rng_free(c);
}

/* Mean and variance of 100,000 draws within 5 standard errors. */
void
test_rng__moments(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_rng *r = NULL;
	int i, n = 100000;
	double su = 0, sg = 0, sg2 = 0;
	unsigned int counts[3], total[3] = { 0, 0, 0 };
	const double p[3] = { 0.2, 0.3, 0.5 };

	CHECK_INT_EQ(aud_rng_new(&r, 1, 0, &err), 0);
	for (i = 0; i < n; i++) {
		double g = aud_rng_gaussian(r, 2.0);

		su += aud_rng_uniform(r);
		sg += g;
		sg2 += g * g;
	}
	CHECK(fabs(su / n - 0.5) < 5 * sqrt(1.0 / 12 / n));
	CHECK(fabs(sg / n) < 5 * 2.0 / sqrt(n));
	CHECK(fabs(sg2 / n - 4.0) < 5 * 4.0 * sqrt(2.0 / n));
	for (i = 0; i < 100; i++) {
		aud_rng_multinomial(r, 3, 1000, p, counts);
		CHECK_INT_EQ(counts[0] + counts[1] + counts[2], 1000);
		total[0] += counts[0];
		total[1] += counts[1];
		total[2] += counts[2];
	}
	CHECK(fabs(total[2] / 100000.0 - 0.5) < 5 * sqrt(0.25 / 100000));
	for (i = 0; i < 1000; i++)
		CHECK(aud_rng_int(r, 7) < 7);
	aud_rng_free(r);
}
