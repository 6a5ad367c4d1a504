/*
 * drift.c — audit-data drift: one column of the reference against the same
 * column of the current data. The statistics of the column's kind (always
 * all of them, driftstat.h), the deciding test (Evidently's default
 * selection or --method), its threshold and the decision; the histogram the
 * report draws; the dataset summary of a list of columns.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/driftstat.h>
#include <audit/json.h>
#include <audit/sketch.h>

#include "drift_impl.h"

/* ---- the rules ------------------------------------------------------------------- */

int
aud__drift_is_pvalue(enum aud_drift_method m)
{
	return m == AUD_DRIFT_KS || m == AUD_DRIFT_CHISQUARE || m == AUD_DRIFT_Z;
}

double
aud__drift_threshold(enum aud_drift_method m, double given)
{
	if (!isnan(given))
		return given;
	return aud__drift_is_pvalue(m) ? 0.05 : 0.1;
}

int
aud__drift_decide(enum aud_drift_method m, double value, double threshold)
{
	if (isnan(value))
		return 0;
	return aud__drift_is_pvalue(m) ? value < threshold : value >= threshold;
}

const char *
aud__drift_stat_key(enum aud_drift_method m)
{
	switch (m) {
	case AUD_DRIFT_KS:
		return "ks_pvalue";
	case AUD_DRIFT_CHISQUARE:
		return "chisquare_pvalue";
	case AUD_DRIFT_Z:
		return "z_pvalue";
	case AUD_DRIFT_WASSERSTEIN:
		return "wasserstein_normed";
	case AUD_DRIFT_JENSENSHANNON:
		return "jensenshannon";
	case AUD_DRIFT_PSI:
		return "psi";
	case AUD_DRIFT_AUTO:
		break;
	}
	return NULL;
}

static enum aud_drift_method
default_test(int numeric, uint64_t ndistinct, uint64_t nref)
{
	if (nref <= AUD__DRIFT_SMALL_REFERENCE) {
		if (numeric && ndistinct > 5)
			return AUD_DRIFT_KS;
		return ndistinct <= 2 ? AUD_DRIFT_Z : AUD_DRIFT_CHISQUARE;
	}
	return numeric && ndistinct > 5 ? AUD_DRIFT_WASSERSTEIN : AUD_DRIFT_JENSENSHANNON;
}

enum aud_drift_method
aud__drift_select(enum aud_drift_method forced, int numeric, uint64_t ndistinct, uint64_t nref,
    int *fallback)
{
	int ok = 1;

	if (fallback != NULL)
		*fallback = 0;
	switch (forced) {
	case AUD_DRIFT_AUTO:
		return default_test(numeric, ndistinct, nref);
	case AUD_DRIFT_KS:
	case AUD_DRIFT_WASSERSTEIN:
		ok = numeric;
		break;
	case AUD_DRIFT_CHISQUARE:
	case AUD_DRIFT_JENSENSHANNON:
		ok = !numeric || ndistinct <= 5;
		break;
	case AUD_DRIFT_Z:
		ok = ndistinct <= 2;
		break;
	case AUD_DRIFT_PSI:
		break;
	}
	if (ok)
		return forced;
	if (fallback != NULL)
		*fallback = 1;
	return default_test(numeric, ndistinct, nref);
}

/* ---- statistics ------------------------------------------------------------------ */

/* The deciding values of every test (NaN where undefined for the column). */
struct values {
	double v[AUD_DRIFT_PSI + 1];
};

/* One category of the union of both files: its text and counts. */
struct cat {
	const char *s;
	double ref, cur;
};

/* The sorted union of both columns' categories (*n of them). NULL on no memory. */
static struct cat *
union_of(const struct aud_colstat *ref, const struct aud_colstat *cur, size_t *n)
{
	size_t nr = aud_colstat_ncategories(ref), nc = aud_colstat_ncategories(cur);
	size_t i = 0, k = 0, m = 0;
	struct cat *u = calloc(nr + nc + 1, sizeof(*u));
	uint64_t cr = 0, cc = 0, line;
	const char *a = NULL, *b = NULL;
	int cmp;

	if (u == NULL)
		return NULL;
	while (i < nr || k < nc) {
		if (i < nr)
			a = aud_colstat_category(ref, i, &cr, &line);
		if (k < nc)
			b = aud_colstat_category(cur, k, &cc, &line);
		cmp = i >= nr ? 1 : k >= nc ? -1 : strcmp(a, b);
		if (cmp <= 0) {
			u[m].s = a;
			u[m].ref = (double)cr;
			i++;
		}
		if (cmp >= 0) {
			u[m].s = b;
			u[m].cur = (double)cc;
			k++;
		}
		m++;
	}
	*n = m;
	return u;
}

