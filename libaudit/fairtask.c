/*
 * fairtask.c — group metrics of multi-class classifiers and regression
 * models: the rows per cell, the groups (those of fairness.h, through its
 * shared attribute builder), scikit-learn's metrics, Wilson and t intervals,
 * differences and ratios between groups; the bootstrap is fairtask_boot.c's,
 * the results object fairtask_json.c's.
 */
#include <audit/fairtask.h>

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <audit/csv.h>
#include <audit/dict.h>
#include <audit/json.h>
#include <audit/stats.h>

#include "fairtask_impl.h"

#define MAX_CLASSES 1000

const char *const aud__mc_main[AUD__MC_NMAIN] = {
	"accuracy", "balanced_accuracy", "macro_precision", "macro_recall", "macro_f1"
};
const char *const aud__mc_pc[AUD__MC_NPC] = {
	"support", "recall", "precision", "f1", "selection_rate"
};
const char *const aud__rg_met[AUD__RG_NMET] = {
	"mean_prediction", "mean_label", "mae", "mse", "rmse", "r2", "group_loss"
};
/* the per-class values with summaries (indices into aud__mc_pc): recall, precision, selection rate */
const int aud__mc_pc_summed[3] = { 1, 2, 4 };

const char *const *
aud__task_metrics(enum aud_fairtask_kind task, size_t *n)
{
	*n = task == AUD_FAIRTASK_REGRESSION ? AUD__RG_NMET : AUD__MC_NMAIN;
	return task == AUD_FAIRTASK_REGRESSION ? aud__rg_met : aud__mc_main;
}

void
aud_fairtask_free(struct aud_fairtask *t)
{
	if (t == NULL)
		return;
	aud_fairness_free(t->f);
	aud_dict_free(t->classes);
	free(t->pairs);
	free(t->yl);
	free(t->yp);
	free(t->cell);
	free(t);
}

int
aud_fairtask_new(struct aud_fairtask **out, const struct aud_fairtask_options *opts,
    struct aud_error *err)
{
	struct aud_fairness_options fo = AUD_FAIRNESS_OPTIONS_INIT;
	struct aud_fairtask *t;
	int rc;

