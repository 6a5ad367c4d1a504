/*
 * pmml_fast.c — the fast form of a tree whose every test is a numeric
 * comparison (x <= t, x < t, x > t, x >= t, x == t, x != t, True, False) or a
 * set test (below), whatever its
 * missing-value handling: nodes of 16 bytes, the children of a node adjacent,
 * every test rewritten as the single comparison x > t with the missing-value
 * direction precomputed, leaves as nodes that point to themselves, so that a
 * block of rows walks the tree level by level a fixed number of times with no
 * branch on the kind of a test nor on whether a row has reached its leaf.
 *
 * The rewriting (exact for every double, including -0, the infinities and
 * the float32 values of x-mathContext="float" models, which are doubles too):
 *   x <= t   true when !(x > t)                 children (true, false)
 *   x <  t   x <= pred(t): !(x > pred(t))      children (true, false)
 *   x >  t   x > t                              children (false, true)
 *   x >= t   !(x < t) = x > pred(t)            children (false, true)
 *   True     !(x > +inf) always                 children (true, false)
 *   False    always the second child of (false, true)
 *   x == t   !(x != t), x != t as (x > t) | (x < t)  children (true, false)
 *   x != t   x != t                             children (false, true)
 * with pred(t) the largest double below t; a test on a NaN threshold, or
 * x < -inf / x >= -inf, keeps the general path. A missing x goes to the
 * node's UNKNOWN entry: one of the two children, or a third adjacent node.
 *
 * Set tests on string ids (OP_INBITS, OP_NOTINBITS: XGBoost, LightGBM and R
 * categorical splits) too: such a node has t = +inf (never x > t) and a map
 * of its own in t->fbits, one bit per id of the range [lo, hi] the tree's
 * sets cover plus one at each end for any other value, the bit 1 for "not
 * in" (the children ordered (in, not in)); numeric tests and leaves read an
 * all-zero map. The id is (size_t)x for x >= 0, as the general test takes
 * it, computed without a branch (clamp, truncate, mask).
 *
 * A tree of order comparisons only also keeps its nodes as three arrays
 * (thresholds, offsets, first children) for blocks without missing values:
 * node indexes need no scaling nor the child a shift, about 30% faster than
 * the 16-byte nodes on 100 trees of depth 8 (AVX2 gathers of the same walk,
 * 4 rows at a time, measured 25% slower than the scalar loop: not kept); a
 * tree with set tests, four arrays (the fourth: map word offset << 3 and the
 * missing/equality bits), about 5% faster than 16-byte nodes.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pmml_impl.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define FAST_MAXDEPTH 4096
/* at most this many fields scanned for missing values before a walk */
#define FAST_MAXOFFS 32
/* at most this many ids covered by the maps of set tests */
#define FAST_MAXIDS 65536

#define IS_SET(op) ((op) == OP_INBITS || (op) == OP_NOTINBITS)

/* The ids [lo, lo + n) the set tests of t hold (n >= 1): -1 when none or too many. */
static int
set_range(const struct pm_tree *t, size_t *lo, size_t *n)
{
	size_t i, b, words = (t->nbits + 63) / 64, mn = SIZE_MAX, mx = 0;

	for (i = 0; i < t->ntest; i++) {
		const struct pm_tnode *nd = &t->tests[i];
		const uint64_t *w = t->bits + (size_t)nd->t;
		if (!IS_SET(nd->op))
			continue;
		for (b = 0; b < words * 64 && b < t->nbits; b++)
			if (w[b / 64] == 0)
				b += 63;
			else if (w[b / 64] >> (b % 64) & 1) {
				if (b < mn)
					mn = b;
				if (b > mx)
					mx = b;
			}
	}
	if (mn == SIZE_MAX)
		mn = mx = 0;  /* empty sets: a map of one id, never set */
	if (mx - mn + 1 > FAST_MAXIDS)
		return -1;
	*lo = mn;
	*n = mx - mn + 1;
	return 0;
}

