/* fairness_format.c — audit-fair results for people: table, md, csv. */
#include <audit/fairness.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/bins.h>
#include <audit/csv.h>
#include <audit/json.h>
#include <audit/metrics.h>
#include <audit/text.h>

#include "fairness_impl.h"

#define CELL 64
#if CELL < AUD_NUMBUF
#error "a cell must hold a formatted number"
#endif
#define MAXCOLS 16

/*
 * A table under construction: the header's columns are collected first
 * (how many depends on the results), then the aud_table is made.
 */
struct tab {
	struct aud_table *t;
	size_t ncols, c;            /* columns named; the next cell of the row */
	char head[MAXCOLS][CELL];
	int right[MAXCOLS];         /* right-align (numbers) */
};

static void
tab_init(struct tab *t)
{
	memset(t, 0, sizeof(*t));
}

/* Name the next column. */
static void
tab_head(struct tab *t, const char *head, int right)
{
	snprintf(t->head[t->ncols], CELL, "%s", head);
	t->right[t->ncols++] = right;
}

/* Make the table once the header is complete. @return 0 or -1 */
static int
tab_make(struct tab *t)
{
	size_t c;

	if (aud_table_new(&t->t, t->ncols, NULL) < 0)
		return -1;
	for (c = 0; c < t->ncols; c++)
		aud_table_column(t->t, c, t->head[c],
		    t->right[c] ? AUD_ALIGN_RIGHT : AUD_ALIGN_LEFT);
	return 0;
}

static void
tab_row(struct tab *t)
{
	aud_table_add_row(t->t);
	t->c = 0;
}

/* Set the row's next cell. */
static void
tab_put(struct tab *t, const char *s)
{
	aud_table_set(t->t, t->c++, "%s", s);
}

/* Print (aligned under a dashed rule, indented; or Markdown) and free. @return 0 or -1 */
static int
tab_print(struct tab *t, FILE *f, int md)
{
	struct aud_table_options o = AUD_TABLE_OPTIONS_INIT;
	int rc;

	o.indent = "  ";
	o.rule = 1;
	rc = aud_table_render(t->t, f, md ? AUD_FORMAT_MD : AUD_FORMAT_TABLE, &o, NULL);
	aud_table_free(t->t);
	t->t = NULL;
	return rc < 0 ? -1 : 0;
}

/* ---- JSON access ---- */

/* A string member, "" when absent. */
static const char *
str(const cJSON *o, const char *key)
{
	const char *s = aud_json_str(o, key);

	return s != NULL ? s : "";
}

static void
fmt3(char buf[CELL], double x)
{
	aud_format_fixed(buf, x, 3, "n/a");
}

static void
fmt_ci(char *buf, const cJSON *pair)
{
	double lo = NAN, hi = NAN;

	if (cJSON_GetArraySize(pair) == 2) {
		const cJSON *a = cJSON_GetArrayItem(pair, 0), *b = cJSON_GetArrayItem(pair, 1);

		lo = cJSON_IsNumber(a) ? a->valuedouble : NAN;
		hi = cJSON_IsNumber(b) ? b->valuedouble : NAN;
	}
	if (isnan(lo) || isnan(hi))
		snprintf(buf, CELL, "n/a");
	else
		snprintf(buf, CELL, "[%.3f, %.3f]", lo, hi);
}

static void
trunc_name(char *buf, const char *s)
{
	snprintf(buf, CELL, "%s", s);
	if (strlen(s) >= CELL)
		memcpy(buf + CELL - 4, "...", 4);
}

/* ---- table and md ---- */

/* Columns of the per-group tables (metrics shown to people), labelled by the vocabulary. */
static const char *const rate_keys[] = {
	"base_rate", "selection_rate", "favorable_rate", "tpr", "fpr", "fnr", "ppv", "for",
	"accuracy", "auc", "brier",
};
#define NRATECOLS (sizeof(rate_keys) / sizeof(rate_keys[0]))

static const char *
rate_label(size_t i)
{
	const struct aud_metric_info *m = aud_metric_info_find(rate_keys[i]);

	return m != NULL && m->label != NULL ? m->label : rate_keys[i];
}

static int
show_col(const cJSON *res, size_t i)
{
	const cJSON *ov = aud_json_get(res, "overall");

	if (strcmp(rate_keys[i], "favorable_rate") == 0)
		return strcmp(str(res, "positive"), str(res, "favorable")) != 0;
	return aud_json_get(ov, rate_keys[i]) != NULL;
}

