/*
 * report_mitigate.c — the mitigation section of the report, from audit-mitigate
 * documents (audit.mitigate/1, docs/mitigate.md): per
 * document the constraint, objective and tolerance, each group's rule in
 * words, the rates before and after (selection rate, TPR, FPR, accuracy),
 * the overall accuracy, balanced accuracy and disparities before and after,
 * Fairlearn's grid against the exact optimum, and for a frontier the
 * accuracy–disparity chart with the chosen point marked (the text view of
 * such a document is audit-mitigate's own, mitigate_job.h). Every sentence is
 * chosen by the numbers it states: a change is said to be a fall, a rise or
 * no change as the document's values are.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/json.h>
#include <audit/text.h>

#include "report_impl.h"
#include "report_words.h"

#define MAX_POINTS 256

/* A value with 6 significant digits (differences of accuracy between
 * solutions are often in the fourth); integers whole, "undefined" for NaN. */
static void
fmt6(char *buf, size_t size, double v)
{
	if (isnan(v))
		snprintf(buf, size, "undefined");
	else if (isinf(v))
		snprintf(buf, size, "%s", v > 0 ? "inf" : "-inf");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, size, "%.0f", v);
	else
		snprintf(buf, size, "%.6g", v);
}

/* What a constraint equalises, in the course's words. */
struct constraint_words {
	const char *key;          /* the document's name */
	const char *name;         /* "demographic parity" */
	const char *what;         /* "equal selection rates (independence)" */
	const char *summary;      /* the document's overall key of its disparity, or NULL */
	const char *rate[2];      /* the group rates it compares */
	const char *gap;          /* "largest gap in selection rate between groups" */
};

static const struct constraint_words constraints[] = {
	{ "demographic_parity", "demographic parity", "equal selection rates (independence)",
	  "demographic_parity_difference", { "selection_rate", NULL },
	  "the largest gap in selection rate between groups" },
	{ "equalized_odds", "equalized odds", "equal TPR and equal FPR (separation)",
	  "equalized_odds_difference", { "tpr", "fpr" },
	  "the larger of the largest gaps in TPR and in FPR between groups" },
	{ "equal_opportunity", "equal opportunity", "equal TPR",
	  "true_positive_rate_difference", { "tpr", NULL }, "the largest gap in TPR between groups" },
	{ "true_positive_rate_parity", "equal opportunity", "equal TPR",
	  "true_positive_rate_difference", { "tpr", NULL }, "the largest gap in TPR between groups" },
	{ "false_positive_rate_parity", "FPR parity", "equal FPR",
	  "false_positive_rate_difference", { "fpr", NULL }, "the largest gap in FPR between groups" },
	{ "false_negative_rate_parity", "FNR parity", "equal FNR (the same as equal TPR)",
	  "true_positive_rate_difference", { "tpr", NULL },
	  "the largest gap in FNR (= in TPR) between groups" },
};

static const struct constraint_words *
find_constraint(const char *key)
{
	size_t i;

	for (i = 0; key != NULL && i < sizeof(constraints) / sizeof(constraints[0]); i++)
		if (strcmp(constraints[i].key, key) == 0)
			return &constraints[i];
	return NULL;
}

/* A key looked up in the solution, else in the document's results. */
static const cJSON *
get2(const cJSON *sol, const cJSON *res, const char *key)
{
	const cJSON *v = aud_json_get(sol, key);

	return v != NULL ? v : aud_json_get(res, key);
}

