/*
 * mitigate_lp.c — the exact optimum of group thresholds (a linear programme
 * solved with GLPK) and the accuracy–disparity frontier (mitigate.h).
 *
 * Each group may take any point of the convex hull of its threshold rules: for
 * one constrained rate, the upper hull of (rate, the group's share of the
 * objective); for equalized odds, the region between its ROC upper hull and the
 * diagonal. The programme weighs each group's hull vertices (lambda >= 0, sum 1)
 * and asks every group's rate(s) to lie in [L, L + tolerance] for a common L.
 * The solution's point of each group is then written as a rule: two adjacent
 * hull vertices, and for equalized odds a share of the constant decision.
 */
#include <audit/mitigate.h>

#include <math.h>
#include <setjmp.h>
#include <stdlib.h>

#include <glpk.h>

#include "mitigate_impl.h"

/* GLPK reports an internal error (out of memory, a broken invariant) to this hook and
 * aborts when it returns: it leaves through the caller's jump buffer instead. */
static void
glpk_hook(void *info)
{
	longjmp(*(jmp_buf *)info, 1);
}

/* A group's hull for the exact problem, and its objective weights. */
struct ghull {
	struct aud__mit_point *h;
	size_t n;
};

/* The objective share of a decision with tp and fp on a group. */
static double
share(const struct aud__mit_view *v, double tp, double fp, double total, double pos, double neg,
    enum aud_mit_objective o)
{
	if (o == AUD_MIT_ACCURACY)
		return (tp + (v->neg - fp)) / total;
	return 0.5 * tp / pos + 0.5 * (v->neg - fp) / neg;
}

static double
rate_x(const struct aud__mit_view *v, double tp, double fp, enum aud_mit_constraint c)
{
	switch (c) {
	case AUD_MIT_DEMOGRAPHIC_PARITY:
		return (tp + fp) / v->count;
	case AUD_MIT_EQUALIZED_ODDS:
	case AUD_MIT_FPR_PARITY:
		return fp / v->neg;
	case AUD_MIT_EQUAL_OPPORTUNITY:
		return tp / v->pos;
	case AUD_MIT_FNR_PARITY:
		return (v->pos - tp) / v->pos;
	}
	return NAN;
}

static double
clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

