/*
 * report_data.c — the Data section of the report, from audit-data documents
 * (docs/data.md): the quality table of a profile (per column its kind,
 * missing rate, distinct values, range or top values and flags), the
 * violations of a schema check, and of a drift comparison the drift table
 * (per column the deciding test, its statistic, the p-value or distance it
 * compares with its threshold, PSI and the decision), the dataset drift, a
 * chart of the reference and current proportions of each drifted column, the
 * per-group view (--by) and the windows (--window). Every sentence is chosen
 * by the document's values: which test decided, against which threshold,
 * and whether anything drifted at all.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/json.h>
#include <audit/text.h>

#include "report_impl.h"
#include "report_words.h"

#define MAX_BARS 48        /* bars of a drift chart: 2 per bin or category, up to 21 + 1 */
#define MAX_CHARTS 12      /* drifted columns drawn, per document */
#define MAX_WINDOWS 512
#define MAX_ROWS 200       /* rows of a quality or drift table */

/* ---- words ---- */

/* How a deciding test is named and decides. */
struct test_words {
	const char *key;        /* the document's "test" */
	const char *name;       /* "Kolmogorov–Smirnov" */
	const char *value;      /* the key of the value compared with the threshold */
	const char *stat;       /* the key of its statistic, or NULL */
	int pvalue;             /* 1: drift when value < threshold; 0: when value >= threshold */
};

static const struct test_words tests[] = {
	{ "ks", "two-sample Kolmogorov\xE2\x80\x93Smirnov test", "ks_pvalue", "ks_statistic", 1 },
	{ "chisquare", "chi-square test", "chisquare_pvalue", "chisquare_statistic", 1 },
	{ "z", "two-proportion z-test", "z_pvalue", "z_statistic", 1 },
	{ "wasserstein", "Wasserstein distance normed by the reference's sd",
	  "wasserstein_normed", "wasserstein", 0 },
	{ "jensenshannon", "Jensen\xE2\x80\x93Shannon distance", "jensenshannon", NULL, 0 },
	{ "psi", "population stability index", "psi", NULL, 0 },
};

static const struct test_words *
find_test(const char *key)
{
	size_t i;

	for (i = 0; key != NULL && i < sizeof(tests) / sizeof(tests[0]); i++)
		if (strcmp(tests[i].key, key) == 0)
			return &tests[i];
	return NULL;
}

/* "yes", "no" or "not tested" from a column's "drift" (true, false, null). */
static const char *
drift_word(const cJSON *col)
{
	const cJSON *d = aud_json_get(col, "drift");

	return cJSON_IsTrue(d) ? "yes" : cJSON_IsFalse(d) ? "no" : "not tested";
}

static const char *
input_path(const cJSON *doc)
{
	return aud__or(aud_json_str(aud_json_get(doc, "input"), "path"), "(input not named)");
}

/* The reference file of a drift document: params.reference or input.reference.path. */
static const char *
reference_path(const cJSON *doc)
{
	const char *p = aud_json_str(aud_json_get(doc, "params"), "reference");

	if (p == NULL)
		p = aud_json_str(aud_json_get(aud_json_get(doc, "input"), "reference"), "path");
	return aud__or(p, "(reference not named)");
}

/* ---- profile: the quality table ---- */

