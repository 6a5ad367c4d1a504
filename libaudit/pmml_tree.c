/*
 * pmml_tree.c — a PMML model's trees through tree.h, for Tree SHAP.
 *
 * Compiled trees (pmml_impl.h) are already flat: test nodes that each read one
 * field, and leaves. tree.h numbers the test nodes 0..ntest-1 and the leaves
 * ntest..ntest+nleaf-1; a compound predicate or a multi-way split has been
 * compiled into a chain of single-field tests, so the "tree" may share leaves
 * between paths (a DAG): Tree SHAP's recursion over paths is unaffected.
 *
 * Supported forms: a TreeModel; a MiningModel whose segments (predicate True)
 * are TreeModels combined by sum, average, weightedAverage, majorityVote or
 * weightedMajorityVote, with Targets rescaling; such an ensemble followed in a
 * modelChain by a binary logistic RegressionModel on its output (is_margin 1).
 * Trees read features directly or through DerivedFields that copy them
 * (FieldRef, possibly cast to float). The arithmetic of x-mathContext="float"
 * models is done in double here (differences of about 1e-7 relative).
 */
#include <audit/tree.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_impl.h"
#include "pmml_impl.h"

struct pm_etree {
	const struct pm_tree *t;
	const struct pm_doc *d;
	int32_t *feature;      /* ntest + nleaf: model feature, -1 leaf */
	int32_t *map;          /* internal node (tests, then leaves) -> tree.h node (root 0) */
	int32_t *inv;          /* tree.h node -> internal node */
	uint8_t *fcast;        /* per test node: cast the feature to float */
	double *value;         /* ntest + nleaf */
	int32_t *left, *right; /* tree.h nodes: the true and false branches of a test, -1 leaf */
	double *cover;         /* tree.h nodes: training cover, or NULL (see add_cover()) */
};

struct pm_trees {
	struct aud_tree_ensemble ens;
	struct aud_tree *trees;
	double *weight;
	struct pm_etree *et;
	size_t n;
	char no_cover[200];    /* why the trees have no cover ("" when they have) */
};

static void
etree_free(struct pm_etree *e)
{
	free(e->feature);
	free(e->fcast);
	free(e->value);
	free(e->map);
	free(e->inv);
	free(e->left);
	free(e->right);
	free(e->cover);
	memset(e, 0, sizeof(*e));
}

/* The feature a slot copies, or -1; *fl is set when a float cast is on the way. */
static int32_t
slot_feature(const struct pm_doc *d, int32_t s, int *fl)
{
	int guard = 0;

	*fl = 0;
	while (s >= 0 && guard++ < 1000) {
		const struct pm_slot *sl = &d->slots[s];
		if (sl->type == PT_FLOAT || sl->alias_float)
			*fl = 1;
		if (sl->feature >= 0)
			return sl->feature;
		s = sl->alias_of;
	}
	return -1;
}

static int
steps_are_copies(const struct pm_doc *d, const struct pm_model *m)
{
	size_t i;

	for (i = 0; i < m->nsteps; i++)
		if (d->slots[m->steps[i].dst].alias_of < 0)
			return 0;
	return 1;
}

static int
pred_true(const struct pm_tree *t)
{
	return t->root < 0 && t->leaves[~t->root].value == 1;
}

/* kind: 0 regression value, 1 probability of positive, 2 vote for positive */
static size_t pm_tree_child(const struct aud_tree *t, size_t node, const double *x);

/* The tree.h node of an internal entry (test index, or ~leaf). */
static int32_t
tnode(const struct pm_etree *e, int32_t next)
{
	return e->map[next >= 0 ? next : (int32_t)e->t->ntest + ~next];
}

/* Cover of node v and below (memo: cover >= 0 once known). */
static double
cover_of(struct pm_etree *e, int32_t v)
{
	double c;

	if (e->cover[v] >= 0)
		return e->cover[v];
	c = cover_of(e, e->left[v]);
	if (e->right[v] != e->left[v])
		c += cover_of(e, e->right[v]);
	e->cover[v] = c;
	return c;
}

