/*
 * datacheck.c — audit-data check: the input against a schema (schema.h).
 *
 * Each row is checked as it is read; every violation kind is counted per
 * column with the first line where it happened. Kinds: missing_column and
 * unexpected_column (the header; "first" is the header's line),
 * wrong_kind (a present value of a numeric column that is not a finite
 * number), not_integer, out_of_range, unseen_category, missing_value (a
 * missing value where nullable is false), missing_rate (the column's share
 * of missing values above max_missing_rate: counted once, "first" is the
 * first missing value), duplicate_key (a row whose key columns together
 * repeat an earlier row's: each repetition counts; keys are compared by a
 * 128-bit hash, see profile.c for the bound). A key of several columns has
 * an entry of its own, named by its columns joined with ','.
 *
 * --rows-out: every offending row, spooled to a temporary file while reading
 * and copied out with the other outputs: a CSV (comma-separated) whose first
 * column, "violations", lists the row's violations as KIND:COLUMN separated
 * by ';', followed by the row's fields as read (the input's header).
 */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/csv.h>
#include <audit/json.h>
#include <audit/progress.h>
#include <audit/schema.h>
#include <audit/text.h>

#include "colstat_impl.h"
#include "data_impl.h"

enum vkind {
	V_MISSING_COLUMN, V_UNEXPECTED_COLUMN, V_WRONG_KIND, V_NOT_INTEGER, V_OUT_OF_RANGE,
	V_UNSEEN_CATEGORY, V_MISSING_VALUE, V_MISSING_RATE, V_DUPLICATE_KEY, NKIND
};
static const char *const vnames[NKIND] = { "missing_column", "unexpected_column",
	"wrong_kind", "not_integer", "out_of_range", "unseen_category", "missing_value",
	"missing_rate", "duplicate_key" };

struct vcount {
	uint64_t count, first;
};

/* One entry of results.columns[]: a schema column, an unexpected column or a key. */
struct slot {
	char *name;
	const struct aud_schema_column *sc;   /* NULL: unexpected column or key */
	long idx;                             /* the input's column; -1: absent */
	uint64_t missing, first_missing;
	struct vcount v[NKIND];
};

struct dcheck {
	const struct aud_data_options *o;
	struct aud_schema *schema;
	struct slot *slots;
	size_t nslots, nschema;
	size_t key_slot;                      /* where duplicate_key goes */
	size_t *key_idx;                      /* the key's input columns */
	size_t nkey;
	struct aud__rowset keys;
	char *path;                           /* the input, for FILE:LINE */
	uint64_t rows, bad_rows;
	char *text;                           /* a field, NUL-terminated */
	size_t textcap;
	FILE *spool;                          /* --rows-out */
	char *header;                         /* the input's header as CSV, for --rows-out */
	struct aud_cli_file inputs[1];
	struct aud_job_output outputs[1];
};

static void
dcheck_free(void *self)
{
	struct dcheck *d = self;
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nslots; i++)
		free(d->slots[i].name);
	free(d->slots);
	free(d->key_idx);
	aud__rowset_free(&d->keys);
	aud_schema_free(d->schema);
	free(d->path);
	free(d->text);
	free(d->header);
	if (d->spool != NULL)
		fclose(d->spool);
	free(d);
}

static void
hit(struct slot *s, enum vkind k, uint64_t line)
{
	if (s->v[k].count++ == 0)
		s->v[k].first = line;
}

static int
add_slot(struct dcheck *d, const char *name, const struct aud_schema_column *sc, long idx,
    struct aud_error *err)
{
	struct slot *s;

