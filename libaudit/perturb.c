/* perturb.c — perturbation specs, column statistics, applying perturbations (perturb.h). */
#include <audit/perturb.h>

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/csv.h>
#include <audit/rng.h>

#include "perturb_rng.h"

static const char *const kind_names[] = {
	"gaussian", "uniform", "scale", "round", "missing", "swap", "flip", "grid",
	"adversarial"
};

const char *
aud_perturb_kind_name(enum aud_perturb_kind kind)
{
	return kind_names[kind];
}

int
aud_perturb_kind_has_level(enum aud_perturb_kind kind)
{
	return kind != AUD_PERTURB_FLIP && kind != AUD_PERTURB_GRID;
}

int
aud_perturb_is_random(const struct aud_perturb *p)
{
	switch (p->kind) {
	case AUD_PERTURB_GAUSSIAN:
	case AUD_PERTURB_UNIFORM:
	case AUD_PERTURB_MISSING:
	case AUD_PERTURB_SWAP:
	case AUD_PERTURB_ADVERSARIAL:
		return 1;
	default:
		return 0;
	}
}

void
aud_perturb_free(struct aud_perturb *p)
{
	size_t i;

	if (p == NULL)
		return;
	free(p->spec);
	free(p->column);
	for (i = 0; i < p->ngrid; i++)
		free(p->grid_cols[i]);
	free(p->grid_cols);
	free(p->grid_d);
	free(p);
}

/* Range check of a level for its kind; *what names it in messages. */
static int
check_level(enum aud_perturb_kind kind, double v, const char *spec, struct aud_error *err)
{
	switch (kind) {
	case AUD_PERTURB_GAUSSIAN:
	case AUD_PERTURB_UNIFORM:
		if (!(v >= 0) || !isfinite(v))
			return AUD_ERROR(err, AUD_EINVAL,
			    "invalid perturbation '%s': the level must be a number >= 0", spec);
		break;
	case AUD_PERTURB_SCALE:
		if (!isfinite(v))
			return AUD_ERROR(err, AUD_EINVAL,
			    "invalid perturbation '%s': the factor must be a finite number", spec);
		break;
	case AUD_PERTURB_ROUND:
		if (!(v >= -15 && v <= 15) || v != floor(v))
			return AUD_ERROR(err, AUD_EINVAL,
			    "invalid perturbation '%s': digits must be a whole number in [-15, 15]", spec);
		break;
	case AUD_PERTURB_MISSING:
	case AUD_PERTURB_SWAP:
		if (!(v >= 0 && v <= 1))
			return AUD_ERROR(err, AUD_EINVAL,
			    "invalid perturbation '%s': the probability must be in [0, 1]", spec);
		break;
	case AUD_PERTURB_ADVERSARIAL:
		if (!(v > 0) || !isfinite(v))
			return AUD_ERROR(err, AUD_EINVAL,
			    "invalid perturbation '%s': epsilon must be a number > 0", spec);
		break;
	default:
		return AUD_ERROR(err, AUD_EINVAL,
		    "invalid perturbation '%s': '%s' takes no level", spec, kind_names[kind]);
	}
	return 0;
}

/* Parse the whole text [s, s+len) as a number. */
static int
parse_num(double *out, const char *s, size_t len)
{
	if (len == 0)
		return 0;
	return aud_parse_number(out, s, len) == 1 && isfinite(*out);
}

