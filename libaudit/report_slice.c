/*
 * report_slice.c — the Slices section of the report, from audit-slice
 * documents (audit.slice/1, docs/slice.md): per document what was measured
 * and how the slices were chosen (named expressions, or the discovery's
 * columns, candidates and false discovery rate), a table of the slices (the
 * weakest first for discovered ones, in the order given for named ones) with
 * each slice's metric and interval against the rest of the rows, the effect
 * and the test, a bar chart of each slice's metric beside its complement's
 * with interval whiskers, and the findings in plain words ("The model's
 * accuracy on slice 'hashtag' is 0.484 [0.431, 0.537], 0.369 lower than on
 * the other rows (p < 0.001)").
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/json.h>

#include "report_impl.h"

#define MAX_SLICES 40      /* rows of a slice table */
#define MAX_CHART 12       /* slices drawn in a chart (two bars each) */
#define MAX_FINDINGS 3     /* slices told in words per document */

/* ---- words and numbers ---- */

/* 1 when the document's metric is a rate (accuracy, error rate, FPR, FNR). */
static int
is_rate(const cJSON *res)
{
	const char *m = aud_json_str(res, "metric");

	return m == NULL || strcmp(m, "accuracy") == 0 || strcmp(m, "error_rate") == 0 ||
	    strcmp(m, "fpr") == 0 || strcmp(m, "fnr") == 0;
}

/* 1 when lower values are worse (accuracy), from results.worse. */
static int
lower_worse(const cJSON *res)
{
	const char *w = aud_json_str(res, "worse");

	if (w != NULL)
		return strcmp(w, "lower") == 0;
	w = aud_json_str(res, "metric");
	return w == NULL || strcmp(w, "accuracy") == 0;
}

/* A metric value: a rate with 3 decimals, a mean with 4 significant digits. */
static void
fmt_metric(char *buf, size_t size, const cJSON *res, double v)
{
	if (is_rate(res))
		aud__fmt_rate(buf, size, v);
	else
		aud__fmt_value(buf, size, v);
}

/* "0.484 [0.431, 0.537]", or the value alone without an interval. */
static void
fmt_with_ci(char *buf, size_t size, const cJSON *res, double v, const cJSON *ci)
{
	double lo, hi;
	char a[32], b[32], d[32];

	aud_json_ci(ci, &lo, &hi);
	fmt_metric(a, sizeof(a), res, v);
	if (isnan(lo) || isnan(hi) || isnan(v)) {
		snprintf(buf, size, "%s", a);
		return;
	}
	fmt_metric(b, sizeof(b), res, lo);
	fmt_metric(d, sizeof(d), res, hi);
	snprintf(buf, size, "%s [%s, %s]", a, b, d);
}

/* A p- or q-value: "< 0.001", else 3 decimals; "—" when undefined. */
static void
fmt_p(char *buf, size_t size, double p)
{
	if (isnan(p))
		snprintf(buf, size, "\xE2\x80\x94");
	else if (p < 0.001)
		snprintf(buf, size, "< 0.001");
	else
		snprintf(buf, size, "%.3f", p);
}

/* The slice's name for people: its name (named) or description (discovered). */
static const char *
slice_name(const cJSON *s)
{
	return aud__or(aud_json_str(s, "name"), aud__or(aud_json_str(s, "description"), "?"));
}

static int
discovered(const cJSON *res)
{
	return cJSON_IsObject(aud_json_get(res, "discovery"));
}

/* The metric's name in a sentence: "accuracy", "error rate", "FPR", "MAE"... */
static const char *
metric_words(const cJSON *res)
{
	static const struct {
		const char *key, *words;
	} names[] = {
		{ "accuracy", "accuracy" }, { "error_rate", "error rate" },
		{ "fpr", "false positive rate" }, { "fnr", "false negative rate" },
		{ "log_loss", "log loss" }, { "brier", "Brier score" },
		{ "mae", "mean absolute error" }, { "mse", "mean squared error" },
	};
	const char *m = aud__or(aud_json_str(res, "metric"), "accuracy");
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].key, m) == 0)
			return names[i].words;
	return m;
}

