/*
 * report_fair.c — the fairness section: per attribute (and intersection),
 * the summary measures, significance tests, the group table with intervals,
 * bar charts of selection rate, TPR, FPR and FNR with interval whiskers,
 * and the disparity chart with the four-fifths band. Reads audit-fair's
 * `results` (docs/json.md).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_impl.h"

#define MAX_CHART_GROUPS 24

/* A group's metric: groups[i].metrics.KEY (or groups[i].KEY). */
static double
gmetric(const cJSON *g, const char *key)
{
	const cJSON *m = aud_json_get(g, "metrics");
	double v = aud_json_num(m, key);

	return isnan(v) && m == NULL ? aud_json_num(g, key) : v;
}

static void
gci(const cJSON *g, const char *key, double *lo, double *hi)
{
	aud_json_ci(aud_json_get(aud_json_get(g, "ci"), key), lo, hi);
}

static const char *
gname(const cJSON *g)
{
	const char *s = aud_json_str(g, "group");

	return s != NULL ? s : "?";
}

int
aud_decision_parse(enum aud_decision *out, const char *s, struct aud_error *err)
{
	if (s != NULL && strcmp(s, "punitive") == 0)
		*out = AUD_DECISION_PUNITIVE;
	else if (s != NULL && strcmp(s, "assistive") == 0)
		*out = AUD_DECISION_ASSISTIVE;
	else
		return AUD_ERROR(err, AUD_EINVAL, "unknown decision '%s' (punitive or assistive)",
		    s != NULL ? s : "");
	return 0;
}

void
aud_report_set_decision(struct aud_report *r, enum aud_decision d)
{
	r->decision = (int)d;
}

int
aud__rep_decision(const struct aud_report *r)
{
	enum aud_decision d;

	if (r->decision != AUD_DECISION_NONE)
		return r->decision;
	if (aud_decision_parse(&d, aud_json_str(aud_json_get(r->card, "intended_use"),
	    "decision"), NULL) == 0)
		return (int)d;
	return AUD_DECISION_NONE;
}

/* The rates a fairness section charts and speaks of, in words. */
struct rate_word {
	const char *key, *abbr, *name;
};
static const struct rate_word rate_words[] = {
	{ "selection_rate", "Selection rate", "selection rate" },
	{ "favorable_rate", "Favorable rate", "favorable-outcome rate" },
	{ "tpr", "TPR", "true positive rate" },
	{ "fpr", "FPR", "false positive rate" },
	{ "fnr", "FNR", "false negative rate" },
	{ "ppv", "PPV", "precision (PPV)" },
	{ "fdr", "FDR", "false discovery rate" },
	{ "for", "FOR", "false omission rate" },
};

static const struct rate_word *
rate_word(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(rate_words) / sizeof(rate_words[0]); i++)
		if (strcmp(rate_words[i].key, key) == 0)
			return &rate_words[i];
	return &rate_words[0];
}

/* The first rate of the findings: favorable rate when the favorable value is
 * not the positive one (COMPAS), else the selection rate. */
static const char *
parity_key(const cJSON *res)
{
	const char *pos = aud_json_str(res, "positive"), *fav = aud_json_str(res, "favorable");

	return pos != NULL && fav != NULL && strcmp(pos, fav) != 0 ? "favorable_rate" :
	    "selection_rate";
}

/* The rates the findings lead with, by decision; NULL-terminated. */
static void
lead_keys(const char **out, int decision, const cJSON *res)
{
	size_t n = 0;

	if (decision == AUD_DECISION_PUNITIVE) {
		out[n++] = "fpr";
		out[n++] = "fdr";
	} else if (decision == AUD_DECISION_ASSISTIVE) {
		out[n++] = "fnr";
		out[n++] = "for";
	} else {
		out[n++] = parity_key(res);
		out[n++] = "fpr";
		out[n++] = "fnr";
	}
	out[n] = NULL;
}

static const cJSON *
find_group(const cJSON *a, const char *name)
{
	const cJSON *g;

	if (name == NULL)
		return NULL;
	cJSON_ArrayForEach(g, aud_json_get(a, "groups"))
		if (aud_json_str(g, "group") != NULL && strcmp(aud_json_str(g, "group"), name) == 0)
			return g;
	return NULL;
}

static double
gratio(const cJSON *g, const char *key)
{
	return aud_json_num(aud_json_get(aud_json_get(g, "disparity"), key), "ratio");
}

/*
 * One finding in plain words: the group whose `key` ratio to the reference is
 * farthest from parity (1), as a sentence with the effect size and the
 * ratio's interval (the bootstrap's ratio_ci; "no interval" otherwise).
 * Writes "" when no group has a defined ratio other than the reference.
 */
