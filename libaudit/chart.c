/*
 * chart.c — bar charts with whiskers and bands, line charts, waterfalls.
 * Drawn through pdf.h only (no HPDF_* here). See chart.h.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"

#define LABEL_SIZE 7.0
#define TITLE_SIZE 8.5
#define BAND_GREY 0.87

/* Heckbert's nice number: 1, 2, 5 (or 10) times a power of ten. */
static double
nice_num(double x, int round_it)
{
	double e = floor(log10(x));
	double f = x / pow(10, e);
	double nf;

	if (round_it)
		nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
	else
		nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
	return nf * pow(10, e);
}

void
aud__axis_nice(struct aud__axis *out, double lo, double hi, int max_ticks)
{
	double range, step;

	if (max_ticks < 2)
		max_ticks = 2;
	if (!isfinite(lo) || !isfinite(hi)) {
		lo = 0;
		hi = 1;
	}
	if (hi < lo) {
		double t = lo;

		lo = hi;
		hi = t;
	}
	if (hi - lo < 1e-12 * (fabs(lo) + fabs(hi)) || hi == lo) {
		double d = lo == 0 ? 1 : fabs(lo) * 0.5;

		lo -= lo == 0 ? 0 : d;
		hi += d;
	}
	range = nice_num(hi - lo, 0);
	step = nice_num(range / (max_ticks - 1), 1);
	if (!isfinite(range) || !isfinite(step) || step <= 0) {
		/* a range beyond the doubles (e.g. -1e308..1e308): give up gracefully */
		out->lo = 0;
		out->hi = 1;
		out->step = 0.2;
		return;
	}
	/* A nice step may still give too many ticks once lo/hi are rounded out. */
	while ((ceil(hi / step - 1e-9) - floor(lo / step + 1e-9)) + 1 > max_ticks)
		step = nice_num(step * 1.5, 1);
	out->lo = floor(lo / step + 1e-9) * step;
	out->hi = ceil(hi / step - 1e-9) * step;
	out->step = step;
	if (!isfinite(out->lo) || !isfinite(out->hi) || out->hi <= out->lo) {
		out->lo = 0;
		out->hi = 1;
		out->step = 0.2;
	}
}

int
aud__axis_ticks(const struct aud__axis *ax)
{
	double n = floor((ax->hi - ax->lo) / ax->step + 0.5) + 1;

	/* fixed limits (opts) may not fall on the step: bound the count */
	return isfinite(n) && n >= 1 ? (n > 100 ? 100 : (int)n) : 1;
}

int
aud__axis_decimals(const struct aud__axis *ax)
{
	int d = (int)-floor(log10(ax->step) + 1e-9);

	return d < 0 ? 0 : d;
}

double
aud__axis_tick(const struct aud__axis *ax, int i)
{
	double scale = pow(10, aud__axis_decimals(ax));
	double v = ax->lo + i * ax->step;

	v = round(v * scale) / scale;
	return v == 0 ? 0 : v;  /* no "-0" */
}

double
aud__axis_map(const struct aud__axis *ax, double v, double p0, double p1)
{
	return p0 + (v - ax->lo) / (ax->hi - ax->lo) * (p1 - p0);
}

void
aud__fmt_num(char *buf, size_t size, double v, int decimals, int sign)
{
	char tmp[64];
	double scale = pow(10, decimals);

	if (isnan(v)) {
		snprintf(buf, size, "undefined");
		return;
	}
	if (round(fabs(v) * scale) == 0)
		v = 0;
	snprintf(tmp, sizeof(tmp), "%.*f", decimals, fabs(v));
	if (v < 0)
		snprintf(buf, size, "\xE2\x88\x92%s", tmp);
	else
		snprintf(buf, size, "%s%s", sign ? "+" : "", tmp);
}

/* Copy s into buf, cut with an ellipsis so that it fits `width`. */
static void
fit_text(struct aud_pdf *pdf, enum aud__font font, double size, const char *s,
    double width, char *buf, size_t bufsize)
{
	size_t n = strlen(s);
	size_t k;

	if (aud__pdf_text_width(pdf, font, size, s) <= width || n == 0) {
		snprintf(buf, bufsize, "%s", s);
		return;
	}
	width -= aud__pdf_text_width(pdf, font, size, "\xE2\x80\xA6");
	/* no label a chart holds is wider than 400 bytes of text */
	for (k = n < 400 ? n : 400; k > 0; k--) {
		if (((unsigned char)s[k] & 0xC0) == 0x80)
			continue;  /* not a character boundary */
		if (k + 4 < bufsize && aud__pdf_text_width_n(pdf, font, size, s, k) <= width)
			break;
	}
	snprintf(buf, bufsize, "%.*s\xE2\x80\xA6", (int)k, s);
}

