/*
 * profile.c — audit-data profile: one colstat.h accumulator per column,
 * duplicate rows, the audit.data-profile/1 document, --emit-schema and the
 * check resolver of the document's paths.
 *
 * Duplicate rows: every row (all its fields, missing values equal to each
 * other whatever their token, as pandas' duplicated() compares NaN) is hashed
 * into 128 bits by aud__hash128() (each field length-prefixed). Exact mode keeps
 * the distinct hashes in an open-addressing set (16 bytes a distinct row):
 * two different rows are taken for one only when both 64-bit halves collide,
 * which for n rows happens with probability below n^2 / 2^129 (under 1e-24 at
 * 10^8 rows). --sketch keeps a HyperLogLog of the row hashes instead and
 * reports rows minus the estimated distinct rows (relative standard error of
 * the distinct count 0.8%): duplicate_rows_exact is then false.
 *
 * ID-like column: at least 20 present values, all distinct (counted
 * exactly), and categorical or integer-valued. Constant column: one distinct
 * present value.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/colstat.h>
#include <audit/json.h>
#include <audit/progress.h>
#include <audit/schema.h>
#include <audit/text.h>

#include "colstat_impl.h"
#include "data_impl.h"

#define ID_LIKE_MIN 20
#define SCHEMA_MAX_CATEGORIES 100

static const double qs[] = { 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99 };
static const char *const qkeys[] = { "p01", "p05", "p25", "p50", "p75", "p95", "p99" };
#define NQ (sizeof(qs) / sizeof(qs[0]))

struct profile {
	const struct aud_data_options *o;
	size_t n;                   /* columns looked at */
	size_t *idx;                /* their index in the input */
	struct aud_colstat **cols;
	uint64_t rows;
	/* duplicate rows */
	struct aud__rowset set;
	struct aud__hll *hll;       /* --sketch */
	char *buf;                  /* the row, for its hash */
	size_t bufcap;
	uint64_t dups;
	struct aud_job_output outputs[1];
};

static void
profile_free(void *self)
{
	struct profile *p = self;
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; p->cols != NULL && i < p->n; i++)
		aud_colstat_free(p->cols[i]);
	free(p->cols);
	free(p->idx);
	aud__rowset_free(&p->set);
	free(p->hll);
	free(p->buf);
	free(p);
}

/* ---- reading --------------------------------------------------------------- */

/*
 * The row's 128-bit hash: its fields, each as a 4-byte length (0xffffffff:
 * missing) and its bytes, in one buffer hashed by aud__hash128().
 */
static int
row_hash(struct profile *p, const struct aud_csv *csv, uint64_t *a, uint64_t *b,
    struct aud_error *err)
{
	size_t i, n = aud_csv_ncols(csv), len, used = 0;

	for (i = 0; i < n; i++) {
		const char *s = aud_csv_field(csv, i, &len);
		uint32_t l = (uint32_t)len;

		if (aud_csv_is_na(csv, i)) {
			l = UINT32_MAX;
			len = 0;
		}
		if (used + 4 + len > p->bufcap) {
			size_t cap = 2 * (used + 4 + len);
			char *nb = realloc(p->buf, cap);

			if (nb == NULL)
				return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			p->buf = nb;
			p->bufcap = cap;
		}
		memcpy(p->buf + used, &l, 4);
		memcpy(p->buf + used + 4, s, len);
		used += 4 + len;
	}
	*a = UINT64_C(0x6a09e667f3bcc908);
	*b = UINT64_C(0xbb67ae8584caa73b);
	aud__hash128(p->buf, used, a, b);
	return 0;
}

static int
profile_read(void *self, struct aud_csv *csv, const struct aud_progress_cb *progress,
    struct aud_error *err)
{
	struct profile *p = self;
	size_t k, len;
	int rc;

