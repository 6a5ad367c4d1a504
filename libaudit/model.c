/* model.c — the generic part of the model interface (see model_impl.h). */
#include <audit/model.h>

#include <stdlib.h>
#include <string.h>

#include "model_impl.h"

int
aud__model_new(struct aud_model **out, size_t nfeatures, struct aud_error *err)
{
	struct aud_model *m;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	if (nfeatures > 0) {
		m->features = calloc(nfeatures, sizeof(*m->features));
		if (m->features == NULL) {
			free(m);
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		}
	}
	m->nfeatures = nfeatures;
	*out = m;
	return 0;
}

void
aud_model_free(struct aud_model *m)
{
	size_t i, j;

	if (m == NULL)
		return;
	if (m->ops != NULL && m->ops->free != NULL)
		m->ops->free(m->impl);
	for (i = 0; i < m->nfeatures; i++) {
		free((char *)m->features[i].name);
		for (j = 0; j < m->features[i].ncategories; j++)
			free((char *)m->features[i].categories[j]);
		free((void *)m->features[i].categories);
	}
	free(m->features);
	free(m->positive);
	free(m->description);
	free(m);
}

size_t
aud_model_nfeatures(const struct aud_model *m)
{
	return m->nfeatures;
}

const struct aud_feature *
aud_model_feature(const struct aud_model *m, size_t i)
{
	return i < m->nfeatures ? &m->features[i] : NULL;
}

long
aud_model_find_feature(const struct aud_model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nfeatures; i++)
		if (strcmp(m->features[i].name, name) == 0)
			return (long)i;
	return -1;
}

enum aud_model_task
aud_model_task(const struct aud_model *m)
{
	return m->task;
}

const char *
aud_model_positive(const struct aud_model *m)
{
	return m->positive;
}

int
aud_model_has_margin(const struct aud_model *m)
{
	return m->has_margin;
}

const char *
aud_model_describe(const struct aud_model *m)
{
	return m->description != NULL ? m->description : "model";
}

int
aud_model_trees(const struct aud_tree_ensemble **out, const struct aud_model *m,
    struct aud_error *err)
{
	*out = NULL;
	if (m->ops->trees == NULL)
		return AUD_ERROR(err, AUD_EUNSUPPORTED,
		    "the model (%s) has no trees for Tree SHAP", aud_model_describe(m));
	return m->ops->trees(m->impl, out, err);
}

size_t
aud_tree_child(const struct aud_tree *t, size_t node, const double *x)
{
	return t->child(t, node, x);
}

int
aud_model_predict(const struct aud_model *m, const struct aud_batch *b,
    double *score, double *margin, struct aud_error *err)
{
	if (b->nrows == 0)
		return 0;
	return m->ops->predict(m->impl, b, score, margin, err);
}

/* ---- models computed by a C function ---- */

struct fn_model {
	aud_model_fn fn;
	void *payload;
	int has_margin;
	size_t nfeatures;
	char **names;  /* borrowed from the model's features */
};

static int
fn_predict(const void *impl, const struct aud_batch *b, double *score,
    double *margin, struct aud_error *err)
{
	const struct fn_model *f = impl;
	long stack_cols[64], *cols = stack_cols;
	size_t i;
	int rc;

	if (f->nfeatures > 64) {
		cols = malloc(f->nfeatures * sizeof(*cols));
		if (cols == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	for (i = 0; i < f->nfeatures; i++) {
		cols[i] = aud_batch_find(b, f->names[i]);
		if (cols[i] < 0) {
			rc = AUD_ERROR(err, AUD_ENOTFOUND,
			    "the model's feature '%s' is not a column of the input",
			    f->names[i]);
			goto done;
		}
	}
	rc = f->fn(b, cols, score, f->has_margin ? margin : NULL, f->payload, err);
	if (rc == 0 && !f->has_margin && margin != NULL)
		memcpy(margin, score, b->nrows * sizeof(*margin));
done:
	if (cols != stack_cols)
		free(cols);
	return rc;
}

static void
fn_free(void *impl)
{
	struct fn_model *f = impl;

	if (f == NULL)
		return;
	free(f->names);
	free(f);
}

static const struct aud_model_ops fn_ops = { fn_predict, fn_free, NULL };

int
aud_model_from_fn(struct aud_model **out, size_t nfeatures,
    const char *const *names, const enum aud_col_kind *kinds,
    enum aud_model_task task, const char *positive, int has_margin,
    aud_model_fn fn, void *payload, struct aud_error *err)
{
	struct aud_model *m = NULL;
	struct fn_model *f = NULL;
	size_t i;
	int rc;

	*out = NULL;
	rc = aud__model_new(&m, nfeatures, err);
	if (rc < 0)
		return rc;
	f = calloc(1, sizeof(*f));
	if (f != NULL)
		f->names = calloc(nfeatures ? nfeatures : 1, sizeof(*f->names));
	if (f == NULL || f->names == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	f->fn = fn;
	f->payload = payload;
	f->has_margin = has_margin;
	f->nfeatures = nfeatures;
	m->ops = &fn_ops;
	m->impl = f;
	f = NULL;
	for (i = 0; i < nfeatures; i++) {
		m->features[i].name = strdup(names[i]);
		if (m->features[i].name == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		m->features[i].kind = kinds != NULL ? kinds[i] : AUD_COL_NUMERIC;
		((struct fn_model *)m->impl)->names[i] = (char *)m->features[i].name;
	}
	m->task = task;
	m->has_margin = has_margin;
	if (positive != NULL) {
		m->positive = strdup(positive);
		if (m->positive == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
	}
	m->description = strdup("C function");
	if (m->description == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	*out = m;
	m = NULL;
done:
	fn_free(f);
	aud_model_free(m);
	return rc;
}