static const char *
str2(const cJSON *sol, const cJSON *res, const char *key)
{
	const cJSON *v = get2(sol, res, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double
num2(const cJSON *sol, const cJSON *res, const char *key)
{
	const cJSON *v = get2(sol, res, key);

	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* The solution of a document: its results (thresholds) or results.chosen
 * (frontier); NULL when it has no groups. */
static const cJSON *
solution(const cJSON *res)
{
	if (cJSON_IsArray(aud_json_get(res, "groups")))
		return res;
	if (cJSON_IsArray(aud_json_get(aud_json_get(res, "chosen"), "groups")))
		return aud_json_get(res, "chosen");
	return NULL;
}

/*
 * The constrained disparity of one side ("before" or "after"): the
 * document's overall value when it has one for the constraint, else the
 * largest gap of the compared rates between groups (groups without a
 * defined rate are left out). NaN when neither is there.
 */
static double
disparity(const cJSON *sol, const struct constraint_words *cw, const char *side)
{
	const cJSON *g;
	double best = NAN;
	size_t k;

	if (cw == NULL)
		return NAN;
	if (cw->summary != NULL) {
		double v = aud_json_num(aud_json_get(sol, side), cw->summary);

		if (!isnan(v))
			return v;
	}
	for (k = 0; k < 2 && cw->rate[k] != NULL; k++) {
		double lo = INFINITY, hi = -INFINITY;

		cJSON_ArrayForEach(g, aud_json_get(sol, "groups")) {
			double v = aud_json_num(aud_json_get(g, side), cw->rate[k]);

			if (isnan(v))
				continue;
			lo = fmin(lo, v);
			hi = fmax(hi, v);
		}
		if (hi >= lo && (isnan(best) || hi - lo > best))
			best = hi - lo;
	}
	return best;
}

/* "fell from 0.3 to 0 (by 0.3)", "rose from ... (by ...)", "is 0.3 before and
 * after: unchanged" (`both` names the two states: "before and after", "at
 * both"): the words follow the numbers. */
static void
change_words(char *buf, size_t size, double before, double after, const char *both)
{
	char b[32], a[32], d[32];

	fmt6(b, sizeof(b), before);
	fmt6(a, sizeof(a), after);
	fmt6(d, sizeof(d), fabs(after - before));
	if (isnan(before) || isnan(after))
		snprintf(buf, size, "is %s and %s", b, a);
	else if (after == before)
		snprintf(buf, size, "is %s %s: unchanged", b, both);
	else
		snprintf(buf, size, "%s from %s to %s (by %s)", after < before ? "fell" : "rose",
		    b, a, d);
}

static void
change_text(char *buf, size_t size, double before, double after)
{
	change_words(buf, size, before, after, "before and after");
}

static const char *
objective_name(const char *key)
{
	return key != NULL && strcmp(key, "balanced_accuracy") == 0 ? "balanced accuracy" :
	    key != NULL && strcmp(key, "accuracy") == 0 ? "accuracy" : key != NULL ? key : "objective";
}

/* A group's rule in words. */
static void
rule_text(char *buf, size_t size, const cJSON *rule)
{
	double p0 = aud_json_num(rule, "p0"), t0 = aud_json_num(rule, "threshold0");
	double p1 = aud_json_num(rule, "p1"), t1 = aud_json_num(rule, "threshold1");
	double pi = aud_json_num(rule, "p_ignore"), pc = aud_json_num(rule, "prediction_constant");
	char a[32], b[32], c[32], d[32];
	size_t used = 0;
	int n;

	buf[0] = '\0';
	if (!cJSON_IsObject(rule)) {
		snprintf(buf, size, "(no rule)");
		return;
	}
	if (!isnan(pi) && pi > 0) {
		fmt6(a, sizeof(a), pi);
		fmt6(b, sizeof(b), isnan(pc) ? 0 : pc);
		n = snprintf(buf, size, "with probability %s ignore the score and decide 1 with "
		    "probability %s; otherwise ", a, b);
		if (n < 0 || (size_t)n >= size)
			return;
		used = (size_t)n;
	}
	fmt6(a, sizeof(a), t0);
	fmt6(b, sizeof(b), t1);
	fmt6(c, sizeof(c), p0);
	fmt6(d, sizeof(d), p1);
	if (!isnan(p1) && p1 > 0 && !isnan(p0) && p0 > 0 && t0 != t1)
		snprintf(buf + used, size - used, "score > %s with probability %s, score > %s with "
		    "probability %s", a, c, b, d);
	else if (!isnan(p1) && p1 > 0 && (isnan(p0) || p0 == 0))
		snprintf(buf + used, size - used, "score > %s", b);
	else
		snprintf(buf + used, size - used, "score > %s", a);
}

static void
arrow_cell(struct aud__row *row, size_t i, const cJSON *g, const char *key)
{
	char b[32], a[32];

	aud__fmt_rate(b, sizeof(b), aud_json_num(aud_json_get(g, "before"), key));
	aud__fmt_rate(a, sizeof(a), aud_json_num(aud_json_get(g, "after"), key));
	aud__row_set(row, i, "%s \xE2\x86\x92 %s", b, a);
}

/* The rules and the group table before → after. */
static int
draw_groups(struct aud__rctx *c, const cJSON *sol)
{
	static const struct aud__col rcols[] = {
		{ "Group", 0.22, AUD__LEFT }, { "Rule after mitigation (decide 1 when)", 0.78, AUD__LEFT },
	};
	static const struct aud__col gcols[] = {
		{ "Group", 0.22, AUD__LEFT }, { "n", 0.10, AUD__RIGHT },
		{ "Selection rate", 0.17, AUD__RIGHT }, { "TPR", 0.17, AUD__RIGHT },
		{ "FPR", 0.17, AUD__RIGHT }, { "Accuracy", 0.17, AUD__RIGHT },
	};
	static const char *const keys[] = { "selection_rate", "tpr", "fpr", "accuracy" };
	const cJSON *g;
	struct aud__table t;
	size_t k;
	int rc;

	rc = aud__rep_heading(c, 2, "The rule of each group");
	if (rc == 0)
		rc = aud__rep_table_begin(c, &t, rcols, 2, AUD__SMALL);
	cJSON_ArrayForEach(g, aud_json_get(sol, "groups")) {
		struct aud__row row;

		if (rc < 0)
			break;
		aud__row_init(&row);
		aud__row_set(&row, 0, "%s", aud__or(aud_json_str(g, "group"), "?"));
		rule_text(row.buf[1], AUD__CELL, aud_json_get(g, "rule"));
		rc = aud__rep_table_row(c, &t, row.cells, 0);
	}
	if (rc < 0)
		return rc;
	aud__rep_table_end(c, &t);
	rc = aud__rep_heading(c, 2, "Groups: before \xE2\x86\x92 after");
	if (rc == 0)
		rc = aud__rep_table_begin(c, &t, gcols, 6, AUD__SMALL);
	cJSON_ArrayForEach(g, aud_json_get(sol, "groups")) {
		struct aud__row row;
		double n = aud_json_num(aud_json_get(g, "before"), "count");

		if (rc < 0)
			break;
		if (isnan(n))
			n = aud_json_num(aud_json_get(g, "after"), "count");
		aud__row_init(&row);
		aud__row_set(&row, 0, "%s", aud__or(aud_json_str(g, "group"), "?"));
		fmt6(row.buf[1], AUD__CELL, n);
		for (k = 0; k < 4; k++)
			arrow_cell(&row, 2 + k, g, keys[k]);
		rc = aud__rep_table_row(c, &t, row.cells, 0);
	}
	if (rc == 0)
		aud__rep_table_end(c, &t);
	return rc;
}

/* Overall measures before and after: the keys of both objects, in the
 * order of "before". */
static int
draw_overall(struct aud__rctx *c, const cJSON *sol)
{
	static const struct aud__col cols[] = {
		{ "Overall measure", 0.46, AUD__LEFT }, { "Before", 0.18, AUD__RIGHT },
		{ "After", 0.18, AUD__RIGHT }, { "Change", 0.18, AUD__RIGHT },
	};
	const cJSON *before = aud_json_get(sol, "before"), *after = aud_json_get(sol, "after");
	const cJSON *e;
	struct aud__table t;
	int rc;

	if (!cJSON_IsObject(before) || before->child == NULL)
		return 0;
	rc = aud__rep_table_begin(c, &t, cols, 4, AUD__SMALL);
	cJSON_ArrayForEach(e, before) {
		struct aud__row row;
		const char *nm = aud__metric_name(e->string);
		double b = cJSON_IsNumber(e) ? e->valuedouble : NAN;
		double a = aud_json_num(after, e->string);
		char d[32];

		if (rc < 0)
			break;
		if ((!cJSON_IsNumber(e) && !cJSON_IsNull(e)) || strcmp(e->string, "count") == 0)
			continue;
		aud__row_init(&row);
		if (nm != NULL)
			aud__row_set(&row, 0, "%s\n%s", nm, e->string);
		else
			aud__row_set(&row, 0, "%s", e->string);
		fmt6(row.buf[1], AUD__CELL, b);
		fmt6(row.buf[2], AUD__CELL, a);
		fmt6(d, sizeof(d), a - b);
		aud__row_set(&row, 3, "%s%s", !isnan(a - b) && a - b > 0 ? "+" : "", d);
		rc = aud__rep_table_row(c, &t, row.cells, 0);
	}
	if (rc == 0)
		aud__rep_table_end(c, &t);
	return rc;
}

/* What the document says, in sentences that follow its numbers. */
static int
draw_sentences(struct aud__rctx *c, const cJSON *res, const cJSON *sol)
{
	const char *ckey = str2(sol, res, "constraint");
	const char *okey = str2(sol, res, "objective");
	const struct constraint_words *cw = find_constraint(ckey);
	double tol = num2(sol, res, "tolerance"), grid = num2(sol, res, "grid");
	double db = disparity(sol, cw, "before"), da = disparity(sol, cw, "after");
	double ob = aud_json_num(aud_json_get(sol, "before"), aud__or(okey, "accuracy"));
	double oa = aud_json_num(aud_json_get(sol, "after"), aud__or(okey, "accuracy"));
	double ov = aud_json_num(sol, "objective_value");
	const cJSON *ex = aud_json_get(sol, "exact");
	char ch[160], v1[32], v2[32], v3[32];
	int rc = 0;

	if (cw != NULL && !isnan(db) && !isnan(da)) {
		change_text(ch, sizeof(ch), db, da);
		rc = aud__rep_bullet(c, "Disparity: the %s difference (%s) %s%s.", cw->name, cw->gap,
		    ch, da > db ? ": the group thresholds widened the gap" : "");
		if (rc == 0 && !isnan(tol)) {
			fmt6(v1, sizeof(v1), da);
			fmt6(v2, sizeof(v2), tol);
			if (da <= tol)
				rc = aud__rep_bullet(c, "After mitigation that difference, %s, is within "
				    "the tolerance %s.", v1, v2);
			else if (da <= tol + 1e-9)
				rc = aud__rep_bullet(c, "After mitigation that difference, %s, is within "
				    "the tolerance %s up to rounding (less than 1e-9 above it).", v1, v2);
			else
				rc = aud__rep_bullet(c, "After mitigation that difference, %s, exceeds the "
				    "tolerance %s.", v1, v2);
		}
	}
	if (rc == 0 && !isnan(ob) && !isnan(oa)) {
		change_text(ch, sizeof(ch), ob, oa);
		rc = aud__rep_bullet(c, "Objective: %s %s%s.", objective_name(okey), ch,
		    oa < ob ? ": the cost of the constraint" : oa > ob ?
		    ": by this measure the group thresholds do better than the single threshold" : "");
	}
	if (rc == 0 && cJSON_IsObject(ex) && !isnan(ov)) {
		double xv = aud_json_num(ex, "objective_value"), diff = aud_json_num(ex, "difference");

		if (isnan(diff) && !isnan(xv))
			diff = xv - ov;
		if (isnan(xv) && !isnan(diff))
			xv = ov + diff;
		fmt6(v1, sizeof(v1), ov);
		fmt6(v2, sizeof(v2), xv);
		fmt6(v3, sizeof(v3), fabs(diff));
		{
			/* two different values never print alike: more digits until they differ */
			int digits;

			for (digits = 7; digits <= 17 && ov != xv && strcmp(v1, v2) == 0; digits++) {
				snprintf(v1, sizeof(v1), "%.*g", digits, ov);
				snprintf(v2, sizeof(v2), "%.*g", digits, xv);
			}
		}
		if (isnan(grid))
			snprintf(ch, sizeof(ch), "Fairlearn's grid");
		else
			snprintf(ch, sizeof(ch), "Fairlearn's grid (%.0f points)", grid);
		if (diff > 0)
			rc = aud__rep_bullet(c, "%s reaches %s %s; the exact optimum is %s higher (%s).",
			    ch, objective_name(okey), v1, v3, v2);
		else if (diff == 0)
			rc = aud__rep_bullet(c, "%s reaches %s %s; the exact optimum is the same: the "
			    "grid found it.", ch, objective_name(okey), v1);
		else if (diff < 0)
			rc = aud__rep_bullet(c, "%s reaches %s %s, %s more than the exact optimum (%s).",
			    ch, objective_name(okey), v1, v3, v2);
	}
	if (rc == 0)
		c->y -= 4;
	return rc;
}

/* The parameters of a solution in one paragraph. */
static int
draw_params(struct aud__rctx *c, const cJSON *res, const cJSON *sol)
{
	const char *ckey = str2(sol, res, "constraint");
	const char *okey = str2(sol, res, "objective");
	const struct constraint_words *cw = find_constraint(ckey);
	double tol = num2(sol, res, "tolerance"), grid = num2(sol, res, "grid");
	double tb = num2(sol, res, "threshold_before");
	char t[32], g[96], b[32], tt[160];

	fmt6(t, sizeof(t), tol);
	fmt6(b, sizeof(b), tb);
	if (isnan(grid))
		g[0] = '\0';
	else if (grid == 0)
		snprintf(g, sizeof(g), " Solved exactly (no grid).");
	else
		snprintf(g, sizeof(g), " Solved on Fairlearn's grid of %.0f points.", grid);
	if (isnan(tol))
		snprintf(tt, sizeof(tt), "tolerance not stated");
	else if (tol == 0)
		snprintf(tt, sizeof(tt), "tolerance 0 (the rates must be equal)");
	else
		snprintf(tt, sizeof(tt), "tolerance %s (the rates of any two groups may differ by at "
		    "most %s)", t, t);
	return aud__rep_para(c, "Constraint: %s, %s; objective maximised: %s; %s.%s Label '%s', "
	    "score '%s', protected attribute '%s'. Before: the single threshold score %s %s for "
	    "every group. After: the expected outcome of the group rules.",
	    cw != NULL ? cw->name : aud__or(ckey, "not stated"), cw != NULL ? cw->what : "",
	    objective_name(okey), tt, g, aud__or(str2(sol, res, "label"), "?"),
	    aud__or(str2(sol, res, "score"), "?"), aud__or(str2(sol, res, "protected"), "?"),
	    "\xE2\x89\xA5", b);
}

/* The frontier: its chart (x disparity, y objective) with the chosen point,
 * and its points as a table. */
static int
draw_frontier(struct aud__rctx *c, const cJSON *res)
{
	static const struct aud__col cols[] = {
		{ "Tolerance", 0.25, AUD__RIGHT }, { "Disparity", 0.25, AUD__RIGHT },
		{ "Objective", 0.25, AUD__RIGHT }, { "", 0.25, AUD__LEFT },
	};
	const cJSON *pts = aud_json_get(res, "points"), *p;
	const cJSON *sol = aud_json_get(res, "chosen");
	const char *okey = str2(sol, res, "objective");
	const struct constraint_words *cw = find_constraint(str2(sol, res, "constraint"));
	struct aud__line_opts o = AUD__LINE_OPTS_INIT;
	struct aud__series s;
	struct aud__table t;
	double x[MAX_POINTS], y[MAX_POINTS], tol = num2(sol, res, "tolerance");
	double plot_h = 150;
	char title[256], xl[256], yl[96], ml[96], v1[32], v2[32], v3[32], v4[32];
	size_t n = 0;
	int rc;

	cJSON_ArrayForEach(p, pts) {
		if (n >= MAX_POINTS)
			break;
		x[n] = aud_json_num(p, "disparity");
		y[n] = aud_json_num(p, "objective_value");
		n++;
	}
	if (n == 0)
		return aud__rep_para(c, "The frontier document holds no points.");
	rc = aud__rep_para(c, "Each point is the exact optimum of %s under the constraint relaxed "
	    "to a tolerance: the highest %s that group thresholds can reach while %s is at most the "
	    "tolerance. No other choice of group thresholds lies above the curve.",
	    objective_name(okey), objective_name(okey), cw != NULL ? cw->gap : "the disparity");
	if (rc < 0)
		return rc;
	snprintf(title, sizeof(title), "Trade-off: %s against %s", objective_name(okey),
	    cw != NULL ? cw->name : "disparity");
	snprintf(xl, sizeof(xl), "%s difference (disparity)", cw != NULL ? cw->name : "constraint");
	snprintf(yl, sizeof(yl), "%s", objective_name(okey));
	s.name = "exact optimum at each tolerance";
	s.x = x;
	s.y = y;
	s.n = n;
	o.title = title;
	o.x_label = xl;
	o.y_label = yl;
	{
		/* the curve's own range: an accuracy axis from 0 would flatten it */
		struct aud__axis ya;
		double lo = INFINITY, hi = -INFINITY;
		size_t i;

		for (i = 0; i < n; i++) {
			if (isfinite(y[i])) {
				lo = fmin(lo, y[i]);
				hi = fmax(hi, y[i]);
			}
		}
		if (hi >= lo) {
			double pad = fmax(0.1 * (hi - lo), 0.001);

			aud__axis_nice(&ya, lo - pad, hi + pad, 6);
			o.y_lo = ya.lo;
			o.y_hi = ya.hi;
		}
	}
	if (cJSON_IsObject(sol)) {
		o.mark_x = disparity(sol, cw, "after");
		o.mark_y = aud_json_num(sol, "objective_value");
		if (isnan(o.mark_y))
			o.mark_y = aud_json_num(aud_json_get(sol, "after"), aud__or(okey, "accuracy"));
		fmt6(v1, sizeof(v1), tol);
		snprintf(ml, sizeof(ml), "chosen (tolerance %s)", v1);
		o.mark_label = ml;
	}
	rc = aud__rep_need(c, AUD__CHART_TITLE + AUD__LINE_YLABEL + plot_h + AUD__CHART_AXIS +
	    aud__chart_legend_height(c->pdf, &s, 1, aud__rep_width(c)) + 8);
	if (rc == 0)
		rc = aud__chart_lines(c->pdf, c->left, c->y, aud__rep_width(c), plot_h, &s, 1, &o,
		    c->err);
	if (rc < 0)
		return rc;
	c->y -= AUD__CHART_TITLE + AUD__LINE_YLABEL + plot_h + AUD__CHART_AXIS +
	    aud__chart_legend_height(c->pdf, &s, 1, aud__rep_width(c)) + 8;
	if (isfinite(o.mark_x) && isfinite(o.mark_y)) {
		fmt6(v2, sizeof(v2), o.mark_x);
		fmt6(v3, sizeof(v3), o.mark_y);
		rc = aud__rep_para(c, "The black diamond is the chosen point: tolerance %s, "
		    "disparity %s, %s %s.", v1, v2, objective_name(okey), v3);
	}
	if (rc == 0 && n >= 2) {
		char ch[160];

		fmt6(v1, sizeof(v1), aud_json_num(cJSON_GetArrayItem(pts, 0), "tolerance"));
		fmt6(v4, sizeof(v4), aud_json_num(cJSON_GetArrayItem(pts, (int)n - 1),
		    "tolerance"));
		change_words(ch, sizeof(ch), y[0], y[n - 1], "at both");
		rc = aud__rep_para(c, "From tolerance %s to tolerance %s the optimum %s %s.", v1, v4,
		    objective_name(okey), ch);
	}
	if (rc == 0)
		rc = aud__rep_table_begin(c, &t, cols, 4, AUD__SMALL);
	n = 0;
	cJSON_ArrayForEach(p, pts) {
		struct aud__row row;
		double pt = aud_json_num(p, "tolerance");

		if (rc < 0)
			break;
		aud__row_init(&row);
		fmt6(row.buf[0], AUD__CELL, pt);
		fmt6(row.buf[1], AUD__CELL, aud_json_num(p, "disparity"));
		fmt6(row.buf[2], AUD__CELL, aud_json_num(p, "objective_value"));
		if (cJSON_IsObject(sol) && pt == tol)
			aud__row_set(&row, 3, "chosen");
		rc = aud__rep_table_row(c, &t, row.cells, cJSON_IsObject(sol) && pt == tol);
	}
	if (rc == 0)
		aud__rep_table_end(c, &t);
	return rc;
}

/* Reweighing: the weight table. */
static int
draw_weights(struct aud__rctx *c, const cJSON *res)
{
	static const struct aud__col cols[] = {
		{ "Group", 0.40, AUD__LEFT }, { "Label", 0.20, AUD__LEFT },
		{ "n", 0.20, AUD__RIGHT }, { "Weight", 0.20, AUD__RIGHT },
	};
	const cJSON *w;
	struct aud__table t;
	int rc;

	rc = aud__rep_para(c, "Kamiran and Calders' reweighing: each (group, label) cell gets "
	    "the weight n_g \xC2\xB7 n_y / (n \xC2\xB7 n_{g,y}), so that group and label are "
	    "independent in the weighted data; for retraining, not a change of the decisions.");
	if (rc == 0)
		rc = aud__rep_table_begin(c, &t, cols, 4, AUD__SMALL);
	cJSON_ArrayForEach(w, aud_json_get(res, "weights")) {
		struct aud__row row;

		if (rc < 0)
			break;
		aud__row_init(&row);
		aud__row_set(&row, 0, "%s", aud__or(aud_json_str(w, "group"), "?"));
		aud_json_text(row.buf[1], AUD__CELL, aud_json_get(w, "label"));
		fmt6(row.buf[2], AUD__CELL, aud_json_num(w, "count"));
		fmt6(row.buf[3], AUD__CELL, aud_json_num(w, "weight"));
		rc = aud__rep_table_row(c, &t, row.cells, 0);
	}
	if (rc == 0)
		aud__rep_table_end(c, &t);
	return rc;
}

static int
draw_document(struct aud__rctx *c, const struct aud__rdoc *d, size_t nd)
{
	const cJSON *res = aud_json_get(d->json, "results");
	const cJSON *sol = solution(res);
	const char *method = aud__or(aud_json_str(res, "method"), "thresholds");
	const char *prot = str2(sol, res, "protected");
	char head[512];
	int frontier = strcmp(method, "frontier") == 0;
	int rc;

	if (strcmp(method, "reweigh") == 0)
		snprintf(head, sizeof(head), "Reweighing");
	else
		snprintf(head, sizeof(head), "%s for '%s'", frontier ?
		    "Trade-off frontier" : "Group thresholds", aud__or(prot, "?"));
	rc = aud__rep_heading(c, 1, head);
	if (rc == 0 && nd > 1)
		rc = aud__rep_para(c, "From %s.", d->name);
	if (rc < 0)
		return rc;
	if (strcmp(method, "reweigh") == 0)
		return draw_weights(c, res);
	if (frontier) {
		rc = draw_frontier(c, res);
		if (rc == 0 && sol != NULL)
			rc = aud__rep_heading(c, 2, "The chosen point");
	}
	if (rc == 0 && sol != NULL)
		rc = draw_params(c, res, sol);
	if (rc == 0 && sol != NULL)
		rc = draw_sentences(c, res, sol);
	if (rc == 0 && sol != NULL)
		rc = draw_groups(c, sol);
	if (rc == 0 && sol != NULL)
		rc = draw_overall(c, sol);
	return rc;
}

/*
 * The decisions after mitigation as audit-fair measured them: every fairness
 * document whose decisions are the column audit-mitigate apply appends
 * (params.pred "pred_mitigated"), with its parity measures per attribute and
 * its accuracy. One random draw per row, so they differ from the expected
 * rates above by sampling noise.
 */
static int
draw_measured(struct aud__rctx *c)
{
	const struct aud__rdoc *docs[64];
	size_t nd = aud__rep_docs(c->r, AUD_REPORT_FAIRNESS, docs, 64), i;
	int rc = 0, any = 0;

	for (i = 0; rc == 0 && i < nd && i < 64; i++) {
		const char *pred = aud_json_str(aud_json_get(docs[i]->json, "params"), "pred");
		const cJSON *res = aud_json_get(docs[i]->json, "results");
		const cJSON *ov = aud_json_get(res, "overall"), *a;
		double acc = aud_json_num(aud_json_get(ov, "metrics"), "accuracy");
		char v1[32], v2[32], v3[32];

		if (pred == NULL || strcmp(pred, "pred_mitigated") != 0)
			continue;
		if (!any) {
			rc = aud__rep_heading(c, 1, "After mitigation, as audit-fair measured it");
			if (rc == 0)
				rc = aud__rep_para(c, "audit-fair on the rows audit-mitigate apply wrote, "
				    "with the mitigated decisions (pred_mitigated: one random draw per row, "
				    "so its rates may differ from the expected ones above by sampling "
				    "noise). "
				    "Its groups and charts are in the fairness section.");
			any = 1;
		}
		if (isnan(acc))
			acc = aud_json_num(ov, "accuracy");
		fmt6(v1, sizeof(v1), acc);
		if (rc == 0)
			rc = aud__rep_para(c, "%s: accuracy %s.", docs[i]->name, v1);
		cJSON_ArrayForEach(a, aud_json_get(res, "attributes")) {
			const cJSON *sm = aud_json_get(a, "summary");

			if (rc < 0)
				break;
			fmt6(v1, sizeof(v1), aud_json_num(sm, "demographic_parity_difference"));
			fmt6(v2, sizeof(v2), aud_json_num(sm, "equalized_odds_difference"));
			fmt6(v3, sizeof(v3), aud_json_num(sm, "demographic_parity_ratio"));
			rc = aud__rep_bullet(c, "'%s': demographic parity difference %s (ratio %s), "
			    "equalized odds difference %s.", aud__or(aud_json_str(a, "attribute"), "?"),
			    v1, v3, v2);
		}
	}
	return rc;
}

int
aud__report_mitigation(struct aud__rctx *c)
{
	const struct aud__rdoc *docs[64];
	size_t nd = aud__rep_docs(c->r, AUD_REPORT_MITIGATION, docs, 64);
	size_t i;
	int rc;

	if (nd == 0)
		return 0;
	if (nd > 64)
		nd = 64;
	rc = aud__rep_heading(c, 0, "Mitigation");
	if (rc == 0)
		rc = aud__rep_para(c, "Post-processing by group-specific thresholds (audit-mitigate; "
		    "Hardt, Price and Srebro 2016, the algorithm of Fairlearn's ThresholdOptimizer): "
		    "the model is not retrained; each group gets its own threshold on the score, "
		    "possibly randomised between two thresholds, chosen to maximise the objective "
		    "under the fairness constraint. The rates after mitigation are expected values "
		    "over that randomness. In-training methods, which need the learner, are not "
		    "covered.");
	for (i = 0; rc == 0 && i < nd; i++)
		rc = draw_document(c, docs[i], nd);
	if (rc == 0)
		rc = draw_measured(c);
	return rc;
}

/*
 * The mitigation finding in plain words: the disparity before and after as
 * percentage points of the compared rate and its relative change, the
 * objective's change in points, and the group whose compared rate moves
 * most.
 */
static int
plain_words(struct aud__rctx *c, const cJSON *res, const cJSON *sol,
    const struct constraint_words *cw, double db, double da, double ob, double oa)
{
	const cJSON *g, *most = NULL;
	double move = -1;
	char b1[32], a1[32], b2[32], a2[32], rel[64] = "", obj[160] = "", grp[300] = "";

	aud__words_pct(b1, sizeof(b1), db);
	aud__words_pct(a1, sizeof(a1), da);
	if (db > 0 && !isnan(da))
		snprintf(rel, sizeof(rel), " (%.0f%% %s)", fabs(db - da) / db * 100,
		    da <= db ? "smaller" : "larger");
	if (!isnan(ob) && !isnan(oa)) {
		aud__words_pct1(b2, sizeof(b2), ob);
		aud__words_pct1(a2, sizeof(a2), oa);
		snprintf(obj, sizeof(obj), ", and %s goes from %s to %s (%+.1f points)",
		    objective_name(aud_json_str(sol, "objective") != NULL ?
		    aud_json_str(sol, "objective") : aud_json_str(res, "objective")), b2, a2,
		    (oa - ob) * 100);
	}
	cJSON_ArrayForEach(g, aud_json_get(sol, "groups")) {
		double rb = aud_json_num(aud_json_get(g, "before"), cw->rate[0]);
		double ra = aud_json_num(aud_json_get(g, "after"), cw->rate[0]);

		if (!isnan(rb) && !isnan(ra) && fabs(ra - rb) > move && aud_json_str(g, "group")) {
			move = fabs(ra - rb);
			most = g;
		}
	}
	if (most != NULL && move > 0) {
		aud__words_pct(b2, sizeof(b2), aud_json_num(aud_json_get(most, "before"), cw->rate[0]));
		aud__words_pct(a2, sizeof(a2), aud_json_num(aud_json_get(most, "after"), cw->rate[0]));
		snprintf(grp, sizeof(grp), "; the group that changes most is '%s', whose %s goes "
		    "from %s to %s", aud_json_str(most, "group"),
		    aud__words_rate(cw->rate[0]), b2, a2);
	}
	if (isnan(db) || isnan(da))
		return 0;
	return aud__rep_bullet(c, "In plain words: the mitigation brings the %s difference "
	    "(%s) from %s to %s%s%s%s.", cw->name, cw->gap, b1, a1, rel, obj, grp);
}

int
aud__report_mitigation_finding(struct aud__rctx *c, const struct aud__rdoc *d)
{
	const cJSON *res = aud_json_get(d->json, "results");
	const cJSON *sol = solution(res);
	const char *okey = str2(sol, res, "objective");
	const struct constraint_words *cw = find_constraint(str2(sol, res, "constraint"));
	double db, da, ob, oa;
	char b1[32], a1[32], b2[32], a2[32];
	int rc;

	if (sol == NULL || cw == NULL)
		return 0;
	db = disparity(sol, cw, "before");
	da = disparity(sol, cw, "after");
	ob = aud_json_num(aud_json_get(sol, "before"), aud__or(okey, "accuracy"));
	oa = aud_json_num(aud_json_get(sol, "after"), aud__or(okey, "accuracy"));
	fmt6(b1, sizeof(b1), db);
	fmt6(a1, sizeof(a1), da);
	fmt6(b2, sizeof(b2), ob);
	fmt6(a2, sizeof(a2), oa);
	rc = aud__rep_bullet(c, "Mitigation of '%s' (%s, %s): %s difference %s before, %s "
	    "after (%s); %s %s before, %s after (%s).", aud__or(str2(sol, res, "protected"), "?"),
	    cw->name, aud__or(aud_json_str(res, "method"), "thresholds"), cw->name, b1, a1,
	    isnan(db) || isnan(da) ? "not comparable" : da < db ? "lower" : da > db ? "higher" :
	    "unchanged", objective_name(okey), b2, a2,
	    isnan(ob) || isnan(oa) ? "not comparable" : oa < ob ? "lower" : oa > ob ? "higher" :
	    "unchanged");
	if (rc == 0)
		rc = plain_words(c, res, sol, cw, db, da, ob, oa);
	return rc;
}
