/* colstat.c — one column in one pass: kind, Welford, numbers or sketch, categories, HLL. */
#include <audit/colstat.h>

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/csv.h>
#include <audit/stats.h>

#include "colstat_impl.h"

const char *const aud_colstat_kind_names[] = { "empty", "numeric", "categorical" };

/* A category in the byte-order index. */
struct cat_ref {
	const char *s;
	size_t len;
	int32_t code;
};

/*
 * A slot of the category table: the high half of the text's hash (the low
 * bits choose the slot) is checked first, and a text of at most
 * SLOT_INLINE bytes is held in the slot itself: most probes and most hits
 * read one 16-byte slot and nothing else.
 */
#define SLOT_INLINE 7
#define SLOT_LONG 255            /* len of a slot whose text is longer */

struct cat_slot {
	uint32_t tag;            /* hash >> 32 */
	int32_t code;            /* -1: empty */
	unsigned char len;       /* the length, or SLOT_LONG */
	char text[SLOT_INLINE];
};

struct aud_colstat {
	char *name;
	struct aud_colstat_options opts;
	uint64_t rows, missing;
	enum aud_colstat_kind kind;

	/* numbers that parsed (Welford) */
	uint64_t n;
	double min, max, mean, m2;
	uint64_t min_line, max_line, integers;
	double *values;          /* exact mode */
	size_t nvalues, capvalues;
	int sorted;
	struct aud_sketch *sketch;

	/* categories: texts by their 64-bit hash (the HyperLogLog's), open addressing */
	char **str;
	size_t *slen;
	uint64_t *hash;
	size_t ncat;
	struct cat_slot *slot;
	size_t nslot;            /* a power of two, at least twice ncat */
	uint64_t *counts, *first;
	struct cat_ref *order;   /* capacity = capcat; filled lazily */
	size_t capcat;
	int order_valid;
	int overflow;
	/* once overflowed: a Bloom filter of the categories' hashes (NULL: none) */
	uint64_t *filter;
	size_t filter_mask;      /* bits - 1 */
	struct aud__hll *hll;
};

/* ---- hash and HyperLogLog ------------------------------------------------- */

static uint64_t
rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static uint64_t
fmix64(uint64_t k)
{
	k ^= k >> 33;
	k *= UINT64_C(0xff51afd7ed558ccd);
	k ^= k >> 33;
	k *= UINT64_C(0xc4ceb9fe1a85ec53);
	k ^= k >> 33;
	return k;
}

uint64_t
aud__hash64(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	const uint64_t c1 = UINT64_C(0x87c37b91114253d5), c2 = UINT64_C(0x4cf5ad432745937f);
	uint64_t h = seed ^ (len * UINT64_C(0x9e3779b97f4a7c15));
	uint64_t k;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&k, p + i, 8);
		k *= c1;
		k = rotl64(k, 31);
		k *= c2;
		h ^= k;
		h = rotl64(h, 27) * 5 + UINT64_C(0x52dce729);
	}
	k = 0;
	for (; i < len; i++)
		k = (k << 8) | p[i];
	k ^= (uint64_t)(len & 7) << 56;
	k *= c1;
	k = rotl64(k, 31);
	k *= c2;
	h ^= k;
	return fmix64(h);
}

void
aud__hash128(const void *data, size_t len, uint64_t *a, uint64_t *b)
{
	const unsigned char *p = data;
	const uint64_t c1 = UINT64_C(0x87c37b91114253d5), c2 = UINT64_C(0x4cf5ad432745937f);
	uint64_t h1 = *a, h2 = *b, k1, k2;
	unsigned char tail[16];
	size_t i;

	for (i = 0; i + 16 <= len; i += 16) {
		memcpy(&k1, p + i, 8);
		memcpy(&k2, p + i + 8, 8);
		k1 *= c1;
		k1 = rotl64(k1, 31);
		k1 *= c2;
		h1 ^= k1;
		h1 = rotl64(h1, 27) + h2;
		h1 = h1 * 5 + UINT64_C(0x52dce729);
		k2 *= c2;
		k2 = rotl64(k2, 33);
		k2 *= c1;
		h2 ^= k2;
		h2 = rotl64(h2, 31) + h1;
		h2 = h2 * 5 + UINT64_C(0x38495ab5);
	}
	memset(tail, 0, sizeof(tail));
	memcpy(tail, p + i, len - i);
	memcpy(&k1, tail, 8);
	memcpy(&k2, tail + 8, 8);
	k1 ^= (uint64_t)(len - i) << 56;   /* the tail's length: "a" and "a\0" differ */
	k1 *= c1;
	k1 = rotl64(k1, 31);
	k1 *= c2;
	h1 ^= k1;
	k2 *= c2;
	k2 = rotl64(k2, 33);
	k2 *= c1;
	h2 ^= k2;
	h1 ^= (uint64_t)len;
	h2 ^= (uint64_t)len;
	h1 += h2;
	h2 += h1;
	h1 = fmix64(h1);
	h2 = fmix64(h2);
	h1 += h2;
	h2 += h1;
	*a = h1;
	*b = h2;
}

