/*
 * fairtask_impl.h — private: the metric tables of audit-fair's multi-class
 * and regression tasks, shared by the fairtask*.c files (fairtask_job.c:
 * checks; fairtask_write.c: the views), and the accumulator and finishing
 * state shared by fairtask.c (reading, metrics, groups), fairtask_boot.c (the
 * bootstrap) and fairtask_json.c (the results object).
 */
#ifndef AUDIT_FAIRTASK_IMPL_H
#define AUDIT_FAIRTASK_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include <audit/dict.h>
#include <audit/fairtask.h>

#include "fairness_impl.h"

/* multiclass: the group metrics that have summaries and disparities, in output order */
#define AUD__MC_NMAIN 5
extern const char *const aud__mc_main[AUD__MC_NMAIN];
/* multiclass: the per-class values, in output order */
#define AUD__MC_NPC 5
extern const char *const aud__mc_pc[AUD__MC_NPC];
/* regression: the group metrics beside count, in output order */
#define AUD__RG_NMET 7
extern const char *const aud__rg_met[AUD__RG_NMET];

/* The metric keys of a task (count not included) and how many. */
const char *const *aud__task_metrics(enum aud_fairtask_kind task, size_t *n);


/* confusion matrices of every group, and the bootstrap's replicates: at most this each */
#define TASK_BUDGET ((uint64_t)1 << 30)

/* (cell, label class, predicted class) -> rows */
struct pair {
	uint64_t key;
	uint64_t n;                  /* 0: empty slot */
};

struct aud_fairtask {
	struct aud_fairtask_options o;
	struct aud_fairness_options fo;
	struct aud_fairness *f;      /* the cells and groups, as the binary task forms them */
	/* multiclass */
	struct aud_dict *classes;    /* codes in order of first sight */
	struct pair *pairs;
	size_t npairs, nslots;
	/* regression */
	double *yl, *yp;
	uint32_t *cell;
	size_t nrows, caprows;
	uint64_t skip_label, skip_pred;
};

/* the per-class values with summaries (indices into aud__mc_pc) */
extern const int aud__mc_pc_summed[3];
enum { PC_SUPPORT, PC_RECALL, PC_PRECISION, PC_F1, PC_SEL };
enum { RG_MEANP, RG_MEANL, RG_MAE, RG_MSE, RG_RMSE, RG_R2, RG_LOSS };
#define NMAX AUD__RG_NMET

struct tgroup {
	double m[NMAX], lo[NMAX], hi[NMAX], dr[NMAX], dd[NMAX];
	double *conf;                /* multiclass: K x K */
	double *pc, *pclo, *pchi;    /* multiclass: K x AUD__MC_NPC */
	double *rep;                 /* bootstrap: B x nrep */
	size_t first, n;             /* regression: the group's rows in the attribute's order */
};

struct tattr {
	struct attr *at;
	struct tgroup *g;
	double s[2 * NMAX], slo[2 * NMAX], shi[2 * NMAX];   /* difference, ratio per metric */
	double *pcs, *pcslo, *pcshi;                        /* K x 6 */
	size_t *order;               /* regression: row indices sorted by group */
	size_t bgl;                  /* the group of the largest loss */
};

struct tfin {
	struct aud_fairtask *t;
	struct fin fi;
	struct tattr *ta;
	size_t K;                    /* classes */
	int32_t *rank;               /* code -> class index in byte order */
	int32_t *byrank;             /* class index -> code */
	size_t nmet, nrep;
	/* the bootstrap's tasks: (attribute, group) */
	size_t *task_a, *task_g;
};

/* fairtask.c: a class's text (by its index in byte order), the metrics, the summaries */
const char *aud__task_class(const struct tfin *tf, size_t i);
void aud__task_mc_metrics(const double *c, size_t K, double m[AUD__MC_NMAIN], double *pc);
void aud__task_rg_metrics(const double *yl, const double *yp, const size_t *idx, size_t n,
    double m[NMAX]);
void aud__task_summaries(const struct tfin *tf, const struct tattr *ta,
    const double *const *vals, size_t stride, double *s, double *pcs, size_t *skipped,
    double *v);

/* fairtask_boot.c: every group's replicates and the percentile intervals */
int aud__task_bootstrap(struct tfin *tf, struct aud_error *err);

/* fairtask_json.c: the results object */
int aud__task_results_json(const struct tfin *tf, cJSON *res);

#endif
