/*
 * treeshap.c — interventional Tree SHAP (Lundberg et al. 2020, "From local
 * explanations to global understanding with explainable AI for trees",
 * Algorithm 3; SHAP's tree_shap_indep).
 *
 * For one explained row x and one background row b, the game restricted to a
 * tree is decided by the features where x and b take different branches. The
 * traversal follows both rows at once: where they go the same way it
 * descends once; where they part on a feature not yet met it descends twice,
 * once with the feature "from x" and once "from b"; a feature met again
 * follows the side already chosen. A leaf reached with P features from x and
 * N from b has value v exactly when those P are in the coalition and those N
 * are not, so it gives each x-feature v (P-1)! N! / (P+N)! and takes from
 * each b-feature v P! (N-1)! / (P+N)!. Cost: the leaves reachable by the pair,
 * times their depth; the result is exact.
 */
#include <audit/shapley.h>

#include <stdlib.h>
#include <string.h>

#define WTABLE_MAX 128

struct walk {
	const struct aud_tree *t;
	aud_tree_child_fn child;
	const double *x, *b;
	double *phi;
	double scale;          /* tree weight / number of background rows */
	unsigned char *flag;   /* per feature: 0 unseen, 1 from x, 2 from b */
	size_t *path;          /* features met, in order */
	size_t npath;
	const double *w;       /* w[p * (L + 1) + n] = p! n! / (p + n + 1)!, p, n <= L */
	size_t L;
};

/* p! n! / (p + n + 1)! = 1 / ((p + n + 1) C(p + n, p)) */
static double
shapley_weight(const struct walk *k, size_t p, size_t n)
{
	double c = 1.0;
	size_t i;

	if (p <= k->L && n <= k->L)
		return k->w[p * (k->L + 1) + n];
	for (i = 1; i <= n; i++)
		c = c * (double)(p + i) / (double)i;
	return 1.0 / ((double)(p + n + 1) * c);
}

static void
walk(struct walk *k, size_t node, size_t P, size_t N)
{
	const struct aud_tree *t = k->t;
	int32_t f = t->feature[node];
	size_t cx, cb, i;

	if (f < 0) {
		double v = t->value[node] * k->scale, wp, wn;

		if (P + N == 0)
			return;
		wp = P > 0 ? v * shapley_weight(k, P - 1, N) : 0.0;
		wn = N > 0 ? v * shapley_weight(k, P, N - 1) : 0.0;
		for (i = 0; i < k->npath; i++) {
			size_t g = k->path[i];

			if (k->flag[g] == 1)
				k->phi[g] += wp;
			else
				k->phi[g] -= wn;
		}
		return;
	}
	cx = k->child(t, node, k->x);
	cb = k->child(t, node, k->b);
	if (cx == cb) {
		walk(k, cx, P, N);
		return;
	}
	switch (k->flag[f]) {
	case 1:
		walk(k, cx, P, N);
		return;
	case 2:
		walk(k, cb, P, N);
		return;
	default:
		break;
	}
	k->path[k->npath++] = (size_t)f;
	k->flag[f] = 1;
	walk(k, cx, P + 1, N);
	k->flag[f] = 2;
	walk(k, cb, P, N + 1);
	k->flag[f] = 0;
	k->npath--;
}

static size_t
table_side(size_t nfeatures)
{
	return nfeatures < WTABLE_MAX ? nfeatures : WTABLE_MAX;
}

size_t
aud_treeshap_scratch_size(size_t nfeatures)
{
	size_t L = table_side(nfeatures);

	return (L + 1) * (L + 1) * sizeof(double) + (nfeatures + 1) * sizeof(size_t) +
	    nfeatures + 1;
}

void
aud_treeshap_row(double *phi, const struct aud_tree_ensemble *e,
    aud_tree_child_fn child, size_t nfeatures, const double *x,
    const double *bg, size_t nbg, void *scratch)
{
	struct walk k;
	size_t L = table_side(nfeatures), p, n, ti, b;
	double *w = scratch;

	/* scratch: the weight table, the path, the flags */
	k.w = w;
	k.L = L;
	k.path = (size_t *)(w + (L + 1) * (L + 1));
	k.flag = (unsigned char *)(k.path + nfeatures + 1);
	memset(k.flag, 0, nfeatures + 1);
	for (p = 0; p <= L; p++) {
		double c = 1.0;   /* C(p + n, p) */

		for (n = 0; n <= L; n++) {
			if (n > 0)
				c = c * (double)(p + n) / (double)n;
			w[p * (L + 1) + n] = 1.0 / ((double)(p + n + 1) * c);
		}
	}
	k.child = child;
	k.phi = phi;
	k.x = x;
	k.npath = 0;
	for (ti = 0; ti < e->ntrees; ti++) {
		k.t = &e->trees[ti];
		if (k.t->nnodes == 0)
			continue;
		k.scale = e->weight[ti] / (double)nbg;
		for (b = 0; b < nbg; b++) {
			k.b = &bg[b * nfeatures];
			walk(&k, 0, 0, 0);
		}
	}
}

double
aud_tree_ensemble_eval(const struct aud_tree_ensemble *e, aud_tree_child_fn child,
    const double *x)
{
	double y = e->base;
	size_t ti, node;

	for (ti = 0; ti < e->ntrees; ti++) {
		const struct aud_tree *t = &e->trees[ti];

		if (t->nnodes == 0)
			continue;
		for (node = 0; t->feature[node] >= 0; )
			node = child(t, node, x);
		y += e->weight[ti] * t->value[node];
	}
	return y;
}
