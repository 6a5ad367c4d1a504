/*
 * colstat_impl.h — private: the 64-bit text hash and the HyperLogLog that
 * colstat.c keeps per column, shared with profile.c (distinct rows in
 * --sketch mode, the exact duplicate-row set) and datacheck.c (keys).
 */
#ifndef AUDIT_COLSTAT_IMPL_H
#define AUDIT_COLSTAT_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <audit/error.h>

/**
 * A 128-bit hash of `len` bytes in one pass (two 64-bit lanes over 16-byte
 * blocks, murmur3's structure): (*a, *b) are the seed on entry and the hash
 * on return, so that fields chain into a row's hash.
 */
void aud__hash128(const void *data, size_t len, uint64_t *a, uint64_t *b);

/** The HyperLogLog's precision: 2^14 registers of one byte. */
#define AUD__HLL_P 14
#define AUD__HLL_M (1u << AUD__HLL_P)

/**
 * A 64-bit hash of `len` bytes with a seed (multiply-rotate over 8-byte
 * words, then a murmur3-style finaliser): every input bit reaches every
 * output bit. Two seeds give two independent-looking hashes (a 128-bit one).
 */
uint64_t aud__hash64(const void *data, size_t len, uint64_t seed);

/** A HyperLogLog: AUD__HLL_M registers, zeroed by the caller (calloc). */
struct aud__hll {
	uint8_t reg[AUD__HLL_M];
};

/** Add a hashed item. */
void aud__hll_add(struct aud__hll *h, uint64_t hash);

/**
 * The estimate of the distinct items added: Ertl's improved raw estimator
 * (2017), which needs no bias table and holds from 0 to far beyond 2^40;
 * relative standard error about 1.04 / sqrt(2^14) = 0.8%.
 */
double aud__hll_estimate(const struct aud__hll *h);

/**
 * A set of 128-bit hashes (rows, keys) in open addressing, 16 bytes a member
 * and at most half full. Zero-initialise it; free with aud__rowset_free().
 */
struct aud__rowset {
	uint64_t *slot;   /* pairs; (0, 0) is an empty slot */
	size_t cap, used;
};

/**
 * Add the hash (a, b).
 * @return 1 when it was there already, 0 when added, AUD_ENOMEM
 */
int aud__rowset_seen(struct aud__rowset *s, uint64_t a, uint64_t b, struct aud_error *err);

/** Release the set's memory; it is empty afterwards. */
void aud__rowset_free(struct aud__rowset *s);

#endif
