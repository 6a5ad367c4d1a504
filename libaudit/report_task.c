/*
 * report_task.c — the fairness pages of multi-class and regression documents
 * (audit.fairness-multiclass/1, audit.fairness-regression/1; docs/slice.md):
 * per attribute the summaries (differences and ratios between groups, with
 * their intervals when given), a table of the groups' metrics with intervals
 * (multi-class: accuracy, balanced accuracy, macro F1, precision and recall,
 * and per class the recall and the selection rate as compact tables;
 * regression: mean prediction against mean label, MAE, RMSE, R²), a chart of
 * accuracy or MAE per group with whiskers, and the findings in words.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/json.h>

#include "report_impl.h"
#include "report_words.h"

#define MAX_GROUPS 24      /* bars of a chart */
#define MAX_CLASSES 8      /* columns of a per-class table */

/* ---- accessors ---- */

/* A group's metric: groups[i].metrics.KEY or groups[i].KEY. */
static double
gnum(const cJSON *g, const char *key)
{
	double v = aud_json_num(aud_json_get(g, "metrics"), key);

	return isnan(v) ? aud_json_num(g, key) : v;
}

static const cJSON *
gci(const cJSON *g, const char *key)
{
	const cJSON *ci = aud_json_get(g, "ci");

	if (ci == NULL)
		ci = aud_json_get(aud_json_get(g, "metrics"), "ci");
	return aud_json_get(ci, key);
}

static const char *
gname(const cJSON *g)
{
	return aud__or(aud_json_str(g, "group"), "?");
}

/* The entry of class k in a per_class object ({class: {...}}) or array ([{class, ...}]). */
static const cJSON *
per_class(const cJSON *g, const char *k)
{
	const cJSON *pc = aud_json_get(g, "per_class"), *e;

	if (pc == NULL)
		pc = aud_json_get(aud_json_get(g, "metrics"), "per_class");
	if (cJSON_IsObject(pc))
		return aud_json_get(pc, k);
	cJSON_ArrayForEach(e, pc) {
		const char *ck = aud_json_str(e, "class");

		if (ck != NULL && strcmp(ck, k) == 0)
			return e;
	}
	return NULL;
}

/* The classes: results.classes, else the keys of the overall per_class. */
static size_t
classes(const char *out[MAX_CLASSES], const cJSON *res, size_t *total)
{
	const cJSON *e, *pc = aud_json_get(aud_json_get(res, "overall"), "per_class");
	size_t n = 0;

	*total = 0;
	if (cJSON_IsArray(aud_json_get(res, "classes"))) {
		cJSON_ArrayForEach(e, aud_json_get(res, "classes")) {
			if (cJSON_IsString(e) && n < MAX_CLASSES)
				out[n++] = e->valuestring;
			(*total)++;
		}
		return n;
	}
	cJSON_ArrayForEach(e, pc) {
		const char *k = cJSON_IsObject(pc) ? e->string : aud_json_str(e, "class");

		if (k != NULL && n < MAX_CLASSES)
			out[n++] = k;
		(*total)++;
	}
	return n;
}

/* ---- formatting ---- */

/* "0.768\n0.74–0.79" (a rate and its interval below), as the fairness tables do. */
static void
cell_rate(char *buf, size_t size, double v, const cJSON *ci)
{
	double lo, hi;
	char a[32];

	aud_json_ci(ci, &lo, &hi);
	aud__fmt_rate(a, sizeof(a), v);
	if (isnan(lo) || isnan(hi) || isnan(v))
		snprintf(buf, size, "%s", a);
	else
		snprintf(buf, size, "%s\n%.2f\xE2\x80\x93%.2f", a, lo, hi);
}

/* A value of any scale with its interval below: "5.29\n4.7–5.9". */
static void
cell_value(char *buf, size_t size, double v, const cJSON *ci)
{
	double lo, hi;
	char a[32], b[32], d[32];

	aud_json_ci(ci, &lo, &hi);
	aud__fmt_value(a, sizeof(a), v);
	if (isnan(lo) || isnan(hi) || isnan(v)) {
		snprintf(buf, size, "%s", a);
		return;
	}
	snprintf(b, sizeof(b), "%.3g", lo);
	snprintf(d, sizeof(d), "%.3g", hi);
	snprintf(buf, size, "%s\n%s\xE2\x80\x93%s", a, b, d);
}

