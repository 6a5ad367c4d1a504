/*
 * discover.c — slice discovery (audit-slice --discover; docs/slice.md,
 * "Discovery").
 *
 * While rows arrive, each slicing column is kept compactly: a column starts
 * numeric (a double per row, NaN when missing) and, as long as it has at most
 * max_values distinct texts, also keeps a dictionary code per row; the first
 * present value that is not a number makes it categorical (its codes stay,
 * its doubles go), or, when the codes were already dropped, leaves it out. A
 * categorical column with more than max_values distinct texts is left out.
 * The metric's value and eligibility of each row are kept beside them.
 *
 * At the end every kept column becomes a partition of the rows into
 * predicates (its bins or values, and `is missing`), stored as one small
 * integer per eligible row. The sums of every conjunction of up to three
 * predicates on distinct columns then come from dense tables, one pass over
 * the eligible rows per column pair (and per triple). A conjunction can be
 * no larger than any of its parts, so only predicates (and pairs) of at
 * least min_size rows index the tables; the others go to one ignored cell.
 */
#include <audit/dict.h>
#include <audit/json.h>
#include <audit/text.h>

#include "slice_impl.h"

#include <gsl/gsl_cdf.h>

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Most predicates a column may have: codes are 16-bit. */
#define MAX_PREDS 65535u

enum col_state { COL_NUMERIC, COL_CATEGORICAL, COL_OUT };

static const char why_values[] = "more distinct values than --max-values";
static const char why_norows[] = "no rows";

enum pred_op { OP_EQ_TEXT, OP_EQ_NUM, OP_LE, OP_RANGE, OP_GT, OP_MISSING };

struct pred {
	enum pred_op op;
	double lo, hi;        /* OP_EQ_NUM: lo; OP_LE: hi; OP_RANGE: (lo, hi]; OP_GT: lo */
	const char *text;     /* OP_EQ_TEXT: borrowed from the column's dictionary */
	char *desc;           /* "age <= 30" */
};

struct dcol {
	size_t index;         /* in the file */
	char *name;
	enum col_state state;
	const char *why;      /* COL_OUT: the reason */
	double *num;          /* numeric: per row, NaN when missing */
	int32_t *code;        /* dictionary code per row, -1 missing; NULL when dropped */
	struct aud_dict *dict;
	uint64_t missing;
	/* at the end */
	int binned;
	double *edges;
	size_t nedges;
	struct pred *preds;
	size_t npreds;
	uint16_t *pc;         /* predicate per eligible row */
};

struct aud__discover {
	struct aud_slice_options o;
	struct dcol *cols;
	size_t ncols;
	size_t rows, cap;
	unsigned char *elig;
	double *val;
};

/* A tested conjunction. */
struct cand {
	struct aud__slice_sum sum;
	double p, effect, q;
	uint16_t col[3], pred[3];
	unsigned char deg;
	char *desc;           /* only for the significant ones */
};

struct cands {
	struct cand *v;
	size_t n, cap;
};

/* ---- reading ---- */

static int
nomem(struct aud_error *err)
{
	return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
}

static void
col_release(struct dcol *c)
{
	free(c->num);
	c->num = NULL;
	free(c->code);
	c->code = NULL;
	aud_dict_free(c->dict);
	c->dict = NULL;
}

static void
col_free(struct dcol *c)
{
	col_release(c);
	free(c->name);
	free(c->edges);
	for (size_t i = 0; i < c->npreds; i++)
		free(c->preds[i].desc);
	free(c->preds);
	free(c->pc);
}

void
aud__discover_free(struct aud__discover *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->ncols; i++)
		col_free(&d->cols[i]);
	free(d->cols);
	free(d->elig);
	free(d->val);
	free(d);
}