	*out = NULL;
	assert(opts->task == AUD_FAIRTASK_MULTICLASS || opts->task == AUD_FAIRTASK_REGRESSION);
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	t->o = *opts;
	fo.protected = opts->protected;
	fo.nprotected = opts->nprotected;
	fo.bins = opts->bins;
	fo.nbins = opts->nbins;
	fo.refs = opts->refs;
	fo.nrefs = opts->nrefs;
	fo.intersect = opts->intersect;
	fo.ci_level = opts->ci_level;
	fo.min_group_size = opts->min_group_size;
	t->fo = fo;
	rc = aud_fairness_new(&t->f, &t->fo, err);
	if (rc == 0 && opts->task == AUD_FAIRTASK_MULTICLASS)
		rc = aud_dict_new(&t->classes, err);
	if (rc < 0) {
		aud_fairtask_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

uint64_t
aud_fairtask_rows(const struct aud_fairtask *t)
{
	return aud_fairness_rows(t->f);
}

/* ---- adding rows ---- */

static uint64_t
mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

static int
pair_add(struct aud_fairtask *t, uint64_t key, struct aud_error *err)
{
	size_t i, mask;

	if ((t->npairs + 1) * 2 > t->nslots) {
		size_t ns = t->nslots ? t->nslots * 2 : 256, j;
		struct pair *np = calloc(ns, sizeof(*np));

		if (np == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		for (j = 0; j < t->nslots; j++) {
			size_t p;

			if (t->pairs[j].n == 0)
				continue;
			for (p = mix(t->pairs[j].key) & (ns - 1); np[p].n != 0; p = (p + 1) & (ns - 1))
				;
			np[p] = t->pairs[j];
		}
		free(t->pairs);
		t->pairs = np;
		t->nslots = ns;
	}
	mask = t->nslots - 1;
	for (i = mix(key) & mask; t->pairs[i].n != 0; i = (i + 1) & mask)
		if (t->pairs[i].key == key) {
			t->pairs[i].n++;
			return 0;
		}
	t->pairs[i].key = key;
	t->pairs[i].n = 1;
	t->npairs++;
	return 0;
}

static int
class_code(int32_t *out, struct aud_fairtask *t, const char *s, size_t len,
    struct aud_error *err)
{
	int rc = aud_dict_intern(out, t->classes, s, len, err);

	if (rc < 0)
		return rc;
	if (*out >= MAX_CLASSES)
		return AUD_ERROR(err, AUD_EPARSE, "more than %d classes in the label and "
		    "prediction columns: is this a multi-class label?", MAX_CLASSES);
	return 0;
}

/* Add a row whose protected values may be CSV fields (csv, iprot); *bad as aud__fair_add_row. */
static int
add_row(struct aud_fairtask *t, const struct aud_fairtask_row *row, size_t *bad,
    struct aud_csv *csv, const size_t *iprot, struct aud_error *err)
{
	struct aud_fairness_row fr;
	int rc;

	memset(&fr, 0, sizeof(fr));
	fr.values = row->values;
	fr.lens = row->lens;
	fr.weight = 1.0;
	*bad = (size_t)-1;
	if (t->o.task == AUD_FAIRTASK_MULTICLASS) {
		int32_t l, p;

		rc = class_code(&l, t, row->label, row->label_len, err);
		if (rc == 0)
			rc = class_code(&p, t, row->pred, row->pred_len, err);
		if (rc == 0)
			rc = aud__fair_add_row(t->f, &fr, bad, csv, iprot, err);
		if (rc == 0)
			rc = pair_add(t, (uint64_t)t->f->last_cell << 32 | (uint64_t)l << 16 |
			    (uint64_t)p, err);
		return rc;
	}
	if (t->nrows == t->caprows) {
		size_t nc = t->caprows ? t->caprows * 2 : 1024;
		double *a = realloc(t->yl, nc * sizeof(*a)), *b;
		uint32_t *c;

		if (a == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		t->yl = a;
		b = realloc(t->yp, nc * sizeof(*b));
		if (b == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		t->yp = b;
		c = realloc(t->cell, nc * sizeof(*c));
		if (c == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		t->cell = c;
		t->caprows = nc;
	}
	rc = aud__fair_add_row(t->f, &fr, bad, csv, iprot, err);
	if (rc < 0)
		return rc;
	t->yl[t->nrows] = row->ylabel;
	t->yp[t->nrows] = row->ypred;
	t->cell[t->nrows++] = t->f->last_cell;
	return 0;
}

int
aud_fairtask_add_row(struct aud_fairtask *t, const struct aud_fairtask_row *row,
    struct aud_error *err)
{
	size_t bad;

	if (t->o.task == AUD_FAIRTASK_REGRESSION &&
	    !(isfinite(row->ylabel) && isfinite(row->ypred)))
		return AUD_ERROR(err, AUD_EINVAL, "a regression label or prediction is not finite");
	return add_row(t, row, &bad, NULL, NULL, err);
}

int
aud_fairtask_read_csv(struct aud_fairtask *t, struct aud_csv *csv, const char *label,
    const char *pred, const struct aud_progress_cb *progress, struct aud_error *err)
{
	size_t k = t->o.nprotected, il = 0, ip = 0, i, *iprot, *lens;
	const char **vals;
	struct aud_fairtask_row row;
	int rc;

	iprot = calloc(k, sizeof(*iprot));
	lens = calloc(k, sizeof(*lens));
	vals = calloc(k, sizeof(*vals));
	if (iprot == NULL || lens == NULL || vals == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	rc = aud_csv_find(&il, csv, label, err);
	if (rc == 0)
		rc = aud_csv_find(&ip, csv, pred, err);
	for (i = 0; rc == 0 && i < k; i++)
		rc = aud_csv_find(&iprot[i], csv, t->o.protected[i], err);
	if (rc < 0)
		goto done;
	memset(&row, 0, sizeof(row));
	row.values = vals;
	row.lens = lens;
	for (;;) {
		size_t bad;
		int r;

		rc = aud_csv_next(csv, err);
		if (rc <= 0)
			break;
		if (t->o.task == AUD_FAIRTASK_MULTICLASS) {
			if (aud_csv_is_na(csv, il)) {
				t->skip_label++;
				continue;
			}
			if (aud_csv_is_na(csv, ip)) {
				t->skip_pred++;
				continue;
			}
			row.label = aud_csv_field(csv, il, &row.label_len);
			row.pred = aud_csv_field(csv, ip, &row.pred_len);
		} else {
			r = aud_csv_number(&row.ylabel, csv, il, err);
			if (r < 0) {
				rc = r;
				break;
			}
			if (r == 0) {
				t->skip_label++;
				continue;
			}
			r = aud_csv_number(&row.ypred, csv, ip, err);
			if (r < 0) {
				rc = r;
				break;
			}
			if (r == 0) {
				t->skip_pred++;
				continue;
			}
		}
		for (i = 0; i < k; i++)
			vals[i] = aud_csv_field(csv, iprot[i], &lens[i]);
		rc = add_row(t, &row, &bad, csv, iprot, err);
		if (rc < 0) {
			if (bad != (size_t)-1)
				rc = aud__fair_at_field(err, csv, iprot[bad], rc);
			else if (rc == AUD_EPARSE)
				rc = aud__fair_at_field(err, csv, il, rc);
			break;
		}
		if ((aud_fairness_rows(t->f) & 0xffff) == 0)
			aud_progress_report(progress, "input", AUD_PROGRESS_BYTES,
			    aud_csv_bytes(csv), aud_csv_size(csv));
	}
done:
	free(iprot);
	free(lens);
	free(vals);
	return rc < 0 ? rc : 0;
}

/* ---- metrics ---- */

/*
 * scikit-learn's metrics of a K x K confusion matrix (rows the label):
 * accuracy, balanced accuracy (mean recall over the classes in the labels),
 * macro precision, recall and F1 (means over the classes in the labels or
 * the predictions, an undefined value counting 0), and per class (when pc is
 * not NULL) support, recall, precision, F1, selection rate (NaN: undefined).
 */
void
aud__task_mc_metrics(const double *c, size_t K, double m[AUD__MC_NMAIN], double *pc)
{
	double n = 0.0, diag = 0.0, bsum = 0.0, psum = 0.0, rsum = 0.0, fsum = 0.0;
	size_t i, j, nb = 0, np = 0;

	for (i = 0; i < K * K; i++)
		n += c[i];
	for (i = 0; i < K; i++) {
		double row = 0.0, col = 0.0, tp = c[i * K + i], p, r, f;

		for (j = 0; j < K; j++) {
			row += c[i * K + j];
			col += c[j * K + i];
		}
		diag += tp;
		r = row > 0.0 ? tp / row : NAN;
		p = col > 0.0 ? tp / col : NAN;
		{
			/* as scikit-learn: undefined as 0, then 2pr / (p + r), a zero denominator 0 */
			double p0 = isnan(p) ? 0.0 : p, r0 = isnan(r) ? 0.0 : r, d = p0 + r0;

			f = row + col > 0.0 ? (d > 0.0 ? 2.0 * p0 * r0 / d : 0.0) : NAN;
			if (row + col > 0.0) {
				np++;
				psum += p0;
				rsum += r0;
				fsum += f;
			}
		}
		if (row > 0.0) {
			nb++;
			bsum += r;
		}
		if (pc != NULL) {
			pc[i * AUD__MC_NPC + PC_SUPPORT] = row;
			pc[i * AUD__MC_NPC + PC_RECALL] = r;
			pc[i * AUD__MC_NPC + PC_PRECISION] = p;
			pc[i * AUD__MC_NPC + PC_F1] = f;
			pc[i * AUD__MC_NPC + PC_SEL] = n > 0.0 ? col / n : NAN;
		}
	}
	m[0] = n > 0.0 ? diag / n : NAN;
	m[1] = nb > 0 ? bsum / (double)nb : NAN;
	m[2] = np > 0 ? psum / (double)np : NAN;
	m[3] = np > 0 ? rsum / (double)np : NAN;
	m[4] = np > 0 ? fsum / (double)np : NAN;
}

/* Neumaier's compensated sum. */
struct ksum {
	double s, c;
};

static void
ksum_add(struct ksum *k, double x)
{
	double t = k->s + x;

	if (fabs(k->s) >= fabs(x))
		k->c += (k->s - t) + x;
	else
		k->c += (x - t) + k->s;
	k->s = t;
}

static double
ksum_get(const struct ksum *k)
{
	return k->s + k->c;
}

/*
 * scikit-learn's regression metrics of rows idx[0..n) (NULL: 0..n): means,
 * mean_absolute_error, mean_squared_error, its root, r2_score (NaN when
 * fewer than two rows or constant labels), the group loss (the MSE).
 */
void
aud__task_rg_metrics(const double *yl, const double *yp, const size_t *idx, size_t n, double m[NMAX])
{
	struct ksum sl = { 0, 0 }, sp = { 0, 0 }, sa = { 0, 0 }, ss = { 0, 0 }, st = { 0, 0 };
	double ml;
	size_t i;

	for (i = 0; i < n; i++) {
		size_t r = idx != NULL ? idx[i] : i;
		double d = yl[r] - yp[r];

		ksum_add(&sl, yl[r]);
		ksum_add(&sp, yp[r]);
		ksum_add(&sa, fabs(yp[r] - yl[r]));
		ksum_add(&ss, d * d);
	}
	ml = n > 0 ? ksum_get(&sl) / (double)n : NAN;
	for (i = 0; i < n; i++) {
		size_t r = idx != NULL ? idx[i] : i;
		double d = yl[r] - ml;

		ksum_add(&st, d * d);
	}
	m[RG_MEANP] = n > 0 ? ksum_get(&sp) / (double)n : NAN;
	m[RG_MEANL] = ml;
	m[RG_MAE] = n > 0 ? ksum_get(&sa) / (double)n : NAN;
	m[RG_MSE] = n > 0 ? ksum_get(&ss) / (double)n : NAN;
	m[RG_RMSE] = sqrt(m[RG_MSE]);
	m[RG_R2] = n >= 2 && ksum_get(&st) > 0.0 ? 1.0 - ksum_get(&ss) / ksum_get(&st) : NAN;
	m[RG_LOSS] = m[RG_MSE];
}

/* max - min and min / max of the finite values (NaN when none); *skipped: the others. */
static void
diff_ratio(const double *v, size_t n, size_t stride, double *diff, double *ratio,
    size_t *skipped)
{
	double mn = INFINITY, mx = -INFINITY;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		double x = v[i * stride];

		if (!isfinite(x))
			continue;
		k++;
		mn = x < mn ? x : mn;
		mx = x > mx ? x : mx;
	}
	if (skipped != NULL)
		*skipped = n - k;
	*diff = k > 0 ? mx - mn : NAN;
	*ratio = k > 0 ? aud__fair_ratio(mn, mx) : NAN;
}

/* ---- finishing ---- */

static int
warnf(struct tfin *tf, struct aud_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int
warnf(struct tfin *tf, struct aud_error *err, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return aud__fair_warn(&tf->fi, err, "%s", buf);
}

const char *
aud__task_class(const struct tfin *tf, size_t i)
{
	return aud_dict_str(tf->t->classes, tf->byrank[i]);
}

/* The byte order of two classes' texts. */
static int
cmp_code(const struct aud_dict *d, int32_t a, int32_t b)
{
	return strcmp(aud_dict_str(d, a), aud_dict_str(d, b));
}

/* An insertion sort of the class codes by text (at most MAX_CLASSES; qsort has no context). */
static void
sort_classes(struct tfin *tf)
{
	size_t i, j;

	for (i = 0; i < tf->K; i++)
		tf->byrank[i] = (int32_t)i;
	for (i = 1; i < tf->K; i++) {
		int32_t x = tf->byrank[i];

		for (j = i; j > 0 && cmp_code(tf->t->classes, tf->byrank[j - 1], x) > 0; j--)
			tf->byrank[j] = tf->byrank[j - 1];
		tf->byrank[j] = x;
	}
	for (i = 0; i < tf->K; i++)
		tf->rank[tf->byrank[i]] = (int32_t)i;
}

/* The observed metrics and closed-form intervals of one group. */
static int
group_observed(struct tfin *tf, struct tattr *ta, size_t gi, struct aud_error *err)
{
	struct aud_fairtask *t = tf->t;
	struct tgroup *g = &ta->g[gi];
	const struct group *fg = &ta->at->g[gi];
	double z = tf->fi.z;
	size_t k, K = tf->K;

	for (k = 0; k < NMAX; k++)
		g->m[k] = g->lo[k] = g->hi[k] = NAN;
	if (t->o.task == AUD_FAIRTASK_MULTICLASS) {
		double n = (double)fg->count;

		aud__task_mc_metrics(g->conf, K, g->m, g->pc);
		aud_stats_wilson(g->m[0] * n, n, z, &g->lo[0], &g->hi[0]);
		for (k = 0; k < K; k++) {
			double *pc = g->pc + k * AUD__MC_NPC, col = pc[PC_SEL] * n;
			double tp = g->conf[k * K + k];
			size_t j;

			for (j = 0; j < AUD__MC_NPC; j++)
				g->pclo[k * AUD__MC_NPC + j] = g->pchi[k * AUD__MC_NPC + j] = NAN;
			aud_stats_wilson(tp, pc[PC_SUPPORT], z, &g->pclo[k * AUD__MC_NPC + PC_RECALL],
			    &g->pchi[k * AUD__MC_NPC + PC_RECALL]);
			aud_stats_wilson(tp, col, z, &g->pclo[k * AUD__MC_NPC + PC_PRECISION],
			    &g->pchi[k * AUD__MC_NPC + PC_PRECISION]);
			aud_stats_wilson(col, n, z, &g->pclo[k * AUD__MC_NPC + PC_SEL],
			    &g->pchi[k * AUD__MC_NPC + PC_SEL]);
		}
		return 0;
	}
	aud__task_rg_metrics(t->yl, t->yp, ta->order + g->first, g->n, g->m);
	{
		/* Student t intervals of the two means */
		struct ksum sp = { 0, 0 }, sl = { 0, 0 };
		size_t i;

		for (i = 0; i < g->n; i++) {
			size_t r = ta->order[g->first + i];
			double dp = t->yp[r] - g->m[RG_MEANP], dl = t->yl[r] - g->m[RG_MEANL];

			ksum_add(&sp, dp * dp);
			ksum_add(&sl, dl * dl);
		}
		if (g->n >= 2) {
			double hp = aud_stats_t_half(sqrt(ksum_get(&sp) / (double)(g->n - 1)), g->n,
			    t->o.ci_level);
			double hl = aud_stats_t_half(sqrt(ksum_get(&sl) / (double)(g->n - 1)), g->n,
			    t->o.ci_level);

			g->lo[RG_MEANP] = g->m[RG_MEANP] - hp;
			g->hi[RG_MEANP] = g->m[RG_MEANP] + hp;
			g->lo[RG_MEANL] = g->m[RG_MEANL] - hl;
			g->hi[RG_MEANL] = g->m[RG_MEANL] + hl;
		}
	}
	(void)err;
	return 0;
}

/* A warning naming a group's undefined values. */
static int
warn_group(struct tfin *tf, struct tattr *ta, size_t gi, struct aud_error *err)
{
	const struct tgroup *g = &ta->g[gi];
	const char *aname = ta->at->overall ? "overall" : ta->at->name;
	const char *gname = ta->at->g[gi].name;
	char buf[900];
	size_t len = 0, k, j;
	int macro = 0;

	buf[0] = '\0';
#define ADD(...) do { if (len < sizeof(buf)) len += (size_t)snprintf(buf + len, \
	sizeof(buf) - len, __VA_ARGS__); } while (0)
	for (k = 0; k < tf->nmet; k++)
		if (isnan(g->m[k]))
			ADD("%s%s", len ? ", " : "", aud__task_metrics(tf->t->o.task, &j)[k]);
	if (tf->t->o.task == AUD_FAIRTASK_MULTICLASS)
		for (k = 0; k < tf->K; k++) {
			const double *pc = g->pc + k * AUD__MC_NPC;
			int present = pc[PC_SUPPORT] > 0.0 || pc[PC_SEL] > 0.0;

			if (!present) {
				ADD("%sclass '%s' (absent)", len ? ", " : "", aud__task_class(tf, k));
				continue;
			}
			for (j = PC_RECALL; j <= PC_PRECISION; j++)
				if (isnan(pc[j])) {
					ADD("%s%s of '%s'", len ? ", " : "", aud__mc_pc[j], aud__task_class(tf, k));
					macro = 1;
				}
		}
#undef ADD
	if (len == 0)
		return 0;
	if (ta->at->overall)
		return warnf(tf, err, "overall: undefined (null): %s%s", buf, macro ?
		    " (the macro means count them as 0, as scikit-learn does)" : "");
	return warnf(tf, err, "%s: group '%s': undefined (null): %s%s", aname, gname, buf,
	    macro ? " (the macro means count them as 0, as scikit-learn does)" : "");
}

/*
 * The summaries of an attribute from per-group values vals[g] (the metrics,
 * then from `stride` on recall, precision and selection rate per class);
 * v: scratch of ngroups values.
 */
void
aud__task_summaries(const struct tfin *tf, const struct tattr *ta, const double *const *vals,
    size_t stride, double *s, double *pcs, size_t *skipped, double *v)
{
	size_t ng = ta->at->ngroups, k, c, i;

	for (k = 0; k < tf->nmet; k++) {
		for (i = 0; i < ng; i++)
			v[i] = vals[i][k];
		diff_ratio(v, ng, 1, &s[2 * k], &s[2 * k + 1], skipped ? &skipped[k] : NULL);
	}
	for (c = 0; pcs != NULL && c < tf->K; c++)
		for (k = 0; k < 3; k++) {
			for (i = 0; i < ng; i++)
				v[i] = vals[i][stride + c * 3 + k];
			diff_ratio(v, ng, 1, &pcs[c * 6 + 2 * k], &pcs[c * 6 + 2 * k + 1], NULL);
		}
}

/* ---- one attribute ---- */

static int
attr_setup(struct tfin *tf, struct tattr *ta, struct aud_error *err)
{
	struct aud_fairtask *t = tf->t;
	struct attr *at = ta->at;
	size_t ng = at->ngroups, K = tf->K, i;

	ta->g = calloc(ng ? ng : 1, sizeof(*ta->g));
	if (ta->g == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	if (t->o.task == AUD_FAIRTASK_MULTICLASS) {
		ta->pcs = calloc(K * 6 + 1, sizeof(double));
		ta->pcslo = calloc(K * 6 + 1, sizeof(double));
		ta->pcshi = calloc(K * 6 + 1, sizeof(double));
		if (ta->pcs == NULL || ta->pcslo == NULL || ta->pcshi == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		for (i = 0; i < K * 6; i++)
			ta->pcslo[i] = ta->pcshi[i] = NAN;
		for (i = 0; i < ng; i++) {
			struct tgroup *g = &ta->g[i];

			g->conf = calloc(K * K, sizeof(*g->conf));
			g->pc = calloc(K * AUD__MC_NPC, sizeof(*g->pc));
			g->pclo = calloc(K * AUD__MC_NPC, sizeof(*g->pclo));
			g->pchi = calloc(K * AUD__MC_NPC, sizeof(*g->pchi));
			if (g->conf == NULL || g->pc == NULL || g->pclo == NULL || g->pchi == NULL)
				return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		}
		for (i = 0; i < t->nslots; i++) {
			const struct pair *p = &t->pairs[i];
			size_t cell, l, q;

			if (p->n == 0)
				continue;
			cell = (size_t)(p->key >> 32);
			l = (size_t)tf->rank[(p->key >> 16) & 0xffff];
			q = (size_t)tf->rank[p->key & 0xffff];
			ta->g[at->t2g[cell]].conf[l * K + q] += (double)p->n;
		}
		return 0;
	}
	/* regression: the rows in group order (a counting sort) */
	ta->order = malloc((t->nrows ? t->nrows : 1) * sizeof(*ta->order));
	if (ta->order == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < t->nrows; i++)
		ta->g[at->t2g[t->cell[i]]].n++;
	for (i = 1; i < ng; i++)
		ta->g[i].first = ta->g[i - 1].first + ta->g[i - 1].n;
	{
		size_t *fill = calloc(ng ? ng : 1, sizeof(*fill));

		if (fill == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		for (i = 0; i < t->nrows; i++) {
			size_t g = at->t2g[t->cell[i]];

			ta->order[ta->g[g].first + fill[g]++] = i;
		}
		free(fill);
	}
	return 0;
}

static int
attr_compute(struct tfin *tf, struct tattr *ta, struct aud_error *err)
{
	struct aud_fairtask *t = tf->t;
	struct attr *at = ta->at;
	size_t ng = at->ngroups, i, k, skipped[NMAX];
	const double **vals;
	int rc = 0;

	for (i = 0; i < ng; i++) {
		rc = group_observed(tf, ta, i, err);
		if (rc == 0)
			rc = warn_group(tf, ta, i, err);
		if (rc < 0)
			return rc;
		at->g[i].small = at->g[i].count < t->o.min_group_size;
		if (at->g[i].small && !at->overall) {
			rc = warnf(tf, err, "%s: group '%s' has %llu rows, fewer than "
			    "--min-group-size %llu: its metrics are uncertain", at->name,
			    at->g[i].name, (unsigned long long)at->g[i].count,
			    (unsigned long long)t->o.min_group_size);
			if (rc < 0)
				return rc;
		}
	}
	for (k = 0; k < 2 * NMAX; k++)
		ta->s[k] = ta->slo[k] = ta->shi[k] = NAN;
	if (at->overall)
		return 0;
	rc = aud__fair_set_reference(&tf->fi, at, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < ng; i++)
		aud__fair_disparity(ta->g[i].dr, ta->g[i].dd, ta->g[i].m, ta->g[at->ref].m,
		    tf->nmet);
	vals = malloc(ng * sizeof(*vals));
	if (vals == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	{
		/* the observed per-class values in the replicates' layout */
		size_t stride = tf->nrep, c;
		double *obs = malloc(ng * stride * sizeof(*obs)), *v = malloc(ng * sizeof(*v));

		if (obs == NULL || v == NULL) {
			free(obs);
			free(v);
			free(vals);
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		}
		for (i = 0; i < ng; i++) {
			double *o = obs + i * stride;

			memcpy(o, ta->g[i].m, tf->nmet * sizeof(double));
			for (c = 0; c < tf->K; c++) {
				o[tf->nmet + 3 * c] = ta->g[i].pc[c * AUD__MC_NPC + PC_RECALL];
				o[tf->nmet + 3 * c + 1] = ta->g[i].pc[c * AUD__MC_NPC + PC_PRECISION];
				o[tf->nmet + 3 * c + 2] = ta->g[i].pc[c * AUD__MC_NPC + PC_SEL];
			}
			vals[i] = o;
		}
		aud__task_summaries(tf, ta, vals, tf->nmet, ta->s, ta->pcs, skipped, v);
		free(obs);
		free(v);
	}
	free(vals);
	for (k = 0; k < tf->nmet; k++)
		if (skipped[k] > 0) {
			size_t n;

			rc = warnf(tf, err, "%s: the %s summaries skip %zu group%s where it is "
			    "undefined", at->name, aud__task_metrics(t->o.task, &n)[k], skipped[k],
			    skipped[k] == 1 ? "" : "s");
			if (rc < 0)
				return rc;
		}
	if (t->o.task == AUD_FAIRTASK_REGRESSION) {
		ta->bgl = 0;
		for (i = 1; i < ng; i++)
			if (ta->g[i].m[RG_LOSS] > ta->g[ta->bgl].m[RG_LOSS])
				ta->bgl = i;
	}
	return 0;
}

static void
tfin_release(struct tfin *tf)
{
	size_t a, i;

	for (a = 0; tf->ta != NULL && a < tf->fi.nat; a++) {
		struct tattr *ta = &tf->ta[a];

		for (i = 0; ta->g != NULL && i < ta->at->ngroups; i++) {
			free(ta->g[i].conf);
			free(ta->g[i].pc);
			free(ta->g[i].pclo);
			free(ta->g[i].pchi);
			free(ta->g[i].rep);
		}
		free(ta->g);
		free(ta->pcs);
		free(ta->pcslo);
		free(ta->pcshi);
		free(ta->order);
	}
	free(tf->ta);
	free(tf->rank);
	free(tf->byrank);
	free(tf->task_a);
	free(tf->task_g);
	aud__fair_fin_release(&tf->fi);
}

int
aud_fairtask_finish(struct aud_fairtask *t, cJSON *results, cJSON *warnings,
    struct aud_error *err)
{
	struct tfin tf;
	size_t a, ngroups = 0;
	int rc = 0;

	memset(&tf, 0, sizeof(tf));
	tf.t = t;
	tf.fi.f = t->f;
	tf.fi.warnings = warnings;
	tf.fi.z = aud_stats_z(t->o.ci_level);
	tf.nmet = t->o.task == AUD_FAIRTASK_MULTICLASS ? AUD__MC_NMAIN : AUD__RG_NMET;
	if (aud_fairness_rows(t->f) == 0) {
		rc = AUD_ERROR(err, AUD_EPARSE, "no rows to audit");
		goto done;
	}
	if (t->skip_label > 0)
		rc = warnf(&tf, err, "%llu rows skipped: missing label",
		    (unsigned long long)t->skip_label);
	if (rc == 0 && t->skip_pred > 0)
		rc = warnf(&tf, err, "%llu rows skipped: missing prediction",
		    (unsigned long long)t->skip_pred);
	if (rc == 0)
		rc = aud__fair_build_attrs(&tf.fi, err);
	if (rc < 0)
		goto done;
	if (t->o.task == AUD_FAIRTASK_MULTICLASS) {
		tf.K = aud_dict_size(t->classes);
		tf.rank = malloc(tf.K * sizeof(*tf.rank));
		tf.byrank = malloc(tf.K * sizeof(*tf.byrank));
		if (tf.rank == NULL || tf.byrank == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		sort_classes(&tf);
		for (a = 0; a < tf.fi.nat; a++)
			ngroups += tf.fi.at[a].ngroups;
		if ((uint64_t)ngroups * tf.K * tf.K * 3 * sizeof(double) > TASK_BUDGET) {
			rc = AUD_ERROR(err, AUD_EPARSE, "%zu classes in %zu groups: their confusion "
			    "matrices would need more than %llu MiB", tf.K, ngroups,
			    (unsigned long long)(TASK_BUDGET >> 20));
			goto done;
		}
	}
	tf.nrep = tf.nmet + 3 * tf.K;
	tf.ta = calloc(tf.fi.nat, sizeof(*tf.ta));
	if (tf.ta == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (a = 0; a < tf.fi.nat; a++) {
		tf.ta[a].at = &tf.fi.at[a];
		rc = attr_setup(&tf, &tf.ta[a], err);
		if (rc < 0)
			goto done;
	}
	/* overall first, so its warnings lead */
	rc = attr_compute(&tf, &tf.ta[tf.fi.nat - 1], err);
	for (a = 0; rc == 0 && a + 1 < tf.fi.nat; a++)
		rc = attr_compute(&tf, &tf.ta[a], err);
	if (rc == 0 && t->o.bootstrap > 0)
		rc = aud__task_bootstrap(&tf, err);
	if (rc < 0)
		goto done;
	if (aud__task_results_json(&tf, results) < 0)
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
done:
	tfin_release(&tf);
	return rc;
}