/* Proportions of v[0..n) (zeros when they sum to 0). */
static void
proportions(double *out, const double *v, size_t n)
{
	double s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += v[i];
	for (i = 0; i < n; i++)
		out[i] = s > 0 ? v[i] / s : 0.0;
}

#define ADDN(o, k, x) do { if (aud_json_add_number(o, k, x) == NULL) goto nomem; } while (0)
#define ADDS(o, k, x) do { if (cJSON_AddStringToObject(o, k, x) == NULL) goto nomem; } while (0)

static int
warn(cJSON *warnings, const char *where, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int
warn(cJSON *warnings, const char *where, const char *fmt, ...)
{
	char msg[512], text[480];
	va_list ap;

	if (warnings == NULL)
		return 0;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof(msg), "%s%s", where != NULL ? where : "", text);
	return cJSON_AddItemToArray(warnings, cJSON_CreateString(msg)) ? 0 : -1;
}

/* The histogram of the ten PSI bins, exact or from the sketches; fills the bin proportions. */
static int
numeric_bins(double edges[AUD_PSI_BINS - 1], double pref[AUD_PSI_BINS],
    double pcur[AUD_PSI_BINS], struct aud_colstat *ref, struct aud_colstat *cur,
    struct aud_error *err)
{
	const struct aud_sketch *sr = aud_colstat_sketch(ref), *sc = aud_colstat_sketch(cur);
	double cref[AUD_PSI_BINS] = { 0 }, ccur[AUD_PSI_BINS] = { 0 }, below_r, below_c;
	double prev_r = 0, prev_c = 0;
	const double *a, *b;
	size_t na, nb, i;

	if (sr != NULL && sc != NULL) {
		for (i = 0; i < AUD_PSI_BINS - 1; i++)
			edges[i] = aud_sketch_quantile(sr, (double)(i + 1) / AUD_PSI_BINS);
		for (i = 0; i < AUD_PSI_BINS; i++) {
			/* the fraction below the edge: a value equal to an edge goes above */
			below_r = i < AUD_PSI_BINS - 1 ?
			    aud_sketch_cdf(sr, nextafter(edges[i], -INFINITY)) : 1.0;
			below_c = i < AUD_PSI_BINS - 1 ?
			    aud_sketch_cdf(sc, nextafter(edges[i], -INFINITY)) : 1.0;
			cref[i] = below_r > prev_r ? below_r - prev_r : 0.0;
			ccur[i] = below_c > prev_c ? below_c - prev_c : 0.0;
			prev_r = below_r > prev_r ? below_r : prev_r;
			prev_c = below_c > prev_c ? below_c : prev_c;
		}
	} else {
		a = aud_colstat_sorted(ref, &na, err);
		if (a == NULL)
			return err != NULL ? err->code : AUD_ENOMEM;
		b = aud_colstat_sorted(cur, &nb, err);
		if (b == NULL)
			return err != NULL ? err->code : AUD_ENOMEM;
		aud_psi_edges(edges, a, na);
		for (i = 0; i < na; i++)
			cref[aud_psi_bin(edges, a[i])] += 1.0;
		for (i = 0; i < nb; i++)
			ccur[aud_psi_bin(edges, b[i])] += 1.0;
	}
	proportions(pref, cref, AUD_PSI_BINS);
	proportions(pcur, ccur, AUD_PSI_BINS);
	return 0;
}

