/*
 * test_mitigate.c — group thresholds: Fairlearn's ThresholdOptimizer values on COMPAS
 * (../shared/reference/mitigate-compas, skipped when absent), hand-computed toys,
 * the exact optimum against a brute-force search and the grid, the frontier's
 * identities, and the error paths.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/csv.h>
#include <audit/json.h>
#include <audit/mitigate.h>

#include "runner.h"

static const enum aud_mit_constraint all_constraints[] = {
	AUD_MIT_DEMOGRAPHIC_PARITY, AUD_MIT_EQUALIZED_ODDS, AUD_MIT_EQUAL_OPPORTUNITY,
	AUD_MIT_FPR_PARITY, AUD_MIT_FNR_PARITY
};

struct row {
	const char *g;
	double s;
	int y;
	double w;
};

static struct aud_mit_groups *
groups_of(const struct row *r, size_t n)
{
	struct aud_mit_groups *g = NULL;
	struct aud_error err = AUD_ERROR_INIT;
	size_t i;

	CHECK_INT_EQ(aud_mit_groups_new(&g, &err), 0);
	for (i = 0; i < n; i++)
		CHECK_INT_EQ(aud_mit_groups_add(g, r[i].g, r[i].s, r[i].y, r[i].w, &err), 0);
	return g;
}

static struct aud_mit_solution *
solve(const struct aud_mit_groups *g, enum aud_mit_constraint c, enum aud_mit_objective o,
    size_t grid, double tol)
{
	struct aud_mit_options opt = AUD_MIT_OPTIONS_INIT;
	struct aud_mit_solution *s = NULL;
	struct aud_error err = AUD_ERROR_INIT;
	int rc;

	opt.constraint = c;
	opt.objective = o;
	opt.grid = grid;
	opt.tolerance = tol;
	rc = aud_mit_solve(&s, g, &opt, &err);
	if (rc != 0)
		aud_test_fail(__FILE__, __LINE__, "solve %s/%s grid %zu tol %g: %s",
		    aud_mit_constraint_name(c), aud_mit_objective_name(o), grid, tol, err.msg);
	return s;
}

/* The largest difference between groups of the constrained rate(s) of the rules. */
static double
disparity(const struct aud_mit_groups *g, const struct aud_mit_solution *s,
    enum aud_mit_constraint c)
{
	double lo[2] = { 2, 2 }, hi[2] = { -1, -1 };
	size_t i;
	int m;

	for (i = 0; i < s->ngroups; i++) {
		struct aud_mit_rates r;
		double a[2];

		aud_mit_groups_rates(g, i, &s->rules[i], &r);
		a[0] = a[1] = c == AUD_MIT_DEMOGRAPHIC_PARITY ? r.selection_rate
		    : c == AUD_MIT_FPR_PARITY ? r.fpr : c == AUD_MIT_FNR_PARITY ? 1 - r.tpr : r.tpr;
		if (c == AUD_MIT_EQUALIZED_ODDS)
			a[0] = r.fpr;
		for (m = 0; m < 2; m++) {
			lo[m] = fmin(lo[m], a[m]);
			hi[m] = fmax(hi[m], a[m]);
		}
	}
	return fmax(hi[0] - lo[0], hi[1] - lo[1]);
}

/* The objective of the rules' expected decisions, from their rates. */
static double
objective_of(const struct aud_mit_groups *g, const struct aud_mit_solution *s,
    enum aud_mit_objective o)
{
	double n = 0, p = 0, tp = 0, tn = 0;
	size_t i;

	for (i = 0; i < s->ngroups; i++) {
		struct aud_mit_rates r;

		aud_mit_groups_rates(g, i, &s->rules[i], &r);
		n += r.count;
		p += r.positives;
		tp += r.tpr * r.positives;
		tn += (1 - r.fpr) * (r.count - r.positives);
	}
	return o == AUD_MIT_ACCURACY ? (tp + tn) / n : 0.5 * tp / p + 0.5 * tn / (n - p);
}

void
test_mitigate__names(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	enum aud_mit_constraint c;
	enum aud_mit_objective o;
	size_t i;

	for (i = 0; i < 5; i++) {
		CHECK_INT_EQ(aud_mit_constraint_parse(&c, aud_mit_constraint_name(all_constraints[i]),
		    &err), 0);
		CHECK_INT_EQ(c, all_constraints[i]);
	}
	CHECK_STR_EQ(aud_mit_constraint_name(AUD_MIT_EQUAL_OPPORTUNITY), "equal_opportunity");
	CHECK_INT_EQ(aud_mit_constraint_parse(&c, "true_positive_rate_parity", &err), 0);
	CHECK_INT_EQ(c, AUD_MIT_EQUAL_OPPORTUNITY);
	CHECK_INT_EQ(aud_mit_constraint_parse(&c, "parity", &err), AUD_EINVAL);
	CHECK(strstr(err.msg, "'parity'") != NULL && strstr(err.msg, "equalized_odds") != NULL);
	CHECK_INT_EQ(aud_mit_objective_parse(&o, "balanced_accuracy", &err), 0);
	CHECK_INT_EQ(o, AUD_MIT_BALANCED_ACCURACY);
	CHECK_INT_EQ(aud_mit_objective_parse(&o, "accuracy", &err), 0);
	CHECK_INT_EQ(o, AUD_MIT_ACCURACY);
	CHECK_STR_EQ(aud_mit_objective_name(AUD_MIT_BALANCED_ACCURACY), "balanced_accuracy");
	CHECK_INT_EQ(aud_mit_objective_parse(&o, "f1", &err), AUD_EINVAL);
	CHECK(strstr(err.msg, "'f1'") != NULL);
}

