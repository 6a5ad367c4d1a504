/* fairness.c — per-cell accumulators, metrics, summaries, disparities, intervals, checks. */
#include <audit/fairness.h>

#include <assert.h>
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/bins.h>
#include <audit/csv.h>
#include <audit/json.h>
#include <audit/rng.h>
#include <audit/stats.h>

#include "check_impl.h"
#include "fairness_impl.h"
#include "parallel.h"
#include "fairness_sort.h"

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

/* ---- accumulators ---- */

#define NCELL 8            /* label << 2 | pred << 1 | favorable */
#define NECE 10            /* calibration bins */
#define BOOT_BINS 100      /* score histogram bins for the bootstrap when --score-bins is absent */
#define MAX_PLAIN_NUMERIC 10
/*
 * Bounds. Every group costs about 3.6 KB of JSON (bootstrap; 2.5 KB with
 * Wilson intervals) and audit-report reads documents of at most 256 MiB, so
 * the groups of all attributes together (overall aside) are at most
 * MAX_GROUPS: 180 MB of JSON with short names. The cells (combinations of all
 * protected columns' values) are bounded alike, which keeps the per-attribute
 * group arrays (about 1.5 KB a cell each) near 75 MB an attribute. Score
 * histograms (--score-bins N) cost about 96 N bytes a cell and 80 N a group
 * (twice 80 N more each for the bootstrap's two threads): at most
 * HIST_BUDGET in all. The bootstrap keeps B replicates of 56 values a group
 * (metrics, disparities, summaries): 448 B bytes a group, at most BOOT_BUDGET.
 */
#define MAX_GROUPS 10000
#define MAX_VALUES MAX_GROUPS  /* distinct values of one protected column */
#define MAX_TUPLES MAX_GROUPS  /* distinct combinations of all protected columns */
#define HIST_BUDGET ((uint64_t)2 << 30)
/* The bootstrap keeps every replicate of every group's metrics: at most this. */
#define BOOT_BUDGET ((uint64_t)1 << 30)

/* Additive state of a set of rows. */
struct acc {
	uint64_t n[NCELL];
	double w[NCELL];
	double ws;                  /* sum of w * score */
	double wbrier;              /* sum of w * (score - label)^2 */
	double wll;                 /* sum of w * log loss */
	double ece_ws[NECE], ece_wy[NECE];
};

/* One histogram cell (bin x label). */
struct hcell {
	uint64_t n;
	double w, ws, wbrier, wll;
};

/*
 * The values seen in the label or prediction column: whether the positive
 * and the favorable value occur, and the first NEGS distinct other values
 * (for the warning about a column of more than two values and for the error
 * about a positive or favorable value that never occurs).
 */
#define NEGS 4
struct negs {
	char *ex[NEGS];              /* the value as first written */
	size_t len[NEGS];
	double num[NEGS];            /* numeric mode: its number */
	int n;                       /* distinct negative values kept */
	int more;                    /* more than NEGS of them */
	int pos, fav;                /* the positive / favorable value occurs */
};

/* A protected column's values -> dense ids. */
struct column {
	const char *name;
	int binned;
	size_t nedges;
	const double *edges;
	const char *const *edge_text;
	int right;                  /* right-closed bins (bins.h) */
	/* dictionary */
	char **str;
	size_t *len;                /* per id */
	size_t nstr, capstr;
	uint32_t *slots;            /* id + 1, 0 = empty */
	uint32_t *hashes;           /* per id */
	size_t nslots;
	uint32_t *alias;            /* per id: the id rows count under (NA tokens: the missing id) */
	size_t nreal;               /* distinct values that are not missing */
	int all_numeric;            /* every non-missing value so far is a number */
	int64_t missing_id;         /* -1 until seen */
};

struct pipe;
static int pipe_drain(struct pipe *p, struct aud_error *err);

struct aud_fairness {
	struct aud_fairness_options o;
	size_t k;                    /* protected columns */
	struct column *cols;
	size_t hist_bins;            /* 0: no histograms */
	int exact;                   /* keep rows for exact score metrics */
	/* cells (tuples of ids) */
	uint32_t *tids;              /* ntuples * k */
	struct acc *tacc;
	struct hcell *thist;         /* ntuples * 2 * hist_bins (bootstrap: while reading) */
	double *thw;                 /* ntuples * 2 * hist_bins weights (no bootstrap) */
	int hist_full;               /* keep whole cells (the bootstrap needs them) */
	size_t ntuples, captuples;
	uint32_t *tslots;
	size_t ntslots;
	uint32_t *rowids;            /* scratch: k ids */
	struct pipe *pipe;           /* while reading a CSV with a score: the adding thread */
	/* exact rows */
	struct aud__srow *rows;
	size_t nrows, caprows;
	uint64_t nadded;
	/* skipped rows and oddities reported at finish */
	uint64_t skip_label, skip_pred, skip_score, skip_weight;
	double w0;                   /* the first positive weight: weights are kept as w / w0 */
	struct negs label_neg, pred_neg;
};

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

static char *
xstrndup(const char *s, size_t n)
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
	c->str[c->nstr] = xstrndup(s, len);
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
		c->str[c->nstr] = xstrndup("(missing)", 9);
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
	c->str[c->nedges + 1] = xstrndup("(missing)", 9);
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

static size_t
hist_bin(double s, size_t nb)
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
		size_t eb = hist_bin(s, NECE);

		ll = clip_ll(s, label);
		a->ws += w * s;
		a->wbrier += w * d * d;
		a->wll += w * ll;
		a->ece_ws[eb] += w * s;
		if (label)
			a->ece_wy[eb] += w;
		if (f->hist_bins > 0 && !f->hist_full) {
			f->thw[(t * 2 + (size_t)(label != 0)) * f->hist_bins +
			    hist_bin(s, f->hist_bins)] += w;
		} else if (f->hist_bins > 0) {
			struct hcell *h = f->thist + (t * 2 + (size_t)(label != 0)) *
			    f->hist_bins + hist_bin(s, f->hist_bins);

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
static struct pipe *
pipe_start(struct aud_fairness *f)
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
static int
pipe_stop(struct pipe *p, struct aud_error *err)
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
static int
scale_weight(struct aud_fairness *f, double *w, struct aud_error *err)
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
static int
add_row(struct aud_fairness *f, const struct aud_fairness_row *row, size_t *badcol,
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
		int rc = scale_weight(f, &r.weight, err);

		if (rc < 0)
			return rc;
		return add_row(f, &r, &bad, NULL, NULL, err);
	}
}

/* ---- reading a CSV ---- */

/* How a label/prediction value compares with --positive or --favorable. */
struct matcher {
	const char *text;
	size_t len;
	int numeric;
	double num;
};

static void
matcher_init(struct matcher *m, const char *text)
{
	m->text = text;
	m->len = strlen(text);
	m->numeric = aud_parse_number(&m->num, text, m->len) == 1 && !isnan(m->num);
}

/* 1 match, 0 no match, 2 missing, <0 error. *num gets the number (numeric mode). */
static int
match_field(const struct matcher *m, struct aud_csv *csv, size_t col, double *num,
    struct aud_error *err)
{
	if (m->numeric) {
		size_t len;
		const char *s = aud_csv_field(csv, col, &len);
		int r;

		if (len == 1 && s[0] >= '0' && s[0] <= '9') {
			*num = s[0] - '0';
			return *num == m->num;
		}
		r = aud_csv_number(num, csv, col, err);

		if (r < 0)
			return r;
		if (r == 0)
			return 2;
		return *num == m->num;
	} else {
		size_t len;
		const char *s;

		if (aud_csv_is_na(csv, col))
			return 2;
		s = aud_csv_field(csv, col, &len);
		return len == m->len && memcmp(s, m->text, len) == 0;
	}
}

/* Remember the first NEGS distinct non-positive values of a role. */
static int
note_negative(const struct matcher *m, double x, struct aud_csv *csv, size_t col,
    struct negs *ng, struct aud_error *err)
{
	size_t len;
	const char *s;
	int i;

