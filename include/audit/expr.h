/*
 * expr.h — the check expressions of `--check` and policy files.
 *
 * An expression compares one named quantity with a number:
 *
 *     [SCOPE ':'] PATH OP NUMBER
 *
 * PATH is a dotted name (`demographic_parity_ratio`, `disparity.fpr.ratio`,
 * `metrics.tpr`, `overall.accuracy`, `tests.selection_rate.p_value`) of
 * parts made of letters, digits and '_'; only the first part of a path with
 * no scope must start with a letter or '_' (`gaussian:0.5.flip_rate`). OP is one of `<`, `<=`, `>`, `>=`, `==`,
 * `!=`, NUMBER a decimal number (C locale). Blanks may surround each token.
 * The optional SCOPE is the text up to the last ':', trimmed: for fairness an
 * attribute ("race & sex: ..."), for robustness the start of a perturbation
 * ("flip:sex.flip_rate" is the perturbation "flip:sex", metric flip_rate),
 * for explanations a feature. What a path and a scope mean is up to the
 * module that evaluates them (check.h); the canonical text keeps ": " when a
 * blank followed the ':' and ":" when none did.
 *
 * A policy file is a JSON array of expression strings.
 */
#ifndef AUDIT_EXPR_H
#define AUDIT_EXPR_H

#include <stddef.h>

#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Comparison operators. */
enum aud_expr_op {
	AUD_EXPR_LT, AUD_EXPR_LE, AUD_EXPR_GT, AUD_EXPR_GE, AUD_EXPR_EQ, AUD_EXPR_NE
};

/** A parsed expression. */
struct aud_expr;

/**
 * Parse an expression.
 * @param[out] out caller owns; free with aud_expr_free()
 * @return 0 or AUD_EPARSE ("bad check expression 'x': expected ...")
 */
int aud_expr_parse(struct aud_expr **out, const char *text, struct aud_error *err);

/** Free. NULL is allowed. */
void aud_expr_free(struct aud_expr *e);

/** The expression as written in canonical form ("race: disparity.fpr.ratio <= 1.25"). Borrowed. */
const char *aud_expr_text(const struct aud_expr *e);
/** The attribute scope, or NULL for every attribute. Borrowed. */
const char *aud_expr_scope(const struct aud_expr *e);
/** The dotted path. Borrowed. */
const char *aud_expr_path(const struct aud_expr *e);
/** Number of path components and component i (NUL-terminated). Borrowed. */
size_t aud_expr_depth(const struct aud_expr *e);
const char *aud_expr_part(const struct aud_expr *e, size_t i);
/** The operator. */
enum aud_expr_op aud_expr_op(const struct aud_expr *e);
/** The number compared with. */
double aud_expr_threshold(const struct aud_expr *e);

/** "<", "<=", ... */
const char *aud_expr_op_str(enum aud_expr_op op);

/** 1 when `value OP threshold` holds, 0 otherwise (also for NaN). */
int aud_expr_holds(enum aud_expr_op op, double value, double threshold);

/**
 * Read a policy file: a JSON array of expression strings.
 * @param[out] out  caller owns the array and each element; free with aud_expr_list_free()
 * @param[out] n    number of expressions
 * @return 0, AUD_EIO, AUD_EPARSE ("PATH: entry 2: bad check expression ...")
 */
int aud_expr_policy_read(struct aud_expr ***out, size_t *n, const char *path,
    struct aud_error *err);

/** Free an array of n expressions from aud_expr_policy_read(). NULL is allowed. */
void aud_expr_list_free(struct aud_expr **list, size_t n);

#ifdef __cplusplus
}
#endif
#endif
