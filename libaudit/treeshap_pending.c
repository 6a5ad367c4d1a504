/*
 * treeshap_pending.c — TEMPORARY: stands in for the PMML tree interface
 * (tree.h) until the pmml branch, which implements aud_model_trees() and
 * aud_tree_child(), is merged. Delete this file at that merge.
 */
#include <audit/tree.h>

#include <math.h>

int
aud_model_trees(const struct aud_tree_ensemble **out, const struct aud_model *m,
    struct aud_error *err)
{
	(void)m;
	*out = NULL;
	return AUD_ERROR(err, AUD_EUNSUPPORTED, "this build has no PMML tree models");
}

size_t
aud_tree_child(const struct aud_tree *t, size_t node, const double *x)
{
	(void)t;
	(void)x;
	return node;
}