/*
 * The branches and the training cover of each node, for path-dependent Tree
 * SHAP. A leaf's cover is its Node's recordCount; the prediction of a Node
 * with children (reached when no child's predicate is true, or a value is
 * missing) and the null prediction have none of their own (0). A test's
 * cover is the sum over its true and false branches, so the tests a
 * multi-way split compiles to (a chain: true to one child, false to the test
 * of the next) split the Node's rows as the children do. A node with cover
 * that two paths reach (the false branches of a compound predicate) has no
 * cover of its own: the model then has none (why says so). The missing-value
 * route of a test is not a training branch (tree.h).
 * @return 0, or -1 out of memory
 */
static int
add_cover(struct pm_etree *e, size_t nn, char *why)
{
	const struct pm_tree *t = e->t;
	uint32_t *indeg = NULL;
	int32_t *stack = NULL;
	size_t i, ns = 0;
	int rc = -1;

	e->left = malloc(nn * sizeof(*e->left));
	e->right = malloc(nn * sizeof(*e->right));
	e->cover = malloc(nn * sizeof(*e->cover));
	indeg = calloc(nn, sizeof(*indeg));
	stack = malloc(nn * sizeof(*stack));
	if (e->left == NULL || e->right == NULL || e->cover == NULL || indeg == NULL ||
	    stack == NULL)
		goto done;
	for (i = 0; i < t->ntest; i++) {
		e->left[e->map[i]] = tnode(e, t->tests[i].next[0]);
		e->right[e->map[i]] = tnode(e, t->tests[i].next[1]);
		e->cover[e->map[i]] = -1;
	}
	for (i = 0; i < t->nleaf; i++) {
		const struct pm_leaf *l = &t->leaves[i];
		int32_t v = e->map[t->ntest + i];

		e->left[v] = e->right[v] = -1;
		e->cover[v] = l->count;
		if (l->inner || (isnan(l->count) && isnan(l->value) && l->prob < 0))
			e->cover[v] = 0;   /* an inner Node's or the null prediction */
	}
	/* the nodes reachable over true and false branches, and how many reach each */
	stack[ns++] = 0;
	indeg[0] = 1;
	while (ns > 0) {
		int32_t v = stack[--ns], k[2];
		size_t j;

		if (e->left[v] < 0) {
			if (why[0] == '\0' && !(e->cover[v] >= 0))
				snprintf(why, 200, "a tree of the model has no training cover "
				    "(recordCount) on every leaf 'Node'");
			continue;
		}
		k[0] = e->left[v];
		k[1] = e->right[v];
		for (j = 0; j < 2; j++)
			if (indeg[k[j]]++ == 0)
				stack[ns++] = k[j];
	}
	if (why[0] == '\0') {
		for (i = 0; i < nn; i++)
			if (indeg[i] > 0)
				(void)cover_of(e, (int32_t)i);
		for (i = 0; i < nn && why[0] == '\0'; i++)
			if (indeg[i] > 1 && e->cover[i] > 0)
				snprintf(why, 200, "a tree of the model leads two paths to the "
				    "same node (a compound predicate compiled to several tests), "
				    "so that node's training cover is not defined");
	}
	rc = 0;
done:
	free(indeg);
	free(stack);
	return rc;
}

