/*
 * report_robust.c — the robustness section: the baseline, a table of every
 * perturbation, curves of flip rate against perturbation level (overall
 * and per group), per-feature fragility, and the counterfactual test
 * (anti-classification). Reads audit-robust's `results` (docs/json.md).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_impl.h"
#include "report_words.h"

#define MAX_ITEMS 64
#define MAX_LEVELS 32

/* One group's (or feature's) result. */
struct item {
	char attr[64];
	char name[128];
	double rate, lo, hi, rows, flips;
};

/* flip_rate as a number, or an object {"value"|"estimate", "ci"|"lo"/"hi"}. */
static void
read_rate(const cJSON *e, double *rate, double *lo, double *hi)
{
	const cJSON *fr = aud_json_get(e, "flip_rate");

	*rate = *lo = *hi = NAN;
	if (cJSON_IsNumber(fr)) {
		*rate = fr->valuedouble;
	} else if (cJSON_IsObject(fr)) {
		*rate = aud_json_num(fr, "value");
		if (isnan(*rate))
			*rate = aud_json_num(fr, "estimate");
		aud_json_ci(aud_json_get(fr, "ci"), lo, hi);
		if (isnan(*lo)) {
			*lo = aud_json_num(fr, "lo");
			*hi = aud_json_num(fr, "hi");
		}
	}
	if (isnan(*rate) && !isnan(aud_json_num(e, "flips")) && aud_json_num(e, "rows") > 0)
		*rate = aud_json_num(e, "flips") / aud_json_num(e, "rows");
	if (isnan(*lo))
		aud_json_ci(aud_json_get(e, "flip_rate_ci"), lo, hi);
	if (isnan(*lo))
		aud_json_ci(aud_json_get(aud_json_get(e, "ci"), "flip_rate"), lo, hi);
}

static void
put_item(struct item *items, size_t *n, const char *attr, const char *name, const cJSON *e)
{
	struct item *it;

	if (*n >= MAX_ITEMS)
		return;
	it = &items[(*n)++];
	snprintf(it->attr, sizeof(it->attr), "%s", attr != NULL ? attr : "");
	snprintf(it->name, sizeof(it->name), "%s", name != NULL ? name : "?");
	if (cJSON_IsNumber(e)) {
		it->rate = e->valuedouble;
		it->lo = it->hi = it->rows = it->flips = NAN;
		return;
	}
	read_rate(e, &it->rate, &it->lo, &it->hi);
	it->rows = aud_json_num(e, "rows");
	it->flips = aud_json_num(e, "flips");
}

static const char *
entry_name(const cJSON *e, const char *k1, const char *k2)
{
	const char *s = aud_json_str(e, k1);

	return s != NULL ? s : aud_json_str(e, k2);
}

/* An object is an entry (not a level of nesting) when it has a flip rate. */
static int
is_entry(const cJSON *e)
{
	return cJSON_IsNumber(e) || (cJSON_IsObject(e) && (aud_json_get(e, "flip_rate") != NULL ||
	    aud_json_get(e, "flips") != NULL));
}

/*
 * by_group in any of the shapes a reader may meet: a list of entries (with
 * "attribute" and "group"), a list of {"attribute", "groups": [...]}, an
 * object attribute -> list of entries, attribute -> {group: entry}, or
 * group -> entry.
 */
static void
collect(struct item *items, size_t *n, const cJSON *v, const char *attr, const char *namekey)
{
	const cJSON *e;

	if (cJSON_IsArray(v)) {
		cJSON_ArrayForEach(e, v) {
			const char *a = aud_json_str(e, "attribute");
			const cJSON *sub = aud_json_get(e, "groups");

			if (sub == NULL)
				sub = aud_json_get(e, "features");
			if (sub != NULL && !is_entry(e))
				collect(items, n, sub, a != NULL ? a : attr, namekey);
			else
				put_item(items, n, a != NULL ? a : attr,
				    entry_name(e, namekey, "name"), e);
		}
	} else if (cJSON_IsObject(v)) {
		cJSON_ArrayForEach(e, v) {
			if (is_entry(e))
				put_item(items, n, attr, e->string, e);
			else
				collect(items, n, e, e->string, namekey);
		}
	}
}

