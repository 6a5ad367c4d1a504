/*
 * test_treepath.c — path-dependent Tree SHAP against a brute force written
 * here: v(S) by its definition (follow x at a node whose feature is in S,
 * else the cover-weighted mean of the two training branches), then the
 * Shapley values by enumerating every subset (at most 10 features).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/batch.h>
#include <audit/csv.h>
#include <audit/model.h>
#include <audit/pmml.h>
#include <audit/shapley.h>

#include "runner.h"

#define NMAX 512

/* Trees as arrays: go left when x[feature] <= threshold; a missing value goes
 * to miss[node] (left, right, or a node of its own). */
struct ttree {
	int32_t feature[NMAX], left[NMAX], right[NMAX], miss[NMAX];
	double value[NMAX], thr[NMAX], cover[NMAX];
	size_t n;
};

static size_t
child(const struct aud_tree *t, size_t node, const double *x)
{
	const struct ttree *tt = t->impl;
	double v = x[tt->feature[node]];

	if (isnan(v))
		return (size_t)tt->miss[node];
	return (size_t)(v <= tt->thr[node] ? tt->left[node] : tt->right[node]);
}

static void
bind(struct aud_tree *t, struct ttree *tt)
{
	memset(t, 0, sizeof(*t));
	t->nnodes = tt->n;
	t->feature = tt->feature;
	t->value = tt->value;
	t->cover = tt->cover;
	t->left = tt->left;
	t->right = tt->right;
	t->child = child;
	t->impl = tt;
}

static size_t
leaf(struct ttree *t, double v, double cover)
{
	t->feature[t->n] = -1;
	t->value[t->n] = v;
	t->cover[t->n] = cover;
	t->left[t->n] = t->right[t->n] = t->miss[t->n] = -1;
	return t->n++;
}

static size_t
split(struct ttree *t, int32_t f, double thr, size_t l, size_t r)
{
	t->feature[t->n] = f;
	t->thr[t->n] = thr;
	t->value[t->n] = NAN;
	t->left[t->n] = (int32_t)l;
	t->right[t->n] = (int32_t)r;
	t->miss[t->n] = (int32_t)l;
	t->cover[t->n] = t->cover[l] + t->cover[r];
	return t->n++;
}

/* Root must be node 0: build children first, then move the root to 0. */
static void
root_first(struct ttree *t, size_t root)
{
	size_t i;
	struct ttree c = *t;

	/* swap node root and node 0, fixing references */
#define FIX(v) ((v) == (int32_t)root ? 0 : (v) == 0 ? (int32_t)root : (v))
	for (i = 0; i < t->n; i++) {
		size_t j = i == root ? 0 : i == 0 ? root : i;
		t->feature[j] = c.feature[i];
		t->thr[j] = c.thr[i];
		t->value[j] = c.value[i];
		t->cover[j] = c.cover[i];
		t->left[j] = c.left[i] < 0 ? -1 : FIX(c.left[i]);
		t->right[j] = c.right[i] < 0 ? -1 : FIX(c.right[i]);
		t->miss[j] = c.miss[i] < 0 ? -1 : FIX(c.miss[i]);
	}
#undef FIX
}

/* ---- the brute force ---- */

static double
v_tree(const struct ttree *t, size_t node, const double *x, unsigned S)
{
	int32_t f = t->feature[node];
	double s = 0.0;

	if (f < 0)
		return t->value[node];
	if (S & (1u << f)) {
		struct aud_tree at;

		bind(&at, (struct ttree *)t);
		return v_tree(t, child(&at, node, x), x, S);
	}
	if (t->cover[node] > 0) {
		if (t->cover[t->left[node]] > 0)
			s += t->cover[t->left[node]] / t->cover[node] *
			    v_tree(t, (size_t)t->left[node], x, S);
		if (t->cover[t->right[node]] > 0)
			s += t->cover[t->right[node]] / t->cover[node] *
			    v_tree(t, (size_t)t->right[node], x, S);
	}
	return s;
}

static double
v_ens(struct ttree *const *tt, const double *w, size_t nt, double base, const double *x,
    unsigned S)
{
	size_t i;

	for (i = 0; i < nt; i++)
		base += w[i] * v_tree(tt[i], 0, x, S);
	return base;
}

