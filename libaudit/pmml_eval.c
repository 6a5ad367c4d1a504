/*
 * pmml_eval.c — evaluate a compiled PMML document (pmml_impl.h) over a batch.
 *
 * Rows are processed in blocks of BLK; within a block every field is a column
 * and every operation runs over the whole column (no per-row dispatch on XML
 * structures, trees walked as flat arrays). All mutable state lives in a
 * per-call context, so one model may be evaluated from several threads.
 */
#include <audit/pmml.h>

#include <ctype.h>
#include <math.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_impl.h"
#include "pmml_impl.h"

#define BLK PM_BLK

/* ---- arena of double columns (stack discipline) ---- */

struct chunk {
	struct chunk *next;
	size_t cap, used;
	double data[];
};

struct arena {
	struct chunk *head, *cur;
};

struct amark {
	struct chunk *c;
	size_t used;
};

static struct amark
amark(const struct arena *a)
{
	struct amark m;

	m.c = a->cur;
	m.used = a->cur != NULL ? a->cur->used : 0;
	return m;
}

static void
arelease(struct arena *a, struct amark m)
{
	struct chunk *c;

	if (m.c == NULL) {
		for (c = a->head; c != NULL; c = c->next)
			c->used = 0;
		a->cur = a->head;
		return;
	}
	a->cur = m.c;
	m.c->used = m.used;
	for (c = m.c->next; c != NULL; c = c->next)
		c->used = 0;
}

static double *
aalloc(struct arena *a, size_t n)
{
	struct chunk *c = a->cur, *last = NULL;
	size_t cap;

	while (c != NULL) {
		if (c->cap - c->used >= n) {
			double *p = c->data + c->used;
			c->used += n;
			a->cur = c;
			return p;
		}
		last = c;
		c = c->next;
	}
	if (last == NULL)
		for (last = a->head; last != NULL && last->next != NULL; last = last->next)
			;
	cap = n > 65536 ? n : 65536;
	c = malloc(sizeof(*c) + cap * sizeof(double));
	if (c == NULL)
		return NULL;
	c->next = NULL;
	c->cap = cap;
	c->used = n;
	if (last == NULL)
		a->head = c;
	else
		last->next = c;
	a->cur = c;
	return c->data;
}

static void
afree(struct arena *a)
{
	struct chunk *c = a->head, *n;

	while (c != NULL) {
		n = c->next;
		free(c);
		c = n;
	}
	a->head = a->cur = NULL;
}

/* ---- evaluation context ---- */

struct ev {
	const struct pm_doc *d;
	size_t n;               /* rows in the block */
	double *vals;           /* nslots * BLK */
	struct arena ar;
	char **dyn;             /* dynamic strings, id -(k+1) */
	size_t ndyn, capdyn;
	struct aud_error *err;
	uint64_t row0;          /* input row (0-based) of the block's first row */
};

#define COL(ev, s) ((ev)->vals + (size_t)(s) * BLK)

static int
ev_oom(struct ev *ev)
{
	return AUD_ERROR(ev->err, AUD_ENOMEM, "out of memory");
}

/* The id of a string: a pool id when the pool has it, else a new dynamic string. */
static int
mkstr(struct ev *ev, const char *s, size_t len, double *out)
{
	int32_t id = aud__pm_pool_find(&ev->d->pool, s, len);
	char *c;

	if (id >= 0) {
		*out = id;
		return 0;
	}
	if (ev->ndyn == ev->capdyn) {
		size_t nc = ev->capdyn ? ev->capdyn * 2 : 64;
		char **nd = realloc(ev->dyn, nc * sizeof(*nd));
		if (nd == NULL)
			return ev_oom(ev);
		ev->dyn = nd;
		ev->capdyn = nc;
	}
	c = malloc(len + 1);
	if (c == NULL)
		return ev_oom(ev);
	memcpy(c, s, len);
	c[len] = '\0';
	ev->dyn[ev->ndyn] = c;
	*out = -(double)(++ev->ndyn);
	return 0;
}

static void
fmt_num(char buf[32], double x)
{
	if (x == floor(x) && fabs(x) < 1e15) {
		snprintf(buf, 32, "%.0f", x);
		if (strcmp(buf, "-0") == 0)
			strcpy(buf, "0");
		return;
	}
	snprintf(buf, 32, "%.15g", x);
	if (strtod(buf, NULL) != x)
		snprintf(buf, 32, "%.17g", x);
}

/* Text of a value of the given type; numbers are formatted into buf. */
static const char *
vtext(const struct ev *ev, uint8_t type, double v, char buf[32])
{
	if (isnan(v))
		return NULL;
	if (PT_IS_STR(type)) {
		if (v >= 0)
			return ev->d->pool.s[(int32_t)v];
		return ev->dyn[(size_t)(-v) - 1];
	}
	if (type == PT_BOOLEAN)
		return v != 0 ? "true" : "false";
	fmt_num(buf, v);
	return buf;
}

static int
parse_num(const char *s, size_t len, double *out)
{
	char buf[64], *end;

	while (len > 0 && isspace((unsigned char)*s))
		s++, len--;
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*out = strtod(buf, &end);
	return *end == '\0' ? 0 : -1;
}

/* Convert an input text to a value of type t. @return 0, 1 unparseable, <0 error */
static int
conv_text(struct ev *ev, uint8_t t, const char *s, size_t len, double *out)
{
	if (PT_IS_STR(t))
		return mkstr(ev, s, len, out);
	if (t == PT_BOOLEAN) {
		if ((len == 4 && strncasecmp(s, "true", 4) == 0) || (len == 1 && s[0] == '1'))
			*out = 1;
		else if ((len == 5 && strncasecmp(s, "false", 5) == 0) || (len == 1 && s[0] == '0'))
			*out = 0;
		else
			return 1;
		return 0;
	}
	if (parse_num(s, len, out) < 0)
		return 1;
	if (t == PT_FLOAT)
		*out = (double)(float)*out;
	return 0;
}

/* Equality of two values of possibly different types. */
static int
veq(const struct ev *ev, uint8_t ta, double a, uint8_t tb, double b)
{
	char b1[32], b2[32];
	const char *sa, *sb;

	if (PT_IS_STR(ta) == PT_IS_STR(tb)) {
		if (a == b)
			return 1;
		if (!PT_IS_STR(ta) || (a >= 0 && b >= 0))
			return 0;
	}
	sa = vtext(ev, ta, a, b1);
	sb = vtext(ev, tb, b, b2);
	return sa != NULL && sb != NULL && strcmp(sa, sb) == 0;
}

/* ---- schema treatment ---- */

static int
in_set(const double *set, size_t n, double v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (set[i] == v)
			return 1;
	return 0;
}

static int
df_valid(const struct pm_datafield *f, double v)
{
	size_t i;

	if (f->ninvalid > 0 && in_set(f->invalid, f->ninvalid, v))
		return 0;
	if (f->nvalid > 0)
		return in_set(f->valid, f->nvalid, v);
	if (f->nint > 0) {
		for (i = 0; i < f->nint; i++) {
			const struct pm_interval *iv = &f->intervals[i];
			if ((v > iv->lo || (iv->lo_closed && v == iv->lo)) &&
			    (v < iv->hi || (iv->hi_closed && v == iv->hi)))
				return 1;
		}
		return 0;
	}
	return 1;
}

static int
run_treat(struct ev *ev, const struct pm_treat *t)
{
	const double *src = COL(ev, t->src);
	double *dst = COL(ev, t->dst);
	const struct pm_datafield *f = t->df >= 0 ? &ev->d->dfs[t->df] : NULL;
	size_t r;

	for (r = 0; r < ev->n; r++) {
		double v = src[r];
		if (!isnan(v) && f != NULL && f->nmissing > 0 && in_set(f->missing, f->nmissing, v))
			v = NAN;
		if (!isnan(v) && t->check && f != NULL && !df_valid(f, v)) {
			switch (t->invalid) {
			case INV_RETURN: {
				char buf[32];
				const char *s = vtext(ev, t->type, v, buf);
				return AUD_ERROR(ev->err, AUD_EPARSE,
				    "row %llu: invalid value '%s' for field '%s' (the model's invalidValueTreatment is returnInvalid)",
				    (unsigned long long)(ev->row0 + r + 1), s ? s : "", t->name);
			}
			case INV_ASIS:
				break;
			case INV_MISSING:
				v = NAN;
				break;
			default:
				v = t->repl_invalid;
				break;
			}
		}
		if (!isnan(v) && t->outliers != OUTL_ASIS && (v < t->low || v > t->high)) {
			if (t->outliers == OUTL_MISSING)
				v = NAN;
			else
				v = v < t->low ? t->low : t->high;
		}
		if (isnan(v))
			v = t->repl_missing;
		dst[r] = v;
	}
	return 0;
}

/* ---- expressions ---- */