static int
is_multiclass(const struct aud__rdoc *d)
{
	return d->kind == AUD_REPORT_FAIRNESS_MULTICLASS;
}

/* ---- summaries ---- */

struct measure {
	const char *key, *name;
};

static const struct measure mc_measures[] = {
	{ "accuracy", "Accuracy" }, { "balanced_accuracy", "Balanced accuracy" },
	{ "macro_f1", "Macro F1" }, { "macro_precision", "Macro precision" },
	{ "macro_recall", "Macro recall" },
};
static const struct measure rg_measures[] = {
	{ "mean_prediction", "Mean prediction" }, { "mean_label", "Mean label" },
	{ "mae", "MAE (mean absolute error)" }, { "mse", "MSE (mean squared error)" },
	{ "rmse", "RMSE (root mean squared error)" }, { "r2", "R\xC2\xB2" },
	{ "group_loss", "Group loss (MSE)" },
};

static void
summary_cell(char *buf, size_t size, const cJSON *a, const char *key)
{
	const cJSON *sum = aud_json_get(a, "summary");
	const cJSON *sci = aud_json_get(a, "summary_ci");

	if (sci == NULL)
		sci = aud_json_get(sum, "ci");
	cell_value(buf, size, aud_json_num(sum, key), aud_json_get(sci, key));
}

static int
summary_table(struct aud__rctx *c, const struct aud__rdoc *d, const cJSON *a)
{
	static const struct aud__col cols[] = {
		{ "Measure", 0.40, AUD__LEFT }, { "Difference (max \xE2\x88\x92 min)", 0.30, AUD__RIGHT },
		{ "Ratio (min / max)", 0.30, AUD__RIGHT },
	};
	const struct measure *ms = is_multiclass(d) ? mc_measures : rg_measures;
	size_t nm = is_multiclass(d) ? sizeof(mc_measures) / sizeof(mc_measures[0]) :
	    sizeof(rg_measures) / sizeof(rg_measures[0]), k;
	const cJSON *sum = aud_json_get(a, "summary");
	struct aud__table t;
	int rc;

	if (!cJSON_IsObject(sum))
		return 0;
	rc = aud__rep_table_begin(c, &t, cols, 3, AUD__SMALL);
	for (k = 0; rc == 0 && k < nm; k++) {
		struct aud__row row;
		char dk[64], rk[64];

		snprintf(dk, sizeof(dk), "%s_difference", ms[k].key);
		snprintf(rk, sizeof(rk), "%s_ratio", ms[k].key);
		if (aud_json_get(sum, dk) == NULL && aud_json_get(sum, rk) == NULL)
			continue;
		aud__row_init(&row);
		aud__row_set(&row, 0, "%s\n%s", ms[k].name, ms[k].key);
		summary_cell(row.buf[1], AUD__CELL, a, dk);
		summary_cell(row.buf[2], AUD__CELL, a, rk);
		rc = aud__rep_table_row(c, &t, row.cells, 0);
	}
	if (rc < 0)
		return rc;
	aud__rep_table_end(c, &t);
	return 0;
}

/* Per class: the differences and ratios of recall, precision and selection rate. */
static int
class_summary_table(struct aud__rctx *c, const cJSON *a)
{
	static const struct aud__col cols[] = {
		{ "Class", 0.22, AUD__LEFT }, { "Recall diff.", 0.13, AUD__RIGHT },
		{ "Recall ratio", 0.13, AUD__RIGHT }, { "Precision diff.", 0.13, AUD__RIGHT },
		{ "Precision ratio", 0.13, AUD__RIGHT }, { "Sel. rate diff.", 0.13, AUD__RIGHT },
		{ "Sel. rate ratio", 0.13, AUD__RIGHT },
	};
	static const char *const keys[] = {
		"recall_difference", "recall_ratio", "precision_difference", "precision_ratio",
		"selection_rate_difference", "selection_rate_ratio",
	};
	const cJSON *pc = aud_json_get(a, "per_class"), *e;
	struct aud__table t;
	size_t k, shown = 0;
	int rc;

	if (!cJSON_IsObject(pc))
		pc = aud_json_get(aud_json_get(a, "summary"), "per_class");
	if (!cJSON_IsObject(pc) || pc->child == NULL)
		return 0;
	rc = aud__rep_heading(c, 2, "Per class: differences and ratios between groups");
	if (rc == 0)
		rc = aud__rep_table_begin(c, &t, cols, 7, AUD__SMALL);
	cJSON_ArrayForEach(e, pc) {
		struct aud__row row;

		if (rc < 0 || shown >= 40)
			break;
		aud__row_init(&row);
		aud__row_set(&row, 0, "%s", aud__or(e->string, "?"));
		for (k = 0; k < 6; k++)
			aud__fmt_value(row.buf[1 + k], AUD__CELL, aud_json_num(e, keys[k]));
		rc = aud__rep_table_row(c, &t, row.cells, 0);
		shown++;
	}
	if (rc < 0)
		return rc;
	aud__rep_table_end(c, &t);
	return 0;
}