/* s without the spaces at its ends: [*a, *b). */
static void
trim(const char *s, size_t *a, size_t *b)
{
	*a = 0;
	*b = strlen(s);
	while (*a < *b && s[*a] == ' ')
		(*a)++;
	while (*b > *a && s[*b - 1] == ' ')
		(*b)--;
}

static int
same_look(const char *x, const char *y)
{
	size_t xa, xb, ya, yb;

	trim(x, &xa, &xb);
	trim(y, &ya, &yb);
	return xb - xa == yb - ya && memcmp(x + xa, y + ya, xb - xa) == 0;
}

/*
 * Labels of a chart's rows as drawn, right-aligned at xr: each fitted into
 * `width`; a label that would look like an earlier one (the same once cut
 * to fit, or differing only in spaces at its ends) is followed by
 * the mark "⟦#k⟧", k its rank among the look-alikes, so that two different
 * names never look the same. label(i) gives row i's label; y(i) its baseline.
 */
struct row_labels {
	const char *(*label)(const void *rows, size_t i);
	double (*y)(const void *geom, size_t i);
	const void *rows, *geom;
};

static void
draw_row_labels(struct aud_pdf *pdf, const struct row_labels *rl, size_t n, double width,
    double xr)
{
	char (*fit)[256] = malloc((n + 1) * sizeof(*fit));
	size_t i, j;

	if (fit == NULL) {
		/* no memory for the comparison: draw the labels as they fit */
		for (i = 0; i < n; i++) {
			char buf[256];

			fit_text(pdf, AUD__FONT_REGULAR, LABEL_SIZE, rl->label(rl->rows, i), width, buf,
			    sizeof(buf));
			aud__pdf_text(pdf, AUD__FONT_REGULAR, LABEL_SIZE, xr, rl->y(rl->geom, i),
			    AUD__RIGHT, buf);
		}
		return;
	}
	for (i = 0; i < n; i++)
		fit_text(pdf, AUD__FONT_REGULAR, LABEL_SIZE, rl->label(rl->rows, i), width, fit[i],
		    sizeof(fit[i]));
	for (i = 0; i < n; i++) {
		const char *li = rl->label(rl->rows, i);
		size_t rank = 1;
		char mark[32];
		double y = rl->y(rl->geom, i);

		/* A chart's rows are different groups or features: a row that looks
		 * like an earlier one is marked even when the label given is the
		 * same bytes (a caller may have cut two long names alike). */
		for (j = 0; j < i; j++)
			rank += (size_t)same_look(fit[j], fit[i]);
		if (rank == 1) {
			aud__pdf_text(pdf, AUD__FONT_REGULAR, LABEL_SIZE, xr, y, AUD__RIGHT, fit[i]);
			continue;
		}
		snprintf(mark, sizeof(mark), "\xE2\x9F\xA6#%zu\xE2\x9F\xA7", rank);
		{
			double mw = aud__pdf_mark_width(pdf, AUD__FONT_BOLD, LABEL_SIZE, mark) + 1;
			char buf[256];

			fit_text(pdf, AUD__FONT_REGULAR, LABEL_SIZE, li, width - mw, buf, sizeof(buf));
			aud__pdf_text(pdf, AUD__FONT_REGULAR, LABEL_SIZE, xr - mw, y, AUD__RIGHT, buf);
			aud__pdf_text_mark(pdf, AUD__FONT_BOLD, LABEL_SIZE, xr - mw + 1, y, mark);
		}
	}
	free(fit);
}

struct plain_rows {
	double ytop, row_h, base;
};

static const char *
plain_label(const void *rows, size_t i)
{
	return ((const char *const *)rows)[i];
}

static double
plain_y(const void *geom, size_t i)
{
	const struct plain_rows *g = geom;

	return g->ytop - ((double)i + 1) * g->row_h + g->base;
}

void
aud__chart_row_labels(struct aud_pdf *pdf, const char *const *labels, size_t n, double width,
    double xr, double ytop, double row_h, double base)
{
	struct plain_rows g;
	struct row_labels rl = { plain_label, plain_y, NULL, NULL };

	g.ytop = ytop;
	g.row_h = row_h;
	g.base = base;
	rl.rows = labels;
	rl.geom = &g;
	draw_row_labels(pdf, &rl, n, width, xr);
}

