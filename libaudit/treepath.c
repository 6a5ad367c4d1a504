/*
 * treepath.c — path-dependent Tree SHAP (Lundberg, Erion and Lee 2018,
 * "Consistent individualized feature attribution for tree ensembles",
 * Algorithm 2): SHAP's TreeExplainer without a background
 * (feature_perturbation "tree_path_dependent"), XGBoost's pred_contribs.
 *
 * The game of one tree: v(S) is the tree's output where a node whose feature
 * is in S sends the row the way x goes, and a node whose feature is not in S
 * averages its training branches weighted by cover(child) / cover(node). Its
 * Shapley values are found in one walk of the tree. The walk carries the
 * path of distinct features met from the root, each with the fraction of
 * training cover that follows the path ("zero": the feature not in S) and
 * whether x follows it ("one"), and the weights of the path's subsets by
 * size (the permutation weights of the Shapley value), updated as the path
 * grows (extend) and shrinks (unwind, when a feature met before comes back:
 * its two fractions multiply into the new branch). At a leaf each feature on
 * the path gets (one - zero) times the leaf value times the total weight of
 * the subsets of the other features. The work is O(L D^2) per tree (L
 * leaves, D depth), independent of any data.
 *
 * A node's fraction for a child is cover(child) / cover(node) over its two
 * training branches; a route that child() takes for x outside them (PMML's
 * missing-value route) counts with zero cover, so v(empty) is the cover-weighted
 * mean of the leaves and the values add up exactly: base + sum phi = f(x).
 * Branches of zero weight on both sides are not walked (a leaf no training
 * row reached may hold NaN, a null prediction).
 */
#include <audit/shapley.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One feature on the path: its fractions and the weight of subsets of size i (w of element i). */
struct pel {
	double z, o, w;
	int32_t d;
};

struct aud_treepath {
	const struct aud_tree_ensemble *e;
	aud_tree_child_fn child;
	size_t M;
	int32_t **height;       /* per tree: per node, edges to its deepest leaf (-1 unreachable) */
	double **frac;          /* per tree: per node, the fractions of its left and right branch */
	size_t maxh;            /* largest root height */
	size_t P;               /* path elements per level */
	double base;
	/* for a path of l + 1 elements (index l * P + j, j < l): (l + 1) / (j + 1),
	 * (l - j) / (j + 1), (l + 1) / (l - j) and (l - j) / (l + 1), so the walk
	 * multiplies */
	double *ra, *rb, *rc, *rq;
};

struct walk {
	const struct aud_treepath *tp;
	const double *ra, *rb, *rc, *rq;
	const double *frac;     /* the tree's */
	size_t P;
	const struct aud_tree *t;
	const int32_t *height;
	const double *x;
	double *phi;
	double scale;
	struct pel *lev;        /* (maxh + 2) levels of P elements */
	int bad;                /* a route outside the training branches was not shorter */
};

/* Heights over the training branches; -1 when a branch is out of range or a cycle. */
static int32_t
height_of(const struct aud_tree *t, int32_t *h, size_t node, size_t depth)
{
	int32_t a, b, l, r;

	if (h[node] >= 0)
		return h[node];
	if (h[node] == -2 || depth > t->nnodes)
		return -1;      /* a cycle */
	if (t->feature[node] < 0) {
		h[node] = 0;
		return 0;
	}
	l = t->left[node];
	r = t->right[node];
	if (l < 0 || r < 0 || (size_t)l >= t->nnodes || (size_t)r >= t->nnodes)
		return -1;
	h[node] = -2;
	a = height_of(t, h, (size_t)l, depth + 1);
	b = a < 0 ? -1 : height_of(t, h, (size_t)r, depth + 1);
	if (b < 0)
		return -1;
	h[node] = (a > b ? a : b) + 1;
	return h[node];
}

/* The fraction of node's cover that goes to child c (0 off the training branches). */
static double
fraction(const struct aud_tree *t, size_t node, size_t c)
{
	double cov = t->cover[node];

	if (!(cov > 0) || ((int32_t)c != t->left[node] && (int32_t)c != t->right[node]))
		return 0.0;
	return t->cover[c] / cov;
}

