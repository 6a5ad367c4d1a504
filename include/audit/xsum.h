/*
 * xsum.h — exact, order-independent sums of doubles.
 *
 * A sum that must come out the same whatever the order of its terms and
 * however they were split between processes (audit-merge, docs/scale-out.md)
 * cannot be a floating-point sum. An aud_xsum is a fixed-point number of
 * AUD_XSUM_LIMBS limbs: each limb holds a signed 32-bit digit of the value
 * (plus headroom for 2^31 unnormalised additions), the lowest digit weighing
 * 2^AUD_XSUM_LSB. So:
 *
 *   - every term whose bits lie in [2^AUD_XSUM_LSB, 2^AUD_XSUM_MAX) is added
 *     exactly; a term with bits below 2^AUD_XSUM_LSB (about 5e-91) is first
 *     rounded to that grid, to nearest, ties to even: a fixed rule of the term
 *     alone, so still order-independent;
 *   - a term of magnitude 2^AUD_XSUM_MAX or more (about 2e90), NaN or an
 *     infinity marks the sum as overflowed; aud_xsum_value() then returns NaN
 *     and aud_xsum_ok() 0, and callers report it as an error;
 *   - adding sums (aud_xsum_add_sum) is exact: partial sums of shards merge
 *     into the sum a single pass would give, bit for bit;
 *   - aud_xsum_value() rounds the exact value once, to nearest, ties to even.
 *
 * aud_xsum_add_product() adds a*b exactly (fma(3) splits the product into two
 * doubles), which gives exact sums of squares and exact sums of (x - c)^2 by
 * expansion.
 *
 * Cost: AUD_XSUM_LIMBS * 8 bytes (160) a sum; an addition touches three limbs.
 */
#ifndef AUDIT_XSUM_H
#define AUDIT_XSUM_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AUD_XSUM_LIMBS 20
#define AUD_XSUM_LSB (-300)   /**< weight of the lowest bit: 2^-300 */
#define AUD_XSUM_MAX 300      /**< terms must be below 2^300 in magnitude */

/** An exact sum. Plain data: copy it, zero it (aud_xsum_init), keep arrays of it. */
struct aud_xsum {
	int64_t limb[AUD_XSUM_LIMBS];  /**< limb i weighs 2^(AUD_XSUM_LSB + 32 i) */
	uint32_t pending;              /**< additions since the last normalisation */
	uint32_t overflow;             /**< 1: a term was out of range, NaN or infinite */
};

/** Set to zero. */
void aud_xsum_init(struct aud_xsum *s);
/** Add x (exactly, see above). */
void aud_xsum_add(struct aud_xsum *s, double x);
/** Add a*b exactly (both products' parts are added). */
void aud_xsum_add_product(struct aud_xsum *s, double a, double b);
/** Add another sum exactly. */
void aud_xsum_add_sum(struct aud_xsum *s, const struct aud_xsum *t);
/** Multiply the exact value by -1. */
void aud_xsum_negate(struct aud_xsum *s);
/** 1 unless a term was out of range, NaN or infinite. */
int aud_xsum_ok(const struct aud_xsum *s);
/** The value rounded once to the nearest double (ties to even); NaN after an overflow. */
double aud_xsum_value(const struct aud_xsum *s);
/** Sign of the exact value: -1, 0 or 1 (0 after an overflow). */
int aud_xsum_sign(const struct aud_xsum *s);
/** 1 when both hold the same exact value (and the same overflow mark). */
int aud_xsum_equal(const struct aud_xsum *a, const struct aud_xsum *b);

/**
 * Canonical text of the exact value (the same value always gives the same
 * text): "0", or an optional '-', lower-case hex digits without leading zeros
 * and "p-300" (the integer times 2^AUD_XSUM_LSB); "overflow" after an overflow.
 * @return a cJSON string (caller owns), or NULL when out of memory
 */
cJSON *aud_xsum_to_json(const struct aud_xsum *s);
/**
 * Parse aud_xsum_to_json()'s text.
 * @param what names the value in the message ("state.data.groups[2].ws")
 * @return 0, AUD_EPARSE
 */
int aud_xsum_from_json(struct aud_xsum *s, const cJSON *j, const char *what,
    struct aud_error *err);

#ifdef __cplusplus
}
#endif
#endif