/* "gaussian:0.1" -> kind "gaussian", level 0.1 (NaN when not a number). */
static void
spec_split(const char *spec, char *kind, size_t ksize, double *level)
{
	const char *colon = strchr(spec, ':');
	char *end;

	*level = NAN;
	if (colon == NULL) {
		snprintf(kind, ksize, "%s", spec);
		return;
	}
	snprintf(kind, ksize, "%.*s", (int)(colon - spec), spec);
	*level = strtod(colon + 1, &end);
	if (end == colon + 1 || *end != '\0')
		*level = NAN;
}

static double
entry_level(const cJSON *e, char *kind, size_t ksize)
{
	const char *spec = aud_json_str(e, "spec");
	double level = aud_json_num(e, "level");
	double l2;

	spec_split(spec != NULL ? spec : "?", kind, ksize, &l2);
	return isnan(level) ? l2 : level;
}

static int
draw_table(struct aud__rctx *c, const cJSON *perts)
{
	static const struct aud__col cols[] = {
		{ "Perturbation", 0.22, AUD__LEFT }, { "Rows", 0.09, AUD__RIGHT },
		{ "Flips", 0.09, AUD__RIGHT }, { "Flip rate\n[95% interval]", 0.17, AUD__RIGHT },
		{ "Mean |\xCE\x94score|", 0.12, AUD__RIGHT }, { "Max |\xCE\x94score|", 0.12, AUD__RIGHT },
		{ "Accuracy drop", 0.12, AUD__RIGHT },
	};
	struct aud__table t;
	const cJSON *e;
	int rc;

	rc = aud__rep_table_begin(c, &t, cols, 7, AUD__SMALL);
	cJSON_ArrayForEach(e, perts) {
		struct aud__row row;
		double rate, lo, hi;
		char a[32];

		if (rc < 0)
			break;
		read_rate(e, &rate, &lo, &hi);
		aud__row_init(&row);
		if (aud_json_str(e, "spec") != NULL && strncmp(aud_json_str(e, "spec"), "flip:", 5) == 0)
			aud__row_set(&row, 0, "%s\nanti-classification / counterfactual flip",
			    aud_json_str(e, "spec"));
		else
			aud__row_set(&row, 0, "%s", aud_json_str(e, "spec") ? aud_json_str(e, "spec") : "?");
		aud__fmt_value(row.buf[1], AUD__CELL, aud_json_num(e, "rows"));
		aud__fmt_value(row.buf[2], AUD__CELL, aud_json_num(e, "flips"));
		aud__fmt_value(a, sizeof(a), rate);
		if (!isnan(lo))
			aud__row_set(&row, 3, "%s\n[%.3f, %.3f]", a, lo, hi);
		else
			aud__row_set(&row, 3, "%s", a);
		aud__fmt_value(row.buf[4], AUD__CELL, aud_json_num(e, "mean_abs_score_change"));
		aud__fmt_value(row.buf[5], AUD__CELL, aud_json_num(e, "max_abs_score_change"));
		if (!isnan(aud_json_num(e, "accuracy_drop")))
			aud__fmt_value(row.buf[6], AUD__CELL, aud_json_num(e, "accuracy_drop"));
		rc = aud__rep_table_row(c, &t, row.cells, 0);
	}
	if (rc == 0)
		aud__rep_table_end(c, &t);
	return rc;
}

/* Series names "attr=group" (or "group") and their points. */
struct curve {
	char name[160];
	double x[MAX_LEVELS], y[MAX_LEVELS];
	size_t n;
};

static struct curve *
find_curve(struct curve *cv, size_t *ncv, size_t max, const char *name)
{
	size_t i;

	for (i = 0; i < *ncv; i++)
		if (strcmp(cv[i].name, name) == 0)
			return &cv[i];
	if (*ncv >= max)
		return NULL;
	snprintf(cv[*ncv].name, sizeof(cv[*ncv].name), "%s", name);
	cv[*ncv].n = 0;
	return &cv[(*ncv)++];
}

static void
curve_add(struct curve *cv, double x, double y)
{
	if (cv != NULL && cv->n < MAX_LEVELS) {
		cv->x[cv->n] = x;
		cv->y[cv->n] = y;
		cv->n++;
	}
}

