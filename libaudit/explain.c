/*
 * explain.c — the audit-explain driver: reading rows and background, running
 * a method over threads, summaries, the JSON document and the per-row CSV.
 * See explain.h.
 */
#include <audit/explain.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/csv.h>
#include <audit/hash.h>
#include <audit/json.h>
#include <audit/rng.h>
#include <audit/stats.h>

#include "parallel.h"

/* The random stream that samples a large background (stream ids of rows start at 0). */
#define BACKGROUND_STREAM UINT64_C(0x6261636b67726f75)

struct aud_explain {
	struct aud_explain_options o;
	char *path;
	char sha[65];
	/* explained rows: the feature columns, then label and protected ones */
	struct aud_batch *x;
	uint64_t *rowid;               /* per row: 0-based data row of the input */
	size_t n;
	size_t nfcols;                 /* feature columns read (the first nfcols of x) */
	size_t ncols;                  /* all columns read (fnames holds ncols names) */
	char **fnames;
	enum aud_col_kind *fkinds;
	long lcol;                     /* label column in x, or -1 */
	long *pcol;                    /* per protected attribute: its column in x */
	/* the model */
	size_t M;
	char **mnames;
	long *mcol;                    /* per model feature: its column in x */
	char *model_desc;
	/* background */
	size_t K;
	uint64_t bg_total;
	/* results */
	int done;
	double base;
	double *phi, *fx;
	double max_add_err;
	size_t nsamples;
	struct aud_perm_result perm;
	struct aud_pdp_curve *curves;
	size_t *curve_feature;         /* per curve: model feature index */
	size_t ncurves;
	cJSON *warnings;               /* array of strings */
	/* the proxy table, over every data row of the input (not only the
	 * explained ones): per (feature column, protected attribute) pair */
	struct assoc_acc *acc;         /* nfcols * nprotected, [j * nprotected + a] */
	uint64_t total_rows;           /* data rows of the input */
	char bg_sha[65];               /* sha256 of the background's bytes ("" if none read) */
	char model_sha[65];            /* sha256 of the PMML file ("" for a command) */
	size_t nstrata;                /* --rows-sample: strata seen */
};

/*
 * Streamed association counts of one feature column with one protected
 * attribute. Categorical feature: the contingency table tab[d * gcap + g];
 * numeric feature: per protected group its count, mean and sum of squared
 * deviations (Welford), so groups can be merged (bins) without the rows.
 */
struct assoc_acc {
	size_t dcap, gcap;
	double *tab;
	double *cnt, *mean, *m2;
};

static const char *const method_names[] = { "exact", "kernel", "linear", "tree",
	"permutation", "pdp", "tree-path" };
#define NMETHODS (sizeof(method_names) / sizeof(method_names[0]))

/* ---- the proxy table's counts, streamed over every input row ---- */

static void
acc_release(struct assoc_acc *a)
{
	free(a->tab);
	free(a->cnt);
	free(a->mean);
	free(a->m2);
	memset(a, 0, sizeof(*a));
}

static size_t
grown(size_t cap, size_t need)
{
	size_t c = cap ? cap : 8;

	while (c < need)
		c *= 2;
	return c;
}

