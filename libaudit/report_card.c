/*
 * report_card.c — the model card section (Mitchell et al., "Model Cards for
 * Model Reporting", FAT* 2019) from CARD.json, and the appendix: the
 * definition of every metric in the course's words beside the libraries'
 * names, and the provenance of every document (tool versions, parameters,
 * input sha256, seeds).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_impl.h"

struct def {
	const char *key;       /* JSON key, or NULL for a concept without one */
	const char *name;      /* the course's name (and the libraries') */
	const char *text;      /* definition */
};

static const struct def defs[] = {
	{ "selection_rate", "selection rate (independence / demographic parity)",
	  "(TP+FP)/n: the fraction of the group predicted positive. Fairlearn selection_rate; "
	  "parity of it across groups is independence (demographic or statistical parity)." },
	{ "favorable_rate", "favorable rate", "P(prediction = favorable value); equals the "
	  "selection rate when the favorable value is the positive one. AIF360's disparate "
	  "impact is its ratio to the privileged (reference) group's." },
	{ "base_rate", "base rate (prevalence)", "P/n: the fraction of the group whose label "
	  "is positive." },
	{ "accuracy", "accuracy", "(TP+TN)/n." },
	{ "balanced_accuracy", "balanced accuracy", "(TPR+TNR)/2." },
	{ "tpr", "true positive rate (separation / equal opportunity)", "TP/P, recall or "
	  "sensitivity. Parity of TPR across groups is equal opportunity (Hardt et al. 2016)." },
	{ "fpr", "false positive rate (separation / equalized odds)", "FP/N. Parity of both FPR "
	  "and FNR (equivalently TPR) across groups is separation, or equalized odds." },
	{ "fnr", "false negative rate (separation / equalized odds)", "FN/P = 1 \xE2\x88\x92 TPR." },
	{ "tnr", "true negative rate", "TN/N, specificity." },
	{ "ppv", "positive predictive value (sufficiency / predictive parity)", "TP/(TP+FP), "
	  "precision. Parity of PPV and FOR across groups is sufficiency (predictive parity); "
	  "calibration within groups implies it." },
	{ "npv", "negative predictive value", "TN/(TN+FN)." },
	{ "fdr", "false discovery rate", "FP/(TP+FP) = 1 \xE2\x88\x92 PPV." },
	{ "for", "false omission rate (sufficiency)", "FN/(FN+TN) = 1 \xE2\x88\x92 NPV." },
	{ "f1", "F1 score", "2 PPV TPR/(PPV+TPR)." },
	{ "auc", "ROC AUC", "The probability that a random positive scores above a random "
	  "negative, ties counted half; DeLong interval." },
	{ "brier", "Brier score", "Mean squared difference between score and label." },
	{ "log_loss", "log loss", "Mean negative log-likelihood of the labels under the score." },
	{ "ece", "expected calibration error", "Weighted mean |mean score \xE2\x88\x92 base rate| "
	  "over 10 equal-width score bins." },
	{ "demographic_parity_difference", "demographic parity difference (independence)",
	  "Fairlearn: max \xE2\x88\x92 min of the groups' selection rates (0 is parity)." },
	{ "demographic_parity_ratio", "demographic parity ratio (independence)",
	  "Fairlearn: min / max of the groups' selection rates (1 is parity); the four-fifths "
	  "rule asks for at least 0.8." },
	{ "equalized_odds_difference", "equalized odds difference (separation)",
	  "Fairlearn: the larger of the TPR and FPR max \xE2\x88\x92 min gaps." },
	{ "equalized_odds_ratio", "equalized odds ratio (separation)",
	  "Fairlearn: the smaller of the TPR and FPR min / max ratios." },
	{ "equal_opportunity_difference", "equal opportunity difference (separation)",
	  "max \xE2\x88\x92 min of the groups' TPR." },
	{ "equal_opportunity_ratio", "equal opportunity ratio (separation)",
	  "min / max of the groups' TPR." },
	{ "disparate_impact", "disparate impact (AIF360)", "Favorable rate of the unprivileged "
	  "group over the privileged (reference) group's." },
	{ "statistical_parity_difference", "statistical parity difference (AIF360)",
	  "Favorable rate of the unprivileged group minus the privileged group's." },
	{ "average_odds_difference", "average odds difference (AIF360)",
	  "Mean of the FPR difference and the TPR difference, unprivileged minus privileged." },
	{ "four_fifths_rule", "four-fifths rule", "EEOC (1978): adverse impact when a group's "
	  "favorable rate is below 0.8 of the highest group's; Aequitas's band: each group's "
	  "ratio to the reference within [0.8, 1.25]." },
	{ "favorable_rate_ratio_to_highest", "four-fifths ratio (EEOC)", "The lowest "
	  "group's favorable rate over the highest group's; the rule asks for at least 0.8." },
	{ "disparity", "disparity (against the reference)", "For a rate m: ratio m_g/m_ref and "
	  "difference m_g \xE2\x88\x92 m_ref (Aequitas)." },
	{ "flip_rate", "flip rate", "Fraction of rows whose predicted class changes under a "
	  "perturbation (denominator: the rows perturbed)." },
	{ "counterfactual", "counterfactual flip test (anti-classification)", "Set the protected "
	  "attribute of every row to each other value, all else equal; anti-classification "
	  "(fairness through unawareness) holds when no decision changes. It does not detect "
	  "proxies." },
	{ "mean_abs_score_change", "mean absolute score change", "Mean |score after \xE2\x88\x92 "
	  "score before| over the perturbed rows." },
	{ "shapley", "Shapley value (SHAP)", "A feature's average marginal contribution to the "
	  "model's output over all coalitions of the other features, interventional with "
	  "respect to a background sample (SHAP's exact, Kernel, Tree and Linear explainers "
	  "compute it); base value + sum = output." },
	{ "mean_abs", "global importance (mean |SHAP|)", "Mean absolute attribution of the "
	  "feature over the explained rows (SHAP's summary bar plot)." },
	{ "permutation", "permutation importance", "Drop in a metric when the feature's column "
	  "is shuffled (scikit-learn permutation_importance)." },
	{ "cramers_v", "Cram\xC3\xA9r's V / correlation ratio", "Association of a feature with a "
	  "protected attribute, 0 (none) to 1 (determines it): Cram\xC3\xA9r's V for two "
	  "categorical variables, the correlation ratio \xCE\xB7 for a numeric one." },
	{ "wilson", "Wilson score interval", "The interval audit-fair gives for a rate by "
	  "default; bootstrap intervals resample per-group confusion counts." },
	{ "chi2", "chi-square test of independence", "Between group and prediction "
	  "(selection rate) and within label strata (TPR, FPR); a small p-value says the "
	  "groups differ beyond chance." },
};