void
test_mitigate__rule_prob_and_rates(void)
{
	/* p0 0.25 of score > 0.5, p1 0.75 of score > 0.2, then mixed 40% with 0.1 */
	struct aud_mit_rule r = { 0.25, 0.5, 0.75, 0.2, 0.4, 0.1 };
	struct row rows[] = {
		{ "a", 0.9, 1, 1 }, { "a", 0.3, 1, 2 }, { "a", 0.3, 0, 1 }, { "a", 0.1, 0, 1 },
		{ "b", 0.5, 1, 1 },
	};
	struct aud_mit_groups *g = groups_of(rows, 5);
	struct aud_mit_rates rt;

	CHECK_DBL_EQ(aud_mit_rule_prob(&r, 0.9), 0.4 * 0.1 + 0.6 * 1.0);
	CHECK_DBL_EQ(aud_mit_rule_prob(&r, 0.3), 0.4 * 0.1 + 0.6 * 0.75);
	CHECK_DBL_EQ(aud_mit_rule_prob(&r, 0.2), 0.4 * 0.1);
	CHECK_INT_EQ(aud_mit_groups_count(g), 2);
	CHECK_STR_EQ(aud_mit_groups_name(g, 0), "a");
	CHECK_STR_EQ(aud_mit_groups_name(g, 1), "b");
	/* group a: weights 1 (0.9, y1), 2 (0.3, y1), 1 (0.3, y0), 1 (0.1, y0); count 5 */
	aud_mit_groups_rates(g, 0, &r, &rt);
	CHECK_REL(rt.count, 5, 1e-15);
	CHECK_REL(rt.positives, 3, 1e-15);
	CHECK_REL(rt.selection_rate, (0.64 + 3 * 0.49 + 0.04) / 5, 1e-14);
	CHECK_REL(rt.tpr, (0.64 + 2 * 0.49) / 3, 1e-14);
	CHECK_REL(rt.fpr, (0.49 + 0.04) / 2, 1e-14);
	CHECK_REL(rt.accuracy, (0.64 + 2 * 0.49 + (1 - 0.49) + (1 - 0.04)) / 5, 1e-14);
	/* the unmitigated decision score >= 0.3 */
	aud_mit_groups_rates_at(g, 0, 0.3, &rt);
	CHECK_REL(rt.selection_rate, 4.0 / 5, 1e-15);
	CHECK_REL(rt.tpr, 1.0, 1e-15);
	CHECK_REL(rt.fpr, 0.5, 1e-15);
	CHECK_REL(rt.accuracy, 4.0 / 5, 1e-15);
	/* group b has no negative: its FPR is NaN */
	aud_mit_groups_rates_at(g, 1, 0.5, &rt);
	CHECK(isnan(rt.fpr));
	CHECK_REL(rt.tpr, 1.0, 1e-15);
	aud_mit_groups_free(g);
}

/* Many distinct scores, added out of order: the merged counts are those of the rows. */
void
test_mitigate__many_scores(void)
{
	struct aud_mit_groups *g = NULL;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_mit_rates rt;
	double sel = 0;
	int i;

	CHECK_INT_EQ(aud_mit_groups_new(&g, &err), 0);
	for (i = 0; i < 20000; i++) {
		double s = (double)((i * 7919) % 5000) / 4999.0;   /* each score 4 times */

		CHECK_INT_EQ(aud_mit_groups_add(g, "x", s, i % 3 == 0, 1, &err), 0);
		sel += s >= 0.25;
	}
	aud_mit_groups_rates_at(g, 0, 0.25, &rt);
	CHECK_REL(rt.count, 20000, 0);
	CHECK_REL(rt.selection_rate, sel / 20000, 1e-13);
	aud_mit_groups_free(g);
}

/*
 * A two-group toy solved by hand. Group A (weight 2 per row): 0.8 y1, 0.6 y1, 0.4 y0,
 * 0.2 y0; group B: 0.9 y1, 0.7 y1, 0.5 y1, 0.3 y0. Total weight 12.
 * Weighted correct decisions as a function of the selection rate x:
 *   A: 4 + 8x for x <= 0.5, 12 - 8x after (its best: select 0.8 and 0.6, all 8 right);
 *   B: 1 + 4x for x <= 0.75, 7 - 4x after (its best: the top three, all 4 right).
 * Demographic parity (one x): 5 + 12x on [0, 0.5], 13 - 4x on [0.5, 0.75]: the best is
 * x = 0.5, 11 right, accuracy 11/12. Fairlearn's rules at x = 0.5: A's hull of
 * (rate, accuracy) is (0, .5) (.5, 1) (1, .5), so A uses the vertex at 0.5 (threshold
 * (0.6 + 0.4) / 2 = 0.5) with p1 = 1; B's points are collinear up to (0.75, 1), its hull
 * is (0, .25) (.75, 1) (1, .75): p0 = (0.75 - 0.5) / 0.75 = 1/3 on +inf, p1 = 2/3 on
 * (0.5 + 0.3) / 2 = 0.4.
 * With tolerance 0.1: A stays at 0.5 (it loses 8 per unit, B gains only 4) and B goes
 * to 0.6: 8 + 1 + 2.4 = 11.4 right, accuracy 0.95; B: p0 = (0.75 - 0.6) / 0.75 = 0.2 on
 * +inf, p1 = 0.8 on 0.4. With tolerance 0.25 both reach their best: accuracy 1.
 */