/* ---- group tables ---- */

static void
group_label(struct aud__row *row, const cJSON *a, const cJSON *g, int *any_small)
{
	const char *ref = aud_json_str(a, "reference");
	int small = aud_json_bool(g, "small");

	*any_small |= small;
	aud__row_set(row, 0, "%s%s%s", gname(g), small ? " *" : "",
	    ref != NULL && strcmp(ref, gname(g)) == 0 ? " (reference)" : "");
}

/* A row's cells: the value and interval of each key, rates or any values. */
typedef void cell_fn(char *buf, size_t size, double v, const cJSON *ci);

/* The groups' table, then a bold row of all rows: name, n, then each key. */
static int
group_table(struct aud__rctx *c, const cJSON *a, const cJSON *ov, const struct aud__col *cols,
    const char *const *keys, size_t nkeys, cell_fn *cell, int *any_small)
{
	const cJSON *g = NULL;
	struct aud__table t;
	size_t k;
	int rc, last = 0;

	rc = aud__rep_table_begin(c, &t, cols, 2 + nkeys, AUD__SMALL);
	g = cJSON_IsArray(aud_json_get(a, "groups")) ? aud_json_get(a, "groups")->child : NULL;
	while (rc == 0 && !last) {
		struct aud__row row;
		const cJSON *x = g;

		if (g == NULL) {
			/* the overall row last, when the document has one */
			last = 1;
			x = ov;
			if (!cJSON_IsObject(ov))
				break;
		}
		aud__row_init(&row);
		if (last)
			aud__row_set(&row, 0, "all rows");
		else
			group_label(&row, a, x, any_small);
		aud__fmt_value(row.buf[1], AUD__CELL, gnum(x, "count"));
		for (k = 0; k < nkeys; k++)
			cell(row.buf[2 + k], AUD__CELL, gnum(x, keys[k]), gci(x, keys[k]));
		rc = aud__rep_table_row(c, &t, row.cells, last);
		if (g != NULL)
			g = g->next;
	}
	if (rc < 0)
		return rc;
	aud__rep_table_end(c, &t);
	return 0;
}

static int
mc_group_table(struct aud__rctx *c, const cJSON *a, const cJSON *ov, int *any_small)
{
	static const struct aud__col cols[] = {
		{ "Group", 0.20, AUD__LEFT }, { "n", 0.08, AUD__RIGHT },
		{ "Accuracy", 0.12, AUD__RIGHT }, { "Balanced accuracy", 0.15, AUD__RIGHT },
		{ "Macro F1", 0.15, AUD__RIGHT }, { "Macro precision", 0.15, AUD__RIGHT },
		{ "Macro recall", 0.15, AUD__RIGHT },
	};
	static const char *const keys[] = {
		"accuracy", "balanced_accuracy", "macro_f1", "macro_precision", "macro_recall",
	};

	return group_table(c, a, ov, cols, keys, 5, cell_rate, any_small);
}