/* The cover-weighted mean leaf value below node (memo: done[node]). */
static double
expected(const struct aud_tree *t, size_t node, double *memo, unsigned char *done)
{
	double s = 0.0, f;
	int32_t l, r;

	if (done[node])
		return memo[node];
	if (t->feature[node] < 0) {
		s = t->value[node];
	} else {
		l = t->left[node];
		r = t->right[node];
		f = fraction(t, node, (size_t)l);
		if (f != 0.0)
			s += f * expected(t, (size_t)l, memo, done);
		if (r != l) {
			f = fraction(t, node, (size_t)r);
			if (f != 0.0)
				s += f * expected(t, (size_t)r, memo, done);
		}
	}
	memo[node] = s;
	done[node] = 1;
	return s;
}

int
aud_treepath_new(struct aud_treepath **out, const struct aud_tree_ensemble *e,
    aud_tree_child_fn child, size_t nfeatures, struct aud_error *err)
{
	struct aud_treepath *tp;
	double *memo = NULL;
	unsigned char *done = NULL;
	size_t ti, node, maxn = 0;
	int rc = 0;

	*out = NULL;
	for (ti = 0; ti < e->ntrees; ti++) {
		const struct aud_tree *t = &e->trees[ti];

		if (t->nnodes == 0)
			continue;
		if (t->cover == NULL || t->left == NULL || t->right == NULL)
			return AUD_ERROR(err, AUD_EUNSUPPORTED,
			    "tree-path weighs each branch by the training rows that reached it, "
			    "and %s; use --method tree with --background FILE",
			    e->no_cover != NULL ? e->no_cover :
			    "the model's trees do not carry that cover");
		if (t->nnodes > maxn)
			maxn = t->nnodes;
	}
	tp = calloc(1, sizeof(*tp));
	if (tp == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	tp->e = e;
	tp->child = child;
	tp->M = nfeatures;
	tp->height = calloc(e->ntrees + 1, sizeof(*tp->height));
	tp->frac = calloc(e->ntrees + 1, sizeof(*tp->frac));
	memo = malloc((maxn + 1) * sizeof(*memo));
	done = malloc(maxn + 1);
	if (tp->height == NULL || tp->frac == NULL || memo == NULL || done == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	tp->base = e->base;
	for (ti = 0; ti < e->ntrees; ti++) {
		const struct aud_tree *t = &e->trees[ti];
		int32_t h;

		if (t->nnodes == 0)
			continue;
		tp->height[ti] = malloc(t->nnodes * sizeof(int32_t));
		tp->frac[ti] = calloc(2 * t->nnodes, sizeof(double));
		if (tp->height[ti] == NULL || tp->frac[ti] == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		for (node = 0; node < t->nnodes; node++)
			tp->height[ti][node] = -1;
		h = height_of(t, tp->height[ti], 0, 0);
		if (h < 0) {
			rc = AUD_ERROR(err, AUD_EINVAL, "tree %zu: its branches are out of range "
			    "or form a cycle", ti);
			goto done;
		}
		for (node = 0; node < t->nnodes; node++)
			if (tp->height[ti][node] >= 0 && !(t->cover[node] >= 0 &&
			    isfinite(t->cover[node]))) {
				rc = AUD_ERROR(err, AUD_EUNSUPPORTED, "tree %zu: node %zu has the "
				    "training cover %g, not a finite number >= 0", ti, node,
				    t->cover[node]);
				goto done;
			}
		if (!(t->cover[0] > 0)) {
			rc = AUD_ERROR(err, AUD_EUNSUPPORTED, "tree %zu: its root has no training "
			    "cover (0): no training row reached it", ti);
			goto done;
		}
		if ((size_t)h > tp->maxh)
			tp->maxh = (size_t)h;
		for (node = 0; node < t->nnodes; node++)
			if (tp->height[ti][node] > 0) {
				tp->frac[ti][2 * node] = fraction(t, node, (size_t)t->left[node]);
				tp->frac[ti][2 * node + 1] = fraction(t, node, (size_t)t->right[node]);
			}
		memset(done, 0, t->nnodes);
		tp->base += e->weight[ti] * expected(t, 0, memo, done);
	}
	tp->P = (tp->maxh < nfeatures ? tp->maxh : nfeatures) + 2;
	tp->ra = malloc(tp->P * tp->P * sizeof(double));
	tp->rb = malloc(tp->P * tp->P * sizeof(double));
	tp->rc = malloc(tp->P * tp->P * sizeof(double));
	tp->rq = malloc(tp->P * tp->P * sizeof(double));
	if (tp->ra == NULL || tp->rb == NULL || tp->rc == NULL || tp->rq == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (node = 0; node < tp->P; node++) {
		size_t l = node, j;

		for (j = 0; j < l; j++) {
			tp->ra[l * tp->P + j] = (double)(l + 1) / (double)(j + 1);
			tp->rb[l * tp->P + j] = (double)(l - j) / (double)(j + 1);
			tp->rc[l * tp->P + j] = (double)(l + 1) / (double)(l - j);
			tp->rq[l * tp->P + j] = (double)(l - j) / (double)(l + 1);
		}
	}
	*out = tp;
	tp = NULL;
done:
	free(memo);
	free(done);
	aud_treepath_free(tp);
	return rc;
}

void
aud_treepath_free(struct aud_treepath *tp)
{
	size_t ti;

	if (tp == NULL)
		return;
	for (ti = 0; ti < tp->e->ntrees; ti++) {
		if (tp->height != NULL)
			free(tp->height[ti]);
		if (tp->frac != NULL)
			free(tp->frac[ti]);
	}
	free(tp->height);
	free(tp->frac);
	free(tp->ra);
	free(tp->rb);
	free(tp->rc);
	free(tp->rq);
	free(tp);
}

double
aud_treepath_base(const struct aud_treepath *tp)
{
	return tp->base;
}

size_t
aud_treepath_scratch_size(const struct aud_treepath *tp)
{
	return (tp->maxh + 2) * tp->P * sizeof(struct pel);
}

/* Add element (z, o, d) to the path m[0..l) and update the subset weights. */
static void
extend(struct pel *m, size_t l, double z, double o, int32_t d)
{
	size_t i;
	double inv = 1.0 / (double)(l + 1);

	m[l].z = z;
	m[l].o = o;
	m[l].d = d;
	m[l].w = l == 0 ? 1.0 : 0.0;
	for (i = l; i-- > 0; ) {
		m[i + 1].w += o * m[i].w * (double)(i + 1) * inv;
		m[i].w = z * m[i].w * (double)(l - i) * inv;
	}
}

/* Remove element e from the path m[0..n) (n - 1 elements remain). */
static void
unwind(const struct walk *k, struct pel *m, size_t n, size_t e)
{
	size_t l = n - 1, j;
	double o = m[e].o, z = m[e].z, next = m[l].w;
	const double *ra = &k->ra[l * k->P], *rq = &k->rq[l * k->P], *rc = &k->rc[l * k->P];

	if (o != 0.0) {
		double io = 1.0 / o;

		for (j = l; j-- > 0; ) {
			double t = m[j].w;

			m[j].w = next * ra[j] * io;
			next = t - m[j].w * z * rq[j];
		}
	} else {
		double iz = 1.0 / z;

		for (j = l; j-- > 0; )
			m[j].w = m[j].w * rc[j] * iz;
	}
	for (j = e; j < l; j++) {
		m[j].z = m[j + 1].z;
		m[j].o = m[j + 1].o;
		m[j].d = m[j + 1].d;
	}
}

/* The total subset weight of the path m[0..n) without element k (m unchanged). */
static double
unwound_sum(const struct walk *k, const struct pel *m, size_t n, size_t e)
{
	size_t l = n - 1, j;
	double o = m[e].o, z = m[e].z, total = 0.0;
	const double *ra = &k->ra[l * k->P], *rd = &k->rb[l * k->P], *rc = &k->rc[l * k->P];

	if (o != 0.0) {
		/* t_j = next_j (l+1)/((j+1) o); next_{j-1} = w_j - t_j z (l-j)/(l+1):
		 * the chain carries next only (one multiply-add a step) */
		double io = 1.0 / o, next = m[l].w * io, zo = z * io;

		for (j = l; j-- > 0; ) {
			total += next * ra[j];
			next = m[j].w * io - next * zo * rd[j];
		}
	} else {
		for (j = l; j-- > 0; )
			total += m[j].w * rc[j];
		total /= z;
	}
	return total;
}

/* sum_j w_j (l+1)/(l-j) over the path m[0..n): z times the unwound sum of an element with o = 0. */
static double
cold_sum(const struct walk *k, const struct pel *m, size_t n)
{
	size_t l = n - 1, j;
	const double *rc = &k->rc[l * k->P];
	double total = 0.0;

	for (j = 0; j < l; j++)
		total += m[j].w * rc[j];
	return total;
}

static void
recurse(struct walk *k, size_t node, size_t level, size_t n, double z, double o, int32_t d)
{
	const struct aud_tree *t = k->t;
	struct pel *m = &k->lev[level * k->tp->P];
	int32_t f = t->feature[node], l, r;
	size_t hot, i, c[3], nc = 0;
	double iz = 1.0, io = 1.0;

	extend(m, n, z, o, d);
	n++;
	if (f < 0) {
		double v = t->value[node] * k->scale, s0 = -1.0;

		for (i = 1; i < n; i++) {
			double u;

			if (m[i].o == 0.0) {
				/* an element x does not follow: its unwound sum is
				 * sum_j w_j (l+1)/(l-j) / z, the same sum for all of them */
				if (s0 < 0.0)
					s0 = cold_sum(k, m, n);
				u = s0 / m[i].z;
			} else {
				u = unwound_sum(k, m, n, i);
			}
			k->phi[m[i].d] += u * (m[i].o - m[i].z) * v;
		}
		return;
	}
	hot = k->tp->child(t, node, k->x);
	for (i = 1; i < n; i++)
		if (m[i].d == f) {
			iz = m[i].z;
			io = m[i].o;
			unwind(k, m, n, i);
			n--;
			break;
		}
	l = t->left[node];
	r = t->right[node];
	c[nc++] = (size_t)l;
	if (r != l)
		c[nc++] = (size_t)r;
	if ((int32_t)hot != l && (int32_t)hot != r) {
		/* a route outside the training branches: to a leaf, or down */
		if (t->feature[hot] >= 0 &&
		    (k->height[hot] < 0 || k->height[hot] >= k->height[node])) {
			k->bad = 1;
			return;
		}
		c[nc++] = hot;
	}
	for (i = 0; i < nc; i++) {
		double fr = c[i] == (size_t)l ? k->frac[2 * node] : c[i] == (size_t)r ?
		    k->frac[2 * node + 1] : 0.0;
		double cz = iz * fr, co = c[i] == hot ? io : 0.0;

		if (cz == 0.0 && co == 0.0)
			continue;
		memcpy(m + k->tp->P, m, n * sizeof(*m));
		recurse(k, c[i], level + 1, n, cz, co, f);
	}
}

int
aud_treepath_explain_rows(const struct aud_treepath *tp, const double *x, size_t n,
    double *phi, void *scratch, struct aud_error *err)
{
	struct walk k;
	size_t ti, r;

	memset(&k, 0, sizeof(k));
	k.tp = tp;
	k.lev = scratch;
	k.ra = tp->ra;
	k.rb = tp->rb;
	k.rc = tp->rc;
	k.rq = tp->rq;
	k.P = tp->P;
	/* tree by tree, then row by row: a tree stays in cache */
	for (ti = 0; ti < tp->e->ntrees; ti++) {
		k.t = &tp->e->trees[ti];
		if (k.t->nnodes == 0)
			continue;
		k.height = tp->height[ti];
		k.frac = tp->frac[ti];
		k.scale = tp->e->weight[ti];
		for (r = 0; r < n; r++) {
			k.x = &x[r * tp->M];
			k.phi = &phi[r * tp->M];
			recurse(&k, 0, 0, 0, 1.0, 1.0, -1);
			if (k.bad)
				return AUD_ERROR(err, AUD_EUNSUPPORTED, "tree %zu: a row's route "
				    "leaves the tree's training branches and does not lead down", ti);
		}
	}
	return 0;
}