/* The false discovery rate of a discovery (params.discover.fdr; 0.05 if absent). */
static double
doc_fdr(const cJSON *doc)
{
	double q = aud_json_num(aud_json_path(doc, "params.discover"), "fdr");

	return isnan(q) ? 0.05 : q;
}

/* 1 when the slice is significantly worse: a reported discovered slice, or a
 * named slice with a positive effect and p < 0.05. */
static int
significant(const cJSON *doc, const cJSON *s)
{
	const cJSON *res = aud_json_get(doc, "results");
	double e = aud_json_num(s, "effect"), p = aud_json_num(s, "p_value");
	double q = aud_json_num(s, "q_value");

	if (discovered(res))
		return !isnan(q) && q <= doc_fdr(doc) && e > 0;
	return !isnan(p) && p < 0.05 && e > 0;
}

/*
 * One slice in words: "The model's accuracy on slice 'hashtag' is 0.484
 * [0.431, 0.537], 0.369 lower than on the other rows (0.853 [0.832, 0.872];
 * p < 0.001)."
 */
static void
slice_sentence(char *buf, size_t size, const cJSON *doc, const cJSON *s)
{
	const cJSON *res = aud_json_get(doc, "results");
	double e = aud_json_num(s, "effect"), p = aud_json_num(s, "p_value");
	double q = aud_json_num(s, "q_value");
	int lw = lower_worse(res);
	char m[96], cm[96], eb[32], pb[32], qb[48] = "", n[32];
	const char *dir;

	fmt_with_ci(m, sizeof(m), res, aud_json_num(s, "metric"), aud_json_get(s, "ci"));
	fmt_with_ci(cm, sizeof(cm), res, aud_json_num(s, "complement_metric"),
	    aud_json_get(s, "complement_ci"));
	fmt_metric(eb, sizeof(eb), res, fabs(e));
	fmt_p(pb, sizeof(pb), p);
	aud__fmt_value(n, sizeof(n), aud_json_num(s, "size"));
	if (!isnan(q)) {
		char t[32];

		fmt_p(t, sizeof(t), q);
		snprintf(qb, sizeof(qb), ", q %s%s", t[0] == '<' ? "" : "= ", t);
	}
	/* effect > 0: the slice is worse; worse is lower for accuracy */
	dir = isnan(e) || isnan(aud_json_num(s, "metric")) ? NULL : e == 0 ? "" :
	    (e > 0) == lw ? "lower" : "higher";
	if (dir == NULL)
		snprintf(buf, size, "The model's %s on slice '%s' (n = %s) is %s; the other rows "
		    "give %s, and the difference is undefined.", metric_words(res), slice_name(s),
		    n, m, cm);
	else if (dir[0] == '\0')
		snprintf(buf, size, "The model's %s on slice '%s' (n = %s) is %s, the same as on "
		    "the other rows.", metric_words(res), slice_name(s), n, m);
	else
		snprintf(buf, size, "The model's %s on slice '%s' (n = %s) is %s, %s %s than on "
		    "the other rows (%s; p %s%s%s).", metric_words(res), slice_name(s), n, m, eb,
		    dir, cm, pb[0] == '<' ? "" : "= ", pb, qb);
}

/* ---- the table and the chart ---- */

