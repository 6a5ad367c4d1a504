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
#include <stdlib.h>

#include <glpk.h>

#include "mitigate_impl.h"

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

int
aud__mit_exact(struct aud_mit_rule *rules, double *rate, const struct aud__mit_view *v,
    size_t nv, const struct aud_mit_options *o, struct aud_error *err)
{
	int eo = o->constraint == AUD_MIT_EQUALIZED_ODDS;
	double eps = o->tolerance, total = 0, pos = 0, neg = 0;
	struct ghull *gh = NULL;
	glp_prob *lp = NULL;
	int *ia = NULL, *ja = NULL, rc = 0, colL, colLy = 0, nnz = 0;
	double *ar = NULL;
	size_t i, k, ncols = 0;
	glp_smcp parm;

	gh = calloc(nv, sizeof(*gh));
	if (gh == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	rc = build_hulls(gh, v, nv, o, err);
	if (rc < 0)
		goto done;
	for (i = 0; i < nv; i++) {
		ncols += gh[i].n;
		total += v[i].count;
		pos += v[i].pos;
		neg += v[i].neg;
	}
	if (ncols + 2 > 100000000) {
		rc = AUD_ERROR(err, AUD_EUNSUPPORTED, "too many hull vertices (%zu)", ncols);
		goto done;
	}
	/* three entries per vertex (sum, x row, y row) and two for L and Ly per group */
	ia = malloc((3 * ncols + 2 * nv + 1) * sizeof(*ia));
	ja = malloc((3 * ncols + 2 * nv + 1) * sizeof(*ja));
	ar = malloc((3 * ncols + 2 * nv + 1) * sizeof(*ar));
	lp = glp_create_prob();
	if (ia == NULL || ja == NULL || ar == NULL || lp == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	glp_set_obj_dir(lp, GLP_MAX);
	/* rows per group: 1 sum of the weights, 2 the rate, 3 (equalized odds) the TPR */
	glp_add_rows(lp, (int)(nv * (eo ? 3 : 2)));
	glp_add_cols(lp, (int)ncols + (eo ? 2 : 1));
	{
		int col = 1;

		for (i = 0; i < nv; i++) {
			int r0 = (int)(i * (eo ? 3 : 2)) + 1;

			glp_set_row_bnds(lp, r0, GLP_FX, 1.0, 1.0);
			glp_set_row_bnds(lp, r0 + 1, eps > 0 ? GLP_DB : GLP_FX, 0.0, eps);
			if (eo)
				glp_set_row_bnds(lp, r0 + 2, eps > 0 ? GLP_DB : GLP_FX, 0.0, eps);
			for (k = 0; k < gh[i].n; k++, col++) {
				const struct aud__mit_point *p = &gh[i].h[k];
				double c = eo ? share(&v[i], p->tp, p->fp, total, pos, neg,
				    o->objective) : p->y;

				glp_set_col_bnds(lp, col, GLP_LO, 0.0, 0.0);
				glp_set_obj_coef(lp, col, c);
				nnz++, ia[nnz] = r0, ja[nnz] = col, ar[nnz] = 1.0;
				nnz++, ia[nnz] = r0 + 1, ja[nnz] = col, ar[nnz] = p->x;
				if (eo)
					nnz++, ia[nnz] = r0 + 2, ja[nnz] = col, ar[nnz] = p->y;
			}
		}
		colL = col;
		glp_set_col_bnds(lp, colL, GLP_DB, 0.0, 1.0);
		if (eo) {
			colLy = col + 1;
			glp_set_col_bnds(lp, colLy, GLP_DB, 0.0, 1.0);
		}
		for (i = 0; i < nv; i++) {
			int r0 = (int)(i * (eo ? 3 : 2)) + 1;

			nnz++, ia[nnz] = r0 + 1, ja[nnz] = colL, ar[nnz] = -1.0;
			if (eo)
				nnz++, ia[nnz] = r0 + 2, ja[nnz] = colLy, ar[nnz] = -1.0;
		}
	}
	glp_load_matrix(lp, nnz, ia, ja, ar);
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = GLP_OFF;
	if (glp_simplex(lp, &parm) != 0 || glp_get_status(lp) != GLP_OPT) {
		rc = AUD_ERROR(err, AUD_ENUMERIC, "the linear programme of the exact optimum "
		    "failed (GLPK status %d)", glp_get_status(lp));
		goto done;
	}
	/* polish the basis in rational arithmetic: the optimum of the data as given */
	if (ncols <= 20000 && (glp_exact(lp, &parm) != 0 || glp_get_status(lp) != GLP_OPT)) {
		rc = AUD_ERROR(err, AUD_ENUMERIC, "the exact linear programme failed "
		    "(GLPK status %d)", glp_get_status(lp));
		goto done;
	}
	{
		double L = clamp(glp_get_col_prim(lp, colL), 0.0, 1.0);
		double Ly = eo ? clamp(glp_get_col_prim(lp, colLy), 0.0, 1.0) : 0.0;
		int col = 1;

		for (i = 0; i < nv; i++) {
			double x = 0, y = 0;

			for (k = 0; k < gh[i].n; k++, col++) {
				double lam = glp_get_col_prim(lp, col);

				x += lam * gh[i].h[k].x;
				y += lam * gh[i].h[k].y;
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
	if (lp != NULL)
		glp_delete_prob(lp);
	free(ia);
	free(ja);
	free(ar);
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