static int
draw_profile(struct aud__rctx *c, const struct aud__rdoc *d)
{
	static const struct aud__col cols[] = {
		{ "Column", 0.17, AUD__LEFT }, { "Kind", 0.11, AUD__LEFT },
		{ "Missing", 0.10, AUD__RIGHT }, { "Distinct", 0.10, AUD__RIGHT },
		{ "Range, mean (sd) or top values", 0.36, AUD__LEFT }, { "Flags", 0.16, AUD__LEFT },
	};
	const cJSON *res = aud_json_get(d->json, "results");
	const cJSON *col;
	struct aud__table t;
	char head[512], b1[32], b2[32], b3[32];
	size_t nmiss = 0, nflag = 0, shown = 0, total;
	int rc;

	snprintf(head, sizeof(head), "Data quality: %s", input_path(d->json));
	rc = aud__rep_heading(c, 1, head);
	if (rc < 0)
		return rc;
	aud__fmt_value(b1, sizeof(b1), aud_json_num(res, "rows"));
	aud__fmt_value(b2, sizeof(b2), aud_json_num(res, "columns"));
	aud__fmt_value(b3, sizeof(b3), aud_json_num(res, "duplicate_rows"));
	rc = aud__rep_para(c, "audit-data profile: %s rows, %s columns, %s duplicate row%s%s. "
	    "Missing is the share of rows without a value; a column is constant when it holds "
	    "one value, ID-like when nearly every row holds a value of its own.", b1, b2, b3,
	    aud_json_num(res, "duplicate_rows") == 1 ? "" : "s",
	    cJSON_IsFalse(aud_json_get(res, "duplicate_rows_exact")) ?
	    " (estimated: --sketch)" : "");
	if (rc < 0)
		return rc;
	total = (size_t)cJSON_GetArraySize(aud_json_get(res, "columns_profile"));
	rc = aud__rep_table_begin(c, &t, cols, 6, AUD__SMALL);
	cJSON_ArrayForEach(col, aud_json_get(res, "columns_profile")) {
		struct aud__row row;
		const char *kind = aud__or(aud_json_str(col, "kind"), "?");
		double mr = aud_json_num(col, "missing_rate");
		char flags[128] = "";

		if (rc < 0 || shown >= MAX_ROWS)
			break;
		aud__row_init(&row);
		aud__row_set(&row, 0, "%s", aud__or(aud_json_str(col, "column"), "?"));
		aud__row_set(&row, 1, "%s", kind);
		aud__fmt_rate(row.buf[2], AUD__CELL, mr);
		aud__fmt_value(b1, sizeof(b1), aud_json_num(col, "distinct"));
		aud__row_set(&row, 3, "%s%s", cJSON_IsFalse(aud_json_get(col, "distinct_exact")) ?
		    "\xE2\x89\x88" : "", b1);
		if (strcmp(kind, "numeric") == 0) {
			aud__fmt_value(b1, sizeof(b1), aud_json_num(col, "min"));
			aud__fmt_value(b2, sizeof(b2), aud_json_num(col, "max"));
			aud__row_set(&row, 4, "%s to %s", b1, b2);
			aud__fmt_value(b1, sizeof(b1), aud_json_num(col, "mean"));
			aud__fmt_value(b2, sizeof(b2), aud_json_num(col, "sd"));
			snprintf(row.buf[4] + strlen(row.buf[4]), AUD__CELL - strlen(row.buf[4]),
			    ", mean %s (sd %s)", b1, b2);
		} else {
			const cJSON *tv;
			size_t k = 0, used = 0;

			cJSON_ArrayForEach(tv, aud_json_get(col, "top")) {
				int n;

				if (k == 3)
					break;
				aud__fmt_rate(b1, sizeof(b1), aud_json_num(tv, "share"));
				n = snprintf(row.buf[4] + used, AUD__CELL - used, "%s%s %s",
				    k > 0 ? ", " : "", aud__or(aud_json_str(tv, "value"), "?"), b1);
				if (n < 0 || (size_t)n >= AUD__CELL - used)
					break;
				used += (size_t)n;
				k++;
			}
		}
		if (aud_json_bool(col, "constant"))
			strcat(flags, "constant");
		if (aud_json_bool(col, "id_like"))
			strcat(strcat(flags, flags[0] ? ", " : ""), "ID-like");
		if (mr > 0)
			nmiss++;
		if (flags[0] != '\0')
			nflag++;
		aud__row_set(&row, 5, "%s", flags);
		rc = aud__rep_table_row(c, &t, row.cells, 0);
		shown++;
	}
	if (rc < 0)
		return rc;
	aud__rep_table_end(c, &t);
	if (shown < total)
		rc = aud__rep_para(c, "(%zu more columns not shown)", total - shown);
	if (rc == 0)
		rc = aud__rep_para(c, "%zu of %zu columns have missing values; %zu %s flagged "
		    "constant or ID-like.", nmiss, total, nflag, nflag == 1 ? "is" : "are");
	return rc;
}

/* ---- check: the violations ---- */

static int
draw_check(struct aud__rctx *c, const struct aud__rdoc *d)
{
	static const struct aud__col cols[] = {
		{ "Column", 0.28, AUD__LEFT }, { "Violation", 0.24, AUD__LEFT },
		{ "Count", 0.14, AUD__RIGHT }, { "First at", 0.34, AUD__LEFT },
	};
	const cJSON *res = aud_json_get(d->json, "results");
	const char *schema = aud_json_str(aud_json_get(d->json, "params"), "schema");
	const cJSON *col, *v;
	struct aud__table t;
	char head[512], b1[32], b2[32];
	double nv = aud_json_num(res, "violations");
	int rc;

	snprintf(head, sizeof(head), "Schema check: %s", input_path(d->json));
	rc = aud__rep_heading(c, 1, head);
	if (rc < 0)
		return rc;
	aud__fmt_value(b1, sizeof(b1), nv);
	aud__fmt_value(b2, sizeof(b2), aud_json_num(res, "failed_columns"));
	if (nv == 0)
		return aud__rep_para(c, "audit-data check against the schema %s: no violation. "
		    "The file keeps every promise of the schema (columns, kinds, ranges, "
		    "categories, missing values, keys).", aud__or(schema, "(not named)"));
	rc = aud__rep_para(c, "audit-data check against the schema %s: %s violations in %s "
	    "columns (audit-data exits 1 on such a file). Each kind of violation is counted "
	    "per column, with the first offending line.", aud__or(schema, "(not named)"), b1, b2);
	if (rc == 0)
		rc = aud__rep_table_begin(c, &t, cols, 4, AUD__SMALL);
	cJSON_ArrayForEach(col, aud_json_get(res, "columns")) {
		cJSON_ArrayForEach(v, aud_json_get(col, "violations")) {
			struct aud__row row;

			if (rc < 0)
				break;
			aud__row_init(&row);
			aud__row_set(&row, 0, "%s", aud__or(aud_json_str(col, "column"), "(file)"));
			aud__row_set(&row, 1, "%s", aud__or(aud_json_str(v, "kind"), "?"));
			aud__fmt_value(row.buf[2], AUD__CELL, aud_json_num(v, "count"));
			aud__row_set(&row, 3, "%s", aud__or(aud_json_str(v, "first"), ""));
			rc = aud__rep_table_row(c, &t, row.cells, 0);
		}
	}
	if (rc < 0)
		return rc;
	aud__rep_table_end(c, &t);
	return 0;
}

/* ---- drift ---- */