static void
plain_sentence(char *buf, size_t size, const cJSON *res, const cJSON *a, const char *key)
{
	const char *refname = aud_json_str(a, "reference");
	const cJSON *ref = find_group(a, refname), *g, *far = NULL;
	const struct rate_word *rw = rate_word(key);
	double best = -1, r, lo, hi, level = aud_json_num(res, "ci_level");
	char eff[96], ci[160], v1[32], v2[32], small[64] = "";

	buf[0] = '\0';
	cJSON_ArrayForEach(g, aud_json_get(a, "groups")) {
		double d;

		if (g == ref)
			continue;
		r = gratio(g, key);
		if (isnan(r) || r <= 0 || isinf(r))
			continue;
		d = fabs(log(r));
		if (d > best) {
			best = d;
			far = g;
		}
	}
	if (far == NULL || ref == NULL)
		return;
	r = gratio(far, key);
	aud_json_ci(aud_json_get(aud_json_get(aud_json_get(far, "disparity"), key), "ratio_ci"),
	    &lo, &hi);
	if (r >= 2)
		snprintf(eff, sizeof(eff), "%.2f times", r);
	else if (fabs(r - 1) < 0.005)
		snprintf(eff, sizeof(eff), "about the same as");
	else
		snprintf(eff, sizeof(eff), "%.0f%% %s than", fabs(r - 1) * 100,
		    r < 1 ? "lower" : "higher");
	if (!isnan(lo) && !isnan(hi))
		snprintf(ci, sizeof(ci), "%.0f%% CI %.2f to %.2f",
		    isnan(level) ? 95 : level * 100, lo, hi);
	else
		snprintf(ci, sizeof(ci), "no interval for the ratio: audit-fair computes one "
		    "with --ci-method bootstrap");
	aud__fmt_rate(v1, sizeof(v1), gmetric(far, key));
	aud__fmt_rate(v2, sizeof(v2), gmetric(ref, key));
	if (aud_json_bool(far, "small"))
		snprintf(small, sizeof(small), "; a small group, n = %.0f",
		    aud_json_num(far, "count"));
	snprintf(buf, size, "Group '%s' has a %s %s%s group '%s' (%s vs %s; ratio %.2f, %s%s).",
	    gname(far), rw->name, eff, r >= 2 ? " that of" : "", aud__or(refname, "?"),
	    v1, v2, r, ci, small);
}

static int
draw_summary_table(struct aud__rctx *c, const cJSON *a)
{
	static const struct aud__col cols[] = {
		{ "Measure (course / library name)", 0.55, AUD__LEFT },
		{ "Key", 0.32, AUD__LEFT }, { "Value", 0.13, AUD__RIGHT },
	};
	const cJSON *sum = aud_json_get(a, "summary");
	const cJSON *e;
	struct aud__table t;
	int rc;

	if (!cJSON_IsObject(sum) || sum->child == NULL)
		return 0;
	rc = aud__rep_table_begin(c, &t, cols, 3, AUD__SMALL);
	cJSON_ArrayForEach(e, sum) {
		struct aud__row row;
		const char *nm = aud__metric_name(e->string);

		if (rc < 0)
			break;
		if (!cJSON_IsNumber(e) && !cJSON_IsNull(e))
			continue;
		aud__row_init(&row);
		aud__row_set(&row, 0, "%s", nm != NULL ? nm : e->string);
		aud__row_set(&row, 1, "%s", e->string);
		aud__fmt_value(row.buf[2], AUD__CELL, cJSON_IsNumber(e) ? e->valuedouble : NAN);
		rc = aud__rep_table_row(c, &t, row.cells, 0);
	}
	if (rc == 0)
		aud__rep_table_end(c, &t);
	return rc;
}

static int
draw_tests(struct aud__rctx *c, const cJSON *a)
{
	const cJSON *e;
	int rc = 0;

	if (!cJSON_IsObject(aud_json_get(a, "tests")))
		return 0;
	cJSON_ArrayForEach(e, aud_json_get(a, "tests")) {
		const char *test = aud_json_str(e, "test");
		double p = aud_json_num(e, "p_value");
		double st = aud_json_num(e, "statistic");
		double dof = aud_json_num(e, "dof");
		char pv[64], sv[64];

		aud__fmt_value(pv, sizeof(pv), p);
		aud__fmt_value(sv, sizeof(sv), st);
		rc = aud__rep_bullet(c, "%s test of independence between group and decision%s "
		    "(%s): statistic %s, %.0f degrees of freedom, p-value %s%s.",
		    test != NULL && strcmp(test, "chi2") == 0 ? "Chi-square" : test != NULL ? test : "A",
		    strcmp(e->string, "tpr") == 0 ? " among the positives" :
		    strcmp(e->string, "fpr") == 0 ? " among the negatives" : "",
		    e->string, sv, isnan(dof) ? 0 : dof, pv,
		    !isnan(p) && p < 0.05 ? " (the difference between groups is significant at 5%)" :
		    !isnan(p) ? " (not significant at 5%)" : "");
		if (rc < 0)
			break;
	}
	if (aud_json_get(a, "tests") != NULL)
		c->y -= 4;
	return rc;
}

