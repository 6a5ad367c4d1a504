/* test_treeshap.c — interventional Tree SHAP against hand values and brute force. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/shapley.h>

#include "runner.h"

/* Trees as arrays: go left when x[feature] <= threshold or missing. */
struct ttree {
	int32_t feature[64];
	double value[64], thr[64];
	int32_t left[64], right[64];
	size_t n;
};

static size_t
child(const struct aud_tree *t, size_t node, const double *x)
{
	const struct ttree *tt = t->impl;
	double v = x[tt->feature[node]];

	return (size_t)(isnan(v) || v <= tt->thr[node] ? tt->left[node] : tt->right[node]);
}

static void
bind(struct aud_tree *t, struct ttree *tt)
{
	t->nnodes = tt->n;
	t->feature = tt->feature;
	t->value = tt->value;
	t->impl = tt;
}

static size_t
leaf(struct ttree *t, double v)
{
	t->feature[t->n] = -1;
	t->value[t->n] = v;
	return t->n++;
}

static size_t
split(struct ttree *t, int32_t f, double thr)
{
	t->feature[t->n] = f;
	t->thr[t->n] = thr;
	t->value[t->n] = 0.0;
	return t->n++;
}

void
test_treeshap__stump_and_two_levels(void)
{
	struct ttree tt;
	struct aud_tree t;
	double w = 1.0, phi[2], x[2] = { 1, 1 }, b[2] = { -1, -1 };
	struct aud_tree_ensemble e = { 1, &t, &w, 0.0, 0 };
	void *scratch = malloc(aud_treeshap_scratch_size(2));
	double a = 0.3, bv = -1.7, c = 2.9;
	size_t r, n1;

	/* root: x0 <= 0 ? node1 : c; node1: x1 <= 0 ? a : bv */
	memset(&tt, 0, sizeof(tt));
	r = split(&tt, 0, 0.0);
	n1 = split(&tt, 1, 0.0);
	tt.left[r] = (int32_t)n1;
	tt.right[r] = (int32_t)leaf(&tt, c);
	tt.left[n1] = (int32_t)leaf(&tt, a);
	tt.right[n1] = (int32_t)leaf(&tt, bv);
	bind(&t, &tt);
	phi[0] = phi[1] = 0.0;
	aud_treeshap_row(phi, &e, child, 2, x, b, 1, scratch);
	/* v() = a, v(0) = c, v(1) = bv, v(01) = c */
	CHECK_REL(phi[0], 0.5 * ((c - a) + (c - bv)), 1e-15);
	CHECK_REL(phi[1], 0.5 * (bv - a), 1e-15);
	CHECK_REL(aud_tree_ensemble_eval(&e, child, x), c, 0);
	/* the same route for x and b: nothing to share */
	phi[0] = phi[1] = 0.0;
	aud_treeshap_row(phi, &e, child, 2, b, b, 1, scratch);
	CHECK_DBL_EQ(phi[0], 0.0);
	CHECK_DBL_EQ(phi[1], 0.0);
	free(scratch);
}

/* A random full tree of depth d over features 0..nf-1 (repeats allowed). */
static size_t
grow(struct ttree *t, unsigned *seed, int depth, int nf)
{
	size_t node;

	*seed = *seed * 1103515245u + 12345u;
	if (depth == 0)
		return leaf(t, ((double)(*seed >> 8 & 0xffff) / 65536.0) * 4.0 - 2.0);
	node = split(t, (int32_t)((*seed >> 16) % (unsigned)nf),
	    ((double)(*seed >> 4 & 0xff) / 256.0) * 2.0 - 1.0);
	t->left[node] = (int32_t)grow(t, seed, depth - 1, nf);
	t->right[node] = (int32_t)grow(t, seed, depth - 1, nf);
	return node;
}

/* Brute-force interventional Shapley values of the ensemble for one row. */
static void
brute(double *phi, const struct aud_tree_ensemble *e, const double *x, const double *bg,
    size_t nbg, size_t M)
{
	size_t nm = (size_t)1 << M, S, i, k, j;
	double *v = calloc(nm, sizeof(double)), z[8], fact[9];

	fact[0] = 1;
	for (i = 1; i <= M; i++)
		fact[i] = fact[i - 1] * (double)i;
	for (S = 0; S < nm; S++) {
		for (k = 0; k < nbg; k++) {
			for (j = 0; j < M; j++)
				z[j] = (S >> j & 1) ? x[j] : bg[k * M + j];
			v[S] += aud_tree_ensemble_eval(e, child, z) / (double)nbg;
		}
	}
	for (i = 0; i < M; i++) {
		phi[i] = 0.0;
		for (S = 0; S < nm; S++) {
			size_t s = 0, t;

			if (S >> i & 1)
				continue;
			for (t = S; t; t &= t - 1)
				s++;
			phi[i] += fact[s] * fact[M - s - 1] / fact[M] * (v[S | (size_t)1 << i] - v[S]);
		}
	}
	free(v);
}

void
test_treeshap__random_forest_matches_brute_force(void)
{
	enum { M = 6, NT = 4, NBG = 7, NX = 5 };
	struct ttree tt[NT];
	struct aud_tree trees[NT];
	double w[NT] = { 0.5, 0.25, 1.0, -0.75 };
	struct aud_tree_ensemble e = { NT, trees, w, 0.125, 0 };
	double bg[NBG * M], x[NX * M], phi[M], want[M];
	void *scratch = malloc(aud_treeshap_scratch_size(M));
	unsigned seed = 12345;
	size_t i, j;

	for (i = 0; i < NT; i++) {
		memset(&tt[i], 0, sizeof(tt[i]));
		grow(&tt[i], &seed, 5, M - 1);   /* feature M-1 unused */
		bind(&trees[i], &tt[i]);
	}
	for (i = 0; i < NBG * M; i++)
		bg[i] = sin(2.3 * (double)i + 0.1);
	for (i = 0; i < NX * M; i++)
		x[i] = cos(1.9 * (double)i);
	x[3] = NAN;   /* a missing value goes left, like any other value routes */
	for (i = 0; i < NX; i++) {
		double sum = 0.0, fb = 0.0, k;

		memset(phi, 0, sizeof(phi));
		aud_treeshap_row(phi, &e, child, M, &x[i * M], bg, NBG, scratch);
		brute(want, &e, &x[i * M], bg, NBG, M);
		for (j = 0; j < M; j++) {
			CHECK(fabs(phi[j] - want[j]) < 1e-13);
			sum += phi[j];
		}
		CHECK_DBL_EQ(phi[M - 1], 0.0);
		for (k = 0; k < NBG; k++)
			fb += aud_tree_ensemble_eval(&e, child, &bg[(size_t)k * M]) / NBG;
		CHECK_REL(fb + sum, aud_tree_ensemble_eval(&e, child, &x[i * M]), 1e-13);
	}
	free(scratch);
}