	if (ng->more)
		return 0;
	s = aud_csv_field(csv, col, &len);
	for (i = 0; i < ng->n; i++)
		if (m->numeric ? x == ng->num[i] :
		    len == ng->len[i] && memcmp(ng->ex[i], s, len) == 0)
			return 0;
	if (ng->n == NEGS) {
		ng->more = 1;
		return 0;
	}
	ng->ex[ng->n] = xstrndup(s, len);
	if (ng->ex[ng->n] == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	ng->len[ng->n] = len;
	ng->num[ng->n] = x;
	ng->n++;
	return 0;
}

/* "'a', 'b', ...": the values of a column (values longer than 24 bytes cut). */
static void
list_values(char *buf, size_t size, const struct negs *ng, const char *positive)
{
	size_t len = 0;
	int i, k = 0;

	buf[0] = '\0';
#define ADDV(...) do { if (len < size) len += (size_t)snprintf(buf + len, size - len, __VA_ARGS__); } while (0)
	if (ng->pos) {
		ADDV("'%s'", positive);
		k++;
	}
	for (i = 0; i < ng->n; i++, k++)
		ADDV("%s'%.*s%s'", k ? ", " : "", (int)(ng->len[i] > 24 ? 24 : ng->len[i]),
		    ng->ex[i], ng->len[i] > 24 ? "..." : "");
	if (ng->more)
		ADDV(", ...");
#undef ADDV
}

/* Prefix err's message with the position of field col. */
static int
at_field(struct aud_error *err, struct aud_csv *csv, size_t col, int rc)
{
	char msg[sizeof(err->msg)];

	if (err == NULL)
		return rc;
	snprintf(msg, sizeof(msg), "%s", err->msg);
	return AUD_ERROR(err, rc, "%s:%llu:%llu: %s", aud_csv_path(csv),
	    (unsigned long long)aud_csv_line(csv),
	    (unsigned long long)aud_csv_column(csv, col), msg);
}

/*
 * A positive or favorable value that never occurs would give all-zero rates
 * that look like an answer: refuse it, naming the values that do occur.
 */
static int
check_values(const struct aud_fairness *f, struct aud_csv *csv,
    const struct aud_fairness_columns *cols, int same_fav, struct aud_error *err)
{
	const struct negs *ng = NULL;
	const char *opt = NULL, *val = NULL, *col = NULL;
	char vals[160];

	if (!f->label_neg.pos) {
		ng = &f->label_neg;
		opt = "positive";
		val = f->o.positive;
		col = cols->label;
	} else if (cols->pred == NULL && !same_fav && !f->label_neg.fav) {
		ng = &f->label_neg;
		opt = "favorable";
		val = f->o.favorable;
		col = cols->label;
	} else if (cols->pred != NULL && !f->pred_neg.pos) {
		ng = &f->pred_neg;
		opt = "positive";
		val = f->o.positive;
		col = cols->pred;
	} else if (cols->pred != NULL && !f->pred_neg.fav) {
		ng = &f->pred_neg;
		opt = "favorable";
		val = f->o.favorable;
		col = cols->pred;
	}
	if (ng == NULL)
		return 0;
	list_values(vals, sizeof(vals), ng, f->o.positive);
	return AUD_ERROR(err, AUD_EPARSE, "%s: --%s '%s' never occurs in column '%s' "
	    "(its values: %s)", aud_csv_path(csv), opt, val, col, vals);
}

int
aud_fairness_read_csv(struct aud_fairness *f, struct aud_csv *csv,
    const struct aud_fairness_columns *cols, const struct aud_progress_cb *progress,
    struct aud_error *err)
{
	size_t ilabel = 0, ipred = 0, iscore = 0, iweight = 0, i;
	size_t *iprot = NULL, *lens = NULL;
	const char **vals = NULL;
	struct matcher pos, fav;
	struct aud_fairness_row row;
	int rc = 0, same_fav;
	double x, xf;