void
test_mitigate__hand_demographic_parity(void)
{
	struct row rows[] = {
		{ "A", 0.8, 1, 2 }, { "A", 0.6, 1, 2 }, { "A", 0.4, 0, 2 }, { "A", 0.2, 0, 2 },
		{ "B", 0.9, 1, 1 }, { "B", 0.7, 1, 1 }, { "B", 0.5, 1, 1 }, { "B", 0.3, 0, 1 },
	};
	struct aud_mit_groups *g = groups_of(rows, 8);
	struct aud_mit_solution *s;
	int k;

	for (k = 0; k < 2; k++) {
		s = solve(g, AUD_MIT_DEMOGRAPHIC_PARITY, AUD_MIT_ACCURACY, k ? 0 : 1000, 0);
		if (s == NULL)
			continue;
		CHECK_REL(s->objective, 11.0 / 12, 1e-12);
		CHECK_REL(s->constrained_rate, 0.5, 1e-12);
		/* A: deterministic threshold 0.5 */
		CHECK_REL(aud_mit_rule_prob(&s->rules[0], 0.6), 1, 1e-12);
		CHECK_REL(aud_mit_rule_prob(&s->rules[0], 0.4), 0, 1e-12);
		CHECK_REL(s->rules[1].p0, 1.0 / 3, 1e-12);
		CHECK(s->rules[1].threshold0 == INFINITY);
		CHECK_REL(s->rules[1].p1, 2.0 / 3, 1e-12);
		CHECK_REL(s->rules[1].threshold1, 0.4, 1e-15);
		CHECK(s->rules[1].p_ignore == 0);
		aud_mit_solution_free(s);
	}
	s = solve(g, AUD_MIT_DEMOGRAPHIC_PARITY, AUD_MIT_ACCURACY, 0, 0.1);
	if (s != NULL) {
		CHECK_REL(s->objective, 0.95, 1e-12);
		CHECK(isnan(s->constrained_rate));
		CHECK_REL(s->rules[1].p0, 0.2, 1e-12);
		CHECK(s->rules[1].threshold0 == INFINITY);
		CHECK_REL(s->rules[1].p1, 0.8, 1e-12);
		CHECK_REL(s->rules[1].threshold1, 0.4, 1e-15);
		CHECK_REL(disparity(g, s, AUD_MIT_DEMOGRAPHIC_PARITY), 0.1, 1e-12);
		aud_mit_solution_free(s);
	}
	s = solve(g, AUD_MIT_DEMOGRAPHIC_PARITY, AUD_MIT_ACCURACY, 0, 0.25);
	if (s != NULL) {
		CHECK_REL(s->objective, 1.0, 1e-12);
		aud_mit_solution_free(s);
	}
	/* the grid with a tolerance: Fairlearn's window over its grid. Grid points 500
	 * and 600 are 0.5 and 0.6, 0.09999999999999998 apart (not above 0.1): A at 0.5, B at
	 * 0.6 as in the exact solution */
	s = solve(g, AUD_MIT_DEMOGRAPHIC_PARITY, AUD_MIT_ACCURACY, 1000, 0.1);
	if (s != NULL) {
		CHECK_REL(s->objective, 0.95, 1e-12);
		CHECK(isnan(s->constrained_rate));
		CHECK_REL(s->rules[1].p0, 0.2, 1e-12);
		CHECK_REL(s->rules[1].p1, 0.8, 1e-12);
		aud_mit_solution_free(s);
	}
	/* a coarser grid (0, 0.25, 0.5, 0.75, 1) with tolerance 0.1: the window holds one
	 * point, so both groups share a rate: 0.5 as without tolerance, 11/12 */
	s = solve(g, AUD_MIT_DEMOGRAPHIC_PARITY, AUD_MIT_ACCURACY, 4, 0.1);
	if (s != NULL) {
		CHECK_REL(s->objective, 11.0 / 12, 1e-12);
		aud_mit_solution_free(s);
	}
	aud_mit_groups_free(g);
}

/*
 * Equalized odds by hand. A: 0.8 y1, 0.6 y1, 0.4 y0, 0.2 y0, 0.1 y0 (separable: its
 * ROC hull is (0,0) (0,1) (1,1)); B: 0.9 y1, 0.7 y0, 0.5 y1, 0.3 y0: ROC points (0,0)
 * (0,.5) (.5,.5) (.5,1) (1,1), hull (0,0) (0,.5) (.5,1) (1,1). The common point lies
 * under both: TPR y = 0.5 + x for FPR x <= 0.5. Over all rows (4 positives, 5
 * negatives): accuracy (4 (0.5 + x) + 5 (1 - x)) / 9 = (7 - x) / 9, best at x = 0:
 * (FPR, TPR) = (0, 0.5), accuracy 7/9. Rules: B at (0, .5) is the vertex of threshold
 * (0.9 + 0.7) / 2 = 0.8, no constant; A's hull at x = 0 is (0, 1), threshold
 * (0.6 + 0.4) / 2 = 0.5, mixed with the constant 0 half the time: p_ignore
 * (1 - 0.5) / (1 - 0) = 0.5.
 */