static double
fact(size_t n)
{
	double f = 1;

	while (n > 1)
		f *= (double)n--;
	return f;
}

static void
brute(double *phi, struct ttree *const *tt, const double *w, size_t nt, double base,
    size_t M, const double *x)
{
	static double v[1u << 10];
	unsigned S, i;

	for (S = 0; S < (1u << M); S++)
		v[S] = v_ens(tt, w, nt, base, x, S);
	for (i = 0; i < M; i++) {
		phi[i] = 0;
		for (S = 0; S < (1u << M); S++) {
			size_t k = (size_t)__builtin_popcount(S);
			if (S & (1u << i))
				continue;
			phi[i] += fact(k) * fact(M - k - 1) / fact(M) * (v[S | (1u << i)] - v[S]);
		}
	}
}

/* ---- helpers ---- */

static uint64_t rs = 88172645463325252ull;

static double
urand(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (double)(rs >> 11) / 9007199254740992.0;
}

/* A random subtree of the given depth; returns its node. */
static size_t
random_tree(struct ttree *t, size_t M, int depth, int zero_leaves)
{
	size_t l, r, n;

	if (depth == 0 || urand() < 0.15) {
		double c = 1 + floor(urand() * 20);
		if (zero_leaves && urand() < 0.2)
			c = 0;
		return leaf(t, urand() * 4 - 2, c);
	}
	l = random_tree(t, M, depth - 1, zero_leaves);
	r = random_tree(t, M, depth - 1, zero_leaves);
	n = split(t, (int32_t)(urand() * (double)M), urand(), l, r);
	if (urand() < 0.5)
		t->miss[n] = (int32_t)r;
	return n;
}

/* phi via the library; returns the base. */
static double
lib_shap(double *phi, const struct aud_tree_ensemble *e, size_t M, const double *x, int *rc)
{
	struct aud_treepath *tp = NULL;
	struct aud_error err = AUD_ERROR_INIT;
	void *scratch;
	double base;

	memset(phi, 0, M * sizeof(*phi));
	*rc = aud_treepath_new(&tp, e, aud_tree_child, M, &err);
	if (*rc < 0) {
		aud_test_fail(__FILE__, __LINE__, "%s", err.msg);
		return NAN;
	}
	scratch = malloc(aud_treepath_scratch_size(tp) + 1);
	*rc = aud_treepath_explain_rows(tp, x, 1, phi, scratch, &err);
	base = aud_treepath_base(tp);
	free(scratch);
	aud_treepath_free(tp);
	return base;
}

static double
ens_eval(const struct aud_tree_ensemble *e, const double *x)
{
	return aud_tree_ensemble_eval(e, aud_tree_child, x);
}

/* Random ensembles against the brute force, base and additivity. */
static void
random_cases(size_t M, int depth, int zero_leaves, int missing, int ncases)
{
	static struct ttree tt[3];
	struct ttree *tp[3] = { &tt[0], &tt[1], &tt[2] };
	struct aud_tree trees[3];
	double w[3] = { 1.0, 0.5, -0.25 }, x[10], phi[10], want[10];
	int c, rc;

	for (c = 0; c < ncases; c++) {
		size_t nt = 1 + (size_t)c % 3, i, j;
		struct aud_tree_ensemble e = { nt, trees, w, 0.0, 0, NULL };
		double base, sum;

		e.base = urand() - 0.5;
		for (i = 0; i < nt; i++) {
			size_t root;
			tt[i].n = 0;
			root = random_tree(&tt[i], M, depth, zero_leaves);
			root_first(&tt[i], root);
			if (!(tt[i].cover[0] > 0))
				tt[i].cover[0] = 1;   /* a root with no cover is refused: tested apart */
			bind(&trees[i], &tt[i]);
		}
		for (j = 0; j < M; j++)
			x[j] = missing && urand() < 0.2 ? NAN : urand();
		base = lib_shap(phi, &e, M, x, &rc);
		CHECK_INT_EQ(rc, 0);
		brute(want, tp, w, nt, e.base, M, x);
		CHECK_REL(base, v_ens(tp, w, nt, e.base, x, 0), 1e-12);
		sum = base;
		for (j = 0; j < M; j++) {
			CHECK_REL(phi[j], want[j], 1e-12);
			sum += phi[j];
		}
		if (!isnan(ens_eval(&e, x)))
			CHECK_REL(sum, ens_eval(&e, x), 1e-12);
	}
}

