/*
 * mitigate.c — group thresholds (mitigate.h): the per-group score counts, the
 * randomised rules and their rates, the names, the threshold points and hulls, and
 * aud_mit_solve(). Fairlearn's grid is in mitigate_grid.c, the exact optimum and the
 * frontier in mitigate_lp.c.
 */
#include <audit/mitigate.h>

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/dict.h>

#include "mitigate_impl.h"

/* One group's distinct scores: e[0, nsorted) ascending and distinct, e[nsorted, n)
 * scores not yet merged in (a score may appear there more than once). */
struct grp {
	struct aud__mit_entry *e;
	size_t n, nsorted, cap;
	double count, pos, neg;
};

struct aud_mit_groups {
	struct aud_dict *names;
	struct grp *g;
	size_t cap;
};

static const char *const constraint_names[] = {
	"demographic_parity", "equalized_odds", "equal_opportunity",
	"false_positive_rate_parity", "false_negative_rate_parity"
};
static const char *const objective_names[] = { "accuracy", "balanced_accuracy" };

const char *
aud_mit_constraint_name(enum aud_mit_constraint c)
{
	if ((unsigned)c >= sizeof(constraint_names) / sizeof(constraint_names[0]))
		return "unknown";
	return constraint_names[c];
}

const char *
aud_mit_objective_name(enum aud_mit_objective o)
{
	if ((unsigned)o >= sizeof(objective_names) / sizeof(objective_names[0]))
		return "unknown";
	return objective_names[o];
}

int
aud_mit_constraint_parse(enum aud_mit_constraint *out, const char *s, struct aud_error *err)
{
	size_t i;

	for (i = 0; i < sizeof(constraint_names) / sizeof(constraint_names[0]); i++)
		if (strcmp(s, constraint_names[i]) == 0) {
			*out = (enum aud_mit_constraint)i;
			return 0;
		}
	/* Fairlearn's name of equal opportunity */
	if (strcmp(s, "true_positive_rate_parity") == 0) {
		*out = AUD_MIT_EQUAL_OPPORTUNITY;
		return 0;
	}
	return AUD_ERROR(err, AUD_EINVAL, "unknown constraint '%s' (demographic_parity, "
	    "equalized_odds, equal_opportunity, false_positive_rate_parity, "
	    "false_negative_rate_parity)", s);
}

int
aud_mit_objective_parse(enum aud_mit_objective *out, const char *s, struct aud_error *err)
{
	if (strcmp(s, "accuracy") == 0 || strcmp(s, "accuracy_score") == 0) {
		*out = AUD_MIT_ACCURACY;
		return 0;
	}
	if (strcmp(s, "balanced_accuracy") == 0 || strcmp(s, "balanced_accuracy_score") == 0) {
		*out = AUD_MIT_BALANCED_ACCURACY;
		return 0;
	}
	return AUD_ERROR(err, AUD_EINVAL, "unknown objective '%s' (accuracy, balanced_accuracy)",
	    s);
}

double
aud_mit_rule_prob(const struct aud_mit_rule *r, double score)
{
	/* Fairlearn's order: p0 [op0] + p1 [op1], then the mixing with the constant */
	double p = r->p0 * (score > r->threshold0 ? 1.0 : 0.0)
	    + r->p1 * (score > r->threshold1 ? 1.0 : 0.0);

	if (r->p_ignore != 0.0)
		p = r->p_ignore * r->prediction_constant + (1 - r->p_ignore) * p;
	return p;
}