/* KS, Wasserstein (and normed), the numeric PSI and its histogram. */
static int
numeric_stats(cJSON *obj, struct aud_colstat *ref, struct aud_colstat *cur, struct values *val,
    int histogram, struct aud_error *err)
{
	const struct aud_sketch *sr = aud_colstat_sketch(ref), *sc = aud_colstat_sketch(cur);
	struct aud_colstat_numeric nr, nc;
	double edges[AUD_PSI_BINS - 1], pref[AUD_PSI_BINS], pcur[AUD_PSI_BINS], w, sd;
	struct aud_ks ks;
	const double *a, *b;
	size_t na, nb, i;
	cJSON *h, *x;
	int rc;

	aud_colstat_numeric(ref, &nr);
	aud_colstat_numeric(cur, &nc);
	if (sr != NULL && sc != NULL) {
		ks.statistic = aud_sketch_ks(sr, sc);
		ks.pvalue = aud_ks_pvalue(ks.statistic, nr.n, nc.n, AUD_KS_AUTO, &ks.exact);
		w = aud_sketch_wasserstein(sr, sc);
	} else {
		a = aud_colstat_sorted(ref, &na, err);
		b = a != NULL ? aud_colstat_sorted(cur, &nb, err) : NULL;
		if (a == NULL || b == NULL)
			return err != NULL && err->code < 0 ? err->code : AUD_ENOMEM;
		rc = aud_ks_2samp(&ks, a, na, b, nb, AUD_KS_AUTO, err);
		if (rc < 0)
			return rc;
		w = aud_wasserstein_sorted(a, na, b, nb);
	}
	sd = nr.sd_pop;
	ADDN(obj, "ks_statistic", ks.statistic);
	ADDN(obj, "ks_pvalue", ks.pvalue);
	ADDS(obj, "ks_method", ks.exact ? "exact" : "asymp");
	ADDN(obj, "wasserstein", w);
	/* a constant reference: 0/0 is undefined, w/0 infinite (both null in JSON) */
	val->v[AUD_DRIFT_KS] = ks.pvalue;
	val->v[AUD_DRIFT_WASSERSTEIN] = sd > 0 ? w / sd : w > 0 ? INFINITY : NAN;
	ADDN(obj, "wasserstein_normed", val->v[AUD_DRIFT_WASSERSTEIN]);
	rc = numeric_bins(edges, pref, pcur, ref, cur, err);
	if (rc < 0)
		return rc;
	val->v[AUD_DRIFT_PSI] = aud_psi(pref, pcur, AUD_PSI_BINS);
	if (!histogram)
		return 0;
	h = cJSON_AddObjectToObject(obj, "histogram");
	if (h == NULL)
		goto nomem;
	x = cJSON_AddArrayToObject(h, "edges");
	for (i = 0; x != NULL && i < AUD_PSI_BINS - 1; i++)
		if (!cJSON_AddItemToArray(x, aud_json_number(edges[i])))
			goto nomem;
	if (x == NULL)
		goto nomem;
	x = cJSON_AddArrayToObject(h, "reference");
	for (i = 0; x != NULL && i < AUD_PSI_BINS; i++)
		if (!cJSON_AddItemToArray(x, aud_json_number(pref[i])))
			goto nomem;
	if (x == NULL)
		goto nomem;
	x = cJSON_AddArrayToObject(h, "current");
	for (i = 0; x != NULL && i < AUD_PSI_BINS; i++)
		if (!cJSON_AddItemToArray(x, aud_json_number(pcur[i])))
			goto nomem;
	if (x == NULL)
		goto nomem;
	return 0;
nomem:
	return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
}

static int
by_total_desc(const void *pa, const void *pb)
{
	const struct cat *a = pa, *b = pb;
	double ta = a->ref + a->cur, tb = b->ref + b->cur;

	if (ta != tb)
		return ta > tb ? -1 : 1;
	return strcmp(a->s, b->s);
}