static int
build_hulls(struct ghull *gh, const struct aud__mit_view *v, size_t nv,
    const struct aud_mit_options *o, struct aud_error *err)
{
	double total = 0, pos = 0, neg = 0;
	size_t i, k;

	for (i = 0; i < nv; i++) {
		total += v[i].count;
		pos += v[i].pos;
		neg += v[i].neg;
	}
	for (i = 0; i < nv; i++) {
		struct aud__mit_point *p = malloc((v[i].n + 1) * sizeof(*p));
		size_t m;

		if (p == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		m = aud__mit_points(p, &v[i]);
		for (k = 0; k < m; k++) {
			p[k].x = rate_x(&v[i], p[k].tp, p[k].fp, o->constraint);
			if (o->constraint == AUD_MIT_EQUALIZED_ODDS)
				p[k].y = p[k].tp / v[i].pos;
			else
				p[k].y = share(&v[i], p[k].tp, p[k].fp, total, pos, neg,
				    o->objective);
		}
		gh[i].h = p;
		gh[i].n = aud__mit_hull(p, m);
	}
	return 0;
}

/* The rule that reaches x (and for equalized odds the TPR y) on a group's hull. */
static void
rule_at(struct aud_mit_rule *r, const struct ghull *gh, double x, double y, int eo)
{
	size_t s = 0;
	double u = aud__mit_interp(gh->h, gh->n, x, &s, &r->p0, &r->p1);

	r->threshold0 = gh->h[s].thr;
	r->threshold1 = gh->h[s + 1].thr;
	r->p_ignore = 0;
	r->prediction_constant = 0;
	if (eo) {
		/* mix the hull's point (x, u) with the constant decision x, which
		 * sits on the diagonal at (x, x), to come down to (x, y) */
		r->prediction_constant = x;
		r->p_ignore = u == x ? 0 : clamp((u - y) / (u - x), 0.0, 1.0);
	}
}

/* A linear programme as arrays (1-based, GLPK's layout), maximised. */
struct lp {
	int nrows, ncols, nnz;
	int *rtype, *ctype;       /* GLP_FX, GLP_DB, GLP_LO */
	double *rlo, *rhi, *clo, *chi, *obj;
	int *ia, *ja;
	double *ar;
	int exact;                /* confirm the basis in rational arithmetic */
};

/* Solve d with GLPK; the columns' values into prim[1..ncols]. */
static int
run_glpk(double *prim, const struct lp *d, struct aud_error *err)
{
	glp_prob *volatile lp = NULL;
	jmp_buf jb;
	glp_smcp parm;
	volatile int rc = 0;
	int i;

	if (setjmp(jb) != 0) {
		/* GLPK failed inside: its memory goes with its environment */
		glp_free_env();
		return AUD_ERROR(err, AUD_ENUMERIC, "GLPK failed while solving the exact optimum");
	}
	glp_error_hook(glpk_hook, &jb);
	lp = glp_create_prob();
	glp_set_obj_dir(lp, GLP_MAX);
	glp_add_rows(lp, d->nrows);
	glp_add_cols(lp, d->ncols);
	for (i = 1; i <= d->nrows; i++)
		glp_set_row_bnds(lp, i, d->rtype[i], d->rlo[i], d->rhi[i]);
	for (i = 1; i <= d->ncols; i++) {
		glp_set_col_bnds(lp, i, d->ctype[i], d->clo[i], d->chi[i]);
		glp_set_obj_coef(lp, i, d->obj[i]);
	}
	glp_load_matrix(lp, d->nnz, d->ia, d->ja, d->ar);
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = GLP_OFF;
	if (glp_simplex(lp, &parm) != 0 || glp_get_status(lp) != GLP_OPT)
		rc = AUD_ERROR(err, AUD_ENUMERIC, "the linear programme of the exact optimum "
		    "failed (GLPK status %d)", glp_get_status(lp));
	/* then the same basis in rational arithmetic: the optimum of the data as given */
	else if (d->exact && (glp_exact(lp, &parm) != 0 || glp_get_status(lp) != GLP_OPT))
		rc = AUD_ERROR(err, AUD_ENUMERIC, "the exact linear programme failed "
		    "(GLPK status %d)", glp_get_status(lp));
	else
		for (i = 1; i <= d->ncols; i++)
			prim[i] = glp_get_col_prim(lp, i);
	glp_delete_prob(lp);
	glp_error_hook(NULL, NULL);
	return rc;
}

static void
lp_free(struct lp *d)
{
	free(d->rtype);
	free(d->ctype);
	free(d->rlo);
	free(d->rhi);
	free(d->clo);
	free(d->chi);
	free(d->obj);
	free(d->ia);
	free(d->ja);
	free(d->ar);
}

static int
lp_alloc(struct lp *d, size_t nrows, size_t ncols, size_t nnz)
{
	d->rtype = malloc((nrows + 1) * sizeof(int));
	d->rlo = malloc((nrows + 1) * sizeof(double));
	d->rhi = malloc((nrows + 1) * sizeof(double));
	d->ctype = malloc((ncols + 1) * sizeof(int));
	d->clo = malloc((ncols + 1) * sizeof(double));
	d->chi = malloc((ncols + 1) * sizeof(double));
	d->obj = malloc((ncols + 1) * sizeof(double));
	d->ia = malloc((nnz + 1) * sizeof(int));
	d->ja = malloc((nnz + 1) * sizeof(int));
	d->ar = malloc((nnz + 1) * sizeof(double));
	return d->rtype && d->rlo && d->rhi && d->ctype && d->clo && d->chi && d->obj && d->ia &&
	    d->ja && d->ar;
}

int
aud__mit_exact(struct aud_mit_rule *rules, double *rate, const struct aud__mit_view *v,
    size_t nv, const struct aud_mit_options *o, struct aud_error *err)
{
	int eo = o->constraint == AUD_MIT_EQUALIZED_ODDS, rpg = eo ? 3 : 2;
	double eps = o->tolerance, total = 0, pos = 0, neg = 0, *prim = NULL;
	struct ghull *gh = NULL;
	struct lp d = { 0 };
	int rc = 0, col, colL, colLy = 0;
	size_t i, k, nvert = 0;

	gh = calloc(nv, sizeof(*gh));
	if (gh == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	rc = build_hulls(gh, v, nv, o, err);
	if (rc < 0)
		goto done;
	for (i = 0; i < nv; i++) {
		nvert += gh[i].n;
		total += v[i].count;
		pos += v[i].pos;
		neg += v[i].neg;
	}
	if (nvert > 100000000 || nv > 10000000) {
		rc = AUD_ERROR(err, AUD_EUNSUPPORTED, "too many hull vertices (%zu)", nvert);
		goto done;
	}
	/* columns: a weight per hull vertex, then L (and Ly); rows per group: the sum of
	 * its weights, its rate, (equalized odds) its TPR; entries: three per vertex and
	 * one or two per group for L and Ly */
	d.nrows = (int)(nv * (size_t)rpg);
	d.ncols = (int)nvert + (eo ? 2 : 1);
	d.exact = nvert <= 20000;
	prim = malloc(((size_t)d.ncols + 1) * sizeof(*prim));
	if (prim == NULL || !lp_alloc(&d, (size_t)d.nrows, (size_t)d.ncols, 3 * nvert + 2 * nv)) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	col = 1;
	for (i = 0; i < nv; i++) {
		int r0 = (int)i * rpg + 1, m;

		d.rtype[r0] = GLP_FX;
		d.rlo[r0] = d.rhi[r0] = 1.0;
		for (m = 1; m < rpg; m++) {
			d.rtype[r0 + m] = eps > 0 ? GLP_DB : GLP_FX;
			d.rlo[r0 + m] = 0.0;
			d.rhi[r0 + m] = eps;
		}
		for (k = 0; k < gh[i].n; k++, col++) {
			const struct aud__mit_point *p = &gh[i].h[k];

			d.ctype[col] = GLP_LO;
			d.clo[col] = d.chi[col] = 0.0;
			d.obj[col] = eo ? share(&v[i], p->tp, p->fp, total, pos, neg, o->objective)
			    : p->y;
			d.nnz++, d.ia[d.nnz] = r0, d.ja[d.nnz] = col, d.ar[d.nnz] = 1.0;
			d.nnz++, d.ia[d.nnz] = r0 + 1, d.ja[d.nnz] = col, d.ar[d.nnz] = p->x;
			if (eo)
				d.nnz++, d.ia[d.nnz] = r0 + 2, d.ja[d.nnz] = col, d.ar[d.nnz] = p->y;
		}
	}
	colL = col;
	colLy = eo ? col + 1 : 0;
	for (col = colL; col <= d.ncols; col++) {
		d.ctype[col] = GLP_DB;
		d.clo[col] = 0.0;
		d.chi[col] = 1.0;
		d.obj[col] = 0.0;
	}
	for (i = 0; i < nv; i++) {
		int r0 = (int)i * rpg + 1;

		d.nnz++, d.ia[d.nnz] = r0 + 1, d.ja[d.nnz] = colL, d.ar[d.nnz] = -1.0;
		if (eo)
			d.nnz++, d.ia[d.nnz] = r0 + 2, d.ja[d.nnz] = colLy, d.ar[d.nnz] = -1.0;
	}
	rc = run_glpk(prim, &d, err);
	if (rc < 0)
		goto done;
	{
		double L = clamp(prim[colL], 0.0, 1.0);
		double Ly = eo ? clamp(prim[colLy], 0.0, 1.0) : 0.0;

		col = 1;
		for (i = 0; i < nv; i++) {
			double x = 0, y = 0;

			for (k = 0; k < gh[i].n; k++, col++) {
				x += prim[col] * gh[i].h[k].x;
				y += prim[col] * gh[i].h[k].y;
			}
			if (eps == 0) {
				x = L;
				y = Ly;
			} else {
				x = clamp(clamp(x, L, L + eps), 0.0, 1.0);
				y = clamp(clamp(y, Ly, Ly + eps), 0.0, 1.0);
			}
			if (eo && y < x)
				y = x;
			rule_at(&rules[i], &gh[i], x, y, eo);
		}
		*rate = eps == 0 ? L : NAN;
	}
done:
	lp_free(&d);
	free(prim);
	if (gh != NULL)
		for (i = 0; i < nv; i++)
			free(gh[i].h);
	free(gh);
	return rc;
}

int
aud_mit_frontier(struct aud_mit_point *pts, const double *tolerances, size_t n,
    const struct aud_mit_groups *g, const struct aud_mit_options *o, struct aud_error *err)
{
	size_t j, i, ng = aud_mit_groups_count(g);

	for (j = 0; j < n; j++)
		if (!(tolerances[j] >= 0.0 && isfinite(tolerances[j])))
			return AUD_ERROR(err, AUD_EINVAL, "tolerance %g is not a finite number >= 0",
			    tolerances[j]);
	for (j = 0; j < n; j++) {
		struct aud_mit_options oj = *o;
		struct aud_mit_solution *s = NULL;
		double lo[2] = { INFINITY, INFINITY }, hi[2] = { -INFINITY, -INFINITY };
		int rc;

		oj.grid = 0;
		oj.tolerance = tolerances[j];
		rc = aud_mit_solve(&s, g, &oj, err);
		if (rc < 0)
			return rc;
		for (i = 0; i < ng; i++) {
			struct aud_mit_rates r;
			double a[2];
			int m;

			aud_mit_groups_rates(g, i, &s->rules[i], &r);
			switch (o->constraint) {
			case AUD_MIT_DEMOGRAPHIC_PARITY:
				a[0] = a[1] = r.selection_rate;
				break;
			case AUD_MIT_EQUALIZED_ODDS:
				a[0] = r.fpr;
				a[1] = r.tpr;
				break;
			case AUD_MIT_FPR_PARITY:
				a[0] = a[1] = r.fpr;
				break;
			case AUD_MIT_EQUAL_OPPORTUNITY:
			case AUD_MIT_FNR_PARITY:
			default:
				a[0] = a[1] = r.tpr;
				break;
			}
			for (m = 0; m < 2; m++) {
				lo[m] = a[m] < lo[m] ? a[m] : lo[m];
				hi[m] = a[m] > hi[m] ? a[m] : hi[m];
			}
		}
		pts[j].tolerance = tolerances[j];
		pts[j].objective = s->objective;
		pts[j].disparity = hi[0] - lo[0] > hi[1] - lo[1] ? hi[0] - lo[0] : hi[1] - lo[1];
		aud_mit_solution_free(s);
	}
	return 0;
}