static const char *
bar_label(const void *rows, size_t i)
{
	return ((const struct aud__bar *)rows)[i].label;
}

static const char *
step_label(const void *rows, size_t i)
{
	return ((const struct aud__wf_step *)rows)[i].label;
}

/* Baselines of bar rows (geom: ytop) and of waterfall rows (one row lower). */
static double
bar_y(const void *geom, size_t i)
{
	return *(const double *)geom - ((double)i + 0.5) * AUD__BAR_ROW - 2.5;
}

static double
step_y(const void *geom, size_t i)
{
	return *(const double *)geom - ((double)i + 1.5) * AUD__BAR_ROW - 2.5;
}

double
aud__chart_value_label_x(double p_org, double p_end, double w0, double w1, double tw,
    double plot_x0)
{
	double right = fmax(p_org, p_end), left = fmin(p_org, p_end);

	if (isfinite(w0) && isfinite(w1)) {
		right = fmax(right, fmax(w0, w1));
		left = fmin(left, fmin(w0, w1));
	}
	/* a bar growing to the left is labelled left of its end and whisker,
	 * unless that would run into the row labels */
	if (p_end < p_org && left - AUD__LABEL_GAP - tw >= plot_x0)
		return left - AUD__LABEL_GAP - tw;
	return right + AUD__LABEL_GAP;
}

int
aud__chart_hbars_empty(const struct aud__bar *bars, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (isnan(bars[i].value))
			continue;
		if (bars[i].value != 0)
			return 0;
	}
	return 1;
}

/* Okabe-Ito without the yellow, which is too light for lines on white. */
static const unsigned series_rgb[] = {
	AUD__C_BLACK, AUD__C_ORANGE, AUD__C_SKY, AUD__C_GREEN, AUD__C_BLUE,
	AUD__C_VERMILION, AUD__C_PURPLE,
};

unsigned
aud__chart_series_rgb(size_t i)
{
	return series_rgb[i % (sizeof(series_rgb) / sizeof(series_rgb[0]))];
}

double
aud__chart_hbars_height(size_t n)
{
	return AUD__CHART_TITLE + (double)n * AUD__BAR_ROW + AUD__CHART_AXIS;
}

static void
extend(double *lo, double *hi, double v)
{
	if (!isfinite(v))
		return;
	if (v < *lo)
		*lo = v;
	if (v > *hi)
		*hi = v;
}

void
aud__chart_hbars_axis(struct aud__axis *out, const struct aud__bar *bars, size_t n,
    const struct aud__hbar_opts *o)
{
	double lo = o->origin, hi = o->origin;
	size_t i;

	for (i = 0; i < n; i++) {
		extend(&lo, &hi, bars[i].value);
		extend(&lo, &hi, bars[i].lo);
		extend(&lo, &hi, bars[i].hi);
	}
	extend(&lo, &hi, o->band_lo);
	extend(&lo, &hi, o->band_hi);
	extend(&lo, &hi, o->ref);
	if (isfinite(o->axis_lo))
		lo = o->axis_lo;
	if (isfinite(o->axis_hi))
		hi = o->axis_hi;
	aud__axis_nice(out, lo, hi, 6);
	if (isfinite(o->axis_lo))
		out->lo = o->axis_lo;
	if (isfinite(o->axis_hi))
		out->hi = o->axis_hi;
}

double
aud__chart_label_width(struct aud_pdf *pdf, const struct aud__bar *bars, size_t n, double w)
{
	double lw = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double t = aud__pdf_text_width(pdf, AUD__FONT_REGULAR, LABEL_SIZE, bars[i].label);

		if (t > lw)
			lw = t;
	}
	lw += 6;
	if (lw > 0.4 * w)
		lw = 0.4 * w;
	return lw;
}