/* The decision of one column as text: "0.0123 < 0.05" or "0.31 >= 0.1". */
static void
decision_cell(char *buf, size_t size, const cJSON *col)
{
	const struct test_words *tw = find_test(aud_json_str(col, "test"));
	double v, th = aud_json_num(col, "threshold");
	char b1[32], b2[32];

	if (tw == NULL) {
		snprintf(buf, size, "%s", aud__or(aud_json_str(col, "reason"), ""));
		return;
	}
	v = aud_json_num(col, tw->value);
	aud__fmt_value(b1, sizeof(b1), v);
	aud__fmt_value(b2, sizeof(b2), th);
	if (isnan(v) || isnan(th))
		snprintf(buf, size, "%s", b1);
	else if (tw->pvalue)
		snprintf(buf, size, "%s %s %s", b1, v < th ? "<" : "\xE2\x89\xA5", b2);
	else
		snprintf(buf, size, "%s %s %s", b1, v >= th ? "\xE2\x89\xA5" : "<", b2);
}

static void
column_row(struct aud__row *row, const cJSON *col)
{
	const struct test_words *tw = find_test(aud_json_str(col, "test"));

	aud__row_init(row);
	aud__row_set(row, 0, "%s", aud__or(aud_json_str(col, "column"), "?"));
	aud__row_set(row, 1, "%s", aud__or(aud_json_str(col, "kind"), "?"));
	aud__row_set(row, 2, "%s", tw != NULL ? tw->key : "\xE2\x80\x94");
	if (tw != NULL && tw->stat != NULL)
		aud__fmt_value(row->buf[3], AUD__CELL, aud_json_num(col, tw->stat));
	else
		aud__row_set(row, 3, "\xE2\x80\x94");
	decision_cell(row->buf[4], AUD__CELL, col);
	aud__fmt_value(row->buf[5], AUD__CELL, aud_json_num(col, "psi"));
	aud__row_set(row, 6, "%s", drift_word(col));
}

static const struct aud__col drift_cols[] = {
	{ "Column", 0.16, AUD__LEFT }, { "Kind", 0.11, AUD__LEFT }, { "Test", 0.16, AUD__LEFT },
	{ "Statistic", 0.10, AUD__RIGHT }, { "p-value or distance vs threshold", 0.23, AUD__RIGHT },
	{ "PSI", 0.11, AUD__RIGHT }, { "Drift", 0.13, AUD__LEFT },
};

static int
drift_table(struct aud__rctx *c, const cJSON *cols)
{
	const cJSON *col;
	struct aud__table t;
	size_t shown = 0, total = (size_t)cJSON_GetArraySize(cols);
	int rc;

	rc = aud__rep_table_begin(c, &t, drift_cols, 7, AUD__SMALL);
	cJSON_ArrayForEach(col, cols) {
		struct aud__row row;

		if (rc < 0 || shown >= MAX_ROWS)
			break;
		column_row(&row, col);
		rc = aud__rep_table_row(c, &t, row.cells, cJSON_IsTrue(aud_json_get(col, "drift")));
		shown++;
	}
	if (rc < 0)
		return rc;
	aud__rep_table_end(c, &t);
	if (shown < total)
		return aud__rep_para(c, "(%zu more columns not shown)", total - shown);
	return 0;
}

/* Which tests decided, with their thresholds and how many columns each: one
 * sentence over the columns and the prediction and label (extra, may be NULL). */
static int
tests_sentence(struct aud__rctx *c, const cJSON *cols, const cJSON *extra[2])
{
	const cJSON *all[MAX_ROWS + 2], *col;
	char buf[2048];
	size_t used, k, i, n = 0, any = 0;
	int untested = 0;

	cJSON_ArrayForEach(col, cols)
		if (n < MAX_ROWS)
			all[n++] = col;
	for (k = 0; k < 2; k++)
		if (extra[k] != NULL)
			all[n++] = extra[k];
	for (i = 0; i < n; i++)
		if (find_test(aud_json_str(all[i], "test")) == NULL)
			untested = 1;
	used = (size_t)snprintf(buf, sizeof(buf), "The deciding test of each column");
	for (k = 0; k < sizeof(tests) / sizeof(tests[0]); k++) {
		double ths[8];
		size_t nth = 0, j, cnt[8] = { 0 };

		for (i = 0; i < n; i++) {
			const char *tk = aud_json_str(all[i], "test");
			double th = aud_json_num(all[i], "threshold");

			if (tk == NULL || strcmp(tk, tests[k].key) != 0)
				continue;
			for (j = 0; j < nth; j++)
				if (ths[j] == th || (isnan(ths[j]) && isnan(th)))
					break;
			if (j == nth && nth < 8)
				ths[nth++] = th;
			if (j < 8)
				cnt[j]++;
		}
		for (j = 0; j < nth && used < sizeof(buf); j++) {
			char b[32];

			aud__fmt_value(b, sizeof(b), ths[j]);
			used += (size_t)snprintf(buf + used, sizeof(buf) - used,
			    "%s %s (drift when %s %s %s) for %zu column%s", any ? ";" : ":",
			    tests[k].name, tests[k].pvalue ? "p" : "it is",
			    tests[k].pvalue ? "<" : "\xE2\x89\xA5", b, cnt[j],
			    cnt[j] == 1 ? "" : "s");
			any++;
		}
	}
	if (used >= sizeof(buf))
		used = sizeof(buf) - 1;
	if (!any)
		snprintf(buf + used, sizeof(buf) - used, ": none, no column could be tested.");
	else
		snprintf(buf + used, sizeof(buf) - used, ". Every other statistic is shown as "
		    "well; only the deciding one decides.%s", untested ? " A column marked not "
		    "tested could not be compared (its reason is in the table)." : "");
	return aud__rep_text(c, AUD__FONT_REGULAR, AUD__BODY, 0, buf, 4);
}

