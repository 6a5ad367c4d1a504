/* fairness_finish.c — finishing: attributes, groups, metrics, summaries, intervals, tests. */
#include <audit/fairness.h>

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fairness_impl.h"
#include "fairness_sort.h"

/* ---- finishing: attributes and groups ---- */

static void
attr_release(struct attr *a)
{
	size_t i;

	for (i = 0; i < a->ngroups; i++) {
		free(a->g[i].name);
		free(a->g[i].vals);
		free(a->g[i].hist);
	}
	free(a->g);
	free(a->t2g);
	free(a->cols);
	free(a->name);
}

int
aud__fair_warn(struct fin *fi, struct aud_error *err, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	cJSON *s;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	s = cJSON_CreateString(buf);
	if (s == NULL || !cJSON_AddItemToArray(fi->warnings, s)) {
		cJSON_Delete(s);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	return 0;
}

void
aud__fair_acc_add(struct acc *d, const struct acc *s)
{
	size_t i;

	for (i = 0; i < NCELL; i++) {
		d->n[i] += s->n[i];
		d->w[i] += s->w[i];
	}
	d->ws += s->ws;
	d->wbrier += s->wbrier;
	d->wll += s->wll;
	for (i = 0; i < NECE; i++) {
		d->ece_ws[i] += s->ece_ws[i];
		d->ece_wy[i] += s->ece_wy[i];
		d->ece_w[i] += s->ece_w[i];
		d->ece_n[i] += s->ece_n[i];
	}
}

void
aud__fair_hist_add(struct hcell *d, const struct hcell *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		d[i].n += s[i].n;
		d[i].w += s[i].w;
		d[i].ws += s[i].ws;
		d[i].wbrier += s[i].wbrier;
		d[i].wll += s[i].wll;
	}
}

