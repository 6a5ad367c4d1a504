/*
 * xgb_load.c — XGBoost JSON boosters (xgb.h): read with cJSON, validated,
 * scored in float32 as XGBoost's CPU predictor does, and their trees exposed
 * through tree.h for Tree SHAP.
 *
 * A dart booster is a gbtree whose trees carry weights (weight_drop): each
 * tree's leaf value is multiplied by its weight in float before it is added,
 * as XGBoost's dart prediction does; tree.h gets the weights as the trees'.
 *
 * Every tree is kept as XGBoost keeps it: per node the left and right child
 * (-1 at a leaf), the feature tested, the split condition (at a leaf: the
 * leaf value, already scaled by the learning rate), the default direction and
 * the training cover (sum_hessian). A malformed file is refused with the JSON
 * path of the offending value, e.g. "learner.gradient_booster.model.trees[3].
 * left_children[7]".
 *
 * Numbers are read by cJSON as doubles and rounded to float here; XGBoost
 * writes each float as the shortest decimal that reads back as that float, so
 * the rounding gives the float it wrote.
 */
#include <audit/xgb.h>

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <audit/batch.h>
#include <audit/dict.h>
#include <audit/json.h>
#include <audit/model.h>
#include <audit/tree.h>

#include "model_impl.h"

enum xg_link { XG_IDENTITY, XG_SIGMOID, XG_EXP };

struct xg_tree {
	size_t n;
	int32_t *left;     /* -1 at a leaf */
	int32_t *right;
	int32_t *feat;     /* feature tested; -1 at a leaf (tree.h's feature array) */
	float *cond;       /* split condition, or the leaf value */
	uint8_t *dleft;    /* missing goes left */
	double *value;     /* leaf value as a double (tree.h), 0 at internal nodes */
	double *cover;     /* sum_hessian, or NULL */
};

struct xg_model {
	size_t nfeat;
	size_t ntrees;
	struct xg_tree *t;
	float *tw;         /* dart: per tree weight_drop; NULL for gbtree */
	float base_margin;
	enum xg_link link;
	int named;         /* the model gave feature names */
	char **names;      /* borrowed from the model's features */
	struct aud_tree *atrees;
	double *weight;
	struct aud_tree_ensemble ens;
};

/* The objectives read, their link and whether they are classifiers. */
static const struct {
	const char *name;
	enum xg_link link;
	int classifier;
} objectives[] = {
	{ "binary:logistic", XG_SIGMOID, 1 },
	{ "reg:logistic", XG_SIGMOID, 0 },
	{ "reg:squarederror", XG_IDENTITY, 0 },
	{ "reg:linear", XG_IDENTITY, 0 },
	{ "reg:squaredlogerror", XG_IDENTITY, 0 },
	{ "reg:pseudohubererror", XG_IDENTITY, 0 },
	{ "reg:absoluteerror", XG_IDENTITY, 0 },
	{ "count:poisson", XG_EXP, 0 },
	{ "reg:gamma", XG_EXP, 0 },
	{ "reg:tweedie", XG_EXP, 0 },
};

static void
tree_free(struct xg_tree *t)
{
	free(t->left);
	free(t->right);
	free(t->feat);
	free(t->cond);
	free(t->dleft);
	free(t->value);
	free(t->cover);
}

static void
xg_free(void *impl)
{
	struct xg_model *x = impl;
	size_t i;

	if (x == NULL)
		return;
	for (i = 0; i < x->ntrees; i++)
		tree_free(&x->t[i]);
	free(x->t);
	free(x->tw);
	free(x->atrees);
	free(x->weight);
	free(x->names);
	free(x);
}

/* ---- scoring ---- */

/* XGBoost's float sigmoid (common::Sigmoid of 1.7). */
static float
sigmoidf(float m)
{
	float x = -m, denom;

	if (x > 88.7f)
		x = 88.7f;
	denom = expf(x) + 1.0f;
	denom = denom + 1e-16f;
	return 1.0f / denom;
}

/*
 * A double rounded to float as IEEE 754 does it (to nearest, overflowing to
 * infinity), without a conversion of an out-of-range value, which C leaves
 * undefined: at or past FLT_MAX + half its ulp the result is infinite.
 */
static float
to_float(double v)
{
	if (v >= 0x1.ffffffp127)
		return INFINITY;
	if (v <= -0x1.ffffffp127)
		return -INFINITY;
	return (float)v;
}

static size_t
next_node(const struct xg_tree *t, size_t node, float v)
{
	if (isnan(v))
		return (size_t)(t->dleft[node] ? t->left[node] : t->right[node]);
	return (size_t)(v < t->cond[node] ? t->left[node] : t->right[node]);
}

