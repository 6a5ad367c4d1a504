/*
 * chart_explain.h — the explanation charts of the report (private to
 * libaudit): a beeswarm of attributions coloured by feature value,
 * dependence plots, waterfalls that name each feature's value, and ICE
 * curves behind the partial dependence line. Drawn through pdf.h with the
 * palette of chart.h, below `top`, with heights known beforehand.
 */
#ifndef AUDIT_CHART_EXPLAIN_PRIVATE_H
#define AUDIT_CHART_EXPLAIN_PRIVATE_H

#include <stddef.h>

#include <audit/error.h>

#include "chart.h"
#include "pdf.h"

/** Diameter of a beeswarm dot and height of one beeswarm row, in points. */
#define AUD__SWARM_DOT 2.6
#define AUD__SWARM_ROW 24.0

/**
 * The beeswarm layout of one row: n dots at positions px[i] along the axis
 * (points) get offsets off[i] across it, in [-half, half], so that no two
 * dots' centres are closer than `dot` wherever that is possible within the
 * band. Dots are placed from left to right (ties in index order), each at
 * the first of 0, +s, -s, +2s, -2s, ... (s = dot / 2) that keeps its
 * distance from the dots already placed; when none does, at the candidate
 * farthest from them. The same input gives the same offsets. NaN positions
 * get offset 0.
 * @return 0 or AUD_ENOMEM
 */
int aud__swarm_layout(double *off, const double *px, size_t n, double dot, double half,
    struct aud_error *err);

/** The colour of t in [0, 1] on the low-to-high ramp (blue to orange); NaN: grey. */
unsigned aud__ramp_rgb(double t);

/** One beeswarm row: a feature's attributions and the colour of each dot. */
struct aud__swarm_row {
	const char *label;     /**< the feature's name */
	const double *phi;     /**< n attributions (NaN: not drawn) */
	const double *colour;  /**< n values in [0, 1], low to high; NaN: no value (grey) */
	size_t n;
};

/** Height of a beeswarm of nrows rows. */
double aud__chart_beeswarm_height(size_t nrows);

/**
 * Draw a beeswarm: per row the feature's name, its dots along the shared
 * attribution axis (a line at 0), a colour bar from low to high on the right.
 * @return 0 or AUD_ENOMEM
 */
int aud__chart_beeswarm(struct aud_pdf *pdf, double x, double top, double w,
    const char *title, const struct aud__swarm_row *rows, size_t nrows,
    struct aud_error *err);

/** A dependence plot: each row's feature value (x) against its attribution (y). */
struct aud__dependence {
	const char *title, *x_label;
	const double *x, *y;           /**< n points; NaN: not drawn */
	size_t n;
	const char *const *cats;       /**< categorical: x[i] is an index into cats */
	size_t ncats;
};

/** Height of a dependence plot with a plot area plot_h high. */
double aud__chart_dependence_height(double plot_h);

/**
 * Draw a dependence plot in [x, x+w]: dots, a dashed line at attribution 0,
 * axes. A categorical feature has a column of dots per category, spread
 * sideways by the beeswarm layout. @return 0 or AUD_ENOMEM
 */
int aud__chart_dependence(struct aud_pdf *pdf, double x, double top, double w,
    double plot_h, const struct aud__dependence *d, struct aud_error *err);

/** One waterfall step: "age = 37" and its attribution. */
struct aud__wfv_step {
	const char *label;
	double delta;
};

/** The ends of a waterfall and what is said about the row. */
struct aud__wfv_opts {
	const char *title;
	double base;           /**< the base value */
	double threshold;      /**< the decision threshold (a dashed line); NaN: none */
	const char *note;      /**< a line under the axis (decision, label), or NULL */
};

/** Height of such a waterfall of n steps. */
double aud__chart_waterfall_values_height(size_t n);

/**
 * Draw a waterfall: the base value, one bar per step from the running total
 * (orange: up, blue: down, each with its signed value past its end), the
 * output, the threshold as a dashed line, and the note.
 */
void aud__chart_waterfall_values(struct aud_pdf *pdf, double x, double top, double w,
    const struct aud__wfv_step *steps, size_t n, const struct aud__wfv_opts *o);

/** Height of an ICE chart with a plot area plot_h high. */
double aud__chart_ice_height(double plot_h);

/**
 * Draw ICE curves (m rows of G values, thin and light) behind the partial
 * dependence line (G values, thick black) over the grid.
 */
void aud__chart_ice(struct aud_pdf *pdf, double x, double top, double w, double plot_h,
    const char *title, const char *x_label, const double *grid, size_t G,
    const double *ice, size_t m, const double *pdp);

#endif