static double
median_of(double *v, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		double x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	if (n % 2 == 1)
		return v[n / 2];
	return (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double
phi(double x)
{
	return 0.5 * erfc(-x / sqrt(2.0));
}

/* Acklam's inverse normal with one Newton step (relative error ~1e-15). */
static double
phi_inv(double p)
{
	static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01,
		2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00,
		2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
		2.445134137142996e+00, 3.754408661907416e+00 };
	double q, r, x, e;

	if (!(p > 0 && p < 1))
		return p == 0 ? -INFINITY : p == 1 ? INFINITY : NAN;
	if (p < 0.02425) {
		q = sqrt(-2 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else if (p > 1 - 0.02425) {
		q = sqrt(-2 * log(1 - p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else {
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
		    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	}
	e = phi(x) - p;
	x = x - e * sqrt(2 * M_PI) * exp(x * x / 2);
	return x;
}

static int eval_expr(struct ev *ev, int32_t ei, double *out);

static int
str_fn(struct ev *ev, const struct pm_expr *e, double **av, const uint8_t *at, size_t r,
    double *out)
{
	char b0[32], b1[32], b2[32];
	const char *s = vtext(ev, at[0], av[0][r], b0);
	char *buf = NULL;
	size_t len, i;
	int rc = 0;

	if (s == NULL) {
		*out = NAN;
		return 0;
	}
	len = strlen(s);
	switch (e->fn) {
	case F_UPPER:
	case F_LOWER:
		buf = malloc(len + 1);
		if (buf == NULL)
			return ev_oom(ev);
		for (i = 0; i < len; i++)
			buf[i] = (char)(e->fn == F_UPPER ? toupper((unsigned char)s[i]) :
			    tolower((unsigned char)s[i]));
		rc = mkstr(ev, buf, len, out);
		break;
	case F_TRIM: {
		size_t a = 0, z = len;
		while (a < z && isspace((unsigned char)s[a]))
			a++;
		while (z > a && isspace((unsigned char)s[z - 1]))
			z--;
		rc = mkstr(ev, s + a, z - a, out);
		break;
	}
	case F_SUBSTR: {
		double st = av[1][r], ln = av[2][r];
		size_t a, l;
		if (isnan(st) || isnan(ln) || st < 1 || ln < 0) {
			*out = NAN;
			break;
		}
		a = (size_t)st - 1;
		if (a > len)
			a = len;
		l = (size_t)ln;
		if (l > len - a)
			l = len - a;
		rc = mkstr(ev, s + a, l, out);
		break;
	}
	case F_CONCAT: {
		size_t total = 0, k, off = 0;
		for (k = 0; k < (size_t)e->nargs; k++) {
			const char *t = vtext(ev, at[k], av[k][r], b1);
			total += t != NULL ? strlen(t) : 0;
		}
		buf = malloc(total + 1);
		if (buf == NULL)
			return ev_oom(ev);
		for (k = 0; k < (size_t)e->nargs; k++) {
			const char *t = vtext(ev, at[k], av[k][r], b1);
			if (t != NULL) {
				memcpy(buf + off, t, strlen(t));
				off += strlen(t);
			}
		}
		rc = mkstr(ev, buf, off, out);
		break;
	}
	case F_REPLACE:
	case F_MATCHES: {
		const char *pat = vtext(ev, at[1], av[1][r], b1);
		regex_t re;
		regmatch_t mt;
		if (pat == NULL) {
			*out = NAN;
			break;
		}
		if (regcomp(&re, pat, REG_EXTENDED | (e->fn == F_MATCHES ? REG_NOSUB : 0)) != 0) {
			*out = NAN;
			break;
		}
		if (e->fn == F_MATCHES) {
			*out = regexec(&re, s, 0, NULL, 0) == 0;
		} else {
			const char *rep = vtext(ev, at[2], av[2][r], b2);
			size_t cap = len * 2 + 64, off = 0, rl = rep ? strlen(rep) : 0;
			const char *p = s;
			buf = malloc(cap);
			while (buf != NULL && regexec(&re, p, 1, &mt, p == s ? 0 : REG_NOTBOL) == 0) {
				size_t pre = (size_t)mt.rm_so;
				if (off + pre + rl + 1 > cap) {
					char *nb;
					cap = (off + pre + rl + 1) * 2;
					nb = realloc(buf, cap);
					if (nb == NULL) {
						free(buf);
						buf = NULL;
						break;
					}
					buf = nb;
				}
				memcpy(buf + off, p, pre);
				off += pre;
				if (rl > 0)
					memcpy(buf + off, rep, rl);
				off += rl;
				if (mt.rm_eo == mt.rm_so) {
					if (p[mt.rm_eo] == '\0') {
						p += mt.rm_eo;
						break;
					}
					buf[off++] = p[mt.rm_eo];
					p += mt.rm_eo + 1;
				} else {
					p += mt.rm_eo;
				}
			}
			if (buf != NULL) {
				size_t rest = strlen(p);
				char *nb = realloc(buf, off + rest + 1);
				if (nb != NULL) {
					buf = nb;
					memcpy(buf + off, p, rest);
					off += rest;
					rc = mkstr(ev, buf, off, out);
				} else {
					rc = ev_oom(ev);
				}
			} else {
				rc = ev_oom(ev);
			}
		}
		regfree(&re);
		break;
	}
	case F_FORMATNUMBER: {
		/* PMML: printf-style pattern applied to a number */
		const char *pat = vtext(ev, at[1], av[1][r], b1);
		double x = av[0][r];
		char tmp[128];
		const char *p;
		int conv = 0;
		if (pat == NULL || isnan(x) || PT_IS_STR(at[0])) {
			*out = NAN;
			break;
		}
		for (p = pat; *p != '\0'; p++)
			if (*p == '%') {
				if (p[1] == '%') {
					p++;
					continue;
				}
				conv++;
			}
		if (conv == 0) {
			rc = mkstr(ev, pat, strlen(pat), out);
			break;
		}
		{
			/* one conversion of a whitelisted form: %[flags][width][.prec](d|i|f|e|g|x|s) */
			const char *q = strchr(pat, '%');
			const char *z = q + 1;
			while (*z != '\0' && strchr("-+ 0#", *z) != NULL)
				z++;
			while (isdigit((unsigned char)*z) || *z == '.')
				z++;
			if (conv != 1 || *z == '\0' || strchr("difeEgGxXs", *z) == NULL ||
			    strlen(pat) > 64) {
				*out = NAN;
				break;
			}
			{
				char fmtbuf[80];
				memcpy(fmtbuf, pat, (size_t)(z - pat));
				if (*z == 'd' || *z == 'i' || *z == 'x' || *z == 'X') {
					fmtbuf[z - pat] = 'l';
					fmtbuf[z - pat + 1] = 'l';
					fmtbuf[z - pat + 2] = *z;
					strcpy(fmtbuf + (z - pat) + 3, z + 1);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
					snprintf(tmp, sizeof(tmp), fmtbuf, (long long)x);
				} else if (*z == 's') {
					char nb[32];
					fmt_num(nb, x);
					strcpy(fmtbuf + (z - pat), "s");
					strcat(fmtbuf, z + 1);
					snprintf(tmp, sizeof(tmp), fmtbuf, nb);
				} else {
					strcpy(fmtbuf + (z - pat), z);
					snprintf(tmp, sizeof(tmp), fmtbuf, x);
#pragma GCC diagnostic pop
				}
			}
			rc = mkstr(ev, tmp, strlen(tmp), out);
		}
		break;
	}
	case F_STRLEN:
		*out = (double)len;
		break;
	default:
		*out = NAN;
		break;
	}
	free(buf);
	return rc;
}

static int
eval_apply(struct ev *ev, const struct pm_expr *e, double *out)
{
	const struct pm_doc *d = ev->d;
	double *av[64];
	uint8_t at[64];
	size_t na = (size_t)e->nargs, k, r;
	int rc = 0;
	struct amark mk = amark(&ev->ar);

	for (k = 0; k < na; k++) {
		av[k] = aalloc(&ev->ar, ev->n);
		if (av[k] == NULL) {
			rc = ev_oom(ev);
			goto done;
		}
		at[k] = d->exprs[d->args[e->a0 + (int32_t)k]].type;
		rc = eval_expr(ev, d->args[e->a0 + (int32_t)k], av[k]);
		if (rc < 0)
			goto done;
	}
	for (r = 0; r < ev->n; r++) {
		double v = NAN, x = av[0][r], y = na > 1 ? av[1][r] : NAN;
		int miss = 0;
		for (k = 0; k < na; k++)
			if (isnan(av[k][r]))
				miss = 1;
		switch (e->fn) {
		case F_ISMISSING: v = isnan(x); miss = 0; break;
		case F_ISNOTMISSING: v = !isnan(x); miss = 0; break;
		case F_ISVALID: v = !isnan(x); miss = 0; break;
		case F_ISINVALID: v = 0; miss = 0; break;
		case F_IF:
			if (isnan(x)) { v = NAN; miss = 1; break; }
			v = x != 0 ? y : (na > 2 ? av[2][r] : NAN);
			miss = isnan(v);
			break;
		case F_AND: {
			int anym = 0, anyf = 0;
			for (k = 0; k < na; k++) {
				if (isnan(av[k][r])) anym = 1;
				else if (av[k][r] == 0) anyf = 1;
			}
			v = anyf ? 0 : anym ? NAN : 1;
			miss = isnan(v);
			break;
		}
		case F_OR: {
			int anym = 0, anyt = 0;
			for (k = 0; k < na; k++) {
				if (isnan(av[k][r])) anym = 1;
				else if (av[k][r] != 0) anyt = 1;
			}
			v = anyt ? 1 : anym ? NAN : 0;
			miss = isnan(v);
			break;
		}
		default:
			break;
		}
		if (miss && e->fn != F_IF && e->fn != F_AND && e->fn != F_OR) {
			out[r] = e->has_mm ? e->mm : NAN;
			continue;
		}
		switch (e->fn) {
		case F_ADD: v = x + y; break;
		case F_SUB: v = x - y; break;
		case F_MUL: v = x * y; break;
		case F_DIV: v = y != 0 ? x / y : NAN; break;
		case F_MIN: case F_MAX: case F_SUM: case F_AVG: case F_PRODUCT: {
			v = e->fn == F_PRODUCT ? 1 : e->fn == F_MIN ? INFINITY : e->fn == F_MAX ? -INFINITY : 0;
			for (k = 0; k < na; k++) {
				double a = av[k][r];
				if (e->fn == F_MIN) v = a < v ? a : v;
				else if (e->fn == F_MAX) v = a > v ? a : v;
				else if (e->fn == F_PRODUCT) v *= a;
				else v += a;
			}
			if (e->fn == F_AVG)
				v /= (double)na;
			break;
		}
		case F_MEDIAN: {
			double tmp[64];
			for (k = 0; k < na; k++)
				tmp[k] = av[k][r];
			v = median_of(tmp, na);
			break;
		}
		case F_LOG10: v = x > 0 ? log10(x) : NAN; break;
		case F_LN: v = x > 0 ? log(x) : NAN; break;
		case F_SQRT: v = x >= 0 ? sqrt(x) : NAN; break;
		case F_ABS: v = fabs(x); break;
		case F_EXP: v = exp(x); break;
		case F_POW: v = pow(x, y); break;
		case F_THRESHOLD: v = x > y ? 1 : 0; break;
		case F_FLOOR: v = floor(x); break;
		case F_CEIL: v = ceil(x); break;
		case F_ROUND: v = floor(x + 0.5); break;
		case F_RINT: v = nearbyint(x); break;
		case F_MODULO: v = y != 0 ? x - floor(x / y) * y : NAN; break;
		case F_EQ: v = veq(ev, at[0], x, at[1], y); break;
		case F_NE: v = !veq(ev, at[0], x, at[1], y); break;
		case F_LT: case F_LE: case F_GT: case F_GE:
			if (PT_IS_STR(at[0]) || PT_IS_STR(at[1])) {
				char b1[32], b2[32];
				const char *s1 = vtext(ev, at[0], x, b1), *s2 = vtext(ev, at[1], y, b2);
				int cmp = strcmp(s1, s2);
				v = e->fn == F_LT ? cmp < 0 : e->fn == F_LE ? cmp <= 0 :
				    e->fn == F_GT ? cmp > 0 : cmp >= 0;
			} else {
				v = e->fn == F_LT ? x < y : e->fn == F_LE ? x <= y :
				    e->fn == F_GT ? x > y : x >= y;
			}
			break;
		case F_NOT: v = x == 0; break;
		case F_ISIN: case F_ISNOTIN: {
			int found = 0;
			for (k = 1; k < na; k++)
				if (veq(ev, at[0], x, at[k], av[k][r]))
					found = 1;
			v = e->fn == F_ISIN ? found : !found;
			break;
		}
		case F_IF: case F_AND: case F_OR:
		case F_ISMISSING: case F_ISNOTMISSING: case F_ISVALID: case F_ISINVALID:
			break;
		case F_EXPM1: v = expm1(x); break;
		case F_LOG1P: v = x > -1 ? log1p(x) : NAN; break;
		case F_SIN: v = sin(x); break;
		case F_COS: v = cos(x); break;
		case F_TAN: v = tan(x); break;
		case F_ATAN: v = atan(x); break;
		case F_ASIN: v = asin(x); break;
		case F_ACOS: v = acos(x); break;
		case F_SINH: v = sinh(x); break;
		case F_COSH: v = cosh(x); break;
		case F_TANH: v = tanh(x); break;
		case F_HYPOT: v = hypot(x, y); break;
		case F_LOGIT: v = x > 0 && x < 1 ? log(x / (1 - x)) : NAN; break;
		case F_SIGMOID: v = 1 / (1 + exp(-x)); break;
		case F_ERF: v = erf(x); break;
		case F_NORMALCDF: v = av[2][r] > 0 ? phi((x - y) / av[2][r]) : NAN; break;
		case F_NORMALPDF: {
			double s = av[2][r], z = (x - y) / s;
			v = s > 0 ? exp(-z * z / 2) / (s * sqrt(2 * M_PI)) : NAN;
			break;
		}
		case F_NORMALIDF: v = av[2][r] > 0 ? y + av[2][r] * phi_inv(x) : NAN; break;
		case F_STDNORMALCDF: v = phi(x); break;
		case F_STDNORMALPDF: v = exp(-x * x / 2) / sqrt(2 * M_PI); break;
		case F_STDNORMALIDF: v = phi_inv(x); break;
		default:
			rc = str_fn(ev, e, av, at, r, &v);
			if (rc < 0)
				goto done;
			break;
		}
		if (!PT_IS_STR(e->type) && !isfinite(v) && !isnan(v) && e->fn != F_MIN &&
		    e->fn != F_MAX)
			v = NAN;
		if (isnan(v) && e->has_dv)
			v = e->dv;
		if (e->type == PT_FLOAT && !isnan(v))
			v = (double)(float)v;
		out[r] = v;
	}
done:
	arelease(&ev->ar, mk);
	return rc;
}

static int
eval_expr(struct ev *ev, int32_t ei, double *out)
{
	const struct pm_doc *d = ev->d;
	const struct pm_expr *e = &d->exprs[ei];
	size_t r, n = ev->n, k;
	double *a = NULL;
	uint8_t atype = 0;
	struct amark mk = amark(&ev->ar);
	int rc = 0;

	switch (e->kind) {
	case E_CONST:
		for (r = 0; r < n; r++)
			out[r] = e->c;
		return 0;
	case E_FIELD: {
		const double *s = COL(ev, e->slot);
		if (e->has_mm)
			for (r = 0; r < n; r++)
				out[r] = isnan(s[r]) ? e->mm : s[r];
		else
			memcpy(out, s, n * sizeof(*out));
		return 0;
	}
	case E_APPLY:
		return eval_apply(ev, e, out);
	default:
		break;
	}
	/* single-operand kinds: evaluate the operand first */
	if (e->nargs >= 1) {
		a = aalloc(&ev->ar, n);
		if (a == NULL)
			return ev_oom(ev);
		atype = d->exprs[d->args[e->a0]].type;
		rc = eval_expr(ev, d->args[e->a0], a);
		if (rc < 0)
			goto done;
	}
	switch (e->kind) {
	case E_CAST:
		for (r = 0; r < n; r++) {
			double v = a[r];
			if (isnan(v)) {
				out[r] = e->has_mm ? e->mm : NAN;
				continue;
			}
			if (PT_IS_STR(e->type) && !PT_IS_STR(atype)) {
				char buf[32];
				rc = mkstr(ev, vtext(ev, atype, v, buf), strlen(vtext(ev, atype, v, buf)), &v);
				if (rc < 0)
					goto done;
			} else if (!PT_IS_STR(e->type) && PT_IS_STR(atype)) {
				char buf[32];
				const char *s = vtext(ev, atype, v, buf);
				if (conv_text(ev, e->type, s, strlen(s), &v) != 0)
					v = NAN;
			} else if (e->type == PT_FLOAT) {
				v = (double)(float)v;
			} else if (e->type == PT_INTEGER) {
				v = trunc(v);
			}
			out[r] = v;
		}
		break;
	case E_NORMCONT: {
		const double *p = d->dbl + e->d0;
		size_t np = (size_t)e->dn;
		for (r = 0; r < n; r++) {
			double x = a[r], v;
			size_t i;
			if (isnan(x)) {
				out[r] = e->has_mm ? e->mm : NAN;
				continue;
			}
			if (x < p[0] || x > p[2 * (np - 1)]) {
				if (e->aux == OUTL_MISSING) {
					out[r] = NAN;
					continue;
				}
				if (e->aux == OUTL_EXTREME) {
					out[r] = x < p[0] ? p[1] : p[2 * np - 1];
					continue;
				}
			}
			for (i = 0; i + 2 < np && x > p[2 * (i + 1)]; i++)
				;
			v = p[2 * i + 1] + (x - p[2 * i]) / (p[2 * i + 2] - p[2 * i]) *
			    (p[2 * i + 3] - p[2 * i + 1]);
			out[r] = e->type == PT_FLOAT ? (double)(float)v : v;
		}
		break;
	}
	case E_NORMDISC:
		for (r = 0; r < n; r++) {
			if (isnan(a[r]))
				out[r] = e->has_mm ? e->mm : NAN;
			else
				out[r] = veq(ev, atype, a[r], atype, e->c) ? 1 : 0;
		}
		break;
	case E_DISCRETIZE: {
		const double *b = d->dbl + e->d0;
		for (r = 0; r < n; r++) {
			double x = a[r], v = e->has_dv ? e->dv : NAN;
			int32_t i;
			if (isnan(x)) {
				out[r] = e->has_mm ? e->mm : NAN;
				continue;
			}
			for (i = 0; i < e->dn; i++) {
				const double *q = b + 5 * i;
				if ((x > q[0] || (q[2] != 0 && x == q[0])) &&
				    (x < q[1] || (q[3] != 0 && x == q[1]))) {
					v = q[4];
					break;
				}
			}
			out[r] = v;
		}
		break;
	}
	case E_MAPVALUES: {
		size_t nk = (size_t)e->aux;
		double *keys[16];
		uint8_t kt[16];
		const double *tab = d->dbl + e->d0;
		keys[0] = a;
		kt[0] = atype;
		for (k = 1; k < nk; k++) {
			keys[k] = aalloc(&ev->ar, n);
			if (keys[k] == NULL) {
				rc = ev_oom(ev);
				goto done;
			}
			kt[k] = d->exprs[d->args[e->a0 + (int32_t)k]].type;
			rc = eval_expr(ev, d->args[e->a0 + (int32_t)k], keys[k]);
			if (rc < 0)
				goto done;
		}
		for (r = 0; r < n; r++) {
			double v = e->has_dv ? e->dv : NAN;
			int32_t i;
			int miss = 0;
			for (k = 0; k < nk; k++)
				if (isnan(keys[k][r]))
					miss = 1;
			if (miss) {
				out[r] = e->has_mm ? e->mm : NAN;
				continue;
			}
			for (i = 0; i < e->dn; i++) {
				const double *row = tab + (size_t)i * (nk + 1);
				for (k = 0; k < nk; k++)
					if (!veq(ev, kt[k], keys[k][r], kt[k], row[k]))
						break;
				if (k == nk) {
					v = row[nk];
					break;
				}
			}
			out[r] = v;
		}
		break;
	}
	default:
		rc = AUD_ERROR(ev->err, AUD_EINTERNAL, "bad expression kind %d", e->kind);
		break;
	}
done:
	arelease(&ev->ar, mk);
	return rc;
}

/* ---- trees ---- */

int
aud__pm_test(const struct pm_tree *t, const struct pm_tnode *n, double x)
{
	uint16_t i;
	const double *s;

	switch (n->op) {
	case OP_LE: return x != x ? 2 : x <= n->t ? 0 : 1;
	case OP_LT: return x != x ? 2 : x < n->t ? 0 : 1;
	case OP_GT: return x != x ? 2 : x > n->t ? 0 : 1;
	case OP_GE: return x != x ? 2 : x >= n->t ? 0 : 1;
	case OP_EQ: return x != x ? 2 : x == n->t ? 0 : 1;
	case OP_NE: return x != x ? 2 : x != n->t ? 0 : 1;
	case OP_ISMISSING: return x != x ? 0 : 1;
	case OP_NOTMISSING: return x != x ? 1 : 0;
	case OP_IN:
	case OP_NOTIN:
		if (x != x)
			return 2;
		s = t->set + (size_t)n->t;
		for (i = 0; i < n->nset; i++)
			if (s[i] == x)
				return n->op == OP_IN ? 0 : 1;
		return n->op == OP_IN ? 1 : 0;
	case OP_INBITS:
	case OP_NOTINBITS: {
		int in;
		if (x != x)
			return 2;
		in = x >= 0 && x < (double)t->nbits &&
		    (t->bits[(size_t)n->t + (size_t)x / 64] >> ((size_t)x % 64) & 1);
		return n->op == OP_INBITS ? !in : in;
	}
	case OP_TRUE: return 0;
	default: return 1;
	}
}

/* Which way a test sends x: 0 true, 1 false, 2 unknown (branch-free for the common ops). */
static inline int
test_fast(const struct pm_tree *t, const struct pm_tnode *n, double x)
{
	int k;

	switch (n->op) {
	case OP_LE: k = !(x <= n->t); break;
	case OP_LT: k = !(x < n->t); break;
	case OP_GT: k = !(x > n->t); break;
	case OP_GE: k = !(x >= n->t); break;
	case OP_EQ: k = !(x == n->t); break;
	case OP_INBITS:
		k = !(x >= 0 && x < (double)t->nbits &&
		    (t->bits[(size_t)n->t + (size_t)x / 64] >> ((size_t)x % 64) & 1));
		break;
	default: return aud__pm_test(t, n, x);
	}
	return x != x ? 2 : k;
}

/*
 * Leaves reached by rows [r0, r0 + n) (n <= WALK, or n <= BLK for a tree of
 * fast form, pmml_fast.c): the rows walk the tree
 * together, so that the loads of one row overlap with the work of the others
 * (32 rows measured about 20% faster than 8 on 100 trees of depth 8).
 */
#define WALK 32

static inline void
tree_walk_n(const struct pm_tree *t, const double *vals, size_t r0, size_t n, int32_t *leaf)
{
	int32_t e[WALK];
	size_t k, live = n;

	if (t->fast != NULL) {
		aud__pm_fast_walk(t, vals, r0, n, leaf);
		return;
	}
	for (k = 0; k < n; k++)
		e[k] = t->root;
	if (t->root < 0) {
		for (k = 0; k < n; k++)
			leaf[k] = ~t->root;
		return;
	}
	if (t->all_le) {
		/* the usual case (scikit-learn, R): every test is x <= t */
		while (live > 0) {
			live = 0;
			for (k = 0; k < n; k++) {
				/* branch-free: a row already at a leaf reads node 0 and stays */
				int32_t ek = e[k], nx;
				const struct pm_tnode *nd = &t->tests[ek < 0 ? 0 : ek];
				double x = vals[(size_t)nd->slot * BLK + r0 + k];
				nx = nd->next[x != x ? 2 : !(x <= nd->t)];
				e[k] = ek < 0 ? ek : nx;
				live += e[k] >= 0;
			}
		}
	}
	while (live > 0) {
		live = 0;
		for (k = 0; k < n; k++) {
			const struct pm_tnode *nd;
			if (e[k] < 0)
				continue;
			nd = &t->tests[e[k]];
			e[k] = nd->next[test_fast(t, nd, vals[(size_t)nd->slot * BLK + r0 + k])];
			live += e[k] >= 0;
		}
	}
	for (k = 0; k < n; k++)
		leaf[k] = ~e[k];
}

/* Leaf index reached by row r. */
static inline int32_t
tree_walk(const struct pm_tree *t, const double *vals, size_t r)
{
	int32_t leaf;

	tree_walk_n(t, vals, r, 1, &leaf);
	return leaf;
}

/* ---- model results ---- */

struct res {
	double *val;    /* regression value, or label pool id; NAN missing */
	double *prob;   /* n * ncat (classification) */
	double *mar;    /* margin */
};

static int
res_alloc(struct ev *ev, struct res *r, int classification)
{
	size_t nc = classification ? ev->d->ncat : 0;

	r->val = aalloc(&ev->ar, ev->n);
	r->mar = aalloc(&ev->ar, ev->n);
	r->prob = nc > 0 ? aalloc(&ev->ar, ev->n * nc) : NULL;
	if (r->val == NULL || r->mar == NULL || (nc > 0 && r->prob == NULL))
		return ev_oom(ev);
	return 0;
}

static int32_t
cat_of(const struct pm_doc *d, double label)
{
	size_t i;

	if (isnan(label))
		return -1;
	for (i = 0; i < d->ncat; i++)
		if (d->cats[i] == label)
			return (int32_t)i;
	return -1;
}

/* label = the category of highest probability (first on ties); NAN when missing. */
static void
argmax_label(const struct pm_doc *d, const double *p, double *label)
{
	size_t i, best = 0;

	if (isnan(p[0])) {
		*label = NAN;
		return;
	}
	for (i = 1; i < d->ncat; i++)
		if (p[i] > p[best])
			best = i;
	*label = d->cats[best];
}

static double
inv_link(uint8_t link, double eta, double lp)
{
	switch (link) {
	case N_IDENTITY: case N_NONE: return eta;
	case N_LOG: case N_EXP: return exp(eta);
	case N_LOGIT: return 1 / (1 + exp(-eta));
	case N_PROBIT: return phi(eta);
	case N_CLOGLOG: return 1 - exp(-exp(eta));
	case N_LOGLOG: return exp(-exp(-eta));
	case N_CAUCHIT: return 0.5 + atan(eta) / M_PI;
	case N_POWER: return lp == 0 ? exp(eta) : pow(eta, 1 / lp);
	case N_ODDSPOWER: return lp == 0 ? 1 / (1 + exp(-eta)) : 1 / (1 + pow(1 + lp * eta, -1 / lp));
	default: return NAN;
	}
}

static int
symmetric(uint8_t link)
{
	return link == N_LOGIT || link == N_PROBIT || link == N_CAUCHIT;
}

/* Linear predictors of every table: y[t * n + r]. */
static void
linear(struct ev *ev, const struct pm_model *m, double *y)
{
	size_t t, r, n = ev->n;

	for (t = 0; t < m->ntables; t++) {
		const struct pm_rtable *tb = &m->tables[t];
		double *yt = y + t * n;
		int32_t i, j;
		for (r = 0; r < n; r++)
			yt[r] = 0;
		for (i = 0; i < tb->tn; i++) {
			const struct pm_term *tm = &m->terms[tb->t0 + i];
			for (r = 0; r < n; r++) {
				double v = tm->coef;
				for (j = 0; j < tm->fn; j++) {
					const struct pm_factor *f = &m->fac[tm->f0 + j];
					double x = COL(ev, f->slot)[r];
					if (isnan(x)) {
						v = NAN;
						break;
					}
					if (f->kind == 1)
						v *= x == f->v ? 1 : 0;
					else if (f->v == 1)
						v *= x;
					else
						v *= pow(x, f->v);
				}
				if (m->fctx)
					yt[r] = (double)((float)yt[r] + (float)v);
				else
					yt[r] += v;
			}
		}
		for (r = 0; r < n; r++) {
			if (m->fctx)
				yt[r] = (double)((float)yt[r] + (float)tb->intercept);
			else
				yt[r] += tb->intercept;
		}
	}
}

static int
eval_regression(struct ev *ev, const struct pm_model *m, struct res *res)
{
	const struct pm_doc *d = ev->d;
	size_t n = ev->n, nc = d->ncat, r, t, i;
	double *y = aalloc(&ev->ar, n * m->ntables);

	if (y == NULL)
		return ev_oom(ev);
	linear(ev, m, y);
	if (!m->classification) {
		for (r = 0; r < n; r++) {
			double v = y[r];
			res->mar[r] = v;
			if (m->norm == N_SOFTMAX || m->norm == N_LOGIT)
				v = 1 / (1 + exp(-v));
			else if (m->norm != N_NONE)
				v = inv_link(m->norm, v, 0);
			res->val[r] = m->fctx ? (double)(float)v : v;
		}
		return 0;
	}
	for (r = 0; r < n; r++) {
		double *p = res->prob + r * nc;
		int miss = 0;
		for (i = 0; i < nc; i++)
			p[i] = 0;
		for (t = 0; t < m->ntables; t++)
			if (isnan(y[t * n + r]))
				miss = 1;
		res->mar[r] = NAN;
		if (miss) {
			for (i = 0; i < nc; i++)
				p[i] = NAN;
			res->val[r] = NAN;
			continue;
		}
		switch (m->norm) {
		case N_SOFTMAX: {
			double mx = -INFINITY, s = 0;
			for (t = 0; t < m->ntables; t++)
				mx = y[t * n + r] > mx ? y[t * n + r] : mx;
			for (t = 0; t < m->ntables; t++)
				s += exp(y[t * n + r] - mx);
			for (t = 0; t < m->ntables; t++)
				p[m->tables[t].cat] = exp(y[t * n + r] - mx) / s;
			if (m->ntables == 2) {
				double dlt = y[r] - y[n + r];
				res->mar[r] = m->tables[0].cat == d->positive ? dlt : -dlt;
			}
			break;
		}
		case N_SIMPLEMAX: {
			double s = 0;
			for (t = 0; t < m->ntables; t++)
				s += y[t * n + r];
			for (t = 0; t < m->ntables; t++)
				p[m->tables[t].cat] = y[t * n + r] / s;
			break;
		}
		case N_EXP:
			for (t = 0; t < m->ntables; t++)
				p[m->tables[t].cat] = exp(y[t * n + r]);
			break;
		default: {
			/* none, logit, probit, cloglog, loglog, cauchit: all tables but the
			 * last are transformed; the last gets 1 - their sum */
			double s = 0;
			for (t = 0; t + 1 < m->ntables; t++) {
				double v;
				if (m->fctx && m->norm == N_LOGIT)
					v = (double)(1.0f / (1.0f + expf(-(float)y[t * n + r])));
				else
					v = inv_link(m->norm == N_NONE ? N_IDENTITY : m->norm, y[t * n + r], 0);
				if (m->fctx)
					v = (double)(float)v;
				p[m->tables[t].cat] = v;
				s += v;
			}
			if (m->ntables >= 2) {
				double v = m->fctx ? (double)(1.0f - (float)s) : 1 - s;
				p[m->tables[m->ntables - 1].cat] = v;
			} else {
				double v = inv_link(m->norm == N_NONE ? N_IDENTITY : m->norm, y[r], 0);
				p[m->tables[0].cat] = v;
			}
			if (m->ntables == 2 && nc == 2) {
				double eta = y[r];
				if (m->tables[0].cat == d->positive)
					res->mar[r] = eta;
				else
					res->mar[r] = symmetric(m->norm) ? -eta : eta;
			}
			break;
		}
		}
		argmax_label(d, p, &res->val[r]);
	}
	return 0;
}

static int
eval_genreg(struct ev *ev, const struct pm_model *m, struct res *res)
{
	const struct pm_doc *d = ev->d;
	size_t n = ev->n, nc = d->ncat, r, t, i;
	double *y = aalloc(&ev->ar, n * (m->ntables ? m->ntables : 1));

	if (y == NULL)
		return ev_oom(ev);
	linear(ev, m, y);
	for (t = 0; t < m->ntables; t++)
		for (r = 0; r < n; r++) {
			double off = m->offset_value;
			if (m->offset_slot >= 0)
				off += COL(ev, m->offset_slot)[r];
			if (off != 0)
				y[t * n + r] += off;
		}
	if (!m->classification) {
		for (r = 0; r < n; r++) {
			res->mar[r] = y[r];
			res->val[r] = inv_link(m->norm, y[r], m->link_param);
		}
		return 0;
	}
	for (r = 0; r < n; r++) {
		double *p = res->prob + r * nc;
		int miss = 0;
		for (t = 0; t < m->ntables; t++)
			if (isnan(y[t * n + r]))
				miss = 1;
		res->mar[r] = NAN;
		if (miss) {
			for (i = 0; i < nc; i++)
				p[i] = NAN;
			res->val[r] = NAN;
			continue;
		}
		for (i = 0; i < nc; i++)
			p[i] = 0;
		if (m->glm_type == 1) {
			double eta = y[r], v = inv_link(m->norm, eta, m->link_param);
			p[m->tables[0].cat] = v;
			p[m->ref_cat] = 1 - v;
			res->mar[r] = m->tables[0].cat == d->positive ? eta :
			    symmetric(m->norm) ? -eta : eta;
		} else {
			double s = 1;
			for (t = 0; t < m->ntables; t++)
				s += exp(y[t * n + r]);
			for (t = 0; t < m->ntables; t++)
				p[m->tables[t].cat] = exp(y[t * n + r]) / s;
			if (m->ref_cat >= 0)
				p[m->ref_cat] = 1 / s;
			if (nc == 2 && m->ntables == 1)
				res->mar[r] = m->tables[0].cat == d->positive ? y[r] : -y[r];
		}
		argmax_label(d, p, &res->val[r]);
	}
	return 0;
}

/*
 * weightedConfidence / aggregateNodes: a row whose path meets an unknown
 * predicate follows every child of that node. acc gets the weighted
 * probabilities (classification; aggregateNodes: the leaves' record counts) or
 * values (regression), *wsum the weights.
 */
static void
fork_walk(const struct pm_doc *d, const struct pm_tree *t, int32_t e, const double *vals,
    size_t r, double w, int classification, double *acc, double *wsum, int depth)
{
	size_t nc = d->ncat, i;
	const struct pm_leaf *l;

	while (e >= 0) {
		const struct pm_tnode *nd = &t->tests[e];
		if (nd->op == OP_FORK) {
			const double *pr = t->set + (size_t)nd->t;
			double tot = 0;
			uint16_t k;
			if (depth > 512)
				return;
			for (k = 0; k < nd->nset; k++)
				tot += pr[2 * k + 1];
			for (k = 0; k < nd->nset && tot > 0; k++)
				fork_walk(d, t, (int32_t)pr[2 * k], vals, r,
				    t->fork == 1 ? w * pr[2 * k + 1] / tot : w, classification, acc, wsum,
				    depth + 1);
			return;
		}
		e = nd->next[aud__pm_test(t, nd, vals[(size_t)nd->slot * BLK + r])];
	}
	l = &t->leaves[~e];
	if (isnan(l->value))
		return;
	if (t->fork == 2) {
		/* aggregateNodes: sum the record counts of the leaves reached */
		double cnt = isnan(l->count) ? 1 : l->count;
		if (classification) {
			if (l->prob >= 0)
				for (i = 0; i < nc; i++)
					acc[i] += cnt * t->probs[l->prob + (int32_t)i];
			else if (cat_of(d, l->value) >= 0)
				acc[cat_of(d, l->value)] += cnt;
		} else {
			acc[0] += cnt * l->value;
		}
		*wsum += cnt;
		return;
	}
	if (classification) {
		if (l->prob >= 0)
			for (i = 0; i < nc; i++)
				acc[i] += w * t->probs[l->prob + (int32_t)i];
		else if (cat_of(d, l->value) >= 0)
			acc[cat_of(d, l->value)] += w;
	} else {
		acc[0] += w * l->value;
	}
	*wsum += w;
}

static int
eval_fork_tree(struct ev *ev, const struct pm_model *m, struct res *res)
{
	const struct pm_doc *d = ev->d;
	const struct pm_tree *t = &m->tree;
	size_t n = ev->n, nc = d->ncat, r, i;
	double acc[256], ws;

	if (nc > 256)
		return AUD_ERROR(ev->err, AUD_EUNSUPPORTED,
		    "missingValueStrategy with more than 256 target categories");
	for (r = 0; r < n; r++) {
		for (i = 0; i < (nc ? nc : 1); i++)
			acc[i] = 0;
		ws = 0;
		fork_walk(d, t, t->root, ev->vals, r, 1, m->classification, acc, &ws, 0);
		if (!m->classification) {
			res->val[r] = ws > 0 ? acc[0] / ws : NAN;
			continue;
		}
		for (i = 0; i < nc; i++)
			res->prob[r * nc + i] = ws > 0 ? acc[i] / ws : NAN;
		argmax_label(d, res->prob + r * nc, &res->val[r]);
	}
	return 0;
}

static int
eval_tree(struct ev *ev, const struct pm_model *m, struct res *res)
{
	const struct pm_doc *d = ev->d;
	const struct pm_tree *t = &m->tree;
	size_t n = ev->n, nc = d->ncat, r0, r, i, step = t->fast != NULL ? BLK : WALK;
	int32_t leaves[BLK];

	if (t->fork)
		return eval_fork_tree(ev, m, res);

	for (r0 = 0; r0 < n; r0 += step) {
		size_t w = n - r0 < step ? n - r0 : step;
		tree_walk_n(t, ev->vals, r0, w, leaves);
		for (r = r0; r < r0 + w; r++) {
			const struct pm_leaf *l = &t->leaves[leaves[r - r0]];
			res->val[r] = l->value;
			if (m->classification) {
				double *p = res->prob + r * nc;
				if (l->prob >= 0) {
					memcpy(p, t->probs + l->prob, nc * sizeof(*p));
				} else {
					int32_t ci = cat_of(d, l->value);
					for (i = 0; i < nc; i++)
						p[i] = ci < 0 ? NAN : (int32_t)i == ci ? 1 : 0;
				}
			}
		}
	}
	return 0;
}

static double
act_fn(uint8_t a, double z, double thr)
{
	switch (a) {
	case 0: return z > thr ? 1 : 0;
	case 1: return 1 / (1 + exp(-z));
	case 2: return tanh(z);
	case 3: return z;
	case 4: return exp(z);
	case 5: return 1 / z;
	case 6: return z * z;
	case 7: return exp(-(z * z));
	case 8: return sin(z);
	case 9: return cos(z);
	case 10: return z / (1 + fabs(z));
	case 11: return 2 * atan(z) / M_PI;
	case 12: return z > 0 ? z : 0;
	default: return NAN;
	}
}

static int
eval_nn(struct ev *ev, const struct pm_model *m, struct res *res)
{
	const struct pm_doc *d = ev->d;
	size_t n = ev->n, nc = d->ncat, r, i, l, o;
	double *in = aalloc(&ev->ar, n * (m->nnin ? m->nnin : 1));
	double *a = aalloc(&ev->ar, m->nneurons ? m->nneurons : 1);
	int rc;

	if (in == NULL || a == NULL)
		return ev_oom(ev);
	for (i = 0; i < m->nnin; i++) {
		rc = eval_expr(ev, m->nn_in_expr[i], in + i * n);
		if (rc < 0)
			return rc;
	}
	for (r = 0; r < n; r++) {
		int miss = 0;
		for (i = 0; i < m->nnin; i++) {
			a[i] = in[i * n + r];
			if (isnan(a[i]))
				miss = 1;
		}
		if (!miss) {
			for (l = 0; l < m->nlayers; l++) {
				const struct pm_layer *ly = &m->layers[l];
				double s = 0, mx = -INFINITY;
				int32_t k;
				for (k = 0; k < ly->nn; k++) {
					const struct pm_neuron *ne = &m->neurons[ly->n0 + k];
					double z = 0;
					int32_t j;
					for (j = 0; j < ne->cn; j++)
						z += m->cons[ne->c0 + j].w * a[m->cons[ne->c0 + j].from];
					z += ne->bias;
					a[ly->n0 + k] = ly->norm == N_SOFTMAX ? z : act_fn(ne->act, z, ne->width);
					if (a[ly->n0 + k] > mx)
						mx = a[ly->n0 + k];
				}
				if (ly->norm == N_SOFTMAX) {
					for (k = 0; k < ly->nn; k++)
						s += exp(a[ly->n0 + k] - mx);
					for (k = 0; k < ly->nn; k++)
						a[ly->n0 + k] = exp(a[ly->n0 + k] - mx) / s;
				} else if (ly->norm == N_SIMPLEMAX) {
					for (k = 0; k < ly->nn; k++)
						s += a[ly->n0 + k];
					for (k = 0; k < ly->nn; k++)
						a[ly->n0 + k] /= s;
				}
			}
		}
		if (m->classification) {
			double *p = res->prob + r * nc;
			for (i = 0; i < nc; i++)
				p[i] = miss ? NAN : 0;
			for (o = 0; o < m->nnout && !miss; o++)
				p[m->nn_out_cat[o]] = a[m->nn_out_neuron[o]];
			argmax_label(d, p, &res->val[r]);
		} else {
			double v = miss ? NAN : a[m->nn_out_neuron[0]];
			if (!miss && m->nn_out_expr[0] >= 0) {
				/* inverse of the NormContinuous on the target */
				const double *p = d->dbl + m->nn_out_expr[0];
				size_t np = (size_t)m->nn_out_a, k = 0;
				while (k + 2 < np && v > p[2 * (k + 1) + 1])
					k++;
				v = p[2 * k] + (v - p[2 * k + 1]) / (p[2 * k + 3] - p[2 * k + 1]) *
				    (p[2 * k + 2] - p[2 * k]);
			}
			res->val[r] = v;
		}
		res->mar[r] = NAN;
	}
	return 0;
}

static int eval_model(struct ev *ev, const struct pm_model *m, struct res *res);

/* Segment predicate per row: 1 true, 0 false/unknown. */
static void
eval_pred(struct ev *ev, const struct pm_tree *t, double *out)
{
	size_t r;

	if (t->root < 0) {
		double v = t->leaves[~t->root].value;
		for (r = 0; r < ev->n; r++)
			out[r] = v == 1;
		return;
	}
	for (r = 0; r < ev->n; r++)
		out[r] = t->leaves[tree_walk(t, ev->vals, r)].value == 1;
}

/*
 * A segment that is a bare tree (predicate True, no derived fields, outputs
 * or rescaling) in a sum or an average: its leaves are accumulated directly,
 * WALK rows at a time, without intermediate result arrays.
 */
static int
fast_segment(const struct pm_model *m, const struct pm_segment *sg)
{
	const struct pm_model *t = sg->model;

	return (m->method == MM_SUM || m->method == MM_AVERAGE || m->method == MM_WAVERAGE) &&
	    t->kind == MK_TREE && !t->tree.fork && t->nsteps == 0 && t->nouts == 0 && !t->has_rescale &&
	    t->classification == m->classification && sg->pred.root < 0 &&
	    sg->pred.leaves[~sg->pred.root].value == 1;
}

static void
fast_tree(struct ev *ev, const struct pm_model *m, const struct pm_segment *sg, double *acc,
    double *wsum)
{
	const struct pm_doc *d = ev->d;
	const struct pm_tree *t = &sg->model->tree;
	double w = m->method == MM_WAVERAGE ? sg->weight : 1;
	size_t n = ev->n, nc = d->ncat, r0, r, i, step = t->fast != NULL ? BLK : WALK;
	int32_t leaves[BLK];

	for (r0 = 0; r0 < n; r0 += step) {
		size_t wn = n - r0 < step ? n - r0 : step;
		tree_walk_n(t, ev->vals, r0, wn, leaves);
		for (r = r0; r < r0 + wn; r++) {
			const struct pm_leaf *l = &t->leaves[leaves[r - r0]];
			double v = l->value;
			if (v != v) {
				if (!m->skip_missing)
					wsum[r] = NAN;
				continue;
			}
			if (!m->classification) {
				if (m->method == MM_SUM)
					acc[r] = m->fctx ? (double)((float)acc[r] + (float)v) : acc[r] + v;
				else
					acc[r] += w * v;
			} else if (l->prob >= 0) {
				const double *p = t->probs + l->prob;
				for (i = 0; i < nc; i++)
					acc[r * nc + i] += w * p[i];
			} else {
				int32_t ci = cat_of(d, v);
				if (ci >= 0)
					acc[r * nc + (size_t)ci] += w;
			}
			wsum[r] += w;
		}
	}
}

static int
fsum_base(const struct pm_model *m)
{
	return m->fctx && m->has_rescale && m->rfactor == 1 && !m->classification;
}

static int
eval_mining(struct ev *ev, const struct pm_model *m, struct res *res)
{
	const struct pm_doc *d = ev->d;
	size_t n = ev->n, nc = d->ncat, r, i, s;
	double *acc, *wsum, *pred, *all = NULL;
	int cls = m->classification, rc = 0;
	struct amark mk;

	acc = aalloc(&ev->ar, n * (cls ? nc : 1));
	wsum = aalloc(&ev->ar, n);
	pred = aalloc(&ev->ar, n);
	if (acc == NULL || wsum == NULL || pred == NULL)
		return ev_oom(ev);
	if (m->method == MM_MEDIAN || m->method == MM_WMEDIAN) {
		all = aalloc(&ev->ar, n * m->nseg * 2);
		if (all == NULL)
			return ev_oom(ev);
	}
	/* float32 sums start from the rescale constant, as XGBoost adds its
	 * base margin first (same value, float rounding of the booster) */
	for (r = 0; r < n * (cls ? nc : 1); r++)
		acc[r] = m->method == MM_MAX ? -INFINITY :
		    m->method == MM_SUM && fsum_base(m) ? m->rconst : 0;
	for (r = 0; r < n; r++) {
		wsum[r] = 0;
		res->val[r] = NAN;
		res->mar[r] = NAN;
		if (cls)
			for (i = 0; i < nc; i++)
				res->prob[r * nc + i] = NAN;
	}
	for (s = 0; s < m->nseg; s++) {
		const struct pm_segment *sg = &m->segs[s];
		struct res sr;
		double w = sg->weight;
		int chosen = m->method == MM_SELECTFIRST || m->method == MM_CHAIN;
		if (fast_segment(m, sg)) {
			fast_tree(ev, m, sg, acc, wsum);
			continue;
		}
		mk = amark(&ev->ar);
		eval_pred(ev, &sg->pred, pred);
		rc = res_alloc(ev, &sr, sg->model->classification);
		if (rc < 0)
			return rc;
		rc = eval_model(ev, sg->model, &sr);
		if (rc < 0)
			return rc;
		if (m->method == MM_CHAIN) {
			/* a segment's outputs exist only where it was evaluated */
			for (i = 0; i < sg->model->nouts; i++) {
				double *col = COL(ev, sg->model->outs[i].slot);
				for (r = 0; r < n; r++)
					if (pred[r] == 0)
						col[r] = NAN;
			}
		}
		for (r = 0; r < n; r++) {
			double v = sr.val[r];
			if (pred[r] == 0)
				continue;
			if (chosen) {
				if (m->method == MM_SELECTFIRST && wsum[r] != 0)
					continue;
				wsum[r] = 1;
				res->val[r] = v;
				res->mar[r] = sr.mar[r];
				if (cls && sr.prob != NULL)
					memcpy(res->prob + r * nc, sr.prob + r * nc, nc * sizeof(double));
				else if (cls)
					for (i = 0; i < nc; i++)
						res->prob[r * nc + i] = NAN;
				continue;
			}
			if (isnan(v)) {
				if (!m->skip_missing)
					wsum[r] = NAN;
				continue;
			}
			if (isnan(wsum[r]))
				continue;
			if (m->method == MM_SUM) {
				acc[r] = m->fctx ? (double)((float)acc[r] + (float)v) : acc[r] + v;
				wsum[r] += 1;
			} else if (m->method == MM_AVERAGE || m->method == MM_WAVERAGE) {
				double ww = m->method == MM_WAVERAGE ? w : 1;
				if (cls)
					for (i = 0; i < nc; i++)
						acc[r * nc + i] += ww * sr.prob[r * nc + i];
				else
					acc[r] += ww * v;
				wsum[r] += ww;
			} else if (m->method == MM_MAX) {
				if (cls) {
					double best = -INFINITY;
					for (i = 0; i < nc; i++)
						if (sr.prob[r * nc + i] > best)
							best = sr.prob[r * nc + i];
					if (best > acc[r * nc]) {
						/* keep the distribution of the most confident segment */
						for (i = 0; i < nc; i++)
							res->prob[r * nc + i] = sr.prob[r * nc + i];
						acc[r * nc] = best;
					}
				} else if (v > acc[r]) {
					acc[r] = v;
				}
				wsum[r] += 1;
			} else if (m->method == MM_MEDIAN || m->method == MM_WMEDIAN) {
				size_t k = (size_t)wsum[r];
				all[(r * m->nseg + k) * 2] = v;
				all[(r * m->nseg + k) * 2 + 1] = w;
				wsum[r] += 1;
			} else {
				/* majority votes */
				int32_t ci = cat_of(d, v);
				double ww = m->method == MM_WMAJORITY ? w : 1;
				if (ci >= 0)
					acc[r * nc + ci] += ww;
				wsum[r] += ww;
			}
		}
		arelease(&ev->ar, mk);
	}
	if (m->method == MM_SELECTFIRST || m->method == MM_CHAIN)
		return 0;
	for (r = 0; r < n; r++) {
		double ws = wsum[r];
		if (isnan(ws) || ws == 0)
			continue;   /* missing */
		switch (m->method) {
		case MM_SUM:
			res->val[r] = acc[r];
			break;
		case MM_AVERAGE:
		case MM_WAVERAGE:
			if (cls) {
				for (i = 0; i < nc; i++)
					res->prob[r * nc + i] = acc[r * nc + i] / ws;
				argmax_label(d, res->prob + r * nc, &res->val[r]);
			} else {
				res->val[r] = acc[r] / ws;
			}
			break;
		case MM_MAX:
			if (cls)
				argmax_label(d, res->prob + r * nc, &res->val[r]);
			else
				res->val[r] = acc[r];
			break;
		case MM_MEDIAN:
		case MM_WMEDIAN: {
			size_t k = (size_t)ws, j;
			double *vals = all + r * m->nseg * 2;
			if (m->method == MM_MEDIAN) {
				double tmp[1];
				double *v = malloc(k * sizeof(double));
				(void)tmp;
				if (v == NULL)
					return ev_oom(ev);
				for (j = 0; j < k; j++)
					v[j] = vals[2 * j];
				res->val[r] = median_of(v, k);
				free(v);
			} else {
				/* weighted median: smallest value whose cumulative weight >= half */
				double tot = 0, cum = 0;
				size_t a, b;
				for (a = 1; a < k; a++)
					for (b = a; b > 0 && vals[2 * (b - 1)] > vals[2 * b]; b--) {
						double t0 = vals[2 * b], t1 = vals[2 * b + 1];
						vals[2 * b] = vals[2 * (b - 1)];
						vals[2 * b + 1] = vals[2 * (b - 1) + 1];
						vals[2 * (b - 1)] = t0;
						vals[2 * (b - 1) + 1] = t1;
					}
				for (j = 0; j < k; j++)
					tot += vals[2 * j + 1];
				for (j = 0; j < k; j++) {
					cum += vals[2 * j + 1];
					if (cum >= tot / 2) {
						res->val[r] = vals[2 * j];
						break;
					}
				}
			}
			break;
		}
		default:
			for (i = 0; i < nc; i++)
				res->prob[r * nc + i] = acc[r * nc + i] / ws;
			{
				/* the winner is the category with the most votes (first on ties) */
				size_t best = 0;
				for (i = 1; i < nc; i++)
					if (acc[r * nc + i] > acc[r * nc + best])
						best = i;
				res->val[r] = d->cats[best];
			}
			break;
		}
	}
	return 0;
}

static int
eval_outputs(struct ev *ev, const struct pm_model *m, const struct res *res)
{
	const struct pm_doc *d = ev->d;
	size_t i, r, n = ev->n, nc = d->ncat;
	int rc;

	for (i = 0; i < m->nouts; i++) {
		const struct pm_output *o = &m->outs[i];
		double *col = COL(ev, o->slot);
		switch (o->feature) {
		case OF_PREDICTED:
			for (r = 0; r < n; r++)
				col[r] = o->type == PT_FLOAT && !isnan(res->val[r]) ?
				    (double)(float)res->val[r] : res->val[r];
			break;
		case OF_DISPLAY:
			for (r = 0; r < n; r++) {
				int32_t ci = cat_of(d, res->val[r]);
				col[r] = ci >= 0 && m->display != NULL && !isnan(m->display[ci]) ?
				    m->display[ci] : res->val[r];
			}
			break;
		case OF_PROBABILITY:
			for (r = 0; r < n; r++) {
				int32_t ci = o->cat >= 0 ? o->cat : cat_of(d, res->val[r]);
				double v = ci >= 0 && res->prob != NULL ? res->prob[r * nc + ci] : NAN;
				col[r] = o->type == PT_FLOAT && !isnan(v) ? (double)(float)v : v;
			}
			break;
		case OF_TRANSFORMED:
			rc = eval_expr(ev, o->expr, col);
			if (rc < 0)
				return rc;
			break;
		default:
			break;
		}
	}
	return 0;
}

static int
eval_model(struct ev *ev, const struct pm_model *m, struct res *res)
{
	const struct pm_doc *d = ev->d;
	size_t i, r, n = ev->n;
	int rc = 0;

	for (i = 0; i < m->nsteps; i++) {
		const struct pm_step *st = &m->steps[i];
		if (st->expr >= 0)
			rc = eval_expr(ev, st->expr, COL(ev, st->dst));
		else
			rc = run_treat(ev, &d->treats[st->treat]);
		if (rc < 0)
			return rc;
	}
	switch (m->kind) {
	case MK_REGRESSION: rc = eval_regression(ev, m, res); break;
	case MK_GENREG: rc = eval_genreg(ev, m, res); break;
	case MK_TREE: rc = eval_tree(ev, m, res); break;
	case MK_MINING: rc = eval_mining(ev, m, res); break;
	default: rc = eval_nn(ev, m, res); break;
	}
	if (rc < 0)
		return rc;
	if (!m->classification) {
		for (r = 0; r < n; r++) {
			double v = res->val[r];
			if (m->has_rescale && !isnan(v) &&
			    !(m->kind == MK_MINING && m->method == MM_SUM && fsum_base(m))) {
				if (m->fctx)
					v = (double)((float)v * (float)m->rfactor + (float)m->rconst);
				else
					v = v * m->rfactor + m->rconst;
				if (v < m->tmin) v = m->tmin;
				if (v > m->tmax) v = m->tmax;
				if (m->cast_int == 1) v = floor(v + 0.5);
				else if (m->cast_int == 2) v = ceil(v);
				else if (m->cast_int == 3) v = floor(v);
			}
			if (isnan(v) && !isnan(m->tdefault))
				v = m->tdefault;
			if (m->kind != MK_GENREG && !(m->kind == MK_REGRESSION && m->norm != N_NONE))
				res->mar[r] = v;
			else if (m->has_rescale)
				res->mar[r] = NAN;
			res->val[r] = v;
		}
	}
	return eval_outputs(ev, m, res);
}

/* ---- inputs ---- */

struct incache {
	const struct aud_dict *dict;
	double *val;      /* per dictionary code */
	uint8_t *bad;
	size_t n;
};

static int
load_inputs(struct ev *ev, const struct aud_batch *b, const long *cols, struct incache *ic,
    size_t off)
{
	const struct pm_doc *d = ev->d;
	size_t f, r;
	int rc;

	for (f = 0; f < d->nfeat; f++) {
		const struct aud_column *col = &b->cols[cols[f]];
		uint8_t t = d->slots[d->in_slot[f]].type;
		double *dst = COL(ev, d->in_slot[f]);
		for (r = 0; r < ev->n; r++) {
			double v = NAN;
			int bad = 0;
			if (col->kind == AUD_COL_NUMERIC) {
				double x = col->num[off + r];
				if (isnan(x))
					v = NAN;
				else if (PT_IS_STR(t)) {
					char buf[32];
					fmt_num(buf, x);
					rc = mkstr(ev, buf, strlen(buf), &v);
					if (rc < 0)
						return rc;
				} else if (t == PT_BOOLEAN) {
					if (x == 0 || x == 1)
						v = x;
					else
						bad = 1;
				} else {
					v = t == PT_FLOAT ? (double)(float)x : x;
				}
			} else {
				int32_t code = col->code[off + r];
				struct incache *c = &ic[f];
				if (code < 0) {
					v = NAN;
				} else {
					if (c->dict != col->dict || (size_t)code >= c->n) {
						size_t nn = aud_dict_size(col->dict), k;
						double *nv = realloc(c->val, (nn + 1) * sizeof(*nv));
						uint8_t *nb = NULL;
						if (nv != NULL)
							c->val = nv;
						nb = nv != NULL ? realloc(c->bad, nn + 1) : NULL;
						if (nb == NULL)
							return ev_oom(ev);
						c->bad = nb;
						if (c->dict != col->dict)
							c->n = 0;
						for (k = c->n; k < nn; k++)
							c->bad[k] = 2;  /* not converted yet */
						c->n = nn;
						c->dict = col->dict;
					}
					if (c->bad[code] == 2) {
						const char *s = aud_dict_str(col->dict, code);
						rc = conv_text(ev, t, s, strlen(s), &c->val[code]);
						if (rc < 0)
							return rc;
						c->bad[code] = (uint8_t)rc;
					}
					v = c->val[code];
					bad = c->bad[code];
				}
			}
			if (bad) {
				switch (d->in_invalid[f]) {
				case INV_RETURN: {
					char buf[32];
					const char *s;
					if (col->kind == AUD_COL_NUMERIC) {
						fmt_num(buf, col->num[off + r]);
						s = buf;
					} else {
						s = aud_dict_str(col->dict, col->code[off + r]);
					}
					return AUD_ERROR(ev->err, AUD_EPARSE,
					    "row %llu: invalid value '%s' for field '%s' (not a %s)",
					    (unsigned long long)(ev->row0 + r + 1), s,
					    d->slots[d->in_slot[f]].name,
					    t == PT_BOOLEAN ? "boolean" : "number");
				}
				case INV_VALUE:
					v = d->in_repl_invalid[f];
					break;
				default:
					v = NAN;
					break;
				}
			}
			dst[r] = v;
		}
	}
	return 0;
}

static int
find_cols(const struct pm_doc *d, const struct aud_batch *b, long **out, struct aud_error *err)
{
	long *cols = calloc(d->nfeat + 1, sizeof(*cols));
	size_t f;

	*out = NULL;
	if (cols == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (f = 0; f < d->nfeat; f++) {
		cols[f] = aud_batch_find(b, d->slots[d->in_slot[f]].name);
		if (cols[f] < 0) {
			int rc = AUD_ERROR(err, AUD_ENOTFOUND,
			    "the model's input field '%s' is not a column of the input",
			    d->slots[d->in_slot[f]].name);
			free(cols);
			return rc;
		}
	}
	*out = cols;
	return 0;
}

/*
 * Evaluate the batch block by block; per block call sink(payload, ev, res, off).
 */
typedef int (*sink_fn)(void *payload, struct ev *ev, const struct res *res, size_t off);

static int
run(const struct pm_doc *d, const struct aud_batch *b, sink_fn sink, void *payload,
    struct aud_error *err)
{
	struct ev ev;
	struct incache *ic = NULL;
	long *cols = NULL;
	size_t off, i;
	int rc;

	memset(&ev, 0, sizeof(ev));
	ev.d = d;
	ev.err = err;
	rc = find_cols(d, b, &cols, err);
	if (rc < 0)
		return rc;
	ev.vals = malloc((d->nslots ? d->nslots : 1) * BLK * sizeof(double));
	ic = calloc(d->nfeat + 1, sizeof(*ic));
	if (ev.vals == NULL || ic == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < d->nslots * BLK; i++)
		ev.vals[i] = NAN;
	for (off = 0; off < b->nrows; off += BLK) {
		struct res res;
		struct amark mk;
		size_t k;
		ev.n = b->nrows - off < BLK ? b->nrows - off : BLK;
		ev.row0 = b->first_row + off;
		mk = amark(&ev.ar);
		rc = load_inputs(&ev, b, cols, ic, off);
		if (rc < 0)
			goto done;
		rc = res_alloc(&ev, &res, d->top->classification);
		if (rc < 0)
			goto done;
		rc = eval_model(&ev, d->top, &res);
		if (rc < 0)
			goto done;
		rc = sink(payload, &ev, &res, off);
		if (rc < 0)
			goto done;
		arelease(&ev.ar, mk);
		/* dynamic strings of this block are no longer referenced, except
		 * those cached for dictionary codes: keep all (bounded by the batch) */
		(void)k;
	}
done:
	if (ic != NULL)
		for (i = 0; i < d->nfeat; i++) {
			free(ic[i].val);
			free(ic[i].bad);
		}
	free(ic);
	for (i = 0; i < ev.ndyn; i++)
		free(ev.dyn[i]);
	free(ev.dyn);
	afree(&ev.ar);
	free(ev.vals);
	free(cols);
	return rc;
}

struct score_sink {
	double *score, *margin;
};

static int
score_sink(void *payload, struct ev *ev, const struct res *res, size_t off)
{
	struct score_sink *s = payload;
	const struct pm_doc *d = ev->d;
	size_t r;

	for (r = 0; r < ev->n; r++) {
		double sc;
		if (d->ncat > 0)
			sc = res->prob[r * d->ncat + (size_t)d->positive];
		else
			sc = res->val[r];
		s->score[off + r] = sc;
		if (s->margin != NULL)
			s->margin[off + r] = d->margin_kind ? res->mar[r] : sc;
	}
	return 0;
}

int
aud__pm_predict(const void *impl, const struct aud_batch *b, double *score, double *margin,
    struct aud_error *err)
{
	struct score_sink s;

	s.score = score;
	s.margin = margin;
	return run(impl, b, score_sink, &s, err);
}

struct out_sink {
	struct aud_pmml_value *out;
};

static int
out_sink(void *payload, struct ev *ev, const struct res *res, size_t off)
{
	struct out_sink *s = payload;
	const struct pm_doc *d = ev->d;
	size_t r, k;

	(void)res;
	for (r = 0; r < ev->n; r++)
		for (k = 0; k < d->nres; k++) {
			struct aud_pmml_value *v = &s->out[(off + r) * d->nres + k];
			double x = COL(ev, d->res_slot[k])[r];
			v->num = NAN;
			v->str = NULL;
			v->is_float = d->res_type[k] == PT_FLOAT;
			if (isnan(x))
				continue;
			if (PT_IS_STR(d->res_type[k])) {
				if (x < 0)
					return AUD_ERROR(ev->err, AUD_EUNSUPPORTED,
					    "output field '%s' is a string made at evaluation time",
					    d->res_name[k]);
				v->str = d->pool.s[(int32_t)x];
			} else {
				v->num = x;
			}
		}
	return 0;
}

int
aud__pm_outputs(const struct pm_doc *d, const struct aud_batch *b, struct aud_pmml_value *out,
    struct aud_error *err)
{
	struct out_sink s;

	s.out = out;
	return run(d, b, out_sink, &s, err);
}

/* ---- public PMML extras ---- */

int
aud_pmml_is_pmml(const struct aud_model *m)
{
	return m != NULL && m->ops != NULL && m->ops->predict == aud__pm_predict;
}

size_t
aud_pmml_noutputs(const struct aud_model *m)
{
	return aud_pmml_is_pmml(m) ? ((const struct pm_doc *)m->impl)->nres : 0;
}

const char *
aud_pmml_output_name(const struct aud_model *m, size_t i)
{
	const struct pm_doc *d;

	if (!aud_pmml_is_pmml(m))
		return NULL;
	d = m->impl;
	return i < d->nres ? d->res_name[i] : NULL;
}

int
aud_pmml_predict_outputs(const struct aud_model *m, const struct aud_batch *b,
    struct aud_pmml_value *out, struct aud_error *err)
{
	if (!aud_pmml_is_pmml(m))
		return AUD_ERROR(err, AUD_EINVAL, "the model is not a PMML model");
	if (b->nrows == 0)
		return 0;
	return aud__pm_outputs(m->impl, b, out, err);
}

const char *const *
aud_pmml_categories(const struct aud_model *m, size_t *n)
{
	const struct pm_doc *d;

	*n = 0;
	if (!aud_pmml_is_pmml(m))
		return NULL;
	d = m->impl;
	if (d->ncat == 0)
		return NULL;
	*n = d->ncat;
	return (const char *const *)d->cat_names;
}

/* ---- freeing ---- */

static void
tree_free(struct pm_tree *t)
{
	aud__pm_fast_free(t);
	free(t->bits);
	free(t->tests);
	free(t->leaves);
	free(t->set);
	free(t->probs);
}

void
aud__pm_model_free(struct pm_model *m)
{
	size_t i;

	if (m == NULL)
		return;
	free(m->cats);
	free(m->name);
	free(m->steps);
	free(m->display);
	free(m->outs);
	free(m->tables);
	free(m->terms);
	free(m->fac);
	tree_free(&m->tree);
	for (i = 0; i < m->nseg; i++) {
		tree_free(&m->segs[i].pred);
		aud__pm_model_free(m->segs[i].model);
	}
	free(m->segs);
	free(m->nn_in_expr);
	free(m->neurons);
	free(m->layers);
	free(m->cons);
	free(m->nn_out_neuron);
	free(m->nn_out_cat);
	free(m->nn_out_expr);
	free(m);
}

void
aud__pm_doc_free(struct pm_doc *d)
{
	size_t i;

	if (d == NULL)
		return;
	aud__pm_trees_free(d);
	if (d->fcats != NULL)
		for (i = 0; i < d->nfeat; i++)
			free(d->fcats[i]);
	free(d->fcats);
	free(d->nfcats);
	for (i = 0; i < d->pool.n; i++)
		free(d->pool.s[i]);
	free(d->pool.s);
	free(d->pool.tab);
	for (i = 0; i < d->nslots; i++)
		free(d->slots[i].name);
	free(d->slots);
	for (i = 0; i < d->ndf; i++) {
		free(d->dfs[i].name);
		free(d->dfs[i].valid);
		free(d->dfs[i].missing);
		free(d->dfs[i].invalid);
		free(d->dfs[i].intervals);
	}
	free(d->dfs);
	free(d->exprs);
	free(d->args);
	free(d->dbl);
	free(d->treats);
	aud__pm_model_free(d->top);
	free(d->in_slot);
	free(d->in_df);
	free(d->in_invalid);
	free(d->in_repl_invalid);
	free(d->cats);
	free(d->cat_names);
	free(d->res_name);
	free(d->res_slot);
	free(d->res_type);
	free(d);
}

/* ---- string sets as bitmaps (after compilation, when the pool is final) ---- */

static int
tree_bits(struct pm_doc *d, struct pm_tree *t)
{
	size_t i, k, words = (d->pool.n + 63) / 64, nsets = 0;

	t->all_le = t->ntest > 0;
	for (i = 0; i < t->ntest; i++)
		if (t->tests[i].op != OP_LE)
			t->all_le = 0;
	if (d->pool.n > 65536)
		return aud__pm_fast_build(t) < 0 ? -1 : 0;
	for (i = 0; i < t->ntest; i++)
		if ((t->tests[i].op == OP_IN || t->tests[i].op == OP_NOTIN) &&
		    PT_IS_STR(d->slots[t->tests[i].slot].type))
			nsets++;
	if (nsets == 0)
		return aud__pm_fast_build(t) < 0 ? -1 : 0;
	t->bits = calloc(nsets * words, sizeof(*t->bits));
	if (t->bits == NULL)
		return -1;
	t->nbits = d->pool.n;
	nsets = 0;
	for (i = 0; i < t->ntest; i++) {
		struct pm_tnode *n = &t->tests[i];
		uint64_t *b;
		if ((n->op != OP_IN && n->op != OP_NOTIN) || !PT_IS_STR(d->slots[n->slot].type))
			continue;
		b = t->bits + nsets * words;
		for (k = 0; k < n->nset; k++) {
			double v = t->set[(size_t)n->t + k];
			if (v >= 0 && v < (double)d->pool.n)
				b[(size_t)v / 64] |= (uint64_t)1 << ((size_t)v % 64);
		}
		n->op = n->op == OP_IN ? OP_INBITS : OP_NOTINBITS;
		n->t = (double)(nsets * words);
		nsets++;
	}
	/* after the bitmaps: the fast form takes their set tests too */
	return aud__pm_fast_build(t) < 0 ? -1 : 0;
}

static int
model_bits(struct pm_doc *d, struct pm_model *m)
{
	size_t i;

	if (m->kind == MK_TREE && tree_bits(d, &m->tree) < 0)
		return -1;
	for (i = 0; i < m->nseg; i++)
		if (tree_bits(d, &m->segs[i].pred) < 0 || model_bits(d, m->segs[i].model) < 0)
			return -1;
	return 0;
}

int
aud__pm_set_bits(struct pm_doc *d, struct aud_error *err)
{
	if (model_bits(d, d->top) < 0)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	return 0;
}