/* The histogram of a categorical column: the 20 most frequent of the union, the rest summed. */
static int
category_histogram(cJSON *obj, const struct cat *u, size_t n, double nref, double ncur)
{
	struct cat *s = malloc((n + 1) * sizeof(*s));
	size_t i, top = n > AUD__DRIFT_HIST_TOP ? AUD__DRIFT_HIST_TOP : n;
	double oref = 0, ocur = 0;
	cJSON *h, *c, *r, *k;
	int rc = -1;

	if (s == NULL)
		return -1;
	memcpy(s, u, n * sizeof(*s));
	qsort(s, n, sizeof(*s), by_total_desc);
	h = cJSON_AddObjectToObject(obj, "histogram");
	c = h != NULL ? cJSON_AddArrayToObject(h, "categories") : NULL;
	r = h != NULL ? cJSON_AddArrayToObject(h, "reference") : NULL;
	k = h != NULL ? cJSON_AddArrayToObject(h, "current") : NULL;
	if (c == NULL || r == NULL || k == NULL)
		goto done;
	for (i = 0; i < n; i++) {
		if (i >= top) {
			oref += s[i].ref;
			ocur += s[i].cur;
			continue;
		}
		if (!cJSON_AddItemToArray(c, cJSON_CreateString(s[i].s)) ||
		    !cJSON_AddItemToArray(r, aud_json_number(nref > 0 ? s[i].ref / nref : NAN)) ||
		    !cJSON_AddItemToArray(k, aud_json_number(ncur > 0 ? s[i].cur / ncur : NAN)))
			goto done;
	}
	if (n > top && (!cJSON_AddItemToArray(c, cJSON_CreateString("(other)")) ||
	    !cJSON_AddItemToArray(r, aud_json_number(nref > 0 ? oref / nref : NAN)) ||
	    !cJSON_AddItemToArray(k, aud_json_number(ncur > 0 ? ocur / ncur : NAN))))
		goto done;
	rc = 0;
done:
	free(s);
	return rc;
}

/*
 * Chi-square (goodness of fit, and independence of the 2 x k table),
 * Jensen–Shannon, the categorical PSI (and z for at most two
 * values) over the sorted union of categories. *unseen: the current
 * categories absent from the reference (chi-square is then undefined).
 */
static int
categorical_stats(cJSON *obj, const struct cat *u, size_t n, int numeric, struct values *val,
    size_t *unseen, struct aud_error *err)
{
	double *r = calloc(n + 1, sizeof(double)), *c = calloc(n + 1, sizeof(double));
	double chi, chip, cont, contp, nref = 0, ncur = 0, z, zp;
	size_t i;
	int rc = AUD_ENOMEM;

	if (r == NULL || c == NULL)
		goto done;
	*unseen = 0;
	for (i = 0; i < n; i++) {
		r[i] = u[i].ref;
		c[i] = u[i].cur;
		nref += r[i];
		ncur += c[i];
		if (u[i].ref == 0 && u[i].cur > 0)
			(*unseen)++;
	}
	aud_chisquare_gof(&chi, &chip, c, r, n);
	aud_chi2_contingency(&cont, &contp, r, c, n);
	/* an expected count of 0 beside an observed one: SciPy's statistic is inf, p 0 */
	val->v[AUD_DRIFT_CHISQUARE] = *unseen > 0 ? 0.0 : chip;
	val->v[AUD_DRIFT_JENSENSHANNON] = aud_jensenshannon(r, c, n);
	if (aud_json_add_number(obj, "chisquare_statistic", chi) == NULL ||
	    aud_json_add_number(obj, "chisquare_pvalue", chip) == NULL ||
	    aud_json_add_number(obj, "contingency_statistic", cont) == NULL ||
	    aud_json_add_number(obj, "contingency_pvalue", contp) == NULL ||
	    aud_json_add_number(obj, "jensenshannon", val->v[AUD_DRIFT_JENSENSHANNON]) == NULL)
		goto done;
	if (n <= 2) {
		/* the second value (or the only one) is the success */
		size_t s = n == 2 ? 1 : 0;

		aud_ztest_2prop(&z, &zp, (uint64_t)r[s], (uint64_t)nref, (uint64_t)c[s],
		    (uint64_t)ncur);
		val->v[AUD_DRIFT_Z] = zp;
		if (aud_json_add_number(obj, "z_statistic", z) == NULL ||
		    aud_json_add_number(obj, "z_pvalue", zp) == NULL)
			goto done;
	}
	/* a numeric column keeps its binned PSI; its histogram shows its few values */
	if (!numeric)
		val->v[AUD_DRIFT_PSI] = aud_psi(r, c, n);
	if (category_histogram(obj, u, n, nref, ncur) < 0)
		goto done;
	rc = 0;
done:
	free(r);
	free(c);
	return rc < 0 ? AUD_ERROR(err, rc, "out of memory") : 0;
}