void
test_mitigate__hand_equalized_odds(void)
{
	struct row rows[] = {
		{ "A", 0.8, 1, 1 }, { "A", 0.6, 1, 1 }, { "A", 0.4, 0, 1 }, { "A", 0.2, 0, 1 },
		{ "A", 0.1, 0, 1 },
		{ "B", 0.9, 1, 1 }, { "B", 0.7, 0, 1 }, { "B", 0.5, 1, 1 }, { "B", 0.3, 0, 1 },
	};
	struct aud_mit_groups *g = groups_of(rows, 9);
	int k;

	for (k = 0; k < 2; k++) {
		struct aud_mit_solution *s = solve(g, AUD_MIT_EQUALIZED_ODDS, AUD_MIT_ACCURACY,
		    k ? 0 : 1000, 0);
		struct aud_mit_rates ra, rb;

		if (s == NULL)
			continue;
		CHECK_REL(s->objective, 7.0 / 9, 1e-12);
		CHECK_REL(s->constrained_rate, 0, 1e-12);
		CHECK_REL(s->rules[0].p_ignore, 0.5, 1e-12);
		CHECK_REL(s->rules[0].prediction_constant, 0, 1e-12);
		CHECK_REL(aud_mit_rule_prob(&s->rules[0], 0.6), 0.5, 1e-12);
		CHECK_REL(aud_mit_rule_prob(&s->rules[0], 0.4), 0, 1e-12);
		CHECK_REL(s->rules[1].p_ignore, 0, 1e-12);
		CHECK_REL(aud_mit_rule_prob(&s->rules[1], 0.9), 1, 1e-12);
		CHECK_REL(aud_mit_rule_prob(&s->rules[1], 0.7), 0, 1e-12);
		aud_mit_groups_rates(g, 0, &s->rules[0], &ra);
		aud_mit_groups_rates(g, 1, &s->rules[1], &rb);
		CHECK_REL(ra.tpr, 0.5, 1e-12);
		CHECK_REL(rb.tpr, 0.5, 1e-12);
		CHECK_REL(ra.fpr, 0, 1e-12);
		CHECK_REL(rb.fpr, 0, 1e-12);
		aud_mit_solution_free(s);
	}
	aud_mit_groups_free(g);
}

/*
 * Ties go to the first grid point, after Fairlearn's rounding to 15 decimals. The groups
 * of the test above without A's row 0.1: 4 positives and 4 negatives, so the common
 * point's accuracy (4 (0.5 + x) + 4 (1 - x)) / 8 = 0.75 for every FPR x in [0, 0.5]
 * (in floating point the sums differ by an ulp here and there; the rounding makes them
 * equal). Fairlearn takes x = 0: TPR 0.5, A mixed half the time with the constant 0.
 */
void
test_mitigate__equalized_odds_tie_first(void)
{
	struct row rows[] = {
		{ "A", 0.8, 1, 1 }, { "A", 0.6, 1, 1 }, { "A", 0.4, 0, 1 }, { "A", 0.2, 0, 1 },
		{ "B", 0.9, 1, 1 }, { "B", 0.7, 0, 1 }, { "B", 0.5, 1, 1 }, { "B", 0.3, 0, 1 },
	};
	struct aud_mit_groups *g = groups_of(rows, 8);
	struct aud_mit_solution *s = solve(g, AUD_MIT_EQUALIZED_ODDS, AUD_MIT_ACCURACY, 1000, 0);

	if (s != NULL) {
		CHECK_DBL_EQ(s->constrained_rate, 0);
		CHECK_REL(s->objective, 0.75, 1e-12);
		CHECK_REL(s->rules[0].p_ignore, 0.5, 1e-12);
		CHECK_REL(aud_mit_rule_prob(&s->rules[1], 0.9), 1, 1e-12);
		CHECK_REL(aud_mit_rule_prob(&s->rules[1], 0.7), 0, 1e-12);
	}
	aud_mit_solution_free(s);
	aud_mit_groups_free(g);
}

/* ---- random cases: the exact optimum against brute force, the grid and the frontier */

static unsigned long long rng_state;

static double
urand(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(rng_state >> 11) / 9007199254740992.0;
}

#define MAXR 200

struct case_data {
	struct row r[MAXR];
	char names[4][4];
	size_t n, ng;
};

static void
random_case(struct case_data *c)
{
	size_t i, k;

	c->ng = 1 + (size_t)(urand() * 4);
	c->n = 0;
	for (k = 0; k < c->ng; k++) {
		size_t m = 4 + (size_t)(urand() * 40);
		double bias = urand();

		c->names[k][0] = 'g';
		c->names[k][1] = (char)('0' + k);
		c->names[k][2] = 0;
		for (i = 0; i < m && c->n < MAXR; i++) {
			struct row *r = &c->r[c->n++];
			double s = floor(urand() * 11) / 10;

			r->g = c->names[k];
			r->s = s;
			r->y = urand() < 0.3 * bias + 0.7 * s;
			r->w = urand() < 0.3 ? 2 : 1;
			/* both labels in every group */
			if (i == 0)
				r->y = 1;
			if (i == 1)
				r->y = 0;
		}
	}
}

