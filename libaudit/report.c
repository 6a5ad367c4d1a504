/*
 * report.c — the report object (documents, model card), the envelope check,
 * and the drawing of the cover, executive summary and data/model overview;
 * the other sections are in report_data.c, report_fair.c, report_task.c,
 * report_slice.c, report_mitigate.c, report_robust.c, report_explain.c and
 * report_card.c.
 */
#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <audit/text.h>
#include <audit/json.h>
#include <audit/report.h>

#include "report_impl.h"
#include "report_words.h"

#define DEFAULT_TITLE "Responsible-AI audit report"

int
aud_paper_parse(enum aud_paper *out, const char *s, struct aud_error *err)
{
	if (strcasecmp(s, "a4") == 0)
		*out = AUD_PAPER_A4;
	else if (strcasecmp(s, "letter") == 0)
		*out = AUD_PAPER_LETTER;
	else
		return AUD_ERROR(err, AUD_EINVAL, "unknown paper size '%s' (a4 or letter)", s);
	return 0;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

int
aud_report_new(struct aud_report **out, const struct aud_report_options *opts,
    struct aud_error *err)
{
	struct aud_report *r;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	r->title = strdup(opts->title != NULL ? opts->title : DEFAULT_TITLE);
	r->font = strdup(opts->font != NULL ? opts->font : AUD_REPORT_FONT);
	r->bold_font = opts->bold_font != NULL ? strdup(opts->bold_font) : NULL;
	r->generator = dup_or_null(opts->generator);
	r->paper = opts->paper;
	r->created = opts->created;
	if (r->title == NULL || r->font == NULL ||
	    (opts->bold_font != NULL && r->bold_font == NULL) ||
	    (opts->generator != NULL && r->generator == NULL)) {
		aud_report_free(r);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	*out = r;
	return 0;
}

void
aud_report_free(struct aud_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ndocs; i++) {
		free(r->docs[i].name);
		cJSON_Delete(r->docs[i].json);
	}
	free(r->docs);
	cJSON_Delete(r->card);
	free(r->card_name);
	free(r->warning);
	free(r->title);
	free(r->font);
	free(r->bold_font);
	free(r->generator);
	free(r);
}

static const struct {
	const char *family;
	enum aud_report_kind kind;
} schemas[] = {
	{ "audit.fairness", AUD_REPORT_FAIRNESS },
	{ "audit.robust", AUD_REPORT_ROBUSTNESS },
	{ "audit.robustness", AUD_REPORT_ROBUSTNESS },
	{ "audit.explain", AUD_REPORT_EXPLANATION },
	{ "audit.explanation", AUD_REPORT_EXPLANATION },
	{ "audit.mitigate", AUD_REPORT_MITIGATION },
	{ "audit.data-profile", AUD_REPORT_DATA_PROFILE },
	{ "audit.data-check", AUD_REPORT_DATA_CHECK },
	{ "audit.drift", AUD_REPORT_DRIFT },
	{ "audit.slice", AUD_REPORT_SLICE },
	{ "audit.fairness-multiclass", AUD_REPORT_FAIRNESS_MULTICLASS },
	{ "audit.fairness-regression", AUD_REPORT_FAIRNESS_REGRESSION },
};

/* 1 for the kinds of audit-data. */
static int
is_data(enum aud_report_kind k)
{
	return k == AUD_REPORT_DATA_PROFILE || k == AUD_REPORT_DATA_CHECK ||
	    k == AUD_REPORT_DRIFT;
}

/* 1 for audit-fair --task multiclass and regression. */
static int
is_task(enum aud_report_kind k)
{
	return k == AUD_REPORT_FAIRNESS_MULTICLASS || k == AUD_REPORT_FAIRNESS_REGRESSION;
}

int
aud_report_classify(enum aud_report_kind *out, const cJSON *doc, const char *name,
    struct aud_error *err)
{
	const cJSON *schema, *v;
	const char *slash;
	size_t i, flen;

	if (!cJSON_IsObject(doc))
		return AUD_ERROR(err, AUD_EPARSE,
		    "%s: not a rai-audit result: expected a JSON object", name);
	schema = aud_json_get(doc, "schema");
	if (!cJSON_IsString(schema))
		return AUD_ERROR(err, AUD_EPARSE,
		    "%s: not a rai-audit result: no 'schema' string", name);
	slash = strchr(schema->valuestring, '/');
	flen = slash != NULL ? (size_t)(slash - schema->valuestring) : 0;
	for (i = 0; slash != NULL && i < sizeof(schemas) / sizeof(schemas[0]); i++) {
		if (strlen(schemas[i].family) == flen &&
		    strncmp(schemas[i].family, schema->valuestring, flen) == 0 &&
		    strcmp(slash + 1, "1") == 0)
			break;
	}
	if (slash == NULL || i == sizeof(schemas) / sizeof(schemas[0]))
		return AUD_ERROR(err, AUD_EPARSE,
		    "%s: unknown schema '%s' (expected audit.fairness/1, "
		    "audit.fairness-multiclass/1, audit.fairness-regression/1, audit.robust/1, "
		    "audit.explain/1, audit.mitigate/1, audit.data-profile/1, "
		    "audit.data-check/1, audit.drift/1 or audit.slice/1)", name,
		    schema->valuestring);
	if (!cJSON_IsObject(aud_json_get(doc, "results")))
		return AUD_ERROR(err, AUD_EPARSE,
		    "%s: not a rai-audit result: no 'results' object", name);
	v = aud_json_get(doc, "checks");
	if (v != NULL && !cJSON_IsArray(v))
		return AUD_ERROR(err, AUD_EPARSE, "%s: 'checks' is not an array", name);
	if (v != NULL) {
		const cJSON *e;

		cJSON_ArrayForEach(e, v) {
			if (!cJSON_IsObject(e))
				return AUD_ERROR(err, AUD_EPARSE,
				    "%s: an entry of 'checks' is not an object", name);
		}
	}
	v = aud_json_get(doc, "warnings");
	if (v != NULL && !cJSON_IsArray(v))
		return AUD_ERROR(err, AUD_EPARSE, "%s: 'warnings' is not an array", name);
	*out = schemas[i].kind;
	return 0;
}

int
aud_report_add(struct aud_report *r, const char *name, cJSON *doc,
    struct aud_error *err)
{
	enum aud_report_kind kind;
	int rc;

	rc = aud_report_classify(&kind, doc, name, err);
	if (rc < 0)
		goto fail;
	if (r->ndocs == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 8;
		struct aud__rdoc *d = realloc(r->docs, cap * sizeof(*d));

		if (d == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto fail;
		}
		r->docs = d;
		r->cap = cap;
	}
	r->docs[r->ndocs].name = strdup(name);
	if (r->docs[r->ndocs].name == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto fail;
	}
	r->docs[r->ndocs].json = doc;
	r->docs[r->ndocs].kind = kind;
	r->ndocs++;
	return 0;
fail:
	cJSON_Delete(doc);
	return rc;
}

int
aud_report_add_file(struct aud_report *r, const char *path, struct aud_error *err)
{
	cJSON *doc = NULL;
	int rc = aud_json_read_file(&doc, path, err);

	if (rc < 0)
		return rc;
	return aud_report_add(r, path, doc, err);
}

static const char *const card_sections[] = {
	"model_details", "intended_use", "factors", "metrics", "evaluation_data",
	"training_data", "quantitative_analyses", "ethical_considerations",
	"caveats_and_recommendations",
};

static const char *
json_type(const cJSON *v)
{
	return cJSON_IsString(v) ? "a string" : cJSON_IsNumber(v) ? "a number" :
	    cJSON_IsBool(v) ? "a boolean" : cJSON_IsNull(v) ? "null" :
	    cJSON_IsArray(v) ? "a list" : cJSON_IsObject(v) ? "an object" : "invalid";
}

/* Check v at `path` (dotted keys, [i] for list items); depth 0 is a section. */
static int
check_card_value(const cJSON *v, char *path, size_t plen, size_t cap, int depth,
    const char *name, struct aud_error *err)
{
	const cJSON *e;
	size_t i = 0;
	int rc;

	if (depth > 3)
		return AUD_ERROR(err, AUD_EPARSE, "%s: model card: '%s' is nested deeper than 4 "
		    "levels", name, path);
	if (cJSON_IsString(v))
		return 0;
	if (depth > 0 && (cJSON_IsNumber(v) || cJSON_IsBool(v)))
		return 0;
	if (cJSON_IsArray(v)) {
		cJSON_ArrayForEach(e, v) {
			snprintf(path + plen, cap - plen, "[%zu]", i);
			if (cJSON_IsArray(e) || cJSON_IsNull(e))
				return AUD_ERROR(err, AUD_EPARSE, "%s: model card: '%s' is %s, expected "
				    "a string, a number, a boolean or an object", name, path, json_type(e));
			rc = check_card_value(e, path, strlen(path), cap, depth + 1, name, err);
			if (rc < 0)
				return rc;
			path[plen] = '\0';
			i++;
		}
		return 0;
	}
	if (cJSON_IsObject(v)) {
		cJSON_ArrayForEach(e, v) {
			snprintf(path + plen, cap - plen, ".%s", e->string);
			if (cJSON_IsNull(e))
				return AUD_ERROR(err, AUD_EPARSE, "%s: model card: '%s' is null, expected "
				    "a string, a number, a boolean, a list or an object", name, path);
			rc = check_card_value(e, path, strlen(path), cap, depth + 1, name, err);
			if (rc < 0)
				return rc;
			path[plen] = '\0';
		}
		return 0;
	}
	return AUD_ERROR(err, AUD_EPARSE, "%s: model card: '%s' is %s, expected a string, a "
	    "list or an object", name, path, json_type(v));
}

int
aud_report_check_card(const cJSON *card, const char *name, struct aud_error *err)
{
	const cJSON *e, *md;
	size_t i, known = 0;
	char path[256];
	int rc;

	if (!cJSON_IsObject(card))
		return AUD_ERROR(err, AUD_EPARSE, "%s: a model card must be a JSON object, not %s",
		    name, json_type(card));
	cJSON_ArrayForEach(e, card) {
		for (i = 0; i < sizeof(card_sections) / sizeof(card_sections[0]); i++)
			if (strcmp(e->string, card_sections[i]) == 0)
				known++;
		snprintf(path, sizeof(path), "%s", e->string);
		rc = check_card_value(e, path, strlen(path), sizeof(path), 0, name, err);
		if (rc < 0)
			return rc;
	}
	if (known == 0)
		return AUD_ERROR(err, AUD_EPARSE, "%s: model card: none of its keys is a section "
		    "of a model card (model_details, intended_use, factors, metrics, "
		    "evaluation_data, training_data, quantitative_analyses, "
		    "ethical_considerations, caveats_and_recommendations)", name);
	{
		const cJSON *dec = aud_json_get(aud_json_get(card, "intended_use"), "decision");
		enum aud_decision d;

		if (dec != NULL && (!cJSON_IsString(dec) ||
		    aud_decision_parse(&d, dec->valuestring, NULL) < 0))
			return AUD_ERROR(err, AUD_EPARSE, "%s: model card: 'intended_use.decision' "
			    "must be \"punitive\" or \"assistive\"", name);
	}
	md = aud_json_get(card, "model_details");
	if (aud_json_get(md, "name") != NULL && !cJSON_IsString(aud_json_get(md, "name")))
		return AUD_ERROR(err, AUD_EPARSE, "%s: model card: 'model_details.name' is %s, "
		    "expected a string", name, json_type(aud_json_get(md, "name")));
	return 0;
}

int
aud_report_set_model_card(struct aud_report *r, const char *path, struct aud_error *err)
{
	cJSON *doc = NULL;
	char *name;
	int rc = aud_json_read_file(&doc, path, err);

	if (rc < 0)
		return rc;
	rc = aud_report_check_card(doc, path, err);
	if (rc < 0) {
		cJSON_Delete(doc);
		return rc;
	}
	name = strdup(path);
	if (name == NULL) {
		cJSON_Delete(doc);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	cJSON_Delete(r->card);
	free(r->card_name);
	r->card = doc;
	r->card_name = name;
	return 0;
}

size_t
aud_report_count(const struct aud_report *r)
{
	return r->ndocs;
}

int
aud__check_requested(const cJSON *check)
{
	return aud_json_get(check, "requested") == NULL || aud_json_bool(check, "requested");
}

void
aud__check_where_cell(char *buf, size_t size, const cJSON *check)
{
	const char *attr = aud_json_str(check, "attribute"), *grp = aud_json_str(check, "group");
	const char *pert = aud_json_str(check, "perturbation"), *feat = aud_json_str(check, "feature");
	const char *sl = aud_json_str(check, "slice");

	if (sl != NULL && pert == NULL && feat == NULL) {
		/* audit-slice: a check scoped to one slice */
		snprintf(buf, size, "slice %s", sl);
		return;
	}
	snprintf(buf, size, "%s%s%s%s%s%s%s", pert != NULL ? "perturbation " : "",
	    pert != NULL ? pert : "", feat != NULL ? "feature " : "", feat != NULL ? feat : "",
	    (pert != NULL || feat != NULL) && attr != NULL ? "\n" : "",
	    attr != NULL ? attr : "", grp != NULL ? " / " : "");
	if (grp != NULL && strlen(buf) + 1 < size)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s", grp);
}

void
aud_report_verdict(struct aud_report_verdict *out, const struct aud_report *r)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < r->ndocs; i++) {
		const cJSON *e;

		cJSON_ArrayForEach(e, aud_json_get(r->docs[i].json, "checks")) {
			const char *st = aud_json_str(e, "status");

			if (!aud__check_requested(e)) {
				out->reported++;
				if (st != NULL && strcmp(st, "fail") == 0)
					out->reported_fail++;
			} else if (st != NULL && strcmp(st, "pass") == 0)
				out->pass++;
			else if (st != NULL && strcmp(st, "fail") == 0)
				out->fail++;
			else
				out->undefined++;
		}
	}
}

