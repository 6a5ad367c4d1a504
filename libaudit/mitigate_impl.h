/*
 * mitigate_impl.h — what mitigate.c (the groups, the rules), mitigate_grid.c
 * (Fairlearn's grid) and mitigate_lp.c (the exact optimum, the frontier) share.
 */
#ifndef AUDIT_MITIGATE_IMPL_H
#define AUDIT_MITIGATE_IMPL_H

#include <stddef.h>

#include <audit/mitigate.h>

/** One distinct score of a group: the weighted counts of its labels (24 bytes). */
struct aud__mit_entry {
	double score, pos, neg;
};

/** A point of a group's trade-off curve: the decision score > thr and its counts. */
struct aud__mit_point {
	double x, y;      /**< the constrained rate and the objective (or the TPR) */
	double thr;       /**< the threshold of the decision score > thr */
	double tp, fp;    /**< weighted true and false positives of that decision */
};

/** A group ready to solve: its distinct scores sorted ascending, its totals. */
struct aud__mit_view {
	const char *name;
	struct aud__mit_entry *e;   /**< owned */
	size_t n;
	double count, pos, neg;
};

/**
 * The groups' views (in the groups' order). The caller frees with
 * aud__mit_views_free(). AUD_EPARSE when there are no rows or a group lacks
 * one of the labels.
 */
int aud__mit_views(struct aud__mit_view **out, size_t *n, const struct aud_mit_groups *g,
    struct aud_error *err);
void aud__mit_views_free(struct aud__mit_view *v, size_t n);

/**
 * The threshold points of a group, highest threshold (+inf) first, as Fairlearn
 * walks them; x and y are left to the caller. pts needs v->n + 1 slots.
 */
size_t aud__mit_points(struct aud__mit_point *pts, const struct aud__mit_view *v);

/**
 * Sort points by (x, y) and keep the upper convex hull (Andrew's monotone chain,
 * collinear points dropped). @return the number kept, at the front of pts
 */
size_t aud__mit_hull(struct aud__mit_point *pts, size_t n);

/**
 * Interpolate the hull at x as Fairlearn does: the segment [i, i+1] that holds x
 * (leading vertices of equal x skipped), p0 the weight of vertex i. `*i` is the
 * segment to start from (0 the first time). @return the interpolated y
 */
double aud__mit_interp(const struct aud__mit_point *h, size_t n, double x, size_t *i,
    double *p0, double *p1);

/** The objective of expected decisions from the rules' rates over all groups. */
double aud__mit_objective(const struct aud_mit_groups *g, const struct aud_mit_rule *rules,
    enum aud_mit_objective o);

/** Fairlearn's grid (mitigate_grid.c); rules has nv slots. */
int aud__mit_grid(struct aud_mit_rule *rules, double *rate, const struct aud__mit_view *v,
    size_t nv, const struct aud_mit_options *o, struct aud_error *err);

/** The exact optimum (mitigate_lp.c); rules has nv slots. */
int aud__mit_exact(struct aud_mit_rule *rules, double *rate, const struct aud__mit_view *v,
    size_t nv, const struct aud_mit_options *o, struct aud_error *err);

#endif