/* The constrained rate and objective share of "score > t" on group k of a case. */
static void
point(const struct case_data *c, size_t k, double t, enum aud_mit_constraint con,
    enum aud_mit_objective o, double *x, double *y, double *tpr)
{
	double n = 0, p = 0, tp = 0, fp = 0, gn = 0, gp = 0;
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct row *r = &c->r[i];

		n += r->w;
		p += r->y * r->w;
		if (strcmp(r->g, c->names[k]) != 0)
			continue;
		gn += r->w;
		gp += r->y * r->w;
		if (r->s > t) {
			tp += r->y * r->w;
			fp += (1 - r->y) * r->w;
		}
	}
	*tpr = tp / gp;
	switch (con) {
	case AUD_MIT_DEMOGRAPHIC_PARITY: *x = (tp + fp) / gn; break;
	case AUD_MIT_EQUALIZED_ODDS:
	case AUD_MIT_FPR_PARITY: *x = fp / (gn - gp); break;
	case AUD_MIT_EQUAL_OPPORTUNITY: *x = tp / gp; break;
	case AUD_MIT_FNR_PARITY: *x = 1 - tp / gp; break;
	}
	if (o == AUD_MIT_ACCURACY)
		*y = (tp + (gn - gp - fp)) / n;
	else
		*y = 0.5 * tp / p + 0.5 * (gn - gp - fp) / (n - p);
}

#define NT 13   /* thresholds -0.05, 0.05, ..., 1.05: every decision on scores k/10 */

/*
 * Brute force for one rate: the best sum over groups of the highest objective share
 * reachable at rate x (a mix of two thresholds around x), over every x that is some
 * group's threshold rate. For tolerance >= 1 each group's best threshold.
 */
static double
brute_simple(const struct case_data *c, enum aud_mit_constraint con, enum aud_mit_objective o,
    int free_rates)
{
	double xs[4][NT], ys[4][NT], best = -1, t;
	size_t k, a, b, j, h;

	for (k = 0; k < c->ng; k++)
		for (j = 0; j < NT; j++)
			point(c, k, -0.05 + 0.1 * (double)j, con, o, &xs[k][j], &ys[k][j], &t);
	if (free_rates) {
		best = 0;
		for (k = 0; k < c->ng; k++) {
			double m = -1;

			for (j = 0; j < NT; j++)
				m = fmax(m, ys[k][j]);
			best += m;
		}
		return best;
	}
	for (h = 0; h < c->ng; h++)
		for (j = 0; j < NT; j++) {
			double x = xs[h][j], sum = 0;

			for (k = 0; k < c->ng; k++) {
				double m = -1;

				for (a = 0; a < NT; a++)
					for (b = 0; b < NT; b++) {
						if (xs[k][a] == x)
							m = fmax(m, ys[k][a]);
						else if (xs[k][a] < x && x < xs[k][b])
							m = fmax(m, ys[k][a] + (ys[k][b] - ys[k][a])
							    * (x - xs[k][a]) / (xs[k][b] - xs[k][a]));
					}
				sum += m;
			}
			best = fmax(best, sum);
		}
	return best;
}