/* Per class, one value per group: recall or selection rate. */
static int
mc_class_table(struct aud__rctx *c, const cJSON *res, const cJSON *a, const char *key,
    const char *title)
{
	struct aud__col cols[1 + MAX_CLASSES];
	const char *cls[MAX_CLASSES];
	size_t total, n = classes(cls, res, &total), k;
	const cJSON *g;
	struct aud__table t;
	int rc;

	if (n == 0)
		return 0;
	cols[0].title = "Group";
	cols[0].width = 0.20;
	cols[0].align = AUD__LEFT;
	for (k = 0; k < n; k++) {
		cols[1 + k].title = cls[k];
		cols[1 + k].width = 0.80 / (double)n;
		cols[1 + k].align = AUD__RIGHT;
	}
	rc = aud__rep_heading(c, 2, title);
	if (rc == 0 && total > n)
		rc = aud__rep_para(c, "(the first %d of %zu classes)", MAX_CLASSES, total);
	if (rc == 0)
		rc = aud__rep_table_begin(c, &t, cols, 1 + n, AUD__SMALL);
	cJSON_ArrayForEach(g, aud_json_get(a, "groups")) {
		struct aud__row row;

		if (rc < 0)
			break;
		aud__row_init(&row);
		aud__row_set(&row, 0, "%s", gname(g));
		for (k = 0; k < n; k++) {
			const cJSON *e = per_class(g, cls[k]);
			const cJSON *ci = aud_json_get(aud_json_get(gci(g, "per_class"), cls[k]), key);

			if (ci == NULL)
				ci = aud_json_get(aud_json_get(e, "ci"), key);
			cell_rate(row.buf[1 + k], AUD__CELL, aud_json_num(e, key), ci);
		}
		rc = aud__rep_table_row(c, &t, row.cells, 0);
	}
	if (rc < 0)
		return rc;
	aud__rep_table_end(c, &t);
	return 0;
}

static int
rg_group_table(struct aud__rctx *c, const cJSON *a, const cJSON *ov, int *any_small)
{
	static const struct aud__col cols[] = {
		{ "Group", 0.15, AUD__LEFT }, { "n", 0.07, AUD__RIGHT },
		{ "Mean prediction", 0.13, AUD__RIGHT }, { "Mean label", 0.13, AUD__RIGHT },
		{ "MAE", 0.12, AUD__RIGHT }, { "RMSE", 0.12, AUD__RIGHT },
		{ "R\xC2\xB2", 0.16, AUD__RIGHT }, { "Group loss", 0.12, AUD__RIGHT },
	};
	static const char *const keys[] = {
		"mean_prediction", "mean_label", "mae", "rmse", "r2", "group_loss",
	};

	return group_table(c, a, ov, cols, keys, 6, cell_value, any_small);
}

/* ---- the chart ---- */

static int
group_chart(struct aud__rctx *c, const struct aud__rdoc *d, const cJSON *a)
{
	const char *key = is_multiclass(d) ? "accuracy" : "mae";
	const cJSON *ov = aud_json_get(aud_json_get(d->json, "results"), "overall");
	struct aud__bar bars[MAX_GROUPS] = { { NULL, 0, 0, 0, 0, 0 } };
	char labels[MAX_GROUPS][160], xl[256], ob[32];
	struct aud__hbar_opts o = AUD__HBAR_OPTS_INIT;
	const cJSON *g;
	size_t n = 0, total = (size_t)cJSON_GetArraySize(aud_json_get(a, "groups"));
	double h, ovv = gnum(ov, key);
	int rc;

	cJSON_ArrayForEach(g, aud_json_get(a, "groups")) {
		if (n >= MAX_GROUPS)
			break;
		snprintf(labels[n], sizeof(labels[n]), "%s%s", gname(g),
		    aud_json_bool(g, "small") ? " *" : "");
		bars[n].label = labels[n];
		bars[n].value = gnum(g, key);
		aud_json_ci(gci(g, key), &bars[n].lo, &bars[n].hi);
		bars[n].hatched = aud_json_bool(g, "small");
		n++;
	}
	if (n == 0)
		return 0;
	if (is_multiclass(d)) {
		o.title = total > n ? "Accuracy per group (the first 24 groups)" :
		    "Accuracy per group";
		o.axis_lo = 0;
		o.axis_hi = 1;
		o.decimals = 3;
	} else {
		o.title = total > n ? "MAE per group (the first 24 groups)" :
		    "MAE (mean absolute error) per group";
		o.axis_lo = 0;
		o.decimals = 2;
	}
	aud__fmt_value(ob, sizeof(ob), ovv);
	snprintf(xl, sizeof(xl), "%s with 95%% interval; hatched: a small group%s%s",
	    is_multiclass(d) ? "accuracy" : "MAE (lower is better)",
	    isnan(ovv) ? "" : "; line: all rows, ", isnan(ovv) ? "" : ob);
	o.x_label = xl;
	o.ref = ovv;
	h = aud__chart_hbars_height(n) + 8;
	rc = aud__rep_need(c, h);
	if (rc == 0)
		rc = aud__chart_hbars(c->pdf, c->left, c->y, aud__rep_width(c), bars, n, &o,
		    c->err);
	c->y -= h;
	return rc;
}