static void
heading(FILE *f, int md, int level, const char *text)
{
	if (md)
		fprintf(f, "\n%s %s\n\n", level == 1 ? "#" : level == 2 ? "##" : "###", text);
	else if (level <= 2) {
		size_t i, n = strlen(text);

		fprintf(f, "\n%s\n", text);
		for (i = 0; i < n; i++)
			fputc(level == 1 ? '=' : '-', f);
		fputc('\n', f);
	} else
		fprintf(f, "\n  %s\n", text);
}

/* Group metrics (kind 0), intervals (1), disparity ratios (2). */
static int
group_table(FILE *f, int md, const cJSON *res, const cJSON *attr, int kind)
{
	struct tab t;
	const cJSON *g;
	size_t i;
	int small_any = 0;
	char cell[CELL];

	tab_init(&t);
	tab_head(&t, "group", 0);
	tab_head(&t, "n", 1);
	for (i = 0; i < NRATECOLS; i++) {
		if (!show_col(res, i) || (kind == 1 && (strcmp(rate_keys[i], "brier") == 0)))
			continue;
		if (kind == 2 && i >= 9) /* disparities are for rates only */
			continue;
		tab_head(&t, rate_label(i), 1);
	}
	if (tab_make(&t) < 0)
		return -1;
	cJSON_ArrayForEach(g, aud_json_get(attr, "groups")) {
		const cJSON *m = aud_json_get(g, kind == 1 ? "ci" :
		    kind == 2 ? "disparity" : "metrics");
		int small = cJSON_IsTrue(aud_json_get(g, "small"));

		tab_row(&t);
		trunc_name(cell, str(g, "group"));
		if (small) {
			size_t l = strlen(cell);

			if (l + 2 < CELL)
				strcat(cell, " *");
			small_any = 1;
		}
		tab_put(&t, cell);
		snprintf(cell, CELL, "%.0f", aud_json_num(g, "count"));
		tab_put(&t, cell);
		for (i = 0; i < NRATECOLS; i++) {
			if (!show_col(res, i) || (kind == 1 && strcmp(rate_keys[i], "brier") == 0))
				continue;
			if (kind == 2 && i >= 9)
				continue;
			if (kind == 0)
				fmt3(cell, aud_json_num(m, rate_keys[i]));
			else if (kind == 1)
				fmt_ci(cell, aud_json_get(m, rate_keys[i]));
			else
				fmt3(cell, aud_json_num(aud_json_get(m, rate_keys[i]),
				    "ratio"));
			tab_put(&t, cell);
		}
	}
	if (tab_print(&t, f, md) < 0)
		return -1;
	if (small_any)
		fprintf(f, "%s fewer rows than --min-group-size: uncertain\n",
		    md ? "\n\\*" : "  *");
	return 0;
}

/* A count or a sum of weights: integers as integers, else 4 significant digits. */
static void
fmt_count(char buf[CELL], double x)
{
	aud_format_sig(buf, x, 4, 1, "n/a");
}

/*
 * Confusion counts of the groups of attr (NULL: overall): TP, FP, FN, TN
 * (sums of weights with --weights, then the row counts), accuracy and the
 * majority-class baseline accuracy.
 */