void
test_mitigate__random_exact_grid_frontier(void)
{
	static const double tols[] = { 0, 0.01, 0.05, 0.1, 0.2, 0.35, 0.5, 1 };
	int trial;

	rng_state = 42;
	for (trial = 0; trial < 60; trial++) {
		struct case_data c;
		struct aud_mit_groups *g;
		size_t ci;
		int oi;

		random_case(&c);
		g = groups_of(c.r, c.n);
		/* FNR parity is TPR parity under another name: the same exact optimum */
		for (oi = 0; oi < 2; oi++) {
			struct aud_mit_solution *s1 = solve(g, AUD_MIT_EQUAL_OPPORTUNITY,
			    (enum aud_mit_objective)oi, 0, 0.05 * (trial % 3));
			struct aud_mit_solution *s2 = solve(g, AUD_MIT_FNR_PARITY,
			    (enum aud_mit_objective)oi, 0, 0.05 * (trial % 3));

			if (s1 != NULL && s2 != NULL)
				CHECK_REL(s1->objective, s2->objective, 1e-12);
			aud_mit_solution_free(s1);
			aud_mit_solution_free(s2);
		}
		for (ci = 0; ci < 5; ci++)
			for (oi = 0; oi < 2; oi++) {
				enum aud_mit_constraint con = all_constraints[ci];
				enum aud_mit_objective o = (enum aud_mit_objective)oi;
				struct aud_mit_solution *sg = solve(g, con, o, 1000, 0);
				struct aud_mit_solution *se = solve(g, con, o, 0, 0);
				struct aud_mit_point pts[8];
				struct aud_error err = AUD_ERROR_INIT;
				struct aud_mit_options opt = AUD_MIT_OPTIONS_INIT;
				size_t j;

				if (sg == NULL || se == NULL) {
					aud_mit_solution_free(sg);
					aud_mit_solution_free(se);
					continue;
				}
				/* the objective reported is that of the rules' decisions */
				CHECK_REL(sg->objective, objective_of(g, sg, o), 1e-12);
				CHECK_REL(se->objective, objective_of(g, se, o), 1e-12);
				/* both meet the constraint */
				if (!(disparity(g, sg, con) <= 1e-9) || !(disparity(g, se, con) <= 1e-9))
					aud_test_fail(__FILE__, __LINE__, "trial %d %s/%s: disparity "
					    "grid %g exact %g", trial, aud_mit_constraint_name(con),
					    aud_mit_objective_name(o), disparity(g, sg, con),
					    disparity(g, se, con));
				/* the exact optimum is never below the grid's */
				if (!(se->objective >= sg->objective - 1e-12))
					aud_test_fail(__FILE__, __LINE__, "trial %d %s/%s: exact %.17g "
					    "below grid %.17g", trial, aud_mit_constraint_name(con),
					    aud_mit_objective_name(o), se->objective, sg->objective);
				/* with a tolerance: the grid (Fairlearn's window; equalized odds
				 * exact) keeps within it, and the exact optimum is not below it */
				{
					double t = 0.05 * (double)(1 + trial % 4);
					struct aud_mit_solution *gt = solve(g, con, o, 1000, t);
					struct aud_mit_solution *et = solve(g, con, o, 0, t);

					if (gt != NULL && et != NULL) {
						CHECK(disparity(g, gt, con) <= t + 1e-12);
						CHECK(disparity(g, et, con) <= t + 1e-12);
						CHECK(et->objective >= gt->objective - 1e-12);
						/* (for balanced accuracy the grid maximises
						 * Fairlearn's weighted sum of the groups' own) */
						if (o == AUD_MIT_ACCURACY && con != AUD_MIT_EQUALIZED_ODDS)
							CHECK(gt->objective >= sg->objective - 1e-12);
					}
					aud_mit_solution_free(gt);
					aud_mit_solution_free(et);
				}
				/* one rate: the exact optimum is the brute-force one */
				if (con != AUD_MIT_EQUALIZED_ODDS)
					CHECK_REL(se->objective, brute_simple(&c, con, o, 0), 1e-12);
				opt.constraint = con;
				opt.objective = o;
				CHECK_INT_EQ(aud_mit_frontier(pts, tols, 8, g, &opt, &err), 0);
				CHECK_REL(pts[0].objective, se->objective, 1e-12);
				for (j = 0; j < 8; j++) {
					CHECK_DBL_EQ(pts[j].tolerance, tols[j]);
					if (!(pts[j].disparity <= tols[j] + 1e-12))
						aud_test_fail(__FILE__, __LINE__, "trial %d %s: disparity "
						    "%.17g above tolerance %g", trial,
						    aud_mit_constraint_name(con), pts[j].disparity, tols[j]);
					if (j > 0 && !(pts[j].objective >= pts[j - 1].objective - 1e-12))
						aud_test_fail(__FILE__, __LINE__, "trial %d %s: frontier "
						    "falls at %g", trial, aud_mit_constraint_name(con),
						    tols[j]);
				}
				/* tolerance 1: each group at its own best threshold */
				CHECK_REL(pts[7].objective, brute_simple(&c, con, o, 1), 1e-12);
				aud_mit_solution_free(sg);
				aud_mit_solution_free(se);
			}
		aud_mit_groups_free(g);
	}
}

/* One group: nothing to equalise, the best threshold of the group (Fairlearn works). */
void
test_mitigate__one_group(void)
{
	struct row rows[] = {
		{ "only", 0.9, 1, 1 }, { "only", 0.7, 0, 1 }, { "only", 0.5, 1, 1 },
		{ "only", 0.3, 0, 1 }, { "only", 0.1, 0, 1 },
	};
	struct aud_mit_groups *g = groups_of(rows, 5);
	int k;

	/* best: select 0.9 only (4/5 right) or 0.9, 0.7, 0.5 (4/5): both 0.8 */
	for (k = 0; k < 2; k++) {
		struct aud_mit_solution *s = solve(g, AUD_MIT_DEMOGRAPHIC_PARITY,
		    AUD_MIT_ACCURACY, k ? 0 : 1000, 0);

		if (s != NULL)
			CHECK_REL(s->objective, 0.8, 1e-12);
		aud_mit_solution_free(s);
	}
	aud_mit_groups_free(g);
}