/* Numbers of a JSON array into x (NaN for others); returns the count. */
static size_t
numbers(double *x, size_t max, const cJSON *arr)
{
	const cJSON *e;
	size_t n = 0;

	cJSON_ArrayForEach(e, arr) {
		if (n >= max)
			break;
		x[n++] = cJSON_IsNumber(e) ? e->valuedouble : NAN;
	}
	return n;
}

static int
draw_line_chart(struct aud__rctx *c, struct curve *cv, size_t ncv, const char *what)
{
	struct aud__series s[12];
	struct aud__line_opts o = AUD__LINE_OPTS_INIT;
	char title[640];
	double h;
	size_t i;
	int rc;

	for (i = 0; i < ncv; i++) {
		s[i].name = cv[i].name;
		s[i].x = cv[i].x;
		s[i].y = cv[i].y;
		s[i].n = cv[i].n;
	}
	snprintf(title, sizeof(title), "Flip rate against %s level, overall and per group", what);
	o.title = title;
	o.x_label = "perturbation level";
	o.y_label = "flip rate";
	o.y_lo = 0;
	h = AUD__CHART_TITLE + AUD__LINE_YLABEL + 150 + AUD__CHART_AXIS +
	    aud__chart_legend_height(c->pdf, s, ncv, aud__rep_width(c) - 34) + 14;
	rc = aud__rep_need(c, h);
	if (rc == 0)
		rc = aud__chart_lines(c->pdf, c->left, c->y, aud__rep_width(c), 150, s, ncv, &o,
		    c->err);
	c->y -= h;
	return rc;
}

/* audit-robust's results.curves: [{"sweep", "levels", "flip_rate",
 * "by_group": [{"attribute", "group", "flip_rate": [...]}]}]. */
static int
draw_result_curves(struct aud__rctx *c, const cJSON *curves)
{
	const cJSON *e, *g;
	int rc = 0;

	cJSON_ArrayForEach(e, curves) {
		struct curve *cv;
		size_t ncv = 1;

		if (rc < 0)
			break;
		cv = calloc(12, sizeof(*cv));
		if (cv == NULL)
			return AUD_ERROR(c->err, AUD_ENOMEM, "out of memory");
		snprintf(cv[0].name, sizeof(cv[0].name), "overall");
		cv[0].n = numbers(cv[0].x, MAX_LEVELS, aud_json_get(e, "levels"));
		numbers(cv[0].y, cv[0].n, aud_json_get(e, "flip_rate"));
		cJSON_ArrayForEach(g, aud_json_get(e, "by_group")) {
			if (ncv >= 12)
				break;
			snprintf(cv[ncv].name, sizeof(cv[ncv].name), "%s=%s",
			    aud_json_str(g, "attribute") ? aud_json_str(g, "attribute") : "?",
			    aud_json_str(g, "group") ? aud_json_str(g, "group") : "?");
			memcpy(cv[ncv].x, cv[0].x, sizeof(cv[0].x));
			cv[ncv].n = numbers(cv[ncv].y, cv[0].n, aud_json_get(g, "flip_rate"));
			ncv++;
		}
		if (cv[0].n >= 2)
			rc = draw_line_chart(c, cv, ncv, aud_json_str(e, "sweep") ? aud_json_str(e, "sweep") :
			    aud_json_str(e, "kind") ? aud_json_str(e, "kind") : "perturbation");
		free(cv);
	}
	return rc;
}