/* ---- tests ---- */

void
test_treepath__stump_by_hand(void)
{
	struct ttree t;
	struct aud_tree at;
	double w = 1.0, phi[2], x[2] = { 1, 0 }, base;
	struct aud_tree_ensemble e = { 1, &at, &w, 0.5, 0, NULL };
	size_t a, b, root;
	int rc;

	/* x0 <= 0 ? 2 (cover 3) : -6 (cover 1): E = (3*2 - 6)/4 = 0 */
	t.n = 0;
	a = leaf(&t, 2, 3);
	b = leaf(&t, -6, 1);
	root = split(&t, 0, 0.0, a, b);
	root_first(&t, root);
	bind(&at, &t);
	base = lib_shap(phi, &e, 2, x, &rc);
	CHECK_INT_EQ(rc, 0);
	CHECK_DBL_EQ(base, 0.5);
	CHECK_REL(phi[0], -6.0, 1e-15);
	CHECK_DBL_EQ(phi[1], 0.0);
}

void
test_treepath__two_features_by_hand(void)
{
	struct ttree t;
	struct aud_tree at;
	double w = 1.0, phi[2], x[2] = { 1, 1 }, base;
	struct aud_tree_ensemble e = { 1, &at, &w, 0.0, 0, NULL };
	size_t a, b, c, n1, root;
	int rc;

	/*
	 * root x0 <= 0.5 ? a=1 (cover 2) : n1;  n1: x1 <= 0.5 ? b=3 (cover 1) : c=7 (cover 1)
	 * v({})   = (2*1 + 1*3 + 1*7)/4 = 3;  v({0}) = (3 + 7)/2 = 5;
	 * v({1})  = (2*1 + 2*7)/4 = 4;        v({0,1}) = 7
	 * phi0 = ((5-3) + (7-4))/2 = 2.5;     phi1 = ((4-3) + (7-5))/2 = 1.5
	 */
	t.n = 0;
	a = leaf(&t, 1, 2);
	b = leaf(&t, 3, 1);
	c = leaf(&t, 7, 1);
	n1 = split(&t, 1, 0.5, b, c);
	root = split(&t, 0, 0.5, a, n1);
	root_first(&t, root);
	bind(&at, &t);
	base = lib_shap(phi, &e, 2, x, &rc);
	CHECK_INT_EQ(rc, 0);
	CHECK_REL(base, 3.0, 1e-15);
	CHECK_REL(phi[0], 2.5, 1e-15);
	CHECK_REL(phi[1], 1.5, 1e-15);
}

void
test_treepath__random_against_brute_force(void)
{
	random_cases(4, 4, 0, 0, 60);
	random_cases(7, 6, 0, 0, 40);
	random_cases(10, 7, 0, 0, 12);
}

void
test_treepath__feature_split_twice_on_a_path(void)
{
	/* two features, depth 7: every path meets a feature again */
	random_cases(2, 7, 0, 0, 40);
	random_cases(1, 5, 0, 0, 10);
}

void
test_treepath__zero_cover_children(void)
{
	struct ttree t;
	struct aud_tree at;
	double w = 1.0, phi[2], x[2] = { 1, -1 }, want[2], base;
	struct aud_tree_ensemble e = { 1, &at, &w, 0.0, 0, NULL };
	struct ttree *tp = &t;
	size_t a, b, c, n1, root;
	int rc;

	/* a leaf no training row reached holds a null prediction (NaN) */
	t.n = 0;
	a = leaf(&t, NAN, 0);
	b = leaf(&t, 3, 4);
	c = leaf(&t, 5, 0);
	n1 = split(&t, 1, 0.0, b, c);
	root = split(&t, 0, 0.0, a, n1);
	root_first(&t, root);
	bind(&at, &t);
	base = lib_shap(phi, &e, 2, x, &rc);
	CHECK_INT_EQ(rc, 0);
	CHECK_DBL_EQ(base, 3.0);
	brute(want, &tp, &w, 1, 0.0, 2, x);
	CHECK_REL(phi[0], want[0], 1e-15);
	CHECK_REL(phi[1], want[1], 1e-15);
	CHECK_REL(base + phi[0] + phi[1], 3.0, 1e-15);
	/* x goes to the zero-cover leaf 5: phi1 carries all of 5 - 3 */
	x[1] = 1;
	base = lib_shap(phi, &e, 2, x, &rc);
	brute(want, &tp, &w, 1, 0.0, 2, x);
	CHECK_REL(phi[0], want[0], 1e-15);
	CHECK_REL(phi[1], want[1], 1e-15);
	CHECK_REL(phi[0], 0.0, 1e-15);
	CHECK_REL(phi[1], 2.0, 1e-15);
	/* random trees with zero-cover leaves */
	random_cases(5, 5, 1, 0, 60);
}