const char *
aud__metric_name(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(defs) / sizeof(defs[0]); i++)
		if (defs[i].key != NULL && strcmp(defs[i].key, key) == 0)
			return defs[i].name;
	return NULL;
}

static const char *const card_order[] = {
	"model_details", "intended_use", "factors", "metrics", "evaluation_data",
	"training_data", "quantitative_analyses", "ethical_considerations",
	"caveats_and_recommendations",
};

static void
humanize(char *buf, size_t size, const char *key)
{
	size_t i;

	snprintf(buf, size, "%s", key);
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == '_')
			buf[i] = ' ';
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
}

static int
draw_card_value(struct aud__rctx *c, const cJSON *v, int depth)
{
	const cJSON *e;
	char buf[4096];
	int rc = 0;

	if (cJSON_IsString(v))
		return aud__rep_text(c, AUD__FONT_REGULAR, AUD__BODY, 0, v->valuestring, 4);
	if (cJSON_IsArray(v)) {
		cJSON_ArrayForEach(e, v) {
			if (cJSON_IsObject(e) && depth < 3) {
				rc = draw_card_value(c, e, depth + 1);
			} else {
				aud_json_text(buf, sizeof(buf), e);
				rc = aud__rep_bullet(c, "%s", buf);
			}
			if (rc < 0)
				return rc;
		}
		c->y -= 3;
		return 0;
	}
	if (cJSON_IsObject(v)) {
		cJSON_ArrayForEach(e, v) {
			char label[128];

			humanize(label, sizeof(label), e->string);
			if (cJSON_IsString(e) || cJSON_IsNumber(e) || cJSON_IsBool(e)) {
				aud_json_text(buf, sizeof(buf), e);
				rc = aud__rep_para(c, "%s: %s", label, buf);
			} else if (depth < 3) {
				rc = aud__rep_text(c, AUD__FONT_BOLD, AUD__BODY, 0, label, 1);
				if (rc == 0)
					rc = draw_card_value(c, e, depth + 1);
			}
			if (rc < 0)
				return rc;
		}
		return 0;
	}
	aud_json_text(buf, sizeof(buf), v);
	return aud__rep_para(c, "%s", buf);
}

