/*
 * rng.h — seeded random streams (GSL's MT19937) with independent substreams.
 *
 * Scheme: stream k of seed s is an MT19937 seeded with
 * splitmix64(s ^ splitmix64(k + 1)) (truncated to 32 bits, never 0). A
 * computation that is split over threads gives each unit of work (a row, a
 * replicate, a batch) the stream of its index, never the stream of the
 * thread, so results do not depend on the number of threads.
 */
#ifndef AUDIT_RNG_H
#define AUDIT_RNG_H

#include <stddef.h>
#include <stdint.h>

#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

struct aud_rng;

/** A stream. @param[out] out caller owns; free with aud_rng_free() */
int aud_rng_new(struct aud_rng **out, uint64_t seed, uint64_t stream,
    struct aud_error *err);
/** Re-seed an existing stream (no allocation): for per-row streams in loops. */
void aud_rng_reseed(struct aud_rng *r, uint64_t seed, uint64_t stream);
void aud_rng_free(struct aud_rng *r);

/** The 32-bit seed the scheme derives for (seed, stream). */
uint32_t aud_rng_derive(uint64_t seed, uint64_t stream);

/** Uniform on [0, 1). */
double aud_rng_uniform(struct aud_rng *r);
/** Uniform on (0, 1). */
double aud_rng_uniform_pos(struct aud_rng *r);
/** Uniform integer in [0, n), n > 0. */
uint64_t aud_rng_int(struct aud_rng *r, uint64_t n);
/** Gaussian with mean 0 and standard deviation sigma. */
double aud_rng_gaussian(struct aud_rng *r, double sigma);
/** Multinomial draw of n trials over k categories with probabilities p. */
void aud_rng_multinomial(struct aud_rng *r, size_t k, unsigned int n,
    const double *p, unsigned int *out);
/** Binomial draw. */
unsigned int aud_rng_binomial(struct aud_rng *r, double p, unsigned int n);
/** Shuffle n elements of `size` bytes in place. */
void aud_rng_shuffle(struct aud_rng *r, void *base, size_t n, size_t size);

/** The underlying gsl_rng (for gsl_ran_* calls). Borrowed. */
void *aud_rng_gsl(struct aud_rng *r);

#ifdef __cplusplus
}
#endif
#endif