/* The dataset-drift sentence of a scope (results, a group or a window). */
static void
share_sentence(char *buf, size_t size, const cJSON *scope, double share_th)
{
	double tested = aud_json_num(scope, "tested"), drifted = aud_json_num(scope, "drifted");
	double s = aud_json_num(scope, "drift_share");
	const cJSON *dd = aud_json_get(scope, "dataset_drift");
	char b1[32], b2[32], b3[32], b4[32];

	aud__fmt_value(b1, sizeof(b1), drifted);
	aud__fmt_value(b2, sizeof(b2), tested);
	aud__fmt_value(b3, sizeof(b3), s);
	aud__fmt_value(b4, sizeof(b4), share_th);
	if (isnan(tested) || tested == 0)
		snprintf(buf, size, "No column could be tested, so there is no dataset drift to "
		    "report.");
	else if (drifted == 0)
		snprintf(buf, size, "No column drifts: 0 of %s tested columns (drift share 0); "
		    "the dataset does not drift (it would at a share of %s or more).", b2, b4);
	else
		snprintf(buf, size, "%s of %s tested columns drift (drift share %s); the dataset "
		    "%s (it drifts when the share is %s or more).", b1, b2, b3,
		    cJSON_IsTrue(dd) ? "drifts" : "does not drift", b4);
}

/* One drifted column's chart: each bin or category, reference then current. */
static int
drift_chart(struct aud__rctx *c, const cJSON *col)
{
	const cJSON *h = aud_json_get(col, "histogram");
	const cJSON *edges = aud_json_get(h, "edges"), *cats = aud_json_get(h, "categories");
	const cJSON *ref = aud_json_get(h, "reference"), *cur = aud_json_get(h, "current");
	struct aud__bar bars[MAX_BARS] = { { NULL, 0, 0, 0, 0, 0 } };
	char labels[MAX_BARS][96], title[512], dec[160];
	struct aud__hbar_opts o = AUD__HBAR_OPTS_INIT;
	size_t n = (size_t)cJSON_GetArraySize(ref), i, nb = 0;
	double hgt;
	int rc;

	if (n == 0 || (size_t)cJSON_GetArraySize(cur) != n || 2 * n > MAX_BARS)
		return 0;
	if (cats == NULL && (size_t)cJSON_GetArraySize(edges) + 1 != n)
		return 0;
	if (cats != NULL && (size_t)cJSON_GetArraySize(cats) != n)
		return 0;
	for (i = 0; i < n; i++) {
		char bin[80];

		if (cats != NULL) {
			aud_json_text(bin, sizeof(bin), cJSON_GetArrayItem(cats, (int)i));
		} else {
			char lo[32], hi[32];

			aud__fmt_value(lo, sizeof(lo), i > 0 ?
			    cJSON_GetArrayItem(edges, (int)i - 1)->valuedouble : NAN);
			aud__fmt_value(hi, sizeof(hi), i + 1 < n ?
			    cJSON_GetArrayItem(edges, (int)i)->valuedouble : NAN);
			if (i == 0)
				snprintf(bin, sizeof(bin), "< %s", hi);
			else if (i + 1 == n)
				snprintf(bin, sizeof(bin), "\xE2\x89\xA5 %s", lo);
			else
				snprintf(bin, sizeof(bin), "[%s, %s)", lo, hi);
		}
		snprintf(labels[nb], sizeof(labels[nb]), "%s reference", bin);
		bars[nb].label = labels[nb];
		bars[nb].value = cJSON_IsNumber(cJSON_GetArrayItem(ref, (int)i)) ?
		    cJSON_GetArrayItem(ref, (int)i)->valuedouble : NAN;
		bars[nb].lo = bars[nb].hi = NAN;
		bars[nb].hatched = 0;
		bars[nb].rgb = AUD__C_BLUE;
		nb++;
		snprintf(labels[nb], sizeof(labels[nb]), "%s current", bin);
		bars[nb].label = labels[nb];
		bars[nb].value = cJSON_IsNumber(cJSON_GetArrayItem(cur, (int)i)) ?
		    cJSON_GetArrayItem(cur, (int)i)->valuedouble : NAN;
		bars[nb].lo = bars[nb].hi = NAN;
		bars[nb].hatched = 0;
		bars[nb].rgb = AUD__C_ORANGE;
		nb++;
	}
	decision_cell(dec, sizeof(dec), col);
	snprintf(title, sizeof(title), "'%s': reference and current proportions (%s %s)",
	    aud__or(aud_json_str(col, "column"), "?"), aud__or(aud_json_str(col, "test"), "?"),
	    dec);
	o.title = title;
	o.x_label = cats != NULL ? "share of rows per category; blue: reference, orange: "
	    "current" : "share of rows per bin (cut at the reference's deciles); blue: "
	    "reference, orange: current";
	o.axis_lo = 0;
	o.decimals = 3;
	hgt = aud__chart_hbars_height(nb) + 8;
	rc = aud__rep_need(c, hgt);
	if (rc == 0)
		rc = aud__chart_hbars(c->pdf, c->left, c->y, aud__rep_width(c), bars, nb, &o,
		    c->err);
	c->y -= hgt;
	return rc;
}

