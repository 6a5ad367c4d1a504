/*
 * explain_pending.c — TEMPORARY: stands in for the model loaders (pmml and
 * modelcmd branches: aud_model_open(), aud_model_trees(), aud_tree_child())
 * until they are merged, so that audit-explain links. Delete this file at
 * that merge.
 */
#include <audit/model.h>
#include <audit/tree.h>

int
aud_model_open(struct aud_model **out, const char *pmml_path, const char *command,
    const struct aud_model_open_options *opts, struct aud_error *err)
{
	(void)opts;
	*out = NULL;
	return AUD_ERROR(err, AUD_EUNSUPPORTED, "cannot open '%s': this build has no model loaders",
	    pmml_path != NULL ? pmml_path : command);
}

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