static int
add_tree(struct pm_trees *ts, const struct pm_doc *d, const struct pm_tree *t, int kind,
    double w, char *why)
{
	struct pm_etree *e = &ts->et[ts->n];
	struct aud_tree *at = &ts->trees[ts->n];
	size_t nn = t->ntest + t->nleaf, i;

	int32_t root;

	e->t = t;
	e->d = d;
	e->feature = malloc(nn * sizeof(*e->feature));
	e->fcast = malloc(nn);
	e->value = malloc(nn * sizeof(*e->value));
	e->map = malloc(nn * sizeof(*e->map));
	e->inv = malloc(nn * sizeof(*e->inv));
	if (e->feature == NULL || e->fcast == NULL || e->value == NULL || e->map == NULL ||
	    e->inv == NULL) {
		etree_free(e);
		snprintf(why, 200, "out of memory");
		return -1;
	}
	/* tree.h wants the root at node 0: swap it with internal node 0 */
	root = t->root >= 0 ? t->root : (int32_t)t->ntest + ~t->root;
	for (i = 0; i < nn; i++)
		e->map[i] = (int32_t)i;
	e->map[0] = root;
	e->map[root] = 0;
	for (i = 0; i < nn; i++)
		e->inv[e->map[i]] = (int32_t)i;
	for (i = 0; i < t->ntest; i++) {
		int fl;
		int32_t f = slot_feature(d, t->tests[i].slot, &fl);
		if (f < 0) {
			snprintf(why, 200, "a tree tests the derived field '%s', not a model feature",
			    d->slots[t->tests[i].slot].name);
			etree_free(e);
			return -1;
		}
		if (d->dfs[d->in_df[f]].categorical && d->nfcats[f] == 0) {
			snprintf(why, 200, "the categorical feature '%s' declares no values",
			    d->dfs[d->in_df[f]].name);
			etree_free(e);
			return -1;
		}
		e->feature[e->map[i]] = f;
		e->fcast[e->map[i]] = (uint8_t)fl;
		e->value[e->map[i]] = NAN;
	}
	for (i = 0; i < t->nleaf; i++) {
		const struct pm_leaf *l = &t->leaves[i];
		double v;
		e->feature[e->map[t->ntest + i]] = -1;
		e->fcast[e->map[t->ntest + i]] = 0;
		if (kind == 0) {
			v = l->value;
		} else if (kind == 1) {
			if (l->prob >= 0)
				v = t->probs[l->prob + d->positive];
			else
				v = isnan(l->value) ? NAN : l->value == d->cats[d->positive] ? 1 : 0;
		} else {
			v = isnan(l->value) ? NAN : l->value == d->cats[d->positive] ? 1 : 0;
		}
		e->value[e->map[t->ntest + i]] = v;
	}
	at->nnodes = nn;
	at->feature = e->feature;
	at->value = e->value;
	at->child = pm_tree_child;
	at->impl = e;
	if (add_cover(e, nn, ts->no_cover) < 0) {
		etree_free(e);
		snprintf(why, 200, "out of memory");
		return -1;
	}
	at->left = e->left;
	at->right = e->right;
	at->cover = e->cover;
	ts->weight[ts->n] = w;
	ts->n++;
	return 0;
}

/* Trees of an unlinked model m whose output is base + sum w*leaf. */
static int
collect(struct pm_trees *ts, const struct pm_doc *d, const struct pm_model *m, double scale,
    double *base, char *why)
{
	size_t i;
	double tot = 0;

	if (!steps_are_copies(d, m)) {
		snprintf(why, 200, "'%s' (line %d) computes derived fields the trees depend on",
		    m->name, (int)m->line);
		return -1;
	}
	if (!m->classification && m->has_rescale) {
		*base += scale * m->rconst;
		scale *= m->rfactor;
		if (m->cast_int || isfinite(m->tmin) || isfinite(m->tmax)) {
			snprintf(why, 200, "'%s' clamps or rounds its target", m->name);
			return -1;
		}
	}
	if (m->kind == MK_TREE && m->tree.fork) {
		snprintf(why, 200, "'%s' (line %d) follows several branches for missing values",
		    m->name, (int)m->line);
		return -1;
	}
	if (m->kind == MK_TREE)
		return add_tree(ts, d, &m->tree, m->classification ? 1 : 0, scale, why);
	if (m->kind != MK_MINING) {
		snprintf(why, 200, "'%s' (line %d) is not a tree", m->name, (int)m->line);
		return -1;
	}
	if (m->method != MM_SUM && m->method != MM_AVERAGE && m->method != MM_WAVERAGE &&
	    m->method != MM_MAJORITY && m->method != MM_WMAJORITY) {
		snprintf(why, 200, "segmentation of '%s' (line %d) is not a sum or an average",
		    m->name, (int)m->line);
		return -1;
	}
	for (i = 0; i < m->nseg; i++) {
		if (!pred_true(&m->segs[i].pred)) {
			snprintf(why, 200, "a segment of '%s' (line %d) has a predicate", m->name,
			    (int)m->line);
			return -1;
		}
		tot += m->method == MM_WAVERAGE || m->method == MM_WMAJORITY ? m->segs[i].weight : 1;
	}
	for (i = 0; i < m->nseg; i++) {
		const struct pm_model *s = m->segs[i].model;
		double w = scale;
		if (m->method == MM_AVERAGE || m->method == MM_MAJORITY)
			w = scale / tot;
		else if (m->method == MM_WAVERAGE || m->method == MM_WMAJORITY)
			w = scale * m->segs[i].weight / tot;
		if (m->method == MM_MAJORITY || m->method == MM_WMAJORITY) {
			if (s->kind != MK_TREE || s->tree.fork || !steps_are_copies(d, s)) {
				snprintf(why, 200, "a vote of models that are not trees");
				return -1;
			}
			if (add_tree(ts, d, &s->tree, 2, w, why) < 0)
				return -1;
			continue;
		}
		if (collect(ts, d, s, w, base, why) < 0)
			return -1;
	}
	return 0;
}

