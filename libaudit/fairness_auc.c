/* fairness_auc.c — exact AUC: the rows sorted once, swept per attribute; histogram AUC. */
#include <audit/fairness.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fairness_impl.h"
#include "parallel.h"
#include "fairness_sort.h"

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
int
aud__fair_exact_auc(struct fin *fi, struct aud_error *err)
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
void
aud__fair_hist_auc(const struct hcell *h, size_t nb, double *auc, double *var, double *binerr)
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