/* The axis line, ticks, tick labels and the axis label, below y. */
static void
draw_x_axis(struct aud_pdf *pdf, const struct aud__axis *ax, double x0, double x1,
    double y, double grid_top, const char *label)
{
	int nt = aud__axis_ticks(ax);
	int dec = aud__axis_decimals(ax);
	char buf[64];
	int i;

	aud__pdf_line_width(pdf, 0.3);
	aud__pdf_stroke_grey(pdf, 0.8);
	for (i = 0; i < nt; i++) {
		double v = aud__axis_tick(ax, i);
		double px = aud__axis_map(ax, v, x0, x1);

		aud__pdf_line(pdf, px, y, px, grid_top);
	}
	aud__pdf_stroke_grey(pdf, 0);
	aud__pdf_line_width(pdf, 0.6);
	aud__pdf_line(pdf, x0, y, x1, y);
	aud__pdf_fill_grey(pdf, 0);
	for (i = 0; i < nt; i++) {
		double v = aud__axis_tick(ax, i);
		double px = aud__axis_map(ax, v, x0, x1);

		aud__pdf_line(pdf, px, y, px, y - 3);
		aud__fmt_num(buf, sizeof(buf), v, dec, 0);
		aud__pdf_text(pdf, AUD__FONT_REGULAR, 6.5, px, y - 10, AUD__CENTER, buf);
	}
	if (label != NULL)
		aud__pdf_text(pdf, AUD__FONT_REGULAR, 6.5, (x0 + x1) / 2, y - 19, AUD__CENTER, label);
}

int
aud__chart_hbars(struct aud_pdf *pdf, double x, double top, double w,
    const struct aud__bar *bars, size_t n, const struct aud__hbar_opts *o,
    struct aud_error *err)
{
	struct aud__axis ax;
	double lw = aud__chart_label_width(pdf, bars, n, w);
	double x0 = x + lw;
	double x1 = x + w - 34;  /* room for value labels */
	double ytop = top - AUD__CHART_TITLE;
	double ybot = ytop - (double)n * AUD__BAR_ROW;
	char buf[256];
	size_t i;

	double band_w = 0;

