/* batch.c — column batches and the CSV batch reader. */
#include <audit/batch.h>

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/csv.h>

/* ---- batch ---- */

void
aud_batch_free(struct aud_batch *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->ncols; i++) {
		free(b->cols[i].name);
		free(b->cols[i].num);
		free(b->cols[i].code);
		aud_dict_free(b->cols[i].dict);
	}
	free(b->cols);
	free(b);
}

static int
col_alloc(struct aud_column *c, size_t cap, struct aud_error *err)
{
	if (c->kind == AUD_COL_NUMERIC) {
		double *p = realloc(c->num, (cap ? cap : 1) * sizeof(*p));

		if (p == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		c->num = p;
	} else {
		int32_t *p = realloc(c->code, (cap ? cap : 1) * sizeof(*p));

		if (p == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		c->code = p;
		if (c->dict == NULL)
			return aud_dict_new(&c->dict, err);
	}
	return 0;
}

int
aud_batch_new(struct aud_batch **out, size_t ncols, const char *const *names,
    const enum aud_col_kind *kinds, size_t cap, struct aud_error *err)
{
	struct aud_batch *b;
	size_t i;
	int rc = 0;

	*out = NULL;
	b = calloc(1, sizeof(*b));
	if (b == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	b->cols = calloc(ncols ? ncols : 1, sizeof(*b->cols));
	if (b->cols == NULL) {
		free(b);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	b->ncols = ncols;
	b->cap = cap;
	for (i = 0; i < ncols && rc == 0; i++) {
		b->cols[i].name = strdup(names[i]);
		b->cols[i].kind = kinds[i] == AUD_COL_CATEGORICAL ?
		    AUD_COL_CATEGORICAL : AUD_COL_NUMERIC;
		b->cols[i].is_integer = 1;
		if (b->cols[i].name == NULL)
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		else
			rc = col_alloc(&b->cols[i], cap, err);
	}
	if (rc < 0) {
		aud_batch_free(b);
		return rc;
	}
	*out = b;
	return 0;
}

int
aud_batch_reserve(struct aud_batch *b, size_t cap, struct aud_error *err)
{
	size_t i;
	int rc;

	if (cap <= b->cap)
		return 0;
	for (i = 0; i < b->ncols; i++) {
		rc = col_alloc(&b->cols[i], cap, err);
		if (rc < 0)
			return rc;
	}
	b->cap = cap;
	return 0;
}

int
aud_batch_clone(struct aud_batch **out, const struct aud_batch *b, struct aud_error *err)
{
	struct aud_batch *c = NULL;
	const char **names = NULL;
	enum aud_col_kind *kinds = NULL;
	size_t i;
	int rc = 0;

	*out = NULL;
	names = calloc(b->ncols ? b->ncols : 1, sizeof(*names));
	kinds = calloc(b->ncols ? b->ncols : 1, sizeof(*kinds));
	if (names == NULL || kinds == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < b->ncols; i++) {
		names[i] = b->cols[i].name;
		kinds[i] = b->cols[i].kind;
	}
	rc = aud_batch_new(&c, b->ncols, names, kinds, b->cap, err);
	if (rc < 0)
		goto done;
	for (i = 0; i < b->ncols; i++) {
		c->cols[i].is_integer = b->cols[i].is_integer;
		if (b->cols[i].kind == AUD_COL_CATEGORICAL) {
			aud_dict_free(c->cols[i].dict);
			c->cols[i].dict = NULL;
			rc = aud_dict_clone(&c->cols[i].dict, b->cols[i].dict, err);
			if (rc < 0)
				goto done;
		}
	}
	aud_batch_copy_rows(c, b);
	c->first_row = b->first_row;
	*out = c;
	c = NULL;
done:
	aud_batch_free(c);
	free(names);
	free(kinds);
	return rc;
}

void
aud_batch_copy_rows(struct aud_batch *dst, const struct aud_batch *src)
{
	size_t i;

	for (i = 0; i < src->ncols && i < dst->ncols; i++) {
		if (src->cols[i].kind == AUD_COL_NUMERIC)
			memcpy(dst->cols[i].num, src->cols[i].num,
			    src->nrows * sizeof(double));
		else
			memcpy(dst->cols[i].code, src->cols[i].code,
			    src->nrows * sizeof(int32_t));
	}
	dst->nrows = src->nrows;
}

long
aud_batch_find(const struct aud_batch *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->ncols; i++)
		if (strcmp(b->cols[i].name, name) == 0)
			return (long)i;
	return -1;
}

int
aud_batch_append(struct aud_batch *dst, const struct aud_batch *src, size_t from,
    size_t to, struct aud_error *err)
{
	size_t j, n = dst->nrows, k = to - from, cap = dst->cap;
	int rc;

	assert(from <= to && to <= src->nrows && dst->ncols == src->ncols);
	if (n + k > cap) {
		/* double what is held: a wide input with few rows reserves few */
		while (cap < n + k)
			cap = cap < 8 ? 16 : cap * 2;
		rc = aud_batch_reserve(dst, cap, err);
		if (rc < 0)
			return rc;
	}
	for (j = 0; j < src->ncols; j++) {
		const struct aud_column *s = &src->cols[j];
		struct aud_column *d = &dst->cols[j];

		if (s->kind == AUD_COL_NUMERIC) {
			memcpy(d->num + n, s->num + from, k * sizeof(double));
			if (!s->is_integer)
				d->is_integer = 0;
			continue;
		}
		memcpy(d->code + n, s->code + from, k * sizeof(int32_t));
		while (aud_dict_size(d->dict) < aud_dict_size(s->dict)) {
			int32_t code, want = (int32_t)aud_dict_size(d->dict);
			const char *str = aud_dict_str(s->dict, want);

			rc = aud_dict_intern(&code, d->dict, str, strlen(str), err);
			if (rc < 0)
				return rc;
			assert(code == want);
		}
	}
	dst->nrows = n + k;
	return 0;
}

/* ---- reader ---- */

struct aud_batch_reader {
	struct aud_csv *csv;
	struct aud_batch *batch;
	size_t *csvcol;
	enum aud_col_kind *want;   /* as asked (AUTO possible) */
	int decided;               /* AUTO kinds fixed after the first batch */
	size_t batch_rows;
	int keep_raw;
	char *raw;
	size_t raw_len, raw_cap;
	size_t *raw_off;
	uint64_t *line;
	uint64_t rows;
	/* first batch, AUTO columns: both representations */
	double **auto_num;
	int32_t **auto_code;
	struct aud_dict **auto_dict;
	int *auto_numeric;
};

void
aud_batch_reader_free(struct aud_batch_reader *r)
{
	size_t i;

	if (r == NULL)
		return;
	if (r->batch != NULL) {
		for (i = 0; i < r->batch->ncols; i++) {
			if (r->auto_num != NULL) {
				free(r->auto_num[i]);
				free(r->auto_code[i]);
				aud_dict_free(r->auto_dict[i]);
			}
		}
	}
	free(r->auto_num);
	free(r->auto_code);
	free(r->auto_dict);
	free(r->auto_numeric);
	aud_batch_free(r->batch);
	free(r->csvcol);
	free(r->want);
	free(r->raw);
	free(r->raw_off);
	free(r->line);
	free(r);
}

int
aud_batch_reader_new(struct aud_batch_reader **out, struct aud_csv *csv,
    const char *const *names, const enum aud_col_kind *kinds, size_t ncols,
    size_t batch_rows, int keep_raw, struct aud_error *err)
{
	struct aud_batch_reader *r;
	const char **cnames = NULL;
	enum aud_col_kind *bk = NULL;
	size_t i;
	int rc = 0;

	*out = NULL;
	if (names == NULL)
		ncols = aud_csv_ncols(csv);
	if (batch_rows == 0)
		batch_rows = 4096;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	r->csv = csv;
	r->batch_rows = batch_rows;
	r->keep_raw = keep_raw;
	r->csvcol = calloc(ncols ? ncols : 1, sizeof(*r->csvcol));
	r->want = calloc(ncols ? ncols : 1, sizeof(*r->want));
	cnames = calloc(ncols ? ncols : 1, sizeof(*cnames));
	bk = calloc(ncols ? ncols : 1, sizeof(*bk));
	r->line = calloc(batch_rows, sizeof(*r->line));
	r->auto_num = calloc(ncols ? ncols : 1, sizeof(*r->auto_num));
	r->auto_code = calloc(ncols ? ncols : 1, sizeof(*r->auto_code));
	r->auto_dict = calloc(ncols ? ncols : 1, sizeof(*r->auto_dict));
	r->auto_numeric = calloc(ncols ? ncols : 1, sizeof(*r->auto_numeric));
	if (r->csvcol == NULL || r->want == NULL || cnames == NULL || bk == NULL ||
	    r->line == NULL || r->auto_num == NULL || r->auto_code == NULL ||
	    r->auto_dict == NULL || r->auto_numeric == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	if (keep_raw) {
		r->raw_off = calloc(batch_rows + 1, sizeof(*r->raw_off));
		if (r->raw_off == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
	}
	for (i = 0; i < ncols; i++) {
		if (names == NULL) {
			r->csvcol[i] = i;
		} else {
			rc = aud_csv_find(&r->csvcol[i], csv, names[i], err);
			if (rc < 0)
				goto done;
		}
		cnames[i] = aud_csv_colname(csv, r->csvcol[i]);
		r->want[i] = kinds != NULL ? kinds[i] : AUD_COL_AUTO;
		bk[i] = r->want[i] == AUD_COL_CATEGORICAL ? AUD_COL_CATEGORICAL :
		    AUD_COL_NUMERIC;
		if (r->want[i] == AUD_COL_AUTO) {
			r->auto_num[i] = malloc(batch_rows * sizeof(double));
			r->auto_code[i] = malloc(batch_rows * sizeof(int32_t));
			if (r->auto_num[i] == NULL || r->auto_code[i] == NULL) {
				rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
				goto done;
			}
			rc = aud_dict_new(&r->auto_dict[i], err);
			if (rc < 0)
				goto done;
			r->auto_numeric[i] = 1;
		}
	}
	rc = aud_batch_new(&r->batch, ncols, cnames, bk, batch_rows, err);
	if (rc < 0)
		goto done;
	*out = r;
	r = NULL;
done:
	free(cnames);
	free(bk);
	aud_batch_reader_free(r);
	return rc;
}

static int
append_raw(struct aud_batch_reader *r, size_t row, struct aud_error *err)
{
	size_t len;
	const char *s = aud_csv_raw(r->csv, &len);

	if (r->raw == NULL || r->raw_len + len > r->raw_cap) {
		size_t ncap = r->raw_cap ? r->raw_cap : 65536;
		char *p;

		while (ncap < r->raw_len + len)
			ncap *= 2;
		p = realloc(r->raw, ncap);
		if (p == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		r->raw = p;
		r->raw_cap = ncap;
	}
	memcpy(r->raw + r->raw_len, s, len);
	r->raw_off[row] = r->raw_len;
	r->raw_len += len;
	r->raw_off[row + 1] = r->raw_len;
	return 0;
}

/* After the first batch: fix the kind of every AUTO column. */
static void
decide_auto(struct aud_batch_reader *r)
{
	struct aud_batch *b = r->batch;
	size_t i;

	for (i = 0; i < b->ncols; i++) {
		struct aud_column *c = &b->cols[i];

		if (r->want[i] != AUD_COL_AUTO)
			continue;
		if (r->auto_numeric[i]) {
			c->kind = AUD_COL_NUMERIC;
			memcpy(c->num, r->auto_num[i], b->nrows * sizeof(double));
		} else {
			c->kind = AUD_COL_CATEGORICAL;
			free(c->num);
			c->num = NULL;
			c->code = r->auto_code[i];
			r->auto_code[i] = NULL;
			c->dict = r->auto_dict[i];
			r->auto_dict[i] = NULL;
			c->is_integer = 0;
		}
		free(r->auto_num[i]);
		r->auto_num[i] = NULL;
		free(r->auto_code[i]);
		r->auto_code[i] = NULL;
		aud_dict_free(r->auto_dict[i]);
		r->auto_dict[i] = NULL;
	}
	r->decided = 1;
}

int
aud_batch_reader_next(struct aud_batch **out, struct aud_batch_reader *r,
    struct aud_error *err)
{
	struct aud_batch *b = r->batch;
	size_t row = 0, i;
	int rc;

	*out = NULL;
	b->nrows = 0;
	b->first_row = r->rows;
	r->raw_len = 0;
	while (row < r->batch_rows) {
		rc = aud_csv_next(r->csv, err);
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
		r->line[row] = aud_csv_line(r->csv);
		for (i = 0; i < b->ncols; i++) {
			struct aud_column *c = &b->cols[i];
			size_t ci = r->csvcol[i], len;
			const char *s;
			double v;

			if (!r->decided && r->want[i] == AUD_COL_AUTO) {
				s = aud_csv_field(r->csv, ci, &len);
				if (aud_csv_is_na(r->csv, ci)) {
					r->auto_num[i][row] = NAN;
					r->auto_code[i][row] = -1;
					continue;
				}
				if (aud_parse_number(&v, s, len) == 1) {
					r->auto_num[i][row] = v;
					if (v != floor(v))
						c->is_integer = 0;
				} else {
					r->auto_numeric[i] = 0;
				}
				rc = aud_dict_intern(&r->auto_code[i][row],
				    r->auto_dict[i], s, len, err);
				if (rc < 0)
					return rc;
				continue;
			}
			if (c->kind == AUD_COL_NUMERIC) {
				rc = aud_csv_number(&v, r->csv, ci, err);
				if (rc < 0)
					return rc;
				c->num[row] = v;
				if (rc == 1 && v != floor(v))
					c->is_integer = 0;
			} else {
				if (aud_csv_is_na(r->csv, ci)) {
					c->code[row] = -1;
					continue;
				}
				s = aud_csv_field(r->csv, ci, &len);
				rc = aud_dict_intern(&c->code[row], c->dict, s, len, err);
				if (rc < 0)
					return rc;
			}
		}
		if (r->keep_raw) {
			rc = append_raw(r, row, err);
			if (rc < 0)
				return rc;
		}
		row++;
	}
	b->nrows = row;
	if (!r->decided) {
		b->nrows = row;
		decide_auto(r);
	}
	r->rows += row;
	if (row == 0)
		return 0;
	*out = b;
	return 1;
}

const char *
aud_batch_reader_raw(const struct aud_batch_reader *r, size_t i, size_t *len)
{
	*len = r->raw_off[i + 1] - r->raw_off[i];
	return r->raw + r->raw_off[i];
}

uint64_t
aud_batch_reader_line(const struct aud_batch_reader *r, size_t i)
{
	return r->line[i];
}

/* ---- every row at once ---- */

#define READ_CELLS ((size_t)1 << 22)   /* cells per batch read: 65536 rows up to 64 columns */

int
aud_batch_read_all(struct aud_batch **out, struct aud_csv *csv,
    const char *const *names, const enum aud_col_kind *kinds, size_t ncols,
    struct aud_error *err)
{
	struct aud_batch_reader *rd = NULL;
	struct aud_batch *all = NULL, *b;
	const char **cn = NULL;
	enum aud_col_kind *ck = NULL;
	size_t j, nread;
	int rc;

	*out = NULL;
	/* batches of at most about READ_CELLS cells: 65536 rows of a narrow file,
	 * a few rows of a file with tens of thousands of columns */
	nread = names != NULL ? ncols : aud_csv_ncols(csv);
	nread = nread > 0 ? READ_CELLS / nread : 65536;
	nread = nread < 1 ? 1 : nread > 65536 ? 65536 : nread;
	rc = aud_batch_reader_new(&rd, csv, names, kinds, ncols, nread, 0, err);
	if (rc < 0)
		goto done;
	for (;;) {
		rc = aud_batch_reader_next(&b, rd, err);
		if (rc < 0)
			goto done;
		if (rc == 0 && all != NULL)
			break;
		if (all == NULL) {
			/* the kinds are decided by the first batch (an empty input gives one too) */
			struct aud_batch *shape = b;

			if (rc == 0) {
				/* no rows: build the columns from the header */
				size_t nc = names != NULL ? ncols : aud_csv_ncols(csv);

				cn = calloc(nc ? nc : 1, sizeof(*cn));
				ck = calloc(nc ? nc : 1, sizeof(*ck));
				if (cn == NULL || ck == NULL) {
					rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
					goto done;
				}
				for (j = 0; j < nc; j++) {
					cn[j] = names != NULL ? names[j] : aud_csv_colname(csv, j);
					ck[j] = kinds != NULL && kinds[j] == AUD_COL_CATEGORICAL ?
					    AUD_COL_CATEGORICAL : AUD_COL_NUMERIC;
				}
				rc = aud_batch_new(&all, nc, cn, ck, 1, err);
				goto done;
			}
			cn = calloc(shape->ncols ? shape->ncols : 1, sizeof(*cn));
			ck = calloc(shape->ncols ? shape->ncols : 1, sizeof(*ck));
			if (cn == NULL || ck == NULL) {
				rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
				goto done;
			}
			for (j = 0; j < shape->ncols; j++) {
				cn[j] = shape->cols[j].name;
				ck[j] = shape->cols[j].kind;
			}
			rc = aud_batch_new(&all, shape->ncols, cn, ck, shape->nrows, err);
			if (rc < 0)
				goto done;
		}
		rc = aud_batch_append(all, b, 0, b->nrows, err);
		if (rc < 0)
			goto done;
	}
	rc = 0;
done:
	free(cn);
	free(ck);
	aud_batch_reader_free(rd);
	if (rc < 0) {
		aud_batch_free(all);
		return rc;
	}
	all->first_row = 0;
	*out = all;
	return 0;
}