static int
slice_table(struct aud__rctx *c, const cJSON *doc)
{
	static const struct aud__col named_cols[] = {
		{ "Slice", 0.24, AUD__LEFT }, { "n", 0.08, AUD__RIGHT },
		{ "Metric [95% CI]", 0.19, AUD__RIGHT }, { "Rest: n", 0.08, AUD__RIGHT },
		{ "Rest: metric [95% CI]", 0.19, AUD__RIGHT }, { "Effect", 0.10, AUD__RIGHT },
		{ "p", 0.12, AUD__RIGHT },
	};
	static const struct aud__col disc_cols[] = {
		{ "Slice", 0.22, AUD__LEFT }, { "n", 0.06, AUD__RIGHT },
		{ "Metric [95% CI]", 0.20, AUD__RIGHT }, { "Rest: n", 0.07, AUD__RIGHT },
		{ "Rest: metric [95% CI]", 0.20, AUD__RIGHT }, { "Effect", 0.08, AUD__RIGHT },
		{ "p", 0.085, AUD__RIGHT }, { "q", 0.085, AUD__RIGHT },
	};
	const cJSON *res = aud_json_get(doc, "results");
	const cJSON *slices = aud_json_get(res, "slices"), *s;
	int disc = discovered(res);
	size_t shown = 0, total = (size_t)cJSON_GetArraySize(slices);
	struct aud__table t;
	int rc;

	rc = aud__rep_table_begin(c, &t, disc ? disc_cols : named_cols, disc ? 8 : 7,
	    AUD__SMALL);
	cJSON_ArrayForEach(s, slices) {
		struct aud__row row;
		const char *expr = aud_json_str(s, "expression");

		if (rc < 0 || shown >= MAX_SLICES)
			break;
		aud__row_init(&row);
		if (expr != NULL && aud_json_str(s, "name") != NULL)
			aud__row_set(&row, 0, "%s\n%s", slice_name(s), expr);
		else
			aud__row_set(&row, 0, "%s", slice_name(s));
		aud__fmt_value(row.buf[1], AUD__CELL, aud_json_num(s, "size"));
		fmt_with_ci(row.buf[2], AUD__CELL, res, aud_json_num(s, "metric"),
		    aud_json_get(s, "ci"));
		aud__fmt_value(row.buf[3], AUD__CELL, aud_json_num(s, "complement_size"));
		fmt_with_ci(row.buf[4], AUD__CELL, res, aud_json_num(s, "complement_metric"),
		    aud_json_get(s, "complement_ci"));
		fmt_metric(row.buf[5], AUD__CELL, res, aud_json_num(s, "effect"));
		fmt_p(row.buf[6], AUD__CELL, aud_json_num(s, "p_value"));
		if (disc)
			fmt_p(row.buf[7], AUD__CELL, aud_json_num(s, "q_value"));
		rc = aud__rep_table_row(c, &t, row.cells, significant(doc, s));
		shown++;
	}
	if (rc < 0)
		return rc;
	aud__rep_table_end(c, &t);
	if (shown < total)
		return aud__rep_para(c, "(%zu more slices not shown)", total - shown);
	return 0;
}

/* Each slice's metric beside the rest's, with their intervals. */
static int
slice_chart(struct aud__rctx *c, const cJSON *doc)
{
	const cJSON *res = aud_json_get(doc, "results");
	const cJSON *s;
	struct aud__bar bars[2 * MAX_CHART] = { { NULL, 0, 0, 0, 0, 0 } };
	char labels[2 * MAX_CHART][160], title[256], xl[512];
	struct aud__hbar_opts o = AUD__HBAR_OPTS_INIT;
	size_t nb = 0, total = (size_t)cJSON_GetArraySize(aud_json_get(res, "slices"));
	double h, ov = aud_json_num(aud_json_get(res, "overall"), "metric");
	char ob[32];
	int rc;

	cJSON_ArrayForEach(s, aud_json_get(res, "slices")) {
		if (nb >= 2 * MAX_CHART)
			break;
		snprintf(labels[nb], sizeof(labels[nb]), "%s", slice_name(s));
		bars[nb].label = labels[nb];
		bars[nb].value = aud_json_num(s, "metric");
		aud_json_ci(aud_json_get(s, "ci"), &bars[nb].lo, &bars[nb].hi);
		bars[nb].hatched = 0;
		bars[nb].rgb = significant(doc, s) ? AUD__C_VERMILION : AUD__C_BLUE;
		nb++;
		snprintf(labels[nb], sizeof(labels[nb]), "rest of '%s'", slice_name(s));
		bars[nb].label = labels[nb];
		bars[nb].value = aud_json_num(s, "complement_metric");
		aud_json_ci(aud_json_get(s, "complement_ci"), &bars[nb].lo, &bars[nb].hi);
		bars[nb].hatched = 0;
		bars[nb].rgb = AUD__C_SKY;
		nb++;
	}
	if (nb == 0)
		return 0;
	snprintf(title, sizeof(title), "%s%s per slice and on the rest of the rows",
	    metric_words(res), total > MAX_CHART ? " (the first 12 slices)" : "");
	if (title[0] >= 'a' && title[0] <= 'z')
		title[0] = (char)(title[0] - 'a' + 'A');
	fmt_metric(ob, sizeof(ob), res, ov);
	snprintf(xl, sizeof(xl), "%s with 95%% interval; vermillion: significantly worse than the "
	    "rest, blue: not, sky blue: the rest of the rows%s%s", metric_words(res), isnan(ov) ? "" : "; line: all rows, ",
	    isnan(ov) ? "" : ob);
	o.title = title;
	o.x_label = xl;
	o.ref = ov;
	if (is_rate(res)) {
		o.axis_lo = 0;
		o.axis_hi = 1;
	}
	o.decimals = 3;
	h = aud__chart_hbars_height(nb) + 8;
	rc = aud__rep_need(c, h);
	if (rc == 0)
		rc = aud__chart_hbars(c->pdf, c->left, c->y, aud__rep_width(c), bars, nb, &o,
		    c->err);
	c->y -= h;
	return rc;
}