	aud__chart_hbars_axis(&ax, bars, n, o);
	aud__pdf_fill_grey(pdf, 0);
	if (o->band_label != NULL) {
		/* outside the plot: on the title line, at the right */
		fit_text(pdf, AUD__FONT_REGULAR, 6.5, o->band_label, w * 0.45, buf, sizeof(buf));
		band_w = aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 6.5, buf) + 8;
		aud__pdf_text(pdf, AUD__FONT_REGULAR, 6.5, x + w, top - 9, AUD__RIGHT, buf);
	}
	if (o->title != NULL) {
		fit_text(pdf, AUD__FONT_BOLD, TITLE_SIZE, o->title, w - band_w, buf, sizeof(buf));
		aud__pdf_text(pdf, AUD__FONT_BOLD, TITLE_SIZE, x, top - 9, AUD__LEFT, buf);
	}
	if (isfinite(o->band_lo) && isfinite(o->band_hi)) {
		double b0 = aud__axis_map(&ax, fmax(o->band_lo, ax.lo), x0, x1);
		double b1 = aud__axis_map(&ax, fmin(o->band_hi, ax.hi), x0, x1);
		unsigned dash[2] = { 2, 2 };

		aud__pdf_fill_grey(pdf, BAND_GREY);
		aud__pdf_rect(pdf, b0, ybot, b1 - b0, ytop - ybot, AUD__FILL);
		aud__pdf_dash(pdf, dash, 2);
		aud__pdf_line_width(pdf, 0.5);
		aud__pdf_stroke_grey(pdf, 0.3);
		aud__pdf_line(pdf, b0, ybot, b0, ytop);
		aud__pdf_line(pdf, b1, ybot, b1, ytop);
		aud__pdf_dash(pdf, NULL, 0);
	}
	draw_x_axis(pdf, &ax, x0, x1, ybot, ytop, o->x_label);
	{
		struct row_labels rl = { bar_label, bar_y, NULL, NULL };

		rl.rows = bars;
		rl.geom = &ytop;
		aud__pdf_fill_grey(pdf, 0);
		draw_row_labels(pdf, &rl, n, lw - 4, x0 - 3);
	}
	for (i = 0; i < n; i++) {
		const struct aud__bar *b = &bars[i];
		double yc = ytop - ((double)i + 0.5) * AUD__BAR_ROW;
		double bh = AUD__BAR_ROW * 0.62;
		double label_x, tw;

		aud__pdf_fill_grey(pdf, 0);
		if (isnan(b->value)) {
			aud__pdf_fill_grey(pdf, 0.3);
			aud__pdf_text(pdf, AUD__FONT_REGULAR, 6.5, x0 + 3, yc - 2.3, AUD__LEFT,
			    "undefined (0/0)");
			aud__pdf_fill_grey(pdf, 0);
			continue;
		}
		{
			double v = fmin(fmax(b->value, ax.lo), ax.hi);
			double org = fmin(fmax(o->origin, ax.lo), ax.hi);
			double p0 = aud__axis_map(&ax, org, x0, x1);
			double p1 = aud__axis_map(&ax, v, x0, x1);
			double bx = fmin(p0, p1), bw = fabs(p1 - p0);
			double w0 = NAN, w1 = NAN;
			unsigned rgb = b->rgb != 0 ? b->rgb : AUD__C_BLUE;

			if (o->band_colour && isfinite(o->band_lo) && isfinite(o->band_hi))
				rgb = b->value < o->band_lo || b->value > o->band_hi ?
				    AUD__C_VERMILION : AUD__C_GREEN;
			aud__pdf_line_width(pdf, 0.6);
			aud__pdf_stroke_grey(pdf, 0);
			aud__pdf_fill_rgb(pdf, rgb);
			aud__pdf_rect(pdf, bx, yc - bh / 2, bw, bh, AUD__FILL_STROKE);
			if (b->hatched) {
				aud__pdf_line_width(pdf, 0.4);
				aud__pdf_hatch(pdf, bx, yc - bh / 2, bw, bh, 2.5);
			}
			if (isfinite(b->lo) && isfinite(b->hi)) {
				w0 = aud__axis_map(&ax, fmin(fmax(b->lo, ax.lo), ax.hi), x0, x1);
				w1 = aud__axis_map(&ax, fmin(fmax(b->hi, ax.lo), ax.hi), x0, x1);
				aud__pdf_line_width(pdf, 0.8);
				aud__pdf_stroke_grey(pdf, 0);
				aud__pdf_line(pdf, w0, yc, w1, yc);
				aud__pdf_line(pdf, w0, yc - 3, w0, yc + 3);
				aud__pdf_line(pdf, w1, yc - 3, w1, yc + 3);
			}
			aud__fmt_num(buf, sizeof(buf), b->value, o->decimals, 0);
			tw = aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 6.5, buf);
			label_x = aud__chart_value_label_x(p0, p1, w0, w1, tw, x0);
		}
		/* a white ground, so that no band edge or grid line runs through it */
		aud__pdf_fill_grey(pdf, 1);
		aud__pdf_rect(pdf, label_x - 0.5, yc - 3.8, tw + 1, 7.2, AUD__FILL);
		aud__pdf_fill_grey(pdf, 0);
		aud__pdf_text(pdf, AUD__FONT_REGULAR, 6.5, label_x, yc - 2.3, AUD__LEFT, buf);
	}
	if (isfinite(o->ref) && o->ref >= ax.lo && o->ref <= ax.hi) {
		double px = aud__axis_map(&ax, o->ref, x0, x1);

		aud__pdf_line_width(pdf, 0.9);
		aud__pdf_stroke_grey(pdf, 0);
		aud__pdf_line(pdf, px, ybot, px, ytop);
	}
	aud__pdf_line_width(pdf, 1);
	return aud__pdf_check(pdf, err);
}

static const unsigned dash_styles[][4] = {
	{ 0, 0, 0, 0 }, { 5, 2, 0, 0 }, { 1, 2, 0, 0 }, { 6, 2, 1, 2 }, { 3, 3, 0, 0 },
	{ 8, 3, 0, 0 },
};
static const unsigned dash_len[] = { 0, 2, 2, 4, 2, 2 };
#define NSTYLES (sizeof(dash_len) / sizeof(dash_len[0]))

/* Series i: its palette colour, dash pattern and (drawn by the caller) marker;
 * markers are filled white for the first round of shapes, solid after. */
static void
series_style(struct aud_pdf *pdf, size_t i)
{
	aud__pdf_dash(pdf, dash_styles[i % NSTYLES], dash_len[i % NSTYLES]);
	aud__pdf_stroke_rgb(pdf, aud__chart_series_rgb(i));
	if ((i / AUD__MARK_COUNT) % 2)
		aud__pdf_fill_rgb(pdf, aud__chart_series_rgb(i));
	else
		aud__pdf_fill_grey(pdf, 1);
	aud__pdf_line_width(pdf, i == 0 ? 1.4 : 1.0);
}

#define LEGEND_ROW 11.0
#define LEGEND_SAMPLE 22.0