/* The test of n as (threshold, swap): 0 on success, -1 when not eligible. */
static int
fast_test(const struct pm_tnode *n, double *t, int *swap)
{
	switch (n->op) {
	case OP_EQ: *t = n->t; *swap = 0; return isnan(n->t) ? -1 : 0;
	case OP_NE: *t = n->t; *swap = 1; return isnan(n->t) ? -1 : 0;
	case OP_LE: *t = n->t; *swap = 0; break;
	case OP_LT: *t = nextafter(n->t, -INFINITY); *swap = 0; break;
	case OP_GT: *t = n->t; *swap = 1; break;
	case OP_GE: *t = nextafter(n->t, -INFINITY); *swap = 1; break;
	case OP_TRUE: *t = INFINITY; *swap = 0; return 0;
	case OP_FALSE: *t = INFINITY; *swap = 1; return 0;
	/* x in S, x not in S: never x > +inf; the map of the node says "not in" */
	case OP_INBITS: *t = INFINITY; *swap = 0; return 0;
	case OP_NOTINBITS: *t = INFINITY; *swap = 1; return 0;
	default: return -1;
	}
	if (isnan(n->t) || ((n->op == OP_LT || n->op == OP_GE) && n->t == -INFINITY))
		return -1;
	return 0;
}

int
aud__pm_fast_build(struct pm_tree *t)
{
	size_t cap = 4 * (t->ntest + t->nleaf) + 8, nq = 0, qi, i;
	int32_t *ent = NULL;          /* compiled entry of each fast node */
	uint32_t *lvl = NULL;
	struct pm_fnode *fn = NULL;
	int32_t *fl = NULL;
	uint32_t depth = 0;
	uint8_t feq = 0;
	int32_t offs[FAST_MAXOFFS];
	size_t nofs = 0, nsetn = 0, blo = 0, bn = 0, words = 0;
	uint32_t *fw = NULL;          /* set tests: word offset of each fast node's map */
	uint32_t *mapof = NULL;       /* set tests: map of each compiled test */
	uint64_t *fb = NULL;
	int rc = 1;

	if (t->root < 0 || t->fork || t->ntest == 0)
		return 1;
	for (i = 0; i < t->ntest; i++) {
		double th;
		int sw;
		if (fast_test(&t->tests[i], &th, &sw) < 0)
			return 1;
		if (IS_SET(t->tests[i].op)) {
			if (t->bits == NULL)
				return 1;
			nsetn++;
		}
	}
	if (nsetn > 0 && set_range(t, &blo, &bn) < 0)
		return 1;
	ent = malloc(cap * sizeof(*ent));
	lvl = malloc(cap * sizeof(*lvl));
	fn = malloc(cap * sizeof(*fn));
	fl = malloc(cap * sizeof(*fl));
	if (ent == NULL || lvl == NULL || fn == NULL || fl == NULL) {
		rc = -1;
		goto done;
	}
	if (nsetn > 0) {
		/* map 0 is all zero (the numeric tests, the leaves), then one map per
		 * set test: bit j + 1 for id blo + j not in the set, bits 0 and bn + 1
		 * for any other value (always "not in"), so that a row's way is the
		 * bit it reads */
		size_t j = 1;
		words = (bn + 2 + 63) / 64;
		fw = malloc(cap * sizeof(*fw));
		fb = calloc((nsetn + 1) * words, sizeof(*fb));
		mapof = calloc(t->ntest, sizeof(*mapof));
		if (fw == NULL || fb == NULL || mapof == NULL) {
			rc = -1;
			goto done;
		}
		for (i = 0; i < t->ntest; i++) {
			const struct pm_tnode *nd = &t->tests[i];
			const uint64_t *src = t->bits + (size_t)nd->t;
			uint64_t *m = fb + j * words;
			size_t b;
			if (!IS_SET(nd->op))
				continue;
			m[0] = 1;
			for (b = 0; b < bn; b++)
				if (blo + b >= t->nbits || !(src[(blo + b) / 64] >> ((blo + b) % 64) & 1))
					m[(b + 1) / 64] |= (uint64_t)1 << ((b + 1) % 64);
			m[(bn + 1) / 64] |= (uint64_t)1 << ((bn + 1) % 64);
			mapof[i] = (uint32_t)(j++ * words);
		}
	}
	/* breadth first: the upper levels of the tree share cache lines */
	ent[0] = t->root;
	lvl[0] = 0;
	nq = 1;
	for (qi = 0; qi < nq; qi++) {
		int32_t e = ent[qi];
		const struct pm_tnode *n;
		int32_t kids[3], miss;
		uint32_t m, nk, k;
		double th;
		int sw;

		if (e < 0) {
			/* a leaf: x > +inf is false, NaN goes to child 0: itself */
			fn[qi].t = INFINITY;
			fn[qi].off = 0;
			fn[qi].kid = (uint32_t)qi << 3;
			fl[qi] = ~e;
			if (fw != NULL)
				fw[qi] = 0;
			if (lvl[qi] > depth)
				depth = lvl[qi];
			continue;
		}
		n = &t->tests[e];
		(void)fast_test(n, &th, &sw);
		kids[0] = n->next[sw];
		kids[1] = n->next[!sw];
		/* a missing x meets the next tests of the same field as missing too
		 * (x <= t, then x > t for noTrueChild or a default child): go
		 * straight to where they send it, so that the form stays a tree */
		miss = n->next[2];
		for (k = 0; miss >= 0 && k < t->ntest && t->tests[miss].slot == n->slot &&
		    t->tests[miss].op != OP_TRUE && t->tests[miss].op != OP_FALSE; k++)
			miss = t->tests[miss].next[2];
		if (n->op == OP_TRUE || n->op == OP_FALSE) {
			m = 0;  /* even a missing value goes to the first child */
			nk = 2;
		} else if (miss == kids[0]) {
			m = 0;
			nk = 2;
		} else if (miss == kids[1]) {
			m = 1;
			nk = 2;
		} else {
			kids[2] = miss;
			m = 2;
			nk = 3;
		}
		if (nq + nk > cap || lvl[qi] + 1 > FAST_MAXDEPTH || nq + nk > (size_t)INT32_MAX / 8)
			goto done;  /* a shared or very deep structure: keep the general path */
		fn[qi].t = th;
		fn[qi].off = (int32_t)((size_t)(n->slot < 0 ? 0 : n->slot) * PM_BLK);
		fn[qi].kid = (uint32_t)nq << 3 | m |
		    (uint32_t)(n->op == OP_EQ || n->op == OP_NE) << 2;
		if (n->op == OP_EQ || n->op == OP_NE)
			feq = 1;
		fl[qi] = -1;
		if (fw != NULL)
			fw[qi] = IS_SET(n->op) ? mapof[e] : 0;
		for (k = 0; k < nk; k++) {
			ent[nq] = kids[k];
			lvl[nq] = lvl[qi] + 1;
			nq++;
		}
	}
	/* the columns the tree reads, scanned for missing values when few */
	for (i = 0; i < nq; i++) {
		size_t j;
		if (fl[i] >= 0)
			continue;
		for (j = 0; j < nofs && offs[j] != fn[i].off; j++)
			;
		if (j == nofs) {
			if (nofs == FAST_MAXOFFS) {
				nofs = 0;  /* too many: always take the walk that checks */
				break;
			}
			offs[nofs++] = fn[i].off;
		}
	}
	if (nofs > 0) {
		t->foffs = malloc(nofs * sizeof(*t->foffs));
		if (t->foffs == NULL) {
			rc = -1;
			goto done;
		}
		memcpy(t->foffs, offs, nofs * sizeof(*offs));
		t->nfoffs = nofs;
	}
	if (fw != NULL) {
		t->fword = fw;
		t->fbits = fb;
		t->fblo = (double)blo;
		t->fbn = (uint32_t)bn;
		fw = NULL;
		fb = NULL;
	}
	if ((!feq && t->nfoffs > 0) || t->fword != NULL) {
		/* the walk without missing values reads the nodes as three arrays
		 * (threshold, offset, first child): no scaling of node indexes; a
		 * walk with set tests a fourth: map word offset << 3 | kid & 7 */
		int32_t *so;
		uint32_t *sk, *sa;
		size_t per = sizeof(double) + sizeof(int32_t) + 2 * sizeof(uint32_t);
		if (t->fword != NULL && (nsetn + 1) * words > UINT32_MAX >> 3)
			goto done;  /* maps too large to pack: keep the general path */
		t->fsoa = malloc(nq * per);
		if (t->fsoa == NULL) {
			rc = -1;
			goto done;
		}
		so = (int32_t *)(void *)(t->fsoa + nq);
		sk = (uint32_t *)(so + nq);
		sa = sk + nq;
		for (i = 0; i < nq; i++) {
			t->fsoa[i] = fn[i].t;
			so[i] = fn[i].off;
			sk[i] = fn[i].kid >> 3;
			sa[i] = (t->fword != NULL ? t->fword[i] << 3 : 0) | (fn[i].kid & 7);
		}
	}
	t->fast = fn;
	t->feq = feq;
	t->fleaf = fl;
	t->nfast = nq;
	t->fdepth = depth;
	fn = NULL;
	fl = NULL;
	rc = 0;
done:
	if (rc != 0)
		aud__pm_fast_free(t);  /* what was set on t before a failure or a late refusal */
	free(ent);
	free(lvl);
	free(fn);
	free(fl);
	free(fw);
	free(fb);
	free(mapof);
	return rc;
}