/* ---- one document ---- */

/* "'model_b' against label 'label'" and the input. */
static void
what_sentence(char *buf, size_t size, const cJSON *doc)
{
	const cJSON *p = aud_json_get(doc, "params");
	const cJSON *res = aud_json_get(doc, "results");
	const cJSON *ov = aud_json_get(res, "overall");
	const char *score = aud_json_str(p, "score");
	char om[96], rows[32], sk[32], sz[32];
	double skipped = aud_json_num(res, "skipped");

	fmt_with_ci(om, sizeof(om), res, aud_json_num(ov, "metric"), aud_json_get(ov, "ci"));
	aud__fmt_value(rows, sizeof(rows), aud_json_num(res, "rows"));
	aud__fmt_value(sk, sizeof(sk), skipped);
	aud__fmt_value(sz, sizeof(sz), aud_json_num(ov, "size"));
	snprintf(buf, size, "audit-slice measured the %s of the predictions '%s'%s%s%s against "
	    "the label '%s' on %s (%s rows%s%s%s); %s values are worse. Over all %s eligible "
	    "rows it is %s.", metric_words(res), aud__or(aud_json_str(p, "pred"), "?"),
	    score != NULL ? " (score '" : "", score != NULL ? score : "",
	    score != NULL ? "')" : "", aud__or(aud_json_str(p, "label"), "?"),
	    aud__or(aud_json_str(aud_json_get(doc, "input"), "path"), "(input not named)"),
	    rows, skipped > 0 ? ", " : "", skipped > 0 ? sk : "",
	    skipped > 0 ? " skipped for a missing value" : "",
	    lower_worse(res) ? "lower" : "higher", sz, om);
}

/* The test of a slice's difference, in words, from its "test" ("fisher exact"). */
static const char *
test_words(const cJSON *res)
{
	const char *t = aud_json_str(cJSON_GetArrayItem(aud_json_get(res, "slices"), 0), "test");

	if (t != NULL && strcmp(t, "fisher exact") == 0)
		return "Fisher's exact test";
	if (t != NULL && strcmp(t, "welch t") == 0)
		return "Welch t-test";
	if (t != NULL && strcmp(t, "two-proportion z") == 0)
		return "two-proportion z-test";
	return is_rate(res) ? "two-proportion z-test" : "Welch t-test";
}

