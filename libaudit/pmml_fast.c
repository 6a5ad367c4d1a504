/*
 * pmml_fast.c — the fast form of a tree whose every test is a numeric
 * comparison (x <= t, x < t, x > t, x >= t, True, False), whatever its
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
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pmml_impl.h"

#define FAST_MAXDEPTH 4096
/* at most this many fields scanned for missing values before a walk */
#define FAST_MAXOFFS 32

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
	size_t nofs = 0;
	int rc = 1;

	if (t->root < 0 || t->fork || t->ntest == 0)
		return 1;
	for (i = 0; i < t->ntest; i++) {
		double th;
		int sw;
		if (fast_test(&t->tests[i], &th, &sw) < 0)
			return 1;
	}
	ent = malloc(cap * sizeof(*ent));
	lvl = malloc(cap * sizeof(*lvl));
	fn = malloc(cap * sizeof(*fn));
	fl = malloc(cap * sizeof(*fl));
	if (ent == NULL || lvl == NULL || fn == NULL || fl == NULL) {
		rc = -1;
		goto done;
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
	t->fast = fn;
	t->feq = feq;
	t->fleaf = fl;
	t->nfast = nq;
	t->fdepth = depth;
	fn = NULL;
	fl = NULL;
	rc = 0;
done:
	free(ent);
	free(lvl);
	free(fn);
	free(fl);
	return rc;
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
	if (t->feq) {
		/* equality tests too: x != t is (x > t) | (x < t) */
		for (d = 0; d < t->fdepth; d++)
			for (k = 0; k < n; k++) {
				const struct pm_fnode *nd = &fn[e[k]];
				double x = v[nd->off + (ptrdiff_t)k];
				uint32_t gt = x > nd->t, lt = x < nd->t, nan = x != x;
				e[k] = (nd->kid >> 3) + (gt | (lt & nd->kid >> 2) | (-nan & (nd->kid & 3)));
			}
	} else if (t->nfoffs > 0 && !any_missing(v, t->foffs, t->nfoffs, n)) {
		/* no missing value among the fields the tree reads */
		for (d = 0; d < t->fdepth; d++)
			for (k = 0; k < n; k++) {
				const struct pm_fnode *nd = &fn[e[k]];
				e[k] = (nd->kid >> 3) + (v[nd->off + (ptrdiff_t)k] > nd->t);
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
