/* fairness.c — the metric tables, the fairness object, its accumulators, adding rows. */
#include <audit/fairness.h>

#include <assert.h>
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <audit/bins.h>

#include "fairness_impl.h"
#include "fairness_sort.h"

static int pipe_drain(struct pipe *p, struct aud_error *err);

/* ---- tables ---- */

const struct aud__metric_info aud__metrics[AUD__NMET] = {
	{ "base_rate", "base rate", "prevalence", "base_rate (AIF360)" },
	{ "selection_rate", "sel. rate", "independence / demographic parity",
	  "selection_rate (Fairlearn)" },
	{ "favorable_rate", "fav. rate", "four-fifths rule (disparate impact)",
	  "favorable rate (AIF360)" },
	{ "accuracy", "accuracy", "", "accuracy_score" },
	{ "tpr", "TPR", "equal opportunity (recall)", "true_positive_rate" },
	{ "fpr", "FPR", "separation / equalized odds", "false_positive_rate" },
	{ "tnr", "TNR", "separation (specificity)", "true_negative_rate" },
	{ "fnr", "FNR", "separation / equalized odds", "false_negative_rate" },
	{ "ppv", "PPV", "sufficiency / predictive parity (precision)", "precision_score" },
	{ "npv", "NPV", "sufficiency", "negative_predictive_value" },
	{ "fdr", "FDR", "sufficiency", "false_discovery_rate" },
	{ "for", "FOR", "sufficiency / predictive parity", "false_omission_rate" },
	{ "f1", "F1", "", "f1_score" },
	{ "balanced_accuracy", "bal. acc.", "", "balanced_accuracy_score" },
	{ "auc", "AUC", "ranking quality", "roc_auc_score" },
	{ "brier", "Brier", "calibration", "brier_score_loss" },
	{ "log_loss", "log loss", "calibration", "log_loss" },
	{ "ece", "ECE", "calibration (10 bins)", "expected calibration error" },
	{ "mean_score", "mean score", "", "mean of the score" },
};

const struct aud__metric_info aud__summaries[AUD__NSUM] = {
	{ "demographic_parity_difference", "", "independence / demographic parity",
	  "Fairlearn: max - min selection_rate" },
	{ "demographic_parity_ratio", "", "independence / demographic parity",
	  "Fairlearn: min / max selection_rate" },
	{ "equalized_odds_difference", "", "separation / equalized odds",
	  "Fairlearn: max of the TPR and FPR gaps" },
	{ "equalized_odds_ratio", "", "separation / equalized odds",
	  "Fairlearn: min of the TPR and FPR ratios" },
	{ "equal_opportunity_difference", "", "equal opportunity",
	  "Fairlearn: max - min TPR" },
	{ "equal_opportunity_ratio", "", "equal opportunity", "Fairlearn: min / max TPR" },
	{ "disparate_impact", "", "four-fifths rule",
	  "AIF360: favorable_rate(unprivileged) / favorable_rate(privileged)" },
	{ "statistical_parity_difference", "", "independence / demographic parity",
	  "AIF360: favorable_rate(unprivileged) - favorable_rate(privileged)" },
	{ "average_odds_difference", "", "separation / equalized odds",
	  "AIF360: mean of the FPR and TPR differences" },
};

const char *const aud__tests[AUD__NTEST] = { "selection_rate", "tpr", "fpr" };

int
aud__metric_index(const char *key)
{
	int i;

	for (i = 0; i < AUD__NMET; i++)
		if (strcmp(aud__metrics[i].key, key) == 0)
			return i;
	return -1;
}

int
aud__summary_index(const char *key)
{
	int i;

	for (i = 0; i < AUD__NSUM; i++)
		if (strcmp(aud__summaries[i].key, key) == 0)
			return i;
	return -1;
}

/* ---- small helpers ---- */