	iprot = calloc(f->k, sizeof(*iprot));
	lens = calloc(f->k, sizeof(*lens));
	vals = calloc(f->k, sizeof(*vals));
	if (iprot == NULL || lens == NULL || vals == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	rc = aud_csv_find(&ilabel, csv, cols->label, err);
	if (rc == 0 && cols->pred != NULL)
		rc = aud_csv_find(&ipred, csv, cols->pred, err);
	if (rc == 0 && cols->score != NULL)
		rc = aud_csv_find(&iscore, csv, cols->score, err);
	if (rc == 0 && cols->weights != NULL)
		rc = aud_csv_find(&iweight, csv, cols->weights, err);
	for (i = 0; rc == 0 && i < f->k; i++)
		rc = aud_csv_find(&iprot[i], csv, f->cols[i].name, err);
	if (rc < 0)
		goto done;
	if (cols->score != NULL)
		f->pipe = pipe_start(f);    /* NULL: the rows are added here */
	matcher_init(&pos, f->o.positive);
	matcher_init(&fav, f->o.favorable);
	same_fav = pos.numeric == fav.numeric &&
	    (pos.numeric ? pos.num == fav.num : strcmp(pos.text, fav.text) == 0);
	row.values = vals;
	row.lens = lens;
	for (;;) {
		int r;
		size_t bad;

		rc = aud_csv_next(csv, err);
		if (rc < 0)
			goto done;
		if (rc == 0)
			break;
		rc = 0;
		r = match_field(&pos, csv, ilabel, &x, err);
		if (r < 0) {
			rc = r;
			goto done;
		}
		if (r == 2) {
			f->skip_label++;
			continue;
		}
		if (r == 1)
			f->label_neg.pos = 1;
		else if (!f->label_neg.more &&
		    !(f->label_neg.n > 0 && pos.numeric && x == f->label_neg.num[0])) {
			rc = note_negative(&pos, x, csv, ilabel, &f->label_neg, err);
			if (rc < 0)
				goto done;
		}
		if (cols->pred == NULL && !same_fav && !f->label_neg.fav)
			f->label_neg.fav = match_field(&fav, csv, ilabel, &xf, err) == 1;
		row.label = r;
		row.score = 0.0;
		if (cols->score != NULL) {
			r = aud_csv_number(&row.score, csv, iscore, err);
			if (r < 0) {
				rc = r;
				goto done;
			}
			if (r == 0) {
				f->skip_score++;
				continue;
			}
			if (!(row.score >= 0.0 && row.score <= 1.0)) {
				size_t len;
				const char *s = aud_csv_field(csv, iscore, &len);

				rc = AUD_ERROR(err, AUD_EPARSE,
				    "%s:%llu:%llu: score '%.*s' in column '%s' is outside [0, 1]",
				    aud_csv_path(csv), (unsigned long long)aud_csv_line(csv),
				    (unsigned long long)aud_csv_column(csv, iscore),
				    (int)(len > 40 ? 40 : len), s, cols->score);
				goto done;
			}
		}
		if (cols->pred != NULL) {
			r = match_field(&pos, csv, ipred, &x, err);
			if (r < 0) {
				rc = r;
				goto done;
			}
			if (r == 2) {
				f->skip_pred++;
				continue;
			}
			if (r == 1)
				f->pred_neg.pos = 1;
			else if (!f->pred_neg.more &&
			    !(f->pred_neg.n > 0 && pos.numeric && x == f->pred_neg.num[0])) {
				rc = note_negative(&pos, x, csv, ipred, &f->pred_neg, err);
				if (rc < 0)
					goto done;
			}
			row.pred = r;
			/* the same value and the same comparison: no second look */
			row.favorable = same_fav ? r == 1 :
			    match_field(&fav, csv, ipred, &x, err) == 1;
			f->pred_neg.fav |= row.favorable;
		} else {
			row.pred = row.score >= f->o.threshold;
			/* a favorable value other than the positive one is the negative class */
			row.favorable = strcmp(f->o.favorable, f->o.positive) == 0 ||
			    (pos.numeric && fav.numeric && pos.num == fav.num) ?
			    row.pred : !row.pred;
		}
		row.weight = 1.0;
		if (cols->weights != NULL) {
			r = aud_csv_number(&row.weight, csv, iweight, err);
			if (r < 0) {
				rc = r;
				goto done;
			}
			if (r == 0) {
				f->skip_weight++;
				continue;
			}
			if (!(row.weight >= 0.0) || !isfinite(row.weight)) {
				size_t len;
				const char *s = aud_csv_field(csv, iweight, &len);

				rc = AUD_ERROR(err, AUD_EPARSE,
				    "%s:%llu:%llu: weight '%.*s' in column '%s' is not a finite number >= 0",
				    aud_csv_path(csv), (unsigned long long)aud_csv_line(csv),
				    (unsigned long long)aud_csv_column(csv, iweight),
				    (int)(len > 40 ? 40 : len), s, cols->weights);
				goto done;
			}
			rc = scale_weight(f, &row.weight, err);
			if (rc < 0) {
				rc = at_field(err, csv, iweight, rc);
				goto done;
			}
		}
		for (i = 0; i < f->k; i++)
			vals[i] = aud_csv_field(csv, iprot[i], &lens[i]);
		rc = add_row(f, &row, &bad, csv, iprot, err);
		if (rc < 0) {
			if (bad != (size_t)-1)
				rc = at_field(err, csv, iprot[bad], rc);
			goto done;
		}
		if ((f->nadded & 0xffff) == 0)
			aud_progress_report(progress, "input", AUD_PROGRESS_BYTES,
			    aud_csv_bytes(csv), aud_csv_size(csv));
	}
	rc = 0;
	if (f->nadded > 0)
		rc = check_values(f, csv, cols, same_fav, err);
done:
	if (f->pipe != NULL) {
		int prc = pipe_stop(f->pipe, rc < 0 ? NULL : err);

		f->pipe = NULL;
		if (rc == 0)
			rc = prc;
	}
	free(iprot);
	free(lens);
	free(vals);
	return rc;
}

/* ---- finishing: attributes and groups ---- */

struct group {
	char *name;
	uint32_t *vals;              /* one id per column of the attribute */
	uint64_t count;
	struct acc a;
	struct hcell *hist;          /* 2 * hist_bins, or NULL */
	double auc, auc_var;         /* exact (sorted rows) or from the histogram */
	double auc_hist, auc_bin_error;
	double m[AUD__NMET];
	double lo[AUD__NMET], hi[AUD__NMET];
	double dr[AUD__NRATE], dd[AUD__NRATE];
	double drlo[AUD__NRATE], drhi[AUD__NRATE], ddlo[AUD__NRATE], ddhi[AUD__NRATE];
	int small;
};

struct attr {
	char *name;
	size_t ncols;
	size_t *cols;                /* indices of protected columns; 0 for overall */
	int overall;
	size_t ngroups;
	struct group *g;
	uint32_t *t2g;               /* cell id -> group */
	size_t ref;
	double s[AUD__NSUM], slo[AUD__NSUM], shi[AUD__NSUM];
	struct aud_chi2 tests[AUD__NTEST];
	size_t slot;                 /* first bootstrap slot */
};

struct fin {
	struct aud_fairness *f;
	struct attr *at;
	size_t nat;                  /* attributes, the last is "overall" */
	cJSON *warnings;
	double z;
};

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

static int
warn(struct fin *fi, struct aud_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int
warn(struct fin *fi, struct aud_error *err, const char *fmt, ...)
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

static void
acc_add(struct acc *d, const struct acc *s)
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
	}
}

static void
hist_add(struct hcell *d, const struct hcell *s, size_t n)
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
			acc_add(&at->g[g].a, &f->tacc[t]);
			if (hb2 > 0)
				hist_add(at->g[g].hist, f->thist + t * hb2, hb2);
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

/* ---- exact AUC: sort the rows once, sweep per attribute ---- */

/*
 * One sweep of the sorted rows for the groups of attributes [a0, a1), which
 * are groups [g0, g1): each sweep has its own arrays, indexed by g - g0 (no
 * cache line is written by both threads).
 */
struct sweep_job {
	const struct aud__srow *rows;
	size_t nrows;
	const size_t *tg;            /* cell * na + attribute -> group */
	size_t na, a0, a1, g0, g1;
	double *rp, *rn;             /* per group: the current tie block's weights */
	struct aud_auc_acc *acc;     /* per group */
	size_t *touched;
};

#define SWEEP_PARALLEL_MIN 262144 /* rows below which one thread sweeps */

static void
sweep(const struct sweep_job *j)
{
	const struct aud__srow *rows = j->rows;
	size_t n = j->nrows, na = j->na, a0 = j->a0, a1 = j->a1, g0 = j->g0;
	size_t i, end, k, a, ntouched;
	double *rp = j->rp, *rn = j->rn;
	size_t *touched = j->touched;

	for (i = 0; i < n; i = end) {
		double s = rows[i].score;

		ntouched = 0;
		for (end = i; end < n && rows[end].score == s; end++) {
			uint32_t key = rows[end].key;
			double w = rows[end].w;
			const size_t *gs = j->tg + (size_t)(key >> 1) * na;

			if (w == 0.0)
				continue;
			for (a = a0; a < a1; a++) {
				size_t g = gs[a] - g0;

				if (rp[g] == 0.0 && rn[g] == 0.0)
					touched[ntouched++] = g;
				if (key & 1)
					rp[g] += w;
				else
					rn[g] += w;
			}
		}
		for (k = 0; k < ntouched; k++) {
			size_t g = touched[k];

			aud_stats_auc_block(&j->acc[g], rp[g], rn[g]);
			rp[g] = rn[g] = 0.0;
		}
	}
}

/* Sweep `task` of the parallel loop (0 or 1). */
static int
sweep_task(void *payload, size_t thread, size_t task, struct aud_error *err)
{
	struct sweep_job *sw = payload;

	(void)thread;
	(void)err;
	sweep(&sw[task]);
	return 0;
}

/* A sweep's own arrays for groups [g0, g1), the accumulators started from acc. */
static int
sweep_alloc(struct sweep_job *j, const struct aud_auc_acc *acc)
{
	size_t m = j->g1 - j->g0;

	j->rp = calloc(2 * (m ? m : 1), sizeof(*j->rp));
	j->acc = malloc((m ? m : 1) * sizeof(*j->acc));
	j->touched = malloc((m ? m : 1) * sizeof(*j->touched));
	if (j->rp == NULL || j->acc == NULL || j->touched == NULL)
		return -1;
	j->rn = j->rp + m;
	if (m > 0)
		memcpy(j->acc, acc + j->g0, m * sizeof(*acc));
	return 0;
}

static void
sweep_free(struct sweep_job *j)
{
	free(j->rp);
	free(j->acc);
	free(j->touched);
}

/* Exact AUC and DeLong variance of every group of every attribute: sweeps of the sorted rows. */
static int
exact_auc(struct fin *fi, struct aud_error *err)
{
	struct aud_fairness *f = fi->f;
	size_t na = fi->nat, G = 0, a, i, t;
	size_t *base = NULL, *tg = NULL;
	double *tw = NULL, *wp = NULL, *wn;
	struct aud_auc_acc *acc = NULL;
	struct sweep_job sw[2];
	int rc = 0;

	memset(sw, 0, sizeof(sw));
	base = malloc(na * sizeof(*base));
	if (base == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (a = 0; a < na; a++) {
		base[a] = G;
		G += fi->at[a].ngroups;
	}
	tw = calloc(2 * f->ntuples, sizeof(*tw));
	wp = calloc(2 * G, sizeof(*wp));
	acc = calloc(G, sizeof(*acc));
	tg = malloc((f->ntuples ? f->ntuples : 1) * na * sizeof(*tg));
	if (tw == NULL || wp == NULL || acc == NULL || tg == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	wn = wp + G;
	/* the positive and negative weight of each cell, as the rows hold it (float) */
	for (i = 0; i < f->nrows; i++)
		tw[f->rows[i].key] += f->rows[i].w;
	for (a = 0; a < na; a++)
		for (t = 0; t < f->ntuples; t++) {
			size_t g = base[a] + fi->at[a].t2g[t];

			tg[t * na + a] = g;
			wn[g] += tw[2 * t];
			wp[g] += tw[2 * t + 1];
		}
	for (i = 0; i < G; i++)
		aud_stats_auc_begin(&acc[i], wp[i], wn[i]);
	for (i = 0; i < 2; i++) {
		sw[i].rows = f->rows;
		sw[i].nrows = f->nrows;
		sw[i].tg = tg;
		sw[i].na = na;
	}
	/* the attributes' groups are disjoint: two sweeps, each over half of them */
	sw[0].a0 = 0;
	sw[0].a1 = sw[1].a0 = sw[1].a1 = na;
	if (na > 1 && f->nrows >= SWEEP_PARALLEL_MIN)
		sw[0].a1 = sw[1].a0 = na / 2;
	for (i = 0; i < 2; i++) {
		sw[i].g0 = sw[i].a0 < na ? base[sw[i].a0] : G;
		sw[i].g1 = sw[i].a1 < na ? base[sw[i].a1] : G;
		if (sweep_alloc(&sw[i], acc) < 0) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
	}
	/* one sweep, or two on two threads (one when a thread cannot start) */
	rc = aud__parallel_for(2, sw[1].a0 < sw[1].a1 ? 2 : 1, sweep_task, sw, NULL, NULL, err);
	if (rc < 0)
		goto done;
	for (i = 0; i < 2; i++)
		if (sw[i].g1 > sw[i].g0)
			memcpy(acc + sw[i].g0, sw[i].acc, (sw[i].g1 - sw[i].g0) * sizeof(*acc));
	for (a = 0; a < na; a++)
		for (i = 0; i < fi->at[a].ngroups; i++)
			aud_stats_auc_end(&acc[base[a] + i], &fi->at[a].g[i].auc,
			    &fi->at[a].g[i].auc_var);
done:
	free(base);
	free(tw);
	free(wp);
	free(acc);
	free(tg);
	sweep_free(&sw[0]);
	sweep_free(&sw[1]);
	return rc;
}

/* AUC (ties within a bin counted half), DeLong variance and the bin error bound. */
static void
hist_auc(const struct hcell *h, size_t nb, double *auc, double *var, double *binerr)
{
	struct aud_auc_acc a;
	double wp = 0.0, wn = 0.0, tied = 0.0;
	size_t b;

	for (b = 0; b < nb; b++) {
		wn += h[b].w;
		wp += h[nb + b].w;
	}
	aud_stats_auc_begin(&a, wp, wn);
	for (b = 0; b < nb; b++) {
		aud_stats_auc_block(&a, h[nb + b].w, h[b].w);
		tied += h[nb + b].w * h[b].w;
	}
	aud_stats_auc_end(&a, auc, var);
	*binerr = wp > 0.0 && wn > 0.0 ? 0.5 * tied / (wp * wn) : NAN;
}

/* ---- metrics ---- */

static double
ratio(double a, double b)
{
	return b > 0.0 || b < 0.0 ? a / b : NAN;
}

/* Rate metrics from a confusion accumulator. */
static void
rates(double m[AUD__NMET], const struct acc *a)
{
	const double *w = a->w;
	double tp = w[6] + w[7], fn = w[4] + w[5], fp = w[2] + w[3], tn = w[0] + w[1];
	double fav = w[1] + w[3] + w[5] + w[7];
	double n = tp + fn + fp + tn, p = tp + fn, q = fp + tn;

	m[AUD__M_BASE_RATE] = ratio(p, n);
	m[AUD__M_SELECTION_RATE] = ratio(tp + fp, n);
	m[AUD__M_FAVORABLE_RATE] = ratio(fav, n);
	m[AUD__M_ACCURACY] = ratio(tp + tn, n);
	m[AUD__M_TPR] = ratio(tp, p);
	m[AUD__M_FPR] = ratio(fp, q);
	m[AUD__M_TNR] = ratio(tn, q);
	m[AUD__M_FNR] = ratio(fn, p);
	m[AUD__M_PPV] = ratio(tp, tp + fp);
	m[AUD__M_NPV] = ratio(tn, tn + fn);
	m[AUD__M_FDR] = ratio(fp, tp + fp);
	m[AUD__M_FOR] = ratio(fn, tn + fn);
	m[AUD__M_F1] = ratio(2.0 * tp, 2.0 * tp + fp + fn);
	m[AUD__M_BALANCED_ACCURACY] = (m[AUD__M_TPR] + m[AUD__M_TNR]) / 2.0;
}

static double
acc_weight(const struct acc *a)
{
	double n = 0.0;
	size_t i;

	for (i = 0; i < NCELL; i++)
		n += a->w[i];
	return n;
}

/* A sum of kept weights in the input's unit (infinite past the largest double). */
static double
real_weight(const struct aud_fairness *f, double w)
{
	return f->w0 > 0.0 ? w * f->w0 : w;
}

/* Score metrics from the streaming sums (exact). */
static void
score_sums(double m[AUD__NMET], const struct acc *a)
{
	double n = acc_weight(a), e = 0.0;
	size_t b;

	m[AUD__M_BRIER] = ratio(a->wbrier, n);
	m[AUD__M_LOG_LOSS] = ratio(a->wll, n);
	m[AUD__M_MEAN_SCORE] = ratio(a->ws, n);
	for (b = 0; b < NECE; b++)
		e += fabs(a->ece_ws[b] - a->ece_wy[b]);
	m[AUD__M_ECE] = ratio(e, n);
}

/* Score metrics from a histogram (replicates). */
static void
score_hist(double m[AUD__NMET], const struct hcell *h, size_t nb)
{
	double n = 0.0, br = 0.0, ll = 0.0, ws = 0.0, var, be;
	double ews[NECE] = { 0 }, ewy[NECE] = { 0 }, e = 0.0;
	size_t b, y;

	for (y = 0; y < 2; y++)
		for (b = 0; b < nb; b++) {
			const struct hcell *c = &h[y * nb + b];
			size_t eb = hist_bin(((double)b + 0.5) / (double)nb, NECE);

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
	m[AUD__M_BRIER] = ratio(br, n);
	m[AUD__M_LOG_LOSS] = ratio(ll, n);
	m[AUD__M_MEAN_SCORE] = ratio(ws, n);
	m[AUD__M_ECE] = ratio(e, n);
	hist_auc(h, nb, &m[AUD__M_AUC], &var, &be);
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
static void
summaries(double s[AUD__NSUM], const struct group *g, size_t ng,
    const double *const *rep, size_t ref)
{
	double mn, mx, tmn, tmx, fmn, fmx;
	int t, fdef;

	s[AUD__S_DP_DIFF] = s[AUD__S_DP_RATIO] = NAN;
	if (minmax(g, ng, rep, AUD__M_SELECTION_RATE, &mn, &mx)) {
		s[AUD__S_DP_DIFF] = mx - mn;
		s[AUD__S_DP_RATIO] = ratio(mn, mx);
	}
	t = minmax(g, ng, rep, AUD__M_TPR, &tmn, &tmx);
	fdef = minmax(g, ng, rep, AUD__M_FPR, &fmn, &fmx);
	s[AUD__S_EOP_DIFF] = t ? tmx - tmn : NAN;
	s[AUD__S_EOP_RATIO] = t ? ratio(tmn, tmx) : NAN;
	if (t && fdef) {
		double rt = ratio(tmn, tmx), rf = ratio(fmn, fmx);

		s[AUD__S_EO_DIFF] = fmax(tmx - tmn, fmx - fmn);
		s[AUD__S_EO_RATIO] = isnan(rt) || isnan(rf) ? NAN : fmin(rt, rf);
	} else {
		s[AUD__S_EO_DIFF] = s[AUD__S_EO_RATIO] = NAN;
	}
	s[AUD__S_DI] = s[AUD__S_SPD] = s[AUD__S_AOD] = NAN;
	if (ng == 2) {
		const double *p = rep ? rep[ref] : g[ref].m;
		const double *u = rep ? rep[1 - ref] : g[1 - ref].m;

		s[AUD__S_DI] = ratio(u[AUD__M_FAVORABLE_RATE], p[AUD__M_FAVORABLE_RATE]);
		s[AUD__S_SPD] = u[AUD__M_FAVORABLE_RATE] - p[AUD__M_FAVORABLE_RATE];
		s[AUD__S_AOD] = 0.5 * ((u[AUD__M_FPR] - p[AUD__M_FPR]) +
		    (u[AUD__M_TPR] - p[AUD__M_TPR]));
	}
}

static void
disparity(double *dr, double *dd, const double *m, const double *ref)
{
	int k;

	for (k = 0; k < AUD__NRATE; k++) {
		dr[k] = isnan(m[k]) || isnan(ref[k]) ? NAN : ratio(m[k], ref[k]);
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
static int
has_ci(const struct aud_fairness *f, int k)
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

	rates(g->m, &g->a);
	for (k = AUD__M_AUC; k < AUD__NMET; k++)
		g->m[k] = NAN;
	if (!f->o.has_score)
		return;
	score_sums(g->m, &g->a);
	if (g->hist != NULL)
		hist_auc(g->hist, f->hist_bins, &g->auc_hist, &(double){ 0 }, &g->auc_bin_error);
	if (!f->exact) {
		double v;

		hist_auc(g->hist, f->hist_bins, &g->auc, &v, &g->auc_bin_error);
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
		return warn(fi, err, "%s: undefined (null): %s", who, buf);
	return warn(fi, err, "%s: group '%s': undefined (null): %s", who, g->name, buf);
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
	return warn(fi, err, "%s: %s skip %zu group%s where %s is undefined: %s",
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
	return warn(fi, err, "%s: groups %s tie as the largest (%llu rows): the reference "
	    "group is '%s', the first by name; choose one with --reference '%s=GROUP'",
	    at->name, buf, (unsigned long long)at->g[0].count, at->g[0].name, at->name);
}

static int
attr_compute(struct fin *fi, struct attr *at, struct aud_error *err)
{
	struct aud_fairness *f = fi->f;
	size_t i, j;
	int rc = 0, explicit = 0;
	double *table = NULL;

	for (i = 0; i < at->ngroups; i++) {
		struct group *g = &at->g[i];

		group_metrics(fi, g);
		g->small = g->count < f->o.min_group_size;
		wilson_all(g, fi->z);
		rc = warn_undefined(fi, at, g, err);
		if (rc < 0)
			return rc;
		if (f->o.has_weights && !isfinite(real_weight(f, acc_weight(&g->a)))) {
			if (at->overall)
				rc = warn(fi, err, "overall: the sum of weights exceeds the largest "
				    "number: 'weight' and the confusion sums past it are null (the "
				    "metrics do not depend on them)");
			else
				rc = warn(fi, err, "%s: group '%s': the sum of weights exceeds the "
				    "largest number: 'weight' and the confusion sums past it are null "
				    "(the metrics do not depend on them)", at->name, g->name);
			if (rc < 0)
				return rc;
		}
		if (g->small && !at->overall) {
			rc = warn(fi, err, "%s: group '%s' has %llu rows, fewer than "
			    "--min-group-size %llu: its metrics are uncertain",
			    at->name, g->name, (unsigned long long)g->count,
			    (unsigned long long)f->o.min_group_size);
			if (rc < 0)
				return rc;
		}
	}
	if (at->overall)
		return 0;
	/* reference */
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
	if (!explicit && at->ngroups >= 2 && at->g[1].count == at->g[0].count) {
		rc = warn_tie(fi, at, err);
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < at->ngroups; i++)
		disparity(at->g[i].dr, at->g[i].dd, at->g[i].m, at->g[at->ref].m);
	summaries(at->s, at->g, at->ngroups, NULL, at->ref);
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
			rc = warn(fi, err, "%s: chi-square test for %s undefined (fewer than "
			    "two groups or outcomes%s)", at->name, aud__tests[j],
			    j == 0 ? "" : j == 1 ? " among positive labels" : " among negative labels");
		else if (at->tests[j].min_expected < 5.0)
			rc = warn(fi, err, "%s: chi-square test for %s has an expected count "
			    "of %.3g (below 5): its p-value is approximate", at->name,
			    aud__tests[j], at->tests[j].min_expected);
		if (rc < 0)
			break;
	}
	free(table);
	return rc;
}

/* ---- bootstrap ---- */

/* Number of bootstrap slots of an attribute. */
static size_t
attr_slots(const struct attr *at)
{
	return at->ngroups * (AUD__NMET + 2 * AUD__NRATE) + (at->overall ? 0 : AUD__NSUM);
}

struct cat {
	uint32_t t;        /* cell */
	uint8_t c;         /* confusion cell */
	double mw;         /* mean weight */
};

/* Replicates [b0, b1) of the bootstrap: each has its own random stream, so any split gives the same values. */
struct boot_job {
	struct fin *fi;
	const struct cat *cats;
	const uint64_t *cnt;
	size_t ncat, maxg, nslots;
	uint64_t total;
	double *vals;                /* nslots * B */
	size_t b0, b1;
	int rc;
	struct aud_error err;
};

static void
boot_range(struct boot_job *j)
{
	struct fin *fi = j->fi;
	struct aud_fairness *f = fi->f;
	struct aud_error *err = &j->err;
	size_t B = f->o.bootstrap, nb = f->hist_bins, hb2 = 2 * nb, ncat = j->ncat;
	size_t maxg = j->maxg, a, i, t, b, k;
	unsigned int *draw = NULL, *hdraw = NULL;
	double *p = NULL, *hp = NULL;
	struct acc *racc = NULL;
	struct hcell *rhist = NULL;
	struct acc *gacc = NULL;
	struct hcell *ghist = NULL;
	double **rep = NULL, *repbuf = NULL;
	struct aud_rng *r = NULL;
	uint64_t *hcnt = NULL;
	int rc = 0;

	p = malloc(((ncat > nb ? ncat : nb) + 1) * sizeof(*p));
	draw = malloc((ncat ? ncat : 1) * sizeof(*draw));
	racc = malloc((f->ntuples ? f->ntuples : 1) * sizeof(*racc));
	gacc = malloc(maxg * sizeof(*gacc));
	rep = malloc(maxg * sizeof(*rep));
	repbuf = malloc(maxg * AUD__NMET * sizeof(*repbuf));
	if (nb > 0) {
		rhist = malloc(f->ntuples * hb2 * sizeof(*rhist));
		ghist = malloc(maxg * hb2 * sizeof(*ghist));
		hdraw = malloc(nb * sizeof(*hdraw));
		hcnt = malloc(nb * sizeof(*hcnt));
		hp = p;
	}
	if (p == NULL || draw == NULL || racc == NULL || gacc == NULL || rep == NULL ||
	    repbuf == NULL ||
	    (nb > 0 && (rhist == NULL || ghist == NULL || hdraw == NULL || hcnt == NULL))) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory for %zu bootstrap replicates", B);
		goto done;
	}
	for (i = 0; i < maxg; i++)
		rep[i] = repbuf + i * AUD__NMET;
	rc = aud_rng_new(&r, f->o.seed, 0, err);
	if (rc < 0)
		goto done;
	for (b = j->b0; b < j->b1; b++) {
		aud_rng_reseed(r, f->o.seed, b);
		rc = aud_stats_multinomial(r, ncat, j->total, j->cnt, p, draw, err);
		if (rc < 0)
			goto done;
		memset(racc, 0, f->ntuples * sizeof(*racc));
		for (i = 0; i < ncat; i++) {
			racc[j->cats[i].t].n[j->cats[i].c] = draw[i];
			racc[j->cats[i].t].w[j->cats[i].c] = draw[i] * j->cats[i].mw;
		}
		if (nb > 0) {
			/* score histograms of each (cell, label), given the replicate's counts */
			for (t = 0; t < f->ntuples; t++)
				for (k = 0; k < 2; k++) {
					const struct hcell *src = f->thist + (t * 2 + k) * nb;
					struct hcell *dst = rhist + (t * 2 + k) * nb;
					uint64_t m = 0;
					size_t c;

					for (c = 0; c < 4; c++)
						m += racc[t].n[k * 4 + c];
					for (c = 0; c < nb; c++)
						hcnt[c] = src[c].n;
					rc = aud_stats_multinomial(r, nb, m, hcnt, hp, hdraw, err);
					if (rc < 0)
						goto done;
					for (c = 0; c < nb; c++) {
						double q = src[c].n ? (double)hdraw[c] / (double)src[c].n : 0.0;

						dst[c].n = hdraw[c];
						dst[c].w = q * src[c].w;
						dst[c].ws = q * src[c].ws;
						dst[c].wbrier = q * src[c].wbrier;
						dst[c].wll = q * src[c].wll;
					}
				}
		}
		for (a = 0; a < fi->nat; a++) {
			struct attr *at = &fi->at[a];
			double *v = j->vals + at->slot * B + b;
			size_t ng = at->ngroups, s = 0;

			memset(gacc, 0, ng * sizeof(*gacc));
			if (nb > 0)
				memset(ghist, 0, ng * hb2 * sizeof(*ghist));
			for (t = 0; t < f->ntuples; t++) {
				acc_add(&gacc[at->t2g[t]], &racc[t]);
				if (nb > 0)
					hist_add(ghist + at->t2g[t] * hb2, rhist + t * hb2, hb2);
			}
			for (i = 0; i < ng; i++) {
				rates(rep[i], &gacc[i]);
				for (k = AUD__M_AUC; k < AUD__NMET; k++)
					rep[i][k] = NAN;
				if (nb > 0)
					score_hist(rep[i], ghist + i * hb2, nb);
			}
			for (i = 0; i < ng; i++) {
				double dr[AUD__NRATE], dd[AUD__NRATE];

				for (k = 0; k < AUD__NMET; k++)
					v[(s++) * B] = rep[i][k];
				disparity(dr, dd, rep[i], rep[at->ref]);
				for (k = 0; k < AUD__NRATE; k++) {
					v[(s++) * B] = dr[k];
					v[(s++) * B] = dd[k];
				}
			}
			if (!at->overall) {
				double sm[AUD__NSUM];

				summaries(sm, at->g, ng, (const double *const *)rep, at->ref);
				for (k = 0; k < AUD__NSUM; k++)
					v[(s++) * B] = sm[k];
			}
		}
	}
done:
	aud_rng_free(r);
	free(p);
	free(draw);
	free(racc);
	free(gacc);
	free(rep);
	free(repbuf);
	free(rhist);
	free(ghist);
	free(hdraw);
	free(hcnt);
	j->rc = rc;
}

/* Replicates half `task` of the parallel loop (jobs[0] or jobs[1]). */
static int
boot_task(void *payload, size_t thread, size_t task, struct aud_error *err)
{
	struct boot_job *j = (struct boot_job *)payload + task;

	(void)thread;
	boot_range(j);
	if (j->rc < 0 && err != NULL)
		*err = j->err;
	return j->rc;
}

#define BOOT_PARALLEL_MIN 64    /* replicates below which one thread draws them all */

static int
bootstrap(struct fin *fi, struct aud_error *err)
{
	struct aud_fairness *f = fi->f;
	size_t B = f->o.bootstrap;
	size_t nslots = 0, ncat = 0, a, i, t, k;
	struct cat *cats = NULL;
	uint64_t *cnt = NULL, total = 0;
	double *vals = NULL;
	size_t maxg = 0;
	struct boot_job jobs[2];
	int rc = 0;

	for (a = 0; a < fi->nat; a++) {
		fi->at[a].slot = nslots;
		nslots += attr_slots(&fi->at[a]);
		if (fi->at[a].ngroups > maxg)
			maxg = fi->at[a].ngroups;
	}
	for (t = 0; t < f->ntuples; t++)
		for (k = 0; k < NCELL; k++)
			ncat += f->tacc[t].n[k] > 0;
	cats = malloc((ncat ? ncat : 1) * sizeof(*cats));
	cnt = malloc((ncat ? ncat : 1) * sizeof(*cnt));
	vals = malloc(nslots * B * sizeof(*vals));
	if (cats == NULL || cnt == NULL || vals == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory for %zu bootstrap replicates", B);
		goto done;
	}
	ncat = 0;
	for (t = 0; t < f->ntuples; t++)
		for (k = 0; k < NCELL; k++)
			if (f->tacc[t].n[k] > 0) {
				cats[ncat].t = (uint32_t)t;
				cats[ncat].c = (uint8_t)k;
				cats[ncat].mw = f->tacc[t].w[k] / (double)f->tacc[t].n[k];
				cnt[ncat] = f->tacc[t].n[k];
				total += cnt[ncat];
				ncat++;
			}
	for (i = 0; i < 2; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].fi = fi;
		jobs[i].cats = cats;
		jobs[i].cnt = cnt;
		jobs[i].ncat = ncat;
		jobs[i].maxg = maxg;
		jobs[i].nslots = nslots;
		jobs[i].total = total;
		jobs[i].vals = vals;
	}
	jobs[0].b0 = 0;
	jobs[0].b1 = jobs[1].b0 = jobs[1].b1 = B;
	if (B >= BOOT_PARALLEL_MIN)
		jobs[0].b1 = jobs[1].b0 = B / 2;
	/* each half of the replicates draws its own streams: the same values on one thread */
	rc = aud__parallel_for(2, jobs[1].b0 < jobs[1].b1 ? 2 : 1, boot_task, jobs, NULL, NULL,
	    err);
	if (rc < 0)
		goto done;
	/* percentile intervals */
	for (a = 0; a < fi->nat; a++) {
		struct attr *at = &fi->at[a];
		double *v = vals + at->slot * B;
		double lvl = f->o.ci_level;

		for (i = 0; i < at->ngroups; i++) {
			struct group *g = &at->g[i];

			for (k = 0; k < AUD__NMET; k++, v += B) {
				aud_stats_percentile_interval(v, B, lvl, &g->lo[k], &g->hi[k]);
				if (k == AUD__M_AUC && f->exact && !isnan(g->lo[k])) {
					/* replicates come from the histogram: shift by its bias */
					double shift = g->auc - g->auc_hist;

					g->lo[k] = fmax(0.0, g->lo[k] + shift);
					g->hi[k] = fmin(1.0, g->hi[k] + shift);
				}
				if (isnan(g->m[k]))
					g->lo[k] = g->hi[k] = NAN;
			}
			for (k = 0; k < AUD__NRATE; k++) {
				aud_stats_percentile_interval(v, B, lvl, &g->drlo[k], &g->drhi[k]);
				v += B;
				aud_stats_percentile_interval(v, B, lvl, &g->ddlo[k], &g->ddhi[k]);
				v += B;
			}
		}
		if (!at->overall)
			for (k = 0; k < AUD__NSUM; k++, v += B)
				aud_stats_percentile_interval(v, B, lvl, &at->slo[k], &at->shi[k]);
	}
done:
	free(cats);
	free(cnt);
	free(vals);
	return rc;
}

/* ---- JSON ---- */

static cJSON *
pair(double lo, double hi)
{
	cJSON *a = cJSON_CreateArray();

	if (a == NULL)
		return NULL;
	if (!cJSON_AddItemToArray(a, aud_json_number(lo)) ||
	    !cJSON_AddItemToArray(a, aud_json_number(hi))) {
		cJSON_Delete(a);
		return NULL;
	}
	return a;
}

static int
add_pair(cJSON *o, const char *key, double lo, double hi)
{
	cJSON *p = pair(lo, hi);

	if (p == NULL)
		return -1;
	if (!cJSON_AddItemToObject(o, key, p)) {
		cJSON_Delete(p);
		return -1;
	}
	return 0;
}

/* metrics of a group into obj (flat) */
static int
put_metrics(const struct aud_fairness *f, cJSON *obj, const double *m)
{
	int k;

	for (k = 0; k < AUD__NMET; k++) {
		if (k >= AUD__M_AUC && !f->o.has_score)
			continue;
		if (aud_json_add_number(obj, aud__metrics[k].key, m[k]) == NULL)
			return -1;
	}
	return 0;
}

static int
put_ci(const struct aud_fairness *f, cJSON *obj, const double *lo, const double *hi)
{
	int k;

	for (k = 0; k < AUD__NMET; k++)
		if (has_ci(f, k) && add_pair(obj, aud__metrics[k].key, lo[k], hi[k]) < 0)
			return -1;
	return 0;
}

/*
 * The majority class of every row (positive when the positive labels weigh
 * more; a tie is the negative class): the classifier that always predicts it
 * is the baseline a model's accuracy is compared with.
 */
static int
majority_positive(const struct fin *fi)
{
	const double *w = fi->at[fi->nat - 1].g[0].a.w;

	return w[4] + w[5] + w[6] + w[7] > w[0] + w[1] + w[2] + w[3];
}

/* The share of a group's (weighted) rows whose label is the overall majority class. */
static double
baseline_accuracy(const struct fin *fi, const struct acc *a)
{
	const double *w = a->w;
	double p = w[4] + w[5] + w[6] + w[7], q = w[0] + w[1] + w[2] + w[3];

	return ratio(majority_positive(fi) ? p : q, p + q);
}

/*
 * "confusion": TP, FP, FN, TN against the positive value (sums of weights in
 * the input's unit with --weights, as scikit-learn's confusion_matrix with
 * sample_weight gives them), and with --weights "confusion_rows": the same as
 * row counts.
 */
static int
put_confusion(const struct aud_fairness *f, cJSON *obj, const struct acc *a)
{
	static const char *const key[4] = { "tp", "fp", "fn", "tn" };
	static const int cell[4] = { 6, 2, 4, 0 };   /* label << 2 | pred << 1 */
	cJSON *c = cJSON_AddObjectToObject(obj, "confusion"), *r = NULL;
	int i;

	if (c == NULL)
		return -1;
	if (f->o.has_weights && (r = cJSON_AddObjectToObject(obj, "confusion_rows")) == NULL)
		return -1;
	for (i = 0; i < 4; i++) {
		double w = a->w[cell[i]] + a->w[cell[i] + 1];
		uint64_t n = a->n[cell[i]] + a->n[cell[i] + 1];

		if (aud_json_add_number(c, key[i], f->o.has_weights ? real_weight(f, w) :
		    (double)n) == NULL)
			return -1;
		if (r != NULL && aud_json_add_number(r, key[i], (double)n) == NULL)
			return -1;
	}
	return 0;
}

static cJSON *
group_json(const struct fin *fi, const struct attr *at, const struct group *g)
{
	const struct aud_fairness *f = fi->f;
	cJSON *o = cJSON_CreateObject(), *x;
	size_t c;
	int k, boot = f->o.ci_method == AUD_CI_BOOTSTRAP;

	if (o == NULL)
		return NULL;
	if (cJSON_AddStringToObject(o, "group", g->name) == NULL)
		goto fail;
	if (at->ncols > 1) {
		cJSON *cols = cJSON_AddArrayToObject(o, "columns");
		cJSON *vals = cJSON_AddArrayToObject(o, "values");

		if (cols == NULL || vals == NULL)
			goto fail;
		for (c = 0; c < at->ncols; c++) {
			const struct column *col = &f->cols[at->cols[c]];

			/* the raw value; the missing one is null */
			if (!cJSON_AddItemToArray(cols, cJSON_CreateString(col->name)) ||
			    !cJSON_AddItemToArray(vals, (int64_t)g->vals[c] == col->missing_id ?
			    cJSON_CreateNull() : cJSON_CreateString(col->str[g->vals[c]])))
				goto fail;
		}
	}
	if (aud_json_add_number(o, "count", (double)g->count) == NULL)
		goto fail;
	if (f->o.has_weights && aud_json_add_number(o, "weight", real_weight(f, acc_weight(&g->a))) == NULL)
		goto fail;
	if (put_confusion(f, o, &g->a) < 0)
		goto fail;
	x = cJSON_AddObjectToObject(o, "metrics");
	if (x == NULL || put_metrics(f, x, g->m) < 0 ||
	    aud_json_add_number(x, "baseline_accuracy", baseline_accuracy(fi, &g->a)) == NULL)
		goto fail;
	if (f->o.has_score && f->hist_bins > 0 && !f->exact &&
	    aud_json_add_number(o, "auc_bin_error", g->auc_bin_error) == NULL)
		goto fail;
	x = cJSON_AddObjectToObject(o, "ci");
	if (x == NULL || put_ci(f, x, g->lo, g->hi) < 0)
		goto fail;
	x = cJSON_AddObjectToObject(o, "disparity");
	if (x == NULL)
		goto fail;
	for (k = 0; k < AUD__NRATE; k++) {
		cJSON *d = cJSON_AddObjectToObject(x, aud__metrics[k].key);

		if (d == NULL || aud_json_add_number(d, "ratio", g->dr[k]) == NULL ||
		    aud_json_add_number(d, "difference", g->dd[k]) == NULL)
			goto fail;
		if (boot && (add_pair(d, "ratio_ci", g->drlo[k], g->drhi[k]) < 0 ||
		    add_pair(d, "difference_ci", g->ddlo[k], g->ddhi[k]) < 0))
			goto fail;
	}
	if (cJSON_AddBoolToObject(o, "small", g->small) == NULL)
		goto fail;
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

static cJSON *
attr_json(const struct fin *fi, const struct attr *at)
{
	const struct aud_fairness *f = fi->f;
	cJSON *o = cJSON_CreateObject(), *x, *arr;
	size_t i, c;
	int k, nsum = at->ngroups == 2 ? AUD__NSUM : AUD__NSUM_ALL;

	if (o == NULL)
		return NULL;
	if (cJSON_AddStringToObject(o, "attribute", at->name) == NULL)
		goto fail;
	x = cJSON_AddArrayToObject(o, "columns");
	if (x == NULL)
		goto fail;
	for (c = 0; c < at->ncols; c++)
		if (!cJSON_AddItemToArray(x, cJSON_CreateString(f->cols[at->cols[c]].name)))
			goto fail;
	for (c = 0; c < at->ncols; c++) {
		const struct column *col = &f->cols[at->cols[c]];
		cJSON *bins, *e;
		size_t j;

		if (!col->binned)
			continue;
		bins = cJSON_GetObjectItemCaseSensitive(o, "bins");
		if (bins == NULL)
			bins = cJSON_AddObjectToObject(o, "bins");
		e = bins ? cJSON_AddArrayToObject(bins, col->name) : NULL;
		if (e == NULL)
			goto fail;
		for (j = 0; j < col->nedges; j++)
			if (!cJSON_AddItemToArray(e, aud_json_number(col->edges[j])))
				goto fail;
		if (col->right) {
			/* right-closed bins (edges written <=E): said, the edges alone do not tell */
			cJSON *cl = cJSON_GetObjectItemCaseSensitive(o, "closed");

			if (cl == NULL)
				cl = cJSON_AddObjectToObject(o, "closed");
			if (cl == NULL || cJSON_AddStringToObject(cl, col->name, "right") == NULL)
				goto fail;
		}
	}
	if (cJSON_AddStringToObject(o, "reference", at->g[at->ref].name) == NULL)
		goto fail;
	x = cJSON_AddObjectToObject(o, "summary");
	if (x == NULL)
		goto fail;
	for (k = 0; k < nsum; k++)
		if (aud_json_add_number(x, aud__summaries[k].key, at->s[k]) == NULL)
			goto fail;
	if (f->o.ci_method == AUD_CI_BOOTSTRAP) {
		x = cJSON_AddObjectToObject(o, "summary_ci");
		if (x == NULL)
			goto fail;
		for (k = 0; k < nsum; k++)
			if (add_pair(x, aud__summaries[k].key, at->slo[k], at->shi[k]) < 0)
				goto fail;
	}
	x = cJSON_AddObjectToObject(o, "tests");
	if (x == NULL)
		goto fail;
	for (k = 0; k < AUD__NTEST; k++) {
		cJSON *t = cJSON_AddObjectToObject(x, aud__tests[k]);

		if (t == NULL || cJSON_AddStringToObject(t, "test", "chi2") == NULL ||
		    aud_json_add_number(t, "statistic", at->tests[k].statistic) == NULL ||
		    cJSON_AddNumberToObject(t, "dof", (double)at->tests[k].dof) == NULL ||
		    aud_json_add_number(t, "p_value", at->tests[k].p_value) == NULL)
			goto fail;
	}
	arr = cJSON_AddArrayToObject(o, "groups");
	if (arr == NULL)
		goto fail;
	for (i = 0; i < at->ngroups; i++) {
		cJSON *g = group_json(fi, at, &at->g[i]);

		if (g == NULL || !cJSON_AddItemToArray(arr, g)) {
			cJSON_Delete(g);
			goto fail;
		}
	}
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

static int
results_json(const struct fin *fi, cJSON *res)
{
	const struct aud_fairness *f = fi->f;
	const struct attr *ov = &fi->at[fi->nat - 1];
	const struct group *g = &ov->g[0];
	cJSON *x, *arr;
	size_t a;

	if (cJSON_AddStringToObject(res, "positive", f->o.positive) == NULL ||
	    cJSON_AddStringToObject(res, "favorable", f->o.favorable) == NULL ||
	    cJSON_AddStringToObject(res, "ci_method",
	    f->o.ci_method == AUD_CI_BOOTSTRAP ? "bootstrap" : "wilson") == NULL ||
	    aud_json_add_number(res, "ci_level", f->o.ci_level) == NULL ||
	    cJSON_AddStringToObject(res, "majority_class",
	    majority_positive(fi) ? "positive" : "negative") == NULL)
		return -1;
	x = cJSON_AddObjectToObject(res, "overall");
	if (x == NULL || aud_json_add_number(x, "count", (double)g->count) == NULL)
		return -1;
	if (f->o.has_weights && aud_json_add_number(x, "weight", real_weight(f, acc_weight(&g->a))) == NULL)
		return -1;
	if (put_confusion(f, x, &g->a) < 0)
		return -1;
	if (put_metrics(f, x, g->m) < 0 ||
	    aud_json_add_number(x, "baseline_accuracy", baseline_accuracy(fi, &g->a)) == NULL)
		return -1;
	if (f->o.has_score && f->hist_bins > 0 && !f->exact &&
	    aud_json_add_number(x, "auc_bin_error", g->auc_bin_error) == NULL)
		return -1;
	x = cJSON_AddObjectToObject(res, "overall_ci");
	if (x == NULL || put_ci(f, x, g->lo, g->hi) < 0)
		return -1;
	arr = cJSON_AddArrayToObject(res, "attributes");
	if (arr == NULL)
		return -1;
	for (a = 0; a + 1 < fi->nat; a++) {
		cJSON *o = attr_json(fi, &fi->at[a]);

		if (o == NULL || !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			return -1;
		}
	}
	return 0;
}

static int
finish_warnings(struct fin *fi, struct aud_error *err)
{
	struct aud_fairness *f = fi->f;
	int rc = 0;

	if (f->skip_label > 0)
		rc = warn(fi, err, "%llu rows skipped: missing label",
		    (unsigned long long)f->skip_label);
	if (rc == 0 && f->skip_pred > 0)
		rc = warn(fi, err, "%llu rows skipped: missing prediction",
		    (unsigned long long)f->skip_pred);
	if (rc == 0 && f->skip_score > 0)
		rc = warn(fi, err, "%llu rows skipped: missing score",
		    (unsigned long long)f->skip_score);
	if (rc == 0 && f->skip_weight > 0)
		rc = warn(fi, err, "%llu rows skipped: missing weight",
		    (unsigned long long)f->skip_weight);
	/* the positive value and two others: more than two values */
	if (rc == 0 && f->label_neg.pos && f->label_neg.n >= 2) {
		char vals[160];

		list_values(vals, sizeof(vals), &f->label_neg, f->o.positive);
		rc = warn(fi, err, "the label has more than two values (%s): "
		    "every value other than '%s' counts as negative", vals, f->o.positive);
	}
	if (rc == 0 && f->pred_neg.pos && f->pred_neg.n >= 2) {
		char vals[160];

		list_values(vals, sizeof(vals), &f->pred_neg, f->o.positive);
		rc = warn(fi, err, "the prediction has more than two values (%s): "
		    "every value other than '%s' counts as negative", vals, f->o.positive);
	}
	return rc;
}

int
aud_fairness_finish(struct aud_fairness *f, cJSON *results, cJSON *warnings,
    struct aud_error *err)
{
	struct fin fi;
	size_t i, j, nat, *cols = NULL;
	int rc = 0;

	memset(&fi, 0, sizeof(fi));
	fi.f = f;
	fi.warnings = warnings;
	fi.z = aud_stats_z(f->o.ci_level);
	if (f->nadded == 0) {
		rc = AUD_ERROR(err, AUD_EPARSE, "no rows to audit");
		goto done;
	}
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
	nat = f->k + (f->o.intersect && f->k > 1) + 1;
	fi.at = calloc(nat, sizeof(*fi.at));
	cols = calloc(f->k, sizeof(*cols));
	if (fi.at == NULL || cols == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < f->k; i++) {
		cols[0] = i;
		rc = attr_build(&fi, &fi.at[fi.nat++], cols, 1, err);
		if (rc < 0)
			goto done;
	}
	if (f->o.intersect && f->k > 1) {
		for (i = 0; i < f->k; i++)
			cols[i] = i;
		rc = attr_build(&fi, &fi.at[fi.nat++], cols, f->k, err);
		if (rc < 0)
			goto done;
	}
	rc = attr_build(&fi, &fi.at[fi.nat++], cols, 0, err);
	if (rc < 0)
		goto done;
	if (f->exact && f->nrows > 0) {
		aud__srow_sort(f->rows, f->nrows, 2);
		rc = exact_auc(&fi, err);
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
		rc = bootstrap(&fi, err);
		if (rc < 0)
			goto done;
	}
	if (results_json(&fi, results) < 0) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
done:
	for (i = 0; i < fi.nat; i++)
		attr_release(&fi.at[i]);
	free(fi.at);
	free(cols);
	return rc;
}

/* ---- checks ---- */

static int
is_rate_key(const char *s)
{
	int k = aud__metric_index(s);

	return k >= 0 && k < AUD__NRATE;
}

int
aud_fairness_expr_validate(const struct aud_expr *e, struct aud_error *err)
{
	size_t d = aud_expr_depth(e);
	const char *p0 = aud_expr_part(e, 0), *p1 = aud_expr_part(e, 1),
	    *p2 = aud_expr_part(e, 2);
	int ok = 0;

	if (d == 1)
		ok = aud__summary_index(p0) >= 0;
	else if (d == 3 && strcmp(p0, "disparity") == 0)
		ok = is_rate_key(p1) && (strcmp(p2, "ratio") == 0 || strcmp(p2, "difference") == 0);
	else if (d == 2 && (strcmp(p0, "metrics") == 0 || strcmp(p0, "overall") == 0))
		ok = aud__metric_index(p1) >= 0 || (strcmp(p0, "overall") == 0 && strcmp(p1, "count") == 0);
	else if (d == 3 && strcmp(p0, "tests") == 0)
		ok = (strcmp(p1, "selection_rate") == 0 || strcmp(p1, "tpr") == 0 ||
		    strcmp(p1, "fpr") == 0) &&
		    (strcmp(p2, "p_value") == 0 || strcmp(p2, "statistic") == 0);
	if (!ok)
		return AUD_ERROR(err, AUD_EPARSE,
		    "unknown metric '%s' in check '%s' (a summary such as "
		    "demographic_parity_ratio, disparity.METRIC.ratio|difference, "
		    "metrics.METRIC, overall.METRIC, tests.selection_rate|tpr|fpr.p_value)",
		    aud_expr_path(e), aud_expr_text(e));
	return 0;
}

static double
json_num(const cJSON *o, const char *key)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

static int
add_check(cJSON *checks, const char *id, const char *metric, double value,
    const char *op, double threshold, const char *status, const char *attribute,
    const char *group, int requested, const char *convention)
{
	cJSON *c = cJSON_CreateObject();

	if (c == NULL || !cJSON_AddItemToArray(checks, c)) {
		cJSON_Delete(c);
		return -1;
	}
	if (cJSON_AddStringToObject(c, "id", id) == NULL ||
	    cJSON_AddStringToObject(c, "metric", metric) == NULL ||
	    aud_json_add_number(c, "value", value) == NULL ||
	    cJSON_AddStringToObject(c, "op", op) == NULL ||
	    aud_json_add_number(c, "threshold", threshold) == NULL ||
	    cJSON_AddStringToObject(c, "status", status) == NULL)
		return -1;
	if (attribute != NULL && cJSON_AddStringToObject(c, "attribute", attribute) == NULL)
		return -1;
	if (group != NULL && cJSON_AddStringToObject(c, "group", group) == NULL)
		return -1;
	if (convention != NULL && cJSON_AddStringToObject(c, "convention", convention) == NULL)
		return -1;
	if (cJSON_AddBoolToObject(c, "requested", requested) == NULL)
		return -1;
	return 0;
}

/* One expression on one attribute (or overall): its values go to the sink. */
static int
resolve_one(const struct aud_expr *e, const cJSON *res, const cJSON *attr,
    struct aud_check_sink *sink, struct aud_error *err)
{
	const char *p0 = aud_expr_part(e, 0);
	const char *aname = attr ?
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(attr, "attribute")) : NULL;
	const cJSON *groups = attr ? cJSON_GetObjectItemCaseSensitive(attr, "groups") : NULL;
	const cJSON *g;
	const char *ref = attr ?
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(attr, "reference")) : NULL;
	struct aud_check_value v = { NAN, NULL, NULL, NULL, NULL, NULL };
	int rc;

	v.attribute = aname;
	if (strcmp(p0, "disparity") == 0 || strcmp(p0, "metrics") == 0) {
		cJSON_ArrayForEach(g, groups) {
			const cJSON *o;

			v.group = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(g, "group"));
			if (strcmp(p0, "disparity") == 0) {
				if (ref != NULL && v.group != NULL && strcmp(ref, v.group) == 0)
					continue; /* the reference against itself */
				o = cJSON_GetObjectItemCaseSensitive(
				    cJSON_GetObjectItemCaseSensitive(g, "disparity"),
				    aud_expr_part(e, 1));
				v.value = json_num(o, aud_expr_part(e, 2));
			} else {
				o = cJSON_GetObjectItemCaseSensitive(g, "metrics");
				v.value = json_num(o, aud_expr_part(e, 1));
			}
			rc = aud_check_emit(sink, &v, err);
			if (rc < 0)
				return rc;
		}
		return 0;
	}
	if (strcmp(p0, "overall") == 0)
		v.value = json_num(cJSON_GetObjectItemCaseSensitive(res, "overall"),
		    aud_expr_part(e, 1));
	else if (strcmp(p0, "tests") == 0)
		v.value = json_num(cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(attr, "tests"),
		    aud_expr_part(e, 1)), aud_expr_part(e, 2));
	else
		v.value = json_num(cJSON_GetObjectItemCaseSensitive(attr, "summary"), p0);
	return aud_check_emit(sink, &v, err);
}

/* The resolver: a scope names an attribute; overall paths take none. */
static int
resolve(const cJSON *results, const struct aud_expr *e, struct aud_check_sink *sink,
    const void *payload, struct aud_error *err)
{
	const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(results, "attributes"), *a;
	const char *scope = aud_expr_scope(e);
	int matched = 0, rc;

	(void)payload;
	if (strcmp(aud_expr_part(e, 0), "overall") == 0) {
		if (scope != NULL)
			return AUD_ERROR(err, AUD_EINVAL,
			    "check '%s': overall metrics take no attribute", aud_expr_text(e));
		return resolve_one(e, results, NULL, sink, err);
	}
	cJSON_ArrayForEach(a, attrs) {
		const char *aname = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(a, "attribute"));

		if (scope != NULL && (aname == NULL || strcmp(scope, aname) != 0))
			continue;
		matched = 1;
		rc = resolve_one(e, results, a, sink, err);
		if (rc < 0)
			return rc;
	}
	if (scope != NULL && !matched)
		return AUD_ERROR(err, AUD_EINVAL, "check '%s': no attribute '%s'",
		    aud_expr_text(e), scope);
	return 0;
}

static int
known(const struct aud_expr *e)
{
	return aud_fairness_expr_validate(e, NULL) == 0;
}

static int
four_fifths(const cJSON *attr, enum aud_four_fifths rule, cJSON *checks,
    struct aud_error *err)
{
	const char *aname = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(attr, "attribute"));
	const char *ref = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(attr, "reference"));
	const cJSON *groups = cJSON_GetObjectItemCaseSensitive(attr, "groups"), *g;
	const char *gmin = NULL, *gmax = NULL;
	double mn = INFINITY, mx = -INFINITY, v;
	const char *st;