/* The per-group view: drift share per group, and the group that drifts most. */
static int
draw_groups(struct aud__rctx *c, const cJSON *groups, double share_th)
{
	static const struct aud__col cols[] = {
		{ "Group", 0.22, AUD__LEFT }, { "Tested", 0.10, AUD__RIGHT },
		{ "Drifted", 0.10, AUD__RIGHT }, { "Drift share", 0.13, AUD__RIGHT },
		{ "Dataset drift", 0.15, AUD__LEFT }, { "Prediction drift", 0.15, AUD__LEFT },
		{ "Label drift", 0.15, AUD__LEFT },
	};
	const cJSON *g, *worst = NULL;
	struct aud__table t;
	double ws = -1;
	char b1[32], b2[32];
	int rc;

	rc = aud__rep_heading(c, 2, "Per group");
	if (rc == 0)
		rc = aud__rep_para(c, "The same comparison within each value of '%s': the "
		    "reference's rows of that value against the current file's.",
		    aud__or(aud_json_str(groups->child, "by"), "?"));
	if (rc == 0)
		rc = aud__rep_table_begin(c, &t, cols, 7, AUD__SMALL);
	cJSON_ArrayForEach(g, groups) {
		struct aud__row row;
		double s = aud_json_num(g, "drift_share");

		if (rc < 0)
			break;
		aud__row_init(&row);
		aud__row_set(&row, 0, "%s", aud__or(aud_json_str(g, "group"), "?"));
		aud__fmt_value(row.buf[1], AUD__CELL, aud_json_num(g, "tested"));
		aud__fmt_value(row.buf[2], AUD__CELL, aud_json_num(g, "drifted"));
		aud__fmt_value(row.buf[3], AUD__CELL, s);
		aud__row_set(&row, 4, "%s", cJSON_IsTrue(aud_json_get(g, "dataset_drift")) ? "yes" :
		    cJSON_IsFalse(aud_json_get(g, "dataset_drift")) ? "no" : "not tested");
		if (cJSON_IsObject(aud_json_get(g, "prediction")))
			aud__row_set(&row, 5, "%s", drift_word(aud_json_get(g, "prediction")));
		if (cJSON_IsObject(aud_json_get(g, "label")))
			aud__row_set(&row, 6, "%s", drift_word(aud_json_get(g, "label")));
		rc = aud__rep_table_row(c, &t, row.cells, 0);
		if (!isnan(s) && s > ws) {
			ws = s;
			worst = g;
		}
	}
	if (rc < 0)
		return rc;
	aud__rep_table_end(c, &t);
	aud__fmt_value(b2, sizeof(b2), share_th);
	if (worst == NULL)
		return aud__rep_para(c, "No group could be tested.");
	if (ws == 0)
		return aud__rep_para(c, "No column drifts in any group.");
	aud__fmt_value(b1, sizeof(b1), ws);
	{
		size_t ties = 0;

		cJSON_ArrayForEach(g, groups)
			if (aud_json_num(g, "drift_share") == ws)
				ties++;
		if (ties > 1)
			return aud__rep_para(c, "The largest drift share, %s, is shared by %zu "
			    "groups, the first of them '%s'.", b1, ties,
			    aud__or(aud_json_str(worst, "group"), "?"));
	}
	return aud__rep_para(c, "Group '%s' drifts most: drift share %s (a group's data drifts "
	    "when its share is %s or more).", aud__or(aud_json_str(worst, "group"), "?"), b1, b2);
}

