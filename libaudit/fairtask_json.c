/*
 * fairtask_json.c — the results object of audit-fair's multi-class and
 * regression tasks: overall, per attribute (summaries, per-class summaries),
 * per group (metrics, intervals, confusion, per-class values, disparities).
 */
#include <audit/fairtask.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/json.h>

#include "fairtask_impl.h"

static int
put_num(cJSON *o, const char *key, double x)
{
	return aud_json_add_number(o, key, x) == NULL ? -1 : 0;
}

static cJSON *
confusion_json(const struct tfin *tf, const struct tgroup *g)
{
	cJSON *a = cJSON_CreateArray();
	size_t i, j;

	for (i = 0; a != NULL && i < tf->K; i++) {
		cJSON *row = cJSON_CreateArray();

		if (row == NULL || !cJSON_AddItemToArray(a, row)) {
			cJSON_Delete(row);
			goto fail;
		}
		for (j = 0; j < tf->K; j++)
			if (!cJSON_AddItemToArray(row, aud_json_number(g->conf[i * tf->K + j])))
				goto fail;
	}
	return a;
fail:
	cJSON_Delete(a);
	return NULL;
}

/* The metrics, intervals, confusion and per-class values of a group into o. */
static int
group_body(const struct tfin *tf, const struct tgroup *g, cJSON *m, cJSON *ci, cJSON *o)
{
	const struct aud_fairtask *t = tf->t;
	size_t k, c, j, n;
	const char *const *keys = aud__task_metrics(t->o.task, &n);

	for (k = 0; k < n; k++)
		if (put_num(m, keys[k], g->m[k]) < 0 ||
		    aud__fair_add_pair(ci, keys[k], g->lo[k], g->hi[k]) < 0)
			return -1;
	if (t->o.task != AUD_FAIRTASK_MULTICLASS)
		return 0;
	{
		cJSON *conf = confusion_json(tf, g), *pc;

		if (conf == NULL || !cJSON_AddItemToObject(o, "confusion", conf)) {
			cJSON_Delete(conf);
			return -1;
		}
		pc = cJSON_AddObjectToObject(o, "per_class");
		for (c = 0; pc != NULL && c < tf->K; c++) {
			cJSON *x = cJSON_AddObjectToObject(pc, aud__task_class(tf, c)), *xc;

			if (x == NULL)
				return -1;
			for (j = 0; j < AUD__MC_NPC; j++)
				if (put_num(x, aud__mc_pc[j], g->pc[c * AUD__MC_NPC + j]) < 0)
					return -1;
			xc = cJSON_AddObjectToObject(x, "ci");
			if (xc == NULL)
				return -1;
			for (j = 0; j < 3; j++) {
				int q = aud__mc_pc_summed[j];

				if (aud__fair_add_pair(xc, aud__mc_pc[q], g->pclo[c * AUD__MC_NPC + q],
				    g->pchi[c * AUD__MC_NPC + q]) < 0)
					return -1;
			}
		}
		if (pc == NULL)
			return -1;
	}
	return 0;
}