	cJSON_ArrayForEach(g, groups) {
		const char *gname = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(g, "group"));

		if (rule == AUD_FOUR_FIFTHS_EEOC)
			v = json_num(cJSON_GetObjectItemCaseSensitive(g, "metrics"), "favorable_rate");
		else {
			if (ref != NULL && gname != NULL && strcmp(ref, gname) == 0)
				continue;
			v = json_num(cJSON_GetObjectItemCaseSensitive(
			    cJSON_GetObjectItemCaseSensitive(g, "disparity"), "favorable_rate"),
			    "ratio");
		}
		if (isnan(v))
			continue;
		if (v < mn) {
			mn = v;
			gmin = gname;
		}
		if (v > mx) {
			mx = v;
			gmax = gname;
		}
	}
	if (rule == AUD_FOUR_FIFTHS_EEOC) {
		v = gmin != NULL && mx > 0.0 ? mn / mx : NAN;
		st = isnan(v) ? "undefined" : v >= 0.8 ? "pass" : "fail";
		if (add_check(checks, "four_fifths_rule", "favorable_rate_ratio_to_highest", v,
		    ">=", 0.8, st, aname, gmin, 0, "eeoc") < 0)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		return 0;
	}
	v = gmin != NULL ? mn : NAN;
	st = isnan(v) ? "undefined" : v >= 0.8 ? "pass" : "fail";
	if (add_check(checks, "four_fifths_rule", "disparity.favorable_rate.ratio", v,
	    ">=", 0.8, st, aname, gmin, 0, "band") < 0)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	v = gmax != NULL ? mx : NAN;
	st = isnan(v) ? "undefined" : v <= 1.25 ? "pass" : "fail";
	if (add_check(checks, "four_fifths_rule", "disparity.favorable_rate.ratio", v,
	    "<=", 1.25, st, aname, gmax, 0, "band") < 0)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	return 0;
}

/* The four-fifths rule of every attribute, reported without being requested. */
static int
reported(const cJSON *results, cJSON *checks, const void *payload, struct aud_error *err)
{
	const cJSON *a;
	int rc;

	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(results, "attributes")) {
		rc = four_fifths(a, *(const enum aud_four_fifths *)payload, checks, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void
aud_fairness_check_resolver(struct aud_check_resolver *out, const enum aud_four_fifths *rule)
{
	out->known = known;
	out->resolve = resolve;
	out->reported = reported;
	out->payload = rule;
}

int
aud_fairness_check(const cJSON *results, struct aud_expr *const *exprs,
    size_t nexprs, enum aud_four_fifths rule, cJSON *checks, cJSON *warnings,
    size_t *nfailed, struct aud_error *err)
{
	struct aud_check_resolver r;
	size_t i;
	int rc;

	aud_fairness_check_resolver(&r, &rule);
	*nfailed = 0;
	for (i = 0; i < nexprs; i++) {
		rc = aud_fairness_expr_validate(exprs[i], err);
		if (rc < 0)
			return rc;
	}
	return aud__check_run_exprs(&r, exprs, nexprs, 0, results, checks, warnings,
	    nfailed, err);
}