/* How the slices were chosen: the discovery's columns, candidates and FDR. */
static int
discovery_para(struct aud__rctx *c, const cJSON *doc)
{
	const cJSON *d = aud_json_path(doc, "results.discovery");
	const cJSON *dp = aud_json_path(doc, "params.discover");
	const cJSON *e;
	char cols[1024] = "", left[1024] = "", b1[32], b2[32], b3[32], b4[32], b5[32];
	size_t used = 0, lused = 0;
	double md = aud_json_num(dp, "max_degree"), ms = aud_json_num(dp, "min_size");

	cJSON_ArrayForEach(e, aud_json_get(d, "columns")) {
		int n = snprintf(cols + used, sizeof(cols) - used, "%s'%s'", used ? ", " : "",
		    aud__or(aud_json_str(e, "name"), "?"));

		if (n < 0 || (size_t)n >= sizeof(cols) - used)
			break;
		used += (size_t)n;
	}
	cJSON_ArrayForEach(e, aud_json_get(d, "left_out")) {
		const char *col = aud_json_str(e, "column");
		int n = snprintf(left + lused, sizeof(left) - lused, "%s'%s' (%s)",
		    lused ? ", " : "", aud__or(col, aud__or(aud_json_str(e, "name"), "?")),
		    aud__or(aud_json_str(e, "reason"), "left out"));

		if (n < 0 || (size_t)n >= sizeof(left) - lused)
			break;
		lused += (size_t)n;
	}
	aud__fmt_value(b1, sizeof(b1), isnan(md) ? 2 : md);
	aud__fmt_value(b2, sizeof(b2), isnan(ms) ? 30 : ms);
	aud__fmt_value(b3, sizeof(b3), aud_json_num(d, "candidates"));
	aud__fmt_value(b4, sizeof(b4), aud_json_num(d, "significant"));
	aud__fmt_value(b5, sizeof(b5), doc_fdr(doc));
	return aud__rep_para(c, "Discovery searched every conjunction of up to %s predicates "
	    "on the columns %s (numeric columns cut at quantiles, categorical ones by value)%s%s. "
	    "It tested %s candidate slices of at least %s rows, each against the rest with a "
	    "one-sided %s (the slice is worse), and adjusted the p-values by "
	    "Benjamini\xE2\x80\x93Hochberg: %s %s significantly worse at a false discovery "
	    "rate of %s. A slice is not shown when a slice made of some of its predicates "
	    "already is.", b1, used ? cols : "(none)", lused ? "; left out: " : "", left, b3, b2,
	    test_words(aud_json_get(doc, "results")), b4, aud_json_num(d, "significant") == 1 ? "is" : "are", b5);
}

static int
draw_doc(struct aud__rctx *c, const struct aud__rdoc *d)
{
	const cJSON *res = aud_json_get(d->json, "results");
	const cJSON *slices = aud_json_get(res, "slices"), *s, *e;
	int disc = discovered(res);
	char head[512], buf[2048];
	size_t nsig = 0, told = 0, np = 0, nf = 0, nu = 0;
	int rc;

	snprintf(head, sizeof(head), "%s slices: '%s' on %s", disc ? "Discovered" : "Named",
	    aud__or(aud_json_str(aud_json_get(d->json, "params"), "pred"), "?"),
	    aud__or(aud_json_str(aud_json_get(d->json, "input"), "path"), "(input not named)"));
	rc = aud__rep_heading(c, 1, head);
	if (rc < 0)
		return rc;
	what_sentence(buf, sizeof(buf), d->json);
	rc = aud__rep_text(c, AUD__FONT_REGULAR, AUD__BODY, 0, buf, 4);
	if (rc == 0 && disc)
		rc = discovery_para(c, d->json);
	else if (rc == 0)
		rc = aud__rep_para(c, "Each named slice (rows where its expression holds) is "
		    "compared with the rest of the rows: the effect is how much worse the slice "
		    "is, in the metric's units (negative: better), and p the two-sided p-value of "
		    "the %s.", test_words(res));
	if (rc < 0)
		return rc;
	cJSON_ArrayForEach(s, slices)
		nsig += (size_t)significant(d->json, s);
	if (cJSON_GetArraySize(slices) == 0) {
		char fb[32];

		aud__fmt_value(fb, sizeof(fb), doc_fdr(d->json));
		rc = aud__rep_text(c, AUD__FONT_BOLD, AUD__BODY, 0, disc ?
		    "No slice is significantly worse than the rest of the rows." :
		    "No slice was named.", 4);
		(void)fb;
		if (rc < 0)
			return rc;
	} else {
		rc = slice_table(c, d->json);
		if (rc == 0)
			rc = aud__rep_para(c, "Bold: %s. Intervals are Wilson's for rates and "
			    "Student's t for means, as audit-slice reports them.", disc ?
			    "every slice shown is significantly worse (q at most the false "
			    "discovery rate)" : "significantly worse than the rest (p < 0.05)");
		if (rc == 0)
			rc = slice_chart(c, d->json);
		if (rc < 0)
			return rc;
		rc = aud__rep_heading(c, 2, "In words");
		cJSON_ArrayForEach(s, slices) {
			if (rc < 0 || told >= MAX_FINDINGS)
				break;
			if (nsig > 0 && !significant(d->json, s))
				continue;
			slice_sentence(buf, sizeof(buf), d->json, s);
			rc = aud__rep_bullet(c, "%s", buf);
			told++;
		}
		if (rc == 0 && nsig == 0)
			rc = aud__rep_para(c, "No named slice is significantly worse than the rest "
			    "of the rows (p < 0.05).");
		if (rc < 0)
			return rc;
	}
	cJSON_ArrayForEach(e, aud_json_get(d->json, "checks")) {
		const char *st = aud_json_str(e, "status");

		if (!aud__check_requested(e))
			continue;
		if (st != NULL && strcmp(st, "pass") == 0)
			np++;
		else if (st != NULL && strcmp(st, "fail") == 0)
			nf++;
		else
			nu++;
	}
	if (np + nf + nu > 0)
		rc = aud__rep_para(c, "Checks requested on this document (counted in the verdict): "
		    "%zu passed, %zu failed, %zu undefined.", np, nf, nu);
	return rc;
}