/* The windows: a table and a line of the drift share (and the label's value) per window. */
static int
draw_windows(struct aud__rctx *c, const cJSON *wins, const char *label_col)
{
	static const struct aud__col cols[] = {
		{ "Window", 0.18, AUD__LEFT }, { "Rows", 0.10, AUD__RIGHT },
		{ "Drifted of tested", 0.15, AUD__RIGHT }, { "Drift share", 0.12, AUD__RIGHT },
		{ "Dataset drift", 0.13, AUD__LEFT }, { "Label: test, value", 0.20, AUD__RIGHT },
		{ "Label drift", 0.12, AUD__LEFT },
	};
	double x[MAX_WINDOWS], ys[MAX_WINDOWS];
	const cJSON *w;
	struct aud__table t;
	struct aud__series s;
	struct aud__line_opts o = AUD__LINE_OPTS_INIT;
	char xl[512], drifting[1024] = "";
	size_t n = 0, nd = 0, used = 0;
	double h;
	int rc;

	(void)label_col;
	rc = aud__rep_heading(c, 2, "Windows");
	if (rc == 0)
		rc = aud__rep_para(c, "The current file cut into successive windows, each "
		    "compared with the whole reference.");
	if (rc == 0)
		rc = aud__rep_table_begin(c, &t, cols, 7, AUD__SMALL);
	cJSON_ArrayForEach(w, wins) {
		struct aud__row row;
		const cJSON *lab = aud_json_get(w, "label");
		char b1[32], b2[32];

		if (rc < 0)
			break;
		aud__row_init(&row);
		aud__row_set(&row, 0, "%s", aud__or(aud_json_str(w, "window"), "?"));
		aud__fmt_value(row.buf[1], AUD__CELL, aud_json_num(w, "rows"));
		aud__fmt_value(b1, sizeof(b1), aud_json_num(w, "drifted"));
		aud__fmt_value(b2, sizeof(b2), aud_json_num(w, "tested"));
		aud__row_set(&row, 2, "%s of %s", b1, b2);
		aud__fmt_value(row.buf[3], AUD__CELL, aud_json_num(w, "drift_share"));
		aud__row_set(&row, 4, "%s", cJSON_IsTrue(aud_json_get(w, "dataset_drift")) ? "yes" :
		    cJSON_IsFalse(aud_json_get(w, "dataset_drift")) ? "no" : "not tested");
		if (cJSON_IsObject(lab)) {
			char dc[160];

			decision_cell(dc, sizeof(dc), lab);
			aud__row_set(&row, 5, "%s %s", aud__or(aud_json_str(lab, "test"), ""), dc);
			aud__row_set(&row, 6, "%s", drift_word(lab));
		}
		rc = aud__rep_table_row(c, &t, row.cells, 0);
		if (n < MAX_WINDOWS) {
			x[n] = (double)(n + 1);
			ys[n] = aud_json_num(w, "drift_share");
			n++;
		}
		if ((cJSON_IsTrue(aud_json_get(w, "dataset_drift")) ||
		    cJSON_IsTrue(aud_json_get(lab, "drift"))) && used < sizeof(drifting) - 64) {
			int k = snprintf(drifting + used, sizeof(drifting) - used, "%s'%s'%s",
			    nd > 0 ? ", " : "", aud__or(aud_json_str(w, "window"), "?"),
			    cJSON_IsTrue(aud_json_get(lab, "drift")) &&
			    !cJSON_IsTrue(aud_json_get(w, "dataset_drift")) ? " (label)" :
			    cJSON_IsTrue(aud_json_get(lab, "drift")) ? " (data and label)" : "");

			if (k > 0 && (size_t)k < sizeof(drifting) - used)
				used += (size_t)k;
			nd++;
		}
	}
	if (rc < 0)
		return rc;
	aud__rep_table_end(c, &t);
	rc = nd == 0 ? aud__rep_para(c, "No window drifts, neither its data nor its label.") :
	    aud__rep_para(c, "Windows that drift: %s.", drifting);
	if (rc < 0 || n < 2)
		return rc;
	s.name = "drift share";
	s.x = x;
	s.y = ys;
	s.n = n;
	snprintf(xl, sizeof(xl), "window (1 = %s, %zu = %s)",
	    aud__or(aud_json_str(wins->child, "window"), "?"), n,
	    aud__or(aud_json_str(cJSON_GetArrayItem(wins, (int)n - 1), "window"), "?"));
	o.title = "Drift share per window";
	o.x_whole = 1;
	o.x_label = xl;
	o.y_label = "share of tested columns that drift";
	o.y_lo = 0;
	o.y_hi = 1;
	h = AUD__CHART_TITLE + AUD__LINE_YLABEL + 110 + AUD__CHART_AXIS +
	    aud__chart_legend_height(c->pdf, &s, 1, aud__rep_width(c) - 34) + 14;
	rc = aud__rep_need(c, h);
	if (rc == 0)
		rc = aud__chart_lines(c->pdf, c->left, c->y, aud__rep_width(c), 110, &s, 1, &o,
		    c->err);
	c->y -= h;
	return rc;
}

