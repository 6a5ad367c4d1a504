/*
 * shapley.h — interventional Shapley values of a model's output.
 *
 * The game (Janzing et al. 2020; SHAP's "interventional" explainers): for an
 * explained row x, a background sample b_1..b_K and a coalition S of the
 * model's features, v(S) = E_k[ f(x_S, b_k,~S) ] (f is the score or the
 * margin; with the logit link v(S) = logit(E_k[score]), as SHAP's
 * KernelExplainer applies its link to the expectation). Every model feature
 * is one player, a categorical feature included. The Shapley values phi_i of
 * this game satisfy  v(empty) + sum_i phi_i = v(all) = f(x)  (efficiency).
 *
 * Methods:
 *  - exact:  all 2^M coalitions (M <= AUD_SHAP_EXACT_MAX);
 *  - kernel: Kernel SHAP (Lundberg and Lee 2017) with SHAP's sampling scheme:
 *    whole coalition sizes are enumerated, smallest (and their complements)
 *    first, while the budget covers their kernel weight; the rest is drawn by
 *    paired sampling (a drawn coalition and its complement); a weighted least
 *    squares with the efficiency constraint (one variable eliminated) is solved
 *    by LAPACKE_dgelsd. With nsamples >= 2^M - 2 every coalition is used and
 *    the result equals `exact`;
 *  - linear: the closed form phi_i = g_i(x_i) - E[g_i(b_i)] of a model that is
 *    additive in its features (beta_i (x_i - E[x_i]) for a numeric feature),
 *    the coefficients found by evaluating the model, refused when the
 *    model is not additive in the explained output;
 *  - tree:   interventional Tree SHAP (Lundberg et al. 2020, Algorithm 3) over
 *    the trees of aud_model_trees(), exact and polynomial;
 *  - tree-path: path-dependent Tree SHAP (Lundberg et al. 2018, Algorithm 2),
 *    a different game that needs no background: v(S) follows x at a node
 *    whose feature is in S and otherwise averages the node's branches
 *    weighted by their training cover (tree.h), so v(empty) is the
 *    cover-weighted mean output. SHAP's TreeExplainer(model) default and
 *    XGBoost's pred_contribs; it needs trees that carry cover.
 *
 * An explainer (struct aud_shap) holds the model, the explained rows and the
 * background; it is immutable once made, so one explainer serves many threads,
 * each with its own workspace (struct aud_shap_work). Results do not depend on
 * how rows are split among threads: kernel sampling for row r draws from
 * random stream r of the seed (rng.h).
 *
 * Model evaluations are batched: one aud_model_predict() call evaluates many
 * (row, coalition, background row) combinations, up to opts->batch_rows rows.
 */
#ifndef AUDIT_SHAPLEY_H
#define AUDIT_SHAPLEY_H

#include <stddef.h>
#include <stdint.h>

#include <audit/batch.h>
#include <audit/error.h>
#include <audit/model.h>
#include <audit/tree.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Most features `exact` accepts (2^20 coalitions per row). */
#define AUD_SHAP_EXACT_MAX 20

enum aud_shap_method {
	AUD_SHAP_EXACT = 0,
	AUD_SHAP_KERNEL = 1,
	AUD_SHAP_LINEAR = 2,
	AUD_SHAP_TREE = 3,
	AUD_SHAP_TREE_PATH = 4
};

/** The quantity explained. */
enum aud_shap_output { AUD_OUTPUT_SCORE = 0, AUD_OUTPUT_MARGIN = 1 };
/** A link applied to the expected output v(S) (SHAP's KernelExplainer `link`). */
enum aud_shap_link { AUD_LINK_IDENTITY = 0, AUD_LINK_LOGIT = 1 };

/** The child-choosing function of a tree (aud_tree_child(), or a test's own). */
typedef size_t (*aud_tree_child_fn)(const struct aud_tree *t, size_t node,
    const double *x);

struct aud_shap_options {
	enum aud_shap_method method;
	enum aud_shap_output output;
	enum aud_shap_link link;
	size_t nsamples;        /**< kernel: coalitions per row; 0 = SHAP's "auto", 2M + 2048 */
	uint64_t seed;          /**< kernel sampling */
	size_t batch_rows;      /**< most rows per model call; 0 = 65536 */
	/** tree: the model's trees (NULL: aud_model_trees()) and child function (NULL: aud_tree_child()) */
	const struct aud_tree_ensemble *trees;
	aud_tree_child_fn child;
};
#define AUD_SHAP_OPTIONS_INIT { AUD_SHAP_EXACT, AUD_OUTPUT_SCORE, AUD_LINK_IDENTITY, 0, 42, 0, NULL, NULL }

/** An explainer: model, explained rows, background. */
struct aud_shap;
/** A per-thread workspace. */
struct aud_shap_work;

/**
 * Make an explainer. Columns of `rows` and `background` are matched to the
 * model's features by name; a feature's column must have the same kind in both
 * (categorical values are matched by text). The base value v(empty) is
 * computed here (one model call over the background).
 * @param m          borrowed; must outlive the explainer
 * @param rows       the rows to explain; borrowed, must outlive the explainer
 * @param background copied; tree-path takes none (NULL)
 * @param[out] out   caller owns; free with aud_shap_free()
 * @return 0, AUD_EINVAL (empty background, a background given to tree-path, too many features for exact, a
 * model that is not linear for linear, a linked ensemble asked for its score
 * for tree), AUD_ENOTFOUND (a feature without a column), AUD_EUNSUPPORTED (tree
 * on a model without trees), AUD_EMODEL, AUD_ENUMERIC, AUD_ENOMEM
 */
