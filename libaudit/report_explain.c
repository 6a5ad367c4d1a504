/*
 * report_explain.c — the explanations section: global importance bars
 * (mean |attribution| with intervals), per-group mean attributions, the
 * proxy table (each feature's association with each protected attribute
 * beside its importance), a beeswarm and dependence plots of the sampled
 * rows (results.points), local explanations as waterfalls that name each
 * feature's value, the decision and the label, and partial dependence with
 * its ICE curves.
 * Reads audit-explain's `results` (docs/json.md).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_explain.h"
#include "report_impl.h"

#define MAX_FEATURES 48
#define MAX_LOCAL 3
#define PROXY_STRONG 0.3

struct feat {
	char name[128];
	double imp, mean, lo, hi, rank;
	const cJSON *obj;
};

static double
first_num(const cJSON *o, const char *const *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		double v = aud_json_num(o, keys[i]);

		if (!isnan(v))
			return v;
	}
	return NAN;
}

static void
read_feat(struct feat *f, const char *name, const cJSON *e, const char *metric)
{
	static const char *const imp_keys[] = { "mean_abs", "importance", "mean_abs_shap",
		"drop", "value" };
	const cJSON *ci = aud_json_get(e, "ci");

	snprintf(f->name, sizeof(f->name), "%s", name != NULL ? name : "?");
	f->obj = e;
	if (cJSON_IsNumber(e)) {
		f->imp = e->valuedouble;
		f->mean = f->lo = f->hi = f->rank = NAN;
		return;
	}
	f->imp = first_num(e, imp_keys, sizeof(imp_keys) / sizeof(imp_keys[0]));
	if (isnan(f->imp) && metric != NULL && cJSON_IsObject(aud_json_get(e, metric))) {
		/* permutation importance: {"<metric>": {"mean", "sd", "ci"}} */
		f->imp = aud_json_num(aud_json_get(e, metric), "mean");
		f->mean = f->rank = NAN;
		f->rank = aud_json_num(e, "rank");
		aud_json_ci(aud_json_get(aud_json_get(e, metric), "ci"), &f->lo, &f->hi);
		return;
	}
	f->mean = aud_json_num(e, "mean");
	f->rank = aud_json_num(e, "rank");
	aud_json_ci(aud_json_get(ci, "mean_abs"), &f->lo, &f->hi);
	if (isnan(f->lo))
		aud_json_ci(ci, &f->lo, &f->hi);
	if (isnan(f->lo))
		aud_json_ci(aud_json_get(e, "mean_abs_ci"), &f->lo, &f->hi);
	if (isnan(f->lo))
		aud_json_ci(aud_json_get(e, "importance_ci"), &f->lo, &f->hi);
}

/* A list of objects, or an object of objects or numbers (not a list of names). */
static int
is_summary(const cJSON *v)
{
	const cJSON *e;

	if (cJSON_IsObject(v))
		return v->child != NULL;
	if (!cJSON_IsArray(v) || v->child == NULL)
		return 0;
	cJSON_ArrayForEach(e, v)
		if (!cJSON_IsObject(e))
			return 0;
	return 1;
}

/* The global summary: results.importance (or .features/.global), a list of
 * {"feature", ...} or an object feature -> {...}. */
static size_t
read_features(struct feat *fs, const cJSON *res)
{
	static const char *const keys[] = { "importance", "features", "global" };
	const char *metric = aud_json_str(res, "metric");
	const cJSON *v = NULL, *e;
	size_t i, n = 0;

	for (i = 0; i < 3 && v == NULL; i++) {
		v = aud_json_get(res, keys[i]);
		if (!is_summary(v))
			v = NULL;
	}
	cJSON_ArrayForEach(e, v) {
		const char *nm = cJSON_IsArray(v) ? aud_json_str(e, "feature") : e->string;

		if (nm == NULL)
			nm = aud_json_str(e, "name");
		if (n < MAX_FEATURES)
			read_feat(&fs[n++], nm, e, metric);
	}
	return n;
}

