/*
 * shapley.c — interventional Shapley values: exact, kernel, linear, and the
 * driver side of tree and tree-path (the traversals are in treeshap.c and
 * treepath.c). See shapley.h.
 *
 * Every method but tree evaluates the game v(S) = E_k f(x_S, b_k) through
 * eval_entries(): a list of (row, coalition) entries becomes one hybrid batch
 * of entries * K rows (K background rows each), scored by one
 * aud_model_predict() call, and averaged per entry.
 */
#include <audit/shapley.h>

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lapacke.h>

#include <audit/csv.h>
#include <audit/rng.h>

#include "parallel.h"

struct aud_shap {
	const struct aud_model *m;
	struct aud_shap_options opts;
	size_t M, K;
	const struct aud_batch *x;     /* borrowed: the explained rows */
	long *xcol;                    /* per feature: its column in x */
	struct aud_batch *bg;          /* owned: model features in model order */
	const char **names;            /* borrowed from the model */
	enum aud_col_kind *kinds;
	double base;
	size_t nsamples;               /* kernel budget */
	size_t batch_rows;
	/* linear */
	double *beta;                  /* numeric features: slope */
	double **gcat;                 /* categorical features: g(code) per dictionary code */
	double *gmean;                 /* E_k g_i(b_k,i) */
	/* tree */
	const struct aud_tree_ensemble *trees;
	aud_tree_child_fn child;
	double *xd;                    /* x->nrows * M tree inputs */
	double *bgd;                   /* K * M tree inputs */
	struct aud_treeshap *ts;
	struct aud_treepath *tp;       /* tree-path */
};

struct aud_shap_work {
	const struct aud_shap *s;
	struct aud_batch *h;           /* hybrid rows: up to cap_entries * K */
	size_t cap_entries;
	double *score, *margin;        /* cap_entries * K */
	size_t *erow;                  /* per entry: explained row */
	unsigned char *ez;             /* per entry: M bytes, 1 = from x */
	double *ev;                    /* per entry: v */
	/* exact */
	double *v;                     /* 2^M values of one row */
	double *wexact;                /* M weights by coalition size */
	/* kernel */
	unsigned char *kz;             /* nsamples * M */
	double *kw;                    /* nsamples weights */
	double *kv;                    /* nsamples values */
	double *A, *y, *sv;            /* least squares */
	size_t nk;                     /* samples in use */
	struct aud_rng *rng;
	/* tree */
	void *scratch;
};

static const struct aud_shap_options default_options = AUD_SHAP_OPTIONS_INIT;

size_t
aud_shap_nfeatures(const struct aud_shap *s)
{
	return s->M;
}

double
aud_shap_base(const struct aud_shap *s)
{
	return s->base;
}

size_t
aud_shap_nsamples(const struct aud_shap *s)
{
	return s->opts.method == AUD_SHAP_KERNEL ? s->nsamples : 0;
}

static int
apply_link(double *v, enum aud_shap_link link, struct aud_error *err)
{
	if (link == AUD_LINK_LOGIT) {
		/* A model's own answer, not a numerical failure: NaN is a score the
		 * model did not give; 0 or 1 (a model of hard labels, or a
		 * background where every row has the same label) has no log-odds. */
		if (isnan(*v))
			return AUD_ERROR(err, AUD_EMODEL, "logit link: the model gave no score (NaN)");
		if (!(*v > 0.0 && *v < 1.0))
			return AUD_ERROR(err, AUD_EUNSUPPORTED,
			    "logit link: expected score %.17g is outside (0, 1), so it has no "
			    "log-odds (a model of hard 0/1 labels?): use the identity link", *v);
		*v = log(*v / (1.0 - *v));
	}
	return 0;
}

int
aud_shap_output(double *out, const struct aud_model *m, const struct aud_batch *b,
    enum aud_shap_output output, enum aud_shap_link link, struct aud_error *err)
{
	double *tmp = NULL;
	size_t i;
	int rc;

