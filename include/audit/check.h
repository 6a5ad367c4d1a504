/*
 * check.h — checks over a tool's results, the same in every analysing tool.
 *
 * A check set holds the expressions given with `--check EXPR` and a policy
 * file (expr.h), and evaluates them over a results object (the envelope's
 * "results") through a resolver: the module that knows the results (fairness,
 * robustness, explanations) says which values a path designates, each with
 * the attribute, group, perturbation or feature it belongs to, and refuses
 * the paths it does not know. This file owns everything else: the refusal's
 * words, the status of each value (pass, fail, undefined), the count of
 * failed checks, the `checks` entries of the envelope and their JUnit form.
 *
 * Fail closed: a value that is undefined (null, NaN, a group or perturbation
 * that has none) gives an entry of status "undefined", which counts as
 * failed unless undefined values are allowed (`--allow-undefined`); then it
 * is reported, with a warning, and does not fail.
 *
 * An entry: {"id": EXPRESSION, "metric": PATH, "value": V|null, "op": OP,
 * "threshold": T, "status": "pass"|"fail"|"undefined", "attribute": A,
 * "group": G, "perturbation": P, "feature": F, "requested": true}, where the
 * keys attribute to feature appear only when the value has them.
 */
#ifndef AUDIT_CHECK_H
#define AUDIT_CHECK_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include <audit/error.h>
#include <audit/expr.h>

#ifdef __cplusplus
extern "C" {
#endif

/** One value a path designates, handed by a resolver to aud_check_emit(). */
struct aud_check_value {
	double value;            /**< NaN when undefined */
	const char *attribute;   /**< protected attribute, or NULL */
	const char *group;       /**< group of the attribute, or NULL */
	const char *subject_key; /**< "perturbation", "feature", or NULL */
	const char *subject;     /**< its name, or NULL */
	const char *metric;      /**< the entry's "metric", or NULL for the whole path */
};

/** Where a resolver sends values; opaque. */
struct aud_check_sink;

/**
 * Record one value for the expression being evaluated.
 * @return 0 or AUD_ENOMEM
 */
int aud_check_emit(struct aud_check_sink *sink, const struct aud_check_value *v,
    struct aud_error *err);

/** What a module tells the check set about its results. */
struct aud_check_resolver {
	/** 1 when the module knows the path of `e` (and its scope's form), 0 when not. */
	int (*known)(const struct aud_expr *e);
	/**
	 * Send each value `e` designates in `results` to aud_check_emit(). A
	 * value that is missing is sent as NaN. @return 0, AUD_ENOMEM, or
	 * AUD_EINVAL when the scope names nothing in the results ("check '...':
	 * no attribute 'x'").
	 */
	int (*resolve)(const cJSON *results, const struct aud_expr *e,
	    struct aud_check_sink *sink, const void *payload, struct aud_error *err);
	/**
	 * Optional: append entries that are reported without being requested
	 * ("requested": false; audit-fair's four-fifths rule). They never fail a run.
	 */
	int (*reported)(const cJSON *results, cJSON *checks, const void *payload,
	    struct aud_error *err);
	/** Handed to resolve() and reported(). */
	const void *payload;
};

/** A set of checks for one resolver. */
struct aud_check_set;

/**
 * New empty set.
 * @param[out] out caller owns; free with aud_check_set_free()
 * @param r borrowed; must outlive the set
 * @return 0 or AUD_ENOMEM
 */
int aud_check_set_new(struct aud_check_set **out, const struct aud_check_resolver *r,
    struct aud_error *err);

/** Free. NULL is allowed. */
void aud_check_set_free(struct aud_check_set *s);

/**
 * Parse one expression and add it, refusing a path the resolver does not know
 * before any data is read.
 * @return 0, AUD_ENOMEM, AUD_EPARSE ("bad check expression ..." or
 * "unknown path 'x' in check 'x >= 1'")
 */
int aud_check_set_add(struct aud_check_set *s, const char *text, struct aud_error *err);

/**
 * Read a policy file (a JSON array of expressions) and add each of them.
 * @return 0, AUD_ENOMEM, AUD_EIO, AUD_EPARSE ("PATH: entry 2: unknown path ...")
 */
int aud_check_set_add_policy(struct aud_check_set *s, const char *path,
    struct aud_error *err);

/** Let undefined values be reported without failing (`--allow-undefined`). */
void aud_check_set_allow_undefined(struct aud_check_set *s, int allow);

/** 1 when undefined values are allowed. */
int aud_check_set_allows_undefined(const struct aud_check_set *s);

/** Number of expressions. */
size_t aud_check_set_size(const struct aud_check_set *s);

/** Expression i, borrowed: valid until the set is freed. */
const struct aud_expr *aud_check_set_expr(const struct aud_check_set *s, size_t i);

/**
 * Evaluate every expression over `results`, appending one entry per value to
 * `checks` (an array), then the resolver's reported entries. An expression
 * that designates no value at all gives one undefined entry. A warning (a
 * string) goes to `warnings` for each undefined value that is allowed.
 * @param[out] nfailed entries that fail the run: "fail", and "undefined"
 * unless allowed
 * @return 0, AUD_ENOMEM, AUD_EINVAL (a scope naming nothing)
 */
int aud_check_set_run(struct aud_check_set *s, const cJSON *results, cJSON *checks,
    cJSON *warnings, size_t *nfailed, struct aud_error *err);

/**
 * 1 when a `checks` entry fails a run: requested, and "fail", or "undefined"
 * when undefined values are not allowed.
 */
int aud_check_entry_fails(const cJSON *entry, int allow_undefined);

/**
 * Write the requested entries of `checks` as JUnit XML: one testsuite named
 * `suite` (the tool), one testcase per entry, <failure> for a failing entry,
 * <skipped> for an allowed undefined one.
 * @return 0, AUD_ENOMEM, AUD_EOUTPUT
 */
int aud_check_junit_write(const cJSON *checks, const char *suite, int allow_undefined,
    FILE *f, struct aud_error *err);

#ifdef __cplusplus
}
#endif
#endif
