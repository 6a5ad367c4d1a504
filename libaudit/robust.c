/* robust.c — perturbation robustness of a model (robust.h). */
#include <audit/robust.h>
#include <audit/stats.h>

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <audit/csv.h>
#include <audit/json.h>
#include <audit/rng.h>

#include "parallel.h"
#include "perturb_rng.h"

/* ---- reading every row ---- */

int
aud_robust_read(struct aud_batch **out, struct aud_csv *csv,
    const char *const *names, const enum aud_col_kind *kinds, size_t ncols,
    struct aud_error *err)
{
	return aud_batch_read_all(out, csv, names, kinds, ncols, err);
}

/* ---- the run ---- */

struct attr {
	char *name;
	char *missing_name; /* the missing group's name: "(missing)" unless a value is written so */
	size_t col;
	struct aud_levels *levels;
	uint32_t *gid;      /* per row: level index, or levels->n for missing */
	size_t ngroups;     /* levels->n + 1 (the last is "(missing)") */
	uint64_t *gcount;   /* rows per group */
};

/* Counts of one slice (overall, a group). */
struct agg {
	uint64_t rows, flips, labelled, correct0, robust_correct;
	uint64_t unscored;      /* rows (draws) the model gave no score under the perturbation */
	double sum_abs, max_abs, acc_sum;
};

struct aud_robust {
	const struct aud_model *model;
	const struct aud_batch *data;
	struct aud_robust_options o;
	char *positive;
	struct aud_colstats *stats;
	size_t n;
	double *score0;
	unsigned char *pred0;
	signed char *lab;       /* 1 positive label, 0 negative, -1 unlabelled */
	long label_col;
	unsigned char *mask;    /* perturbable columns */
	size_t *feat;           /* their indices */
	size_t nfeat;
	struct attr *attrs;
	size_t nattrs;
	cJSON *entries;
	char **warnings;
	size_t nwarnings;
	struct agg base;
	struct agg *gbase;      /* per attribute and group (baseline) */
	size_t *goff;           /* offset of attribute a's groups in gbase */
	size_t ngtotal;
	const char **featnames; /* names of feat[] */
	int warned_unscored;    /* the warning about unscored perturbed rows was given */
};