double
aud__chart_legend_height(struct aud_pdf *pdf, const struct aud__series *s, size_t ns,
    double w)
{
	double cx = 0;
	size_t rows = ns ? 1 : 0;
	size_t i;

	for (i = 0; i < ns; i++) {
		double iw = LEGEND_SAMPLE + 4 + aud__pdf_text_width(pdf, AUD__FONT_REGULAR,
		    LABEL_SIZE, s[i].name) + 12;

		if (cx > 0 && cx + iw > w) {
			rows++;
			cx = 0;
		}
		cx += iw;
	}
	return (double)rows * LEGEND_ROW;
}

int
aud__chart_lines(struct aud_pdf *pdf, double x, double top, double w, double plot_h,
    const struct aud__series *s, size_t ns, const struct aud__line_opts *o,
    struct aud_error *err)
{
	struct aud__axis xa, ya;
	double xlo = INFINITY, xhi = -INFINITY, ylo = 0, yhi = 0;
	double x0 = x + 34, x1 = x + w - 8;
	double ytop = top - AUD__CHART_TITLE - AUD__LINE_YLABEL, ybot = ytop - plot_h;
	double *px = NULL, *py = NULL;
	size_t maxn = 0;
	char buf[64];
	size_t i, j;
	int nt, dec, k, rc = 0;

