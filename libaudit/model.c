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
aud_model_predict(const struct aud_model *m, const struct aud_batch *b,
    double *score, double *margin, struct aud_error *err)
{
	if (b->nrows == 0)
		return 0;
	return m->ops->predict(m->impl, b, score, margin, err);
}
