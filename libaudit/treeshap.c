/*
 * treeshap.c — interventional Tree SHAP (Lundberg et al. 2020, "From local
 * explanations to global understanding with explainable AI for trees",
 * Algorithm 3; SHAP's tree_shap_indep), with the background rows that take
 * the same route walked together.
 *
 * For one explained row x and one background row b, the game restricted to a
 * tree is decided by the features where x and b take different branches. The
 * traversal follows both rows at once: where they go the same way it
 * descends once; where they part on a feature not yet met it descends twice,
 * once with the feature "from x" and once "from b"; a feature met again
 * follows the side already chosen. A leaf reached with P features from x and
 * N from b has value v exactly when those P are in the coalition and those N
 * are not, so it gives each x-feature v (P-1)! N! / (P+N)! and takes from
 * each b-feature v P! (N-1)! / (P+N)!.
 *
 * Background rows in the same state (same node, same features met, same
 * sides) contribute alike, so the walk carries the set of them: at a node it
 * splits the set by the rows' branches, and a leaf adds its contribution times
 * the size of the set. The work is then bounded by the distinct routes rather
 * than by routes times background rows. The rows' branches at every node are
 * computed once per explainer when they fit in memory.
 */
#include <audit/shapley.h>

#include <stdlib.h>
#include <string.h>

#define WTABLE_MAX 128
/* Largest table of precomputed background branches (bytes). */
#define BCHILD_MAX ((size_t)256 << 20)

struct aud_treeshap {
	const struct aud_tree_ensemble *e;
	aud_tree_child_fn child;
	size_t M, K, maxnodes;
	const double *bg;           /* borrowed */
	int32_t **bchild;           /* per tree: nnodes * K branches (node-major), or NULL */
	double *w;                  /* (L + 1)^2 Shapley weights */
	size_t L;
};

struct walk {
	const struct aud_treeshap *ts;
	const struct aud_tree *t;
	size_t ti;
	const double *x;
	double *phi;
	double scale;          /* tree weight / number of background rows */
	unsigned char *flag;   /* per feature: 0 unseen, 1 from x, 2 from b */
	size_t *path;          /* features met, in order */
	size_t npath;
	size_t *rows;          /* background row indices, partitioned in place */
	int32_t *xchild;       /* per node: x's branch (memo) */
	uint32_t *stamp;       /* per node: generation of xchild[node] */
	uint32_t gen;
	int32_t *br;           /* branches of the rows at the current node (K) */
};

/* p! n! / (p + n + 1)! = 1 / ((p + n + 1) C(p + n, p)) */
static double
shapley_weight(const struct aud_treeshap *ts, size_t p, size_t n)
{
	double c = 1.0;
	size_t i;

	if (p <= ts->L && n <= ts->L)
		return ts->w[p * (ts->L + 1) + n];
	for (i = 1; i <= n; i++)
		c = c * (double)(p + i) / (double)i;
	return 1.0 / ((double)(p + n + 1) * c);
}

static size_t
xbranch(struct walk *k, size_t node)
{
	if (k->stamp[node] != k->gen) {
		k->stamp[node] = k->gen;
		k->xchild[node] = (int32_t)k->ts->child(k->t, node, k->x);
	}
	return (size_t)k->xchild[node];
}

static void walk(struct walk *k, size_t node, size_t lo, size_t hi, size_t P, size_t N);

/*
 * The branches of rows [lo, hi) at `node` into br[lo..hi) (from the table, or
 * by the child function).
 */
static void
branches(const struct walk *k, size_t node, size_t lo, size_t hi, int32_t *br)
{
	const struct aud_treeshap *ts = k->ts;
	size_t i;

	if (ts->bchild != NULL) {
		const int32_t *bc = &ts->bchild[k->ti][node * ts->K];

		for (i = lo; i < hi; i++)
			br[i] = bc[k->rows[i]];
	} else {
		for (i = lo; i < hi; i++)
			br[i] = (int32_t)ts->child(k->t, node, &ts->bg[k->rows[i] * ts->M]);
	}
}