static void
cell_rate(char *buf, size_t size, const cJSON *g, const char *key)
{
	double v = gmetric(g, key), lo, hi;
	char a[32], b[32], d[32];

	gci(g, key, &lo, &hi);
	aud__fmt_rate(a, sizeof(a), v);
	if (isnan(lo) || isnan(hi)) {
		snprintf(buf, size, "%s", a);
		return;
	}
	snprintf(b, sizeof(b), "%.2f", lo);
	snprintf(d, sizeof(d), "%.2f", hi);
	snprintf(buf, size, "%s\n%s\xE2\x80\x93%s", a, b, d);
}

static int
draw_group_table(struct aud__rctx *c, const cJSON *a, int *any_small)
{
	static const struct aud__col cols[] = {
		{ "Group", 0.17, AUD__LEFT }, { "n", 0.07, AUD__RIGHT },
		{ "Selection rate", 0.11, AUD__RIGHT }, { "TPR", 0.11, AUD__RIGHT },
		{ "FPR", 0.11, AUD__RIGHT }, { "FNR", 0.11, AUD__RIGHT },
		{ "PPV", 0.11, AUD__RIGHT }, { "FOR", 0.11, AUD__RIGHT },
		{ "Accuracy", 0.11, AUD__RIGHT },
	};
	static const char *const keys[] = { "selection_rate", "tpr", "fpr", "fnr", "ppv", "for",
		"accuracy" };
	const cJSON *g;
	struct aud__table t;
	size_t k;
	int rc;

	rc = aud__rep_table_begin(c, &t, cols, 9, AUD__SMALL);
	cJSON_ArrayForEach(g, aud_json_get(a, "groups")) {
		struct aud__row row;
		int small = aud_json_bool(g, "small");

		if (rc < 0)
			break;
		*any_small |= small;
		aud__row_init(&row);
		aud__row_set(&row, 0, "%s%s%s", gname(g), small ? " *" : "",
		    aud_json_str(a, "reference") && strcmp(aud_json_str(a, "reference"), gname(g)) == 0 ?
		    " (reference)" : "");
		aud__row_set(&row, 1, "%.0f", aud_json_num(g, "count"));
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			cell_rate(row.buf[2 + k], AUD__CELL, g, keys[k]);
		rc = aud__rep_table_row(c, &t, row.cells, 0);
	}
	if (rc == 0)
		aud__rep_table_end(c, &t);
	return rc;
}

/* Labels of the charts: the group's name with " *" when small. */
static int
make_bars(struct aud__bar **out, char (**labels)[160], const cJSON *a, size_t *n,
    struct aud_error *err)
{
	const cJSON *g;
	size_t i = 0, total = (size_t)cJSON_GetArraySize(aud_json_get(a, "groups"));

	*n = total > MAX_CHART_GROUPS ? MAX_CHART_GROUPS : total;
	*out = calloc(*n ? *n : 1, sizeof(**out));
	*labels = calloc(*n ? *n : 1, sizeof(**labels));
	if (*out == NULL || *labels == NULL) {
		free(*out);
		free(*labels);
		*out = NULL;
		*labels = NULL;
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	cJSON_ArrayForEach(g, aud_json_get(a, "groups")) {
		if (i >= *n)
			break;
		snprintf((*labels)[i], sizeof((*labels)[i]), "%s%s", gname(g),
		    aud_json_bool(g, "small") ? " *" : "");
		(*out)[i].label = (*labels)[i];
		(*out)[i].hatched = aud_json_bool(g, "small");
		i++;
	}
	return 0;
}

static void
fill_bars(struct aud__bar *bars, size_t n, const cJSON *a, const char *key)
{
	const cJSON *g;
	size_t i = 0;

	cJSON_ArrayForEach(g, aud_json_get(a, "groups")) {
		if (i >= n)
			break;
		bars[i].value = gmetric(g, key);
		gci(g, key, &bars[i].lo, &bars[i].hi);
		i++;
	}
}

static int
draw_rate_charts(struct aud__rctx *c, const cJSON *a, struct aud__bar *bars, size_t n)
{
	static const char *const keys[] = { "selection_rate", "tpr", "fpr", "fnr" };
	static const char *const titles[] = {
		"Selection rate \xC2\xB7 independence",
		"TPR \xC2\xB7 equal opportunity",
		"FPR \xC2\xB7 separation / equalized odds",
		"FNR \xC2\xB7 separation / equalized odds",
	};
	double gap = 18;
	double cw = (aud__rep_width(c) - gap) / 2;
	double ch = aud__chart_hbars_height(n) + 8;
	char skipped[256] = "";
	size_t k, col = 0;
	int rc = 0;

	for (k = 0; k < 4 && rc == 0; k++) {
		struct aud__hbar_opts o = AUD__HBAR_OPTS_INIT;
		double x = c->left + (double)col * (cw + gap);

		fill_bars(bars, n, a, keys[k]);
		if (aud__chart_hbars_empty(bars, n)) {
			snprintf(skipped + strlen(skipped), sizeof(skipped) - strlen(skipped), "%s%s",
			    skipped[0] ? ", " : "", rate_word(keys[k])->abbr);
			continue;
		}
		if (col == 0) {
			rc = aud__rep_need(c, ch);
			if (rc < 0)
				break;
		}
		o.title = titles[k];
		o.axis_lo = 0;
		o.axis_hi = 1;
		o.x_label = "rate, with 95% interval";
		rc = aud__chart_hbars(c->pdf, x, c->y, cw, bars, n, &o, c->err);
		if (col == 1)
			c->y -= ch;
		col ^= 1;
	}
	if (rc == 0 && col == 1)
		c->y -= ch;
	if (rc == 0 && skipped[0])
		rc = aud__rep_para(c, "Not charted, every group's rate being zero or undefined: %s.",
		    skipped);
	return rc;
}

/* A rate's ratio bars: each group's ratio to the reference and its interval
 * (the bootstrap's ratio_ci). */
static void
fill_ratio_bars(struct aud__bar *bars, size_t n, const cJSON *a, const char *key)
{
	const cJSON *g;
	size_t i = 0;

	cJSON_ArrayForEach(g, aud_json_get(a, "groups")) {
		const cJSON *d = aud_json_get(aud_json_get(g, "disparity"), key);

		if (i >= n)
			break;
		bars[i].value = aud_json_num(d, "ratio");
		aud_json_ci(aud_json_get(d, "ratio_ci"), &bars[i].lo, &bars[i].hi);
		i++;
	}
}

#define BAND_LO 0.8
#define BAND_HI 1.25

/* The rates of the disparity charts and of the grid, the decision's first. */
static size_t
disparity_keys(const char **out, const cJSON *res, int decision)
{
	const char *lead[4], *all[8];
	size_t n = 0, na = 0, i, j;

	lead_keys(lead, decision, res);
	all[na++] = parity_key(res);
	all[na++] = "tpr";
	all[na++] = "fpr";
	all[na++] = "fnr";
	all[na++] = "ppv";
	all[na++] = "fdr";
	all[na++] = "for";
	for (i = 0; lead[i] != NULL; i++)
		out[n++] = lead[i];
	for (i = 0; i < na; i++) {
		for (j = 0; j < n && strcmp(out[j], all[i]) != 0; j++)
			;
		if (j == n)
			out[n++] = all[i];
	}
	return n;
}

static int
draw_disparity_charts(struct aud__rctx *c, const cJSON *res, const cJSON *a,
    struct aud__bar *bars, size_t n)
{
	const char *keys[8];
	const char *ref = aud__or(aud_json_str(a, "reference"), "?");
	size_t nk = disparity_keys(keys, res, aud__rep_decision(c->r)), k, col = 0;
	double gap = 18;
	double cw = (aud__rep_width(c) - gap) / 2;
	double ch = aud__chart_hbars_height(n) + 8;
	char skipped[256] = "";
	int rc;