void
aud__hll_add(struct aud__hll *h, uint64_t hash)
{
	uint32_t idx = (uint32_t)(hash >> (64 - AUD__HLL_P));
	uint64_t rest = hash << AUD__HLL_P;   /* the low 64 - P bits, moved up */
	uint8_t rho = 1;

	/* rho: where the first 1 bit is among the 64 - P others (64 - P + 1: none) */
	while (rho <= 64 - AUD__HLL_P && (rest & (UINT64_C(1) << 63)) == 0) {
		rest <<= 1;
		rho++;
	}
	if (rho > h->reg[idx])
		h->reg[idx] = rho;
}

static double
hll_sigma(double x)
{
	double y = 1.0, z = x, zp;

	if (x == 1.0)
		return INFINITY;
	do {
		x *= x;
		zp = z;
		z += x * y;
		y += y;
	} while (z != zp);
	return z;
}

static double
hll_tau(double x)
{
	double y = 1.0, z, zp;

	if (x == 0.0 || x == 1.0)
		return 0.0;
	z = 1.0 - x;
	do {
		x = sqrt(x);
		zp = z;
		y *= 0.5;
		z -= (1.0 - x) * (1.0 - x) * y;
	} while (z != zp);
	return z / 3.0;
}

double
aud__hll_estimate(const struct aud__hll *h)
{
	const int q = 64 - AUD__HLL_P;
	const double m = (double)AUD__HLL_M;
	double c[64 - AUD__HLL_P + 2] = { 0 };
	double z;
	uint32_t i;
	int k;

	for (i = 0; i < AUD__HLL_M; i++)
		c[h->reg[i]] += 1.0;
	if (c[0] == m)
		return 0.0;
	z = m * hll_tau(1.0 - c[q + 1] / m);
	for (k = q; k >= 1; k--)
		z = 0.5 * (z + c[k]);
	z += m * hll_sigma(c[0] / m);
	return m * m / (2.0 * log(2.0)) / z;
}

/* ---- the set of 128-bit hashes ------------------------------------------------ */