void
test_treepath__missing_route_of_its_own(void)
{
	struct ttree t;
	struct aud_tree at;
	double w = 1.0, phi[2], x[2] = { NAN, 1 }, want[2], base;
	struct aud_tree_ensemble e = { 1, &at, &w, 0.0, 0, NULL };
	struct ttree *tp = &t;
	size_t a, b, m, root;
	int rc;

	/* x0 missing goes to leaf m (value 10), off the training branches */
	t.n = 0;
	a = leaf(&t, 1, 1);
	b = leaf(&t, 3, 1);
	m = leaf(&t, 10, 0);
	root = split(&t, 0, 0.0, a, b);
	t.miss[root] = (int32_t)m;
	root_first(&t, root);
	bind(&at, &t);
	base = lib_shap(phi, &e, 2, x, &rc);
	CHECK_INT_EQ(rc, 0);
	brute(want, &tp, &w, 1, 0.0, 2, x);
	CHECK_DBL_EQ(base, 2.0);
	CHECK_REL(phi[0], 8.0, 1e-15);
	CHECK_REL(phi[0], want[0], 1e-15);
	CHECK_DBL_EQ(phi[1], 0.0);
	/* and random trees whose missing values go left or right */
	random_cases(4, 5, 0, 1, 40);
}

void
test_treepath__leaf_only_tree(void)
{
	struct ttree t;
	struct aud_tree at;
	double w = 2.0, phi[3], x[3] = { 1, 2, 3 }, base;
	struct aud_tree_ensemble e = { 1, &at, &w, 0.25, 0, NULL };
	int rc;

	t.n = 0;
	leaf(&t, 1.5, 7);
	bind(&at, &t);
	base = lib_shap(phi, &e, 3, x, &rc);
	CHECK_INT_EQ(rc, 0);
	CHECK_DBL_EQ(base, 3.25);
	CHECK_DBL_EQ(phi[0], 0.0);
	CHECK_DBL_EQ(phi[1], 0.0);
	CHECK_DBL_EQ(phi[2], 0.0);
}

void
test_treepath__refusals(void)
{
	struct ttree t;
	struct aud_tree at;
	double w = 1.0;
	struct aud_tree_ensemble e = { 1, &at, &w, 0.0, 0, NULL };
	struct aud_treepath *tp = NULL;
	struct aud_error err = AUD_ERROR_INIT;
	size_t a, b, root;

	t.n = 0;
	a = leaf(&t, 1, 0);
	b = leaf(&t, 2, 0);
	root = split(&t, 0, 0.0, a, b);
	root_first(&t, root);
	bind(&at, &t);
	/* no cover: the ensemble's reason is given */
	at.cover = NULL;
	e.no_cover = "the trees say nothing";
	CHECK_INT_EQ(aud_treepath_new(&tp, &e, aud_tree_child, 1, &err), AUD_EUNSUPPORTED);
	CHECK(tp == NULL);
	CHECK(strstr(err.msg, "the trees say nothing") != NULL);
	CHECK(strstr(err.msg, "--method tree") != NULL);
	/* a root no training row reached */
	at.cover = t.cover;
	CHECK_INT_EQ(aud_treepath_new(&tp, &e, aud_tree_child, 1, &err), AUD_EUNSUPPORTED);
	CHECK(strstr(err.msg, "root") != NULL);
	/* a negative or NaN cover */
	t.cover[1] = -1;
	t.cover[2] = 1;
	t.cover[0] = 1;
	CHECK_INT_EQ(aud_treepath_new(&tp, &e, aud_tree_child, 1, &err), AUD_EUNSUPPORTED);
	t.cover[1] = NAN;
	CHECK_INT_EQ(aud_treepath_new(&tp, &e, aud_tree_child, 1, &err), AUD_EUNSUPPORTED);
	/* a cycle and a branch out of range */
	t.cover[1] = 1;
	t.cover[0] = 2;
	t.feature[1] = 0;
	t.left[1] = 0;
	t.right[1] = 2;
	CHECK_INT_EQ(aud_treepath_new(&tp, &e, aud_tree_child, 1, &err), AUD_EINVAL);
	t.left[1] = 9;
	CHECK_INT_EQ(aud_treepath_new(&tp, &e, aud_tree_child, 1, &err), AUD_EINVAL);
	CHECK(tp == NULL);
}