	rc = aud__rep_heading(c, 2, "Disparity per rate: each group's ratio to the reference");
	if (rc == 0)
		rc = aud__rep_para(c, "Bars grow from parity (1) to the left (lower than the "
		    "reference '%s') or to the right (higher); vermillion: outside the band "
		    "0.8\xE2\x80\x93" "1.25, bluish green: within; hatched: a small group; whiskers: "
		    "the ratio's bootstrap interval when audit-fair computed one.", ref);
	for (k = 0; k < nk && rc == 0; k++) {
		struct aud__hbar_opts o = AUD__HBAR_OPTS_INIT;
		char title[256];
		double x = c->left + (double)col * (cw + gap);

		fill_ratio_bars(bars, n, a, keys[k]);
		if (aud__chart_hbars_empty(bars, n)) {
			snprintf(skipped + strlen(skipped), sizeof(skipped) - strlen(skipped), "%s%s",
			    skipped[0] ? ", " : "", rate_word(keys[k])->abbr);
			continue;
		}
		if (col == 0) {
			rc = aud__rep_need(c, ch);
			if (rc < 0)
				break;
		}
		snprintf(title, sizeof(title), "%s ratio to '%s'", rate_word(keys[k])->abbr, ref);
		o.title = title;
		o.band_lo = BAND_LO;
		o.band_hi = BAND_HI;
		o.band_colour = 1;
		o.band_label = "band 0.8\xE2\x80\x93" "1.25";
		o.ref = 1.0;
		o.origin = 1.0;
		o.decimals = 2;
		o.x_label = "ratio to the reference (line: parity)";
		rc = aud__chart_hbars(c->pdf, x, c->y, cw, bars, n, &o, c->err);
		if (col == 1)
			c->y -= ch;
		col ^= 1;
	}
	if (rc == 0 && col == 1)
		c->y -= ch;
	if (rc == 0 && skipped[0])
		rc = aud__rep_para(c, "Not charted, every group's ratio being undefined or zero: %s.",
		    skipped);
	return rc;
}

/* The Aequitas-style grid: groups by rates, each cell the ratio. */
static int
draw_grid(struct aud__rctx *c, const cJSON *res, const cJSON *a, size_t n)
{
	const char *keys[8], *cols[8];
	const char **rows = calloc(n ? n : 1, sizeof(*rows));
	int *small = calloc(n ? n : 1, sizeof(*small));
	double *ratio = calloc((n ? n : 1) * 8, sizeof(*ratio));
	size_t nk = disparity_keys(keys, res, aud__rep_decision(c->r)), i = 0, k;
	struct aud__grid gr;
	const cJSON *g;
	int rc;

	if (rows == NULL || small == NULL || ratio == NULL) {
		free(rows);
		free(small);
		free(ratio);
		return AUD_ERROR(c->err, AUD_ENOMEM, "out of memory");
	}
	for (k = 0; k < nk; k++)
		cols[k] = rate_word(keys[k])->abbr;
	cJSON_ArrayForEach(g, aud_json_get(a, "groups")) {
		if (i >= n)
			break;
		rows[i] = gname(g);
		small[i] = aud_json_bool(g, "small");
		for (k = 0; k < nk; k++)
			ratio[i * nk + k] = gratio(g, keys[k]);
		i++;
	}
	memset(&gr, 0, sizeof(gr));
	gr.title = "Disparity grid: each group's ratio to the reference, per rate";
	gr.note = "Cell: the ratio; bluish green within 0.8\xE2\x80\x93" "1.25, vermillion "
	    "(bold) outside, \xE2\x80\x94 undefined; hatched: a small group.";
	gr.rows = rows;
	gr.small = small;
	gr.nrows = n;
	gr.cols = cols;
	gr.ncols = nk;
	gr.ratio = ratio;
	gr.band_lo = BAND_LO;
	gr.band_hi = BAND_HI;
	rc = aud__rep_need(c, aud__chart_grid_height(n) + 8);
	if (rc == 0)
		rc = aud__chart_grid(c->pdf, c->left, c->y, aud__rep_width(c), &gr, c->err);
	c->y -= aud__chart_grid_height(n) + 8;
	free(rows);
	free(small);
	free(ratio);
	return rc;
}

/* Each group's confusion matrix as counts, its accuracy and the majority-class
 * baseline (the accuracy of always predicting the group's majority class). */
static int
draw_confusion_table(struct aud__rctx *c, const cJSON *a)
{
	static const struct aud__col cols[] = {
		{ "Group", 0.25, AUD__LEFT }, { "n", 0.09, AUD__RIGHT },
		{ "TP", 0.09, AUD__RIGHT }, { "FP", 0.09, AUD__RIGHT },
		{ "FN", 0.09, AUD__RIGHT }, { "TN", 0.09, AUD__RIGHT },
		{ "Accuracy", 0.14, AUD__RIGHT }, { "Majority-class baseline", 0.16, AUD__RIGHT },
	};
	const cJSON *g;
	struct aud__table t;
	int rc;

	if (aud_json_get(cJSON_GetArrayItem(aud_json_get(a, "groups"), 0), "confusion") == NULL)
		return 0;
	rc = aud__rep_heading(c, 2, "Confusion matrix per group, and the majority-class baseline");
	if (rc == 0)
		rc = aud__rep_table_begin(c, &t, cols, 8, AUD__SMALL);
	cJSON_ArrayForEach(g, aud_json_get(a, "groups")) {
		const cJSON *m = aud_json_get(g, "confusion");
		struct aud__row row;

		if (rc < 0)
			break;
		aud__row_init(&row);
		aud__row_set(&row, 0, "%s%s", gname(g), aud_json_bool(g, "small") ? " *" : "");
		aud__row_set(&row, 1, "%.0f", aud_json_num(g, "count"));
		aud__row_set(&row, 2, "%.0f", aud_json_num(m, "tp"));
		aud__row_set(&row, 3, "%.0f", aud_json_num(m, "fp"));
		aud__row_set(&row, 4, "%.0f", aud_json_num(m, "fn"));
		aud__row_set(&row, 5, "%.0f", aud_json_num(m, "tn"));
		aud__fmt_rate(row.buf[6], AUD__CELL, gmetric(g, "accuracy"));
		aud__fmt_rate(row.buf[7], AUD__CELL, gmetric(g, "baseline_accuracy"));
		rc = aud__rep_table_row(c, &t, row.cells, 0);
	}
	if (rc == 0)
		aud__rep_table_end(c, &t);
	if (rc == 0)
		rc = aud__rep_para(c, "TP, FP, FN, TN: true and false positives and negatives "
		    "(rows: the label, columns: the prediction). A model whose accuracy is not "
		    "above the baseline does no better than always predicting the majority class.");
	return rc;
}

#define MAX_RELIABILITY 12

/*
 * With scores, a reliability diagram per group: the mean score against the
 * observed positive rate of each calibration bin the document holds, with
 * the diagonal (perfect calibration); three small charts a row.
 */
static int
draw_reliability(struct aud__rctx *c, const cJSON *a)
{
	const cJSON *g;
	double gap = 12, cw = (aud__rep_width(c) - 2 * gap) / 3, plot_h = 80;
	static const double diag[2] = { 0, 1 };
	size_t col = 0, shown = 0, total = 0;
	double ch = 0;
	int rc = 0;

	cJSON_ArrayForEach(g, aud_json_get(a, "groups"))
		if (cJSON_IsArray(aud_json_get(g, "calibration")))
			total++;
	if (total == 0)
		return 0;
	rc = aud__rep_heading(c, 2, "Reliability per group (calibration)");
	if (rc == 0)
		rc = aud__rep_para(c, "Each point is a bin of the score: its mean score (x) against "
		    "the share of positive labels among its rows (y). On the diagonal, a score "
		    "means what it says; below it, the model overstates the risk for that group. "
		    "ECE is the rows-weighted mean distance from the diagonal.%s",
		    total > MAX_RELIABILITY ? " The first groups only are drawn." : "");
	cJSON_ArrayForEach(g, aud_json_get(a, "groups")) {
		const cJSON *cal = aud_json_get(g, "calibration"), *b;
		double xs[32], ys[32];
		struct aud__series s[2];
		struct aud__line_opts o = AUD__LINE_OPTS_INIT;
		char title[200], ece[32];
		size_t m = 0;

		if (rc < 0 || shown >= MAX_RELIABILITY)
			break;
		if (!cJSON_IsArray(cal))
			continue;
		cJSON_ArrayForEach(b, cal) {
			double x = aud_json_num(b, "mean_score"), y = aud_json_num(b, "observed_rate");

			if (m < 32 && !isnan(x) && !isnan(y)) {
				xs[m] = x;
				ys[m] = y;
				m++;
			}
		}
		memset(s, 0, sizeof(s));
		s[0].name = gname(g);
		s[0].x = xs;
		s[0].y = ys;
		s[0].n = m;
		s[1].name = "diagonal";
		s[1].x = diag;
		s[1].y = diag;
		s[1].n = 2;
		aud__fmt_value(ece, sizeof(ece), gmetric(g, "ece"));
		snprintf(title, sizeof(title), "%.120s%s (ECE %s)", gname(g),
		    aud_json_bool(g, "small") ? " *" : "", ece);
		o.title = title;
		o.x_label = "mean score of the bin";
		o.y_label = "observed rate";
		o.y_lo = 0;
		o.y_hi = 1;
		ch = AUD__CHART_TITLE + AUD__LINE_YLABEL + plot_h + AUD__CHART_AXIS +
		    aud__chart_legend_height(c->pdf, s, 2, cw) + 10;
		if (col == 0)
			rc = aud__rep_need(c, ch);
		if (rc == 0)
			rc = aud__chart_lines(c->pdf, c->left + (double)col * (cw + gap), c->y, cw,
			    plot_h, s, 2, &o, c->err);
		if (++col == 3) {
			c->y -= ch;
			col = 0;
		}
		shown++;
	}
	if (rc == 0 && col > 0)
		c->y -= ch;
	return rc;
}

/* The findings of an attribute in plain words, the decision's rates first. */
static int
draw_plain_words(struct aud__rctx *c, const cJSON *res, const cJSON *a)
{
	const char *keys[4];
	char buf[1024];
	size_t k;
	int rc = 0, any = 0;

	lead_keys(keys, aud__rep_decision(c->r), res);
	for (k = 0; keys[k] != NULL && rc == 0; k++) {
		plain_sentence(buf, sizeof(buf), res, a, keys[k]);
		if (buf[0] == '\0')
			continue;
		if (!any)
			rc = aud__rep_heading(c, 2, "In plain words");
		any = 1;
		if (rc == 0)
			rc = aud__rep_bullet(c, "%s", buf);
	}
	return rc;
}

/*
 * The bins of an attribute for people: {"age":[26,45]} with "closed" {"age":"left"}
 * becomes "age < 26, 26 <= age < 45, age >= 45" ("right": "age <= 26, 26 < age <= 45,
 * age > 45"). Anything of another shape is written as its JSON text.
 */
static void
bins_text(char *buf, size_t size, const cJSON *bins, const cJSON *closed)
{
	const cJSON *col;
	size_t len = 0;

	buf[0] = '\0';
	cJSON_ArrayForEach(col, bins) {
		const char *side = aud_json_str(closed, col->string);
		int right = side != NULL && strcmp(side, "right") == 0;
		int i, n = cJSON_GetArraySize(col);
		char e[2][32];

		if (!cJSON_IsArray(col) || n < 1 || col->string == NULL) {
			aud_json_text(buf, size, bins);
			return;
		}
		for (i = 0; i <= n && len < size; i++) {
			const cJSON *lo = cJSON_GetArrayItem(col, i - 1), *hi = cJSON_GetArrayItem(col, i);
			int w;

			if ((lo != NULL && !cJSON_IsNumber(lo)) || (hi != NULL && !cJSON_IsNumber(hi))) {
				aud_json_text(buf, size, bins);
				return;
			}
			if (lo != NULL)
				snprintf(e[0], sizeof(e[0]), "%.15g", lo->valuedouble);
			if (hi != NULL)
				snprintf(e[1], sizeof(e[1]), "%.15g", hi->valuedouble);
			if (lo == NULL)
				w = snprintf(buf + len, size - len, "%s%s %s %s", len > 0 ? ", " : "",
				    col->string, right ? "<=" : "<", e[1]);
			else if (hi == NULL)
				w = snprintf(buf + len, size - len, ", %s %s %s", col->string,
				    right ? ">" : ">=", e[0]);
			else
				w = snprintf(buf + len, size - len, ", %s %s %s %s %s", e[0],
				    right ? "<" : "<=", col->string, right ? "<=" : "<", e[1]);
			if (w < 0)
				return;
			len += (size_t)w;
		}
		if (len >= size) {
			buf[size - 1] = '\0';
			return;
		}
	}
}

static int
draw_attribute(struct aud__rctx *c, const cJSON *doc, const cJSON *a)
{
	const cJSON *res = aud_json_get(doc, "results");
	const char *name = aud_json_str(a, "attribute");
	const char *ref = aud_json_str(a, "reference");
	const cJSON *edges = aud_json_get(a, "bins") ? aud_json_get(a, "bins") : aud_json_get(a, "edges");
	const cJSON *g0 = cJSON_GetArrayItem(aud_json_get(a, "groups"), 0);
	struct aud__bar *bars = NULL;
	char (*labels)[160] = NULL;
	char head[512];
	double min_size = aud_json_num(aud_json_get(doc, "params"), "min_group_size");
	size_t n = 0, total;
	int inter = cJSON_GetArraySize(aud_json_get(a, "columns")) > 1 || aud_json_get(g0, "columns") != NULL;
	int any_small = 0, rc;

	snprintf(head, sizeof(head), "%s'%s'", inter ? "Intersectional groups " : "Attribute ",
	    name != NULL ? name : "?");
	rc = aud__rep_heading(c, 1, head);
	if (rc < 0)
		return rc;
	if (ref != NULL)
		rc = aud__rep_para(c, "Reference group (for disparities): '%s'.%s", ref,
		    inter ? " Each group is a combination of the values of the attributes "
		    "named, so small cells are common: read their intervals." : "");
	if (rc == 0 && edges != NULL) {
		char eb[512];

		bins_text(eb, sizeof(eb), edges, aud_json_get(a, "closed"));
		rc = aud__rep_para(c, "Bins (as given with --bins; the verdict can hinge "
		    "on them): %s.", eb);
	}
	if (rc == 0)
		rc = draw_plain_words(c, res, a);
	if (rc == 0)
		rc = draw_summary_table(c, a);
	if (rc == 0)
		rc = draw_tests(c, a);
	if (rc == 0)
		rc = aud__rep_heading(c, 2, "Groups (rate, and its 95% interval below)");
	if (rc == 0)
		rc = draw_group_table(c, a, &any_small);
	if (rc == 0 && any_small) {
		char ms[64] = "--min-group-size";

		if (!isnan(min_size))
			snprintf(ms, sizeof(ms), "%.0f", min_size);
		rc = aud__rep_para(c, "* small group: fewer rows than the minimum group size (%s); "
		    "kept, but its rates are uncertain (wide intervals). Drawn hatched.", ms);
	}
	if (rc < 0)
		return rc;
	total = (size_t)cJSON_GetArraySize(aud_json_get(a, "groups"));
	if (total == 0)
		return 0;
	rc = make_bars(&bars, &labels, a, &n, c->err);
	if (rc < 0)
		return rc;
	if (total > n)
		rc = aud__rep_para(c, "The charts show the %zu largest of the %zu groups.", n, total);
	if (rc == 0)
		rc = draw_rate_charts(c, a, bars, n);
	if (rc == 0)
		rc = draw_disparity_charts(c, res, a, bars, n);
	if (rc == 0)
		rc = draw_grid(c, res, a, n);
	if (rc == 0)
		rc = draw_confusion_table(c, a);
	if (rc == 0)
		rc = draw_reliability(c, a);
	free(bars);
	free(labels);
	return rc;
}

/*
 * The key finding of an attribute: its parity measures and the group with the
 * fewest favorable outcomes. That is the lowest selection rate when the
 * favorable value is the positive one; with another favorable value (COMPAS:
 * a high-risk prediction is unfavorable) the lowest selection rate is the
 * group treated best, so the group with the lowest favorable rate is named.
 */
int
aud__report_fairness_finding(struct aud__rctx *c, const cJSON *res, const cJSON *a)
{
	const cJSON *s = aud_json_get(a, "summary"), *g, *low = NULL;
	const char *pos = aud_json_str(res, "positive"), *fav = aud_json_str(res, "favorable");
	int by_fav = pos != NULL && fav != NULL && strcmp(pos, fav) != 0;
	const char *key = by_fav ? "favorable_rate" : "selection_rate";
	char v1[32], v2[32], v3[32], what[160], small[160] = "";
	double lr = INFINITY;

	cJSON_ArrayForEach(g, aud_json_get(a, "groups")) {
		double sr = aud_json_num(aud_json_get(g, "metrics"), key);

		if (!isnan(sr) && sr < lr) {
			lr = sr;
			low = g;
		}
	}
	aud__fmt_value(v1, sizeof(v1), aud_json_num(s, "demographic_parity_ratio"));
	aud__fmt_value(v2, sizeof(v2), aud_json_num(s, "equalized_odds_difference"));
	aud__fmt_rate(v3, sizeof(v3), lr);
	if (low != NULL && aud_json_bool(low, "small")) {
		double lo, hi;
		char b1[32], b2[32];

		aud_json_ci(aud_json_get(aud_json_get(low, "ci"), key), &lo, &hi);
		aud__fmt_value(b1, sizeof(b1), lo);
		aud__fmt_value(b2, sizeof(b2), hi);
		if (isnan(lo))
			snprintf(small, sizeof(small), " (n = %.0f, a small group)",
			    aud_json_num(low, "count"));
		else
			snprintf(small, sizeof(small), " (n = %.0f, a small group; interval [%s, %s])",
			    aud_json_num(low, "count"), b1, b2);
	}
	if (by_fav)
		snprintf(what, sizeof(what), "; fewest favorable outcomes (prediction '%.40s'): '",
		    fav);
	else
		snprintf(what, sizeof(what), "; lowest selection rate: '");
	{
		const char *keys[4];
		char plain[1024];
		int rc = aud__rep_bullet(c, "'%s': demographic parity ratio %s, equalized odds "
		    "difference %s%s%s%s%s%s.", aud__or(aud_json_str(a, "attribute"), "?"), v1, v2,
		    low != NULL ? what : "", low != NULL ? aud__or(aud_json_str(low, "group"), "?") : "",
		    low == NULL ? "" : by_fav ? "' at favorable rate " : "' at ",
		    low != NULL ? v3 : "", small);

		lead_keys(keys, aud__rep_decision(c->r), res);
		plain_sentence(plain, sizeof(plain), res, a, keys[0]);
		if (rc == 0 && plain[0] != '\0')
			rc = aud__rep_bullet(c, "'%s', in plain words: %s",
			    aud__or(aud_json_str(a, "attribute"), "?"), plain);
		return rc;
	}
}

/* Which metric fits which decision (the fairness tree of Aequitas). */
static int
draw_advice(struct aud__rctx *c)
{
	int d = aud__rep_decision(c->r);
	int rc = aud__rep_heading(c, 2, "Which metric fits the decision");

	if (rc == 0)
		rc = aud__rep_para(c, "When the decision is punitive (a false positive harms "
		    "someone: detention, a fraud flag), compare false positive rates (FPR) and false "
		    "discovery rates (FDR) between groups. When it is assistive (a false negative "
		    "withholds a benefit: a loan, care), compare false negative rates (FNR) and "
		    "false omission rates (FOR). %s",
		    d == AUD_DECISION_PUNITIVE ? "This model's decision is punitive: the "
		    "findings below lead with FPR and FDR." :
		    d == AUD_DECISION_ASSISTIVE ? "This model's decision is assistive: the "
		    "findings below lead with FNR and FOR." :
		    "No decision type was given (audit-report --decision punitive|assistive, or "
		    "the model card's intended_use.decision): the findings lead with the "
		    "selection rate, then FPR and FNR.");
	return rc;
}

int
aud__report_fairness(struct aud__rctx *c)
{
	const struct aud__rdoc *docs[64];
	size_t nd = aud__rep_docs(c->r, AUD_REPORT_FAIRNESS, docs, 64);
	size_t i;
	int rc;

	if (nd == 0)
		return 0;
	if (nd > 64)
		nd = 64;
	rc = aud__rep_heading(c, 0, "Fairness");
	if (rc < 0)
		return rc;
	rc = aud__rep_para(c, "Group fairness as the course names it, beside the libraries' "
	    "names: independence / demographic parity compares selection rates; separation / "
	    "equalized odds compares error rates (FPR and FNR; equal opportunity: TPR); "
	    "sufficiency / predictive parity compares PPV and FOR. The four-fifths rule flags "
	    "a group whose favorable rate is below 0.8 of the comparison group's. Intervals "
	    "are those audit-fair reports (Wilson score or bootstrap).");
	if (rc == 0)
		rc = draw_advice(c);
	for (i = 0; rc == 0 && i < nd; i++) {
		const cJSON *res = aud_json_get(docs[i]->json, "results");
		const cJSON *p = aud_json_get(docs[i]->json, "params");
		const cJSON *ff = aud_json_get(p, "four_fifths");
		const cJSON *a;
		char b[256];

		if (ff == NULL)
			ff = aud_json_get(res, "four_fifths");
		if (nd > 1)
			rc = aud__rep_para(c, "From %s:", docs[i]->name);
		if (rc == 0 && ff != NULL) {
			aud_json_text(b, sizeof(b), ff);
			rc = aud__rep_para(c, "Four-fifths convention: %s (%s).", b,
			    strcmp(b, "band") == 0 ? "Aequitas: each group's ratio to the reference "
			    "within [0.8, 1.25]" : "EEOC: every group's favorable rate at least 0.8 of "
			    "the highest group's");
		}
		cJSON_ArrayForEach(a, aud_json_get(res, "attributes")) {
			if (rc < 0)
				break;
			rc = draw_attribute(c, docs[i]->json, a);
		}
	}
	return rc;
}