static float
tree_leaf(const struct xg_tree *t, const float *x)
{
	size_t node = 0;

	while (t->left[node] >= 0)
		node = next_node(t, node, x[t->feat[node]]);
	return t->cond[node];
}

/* A number read from a text column: the whole string, else an error. */
static int
text_number(float *out, const struct aud_column *c, int32_t code, size_t row,
    const struct aud_batch *b, struct aud_error *err)
{
	const char *s;
	char *end;
	double v;

	if (code < 0) {
		*out = NAN;
		return 0;
	}
	s = aud_dict_str(c->dict, code);
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0')
		return AUD_ERROR(err, AUD_EPARSE,
		    "row %llu: column '%s' holds '%s', not a number (an XGBoost model reads numbers)",
		    (unsigned long long)(b->first_row + row + 1), c->name, s);
	*out = to_float(v);
	return 0;
}

static int
xg_predict(const void *impl, const struct aud_batch *b, double *score, double *margin,
    struct aud_error *err)
{
	const struct xg_model *x = impl;
	long *cols = NULL;
	float *row = NULL;
	size_t f, r, t;
	int rc = 0;

	cols = calloc(x->nfeat + 1, sizeof(*cols));
	row = calloc(x->nfeat + 1, sizeof(*row));
	if (cols == NULL || row == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (f = 0; f < x->nfeat; f++) {
		cols[f] = aud_batch_find(b, x->names[f]);
		if (cols[f] < 0) {
			if (x->named)
				rc = AUD_ERROR(err, AUD_ENOTFOUND,
				    "the model's feature '%s' is not a column of the input",
				    x->names[f]);
			else
				rc = AUD_ERROR(err, AUD_ENOTFOUND,
				    "the model's feature '%s' is not a column of the input (the "
				    "XGBoost model has no feature names: its %zu features are "
				    "read from columns f0 to f%zu)",
				    x->names[f], x->nfeat, x->nfeat - 1);
			goto done;
		}
	}
	for (r = 0; r < b->nrows; r++) {
		float m = x->base_margin, s;

		for (f = 0; f < x->nfeat; f++) {
			const struct aud_column *c = &b->cols[cols[f]];

			if (c->kind == AUD_COL_NUMERIC) {
				row[f] = to_float(c->num[r]);
			} else {
				rc = text_number(&row[f], c, c->code[r], r, b, err);
				if (rc < 0)
					goto done;
			}
		}
		if (x->tw == NULL) {
			for (t = 0; t < x->ntrees; t++)
				m += tree_leaf(&x->t[t], row);
		} else {
			/* dart: each tree's output times its weight, in float */
			for (t = 0; t < x->ntrees; t++) {
				float p = tree_leaf(&x->t[t], row) * x->tw[t];

				m += p;
			}
		}
		switch (x->link) {
		case XG_SIGMOID:
			s = sigmoidf(m);
			break;
		case XG_EXP:
			s = expf(m);
			break;
		default:
			s = m;
			break;
		}
		score[r] = (double)s;
		if (margin != NULL)
			margin[r] = (double)m;
	}
done:
	free(cols);
	free(row);
	return rc;
}

/* ---- trees for tree.h ---- */

static size_t
xg_child(const struct aud_tree *at, size_t node, const double *x)
{
	const struct xg_tree *t = at->impl;

	return next_node(t, node, to_float(x[t->feat[node]]));
}

static int
xg_trees(const void *impl, const struct aud_tree_ensemble **out, struct aud_error *err)
{
	const struct xg_model *x = impl;

	(void)err;
	*out = &x->ens;
	return 0;
}

static const struct aud_model_ops xg_ops = { xg_predict, xg_free, xg_trees };

int
aud_xgb_is_xgb(const struct aud_model *m)
{
	return m != NULL && m->ops == &xg_ops;
}

int
aud_xgb_column_hint(const struct aud_model *m, int rc, struct aud_error *err)
{
	const struct xg_model *x;
	char msg[sizeof(err->msg)];

	if (rc != AUD_ENOTFOUND || err == NULL || !aud_xgb_is_xgb(m))
		return rc;
	x = m->impl;
	if (x->named || x->nfeat == 0)
		return rc;
	snprintf(msg, sizeof(msg), "%s", err->msg);
	return AUD_ERROR(err, rc, "%s (the XGBoost model has no feature names: its %zu features "
	    "are read from columns f0 to f%zu)", msg, x->nfeat, x->nfeat - 1);
}

/* ---- reading ---- */

/* The reading context: the file's name and the JSON path for messages. */
struct rd {
	const char *name;
	struct aud_error *err;
};

static int
bad(struct rd *rd, const char *path, const char *what)
{
	return AUD_ERROR(rd->err, AUD_EPARSE, "%s: %s: %s", rd->name, path, what);
}

/* obj[key] of the given cJSON type; NULL (and an error) when absent or of another type. */
static const cJSON *
member(struct rd *rd, const cJSON *obj, const char *path, const char *key, int type,
    const char *tname, int *rc)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (c == NULL) {
		*rc = AUD_ERROR(rd->err, AUD_EPARSE, "%s: %s: no '%s' (not an XGBoost JSON model?)",
		    rd->name, path, key);
		return NULL;
	}
	if ((c->type & 0xFF) != type) {
		*rc = AUD_ERROR(rd->err, AUD_EPARSE, "%s: %s.%s: not %s", rd->name, path, key,
		    tname);
		return NULL;
	}
	return c;
}