/* ---- the section ---- */

int
aud__report_slices(struct aud__rctx *c)
{
	const struct aud__rdoc *docs[64];
	size_t nd = aud__rep_docs(c->r, AUD_REPORT_SLICE, docs, 64), i;
	int rc;

	if (nd == 0)
		return 0;
	if (nd > 64)
		nd = 64;
	rc = aud__rep_heading(c, 0, "Slices");
	if (rc == 0)
		rc = aud__rep_para(c, "How the model does on slices of the data (rows that share "
		    "something: posts with a hashtag, a region and an age band), each against the "
		    "rest of the rows (audit-slice). A model can be accurate overall and fail a "
		    "slice; a slice that is worse than the rest is where to look first.");
	for (i = 0; rc == 0 && i < nd; i++)
		rc = draw_doc(c, docs[i]);
	return rc;
}

int
aud__report_slice_finding(struct aud__rctx *c, const struct aud__rdoc *d)
{
	const cJSON *res = aud_json_get(d->json, "results");
	const cJSON *s, *worst = NULL;
	char buf[2048], fb[32];

	cJSON_ArrayForEach(s, aud_json_get(res, "slices")) {
		if (!significant(d->json, s))
			continue;
		/* discovered slices come best first; named ones: the largest effect */
		if (worst == NULL || aud_json_num(s, "effect") > aud_json_num(worst, "effect"))
			worst = s;
		if (discovered(res))
			break;
	}
	if (worst == NULL) {
		aud__fmt_value(fb, sizeof(fb), doc_fdr(d->json));
		if (discovered(res))
			return aud__rep_bullet(c, "Slices (%s, '%s'): discovery found no slice "
			    "significantly worse than the rest (false discovery rate %s).",
			    aud__or(aud_json_str(aud_json_get(d->json, "input"), "path"), "?"),
			    aud__or(aud_json_str(aud_json_get(d->json, "params"), "pred"), "?"), fb);
		return aud__rep_bullet(c, "Slices (%s, '%s'): no named slice is significantly "
		    "worse than the rest (p < 0.05).",
		    aud__or(aud_json_str(aud_json_get(d->json, "input"), "path"), "?"),
		    aud__or(aud_json_str(aud_json_get(d->json, "params"), "pred"), "?"));
	}
	slice_sentence(buf, sizeof(buf), d->json, worst);
	buf[0] = 't';   /* "The model's ..." inside the sentence */
	return aud__rep_bullet(c, "Slices: %s", buf);
}