static const char *
kind_section(enum aud_report_kind k)
{
	return k == AUD_REPORT_FAIRNESS ? "fairness" :
	    k == AUD_REPORT_ROBUSTNESS ? "robustness" :
	    k == AUD_REPORT_MITIGATION ? "mitigation" :
	    k == AUD_REPORT_DATA_PROFILE ? "data quality" :
	    k == AUD_REPORT_DATA_CHECK ? "schema check" :
	    k == AUD_REPORT_DRIFT ? "drift" :
	    k == AUD_REPORT_SLICE ? "slices" :
	    k == AUD_REPORT_FAIRNESS_MULTICLASS ? "multi-class fairness" :
	    k == AUD_REPORT_FAIRNESS_REGRESSION ? "regression fairness" : "explanations";
}

static const char *
doc_tool(const struct aud__rdoc *d)
{
	const char *t = aud_json_str(d->json, "tool");

	return t != NULL ? t : d->kind == AUD_REPORT_FAIRNESS || is_task(d->kind) ? "audit-fair" :
	    d->kind == AUD_REPORT_ROBUSTNESS ? "audit-robust" :
	    d->kind == AUD_REPORT_MITIGATION ? "audit-mitigate" :
	    d->kind == AUD_REPORT_SLICE ? "audit-slice" :
	    is_data(d->kind) ? "audit-data" : "audit-explain";
}

/* The model's name: the card's model_details.name, else a -m/--model-cmd param. */
static const char *
model_name(const struct aud_report *r)
{
	const char *s = aud_json_str(aud_json_get(r->card, "model_details"), "name");
	size_t i;

	if (s != NULL)
		return s;
	for (i = 0; i < r->ndocs; i++) {
		const cJSON *p = aud_json_get(r->docs[i].json, "params");

		s = aud_json_str(p, "model");
		if (s == NULL)
			s = aud_json_str(p, "model_cmd");
		if (s != NULL)
			return s;
	}
	return NULL;
}

