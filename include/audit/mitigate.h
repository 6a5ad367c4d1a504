/*
 * mitigate.h — post-processing by group-specific thresholds, and
 * Kamiran–Calders reweighing.
 *
 * Thresholds (Hardt, Price & Srebro 2016; the algorithm of Fairlearn's
 * ThresholdOptimizer with a prefit scorer). The input is, per group, the
 * distinct scores in ascending order with the (weighted) count of positive
 * and negative labels at each: memory is 24 bytes per distinct (group,
 * score) pair, whatever the number of rows (aud_mit_groups_add() builds it
 * row by row). The output is, per group, a randomised rule:
 *
 *   with probability p_ignore: decide 1 with probability prediction_constant;
 *   otherwise: with probability p0 decide score > threshold0,
 *              with probability p1 decide score > threshold1   (p0 + p1 = 1).
 *
 * A threshold of -inf selects every row, +inf none. Fairlearn's thresholds are
 * midpoints between adjacent distinct scores of the group, in floating point
 * as it computes them, and are kept as such; only which scores fall on each
 * side matters to a decision.
 *
 * Modes: grid > 0 is Fairlearn's algorithm (its grid over the constrained
 * rate, default 1000 points) and gives its thresholds, mixing probabilities
 * and objective; grid == 0 is the exact optimum of the same problem over the
 * groups' hull vertices (a small linear programme); tolerance > 0 relaxes the
 * constraint: the constrained rates of any two groups may differ by at most
 * tolerance. The frontier is that exact optimum over a list of tolerances.
 */
#ifndef AUDIT_MITIGATE_H
#define AUDIT_MITIGATE_H

#include <stddef.h>

#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The fairness constraint: which rate must be equal across groups. */
enum aud_mit_constraint {
	AUD_MIT_DEMOGRAPHIC_PARITY = 0,   /**< selection rate */
	AUD_MIT_EQUALIZED_ODDS = 1,       /**< true and false positive rates */
	AUD_MIT_EQUAL_OPPORTUNITY = 2,    /**< true positive rate (Fairlearn: true_positive_rate_parity) */
	AUD_MIT_FPR_PARITY = 3,           /**< false positive rate */
	AUD_MIT_FNR_PARITY = 4            /**< false negative rate (= TPR parity, other name) */
};

/** The objective maximised under the constraint. */
enum aud_mit_objective {
	AUD_MIT_ACCURACY = 0,
	AUD_MIT_BALANCED_ACCURACY = 1
};

/** CLI/JSON names: "demographic_parity", ..., "accuracy", "balanced_accuracy". */
const char *aud_mit_constraint_name(enum aud_mit_constraint c);
const char *aud_mit_objective_name(enum aud_mit_objective o);
/** @return 0, or AUD_EINVAL with the valid names in the message */
int aud_mit_constraint_parse(enum aud_mit_constraint *out, const char *s, struct aud_error *err);
int aud_mit_objective_parse(enum aud_mit_objective *out, const char *s, struct aud_error *err);

/** One group's randomised rule (see the top of this file). */
struct aud_mit_rule {
	double p0, threshold0;
	double p1, threshold1;
	double p_ignore, prediction_constant;   /**< 0 and 0 unless equalized odds */
};

/**
 * Probability that the rule decides 1 for `score`:
 *   p_ignore * prediction_constant
 *   + (1 - p_ignore) * (p0 [score > threshold0] + p1 [score > threshold1]).
 */
double aud_mit_rule_prob(const struct aud_mit_rule *r, double score);

/** Rates of a decision rule on one group, expected over its randomness. */
struct aud_mit_rates {
	double count;            /**< weighted rows */
	double positives;        /**< weighted rows with label 1 */
	double selection_rate;   /**< E[decision] */
	double tpr, fpr;         /**< NaN when the group has no positive / negative */
	double accuracy;         /**< E[decision == label] */
};

/** Options; AUD_MIT_OPTIONS_INIT gives Fairlearn's defaults. */
struct aud_mit_options {
	enum aud_mit_constraint constraint;
	enum aud_mit_objective objective;
	size_t grid;        /**< Fairlearn's grid_size; 0 = exact optimum */
	double tolerance;   /**< >= 0; 0 = the constraint holds exactly */
};

#define AUD_MIT_OPTIONS_INIT { AUD_MIT_DEMOGRAPHIC_PARITY, AUD_MIT_ACCURACY, 1000, 0.0 }

/**
 * Per-group score counts (opaque). Groups are named; a group's index is the
 * order of its first row. Scores must be finite and in [0, 1]; weights finite
 * and > 0.
 */
struct aud_mit_groups;

int aud_mit_groups_new(struct aud_mit_groups **out, struct aud_error *err);
void aud_mit_groups_free(struct aud_mit_groups *g);
/** Add one row (label 0 or 1). @return 0, AUD_EINVAL for a score outside [0, 1] or NaN */
int aud_mit_groups_add(struct aud_mit_groups *g, const char *group, double score,
    int label, double weight, struct aud_error *err);
size_t aud_mit_groups_count(const struct aud_mit_groups *g);
const char *aud_mit_groups_name(const struct aud_mit_groups *g, size_t i);
/** Rates of rule r on group i, and of the unmitigated decision score >= t. */
void aud_mit_groups_rates(const struct aud_mit_groups *g, size_t i,
    const struct aud_mit_rule *r, struct aud_mit_rates *out);
void aud_mit_groups_rates_at(const struct aud_mit_groups *g, size_t i, double t,
    struct aud_mit_rates *out);

/** The solution: one rule per group (in the groups' order) and its objective. */
struct aud_mit_solution {
	size_t ngroups;
	struct aud_mit_rule *rules;      /**< ngroups */
	double objective;                /**< the objective of the expected decisions */
	double constrained_rate;         /**< the common rate chosen (NaN with a tolerance > 0) */
};

void aud_mit_solution_free(struct aud_mit_solution *s);

/**
 * Solve. AUD_EPARSE when no rule can meet the constraint (e.g. a group with
 * no positive label under equal opportunity), with the group named;
 * AUD_EINVAL for bad options.
 */
int aud_mit_solve(struct aud_mit_solution **out, const struct aud_mit_groups *g,
    const struct aud_mit_options *o, struct aud_error *err);

/** One point of the frontier: the exact optimum at `tolerance`. */
struct aud_mit_point {
	double tolerance;
	double objective;    /**< of the expected decisions */
	double disparity;    /**< largest difference of the constrained rate(s) between groups */
};

/** The exact optimum at each of n tolerances (ascending), into pts[n]. */
int aud_mit_frontier(struct aud_mit_point *pts, const double *tolerances, size_t n,
    const struct aud_mit_groups *g, const struct aud_mit_options *o, struct aud_error *err);

#ifdef __cplusplus
}
#endif

#endif