int
aud__report_card(struct aud__rctx *c)
{
	const cJSON *card = c->r->card;
	const cJSON *e;
	size_t i;
	int rc;

	rc = aud__rep_heading(c, 0, "Model card");
	if (rc < 0)
		return rc;
	if (card == NULL)
		return aud__rep_para(c, "No model card was given (--model-card CARD.json). A model "
		    "card (Mitchell et al. 2019) states the model's details, intended use, the "
		    "factors and metrics it was evaluated on, its data, quantitative analyses, "
		    "ethical considerations, caveats and recommendations; this report's other "
		    "sections are its quantitative analyses.");
	rc = aud__rep_para(c, "Following Mitchell et al., \"Model Cards for Model Reporting\" "
	    "(FAT* 2019), from %s.", c->r->card_name);
	for (i = 0; rc == 0 && i < sizeof(card_order) / sizeof(card_order[0]); i++) {
		const cJSON *v = aud_json_get(card, card_order[i]);
		char label[128];

		if (v == NULL)
			continue;
		humanize(label, sizeof(label), card_order[i]);
		rc = aud__rep_heading(c, 1, label);
		if (rc == 0)
			rc = draw_card_value(c, v, 0);
	}
	/* any other section the card has, in its order */
	cJSON_ArrayForEach(e, card) {
		char label[128];

		if (rc < 0)
			break;
		for (i = 0; i < sizeof(card_order) / sizeof(card_order[0]); i++)
			if (strcmp(e->string, card_order[i]) == 0)
				break;
		if (i < sizeof(card_order) / sizeof(card_order[0]))
			continue;
		humanize(label, sizeof(label), e->string);
		rc = aud__rep_heading(c, 1, label);
		if (rc == 0)
			rc = draw_card_value(c, e, 0);
	}
	return rc;
}

static int
draw_definitions(struct aud__rctx *c)
{
	static const struct aud__col cols[] = {
		{ "Term (the course's name)", 0.27, AUD__LEFT }, { "Key", 0.23, AUD__LEFT },
		{ "Definition (and the libraries' names)", 0.50, AUD__LEFT },
	};
	struct aud__table t;
	size_t i;
	int rc;

	rc = aud__rep_heading(c, 1, "Definitions");
	if (rc == 0)
		rc = aud__rep_para(c, "TP, FP, TN, FN count true and false positives and negatives "
		    "against the positive value; P = TP+FN, N = FP+TN, n = P+N. An undefined "
		    "quantity (0/0) is reported as undefined, never as 0.");
	if (rc == 0)
		rc = aud__rep_table_begin(c, &t, cols, 3, AUD__SMALL);
	for (i = 0; rc == 0 && i < sizeof(defs) / sizeof(defs[0]); i++) {
		const char *cells[3];

		cells[0] = defs[i].name;
		cells[1] = defs[i].key;
		cells[2] = defs[i].text;
		rc = aud__rep_table_row(c, &t, cells, 0);
	}
	if (rc == 0)
		aud__rep_table_end(c, &t);
	return rc;
}

/* A key of params, else of input (NULL when neither has it as a string). */
static const char *
param_or_input(const cJSON *doc, const char *key)
{
	const char *v = aud_json_str(aud_json_get(doc, "params"), key);

	return v != NULL ? v : aud_json_str(aud_json_get(doc, "input"), key);
}

/* The model a robustness or explanation document ran: the command string or the
 * model file, and the SHA-256 of the model file and of the background file, as
 * the tools write them (input.model {path, sha256, command}, input.background
 * {path, sha256}, params.model_cmd), or params/input "model_sha256" and
 * "background_sha256"; else a note that the document does not record them. */
static int
draw_model_provenance(struct aud__rctx *c, struct aud__table *t, const cJSON *doc)
{
	const cJSON *im = aud_json_get(aud_json_get(doc, "input"), "model");
	const cJSON *ib = aud_json_get(aud_json_get(doc, "input"), "background");
	const char *cmd = aud_json_str(im, "command") != NULL ? aud_json_str(im, "command") :
	    param_or_input(doc, "model_cmd");
	const char *model = aud_json_str(im, "path") != NULL ? aud_json_str(im, "path") :
	    param_or_input(doc, "model");
	const char *msha = aud_json_str(im, "sha256") != NULL ? aud_json_str(im, "sha256") :
	    param_or_input(doc, "model_sha256");
	const char *bg = aud_json_str(ib, "path") != NULL ? aud_json_str(ib, "path") :
	    param_or_input(doc, "background");
	const char *bsha = aud_json_str(ib, "sha256") != NULL ? aud_json_str(ib, "sha256") :
	    param_or_input(doc, "background_sha256");
	struct aud__row row;
	int rc;

	aud__row_init(&row);
	aud__row_set(&row, 0, "model run");
	if (cmd != NULL)
		aud__row_set(&row, 1, "command: %s", cmd);
	else if (model != NULL)
		aud__row_set(&row, 1, "%s", model);
	else
		aud__row_set(&row, 1, "(not recorded in the document)");
	rc = aud__rep_table_row(c, t, row.cells, 0);
	if (rc < 0)
		return rc;
	aud__row_init(&row);
	aud__row_set(&row, 0, "model SHA-256");
	aud__row_set(&row, 1, "%s", msha != NULL ? msha : "(not recorded in the document)");
	rc = aud__rep_table_row(c, t, row.cells, 0);
	if (rc < 0 || bg == NULL)
		return rc;
	aud__row_init(&row);
	aud__row_set(&row, 0, "background SHA-256");
	aud__row_set(&row, 1, "%s", bsha != NULL ? bsha : "(not recorded in the document)");
	return aud__rep_table_row(c, t, row.cells, 0);
}