	if (b->nrows == 0)
		return 0;
	if (output == AUD_OUTPUT_MARGIN) {
		tmp = malloc(b->nrows * sizeof(*tmp));
		if (tmp == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		rc = aud_model_predict(m, b, tmp, out, err);
	} else {
		rc = aud_model_predict(m, b, out, NULL, err);
	}
	free(tmp);
	if (rc < 0)
		return rc;
	for (i = 0; i < b->nrows; i++) {
		rc = apply_link(&out[i], link, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- construction ---- */

/* Copy the background's columns for the model's features, in model order, with
 * categorical codes re-interned into a clone of the explained rows' dictionary
 * (so that codes of x and of the background mean the same strings). */
static int
build_background(struct aud_shap *s, const struct aud_batch *bg, struct aud_error *err)
{
	size_t j, k;
	long c;
	int rc;

	rc = aud_batch_new(&s->bg, s->M, s->names, s->kinds, s->K, err);
	if (rc < 0)
		return rc;
	s->bg->nrows = s->K;
	for (j = 0; j < s->M; j++) {
		const struct aud_column *src, *xc = &s->x->cols[s->xcol[j]];
		struct aud_column *dst = &s->bg->cols[j];

		c = aud_batch_find(bg, s->names[j]);
		if (c < 0)
			return AUD_ERROR(err, AUD_ENOTFOUND,
			    "the model's feature '%s' is not a column of the background",
			    s->names[j]);
		src = &bg->cols[c];
		if (src->kind != xc->kind)
			return AUD_ERROR(err, AUD_EPARSE,
			    "feature '%s' is %s in the input but %s in the background",
			    s->names[j], xc->kind == AUD_COL_NUMERIC ? "numeric" : "categorical",
			    src->kind == AUD_COL_NUMERIC ? "numeric" : "categorical");
		if (src->kind == AUD_COL_NUMERIC) {
			memcpy(dst->num, src->num, s->K * sizeof(*dst->num));
			dst->is_integer = src->is_integer;
			continue;
		}
		aud_dict_free(dst->dict);
		dst->dict = NULL;
		rc = aud_dict_clone(&dst->dict, xc->dict, err);
		if (rc < 0)
			return rc;
		for (k = 0; k < s->K; k++) {
			const char *str;

			if (src->code[k] < 0) {
				dst->code[k] = -1;
				continue;
			}
			str = aud_dict_str(src->dict, src->code[k]);
			rc = aud_dict_intern(&dst->code[k], dst->dict, str, strlen(str), err);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* Value of feature j of a hybrid-capable column as a tree input (tree.h):
 * a number, or the index of the category among the feature's categories. */
static int
tree_input(double *out, const struct aud_feature *f, const struct aud_column *c,
    size_t r, struct aud_error *err)
{
	char buf[32];
	const char *str;
	size_t i;

	if (f->kind == AUD_COL_NUMERIC) {
		if (c->kind != AUD_COL_NUMERIC)
			return AUD_ERROR(err, AUD_EPARSE,
			    "feature '%s' is numeric in the model but not in the input", f->name);
		*out = c->num[r];
		return 0;
	}
	if (c->kind == AUD_COL_NUMERIC) {
		if (isnan(c->num[r])) {
			*out = NAN;
			return 0;
		}
		aud_format_double(buf, c->num[r]);
		str = buf;
	} else {
		if (c->code[r] < 0) {
			*out = NAN;
			return 0;
		}
		str = aud_dict_str(c->dict, c->code[r]);
	}
	for (i = 0; i < f->ncategories; i++) {
		if (strcmp(f->categories[i], str) == 0) {
			*out = (double)i;
			return 0;
		}
	}
	return AUD_ERROR(err, AUD_EPARSE,
	    "value '%s' of feature '%s' is not one of the model's categories", str, f->name);
}

/* ---- hybrid evaluation ---- */

/* Which explained row and which coalition entry e is (z: M bytes, 1 = from x). */
typedef void (*entry_fn)(size_t e, size_t *row, unsigned char *z, void *payload);

/*
 * Evaluate v for `total` entries described by gen(), in chunks that fill one
 * model batch each; v[e] = link(mean_k output(hybrid(e, k))).
 */
static int
eval_entries(struct aud_shap_work *w, size_t total, entry_fn gen, void *payload,
    double *v, struct aud_error *err)
{
	const struct aud_shap *s = w->s;
	size_t M = s->M, K = s->K, done, ne, e, j, k;
	int rc;

	for (done = 0; done < total; done += ne) {
		ne = total - done < w->cap_entries ? total - done : w->cap_entries;
		for (e = 0; e < ne; e++)
			gen(done + e, &w->erow[e], &w->ez[e * M], payload);
		for (j = 0; j < M; j++) {
			const struct aud_column *xc = &s->x->cols[s->xcol[j]];
			const struct aud_column *bc = &s->bg->cols[j];
			struct aud_column *hc = &w->h->cols[j];

			for (e = 0; e < ne; e++) {
				if (hc->kind == AUD_COL_NUMERIC) {
					if (w->ez[e * M + j]) {
						double val = xc->num[w->erow[e]];

						for (k = 0; k < K; k++)
							hc->num[e * K + k] = val;
					} else {
						memcpy(&hc->num[e * K], bc->num, K * sizeof(double));
					}
				} else {
					if (w->ez[e * M + j]) {
						int32_t code = xc->code[w->erow[e]];

						for (k = 0; k < K; k++)
							hc->code[e * K + k] = code;
					} else {
						memcpy(&hc->code[e * K], bc->code, K * sizeof(int32_t));
					}
				}
			}
		}
		w->h->nrows = ne * K;
		rc = aud_model_predict(s->m, w->h, w->score,
		    s->opts.output == AUD_OUTPUT_MARGIN ? w->margin : NULL, err);
		if (rc < 0)
			return rc;
		for (e = 0; e < ne; e++) {
			const double *out = s->opts.output == AUD_OUTPUT_MARGIN ?
			    w->margin : w->score;
			double sum = 0.0;

			for (k = 0; k < K; k++)
				sum += out[e * K + k];
			v[done + e] = sum / (double)K;
			rc = apply_link(&v[done + e], s->opts.link, err);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* ---- exact ---- */

static unsigned
popcount(size_t x)
{
	unsigned c = 0;

	for (; x != 0; x &= x - 1)
		c++;
	return c;
}

struct exact_gen {
	size_t first, M, per_row;  /* per_row = 2^M - 1 coalitions (the empty one is the base) */
};

static void
exact_entry(size_t e, size_t *row, unsigned char *z, void *payload)
{
	const struct exact_gen *g = payload;
	size_t mask = 1 + e % g->per_row, j;

	*row = g->first + e / g->per_row;
	for (j = 0; j < g->M; j++)
		z[j] = (unsigned char)((mask >> j) & 1u);
}

static int
explain_exact(struct aud_shap_work *w, size_t first, size_t n, double *phi,
    const double *fx, struct aud_error *err)
{
	const struct aud_shap *s = w->s;
	size_t M = s->M, nm = (size_t)1 << M, i, r, mask;
	struct exact_gen g = { first, M, nm - 1 };
	double *v;
	int rc;

	(void)fx;
	if (M == 0)
		return 0;
	/* v(empty) is the base value; every other coalition, the full one too, is
	 * evaluated as a mean over the background, so that a feature the model
	 * does not read gets bit-identical values and exactly 0 */
	v = malloc(n * (nm - 1) * sizeof(*v));
	if (v == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	rc = eval_entries(w, n * (nm - 1), exact_entry, &g, v, err);
	if (rc < 0)
		goto done;
	for (r = 0; r < n; r++) {
		double *vr = w->v;

		vr[0] = s->base;
		memcpy(&vr[1], &v[r * (nm - 1)], (nm - 1) * sizeof(*vr));
		for (i = 0; i < M; i++) {
			size_t bit = (size_t)1 << i;
			double acc = 0.0;

			for (mask = 0; mask < nm; mask++) {
				if (mask & bit)
					continue;
				acc += w->wexact[popcount(mask)] *
				    (vr[mask | bit] - vr[mask]);
			}
			phi[r * M + i] = acc + 0.0;
		}
	}
done:
	free(v);
	return rc;
}

/* ---- kernel ---- */

static double
binomial(size_t n, size_t k)
{
	double c = 1.0;
	size_t i;

	if (k > n)
		return 0.0;
	if (k > n - k)
		k = n - k;
	for (i = 1; i <= k; i++)
		c = c * (double)(n - k + i) / (double)i;
	return c;
}

/* Open-addressing table of coalitions (M bytes each) -> sample index. */
struct ztable {
	size_t cap;        /* power of two */
	long *slot;        /* sample index or -1 */
	const unsigned char *z;
	size_t M;
};

static uint64_t
zhash(const unsigned char *z, size_t M)
{
	uint64_t h = 1469598103934665603ull;
	size_t j;

	for (j = 0; j < M; j++) {
		h ^= z[j];
		h *= 1099511628211ull;
	}
	return h;
}

/* Index of coalition z, or -1; when absent and `add` >= 0, store add. */
static long
ztable_find(struct ztable *t, const unsigned char *z, long add)
{
	size_t i = (size_t)zhash(z, t->M) & (t->cap - 1);

	while (t->slot[i] >= 0) {
		if (memcmp(&t->z[(size_t)t->slot[i] * t->M], z, t->M) == 0)
			return t->slot[i];
		i = (i + 1) & (t->cap - 1);
	}
	if (add >= 0)
		t->slot[i] = add;
	return -1;
}

/* Sample index of a draw from the discrete distribution p (n values, sum 1). */
static size_t
draw_index(struct aud_rng *rng, const double *p, size_t n)
{
	double u = aud_rng_uniform(rng), c = 0.0;
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		c += p[i];
		if (u < c)
			return i;
	}
	return n - 1;
}

/* A row's kernel design: nk coalitions (z, weight) over the varying features. */
struct kdesign {
	size_t ns;                 /* capacity per row */
	unsigned char *z;          /* n * ns * M */
	double *w;                 /* n * ns */
	double *v;                 /* n * ns */
	size_t *nk;                /* n */
	size_t *off;               /* n + 1: entry offsets */
	unsigned char *varying;    /* n * M */
	size_t first, M;
};

static void
kernel_entry(size_t e, size_t *row, unsigned char *z, void *payload)
{
	const struct kdesign *d = payload;
	size_t lo = 0, hi = 0, r;

	/* the row whose entries hold e: offsets are increasing */
	for (r = 0; ; r++) {
		lo = d->off[r];
		hi = d->off[r + 1];
		if (e < hi)
			break;
	}
	*row = d->first + r;
	memcpy(z, &d->z[(r * d->ns + (e - lo)) * d->M], d->M);
}

/* Does feature j of explained row r differ from some background value? */
static int
feature_varies(const struct aud_shap *s, size_t r, size_t j)
{
	const struct aud_column *xc = &s->x->cols[s->xcol[j]];
	const struct aud_column *bc = &s->bg->cols[j];
	size_t k;

	for (k = 0; k < s->K; k++) {
		if (xc->kind == AUD_COL_NUMERIC) {
			double a = xc->num[r], b = bc->num[k];

			if (isnan(a) != isnan(b) || (!isnan(a) && a != b))
				return 1;
		} else {
			/* the background's dictionary extends x's, so codes compare */
			if (xc->code[r] != bc->code[k])
				return 1;
		}
	}
	return 0;
}

/*
 * SHAP's KernelExplainer sampling for one row (shap/explainers/_kernel.py,
 * explain()): coalition sizes 1..ceil((m-1)/2) with their complements are
 * enumerated in turn while the remaining budget covers their share of the
 * kernel weight; the rest of the budget is drawn (size from the remaining
 * kernel weight, members by a random permutation, the complement added too),
 * a repeated coalition adding 1 to its weight; the drawn weights are scaled
 * to the kernel weight left.
 */
static int
kernel_design_row(const struct aud_shap *s, struct aud_rng *rng, size_t budget,
    const size_t *var, size_t m, unsigned char *Z, double *W, size_t *nk_out,
    struct aud_error *err)
{
	size_t M = s->M, nsub = (m - 1 + 1) / 2, npaired = (m - 1) / 2;
	size_t nfull = 0, left = budget, nk = 0, size, i, j, nfixed;
	double *wv = NULL, *rem = NULL, sumw = 0.0;
	size_t *perm = NULL, *comb = NULL;
	struct ztable t = { 0, NULL, Z, M };
	int rc = 0;

	wv = calloc(nsub + 1, sizeof(*wv));
	rem = calloc(nsub + 1, sizeof(*rem));
	perm = calloc(m + 1, sizeof(*perm));
	comb = calloc(m + 1, sizeof(*comb));
	for (t.cap = 16; t.cap < 2 * budget + 2; t.cap *= 2)
		;
	t.slot = malloc(t.cap * sizeof(*t.slot));
	if (wv == NULL || rem == NULL || perm == NULL || comb == NULL || t.slot == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < t.cap; i++)
		t.slot[i] = -1;
	for (i = 0; i < nsub; i++) {
		wv[i] = (double)(m - 1) / ((double)(i + 1) * (double)(m - i - 1));
		if (i < npaired)
			wv[i] *= 2.0;
		sumw += wv[i];
	}
	for (i = 0; i < nsub; i++) {
		wv[i] /= sumw;
		rem[i] = wv[i];
	}
	for (size = 1; size <= nsub; size++) {
		double nsubsets = binomial(m, size), wsub;

		if (size <= npaired)
			nsubsets *= 2.0;
		if (!((double)left * rem[size - 1] / nsubsets >= 1.0 - 1e-8))
			break;
		nfull++;
		left -= (size_t)nsubsets;
		if (rem[size - 1] < 1.0) {
			double scale = 1.0 - rem[size - 1];

			for (i = 0; i < nsub; i++)
				rem[i] /= scale;
		}
		wsub = wv[size - 1] / binomial(m, size);
		if (size <= npaired)
			wsub /= 2.0;
		/* every combination of `size` varying features, in lexicographic order */
		for (i = 0; i < size; i++)
			comb[i] = i;
		for (;;) {
			unsigned char *z = &Z[nk * M];

			memset(z, 0, M);
			for (i = 0; i < size; i++)
				z[var[comb[i]]] = 1;
			W[nk] = wsub;
			ztable_find(&t, z, (long)nk);
			nk++;
			if (size <= npaired) {
				unsigned char *zc = &Z[nk * M];

				memset(zc, 0, M);
				for (i = 0; i < m; i++)
					zc[var[i]] = (unsigned char)!z[var[i]];
				W[nk] = wsub;
				ztable_find(&t, zc, (long)nk);
				nk++;
			}
			for (i = size; i-- > 0; )
				if (comb[i] != i + m - size)
					break;
			if (i == (size_t)-1)
				break;
			comb[i]++;
			for (j = i + 1; j < size; j++)
				comb[j] = comb[j - 1] + 1;
		}
	}
	nfixed = nk;
	if (nfull != nsub) {
		size_t nrem = nsub - nfull, draws = 4 * left, d;
		double sr = 0.0, wdrawn = 0.0, wleft = 0.0;

		for (i = 0; i < nsub; i++) {
			rem[i] = wv[i];
			if (i < npaired)
				rem[i] /= 2.0;
		}
		for (i = nfull; i < nsub; i++)
			sr += rem[i];
		for (i = nfull; i < nsub; i++)
			rem[i - nfull] = rem[i] / sr;
		for (d = 0; d < draws && left > 0; d++) {
			size_t ind = draw_index(rng, rem, nrem);
			unsigned char *z = &Z[nk * M];
			long at;

			size = ind + nfull + 1;
			for (i = 0; i < m; i++)
				perm[i] = var[i];
			aud_rng_shuffle(rng, perm, m, sizeof(*perm));
			memset(z, 0, M);
			for (i = 0; i < size; i++)
				z[perm[i]] = 1;
			at = ztable_find(&t, z, (long)nk);
			if (at < 0) {
				W[nk++] = 1.0;
				left--;
				if (left > 0 && size <= npaired) {
					unsigned char *zc = &Z[nk * M];

					memset(zc, 0, M);
					for (i = 0; i < m; i++)
						zc[var[i]] = (unsigned char)!z[var[i]];
					ztable_find(&t, zc, (long)nk);
					W[nk++] = 1.0;
					left--;
				}
			} else {
				W[at] += 1.0;
				if (left > 0 && size <= npaired)
					W[at + 1] += 1.0;
			}
		}
		for (i = nfull; i < nsub; i++)
			wleft += wv[i];
		for (i = nfixed; i < nk; i++)
			wdrawn += W[i];
		for (i = nfixed; i < nk; i++)
			W[i] *= wleft / wdrawn;
	}
	*nk_out = nk;
done:
	free(wv);
	free(rem);
	free(perm);
	free(comb);
	free(t.slot);
	return rc;
}

/*
 * Solve one row's constrained weighted least squares (SHAP's solve()):
 * with d = fx - base and the last active feature L eliminated through
 * phi_L = d - sum of the others,
 *   minimise sum_s w_s (v_s - base - z_sL d - sum_{j != L} (z_sj - z_sL) phi_j)^2.
 */
static int
kernel_solve(const struct aud_shap *s, const unsigned char *Z, const double *W,
    const double *V, size_t nk, const size_t *act, size_t p, double fx,
    double *phi, struct aud_error *err)
{
	size_t M = s->M, q = p - 1, i, j, ldy;
	double d = fx - s->base, rest = 0.0, rcond = -1.0;
	double *A = NULL, *y = NULL, *sv = NULL;
	lapack_int rank, info;
	int rc = 0;

	if (p == 0)
		return 0;
	if (p == 1) {
		phi[act[0]] = d;
		return 0;
	}
	ldy = nk > q ? nk : q;
	A = calloc(nk * q + 1, sizeof(*A));
	y = calloc(ldy, sizeof(*y));
	sv = calloc(q, sizeof(*sv));
	if (A == NULL || y == NULL || sv == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < nk; i++) {
		const unsigned char *z = &Z[i * M];
		double sw = sqrt(W[i]), zl = z[act[q]];

		for (j = 0; j < q; j++)
			A[i * q + j] = sw * ((double)z[act[j]] - zl);
		y[i] = sw * (V[i] - s->base - zl * d);
	}
	aud__blas_lock();   /* threads explain rows at once: see parallel.h */
	info = LAPACKE_dgelsd(LAPACK_ROW_MAJOR, (lapack_int)nk, (lapack_int)q, 1, A,
	    (lapack_int)q, y, 1, sv, rcond, &rank);
	aud__blas_unlock();
	if (info != 0) {
		rc = AUD_ERROR(err, AUD_ENUMERIC,
		    "kernel: the weighted least squares failed (LAPACKE_dgelsd info %d)",
		    (int)info);
		goto done;
	}
	for (j = 0; j < q; j++) {
		phi[act[j]] = y[j];
		rest += y[j];
	}
	phi[act[q]] = d - rest;
done:
	free(A);
	free(y);
	free(sv);
	return rc;
}

/*
 * A feature is a dummy of the row's game when every pair of evaluated
 * coalitions that differ in it alone has bit-identical values, the pairs
 * (empty, {i}) and (all \ {i}, all) among them. At full budget every pair is
 * evaluated and the test is exact; the feature then gets exactly 0 and
 * leaving its column out does not change the least-squares solution.
 */
static int
is_dummy(struct ztable *t, const unsigned char *Z, const double *V, size_t n,
    size_t M, size_t i, unsigned char *zbuf, size_t empty, size_t full)
{
	size_t a;
	long b;
	int ends = 0;

	for (a = 0; a < n; a++) {
		if (Z[a * M + i])
			continue;
		memcpy(zbuf, &Z[a * M], M);
		zbuf[i] = 1;
		b = ztable_find(t, zbuf, -1);
		if (b < 0)
			continue;
		if (memcmp(&V[a], &V[b], sizeof(double)) != 0)
			return 0;
		if (a == empty || (size_t)b == full)
			ends++;
	}
	return ends == 2;
}

static int
explain_kernel(struct aud_shap_work *w, size_t first, size_t n, double *phi,
    const double *fx, struct aud_error *err)
{
	const struct aud_shap *s = w->s;
	size_t M = s->M, ns = s->nsamples + 2, r, i, j, total = 0;
	struct kdesign d;
	size_t *var = NULL, *act = NULL;
	unsigned char *zbuf = NULL;
	long *slots = NULL;
	double *V = NULL;
	int rc = 0;

	(void)fx;   /* the full coalition is evaluated like the others */
	memset(&d, 0, sizeof(d));
	d.ns = ns;
	d.first = first;
	d.M = M;
	d.z = malloc(n * ns * (M ? M : 1));   /* per row: samples, full, empty */
	d.w = malloc(n * ns * sizeof(*d.w));
	d.nk = calloc(n, sizeof(*d.nk));
	d.off = calloc(n + 1, sizeof(*d.off));
	d.varying = calloc(n * M + 1, 1);
	var = malloc((M + 1) * sizeof(*var));
	act = malloc((M + 1) * sizeof(*act));
	zbuf = malloc(M + 1);
	if (d.z == NULL || d.w == NULL || d.nk == NULL || d.off == NULL ||
	    d.varying == NULL || var == NULL || act == NULL || zbuf == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (r = 0; r < n; r++) {
		size_t m = 0;

		for (j = 0; j < M; j++) {
			d.varying[r * M + j] = (unsigned char)feature_varies(s, first + r, j);
			if (d.varying[r * M + j])
				var[m++] = j;
		}
		if (m >= 1) {
			size_t budget = s->nsamples;

			if (m <= 30 && budget > ((size_t)1 << m) - 2)
				budget = ((size_t)1 << m) - 2;
			aud_rng_reseed(w->rng, s->opts.seed, first + r);
			rc = kernel_design_row(s, w->rng, budget, var, m,
			    &d.z[r * ns * M], &d.w[r * ns], &d.nk[r], err);
			if (rc < 0)
				goto done;
			/* then the full coalition, evaluated like the others */
			memset(&d.z[(r * ns + d.nk[r]) * M], 0, M);
			for (j = 0; j < m; j++)
				d.z[(r * ns + d.nk[r]) * M + var[j]] = 1;
			d.off[r + 1] = d.off[r] + d.nk[r] + 1;
		} else {
			d.off[r + 1] = d.off[r];
		}
	}
	total = d.off[n];
	V = malloc((total + 2) * sizeof(*V));
	if (V == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	rc = eval_entries(w, total, kernel_entry, &d, V, err);
	if (rc < 0)
		goto done;
	for (r = 0; r < n; r++) {
		size_t m = 0, p = 0, nk = d.nk[r], cap;
		unsigned char *Z = &d.z[r * ns * M];
		double *Vr;
		struct ztable t;

		for (j = 0; j < M; j++)
			phi[r * M + j] = 0.0;
		for (j = 0; j < M; j++)
			if (d.varying[r * M + j])
				var[m++] = j;
		if (m == 0)
			continue;
		/* the samples, the full coalition, then the empty one */
		Vr = malloc((nk + 2) * sizeof(*Vr));
		for (cap = 16; cap < 2 * (nk + 2); cap *= 2)
			;
		free(slots);
		slots = malloc(cap * sizeof(*slots));
		if (Vr == NULL || slots == NULL) {
			free(Vr);
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		memcpy(Vr, &V[d.off[r]], (nk + 1) * sizeof(*Vr));
		memset(&Z[(nk + 1) * M], 0, M);
		Vr[nk + 1] = s->base;
		t.cap = cap;
		t.slot = slots;
		t.z = Z;
		t.M = M;
		for (i = 0; i < cap; i++)
			slots[i] = -1;
		for (i = 0; i < nk + 2; i++)
			ztable_find(&t, &Z[i * M], (long)i);
		for (j = 0; j < m; j++)
			if (!is_dummy(&t, Z, Vr, nk + 2, M, var[j], zbuf, nk + 1, nk))
				act[p++] = var[j];
		rc = kernel_solve(s, Z, &d.w[r * ns], Vr, nk, act, p, Vr[nk],
		    &phi[r * M], err);
		free(Vr);
		if (rc < 0)
			goto done;
		for (j = 0; j < M; j++)
			phi[r * M + j] += 0.0;
	}
done:
	free(d.z);
	free(d.w);
	free(d.nk);
	free(d.off);
	free(d.varying);
	free(var);
	free(act);
	free(zbuf);
	free(slots);
	free(V);
	return rc;
}

/* ---- linear ---- */

/* g_j of a categorical code: index 0 holds the missing value. */
static double
gcat_of(const double *g, int32_t code)
{
	return g[code < 0 ? 0 : (size_t)code + 1];
}

/* The linear reconstruction f(r) + sum_j g_j(z_j) - g_j(r_j) of a hybrid row. */
static double
linear_value(const struct aud_shap *s, double f0, const double *r0,
    const struct aud_column *const *cols, const size_t *rows)
{
	size_t j;
	double y = f0;

	for (j = 0; j < s->M; j++) {
		const struct aud_column *c = cols[j];

		if (c->kind == AUD_COL_NUMERIC)
			y += s->beta[j] * (c->num[rows[j]] - r0[j]);
		else
			y += gcat_of(s->gcat[j], c->code[rows[j]]);
	}
	return y;
}

/* Does categorical feature j miss a value in an explained or a background row? */
static int
has_missing(const struct aud_shap *s, size_t j)
{
	const struct aud_column *xc = &s->x->cols[s->xcol[j]];
	size_t i;

	for (i = 0; i < s->x->nrows; i++)
		if (xc->code[i] < 0)
			return 1;
	for (i = 0; i < s->K; i++)
		if (s->bg->cols[j].code[i] < 0)
			return 1;
	return 0;
}

/*
 * Find the additive form of the explained output by probing the model
 * around a reference background row r: a numeric feature's slope from a step
 * of one background standard deviation, a categorical feature's g(value) -
 * g(r's value) for every known value. Then verify it: the form must give
 * the model's output on every background row, every explained row and one
 * random hybrid per explained row, within 1e-9 of the output scale;
 * otherwise the model is not linear in the explained output and linear is
 * refused.
 */
static int
linear_setup(struct aud_shap *s, const double *fx, struct aud_error *err)
{
	size_t M = s->M, K = s->K, n = s->x->nrows, j, k, i, nprobe = 1, ref = K, at;
	struct aud_batch *pb = NULL;
	double *out = NULL, *r0 = NULL, *bgout = NULL, scale = 1.0, tol;
	const struct aud_column **cols = NULL;
	size_t *rows = NULL;
	struct aud_rng *rng = NULL;
	int rc;

	s->beta = calloc(M + 1, sizeof(*s->beta));
	s->gcat = calloc(M + 1, sizeof(*s->gcat));
	s->gmean = calloc(M + 1, sizeof(*s->gmean));
	r0 = calloc(M + 1, sizeof(*r0));
	cols = calloc(M + 1, sizeof(*cols));
	rows = calloc(M + 1, sizeof(*rows));
	bgout = calloc(K, sizeof(*bgout));
	if (s->beta == NULL || s->gcat == NULL || s->gmean == NULL || r0 == NULL ||
	    cols == NULL || rows == NULL || bgout == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	/* no missing numeric value anywhere: the closed form needs numbers */
	for (j = 0; j < M; j++) {
		const struct aud_column *xc = &s->x->cols[s->xcol[j]];

		if (xc->kind != AUD_COL_NUMERIC)
			continue;
		for (i = 0; i < n; i++)
			if (isnan(xc->num[i])) {
				rc = AUD_ERROR(err, AUD_EUNSUPPORTED,
				    "linear: feature '%s' is missing in explained row %zu; "
				    "use --method exact or kernel", s->names[j], i);
				goto done;
			}
		for (k = 0; k < K; k++)
			if (isnan(s->bg->cols[j].num[k])) {
				rc = AUD_ERROR(err, AUD_EUNSUPPORTED,
				    "linear: feature '%s' is missing in background row %zu; "
				    "use --method exact or kernel", s->names[j], k);
				goto done;
			}
	}
	ref = 0;
	for (j = 0; j < M; j++) {
		if (s->bg->cols[j].kind == AUD_COL_NUMERIC)
			nprobe++;
		else
			nprobe += aud_dict_size(s->bg->cols[j].dict) + 1;
	}
	rc = aud_batch_new(&pb, M, s->names, s->kinds, nprobe, err);
	if (rc < 0)
		goto done;
	for (j = 0; j < M; j++) {
		if (pb->cols[j].kind == AUD_COL_CATEGORICAL) {
			aud_dict_free(pb->cols[j].dict);
			pb->cols[j].dict = NULL;
			rc = aud_dict_clone(&pb->cols[j].dict, s->bg->cols[j].dict, err);
			if (rc < 0)
				goto done;
		}
	}
	/* every probe starts as the reference row */
	for (i = 0; i < nprobe; i++)
		for (j = 0; j < M; j++) {
			if (pb->cols[j].kind == AUD_COL_NUMERIC)
				pb->cols[j].num[i] = s->bg->cols[j].num[ref];
			else
				pb->cols[j].code[i] = s->bg->cols[j].code[ref];
		}
	at = 1;
	for (j = 0; j < M; j++) {
		struct aud_column *c = &pb->cols[j];

		if (c->kind == AUD_COL_NUMERIC) {
			double mean = 0.0, var = 0.0, step;

			r0[j] = s->bg->cols[j].num[ref];
			for (k = 0; k < K; k++)
				mean += s->bg->cols[j].num[k];
			mean /= (double)K;
			for (k = 0; k < K; k++)
				var += (s->bg->cols[j].num[k] - mean) *
				    (s->bg->cols[j].num[k] - mean);
			step = sqrt(var / (double)K);
			if (!(step > 0.0))
				step = fabs(r0[j]) > 1.0 ? fabs(r0[j]) : 1.0;
			s->gmean[j] = mean;   /* numeric: E[x_j] */
			c->num[at] = r0[j] + step;
			r0[j] = step;        /* remembered for the slope below */
			at++;
		} else {
			size_t D = aud_dict_size(c->dict), v;

			/* the missing value only where it occurs (a model may not score it) */
			c->code[at++] = has_missing(s, j) ? -1 : s->bg->cols[j].code[ref];
			for (v = 0; v < D; v++)
				c->code[at++] = (int32_t)v;
		}
	}
	pb->nrows = nprobe;
	out = malloc(nprobe * sizeof(*out));
	if (out == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	rc = aud_shap_output(out, s->m, pb, s->opts.output, s->opts.link, err);
	if (rc < 0)
		goto done;
	at = 1;
	for (j = 0; j < M; j++) {
		if (pb->cols[j].kind == AUD_COL_NUMERIC) {
			s->beta[j] = (out[at] - out[0]) / r0[j];
			r0[j] = s->bg->cols[j].num[ref];
			at++;
		} else {
			size_t D = aud_dict_size(pb->cols[j].dict), v;

			s->gcat[j] = malloc((D + 1) * sizeof(double));
			if (s->gcat[j] == NULL) {
				rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
				goto done;
			}
			for (v = 0; v <= D; v++)
				s->gcat[j][v] = out[at + v] - out[0];
			at += D + 1;
			for (k = 0; k < K; k++)
				s->gmean[j] += gcat_of(s->gcat[j], s->bg->cols[j].code[k]);
			s->gmean[j] /= (double)K;
		}
	}
	/* verify on the background, the explained rows and random hybrids */
	rc = aud_shap_output(bgout, s->m, s->bg, s->opts.output, s->opts.link, err);
	if (rc < 0)
		goto done;
	for (k = 0; k < K; k++)
		if (fabs(bgout[k]) > scale)
			scale = fabs(bgout[k]);
	for (i = 0; i < n; i++)
		if (fabs(fx[i]) > scale)
			scale = fabs(fx[i]);
	tol = 1e-9 * scale;
	for (k = 0; k < K; k++) {
		double y;

		for (j = 0; j < M; j++) {
			cols[j] = &s->bg->cols[j];
			rows[j] = k;
		}
		y = linear_value(s, out[0], r0, cols, rows);
		if (!(fabs(y - bgout[k]) <= tol)) {
			rc = AUD_ERROR(err, AUD_EINVAL,
			    "linear: the model is not linear in its %s (at background row %zu "
			    "a linear fit gives %.17g, the model %.17g); use --method exact or "
			    "kernel%s", s->opts.output == AUD_OUTPUT_MARGIN ? "margin" : "score",
			    k, y, bgout[k], s->opts.output == AUD_OUTPUT_MARGIN ? "" :
			    ", or explain --model-output margin");
			goto done;
		}
	}
	rc = aud_rng_new(&rng, s->opts.seed, 0, err);
	if (rc < 0)
		goto done;
	for (i = 0; i < n; i++) {
		int hybrid;

		for (hybrid = 0; hybrid < 2; hybrid++) {
			size_t kk = aud_rng_int(rng, K);
			double y;

			for (j = 0; j < M; j++) {
				int from_x = !hybrid || aud_rng_uniform(rng) < 0.5;

				cols[j] = from_x ? &s->x->cols[s->xcol[j]] : &s->bg->cols[j];
				rows[j] = from_x ? i : kk;
			}
			y = linear_value(s, out[0], r0, cols, rows);
			if (!hybrid) {
				if (!(fabs(y - fx[i]) <= tol)) {
					rc = AUD_ERROR(err, AUD_EINVAL,
					    "linear: the model is not linear in its %s (at explained row "
					    "%zu a linear fit gives %.17g, the model %.17g); use --method "
					    "exact or kernel%s",
					    s->opts.output == AUD_OUTPUT_MARGIN ? "margin" : "score",
					    i, y, fx[i], s->opts.output == AUD_OUTPUT_MARGIN ? "" :
					    ", or explain --model-output margin");
					goto done;
				}
				continue;
			}
			/* one hybrid row through the model */
			for (j = 0; j < M; j++) {
				if (pb->cols[j].kind == AUD_COL_NUMERIC)
					pb->cols[j].num[0] = cols[j]->num[rows[j]];
				else
					pb->cols[j].code[0] = cols[j]->code[rows[j]];
			}
			pb->nrows = 1;
			{
				double fy;

				rc = aud_shap_output(&fy, s->m, pb, s->opts.output, s->opts.link, err);
				if (rc < 0)
					goto done;
				if (!(fabs(y - fy) <= tol)) {
					rc = AUD_ERROR(err, AUD_EINVAL,
					    "linear: the model is not additive in its features (a mix of "
					    "explained row %zu and background row %zu gives %.17g, a linear "
					    "fit %.17g); use --method exact or kernel", i, kk, fy, y);
					goto done;
				}
			}
		}
	}
	rc = 0;
done:
	aud_batch_free(pb);
	aud_rng_free(rng);
	free(out);
	free(r0);
	free(cols);
	free(rows);
	free(bgout);
	return rc;
}

/* phi_j = beta_j (x_j - E[x_j]) (numeric), g_j(x_j) - E[g_j] (categorical). */
static void
explain_linear(const struct aud_shap *s, size_t first, size_t n, double *phi)
{
	size_t r, j, M = s->M;

	for (r = 0; r < n; r++)
		for (j = 0; j < M; j++) {
			const struct aud_column *xc = &s->x->cols[s->xcol[j]];

			if (xc->kind == AUD_COL_NUMERIC)
				phi[r * M + j] = s->beta[j] * (xc->num[first + r] - s->gmean[j]) + 0.0;
			else
				phi[r * M + j] = gcat_of(s->gcat[j], xc->code[first + r]) -
				    s->gmean[j] + 0.0;
		}
}

/* ---- tree ---- */

static int
tree_setup(struct aud_shap *s, struct aud_error *err)
{
	size_t M = s->M, n = s->x->nrows, i, j;
	int rc;

	const char *name = s->opts.method == AUD_SHAP_TREE_PATH ? "tree-path" : "tree";

	if (s->opts.link != AUD_LINK_IDENTITY)
		return AUD_ERROR(err, AUD_EINVAL,
		    "%s explains sums of leaf values and takes no link; "
		    "use --model-output margin, or --method exact or kernel", name);
	if (s->opts.trees != NULL) {
		s->trees = s->opts.trees;
	} else {
		rc = aud_model_trees(&s->trees, s->m, err);
		if (rc < 0)
			return rc;
	}
	s->child = s->opts.child != NULL ? s->opts.child : aud_tree_child;
	if (s->trees->is_margin && s->opts.output == AUD_OUTPUT_SCORE)
		return AUD_ERROR(err, AUD_EINVAL,
		    "%s: the model's trees sum to its margin and a link makes the score, "
		    "which is not a sum of leaves; explain --model-output margin, or use "
		    "--method exact or kernel for the score", name);
	if (s->opts.method == AUD_SHAP_TREE_PATH) {
		rc = aud_treepath_new(&s->tp, s->trees, s->child, M, err);
		if (rc < 0)
			return rc;
		s->base = aud_treepath_base(s->tp);
	}
	s->xd = malloc((n * M + 1) * sizeof(*s->xd));
	s->bgd = malloc((s->K * M + 1) * sizeof(*s->bgd));
	if (s->xd == NULL || s->bgd == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (j = 0; j < M; j++) {
		const struct aud_feature *f = aud_model_feature(s->m, j);

		for (i = 0; i < n; i++) {
			rc = tree_input(&s->xd[i * M + j], f, &s->x->cols[s->xcol[j]], i, err);
			if (rc < 0)
				return rc;
		}
		for (i = 0; i < s->K; i++) {
			rc = tree_input(&s->bgd[i * M + j], f, &s->bg->cols[j], i, err);
			if (rc < 0)
				return rc;
		}
	}
	if (s->tp != NULL)
		return 0;
	return aud_treeshap_new(&s->ts, s->trees, s->child, M, s->bgd, s->K, err);
}

static int
explain_tree(struct aud_shap_work *w, size_t first, size_t n, double *phi,
    struct aud_error *err)
{
	const struct aud_shap *s = w->s;
	size_t r, j, M = s->M;
	int rc = 0;

	for (r = 0; r < n * M; r++)
		phi[r] = 0.0;
	if (s->tp != NULL)
		rc = aud_treepath_explain_rows(s->tp, &s->xd[first * M], n, phi, w->scratch,
		    err);
	else
		aud_treeshap_explain_rows(s->ts, &s->xd[first * M], n, phi, w->scratch);
	for (r = 0; r < n; r++)
		for (j = 0; j < M; j++)
			phi[r * M + j] += 0.0;
	return rc;
}

/* ---- explainer ---- */

int
aud_shap_new(struct aud_shap **out, const struct aud_model *m,
    const struct aud_batch *rows, const struct aud_batch *background,
    const struct aud_shap_options *opts, struct aud_error *err)
{
	struct aud_shap *s;
	double *bgout = NULL, *fx = NULL, sum = 0.0;
	size_t j, k;
	int rc;

	*out = NULL;
	if (opts == NULL)
		opts = &default_options;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	s->m = m;
	s->opts = *opts;
	s->M = aud_model_nfeatures(m);
	s->K = background != NULL ? background->nrows : 0;
	s->x = rows;
	s->batch_rows = opts->batch_rows ? opts->batch_rows : 65536;
	if (opts->method == AUD_SHAP_TREE_PATH && s->K > 0) {
		rc = AUD_ERROR(err, AUD_EINVAL, "tree-path takes no background: it weighs each "
		    "branch by the training rows that reached it");
		goto done;
	}
	if (s->K == 0 && opts->method != AUD_SHAP_TREE_PATH) {
		rc = AUD_ERROR(err, AUD_EPARSE, "the background has no rows");
		goto done;
	}
	if (opts->method == AUD_SHAP_EXACT && s->M > AUD_SHAP_EXACT_MAX) {
		rc = AUD_ERROR(err, AUD_EINVAL,
		    "exact enumerates 2^M coalitions and takes at most %d features, "
		    "the model has %zu; use --method kernel", AUD_SHAP_EXACT_MAX, s->M);
		goto done;
	}
	s->xcol = calloc(s->M + 1, sizeof(*s->xcol));
	s->names = calloc(s->M + 1, sizeof(*s->names));
	s->kinds = calloc(s->M + 1, sizeof(*s->kinds));
	if (s->xcol == NULL || s->names == NULL || s->kinds == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (j = 0; j < s->M; j++) {
		s->names[j] = aud_model_feature(m, j)->name;
		s->xcol[j] = aud_batch_find(rows, s->names[j]);
		if (s->xcol[j] < 0) {
			rc = AUD_ERROR(err, AUD_ENOTFOUND,
			    "the model's feature '%s' is not a column of the input", s->names[j]);
			goto done;
		}
		s->kinds[j] = rows->cols[s->xcol[j]].kind;
	}
	if (opts->method == AUD_SHAP_TREE_PATH) {
		rc = tree_setup(s, err);
		if (rc < 0)
			goto done;
		*out = s;
		return 0;
	}
	rc = build_background(s, background, err);
	if (rc < 0)
		goto done;
	s->nsamples = opts->nsamples ? opts->nsamples : 2 * s->M + 2048;
	if (s->M <= 30 && s->M >= 2 && s->nsamples > ((size_t)1 << s->M) - 2)
		s->nsamples = ((size_t)1 << s->M) - 2;
	/* the base value: the mean output over the background (SHAP's fnull) */
	bgout = malloc(s->K * sizeof(*bgout));
	fx = malloc((rows->nrows + 1) * sizeof(*fx));
	if (bgout == NULL || fx == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	if (opts->link == AUD_LINK_LOGIT) {
		rc = aud_shap_output(bgout, m, s->bg, opts->output, AUD_LINK_IDENTITY, err);
		if (rc < 0)
			goto done;
		for (k = 0; k < s->K; k++)
			sum += bgout[k];
		s->base = sum / (double)s->K;
		rc = apply_link(&s->base, opts->link, err);
		if (rc < 0)
			goto done;
	} else {
		rc = aud_shap_output(bgout, m, s->bg, opts->output, opts->link, err);
		if (rc < 0)
			goto done;
		for (k = 0; k < s->K; k++)
			sum += bgout[k];
		s->base = sum / (double)s->K;
	}
	if (opts->method == AUD_SHAP_LINEAR) {
		if (opts->link != AUD_LINK_IDENTITY) {
			/* the link of v(S) = link(E f) does not pass through a linear form */
			rc = AUD_ERROR(err, AUD_EINVAL,
			    "linear takes no link (it applies to the expected score); "
			    "explain --model-output margin instead");
			goto done;
		}
		rc = aud_shap_output(fx, m, rows, opts->output, opts->link, err);
		if (rc < 0)
			goto done;
		rc = linear_setup(s, fx, err);
		if (rc < 0)
			goto done;
	} else if (opts->method == AUD_SHAP_TREE) {
		rc = tree_setup(s, err);
		if (rc < 0)
			goto done;
	}
	*out = s;
	s = NULL;
done:
	free(bgout);
	free(fx);
	aud_shap_free(s);
	return rc;
}

void
aud_shap_free(struct aud_shap *s)
{
	size_t j;

	if (s == NULL)
		return;
	aud_batch_free(s->bg);
	if (s->gcat != NULL)
		for (j = 0; j < s->M; j++)
			free(s->gcat[j]);
	free(s->gcat);
	free(s->beta);
	free(s->gmean);
	free(s->xcol);
	free(s->names);
	free(s->kinds);
	aud_treeshap_free(s->ts);
	aud_treepath_free(s->tp);
	free(s->xd);
	free(s->bgd);
	free(s);
}

size_t
aud_shap_block_rows(const struct aud_shap *s)
{
	size_t per_row;

	switch (s->opts.method) {
	case AUD_SHAP_EXACT:
		per_row = (((size_t)1 << s->M) - 1) * s->K;
		break;
	case AUD_SHAP_KERNEL:
		per_row = s->nsamples * s->K;
		break;
	default:
		return 64;
	}
	return per_row >= s->batch_rows ? 1 : s->batch_rows / per_row;
}

int
aud_shap_work_new(struct aud_shap_work **out, const struct aud_shap *s,
    struct aud_error *err)
{
	struct aud_shap_work *w;
	size_t M = s->M, j, nrows;
	int rc = 0;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	w->s = s;
	if (s->opts.method == AUD_SHAP_TREE_PATH) {
		w->scratch = malloc(aud_treepath_scratch_size(s->tp) + 1);
		if (w->scratch == NULL)
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	w->cap_entries = s->batch_rows / s->K;
	if (w->cap_entries == 0)
		w->cap_entries = 1;
	nrows = w->cap_entries * s->K;
	if (s->opts.method == AUD_SHAP_TREE) {
		w->scratch = malloc(aud_treeshap_scratch_size(s->ts));
		if (w->scratch == NULL)
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	if (s->opts.method == AUD_SHAP_LINEAR)
		goto done;
	rc = aud_batch_new(&w->h, M, s->names, s->kinds, nrows, err);
	if (rc < 0)
		goto done;
	for (j = 0; j < M; j++) {
		if (w->h->cols[j].kind != AUD_COL_CATEGORICAL)
			continue;
		aud_dict_free(w->h->cols[j].dict);
		w->h->cols[j].dict = NULL;
		rc = aud_dict_clone(&w->h->cols[j].dict, s->bg->cols[j].dict, err);
		if (rc < 0)
			goto done;
	}
	w->score = malloc(nrows * sizeof(*w->score));
	w->margin = malloc(nrows * sizeof(*w->margin));
	w->erow = malloc(w->cap_entries * sizeof(*w->erow));
	w->ez = malloc(w->cap_entries * (M + 1));
	if (w->score == NULL || w->margin == NULL || w->erow == NULL || w->ez == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	if (s->opts.method == AUD_SHAP_EXACT) {
		size_t i, nm = (size_t)1 << M;

		w->v = malloc(nm * sizeof(*w->v));
		w->wexact = malloc((M + 1) * sizeof(*w->wexact));
		if (w->v == NULL || w->wexact == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		/* |S|! (M - |S| - 1)! / M! = 1 / (M C(M-1, |S|)) */
		for (i = 0; i < M; i++)
			w->wexact[i] = 1.0 / ((double)M * binomial(M - 1, i));
	}
	if (s->opts.method == AUD_SHAP_KERNEL) {
		rc = aud_rng_new(&w->rng, s->opts.seed, 0, err);
		if (rc < 0)
			goto done;
	}
done:
	if (rc < 0) {
		aud_shap_work_free(w);
		return rc;
	}
	*out = w;
	return 0;
}

void
aud_shap_work_free(struct aud_shap_work *w)
{
	if (w == NULL)
		return;
	aud_batch_free(w->h);
	free(w->score);
	free(w->margin);
	free(w->erow);
	free(w->ez);
	free(w->v);
	free(w->wexact);
	aud_rng_free(w->rng);
	free(w->scratch);
	free(w);
}

/* The sub-batch view of rows [first, first + n) of x (no copy). */
static void
row_view(struct aud_batch *view, struct aud_column *cols, const struct aud_batch *x,
    size_t first, size_t n)
{
	size_t j;

	*view = *x;
	view->nrows = n;
	view->cap = n;
	view->cols = cols;
	for (j = 0; j < x->ncols; j++) {
		cols[j] = x->cols[j];
		if (cols[j].kind == AUD_COL_NUMERIC)
			cols[j].num += first;
		else
			cols[j].code += first;
	}
	view->first_row = x->first_row + first;
}

int
aud_shap_explain(const struct aud_shap *s, struct aud_shap_work *w,
    size_t first, size_t n, double *phi, double *fx, struct aud_error *err)
{
	struct aud_batch view;
	struct aud_column *cols;
	int rc;

	assert(first + n <= s->x->nrows);
	if (n == 0)
		return 0;
	cols = malloc((s->x->ncols + 1) * sizeof(*cols));
	if (cols == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	row_view(&view, cols, s->x, first, n);
	rc = aud_shap_output(fx, s->m, &view, s->opts.output, s->opts.link, err);
	free(cols);
	if (rc < 0)
		return rc;
	switch (s->opts.method) {
	case AUD_SHAP_EXACT:
		return explain_exact(w, first, n, phi, fx, err);
	case AUD_SHAP_KERNEL:
		return explain_kernel(w, first, n, phi, fx, err);
	case AUD_SHAP_LINEAR:
		explain_linear(s, first, n, phi);
		return 0;
	case AUD_SHAP_TREE:
	case AUD_SHAP_TREE_PATH:
		return explain_tree(w, first, n, phi, err);
	}
	return AUD_ERROR(err, AUD_EINVAL, "unknown method");
}