/* One line chart per kind with two or more numeric levels. */
static int
draw_curves(struct aud__rctx *c, const cJSON *perts, struct item *items)
{
	char kinds[16][32];
	size_t nk = 0, k, i;
	const cJSON *e;
	int rc = 0;

	cJSON_ArrayForEach(e, perts) {
		char kind[32];
		double lv = entry_level(e, kind, sizeof(kind));

		if (isnan(lv))
			continue;
		for (k = 0; k < nk; k++)
			if (strcmp(kinds[k], kind) == 0)
				break;
		if (k == nk && nk < 16)
			snprintf(kinds[nk++], sizeof(kinds[0]), "%s", kind);
	}
	for (k = 0; k < nk && rc == 0; k++) {
		struct curve *cv = calloc(12, sizeof(*cv));
		size_t ncv = 0;

		if (cv == NULL)
			return AUD_ERROR(c->err, AUD_ENOMEM, "out of memory");
		find_curve(cv, &ncv, 12, "overall");
		cJSON_ArrayForEach(e, perts) {
			char kind[32];
			double lv = entry_level(e, kind, sizeof(kind)), rate, lo, hi;
			size_t ni = 0;

			if (isnan(lv) || strcmp(kind, kinds[k]) != 0)
				continue;
			read_rate(e, &rate, &lo, &hi);
			curve_add(&cv[0], lv, rate);
			collect(items, &ni, aud_json_get(e, "by_group"), NULL, "group");
			for (i = 0; i < ni; i++) {
				char nm[200];

				snprintf(nm, sizeof(nm), "%s%s%s", items[i].attr,
				    items[i].attr[0] ? "=" : "", items[i].name);
				curve_add(find_curve(cv, &ncv, 12, nm), lv, items[i].rate);
			}
		}
		if (cv[0].n >= 2)
			rc = draw_line_chart(c, cv, ncv, kinds[k]);
		free(cv);
	}
	return rc;
}