static int
draw_provenance(struct aud__rctx *c)
{
	static const struct aud__col cols[] = {
		{ "Item", 0.25, AUD__LEFT }, { "Value", 0.75, AUD__LEFT },
	};
	size_t i;
	int rc;

	rc = aud__rep_heading(c, 1, "Provenance");
	if (rc == 0)
		rc = aud__rep_para(c, "What produced each document: the tool and its version, the "
		    "input's SHA-256 and size, the parameters (including the seed of everything "
		    "random). Rerunning the tools with these gives the same documents.");
	for (i = 0; rc == 0 && i < c->r->ndocs; i++) {
		const cJSON *doc = c->r->docs[i].json;
		const cJSON *in = aud_json_get(doc, "input");
		const cJSON *p = aud_json_get(doc, "params");
		const cJSON *e;
		struct aud__table t;
		static const char *const top[] = { "tool", "version", "schema", "created" };
		size_t k;
		char head[512];

		snprintf(head, sizeof(head), "Document %zu: %s", i + 1, c->r->docs[i].name);
		rc = aud__rep_heading(c, 2, head);
		if (rc == 0)
			rc = aud__rep_table_begin(c, &t, cols, 2, AUD__SMALL);
		for (k = 0; rc == 0 && k < 4; k++) {
			struct aud__row row;

			if (aud_json_get(doc, top[k]) == NULL)
				continue;
			aud__row_init(&row);
			aud__row_set(&row, 0, "%s", top[k]);
			aud_json_text(row.buf[1], AUD__CELL, aud_json_get(doc, top[k]));
			rc = aud__rep_table_row(c, &t, row.cells, 0);
		}
		if (!cJSON_IsObject(in))
			in = NULL;
		if (!cJSON_IsObject(p))
			p = NULL;
		cJSON_ArrayForEach(e, in) {
			struct aud__row row;

			if (rc < 0)
				break;
			aud__row_init(&row);
			/* older explanation documents counted the explained rows there */
			if (strcmp(e->string, "rows") == 0 &&
			    c->r->docs[i].kind == AUD_REPORT_EXPLANATION &&
			    aud_json_get(aud_json_get(doc, "results"), "explained_rows") == NULL)
				aud__row_set(&row, 0, "input.rows\n(rows explained, not the file's)");
			else
				aud__row_set(&row, 0, "input.%s", e->string);
			aud_json_text(row.buf[1], AUD__CELL, e);
			rc = aud__rep_table_row(c, &t, row.cells, 0);
		}
		if (rc == 0 && c->r->docs[i].kind != AUD_REPORT_FAIRNESS)
			rc = draw_model_provenance(c, &t, doc);
		cJSON_ArrayForEach(e, p) {
			struct aud__row row;

			if (rc < 0)
				break;
			aud__row_init(&row);
			aud__row_set(&row, 0, "params.%s", e->string);
			aud_json_text(row.buf[1], AUD__CELL, e);
			rc = aud__rep_table_row(c, &t, row.cells, 0);
		}
		if (rc == 0)
			aud__rep_table_end(c, &t);
	}
	if (rc == 0 && c->r->card != NULL)
		rc = aud__rep_para(c, "Model card: %s.", c->r->card_name);
	if (rc == 0)
		rc = aud__rep_para(c, "Report drawn by %s with libharu; text in DejaVu Sans "
		    "(embedded).", c->r->generator != NULL ? c->r->generator : "libaudit");
	return rc;
}

int
aud__report_appendix(struct aud__rctx *c)
{
	int rc = aud__rep_heading(c, 0, "Appendix");

	if (rc == 0)
		rc = draw_definitions(c);
	if (rc == 0)
		rc = draw_provenance(c);
	return rc;
}
