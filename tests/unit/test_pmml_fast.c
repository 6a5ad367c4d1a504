/*
 * test_pmml_fast.c — the fast form of numeric trees (pmml_fast.c) against the
 * general walk (aud__pm_test on the compiled nodes): random trees of every
 * eligible test (<=, <, >, >=, ==, !=, True, False), every missing-value target (either
 * child, a leaf of its own, a further test of the same field as the compiler
 * makes for noTrueChild and default children), thresholds and values on and
 * beside each other, -0, the infinities and missing values; the leaves reached
 * must be the same for every row.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pmml_impl.h"
#include "runner.h"

#define NSLOT 6      /* slots 4 and 5 hold category ids, mostly */
#define NNUM 4
#define MAXT 200
#define MAXW 3       /* words per set */

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static const double ths[] = { -1, -0.0, 0.0, 0.25, 0.5, 1, 3, -INFINITY, INFINITY };
#define NTHS (sizeof(ths) / sizeof(ths[0]))

static double
rvalue(uint64_t *s, int missing)
{
	uint64_t k = rnd(s) % 16;
	double v = ths[rnd(s) % NTHS];

	if (missing && k == 0)
		return NAN;
	if (k == 1)
		return nextafter(v, -INFINITY);
	if (k == 2)
		return nextafter(v, INFINITY);
	if (k == 3)
		return (double)(float)(rnd(s) % 1000) / 997.0f;
	return v;
}

/* a category id: in the sets' range or not, unseen, a string made at
 * evaluation time (< 0), -0, fractional, infinite, missing */
static double
rcat(uint64_t *s, int missing, size_t nbits)
{
	uint64_t k = rnd(s) % 16;

	if (missing && k == 0)
		return NAN;
	if (k == 1)
		return -(double)(1 + rnd(s) % 3);
	if (k == 2)
		return (double)(nbits + rnd(s) % 70);
	if (k == 3)
		return k % 2 ? -0.0 : (double)(rnd(s) % (nbits + 2)) + 0.5;
	if (k == 4)
		return rnd(s) % 2 ? INFINITY : -INFINITY;
	return (double)(rnd(s) % nbits);
}

struct gen {
	struct pm_tree *t;
	uint64_t *s;
	int32_t nleaf;
	int sets;            /* make set tests */
	size_t words, nsets;
};

/* a new set of t->bits: empty, full, a run or random bits */
static double
new_set(struct gen *g)
{
	uint64_t *b = g->t->bits + g->nsets * g->words;
	size_t i, lo = rnd(g->s) % g->t->nbits, hi = lo + rnd(g->s) % (g->t->nbits - lo);
	uint64_t kind = rnd(g->s) % 6;

	for (i = 0; i < g->t->nbits; i++) {
		int on = kind == 0 ? 0 : kind == 1 ? 1 : kind == 2 ? i >= lo && i <= hi :
		    rnd(g->s) % 3 == 0;
		if (on)
			b[i / 64] |= (uint64_t)1 << (i % 64);
	}
	return (double)(g->nsets++ * g->words);
}

static int32_t gen_node(struct gen *g, int depth);

static int32_t
new_test(struct gen *g, uint8_t op, int32_t slot, double th)
{
	struct pm_tnode *n;

	if (g->t->ntest == MAXT)
		return -1;
	n = &g->t->tests[g->t->ntest];
	memset(n, 0, sizeof(*n));
	n->op = op;
	n->slot = slot;
	n->t = th;
	return (int32_t)g->t->ntest++;
}

