/*
 * fairness_impl.h — private: the metric and summary tables shared by
 * fairness.c (computation, checks) and fairness_format.c (rendering).
 */
#ifndef AUDIT_FAIRNESS_IMPL_H
#define AUDIT_FAIRNESS_IMPL_H

#include <stddef.h>

/* Per-group metrics, in output order. The first AUD__NRATE are rates with a disparity. */
enum aud__metric {
	AUD__M_BASE_RATE, AUD__M_SELECTION_RATE, AUD__M_FAVORABLE_RATE, AUD__M_ACCURACY,
	AUD__M_TPR, AUD__M_FPR, AUD__M_TNR, AUD__M_FNR, AUD__M_PPV, AUD__M_NPV,
	AUD__M_FDR, AUD__M_FOR, AUD__M_F1, AUD__M_BALANCED_ACCURACY,
	AUD__M_AUC, AUD__M_BRIER, AUD__M_LOG_LOSS, AUD__M_ECE, AUD__M_MEAN_SCORE,
	AUD__NMET
};
#define AUD__NRATE 14
#define AUD__NSCORE 5

/* Per-attribute summaries, in output order. The last three only for binary attributes. */
enum aud__summary {
	AUD__S_DP_DIFF, AUD__S_DP_RATIO, AUD__S_EO_DIFF, AUD__S_EO_RATIO,
	AUD__S_EOP_DIFF, AUD__S_EOP_RATIO, AUD__S_DI, AUD__S_SPD, AUD__S_AOD,
	AUD__NSUM
};
#define AUD__NSUM_ALL 6

/* Chi-square tests per attribute. */
#define AUD__NTEST 3

struct aud__metric_info {
	const char *key;      /* JSON key */
	const char *label;    /* short column label for tables */
	const char *course;   /* the course's vocabulary ("" when none) */
	const char *library;  /* the libraries' name */
};

extern const struct aud__metric_info aud__metrics[AUD__NMET];
extern const struct aud__metric_info aud__summaries[AUD__NSUM];
extern const char *const aud__tests[AUD__NTEST];

/* Index of a metric/summary key, or -1. */
int aud__metric_index(const char *key);
int aud__summary_index(const char *key);

#endif