static int
by_index(const void *a, const void *b)
{
	const struct dcol *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

int
aud__discover_new(struct aud__discover **out, const struct aud_slice_options *o,
    struct aud_csv *csv, const char *const *exclude, size_t nexclude, struct aud_error *err)
{
	struct aud__discover *d;
	size_t ncsv = aud_csv_ncols(csv);
	int rc = 0;

	assert(out != NULL && o != NULL && csv != NULL);
	*out = NULL;
	if (o->max_values + 1u > MAX_PREDS)
		return AUD_ERROR(err, AUD_EINVAL, "--max-values '%u' out of range [1, %u]",
		    o->max_values, MAX_PREDS - 1);
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return nomem(err);
	d->o = *o;
	d->cols = calloc(ncsv > 0 ? ncsv : 1, sizeof(*d->cols));
	if (d->cols == NULL) {
		rc = nomem(err);
		goto done;
	}
	if (o->columns != NULL) {
		for (size_t i = 0; i < o->ncolumns; i++) {
			size_t k;
			int dup = 0;

			rc = aud_csv_find(&k, csv, o->columns[i], err);
			if (rc < 0)
				goto done;
			for (size_t j = 0; j < d->ncols; j++)
				dup |= d->cols[j].index == k;
			if (!dup)
				d->cols[d->ncols++].index = k;
		}
	} else {
		for (size_t k = 0; k < ncsv; k++) {
			const char *name = aud_csv_colname(csv, k);
			int skip = 0;

			for (size_t j = 0; j < nexclude; j++)
				skip |= exclude[j] != NULL && strcmp(exclude[j], name) == 0;
			if (!skip)
				d->cols[d->ncols++].index = k;
		}
	}
	/* predicates in the file's column order */
	qsort(d->cols, d->ncols, sizeof(*d->cols), by_index);
	for (size_t i = 0; i < d->ncols; i++) {
		struct dcol *c = &d->cols[i];

		c->name = strdup(aud_csv_colname(csv, c->index));
		if (c->name == NULL) {
			rc = nomem(err);
			goto done;
		}
		rc = aud_dict_new(&c->dict, err);
		if (rc < 0)
			goto done;
		c->state = COL_NUMERIC;
	}
done:
	if (rc < 0)
		aud__discover_free(d);
	else
		*out = d;
	return rc;
}

static int
grow(void **p, size_t size, size_t cap)
{
	void *q = realloc(*p, size * cap);

	if (q == NULL)
		return -1;
	*p = q;
	return 0;
}

/* Room for one more row in every array. */
static int
reserve(struct aud__discover *d, struct aud_error *err)
{
	size_t cap;

	if (d->rows < d->cap)
		return 0;
	cap = d->cap < 1024 ? 1024 : d->cap * 2;
	if (grow((void **)&d->elig, 1, cap) < 0 || grow((void **)&d->val, sizeof(double), cap) < 0)
		return nomem(err);
	for (size_t i = 0; i < d->ncols; i++) {
		struct dcol *c = &d->cols[i];

		if (c->num != NULL || (c->state == COL_NUMERIC && d->rows == 0))
			if (grow((void **)&c->num, sizeof(double), cap) < 0)
				return nomem(err);
		if (c->code != NULL || (c->state != COL_OUT && d->rows == 0))
			if (grow((void **)&c->code, sizeof(int32_t), cap) < 0)
				return nomem(err);
	}
	d->cap = cap;
	return 0;
}

static void
leave_out(struct dcol *c, const char *why)
{
	col_release(c);
	c->state = COL_OUT;
	c->why = why;
}

int
aud__discover_add(struct aud__discover *d, struct aud_csv *csv, int eligible,
    double value, struct aud_error *err)
{
	size_t r = d->rows;
	int rc;

	rc = reserve(d, err);
	if (rc < 0)
		return rc;
	d->elig[r] = eligible ? 1 : 0;
	d->val[r] = eligible ? value : 0.0;
	for (size_t i = 0; i < d->ncols; i++) {
		struct dcol *c = &d->cols[i];
		const char *s;
		size_t len;
		double x = NAN;
		int isnum = 0;

		if (c->state == COL_OUT)
			continue;
		if (aud_csv_is_na(csv, c->index)) {
			c->missing++;
			if (c->num != NULL)
				c->num[r] = NAN;
			if (c->code != NULL)
				c->code[r] = -1;
			continue;
		}
		s = aud_csv_field(csv, c->index, &len);
		if (c->state == COL_NUMERIC) {
			isnum = aud_parse_number(&x, s, len) == 1;
			if (!isnum) {
				if (c->code == NULL) {
					leave_out(c, why_values);
					continue;
				}
				free(c->num);
				c->num = NULL;
				c->state = COL_CATEGORICAL;
			} else {
				c->num[r] = x;
			}
		}
		if (c->code != NULL) {
			int32_t k;

			rc = aud_dict_intern(&k, c->dict, s, len, err);
			if (rc < 0)
				return rc;
			c->code[r] = k;
			if (aud_dict_size(c->dict) > d->o.max_values) {
				if (c->state == COL_CATEGORICAL) {
					leave_out(c, why_values);
				} else {
					/* a number column: its texts are no longer needed */
					free(c->code);
					c->code = NULL;
				}
			}
		}
	}
	d->rows++;
	return 0;
}

/* ---- predicates ---- */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Sort n doubles (no NaN) ascending: an LSD radix sort of their order-keeping
 * 64-bit keys, 8 passes of a byte (a million values in a few milliseconds,
 * where qsort() took a tenth of a second).
 */
static int
sort_doubles(double *x, size_t n)
{
	uint64_t *a = malloc((n ? n : 1) * sizeof(*a)), *b = malloc((n ? n : 1) * sizeof(*b));
	size_t count[8][256];

	if (a == NULL || b == NULL) {
		free(a);
		free(b);
		return -1;
	}
	memset(count, 0, sizeof(count));
	for (size_t i = 0; i < n; i++) {
		uint64_t u;

		memcpy(&u, &x[i], sizeof(u));
		/* negative numbers: all bits flipped; others: the sign bit set */
		u = (u >> 63) ? ~u : u | (UINT64_C(1) << 63);
		a[i] = u;
		for (int p = 0; p < 8; p++)
			count[p][(u >> (8 * p)) & 0xff]++;
	}
	for (int p = 0; p < 8; p++) {
		size_t sum = 0;
		uint64_t *t;

		if (count[p][(a[0] >> (8 * p)) & 0xff] == n)
			continue;   /* every key has the same byte here */
		for (int v = 0; v < 256; v++) {
			size_t c = count[p][v];

			count[p][v] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			b[count[p][(a[i] >> (8 * p)) & 0xff]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t u = a[i];

		u = (u >> 63) ? u & ~(UINT64_C(1) << 63) : ~u;
		memcpy(&x[i], &u, sizeof(u));
	}
	free(a);
	free(b);
	return 0;
}

/* numpy.quantile(sorted, q) with its default linear method. */
static double
quantile(const double *x, size_t n, double q)
{
	double h = (double)(n - 1) * q, g, a, b;
	size_t lo;

	if (h <= 0.0)
		return x[0];
	lo = (size_t)floor(h);
	if (lo >= n - 1)
		return x[n - 1];
	g = h - (double)lo;
	a = x[lo];
	b = x[lo + 1];
	if (g >= 0.5)
		return b - (b - a) * (1.0 - g);
	return a + (b - a) * g;
}

/* Values of the sorted s that are <= e. */
static size_t
count_le(const double *s, size_t n, double e)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s[mid] <= e)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * A quantile edge as people read it: the number of fewest significant digits
 * (4 to 16) that cuts the sorted values s exactly where e does, so that
 * "income <= 23.09" stands for the edge 23.090000000000003 and selects the same
 * rows; e itself when no shorter number does.
 */
static double
round_edge(const double *s, size_t n, double e)
{
	size_t want = count_le(s, n, e);
	char buf[40];

	for (int p = 4; p <= 16; p++) {
		double r;

		snprintf(buf, sizeof(buf), "%.*g", p, e);
		r = strtod(buf, NULL);
		if (count_le(s, n, r) == want)
			return r;
	}
	return e;
}

static int
add_pred(struct dcol *c, enum pred_op op, double lo, double hi, const char *text)
{
	char a[32], b[32];
	struct pred *p = &c->preds[c->npreds];
	size_t need;

	aud_format_double(a, lo);
	aud_format_double(b, hi);
	switch (op) {
	case OP_EQ_TEXT: need = strlen(c->name) + strlen(text) + 4; break;
	default: need = strlen(c->name) + 80; break;
	}
	p->desc = malloc(need);
	if (p->desc == NULL)
		return -1;
	switch (op) {
	case OP_EQ_TEXT:
		snprintf(p->desc, need, "%s = %s", c->name, text);
		break;
	case OP_EQ_NUM:
		snprintf(p->desc, need, "%s = %s", c->name, a);
		break;
	case OP_LE:
		snprintf(p->desc, need, "%s <= %s", c->name, b);
		break;
	case OP_RANGE:
		snprintf(p->desc, need, "%s < %s <= %s", a, c->name, b);
		break;
	case OP_GT:
		snprintf(p->desc, need, "%s > %s", c->name, a);
		break;
	case OP_MISSING:
		snprintf(p->desc, need, "%s is missing", c->name);
		break;
	}
	p->op = op;
	p->lo = lo;
	p->hi = hi;
	p->text = text;
	c->npreds++;
	return 0;
}

/*
 * The index of x among the predicates of a numeric column (not missing): the
 * first value or edge >= x, which is x's own value, or its right-closed bin
 * (the last bin when x is above every edge).
 */
static size_t
num_pred(const struct dcol *c, double x)
{
	const double *v = c->edges;
	size_t lo = 0, hi = c->nedges;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct textcode {
	const char *s;
	int32_t code;
};

static int
cmp_text(const void *a, const void *b)
{
	return strcmp(((const struct textcode *)a)->s, ((const struct textcode *)b)->s);
}

/* Turn a kept column into its predicates and a predicate code per eligible row. */
static int
col_finish(struct aud__discover *d, struct dcol *c, size_t neligible, struct aud_error *err)
{
	size_t n = 0, k = 0, np;
	int rc = 0;
	uint16_t miss;

	if (c->state == COL_OUT)
		return 0;
	if (c->missing == d->rows) {
		leave_out(c, d->rows == 0 ? why_norows : "every value is missing");
		return 0;
	}
	c->pc = malloc((neligible > 0 ? neligible : 1) * sizeof(*c->pc));
	if (c->pc == NULL)
		return nomem(err);
	if (c->state == COL_NUMERIC) {
		double *s = malloc((d->rows - c->missing) * sizeof(double));
		size_t nd = 0;

		if (s == NULL)
			return nomem(err);
		for (size_t r = 0; r < d->rows; r++)
			if (!isnan(c->num[r]))
				s[n++] = c->num[r];
		if (sort_doubles(s, n) < 0) {
			free(s);
			return nomem(err);
		}
		for (size_t i = 0; i < n && nd <= d->o.bins; i++)
			if (i == 0 || s[i] != s[i - 1])
				nd++;
		if (nd <= d->o.bins) {
			/* few values: COL = value */
			c->binned = 0;
			c->edges = malloc(nd * sizeof(double));
			if (c->edges == NULL) {
				free(s);
				return nomem(err);
			}
			for (size_t i = 0; i < n; i++)
				if (i == 0 || s[i] != s[i - 1])
					c->edges[k++] = s[i];
			c->nedges = nd;
			np = nd;
		} else {
			c->binned = 1;
			c->edges = malloc((d->o.bins - 1) * sizeof(double));
			if (c->edges == NULL) {
				free(s);
				return nomem(err);
			}
			for (unsigned q = 1; q < d->o.bins; q++)
				c->edges[q - 1] = round_edge(s, n,
				    quantile(s, n, (double)q / (double)d->o.bins));
			qsort(c->edges, d->o.bins - 1, sizeof(double), cmp_double);
			for (size_t i = 0; i < d->o.bins - 1; i++)
				if (i == 0 || c->edges[i] != c->edges[k - 1])
					c->edges[k++] = c->edges[i];
			c->nedges = k;
			np = k + 1;
		}
		free(s);
		c->preds = calloc(np + 1, sizeof(*c->preds));
		if (c->preds == NULL)
			return nomem(err);
		for (size_t i = 0; i < np && rc == 0; i++) {
			if (!c->binned)
				rc = add_pred(c, OP_EQ_NUM, c->edges[i], NAN, NULL);
			else if (i == 0)
				rc = add_pred(c, OP_LE, NAN, c->edges[0], NULL);
			else if (i == np - 1)
				rc = add_pred(c, OP_GT, c->edges[i - 1], NAN, NULL);
			else
				rc = add_pred(c, OP_RANGE, c->edges[i - 1], c->edges[i], NULL);
		}
		if (rc == 0 && c->missing > 0)
			rc = add_pred(c, OP_MISSING, NAN, NAN, NULL);
		if (rc < 0)
			return nomem(err);
		miss = (uint16_t)np;
		for (size_t r = 0, e = 0; r < d->rows; r++)
			if (d->elig[r])
				c->pc[e++] = isnan(c->num[r]) ? miss :
				    (uint16_t)num_pred(c, c->num[r]);
	} else {
		size_t nv = aud_dict_size(c->dict);
		struct textcode *tc = malloc((nv > 0 ? nv : 1) * sizeof(*tc));
		uint16_t *map = malloc((nv > 0 ? nv : 1) * sizeof(*map));

		if (tc == NULL || map == NULL) {
			free(tc);
			free(map);
			return nomem(err);
		}
		for (size_t i = 0; i < nv; i++) {
			tc[i].s = aud_dict_str(c->dict, (int32_t)i);
			tc[i].code = (int32_t)i;
		}
		qsort(tc, nv, sizeof(*tc), cmp_text);
		c->preds = calloc(nv + 1, sizeof(*c->preds));
		for (size_t i = 0; c->preds != NULL && i < nv && rc == 0; i++) {
			map[tc[i].code] = (uint16_t)i;
			rc = add_pred(c, OP_EQ_TEXT, NAN, NAN, tc[i].s);
		}
		if (c->preds != NULL && rc == 0 && c->missing > 0)
			rc = add_pred(c, OP_MISSING, NAN, NAN, NULL);
		free(tc);
		if (c->preds == NULL || rc < 0) {
			free(map);
			return nomem(err);
		}
		miss = (uint16_t)nv;
		for (size_t r = 0, e = 0; r < d->rows; r++)
			if (d->elig[r])
				c->pc[e++] = c->code[r] < 0 ? miss : map[c->code[r]];
		free(map);
	}
	/* the row values are no longer needed (the dictionary holds the texts) */
	free(c->num);
	c->num = NULL;
	free(c->code);
	c->code = NULL;
	return 0;
}

/* ---- counting ---- */

struct search {
	struct aud__discover *d;
	struct dcol **cols;       /* the kept columns, in file order */
	size_t nc;
	size_t ne;                /* eligible rows */
	const double *v;          /* their values */
	struct aud__slice_sum all;
	int rate;                 /* a rate: Fisher's exact test */
	struct cands cands;
	uint16_t **live;          /* per column: predicate -> live index, or nlive (dead) */
	size_t *nlive;
	uint16_t **live_pred;     /* per column: live index -> predicate */
};

/*
 * A rate's one-sided p-value of "the slice is worse": Fisher's exact test,
 * the upper tail of the hypergeometric number of bad rows (wrong ones for
 * accuracy, ones for the other rates) that a random subset of the slice's
 * size would hold. The two-proportion z-test's normal tail is far too thin
 * there: at a p-value of 1e-6 on a slice of 200 rows it is about 10 times
 * smaller than the exact one, and Benjamini-Hochberg over thousands of
 * candidates works out there.
 */
static double
fisher_worse(const struct search *s, const struct aud__slice_sum *in)
{
	int lower = aud__slice_lower_worse(s->d->o.metric);
	double bad_all = lower ? (double)s->all.n - s->all.s : s->all.s;
	double bad = lower ? (double)in->n - in->s : in->s;
	unsigned k = (unsigned)nearbyint(bad), nb = (unsigned)nearbyint(bad_all);

	if (k == 0)
		return 1.0;
	return gsl_cdf_hypergeometric_Q(k - 1, nb, (unsigned)s->all.n - nb, (unsigned)in->n);
}

static int
cand_push(struct search *s, const struct aud__slice_sum *sum, unsigned deg,
    const uint16_t *col, const uint16_t *pred, struct aud_error *err)
{
	struct cands *c = &s->cands;
	struct cand *x;
	struct aud__slice_cmp cmp;

	if (sum->n < s->d->o.min_size || sum->n >= s->all.n)
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap < 256 ? 256 : c->cap * 2;

		if (grow((void **)&c->v, sizeof(*c->v), cap) < 0)
			return nomem(err);
		c->cap = cap;
	}
	x = &c->v[c->n++];
	memset(x, 0, sizeof(*x));
	x->sum = *sum;
	if (s->rate) {
		/* the effect as aud__slice_compare() computes it, without its intervals */
		double n1 = (double)sum->n, n2 = (double)(s->all.n - sum->n);
		double m = sum->s / n1, cm = (s->all.s - sum->s) / n2;

		x->effect = aud__slice_lower_worse(s->d->o.metric) ? cm - m : m - cm;
		x->p = fisher_worse(s, sum);
	} else {
		aud__slice_compare(&cmp, s->d->o.metric, sum, &s->all, s->d->o.ci_level);
		x->effect = cmp.effect;
		/* an undefined test (no variation at all) is no evidence */
		x->p = isnan(cmp.p_worse) ? 1.0 : cmp.p_worse;
	}
	if (!(x->p > 0.0))
		x->p = 0.0;   /* no -0: the p-values are sorted by their bits */
	x->deg = (unsigned char)deg;
	for (unsigned i = 0; i < deg; i++) {
		x->col[i] = col[i];
		x->pred[i] = pred[i];
	}
	return 0;
}

static void
sum_add(double *t, double v)
{
	t[0] += 1.0;
	t[1] += v;
	t[2] += v * v;
}

static void
sum_get(struct aud__slice_sum *out, const double *t)
{
	out->n = (uint64_t)t[0];
	out->s = t[1];
	out->ss = t[2];
}

static int
degree1(struct search *s, struct aud_error *err)
{
	int rc = 0;

	for (size_t a = 0; a < s->nc && rc == 0; a++) {
		struct dcol *c = s->cols[a];
		double *t = calloc(c->npreds * 3, sizeof(double));
		size_t nl = 0;

		s->live[a] = malloc(c->npreds * sizeof(uint16_t));
		s->live_pred[a] = malloc(c->npreds * sizeof(uint16_t));
		if (t == NULL || s->live[a] == NULL || s->live_pred[a] == NULL) {
			free(t);
			return nomem(err);
		}
		for (size_t r = 0; r < s->ne; r++)
			sum_add(&t[c->pc[r] * 3], s->v[r]);
		for (size_t p = 0; p < c->npreds && rc == 0; p++) {
			struct aud__slice_sum sum;
			uint16_t col = (uint16_t)a, pred = (uint16_t)p;

			sum_get(&sum, &t[p * 3]);
			if (sum.n >= s->d->o.min_size) {
				s->live_pred[a][nl] = pred;
				s->live[a][p] = (uint16_t)nl++;
			}
			rc = cand_push(s, &sum, 1, &col, &pred, err);
		}
		for (size_t p = 0; p < c->npreds; p++)
			if (t[p * 3] < (double)s->d->o.min_size)
				s->live[a][p] = (uint16_t)nl;
		s->nlive[a] = nl;
		free(t);
	}
	return rc;
}

/* The live index of each eligible row's predicate of column a (nlive: dead). */
static void
live_codes(const struct search *s, size_t a, uint16_t *out)
{
	const uint16_t *pc = s->cols[a]->pc, *lv = s->live[a];

	for (size_t r = 0; r < s->ne; r++)
		out[r] = lv[pc[r]];
}

static int
degree23(struct search *s, unsigned maxdeg, struct aud_error *err)
{
	uint16_t *la = NULL, *lb = NULL, *lc = NULL;
	uint32_t *pair = NULL, *cellid = NULL;
	double *t = NULL, *t3 = NULL;
	int rc = 0;

	la = malloc((s->ne ? s->ne : 1) * sizeof(*la));
	lb = malloc((s->ne ? s->ne : 1) * sizeof(*lb));
	if (maxdeg >= 3) {
		lc = malloc((s->ne ? s->ne : 1) * sizeof(*lc));
		pair = malloc((s->ne ? s->ne : 1) * sizeof(*pair));
	}
	if (la == NULL || lb == NULL || (maxdeg >= 3 && (lc == NULL || pair == NULL))) {
		rc = nomem(err);
		goto done;
	}
	for (size_t a = 0; a < s->nc && rc == 0; a++) {
		size_t na = s->nlive[a];

		if (na == 0)
			continue;
		live_codes(s, a, la);
		for (size_t b = a + 1; b < s->nc && rc == 0; b++) {
			size_t nb = s->nlive[b], w = nb + 1, ncell = (na + 1) * w, nlp = 0;

			if (nb == 0)
				continue;
			live_codes(s, b, lb);
			free(t);
			t = calloc(ncell * 3, sizeof(double));
			if (t == NULL) {
				rc = nomem(err);
				goto done;
			}
			/* the pass over the rows: dense cells, no branches but the loop */
			for (size_t r = 0; r < s->ne; r++)
				sum_add(&t[((size_t)la[r] * w + lb[r]) * 3], s->v[r]);
			for (size_t i = 0; i < na && rc == 0; i++)
				for (size_t j = 0; j < nb && rc == 0; j++) {
					struct aud__slice_sum sum;
					uint16_t col[2] = { (uint16_t)a, (uint16_t)b };
					uint16_t pred[2] = { s->live_pred[a][i],
					    s->live_pred[b][j] };

					sum_get(&sum, &t[(i * w + j) * 3]);
					if (sum.n >= s->d->o.min_size)
						nlp++;
					rc = cand_push(s, &sum, 2, col, pred, err);
				}
			if (rc < 0 || maxdeg < 3 || nlp == 0)
				continue;
			/* degree 3: the live pairs (a, b) index a table with each later column */
			free(cellid);
			cellid = malloc(ncell * sizeof(*cellid));
			if (cellid == NULL) {
				rc = nomem(err);
				goto done;
			}
			{
				uint32_t k = 0;
				uint16_t (*pp)[2] = malloc(nlp * sizeof(*pp));

				if (pp == NULL) {
					rc = nomem(err);
					goto done;
				}
				for (size_t cell = 0; cell < ncell; cell++) {
					size_t i = cell / w, j = cell % w;

					cellid[cell] = (uint32_t)nlp;
					if (i < na && j < nb &&
					    t[cell * 3] >= (double)s->d->o.min_size) {
						pp[k][0] = s->live_pred[a][i];
						pp[k][1] = s->live_pred[b][j];
						cellid[cell] = k++;
					}
				}
				for (size_t r = 0; r < s->ne; r++)
					pair[r] = cellid[(size_t)la[r] * w + lb[r]];
				for (size_t c = b + 1; c < s->nc && rc == 0; c++) {
					size_t nk = s->nlive[c], w3 = nk + 1;

					if (nk == 0)
						continue;
					live_codes(s, c, lc);
					free(t3);
					t3 = calloc((nlp + 1) * w3 * 3, sizeof(double));
					if (t3 == NULL) {
						rc = nomem(err);
						break;
					}
					for (size_t r = 0; r < s->ne; r++)
						sum_add(&t3[((size_t)pair[r] * w3 + lc[r]) * 3],
						    s->v[r]);
					for (size_t i = 0; i < nlp && rc == 0; i++)
						for (size_t j = 0; j < nk && rc == 0; j++) {
							struct aud__slice_sum sum;
							uint16_t col[3] = { (uint16_t)a, (uint16_t)b,
							    (uint16_t)c };
							uint16_t pred[3] = { pp[i][0], pp[i][1],
							    s->live_pred[c][j] };

							sum_get(&sum, &t3[(i * w3 + j) * 3]);
							rc = cand_push(s, &sum, 3, col, pred, err);
						}
				}
				free(pp);
			}
		}
	}
done:
	free(la);
	free(lb);
	free(lc);
	free(pair);
	free(cellid);
	free(t);
	free(t3);
	return rc;
}

/* ---- Benjamini-Hochberg, ranking ---- */

/* q_(i) = min over j >= i of p_(j) m / j, at most 1. */
static int
bh(struct cands *c, struct aud_error *err)
{
	size_t n1 = c->n ? c->n : 1;
	uint64_t *a = malloc(n1 * sizeof(*a)), *b = malloc(n1 * sizeof(*b));
	uint32_t *ia = malloc(n1 * sizeof(*ia)), *ib = malloc(n1 * sizeof(*ib));
	double m = (double)c->n, run = 1.0;
	size_t count[256];
	int rc = 0;

	if (a == NULL || b == NULL || ia == NULL || ib == NULL) {
		rc = nomem(err);
		goto done;
	}
	/* the candidates by p-value: p >= 0, so its bits sort as an integer (radix, 8 passes) */
	for (size_t i = 0; i < c->n; i++) {
		memcpy(&a[i], &c->v[i].p, sizeof(a[i]));
		ia[i] = (uint32_t)i;
	}
	for (int p = 0; p < 8; p++) {
		size_t sum = 0;
		uint64_t *t;
		uint32_t *ti;

		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < c->n; i++)
			count[(a[i] >> (8 * p)) & 0xff]++;
		for (int v = 0; v < 256; v++) {
			size_t k = count[v];

			count[v] = sum;
			sum += k;
		}
		for (size_t i = 0; i < c->n; i++) {
			size_t at = count[(a[i] >> (8 * p)) & 0xff]++;

			b[at] = a[i];
			ib[at] = ia[i];
		}
		t = a;
		a = b;
		b = t;
		ti = ia;
		ia = ib;
		ib = ti;
	}
	for (size_t i = c->n; i-- > 0;) {
		struct cand *x = &c->v[ia[i]];
		double q = x->p * m / (double)(i + 1);

		if (q < run)
			run = q;
		x->q = run;
	}
done:
	free(a);
	free(b);
	free(ia);
	free(ib);
	return rc;
}

static int
cmp_rank(const void *a, const void *b)
{
	const struct cand *x = *(const struct cand *const *)a, *y = *(const struct cand *const *)b;

	if (x->effect != y->effect)
		return x->effect > y->effect ? -1 : 1;
	if (x->p != y->p)
		return x->p < y->p ? -1 : 1;
	if (x->sum.n != y->sum.n)
		return x->sum.n > y->sum.n ? -1 : 1;
	return strcmp(x->desc, y->desc);
}

static char *
describe(const struct search *s, const struct cand *x)
{
	size_t need = 1;
	char *out, *p;

	for (unsigned i = 0; i < x->deg; i++)
		need += strlen(s->cols[x->col[i]]->preds[x->pred[i]].desc) + 4;
	out = malloc(need);
	if (out == NULL)
		return NULL;
	p = out;
	for (unsigned i = 0; i < x->deg; i++) {
		const char *t = s->cols[x->col[i]]->preds[x->pred[i]].desc;
		size_t n = strlen(t);

		if (i > 0) {
			memcpy(p, " && ", 4);
			p += 4;
		}
		memcpy(p, t, n);
		p += n;
	}
	*p = '\0';
	return out;
}

/* Every predicate of `sub` is one of `x`'s. */
static int
subset(const struct cand *sub, const struct cand *x)
{
	for (unsigned i = 0; i < sub->deg; i++) {
		int found = 0;

		for (unsigned j = 0; j < x->deg; j++)
			found |= sub->col[i] == x->col[j] && sub->pred[i] == x->pred[j];
		if (!found)
			return 0;
	}
	return 1;
}

/* ---- the document ---- */

#define NOMEM_IF(x) do { if ((x) == NULL) { rc = nomem(err); goto done; } } while (0)

static const char *const op_names[] = { "=", "=", "<=", "range", ">", "missing" };

static cJSON *
pred_json(const struct dcol *c, const struct pred *p)
{
	cJSON *o = cJSON_CreateObject();
	int ok;

	if (o == NULL)
		return NULL;
	ok = cJSON_AddStringToObject(o, "column", c->name) != NULL &&
	    cJSON_AddStringToObject(o, "op", op_names[p->op]) != NULL;
	switch (p->op) {
	case OP_EQ_TEXT:
		ok = ok && cJSON_AddStringToObject(o, "value", p->text) != NULL;
		break;
	case OP_EQ_NUM:
	case OP_GT:
		ok = ok && aud_json_add_number(o, "value", p->lo) != NULL;
		break;
	case OP_LE:
		ok = ok && aud_json_add_number(o, "value", p->hi) != NULL;
		break;
	case OP_RANGE:
		ok = ok && aud_json_add_number(o, "low", p->lo) != NULL &&
		    aud_json_add_number(o, "high", p->hi) != NULL;
		break;
	case OP_MISSING:
		break;
	}
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static int
slice_json(cJSON *arr, const struct search *s, const struct cand *x, struct aud_error *err)
{
	cJSON *o = NULL, *ps, *pv;
	int rc = 0;

	NOMEM_IF(o = cJSON_CreateObject());
	NOMEM_IF(cJSON_AddStringToObject(o, "description", x->desc));
	NOMEM_IF(ps = cJSON_AddArrayToObject(o, "predicates"));
	for (unsigned i = 0; i < x->deg; i++) {
		const struct dcol *c = s->cols[x->col[i]];
		cJSON *pj = pred_json(c, &c->preds[x->pred[i]]);

		NOMEM_IF(pj);
		if (!cJSON_AddItemToArray(ps, pj)) {
			cJSON_Delete(pj);
			NOMEM_IF(NULL);
		}
	}
	if (aud__slice_put_cmp(o, s->d->o.metric, &x->sum, &s->all, s->d->o.ci_level) < 0)
		NOMEM_IF(NULL);
	/* discovery reports the one-sided p-value of "the slice is worse" (rates: Fisher's) */
	NOMEM_IF(pv = aud_json_number(x->p));
	if (!cJSON_ReplaceItemInObject(o, "p_value", pv)) {
		cJSON_Delete(pv);
		NOMEM_IF(NULL);
	}
	if (s->rate) {
		NOMEM_IF(pv = cJSON_CreateString("fisher exact"));
		if (!cJSON_ReplaceItemInObject(o, "test", pv)) {
			cJSON_Delete(pv);
			NOMEM_IF(NULL);
		}
	}
	NOMEM_IF(aud_json_add_number(o, "q_value", x->q));
	NOMEM_IF(aud_json_add_number(o, "degree", x->deg));
	if (!cJSON_AddItemToArray(arr, o))
		NOMEM_IF(NULL);
	o = NULL;
done:
	cJSON_Delete(o);
	return rc;
}

static int
discovery_json(cJSON *results, const struct search *s, size_t nsig, size_t nrep,
    struct aud_error *err)
{
	const struct aud__discover *d = s->d;
	cJSON *disc, *cols, *out;
	int rc = 0;

	NOMEM_IF(disc = cJSON_AddObjectToObject(results, "discovery"));
	NOMEM_IF(cols = cJSON_AddArrayToObject(disc, "columns"));
	for (size_t i = 0; i < s->nc; i++) {
		const struct dcol *c = s->cols[i];
		cJSON *o;

		NOMEM_IF(o = cJSON_CreateObject());
		if (!cJSON_AddItemToArray(cols, o)) {
			cJSON_Delete(o);
			NOMEM_IF(NULL);
		}
		NOMEM_IF(cJSON_AddStringToObject(o, "name", c->name));
		NOMEM_IF(cJSON_AddStringToObject(o, "kind", c->state == COL_NUMERIC ?
		    "numeric" : "categorical"));
		NOMEM_IF(aud_json_add_number(o, "predicates", (double)c->npreds));
		if (c->binned) {
			cJSON *e;

			NOMEM_IF(e = cJSON_AddArrayToObject(o, "edges"));
			for (size_t k = 0; k < c->nedges; k++) {
				cJSON *x = aud_json_number(c->edges[k]);

				NOMEM_IF(x);
				if (!cJSON_AddItemToArray(e, x)) {
					cJSON_Delete(x);
					NOMEM_IF(NULL);
				}
			}
		}
	}
	NOMEM_IF(out = cJSON_AddArrayToObject(disc, "left_out"));
	for (size_t i = 0; i < d->ncols; i++) {
		const struct dcol *c = &d->cols[i];
		cJSON *o;

		if (c->state != COL_OUT)
			continue;
		NOMEM_IF(o = cJSON_CreateObject());
		if (!cJSON_AddItemToArray(out, o)) {
			cJSON_Delete(o);
			NOMEM_IF(NULL);
		}
		NOMEM_IF(cJSON_AddStringToObject(o, "column", c->name));
		NOMEM_IF(cJSON_AddStringToObject(o, "reason", c->why));
	}
	NOMEM_IF(aud_json_add_number(disc, "candidates", (double)s->cands.n));
	NOMEM_IF(aud_json_add_number(disc, "significant", (double)nsig));
	NOMEM_IF(aud_json_add_number(disc, "reported", (double)nrep));
done:
	return rc;
}

static int
warn_out(cJSON *warnings, const struct dcol *c, unsigned max_values, struct aud_error *err)
{
	char buf[512];
	cJSON *w;

	if (warnings == NULL)
		return 0;
	if (c->why == why_norows)
		return 0;   /* said once, by the caller */
	if (c->why == why_values)
		snprintf(buf, sizeof(buf), "column '%s' left out of discovery: more than %u "
		    "distinct values (--max-values)", c->name, max_values);
	else
		snprintf(buf, sizeof(buf), "column '%s' left out of discovery: %s", c->name,
		    c->why);
	w = cJSON_CreateString(buf);
	if (w == NULL || !cJSON_AddItemToArray(warnings, w)) {
		cJSON_Delete(w);
		return nomem(err);
	}
	return 0;
}

int
aud__discover_finish(struct aud__discover *d, cJSON *results, cJSON *warnings,
    struct aud_error *err)
{
	struct search s;
	struct cand **sig = NULL, **rep = NULL;
	cJSON *arr;
	size_t nsig = 0, nrep = 0, ne = 0;
	double *v = NULL;
	int rc = 0;

	memset(&s, 0, sizeof(s));
	s.d = d;
	for (size_t r = 0; r < d->rows; r++)
		ne += d->elig[r];
	v = malloc((ne ? ne : 1) * sizeof(double));
	NOMEM_IF(v);
	for (size_t r = 0, e = 0; r < d->rows; r++)
		if (d->elig[r]) {
			v[e++] = d->val[r];
			s.all.n++;
			s.all.s += d->val[r];
			s.all.ss += d->val[r] * d->val[r];
		}
	s.v = v;
	s.ne = ne;
	s.rate = aud__slice_is_rate(d->o.metric);
	for (size_t i = 0; i < d->ncols; i++) {
		rc = col_finish(d, &d->cols[i], ne, err);
		if (rc < 0)
			goto done;
		/* the kind is decided: a column is categorical when it kept no numbers */
		if (d->cols[i].state == COL_NUMERIC) {
			aud_dict_free(d->cols[i].dict);
			d->cols[i].dict = NULL;
		}
	}
	NOMEM_IF(s.cols = calloc(d->ncols ? d->ncols : 1, sizeof(*s.cols)));
	for (size_t i = 0; i < d->ncols; i++)
		if (d->cols[i].state != COL_OUT)
			s.cols[s.nc++] = &d->cols[i];
		else if ((rc = warn_out(warnings, &d->cols[i], d->o.max_values, err)) < 0)
			goto done;
	if (d->rows == 0 && warnings != NULL) {
		cJSON *w = cJSON_CreateString("no rows to search for slices");

		if (w == NULL || !cJSON_AddItemToArray(warnings, w)) {
			cJSON_Delete(w);
			NOMEM_IF(NULL);
		}
	}
	NOMEM_IF(s.live = calloc(s.nc ? s.nc : 1, sizeof(*s.live)));
	NOMEM_IF(s.live_pred = calloc(s.nc ? s.nc : 1, sizeof(*s.live_pred)));
	NOMEM_IF(s.nlive = calloc(s.nc ? s.nc : 1, sizeof(*s.nlive)));
	rc = degree1(&s, err);
	if (rc == 0 && d->o.max_degree >= 2)
		rc = degree23(&s, d->o.max_degree, err);
	if (rc == 0)
		rc = bh(&s.cands, err);
	if (rc < 0)
		goto done;
	NOMEM_IF(sig = malloc((s.cands.n ? s.cands.n : 1) * sizeof(*sig)));
	for (size_t i = 0; i < s.cands.n; i++) {
		struct cand *x = &s.cands.v[i];

		if (x->q <= d->o.fdr && x->effect > 0.0) {
			NOMEM_IF(x->desc = describe(&s, x));
			sig[nsig++] = x;
		}
	}
	qsort(sig, nsig, sizeof(*sig), cmp_rank);
	NOMEM_IF(rep = malloc((nsig ? nsig : 1) * sizeof(*rep)));
	for (size_t i = 0; i < nsig && nrep < d->o.top; i++) {
		int redundant = 0;

		for (size_t j = 0; j < nrep && !redundant; j++)
			redundant = subset(rep[j], sig[i]);
		if (!redundant)
			rep[nrep++] = sig[i];
	}
	NOMEM_IF(arr = cJSON_AddArrayToObject(results, "slices"));
	for (size_t i = 0; i < nrep && rc == 0; i++)
		rc = slice_json(arr, &s, rep[i], err);
	if (rc == 0)
		rc = discovery_json(results, &s, nsig, nrep, err);
done:
	for (size_t i = 0; i < s.cands.n; i++)
		free(s.cands.v[i].desc);
	free(s.cands.v);
	for (size_t i = 0; i < s.nc; i++) {
		if (s.live != NULL)
			free(s.live[i]);
		if (s.live_pred != NULL)
			free(s.live_pred[i]);
	}
	free(s.live);
	free(s.live_pred);
	free(s.nlive);
	free(s.cols);
	free(sig);
	free(rep);
	free(v);
	return rc;
}