static int
set_grow(struct aud__rowset *p, struct aud_error *err)
{
	size_t cap = p->cap ? 2 * p->cap : 1024, i;
	uint64_t *s = calloc(2 * cap, sizeof(*s));

	if (s == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory (a set of %zu row hashes; "
		    "profile --sketch estimates duplicates in fixed memory)", p->used);
	for (i = 0; i < p->cap; i++) {
		uint64_t a = p->slot[2 * i], b = p->slot[2 * i + 1];
		size_t j = (size_t)a & (cap - 1);

		if (a == 0 && b == 0)
			continue;
		while (s[2 * j] != 0 || s[2 * j + 1] != 0)
			j = (j + 1) & (cap - 1);
		s[2 * j] = a;
		s[2 * j + 1] = b;
	}
	free(p->slot);
	p->slot = s;
	p->cap = cap;
	return 0;
}

int
aud__rowset_seen(struct aud__rowset *p, uint64_t a, uint64_t b, struct aud_error *err)
{
	size_t j;
	int rc;

	if (a == 0 && b == 0)
		b = 1;
	if (2 * (p->used + 1) > p->cap) {
		rc = set_grow(p, err);
		if (rc < 0)
			return rc;
	}
	j = (size_t)a & (p->cap - 1);
	while (p->slot[2 * j] != 0 || p->slot[2 * j + 1] != 0) {
		if (p->slot[2 * j] == a && p->slot[2 * j + 1] == b)
			return 1;
		j = (j + 1) & (p->cap - 1);
	}
	p->slot[2 * j] = a;
	p->slot[2 * j + 1] = b;
	p->used++;
	return 0;
}

void
aud__rowset_free(struct aud__rowset *s)
{
	free(s->slot);
	s->slot = NULL;
	s->cap = s->used = 0;
}

/* ---- the accumulator ------------------------------------------------------ */

int
aud_colstat_new(struct aud_colstat **out, const char *name,
    const struct aud_colstat_options *opts, struct aud_error *err)
{
	struct aud_colstat *c;
	int rc;

	assert(out != NULL && name != NULL && opts != NULL);
	*out = NULL;
	if (opts->sketch && !(opts->sketch_eps > 0.0 && opts->sketch_eps < 0.5))
		return AUD_ERROR(err, AUD_EINVAL, "the sketch's eps must be in (0, 0.5), not %g",
		    opts->sketch_eps);
	if (opts->max_categories < 1)
		return AUD_ERROR(err, AUD_EINVAL, "max_categories must be at least 1");
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	c->opts = *opts;
	c->min = c->max = NAN;
	c->name = strdup(name);
	c->hll = calloc(1, sizeof(*c->hll));
	if (c->name == NULL || c->hll == NULL) {
		aud_colstat_free(c);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	rc = 0;
	if (opts->sketch)
		rc = aud_sketch_new(&c->sketch, opts->sketch_eps, err);
	if (rc < 0) {
		aud_colstat_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void
aud_colstat_free(struct aud_colstat *c)
{
	size_t i;

	if (c == NULL)
		return;
	free(c->name);
	free(c->values);
	aud_sketch_free(c->sketch);
	for (i = 0; i < c->ncat; i++)
		free(c->str[i]);
	free(c->str);
	free(c->slen);
	free(c->hash);
	free(c->slot);
	free(c->counts);
	free(c->first);
	free(c->order);
	free(c->filter);
	free(c->hll);
	free(c);
}

static int
add_number(struct aud_colstat *c, double x, uint64_t line, struct aud_error *err)
{
	double d;

	c->n++;
	if (c->n == 1 || x < c->min) {
		c->min = x;
		c->min_line = line;
	}
	if (c->n == 1 || x > c->max) {
		c->max = x;
		c->max_line = line;
	}
	if (x == floor(x))
		c->integers++;
	d = x - c->mean;
	c->mean += d / (double)c->n;
	c->m2 += d * (x - c->mean);
	if (c->sketch != NULL)
		return aud_sketch_add(c->sketch, x, err);
	if (c->nvalues == c->capvalues) {
		size_t cap = c->capvalues ? 2 * c->capvalues : 256;
		double *v = realloc(c->values, cap * sizeof(*v));

		if (v == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		c->values = v;
		c->capvalues = cap;
	}
	c->values[c->nvalues++] = x;
	c->sorted = 0;
	return 0;
}

/* a and b (len bytes each) are equal: short texts compared inline, not by a call */
static int
same_text(const char *a, const char *b, size_t len)
{
	uint64_t x, y, u, v;

	if (len > 16)
		return memcmp(a, b, len) == 0;
	if (len >= 8) {
		/* the first and the last 8 bytes (they overlap below 16) */
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		memcpy(&u, a + len - 8, 8);
		memcpy(&v, b + len - 8, 8);
		return ((x ^ y) | (u ^ v)) == 0;
	}
	for (size_t i = 0; i < len; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* The code of the text, or -1. */
static int32_t
find_text(const struct aud_colstat *c, const char *text, size_t len, uint64_t h)
{
	size_t mask = c->nslot - 1, j;
	uint32_t tag = (uint32_t)(h >> 32);
	const struct cat_slot *sl;

	if (c->nslot == 0)
		return -1;
	for (j = (size_t)h & mask; (sl = &c->slot[j])->code >= 0; j = (j + 1) & mask) {
		if (sl->tag != tag)
			continue;
		if (len <= SLOT_INLINE) {
			if (sl->len == len && same_text(sl->text, text, len))
				return sl->code;
		} else if (sl->len == SLOT_LONG && c->slen[sl->code] == len &&
		    same_text(c->str[sl->code], text, len)) {
			return sl->code;
		}
	}
	return -1;
}

static void
fill_slot(struct cat_slot *sl, uint64_t h, int32_t code, const char *text, size_t len)
{
	sl->tag = (uint32_t)(h >> 32);
	sl->code = code;
	memset(sl->text, 0, sizeof(sl->text));
	if (len <= SLOT_INLINE) {
		sl->len = (unsigned char)len;
		memcpy(sl->text, text, len);
	} else {
		sl->len = SLOT_LONG;
	}
}

static int
grow_slots(struct aud_colstat *c, struct aud_error *err)
{
	size_t n = c->nslot ? 2 * c->nslot : 64, i, j;
	struct cat_slot *s = malloc(n * sizeof(*s));

	if (s == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < n; i++)
		s[i].code = -1;
	for (i = 0; i < c->ncat; i++) {
		for (j = (size_t)c->hash[i] & (n - 1); s[j].code >= 0; j = (j + 1) & (n - 1))
			;
		fill_slot(&s[j], c->hash[i], (int32_t)i, c->str[i], c->slen[i]);
	}
	free(c->slot);
	c->slot = s;
	c->nslot = n;
	return 0;
}

/* the two bits of hash h in the filter (k = 2, from bits the slot index does not use) */
static size_t
filter_bit(const struct aud_colstat *c, uint64_t h, int which)
{
	return (size_t)(which ? h >> 40 : h >> 16) & c->filter_mask;
}

static int
filter_may_hold(const struct aud_colstat *c, uint64_t h)
{
	size_t a = filter_bit(c, h, 0), b = filter_bit(c, h, 1);

	return (c->filter[a >> 6] >> (a & 63) & 1) && (c->filter[b >> 6] >> (b & 63) & 1);
}

/*
 * The table is full and never grows again: a filter of about 16 bits a
 * category (a few KB, where the table is hundreds) rules out most of the
 * texts it does not hold without a probe. Without memory, no filter.
 */
static void
build_filter(struct aud_colstat *c)
{
	size_t bits = 64, i;

	while (bits < 16 * c->ncat)
		bits *= 2;
	c->filter = calloc(bits / 64, sizeof(*c->filter));
	if (c->filter == NULL)
		return;
	c->filter_mask = bits - 1;
	for (i = 0; i < c->ncat; i++) {
		size_t a = filter_bit(c, c->hash[i], 0), b = filter_bit(c, c->hash[i], 1);

		c->filter[a >> 6] |= UINT64_C(1) << (a & 63);
		c->filter[b >> 6] |= UINT64_C(1) << (b & 63);
	}
}

static int
add_category(struct aud_colstat *c, const char *text, size_t len, uint64_t h, uint64_t line,
    struct aud_error *err)
{
	int32_t code;
	size_t j;
	char *copy;
	int rc;

	/* overflowed: a text not among the categories is not counted */
	if (c->filter != NULL && !filter_may_hold(c, h))
		return 0;
	code = find_text(c, text, len, h);
	if (code >= 0) {
		c->counts[code]++;
		return 0;
	}
	if (c->overflow)
		return 0;
	if (c->ncat >= c->opts.max_categories) {
		size_t i;

		c->overflow = 1;
		build_filter(c);
		for (i = 0; i < c->ncat; i++)
			aud__hll_add(c->hll, c->hash[i]);
		return 0;
	}
	if (c->ncat == c->capcat) {
		size_t cap = c->capcat ? 2 * c->capcat : 16;
		uint64_t *n1, *n2, *n3;
		struct cat_ref *o;
		char **st;
		size_t *sl;

		n1 = realloc(c->counts, cap * sizeof(*n1));
		if (n1 != NULL)
			c->counts = n1;
		n2 = realloc(c->first, cap * sizeof(*n2));
		if (n2 != NULL)
			c->first = n2;
		n3 = realloc(c->hash, cap * sizeof(*n3));
		if (n3 != NULL)
			c->hash = n3;
		st = realloc(c->str, cap * sizeof(*st));
		if (st != NULL)
			c->str = st;
		sl = realloc(c->slen, cap * sizeof(*sl));
		if (sl != NULL)
			c->slen = sl;
		o = realloc(c->order, cap * sizeof(*o));
		if (o != NULL)
			c->order = o;
		if (n1 == NULL || n2 == NULL || n3 == NULL || st == NULL || sl == NULL || o == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		c->capcat = cap;
	}
	if (2 * (c->ncat + 1) > c->nslot && (rc = grow_slots(c, err)) < 0)
		return rc;
	copy = malloc(len + 1);
	if (copy == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	memcpy(copy, text, len);
	copy[len] = '\0';
	code = (int32_t)c->ncat++;
	c->str[code] = copy;
	c->slen[code] = len;
	c->hash[code] = h;
	for (j = (size_t)h & (c->nslot - 1); c->slot[j].code >= 0; j = (j + 1) & (c->nslot - 1))
		;
	fill_slot(&c->slot[j], h, code, copy, len);
	c->counts[code] = 1;
	c->first[code] = line;
	c->order_valid = 0;
	return 0;
}

int
aud_colstat_add(struct aud_colstat *c, const char *text, size_t len, int missing,
    uint64_t line, struct aud_error *err)
{
	uint64_t h;
	double x;
	int rc;

	c->rows++;
	if (missing) {
		c->missing++;
		return 0;
	}
	/* a number is a finite one: "inf" and "nan" written out are texts */
	if (aud_parse_number(&x, text, len) && isfinite(x)) {
		if (c->kind == AUD_COLSTAT_EMPTY)
			c->kind = AUD_COLSTAT_NUMERIC;
		rc = add_number(c, x, line, err);
		if (rc < 0)
			return rc;
	} else {
		c->kind = AUD_COLSTAT_CATEGORICAL;
	}
	h = aud__hash64(text, len, 0);
	rc = add_category(c, text, len, h, line, err);
	/*
	 * The HyperLogLog is read only once the column has overflowed: until then
	 * it is not fed, and at the overflow every category's hash goes in (a
	 * register keeps a maximum: the same registers as adding every value).
	 */
	if (c->overflow)
		aud__hll_add(c->hll, h);
	return rc;
}

const char *
aud_colstat_name(const struct aud_colstat *c)
{
	return c->name;
}

enum aud_colstat_kind
aud_colstat_kind(const struct aud_colstat *c)
{
	return c->kind;
}

uint64_t
aud_colstat_rows(const struct aud_colstat *c)
{
	return c->rows;
}

uint64_t
aud_colstat_missing(const struct aud_colstat *c)
{
	return c->missing;
}

uint64_t
aud_colstat_distinct(const struct aud_colstat *c, int *exact)
{
	if (exact != NULL)
		*exact = !c->overflow;
	if (!c->overflow)
		return c->ncat;
	return (uint64_t)llround(aud__hll_estimate(c->hll));
}

void
aud_colstat_numeric(const struct aud_colstat *c, struct aud_colstat_numeric *out)
{
	out->n = c->n;
	out->min = c->n ? c->min : NAN;
	out->max = c->n ? c->max : NAN;
	out->mean = c->n ? c->mean : NAN;
	out->sd_pop = c->n ? sqrt(c->m2 / (double)c->n) : NAN;
	out->sd = c->n >= 2 ? sqrt(c->m2 / (double)(c->n - 1)) : NAN;
	out->min_line = c->min_line;
	out->max_line = c->max_line;
	out->integers = c->integers;
}

/*
 * Sort doubles ascending (no NaN): a three-way quicksort (median of three,
 * values equal to the pivot kept together, so that columns of few distinct
 * values sort in linear time), recursing on the smaller side (depth at most
 * log2 n), insertion sort below 16 values. No comparator calls: several
 * times qsort()'s speed on a million values.
 */
static void
sort_doubles(double *v, size_t n)
{
	while (n > 16) {
		double a = v[0], b = v[n / 2], c = v[n - 1], p, t;
		size_t lt = 0, i = 0, gt = n;

		p = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		/* v[0, lt) < p, v[lt, i) == p, v[gt, n) > p */
		while (i < gt) {
			if (v[i] < p) {
				t = v[i];
				v[i++] = v[lt];
				v[lt++] = t;
			} else if (v[i] > p) {
				t = v[i];
				v[i] = v[--gt];
				v[gt] = t;
			} else {
				i++;
			}
		}
		if (lt < n - gt) {
			sort_doubles(v, lt);
			v += gt;
			n -= gt;
		} else {
			sort_doubles(v + gt, n - gt);
			n = lt;
		}
	}
	for (size_t i = 1; i < n; i++) {
		double x = v[i];
		size_t j = i;

		while (j > 0 && v[j - 1] > x) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

/*
 * Sort doubles ascending by an LSD radix sort of their bits (11-bit digits,
 * six passes, a pass skipped when every key has the same digit), with a
 * buffer of n keys: 0 on success, -1 when the buffer cannot be had (the
 * caller falls back to sort_doubles()). The values' storage is reused for
 * the keys (it was allocated: its effective type follows the stores).
 */
#define RADIX_BITS 11
#define RADIX_PASSES 6
#define RADIX_SIZE (1u << RADIX_BITS)

static int
radix_doubles(double *v, size_t n)
{
	uint64_t *u = (uint64_t *)(void *)v, *t = malloc(n * sizeof(*t)), *from, *to, *sw;
	size_t (*count)[RADIX_SIZE] = calloc(RADIX_PASSES, sizeof(*count));
	size_t i, sum, x;
	int pass;

	if (t == NULL || count == NULL) {
		free(t);
		free(count);
		return -1;
	}
	for (i = 0; i < n; i++) {
		double d = v[i];
		uint64_t b;

		memcpy(&b, &d, sizeof(b));
		b = (b >> 63) ? ~b : b | (UINT64_C(1) << 63);
		u[i] = b;
		for (pass = 0; pass < RADIX_PASSES; pass++)
			count[pass][(b >> (pass * RADIX_BITS)) & (RADIX_SIZE - 1)]++;
	}
	from = u;
	to = t;
	for (pass = 0; pass < RADIX_PASSES; pass++) {
		int shift = pass * RADIX_BITS;

		if (count[pass][(from[0] >> shift) & (RADIX_SIZE - 1)] == n)
			continue;
		for (sum = 0, x = 0; x < RADIX_SIZE; x++) {
			size_t c = count[pass][x];

			count[pass][x] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			to[count[pass][(from[i] >> shift) & (RADIX_SIZE - 1)]++] = from[i];
		sw = from;
		from = to;
		to = sw;
	}
	for (i = 0; i < n; i++) {
		uint64_t b = from[i];
		double d;

		b = (b >> 63) ? b & ~(UINT64_C(1) << 63) : ~b;
		memcpy(&d, &b, sizeof(d));
		v[i] = d;
	}
	free(t);
	free(count);
	return 0;
}

const double *
aud_colstat_sorted(struct aud_colstat *c, size_t *n, struct aud_error *err)
{
	(void)err;
	*n = c->sketch != NULL ? 0 : c->nvalues;
	if (c->sketch != NULL)
		return NULL;
	if (!c->sorted && c->nvalues > 1)
		if (c->nvalues < 4096 || radix_doubles(c->values, c->nvalues) < 0)
			sort_doubles(c->values, c->nvalues);
	c->sorted = 1;
	return c->values;
}

const struct aud_sketch *
aud_colstat_sketch(const struct aud_colstat *c)
{
	return c->sketch;
}

double
aud_colstat_quantile(struct aud_colstat *c, double q, struct aud_error *err)
{
	const double *v;
	size_t n;

	if (c->n == 0)
		return NAN;
	if (c->sketch != NULL)
		return aud_sketch_quantile(c->sketch, q);
	v = aud_colstat_sorted(c, &n, err);
	return aud_stats_quantile_sorted(v, n, q);
}

int
aud_colstat_overflow(const struct aud_colstat *c)
{
	return c->overflow;
}

size_t
aud_colstat_ncategories(const struct aud_colstat *c)
{
	return c->ncat;
}

static int
cmp_cat(const void *a, const void *b)
{
	const struct cat_ref *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int r = memcmp(x->s, y->s, n);

	if (r != 0)
		return r;
	return (x->len > y->len) - (x->len < y->len);
}

/* The byte-order index is a cache in storage reserved by add_category(): no allocation here. */
static void
sort_categories(const struct aud_colstat *cc)
{
	struct aud_colstat *c = (struct aud_colstat *)cc;
	size_t i, n = c->ncat;

	if (c->order_valid)
		return;
	for (i = 0; i < n; i++) {
		c->order[i].s = c->str[i];
		c->order[i].len = c->slen[i];
		c->order[i].code = (int32_t)i;
	}
	if (n > 1)
		qsort(c->order, n, sizeof(*c->order), cmp_cat);
	c->order_valid = 1;
}

const char *
aud_colstat_category(const struct aud_colstat *c, size_t i, uint64_t *count,
    uint64_t *first_line)
{
	int32_t code;

	assert(i < c->ncat);
	sort_categories(c);
	code = c->order[i].code;
	if (count != NULL)
		*count = c->counts[code];
	if (first_line != NULL)
		*first_line = c->first[code];
	return c->order[i].s;
}

uint64_t
aud_colstat_count_of(const struct aud_colstat *c, const char *s)
{
	size_t len = strlen(s);
	int32_t code = find_text(c, s, len, aud__hash64(s, len, 0));

	return code < 0 ? 0 : c->counts[code];
}