void
test_treepath__route_up_is_refused(void)
{
	struct ttree t;
	struct aud_tree at;
	double w = 1.0, phi[1], x[1] = { NAN };
	struct aud_tree_ensemble e = { 1, &at, &w, 0.0, 0, NULL };
	struct aud_treepath *tp = NULL;
	struct aud_error err = AUD_ERROR_INIT;
	size_t a, b, n1, root;
	void *scratch;

	/* missing at n1 jumps back to the root's height: refused, not a loop */
	t.n = 0;
	a = leaf(&t, 1, 1);
	b = leaf(&t, 2, 1);
	n1 = split(&t, 0, 0.0, a, b);
	root = split(&t, 0, 1.0, n1, leaf(&t, 3, 1));
	t.miss[root] = (int32_t)n1;
	t.miss[n1] = (int32_t)root;
	root_first(&t, root);
	bind(&at, &t);
	CHECK_INT_EQ(aud_treepath_new(&tp, &e, aud_tree_child, 1, &err), 0);
	scratch = malloc(aud_treepath_scratch_size(tp) + 1);
	phi[0] = 0;
	CHECK_INT_EQ(aud_treepath_explain_rows(tp, x, 1, phi, scratch, &err), AUD_EUNSUPPORTED);
	free(scratch);
	aud_treepath_free(tp);
}

/* ---- a PMML forest of ../shared against the brute force over aud_tree ---- */

static double
v_atree(const struct aud_tree *t, size_t node, const double *x, unsigned S)
{
	int32_t f = t->feature[node];
	double s = 0.0;

	if (f < 0)
		return t->value[node];
	if (S & (1u << f))
		return v_atree(t, aud_tree_child(t, node, x), x, S);
	if (t->cover[node] > 0) {
		if (t->cover[t->left[node]] > 0)
			s += t->cover[t->left[node]] / t->cover[node] *
			    v_atree(t, (size_t)t->left[node], x, S);
		if (t->right[node] != t->left[node] && t->cover[t->right[node]] > 0)
			s += t->cover[t->right[node]] / t->cover[node] *
			    v_atree(t, (size_t)t->right[node], x, S);
	}
	return s;
}

static double
v_aens(const struct aud_tree_ensemble *e, const double *x, unsigned S)
{
	double s = e->base;
	size_t i;

	for (i = 0; i < e->ntrees; i++)
		s += e->weight[i] * v_atree(&e->trees[i], 0, x, S);
	return s;
}

/* Row r of b as tree.h wants it: model features, categories as indices. */
static void
row_x(const struct aud_model *m, const struct aud_batch *b, size_t r, double *x)
{
	size_t i, k;

	for (i = 0; i < aud_model_nfeatures(m); i++) {
		const struct aud_feature *f = aud_model_feature(m, i);
		const struct aud_column *c = &b->cols[aud_batch_find(b, f->name)];
		const char *s = NULL;
		char buf[32];

		x[i] = NAN;
		if (f->kind == AUD_COL_NUMERIC) {
			x[i] = c->kind == AUD_COL_NUMERIC ? c->num[r] : NAN;
			continue;
		}
		if (c->kind == AUD_COL_NUMERIC) {
			if (isnan(c->num[r]))
				continue;
			aud_format_double(buf, c->num[r]);
			s = buf;
		} else if (c->code[r] >= 0) {
			s = aud_dict_str(c->dict, c->code[r]);
		}
		for (k = 0; s != NULL && k < f->ncategories; k++)
			if (strcmp(f->categories[k], s) == 0)
				x[i] = (double)k;
	}
}

