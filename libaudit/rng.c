/* rng.c — seeded substreams over GSL's MT19937 (see rng.h). */
#include <audit/rng.h>

#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

struct aud_rng {
	gsl_rng *r;
};

static uint64_t
splitmix64(uint64_t x)
{
	x += UINT64_C(0x9E3779B97F4A7C15);
	x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
	return x ^ (x >> 31);
}

uint32_t
aud_rng_derive(uint64_t seed, uint64_t stream)
{
	uint64_t x = splitmix64(seed ^ splitmix64(stream + 1));
	uint32_t s = (uint32_t)(x ^ (x >> 32));

	return s != 0 ? s : 1;
}

int
aud_rng_new(struct aud_rng **out, uint64_t seed, uint64_t stream,
    struct aud_error *err)
{
	struct aud_rng *r;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	r->r = gsl_rng_alloc(gsl_rng_mt19937);
	if (r->r == NULL) {
		free(r);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	gsl_rng_set(r->r, aud_rng_derive(seed, stream));
	*out = r;
	return 0;
}

void
aud_rng_reseed(struct aud_rng *r, uint64_t seed, uint64_t stream)
{
	gsl_rng_set(r->r, aud_rng_derive(seed, stream));
}

void
aud_rng_free(struct aud_rng *r)
{
	if (r == NULL)
		return;
	gsl_rng_free(r->r);
	free(r);
}

double
aud_rng_uniform(struct aud_rng *r)
{
	return gsl_rng_uniform(r->r);
}

double
aud_rng_uniform_pos(struct aud_rng *r)
{
	return gsl_rng_uniform_pos(r->r);
}

uint64_t
aud_rng_int(struct aud_rng *r, uint64_t n)
{
	/* gsl_rng_uniform_int takes n <= 2^32 for MT19937 */
	if (n <= UINT64_C(0xFFFFFFFF))
		return gsl_rng_uniform_int(r->r, (unsigned long)n);
	return (uint64_t)(gsl_rng_uniform(r->r) * (double)n) % n;
}

double
aud_rng_gaussian(struct aud_rng *r, double sigma)
{
	return gsl_ran_gaussian_ziggurat(r->r, sigma);
}

void
aud_rng_multinomial(struct aud_rng *r, size_t k, unsigned int n,
    const double *p, unsigned int *out)
{
	gsl_ran_multinomial(r->r, k, n, p, out);
}

unsigned int
aud_rng_binomial(struct aud_rng *r, double p, unsigned int n)
{
	return gsl_ran_binomial(r->r, p, n);
}

void
aud_rng_shuffle(struct aud_rng *r, void *base, size_t n, size_t size)
{
	gsl_ran_shuffle(r->r, base, n, size);
}

void *
aud_rng_gsl(struct aud_rng *r)
{
	return r->r;
}