static int
draw_cover(struct aud__rctx *c)
{
	struct aud_report *r = c->r;
	struct aud_report_verdict v;
	const char *verdict;
	char buf[512], date[21];
	double bx, by, bw, bh;
	const char *mn = model_name(r);
	size_t i;
	int rc;

	rc = aud__rep_page(c);
	if (rc < 0)
		return rc;
	if (aud__rep_is_html(c)) {
		/* HTML: the page's band and the space above the title are the CSS's */
		rc = aud__rep_text(c, AUD__FONT_REGULAR, AUD__SMALL, 0,
		    "rai-audit \xC2\xB7 responsible-AI audit", 0);
		if (rc < 0)
			return rc;
	} else {
		rc = aud__pdf_bookmark(c->pdf, 0, "Cover", c->top, c->err);
		if (rc < 0)
			return rc;
		aud__pdf_fill_grey(c->pdf, 0.25);
		aud__pdf_rect(c->pdf, c->left, c->top - 4, aud__rep_width(c), 4, AUD__FILL);
		aud__pdf_fill_grey(c->pdf, 0.3);
		aud__pdf_text(c->pdf, AUD__FONT_REGULAR, 9, c->left, c->top - 18, AUD__LEFT,
		    "rai-audit \xC2\xB7 responsible-AI audit");
		c->y = c->top - 110;
	}
	rc = aud__rep_text(c, AUD__FONT_BOLD, 24, 0, r->title, 10);
	if (rc < 0)
		return rc;
	if (mn != NULL) {
		snprintf(buf, sizeof(buf), "Model: %s", mn);
		rc = aud__rep_text(c, AUD__FONT_REGULAR, 12, 0, buf, 4);
		if (rc < 0)
			return rc;
	}
	aud_format_time(date, r->created);
	snprintf(buf, sizeof(buf), "Report date: %.10s (UTC)", date);
	rc = aud__rep_text(c, AUD__FONT_REGULAR, 10, 0, buf, 30);
	if (rc < 0)
		return rc;

	/* the verdict box */
	aud_report_verdict(&v, r);
	verdict = v.fail > 0 ? "FAIL" : v.undefined > 0 ? "INCONCLUSIVE" :
	    v.pass > 0 ? "PASS" : "NO VERDICT";
	bx = c->left;
	bw = aud__rep_width(c);
	bh = 86;
	by = c->y - bh;
	aud__pdf_line_width(c->pdf, 2);
	aud__pdf_stroke_grey(c->pdf, 0);
	aud__pdf_fill_grey(c->pdf, 1);
	aud__pdf_rect(c->pdf, bx, by, bw, bh, AUD__FILL_STROKE);
	if (v.fail > 0) {
		aud__pdf_line_width(c->pdf, 1);
		aud__pdf_hatch(c->pdf, bx, by, 22, bh, 4);
	} else {
		aud__pdf_fill_grey(c->pdf, 0.8);
		aud__pdf_rect(c->pdf, bx, by, 22, bh, AUD__FILL);
	}
	aud__pdf_line_width(c->pdf, 1);
	aud__pdf_fill_grey(c->pdf, 0);
	aud__pdf_text(c->pdf, AUD__FONT_REGULAR, 10, bx + 36, by + bh - 20, AUD__LEFT,
	    "Overall verdict");
	aud__pdf_text(c->pdf, AUD__FONT_BOLD, 26, bx + 36, by + bh - 50, AUD__LEFT, verdict);
	if (v.pass + v.fail + v.undefined == 0)
		snprintf(buf, sizeof(buf), "No checks were requested (--check, --policy); "
		    "read the sections.");
	else
		snprintf(buf, sizeof(buf), "%zu of %zu requested checks failed, %zu passed, "
		    "%zu undefined", v.fail, v.pass + v.fail + v.undefined, v.pass, v.undefined);
	aud__pdf_text(c->pdf, AUD__FONT_REGULAR, 10, bx + 36, by + 12, AUD__LEFT, buf);
	c->y = by - 8;
	if (v.reported > 0) {
		snprintf(buf, sizeof(buf), "Reported without a check, not part of the verdict: "
		    "%zu four-fifths rule entr%s (%zu not met).", v.reported,
		    v.reported == 1 ? "y" : "ies", v.reported_fail);
		rc = aud__rep_text(c, AUD__FONT_REGULAR, AUD__BODY, 0, buf, 0);
		if (rc < 0)
			return rc;
	}
	c->y -= 22;

	rc = aud__rep_text(c, AUD__FONT_BOLD, 10, 0, "Documents", 3);
	for (i = 0; rc == 0 && i < r->ndocs; i++) {
		const struct aud__rdoc *d = &r->docs[i];
		const cJSON *in = aud_json_get(d->json, "input");
		const char *ip = aud_json_str(in, "path");
		double rows = aud_json_num(in, "rows");
		double ex = aud_json_num(aud_json_get(d->json, "results"), "explained_rows");
		char rb[96] = "";

		/* an explanation document of an older version counted the explained rows */
		if (!isnan(rows) && !isnan(ex))
			snprintf(rb, sizeof(rb), ", %.0f rows (%.0f explained)", rows, ex);
		else if (!isnan(rows))
			snprintf(rb, sizeof(rb), ", %.0f %s", rows, d->kind == AUD_REPORT_EXPLANATION ?
			    "rows explained" : "rows");
		rc = aud__rep_bullet(c, "%s (%s): %s, on %s%s", doc_tool(d), kind_section(d->kind),
		    d->name, ip != NULL ? ip : "(input not named)", rb);
	}
	if (rc == 0 && r->card != NULL)
		rc = aud__rep_bullet(c, "model card: %s", r->card_name);
	if (rc < 0)
		return rc;
	c->y -= 10;
	if (aud__rep_is_html(c))
		return 0;  /* the HTML's table of contents follows the cover */
	rc = aud__rep_text(c, AUD__FONT_BOLD, 10, 0, "Contents", 3);
	snprintf(buf, sizeof(buf), "Executive summary \xC2\xB7 Data and model%s%s%s%s%s%s%s%s "
	    "\xC2\xB7 Appendix: definitions and provenance. The PDF outline (bookmarks) "
	    "leads to each section and attribute.",
	    aud__rep_docs(r, AUD_REPORT_DATA_PROFILE, NULL, 0) +
	    aud__rep_docs(r, AUD_REPORT_DATA_CHECK, NULL, 0) +
	    aud__rep_docs(r, AUD_REPORT_DRIFT, NULL, 0) > 0 ? " \xC2\xB7 Data" : "",
	    aud__rep_docs(r, AUD_REPORT_FAIRNESS, NULL, 0) > 0 ? " \xC2\xB7 Fairness" : "",
	    aud__rep_docs(r, AUD_REPORT_FAIRNESS_MULTICLASS, NULL, 0) +
	    aud__rep_docs(r, AUD_REPORT_FAIRNESS_REGRESSION, NULL, 0) > 0 ?
	    " \xC2\xB7 Fairness: multi-class and regression" : "",
	    aud__rep_docs(r, AUD_REPORT_SLICE, NULL, 0) > 0 ? " \xC2\xB7 Slices" : "",
	    aud__rep_docs(r, AUD_REPORT_MITIGATION, NULL, 0) > 0 ? " \xC2\xB7 Mitigation" : "",
	    aud__rep_docs(r, AUD_REPORT_ROBUSTNESS, NULL, 0) > 0 ? " \xC2\xB7 Robustness" : "",
	    aud__rep_docs(r, AUD_REPORT_EXPLANATION, NULL, 0) > 0 ? " \xC2\xB7 Explanations" : "",
	    r->card != NULL ? " \xC2\xB7 Model card" : "");
	if (rc == 0)
		rc = aud__rep_text(c, AUD__FONT_REGULAR, AUD__BODY, 0, buf, 0);
	return rc;
}