void
aud__pm_fast_free(struct pm_tree *t)
{
	free(t->fast);
	free(t->fleaf);
	free(t->foffs);
	free(t->fword);
	free(t->fbits);
	free(t->fsoa);
	t->fsoa = NULL;
	t->fast = NULL;
	t->fleaf = NULL;
	t->foffs = NULL;
	t->fword = NULL;
	t->fbits = NULL;
	t->nfast = t->nfoffs = 0;
	t->fbn = 0;
}

/* y within [-1, top], NaN -1, without a branch (maxsd, minsd). */
static inline double
clamp(double y, double top)
{
#ifdef __SSE2__
	return _mm_cvtsd_f64(_mm_min_sd(_mm_max_sd(_mm_set_sd(y), _mm_set_sd(-1)),
	    _mm_set_sd(top)));
#else
	y = y > -1 ? y : -1;
	return y < top ? y : top;
#endif
}

/* Whether rows [0, n) of the columns at offs hold a missing value. */
static int
any_missing(const double *v, const int32_t *offs, size_t nofs, size_t n)
{
	size_t i, k;

	for (i = 0; i < nofs; i++) {
		const double *c = v + offs[i];
		int nan = 0;
		for (k = 0; k < n; k++)
			nan |= c[k] != c[k];
		if (nan)
			return 1;
	}
	return 0;
}