int
aud_mit_groups_new(struct aud_mit_groups **out, struct aud_error *err)
{
	struct aud_mit_groups *g;
	int rc;

	*out = NULL;
	g = calloc(1, sizeof(*g));
	if (g == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	rc = aud_dict_new(&g->names, err);
	if (rc < 0) {
		free(g);
		return rc;
	}
	*out = g;
	return 0;
}

void
aud_mit_groups_free(struct aud_mit_groups *g)
{
	size_t i, n;

	if (g == NULL)
		return;
	n = aud_dict_size(g->names);
	for (i = 0; i < n; i++)
		free(g->g[i].e);
	free(g->g);
	aud_dict_free(g->names);
	free(g);
}

static int
cmp_entry(const void *a, const void *b)
{
	double x = ((const struct aud__mit_entry *)a)->score;
	double y = ((const struct aud__mit_entry *)b)->score;

	return (x > y) - (x < y);
}

/* Sort e[0, n) and merge equal scores; @return the distinct count. */
static size_t
sort_merge(struct aud__mit_entry *e, size_t n)
{
	size_t i, k = 0;

	if (n == 0)
		return 0;
	qsort(e, n, sizeof(*e), cmp_entry);
	for (i = 1; i < n; i++) {
		if (e[i].score == e[k].score) {
			e[k].pos += e[i].pos;
			e[k].neg += e[i].neg;
		} else {
			e[++k] = e[i];
		}
	}
	return k + 1;
}

/* Merge the pending scores into the sorted part. */
static void
compact(struct grp *q)
{
	q->n = sort_merge(q->e, q->n);
	q->nsorted = q->n;
}

/* Index of score in the sorted part, or SIZE_MAX. */
static size_t
find_sorted(const struct grp *q, double s)
{
	size_t lo = 0, hi = q->nsorted;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (q->e[mid].score < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < q->nsorted && q->e[lo].score == s ? lo : SIZE_MAX;
}

/* The shortest %g text of x that reads back as x (for messages). */
static void
shortest(char *buf, size_t len, double x)
{
	int prec;

	for (prec = 6; prec < 17; prec++) {
		snprintf(buf, len, "%.*g", prec, x);
		if (strtod(buf, NULL) == x)
			return;
	}
	snprintf(buf, len, "%.17g", x);
}

int
aud_mit_groups_add(struct aud_mit_groups *g, const char *group, double score, int label,
    double weight, struct aud_error *err)
{
	struct grp *q;
	int32_t code;
	size_t k, ngroups;
	int rc;
	char num[32];

	if (!(score >= 0.0 && score <= 1.0)) {
		shortest(num, sizeof(num), score);
		return AUD_ERROR(err, AUD_EINVAL, "score '%s' is outside [0, 1]", num);
	}
	if (!(weight > 0.0 && isfinite(weight))) {
		shortest(num, sizeof(num), weight);
		return AUD_ERROR(err, AUD_EINVAL, "weight '%s' is not finite and positive", num);
	}
	if (label != 0 && label != 1)
		return AUD_ERROR(err, AUD_EINVAL, "label %d is not 0 or 1", label);
	ngroups = aud_dict_size(g->names);
	rc = aud_dict_intern(&code, g->names, group, strlen(group), err);
	if (rc < 0)
		return rc;
	if ((size_t)code == ngroups) {
		if (ngroups == g->cap) {
			size_t cap = g->cap ? 2 * g->cap : 8;
			struct grp *ng = realloc(g->g, cap * sizeof(*ng));

			if (ng == NULL)
				return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			g->g = ng;
			g->cap = cap;
		}
		memset(&g->g[code], 0, sizeof(g->g[code]));
	}
	q = &g->g[code];
	k = find_sorted(q, score);
	if (k == SIZE_MAX) {
		if (q->n == q->cap) {
			size_t cap = q->cap ? 2 * q->cap : 16;
			struct aud__mit_entry *ne = realloc(q->e, cap * sizeof(*ne));

			if (ne == NULL)
				return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			q->e = ne;
			q->cap = cap;
		}
		k = q->n++;
		q->e[k].score = score;
		q->e[k].pos = 0.0;
		q->e[k].neg = 0.0;
	}
	if (label)
		q->e[k].pos += weight;
	else
		q->e[k].neg += weight;
	q->count += weight;
	if (label)
		q->pos += weight;
	else
		q->neg += weight;
	/* merge the pending scores once they outgrow an eighth of the sorted ones */
	if (q->n - q->nsorted > 64 + q->nsorted / 8)
		compact(q);
	return 0;
}

size_t
aud_mit_groups_count(const struct aud_mit_groups *g)
{
	return aud_dict_size(g->names);
}

const char *
aud_mit_groups_name(const struct aud_mit_groups *g, size_t i)
{
	assert(i < aud_dict_size(g->names));
	return aud_dict_str(g->names, (int32_t)i);
}

/* Rates from the expected true and false positives of a group. */
static void
rates_finish(struct aud_mit_rates *out, const struct grp *q, double sel, double tp, double fp)
{
	out->count = q->count;
	out->positives = q->pos;
	out->selection_rate = sel / q->count;
	out->tpr = q->pos > 0 ? tp / q->pos : NAN;
	out->fpr = q->neg > 0 ? fp / q->neg : NAN;
	out->accuracy = (tp + (q->neg - fp)) / q->count;
}

void
aud_mit_groups_rates(const struct aud_mit_groups *g, size_t i, const struct aud_mit_rule *r,
    struct aud_mit_rates *out)
{
	const struct grp *q;
	double sel = 0, tp = 0, fp = 0;
	size_t k;

	assert(i < aud_dict_size(g->names));
	q = &g->g[i];
	for (k = 0; k < q->n; k++) {
		double p = aud_mit_rule_prob(r, q->e[k].score);

		sel += p * (q->e[k].pos + q->e[k].neg);
		tp += p * q->e[k].pos;
		fp += p * q->e[k].neg;
	}
	rates_finish(out, q, sel, tp, fp);
}

void
aud_mit_groups_rates_at(const struct aud_mit_groups *g, size_t i, double t,
    struct aud_mit_rates *out)
{
	const struct grp *q;
	double sel = 0, tp = 0, fp = 0;
	size_t k;

	assert(i < aud_dict_size(g->names));
	q = &g->g[i];
	for (k = 0; k < q->n; k++)
		if (q->e[k].score >= t) {
			sel += q->e[k].pos + q->e[k].neg;
			tp += q->e[k].pos;
			fp += q->e[k].neg;
		}
	rates_finish(out, q, sel, tp, fp);
}

void
aud_mit_solution_free(struct aud_mit_solution *s)
{
	if (s == NULL)
		return;
	free(s->rules);
	free(s);
}

void
aud__mit_views_free(struct aud__mit_view *v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i].e);
	free(v);
}