static int
status_rank(const char *st)
{
	if (st != NULL && strcmp(st, "fail") == 0)
		return 0;
	if (st != NULL && strcmp(st, "pass") == 0)
		return 2;
	return 1;
}

/* The fairness attribute named `name` of a document's results, or NULL. */
static const cJSON *
find_attribute(const cJSON *doc, const char *name)
{
	const cJSON *a;

	if (name == NULL)
		return NULL;
	cJSON_ArrayForEach(a, aud_json_path(doc, "results.attributes")) {
		const char *an = aud_json_str(a, "attribute");

		if (an != NULL && strcmp(an, name) == 0)
			return a;
	}
	return NULL;
}

static const cJSON *
find_group(const cJSON *a, const char *name)
{
	const cJSON *g;

	if (name == NULL)
		return NULL;
	cJSON_ArrayForEach(g, aud_json_get(a, "groups")) {
		const char *gn = aud_json_str(g, "group");

		if (gn != NULL && strcmp(gn, name) == 0)
			return g;
	}
	return NULL;
}

/* The group rates a fairness check compares: "disparity.K.ratio" compares K;
 * the summary measures compare selection rates (demographic parity), TPR
 * (equal opportunity), TPR and FPR (equalized odds, average odds), favorable
 * rates (four-fifths rule, disparate impact). Fills keys, returns the count. */
static size_t
check_keys(const char *keys[2], char *buf, size_t size, const char *metric)
{
	const char *dot;

	if (metric == NULL)
		return 0;
	if (strncmp(metric, "disparity.", 10) == 0) {
		dot = strchr(metric + 10, '.');
		snprintf(buf, size, "%.*s", dot != NULL ? (int)(dot - metric - 10) : 64, metric + 10);
		keys[0] = buf;
		return 1;
	}
	if (strstr(metric, "demographic_parity") != NULL ||
	    strstr(metric, "statistical_parity") != NULL) {
		keys[0] = "selection_rate";
		return 1;
	}
	if (strstr(metric, "equal_opportunity") != NULL) {
		keys[0] = "tpr";
		return 1;
	}
	if (strstr(metric, "equalized_odds") != NULL || strstr(metric, "average_odds") != NULL) {
		keys[0] = "tpr";
		keys[1] = "fpr";
		return 2;
	}
	if (strstr(metric, "favorable_rate") != NULL || strstr(metric, "disparate_impact") != NULL) {
		keys[0] = "favorable_rate";
		return 1;
	}
	return 0;
}

/*
 * The small groups that decide a check of a fairness document, as text
 * ("'Native American & Female': n = 2, small, selection_rate interval
 * [0, 0.66]"), or "" when none. Deciding groups: the check's group, the
 * reference group of a disparity, and the groups at the lowest and highest
 * rate the measure compares.
 */