static void
conformance_case(const char *name, double root_cover)
{
	const char *shared = aud_test_shared();
	char mp[1024], dp[1024];
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;
	struct aud_csv *csv = NULL;
	struct aud_csv_options co = AUD_CSV_OPTIONS_INIT;
	struct aud_batch_reader *br = NULL;
	struct aud_batch *b = NULL;
	const struct aud_tree_ensemble *e = NULL;
	struct aud_treepath *tp = NULL;
	void *scratch = NULL;
	static double v[1u << 10];
	double x[10], phi[10], base;
	size_t M, r, i, nan, nnan = 0;
	unsigned S;

	if (shared == NULL) {
		aud_test_skip("../shared is absent");
		return;
	}
	snprintf(mp, sizeof(mp), "%s/%s/model.pmml", shared, name);
	snprintf(dp, sizeof(dp), "%s/%s/%s", shared, name,
	    strncmp(name, "reference/", 10) == 0 ? "rows.csv" : "input.csv");
	if (aud_pmml_load(&m, mp, NULL, &err) < 0 || aud_model_trees(&e, m, &err) < 0 ||
	    aud_treepath_new(&tp, e, aud_tree_child, aud_model_nfeatures(m), &err) < 0) {
		aud_test_fail(__FILE__, __LINE__, "%s: %s", name, err.msg);
		goto done;
	}
	M = aud_model_nfeatures(m);
	CHECK(M <= 10);
	if (M > 10)
		goto done;
	if (root_cover > 0)   /* the root Node's recordCount, read from the file */
		CHECK_DBL_EQ(e->trees[0].cover[0], root_cover);
	if (aud_csv_open(&csv, dp, &co, &err) < 0 ||
	    aud_batch_reader_new(&br, csv, NULL, NULL, 0, 1000000, 0, &err) < 0 ||
	    aud_batch_reader_next(&b, br, &err) != 1) {
		aud_test_fail(__FILE__, __LINE__, "%s: %s", dp, err.msg);
		goto done;
	}
	scratch = malloc(aud_treepath_scratch_size(tp) + 1);
	base = aud_treepath_base(tp);
	memset(x, 0, sizeof(x));
	CHECK_REL(base, v_aens(e, x, 0), 1e-12);
	for (r = 0; r < b->nrows && r < 40; r++) {
		double sum = base;

		row_x(m, b, r, x);
		memset(phi, 0, sizeof(phi));
		CHECK_INT_EQ(aud_treepath_explain_rows(tp, x, 1, phi, scratch, &err), 0);
		for (S = 0, nan = 0; S < (1u << M); S++) {
			v[S] = v_aens(e, x, S);
			nan += isnan(v[S]);
		}
		if (nan > 0) {
			/* x leads, for some coalition, to a null prediction no
			 * training row reached: the game is undefined, and so is phi */
			for (i = 0; i < M; i++)
				sum += phi[i];
			CHECK(isnan(sum));
			nnan++;
			continue;
		}
		for (i = 0; i < M; i++) {
			double want = 0;

			for (S = 0; S < (1u << M); S++) {
				size_t k = (size_t)__builtin_popcount(S);
				if (S & (1u << i))
					continue;
				want += fact(k) * fact(M - k - 1) / fact(M) * (v[S | (1u << i)] - v[S]);
			}
			if (!aud_test_rel(phi[i], want, 1e-12))
				aud_test_fail(__FILE__, __LINE__, "%s row %zu feature %zu: %.17g, want %.17g", name, r, i, phi[i], want);
			sum += phi[i];
		}
		CHECK_REL(sum, aud_tree_ensemble_eval(e, aud_tree_child, x), 1e-12);
	}
	CHECK(nnan < 3);
done:
	free(scratch);
	aud_treepath_free(tp);
	aud_batch_reader_free(br);
	aud_csv_free(csv);
	aud_model_free(m);
}

void
test_treepath__pmml_forest_brute_force(void)
{
	conformance_case("pmml-conformance/sklearn-rf-audit", 0);
	/* every Node has recordCount here: the root's (30162) is the sum of the leaves' */
	conformance_case("reference/explain-adult-rf", 30162);
}

void
test_treepath__pmml_multisplit_brute_force(void)
{
	conformance_case("pmml-conformance/knime-dtree-audit", 1899);
	conformance_case("pmml-conformance/r-rpart-audit", 1899);
	conformance_case("pmml-conformance/rapidminer-dtree-audit", 0);
	conformance_case("pmml-conformance/knime-treeensemble-audit", 0);
	conformance_case("pmml-conformance/sklearn-dtree-audit", 0);
}