	if ((d->nslots & (d->nslots - 1)) == 0) {
		s = realloc(d->slots, (d->nslots ? 2 * d->nslots : 8) * sizeof(*s));
		if (s == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		d->slots = s;
	}
	s = &d->slots[d->nslots];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	if (s->name == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	s->sc = sc;
	s->idx = idx;
	d->nslots++;
	return 0;
}

static long
find_col(const struct aud_csv *csv, const char *name)
{
	size_t i;

	for (i = 0; i < aud_csv_ncols(csv); i++)
		if (strcmp(aud_csv_colname(csv, i), name) == 0)
			return (long)i;
	return -1;
}

static int
selected(const struct aud_data_options *o, const char *name)
{
	size_t i;

	if (o->columns == NULL)
		return 1;
	for (i = 0; i < o->ncolumns; i++)
		if (strcmp(o->columns[i], name) == 0)
			return 1;
	return 0;
}

/* The slots from the schema and the header; the header's violations. */
static int
setup(struct dcheck *d, const struct aud_csv *csv, uint64_t header_line, struct aud_error *err)
{
	size_t ns = aud_schema_ncolumns(d->schema), i, j;
	int rc;

	for (i = 0; d->o->columns != NULL && i < d->o->ncolumns; i++) {
		for (j = 0; j < ns; j++)
			if (strcmp(aud_schema_column(d->schema, j)->name, d->o->columns[i]) == 0)
				break;
		if (j == ns)
			return AUD_ERROR(err, AUD_ENOTFOUND, "--columns: '%s' is not a column of "
			    "the schema %s", d->o->columns[i], d->o->schema);
	}
	for (i = 0; i < ns; i++) {
		const struct aud_schema_column *sc = aud_schema_column(d->schema, i);

		if (!selected(d->o, sc->name))
			continue;
		rc = add_slot(d, sc->name, sc, find_col(csv, sc->name), err);
		if (rc < 0)
			return rc;
		if (d->slots[d->nslots - 1].idx < 0)
			hit(&d->slots[d->nslots - 1], V_MISSING_COLUMN, header_line);
	}
	d->nschema = d->nslots;
	if (aud_schema_extra_error(d->schema) && d->o->columns == NULL)
		for (i = 0; i < aud_csv_ncols(csv); i++) {
			const char *name = aud_csv_colname(csv, i);

			for (j = 0; j < ns; j++)
				if (strcmp(aud_schema_column(d->schema, j)->name, name) == 0)
					break;
			if (j < ns)
				continue;
			rc = add_slot(d, name, NULL, (long)i, err);
			if (rc < 0)
				return rc;
			hit(&d->slots[d->nslots - 1], V_UNEXPECTED_COLUMN, header_line);
		}
	d->nkey = aud_schema_nkey(d->schema);
	if (d->nkey > 0) {
		char name[1024] = "";
		size_t used = 0;

		d->key_idx = calloc(d->nkey, sizeof(*d->key_idx));
		if (d->key_idx == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		for (i = 0; i < d->nkey; i++) {
			long k = find_col(csv, aud_schema_key(d->schema, i));

			if (k < 0) {   /* its missing_column says so; no key check */
				d->nkey = 0;
				break;
			}
			d->key_idx[i] = (size_t)k;
			used += (size_t)snprintf(name + used,
			    used < sizeof(name) ? sizeof(name) - used : 0, "%s%s", i ? "," : "",
			    aud_schema_key(d->schema, i));
		}
		if (d->nkey == 1) {
			for (j = 0; j < d->nslots; j++)
				if (d->slots[j].idx == (long)d->key_idx[0])
					break;
			if (j == d->nslots && (rc = add_slot(d, name, NULL, -1, err)) < 0)
				return rc;
			d->key_slot = j;
		} else if (d->nkey > 1) {
			rc = add_slot(d, name, NULL, -1, err);
			if (rc < 0)
				return rc;
			d->key_slot = d->nslots - 1;
		}
	}
	return 0;
}

static int
spool_header(struct dcheck *d, const struct aud_csv *csv, struct aud_error *err)
{
	size_t i;

	d->spool = tmpfile();
	if (d->spool == NULL)
		return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, errno, "--rows-out: cannot make a "
		    "temporary file");
	fputs("violations", d->spool);
	for (i = 0; i < aud_csv_ncols(csv); i++) {
		const char *n = aud_csv_colname(csv, i);

		fputc(',', d->spool);
		aud_csv_write_field(d->spool, n, strlen(n), ',');
	}
	fputc('\n', d->spool);
	return 0;
}

/* The field as a NUL-terminated text in d->text. */
static int
field_text(struct dcheck *d, const char *s, size_t len, struct aud_error *err)
{
	if (len + 1 > d->textcap) {
		size_t cap = 2 * (len + 1);
		char *t = realloc(d->text, cap);

		if (t == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		d->text = t;
		d->textcap = cap;
	}
	memcpy(d->text, s, len);
	d->text[len] = '\0';
	return 0;
}

/* Check one row; *kinds gets the row's violations as (slot, kind) bits in `found`. */
static int
check_row(struct dcheck *d, const struct aud_csv *csv, uint64_t line, unsigned char *found,
    struct aud_error *err)
{
	size_t k, len;
	int any = 0, rc;

	for (k = 0; k < d->nschema; k++) {
		struct slot *s = &d->slots[k];
		const struct aud_schema_column *sc = s->sc;
		const char *t;
		double x;
		int bad = -1;

		if (s->idx < 0)
			continue;
		if (aud_csv_is_na(csv, (size_t)s->idx)) {
			if (s->missing++ == 0)
				s->first_missing = line;
			if (!sc->nullable)
				bad = V_MISSING_VALUE;
		} else if (sc->kind == AUD_SCHEMA_NUMERIC) {
			t = aud_csv_field(csv, (size_t)s->idx, &len);
			if (!aud_parse_number(&x, t, len) || !isfinite(x))
				bad = V_WRONG_KIND;
			else if (sc->integer && x != floor(x))
				bad = V_NOT_INTEGER;
			else if ((sc->has_min && x < sc->min) || (sc->has_max && x > sc->max))
				bad = V_OUT_OF_RANGE;
		} else if (sc->kind == AUD_SCHEMA_CATEGORICAL && sc->categories != NULL) {
			t = aud_csv_field(csv, (size_t)s->idx, &len);
			rc = field_text(d, t, len, err);
			if (rc < 0)
				return rc;
			if (strlen(d->text) != len || !aud_schema_allows(sc, d->text))
				bad = V_UNSEEN_CATEGORY;
		}
		if (bad >= 0) {
			hit(s, (enum vkind)bad, line);
			found[k] = (unsigned char)(bad + 1);
			any = 1;
		}
	}
	if (d->nkey > 0) {
		uint64_t a = UINT64_C(0x6a09e667f3bcc908), b = UINT64_C(0xbb67ae8584caa73b);

		for (k = 0; k < d->nkey; k++) {
			const char *t = aud_csv_field(csv, d->key_idx[k], &len);

			if (aud_csv_is_na(csv, d->key_idx[k])) {
				t = "";
				len = 0;
				a ^= UINT64_C(0x9e3779b97f4a7c15);
			}
			aud__hash128(t, len, &a, &b);
		}
		rc = aud__rowset_seen(&d->keys, a, b, err);
		if (rc < 0)
			return rc;
		if (rc == 1) {
			hit(&d->slots[d->key_slot], V_DUPLICATE_KEY, line);
			found[d->nslots] = 1;
			any = 1;
		}
	}
	return any;
}

static int
spool_row(struct dcheck *d, const struct aud_csv *csv, const unsigned char *found,
    struct aud_error *err)
{
	size_t k, len, n = 0, size = 0;
	char *cell = NULL;
	FILE *m = open_memstream(&cell, &size);

	if (m == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (k = 0; k < d->nschema; k++)
		if (found[k])
			fprintf(m, "%s%s:%s", n++ ? ";" : "", vnames[found[k] - 1],
			    d->slots[k].name);
	if (found[d->nslots])
		fprintf(m, "%s%s:%s", n++ ? ";" : "", vnames[V_DUPLICATE_KEY],
		    d->slots[d->key_slot].name);
	if (fclose(m) != 0 || cell == NULL) {
		free(cell);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	aud_csv_write_field(d->spool, cell, size, ',');
	free(cell);
	for (k = 0; k < aud_csv_ncols(csv); k++) {
		const char *t = aud_csv_field(csv, k, &len);

		fputc(',', d->spool);
		aud_csv_write_field(d->spool, t, len, ',');
	}
	fputc('\n', d->spool);
	return 0;
}

static int
dcheck_read(void *self, struct aud_csv *csv, const struct aud_progress_cb *progress,
    struct aud_error *err)
{
	struct dcheck *d = self;
	unsigned char *found = NULL;
	size_t k;
	int rc;

	d->path = strdup(aud_csv_path(csv));
	if (d->path == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	rc = aud_schema_read_file(&d->schema, d->o->schema, err);
	if (rc < 0)
		return rc;
	rc = setup(d, csv, aud_csv_line(csv), err);
	if (rc == 0 && d->o->rows_out != NULL)
		rc = spool_header(d, csv, err);
	if (rc < 0)
		return rc;
	found = calloc(d->nslots + 1, 1);
	if (found == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	while ((rc = aud_csv_next(csv, err)) == 1) {
		uint64_t line = aud_csv_line(csv);

		memset(found, 0, d->nslots + 1);
		rc = check_row(d, csv, line, found, err);
		if (rc < 0)
			break;
		d->rows++;
		if (rc == 1) {
			d->bad_rows++;
			if (d->spool != NULL && (rc = spool_row(d, csv, found, err)) < 0)
				break;
		}
		if ((d->rows & 0xffff) == 0)
			aud_progress_report(progress, "input", AUD_PROGRESS_BYTES,
			    aud_csv_bytes(csv), aud_csv_size(csv));
	}
	free(found);
	if (rc < 0)
		return rc;
	if (d->spool != NULL && (fflush(d->spool) != 0 || ferror(d->spool)))
		return AUD_ERROR(err, AUD_EOUTPUT, "--rows-out: cannot write the temporary file");
	for (k = 0; k < d->nschema; k++) {
		struct slot *s = &d->slots[k];

		if (s->idx >= 0 && d->rows > 0 && !isnan(s->sc->max_missing_rate) &&
		    (double)s->missing / (double)d->rows > s->sc->max_missing_rate) {
			s->v[V_MISSING_RATE].count = 1;
			s->v[V_MISSING_RATE].first = s->first_missing;
		}
	}
	return 0;
}

/* ---- the document ------------------------------------------------------------ */

static int
dcheck_document(void *self, cJSON *params, cJSON *results, cJSON *warnings,
    struct aud_error *err)
{
	struct dcheck *d = self;
	const struct aud_data_options *o = d->o;
	uint64_t total = 0, failed = 0;
	cJSON *arr;
	size_t i, k;
	int ok = 1;

	(void)warnings;
	ok &= cJSON_AddStringToObject(params, "command", "check") != NULL;
	ok &= cJSON_AddStringToObject(params, "schema", o->schema) != NULL;
	if (o->columns != NULL)
		ok &= aud_json_add_strings(params, "columns", o->columns, o->ncolumns) != NULL;
	else
		ok &= cJSON_AddNullToObject(params, "columns") != NULL;
	ok &= (o->rows_out != NULL ? cJSON_AddStringToObject(params, "rows_out", o->rows_out) :
	    cJSON_AddNullToObject(params, "rows_out")) != NULL;
	ok &= cJSON_AddNumberToObject(results, "rows", (double)d->rows) != NULL;
	arr = cJSON_CreateArray();
	ok &= arr != NULL;
	for (i = 0; ok && i < d->nslots; i++) {
		struct slot *s = &d->slots[i];
		cJSON *c = cJSON_CreateObject(), *vs;
		uint64_t n = 0;

		ok &= c != NULL && cJSON_AddItemToArray(arr, c);
		ok &= ok && cJSON_AddStringToObject(c, "column", s->name) != NULL;
		vs = ok ? cJSON_AddArrayToObject(c, "violations") : NULL;
		ok &= vs != NULL;
		for (k = 0; ok && k < NKIND; k++) {
			cJSON *v;
			char first[1100];

			if (s->v[k].count == 0)
				continue;
			snprintf(first, sizeof(first), "%s:%llu", d->path,
			    (unsigned long long)s->v[k].first);
			v = cJSON_CreateObject();
			ok &= v != NULL && cJSON_AddItemToArray(vs, v);
			ok &= ok && cJSON_AddStringToObject(v, "kind", vnames[k]) != NULL &&
			    cJSON_AddNumberToObject(v, "count", (double)s->v[k].count) != NULL &&
			    cJSON_AddStringToObject(v, "first", first) != NULL;
			if (ok && k == V_MISSING_RATE)
				ok &= cJSON_AddNumberToObject(v, "rate", (double)s->missing /
				    (double)d->rows) != NULL && cJSON_AddNumberToObject(v, "bound",
				    s->sc->max_missing_rate) != NULL;
			n += s->v[k].count;
		}
		total += n;
		failed += n > 0;
	}
	ok &= cJSON_AddNumberToObject(results, "violations", (double)total) != NULL;
	ok &= cJSON_AddNumberToObject(results, "failed_columns", (double)failed) != NULL;
	ok &= cJSON_AddNumberToObject(results, "offending_rows", (double)d->bad_rows) != NULL;
	if (!ok || !cJSON_AddItemToObject(results, "columns", arr)) {
		if (!ok)
			cJSON_Delete(arr);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	return 0;
}

static int
write_rows(void *self, const cJSON *doc, FILE *f, struct aud_error *err)
{
	struct dcheck *d = self;
	char buf[65536];
	size_t n;

	(void)doc;
	if (d->spool == NULL)
		return 0;
	rewind(d->spool);
	while ((n = fread(buf, 1, sizeof(buf), d->spool)) > 0)
		if (fwrite(buf, 1, n, f) != n)
			return AUD_ERROR(err, AUD_EOUTPUT, "--rows-out: write failed");
	if (ferror(d->spool))
		return AUD_ERROR(err, AUD_EOUTPUT, "--rows-out: cannot read the temporary file");
	return 0;
}

static int
dcheck_describe(void *self, struct aud_job *job, struct aud_error *err)
{
	struct dcheck *d = self;

	(void)err;
	d->inputs[0].option = "--schema";
	d->inputs[0].path = d->o->schema;
	job->inputs = d->inputs;
	job->ninputs = 1;
	d->outputs[0].option = "--rows-out";
	d->outputs[0].path = d->o->rows_out;
	d->outputs[0].write = write_rows;
	job->outputs = d->outputs;
	job->noutputs = 1;
	return 0;
}

/* ---- checks ----------------------------------------------------------------------
 *
 *   violations                one value per (column, kind) found, "first" its line;
 *                             0 when there is none
 *   violations.KIND           per column: that kind's count (0 when none)
 *   failed_columns, offending_rows, rows   once
 *   COL: violations[.KIND]    that column's count (all kinds, or KIND)
 *   violations:COL.KIND       the same, the column named in the path
 */

static int
kind_index(const char *s)
{
	int k;

	for (k = 0; k < NKIND; k++)
		if (strcmp(s, vnames[k]) == 0)
			return k;
	return -1;
}

static int
dcheck_known(const struct aud_expr *e)
{
	size_t d = aud_expr_depth(e);
	const char *p0 = aud_expr_part(e, 0), *scope = aud_expr_scope(e);

	if (d == 1 && scope == NULL && (strcmp(p0, "failed_columns") == 0 ||
	    strcmp(p0, "offending_rows") == 0 || strcmp(p0, "rows") == 0))
		return 1;
	if (strcmp(p0, "violations") == 0)
		return d == 1 || (d == 2 && kind_index(aud_expr_part(e, 1)) >= 0);
	/* violations:COL.KIND */
	return scope != NULL && strcmp(scope, "violations") == 0 && d == 2 &&
	    kind_index(aud_expr_part(e, 1)) >= 0;
}

static double
count_of(const cJSON *col, int kind, const char **first)
{
	const cJSON *v;
	double n = 0;

	*first = NULL;
	cJSON_ArrayForEach(v, aud_json_get(col, "violations")) {
		const char *k = aud_json_str(v, "kind");

		if (kind >= 0 && (k == NULL || strcmp(k, vnames[kind]) != 0))
			continue;
		n += aud_json_num(v, "count");
		if (*first == NULL)
			*first = aud_json_str(v, "first");
	}
	return n;
}

static int
dcheck_resolve(const cJSON *results, const struct aud_expr *e, struct aud_check_sink *sink,
    const void *payload, struct aud_error *err)
{
	struct aud_check_value v = { NAN, NULL, NULL, NULL, NULL, NULL };
	const char *scope = aud_expr_scope(e), *p0 = aud_expr_part(e, 0), *first;
	const cJSON *col, *x;
	size_t d = aud_expr_depth(e);
	int kind = -1, matched = 0, emitted = 0, rc;

	(void)payload;
	if (d == 1 && strcmp(p0, "violations") != 0) {
		v.value = aud_json_num(results, p0);
		return aud_check_emit(sink, &v, err);
	}
	if (strcmp(p0, "violations") != 0) {          /* violations:COL.KIND */
		scope = p0;
		kind = kind_index(aud_expr_part(e, 1));
	} else if (d == 2) {
		kind = kind_index(aud_expr_part(e, 1));
	}
	cJSON_ArrayForEach(col, aud_json_get(results, "columns")) {
		const char *name = aud_json_str(col, "column");

		if (scope != NULL) {
			if (name == NULL || strcmp(name, scope) != 0)
				continue;
			matched = 1;
			v.attribute = name;
			v.value = count_of(col, kind, &first);
			if (v.value > 0 && first != NULL) {
				v.subject_key = "first";
				v.subject = first;
			}
			if (kind >= 0)
				v.group = vnames[kind];
			return aud_check_emit(sink, &v, err);
		}
		v.attribute = name;
		if (kind >= 0) {              /* every column: its count of KIND */
			v.group = vnames[kind];
			v.value = count_of(col, kind, &first);
			v.subject_key = v.value > 0 ? "first" : NULL;
			v.subject = v.value > 0 ? first : NULL;
			rc = aud_check_emit(sink, &v, err);
			if (rc < 0)
				return rc;
			emitted = 1;
			continue;
		}
		cJSON_ArrayForEach(x, aud_json_get(col, "violations")) {   /* each (column, kind) */
			v.group = aud_json_str(x, "kind");
			v.value = aud_json_num(x, "count");
			v.subject_key = "first";
			v.subject = aud_json_str(x, "first");
			rc = aud_check_emit(sink, &v, err);
			if (rc < 0)
				return rc;
			emitted = 1;
		}
	}
	if (scope != NULL && !matched)
		return AUD_ERROR(err, AUD_EINVAL, "check '%s': no column '%s'", aud_expr_text(e),
		    scope);
	if (!emitted) {
		struct aud_check_value zero = { 0.0, NULL, NULL, NULL, NULL, NULL };

		return aud_check_emit(sink, &zero, err);
	}
	return 0;
}

static void
dcheck_checks(void *self, struct aud_check_resolver *out)
{
	(void)self;
	out->known = dcheck_known;
	out->resolve = dcheck_resolve;
	out->reported = NULL;
	out->payload = NULL;
}

/* ---- the text views -------------------------------------------------------------- */

int
aud__check_write(const cJSON *doc, enum aud_format format, FILE *f, struct aud_error *err)
{
	const cJSON *res = aud_json_get(doc, "results"), *c, *v;
	struct aud_table *t = NULL;
	int rc;

	if (format != AUD_FORMAT_CSV) {
		double n = aud_json_num(res, "violations");

		if (n == 0)
			fprintf(f, "%.0f rows: no violation\n", aud_json_num(res, "rows"));
		else
			fprintf(f, "%.0f rows: %.0f violation%s in %.0f column%s, %.0f offending "
			    "row%s\n\n", aud_json_num(res, "rows"), n, n == 1 ? "" : "s",
			    aud_json_num(res, "failed_columns"),
			    aud_json_num(res, "failed_columns") == 1 ? "" : "s",
			    aud_json_num(res, "offending_rows"),
			    aud_json_num(res, "offending_rows") == 1 ? "" : "s");
		if (n == 0)
			return ferror(f) ? AUD_ERROR(err, AUD_EOUTPUT, "write failed") : 0;
	}
	rc = aud_table_new(&t, 4, err);
	if (rc < 0)
		return rc;
	aud_table_column(t, 0, "column", AUD_ALIGN_LEFT);
	aud_table_column(t, 1, "violation", AUD_ALIGN_LEFT);
	aud_table_column(t, 2, "count", AUD_ALIGN_RIGHT);
	aud_table_column(t, 3, "first", AUD_ALIGN_LEFT);
	cJSON_ArrayForEach(c, aud_json_get(res, "columns"))
		cJSON_ArrayForEach(v, aud_json_get(c, "violations")) {
			if (aud_table_add_row(t) < 0)
				break;
			aud_table_set(t, 0, "%s", aud_json_str(c, "column"));
			aud_table_set(t, 1, "%s", aud_json_str(v, "kind"));
			aud_table_set(t, 2, "%.0f", aud_json_num(v, "count"));
			aud_table_set(t, 3, "%s", aud_json_str(v, "first"));
		}
	rc = aud_table_render(t, f, format, NULL, err);
	aud_table_free(t);
	return rc;
}

static int
dcheck_write_view(const cJSON *doc, enum aud_format format, FILE *f, struct aud_error *err)
{
	return aud__check_write(doc, format, f, err);
}

static const struct aud_job_ops check_ops = {
	"audit.data-check/1",
	dcheck_read,
	NULL,
	dcheck_document,
	dcheck_checks,
	dcheck_write_view,
	0, NULL, NULL, NULL
};

int
aud__check_job_new(struct aud__data_sub *out, const struct aud_data_options *o,
    struct aud_error *err)
{
	struct dcheck *d;

	if (o->schema == NULL)
		return AUD_ERROR(err, AUD_EINVAL, "check needs --schema FILE");
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	d->o = o;
	out->ops = &check_ops;
	out->self = d;
	out->free = dcheck_free;
	out->describe = dcheck_describe;
	return 0;
}