/* an entry: a leaf ~k or a fresh subtree */
static int32_t
gen_node(struct gen *g, int depth)
{
	static const uint8_t ops[] = { OP_LE, OP_LT, OP_GT, OP_GE, OP_LE, OP_LE, OP_TRUE, OP_FALSE,
	    OP_EQ, OP_NE };
	int32_t i, c0, c1, slot;
	uint8_t op;
	double th;
	int mode;

	if (depth == 0 || rnd(g->s) % 5 == 0 || g->t->ntest + 2 >= MAXT)
		return ~(int32_t)(rnd(g->s) % (uint64_t)g->nleaf);
	op = ops[rnd(g->s) % sizeof(ops)];
	slot = (int32_t)(rnd(g->s) % NSLOT);
	th = ths[rnd(g->s) % NTHS];
	if (isinf(th) && th < 0 && (op == OP_LT || op == OP_GE))
		th = 0.5;  /* not eligible: tested apart */
	if (g->sets && (slot >= NNUM || rnd(g->s) % 8 == 0)) {
		op = rnd(g->s) % 3 ? OP_INBITS : OP_NOTINBITS;
		th = new_set(g);
	}
	i = new_test(g, op, slot, th);
	c0 = gen_node(g, depth - 1);
	c1 = gen_node(g, depth - 1);
	g->t->tests[i].next[0] = c0;
	g->t->tests[i].next[1] = c1;
	mode = (int)(rnd(g->s) % 4);
	if (mode == 0) {
		g->t->tests[i].next[2] = c0;
	} else if (mode == 1) {
		g->t->tests[i].next[2] = c1;
	} else if (mode == 2) {
		g->t->tests[i].next[2] = ~(int32_t)(rnd(g->s) % (uint64_t)g->nleaf);
	} else {
		/* a second test of the same field, sharing the children, as the
		 * compiler makes for x <= t followed by x > t */
		int set = op == OP_INBITS || op == OP_NOTINBITS;
		int32_t j = new_test(g, set ? (rnd(g->s) % 2 ? OP_NOTINBITS : OP_INBITS) :
		    rnd(g->s) % 2 ? OP_GT : OP_LE, slot, set ? new_set(g) : th);
		if (j < 0) {
			g->t->tests[i].next[2] = c1;
		} else {
			g->t->tests[j].next[0] = c1;
			g->t->tests[j].next[1] = c0;
			g->t->tests[j].next[2] = rnd(g->s) % 2 ? c1 :
			    ~(int32_t)(rnd(g->s) % (uint64_t)g->nleaf);
			g->t->tests[i].next[2] = j;
		}
	}
	return i;
}

/* the general walk of one row */
static int32_t
slow_leaf(const struct pm_tree *t, const double *vals, size_t r)
{
	int32_t e = t->root;

	while (e >= 0) {
		const struct pm_tnode *n = &t->tests[e];
		e = n->next[aud__pm_test(t, n, vals[(size_t)n->slot * PM_BLK + r])];
	}
	return ~e;
}

static int
compare(const struct pm_tree *t, const double *vals, size_t r0, size_t n)
{
	int32_t leaf[PM_BLK];
	size_t r;

	aud__pm_fast_walk(t, vals, r0, n, leaf);
	for (r = 0; r < n; r++)
		if (leaf[r] != slow_leaf(t, vals, r0 + r))
			return -1;
	return 0;
}

/* Random trees (with set tests when sets), blocks with and without missing
 * values: the number of trees built and of blocks compared; *bad on a mismatch. */
static void
random_trees(int sets, int *built, int *blocks, int *bad, int *soa)
{
	static struct pm_tnode tests[MAXT];
	static uint64_t bits[MAXT * MAXW];
	static double vals[NSLOT * PM_BLK];
	uint64_t s = sets ? 0x2545f4914f6cdd1du : 0x9e3779b97f4a7c15u;
	int iter;

	for (iter = 0; iter < 600 && !*bad; iter++) {
		struct pm_tree t;
		struct gen g;
		size_t r, blk;

		memset(&t, 0, sizeof(t));
		memset(bits, 0, sizeof(bits));
		t.tests = tests;
		g.t = &t;
		g.s = &s;
		g.sets = sets;
		g.nsets = 0;
		g.nleaf = 1 + (int32_t)(rnd(&s) % 12);
		t.nleaf = (size_t)g.nleaf;
		t.nbits = 1 + rnd(&s) % (MAXW * 64);
		g.words = (t.nbits + 63) / 64;
		t.bits = bits;
		t.root = gen_node(&g, 1 + (int)(rnd(&s) % 9));
		if (aud__pm_fast_build(&t) != 0) {
			CHECK(t.root < 0 || t.ntest == 0);
			continue;
		}
		CHECK(sets ? (g.nsets > 0) == (t.fword != NULL) : t.fword == NULL);
		(*built)++;
		*soa += t.fsoa != NULL;
		for (blk = 0; blk < 6 && !*bad; blk++) {
			/* blocks with and without missing values (both walks) */
			for (r = 0; r < NSLOT * PM_BLK; r++)
				vals[r] = sets && r >= NNUM * PM_BLK ? rcat(&s, blk % 2, t.nbits) :
				    rvalue(&s, blk % 2);
			if (compare(&t, vals, 0, PM_BLK) < 0 || compare(&t, vals, 7, 50) < 0 ||
			    compare(&t, vals, PM_BLK - 1, 1) < 0)
				*bad = 1;
			(*blocks)++;
		}
		aud__pm_fast_free(&t);
	}
}