void
test_mitigate__errors(void)
{
	struct aud_mit_groups *g = NULL;
	struct aud_mit_solution *s = NULL;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_mit_options o = AUD_MIT_OPTIONS_INIT;
	double tol = -1;
	struct aud_mit_point pt;

	CHECK_INT_EQ(aud_mit_groups_new(&g, &err), 0);
	CHECK_INT_EQ(aud_mit_groups_add(g, "a", 1.5, 1, 1, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "score '1.5' is outside [0, 1]");
	CHECK_INT_EQ(aud_mit_groups_add(g, "a", 1.0000001, 1, 1, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "score '1.0000001' is outside [0, 1]");
	CHECK_INT_EQ(aud_mit_groups_add(g, "a", NAN, 1, 1, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "score 'nan' is outside [0, 1]");
	CHECK_INT_EQ(aud_mit_groups_add(g, "a", -0.01, 1, 1, &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_mit_groups_add(g, "a", 0.5, 1, 0, &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_mit_groups_add(g, "a", 0.5, 2, 1, &err), AUD_EINVAL);
	/* no rows */
	CHECK_INT_EQ(aud_mit_solve(&s, g, &o, &err), AUD_EPARSE);
	CHECK(s == NULL);
	/* a group with no positive label: every constraint is refused, naming it */
	CHECK_INT_EQ(aud_mit_groups_add(g, "a", 0.5, 1, 1, &err), 0);
	CHECK_INT_EQ(aud_mit_groups_add(g, "a", 0.2, 0, 1, &err), 0);
	CHECK_INT_EQ(aud_mit_groups_add(g, "Other people", 0.7, 0, 1, &err), 0);
	o.constraint = AUD_MIT_EQUAL_OPPORTUNITY;
	CHECK_INT_EQ(aud_mit_solve(&s, g, &o, &err), AUD_EPARSE);
	CHECK(strstr(err.msg, "'Other people'") != NULL && strstr(err.msg, "label 1") != NULL);
	o.grid = 0;
	CHECK_INT_EQ(aud_mit_solve(&s, g, &o, &err), AUD_EPARSE);
	CHECK_INT_EQ(aud_mit_frontier(&pt, &o.tolerance, 1, g, &o, &err), AUD_EPARSE);
	CHECK_INT_EQ(aud_mit_groups_add(g, "Other people", 0.7, 1, 1, &err), 0);
	CHECK_INT_EQ(aud_mit_solve(&s, g, &o, &err), 0);
	aud_mit_solution_free(s);
	s = NULL;
	/* bad options */
	o.tolerance = -0.1;
	CHECK_INT_EQ(aud_mit_solve(&s, g, &o, &err), AUD_EINVAL);
	o.tolerance = 0;
	CHECK_INT_EQ(aud_mit_frontier(&pt, &tol, 1, g, &o, &err), AUD_EINVAL);
	o.grid = 10000001;
	CHECK_INT_EQ(aud_mit_solve(&s, g, &o, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "grid 10000001 is too large (at most 10000000)");
	aud_mit_groups_free(g);
}

/* ---- Fairlearn's values on COMPAS */

/* cJSON reads no Infinity: write it as a number that overflows to it. */
static char *
read_json_text(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf, *p;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n * 2 + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = 0;
	while ((p = strstr(buf, "Infinity")) != NULL) {
		memmove(p + 5, p + 8, strlen(p + 8) + 1);
		memcpy(p, "1e999", 5);
	}
	*len = strlen(buf);
	return buf;
}

/* The decisions of "score > t" and "score > u" agree on every score of the list. */
static int
same_decisions(double t, double u, const double *scores, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((scores[i] > t) != (scores[i] > u))
			return 0;
	return 1;
}

void
test_mitigate__compas_fairlearn_reference(void)
{
	const char *shared = aud_test_shared();
	char path[512], *text = NULL;
	struct aud_csv *csv = NULL;
	struct aud_mit_groups *g = NULL;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv_options copt = AUD_CSV_OPTIONS_INIT;
	size_t ci, si, yi, len, ng, i, nruns = 0;
	double scores[8][16];   /* each group's distinct scores */
	size_t nscores[8] = { 0 }, gi;
	cJSON *doc = NULL;
	const cJSON *run;
	int rc;

	if (shared == NULL) {
		aud_test_skip("../shared is absent: no Fairlearn reference values");
		return;
	}
	snprintf(path, sizeof(path), "%s/reference/fair-compas/compas.csv", shared);
	if (aud_csv_open(&csv, path, &copt, &err) != 0) {
		aud_test_skip("../shared/reference/fair-compas is absent");
		return;
	}
	CHECK_INT_EQ(aud_csv_find(&ci, csv, "race", &err), 0);
	CHECK_INT_EQ(aud_csv_find(&si, csv, "score", &err), 0);
	CHECK_INT_EQ(aud_csv_find(&yi, csv, "two_year_recid", &err), 0);
	CHECK_INT_EQ(aud_mit_groups_new(&g, &err), 0);
	while ((rc = aud_csv_next(csv, &err)) == 1) {
		size_t fl;
		const char *f = aud_csv_field(csv, ci, &fl);
		char name[64];
		double s, y;

		snprintf(name, sizeof(name), "%.*s", (int)fl, f);
		CHECK_INT_EQ(aud_csv_number(&s, csv, si, &err), 1);
		CHECK_INT_EQ(aud_csv_number(&y, csv, yi, &err), 1);
		CHECK_INT_EQ(aud_mit_groups_add(g, name, s, (int)y, 1.0, &err), 0);
		for (gi = 0; gi < aud_mit_groups_count(g) && gi < 8; gi++)
			if (strcmp(aud_mit_groups_name(g, gi), name) == 0)
				break;
		if (gi == 8)
			continue;
		for (i = 0; i < nscores[gi] && scores[gi][i] != s; i++)
			;
		if (i == nscores[gi] && nscores[gi] < 16)
			scores[gi][nscores[gi]++] = s;
	}
	CHECK_INT_EQ(rc, 0);
	aud_csv_free(csv);
	snprintf(path, sizeof(path), "%s/reference/mitigate-compas/expected.json", shared);
	text = read_json_text(path, &len);
	if (text == NULL) {
		aud_test_skip("../shared/reference/mitigate-compas is absent");
		aud_mit_groups_free(g);
		return;
	}
	CHECK_INT_EQ(aud_json_parse(&doc, path, text, len, &err), 0);
	ng = aud_mit_groups_count(g);
	CHECK_INT_EQ(ng, 6);
	cJSON_ArrayForEach(run, aud_json_get(doc, "runs")) {
		const char *cn = cJSON_GetStringValue(aud_json_get(run, "constraint"));
		const char *on = cJSON_GetStringValue(aud_json_get(run, "objective"));
		const cJSON *interp = aud_json_get(run, "interpolation");
		const cJSON *exp = aud_json_get(run, "expected");
		enum aud_mit_constraint con;
		enum aud_mit_objective o;
		struct aud_mit_solution *s, *se;
		double correct = 0, total = 0;

		CHECK_INT_EQ(aud_mit_constraint_parse(&con, cn, &err), 0);
		CHECK_INT_EQ(aud_mit_objective_parse(&o, on, &err), 0);
		CHECK_INT_EQ(cJSON_GetNumberValue(aud_json_get(run, "grid_size")), 1000);
		s = solve(g, con, o, 1000, 0);
		if (s == NULL)
			continue;
		nruns++;
		for (i = 0; i < ng; i++) {
			const char *name = aud_mit_groups_name(g, i);
			const cJSON *want = aud_json_get(interp, name);
			const cJSON *wg = aud_json_get(aud_json_get(exp, "groups"), name);
			const struct aud_mit_rule *r = &s->rules[i];
			double t0 = cJSON_GetNumberValue(aud_json_get(aud_json_get(want, "operation0"),
			    "threshold"));
			double t1 = cJSON_GetNumberValue(aud_json_get(aud_json_get(want, "operation1"),
			    "threshold"));
			const cJSON *pi = aud_json_get(want, "p_ignore");
			struct aud_mit_rates rt;

			CHECK(want != NULL && wg != NULL);
			CHECK_REL(r->p0, cJSON_GetNumberValue(aud_json_get(want, "p0")), 1e-9);
			CHECK_REL(r->p1, cJSON_GetNumberValue(aud_json_get(want, "p1")), 1e-9);
			/* Fairlearn's midpoints are those of the scores as pandas parsed
			 * them (a few ulps off at times): compare the decisions they make
			 * on the group's scores */
			CHECK(nscores[i] >= 2);
			if (!same_decisions(r->threshold0, t0, scores[i], nscores[i]) ||
			    !same_decisions(r->threshold1, t1, scores[i], nscores[i]))
				aud_test_fail(__FILE__, __LINE__, "%s/%s %s: thresholds %.17g %.17g, "
				    "Fairlearn %.17g %.17g", cn, on, name, r->threshold0,
				    r->threshold1, t0, t1);
			CHECK_REL(r->threshold0, t0, 1e-15);
			CHECK_REL(r->threshold1, t1, 1e-15);
			if (pi != NULL) {
				CHECK_REL(r->p_ignore, cJSON_GetNumberValue(pi), 1e-9);
				CHECK_REL(r->prediction_constant, cJSON_GetNumberValue(
				    aud_json_get(want, "prediction_constant")), 1e-9);
			} else {
				CHECK_DBL_EQ(r->p_ignore, 0);
			}
			aud_mit_groups_rates(g, i, r, &rt);
			CHECK_REL(rt.count, cJSON_GetNumberValue(aud_json_get(wg, "count")), 0);
			CHECK_REL(rt.selection_rate,
			    cJSON_GetNumberValue(aud_json_get(wg, "selection_rate")), 1e-9);
			CHECK_REL(rt.tpr, cJSON_GetNumberValue(aud_json_get(wg, "tpr")), 1e-9);
			CHECK_REL(rt.fpr, cJSON_GetNumberValue(aud_json_get(wg, "fpr")), 1e-9);
			correct += rt.accuracy * rt.count;
			total += rt.count;
		}
		CHECK_REL(correct / total, cJSON_GetNumberValue(aud_json_get(exp, "accuracy")),
		    1e-9);
		if (o == AUD_MIT_ACCURACY)
			CHECK_REL(s->objective, cJSON_GetNumberValue(aud_json_get(exp, "accuracy")),
			    1e-9);
		/* the exact optimum of the same problem is never below it */
		se = solve(g, con, o, 0, 0);
		if (se != NULL && !(se->objective >= s->objective - 1e-12))
			aud_test_fail(__FILE__, __LINE__, "%s/%s: exact %.17g below grid %.17g", cn,
			    on, se->objective, s->objective);
		if (se != NULL)
			printf("  %s/%s: grid %.12f exact %.12f (+%.3g)\n", cn, on, s->objective,
			    se->objective, se->objective - s->objective);
		aud_mit_solution_free(se);
		aud_mit_solution_free(s);
	}
	CHECK_INT_EQ(nruns, 8);
	cJSON_Delete(doc);
	free(text);
	aud_mit_groups_free(g);
}