/* Swap rows i and j (and their branches). */
static void
swap(struct walk *k, int32_t *br, size_t i, size_t j)
{
	size_t r = k->rows[i];
	int32_t b = br[i];

	k->rows[i] = k->rows[j];
	k->rows[j] = r;
	br[i] = br[j];
	br[j] = b;
}

/* Walk each group of rows [lo, hi) that shares a branch at `node` into it. */
static void
walk_groups(struct walk *k, size_t node, size_t lo, size_t hi, size_t P, size_t N)
{
	int32_t *br = k->br;

	while (lo < hi) {
		int32_t c;
		size_t mid = lo + 1, i;

		/* (again after each walk: it reorders the rows and reuses br) */
		branches(k, node, lo, hi, br);
		c = br[lo];
		for (i = lo + 1; i < hi; i++)
			if (br[i] == c)
				swap(k, br, mid++, i);
		walk(k, (size_t)c, lo, mid, P, N);
		lo = mid;
	}
}

static void
walk(struct walk *k, size_t node, size_t lo, size_t hi, size_t P, size_t N)
{
	const struct aud_tree *t = k->t;
	int32_t f = t->feature[node], *br;
	size_t cx, mid, i;

	if (f < 0) {
		double v = t->value[node] * k->scale * (double)(hi - lo), wp, wn;

		if (P + N == 0)
			return;
		wp = P > 0 ? v * shapley_weight(k->ts, P - 1, N) : 0.0;
		wn = N > 0 ? v * shapley_weight(k->ts, P, N - 1) : 0.0;
		for (i = 0; i < k->npath; i++) {
			size_t g = k->path[i];

			if (k->flag[g] == 1)
				k->phi[g] += wp;
			else
				k->phi[g] -= wn;
		}
		return;
	}
	switch (k->flag[f]) {
	case 1:
		walk(k, xbranch(k, node), lo, hi, P, N);
		return;
	case 2:
		walk_groups(k, node, lo, hi, P, N);
		return;
	default:
		break;
	}
	/* rows that go x's way, then those that part from it */
	cx = xbranch(k, node);
	br = k->br;
	branches(k, node, lo, hi, br);
	mid = lo;
	for (i = lo; i < hi; i++)
		if ((size_t)br[i] == cx)
			swap(k, br, mid++, i);
	if (mid < hi) {
		k->path[k->npath++] = (size_t)f;
		k->flag[f] = 1;
		walk(k, cx, mid, hi, P + 1, N);
		k->flag[f] = 2;
		walk_groups(k, node, mid, hi, P, N + 1);   /* the parted rows, by their branch */
		k->flag[f] = 0;
		k->npath--;
	}
	if (mid > lo)
		walk(k, cx, lo, mid, P, N);
}

int
aud_treeshap_new(struct aud_treeshap **out, const struct aud_tree_ensemble *e,
    aud_tree_child_fn child, size_t nfeatures, const double *bg, size_t nbg,
    struct aud_error *err)
{
	struct aud_treeshap *ts;
	size_t total = 0, ti, k, node, p, n;

