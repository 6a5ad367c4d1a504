/*
 * mitigate_grid.c — Fairlearn's ThresholdOptimizer over its grid (mitigate.h): each
 * group's trade-off curve and its hull, the grid, the weighted sum (or for equalized
 * odds the lowest TPR) and its first maximum, and Fairlearn's tolerance window.
 */
#include <audit/mitigate.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mitigate_impl.h"

/* Fairlearn's metrics of a confusion matrix, its operations in its order. */
struct cm {
	double tp, fp, tn, fn;
};

static double
metric_x(const struct cm *c, enum aud_mit_constraint k)
{
	switch (k) {
	case AUD_MIT_DEMOGRAPHIC_PARITY:
		return (c->tp + c->fp) / (c->tp + c->tn + c->fp + c->fn);
	case AUD_MIT_EQUALIZED_ODDS:
	case AUD_MIT_FPR_PARITY:
		return c->fp / (c->tn + c->fp);
	case AUD_MIT_EQUAL_OPPORTUNITY:
		return c->tp / (c->tp + c->fn);
	case AUD_MIT_FNR_PARITY:
		return c->fn / (c->tp + c->fn);
	}
	return NAN;
}

static double
metric_y(const struct cm *c, enum aud_mit_objective o)
{
	if (o == AUD_MIT_ACCURACY)
		return (c->tp + c->tn) / (c->tp + c->tn + c->fp + c->fn);
	return 0.5 * c->tp / (c->tp + c->fn) + 0.5 * c->tn / (c->tn + c->fp);
}

/*
 * A group's curve for the grid: x the constrained rate (the FPR for equalized
 * odds), y the group's objective (the TPR for equalized odds). @return the hull
 * size; *out is owned by the caller.
 */