void
test_pmml_fast__random_trees_match_general_walk(void)
{
	int built = 0, blocks = 0, bad = 0, soa = 0;

	random_trees(0, &built, &blocks, &bad, &soa);
	CHECK_INT_EQ(bad, 0);
	CHECK(soa > 50);  /* trees of the three-array walk (no equality tests) */
	CHECK(built > 300);
	CHECK(blocks > 1800);
}

/* Set tests (x in S, x not in S over category ids) mixed with numeric ones. */
void
test_pmml_fast__random_set_trees_match_general_walk(void)
{
	int built = 0, blocks = 0, bad = 0, soa = 0;

	random_trees(1, &built, &blocks, &bad, &soa);
	CHECK_INT_EQ(bad, 0);
	CHECK(built > 300);
	CHECK(blocks > 1800);
}

/* Tests the fast form cannot express keep the general path, tree unchanged. */
void
test_pmml_fast__ineligible_trees_keep_general_path(void)
{
	struct pm_tnode n[1];
	struct pm_tree t;
	const uint8_t ops[] = { OP_EQ, OP_NE, OP_ISMISSING, OP_NOTMISSING, OP_IN, OP_LT, OP_GE, OP_LE };
	const double th[] = { NAN, NAN, 0, 0, 0, -INFINITY, -INFINITY, NAN };
	size_t i;

	for (i = 0; i < sizeof(ops); i++) {
		memset(&t, 0, sizeof(t));
		memset(n, 0, sizeof(n));
		n[0].op = ops[i];
		n[0].t = th[i];
		n[0].next[0] = ~0;
		n[0].next[1] = ~1;
		n[0].next[2] = ~1;
		t.tests = n;
		t.ntest = 1;
		t.nleaf = 2;
		t.root = 0;
		CHECK_INT_EQ(aud__pm_fast_build(&t), 1);
		CHECK(t.fast == NULL && t.fleaf == NULL && t.foffs == NULL);
	}
}

/* A hand case: x <= 0.5 with a missing value sent to a leaf of its own. */
void
test_pmml_fast__hand_case(void)
{
	struct pm_tnode n[1];
	struct pm_tree t;
	static double vals[PM_BLK];
	int32_t leaf[4];

	memset(&t, 0, sizeof(t));
	memset(n, 0, sizeof(n));
	n[0].op = OP_LE;
	n[0].t = 0.5;
	n[0].next[0] = ~0;
	n[0].next[1] = ~1;
	n[0].next[2] = ~2;
	t.tests = n;
	t.ntest = 1;
	t.nleaf = 3;
	t.root = 0;
	CHECK_INT_EQ(aud__pm_fast_build(&t), 0);
	CHECK_INT_EQ(t.fdepth, 1);
	vals[0] = 0.5;
	vals[1] = nextafter(0.5, 1);
	vals[2] = NAN;
	vals[3] = -INFINITY;
	aud__pm_fast_walk(&t, vals, 0, 4, leaf);
	CHECK_INT_EQ(leaf[0], 0);
	CHECK_INT_EQ(leaf[1], 1);
	CHECK_INT_EQ(leaf[2], 2);
	CHECK_INT_EQ(leaf[3], 0);
	aud__pm_fast_free(&t);
}