/* A hash of a short value, eight bytes at a time (only slots depend on it, never ids). */
static uint32_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t)n, x;

	while (n >= 8) {
		memcpy(&x, s, 8);
		h = (h ^ x) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 31;
		s += 8;
		n -= 8;
	}
	if (n >= 4) {
		uint32_t lo, hi;

		/* the first and the last four bytes (they overlap when n < 8) */
		memcpy(&lo, s, 4);
		memcpy(&hi, s + n - 4, 4);
		h = (h ^ ((uint64_t)hi << 32 | lo)) * 0x94d049bb133111ebull;
	} else if (n > 0) {
		x = (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
		    (uint64_t)(unsigned char)s[n - 1] << 16;
		h = (h ^ x) * 0x94d049bb133111ebull;
	}
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	return (uint32_t)(h ^ (h >> 32));
}

static uint32_t
hash_ids(const uint32_t *ids, size_t k)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;
	size_t i;

	for (i = 0; i < k; i++) {
		h ^= ids[i] + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
		h *= 0xbf58476d1ce4e5b9ull;
	}
	return (uint32_t)(h ^ (h >> 32));
}

char *
aud__fair_xstrndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t nc;
	void *np;

	if (need <= *cap)
		return 0;
	nc = *cap ? *cap : 16;
	while (nc < need)
		nc += nc / 2 + 16;
	np = realloc(*p, nc * size);
	if (np == NULL)
		return -1;
	*p = np;
	*cap = nc;
	return 0;
}

/* Intern a value of a plain (not binned) column. */
static int
column_intern(uint32_t *out, struct column *c, const char *s, size_t len,
    struct aud_error *err)
{
	uint32_t h = hash_bytes(s, len);
	size_t i, mask;