/* The unseen current categories, and whether each is a reference category plus a '.'. */
static int
unseen_warning(cJSON *warnings, const char *where, const char *name, const struct cat *u,
    size_t n)
{
	char list[256], hint[400];
	size_t i, k, len = 0, shown = 0, dotted = 0, total = 0;

	list[0] = '\0';
	for (i = 0; i < n; i++) {
		size_t sl = strlen(u[i].s);

		if (!(u[i].ref == 0 && u[i].cur > 0))
			continue;
		total++;
		for (k = 0; sl > 1 && u[i].s[sl - 1] == '.' && k < n; k++)
			if (u[k].ref > 0 && strlen(u[k].s) == sl - 1 &&
			    memcmp(u[k].s, u[i].s, sl - 1) == 0) {
				dotted++;
				break;
			}
		if (shown < 5 && len < sizeof(list) - 1) {
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s'%.40s'",
			    shown ? ", " : "", u[i].s);
			shown++;
		}
	}
	if (total > shown && len < sizeof(list) - 1)
		snprintf(list + len, sizeof(list) - len, ", ... (%zu in all)", total);
	if (dotted == total)
		snprintf(hint, sizeof(hint), "%s; each is a reference value with a trailing '.': "
		    "--strip-suffix . drops it", list);
	else
		snprintf(hint, sizeof(hint), "%s", list);
	return warn(warnings, where, "column '%s': current values absent from the reference "
	    "(chi-square is undefined; it decides drift when it is the test): %s", name, hint);
}

/* Put the deciding test, threshold and decision. value: the deciding statistic. */
static int
decide(cJSON *obj, enum aud_drift_method m, double value, double threshold)
{
	int d = aud__drift_decide(m, value, threshold);

	if (cJSON_AddStringToObject(obj, "test", aud_drift_method_names[m]) == NULL ||
	    aud_json_add_number(obj, "threshold", threshold) == NULL ||
	    aud_json_add_number(obj, "value", value) == NULL ||
	    cJSON_AddBoolToObject(obj, "drift", d) == NULL)
		return -1;
	return 0;
}

/* A column that is not tested: test, threshold and drift null, and why. */
static int
not_tested(cJSON *obj, const char *reason)
{
	if (cJSON_AddNullToObject(obj, "test") == NULL ||
	    cJSON_AddNullToObject(obj, "threshold") == NULL ||
	    cJSON_AddNullToObject(obj, "drift") == NULL ||
	    cJSON_AddStringToObject(obj, "reason", reason) == NULL)
		return -1;
	return 0;
}

static int
put_counts(cJSON *obj, struct aud_colstat *ref, struct aud_colstat *cur)
{
	if (ref != NULL && (aud_json_add_number(obj, "missing_reference",
	    (double)aud_colstat_missing(ref)) == NULL || aud_json_add_number(obj,
	    "reference_rows", (double)(aud_colstat_rows(ref) - aud_colstat_missing(ref))) == NULL))
		return -1;
	if (cur != NULL && (aud_json_add_number(obj, "missing_current",
	    (double)aud_colstat_missing(cur)) == NULL || aud_json_add_number(obj,
	    "current_rows", (double)(aud_colstat_rows(cur) - aud_colstat_missing(cur))) == NULL))
		return -1;
	return 0;
}

