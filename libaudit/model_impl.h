/*
 * model_impl.h — private: how a model kind plugs into struct aud_model.
 * Loaders fill a struct aud_model with their ops and implementation.
 */
#ifndef AUDIT_MODEL_IMPL_H
#define AUDIT_MODEL_IMPL_H

#include <audit/model.h>
#include <audit/tree.h>

struct aud_model_ops {
	/* Score rows of b; margin may be NULL. Must be safe to call concurrently. */
	int (*predict)(const void *impl, const struct aud_batch *b, double *score,
	    double *margin, struct aud_error *err);
	void (*free)(void *impl);
	/* The model's trees (tree.h), or NULL when the kind never has any. */
	int (*trees)(const void *impl, const struct aud_tree_ensemble **out,
	    struct aud_error *err);
};

struct aud_model {
	const struct aud_model_ops *ops;
	void *impl;                    /* owned; freed by ops->free */
	enum aud_model_task task;
	char *positive;                /* owned, NULL for regression */
	int has_margin;
	char *description;             /* owned */
	size_t nfeatures;
	struct aud_feature *features;  /* owned, names and categories too */
};

/*
 * Allocate a model shell with n features (names and categories filled by the
 * loader with strdup'd strings, freed by aud_model_free()).
 */
int aud__model_new(struct aud_model **out, size_t nfeatures, struct aud_error *err);

#endif