	p->n = p->o->columns != NULL ? p->o->ncolumns : aud_csv_ncols(csv);
	p->idx = calloc(p->n ? p->n : 1, sizeof(*p->idx));
	p->cols = calloc(p->n ? p->n : 1, sizeof(*p->cols));
	if (p->idx == NULL || p->cols == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (k = 0; k < p->n; k++) {
		if (p->o->columns != NULL) {
			rc = aud_csv_find(&p->idx[k], csv, p->o->columns[k], err);
			if (rc < 0)
				return rc;
		} else {
			p->idx[k] = k;
		}
		rc = aud_colstat_new(&p->cols[k], aud_csv_colname(csv, p->idx[k]), &p->o->col,
		    err);
		if (rc < 0)
			return rc;
	}
	if (p->o->col.sketch) {
		p->hll = calloc(1, sizeof(*p->hll));
		if (p->hll == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	while ((rc = aud_csv_next(csv, err)) == 1) {
		uint64_t line = aud_csv_line(csv), a, b;

		for (k = 0; k < p->n; k++) {
			const char *s = aud_csv_field(csv, p->idx[k], &len);

			rc = aud_colstat_add(p->cols[k], s, len, aud_csv_is_na(csv, p->idx[k]),
			    line, err);
			if (rc < 0)
				return rc;
		}
		rc = row_hash(p, csv, &a, &b, err);
		if (rc < 0)
			return rc;
		if (p->hll != NULL) {
			aud__hll_add(p->hll, a);
		} else {
			rc = aud__rowset_seen(&p->set, a, b, err);
			if (rc < 0)
				return rc;
			p->dups += (uint64_t)rc;
		}
		p->rows++;
		if ((p->rows & 0xffff) == 0)
			aud_progress_report(progress, "input", AUD_PROGRESS_BYTES,
			    aud_csv_bytes(csv), aud_csv_size(csv));
	}
	if (rc < 0)
		return rc;
	if (p->hll != NULL) {
		double d = floor(aud__hll_estimate(p->hll) + 0.5);

		p->dups = d >= (double)p->rows ? 0 : p->rows - (uint64_t)d;
	}
	return 0;
}

/* ---- the document ------------------------------------------------------------ */

static int
cmp_count_desc(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;   /* (count, byte-order index) */

	if (x[0] != y[0])
		return x[0] < y[0] ? 1 : -1;
	return (x[1] > y[1]) - (x[1] < y[1]);
}

static int
add_top(cJSON *o, const struct aud_colstat *c, size_t top, uint64_t present,
    struct aud_error *err)
{
	size_t n = aud_colstat_ncategories(c), i;
	uint64_t *v = malloc((n ? n : 1) * 2 * sizeof(*v));
	cJSON *arr = cJSON_AddArrayToObject(o, "top");

	if (v == NULL || arr == NULL) {
		free(v);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		aud_colstat_category(c, i, &v[2 * i], NULL);
		v[2 * i + 1] = i;
	}
	qsort(v, n, 2 * sizeof(*v), cmp_count_desc);
	for (i = 0; i < n && i < top; i++) {
		cJSON *t = cJSON_CreateObject();

		if (t == NULL || !cJSON_AddItemToArray(arr, t) ||
		    cJSON_AddStringToObject(t, "value",
		    aud_colstat_category(c, (size_t)v[2 * i + 1], NULL, NULL)) == NULL ||
		    cJSON_AddNumberToObject(t, "count", (double)v[2 * i]) == NULL ||
		    aud_json_add_number(t, "share", (double)v[2 * i] / (double)present) == NULL) {
			free(v);
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		}
	}
	free(v);
	if (cJSON_AddBoolToObject(o, "top_exact", !aud_colstat_overflow(c)) == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	return 0;
}

static int
column_doc(cJSON *arr, struct aud_colstat *c, size_t top, struct aud_error *err)
{
	cJSON *o = cJSON_CreateObject(), *q;
	enum aud_colstat_kind kind = aud_colstat_kind(c);
	uint64_t rows = aud_colstat_rows(c), missing = aud_colstat_missing(c);
	uint64_t present = rows - missing, distinct;
	struct aud_colstat_numeric s;
	int exact, ok = 1, integer;
	size_t i;

	if (o == NULL || !cJSON_AddItemToArray(arr, o)) {
		cJSON_Delete(o);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	distinct = aud_colstat_distinct(c, &exact);
	aud_colstat_numeric(c, &s);
	integer = kind == AUD_COLSTAT_NUMERIC && s.integers == s.n;
	ok &= cJSON_AddStringToObject(o, "column", aud_colstat_name(c)) != NULL;
	ok &= cJSON_AddStringToObject(o, "kind", aud_colstat_kind_names[kind]) != NULL;
	ok &= cJSON_AddNumberToObject(o, "count", (double)present) != NULL;
	ok &= cJSON_AddNumberToObject(o, "missing", (double)missing) != NULL;
	ok &= aud_json_add_number(o, "missing_rate", rows ? (double)missing / (double)rows :
	    NAN) != NULL;
	ok &= cJSON_AddNumberToObject(o, "distinct", (double)distinct) != NULL;
	ok &= cJSON_AddBoolToObject(o, "distinct_exact", exact) != NULL;
	ok &= cJSON_AddBoolToObject(o, "constant", present > 0 && exact && distinct == 1) != NULL;
	ok &= cJSON_AddBoolToObject(o, "id_like", exact && present >= ID_LIKE_MIN &&
	    distinct == present && (kind == AUD_COLSTAT_CATEGORICAL || integer)) != NULL;
	if (!ok)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	if (kind == AUD_COLSTAT_NUMERIC) {
		ok &= cJSON_AddBoolToObject(o, "integer", integer) != NULL;
		ok &= aud_json_add_number(o, "min", s.min) != NULL;
		ok &= aud_json_add_number(o, "max", s.max) != NULL;
		ok &= aud_json_add_number(o, "mean", s.mean) != NULL;
		ok &= aud_json_add_number(o, "sd", s.sd) != NULL;
		q = cJSON_AddObjectToObject(o, "quantiles");
		ok &= q != NULL;
		for (i = 0; ok && i < NQ; i++)
			ok &= aud_json_add_number(q, qkeys[i],
			    aud_colstat_quantile(c, qs[i], err)) != NULL;
		if (!ok)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	} else if (kind == AUD_COLSTAT_CATEGORICAL) {
		return add_top(o, c, top, present, err);
	}
	return 0;
}

static int
profile_document(void *self, cJSON *params, cJSON *results, cJSON *warnings,
    struct aud_error *err)
{
	struct profile *p = self;
	const struct aud_data_options *o = p->o;
	cJSON *arr, *sk;
	size_t k;
	int ok = 1, rc;

	(void)warnings;
	ok &= cJSON_AddStringToObject(params, "command", "profile") != NULL;
	if (o->columns != NULL)
		ok &= aud_json_add_strings(params, "columns", o->columns, o->ncolumns) != NULL;
	else
		ok &= cJSON_AddNullToObject(params, "columns") != NULL;
	if (o->col.sketch) {
		sk = cJSON_AddObjectToObject(params, "sketch");
		ok &= sk != NULL && cJSON_AddNumberToObject(sk, "eps", o->col.sketch_eps) != NULL &&
		    cJSON_AddStringToObject(sk, "quantiles", "rank within eps * n of the exact "
		    "quantile's") != NULL &&
		    cJSON_AddStringToObject(sk, "duplicate_rows", "rows minus a HyperLogLog "
		    "estimate of the distinct rows (relative standard error 0.8%)") != NULL;
	} else {
		ok &= cJSON_AddFalseToObject(params, "sketch") != NULL;
	}
	ok &= cJSON_AddNumberToObject(params, "max_categories", (double)o->col.max_categories) !=
	    NULL;
	ok &= cJSON_AddNumberToObject(params, "top", (double)o->top) != NULL;
	ok &= (o->emit_schema != NULL ? cJSON_AddStringToObject(params, "emit_schema",
	    o->emit_schema) : cJSON_AddNullToObject(params, "emit_schema")) != NULL;
	ok &= cJSON_AddNumberToObject(results, "rows", (double)p->rows) != NULL;
	ok &= cJSON_AddNumberToObject(results, "columns", (double)p->n) != NULL;
	ok &= cJSON_AddNumberToObject(results, "duplicate_rows", (double)p->dups) != NULL;
	ok &= cJSON_AddBoolToObject(results, "duplicate_rows_exact", p->hll == NULL) != NULL;
	arr = cJSON_AddArrayToObject(results, "columns_profile");
	if (!ok || arr == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (k = 0; k < p->n; k++) {
		rc = column_doc(arr, p->cols[k], o->top, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- --emit-schema ------------------------------------------------------------- */

static int
schema_column(cJSON *arr, struct aud_colstat *c, const cJSON *prof, struct aud_error *err)
{
	cJSON *o = cJSON_CreateObject();
	enum aud_colstat_kind kind = aud_colstat_kind(c);
	uint64_t rows = aud_colstat_rows(c), missing = aud_colstat_missing(c);
	int ok = 1;

	if (o == NULL || !cJSON_AddItemToArray(arr, o)) {
		cJSON_Delete(o);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	ok &= cJSON_AddStringToObject(o, "name", aud_colstat_name(c)) != NULL;
	ok &= cJSON_AddStringToObject(o, "kind", kind == AUD_COLSTAT_NUMERIC ? "numeric" :
	    kind == AUD_COLSTAT_CATEGORICAL ? "categorical" : "any") != NULL;
	ok &= cJSON_AddBoolToObject(o, "nullable", missing > 0) != NULL;
	if (kind == AUD_COLSTAT_NUMERIC) {
		struct aud_colstat_numeric s;

		aud_colstat_numeric(c, &s);
		ok &= cJSON_AddNumberToObject(o, "min", s.min) != NULL;
		ok &= cJSON_AddNumberToObject(o, "max", s.max) != NULL;
		ok &= cJSON_AddBoolToObject(o, "integer", s.integers == s.n) != NULL;
	} else if (kind == AUD_COLSTAT_CATEGORICAL && !aud_colstat_overflow(c) &&
	    aud_colstat_ncategories(c) <= SCHEMA_MAX_CATEGORIES &&
	    !cJSON_IsTrue(aud_json_get(prof, "id_like"))) {
		cJSON *cats = cJSON_AddArrayToObject(o, "categories");
		size_t i;

		ok &= cats != NULL;
		for (i = 0; ok && i < aud_colstat_ncategories(c); i++)
			ok &= cJSON_AddItemToArray(cats, cJSON_CreateString(
			    aud_colstat_category(c, i, NULL, NULL)));
	}
	ok &= cJSON_AddNumberToObject(o, "max_missing_rate", rows ? (double)missing /
	    (double)rows : 0.0) != NULL;
	return ok ? 0 : AUD_ERROR(err, AUD_ENOMEM, "out of memory");
}

static int
write_schema(void *self, const cJSON *doc, FILE *f, struct aud_error *err)
{
	struct profile *p = self;
	const cJSON *profs = aud_json_path(doc, "results.columns_profile");
	cJSON *root = cJSON_CreateObject(), *cols, *key = NULL;
	size_t k;
	int rc = 0;

	if (root == NULL || cJSON_AddStringToObject(root, "schema", AUD_SCHEMA_NAME) == NULL ||
	    (cols = cJSON_AddArrayToObject(root, "columns")) == NULL) {
		cJSON_Delete(root);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	for (k = 0; rc == 0 && k < p->n; k++) {
		const cJSON *prof = cJSON_GetArrayItem(profs, (int)k);

		rc = schema_column(cols, p->cols[k], prof, err);
		/* the first ID-like column is the key */
		if (rc == 0 && key == NULL && cJSON_IsTrue(aud_json_get(prof, "id_like"))) {
			key = cJSON_AddArrayToObject(root, "key");
			if (key == NULL || !cJSON_AddItemToArray(key,
			    cJSON_CreateString(aud_colstat_name(p->cols[k]))))
				rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		}
	}
	if (rc == 0 && key == NULL && cJSON_AddArrayToObject(root, "key") == NULL)
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	if (rc == 0 && cJSON_AddStringToObject(root, "extra_columns", "error") == NULL)
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	if (rc == 0)
		rc = aud_json_write(root, f, err);
	cJSON_Delete(root);
	return rc;
}

static int
profile_describe(void *self, struct aud_job *job, struct aud_error *err)
{
	struct profile *p = self;

	(void)err;
	p->outputs[0].option = "--emit-schema";
	p->outputs[0].path = p->o->emit_schema;
	p->outputs[0].write = write_schema;
	job->outputs = p->outputs;
	job->noutputs = 1;
	return 0;
}

/* ---- checks -------------------------------------------------------------------- */

static const char *const col_metrics[] = { "count", "missing", "missing_rate", "distinct",
	"constant", "id_like", "min", "max", "mean", "sd", NULL };

static int
is_col_metric(const struct aud_expr *e, size_t from)
{
	size_t d = aud_expr_depth(e), i;
	const char *m;

	if (d == from + 2 && strcmp(aud_expr_part(e, from), "quantiles") == 0) {
		for (i = 0; i < NQ; i++)
			if (strcmp(aud_expr_part(e, from + 1), qkeys[i]) == 0)
				return 1;
		return 0;
	}
	if (d != from + 1)
		return 0;
	m = aud_expr_part(e, from);
	for (i = 0; col_metrics[i] != NULL; i++)
		if (strcmp(m, col_metrics[i]) == 0)
			return 1;
	return 0;
}

/* "column:NAME.METRIC": the column named in the path (scope "column"). */
static int
named_in_path(const struct aud_expr *e)
{
	const char *s = aud_expr_scope(e);

	return s != NULL && strcmp(s, "column") == 0 && aud_expr_depth(e) >= 2 &&
	    !is_col_metric(e, 0) && is_col_metric(e, 1);
}

static int
profile_known(const struct aud_expr *e)
{
	const char *p0 = aud_expr_part(e, 0);

	if (aud_expr_depth(e) == 1 && aud_expr_scope(e) == NULL &&
	    (strcmp(p0, "rows") == 0 || strcmp(p0, "columns") == 0 ||
	    strcmp(p0, "duplicate_rows") == 0))
		return 1;
	return is_col_metric(e, 0) || named_in_path(e);
}

static double
metric_value(const cJSON *col, const struct aud_expr *e, size_t from)
{
	const cJSON *v = aud_json_get(col, aud_expr_part(e, from));

	if (aud_expr_depth(e) == from + 2)
		v = aud_json_get(v, aud_expr_part(e, from + 1));
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? 1.0 : 0.0;
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static int
profile_resolve(const cJSON *results, const struct aud_expr *e, struct aud_check_sink *sink,
    const void *payload, struct aud_error *err)
{
	struct aud_check_value v = { NAN, NULL, NULL, NULL, NULL, NULL };
	const char *scope = aud_expr_scope(e), *want = scope;
	const cJSON *col;
	size_t from = 0;
	int matched = 0, rc;

	(void)payload;
	if (aud_expr_depth(e) == 1 && scope == NULL && !is_col_metric(e, 0)) {
		v.value = aud_json_num(results, aud_expr_part(e, 0));
		return aud_check_emit(sink, &v, err);
	}
	if (named_in_path(e)) {
		want = aud_expr_part(e, 0);
		from = 1;
	}
	cJSON_ArrayForEach(col, aud_json_get(results, "columns_profile")) {
		v.attribute = aud_json_str(col, "column");
		if (want != NULL && (v.attribute == NULL || strcmp(v.attribute, want) != 0))
			continue;
		matched = 1;
		v.value = metric_value(col, e, from);
		rc = aud_check_emit(sink, &v, err);
		if (rc < 0)
			return rc;
	}
	if (want != NULL && !matched)
		return AUD_ERROR(err, AUD_EINVAL, "check '%s': no column '%s'", aud_expr_text(e),
		    want);
	return 0;
}

static void
profile_checks(void *self, struct aud_check_resolver *out)
{
	(void)self;
	out->known = profile_known;
	out->resolve = profile_resolve;
	out->reported = NULL;
	out->payload = NULL;
}

/* ---- the text views -------------------------------------------------------------- */

static void
cell(struct aud_table *t, size_t col, const cJSON *o, const char *key, int exact)
{
	const cJSON *v = aud_json_get(o, key);
	char buf[AUD_NUMBUF];

	if (cJSON_IsBool(v)) {
		aud_table_set(t, col, "%s", cJSON_IsTrue(v) ? "yes" : "no");
		return;
	}
	if (!cJSON_IsNumber(v)) {
		aud_table_set(t, col, "%s", "");
		return;
	}
	if (exact)
		aud_format_double(buf, v->valuedouble);
	else
		aud_format_sig(buf, v->valuedouble, 4, 1, "");
	aud_table_set(t, col, "%s", buf);
}

static const char *const view_heads[] = { "column", "kind", "count", "missing_rate",
	"distinct", "min", "p25", "p50", "mean", "p75", "max", "sd", "flags", "top" };
#define NVIEW (sizeof(view_heads) / sizeof(view_heads[0]))

int
aud__profile_write(const cJSON *doc, enum aud_format format, FILE *f, struct aud_error *err)
{
	const cJSON *res = aud_json_get(doc, "results"), *c;
	struct aud_table *t = NULL;
	int exact = format == AUD_FORMAT_CSV, rc;
	size_t i;

	if (format != AUD_FORMAT_CSV) {
		char d[AUD_NUMBUF];

		aud_format_sig(d, aud_json_num(res, "duplicate_rows"), 6, 1, "?");
		fprintf(f, "%s%.0f rows, %.0f columns, %s duplicate rows%s\n\n",
		    format == AUD_FORMAT_MD ? "" : "", aud_json_num(res, "rows"),
		    aud_json_num(res, "columns"), d,
		    aud_json_bool(res, "duplicate_rows_exact") ? "" : " (estimated)");
	}
	rc = aud_table_new(&t, NVIEW, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < NVIEW; i++)
		aud_table_column(t, i, view_heads[i], i < 2 || i >= 12 ? AUD_ALIGN_LEFT :
		    AUD_ALIGN_RIGHT);
	cJSON_ArrayForEach(c, aud_json_get(res, "columns_profile")) {
		const cJSON *q = aud_json_get(c, "quantiles"), *top = aud_json_get(c, "top"), *x;
		char flags[32] = "", tops[256] = "";
		size_t used = 0, n = 0;

		if (aud_table_add_row(t) < 0)
			break;
		aud_table_set(t, 0, "%s", aud_json_str(c, "column"));
		aud_table_set(t, 1, "%s", aud_json_str(c, "kind"));
		cell(t, 2, c, "count", 1);
		cell(t, 3, c, "missing_rate", exact);
		cell(t, 4, c, "distinct", 1);
		if (!aud_json_bool(c, "distinct_exact") && !exact)
			aud_table_set(t, 4, "~%.0f", aud_json_num(c, "distinct"));
		cell(t, 5, c, "min", exact);
		cell(t, 6, q, "p25", exact);
		cell(t, 7, q, "p50", exact);
		cell(t, 8, c, "mean", exact);
		cell(t, 9, q, "p75", exact);
		cell(t, 10, c, "max", exact);
		cell(t, 11, c, "sd", exact);
		snprintf(flags, sizeof(flags), "%s%s%s", aud_json_bool(c, "constant") ? "constant" :
		    "", aud_json_bool(c, "constant") && aud_json_bool(c, "id_like") ? "," : "",
		    aud_json_bool(c, "id_like") ? "id_like" : "");
		aud_table_set(t, 12, "%s", flags);
		cJSON_ArrayForEach(x, top) {
			int w;

			if (n == 3 && !exact)
				break;
			w = snprintf(tops + used, sizeof(tops) - used, "%s%s (%.0f)", n ? "; " : "",
			    aud_json_str(x, "value") ? aud_json_str(x, "value") : "",
			    aud_json_num(x, "count"));
			if (w < 0 || (size_t)w >= sizeof(tops) - used)
				break;
			used += (size_t)w;
			n++;
		}
		aud_table_set(t, 13, "%s", tops);
	}
	rc = aud_table_render(t, f, format, NULL, err);
	aud_table_free(t);
	return rc;
}

static int
profile_write_view(const cJSON *doc, enum aud_format format, FILE *f, struct aud_error *err)
{
	return aud__profile_write(doc, format, f, err);
}

static const struct aud_job_ops profile_ops = {
	"audit.data-profile/1",
	profile_read,
	NULL,
	profile_document,
	profile_checks,
	profile_write_view,
	0, NULL, NULL, NULL
};

int
aud__profile_job_new(struct aud__data_sub *out, const struct aud_data_options *o,
    struct aud_error *err)
{
	struct profile *p;

	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	p->o = o;
	out->ops = &profile_ops;
	out->self = p;
	out->free = profile_free;
	out->describe = profile_describe;
	return 0;
}