/* ---- findings ---- */

/* The lowest and highest group of a metric. */
static void
extremes(const cJSON *a, const char *key, const cJSON **lo, const cJSON **hi)
{
	const cJSON *g;
	double mn = INFINITY, mx = -INFINITY;

	*lo = *hi = NULL;
	cJSON_ArrayForEach(g, aud_json_get(a, "groups")) {
		double v = gnum(g, key);

		if (isnan(v))
			continue;
		if (v < mn) {
			mn = v;
			*lo = g;
		}
		if (v > mx) {
			mx = v;
			*hi = g;
		}
	}
}

/* The finding of one attribute, in words. */
static void
finding(char *buf, size_t size, const struct aud__rdoc *d, const cJSON *a)
{
	const char *key = is_multiclass(d) ? "accuracy" : "mae";
	const char *name = is_multiclass(d) ? "accuracy" : "MAE";
	const cJSON *sum = aud_json_get(a, "summary"), *lo, *hi;
	char b1[32], b2[32], b3[32], b4[32], small[256] = "";
	char dk[64], rk[64];
	size_t used;

	extremes(a, key, &lo, &hi);
	if (lo == NULL) {
		snprintf(buf, size, "'%s': the %s of every group is undefined.",
		    aud__or(aud_json_str(a, "attribute"), "?"), name);
		return;
	}
	snprintf(dk, sizeof(dk), "%s_difference", key);
	snprintf(rk, sizeof(rk), "%s_ratio", key);
	if (is_multiclass(d)) {
		aud__fmt_rate(b1, sizeof(b1), gnum(lo, key));
		aud__fmt_rate(b2, sizeof(b2), gnum(hi, key));
	} else {
		aud__fmt_value(b1, sizeof(b1), gnum(lo, key));
		aud__fmt_value(b2, sizeof(b2), gnum(hi, key));
	}
	aud__fmt_value(b3, sizeof(b3), aud_json_num(sum, dk));
	aud__fmt_value(b4, sizeof(b4), aud_json_num(sum, rk));
	if (aud_json_bool(is_multiclass(d) ? lo : hi, "small"))
		snprintf(small, sizeof(small), " ('%s' is a small group, n = %.0f: read its "
		    "interval)", gname(is_multiclass(d) ? lo : hi),
		    gnum(is_multiclass(d) ? lo : hi, "count"));
	used = (size_t)snprintf(buf, size, "'%s' (%s): %s ranges from %s ('%s') to %s ('%s'); "
	    "difference %s, ratio %s%s.", aud__or(aud_json_str(a, "attribute"), "?"),
	    is_multiclass(d) ? "multi-class" : "regression", name, b1, gname(lo), b2, gname(hi),
	    b3, b4, small);
	if (!is_multiclass(d) && used < size) {
		const cJSON *bgl = aud_json_get(sum, "bounded_group_loss");

		if (cJSON_IsObject(bgl)) {
			aud__fmt_value(b1, sizeof(b1), aud_json_num(bgl, "value"));
			snprintf(buf + used, size - used, " The largest group loss (%s error, "
			    "Fairlearn's bounded group loss) is %s, in '%s'.",
			    aud__or(aud_json_str(bgl, "loss"), "squared"), b1,
			    aud__or(aud_json_str(bgl, "group"), "?"));
		}
	}
}

/* ---- one attribute, one document ---- */