int aud_shap_new(struct aud_shap **out, const struct aud_model *m,
    const struct aud_batch *rows, const struct aud_batch *background,
    const struct aud_shap_options *opts, struct aud_error *err);
void aud_shap_free(struct aud_shap *s);

/** Number of players (the model's features). */
size_t aud_shap_nfeatures(const struct aud_shap *s);
/** The base value v(empty): the mean explained output over the background (tree-path: the cover-weighted mean). */
double aud_shap_base(const struct aud_shap *s);
/** The kernel budget in use (after capping at 2^M - 2), 0 for other methods. */
size_t aud_shap_nsamples(const struct aud_shap *s);

/** Rows per aud_shap_explain() call that fill about one model batch (>= 1). */
size_t aud_shap_block_rows(const struct aud_shap *s);

/** A workspace for one thread. @param[out] out caller owns; free with aud_shap_work_free() */
int aud_shap_work_new(struct aud_shap_work **out, const struct aud_shap *s,
    struct aud_error *err);
void aud_shap_work_free(struct aud_shap_work *w);

/**
 * Explain rows [first, first + n) of the explained batch.
 * @param[out] phi n * M values, row-major (row i, feature j at i * M + j)
 * @param[out] fx  n explained outputs f(x) (v of the full coalition)
 * @return 0, AUD_EMODEL, AUD_ENUMERIC (a logit of a value outside (0, 1), a
 * failed least-squares solve), AUD_EINVAL (linear: a missing value), AUD_ENOMEM
 */
int aud_shap_explain(const struct aud_shap *s, struct aud_shap_work *w,
    size_t first, size_t n, double *phi, double *fx, struct aud_error *err);

/**
 * The explained output of every row of b (score, margin, link applied per
 * row): what f(x) means for the explainer's options.
 * @param[out] out b->nrows values
 */
int aud_shap_output(double *out, const struct aud_model *m, const struct aud_batch *b,
    enum aud_shap_output output, enum aud_shap_link link, struct aud_error *err);

/* ---- Tree SHAP on its own (libaudit/treeshap.c) ---- */

/**
 * A Tree SHAP explainer: an ensemble, its child function and a background.
 * Rows are model features as doubles (tree.h's convention). The background
 * rows' branches are computed here once (when they take at most 256 MiB).
 * Immutable once made: one serves many threads, each with its own scratch.
 * @param e, bg  borrowed; must outlive the explainer
 * @param bg     nbg * nfeatures values, row-major
 * @param[out] out caller owns; free with aud_treeshap_free()
 * @return 0 or AUD_ENOMEM
 */
struct aud_treeshap;
int aud_treeshap_new(struct aud_treeshap **out, const struct aud_tree_ensemble *e,
    aud_tree_child_fn child, size_t nfeatures, const double *bg, size_t nbg,
    struct aud_error *err);
void aud_treeshap_free(struct aud_treeshap *ts);
/** Bytes of scratch aud_treeshap_explain() needs. */
size_t aud_treeshap_scratch_size(const struct aud_treeshap *ts);
/**
 * Add to phi (nfeatures values) the interventional Shapley values of
 *   sum_t weight[t] * leaf_t(.)
 * for row x, averaged over the background rows. The base and f(x) are leaf
 * sums the caller may compute with aud_tree_ensemble_eval().
 */
void aud_treeshap_explain(const struct aud_treeshap *ts, const double *x, double *phi,
    void *scratch);
/** The same for n rows (x and phi n * nfeatures, row-major), tree by tree. */
void aud_treeshap_explain_rows(const struct aud_treeshap *ts, const double *x, size_t n,
    double *phi, void *scratch);
/** base + sum_t weight[t] * leaf_t(x): the ensemble's (margin or score) output. */
double aud_tree_ensemble_eval(const struct aud_tree_ensemble *e,
    aud_tree_child_fn child, const double *x);

/* ---- path-dependent Tree SHAP on its own (libaudit/treepath.c) ---- */

/**
 * A path-dependent Tree SHAP explainer over an ensemble whose trees carry
 * cover, left and right (tree.h). Immutable once made: one serves many
 * threads, each with its own scratch.
 * @param e      borrowed; must outlive the explainer
 * @param[out] out caller owns; free with aud_treepath_free()
 * @return 0, AUD_EUNSUPPORTED (a tree without cover, with a non-finite or
 * negative cover, or whose root has cover 0), AUD_EINVAL (branches out of
 * range or in a cycle), AUD_ENOMEM
 */
struct aud_treepath;
int aud_treepath_new(struct aud_treepath **out, const struct aud_tree_ensemble *e,
    aud_tree_child_fn child, size_t nfeatures, struct aud_error *err);
void aud_treepath_free(struct aud_treepath *tp);
/** base + sum_t weight[t] * (the cover-weighted mean leaf value of tree t): v(empty). */
double aud_treepath_base(const struct aud_treepath *tp);
/** Bytes of scratch aud_treepath_explain_rows() needs. */
size_t aud_treepath_scratch_size(const struct aud_treepath *tp);
/**
 * Add to phi (n * nfeatures values, row-major) the path-dependent Shapley
 * values of sum_t weight[t] * leaf_t(.) for the n rows x (n * nfeatures,
 * row-major, tree.h's convention). base + sum phi = the ensemble's output.
 * @return 0, or AUD_EUNSUPPORTED when child() takes a route outside a node's
 * training branches that does not lead to a lower node
 */
int aud_treepath_explain_rows(const struct aud_treepath *tp, const double *x, size_t n,
    double *phi, void *scratch, struct aud_error *err);

#ifdef __cplusplus
}
#endif
#endif
