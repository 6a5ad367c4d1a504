/*
 * report_words.h — plain words for the report's findings (private to the
 * report*.c files): numbers as a sentence writes them, with their interval,
 * and the sentences of the robustness findings.
 *
 * A percentage is a proportion times 100 with at most three significant
 * digits: whole from 10% ("23%"), one decimal from 1% ("4.1%"), two
 * significant digits below ("0.35%"), "0%" for zero. A plain number has three
 * significant digits ("%.3g"). An interval reads " (95% CI 3.2% to 5.0%)" and
 * is left out (empty string) when either end is unknown.
 */
#ifndef AUDIT_REPORT_WORDS_H
#define AUDIT_REPORT_WORDS_H

#include <stddef.h>

#include "report_impl.h"

/** A proportion as a percentage ("4.1%"); "undefined" for NaN. */
void aud__words_pct(char *buf, size_t size, double v);
/** A proportion as a percentage with one decimal ("73.2%"), for accuracies. */
void aud__words_pct1(char *buf, size_t size, double v);
/** A rate's name in words ("selection rate", "false positive rate"), or the key. */
const char *aud__words_rate(const char *key);
/** " (95% CI lo% to hi%)" of two proportions, or "". */
void aud__words_pct_ci(char *buf, size_t size, double lo, double hi);
/** A number with three significant digits; "undefined" for NaN. */
void aud__words_num(char *buf, size_t size, double v);
/** " (95% CI lo to hi)" of two numbers, or "". */
void aud__words_ci(char *buf, size_t size, double lo, double hi);

/**
 * The robustness document's findings in plain words, one bullet each: each
 * counterfactual flip test ("Changing only 'sex' changes 1.5% of the
 * decisions (95% CI 1.1% to 2.0%)."), and the perturbation with the largest
 * flip rate, its accuracy drop and the groups it affects most and least.
 * @return 0 or a negative AUD_E* code
 */
int aud__report_robust_words(struct aud__rctx *c, const struct aud__rdoc *d);

#endif