void
aud__pm_fast_walk(const struct pm_tree *t, const double *vals, size_t r0, size_t n,
    int32_t *leaf)
{
	uint32_t e[PM_BLK];
	const struct pm_fnode *fn = t->fast;
	const double *v = vals + r0;
	size_t k;
	uint32_t d;

	for (k = 0; k < n; k++)
		e[k] = 0;
	if (t->fword != NULL) {
		/* set tests too: a node's way is also the bit of x in its map (all
		 * zero for a numeric test), the last bit for any x outside the ids */
		const uint32_t *fw = t->fword;
		const uint64_t *fb = t->fbits;
		const double top = t->fblo + t->fbn;
		const int32_t lo = (int32_t)t->fblo - 1;
		const double *th = t->fsoa;
		const int32_t *off = (const int32_t *)(const void *)(th + t->nfast);
		const uint32_t *ch = (const uint32_t *)(off + t->nfast), *ax = ch + t->nfast;
		(void)fw;
		for (d = 0; d < t->fdepth; d++)
			for (k = 0; k < n; k++) {
				uint32_t i = e[k], a = ax[i];
				double x = v[off[i] + (ptrdiff_t)k], c = th[i];
				/* as the general test: the id (size_t)x when x >= 0, exactly */
				int32_t q = (int32_t)clamp(x, top) - lo;
				uint32_t u = (uint32_t)((q > 0 ? q : 0) & -(int32_t)(x >= 0));
				uint32_t gt = x > c, lt = x < c, nan = x != x;
				uint32_t bit = (uint32_t)(fb[(a >> 3) + u / 64] >> (u % 64)) & 1;
				e[k] = ch[i] + (gt | (lt & a >> 2) | (bit & (nan ^ 1)) | (-nan & (a & 3)));
			}
	} else if (t->feq) {
		/* equality tests too: x != t is (x > t) | (x < t) */
		for (d = 0; d < t->fdepth; d++)
			for (k = 0; k < n; k++) {
				const struct pm_fnode *nd = &fn[e[k]];
				double x = v[nd->off + (ptrdiff_t)k];
				uint32_t gt = x > nd->t, lt = x < nd->t, nan = x != x;
				e[k] = (nd->kid >> 3) + (gt | (lt & nd->kid >> 2) | (-nan & (nd->kid & 3)));
			}
	} else if (t->fsoa != NULL && !any_missing(v, t->foffs, t->nfoffs, n)) {
		/* no missing value among the fields the tree reads */
		const double *th = t->fsoa;
		const int32_t *off = (const int32_t *)(const void *)(th + t->nfast);
		const uint32_t *kid = (const uint32_t *)(off + t->nfast);
		for (d = 0; d < t->fdepth; d++)
			for (k = 0; k < n; k++) {
				uint32_t i = e[k];
				e[k] = kid[i] + (v[off[i] + (ptrdiff_t)k] > th[i]);
			}
	} else {
		for (d = 0; d < t->fdepth; d++)
			for (k = 0; k < n; k++) {
				const struct pm_fnode *nd = &fn[e[k]];
				double x = v[nd->off + (ptrdiff_t)k];
				uint32_t gt = x > nd->t, nan = x != x;
				e[k] = (nd->kid >> 3) + (gt | (-nan & (nd->kid & 3)));
			}
	}
	for (k = 0; k < n; k++)
		leaf[k] = t->fleaf[e[k]];
}