static int
cmp_group(const void *pa, const void *pb)
{
	const struct group *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int
cmp_group_ptr(const void *pa, const void *pb)
{
	return cmp_group(*(struct group *const *)pa, *(struct group *const *)pb);
}

/*
 * A value as a part of a group name, into dst (when not NULL; no NUL added);
 * returns its length. The missing value is (missing). A value is written in
 * double quotes, its own double quotes doubled, when it could be read as
 * something else: a literal "(missing)", a value that starts with a double
 * quote, or one that holds " &" or "& " (so that " & " only ever joins the
 * parts of an intersection). Every other value is written as it is.
 */
static size_t
name_part(char *dst, const struct column *c, uint32_t id)
{
	const char *v = c->str[id];
	size_t n = c->len != NULL ? c->len[id] : strlen(v), i, len;
	int quote;

	if ((int64_t)id == c->missing_id) {
		if (dst != NULL)
			memcpy(dst, "(missing)", 9);
		return 9;
	}
	quote = (n == 9 && memcmp(v, "(missing)", 9) == 0) || (n > 0 && v[0] == '"');
	for (i = 0; !quote && i + 1 < n; i++)
		quote = (v[i] == ' ' && v[i + 1] == '&') || (v[i] == '&' && v[i + 1] == ' ');
	if (!quote) {
		if (dst != NULL)
			memcpy(dst, v, n);
		return n;
	}
	len = 0;
	if (dst != NULL)
		dst[len] = '"';
	len++;
	for (i = 0; i < n; i++) {
		if (v[i] == '"') {
			if (dst != NULL)
				dst[len] = '"';
			len++;
		}
		if (dst != NULL)
			dst[len] = v[i];
		len++;
	}
	if (dst != NULL)
		dst[len] = '"';
	return len + 1;
}

/* Build an attribute over columns cols[0..ncols) (none: overall). */
static int
attr_build(struct fin *fi, struct attr *at, const size_t *cols, size_t ncols,
    struct aud_error *err)
{
	struct aud_fairness *f = fi->f;
	size_t t, i, hb2 = 2 * f->hist_bins;
	uint32_t *perm = NULL;
	int rc = 0;

	at->ncols = ncols;
	at->overall = ncols == 0;
	at->cols = calloc(ncols ? ncols : 1, sizeof(*at->cols));
	at->t2g = malloc((f->ntuples ? f->ntuples : 1) * sizeof(*at->t2g));
	at->g = calloc(f->ntuples ? f->ntuples : 1, sizeof(*at->g));
	if (at->cols == NULL || at->t2g == NULL || at->g == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	memcpy(at->cols, cols, ncols * sizeof(*cols));
	{
		size_t len = 8;
		char *p;

		for (i = 0; i < ncols; i++)
			len += strlen(f->cols[cols[i]].name) + 3;
		at->name = malloc(len);
		if (at->name == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		p = at->name;
		*p = '\0';
		if (ncols == 0)
			strcpy(p, "overall");
		for (i = 0; i < ncols; i++) {
			p += sprintf(p, "%s%s", i ? " & " : "", f->cols[cols[i]].name);
		}
	}
	/*
	 * groups: distinct projections of the cells onto cols. One column: its
	 * value ids; every column: the cells themselves; none: one group.
	 */
	{
		size_t nmap = ncols == 1 ? f->cols[cols[0]].nstr : f->ntuples;
		int64_t *map = malloc((nmap ? nmap : 1) * sizeof(*map));

		if (map == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		for (i = 0; i < nmap; i++)
			map[i] = -1;
		for (t = 0; t < f->ntuples; t++) {
			const uint32_t *ids = f->tids + t * f->k;
			size_t key = ncols == 0 ? 0 : ncols == 1 ? ids[cols[0]] : t;
			size_t g;

			assert(ncols <= 1 || ncols == f->k);
			if (map[key] < 0) {
				struct group *gr = &at->g[at->ngroups];

				map[key] = (int64_t)at->ngroups++;
				gr->vals = calloc(ncols ? ncols : 1, sizeof(*gr->vals));
				if (gr->vals == NULL) {
					free(map);
					return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
				}
				for (i = 0; i < ncols; i++)
					gr->vals[i] = ids[cols[i]];
				if (hb2 > 0) {
					gr->hist = calloc(hb2, sizeof(*gr->hist));
					if (gr->hist == NULL) {
						free(map);
						return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
					}
				}
			}
			g = (size_t)map[key];
			at->t2g[t] = (uint32_t)g;
			aud__fair_acc_add(&at->g[g].a, &f->tacc[t]);
			if (hb2 > 0)
				aud__fair_hist_add(at->g[g].hist, f->thist + t * hb2, hb2);
		}
		free(map);
	}
	for (i = 0; i < at->ngroups; i++) {
		struct group *gr = &at->g[i];
		size_t c, len = 1;
		char *p;

		for (c = 0; c < NCELL; c++)
			gr->count += gr->a.n[c];
		for (c = 0; c < ncols; c++)
			len += name_part(NULL, &f->cols[cols[c]], gr->vals[c]) + 3;
		if (ncols == 0)
			len += 8;
		gr->name = malloc(len);
		if (gr->name == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		p = gr->name;
		*p = '\0';
		if (ncols == 0)
			strcpy(p, "overall");
		for (c = 0; c < ncols; c++) {
			if (c > 0)
				p += sprintf(p, " & ");
			p += name_part(p, &f->cols[cols[c]], gr->vals[c]);
		}
		*p = '\0';
		gr->auc = gr->auc_var = gr->auc_hist = gr->auc_bin_error = NAN;
	}
	/* order: descending count, ties by name; renumber the cell map */
	{
		struct group **ptr = malloc((at->ngroups ? at->ngroups : 1) * sizeof(*ptr));
		struct group *ng = calloc(at->ngroups ? at->ngroups : 1, sizeof(*ng));

		perm = malloc((at->ngroups ? at->ngroups : 1) * sizeof(*perm));
		if (ptr == NULL || ng == NULL || perm == NULL) {
			free(ptr);
			free(ng);
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		for (i = 0; i < at->ngroups; i++)
			ptr[i] = &at->g[i];
		qsort(ptr, at->ngroups, sizeof(*ptr), cmp_group_ptr);
		for (i = 0; i < at->ngroups; i++) {
			ng[i] = *ptr[i];
			perm[ptr[i] - at->g] = (uint32_t)i;
		}
		free(ptr);
		free(at->g);
		at->g = ng;
		for (t = 0; t < f->ntuples; t++)
			at->t2g[t] = perm[at->t2g[t]];
	}
done:
	free(perm);
	return rc;
}

/* ---- metrics ---- */

double
aud__fair_ratio(double a, double b)
{
	return b > 0.0 || b < 0.0 ? a / b : NAN;
}

/* Rate metrics from a confusion accumulator. */
void
aud__fair_rates(double m[AUD__NMET], const struct acc *a)
{
	const double *w = a->w;
	double tp = w[6] + w[7], fn = w[4] + w[5], fp = w[2] + w[3], tn = w[0] + w[1];
	double fav = w[1] + w[3] + w[5] + w[7];
	double n = tp + fn + fp + tn, p = tp + fn, q = fp + tn;

	m[AUD__M_BASE_RATE] = aud__fair_ratio(p, n);
	m[AUD__M_SELECTION_RATE] = aud__fair_ratio(tp + fp, n);
	m[AUD__M_FAVORABLE_RATE] = aud__fair_ratio(fav, n);
	m[AUD__M_ACCURACY] = aud__fair_ratio(tp + tn, n);
	m[AUD__M_TPR] = aud__fair_ratio(tp, p);
	m[AUD__M_FPR] = aud__fair_ratio(fp, q);
	m[AUD__M_TNR] = aud__fair_ratio(tn, q);
	m[AUD__M_FNR] = aud__fair_ratio(fn, p);
	m[AUD__M_PPV] = aud__fair_ratio(tp, tp + fp);
	m[AUD__M_NPV] = aud__fair_ratio(tn, tn + fn);
	m[AUD__M_FDR] = aud__fair_ratio(fp, tp + fp);
	m[AUD__M_FOR] = aud__fair_ratio(fn, tn + fn);
	m[AUD__M_F1] = aud__fair_ratio(2.0 * tp, 2.0 * tp + fp + fn);
	m[AUD__M_BALANCED_ACCURACY] = (m[AUD__M_TPR] + m[AUD__M_TNR]) / 2.0;
}

double
aud__fair_acc_weight(const struct acc *a)
{
	double n = 0.0;
	size_t i;

	for (i = 0; i < NCELL; i++)
		n += a->w[i];
	return n;
}

/* A sum of kept weights in the input's unit (infinite past the largest double). */
double
aud__fair_real_weight(const struct aud_fairness *f, double w)
{
	return f->w0 > 0.0 ? w * f->w0 : w;
}

/* Score metrics from the streaming sums (exact). */
static void
score_sums(double m[AUD__NMET], const struct acc *a)
{
	double n = aud__fair_acc_weight(a), e = 0.0;
	size_t b;

	m[AUD__M_BRIER] = aud__fair_ratio(a->wbrier, n);
	m[AUD__M_LOG_LOSS] = aud__fair_ratio(a->wll, n);
	m[AUD__M_MEAN_SCORE] = aud__fair_ratio(a->ws, n);
	for (b = 0; b < NECE; b++)
		e += fabs(a->ece_ws[b] - a->ece_wy[b]);
	m[AUD__M_ECE] = aud__fair_ratio(e, n);
}

/* Score metrics from a histogram (replicates). */
void
aud__fair_score_hist(double m[AUD__NMET], const struct hcell *h, size_t nb)
{
	double n = 0.0, br = 0.0, ll = 0.0, ws = 0.0, var, be;
	double ews[NECE] = { 0 }, ewy[NECE] = { 0 }, e = 0.0;
	size_t b, y;

	for (y = 0; y < 2; y++)
		for (b = 0; b < nb; b++) {
			const struct hcell *c = &h[y * nb + b];
			size_t eb = aud__fair_hist_bin(((double)b + 0.5) / (double)nb, NECE);

			n += c->w;
			br += c->wbrier;
			ll += c->wll;
			ws += c->ws;
			ews[eb] += c->ws;
			if (y)
				ewy[eb] += c->w;
		}
	for (b = 0; b < NECE; b++)
		e += fabs(ews[b] - ewy[b]);
	m[AUD__M_BRIER] = aud__fair_ratio(br, n);
	m[AUD__M_LOG_LOSS] = aud__fair_ratio(ll, n);
	m[AUD__M_MEAN_SCORE] = aud__fair_ratio(ws, n);
	m[AUD__M_ECE] = aud__fair_ratio(e, n);
	aud__fair_hist_auc(h, nb, &m[AUD__M_AUC], &var, &be);
}

/* min and max of metric k over the groups where it is defined. */
static int
minmax(const struct group *g, size_t ng, const double *const *rep, int k,
    double *mn, double *mx)
{
	size_t i;
	int any = 0;

	*mn = INFINITY;
	*mx = -INFINITY;
	for (i = 0; i < ng; i++) {
		double v = rep ? rep[i][k] : g[i].m[k];

		if (isnan(v))
			continue;
		any = 1;
		if (v < *mn)
			*mn = v;
		if (v > *mx)
			*mx = v;
	}
	return any;
}

/*
 * Summaries of an attribute from per-group metrics (g[i].m, or rep[i] for a
 * replicate), the reference group ref.
 */
void
aud__fair_summaries(double s[AUD__NSUM], const struct group *g, size_t ng,
    const double *const *rep, size_t ref)
{
	double mn, mx, tmn, tmx, fmn, fmx;
	int t, fdef;

	s[AUD__S_DP_DIFF] = s[AUD__S_DP_RATIO] = NAN;
	if (minmax(g, ng, rep, AUD__M_SELECTION_RATE, &mn, &mx)) {
		s[AUD__S_DP_DIFF] = mx - mn;
		s[AUD__S_DP_RATIO] = aud__fair_ratio(mn, mx);
	}
	t = minmax(g, ng, rep, AUD__M_TPR, &tmn, &tmx);
	fdef = minmax(g, ng, rep, AUD__M_FPR, &fmn, &fmx);
	s[AUD__S_EOP_DIFF] = t ? tmx - tmn : NAN;
	s[AUD__S_EOP_RATIO] = t ? aud__fair_ratio(tmn, tmx) : NAN;
	if (t && fdef) {
		double rt = aud__fair_ratio(tmn, tmx), rf = aud__fair_ratio(fmn, fmx);

		s[AUD__S_EO_DIFF] = fmax(tmx - tmn, fmx - fmn);
		s[AUD__S_EO_RATIO] = isnan(rt) || isnan(rf) ? NAN : fmin(rt, rf);
	} else {
		s[AUD__S_EO_DIFF] = s[AUD__S_EO_RATIO] = NAN;
	}
	s[AUD__S_DI] = s[AUD__S_SPD] = s[AUD__S_AOD] = NAN;
	if (ng == 2) {
		const double *p = rep ? rep[ref] : g[ref].m;
		const double *u = rep ? rep[1 - ref] : g[1 - ref].m;

		s[AUD__S_DI] = aud__fair_ratio(u[AUD__M_FAVORABLE_RATE], p[AUD__M_FAVORABLE_RATE]);
		s[AUD__S_SPD] = u[AUD__M_FAVORABLE_RATE] - p[AUD__M_FAVORABLE_RATE];
		s[AUD__S_AOD] = 0.5 * ((u[AUD__M_FPR] - p[AUD__M_FPR]) +
		    (u[AUD__M_TPR] - p[AUD__M_TPR]));
	}
}

void
aud__fair_disparity(double *dr, double *dd, const double *m, const double *ref, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		dr[k] = isnan(m[k]) || isnan(ref[k]) ? NAN : aud__fair_ratio(m[k], ref[k]);
		dd[k] = m[k] - ref[k];
	}
}

/* Wilson and DeLong intervals of one group. */
static void
wilson_all(struct group *g, double z)
{
	const double *w = g->a.w;
	double tp = w[6] + w[7], fn = w[4] + w[5], fp = w[2] + w[3], tn = w[0] + w[1];
	double fav = w[1] + w[3] + w[5] + w[7];
	double n = tp + fn + fp + tn, p = tp + fn, q = fp + tn;
	static const int which[] = {
		AUD__M_BASE_RATE, AUD__M_SELECTION_RATE, AUD__M_FAVORABLE_RATE,
		AUD__M_ACCURACY, AUD__M_TPR, AUD__M_FPR, AUD__M_TNR, AUD__M_FNR,
		AUD__M_PPV, AUD__M_NPV, AUD__M_FDR, AUD__M_FOR
	};
	const double num[] = { p, tp + fp, fav, tp + tn, tp, fp, tn, fn, tp, tn, fp, fn };
	const double den[] = { n, n, n, n, p, q, q, p, tp + fp, tn + fn, tp + fp, tn + fn };
	size_t i;

	for (i = 0; i < AUD__NMET; i++)
		g->lo[i] = g->hi[i] = NAN;
	for (i = 0; i < sizeof(which) / sizeof(which[0]); i++)
		aud_stats_wilson(num[i], den[i], z, &g->lo[which[i]], &g->hi[which[i]]);
	if (!isnan(g->auc_var) && !isnan(g->m[AUD__M_AUC])) {
		double h = z * sqrt(g->auc_var);

		g->lo[AUD__M_AUC] = fmax(0.0, g->m[AUD__M_AUC] - h);
		g->hi[AUD__M_AUC] = fmin(1.0, g->m[AUD__M_AUC] + h);
	}
}

/* Which metrics have an interval in the output. */
int
aud__fair_has_ci(const struct aud_fairness *f, int k)
{
	if (k >= AUD__M_AUC && !f->o.has_score)
		return 0;
	if (f->o.ci_method == AUD_CI_BOOTSTRAP)
		return 1;
	return k < AUD__M_F1 || k == AUD__M_AUC;
}

static void
group_metrics(struct fin *fi, struct group *g)
{
	struct aud_fairness *f = fi->f;
	int k;

	aud__fair_rates(g->m, &g->a);
	for (k = AUD__M_AUC; k < AUD__NMET; k++)
		g->m[k] = NAN;
	if (!f->o.has_score)
		return;
	score_sums(g->m, &g->a);
	if (g->hist != NULL)
		aud__fair_hist_auc(g->hist, f->hist_bins, &g->auc_hist, &(double){ 0 }, &g->auc_bin_error);
	if (!f->exact) {
		double v;

		aud__fair_hist_auc(g->hist, f->hist_bins, &g->auc, &v, &g->auc_bin_error);
		g->auc_var = v;
	}
	g->m[AUD__M_AUC] = g->auc;
}

/* Warn once per group about its undefined metrics, saying why. */
static int
warn_undefined(struct fin *fi, const struct attr *at, const struct group *g,
    struct aud_error *err)
{
	const double *w = g->a.w;
	double tp = w[6] + w[7], fn = w[4] + w[5], fp = w[2] + w[3], tn = w[0] + w[1];
	char buf[512];
	size_t len = 0;
	const char *who = at->overall ? "overall" : at->name;

	buf[0] = '\0';
#define ADD(...) do { if (len < sizeof(buf)) len += (size_t)snprintf(buf + len, sizeof(buf) - len, __VA_ARGS__); } while (0)
	if (!(tp + fn + fp + tn > 0.0)) {
		ADD("every metric (total weight 0)");
	} else {
		if (!(tp + fn > 0.0))
			ADD("%stpr, fnr, balanced_accuracy%s (no positive labels)",
			    len ? "; " : "", fi->f->o.has_score ? ", auc" : "");
		if (!(fp + tn > 0.0))
			ADD("%sfpr, tnr, balanced_accuracy%s (no negative labels)",
			    len ? "; " : "", fi->f->o.has_score ? ", auc" : "");
		if (!(tp + fp > 0.0))
			ADD("%sppv, fdr (no predicted positives)", len ? "; " : "");
		if (!(tn + fn > 0.0))
			ADD("%snpv, for (no predicted negatives)", len ? "; " : "");
		if (!(2 * tp + fp + fn > 0.0))
			ADD("%sf1 (no positive labels or predictions)", len ? "; " : "");
	}
#undef ADD
	if (len == 0)
		return 0;
	if (at->overall)
		return aud__fair_warn(fi, err, "%s: undefined (null): %s", who, buf);
	return aud__fair_warn(fi, err, "%s: group '%s': undefined (null): %s", who, g->name, buf);
}

/* Warn when a summary skipped groups where its metric is undefined. */
static int
warn_skipped(struct fin *fi, const struct attr *at, int metric, const char *what,
    struct aud_error *err)
{
	char buf[512];
	size_t i, len = 0, n = 0;

	buf[0] = '\0';
	for (i = 0; i < at->ngroups; i++)
		if (isnan(at->g[i].m[metric])) {
			if (len < sizeof(buf))
				len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s'%s'",
				    n ? ", " : "", at->g[i].name);
			n++;
		}
	if (n == 0)
		return 0;
	return aud__fair_warn(fi, err, "%s: %s skip %zu group%s where %s is undefined: %s",
	    at->name, what, n, n == 1 ? "" : "s", aud__metrics[metric].key, buf);
}

/*
 * The default reference is the largest group; groups of the same size come in
 * name order, so a tie is decided by name: say so, and how to choose.
 */
static int
warn_tie(struct fin *fi, const struct attr *at, struct aud_error *err)
{
	char buf[512];
	size_t i, n = 0, len = 0;

	while (n < at->ngroups && at->g[n].count == at->g[0].count)
		n++;
	buf[0] = '\0';
	for (i = 0; i < n && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s'%s'",
		    i == 0 ? "" : i + 1 == n ? " and " : ", ", at->g[i].name);
	return aud__fair_warn(fi, err, "%s: groups %s tie as the largest (%llu rows): the reference "
	    "group is '%s', the first by name; choose one with --reference '%s=GROUP'",
	    at->name, buf, (unsigned long long)at->g[0].count, at->g[0].name, at->name);
}

/* The reference group of an attribute: --reference, else the largest (a tie warned about). */
int
aud__fair_set_reference(struct fin *fi, struct attr *at, struct aud_error *err)
{
	const struct aud_fairness *f = fi->f;
	size_t i, j;
	int explicit = 0;

	at->ref = 0;
	for (j = 0; j < f->o.nrefs; j++) {
		if (strcmp(f->o.refs[j].attribute, at->name) != 0)
			continue;
		for (i = 0; i < at->ngroups; i++)
			if (strcmp(at->g[i].name, f->o.refs[j].group) == 0)
				break;
		if (i == at->ngroups)
			return AUD_ERROR(err, AUD_EINVAL,
			    "--reference: attribute '%s' has no group '%s'", at->name,
			    f->o.refs[j].group);
		at->ref = i;
		explicit = 1;
	}
	if (!explicit && at->ngroups >= 2 && at->g[1].count == at->g[0].count)
		return warn_tie(fi, at, err);
	return 0;
}

static int
attr_compute(struct fin *fi, struct attr *at, struct aud_error *err)
{
	struct aud_fairness *f = fi->f;
	size_t i, j;
	int rc = 0;
	double *table = NULL;

	for (i = 0; i < at->ngroups; i++) {
		struct group *g = &at->g[i];

		group_metrics(fi, g);
		g->small = g->count < f->o.min_group_size;
		wilson_all(g, fi->z);
		rc = warn_undefined(fi, at, g, err);
		if (rc < 0)
			return rc;
		if (f->o.has_weights && !isfinite(aud__fair_real_weight(f, aud__fair_acc_weight(&g->a)))) {
			if (at->overall)
				rc = aud__fair_warn(fi, err, "overall: the sum of weights exceeds the largest "
				    "number: 'weight' and the confusion sums past it are null (the "
				    "metrics do not depend on them)");
			else
				rc = aud__fair_warn(fi, err, "%s: group '%s': the sum of weights exceeds the "
				    "largest number: 'weight' and the confusion sums past it are null "
				    "(the metrics do not depend on them)", at->name, g->name);
			if (rc < 0)
				return rc;
		}
		if (g->small && !at->overall) {
			rc = aud__fair_warn(fi, err, "%s: group '%s' has %llu rows, fewer than "
			    "--min-group-size %llu: its metrics are uncertain",
			    at->name, g->name, (unsigned long long)g->count,
			    (unsigned long long)f->o.min_group_size);
			if (rc < 0)
				return rc;
		}
	}
	if (at->overall)
		return 0;
	rc = aud__fair_set_reference(fi, at, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < at->ngroups; i++)
		aud__fair_disparity(at->g[i].dr, at->g[i].dd, at->g[i].m, at->g[at->ref].m,
		    AUD__NRATE);
	aud__fair_summaries(at->s, at->g, at->ngroups, NULL, at->ref);
	rc = warn_skipped(fi, at, AUD__M_SELECTION_RATE, "demographic parity summaries", err);
	if (rc == 0)
		rc = warn_skipped(fi, at, AUD__M_TPR, "equalized odds and equal opportunity summaries", err);
	if (rc == 0)
		rc = warn_skipped(fi, at, AUD__M_FPR, "equalized odds summaries", err);
	if (rc < 0)
		return rc;
	/* chi-square tests: group x prediction, overall and within each label */
	table = malloc(2 * at->ngroups * sizeof(*table));
	if (table == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (j = 0; j < AUD__NTEST; j++) {
		for (i = 0; i < at->ngroups; i++) {
			const double *w = at->g[i].a.w;
			double tp = w[6] + w[7], fn = w[4] + w[5], fp = w[2] + w[3], tn = w[0] + w[1];

			table[2 * i] = j == 0 ? tp + fp : j == 1 ? tp : fp;
			table[2 * i + 1] = j == 0 ? fn + tn : j == 1 ? fn : tn;
		}
		aud_stats_chi2(&at->tests[j], table, at->ngroups, 2);
		if (at->tests[j].dof == 0)
			rc = aud__fair_warn(fi, err, "%s: chi-square test for %s undefined (fewer than "
			    "two groups or outcomes%s)", at->name, aud__tests[j],
			    j == 0 ? "" : j == 1 ? " among positive labels" : " among negative labels");
		else if (at->tests[j].min_expected < 5.0)
			rc = aud__fair_warn(fi, err, "%s: chi-square test for %s has an expected count "
			    "of %.3g (below 5): its p-value is approximate", at->name,
			    aud__tests[j], at->tests[j].min_expected);
		if (rc < 0)
			break;
	}
	free(table);
	return rc;
}

/* ---- finishing: the warnings and the results ---- */

static int
finish_warnings(struct fin *fi, struct aud_error *err)
{
	struct aud_fairness *f = fi->f;
	int rc = 0;

	if (f->skip_label > 0)
		rc = aud__fair_warn(fi, err, "%llu rows skipped: missing label",
		    (unsigned long long)f->skip_label);
	if (rc == 0 && f->skip_pred > 0)
		rc = aud__fair_warn(fi, err, "%llu rows skipped: missing prediction",
		    (unsigned long long)f->skip_pred);
	if (rc == 0 && f->skip_score > 0)
		rc = aud__fair_warn(fi, err, "%llu rows skipped: missing score",
		    (unsigned long long)f->skip_score);
	if (rc == 0 && f->skip_weight > 0)
		rc = aud__fair_warn(fi, err, "%llu rows skipped: missing weight",
		    (unsigned long long)f->skip_weight);
	return rc;
}

/*
 * The attributes of a finished accumulator, as every task forms them: each
 * protected column, their intersection (--intersect), then overall; groups in
 * descending count, ties by name. --reference attributes must exist.
 */
int
aud__fair_build_attrs(struct fin *fi, struct aud_error *err)
{
	struct aud_fairness *f = fi->f;
	size_t i, j, nat, *cols = NULL;
	int rc = 0;

	for (j = 0; j < f->o.nrefs; j++) {
		/* the attribute must exist (groups are checked later) */
		int found = 0;
		size_t len;

		for (i = 0; i < f->k; i++)
			found |= strcmp(f->cols[i].name, f->o.refs[j].attribute) == 0;
		if (!found && f->o.intersect && f->k > 1) {
			char *name;

			len = 0;
			for (i = 0; i < f->k; i++)
				len += strlen(f->cols[i].name) + 3;
			name = malloc(len + 1);
			if (name == NULL) {
				rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
				goto done;
			}
			name[0] = '\0';
			for (i = 0; i < f->k; i++) {
				if (i)
					strcat(name, " & ");
				strcat(name, f->cols[i].name);
			}
			found = strcmp(name, f->o.refs[j].attribute) == 0;
			free(name);
		}
		if (!found) {
			rc = AUD_ERROR(err, AUD_EINVAL,
			    "--reference: no attribute '%s'", f->o.refs[j].attribute);
			goto done;
		}
	}
	nat = f->k + (f->o.intersect && f->k > 1) + 1;
	fi->at = calloc(nat, sizeof(*fi->at));
	cols = calloc(f->k, sizeof(*cols));
	if (fi->at == NULL || cols == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < f->k; i++) {
		cols[0] = i;
		rc = attr_build(fi, &fi->at[fi->nat++], cols, 1, err);
		if (rc < 0)
			goto done;
	}
	if (f->o.intersect && f->k > 1) {
		for (i = 0; i < f->k; i++)
			cols[i] = i;
		rc = attr_build(fi, &fi->at[fi->nat++], cols, f->k, err);
		if (rc < 0)
			goto done;
	}
	rc = attr_build(fi, &fi->at[fi->nat++], cols, 0, err);
	if (rc < 0)
		goto done;
done:
	free(cols);
	return rc;
}

/* Free the attributes of aud__fair_build_attrs(). */
void
aud__fair_fin_release(struct fin *fi)
{
	size_t i;

	for (i = 0; i < fi->nat; i++)
		attr_release(&fi->at[i]);
	free(fi->at);
	fi->at = NULL;
	fi->nat = 0;
}

int
aud_fairness_finish(struct aud_fairness *f, cJSON *results, cJSON *warnings,
    struct aud_error *err)
{
	struct fin fi;
	size_t i;
	int rc = 0;

	memset(&fi, 0, sizeof(fi));
	fi.f = f;
	fi.warnings = warnings;
	fi.z = aud_stats_z(f->o.ci_level);
	if (f->nadded == 0) {
		rc = AUD_ERROR(err, AUD_EPARSE, "no rows to audit");
		goto done;
	}
	if (f->hist_bins > 0 && !f->hist_full && f->thist == NULL) {
		size_t n = f->ntuples * 2 * f->hist_bins;

		f->thist = calloc(n ? n : 1, sizeof(*f->thist));
		if (f->thist == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		for (i = 0; i < n; i++)
			f->thist[i].w = f->thw[i];
	}
	rc = aud__fair_build_attrs(&fi, err);
	if (rc < 0)
		goto done;
	if (f->exact && f->nrows > 0) {
		aud__srow_sort(f->rows, f->nrows, 2);
		rc = aud__fair_exact_auc(&fi, err);
		if (rc < 0)
			goto done;
	}
	rc = finish_warnings(&fi, err);
	if (rc < 0)
		goto done;
	/* overall first, so its warnings lead */
	rc = attr_compute(&fi, &fi.at[fi.nat - 1], err);
	for (i = 0; rc == 0 && i + 1 < fi.nat; i++)
		rc = attr_compute(&fi, &fi.at[i], err);
	if (rc < 0)
		goto done;
	if (f->o.ci_method == AUD_CI_BOOTSTRAP && f->o.bootstrap > 0) {
		rc = aud__fair_bootstrap(&fi, err);
		if (rc < 0)
			goto done;
	}
	if (aud__fair_results_json(&fi, results) < 0) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
done:
	aud__fair_fin_release(&fi);
	return rc;
}
