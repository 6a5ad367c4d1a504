/*
 * perturb_rng.h — private: the light per-row random streams of perturbations.
 *
 * Every row of every perturbation has its own stream, so its noise does not
 * depend on batches or threads. Re-seeding a Mersenne Twister (rng.h) per row
 * costs more than the draws a row needs (a few), so a row's stream is a
 * splitmix64 sequence whose state is seeded from rng.h's derivation for
 * (seed, stream) and the stream's own low bits.
 */
#ifndef AUDIT_PERTURB_RNG_H
#define AUDIT_PERTURB_RNG_H

#include <math.h>
#include <stdint.h>

#include <audit/rng.h>

struct aud__rowrng {
	uint64_t s;
};

static inline void
aud__rowrng_init(struct aud__rowrng *r, uint64_t seed, uint64_t stream)
{
	r->s = ((uint64_t)aud_rng_derive(seed, stream) << 32) ^ (uint32_t)stream;
}

static inline uint64_t
aud__rowrng_next(struct aud__rowrng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform on [0, 1). */
static inline double
aud__rowrng_uniform(struct aud__rowrng *r)
{
	return (double)(aud__rowrng_next(r) >> 11) * 0x1.0p-53;
}

/* Standard normal (Box-Muller, one variate from two uniforms). */
static inline double
aud__rowrng_gaussian(struct aud__rowrng *r)
{
	double u1 = ((double)(aud__rowrng_next(r) >> 11) + 0.5) * 0x1.0p-53;
	double u2 = aud__rowrng_uniform(r);

	return sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2);
}

#endif