int
aud__drift_column(cJSON *obj, const char *name, struct aud_colstat *ref,
    struct aud_colstat *cur, const struct aud__drift_rules *r, cJSON *warnings,
    const char *where, struct aud_error *err)
{
	enum aud_colstat_kind kr, kc;
	enum aud_drift_method m;
	struct cat *u = NULL;
	size_t n = 0, unseen = 0;
	uint64_t ndistinct, nref;
	struct values val;
	int numeric, categorical, fallback, rc = 0, exact_r, exact_c;
	const char *kind;

	for (n = 0; n <= AUD_DRIFT_PSI; n++)
		val.v[n] = NAN;
	n = 0;
	if (cJSON_AddStringToObject(obj, "column", name) == NULL)
		goto nomem;
	if (ref == NULL || cur == NULL) {
		struct aud_colstat *one = ref != NULL ? ref : cur;

		if (cJSON_AddStringToObject(obj, "kind",
		    aud_colstat_kind_names[aud_colstat_kind(one)]) == NULL ||
		    put_counts(obj, ref, cur) < 0 ||
		    not_tested(obj, ref != NULL ? "only in the reference" :
		    "only in the current data") < 0 ||
		    warn(warnings, where, "column '%s' is %s: reported, not compared", name,
		    ref != NULL ? "only in the reference" : "only in the current data") < 0)
			goto nomem;
		return 0;
	}
	kr = aud_colstat_kind(ref);
	kc = aud_colstat_kind(cur);
	if (kr == AUD_COLSTAT_EMPTY || kc == AUD_COLSTAT_EMPTY) {
		const char *why = kr == AUD_COLSTAT_EMPTY && kc == AUD_COLSTAT_EMPTY ?
		    "every value is missing in both files" : kr == AUD_COLSTAT_EMPTY ?
		    "every value is missing in the reference" :
		    "every value is missing in the current data";

		if (cJSON_AddStringToObject(obj, "kind", "empty") == NULL ||
		    put_counts(obj, ref, cur) < 0 || not_tested(obj, why) < 0 ||
		    warn(warnings, where, "column '%s': %s: reported, not tested", name, why) < 0)
			goto nomem;
		return 0;
	}
	numeric = kr == AUD_COLSTAT_NUMERIC && kc == AUD_COLSTAT_NUMERIC;
	if (!numeric && kr != kc && warn(warnings, where, "column '%s' is %s: compared as "
	    "categorical", name, kr == AUD_COLSTAT_NUMERIC ? "numeric in the reference and "
	    "categorical in the current data" : "categorical in the reference and numeric in "
	    "the current data") < 0)
		goto nomem;
	nref = aud_colstat_rows(ref) - aud_colstat_missing(ref);
	if (aud_colstat_overflow(ref) || aud_colstat_overflow(cur)) {
		ndistinct = aud_colstat_distinct(ref, &exact_r);
		if (aud_colstat_distinct(cur, &exact_c) > ndistinct)
			ndistinct = aud_colstat_distinct(cur, &exact_c);
	} else {
		u = union_of(ref, cur, &n);
		if (u == NULL)
			goto nomem;
		ndistinct = n;
	}
	categorical = u != NULL && (!numeric || ndistinct <= 5);
	kind = ndistinct == 2 && u != NULL ? "binary" : numeric ? "numeric" : "categorical";
	if (cJSON_AddStringToObject(obj, "kind", kind) == NULL || put_counts(obj, ref, cur) < 0)
		goto nomem;
	if (numeric) {
		rc = numeric_stats(obj, ref, cur, &val, !categorical, err);
		if (rc < 0)
			goto done;
	}
	if (categorical) {
		rc = categorical_stats(obj, u, n, numeric, &val, &unseen, err);
		if (rc < 0)
			goto done;
	}
	if (!numeric && !categorical) {
		/* high-cardinality text: no category counts to compare */
		if (not_tested(obj, "more distinct values than --max-categories") < 0 ||
		    warn(warnings, where, "column '%s' has more distinct values than "
		    "--max-categories: reported, not tested", name) < 0)
			goto nomem;
		goto done;
	}
	if (aud_json_add_number(obj, "psi", val.v[AUD_DRIFT_PSI]) == NULL)
		goto nomem;
	m = aud__drift_select(r->method, numeric, ndistinct, nref, &fallback);
	if (fallback && warn(warnings, where, "column '%s': --method %s is not defined for it; "
	    "%s decides", name, aud_drift_method_names[r->method], aud_drift_method_names[m]) < 0)
		goto nomem;
	if (unseen > 0 && unseen_warning(warnings, where, name, u, n) < 0)
		goto nomem;
	if (decide(obj, m, val.v[m], aud__drift_threshold(m, r->threshold)) < 0)
		goto nomem;
	rc = 0;
	goto done;
nomem:
	rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
done:
	free(u);
	return rc;
}

int
aud__drift_summary(cJSON *obj, const cJSON *columns, double share, struct aud_error *err)
{
	const cJSON *c, *d;
	double tested = 0, drifted = 0, s;

	cJSON_ArrayForEach(c, columns) {
		d = aud_json_get(c, "drift");
		if (!cJSON_IsBool(d))
			continue;
		tested += 1;
		drifted += cJSON_IsTrue(d) ? 1 : 0;
	}
	s = tested > 0 ? drifted / tested : NAN;
	if (aud_json_add_number(obj, "tested", tested) == NULL ||
	    aud_json_add_number(obj, "drifted", drifted) == NULL ||
	    aud_json_add_number(obj, "drift_share", s) == NULL ||
	    (tested > 0 ? cJSON_AddBoolToObject(obj, "dataset_drift", s >= share) :
	    cJSON_AddNullToObject(obj, "dataset_drift")) == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	return 0;
}