static int
cmp_rate_desc(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	double rx = isnan(x->rate) ? -1 : x->rate, ry = isnan(y->rate) ? -1 : y->rate;

	if (rx != ry)
		return rx < ry ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int
draw_items_chart(struct aud__rctx *c, struct item *items, size_t n, const char *title,
    int sort, int with_attr)
{
	struct aud__bar bars[MAX_ITEMS] = { { NULL, 0, 0, 0, 0, 0 } };
	char labels[MAX_ITEMS][200];
	struct aud__hbar_opts o = AUD__HBAR_OPTS_INIT;
	double h = aud__chart_hbars_height(n) + 8;
	size_t i;
	int rc;

	if (n == 0)
		return 0;
	if (sort)
		qsort(items, n, sizeof(*items), cmp_rate_desc);
	for (i = 0; i < n; i++) {
		snprintf(labels[i], sizeof(labels[i]), "%s%s%s", with_attr ? items[i].attr : "",
		    with_attr && items[i].attr[0] ? "=" : "", items[i].name);
		bars[i].label = labels[i];
		bars[i].value = items[i].rate;
		bars[i].lo = items[i].lo;
		bars[i].hi = items[i].hi;
		bars[i].hatched = 0;
	}
	if (aud__chart_hbars_empty(bars, n))
		return aud__rep_para(c, "Not charted: %s: every flip rate is 0 (no decision "
		    "changes) or undefined.", title);
	o.title = title;
	o.x_label = "flip rate (fraction of rows whose decision changes)";
	o.axis_lo = 0;
	rc = aud__rep_need(c, h);
	if (rc == 0)
		rc = aud__chart_hbars(c->pdf, c->left, c->y, aud__rep_width(c), bars, n, &o, c->err);
	c->y -= h;
	return rc;
}

/* Per-feature fragility: for each kind, the strongest level's by_feature. */
static int
draw_fragility(struct aud__rctx *c, const cJSON *perts, struct item *items)
{
	const cJSON *e, *best[16] = { NULL };
	char kinds[16][32];
	double blevel[16];
	size_t nk = 0, k;
	int rc = 0;

	cJSON_ArrayForEach(e, perts) {
		char kind[32];
		double lv = entry_level(e, kind, sizeof(kind));

		if (aud_json_get(e, "by_feature") == NULL)
			continue;
		for (k = 0; k < nk; k++)
			if (strcmp(kinds[k], kind) == 0)
				break;
		if (k == nk) {
			if (nk == 16)
				continue;
			snprintf(kinds[nk], sizeof(kinds[0]), "%s", kind);
			best[nk] = e;
			blevel[nk] = lv;
			nk++;
		} else if (!isnan(lv) && (isnan(blevel[k]) || lv > blevel[k])) {
			best[k] = e;
			blevel[k] = lv;
		}
	}
	if (nk == 0)
		return 0;
	rc = aud__rep_heading(c, 1, "Per-feature fragility");
	if (rc == 0)
		rc = aud__rep_para(c, "Each feature perturbed alone (the others held): the features "
		    "whose perturbation changes most decisions are those the model is fragile to.");
	for (k = 0; k < nk && rc == 0; k++) {
		char title[200];
		size_t n = 0;

		collect(items, &n, aud_json_get(best[k], "by_feature"), NULL, "feature");
		snprintf(title, sizeof(title), "Flip rate per feature under %s",
		    aud_json_str(best[k], "spec") ? aud_json_str(best[k], "spec") : kinds[k]);
		rc = draw_items_chart(c, items, n, title, 1, 0);
	}
	return rc;
}

/* transitions: [{"from", "to", "rows", "flips", "flip_rate"}] of a flip test. */
static int
draw_transitions(struct aud__rctx *c, const cJSON *tr, const char *attr)
{
	static const struct aud__col cols[] = {
		{ "From", 0.3, AUD__LEFT }, { "To", 0.3, AUD__LEFT }, { "Rows", 0.13, AUD__RIGHT },
		{ "Flips", 0.13, AUD__RIGHT }, { "Flip rate", 0.14, AUD__RIGHT },
	};
	struct aud__table t;
	const cJSON *e;
	char head[256];
	int rc;

	if (!cJSON_IsArray(tr) || tr->child == NULL)
		return 0;
	snprintf(head, sizeof(head), "Decisions changed from each value of '%s' to each other", attr);
	rc = aud__rep_heading(c, 2, head);
	if (rc == 0)
		rc = aud__rep_table_begin(c, &t, cols, 5, AUD__SMALL);
	cJSON_ArrayForEach(e, tr) {
		struct aud__row row;

		if (rc < 0)
			break;
		aud__row_init(&row);
		aud__row_set(&row, 0, "%s", aud__or(aud_json_str(e, "from"), "?"));
		aud__row_set(&row, 1, "%s", aud__or(aud_json_str(e, "to"), "?"));
		aud__fmt_value(row.buf[2], AUD__CELL, aud_json_num(e, "rows"));
		aud__fmt_value(row.buf[3], AUD__CELL, aud_json_num(e, "flips"));
		aud__fmt_value(row.buf[4], AUD__CELL, aud_json_num(e, "flip_rate"));
		rc = aud__rep_table_row(c, &t, row.cells, 0);
	}
	if (rc == 0)
		aud__rep_table_end(c, &t);
	return rc;
}

/* What grid and adversarial entries add: robust-and-correct counts, radii. */
static int
draw_extras(struct aud__rctx *c, const cJSON *perts)
{
	const cJSON *e;
	int rc = 0;

	cJSON_ArrayForEach(e, perts) {
		const char *spec = aud__or(aud_json_str(e, "spec"), "?");
		double rad = aud_json_num(e, "median_flip_radius");
		double rc_n = aud_json_num(e, "robust_and_correct");
		char a[32], b[32], d[32];

		if (rc < 0)
			break;
		if (!isnan(rad)) {
			aud__fmt_value(a, sizeof(a), rad);
			rc = aud__rep_bullet(c, "%s: median smallest flipping radius %s standard "
			    "deviations (L-infinity).", spec, a);
		}
		if (rc == 0 && !isnan(rc_n)) {
			aud__fmt_value(a, sizeof(a), rc_n);
			aud__fmt_value(b, sizeof(b), aud_json_num(e, "robust_and_correct_rate"));
			aud__fmt_value(d, sizeof(d), aud_json_num(e, "robust_among_correct"));
			rc = aud__rep_bullet(c, "%s: %s rows are robust and correct (%s of all rows, "
			    "%s of the correctly predicted rows).", spec, a, b, d);
		}
	}
	return rc;
}

static int
draw_counterfactual(struct aud__rctx *c, const cJSON *perts, struct item *items)
{
	const cJSON *e;
	int rc = 0, any = 0;

	cJSON_ArrayForEach(e, perts) {
		const char *spec = aud_json_str(e, "spec");
		double rate, lo, hi, flips = aud_json_num(e, "flips"), rows = aud_json_num(e, "rows");
		char title[200], fb[64], rb[64], ra[64];
		size_t n = 0;

		if (spec == NULL || strncmp(spec, "flip:", 5) != 0)
			continue;
		if (!any) {
			rc = aud__rep_heading(c, 1, "Counterfactual test (anti-classification)");
			if (rc == 0)
				rc = aud__rep_para(c, "Each row's protected attribute is set to every "
				    "other value in turn, all else equal; a row flips when its decision "
				    "changes. A model that does not use the attribute, directly or "
				    "through transformations, flips no row. A zero rate does not rule "
				    "out proxies: see the proxy table of the explanations.");
			any = 1;
		}
		if (rc < 0)
			break;
		read_rate(e, &rate, &lo, &hi);
		aud__fmt_value(fb, sizeof(fb), flips);
		aud__fmt_value(rb, sizeof(rb), rows);
		aud__fmt_value(ra, sizeof(ra), rate);
		rc = aud__rep_para(c, "Flipping '%s': %s of %s rows changed decision (flip rate "
		    "%s): the decision %s on '%s' itself.", spec + 5, fb, rb, ra,
		    flips == 0 ? "does not depend" : "depends", spec + 5);
		if (rc < 0)
			break;
		collect(items, &n, aud_json_get(e, "by_group"), NULL, "group");
		snprintf(title, sizeof(title), "Counterfactual flip rate by original group (%s)", spec);
		if (n > 0)
			rc = draw_items_chart(c, items, n, title, 0, 1);
		if (rc == 0)
			rc = draw_transitions(c, aud_json_get(e, "transitions"), spec + 5);
	}
	return rc;
}

int
aud__report_robustness(struct aud__rctx *c)
{
	const struct aud__rdoc *docs[64];
	size_t nd = aud__rep_docs(c->r, AUD_REPORT_ROBUSTNESS, docs, 64);
	struct item *items;
	size_t i;
	int rc;

	if (nd == 0)
		return 0;
	if (nd > 64)
		nd = 64;
	items = calloc(MAX_ITEMS, sizeof(*items));
	if (items == NULL)
		return AUD_ERROR(c->err, AUD_ENOMEM, "out of memory");
	rc = aud__rep_heading(c, 0, "Robustness");
	if (rc == 0)
		rc = aud__rep_para(c, "How decisions change when the inputs are perturbed: the flip "
		    "rate is the fraction of rows whose predicted class changes (its denominator is "
		    "the rows column); score changes are absolute differences of the model's score. "
		    "Protected and frozen columns are perturbed only by flip tests.");
	for (i = 0; rc == 0 && i < nd; i++) {
		const cJSON *res = aud_json_get(docs[i]->json, "results");
		const cJSON *b = aud_json_get(res, "baseline");
		const cJSON *perts = aud_json_get(res, "perturbations");

		if (nd > 1)
			rc = aud__rep_heading(c, 1, docs[i]->name);
		if (rc == 0 && b != NULL) {
			char r1[64], r2[64], r3[64];

			aud__fmt_value(r1, sizeof(r1), aud_json_num(b, "rows"));
			aud__fmt_value(r2, sizeof(r2), aud_json_num(b, "positive_rate"));
			aud__fmt_value(r3, sizeof(r3), aud_json_num(b, "accuracy"));
			rc = aud__rep_para(c, "Baseline (unperturbed): %s rows, positive rate %s%s%s.",
			    r1, r2, isnan(aud_json_num(b, "accuracy")) ? "" : ", accuracy ",
			    isnan(aud_json_num(b, "accuracy")) ? "" : r3);
		}
		if (rc < 0 || !cJSON_IsArray(perts) || cJSON_GetArraySize(perts) == 0)
			continue;
		rc = aud__rep_heading(c, 1, "Perturbations");
		if (rc == 0)
			rc = draw_table(c, perts);
		if (rc == 0)
			rc = draw_extras(c, perts);
		if (rc == 0 && cJSON_IsArray(aud_json_get(res, "curves")))
			rc = draw_result_curves(c, aud_json_get(res, "curves"));
		else if (rc == 0)
			rc = draw_curves(c, perts, items);
		if (rc == 0)
			rc = draw_fragility(c, perts, items);
		if (rc == 0)
			rc = draw_counterfactual(c, perts, items);
	}
	free(items);
	return rc;
}

/* The groups of one attribute whose flip rates are highest and lowest. */
static void
group_extremes(const cJSON *groups, const cJSON **gmax, const cJSON **gmin)
{
	const cJSON *g;
	double rmax = -1, rmin = INFINITY, r, lo, hi;

	*gmax = *gmin = NULL;
	cJSON_ArrayForEach(g, groups) {
		read_rate(g, &r, &lo, &hi);
		if (isnan(r) || aud_json_str(g, "group") == NULL)
			continue;
		if (r > rmax) {
			rmax = r;
			*gmax = g;
		}
		if (r < rmin) {
			rmin = r;
			*gmin = g;
		}
	}
}

/* "'C' (2.8%, 95% CI 1.4% to 5.7%)" */
static void
group_words(char *buf, size_t size, const cJSON *g)
{
	double r, lo, hi;
	char p[32], ci[96];

	read_rate(g, &r, &lo, &hi);
	aud__words_pct(p, sizeof(p), r);
	aud__words_pct_ci(ci, sizeof(ci), lo, hi);
	if (ci[0] != '\0')
		snprintf(buf, size, "'%s' (%s, %s", aud_json_str(g, "group"), p, ci + 2);
	else
		snprintf(buf, size, "'%s' (%s)", aud_json_str(g, "group"), p);
}

int
aud__report_robust_words(struct aud__rctx *c, const struct aud__rdoc *d)
{
	const cJSON *res = aud_json_get(d->json, "results");
	const cJSON *e, *worst = NULL, *a, *bmax = NULL, *bmin = NULL;
	const char *battr = NULL;
	double r, lo, hi, wr = -1, best = -1;
	char p[32], ci[96], acc[160] = "", grp[512] = "", g1[200], g2[200];
	int rc = 0;

	cJSON_ArrayForEach(e, aud_json_get(res, "perturbations")) {
		const char *spec = aud_json_str(e, "spec");

		if (spec == NULL)
			continue;
		read_rate(e, &r, &lo, &hi);
		if (strncmp(spec, "flip:", 5) != 0) {
			if (!isnan(r) && r > wr) {
				wr = r;
				worst = e;
			}
			continue;
		}
		aud__words_pct(p, sizeof(p), r);
		aud__words_pct_ci(ci, sizeof(ci), lo, hi);
		rc = aud__rep_bullet(c, "In plain words: changing only '%s', all else equal, "
		    "changes %s of the decisions%s.", spec + 5, p, ci);
		if (rc < 0)
			return rc;
	}
	if (worst == NULL)
		return 0;
	read_rate(worst, &r, &lo, &hi);
	aud__words_pct(p, sizeof(p), r);
	aud__words_pct_ci(ci, sizeof(ci), lo, hi);
	{
		double ab = aud_json_num(aud_json_get(res, "baseline"), "accuracy");
		double ap = aud_json_num(worst, "accuracy");
		char x[32], y[32];

		if (!isnan(ab) && !isnan(ap)) {
			aud__words_pct1(x, sizeof(x), ab);
			aud__words_pct1(y, sizeof(y), ap);
			snprintf(acc, sizeof(acc), "; accuracy goes from %s to %s (%+.1f points)",
			    x, y, (ap - ab) * 100);
		}
	}
	/* the attribute whose groups differ most (ratio of highest to lowest rate) */
	cJSON_ArrayForEach(a, aud_json_get(worst, "by_group")) {
		const cJSON *gmax, *gmin;
		double rmax, rmin;

		group_extremes(aud_json_get(a, "groups"), &gmax, &gmin);
		if (gmax == NULL || gmax == gmin)
			continue;
		read_rate(gmax, &rmax, &lo, &hi);
		read_rate(gmin, &rmin, &lo, &hi);
		if (rmin > 0 && rmax / rmin > best) {
			best = rmax / rmin;
			bmax = gmax;
			bmin = gmin;
			battr = aud_json_str(a, "attribute");
		}
	}
	if (bmax != NULL) {
		group_words(g1, sizeof(g1), bmax);
		group_words(g2, sizeof(g2), bmin);
		snprintf(grp, sizeof(grp), "; by '%s', decisions change %.1f times as often for %s "
		    "as for %s", aud__or(battr, "?"), best, g1, g2);
	}
	read_rate(worst, &r, &lo, &hi);
	return aud__rep_bullet(c, "In plain words: under '%s', %s of the decisions change%s%s%s.",
	    aud_json_str(worst, "spec"), p, ci, acc, grp);
}