static int
warn(struct aud_robust *r, struct aud_error *err, const char *fmt, ...)
{
	char buf[512], **w;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	w = realloc(r->warnings, (r->nwarnings + 1) * sizeof(*w));
	if (w == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	r->warnings = w;
	w[r->nwarnings] = strdup(buf);
	if (w[r->nwarnings] == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	r->nwarnings++;
	return 0;
}

const char *const *
aud_robust_features(const struct aud_robust *r, size_t *n)
{
	*n = r->nfeat;
	return r->featnames;
}

const char *const *
aud_robust_warnings(const struct aud_robust *r, size_t *n)
{
	*n = r->nwarnings;
	return (const char *const *)r->warnings;
}

void
aud_robust_free(struct aud_robust *r)
{
	size_t i;

	if (r == NULL)
		return;
	aud_colstats_free(r->stats);
	free(r->positive);
	free(r->score0);
	free(r->pred0);
	free(r->lab);
	free(r->mask);
	free(r->feat);
	free(r->featnames);
	for (i = 0; i < r->nattrs; i++) {
		free(r->attrs[i].name);
		free(r->attrs[i].missing_name);
		aud_levels_free(r->attrs[i].levels);
		free(r->attrs[i].gid);
		free(r->attrs[i].gcount);
	}
	free(r->attrs);
	cJSON_Delete(r->entries);
	for (i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	free(r->gbase);
	free(r->goff);
	free(r);
}

static int
find_col(size_t *out, const struct aud_batch *b, const char *name, const char *what,
    struct aud_error *err)
{
	long c = aud_batch_find(b, name);

	if (c < 0)
		return AUD_ERROR(err, AUD_ENOTFOUND, "unknown column '%s' (%s)", name, what);
	*out = (size_t)c;
	return 0;
}

/* A batch with data's columns and capacity cap, sharing data's dictionaries. */
static int
work_new(struct aud_batch **out, const struct aud_batch *data, size_t cap,
    struct aud_error *err)
{
	const char **names;
	enum aud_col_kind *kinds;
	struct aud_batch *w = NULL;
	size_t j;
	int rc;

	*out = NULL;
	names = calloc(data->ncols ? data->ncols : 1, sizeof(*names));
	kinds = calloc(data->ncols ? data->ncols : 1, sizeof(*kinds));
	if (names == NULL || kinds == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (j = 0; j < data->ncols; j++) {
		names[j] = data->cols[j].name;
		kinds[j] = data->cols[j].kind;
	}
	rc = aud_batch_new(&w, data->ncols, names, kinds, cap ? cap : 1, err);
	if (rc < 0)
		goto done;
	for (j = 0; j < data->ncols; j++) {
		if (data->cols[j].kind != AUD_COL_CATEGORICAL)
			continue;
		aud_dict_free(w->cols[j].dict);
		w->cols[j].dict = data->cols[j].dict;  /* borrowed: see work_free() */
	}
	*out = w;
done:
	free(names);
	free(kinds);
	return rc;
}

static void
work_free(struct aud_batch *w)
{
	size_t j;

	if (w == NULL)
		return;
	for (j = 0; j < w->ncols; j++)
		if (w->cols[j].kind == AUD_COL_CATEGORICAL)
			w->cols[j].dict = NULL;
	aud_batch_free(w);
}

/* Copy rows [a, b) of src to the start of dst. */
static void
copy_range(struct aud_batch *dst, const struct aud_batch *src, size_t a, size_t b)
{
	size_t j;

	for (j = 0; j < src->ncols; j++) {
		if (src->cols[j].kind == AUD_COL_NUMERIC)
			memcpy(dst->cols[j].num, src->cols[j].num + a, (b - a) * sizeof(double));
		else
			memcpy(dst->cols[j].code, src->cols[j].code + a, (b - a) * sizeof(int32_t));
	}
	dst->nrows = b - a;
	dst->first_row = src->first_row + a;
}

/* ---- numbered units over the library's parallel loop ---- */

struct units {
	int (*fn)(void *ctx, size_t unit, struct aud_error *err);
	void *ctx;
};

static int
unit_task(void *payload, size_t thread, size_t task, struct aud_error *err)
{
	const struct units *u = payload;

	(void)thread;
	return u->fn(u->ctx, task, err);
}

/* Units 0..nunits-1 on o->threads threads; `label` names the phase in progress reports. */
static int
units_run(size_t nunits, int (*fn)(void *, size_t, struct aud_error *), void *ctx,
    const struct aud_robust_options *o, const char *label, struct aud_error *err)
{
	struct units u;

	u.fn = fn;
	u.ctx = ctx;
	return aud__parallel_for(o->threads, nunits, unit_task, &u, &o->progress, label, err);
}

/* ---- baseline ---- */

struct base_ctx {
	struct aud_robust *r;
	size_t chunk;
};

static int
base_unit(void *ctx, size_t u, struct aud_error *err)
{
	struct base_ctx *c = ctx;
	struct aud_robust *r = c->r;
	size_t a = u * c->chunk, b = a + c->chunk, i;
	struct aud_batch *w = NULL;
	int rc;

	if (b > r->n)
		b = r->n;
	rc = work_new(&w, r->data, b - a, err);
	if (rc < 0)
		return rc;
	copy_range(w, r->data, a, b);
	rc = aud_model_predict(r->model, w, r->score0 + a, NULL, err);
	if (rc == 0)
		for (i = a; i < b; i++) {
			if (isnan(r->score0[i])) {
				rc = AUD_ERROR(err, AUD_EMODEL,
				    "the model gave no score (NaN) for row %zu", i + 1);
				break;
			}
			r->pred0[i] = r->score0[i] >= r->o.threshold;
		}
	work_free(w);
	return rc;
}

static size_t
chunk_rows(const struct aud_robust *r, size_t per_row)
{
	size_t c = r->o.batch_rows > 0 ? r->o.batch_rows : 4096;

	c = per_row > 0 ? c / per_row : c;
	return c > 0 ? c : 1;
}

/*
 * The name of the missing group: "(missing)", or, when a value is written
 * so, "((missing))" and so on, so that the two never share a name.
 */
static int
missing_name(char **out, const struct aud_levels *lv, struct aud_error *err)
{
	char *s = strdup("(missing)");
	size_t k;

	for (;;) {
		char *t;
		size_t len;

		if (s == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		for (k = 0; k < lv->n; k++)
			if (strcmp(lv->name[k], s) == 0)
				break;
		if (k == lv->n)
			break;
		len = strlen(s) + 3;
		t = malloc(len);
		if (t != NULL)
			snprintf(t, len, "(%s)", s);
		free(s);
		s = t;
	}
	*out = s;
	return 0;
}

static int
is_listed(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return 1;
	return 0;
}

int
aud_robust_new(struct aud_robust **out, const struct aud_model *model,
    const struct aud_batch *data, const struct aud_robust_options *opts,
    struct aud_error *err)
{
	struct aud_robust *r;
	struct base_ctx bc;
	const struct aud_bins *bins;
	size_t i, j, a, col = 0;
	int rc = 0;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	r->model = model;
	r->data = data;
	r->o = *opts;
	r->n = data->nrows;
	r->label_col = -1;
	if (r->o.repeats == 0)
		r->o.repeats = 1;
	r->positive = strdup(opts->positive != NULL ? opts->positive : "1");
	r->score0 = calloc(r->n + 1, sizeof(*r->score0));
	r->pred0 = calloc(r->n + 1, 1);
	r->lab = calloc(r->n + 1, 1);
	r->mask = calloc(data->ncols + 1, 1);
	r->feat = calloc(data->ncols + 1, sizeof(*r->feat));
	r->attrs = calloc(opts->nprotected + 1, sizeof(*r->attrs));
	r->entries = cJSON_CreateArray();
	if (r->positive == NULL || r->score0 == NULL || r->pred0 == NULL || r->lab == NULL ||
	    r->mask == NULL || r->feat == NULL || r->attrs == NULL || r->entries == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	rc = aud_colstats_compute(&r->stats, data, err);
	if (rc < 0)
		goto done;
	if (opts->unbounded)
		for (j = 0; j < data->ncols; j++) {
			/* perturbed values are neither clamped nor kept whole */
			r->stats->cols[j].min = -INFINITY;
			r->stats->cols[j].max = INFINITY;
			r->stats->cols[j].is_integer = 0;
		}

	/* columns: label, protected, frozen, features */
	if (opts->label != NULL) {
		rc = find_col(&col, data, opts->label, "--label", err);
		if (rc < 0)
			goto done;
		r->label_col = (long)col;
	}
	for (i = 0; i < opts->nfreeze; i++) {
		rc = find_col(&col, data, opts->freeze[i], "--freeze", err);
		if (rc < 0)
			goto done;
	}
	for (i = 0; i < opts->nprotected; i++) {
		struct attr *at = &r->attrs[i];

		rc = find_col(&at->col, data, opts->protected_cols[i], "--protected", err);
		if (rc < 0)
			goto done;
		r->nattrs = i + 1;
		at->name = strdup(opts->protected_cols[i]);
		if (at->name == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		bins = aud_bins_find(r->o.bins, r->o.nbins, at->name);
		if (bins != NULL) {
			rc = aud_levels_new_bins(&at->levels, data, at->col, bins, err);
			if (rc < 0)
				goto done;
		} else {
			rc = aud_levels_new(&at->levels, data, at->col, &r->stats->cols[at->col], err);
			if (rc < 0) {
				rc = AUD_ERROR(err, AUD_EINVAL,
				    "protected column '%s' is numeric with more than %d distinct values "
				    "(group it with --bins %s=EDGE,EDGE,...)",
				    at->name, AUD_COLSTAT_DISTINCT, at->name);
				goto done;
			}
		}
		rc = missing_name(&at->missing_name, at->levels, err);
		if (rc < 0)
			goto done;
		if (strcmp(at->missing_name, "(missing)") != 0) {
			rc = warn(r, err, "'%s' has a value written '(missing)': the group of missing "
			    "values is named '%s'", at->name, at->missing_name);
			if (rc < 0)
				goto done;
		}
		at->ngroups = at->levels->n + 1;
		at->gid = calloc(r->n + 1, sizeof(*at->gid));
		at->gcount = calloc(at->ngroups, sizeof(*at->gcount));
		if (at->gid == NULL || at->gcount == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		for (j = 0; j < r->n; j++) {
			long g = aud_levels_index(at->levels, data, at->col, j);

			at->gid[j] = g < 0 ? (uint32_t)at->levels->n : (uint32_t)g;
			at->gcount[at->gid[j]]++;
		}
	}
	rc = aud_robust_perturbed_columns(r->mask, data, model, opts, err);
	if (rc < 0)
		goto done;
	r->featnames = calloc(data->ncols + 1, sizeof(*r->featnames));
	if (r->featnames == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (j = 0; j < data->ncols; j++) {
		const char *nm = data->cols[j].name;

		if (r->mask[j]) {
			r->featnames[r->nfeat] = nm;
			r->feat[r->nfeat++] = j;
		}
	}

	/* labels */
	for (j = 0; j < r->n; j++) {
		r->lab[j] = -1;
		if (r->label_col < 0)
			continue;
		const struct aud_column *c = &data->cols[r->label_col];
		if (c->kind == AUD_COL_CATEGORICAL) {
			if (c->code[j] >= 0)
				r->lab[j] = strcmp(aud_dict_str(c->dict, c->code[j]), r->positive) == 0;
		} else if (!isnan(c->num[j])) {
			double pv;
			r->lab[j] = aud_parse_number(&pv, r->positive, strlen(r->positive)) == 1 &&
			    c->num[j] == pv;
		}
	}

	/* baseline */
	bc.r = r;
	bc.chunk = chunk_rows(r, 1);
	rc = units_run((r->n + bc.chunk - 1) / bc.chunk, base_unit, &bc, &r->o, "baseline", err);
	if (rc < 0)
		goto done;
	r->goff = calloc(r->nattrs + 1, sizeof(*r->goff));
	for (a = 0; a < r->nattrs; a++) {
		r->goff[a] = r->ngtotal;
		r->ngtotal += r->attrs[a].ngroups;
	}
	r->gbase = calloc(r->ngtotal + 1, sizeof(*r->gbase));
	if (r->goff == NULL || r->gbase == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (j = 0; j < r->n; j++) {
		int correct = r->lab[j] >= 0 && r->pred0[j] == (unsigned char)r->lab[j];

		r->base.rows++;
		r->base.flips += r->pred0[j];  /* positives */
		if (r->lab[j] >= 0) {
			r->base.labelled++;
			r->base.correct0 += (uint64_t)correct;
		}
		for (a = 0; a < r->nattrs; a++) {
			struct agg *g = &r->gbase[r->goff[a] + r->attrs[a].gid[j]];

			g->rows++;
			g->flips += r->pred0[j];
			if (r->lab[j] >= 0) {
				g->labelled++;
				g->correct0 += (uint64_t)correct;
			}
		}
	}
	if (r->n == 0) {
		rc = warn(r, err, "the input has no rows: every rate is undefined (null)");
		if (rc < 0)
			goto done;
	}
	if (r->label_col >= 0 && r->base.labelled < r->n) {
		rc = warn(r, err, "%llu of the rows have no label and are left out of accuracies",
		    (unsigned long long)(r->n - r->base.labelled));
		if (rc < 0)
			goto done;
	}
	*out = r;
	r = NULL;
done:
	aud_robust_free(r);
	return rc;
}

/* ---- checking a perturbation ---- */

int
aud_robust_check(const struct aud_robust *r, const struct aud_perturb *p,
    struct aud_error *err)
{
	size_t col = 0, i;
	int rc;

	if (aud_perturb_kind_has_level(p->kind) && !p->has_level)
		return AUD_ERROR(err, AUD_EINVAL,
		    "perturbation '%s' needs a level (%s:LEVEL or --levels)", p->spec,
		    aud_perturb_kind_name(p->kind));
	if (p->kind == AUD_PERTURB_FLIP) {
		rc = find_col(&col, r->data, p->column, p->spec, err);
		if (rc < 0)
			return rc;
		if (r->data->cols[col].kind == AUD_COL_NUMERIC && r->stats->cols[col].ndistinct > 2 &&
		    aud_bins_find(r->o.bins, r->o.nbins, p->column) == NULL)
			return AUD_ERROR(err, AUD_EINVAL,
			    "cannot flip numeric column '%s' (flip needs a categorical column or "
			    "bins: --bins %s=EDGE,...; or use grid:%s=D)", p->column, p->column,
			    p->column);
		return 0;
	}
	if (p->kind == AUD_PERTURB_GRID) {
		for (i = 0; i < p->ngrid; i++) {
			rc = find_col(&col, r->data, p->grid_cols[i], p->spec, err);
			if (rc < 0)
				return rc;
			if (is_listed(p->grid_cols[i], r->o.protected_cols, r->o.nprotected) ||
			    is_listed(p->grid_cols[i], r->o.freeze, r->o.nfreeze))
				return AUD_ERROR(err, AUD_EINVAL,
				    "grid column '%s' is protected or frozen", p->grid_cols[i]);
			if (r->data->cols[col].kind != AUD_COL_NUMERIC)
				return AUD_ERROR(err, AUD_EINVAL,
				    "grid column '%s' is not numeric", p->grid_cols[i]);
		}
	}
	return 0;
}

/* ---- running a perturbation ---- */

/* Per-row results of one slot (all columns, or one feature alone). */
struct slot {
	const struct aud_perturb *p;
	const unsigned char *mask;  /* elementwise: columns perturbed */
	const size_t *cols;         /* flip: cols[0]; grid and adversarial: the columns */
	size_t ncols;
	const struct aud_levels *levels;  /* flip */
	size_t reps;
	size_t chunk;               /* rows per unit */
	size_t nchunks;
	uint64_t base;              /* stream base */
	double *delta;              /* [rep * n + row] */
	unsigned char *flip;
	unsigned char *unscored;    /* 1: no score under the perturbation (NaN): not a flip */
	double *acc;                /* fraction of variants decided correctly (labelled rows) */
	double *radius;             /* adversarial: smallest flipping radius (sd units) or NAN */
	unsigned char *vflip;       /* flip: [row * nlevels + value] */
	uint64_t variants;          /* total variants evaluated (summed after the run) */
	uint64_t *unit_variants;
};

struct run_ctx {
	struct aud_robust *r;
	struct slot *s;
};

static uint64_t
mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t
stream_base(const char *kind, size_t slot, size_t rep)
{
	uint64_t h = 1469598103934665603ULL;
	const unsigned char *s = (const unsigned char *)kind;

	while (*s != '\0')
		h = (h ^ *s++) * 1099511628211ULL;
	return mix64(h ^ mix64(((uint64_t)slot << 20) ^ (uint64_t)rep));
}

static inline int
decide(const struct aud_robust *r, double s)
{
	return s >= r->o.threshold;
}

static int
elementwise_unit(void *ctx, size_t u, struct aud_error *err)
{
	struct run_ctx *c = ctx;
	struct aud_robust *r = c->r;
	struct slot *s = c->s;
	size_t rep = u / s->nchunks, ch = u % s->nchunks;
	size_t a = ch * s->chunk, b = a + s->chunk, i;
	struct aud_batch *w = NULL;
	double *sc = NULL;
	int rc;

	if (b > r->n)
		b = r->n;
	rc = work_new(&w, r->data, b - a, err);
	if (rc < 0)
		goto done;
	sc = malloc((b - a) * sizeof(*sc));
	if (sc == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	copy_range(w, r->data, a, b);
	rc = aud_perturb_apply(w, s->p, r->stats, s->mask, r->o.seed,
	    stream_base(aud_perturb_kind_name(s->p->kind), (size_t)(s->base), rep), err);
	if (rc < 0)
		goto done;
	rc = aud_model_predict(r->model, w, sc, NULL, err);
	if (rc < 0)
		goto done;
	for (i = a; i < b; i++) {
		size_t k = rep * r->n + i;
		int d = decide(r, sc[i - a]);

		if (isnan(sc[i - a])) {
			/* no score: neither a flip nor a change; counted apart */
			s->unscored[k] = 1;
			s->delta[k] = 0;
			s->flip[k] = 0;
			s->acc[k] = 0;
			continue;
		}
		s->unscored[k] = 0;
		s->delta[k] = fabs(sc[i - a] - r->score0[i]);
		s->flip[k] = d != r->pred0[i];
		s->acc[k] = r->lab[i] >= 0 ? (double)(d == r->lab[i]) : 0;
	}
	s->unit_variants[u] = b - a;
done:
	free(sc);
	work_free(w);
	return rc;
}

static int
expand_unit(void *ctx, size_t u, struct aud_error *err)
{
	struct run_ctx *c = ctx;
	struct aud_robust *r = c->r;
	struct slot *s = c->s;
	size_t a = u * s->chunk, b = a + s->chunk, i, k, maxv;
	size_t *row_of = NULL, *value_of = NULL, *nvar = NULL;
	struct aud_batch *w = NULL;
	double *sc = NULL;
	int rc;

	if (b > r->n)
		b = r->n;
	maxv = aud_perturb_max_variants(s->p, s->levels) * (b - a);
	rc = work_new(&w, r->data, maxv, err);
	if (rc < 0)
		goto done;
	row_of = malloc((maxv + 1) * sizeof(*row_of));
	value_of = malloc((maxv + 1) * sizeof(*value_of));
	nvar = calloc(b - a, sizeof(*nvar));
	sc = malloc((maxv + 1) * sizeof(*sc));
	if (row_of == NULL || value_of == NULL || nvar == NULL || sc == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	rc = aud_perturb_expand(w, row_of, value_of, r->data, a, b, s->p, s->cols, r->stats,
	    s->levels, err);
	if (rc < 0)
		goto done;
	rc = aud_model_predict(r->model, w, sc, NULL, err);
	if (rc < 0)
		goto done;
	for (i = a; i < b; i++) {
		s->delta[i] = 0;
		s->flip[i] = 0;
		s->acc[i] = 0;
	}
	for (k = 0; k < w->nrows; k++) {
		size_t i0 = row_of[k];
		int d = decide(r, sc[k]), f = d != r->pred0[i0];
		double dl = fabs(sc[k] - r->score0[i0]);

		if (isnan(sc[k])) {
			/* a variant without a score changes nothing (2: unscored) */
			if (s->vflip != NULL)
				s->vflip[i0 * s->levels->n + value_of[k]] = 2;
			s->unscored[i0] = 1;
			continue;
		}

		if (dl > s->delta[i0])
			s->delta[i0] = dl;
		if (f)
			s->flip[i0] = 1;
		if (s->vflip != NULL)
			s->vflip[i0 * s->levels->n + value_of[k]] = (unsigned char)f;
		if (r->lab[i0] >= 0)
			s->acc[i0] += d == r->lab[i0];
		nvar[i0 - a]++;
	}
	for (i = a; i < b; i++) {
		/* unscored: only when no variant had a score */
		if (nvar[i - a] > 0)
			s->unscored[i] = 0;
		if (r->lab[i] < 0)
			continue;
		if (nvar[i - a] > 0)
			s->acc[i] /= (double)nvar[i - a];
		else  /* no neighbour: the decision stays the baseline's */
			s->acc[i] = r->pred0[i] == r->lab[i];
	}
	s->unit_variants[u] = w->nrows;
done:
	free(row_of);
	free(value_of);
	free(nvar);
	free(sc);
	work_free(w);
	return rc;
}

/* ---- adversarial search ---- */

/* A point at offset delta from x inside the ball and the observed range (integers stay whole). */
static double
ball_value(double x, double delta, const struct aud_colstat *cs)
{
	double v;

	if (cs->is_integer)
		delta = delta >= 0 ? floor(delta) : ceil(delta);
	v = x + delta;
	if (v < cs->min)
		v = cs->min;
	if (v > cs->max)
		v = cs->max;
	return v;
}

#define ADV_SHRINK 16
/* Flip: most values for which per-value transitions are kept (n x values bytes). */
#define ROBUST_MAX_TRANSITIONS 64

static int
adversarial_unit(void *ctx, size_t u, struct aud_error *err)
{
	struct run_ctx *c = ctx;
	struct aud_robust *r = c->r;
	struct slot *s = c->s;
	size_t rep = u / s->nchunks, ch = u % s->nchunks;
	size_t a = ch * s->chunk, b = a + s->chunk, nr, m = s->ncols, i, k, q, j, t;
	size_t K = (size_t)(r->o.adv_restarts > 0 ? r->o.adv_restarts : 1);
	size_t per = K > 2 * m ? K : 2 * m, nrow;
	double eps = s->p->level, *x = NULL, *best = NULL, *bobj = NULL, *sc = NULL;
	double *rad = NULL, *bscore = NULL;
	unsigned char *found = NULL, *active = NULL;
	size_t *row_of = NULL;
	struct aud_batch *w = NULL;
	struct aud__rowrng rstate = { 0 }, *rng = &rstate;
	uint64_t evals = 0;
	int rc, step;

	if (per < ADV_SHRINK)
		per = ADV_SHRINK;
	if (b > r->n)
		b = r->n;
	nr = b - a;
	rc = work_new(&w, r->data, nr * per, err);
	if (rc < 0)
		goto done;
	x = malloc((nr * m + 1) * sizeof(*x));
	best = malloc((nr * m + 1) * sizeof(*best));
	bobj = malloc((nr + 1) * sizeof(*bobj));
	bscore = malloc((nr + 1) * sizeof(*bscore));
	rad = malloc((nr + 1) * sizeof(*rad));
	sc = malloc((nr * per + 1) * sizeof(*sc));
	found = calloc(nr + 1, 1);
	active = calloc(nr + 1, 1);
	row_of = malloc((nr * per + 1) * sizeof(*row_of));
	if (x == NULL || best == NULL || bobj == NULL || bscore == NULL || rad == NULL ||
	    sc == NULL || found == NULL || active == NULL || row_of == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	/* objective: how far the score has moved across the threshold, toward a flip */
#define OBJ(i0, sv) (r->pred0[i0] ? r->o.threshold - (sv) : (sv) - r->o.threshold)
	for (i = 0; i < nr; i++) {
		for (j = 0; j < m; j++)
			x[i * m + j] = best[i * m + j] = r->data->cols[s->cols[j]].num[a + i];
		bobj[i] = OBJ(a + i, r->score0[a + i]);
		bscore[i] = r->score0[a + i];
		rad[i] = NAN;
		active[i] = 1;
	}

	/* 1. random restarts: K points uniform in the ball */
	nrow = 0;
	for (i = 0; i < nr; i++) {
		aud__rowrng_init(rng, r->o.seed,
		    stream_base(aud_perturb_kind_name(s->p->kind), (size_t)s->base, rep) + a + i);
		for (k = 0; k < K; k++) {
			for (q = 0; q < r->data->ncols; q++) {
				if (r->data->cols[q].kind == AUD_COL_NUMERIC)
					w->cols[q].num[nrow] = r->data->cols[q].num[a + i];
				else
					w->cols[q].code[nrow] = r->data->cols[q].code[a + i];
			}
			for (j = 0; j < m; j++) {
				const struct aud_colstat *cs = &r->stats->cols[s->cols[j]];
				double xv = x[i * m + j];

				if (!isnan(xv))
					w->cols[s->cols[j]].num[nrow] = ball_value(xv,
					    (2 * aud__rowrng_uniform(rng) - 1) * eps * cs->sd, cs);
			}
			row_of[nrow++] = i;
		}
	}
	w->nrows = nrow;
	w->first_row = a;
	rc = aud_model_predict(r->model, w, sc, NULL, err);
	if (rc < 0)
		goto done;
	evals += nrow;
	for (k = 0; k < nrow; k++) {
		i = row_of[k];
		if (found[i])
			continue;
		double o = OBJ(a + i, sc[k]);
		int fl = decide(r, sc[k]) != r->pred0[a + i];
		if (fl || o > bobj[i]) {
			bobj[i] = o;
			bscore[i] = sc[k];
			for (j = 0; j < m; j++)
				best[i * m + j] = w->cols[s->cols[j]].num[k];
			if (fl)
				found[i] = 1;
		}
	}

	/* 2. greedy coordinate steps: move one coordinate to an edge of the ball */
	for (step = 0; step < r->o.adv_steps; step++) {
		nrow = 0;
		for (i = 0; i < nr; i++) {
			if (found[i] || !active[i])
				continue;
			for (j = 0; j < m; j++) {
				const struct aud_colstat *cs = &r->stats->cols[s->cols[j]];
				int sg;

				if (isnan(x[i * m + j]))
					continue;
				for (sg = -1; sg <= 1; sg += 2) {
					for (q = 0; q < r->data->ncols; q++) {
						if (r->data->cols[q].kind == AUD_COL_NUMERIC)
							w->cols[q].num[nrow] = r->data->cols[q].num[a + i];
						else
							w->cols[q].code[nrow] = r->data->cols[q].code[a + i];
					}
					for (t = 0; t < m; t++)
						w->cols[s->cols[t]].num[nrow] = best[i * m + t];
					w->cols[s->cols[j]].num[nrow] = ball_value(x[i * m + j],
					    sg * eps * cs->sd, cs);
					row_of[nrow++] = i;
				}
			}
		}
		if (nrow == 0)
			break;
		w->nrows = nrow;
		rc = aud_model_predict(r->model, w, sc, NULL, err);
		if (rc < 0)
			goto done;
		evals += nrow;
		for (i = 0; i < nr; i++)
			if (!found[i])
				active[i] = 0;  /* stays active only when it improves */
		for (k = 0; k < nrow; k++) {
			double o;
			int fl;

			i = row_of[k];
			if (found[i])
				continue;
			o = OBJ(a + i, sc[k]);
			fl = decide(r, sc[k]) != r->pred0[a + i];
			if (fl || o > bobj[i]) {
				bobj[i] = o;
				bscore[i] = sc[k];
				for (j = 0; j < m; j++)
					best[i * m + j] = w->cols[s->cols[j]].num[k];
				active[i] = 1;
				if (fl)
					found[i] = 1;
			}
		}
	}

	/* 3. the smallest radius: shrink each flipping offset to t/16 of itself */
	nrow = 0;
	for (i = 0; i < nr; i++) {
		if (!found[i])
			continue;
		for (k = 1; k <= ADV_SHRINK; k++) {
			for (q = 0; q < r->data->ncols; q++) {
				if (r->data->cols[q].kind == AUD_COL_NUMERIC)
					w->cols[q].num[nrow] = r->data->cols[q].num[a + i];
				else
					w->cols[q].code[nrow] = r->data->cols[q].code[a + i];
			}
			for (j = 0; j < m; j++) {
				const struct aud_colstat *cs = &r->stats->cols[s->cols[j]];
				double xv = x[i * m + j];

				if (!isnan(xv))
					w->cols[s->cols[j]].num[nrow] = ball_value(xv,
					    (best[i * m + j] - xv) * (double)k / ADV_SHRINK, cs);
			}
			row_of[nrow++] = i;
		}
	}
	w->nrows = nrow;
	if (nrow > 0) {
		rc = aud_model_predict(r->model, w, sc, NULL, err);
		if (rc < 0)
			goto done;
		evals += nrow;
	}
	for (k = 0; k < nrow; k++) {
		double rr = 0;

		i = row_of[k];
		if (!isnan(rad[i]) || decide(r, sc[k]) == r->pred0[a + i])
			continue;  /* an earlier (smaller) one flipped, or this one does not */
		for (j = 0; j < m; j++) {
			const struct aud_colstat *cs = &r->stats->cols[s->cols[j]];
			double xv = x[i * m + j], d;

			if (isnan(xv) || !(cs->sd > 0))
				continue;
			d = fabs(w->cols[s->cols[j]].num[k] - xv) / cs->sd;
			if (d > rr)
				rr = d;
		}
		rad[i] = rr;
		bscore[i] = sc[k];
	}
	for (i = 0; i < nr; i++) {
		size_t kk = rep * r->n + a + i;
		int d;

		if (found[i] && isnan(rad[i])) {
			/* the shrunk points did not flip (t = 1 is the found point after settling) */
			double rr = 0;

			for (j = 0; j < m; j++) {
				const struct aud_colstat *cs = &r->stats->cols[s->cols[j]];
				double xv = x[i * m + j];

				if (!isnan(xv) && cs->sd > 0 && fabs(best[i * m + j] - xv) / cs->sd > rr)
					rr = fabs(best[i * m + j] - xv) / cs->sd;
			}
			rad[i] = rr;
		}
		d = found[i] ? !r->pred0[a + i] : r->pred0[a + i];
		s->delta[kk] = fabs(bscore[i] - r->score0[a + i]);
		s->flip[kk] = found[i];
		s->radius[kk] = found[i] ? rad[i] : NAN;
		s->acc[kk] = r->lab[a + i] >= 0 ? (double)(d == r->lab[a + i]) : 0;
	}
#undef OBJ
	s->unit_variants[u] = evals;
done:
	free(x);
	free(best);
	free(bobj);
	free(bscore);
	free(rad);
	free(sc);
	free(found);
	free(active);
	free(row_of);
	work_free(w);
	return rc;
}

/* ---- aggregation and JSON ---- */

static double
ratio(uint64_t a, uint64_t b)
{
	return b > 0 ? (double)a / (double)b : NAN;
}

/* Wilson interval of k flips in n rows (stats.h); undefined (NaN) when n is 0. */
static void
wilson(double ci[2], uint64_t k, uint64_t n, double level)
{
	aud_stats_wilson((double)k, (double)n, aud_stats_z(level), &ci[0], &ci[1]);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median_of(double *v, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Add the slice's keys to obj. base: the slice's baseline (for accuracy_drop). */
static int
agg_json(cJSON *obj, const struct agg *g, const struct agg *base, double level,
    int has_label)
{
	double ci[2], acc, acc0;
	cJSON *c, *arr;

	if (cJSON_AddNumberToObject(obj, "rows", (double)g->rows) == NULL ||
	    cJSON_AddNumberToObject(obj, "unscored", (double)g->unscored) == NULL ||
	    cJSON_AddNumberToObject(obj, "flips", (double)g->flips) == NULL ||
	    aud_json_add_number(obj, "flip_rate", ratio(g->flips, g->rows)) == NULL)
		return -1;
	wilson(ci, g->flips, g->rows, level);
	c = cJSON_AddObjectToObject(obj, "ci");
	arr = cJSON_CreateArray();
	if (c == NULL || arr == NULL) {
		cJSON_Delete(arr);
		return -1;
	}
	cJSON_AddItemToObject(c, "flip_rate", arr);
	cJSON_AddItemToArray(arr, aud_json_number(ci[0]));
	cJSON_AddItemToArray(arr, aud_json_number(ci[1]));
	if (aud_json_add_number(obj, "mean_abs_score_change",
	    g->rows > 0 ? g->sum_abs / (double)g->rows : NAN) == NULL ||
	    aud_json_add_number(obj, "max_abs_score_change", g->rows > 0 ? g->max_abs : NAN) == NULL)
		return -1;
	if (has_label) {
		acc = g->labelled > 0 ? g->acc_sum / (double)g->labelled : NAN;
		acc0 = ratio(base->correct0, base->labelled);
		if (aud_json_add_number(obj, "accuracy", acc) == NULL ||
		    aud_json_add_number(obj, "accuracy_drop", acc0 - acc) == NULL)
			return -1;
	}
	return 0;
}

static void
agg_add(struct agg *g, const struct aud_robust *r, const struct slot *s, size_t k, size_t row)
{
	if (s->unscored[k]) {
		g->unscored++;
		return;
	}
	g->rows++;
	g->flips += s->flip[k];
	g->sum_abs += s->delta[k];
	if (s->delta[k] > g->max_abs)
		g->max_abs = s->delta[k];
	if (r->lab[row] >= 0) {
		int c0 = r->pred0[row] == r->lab[row];

		g->labelled++;
		g->acc_sum += s->acc[k];
		g->correct0 += (uint64_t)c0;
		if (c0 && !s->flip[k])
			g->robust_correct++;
	}
}

static int
radius_json(cJSON *obj, const struct aud_robust *r, const struct slot *s, long attr, size_t grp)
{
	double *v;
	size_t n = 0, k, row;

	v = malloc((r->n * s->reps + 1) * sizeof(*v));
	if (v == NULL)
		return -1;
	for (k = 0; k < r->n * s->reps; k++) {
		row = k % r->n;
		if (attr >= 0 && r->attrs[attr].gid[row] != grp)
			continue;
		if (s->flip[k])
			v[n++] = s->radius[k];
	}
	if (aud_json_add_number(obj, "median_flip_radius", median_of(v, n)) == NULL) {
		free(v);
		return -1;
	}
	free(v);
	return 0;
}

static int
grid_json(cJSON *obj, const struct agg *g)
{
	if (cJSON_AddNumberToObject(obj, "correct", (double)g->correct0) == NULL ||
	    cJSON_AddNumberToObject(obj, "robust_and_correct", (double)g->robust_correct) == NULL ||
	    aud_json_add_number(obj, "robust_and_correct_rate",
	    ratio(g->robust_correct, g->rows)) == NULL ||
	    aud_json_add_number(obj, "robust_among_correct",
	    ratio(g->robust_correct, g->correct0)) == NULL)
		return -1;
	return 0;
}

/* Aggregate one slot into overall and per-group slices. gaggs: r->ngtotal slices. */
static void
slot_aggregate(const struct aud_robust *r, const struct slot *s, struct agg *all,
    struct agg *gaggs)
{
	size_t k, row, a;

	memset(all, 0, sizeof(*all));
	if (gaggs != NULL)
		memset(gaggs, 0, r->ngtotal * sizeof(*gaggs));
	for (k = 0; k < r->n * s->reps; k++) {
		row = k % r->n;
		agg_add(all, r, s, k, row);
		if (gaggs != NULL)
			for (a = 0; a < r->nattrs; a++)
				agg_add(&gaggs[r->goff[a] + r->attrs[a].gid[row]], r, s, k, row);
	}
}

static const char *
group_name(const struct attr *at, size_t g)
{
	return g < at->levels->n ? at->levels->name[g] : at->missing_name;
}

/* A bin's group also gets its label for sentences and tables ("25 <= age < 45"). */
static int
group_label(cJSON *gj, const struct attr *at, size_t k)
{
	char *l;
	int rc = 0;

	if (at->levels->bins == NULL || k >= at->levels->n)
		return 0;
	l = aud_bins_label(at->levels->bins, at->levels->bin[k], 1);
	if (l == NULL || cJSON_AddStringToObject(gj, "label", l) == NULL)
		rc = -1;
	free(l);
	return rc;
}

static int
slot_alloc(struct slot *s, size_t n, size_t nunits, int adversarial, size_t nlevels)
{
	size_t tot = n * s->reps + 1;

	s->delta = calloc(tot, sizeof(*s->delta));
	s->flip = calloc(tot, 1);
	s->unscored = calloc(tot, 1);
	s->acc = calloc(tot, sizeof(*s->acc));
	s->unit_variants = calloc(nunits + 1, sizeof(*s->unit_variants));
	if (adversarial)
		s->radius = calloc(tot, sizeof(*s->radius));
	if (nlevels > 0)
		s->vflip = calloc(n * nlevels + 1, 1);
	return s->delta == NULL || s->flip == NULL || s->unscored == NULL || s->acc == NULL ||
	    s->unit_variants == NULL || (adversarial && s->radius == NULL) ||
	    (nlevels > 0 && s->vflip == NULL) ? -1 : 0;
}

static void
slot_release(struct slot *s)
{
	free(s->delta);
	free(s->flip);
	free(s->unscored);
	free(s->acc);
	free(s->radius);
	free(s->vflip);
	free(s->unit_variants);
	memset(s, 0, sizeof(*s));
}

/* Run one slot: fill s's per-row arrays. */
static int
slot_run(struct aud_robust *r, struct slot *s, struct aud_error *err)
{
	struct run_ctx c;
	size_t per, nunits, u;
	int (*fn)(void *, size_t, struct aud_error *);
	int adv = s->p->kind == AUD_PERTURB_ADVERSARIAL;
	int rc;

	c.r = r;
	c.s = s;
	if (s->p->kind == AUD_PERTURB_FLIP || s->p->kind == AUD_PERTURB_GRID) {
		per = aud_perturb_max_variants(s->p, s->levels);
		/* flip: a row has values - 1 variants unless its value is missing */
		if (s->p->kind == AUD_PERTURB_FLIP && per > 1 &&
		    r->stats->cols[s->cols[0]].missing == 0)
			per--;
		fn = expand_unit;
		s->reps = 1;
	} else if (adv) {
		per = (size_t)(r->o.adv_restarts > 0 ? r->o.adv_restarts : 1);
		if (per < 2 * s->ncols)
			per = 2 * s->ncols;
		if (per < ADV_SHRINK)
			per = ADV_SHRINK;
		fn = adversarial_unit;
	} else {
		per = 1;
		fn = elementwise_unit;
	}
	s->chunk = chunk_rows(r, per);
	s->nchunks = r->n > 0 ? (r->n + s->chunk - 1) / s->chunk : 0;
	nunits = s->nchunks * s->reps;
	if (slot_alloc(s, r->n, nunits, adv, s->p->kind == AUD_PERTURB_FLIP &&
	    s->levels->n <= ROBUST_MAX_TRANSITIONS ? s->levels->n : 0) < 0)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	rc = units_run(nunits, fn, &c, &r->o, aud_perturb_kind_name(s->p->kind), err);
	if (rc < 0)
		return rc;
	s->variants = 0;
	for (u = 0; u < nunits; u++)
		s->variants += s->unit_variants[u];
	return 0;
}

/* The per-slice keys of a finished slot, plus kind-specific ones. */
static int
slot_json(cJSON *obj, const struct aud_robust *r, const struct slot *s, int with_groups)
{
	struct agg all, *g = NULL;
	cJSON *bg, *ga, *groups, *gj;
	size_t a, k;
	int has_label = r->label_col >= 0, rc = -1;
	int grid = s->p->kind == AUD_PERTURB_GRID, adv = s->p->kind == AUD_PERTURB_ADVERSARIAL;

	if (with_groups) {
		g = calloc(r->ngtotal + 1, sizeof(*g));
		if (g == NULL)
			return -1;
	}
	slot_aggregate(r, s, &all, g);
	if (agg_json(obj, &all, &r->base, r->o.ci_level, has_label) < 0)
		goto done;
	if (grid && has_label && grid_json(obj, &all) < 0)
		goto done;
	if (adv && radius_json(obj, r, s, -1, 0) < 0)
		goto done;
	if (!with_groups) {
		rc = 0;
		goto done;
	}
	bg = cJSON_AddArrayToObject(obj, "by_group");
	if (bg == NULL)
		goto done;
	for (a = 0; a < r->nattrs; a++) {
		const struct attr *at = &r->attrs[a];

		ga = cJSON_CreateObject();
		if (ga == NULL)
			goto done;
		cJSON_AddItemToArray(bg, ga);
		if (cJSON_AddStringToObject(ga, "attribute", at->name) == NULL)
			goto done;
		groups = cJSON_AddArrayToObject(ga, "groups");
		if (groups == NULL)
			goto done;
		for (k = 0; k < at->ngroups; k++) {
			const struct agg *gg = &g[r->goff[a] + k];

			if (gg->rows == 0 && gg->unscored == 0)
				continue;
			gj = cJSON_CreateObject();
			if (gj == NULL)
				goto done;
			cJSON_AddItemToArray(groups, gj);
			if (cJSON_AddStringToObject(gj, "group", group_name(at, k)) == NULL ||
			    (k == at->levels->n && cJSON_AddTrueToObject(gj, "missing") == NULL) ||
			    group_label(gj, at, k) < 0 ||
			    agg_json(gj, gg, &r->gbase[r->goff[a] + k], r->o.ci_level, has_label) < 0)
				goto done;
			if (grid && has_label && grid_json(gj, gg) < 0)
				goto done;
			if (adv && radius_json(gj, r, s, (long)a, k) < 0)
				goto done;
		}
	}
	rc = 0;
done:
	free(g);
	return rc;
}

/* A transition between bins also gets the bins' labels ("age < 25" -> "25 <= age < 45"). */
static int
bin_labels(cJSON *t, const struct aud_levels *lv, size_t from, size_t to)
{
	char *a, *b;
	int rc = 0;

	if (lv->bins == NULL)
		return 0;
	a = from < lv->n ? aud_bins_label(lv->bins, lv->bin[from], 1) : NULL;
	b = aud_bins_label(lv->bins, lv->bin[to], 1);
	if ((from < lv->n && a == NULL) || b == NULL ||
	    (a != NULL && cJSON_AddStringToObject(t, "from_label", a) == NULL) ||
	    cJSON_AddStringToObject(t, "to_label", b) == NULL)
		rc = -1;
	free(a);
	free(b);
	return rc;
}

/* Flip: transitions from each original value to each other value. */
static int
transitions_json(cJSON *obj, const struct aud_robust *r, const struct slot *s)
{
	const struct aud_levels *lv = s->levels;
	size_t nf = lv->n + 1, from, to, i;
	uint64_t *rows, *flips, *unsc;
	cJSON *arr, *t;
	char *mname = NULL;
	int rc = -1;

	if (missing_name(&mname, lv, NULL) < 0)
		return -1;
	rows = calloc(nf * lv->n + 1, sizeof(*rows));
	flips = calloc(nf * lv->n + 1, sizeof(*flips));
	unsc = calloc(nf * lv->n + 1, sizeof(*unsc));
	arr = cJSON_AddArrayToObject(obj, "transitions");
	if (rows == NULL || flips == NULL || unsc == NULL || arr == NULL)
		goto done;
	for (i = 0; i < r->n; i++) {
		long own = aud_levels_index(lv, r->data, s->cols[0], i);

		from = own < 0 ? lv->n : (size_t)own;
		for (to = 0; to < lv->n; to++) {
			if ((long)to == own)
				continue;
			if (s->vflip[i * lv->n + to] == 2) {
				unsc[from * lv->n + to]++;
				continue;
			}
			rows[from * lv->n + to]++;
			flips[from * lv->n + to] += s->vflip[i * lv->n + to];
		}
	}
	for (from = 0; from < nf; from++)
		for (to = 0; to < lv->n; to++) {
			if (rows[from * lv->n + to] == 0 && unsc[from * lv->n + to] == 0)
				continue;
			t = cJSON_CreateObject();
			if (t == NULL)
				goto done;
			cJSON_AddItemToArray(arr, t);
			if (cJSON_AddStringToObject(t, "from",
			    from < lv->n ? lv->name[from] : mname) == NULL ||
			    cJSON_AddStringToObject(t, "to", lv->name[to]) == NULL ||
			    bin_labels(t, lv, from, to) < 0 ||
			    cJSON_AddNumberToObject(t, "rows", (double)rows[from * lv->n + to]) == NULL ||
			    cJSON_AddNumberToObject(t, "unscored", (double)unsc[from * lv->n + to]) == NULL ||
			    cJSON_AddNumberToObject(t, "flips", (double)flips[from * lv->n + to]) == NULL ||
			    aud_json_add_number(t, "flip_rate",
			    ratio(flips[from * lv->n + to], rows[from * lv->n + to])) == NULL)
				goto done;
		}
	rc = 0;
done:
	free(mname);
	free(rows);
	free(flips);
	free(unsc);
	return rc;
}

/* Does an elementwise kind change a column of this kind? */
static int
kind_touches(enum aud_perturb_kind k, enum aud_col_kind ck)
{
	switch (k) {
	case AUD_PERTURB_MISSING:
		return 1;
	case AUD_PERTURB_SWAP:
		return ck == AUD_COL_CATEGORICAL;
	default:
		return ck == AUD_COL_NUMERIC;
	}
}

static int
add_columns(cJSON *obj, const char *key, const struct aud_batch *b, const size_t *cols,
    size_t n)
{
	cJSON *arr = cJSON_AddArrayToObject(obj, key);
	size_t i;

	if (arr == NULL)
		return -1;
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(b->cols[cols[i]].name));
	return 0;
}

/*
 * The name of the test a perturbation makes, as fairness and robustness
 * courses call it: flipping a protected attribute is the anti-classification
 * test (does the decision depend on the attribute itself?).
 */
static const char *
test_name(const struct aud_robust *r, const struct aud_perturb *p)
{
	switch (p->kind) {
	case AUD_PERTURB_FLIP:
		return is_listed(p->column, r->o.protected_cols, r->o.nprotected) ?
		    "anti-classification" : "counterfactual flip";
	case AUD_PERTURB_GRID:
		return "local robustness";
	case AUD_PERTURB_ADVERSARIAL:
		return "adversarial robustness";
	case AUD_PERTURB_MISSING:
		return "missing-value robustness";
	case AUD_PERTURB_SWAP:
		return "category-swap robustness";
	default:
		return "noise robustness";
	}
}

int
aud_robust_run(struct aud_robust *r, const struct aud_perturb *p, const char *sweep,
    struct aud_error *err)
{
	struct slot s;
	struct aud_perturb one;
	struct aud_levels *lv = NULL;
	cJSON *e = NULL, *bf, *fj, *dobj;
	size_t *cols = NULL, ncols = 0, i, j, fcol = 0;
	unsigned char *m1 = NULL;
	int rc, random = aud_perturb_is_random(p);
	const char *denom;

	memset(&s, 0, sizeof(s));
	rc = aud_robust_check(r, p, err);
	if (rc < 0)
		return rc;
	cols = calloc(r->data->ncols + p->ngrid + 1, sizeof(*cols));
	m1 = calloc(r->data->ncols + 1, 1);
	e = cJSON_CreateObject();
	if (cols == NULL || m1 == NULL || e == NULL)
		goto nomem;
	s.p = p;
	s.reps = random ? r->o.repeats : 1;
	s.base = 0;
	s.mask = r->mask;

	/* the columns this perturbation moves */
	if (p->kind == AUD_PERTURB_FLIP) {
		rc = find_col(&fcol, r->data, p->column, p->spec, err);
		if (rc < 0)
			goto done;
		if (aud_bins_find(r->o.bins, r->o.nbins, p->column) != NULL)
			rc = aud_levels_new_bins(&lv, r->data, fcol, aud_bins_find(r->o.bins, r->o.nbins, p->column), err);
		else
			rc = aud_levels_new(&lv, r->data, fcol, &r->stats->cols[fcol], err);
		if (rc < 0)
			goto done;
		cols[0] = fcol;
		ncols = 1;
		s.levels = lv;
		if (lv->n < 2 && r->n > 0) {
			rc = warn(r, err, "'%s': column '%s' has %zu observed value%s: nothing to flip",
			    p->spec, p->column, lv->n, lv->n == 1 ? "" : "s");
			if (rc < 0)
				goto done;
		}
	} else if (p->kind == AUD_PERTURB_GRID) {
		for (i = 0; i < p->ngrid; i++) {
			rc = find_col(&cols[i], r->data, p->grid_cols[i], p->spec, err);
			if (rc < 0)
				goto done;
		}
		ncols = p->ngrid;
	} else {
		for (i = 0; i < r->nfeat; i++) {
			j = r->feat[i];
			if (!kind_touches(p->kind, r->data->cols[j].kind))
				continue;
			if (p->kind == AUD_PERTURB_ADVERSARIAL && !(r->stats->cols[j].sd > 0))
				continue;
			cols[ncols++] = j;
		}
	}
	s.cols = cols;
	s.ncols = ncols;
	if (ncols == 0 && p->kind != AUD_PERTURB_FLIP) {
		rc = warn(r, err, "perturbation '%s' changes no column (no %sfeature to perturb)",
		    p->spec, p->kind == AUD_PERTURB_SWAP ? "categorical " :
		    p->kind == AUD_PERTURB_MISSING ? "" : "numeric ");
		if (rc < 0)
			goto done;
	}

	if (cJSON_AddStringToObject(e, "spec", p->spec) == NULL ||
	    cJSON_AddStringToObject(e, "kind", aud_perturb_kind_name(p->kind)) == NULL ||
	    cJSON_AddStringToObject(e, "name", test_name(r, p)) == NULL)
		goto nomem;
	if (p->has_level && aud_json_add_number(e, "level", p->level) == NULL)
		goto nomem;
	if (sweep != NULL && cJSON_AddStringToObject(e, "sweep", sweep) == NULL)
		goto nomem;
	if (add_columns(e, "columns", r->data, cols, ncols) < 0)
		goto nomem;
	if (p->kind == AUD_PERTURB_FLIP) {
		cJSON *vals;

		if (cJSON_AddStringToObject(e, "attribute", p->column) == NULL)
			goto nomem;
		vals = cJSON_AddArrayToObject(e, "values");
		if (vals == NULL)
			goto nomem;
		for (i = 0; i < lv->n; i++)
			cJSON_AddItemToArray(vals, cJSON_CreateString(lv->name[i]));
		if (lv->bins != NULL) {
			/* each bin's representative value: what a row moved into the bin gets */
			cJSON *rep = cJSON_AddObjectToObject(e, "representatives");

			if (rep == NULL)
				goto nomem;
			for (i = 0; i < lv->n; i++)
				if (aud_json_add_number(rep, lv->name[i], lv->num[i]) == NULL)
					goto nomem;
			if (cJSON_AddStringToObject(e, "representative", "lower median of the "
			    "bin's observed values") == NULL)
				goto nomem;
		}
	}
	if (p->kind == AUD_PERTURB_GRID) {
		dobj = cJSON_AddObjectToObject(e, "d");
		if (dobj == NULL)
			goto nomem;
		for (i = 0; i < p->ngrid; i++)
			if (cJSON_AddNumberToObject(dobj, p->grid_cols[i], floor(p->grid_d[i])) == NULL)
				goto nomem;
	}
	if (p->kind == AUD_PERTURB_ADVERSARIAL) {
		if (cJSON_AddNumberToObject(e, "epsilon", p->level) == NULL ||
		    cJSON_AddStringToObject(e, "radius_unit", "sd") == NULL ||
		    cJSON_AddStringToObject(e, "norm", "linf") == NULL ||
		    cJSON_AddNumberToObject(e, "restarts", r->o.adv_restarts) == NULL ||
		    cJSON_AddNumberToObject(e, "steps", r->o.adv_steps) == NULL)
			goto nomem;
	}
	if (cJSON_AddNumberToObject(e, "data_rows", (double)r->n) == NULL ||
	    cJSON_AddNumberToObject(e, "repeats", (double)s.reps) == NULL)
		goto nomem;
	if (p->kind == AUD_PERTURB_FLIP)
		denom = "rows scored; a row flips when any other value of the attribute changes its decision";
	else if (p->kind == AUD_PERTURB_GRID)
		denom = "rows scored; a row flips when any grid neighbour changes its decision";
	else if (p->kind == AUD_PERTURB_ADVERSARIAL)
		denom = s.reps > 1 ? "row searches (rows x repeats)" : "rows; one search per row";
	else
		denom = s.reps > 1 ? "row draws scored (rows x repeats, less unscored)" : "rows scored";
	if (cJSON_AddStringToObject(e, "denominator", denom) == NULL)
		goto nomem;

	/* all columns together */
	rc = slot_run(r, &s, err);
	if (rc < 0)
		goto done;
	if (!r->warned_unscored) {
		uint64_t nu = 0;

		for (i = 0; i < r->n * s.reps; i++)
			nu += s.unscored[i];
		if (nu > 0) {
			r->warned_unscored = 1;
			rc = warn(r, err, "'%s': the model gave no score (NaN) for %llu of the %llu "
			    "perturbed %s: not flips, counted as 'unscored' and left out of the rates "
			    "(this warning is given once; see 'unscored' in every entry)", p->spec,
			    (unsigned long long)nu, (unsigned long long)(r->n * s.reps),
			    s.reps > 1 ? "row draws" : "rows");
			if (rc < 0)
				goto done;
		}
	}
	if (slot_json(e, r, &s, 1) < 0)
		goto nomem;
	if ((p->kind == AUD_PERTURB_FLIP || p->kind == AUD_PERTURB_GRID) &&
	    cJSON_AddNumberToObject(e, "variants", (double)s.variants) == NULL)
		goto nomem;
	if (p->kind == AUD_PERTURB_FLIP && s.vflip != NULL && transitions_json(e, r, &s) < 0)
		goto nomem;
	if (p->kind == AUD_PERTURB_FLIP && lv->n > ROBUST_MAX_TRANSITIONS) {
		rc = warn(r, err, "'%s': %zu values, no transitions table (at most %d)", p->spec,
		    lv->n, ROBUST_MAX_TRANSITIONS);
		if (rc < 0)
			goto done;
	}
	slot_release(&s);

	/* each feature alone */
	if (p->kind != AUD_PERTURB_FLIP && r->o.by_feature && ncols > 0) {
		bf = cJSON_AddArrayToObject(e, "by_feature");
		if (bf == NULL)
			goto nomem;
		for (i = 0; i < ncols; i++) {
			memset(&s, 0, sizeof(s));
			s.p = p;
			s.reps = random ? r->o.repeats : 1;
			s.base = i + 1;
			if (p->kind == AUD_PERTURB_GRID) {
				one = *p;
				one.ngrid = 1;
				one.grid_cols = &p->grid_cols[i];
				one.grid_d = &p->grid_d[i];
				s.p = &one;
			}
			memset(m1, 0, r->data->ncols);
			m1[cols[i]] = 1;
			s.mask = m1;
			s.cols = &cols[i];
			s.ncols = 1;
			rc = slot_run(r, &s, err);
			if (rc < 0)
				goto done;
			fj = cJSON_CreateObject();
			if (fj == NULL)
				goto nomem;
			cJSON_AddItemToArray(bf, fj);
			if (cJSON_AddStringToObject(fj, "feature", r->data->cols[cols[i]].name) == NULL ||
			    slot_json(fj, r, &s, 0) < 0)
				goto nomem;
			slot_release(&s);
		}
	}
	cJSON_AddItemToArray(r->entries, e);
	e = NULL;
	rc = 0;
	goto done;
nomem:
	rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
done:
	slot_release(&s);
	aud_levels_free(lv);
	cJSON_Delete(e);
	free(cols);
	free(m1);
	return rc;
}

/* ---- results ---- */

static int
curves_json(cJSON *res, const cJSON *entries)
{
	cJSON *curves = cJSON_AddArrayToObject(res, "curves"), *e, *e2, *cv, *arr;
	static const char *const keys[] = { "level", "flip_rate", "mean_abs_score_change",
		"accuracy" };
	const char *sw, *sw2;
	size_t k;

	if (curves == NULL)
		return -1;
	cJSON_ArrayForEach(e, entries) {
		const cJSON *prev;
		int seen = 0;

		sw = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "sweep"));
		if (sw == NULL)
			continue;
		for (prev = entries->child; prev != e; prev = prev->next) {
			sw2 = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(prev, "sweep"));
			if (sw2 != NULL && strcmp(sw, sw2) == 0)
				seen = 1;
		}
		if (seen)
			continue;
		cv = cJSON_CreateObject();
		if (cv == NULL)
			return -1;
		cJSON_AddItemToArray(curves, cv);
		cJSON_AddStringToObject(cv, "sweep", sw);
		cJSON_AddItemToObject(cv, "kind", cJSON_Duplicate(
		    cJSON_GetObjectItemCaseSensitive(e, "kind"), 1));
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			arr = cJSON_AddArrayToObject(cv, k == 0 ? "levels" : keys[k]);
			if (arr == NULL)
				return -1;
			cJSON_ArrayForEach(e2, entries) {
				sw2 = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e2, "sweep"));
				if (sw2 == NULL || strcmp(sw, sw2) != 0)
					continue;
				const cJSON *v = cJSON_GetObjectItemCaseSensitive(e2, keys[k]);
				cJSON_AddItemToArray(arr, v != NULL ? cJSON_Duplicate(v, 1) :
				    cJSON_CreateNull());
			}
		}
		/* per group: flip_rate along the levels */
		{
			cJSON *bgc = cJSON_AddArrayToObject(cv, "by_group"), *a, *g;

			if (bgc == NULL)
				return -1;
			cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(e, "by_group")) {
				const char *an = cJSON_GetStringValue(
				    cJSON_GetObjectItemCaseSensitive(a, "attribute"));

				cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(a, "groups")) {
					const char *gn = cJSON_GetStringValue(
					    cJSON_GetObjectItemCaseSensitive(g, "group"));
					cJSON *gc = cJSON_CreateObject(), *fr;

					if (gc == NULL)
						return -1;
					cJSON_AddItemToArray(bgc, gc);
					cJSON_AddStringToObject(gc, "attribute", an);
					cJSON_AddStringToObject(gc, "group", gn);
					fr = cJSON_AddArrayToObject(gc, "flip_rate");
					if (fr == NULL)
						return -1;
					cJSON_ArrayForEach(e2, entries) {
						const cJSON *a2, *g2, *val = NULL;

						sw2 = cJSON_GetStringValue(
						    cJSON_GetObjectItemCaseSensitive(e2, "sweep"));
						if (sw2 == NULL || strcmp(sw, sw2) != 0)
							continue;
						cJSON_ArrayForEach(a2, cJSON_GetObjectItemCaseSensitive(e2, "by_group")) {
							if (strcmp(cJSON_GetStringValue(
							    cJSON_GetObjectItemCaseSensitive(a2, "attribute")), an) != 0)
								continue;
							cJSON_ArrayForEach(g2, cJSON_GetObjectItemCaseSensitive(a2, "groups"))
								if (strcmp(cJSON_GetStringValue(
								    cJSON_GetObjectItemCaseSensitive(g2, "group")), gn) == 0)
									val = cJSON_GetObjectItemCaseSensitive(g2, "flip_rate");
						}
						cJSON_AddItemToArray(fr, val != NULL ? cJSON_Duplicate(val, 1) :
						    cJSON_CreateNull());
					}
				}
			}
		}
	}
	return 0;
}

int
aud_robust_results(cJSON **out, const struct aud_robust *r, struct aud_error *err)
{
	cJSON *res, *b, *bg, *ga, *groups, *gj;
	size_t a, k;
	int has_label = r->label_col >= 0;

	*out = NULL;
	res = cJSON_CreateObject();
	if (res == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	if (cJSON_AddNumberToObject(res, "threshold", r->o.threshold) == NULL ||
	    add_columns(res, "features", r->data, r->feat, r->nfeat) < 0)
		goto nomem;
	if (has_label && cJSON_AddStringToObject(res, "positive", r->positive) == NULL)
		goto nomem;
	b = cJSON_AddObjectToObject(res, "baseline");
	if (b == NULL || cJSON_AddNumberToObject(b, "rows", (double)r->n) == NULL ||
	    cJSON_AddNumberToObject(b, "positives", (double)r->base.flips) == NULL ||
	    aud_json_add_number(b, "positive_rate", ratio(r->base.flips, r->n)) == NULL)
		goto nomem;
	if (has_label && (cJSON_AddNumberToObject(b, "labelled", (double)r->base.labelled) == NULL ||
	    cJSON_AddNumberToObject(b, "correct", (double)r->base.correct0) == NULL ||
	    aud_json_add_number(b, "accuracy", ratio(r->base.correct0, r->base.labelled)) == NULL))
		goto nomem;
	bg = cJSON_AddArrayToObject(b, "by_group");
	if (bg == NULL)
		goto nomem;
	for (a = 0; a < r->nattrs; a++) {
		const struct attr *at = &r->attrs[a];

		ga = cJSON_CreateObject();
		if (ga == NULL)
			goto nomem;
		cJSON_AddItemToArray(bg, ga);
		cJSON_AddStringToObject(ga, "attribute", at->name);
		groups = cJSON_AddArrayToObject(ga, "groups");
		if (groups == NULL)
			goto nomem;
		for (k = 0; k < at->ngroups; k++) {
			const struct agg *g = &r->gbase[r->goff[a] + k];

			if (g->rows == 0)
				continue;
			gj = cJSON_CreateObject();
			if (gj == NULL)
				goto nomem;
			cJSON_AddItemToArray(groups, gj);
			if (cJSON_AddStringToObject(gj, "group", group_name(at, k)) == NULL ||
			    (k == at->levels->n && cJSON_AddTrueToObject(gj, "missing") == NULL) ||
			    group_label(gj, at, k) < 0 ||
			    cJSON_AddNumberToObject(gj, "rows", (double)g->rows) == NULL ||
			    aud_json_add_number(gj, "positive_rate", ratio(g->flips, g->rows)) == NULL)
				goto nomem;
			if (has_label && (cJSON_AddNumberToObject(gj, "correct", (double)g->correct0) == NULL ||
			    aud_json_add_number(gj, "accuracy", ratio(g->correct0, g->labelled)) == NULL))
				goto nomem;
		}
	}
	cJSON_AddItemToObject(res, "perturbations", cJSON_Duplicate(r->entries, 1));
	if (curves_json(res, r->entries) < 0)
		goto nomem;
	*out = res;
	return 0;
nomem:
	cJSON_Delete(res);
	return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
}