	if (c->nslots == 0 || (c->nstr + 1) * 2 > c->nslots) {
		size_t ns = c->nslots ? c->nslots * 2 : 64, j;
		uint32_t *sl = calloc(ns, sizeof(*sl));

		if (sl == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		for (j = 0; j < c->nstr; j++) {
			size_t p = c->hashes[j] & (ns - 1);

			while (sl[p] != 0)
				p = (p + 1) & (ns - 1);
			sl[p] = (uint32_t)j + 1;
		}
		free(c->slots);
		c->slots = sl;
		c->nslots = ns;
	}
	mask = c->nslots - 1;
	for (i = h & mask; c->slots[i] != 0; i = (i + 1) & mask) {
		uint32_t id = c->slots[i] - 1;

		if (c->hashes[id] == h && c->len[id] == len &&
		    memcmp(c->str[id], s, len) == 0 && (int64_t)id != c->missing_id) {
			*out = id;
			return 0;
		}
	}
	if (grow((void **)&c->str, &c->capstr, c->nstr + 1, sizeof(*c->str)) < 0)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	{
		size_t cap = c->capstr;
		uint32_t *nh = realloc(c->hashes, cap * sizeof(*nh));
		size_t *nl;

		if (nh == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		c->hashes = nh;
		nl = realloc(c->len, cap * sizeof(*nl));
		if (nl == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		c->len = nl;
		nh = realloc(c->alias, cap * sizeof(*nh));
		if (nh == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		c->alias = nh;
	}
	c->alias[c->nstr] = (uint32_t)c->nstr;
	c->str[c->nstr] = aud__fair_xstrndup(s, len);
	if (c->str[c->nstr] == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	c->hashes[c->nstr] = h;
	c->len[c->nstr] = len;
	c->slots[i] = (uint32_t)c->nstr + 1;
	*out = (uint32_t)c->nstr++;
	return 0;
}

/* The missing value's id of a plain column (a group named "(missing)"). */
static int
column_missing(uint32_t *out, struct column *c, struct aud_error *err)
{
	if (c->missing_id < 0) {
		if (grow((void **)&c->str, &c->capstr, c->nstr + 1, sizeof(*c->str)) < 0)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		{
			uint32_t *nh = realloc(c->hashes, c->capstr * sizeof(*nh));
			size_t *nl;

			if (nh == NULL)
				return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			c->hashes = nh;
			nl = realloc(c->len, c->capstr * sizeof(*nl));
			if (nl == NULL)
				return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			c->len = nl;
			nh = realloc(c->alias, c->capstr * sizeof(*nh));
			if (nh == NULL)
				return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			c->alias = nh;
		}
		c->alias[c->nstr] = (uint32_t)c->nstr;
		c->str[c->nstr] = aud__fair_xstrndup("(missing)", 9);
		if (c->str[c->nstr] == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		c->hashes[c->nstr] = 0;
		c->len[c->nstr] = 9;
		c->missing_id = (int64_t)c->nstr++;
	}
	*out = (uint32_t)c->missing_id;
	return 0;
}

/* The bins of a binned column, as the bins module sees them. */
static struct aud_bins
column_bins(const struct column *c)
{
	struct aud_bins b = { c->name, c->nedges, c->edges, c->edge_text, c->right, NULL };

	return b;
}

/* Build the bin names of a binned column (bins.h: "age<25", "25<=age<45", "age>=45"), then "(missing)". */
static int
column_bins_init(struct column *c, struct aud_error *err)
{
	struct aud_bins b = column_bins(c);
	size_t i, n = c->nedges + 2;

	c->str = calloc(n, sizeof(*c->str));
	if (c->str == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	c->capstr = n;
	for (i = 0; i <= c->nedges; i++) {
		c->str[i] = aud_bins_label(&b, i, 0);
		if (c->str[i] == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		c->nstr++;
	}
	c->str[c->nedges + 1] = aud__fair_xstrndup("(missing)", 9);
	if (c->str[c->nedges + 1] == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	c->nstr++;
	c->missing_id = (int64_t)c->nedges + 1;
	return 0;
}

static uint32_t
bin_of(const struct column *c, double x)
{
	struct aud_bins b = column_bins(c);

	return (uint32_t)aud_bins_index(&b, x);
}

/* ---- object ---- */

void
aud_fairness_free(struct aud_fairness *f)
{
	size_t i, j;

	if (f == NULL)
		return;
	for (i = 0; i < f->k; i++) {
		struct column *c = &f->cols[i];

		for (j = 0; j < c->nstr; j++)
			free(c->str[j]);
		free(c->str);
		free(c->len);
		free(c->alias);
		free(c->slots);
		free(c->hashes);
	}
	free(f->cols);
	free(f->tids);
	free(f->tacc);
	free(f->thist);
	free(f->thw);
	free(f->tslots);
	free(f->rowids);
	free(f->rows);
	for (i = 0; i < NEGS; i++) {
		free(f->label_neg.ex[i]);
		free(f->pred_neg.ex[i]);
	}
	free(f);
}

int
aud_fairness_new(struct aud_fairness **out, const struct aud_fairness_options *opts,
    struct aud_error *err)
{
	struct aud_fairness *f;
	size_t i, j;
	int rc = 0;

	*out = NULL;
	assert(opts->nprotected >= 1);
	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	f->o = *opts;
	f->k = opts->nprotected;
	f->cols = calloc(f->k, sizeof(*f->cols));
	f->rowids = calloc(f->k, sizeof(*f->rowids));
	if (f->cols == NULL || f->rowids == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < f->k; i++) {
		f->cols[i].name = opts->protected[i];
		f->cols[i].all_numeric = 1;
		f->cols[i].missing_id = -1;
		for (j = 0; j < i; j++)
			if (strcmp(opts->protected[i], opts->protected[j]) == 0) {
				rc = AUD_ERROR(err, AUD_EINVAL,
				    "protected column '%s' given twice", opts->protected[i]);
				goto done;
			}
	}
	for (j = 0; j < opts->nbins; j++) {
		const struct aud_fairness_bins *b = &opts->bins[j];

		for (i = 0; i < f->k; i++)
			if (strcmp(b->column, f->cols[i].name) == 0)
				break;
		if (i == f->k) {
			rc = AUD_ERROR(err, AUD_EINVAL,
			    "--bins names '%s', which is not a protected column", b->column);
			goto done;
		}
		if (f->cols[i].binned) {
			rc = AUD_ERROR(err, AUD_EINVAL, "--bins given twice for '%s'", b->column);
			goto done;
		}
		if (b->nedges == 0) {
			rc = AUD_ERROR(err, AUD_EINVAL, "--bins for '%s' has no edges", b->column);
			goto done;
		}
		for (i = 1; i < b->nedges; i++)
			if (!(b->edges[i] > b->edges[i - 1])) {
				rc = AUD_ERROR(err, AUD_EINVAL,
				    "--bins edges for '%s' must increase strictly", b->column);
				goto done;
			}
		for (i = 0; i < f->k; i++)
			if (strcmp(b->column, f->cols[i].name) == 0)
				break;
		f->cols[i].binned = 1;
		f->cols[i].nedges = b->nedges;
		f->cols[i].edges = b->edges;
		f->cols[i].edge_text = b->edge_text;
		f->cols[i].right = b->right;
		rc = column_bins_init(&f->cols[i], err);
		if (rc < 0)
			goto done;
	}
	if (!opts->has_pred && !opts->has_score) {
		rc = AUD_ERROR(err, AUD_EINVAL, "need a prediction or a score column");
		goto done;
	}
	if (opts->has_score) {
		f->exact = opts->score_bins == 0;
		if (opts->score_bins > 0)
			f->hist_bins = opts->score_bins;
		else if (opts->ci_method == AUD_CI_BOOTSTRAP)
			f->hist_bins = BOOT_BINS;
		/* without the bootstrap a bin's weight is all the AUC needs: 8 bytes, cache-friendly */
		f->hist_full = opts->ci_method == AUD_CI_BOOTSTRAP;
	}
done:
	if (rc < 0)
		aud_fairness_free(f);
	else
		*out = f;
	return rc;
}

uint64_t
aud_fairness_rows(const struct aud_fairness *f)
{
	return f->nadded;
}

/* Bytes of score histograms for ncells cells and ngroups groups (overall included). */
static uint64_t
hist_bytes(const struct aud_fairness *f, size_t ncells, size_t ngroups)
{
	uint64_t n = f->hist_bins, per_cell, per_group;

	if (n == 0)
		return 0;
	/* weights while reading, then whole cells; one histogram a group */
	per_cell = 2 * n * (sizeof(double) + sizeof(struct hcell));
	per_group = 2 * n * sizeof(struct hcell);
	if (f->hist_full) {
		/* the bootstrap's two threads: a replicate of every cell and group */
		per_cell += 2 * 2 * n * sizeof(struct hcell);
		per_group += 2 * 2 * n * sizeof(struct hcell);
	}
	return per_cell * ncells + per_group * ngroups;
}

/* The cell (tuple) id of the ids in f->rowids, created when new. */
static int
tuple_id(uint32_t *out, struct aud_fairness *f, struct aud_error *err)
{
	size_t k = f->k, i, mask;
	uint32_t h = hash_ids(f->rowids, k);

	if (f->ntslots == 0 || (f->ntuples + 1) * 2 > f->ntslots) {
		size_t ns = f->ntslots ? f->ntslots * 2 : 64, t;
		uint32_t *sl = calloc(ns, sizeof(*sl));

		if (sl == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		for (t = 0; t < f->ntuples; t++) {
			size_t p = hash_ids(f->tids + t * k, k) & (ns - 1);

			while (sl[p] != 0)
				p = (p + 1) & (ns - 1);
			sl[p] = (uint32_t)t + 1;
		}
		free(f->tslots);
		f->tslots = sl;
		f->ntslots = ns;
	}
	mask = f->ntslots - 1;
	for (i = h & mask; f->tslots[i] != 0; i = (i + 1) & mask) {
		uint32_t t = f->tslots[i] - 1;

		const uint32_t *ids = f->tids + (size_t)t * k;
		size_t c;

		for (c = 0; c < k && ids[c] == f->rowids[c]; c++)
			;
		if (c == k) {
			*out = t;
			return 0;
		}
	}
	if (f->pipe != NULL) {
		/* a new cell may move the accumulators: let the adding thread finish */
		int rc = pipe_drain(f->pipe, err);

		if (rc < 0)
			return rc;
	}
	if (f->ntuples >= (f->o.max_cells ? f->o.max_cells : MAX_TUPLES))
		return AUD_ERROR(err, AUD_EPARSE,
		    "more than %zu combinations of the protected columns' values: "
		    "are they all protected attributes?",
		    f->o.max_cells ? f->o.max_cells : (size_t)MAX_TUPLES);
	{
		/* the groups of every attribute, their histograms and replicates, with this cell */
		size_t ng = f->o.intersect && k > 1 ? f->ntuples + 1 : 0, c;
		uint64_t hb;

		for (c = 0; c < k; c++)
			ng += f->cols[c].nstr;
		if (ng > MAX_GROUPS)
			return AUD_ERROR(err, AUD_EPARSE,
			    "the protected columns' values make more than %d groups in all "
			    "attributes (audit-report reads documents of at most 256 MiB)",
			    MAX_GROUPS);
		if (f->o.ci_method == AUD_CI_BOOTSTRAP && f->o.bootstrap > 0) {
			/* each group's metrics and disparities, each attribute's summaries */
			uint64_t bb = (uint64_t)(ng + 1) * (AUD__NMET + 2 * AUD__NRATE + AUD__NSUM) *
			    f->o.bootstrap * sizeof(double);

			if (bb > BOOT_BUDGET)
				return AUD_ERROR(err, AUD_EPARSE,
				    "--bootstrap %u: the replicates of %zu groups would need %llu MiB, "
				    "more than %llu MiB: use fewer replicates", f->o.bootstrap, ng + 1,
				    (unsigned long long)((bb + (1u << 20) - 1) >> 20),
				    (unsigned long long)(BOOT_BUDGET >> 20));
		}
		hb = hist_bytes(f, f->ntuples + 1, ng + 1);
		if (hb > HIST_BUDGET)
			return AUD_ERROR(err, AUD_EPARSE,
			    "--score-bins %zu: the score histograms of %zu cells and %zu groups "
			    "would need %llu MiB, more than %llu MiB: use fewer bins",
			    f->hist_bins, f->ntuples + 1, ng + 1,
			    (unsigned long long)((hb + (1u << 20) - 1) >> 20),
			    (unsigned long long)(HIST_BUDGET >> 20));
	}
	if (f->ntuples == f->captuples) {
		size_t nc = f->captuples ? f->captuples * 2 : 16;
		uint32_t *ni = realloc(f->tids, nc * k * sizeof(*ni));
		struct acc *na;

		if (ni == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		f->tids = ni;
		na = realloc(f->tacc, nc * sizeof(*na));
		if (na == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		f->tacc = na;
		if (f->hist_bins > 0 && f->hist_full) {
			struct hcell *nh = realloc(f->thist, nc * 2 * f->hist_bins * sizeof(*nh));

			if (nh == NULL)
				return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			f->thist = nh;
		} else if (f->hist_bins > 0) {
			double *nw = realloc(f->thw, nc * 2 * f->hist_bins * sizeof(*nw));

			if (nw == NULL)
				return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			f->thw = nw;
		}
		f->captuples = nc;
	}
	memcpy(f->tids + f->ntuples * k, f->rowids, k * sizeof(uint32_t));
	memset(&f->tacc[f->ntuples], 0, sizeof(struct acc));
	if (f->hist_bins > 0 && f->hist_full)
		memset(f->thist + f->ntuples * 2 * f->hist_bins, 0,
		    2 * f->hist_bins * sizeof(struct hcell));
	else if (f->hist_bins > 0)
		memset(f->thw + f->ntuples * 2 * f->hist_bins, 0,
		    2 * f->hist_bins * sizeof(double));
	f->tslots[i] = (uint32_t)f->ntuples + 1;
	*out = (uint32_t)f->ntuples++;
	return 0;
}

static double
clip_ll(double s, int y)
{
	const double eps = DBL_EPSILON;

	if (s < eps)
		s = eps;
	if (s > 1.0 - eps)
		s = 1.0 - eps;
	return y ? -log(s) : -log1p(-s);
}

size_t
aud__fair_hist_bin(double s, size_t nb)
{
	size_t b = (size_t)(s * (double)nb);

	return b >= nb ? nb - 1 : b;
}

/* Add a row whose cell is t to the accumulators (the order of calls is the order of every sum). */
static int
accumulate(struct aud_fairness *f, uint32_t t, int cell, int label, double s, double w,
    struct aud_error *err)
{
	struct acc *a = &f->tacc[t];

	a->n[cell]++;
	a->w[cell] += w;
	if (f->o.has_score) {
		double d = s - (label ? 1.0 : 0.0), ll;
		size_t eb = aud__fair_hist_bin(s, NECE);

		ll = clip_ll(s, label);
		a->ws += w * s;
		a->wbrier += w * d * d;
		a->wll += w * ll;
		a->ece_ws[eb] += w * s;
		a->ece_w[eb] += w;
		a->ece_n[eb]++;
		if (label)
			a->ece_wy[eb] += w;
		if (f->hist_bins > 0 && !f->hist_full) {
			f->thw[(t * 2 + (size_t)(label != 0)) * f->hist_bins +
			    aud__fair_hist_bin(s, f->hist_bins)] += w;
		} else if (f->hist_bins > 0) {
			struct hcell *h = f->thist + (t * 2 + (size_t)(label != 0)) *
			    f->hist_bins + aud__fair_hist_bin(s, f->hist_bins);

			h->n++;
			h->w += w;
			h->ws += w * s;
			h->wbrier += w * d * d;
			h->wll += w * ll;
		}
		if (f->exact) {
			struct aud__srow *r;

			if (f->nrows == f->caprows &&
			    grow((void **)&f->rows, &f->caprows, f->nrows + 1, sizeof(*f->rows)) < 0)
				return AUD_ERROR(err, AUD_ENOMEM,
				    "out of memory keeping %zu scores (try --score-bins N)", f->nrows);
			r = &f->rows[f->nrows++];
			r->score = s == 0.0 ? 0.0 : s; /* -0.0 sorts as 0.0 */
			r->w = w;
			r->key = (t << 1) | (uint32_t)(label != 0);
		}
	}
	return 0;
}

/*
 * While a CSV is read with a score, a second thread adds the rows to the
 * accumulators (score sums, logs, histograms, kept rows) in the order they
 * were read, in batches: the same sums as without it. The reading thread
 * waits for it (pipe_drain) before a new cell may move the accumulators.
 */
#define PIPE_BATCH 4096
#define PIPE_NBUF 4

struct prec {
	double s, w;
	uint32_t t;
	uint8_t cell, label;
};

struct pipe {
	struct aud_fairness *f;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct prec *buf[PIPE_NBUF];
	size_t len[PIPE_NBUF];
	size_t head, tail;           /* batches handed over / done */
	size_t cur;                  /* rows in buf[head % PIPE_NBUF] */
	int stop, rc;
	struct aud_error err;
};

static void *
pipe_main(void *arg)
{
	struct pipe *p = arg;
	struct aud_error err = AUD_ERROR_INIT;
	int rc;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		size_t i, b, n;
		const struct prec *r;

		while (p->tail == p->head && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->tail == p->head)
			break;
		b = p->tail % PIPE_NBUF;
		n = p->len[b];
		r = p->buf[b];
		rc = p->rc;
		pthread_mutex_unlock(&p->mu);
		for (i = 0; i < n && rc == 0; i++)
			rc = accumulate(p->f, r[i].t, r[i].cell, r[i].label, r[i].s, r[i].w, &err);
		pthread_mutex_lock(&p->mu);
		if (rc < 0 && p->rc == 0) {
			p->rc = rc;
			p->err = err;
		}
		p->tail++;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Hand the current batch over; wait for a free buffer. The worker's error so far. */
static int
pipe_submit(struct pipe *p)
{
	int rc;

	pthread_mutex_lock(&p->mu);
	p->len[p->head % PIPE_NBUF] = p->cur;
	p->head++;
	pthread_cond_broadcast(&p->cv);
	while (p->head - p->tail >= PIPE_NBUF)
		pthread_cond_wait(&p->cv, &p->mu);
	rc = p->rc;
	pthread_mutex_unlock(&p->mu);
	p->cur = 0;
	return rc;
}

/* Wait until every row handed over is added; the worker's error if any. */
static int
pipe_drain(struct pipe *p, struct aud_error *err)
{
	int rc;

	if (p->cur > 0)
		pipe_submit(p);
	pthread_mutex_lock(&p->mu);
	while (p->tail != p->head)
		pthread_cond_wait(&p->cv, &p->mu);
	rc = p->rc;
	if (rc < 0 && err != NULL)
		*err = p->err;
	pthread_mutex_unlock(&p->mu);
	return rc;
}

static int
pipe_push(struct pipe *p, uint32_t t, int cell, int label, double s, double w,
    struct aud_error *err)
{
	struct prec *r = &p->buf[p->head % PIPE_NBUF][p->cur];

	r->s = s;
	r->w = w;
	r->t = t;
	r->cell = (uint8_t)cell;
	r->label = (uint8_t)label;
	if (++p->cur == PIPE_BATCH && pipe_submit(p) < 0)
		return pipe_drain(p, err);  /* the worker stopped adding: its error now */
	return 0;
}

/* Start the worker; NULL when it could not start (the rows are then added by the caller). */
struct pipe *
aud__fair_pipe_start(struct aud_fairness *f)
{
	struct pipe *p = calloc(1, sizeof(*p));
	size_t i;

	if (p == NULL)
		return NULL;
	p->f = f;
	for (i = 0; i < PIPE_NBUF; i++) {
		p->buf[i] = malloc(PIPE_BATCH * sizeof(*p->buf[i]));
		if (p->buf[i] == NULL)
			goto fail;
	}
	if (pthread_mutex_init(&p->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&p->cv, NULL) != 0) {
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	if (pthread_create(&p->th, NULL, pipe_main, p) != 0) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	return p;
fail:
	for (i = 0; i < PIPE_NBUF; i++)
		free(p->buf[i]);
	free(p);
	return NULL;
}

/* Drain, stop and free the worker; its error if any. */
int
aud__fair_pipe_stop(struct pipe *p, struct aud_error *err)
{
	int rc;
	size_t i;

	if (p == NULL)
		return 0;
	rc = pipe_drain(p, err);
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->th, NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	for (i = 0; i < PIPE_NBUF; i++)
		free(p->buf[i]);
	free(p);
	return rc;
}

/*
 * Keep a weight relative to the first positive weight, so that a common
 * factor of all weights (1e-300, 1e39, 1e308) changes no sum's scale: uniform
 * weights of any size are kept as exactly 1. A ratio beyond the largest
 * double is refused.
 */
int
aud__fair_scale_weight(struct aud_fairness *f, double *w, struct aud_error *err)
{
	double x;

	if (*w > 0.0 && f->w0 == 0.0)
		f->w0 = *w;
	if (f->w0 == 0.0)
		return 0;
	x = *w / f->w0;
	if (!isfinite(x))
		return AUD_ERROR(err, AUD_EPARSE, "weight %g is more than %g times the first "
		    "positive weight %g: rescale the weights", *w, DBL_MAX, f->w0);
	*w = x;
	return 0;
}

/*
 * Add a row; *badcol is the protected column at fault on error. With a CSV
 * reader (csv, iprot), values are raw fields and NA tokens are recognised
 * when a value is first seen (then remembered as an alias of the missing id).
 */
int
aud__fair_add_row(struct aud_fairness *f, const struct aud_fairness_row *row, size_t *badcol,
    struct aud_csv *csv, const size_t *iprot, struct aud_error *err)
{
	uint32_t t = 0;
	size_t i;
	int rc, cell;
	double w = row->weight;

	for (i = 0; i < f->k; i++) {
		struct column *c = &f->cols[i];
		const char *v = row->values[i];

		*badcol = i;
		if (v == NULL) {
			if (c->binned)
				f->rowids[i] = (uint32_t)c->missing_id;
			else {
				rc = column_missing(&f->rowids[i], c, err);
				if (rc < 0)
					return rc;
			}
			continue;
		}
		if (c->binned) {
			double x;

			if (aud_parse_number(&x, v, row->lens[i]) == 1 && !isnan(x)) {
				f->rowids[i] = bin_of(c, x);
				continue;
			}
			if (csv != NULL && aud_csv_is_na(csv, iprot[i])) {
				f->rowids[i] = (uint32_t)c->missing_id;
				continue;
			}
			return AUD_ERROR(err, AUD_EPARSE,
			    "non-numeric value '%.*s' in binned column '%s'",
			    (int)(row->lens[i] > 40 ? 40 : row->lens[i]), v, c->name);
		}
		{
			size_t before = c->nstr;
			uint32_t id = 0;

			if (c->nstr >= MAX_VALUES) {
				/* only a known value is accepted now */
				int32_t known = -1;
				uint32_t h = hash_bytes(v, row->lens[i]);
				size_t mask = c->nslots - 1, p;

				for (p = h & mask; c->slots[p] != 0; p = (p + 1) & mask) {
					uint32_t cand = c->slots[p] - 1;

					if (c->hashes[cand] == h && c->len[cand] == row->lens[i] &&
					    memcmp(c->str[cand], v, row->lens[i]) == 0 &&
					    (int64_t)cand != c->missing_id) {
						known = (int32_t)cand;
						break;
					}
				}
				if (known < 0)
					return AUD_ERROR(err, AUD_EPARSE,
					    "protected column '%s' has more than %d distinct values: "
					    "is it really a protected attribute?", c->name, MAX_VALUES);
				f->rowids[i] = c->alias[known];
				continue;
			}
			rc = column_intern(&id, c, v, row->lens[i], err);
			if (rc < 0)
				return rc;
			if (c->nstr != before) {
				double x;

				if (csv != NULL && aud_csv_is_na(csv, iprot[i])) {
					uint32_t m;

					rc = column_missing(&m, c, err);
					if (rc < 0)
						return rc;
					c->alias[id] = m;
				} else if (c->all_numeric) {
					c->nreal++;
					if (aud_parse_number(&x, v, row->lens[i]) != 1)
						c->all_numeric = 0;
					else if (c->nreal > MAX_PLAIN_NUMERIC)
						return AUD_ERROR(err, AUD_EPARSE,
						    "protected column '%s' is numeric with more than %d "
						    "distinct values: group it with --bins %s=EDGE,EDGE,...",
						    c->name, MAX_PLAIN_NUMERIC, c->name);
				}
			}
			f->rowids[i] = c->alias[id];
		}
	}
	*badcol = (size_t)-1;
	rc = tuple_id(&t, f, err);
	if (rc < 0)
		return rc;
	cell = (row->label ? 4 : 0) | (row->pred ? 2 : 0) | (row->favorable ? 1 : 0);
	f->nadded++;
	f->last_cell = t;
	if (f->pipe != NULL)
		return pipe_push(f->pipe, t, cell, row->label != 0, row->score, w, err);
	return accumulate(f, t, cell, row->label != 0, row->score, w, err);
}

int
aud_fairness_add_row(struct aud_fairness *f, const struct aud_fairness_row *row,
    struct aud_error *err)
{
	size_t bad;

	if (f->o.has_score && !(row->score >= 0.0 && row->score <= 1.0))
		return AUD_ERROR(err, AUD_EINVAL, "score %g is outside [0, 1]", row->score);
	if (!(row->weight >= 0.0) || !isfinite(row->weight))
		return AUD_ERROR(err, AUD_EINVAL, "weight %g is not a finite number >= 0",
		    row->weight);
	{
		struct aud_fairness_row r = *row;
		int rc = aud__fair_scale_weight(f, &r.weight, err);

		if (rc < 0)
			return rc;
		return aud__fair_add_row(f, &r, &bad, NULL, NULL, err);
	}
}