int
aud__mit_views(struct aud__mit_view **out, size_t *n, const struct aud_mit_groups *g,
    struct aud_error *err)
{
	size_t i, ng = aud_dict_size(g->names);
	struct aud__mit_view *v;

	*out = NULL;
	*n = 0;
	if (ng == 0)
		return AUD_ERROR(err, AUD_EPARSE, "no rows to choose thresholds from");
	for (i = 0; i < ng; i++) {
		const char *name = aud_dict_str(g->names, (int32_t)i);

		/* Fairlearn refuses such a group whatever the constraint: its trade-off
		 * curve needs both labels */
		if (!(g->g[i].pos > 0))
			return AUD_ERROR(err, AUD_EPARSE, "group '%s' has no row with label 1: "
			    "group thresholds need both labels in every group", name);
		if (!(g->g[i].neg > 0))
			return AUD_ERROR(err, AUD_EPARSE, "group '%s' has no row with label 0: "
			    "group thresholds need both labels in every group", name);
	}
	v = calloc(ng, sizeof(*v));
	if (v == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < ng; i++) {
		const struct grp *q = &g->g[i];

		v[i].name = aud_dict_str(g->names, (int32_t)i);
		v[i].e = malloc(q->n * sizeof(*v[i].e));
		if (v[i].e == NULL) {
			aud__mit_views_free(v, ng);
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		}
		memcpy(v[i].e, q->e, q->n * sizeof(*v[i].e));
		v[i].n = sort_merge(v[i].e, q->n);
		v[i].count = q->count;
		v[i].pos = q->pos;
		v[i].neg = q->neg;
	}
	*out = v;
	*n = ng;
	return 0;
}

size_t
aud__mit_points(struct aud__mit_point *pts, const struct aud__mit_view *v)
{
	double tp = 0, fp = 0;
	size_t k, n = 0;

	/* the first point: threshold +inf, nothing selected */
	pts[n].thr = INFINITY;
	pts[n].tp = 0;
	pts[n].fp = 0;
	n++;
	/* then each distinct score from the highest: the threshold is the midpoint
	 * between it and the next lower score, computed as Fairlearn does
	 * ((higher + lower) / 2), and -inf below the lowest score */
	for (k = v->n; k-- > 0;) {
		tp += v->e[k].pos;
		fp += v->e[k].neg;
		pts[n].thr = k > 0 ? (v->e[k].score + v->e[k - 1].score) / 2 : -INFINITY;
		pts[n].tp = tp;
		pts[n].fp = fp;
		n++;
	}
	return n;
}

static int
cmp_point(const void *a, const void *b)
{
	const struct aud__mit_point *p = a, *q = b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	if (p->y != q->y)
		return p->y < q->y ? -1 : 1;
	/* keep the walk's order (a stable sort): the higher threshold first */
	return (p->thr < q->thr) - (p->thr > q->thr);
}

