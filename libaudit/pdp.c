/*
 * pdp.c — partial dependence and individual conditional expectation (ICE)
 * curves. See importance.h.
 */
#include <audit/importance.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"

void
aud_pdp_curve_release(struct aud_pdp_curve *c)
{
	if (c == NULL)
		return;
	free(c->grid);
	free(c->codes);
	free(c->ice);
	free(c->pdp);
	memset(c, 0, sizeof(*c));
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}


/* The grid of a numeric column: distinct values, or `g` type-7 quantiles. */
static int
numeric_grid(struct aud_pdp_curve *c, const struct aud_column *col, size_t n,
    size_t g, struct aud_error *err)
{
	double *v;
	size_t i, m = 0, distinct = 0;

	v = malloc((n + 1) * sizeof(*v));
	c->grid = malloc((g > n ? g : n) * sizeof(double) + sizeof(double));
	if (v == NULL || c->grid == NULL) {
		free(v);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++)
		if (!isnan(col->num[i]))
			v[m++] = col->num[i];
	if (m == 0) {
		free(v);
		return AUD_ERROR(err, AUD_EPARSE,
		    "pdp: feature '%s' has no value among the explained rows", col->name);
	}
	qsort(v, m, sizeof(*v), cmp_double);
	for (i = 0; i < m; i++)
		if (i == 0 || v[i] != v[i - 1])
			distinct++;
	c->ngrid = 0;
	if (distinct <= g) {
		for (i = 0; i < m; i++)
			if (i == 0 || v[i] != v[i - 1])
				c->grid[c->ngrid++] = v[i];
	} else {
		for (i = 0; i < g; i++) {
			double h = (double)(m - 1) * (double)i / (double)(g - 1);
			size_t lo = (size_t)floor(h);
			double q = lo + 1 < m ? v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]) : v[lo];

			if (c->ngrid == 0 || q != c->grid[c->ngrid - 1])
				c->grid[c->ngrid++] = q;
		}
	}
	free(v);
	return 0;
}

static int
categorical_grid(struct aud_pdp_curve *c, const struct aud_column *col, size_t n,
    struct aud_error *err)
{
	size_t D = aud_dict_size(col->dict), i, j;
	unsigned char *seen;

	seen = calloc(D + 1, 1);
	c->codes = malloc((D + 1) * sizeof(*c->codes));
	if (seen == NULL || c->codes == NULL) {
		free(seen);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++)
		if (col->code[i] >= 0)
			seen[col->code[i]] = 1;
	c->ngrid = 0;
	for (i = 0; i < D; i++)
		if (seen[i])
			c->codes[c->ngrid++] = (int32_t)i;
	free(seen);
	if (c->ngrid == 0)
		return AUD_ERROR(err, AUD_EPARSE,
		    "pdp: feature '%s' has no value among the explained rows", col->name);
	/* by text (insertion sort: grids are small) */
	for (i = 1; i < c->ngrid; i++) {
		int32_t x = c->codes[i];

		for (j = i; j > 0 && strcmp(aud_dict_str(col->dict, c->codes[j - 1]),
		    aud_dict_str(col->dict, x)) > 0; j--)
			c->codes[j] = c->codes[j - 1];
		c->codes[j] = x;
	}
	return 0;
}

struct pdp_job {
	const struct aud_model *m;
	const struct aud_batch *x;
	const struct aud_pdp_options *o;
	struct aud_pdp_curve *c;
	struct aud_batch **copies;
};

/* Task g: every row with the feature set to grid value g. */
static int
pdp_task(void *payload, size_t thread, size_t g, struct aud_error *err)
{
	struct pdp_job *J = payload;
	struct aud_batch *b = J->copies[thread];
	struct aud_column *col = &b->cols[J->c->column];
	size_t n = J->x->nrows, i;
	double *out, sum = 0.0;
	int rc;

	for (i = 0; i < n; i++) {
		if (J->c->categorical)
			col->code[i] = J->c->codes[g];
		else
			col->num[i] = J->c->grid[g];
	}
	out = malloc(n * sizeof(*out));
	if (out == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	rc = aud_shap_output(out, J->m, b, J->o->output, J->o->link, err);
	if (rc == 0) {
		for (i = 0; i < n; i++) {
			J->c->ice[i * J->c->ngrid + g] = out[i];
			sum += out[i];
		}
		J->c->pdp[g] = sum / (double)n;
	}
	free(out);
	return rc;
}

int
aud_pdp_compute(struct aud_pdp_curve *out, const struct aud_model *m,
    const struct aud_batch *x, long column, const struct aud_pdp_options *opts,
    struct aud_error *err)
{
	static const struct aud_pdp_options defaults = AUD_PDP_OPTIONS_INIT;
	struct pdp_job J;
	const struct aud_column *col;
	size_t n = x->nrows, T = 0, i;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&J, 0, sizeof(J));
	if (opts == NULL)
		opts = &defaults;
	if (n == 0)
		return AUD_ERROR(err, AUD_EINVAL, "pdp needs rows");
	col = &x->cols[column];
	out->column = column;
	out->nrows = n;
	out->categorical = col->kind == AUD_COL_CATEGORICAL;
	if (out->categorical)
		rc = categorical_grid(out, col, n, err);
	else
		rc = numeric_grid(out, col, n, opts->grid >= 2 ? opts->grid : 2, err);
	if (rc < 0)
		goto done;
	out->ice = malloc(n * out->ngrid * sizeof(double));
	out->pdp = malloc(out->ngrid * sizeof(double));
	T = opts->threads > 0 ? opts->threads : 1;
	if (T > out->ngrid)
		T = out->ngrid;
	J.copies = calloc(T, sizeof(*J.copies));
	if (out->ice == NULL || out->pdp == NULL || J.copies == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < T; i++) {
		rc = aud_batch_clone(&J.copies[i], x, err);
		if (rc < 0)
			goto done;
	}
	J.m = m;
	J.x = x;
	J.o = opts;
	J.c = out;
	rc = aud__parallel_for(T, out->ngrid, pdp_task, &J, &opts->progress, "pdp", err);
done:
	if (J.copies != NULL)
		for (i = 0; i < T; i++)
			aud_batch_free(J.copies[i]);
	free(J.copies);
	if (rc < 0)
		aud_pdp_curve_release(out);
	return rc;
}