static cJSON *
group_json(const struct tfin *tf, const struct tattr *ta, size_t gi)
{
	const struct group *fg = &ta->at->g[gi];
	const struct tgroup *g = &ta->g[gi];
	cJSON *o = cJSON_CreateObject(), *m, *ci, *d;
	size_t k;

	if (o == NULL || cJSON_AddStringToObject(o, "group", fg->name) == NULL ||
	    aud__fair_group_columns(o, tf->t->f, ta->at, fg) < 0 ||
	    put_num(o, "count", (double)fg->count) < 0 ||
	    (m = cJSON_AddObjectToObject(o, "metrics")) == NULL ||
	    (ci = cJSON_AddObjectToObject(o, "ci")) == NULL ||
	    group_body(tf, g, m, ci, o) < 0 ||
	    (d = cJSON_AddObjectToObject(o, "disparity")) == NULL)
		goto fail;
	for (k = 0; k < tf->nmet; k++) {
		size_t n;
		cJSON *x = cJSON_AddObjectToObject(d, aud__task_metrics(tf->t->o.task, &n)[k]);

		if (x == NULL || put_num(x, "ratio", g->dr[k]) < 0 ||
		    put_num(x, "difference", g->dd[k]) < 0)
			goto fail;
	}
	if (cJSON_AddBoolToObject(o, "small", fg->small) == NULL)
		goto fail;
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

static cJSON *
attr_json(const struct tfin *tf, const struct tattr *ta)
{
	const struct aud_fairtask *t = tf->t;
	const struct attr *at = ta->at;
	cJSON *o = cJSON_CreateObject(), *x, *sum, *sci, *arr;
	size_t i, k, c, n;
	const char *const *keys = aud__task_metrics(t->o.task, &n);
	char key[96];

	if (o == NULL || cJSON_AddStringToObject(o, "attribute", at->name) == NULL ||
	    (x = cJSON_AddArrayToObject(o, "columns")) == NULL)
		goto fail;
	for (c = 0; c < at->ncols; c++)
		if (!cJSON_AddItemToArray(x, cJSON_CreateString(t->f->cols[at->cols[c]].name)))
			goto fail;
	if (cJSON_AddStringToObject(o, "reference", at->g[at->ref].name) == NULL ||
	    (sum = cJSON_AddObjectToObject(o, "summary")) == NULL ||
	    (sci = cJSON_AddObjectToObject(o, "summary_ci")) == NULL)
		goto fail;
	for (k = 0; k < n; k++)
		for (i = 0; i < 2; i++) {
			snprintf(key, sizeof(key), "%s_%s", keys[k], i ? "ratio" : "difference");
			if (put_num(sum, key, ta->s[2 * k + i]) < 0 ||
			    aud__fair_add_pair(sci, key, ta->slo[2 * k + i], ta->shi[2 * k + i]) < 0)
				goto fail;
		}
	if (t->o.task == AUD_FAIRTASK_REGRESSION) {
		x = cJSON_AddObjectToObject(sum, "bounded_group_loss");
		if (x == NULL || cJSON_AddStringToObject(x, "loss", "squared") == NULL ||
		    put_num(x, "value", ta->g[ta->bgl].m[RG_LOSS]) < 0 ||
		    cJSON_AddStringToObject(x, "group", at->g[ta->bgl].name) == NULL)
			goto fail;
	} else {
		x = cJSON_AddObjectToObject(o, "per_class");
		for (c = 0; x != NULL && c < tf->K; c++) {
			cJSON *y = cJSON_AddObjectToObject(x, aud__task_class(tf, c)), *yc;

			if (y == NULL || (yc = cJSON_AddObjectToObject(y, "ci")) == NULL)
				goto fail;
			for (k = 0; k < 3; k++)
				for (i = 0; i < 2; i++) {
					size_t q = c * 6 + 2 * k + i;

					snprintf(key, sizeof(key), "%s_%s", aud__mc_pc[aud__mc_pc_summed[k]],
					    i ? "ratio" : "difference");
					if (put_num(y, key, ta->pcs[q]) < 0 ||
					    aud__fair_add_pair(yc, key, ta->pcslo[q], ta->pcshi[q]) < 0)
						goto fail;
				}
			/* "ci" after the values */
			cJSON_DetachItemViaPointer(y, yc);
			cJSON_AddItemToObject(y, "ci", yc);
		}
		if (x == NULL)
			goto fail;
	}
	arr = cJSON_AddArrayToObject(o, "groups");
	for (i = 0; arr != NULL && i < at->ngroups; i++) {
		cJSON *g = group_json(tf, ta, i);

		if (g == NULL || !cJSON_AddItemToArray(arr, g)) {
			cJSON_Delete(g);
			goto fail;
		}
	}
	if (arr == NULL)
		goto fail;
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

int
aud__task_results_json(const struct tfin *tf, cJSON *res)
{
	const struct aud_fairtask *t = tf->t;
	const struct tattr *ov = &tf->ta[tf->fi.nat - 1];
	cJSON *x, *ci;
	size_t i;

	if (cJSON_AddStringToObject(res, "task", t->o.task == AUD_FAIRTASK_MULTICLASS ?
	    "multiclass" : "regression") == NULL)
		return -1;
	if (t->o.task == AUD_FAIRTASK_MULTICLASS) {
		x = cJSON_AddArrayToObject(res, "classes");
		for (i = 0; x != NULL && i < tf->K; i++)
			if (!cJSON_AddItemToArray(x, cJSON_CreateString(aud__task_class(tf, i))))
				return -1;
		if (x == NULL)
			return -1;
	}
	x = cJSON_AddObjectToObject(res, "overall");
	if (x == NULL || put_num(x, "count", (double)ov->at->g[0].count) < 0)
		return -1;
	ci = cJSON_CreateObject();
	if (ci == NULL)
		return -1;
	if (group_body(tf, &ov->g[0], x, ci, x) < 0) {
		cJSON_Delete(ci);
		return -1;
	}
	/* overall: the metrics flat, then ci, confusion and per_class */
	{
		cJSON *conf = cJSON_DetachItemFromObject(x, "confusion");
		cJSON *pc = cJSON_DetachItemFromObject(x, "per_class");

		cJSON_AddItemToObject(x, "ci", ci);
		if (conf != NULL)
			cJSON_AddItemToObject(x, "confusion", conf);
		if (pc != NULL)
			cJSON_AddItemToObject(x, "per_class", pc);
	}
	x = cJSON_AddArrayToObject(res, "attributes");
	for (i = 0; x != NULL && i + 1 < tf->fi.nat; i++) {
		cJSON *a = attr_json(tf, &tf->ta[i]);

		if (a == NULL || !cJSON_AddItemToArray(x, a)) {
			cJSON_Delete(a);
			return -1;
		}
	}
	return x == NULL ? -1 : 0;
}