static int
confusion_table(FILE *f, int md, const cJSON *res, const cJSON *attr)
{
	static const char *const key[4] = { "tp", "fp", "fn", "tn" };
	static const char *const head[4] = { "TP", "FP", "FN", "TN" };
	const cJSON *ov = aud_json_get(res, "overall"), *g;
	int weighted = aud_json_get(ov, "confusion_rows") != NULL, k;
	struct tab t;
	char cell[CELL];

	tab_init(&t);
	if (attr != NULL)
		tab_head(&t, "group", 0);
	tab_head(&t, "n", 1);
	for (k = 0; k < 4; k++) {
		snprintf(cell, CELL, "%s%s", head[k], weighted ? " (weight)" : "");
		tab_head(&t, cell, 1);
	}
	for (k = 0; weighted && k < 4; k++) {
		snprintf(cell, CELL, "%s rows", head[k]);
		tab_head(&t, cell, 1);
	}
	tab_head(&t, "accuracy", 1);
	tab_head(&t, "baseline acc.", 1);
	if (tab_make(&t) < 0)
		return -1;
	for (g = attr == NULL ? ov : aud_json_get(attr, "groups") != NULL ?
	    aud_json_get(attr, "groups")->child : NULL; g != NULL;
	    g = attr != NULL ? g->next : NULL) {
		const cJSON *m = attr != NULL ? aud_json_get(g, "metrics") : g;

		tab_row(&t);
		if (attr != NULL) {
			trunc_name(cell, str(g, "group"));
			tab_put(&t, cell);
		}
		snprintf(cell, CELL, "%.0f", aud_json_num(g, "count"));
		tab_put(&t, cell);
		for (k = 0; k < 4; k++) {
			fmt_count(cell, aud_json_num(aud_json_get(g, "confusion"), key[k]));
			tab_put(&t, cell);
		}
		for (k = 0; weighted && k < 4; k++) {
			fmt_count(cell, aud_json_num(aud_json_get(g, "confusion_rows"), key[k]));
			tab_put(&t, cell);
		}
		fmt3(cell, aud_json_num(m, "accuracy"));
		tab_put(&t, cell);
		fmt3(cell, aud_json_num(m, "baseline_accuracy"));
		tab_put(&t, cell);
	}
	if (tab_print(&t, f, md) < 0)
		return -1;
	if (attr == NULL)
		fprintf(f, "%sbaseline acc.: the accuracy of always predicting the majority label "
		    "of all rows (here: %s'%s')\n", md ? "\n" : "  ",
		    strcmp(str(res, "majority_class"), "positive") == 0 ? "" : "not ",
		    str(res, "positive"));
	return 0;
}

static void
minmax_metric(const cJSON *attr, const char *key, double *mn, double *mx)
{
	const cJSON *g;

	*mn = INFINITY;
	*mx = -INFINITY;
	cJSON_ArrayForEach(g, aud_json_get(attr, "groups")) {
		double v = aud_json_num(aud_json_get(g, "metrics"), key);

		if (isnan(v))
			continue;
		if (v < *mn)
			*mn = v;
		if (v > *mx)
			*mx = v;
	}
}

/*
 * With a favorable value other than the positive one (COMPAS: --favorable 0,
 * a high-risk prediction is unfavorable), the group with the lowest selection
 * rate is the one treated best: name the groups by favorable rate instead.
 */