	for (i = 0; i < ns; i++) {
		if (s[i].n > maxn)
			maxn = s[i].n;
		for (j = 0; j < s[i].n; j++) {
			extend(&xlo, &xhi, s[i].x[j]);
			extend(&ylo, &yhi, s[i].y[j]);
		}
	}
	if (isfinite(o->mark_x) && isfinite(o->mark_y)) {
		extend(&xlo, &xhi, o->mark_x);
		extend(&ylo, &yhi, o->mark_y);
	}
	if (isfinite(o->y_lo))
		ylo = o->y_lo;
	if (isfinite(o->y_hi))
		yhi = o->y_hi;
	aud__axis_nice(&xa, xlo, xhi, 7);
	if (o->x_whole && xa.step < 1) {
		xa.step = 1;
		xa.lo = floor(xa.lo);
		xa.hi = ceil(xa.hi);
	}
	aud__axis_nice(&ya, ylo, yhi, 6);
	if (isfinite(o->y_lo))
		ya.lo = o->y_lo;
	if (isfinite(o->y_hi))
		ya.hi = o->y_hi;
	px = malloc((maxn ? maxn : 1) * sizeof(*px));
	py = malloc((maxn ? maxn : 1) * sizeof(*py));
	if (px == NULL || py == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	aud__pdf_fill_grey(pdf, 0);
	if (o->title != NULL) {
		char tb[256];

		fit_text(pdf, AUD__FONT_BOLD, TITLE_SIZE, o->title, w, tb, sizeof(tb));
		aud__pdf_text(pdf, AUD__FONT_BOLD, TITLE_SIZE, x, top - 9, AUD__LEFT, tb);
	}
	/* y axis: grid, ticks, labels */
	nt = aud__axis_ticks(&ya);
	dec = aud__axis_decimals(&ya);
	for (k = 0; k < nt; k++) {
		double v = aud__axis_tick(&ya, k);
		double yy = aud__axis_map(&ya, v, ybot, ytop);

		aud__pdf_line_width(pdf, 0.3);
		aud__pdf_stroke_grey(pdf, 0.8);
		aud__pdf_line(pdf, x0, yy, x1, yy);
		aud__pdf_stroke_grey(pdf, 0);
		aud__pdf_line_width(pdf, 0.6);
		aud__pdf_line(pdf, x0 - 3, yy, x0, yy);
		aud__fmt_num(buf, sizeof(buf), v, dec, 0);
		aud__pdf_fill_grey(pdf, 0);
		aud__pdf_text(pdf, AUD__FONT_REGULAR, 6.5, x0 - 5, yy - 2.3, AUD__RIGHT, buf);
	}
	aud__pdf_line(pdf, x0, ybot, x0, ytop);
	if (o->y_label != NULL)
		aud__pdf_text(pdf, AUD__FONT_REGULAR, 6.5, x0 - 5, ytop + 6, AUD__LEFT, o->y_label);
	draw_x_axis(pdf, &xa, x0, x1, ybot, ytop, o->x_label);
	for (i = 0; i < ns; i++) {
		size_t m = 0;

		series_style(pdf, i);
		for (j = 0; j <= s[i].n; j++) {
			if (j < s[i].n && isfinite(s[i].y[j]) && isfinite(s[i].x[j])) {
				px[m] = aud__axis_map(&xa, s[i].x[j], x0, x1);
				py[m] = aud__axis_map(&ya, fmin(fmax(s[i].y[j], ya.lo), ya.hi), ybot, ytop);
				m++;
				continue;
			}
			aud__pdf_polyline(pdf, px, py, m);  /* a gap or the end */
			m = 0;
		}
		aud__pdf_dash(pdf, NULL, 0);
		aud__pdf_line_width(pdf, 0.7);
		for (j = 0; j < s[i].n; j++) {
			if (!isfinite(s[i].y[j]) || !isfinite(s[i].x[j]))
				continue;
			aud__pdf_marker(pdf, (enum aud__marker)(i % AUD__MARK_COUNT),
			    aud__axis_map(&xa, s[i].x[j], x0, x1),
			    aud__axis_map(&ya, fmin(fmax(s[i].y[j], ya.lo), ya.hi), ybot, ytop), 4.2);
		}
	}
	if (isfinite(o->mark_x) && isfinite(o->mark_y)) {
		double mx = aud__axis_map(&xa, o->mark_x, x0, x1);
		double my = aud__axis_map(&ya, fmin(fmax(o->mark_y, ya.lo), ya.hi), ybot, ytop);

		aud__pdf_fill_grey(pdf, 0);
		aud__pdf_stroke_grey(pdf, 0);
		aud__pdf_line_width(pdf, 0.7);
		aud__pdf_marker(pdf, AUD__MARK_DIAMOND, mx, my, 8);
		if (o->mark_label != NULL) {
			double tw = aud__pdf_text_width(pdf, AUD__FONT_BOLD, LABEL_SIZE, o->mark_label);
			int right = mx + 7 + tw > x1;

			aud__pdf_text(pdf, AUD__FONT_BOLD, LABEL_SIZE, right ? mx - 7 : mx + 7,
			    my - 9, right ? AUD__RIGHT : AUD__LEFT, o->mark_label);
		}
	}
	/* legend */
	{
		double lx = x0, ly = ybot - AUD__CHART_AXIS - 6;

		for (i = 0; i < ns; i++) {
			double iw = LEGEND_SAMPLE + 4 + aud__pdf_text_width(pdf, AUD__FONT_REGULAR,
			    LABEL_SIZE, s[i].name) + 12;

			if (lx > x0 && lx + iw > x0 + (w - 34)) {
				lx = x0;
				ly -= LEGEND_ROW;
			}
			series_style(pdf, i);
			aud__pdf_line(pdf, lx, ly + 2.5, lx + LEGEND_SAMPLE, ly + 2.5);
			aud__pdf_dash(pdf, NULL, 0);
			aud__pdf_line_width(pdf, 0.7);
			aud__pdf_marker(pdf, (enum aud__marker)(i % AUD__MARK_COUNT),
			    lx + LEGEND_SAMPLE / 2, ly + 2.5, 4.2);
			aud__pdf_fill_grey(pdf, 0);
			aud__pdf_text(pdf, AUD__FONT_REGULAR, LABEL_SIZE, lx + LEGEND_SAMPLE + 4, ly,
			    AUD__LEFT, s[i].name);
			lx += iw;
		}
	}
	aud__pdf_dash(pdf, NULL, 0);
	aud__pdf_stroke_grey(pdf, 0);
	aud__pdf_fill_grey(pdf, 0);
	aud__pdf_line_width(pdf, 1);
	rc = aud__pdf_check(pdf, err);
done:
	free(px);
	free(py);
	return rc;
}

double
aud__chart_waterfall_height(size_t n)
{
	return aud__chart_hbars_height(n + 2);
}

int
aud__chart_waterfall(struct aud_pdf *pdf, double x, double top, double w,
    const char *title, double base, const struct aud__wf_step *steps, size_t n,
    struct aud_error *err)
{
	struct aud__axis ax;
	double lo = base, hi = base, cum = base;
	double lw = 0, x0, x1;
	double ytop = top - AUD__CHART_TITLE;
	double ybot = ytop - (double)(n + 2) * AUD__BAR_ROW;
	double bh = AUD__BAR_ROW * 0.62;
	unsigned dots[2] = { 1, 2 };
	char buf[256], num[64];
	size_t i;