/* A whole number from a JSON number, or from a string holding one (XGBoost's params). */
static int
whole(struct rd *rd, const cJSON *c, const char *path, long long lo, long long hi,
    long long *out)
{
	double v;

	if (cJSON_IsString(c)) {
		char *end;
		long long k;

		errno = 0;
		k = strtoll(c->valuestring, &end, 10);
		if (end == c->valuestring || *end != '\0' || errno != 0 || k < lo || k > hi)
			return AUD_ERROR(rd->err, AUD_EPARSE, "%s: %s: '%s' is not a whole number "
			    "from %lld to %lld", rd->name, path, c->valuestring, lo, hi);
		*out = k;
		return 0;
	}
	if (!cJSON_IsNumber(c))
		return bad(rd, path, "not a number");
	v = c->valuedouble;
	if (!(v >= (double)lo && v <= (double)hi) || v != floor(v))
		return AUD_ERROR(rd->err, AUD_EPARSE, "%s: %s: %.17g is not a whole number from "
		    "%lld to %lld", rd->name, path, v, lo, hi);
	*out = (long long)v;
	return 0;
}

/* An array member of exactly n items (n == SIZE_MAX: any), its size in *len. */
static const cJSON *
array_of(struct rd *rd, const cJSON *obj, const char *path, const char *key, size_t n,
    size_t *len, int *rc)
{
	const cJSON *a = member(rd, obj, path, key, cJSON_Array, "an array", rc);
	int size;

	if (a == NULL)
		return NULL;
	size = cJSON_GetArraySize(a);
	if (n != SIZE_MAX && (size_t)size != n) {
		*rc = AUD_ERROR(rd->err, AUD_EPARSE, "%s: %s.%s: %d items where %zu are expected",
		    rd->name, path, key, size, n);
		return NULL;
	}
	*len = (size_t)size;
	return a;
}