static int
draw_attribute(struct aud__rctx *c, const struct aud__rdoc *d, const cJSON *a)
{
	const cJSON *res = aud_json_get(d->json, "results");
	const cJSON *ov = aud_json_get(res, "overall");
	const char *ref = aud_json_str(a, "reference");
	double ms = aud_json_num(aud_json_get(d->json, "params"), "min_group_size");
	char head[512], buf[2048];
	int any_small = 0, rc;

	snprintf(head, sizeof(head), "Attribute '%s' (%s)", aud__or(aud_json_str(a, "attribute"),
	    "?"), is_multiclass(d) ? "multi-class" : "regression");
	rc = aud__rep_heading(c, 1, head);
	if (rc == 0 && ref != NULL)
		rc = aud__rep_para(c, "Reference group: '%s'.", ref);
	if (rc == 0)
		rc = aud__rep_heading(c, 2, "Summaries between groups (Fairlearn's "
		    "MetricFrame.difference() and .ratio())");
	if (rc == 0)
		rc = summary_table(c, d, a);
	if (rc == 0)
		rc = aud__rep_heading(c, 2, "Groups (value, and its 95% interval below)");
	if (rc == 0)
		rc = is_multiclass(d) ? mc_group_table(c, a, ov, &any_small) :
		    rg_group_table(c, a, ov, &any_small);
	if (rc == 0 && any_small) {
		char mb[32] = "--min-group-size";

		if (!isnan(ms))
			snprintf(mb, sizeof(mb), "%.0f", ms);
		rc = aud__rep_para(c, "* small group: fewer rows than the minimum group size "
		    "(%s); its values are uncertain (wide intervals). Drawn hatched.", mb);
	}
	if (rc == 0 && is_multiclass(d))
		rc = mc_class_table(c, res, a, "recall", "Per-class recall (value, and its 95% "
		    "interval below)");
	if (rc == 0 && is_multiclass(d))
		rc = mc_class_table(c, res, a, "selection_rate", "Per-class selection rate "
		    "(share of the group's rows predicted as the class)");
	if (rc == 0 && is_multiclass(d))
		rc = class_summary_table(c, a);
	if (rc == 0)
		rc = group_chart(c, d, a);
	if (rc < 0)
		return rc;
	finding(buf, sizeof(buf), d, a);
	return aud__rep_bullet(c, "%s", buf);
}

static int
draw_doc(struct aud__rctx *c, const struct aud__rdoc *d)
{
	const cJSON *res = aud_json_get(d->json, "results");
	const cJSON *p = aud_json_get(d->json, "params");
	const cJSON *a;
	const char *cls[MAX_CLASSES];
	char cl[512] = "";
	size_t total, n, k, used = 0;
	int rc;

	if (is_multiclass(d)) {
		n = classes(cls, res, &total);
		for (k = 0; k < n; k++) {
			int w = snprintf(cl + used, sizeof(cl) - used, "%s'%s'", k ? ", " : "", cls[k]);

			if (w < 0 || (size_t)w >= sizeof(cl) - used)
				break;
			used += (size_t)w;
		}
		rc = aud__rep_para(c, "%s: the multi-class predictions '%s' against the label "
		    "'%s' on %s; classes %s%s. Metrics are scikit-learn's per group (macro means "
		    "over the classes present); intervals are Wilson's for accuracy and the "
		    "per-class rates, bootstrap for the others.", d->name,
		    aud__or(aud_json_str(p, "pred"), "?"), aud__or(aud_json_str(p, "label"), "?"),
		    aud__or(aud_json_str(aud_json_get(d->json, "input"), "path"), "(input not named)"),
		    n > 0 ? cl : "(not listed)", total > n ? " and more" : "");
	} else {
		rc = aud__rep_para(c, "%s: the regression predictions '%s' against the label "
		    "'%s' on %s. Metrics are scikit-learn's per group; intervals are Student's t "
		    "for the two means, bootstrap for the errors and R\xC2\xB2. The group loss is "
		    "the group's mean squared error (Fairlearn's bounded group loss takes the "
		    "largest).", d->name, aud__or(aud_json_str(p, "pred"), "?"),
		    aud__or(aud_json_str(p, "label"), "?"),
		    aud__or(aud_json_str(aud_json_get(d->json, "input"), "path"), "(input not named)"));
	}
	cJSON_ArrayForEach(a, aud_json_get(res, "attributes")) {
		if (rc < 0)
			break;
		rc = draw_attribute(c, d, a);
	}
	return rc;
}

/* ---- the section ---- */

