/*
 * chart.h — vector charts for the report (private to libaudit): horizontal
 * bar charts with interval whiskers and reference bands, line charts, SHAP
 * style waterfalls, and the axis arithmetic they share.
 *
 * Charts are drawn in the palette below, and series also differ by dash
 * pattern and marker, so that they read in black-and-white print. One
 * meaning per mark: hatching is a small group; vermillion is outside the
 * band (failing), bluish green within it; whiskers are intervals. Each chart is
 * drawn below `top` (a y coordinate) and its height is known beforehand
 * (aud__chart_*_height), so a caller can break pages before drawing.
 */
#ifndef AUDIT_CHART_PRIVATE_H
#define AUDIT_CHART_PRIVATE_H

#include <math.h>
#include <stddef.h>

#include <audit/error.h>

#include "pdf.h"

/*
 * The palette: Okabe and Ito's eight colours, safe for the common colour
 * vision deficiencies; series also differ by marker and dash pattern, so a
 * chart reads in black-and-white print.
 */
#define AUD__C_BLACK     0x000000u
#define AUD__C_ORANGE    0xE69F00u
#define AUD__C_SKY       0x56B4E9u
#define AUD__C_GREEN     0x009E73u   /* bluish green: within the band, passing */
#define AUD__C_YELLOW    0xF0E442u
#define AUD__C_BLUE      0x0072B2u
#define AUD__C_VERMILION 0xD55E00u   /* outside the band, failing */
#define AUD__C_PURPLE    0xCC79A7u

/** A linear axis from lo to hi with ticks every `step`. */
struct aud__axis {
	double lo, hi, step;
};

/**
 * A "nice" axis covering [lo, hi] with at most max_ticks ticks (at least 2),
 * steps of 1, 2 or 5 times a power of ten (Heckbert, Graphics Gems 1990).
 * An empty or inverted range is widened around lo. Non-finite input gives
 * [0, 1].
 */
void aud__axis_nice(struct aud__axis *out, double lo, double hi, int max_ticks);
/** Number of ticks of the axis (lo, lo+step, ..., hi). */
int aud__axis_ticks(const struct aud__axis *ax);
/** The i-th tick value (computed as lo + i*step, rounded to the step's decimals). */
double aud__axis_tick(const struct aud__axis *ax, int i);
/** Decimals needed to print the ticks of the axis (0 for step >= 1). */
int aud__axis_decimals(const struct aud__axis *ax);
/** Map v on the axis to [p0, p1] (linear; not clamped). */
double aud__axis_map(const struct aud__axis *ax, double v, double p0, double p1);

/** Row height and fixed parts of a bar chart, in points. */
#define AUD__BAR_ROW 13.0
#define AUD__CHART_TITLE 14.0
#define AUD__CHART_AXIS 24.0
#define AUD__LINE_YLABEL 10.0

/** One bar of a horizontal bar chart. */
struct aud__bar {
	const char *label;  /**< UTF-8, drawn left of the bar (cut with "…" if too wide) */
	double value;       /**< NaN: undefined, drawn as a label "undefined" */
	double lo, hi;      /**< interval whisker; NaN when none */
	int hatched;        /**< 1: hatched (a small group, and nothing else) */
	unsigned rgb;       /**< the bar's colour (AUD__C_*); 0: blue, or the band's colours */
};

struct aud__hbar_opts {
	const char *title;      /**< bold line above the chart, or NULL */
	const char *x_label;    /**< below the axis, or NULL */
	double axis_lo, axis_hi;/**< NaN: from the data (and 0) */
	double band_lo, band_hi;/**< shaded reference band; NaN: none */
	double ref;             /**< vertical reference line; NaN: none */
	double origin;          /**< where bars start (usually 0; 1 for ratios: they
	                             grow from parity to the left or the right) */
	int decimals;           /**< of value labels */
	const char *band_label; /**< drawn on the title line at the right, outside
	                             the plot (never across the bars), or NULL */
	int band_colour;        /**< 1: bars outside the band vermillion, within it
	                             bluish green; 0: all bars blue */
};
#define AUD__HBAR_OPTS_INIT { NULL, NULL, NAN, NAN, NAN, NAN, NAN, 0.0, 3, NULL, 0 }

/** The gap between a value label and the end of its bar or whisker. */
#define AUD__LABEL_GAP 2.5

/**
 * Where a bar's value label goes, given the bar's pixel extent from the
 * origin p_org to its end p_end, its whisker's extent [w0, w1] (NaN: none)
 * and the label's width tw: past the bar's end and past the whisker's end
 * on the side the bar grows to, never on either. When that side has no room
 * left of the plot's left edge plot_x0, the label goes right of the
 * origin and the whisker instead. @return the label's left x.
 */
double aud__chart_value_label_x(double p_org, double p_end, double w0, double w1,
    double tw, double plot_x0);

/**
 * 1 when a bar chart has nothing to show: every value undefined (NaN) or
 * every value zero or undefined (whatever their intervals: zero bars show
 * nothing but whiskers). Such a chart is not drawn; the caller says so in a
 * sentence.
 */
