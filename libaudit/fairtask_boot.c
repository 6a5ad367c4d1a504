/*
 * fairtask_boot.c — the bootstrap of audit-fair's multi-class and regression
 * tasks: each group's replicates on its own random stream (multinomial draws
 * of its confusion cells, or its rows resampled), over threads; percentile
 * intervals of the groups' metrics and of the attributes' summaries.
 */
#include <audit/fairtask.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/json.h>
#include <audit/rng.h>
#include <audit/stats.h>

#include "fairtask_impl.h"
#include "parallel.h"

static int
boot_task(void *payload, size_t thread, size_t task, struct aud_error *err)
{
	struct tfin *tf = payload;
	struct aud_fairtask *t = tf->t;
	struct tattr *ta = &tf->ta[tf->task_a[task]];
	struct tgroup *g = &ta->g[tf->task_g[task]];
	const struct group *fg = &ta->at->g[tf->task_g[task]];
	struct aud_rng *r = NULL;
	size_t K = tf->K, KK = K * K, b, i;
	double *p = NULL, *c = NULL, *pc = NULL;
	uint64_t *counts = NULL;
	unsigned int *drawn = NULL;
	size_t *idx = NULL;
	int rc;

	(void)thread;
	rc = aud_rng_new(&r, t->o.seed, ((uint64_t)(tf->task_a[task] + 1) << 32) |
	    tf->task_g[task], err);
	if (rc < 0)
		return rc;
	if (t->o.task == AUD_FAIRTASK_MULTICLASS) {
		p = malloc(KK * sizeof(*p));
		c = malloc(KK * sizeof(*c));
		pc = malloc(K * AUD__MC_NPC * sizeof(*pc));
		counts = malloc(KK * sizeof(*counts));
		drawn = malloc(KK * sizeof(*drawn));
		if (p == NULL || c == NULL || pc == NULL || counts == NULL || drawn == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		for (i = 0; i < KK; i++)
			counts[i] = (uint64_t)g->conf[i];
		for (b = 0; b < t->o.bootstrap; b++) {
			double *out = g->rep + b * tf->nrep;

			rc = aud_stats_multinomial(r, KK, fg->count, counts, p, drawn, err);
			if (rc < 0)
				goto done;
			for (i = 0; i < KK; i++)
				c[i] = drawn[i];
			aud__task_mc_metrics(c, K, out, pc);
			for (i = 0; i < K; i++) {
				out[AUD__MC_NMAIN + 3 * i] = pc[i * AUD__MC_NPC + PC_RECALL];
				out[AUD__MC_NMAIN + 3 * i + 1] = pc[i * AUD__MC_NPC + PC_PRECISION];
				out[AUD__MC_NMAIN + 3 * i + 2] = pc[i * AUD__MC_NPC + PC_SEL];
			}
		}
	} else {
		idx = malloc((g->n ? g->n : 1) * sizeof(*idx));
		if (idx == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		for (b = 0; b < t->o.bootstrap; b++) {
			for (i = 0; i < g->n; i++)
				idx[i] = ta->order[g->first + aud_rng_int(r, g->n)];
			aud__task_rg_metrics(t->yl, t->yp, idx, g->n, g->rep + b * tf->nrep);
		}
	}
done:
	aud_rng_free(r);
	free(p);
	free(c);
	free(pc);
	free(counts);
	free(drawn);
	free(idx);
	return rc;
}

/* Percentile intervals of the groups' metrics and of the summaries. */
static int
boot_intervals(struct tfin *tf, struct aud_error *err)
{
	struct aud_fairtask *t = tf->t;
	size_t B = t->o.bootstrap, a, gi, k, b;
	size_t nsum = 2 * tf->nmet, npcs = tf->K * 6;
	double *x = malloc(B * sizeof(*x)), *s = malloc((nsum + npcs) * B * sizeof(*s));
	const double **vals = NULL;
	double *v = NULL;
	int rc = 0;

	if (x == NULL || s == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (a = 0; a < tf->fi.nat; a++) {
		struct tattr *ta = &tf->ta[a];
		size_t ng = ta->at->ngroups;

		for (gi = 0; gi < ng; gi++) {
			struct tgroup *g = &ta->g[gi];

			for (k = 0; k < tf->nmet; k++) {
				/* closed forms: accuracy (Wilson), the regression means (t) */
				if (t->o.task == AUD_FAIRTASK_MULTICLASS ? k == 0 : k <= RG_MEANL)
					continue;
				for (b = 0; b < B; b++)
					x[b] = g->rep[b * tf->nrep + k];
				aud_stats_percentile_interval(x, B, t->o.ci_level, &g->lo[k],
				    &g->hi[k]);
			}
		}
		if (ta->at->overall)
			continue;
		free(vals);
		free(v);
		vals = malloc(ng * sizeof(*vals));
		v = malloc(ng * sizeof(*v));
		if (vals == NULL || v == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		for (b = 0; b < B; b++) {
			for (gi = 0; gi < ng; gi++)
				vals[gi] = ta->g[gi].rep + b * tf->nrep;
			aud__task_summaries(tf, ta, vals, tf->nmet, s + b * (nsum + npcs),
			    npcs ? s + b * (nsum + npcs) + nsum : NULL, NULL, v);
		}
		for (k = 0; k < nsum + npcs; k++) {
			double lo, hi;

			for (b = 0; b < B; b++)
				x[b] = s[b * (nsum + npcs) + k];
			aud_stats_percentile_interval(x, B, t->o.ci_level, &lo, &hi);
			if (k < nsum) {
				ta->slo[k] = lo;
				ta->shi[k] = hi;
			} else {
				ta->pcslo[k - nsum] = lo;
				ta->pcshi[k - nsum] = hi;
			}
		}
	}
done:
	free(vals);
	free(v);
	free(x);
	free(s);
	return rc;
}

int
aud__task_bootstrap(struct tfin *tf, struct aud_error *err)
{
	struct aud_fairtask *t = tf->t;
	size_t a, gi, ntask = 0, n = 0;
	uint64_t bytes;

	for (a = 0; a < tf->fi.nat; a++)
		n += tf->fi.at[a].ngroups;
	bytes = (uint64_t)n * t->o.bootstrap * tf->nrep * sizeof(double);
	if (bytes > TASK_BUDGET)
		return AUD_ERROR(err, AUD_EPARSE, "--bootstrap %u: the replicates of %zu groups "
		    "would need %llu MiB, more than %llu MiB: use fewer replicates",
		    t->o.bootstrap, n, (unsigned long long)((bytes + (1u << 20) - 1) >> 20),
		    (unsigned long long)(TASK_BUDGET >> 20));
	tf->task_a = malloc(n * sizeof(*tf->task_a));
	tf->task_g = malloc(n * sizeof(*tf->task_g));
	if (tf->task_a == NULL || tf->task_g == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (a = 0; a < tf->fi.nat; a++)
		for (gi = 0; gi < tf->fi.at[a].ngroups; gi++) {
			struct tgroup *g = &tf->ta[a].g[gi];

			g->rep = malloc(t->o.bootstrap * tf->nrep * sizeof(*g->rep));
			if (g->rep == NULL)
				return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			tf->task_a[ntask] = a;
			tf->task_g[ntask++] = gi;
		}
	{
		int rc = aud__parallel_for(t->o.threads, ntask, boot_task, tf, NULL, "bootstrap",
		    err);

		if (rc < 0)
			return rc;
	}
	return boot_intervals(tf, err);
}