static void
favorable_lines(FILE *f, int md, const cJSON *res, const cJSON *attr)
{
	const cJSON *g, *lo = NULL, *hi = NULL;
	double mn = INFINITY, mx = -INFINITY;

	if (strcmp(str(res, "positive"), str(res, "favorable")) == 0)
		return;
	cJSON_ArrayForEach(g, aud_json_get(attr, "groups")) {
		double v = aud_json_num(aud_json_get(g, "metrics"), "favorable_rate");

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
	fprintf(f, "%s%sfavorable outcomes%s (prediction '%s'; the selection rate counts '%s'):\n",
	    md ? "- " : "  ", md ? "**" : "", md ? "**" : "", str(res, "favorable"),
	    str(res, "positive"));
	if (lo == NULL)
		fprintf(f, "%s    favorable rate undefined in every group", md ? "" : "  ");
	else
		fprintf(f, "%s    lowest favorable rate %.3f ('%s'), highest %.3f ('%s')",
		    md ? "" : "  ", mn, str(lo, "group"), mx, str(hi, "group"));
	fputs(md ? "  \n" : "\n", f);
}

static void
summary_lines(FILE *f, int md, const cJSON *attr)
{
	const cJSON *s = aud_json_get(attr, "summary"), *sci = aud_json_get(attr, "summary_ci");
	const char *bullet = md ? "- " : "  ";
	double mn, mx;
	int k;
	char ci[CELL];

	static const struct { const char *course, *what; int from, to; } blocks[] = {
		{ "independence / demographic parity", "selection rate", 0, 2 },
		{ "separation / equalized odds", "TPR and FPR, i.e. FNR and FPR parity", 2, 4 },
		{ "equal opportunity", "TPR (= 1 - FNR)", 4, 6 },
		{ "AIF360 (binary attribute; reference = privileged)", "favorable rate, TPR, FPR", 6, 9 },
	};

	for (k = 0; k < 4; k++) {
		int i, any = 0;

		for (i = blocks[k].from; i < blocks[k].to; i++)
			any |= aud_json_get(s, aud__summaries[i].key) != NULL;
		if (!any)
			continue;
		fprintf(f, "%s%s%s%s (%s):\n", bullet, md ? "**" : "", blocks[k].course,
		    md ? "**" : "", blocks[k].what);
		for (i = blocks[k].from; i < blocks[k].to; i++) {
			char v[CELL];

			fmt3(v, aud_json_num(s, aud__summaries[i].key));
			fprintf(f, "%s    %s%s%s = %s", md ? "" : "  ", md ? "`" : "",
			    aud__summaries[i].key, md ? "`" : "", v);
			if (sci != NULL) {
				fmt_ci(ci, aud_json_get(sci, aud__summaries[i].key));
				fprintf(f, " (%s)", ci);
			}
			fputs(md ? "  \n" : "\n", f);
		}
	}
	fprintf(f, "%s%ssufficiency / predictive parity%s (PPV and FOR across groups):\n",
	    bullet, md ? "**" : "", md ? "**" : "");
	minmax_metric(attr, "ppv", &mn, &mx);
	if (isinf(mn))
		fprintf(f, "%s    PPV undefined in every group", md ? "" : "  ");
	else
		fprintf(f, "%s    PPV from %.3f to %.3f (difference %.3f)", md ? "" : "  ", mn, mx,
		    mx - mn);
	fputs(md ? "  \n" : "\n", f);
	minmax_metric(attr, "for", &mn, &mx);
	if (isinf(mn))
		fprintf(f, "%s    FOR undefined in every group", md ? "" : "  ");
	else
		fprintf(f, "%s    FOR from %.3f to %.3f (difference %.3f)", md ? "" : "  ", mn, mx,
		    mx - mn);
	fputs(md ? "  \n" : "\n", f);
}

static void
tests_lines(FILE *f, int md, const cJSON *attr)
{
	const cJSON *tests = aud_json_get(attr, "tests"), *t;
	static const char *const what[] = {
		"selection rate independent of group",
		"TPR (among positive labels) independent of group",
		"FPR (among negative labels) independent of group",
	};
	int i = 0;

	fprintf(f, "%s%schi-square tests%s:\n", md ? "- " : "  ", md ? "**" : "", md ? "**" : "");
	cJSON_ArrayForEach(t, tests) {
		double st = aud_json_num(t, "statistic"), p = aud_json_num(t, "p_value");

		if (isnan(st))
			fprintf(f, "%s    %s: undefined", md ? "" : "  ", i < 3 ? what[i] : t->string);
		else
			fprintf(f, "%s    %s: X2 = %.3f, dof %.0f, p = %.3g", md ? "" : "  ",
			    i < 3 ? what[i] : t->string, st, aud_json_num(t, "dof"), p);
		fputs(md ? "  \n" : "\n", f);
		i++;
	}
}

static int
checks_section(FILE *f, int md, const cJSON *doc)
{
	static const char *const head[7] = { "status", "check", "attribute", "group", "value",
		"threshold", "note" };
	const cJSON *c;
	struct tab t;
	char cell[CELL];
	int k;

	if (cJSON_GetArraySize(aud_json_get(doc, "checks")) == 0)
		return 0;
	heading(f, md, 2, "Checks");
	tab_init(&t);
	for (k = 0; k < 7; k++)
		tab_head(&t, head[k], k == 4);
	if (tab_make(&t) < 0)
		return -1;
	cJSON_ArrayForEach(c, aud_json_get(doc, "checks")) {
		const char *st = str(c, "status");

		tab_row(&t);
		tab_put(&t, strcmp(st, "pass") == 0 ? "PASS" : strcmp(st, "fail") == 0 ? "FAIL" :
		    "UNDEFINED");
		if (strcmp(str(c, "id"), "four_fifths_rule") == 0)
			snprintf(cell, CELL, "four-fifths rule (%s)", str(c, "convention"));
		else
			trunc_name(cell, str(c, "id"));
		tab_put(&t, cell);
		trunc_name(cell, str(c, "attribute"));
		tab_put(&t, cell);
		trunc_name(cell, str(c, "group"));
		tab_put(&t, cell);
		fmt3(cell, aud_json_num(c, "value"));
		tab_put(&t, cell);
		snprintf(cell, CELL, "%s %g", str(c, "op"), aud_json_num(c, "threshold"));
		tab_put(&t, cell);
		tab_put(&t, aud_json_bool(c, "requested") ? "" : "reported, not gating");
	}
	if (tab_print(&t, f, md) < 0)
		return -1;
	if (md)
		fputs("\nThe four-fifths rule (EEOC): every group's favorable rate is at least 0.8 "
		    "times the highest group's; band (Aequitas): each group's ratio to the "
		    "reference is within [0.8, 1.25].\n", f);
	return 0;
}

static void
vocabulary(FILE *f, int md)
{
	static const char *const v[][2] = {
		{ "independence / demographic parity", "equal selection rates; Fairlearn "
		  "demographic_parity_difference/_ratio; AIF360 statistical_parity_difference, "
		  "disparate_impact" },
		{ "separation / equalized odds", "equal FPR and FNR (equivalently TPR); Fairlearn "
		  "equalized_odds_difference/_ratio; AIF360 average_odds_difference" },
		{ "equal opportunity", "equal TPR (= 1 - FNR); Fairlearn equal_opportunity_*" },
		{ "sufficiency / predictive parity", "equal PPV (precision) and FOR among groups" },
		{ "four-fifths rule", "favorable-rate ratio >= 0.8 (EEOC) or within [0.8, 1.25] "
		  "(Aequitas)" },
		{ "anti-classification", "the decision does not use the attribute: the "
		  "counterfactual flip test of audit-robust --counterfactual (not measured here)" },
	};
	size_t i;

	heading(f, md, 2, "Vocabulary (course term: what it compares; library names)");
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		fprintf(f, "%s%s%s%s: %s\n", md ? "- " : "  ", md ? "**" : "", v[i][0],
		    md ? "**" : "", v[i][1]);
	fprintf(f, "%sTPR true positive rate (recall), FPR false positive rate, FNR false "
	    "negative rate, PPV positive predictive value (precision), FOR false omission "
	    "rate, base rate share of positive labels, sel. rate share predicted positive.\n",
	    md ? "\n" : "  ");
}

/* "bins of 'age': age < 25, 25 <= age < 45, age >= 45" (edges from the JSON, as labelled in group names). */
static int
print_bins(FILE *f, int md, const cJSON *edges, const cJSON *closed)
{
	int n = cJSON_GetArraySize(edges), i, rc = 0;
	double *e = calloc((size_t)n + 1, sizeof(*e));
	char (*txt)[32] = calloc((size_t)n + 1, sizeof(*txt));
	const char **tp = calloc((size_t)n + 1, sizeof(*tp));
	struct aud_bins b = { edges->string, (size_t)n, NULL, NULL, 0, NULL };
	char *d = NULL;

	if (e == NULL || txt == NULL || tp == NULL || n < 1) {
		rc = n < 1 ? 0 : -1;
		goto done;
	}
	for (i = 0; i < n; i++) {
		e[i] = cJSON_GetArrayItem(edges, i)->valuedouble;
		aud_format_double(txt[i], e[i]);
		tp[i] = txt[i];
	}
	b.edges = e;
	b.edge_text = tp;
	b.right = cJSON_IsString(closed) && strcmp(closed->valuestring, "right") == 0;
	d = aud_bins_describe(&b);
	if (d == NULL) {
		rc = -1;
		goto done;
	}
	fprintf(f, "%sbins of '%s': %s (the verdict can hinge on them)\n", md ? "" : "  ",
	    edges->string, d);
done:
	free(d);
	free(e);
	free(txt);
	free(tp);
	return rc;
}

static int
write_people(const cJSON *doc, FILE *f, int md)
{
	const cJSON *res = aud_json_get(doc, "results"), *params = aud_json_get(doc, "params");
	const cJSON *attr, *w;
	const cJSON *ov = aud_json_get(res, "overall");
	char title[512], buf[CELL];
	struct tab t;
	size_t i;

	snprintf(title, sizeof(title), "audit-fair: %s (%.0f rows)",
	    str(aud_json_get(doc, "input"), "path"), aud_json_num(ov, "count"));
	heading(f, md, 1, title);
	fprintf(f, "%slabel '%s', prediction '%s', score '%s'; positive value '%s', favorable "
	    "value '%s'; %s intervals at %g%%\n", md ? "" : "  ", str(params, "label"),
	    aud_json_str(params, "pred") != NULL ? str(params, "pred") : "(score >= threshold)",
	    aud_json_str(params, "score") != NULL ? str(params, "score") :
	    "(none)", str(res, "positive"), str(res, "favorable"), str(res, "ci_method"),
	    100.0 * aud_json_num(res, "ci_level"));
	heading(f, md, 2, "Overall");
	tab_init(&t);
	tab_head(&t, "n", 1);
	for (i = 0; i < NRATECOLS; i++)
		if (show_col(res, i))
			tab_head(&t, rate_label(i), 1);
	if (tab_make(&t) < 0)
		return -1;
	tab_row(&t);
	snprintf(buf, CELL, "%.0f", aud_json_num(ov, "count"));
	tab_put(&t, buf);
	for (i = 0; i < NRATECOLS; i++)
		if (show_col(res, i)) {
			fmt3(buf, aud_json_num(ov, rate_keys[i]));
			tab_put(&t, buf);
		}
	if (tab_print(&t, f, md) < 0)
		return -1;
	heading(f, md, 3, "Confusion counts");
	if (confusion_table(f, md, res, NULL) < 0)
		return -1;
	cJSON_ArrayForEach(attr, aud_json_get(res, "attributes")) {
		const cJSON *bins = aud_json_get(attr, "bins"), *b;

		snprintf(title, sizeof(title), "Attribute: %s (reference group: %s)",
		    str(attr, "attribute"), str(attr, "reference"));
		heading(f, md, 2, title);
		cJSON_ArrayForEach(b, bins) {
			if (print_bins(f, md, b,
			    aud_json_get(aud_json_get(attr, "closed"), b->string)) < 0)
				return -1;
		}
		heading(f, md, 3, "Metrics per group");
		if (group_table(f, md, res, attr, 0) < 0)
			return -1;
		snprintf(buf, CELL, "%g%% intervals (%s)", 100.0 * aud_json_num(res, "ci_level"),
		    strcmp(str(res, "ci_method"), "bootstrap") == 0 ? "bootstrap percentile" :
		    "Wilson; DeLong for AUC");
		heading(f, md, 3, "Confusion counts");
		if (confusion_table(f, md, res, attr) < 0)
			return -1;
		heading(f, md, 3, buf);
		if (group_table(f, md, res, attr, 1) < 0)
			return -1;
		heading(f, md, 3, "Disparity: ratio to the reference group");
		if (group_table(f, md, res, attr, 2) < 0)
			return -1;
		heading(f, md, 3, "Summaries");
		summary_lines(f, md, attr);
		favorable_lines(f, md, res, attr);
		tests_lines(f, md, attr);
	}
	if (checks_section(f, md, doc) < 0)
		return -1;
	if (md && cJSON_GetArraySize(aud_json_get(doc, "warnings")) > 0) {
		heading(f, md, 2, "Warnings");
		cJSON_ArrayForEach(w, aud_json_get(doc, "warnings"))
			fprintf(f, "- %s\n", cJSON_GetStringValue(w));
	}
	vocabulary(f, md);
	return 0;
}

/* ---- csv ---- */

/* The CSV is a table of ten columns filled cell by cell: a row starts at column 0. */
#define NCSV 10

struct csvw {
	struct tab tab;
};

static void
csv_str(struct csvw *w, const char *s, int last)
{
	if (w->tab.c == 0)
		tab_row(&w->tab);
	tab_put(&w->tab, s);
	if (last)
		w->tab.c = 0;
}

static void
csv_num(struct csvw *w, double x, int last)
{
	char buf[32];

	aud_format_double(buf, x);
	csv_str(w, buf, last);
}

static void
csv_pair(struct csvw *f, const cJSON *pair)
{
	csv_num(f, cJSON_IsNumber(cJSON_GetArrayItem(pair, 0)) ?
	    cJSON_GetArrayItem(pair, 0)->valuedouble : NAN, 0);
	csv_num(f, cJSON_IsNumber(cJSON_GetArrayItem(pair, 1)) ?
	    cJSON_GetArrayItem(pair, 1)->valuedouble : NAN, 0);
}

static void
csv_group(struct csvw *f, const char *attr, const char *group, const cJSON *g,
    const cJSON *metrics, const cJSON *ci, const cJSON *disp)
{
	const cJSON *m;
	int k;

	cJSON_ArrayForEach(m, metrics) {
		const cJSON *d;

		if (!cJSON_IsNumber(m) && !cJSON_IsNull(m))
			continue;
		if (strcmp(m->string, "count") == 0 || strcmp(m->string, "weight") == 0 ||
		    strcmp(m->string, "auc_bin_error") == 0)
			continue;
		csv_str(f, attr, 0);
		csv_str(f, group, 0);
		csv_num(f, aud_json_num(g, "count"), 0);
		csv_str(f, cJSON_IsTrue(aud_json_get(g, "small")) ? "true" : "false", 0);
		csv_str(f, m->string, 0);
		csv_num(f, cJSON_IsNumber(m) ? m->valuedouble : NAN, 0);
		csv_pair(f, aud_json_get(ci, m->string));
		d = aud_json_get(disp, m->string);
		csv_num(f, aud_json_num(d, "ratio"), 0);
		csv_num(f, aud_json_num(d, "difference"), 1);
	}
	/* the confusion counts: tp, fp, fn, tn (weighted), then tp_rows... with weights */
	for (k = 0; k < 2; k++)
		cJSON_ArrayForEach(m, aud_json_get(g, k == 0 ? "confusion" : "confusion_rows")) {
			char name[16];

			snprintf(name, sizeof(name), "%s%s", m->string, k == 0 ? "" : "_rows");
			csv_str(f, attr, 0);
			csv_str(f, group, 0);
			csv_num(f, aud_json_num(g, "count"), 0);
			csv_str(f, cJSON_IsTrue(aud_json_get(g, "small")) ? "true" : "false", 0);
			csv_str(f, name, 0);
			csv_num(f, cJSON_IsNumber(m) ? m->valuedouble : NAN, 0);
			csv_str(f, "", 0);
			csv_str(f, "", 0);
			csv_str(f, "", 0);
			csv_str(f, "", 1);
		}
}

static int
write_csv(const cJSON *doc, FILE *out)
{
	static const char *const head[NCSV] = { "attribute", "group", "count", "small", "metric",
		"value", "ci_low", "ci_high", "ratio", "difference" };
	const cJSON *res = aud_json_get(doc, "results"), *attr, *g, *s;
	struct csvw w, *f = &w;
	int k;

	tab_init(&w.tab);
	for (k = 0; k < NCSV; k++)
		tab_head(&w.tab, head[k], 0);
	if (tab_make(&w.tab) < 0)
		return -1;
	csv_group(f, "overall", "overall", aud_json_get(res, "overall"),
	    aud_json_get(res, "overall"),
	    aud_json_get(res, "overall_ci"), NULL);
	cJSON_ArrayForEach(attr, aud_json_get(res, "attributes")) {
		const char *an = str(attr, "attribute");

		cJSON_ArrayForEach(g, aud_json_get(attr, "groups"))
			csv_group(f, an, str(g, "group"), g, aud_json_get(g, "metrics"),
			    aud_json_get(g, "ci"),
			    aud_json_get(g, "disparity"));
		cJSON_ArrayForEach(s, aud_json_get(attr, "summary")) {
			csv_str(f, an, 0);
			csv_str(f, "", 0);
			csv_str(f, "", 0);
			csv_str(f, "", 0);
			csv_str(f, s->string, 0);
			csv_num(f, cJSON_IsNumber(s) ? s->valuedouble : NAN, 0);
			csv_pair(f, aud_json_get(aud_json_get(attr, "summary_ci"), s->string));
			csv_str(f, "", 0);
			csv_str(f, "", 1);
		}
	}
	k = aud_table_render(w.tab.t, out, AUD_FORMAT_CSV, NULL, NULL);
	aud_table_free(w.tab.t);
	return k < 0 ? -1 : 0;
}

int
aud_fairness_write(const cJSON *doc, enum aud_format format, FILE *f,
    struct aud_error *err)
{
	int rc = 0;

	switch (format) {
	case AUD_FORMAT_TABLE:
	case AUD_FORMAT_MD:
		rc = write_people(doc, f, format == AUD_FORMAT_MD);
		break;
	case AUD_FORMAT_CSV:
		rc = write_csv(doc, f);
		break;
	case AUD_FORMAT_JSON:
		return AUD_ERROR(err, AUD_EINVAL, "use aud_json_write() for json");
	}
	if (ferror(f))
		return AUD_ERROR(err, AUD_EOUTPUT, "cannot write the output");
	if (rc < 0)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	return 0;
}