static int
parse_grid(struct aud_perturb *p, const char *args, struct aud_error *err)
{
	const char *s = args, *comma, *eq;
	size_t n = 1, i, k;
	double prod = 1;

	for (comma = args; *comma != '\0'; comma++)
		if (*comma == ',')
			n++;
	p->grid_cols = calloc(n, sizeof(*p->grid_cols));
	p->grid_d = calloc(n, sizeof(*p->grid_d));
	if (p->grid_cols == NULL || p->grid_d == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		comma = strchr(s, ',');
		if (comma == NULL)
			comma = s + strlen(s);
		eq = memchr(s, '=', (size_t)(comma - s));
		if (eq == NULL || eq == s)
			return AUD_ERROR(err, AUD_EINVAL,
			    "invalid perturbation '%s': expected COL=D in '%.*s'", p->spec,
			    (int)(comma - s), s);
		if (!parse_num(&p->grid_d[i], eq + 1, (size_t)(comma - eq - 1)) ||
		    p->grid_d[i] < 0)
			return AUD_ERROR(err, AUD_EINVAL,
			    "invalid perturbation '%s': the distance in '%.*s' must be a number >= 0",
			    p->spec, (int)(comma - s), s);
		p->grid_cols[i] = strndup(s, (size_t)(eq - s));
		if (p->grid_cols[i] == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		p->ngrid = i + 1;
		for (k = 0; k < i; k++)
			if (strcmp(p->grid_cols[k], p->grid_cols[i]) == 0)
				return AUD_ERROR(err, AUD_EINVAL,
				    "invalid perturbation '%s': column '%s' given twice",
				    p->spec, p->grid_cols[i]);
		prod *= 2 * floor(p->grid_d[i]) + 1;
		s = comma + 1;
	}
	if (prod - 1 > AUD_PERTURB_GRID_MAX)
		return AUD_ERROR(err, AUD_EINVAL,
		    "invalid perturbation '%s': %.0f neighbours per row (at most %d)",
		    p->spec, prod - 1, AUD_PERTURB_GRID_MAX);
	return 0;
}

int
aud_perturb_parse(struct aud_perturb **out, const char *text, struct aud_error *err)
{
	struct aud_perturb *p;
	const char *colon = strchr(text, ':');
	size_t klen = colon != NULL ? (size_t)(colon - text) : strlen(text);
	size_t k;
	int rc = 0;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL || (p->spec = strdup(text)) == NULL) {
		free(p);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	for (k = 0; k < sizeof(kind_names) / sizeof(kind_names[0]); k++)
		if (strlen(kind_names[k]) == klen && strncmp(kind_names[k], text, klen) == 0)
			break;
	if (k == sizeof(kind_names) / sizeof(kind_names[0])) {
		rc = AUD_ERROR(err, AUD_EINVAL,
		    "invalid perturbation '%s': unknown kind '%.*s' (gaussian, uniform, scale, "
		    "round, missing, swap, flip, grid, adversarial)", text, (int)klen, text);
		goto done;
	}
	p->kind = (enum aud_perturb_kind)k;
	if (p->kind == AUD_PERTURB_FLIP) {
		if (colon == NULL || colon[1] == '\0') {
			rc = AUD_ERROR(err, AUD_EINVAL,
			    "invalid perturbation '%s': expected flip:COL", text);
			goto done;
		}
		p->column = strdup(colon + 1);
		if (p->column == NULL)
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	if (p->kind == AUD_PERTURB_GRID) {
		if (colon == NULL || colon[1] == '\0') {
			rc = AUD_ERROR(err, AUD_EINVAL,
			    "invalid perturbation '%s': expected grid:COL=D[,COL=D...]", text);
			goto done;
		}
		rc = parse_grid(p, colon + 1, err);
		goto done;
	}
	if (colon == NULL)
		goto done;  /* level-less: waits for --levels */
	if (!parse_num(&p->level, colon + 1, strlen(colon + 1))) {
		rc = AUD_ERROR(err, AUD_EINVAL,
		    "invalid perturbation '%s': '%s' is not a number", text, colon + 1);
		goto done;
	}
	rc = check_level(p->kind, p->level, text, err);
	p->has_level = 1;
done:
	if (rc < 0) {
		aud_perturb_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

int
aud_perturb_at_level(struct aud_perturb **out, const struct aud_perturb *p,
    double level, struct aud_error *err)
{
	char num[32], buf[64];
	int rc;

	*out = NULL;
	if (!aud_perturb_kind_has_level(p->kind))
		return AUD_ERROR(err, AUD_EINVAL, "perturbation '%s' takes no level", p->spec);
	aud_format_double(num, level);
	snprintf(buf, sizeof(buf), "%s:%s", kind_names[p->kind], num);
	rc = check_level(p->kind, level, buf, err);
	if (rc < 0)
		return rc;
	return aud_perturb_parse(out, buf, err);
}

/* ---- column statistics ---- */

void
aud_colstats_free(struct aud_colstats *s)
{
	size_t j;

	if (s == NULL)
		return;
	for (j = 0; j < s->ncols; j++) {
		free(s->cols[j].cat_count);
		free(s->cols[j].cat_cdf);
	}
	free(s->cols);
	free(s);
}

static void
numeric_stats(struct aud_colstat *st, const double *x, size_t n)
{
	double mean = 0, m2 = 0, d;
	size_t i, k;

	st->min = st->max = NAN;
	st->is_integer = 1;
	for (i = 0; i < n; i++) {
		if (isnan(x[i])) {
			st->missing++;
			continue;
		}
		st->count++;
		d = x[i] - mean;
		mean += d / (double)st->count;
		m2 += d * (x[i] - mean);
		if (st->count == 1 || x[i] < st->min)
			st->min = x[i];
		if (st->count == 1 || x[i] > st->max)
			st->max = x[i];
		if (x[i] != floor(x[i]))
			st->is_integer = 0;
		if (st->ndistinct <= AUD_COLSTAT_DISTINCT) {
			for (k = 0; k < st->ndistinct && st->distinct[k] < x[i]; k++)
				;
			if (k < st->ndistinct && st->distinct[k] == x[i])
				continue;
			if (st->ndistinct == AUD_COLSTAT_DISTINCT) {
				st->ndistinct++;  /* too many: stop keeping them */
				continue;
			}
			memmove(&st->distinct[k + 1], &st->distinct[k],
			    (st->ndistinct - k) * sizeof(double));
			st->distinct[k] = x[i];
			st->ndistinct++;
		}
	}
	st->mean = st->count > 0 ? mean : NAN;
	st->sd = st->count > 1 ? sqrt(m2 / (double)(st->count - 1)) : 0;
}

int
aud_colstats_compute(struct aud_colstats **out, const struct aud_batch *b,
    struct aud_error *err)
{
	struct aud_colstats *s;
	struct aud_colstat *st;
	size_t i, j, k;
	double acc;
	int rc = 0;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	s->cols = calloc(b->ncols > 0 ? b->ncols : 1, sizeof(*s->cols));
	if (s->cols == NULL) {
		free(s);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	s->ncols = b->ncols;
	for (j = 0; j < b->ncols; j++) {
		st = &s->cols[j];
		st->kind = b->cols[j].kind;
		if (st->kind == AUD_COL_NUMERIC) {
			numeric_stats(st, b->cols[j].num, b->nrows);
			continue;
		}
		st->min = st->max = st->mean = NAN;
		st->ncat = aud_dict_size(b->cols[j].dict);
		st->cat_count = calloc(st->ncat + 1, sizeof(*st->cat_count));
		st->cat_cdf = calloc(st->ncat + 1, sizeof(*st->cat_cdf));
		if (st->cat_count == NULL || st->cat_cdf == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		for (i = 0; i < b->nrows; i++) {
			int32_t c = b->cols[j].code[i];
			if (c < 0 || (size_t)c >= st->ncat) {
				st->missing++;
				continue;
			}
			st->cat_count[c]++;
			st->count++;
		}
		acc = 0;
		for (k = 0; k < st->ncat; k++) {
			acc += (double)st->cat_count[k];
			st->cat_cdf[k] = st->count > 0 ? acc / (double)st->count : 0;
		}
		if (st->ncat > 0 && st->count > 0)
			st->cat_cdf[st->ncat - 1] = 1;
	}
done:
	if (rc < 0) {
		aud_colstats_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* ---- levels ---- */

void
aud_levels_free(struct aud_levels *l)
{
	size_t i;

	if (l == NULL)
		return;
	if (l->name != NULL)
		for (i = 0; i < l->n; i++)
			free(l->name[i]);
	free(l->name);
	free(l->code);
	free(l->num);
	free(l->bin);
	free(l);
}

/* Sort codes by their text (insertion sort: qsort has no context argument). */
static void
sort_codes(int32_t *c, size_t n, const struct aud_dict *d)
{
	size_t i, k;
	int32_t v;

	for (i = 1; i < n; i++) {
		v = c[i];
		for (k = i; k > 0 && strcmp(aud_dict_str(d, c[k - 1]), aud_dict_str(d, v)) > 0; k--)
			c[k] = c[k - 1];
		c[k] = v;
	}
}

int
aud_levels_new(struct aud_levels **out, const struct aud_batch *b, size_t col,
    const struct aud_colstat *st, struct aud_error *err)
{
	struct aud_levels *l;
	size_t i, n = 0;
	char buf[32];
	int rc = 0;

	*out = NULL;
	if (st->kind == AUD_COL_NUMERIC && st->ndistinct > AUD_COLSTAT_DISTINCT)
		return AUD_ERROR(err, AUD_EINVAL,
		    "column '%s' is numeric with more than %d distinct values",
		    b->cols[col].name, AUD_COLSTAT_DISTINCT);
	l = calloc(1, sizeof(*l));
	if (l == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	if (st->kind == AUD_COL_NUMERIC) {
		l->numeric = 1;
		n = st->ndistinct;
		l->num = calloc(n + 1, sizeof(*l->num));
		l->name = calloc(n + 1, sizeof(*l->name));
		if (l->num == NULL || l->name == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		for (i = 0; i < n; i++) {
			l->num[i] = st->distinct[i];
			aud_format_double(buf, st->distinct[i]);
			l->name[i] = strdup(buf);
			l->n = i + 1;
			if (l->name[i] == NULL) {
				rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
				goto done;
			}
		}
		goto done;
	}
	l->code = calloc(st->ncat + 1, sizeof(*l->code));
	l->name = calloc(st->ncat + 1, sizeof(*l->name));
	if (l->code == NULL || l->name == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < st->ncat; i++)
		if (st->cat_count[i] > 0)
			l->code[n++] = (int32_t)i;
	sort_codes(l->code, n, b->cols[col].dict);
	for (i = 0; i < n; i++) {
		l->name[i] = strdup(aud_dict_str(b->cols[col].dict, l->code[i]));
		l->n = i + 1;
		if (l->name[i] == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
	}
done:
	if (rc < 0) {
		aud_levels_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

int
aud_levels_new_bins(struct aud_levels **out, const struct aud_batch *b, size_t col,
    const struct aud_bins *bins, struct aud_error *err)
{
	struct aud_levels *l;
	size_t nb = aud_bins_count(bins), k, *cnt = NULL;
	double *med = NULL;
	int rc = 0;

	*out = NULL;
	if (b->cols[col].kind != AUD_COL_NUMERIC)
		return AUD_ERROR(err, AUD_EINVAL, "--bins: column '%s' is not numeric",
		    b->cols[col].name);
	l = calloc(1, sizeof(*l));
	med = calloc(nb, sizeof(*med));
	cnt = calloc(nb, sizeof(*cnt));
	if (l == NULL || med == NULL || cnt == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	l->numeric = 1;
	l->bins = bins;
	l->num = calloc(nb, sizeof(*l->num));
	l->name = calloc(nb, sizeof(*l->name));
	l->bin = calloc(nb, sizeof(*l->bin));
	if (l->num == NULL || l->name == NULL || l->bin == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	rc = aud_bins_medians(med, cnt, bins, b->cols[col].num, b->nrows, err);
	if (rc < 0)
		goto done;
	for (k = 0; k < nb; k++) {
		if (cnt[k] == 0)
			continue;
		l->name[l->n] = aud_bins_label(bins, k, 0);
		if (l->name[l->n] == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		l->num[l->n] = med[k];
		l->bin[l->n] = k;
		l->n++;
	}
done:
	free(med);
	free(cnt);
	if (rc < 0) {
		aud_levels_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

long
aud_levels_index(const struct aud_levels *l, const struct aud_batch *b, size_t col,
    size_t i)
{
	size_t k;

	if (l->numeric) {
		double x = b->cols[col].num[i];
		if (isnan(x))
			return -1;
		if (l->bins != NULL) {
			size_t bin = aud_bins_index(l->bins, x);

			for (k = 0; k < l->n; k++)
				if (l->bin[k] == bin)
					return (long)k;
			return -1;
		}
		for (k = 0; k < l->n; k++)
			if (l->num[k] == x)
				return (long)k;
		return -1;
	}
	for (k = 0; k < l->n; k++)
		if (l->code[k] == b->cols[col].code[i])
			return (long)k;
	return -1;
}

/* ---- applying ---- */

/* Keep a perturbed value inside the column's observed range, whole when the column is. */
static double
settle(double v, const struct aud_colstat *st)
{
	if (isnan(v))
		return v;
	if (st->is_integer)
		v = round(v);
	if (v < st->min)
		v = st->min;
	if (v > st->max)
		v = st->max;
	return v;
}

static double
round_digits(double x, int digits)
{
	double f;

	if (digits >= 0) {
		f = pow(10, digits);
		return round(x * f) / f;
	}
	f = pow(10, -digits);
	return round(x / f) * f;
}

static int32_t
draw_category(const struct aud_colstat *st, struct aud__rowrng *r)
{
	double u = aud__rowrng_uniform(r);
	size_t lo = 0, hi = st->ncat - 1, mid;

	/* first k with cdf[k] > u */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (st->cat_cdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (int32_t)lo;
}

int
aud_perturb_apply(struct aud_batch *b, const struct aud_perturb *p,
    const struct aud_colstats *st, const unsigned char *mask, uint64_t seed,
    uint64_t stream_base, struct aud_error *err)
{
	struct aud__rowrng rr = { 0 }, *rng = &rr;
	size_t i, j;
	int random = aud_perturb_is_random(p);
	double lv = p->level;

	if (p->kind == AUD_PERTURB_FLIP || p->kind == AUD_PERTURB_GRID ||
	    p->kind == AUD_PERTURB_ADVERSARIAL)
		return AUD_ERROR(err, AUD_EINVAL,
		    "perturbation '%s' is not elementwise", p->spec);
	if (!p->has_level)
		return AUD_ERROR(err, AUD_EINVAL,
		    "perturbation '%s' needs a level (%s:LEVEL or --levels)", p->spec,
		    kind_names[p->kind]);
	assert(st->ncols == b->ncols);
	for (i = 0; i < b->nrows; i++) {
		if (random)
			aud__rowrng_init(rng, seed, stream_base + b->first_row + i);
		for (j = 0; j < b->ncols; j++) {
			const struct aud_colstat *cs = &st->cols[j];
			struct aud_column *c = &b->cols[j];
			double x;

			if (!mask[j])
				continue;
			if (c->kind == AUD_COL_CATEGORICAL) {
				if (p->kind == AUD_PERTURB_MISSING) {
					if (aud__rowrng_uniform(rng) < lv)
						c->code[i] = -1;
				} else if (p->kind == AUD_PERTURB_SWAP) {
					if (aud__rowrng_uniform(rng) < lv && c->code[i] >= 0 &&
					    cs->count > 0)
						c->code[i] = draw_category(cs, rng);
				}
				continue;
			}
			x = c->num[i];
			switch (p->kind) {
			case AUD_PERTURB_GAUSSIAN:
				if (!isnan(x))
					c->num[i] = settle(x + lv * cs->sd * aud__rowrng_gaussian(rng), cs);
				break;
			case AUD_PERTURB_UNIFORM:
				if (!isnan(x))
					c->num[i] = settle(x + (2 * aud__rowrng_uniform(rng) - 1) * lv * cs->sd, cs);
				break;
			case AUD_PERTURB_SCALE:
				c->num[i] = settle(x * lv, cs);
				break;
			case AUD_PERTURB_ROUND:
				c->num[i] = settle(round_digits(x, (int)lv), cs);
				break;
			case AUD_PERTURB_MISSING:
				if (aud__rowrng_uniform(rng) < lv)
					c->num[i] = NAN;
				break;
			default:  /* swap: numeric columns are left alone */
				break;
			}
		}
	}
	return 0;
}

/* ---- expanding perturbations: flip and grid ---- */

size_t
aud_perturb_max_variants(const struct aud_perturb *p, const struct aud_levels *flip)
{
	size_t i, n = 1;

	if (p->kind == AUD_PERTURB_FLIP)
		return flip != NULL && flip->n > 0 ? flip->n : 1;
	if (p->kind != AUD_PERTURB_GRID)
		return 1;
	for (i = 0; i < p->ngrid; i++)
		n *= 2 * (size_t)floor(p->grid_d[i]) + 1;
	return n > 1 ? n - 1 : 1;
}

/* Copy row i of src into row k of dst (same columns). */
static void
copy_row(struct aud_batch *dst, size_t k, const struct aud_batch *src, size_t i)
{
	size_t j;

	for (j = 0; j < src->ncols; j++) {
		if (src->cols[j].kind == AUD_COL_NUMERIC)
			dst->cols[j].num[k] = src->cols[j].num[i];
		else
			dst->cols[j].code[k] = src->cols[j].code[i];
	}
}

int
aud_perturb_expand(struct aud_batch *dst, size_t *row_of, size_t *value_of,
    const struct aud_batch *src, size_t from, size_t to, const struct aud_perturb *p,
    const size_t *cols, const struct aud_colstats *st, const struct aud_levels *flip,
    struct aud_error *err)
{
	size_t i, k = 0, g, v, n, total = 0;
	size_t *pos = NULL, *nval = NULL, *off = NULL;
	double *vals = NULL;
	long own;

	if (p->kind == AUD_PERTURB_FLIP) {
		for (i = from; i < to; i++) {
			own = aud_levels_index(flip, src, cols[0], i);
			for (v = 0; v < flip->n; v++) {
				if ((long)v == own)
					continue;
				copy_row(dst, k, src, i);
				if (flip->numeric)
					dst->cols[cols[0]].num[k] = flip->num[v];
				else
					dst->cols[cols[0]].code[k] = flip->code[v];
				row_of[k] = i;
				value_of[k] = v;
				k++;
			}
		}
		dst->nrows = k;
		return 0;
	}
	assert(p->kind == AUD_PERTURB_GRID);
	pos = calloc(p->ngrid, sizeof(*pos));
	nval = calloc(p->ngrid, sizeof(*nval));
	off = calloc(p->ngrid, sizeof(*off));
	for (g = 0; g < p->ngrid; g++) {
		off[g] = total;
		total += 2 * (size_t)floor(p->grid_d[g]) + 1;
	}
	vals = calloc(total, sizeof(*vals));
	if (pos == NULL || nval == NULL || off == NULL || vals == NULL) {
		free(pos);
		free(nval);
		free(off);
		free(vals);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	for (i = from; i < to; i++) {
		/* the candidate values of each grid column, own value first */
		for (g = 0; g < p->ngrid; g++) {
			const struct aud_colstat *cs = &st->cols[cols[g]];
			double x = src->cols[cols[g]].num[i], y;
			long d = (long)floor(p->grid_d[g]), s;
			size_t m;

			double *vg = vals + off[g];

			vg[0] = x;
			nval[g] = 1;
			if (isnan(x))
				continue;
			for (s = -d; s <= d; s++) {
				if (s == 0)
					continue;
				y = settle(x + (double)s, cs);
				for (m = 0; m < nval[g] && vg[m] != y; m++)
					;
				if (m == nval[g])
					vg[nval[g]++] = y;
			}
		}
		/* every combination but the all-own one */
		memset(pos, 0, p->ngrid * sizeof(*pos));
		for (;;) {
			for (g = 0; g < p->ngrid; g++) {
				if (++pos[g] < nval[g])
					break;
				pos[g] = 0;
			}
			if (g == p->ngrid)
				break;
			copy_row(dst, k, src, i);
			for (n = 0; n < p->ngrid; n++)
				dst->cols[cols[n]].num[k] = vals[off[n] + pos[n]];
			row_of[k] = i;
			value_of[k] = 0;
			k++;
		}
	}
	dst->nrows = k;
	free(pos);
	free(nval);
	free(off);
	free(vals);
	return 0;
}