	*out = NULL;
	ts = calloc(1, sizeof(*ts));
	if (ts == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	ts->e = e;
	ts->child = child;
	ts->M = nfeatures;
	ts->K = nbg;
	ts->bg = bg;
	ts->L = nfeatures < WTABLE_MAX ? nfeatures : WTABLE_MAX;
	ts->w = malloc((ts->L + 1) * (ts->L + 1) * sizeof(double));
	if (ts->w == NULL)
		goto nomem;
	for (p = 0; p <= ts->L; p++) {
		double c = 1.0;   /* C(p + n, p) */

		for (n = 0; n <= ts->L; n++) {
			if (n > 0)
				c = c * (double)(p + n) / (double)n;
			ts->w[p * (ts->L + 1) + n] = 1.0 / ((double)(p + n + 1) * c);
		}
	}
	for (ti = 0; ti < e->ntrees; ti++) {
		total += e->trees[ti].nnodes;
		if (e->trees[ti].nnodes > ts->maxnodes)
			ts->maxnodes = e->trees[ti].nnodes;
	}
	/* the background rows' branches at every internal node, when they fit */
	if (total * nbg * sizeof(int32_t) <= BCHILD_MAX) {
		ts->bchild = calloc(e->ntrees + 1, sizeof(*ts->bchild));
		if (ts->bchild == NULL)
			goto nomem;
		for (ti = 0; ti < e->ntrees; ti++) {
			const struct aud_tree *t = &e->trees[ti];

			ts->bchild[ti] = malloc((t->nnodes * nbg + 1) * sizeof(int32_t));
			if (ts->bchild[ti] == NULL)
				goto nomem;
			for (k = 0; k < nbg; k++)
				for (node = 0; node < t->nnodes; node++)
					ts->bchild[ti][node * nbg + k] = t->feature[node] < 0 ? -1 :
					    (int32_t)child(t, node, &bg[k * nfeatures]);
		}
	}
	*out = ts;
	return 0;
nomem:
	aud_treeshap_free(ts);
	return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
}

void
aud_treeshap_free(struct aud_treeshap *ts)
{
	size_t ti;

	if (ts == NULL)
		return;
	if (ts->bchild != NULL)
		for (ti = 0; ti < ts->e->ntrees; ti++)
			free(ts->bchild[ti]);
	free(ts->bchild);
	free(ts->w);
	free(ts);
}

/* Scratch layout: rows (K), path (M + 1) as size_t; xchild, stamp (maxnodes); branches (K); flags (M + 1). */
size_t
aud_treeshap_scratch_size(const struct aud_treeshap *ts)
{
	return (ts->K + ts->M + 1) * sizeof(size_t) + ts->maxnodes * (sizeof(int32_t) +
	    sizeof(uint32_t)) + ts->K * sizeof(int32_t) + ts->M + 1;
}

void
aud_treeshap_explain(const struct aud_treeshap *ts, const double *x, double *phi,
    void *scratch)
{
	aud_treeshap_explain_rows(ts, x, 1, phi, scratch);
}

void
aud_treeshap_explain_rows(const struct aud_treeshap *ts, const double *x, size_t n,
    double *phi, void *scratch)
{
	struct walk k;
	size_t ti, i, r;
	uint32_t gen = 0;

	memset(&k, 0, sizeof(k));
	k.ts = ts;
	k.rows = scratch;
	k.path = k.rows + ts->K;
	k.xchild = (int32_t *)(k.path + ts->M + 1);
	k.stamp = (uint32_t *)(k.xchild + ts->maxnodes);
	k.br = (int32_t *)(k.stamp + ts->maxnodes);
	k.flag = (unsigned char *)(k.br + ts->K);
	memset(k.stamp, 0, ts->maxnodes * sizeof(uint32_t));
	memset(k.flag, 0, ts->M + 1);
	/* tree by tree, then row by row: a tree's branch table stays in cache */
	for (ti = 0; ti < ts->e->ntrees; ti++) {
		k.t = &ts->e->trees[ti];
		k.ti = ti;
		if (k.t->nnodes == 0 || ts->K == 0)
			continue;
		k.scale = ts->e->weight[ti] / (double)ts->K;
		for (r = 0; r < n; r++) {
			if (++gen == 0) {
				memset(k.stamp, 0, ts->maxnodes * sizeof(uint32_t));
				gen = 1;
			}
			k.gen = gen;
			k.x = &x[r * ts->M];
			k.phi = &phi[r * ts->M];
			for (i = 0; i < ts->K; i++)
				k.rows[i] = i;
			walk(&k, 0, 0, ts->K, 0, 0);
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
