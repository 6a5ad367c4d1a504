/*
 * metrics.h — the vocabulary of rai-audit: for every metric and concept the
 * tools report, its JSON key, the short label of a table column, the name
 * people read, the course's term, the libraries' name (Fairlearn, AIF360,
 * scikit-learn, SHAP) and a one-line definition.
 *
 * One table serves every place that names a metric: the text views
 * (audit-fair's column labels), the PDF report's metric names and glossary,
 * and the man pages (a test checks that audit-fair's names every fairness
 * key of the table and no metric the table lacks). The table is constant:
 * nothing here allocates or fails.
 */
#ifndef AUDIT_METRICS_H
#define AUDIT_METRICS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What an entry is. */
enum aud_metric_kind {
	AUD_METRIC_KIND_GROUP,       /**< a metric of one group (audit-fair "metrics") */
	AUD_METRIC_KIND_SUMMARY,     /**< a summary over an attribute's groups (audit-fair "summary") */
	AUD_METRIC_KIND_ROBUSTNESS,  /**< a robustness quantity (audit-robust) */
	AUD_METRIC_KIND_CONCEPT      /**< a concept or method named in outputs and the report */
};

/** One entry of the vocabulary. Every text is static. */
struct aud_metric_info {
	const char *key;         /**< the JSON key ("selection_rate") */
	enum aud_metric_kind kind;
	const char *label;       /**< a table column's label ("sel. rate"); NULL when none */
	const char *name;        /**< the name people read, with the course's term */
	const char *course;      /**< the course's term; NULL when none */
	const char *library;     /**< the libraries' name; NULL when none */
	const char *definition;  /**< one line */
};

/** The number of entries. */
size_t aud_metric_info_count(void);

/** Entry i (in the glossary's order), NULL past the end. Static. */
const struct aud_metric_info *aud_metric_info_at(size_t i);

/** The entry of a JSON key, NULL when the vocabulary lacks it. Static. */
const struct aud_metric_info *aud_metric_info_find(const char *key);

#ifdef __cplusplus
}
#endif
#endif