int aud__chart_hbars_empty(const struct aud__bar *bars, size_t n);

/** The colour of series i of a line chart (palette order). */
unsigned aud__chart_series_rgb(size_t i);

/** Height of a bar chart of n bars. */
double aud__chart_hbars_height(size_t n);

/**
 * The axis a bar chart uses: opts' limits where given, else the data's
 * values and whiskers together with the origin, the band and the reference.
 */
void aud__chart_hbars_axis(struct aud__axis *out, const struct aud__bar *bars, size_t n,
    const struct aud__hbar_opts *o);

/** Width of the label column of a bar chart `w` wide (at most 40% of w). */
double aud__chart_label_width(struct aud_pdf *pdf, const struct aud__bar *bars, size_t n,
    double w);

/** Draw a horizontal bar chart in [x, x+w] from `top` down. @return 0 or AUD_E* */
int aud__chart_hbars(struct aud_pdf *pdf, double x, double top, double w,
    const struct aud__bar *bars, size_t n, const struct aud__hbar_opts *o,
    struct aud_error *err);

/** One series of a line chart: points (x[i], y[i]); NaN y leaves a gap. */
struct aud__series {
	const char *name;
	const double *x, *y;
	size_t n;
};

struct aud__line_opts {
	const char *title, *x_label, *y_label;
	double y_lo, y_hi;      /**< NaN: from the data (and 0) */
	double mark_x, mark_y;  /**< one point marked apart (a large black diamond); NaN: none */
	const char *mark_label; /**< drawn beside the marked point, or NULL */
	int x_whole;            /**< 1: x counts things (windows): ticks on whole numbers only */
};
#define AUD__LINE_OPTS_INIT { NULL, NULL, NULL, NAN, NAN, NAN, NAN, NULL, 0 }

/** Height of the legend of ns series in a chart `w` wide. */
double aud__chart_legend_height(struct aud_pdf *pdf, const struct aud__series *s,
    size_t ns, double w);

/**
 * Draw a line chart: title, a plot `plot_h` high, axis, legend. Series are
 * told apart by dash pattern, marker shape and grey level, and named in the
 * legend. A marked point (o->mark_x, mark_y) is part of the axes' range and
 * drawn over the series with its label. Total height: AUD__CHART_TITLE + AUD__LINE_YLABEL + plot_h +
 * AUD__CHART_AXIS + legend.
 */
int aud__chart_lines(struct aud_pdf *pdf, double x, double top, double w, double plot_h,
    const struct aud__series *s, size_t ns, const struct aud__line_opts *o,
    struct aud_error *err);

/** One step of a waterfall: a feature's contribution. */
struct aud__wf_step {
	const char *label;
	double delta;
};

/** Height of a waterfall of n steps (plus the base and final rows). */
double aud__chart_waterfall_height(size_t n);

/**
 * Draw a waterfall: a row for the base value, one bar per step from the
 * running total before it to the total after it (increases orange,
 * decreases blue, each labelled with its signed value), and a row for
 * the final value base + sum(delta).
 */
int aud__chart_waterfall(struct aud_pdf *pdf, double x, double top, double w,
    const char *title, double base, const struct aud__wf_step *steps, size_t n,
    struct aud_error *err);

/**
 * Row labels right-aligned at xr, row i's baseline at ytop - (i+1)*row_h + base,
 * each cut to `width`; a label that would look like an earlier one is
 * marked "⟦#k⟧" (as every chart's rows are), so two names never look alike.
 */
void aud__chart_row_labels(struct aud_pdf *pdf, const char *const *labels, size_t n,
    double width, double xr, double ytop, double row_h, double base);

/** The fairness grid (chart_fair.c): groups (rows) by metrics (columns). */
struct aud__grid {
	const char *title, *note;     /**< the note: one line below the grid, or NULL */
	const char *const *rows;      /**< group names, nrows */
	const int *small;             /**< 1: the row is a small group (hatched); may be NULL */
	size_t nrows;
	const char *const *cols;      /**< metric names, ncols */
	size_t ncols;
	const double *ratio;          /**< nrows * ncols, row-major; NaN: undefined */
	double band_lo, band_hi;
};

/** Height of a grid of n rows. */
double aud__chart_grid_height(size_t nrows);
/** 1 when a ratio is outside [band_lo, band_hi] (drawn vermillion), 0 within
 *  (bluish green), -1 when undefined (white, "—"). */
int aud__grid_cell_fails(double ratio, double band_lo, double band_hi);
/** rgb mixed with white: t = 1 keeps the colour, 0 gives white. */
unsigned aud__chart_tint(unsigned rgb, double t);
/** Draw the grid: each cell the ratio with 2 decimals, tinted by
 *  aud__grid_cell_fails, hatched for small groups. */
int aud__chart_grid(struct aud_pdf *pdf, double x, double top, double w,
    const struct aud__grid *g, struct aud_error *err);

/** Format v with `decimals` decimals; "−" (U+2212) for negatives, "+" when `sign`. */
void aud__fmt_num(char *buf, size_t size, double v, int decimals, int sign);

#endif
