/*
 * metrics.c — the vocabulary of every metric and concept the tools report
 * (metrics.h): one table, read by the text views, the report's glossary and
 * metric names, and checked against the man pages by the tests.
 */
#include <audit/metrics.h>

#include <string.h>

static const struct aud_metric_info table[] = {
	{ "selection_rate", AUD_METRIC_KIND_GROUP, "sel. rate",
	  "selection rate (independence / demographic parity)",
	  "independence / demographic parity", "selection_rate (Fairlearn)",
	  "(TP+FP)/n: the fraction of the group predicted positive. Fairlearn selection_rate; "
	  "parity of it across groups is independence (demographic or statistical parity)." },
	{ "favorable_rate", AUD_METRIC_KIND_GROUP, "fav. rate",
	  "favorable rate",
	  "four-fifths rule (disparate impact)", "favorable rate (AIF360)",
	  "P(prediction = favorable value); equals the "
	  "selection rate when the favorable value is the positive one. AIF360's disparate "
	  "impact is its ratio to the privileged (reference) group's." },
	{ "base_rate", AUD_METRIC_KIND_GROUP, "base rate",
	  "base rate (prevalence)",
	  "prevalence", "base_rate (AIF360)",
	  "P/n: the fraction of the group whose label "
	  "is positive." },
	{ "accuracy", AUD_METRIC_KIND_GROUP, "accuracy",
	  "accuracy",
	  NULL, "accuracy_score",
	  "(TP+TN)/n." },
	{ "baseline_accuracy", AUD_METRIC_KIND_GROUP, "baseline acc.",
	  "baseline accuracy (majority class)",
	  NULL, "DummyClassifier(strategy=\"most_frequent\") (scikit-learn)",
	  "The accuracy, on the group, of always predicting the label most frequent over all "
	  "rows; a model that does not beat it has learnt little." },
	{ "balanced_accuracy", AUD_METRIC_KIND_GROUP, "bal. acc.",
	  "balanced accuracy",
	  NULL, "balanced_accuracy_score",
	  "(TPR+TNR)/2." },
	{ "tpr", AUD_METRIC_KIND_GROUP, "TPR",
	  "true positive rate (separation / equal opportunity)",
	  "equal opportunity (recall)", "true_positive_rate",
	  "TP/P, recall or "
	  "sensitivity. Parity of TPR across groups is equal opportunity (Hardt et al. 2016)." },
	{ "fpr", AUD_METRIC_KIND_GROUP, "FPR",
	  "false positive rate (separation / equalized odds)",
	  "separation / equalized odds", "false_positive_rate",
	  "FP/N. Parity of both FPR "
	  "and FNR (equivalently TPR) across groups is separation, or equalized odds." },
	{ "fnr", AUD_METRIC_KIND_GROUP, "FNR",
	  "false negative rate (separation / equalized odds)",
	  "separation / equalized odds", "false_negative_rate",
	  "FN/P = 1 \xE2\x88\x92 TPR." },
	{ "tnr", AUD_METRIC_KIND_GROUP, "TNR",
	  "true negative rate",
	  "separation (specificity)", "true_negative_rate",
	  "TN/N, specificity." },
	{ "ppv", AUD_METRIC_KIND_GROUP, "PPV",
	  "positive predictive value (sufficiency / predictive parity)",
	  "sufficiency / predictive parity (precision)", "precision_score",
	  "TP/(TP+FP), "
	  "precision. Parity of PPV and FOR across groups is sufficiency (predictive parity); "
	  "calibration within groups implies it." },
	{ "npv", AUD_METRIC_KIND_GROUP, "NPV",
	  "negative predictive value",
	  "sufficiency", "negative_predictive_value",
	  "TN/(TN+FN)." },
	{ "fdr", AUD_METRIC_KIND_GROUP, "FDR",
	  "false discovery rate",
	  "sufficiency", "false_discovery_rate",
	  "FP/(TP+FP) = 1 \xE2\x88\x92 PPV." },
	{ "for", AUD_METRIC_KIND_GROUP, "FOR",
	  "false omission rate (sufficiency)",
	  "sufficiency / predictive parity", "false_omission_rate",
	  "FN/(FN+TN) = 1 \xE2\x88\x92 NPV." },
	{ "f1", AUD_METRIC_KIND_GROUP, "F1",
	  "F1 score",
	  NULL, "f1_score",
	  "2 PPV TPR/(PPV+TPR)." },
	{ "auc", AUD_METRIC_KIND_GROUP, "AUC",
	  "ROC AUC",
	  "ranking quality", "roc_auc_score",
	  "The probability that a random positive scores above a random "
	  "negative, ties counted half; DeLong interval." },
	{ "brier", AUD_METRIC_KIND_GROUP, "Brier",
	  "Brier score",
	  "calibration", "brier_score_loss",
	  "Mean squared difference between score and label." },
	{ "log_loss", AUD_METRIC_KIND_GROUP, "log loss",
	  "log loss",
	  "calibration", "log_loss",
	  "Mean negative log-likelihood of the labels under the score." },
	{ "ece", AUD_METRIC_KIND_GROUP, "ECE",
	  "expected calibration error",
	  "calibration (10 bins)", "expected calibration error",
	  "Weighted mean |mean score \xE2\x88\x92 base rate| "
	  "over 10 equal-width score bins." },
	{ "mean_score", AUD_METRIC_KIND_GROUP, "mean score",
	  "mean score",
	  NULL, "mean of the score",
	  "The mean of the score over the group's rows." },
	{ "demographic_parity_difference", AUD_METRIC_KIND_SUMMARY, NULL,
	  "demographic parity difference (independence)",
	  "independence / demographic parity", "demographic_parity_difference (Fairlearn)",
	  "Fairlearn: max \xE2\x88\x92 min of the groups' selection rates (0 is parity)." },
	{ "demographic_parity_ratio", AUD_METRIC_KIND_SUMMARY, NULL,
	  "demographic parity ratio (independence)",
	  "independence / demographic parity", "demographic_parity_ratio (Fairlearn)",
	  "Fairlearn: min / max of the groups' selection rates (1 is parity); the four-fifths "
	  "rule asks for at least 0.8." },
	{ "equalized_odds_difference", AUD_METRIC_KIND_SUMMARY, NULL,
	  "equalized odds difference (separation)",
	  "separation / equalized odds", "equalized_odds_difference (Fairlearn)",
	  "Fairlearn: the larger of the TPR and FPR max \xE2\x88\x92 min gaps." },
	{ "equalized_odds_ratio", AUD_METRIC_KIND_SUMMARY, NULL,
	  "equalized odds ratio (separation)",
	  "separation / equalized odds", "equalized_odds_ratio (Fairlearn)",
	  "Fairlearn: the smaller of the TPR and FPR min / max ratios." },
	{ "equal_opportunity_difference", AUD_METRIC_KIND_SUMMARY, NULL,
	  "equal opportunity difference (separation)",
	  "equal opportunity", "equal_opportunity_difference (Fairlearn)",
	  "max \xE2\x88\x92 min of the groups' TPR." },
	{ "equal_opportunity_ratio", AUD_METRIC_KIND_SUMMARY, NULL,
	  "equal opportunity ratio (separation)",
	  "equal opportunity", "equal_opportunity_ratio (Fairlearn)",
	  "min / max of the groups' TPR." },
	{ "disparate_impact", AUD_METRIC_KIND_SUMMARY, NULL,
	  "disparate impact (AIF360)",
	  "four-fifths rule", "disparate_impact (AIF360)",
	  "Favorable rate of the unprivileged "
	  "group over the privileged (reference) group's." },
	{ "statistical_parity_difference", AUD_METRIC_KIND_SUMMARY, NULL,
	  "statistical parity difference (AIF360)",
	  "independence / demographic parity", "statistical_parity_difference (AIF360)",
	  "Favorable rate of the unprivileged group minus the privileged group's." },
	{ "average_odds_difference", AUD_METRIC_KIND_SUMMARY, NULL,
	  "average odds difference (AIF360)",
	  "separation / equalized odds", "average_odds_difference (AIF360)",
	  "Mean of the FPR difference and the TPR difference, unprivileged minus privileged." },
	{ "four_fifths_rule", AUD_METRIC_KIND_CONCEPT, NULL,
	  "four-fifths rule",
	  "four-fifths rule", NULL,
	  "EEOC (1978): adverse impact when a group's "
	  "favorable rate is below 0.8 of the highest group's; Aequitas's band: each group's "
	  "ratio to the reference within [0.8, 1.25]." },
	{ "favorable_rate_ratio_to_highest", AUD_METRIC_KIND_CONCEPT, NULL,
	  "four-fifths ratio (EEOC)",
	  "four-fifths rule", NULL,
	  "The lowest "
	  "group's favorable rate over the highest group's; the rule asks for at least 0.8." },
	{ "disparity", AUD_METRIC_KIND_CONCEPT, NULL,
	  "disparity (against the reference)",
	  NULL, NULL,
	  "For a rate m: ratio m_g/m_ref and "
	  "difference m_g \xE2\x88\x92 m_ref (Aequitas)." },
	{ "flip_rate", AUD_METRIC_KIND_ROBUSTNESS, NULL,
	  "flip rate",
	  "robustness", NULL,
	  "Fraction of rows whose predicted class changes under a "
	  "perturbation (denominator: the rows perturbed)." },
	{ "counterfactual", AUD_METRIC_KIND_CONCEPT, NULL,
	  "counterfactual flip test (anti-classification)",
	  "anti-classification", NULL,
	  "Set the protected "
	  "attribute of every row to each other value, all else equal; anti-classification "
	  "(fairness through unawareness) holds when no decision changes. It does not detect "
	  "proxies." },
	{ "mean_abs_score_change", AUD_METRIC_KIND_ROBUSTNESS, NULL,
	  "mean absolute score change",
	  "robustness", NULL,
	  "Mean |score after \xE2\x88\x92 "
	  "score before| over the perturbed rows." },
	{ "shapley", AUD_METRIC_KIND_CONCEPT, NULL,
	  "Shapley value (SHAP)",
	  NULL, "SHAP",
	  "A feature's average marginal contribution to the "
	  "model's output over all coalitions of the other features, interventional with "
	  "respect to a background sample (SHAP's exact, Kernel, Tree and Linear explainers "
	  "compute it), or path-dependent (tree-path: a feature left out follows each "
	  "branch weighted by its training rows, as SHAP's TreeExplainer does without "
	  "data); base value + sum = output." },
	{ "mean_abs", AUD_METRIC_KIND_CONCEPT, NULL,
	  "global importance (mean |SHAP|)",
	  NULL, "SHAP summary bar plot",
	  "Mean absolute attribution of the "
	  "feature over the explained rows (SHAP's summary bar plot)." },
	{ "permutation", AUD_METRIC_KIND_CONCEPT, NULL,
	  "permutation importance",
	  NULL, "permutation_importance (scikit-learn)",
	  "Drop in a metric when the feature's column "
	  "is shuffled (scikit-learn permutation_importance)." },
	{ "cramers_v", AUD_METRIC_KIND_CONCEPT, NULL,
	  "Cram\xC3\xA9r's V / correlation ratio",
	  NULL, NULL,
	  "Association of a feature with a "
	  "protected attribute, 0 (none) to 1 (determines it): Cram\xC3\xA9r's V for two "
	  "categorical variables, the correlation ratio \xCE\xB7 for a numeric one." },
	{ "wilson", AUD_METRIC_KIND_CONCEPT, NULL,
	  "Wilson score interval",
	  NULL, NULL,
	  "The interval audit-fair gives for a rate by "
	  "default; bootstrap intervals resample per-group confusion counts." },
	{ "chi2", AUD_METRIC_KIND_CONCEPT, NULL,
	  "chi-square test of independence",
	  NULL, NULL,
	  "Between group and prediction "
	  "(selection rate) and within label strata (TPR, FPR); a small p-value says the "
	  "groups differ beyond chance." },
};

size_t
aud_metric_info_count(void)
{
	return sizeof(table) / sizeof(table[0]);
}

const struct aud_metric_info *
aud_metric_info_at(size_t i)
{
	return i < aud_metric_info_count() ? &table[i] : NULL;
}

const struct aud_metric_info *
aud_metric_info_find(const char *key)
{
	size_t i;

	for (i = 0; key != NULL && i < aud_metric_info_count(); i++)
		if (strcmp(table[i].key, key) == 0)
			return &table[i];
	return NULL;
}