size_t
aud__mit_hull(struct aud__mit_point *pts, size_t n)
{
	size_t i, m = 0;

	qsort(pts, n, sizeof(*pts), cmp_point);
	for (i = 0; i < n; i++) {
		struct aud__mit_point r2 = pts[i];

		/* drop the last kept point while it is not above the line from the one
		 * before it to the new point (the products of Fairlearn's test) */
		while (m >= 2) {
			const struct aud__mit_point *r0 = &pts[m - 2], *r1 = &pts[m - 1];

			if ((r1->y - r0->y) * (r2.x - r0->x) <= (r2.y - r0->y) * (r1->x - r0->x))
				m--;
			else
				break;
		}
		pts[m++] = r2;
	}
	return m;
}

double
aud__mit_interp(const struct aud__mit_point *h, size_t n, double x, size_t *i, double *p0,
    double *p1)
{
	size_t k = *i;
	double a, b;

	assert(n >= 2);
	if (k == 0)
		while (k + 2 < n && h[k + 1].x == h[0].x)
			k++;
	while (k + 2 < n && x > h[k + 1].x)
		k++;
	*i = k;
	a = h[k + 1].x - x;
	b = h[k + 1].x - h[k].x;
	*p0 = a / b;
	*p1 = 1 - *p0;
	return *p0 * h[k].y + *p1 * h[k + 1].y;
}

double
aud__mit_objective(const struct aud_mit_groups *g, const struct aud_mit_rule *rules,
    enum aud_mit_objective o)
{
	size_t i, n = aud_mit_groups_count(g);
	double count = 0, pos = 0, neg = 0, tp = 0, tn = 0;

	for (i = 0; i < n; i++) {
		struct aud_mit_rates r;

		aud_mit_groups_rates(g, i, &rules[i], &r);
		count += r.count;
		pos += r.positives;
		neg += r.count - r.positives;
		if (r.positives > 0)
			tp += r.tpr * r.positives;
		if (r.count - r.positives > 0)
			tn += (1 - r.fpr) * (r.count - r.positives);
	}
	if (o == AUD_MIT_ACCURACY)
		return (tp + tn) / count;
	return 0.5 * tp / pos + 0.5 * tn / neg;
}

int
aud_mit_solve(struct aud_mit_solution **out, const struct aud_mit_groups *g,
    const struct aud_mit_options *o, struct aud_error *err)
{
	struct aud_mit_solution *s = NULL;
	struct aud__mit_view *v = NULL;
	size_t nv = 0;
	int rc;

	*out = NULL;
	if ((unsigned)o->constraint > AUD_MIT_FNR_PARITY)
		return AUD_ERROR(err, AUD_EINVAL, "unknown constraint %d", (int)o->constraint);
	if ((unsigned)o->objective > AUD_MIT_BALANCED_ACCURACY)
		return AUD_ERROR(err, AUD_EINVAL, "unknown objective %d", (int)o->objective);
	if (!(o->tolerance >= 0.0 && isfinite(o->tolerance)))
		return AUD_ERROR(err, AUD_EINVAL, "tolerance %g is not a finite number >= 0",
		    o->tolerance);
	if (o->grid > 10000000)
		return AUD_ERROR(err, AUD_EINVAL, "grid %zu is too large (at most 10000000)",
		    o->grid);
	rc = aud__mit_views(&v, &nv, g, err);
	if (rc < 0)
		return rc;
	s = calloc(1, sizeof(*s));
	if (s == NULL || (s->rules = calloc(nv, sizeof(*s->rules))) == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	s->ngroups = nv;
	s->constrained_rate = NAN;
	if (o->grid > 0 && (o->tolerance == 0.0 || o->constraint != AUD_MIT_EQUALIZED_ODDS))
		rc = aud__mit_grid(s->rules, &s->constrained_rate, v, nv, o, err);
	else
		rc = aud__mit_exact(s->rules, &s->constrained_rate, v, nv, o, err);
	if (rc < 0)
		goto done;
	s->objective = aud__mit_objective(g, s->rules, o->objective);
	*out = s;
	s = NULL;
done:
	aud_mit_solution_free(s);
	aud__mit_views_free(v, nv);
	return rc;
}