/* Room for feature codes < D and group codes < G (categorical: a D x G table). */
static int
acc_reserve(struct assoc_acc *a, int numeric, size_t D, size_t G, struct aud_error *err)
{
	size_t d, g;

	if (numeric) {
		double *c, *m, *q;

		if (G <= a->gcap)
			return 0;
		g = grown(a->gcap, G);
		c = calloc(g, sizeof(*c));
		m = calloc(g, sizeof(*m));
		q = calloc(g, sizeof(*q));
		if (c == NULL || m == NULL || q == NULL) {
			free(c);
			free(m);
			free(q);
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		}
		if (a->gcap > 0) {
			memcpy(c, a->cnt, a->gcap * sizeof(*c));
			memcpy(m, a->mean, a->gcap * sizeof(*m));
			memcpy(q, a->m2, a->gcap * sizeof(*q));
		}
		free(a->cnt);
		free(a->mean);
		free(a->m2);
		a->cnt = c;
		a->mean = m;
		a->m2 = q;
		a->gcap = g;
		return 0;
	}
	if (D <= a->dcap && G <= a->gcap)
		return 0;
	d = grown(a->dcap, D);
	g = grown(a->gcap, G);
	{
		double *t = calloc(d * g, sizeof(*t));
		size_t r;

		if (t == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		for (r = 0; r < a->dcap; r++)
			if (a->gcap > 0)
				memcpy(&t[r * g], &a->tab[r * a->gcap], a->gcap * sizeof(*t));
		free(a->tab);
		a->tab = t;
		a->dcap = d;
		a->gcap = g;
	}
	return 0;
}

/* Add the rows of batch b: feature column j, protected attribute column pc of b. */
static int
acc_add(struct assoc_acc *a, const struct aud_column *fc, const struct aud_column *pc,
    size_t nrows, struct aud_error *err)
{
	int numeric = fc->kind == AUD_COL_NUMERIC;
	size_t i, G = aud_dict_size(pc->dict), D = numeric ? 0 : aud_dict_size(fc->dict);
	int rc;

	rc = acc_reserve(a, numeric, D, G, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < nrows; i++) {
		int32_t g = pc->code[i];

		if (g < 0)
			continue;
		if (numeric) {
			double x = fc->num[i], d;

			if (isnan(x))
				continue;
			a->cnt[g] += 1.0;
			d = x - a->mean[g];
			a->mean[g] += d / a->cnt[g];
			a->m2[g] += d * (x - a->mean[g]);
		} else if (fc->code[i] >= 0) {
			a->tab[(size_t)fc->code[i] * a->gcap + (size_t)g] += 1.0;
		}
	}
	return 0;
}

/* Merge groups: old group code k becomes map[k] (< G2), the bins of a binned column. */
static int
acc_regroup(struct assoc_acc *a, int numeric, const int32_t *map, size_t G, size_t G2,
    struct aud_error *err)
{
	struct assoc_acc b;
	size_t k, d;
	int rc;

	memset(&b, 0, sizeof(b));
	rc = acc_reserve(&b, numeric, a->dcap, G2, err);
	if (rc < 0)
		return rc;
	for (k = 0; k < G && k < a->gcap; k++) {
		size_t t = (size_t)map[k];

		if (numeric) {
			double n1 = b.cnt[t], n2 = a->cnt[k], n = n1 + n2, d2;

			if (n2 == 0.0)
				continue;
			d2 = a->mean[k] - b.mean[t];
			b.mean[t] += d2 * n2 / n;
			b.m2[t] += a->m2[k] + d2 * d2 * n1 * n2 / n;
			b.cnt[t] = n;
		} else {
			for (d = 0; d < a->dcap; d++)
				b.tab[d * b.gcap + t] += a->tab[d * a->gcap + k];
		}
	}
	acc_release(a);
	*a = b;
	return 0;
}

/*
 * Cramer's V (categorical feature) or the correlation ratio eta (numeric
 * feature) from the counts, over the rows where both values are present
 * (their number in *rows). NAN when undefined (one group or one value
 * only, no variance).
 */
static double
acc_value(const struct assoc_acc *a, int numeric, double *rows)
{
	size_t g, d;
	double n = 0.0;

	*rows = 0.0;
	if (numeric) {
		double mean = 0.0, ssw = 0.0, ssb = 0.0;

		for (g = 0; g < a->gcap; g++)
			if (a->cnt[g] > 0.0) {
				n += a->cnt[g];
				mean += a->cnt[g] * a->mean[g];
				ssw += a->m2[g];
			}
		*rows = n;
		if (n == 0.0)
			return NAN;
		mean /= n;
		for (g = 0; g < a->gcap; g++)
			if (a->cnt[g] > 0.0)
				ssb += a->cnt[g] * (a->mean[g] - mean) * (a->mean[g] - mean);
		if (ssb + ssw <= 0.0)
			return NAN;
		return sqrt(fmin(1.0, ssb / (ssb + ssw)));
	}
	{
		double *rs = calloc(a->dcap + 1, sizeof(*rs)), *cs = calloc(a->gcap + 1, sizeof(*cs));
		double chi2 = 0.0, v = NAN;
		size_t nr = 0, nc = 0;

		if (rs == NULL || cs == NULL) {
			free(rs);
			free(cs);
			return NAN;
		}
		for (d = 0; d < a->dcap; d++)
			for (g = 0; g < a->gcap; g++) {
				rs[d] += a->tab[d * a->gcap + g];
				cs[g] += a->tab[d * a->gcap + g];
				n += a->tab[d * a->gcap + g];
			}
		for (d = 0; d < a->dcap; d++)
			nr += rs[d] > 0.0;
		for (g = 0; g < a->gcap; g++)
			nc += cs[g] > 0.0;
		*rows = n;
		if (n > 0.0 && nr > 1 && nc > 1) {
			for (d = 0; d < a->dcap; d++)
				for (g = 0; g < a->gcap; g++) {
					double ex, o = a->tab[d * a->gcap + g];

					if (rs[d] == 0.0 || cs[g] == 0.0)
						continue;
					ex = rs[d] * cs[g] / n;
					chi2 += (o - ex) * (o - ex) / ex;
				}
			v = sqrt(fmin(1.0, chi2 / (n * (double)((nr < nc ? nr : nc) - 1))));
		}
		free(rs);
		free(cs);
		return v;
	}
}

const char *
aud_explain_method_name(enum aud_explain_method m)
{
	return (unsigned)m < NMETHODS ? method_names[m] : "?";
}

int
aud_explain_method_parse(enum aud_explain_method *out, const char *s,
    struct aud_error *err)
{
	size_t i;

	for (i = 0; i < NMETHODS; i++)
		if (strcmp(s, method_names[i]) == 0) {
			*out = (enum aud_explain_method)i;
			return 0;
		}
	return AUD_ERROR(err, AUD_EINVAL,
	    "unknown method '%s' (exact, kernel, tree, tree-path, linear, permutation, pdp)", s);
}

static int
is_shapley(enum aud_explain_method m)
{
	return m <= AUD_EXPLAIN_TREE || m == AUD_EXPLAIN_TREE_PATH;
}

static int
warn(struct aud_explain *e, struct aud_error *err, const char *msg)
{
	cJSON *s = cJSON_CreateString(msg);

	if (s == NULL || !cJSON_AddItemToArray(e->warnings, s)) {
		cJSON_Delete(s);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	return 0;
}

int
aud_explain_new(struct aud_explain **out, const struct aud_explain_options *opts,
    struct aud_error *err)
{
	struct aud_explain *e;

	*out = NULL;
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	e->o = *opts;
	if (e->o.background_size == 0)
		e->o.background_size = 100;
	if (e->o.positive == NULL)
		e->o.positive = "1";
	if (e->o.repeats == 0)
		e->o.repeats = 5;
	if (e->o.grid == 0)
		e->o.grid = 20;
	if (e->o.threads == 0)
		e->o.threads = 1;
	if (e->o.nlocal == 0)
		e->o.nlocal = e->o.method == AUD_EXPLAIN_PDP ? 50 : 5;
	if (e->o.npoints == 0)
		e->o.npoints = 1000;
	e->lcol = -1;
	e->warnings = cJSON_CreateArray();
	if (e->warnings == NULL) {
		free(e);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	*out = e;
	return 0;
}

static void
free_strings(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
aud_explain_free(struct aud_explain *e)
{
	size_t i;

	if (e == NULL)
		return;
	free(e->path);
	aud_batch_free(e->x);
	free(e->rowid);
	free_strings(e->fnames, e->ncols);
	free(e->fkinds);
	free(e->pcol);
	free_strings(e->mnames, e->M);
	free(e->mcol);
	free(e->model_desc);
	free(e->phi);
	free(e->fx);
	aud_perm_result_release(&e->perm);
	for (i = 0; i < e->ncurves; i++)
		aud_pdp_curve_release(&e->curves[i]);
	free(e->curves);
	free(e->curve_feature);
	if (e->acc != NULL)
		for (i = 0; i < e->nfcols * e->o.nprotected; i++)
			acc_release(&e->acc[i]);
	free(e->acc);
	cJSON_Delete(e->warnings);
	free(e);
}

void
aud_explain_columns(const struct aud_explain *e, const char *const **names,
    const enum aud_col_kind **kinds, size_t *n)
{
	*names = (const char *const *)e->fnames;
	*kinds = e->fkinds;
	*n = e->nfcols;
}

/* ---- reading ---- */

/* An empty batch with the columns (names and decided kinds) of b. */
static int
batch_like(struct aud_batch **out, const struct aud_batch *b, size_t cap,
    struct aud_error *err)
{
	const char **names;
	enum aud_col_kind *kinds;
	size_t j;
	int rc;

	names = calloc(b->ncols + 1, sizeof(*names));
	kinds = calloc(b->ncols + 1, sizeof(*kinds));
	if (names == NULL || kinds == NULL) {
		free(names);
		free(kinds);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	for (j = 0; j < b->ncols; j++) {
		names[j] = b->cols[j].name;
		kinds[j] = b->cols[j].kind;
	}
	rc = aud_batch_new(out, b->ncols, names, kinds, cap, err);
	free(names);
	free(kinds);
	return rc;
}

/* Give dst's categorical columns copies of src's dictionaries. */
static int
copy_dicts(struct aud_batch *dst, const struct aud_batch *src, struct aud_error *err)
{
	size_t j;
	int rc;

	for (j = 0; j < src->ncols; j++) {
		if (src->cols[j].kind != AUD_COL_CATEGORICAL)
			continue;
		aud_dict_free(dst->cols[j].dict);
		dst->cols[j].dict = NULL;
		rc = aud_dict_clone(&dst->cols[j].dict, src->cols[j].dict, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Replace the values of categorical column col of e->x by their bins' labels. */
static int
bin_column(struct aud_explain *e, size_t attr, const struct aud_bins *b, struct aud_error *err)
{
	size_t col = (size_t)e->pcol[attr], j;
	struct aud_column *c = &e->x->cols[col];
	size_t D = aud_dict_size(c->dict), k, i;
	struct aud_dict *d = NULL;
	int32_t *map = NULL;
	int rc;

	map = calloc(D + 1, sizeof(*map));
	rc = map == NULL ? AUD_ERROR(err, AUD_ENOMEM, "out of memory") : aud_dict_new(&d, err);
	for (k = 0; rc == 0 && k < D; k++) {
		const char *v = aud_dict_str(c->dict, (int32_t)k);
		double x;
		char *label;

		if (aud_parse_number(&x, v, strlen(v)) != 1 || isnan(x)) {
			for (i = 0; i < e->x->nrows && c->code[i] != (int32_t)k; i++)
				;
			rc = AUD_ERROR(err, AUD_EPARSE,
			    "%s: data row %llu: non-numeric value '%.40s' in binned column '%s'",
			    e->path, (unsigned long long)(i < e->x->nrows ? e->rowid[i] + 1 : 0), v,
			    b->column);
			break;
		}
		label = aud_bins_label(b, aud_bins_index(b, x), 0);
		if (label == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			break;
		}
		rc = aud_dict_intern(&map[k], d, label, strlen(label), err);
		free(label);
	}
	/* the proxy counts of every feature with this attribute: groups into bins */
	for (j = 0; rc == 0 && e->acc != NULL && j < e->nfcols; j++)
		rc = acc_regroup(&e->acc[j * e->o.nprotected + attr],
		    e->x->cols[j].kind == AUD_COL_NUMERIC, map, D, aud_dict_size(d), err);
	if (rc == 0) {
		for (i = 0; i < e->x->nrows; i++)
			if (c->code[i] >= 0)
				c->code[i] = map[c->code[i]];
		aud_dict_free(c->dict);
		c->dict = d;
		d = NULL;
	}
	aud_dict_free(d);
	free(map);
	return rc;
}

/* ---- --rows-sample: a stratified seeded sample of the rows ---- */

/*
 * The strata are the combinations of the protected attributes' groups (a
 * binned column's group is its bin, a missing value is a group). Every row
 * gets a random key that depends only on the seed and its row number; each
 * stratum's sample is its rows of smallest keys. While reading, at most N
 * rows per stratum are kept (no stratum ever gets more), so memory is
 * bounded by N times the number of strata, not by the input.
 */
struct sampler {
	size_t np, N;
	uint64_t seed;
	int32_t *skey;             /* [s * np + a]: stratum s's group of attribute a */
	uint64_t *scount;          /* rows of stratum s in the input */
	size_t ns, scap;
	size_t *htab;              /* stratum id + 1 (0: empty), open addressing */
	size_t hcap;
	int32_t **bmap;            /* binned attribute: raw code -> bin (-2: not a number) */
	size_t *bmapn;
	uint64_t *ckey;            /* per kept row of e->x: its key and stratum */
	size_t *cstr;
	size_t ccap;
	int32_t *tuple;            /* scratch: np groups */
};

static uint64_t
mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void
sampler_free(struct sampler *s)
{
	size_t a;

	if (s == NULL)
		return;
	free(s->skey);
	free(s->scount);
	free(s->htab);
	if (s->bmap != NULL)
		for (a = 0; a < s->np; a++)
			free(s->bmap[a]);
	free(s->bmap);
	free(s->bmapn);
	free(s->ckey);
	free(s->cstr);
	free(s->tuple);
	free(s);
}

static int
sampler_new(struct sampler **out, size_t np, size_t N, uint64_t seed, struct aud_error *err)
{
	struct sampler *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (s == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	s->np = np;
	s->N = N;
	s->seed = seed;
	s->hcap = 64;
	s->htab = calloc(s->hcap, sizeof(*s->htab));
	s->bmap = calloc(np + 1, sizeof(*s->bmap));
	s->bmapn = calloc(np + 1, sizeof(*s->bmapn));
	s->tuple = calloc(np + 1, sizeof(*s->tuple));
	if (s->htab == NULL || s->bmap == NULL || s->bmapn == NULL || s->tuple == NULL) {
		sampler_free(s);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	*out = s;
	return 0;
}

static uint64_t
tuple_hash(const int32_t *t, size_t np)
{
	uint64_t h = 1469598103934665603ULL;
	size_t a;

	for (a = 0; a < np; a++)
		h = mix64(h ^ (uint64_t)(uint32_t)t[a]);
	return h;
}

/* The stratum of the tuple s->tuple, added when new. */
static int
sampler_stratum(size_t *out, struct sampler *s, struct aud_error *err)
{
	size_t h, id;

	if (2 * (s->ns + 1) > s->hcap) {
		size_t cap = 2 * s->hcap, k;
		size_t *t = calloc(cap, sizeof(*t));

		if (t == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		for (k = 0; k < s->ns; k++) {
			h = (size_t)tuple_hash(&s->skey[k * s->np], s->np) & (cap - 1);
			while (t[h] != 0)
				h = (h + 1) & (cap - 1);
			t[h] = k + 1;
		}
		free(s->htab);
		s->htab = t;
		s->hcap = cap;
	}
	h = (size_t)tuple_hash(s->tuple, s->np) & (s->hcap - 1);
	while (s->htab[h] != 0) {
		id = s->htab[h] - 1;
		if (s->np == 0 || memcmp(&s->skey[id * s->np], s->tuple, s->np * sizeof(int32_t)) == 0) {
			*out = id;
			return 0;
		}
		h = (h + 1) & (s->hcap - 1);
	}
	if (s->ns == s->scap) {
		size_t cap = s->scap ? 2 * s->scap : 16;
		int32_t *k = realloc(s->skey, (cap * s->np + 1) * sizeof(*k));
		uint64_t *c;

		if (k == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		s->skey = k;
		c = realloc(s->scount, cap * sizeof(*c));
		if (c == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		s->scount = c;
		s->scap = cap;
	}
	id = s->ns++;
	if (s->np > 0)
		memcpy(&s->skey[id * s->np], s->tuple, s->np * sizeof(int32_t));
	s->scount[id] = 0;
	s->htab[h] = id + 1;
	*out = id;
	return 0;
}

/* The group of attribute a of row i of batch b (a bin for a binned column). */
static int
sampler_group(int32_t *out, struct sampler *s, const struct aud_explain *e, size_t a,
    const struct aud_column *c, size_t i, struct aud_error *err)
{
	const struct aud_bins *bn = aud_bins_find(e->o.bins, e->o.nbins, e->o.protected_cols[a]);
	int32_t code = c->code[i];

	if (bn == NULL || code < 0) {
		*out = code;
		return 0;
	}
	if ((size_t)code >= s->bmapn[a]) {
		size_t D = aud_dict_size(c->dict), k;
		int32_t *m = realloc(s->bmap[a], (D + 1) * sizeof(*m));

		if (m == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		for (k = s->bmapn[a]; k < D; k++) {
			const char *v = aud_dict_str(c->dict, (int32_t)k);
			double x;

			m[k] = aud_parse_number(&x, v, strlen(v)) == 1 && !isnan(x) ?
			    (int32_t)aud_bins_index(bn, x) : -2;
		}
		s->bmap[a] = m;
		s->bmapn[a] = D;
	}
	*out = s->bmap[a][code];
	return 0;
}

/* Key and stratum of rows [from, to) of e->x, which are rows lo.. of batch b. */
static int
sampler_add(struct sampler *s, struct aud_explain *e, const struct aud_batch *b, size_t lo,
    size_t from, size_t to, struct aud_error *err)
{
	size_t i, a, st = 0;
	int rc;

	if (to > s->ccap) {
		size_t cap = s->ccap ? s->ccap : 1024;
		uint64_t *k;
		size_t *t;

		while (cap < to)
			cap *= 2;
		k = realloc(s->ckey, cap * sizeof(*k));
		if (k == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		s->ckey = k;
		t = realloc(s->cstr, cap * sizeof(*t));
		if (t == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		s->cstr = t;
		s->ccap = cap;
	}
	for (i = from; i < to; i++) {
		for (a = 0; a < s->np; a++) {
			rc = sampler_group(&s->tuple[a], s, e, a, &b->cols[e->pcol[a]],
			    lo + i - from, err);
			if (rc < 0)
				return rc;
		}
		rc = sampler_stratum(&st, s, err);
		if (rc < 0)
			return rc;
		s->scount[st]++;
		s->cstr[i] = st;
		s->ckey[i] = mix64(mix64(s->seed ^ 0x73616d706c65ULL) ^ e->rowid[i]);
	}
	return 0;
}

struct cand {
	size_t str;
	uint64_t key;
	size_t i;
};

static int
by_stratum_key(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;

	if (a->str != b->str)
		return a->str < b->str ? -1 : 1;
	return (a->key > b->key) - (a->key < b->key);
}

/* Keep, of each stratum s, its quota[s] rows of smallest keys (file order kept). */
static int
sampler_keep(struct sampler *s, struct aud_explain *e, const size_t *quota,
    struct aud_error *err)
{
	struct aud_batch *x = e->x;
	size_t n = x->nrows, i, j, k, taken = 0;
	struct cand *c = malloc((n + 1) * sizeof(*c));
	unsigned char *keep = calloc(n + 1, 1);

	if (c == NULL || keep == NULL) {
		free(c);
		free(keep);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		c[i].str = s->cstr[i];
		c[i].key = s->ckey[i];
		c[i].i = i;
	}
	qsort(c, n, sizeof(*c), by_stratum_key);
	for (i = 0; i < n; i++) {
		if (i == 0 || c[i].str != c[i - 1].str)
			taken = 0;
		if (taken < quota[c[i].str]) {
			keep[c[i].i] = 1;
			taken++;
		}
	}
	for (i = 0, k = 0; i < n; i++) {
		if (!keep[i])
			continue;
		for (j = 0; j < x->ncols; j++) {
			if (x->cols[j].kind == AUD_COL_NUMERIC)
				x->cols[j].num[k] = x->cols[j].num[i];
			else
				x->cols[j].code[k] = x->cols[j].code[i];
		}
		e->rowid[k] = e->rowid[i];
		s->ckey[k] = s->ckey[i];
		s->cstr[k] = s->cstr[i];
		k++;
	}
	x->nrows = k;
	free(c);
	free(keep);
	return 0;
}

/* The groups of all attributes covered by stratum t not yet in the covered set. */
static size_t
new_groups(const struct sampler *s, size_t t, int32_t **seen, size_t *nseen)
{
	size_t a, k, fresh = 0;

	for (a = 0; a < s->np; a++) {
		int32_t g = s->skey[t * s->np + a];

		for (k = 0; k < nseen[a] && seen[a][k] != g; k++)
			;
		fresh += k == nseen[a];
	}
	return fresh;
}

/*
 * The final quotas (sum N, see the man page): proportional allocation with
 * at least one row per stratum (largest remainders); with fewer rows than
 * strata, one row each from strata chosen greedily to represent the most
 * groups not yet represented (ties: the larger stratum, then the first seen).
 */
static int
sampler_allocate(size_t *quota, const struct sampler *s, uint64_t total,
    struct aud_error *err)
{
	size_t t, N = s->N, sum = 0;
	double *q;

	if (total <= N) {
		for (t = 0; t < s->ns; t++)
			quota[t] = (size_t)s->scount[t];
		return 0;
	}
	if (N < s->ns) {
		int32_t **seen = calloc(s->np + 1, sizeof(*seen));
		size_t *nseen = calloc(s->np + 1, sizeof(*nseen)), a, k;
		int rc = 0;

		for (a = 0; seen != NULL && a < s->np; a++) {
			seen[a] = calloc(s->ns + 1, sizeof(**seen));
			if (seen[a] == NULL)
				rc = -1;
		}
		if (seen == NULL || nseen == NULL || rc < 0) {
			for (a = 0; seen != NULL && a < s->np; a++)
				free(seen[a]);
			free(seen);
			free(nseen);
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		}
		for (t = 0; t < s->ns; t++)
			quota[t] = 0;
		for (k = 0; k < N; k++) {
			size_t best = s->ns, bf = 0;

			for (t = 0; t < s->ns; t++) {
				size_t f;

				if (quota[t] > 0)
					continue;
				f = new_groups(s, t, seen, nseen);
				if (best == s->ns || f > bf || (f == bf && s->scount[t] > s->scount[best])) {
					best = t;
					bf = f;
				}
			}
			quota[best] = 1;
			for (a = 0; a < s->np; a++) {
				int32_t g = s->skey[best * s->np + a];
				size_t j;

				for (j = 0; j < nseen[a] && seen[a][j] != g; j++)
					;
				if (j == nseen[a])
					seen[a][nseen[a]++] = g;
			}
		}
		for (a = 0; a < s->np; a++)
			free(seen[a]);
		free(seen);
		free(nseen);
		return 0;
	}
	q = malloc((s->ns + 1) * sizeof(*q));
	if (q == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (t = 0; t < s->ns; t++) {
		q[t] = (double)N * (double)s->scount[t] / (double)total;
		quota[t] = (size_t)floor(q[t]);
		if (quota[t] < 1)
			quota[t] = 1;
		if (quota[t] > s->scount[t])
			quota[t] = (size_t)s->scount[t];
		sum += quota[t];
	}
	/* too many (the minimum of one): take back where the quota exceeds its share most */
	while (sum > N) {
		size_t best = s->ns;

		for (t = 0; t < s->ns; t++)
			if (quota[t] > 1 && (best == s->ns ||
			    (double)quota[t] - q[t] > (double)quota[best] - q[best]))
				best = t;
		quota[best]--;
		sum--;
	}
	/* too few: give to the largest remainders */
	while (sum < N) {
		size_t best = s->ns;

		for (t = 0; t < s->ns; t++)
			if (quota[t] < s->scount[t] && (best == s->ns ||
			    q[t] - (double)quota[t] > q[best] - (double)quota[best]))
				best = t;
		quota[best]++;
		sum++;
	}
	free(q);
	return 0;
}

static long
find_name(char **names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (long)i;
	return -1;
}

int
aud_explain_read(struct aud_explain *e, const char *path, const struct aud_model *m,
    struct aud_error *err)
{
	struct aud_csv *csv = NULL;
	int rc = aud_csv_open(&csv, path, e->o.csv, err);

	if (rc == 0)
		rc = aud_explain_read_csv(e, csv, m, err);
	aud_csv_free(csv);
	return rc;
}

int
aud_explain_read_csv(struct aud_explain *e, struct aud_csv *csv, const struct aud_model *m,
    struct aud_error *err)
{
	struct aud_batch_reader *rd = NULL;
	struct aud_batch *b, *rb = NULL;
	char **names = NULL;
	enum aud_col_kind *kinds = NULL;
	size_t nf, ncols, i, cap;
	uint64_t first = e->o.row_first, end = e->o.row_end;
	struct sampler *smp = NULL;
	size_t *quota = NULL;
	int rc;

	e->path = strdup(aud_csv_path(csv));
	if (e->path == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	/* the feature columns */
	if (m != NULL)
		nf = aud_model_nfeatures(m);
	else if (e->o.model_columns != NULL)
		nf = e->o.nmodel_columns;
	else
		nf = aud_csv_ncols(csv);
	cap = nf + e->o.nprotected + 2;
	names = calloc(cap, sizeof(*names));
	kinds = calloc(cap, sizeof(*kinds));
	e->pcol = calloc(e->o.nprotected + 1, sizeof(*e->pcol));
	if (names == NULL || kinds == NULL || e->pcol == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	ncols = 0;
	for (i = 0; i < nf; i++) {
		const char *name;

		if (m != NULL) {
			name = aud_model_feature(m, i)->name;
			kinds[ncols] = aud_model_feature(m, i)->kind == AUD_COL_CATEGORICAL ?
			    AUD_COL_CATEGORICAL : AUD_COL_NUMERIC;
		} else {
			name = e->o.model_columns != NULL ? e->o.model_columns[i] :
			    aud_csv_colname(csv, i);
			kinds[ncols] = AUD_COL_AUTO;
		}
		if (find_name(names, ncols, name) >= 0)
			continue;
		names[ncols] = strdup(name);
		if (names[ncols] == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		ncols++;
	}
	e->nfcols = ncols;
	/* the label and the protected columns, categorical (a feature of the same
	 * name and kind is shared; another kind is read a second time) */
	for (i = 0; i < e->o.nprotected + (e->o.label != NULL); i++) {
		const char *name = i < e->o.nprotected ? e->o.protected_cols[i] : e->o.label;
		long at = find_name(names, ncols, name);
		size_t j;

		for (j = e->nfcols; at < 0 && j < ncols; j++)
			if (strcmp(names[j], name) == 0)
				at = (long)j;
		/* a binned column is recoded into its bins: never shared with a feature */
		if (at < 0 || (kinds[at] != AUD_COL_CATEGORICAL && (size_t)at < e->nfcols) ||
		    (i < e->o.nprotected && aud_bins_find(e->o.bins, e->o.nbins, name) != NULL && (size_t)at < e->nfcols)) {
			/* a later column of the same name: look it up by index below */
			names[ncols] = strdup(name);
			if (names[ncols] == NULL) {
				rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
				goto done;
			}
			kinds[ncols] = AUD_COL_CATEGORICAL;
			at = (long)ncols++;
		}
		if (i < e->o.nprotected)
			e->pcol[i] = at;
		else
			e->lcol = at;
	}
	rc = aud_batch_reader_new(&rd, csv, (const char *const *)names, kinds, ncols, 4096,
	    0, err);
	if (rc < 0)
		goto done;
	e->acc = calloc(e->nfcols * e->o.nprotected + 1, sizeof(*e->acc));
	if (e->acc == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	if (e->o.rows_sample > 0) {
		rc = sampler_new(&smp, e->o.nprotected, e->o.rows_sample, e->o.seed, err);
		if (rc < 0)
			goto done;
		first = 0;
		end = 0;
	}
	for (;;) {
		size_t lo, hi;

		rc = aud_batch_reader_next(&b, rd, err);
		if (rc < 0)
			goto done;
		if (rc == 0)
			break;
		rb = b;
		e->total_rows = b->first_row + b->nrows;
		/* the proxy counts, over every row (a column with itself is no proxy) */
		for (i = 0; i < e->nfcols; i++) {
			size_t a;

			for (a = 0; a < e->o.nprotected; a++) {
				if (strcmp(names[i], e->o.protected_cols[a]) == 0)
					continue;
				rc = acc_add(&e->acc[i * e->o.nprotected + a], &b->cols[i],
				    &b->cols[e->pcol[a]], b->nrows, err);
				if (rc < 0)
					goto done;
			}
		}
		if (e->x == NULL) {
			rc = batch_like(&e->x, b, 1024, err);
			if (rc < 0)
				goto done;
			e->x->nrows = 0;
		}
		/* the rows of this batch inside [first, end) */
		lo = b->first_row >= first ? 0 : (size_t)(first - b->first_row);
		hi = b->nrows;
		if (end > 0 && b->first_row + hi > end)
			hi = end > b->first_row ? (size_t)(end - b->first_row) : 0;
		if (lo < hi) {
			uint64_t *ids = realloc(e->rowid, (e->x->nrows + hi - lo) * sizeof(*ids));

			if (ids == NULL) {
				rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
				goto done;
			}
			e->rowid = ids;
			for (i = lo; i < hi; i++)
				e->rowid[e->x->nrows + i - lo] = b->first_row + i;
			rc = aud_batch_append(e->x, b, lo, hi, err);
			if (rc < 0)
				goto done;
			if (smp != NULL) {
				rc = sampler_add(smp, e, b, lo, e->x->nrows - (hi - lo), e->x->nrows, err);
				if (rc < 0)
					goto done;
			}
		}
		/* --rows-sample: no stratum keeps more than N rows */
		if (smp != NULL && e->x->nrows > 2 * smp->N * smp->ns + 4096) {
			size_t t;

			free(quota);
			quota = malloc((smp->ns + 1) * sizeof(*quota));
			if (quota == NULL) {
				rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
				goto done;
			}
			for (t = 0; t < smp->ns; t++)
				quota[t] = smp->N;
			rc = sampler_keep(smp, e, quota, err);
			if (rc < 0)
				goto done;
		}
	}
	if (smp != NULL && e->x != NULL) {
		free(quota);
		quota = malloc((smp->ns + 1) * sizeof(*quota));
		if (quota == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		rc = sampler_allocate(quota, smp, e->total_rows, err);
		if (rc == 0)
			rc = sampler_keep(smp, e, quota, err);
		if (rc < 0)
			goto done;
		e->nstrata = smp->ns;
	}
	if (e->x == NULL || e->x->nrows == 0) {
		rc = AUD_ERROR(err, AUD_EPARSE, "'%s' has no data row to explain%s", e->path,
		    first > 0 || end > 0 ? " in the --rows range" : "");
		goto done;
	}
	/* dictionaries as they stand at the end (codes are stable across batches) */
	rc = copy_dicts(e->x, rb, err);
	if (rc < 0)
		goto done;
	e->n = e->x->nrows;
	for (i = 0; i < e->o.nprotected; i++)
		if (aud_bins_find(e->o.bins, e->o.nbins, e->o.protected_cols[i]) != NULL) {
			rc = bin_column(e, i, aud_bins_find(e->o.bins, e->o.nbins, e->o.protected_cols[i]), err);
			if (rc < 0)
				goto done;
		}
	rc = aud_csv_sha256(csv, e->sha, err);
	if (rc < 0)
		goto done;
	e->fnames = names;
	e->fkinds = kinds;
	e->ncols = ncols;
	names = NULL;
	kinds = NULL;
	for (i = 0; i < e->nfcols; i++)
		e->fkinds[i] = e->x->cols[i].kind;
done:
	sampler_free(smp);
	free(quota);
	if (names != NULL)
		free_strings(names, cap);
	free(kinds);
	aud_batch_reader_free(rd);
	return rc;
}

/*
 * Read the background: the model's feature columns with the kinds of the
 * explained rows. At most K rows are kept: the first K, or when the file has
 * more, a uniform sample of K rows without replacement drawn by reservoir
 * sampling (seeded), put back in file order.
 */
static int
read_background(struct aud_batch **out, struct aud_explain *e, struct aud_error *err)
{
	struct aud_csv *csv = NULL;
	struct aud_batch_reader *rd = NULL;
	struct aud_batch *b, *rb = NULL, *keep = NULL, *sorted = NULL;
	struct aud_rng *rng = NULL;
	const char **names = NULL;
	enum aud_col_kind *kinds = NULL;
	uint64_t *idx = NULL, seen = 0;
	size_t K = e->o.background_size, j, i;
	int rc;

	*out = NULL;
	if (e->o.background == NULL)
		return AUD_ERROR(err, AUD_EINVAL, "no background: give --background FILE");
	names = calloc(e->M + 1, sizeof(*names));
	kinds = calloc(e->M + 1, sizeof(*kinds));
	idx = calloc(K, sizeof(*idx));
	if (names == NULL || kinds == NULL || idx == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (j = 0; j < e->M; j++) {
		names[j] = e->mnames[j];
		kinds[j] = e->x->cols[e->mcol[j]].kind;
	}
	rc = aud_csv_open(&csv, e->o.background, e->o.csv, err);
	if (rc == 0)
		rc = aud_batch_reader_new(&rd, csv, names, kinds, e->M, 4096, 0, err);
	if (rc == 0)
		rc = aud_batch_new(&keep, e->M, names, kinds, K, err);
	if (rc == 0)
		rc = aud_rng_new(&rng, e->o.seed, BACKGROUND_STREAM, err);
	if (rc < 0)
		goto done;
	for (;;) {
		rc = aud_batch_reader_next(&b, rd, err);
		if (rc < 0)
			goto done;
		if (rc == 0)
			break;
		rb = b;
		for (i = 0; i < b->nrows; i++, seen++) {
			size_t slot;

			if (seen < K) {
				slot = (size_t)seen;
			} else {
				uint64_t r = aud_rng_int(rng, seen + 1);

				if (r >= K)
					continue;
				slot = (size_t)r;
			}
			idx[slot] = seen;
			for (j = 0; j < e->M; j++) {
				if (b->cols[j].kind == AUD_COL_NUMERIC)
					keep->cols[j].num[slot] = b->cols[j].num[i];
				else
					keep->cols[j].code[slot] = b->cols[j].code[i];
			}
		}
	}
	if (seen == 0) {
		rc = AUD_ERROR(err, AUD_EPARSE, "the background '%s' has no rows", e->o.background);
		goto done;
	}
	keep->nrows = seen < K ? (size_t)seen : K;
	rc = aud_csv_sha256(csv, e->bg_sha, err);
	if (rc < 0)
		goto done;
	rc = copy_dicts(keep, rb, err);
	if (rc < 0)
		goto done;
	if (seen > K) {
		/* back into file order: insertion sort of the slots by row index */
		size_t *order = malloc(K * sizeof(*order));

		if (order == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		for (i = 0; i < K; i++)
			order[i] = i;
		for (i = 1; i < K; i++) {
			size_t v = order[i], k;

			for (k = i; k > 0 && idx[order[k - 1]] > idx[v]; k--)
				order[k] = order[k - 1];
			order[k] = v;
		}
		rc = aud_batch_clone(&sorted, keep, err);
		if (rc < 0) {
			free(order);
			goto done;
		}
		for (i = 0; i < K; i++)
			for (j = 0; j < e->M; j++) {
				if (keep->cols[j].kind == AUD_COL_NUMERIC)
					sorted->cols[j].num[i] = keep->cols[j].num[order[i]];
				else
					sorted->cols[j].code[i] = keep->cols[j].code[order[i]];
			}
		free(order);
		aud_batch_free(keep);
		keep = sorted;
		sorted = NULL;
	}
	e->K = keep->nrows;
	e->bg_total = seen;
	*out = keep;
	keep = NULL;
done:
	aud_batch_free(keep);
	aud_batch_free(sorted);
	aud_batch_reader_free(rd);
	aud_csv_free(csv);
	aud_rng_free(rng);
	free(names);
	free(kinds);
	free(idx);
	return rc;
}

/* ---- rows the model cannot score ---- */

/* The first model feature missing in row i of b (feature f is column col[f]
 * of b, or column f when col is NULL), or NULL. */
static const char *
missing_feature(const struct aud_explain *e, const struct aud_batch *b, const long *col,
    size_t i)
{
	size_t f;

	for (f = 0; f < e->M; f++) {
		const struct aud_column *c = &b->cols[col != NULL ? (size_t)col[f] : f];

		if (c->kind == AUD_COL_NUMERIC ? isnan(c->num[i]) : c->code[i] < 0)
			return e->mnames[f];
	}
	return NULL;
}

/*
 * Every explained row must have a score: a row the model cannot score (NaN,
 * typically a missing value the model does not handle) would make its
 * explanation and every global summary undefined. As audit-robust does, the
 * run stops with a model failure naming the row.
 */
static int
check_explained_rows(const struct aud_explain *e, const struct aud_model *m,
    struct aud_error *err)
{
	double *score = malloc((e->n + 1) * sizeof(*score));
	size_t i;
	int rc;

	if (score == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	rc = aud_model_predict(m, e->x, score, NULL, err);
	for (i = 0; rc == 0 && i < e->n; i++) {
		const char *f;

		if (!isnan(score[i]))
			continue;
		f = missing_feature(e, e->x, e->mcol, i);
		rc = AUD_ERROR(err, AUD_EMODEL, "%s: data row %llu: the model gave no score "
		    "(NaN)%s%s%s", e->path, (unsigned long long)e->rowid[i],
		    f != NULL ? "; the value of '" : "", f != NULL ? f : "",
		    f != NULL ? "' is missing" : "");
	}
	free(score);
	return rc;
}

/*
 * Background rows the model cannot score are left out (the background is a
 * sample of typical inputs; a row that cannot be scored tells nothing about
 * them), with a warning that counts them. None left: a model failure.
 */
static int
drop_unscored_background(struct aud_explain *e, struct aud_batch *bg,
    const struct aud_model *m, struct aud_error *err)
{
	double *score = malloc((bg->nrows + 1) * sizeof(*score));
	size_t i, j, kept = 0, n = bg->nrows;
	const char *first = NULL;
	char msg[256];
	int rc;

	if (score == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	rc = aud_model_predict(m, bg, score, NULL, err);
	if (rc < 0)
		goto done;
	for (i = 0; i < n; i++) {
		if (isnan(score[i])) {
			if (first == NULL)
				first = missing_feature(e, bg, NULL, i);
			continue;
		}
		for (j = 0; j < bg->ncols; j++) {
			if (bg->cols[j].kind == AUD_COL_NUMERIC)
				bg->cols[j].num[kept] = bg->cols[j].num[i];
			else
				bg->cols[j].code[kept] = bg->cols[j].code[i];
		}
		kept++;
	}
	if (kept == n)
		goto done;
	if (kept == 0) {
		rc = AUD_ERROR(err, AUD_EMODEL, "%s: the model gave no score (NaN) for any of the "
		    "%zu background rows%s%s%s", e->o.background, n,
		    first != NULL ? "; the value of '" : "", first != NULL ? first : "",
		    first != NULL ? "' is missing" : "");
		goto done;
	}
	bg->nrows = kept;
	e->K = kept;
	snprintf(msg, sizeof(msg), "%zu of the %zu background rows %s left out: the model "
	    "gave no score (NaN) for %s%s%s%s", n - kept, n, n - kept == 1 ? "was" : "were",
	    n - kept == 1 ? "it" : "them",
	    first != NULL ? " (a missing value in '" : "", first != NULL ? first : "",
	    first != NULL ? "')" : "");
	rc = warn(e, err, msg);
done:
	free(score);
	return rc;
}

/* After the Shapley values: any row left undefined is a model failure. */
static int
check_shapley_rows(const struct aud_explain *e, struct aud_error *err)
{
	size_t i, j;
	int path = e->o.method == AUD_EXPLAIN_TREE_PATH;

	if (isnan(e->base))
		return path ? AUD_ERROR(err, AUD_EMODEL, "the model's trees give no expected "
		    "output (NaN): a leaf the training rows reached has no value") :
		    AUD_ERROR(err, AUD_EMODEL, "%s: the model gave no score (NaN) for the "
		    "background's expected output", e->o.background);
	for (i = 0; i < e->n; i++) {
		int bad = isnan(e->fx[i]);

		for (j = 0; !bad && j < e->M; j++)
			bad = isnan(e->phi[i * e->M + j]);
		if (bad && path)
			return AUD_ERROR(err, AUD_EMODEL, "%s: data row %llu: the model gives no "
			    "score (NaN) where some of the row's values lead (a branch no "
			    "training row took)", e->path, (unsigned long long)e->rowid[i]);
		if (bad)
			return AUD_ERROR(err, AUD_EMODEL, "%s: data row %llu: the model gave no "
			    "score (NaN) for a mix of the row and the background",
			    e->path, (unsigned long long)e->rowid[i]);
	}
	return 0;
}

/* ---- Shapley values over threads ---- */

struct shap_job {
	const struct aud_shap *s;
	struct aud_shap_work **works;
	size_t block, n, M;
	double *phi, *fx;
};

static int
shap_task(void *payload, size_t thread, size_t t, struct aud_error *err)
{
	struct shap_job *J = payload;
	size_t first = t * J->block, k = J->n - first < J->block ? J->n - first : J->block;

	return aud_shap_explain(J->s, J->works[thread], first, k, &J->phi[first * J->M],
	    &J->fx[first], err);
}

static int
run_shapley(struct aud_explain *e, const struct aud_model *m,
    const struct aud_batch *bg, struct aud_error *err)
{
	static const enum aud_shap_method methods[] = { AUD_SHAP_EXACT, AUD_SHAP_KERNEL,
		AUD_SHAP_LINEAR, AUD_SHAP_TREE };
	struct aud_shap_options so = AUD_SHAP_OPTIONS_INIT;
	struct aud_shap *s = NULL;
	struct shap_job J;
	size_t T = e->o.threads, i, j, nblocks;
	int rc;

	memset(&J, 0, sizeof(J));
	so.method = e->o.method == AUD_EXPLAIN_TREE_PATH ? AUD_SHAP_TREE_PATH :
	    methods[e->o.method];
	so.output = e->o.output;
	so.link = e->o.link;
	so.nsamples = e->o.nsamples;
	so.seed = e->o.seed;
	so.batch_rows = e->o.batch_rows;
	rc = aud_shap_new(&s, m, e->x, bg, &so, err);
	if (rc < 0)
		return rc;
	e->base = aud_shap_base(s);
	e->nsamples = aud_shap_nsamples(s);
	e->phi = calloc(e->n * e->M + 1, sizeof(*e->phi));
	e->fx = calloc(e->n + 1, sizeof(*e->fx));
	J.block = aud_shap_block_rows(s);
	nblocks = (e->n + J.block - 1) / J.block;
	if (T > nblocks)
		T = nblocks;
	J.works = calloc(T, sizeof(*J.works));
	if (e->phi == NULL || e->fx == NULL || J.works == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < T; i++) {
		rc = aud_shap_work_new(&J.works[i], s, err);
		if (rc < 0)
			goto done;
	}
	J.s = s;
	J.n = e->n;
	J.M = e->M;
	J.phi = e->phi;
	J.fx = e->fx;
	rc = aud__parallel_for(T, nblocks, shap_task, &J, &e->o.progress, "shap", err);
	if (rc < 0)
		goto done;
	e->max_add_err = 0.0;
	for (i = 0; i < e->n; i++) {
		double sum = e->base;

		for (j = 0; j < e->M; j++)
			sum += e->phi[i * e->M + j];
		if (fabs(sum - e->fx[i]) > e->max_add_err)
			e->max_add_err = fabs(sum - e->fx[i]);
	}
done:
	if (J.works != NULL)
		for (i = 0; i < T; i++)
			aud_shap_work_free(J.works[i]);
	free(J.works);
	aud_shap_free(s);
	return rc;
}

/* The label as 0/1: the positive value (by text, or by number) is 1. */
static int
label_vector(unsigned char **out, const struct aud_explain *e, struct aud_error *err)
{
	const struct aud_column *c;
	unsigned char *y;
	size_t i, npos = 0;
	double pnum;
	int pnum_ok;
	int32_t pcode;

	*out = NULL;
	if (e->lcol < 0)
		return AUD_ERROR(err, AUD_EINVAL, "permutation importance needs --label COL");
	c = &e->x->cols[e->lcol];
	pcode = aud_dict_find(c->dict, e->o.positive, strlen(e->o.positive));
	pnum_ok = aud_parse_number(&pnum, e->o.positive, strlen(e->o.positive)) == 1;
	if (aud_dict_size(c->dict) > 2)
		return AUD_ERROR(err, AUD_EPARSE,
		    "label '%s' has %zu values; permutation importance needs a binary label",
		    e->o.label, aud_dict_size(c->dict));
	y = malloc(e->n);
	if (y == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < e->n; i++) {
		const char *v;
		double num;

		if (c->code[i] < 0) {
			free(y);
			return AUD_ERROR(err, AUD_EPARSE, "label '%s' is missing in data row %llu",
			    e->o.label, (unsigned long long)e->rowid[i]);
		}
		v = aud_dict_str(c->dict, c->code[i]);
		y[i] = c->code[i] == pcode ||
		    (pnum_ok && aud_parse_number(&num, v, strlen(v)) == 1 && num == pnum);
		npos += y[i];
	}
	*out = y;
	return 0;
}

int
aud_explain_run(struct aud_explain *e, const struct aud_model *m, struct aud_error *err)
{
	struct aud_batch *bg = NULL;
	unsigned char *y = NULL;
	size_t j;
	int rc = 0;

	e->M = aud_model_nfeatures(m);
	e->mnames = calloc(e->M + 1, sizeof(*e->mnames));
	e->mcol = calloc(e->M + 1, sizeof(*e->mcol));
	e->model_desc = strdup(aud_model_describe(m));
	if (e->mnames == NULL || e->mcol == NULL || e->model_desc == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (j = 0; j < e->M; j++) {
		e->mnames[j] = strdup(aud_model_feature(m, j)->name);
		if (e->mnames[j] == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		e->mcol[j] = aud_batch_find(e->x, e->mnames[j]);
		if (e->mcol[j] < 0)
			return AUD_ERROR(err, AUD_ENOTFOUND,
			    "%s:1: the model's feature '%s' is not a column of the input",
			    e->path, e->mnames[j]);
	}
	if (e->o.model_path != NULL) {
		rc = aud_file_sha256(e->model_sha, e->o.model_path, err);
		if (rc < 0)
			return rc;
	}
	if (e->o.output == AUD_OUTPUT_MARGIN && !aud_model_has_margin(m)) {
		rc = warn(e, err, "the model has no margin distinct from its score: "
		    "the margin explained is the score");
		if (rc < 0)
			return rc;
	}
	rc = check_explained_rows(e, m, err);
	if (rc < 0)
		goto done;
	if (e->o.method == AUD_EXPLAIN_TREE_PATH) {
		rc = run_shapley(e, m, NULL, err);
		if (rc == 0)
			rc = check_shapley_rows(e, err);
	} else if (is_shapley(e->o.method)) {
		char msg[160];

		rc = read_background(&bg, e, err);
		if (rc < 0)
			goto done;
		if (e->bg_total > e->K) {
			snprintf(msg, sizeof(msg), "the background has %llu rows: a seeded sample "
			    "of %zu is used (--background-size)", (unsigned long long)e->bg_total,
			    e->K);
			rc = warn(e, err, msg);
			if (rc < 0)
				goto done;
		}
		rc = drop_unscored_background(e, bg, m, err);
		if (rc < 0)
			goto done;
		rc = run_shapley(e, m, bg, err);
		if (rc == 0)
			rc = check_shapley_rows(e, err);
	} else if (e->o.method == AUD_EXPLAIN_PERMUTATION) {
		struct aud_perm_options po = AUD_PERM_OPTIONS_INIT;

		rc = label_vector(&y, e, err);
		if (rc < 0)
			goto done;
		po.repeats = e->o.repeats;
		po.seed = e->o.seed;
		po.threshold = e->o.threshold;
		po.threads = e->o.threads;
		po.progress = e->o.progress;
		rc = aud_permutation_importance(&e->perm, m, e->x, y, &po, err);
	} else {
		struct aud_pdp_options po = AUD_PDP_OPTIONS_INIT;
		size_t nc = e->o.features != NULL ? e->o.nfeatures : e->M, c;

		po.grid = e->o.grid;
		po.output = e->o.output;
		po.link = e->o.link;
		po.threads = e->o.threads;
		po.progress = e->o.progress;
		e->curves = calloc(nc + 1, sizeof(*e->curves));
		e->curve_feature = calloc(nc + 1, sizeof(*e->curve_feature));
		if (e->curves == NULL || e->curve_feature == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		for (c = 0; c < nc; c++) {
			long f = e->o.features != NULL ?
			    aud_model_find_feature(m, e->o.features[c]) : (long)c;

			if (f < 0) {
				rc = AUD_ERROR(err, AUD_ENOTFOUND,
				    "--features: '%s' is not a feature of the model", e->o.features[c]);
				goto done;
			}
			e->curve_feature[c] = (size_t)f;
			rc = aud_pdp_compute(&e->curves[c], m, e->x, e->mcol[f], &po, err);
			if (rc < 0)
				goto done;
			e->ncurves = c + 1;
		}
	}
	if (rc == 0)
		e->done = 1;
done:
	aud_batch_free(bg);
	free(y);
	return rc;
}

/* ---- summaries ---- */

/* Groups of a protected column: codes (-1 = missing) by descending count, then name. */
struct group {
	int32_t code;
	size_t count;
	const char *name;
};

static int
by_count(const void *a, const void *b)
{
	const struct group *g = a, *h = b;

	if (g->count != h->count)
		return g->count < h->count ? 1 : -1;
	return strcmp(g->name, h->name);
}

static int
protected_groups(struct group **out, size_t *ng, const struct aud_explain *e,
    size_t a, struct aud_error *err)
{
	const struct aud_column *c = &e->x->cols[e->pcol[a]];
	size_t D = aud_dict_size(c->dict), i, k = 0, depth = 1, j;
	struct group *g;
	char *missing;

	/*
	 * The missing group is "(missing)", or "((missing))" and so on when a value
	 * is written so (as audit-robust names it): the two never share a name. The
	 * name is kept in the same block as the groups, freed with them.
	 */
	for (;;) {
		for (i = 0; i < D; i++) {
			const char *v = aud_dict_str(c->dict, (int32_t)i);
			size_t n = strlen(v);

			if (n != 7 + 2 * depth || memcmp(v + depth, "missing", 7) != 0)
				continue;
			for (j = 0; j < depth && v[j] == '(' && v[n - 1 - j] == ')'; j++)
				;
			if (j == depth)
				break;
		}
		if (i == D)
			break;
		depth++;
	}
	g = calloc(1, (D + 1) * sizeof(*g) + 8 + 2 * depth);
	if (g == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	missing = (char *)(g + D + 1);
	memset(missing, '(', depth);
	memcpy(missing + depth, "missing", 7);
	memset(missing + depth + 7, ')', depth);
	missing[7 + 2 * depth] = '\0';
	for (i = 0; i <= D; i++) {
		g[i].code = i < D ? (int32_t)i : -1;
		g[i].name = i < D ? aud_dict_str(c->dict, (int32_t)i) : missing;
	}
	for (i = 0; i < e->n; i++)
		g[c->code[i] < 0 ? D : (size_t)c->code[i]].count++;
	for (i = 0; i <= D; i++)
		if (g[i].count > 0)
			g[k++] = g[i];
	qsort(g, k, sizeof(*g), by_count);
	*out = g;
	*ng = k;
	return 0;
}

/* Index of row i's group in g (ng groups). */
static size_t
group_of(const struct group *g, size_t ng, int32_t code)
{
	size_t k;

	for (k = 0; k < ng; k++)
		if (g[k].code == code)
			return k;
	return 0;
}

/*
 * Association of model feature f with protected attribute a over every data
 * row of the input (the counts streamed by aud_explain_read()): Cramer's V
 * (categorical feature) or the correlation ratio eta (numeric feature); rows
 * missing either value are left out, the rows used are in *rows.
 */
static double
association(const struct aud_explain *e, size_t f, size_t a, const char **measure,
    double *rows)
{
	int numeric = e->x->cols[e->mcol[f]].kind == AUD_COL_NUMERIC;

	*measure = numeric ? "correlation_ratio" : "cramers_v";
	return acc_value(&e->acc[(size_t)e->mcol[f] * e->o.nprotected + a], numeric, rows);
}

/* Order of features by descending importance (NAN last), ties by model order. */
struct ranked {
	size_t f;
	double v;
};

static int
by_importance(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (isnan(x->v) != isnan(y->v))
		return isnan(x->v) ? 1 : -1;
	if (!isnan(x->v) && x->v != y->v)
		return x->v < y->v ? 1 : -1;
	return (x->f > y->f) - (x->f < y->f);
}

/* rank[f] (1 = most important) from importance values imp[f]. */
static int
ranks(size_t *rank, size_t *order, const double *imp, size_t M, struct aud_error *err)
{
	struct ranked *r = malloc((M + 1) * sizeof(*r));
	size_t i;

	if (r == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < M; i++) {
		r[i].f = i;
		r[i].v = imp[i];
	}
	qsort(r, M, sizeof(*r), by_importance);
	for (i = 0; i < M; i++) {
		rank[r[i].f] = i + 1;
		order[i] = r[i].f;
	}
	free(r);
	return 0;
}

/* ---- JSON ---- */

/* On a NULL (cJSON out of memory): rc = AUD_ENOMEM and on to the function's done: label. */
#define NOMEM_IF(x) do { if ((x) == NULL) { \
	rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory"); goto done; } } while (0)

static cJSON *
pair(double lo, double hi)
{
	cJSON *a = cJSON_CreateArray();

	if (a == NULL)
		return NULL;
	cJSON_AddItemToArray(a, aud_json_number(lo));
	cJSON_AddItemToArray(a, aud_json_number(hi));
	return a;
}

/* A feature's value in row i as JSON: a number, a string, or null. */
static cJSON *
feature_value(const struct aud_explain *e, size_t f, size_t i)
{
	const struct aud_column *c = &e->x->cols[e->mcol[f]];

	if (c->kind == AUD_COL_NUMERIC)
		return aud_json_number(c->num[i]);
	if (c->code[i] < 0)
		return cJSON_CreateNull();
	return cJSON_CreateString(aud_dict_str(c->dict, c->code[i]));
}

static int
add_proxy(cJSON *res, const struct aud_explain *e, const double *imp, const size_t *rank,
    const size_t *order, struct aud_error *err)
{
	cJSON *proxy, *item, *assoc, *a;
	size_t k, p;
	int rc = 0;

	NOMEM_IF(cJSON_AddNumberToObject(res, "proxy_rows", (double)e->total_rows));
	proxy = cJSON_AddArrayToObject(res, "proxy");
	NOMEM_IF(proxy);
	for (k = 0; k < e->M; k++) {
		size_t f = order[k], others = 0;

		/* a protected attribute is no proxy of itself (nor of its bins) */
		for (p = 0; p < e->o.nprotected; p++)
			others += strcmp(e->mnames[f], e->o.protected_cols[p]) != 0;
		if (others == 0)
			continue;
		item = cJSON_CreateObject();
		NOMEM_IF(item);
		cJSON_AddItemToArray(proxy, item);
		NOMEM_IF(cJSON_AddStringToObject(item, "feature", e->mnames[f]));
		NOMEM_IF(cJSON_AddNumberToObject(item, "rank", (double)rank[f]));
		NOMEM_IF(aud_json_add_number(item, "importance", imp[f]));
		assoc = cJSON_AddArrayToObject(item, "associations");
		NOMEM_IF(assoc);
		for (p = 0; p < e->o.nprotected; p++) {
			const char *measure = NULL;
			double rows, v;

			if (strcmp(e->mnames[f], e->o.protected_cols[p]) == 0)
				continue;
			v = association(e, f, p, &measure, &rows);

			a = cJSON_CreateObject();
			NOMEM_IF(a);
			cJSON_AddItemToArray(assoc, a);
			NOMEM_IF(cJSON_AddStringToObject(a, "attribute", e->o.protected_cols[p]));
			NOMEM_IF(cJSON_AddStringToObject(a, "measure", measure));
			NOMEM_IF(aud_json_add_number(a, "value", v));
			NOMEM_IF(cJSON_AddNumberToObject(a, "rows", rows));
		}
	}
done:
	return rc;
}

/* Whether a row's decision can be stated: the explained quantity is the score itself. */
static int
decides(const struct aud_explain *e)
{
	return e->o.output == AUD_OUTPUT_SCORE && e->o.link == AUD_LINK_IDENTITY;
}

/* The label of row i as JSON text, or null when missing. */
static cJSON *
label_value(const struct aud_explain *e, size_t i)
{
	const struct aud_column *c = &e->x->cols[e->lcol];

	if (c->code[i] < 0)
		return cJSON_CreateNull();
	return cJSON_CreateString(aud_dict_str(c->dict, c->code[i]));
}

/*
 * results.points: for at most o.npoints explained rows (every row when there
 * are no more; else rows k * n / P for k < P, evenly spread and the same for
 * any seed), each row's output, label, feature values and attributions, held
 * as one array per quantity: the beeswarm and dependence plots of the report.
 */
static int
add_points(cJSON *res, const struct aud_explain *e, const size_t *order,
    struct aud_error *err)
{
	size_t M = e->M, n = e->n, P = e->o.npoints, k, j;
	cJSON *pts, *rows, *out, *lab = NULL, *feats;
	int rc = 0;

	if (P == 0 || P > n)
		P = n;
	pts = cJSON_AddObjectToObject(res, "points");
	NOMEM_IF(pts);
	NOMEM_IF(cJSON_AddNumberToObject(pts, "count", (double)P));
	NOMEM_IF(cJSON_AddNumberToObject(pts, "explained_rows", (double)n));
	NOMEM_IF(cJSON_AddStringToObject(pts, "selection", P < n ? "every_kth" : "all"));
	rows = cJSON_AddArrayToObject(pts, "rows");
	NOMEM_IF(rows);
	out = cJSON_AddArrayToObject(pts, "output");
	NOMEM_IF(out);
	if (e->lcol >= 0) {
		lab = cJSON_AddArrayToObject(pts, "label");
		NOMEM_IF(lab);
	}
	for (k = 0; k < P; k++) {
		size_t i = (size_t)((unsigned long long)k * n / P);

		NOMEM_IF(cJSON_AddItemToArray(rows, cJSON_CreateNumber((double)e->rowid[i])) ?
		    rows : NULL);
		NOMEM_IF(cJSON_AddItemToArray(out, aud_json_number(e->fx[i])) ? out : NULL);
		if (lab != NULL)
			NOMEM_IF(cJSON_AddItemToArray(lab, label_value(e, i)) ? lab : NULL);
	}
	/* the features in the order of importance */
	feats = cJSON_AddArrayToObject(pts, "features");
	NOMEM_IF(feats);
	for (j = 0; j < M; j++) {
		size_t f = order[j];
		const struct aud_column *c = &e->x->cols[e->mcol[f]];
		cJSON *item = cJSON_CreateObject(), *vals, *phi;

		NOMEM_IF(item);
		cJSON_AddItemToArray(feats, item);
		NOMEM_IF(cJSON_AddStringToObject(item, "feature", e->mnames[f]));
		NOMEM_IF(cJSON_AddStringToObject(item, "kind",
		    c->kind == AUD_COL_NUMERIC ? "numeric" : "categorical"));
		vals = cJSON_AddArrayToObject(item, "values");
		NOMEM_IF(vals);
		phi = cJSON_AddArrayToObject(item, "phi");
		NOMEM_IF(phi);
		for (k = 0; k < P; k++) {
			size_t i = (size_t)((unsigned long long)k * n / P);

			NOMEM_IF(cJSON_AddItemToArray(vals, feature_value(e, f, i)) ? vals : NULL);
			NOMEM_IF(cJSON_AddItemToArray(phi, aud_json_number(e->phi[i * M + f])) ?
			    phi : NULL);
		}
	}
done:
	return rc;
}

static int
shapley_results(cJSON *res, const struct aud_explain *e, struct aud_error *err)
{
	size_t M = e->M, n = e->n, i, j, k, a;
	double *mabs = NULL, *mean = NULL, *sdabs = NULL, *sd = NULL;
	size_t *rank = NULL, *order = NULL;
	struct group *g = NULL;
	cJSON *arr, *item, *o, *groups;
	int rc = 0;

	mabs = calloc(M + 1, sizeof(double));
	mean = calloc(M + 1, sizeof(double));
	sdabs = calloc(M + 1, sizeof(double));
	sd = calloc(M + 1, sizeof(double));
	rank = calloc(M + 1, sizeof(size_t));
	order = calloc(M + 1, sizeof(size_t));
	if (mabs == NULL || mean == NULL || sdabs == NULL || sd == NULL || rank == NULL ||
	    order == NULL)
		NOMEM_IF(NULL);
	for (j = 0; j < M; j++) {
		double ss = 0.0, ssa = 0.0;

		for (i = 0; i < n; i++) {
			mean[j] += e->phi[i * M + j];
			mabs[j] += fabs(e->phi[i * M + j]);
		}
		mean[j] /= (double)n;
		mabs[j] /= (double)n;
		for (i = 0; i < n; i++) {
			ss += (e->phi[i * M + j] - mean[j]) * (e->phi[i * M + j] - mean[j]);
			ssa += (fabs(e->phi[i * M + j]) - mabs[j]) * (fabs(e->phi[i * M + j]) - mabs[j]);
		}
		sd[j] = n > 1 ? sqrt(ss / (double)(n - 1)) : NAN;
		sdabs[j] = n > 1 ? sqrt(ssa / (double)(n - 1)) : NAN;
	}
	rc = ranks(rank, order, mabs, M, err);
	if (rc < 0)
		goto done;
	NOMEM_IF(aud_json_add_number(res, "base_value", e->base));
	NOMEM_IF(aud_json_add_number(res, "max_additivity_error", e->max_add_err));
	arr = cJSON_AddArrayToObject(res, "importance");
	NOMEM_IF(arr);
	for (k = 0; k < M; k++) {
		double h;

		j = order[k];
		item = cJSON_CreateObject();
		NOMEM_IF(item);
		cJSON_AddItemToArray(arr, item);
		NOMEM_IF(cJSON_AddStringToObject(item, "feature", e->mnames[j]));
		NOMEM_IF(cJSON_AddNumberToObject(item, "rank", (double)rank[j]));
		NOMEM_IF(aud_json_add_number(item, "mean_abs", mabs[j]));
		NOMEM_IF(aud_json_add_number(item, "mean", mean[j]));
		NOMEM_IF(aud_json_add_number(item, "sd", sd[j]));
		o = cJSON_AddObjectToObject(item, "ci");
		NOMEM_IF(o);
		h = aud_stats_t_half(sdabs[j], n, 0.95);
		NOMEM_IF(cJSON_AddItemToObject(o, "mean_abs", pair(mabs[j] - h, mabs[j] + h)) ? o : NULL);
		h = aud_stats_t_half(sd[j], n, 0.95);
		NOMEM_IF(cJSON_AddItemToObject(o, "mean", pair(mean[j] - h, mean[j] + h)) ? o : NULL);
	}
	/* per protected group: mean output and mean attributions */
	arr = cJSON_AddArrayToObject(res, "groups");
	NOMEM_IF(arr);
	for (a = 0; a < e->o.nprotected; a++) {
		size_t ng, gi;
		cJSON *att;

		rc = protected_groups(&g, &ng, e, a, err);
		if (rc < 0)
			goto done;
		att = cJSON_CreateObject();
		NOMEM_IF(att);
		cJSON_AddItemToArray(arr, att);
		NOMEM_IF(cJSON_AddStringToObject(att, "attribute", e->o.protected_cols[a]));
		groups = cJSON_AddArrayToObject(att, "groups");
		NOMEM_IF(groups);
		for (gi = 0; gi < ng; gi++) {
			cJSON *gm, *gabs;
			double out = 0.0;
			const struct aud_column *pc = &e->x->cols[e->pcol[a]];

			item = cJSON_CreateObject();
			NOMEM_IF(item);
			cJSON_AddItemToArray(groups, item);
			NOMEM_IF(cJSON_AddStringToObject(item, "group", g[gi].name));
			NOMEM_IF(cJSON_AddNumberToObject(item, "count", (double)g[gi].count));
			for (i = 0; i < n; i++)
				if (pc->code[i] == g[gi].code)
					out += e->fx[i];
			NOMEM_IF(aud_json_add_number(item, "mean_output", out / (double)g[gi].count));
			gm = cJSON_AddObjectToObject(item, "mean");
			NOMEM_IF(gm);
			gabs = cJSON_AddObjectToObject(item, "mean_abs");
			NOMEM_IF(gabs);
			for (j = 0; j < M; j++) {
				double s = 0.0, sa = 0.0;

				for (i = 0; i < n; i++)
					if (pc->code[i] == g[gi].code) {
						s += e->phi[i * M + j];
						sa += fabs(e->phi[i * M + j]);
					}
				NOMEM_IF(aud_json_add_number(gm, e->mnames[j], s / (double)g[gi].count));
				NOMEM_IF(aud_json_add_number(gabs, e->mnames[j], sa / (double)g[gi].count));
			}
		}
		(void)group_of;
		free(g);
		g = NULL;
	}
	rc = add_proxy(res, e, mabs, rank, order, err);
	if (rc < 0)
		goto done;
	/* local explanations of the first rows, for waterfall charts */
	arr = cJSON_AddArrayToObject(res, "local");
	NOMEM_IF(arr);
	for (i = 0; i < n && i < e->o.nlocal; i++) {
		cJSON *contrib, *c;

		item = cJSON_CreateObject();
		NOMEM_IF(item);
		cJSON_AddItemToArray(arr, item);
		NOMEM_IF(cJSON_AddNumberToObject(item, "row", (double)e->rowid[i]));
		NOMEM_IF(aud_json_add_number(item, "base_value", e->base));
		NOMEM_IF(aud_json_add_number(item, "value", e->fx[i]));
		if (decides(e))
			NOMEM_IF(cJSON_AddNumberToObject(item, "decision",
			    e->fx[i] >= e->o.threshold ? 1 : 0));
		if (e->lcol >= 0)
			NOMEM_IF(cJSON_AddItemToObject(item, "label", label_value(e, i)) ? item : NULL);
		contrib = cJSON_AddArrayToObject(item, "contributions");
		NOMEM_IF(contrib);
		for (j = 0; j < M; j++) {
			c = cJSON_CreateObject();
			NOMEM_IF(c);
			cJSON_AddItemToArray(contrib, c);
			NOMEM_IF(cJSON_AddStringToObject(c, "feature", e->mnames[j]));
			NOMEM_IF(cJSON_AddItemToObject(c, "value", feature_value(e, j, i)) ? c : NULL);
			NOMEM_IF(aud_json_add_number(c, "phi", e->phi[i * M + j]));
		}
	}
	rc = add_points(res, e, order, err);
done:
	free(g);
	free(mabs);
	free(mean);
	free(sdabs);
	free(sd);
	free(rank);
	free(order);
	return rc;
}

static int
permutation_results(cJSON *res, const struct aud_explain *e, struct aud_error *err)
{
	const struct aud_perm_result *p = &e->perm;
	size_t M = e->M, j, k, mi;
	double *imp = NULL;
	size_t *rank = NULL, *order = NULL;
	cJSON *arr, *item, *o, *base;
	int rc;

	imp = calloc(M + 1, sizeof(double));
	rank = calloc(M + 1, sizeof(size_t));
	order = calloc(M + 1, sizeof(size_t));
	if (imp == NULL || rank == NULL || order == NULL)
		NOMEM_IF(NULL);
	for (j = 0; j < M; j++)
		imp[j] = p->mean[j * AUD_NMETRICS + e->o.metric];
	rc = ranks(rank, order, imp, M, err);
	if (rc < 0)
		goto done;
	NOMEM_IF(cJSON_AddStringToObject(res, "metric", aud_metric_name(e->o.metric)));
	NOMEM_IF(cJSON_AddNumberToObject(res, "repeats", (double)p->repeats));
	base = cJSON_AddObjectToObject(res, "baseline");
	NOMEM_IF(base);
	for (mi = 0; mi < AUD_NMETRICS; mi++)
		NOMEM_IF(aud_json_add_number(base, aud_metric_name((enum aud_metric)mi),
		    p->baseline[mi]));
	arr = cJSON_AddArrayToObject(res, "importance");
	NOMEM_IF(arr);
	for (k = 0; k < M; k++) {
		j = order[k];
		item = cJSON_CreateObject();
		NOMEM_IF(item);
		cJSON_AddItemToArray(arr, item);
		NOMEM_IF(cJSON_AddStringToObject(item, "feature", e->mnames[j]));
		NOMEM_IF(cJSON_AddNumberToObject(item, "rank", (double)rank[j]));
		for (mi = 0; mi < AUD_NMETRICS; mi++) {
			size_t at = j * AUD_NMETRICS + mi;

			o = cJSON_AddObjectToObject(item, aud_metric_name((enum aud_metric)mi));
			NOMEM_IF(o);
			NOMEM_IF(aud_json_add_number(o, "mean", p->mean[at]));
			NOMEM_IF(aud_json_add_number(o, "sd", p->sd[at]));
			NOMEM_IF(cJSON_AddItemToObject(o, "ci", pair(p->lo[at], p->hi[at])) ? o : NULL);
		}
	}
	rc = add_proxy(res, e, imp, rank, order, err);
done:
	free(imp);
	free(rank);
	free(order);
	return rc;
}

static cJSON *
number_array(const double *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	if (a == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (!cJSON_AddItemToArray(a, aud_json_number(v[i]))) {
			cJSON_Delete(a);
			return NULL;
		}
	return a;
}

static int
pdp_results(cJSON *res, const struct aud_explain *e, struct aud_error *err)
{
	cJSON *arr, *item, *grid, *garr, *ice;
	struct group *g = NULL;
	double *acc = NULL;
	size_t c, i, k, a;
	int rc = 0;

	arr = cJSON_AddArrayToObject(res, "pdp");
	NOMEM_IF(arr);
	for (c = 0; c < e->ncurves; c++) {
		const struct aud_pdp_curve *cv = &e->curves[c];
		const struct aud_column *col = &e->x->cols[cv->column];
		size_t G = cv->ngrid;

		item = cJSON_CreateObject();
		NOMEM_IF(item);
		cJSON_AddItemToArray(arr, item);
		NOMEM_IF(cJSON_AddStringToObject(item, "feature", e->mnames[e->curve_feature[c]]));
		NOMEM_IF(cJSON_AddStringToObject(item, "kind", cv->categorical ? "categorical" :
		    "numeric"));
		if (cv->categorical) {
			grid = cJSON_AddArrayToObject(item, "grid");
			NOMEM_IF(grid);
			for (k = 0; k < G; k++)
				NOMEM_IF(cJSON_AddItemToArray(grid,
				    cJSON_CreateString(aud_dict_str(col->dict, cv->codes[k]))) ? grid : NULL);
		} else {
			NOMEM_IF(cJSON_AddItemToObject(item, "grid", number_array(cv->grid, G)) ?
			    item : NULL);
		}
		NOMEM_IF(cJSON_AddItemToObject(item, "pdp", number_array(cv->pdp, G)) ? item : NULL);
		garr = cJSON_AddArrayToObject(item, "groups");
		NOMEM_IF(garr);
		free(acc);
		acc = calloc(G + 1, sizeof(double));
		if (acc == NULL)
			NOMEM_IF(NULL);
		for (a = 0; a < e->o.nprotected; a++) {
			const struct aud_column *pc = &e->x->cols[e->pcol[a]];
			size_t ng, gi;
			cJSON *att, *groups, *gitem;

			rc = protected_groups(&g, &ng, e, a, err);
			if (rc < 0)
				goto done;
			att = cJSON_CreateObject();
			NOMEM_IF(att);
			cJSON_AddItemToArray(garr, att);
			NOMEM_IF(cJSON_AddStringToObject(att, "attribute", e->o.protected_cols[a]));
			groups = cJSON_AddArrayToObject(att, "groups");
			NOMEM_IF(groups);
			for (gi = 0; gi < ng; gi++) {
				for (k = 0; k < G; k++)
					acc[k] = 0.0;
				for (i = 0; i < e->n; i++)
					if (pc->code[i] == g[gi].code)
						for (k = 0; k < G; k++)
							acc[k] += cv->ice[i * G + k];
				for (k = 0; k < G; k++)
					acc[k] /= (double)g[gi].count;
				gitem = cJSON_CreateObject();
				NOMEM_IF(gitem);
				cJSON_AddItemToArray(groups, gitem);
				NOMEM_IF(cJSON_AddStringToObject(gitem, "group", g[gi].name));
				NOMEM_IF(cJSON_AddNumberToObject(gitem, "count", (double)g[gi].count));
				NOMEM_IF(cJSON_AddItemToObject(gitem, "pdp", number_array(acc, G)) ?
				    gitem : NULL);
			}
			free(g);
			g = NULL;
		}
		ice = cJSON_AddArrayToObject(item, "ice");
		NOMEM_IF(ice);
		for (i = 0; i < e->n && i < e->o.nlocal; i++) {
			cJSON *row;

			row = cJSON_CreateObject();
			NOMEM_IF(row);
			cJSON_AddItemToArray(ice, row);
			NOMEM_IF(cJSON_AddNumberToObject(row, "row", (double)e->rowid[i]));
			NOMEM_IF(cJSON_AddItemToObject(row, "values", number_array(&cv->ice[i * G], G)) ?
			    row : NULL);
		}
	}
done:
	free(g);
	free(acc);
	return rc;
}

static cJSON *
string_array(const char *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	if (a == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (!cJSON_AddItemToArray(a, cJSON_CreateString(v[i]))) {
			cJSON_Delete(a);
			return NULL;
		}
	return a;
}

void
aud_explain_info(const struct aud_explain *e, struct aud_explain_info *out)
{
	memset(out, 0, sizeof(*out));
	out->options = &e->o;
	out->path = e->path;
	out->input_rows = e->total_rows;
	out->input_sha256 = e->sha;
	out->model = e->model_desc;
	out->model_sha256 = e->model_sha;
	out->background_sha256 = e->bg_sha;
	out->background_rows = e->K;
	out->background_total = e->bg_total;
	out->nsamples = e->nsamples;
	out->rows = e->n;
	if (e->n > 0) {
		out->first_row = e->rowid[0];
		out->end_row = e->rowid[e->n - 1] + 1;
	}
}

int
aud_explain_results(const struct aud_explain *e, cJSON *res, cJSON *warnings,
    struct aud_error *err)
{
	int rc = 0, is_shap = is_shapley(e->o.method);
	size_t i;

	NOMEM_IF(cJSON_AddStringToObject(res, "method", aud_explain_method_name(e->o.method)));
	NOMEM_IF(cJSON_AddNumberToObject(res, "rows", (double)e->n));
	NOMEM_IF(cJSON_AddNumberToObject(res, "explained_rows", (double)e->n));
	NOMEM_IF(cJSON_AddStringToObject(res, "row_selection",
	    e->o.rows_sample > 0 ? "stratified_sample" :
	    e->o.row_first > 0 || e->o.row_end > 0 ? "range" : "all"));
	if (e->o.rows_sample > 0) {
		cJSON *smp = cJSON_AddObjectToObject(res, "sample"), *ids;

		NOMEM_IF(smp);
		NOMEM_IF(cJSON_AddStringToObject(smp, "scheme", "stratified by the combinations of "
		    "the protected groups; proportional allocation with at least one row per "
		    "stratum (largest remainders); within a stratum, the rows of smallest seeded "
		    "random key"));
		NOMEM_IF(cJSON_AddNumberToObject(smp, "strata", (double)e->nstrata));
		NOMEM_IF(cJSON_AddNumberToObject(smp, "seed", (double)e->o.seed));
		ids = cJSON_AddArrayToObject(smp, "rows");
		NOMEM_IF(ids);
		for (i = 0; i < e->n; i++)
			NOMEM_IF(cJSON_AddItemToArray(ids, cJSON_CreateNumber((double)e->rowid[i])) ?
			    ids : NULL);
	}
	NOMEM_IF(cJSON_AddItemToObject(res, "features",
	    string_array((const char *const *)e->mnames, e->M)) ? res : NULL);
	if (is_shap)
		rc = shapley_results(res, e, err);
	else if (e->o.method == AUD_EXPLAIN_PERMUTATION)
		rc = permutation_results(res, e, err);
	else
		rc = pdp_results(res, e, err);
	if (rc < 0)
		goto done;
	for (i = 0; i < (size_t)cJSON_GetArraySize(e->warnings); i++)
		NOMEM_IF(cJSON_AddItemToArray(warnings, cJSON_CreateString(
		    cJSON_GetArrayItem(e->warnings, (int)i)->valuestring)) ? warnings : NULL);
done:
	return rc;
}

/* ---- CSV and tables ---- */

static int
put(FILE *f, const char *s)
{
	return fputs(s, f) == EOF ? -1 : 0;
}

static int
put_num(FILE *f, double x)
{
	char buf[32];

	aud_format_double(buf, x);
	return put(f, buf);
}

int
aud_explain_write_rows(const struct aud_explain *e, FILE *f, struct aud_error *err)
{
	size_t i, j, c, k;
	int bad = 0;

	if (e->o.method == AUD_EXPLAIN_PERMUTATION)
		return AUD_ERROR(err, AUD_EINVAL,
		    "--rows-out: permutation importance has no per-row values");
	if (e->o.method == AUD_EXPLAIN_PDP) {
		bad |= put(f, "row,feature,value,output\n");
		for (c = 0; c < e->ncurves; c++) {
			const struct aud_pdp_curve *cv = &e->curves[c];
			const struct aud_column *col = &e->x->cols[cv->column];
			const char *name = e->mnames[e->curve_feature[c]];

			for (i = 0; i < e->n; i++)
				for (k = 0; k < cv->ngrid; k++) {
					bad |= fprintf(f, "%llu,", (unsigned long long)e->rowid[i]) < 0;
					bad |= aud_csv_write_field(f, name, strlen(name), ',') < 0;
					bad |= put(f, ",");
					if (cv->categorical) {
						const char *v = aud_dict_str(col->dict, cv->codes[k]);

						bad |= aud_csv_write_field(f, v, strlen(v), ',') < 0;
					} else {
						bad |= put_num(f, cv->grid[k]);
					}
					bad |= put(f, ",");
					bad |= put_num(f, cv->ice[i * cv->ngrid + k]);
					bad |= put(f, "\n");
				}
		}
	} else {
		bad |= put(f, "row,base_value,score");
		for (j = 0; j < e->M; j++) {
			bad |= put(f, ",");
			bad |= aud_csv_write_field(f, e->mnames[j], strlen(e->mnames[j]), ',') < 0;
		}
		bad |= put(f, "\n");
		for (i = 0; i < e->n; i++) {
			bad |= fprintf(f, "%llu,", (unsigned long long)e->rowid[i]) < 0;
			bad |= put_num(f, e->base);
			bad |= put(f, ",");
			bad |= put_num(f, e->fx[i]);
			for (j = 0; j < e->M; j++) {
				bad |= put(f, ",");
				bad |= put_num(f, e->phi[i * e->M + j]);
			}
			bad |= put(f, "\n");
		}
	}
	if (bad || ferror(f))
		return AUD_ERROR(err, AUD_EOUTPUT, "cannot write the per-row values");
	return 0;
}

/* The table view is written from the JSON results (explain_write.c), like a saved document's. */
int
aud_explain_write_table(const struct aud_explain *e, FILE *f, enum aud_format fmt,
    struct aud_error *err)
{
	cJSON *doc = NULL;
	int rc = aud_explain_json(&doc, e, 0, err);

	if (rc == 0)
		rc = aud_explain_write_results(f, aud_envelope_results(doc), fmt, err);
	cJSON_Delete(doc);
	return rc;
}