int
aud__report_fairness_tasks(struct aud__rctx *c)
{
	const struct aud__rdoc *docs[64];
	size_t nm = aud__rep_docs(c->r, AUD_REPORT_FAIRNESS_MULTICLASS, NULL, 0);
	size_t nr = aud__rep_docs(c->r, AUD_REPORT_FAIRNESS_REGRESSION, NULL, 0);
	size_t i, k, n;
	int rc;

	if (nm + nr == 0)
		return 0;
	rc = aud__rep_heading(c, 0, nm > 0 && nr > 0 ? "Fairness: multi-class and regression" :
	    nm > 0 ? "Fairness: multi-class" : "Fairness: regression");
	if (rc == 0)
		rc = aud__rep_para(c, "Group fairness of models that are not binary classifiers "
		    "(audit-fair --task): each group's metrics and how far apart the groups are, "
		    "as the difference between the largest and the smallest value and as their "
		    "ratio (1 is parity).");
	for (k = 0; rc == 0 && k < 2; k++) {
		n = aud__rep_docs(c->r, k == 0 ? AUD_REPORT_FAIRNESS_MULTICLASS :
		    AUD_REPORT_FAIRNESS_REGRESSION, docs, 64);
		if (n > 64)
			n = 64;
		for (i = 0; rc == 0 && i < n; i++)
			rc = draw_doc(c, docs[i]);
	}
	return rc;
}

/*
 * The finding in plain words: multi-class, the accuracy of the worst and
 * best groups with their intervals and the gap in points; regression, the
 * mean absolute error of the worst and best groups and their ratio.
 */
static void
plain_words(char *buf, size_t size, const struct aud__rdoc *d, const cJSON *a)
{
	const char *key = is_multiclass(d) ? "accuracy" : "mae";
	const cJSON *lo, *hi;
	double vlo, vhi, l1, h1, l2, h2;
	char b1[32], b2[32], c1[96], c2[96];

	buf[0] = '\0';
	extremes(a, key, &lo, &hi);
	if (lo == NULL || hi == NULL || lo == hi)
		return;
	vlo = gnum(lo, key);
	vhi = gnum(hi, key);
	aud_json_ci(gci(lo, key), &l1, &h1);
	aud_json_ci(gci(hi, key), &l2, &h2);
	if (is_multiclass(d)) {
		aud__words_pct(b1, sizeof(b1), vlo);
		aud__words_pct(b2, sizeof(b2), vhi);
		aud__words_pct_ci(c1, sizeof(c1), l1, h1);
		aud__words_pct_ci(c2, sizeof(c2), l2, h2);
		snprintf(buf, size, "In plain words: the model predicts the right class for %s "
		    "of the rows of '%s'%s, against %s of '%s'%s: %.1f points less.", b1, gname(lo),
		    c1, b2, gname(hi), c2, (vhi - vlo) * 100);
		return;
	}
	aud__words_num(b1, sizeof(b1), vhi);
	aud__words_num(b2, sizeof(b2), vlo);
	aud__words_ci(c1, sizeof(c1), l2, h2);
	aud__words_ci(c2, sizeof(c2), l1, h1);
	/* " (95% CI a to b)" becomes " (mean absolute error, 95% CI a to b)" */
	if (vlo > 0)
		snprintf(buf, size, "In plain words: predictions for '%s' are off by %s on average "
		    "(mean absolute error%s%s, against %s for '%s'%s: %.2g times as much.", gname(hi),
		    b1, c1[0] != '\0' ? ", " : ")", c1[0] != '\0' ? c1 + 2 : "", b2, gname(lo), c2,
		    vhi / vlo);
	else
		snprintf(buf, size, "In plain words: predictions for '%s' are off by %s on average "
		    "(mean absolute error%s%s, against %s for '%s'%s.", gname(hi), b1,
		    c1[0] != '\0' ? ", " : ")", c1[0] != '\0' ? c1 + 2 : "", b2, gname(lo), c2);
}

int
aud__report_task_finding(struct aud__rctx *c, const struct aud__rdoc *d)
{
	const cJSON *a;
	char buf[2048];
	int rc = 0;

	cJSON_ArrayForEach(a, aud_json_path(d->json, "results.attributes")) {
		finding(buf, sizeof(buf), d, a);
		rc = aud__rep_bullet(c, "%s", buf);
		if (rc < 0)
			break;
		plain_words(buf, sizeof(buf), d, a);
		if (buf[0] != '\0')
			rc = aud__rep_bullet(c, "%s", buf);
		if (rc < 0)
			break;
	}
	return rc;
}