/* Read one tree (JSON object jt, path "...trees[i]"). */
static int
read_tree(struct rd *rd, struct xg_tree *t, const cJSON *jt, const char *path, size_t nfeat)
{
	const cJSON *a_left, *a_right, *a_idx, *a_cond, *a_dl, *a_hess = NULL, *c, *tp;
	char p[256];
	size_t n = 0, len, i, k;
	size_t *stack = NULL, top = 0;
	uint8_t *seen = NULL;
	int rc = 0;

	if (!cJSON_IsObject(jt))
		return bad(rd, path, "not an object");
	a_left = array_of(rd, jt, path, "left_children", SIZE_MAX, &n, &rc);
	if (a_left == NULL)
		return rc;
	if (n == 0)
		return bad(rd, path, "a tree without nodes");
	if (n > (size_t)INT32_MAX)
		return bad(rd, path, "too many nodes");
	a_right = array_of(rd, jt, path, "right_children", n, &len, &rc);
	if (a_right == NULL)
		return rc;
	a_idx = array_of(rd, jt, path, "split_indices", n, &len, &rc);
	if (a_idx == NULL)
		return rc;
	a_cond = array_of(rd, jt, path, "split_conditions", n, &len, &rc);
	if (a_cond == NULL)
		return rc;
	a_dl = array_of(rd, jt, path, "default_left", n, &len, &rc);
	if (a_dl == NULL)
		return rc;
	if (cJSON_GetObjectItemCaseSensitive(jt, "sum_hessian") != NULL) {
		a_hess = array_of(rd, jt, path, "sum_hessian", n, &len, &rc);
		if (a_hess == NULL)
			return rc;
	}
	c = cJSON_GetObjectItemCaseSensitive(jt, "split_type");
	if (c != NULL) {
		const cJSON *s;

		if (!cJSON_IsArray(c))
			return AUD_ERROR(rd->err, AUD_EPARSE, "%s: %s.split_type: not an array",
			    rd->name, path);
		k = 0;
		cJSON_ArrayForEach(s, c) {
			if (!cJSON_IsNumber(s) || s->valuedouble != 0)
				return AUD_ERROR(rd->err, AUD_EUNSUPPORTED, "%s: %s.split_type[%zu]: "
				    "a categorical split (XGBoost categorical features are not "
				    "supported: one-hot encode them)", rd->name, path, k);
			k++;
		}
	}
	c = cJSON_GetObjectItemCaseSensitive(jt, "categories_nodes");
	if (c != NULL && cJSON_GetArraySize(c) > 0)
		return AUD_ERROR(rd->err, AUD_EUNSUPPORTED, "%s: %s.categories_nodes: categorical "
		    "splits are not supported (one-hot encode the feature)", rd->name, path);
	tp = cJSON_GetObjectItemCaseSensitive(jt, "tree_param");
	if (tp != NULL && cJSON_IsObject(tp)) {
		long long nn;

		c = cJSON_GetObjectItemCaseSensitive(tp, "num_nodes");
		if (c != NULL) {
			snprintf(p, sizeof(p), "%s.tree_param.num_nodes", path);
			rc = whole(rd, c, p, 0, INT32_MAX, &nn);
			if (rc < 0)
				return rc;
			if ((size_t)nn != n)
				return AUD_ERROR(rd->err, AUD_EPARSE, "%s: %s: %lld nodes where "
				    "left_children has %zu", rd->name, p, nn, n);
		}
	}
	t->n = n;
	t->left = malloc(n * sizeof(*t->left));
	t->right = malloc(n * sizeof(*t->right));
	t->feat = malloc(n * sizeof(*t->feat));
	t->cond = malloc(n * sizeof(*t->cond));
	t->dleft = malloc(n * sizeof(*t->dleft));
	t->value = calloc(n, sizeof(*t->value));
	if (a_hess != NULL)
		t->cover = malloc(n * sizeof(*t->cover));
	seen = calloc(n, 1);
	stack = malloc(n * sizeof(*stack));
	if (t->left == NULL || t->right == NULL || t->feat == NULL || t->cond == NULL ||
	    t->dleft == NULL || t->value == NULL || (a_hess != NULL && t->cover == NULL) ||
	    seen == NULL || stack == NULL) {
		rc = AUD_ERROR(rd->err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	{
		const cJSON *l = a_left->child, *r = a_right->child, *ix = a_idx->child,
		    *cd = a_cond->child, *dl = a_dl->child, *h = a_hess ? a_hess->child : NULL;
		long long v;

		for (i = 0; i < n; i++) {
			snprintf(p, sizeof(p), "%s.left_children[%zu]", path, i);
			rc = whole(rd, l, p, -1, (long long)n - 1, &v);
			if (rc < 0)
				goto done;
			t->left[i] = (int32_t)v;
			snprintf(p, sizeof(p), "%s.right_children[%zu]", path, i);
			rc = whole(rd, r, p, -1, (long long)n - 1, &v);
			if (rc < 0)
				goto done;
			t->right[i] = (int32_t)v;
			if ((t->left[i] < 0) != (t->right[i] < 0)) {
				rc = AUD_ERROR(rd->err, AUD_EPARSE, "%s: %s.left_children[%zu]: node "
				    "%zu has one child (left %d, right %d)", rd->name, path, i, i,
				    (int)t->left[i], (int)t->right[i]);
				goto done;
			}
			snprintf(p, sizeof(p), "%s.split_indices[%zu]", path, i);
			rc = whole(rd, ix, p, 0, INT32_MAX, &v);
			if (rc < 0)
				goto done;
			if (t->left[i] >= 0 && (size_t)v >= nfeat) {
				rc = AUD_ERROR(rd->err, AUD_EPARSE, "%s: %s: feature %lld, but the "
				    "model has %zu features", rd->name, p, v, nfeat);
				goto done;
			}
			t->feat[i] = t->left[i] >= 0 ? (int32_t)v : -1;
			snprintf(p, sizeof(p), "%s.split_conditions[%zu]", path, i);
			if (!cJSON_IsNumber(cd)) {
				rc = bad(rd, p, "not a number");
				goto done;
			}
			t->cond[i] = to_float(cd->valuedouble);
			if (!isfinite(t->cond[i])) {
				rc = AUD_ERROR(rd->err, AUD_EPARSE, "%s: %s: %g is not a finite float",
				    rd->name, p, cd->valuedouble);
				goto done;
			}
			if (t->left[i] < 0)
				t->value[i] = (double)t->cond[i];
			snprintf(p, sizeof(p), "%s.default_left[%zu]", path, i);
			if (cJSON_IsBool(dl)) {
				t->dleft[i] = cJSON_IsTrue(dl) ? 1 : 0;
			} else {
				rc = whole(rd, dl, p, 0, 1, &v);
				if (rc < 0)
					goto done;
				t->dleft[i] = (uint8_t)v;
			}
			if (h != NULL) {
				snprintf(p, sizeof(p), "%s.sum_hessian[%zu]", path, i);
				if (!cJSON_IsNumber(h) || !(h->valuedouble >= 0) ||
				    !isfinite(to_float(h->valuedouble))) {
					rc = bad(rd, p, "not a finite float >= 0");
					goto done;
				}
				t->cover[i] = (double)to_float(h->valuedouble);
				h = h->next;
			}
			l = l->next;
			r = r->next;
			ix = ix->next;
			cd = cd->next;
			dl = dl->next;
		}
	}
	/* a tree: from the root every node is reached at most once (no cycle, no sharing) */
	seen[0] = 1;
	stack[top++] = 0;
	while (top > 0) {
		size_t node = stack[--top], side;

		if (t->left[node] < 0)
			continue;
		for (side = 0; side < 2; side++) {
			size_t ch = (size_t)(side ? t->right[node] : t->left[node]);

			if (seen[ch]) {
				rc = AUD_ERROR(rd->err, AUD_EPARSE, "%s: %s.%s[%zu]: node %zu is "
				    "reached twice (the nodes do not form a tree)", rd->name, path,
				    side ? "right_children" : "left_children", node, ch);
				goto done;
			}
			seen[ch] = 1;
			stack[top++] = ch;
		}
	}
done:
	free(seen);
	free(stack);
	return rc;
}

/* Find the objective and set the link, the task and the base margin. */
static int
read_learner_params(struct rd *rd, const cJSON *learner, struct xg_model *x, int *classifier,
    size_t *nfeat)
{
	const cJSON *obj, *name, *lmp, *bs, *c;
	const char *P = "learner";
	long long v;
	size_t i;
	float base;
	char *end;
	int rc = 0;

	obj = member(rd, learner, P, "objective", cJSON_Object, "an object", &rc);
	if (obj == NULL)
		return rc;
	name = member(rd, obj, "learner.objective", "name", cJSON_String, "a string", &rc);
	if (name == NULL)
		return rc;
	for (i = 0; i < sizeof(objectives) / sizeof(objectives[0]); i++)
		if (strcmp(name->valuestring, objectives[i].name) == 0)
			break;
	if (i == sizeof(objectives) / sizeof(objectives[0])) {
		const char *why = strncmp(name->valuestring, "multi:", 6) == 0 ?
		    "multi-class models are not supported: the tools score binary classifiers "
		    "and regression models" :
		    "supported: binary:logistic, reg:logistic, reg:squarederror, "
		    "reg:squaredlogerror, reg:pseudohubererror, reg:absoluteerror, "
		    "count:poisson, reg:gamma, reg:tweedie";
		return AUD_ERROR(rd->err, AUD_EUNSUPPORTED, "%s: learner.objective.name: "
		    "objective '%s' is not supported (%s)", rd->name, name->valuestring, why);
	}
	x->link = objectives[i].link;
	*classifier = objectives[i].classifier;

	lmp = member(rd, learner, P, "learner_model_param", cJSON_Object, "an object", &rc);
	if (lmp == NULL)
		return rc;
	c = cJSON_GetObjectItemCaseSensitive(lmp, "num_class");
	if (c != NULL) {
		rc = whole(rd, c, "learner.learner_model_param.num_class", 0, INT32_MAX, &v);
		if (rc < 0)
			return rc;
		if (v > 1)
			return AUD_ERROR(rd->err, AUD_EUNSUPPORTED, "%s: learner.learner_model_param."
			    "num_class: a model of %lld classes is not supported: the tools score "
			    "binary classifiers and regression models", rd->name, v);
	}
	c = cJSON_GetObjectItemCaseSensitive(lmp, "num_target");
	if (c != NULL) {
		rc = whole(rd, c, "learner.learner_model_param.num_target", 0, INT32_MAX, &v);
		if (rc < 0)
			return rc;
		if (v > 1)
			return AUD_ERROR(rd->err, AUD_EUNSUPPORTED, "%s: learner.learner_model_param."
			    "num_target: a model of %lld targets is not supported", rd->name, v);
	}
	c = member(rd, lmp, "learner.learner_model_param", "num_feature", cJSON_String,
	    "a string", &rc);
	if (c == NULL)
		return rc;
	rc = whole(rd, c, "learner.learner_model_param.num_feature", 1, 1000000, &v);
	if (rc < 0)
		return rc;
	*nfeat = (size_t)v;
	bs = member(rd, lmp, "learner.learner_model_param", "base_score", cJSON_String,
	    "a string", &rc);
	if (bs == NULL)
		return rc;
	errno = 0;
	base = strtof(bs->valuestring, &end);
	if (end == bs->valuestring || *end != '\0' || !isfinite(base))
		return AUD_ERROR(rd->err, AUD_EPARSE, "%s: learner.learner_model_param.base_score: "
		    "'%s' is not a finite number", rd->name, bs->valuestring);
	switch (x->link) {
	case XG_SIGMOID:
		if (!(base > 0.0f && base < 1.0f))
			return AUD_ERROR(rd->err, AUD_EPARSE, "%s: learner.learner_model_param."
			    "base_score: '%s' is not in (0, 1), as a logistic objective needs",
			    rd->name, bs->valuestring);
		x->base_margin = -logf(1.0f / base - 1.0f);
		break;
	case XG_EXP:
		if (!(base > 0.0f))
			return AUD_ERROR(rd->err, AUD_EPARSE, "%s: learner.learner_model_param."
			    "base_score: '%s' is not positive, as a log-link objective needs",
			    rd->name, bs->valuestring);
		x->base_margin = logf(base);
		break;
	default:
		x->base_margin = base;
		break;
	}
	return 0;
}

/* feature_names (may be empty: f0, f1, ...) and feature_types (no categorical ones). */
static int
read_features(struct rd *rd, const cJSON *learner, struct aud_model *m, struct xg_model *x)
{
	const cJSON *a, *s;
	size_t n, i, j;
	char p[96];
	int rc = 0;

	a = cJSON_GetObjectItemCaseSensitive(learner, "feature_types");
	if (a != NULL) {
		if (!cJSON_IsArray(a))
			return bad(rd, "learner.feature_types", "not an array");
		n = (size_t)cJSON_GetArraySize(a);
		if (n != 0 && n != x->nfeat)
			return AUD_ERROR(rd->err, AUD_EPARSE, "%s: learner.feature_types: %zu "
			    "types for %zu features", rd->name, n, x->nfeat);
		i = 0;
		cJSON_ArrayForEach(s, a) {
			snprintf(p, sizeof(p), "learner.feature_types[%zu]", i);
			if (!cJSON_IsString(s))
				return bad(rd, p, "not a string");
			if (strcmp(s->valuestring, "c") == 0)
				return AUD_ERROR(rd->err, AUD_EUNSUPPORTED, "%s: %s: a categorical "
				    "feature (XGBoost categorical features are not supported: "
				    "one-hot encode it)", rd->name, p);
			if (strcmp(s->valuestring, "float") != 0 && strcmp(s->valuestring, "int") != 0 &&
			    strcmp(s->valuestring, "i") != 0 && strcmp(s->valuestring, "q") != 0)
				return AUD_ERROR(rd->err, AUD_EUNSUPPORTED, "%s: %s: feature type '%s' "
				    "is not supported", rd->name, p, s->valuestring);
			i++;
		}
	}
	a = cJSON_GetObjectItemCaseSensitive(learner, "feature_names");
	n = 0;
	if (a != NULL) {
		if (!cJSON_IsArray(a))
			return bad(rd, "learner.feature_names", "not an array");
		n = (size_t)cJSON_GetArraySize(a);
		if (n != 0 && n != x->nfeat)
			return AUD_ERROR(rd->err, AUD_EPARSE, "%s: learner.feature_names: %zu "
			    "names for %zu features", rd->name, n, x->nfeat);
	}
	x->named = n != 0;
	s = n != 0 ? a->child : NULL;
	for (i = 0; i < x->nfeat; i++) {
		char buf[32];
		const char *nm = buf;

		if (s != NULL) {
			snprintf(p, sizeof(p), "learner.feature_names[%zu]", i);
			if (!cJSON_IsString(s) || s->valuestring[0] == '\0')
				return bad(rd, p, "not a non-empty string");
			nm = s->valuestring;
			s = s->next;
		} else {
			snprintf(buf, sizeof(buf), "f%zu", i);
		}
		for (j = 0; j < i; j++)
			if (strcmp(m->features[j].name, nm) == 0)
				return AUD_ERROR(rd->err, AUD_EPARSE, "%s: learner.feature_names[%zu]: "
				    "'%s' names two features", rd->name, i, nm);
		m->features[i].name = strdup(nm);
		if (m->features[i].name == NULL)
			return AUD_ERROR(rd->err, AUD_ENOMEM, "out of memory");
		m->features[i].kind = AUD_COL_NUMERIC;
		x->names[i] = (char *)m->features[i].name;
	}
	return rc;
}

/*
 * gradient_booster: gbtree, or dart (a gbtree and a weight per tree); the
 * trees and tree_info.
 */
static int
read_booster(struct rd *rd, const cJSON *learner, struct xg_model *x)
{
	const cJSON *gb, *nm, *model, *trees, *info, *c, *wd = NULL;
	const char *mp = "learner.gradient_booster.model";
	char p[128];
	size_t n = 0, len, i;
	int rc = 0;

	gb = member(rd, learner, "learner", "gradient_booster", cJSON_Object, "an object", &rc);
	if (gb == NULL)
		return rc;
	nm = member(rd, gb, "learner.gradient_booster", "name", cJSON_String, "a string", &rc);
	if (nm == NULL)
		return rc;
	if (strcmp(nm->valuestring, "dart") == 0) {
		/* dart keeps its trees in a gbtree member */
		wd = gb;
		gb = member(rd, gb, "learner.gradient_booster", "gbtree", cJSON_Object,
		    "an object", &rc);
		if (gb == NULL)
			return rc;
		nm = member(rd, gb, "learner.gradient_booster.gbtree", "name", cJSON_String,
		    "a string", &rc);
		if (nm == NULL)
			return rc;
		mp = "learner.gradient_booster.gbtree.model";
	}
	if (strcmp(nm->valuestring, "gbtree") != 0)
		return AUD_ERROR(rd->err, AUD_EUNSUPPORTED, "%s: learner.gradient_booster%s.name: "
		    "the '%s' booster is not supported (only gbtree and dart)", rd->name,
		    wd != NULL ? ".gbtree" : "", nm->valuestring);
	model = member(rd, gb, wd != NULL ? "learner.gradient_booster.gbtree" :
	    "learner.gradient_booster", "model", cJSON_Object, "an object", &rc);
	if (model == NULL)
		return rc;
	trees = array_of(rd, model, mp, "trees", SIZE_MAX, &n, &rc);
	if (trees == NULL)
		return rc;
	info = array_of(rd, model, mp, "tree_info", n, &len, &rc);
	if (info == NULL)
		return rc;
	c = cJSON_GetObjectItemCaseSensitive(model, "gbtree_model_param");
	if (c != NULL && cJSON_IsObject(c) &&
	    (c = cJSON_GetObjectItemCaseSensitive(c, "num_trees")) != NULL) {
		long long nt;

		snprintf(p, sizeof(p), "%s.gbtree_model_param.num_trees", mp);
		rc = whole(rd, c, p, 0, INT32_MAX, &nt);
		if (rc < 0)
			return rc;
		if ((size_t)nt != n)
			return AUD_ERROR(rd->err, AUD_EPARSE, "%s: %s: %lld trees where the model "
			    "has %zu", rd->name, p, nt, n);
	}
	if (wd != NULL) {
		wd = array_of(rd, wd, "learner.gradient_booster", "weight_drop", n, &len, &rc);
		if (wd == NULL)
			return rc;
		x->tw = calloc(n + 1, sizeof(*x->tw));
		if (x->tw == NULL)
			return AUD_ERROR(rd->err, AUD_ENOMEM, "out of memory");
		c = wd->child;
		for (i = 0; i < n; i++, c = c->next) {
			if (!cJSON_IsNumber(c) || !isfinite(to_float(c->valuedouble))) {
				snprintf(p, sizeof(p), "learner.gradient_booster.weight_drop[%zu]", i);
				return bad(rd, p, "not a finite float");
			}
			x->tw[i] = to_float(c->valuedouble);
		}
	}
	x->t = calloc(n + 1, sizeof(*x->t));
	if (x->t == NULL)
		return AUD_ERROR(rd->err, AUD_ENOMEM, "out of memory");
	c = info->child;
	for (i = 0; i < n; i++, c = c->next) {
		long long g;

		snprintf(p, sizeof(p), "%s.tree_info[%zu]", mp, i);
		rc = whole(rd, c, p, 0, INT32_MAX, &g);
		if (rc < 0)
			return rc;
		if (g != 0)
			return AUD_ERROR(rd->err, AUD_EUNSUPPORTED, "%s: %s: output group %lld (a "
			    "model of several outputs is not supported)", rd->name, p, g);
	}
	c = trees->child;
	for (i = 0; i < n; i++, c = c->next) {
		snprintf(p, sizeof(p), "%s.trees[%zu]", mp, i);
		x->ntrees = i + 1;
		rc = read_tree(rd, &x->t[i], c, p, x->nfeat);
		if (rc < 0)
			return rc;
	}
	x->ntrees = n;
	return 0;
}

static int
build_ensemble(struct xg_model *x, struct aud_error *err)
{
	size_t i;

	x->atrees = calloc(x->ntrees + 1, sizeof(*x->atrees));
	x->weight = calloc(x->ntrees + 1, sizeof(*x->weight));
	if (x->atrees == NULL || x->weight == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < x->ntrees; i++) {
		x->atrees[i].nnodes = x->t[i].n;
		x->atrees[i].feature = x->t[i].feat;
		x->atrees[i].value = x->t[i].value;
		x->atrees[i].cover = x->t[i].cover;
		x->atrees[i].left = x->t[i].left;
		x->atrees[i].right = x->t[i].right;
		if (x->t[i].cover == NULL)
			x->ens.no_cover = "its trees have no sum_hessian";
		x->atrees[i].child = xg_child;
		x->atrees[i].impl = &x->t[i];
		x->weight[i] = x->tw != NULL ? (double)x->tw[i] : 1;
	}
	x->ens.ntrees = x->ntrees;
	x->ens.trees = x->atrees;
	x->ens.weight = x->weight;
	x->ens.base = (double)x->base_margin;
	x->ens.is_margin = x->link != XG_IDENTITY;
	return 0;
}

static int
load_doc(struct aud_model **out, const char *name, const cJSON *doc,
    const struct aud_xgb_options *opts, struct aud_error *err)
{
	struct rd rd = { name, err };
	struct aud_model *m = NULL;
	struct xg_model *x;
	const cJSON *learner;
	size_t nfeat = 0;
	int classifier = 0, rc = 0;
	char desc[96];

	if (!cJSON_IsObject(doc))
		return AUD_ERROR(err, AUD_EPARSE, "%s: not an XGBoost JSON model (not a JSON object)",
		    name);
	learner = member(&rd, doc, "(top level)", "learner", cJSON_Object, "an object", &rc);
	if (learner == NULL)
		return rc;
	x = calloc(1, sizeof(*x));
	if (x == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	rc = read_learner_params(&rd, learner, x, &classifier, &nfeat);
	if (rc < 0)
		goto fail;
	x->nfeat = nfeat;
	if (classifier && opts != NULL && opts->positive != NULL) {
		char *end;
		double v = strtod(opts->positive, &end);

		if (end == opts->positive || *end != '\0' || v != 1) {
			rc = AUD_ERROR(err, AUD_EINVAL, "positive class '%s' is not supported: an "
			    "XGBoost binary:logistic model gives the probability of class 1",
			    opts->positive);
			goto fail;
		}
	}
	rc = aud__model_new(&m, nfeat, err);
	if (rc < 0)
		goto fail;
	x->names = calloc(nfeat + 1, sizeof(*x->names));
	if (x->names == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto fail;
	}
	rc = read_features(&rd, learner, m, x);
	if (rc < 0)
		goto fail;
	rc = read_booster(&rd, learner, x);
	if (rc < 0)
		goto fail;
	rc = build_ensemble(x, err);
	if (rc < 0)
		goto fail;
	m->ops = &xg_ops;
	m->impl = x;
	x = NULL;
	m->task = classifier ? AUD_TASK_CLASSIFICATION : AUD_TASK_REGRESSION;
	m->has_margin = ((struct xg_model *)m->impl)->link != XG_IDENTITY;
	snprintf(desc, sizeof(desc), "xgboost %s %s",
	    ((struct xg_model *)m->impl)->tw != NULL ? "dart" : "gbtree",
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(learner,
	    "objective"), "name")->valuestring);
	m->description = strdup(desc);
	if (classifier)
		m->positive = strdup("1");
	if (m->description == NULL || (classifier && m->positive == NULL)) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto fail;
	}
	*out = m;
	return 0;
fail:
	xg_free(x);
	aud_model_free(m);
	return rc;
}

int
aud_xgb_load_mem(struct aud_model **out, const char *name, const char *data, size_t len,
    const struct aud_xgb_options *opts, struct aud_error *err)
{
	cJSON *doc = NULL;
	int rc;

	*out = NULL;
	if (len > AUD_XGB_MAX_BYTES)
		return AUD_ERROR(err, AUD_EPARSE, "%s: larger than %zu bytes", name,
		    AUD_XGB_MAX_BYTES);
	rc = aud_json_parse(&doc, name, data, len, err);
	if (rc < 0)
		return rc;
	rc = load_doc(out, name, doc, opts, err);
	cJSON_Delete(doc);
	return rc;
}

int
aud_xgb_load(struct aud_model **out, const char *path, const struct aud_xgb_options *opts,
    struct aud_error *err)
{
	cJSON *doc = NULL;
	int rc;

	*out = NULL;
	rc = aud_json_read_file(&doc, path, err);
	if (rc < 0)
		return rc;
	rc = load_doc(out, path, doc, opts, err);
	cJSON_Delete(doc);
	return rc;
}