static size_t
count_trees(const struct pm_model *m)
{
	size_t i, n = 0;

	if (m->kind == MK_TREE)
		return 1;
	if (m->kind != MK_MINING)
		return 0;
	for (i = 0; i < m->nseg; i++)
		n += count_trees(m->segs[i].model);
	return n;
}

int
aud__pm_trees_build(struct pm_doc *d, struct aud_error *err)
{
	struct pm_trees *ts;
	const struct pm_model *m = d->top, *ens = m;
	double scale = 1, base = 0, a = 0;
	int is_margin = 0;
	size_t n;

	d->trees = NULL;
	snprintf(d->trees_why, sizeof(d->trees_why), "the model is not a tree ensemble");
	if (m->kind == MK_MINING && m->method == MM_CHAIN) {
		/* [tree ensemble] -> binary logistic RegressionModel on its output */
		const struct pm_model *first, *last;
		const struct pm_rtable *t0;
		const struct pm_factor *f;
		if (m->nseg != 2 || !pred_true(&m->segs[0].pred) || !pred_true(&m->segs[1].pred) ||
		    !steps_are_copies(d, m))
			return 0;
		first = m->segs[0].model;
		last = m->segs[1].model;
		if (first->classification || first->nouts != 1 || last->kind != MK_REGRESSION ||
		    !last->classification || last->norm != N_LOGIT || last->ntables != 2 ||
		    d->ncat != 2 || last->nsteps != 0)
			return 0;
		t0 = &last->tables[0];
		if (t0->tn != 1 || last->tables[1].tn != 0 || last->tables[1].intercept != 0)
			return 0;
		f = &last->fac[last->terms[t0->t0].f0];
		if (last->terms[t0->t0].fn != 1 || f->kind != 0 || f->v != 1 ||
		    f->slot != first->outs[0].slot || first->outs[0].feature != OF_PREDICTED)
			return 0;
		scale = last->terms[t0->t0].coef;
		a = t0->intercept;
		if (t0->cat != d->positive) {
			scale = -scale;
			a = -a;
		}
		ens = first;
		is_margin = 1;
	}
	n = count_trees(ens);
	if (n == 0)
		return 0;
	ts = calloc(1, sizeof(*ts));
	if (ts == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	ts->trees = calloc(n, sizeof(*ts->trees));
	ts->weight = calloc(n, sizeof(*ts->weight));
	ts->et = calloc(n, sizeof(*ts->et));
	if (ts->trees == NULL || ts->weight == NULL || ts->et == NULL) {
		d->trees = ts;
		aud__pm_trees_free(d);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	if (collect(ts, d, ens, scale, &base, d->trees_why) < 0) {
		d->trees = ts;
		aud__pm_trees_free(d);
		return 0;
	}
	ts->ens.ntrees = ts->n;
	ts->ens.trees = ts->trees;
	ts->ens.weight = ts->weight;
	ts->ens.base = base + a;
	ts->ens.is_margin = is_margin;
	if (ts->no_cover[0] != '\0') {
		/* all or nothing: a model has cover when every tree has it */
		size_t i;

		for (i = 0; i < ts->n; i++)
			ts->trees[i].cover = NULL;
		ts->ens.no_cover = ts->no_cover;
	}
	d->trees = ts;
	return 0;
}

void
aud__pm_trees_free(struct pm_doc *d)
{
	struct pm_trees *ts = d->trees;
	size_t i;

	if (ts == NULL)
		return;
	for (i = 0; i < ts->n; i++)
		etree_free(&ts->et[i]);
	free(ts->trees);
	free(ts->weight);
	free(ts->et);
	free(ts);
	d->trees = NULL;
}

int
aud__pm_trees(const void *impl, const struct aud_tree_ensemble **out,
    struct aud_error *err)
{
	const struct pm_doc *d = impl;

	*out = NULL;
	if (d->trees == NULL)
		return AUD_ERROR(err, AUD_EUNSUPPORTED, "no trees for Tree SHAP: %s", d->trees_why);
	*out = &d->trees->ens;
	return 0;
}

static size_t
pm_tree_child(const struct aud_tree *t, size_t node, const double *x)
{
	const struct pm_etree *e = t->impl;
	const struct pm_doc *d = e->d;
	const struct pm_tnode *n = &e->t->tests[e->inv[node]];
	int32_t f = e->feature[node], next;
	const struct pm_datafield *df = &d->dfs[d->in_df[f]];
	double v = x[f];

	if (!isnan(v)) {
		if (df->categorical) {
			long idx = (long)v;
			if (idx >= 0 && (size_t)idx < d->nfcats[f])
				v = d->fcats[f][idx];
			else
				/* unseen: kept as such (-1: a string equal to no constant) when
				 * the field takes invalid values as they are, else missing */
				v = PT_IS_STR(df->type) && d->in_invalid[f] == INV_ASIS ? -1 : NAN;
		} else if (e->fcast[node]) {
			v = (double)(float)v;
		}
	}
	next = n->next[aud__pm_test(e->t, n, v)];
	return (size_t)e->map[next >= 0 ? next : (int32_t)e->t->ntest + ~next];
}

/* ---- feature categories ---- */

static int
add_cat(struct pm_doc *d, size_t f, double v)
{
	size_t i;
	double *n;

	for (i = 0; i < d->nfcats[f]; i++)
		if (d->fcats[f][i] == v)
			return 0;
	n = realloc(d->fcats[f], (d->nfcats[f] + 1) * sizeof(*n));
	if (n == NULL)
		return -1;
	d->fcats[f] = n;
	n[d->nfcats[f]++] = v;
	return 0;
}

static int
tree_cats(struct pm_doc *d, const struct pm_tree *t)
{
	size_t i, k;

	for (i = 0; i < t->ntest; i++) {
		const struct pm_tnode *n = &t->tests[i];
		int fl;
		int32_t f = slot_feature(d, n->slot, &fl);
		if (f < 0 || !d->dfs[d->in_df[f]].categorical || d->dfs[d->in_df[f]].nvalid > 0)
			continue;
		if (n->op == OP_EQ || n->op == OP_NE) {
			if (add_cat(d, (size_t)f, n->t) < 0)
				return -1;
		} else if (n->op == OP_IN || n->op == OP_NOTIN) {  /* before aud__pm_set_bits() */
			for (k = 0; k < n->nset; k++)
				if (add_cat(d, (size_t)f, t->set[(size_t)n->t + k]) < 0)
					return -1;
		}
	}
	return 0;
}

static int
model_cats(struct pm_doc *d, const struct pm_model *m)
{
	size_t i;

	if (m->kind == MK_TREE && tree_cats(d, &m->tree) < 0)
		return -1;
	for (i = 0; i < m->nseg; i++)
		if (tree_cats(d, &m->segs[i].pred) < 0 || model_cats(d, m->segs[i].model) < 0)
			return -1;
	return 0;
}

int
aud__pm_feature_cats(struct pm_doc *d, struct aud_error *err)
{
	size_t f, i;

	d->fcats = calloc(d->nfeat + 1, sizeof(*d->fcats));
	d->nfcats = calloc(d->nfeat + 1, sizeof(*d->nfcats));
	if (d->fcats == NULL || d->nfcats == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (f = 0; f < d->nfeat; f++) {
		const struct pm_datafield *df = &d->dfs[d->in_df[f]];
		for (i = 0; i < df->nvalid; i++)
			if (add_cat(d, f, df->valid[i]) < 0)
				return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	if (model_cats(d, d->top) < 0)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	return 0;
}
