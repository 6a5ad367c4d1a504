/*
 * fairness_impl.h — private: the metric and summary tables shared by the
 * fairness*.c files (computation, checks) and fairness_format.c (rendering);
 * the fairness object, its accumulators and the state of finishing it.
 */
#ifndef AUDIT_FAIRNESS_IMPL_H
#define AUDIT_FAIRNESS_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include <audit/csv.h>
#include <audit/error.h>
#include <audit/fairness.h>
#include <audit/stats.h>

/* Per-group metrics, in output order. The first AUD__NRATE are rates with a disparity. */
enum aud__metric {
	AUD__M_BASE_RATE, AUD__M_SELECTION_RATE, AUD__M_FAVORABLE_RATE, AUD__M_ACCURACY,
	AUD__M_TPR, AUD__M_FPR, AUD__M_TNR, AUD__M_FNR, AUD__M_PPV, AUD__M_NPV,
	AUD__M_FDR, AUD__M_FOR, AUD__M_F1, AUD__M_BALANCED_ACCURACY,
	AUD__M_AUC, AUD__M_BRIER, AUD__M_LOG_LOSS, AUD__M_ECE, AUD__M_MEAN_SCORE,
	AUD__NMET
};
#define AUD__NRATE 14
#define AUD__NSCORE 5

/* Per-attribute summaries, in output order. The last three only for binary attributes. */
enum aud__summary {
	AUD__S_DP_DIFF, AUD__S_DP_RATIO, AUD__S_EO_DIFF, AUD__S_EO_RATIO,
	AUD__S_EOP_DIFF, AUD__S_EOP_RATIO, AUD__S_DI, AUD__S_SPD, AUD__S_AOD,
	AUD__NSUM
};
#define AUD__NSUM_ALL 6

/* Chi-square tests per attribute. */
#define AUD__NTEST 3

struct aud__metric_info {
	const char *key;      /* JSON key */
	const char *label;    /* short column label for tables */
	const char *course;   /* the course's vocabulary ("" when none) */
	const char *library;  /* the libraries' name */
};

extern const struct aud__metric_info aud__metrics[AUD__NMET];
extern const struct aud__metric_info aud__summaries[AUD__NSUM];
extern const char *const aud__tests[AUD__NTEST];

/* Index of a metric/summary key, or -1. */
int aud__metric_index(const char *key);
int aud__summary_index(const char *key);

/*
 * The fairness object and the state of finishing it, shared by the
 * fairness*.c files: fairness.c (object, accumulators, adding rows),
 * fairness_read.c (a CSV), fairness_finish.c (attributes, groups, metrics),
 * fairness_auc.c (exact AUC), fairness_boot.c (bootstrap), fairness_json.c
 * (the results) and fairness_check.c (checks).
 */

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
	double ece_w[NECE];         /* sum of w per calibration bin */
	uint64_t ece_n[NECE];       /* rows per calibration bin */
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
	uint32_t last_cell;          /* the cell of the row added last (fairtask.c reads it) */
};

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

/* fairness.c: helpers, the adding thread, adding a row */
char *aud__fair_xstrndup(const char *s, size_t n);
size_t aud__fair_hist_bin(double s, size_t nb);
struct pipe *aud__fair_pipe_start(struct aud_fairness *f);
int aud__fair_pipe_stop(struct pipe *p, struct aud_error *err);
int aud__fair_scale_weight(struct aud_fairness *f, double *w, struct aud_error *err);
int aud__fair_add_row(struct aud_fairness *f, const struct aud_fairness_row *row, size_t *badcol,
    struct aud_csv *csv, const size_t *iprot, struct aud_error *err);

/* fairness_read.c: the values a column holds besides the positive one */
void aud__fair_list_values(char *buf, size_t size, const struct negs *ng, const char *positive);

/* fairness_read.c: prefix err's message with the input position of field col */
int aud__fair_at_field(struct aud_error *err, struct aud_csv *csv, size_t col, int rc);

/* fairness_finish.c: warnings, the attributes and their groups (shared with fairtask.c) */
int aud__fair_warn(struct fin *fi, struct aud_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int aud__fair_build_attrs(struct fin *fi, struct aud_error *err);
int aud__fair_set_reference(struct fin *fi, struct attr *at, struct aud_error *err);
void aud__fair_fin_release(struct fin *fi);

/* fairness_finish.c: accumulator arithmetic, metrics, summaries, disparities */
void aud__fair_acc_add(struct acc *d, const struct acc *s);
void aud__fair_hist_add(struct hcell *d, const struct hcell *s, size_t n);
double aud__fair_ratio(double a, double b);
void aud__fair_rates(double m[AUD__NMET], const struct acc *a);
double aud__fair_acc_weight(const struct acc *a);
double aud__fair_real_weight(const struct aud_fairness *f, double w);
void aud__fair_score_hist(double m[AUD__NMET], const struct hcell *h, size_t nb);
void aud__fair_summaries(double s[AUD__NSUM], const struct group *g, size_t ng,
    const double *const *rep, size_t ref);
/* ratio and difference of the first n metrics of m against ref */
void aud__fair_disparity(double *dr, double *dd, const double *m, const double *ref, size_t n);
int aud__fair_has_ci(const struct aud_fairness *f, int k);

/* fairness_auc.c: the exact AUC of every group, the AUC of a histogram */
int aud__fair_exact_auc(struct fin *fi, struct aud_error *err);
void aud__fair_hist_auc(const struct hcell *h, size_t nb, double *auc, double *var, double *binerr);

/* fairness_boot.c: the bootstrap intervals */
int aud__fair_bootstrap(struct fin *fi, struct aud_error *err);

/* fairness_check.c: the check resolver's resolve() over any audit-fair document */
int aud__fair_resolve(const cJSON *results, const struct aud_expr *e,
    struct aud_check_sink *sink, const void *payload, struct aud_error *err);

/* fairness_job.c: params.bins and params.bins_closed */
int aud__fair_put_bins(cJSON *p, const struct aud_fairness_bins *bins, size_t nbins);

/* fairness_json.c: the results object; [lo, hi] under key; an intersection group's columns */
int aud__fair_add_pair(cJSON *o, const char *key, double lo, double hi);
int aud__fair_group_columns(cJSON *o, const struct aud_fairness *f, const struct attr *at,
    const struct group *g);
int aud__fair_results_json(const struct fin *fi, cJSON *res);

#endif
