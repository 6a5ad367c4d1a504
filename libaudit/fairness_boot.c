/* fairness_boot.c — bootstrap intervals: replicates on their own random streams. */
#include <audit/fairness.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/rng.h>

#include "fairness_impl.h"
#include "parallel.h"

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
				aud__fair_acc_add(&gacc[at->t2g[t]], &racc[t]);
				if (nb > 0)
					aud__fair_hist_add(ghist + at->t2g[t] * hb2, rhist + t * hb2, hb2);
			}
			for (i = 0; i < ng; i++) {
				aud__fair_rates(rep[i], &gacc[i]);
				for (k = AUD__M_AUC; k < AUD__NMET; k++)
					rep[i][k] = NAN;
				if (nb > 0)
					aud__fair_score_hist(rep[i], ghist + i * hb2, nb);
			}
			for (i = 0; i < ng; i++) {
				double dr[AUD__NRATE], dd[AUD__NRATE];

				for (k = 0; k < AUD__NMET; k++)
					v[(s++) * B] = rep[i][k];
				aud__fair_disparity(dr, dd, rep[i], rep[at->ref], AUD__NRATE);
				for (k = 0; k < AUD__NRATE; k++) {
					v[(s++) * B] = dr[k];
					v[(s++) * B] = dd[k];
				}
			}
			if (!at->overall) {
				double sm[AUD__NSUM];

				aud__fair_summaries(sm, at->g, ng, (const double *const *)rep, at->ref);
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

int
aud__fair_bootstrap(struct fin *fi, struct aud_error *err)
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