void
aud__check_small_note(char *buf, size_t size, const cJSON *doc, const cJSON *check)
{
	const cJSON *a = find_attribute(doc, aud_json_str(check, "attribute"));
	const cJSON *dec[8], *g;
	const char *keys[2] = { NULL, NULL };
	char kbuf[64];
	size_t nd = 0, nk, k, i, used = 0;

	buf[0] = '\0';
	if (a == NULL)
		return;
	nk = check_keys(keys, kbuf, sizeof(kbuf), aud_json_str(check, "metric"));
	g = find_group(a, aud_json_str(check, "group"));
	if (g != NULL)
		dec[nd++] = g;
	if (nk > 0 && strncmp(aud_json_str(check, "metric"), "disparity.", 10) == 0) {
		g = find_group(a, aud_json_str(a, "reference"));
		if (g != NULL)
			dec[nd++] = g;
	} else {
		for (k = 0; k < nk; k++) {
			const cJSON *lo = NULL, *hi = NULL;
			double mn = INFINITY, mx = -INFINITY;

			cJSON_ArrayForEach(g, aud_json_get(a, "groups")) {
				double v = aud_json_num(aud_json_get(g, "metrics"), keys[k]);

				if (isnan(v))
					continue;
				if (v < mn) {
					mn = v;
					lo = g;
				}
				if (v > mx) {
					mx = v;
					hi = g;
				}
			}
			if (lo != NULL)
				dec[nd++] = lo;
			if (hi != NULL)
				dec[nd++] = hi;
		}
	}
	for (i = 0; i < nd; i++) {
		double glo, ghi;
		char b1[32], b2[32];
		size_t j;
		int n, seen = 0;

		for (j = 0; j < i; j++)
			seen |= dec[j] == dec[i];
		if (seen || !aud_json_bool(dec[i], "small"))
			continue;
		aud_json_ci(aud_json_get(aud_json_get(dec[i], "ci"), keys[0] != NULL ? keys[0] : "selection_rate"),
		    &glo, &ghi);
		aud__fmt_value(b1, sizeof(b1), glo);
		aud__fmt_value(b2, sizeof(b2), ghi);
		if (isnan(glo))
			n = snprintf(buf + used, size - used, "%s'%s': n = %.0f, small", used ? "; " : "",
			    aud__or(aud_json_str(dec[i], "group"), "?"), aud_json_num(dec[i], "count"));
		else
			n = snprintf(buf + used, size - used, "%s'%s': n = %.0f, small, %s interval "
			    "[%s, %s]", used ? "; " : "", aud__or(aud_json_str(dec[i], "group"), "?"),
			    aud_json_num(dec[i], "count"), keys[0] != NULL ? keys[0] : "selection_rate",
			    b1, b2);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

/* The checks of every document, requested ones (requested = 1: the verdict)
 * or reported ones (0): fails first, then undefined, then passes. */
static int
draw_checks_table(struct aud__rctx *c, int requested, size_t *npass)
{
	static const struct aud__col cols[] = {
		{ "Status", 0.09, AUD__LEFT }, { "Check", 0.31, AUD__LEFT },
		{ "Attribute / group", 0.27, AUD__LEFT }, { "Value", 0.10, AUD__RIGHT },
		{ "Threshold", 0.10, AUD__RIGHT }, { "Tool", 0.13, AUD__LEFT },
	};
	struct aud__table t;
	int rank, rc = 0;
	size_t i;

	*npass = 0;
	rc = aud__rep_table_begin(c, &t, cols, 6, AUD__SMALL);
	for (rank = 0; rc == 0 && rank < 3; rank++) {
		for (i = 0; rc == 0 && i < c->r->ndocs; i++) {
			const struct aud__rdoc *d = &c->r->docs[i];
			const cJSON *e;

			cJSON_ArrayForEach(e, aud_json_get(d->json, "checks")) {
				struct aud__row row;
				const char *st = aud_json_str(e, "status");
				const char *id = aud_json_str(e, "id");
				const char *metric = aud_json_str(e, "metric");
				const char *op = aud_json_str(e, "op");
				const char *name;
				char val[64], thr[64], small[512], place[512];

				if (status_rank(st) != rank || aud__check_requested(e) != requested)
					continue;
				if (rank == 2)
					(*npass)++;
				aud__row_init(&row);
				if (requested)
					aud__row_set(&row, 0, "%s", rank == 0 ? "FAIL" : rank == 2 ?
					    "PASS" : "UNDEFINED");
				else
					aud__row_set(&row, 0, "%s", rank == 0 ? "not met" : rank == 2 ?
					    "met" : "undefined");
				name = metric != NULL ? aud__metric_name(metric) : NULL;
				if (!requested)
					aud__row_set(&row, 1, "%s\n(%s; reported, not gating%s%s)",
					    id != NULL && strcmp(id, "four_fifths_rule") == 0 ?
					    "four-fifths rule" : id != NULL ? id : "?",
					    metric != NULL ? metric : "?",
					    aud_json_str(e, "convention") ? ", convention " : "",
					    aud_json_str(e, "convention") ? aud_json_str(e, "convention") : "");
				else if (id != NULL && metric != NULL && strcmp(id, metric) != 0)
					aud__row_set(&row, 1, "%s\n(%s)", id, metric);
				else if (name != NULL)
					aud__row_set(&row, 1, "%s\n%s", metric, name);
				else
					aud__row_set(&row, 1, "%s", id != NULL ? id : metric != NULL ?
					    metric : "(unnamed)");
				small[0] = '\0';
				if (d->kind == AUD_REPORT_FAIRNESS)
					aud__check_small_note(small, sizeof(small), d->json, e);
				aud__check_where_cell(place, sizeof(place), e);
				aud__row_set(&row, 2, "%s%s%s", place,
				    small[0] != '\0' ? "\n" : "", small);
				aud__fmt_value(val, sizeof(val), aud_json_num(e, "value"));
				aud__fmt_value(thr, sizeof(thr), aud_json_num(e, "threshold"));
				aud__row_set(&row, 3, "%s", val);
				aud__row_set(&row, 4, "%s %s", op != NULL ? op : "", thr);
				aud__row_set(&row, 5, "%s", doc_tool(d));
				rc = aud__rep_table_row(c, &t, row.cells, requested && rank == 0);
				if (rc < 0)
					break;
			}
		}
	}
	if (rc == 0)
		aud__rep_table_end(c, &t);
	return rc;
}

/* The counterfactual (flip:) perturbations of a robustness document. */
static int
not_found_counterfactual(const cJSON *doc, char *buf, size_t size)
{
	const cJSON *e;
	size_t used = strlen(buf);
	int any = 0;

	cJSON_ArrayForEach(e, aud_json_path(doc, "results.perturbations")) {
		const char *spec = aud_json_str(e, "spec");
		double flips = aud_json_num(e, "flips");
		double rows = aud_json_num(e, "rows");
		int n;

		if (spec == NULL || strncmp(spec, "flip:", 5) != 0 || flips != 0)
			continue;
		n = snprintf(buf + used, size - used,
		    " Flipping '%s' changed no decision (0 of %.0f rows): the model does not "
		    "use it, directly or through transformations (anti-classification holds).",
		    spec + 5, rows);
		if (n > 0 && (size_t)n < size - used)
			used += (size_t)n;
		any = 1;
	}
	return any;
}

#define FINDING_MAX 1024
#define MAX_SEEN 64

/* A bullet unless the same text was already said (several explanation
 * documents of one model find the same proxy). */
static int
bullet_once(struct aud__rctx *c, char (*seen)[FINDING_MAX], size_t *nseen, const char *text)
{
	size_t i;

	for (i = 0; i < *nseen; i++)
		if (strcmp(seen[i], text) == 0)
			return 0;
	if (*nseen < MAX_SEEN)
		snprintf(seen[(*nseen)++], FINDING_MAX, "%s", text);
	return aud__rep_bullet(c, "%s", text);
}

/* The findings of an explanation document: its most important features
 * (labelled with the method, and the document when several are given) and
 * the strongest association of a feature with a protected attribute other
 * than itself; each said once over all documents. */
static int
explain_findings(struct aud__rctx *c, const struct aud__rdoc *d, char (*seen)[FINDING_MAX],
    size_t *nseen)
{
	const cJSON *res = aud_json_get(d->json, "results");
	const cJSON *e, *a, *best = NULL, *bestf = NULL;
	const char *method = aud_json_str(res, "method");
	const char *metric = aud_json_str(res, "metric");
	char names[512] = "", v1[32], label[256], text[FINDING_MAX];
	double bv = -1;
	size_t k = 0, used = 0;
	int rc = 0;

	if (method == NULL)
		method = aud_json_str(aud_json_get(d->json, "params"), "method");
	cJSON_ArrayForEach(e, aud_json_get(res, "importance")) {
		const char *f = aud_json_str(e, "feature");
		int n;

		if (f == NULL || k >= 3)
			continue;
		n = snprintf(names + used, sizeof(names) - used, "%s'%s'", k ? ", " : "", f);
		if (n > 0 && (size_t)n < sizeof(names) - used)
			used += (size_t)n;
		k++;
	}
	if (method != NULL && strcmp(method, "permutation") == 0 && metric != NULL)
		snprintf(label, sizeof(label), "permutation importance, %s %s",
		    strcmp(metric, "log_loss") == 0 ? "rise in" : "drop in",
		    strcmp(metric, "log_loss") == 0 ? "log loss" : metric);
	else
		snprintf(label, sizeof(label), "%s", method != NULL ? method : "method not stated");
	if (aud__rep_docs(c->r, AUD_REPORT_EXPLANATION, NULL, 0) > 1)
		snprintf(label + strlen(label), sizeof(label) - strlen(label), "; %s", d->name);
	if (k > 0) {
		snprintf(text, sizeof(text), "Explanations (%s): the most important features are %s.",
		    label, names);
		rc = bullet_once(c, seen, nseen, text);
	}
	cJSON_ArrayForEach(e, aud_json_get(res, "proxy")) {
		const char *f = aud_json_str(e, "feature");

		cJSON_ArrayForEach(a, aud_json_get(e, "associations")) {
			double v = aud_json_num(a, "value");
			const char *an = aud_json_str(a, "attribute");

			/* a protected attribute is no proxy of itself */
			if (f != NULL && an != NULL && strcmp(f, an) == 0)
				continue;
			if (!isnan(v) && v > bv) {
				bv = v;
				best = a;
				bestf = e;
			}
		}
	}
	if (rc == 0 && best != NULL) {
		aud__fmt_value(v1, sizeof(v1), bv);
		snprintf(text, sizeof(text), "Strongest association with a protected attribute: "
		    "'%s' with '%s' (%s %s)%s.", aud__or(aud_json_str(bestf, "feature"), "?"),
		    aud__or(aud_json_str(best, "attribute"), "?"), aud_json_str(best, "measure") ?
		    aud_json_str(best, "measure") : "association", v1,
		    bv >= 0.3 ? ": a possible proxy" : "");
		rc = bullet_once(c, seen, nseen, text);
	}
	return rc;
}

/* Key findings: per fairness attribute the parity measures and the group
 * with the fewest favorable outcomes (report_fair.c); per robustness document the largest flip
 * rate; per explanation the top features and the strongest association. */
static int
draw_findings(struct aud__rctx *c)
{
	struct aud_report *r = c->r;
	char (*seen)[FINDING_MAX];
	size_t i, nseen = 0;
	int rc = 0, any = 0;

	seen = calloc(MAX_SEEN, sizeof(*seen));
	if (seen == NULL)
		return AUD_ERROR(c->err, AUD_ENOMEM, "out of memory");

	for (i = 0; rc == 0 && i < r->ndocs; i++) {
		const cJSON *res = aud_json_get(r->docs[i].json, "results");
		const cJSON *a, *e;

		if (!any) {
			rc = aud__rep_heading(c, 2, "Key findings");
			any = 1;
			if (rc < 0)
				break;
		}
		if (r->docs[i].kind == AUD_REPORT_FAIRNESS) {
			cJSON_ArrayForEach(a, aud_json_get(res, "attributes")) {
				rc = aud__report_fairness_finding(c, res, a);
				if (rc < 0)
					break;
			}
		} else if (r->docs[i].kind == AUD_REPORT_ROBUSTNESS) {
			const cJSON *worst = NULL;
			double wr = -1;
			char v1[32];

			/* the counterfactual flip test first: anti-classification */
			cJSON_ArrayForEach(e, aud_json_get(res, "perturbations")) {
				const char *spec = aud_json_str(e, "spec");
				double fl = aud_json_num(e, "flips"), rows = aud_json_num(e, "rows");
				double fr = aud_json_num(e, "flip_rate");
				char b1[32], b2[32], b3[32];

				if (spec == NULL || strncmp(spec, "flip:", 5) != 0)
					continue;
				if (isnan(fr) && rows > 0)
					fr = fl / rows;
				aud__fmt_value(b1, sizeof(b1), fl);
				aud__fmt_value(b2, sizeof(b2), rows);
				aud__fmt_value(b3, sizeof(b3), fr * 100);
				rc = aud__rep_bullet(c, "Anti-classification: flipping '%s' changes %s of %s "
				    "decisions (%s %%)%s.", spec + 5, b1, b2, b3, fl > 0 ?
				    ": the model uses the attribute itself" : ": the model does not use "
				    "the attribute itself");
				if (rc < 0)
					break;
			}
			cJSON_ArrayForEach(e, aud_json_get(res, "perturbations")) {
				double fr = aud_json_num(e, "flip_rate");
				const char *spec = aud_json_str(e, "spec");

				if (spec != NULL && strncmp(spec, "flip:", 5) != 0 && !isnan(fr) && fr > wr) {
					wr = fr;
					worst = e;
				}
			}
			if (rc == 0 && worst != NULL) {
				aud__fmt_value(v1, sizeof(v1), wr);
				rc = aud__rep_bullet(c, "Robustness: the largest flip rate, %s, is under "
				    "'%s'.", v1, aud_json_str(worst, "spec"));
			}
			if (rc == 0)
				rc = aud__report_robust_words(c, &r->docs[i]);
		} else if (r->docs[i].kind == AUD_REPORT_MITIGATION) {
			rc = aud__report_mitigation_finding(c, &r->docs[i]);
		} else if (is_data(r->docs[i].kind)) {
			rc = aud__report_data_finding(c, &r->docs[i]);
		} else if (r->docs[i].kind == AUD_REPORT_SLICE) {
			rc = aud__report_slice_finding(c, &r->docs[i]);
		} else if (is_task(r->docs[i].kind)) {
			rc = aud__report_task_finding(c, &r->docs[i]);
		} else {
			rc = explain_findings(c, &r->docs[i], seen, &nseen);
		}
	}
	free(seen);
	if (any)
		c->y -= 4;
	return rc;
}

static int
draw_summary(struct aud__rctx *c)
{
	struct aud_report *r = c->r;
	struct aud_report_verdict v;
	char nf[4096], mit[64] = "", dat[64] = "", sli[64] = "";
	size_t npass, i, k, nk[3], nmit, ndat, nsli;
	int rc, any_check;

	rc = aud__rep_heading(c, 0, "Executive summary");
	if (rc < 0)
		return rc;
	aud_report_verdict(&v, r);
	for (k = 0; k < 3; k++)
		nk[k] = aud__rep_docs(r, (enum aud_report_kind)k, NULL, 0);
	/* multi-class and regression fairness count as fairness */
	nk[0] += aud__rep_docs(r, AUD_REPORT_FAIRNESS_MULTICLASS, NULL, 0) +
	    aud__rep_docs(r, AUD_REPORT_FAIRNESS_REGRESSION, NULL, 0);
	nmit = aud__rep_docs(r, AUD_REPORT_MITIGATION, NULL, 0);
	nsli = aud__rep_docs(r, AUD_REPORT_SLICE, NULL, 0);
	ndat = aud__rep_docs(r, AUD_REPORT_DATA_PROFILE, NULL, 0) +
	    aud__rep_docs(r, AUD_REPORT_DATA_CHECK, NULL, 0) +
	    aud__rep_docs(r, AUD_REPORT_DRIFT, NULL, 0);
	if (nmit > 0)
		snprintf(mit, sizeof(mit), ", %zu on mitigation (audit-mitigate)", nmit);
	if (ndat > 0)
		snprintf(dat, sizeof(dat), ", %zu on data (audit-data)", ndat);
	if (nsli > 0)
		snprintf(sli, sizeof(sli), ", %zu on slices (audit-slice)", nsli);
	rc = aud__rep_para(c, "This report assembles %zu result document%s: %zu on fairness "
	    "(audit-fair), %zu on robustness (audit-robust)%s %zu on explanations "
	    "(audit-explain)%s%s%s%s. Every check that was requested is listed below with its "
	    "value and threshold, failures first.", r->ndocs, r->ndocs == 1 ? "" : "s",
	    nk[0], nk[1], nmit + ndat + nsli > 0 ? "," : " and", nk[2], mit, dat, sli,
	    r->card != NULL ? ", with a model card" : "");
	if (rc < 0)
		return rc;
	any_check = v.pass + v.fail + v.undefined > 0;
	if (any_check) {
		rc = draw_checks_table(c, 1, &npass);
		if (rc < 0)
			return rc;
	} else {
		npass = 0;
		rc = aud__rep_para(c, "No checks were requested (the tools were run without "
		    "--check or --policy), so the report gives no verdict.");
		if (rc < 0)
			return rc;
	}
	if (v.reported > 0) {
		size_t nmet;

		rc = aud__rep_para(c, "Reported without a check, not part of the verdict (the "
		    "tools' exit status does not depend on them either): the four-fifths rule, "
		    "per attribute.");
		if (rc == 0)
			rc = draw_checks_table(c, 0, &nmet);
		if (rc < 0)
			return rc;
	}

	/* What was not found: negative results are results. */
	snprintf(nf, sizeof(nf), "What was not found: ");
	if (v.fail == 0 && any_check)
		snprintf(nf + strlen(nf), sizeof(nf) - strlen(nf),
		    "no check failed (%zu passed).", npass);
	else if (any_check)
		snprintf(nf + strlen(nf), sizeof(nf) - strlen(nf),
		    "%zu of the %zu requested checks found no violation.", npass,
		    v.pass + v.fail + v.undefined);
	else
		snprintf(nf + strlen(nf), sizeof(nf) - strlen(nf), "no check was requested.");
	for (i = 0; i < r->ndocs; i++)
		if (r->docs[i].kind == AUD_REPORT_ROBUSTNESS)
			not_found_counterfactual(r->docs[i].json, nf, sizeof(nf));
	for (k = 0; k < 3; k++) {
		if (nk[k] == 0)
			snprintf(nf + strlen(nf), sizeof(nf) - strlen(nf),
			    " Not assessed: %s (no %s document was given).",
			    kind_section((enum aud_report_kind)k),
			    k == 0 ? "audit-fair" : k == 1 ? "audit-robust" : "audit-explain");
	}
	rc = aud__rep_text(c, AUD__FONT_REGULAR, AUD__BODY, 0, nf, 6);
	if (rc < 0)
		return rc;
	return draw_findings(c);
}

/* Parameters that name the data: label, pred, score, protected, positive... */
static int
draw_overview(struct aud__rctx *c)
{
	static const struct aud__col dcols[] = {
		{ "Tool", 0.14, AUD__LEFT }, { "Schema", 0.17, AUD__LEFT },
		{ "Input", 0.28, AUD__LEFT }, { "Rows", 0.09, AUD__RIGHT },
		{ "Created", 0.22, AUD__LEFT }, { "Version", 0.10, AUD__LEFT },
	};
	static const char *const overall_keys[] = {
		"count", "base_rate", "selection_rate", "accuracy", "balanced_accuracy", "tpr",
		"fpr", "fnr", "ppv", "auc", "brier", "ece",
	};
	struct aud_report *r = c->r;
	struct aud__table t;
	size_t i, k;
	int rc;

	rc = aud__rep_heading(c, 0, "Data and model");
	if (rc < 0)
		return rc;
	rc = aud__rep_table_begin(c, &t, dcols, 6, AUD__SMALL);
	for (i = 0; rc == 0 && i < r->ndocs; i++) {
		const cJSON *doc = r->docs[i].json;
		const cJSON *in = aud_json_get(doc, "input");
		struct aud__row row;
		double rows = aud_json_num(in, "rows");
		double ex = aud_json_num(aud_json_get(doc, "results"), "explained_rows");

		aud__row_init(&row);
		aud__row_set(&row, 0, "%s", doc_tool(&r->docs[i]));
		aud__row_set(&row, 1, "%s", aud_json_str(doc, "schema"));
		aud__row_set(&row, 2, "%s", aud_json_str(in, "path") ? aud_json_str(in, "path") : "");
		if (!isnan(rows) && !isnan(ex))
			aud__row_set(&row, 3, "%.0f\n(%.0f explained)", rows, ex);
		else if (!isnan(rows))
			aud__row_set(&row, 3, "%.0f%s", rows, r->docs[i].kind == AUD_REPORT_EXPLANATION ?
			    "\nexplained" : "");
		aud__row_set(&row, 4, "%s", aud_json_str(doc, "created") ? aud_json_str(doc, "created") : "");
		aud__row_set(&row, 5, "%s", aud_json_str(doc, "version") ? aud_json_str(doc, "version") : "");
		rc = aud__rep_table_row(c, &t, row.cells, 0);
	}
	if (rc < 0)
		return rc;
	aud__rep_table_end(c, &t);

	for (i = 0; i < r->ndocs; i++) {
		const cJSON *doc = r->docs[i].json;
		const cJSON *p = aud_json_get(doc, "params");
		const cJSON *res = aud_json_get(doc, "results");
		char b1[256], b2[256];

		if (r->docs[i].kind == AUD_REPORT_FAIRNESS) {
			const cJSON *ov = aud_json_get(res, "overall");
			const cJSON *a;

			rc = aud__rep_heading(c, 2, "Data audited for fairness");
			if (rc < 0)
				return rc;
			aud_json_text(b1, sizeof(b1), aud_json_get(p, "protected"));
			aud_json_text(b2, sizeof(b2), aud_json_get(res, "positive"));
			rc = aud__rep_para(c, "Label '%s', decisions '%s'%s%s%s, positive value '%s'; "
			    "protected attributes: %s.",
			    aud_json_str(p, "label") ? aud_json_str(p, "label") : "?",
			    aud_json_str(p, "pred") ? aud_json_str(p, "pred") : "(from the score)",
			    aud_json_str(p, "score") ? ", score '" : "",
			    aud_json_str(p, "score") ? aud_json_str(p, "score") : "",
			    aud_json_str(p, "score") ? "'" : "", b2[0] ? b2 : "1", b1[0] ? b1 : "?");
			if (rc < 0)
				return rc;
			if (cJSON_IsObject(ov)) {
				static const struct aud__col ocols[] = {
					{ "Overall metric", 0.45, AUD__LEFT }, { "Value", 0.15, AUD__RIGHT },
					{ "Key", 0.40, AUD__LEFT },
				};
				const cJSON *src = aud_json_get(ov, "metrics") ? aud_json_get(ov, "metrics") : ov;

				rc = aud__rep_table_begin(c, &t, ocols, 3, AUD__SMALL);
				for (k = 0; rc == 0 && k < sizeof(overall_keys) / sizeof(overall_keys[0]); k++) {
					struct aud__row row;
					double x = aud_json_num(src, overall_keys[k]);
					const char *nm = aud__metric_name(overall_keys[k]);

					if (isnan(x))
						x = aud_json_num(ov, overall_keys[k]);
					if (isnan(x))
						continue;
					aud__row_init(&row);
					aud__row_set(&row, 0, "%s", nm != NULL ? nm : overall_keys[k]);
					aud__fmt_value(row.buf[1], AUD__CELL, x);
					aud__row_set(&row, 2, "%s", overall_keys[k]);
					rc = aud__rep_table_row(c, &t, row.cells, 0);
				}
				if (rc < 0)
					return rc;
				aud__rep_table_end(c, &t);
			}
			cJSON_ArrayForEach(a, aud_json_get(res, "attributes")) {
				const cJSON *g;
				char line[2048];
				size_t used;

				used = (size_t)snprintf(line, sizeof(line), "Group sizes for '%s': ",
				    aud_json_str(a, "attribute") ? aud_json_str(a, "attribute") : "?");
				cJSON_ArrayForEach(g, aud_json_get(a, "groups")) {
					int n = snprintf(line + used, sizeof(line) - used, "%s%s %.0f",
					    g == aud_json_get(a, "groups")->child ? "" : ", ",
					    aud_json_str(g, "group") ? aud_json_str(g, "group") : "?",
					    aud_json_num(g, "count"));

					if (n < 0 || (size_t)n >= sizeof(line) - used)
						break;
					used += (size_t)n;
				}
				rc = aud__rep_text(c, AUD__FONT_REGULAR, AUD__BODY, 0, line, 3);
				if (rc < 0)
					return rc;
			}
		} else if (r->docs[i].kind == AUD_REPORT_MITIGATION) {
			const char *ip = aud_json_str(aud_json_get(doc, "input"), "path");

			rc = aud__rep_heading(c, 2, "Scores mitigated");
			if (rc == 0)
				rc = aud__rep_para(c, "audit-mitigate %s on %s: label '%s', score '%s', "
				    "protected attribute '%s'.", aud__or(aud_json_str(res, "method"), "?"),
				    ip != NULL ? ip : "(input not named)",
				    aud__or(aud_json_str(res, "label"), aud__or(aud_json_str(p, "label"), "?")),
				    aud__or(aud_json_str(res, "score"), aud__or(aud_json_str(p, "score"), "?")),
				    aud__or(aud_json_str(res, "protected"),
				    aud__or(aud_json_str(p, "protected"), "?")));
			if (rc < 0)
				return rc;
		} else if (r->docs[i].kind == AUD_REPORT_SLICE || is_task(r->docs[i].kind)) {
			const char *ip = aud_json_str(aud_json_get(doc, "input"), "path");
			int sl = r->docs[i].kind == AUD_REPORT_SLICE;

			aud_json_text(b1, sizeof(b1), aud_json_get(p, "protected"));
			rc = aud__rep_heading(c, 2, sl ? "Data sliced" :
			    r->docs[i].kind == AUD_REPORT_FAIRNESS_MULTICLASS ?
			    "Data audited for fairness (multi-class)" :
			    "Data audited for fairness (regression)");
			if (rc == 0 && sl)
				rc = aud__rep_para(c, "audit-slice on %s: label '%s', predictions '%s', "
				    "metric %s; %s.", ip != NULL ? ip : "(input not named)",
				    aud__or(aud_json_str(p, "label"), "?"),
				    aud__or(aud_json_str(p, "pred"), "?"),
				    aud__or(aud_json_str(res, "metric"), aud__or(aud_json_str(p, "metric"),
				    "?")), cJSON_IsObject(aud_json_get(res, "discovery")) ?
				    "slices discovered" : "named slices");
			else if (rc == 0)
				rc = aud__rep_para(c, "audit-fair --task %s on %s: label '%s', "
				    "predictions '%s'; protected attributes: %s.",
				    r->docs[i].kind == AUD_REPORT_FAIRNESS_MULTICLASS ? "multiclass" :
				    "regression", ip != NULL ? ip : "(input not named)",
				    aud__or(aud_json_str(p, "label"), "?"),
				    aud__or(aud_json_str(p, "pred"), "?"), b1[0] ? b1 : "?");
			if (rc < 0)
				return rc;
		} else if (is_data(r->docs[i].kind)) {
			const char *ip = aud_json_str(aud_json_get(doc, "input"), "path");
			enum aud_report_kind dk = r->docs[i].kind;
			int drift = dk == AUD_REPORT_DRIFT, check = dk == AUD_REPORT_DATA_CHECK;
			const char *other = drift ? aud_json_str(p, "reference") :
			    check ? aud_json_str(p, "schema") : "";

			rc = aud__rep_heading(c, 2, drift ? "Data compared with a reference" :
			    check ? "Data checked against a schema" : "Data profiled");
			if (rc == 0)
				rc = aud__rep_para(c, "audit-data %s on %s%s%s.",
				    drift ? "drift" : check ? "check" : "profile",
				    ip != NULL ? ip : "(input not named)",
				    drift ? ", reference " : check ? ", schema " : "",
				    aud__or(other, "?"));
			if (rc < 0)
				return rc;
		} else {
			const char *m = aud_json_str(p, "model");
			const char *mc = aud_json_str(p, "model_cmd");

			rc = aud__rep_heading(c, 2, r->docs[i].kind == AUD_REPORT_ROBUSTNESS ?
			    "Model under perturbation" : "Model explained");
			if (rc == 0)
				rc = aud__rep_para(c, "Model: %s%s%s. Input: %s.",
				    m != NULL ? m : mc != NULL ? "command '" : "(not named)",
				    m == NULL && mc != NULL ? mc : "", m == NULL && mc != NULL ? "'" : "",
				    aud_json_str(aud_json_get(doc, "input"), "path") ?
				    aud_json_str(aud_json_get(doc, "input"), "path") : "(not named)");
			if (rc < 0)
				return rc;
		}
	}
	if (r->card == NULL) {
		rc = aud__rep_para(c, "No model card was given (--model-card CARD.json): the "
		    "model's intended use, limitations and ethical considerations are not part of "
		    "this report.");
		if (rc < 0)
			return rc;
	} else {
		const cJSON *md = aud_json_get(r->card, "model_details");
		char b[1024];

		const char *desc = aud_json_str(md, "description");

		aud_json_text(b, sizeof(b), aud_json_get(md, "description"));
		if (b[0] == '\0')
			aud_json_text(b, sizeof(b), md);
		rc = aud__rep_heading(c, 2, "Model (from the model card)");
		if (rc == 0)
			rc = aud__rep_text(c, AUD__FONT_REGULAR, AUD__BODY, 0,
			    desc != NULL && desc[0] != '\0' ? desc : b, 4);
		if (rc < 0)
			return rc;
	}
	/* warnings */
	{
		size_t nw = 0;

		for (i = 0; i < r->ndocs; i++)
			nw += (size_t)cJSON_GetArraySize(aud_json_get(r->docs[i].json, "warnings"));
		if (nw > 0) {
			size_t shown = 0;

			rc = aud__rep_heading(c, 2, "Warnings the tools raised");
			for (i = 0; rc == 0 && i < r->ndocs; i++) {
				const cJSON *w;

				cJSON_ArrayForEach(w, aud_json_get(r->docs[i].json, "warnings")) {
					if (!cJSON_IsString(w) || shown >= 25)
						continue;
					rc = aud__rep_bullet(c, "%s: %s", doc_tool(&r->docs[i]), w->valuestring);
					shown++;
					if (rc < 0)
						break;
				}
			}
			if (rc == 0 && nw > shown)
				rc = aud__rep_para(c, "(%zu more warnings not shown)", nw - shown);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* The warning about placeholders, naming the first text concerned: its
 * first 60 characters, bytes that are not printable UTF-8 as \\xNN. */
static int
placeholder_warning(struct aud_report *r, const char *first, const char *ph,
    struct aud_error *err)
{
	char name[512];
	size_t i, used = 0, chars = 0, n = strlen(first);
	const unsigned char *u = (const unsigned char *)first;

	for (i = 0; i < n && chars < 60 && used + 8 < sizeof(name); chars++) {
		size_t k = 1;

		if (u[i] >= 0xC2 && u[i] <= 0xF4) {
			k = u[i] >= 0xF0 ? 4 : u[i] >= 0xE0 ? 3 : 2;
			if (i + k > n)
				k = 0;
			else {
				size_t j;

				for (j = 1; j < k; j++)
					if ((u[i + j] & 0xC0) != 0x80)
						k = 0;
			}
		} else if (u[i] < 0x20 || u[i] >= 0x7F) {
			k = 0;
		}
		if (k == 0) {
			used += (size_t)snprintf(name + used, sizeof(name) - used, "\\x%02x", u[i]);
			i++;
		} else {
			memcpy(name + used, first + i, k);
			used += k;
			i += k;
		}
	}
	name[used] = '\0';
	r->warning = malloc(used + 200);
	if (r->warning == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	snprintf(r->warning, used + 200, "no installed font draws some characters faithfully: "
	    "they are drawn as placeholders, the first %s in '%s%s'", ph, name,
	    i < n ? "\xE2\x80\xA6" : "");
	return 0;
}

static int
render(unsigned char **out, size_t *len, struct aud_report *r, int html,
    struct aud_error *err)
{
	struct aud__pdf_fonts fonts;
	struct aud__pdf_info info;
	struct aud__rctx c;
	const char *first = NULL, *ph = NULL;
	double w, h;
	int rc;

	*out = NULL;
	*len = 0;
	if (r->ndocs == 0)
		return AUD_ERROR(err, AUD_EINVAL, "no result document to report on");
	w = r->paper == AUD_PAPER_LETTER ? 612.0 : 595.276;
	h = r->paper == AUD_PAPER_LETTER ? 792.0 : 841.89;
	fonts.regular = r->font;
	fonts.bold = r->bold_font;
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.err = err;
	c.left = 50;
	c.right = w - 50;
	c.top = h - 50;
	c.bottom = 48;
	if (html) {
		rc = aud__html_new(&c.html, err);
		if (rc == 0)
			rc = aud__pdf_new_svg(&c.pdf, w, h, &fonts, err);
	} else {
		rc = aud__pdf_new(&c.pdf, w, h, &fonts, err);
	}
	/* a font the user named and no installed font has is a usage error */
	if (rc == AUD_ENOTFOUND && (strcmp(r->font, AUD_REPORT_FONT) != 0 || r->bold_font != NULL))
		rc = err->code = AUD_EINVAL;
	if (rc < 0) {
		aud__html_free(c.html);
		return rc;
	}
	rc = draw_cover(&c);
	if (rc == 0)
		rc = aud__rep_page(&c);  /* the cover stands alone */
	if (rc == 0)
		rc = draw_summary(&c);
	if (rc == 0)
		rc = draw_overview(&c);
	if (rc == 0)
		rc = aud__report_data(&c);
	if (rc == 0)
		rc = aud__report_fairness(&c);
	if (rc == 0)
		rc = aud__report_fairness_tasks(&c);
	if (rc == 0)
		rc = aud__report_slices(&c);
	if (rc == 0)
		rc = aud__report_mitigation(&c);
	if (rc == 0)
		rc = aud__report_robustness(&c);
	if (rc == 0)
		rc = aud__report_explanations(&c);
	if (rc == 0 && r->card != NULL)
		rc = aud__report_card(&c);
	if (rc == 0)
		rc = aud__report_appendix(&c);
	if (rc == 0) {
		memset(&info, 0, sizeof(info));
		info.title = r->title;
		info.author = "rai-audit";
		info.subject = "Responsible-AI audit: fairness, robustness, explanations";
		info.keywords = "fairness, robustness, explainability, model card, audit";
		info.creator = r->generator != NULL ? r->generator : "libaudit";
		info.created = r->created;
		rc = aud__rep_flush(&c);
		if (rc == 0 && html) {
			char foot[128], date[21];

			aud_format_time(date, r->created);
			snprintf(foot, sizeof(foot), "%s \xC2\xB7 %s", info.creator, date);
			rc = aud__html_finish(out, len, c.html, r->title, "DejaVu Sans", foot, err);
		} else if (rc == 0) {
			rc = aud__pdf_finish(out, len, c.pdf, &info, r->title, err);
		}
	}
	free(r->warning);
	r->warning = NULL;
	if (rc == 0 && aud__pdf_marked(c.pdf, &first, &ph) > 0 && first != NULL)
		rc = placeholder_warning(r, first, ph, err);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*len = 0;
	}
	aud__pdf_free(c.pdf);
	aud__html_free(c.html);
	free(c.pend_text);
	return rc;
}

int
aud_report_render(unsigned char **out, size_t *len, struct aud_report *r,
    struct aud_error *err)
{
	return render(out, len, r, 0, err);
}

int
aud_report_render_html(unsigned char **out, size_t *len, struct aud_report *r,
    struct aud_error *err)
{
	return render(out, len, r, 1, err);
}

const char *
aud_report_warning(const struct aud_report *r)
{
	return r->warning;
}
