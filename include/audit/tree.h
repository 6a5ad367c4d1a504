/*
 * tree.h — a model's decision trees as flat arrays, for Tree SHAP.
 *
 * A tree ensemble whose output (margin, or score for an unlinked model) is
 *   base + sum over trees t of weight[t] * leaf_value_t(x)
 * exposes its trees here. Each tree is a node array, root at 0. An internal
 * node tests exactly one model feature; aud_tree_child() says which child a
 * row goes to (it applies the node's predicates, missing-value and
 * no-true-child strategies as the model's own evaluation does), so Tree SHAP
 * never needs to know predicate details.
 *
 * A row is given as the model's features, in model order (aud_model_feature()),
 * as doubles: a numeric value, or for a categorical feature the index of its
 * value in the feature's categories; NAN means missing. A PMML categorical
 * field that declares no values gets as categories the values its trees test;
 * an index outside the categories stands for a value the model has not seen:
 * treated as the field's invalidValueTreatment says (asIs: equal to none of
 * the model's values; otherwise as missing).
 *
 * PMML trees are compiled: a multi-way split or a compound predicate becomes a
 * chain of single-feature tests, so two paths may end in the same leaf (the
 * node graph is a DAG, root at 0, every path finite). Tree SHAP's recursion
 * over paths is unaffected. Models of x-mathContext="float" are summed here in
 * double (the model itself rounds to float32: differences near 1e-7 relative).
 */
#ifndef AUDIT_TREE_H
#define AUDIT_TREE_H

#include <stddef.h>
#include <stdint.h>

#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

struct aud_model;

struct aud_tree {
	size_t nnodes;
	const int32_t *feature;    /**< per node: model feature index, -1 for a leaf */
	const double *value;       /**< per node: leaf value (leaves only) */
	/**
	 * per node: its training cover (the weight of the training rows that
	 * reached it: PMML recordCount, XGBoost sum_hessian), which path-dependent
	 * Tree SHAP weighs the branches by; NULL when the model does not give it
	 */
	const double *cover;
	/** the loader's child function, which aud_tree_child() calls */
	size_t (*child)(const struct aud_tree *t, size_t node, const double *x);
	const void *impl;          /**< the loader's node data, for child() */
	/**
	 * per node: its two training branches (-1 for a leaf), the children whose
	 * covers add up to the node's; path-dependent Tree SHAP averages over them
	 * when the node's feature is not in the coalition. Required with cover.
	 * child() returns one of them, or another node (a route no training row
	 * took, such as PMML's missing-value route) of smaller height.
	 */
	const int32_t *left, *right;
};

struct aud_tree_ensemble {
	size_t ntrees;
	const struct aud_tree *trees;
	const double *weight;      /**< per tree multiplier (1 for a sum, 1/n for an average) */
	double base;               /**< added constant (Targets rescaleConstant, intercepts) */
	int is_margin;             /**< 1: the sum is the margin (a link follows); 0: it is the score */
	/** why the trees carry no cover (a phrase, for messages), or NULL */
	const char *no_cover;
};

/**
 * The model's trees, when its output is such a sum (PMML TreeModel, or a
 * MiningModel of trees with sum/average/weightedAverage, possibly followed by
 * a link in a modelChain; any model whose loader exposes trees).
 * @param[out] out borrowed; valid until m is freed
 * @return 0, or AUD_EUNSUPPORTED when the model is not a tree ensemble of that form
 */
int aud_model_trees(const struct aud_tree_ensemble **out, const struct aud_model *m,
    struct aud_error *err);

/** The child (node index) that row x goes to from internal node `node` of t. */
size_t aud_tree_child(const struct aud_tree *t, size_t node, const double *x);

#ifdef __cplusplus
}
#endif
#endif