/* ---- through the explainer (shapley.h) on a PMML model ---- */

static const char hand_pmml[] =
    "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header/>"
    "<DataDictionary><DataField name=\"x1\" optype=\"continuous\" dataType=\"double\"/>"
    "<DataField name=\"x2\" optype=\"continuous\" dataType=\"double\"/>"
    "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>"
    "<TreeModel functionName=\"regression\"><MiningSchema><MiningField name=\"x1\"/>"
    "<MiningField name=\"x2\"/><MiningField name=\"y\" usageType=\"target\"/></MiningSchema>"
    "<Node><True/>"
    "<Node score=\"1\" recordCount=\"2\"><SimplePredicate field=\"x1\" operator=\"lessOrEqual\" value=\"0.5\"/></Node>"
    "<Node><SimplePredicate field=\"x1\" operator=\"greaterThan\" value=\"0.5\"/>"
    "<Node score=\"3\" recordCount=\"1\"><SimplePredicate field=\"x2\" operator=\"lessOrEqual\" value=\"0.5\"/></Node>"
    "<Node score=\"7\" recordCount=\"1\"><SimplePredicate field=\"x2\" operator=\"greaterThan\" value=\"0.5\"/></Node>"
    "</Node></Node></TreeModel></PMML>";

void
test_treepath__through_the_explainer(void)
{
	static const char *const names[] = { "x1", "x2" };
	enum aud_col_kind kinds[2] = { AUD_COL_NUMERIC, AUD_COL_NUMERIC };
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_shap_options so = AUD_SHAP_OPTIONS_INIT;
	struct aud_model *m = NULL;
	struct aud_batch *x = NULL;
	struct aud_shap *s = NULL;
	struct aud_shap_work *w = NULL;
	double phi[4], fx[2];

	if (aud_pmml_load_mem(&m, "hand.pmml", hand_pmml, sizeof(hand_pmml) - 1, NULL, &err) < 0 ||
	    aud_batch_new(&x, 2, names, kinds, 2, &err) < 0) {
		aud_test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto done;
	}
	x->cols[0].num[0] = 1;
	x->cols[1].num[0] = 1;
	x->cols[0].num[1] = 0;
	x->cols[1].num[1] = 1;
	x->nrows = 2;
	so.method = AUD_SHAP_TREE_PATH;
	/* a background is refused: the game has none */
	CHECK_INT_EQ(aud_shap_new(&s, m, x, x, &so, &err), AUD_EINVAL);
	CHECK(s == NULL);
	CHECK(strstr(err.msg, "tree-path takes no background") != NULL);
	CHECK_INT_EQ(aud_shap_new(&s, m, x, NULL, &so, &err), 0);
	if (s == NULL)
		goto done;
	CHECK_DBL_EQ(aud_shap_base(s), 3.0);
	CHECK_INT_EQ(aud_shap_work_new(&w, s, &err), 0);
	CHECK_INT_EQ(aud_shap_explain(s, w, 0, 2, phi, fx, &err), 0);
	/* the hand values of tests/e2e/tree-path.sh: (1,1) -> 2.5, 1.5; (0,1) -> -2.5, 0.5 */
	CHECK_DBL_EQ(fx[0], 7.0);
	CHECK_REL(phi[0], 2.5, 1e-15);
	CHECK_REL(phi[1], 1.5, 1e-15);
	CHECK_DBL_EQ(fx[1], 1.0);
	CHECK_REL(phi[2], -2.5, 1e-15);
	CHECK_REL(phi[3], 0.5, 1e-15);
	/* a link is refused as for tree */
	aud_shap_work_free(w);
	w = NULL;
	aud_shap_free(s);
	s = NULL;
	so.link = AUD_LINK_LOGIT;
	CHECK_INT_EQ(aud_shap_new(&s, m, x, NULL, &so, &err), AUD_EINVAL);
	CHECK(strstr(err.msg, "tree-path explains sums of leaf values") != NULL);
done:
	aud_shap_work_free(w);
	aud_shap_free(s);
	aud_batch_free(x);
	aud_model_free(m);
}
