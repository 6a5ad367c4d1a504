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

#include <audit/metrics.h>

#include "report_impl.h"

/* The report's name of a metric key (its vocabulary entry's), or NULL. */
const char *
aud__metric_name(const char *key)
{
	const struct aud_metric_info *m = aud_metric_info_find(key);

	return m != NULL ? m->name : NULL;
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
	for (i = 0; rc == 0 && i < aud_metric_info_count(); i++) {
		const struct aud_metric_info *m = aud_metric_info_at(i);
		const char *cells[3];

		cells[0] = m->name;
		cells[1] = m->key;
		cells[2] = m->definition;
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
		if (rc == 0 && (c->r->docs[i].kind == AUD_REPORT_ROBUSTNESS ||
		    c->r->docs[i].kind == AUD_REPORT_EXPLANATION))
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
		rc = aud__rep_para(c, "Report drawn by %s with libharu; text in %s (embedded), "
		    "with the installed fonts that have the characters it lacks.",
		    c->r->generator != NULL ? c->r->generator : "libaudit", c->r->font);
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
