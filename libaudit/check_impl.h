/* check_impl.h — the evaluation behind aud_check_set_run(), for modules that
 * hold their expressions in an array of their own (aud_fairness_check()). */
#ifndef AUDIT_CHECK_IMPL_H
#define AUDIT_CHECK_IMPL_H

#include <audit/check.h>

/* Evaluate n expressions through r, as aud_check_set_run() does. */
int aud__check_run_exprs(const struct aud_check_resolver *r, struct aud_expr *const *exprs,
    size_t n, int allow_undefined, const cJSON *results, cJSON *checks, cJSON *warnings,
    size_t *nfailed, struct aud_error *err);

/* Where an entry applies: "perturbation flip:sex", "feature age", "sex / F",
 * "perturbation flip:sex, sex / F", "age / out_of_range, first at a.csv:7" (audit-data
 * check: subject_key "first"), or "" (the whole results). */
void aud__check_where(char *buf, size_t size, const cJSON *entry);

/* An entry's value as the failure lines and JUnit print it: "%.6g" or "undefined". */
void aud__check_value_text(char buf[32], const cJSON *entry);

#endif