static int
group_hull(struct aud__mit_point **out, size_t *n, const struct aud__mit_view *v,
    const struct aud_mit_options *o, struct aud_error *err)
{
	struct aud__mit_point *p = malloc((v->n + 1) * sizeof(*p));
	size_t k, m;

	*out = NULL;
	if (p == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	m = aud__mit_points(p, v);
	for (k = 0; k < m; k++) {
		struct cm c = { p[k].tp, p[k].fp, v->neg - p[k].fp, v->pos - p[k].tp };

		p[k].x = metric_x(&c, o->constraint);
		if (o->constraint == AUD_MIT_EQUALIZED_ODDS)
			p[k].y = c.tp / (c.tp + c.fn);
		else
			p[k].y = metric_y(&c, o->objective);
	}
	*n = aud__mit_hull(p, m);
	*out = p;
	return 0;
}

/* The groups' indices in the order of their names (pandas' groupby order). */
static int
cmp_name(const void *a, const void *b)
{
	const struct aud__mit_view *const *p = a, *const *q = b;

	return strcmp((*p)->name, (*q)->name);
}

/* Fairlearn's grid: linspace(0, 1, grid + 1), numpy's operations. */
static double
grid_x(size_t k, size_t grid)
{
	double step = 1.0 / (double)grid;

	return k == grid ? 1.0 : (double)k * step + 0.0;
}

/*
 * Fairlearn's tolerance over its grid (0.13 and later, one rate only): a window of grid
 * points no wider than tol slides over the grid; in each, every group takes its grid
 * point of highest weighted objective (a deque per group; among equal values the
 * latest), and the window whose sum is highest wins (ties: the later one when its
 * spread of rates is no larger). Groups in the order of their names. idx[i] is group
 * i's chosen grid point (the groups' own order).
 */
static int
grid_window(size_t *idx, struct aud__mit_point *const *hull, const size_t *hn,
    const struct aud__mit_view *const *order, const struct aud__mit_view *v, size_t nv,
    double total, const struct aud_mit_options *o, struct aud_error *err)
{
	size_t npts = o->grid + 1, j, k, end, start = 0;
	double *y = malloc(nv * npts * sizeof(*y)), best = -INFINITY, best_spread = INFINITY;
	size_t *dq = malloc(nv * npts * sizeof(*dq)), *head = calloc(nv, sizeof(*head));
	size_t *tail = calloc(nv, sizeof(*tail));
	int rc = 0;

	if (y == NULL || dq == NULL || head == NULL || tail == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (j = 0; j < nv; j++) {
		size_t gi = (size_t)(order[j] - v), s = 0;
		double w = order[j]->count / total;

		for (k = 0; k < npts; k++) {
			double p0, p1;

			y[j * npts + k] = aud__mit_interp(hull[gi], hn[gi], grid_x(k, o->grid), &s,
			    &p0, &p1) * w;
		}
	}
	for (end = 0; end < npts; end++) {
		double sum = 0, lo = INFINITY, hi = -INFINITY;

		for (j = 0; j < nv; j++) {
			const double *yj = &y[j * npts];
			size_t *d = &dq[j * npts];

			while (tail[j] > head[j] && yj[d[tail[j] - 1]] <= yj[end])
				tail[j]--;
			d[tail[j]++] = end;
		}
		while (grid_x(end, o->grid) - grid_x(start, o->grid) > o->tolerance) {
			for (j = 0; j < nv; j++)
				if (tail[j] > head[j] && dq[j * npts + head[j]] == start)
					head[j]++;
			start++;
		}
		for (j = 0; j < nv; j++) {
			size_t f = dq[j * npts + head[j]];

			sum += y[j * npts + f];
			lo = fmin(lo, grid_x(f, o->grid));
			hi = fmax(hi, grid_x(f, o->grid));
		}
		if (sum > best || (sum == best && hi - lo <= best_spread)) {
			best = sum;
			best_spread = hi - lo;
			for (j = 0; j < nv; j++)
				idx[order[j] - v] = dq[j * npts + head[j]];
		}
	}
done:
	free(y);
	free(dq);
	free(head);
	free(tail);
	return rc;
}

int
aud__mit_grid(struct aud_mit_rule *rules, double *rate, const struct aud__mit_view *v, size_t nv,
    const struct aud_mit_options *o, struct aud_error *err)
{
	struct aud__mit_point **hull = NULL;
	const struct aud__mit_view **order = NULL;
	size_t *hn = NULL, *seg = NULL, k, i, best = 0, npts = o->grid + 1;
	double *acc = NULL, total = 0, pos = 0, neg = 0, xbest, ybest = 0;
	int rc = 0, eo = o->constraint == AUD_MIT_EQUALIZED_ODDS;

	hull = calloc(nv, sizeof(*hull));
	order = malloc(nv * sizeof(*order));
	hn = calloc(nv, sizeof(*hn));
	seg = calloc(nv, sizeof(*seg));
	acc = malloc(npts * sizeof(*acc));
	if (hull == NULL || order == NULL || hn == NULL || seg == NULL || acc == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < nv; i++) {
		order[i] = &v[i];
		total += v[i].count;
		pos += v[i].pos;
		neg += v[i].neg;
		rc = group_hull(&hull[i], &hn[i], &v[i], o, err);
		if (rc < 0)
			goto done;
	}
	qsort(order, nv, sizeof(*order), cmp_name);
	if (!eo && o->tolerance > 0) {
		rc = grid_window(seg, hull, hn, order, v, nv, total, o, err);
		if (rc < 0)
			goto done;
		for (i = 0; i < nv; i++) {
			struct aud_mit_rule *r = &rules[i];
			double x = grid_x(seg[i], o->grid);
			size_t s = 0;

			aud__mit_interp(hull[i], hn[i], x, &s, &r->p0, &r->p1);
			r->threshold0 = hull[i][s].thr;
			r->threshold1 = hull[i][s + 1].thr;
			r->p_ignore = 0;
			r->prediction_constant = 0;
		}
		*rate = NAN;
		goto done;
	}
	for (k = 0; k < npts; k++)
		acc[k] = eo ? INFINITY : 0.0;
	/* per grid point: the weighted sum of the groups' objectives (groups in the
	 * order of their names), or for equalized odds the lowest TPR */
	for (i = 0; i < nv; i++) {
		size_t gi = (size_t)(order[i] - v), s = 0;
		double w = order[i]->count / total;

		for (k = 0; k < npts; k++) {
			double p0, p1, y = aud__mit_interp(hull[gi], hn[gi], grid_x(k, o->grid), &s,
			    &p0, &p1);

			if (eo)
				acc[k] = y < acc[k] ? y : acc[k];
			else
				acc[k] += w * y;
		}
	}
	if (eo) {
		/* the objective of the common point (x, lowest TPR) over all rows,
		 * rounded to 15 decimals as Fairlearn does */
		for (k = 0; k < npts; k++) {
			double x = grid_x(k, o->grid), y = acc[k];
			struct cm c = { pos * y, neg * x, neg * (1.0 - x), pos * (1.0 - y) };

			acc[k] = rint(metric_y(&c, o->objective) * 1e15) / 1e15;
		}
	}
	for (k = 1; k < npts; k++)
		if (acc[k] > acc[best])
			best = k;
	xbest = grid_x(best, o->grid);
	if (eo) {
		ybest = INFINITY;
		for (i = 0; i < nv; i++) {
			size_t s = 0;
			double p0, p1, y = aud__mit_interp(hull[i], hn[i], xbest, &s, &p0, &p1);

			ybest = y < ybest ? y : ybest;
		}
	}
	for (i = 0; i < nv; i++) {
		struct aud_mit_rule *r = &rules[i];
		double y;

		seg[i] = 0;
		y = aud__mit_interp(hull[i], hn[i], xbest, &seg[i], &r->p0, &r->p1);
		r->threshold0 = hull[i][seg[i]].thr;
		r->threshold1 = hull[i][seg[i] + 1].thr;
		r->p_ignore = 0;
		r->prediction_constant = 0;
		if (eo) {
			r->prediction_constant = xbest;
			r->p_ignore = y == xbest ? 0 : (y - ybest) / (y - xbest);
		}
	}
	*rate = xbest;
done:
	if (hull != NULL)
		for (i = 0; i < nv; i++)
			free(hull[i]);
	free(hull);
	free(order);
	free(hn);
	free(seg);
	free(acc);
	return rc;
}