static int
draw_drift(struct aud__rctx *c, const struct aud__rdoc *d)
{
	const cJSON *res = aud_json_get(d->json, "results");
	const cJSON *p = aud_json_get(d->json, "params");
	const cJSON *cols = aud_json_get(res, "columns"), *col;
	const cJSON *extra[2];
	double share_th = aud_json_num(p, "share");
	char head[1024], buf[1024];
	size_t charts = 0, ndrift = 0;
	int rc;

	extra[0] = aud_json_get(res, "prediction");
	extra[1] = aud_json_get(res, "label");
	if (!cJSON_IsObject(extra[0]))
		extra[0] = NULL;
	if (!cJSON_IsObject(extra[1]))
		extra[1] = NULL;
	if (isnan(share_th))
		share_th = 0.5;
	snprintf(head, sizeof(head), "Drift: %s against %s", input_path(d->json),
	    reference_path(d->json));
	rc = aud__rep_heading(c, 1, head);
	if (rc < 0)
		return rc;
	rc = aud__rep_para(c, "audit-data drift compares each column of the current file with "
	    "the same column of the reference (missing values dropped from both). The test "
	    "that decides follows Evidently's default choice unless --method named one: with a "
	    "reference of at most 1,000 rows, p-value tests (Kolmogorov\xE2\x80\x93Smirnov, "
	    "chi-square, z), else distances (normed Wasserstein, Jensen\xE2\x80\x93Shannon). "
	    "PSI is shown for every column.");
	if (rc == 0)
		rc = tests_sentence(c, cols, extra);
	if (rc < 0)
		return rc;
	share_sentence(buf, sizeof(buf), res, share_th);
	rc = aud__rep_text(c, AUD__FONT_BOLD, AUD__BODY, 0, buf, 4);
	if (rc == 0)
		rc = drift_table(c, cols);
	if (rc < 0)
		return rc;
	if (extra[0] != NULL || extra[1] != NULL) {
		struct aud__table t;
		size_t k;

		rc = aud__rep_heading(c, 2, "Prediction and label");
		if (rc == 0)
			rc = aud__rep_para(c, "Tested like the other columns, but left out of the "
			    "drift share.");
		if (rc == 0)
			rc = aud__rep_table_begin(c, &t, drift_cols, 7, AUD__SMALL);
		for (k = 0; rc == 0 && k < 2; k++) {
			struct aud__row row;

			if (extra[k] == NULL)
				continue;
			column_row(&row, extra[k]);
			snprintf(row.buf[0] + strlen(row.buf[0]), AUD__CELL - strlen(row.buf[0]),
			    " (%s)", k == 0 ? "prediction" : "label");
			rc = aud__rep_table_row(c, &t, row.cells,
			    cJSON_IsTrue(aud_json_get(extra[k], "drift")));
		}
		if (rc < 0)
			return rc;
		aud__rep_table_end(c, &t);
	}
	cJSON_ArrayForEach(col, cols)
		if (cJSON_IsTrue(aud_json_get(col, "drift")))
			ndrift++;
	if (ndrift > 0) {
		rc = aud__rep_heading(c, 2, "Drifted columns");
		if (rc == 0)
			rc = aud__rep_para(c, "Each drifted column's share of rows per bin "
			    "(numeric columns: the ten bins of PSI, cut at the reference's "
			    "deciles) or per category (the 20 most frequent, the rest as "
			    "(other))%s.",
			    ndrift > MAX_CHARTS ? "; the first 12 drifted columns are drawn" : "");
		cJSON_ArrayForEach(col, cols) {
			if (rc < 0 || charts >= MAX_CHARTS)
				break;
			if (!cJSON_IsTrue(aud_json_get(col, "drift")))
				continue;
			rc = drift_chart(c, col);
			charts++;
		}
		for (size_t k = 0; rc == 0 && k < 2; k++)
			if (extra[k] != NULL && cJSON_IsTrue(aud_json_get(extra[k], "drift")))
				rc = drift_chart(c, extra[k]);
		if (rc < 0)
			return rc;
	}
	if (cJSON_GetArraySize(aud_json_get(res, "groups")) > 0) {
		rc = draw_groups(c, aud_json_get(res, "groups"), share_th);
		if (rc < 0)
			return rc;
	}
	if (cJSON_GetArraySize(aud_json_get(res, "windows")) > 0) {
		rc = draw_windows(c, aud_json_get(res, "windows"), aud_json_str(p, "label"));
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- the section ---- */

int
aud__report_data(struct aud__rctx *c)
{
	const struct aud__rdoc *docs[64];
	size_t np = aud__rep_docs(c->r, AUD_REPORT_DATA_PROFILE, NULL, 0);
	size_t nc = aud__rep_docs(c->r, AUD_REPORT_DATA_CHECK, NULL, 0);
	size_t nd = aud__rep_docs(c->r, AUD_REPORT_DRIFT, NULL, 0);
	size_t i, k, n;
	int rc;

	if (np + nc + nd == 0)
		return 0;
	rc = aud__rep_heading(c, 0, "Data");
	if (rc == 0)
		rc = aud__rep_para(c, "What the data holds, whether it keeps the promises of its "
		    "schema, and whether it has moved away from a reference (audit-data). These "
		    "look at the data alone, not at the model.");
	for (k = 0; rc == 0 && k < 3; k++) {
		enum aud_report_kind kind = k == 0 ? AUD_REPORT_DATA_PROFILE :
		    k == 1 ? AUD_REPORT_DATA_CHECK : AUD_REPORT_DRIFT;

		n = aud__rep_docs(c->r, kind, docs, 64);
		if (n > 64)
			n = 64;
		for (i = 0; rc == 0 && i < n; i++)
			rc = kind == AUD_REPORT_DATA_PROFILE ? draw_profile(c, docs[i]) :
			    kind == AUD_REPORT_DATA_CHECK ? draw_check(c, docs[i]) :
			    draw_drift(c, docs[i]);
	}
	return rc;
}

/* Whether a drift test's value is a p-value (drift below the threshold)
 * rather than a distance (drift at or above it). */
static int
pvalue_test(const char *test)
{
	return test != NULL && (strcmp(test, "ks") == 0 || strcmp(test, "chisquare") == 0 ||
	    strcmp(test, "z") == 0);
}

/*
 * The drift finding in plain words: the column that drifts most (the
 * largest distance relative to its threshold, else the smallest p-value),
 * its statistic as an effect size and how far past the threshold it is.
 */
static int
drift_words(struct aud__rctx *c, const cJSON *res)
{
	const cJSON *col, *best = NULL;
	double score = -1;
	char v[32], t[32];
	const char *test, *name;

	cJSON_ArrayForEach(col, aud_json_get(res, "columns")) {
		double val = aud_json_num(col, "value"), thr = aud_json_num(col, "threshold");
		double sc;

		if (!cJSON_IsTrue(aud_json_get(col, "drift")) || isnan(val) || isnan(thr) ||
		    aud_json_str(col, "column") == NULL)
			continue;
		/* distances rank before p-values; each by its distance from the threshold */
		sc = pvalue_test(aud_json_str(col, "test")) ? 1.0 - val : (thr > 0 ? 2.0 + val / thr : 2.0);
		if (sc > score) {
			score = sc;
			best = col;
		}
	}
	if (best == NULL)
		return 0;
	test = aud__or(aud_json_str(best, "test"), "?");
	name = aud_json_str(best, "column");
	aud__words_num(v, sizeof(v), aud_json_num(best, "value"));
	aud__words_num(t, sizeof(t), aud_json_num(best, "threshold"));
	if (pvalue_test(test))
		return aud__rep_bullet(c, "In plain words: the clearest drift is in '%s': the %s "
		    "test gives p = %s, below the threshold %s, so the current values do not "
		    "look like the reference's.", name, strcmp(test, "ks") == 0 ?
		    "Kolmogorov\xE2\x80\x93Smirnov" : strcmp(test, "z") == 0 ? "two-proportion z" :
		    "chi-square", v, t);
	if (strcmp(test, "wasserstein") == 0)
		return aud__rep_bullet(c, "In plain words: the strongest drift is in '%s': its "
		    "values moved by %s standard deviations on average (normed Wasserstein "
		    "distance), %.2g times the threshold %s.", name, v,
		    aud_json_num(best, "value") / aud_json_num(best, "threshold"), t);
	return aud__rep_bullet(c, "In plain words: the strongest drift is in '%s': its "
	    "category shares moved by a %s of %s, %.2g times the threshold %s.", name,
	    strcmp(test, "psi") == 0 ? "population stability index" :
	    strcmp(test, "jensenshannon") == 0 ? "Jensen\xE2\x80\x93Shannon distance" : test, v,
	    aud_json_num(best, "value") / aud_json_num(best, "threshold"), t);
}

int
aud__report_data_finding(struct aud__rctx *c, const struct aud__rdoc *d)
{
	const cJSON *res = aud_json_get(d->json, "results");
	char b1[32], b2[32], b3[32];
	int rc;

	if (d->kind == AUD_REPORT_DATA_PROFILE) {
		const cJSON *col, *worst = NULL;
		double wm = 0, ndup;
		size_t nflag = 0;

		cJSON_ArrayForEach(col, aud_json_get(res, "columns_profile")) {
			double mr = aud_json_num(col, "missing_rate");

			if (!isnan(mr) && mr > wm) {
				wm = mr;
				worst = col;
			}
			if (aud_json_bool(col, "constant") || aud_json_bool(col, "id_like"))
				nflag++;
		}
		ndup = aud_json_num(res, "duplicate_rows");
		aud__fmt_value(b1, sizeof(b1), ndup);
		aud__fmt_rate(b2, sizeof(b2), wm);
		if (worst == NULL)
			return aud__rep_bullet(c, "Data quality (%s): no missing values, %s "
			    "duplicate %s, %zu %s constant or ID-like.", input_path(d->json),
			    b1, ndup == 1 ? "row" : "rows", nflag, nflag == 1 ? "column" : "columns");
		rc = aud__rep_bullet(c, "Data quality (%s): the most missing column is '%s' "
		    "(missing rate %s); %s duplicate %s, %zu %s constant or ID-like.",
		    input_path(d->json), aud__or(aud_json_str(worst, "column"), "?"), b2, b1,
		    ndup == 1 ? "row" : "rows", nflag, nflag == 1 ? "column" : "columns");
		aud__words_pct(b2, sizeof(b2), wm);
		aud__fmt_value(b1, sizeof(b1), aud_json_num(worst, "missing"));
		aud__fmt_value(b3, sizeof(b3), aud_json_num(res, "rows"));
		if (rc == 0 && !isnan(aud_json_num(worst, "missing")) && !isnan(aud_json_num(res, "rows")))
			rc = aud__rep_bullet(c, "In plain words: '%s' is missing in %s of the rows "
			    "(%s of %s).", aud__or(aud_json_str(worst, "column"), "?"), b2, b1, b3);
		return rc;
	}
	if (d->kind == AUD_REPORT_DATA_CHECK) {
		double nv = aud_json_num(res, "violations");

		aud__fmt_value(b1, sizeof(b1), nv);
		aud__fmt_value(b2, sizeof(b2), aud_json_num(res, "failed_columns"));
		if (nv == 0)
			return aud__rep_bullet(c, "Schema check (%s): no violation.",
			    input_path(d->json));
		return aud__rep_bullet(c, "Schema check (%s): %s violations in %s columns.",
		    input_path(d->json), b1, b2);
	}
	{
		double tested = aud_json_num(res, "tested"), drifted = aud_json_num(res, "drifted");
		const cJSON *lab = aud_json_get(res, "label");
		const cJSON *pred = aud_json_get(res, "prediction");
		char extra[256] = "";

		if (cJSON_IsObject(pred))
			snprintf(extra, sizeof(extra), "; the prediction %s",
			    cJSON_IsTrue(aud_json_get(pred, "drift")) ? "drifts" :
			    "does not drift");
		if (cJSON_IsObject(lab))
			snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
			    "; the label %s", cJSON_IsTrue(aud_json_get(lab, "drift")) ? "drifts" :
			    "does not drift");
		aud__fmt_value(b1, sizeof(b1), drifted);
		aud__fmt_value(b2, sizeof(b2), tested);
		aud__fmt_value(b3, sizeof(b3), aud_json_num(res, "drift_share"));
		if (isnan(tested) || tested == 0)
			return aud__rep_bullet(c, "Drift (%s against %s): no column could be "
			    "tested%s.", input_path(d->json), reference_path(d->json), extra);
		rc = aud__rep_bullet(c, "Drift (%s against %s): %s of %s columns drift (share "
		    "%s): %s%s.", input_path(d->json), reference_path(d->json), b1, b2, b3,
		    cJSON_IsTrue(aud_json_get(res, "dataset_drift")) ? "dataset drift" :
		    "no dataset drift", extra);
		if (rc == 0)
			rc = drift_words(c, res);
		return rc;
	}
}