static int
cmp_feat(const void *a, const void *b)
{
	const struct feat *x = a, *y = b;
	double ix = isnan(x->imp) ? -INFINITY : x->imp, iy = isnan(y->imp) ? -INFINITY : y->imp;

	if (!isnan(x->rank) && !isnan(y->rank) && x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (ix != iy)
		return ix < iy ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* What permutation importance measures: the change of its ranking metric
 * when a feature is shuffled ("drop in accuracy", "drop in AUC", "rise in
 * log loss"). */
static void
perm_measure(char *buf, size_t size, const char *metric)
{
	if (metric == NULL)
		snprintf(buf, size, "drop in the metric");
	else if (strcmp(metric, "log_loss") == 0)
		snprintf(buf, size, "rise in log loss");
	else if (strcmp(metric, "auc") == 0)
		snprintf(buf, size, "drop in AUC");
	else
		snprintf(buf, size, "drop in %s", metric);
}

static int
is_permutation(const char *method)
{
	return method != NULL && strcmp(method, "permutation") == 0;
}

static int
draw_importance(struct aud__rctx *c, struct feat *fs, size_t n, const char *method,
    const char *metric)
{
	struct aud__bar bars[MAX_FEATURES] = { { NULL, 0, 0, 0, 0, 0 } };
	struct aud__hbar_opts o = AUD__HBAR_OPTS_INIT;
	char title[256], xl[160], ms[64];
	double h = aud__chart_hbars_height(n) + 8;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		bars[i].label = fs[i].name;
		bars[i].value = fs[i].imp;
		bars[i].lo = fs[i].lo;
		bars[i].hi = fs[i].hi;
		bars[i].hatched = 0;
	}
	perm_measure(ms, sizeof(ms), metric);
	if (is_permutation(method)) {
		snprintf(title, sizeof(title), "Global importance (permutation: %s)", ms);
		snprintf(xl, sizeof(xl), "%s when the feature is shuffled, with 95%% interval", ms);
	} else {
		snprintf(title, sizeof(title), "Global importance%s%s%s",
		    method ? " (" : "", method ? method : "", method ? ")" : "");
		snprintf(xl, sizeof(xl), "mean |attribution| over the explained rows, with 95%% "
		    "interval");
	}
	o.title = title;
	o.x_label = xl;
	o.decimals = 4;
	rc = aud__rep_need(c, h);
	if (rc == 0)
		rc = aud__chart_hbars(c->pdf, c->left, c->y, aud__rep_width(c), bars, n, &o, c->err);
	c->y -= h;
	return rc;
}

/* A feature's value in a group's attribution object: {feature: v} or a list. */
static double
group_attr(const cJSON *g, const char *feature)
{
	const cJSON *m = aud_json_get(g, "mean");
	const cJSON *e;

	if (m == NULL)
		m = aud_json_get(g, "attributions");
	if (m == NULL)
		m = aud_json_get(g, "features");
	if (m == NULL)
		m = g;
	if (cJSON_IsObject(m)) {
		const cJSON *v = aud_json_get(m, feature);

		if (cJSON_IsNumber(v))
			return v->valuedouble;
		return aud_json_num(v, "mean");
	}
	cJSON_ArrayForEach(e, m) {
		const char *nm = aud_json_str(e, "feature");

		if (nm != NULL && strcmp(nm, feature) == 0)
			return aud_json_num(e, "mean");
	}
	return NAN;
}

/* One table per protected attribute: features (rows) by groups (columns). */
static int
draw_by_group_attr(struct aud__rctx *c, const char *attr, const cJSON *groups,
    const struct feat *fs, size_t nf)
{
	struct aud__col cols[AUD__MAXCOLS];
	char names[AUD__MAXCOLS][96];
	const cJSON *gs[AUD__MAXCOLS];
	struct aud__table t;
	const cJSON *g;
	size_t ng = 0, i, j;
	char head[256];
	int rc;

	cols[0].title = "Feature";
	cols[0].width = 0.3;
	cols[0].align = AUD__LEFT;
	cJSON_ArrayForEach(g, groups) {
		const char *gn = cJSON_IsArray(groups) ? aud_json_str(g, "group") : g->string;

		if (ng + 1 >= AUD__MAXCOLS)
			break;
		snprintf(names[ng], sizeof(names[ng]), "%s", gn != NULL ? gn : "?");
		gs[ng] = g;
		cols[ng + 1].title = names[ng];
		cols[ng + 1].width = 0.7 / 8;
		cols[ng + 1].align = AUD__RIGHT;
		ng++;
	}
	if (ng == 0)
		return 0;
	for (i = 1; i <= ng; i++)
		cols[i].width = ng > 8 ? 0.7 / (double)ng : 0.7 / 8;
	snprintf(head, sizeof(head), "Mean attribution by group of '%s'", attr);
	rc = aud__rep_heading(c, 2, head);
	if (rc == 0)
		rc = aud__rep_table_begin(c, &t, cols, ng + 1, AUD__SMALL);
	for (i = 0; rc == 0 && i < nf; i++) {
		struct aud__row row;

		aud__row_init(&row);
		aud__row_set(&row, 0, "%s", fs[i].name);
		for (j = 0; j < ng; j++)
			aud__fmt_num(row.buf[j + 1], AUD__CELL, group_attr(gs[j], fs[i].name), 4, 1);
		rc = aud__rep_table_row(c, &t, row.cells, 0);
	}
	if (rc == 0)
		aud__rep_table_end(c, &t);
	return rc;
}

static int
draw_by_group(struct aud__rctx *c, const cJSON *bg, const struct feat *fs, size_t nf)
{
	const cJSON *e;
	int rc = 0;

	if (bg == NULL)
		return 0;
	rc = aud__rep_heading(c, 1, "Attribution per group");
	if (rc == 0)
		rc = aud__rep_para(c, "The mean attribution of each feature over each protected "
		    "group's rows: a feature whose mean is negative for one group and positive for "
		    "another pushes that group's scores down.");
	if (cJSON_IsObject(bg)) {
		cJSON_ArrayForEach(e, bg) {
			if (rc < 0)
				break;
			rc = draw_by_group_attr(c, e->string, e, fs, nf);
		}
	} else {
		cJSON_ArrayForEach(e, bg) {
			const cJSON *groups = aud_json_get(e, "groups");

			if (rc < 0)
				break;
			if (groups != NULL)
				rc = draw_by_group_attr(c, aud_json_str(e, "attribute") ?
				    aud_json_str(e, "attribute") : "?", groups, fs, nf);
		}
	}
	return rc;
}

/* The association of a proxy entry with an attribute: a number or {"value"}. */
static double
assoc_value(const cJSON *v, const char **measure)
{
	*measure = NULL;
	if (cJSON_IsNumber(v))
		return v->valuedouble;
	*measure = aud_json_str(v, "measure");
	if (!isnan(aud_json_num(v, "value")))
		return aud_json_num(v, "value");
	if (!isnan(aud_json_num(v, "cramers_v"))) {
		*measure = "Cram\xC3\xA9r's V";
		return aud_json_num(v, "cramers_v");
	}
	if (!isnan(aud_json_num(v, "correlation_ratio"))) {
		*measure = "correlation ratio";
		return aud_json_num(v, "correlation_ratio");
	}
	return NAN;
}

/*
 * The proxy table: results.proxy (or .proxies), a list of {"feature",
 * "importance", "association": {attr: v | {"measure","value"}}} or a list
 * of {"feature","attribute","measure","value"}, or an object feature -> ....
 */
static int
draw_proxy(struct aud__rctx *c, const cJSON *px, const struct feat *fs, size_t nf,
    const char *imp_title)
{
	struct aud__col cols[] = {
		{ "Feature", 0.2, AUD__LEFT }, { "Importance", 0.12, AUD__RIGHT },
		{ "Protected attribute", 0.18, AUD__LEFT }, { "Measure", 0.19, AUD__LEFT },
		{ "Association", 0.12, AUD__RIGHT }, { "Flag", 0.19, AUD__LEFT },
	};
	struct aud__table t;
	const cJSON *e;
	int rc, flagged = 0;

	if (px == NULL)
		return 0;
	cols[1].title = imp_title;
	rc = aud__rep_heading(c, 1, "Proxy table");
	if (rc == 0)
		rc = aud__rep_para(c, "Each feature's association with each protected attribute "
		    "(Cram\xC3\xA9r's V for a categorical feature, the correlation ratio for a "
		    "numeric one; 0 none, 1 the feature determines the attribute) beside its "
		    "importance. A feature the model leans on that is strongly associated with a "
		    "protected attribute is a proxy: the model can discriminate through it without "
		    "using the attribute. Flagged: association of at least %.1f.", PROXY_STRONG);
	if (rc == 0)
		rc = aud__rep_table_begin(c, &t, cols, 6, AUD__SMALL);
	cJSON_ArrayForEach(e, px) {
		const char *fname = cJSON_IsArray(px) ? aud_json_str(e, "feature") : e->string;
		const cJSON *as = aud_json_get(e, "association");
		double imp = aud_json_num(e, "importance");
		const cJSON *a;
		size_t k;

		if (rc < 0)
			break;
		if (as == NULL)
			as = aud_json_get(e, "associations");
		if (isnan(imp))
			imp = aud_json_num(e, "mean_abs");
		for (k = 0; isnan(imp) && fname != NULL && k < nf; k++)
			if (strcmp(fs[k].name, fname) == 0)
				imp = fs[k].imp;
		if (as == NULL && aud_json_str(e, "attribute") != NULL) {
			/* flat: one row per (feature, attribute) */
			struct aud__row row;
			const char *ms;
			double v = assoc_value(e, &ms);
			int strong = !isnan(v) && v >= PROXY_STRONG;

			aud__row_init(&row);
			aud__row_set(&row, 0, "%s", fname != NULL ? fname : "?");
			aud__fmt_num(row.buf[1], AUD__CELL, imp, 4, 0);
			aud__row_set(&row, 2, "%s", aud_json_str(e, "attribute"));
			aud__row_set(&row, 3, "%s", ms != NULL ? ms : "");
			aud__fmt_num(row.buf[4], AUD__CELL, v, 3, 0);
			aud__row_set(&row, 5, "%s", strong ? "possible proxy" : "");
			flagged |= strong;
			rc = aud__rep_table_row(c, &t, row.cells, strong);
			continue;
		}
		cJSON_ArrayForEach(a, as) {
			struct aud__row row;
			const char *ms;
			double v = assoc_value(a, &ms);
			int strong = !isnan(v) && v >= PROXY_STRONG;
			const char *an = cJSON_IsArray(as) ? aud_json_str(a, "attribute") : a->string;

			if (rc < 0)
				break;
			aud__row_init(&row);
			aud__row_set(&row, 0, "%s", fname != NULL ? fname : "?");
			aud__fmt_num(row.buf[1], AUD__CELL, imp, 4, 0);
			aud__row_set(&row, 2, "%s", an != NULL ? an : "?");
			aud__row_set(&row, 3, "%s", ms != NULL ? ms : "");
			aud__fmt_num(row.buf[4], AUD__CELL, v, 3, 0);
			aud__row_set(&row, 5, "%s", strong ? "possible proxy" : "");
			flagged |= strong;
			rc = aud__rep_table_row(c, &t, row.cells, strong);
		}
	}
	if (rc == 0)
		aud__rep_table_end(c, &t);
	if (rc == 0 && !flagged)
		rc = aud__rep_para(c, "No feature reaches an association of %.1f with a protected "
		    "attribute: no strong proxy was found.", PROXY_STRONG);
	return rc;
}

#define MAX_STEPS 10

/* One local explanation as a waterfall: "age = 37" per step, at most
 * MAX_STEPS of them (the rest summed into one), the decision at the
 * threshold and the label when the document has them. */
static int
draw_waterfall(struct aud__rctx *c, const cJSON *doc, const cJSON *e,
    struct aud__wfv_step *steps, size_t n, double base, double out, size_t shown)
{
	struct aud__wfv_opts o;
	const cJSON *p = aud_json_get(doc, "params");
	double thr = aud_json_num(p, "threshold"), h;
	const cJSON *dec = aud_json_get(e, "decision"), *lab = aud_json_get(e, "label");
	char title[256], ob[64], note[512], tb[64], lb[160], other[64];
	size_t len = 0;
	int rc;

	if (n > MAX_STEPS) {
		double rest = 0;
		size_t k;

		for (k = MAX_STEPS - 1; k < n; k++)
			rest += steps[k].delta;
		snprintf(other, sizeof(other), "%zu other features", n - (MAX_STEPS - 1));
		steps[MAX_STEPS - 1].label = other;
		steps[MAX_STEPS - 1].delta = rest;
		n = MAX_STEPS;
	}
	aud__fmt_value(ob, sizeof(ob), out);
	if (!isnan(aud_json_num(e, "row")))
		snprintf(title, sizeof(title), "Row %.0f: output %s", aud_json_num(e, "row"), ob);
	else
		snprintf(title, sizeof(title), "Explained row %zu: output %s", shown + 1, ob);
	note[0] = '\0';
	if (cJSON_IsNumber(dec) && !isnan(thr)) {
		aud__fmt_value(tb, sizeof(tb), thr);
		len += (size_t)snprintf(note + len, sizeof(note) - len,
		    "Decision at the threshold %s (dashed line): %s (output %s %s %s)", tb,
		    dec->valueint ? "positive" : "negative", ob, dec->valueint ? "\xE2\x89\xA5" : "<",
		    tb);
	}
	if (lab != NULL && len < sizeof(note)) {
		aud_json_text(lb, sizeof(lb), lab);
		len += (size_t)snprintf(note + len, sizeof(note) - len, "%slabel %s",
		    len > 0 ? "; " : "", cJSON_IsNull(lab) ? "missing" : lb);
	}
	o.title = title;
	o.base = base;
	o.threshold = cJSON_IsNumber(dec) ? thr : NAN;
	o.note = note[0] != '\0' ? note : NULL;
	h = aud__chart_waterfall_values_height(n) + 8;
	rc = aud__rep_need(c, h);
	if (rc == 0)
		aud__chart_waterfall_values(c->pdf, c->left, c->y, aud__rep_width(c), steps, n, &o);
	c->y -= h;
	return rc;
}

/* Local explanations: results.local (or .rows/.examples), each {"row",
 * "base_value", "score"|"output"|"value", "decision", "label",
 * "phi"|"attributions"|"contributions": {f: v} or [{"feature", "value",
 * "phi"}] or a list of numbers in the order of features}. */
static int
draw_local(struct aud__rctx *c, const cJSON *doc, const cJSON *res, const struct feat *fs,
    size_t nf)
{
	static const char *const keys[] = { "local", "rows", "examples" };
	const cJSON *loc = NULL, *e;
	const char *method = aud_json_str(res, "method");
	char (*labels)[160] = NULL;
	size_t i, shown = 0;
	int rc = 0;

	for (i = 0; i < 3 && loc == NULL; i++) {
		loc = aud_json_get(res, keys[i]);
		if (!cJSON_IsArray(loc))
			loc = NULL;
	}
	if (loc == NULL || cJSON_GetArraySize(loc) == 0)
		return 0;
	labels = calloc(MAX_FEATURES, sizeof(*labels));
	if (labels == NULL)
		return AUD_ERROR(c->err, AUD_ENOMEM, "out of memory");
	rc = aud__rep_heading(c, 1, "Local explanations");
	if (rc == 0)
		rc = aud__rep_para(c, "A few rows explained one at a time: starting from the base "
		    "value (%s), each feature's attribution moves the output up (orange bars) or "
		    "down (blue bars) to the row's output; each feature is named with its value in "
		    "the row, and the dashed line is the decision threshold.",
		    method != NULL && strcmp(method, "tree-path") == 0 ?
		    "the trees' mean output weighted by the training rows in each leaf" :
		    "the mean output over the background");
	cJSON_ArrayForEach(e, loc) {
		struct aud__wfv_step steps[MAX_FEATURES];
		const cJSON *phi = aud_json_get(e, "phi");
		const cJSON *p;
		double base = aud_json_num(e, "base_value");
		double out = aud_json_num(e, "score");
		size_t n = 0, k;

		if (rc < 0 || shown >= MAX_LOCAL)
			break;
		if (phi == NULL)
			phi = aud_json_get(e, "attributions");
		if (phi == NULL)
			phi = aud_json_get(e, "contributions");
		if (isnan(base))
			base = aud_json_num(res, "base_value");
		if (isnan(out))
			out = aud_json_num(e, "output");
		if (isnan(out))
			out = aud_json_num(e, "value");
		k = 0;
		cJSON_ArrayForEach(p, phi) {
			const char *nm;
			const cJSON *fv = NULL;
			double v;

			if (n >= MAX_FEATURES)
				break;
			if (cJSON_IsNumber(p)) {
				nm = cJSON_IsObject(phi) ? p->string : k < nf ? fs[k].name : "?";
				v = p->valuedouble;
			} else {
				/* {"feature", "phi", "value": the feature's value} */
				nm = aud_json_str(p, "feature");
				v = aud_json_num(p, "phi");
				if (isnan(v) && aud_json_get(p, "phi") == NULL)
					v = aud_json_num(p, "value");
				else
					fv = aud_json_get(p, "value");
			}
			k++;
			if (isnan(v) || nm == NULL)
				continue;
			if (fv != NULL) {
				char vb[96];

				if (cJSON_IsNull(fv))
					snprintf(vb, sizeof(vb), "missing");
				else if (cJSON_IsNumber(fv))
					aud__fmt_value(vb, sizeof(vb), fv->valuedouble);
				else
					aud_json_text(vb, sizeof(vb), fv);
				snprintf(labels[n], sizeof(labels[n]), "%.60s = %.80s", nm, vb);
			} else {
				snprintf(labels[n], sizeof(labels[n]), "%s", nm);
			}
			steps[n].label = labels[n];
			steps[n].delta = v;
			n++;
		}
		if (n == 0 || isnan(base))
			continue;
		/* largest contributions first, as SHAP's waterfall (labels stay with
		 * their steps: the steps point into labels) */
		{
			size_t a, b;

			for (a = 1; a < n; a++)
				for (b = a; b > 0 && fabs(steps[b].delta) > fabs(steps[b - 1].delta); b--) {
					struct aud__wfv_step t = steps[b];

					steps[b] = steps[b - 1];
					steps[b - 1] = t;
				}
		}
		rc = draw_waterfall(c, doc, e, steps, n, base, out, shown);
		shown++;
	}
	free(labels);
	return rc;
}

/* ---- the sampled rows: beeswarm and dependence plots ---- */

#define SWARM_FEATURES 12
#define DEPENDENCE_FEATURES 4
#define MAX_POINTS 1000     /* rows drawn; more in the document are thinned evenly */

struct pt_feat {
	const char *name;
	int categorical;
	double *phi, *val, *colour;   /* val: the number, or the category's index in cats */
	const char **cats;            /* categorical: the distinct values in byte order */
	size_t ncats;
};

static int
cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Colour of each value: its mid-rank among the row's values, in [0, 1]
 * (SHAP's colouring by percentile); categories by their rank in byte order. */
static int
colours(struct pt_feat *f, size_t n, struct aud_error *err)
{
	size_t i, m = 0;
	double *s;

	if (f->categorical) {
		for (i = 0; i < n; i++)
			f->colour[i] = isnan(f->val[i]) || f->ncats < 2 ? (isnan(f->val[i]) ? NAN : 0.5) :
			    f->val[i] / (double)(f->ncats - 1);
		return 0;
	}
	s = malloc((n + 1) * sizeof(*s));
	if (s == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < n; i++)
		if (!isnan(f->val[i]))
			s[m++] = f->val[i];
	qsort(s, m, sizeof(*s), cmp_dbl);
	for (i = 0; i < n; i++) {
		size_t a = 0, b = m, lo, hi;

		if (isnan(f->val[i]) || m < 2) {
			f->colour[i] = isnan(f->val[i]) ? NAN : 0.5;
			continue;
		}
		while (a < b) {        /* first >= v */
			size_t mid = (a + b) / 2;

			if (s[mid] < f->val[i])
				a = mid + 1;
			else
				b = mid;
		}
		lo = a;
		b = m;
		while (a < b) {        /* first > v */
			size_t mid = (a + b) / 2;

			if (s[mid] <= f->val[i])
				a = mid + 1;
			else
				b = mid;
		}
		hi = a;
		f->colour[i] = ((double)(lo + hi - 1) / 2) / (double)(m - 1);
	}
	free(s);
	return 0;
}

static void
pt_release(struct pt_feat *f, size_t nf)
{
	size_t i;

	for (i = 0; i < nf; i++) {
		free(f[i].phi);
		free(f[i].val);
		free(f[i].colour);
		free(f[i].cats);
	}
}

/* Read results.points' features (the first max, in the document's order:
 * importance) into f. @return the count, or a negative AUD_E* code */
static long
read_points(struct pt_feat *f, size_t max, const cJSON *pts, size_t n, size_t N,
    struct aud_error *err)
{
	const cJSON *e;
	size_t nf = 0, i;

	cJSON_ArrayForEach(e, aud_json_get(pts, "features")) {
		const cJSON *vals = aud_json_get(e, "values"), *phi = aud_json_get(e, "phi"), *v;
		struct pt_feat *p = &f[nf];

		if (nf >= max)
			break;
		memset(p, 0, sizeof(*p));
		p->name = aud__or(aud_json_str(e, "feature"), "?");
		p->categorical = aud_json_str(e, "kind") != NULL &&
		    strcmp(aud_json_str(e, "kind"), "categorical") == 0;
		p->phi = calloc(n + 1, sizeof(double));
		p->val = calloc(n + 1, sizeof(double));
		p->colour = calloc(n + 1, sizeof(double));
		p->cats = calloc(n + 1, sizeof(char *));
		nf++;
		if (p->phi == NULL || p->val == NULL || p->colour == NULL || p->cats == NULL)
			goto nomem;
		/* row i of the drawing is row i * N / n of the document */
		for (i = 0; i < n; i++) {
			int at = (int)((unsigned long long)i * N / n);

			v = cJSON_GetArrayItem(phi, at);
			p->phi[i] = cJSON_IsNumber(v) ? v->valuedouble : NAN;
			v = cJSON_GetArrayItem(vals, at);
			p->val[i] = cJSON_IsNumber(v) && !p->categorical ? v->valuedouble : NAN;
			if (cJSON_IsString(v))
				p->cats[p->ncats++] = v->valuestring;
		}
		if (p->categorical) {
			size_t k, u = 0;

			qsort(p->cats, p->ncats, sizeof(char *), cmp_str);
			for (k = 0; k < p->ncats; k++)
				if (u == 0 || strcmp(p->cats[u - 1], p->cats[k]) != 0)
					p->cats[u++] = p->cats[k];
			p->ncats = u;
			for (i = 0; i < n; i++) {
				const char **hit;

				v = cJSON_GetArrayItem(vals, (int)((unsigned long long)i * N / n));
				hit = cJSON_IsString(v) ? bsearch(&v->valuestring, p->cats, p->ncats,
				    sizeof(char *), cmp_str) : NULL;
				p->val[i] = hit != NULL ? (double)(hit - p->cats) : NAN;
			}
		}
		if (colours(p, n, err) < 0) {
			pt_release(f, nf);
			return AUD_ENOMEM;
		}
	}
	return (long)nf;
nomem:
	pt_release(f, nf);
	return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
}

/* 1 when every attribution of f is 0 or undefined. */
static int
all_zero(const struct pt_feat *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isnan(f->phi[i]) && f->phi[i] != 0)
			return 0;
	return 1;
}

static int
draw_points(struct aud__rctx *c, const cJSON *res)
{
	const cJSON *pts = aud_json_get(res, "points");
	struct pt_feat f[SWARM_FEATURES];
	struct aud__swarm_row rows[SWARM_FEATURES];
	char tb[64];
	size_t N = (size_t)cJSON_GetArraySize(aud_json_get(pts, "rows")), total, nr = 0, k, nd;
	size_t n = N < MAX_POINTS ? N : MAX_POINTS;
	char buf[160];
	double h;
	long nf;
	int rc = 0;

	if (pts == NULL || n == 0)
		return 0;
	{
		double t = aud_json_num(pts, "explained_rows");   /* NaN when absent */

		total = t >= (double)N && t < 1e15 ? (size_t)t : N;
	}
	nf = read_points(f, SWARM_FEATURES, pts, n, N, c->err);
	if (nf < 0)
		return (int)nf;
	snprintf(tb, sizeof(tb), "%zu explained rows", total);
	/* the heading and its paragraph on the page of the beeswarm */
	rc = aud__rep_need(c, 80 + aud__chart_beeswarm_height((size_t)nf) + 8);
	if (rc == 0)
		rc = aud__rep_heading(c, 1, "Attributions of every explained row");
	if (rc == 0)
		rc = aud__rep_para(c, "The beeswarm shows, per feature (most important first), one "
		    "dot per explained row at its attribution: right of the dashed line the feature "
		    "raised that row's output, left of it lowered it. The colour is the feature's "
		    "value in that row, from low (blue) to high (orange; a categorical feature's "
		    "categories in alphabetical order; grey: missing). %zu rows are shown%s%s.", n,
		    total > n ? ", taken evenly from the " : "", total > n ? tb : "");
	for (k = 0; k < (size_t)nf; k++) {
		if (all_zero(&f[k], n))
			continue;
		rows[nr].label = f[k].name;
		rows[nr].phi = f[k].phi;
		rows[nr].colour = f[k].colour;
		rows[nr].n = n;
		nr++;
	}
	if (rc == 0 && nr < (size_t)nf)
		rc = aud__rep_para(c, "%zu feature%s whose attribution is 0 in every row %s left "
		    "out.", (size_t)nf - nr, (size_t)nf - nr == 1 ? "" : "s",
		    (size_t)nf - nr == 1 ? "is" : "are");
	if (rc == 0 && nr > 0) {
		h = aud__chart_beeswarm_height(nr) + 8;
		rc = aud__rep_need(c, h);
		if (rc == 0)
			rc = aud__chart_beeswarm(c->pdf, c->left, c->y, aud__rep_width(c),
			    "Attribution of each row, by feature", rows, nr, c->err);
		c->y -= h;
	}
	/* dependence plots of the top features, two side by side */
	nd = nr < DEPENDENCE_FEATURES ? nr : DEPENDENCE_FEATURES;
	if (rc == 0 && nd > 0) {
		/* the heading, its paragraph and the first row of plots together */
		rc = aud__rep_need(c, 60 + aud__chart_dependence_height(110) + 8);
		if (rc == 0)
			rc = aud__rep_heading(c, 2, "Dependence plots");
		if (rc == 0)
			rc = aud__rep_para(c, "Each row's value of a feature (across) against that "
			    "feature's attribution in the row (up): the shape of the model's response "
			    "to the feature; a vertical spread at one value comes from interactions with "
			    "other features.");
	}
	for (k = 0; rc == 0 && k < nd; k += 2) {
		double w = (aud__rep_width(c) - 16) / 2, plot_h = 110;
		size_t j;

		h = aud__chart_dependence_height(plot_h) + 8;
		rc = aud__rep_need(c, h);
		for (j = 0; rc == 0 && j < 2 && k + j < nd; j++) {
			const struct aud__swarm_row *r = &rows[k + j];
			struct pt_feat *p = NULL;
			struct aud__dependence d;
			size_t q;

			for (q = 0; q < (size_t)nf; q++)
				if (f[q].phi == r->phi)
					p = &f[q];
			snprintf(buf, sizeof(buf), "Dependence on %s", p->name);
			d.title = buf;
			d.x_label = p->name;
			d.x = p->val;
			d.y = p->phi;
			d.n = n;
			d.cats = p->categorical ? p->cats : NULL;
			d.ncats = p->categorical ? p->ncats : 0;
			rc = aud__chart_dependence(c->pdf, c->left + (double)j * (w + 16), c->y, w,
			    plot_h, &d, c->err);
		}
		c->y -= h;
	}
	pt_release(f, (size_t)nf);
	return rc;
}

/* The finding of the global summary as a sentence: the most important
 * feature's mean |attribution| with its interval. */
static int
importance_sentence(struct aud__rctx *c, const struct feat *fs, size_t nf, const char *method)
{
	char v[64], lo[64], hi[64], v2[64];

	if (nf == 0 || isnan(fs[0].imp) || is_permutation(method))
		return 0;
	if (fs[0].imp == 0)
		return aud__rep_para(c, "Every feature's mean |attribution| is 0: on these rows the "
		    "output does not move with any feature.");
	aud__fmt_value(v, sizeof(v), fs[0].imp);
	aud__fmt_value(lo, sizeof(lo), fs[0].lo);
	aud__fmt_value(hi, sizeof(hi), fs[0].hi);
	if (nf > 1 && !isnan(fs[1].imp)) {
		aud__fmt_value(v2, sizeof(v2), fs[1].imp);
		return aud__rep_para(c, "%s moves the output by %s on average (95%% CI %s to %s), "
		    "the most of any feature; next is %s (%s).", fs[0].name, v, lo, hi, fs[1].name,
		    v2);
	}
	return aud__rep_para(c, "%s moves the output by %s on average (95%% CI %s to %s).",
	    fs[0].name, v, lo, hi);
}

#define MAX_GRID 64
#define MAX_PDP_SERIES 10

/* Numbers of a JSON array into x (NaN for non-numbers); returns the count. */
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

#define MAX_ICE 200

/* ICE curves (results.pdp[].ice: {"row", "values"}) behind the partial
 * dependence line; curves with an undefined value are left out. */
static int
draw_ice(struct aud__rctx *c, const cJSON *e, const double *grid, const double *pdp,
    size_t G)
{
	const cJSON *r;
	double *ice;
	size_t m = 0, k, total = 0;
	char title[256];
	double h;
	int rc;

	if (cJSON_GetArraySize(aud_json_get(e, "ice")) == 0)
		return 0;
	for (k = 0; k < G; k++)
		if (!isfinite(pdp[k]) || !isfinite(grid[k]))
			return 0;
	ice = malloc(MAX_ICE * G * sizeof(*ice) + 1);
	if (ice == NULL)
		return AUD_ERROR(c->err, AUD_ENOMEM, "out of memory");
	cJSON_ArrayForEach(r, aud_json_get(e, "ice")) {
		int ok = 1;

		total++;
		if (m >= MAX_ICE)
			continue;
		if (numbers(&ice[m * G], G, aud_json_get(r, "values")) != G)
			ok = 0;
		for (k = 0; ok && k < G; k++)
			ok = isfinite(ice[m * G + k]);
		m += (size_t)ok;
	}
	snprintf(title, sizeof(title), "Partial dependence on %s, with %zu ICE curve%s%s",
	    aud__or(aud_json_str(e, "feature"), "?"), m, m == 1 ? "" : "s",
	    m < total ? " (those without undefined values)" : "");
	h = aud__chart_ice_height(120) + 8;
	rc = aud__rep_need(c, h);
	if (rc == 0)
		aud__chart_ice(c->pdf, c->left, c->y, aud__rep_width(c), 120, title,
		    aud_json_str(e, "feature"), grid, G, ice, m, pdp);
	c->y -= h;
	free(ice);
	return rc;
}

#define MAX_PDP_BARS 64

/* Categorical partial dependence: one bar per category (all rows), followed
 * by a bar per protected group ("east · sex=female"). */
static int
draw_pdp_categorical(struct aud__rctx *c, const cJSON *e)
{
	struct aud__bar bars[MAX_PDP_BARS] = { { NULL, 0, 0, 0, 0, 0 } };
	char (*labels)[160];
	struct aud__hbar_opts o = AUD__HBAR_OPTS_INIT;
	const cJSON *cat, *a, *g;
	char title[256];
	size_t n = 0, k = 0, first;
	double h;
	int rc = 0;

	labels = calloc(MAX_PDP_BARS, sizeof(*labels));
	if (labels == NULL)
		return AUD_ERROR(c->err, AUD_ENOMEM, "out of memory");
	cJSON_ArrayForEach(cat, aud_json_get(e, "grid")) {
		const cJSON *v = cJSON_GetArrayItem(aud_json_get(e, "pdp"), (int)k);

		if (n >= MAX_PDP_BARS)
			break;
		first = n;
		aud_json_text(labels[n], sizeof(labels[n]), cat);
		bars[n].label = labels[n];
		bars[n].value = cJSON_IsNumber(v) ? v->valuedouble : NAN;
		bars[n].lo = bars[n].hi = NAN;
		bars[n].hatched = 0;
		n++;
		cJSON_ArrayForEach(a, aud_json_get(e, "groups")) {
			cJSON_ArrayForEach(g, aud_json_get(a, "groups")) {
				v = cJSON_GetArrayItem(aud_json_get(g, "pdp"), (int)k);
				if (n >= MAX_PDP_BARS)
					break;
				snprintf(labels[n], sizeof(labels[n]), "%.60s \xC2\xB7 %s=%s",
				    labels[first], aud__or(aud_json_str(a, "attribute"), "?"),
				    aud__or(aud_json_str(g, "group"), "?"));
				bars[n].label = labels[n];
				bars[n].value = cJSON_IsNumber(v) ? v->valuedouble : NAN;
				bars[n].lo = bars[n].hi = NAN;
				bars[n].hatched = 0;   /* hatching means a small group only */
				n++;
			}
		}
		k++;
	}
	if (n > 0) {
		snprintf(title, sizeof(title), "Partial dependence on %s (categorical)",
		    aud__or(aud_json_str(e, "feature"), "?"));
		o.title = title;
		o.x_label = "mean output with the feature set to the category (all rows, then "
		    "each protected group's rows)";
		o.decimals = 4;
		h = aud__chart_hbars_height(n) + 8;
		rc = aud__rep_need(c, h);
		if (rc == 0)
			rc = aud__chart_hbars(c->pdf, c->left, c->y, aud__rep_width(c), bars, n, &o,
			    c->err);
		c->y -= h;
	}
	free(labels);
	return rc;
}

/* Partial dependence: results.pdp, a list of {"feature", "grid", "pdp",
 * "groups": [{"attribute", "groups": [{"group", "pdp"}]}]}; numeric grids
 * are drawn as line charts, overall and per group; other grids (categories)
 * as bars. */
static int
draw_pdp(struct aud__rctx *c, const cJSON *pdp)
{
	double (*ys)[MAX_GRID] = NULL;
	char (*names)[128] = NULL;
	double x[MAX_GRID];
	const cJSON *e;
	int rc = 0, any = 0;

	if (!cJSON_IsArray(pdp) || pdp->child == NULL)
		return 0;
	ys = calloc(MAX_PDP_SERIES, sizeof(*ys));
	names = calloc(MAX_PDP_SERIES, sizeof(*names));
	if (ys == NULL || names == NULL) {
		rc = AUD_ERROR(c->err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	cJSON_ArrayForEach(e, pdp) {
		struct aud__series s[MAX_PDP_SERIES];
		struct aud__line_opts o = AUD__LINE_OPTS_INIT;
		const cJSON *a, *g;
		char title[256];
		size_t nx = numbers(x, MAX_GRID, aud_json_get(e, "grid"));
		size_t ns = 0, k;
		double h;
		int numeric = nx >= 2;

		for (k = 0; k < nx; k++)
			numeric &= !isnan(x[k]);
		if (rc < 0 || nx == 0)
			continue;
		if (!any) {
			rc = aud__rep_heading(c, 1, "Partial dependence");
			if (rc == 0)
				rc = aud__rep_para(c, "The mean output when a feature is set to each "
				    "grid value for every row (all else as observed), overall and over "
				    "each protected group's rows: a line for a numeric feature, a bar "
				    "per category for a categorical one. Behind the line, each row's own "
				    "curve (individual conditional expectation, ICE): curves that do not "
				    "run parallel to the mean show interactions the mean hides.");
			if (rc < 0)
				break;
			any = 1;
		}
		if (!numeric) {
			rc = draw_pdp_categorical(c, e);
			continue;
		}
		snprintf(names[0], sizeof(names[0]), "all rows");
		numbers(ys[0], MAX_GRID, aud_json_get(e, "pdp"));
		ns = 1;
		cJSON_ArrayForEach(a, aud_json_get(e, "groups")) {
			cJSON_ArrayForEach(g, aud_json_get(a, "groups")) {
				if (ns >= MAX_PDP_SERIES)
					break;
				snprintf(names[ns], sizeof(names[ns]), "%s=%s",
				    aud_json_str(a, "attribute") ? aud_json_str(a, "attribute") : "?",
				    aud_json_str(g, "group") ? aud_json_str(g, "group") : "?");
				for (k = 0; k < MAX_GRID; k++)
					ys[ns][k] = NAN;
				numbers(ys[ns], nx, aud_json_get(g, "pdp"));
				ns++;
			}
		}
		for (k = 0; k < ns; k++) {
			s[k].name = names[k];
			s[k].x = x;
			s[k].y = ys[k];
			s[k].n = nx;
		}
		rc = draw_ice(c, e, x, ys[0], nx);
		if (rc < 0 || (ns == 1 && cJSON_GetArraySize(aud_json_get(e, "ice")) > 0))
			continue;  /* the ICE chart holds the one line */
		/* after an ICE chart of the same feature, this one is for the groups */
		snprintf(title, sizeof(title), "Partial dependence on %s%s",
		    aud_json_str(e, "feature") ? aud_json_str(e, "feature") : "?",
		    cJSON_GetArraySize(aud_json_get(e, "ice")) > 0 ? ", per protected group" : "");
		o.title = title;
		o.x_label = aud_json_str(e, "feature");
		o.y_label = "mean output";
		h = AUD__CHART_TITLE + AUD__LINE_YLABEL + 120 + AUD__CHART_AXIS +
		    aud__chart_legend_height(c->pdf, s, ns, aud__rep_width(c) - 34) + 14;
		rc = aud__rep_need(c, h);
		if (rc == 0)
			rc = aud__chart_lines(c->pdf, c->left, c->y, aud__rep_width(c), 120, s, ns,
			    &o, c->err);
		c->y -= h;
	}
done:
	free(ys);
	free(names);
	return rc;
}

int
aud__report_explanations(struct aud__rctx *c)
{
	const struct aud__rdoc *docs[64];
	size_t nd = aud__rep_docs(c->r, AUD_REPORT_EXPLANATION, docs, 64);
	struct feat *fs;
	size_t i;
	int rc;

	if (nd == 0)
		return 0;
	if (nd > 64)
		nd = 64;
	fs = calloc(MAX_FEATURES, sizeof(*fs));
	if (fs == NULL)
		return AUD_ERROR(c->err, AUD_ENOMEM, "out of memory");
	rc = aud__rep_heading(c, 0, "Explanations");
	for (i = 0; rc == 0 && i < nd; i++) {
		const cJSON *doc = docs[i]->json;
		const cJSON *res = aud_json_get(doc, "results");
		const cJSON *p = aud_json_get(doc, "params");
		const char *method = aud_json_str(res, "method");
		const char *metric = aud_json_str(res, "metric");
		double base = aud_json_num(res, "base_value");
		double add = aud_json_num(res, "max_additivity_error");
		char b1[64], b2[64], b3[80], ms[64], it[96];
		size_t nf;

		if (method == NULL)
			method = aud_json_str(p, "method");
		if (nd > 1)
			rc = aud__rep_heading(c, 1, docs[i]->name);
		aud__fmt_value(b1, sizeof(b1), base);
		aud__fmt_value(b2, sizeof(b2), add);
		perm_measure(ms, sizeof(ms), metric);
		if (rc == 0 && is_permutation(method)) {
			aud__fmt_value(b1, sizeof(b1), aud_json_num(aud_json_get(res, "baseline"), metric));
			aud__fmt_value(b2, sizeof(b2), aud_json_num(res, "repeats"));
			b3[0] = '\0';
			if (metric != NULL)
				snprintf(b3, sizeof(b3), " (baseline %s %s)", metric, b1);
			rc = aud__rep_para(c, "Method: permutation importance. Each feature's column "
			    "is shuffled across the explained rows (%s shuffles per feature) and the "
			    "model is scored again; a feature's importance is the mean %s against the "
			    "unshuffled rows%s, with a 95%% interval over the shuffles. A feature "
			    "whose shuffling costs nothing is not used by the model on these rows; a "
			    "negative value is noise. These are not attributions: they do not add up to "
			    "the output.", b2, ms, b3);
		} else if (rc == 0 && method != NULL && strcmp(method, "pdp") == 0) {
			rc = aud__rep_para(c, "Method: partial dependence. For each feature and each "
			    "value of its grid, every explained row is given that value (all else as "
			    "observed) and the model's %s is averaged: the curve shows how the output "
			    "moves with the feature on average, overall and over each protected "
			    "group's rows. It shows no interactions and no per-row attribution.",
			    aud_json_str(p, "output") ? aud_json_str(p, "output") : "score");
		} else if (rc == 0 && method != NULL && strcmp(method, "tree-path") == 0) {
			rc = aud__rep_para(c, "Method: tree-path (path-dependent Tree SHAP). "
			    "Attributions are Shapley values of the model's %s in which a feature left "
			    "out of a coalition follows every branch of its tree, weighted by the "
			    "training rows that reached it (no background sample): base value + sum "
			    "of attributions = output for every row%s%s%s%s.",
			    aud_json_str(p, "output") ? aud_json_str(p, "output") : "score",
			    isnan(base) ? "" : "; base value ", isnan(base) ? "" : b1,
			    isnan(add) ? "" : "; largest additivity error ", isnan(add) ? "" : b2);
		} else if (rc == 0) {
			rc = aud__rep_para(c, "Method: %s. Attributions are Shapley values of the "
			    "model's %s, interventional with respect to a background sample: "
			    "base value + sum of attributions = output for every row%s%s%s%s.",
			    method != NULL ? method : "(not stated)",
			    aud_json_str(p, "output") ? aud_json_str(p, "output") : "score",
			    isnan(base) ? "" : "; base value ", isnan(base) ? "" : b1,
			    isnan(add) ? "" : "; largest additivity error ", isnan(add) ? "" : b2);
		}
		if (rc < 0)
			break;
		nf = read_features(fs, res);
		qsort(fs, nf, sizeof(*fs), cmp_feat);
		if (nf > 0) {
			rc = aud__rep_heading(c, 1, "Global importance");
			if (rc == 0)
				rc = draw_importance(c, fs, nf, method, metric);
			if (rc == 0)
				rc = importance_sentence(c, fs, nf, method);
		}
		if (rc == 0)
			rc = draw_by_group(c, aud_json_get(res, "by_group") ? aud_json_get(res, "by_group") :
			    aud_json_get(res, "groups"), fs, nf);
		if (is_permutation(method))
			snprintf(it, sizeof(it), "Importance\n(%s)", ms);
		else
			snprintf(it, sizeof(it), "Importance");
		if (rc == 0)
			rc = draw_proxy(c, aud_json_get(res, "proxy") ? aud_json_get(res, "proxy") :
			    aud_json_get(res, "proxies"), fs, nf, it);
		if (rc == 0)
			rc = draw_points(c, res);
		if (rc == 0)
			rc = draw_local(c, doc, res, fs, nf);
		if (rc == 0)
			rc = draw_pdp(c, aud_json_get(res, "pdp"));
	}
	free(fs);
	return rc;
}