	for (i = 0; i < n; i++) {
		double t;

		cum += steps[i].delta;
		extend(&lo, &hi, cum);
		t = aud__pdf_text_width(pdf, AUD__FONT_REGULAR, LABEL_SIZE, steps[i].label);
		if (t > lw)
			lw = t;
	}
	lw = fmin(fmax(lw, 50) + 6, 0.4 * w);
	x0 = x + lw;
	x1 = x + w - 40;
	aud__axis_nice(&ax, lo, hi, 6);
	aud__pdf_fill_grey(pdf, 0);
	if (title != NULL) {
		fit_text(pdf, AUD__FONT_BOLD, TITLE_SIZE, title, w, buf, sizeof(buf));
		aud__pdf_text(pdf, AUD__FONT_BOLD, TITLE_SIZE, x, top - 9, AUD__LEFT, buf);
	}
	draw_x_axis(pdf, &ax, x0, x1, ybot, ytop, "model output");
	/* base row */
	{
		double yc = ytop - 0.5 * AUD__BAR_ROW;
		double pb = aud__axis_map(&ax, base, x0, x1);

		aud__pdf_fill_grey(pdf, 0);
		aud__pdf_text(pdf, AUD__FONT_BOLD, LABEL_SIZE, x0 - 3, yc - 2.5, AUD__RIGHT,
		    "base value");
		aud__pdf_marker(pdf, AUD__MARK_DIAMOND, pb, yc, 5);
		aud__fmt_num(num, sizeof(num), base, 3, 0);
		aud__pdf_text(pdf, AUD__FONT_REGULAR, 6.5, pb + 5, yc - 2.3, AUD__LEFT, num);
		aud__pdf_dash(pdf, dots, 2);
		aud__pdf_line_width(pdf, 0.5);
		aud__pdf_line(pdf, pb, ybot, pb, yc);
		aud__pdf_dash(pdf, NULL, 0);
	}
	cum = base;
	{
		struct row_labels rl = { step_label, step_y, NULL, NULL };

		rl.rows = steps;
		rl.geom = &ytop;
		aud__pdf_fill_grey(pdf, 0);
		draw_row_labels(pdf, &rl, n, lw - 4, x0 - 3);
	}
	for (i = 0; i < n; i++) {
		double yc = ytop - ((double)i + 1.5) * AUD__BAR_ROW;
		double p0 = aud__axis_map(&ax, cum, x0, x1);
		double p1 = aud__axis_map(&ax, cum + steps[i].delta, x0, x1);
		double bx = fmin(p0, p1), bw = fmax(fabs(p1 - p0), 0.5);

		aud__pdf_fill_grey(pdf, 0);
		aud__pdf_line_width(pdf, 0.6);
		aud__pdf_stroke_grey(pdf, 0);
		/* increases orange, decreases blue (hatching means a small group
		 * only); the signed label says which too */
		aud__pdf_fill_rgb(pdf, steps[i].delta >= 0 ? AUD__C_ORANGE : AUD__C_BLUE);
		aud__pdf_rect(pdf, bx, yc - bh / 2, bw, bh, AUD__FILL_STROKE);
		/* connector to the next row */
		aud__pdf_line_width(pdf, 0.3);
		aud__pdf_line(pdf, p1, yc - bh / 2, p1, yc - AUD__BAR_ROW + bh / 2);
		aud__fmt_num(num, sizeof(num), steps[i].delta, 3, 1);
		aud__pdf_fill_grey(pdf, 0);
		aud__pdf_text(pdf, AUD__FONT_REGULAR, 6.5, fmax(p0, p1) + 2.5, yc - 2.3, AUD__LEFT, num);
		cum += steps[i].delta;
	}
	/* final row */
	{
		double yc = ytop - ((double)n + 1.5) * AUD__BAR_ROW;
		double pf = aud__axis_map(&ax, cum, x0, x1);

		aud__pdf_fill_grey(pdf, 0);
		aud__pdf_text(pdf, AUD__FONT_BOLD, LABEL_SIZE, x0 - 3, yc - 2.5, AUD__RIGHT,
		    "output f(x)");
		aud__pdf_line_width(pdf, 0.6);
		aud__pdf_marker(pdf, AUD__MARK_DIAMOND, pf, yc, 5);
		aud__fmt_num(num, sizeof(num), cum, 3, 0);
		aud__pdf_text(pdf, AUD__FONT_BOLD, 6.5, pf + 5, yc - 2.3, AUD__LEFT, num);
	}
	aud__pdf_line_width(pdf, 1);
	return aud__pdf_check(pdf, err);
}
